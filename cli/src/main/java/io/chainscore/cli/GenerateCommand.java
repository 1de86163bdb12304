package io.chainscore.cli;

import io.chainscore.tables.TableSchema;
import io.chainscore.batch.io.TableWriter;
import io.chainscore.batch.io.TradeTables;
import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.PortfolioSink;
import io.chainscore.sim.PortfolioSummary;
import io.chainscore.sim.SimulationConfig;
import io.chainscore.sim.SupplierHistory;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.trade.Anchor;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore generate}: simulate a supplier portfolio into table files. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate a supplier portfolio into table files.",
      "Writes anchors, suppliers, invoices, loans, instalments, the dated events credit_notes, disputes and deliveries, and labels, and the portfolio-risk inputs exposures (one facility per supplier) and anchor_pds, one file per table in --format, to --out.",
      "The same seed and options give byte-identical files.",
      "A folder that already holds a portfolio (any table, in any form the commands read: .csv, .arrow, .parquet, .arrows, .feather, a NAME.parquet directory of part files) is refused unless --overwrite, which replaces the portfolio whole."
    })
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--suppliers", defaultValue = "1000", description = "Number of suppliers (default ${DEFAULT-VALUE}).")
  int suppliers;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--as-of", defaultValue = "2025-06-30", description = "As-of date, YYYY-MM-DD (default ${DEFAULT-VALUE}).")
  LocalDate asOf;

  @Option(names = "--history-months", defaultValue = "30", description = "Months of history, the as-of date's own month included: it starts on the first day of the month (N - 1) months before the as-of month (default ${DEFAULT-VALUE}).")
  int historyMonths;

  @Option(names = "--default-rate", defaultValue = "0.03", description = "Mean 12-month default rate (default ${DEFAULT-VALUE}).")
  double defaultRate;

  @Option(names = "--out", required = true, description = "Output directory (created if missing).")
  Path out;

  @Option(names = "--format", defaultValue = "csv", description = "Format of every table written: csv, arrow or parquet (default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--threads", defaultValue = "0", description = "Generator threads; 0 = all cores.")
  int threads;

  @Option(names = "--overwrite", description = "Replace the portfolio in --out whole (every table, in every format).")
  boolean overwrite;

  @Option(names = "--quiet", description = "No progress or summary output.")
  boolean quiet;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    int workers = ThreadOption.resolve(spec, threads);   // refused before any work
    TableWriter.Format fmt = TableWriter.Format.parse(format);
    SimulationConfig config = SimulationConfig.builder()
        .suppliers(suppliers).seed(seed).asOf(asOf).historyMonths(historyMonths)
        .baseDefaultRate(defaultRate).build();
    OutputFiles.createFolder(out);
    List<Path> existing = existingPortfolio(out);
    if (!existing.isEmpty() && !overwrite) {
      throw new FileAlreadyExistsException(out.toString(), null, "already holds a portfolio (" + existing.get(0).getFileName()
          + (existing.size() > 1 ? " and " + (existing.size() - 1) + " more table files" : "")
          + "); pass --overwrite to replace it whole, or choose another --out");
    }
    PortfolioSimulator simulator = new PortfolioSimulator(config);
    PortfolioSummary summary = new PortfolioSummary();
    Progress progress = quiet ? null : new Progress(spec.commandLine().getErr(), "generate", suppliers);
    try (TradeTables.Sink files = TradeTables.writer(out, fmt, overwrite)) {
      PortfolioSink both = new PortfolioSink() {
        long done;

        @Override
        public void anchors(List<Anchor> anchors) throws IOException {
          files.anchors(anchors);
          summary.anchors(anchors);
        }

        @Override
        public void supplier(SupplierHistory history) throws IOException {
          files.supplier(history);
          summary.supplier(history);
          if (progress != null) {
            progress.update(++done);
          }
        }
      };
      simulator.simulate(both, workers);
      commitReplacing(files, existing, fmt);
    }
    if (json) {
      Map<String, Object> o = JsonOutput.object();
      o.put("out", out.toString());
      o.put("format", fmt.extension());
      o.put("exposures", out.resolve(PortfolioTables.EXPOSURES.name() + "." + fmt.extension()).toString());
      o.put("anchor_pds", out.resolve(PortfolioTables.ANCHOR_PDS.name() + "." + fmt.extension()).toString());
      o.put("suppliers", summary.total().suppliers());
      o.put("invoices", summary.total().invoices());
      o.put("loans", summary.loans());
      o.put("defaults", summary.total().defaults());
      o.put("default_rate", summary.total().defaultRate());
      o.put("mean_true_pd", summary.total().meanTruePd());
      JsonOutput.print(spec.commandLine().getOut(), o);
    } else if (!quiet) {
      spec.commandLine().getOut().print(summary.format());
      spec.commandLine().getOut().println("Wrote " + PortfolioTables.ALL.size() + " tables and "
          + PortfolioTables.PORTFOLIO.size() + " portfolio-risk tables (" + fmt.extension() + ") to " + out);
    }
    return ExitCodes.SUCCESS;
  }

  /**
   * The portfolio table files in {@code dir}: every table name with every extension the commands
   * read a portfolio table by ({@link PortfolioFeatures#TABLE_EXTENSIONS}, so also {@code .arrows}
   * and {@code .feather}), and a table directory of part files ({@code NAME.parquet/}).
   */
  static List<Path> existingPortfolio(Path dir) {
    List<Path> found = new ArrayList<>();
    List<TableSchema> tables = new ArrayList<>(PortfolioTables.ALL);
    tables.addAll(PortfolioTables.PORTFOLIO);
    for (TableSchema table : tables) {
      for (String extension : PortfolioFeatures.TABLE_EXTENSIONS) {
        Path p = dir.resolve(table.name() + "." + extension);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          found.add(p);
        }
      }
    }
    return found;
  }

  /**
   * Commits the tables of {@code files} (written in {@code format}) over the portfolio {@code
   * existing} ({@link #existingPortfolio}, listed before the tables were written) and replaces it
   * whole: a table directory of part files ({@code NAME.parquet/}) where a file is committed is
   * deleted first (a file cannot be moved onto a directory), and every table left in another
   * format is deleted after, since it would be read alongside (or instead of) the new one. The one
   * rule for {@code generate --overwrite} and for {@code demo}'s portfolio folder.
   */
  static void commitReplacing(TradeTables.Sink files, List<Path> existing, TableWriter.Format format)
      throws IOException {
    for (Path old : existing) {
      if (isWritten(old, format) && Files.isDirectory(old)) {
        deleteTree(old);
      }
    }
    files.commit();
    for (Path old : existing) {
      if (!isWritten(old, format)) {
        deleteTree(old);
      }
    }
  }

  /** Deletes {@code path}: a file, or a table directory of part files with everything in it. */
  private static void deleteTree(Path path) throws IOException {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(path)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    } else {
      Files.deleteIfExists(path);
    }
  }

  /** Whether this run wrote {@code file} (so it must not be deleted as a leftover). */
  private static boolean isWritten(Path file, TableWriter.Format format) {
    String name = file.getFileName().toString();
    List<TableSchema> tables = new ArrayList<>(PortfolioTables.ALL);
    tables.addAll(PortfolioTables.PORTFOLIO);
    for (TableSchema t : tables) {
      if (name.equals(t.name() + "." + format.extension())) {
        return true;
      }
    }
    return false;
  }
}

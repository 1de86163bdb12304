package io.chainscore.cli;

import io.chainscore.batch.engine.BatchJob;
import io.chainscore.batch.engine.BatchResult;
import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.batch.io.TableReader;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import io.chainscore.batch.io.TableWriter;
import io.chainscore.batch.io.TradeTables;
import io.chainscore.batch.scoring.FeatureTableScoring;
import io.chainscore.features.engine.BadRecord;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.PortfolioSummary;
import io.chainscore.sim.SimulationConfig;
import io.chainscore.validation.Discrimination;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore demo}: the default end-to-end job on the bundled model and simulated data. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the default end-to-end job on the bundled model and a simulated portfolio.",
      "Simulates a supplier portfolio (Arrow files), computes its features, scores every supplier with the bundled smb-supply-chain-scorecard, and prints the portfolio, the grade distribution against the realised defaults, the model's AUC and the most frequent first reason codes with their statements."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--suppliers", defaultValue = "5000", description = "Number of suppliers (default ${DEFAULT-VALUE}).")
  int suppliers;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--as-of", defaultValue = "2025-06-30", description = "As-of date (default ${DEFAULT-VALUE}).")
  LocalDate asOf;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Option(names = "--out", paramLabel = "DIR", description = "Folder to keep the portfolio, feature and score files in"
      + " (default: a fresh temporary folder, deleted at the end).")
  Path workDir;

  /** The name --out had before the flag convention (README, "Command line"); still accepted. */
  @Option(names = "--work-dir", hidden = true, paramLabel = "DIR")
  void legacyWorkDir(Path dir) {
    workDir = dir;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    int threads = Runtime.getRuntime().availableProcessors();
    if (workDir != null) {
      // a folder where a result file goes is refused before the work, as validate, portfolio, ecl
      // and monitor refuse one: until 2026-12-07 the demo met it after simulating and computing the
      // features, exit 1, the new portfolio and features beside the earlier scores, a commit
      // journal left that told to pass --resume, which demo does not have
      OutputFiles.refuseAsResultFolder(workDir, "features.arrow", "scores.csv", "scores.quarantine.csv",
          "scores-gbdt.csv", "scores-gbdt.quarantine.csv");
    }
    Path dir = workDir != null ? OutputFiles.createFolder(workDir) : Files.createTempDirectory("chainscore-demo-");
    Path portfolio = dir.resolve("portfolio");
    OutputFiles.createFolder(portfolio);

    SimulationConfig config = SimulationConfig.builder().suppliers(suppliers).seed(seed).asOf(asOf).build();
    PortfolioSummary summary = new PortfolioSummary();
    // the portfolio folder is replaced whole, as generate --overwrite replaces one: until 2026-12-07
    // the Arrow tables were written beside a portfolio of another format there (generate's default
    // CSV), and the demo then refused the folder it had just mixed, exit 2, leaving it so
    List<Path> existing = GenerateCommand.existingPortfolio(portfolio);
    try (TradeTables.Sink files = TradeTables.writer(portfolio, TableWriter.Format.ARROW, true)) {
      new PortfolioSimulator(config).simulate(new io.chainscore.sim.PortfolioSink() {
        @Override
        public void anchors(List<io.chainscore.trade.Anchor> anchors) throws IOException {
          files.anchors(anchors);
          summary.anchors(anchors);
        }

        @Override
        public void supplier(io.chainscore.sim.SupplierHistory history) throws IOException {
          files.supplier(history);
          summary.supplier(history);
        }
      }, threads);
      GenerateCommand.commitReplacing(files, existing, TableWriter.Format.ARROW);
    }
    long simulated = System.nanoTime();

    List<BadRecord> bad = new ArrayList<>();
    PortfolioFeatures.Result features = PortfolioFeatures.compute(portfolio,
        new PortfolioFeatures.Options(asOf, threads, true, PortfolioFeatures.DEFAULT_REGIONS), bad::add);
    Path featureFile = dir.resolve("features.arrow");
    // committed as every run's file is (RunCommit), not deleted and written in place: a features
    // run's manifest of the file replaced is deleted with it (until 2026-12-07 it stayed beside the
    // demo's table, vouching for bytes no longer there), and a demo killed while writing leaves
    // the old table whole
    io.chainscore.batch.engine.FileSetCommit featureCommit = io.chainscore.batch.engine.FileSetCommit.begin(featureFile, true);
    try {
      PortfolioFeatures.write(features, asOf, featureCommit.stage(featureFile));
      featureCommit.commit();
    } catch (IOException | RuntimeException e) {
      featureCommit.abandon();
      throw e;
    }
    long featured = System.nanoTime();

    ModelBundle bundle = DefaultModels.scorecard();
    FeatureTableScoring processor = new FeatureTableScoring(bundle, asOf);
    Path scores = dir.resolve("scores.csv");
    BatchResult scored = BatchJob.builder()
        .input(featureFile, processor.inputSchema()).processor(processor)
        .output(scores).threads(threads).overwrite(true).build().run();
    long done = System.nanoTime();
    // The companion gradient-boosted model on the same feature table: one more cheap pass.
    ModelBundle gbdt = DefaultModels.gbdt();
    FeatureTableScoring gbdtProcessor = new FeatureTableScoring(gbdt, asOf);
    Path gbdtScores = dir.resolve("scores-gbdt.csv");
    BatchJob.builder().input(featureFile, gbdtProcessor.inputSchema()).processor(gbdtProcessor)
        .output(gbdtScores).threads(threads).overwrite(true).build().run();
    double gbdtAuc = auc(gbdtScores, portfolio.resolve("labels.arrow"));

    if (json) {
      Map<String, Object> j = JsonOutput.object();
      j.put("suppliers", summary.total().suppliers());
      j.put("invoices", summary.total().invoices());
      j.put("defaults", summary.total().defaults());
      j.put("default_rate", summary.total().defaultRate());
      j.put("model_id", bundle.modelId());
      j.put("model_version", bundle.modelVersion());
      j.put("rows_scored", scored.rowsWritten());
      j.put("rows_quarantined", scored.rowsQuarantined() + bad.size());
      j.put("companion_model_id", gbdt.modelId());
      j.put("companion_model_auc", Double.isNaN(gbdtAuc) ? null : gbdtAuc);
      j.put("scores", workDir != null ? scores.toString() : null);
      j.put("seconds", (done - start) / 1e9);
      JsonOutput.print(out, j);
      if (workDir == null) {
        deleteTree(dir);
      }
      return scored.rowsQuarantined() > 0 ? ExitCodes.QUARANTINED : ExitCodes.SUCCESS;
    }
    out.println("ChainScore demo: a simulated supplier portfolio scored with the bundled model");
    out.println();
    out.print(summary.format());
    out.println();
    out.printf(Locale.ROOT, "Features: %,d suppliers from %,d invoices and %,d instalments (%d rows quarantined)%n",
        features.supplierIds().size(), features.invoices(), features.instalments(), bad.size());
    out.printf(Locale.ROOT, "Model: %s %s (sha256 %s...)%n", bundle.modelId(), bundle.modelVersion(),
        bundle.sha256().substring(0, 12));
    printScores(out, scores, portfolio.resolve("labels.arrow"), bundle);
    if (!Double.isNaN(gbdtAuc)) {
      out.printf(Locale.ROOT, "Companion model %s %s on the same suppliers: AUC %.3f%n", gbdt.modelId(),
          gbdt.modelVersion(), gbdtAuc);
    }
    out.printf(Locale.ROOT, "%nTimings: simulate %.1f s, features %.1f s, score %.1f s (%d %s).%n",
        (simulated - start) / 1e9, (featured - simulated) / 1e9, (done - featured) / 1e9, threads,
        threads == 1 ? "thread" : "threads");
    if (workDir != null) {
      out.println("Files (portfolio tables, features, scores, quarantine) are in " + dir);
    } else {
      deleteTree(dir);
      out.println("Pass --out DIR to keep the portfolio, feature and score files.");
    }
    return scored.rowsQuarantined() > 0 ? ExitCodes.QUARANTINED : ExitCodes.SUCCESS;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Whether each supplier of the simulator's label table defaulted within 12 months. */
  private static Map<String, Boolean> realisedDefaults(Path labelsFile) throws IOException {
    Map<String, Boolean> defaulted = new HashMap<>();
    try (TableReader r = TableReader.open(labelsFile, PortfolioTables.LABELS, io.chainscore.batch.io.BadRowHandler.STRICT)) {
      ColumnBatch batch = new ColumnBatch(PortfolioTables.LABELS, 65_536);
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          defaulted.put(batch.strings(0)[i], batch.booleans(2)[i]);
        }
      }
    }
    return defaulted;
  }

  /** AUC of a score file's PDs against the realised defaults; NaN when only one outcome occurs. */
  private static double auc(Path scores, Path labelsFile) throws IOException {
    Map<String, Boolean> defaulted = realisedDefaults(labelsFile);
    TableSchema schema = FeatureTableScoring.OUTPUT;
    List<Double> pds = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (TableReader r = TableReader.open(scores, schema, io.chainscore.batch.io.BadRowHandler.STRICT)) {
      ColumnBatch batch = new ColumnBatch(schema, 65_536);
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          pds.add(batch.doubles(3)[i]);
          labels.add(Boolean.TRUE.equals(defaulted.get(batch.strings(0)[i])) ? 1 : 0);
        }
      }
    }
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    long defaults = java.util.Arrays.stream(y).filter(v -> v == 1).count();
    return defaults == 0 || defaults == y.length ? Double.NaN
        : Discrimination.auc(pds.stream().mapToDouble(Double::doubleValue).toArray(), y);
  }

  /**
   * Grade table against realised defaults, AUC, and the most frequent first reason codes with their
   * customer-facing statements.
   */
  private static void printScores(PrintWriter out, Path scores, Path labelsFile, ModelBundle bundle) throws IOException {
    Map<String, Boolean> defaulted = realisedDefaults(labelsFile);
    TableSchema schema = FeatureTableScoring.OUTPUT;
    List<Double> pds = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    Map<String, long[]> byGrade = new TreeMap<>();
    Map<String, Long> topReason = new LinkedHashMap<>();
    try (TableReader r = TableReader.open(scores, schema, io.chainscore.batch.io.BadRowHandler.STRICT)) {
      ColumnBatch batch = new ColumnBatch(schema, 65_536);
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          double pd = batch.doubles(3)[i];
          int y = Boolean.TRUE.equals(defaulted.get(batch.strings(0)[i])) ? 1 : 0;
          pds.add(pd);
          labels.add(y);
          long[] g = byGrade.computeIfAbsent(batch.strings(4)[i], k -> new long[2]);
          g[0]++;
          g[1] += y;
          String reason = batch.strings(5)[i];
          if (reason != null && !reason.isEmpty()) {
            topReason.merge(reason, 1L, Long::sum);
          }
        }
      }
    }
    double[] pd = pds.stream().mapToDouble(Double::doubleValue).toArray();
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    out.printf(Locale.ROOT, "%n%-6s %9s %9s %9s%n", "grade", "suppliers", "defaults", "rate");
    for (Map.Entry<String, long[]> e : byGrade.entrySet()) {
      out.printf(Locale.ROOT, "%-6s %,9d %,9d %8.2f%%%n", e.getKey(), e.getValue()[0], e.getValue()[1],
          100.0 * e.getValue()[1] / e.getValue()[0]);
    }
    long defaults = java.util.Arrays.stream(y).filter(v -> v == 1).count();
    if (defaults == 0 || defaults == y.length) {
      out.println("AUC against the realised 12-month defaults: not defined (the sample has a single outcome)");
    } else {
      double auc = Discrimination.auc(pd, y);
      out.printf(Locale.ROOT, "AUC against the realised 12-month defaults: %.3f (Gini %.3f, KS %.3f)%n",
          auc, 2 * auc - 1, Discrimination.ks(pd, y));
    }
    out.println("Most frequent first reason codes (suppliers, statement):");
    // ties in count go to the code listed first in the bundle, so the list is the same on every run
    List<String> order = bundle.reasonCodes().stream().map(ModelBundle.ReasonCode::code).toList();
    topReason.entrySet().stream()
        .sorted(java.util.Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
            .thenComparingInt(e -> order.indexOf(e.getKey())))
        .limit(4)
        .forEach(e -> out.printf(Locale.ROOT, "  %-6s %,7d  %s%n", e.getKey(), e.getValue(),
            ExplanationJson.statement(bundle, e.getKey())));
  }
}

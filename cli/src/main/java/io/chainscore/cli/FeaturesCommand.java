package io.chainscore.cli;

import io.chainscore.batch.engine.FileSetCommit;
import io.chainscore.batch.engine.RunManifest;
import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.batch.io.OutputSpool;
import io.chainscore.features.engine.BadRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore features}: compute the standard supplier features of a portfolio. */
@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = {
      "Compute point-in-time supplier features from a portfolio's transactions.",
      "Reads the anchors, suppliers, invoices, loans and instalments tables from --transactions (each .csv, .arrow, .arrows or .parquet, as chainscore generate writes them) and writes one row per supplier: supplier_id, as_of_date and the standard features (docs/features.md)."
    })
final class FeaturesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--transactions", paramLabel = "DIR", description = "Portfolio directory of raw tables, as chainscore"
      + " generate writes them (required).")
  Path input;

  /** The name this option had before the flag convention (README, "Command line"); still accepted. */
  @Option(names = "--input", hidden = true, paramLabel = "DIR")
  void legacyInput(Path dir) {
    input = dir;
  }

  @Option(names = "--as-of", required = true, description = "As-of date, YYYY-MM-DD: nothing after it is seen.")
  LocalDate asOf;

  @Option(names = "--out", required = true, description = "Feature table to write (.csv, .arrow, .arrows, .parquet).")
  Path out;

  @Option(names = "--threads", defaultValue = "0", description = "Engine threads; 0 = all cores.")
  int threads;

  @Option(names = "--regions", split = ",", description = "Region codes in region_index order (default: the feature schema's dictionary, StandardFeatures.REGIONS).")
  List<String> regions;

  @Option(names = "--no-duplicate-check", description = "Skip the invoice-id duplicate check (saves its 8 bytes of native memory per invoice and the check's time).")
  boolean noDuplicateCheck;

  @Option(names = "--time-zone", paramLabel = "ZONE", description = "Read date columns stored as instants (timestamps"
      + " with a time zone: Spark's TIMESTAMP and INT96, pandas' tz-aware datetimes) as their dates in ZONE, e.g. UTC or"
      + " Europe/Berlin; without it such a column is refused.")
  java.time.ZoneId timeZone;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ThreadOption.resolve(spec, threads);   // refused before any work
    if (input == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--transactions=DIR'");
    }
    // the files of the run, checked before the lock and any work as score checks its own
    List<OutputFiles.RunFile> outputs = List.of(OutputFiles.RunFile.option("--out", out, "features.parquet"),
        OutputFiles.RunFile.derived("the quarantine", io.chainscore.batch.engine.BatchJob.sideFile(out, ".quarantine.csv")),
        OutputFiles.RunFile.derived("the manifest", manifestPath()));
    OutputFiles.refuseAsRunOutputs(outputs.subList(0, 1), outputs.subList(1, outputs.size()));
    List<OutputFiles.RunFile> tables = new ArrayList<>();
    for (Path table : PortfolioFeatures.tables(input)) {
      tables.add(OutputFiles.RunFile.inside("--transactions", input, "table", table));
    }
    OutputFiles.refuseClashes(tables, outputs);
    return OutputFiles.inDirectoryOf(out, () -> {
      // the quarantine too: feat.csv and feat.arrow share feat.quarantine.csv
      try (AutoCloseable lock = io.chainscore.batch.engine.OutputLock.acquireAll(List.of(out,
          io.chainscore.batch.engine.BatchJob.sideFile(out, ".quarantine.csv")), "chainscore features")) {
        return run();
      }
    });
  }

  private Path manifestPath() {
    return out.resolveSibling(out.getFileName() + ".manifest.json");
  }

  private Integer run() throws IOException {
    Instant started = Instant.now();
    Path quarantinePath = io.chainscore.batch.engine.BatchJob.sideFile(out, ".quarantine.csv");
    FileSetCommit commit = FileSetCommit.begin(out, overwrite);
    if (!overwrite) {
      OutputFiles.refuseExisting(out);
      if (Files.exists(quarantinePath)) {
        // shared with another output of this base name (f.csv and f.arrow, or a score table s.arrow):
        // name that run's manifest, as score does
        throw OutputFiles.alreadyExists(quarantinePath, OutputFiles.otherRunListing(quarantinePath, manifestPath(), out));
      }
    }
    int workers = ThreadOption.resolve(spec, threads);
    // The manifest records the files the computation reads, as it reads them: one per table.
    List<Path> tables = PortfolioFeatures.tables(input);
    // hashed for the manifest meanwhile, not after
    RunManifest.InputHashes hashes = RunManifest.InputHashes.start(tables);
    List<BadRecord> bad = new ArrayList<>();
    PortfolioFeatures.Options options = new PortfolioFeatures.Options(asOf, workers, !noDuplicateCheck,
        regions == null ? PortfolioFeatures.DEFAULT_REGIONS : List.copyOf(regions), timeZone);
    Progress progress = json || quiet ? null : new Progress(spec.commandLine().getErr(), "features: invoices", -1);
    RunManifest.PhaseClock clock = new RunManifest.PhaseClock();
    PortfolioFeatures.Result result;
    try {
      result = PortfolioFeatures.compute(input, options, bad::add, progress == null ? null : progress::update, clock);
    } catch (IOException | RuntimeException e) {
      hashes.cancel();
      throw e;
    }
    if (progress != null) {
      progress.finish(result.invoices());
    }
    // The table, its quarantine and the manifest are committed as one unit, the manifest last: a run
    // that dies before the end leaves the earlier run's files as they were, never a new table
    // beside an old manifest.
    try {
      return finish(started, commit, quarantinePath, hashes, options, result, bad, workers, clock);
    } catch (IOException | RuntimeException e) {
      hashes.cancel();
      commit.abandon();
      throw e;
    }
  }

  private Integer finish(Instant started, FileSetCommit commit, Path quarantinePath, RunManifest.InputHashes inputs,
      PortfolioFeatures.Options options, PortfolioFeatures.Result result, List<BadRecord> bad, int workers,
      RunManifest.PhaseClock clock) throws IOException {
    Path stagedOut = commit.stage(out);
    Path stagedQuarantine = commit.stage(quarantinePath);
    PortfolioFeatures.write(result, asOf, stagedOut);
    PortfolioFeatures.writeQuarantine(bad, stagedQuarantine);
    clock.end("write");

    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("as_of", asOf.toString());
    opts.put("regions", options.regions());
    opts.put("duplicate_check", options.checkDuplicateInvoices());
    if (timeZone != null) {
      opts.put("time_zone", timeZone.getId());
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put("suppliers", (long) result.supplierIds().size());
    rows.put("invoices", result.invoices());
    rows.put("instalments", result.instalments());
    rows.put("quarantined", result.quarantined());
    // each table's data rows read, and its refused rows as the quarantine's table column counts them
    PortfolioFeatures.readByTable(result).forEach((table, n) -> rows.put("read_" + table, n));
    PortfolioFeatures.refusedByTable(bad).forEach((table, n) -> rows.put("quarantined_" + table, n));
    RunManifest.Builder manifest = RunManifest.builder(ChainScoreCli.versionText(), "features", started)
        .threads(workers)
        .inputs(inputs.get())
        .options(opts)
        .output(out, stagedOut)
        .output(quarantinePath, stagedQuarantine)
        .rows(rows);
    // SHA-256 of every output file, and the wait for the inputs' (hashed while the features were computed).
    clock.end("fingerprint");
    double seconds = java.time.Duration.between(started, Instant.now()).toNanos() / 1e9;
    manifest.phases(clock.phases())
        .finish(Instant.now(), seconds)
        .write(commit.stage(manifestPath()));
    commit.commit();

    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> j = JsonOutput.object();
      j.put("out", out.toString());
      j.put("quarantine", quarantinePath.toString());
      j.put("rows", rows);
      j.put("seconds", seconds);
      JsonOutput.print(o, j);
      return bad.isEmpty() ? ExitCodes.SUCCESS : ExitCodes.QUARANTINED;
    }
    o.printf("Computed features of %,d suppliers from %,d invoices and %,d instalments in %.2f s: %s%n",
        result.supplierIds().size(), result.invoices(), result.instalments(), seconds, out);
    if (!bad.isEmpty()) {
      o.printf("Quarantined %,d rows: %s%n", bad.size(), quarantinePath);
      return ExitCodes.QUARANTINED;
    }
    return ExitCodes.SUCCESS;
  }

}

package io.chainscore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.engine.BatchJob;
import io.chainscore.batch.engine.BatchResult;
import io.chainscore.batch.engine.RunManifest;
import io.chainscore.batch.scoring.FeatureTableScoring;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore score}: score a feature table with a model bundle on the batch engine. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score a feature table with a model bundle.",
      "Writes supplier_id, as_of_date, score, pd, grade, reason_1..4, model_id, model_version",
      "per supplier in input order; unusable rows go to the quarantine file with the reason.",
      "Input and output formats follow the extensions: .csv, .arrow, .arrows, .parquet."
    })
final class ScoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", description = "Model bundle file, or a bundled model by name: smb-supply-chain-scorecard (the default) or smb-supply-chain-gbdt.")
  Path model;

  @Option(names = "--input", description = "Feature table: supplier_id and one column per model feature.")
  Path input;

  @Option(names = "--transactions", description = "Portfolio directory of raw tables instead of --input: features are"
      + " computed as of --as-of first (kept as <out base>.features.arrow), then scored.")
  Path transactions;

  @Option(names = "--no-duplicate-check", description = "With --transactions: skip the invoice-id duplicate check.")
  boolean noDuplicateCheck;

  @Option(names = "--out", required = true, description = "Score table to write.")
  Path out;

  @Option(names = "--as-of", required = true, description = "As-of date stamped on every score, YYYY-MM-DD.")
  LocalDate asOf;

  @Option(names = "--quarantine", description = "Quarantine table (default: <out base>.quarantine.csv).")
  Path quarantine;

  @Option(names = "--manifest", description = "Run manifest JSON (default: <out>.manifest.json).")
  Path manifest;

  @Option(names = "--threads", defaultValue = "0", description = "Worker threads; 0 = all cores.")
  int threads;

  @Option(names = "--chunk-rows", defaultValue = "65536", description = "Rows per chunk (default ${DEFAULT-VALUE}).")
  int chunkRows;

  @Option(names = "--max-bad-rows", defaultValue = "-1", description = "Stop when more rows are quarantined; -1 = no limit.")
  long maxBadRows;

  @Option(names = "--resume", description = "Continue an interrupted run from its last checkpoint.")
  boolean resume;

  @Option(names = "--overwrite", description = "Replace existing results (and discard an interrupted run).")
  boolean overwrite;

  @Option(names = "--exposures", description = "Exposures CSV (docs/portfolio-risk.md) to weight the summary by EAD.")
  Path exposures;

  @Option(names = "--baseline", description = "Directory of a previous score run: adds PSI, CSI, grade migration and the largest moves.")
  Path baseline;

  @Option(names = "--json", description = "Print the run summary as JSON.")
  boolean json;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  /** The scores and features files of a previous score run, from its manifest. */
  static Path[] baselineRun(Path dir) throws IOException {
    com.fasterxml.jackson.databind.JsonNode m = null;
    try (var files = java.nio.file.Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".manifest.json")).sorted().toList()) {
        com.fasterxml.jackson.databind.JsonNode candidate = new ObjectMapper().readTree(p.toFile());
        if ("score".equals(candidate.path("command").asText())) {
          m = candidate;
          break;
        }
      }
    }
    if (m == null) {
      throw new IllegalArgumentException(dir + " holds no run manifest (*.manifest.json) of a score run");
    }
    return new Path[] {locate(dir, m.path("outputs").path(0).path("path").asText()),
        locate(dir, m.path("inputs").path(0).path("path").asText())};
  }

  private static Path locate(Path dir, String recorded) {
    Path p = Path.of(recorded);
    if (java.nio.file.Files.exists(p)) {
      return p;
    }
    Path beside = dir.resolve(p.getFileName());
    if (java.nio.file.Files.exists(beside)) {
      return beside;
    }
    throw new IllegalArgumentException("the baseline run's file " + recorded + " is gone");
  }

  /** Computes the standard features of the portfolio in --transactions into a table beside --out. */
  private Path featuresFromTransactions() throws IOException {
    String name = out.getFileName().toString();
    String base = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    Path features = out.resolveSibling(base + ".features.arrow");
    if (Files.exists(features) && !overwrite && !resume) {
      throw new java.nio.file.FileAlreadyExistsException(features.toString(), null, "already exists; pass --overwrite to replace it");
    }
    java.util.List<io.chainscore.features.BadRecord> bad = new java.util.ArrayList<>();
    int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    io.chainscore.batch.features.PortfolioFeatures.Result result = io.chainscore.batch.features.PortfolioFeatures.compute(
        transactions, new io.chainscore.batch.features.PortfolioFeatures.Options(asOf, workers, !noDuplicateCheck,
            io.chainscore.batch.features.PortfolioFeatures.DEFAULT_REGIONS), bad::add);
    if (Files.exists(features)) {
      Files.delete(features);
    }
    io.chainscore.batch.features.PortfolioFeatures.write(result, asOf, features);
    if (!bad.isEmpty()) {
      spec.commandLine().getErr().printf("score: %,d transaction rows were bad and left out of the features;"
          + " run chainscore features to see them%n", bad.size());
    }
    return features;
  }

  @Override
  public Integer call() throws IOException, ModelFormatException {
    Instant started = Instant.now();
    Files.createDirectories(out.toAbsolutePath().getParent());
    if ((input == null) == (transactions == null)) {
      throw new IllegalArgumentException("give either --input (a feature table) or --transactions (a portfolio directory)");
    }
    if (transactions != null) {
      input = featuresFromTransactions();
    }
    ModelBundle bundle = ExplainCommand.loadModel(model);
    FeatureTableScoring processor = new FeatureTableScoring(bundle, asOf);
    int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    Progress progress = quiet || json ? null : new Progress(spec.commandLine().getErr(), "score", -1);
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("as_of", asOf.toString());
    options.put("chunk_rows", chunkRows);
    options.put("max_bad_rows", maxBadRows);
    BatchJob.Builder job = BatchJob.builder()
        .input(input, processor.inputSchema())
        .processor(processor)
        .output(out)
        .threads(workers)
        .chunkRows(chunkRows)
        .maxBadRows(maxBadRows)
        .resume(resume)
        .overwrite(overwrite)
        .progress(progress == null ? null : progress::update)
        .jobFingerprint(bundle.modelId() + "@" + bundle.modelVersion() + "#" + bundle.sha256() + " " + options);
    if (quarantine != null) {
      job.quarantine(quarantine);
    }
    BatchResult result = job.build().run();
    if (progress != null) {
      progress.finish(result.rowsRead());
    }
    boolean bundled = io.chainscore.models.DefaultModels.isShipped(model == null ? null : model.toString());
    Path manifestPath = manifest != null ? manifest : out.resolveSibling(out.getFileName() + ".manifest.json");
    RunManifest.builder(ChainScoreCli.versionText(), "score", started)
        .threads(result.threads())
        .input(input)
        .model(bundle, bundled ? null : model)
        .options(options)
        .output(result.output())
        .output(result.quarantine())
        .rows(RunManifest.rows(result))
        .finish(Instant.now(), result.elapsedNanos() / 1e9)
        .write(manifestPath);
    Map<String, Double> ead = null;
    if (exposures != null) {
      ead = new java.util.HashMap<>();
      for (io.chainscore.portfolio.Exposure e : io.chainscore.portfolio.PortfolioFiles.readExposures(exposures)) {
        ead.put(e.supplierId(), e.ead());
      }
    }
    Path[] previous = baseline == null ? null : baselineRun(baseline);
    Map<String, Object> summary = io.chainscore.batch.scoring.ScoreSummary.build(result.output(), ead, bundle, input,
        previous == null ? null : previous[0], previous == null ? null : previous[1]);
    Path summaryPath = out.resolveSibling(out.getFileName() + ".summary.json");
    io.chainscore.batch.scoring.ScoreSummary.write(summary, summaryPath);
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> j = JsonOutput.object();
      j.put("output", result.output().toString());
      j.put("quarantine", result.quarantine().toString());
      j.put("manifest", manifestPath.toString());
      j.put("summary", summaryPath.toString());
      j.put("rows", RunManifest.rows(result));
      j.put("seconds", result.elapsedNanos() / 1e9);
      JsonOutput.print(o, j);
    } else {
      o.printf("Scored %,d suppliers with %s %s in %.2f s (%d threads): %s%n", result.rowsWritten(),
          bundle.modelId(), bundle.modelVersion(), result.elapsedNanos() / 1e9, result.threads(), result.output());
      if (result.resumedFromRow() > 0) {
        o.printf("Resumed after input row %,d.%n", result.resumedFromRow());
      }
      if (result.rowsQuarantined() > 0) {
        o.printf("Quarantined %,d rows: %s%n", result.rowsQuarantined(), result.quarantine());
      }
      o.print(io.chainscore.batch.scoring.ScoreSummary.text(summary));
      o.println("Manifest: " + manifestPath + "; summary: " + summaryPath);
    }
    return result.rowsQuarantined() > 0 ? ExitCodes.QUARANTINED : ExitCodes.SUCCESS;
  }
}

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
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
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

  @Option(names = "--model", description = "Model bundle (JSON); default: the bundled smb-supply-chain-scorecard.")
  Path model;

  @Option(names = "--input", required = true, description = "Feature table: supplier_id and one column per model feature.")
  Path input;

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

  @Option(names = "--json", description = "Print the run summary as JSON.")
  boolean json;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Override
  public Integer call() throws IOException, ModelFormatException {
    Instant started = Instant.now();
    ModelBundle bundle = model == null ? io.chainscore.models.DefaultModels.scorecard() : ModelBundle.read(model);
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
    Map<String, String> modelInfo = new LinkedHashMap<>();
    modelInfo.put("id", bundle.modelId());
    modelInfo.put("version", bundle.modelVersion());
    modelInfo.put("sha256", bundle.sha256());
    modelInfo.put("file", model == null ? "bundled:" + bundle.modelId() : model.toString());
    Path manifestPath = manifest != null ? manifest : out.resolveSibling(out.getFileName() + ".manifest.json");
    RunManifest runManifest = new RunManifest(ChainScoreCli.versionText(), "score", started, Instant.now(),
        result.elapsedNanos() / 1e9, result.threads(),
        model == null ? List.of(RunManifest.FileEntry.of(input))
            : List.of(RunManifest.FileEntry.of(input), RunManifest.FileEntry.of(model)), modelInfo, options,
        List.of(RunManifest.FileEntry.of(result.output()), RunManifest.FileEntry.of(result.quarantine())),
        RunManifest.rows(result));
    runManifest.write(manifestPath);
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      o.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(Map.of(
          "output", result.output().toString(),
          "quarantine", result.quarantine().toString(),
          "manifest", manifestPath.toString(),
          "rows", RunManifest.rows(result),
          "seconds", result.elapsedNanos() / 1e9)));
    } else {
      o.printf("Scored %,d suppliers with %s %s in %.2f s (%d threads): %s%n", result.rowsWritten(),
          bundle.modelId(), bundle.modelVersion(), result.elapsedNanos() / 1e9, result.threads(), result.output());
      if (result.resumedFromRow() > 0) {
        o.printf("Resumed after input row %,d.%n", result.resumedFromRow());
      }
      if (result.rowsQuarantined() > 0) {
        o.printf("Quarantined %,d rows: %s%n", result.rowsQuarantined(), result.quarantine());
      }
      o.println("Manifest: " + manifestPath);
    }
    return result.rowsQuarantined() > 0 ? ExitCodes.QUARANTINED : ExitCodes.SUCCESS;
  }
}

package io.chainscore.batch.scoring;

import io.chainscore.batch.engine.BatchJob;
import io.chainscore.batch.engine.ChunkProcessor;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.tables.TableSchema;
import io.chainscore.scoring.ModelBundle;
import java.nio.file.Path;
import java.time.LocalDate;

/** Child process of the kill -9 test: scores a feature table with the real processor, slowed per chunk. */
public final class KillableScoreMain {
  private KillableScoreMain() {}

  public static void main(String[] args) throws Exception {
    ModelBundle bundle = ModelBundle.read(Path.of(args[0]));
    FeatureTableScoring scoring = new FeatureTableScoring(bundle, LocalDate.parse("2025-06-30"));
    long delay = Long.parseLong(args[4]);
    ChunkProcessor slowed = new ChunkProcessor() {
      @Override
      public TableSchema outputSchema() {
        return scoring.outputSchema();
      }

      @Override
      public void process(ColumnBatch in, OutputRows out, Quarantine quarantine) {
        scoring.process(in, out, quarantine);
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    job(bundle, Path.of(args[1]), Path.of(args[2]), slowed, Boolean.parseBoolean(args[3])).run();
  }

  static BatchJob job(ModelBundle bundle, Path input, Path output, ChunkProcessor processor, boolean resume) {
    return BatchJob.builder()
        .input(input, new FeatureTableScoring(bundle, LocalDate.parse("2025-06-30")).inputSchema())
        .processor(processor)
        .output(output)
        .chunkRows(2_000)
        .checkpointEvery(2)
        .threads(2)
        .resume(resume)
        .jobFingerprint(bundle.sha256())
        .build();
  }
}

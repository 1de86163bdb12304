package io.chainscore.bench.batch;

import io.chainscore.batch.engine.BatchJob;
import io.chainscore.batch.engine.BatchResult;
import io.chainscore.batch.engine.ChunkProcessor;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.tables.TableSchema;
import io.chainscore.batch.scoring.FeatureTableScoring;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Scoring a precomputed feature table against the I/O floor, in the same run: the batch engine
 * reading the same Arrow feature table and writing the same score table layout with a processor
 * that copies the supplier id and fills constants (no scoring), versus the real scorer.
 *
 * <p>Run (features from {@code chainscore features}, e.g. 1M suppliers):
 * {@code java -Xmx2g --add-opens=java.base/java.nio=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * io.chainscore.bench.batch.ScoringIoFloorRunner FEATURES.arrow OUT_DIR 3}
 */
public final class ScoringIoFloorRunner {
  private ScoringIoFloorRunner() {}

  public static void main(String[] args) throws Exception {
    Path features = Path.of(args[0]);
    Path dir = Files.createDirectories(Path.of(args[1]));
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    ModelBundle bundle = DefaultModels.scorecard();
    LocalDate asOf = LocalDate.of(2025, 6, 30);
    FeatureTableScoring scoring = new FeatureTableScoring(bundle, asOf);
    int day = (int) asOf.toEpochDay();
    ChunkProcessor copy = new ChunkProcessor() {
      @Override
      public TableSchema outputSchema() {
        return FeatureTableScoring.OUTPUT;
      }

      @Override
      public void process(ColumnBatch in, OutputRows out, Quarantine quarantine) {
        ColumnBatch o = out.batch();
        for (int r = 0; r < in.size(); r++) {
          int slot = o.size();
          o.strings(0)[slot] = in.strings(0)[r];
          o.dates(1)[slot] = day;
          o.doubles(2)[slot] = 600;
          o.doubles(3)[slot] = 0.02;
          o.strings(4)[slot] = "4";
          for (int k = 5; k < 9; k++) {
            o.strings(k)[slot] = k == 5 ? "R01" : null;
          }
          o.strings(9)[slot] = "m";
          o.strings(10)[slot] = "1";
          out.append(r);
        }
      }
    };
    double bestCopy = Double.MAX_VALUE;
    double bestScore = Double.MAX_VALUE;
    long rows = 0;
    for (int i = 0; i < repeats; i++) {
      bestCopy = Math.min(bestCopy, run(features, dir.resolve("copy.arrow"), scoring, copy));
      BatchResult[] last = new BatchResult[1];
      double t = run(features, dir.resolve("scores.arrow"), scoring, scoring, last);
      bestScore = Math.min(bestScore, t);
      rows = last[0].rowsWritten();
    }
    System.out.printf(Locale.ROOT, "rows %,d; I/O floor (read + copy + write) best %.2f s; scoring best %.2f s;"
        + " ratio %.2fx; %,.0f rows/s scored%n", rows, bestCopy, bestScore, bestScore / bestCopy, rows / bestScore);
  }

  private static double run(Path in, Path out, FeatureTableScoring schemaSource, ChunkProcessor processor) throws Exception {
    return run(in, out, schemaSource, processor, new BatchResult[1]);
  }

  private static double run(Path in, Path out, FeatureTableScoring schemaSource, ChunkProcessor processor,
      BatchResult[] result) throws Exception {
    long start = System.nanoTime();
    result[0] = BatchJob.builder().input(in, schemaSource.inputSchema()).processor(processor).output(out)
        .threads(2).overwrite(true).build().run();
    return (System.nanoTime() - start) / 1e9;
  }
}

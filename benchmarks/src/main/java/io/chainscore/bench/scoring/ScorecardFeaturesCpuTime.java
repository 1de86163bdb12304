package io.chainscore.bench.scoring;

import io.chainscore.features.FeatureSchema;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import java.io.FileInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;

/**
 * Rows per CPU-second of {@code Scorer.scoreBatch} with the bundled default scorecard on real
 * feature rows: the first N rows of a feature table that {@code chainscore features} or {@code
 * chainscore demo} wrote (Arrow IPC), scored as one batch of N rows, with or without the top four
 * reason codes. {@link ScorecardCpuTime} scores uniform random rows; this one scores the rows a
 * nightly run sees, whose reason-code totals are not uniform, so the ranking's branches behave as
 * they would in production.
 *
 * <p>Run: {@code java --add-opens=java.base/java.nio=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * io.chainscore.bench.scoring.ScorecardFeaturesCpuTime FEATURES.arrow 65536 reasons|points}
 */
public final class ScorecardFeaturesCpuTime {
  private ScorecardFeaturesCpuTime() {}

  /** Arguments: the feature table, the batch size, "reasons" or "points". */
  public static void main(String[] a) throws Exception {
    ModelBundle bundle = DefaultModels.scorecard();
    FeatureSchema schema = bundle.schema();
    int width = schema.size();
    int n = Integer.parseInt(a[1]);
    boolean reasons = a[2].equals("reasons");
    double[] rows = new double[n * width];
    int read = 0;
    try (RootAllocator allocator = new RootAllocator();
        FileInputStream in = new FileInputStream(a[0]);
        ArrowFileReader reader = new ArrowFileReader(in.getChannel(), allocator)) {
      while (read < n && reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        int take = Math.min(root.getRowCount(), n - read);
        for (int j = 0; j < width; j++) {
          FieldVector vector = root.getVector(schema.feature(j).name());
          for (int r = 0; r < take; r++) {
            Object value = vector.isNull(r) ? null : vector.getObject(r);
            rows[(read + r) * width + j] = value == null ? Double.NaN
                : value instanceof Number number ? number.doubleValue() : schema.feature(j).categoryIndex(value.toString());
          }
        }
        read += take;
      }
    }
    if (read < n) {
      throw new IllegalArgumentException(a[0] + " holds " + read + " rows, fewer than the batch of " + n);
    }
    Scorer scorer = bundle.scorer();
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    int[] codes = reasons ? new int[n * 4] : null;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 8; round++) {
      long done = 0;
      long c0 = threads.getCurrentThreadCpuTime();
      while (threads.getCurrentThreadCpuTime() - c0 < 1_000_000_000L) {
        scorer.scoreBatch(rows, n, width, points, pd, grade, codes);
        done += n;
      }
      long c1 = threads.getCurrentThreadCpuTime();
      System.out.printf("round %d: %.1f M rows per CPU-second (%.1f ns/row)%n", round, done / ((c1 - c0) / 1e9) / 1e6,
          (c1 - c0) / (double) done);
    }
    long check = 0;
    for (double p : points) {
      check = Long.rotateLeft(check, 7) ^ Double.doubleToLongBits(p);
    }
    System.out.println("rows " + n + ", " + width + " features, points checksum " + Long.toHexString(check));
  }
}

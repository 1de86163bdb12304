package io.chainscore.bench.scoring;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * Rows per CPU-second of the 20-characteristic scorecard batch path, measured with the scoring
 * thread's CPU time so that other processes on a shared machine do not count against it (JMH
 * reports wall-clock time). Same bundle and rows as {@link ScorecardBenchmark}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.chainscore.bench.scoring.ScorecardCpuTime
 * 65536 [reasons|points [DISTINCT_ROWS]]}
 */
public final class ScorecardCpuTime {
  private ScorecardCpuTime() {}

  /**
   * Arguments: batch size; "reasons" to include reason codes (else "points"); optionally the
   * number of distinct rows, which the batch then repeats (to tell what the branch predictor
   * learns from repeated rows apart from what the cache holds).
   */
  public static void main(String[] a) throws Exception {
    Scorer s = ModelBundle.seal(ScorecardBenchmark.bundleJson()).scorer();
    int n = Integer.parseInt(a[0]); boolean reasons = a.length > 1 && a[1].equals("reasons");
    int distinct = a.length > 2 ? Integer.parseInt(a[2]) : n;
    SplittableRandom r = new SplittableRandom(2026);
    double[] rows = new double[n * 20];
    for (int i = 0; i < rows.length; i++) rows[i] = r.nextInt(20) == 0 ? Double.NaN : r.nextDouble(0, 100);
    if (distinct < n) { // the batch repeats its first rows: same memory traffic, fewer distinct rows
      for (int i = distinct * 20; i < rows.length; i++) rows[i] = rows[i % (distinct * 20)];
    }
    double[] p = new double[n], pd = new double[n]; int[] g = new int[n]; int[] rc = reasons ? new int[n * 4] : null;
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 8; round++) {
      long rowsDone = 0; long c0 = t.getCurrentThreadCpuTime();
      while (t.getCurrentThreadCpuTime() - c0 < 1_000_000_000L) { s.scoreBatch(rows, n, 20, p, pd, g, rc); rowsDone += n; }
      long c1 = t.getCurrentThreadCpuTime();
      System.out.printf("round %d: %.1f M rows per CPU-second (%.1f ns/row)%n", round, rowsDone / ((c1 - c0) / 1e9) / 1e6, (c1 - c0) / (double) rowsDone);
    }
  }
}

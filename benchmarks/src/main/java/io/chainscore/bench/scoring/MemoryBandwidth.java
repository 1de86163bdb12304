package io.chainscore.bench.scoring;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * One thread's read bandwidth on this machine, for the scorecard's memory bound: the sum of a
 * {@code double[]} read sequentially (four independent sums, so the adds do not limit it), by
 * thread CPU time, minimum over repetitions, for an array far beyond the caches (256 MB) and one
 * the size of a 65,536-row batch of 20 features (10.5 MB).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.chainscore.bench.scoring.MemoryBandwidth}
 */
public final class MemoryBandwidth {
  private MemoryBandwidth() {}

  public static void main(String[] a) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int doubles : new int[] {32 << 20, 65536 * 20}) {
      double[] x = new double[doubles];
      for (int i = 0; i < x.length; i++) {
        x[i] = i & 1023;
      }
      long best = Long.MAX_VALUE;
      double sink = 0;
      int passes = Math.max(1, (256 << 20) / (8 * doubles));
      for (int rep = 0; rep < 12; rep++) {
        long t0 = mx.getCurrentThreadCpuTime();
        for (int p = 0; p < passes; p++) {
          double s0 = 0;
          double s1 = 0;
          double s2 = 0;
          double s3 = 0;
          for (int i = 0; i + 3 < x.length; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
          }
          sink += s0 + s1 + s2 + s3;
        }
        long t1 = mx.getCurrentThreadCpuTime();
        if (rep >= 2) {
          best = Math.min(best, t1 - t0);
        }
      }
      double bytes = 8.0 * doubles * passes;
      System.out.printf("read %.1f MB array: %.2f GB/s per CPU-second (best of 10)%n", 8.0 * doubles / 1e6,
          bytes / best);
      System.err.println(sink);
    }
  }
}

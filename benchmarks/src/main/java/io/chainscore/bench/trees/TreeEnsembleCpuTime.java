package io.chainscore.bench.trees;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Random;
import ml.dmlc.xgboost4j.java.*;

/**
 * The work of {@link TreeEnsembleBenchmark} (10,000 rows, same model file and rows) timed by thread
 * CPU time, minimum over repetitions, for ChainScore and (with argument {@code xgb}) xgboost4j
 * nthread=1 in the same JVM. On the shared, loaded machine JMH's wall-clock errors exceed the
 * effects; CPU time excludes the time the thread waits for a core, so A/B comparisons and ratios
 * are stable to a few percent. Needs the cached model, so run the JMH benchmark once first, from the repository root.
 *
 * <p>Run: {@code OMP_NUM_THREADS=1 java -cp benchmarks/target/benchmarks.jar
 * io.chainscore.bench.trees.TreeEnsembleCpuTime xgb}
 */
public final class TreeEnsembleCpuTime {
  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  public static void main(String[] a) throws Exception {
    boolean xgb = a.length > 0 && a[0].equals("xgb");
    Path json = Path.of("target/bench-trees/xgb-300x6.json");
    CompiledModel m = XGBoostModelReader.read(json).compile();
    int n = 10000, F = 20;
    Random random = new Random(99);
    float[] xf = new float[n * F];
    for (int i = 0; i < xf.length; i++) xf[i] = random.nextInt(10) == 0 ? Float.NaN : (float) random.nextGaussian();
    double[] x = new double[xf.length];
    for (int i = 0; i < x.length; i++) x[i] = xf[i];
    double[] out = new double[n];
    double sink = 0;
    long bestBatch = Long.MAX_VALUE, bestSingle = Long.MAX_VALUE;
    for (int rep = 0; rep < 25; rep++) {
      long t0 = MX.getCurrentThreadCpuTime();
      m.margins(x, n, F, out);
      long t1 = MX.getCurrentThreadCpuTime();
      for (int r = 0; r < n; r++) sink += m.margin(x, r * F);
      long t2 = MX.getCurrentThreadCpuTime();
      if (rep >= 5) { bestBatch = Math.min(bestBatch, t1 - t0); bestSingle = Math.min(bestSingle, t2 - t1); }
    }
    System.out.printf("chainscore batch %.0f rows/s (%.1f ns/row)  single %.2f us/row%n", n / (bestBatch / 1e9), bestBatch / (double) n, bestSingle / 1e3 / n);
    if (xgb) {
      Booster b = XGBoost.loadModel(json.toString());
      b.setParam("nthread", 1);
      long bestEx = Long.MAX_VALUE, bestIn = Long.MAX_VALUE, bestOne = Long.MAX_VALUE;
      float[] one = new float[F];
      for (int rep = 0; rep < 8; rep++) {
        DMatrix d = new DMatrix(xf, n, F, Float.NaN);
        long t0 = MX.getCurrentThreadCpuTime();
        sink += b.predict(d, true)[0][0];
        long t1 = MX.getCurrentThreadCpuTime();
        d.dispose();
        long t2 = MX.getCurrentThreadCpuTime();
        DMatrix d2 = new DMatrix(xf, n, F, Float.NaN);
        sink += b.predict(d2, true)[0][0];
        d2.dispose();
        long t3 = MX.getCurrentThreadCpuTime();
        for (int r = 0; r < 2000; r++) {
          System.arraycopy(xf, r * F, one, 0, F);
          DMatrix s = new DMatrix(one, 1, F, Float.NaN);
          sink += b.predict(s, true)[0][0];
          s.dispose();
        }
        long t4 = MX.getCurrentThreadCpuTime();
        if (rep >= 2) { bestEx = Math.min(bestEx, t1 - t0); bestIn = Math.min(bestIn, t3 - t2); bestOne = Math.min(bestOne, t4 - t3); }
      }
      System.out.printf("xgboost   excluded %.0f rows/s  included %.0f rows/s  single(DMatrix) %.2f us/row%n", n / (bestEx / 1e9), n / (bestIn / 1e9), bestOne / 1e3 / 2000);
      System.out.printf("ratios: batch excl %.2fx incl %.2fx single %.1fx%n", bestEx / (double) bestBatch, bestIn / (double) bestBatch, (bestOne / 2000.0) / (bestSingle / (double) n));
    }
    System.err.println(sink); // keeps the results alive
  }
}

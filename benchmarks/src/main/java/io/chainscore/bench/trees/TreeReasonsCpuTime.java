package io.chainscore.bench.trees;

import io.chainscore.features.FeatureSchema;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import io.chainscore.scoring.spi.BundleBuilder;
import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.spi.TreeEnsembleView;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Tree reason codes and the tree batch path as users run them, against xgboost4j 3.4 in the same
 * JVM, by thread CPU time (the machine is shared: waiting for a core does not count), in
 * alternating rounds, minimum and median per measurement. Model: the 300-tree depth-6 XGBoost
 * model of {@link TreeEnsembleBenchmark} (its cached JSON), wrapped into a bundle with one reason
 * code per feature and no feature policies that change a row (so every row is scored).
 *
 * <ul>
 *   <li>{@code shap}: per-feature contributions of {@code shapRows} rows: ChainScore's batch call
 *       ({@code CompiledModel.contributions} over rows, the block tables), its per-row call (the
 *       path single rows take, and every row took before), xgboost4j {@code predictContrib} (exact,
 *       nthread=1, DMatrix built outside the timed call); and {@code Scorer.scoreBatch} with reason
 *       codes (margins, contributions, per-code totals, ranking) on the same rows.
 *   <li>{@code scores}: {@code Scorer.scoreBatch} without reason codes on {@code batchRows} rows
 *       (policies, margins from the 64-row mask path, points, PD, grade), the bare mask kernel
 *       ({@code CompiledModel.margins}), and xgboost4j {@code predict(outputMargin)} on the same
 *       rows (DMatrix outside).
 * </ul>
 *
 * <p>Run (from the repository root, after the JMH tree benchmark has cached the model):
 * {@code OMP_NUM_THREADS=1 java -cp benchmarks/target/benchmarks.jar
 * io.chainscore.bench.trees.TreeReasonsCpuTime [shapRows [batchRows [rounds]]]} (defaults 2048,
 * 65536, 5).
 */
public final class TreeReasonsCpuTime {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static final int F = TreeEnsembleBenchmark.FEATURES;

  private TreeReasonsCpuTime() {}

  public static void main(String[] a) throws Exception {
    int shapRows = a.length > 0 ? Integer.parseInt(a[0]) : 2048;
    int batchRows = a.length > 1 ? Integer.parseInt(a[1]) : 65536;
    int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 5;
    Path json = TreeEnsembleBenchmark.model(TreeEnsembleBenchmark.TREES, TreeEnsembleBenchmark.DEPTH);
    TreeEnsemble ensemble = XGBoostModelReader.read(json);
    CompiledModel compiled = ensemble.compile();
    Scorer scorer = bundle(ensemble).scorer();
    Booster booster = XGBoost.loadModel(json.toString());
    booster.setParam("nthread", 1);

    float[] shapFloat = TreeEnsembleBenchmark.rows(shapRows, 101);
    double[] shapX = widen(shapFloat);
    float[] batchFloat = TreeEnsembleBenchmark.rows(batchRows, 202);
    double[] batchX = widen(batchFloat);
    double[] margins = new double[Math.max(shapRows, batchRows)];
    double[] phi = new double[shapRows * F];
    double[] one = new double[F];
    double[] points = new double[Math.max(shapRows, batchRows)];
    double[] pd = new double[points.length];
    int[] grade = new int[points.length];
    int[] codes = new int[4 * shapRows];

    // agreement before timing: contributions against xgboost4j, batch call against per-row call
    compiled.margins(shapX, shapRows, F, margins);
    compiled.contributions(shapX, shapRows, F, margins, phi);
    DMatrix check = new DMatrix(shapFloat, shapRows, F, Float.NaN);
    float[][] expected = booster.predictContrib(check, 0);
    check.dispose();
    for (int r = 0; r < shapRows; r++) {
      compiled.contributions(shapX, r * F, one, margins[r]);
      for (int f = 0; f < F; f++) {
        if (Double.doubleToRawLongBits(one[f]) != Double.doubleToRawLongBits(phi[r * F + f])) {
          throw new IllegalStateException("row " + r + " feature " + f + ": batch " + phi[r * F + f] + " row " + one[f]);
        }
        if (Math.abs(phi[r * F + f] - expected[r][f]) > 1e-4 * (1 + Math.abs(expected[r][f]))) {
          throw new IllegalStateException("row " + r + " feature " + f + ": chainscore " + phi[r * F + f]
              + " xgboost " + expected[r][f]);
        }
      }
    }

    String[] names = {"chainscore contributions, batch call (us/row)", "chainscore contributions, per-row call (us/row)",
        "xgboost4j predictContrib (us/row)", "chainscore scoreBatch with reason codes (us/row)",
        "chainscore scoreBatch, no reason codes (ns/row)", "chainscore margins kernel, mask path (ns/row)",
        "xgboost4j predict outputMargin (ns/row)"};
    double[][] per = new double[names.length][rounds];
    double sink = 0;
    for (int round = -1; round < rounds; round++) { // round -1 warms up
      long t0 = MX.getCurrentThreadCpuTime();
      compiled.contributions(shapX, shapRows, F, margins, phi);
      long t1 = MX.getCurrentThreadCpuTime();
      int perRowRows = Math.min(shapRows, 256);
      for (int r = 0; r < perRowRows; r++) {
        sink += compiled.contributions(shapX, r * F, one, margins[r]);
      }
      long t2 = MX.getCurrentThreadCpuTime();
      DMatrix d = new DMatrix(shapFloat, shapRows, F, Float.NaN);
      long t3 = MX.getCurrentThreadCpuTime();
      sink += booster.predictContrib(d, 0)[0][0];
      long t4 = MX.getCurrentThreadCpuTime();
      d.dispose();
      long t5 = MX.getCurrentThreadCpuTime();
      scorer.scoreBatch(shapX, shapRows, F, points, pd, grade, codes);
      long t6 = MX.getCurrentThreadCpuTime();
      scorer.scoreBatch(batchX, batchRows, F, points, pd, grade, null);
      long t7 = MX.getCurrentThreadCpuTime();
      compiled.margins(batchX, batchRows, F, margins);
      long t8 = MX.getCurrentThreadCpuTime();
      DMatrix b = new DMatrix(batchFloat, batchRows, F, Float.NaN);
      long t9 = MX.getCurrentThreadCpuTime();
      sink += booster.predict(b, true)[0][0];
      long t10 = MX.getCurrentThreadCpuTime();
      b.dispose();
      sink += phi[0] + points[0] + margins[0] + codes[0];
      if (round >= 0) {
        per[0][round] = (t1 - t0) / 1e3 / shapRows;
        per[1][round] = (t2 - t1) / 1e3 / perRowRows;
        per[2][round] = (t4 - t3) / 1e3 / shapRows;
        per[3][round] = (t6 - t5) / 1e3 / shapRows;
        per[4][round] = (t7 - t6) / (double) batchRows;
        per[5][round] = (t8 - t7) / (double) batchRows;
        per[6][round] = (t10 - t9) / (double) batchRows;
      }
    }
    System.out.printf("model 300 trees depth 6, %d SHAP rows, %d batch rows, %d rounds (thread CPU time)%n", shapRows,
        batchRows, rounds);
    double[] min = new double[names.length];
    double[] median = new double[names.length];
    for (int i = 0; i < names.length; i++) {
      double[] v = per[i].clone();
      Arrays.sort(v);
      min[i] = v[0];
      median[i] = v[v.length / 2];
      System.out.printf("%-52s min %10.2f  median %10.2f  rounds %s%n", names[i], min[i], median[i],
          Arrays.toString(Arrays.stream(per[i]).map(x -> Math.round(x * 100) / 100.0).toArray()));
    }
    System.out.printf("ratios (xgboost4j / chainscore, min and median): contributions batch %.2fx / %.2fx; "
        + "scoreBatch with codes %.2fx / %.2fx; scoreBatch without codes vs predict %.2fx / %.2fx; "
        + "mask kernel vs predict %.2fx / %.2fx%n",
        min[2] / min[0], median[2] / median[0], min[2] / min[3], median[2] / median[3], min[6] / min[4],
        median[6] / median[4], min[6] / min[5], median[6] / median[5]);
    System.err.println(sink);
    booster.dispose();
  }

  private static double[] widen(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  /** The model as an imported bundle would hold it: one reason code per feature, unbounded features. */
  static ModelBundle bundle(TreeEnsemble ensemble) throws Exception {
    FeatureSchema schema = ensemble.defaultSchema();
    BundleBuilder b = BundleBuilder.create("bench-xgb-300x6", "1.0.0");
    for (int j = 0; j < schema.size(); j++) {
      String code = String.format("R%02d", j + 1);
      b.feature(BundleBuilder.Feature.of(schema.feature(j)).withReasonCode(code));
      b.reasonCode(code, "Contribution of " + schema.feature(j).name());
    }
    return b.scoreScale(20, 600, 50).model(new TreeEnsembleView(ensemble))
        .provenance(new ModelBundle.Provenance("2026-12-02T00:00:00Z", "0".repeat(64), "benchmark")).build();
  }
}

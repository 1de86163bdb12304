package io.chainscore.bench.gbdt;

import io.chainscore.develop.gbdt.GbdtTrainer;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.spi.CompiledModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Training speed of {@code GbdtTrainer} (engine xgboost) end to end against bare xgboost4j {@code
 * hist} with the same parameters and threads, in one JVM (start-up out on both), alternating rounds.
 *
 * <p>ChainScore side, timed: {@code GbdtTrainer.train(schema, double[] rows, labels)} = input
 * checks, the double-to-float handoff into a DMatrix, xgboost4j training, the JSON model export,
 * its import by the XGBoost reader, and the sealed bundle (golden rows re-scored, SHA-256 of the
 * training data). Bare side, timed: {@code new DMatrix(float[] ...)}, {@code setLabel}, {@code
 * XGBoost.train}, from a float[] prepared before the clock starts. After the rounds, the two
 * models' margins are compared on 2,000 rows (they are the same trees). Wall time and the
 * process's CPU time (all threads, native ones included) are both printed: on a shared machine the
 * CPU time is the steadier of the two.
 *
 * <p>Usage: {@code java -Xmx4g -cp benchmarks.jar io.chainscore.bench.gbdt.GbdtTrainingSpeed
 * [rows 1000000] [features 30] [trees 300] [depth 6] [threads 2] [rounds 3]}; {@code ... determinism
 * [rows] [features] [trees] [depth]} instead trains with 1, 2, 1 and 2 threads and prints each
 * bundle's SHA-256 and a SHA-256 of its margins on every training row.
 */
public final class GbdtTrainingSpeed {
  private GbdtTrainingSpeed() {}

  public static void main(String[] args) throws Exception {
    boolean determinism = args.length > 0 && args[0].equals("determinism");
    int o = determinism ? 1 : 0;
    int n = arg(args, o, 1_000_000);
    int p = arg(args, o + 1, 30);
    int trees = arg(args, o + 2, 300);
    int depth = arg(args, o + 3, 6);
    int threads = arg(args, o + 4, 2);
    int rounds = arg(args, o + 5, 3);
    List<FeatureSpec> specs = new ArrayList<>();
    for (int j = 0; j < p; j++) {
      specs.add(FeatureSpec.numeric("f" + j, "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "f" + j));
    }
    FeatureSchema schema = FeatureSchema.of(specs);
    double[] rows = new double[n * p];
    int[] labels = new int[n];
    SplittableRandom r = new SplittableRandom(20261202);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        double g = r.nextGaussian();
        // every third feature heavy-tailed (log-normal), 5% missing everywhere
        rows[i * p + j] = r.nextInt(20) == 0 ? Double.NaN : j % 3 == 0 ? Math.exp(1.5 * g) : g;
      }
      double z = -2 + 0.8 * nz(rows[i * p + 1]) - 0.5 * Math.log1p(nz(rows[i * p])) + 0.4 * nz(rows[i * p + 2])
          * nz(rows[i * p + 4]) + (Double.isNaN(rows[i * p + 5]) ? 0.7 : 0) + 0.3 * Math.sin(3 * nz(rows[i * p + 7]));
      labels[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    if (determinism) {
      // The provenance names the thread count, so the trees are compared through their margins.
      for (int t : new int[] {1, 2, 1, 2}) {
        GbdtTrainer.Result result = trainer(trees, depth, t).train(schema, rows, labels);
        CompiledModel compiled = result.fit().ensemble().compile(schema);
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < n; i++) {
          long bits = Double.doubleToLongBits(compiled.margin(rows, i * p));
          for (int b = 0; b < 8; b++) {
            md.update((byte) (bits >>> (8 * b)));
          }
        }
        System.out.printf(Locale.ROOT, "threads %d: bundle sha256 %s, sha256 of the %,d margins %s%n", t,
            result.bundle().sha256(), n, java.util.HexFormat.of().formatHex(md.digest()));
      }
      return;
    }
    float[] x = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      x[i] = (float) rows[i];
    }
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = labels[i];
    }
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("tree_method", "hist");
    params.put("max_depth", depth);
    params.put("eta", 0.1);
    params.put("subsample", 1.0);
    params.put("min_child_weight", 1.0);
    params.put("lambda", 1.0);
    params.put("max_bin", 256);
    params.put("nthread", threads);
    params.put("seed", 1);
    params.put("eval_metric", "logloss");
    params.put("verbosity", 0);
    params.put("verbose_eval", false);
    System.out.printf(Locale.ROOT, "%,d rows x %d features, %d trees depth %d, %d threads, %d alternating rounds%n",
        n, p, trees, depth, threads, rounds);
    double[] ours = new double[rounds];
    double[] bare = new double[rounds];
    double[] oursCpu = new double[rounds];
    double[] bareCpu = new double[rounds];
    GbdtTrainer.Result last = null;
    Booster lastBooster = null;
    for (int k = 0; k < rounds; k++) {
      long c0 = cpu();
      long t0 = System.nanoTime();
      last = trainer(trees, depth, threads).train(schema, rows, labels);
      ours[k] = (System.nanoTime() - t0) / 1e9;
      oursCpu[k] = (cpu() - c0) / 1e9;
      System.out.printf(Locale.ROOT, "round %d chainscore %.2f s wall, %.2f s process CPU%n", k, ours[k], oursCpu[k]);
      if (lastBooster != null) {
        lastBooster.dispose();
      }
      long c1 = cpu();
      long t1 = System.nanoTime();
      DMatrix m = new DMatrix(x, n, p, Float.NaN);
      m.setLabel(y);
      lastBooster = XGBoost.train(m, params, trees, new HashMap<>(), null, null);
      bare[k] = (System.nanoTime() - t1) / 1e9;
      bareCpu[k] = (cpu() - c1) / 1e9;
      m.dispose();
      System.out.printf(Locale.ROOT, "round %d xgboost4j  %.2f s wall, %.2f s process CPU%n", k, bare[k], bareCpu[k]);
    }
    int check = 2000;
    DMatrix probe = new DMatrix(Arrays.copyOf(x, check * p), check, p, Float.NaN);
    float[][] expected = lastBooster.predict(probe, true);
    CompiledModel compiled = last.fit().ensemble().compile(schema);
    int mismatches = 0;
    for (int i = 0; i < check; i++) {
      mismatches += (float) compiled.margin(rows, i * p) == expected[i][0] ? 0 : 1;
    }
    System.out.printf(Locale.ROOT, "margins differing from the bare booster on %d rows: %d%n", check, mismatches);
    System.out.printf(Locale.ROOT, "chainscore min %.2f median %.2f s; xgboost4j min %.2f median %.2f s;"
        + " ratio of medians %.3f, of minima %.3f%n", min(ours), median(ours), min(bare), median(bare),
        median(ours) / median(bare), min(ours) / min(bare));
    System.out.printf(Locale.ROOT, "process CPU: chainscore min %.2f median %.2f s; xgboost4j min %.2f median %.2f s;"
        + " ratio of medians %.3f%n", min(oursCpu), median(oursCpu), min(bareCpu), median(bareCpu),
        median(oursCpu) / median(bareCpu));
  }

  /** CPU time of the whole process (every Java and native thread, GC included), in ns. */
  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static GbdtTrainer trainer(int trees, int depth, int threads) {
    return GbdtTrainer.builder().engine(GbdtTrainer.Engine.XGBOOST).trees(trees).maxDepth(depth).shrinkage(0.1)
        .threads(threads).calibrationShare(0).build();
  }

  private static double nz(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  private static int arg(String[] args, int i, int dflt) {
    return args.length > i ? Integer.parseInt(args[i].replace("_", "")) : dflt;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}

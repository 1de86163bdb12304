package io.chainscore.bench.trees;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ChainScore's compiled tree evaluator against xgboost4j 3.4 on the same 300-tree, depth-6
 * binary:logistic model (trained once with xgboost4j on synthetic data with 10% missing values and
 * cached under {@code target/bench-trees/}), in the same JMH run: batch margins with xgboost4j's
 * DMatrix built outside and inside the measured call, and single-row latency (xgboost4j through a
 * one-row DMatrix and through {@code inplace_predict}). xgboost4j runs with {@code nthread=1}.
 *
 * <p>Run ({@code OMP_NUM_THREADS=1} keeps idle OpenMP workers of the xgboost4j native library from
 * spinning on the other core while ChainScore is measured; xgboost4j runs with nthread=1 anyway):
 * {@code mvn -o -q -Pbench -pl benchmarks -am package -DskipTests && OMP_NUM_THREADS=1 java -Djmh.ignoreLock=true
 * --add-opens=java.base/java.nio=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar
 * TreeEnsembleBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TreeEnsembleBenchmark {
  static final int FEATURES = 20;
  static final int TREES = 300;
  static final int DEPTH = 6;

  private static final int[] ALL_TREES = {0, 0};

  @Param({"1000", "10000", "65536"})
  public int batchSize;

  private Booster booster;
  private CompiledModel compiled;
  private float[] rowsFloat;
  private double[] rows;
  private double[] out;
  private DMatrix prebuilt;
  private float[] singleRow;
  private int cursor;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path json = model(TREES, DEPTH);
    booster = XGBoost.loadModel(json.toString());
    booster.setParam("nthread", 1);
    TreeEnsemble model = XGBoostModelReader.read(json);
    compiled = model.compile();
    rowsFloat = rows(batchSize, 99);
    rows = new double[rowsFloat.length];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = rowsFloat[i];
    }
    out = new double[batchSize];
    prebuilt = new DMatrix(rowsFloat, batchSize, FEATURES, Float.NaN);
    singleRow = new float[FEATURES];
    // The JIT must not see a constant row: check the evaluators agree once, bit for bit.
    float[][] expected = booster.predict(prebuilt, true);
    compiled.margins(rows, batchSize, FEATURES, out);
    for (int r = 0; r < batchSize; r++) {
      if (Float.floatToIntBits((float) out[r]) != Float.floatToIntBits(expected[r][0])) {
        throw new IllegalStateException("row " + r + ": chainscore " + out[r] + " xgboost " + expected[r][0]);
      }
    }
  }

  /**
   * The cached XGBoost JSON model of {@code trees} trees of depth {@code depth}, trained on first
   * use (fixed seeds, so the same model every time).
   */
  static Path model(int trees, int depth) throws Exception {
    Path dir = Path.of("target", "bench-trees");
    Files.createDirectories(dir);
    Path json = dir.resolve("xgb-" + trees + "x" + depth + ".json");
    if (!Files.exists(json)) {
      train(json, trees, depth);
    }
    return json;
  }

  /** Rows like the training rows (10% missing), from a fixed seed. */
  static float[] rows(int count, long seed) {
    Random random = new Random(seed);
    float[] rows = new float[count * FEATURES];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = random.nextInt(10) == 0 ? Float.NaN : (float) random.nextGaussian();
    }
    return rows;
  }

  private static void train(Path json, int trees, int depth) throws Exception {
    int n = 20_000;
    Random random = new Random(7);
    float[] x = new float[n * FEATURES];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int f = 0; f < FEATURES; f++) {
        float v = random.nextInt(10) == 0 ? Float.NaN : (float) random.nextGaussian();
        x[i * FEATURES + f] = v;
        if (!Float.isNaN(v)) {
          s += (f % 3 == 0 ? 1 : -0.5) * v + (f % 4 == 1 ? v * v * 0.3 : 0);
        }
      }
      y[i] = s + random.nextGaussian() > 0 ? 1 : 0;
    }
    DMatrix train = new DMatrix(x, n, FEATURES, Float.NaN);
    train.setLabel(y);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("max_depth", depth);
    params.put("eta", 0.1);
    params.put("nthread", 2);
    params.put("tree_method", "hist");
    params.put("min_child_weight", 0);
    params.put("seed", 1);
    Booster b = XGBoost.train(train, params, trees, new HashMap<>(), null, null);
    b.saveModel(json.toString());
    b.dispose();
    train.dispose();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    prebuilt.dispose();
    booster.dispose();
  }

  @Benchmark
  public double[] chainscoreBatch() {
    compiled.margins(rows, batchSize, FEATURES, out);
    return out;
  }

  /**
   * A DMatrix built before each call and freed after it, outside the measurement: XGBoost caches
   * the predictions of a DMatrix it has seen, so reusing one would time a cache lookup.
   */
  @State(Scope.Thread)
  public static class FreshMatrix {
    DMatrix matrix;

    @Setup(Level.Invocation)
    public void build(TreeEnsembleBenchmark bench) throws Exception {
      matrix = new DMatrix(bench.rowsFloat, bench.batchSize, FEATURES, Float.NaN);
    }

    @TearDown(Level.Invocation)
    public void free() {
      matrix.dispose();
    }
  }

  @Benchmark
  public float[][] xgboostBatchDMatrixExcluded(FreshMatrix fresh) throws Exception {
    return booster.predict(fresh.matrix, true);
  }

  @Benchmark
  public float[][] xgboostBatchDMatrixIncluded() throws Exception {
    DMatrix matrix = new DMatrix(rowsFloat, batchSize, FEATURES, Float.NaN);
    try {
      return booster.predict(matrix, true);
    } finally {
      matrix.dispose();
    }
  }

  @Benchmark
  public double chainscoreSingleRow() {
    int r = cursor;
    cursor = r + 1 == batchSize ? 0 : r + 1;
    return compiled.margin(rows, r * FEATURES);
  }

  @Benchmark
  public float[][] xgboostSingleRowDMatrix() throws Exception {
    int r = cursor;
    cursor = r + 1 == batchSize ? 0 : r + 1;
    System.arraycopy(rowsFloat, r * FEATURES, singleRow, 0, FEATURES);
    DMatrix matrix = new DMatrix(singleRow, 1, FEATURES, Float.NaN);
    try {
      return booster.predict(matrix, true);
    } finally {
      matrix.dispose();
    }
  }

  @Benchmark
  public float[][] xgboostSingleRowInplace() throws Exception {
    int r = cursor;
    cursor = r + 1 == batchSize ? 0 : r + 1;
    System.arraycopy(rowsFloat, r * FEATURES, singleRow, 0, FEATURES);
    return booster.inplace_predict(singleRow, 1, FEATURES, Float.NaN, ALL_TREES,
        Booster.PredictionType.kMargin, null);
  }
}

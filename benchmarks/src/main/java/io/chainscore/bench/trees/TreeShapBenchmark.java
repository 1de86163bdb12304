package io.chainscore.bench.trees;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.nio.file.Path;
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
 * Exact TreeSHAP contributions (what tree-ensemble reason codes are made of) for a batch of rows:
 * ChainScore's {@code CompiledModel.contributions} row by row and over the batch (the block
 * tables) against xgboost4j 3.4's {@code
 * predictContrib} (exact, {@code nthread=1}, the DMatrix built outside the measured call) in the
 * same JMH run, on XGBoost models of 300 trees of depth 3 and 6 trained as in {@link
 * TreeEnsembleBenchmark}. The set-up checks that both give the same contributions (to float
 * precision) on every row.
 *
 * <p>Run: {@code mvn -o -q -Pbench -pl benchmarks -am install -DskipTests && OMP_NUM_THREADS=1 java
 * -Djmh.ignoreLock=true --add-opens=java.base/java.nio=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar
 * TreeShapBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TreeShapBenchmark {
  private static final int FEATURES = TreeEnsembleBenchmark.FEATURES;

  @Param({"3", "6"})
  public int depth;

  /**
   * Rows per call. Not 65,536: at about 0.4 ms per row a call would take half a minute;
   * {@code TreeReasonsCpuTime} measures the Scorer at the engine's batch size.
   */
  @Param({"100", "2048"})
  public int batchSize;

  private Booster booster;
  private CompiledModel compiled;
  private float[] rowsFloat;
  private double[] rows;
  private double[] phi;
  private double[] margins;
  private double[] phiRows;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path json = TreeEnsembleBenchmark.model(TreeEnsembleBenchmark.TREES, depth);
    booster = XGBoost.loadModel(json.toString());
    booster.setParam("nthread", 1);
    TreeEnsemble model = XGBoostModelReader.read(json);
    compiled = model.compile();
    rowsFloat = TreeEnsembleBenchmark.rows(batchSize, 101);
    rows = new double[rowsFloat.length];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = rowsFloat[i];
    }
    phi = new double[FEATURES];
    margins = new double[batchSize];
    compiled.margins(rows, batchSize, FEATURES, margins);
    phiRows = new double[batchSize * FEATURES];
    DMatrix matrix = new DMatrix(rowsFloat, batchSize, FEATURES, Float.NaN);
    float[][] expected = booster.predictContrib(matrix, 0);
    matrix.dispose();
    for (int r = 0; r < batchSize; r++) {
      compiled.contributions(rows, r * FEATURES, phi);
      for (int f = 0; f < FEATURES; f++) {
        if (Math.abs(phi[f] - expected[r][f]) > 1e-4 * (1 + Math.abs(expected[r][f]))) {
          throw new IllegalStateException("row " + r + " feature " + f + ": chainscore " + phi[f] + " xgboost "
              + expected[r][f]);
        }
      }
    }
  }

  /** The batch call (block tables, rows a block at a time), as {@code Scorer.scoreBatch} makes it. */
  @Benchmark
  public double[] chainscoreContributionsBatch() {
    compiled.contributions(rows, batchSize, FEATURES, margins, phiRows);
    return phiRows;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    booster.dispose();
  }

  @Benchmark
  public double chainscoreContributions() {
    double bias = 0;
    for (int r = 0; r < batchSize; r++) {
      bias += compiled.contributions(rows, r * FEATURES, phi);
    }
    return bias + phi[0];
  }

  /** A DMatrix built before each call and freed after it, outside the measurement. */
  @State(Scope.Thread)
  public static class FreshMatrix {
    DMatrix matrix;

    @Setup(Level.Invocation)
    public void build(TreeShapBenchmark bench) throws Exception {
      matrix = new DMatrix(bench.rowsFloat, bench.batchSize, FEATURES, Float.NaN);
    }

    @TearDown(Level.Invocation)
    public void free() {
      matrix.dispose();
    }
  }

  @Benchmark
  public float[][] xgboostPredictContrib(FreshMatrix fresh) throws Exception {
    return booster.predictContrib(fresh.matrix, 0);
  }
}

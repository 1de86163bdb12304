package io.chainscore.bench.gbdt;

import io.chainscore.develop.gbdt.GbdtTrainer;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.spi.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import smile.classification.GradientTreeBoost;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.vector.IntVector;

/**
 * Scoring a Smile-trained model (200 trees of depth 6, at most 16 leaves, 20 features, 10%
 * missing values; trained once in the setup on 10,000 synthetic rows) with ChainScore's compiled
 * evaluator (batch margins into a caller-owned array) against Smile 2.6.0's own {@code
 * predict(Tuple, posteriori)} on pre-built tuples, in the same run. The margins are identical
 * (tested in {@code GbdtParityTest}); this measures speed only.
 *
 * <p>Run: {@code mvn -o -q -Pbench -pl benchmarks -am package -DskipTests && flock /work/wt/_bench.lock
 * java --add-opens=java.base/java.nio=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar SmileGbdtBenchmark
 * -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SmileGbdtBenchmark {
  static final int FEATURES = 20;

  @Param({"10000"})
  public int batchSize;

  private CompiledModel compiled;
  private GradientTreeBoost smile;
  private double[] rows;
  private double[] out;
  private Tuple[] tuples;
  private double[] posteriori;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    List<FeatureSpec> specs = new ArrayList<>();
    String[] names = new String[FEATURES];
    for (int j = 0; j < FEATURES; j++) {
      names[j] = "x" + j;
      specs.add(FeatureSpec.numeric(names[j], "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, names[j]));
    }
    FeatureSchema schema = FeatureSchema.of(specs);
    int trainRows = 10_000;
    double[] train = synthetic(trainRows, 5);
    int[] labels = new int[trainRows];
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < trainRows; i++) {
      double logit = -2;
      for (int j = 0; j < 5; j++) {
        double v = train[i * FEATURES + j];
        logit += Double.isNaN(v) ? 0.5 : (j % 2 == 0 ? v : v * v - 1);
      }
      labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
    GbdtTrainer.Fit fit = GbdtTrainer.builder().trees(200).maxDepth(6).maxNodes(16).nodeSize(20).shrinkage(0.05)
        .subsample(0.7).seed(1).calibrationShare(0).build().fit(schema, train, labels);
    compiled = fit.ensemble().compile(schema);
    smile = fit.smile();
    rows = synthetic(batchSize, 7);
    out = new double[batchSize];
    double[][] x = new double[batchSize][FEATURES];
    for (int i = 0; i < batchSize; i++) {
      System.arraycopy(rows, i * FEATURES, x[i], 0, FEATURES);
    }
    DataFrame frame = DataFrame.of(x, names).merge(IntVector.of("chainscore_target", new int[batchSize]));
    tuples = new Tuple[batchSize];
    for (int i = 0; i < batchSize; i++) {
      tuples[i] = frame.get(i);
    }
    posteriori = new double[2];
  }

  private static double[] synthetic(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] v = new double[n * FEATURES];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextInt(10) == 0 ? Double.NaN : random.nextGaussian();
    }
    return v;
  }

  /** ChainScore: batch margins of all rows. */
  @Benchmark
  public double[] chainscoreBatch() {
    compiled.margins(rows, batchSize, FEATURES, out);
    return out;
  }

  /** Smile: {@code predict(tuple, posteriori)} row by row (its only prediction path). */
  @Benchmark
  public double smilePredict() {
    double sum = 0;
    for (Tuple t : tuples) {
      smile.predict(t, posteriori);
      sum += posteriori[1];
    }
    return sum;
  }
}

package io.chainscore.bench.fitting;

import io.chainscore.bench.binning.SyntheticCharacteristics;
import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.binning.MonotonicTrend;
import io.chainscore.develop.binning.OptimalBinning;
import io.chainscore.develop.fit.LogisticFit;
import io.chainscore.develop.fit.LogisticRegression;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.spi.PointsScale;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Fitting a whole scorecard on 1,000,000 rows x 30 characteristics (issue 5: under a minute on 2
 * cores): {@link ScorecardTrainer#train} does the optimal binning of all 30 characteristics, the
 * selection (IV, WoE correlation), the IRLS logistic fit with wrong-sign/insignificant-term
 * refits, the VIF check, scaling to points and the sealed bundle with golden rows.
 *
 * <p>Reference points in the same run: {@code binAllColumns} (the 30 binnings alone, 2 threads)
 * and {@code logisticOnRawColumns} (one IRLS fit on the 30 raw columns, median-free: missing set
 * to 0), so the fit's time can be read as a multiple of its two big parts.
 *
 * <p>Data: deterministic (seed 20261129), 30 numeric characteristics with signal in the log-odds
 * (10 skewed amount-like, 10 with few distinct values, 10 continuous with noise), 2 % missing,
 * about 12 % events; generated in the trial setup, outside the measurement. Run with:
 *
 * <pre>
 * mvn -o -q -Pbench -pl benchmarks -am package -DskipTests
 * flock /work/wt/_bench.lock java --add-opens=java.base/java.nio=ALL-UNNAMED \
 *     -jar benchmarks/target/benchmarks.jar ScorecardFitBenchmark -f 1 -wi 1 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class ScorecardFitBenchmark {
  static final int ROWS = 1_000_000;
  static final int COLUMNS = 30;

  private FeatureSchema schema;
  private double[] rows;
  private double[][] columns;
  private int[] labels;
  private ScorecardTrainer trainer;

  @Setup(Level.Trial)
  public void generate() {
    SyntheticCharacteristics sample = SyntheticCharacteristics.generate(ROWS, COLUMNS, 20261129L, -2.6, 0.35);
    columns = sample.columns();
    labels = sample.labels();
    rows = sample.rowMajor();
    List<FeatureSpec> features = new ArrayList<>();
    for (int c = 0; c < COLUMNS; c++) {
      features.add(FeatureSpec.numeric(String.format("x%02d", c), "value", Double.NEGATIVE_INFINITY,
          Double.POSITIVE_INFINITY, "Synthetic characteristic " + c + "."));
    }
    schema = FeatureSchema.of(features);
    trainer = new ScorecardTrainer(ScorecardTrainer.Options.builder().modelId("bench-scorecard")
        .description("Benchmark scorecard.").scaling(new PointsScale(20, 600, 50)).minIv(0.02).maxCorrelation(0.7)
        .maxCharacteristics(15).minBinShare(0.03).maxBins(10).trainedAt("2026-11-29T00:00:00Z").trainer("bench")
        .build());
  }

  @Benchmark
  public ScorecardTrainer.Result fitScorecard() {
    return trainer.train(schema, rows, labels);
  }

  @Benchmark
  public List<BinningTable> binAllColumns() {
    return OptimalBinning.builder().trend(MonotonicTrend.AUTO).minBinShare(0.03).maxBins(10).build()
        .fitColumns(columns, labels, 2);
  }

  @Benchmark
  public LogisticFit logisticOnRawColumns() {
    double[][] x = new double[ROWS][COLUMNS];
    String[] names = new String[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) {
      names[c] = schema.feature(c).name();
    }
    for (int i = 0; i < ROWS; i++) {
      for (int c = 0; c < COLUMNS; c++) {
        double v = rows[i * COLUMNS + c];
        x[i][c] = Double.isNaN(v) ? 0 : c % 3 == 0 ? Math.log(v) : v;
      }
    }
    return LogisticRegression.maximumLikelihood().fit(names, x, labels);
  }
}

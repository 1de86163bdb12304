package io.chainscore.bench.scoring;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.Scorer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of a 20-characteristic scorecard: batch scoring (points, PD, grade; with and without
 * reason codes) and single-row latency. Rows: 20 numeric features, 6 intervals plus a missing bin
 * each, 5 % missing values. Batch results are nanoseconds per batch call: rows per second =
 * batchSize / (ns/op * 1e-9), and {@code gc.alloc.rate.norm} / batchSize is bytes per row.
 *
 * <p>Run: {@code mvn -o -q -Pbench -pl benchmarks -am package -DskipTests && java
 * --add-opens=java.base/java.nio=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar
 * ScorecardBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ScorecardBenchmark {
  static final int CHARACTERISTICS = 20;
  static final int BATCH = 65_536;

  @Param({"1024", "65536"})
  int batchSize;

  Scorer scorer;
  double[] rows;
  double[] points;
  double[] pd;
  int[] grade;
  int[] reasons;
  double[] oneRow;

  @Setup(Level.Trial)
  public void setUp() throws ModelFormatException {
    scorer = ModelBundle.seal(bundleJson()).scorer();
    rows = rows(BATCH);
    points = new double[BATCH];
    pd = new double[BATCH];
    grade = new int[BATCH];
    reasons = new int[BATCH * Scorer.REASON_CODES_PER_ROW];
    oneRow = new double[CHARACTERISTICS];
    for (int j = 0; j < CHARACTERISTICS; j++) {
      oneRow[j] = 10 + 4 * j;
    }
  }

  /** Points, PD and grade for a batch; no reason codes. */
  @Benchmark
  public double[] batchScores() {
    scorer.scoreBatch(rows, batchSize, CHARACTERISTICS, points, pd, grade, null);
    return pd;
  }

  /** Points, PD, grade and the top four reason codes for a batch. */
  @Benchmark
  public int[] batchScoresWithReasons() {
    scorer.scoreBatch(rows, batchSize, CHARACTERISTICS, points, pd, grade, reasons);
    return reasons;
  }

  /** One row through the convenience API (allocates its result). */
  @Benchmark
  public ScoreResult singleRow() {
    return scorer.score(oneRow);
  }

  /** A 20-characteristic scorecard bundle: intervals at 0, 10, 25, 50, 75 and a missing bin. */
  /** {@code count} rows of the benchmark's features from a fixed seed: 0 to 100, 5 % missing. */
  static double[] rows(int count) {
    SplittableRandom random = new SplittableRandom(2026);
    double[] rows = new double[count * CHARACTERISTICS];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = random.nextInt(20) == 0 ? Double.NaN : random.nextDouble(0, 100);
    }
    return rows;
  }

  static String bundleJson() {
    StringBuilder features = new StringBuilder();
    StringBuilder characteristics = new StringBuilder();
    StringBuilder codes = new StringBuilder();
    for (int j = 0; j < CHARACTERISTICS; j++) {
      String sep = j == 0 ? "" : ",";
      features.append(sep).append("{\"name\":\"f").append(j)
          .append("\",\"type\":\"numeric\",\"min\":0,\"max\":100,\"missing\":\"pass\",\"out_of_range\":\"clamp\"}");
      characteristics.append(sep).append("{\"name\":\"c").append(j).append("\",\"feature\":\"f").append(j)
          .append("\",\"reason_code\":\"R").append(j).append("\",\"bins\":[")
          .append("{\"range\":[null,10],\"points\":").append(2 + j % 3).append("},")
          .append("{\"range\":[10,25],\"points\":").append(5 + j % 4).append("},")
          .append("{\"range\":[25,50],\"points\":").append(9 + j % 2).append("},")
          .append("{\"range\":[50,75],\"points\":").append(12 + j % 5).append("},")
          .append("{\"range\":[75,90],\"points\":15},")
          .append("{\"range\":[90,null],\"points\":").append(18 + j % 3).append("},")
          .append("{\"missing\":true,\"points\":6}]}");
      codes.append(sep).append("{\"code\":\"R").append(j).append("\",\"text\":\"Characteristic ").append(j).append("\"}");
    }
    return "{\"format\":\"chainscore-model-bundle\",\"format_version\":1,\"model_id\":\"bench-20\",\"model_version\":\"1\","
        + "\"features\":[" + features + "],"
        + "\"score_scale\":{\"pdo\":20,\"base_score\":600,\"base_odds\":50},"
        + "\"model\":{\"kind\":\"scorecard\",\"base_points\":400,\"characteristics\":[" + characteristics + "]},"
        + "\"master_scale\":{\"grades\":[{\"grade\":\"1\",\"pd_upper\":0.0015,\"representative_pd\":0.0008},"
        + "{\"grade\":\"2\",\"pd_upper\":0.0025,\"representative_pd\":0.0019},{\"grade\":\"3\",\"pd_upper\":0.005,\"representative_pd\":0.0035},"
        + "{\"grade\":\"4\",\"pd_upper\":0.0075,\"representative_pd\":0.0061},{\"grade\":\"5\",\"pd_upper\":0.025,\"representative_pd\":0.0137},"
        + "{\"grade\":\"6\",\"pd_upper\":0.1,\"representative_pd\":0.05},{\"grade\":\"7\",\"pd_upper\":1,\"representative_pd\":0.3162},"
        + "{\"grade\":\"D\",\"default\":true}]},"
        + "\"reason_codes\":[" + codes + "],"
        + "\"provenance\":{\"trained_at\":\"2026-11-01T00:00:00Z\",\"training_data_sha256\":\""
        + "0".repeat(64) + "\",\"trainer\":\"benchmark\"}}";
  }
}

package io.chainscore.bench.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
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
 * What routing costs: {@link ScorecardBenchmark}'s 20-characteristic scorecard as a plain bundle
 * against the same scorecard in a segmented bundle of {@code segments} segments (routing on
 * {@code f0} into equal ranges; each segment the scorecard with its own base points), batch
 * scoring with and without reason codes. Same rows as ScorecardBenchmark (5 % missing, routed to
 * the missing value's segment by the first rule). ns per batch call; rows per second = batchSize /
 * (ns/op * 1e-9).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SegmentedScorecardBenchmark -f 1 -wi 2
 * -i 3 -w 2s -r 2s -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SegmentedScorecardBenchmark {
  @Param({"65536"})
  int batchSize;

  /** 1: the plain scorecard bundle; more: a segmented bundle of that many segments. */
  @Param({"1", "2", "4"})
  int segments;

  Scorer scorer;
  double[] rows;
  double[] points;
  double[] pd;
  int[] grade;
  int[] reasons;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String plain = ScorecardBenchmark.bundleJson();
    scorer = ModelBundle.seal(segments == 1 ? plain : segmented(plain, segments)).scorer();
    rows = ScorecardBenchmark.rows(batchSize);
    points = new double[batchSize];
    pd = new double[batchSize];
    grade = new int[batchSize];
    reasons = new int[batchSize * Scorer.REASON_CODES_PER_ROW];
  }

  /** The plain bundle's scorecard in {@code count} segments: f0 below 100 * (k + 1) / count goes to segment k. */
  static String segmented(String plain, int count) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = (ObjectNode) json.readTree(plain);
    ObjectNode card = (ObjectNode) doc.get("model");
    ObjectNode model = json.createObjectNode().put("kind", "segmented");
    ArrayNode list = model.putArray("segments");
    for (int k = 0; k < count; k++) {
      ObjectNode segment = list.addObject().put("name", "s" + k);
      ObjectNode own = card.deepCopy();
      own.put("base_points", card.get("base_points").asLong() + k);
      if (k < count - 1) {
        ObjectNode when = segment.putObject("when").put("feature", "f0").put("op", "<").put("value", 100.0 * (k + 1) / count);
        if (k == 0) {
          when.put("missing", "s0");
        }
      } else {
        segment.put("when", "otherwise");
      }
      segment.set("model", own);
    }
    doc.set("model", model);
    return doc.toString();
  }

  @Benchmark
  public double[] batchScores() {
    scorer.scoreBatch(rows, batchSize, ScorecardBenchmark.CHARACTERISTICS, points, pd, grade, null);
    return pd;
  }

  @Benchmark
  public int[] batchScoresWithReasons() {
    scorer.scoreBatch(rows, batchSize, ScorecardBenchmark.CHARACTERISTICS, points, pd, grade, reasons);
    return reasons;
  }
}

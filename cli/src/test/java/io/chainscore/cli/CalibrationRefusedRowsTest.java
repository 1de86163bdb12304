package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.develop.TabularData;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.RowRefusals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}'s PD calibration (--central-tendency, --master-scale fit:N) on training rows some
 * of which the trained bundle's policies refuse (every feature missing, beyond the default
 * max_missing_share 0.5): those rows have no PD, so the calibration is solved on the rows scored,
 * as train's figures leave the refused rows out, instead of stopping the run.
 */
class CalibrationRefusedRowsTest {
  @TempDir Path dir;
  private Path data;

  @BeforeEach
  void write() throws Exception {
    SplittableRandom random = new SplittableRandom(1808);
    StringBuilder b = new StringBuilder("x,region,bad\n");
    String[] regions = {"north", "south", "east", "west"};
    for (int i = 0; i < 3000; i++) {
      double x = random.nextGaussian();
      int region = random.nextInt(4);
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-(-1.5 + x + 0.3 * region))) ? 1 : 0;
      if (i % 40 == 0) {
        b.append(",,").append(bad).append('\n'); // every feature missing: refused when scored
      } else {
        b.append(String.format(Locale.ROOT, "%.4f,%s,%d%n", x, regions[region], bad));
      }
    }
    data = Files.writeString(dir.resolve("data.csv"), b);
  }

  /** The mean PD and the count of the CSV's rows the bundle scores (the refused left out). */
  private double[] meanOfScored(ModelBundle bundle) {
    TabularData table = TabularData.readCsv(data, "bad");
    double[] rows = ValidateCommand.rows(bundle.schema(), table, data);
    int n = table.rowCount();
    double[] pd = new double[n];
    RowRefusals refusals = new RowRefusals();
    bundle.scorer().scoreBatch(rows, n, bundle.schema().size(), new double[n], pd, new int[n], null, refusals);
    assertThat(refusals.count()).as("the rows with every feature missing").isEqualTo(75);
    double sum = 0;
    int scored = 0;
    for (double p : pd) {
      if (!Double.isNaN(p)) {
        sum += p;
        scored++;
      }
    }
    return new double[] {sum / scored, scored};
  }

  @Test
  void centralTendencyAndFittedScale_areSolvedOnTheRowsTheBundleScores_plainAndSegmented() throws Exception {
    for (boolean segmented : new boolean[] {false, true}) {
      Path out = dir.resolve(segmented ? "segmented.json" : "plain.json");
      String[] base = {"train", "--data", data.toString(), "--target", "bad", "--test-share", "0",
          "--central-tendency", "0.2", "--master-scale", "fit:4", "--out", out.toString()};
      String[] args = segmented ? concat(base, "--segment", "x<0|missing=low", "--segment", "otherwise=high") : base;
      CliRun run = CliRun.of(args);
      assertThat(run.code()).as(run.err()).isZero();
      double[] scored = meanOfScored(ModelBundle.read(out));
      assertThat(scored[0]).as(out.getFileName().toString()).isCloseTo(0.2, within(1e-9));
      JsonNode record = new ObjectMapper().readTree(out.toFile()).get("provenance").get("pd_calibration");
      assertThat(record.get("calibration_rows").asInt()).isEqualTo((int) scored[1]);
      assertThat(run.out()).contains(String.format(Locale.ROOT, "mean PD of the %,d training rows 0.200000",
          (int) scored[1]));
    }
  }

  private static String[] concat(String[] head, String... tail) {
    String[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }
}

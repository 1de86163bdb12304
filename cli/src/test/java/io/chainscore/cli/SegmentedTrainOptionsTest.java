package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.develop.TabularData;
import io.chainscore.scoring.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --segment} with the options that calibrate and grade (central tendency given or
 * from cohorts, fitted master scale), checked against references computed here from the CSV
 * and by re-scoring the rows.
 */
class SegmentedTrainOptionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROWS = 5000;

  @TempDir Path dir;
  private Path data;
  /** Per row of the CSV: tenure, year, label. */
  private final List<double[]> raw = new ArrayList<>();

  /** Thin files (tenure under 12) default on volume drops, seasoned on late days; both rise with the year. */
  @BeforeEach
  void data() throws Exception {
    SplittableRandom random = new SplittableRandom(31);
    StringBuilder b = new StringBuilder("supplier_id,year,tenure_months,late_days,volume_drop,sector,bad\n");
    String[] sectors = {"MANUFACTURING", "RETAIL", "FOOD"};
    for (int i = 0; i < ROWS; i++) {
      int year = 2021 + random.nextInt(4);
      int tenure = random.nextInt(4) == 0 ? random.nextInt(12) : 12 + random.nextInt(120);
      double late = random.nextDouble() * 40;
      double drop = random.nextDouble() * 2 - 1;
      double logit = (tenure < 12 ? -1.8 + 2.5 * drop : -5 + 0.08 * late) + 0.25 * (year - 2022);
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      b.append(String.format(Locale.ROOT, "S%05d,%d,%d,%.4f,%.4f,%s,%d%n", i, year, tenure, late, drop,
          sectors[random.nextInt(3)], bad));
      raw.add(new double[] {tenure, year, bad});
    }
    data = dir.resolve("data.csv");
    Files.writeString(data, b);
  }

  private Path train(String name, String... more) {
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--target", "bad", "--exclude",
        "supplier_id", "--segment", "tenure_months<12=thin_file", "--segment", "otherwise=seasoned", "--out",
        out.toString()));
    args.addAll(List.of(more));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    lastOut = run.out();
    return out;
  }

  /** PDs of every CSV row under the bundle. */
  private double[] pds(ModelBundle bundle) {
    TabularData table = TabularData.readCsv(data, "bad");
    double[] rows = ValidateCommand.rows(bundle.schema(), table, data);
    int n = table.rowCount();
    double[] pd = new double[n];
    bundle.scorer().scoreBatch(rows, n, bundle.schema().size(), new double[n], pd, new int[n], null);
    return pd;
  }

  private static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  private boolean thin(int row) {
    return raw.get(row)[0] < 12;
  }

  @Test
  void centralTendencyGiven_isMetByThePortfolio_withOneShiftForAllSegments() throws Exception {
    Path plain = train("plain.json", "--test-share", "0");
    Path calibrated = train("ct.json", "--test-share", "0", "--central-tendency", "0.05", "--rating-philosophy", "ttc");
    double[] before = pds(ModelBundle.read(plain));
    double[] after = pds(ModelBundle.read(calibrated));
    // every row is a training row: the mean calibrated PD over all of them is the target
    assertThat(java.util.Arrays.stream(after).average().orElseThrow()).isCloseTo(0.05, within(1e-9));
    // one logit shift for both segments, so each segment keeps its level relative to the other
    double shift = logit(after[0]) - logit(before[0]);
    assertThat(shift).isLessThan(0);
    double thinBefore = 0;
    double thinAfter = 0;
    int thinRows = 0;
    for (int i = 0; i < after.length; i++) {
      assertThat(logit(after[i]) - logit(before[i])).as("row %d", i).isCloseTo(shift, within(1e-9));
      if (thin(i)) {
        thinBefore += before[i];
        thinAfter += after[i];
        thinRows++;
      }
    }
    assertThat(thinAfter / thinRows).as("the thin files stay riskier than the portfolio")
        .isGreaterThan(0.05).isLessThan(thinBefore / thinRows);
    JsonNode provenance = JSON.readTree(calibrated.toFile()).get("provenance");
    JsonNode whole = provenance.get("pd_calibration");
    assertThat(whole.get("central_tendency").asDouble()).isEqualTo(0.05);
    assertThat(whole.get("central_tendency_source").asText()).isEqualTo("given");
    assertThat(whole.get("intercept_shift").asDouble()).isCloseTo(shift, within(1e-9));
    assertThat(whole.get("calibration_rows").asInt()).isEqualTo(ROWS);
    assertThat(whole.get("rating_philosophy").asText()).isEqualTo("ttc");
    for (JsonNode segment : provenance.get("segments")) {
      assertThat(segment.get("pd_calibration").get("intercept_shift").asDouble()).isCloseTo(shift, within(1e-9));
      assertThat(segment.get("pd_calibration").get("rating_philosophy").asText()).isEqualTo("ttc");
    }
  }

  @Test
  void centralTendencyFrom_eachSegmentMeetsItsOwnCohortsAverage_withItsOwnMargin() throws Exception {
    Path out = train("lradr.json", "--cohort", "year", "--test-cohort", "2024", "--central-tendency-from", "bad",
        "--margin-of-conservatism", "--json");
    // by hand: per segment, the default rate of each training year (2021-2023) on its own rows, their mean,
    // and the one-sided 90% upper bound with Student t on 2 df, 1.885618 (tables)
    long[][] n = new long[2][3];
    long[][] d = new long[2][3];
    for (int i = 0; i < raw.size(); i++) {
      int year = (int) raw.get(i)[1];
      if (year < 2024) {
        int s = thin(i) ? 0 : 1;
        n[s][year - 2021]++;
        d[s][year - 2021] += (int) raw.get(i)[2];
      }
    }
    ModelBundle bundle = ModelBundle.read(out);
    double[] pd = pds(bundle);
    JsonNode segments = JSON.readTree(out.toFile()).get("provenance").get("segments");
    assertThat(JSON.readTree(out.toFile()).get("provenance").has("pd_calibration"))
        .as("no portfolio record: each segment has its own central tendency").isFalse();
    double[] targets = new double[2];
    for (int s = 0; s < 2; s++) {
      double[] rates = new double[3];
      double average = 0;
      for (int y = 0; y < 3; y++) {
        rates[y] = (double) d[s][y] / n[s][y];
        average += rates[y] / 3;
      }
      double ss = 0;
      for (double r : rates) {
        ss += (r - average) * (r - average);
      }
      targets[s] = average + 1.885618 * Math.sqrt(ss / 2) / Math.sqrt(3);
      JsonNode record = segments.get(s).get("pd_calibration");
      assertThat(record.get("central_tendency_source").asText()).isEqualTo("cohort_average");
      assertThat(record.get("cohort_default_rates").get(1).asDouble()).isCloseTo(rates[1], within(1e-12));
      assertThat(record.get("long_run_average").asDouble()).isCloseTo(average, within(1e-12));
      assertThat(record.get("central_tendency").asDouble()).isCloseTo(targets[s], within(1e-6));
      // the mean calibrated PD of the segment's own training rows (years 2021-2023) is its target
      double sum = 0;
      int rows = 0;
      for (int i = 0; i < raw.size(); i++) {
        if (raw.get(i)[1] < 2024 && (thin(i) ? 0 : 1) == s) {
          sum += pd[i];
          rows++;
        }
      }
      // (the target itself within 1e-6 above: t is taken from tables to 6 digits)
      assertThat(sum / rows).as("segment %d", s).isCloseTo(record.get("central_tendency").asDouble(), within(1e-9));
    }
    assertThat(targets[0]).as("the thin files' long-run rate is their own, well above the seasoned")
        .isGreaterThan(2 * targets[1]);
  }

  @Test
  void masterScaleFit_isFittedOnAllSegmentsTogether_gradesHoldEqualSharesOfThePortfolio() throws Exception {
    Path out = train("fit.json", "--test-share", "0", "--central-tendency", "0.05", "--master-scale", "fit:5",
        "--json");
    ModelBundle bundle = ModelBundle.read(out);
    double[] pd = pds(bundle);
    JsonNode doc = JSON.readTree(out.toFile());
    JsonNode grades = doc.get("master_scale").get("grades");
    assertThat(grades).hasSize(6);
    // a direct count of the rows' PDs in each band [pd_upper(g-1), pd_upper(g))
    int[] count = new int[5];
    for (int i = 0; i < pd.length; i++) {
      double lower = 0;
      for (int g = 0; g < 5; g++) {
        double upper = grades.get(g).get("pd_upper").asDouble();
        if (pd[i] >= lower && (pd[i] < upper || g == 4)) {
          count[g]++;
          break;
        }
        lower = upper;
      }
    }
    // equal shares of the whole portfolio, within (2 L + 1) / n (L: the largest group of rows with one PD)
    java.util.Map<Double, Integer> ties = new java.util.HashMap<>();
    for (double v : pd) {
      ties.merge(v, 1, Integer::sum);
    }
    int largest = ties.values().stream().max(Integer::compare).orElseThrow();
    for (int g = 0; g < 5; g++) {
      assertThat((double) count[g] / ROWS).as("grade %d", g).isCloseTo(0.2, within((2.0 * largest + 1) / ROWS));
    }
    // the printed shares are the direct count
    JsonNode shares = JSON.readTree(lastOut).get("pd_calibration").get("grade_shares");
    for (int g = 0; g < 5; g++) {
      assertThat(shares.get(g).asDouble()).isCloseTo((double) count[g] / ROWS, within(1e-12));
    }
    // the scale is the equal-shares fit of all rows' calibrated PDs pooled, not of one segment's
    assertThat(bundle.masterScale().grades())
        .isEqualTo(io.chainscore.develop.scorecard.MasterScaleFit.equalShares(pd, 5).grades());
    double[] thinPds = java.util.stream.IntStream.range(0, ROWS).filter(this::thin).mapToDouble(i -> pd[i]).toArray();
    assertThat(bundle.masterScale().grades())
        .isNotEqualTo(io.chainscore.develop.scorecard.MasterScaleFit.equalShares(thinPds, 5).grades());
    // every segment's standalone bundle grades on the same scale
    for (ModelBundle.Segment s : bundle.segments()) {
      assertThat(s.bundle().masterScale().grades()).isEqualTo(bundle.masterScale().grades());
    }
    assertThat(doc.get("provenance").get("pd_calibration").get("master_scale").asText()).isEqualTo("fit:5");
  }

  @Test
  void centralTendencyPerSegment_eachSegmentsTrainingRowsMeetItsOwnGivenPd() throws Exception {
    Path plain = train("plain.json", "--test-share", "0");
    Path out = train("per-segment.json", "--test-share", "0", "--central-tendency",
        "seasoned=0.03, thin_file=0.12", "--master-scale", "fit:4", "--json");
    double[] before = pds(ModelBundle.read(plain));
    double[] after = pds(ModelBundle.read(out));
    double[] targets = {0.12, 0.03};
    double[] sum = new double[2];
    int[] rows = new int[2];
    double[] shift = {Double.NaN, Double.NaN};
    for (int i = 0; i < after.length; i++) {
      int s = thin(i) ? 0 : 1;
      sum[s] += after[i];
      rows[s]++;
      // within a segment one logit shift, its own
      if (Double.isNaN(shift[s])) {
        shift[s] = logit(after[i]) - logit(before[i]);
      }
      assertThat(logit(after[i]) - logit(before[i])).as("row %d", i).isCloseTo(shift[s], within(1e-9));
    }
    JsonNode provenance = JSON.readTree(out.toFile()).get("provenance");
    for (int s = 0; s < 2; s++) {
      // every row is a training row: the segment's mean re-scored PD over its rows is its given PD
      assertThat(sum[s] / rows[s]).as("segment %d", s).isCloseTo(targets[s], within(1e-9));
      JsonNode record = provenance.get("segments").get(s).get("pd_calibration");
      assertThat(record.get("central_tendency").asDouble()).isEqualTo(targets[s]);
      assertThat(record.get("central_tendency_source").asText()).isEqualTo("given");
      assertThat(record.get("intercept_shift").asDouble()).isCloseTo(shift[s], within(1e-9));
      assertThat(record.get("calibration_rows").asInt()).isEqualTo(rows[s]);
      assertThat(record.get("master_scale").asText()).isEqualTo("fit:4");
    }
    assertThat(shift[0]).as("each segment moved by its own shift").isNotCloseTo(shift[1], within(0.05));
    // no portfolio central tendency: the portfolio record holds the shared fitted scale only
    JsonNode whole = provenance.get("pd_calibration");
    assertThat(whole.has("central_tendency")).isFalse();
    assertThat(whole.get("master_scale").asText()).isEqualTo("fit:4");
    JsonNode printed = JSON.readTree(lastOut);
    for (int s = 0; s < 2; s++) {
      JsonNode cj = printed.get("segments").get(s).get("pd_calibration");
      assertThat(cj.get("central_tendency").asDouble()).isEqualTo(targets[s]);
      assertThat(cj.get("mean_pd").asDouble()).isCloseTo(targets[s], within(1e-9));
    }
  }

  @Test
  void badCentralTendencyPerSegment_oneLineNamingTheOptionAndSegment_exit2() {
    String[][] cases = {
        {"thin_file=0.02", "--central-tendency thin_file=0.02: segment seasoned has no central tendency"},
        {"thin_file=0.02,seasoned=0.05,retail=0.1", "--central-tendency thin_file=0.02,seasoned=0.05,retail=0.1:"
            + " no segment retail (--segment names thin_file, seasoned)"},
        {"thin_file=0.02,thin_file=0.03,seasoned=0.05", "--central-tendency thin_file=0.03: thin_file is given twice"
            + " (also as thin_file=0.02)"},
        {"thin_file=1,seasoned=0.05", "--central-tendency thin_file=1,seasoned=0.05: segment thin_file: '1' must be"
            + " a PD strictly between 0 and 1"},
        {"thin_file=0.02,seasoned=0", "--central-tendency thin_file=0.02,seasoned=0: segment seasoned: '0' must be"
            + " a PD strictly between 0 and 1"},
        {"thin_file=0.02,seasoned=abc", "--central-tendency thin_file=0.02,seasoned=abc: segment seasoned: 'abc'"
            + " must be a PD strictly between 0 and 1"},
        {"thin_file=0.02,0.05", "--central-tendency 0.05: expected NAME=PD for each segment, comma separated (e.g."
            + " thin_file=0.02)"},
        {"abc", "--central-tendency abc: must be a PD strictly between 0 and 1"}};
    for (String[] bad : cases) {
      List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--target", "bad", "--exclude",
          "supplier_id", "--segment", "tenure_months<12=thin_file", "--segment", "otherwise=seasoned", "--out",
          dir.resolve("bad.json").toString(), "--central-tendency", bad[0]));
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      List<String> errors = run.err().lines().filter(l -> l.startsWith("chainscore")).toList();
      assertThat(errors).as(run.err()).hasSize(1);
      assertThat(errors.get(0)).startsWith("chainscore: " + bad[1]);
      assertThat(run.err()).doesNotContain("Exception");
      assertThat(dir.resolve("bad.json")).doesNotExist();
    }
    // NAME=PD without segments
    CliRun plain = CliRun.of("train", "--data", data.toString(), "--target", "bad", "--exclude", "supplier_id",
        "--out", dir.resolve("bad.json").toString(), "--central-tendency", "thin_file=0.02");
    assertThat(plain.code()).isEqualTo(2);
    assertThat(plain.err().lines().filter(l -> l.startsWith("chainscore")).toList())
        .containsExactly("chainscore: --central-tendency thin_file=0.02: NAME=PD needs --segment (the segments named);"
            + " without segments give one PD, e.g. 0.03");
  }

  @Test
  void badCalibrationValuesWithSegments_oneLineExit2() {
    for (String[] bad : new String[][] {{"--master-scale", "fit:0"}, {"--central-tendency", "1.5"}}) {
      List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--target", "bad", "--exclude",
          "supplier_id", "--segment", "tenure_months<12=thin_file", "--segment", "otherwise=seasoned", "--out",
          dir.resolve("bad.json").toString()));
      args.addAll(List.of(bad));
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      List<String> errors = run.err().lines().filter(l -> l.startsWith("chainscore")).toList();
      assertThat(errors).hasSize(1);
      assertThat(errors.get(0)).contains(bad[0] + " " + bad[1] + ": ");
      assertThat(run.err()).doesNotContain("Exception");
      assertThat(dir.resolve("bad.json")).doesNotExist();
    }
  }

  private String lastOut;
}

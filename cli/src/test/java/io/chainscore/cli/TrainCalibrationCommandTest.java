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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}'s PD calibration (central tendency, margin of conservatism, rating philosophy),
 * master scales and points scale on German credit (../shared/data), checked by re-scoring the rows
 * and by hand formulas.
 */
class TrainCalibrationCommandTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();


  private CliRun last;

  private Path train(String name, String... extra) {
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("train", "--data", TestRuns.german().toString(), "--target", "creditability",
        "--event-label", "bad", "--seed", "7", "--out", out.toString()));
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    last = run;
    return out;
  }

  /** Points ([0]) and PDs ([1]) of every row of {@code file} under the bundle. */
  private static double[][] score(ModelBundle bundle, Path file, String eventLabel) {
    TabularData data = TabularData.readCsv(file, "creditability", eventLabel);
    double[] rows = ValidateCommand.rows(bundle.schema(), data, file);
    int n = data.rowCount();
    double[] points = new double[n];
    double[] pd = new double[n];
    bundle.scorer().scoreBatch(rows, n, bundle.schema().size(), points, pd, new int[n], null);
    return new double[][] {points, pd};
  }

  private static double mean(double[] v) {
    return java.util.Arrays.stream(v).average().orElseThrow();
  }

  @Test
  void centralTendency_meanPdOfTheTrainingRowsIsTheTarget_pointsUnchanged() throws Exception {
    Path plain = train("plain.json", "--test-share", "0");
    Path calibrated = train("ct.json", "--test-share", "0", "--central-tendency", "0.03", "--rating-philosophy", "ttc");
    double[][] before = score(ModelBundle.read(plain), TestRuns.german(), "bad");
    double[][] after = score(ModelBundle.read(calibrated), TestRuns.german(), "bad");
    // Every row is a training row (--test-share 0): CentralTendency's Newton solve stops at a step below 1e-14.
    assertThat(mean(after[1])).isCloseTo(0.03, within(1e-9));
    assertThat(mean(before[1])).as("uncalibrated: the sample's 30% bad rate").isCloseTo(0.3, within(0.01));
    assertThat(after[0]).as("points (and so the ranking) do not move").containsExactly(before[0]);
    // The shift is one constant on the log-odds: logit(after) - logit(before) is the same for every row.
    double shift = logit(after[1][0]) - logit(before[1][0]);
    for (int i = 0; i < before[1].length; i++) {
      assertThat(logit(after[1][i]) - logit(before[1][i])).isCloseTo(shift, within(1e-9));
    }
    JsonNode bundle = JSON.readTree(calibrated.toFile());
    assertThat(bundle.get("calibration").get("kind").asText()).isEqualTo("logistic");
    assertThat(bundle.get("calibration").get("slope").asDouble()).isEqualTo(1.0);
    assertThat(bundle.get("calibration").get("intercept").asDouble()).isCloseTo(shift, within(1e-9));
    JsonNode record = bundle.get("provenance").get("pd_calibration");
    assertThat(record.get("rating_philosophy").asText()).isEqualTo("ttc");
    assertThat(record.get("central_tendency").asDouble()).isEqualTo(0.03);
    assertThat(record.get("central_tendency_source").asText()).isEqualTo("given");
    assertThat(record.get("calibration_rows").asInt()).isEqualTo(1000);
    assertThat(record.get("intercept_shift").asDouble()).isCloseTo(shift, within(1e-9));
  }

  private static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  /** German credit with a year per row (i mod 4: 2019..2022) and a second 0/1 default flag equal to the target. */
  private Path germanWithCohorts() throws Exception {
    List<String> lines = Files.readAllLines(TestRuns.german());
    StringBuilder b = new StringBuilder(lines.get(0)).append(",year,bad_flag\n");
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      b.append(line).append(',').append(2019 + (i - 1) % 4).append(',').append(line.endsWith(",bad") ? 1 : 0).append('\n');
    }
    return Files.writeString(dir.resolve("german-years.csv"), b);
  }

  @Test
  void centralTendencyFromCohorts_withMarginOfConservatism_isTheUpperConfidenceBoundOfTheYearlyRates() throws Exception {
    Path data = germanWithCohorts();
    Path out = dir.resolve("lradr.json");
    CliRun run = CliRun.of("train", "--data", data.toString(), "--target", "creditability", "--event-label", "bad",
        "--cohort", "year", "--test-cohort", "2022", "--central-tendency-from", "bad_flag", "--margin-of-conservatism",
        "--rating-philosophy", "pit", "--out", out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    // Hand computation: the default rates of 2019, 2020 and 2021 (the training cohorts), their mean and
    // sample standard deviation, and the one-sided 90% Student t quantile with 2 df, 1.885618 (tables).
    List<String> lines = Files.readAllLines(data);
    long[] n = new long[3];
    long[] d = new long[3];
    for (String line : lines.subList(1, lines.size())) {
      int year = Integer.parseInt(line.substring(line.lastIndexOf(',', line.lastIndexOf(',') - 1) + 1, line.lastIndexOf(',')));
      if (year < 2022) {
        n[year - 2019]++;
        d[year - 2019] += line.endsWith(",1") ? 1 : 0;
      }
    }
    double[] rates = {(double) d[0] / n[0], (double) d[1] / n[1], (double) d[2] / n[2]};
    double average = (rates[0] + rates[1] + rates[2]) / 3;
    double ss = 0;
    for (double r : rates) {
      ss += (r - average) * (r - average);
    }
    double target = average + 1.885618 * Math.sqrt(ss / 2) / Math.sqrt(3);
    JsonNode record = JSON.readTree(out.toFile()).get("provenance").get("pd_calibration");
    assertThat(record.get("central_tendency_source").asText()).isEqualTo("cohort_average");
    assertThat(record.get("cohort_column").asText()).isEqualTo("year");
    assertThat(record.get("default_column").asText()).isEqualTo("bad_flag");
    assertThat(record.get("cohort_default_rates").get(0).asDouble()).isCloseTo(rates[0], within(1e-12));
    assertThat(record.get("cohort_default_rates").get(2).asDouble()).isCloseTo(rates[2], within(1e-12));
    assertThat(record.get("long_run_average").asDouble()).isCloseTo(average, within(1e-12));
    assertThat(record.get("margin_of_conservatism").get("method").asText()).isEqualTo("upper_confidence_bound");
    assertThat(record.get("margin_of_conservatism").get("level").asDouble()).isEqualTo(0.9);
    assertThat(record.get("central_tendency").asDouble()).isCloseTo(target, within(1e-6));
    assertThat(record.get("rating_philosophy").asText()).isEqualTo("pit");
    // The mean PD of the training cohorts' rows is the target.
    ModelBundle bundle = ModelBundle.read(out);
    // The same record through the runtime's typed view, against the same hand computation.
    ModelBundle.PdCalibrationRecord typed = bundle.pdCalibration().orElseThrow();
    assertThat(typed.ratingPhilosophy()).isEqualTo("pit");
    assertThat(typed.centralTendencySource()).isEqualTo("cohort_average");
    assertThat(typed.cohortColumn()).isEqualTo("year");
    assertThat(typed.defaultColumn()).isEqualTo("bad_flag");
    assertThat(typed.cohortDefaultRates()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(typed.cohortDefaultRates().get(i)).isCloseTo(rates[i], within(1e-12));
    }
    assertThat(typed.longRunAverage()).isCloseTo(average, within(1e-12));
    assertThat(typed.conservatismLevel()).isEqualTo(0.9);
    assertThat(typed.conservatismStandardError()).isCloseTo(Math.sqrt(ss / 2) / Math.sqrt(3), within(1e-9));
    assertThat(typed.centralTendency()).isCloseTo(target, within(1e-6));
    assertThat(typed.interceptShift()).isEqualTo(record.get("intercept_shift").asDouble());
    assertThat(typed.calibrationRows()).isEqualTo(n[0] + n[1] + n[2]);
    assertThat(typed.weighted()).isFalse();
    assertThat(typed.masterScale()).isEqualTo(record.get("master_scale").asText());
    assertThat(bundle.segmentTraining()).isEmpty();
    TabularData all = TabularData.readCsv(data, "creditability", "bad");
    double[] rows = ValidateCommand.rows(bundle.schema(), all, data);
    int p = bundle.schema().size();
    double sum = 0;
    int count = 0;
    String[] years = all.categorical("year");
    for (int i = 0; i < all.rowCount(); i++) {
      if (Double.parseDouble(years[i]) < 2022) {
        sum += bundle.scorer().score(java.util.Arrays.copyOfRange(rows, i * p, (i + 1) * p)).pd();
        count++;
      }
    }
    assertThat(sum / count).isCloseTo(record.get("central_tendency").asDouble(), within(1e-9));
  }

  @Test
  void masterScaleFit8_eightGradesOfAboutEqualShares() throws Exception {
    Path out = train("fit8.json", "--test-share", "0", "--central-tendency", "0.03", "--master-scale", "fit:8");
    ModelBundle bundle = ModelBundle.read(out);
    assertThat(bundle.masterScale().grades()).hasSize(9);
    double[] pd = score(bundle, TestRuns.german(), "bad")[1];
    Map<Double, Integer> ties = new HashMap<>();
    Map<String, Integer> byGrade = new HashMap<>();
    for (double v : pd) {
      ties.merge(v, 1, Integer::sum);
      byGrade.merge(bundle.masterScale().grade(bundle.masterScale().gradeIndexOf(v)).name(), 1, Integer::sum);
    }
    int largestTie = ties.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    // docs/validation.md: each grade holds 1/N of the rows within (2 x the largest group of equal PDs + 1) / n.
    double tolerance = (2.0 * largestTie + 1) / pd.length;
    for (int g = 1; g <= 8; g++) {
      assertThat(byGrade.getOrDefault(Integer.toString(g), 0) / (double) pd.length).as("grade " + g)
          .isCloseTo(1.0 / 8, within(tolerance));
    }
    // Each grade's representative PD is the mean PD of its rows.
    for (int g = 0; g < 8; g++) {
      double sum = 0;
      int count = 0;
      for (double v : pd) {
        if (bundle.masterScale().gradeIndexOf(v) == g) {
          sum += v;
          count++;
        }
      }
      assertThat(bundle.masterScale().grade(g).representativePd()).isCloseTo(sum / count, within(1e-9));
    }
    assertThat(JSON.readTree(out.toFile()).get("provenance").get("pd_calibration").get("master_scale").asText())
        .isEqualTo("fit:8");
    assertThat(last.out()).contains("PD calibration: central tendency 0.030000 (given); log-odds shifted by ")
        .contains("mean PD of the 1,000 training rows 0.030000")
        .contains("training: Hosmer-Lemeshow ").contains(" df (10 groups, in sample)")
        .containsPattern("Master scale \\(fit:8\\), share of training rows by grade: 1 1\\d\\.\\d% 2 ");
  }

  /**
   * docs/validation.md's example of fewer grades than asked: a scorecard's PDs take few values, so
   * fit:99 on German credit (--event-label bad, the default split) fits 96 grades (the doc said 94,
   * the count with --event-label good), and train prints each of them.
   */
  @Test
  void masterScaleFit99_onTiedScorecardPds_fitsFewerGrades() throws Exception {
    Path out = dir.resolve("fit99.json");
    CliRun run = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability",
        "--event-label", "bad", "--master-scale", "fit:99", "--out", out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(ModelBundle.read(out).masterScale().grades()).hasSize(96 + 1);
    assertThat(run.out()).containsPattern("Master scale \\(fit:99\\), share of training rows by grade: 1 .* 96 \\d+\\.\\d%\\R");
  }

  /** The calibration lines' PDs: six decimals, or scientific notation below 0.0001 (1e-7 printed as 0.000000). */
  @Test
  void pdText_keepsSmallPdsReadable() {
    assertThat(TrainCommand.pdText(0.03)).isEqualTo("0.030000");
    assertThat(TrainCommand.pdText(0.0001)).isEqualTo("0.000100");
    assertThat(TrainCommand.pdText(0)).isEqualTo("0.000000");
    assertThat(TrainCommand.pdText(1e-7)).isEqualTo("1.000e-07");
    assertThat(TrainCommand.pdText(3.456e-5)).isEqualTo("3.456e-05");
  }

  @Test
  void masterScaleFromFile_isTheBundlesScale_andABadOneNamesTheField() throws Exception {
    Path scale = Files.writeString(dir.resolve("scale.json"), "{\"grades\": [{\"grade\": \"A\", \"pd_upper\": 0.05,"
        + " \"representative_pd\": 0.02}, {\"grade\": \"B\", \"pd_upper\": 0.2, \"representative_pd\": 0.1},"
        + " {\"grade\": \"C\", \"pd_upper\": 1, \"representative_pd\": 0.4}, {\"grade\": \"D\", \"default\": true}]}");
    ModelBundle bundle = ModelBundle.read(train("file.json", "--master-scale", scale.toString()));
    assertThat(bundle.masterScale().grades()).extracting(g -> g.name()).containsExactly("A", "B", "C", "D");
    assertThat(bundle.masterScale().grade(1).pdUpper()).isEqualTo(0.2);

    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"grades\": [{\"grade\": \"A\", \"pd_upper\": 0.3,"
        + " \"representative_pd\": 0.02}, {\"grade\": \"B\", \"pd_upper\": 0.2, \"representative_pd\": 0.1},"
        + " {\"grade\": \"C\", \"pd_upper\": 1, \"representative_pd\": 0.4}, {\"grade\": \"D\", \"default\": true}]}");
    CliRun run = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability", "--event-label", "bad",
        "--master-scale", bad.toString(), "--out", dir.resolve("x.json").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip().lines().filter(l -> !l.startsWith("train:")).count()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains(bad.toString() + ": --master-scale field grades: master scale: grade B band [0.3, 0.2)"
        + " is empty");
    assertThat(Files.exists(dir.resolve("x.json"))).isFalse();
  }

  /**
   * A scorecard's points are whole numbers: below PDO 10 their rounding moves the PDs (at PDO 1 the
   * mean test PD of German credit was 1.2% against its 30% default rate) and a base score of 1e308
   * overflowed the integer points. Both are refused in one line, exit 2, nothing written.
   */
  @Test
  void smallPdoAndHugeBaseScore_refusedForAScorecard() {
    String[] common = {"train", "--data", TestRuns.german().toString(), "--target", "creditability", "--event-label",
        "bad", "--out", dir.resolve("x.json").toString()};
    CliRun pdo = CliRun.of(java.util.stream.Stream.concat(java.util.Arrays.stream(common),
        java.util.stream.Stream.of("--pdo", "1")).toArray(String[]::new));
    assertThat(pdo.code()).isEqualTo(2);
    assertThat(pdo.err()).contains("--pdo 1: a scorecard's points are whole numbers, and at 1 points to double the"
        + " odds rounding a bin's points moves its log-odds by up to 0.347 (its PDs with it); expected 10 or more");
    CliRun base = CliRun.of(java.util.stream.Stream.concat(java.util.Arrays.stream(common),
        java.util.stream.Stream.of("--base-score", "1e308")).toArray(String[]::new));
    assertThat(base.code()).isEqualTo(2);
    assertThat(base.err()).contains("--base-score 1.0E308: expected a score between -1000000 and 1000000");
    assertThat(dir.resolve("x.json")).doesNotExist();
  }

  @Test
  void pdo40_doublesThePointsSpreadOfPdo20_andTheBaseMovesByTheFormula() throws Exception {
    ModelBundle pdo20 = ModelBundle.read(train("pdo20.json", "--test-share", "0"));
    ModelBundle pdo40 = ModelBundle.read(train("pdo40.json", "--test-share", "0", "--pdo", "40"));
    ModelBundle based = ModelBundle.read(train("base.json", "--test-share", "0", "--base-score", "500", "--base-odds", "20"));
    double[] p20 = score(pdo20, TestRuns.german(), "bad")[0];
    double[] p40 = score(pdo40, TestRuns.german(), "bad")[0];
    double[] pBase = score(based, TestRuns.german(), "bad")[0];
    int characteristics = JSON.readTree(pdo20.toJson()).get("model").get("characteristics").size();
    // Bin points are rounded to whole points, each characteristic by at most 1/2 (and base points by 1/2).
    double rounding = (characteristics + 1) * 0.5;
    for (int i = 0; i < p20.length; i++) {
      // score = offset + factor ln(odds), factor = pdo / ln 2, offset = 600 - factor ln 50: doubling pdo doubles
      // the distance from the base score at the same odds.
      assertThat(p40[i] - 600).isCloseTo(2 * (p20[i] - 600), within(3 * rounding));
      // Same pdo, base 500 at odds 20: score' = score - 600 + 500 + 20 log2(50 / 20).
      assertThat(pBase[i]).isCloseTo(p20[i] - 100 + 20 * Math.log(50.0 / 20) / Math.log(2), within(2 * rounding));
    }
    double spread20 = java.util.Arrays.stream(p20).max().orElseThrow() - java.util.Arrays.stream(p20).min().orElseThrow();
    double spread40 = java.util.Arrays.stream(p40).max().orElseThrow() - java.util.Arrays.stream(p40).min().orElseThrow();
    assertThat(spread40 / spread20).isCloseTo(2.0, within(4 * rounding / spread20));
    JsonNode scale = JSON.readTree(pdo40.toJson()).get("score_scale");
    assertThat(scale.get("pdo").asDouble()).isEqualTo(40);
  }

  @Test
  void gbdt_centralTendency_shiftsThePlattIntercept() throws Exception {
    Path plain = train("gbdt.json", "--test-share", "0", "--model", "gbdt", "--trees", "30", "--calibration-share", "0.2");
    Path out = train("gbdt-ct.json", "--test-share", "0", "--model", "gbdt", "--trees", "30", "--calibration-share", "0.2",
        "--central-tendency", "0.05");
    double[] pd = score(ModelBundle.read(out), TestRuns.german(), "bad")[1];
    assertThat(mean(pd)).isCloseTo(0.05, within(1e-9));
    JsonNode before = JSON.readTree(plain.toFile()).get("calibration");
    JsonNode after = JSON.readTree(out.toFile()).get("calibration");
    assertThat(after.get("slope").asDouble()).isEqualTo(before.get("slope").asDouble());
    assertThat(after.get("intercept").asDouble()).isCloseTo(before.get("intercept").asDouble()
        + JSON.readTree(out.toFile()).get("provenance").get("pd_calibration").get("intercept_shift").asDouble(), within(1e-12));
  }

  @Test
  void help_documentsEveryCalibrationAndScaleOption() {
    CliRun help = CliRun.of("train", "--help");
    assertThat(help.code()).isZero();
    String text = help.out().replaceAll("\\s+", " ");
    assertThat(text).contains("--central-tendency=PD|NAME=PD,... Calibrate the PDs to this long-run central tendency")
        .contains("NAME=PD for every segment (e.g. thin_file=0.02, seasoned=0.05, names as --segment gives them)"
            + " calibrates each segment to its own")
        .contains("--central-tendency-from=COLUMN Calibrate to the long-run average default rate instead")
        .contains("--margin-of-conservatism[=LEVEL] Calibrate to the upper bound of a one-sided confidence interval")
        .contains("--rating-philosophy=pit|ttc Record the rating philosophy")
        .contains("--master-scale=FILE|default|fit:N The bundle's master scale")
        .contains("--pdo=<pdo> Points to double the odds of the score scale (default 20).")
        .contains("--base-score=<baseScore> Score at the base odds (default 600).")
        .contains("--base-odds=<baseOdds> Good:bad odds at the base score (default 50).");
  }

  @Test
  void centralTendencyFromCohorts_rowWithoutCohort_isRefusedNamingItsRow() throws Exception {
    // German credit's years with the first training row that defaulted left without one: it used to be
    // a cohort of its own, one row with default rate 1, and the 90% bound of the four rates 0.757
    // instead of the three years' 0.297.
    List<String> lines = new ArrayList<>(Files.readAllLines(germanWithCohorts()));
    int row = 1;
    while (!lines.get(row).endsWith(",1") || lines.get(row).endsWith(",2022,1")) {
      row++;
    }
    String line = lines.get(row);
    String withoutYear = line.substring(0, line.lastIndexOf(',', line.lastIndexOf(',') - 1)) + ",,1";
    lines.set(row, withoutYear);
    Path data = Files.write(dir.resolve("german-one-without-year.csv"), lines);
    Path out = dir.resolve("lradr.json");
    CliRun run = CliRun.of("train", "--data", data.toString(), "--target", "creditability", "--event-label", "bad",
        "--cohort", "year", "--test-cohort", "2022", "--central-tendency-from", "bad_flag", "--margin-of-conservatism",
        "--out", out.toString());
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(data + ", row " + row + ", column year: --central-tendency-from expected the row's cohort")
        .contains("got an empty cell").doesNotContain("\tat ");
    assertThat(run.err().strip().lines().filter(l -> !l.startsWith("train:")).count()).as(run.err()).isEqualTo(1);
    assertThat(out).doesNotExist();
    // Without --central-tendency-from the row's missing year stays a cohort of the selection's folds.
    CliRun plain = CliRun.of("train", "--data", data.toString(), "--target", "creditability", "--event-label", "bad",
        "--exclude", "bad_flag", "--cohort", "year", "--test-cohort", "2022", "--out", out.toString());
    assertThat(plain.code()).as(plain.err()).isZero();
  }

  @Test
  void badValues_exit2WithOneLineNamingTheOption() throws Exception {
    String[][] cases = {
        {"--pdo", "-20", "--pdo -20.0: must be a positive number"},
        {"--base-odds", "0", "--base-odds 0.0: must be a positive number"},
        {"--central-tendency", "1.5", "--central-tendency 1.5: must be a PD strictly between 0 and 1"},
        {"--central-tendency", "0", "--central-tendency 0: must be a PD strictly between 0 and 1"},
        {"--master-scale", "fit:0", "--master-scale fit:0: expected fit:N with N from 1 to 99 grades"},
        {"--master-scale", "fit:x", "--master-scale fit:x: expected fit:N"},
        {"--master-scale", dir.resolve("none.json").toString(), "no such file: " + dir.resolve("none.json")},
        {"--margin-of-conservatism", "0.9", "--margin-of-conservatism needs --central-tendency-from"},
        {"--central-tendency-from", "creditability", "--central-tendency-from needs --cohort"},
        {"--rating-philosophy", "hybrid", "--rating-philosophy: expected pit (point-in-time) or ttc"},
    };
    for (String[] c : cases) {
      CliRun run = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability", "--event-label", "bad",
          c[0], c[1], "--out", dir.resolve("bad.json").toString());
      assertThat(run.code()).as(String.join(" ", c) + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).as(c[0]).contains(c[2]).doesNotContain("\tat ");
      // One error line (usage errors add picocli's "Run 'chainscore train --help'" hint).
      assertThat(run.err().strip().lines().filter(l -> !l.startsWith("train:") && !l.startsWith("Run 'chainscore"))
          .count()).as(run.err()).isEqualTo(1);
    }
  }

  /**
   * A master scale file cut short is said so, with its line and column, in the one wording of a
   * JSON syntax error (JsonSyntax), as a bundle, a migration matrix and a stress scenario are: until
   * 2026-12-08 the line and column alone ("not valid JSON at line 2, column 1"), without what is wrong.
   */
  @Test
  void masterScale_jsonCutShort_isSaidSoWithItsLine() throws Exception {
    Path notJson = Files.writeString(dir.resolve("scale.json"), "{\"grades\": [\n");
    CliRun run = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability", "--event-label", "bad",
        "--master-scale", notJson.toString(), "--out", dir.resolve("bad.json").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip().lines().filter(l -> !l.startsWith("train:"))).as(run.err()).containsExactly(
        "chainscore train: " + notJson + ": --master-scale: not valid JSON: the document ends early, inside an array"
            + " (cut short?) (line 2, column 1)");
    assertThat(dir.resolve("bad.json")).doesNotExist();
    // a second object is refused, not ignored (until 2026-12-08 the first was read alone)
    Path twoObjects = Files.writeString(dir.resolve("two.json"), "{\"grades\": []}\n{\"grades\": []}\n");
    CliRun second = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability",
        "--event-label", "bad", "--master-scale", twoObjects.toString(), "--out", dir.resolve("bad.json").toString());
    assertThat(second.code()).isEqualTo(2);
    assertThat(second.err().strip().lines().filter(l -> !l.startsWith("train:"))).as(second.err()).containsExactly(
        "chainscore train: " + twoObjects + ": --master-scale: not valid JSON: trailing content after the JSON object"
            + " (line 2, column 1)");
  }
}

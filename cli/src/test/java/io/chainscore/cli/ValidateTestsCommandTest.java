package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.scoring.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate}'s validator tests (DeLong intervals and comparison, calibration-in-the-large,
 * Hosmer-Lemeshow degrees of freedom, Vasicek-adjusted traffic lights) on small labelled CSVs whose
 * PDs are known exactly, against the worked values of shared/reference/model-validation-tests.md and
 * validation-statistics.md.
 */
class ValidateTestsCommandTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A logistic bundle on one raw feature {@code feature} (PD rising with it); with {@code isotonic}
   * the margins 1..5 map exactly to the PDs 0.5%, 1%, 2%, 4%, 8% of the reference's HL example.
   */
  static Path bundle(Path file, String id, String feature, boolean isotonic) throws Exception {
    String calibration = isotonic
        ? "{\"kind\":\"isotonic\",\"margins\":[1,2,3,4,5],\"pds\":[0.005,0.01,0.02,0.04,0.08]}"
        : "{\"kind\":\"none\"}";
    String json = "{\"format\":\"chainscore-model-bundle\",\"format_version\":1,\"model_id\":\"" + id + "\","
        + "\"model_version\":\"1.0.0\",\"features\":[{\"name\":\"" + feature + "\",\"type\":\"numeric\",\"min\":null,"
        + "\"max\":null,\"missing\":\"reject\"}],\"score_scale\":{\"pdo\":20,\"base_score\":600,\"base_odds\":50},"
        + "\"model\":{\"kind\":\"logistic\",\"intercept\":0,\"terms\":[{\"feature\":\"" + feature + "\",\"coefficient\":1,"
        + "\"reason_code\":\"R01\"}]},\"calibration\":" + calibration + ","
        + "\"master_scale\":{\"grades\":[{\"grade\":\"1\",\"pd_upper\":0.003,\"representative_pd\":0.0015},"
        + "{\"grade\":\"2\",\"pd_upper\":0.006,\"representative_pd\":0.005},{\"grade\":\"3\",\"pd_upper\":0.012,"
        + "\"representative_pd\":0.01},{\"grade\":\"4\",\"pd_upper\":0.025,\"representative_pd\":0.02},"
        + "{\"grade\":\"5\",\"pd_upper\":0.05,\"representative_pd\":0.04},{\"grade\":\"6\",\"pd_upper\":1,"
        + "\"representative_pd\":0.08},{\"grade\":\"D\",\"default\":true}]},"
        + "\"reason_codes\":[{\"code\":\"R01\",\"text\":\"" + feature + "\"}],"
        + "\"provenance\":{\"trained_at\":\"2026-01-01T00:00:00Z\",\"training_data_sha256\":\"" + "0".repeat(64)
        + "\",\"trainer\":\"hand-written test bundle\"}}";
    ModelBundle.seal(json).write(file);
    return file;
  }

  private JsonNode validate(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("validate", "--target", "y", "--out", dir.resolve("v").toString(),
        "--overwrite"));
    all.addAll(List.of(args));
    CliRun run = CliRun.of(all.toArray(String[]::new));
    assertThat(run.code()).as(run.err()).isZero();
    return JSON.readTree(dir.resolve("v/metrics.json").toFile());
  }

  /** The reference's DeLong example: 5 defaults and 5 non-defaults scored by models A and B (B with a tie). */
  @Test
  void delongIntervalAndComparison_matchTheReferenceExample() throws Exception {
    Path a = bundle(dir.resolve("a.json"), "model-a", "score_a", false);
    Path b = bundle(dir.resolve("b.json"), "model-b", "score_b", false);
    double[][] positives = {{0.90, 0.80, 0.60, 0.55, 0.40}, {0.85, 0.60, 0.70, 0.30, 0.50}};
    double[][] negatives = {{0.70, 0.50, 0.45, 0.30, 0.20}, {0.65, 0.40, 0.55, 0.30, 0.10}};
    StringBuilder csv = new StringBuilder("score_a,score_b,y\n");
    for (int i = 0; i < 5; i++) {
      csv.append(positives[0][i]).append(',').append(positives[1][i]).append(",1\n");
      csv.append(negatives[0][i]).append(',').append(negatives[1][i]).append(",0\n");
    }
    Path data = Files.writeString(dir.resolve("delong.csv"), csv);
    JsonNode m = validate("--model", a.toString(), "--data", data.toString(), "--compare", b.toString());
    // PD = expit(score) keeps the ranks and the tie, so every rank statistic is the reference's.
    assertThat(m.get("auc").asDouble()).isCloseTo(0.8, within(1e-12));
    JsonNode ci = m.get("auc_ci");
    assertThat(ci.get("method").asText()).isEqualTo("delong");
    assertThat(ci.get("confidence").asDouble()).isEqualTo(0.95);
    assertThat(ci.get("standard_error").asDouble()).isCloseTo(0.154919, within(1e-6));
    assertThat(ci.get("lower").asDouble()).isCloseTo(0.496364, within(1e-6));
    assertThat(ci.get("upper").asDouble()).as("1.10364 clipped").isEqualTo(1.0);
    assertThat(ci.get("clipped").asBoolean()).isTrue();
    assertThat(m.get("gini_ci").get("lower").asDouble()).isCloseTo(2 * 0.496364 - 1, within(2e-6));
    assertThat(m.get("gini_ci").get("standard_error").asDouble()).isCloseTo(2 * 0.154919, within(2e-6));
    JsonNode c = m.get("comparison");
    assertThat(c.get("other_model_id").asText()).isEqualTo("model-b");
    assertThat(c.get("auc").asDouble()).isCloseTo(0.8, within(1e-12));
    assertThat(c.get("other_auc").asDouble()).isCloseTo(0.74, within(1e-12));
    assertThat(c.get("difference").asDouble()).isCloseTo(0.06, within(1e-12));
    assertThat(c.get("standard_error").asDouble()).isCloseTo(Math.sqrt(0.0192), within(1e-9));
    assertThat(c.get("z").asDouble()).isCloseTo(0.433013, within(1e-6));
    assertThat(c.get("p_value").asDouble()).isCloseTo(0.665006, within(1e-6));
    assertThat(c.get("lower").asDouble()).isCloseTo(0.06 - 1.959964 * Math.sqrt(0.0192), within(1e-6));
    assertThat(c.get("upper").asDouble()).isCloseTo(0.06 + 1.959964 * Math.sqrt(0.0192), within(1e-6));
    String html = Files.readString(dir.resolve("v/report.html"));
    assertThat(html).contains("Comparison with model-b 1.0.0 (DeLong test, same rows)").contains("0.665006")
        .contains("CI 0.496364 to 1, delong, clipped");  // a clipped end is 1, not 1.00000
    CliRun printed = CliRun.of("validate", "--target", "y", "--out", dir.resolve("v").toString(), "--overwrite",
        "--model", a.toString(), "--data", data.toString(), "--compare", b.toString());
    assertThat(printed.out()).contains("AUC 0.8000 (95% CI 0.4964-1.0000)")
        .contains("DeLong test against model-b 1.0.0: AUC 0.8000 vs 0.7400, difference 0.0600")
        .contains("z 0.433, p 0.6650");
  }

  /**
   * One default among six rows: the AUCs stand, DeLong's interval and test need two of each class
   * and are left out, with --compare as without it (until 2026-12-07 --compare stopped validate with
   * "DeLong's variance needs at least two events", exit 2).
   */
  @Test
  void compare_withOneDefault_leavesTheDeLongTestOut() throws Exception {
    Path a = bundle(dir.resolve("a.json"), "model-a", "score_a", false);
    Path b = bundle(dir.resolve("b.json"), "model-b", "score_b", false);
    Path data = Files.writeString(dir.resolve("one.csv"),
        "score_a,score_b,y\n0.9,0.85,1\n0.7,0.65,0\n0.5,0.4,0\n0.45,0.55,0\n0.3,0.3,0\n0.2,0.1,0\n");
    CliRun run = CliRun.of("validate", "--target", "y", "--out", dir.resolve("v").toString(), "--model", a.toString(),
        "--data", data.toString(), "--compare", b.toString());
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode m = JSON.readTree(dir.resolve("v/metrics.json").toFile());
    assertThat(m.get("auc").asDouble()).isCloseTo(1.0, within(1e-12));
    assertThat(m.has("auc_ci")).isFalse();
    assertThat(m.has("comparison")).isFalse();
    assertThat(run.out()).contains("DeLong test against model-b 1.0.0: not computed, it needs two defaults and two"
        + " non-defaults (the rows hold 1 and 5)");
  }

  /** 5 x 200 obligors at PDs 0.5/1/2/4/8% with 1/3/5/9/18 defaults (validation-statistics.md, model-validation-tests.md). */
  @Test
  void calibrationInTheLargeAndHosmerLemeshow_matchWorkedValues_withTheSamplesDegreesOfFreedom() throws Exception {
    Path model = bundle(dir.resolve("hl.json"), "hl", "x", true);
    int[] defaults = {1, 3, 5, 9, 18};
    StringBuilder csv = new StringBuilder("x,y\n");
    for (int g = 0; g < 5; g++) {
      for (int i = 0; i < 200; i++) {
        csv.append(g + 1).append(',').append(i < defaults[g] ? 1 : 0).append('\n');
      }
    }
    Path data = Files.writeString(dir.resolve("hl.csv"), csv);
    JsonNode out = validate("--model", model.toString(), "--data", data.toString());
    JsonNode hl = out.get("hosmer_lemeshow");
    assertThat(hl.get("statistic").asDouble()).isCloseTo(1.162100, within(1e-6));
    assertThat(hl.get("groups").asInt()).isEqualTo(5);
    assertThat(hl.get("degrees_of_freedom").asInt()).isEqualTo(5);
    assertThat(hl.get("p_value").asDouble()).isCloseTo(0.948461, within(1e-6));
    assertThat(hl.get("sample").asText()).isEqualTo("out_of_sample");
    JsonNode large = out.get("calibration_in_the_large");
    assertThat(large.get("expected_defaults").asDouble()).isCloseTo(31, within(1e-9));
    assertThat(large.get("observed_defaults").asLong()).isEqualTo(36);
    assertThat(large.get("z").asDouble()).isCloseTo(0.923790, within(1e-6));
    assertThat(large.get("normal_p_value").asDouble()).isCloseTo(0.177798, within(1e-6));
    assertThat(large.get("binomial_p_value").asDouble()).isCloseTo(0.200351, within(1e-6));
    assertThat(large.get("intercept_shift").asDouble()).isCloseTo(0.158940, within(1e-6));
    assertThat(large.get("observed_over_expected").asDouble()).isCloseTo(36.0 / 31, within(1e-12));
    assertThat(large.get("asset_correlation").asDouble()).isEqualTo(0.12);
    List<String> keys = new ArrayList<>();
    out.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsSubsequence("auc", "auc_ci", "gini", "gini_ci", "ks", "brier", "calibration_in_the_large",
        "hosmer_lemeshow", "grades");

    JsonNode in = validate("--model", model.toString(), "--data", data.toString(), "--in-sample");
    assertThat(in.get("hosmer_lemeshow").get("degrees_of_freedom").asInt()).isEqualTo(3);
    assertThat(in.get("hosmer_lemeshow").get("p_value").asDouble()).isCloseTo(0.762108, within(1e-6));
    assertThat(in.get("hosmer_lemeshow").get("sample").asText()).isEqualTo("in_sample");
    assertThat(Files.readString(dir.resolve("v/report.html"))).contains("(df 3, 5 groups, in sample)");
  }

  /** N = 1000 at PD 1% with 25 defaults: green with asset correlation 0.12, red without (model-validation-tests.md). */
  @Test
  void trafficLights_greenWithCorrelationRedWithout() throws Exception {
    Path model = bundle(dir.resolve("tl.json"), "tl", "x", true);
    StringBuilder csv = new StringBuilder("x,y\n");
    for (int i = 0; i < 1000; i++) {
      csv.append("2,").append(i < 25 ? 1 : 0).append('\n');
    }
    Path data = Files.writeString(dir.resolve("tl.csv"), csv);
    JsonNode correlated = validate("--model", model.toString(), "--data", data.toString());
    JsonNode grade = correlated.get("grades").get(0);
    assertThat(grade.get("grade").asText()).isEqualTo("3");
    assertThat(grade.get("count").asLong()).isEqualTo(1000);
    assertThat(grade.get("vasicek_p_value").asDouble()).isCloseTo(0.0881359, within(5e-7));
    assertThat(grade.get("traffic_light").asText()).isEqualTo("green");
    assertThat(correlated.get("calibration_in_the_large").get("vasicek_p_value").asDouble()).isCloseTo(0.0881359, within(5e-7));
    assertThat(correlated.get("calibration_in_the_large").get("traffic_light").asText()).isEqualTo("green");
    assertThat(correlated.has("hosmer_lemeshow")).as("one PD group: no Hosmer-Lemeshow test").isFalse();

    JsonNode independent = validate("--model", model.toString(), "--data", data.toString(), "--asset-correlation", "0");
    JsonNode g0 = independent.get("grades").get(0);
    assertThat(g0.get("vasicek_p_value").asDouble()).isCloseTo(4.20292e-05, within(1e-10));
    assertThat(g0.get("binomial_p_value").asDouble()).isCloseTo(4.20292e-05, within(1e-10));
    assertThat(g0.get("traffic_light").asText()).isEqualTo("red");
    assertThat(Files.readString(dir.resolve("v/report.html"))).contains("<td>red</td>");

    // Boundaries of the correlated zones: green up to 31 defaults, yellow from 32 (P(D >= 32) = 0.0497714).
    StringBuilder yellow = new StringBuilder("x,y\n");
    for (int i = 0; i < 1000; i++) {
      yellow.append("2,").append(i < 32 ? 1 : 0).append('\n');
    }
    JsonNode y = validate("--model", model.toString(), "--data", Files.writeString(dir.resolve("y.csv"), yellow).toString());
    assertThat(y.get("grades").get(0).get("vasicek_p_value").asDouble()).isCloseTo(0.0497714, within(5e-7));
    assertThat(y.get("grades").get(0).get("traffic_light").asText()).isEqualTo("yellow");
  }


  /** The PDs a bundle gives the rows of a CSV, scored one by one. */
  private static double[] pds(ModelBundle bundle, io.chainscore.develop.TabularData data, Path file) {
    double[] rows = ValidateCommand.rows(bundle.schema(), data, file);
    int p = bundle.schema().size();
    double[] pd = new double[data.rowCount()];
    for (int i = 0; i < pd.length; i++) {
      pd[i] = bundle.scorer().score(java.util.Arrays.copyOfRange(rows, i * p, (i + 1) * p)).pd();
    }
    return pd;
  }

  /** The structural components of DeLong 1988 by the O(mn) double loop: V10 per event, then V01 per non-event. */
  private static double[][] components(double[] score, int[] y) {
    List<Double> events = new ArrayList<>();
    List<Double> nonEvents = new ArrayList<>();
    for (int i = 0; i < y.length; i++) {
      (y[i] == 1 ? events : nonEvents).add(score[i]);
    }
    double[] v10 = new double[events.size()];
    double[] v01 = new double[nonEvents.size()];
    for (int i = 0; i < v10.length; i++) {
      for (int j = 0; j < v01.length; j++) {
        double x = events.get(i);
        double z = nonEvents.get(j);
        double psi = x > z ? 1 : x == z ? 0.5 : 0;
        v10[i] += psi / v01.length;
        v01[j] += psi / v10.length;
      }
    }
    return new double[][] {v10, v01};
  }

  private static double covariance(double[] a, double[] b) {
    double ma = java.util.Arrays.stream(a).average().orElseThrow();
    double mb = java.util.Arrays.stream(b).average().orElseThrow();
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - ma) * (b[i] - mb);
    }
    return s / (a.length - 1);
  }

  /** Two models trained on German credit, compared on the held-out rows; checked against a double-loop DeLong. */
  @Test
  void compare_twoModelsTrainedOnGermanCredit_matchesADoubleLoopDeLong() throws Exception {
    Path scorecard = dir.resolve("scorecard.json");
    Path gbdt = dir.resolve("gbdt.json");
    Path holdout = dir.resolve("holdout.csv");
    CliRun a = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability", "--event-label", "bad",
        "--seed", "7", "--holdout-out", holdout.toString(), "--out", scorecard.toString());
    assertThat(a.code()).as(a.err()).isZero();
    CliRun b = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability", "--event-label", "bad",
        "--seed", "7", "--model", "gbdt", "--trees", "60", "--out", gbdt.toString());
    assertThat(b.code()).as(b.err()).isZero();
    CliRun v = CliRun.of("validate", "--model", scorecard.toString(), "--compare", gbdt.toString(), "--data",
        holdout.toString(), "--target", "creditability", "--out", dir.resolve("g").toString());
    assertThat(v.code()).as(v.err()).isZero();
    JsonNode m = JSON.readTree(dir.resolve("g/metrics.json").toFile());

    io.chainscore.develop.TabularData data = io.chainscore.develop.TabularData.readCsv(holdout, "creditability", null);
    int[] y = data.target();
    double[] first = pds(ModelBundle.read(scorecard), data, holdout);
    double[] second = pds(ModelBundle.read(gbdt), data, holdout);
    double[][] ca = components(first, y);
    double[][] cb = components(second, y);
    int events = ca[0].length;
    int nonEvents = ca[1].length;
    double aucA = java.util.Arrays.stream(ca[0]).average().orElseThrow();
    double aucB = java.util.Arrays.stream(cb[0]).average().orElseThrow();
    double varA = covariance(ca[0], ca[0]) / events + covariance(ca[1], ca[1]) / nonEvents;
    double varB = covariance(cb[0], cb[0]) / events + covariance(cb[1], cb[1]) / nonEvents;
    double cov = covariance(ca[0], cb[0]) / events + covariance(ca[1], cb[1]) / nonEvents;
    double se = Math.sqrt(varA + varB - 2 * cov);
    double z = (aucA - aucB) / se;
    double p = 2 * (1 - new org.apache.commons.math3.distribution.NormalDistribution().cumulativeProbability(Math.abs(z)));

    assertThat(m.get("rows").asInt()).isEqualTo(y.length).isBetween(250, 350);
    assertThat(m.get("auc").asDouble()).isCloseTo(aucA, within(1e-12));
    assertThat(m.get("auc_ci").get("standard_error").asDouble()).isCloseTo(Math.sqrt(varA), within(1e-10));
    JsonNode c = m.get("comparison");
    assertThat(c.get("other_model_id").asText()).isEqualTo("gbdt");
    assertThat(c.get("other_auc").asDouble()).isCloseTo(aucB, within(1e-12));
    assertThat(c.get("difference").asDouble()).isCloseTo(aucA - aucB, within(1e-12));
    assertThat(c.get("standard_error").asDouble()).isCloseTo(se, within(1e-10));
    assertThat(c.get("z").asDouble()).isCloseTo(z, within(1e-8));
    assertThat(c.get("p_value").asDouble()).isCloseTo(p, within(1e-8));
    assertThat(c.get("lower").asDouble()).isCloseTo(aucA - aucB - 1.959964 * se, within(1e-6));
  }

  @Test
  void help_documentsCompareInSampleAndAssetCorrelation() {
    CliRun help = CliRun.of("validate", "--help");
    assertThat(help.code()).isZero();
    String text = help.out().replaceAll("\\s+", " ");
    assertThat(text).contains("--compare=<compare> A second model (bundle file or bundled model name) scored on the same rows")
        .contains("--in-sample The rows are the ones the model was fitted on: Hosmer-Lemeshow then has G - 2 degrees")
        .contains("--asset-correlation=<assetCorrelation> Asset correlation of the one-factor (Vasicek) binomial tests")
        .contains("(default 0.12, the Basel corporate floor).");
  }

  @Test
  void badOptionValues_exit2WithOneLine() throws Exception {
    Path model = bundle(dir.resolve("m.json"), "m", "x", true);
    Path data = Files.writeString(dir.resolve("d.csv"), "x,y\n1,0\n2,1\n");
    CliRun rho = CliRun.of("validate", "--model", model.toString(), "--data", data.toString(), "--target", "y",
        "--out", dir.resolve("o").toString(), "--asset-correlation", "1.5");
    assertThat(rho.code()).isEqualTo(2);
    assertThat(rho.err()).contains("--asset-correlation 1.5: must be at least 0 and below 1").doesNotContain("at io.");
    CliRun compare = CliRun.of("validate", "--model", model.toString(), "--data", data.toString(), "--target", "y",
        "--out", dir.resolve("o").toString(), "--compare", dir.resolve("nope.json").toString());
    assertThat(compare.code()).isEqualTo(2);
    assertThat(compare.err().strip().lines().count()).isEqualTo(1);
    assertThat(compare.err()).contains("nope.json");
  }
}

package io.chainscore.develop.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.MasterScale;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.spi.PointsScale;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PdCalibration#calibrateJointly} on two scorecards fitted to two segments of a synthetic
 * sample, checked against a bisection of the common logit shift, PDs re-scored by the calibrated
 * bundles, and the margin of conservatism computed by hand from a published t quantile.
 */
class PdCalibrationTest {
  private static final FeatureSchema SCHEMA = FeatureSchema.of(List.of(
      FeatureSpec.numeric("late_days", "days", 0, 365, "days paid late"),
      FeatureSpec.numeric("volume_drop", "ratio", -1, 1, "drop in volume")));
  private static final int WIDTH = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Rows of one segment: log-odds {@code intercept + 0.08 late + 2 drop}. */
  private static double[] rows(int n, long seed, double intercept, int[] labels) {
    Random random = new Random(seed);
    double[] rows = new double[n * WIDTH];
    for (int r = 0; r < n; r++) {
      double late = random.nextDouble() * 40;
      double drop = random.nextDouble() * 2 - 1;
      rows[r * WIDTH] = late;
      rows[r * WIDTH + 1] = drop;
      labels[r] = random.nextDouble() < 1 / (1 + Math.exp(-(intercept + 0.08 * late + 2 * drop))) ? 1 : 0;
    }
    return rows;
  }

  private static ModelBundle fit(double[] rows, int[] labels) {
    ScorecardTrainer.Options options = ScorecardTrainer.Options.builder().modelId("pd-calibration-test")
        .modelVersion("1.0.0").description("test").scaling(new PointsScale(20, 600, 50)).minIv(0.02)
        .maxCorrelation(0.7).maxCharacteristics(10).minBinShare(0.05).maxBins(6).trainedAt("2026-12-01T00:00:00Z")
        .trainer("test").maxMissingShare(1.0).build();
    return new ScorecardTrainer(options).train(SCHEMA, rows, labels).bundle();
  }

  private static double[] pds(ModelBundle bundle, double[] rows) {
    int n = rows.length / WIDTH;
    double[] pd = new double[n];
    for (int r = 0; r < n; r++) {
      pd[r] = bundle.scorer().score(java.util.Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH)).pd();
    }
    return pd;
  }

  private static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  /** The mean of {@code expit(logit p + a)} over all PDs of all blocks. */
  private static double shiftedMean(List<double[]> pds, double a) {
    double sum = 0;
    int n = 0;
    for (double[] block : pds) {
      for (double p : block) {
        sum += 1 / (1 + Math.exp(-(logit(p) + a)));
        n++;
      }
    }
    return sum / n;
  }

  /** The common shift by bisection: the pooled shifted mean is increasing in {@code a}. */
  private static double bisection(List<double[]> pds, double target) {
    double lo = -20;
    double hi = 20;
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      if (shiftedMean(pds, mid) < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  private record Segments(List<ModelBundle> bundles, List<double[]> rows) {}

  private static Segments segments() {
    int[] thinLabels = new int[1500];
    double[] thin = rows(1500, 31, -2.5, thinLabels);
    int[] seasonedLabels = new int[4000];
    double[] seasoned = rows(4000, 32, -4.5, seasonedLabels);
    return new Segments(List.of(fit(thin, thinLabels), fit(seasoned, seasonedLabels)), List.of(thin, seasoned));
  }

  @Test
  void calibrateJointly_oneCommonShiftMeetsTheMarginOfConservatismOverThePooledRows() throws Exception {
    Segments segments = segments();
    List<double[]> before = List.of(pds(segments.bundles().get(0), segments.rows().get(0)),
        pds(segments.bundles().get(1), segments.rows().get(1)));
    // cohort default rates 2%, 3.5%, 5%: mean 3.5%, s = 1.5%, se = 1.5% / sqrt(3); t(0.9, 2) = 1.885618 (tables)
    long[] obligors = {1000, 2000, 400};
    long[] defaults = {20, 70, 20};
    CentralTendency ct = CentralTendency.fromCohorts(obligors, defaults, 0.9);
    double se = 0.015 / Math.sqrt(3);
    double target = 0.035 + 1.885618 * se;
    assertThat(ct.target()).isCloseTo(target, within(1e-8));
    PdCalibration.Settings settings = new PdCalibration.Settings(ct, "ttc", "defaulted", "year",
        new PdCalibration.FittedScale(5));

    PdCalibration.Joint joint = PdCalibration.calibrateJointly(segments.bundles(), segments.rows(), settings);

    double a = bisection(before, ct.target());
    assertThat(joint.interceptShift()).isCloseTo(a, within(1e-9));
    assertThat(joint.meanPd()).isCloseTo(ct.target(), within(1e-9));
    // each calibrated segment's PDs, as its own bundle scores them, are its old PDs shifted by a in log-odds
    List<double[]> after = List.of(pds(joint.segments().get(0).bundle(), segments.rows().get(0)),
        pds(joint.segments().get(1).bundle(), segments.rows().get(1)));
    double sum = 0;
    int n = 0;
    for (int s = 0; s < 2; s++) {
      for (int r = 0; r < after.get(s).length; r++) {
        assertThat(logit(after.get(s)[r]) - logit(before.get(s)[r])).isCloseTo(a, within(1e-9));
        sum += after.get(s)[r];
        n++;
      }
      assertThat(joint.segments().get(s).interceptShift()).isEqualTo(joint.interceptShift());
    }
    assertThat(sum / n).isCloseTo(ct.target(), within(1e-9));
    // the segments keep their order: the thin file stays the riskier one, each mean PD moves but the ratio of odds holds
    assertThat(joint.segments().get(0).meanPd()).isGreaterThan(joint.segments().get(1).meanPd());

    // one master scale fitted to the pooled calibrated PDs, shared by every segment; the shares counted here
    MasterScale scale = joint.segments().get(0).bundle().masterScale();
    assertThat(joint.segments().get(1).bundle().masterScale().grades()).isEqualTo(scale.grades());
    assertThat(scale.grades()).hasSize(6);
    double[] shares = new double[5];
    for (double[] block : after) {
      for (double p : block) {
        int g = scale.gradeIndexOf(p);
        if (g < 5) {
          shares[g] += 1.0 / n;
        }
      }
    }
    assertThat(joint.gradeShares()).containsExactly(shares, within(1e-12));
    for (double share : shares) {
      assertThat(share).isBetween(0.1, 0.3);
    }

    // the record: the portfolio's, repeated in every segment
    for (JsonNode record : List.of(joint.record(), JSON.readTree(joint.segments().get(0).bundle().toJson())
        .get("provenance").get("pd_calibration"))) {
      assertThat(record.get("rating_philosophy").asText()).isEqualTo("ttc");
      assertThat(record.get("central_tendency").asDouble()).isCloseTo(target, within(1e-8));
      assertThat(record.get("central_tendency_source").asText()).isEqualTo("cohort_average");
      assertThat(record.get("long_run_average").asDouble()).isCloseTo(0.035, within(1e-15));
      assertThat(record.get("margin_of_conservatism").get("method").asText()).isEqualTo("upper_confidence_bound");
      assertThat(record.get("margin_of_conservatism").get("level").asDouble()).isEqualTo(0.9);
      assertThat(record.get("margin_of_conservatism").get("standard_error").asDouble()).isCloseTo(se, within(1e-15));
      assertThat(record.get("intercept_shift").asDouble()).isEqualTo(joint.interceptShift());
      assertThat(record.get("calibration_rows").asInt()).isEqualTo(5500);
      assertThat(record.get("master_scale").asText()).isEqualTo("fit:5");
    }
  }

  @Test
  void calibrateJointly_withoutCentralTendency_keepsEachSegmentsOwnCalibrationAndFitsTheScaleOnly() throws Exception {
    Segments segments = segments();
    // the thin file calibrated to 10% on its own rows first, as --central-tendency-from does per segment
    PdCalibration.Result thin = PdCalibration.calibrate(segments.bundles().get(0), segments.rows().get(0),
        new PdCalibration.Settings(CentralTendency.given(0.10), null, null, null, null));
    assertThat(thin.meanPd()).isCloseTo(0.10, within(1e-9));
    List<ModelBundle> bundles = List.of(thin.bundle(), segments.bundles().get(1));
    List<double[]> before = List.of(pds(bundles.get(0), segments.rows().get(0)),
        pds(bundles.get(1), segments.rows().get(1)));

    PdCalibration.Joint joint = PdCalibration.calibrateJointly(bundles, segments.rows(),
        new PdCalibration.Settings(null, null, null, null, new PdCalibration.FittedScale(4)));

    assertThat(joint.interceptShift()).isZero();
    for (int s = 0; s < 2; s++) {
      double[] after = pds(joint.segments().get(s).bundle(), segments.rows().get(s));
      for (int r = 0; r < after.length; r++) {
        assertThat(after[r]).isCloseTo(before.get(s)[r], within(1e-15));
      }
    }
    assertThat(joint.meanPd()).isCloseTo(shiftedMean(before, 0), within(1e-12));
    JsonNode own = JSON.readTree(joint.segments().get(0).bundle().toJson()).get("provenance").get("pd_calibration");
    assertThat(own.get("central_tendency").asDouble()).isEqualTo(0.10);
    assertThat(own.get("master_scale").asText()).isEqualTo("fit:4");
    assertThat(joint.record().has("central_tendency")).isFalse();
  }

  @Test
  void calibrateJointly_refusesMismatchedBlocks() {
    Segments segments = segments();
    assertThatThrownBy(() -> PdCalibration.calibrateJointly(segments.bundles(), List.of(segments.rows().get(0)),
        new PdCalibration.Settings(CentralTendency.given(0.03), null, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PD calibration: expected one row block per segment");
  }

  /** Each row of {@code rows} repeated {@code weights[r]} times (integer weights). */
  private static double[] repeated(double[] rows, int[] weights) {
    int n = java.util.Arrays.stream(weights).sum();
    double[] out = new double[n * WIDTH];
    for (int r = 0, k = 0; r < weights.length; r++) {
      for (int c = 0; c < weights[r]; c++, k++) {
        System.arraycopy(rows, r * WIDTH, out, k * WIDTH, WIDTH);
      }
    }
    return out;
  }

  private static int[] integerWeights(int n, long seed) {
    Random random = new Random(seed);
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = random.nextInt(4); // 0 leaves a row out
    }
    return w;
  }

  private static double[] asDoubles(int[] w) {
    return java.util.Arrays.stream(w).asDoubleStream().toArray();
  }

  /**
   * Sampling weights: calibrating rows with integer weights equals calibrating the rows repeated
   * that many times (the central tendency's shift, the fitted scale's bounds, the mean PD and the
   * grade shares), and the weighted mean of the re-scored PDs meets the target.
   */
  @Test
  void calibrate_withIntegerWeights_equalsTheRowsRepeated() throws Exception {
    Segments segments = segments();
    ModelBundle bundle = segments.bundles().get(1);
    double[] rows = segments.rows().get(1);
    int[] w = integerWeights(rows.length / WIDTH, 41);
    PdCalibration.Settings settings = new PdCalibration.Settings(CentralTendency.given(0.04), null, null, null,
        new PdCalibration.FittedScale(6));

    PdCalibration.Result weighted = PdCalibration.calibrate(bundle, rows, asDoubles(w), settings);
    PdCalibration.Result repeated = PdCalibration.calibrate(bundle, repeated(rows, w), settings);

    assertThat(weighted.interceptShift()).isCloseTo(repeated.interceptShift(), within(1e-9));
    assertThat(weighted.meanPd()).isCloseTo(repeated.meanPd(), within(1e-12)).isCloseTo(0.04, within(1e-9));
    assertThat(weighted.gradeShares()).containsExactly(repeated.gradeShares(), within(1e-12));
    List<MasterScale.Grade> a = weighted.bundle().masterScale().grades();
    List<MasterScale.Grade> b = repeated.bundle().masterScale().grades();
    assertThat(a).hasSameSizeAs(b);
    for (int g = 0; g < a.size(); g++) {
      assertThat(a.get(g).name()).isEqualTo(b.get(g).name());
      // the same cut between the same two rows; the PDs themselves differ in the last bits, as the shifts do
      assertThat(a.get(g).pdUpper()).as("grade %s", a.get(g).name()).isCloseTo(b.get(g).pdUpper(), within(1e-12));
    }
    // the target holds over the re-scored rows, weighted
    double[] pd = pds(weighted.bundle(), rows);
    double sum = 0;
    double total = 0;
    for (int i = 0; i < pd.length; i++) {
      sum += w[i] * pd[i];
      total += w[i];
    }
    assertThat(sum / total).isCloseTo(0.04, within(1e-9));
    JsonNode record = JSON.readTree(weighted.bundle().toJson()).get("provenance").get("pd_calibration");
    assertThat(record.get("weighted").asBoolean()).isTrue();
    assertThat(JSON.readTree(repeated.bundle().toJson()).get("provenance").get("pd_calibration").has("weighted"))
        .isFalse();
    // unweighted differs: the weights matter here
    assertThat(PdCalibration.calibrate(bundle, rows, settings).interceptShift())
        .isNotCloseTo(weighted.interceptShift(), within(1e-3));
  }

  @Test
  void calibrateJointly_withIntegerWeights_equalsTheRowsRepeated() throws Exception {
    Segments segments = segments();
    int[] w0 = integerWeights(segments.rows().get(0).length / WIDTH, 42);
    int[] w1 = integerWeights(segments.rows().get(1).length / WIDTH, 43);
    PdCalibration.Settings settings = new PdCalibration.Settings(CentralTendency.given(0.05), null, null, null,
        new PdCalibration.FittedScale(5));
    PdCalibration.Joint weighted = PdCalibration.calibrateJointly(segments.bundles(), segments.rows(),
        List.of(asDoubles(w0), asDoubles(w1)), settings);
    PdCalibration.Joint repeated = PdCalibration.calibrateJointly(segments.bundles(),
        List.of(repeated(segments.rows().get(0), w0), repeated(segments.rows().get(1), w1)), settings);
    assertThat(weighted.interceptShift()).isCloseTo(repeated.interceptShift(), within(1e-9));
    assertThat(weighted.meanPd()).isCloseTo(0.05, within(1e-9)).isCloseTo(repeated.meanPd(), within(1e-12));
    assertThat(weighted.gradeShares()).containsExactly(repeated.gradeShares(), within(1e-12));
    List<MasterScale.Grade> a = weighted.segments().get(0).bundle().masterScale().grades();
    List<MasterScale.Grade> b = repeated.segments().get(0).bundle().masterScale().grades();
    assertThat(a).hasSameSizeAs(b);
    for (int g = 0; g < a.size(); g++) {
      assertThat(a.get(g).pdUpper()).as("grade %s", a.get(g).name()).isCloseTo(b.get(g).pdUpper(), within(1e-12));
    }
  }

  @Test
  void centralTendencyFromWeightedCohorts_equalsTheCountsRepeated() {
    CentralTendency counted = CentralTendency.fromCohorts(new long[] {1000, 2000, 400}, new long[] {20, 70, 20}, 0.9);
    CentralTendency weighted = CentralTendency.fromCohorts(new double[] {1000, 2000, 400}, new double[] {20, 70, 20},
        0.9);
    assertThat(weighted.target()).isEqualTo(counted.target());
    assertThat(weighted.yearlyRates()).containsExactly(0.02, 0.035, 0.05);
    // fractional weights: rates are weighted defaults over weighted obligors
    assertThat(CentralTendency.fromCohorts(new double[] {10.5, 4}, new double[] {0.5, 1}, Double.NaN).yearlyRates())
        .containsExactly(0.5 / 10.5, 0.25);
    assertThatThrownBy(() -> CentralTendency.fromCohorts(new double[] {0}, new double[] {0}, Double.NaN))
        .hasMessage("cohort 1: expected 0 <= defaults <= obligors and obligors > 0, got 0 of 0");
  }
}

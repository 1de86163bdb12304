package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole-number features ({@code "whole_number": true}, {@link FeatureSpec#wholeNumber}): a value
 * with a fraction is refused as given, before the range policy could clamp it, on the row path and
 * the batch path alike; whole values score exactly as the same bundle without the flag scores
 * them.
 */
class WholeNumberFeatureTest {
  private static final double NaN = Double.NaN;
  private static final int WIDTH = 5;
  /** The example scorecard as it is: no whole-number feature. */
  private final Scorer plain = TestBundles.load("scorecard.json").scorer();
  /**
   * The same with days_beyond_terms_avg (column 0: missing passes, [0, 365] clamped) and
   * months_with_anchor (column 2: missing refused, [-1, 600] refused) declared whole numbers.
   */
  private final Scorer whole = wholeBundle().scorer();

  private static ModelBundle wholeBundle() {
    ObjectNode root = TestBundles.tree("scorecard.json");
    ((ObjectNode) root.get("features").get(0)).put("whole_number", true);
    ((ObjectNode) root.get("features").get(2)).put("whole_number", true);
    try {
      return TestBundles.seal(root, true);   // the golden rows hold whole numbers there, and still score
    } catch (ModelFormatException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void handWorkedRows() {
    assertThat(whole.score(new double[] {7, 0.03, 24, 2, 0.9}).points()).isEqualTo(553.0);
    assertThat(whole.score(new double[] {7.0, 0.03, 24.0, 2, 0.9}).points()).isEqualTo(553.0);
    // 400 is whole and clamped to 365, as without the flag (the third golden row: 530 points)
    assertThat(whole.score(new double[] {400, 0.05, 36, 0, 0.95}).points()).isEqualTo(530.0)
        .isEqualTo(plain.score(new double[] {400, 0.05, 36, 0, 0.95}).points());
    // a missing value follows the missing-value policy: passed on in column 0
    assertThat(whole.score(new double[] {NaN, 0.03, 24, 2, 0.9}).points())
        .isEqualTo(plain.score(new double[] {NaN, 0.03, 24, 2, 0.9}).points());
    assertThat(whole.score(new double[] {-0.0, 0.03, 24, 2, 0.9}).points())
        .isEqualTo(plain.score(new double[] {-0.0, 0.03, 24, 2, 0.9}).points());

    assertThatThrownBy(() -> whole.score(new double[] {7, 0.03, 24.5, 2, 0.9}))
        .isInstanceOfSatisfying(ScoringException.class, e -> {
          assertThat(e.reason()).isEqualTo(RowRefusals.Reason.NOT_A_WHOLE_NUMBER);
          assertThat(e.column()).isEqualTo(2);
          assertThat(e.feature()).isEqualTo("months_with_anchor");
          assertThat(e.getMessage()).isEqualTo(
              "row 0, feature months_with_anchor: value 24.5 is not a whole number; the feature takes whole numbers only");
        });
    // a fraction beyond a clamped range is refused as given, not clamped to 365 first (a PMML
    // evaluator finds an integer field's 400.5 invalid before any outlier treatment)
    assertThatThrownBy(() -> whole.score(new double[] {400.5, 0.03, 24, 2, 0.9}))
        .isInstanceOfSatisfying(ScoringException.class, e -> {
          assertThat(e.reason()).isEqualTo(RowRefusals.Reason.NOT_A_WHOLE_NUMBER);
          assertThat(e.column()).isZero();
        });
    assertThat(plain.score(new double[] {400.5, 0.03, 24, 2, 0.9}).points()).as("without the flag: clamped")
        .isEqualTo(plain.score(new double[] {365, 0.03, 24, 2, 0.9}).points());
    // an infinity is out of range, as for every feature, not a fraction
    assertThatThrownBy(() -> whole.score(new double[] {7, 0.03, Double.POSITIVE_INFINITY, 2, 0.9}))
        .isInstanceOfSatisfying(ScoringException.class,
            e -> assertThat(e.reason()).isEqualTo(RowRefusals.Reason.OUT_OF_RANGE));
    // the first column at fault names the row's refusal, as for the other reasons
    assertThatThrownBy(() -> whole.score(new double[] {7, 1.5, 24.5, 2, 0.9}))
        .isInstanceOfSatisfying(ScoringException.class, e -> {
          assertThat(e.reason()).isEqualTo(RowRefusals.Reason.OUT_OF_RANGE);
          assertThat(e.column()).isEqualTo(1);
        });
  }

  /**
   * Random rows through {@code scoreBatch} with refusals: each row is scored or refused as the
   * row path scores or refuses it, and as a reference written from the bundle's policies directly:
   * the first column in order that is missing under {@code reject}, a whole-number column's finite
   * fraction, or a value outside a {@code reject} range names the refusal; else the row scores the
   * points the bundle without the flag gives it.
   */
  @Test
  void batchPath_equalsRowPathAndThePoliciesReference() {
    SplittableRandom random = new SplittableRandom(20261207);
    int n = 4_000;
    double[] rows = new double[n * WIDTH];
    for (int r = 0; r < n; r++) {
      rows[r * WIDTH] = pick(random, 0, 400);
      rows[r * WIDTH + 1] = random.nextInt(10) == 0 ? NaN : random.nextDouble(-0.05, 1.05);
      rows[r * WIDTH + 2] = pick(random, -1, 620);
      rows[r * WIDTH + 3] = random.nextInt(8) == 0 ? NaN : random.nextInt(4);
      rows[r * WIDTH + 4] = random.nextInt(8) == 0 ? NaN : random.nextDouble();
    }
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    int[] reasons = new int[n * 4];
    RowRefusals refusals = new RowRefusals();
    whole.scoreBatch(rows, n, WIDTH, points, pd, grade, reasons, refusals);

    int refusedAt = 0;
    int wholeRefusals = 0;
    for (int r = 0; r < n; r++) {
      double[] row = java.util.Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH);
      Object[] expected = reference(row);
      ScoringException rowPath = null;
      try {
        whole.score(row);
      } catch (ScoringException e) {
        rowPath = e;
      }
      if (expected != null) {
        assertThat(refusedAt).as("row %d %s refused", r, java.util.Arrays.toString(row)).isLessThan(refusals.count());
        assertThat(refusals.row(refusedAt)).as("row %d", r).isEqualTo(r);
        assertThat(refusals.reason(refusedAt)).as("row %d %s", r, java.util.Arrays.toString(row)).isEqualTo(expected[0]);
        assertThat(refusals.column(refusedAt)).as("row %d", r).isEqualTo(expected[1]);
        assertThat(rowPath).as("row %d", r).isNotNull();
        assertThat(rowPath.reason()).isEqualTo(expected[0]);
        assertThat(rowPath.column()).isEqualTo(expected[1]);
        assertThat(points[r]).isNaN();
        wholeRefusals += expected[0] == RowRefusals.Reason.NOT_A_WHOLE_NUMBER ? 1 : 0;
        refusedAt++;
      } else {
        assertThat(rowPath).as("row %d %s", r, java.util.Arrays.toString(row)).isNull();
        assertThat(points[r]).as("row %d %s", r, java.util.Arrays.toString(row))
            .isEqualTo(plain.score(row).points()).isEqualTo(whole.score(row).points());
      }
    }
    assertThat(refusedAt).isEqualTo(refusals.count());
    assertThat(wholeRefusals).as("fractions refused").isGreaterThan(n / 10);
    assertThat(n - refusedAt).as("rows scored").isGreaterThan(n / 10);
  }

  /** A whole number in [lo - 5, hi + 5], a fraction there, NaN or an infinity. */
  private static double pick(SplittableRandom random, int lo, int hi) {
    int kind = random.nextInt(10);
    return kind < 5 ? random.nextInt(lo - 5, hi + 6)
        : kind < 8 ? random.nextInt(lo - 5, hi + 6) + (random.nextBoolean() ? 0.5 : random.nextDouble())
        : kind == 8 ? NaN : (random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
  }

  /**
   * The refusal {reason, column} the policies of the whole-number bundle give the row, or null:
   * column 0 passes missing values, clamps [0, 365], whole numbers; column 1 imputes, refuses
   * outside [0, 1]; column 2 refuses missing values and values outside [-1, 600], whole numbers;
   * column 3 categorical over 4 codes, passes missing values; column 4 passes missing values,
   * refuses outside [0, 1].
   */
  private static Object[] reference(double[] row) {
    double[] min = {0, 0, -1, 0, 0};
    double[] max = {365, 1, 600, 3, 1};
    boolean[] wholeNumber = {true, false, true, false, false};
    boolean[] rejectsMissing = {false, false, true, false, false};
    boolean[] clamps = {true, false, false, false, false};
    for (int j = 0; j < WIDTH; j++) {
      double x = row[j];
      if (x != x) {
        if (rejectsMissing[j]) {
          return new Object[] {RowRefusals.Reason.MISSING_VALUE, j};
        }
      } else if (wholeNumber[j] && Double.isFinite(x) && x != Math.floor(x)) {
        return new Object[] {RowRefusals.Reason.NOT_A_WHOLE_NUMBER, j};
      } else if (!(x >= min[j] && x <= max[j]) || Double.isInfinite(x)) {
        if (!clamps[j]) {
          return new Object[] {RowRefusals.Reason.OUT_OF_RANGE, j};
        }
      }
    }
    return null;
  }

  @Test
  void bundleField_readWrittenAndRefusedWhereItCannotApply() throws Exception {
    ModelBundle bundle = wholeBundle();
    assertThat(bundle.schema().feature(0).wholeNumber()).isTrue();
    assertThat(bundle.schema().feature(1).wholeNumber()).isFalse();
    assertThat(bundle.schema().feature(2).wholeNumber()).isTrue();
    // written back only where true: the plain bundle's features carry no such key
    assertThat(TestBundles.text("scorecard.json")).doesNotContain("whole_number");

    ObjectNode notBoolean = TestBundles.tree("scorecard.json");
    ((ObjectNode) notBoolean.get("features").get(2)).put("whole_number", "yes");
    assertThatThrownBy(() -> TestBundles.seal(notBoolean, false)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("features[2].whole_number").hasMessageContaining("expected true or false");
    ObjectNode categorical = TestBundles.tree("scorecard.json");
    ((ObjectNode) categorical.get("features").get(3)).put("whole_number", true);
    assertThatThrownBy(() -> TestBundles.seal(categorical, false)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("features[3].whole_number").hasMessageContaining("for numeric features");
    ObjectNode imputeFraction = TestBundles.tree("scorecard.json");
    ((ObjectNode) imputeFraction.get("features").get(1)).put("whole_number", true);
    assertThatThrownBy(() -> TestBundles.seal(imputeFraction, false)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("features[1].impute_value")
        .hasMessageContaining("imputed value 0.02 is not a whole number, and the feature takes whole numbers only");
  }

  @Test
  void featureSpec_wholeNumberRule() {
    FeatureSpec count = FeatureSpec.integer("late_invoices", "count", 0, 1000, "");
    assertThat(count.wholeNumber()).isTrue();
    assertThat(count.accepts(3)).isTrue();
    assertThat(count.accepts(3.0000000000000004)).isFalse();
    assertThat(count.accepts(2.5)).isFalse();
    assertThat(count.accepts(NaN)).as("missing, as for every feature").isTrue();
    assertThat(count.accepts(1001)).isFalse();
    assertThat(FeatureSpec.numeric("x", "", 0, 10, "").accepts(2.5)).isTrue();
    // the record's earlier constructor still builds, as a feature that takes fractions
    FeatureSpec earlier = new FeatureSpec("x", FeatureType.NUMERIC, "", 0, 10, List.of(), "");
    assertThat(earlier.wholeNumber()).isFalse();
    assertThat(earlier).isEqualTo(FeatureSpec.numeric("x", "", 0, 10, ""));
    assertThatThrownBy(() -> new FeatureSpec("s", FeatureType.CATEGORICAL, "", 0, 0, List.of("a"), "", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only a numeric feature");
  }
}

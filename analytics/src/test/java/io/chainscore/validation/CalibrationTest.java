package io.chainscore.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

class CalibrationTest {
  @Test
  void brier_referenceExample_matchesWorkedValue() {
    double[] p = {.1, .2, .05, .7, .3};
    int[] y = {0, 0, 0, 1, 1};
    assertThat(Calibration.brier(p, y)).isCloseTo(0.1265, within(1e-12));
  }

  @Test
  void hosmerLemeshow_referenceGroups_matchesWorkedValues() {
    long[] n = {200, 200, 200, 200, 200};
    long[] o = {1, 3, 5, 9, 18};
    double[] p = {0.005, 0.01, 0.02, 0.04, 0.08};
    HosmerLemeshow df3 = Calibration.hosmerLemeshow(n, o, p, 3);
    assertThat(df3.statistic()).isCloseTo(1.162100, within(1e-6));
    assertThat(df3.pValue()).isCloseTo(0.762108, within(1e-6));
    HosmerLemeshow df5 = Calibration.hosmerLemeshow(n, o, p, 5);
    assertThat(df5.pValue()).isCloseTo(0.948461, within(1e-6));
  }

  @Test
  void hosmerLemeshow_rawObservations_groupsByPdQuantiles() {
    double[] pdByGroup = {0.005, 0.01, 0.02, 0.04, 0.08};
    int[] defaultsByGroup = {1, 3, 5, 9, 18};
    double[] pd = new double[1000];
    int[] y = new int[1000];
    // interleave groups so that grouping must come from sorting, not from input order
    for (int i = 0; i < 1000; i++) {
      int g = i % 5;
      int k = i / 5;
      pd[i] = pdByGroup[g];
      y[i] = k < defaultsByGroup[g] ? 1 : 0;
    }
    HosmerLemeshow hl = Calibration.hosmerLemeshow(pd, y, 5);
    assertThat(hl.groups()).isEqualTo(5);
    assertThat(hl.degreesOfFreedom()).isEqualTo(3);
    assertThat(hl.statistic()).isCloseTo(1.162100, within(1e-6));
    assertThat(hl.pValue()).isCloseTo(0.762108, within(1e-6));
  }

  @Test
  void hosmerLemeshowByGroup_gradesOutOfSample_matchesWorkedValueAtDf5() {
    double[] pdByGroup = {0.005, 0.01, 0.02, 0.04, 0.08};
    int[] defaultsByGroup = {1, 3, 5, 9, 18};
    double[] pd = new double[1000];
    int[] y = new int[1000];
    int[] grade = new int[1000];
    for (int i = 0; i < 1000; i++) {
      grade[i] = 4 - i % 5; // grades numbered in reverse to show the index is only a label
      pd[i] = pdByGroup[i % 5];
      y[i] = i / 5 < defaultsByGroup[i % 5] ? 1 : 0;
    }
    HosmerLemeshow hl = Calibration.hosmerLemeshowByGroup(pd, y, grade, 5);
    assertThat(hl.statistic()).isCloseTo(1.162100, within(1e-6));
    assertThat(hl.pValue()).isCloseTo(0.948461, within(1e-6));
  }

  @Test
  void binomialPValue_referenceGrade_matchesWorkedValues() {
    assertThat(Calibration.binomialPValue(1000, 10, 0.01)).isCloseTo(0.542699, within(1e-6));
    assertThat(Calibration.binomialPValue(1000, 15, 0.01)).isCloseTo(0.082412, within(1e-6));
    assertThat(Calibration.binomialPValue(1000, 18, 0.01)).isCloseTo(0.013833, within(1e-6));
    assertThat(Calibration.binomialPValue(1000, 20, 0.01)).isCloseTo(0.003288, within(1e-6));
    assertThat(Calibration.binomialPValue(1000, 0, 0.01)).isEqualTo(1.0);
  }

  @Test
  void binomialPValue_agreesWithBinomialSurvivalFunction() {
    BinomialDistribution b = new BinomialDistribution(null, 500, 0.03);
    for (int d = 1; d <= 40; d++) {
      double expected = 1 - b.cumulativeProbability(d - 1);
      assertThat(Calibration.binomialPValue(500, d, 0.03)).isCloseTo(expected, within(1e-10));
    }
  }

  @Test
  void binomialCriticalDefaults_referenceGrade_matchesWorkedValues() {
    assertThat(Calibration.binomialCriticalDefaults(1000, 0.01, 0.05)).isEqualTo(16);
    assertThat(Calibration.binomialCriticalDefaults(1000, 0.01, 0.01)).isEqualTo(19);
    assertThat(Calibration.binomialCriticalDefaults(1000, 0.01, 0.001)).isEqualTo(22);
  }

  @Test
  void jeffreysPValue_referenceGrade_matchesWorkedValues() {
    assertThat(Calibration.jeffreysPValue(1000, 10, 0.01)).isCloseTo(0.479057, within(1e-6));
    assertThat(Calibration.jeffreysPValue(1000, 15, 0.01)).isCloseTo(0.063228, within(1e-6));
    assertThat(Calibration.jeffreysPValue(1000, 17, 0.01)).isCloseTo(0.019225, within(1e-6));
    assertThat(Calibration.jeffreysPValue(1000, 18, 0.01)).isCloseTo(0.009832, within(1e-6));
    assertThat(Calibration.jeffreysPValue(1000, 20, 0.01)).isCloseTo(0.002231, within(1e-6));
  }

  @Test
  void grade_badInput_isRejectedWithValues() {
    assertThatThrownBy(() -> Calibration.binomialPValue(10, 11, 0.1))
        .hasMessageContaining("defaults 11");
    assertThatThrownBy(() -> Calibration.brier(new double[] {1.5}, new int[] {1}))
        .hasMessage("pd[0]: expected a value in [0, 1], got 1.5");
  }

  /**
   * A p-value far in the tail is the tail, not 0: 1 - CDF rounded to 0 below about 1e-16 (a
   * statistic of 115 on 10 degrees of freedom read 0 for 4.2e-20). Reference: the chi-square upper
   * tail for an even df k, exp(-x/2) sum_{i<k/2} (x/2)^i / i!, in closed form.
   */
  @Test
  void hosmerLemeshow_farTail_isTheTailNotZero() {
    int rows = 2000;
    double[] pd = new double[rows];
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      pd[i] = 0.05 + 0.00005 * i;
      y[i] = i % 5 == 0 ? 1 : 0;   // a fifth default against PDs of 5-15%
    }
    HosmerLemeshow hl = Calibration.hosmerLemeshow(pd, y, 10);
    assertThat(hl.statistic()).isBetween(100.0, 1200.0);
    assertThat(hl.degreesOfFreedom() % 2).isZero();
    double half = hl.statistic() / 2;
    double sum = 0;
    double term = 1;
    for (int i = 0; i < hl.degreesOfFreedom() / 2; i++) {
      sum += term;
      term *= half / (i + 1);
    }
    double reference = Math.exp(-half) * sum;
    assertThat(reference).isLessThan(1e-30).isPositive();
    assertThat(hl.pValue()).isCloseTo(reference, within(reference * 1e-9));
  }

  /**
   * One obligor, all defaults, and PD 0 or 1 are valid grades with closed forms: P(X >= 1) of
   * Bernoulli(p) is p; P(X >= 5) of Binomial(5, 1/2) is 1/32; the Jeffreys posterior of 0 defaults
   * in 1, Beta(1/2, 3/2), has CDF (2/pi)(asin sqrt x + sqrt(x(1 - x))) (substitute t = sin^2),
   * and that of 1 default in 1, Beta(3/2, 1/2), is 1 minus it at 1 - x.
   */
  @Test
  void gradeTests_singleObligorAndPdEdges_matchClosedForms() {
    assertThat(Calibration.binomialPValue(1, 1, 0.3)).isCloseTo(0.3, within(1e-14));
    assertThat(Calibration.binomialPValue(5, 5, 0.5)).isCloseTo(1.0 / 32, within(1e-14));
    assertThat(Calibration.binomialPValue(10, 3, 0.0)).isEqualTo(0.0);
    assertThat(Calibration.binomialPValue(10, 3, 1.0)).isEqualTo(1.0);
    double x = 0.25;
    double beta = 2 / Math.PI * (Math.asin(Math.sqrt(x)) + Math.sqrt(x * (1 - x)));
    assertThat(Calibration.jeffreysPValue(1, 0, x)).isCloseTo(beta, within(1e-12));
    double y = 1 - x;
    double betaAtY = 2 / Math.PI * (Math.asin(Math.sqrt(y)) + Math.sqrt(y * (1 - y)));
    assertThat(Calibration.jeffreysPValue(1, 1, x)).isCloseTo(1 - betaAtY, within(1e-12));
    assertThat(Calibration.jeffreysPValue(10, 3, 0.0)).isEqualTo(0.0);
    assertThat(Calibration.jeffreysPValue(10, 3, 1.0)).isEqualTo(1.0);
  }

  @Test
  void gradeTests_outOfRangeGrade_refused() {
    long[][] bad = {{0, 0}, {10, -1}, {10, 11}};
    for (long[] g : bad) {
      assertThatThrownBy(() -> Calibration.binomialPValue(g[0], g[1], 0.1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grade");
      assertThatThrownBy(() -> Calibration.jeffreysPValue(g[0], g[1], 0.1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grade");
    }
    for (double pd : new double[] {-0.01, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> Calibration.binomialPValue(10, 1, pd)).hasMessageContaining("grade");
      assertThatThrownBy(() -> Calibration.jeffreysPValue(10, 1, pd)).hasMessageContaining("grade");
      assertThatThrownBy(() -> Calibration.binomialCriticalDefaults(10, pd, 0.05)).hasMessageContaining("grade");
    }
    assertThatThrownBy(() -> Calibration.binomialCriticalDefaults(0, 0.01, 0.05)).hasMessageContaining("grade");
    for (double alpha : new double[] {0.0, 1.0}) {
      assertThatThrownBy(() -> Calibration.binomialCriticalDefaults(1000, 0.01, alpha))
          .hasMessageContaining("alpha");
    }
  }

  /**
   * Small grades by hand: 1 obligor at PD 1/2 never rejects at 5% (P(X >= 1) = 1/2), so the answer
   * is count + 1; 2 obligors at PD 0.1 give P(X >= 1) = 0.19, P(X >= 2) = 0.01, so 2.
   */
  @Test
  void binomialCriticalDefaults_smallGrades_matchHandCounts() {
    assertThat(Calibration.binomialCriticalDefaults(1, 0.5, 0.05)).isEqualTo(2);
    assertThat(Calibration.binomialCriticalDefaults(2, 0.1, 0.05)).isEqualTo(2);
  }

  /**
   * Hand values: groups (N, O, p) = (4, 4, 0.5), (100, 0, 0.02), (100, 5, 0.05) give
   * (4 - 2)^2 / (2 * 0.5) + (0 - 2)^2 / (2 * 0.98) + 0 = 4 + 4 / 1.96 = 6.040816..., a group with
   * no defaults and one where all default being valid; on 1 degree of freedom the chi-square tail
   * is erfc(sqrt(x / 2)).
   */
  @Test
  void hosmerLemeshow_edgeGroupsOnOneDf_matchHandValue() {
    HosmerLemeshow hl = Calibration.hosmerLemeshow(
        new long[] {4, 100, 100}, new long[] {4, 0, 5}, new double[] {0.5, 0.02, 0.05}, 1);
    double statistic = 4 + 4 / 1.96;
    assertThat(hl.statistic()).isCloseTo(statistic, within(1e-12));
    assertThat(hl.degreesOfFreedom()).isEqualTo(1);
    assertThat(hl.pValue())
        .isCloseTo(org.apache.commons.math3.special.Erf.erfc(Math.sqrt(statistic / 2)), within(1e-12));
  }

  @Test
  void hosmerLemeshow_badGroupOrDf_refused() {
    long[] n = {100, 100, 100};
    long[] o = {1, 2, 5};
    double[] p = {0.01, 0.02, 0.05};
    assertThatThrownBy(() -> Calibration.hosmerLemeshow(n, o, p, 0)).hasMessageContaining("degrees of freedom");
    assertThatThrownBy(() -> Calibration.hosmerLemeshow(new long[] {0, 100, 100}, new long[] {0, 2, 5}, p, 1))
        .hasMessageContaining("group 0");
    assertThatThrownBy(() -> Calibration.hosmerLemeshow(n, new long[] {-1, 2, 5}, p, 1)).hasMessageContaining("group 0");
    assertThatThrownBy(() -> Calibration.hosmerLemeshow(n, new long[] {1, 101, 5}, p, 1)).hasMessageContaining("group 1");
    assertThatThrownBy(() -> Calibration.hosmerLemeshow(n, o, new double[] {0.01, 0.0, 0.05}, 1)).hasMessageContaining("group 1");
    assertThatThrownBy(() -> Calibration.hosmerLemeshow(n, o, new double[] {0.01, 0.02, 1.0}, 1)).hasMessageContaining("group 2");
    // the raw and by-group forms check their rows
    assertThatThrownBy(() -> Calibration.hosmerLemeshow(new double[] {0.1, 1.5, 0.2}, new int[] {0, 1, 0}, 3))
        .hasMessageContaining("pd[1]");
    assertThatThrownBy(() -> Calibration.hosmerLemeshowByGroup(new double[] {0.1, 0.2, 0.3}, new int[] {0, 2, 0}, new int[] {0, 1, 2}, 1))
        .hasMessageContaining("labels[1]");
  }

  /** PD 0 and 1 are valid in the Brier score: a sure and right forecast scores 0, sure and wrong 1. */
  @Test
  void brier_pdZeroAndOne_areValid() {
    assertThat(Calibration.brier(new double[] {0, 1}, new int[] {0, 1})).isEqualTo(0.0);
    assertThat(Calibration.brier(new double[] {1, 0}, new int[] {0, 1})).isEqualTo(1.0);
  }

  /**
   * A run of equal PDs that crosses a nominal boundary stays whole, and the group it swallowed is
   * dropped: 10 rows in 5 groups with PDs 0.01 x4, 0.02 x2, 0.05 x2, 0.10 x2 form 4 groups (df 2).
   * Reference: the statistic by its formula over those 4 hand-made groups; and exactly 3 groups
   * are enough (df 1).
   */
  @Test
  void hosmerLemeshow_tieAcrossBoundaryAndThreeGroups_groupsByHand() {
    double[] pd = {0.10, 0.01, 0.05, 0.01, 0.02, 0.10, 0.01, 0.05, 0.02, 0.01};
    int[] y = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0};
    HosmerLemeshow hl = Calibration.hosmerLemeshow(pd, y, 5);
    assertThat(hl.groups()).isEqualTo(4);
    assertThat(hl.degreesOfFreedom()).isEqualTo(2);
    double[][] groups = {{4, 1, 0.01}, {2, 0, 0.02}, {2, 1, 0.05}, {2, 1, 0.10}}; // N, O, p
    double statistic = 0;
    for (double[] g : groups) {
      double e = g[0] * g[2];
      statistic += (g[1] - e) * (g[1] - e) / (e * (1 - g[2]));
    }
    assertThat(hl.statistic()).isCloseTo(statistic, within(1e-12));

    HosmerLemeshow three = Calibration.hosmerLemeshow(
        new double[] {0.01, 0.01, 0.02, 0.02, 0.05, 0.05}, new int[] {1, 0, 0, 0, 0, 1}, 3);
    assertThat(three.groups()).isEqualTo(3);
    assertThat(three.degreesOfFreedom()).isEqualTo(1);
  }

  /** An empty grade (no rows in grade 1) is skipped, not a group of 0: the worked value holds. */
  @Test
  void hosmerLemeshowByGroup_emptyGrade_isSkipped() {
    double[] pdByGroup = {0.005, 0.01, 0.02, 0.04, 0.08};
    int[] defaultsByGroup = {1, 3, 5, 9, 18};
    int[] gradeOf = {0, 2, 3, 4, 5};
    double[] pd = new double[1000];
    int[] y = new int[1000];
    int[] grade = new int[1000];
    for (int i = 0; i < 1000; i++) {
      grade[i] = gradeOf[i % 5];
      pd[i] = pdByGroup[i % 5];
      y[i] = i / 5 < defaultsByGroup[i % 5] ? 1 : 0;
    }
    HosmerLemeshow hl = Calibration.hosmerLemeshowByGroup(pd, y, grade, 5);
    assertThat(hl.groups()).isEqualTo(5);
    assertThat(hl.statistic()).isCloseTo(1.162100, within(1e-6));
    assertThat(hl.pValue()).isCloseTo(0.948461, within(1e-6));
  }
}

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
}

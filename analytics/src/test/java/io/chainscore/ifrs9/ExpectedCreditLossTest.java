package io.chainscore.ifrs9;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.ifrs9.ExpectedCreditLoss.LossTiming;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of {@code shared/reference/ifrs9-ecl.md} (computed there by hand and with
 * rational arithmetic), to 1e-9 where the reference gives that many digits.
 */
class ExpectedCreditLossTest {
  private static final double[] LGD = {0.4, 0.4, 0.4};
  private static final double[] EAD = {1_000_000, 700_000, 360_000};
  private static final double[][] MATRIX = {
      {0.90, 0.08, 0.015, 0.005},
      {0.05, 0.85, 0.08, 0.02},
      {0.01, 0.09, 0.80, 0.10},
      {0, 0, 0, 1}};

  @Test
  void amortisingFacility_workedExampleA_endOfPeriod() {
    PdTermStructure pd = PdTermStructure.ofMarginal(1, 0.020, 0.025, 0.030);
    assertThat(pd.hazard(2)).isCloseTo(0.0255102, within(5e-8));
    assertThat(pd.hazard(3)).isCloseTo(0.0314136, within(5e-8));
    ExpectedCreditLoss ecl = new ExpectedCreditLoss(pd, LGD, EAD, 0.08, 3, LossTiming.END_OF_PERIOD);
    assertThat(ecl.twelveMonth()).isCloseTo(7407.407407, within(1e-6));
    assertThat(ecl.lifetime()).isCloseTo(16838.134431, within(1e-6));
    double[] terms = ecl.terms(3);
    assertThat(terms[1]).isCloseTo(6001.37, within(5e-3));
    assertThat(terms[2]).isCloseTo(3429.36, within(5e-3));
  }

  @Test
  void amortisingFacility_workedExampleA_midPeriod() {
    PdTermStructure pd = PdTermStructure.ofMarginal(1, 0.020, 0.025, 0.030);
    ExpectedCreditLoss ecl = new ExpectedCreditLoss(pd, LGD, EAD, 0.08, 3, LossTiming.MID_PERIOD);
    assertThat(ecl.twelveMonth()).isCloseTo(7698.003589, within(1e-6));
    assertThat(ecl.lifetime()).isCloseTo(17498.702603, within(1e-6));
  }

  @Test
  void migrationMatrix_workedExampleB_cumulativeAndMarginalPds() {
    MigrationMatrix p = MigrationMatrix.of(List.of("A", "B", "C"), MATRIX);
    PdTermStructure a = p.termStructure(0, 3, 1);
    PdTermStructure b = p.termStructure(1, 3, 1);
    PdTermStructure c = p.termStructure(2, 3, 1);
    assertThat(new double[] {a.cumulative(1), a.cumulative(2), a.cumulative(3)})
        .containsExactly(new double[] {0.005, 0.0126, 0.02268775}, within(1e-12));
    assertThat(new double[] {b.cumulative(1), b.cumulative(2), b.cumulative(3)})
        .containsExactly(new double[] {0.02, 0.04525, 0.0736405}, within(1e-12));
    assertThat(new double[] {c.cumulative(1), c.cumulative(2), c.cumulative(3)})
        .containsExactly(new double[] {0.1, 0.18185, 0.2496785}, within(1e-12));
    assertThat(a.marginal(3)).isCloseTo(0.01008775, within(1e-12));
    assertThat(b.marginal(2)).isCloseTo(0.02525, within(1e-12));
    assertThat(c.marginal(3)).isCloseTo(0.0678285, within(1e-12));
  }

  @Test
  void gradeBMarginals_inExampleA_giveThePublishedLifetimeEcl() {
    MigrationMatrix p = MigrationMatrix.of(List.of("A", "B", "C"), MATRIX);
    ExpectedCreditLoss ecl = new ExpectedCreditLoss(p.termStructure(1, 3, 1), LGD, EAD, 0.08, 3,
        LossTiming.END_OF_PERIOD);
    assertThat(ecl.lifetime()).isCloseTo(16714.163237, within(1e-6));
  }

  @Test
  void sixtyDayInvoice_twelveMonthEqualsLifetime_atThePartYearPd() {
    assertThat(PdTermStructure.partYearPd(0.02, 60 / 365.0)).isCloseTo(0.00331548, within(5e-9));
    PdTermStructure pd = PdTermStructure.ofCumulative(1, 0.02);
    ExpectedCreditLoss ecl = new ExpectedCreditLoss(pd, new double[] {0.45}, new double[] {100_000}, 0.06,
        60 / 365.0, LossTiming.END_OF_PERIOD);
    double expected = PdTermStructure.partYearPd(0.02, 60 / 365.0) * 0.45 * 100_000 * Math.pow(1.06, -60 / 365.0);
    assertThat(ecl.twelveMonth()).isCloseTo(expected, within(1e-9));
    assertThat(ecl.lifetime()).isEqualTo(ecl.twelveMonth());
  }

  @Test
  void staging_sicrIllustration_andBackstops() {
    Staging staging = new Staging(2, 0.005, 30);
    // originated in A, now in B: 3-year CPD 0.02268775 -> 0.0736405 (ratio 3.24583, +5.09528 pp)
    assertThat(staging.assess(0.0736405, 0.02268775, 0, false).stage()).isEqualTo(Staging.Stage.STAGE_2);
    assertThat(staging.assess(0.03, 0.02268775, 0, false).stage()).isEqualTo(Staging.Stage.STAGE_1);
    // relative test passes but the absolute increase (0.2 pp) is too small
    assertThat(staging.assess(0.004, 0.002, 0, false).stage()).isEqualTo(Staging.Stage.STAGE_1);
    assertThat(staging.assess(0.004, 0.002, 31, false).reason()).contains("30 days past due");
    assertThat(staging.assess(0.004, 0.002, 30, false).stage()).isEqualTo(Staging.Stage.STAGE_1);
    assertThat(staging.assess(0.5, Double.NaN, 0, true).stage()).isEqualTo(Staging.Stage.STAGE_3);
    assertThatThrownBy(() -> staging.assess(0.01, Double.NaN, 0, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("origination PD");
  }

  @Test
  void scenarios_weightedAfterComputing_andWeightsChecked() {
    Scenarios.Scenario[] scenarios = {
        new Scenarios.Scenario("base", 0.6, 0), new Scenarios.Scenario("downturn", 0.3, -1.5),
        new Scenarios.Scenario("upturn", 0.1, 1)};
    double[] ecl = new double[3];
    for (int s = 0; s < 3; s++) {
      double annual = Scenarios.conditionalPd(0.02, 0.12, scenarios[s].factor());
      ecl[s] = new ExpectedCreditLoss(PdTermStructure.ofCumulative(1, annual), new double[] {0.4},
          new double[] {1000}, 0.0, 1, LossTiming.END_OF_PERIOD).lifetime();
    }
    assertThat(ecl[1]).isGreaterThan(ecl[0]).isGreaterThan(ecl[2]);
    assertThat(Scenarios.weighted(scenarios, ecl)).isCloseTo(0.6 * ecl[0] + 0.3 * ecl[1] + 0.1 * ecl[2], within(1e-12));
    assertThat(Scenarios.conditionalPd(0.02, 0.12, 0)).isLessThan(0.02); // the median state is milder than the mean
    assertThatThrownBy(() -> Scenarios.weighted(new Scenarios.Scenario[] {
        new Scenarios.Scenario("base", 0.6, 0), new Scenarios.Scenario("down", 0.3, -1)}, new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum to 1");
  }

  @Test
  void migrationMatrix_badRows_andEstimationFromTwoRuns() {
    assertThatThrownBy(() -> MigrationMatrix.of(List.of("A"), new double[][] {{0.9, 0.2}, {0, 1}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row A").hasMessageContaining("summing to 1");
    assertThatThrownBy(() -> MigrationMatrix.of(List.of("A"), new double[][] {{0.9, 0.1}, {0.5, 0.5}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absorbing");
    // 4 obligors in A: 3 stay, 1 defaults; 2 in B: one to A, one stays
    MigrationMatrix m = MigrationMatrix.estimate(List.of("A", "B"), new int[] {0, 0, 0, 0, 1, 1}, new int[] {0, 0, 0, 2, 0, 1});
    assertThat(m.probability(0, 0)).isEqualTo(0.75);
    assertThat(m.probability(0, 2)).isEqualTo(0.25);
    assertThat(m.probability(1, 0)).isEqualTo(0.5);
    assertThat(m.probability(2, 2)).isEqualTo(1.0);
  }
}

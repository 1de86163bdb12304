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

  /**
   * Valid edges of a term structure: a period with no new defaults (CPD flat, marginal 0, hazard
   * 0), a CPD that reaches 1 (after which nothing survives: hazard 0 by convention, not 0/0), a
   * hazard of 0 or 1, a marginal of 0; and the part-year PD at its ends: 1 - (1 - PD)^0 = 0,
   * 1 - 0^tau = 1, 1 - 1^tau = 0.
   */
  @Test
  void termStructure_edgesAreValid_withTheirClosedForms() {
    PdTermStructure flat = PdTermStructure.ofCumulative(1, 0.02, 0.02, 0.03);
    assertThat(flat.marginal(2)).isZero();
    assertThat(flat.hazard(2)).isZero();
    assertThat(flat.hazard(3)).isCloseTo(0.01 / 0.98, within(1e-15));
    PdTermStructure certain = PdTermStructure.ofCumulative(1, 0.5, 1.0, 1.0);
    assertThat(certain.hazard(2)).isCloseTo(1.0, within(1e-15));
    assertThat(certain.hazard(3)).isZero();
    PdTermStructure hazards = PdTermStructure.ofHazards(1, 0.0, 1.0);
    assertThat(hazards.cumulative(1)).isZero();
    assertThat(hazards.cumulative(2)).isEqualTo(1.0);
    assertThat(PdTermStructure.ofMarginal(1, 0.0, 0.01).cumulative(2)).isCloseTo(0.01, within(1e-15));
    assertThat(PdTermStructure.partYearPd(0.02, 0)).isZero();
    assertThat(PdTermStructure.partYearPd(1.0, 0.5)).isEqualTo(1.0);
    assertThat(PdTermStructure.partYearPd(0.0, 0.5)).isZero();
  }

  @Test
  void termStructure_outOfRange_refused() {
    assertThatThrownBy(() -> PdTermStructure.ofCumulative(0, 0.02)).hasMessageContaining("period length");
    assertThatThrownBy(() -> PdTermStructure.ofCumulative(1)).hasMessageContaining("at least one period");
    assertThatThrownBy(() -> PdTermStructure.ofCumulative(1, 0.02, 0.0199)).hasMessageContaining("never fall");
    assertThatThrownBy(() -> PdTermStructure.ofCumulative(1, 0.02, 1.0001)).hasMessageContaining("period 2");
    assertThatThrownBy(() -> PdTermStructure.ofHazards(1, 0.1, 1.01)).hasMessageContaining("conditional PD of period 2");
    assertThatThrownBy(() -> PdTermStructure.ofHazards(1, -0.01)).hasMessageContaining("conditional PD of period 1");
    assertThatThrownBy(() -> PdTermStructure.ofMarginal(1, 0.01, -0.01)).hasMessageContaining("marginal PD of period 2");
    assertThatThrownBy(() -> PdTermStructure.partYearPd(1.01, 0.5)).hasMessageContaining("part-year PD");
    assertThatThrownBy(() -> PdTermStructure.partYearPd(0.02, -0.1)).hasMessageContaining("part-year PD");
  }

  /**
   * The ECL's inputs are checked over every period the maturity needs: a quarterly structure of 2
   * periods cannot cover a year (4 are needed), an LGD above 1 in period 2 is refused, and so is an
   * EIR of -100% (a discount factor of 0^-t); LGD 0 and 1, EAD 0 and an EIR of 0 are valid.
   */
  @Test
  void ecl_inputsCheckedOverEveryNeededPeriod() {
    PdTermStructure quarterly = PdTermStructure.ofMarginal(0.25, 0.01, 0.01);
    double[] four = {0.4, 0.4, 0.4, 0.4};
    assertThatThrownBy(() -> new ExpectedCreditLoss(quarterly, four, four, 0.08, 1, LossTiming.END_OF_PERIOD))
        .hasMessageContaining("at least 4 periods");
    PdTermStructure pd = PdTermStructure.ofMarginal(1, 0.020, 0.025, 0.030);
    assertThatThrownBy(() -> new ExpectedCreditLoss(pd, new double[] {0.4, 1.1, 0.4}, EAD, 0.08, 3, LossTiming.END_OF_PERIOD))
        .hasMessageContaining("LGD of period 2");
    assertThatThrownBy(() -> new ExpectedCreditLoss(pd, LGD, new double[] {1, -1, 1}, 0.08, 3, LossTiming.END_OF_PERIOD))
        .hasMessageContaining("EAD of period 2");
    assertThatThrownBy(() -> new ExpectedCreditLoss(pd, LGD, EAD, -1.0, 3, LossTiming.END_OF_PERIOD))
        .hasMessageContaining("effective interest rate");
    assertThatThrownBy(() -> new ExpectedCreditLoss(pd, LGD, EAD, 0.08, 0, LossTiming.END_OF_PERIOD))
        .hasMessageContaining("maturity");
    // LGD 1 and 0, EAD 0, EIR 0: by hand 0.02 x 1 x 1,000,000 + 0 + 0.03 x 0.4 x 0
    ExpectedCreditLoss edges = new ExpectedCreditLoss(pd, new double[] {1.0, 0.0, 0.4},
        new double[] {1_000_000, 700_000, 0}, 0.0, 3, LossTiming.END_OF_PERIOD);
    assertThat(edges.lifetime()).isCloseTo(20_000, within(1e-9));
  }

  /**
   * Scenario edges: PD 0 and 1 are fixed points of the conditional PD and rho = 0 leaves the PD as
   * it is; one scenario of weight 1, or weights 1 and 0, are valid and weight the ECLs as given.
   */
  @Test
  void scenarios_edgesAreValid() {
    assertThat(Scenarios.conditionalPd(0.0, 0.12, -2)).isZero();
    assertThat(Scenarios.conditionalPd(1.0, 0.12, -2)).isEqualTo(1.0);
    assertThat(Scenarios.conditionalPd(0.02, 0.0, -2)).isEqualTo(0.02);
    assertThatThrownBy(() -> Scenarios.conditionalPd(0.02, 1.0, -2)).hasMessageContaining("rho in [0, 1)");
    assertThatThrownBy(() -> Scenarios.conditionalPd(1.01, 0.1, -2)).hasMessageContaining("PD in [0, 1]");
    assertThat(Scenarios.weighted(new Scenarios.Scenario[] {new Scenarios.Scenario("only", 1.0, 0)}, new double[] {7}))
        .isEqualTo(7.0);
    assertThat(Scenarios.weighted(new Scenarios.Scenario[] {new Scenarios.Scenario("all", 1.0, 0),
        new Scenarios.Scenario("none", 0.0, -3)}, new double[] {7, 100})).isEqualTo(7.0);
    assertThatThrownBy(() -> Scenarios.weighted(new Scenarios.Scenario[] {new Scenarios.Scenario("over", 1.5, 0),
        new Scenarios.Scenario("under", -0.5, -3)}, new double[] {7, 100})).hasMessageContaining("weight in [0, 1]");
  }

  /**
   * Default is a state, not a grade: a term structure "from default" and an obligor starting in
   * default are refused (its row is fixed at (0, ..., 0, 1), not estimated).
   */
  @Test
  void migrationMatrix_defaultIsNotAStartingGrade() {
    MigrationMatrix p = MigrationMatrix.of(List.of("A", "B", "C"), MATRIX);
    assertThatThrownBy(() -> p.termStructure(3, 2, 1)).hasMessageContaining("grade index: expected 0..2, got 3");
    assertThatThrownBy(() -> MigrationMatrix.estimate(List.of("A", "B"), new int[] {0, 2}, new int[] {0, 2}))
        .hasMessageContaining("migration of obligor 1");
  }
}

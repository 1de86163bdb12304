package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Dilution and default capital of purchased receivables against the worked example of {@code
 * shared/reference/scf-exposures.md} (Basel III, one receivable of 1,000,000; computed there in
 * double precision and again with 40-digit arithmetic).
 */
class PurchasedReceivablesTest {
  private static final double A = 1_000_000;

  @Test
  void workedExample_maturityFloorApplies() {
    PurchasedReceivables r = PurchasedReceivables.of(IrbRegime.BASEL_III, A, 0.01, 0.40, 1.0, false,
        0.005, 1.0, 1.0, Double.NaN);
    assertThat(CapitalCalculator.correlation(AssetClass.CORPORATE, 0.005, Double.NaN)).isCloseTo(0.213456, within(5e-7));
    assertThat(r.dilutionK()).isCloseTo(0.0927378, within(5e-8));
    assertThat(12.5 * r.dilutionK()).isCloseTo(1.15922, within(5e-6));
    assertThat(r.dilutionCapital()).isCloseTo(92_737.76, within(5e-3));
    assertThat(r.dilutionRwa()).isCloseTo(1_159_222.06, within(5e-2));
    assertThat(r.defaultEad()).isCloseTo(907_262.24, within(5e-3));
    assertThat(r.defaultK()).isCloseTo(0.0521091, within(5e-8));
    assertThat(r.defaultK() * r.defaultEad()).isCloseTo(47_276.59, within(5e-3));
    assertThat(r.defaultRwa()).isCloseTo(590_957.41, within(5e-2));
    assertThat(r.totalRwa()).isCloseTo(1_750_179.46, within(5e-2));
    assertThat(r.defaultExpectedLoss()).isCloseTo(3_629.05, within(5e-3));
    assertThat(r.dilutionExpectedLoss()).isCloseTo(5_000, within(1e-9));
  }

  @Test
  void workedExample_tradeExemptionTakesTheActualMaturity() {
    PurchasedReceivables r = PurchasedReceivables.of(IrbRegime.BASEL_III, A, 0.01, 0.40, 0.25, true,
        0.005, 1.0, 1.0, Double.NaN);
    assertThat(r.dilutionK()).isCloseTo(0.0927378, within(5e-8)); // M = 1 for dilution: MA exactly 1
    assertThat(r.defaultK()).isCloseTo(0.0453399, within(5e-8));
    assertThat(r.defaultK() * r.defaultEad()).isCloseTo(41_135.14, within(5e-3));
    assertThat(r.defaultRwa()).isCloseTo(514_189.23, within(5e-2));
    assertThat(r.totalRwa()).isCloseTo(1_673_411.29, within(5e-2));
    // without the exemption the same maturity is floored at one year
    assertThat(CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.01, 0.40, 0.25, Double.NaN))
        .isCloseTo(0.0521091, within(5e-8));
    assertThat(CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.01, 0.40, 2.5, Double.NaN))
        .isCloseTo(0.0656475, within(5e-8));
  }

  /**
   * The dilution EL is PD x LGD x amount at the dilution settings (PD = EL_D floored at the
   * corporate PD floor, LGD = the regime's dilution LGD; CRR Art. 158(10)), as docs/portfolio-risk.md
   * states: CRR's 75% LGD takes a quarter off it and a dilution below the floor is taken at the floor.
   */
  @Test
  void dilutionExpectedLoss_isFlooredPdTimesTheRegimesDilutionLgd() {
    PurchasedReceivables crr = PurchasedReceivables.of(IrbRegime.CRR, A, 0.01, 0.40, 1.0, false,
        0.005, IrbRegime.CRR.dilutionLgd(), 1.0, Double.NaN);
    assertThat(crr.dilutionExpectedLoss()).isCloseTo(0.005 * 0.75 * A, within(1e-9));
    PurchasedReceivables tiny = PurchasedReceivables.of(IrbRegime.BASEL_III, A, 0.01, 0.40, 1.0, false,
        0.0001, 1.0, 1.0, Double.NaN);
    assertThat(tiny.dilutionExpectedLoss()).isCloseTo(0.0005 * A, within(1e-9));
  }

  @Test
  void topDownPool_withoutAReliableSplit() {
    double[] senior = PurchasedReceivables.topDownPdLgd(IrbRegime.BASEL_III, 0.006, true);
    assertThat(senior).containsExactly(new double[] {0.015, 0.40}, within(1e-12));
    assertThat(CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, senior[0], senior[1], 1.0, Double.NaN))
        .isCloseTo(0.0614027, within(5e-8));
    double[] other = PurchasedReceivables.topDownPdLgd(IrbRegime.BASEL_III, 0.006, false);
    assertThat(other).containsExactly(new double[] {0.006, 1.0}, within(1e-12));
    assertThat(CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, other[0], other[1], 1.0, Double.NaN))
        .isCloseTo(0.102147, within(5e-7));
  }

  @Test
  void noDilution_leavesTheDefaultCapitalOnTheWholeAmount() {
    PurchasedReceivables r = PurchasedReceivables.of(IrbRegime.BASEL_III, A, 0.01, 0.40, 1.0, false,
        0, 1.0, 1.0, Double.NaN);
    assertThat(r.dilutionCapital()).isZero();
    assertThat(r.defaultEad()).isEqualTo(A);
    // no dilution, no dilution EL (not the floored PD's: the floor is for a dilution that exists)
    assertThat(r.dilutionExpectedLoss()).isZero();
    assertThat(r.defaultRwa()).isCloseTo(12.5 * 0.0521091 * A, within(1.0));
  }

  /** An amount of 0 is a valid (empty) receivable; a dilution of 100% or more is not a share in [0, 1). */
  @Test
  void amountZeroAndDilutionRange() {
    PurchasedReceivables empty = PurchasedReceivables.of(IrbRegime.BASEL_III, 0, 0.01, 0.40, 1.0, false,
        0.005, 1.0, 1.0, Double.NaN);
    assertThat(empty.totalRwa()).isZero();
    assertThat(empty.dilutionExpectedLoss()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PurchasedReceivables.of(IrbRegime.BASEL_III, A, 0.01,
        0.40, 1.0, false, 1.0, 1.0, 1.0, Double.NaN)).hasMessageContaining("expected dilution");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PurchasedReceivables.of(IrbRegime.BASEL_III, -1, 0.01,
        0.40, 1.0, false, 0.0, 1.0, 1.0, Double.NaN)).hasMessageContaining("receivables amount");
  }

  /**
   * Top-down at the ends of the pool EL range (CRE34.5): EL 0 gives PD 0; EL 100% on senior claims
   * gives PD = min(1, 1 / 40%) = 1 at LGD 40%, and PD 1, LGD 100% otherwise.
   */
  @Test
  void topDownPool_elOfZeroAndOne() {
    assertThat(PurchasedReceivables.topDownPdLgd(IrbRegime.BASEL_III, 0.0, true)).containsExactly(0.0, 0.40);
    assertThat(PurchasedReceivables.topDownPdLgd(IrbRegime.BASEL_III, 1.0, true)).containsExactly(1.0, 0.40);
    assertThat(PurchasedReceivables.topDownPdLgd(IrbRegime.BASEL_III, 1.0, false)).containsExactly(1.0, 1.0);
  }
}

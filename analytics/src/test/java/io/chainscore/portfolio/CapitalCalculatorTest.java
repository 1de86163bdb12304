package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.trade.Sector;
import org.junit.jupiter.api.Test;

class CapitalCalculatorTest {
  /**
   * Basel II (June 2006) Annex 5, "Illustrative IRB risk weights for UL", copied from
   * shared/reference/basel-irb.md: M = 2.5, SME column at turnover EUR 5m, no 1.06 factor.
   */
  private static final String ANNEX5 = """
      0.03% | 14.44% | 11.30% | 4.15% | 2.30% | 4.45% | 8.41% | 0.98% | 1.85%
      0.05% | 19.65% | 15.39% | 6.23% | 3.46% | 6.63% | 12.52% | 1.51% | 2.86%
      0.10% | 29.65% | 23.30% | 10.69% | 5.94% | 11.16% | 21.08% | 2.71% | 5.12%
      0.25% | 49.47% | 39.01% | 21.30% | 11.83% | 21.15% | 39.96% | 5.76% | 10.88%
      0.40% | 62.72% | 49.49% | 29.94% | 16.64% | 28.42% | 53.69% | 8.41% | 15.88%
      0.50% | 69.61% | 54.91% | 35.08% | 19.49% | 32.36% | 61.13% | 10.04% | 18.97%
      0.75% | 82.78% | 65.14% | 46.46% | 25.81% | 40.10% | 75.74% | 13.80% | 26.06%
      1.00% | 92.32% | 72.40% | 56.40% | 31.33% | 45.77% | 86.46% | 17.22% | 32.53%
      1.30% | 100.95% | 78.77% | 67.00% | 37.22% | 50.80% | 95.95% | 21.02% | 39.70%
      1.50% | 105.59% | 82.11% | 73.45% | 40.80% | 53.37% | 100.81% | 23.40% | 44.19%
      2.00% | 114.86% | 88.55% | 87.94% | 48.85% | 57.99% | 109.53% | 28.92% | 54.63%
      2.50% | 122.16% | 93.43% | 100.64% | 55.91% | 60.90% | 115.03% | 33.98% | 64.18%
      3.00% | 128.44% | 97.58% | 111.99% | 62.22% | | | |
      """;

  private static final AssetClass[] COLUMN_CLASS = {
    AssetClass.CORPORATE, AssetClass.CORPORATE, AssetClass.RESIDENTIAL_MORTGAGE,
    AssetClass.RESIDENTIAL_MORTGAGE, AssetClass.OTHER_RETAIL, AssetClass.OTHER_RETAIL,
    AssetClass.QRRE, AssetClass.QRRE
  };
  private static final double[] COLUMN_LGD = {0.45, 0.45, 0.45, 0.25, 0.45, 0.85, 0.45, 0.85};
  private static final double[] COLUMN_SALES = {Double.NaN, 5.0, Double.NaN, Double.NaN,
    Double.NaN, Double.NaN, Double.NaN, Double.NaN};

  private static double percent(String cell) {
    return Double.parseDouble(cell.trim().replace("%", "")) / 100.0;
  }

  @Test
  void capitalRequirement_reproducesAnnex5_everyCellWithinOneBasisPoint() {
    int cells = 0;
    for (String line : ANNEX5.strip().split("\n")) {
      String[] parts = line.split("\\|", -1);
      double pd = percent(parts[0]);
      for (int c = 0; c < COLUMN_CLASS.length; c++) {
        if (parts[c + 1].isBlank()) {
          continue;
        }
        double expected = percent(parts[c + 1]);
        double k = CapitalCalculator.capitalRequirement(COLUMN_CLASS[c], pd, COLUMN_LGD[c], 2.5,
            COLUMN_SALES[c]);
        assertThat(12.5 * k).as("PD %s column %d", parts[0].trim(), c).isCloseTo(expected, within(1e-4));
        cells++;
      }
    }
    assertThat(cells).isEqualTo(12 * 8 + 4);
  }

  @Test
  void correlation_corporateEndpointsAndSmeAdjustment() {
    // w -> 1 as PD -> 0: R -> 0.24; PD = 1 -> R = 0.12 exactly.
    assertThat(CapitalCalculator.correlation(AssetClass.CORPORATE, 1e-12, Double.NaN)).isCloseTo(0.24, within(1e-9));
    assertThat(CapitalCalculator.correlation(AssetClass.CORPORATE, 1.0, Double.NaN)).isCloseTo(0.12, within(1e-15));
    double large = CapitalCalculator.correlation(AssetClass.CORPORATE, 0.01, 60);
    assertThat(CapitalCalculator.correlation(AssetClass.CORPORATE, 0.01, Double.NaN)).isEqualTo(large);
    // S = 27.5 is half-way: adjustment 0.04 x 0.5; below 5 is treated as 5 (full 0.04).
    assertThat(CapitalCalculator.correlation(AssetClass.CORPORATE, 0.01, 27.5)).isCloseTo(large - 0.02, within(1e-15));
    assertThat(CapitalCalculator.correlation(AssetClass.CORPORATE, 0.01, 1.0)).isCloseTo(large - 0.04, within(1e-15));
    assertThat(CapitalCalculator.correlation(AssetClass.QRRE, 0.2, Double.NaN)).isEqualTo(0.04);
    assertThat(CapitalCalculator.correlation(AssetClass.RESIDENTIAL_MORTGAGE, 0.2, Double.NaN)).isEqualTo(0.15);
  }

  @Test
  void capitalRequirement_corporateAtOneYearEqualsLgdTimesVasicekCapital() {
    // Reference identity: corporate K at M = 1 equals LGD (q_0.999 - PD) with the same R.
    for (double pd : new double[] {0.001, 0.01, 0.05}) {
      double r = CapitalCalculator.correlation(AssetClass.CORPORATE, pd, Double.NaN);
      double k = CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, pd, 0.45, 1.0, Double.NaN);
      assertThat(k).isCloseTo(0.45 * Vasicek.economicCapital(0.999, pd, r), within(1e-14));
    }
  }

  @Test
  void capitalRequirement_maturityIsBoundedToOneAndFiveYears() {
    double at5 = CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.01, 0.45, 5, Double.NaN);
    assertThat(CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.01, 0.45, 9, Double.NaN)).isEqualTo(at5);
    double at1 = CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.01, 0.45, 1, Double.NaN);
    assertThat(CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.01, 0.45, 0.25, Double.NaN)).isEqualTo(at1);
    // b at PD 1% computed by hand: (0.11852 - 0.05478 ln 0.01)^2
    double b = Math.pow(0.11852 - 0.05478 * Math.log(0.01), 2);
    assertThat(at5 / at1).isCloseTo((1 + 2.5 * b) / (1 - 1.5 * b), within(1e-12));
    // Retail ignores maturity.
    assertThat(CapitalCalculator.capitalRequirement(AssetClass.QRRE, 0.01, 0.45, 5, Double.NaN))
        .isEqualTo(CapitalCalculator.capitalRequirement(AssetClass.QRRE, 0.01, 0.45, 1, Double.NaN));
  }

  @Test
  void capitalRequirement_defaultedAndZeroPd() {
    assertThat(CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 1.0, 0.45, 2.5, Double.NaN)).isZero();
    assertThat(CapitalCalculator.defaultedCapitalRequirement(0.45, 0.30)).isCloseTo(0.15, within(1e-15));
    assertThat(CapitalCalculator.defaultedCapitalRequirement(0.45, 0.50)).isZero();
  }

  private static Exposure exposure(double lgd, Collateral collateral) {
    return Exposure.builder().supplierId("s1").anchorId("a1").sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
        .drawn(800_000).undrawn(400_000, 0.5).lgd(lgd).collateral(collateral).maturityYears(2.5)
        .anchorSalesShare(0.6).build();
  }

  @Test
  void evaluate_baselIiScalesAnnex5By106AndFloorsPd() {
    CapitalCalculator basel2 = CapitalCalculator.of(IrbRegime.BASEL_II);
    Exposure e = exposure(0.45, Collateral.UNSECURED);
    assertThat(e.ead()).isEqualTo(1_000_000.0);
    CapitalCalculator.ExposureCapital c = basel2.evaluate(e, 0.01);
    assertThat(c.riskWeight()).isCloseTo(1.06 * 0.9232, within(1.06e-4));
    assertThat(c.rwa()).isCloseTo(c.riskWeight() * 1_000_000, within(1e-6));
    assertThat(c.capital()).isCloseTo(0.08 * c.rwa(), within(1e-6));
    assertThat(c.expectedLoss()).isCloseTo(0.01 * 0.45 * 1_000_000, within(1e-6));
    // PD 0.01% is floored to the 0.03% row.
    assertThat(basel2.evaluate(e, 0.0001).riskWeight()).isCloseTo(1.06 * 0.1444, within(1.06e-4));
    assertThat(basel2.evaluate(e, 0.0001).pd()).isEqualTo(0.0003);
  }

  @Test
  void evaluate_baselIiiNoScalingFloor5bpAndFoundationLgd() {
    CapitalCalculator basel3 = CapitalCalculator.of(IrbRegime.BASEL_III);
    CapitalCalculator.ExposureCapital c = basel3.evaluate(exposure(Double.NaN, Collateral.UNSECURED), 0.0001);
    assertThat(c.pd()).isEqualTo(0.0005);
    assertThat(c.lgd()).isEqualTo(0.40);
    // Annex 5 0.05% corporate at LGD 45% scaled linearly to LGD 40% (K is linear in LGD).
    assertThat(c.riskWeight()).isCloseTo(0.1965 * 40 / 45, within(1e-4));
    assertThat(basel3.evaluate(exposure(Double.NaN, Collateral.RECEIVABLES), 0.01).lgd()).isEqualTo(0.20);
    assertThat(CapitalCalculator.of(IrbRegime.BASEL_II).evaluate(exposure(Double.NaN, Collateral.UNSECURED), 0.01).lgd())
        .isEqualTo(0.45);
    assertThat(IrbRegime.BASEL_III.pdFloor(AssetClass.QRRE)).isEqualTo(0.001);
    assertThat(IrbRegime.CRR.scalingFactor()).isEqualTo(1.06);
  }

  @Test
  void parse_acceptsCliNamesAndRejectsOthers() {
    assertThat(IrbRegime.parse("basel3")).isEqualTo(IrbRegime.BASEL_III);
    assertThat(IrbRegime.parse("Basel-II")).isEqualTo(IrbRegime.BASEL_II);
    assertThat(IrbRegime.parse("CRR")).isEqualTo(IrbRegime.CRR);
    assertThatThrownBy(() -> IrbRegime.parse("basel4")).hasMessageContaining("basel4");
  }

  @Test
  void exposure_invalidFieldIsNamed() {
    assertThatThrownBy(() -> new Exposure("s9", "a1", Sector.GLASS, AssetClass.CORPORATE, -1, 0, 0.5,
        0.45, Collateral.UNSECURED, 2.5, Double.NaN, 0.5, Product.TERM_LOAN, Double.NaN, false))
        .hasMessage("exposure s9: drawn must be a finite amount >= 0, got -1.0");
    assertThatThrownBy(() -> new Exposure("s9", "a1", Sector.GLASS, AssetClass.CORPORATE, 1, 0, 0.5,
        0.45, Collateral.UNSECURED, 2.5, Double.NaN, 1.5, Product.TERM_LOAN, Double.NaN, false))
        .hasMessageContaining("anchor_sales_share");
    assertThatThrownBy(() -> CapitalCalculator.of(IrbRegime.CRR).evaluate(exposure(0.45, Collateral.UNSECURED), 1.2))
        .hasMessageContaining("PD must be in [0, 1]");
  }

  /**
   * Purchased receivables under CRR carry the 1.06 scaling factor in their risk weight as other
   * exposures do (basel-irb.md: RW = K x 12.5 x 1.06 under Basel II and CRR), and RWA = RW x EAD,
   * the EAD being the amount less the dilution charge.
   */
  @Test
  void evaluate_purchasedReceivablesUnderCrr_riskWeightIsScaledAndTimesEadIsRwa() {
    Exposure e = Exposure.builder().supplierId("s1").anchorId("a1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).drawn(1_000_000).collateral(Collateral.RECEIVABLES).maturityYears(1)
        .anchorSalesShare(0.6).product(Product.RECEIVABLES_FINANCE).expectedDilution(0.005).build();
    CapitalCalculator.ExposureCapital c = CapitalCalculator.of(IrbRegime.CRR).evaluate(e, 0.01);
    assertThat(c.ead()).isLessThan(1_000_000);
    assertThat(c.riskWeight()).isCloseTo(12.5 * 1.06 * c.capitalRequirement(), within(1e-12));
    assertThat(c.rwa()).isCloseTo(c.riskWeight() * c.ead(), within(1e-6));
  }

  /** PD and LGD of 0 and 1 are in range; outside it every entry point refuses. */
  @Test
  void pdAndLgd_closedRangeEnds_acceptedAndOutsideRefused() {
    assertThat(CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.0, 0.45, 2.5, Double.NaN)).isZero();
    assertThat(CapitalCalculator.horizonPd(0.0, 0.5)).isZero();
    assertThat(CapitalCalculator.defaultedCapitalRequirement(1.0, 0.3)).isCloseTo(0.7, within(1e-15));
    assertThat(CapitalCalculator.defaultedCapitalRequirement(0.0, 0.0)).isZero();
    // K is linear in LGD: LGD 1 is the LGD-45% value / 0.45
    assertThat(CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.01, 1.0, 2.5, Double.NaN))
        .isCloseTo(CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.01, 0.45, 2.5, Double.NaN) / 0.45,
            within(1e-14));
    assertThatThrownBy(() -> CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 1.5, 0.45, 2.5, Double.NaN))
        .hasMessageContaining("PD must be in [0, 1]");
    assertThatThrownBy(() -> CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.01, 1.01, 2.5, Double.NaN))
        .hasMessageContaining("LGD must be in [0, 1]");
    assertThatThrownBy(() -> CapitalCalculator.correlation(AssetClass.CORPORATE, -0.01, Double.NaN))
        .hasMessageContaining("PD must be in [0, 1]");
    assertThatThrownBy(() -> CapitalCalculator.defaultedCapitalRequirement(-0.1, 0))
        .hasMessageContaining("LGD must be in [0, 1]");
    assertThatThrownBy(() -> CapitalCalculator.horizonPd(1.5, 0.5)).hasMessageContaining("PD must be in [0, 1]");
    assertThatThrownBy(() -> CapitalCalculator.of(IrbRegime.BASEL_III).evaluate(exposure(0.45, Collateral.UNSECURED), -0.1))
        .hasMessageContaining("PD must be in [0, 1]");
  }
}

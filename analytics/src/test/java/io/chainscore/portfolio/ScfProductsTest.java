package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.trade.Sector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #19 section 1: the product decides the obligor, purchased receivables carry dilution
 * capital beside default capital, short trade escapes the one-year floor where the exposure says
 * so, and EL carries the PD of the exposure's own horizon; against the worked example of
 * {@code shared/reference/scf-exposures.md} through the portfolio analysis users run.
 */
class ScfProductsTest {
  private static Exposure.Builder receivable(String id, double maturity, boolean exempt) {
    return Exposure.builder().supplierId(id).anchorId("A1").sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
        .drawn(1_000_000).lgd(0.40).collateral(Collateral.RECEIVABLES).maturityYears(maturity)
        .annualSalesEurMillions(60).anchorSalesShare(0.8).product(Product.RECEIVABLES_FINANCE)
        .expectedDilution(0.005).tradeMaturityExemption(exempt);
  }

  private static PortfolioReport report(List<Exposure> exposures, List<SupplierScore> scores, Map<String, Double> anchors) {
    return PortfolioAnalysis.builder().exposures(exposures).scores(scores).anchorPds(anchors)
        .regime(IrbRegime.BASEL_III).build().report();
  }

  @Test
  void purchasedReceivable_workedExample_defaultAndDilutionCapital_caseA() {
    PortfolioReport r = report(List.of(receivable("S1", 1.0, false).build()),
        List.of(new SupplierScore("S1", 0.01, "")), Map.of());
    PortfolioReport.Totals t = r.totals();
    // Reference, case (a) M = 1: EAD for default risk 907,262.24, default RWA 590,957.41, dilution
    // RWA 1,159,222.06 (capital 8% of each), EL default 3,629.05, expected dilution 5,000.
    assertThat(t.ead()).isCloseTo(907_262.24, within(5e-3));
    assertThat(t.rwa()).isCloseTo(590_957.41, within(5e-2));
    assertThat(t.dilutionRwa()).isCloseTo(1_159_222.06, within(5e-2));
    assertThat(t.capital()).isCloseTo(0.08 * 590_957.41, within(5e-3));
    assertThat(t.dilutionCapital()).isCloseTo(0.08 * 1_159_222.06, within(5e-3));
    assertThat(t.regulatoryExpectedLoss()).isCloseTo(3_629.05, within(5e-3));
    assertThat(t.expectedLoss()).isCloseTo(3_629.05, within(5e-3)); // one-year horizon: the same
    assertThat(t.dilutionExpectedLoss()).isCloseTo(5_000, within(1e-9));
    assertThat(r.byProduct()).extracting(PortfolioReport.Breakdown::key).containsExactly("receivables_finance");
  }

  /**
   * The pre-2025 CRR takes dilution at LGD 75% where Basel II and III take 100%
   * (shared/reference/scf-exposures.md, "Regime differences"); the rest of CRR is Basel II's. The
   * corporate function is linear in LGD, so CRR's dilution K is 0.75 of Basel II's on the same
   * receivable, and its default EAD is the amount less that smaller K. Until 2026-12-05 every
   * regime took 100%.
   */
  @Test
  void crrDilution_takesLgd75_basel2And3Take100() {
    List<SupplierScore> scores = List.of(new SupplierScore("S1", 0.01, ""));
    PortfolioReport.Totals basel2 = PortfolioAnalysis.builder().exposures(List.of(receivable("S1", 1.0, false).build()))
        .scores(scores).anchorPds(Map.of()).regime(IrbRegime.BASEL_II).build().report().totals();
    PortfolioReport.Totals crr = PortfolioAnalysis.builder().exposures(List.of(receivable("S1", 1.0, false).build()))
        .scores(scores).anchorPds(Map.of()).regime(IrbRegime.CRR).build().report().totals();
    assertThat(crr.dilutionRwa()).isCloseTo(0.75 * basel2.dilutionRwa(), within(1e-6));
    double kDilutionBasel2 = basel2.dilutionRwa() / (12.5 * 1.06);
    assertThat(basel2.ead()).isCloseTo(1_000_000 - kDilutionBasel2, within(1e-6));
    assertThat(crr.ead()).isCloseTo(1_000_000 - 0.75 * kDilutionBasel2, within(1e-6));
    // Basel III's 100%: the worked example's dilution K, 0.0927378
    PortfolioReport.Totals basel3 = report(List.of(receivable("S1", 1.0, false).build()), scores, Map.of()).totals();
    assertThat(basel3.dilutionRwa() / 12.5 / 1_000_000).isCloseTo(0.0927378, within(5e-8));
    assertThat(IrbRegime.CRR.dilutionLgd()).isEqualTo(0.75);
    assertThat(IrbRegime.BASEL_II.dilutionLgd()).isEqualTo(1.0);
    assertThat(IrbRegime.BASEL_III.dilutionLgd()).isEqualTo(1.0);
  }

  @Test
  void shortTrade_caseB_noFloorAndAQuarterYearPd() {
    PortfolioReport r = report(List.of(receivable("S1", 0.25, true).build()),
        List.of(new SupplierScore("S1", 0.01, "")), Map.of());
    // Reference, case (b) M = 0.25 with the floor waived: default RWA 514,189.23.
    assertThat(r.totals().rwa()).isCloseTo(514_189.23, within(5e-2));
    assertThat(r.totals().dilutionRwa()).isCloseTo(1_159_222.06, within(5e-2));
    // EL over the exposure's 3 months: PD_0.25 = 1 - 0.99^0.25, not the 12-month 1%.
    assertThat(r.totals().expectedLoss()).isCloseTo((1 - Math.pow(0.99, 0.25)) * 0.40 * 907_262.24, within(5e-3));
    // The same quarter-year term loan without the exemption keeps the one-year floor (case (a)'s K).
    Exposure loan = Exposure.builder().supplierId("S2").anchorId("A1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).drawn(907_262.24).lgd(0.40).collateral(Collateral.UNSECURED)
        .maturityYears(0.25).annualSalesEurMillions(60).anchorSalesShare(0.8).build();
    PortfolioReport l = report(List.of(loan), List.of(new SupplierScore("S2", 0.01, "")), Map.of());
    assertThat(l.totals().rwa()).isCloseTo(590_957.41, within(5e-2));
    assertThat(l.totals().dilutionRwa()).isZero();
  }

  /**
   * The SME size adjustment takes the obligor's sales (CRE31.8): a payables-finance exposure is
   * the anchor's, so the supplier's EUR 5m sales do not lower its correlation. Reference
   * (shared/reference/scf-exposures.md, step 3a): PD 1%, LGD 40%, M 1, no SME adjustment: K
   * 0.0521091, RWA 651,363 on 1,000,000 without dilution. The tool gave 510,798 (the supplier's
   * sales applied). A supplier's term loan keeps its own adjustment.
   */
  @Test
  void payablesFinance_capitalTakesNoSmeAdjustmentFromTheSuppliersSales() {
    Exposure.Builder payables = Exposure.builder().supplierId("S1").anchorId("A1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).drawn(1_000_000).lgd(0.40).collateral(Collateral.RECEIVABLES)
        .maturityYears(1).anchorSalesShare(0.8).product(Product.PAYABLES_FINANCE);
    for (double sales : new double[] {5, Double.NaN}) {
      PortfolioReport r = report(List.of(payables.annualSalesEurMillions(sales).build()),
          List.of(new SupplierScore("S1", 0.20, "")), Map.of("A1", 0.01));
      assertThat(r.totals().rwa()).as("supplier sales %s", sales).isCloseTo(651_363.4, within(0.5));
    }
    Exposure loan = Exposure.builder().supplierId("S2").anchorId("A1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).drawn(1_000_000).lgd(0.40).collateral(Collateral.UNSECURED)
        .maturityYears(1).anchorSalesShare(0.8).annualSalesEurMillions(5).build();
    PortfolioReport small = report(List.of(loan), List.of(new SupplierScore("S2", 0.01, "")), Map.of("A1", 0.01));
    assertThat(small.totals().rwa()).isLessThan(651_363.4 * 0.9);
  }

  @Test
  void payablesFinance_movesWithTheAnchorsPd_notTheSuppliers() {
    Exposure payables = Exposure.builder().supplierId("S1").anchorId("A1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).drawn(1_000_000).lgd(0.45).collateral(Collateral.RECEIVABLES)
        .maturityYears(1).annualSalesEurMillions(60).anchorSalesShare(0.8).product(Product.PAYABLES_FINANCE)
        .tradeMaturityExemption(true).build();
    PortfolioReport low = report(List.of(payables), List.of(new SupplierScore("S1", 0.20, "")), Map.of("A1", 0.003));
    PortfolioReport otherSupplierPd = report(List.of(payables), List.of(new SupplierScore("S1", 0.01, "")),
        Map.of("A1", 0.003));
    PortfolioReport higherAnchorPd = report(List.of(payables), List.of(new SupplierScore("S1", 0.20, "")),
        Map.of("A1", 0.03));
    assertThat(low.totals().expectedLoss()).isCloseTo(0.003 * 0.45 * 1_000_000, within(1e-6));
    assertThat(otherSupplierPd.totals()).isEqualTo(low.totals());
    assertThat(higherAnchorPd.totals().expectedLoss()).isCloseTo(0.03 * 0.45 * 1_000_000, within(1e-6));
    // The capital is the corporate function at the anchor's PD (M = 1, sales >= 50m: no SME adjustment).
    double k = CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, 0.03, 0.45, 1, 60);
    assertThat(higherAnchorPd.totals().rwa()).isCloseTo(12.5 * k * 1_000_000, within(1e-6));

    // Without the anchor's PD the obligor is unknown: refused, naming the anchor.
    assertThatThrownBy(() -> report(List.of(payables), List.of(new SupplierScore("S1", 0.2, "")), Map.of()))
        .isInstanceOfSatisfying(MissingPdException.class, e -> {
          assertThat(e.index()).isZero();
          assertThat(e.column()).isEqualTo("anchor_id");
        })
        .hasMessage("supplier S1's payables_finance is owed by its anchor A1, which has no PD");
  }

  @Test
  void simulation_payablesFinanceLosesExactlyWhenItsAnchorDefaults() {
    Exposure payables = Exposure.builder().supplierId("S1").anchorId("A1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).drawn(1_000_000).lgd(0.5).collateral(Collateral.RECEIVABLES)
        .maturityYears(1).anchorSalesShare(0.8).product(Product.PAYABLES_FINANCE).build();
    Exposure supplierLoan = Exposure.builder().supplierId("S2").anchorId("A1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).drawn(10).lgd(0.5).collateral(Collateral.UNSECURED)
        .maturityYears(1).anchorSalesShare(0.8).build();
    PortfolioReport r = PortfolioAnalysis.builder().exposures(List.of(payables, supplierLoan))
        .scores(List.of(new SupplierScore("S1", 0.2, ""), new SupplierScore("S2", 0.01, "")))
        .anchorPds(Map.of("A1", 0.05)).regime(IrbRegime.BASEL_III)
        .simulation(CreditPortfolioSimulation.builder().simulations(40_000).seed(3).importanceShift(0)
            .anchorPd("A1", 0.05))
        .build().report();
    PortfolioReport.Simulation sim = r.simulation();
    // The mean loss is the anchor's PD (5%) x 500,000, plus the tiny loan: within 4 standard errors.
    assertThat(sim.meanLoss()).isCloseTo(0.05 * 500_000 + 0.01 * 5, within(4 * sim.meanLossStandardError()));
    // At 99% every tail scenario is an anchor default: the payables exposure carries the ES.
    PortfolioReport.Tail tail = sim.tail().get(0);
    assertThat(tail.byProduct().get(0).key()).isEqualTo("payables_finance");
    assertThat(tail.byProduct().get(0).expectedShortfall()).isCloseTo(500_000, within(1.0));

    // A simulation given another PD for the anchor than the obligor PD is refused.
    assertThatThrownBy(() -> PortfolioAnalysis.builder().exposures(List.of(payables))
        .scores(List.of(new SupplierScore("S1", 0.2, ""))).anchorPds(Map.of("A1", 0.05))
        .simulation(CreditPortfolioSimulation.builder().anchorPd("A1", 0.01)).build())
        .hasMessageContaining("anchor A1: the simulation's anchor PD 0.01 differs from the obligor PD 0.05");
  }

  /**
   * The reviewer's book: 50 receivables of 1,000,000, PD 5%, LGD 50%, M = 1, expected dilution 8%,
   * Basel III, no contagion, plain sampling. By hand (basel-irb.md, scf-exposures.md), dilution at
   * PD = EL_D = 0.08, LGD 1, M = 1: R = 0.1221978767, b = 0.0659870339, N(...) = 0.3644092332, so
   * K_D = 0.3644092332 - 0.08 = 0.2844092332 and the default-risk EAD is 1,000,000 x (1 - K_D) =
   * 715,590.77 per receivable; EL = 50 x 5% x 50% x 715,590.77 = 894,488.46. The simulated mean
   * loss estimates that EL (the simulation gave 1,253,400, the loss on the whole amount, before).
   */
  @Test
  void simulation_meanLossIsTheElOnTheDefaultRiskEad_forReceivablesWithDilution() {
    List<Exposure> book = new java.util.ArrayList<>();
    List<SupplierScore> scores = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      book.add(Exposure.builder().supplierId("R" + i).anchorId("A1").sector(Sector.TEXTILES)
          .assetClass(AssetClass.CORPORATE).drawn(1_000_000).lgd(0.5).collateral(Collateral.RECEIVABLES)
          .maturityYears(1).anchorSalesShare(0).product(Product.RECEIVABLES_FINANCE).expectedDilution(0.08).build());
      scores.add(new SupplierScore("R" + i, 0.05, "5"));
    }
    PortfolioReport r = PortfolioAnalysis.builder().exposures(book).scores(scores).regime(IrbRegime.BASEL_III)
        .simulation(CreditPortfolioSimulation.builder().simulations(20_000).seed(1).importanceShift(0)
            .contagion(false))
        .build().report();
    assertThat(r.totals().ead()).isCloseTo(50 * 715_590.77, within(0.5));
    assertThat(r.totals().expectedLoss()).isCloseTo(894_488.46, within(0.01));
    PortfolioReport.Simulation sim = r.simulation();
    assertThat(sim.meanLoss()).isCloseTo(894_488.46, within(4 * sim.meanLossStandardError()));
    // the top suppliers carry the EAD of the totals and breakdowns, not the amount
    for (PortfolioReport.Tail tail : sim.tail()) {
      assertThat(tail.topSuppliers()).isNotEmpty();
      for (PortfolioReport.SupplierContribution c : tail.topSuppliers()) {
        assertThat(c.ead()).isCloseTo(715_590.77, within(0.005));
      }
    }
    // the simulation on its own loses the same EAD
    double[] pds = new double[50];
    java.util.Arrays.fill(pds, 0.05);
    LossDistributionResult alone = CreditPortfolioSimulation.of(book, pds, IrbRegime.BASEL_III,
        CreditPortfolioConfig.builder().simulations(2_000).importanceShift(0).contagion(false).build()).run();
    assertThat(alone.totalEad()).isCloseTo(50 * 715_590.77, within(0.5));
    assertThat(alone.expectedLoss()).isCloseTo(894_488.46, within(0.01));
  }

  private static CapitalCalculator.ExposureCapital retailReceivable(AssetClass assetClass, double lgd,
      double dilution, double pd) {
    Exposure e = Exposure.builder().supplierId("S1").anchorId("A1").sector(Sector.GLASS).assetClass(assetClass)
        .drawn(1_000_000).lgd(lgd).collateral(Collateral.RECEIVABLES).maturityYears(1).anchorSalesShare(0.5)
        .product(Product.RECEIVABLES_FINANCE).expectedDilution(dilution).build();
    return CapitalCalculator.of(IrbRegime.BASEL_III).evaluate(e, pd);
  }

  /**
   * Retail receivables keep their own function for default risk when they carry dilution
   * (scf-exposures.md, bottom-up: "the corporate (or retail) function"); dilution itself is the
   * corporate function at PD = EL_D (CRE34.8-34.9, the same for corporate and retail receivables),
   * floored at the corporate 0.05%. Hand values (basel-irb.md, Basel III, no 1.06), amount 1,000,000:
   *
   * <p>Other retail, PD 1%, LGD 45%: w35 = (1 - e^-0.35) / (1 - e^-35), R = 0.1216094517, N(...) =
   * 0.0913737326, K = 0.45 x (0.0913737326 - 0.01) = 0.0366181797 (risk weight 45.77%, the Annex 5
   * entry), RWA without dilution 457,727.25. The corporate function the code switched to gave
   * 0.0586 at M = 1.
   *
   * <p>Dilution 1e-6 is floored to EL_D = 0.05%: R = 0.2370371894, b = 0.2861152678, N(...) =
   * 0.0204420769, K_D = 0.0199420769 (M = 1, LGD 1); EAD = 980,057.92, default RWA 12.5 x
   * 0.0366181797 x 980,057.92 = 448,599.21: the no-dilution RWA less the floored dilution charge's
   * 2% (K per unit EAD unchanged), dilution RWA 12.5 x 19,942.08 = 249,275.96.
   *
   * <p>Dilution 0.5% (the worked example's): K_D = 0.0927377644, EAD 907,262.24, default RWA
   * 415,278.64, dilution RWA 1,159,222.06 as for a corporate receivable.
   *
   * <p>QRRE, PD 0.05%, LGD 85%: floored at the QRRE floor 0.10% (not the corporate 0.05%), R = 0.04,
   * N(...) = 0.0058152055, K = 0.85 x (0.0058152055 - 0.001) = 0.0040929246 (risk weight 5.12%,
   * Annex 5), RWA 51,161.56 without dilution, 50,141.29 at dilution 1e-6 and 46,416.95 at 0.5%.
   */
  @Test
  void retailAndQrreReceivables_keepTheirFunctionAndFloor_whenTheyCarryDilution() {
    CapitalCalculator.ExposureCapital none = retailReceivable(AssetClass.OTHER_RETAIL, 0.45, Double.NaN, 0.01);
    assertThat(none.capitalRequirement()).isCloseTo(0.0366181797, within(5e-11));
    assertThat(none.rwa()).isCloseTo(457_727.25, within(0.01));
    CapitalCalculator.ExposureCapital tiny = retailReceivable(AssetClass.OTHER_RETAIL, 0.45, 1e-6, 0.01);
    assertThat(tiny.capitalRequirement()).isCloseTo(0.0366181797, within(5e-11));
    assertThat(tiny.ead()).isCloseTo(980_057.92, within(0.01));
    assertThat(tiny.rwa()).isCloseTo(448_599.21, within(0.01));
    assertThat(tiny.rwa() / none.rwa()).isCloseTo(1 - 0.0199420769, within(1e-9));
    assertThat(tiny.dilutionRwa()).isCloseTo(249_275.96, within(0.01));
    CapitalCalculator.ExposureCapital real = retailReceivable(AssetClass.OTHER_RETAIL, 0.45, 0.005, 0.01);
    assertThat(real.capitalRequirement()).isCloseTo(0.0366181797, within(5e-11));
    assertThat(real.ead()).isCloseTo(907_262.24, within(0.01));
    assertThat(real.rwa()).isCloseTo(415_278.64, within(0.01));
    assertThat(real.dilutionRwa()).isCloseTo(1_159_222.06, within(0.01));
    assertThat(real.expectedLoss()).isCloseTo(0.01 * 0.45 * 907_262.24, within(0.01));

    for (double dilution : new double[] {Double.NaN, 1e-6, 0.005}) {
      CapitalCalculator.ExposureCapital q = retailReceivable(AssetClass.QRRE, 0.85, dilution, 0.0005);
      assertThat(q.pd()).isEqualTo(0.001);
      assertThat(q.capitalRequirement()).isCloseTo(0.0040929246, within(5e-11));
      assertThat(q.riskWeight()).isCloseTo(0.0512, within(5e-5));
    }
    assertThat(retailReceivable(AssetClass.QRRE, 0.85, Double.NaN, 0.0005).rwa()).isCloseTo(51_161.56, within(0.01));
    assertThat(retailReceivable(AssetClass.QRRE, 0.85, 1e-6, 0.0005).rwa()).isCloseTo(50_141.29, within(0.01));
    assertThat(retailReceivable(AssetClass.QRRE, 0.85, 0.005, 0.0005).rwa()).isCloseTo(46_416.95, within(0.01));
    assertThat(retailReceivable(AssetClass.QRRE, 0.85, 0.005, 0.0005).dilutionRwa())
        .isCloseTo(1_159_222.06, within(0.01));
  }

  @Test
  void dilution_onlyForPurchasedReceivables() {
    assertThatThrownBy(() -> receivable("S1", 1, false).product(Product.TERM_LOAN).build())
        .hasMessage("exposure S1: expected_dilution applies to purchased receivables (receivables_finance,"
            + " payables_finance), not to term_loan");
    assertThatThrownBy(() -> Product.parse("leasing")).hasMessageContaining("unknown product 'leasing'");
  }
}

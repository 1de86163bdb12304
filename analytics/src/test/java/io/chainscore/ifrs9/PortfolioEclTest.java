package io.chainscore.ifrs9;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.portfolio.AssetClass;
import io.chainscore.portfolio.Collateral;
import io.chainscore.portfolio.Exposure;
import io.chainscore.portfolio.IrbRegime;
import io.chainscore.portfolio.MissingPdException;
import io.chainscore.portfolio.SupplierScore;
import io.chainscore.trade.Sector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * A four-facility book whose stages and ECLs are worked out here from the formulas of
 * docs/ifrs9.md, written out term by term (not through the library's term structures), and the
 * reference's worked example (b) for the migration route.
 */
class PortfolioEclTest {
  private static final double EIR = 0.08;
  private static final double LGD = 0.4;

  private static Exposure exposure(String id, String anchor, double drawn, double maturity) {
    return Exposure.builder().supplierId(id).anchorId(anchor).sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
        .drawn(drawn).lgd(LGD).collateral(Collateral.UNSECURED).maturityYears(maturity).anchorSalesShare(0.5).build();
  }

  private static PortfolioEcl.Options options(List<Scenarios.Scenario> scenarios, MigrationMatrix migration) {
    return new PortfolioEcl.Options(Staging.defaults(), EIR, IrbRegime.BASEL_III, 0.12, scenarios, migration, 1.0,
        ExpectedCreditLoss.LossTiming.END_OF_PERIOD, "D", Map.of(), Map.of());
  }

  private final List<Exposure> book = List.of(
      exposure("A", "A1", 1_000_000, 0.5),     // stage 1, six months: 12-month = lifetime
      exposure("B", "A1", 500_000, 3),         // PD 1% -> 6%: stage 2, three years
      exposure("C", "A2", 200_000, 2),         // grade D: stage 3
      exposure("E", "A2", 300_000, 1.5));      // PD unchanged but 45 days past due: stage 2
  private final Map<String, SupplierScore> scores = Map.of(
      "A", new SupplierScore("A", 0.02, "3"), "B", new SupplierScore("B", 0.06, "6"),
      "C", new SupplierScore("C", 1.0, "D"), "E", new SupplierScore("E", 0.03, "4"));
  private final Map<String, Double> origination = Map.of("A", 0.02, "B", 0.01, "E", 0.03);
  private final Map<String, Integer> dpd = Map.of("E", 45);

  /** Lifetime (or, with horizon 1, 12-month) ECL at a constant annual hazard, term by term. */
  private static double byHand(double pd, double ead, double maturity, double horizon) {
    double h = Math.min(horizon, maturity);
    double sum = 0;
    double survival = 1;
    for (int t = 1; t - 1 < h - 1e-12; t++) {
      double cut = Math.min(t, h);
      double fraction = cut - (t - 1);
      double marginal = survival * (1 - Math.pow(1 - pd, fraction));
      sum += marginal * LGD * ead / Math.pow(1 + EIR, cut);
      survival *= 1 - pd;
    }
    return sum;
  }

  @Test
  void stagesAndEcl_ofEachFacility_matchTheFormulasByHand() {
    PortfolioEcl.Result r = PortfolioEcl.compute(book, scores, origination, dpd, null, options(List.of(), null));
    Map<String, PortfolioEcl.Facility> f = new HashMap<>();
    r.facilities().forEach(x -> f.put(x.supplierId(), x));

    assertThat(f.get("A").stage()).isEqualTo(Staging.Stage.STAGE_1);
    // Six months at 2% a year: (1 - 0.98^0.5) x 0.4 x 1,000,000 / 1.08^0.5 = 3,868.44.
    double a = (1 - Math.pow(0.98, 0.5)) * LGD * 1_000_000 / Math.sqrt(1.08);
    assertThat(a).isCloseTo(3868.44, within(0.01));
    assertThat(f.get("A").ecl()).isCloseTo(a, within(1e-9));
    assertThat(f.get("A").ecl12Month()).isCloseTo(f.get("A").eclLifetime(), within(1e-9));

    assertThat(f.get("B").stage()).isEqualTo(Staging.Stage.STAGE_2);
    double b = 0.06 * 0.4 * 500_000 / 1.08 + 0.94 * 0.06 * 0.4 * 500_000 / (1.08 * 1.08)
        + 0.94 * 0.94 * 0.06 * 0.4 * 500_000 / (1.08 * 1.08 * 1.08);
    assertThat(f.get("B").ecl()).isCloseTo(b, within(1e-9));
    assertThat(f.get("B").ecl12Month()).isCloseTo(0.06 * 0.4 * 500_000 / 1.08, within(1e-9));

    assertThat(f.get("C").stage()).isEqualTo(Staging.Stage.STAGE_3);
    assertThat(f.get("C").ecl()).isCloseTo(0.4 * 200_000, within(1e-9));
    // in default the loss has happened: the 12-month figure is LGD x EAD too, undiscounted
    assertThat(f.get("C").ecl12Month()).isCloseTo(0.4 * 200_000, within(1e-9));

    assertThat(f.get("E").stage()).isEqualTo(Staging.Stage.STAGE_2);
    assertThat(f.get("E").stageReason()).contains("days past due");
    assertThat(f.get("E").ecl()).isCloseTo(byHand(0.03, 300_000, 1.5, 1.5), within(1e-9));
    // The 1.5-year lifetime: year 1 whole, then half of year 2 at the same hazard.
    double e = 0.03 * 0.4 * 300_000 / 1.08 + 0.97 * (1 - Math.pow(0.97, 0.5)) * 0.4 * 300_000 / Math.pow(1.08, 1.5);
    assertThat(f.get("E").ecl()).isCloseTo(e, within(1e-9));

    assertThat(r.total().ecl()).isCloseTo(a + b + 80_000 + e, within(1e-6));
    assertThat(r.total().ead()).isCloseTo(1_000_000 + 500_000 + 200_000 + 300_000, within(1e-6));
    // the coverage ratio ECL / EAD
    assertThat(r.total().coverage()).isCloseTo((a + b + 80_000 + e) / 2_000_000, within(1e-12));
    assertThat(r.total().facilitiesByStage()).containsExactly(1, 2, 1);
    assertThat(r.total().eclByStage()[1]).isCloseTo(b + e, within(1e-6));
    assertThat(r.total().eadByStage()).containsExactly(new double[] {1_000_000, 800_000, 200_000}, within(1e-6));
    assertThat(r.byAnchor()).extracting(PortfolioEcl.Group::key).containsExactly("A1", "A2");
    assertThat(r.byAnchor().get(0).ecl()).isCloseTo(a + b, within(1e-6));
    assertThat(r.byGrade()).extracting(PortfolioEcl.Group::key).containsExactly("3", "4", "6", "D");
  }

  @Test
  void scenarios_weightTheEclsNotThePds() {
    List<Scenarios.Scenario> scenarios = List.of(new Scenarios.Scenario("upside", 0.6, 0.5),
        new Scenarios.Scenario("downturn", 0.4, -1.5));
    PortfolioEcl.Result r = PortfolioEcl.compute(book, scores, origination, dpd, null, options(scenarios, null));
    NormalDistribution n = new NormalDistribution(null, 0, 1);
    double expected = 0;
    double expected12 = 0;
    for (double[] s : new double[][] {{0.6, 0.5}, {0.4, -1.5}}) {
      double pd = n.cumulativeProbability((n.inverseCumulativeProbability(0.06) - Math.sqrt(0.12) * s[1]) / Math.sqrt(0.88));
      expected += s[0] * byHand(pd, 500_000, 3, 3);
      expected12 += s[0] * byHand(pd, 500_000, 3, 1);
    }
    PortfolioEcl.Facility b = r.facilities().stream().filter(x -> x.supplierId().equals("B")).findFirst().orElseThrow();
    assertThat(b.ecl()).isCloseTo(expected, within(1e-9));
    // the 12-month figure is weighted the same way (each scenario's own, then weighted)
    assertThat(b.ecl12Month()).isCloseTo(expected12, within(1e-9));
    // Stage 3 is not conditioned: the loss has happened.
    assertThat(r.facilities().get(2).ecl()).isCloseTo(80_000, within(1e-9));
  }

  @Test
  void migrationRoute_usesTheGradesRow_workedExampleB() {
    MigrationMatrix m = MigrationMatrix.of(List.of("A", "B", "C"), new double[][] {
        {0.90, 0.08, 0.015, 0.005}, {0.05, 0.85, 0.08, 0.02}, {0.01, 0.09, 0.80, 0.10}, {0, 0, 0, 1}});
    List<Exposure> one = List.of(exposure("X", "A1", 1_000_000, 3));
    PortfolioEcl.Result r = PortfolioEcl.compute(one, Map.of("X", new SupplierScore("X", 0.02, "B")),
        Map.of("X", 0.005), Map.of(), null, options(List.of(), m));
    // The reference's cumulative PDs of grade B: 0.02, 0.04525, 0.0736405; marginals by difference.
    double expected = 0.02 * 0.4e6 / 1.08 + 0.02525 * 0.4e6 / (1.08 * 1.08) + 0.0283905 * 0.4e6 / Math.pow(1.08, 3);
    assertThat(r.facilities().get(0).stage()).isEqualTo(Staging.Stage.STAGE_2);
    assertThat(r.facilities().get(0).ecl()).isCloseTo(expected, within(1e-9));
  }

  /**
   * A facility whose supplier has no score, measured at a stated PD: by hand as any facility at a
   * constant hazard (even with a migration matrix, whose grades it is not on), staged against its
   * origination PD, grouped in the grade "unscored"; without the PD it is refused as before.
   */
  @Test
  void unscoredSupplier_atAStatedPd_isMeasuredAtAConstantHazard_inItsOwnGrade() {
    MigrationMatrix m = MigrationMatrix.of(List.of("A", "B", "C"), new double[][] {
        {0.90, 0.08, 0.015, 0.005}, {0.05, 0.85, 0.08, 0.02}, {0.01, 0.09, 0.80, 0.10}, {0, 0, 0, 1}});
    List<Exposure> two = List.of(exposure("X", "A1", 1_000_000, 3), exposure("U", "A1", 500_000, 3));
    Map<String, SupplierScore> onlyX = Map.of("X", new SupplierScore("X", 0.02, "B"));
    Map<String, Double> originationBoth = Map.of("X", 0.005, "U", 0.01);
    for (MigrationMatrix matrix : new MigrationMatrix[] {null, m}) {
      assertThatThrownBy(() -> PortfolioEcl.compute(two, onlyX, originationBoth, Map.of(), null, options(List.of(), matrix)))
          .isInstanceOfSatisfying(MissingPdException.class, e -> assertThat(e.index()).isEqualTo(1));
      PortfolioEcl.Result r = PortfolioEcl.compute(two, onlyX, originationBoth, Map.of(), null,
          options(List.of(), matrix).withUnscoredPd(0.06));
      PortfolioEcl.Facility u = r.facilities().get(1);
      assertThat(u.grade()).isEqualTo("unscored");
      assertThat(u.pd()).isEqualTo(0.06);
      // 6% against 1% at origination: stage 2, lifetime over three years at 6% a year
      assertThat(u.stage()).isEqualTo(Staging.Stage.STAGE_2);
      assertThat(u.ecl()).isCloseTo(byHand(0.06, 500_000, 3, 3), within(1e-9));
      assertThat(u.ecl12Month()).isCloseTo(0.06 * 0.4 * 500_000 / 1.08, within(1e-9));
      assertThat(r.byGrade()).extracting(PortfolioEcl.Group::key).containsExactly("B", "unscored");
      assertThat(r.byGrade().get(1).ead()).isEqualTo(500_000);
      // the scored facility is measured as without the option
      assertThat(r.facilities().get(0)).isEqualTo(PortfolioEcl.compute(two.subList(0, 1), onlyX, originationBoth,
          Map.of(), null, options(List.of(), matrix)).facilities().get(0));
    }
    for (double bad : new double[] {0, 1, -0.1, 1.5, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> options(List.of(), null).withUnscoredPd(bad))
          .hasMessageStartingWith("unscored PD: expected a PD above 0 and below 1");
    }
  }

  /**
   * Grades are labels: a master scale of ten or more grades, and the CR6 bands of scores without a
   * grade, were listed in text order ("10" before "2"). They come best first, by EAD-weighted PD,
   * as portfolio lists them: here 1.5% ("2"), 3% ("10", the two facilities' EAD-weighted mean:
   * (0.02 x 1M + 0.05 x 0.5M) / 1.5M), 6% ("9").
   */
  @Test
  void gradeGroups_areOrderedByTheirEadWeightedPd_notAsText() {
    List<Exposure> book = List.of(exposure("A", "A1", 1_000_000, 1), exposure("B", "A1", 500_000, 1),
        exposure("C", "A1", 1_000_000, 1), exposure("D", "A1", 1_000_000, 1));
    Map<String, SupplierScore> graded = Map.of("A", new SupplierScore("A", 0.02, "10"),
        "B", new SupplierScore("B", 0.05, "10"), "C", new SupplierScore("C", 0.015, "2"),
        "D", new SupplierScore("D", 0.06, "9"));
    Map<String, Double> origination = Map.of("A", 0.02, "B", 0.05, "C", 0.015, "D", 0.06);
    PortfolioEcl.Result r = PortfolioEcl.compute(book, graded, origination, Map.of(), null, options(List.of(), null));
    assertThat(r.byGrade()).extracting(PortfolioEcl.Group::key).containsExactly("2", "10", "9");
    assertThat(r.byGrade().get(1).ead()).isEqualTo(1_500_000);
  }

  @Test
  void payablesFinance_isStagedAndMeasuredOnTheAnchorsPd() {
    Exposure p = Exposure.builder().supplierId("P").anchorId("A9").sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
        .drawn(1_000_000).lgd(LGD).collateral(Collateral.RECEIVABLES).maturityYears(0.25).anchorSalesShare(0.9)
        .product(io.chainscore.portfolio.Product.PAYABLES_FINANCE).build();
    PortfolioEcl.Options o = new PortfolioEcl.Options(Staging.defaults(), EIR, IrbRegime.BASEL_III, 0.12, List.of(),
        null, 1.0, ExpectedCreditLoss.LossTiming.END_OF_PERIOD, "D", Map.of("A9", 0.02), Map.of("A9", 0.004));
    // The supplier's own score (50%) plays no part; the anchor went from 0.4% to 2%: stage 2.
    PortfolioEcl.Result r = PortfolioEcl.compute(List.of(p), Map.of("P", new SupplierScore("P", 0.5, "8")), Map.of(),
        Map.of(), null, o);
    PortfolioEcl.Facility f = r.facilities().get(0);
    assertThat(f.obligor()).isEqualTo("A9");
    // reported under the anchor's PD band, as portfolio reports it: 2% lies in CR6's 0.75% to 2.50%
    assertThat(f.grade()).isEqualTo("0.75-<2.50%");
    assertThat(r.byGrade()).extracting(PortfolioEcl.Group::key).containsExactly("0.75-<2.50%");
    assertThat(f.stage()).isEqualTo(Staging.Stage.STAGE_2);
    assertThat(f.ecl()).isCloseTo((1 - Math.pow(0.98, 0.25)) * LGD * 1_000_000 / Math.pow(1.08, 0.25), within(1e-9));
    assertThat(r.byProduct()).extracting(PortfolioEcl.Group::key).containsExactly("payables_finance");
    PortfolioEcl.Options noAnchor = new PortfolioEcl.Options(Staging.defaults(), EIR, IrbRegime.BASEL_III, 0.12,
        List.of(), null, 1.0, ExpectedCreditLoss.LossTiming.END_OF_PERIOD, "D", Map.of(), Map.of());
    // the facility's index in the list given and the column naming the anchor; the supplier's score is no stand-in
    assertThatThrownBy(() -> PortfolioEcl.compute(List.of(book.get(0), p), Map.of("A", scores.get("A"),
        "P", new SupplierScore("P", 0.5, "8")), origination, Map.of(), null, noAnchor))
        .isInstanceOfSatisfying(MissingPdException.class, e -> {
          assertThat(e.index()).isEqualTo(1);
          assertThat(e.column()).isEqualTo("anchor_id");
        })
        .hasMessage("supplier P's payables_finance is owed by its anchor A9, which has no PD");
  }

  @Test
  void migrationFromTwoRuns_countsMovesAndDefaultsInBetween() {
    List<SupplierScore> earlier = List.of(new SupplierScore("A", 0.01, "g1"), new SupplierScore("B", 0.01, "g1"),
        new SupplierScore("C", 0.05, "g2"), new SupplierScore("D", 0.05, "g2"), new SupplierScore("E", 0.05, "g2"));
    List<SupplierScore> later = List.of(new SupplierScore("A", 0.01, "g1"), new SupplierScore("B", 0.05, "g2"),
        new SupplierScore("C", 0.05, "g2"), new SupplierScore("D", 0.05, "g2"));
    MigrationMatrix m = PortfolioEcl.migrationFrom(earlier, later, java.util.Set.of("D"), "D");
    assertThat(m.grades()).containsExactly("g1", "g2");
    // g1: A stays, B moves down; g2: C stays, D defaulted (E left the book and is not counted).
    assertThat(new double[] {m.probability(0, 0), m.probability(0, 1), m.probability(0, 2)})
        .containsExactly(new double[] {0.5, 0.5, 0}, within(1e-15));
    assertThat(new double[] {m.probability(1, 0), m.probability(1, 1), m.probability(1, 2)})
        .containsExactly(new double[] {0, 0.5, 0.5}, within(1e-15));
  }

  @Test
  void migrationOverAMonth_chainsMonthlySteps() {
    // The reference's matrix read as a monthly one: grade B's CPDs 0.02, 0.04525, 0.0736405 at 1, 2, 3 months.
    MigrationMatrix m = MigrationMatrix.of(List.of("A", "B", "C"), new double[][] {
        {0.90, 0.08, 0.015, 0.005}, {0.05, 0.85, 0.08, 0.02}, {0.01, 0.09, 0.80, 0.10}, {0, 0, 0, 1}});
    PortfolioEcl.Options o = new PortfolioEcl.Options(Staging.defaults(), EIR, IrbRegime.BASEL_III, 0.12, List.of(),
        m, 1 / 12.0, ExpectedCreditLoss.LossTiming.END_OF_PERIOD, "D", Map.of(), Map.of());
    PortfolioEcl.Result r = PortfolioEcl.compute(List.of(exposure("X", "A1", 1_000_000, 0.25)),
        Map.of("X", new SupplierScore("X", 0.02, "B")), Map.of("X", 0.02), Map.of(), null, o);
    double expected = 0.02 * 0.4e6 / Math.pow(1.08, 1 / 12.0) + 0.02525 * 0.4e6 / Math.pow(1.08, 2 / 12.0)
        + 0.0283905 * 0.4e6 / Math.pow(1.08, 3 / 12.0);
    assertThat(r.facilities().get(0).stage()).isEqualTo(Staging.Stage.STAGE_1);
    assertThat(r.facilities().get(0).ecl()).isCloseTo(expected, within(1e-9));
  }

  @Test
  void transfers_countMovesFromThePreviousRun_andNewAndDerecognisedFacilities() {
    Map<String, Staging.Stage> previous = Map.of("A", Staging.Stage.STAGE_1, "B", Staging.Stage.STAGE_1,
        "C", Staging.Stage.STAGE_2, "Z", Staging.Stage.STAGE_1);
    PortfolioEcl.Result r = PortfolioEcl.compute(book, scores, origination, dpd, previous, options(List.of(), null));
    assertThat(r.transfers()).extracting(t -> t.from() + ">" + t.to() + ":" + t.facilities())
        .containsExactly("STAGE_1>STAGE_1:1", "STAGE_1>STAGE_2:1", "STAGE_2>STAGE_3:1", "null>STAGE_2:1");
    // each cell carries its facilities' EAD and ECL: C (2 -> 3) 200,000 at LGD 40%
    PortfolioEcl.Transfer toDefault = r.transfers().get(2);
    assertThat(toDefault.ead()).isCloseTo(200_000, within(1e-9));
    assertThat(toDefault.ecl()).isCloseTo(0.4 * 200_000, within(1e-9));
    PortfolioEcl.Transfer newOne = r.transfers().get(3);
    assertThat(newOne.ead()).isCloseTo(300_000, within(1e-9));
    assertThat(newOne.ecl()).isCloseTo(byHand(0.03, 300_000, 1.5, 1.5), within(1e-9));
    assertThat(r.derecognised()).isEqualTo(1);
  }

  /**
   * Every facility's PD is checked before any is measured: a missing score further down the book
   * is reported, with its index, before the maturity missing from the first facility.
   */
  @Test
  void missingPd_isReportedBeforeAnyFacilityIsMeasured() {
    Exposure noMaturity = Exposure.builder().supplierId("A").anchorId("A1").sector(Sector.GLASS)
        .assetClass(AssetClass.CORPORATE).drawn(1_000).lgd(LGD).collateral(Collateral.UNSECURED)
        .maturityYears(Double.NaN).anchorSalesShare(0.5).build();
    List<Exposure> twoFaults = List.of(noMaturity, book.get(1), exposure("Z", "A1", 1_000, 1));
    assertThatThrownBy(() -> PortfolioEcl.compute(twoFaults, scores, origination, dpd, null, options(List.of(), null)))
        .isInstanceOfSatisfying(MissingPdException.class, e -> {
          assertThat(e.index()).isEqualTo(2);
          assertThat(e.column()).isEqualTo("supplier_id");
        })
        .hasMessage("supplier Z has no score");
    // with Z scored, the first facility's own fault
    Map<String, SupplierScore> withZ = new HashMap<>(scores);
    withZ.put("Z", new SupplierScore("Z", 0.02, "3"));
    assertThatThrownBy(() -> PortfolioEcl.compute(twoFaults, withZ, Map.of("A", 0.02, "B", 0.01, "Z", 0.02), dpd,
        null, options(List.of(), null)))
        .isNotInstanceOf(MissingPdException.class)
        .hasMessageStartingWith("supplier A: maturity_years is missing");
  }

  @Test
  void badInputs_nameTheSupplier() {
    assertThatThrownBy(() -> PortfolioEcl.compute(book, scores, Map.of("B", 0.01), dpd, null, options(List.of(), null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("supplier A: origination PD: missing");
    Map<String, SupplierScore> noA = new HashMap<>(scores);
    noA.remove("A");
    assertThatThrownBy(() -> PortfolioEcl.compute(book, noA, origination, dpd, null, options(List.of(), null)))
        .isInstanceOfSatisfying(MissingPdException.class, e -> {
          assertThat(e.index()).isZero();
          assertThat(e.column()).isEqualTo("supplier_id");
        })
        .hasMessage("supplier A has no score");
    assertThatThrownBy(() -> options(List.of(new Scenarios.Scenario("a", 0.5, 0), new Scenarios.Scenario("b", 0.4, -1)), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum to 1");
  }

  /**
   * The best grade (the matrix's first row) on the migration route, worked example (b): grade A's
   * cumulative PDs 0.005, 0.0126, 0.02268775, so marginals 0.005, 0.0076, 0.01008775.
   */
  @Test
  void migrationRoute_bestGrade_workedExampleB() {
    MigrationMatrix m = MigrationMatrix.of(List.of("A", "B", "C"), new double[][] {
        {0.90, 0.08, 0.015, 0.005}, {0.05, 0.85, 0.08, 0.02}, {0.01, 0.09, 0.80, 0.10}, {0, 0, 0, 1}});
    PortfolioEcl.Result r = PortfolioEcl.compute(List.of(exposure("X", "A1", 1_000_000, 3)),
        Map.of("X", new SupplierScore("X", 0.005, "A")), Map.of("X", 0.001), Map.of(), null, options(List.of(), m));
    double expected = 0.005 * 0.4e6 / 1.08 + 0.0076 * 0.4e6 / (1.08 * 1.08) + 0.01008775 * 0.4e6 / Math.pow(1.08, 3);
    // 0.1% -> 0.5%: five times, but +0.4 pp is below the 0.5 pp threshold: stage 1
    assertThat(r.facilities().get(0).stage()).isEqualTo(Staging.Stage.STAGE_1);
    assertThat(r.facilities().get(0).eclLifetime()).isCloseTo(expected, within(1e-9));
    assertThat(r.facilities().get(0).ecl12Month()).isCloseTo(0.005 * 0.4e6 / 1.08, within(1e-9));
  }

  /**
   * A PD of 1 is default whatever the grade's name (a supplier) and for an anchor that owes a
   * payables-finance facility: stage 3 at LGD x EAD, not a discounted year-1 loss.
   */
  @Test
  void pdOfOne_isStageThree_forSupplierAndAnchor() {
    PortfolioEcl.Result r = PortfolioEcl.compute(List.of(exposure("X", "A1", 100_000, 2)),
        Map.of("X", new SupplierScore("X", 1.0, "9")), Map.of("X", 0.02), Map.of(), null, options(List.of(), null));
    assertThat(r.facilities().get(0).stage()).isEqualTo(Staging.Stage.STAGE_3);
    assertThat(r.facilities().get(0).ecl()).isCloseTo(0.4 * 100_000, within(1e-9));

    Exposure p = Exposure.builder().supplierId("P").anchorId("A9").sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
        .drawn(100_000).lgd(LGD).collateral(Collateral.RECEIVABLES).maturityYears(0.25).anchorSalesShare(0.9)
        .product(io.chainscore.portfolio.Product.PAYABLES_FINANCE).build();
    PortfolioEcl.Options o = new PortfolioEcl.Options(Staging.defaults(), EIR, IrbRegime.BASEL_III, 0.12, List.of(),
        null, 1.0, ExpectedCreditLoss.LossTiming.END_OF_PERIOD, "D", Map.of("A9", 1.0), Map.of("A9", 0.004));
    PortfolioEcl.Facility f = PortfolioEcl.compute(List.of(p), Map.of("P", new SupplierScore("P", 0.01, "3")), Map.of(),
        Map.of(), null, o).facilities().get(0);
    assertThat(f.stage()).isEqualTo(Staging.Stage.STAGE_3);
    assertThat(f.ecl()).isCloseTo(0.4 * 100_000, within(1e-9));
  }

  /** The estimated matrix lists grades best first, by mean PD, not by name. */
  @Test
  void migrationFromTwoRuns_gradesOrderedByPdNotName() {
    // zz: three obligors at 1% (mean 1%, though their sum times count, 9%, is above aa's 5%)
    List<SupplierScore> earlier = List.of(new SupplierScore("A", 0.01, "zz"), new SupplierScore("B", 0.01, "zz"),
        new SupplierScore("C", 0.01, "zz"), new SupplierScore("E", 0.05, "aa"));
    List<SupplierScore> later = List.of(new SupplierScore("A", 0.05, "aa"), new SupplierScore("B", 0.01, "zz"),
        new SupplierScore("C", 0.01, "zz"), new SupplierScore("E", 0.05, "aa"));
    MigrationMatrix m = PortfolioEcl.migrationFrom(earlier, later, java.util.Set.of(), "D");
    assertThat(m.grades()).containsExactly("zz", "aa");
    assertThat(m.probability(0, 1)).isCloseTo(1 / 3.0, within(1e-15));
  }

  /** The options' closed range ends are valid (rho 0, a migration period of 5 years); outside refused. */
  @Test
  void options_rangeEnds() {
    MigrationMatrix m = MigrationMatrix.of(List.of("A"), new double[][] {{0.9, 0.1}, {0, 1}});
    ExpectedCreditLoss.LossTiming end = ExpectedCreditLoss.LossTiming.END_OF_PERIOD;
    assertThat(new PortfolioEcl.Options(Staging.defaults(), EIR, IrbRegime.BASEL_III, 0.0, List.of(), m, 5.0, end, "D",
        Map.of(), Map.of()).migrationPeriodYears()).isEqualTo(5.0);
    assertThatThrownBy(() -> new PortfolioEcl.Options(Staging.defaults(), EIR, IrbRegime.BASEL_III, 0.12, List.of(), m,
        5.01, end, "D", Map.of(), Map.of())).hasMessageContaining("migration period");
    assertThatThrownBy(() -> new PortfolioEcl.Options(Staging.defaults(), EIR, IrbRegime.BASEL_III, 0.12, List.of(), m,
        0.0, end, "D", Map.of(), Map.of())).hasMessageContaining("migration period");
    assertThatThrownBy(() -> new PortfolioEcl.Options(Staging.defaults(), EIR, IrbRegime.BASEL_III, 1.0, List.of(), null,
        1.0, end, "D", Map.of(), Map.of())).hasMessageContaining("asset correlation");
    assertThatThrownBy(() -> new PortfolioEcl.Options(Staging.defaults(), -1.0, IrbRegime.BASEL_III, 0.12, List.of(), null,
        1.0, end, "D", Map.of(), Map.of())).hasMessageContaining("effective interest rate");
  }
}

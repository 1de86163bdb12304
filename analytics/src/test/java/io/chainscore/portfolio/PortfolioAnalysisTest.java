package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.trade.Sector;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class PortfolioAnalysisTest {
  private static final NormalDistribution N = new NormalDistribution(null, 0, 1);

  static List<SupplierScore> scores(List<Exposure> exposures, double[] pds, boolean withGrades) {
    List<SupplierScore> out = new ArrayList<>();
    for (int i = 0; i < exposures.size(); i++) {
      out.add(new SupplierScore(exposures.get(i).supplierId(), pds[i], withGrades ? "G" + (i % 3) : ""));
    }
    return out;
  }

  @Test
  void report_totalsAndBreakdownsMatchPerExposureCapital() {
    List<Exposure> exposures = CreditPortfolioSimulationTest.mixed(400, 21);
    double[] pds = CreditPortfolioSimulationTest.pds(400, 22);
    PortfolioReport r = PortfolioAnalysis.builder().exposures(exposures)
        .scores(scores(exposures, pds, false)).regime(IrbRegime.CRR).build().report();
    CapitalCalculator crr = CapitalCalculator.of(IrbRegime.CRR);
    double ead = 0;
    double el = 0;
    double rwa = 0;
    for (int i = 0; i < exposures.size(); i++) {
      ead += exposures.get(i).ead();
      el += pds[i] * exposures.get(i).lgd(IrbRegime.CRR) * exposures.get(i).ead();
      rwa += crr.evaluate(exposures.get(i), pds[i]).rwa();
    }
    assertThat(r.totals().ead()).isCloseTo(ead, within(1e-6));
    assertThat(r.totals().expectedLoss()).isCloseTo(el, within(1e-6));
    assertThat(r.totals().rwa()).isCloseTo(rwa, within(1e-4));
    assertThat(r.totals().capital()).isCloseTo(0.08 * rwa, within(1e-4));
    for (List<PortfolioReport.Breakdown> groups : List.of(r.byAnchor(), r.bySector(), r.byGrade())) {
      double groupRwa = 0;
      double share = 0;
      int count = 0;
      for (PortfolioReport.Breakdown g : groups) {
        groupRwa += g.totals().rwa();
        share += g.eadShare();
        count += g.suppliers();
      }
      assertThat(groupRwa).isCloseTo(rwa, within(1e-4));
      assertThat(share).isCloseTo(1.0, within(1e-12));
      assertThat(count).isEqualTo(400);
    }
    // No grades supplied: CR6 bands, ordered by PD.
    assertThat(r.byGrade().get(0).key()).isEqualTo("0.15-<0.25%");
    assertThat(r.simulation()).isNull();
    assertThat(r.scenario()).isNull();
  }

  @Test
  void report_macroStressAtThe999Quantile_givesVasicekPd() {
    // A homogeneous pool stressed to z = G(0.001) with rho = 0.12: each PD becomes the Vasicek
    // 99.9% quantile 0.090326 (reference value), so the stressed EL is 0.090326 x LGD x EAD.
    List<Exposure> exposures = CreditPortfolioSimulationTest.homogeneous(200);
    double[] pds = new double[200];
    java.util.Arrays.fill(pds, 0.01);
    StressScenario downturn = new StressScenario("1-in-1000", "", null, null, -3.090232306167813);
    PortfolioReport r = PortfolioAnalysis.builder().exposures(exposures).scores(scores(exposures, pds, true))
        .simulation(CreditPortfolioSimulation.builder().macroCorrelation(0.12).sectorCorrelation(0)
            .anchorLoading(0).simulations(2000).seed(3))
        .build().report(downturn);
    PortfolioReport.ScenarioComparison c = r.scenario();
    assertThat(c.stressed().averagePd()).isCloseTo(0.090326, within(5e-7));
    assertThat(c.stressed().expectedLoss()).isCloseTo(0.090326 * 200, within(1e-4));
    assertThat(c.meanPdChange()).isCloseTo(0.080326, within(5e-7));
    assertThat(c.featureShocksApplied()).isTrue();
    assertThat(c.suppliersDowngraded()).isEqualTo(200);
    assertThat(c.migrations()).containsExactly(new PortfolioReport.GradeMigration("0.75-<2.50%", "2.50-<10.00%", 200));
    assertThat(c.stressed().capital()).isGreaterThan(c.baseline().capital());
    assertThat(c.tail()).hasSize(2);
    assertThat(c.tail().get(1).stressedValueAtRisk()).isGreaterThan(c.tail().get(1).baselineValueAtRisk());
    // Grades from the score file are used for the baseline breakdown.
    assertThat(r.byGrade()).extracting(PortfolioReport.Breakdown::key).containsExactlyInAnyOrder("G0", "G1", "G2");
  }

  @Test
  void report_rescoredPdsPlusMacroMove_matchesIndependentConditionalPd() {
    List<Exposure> exposures = CreditPortfolioSimulationTest.mixed(50, 31);
    double[] pds = CreditPortfolioSimulationTest.pds(50, 32);
    double[] rescored = new double[50];
    for (int i = 0; i < 50; i++) {
      rescored[i] = Math.min(1, pds[i] * 1.5);
    }
    // the scenario's anchor shock on an anchor of this book (its anchors are a0..a7; a shock on an
    // anchor without exposures is refused)
    StressScenario s = StressScenario.fromJson(StressScenarioTest.JSON.replace("\"A1\"", "\"a1\""));
    PortfolioAnalysis analysis = PortfolioAnalysis.builder().exposures(exposures)
        .scores(scores(exposures, pds, false)).build();
    PortfolioReport.ScenarioComparison c = analysis.report(s, rescored).scenario();
    double ead = 0;
    double pdEad = 0;
    for (int i = 0; i < 50; i++) {
      // Default model macro correlation 0.10; conditional PD via commons-math.
      double stressed = N.cumulativeProbability(
          (N.inverseCumulativeProbability(rescored[i]) - Math.sqrt(0.10) * -1.5) / Math.sqrt(0.90));
      ead += exposures.get(i).ead();
      pdEad += stressed * exposures.get(i).ead();
    }
    assertThat(c.stressed().averagePd()).isCloseTo(pdEad / ead, within(1e-12));
    assertThat(c.featureShocksApplied()).isTrue();
    assertThat(c.tail()).isEmpty();
    // The same scenario without rescored PDs says the feature shocks were not applied.
    assertThat(analysis.report(s).scenario().featureShocksApplied()).isFalse();
  }

  /**
   * A sector shock on a sector none of the book's exposures is in is refused, as an anchor shock on
   * an anchor without exposures is: food_and_beverage is a sector code, but this book's suppliers
   * are glass, textiles, plastics and logistics, so the shock would change nothing (until 2026-12-07
   * it ran, feature_shocks_applied true and not one PD moved).
   */
  @Test
  void report_sectorShockOnASectorWithoutExposures_isRefusedNamingTheBooksSectors() {
    List<Exposure> exposures = CreditPortfolioSimulationTest.mixed(60, 51);
    double[] pds = CreditPortfolioSimulationTest.pds(60, 52);
    PortfolioAnalysis analysis = PortfolioAnalysis.builder().exposures(exposures)
        .scores(scores(exposures, pds, false)).build();
    StressScenario elsewhere = StressScenario.fromJson("{\"name\": \"fb\", \"sector_delay_shocks\": ["
        + "{\"sector\": \"glass\", \"extra_days_beyond_terms\": 5},"
        + "{\"sector\": \"food_and_beverage\", \"extra_days_beyond_terms\": 30}]}");
    assertThatThrownBy(() -> analysis.report(elsewhere, pds))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sector_delay_shocks[1]: sector 'food_and_beverage' has no exposure in the book (its sectors:"
            + " glass, logistics, plastics, textiles)");
    assertThatThrownBy(() -> analysis.report(elsewhere)).hasMessageContaining("'food_and_beverage'");
    // a sector of the book passes
    StressScenario glass = StressScenario.fromJson("{\"name\": \"g\", \"sector_delay_shocks\": ["
        + "{\"sector\": \"glass\", \"extra_days_beyond_terms\": 5}]}");
    assertThat(analysis.report(glass, pds).scenario().featureShocksApplied()).isTrue();
  }

  /**
   * A scenario without a macro move (here one that moves nothing at all) leaves the simulation as
   * it is: the stressed VaR and ES on the same seed are the baseline's to the bit. Until 2026-12-07
   * the stressed run conditioned the anchors' PDs on Z = 0 (0.3% became 0.11%), so a book with
   * payables finance and contagion showed a stressed 99.9% VaR far from its baseline for a scenario
   * that changed no PD.
   */
  @Test
  void report_scenarioWithoutMacroMove_leavesTheAnchorsAndTheTailUnchanged() {
    List<Exposure> exposures = new ArrayList<>(CreditPortfolioSimulationTest.mixed(120, 41));
    // payables finance: owed by its anchor, so it loses when the anchor defaults in the simulation
    for (int i = 0; i < 40; i++) {
      Exposure e = exposures.get(i);
      exposures.set(i, Exposure.builder().supplierId(e.supplierId()).anchorId(e.anchorId()).sector(e.sector())
          .assetClass(AssetClass.CORPORATE).drawn(e.drawn()).collateral(Collateral.RECEIVABLES).maturityYears(0.25)
          .anchorSalesShare(e.anchorSalesShare()).product(Product.PAYABLES_FINANCE).tradeMaturityExemption(true)
          .build());
    }
    double[] pds = CreditPortfolioSimulationTest.pds(120, 42);
    java.util.Map<String, Double> anchorPds = new java.util.HashMap<>();
    CreditPortfolioSimulation.Builder mc = CreditPortfolioSimulation.builder().contagion(true).simulations(2_000)
        .seed(5).importanceShift(-2.5);
    for (int k = 0; k < 8; k++) {
      anchorPds.put("a" + k, 0.003);
      mc.anchorPd("a" + k, 0.003);
    }
    PortfolioAnalysis analysis = PortfolioAnalysis.builder().exposures(exposures)
        .scores(scores(exposures, pds, false)).anchorPds(anchorPds).simulation(mc).build();
    PortfolioReport r = analysis.report(StressScenario.fromJson("{\"name\": \"nothing\"}"));
    PortfolioReport.ScenarioComparison c = r.scenario();
    assertThat(c.stressed().expectedLoss()).isEqualTo(c.baseline().expectedLoss());
    assertThat(c.tail()).hasSize(2);
    for (PortfolioReport.TailChange t : c.tail()) {
      assertThat(t.stressedValueAtRisk()).isEqualTo(t.baselineValueAtRisk());
      assertThat(t.stressedExpectedShortfall()).isEqualTo(t.baselineExpectedShortfall());
    }
  }

  /**
   * A supplier graded D is in default (basel-irb.md: PD = 1, K = max(0, LGD - ELBE) with ELBE =
   * LGD when no better estimate, so K = 0), whatever PD its score row gives. By hand, EAD 1,000,000,
   * LGD 45%, M = 1 (so the horizon PD is the one-year PD): the D row's regulatory and horizon EL are
   * 0.45 x 1,000,000 = 450,000, its RWA and capital 0; with S2 performing at PD 1%, EL 4,500, the
   * book's EL is 454,500. The simulation loses S1 in every scenario (a certain loss, so its mean
   * loss is still the EL): no scenario loses less than 450,000. A stress that rescored S1 to 2%
   * leaves it at PD 1: stressed EL 450,000 + 0.01 x 450,000 = 454,500 at a macro move of 0.
   */
  @Test
  void defaultGrade_isPdOne_capitalZero_elLgdTimesEad_andACertainLossInTheSimulation() {
    List<Exposure> book = new ArrayList<>();
    for (String id : List.of("S1", "S2")) {
      book.add(Exposure.builder().supplierId(id).anchorId("A1").sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
          .drawn(1_000_000).lgd(0.45).collateral(Collateral.UNSECURED).maturityYears(1).anchorSalesShare(0.5).build());
    }
    List<SupplierScore> scores = List.of(new SupplierScore("S1", 0.3, "D"), new SupplierScore("S2", 0.01, "3"));
    PortfolioAnalysis analysis = PortfolioAnalysis.builder().exposures(book).scores(scores)
        .simulation(CreditPortfolioSimulation.builder().simulations(4_000).seed(5)).build();
    assertThat(analysis.pds()).containsExactly(1.0, 0.01);
    PortfolioReport r = analysis.report();
    PortfolioReport.Totals d = r.byGrade().stream().filter(g -> g.key().equals("D")).findFirst().orElseThrow().totals();
    assertThat(d.regulatoryExpectedLoss()).isCloseTo(450_000, within(1e-6));
    assertThat(d.expectedLoss()).isCloseTo(450_000, within(1e-6));
    assertThat(d.rwa()).isZero();
    assertThat(d.capital()).isZero();
    assertThat(d.averagePd()).isEqualTo(1.0);
    assertThat(r.totals().expectedLoss()).isCloseTo(454_500, within(1e-6));
    PortfolioReport.Simulation sim = r.simulation();
    assertThat(sim.meanLoss()).isCloseTo(454_500, within(4 * sim.meanLossStandardError() + 1e-6));
    double[] edges = sim.histogramEdges();
    double[] probability = sim.histogramProbabilities();
    for (int k = 0; k < probability.length; k++) {
      if (edges[k + 1] <= 450_000) {
        assertThat(probability[k]).as("no scenario loses less than the defaulted 450,000").isZero();
      }
    }
    PortfolioReport stressed = analysis.report(new StressScenario("none", "", null, null, 0), new double[] {0.02, 0.01});
    assertThat(stressed.scenario().stressed().expectedLoss()).isCloseTo(454_500, within(1e-6));
    // another scale's default grade, matched exactly
    assertThat(PortfolioAnalysis.builder().exposures(book).scores(scores).defaultGrade("8").build().pds())
        .containsExactly(0.3, 0.01);
  }

  @Test
  void build_missingScoreOrDuplicateSupplier_isNamed() {
    List<Exposure> exposures = CreditPortfolioSimulationTest.homogeneous(3);
    assertThatThrownBy(() -> PortfolioAnalysis.builder().exposures(exposures)
        .scores(List.of(new SupplierScore("s0", 0.01, ""), new SupplierScore("s1", 0.01, ""))).build())
        .isInstanceOfSatisfying(MissingPdException.class, e -> {
          // the third exposure of the list given: the caller maps it back to its source row
          assertThat(e.index()).isEqualTo(2);
          assertThat(e.column()).isEqualTo("supplier_id");
        })
        .hasMessage("supplier s2 has no score");
    List<Exposure> twice = List.of(exposures.get(0), exposures.get(0));
    assertThatThrownBy(() -> PortfolioAnalysis.builder().exposures(twice)
        .scores(List.of(new SupplierScore("s0", 0.01, ""))).build())
        .hasMessageContaining("supplier s0 appears twice");
  }

  @Test
  void toJson_carriesTheFiguresInSnakeCase() throws Exception {
    List<Exposure> exposures = List.of(
        Exposure.builder().supplierId("S1").anchorId("A1").sector(Sector.TEXTILES).assetClass(AssetClass.CORPORATE)
            .drawn(100_000).undrawn(50_000, 0.4).collateral(Collateral.RECEIVABLES).maturityYears(1)
            .annualSalesEurMillions(12).anchorSalesShare(0.8).build(),
        Exposure.builder().supplierId("S2").anchorId("A1").sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
            .drawn(200_000).undrawn(0, 0).lgd(0.45).collateral(Collateral.UNSECURED).anchorSalesShare(0.3).build(),
        Exposure.builder().supplierId("S<3>").anchorId("A2").sector(Sector.TEXTILES)
            .assetClass(AssetClass.OTHER_RETAIL).drawn(50_000).undrawn(0, 0).lgd(0.6).collateral(Collateral.UNSECURED)
            .anchorSalesShare(0.5).build());
    List<SupplierScore> scores = List.of(new SupplierScore("S1", 0.02, "B"), new SupplierScore("S2", 0.005, "A"),
        new SupplierScore("S<3>", 0.08, "C"));
    PortfolioReport r = PortfolioAnalysis.builder().exposures(exposures).scores(scores)
        .simulation(CreditPortfolioSimulation.builder().simulations(2000).contagion(true))
        .build().report(StressScenario.fromJson(StressScenarioTest.JSON));
    JsonNode json = new ObjectMapper().readTree(PortfolioFiles.toJson(r));
    assertThat(json.at("/totals/ead").asDouble()).isCloseTo(100_000 + 0.4 * 50_000 + 200_000 + 50_000, within(1e-6));
    assertThat(json.at("/regime").asText()).isEqualTo("BASEL_III");
    assertThat(json.at("/simulation/tail/1/level").asDouble()).isEqualTo(0.999);
    assertThat(json.at("/scenario/scenario/name").asText()).isEqualTo("anchor-a1-and-textiles");
    assertThat(json.at("/scenario/feature_shocks_applied").isBoolean()).isTrue();
    assertThat(json.at("/scenario/feature_shocks_applied").asBoolean()).isFalse();
    assertThat(json.at("/scenario/scenario/anchor_volume_shocks/0/volume_drop_pct").asDouble()).isEqualTo(30.0);
    assertThat(json.at("/simulation/histogram_probabilities").size()).isEqualTo(60);
    assertThat(json.at("/by_anchor/0/key").asText()).isEqualTo("A1");
    assertThat(json.at("/simulation/tail/1/top_suppliers/0/supplier_id").isTextual()).isTrue();
    assertThat(PortfolioFiles.toJson(r)).doesNotContainPattern("\"[a-z0-9]+[A-Z][A-Za-z0-9]*\" :");
  }
}

package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreditPortfolioConfigTest {

  @Test
  void defaults_areTheDocumentedValues() {
    CreditPortfolioConfig d = CreditPortfolioConfig.defaults();
    assertThat(d.macroCorrelation()).isEqualTo(0.10);
    assertThat(d.sectorCorrelation()).isEqualTo(0.05);
    assertThat(d.anchorLoading()).isEqualTo(0.35);
    assertThat(d.anchorMacroCorrelation()).isEqualTo(0.20);
    assertThat(d.anchorPds()).isEmpty();
    assertThat(d.defaultAnchorPd()).isEqualTo(0.01);
    assertThat(d.contagion()).isFalse();
    assertThat(d.contagionStrength()).isEqualTo(0.25);
    assertThat(d.simulations()).isEqualTo(100_000);
    assertThat(d.seed()).isEqualTo(1L);
    assertThat(d.threads()).isEqualTo(1);
    assertThat(d.importanceShift()).isZero();
    assertThat(d.levels()).containsExactly(0.99, 0.999);
    assertThat(d.contributions()).isTrue();
  }

  @Test
  void toBuilder_roundTrips_andTheRecordCannotBeChangedThroughItsArrays() {
    CreditPortfolioConfig config = CreditPortfolioConfig.builder().macroCorrelation(0.12).anchorPd("A1", 0.004)
        .contagion(true).simulations(2_000).seed(7).threads(3).importanceShift(-2).levels(0.999, 0.95)
        .contributions(false).build();
    assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
    assertThat(config.levels()).containsExactly(0.95, 0.999);
    config.levels()[0] = 0.6;
    assertThat(config.levels()).containsExactly(0.95, 0.999);
    assertThat(config.anchorPds()).isEqualTo(Map.of("A1", 0.004));
    assertThat(config.toBuilder().seed(8).build()).isNotEqualTo(config);
  }

  @Test
  void build_invalidOptions_areNamed() {
    assertThatThrownBy(() -> CreditPortfolioConfig.builder().macroCorrelation(1.5))
        .hasMessage("macroCorrelation must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> CreditPortfolioConfig.builder().simulations(99))
        .hasMessage("simulations must be 100 to 10,000,000, got 99");
    assertThatThrownBy(() -> CreditPortfolioConfig.builder().levels(0.4)).hasMessageContaining("(0.5, 1)");
    assertThatThrownBy(() -> CreditPortfolioConfig.builder().macroCorrelation(0.6).sectorCorrelation(0.3)
        .anchorLoading(0.4).build()).hasMessageContaining("must be < 1, got 1.06");
    assertThatThrownBy(() -> new CreditPortfolioConfig(0.1, 0.05, 0.35, 0.2, Map.of("A", 2.0), 0.01, false, 0.25,
        1000, 1, 1, 0, new double[] {0.99}, true)).hasMessage("anchor PD of A must be in [0, 1], got 2.0");
  }

  @Test
  void withAnchorMacroStress_conditionsEveryAnchorPdOnTheMacroFactor() {
    CreditPortfolioConfig config = CreditPortfolioConfig.builder().anchorPd("A1", 0.02).defaultAnchorPd(0.01).build();
    CreditPortfolioConfig stressed = config.withAnchorMacroStress(-2);
    assertThat(stressed.anchorPds().get("A1")).isEqualTo(Vasicek.conditionalPd(0.02, 0.20, -2));
    assertThat(stressed.defaultAnchorPd()).isEqualTo(Vasicek.conditionalPd(0.01, 0.20, -2));
    assertThat(stressed.defaultAnchorPd()).isGreaterThan(0.01);
    assertThat(stressed.toBuilder().anchorPd("A1", 0.02).defaultAnchorPd(0.01).build()).isEqualTo(config);
  }

  @Test
  void withAnchorMacroStress_atZero_leavesTheAnchorPds() {
    // z = 0 is no macro move: conditioning on Z = 0 would take 0.3% to N(G(0.003) / sqrt(0.8)) = 0.106%
    CreditPortfolioConfig config = CreditPortfolioConfig.builder().anchorPd("A1", 0.003).defaultAnchorPd(0.01).build();
    assertThat(Vasicek.conditionalPd(0.003, 0.20, 0)).isCloseTo(0.00106, within(1e-5));
    CreditPortfolioConfig unmoved = config.withAnchorMacroStress(0);
    assertThat(unmoved.anchorPds()).isEqualTo(Map.of("A1", 0.003));
    assertThat(unmoved.defaultAnchorPd()).isEqualTo(0.01);
    assertThat(unmoved).isEqualTo(config);
  }

  @Test
  void of_withAConfig_runsExactlyAsTheFluentBuilder() {
    List<Exposure> exposures = CreditPortfolioSimulationTest.mixed(300, 3);
    double[] pds = CreditPortfolioSimulationTest.pds(300, 4);
    CreditPortfolioConfig config = CreditPortfolioConfig.builder().contagion(true).simulations(3_000).seed(11)
        .importanceShift(-1.5).build();
    LossDistributionResult viaConfig = CreditPortfolioSimulation.of(exposures, pds, IrbRegime.CRR, config).run();
    LossDistributionResult viaBuilder = CreditPortfolioSimulation.builder().portfolio(exposures, pds, IrbRegime.CRR)
        .contagion(true).simulations(3_000).seed(11).importanceShift(-1.5).build().run();
    assertThat(viaConfig.meanLoss()).isEqualTo(viaBuilder.meanLoss());
    assertThat(viaConfig.at(0.999).valueAtRisk()).isEqualTo(viaBuilder.at(0.999).valueAtRisk());
    assertThat(viaConfig.at(0.99).supplierExpectedShortfall())
        .containsExactly(viaBuilder.at(0.99).supplierExpectedShortfall());
    assertThat(CreditPortfolioSimulation.builder().config(config).portfolio(exposures, pds, IrbRegime.CRR).build()
        .config()).isEqualTo(config);
  }
}

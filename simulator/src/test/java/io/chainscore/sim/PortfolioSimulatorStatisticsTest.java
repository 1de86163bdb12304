package io.chainscore.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's statistics over many seeds (default rate, clustering within anchors): a class of
 * its own, the suite's longest in this module, so that the test JVMs run it beside {@link
 * PortfolioSimulatorTest}.
 */
class PortfolioSimulatorStatisticsTest {
  /**
   * Twelve portfolios of 2,000 suppliers with the default settings, simulated once for both tests
   * (each simulated its own before: 28 portfolios, now 20).
   */
  private static final List<PortfolioSummary> DEFAULTS = new ArrayList<>();

  @BeforeAll
  static void simulateTheDefaults() throws IOException {
    for (int s = 0; s < 12; s++) {
      PortfolioSummary summary = new PortfolioSummary();
      new PortfolioSimulator(SimulationConfig.builder().suppliers(2000).seed(100 + s).build()).simulate(summary);
      DEFAULTS.add(summary);
    }
  }

  @Test
  void defaultRate_acrossSeeds_matchesConfiguredBase() {
    double realised = 0;
    double truePd = 0;
    for (PortfolioSummary summary : DEFAULTS) {
      realised += summary.total().defaultRate() / DEFAULTS.size();
      truePd += summary.total().meanTruePd() / DEFAULTS.size();
    }
    // One portfolio is one draw of the systematic factors; over seeds the mean is the base rate.
    assertThat(realised).isCloseTo(0.03, within(0.008));
    assertThat(truePd).isCloseTo(0.03, within(0.006));
  }

  @Test
  void defaults_clusterWithinAnchors() throws IOException {
    // Between-group variance of default rates against the binomial variance expected if defaults
    // were independent: factors shared within an anchor make it several times larger, and
    // switching every shared factor off brings it back to about one.
    assertThat(anchorDispersion(DEFAULTS)).isGreaterThan(3.0);
    List<PortfolioSummary> independent = new ArrayList<>();
    for (int s = 0; s < 8; s++) {
      PortfolioSummary summary = new PortfolioSummary();
      new PortfolioSimulator(SimulationConfig.builder().factorLoadings(0, 0, 0).anchorHealthShare(0).suppliers(2000)
          .seed(300 + s).build()).simulate(summary);
      independent.add(summary);
    }
    assertThat(anchorDispersion(independent)).isBetween(0.3, 2.0);
  }

  private static double anchorDispersion(List<PortfolioSummary> portfolios) {
    List<double[]> groups = new ArrayList<>();
    for (PortfolioSummary summary : portfolios) {
      summary.byAnchor().values().forEach(g -> groups.add(new double[] {g.suppliers(), g.defaults()}));
    }
    double totalN = 0;
    double totalD = 0;
    for (double[] g : groups) {
      totalN += g[0];
      totalD += g[1];
    }
    double p = totalD / totalN;
    double chiSquare = 0;
    for (double[] g : groups) {
      double expected = g[0] * p;
      chiSquare += (g[1] - expected) * (g[1] - expected) / (expected * (1 - p));
    }
    return chiSquare / (groups.size() - 1);
  }

}

package io.chainscore.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's statistics over many seeds (default rate, clustering within anchors): a class of
 * its own, the suite's longest in this module, so that the test JVMs run it beside {@link
 * PortfolioSimulatorTest}.
 */
class PortfolioSimulatorStatisticsTest {
  @Test
  void defaultRate_acrossSeeds_matchesConfiguredBase() throws IOException {
    int seeds = 12;
    double realised = 0;
    double truePd = 0;
    for (int s = 0; s < seeds; s++) {
      PortfolioSummary summary = new PortfolioSummary();
      new PortfolioSimulator(SimulationConfig.builder().suppliers(2000).seed(100 + s).build()).simulate(summary);
      realised += summary.total().defaultRate() / seeds;
      truePd += summary.total().meanTruePd() / seeds;
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
    assertThat(anchorDispersion(SimulationConfig.builder())).isGreaterThan(3.0);
    assertThat(anchorDispersion(SimulationConfig.builder().factorLoadings(0, 0, 0).anchorHealthShare(0)))
        .isBetween(0.3, 2.0);
  }

  private static double anchorDispersion(SimulationConfig.Builder config) throws IOException {
    int seeds = 8;
    List<double[]> groups = new ArrayList<>();
    for (int s = 0; s < seeds; s++) {
      PortfolioSummary summary = new PortfolioSummary();
      new PortfolioSimulator(config.suppliers(2000).seed(300 + s).build()).simulate(summary);
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

package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.trade.Sector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CreditPortfolioSimulationTest {
  private static final Sector[] SECTORS = {Sector.GLASS, Sector.TEXTILES, Sector.PLASTICS, Sector.LOGISTICS};

  /** n identical obligors, EAD 1 and LGD 1, one anchor with no dependence. */
  static List<Exposure> homogeneous(int n) {
    List<Exposure> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Exposure.builder().supplierId("s" + i).anchorId("a0").sector(Sector.GLASS)
          .assetClass(AssetClass.CORPORATE).drawn(1).lgd(1.0).collateral(Collateral.UNSECURED).maturityYears(1)
          .anchorSalesShare(0.0).build());
    }
    return out;
  }

  /** A mixed supply-chain portfolio: 8 anchors, 4 sectors, random sizes, shares and PDs. */
  static List<Exposure> mixed(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Exposure> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // the builder calls run in field order, so the random draws are those of the field order
      out.add(Exposure.builder().supplierId("s" + i).anchorId("a" + random.nextInt(8))
          .sector(SECTORS[random.nextInt(SECTORS.length)]).assetClass(AssetClass.CORPORATE)
          .drawn(50_000 + random.nextDouble() * 950_000).undrawn(random.nextDouble() * 200_000, 0.5)
          .lgd(random.nextBoolean() ? Double.NaN : 0.2 + 0.4 * random.nextDouble())
          .collateral(random.nextBoolean() ? Collateral.RECEIVABLES : Collateral.UNSECURED).maturityYears(1.5)
          .annualSalesEurMillions(20).anchorSalesShare(random.nextDouble()).build());
    }
    return out;
  }

  static double[] pds(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] pds = new double[n];
    for (int i = 0; i < n; i++) {
      pds[i] = Math.exp(Math.log(0.002) + random.nextDouble() * Math.log(40));
    }
    return pds;
  }

  private static CreditPortfolioSimulation.Builder pool(int n, int simulations) {
    double[] pd = new double[n];
    Arrays.fill(pd, 0.01);
    return CreditPortfolioSimulation.builder()
        .portfolio(homogeneous(n), pd, IrbRegime.BASEL_III)
        .macroCorrelation(0.12).sectorCorrelation(0).anchorLoading(0)
        .simulations(simulations).seed(7);
  }

  @Test
  void run_largeHomogeneousPool_matchesVasicekQuantile() {
    int n = 5000;
    LossDistributionResult r = pool(n, 20_000).importanceShift(-2.5).threads(2).build().run();
    LossDistributionResult.TailMeasure t = r.at(0.999);
    double fraction = t.valueAtRisk() / n;
    double standardError = t.valueAtRiskStandardError() / n;
    // Vasicek q99.9 = 0.090326 for the infinite pool; a pool of 5000 adds a granularity
    // adjustment of order 1/n (about +0.001 here), so allow 3 standard errors plus 0.002.
    assertThat(standardError).isLessThan(0.002);
    assertThat(fraction).isCloseTo(0.090326, within(3 * standardError + 0.002));
    // The 99% quantile too (Vasicek 0.052527).
    assertThat(r.at(0.99).valueAtRisk() / n)
        .isCloseTo(0.052527, within(3 * r.at(0.99).valueAtRiskStandardError() / n + 0.002));
    // The mean loss is the PD.
    assertThat(r.meanLoss() / n).isCloseTo(0.01, within(4 * r.meanLossStandardError() / n));
    assertThat(r.expectedLoss()).isCloseTo(0.01 * n, within(1e-9));
  }

  @Test
  void run_homogeneousPool_expectedShortfallMatchesIntegratedVasicekQuantile() {
    // Large-pool ES at alpha = (1 / (1 - alpha)) * integral_alpha^1 q_u du, by the midpoint rule
    // on a substitution that resolves the steep end near u = 1.
    double alpha = 0.999;
    int steps = 200_000;
    double integral = 0;
    for (int k = 0; k < steps; k++) {
      double v = (k + 0.5) / steps;          // u = 1 - (1 - alpha) v
      integral += Vasicek.quantile(1 - (1 - alpha) * v, 0.01, 0.12) / steps;
    }
    double expected = integral;               // already divided by (1 - alpha) via the substitution
    int n = 5000;
    LossDistributionResult r = pool(n, 20_000).importanceShift(-2.5).threads(2).contributions(false)
        .build().run();
    LossDistributionResult.TailMeasure t = r.at(alpha);
    assertThat(expected).isBetween(0.10, 0.12);
    assertThat(t.expectedShortfall() / n)
        .isCloseTo(expected, within(3 * t.expectedShortfallStandardError() / n + 0.002));
  }

  @Test
  void run_twoPdGroups_varContributionsMatchAsymptoticSingleFactorAllocation() {
    // In the one-factor large-pool limit the Euler VaR contribution of an obligor is
    // LGD x EAD x its conditional PD at the alpha-quantile of the factor (Gordy 2003), i.e.
    // Vasicek.quantile(alpha, PD, rho): the basis of the IRB formula. Two groups (as sectors,
    // with no sector factor): 2,000 obligors at PD 0.5% and 2,000 at PD 2%.
    int half = 2000;
    List<Exposure> exposures = new ArrayList<>();
    double[] pd = new double[2 * half];
    for (int i = 0; i < 2 * half; i++) {
      exposures.add(Exposure.builder().supplierId("s" + i).anchorId("a0")
          .sector(i < half ? Sector.GLASS : Sector.TEXTILES).assetClass(AssetClass.CORPORATE).drawn(1).lgd(1.0)
          .collateral(Collateral.UNSECURED).maturityYears(1).anchorSalesShare(0.0).build());
      pd[i] = i < half ? 0.005 : 0.02;
    }
    LossDistributionResult r = CreditPortfolioSimulation.builder()
        .portfolio(exposures, pd, IrbRegime.BASEL_III).macroCorrelation(0.12).sectorCorrelation(0)
        .anchorLoading(0).simulations(20_000).seed(19).importanceShift(-2.5).levels(0.999)
        .build().run();
    LossDistributionResult.TailMeasure t = r.at(0.999);
    double low = Vasicek.quantile(0.999, 0.005, 0.12);
    double high = Vasicek.quantile(0.999, 0.02, 0.12);
    double expectedHighShare = high / (low + high);
    double highShare = 0;
    for (LossDistributionResult.Contribution c : t.bySector()) {
      if (c.key().equals("textiles")) {
        highShare = c.valueAtRisk() / t.valueAtRisk();
      }
    }
    assertThat(highShare).isCloseTo(expectedHighShare, within(0.01));
    // Symmetry: obligors of one group get equal shares up to Monte Carlo noise.
    double firstGroup = 0;
    for (int i = 0; i < half; i++) {
      firstGroup += t.supplierValueAtRisk()[i];
    }
    assertThat(t.supplierValueAtRisk()[7]).isCloseTo(firstGroup / half, within(0.5 * firstGroup / half));
  }

  @Test
  void run_plainMonteCarlo_lossCdfMatchesVasicekCdf() {
    // Independent check of the whole distribution, not only one quantile: P(L <= 1%) = 0.661225
    // and P(L <= 5%) = 0.988130 (reference values), up to binomial error and granularity.
    int n = 5000;
    int sims = 20_000;
    CreditPortfolioSimulation sim = pool(n, sims).build();
    double[] losses = new double[sims];
    double[] weights = new double[sims];
    sim.simulateLosses(losses, weights);
    int below1 = 0;
    int below5 = 0;
    for (double l : losses) {
      below1 += l <= 0.01 * n ? 1 : 0;
      below5 += l <= 0.05 * n ? 1 : 0;
    }
    assertThat(below1 / (double) sims).isCloseTo(0.661225, within(0.02));
    assertThat(below5 / (double) sims).isCloseTo(0.988130, within(0.004));
  }

  @Test
  void run_importanceSampling_sameVarAsPlainWithSmallerStandardError() {
    LossDistributionResult plain = pool(2000, 40_000).build().run();
    LossDistributionResult shifted = pool(2000, 40_000).importanceShift(-2.5).build().run();
    LossDistributionResult.TailMeasure p = plain.at(0.999);
    LossDistributionResult.TailMeasure s = shifted.at(0.999);
    double combined = Math.hypot(p.valueAtRiskStandardError(), s.valueAtRiskStandardError());
    assertThat(s.valueAtRisk()).isCloseTo(p.valueAtRisk(), within(3 * combined));
    assertThat(s.valueAtRiskStandardError()).isLessThan(0.5 * p.valueAtRiskStandardError());
    assertThat(s.expectedShortfallStandardError()).isLessThan(0.5 * p.expectedShortfallStandardError());
    // The weights average to 1 (likelihood ratio), within sampling error.
    double[] losses = new double[40_000];
    double[] weights = new double[40_000];
    pool(2000, 40_000).importanceShift(-2.5).build().simulateLosses(losses, weights);
    double mean = 0;
    for (double w : weights) {
      mean += w / weights.length;
    }
    assertThat(mean).isCloseTo(1.0, within(0.15));
  }

  @Test
  void run_eulerContributions_sumToVarAndEs() {
    List<Exposure> exposures = mixed(1500, 3);
    LossDistributionResult r = CreditPortfolioSimulation.builder()
        .portfolio(exposures, pds(1500, 4), IrbRegime.BASEL_III)
        .contagion(true).simulations(20_000).seed(11).importanceShift(-2).build().run();
    for (LossDistributionResult.TailMeasure t : r.tail()) {
      double es = 0;
      double var = 0;
      for (int i = 0; i < exposures.size(); i++) {
        es += t.supplierExpectedShortfall()[i];
        var += t.supplierValueAtRisk()[i];
        assertThat(t.supplierExpectedShortfall()[i]).isBetween(0.0, exposures.get(i).ead());
      }
      assertThat(es).isCloseTo(t.expectedShortfall(), within(1e-9 * t.expectedShortfall()));
      assertThat(var).isCloseTo(t.valueAtRisk(), within(1e-9 * t.valueAtRisk()));
      double anchorEs = 0;
      for (LossDistributionResult.Contribution c : t.byAnchor()) {
        anchorEs += c.expectedShortfall();
      }
      double sectorVar = 0;
      for (LossDistributionResult.Contribution c : t.bySector()) {
        sectorVar += c.valueAtRisk();
      }
      assertThat(anchorEs).isCloseTo(t.expectedShortfall(), within(1e-9 * t.expectedShortfall()));
      assertThat(sectorVar).isCloseTo(t.valueAtRisk(), within(1e-9 * t.valueAtRisk()));
      assertThat(t.byAnchor()).hasSize(8);
      assertThat(t.bySector()).hasSize(4);
      assertThat(t.expectedShortfall()).isGreaterThanOrEqualTo(t.valueAtRisk());
    }
  }

  @Test
  void run_esContributions_matchBruteForceRecomputation() {
    // A second, deliberately simple implementation: draw the same scenarios with the public raw
    // engine, and recompute E[L | L >= VaR] directly from the sorted losses.
    List<Exposure> exposures = mixed(300, 5);
    CreditPortfolioSimulation sim = CreditPortfolioSimulation.builder()
        .portfolio(exposures, pds(300, 6), IrbRegime.BASEL_III).simulations(10_000).seed(3).build();
    LossDistributionResult r = sim.run();
    double[] losses = new double[10_000];
    double[] weights = new double[10_000];
    sim.simulateLosses(losses, weights);
    double[] sorted = losses.clone();
    Arrays.sort(sorted);
    double var = sorted[(int) Math.floor(0.99 * 10_000) - 1 + 0];
    // VaR = inf{x : F(x) >= 0.99} = the 9900th smallest loss.
    assertThat(r.at(0.99).valueAtRisk()).isEqualTo(sorted[9899]);
    double tail = 0;
    int count = 0;
    for (double l : losses) {
      if (l >= r.at(0.99).valueAtRisk()) {
        tail += l;
        count++;
      }
    }
    assertThat(var).isEqualTo(sorted[9899]);
    assertThat(r.at(0.99).tailScenarios()).isEqualTo(count);
    assertThat(r.at(0.99).expectedShortfall()).isCloseTo(tail / count, within(1e-9 * tail / count));
  }

  @Test
  void run_oneAndTwoThreads_bitIdentical() {
    List<Exposure> exposures = mixed(800, 8);
    double[] pd = pds(800, 9);
    CreditPortfolioSimulation.Builder b = CreditPortfolioSimulation.builder()
        .portfolio(exposures, pd, IrbRegime.BASEL_III).contagion(true).simulations(5_000).seed(42)
        .importanceShift(-1.5);
    LossDistributionResult one = b.threads(1).build().run();
    LossDistributionResult two = b.threads(2).build().run();
    assertThat(two.meanLoss()).isEqualTo(one.meanLoss());
    for (int l = 0; l < one.tail().size(); l++) {
      LossDistributionResult.TailMeasure a = one.tail().get(l);
      LossDistributionResult.TailMeasure c = two.tail().get(l);
      assertThat(c.valueAtRisk()).isEqualTo(a.valueAtRisk());
      assertThat(c.expectedShortfall()).isEqualTo(a.expectedShortfall());
      assertThat(c.valueAtRiskStandardError()).isEqualTo(a.valueAtRiskStandardError());
      assertThat(c.supplierExpectedShortfall()).containsExactly(a.supplierExpectedShortfall());
      assertThat(c.supplierValueAtRisk()).containsExactly(a.supplierValueAtRisk());
      assertThat(c.byAnchor()).isEqualTo(a.byAnchor());
    }
    assertThat(two.histogram().probabilities()).containsExactly(one.histogram().probabilities());
    LossDistributionResult otherSeed = b.seed(43).threads(2).build().run();
    assertThat(otherSeed.meanLoss()).isNotEqualTo(one.meanLoss());
  }

  @Test
  void run_callersExecutor_bitIdenticalAndLeftRunning() throws Exception {
    List<Exposure> exposures = mixed(600, 10);
    double[] pd = pds(600, 11);
    CreditPortfolioSimulation.Builder b = CreditPortfolioSimulation.builder()
        .portfolio(exposures, pd, IrbRegime.BASEL_III).contagion(true).simulations(4_000).seed(7);
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
      LossDistributionResult one = b.threads(1).build().run();
      LossDistributionResult borrowed = b.threads(3).executor(task -> {
        tasks.incrementAndGet();
        callers.execute(task);
      }).build().run();

      assertThat(tasks.get()).as("tasks run on the caller's executor").isGreaterThanOrEqualTo(3);
      assertThat(borrowed.meanLoss()).isEqualTo(one.meanLoss());
      for (int l = 0; l < one.tail().size(); l++) {
        assertThat(borrowed.tail().get(l).valueAtRisk()).isEqualTo(one.tail().get(l).valueAtRisk());
        assertThat(borrowed.tail().get(l).supplierExpectedShortfall())
            .containsExactly(one.tail().get(l).supplierExpectedShortfall());
      }
      assertThat(callers.isShutdown()).isFalse();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void run_withoutContributions_sameTailMeasuresAndEmptyAllocations() {
    CreditPortfolioSimulation.Builder b = CreditPortfolioSimulation.builder()
        .portfolio(mixed(500, 14), pds(500, 15), IrbRegime.BASEL_III).contagion(true)
        .simulations(5_000).seed(9).importanceShift(-2);
    LossDistributionResult with = b.build().run();
    LossDistributionResult without = b.contributions(false).build().run();
    for (int l = 0; l < with.tail().size(); l++) {
      LossDistributionResult.TailMeasure a = with.tail().get(l);
      LossDistributionResult.TailMeasure c = without.tail().get(l);
      assertThat(c.valueAtRisk()).isEqualTo(a.valueAtRisk());
      assertThat(c.expectedShortfall()).isEqualTo(a.expectedShortfall());
      assertThat(c.expectedShortfallStandardError()).isEqualTo(a.expectedShortfallStandardError());
      assertThat(c.tailScenarios()).isEqualTo(a.tailScenarios());
      assertThat(c.supplierExpectedShortfall()).isEmpty();
      assertThat(c.byAnchor()).isEmpty();
    }
  }

  @Test
  void run_contagion_raisesTheLossTail() {
    List<Exposure> exposures = mixed(1000, 12);
    double[] pd = pds(1000, 13);
    CreditPortfolioSimulation.Builder b = CreditPortfolioSimulation.builder()
        .portfolio(exposures, pd, IrbRegime.BASEL_III).simulations(20_000).seed(5)
        .defaultAnchorPd(0.02).contagionStrength(0.5);
    LossDistributionResult off = b.contagion(false).build().run();
    LossDistributionResult on = b.contagion(true).build().run();
    // Same scenarios (same seed): contagion only adds defaults, so every tail figure rises.
    assertThat(on.meanLoss()).isGreaterThan(off.meanLoss());
    assertThat(on.at(0.999).valueAtRisk()).isGreaterThan(off.at(0.999).valueAtRisk()
        + 2 * on.at(0.999).valueAtRiskStandardError());
    assertThat(on.at(0.99).expectedShortfall()).isGreaterThan(off.at(0.99).expectedShortfall());
    // Analytic EL ignores contagion; without contagion the MC mean agrees with it.
    assertThat(off.meanLoss()).isCloseTo(off.expectedLoss(), within(4 * off.meanLossStandardError()));
    assertThat(on.expectedLoss()).isEqualTo(off.expectedLoss());
  }

  /**
   * Contagion over an exposure's horizon. One supplier, PD 2%, whole sales share to its anchor (PD
   * 5%), contagion strength 0.5, LGD x EAD = 1, so the mean loss is its default probability: by the
   * model, p_h + j (PD_A - P(A and S_h)), with p_h = 1 - 0.98^M its horizon PD, S_h its default
   * without contagion (X below G(p_h)), j the contagion jump and A the anchor's default, whose
   * latent variables have the correlation sqrt(rA rM) + sqrt(1 - rA) x 0.35 (by numerical
   * integration here). Over a year j = 0.5; a 36-day exposure (M = 0.1) is hit only by the anchor's
   * defaults within its 36 days, j = 0.5 x PD_h(A) / PD_A = 0.5 x (1 - 0.95^0.1) / 0.05 = 0.0512.
   * Until 2026-12-07 it took the whole year's j = 0.5: a mean loss of 0.0267 for 0.0046.
   */
  @Test
  void run_contagion_reachesAnExposureOnlyWithinItsHorizon() {
    org.apache.commons.math3.distribution.NormalDistribution n =
        new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
    double rho = Math.sqrt(0.20 * 0.10) + Math.sqrt(0.80) * 0.35;
    for (double maturity : new double[] {1.0, 0.1}) {
      Exposure e = Exposure.builder().supplierId("s").anchorId("a").sector(Sector.GLASS)
          .assetClass(AssetClass.CORPORATE).drawn(1).lgd(1.0).collateral(Collateral.UNSECURED)
          .maturityYears(maturity).anchorSalesShare(1.0).build();
      double ph = CapitalCalculator.horizonPd(0.02, maturity);
      double jump = 0.5 * CapitalCalculator.horizonPd(0.05, maturity) / 0.05;
      // P(A and S_h) = integral over a < G(0.05) of phi(a) N((G(p_h) - rho a) / sqrt(1 - rho^2)), Simpson
      double top = n.inverseCumulativeProbability(0.05);
      double gh = n.inverseCumulativeProbability(ph);
      int steps = 4000;
      double h = (top + 12) / steps;
      double both = 0;
      for (int k = 0; k <= steps; k++) {
        double a = -12 + k * h;
        double f = n.density(a) * n.cumulativeProbability((gh - rho * a) / Math.sqrt(1 - rho * rho));
        both += f * (k == 0 || k == steps ? 1 : k % 2 == 1 ? 4 : 2);
      }
      both *= h / 3;
      double expected = ph + jump * (0.05 - both);
      LossDistributionResult r = CreditPortfolioSimulation.builder()
          .portfolio(List.of(e), new double[] {ph}, IrbRegime.BASEL_III).anchorPd("a", 0.05).contagion(true)
          .contagionStrength(0.5).simulations(200_000).seed(3).contributions(false).build().run();
      assertThat(r.meanLoss()).as("M = " + maturity).isCloseTo(expected, within(4 * r.meanLossStandardError()));
      if (maturity < 1) {
        assertThat(expected).isCloseTo(0.0046, within(1e-4));
      }
    }
  }

  @Test
  void build_rejectsInconsistentInput() {
    assertThatThrownBy(() -> CreditPortfolioSimulation.builder().build())
        .hasMessageContaining("portfolio(...) is required");
    assertThatThrownBy(() -> CreditPortfolioSimulation.builder()
        .portfolio(homogeneous(3), new double[] {0.1, 0.1}, IrbRegime.CRR))
        .hasMessage("portfolio: 3 exposures but 2 PDs");
    assertThatThrownBy(() -> CreditPortfolioSimulation.builder()
        .portfolio(homogeneous(2), new double[] {0.1, 1.1}, IrbRegime.CRR))
        .hasMessageContaining("supplier s1");
    assertThatThrownBy(() -> pool(10, 1000).macroCorrelation(0.6).sectorCorrelation(0.3).anchorLoading(0.4).build())
        .hasMessageContaining("must be < 1");
  }
}

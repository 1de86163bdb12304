package io.chainscore.portfolio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.chainscore.scoring.spi.BorrowedExecutor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Monte Carlo credit-portfolio model: a multi-factor Gaussian copula with one macro factor, one
 * factor per sector and one per anchor, optional anchor-default contagion, and importance sampling
 * on the macro factor. {@link #run()} returns the loss distribution with VaR, expected shortfall,
 * standard errors and Euler contributions.
 *
 * <p>Supplier i with sector s and anchor k has the latent variable
 * X_i = sqrt(rM) Z + sqrt(rS) S_s + b_i F_k + sqrt(1 - rM - rS - b_i^2) e_i with
 * b_i = anchorLoading x (anchor's share of the supplier's sales), and defaults when
 * X_i &lt; G(PD_i). Anchor k has A_k = sqrt(rA) Z + sqrt(1 - rA) F_k and defaults when
 * A_k &lt; G(PD_k). With contagion on, a supplier whose anchor defaulted in the scenario defaults
 * additionally with probability contagionStrength x share (x PD_h(anchor) / PD(anchor) for an
 * exposure shorter than a year: the share of the anchor's one-year defaults within its horizon). Each scenario draws the factors, then
 * tests every supplier with one uniform against its conditional default probability. An exposure
 * owed by its anchor (payables finance) defaults exactly when its anchor does.
 *
 * <p>Determinism: scenario s uses a generator seeded from (seed, s) only, so results are
 * bit-identical for any thread count; all reductions run in scenario order on one thread.
 *
 * <p>Options: an immutable {@link CreditPortfolioConfig}, given to {@link #of} with the portfolio or set
 * fluently on {@link #builder()}. {@link LossSummary} computes the tail measures and contributions.
 *
 * <p>Thread safety: immutable; {@link #run()} may be called concurrently.
 */
public final class CreditPortfolioSimulation {
  private static final int BLOCK = 64;

  final CreditPortfolioConfig config;
  /** The caller's executor the workers run on, or null for threads of the simulation's own. */
  private final Executor executor;
  final int obligors;
  final int[] sectorOf;
  final int[] anchorOf;
  final String[] sectorKeys;
  final String[] anchorKeys;
  final double[] lossGivenDefault;
  /** G(PD_i) / s_i where s_i is the idiosyncratic scale. */
  private final double[] threshold;
  private final double[] macroCoefficient;
  private final double[] sectorCoefficient;
  private final double[] anchorCoefficient;
  private final double[] contagionJump;
  /** Payables finance: the exposure is owed by its anchor and defaults exactly when the anchor does. */
  private final boolean[] anchorObligor;
  /**
   * For an exposure owed by its anchor, the share of the anchor's one-year defaults that fall
   * within the exposure's horizon: its PD (over that horizon) over the anchor's PD, at most 1.
   */
  private final double[] anchorObligorShare;
  private final double[] anchorThreshold;
  private final double anchorMacroLoading;
  private final double anchorOwnLoading;
  final double totalEad;
  final double expectedLoss;
  /**
   * The loss of the exposures lost in every scenario (PD 1: in default), which every scenario's
   * loss includes; {@link LossSummary} takes it into the mean at its value.
   */
  final double certainLoss;

  private CreditPortfolioSimulation(List<Exposure> exposures, double[] pds, IrbRegime lgdRegime,
      CreditPortfolioConfig b, Executor executor) {
    this.executor = executor;
    this.config = b;
    obligors = exposures.size();
    sectorOf = new int[obligors];
    anchorOf = new int[obligors];
    lossGivenDefault = new double[obligors];
    threshold = new double[obligors];
    macroCoefficient = new double[obligors];
    sectorCoefficient = new double[obligors];
    anchorCoefficient = new double[obligors];
    contagionJump = new double[obligors];
    anchorObligor = new boolean[obligors];
    anchorObligorShare = new double[obligors];
    Map<String, Integer> sectors = new LinkedHashMap<>();
    Map<String, Integer> anchors = new LinkedHashMap<>();
    double sqrtMacro = Math.sqrt(b.macroCorrelation());
    double sqrtSector = Math.sqrt(b.sectorCorrelation());
    double ead = 0;
    double el = 0;
    CapitalCalculator calculator = CapitalCalculator.of(lgdRegime);
    for (int i = 0; i < obligors; i++) {
      Exposure e = exposures.get(i);
      double pd = pds[i];
      sectorOf[i] = sectors.computeIfAbsent(e.sector().code(), k -> sectors.size());
      anchorOf[i] = anchors.computeIfAbsent(e.anchorId(), k -> anchors.size());
      double lgd = e.lgd(lgdRegime);
      // the EAD the EL and the capital rest on (amount - K_Dilution for purchased receivables with
      // dilution): the simulated mean loss is then the horizon EL of the report
      double exposureAtDefault = calculator.defaultRiskEad(e);
      lossGivenDefault[i] = lgd * exposureAtDefault;
      ead += exposureAtDefault;
      el += pd * lossGivenDefault[i];
      double anchorLoading = b.anchorLoading() * e.anchorSalesShare();
      double scale = Math.sqrt(1 - b.macroCorrelation() - b.sectorCorrelation() - anchorLoading * anchorLoading);
      threshold[i] = pd <= 0 ? Double.NEGATIVE_INFINITY : pd >= 1 ? Double.POSITIVE_INFINITY
          : Normal.inverse(pd) / scale;
      macroCoefficient[i] = sqrtMacro / scale;
      sectorCoefficient[i] = sqrtSector / scale;
      anchorCoefficient[i] = anchorLoading / scale;
      contagionJump[i] = b.contagion() ? b.contagionStrength() * e.anchorSalesShare() : 0.0;
      anchorObligor[i] = e.product().anchorObligor();
    }
    sectorKeys = sectors.keySet().toArray(new String[0]);
    anchorKeys = anchors.keySet().toArray(new String[0]);
    anchorThreshold = new double[anchorKeys.length];
    for (int k = 0; k < anchorKeys.length; k++) {
      double pd = b.anchorPds().getOrDefault(anchorKeys[k], b.defaultAnchorPd());
      anchorThreshold[k] = pd <= 0 ? Double.NEGATIVE_INFINITY : pd >= 1 ? Double.POSITIVE_INFINITY
          : Normal.inverse(pd);
    }
    for (int i = 0; i < obligors; i++) {
      double anchorPd = b.anchorPds().getOrDefault(anchorKeys[anchorOf[i]], b.defaultAnchorPd());
      if (anchorObligor[i]) {
        anchorObligorShare[i] = anchorPd <= 0 ? 0 : Math.min(1, pds[i] / anchorPd);
      } else if (contagionJump[i] > 0) {
        // The anchor's default is a one-year event: an exposure that runs off sooner is hit by
        // contagion only when the anchor defaults within its horizon, the share PD_h(anchor) /
        // PD(anchor) of the anchor's defaults, as an exposure the anchor owes is (until 2026-12-07 a
        // 36-day receivable took the whole year's contagion on top of its 36-day PD)
        double maturity = exposures.get(i).maturityYears();
        contagionJump[i] *= anchorPd <= 0 ? 0 : CapitalCalculator.horizonPd(anchorPd, maturity) / anchorPd;
      }
    }
    anchorMacroLoading = Math.sqrt(b.anchorMacroCorrelation());
    anchorOwnLoading = Math.sqrt(1 - b.anchorMacroCorrelation());
    double certain = 0;
    for (int i = 0; i < obligors; i++) {
      boolean always = anchorObligor[i]
          ? anchorThreshold[anchorOf[i]] == Double.POSITIVE_INFINITY && anchorObligorShare[i] >= 1
          : threshold[i] == Double.POSITIVE_INFINITY;
      if (always) {
        certain += lossGivenDefault[i];
      }
    }
    totalEad = ead;
    expectedLoss = el;
    certainLoss = certain;
  }

  /**
   * The simulation of the non-empty {@code exposures} with their {@code pds} (same order, each in
   * [0, 1]; NaN LGDs take {@code lgdRegime}'s supervisory value) under {@code config}. A default
   * loses LGD x the exposure's default-risk EAD under {@code lgdRegime} ({@link
   * CapitalCalculator#defaultRiskEad}: less K_Dilution for purchased receivables with dilution), the
   * EAD of the EL, so that the mean loss is {@code sum PD x LGD x EAD} as the EL computes it;
   * dilution losses are not simulated. An exposure at PD 1 (in default) is lost in every scenario, a
   * certain loss of LGD x EAD: it is in every scenario's loss, VaR and expected shortfall, and the
   * mean loss adds it at its value rather than through the importance weights (whose average is 1
   * only in expectation), so that it adds to the mean exactly what it adds to the EL.
   *
   * @throws IllegalArgumentException naming the supplier or the count at fault
   */
  public static CreditPortfolioSimulation of(List<Exposure> exposures, double[] pds, IrbRegime lgdRegime,
      CreditPortfolioConfig config) {
    return of(exposures, pds, lgdRegime, config, null);
  }

  /**
   * As {@link #of(List, double[], IrbRegime, CreditPortfolioConfig)}, with the workers run as tasks
   * on the caller's {@code executor} (never shut down; results do not depend on it) instead of own
   * threads, or on own threads when it is null; the caller waits, so it must not be the executor's
   * only thread.
   */
  public static CreditPortfolioSimulation of(List<Exposure> exposures, double[] pds, IrbRegime lgdRegime,
      CreditPortfolioConfig config, Executor executor) {
    checkPortfolio(exposures, pds, lgdRegime);
    if (exposures.isEmpty()) {
      throw new IllegalArgumentException("simulation: the portfolio has no exposures");
    }
    return new CreditPortfolioSimulation(List.copyOf(exposures), pds.clone(), lgdRegime,
        Objects.requireNonNull(config, "config"), executor);
  }


  private static void checkPortfolio(List<Exposure> exposures, double[] pds, IrbRegime lgdRegime) {
    if (exposures == null || pds == null || lgdRegime == null) {
      throw new IllegalArgumentException("portfolio: exposures, pds and regime are required");
    }
    if (exposures.size() != pds.length) {
      throw new IllegalArgumentException("portfolio: " + exposures.size() + " exposures but "
          + pds.length + " PDs");
    }
    for (int i = 0; i < pds.length; i++) {
      if (!(pds[i] >= 0 && pds[i] <= 1)) {
        throw new IllegalArgumentException("portfolio: PD of supplier " + exposures.get(i).supplierId()
            + " must be in [0, 1], got " + pds[i]);
      }
    }
  }

  /** A builder of the portfolio and the options, starting from {@link CreditPortfolioConfig#defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The options this simulation runs with. */
  public CreditPortfolioConfig config() {
    return config;
  }

  /** Number of suppliers (obligors) in the portfolio. */
  public int obligors() {
    return obligors;
  }

  /** The configured number of scenarios. */
  public int simulations() {
    return config.simulations();
  }

  /**
   * Simulates every scenario and computes the tail measures and contributions.
   *
   * @throws IllegalStateException when a worker thread fails
   */
  public LossDistributionResult run() {
    double[] losses = new double[config.simulations()];
    double[] weights = new double[losses.length];
    return withPool(pool -> {
      simulateAll(losses, weights, pool);
      return new LossSummary(this).summarise(losses, weights, pool);
    });
  }

  /**
   * Fills caller-owned {@code losses} and {@code weights} (length = simulations) with each
   * scenario's loss and importance weight; the raw engine used by {@link #run()} and benchmarks.
   */
  public void simulateLosses(double[] losses, double[] weights) {
    int n = config.simulations();
    if (losses.length != n || weights.length != n) {
      throw new IllegalArgumentException("simulateLosses: buffers must have length " + n);
    }
    withPool(pool -> {
      simulateAll(losses, weights, pool);
      return null;
    });
  }

  /** Runs {@code work} with this run's pool (null with one thread), closed afterwards. */
  private <T> T withPool(java.util.function.Function<ExecutorService, T> work) {
    ExecutorService pool = config.threads() == 1 ? null : executor != null ? new BorrowedExecutor(executor)
        : Executors.newFixedThreadPool(config.threads(), r -> {
          Thread t = new Thread(r, "chainscore-portfolio-mc");
          t.setDaemon(true);
          return t;
        });
    try {
      return work.apply(pool);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private void simulateAll(double[] losses, double[] weights, ExecutorService pool) {
    parallelFor(pool, losses.length, BLOCK, null,
        (s, scratch) -> losses[s] = simulateScenario(s, scratch, false, weights));
  }

  /** @see ScenarioPool#parallelFor */
  void parallelFor(ExecutorService pool, int count, int block, Scratch[] slotScratch, ScenarioPool.IndexTask task) {
    ScenarioPool.parallelFor(pool, config.threads(), count, block, this::newScratch, slotScratch, task);
  }

  /** Per-thread buffers for the systematic factors and the defaulters of a scenario. */
  static final class Scratch {
    final double[] sectorFactor;
    final double[] anchorFactor;
    final boolean[] anchorDefaulted;
    final int[] defaulters;
    int defaultCount;

    private Scratch(int sectors, int anchors, int obligors) {
      sectorFactor = new double[sectors];
      anchorFactor = new double[anchors];
      anchorDefaulted = new boolean[anchors];
      defaulters = new int[obligors];
    }
  }

  /** Buffers sized for this portfolio. */
  Scratch newScratch() {
    return new Scratch(sectorKeys.length, anchorKeys.length, obligors);
  }

  /**
   * Simulates scenario s and returns its loss; stores its importance weight in weights[s]; when
   * {@code recording}, lists the defaulting suppliers in scratch.defaulters.
   */
  double simulateScenario(int s, Scratch scratch, boolean recording, double[] weights) {
    // xoroshiro128+ seeded through SplitMix64 from (seed, s): independent of thread and block.
    long z = config.seed() + 0x9E3779B97F4A7C15L * (s + 1L);
    long s0 = mix64(z);
    long s1 = mix64(z + 0x9E3779B97F4A7C15L);
    if ((s0 | s1) == 0) {
      s1 = 1;
    }
    // Systematic factors by inverse transform with Acklam (1e-9 relative), cheap enough for
    // portfolios with hundreds of anchors.
    long r = s0 + s1;
    s1 ^= s0;
    s0 = Long.rotateLeft(s0, 24) ^ s1 ^ (s1 << 16);
    s1 = Long.rotateLeft(s1, 37);
    double shift = config.importanceShift();
    double macro = shift + Normal.inverseFast(uniformOpen(r));
    weights[s] = shift == 0 ? 1.0 : Math.exp(-shift * macro + 0.5 * shift * shift);
    double[] sectorFactor = scratch.sectorFactor;
    for (int k = 0; k < sectorFactor.length; k++) {
      r = s0 + s1;
      s1 ^= s0;
      s0 = Long.rotateLeft(s0, 24) ^ s1 ^ (s1 << 16);
      s1 = Long.rotateLeft(s1, 37);
      sectorFactor[k] = Normal.inverseFast(uniformOpen(r));
    }
    double[] anchorFactor = scratch.anchorFactor;
    boolean[] anchorDefaulted = scratch.anchorDefaulted;
    for (int k = 0; k < anchorFactor.length; k++) {
      r = s0 + s1;
      s1 ^= s0;
      s0 = Long.rotateLeft(s0, 24) ^ s1 ^ (s1 << 16);
      s1 = Long.rotateLeft(s1, 37);
      double f = Normal.inverseFast(uniformOpen(r));
      anchorFactor[k] = f;
      anchorDefaulted[k] = anchorMacroLoading * macro + anchorOwnLoading * f < anchorThreshold[k];
    }
    boolean contagion = config.contagion();
    int[] defaulters = scratch.defaulters;
    int count = 0;
    double loss = 0;
    double[] threshold = this.threshold;
    double[] macroCoefficient = this.macroCoefficient;
    double[] sectorCoefficient = this.sectorCoefficient;
    double[] anchorCoefficient = this.anchorCoefficient;
    int[] sectorOf = this.sectorOf;
    int[] anchorOf = this.anchorOf;
    double[] lossGivenDefault = this.lossGivenDefault;
    for (int i = 0; i < obligors; i++) {
      int anchor = anchorOf[i];
      double x = threshold[i] - macroCoefficient[i] * macro
          - sectorCoefficient[i] * sectorFactor[sectorOf[i]] - anchorCoefficient[i] * anchorFactor[anchor];
      r = s0 + s1;
      s1 ^= s0;
      s0 = Long.rotateLeft(s0, 24) ^ s1 ^ (s1 << 16);
      s1 = Long.rotateLeft(s1, 37);
      double u = (r >>> 11) * 0x1.0p-53;
      boolean defaulted;
      if (anchorObligor[i]) {
        // Owed by the anchor (its default is drawn above with the anchor's PD): the wrong-way
        // risk of payables finance, losing in the very scenarios the anchor's contagion hits.
        defaulted = anchorDefaulted[anchor] && u < anchorObligorShare[i];
      } else if (contagion && anchorDefaulted[anchor]) {
        double p = Normal.fastCdf(x);
        defaulted = u < p + (1 - p) * contagionJump[i];
      } else {
        defaulted = Normal.below(u, x);
      }
      if (defaulted) {
        loss += lossGivenDefault[i];
        if (recording) {
          defaulters[count++] = i;
        }
      }
    }
    scratch.defaultCount = count;
    return loss;
  }

  private static double uniformOpen(long r) {
    return ((r >>> 11) + 0.5) * 0x1.0p-53;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The portfolio ({@link #portfolio}, required) and the options ({@link CreditPortfolioConfig.Builder},
   * each checked as it is set) of a {@link CreditPortfolioSimulation}.
   *
   * <p>Thread safety: not thread-safe; {@link #build()} copies what it needs, so one builder may
   * build several simulations.
   */
  public static final class Builder {
    private List<Exposure> exposures;
    private double[] pds;
    private IrbRegime lgdRegime = IrbRegime.BASEL_III;
    private CreditPortfolioConfig.Builder options = CreditPortfolioConfig.builder();
    private Executor executor;

    private Builder() {}

    /**
     * The suppliers and their PDs (same order); NaN LGDs take the regime's supervisory value, and
     * the regime's dilution charge sets the default-risk EAD (see {@link CreditPortfolioSimulation#of}).
     */
    public Builder portfolio(List<Exposure> exposures, double[] pds, IrbRegime lgdRegime) {
      checkPortfolio(exposures, pds, lgdRegime);
      this.exposures = List.copyOf(exposures);
      this.pds = pds.clone();
      this.lgdRegime = lgdRegime;
      return this;
    }

    /** @see CreditPortfolioSimulation#of(List, double[], IrbRegime, CreditPortfolioConfig, Executor) */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Replaces every option by those of {@code config}. */
    public Builder config(CreditPortfolioConfig config) {
      this.options = config.toBuilder();
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#macroCorrelation */
    public Builder macroCorrelation(double value) {
      options.macroCorrelation(value);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#sectorCorrelation */
    public Builder sectorCorrelation(double value) {
      options.sectorCorrelation(value);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#anchorLoading */
    public Builder anchorLoading(double value) {
      options.anchorLoading(value);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#anchorMacroCorrelation */
    public Builder anchorMacroCorrelation(double value) {
      options.anchorMacroCorrelation(value);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#anchorPd */
    public Builder anchorPd(String anchorId, double pd) {
      options.anchorPd(anchorId, pd);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#defaultAnchorPd */
    public Builder defaultAnchorPd(double pd) {
      options.defaultAnchorPd(pd);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#contagion */
    public Builder contagion(boolean on) {
      options.contagion(on);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#contagionStrength */
    public Builder contagionStrength(double value) {
      options.contagionStrength(value);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#simulations */
    public Builder simulations(int n) {
      options.simulations(n);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#seed */
    public Builder seed(long seed) {
      options.seed(seed);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#threads */
    public Builder threads(int threads) {
      options.threads(threads);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#importanceShift */
    public Builder importanceShift(double mu) {
      options.importanceShift(mu);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#contributions */
    public Builder contributions(boolean on) {
      options.contributions(on);
      return this;
    }

    /** @see CreditPortfolioConfig.Builder#levels */
    public Builder levels(double... levels) {
      options.levels(levels);
      return this;
    }

    /** The options set so far, without the portfolio; throws when the loadings together reach 1. */
    public CreditPortfolioConfig config() {
      return options.build();
    }

    /** The simulation; throws IllegalArgumentException without a portfolio or when loadings reach 1. */
    public CreditPortfolioSimulation build() {
      if (exposures == null) {
        throw new IllegalArgumentException("simulation: portfolio(...) is required");
      }
      return CreditPortfolioSimulation.of(exposures, pds, lgdRegime, config(), executor);
    }
  }
}

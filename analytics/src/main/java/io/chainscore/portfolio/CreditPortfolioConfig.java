package io.chainscore.portfolio;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The model and run options of a {@link CreditPortfolioSimulation}, validated on construction:
 * factor loadings, anchor PDs and contagion, the number of scenarios, seed, worker threads,
 * importance sampling, confidence levels and whether to compute Euler contributions. The portfolio
 * itself (exposures, PDs, LGD regime) is given to the simulation, so one configuration serves a
 * baseline and its stressed runs.
 *
 * <p>Build one with {@link #builder()}; {@link #defaults()} holds the documented defaults.
 *
 * <p>Thread safety: immutable ({@link #levels()} returns a copy).
 *
 * @param macroCorrelation squared loading of suppliers on the macro factor, in [0, 1]
 * @param sectorCorrelation squared loading of suppliers on their sector factor, in [0, 1]
 * @param anchorLoading loading on the anchor factor of a supplier selling everything to its
 *     anchor, in [0, 1]; with the two correlations, {@code macro + sector + anchorLoading^2 < 1}
 * @param anchorMacroCorrelation squared loading of anchors on the macro factor, in [0, 1)
 * @param anchorPds one-year PDs of named anchors, each in [0, 1]
 * @param defaultAnchorPd PD of anchors without their own, in [0, 1]
 * @param contagion whether an anchor's default raises its suppliers' default probability
 * @param contagionStrength extra default probability, times the anchor's sales share, of a
 *     supplier whose anchor defaulted, in [0, 1]
 * @param simulations number of scenarios, at least 100
 * @param seed master seed
 * @param threads worker threads, at least 1; results do not depend on it
 * @param importanceShift mean of the sampled macro factor, finite and within [-8, 8]
 * @param levels confidence levels for VaR and ES, each in (0.5, 1); stored sorted
 * @param contributions whether to compute Euler contributions (the tail re-simulation)
 */
public record CreditPortfolioConfig(
    double macroCorrelation,
    double sectorCorrelation,
    double anchorLoading,
    double anchorMacroCorrelation,
    Map<String, Double> anchorPds,
    double defaultAnchorPd,
    boolean contagion,
    double contagionStrength,
    int simulations,
    long seed,
    int threads,
    double importanceShift,
    double[] levels,
    boolean contributions) {

  private static final CreditPortfolioConfig DEFAULTS = builder().build();

  /** Validates every option; messages name the option. */
  public CreditPortfolioConfig {
    unitInterval("macroCorrelation", macroCorrelation);
    unitInterval("sectorCorrelation", sectorCorrelation);
    unitInterval("anchorLoading", anchorLoading);
    unitInterval("anchorMacroCorrelation", anchorMacroCorrelation);
    Objects.requireNonNull(anchorPds, "anchorPds");
    for (Map.Entry<String, Double> e : anchorPds.entrySet()) {
      unitInterval("anchor PD of " + e.getKey(), e.getValue());
    }
    anchorPds = Map.copyOf(anchorPds);
    unitInterval("defaultAnchorPd", defaultAnchorPd);
    unitInterval("contagionStrength", contagionStrength);
    checkSimulations(simulations);
    checkThreads(threads);
    checkImportanceShift(importanceShift);
    levels = sortedLevels(levels);
    double systematic = macroCorrelation + sectorCorrelation + anchorLoading * anchorLoading;
    if (!(systematic < 1)) {
      throw new IllegalArgumentException("simulation: macroCorrelation + sectorCorrelation + "
          + "anchorLoading^2 must be < 1, got " + systematic);
    }
    if (!(anchorMacroCorrelation < 1)) {
      throw new IllegalArgumentException("simulation: anchorMacroCorrelation must be < 1");
    }
  }

  /** A builder starting from the defaults documented on its setters. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration with every option at its default. */
  public static CreditPortfolioConfig defaults() {
    return DEFAULTS;
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.macroCorrelation = macroCorrelation;
    b.sectorCorrelation = sectorCorrelation;
    b.anchorLoading = anchorLoading;
    b.anchorMacroCorrelation = anchorMacroCorrelation;
    b.anchorPds.putAll(anchorPds);
    b.defaultAnchorPd = defaultAnchorPd;
    b.contagion = contagion;
    b.contagionStrength = contagionStrength;
    b.simulations = simulations;
    b.seed = seed;
    b.threads = threads;
    b.importanceShift = importanceShift;
    b.levels = levels.clone();
    b.contributions = contributions;
    return b;
  }

  /** The confidence levels, ascending (a copy). */
  @Override
  public double[] levels() {
    return levels.clone();
  }

  /**
   * This configuration with every anchor PD (the explicit ones and the default) conditioned on the
   * macro factor taking the value z, for macro stress scenarios; z = 0 is a scenario without a macro
   * move (a {@code macro_factor_shift} left out), which leaves them as they are, as {@link
   * PortfolioAnalysis} leaves the suppliers' PDs. (Conditioning on Z = 0 is no identity: it would
   * take an anchor's 0.3% to 0.11%, so a scenario of feature shocks alone, or of nothing, moved the
   * simulated anchor defaults, its contagion and its payables losses until 2026-12-07.)
   */
  CreditPortfolioConfig withAnchorMacroStress(double z) {
    if (z == 0) {
      return this;
    }
    Builder b = toBuilder();
    b.defaultAnchorPd = Vasicek.conditionalPd(defaultAnchorPd, anchorMacroCorrelation, z);
    for (Map.Entry<String, Double> e : anchorPds.entrySet()) {
      b.anchorPds.put(e.getKey(), Vasicek.conditionalPd(e.getValue(), anchorMacroCorrelation, z));
    }
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CreditPortfolioConfig c
        && Double.compare(macroCorrelation, c.macroCorrelation) == 0
        && Double.compare(sectorCorrelation, c.sectorCorrelation) == 0
        && Double.compare(anchorLoading, c.anchorLoading) == 0
        && Double.compare(anchorMacroCorrelation, c.anchorMacroCorrelation) == 0
        && anchorPds.equals(c.anchorPds)
        && Double.compare(defaultAnchorPd, c.defaultAnchorPd) == 0
        && contagion == c.contagion
        && Double.compare(contagionStrength, c.contagionStrength) == 0
        && simulations == c.simulations && seed == c.seed && threads == c.threads
        && Double.compare(importanceShift, c.importanceShift) == 0
        && Arrays.equals(levels, c.levels)
        && contributions == c.contributions;
  }

  @Override
  public int hashCode() {
    return Objects.hash(macroCorrelation, sectorCorrelation, anchorLoading, anchorMacroCorrelation, anchorPds,
        defaultAnchorPd, contagion, contagionStrength, simulations, seed, threads, importanceShift,
        Arrays.hashCode(levels), contributions);
  }

  @Override
  public String toString() {
    return "CreditPortfolioConfig[macroCorrelation=" + macroCorrelation + ", sectorCorrelation=" + sectorCorrelation
        + ", anchorLoading=" + anchorLoading + ", anchorMacroCorrelation=" + anchorMacroCorrelation
        + ", anchorPds=" + anchorPds + ", defaultAnchorPd=" + defaultAnchorPd + ", contagion=" + contagion
        + ", contagionStrength=" + contagionStrength + ", simulations=" + simulations + ", seed=" + seed
        + ", threads=" + threads + ", importanceShift=" + importanceShift + ", levels=" + Arrays.toString(levels)
        + ", contributions=" + contributions + "]";
  }

  private static double unitInterval(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
    }
    return value;
  }

  /** The fewest scenarios a run may simulate: below it the 99.9% quantile rests on no scenario. */
  public static final int MIN_SIMULATIONS = 100;

  /**
   * The most scenarios a run may simulate: each holds its loss and its weight (16 bytes) and the
   * summary a sorted copy, about 400 MB at this bound; beyond it a run meant to ask for more
   * precision runs out of memory instead (2,000,000,000 ended so, exit 1, blaming the book's size).
   */
  public static final int MAX_SIMULATIONS = 10_000_000;

  /** The rule of a scenario count, in words, for the refusals of every caller. */
  public static String simulationsExpected() {
    return String.format(java.util.Locale.ROOT, "%,d to %,d", MIN_SIMULATIONS, MAX_SIMULATIONS);
  }

  private static int checkSimulations(int n) {
    if (n < MIN_SIMULATIONS || n > MAX_SIMULATIONS) {
      throw new IllegalArgumentException("simulations must be " + simulationsExpected() + ", got " + n);
    }
    return n;
  }

  private static int checkThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    return threads;
  }

  private static double checkImportanceShift(double mu) {
    if (!Double.isFinite(mu) || Math.abs(mu) > 8) {
      throw new IllegalArgumentException("importanceShift must be finite and within [-8, 8], got " + mu);
    }
    return mu;
  }

  private static double[] sortedLevels(double[] levels) {
    if (levels == null || levels.length == 0) {
      throw new IllegalArgumentException("levels: at least one confidence level is required");
    }
    double[] copy = levels.clone();
    Arrays.sort(copy);
    for (double a : copy) {
      if (!(a > 0.5 && a < 1)) {
        throw new IllegalArgumentException("levels: each level must be in (0.5, 1), got " + a);
      }
    }
    return copy;
  }

  /**
   * Options of a {@link CreditPortfolioConfig}; each setter checks its value at once, {@link #build()}
   * the combination.
   *
   * <p>Thread safety: not thread-safe; {@link #build()} copies what it needs.
   */
  public static final class Builder {
    private double macroCorrelation = 0.10;
    private double sectorCorrelation = 0.05;
    private double anchorLoading = 0.35;
    private double anchorMacroCorrelation = 0.20;
    private final Map<String, Double> anchorPds = new HashMap<>();
    private double defaultAnchorPd = 0.01;
    private boolean contagion;
    private double contagionStrength = 0.25;
    private int simulations = 100_000;
    private long seed = 1L;
    private int threads = 1;
    private double importanceShift;
    private double[] levels = {0.99, 0.999};
    private boolean contributions = true;

    private Builder() {}

    /** Squared loading of suppliers on the macro factor (default 0.10). */
    public Builder macroCorrelation(double value) {
      this.macroCorrelation = unitInterval("macroCorrelation", value);
      return this;
    }

    /** Squared loading of suppliers on their sector factor (default 0.05). */
    public Builder sectorCorrelation(double value) {
      this.sectorCorrelation = unitInterval("sectorCorrelation", value);
      return this;
    }

    /**
     * Loading on the anchor factor of a supplier selling everything to its anchor (default 0.35);
     * a supplier's loading is this times the anchor's share of its sales.
     */
    public Builder anchorLoading(double value) {
      this.anchorLoading = unitInterval("anchorLoading", value);
      return this;
    }

    /** Squared loading of anchors on the macro factor (default 0.20). */
    public Builder anchorMacroCorrelation(double value) {
      this.anchorMacroCorrelation = unitInterval("anchorMacroCorrelation", value);
      return this;
    }

    /** The one-year PD of an anchor (anchors without one use {@link #defaultAnchorPd}). */
    public Builder anchorPd(String anchorId, double pd) {
      this.anchorPds.put(anchorId, unitInterval("anchor PD of " + anchorId, pd));
      return this;
    }

    /** PD of anchors given no own PD (default 0.01). */
    public Builder defaultAnchorPd(double pd) {
      this.defaultAnchorPd = unitInterval("defaultAnchorPd", pd);
      return this;
    }

    /** Whether an anchor's default raises its suppliers' default probability (default off). */
    public Builder contagion(boolean on) {
      this.contagion = on;
      return this;
    }

    /**
     * Extra default probability, times the anchor's sales share, of a supplier whose anchor
     * defaulted (default 0.25).
     */
    public Builder contagionStrength(double value) {
      this.contagionStrength = unitInterval("contagionStrength", value);
      return this;
    }

    /** Number of scenarios, {@link #MIN_SIMULATIONS} to {@link #MAX_SIMULATIONS} (default 100,000). */
    public Builder simulations(int n) {
      this.simulations = checkSimulations(n);
      return this;
    }

    /** Master seed (default 1). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Worker threads (default 1); results do not depend on it. */
    public Builder threads(int threads) {
      this.threads = checkThreads(threads);
      return this;
    }

    /**
     * Mean of the sampled macro factor for importance sampling (default 0, plain Monte Carlo); a
     * negative value such as -2.5 oversamples downturns, and each scenario is weighted by the
     * likelihood ratio exp(-mu Z + mu^2 / 2).
     */
    public Builder importanceShift(double mu) {
      this.importanceShift = checkImportanceShift(mu);
      return this;
    }

    /**
     * Whether to compute Euler contributions (default on); off skips the tail re-simulation, and
     * the tail measures then carry empty contribution arrays and lists.
     */
    public Builder contributions(boolean on) {
      this.contributions = on;
      return this;
    }

    /** Confidence levels for VaR and ES (default 0.99 and 0.999). */
    public Builder levels(double... levels) {
      this.levels = sortedLevels(levels);
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException when the loadings together reach 1
     */
    public CreditPortfolioConfig build() {
      return new CreditPortfolioConfig(macroCorrelation, sectorCorrelation, anchorLoading, anchorMacroCorrelation,
          anchorPds, defaultAnchorPd, contagion, contagionStrength, simulations, seed, threads, importanceShift,
          levels, contributions);
    }
  }
}

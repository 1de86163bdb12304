package io.chainscore.portfolio;

import java.util.List;

/**
 * The simulated portfolio loss distribution: mean, tail measures at each confidence level with
 * Monte Carlo standard errors and Euler risk contributions, and a histogram. Losses are in the
 * currency of the exposures (LGD x EAD per default).
 *
 * <p>Arrays are owned by the record; callers must not modify them. Thread safety: immutable when
 * callers honour that.
 *
 * @param simulations number of simulated scenarios
 * @param seed the master seed
 * @param importanceShift mean of the sampled macro factor (0 = plain Monte Carlo)
 * @param totalEad sum of the default-risk EAD ({@link CapitalCalculator#defaultRiskEad})
 * @param expectedLoss analytic expected loss, sum of PD x LGD x EAD without contagion
 * @param meanLoss Monte Carlo mean loss (includes contagion when enabled; exposures in default at
 *     their certain loss, outside the importance weights)
 * @param meanLossStandardError standard error of {@code meanLoss}
 * @param tail one entry per confidence level, ascending
 * @param histogram the loss distribution on equal-width bins
 */
public record LossDistributionResult(
    int simulations,
    long seed,
    double importanceShift,
    double totalEad,
    double expectedLoss,
    double meanLoss,
    double meanLossStandardError,
    List<TailMeasure> tail,
    Histogram histogram) {

  /** The tail measure at {@code level}, for example 0.999. */
  public TailMeasure at(double level) {
    for (TailMeasure t : tail) {
      if (t.level() == level) {
        return t;
      }
    }
    throw new IllegalArgumentException("no tail measure at level " + level + "; levels are "
        + tail.stream().map(TailMeasure::level).toList());
  }

  /**
   * VaR and expected shortfall at one confidence level with their Euler contributions.
   *
   * <p>VaR is the alpha-quantile of the loss; ES is E[L | L &gt;= VaR]. Supplier arrays follow
   * the order of the exposures given to the simulation; anchor and sector lists are sorted by ES
   * contribution, largest first.
   *
   * @param level confidence level alpha
   * @param valueAtRisk the alpha-quantile of the loss
   * @param valueAtRiskStandardError batch-means standard error of the VaR
   * @param expectedShortfall E[L | L &gt;= VaR]
   * @param expectedShortfallStandardError batch-means standard error of the ES
   * @param tailScenarios number of scenarios with L &gt;= VaR
   * @param varWindowScenarios number of scenarios in the VaR-contribution window (0 when
   *     contributions are off)
   * @param supplierValueAtRisk VaR contribution per supplier (sums to the VaR)
   * @param supplierExpectedShortfall ES contribution per supplier (sums to the ES)
   * @param supplierExpectedShortfallStandardError standard error per supplier ES contribution,
   *     conditional on the VaR threshold
   * @param byAnchor contributions per anchor
   * @param bySector contributions per sector
   */
  public record TailMeasure(
      double level,
      double valueAtRisk,
      double valueAtRiskStandardError,
      double expectedShortfall,
      double expectedShortfallStandardError,
      int tailScenarios,
      int varWindowScenarios,
      double[] supplierValueAtRisk,
      double[] supplierExpectedShortfall,
      double[] supplierExpectedShortfallStandardError,
      List<Contribution> byAnchor,
      List<Contribution> bySector) {}

  /**
   * The Euler contribution of a group of suppliers (an anchor or a sector).
   *
   * @param key anchor id or sector code
   * @param suppliers number of suppliers in the group
   * @param valueAtRisk VaR contribution
   * @param expectedShortfall ES contribution
   * @param expectedShortfallStandardError its standard error, conditional on the VaR threshold
   */
  public record Contribution(
      String key, int suppliers, double valueAtRisk, double expectedShortfall,
      double expectedShortfallStandardError) {}

  /**
   * Probability mass of the loss on bins [edge_k, edge_k+1); the last bin is closed.
   *
   * @param edges bin edges, one more than probabilities
   * @param probabilities (importance-weighted) probability per bin
   */
  public record Histogram(double[] edges, double[] probabilities) {}
}

package io.chainscore.portfolio;

import java.util.List;

/**
 * The portfolio view for one run: totals and concentrations of EAD, expected loss and IRB
 * capital, the Monte Carlo loss distribution with tail contributions, and an optional stress
 * comparison. Serialisable with Jackson as is ({@link PortfolioFiles#writeJson}).
 *
 * <p>Thread safety: immutable (arrays are owned by the report and must not be modified).
 *
 * @param regime the IRB regime applied
 * @param suppliers number of exposures
 * @param totals portfolio totals
 * @param byAnchor totals per anchor, largest EAD first
 * @param bySector totals per sector, largest EAD first
 * @param byGrade totals per grade, by ascending average PD
 * @param byProduct totals per product (receivables, payables and purchase-order finance, term loans)
 * @param simulation Monte Carlo results, or null when no simulation was configured
 * @param scenario stress comparison, or null when no scenario was given
 */
public record PortfolioReport(
    String regime,
    int suppliers,
    Totals totals,
    List<Breakdown> byAnchor,
    List<Breakdown> bySector,
    List<Breakdown> byGrade,
    List<Breakdown> byProduct,
    Simulation simulation,
    ScenarioComparison scenario) {

  /**
   * Sums over a set of exposures.
   *
   * @param ead exposure at default
   * @param expectedLoss PD x LGD x EAD with unfloored PDs over each exposure's horizon (at most one
   *     year, its maturity when shorter)
   * @param regulatoryExpectedLoss the same with the regime's PD floor
   * @param rwa risk-weighted assets (scaling factor included)
   * @param capital 8% of RWA
   * @param averagePd EAD-weighted average PD (unfloored)
   * @param dilutionExpectedLoss expected dilution of purchased receivables, {@code EL_D x amount}
   * @param dilutionRwa RWA for dilution risk (CRE34.8), beside the default-risk {@code rwa}
   * @param dilutionCapital 8% of the dilution RWA, beside the default-risk {@code capital}
   */
  public record Totals(
      double ead, double expectedLoss, double regulatoryExpectedLoss, double rwa, double capital,
      double averagePd, double dilutionExpectedLoss, double dilutionRwa, double dilutionCapital) {}

  /**
   * Totals for one anchor, sector or grade.
   *
   * @param key anchor id, sector code or grade
   * @param suppliers number of exposures in the group
   * @param totals the group's sums
   * @param eadShare the group's share of portfolio EAD
   */
  public record Breakdown(String key, int suppliers, Totals totals, double eadShare) {}

  /**
   * Monte Carlo summary.
   *
   * @param simulations scenarios
   * @param seed master seed
   * @param importanceShift macro mean shift used for importance sampling
   * @param contagion whether anchor contagion was on
   * @param meanLoss Monte Carlo mean loss
   * @param meanLossStandardError its standard error
   * @param tail VaR/ES per confidence level
   * @param histogramEdges loss bin edges
   * @param histogramProbabilities probability per bin
   */
  public record Simulation(
      int simulations, long seed, double importanceShift, boolean contagion, double meanLoss,
      double meanLossStandardError, List<Tail> tail, double[] histogramEdges,
      double[] histogramProbabilities) {}

  /**
   * Tail measures at one level with contributions.
   *
   * @param level confidence level
   * @param valueAtRisk VaR
   * @param valueAtRiskStandardError its batch-means standard error
   * @param expectedShortfall ES = E[L | L &gt;= VaR]
   * @param expectedShortfallStandardError its batch-means standard error
   * @param byAnchor Euler contributions per anchor
   * @param bySector Euler contributions per sector
   * @param byProduct Euler contributions per product: the payables-finance share is the tail the
   *     anchors' own defaults cause (wrong-way: the anchor that owes also drives the contagion)
   * @param topSuppliers the suppliers with the largest ES contributions
   */
  public record Tail(
      double level, double valueAtRisk, double valueAtRiskStandardError, double expectedShortfall,
      double expectedShortfallStandardError, List<LossDistributionResult.Contribution> byAnchor,
      List<LossDistributionResult.Contribution> bySector, List<LossDistributionResult.Contribution> byProduct,
      List<SupplierContribution> topSuppliers) {}

  /**
   * One supplier's Euler contributions.
   *
   * @param supplierId supplier
   * @param anchorId its anchor
   * @param sector its sector code
   * @param ead its EAD for default risk, as in the totals (amount - K_Dilution for purchased
   *     receivables with dilution)
   * @param pd its PD
   * @param valueAtRisk VaR contribution
   * @param expectedShortfall ES contribution
   * @param expectedShortfallStandardError its standard error
   */
  public record SupplierContribution(
      String supplierId, String anchorId, String sector, double ead, double pd, double valueAtRisk,
      double expectedShortfall, double expectedShortfallStandardError) {}

  /**
   * Baseline versus stressed portfolio.
   *
   * @param scenario the scenario
   * @param featureShocksApplied whether the stressed PDs include rescoring after the anchor and
   *     sector feature shocks (false when only the macro move could be applied)
   * @param baseline baseline totals
   * @param stressed stressed totals
   * @param meanPdChange EAD-weighted average PD, stressed minus baseline
   * @param maxPdIncrease largest PD increase of a supplier
   * @param suppliersDowngraded suppliers whose grade got worse
   * @param suppliersUpgraded suppliers whose grade got better
   * @param migrations grade migration counts (only changed grades)
   * @param tail VaR/ES baseline and stressed per level (empty without simulation)
   */
  public record ScenarioComparison(
      StressScenario scenario, boolean featureShocksApplied, Totals baseline, Totals stressed,
      double meanPdChange, double maxPdIncrease, int suppliersDowngraded, int suppliersUpgraded,
      List<GradeMigration> migrations, List<TailChange> tail) {}

  /**
   * Number of suppliers moving from one grade to another.
   *
   * @param from baseline grade
   * @param to stressed grade
   * @param suppliers count
   */
  public record GradeMigration(String from, String to, int suppliers) {}

  /**
   * VaR and ES before and after stress at one level (same seed: common random numbers).
   *
   * @param level confidence level
   * @param baselineValueAtRisk baseline VaR
   * @param stressedValueAtRisk stressed VaR
   * @param baselineExpectedShortfall baseline ES
   * @param stressedExpectedShortfall stressed ES
   */
  public record TailChange(
      double level, double baselineValueAtRisk, double stressedValueAtRisk,
      double baselineExpectedShortfall, double stressedExpectedShortfall) {}
}

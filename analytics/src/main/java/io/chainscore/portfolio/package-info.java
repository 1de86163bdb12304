/**
 * Portfolio credit risk for supply-chain finance books: exposures, expected loss, Basel IRB
 * regulatory capital, the Vasicek large-pool distribution, a multi-factor Gaussian-copula Monte
 * Carlo model with anchor contagion, stress scenarios and the portfolio report.
 *
 * <p>The analytics ({@link io.chainscore.portfolio.CapitalCalculator}, {@link
 * io.chainscore.portfolio.Vasicek}, {@link io.chainscore.portfolio.CreditPortfolioSimulation},
 * {@link io.chainscore.portfolio.StressScenario}) do no I/O; {@link
 * io.chainscore.portfolio.PortfolioFiles} reads the CSV inputs and writes the JSON and HTML
 * outputs. Definitions, formulas and precision are in {@code docs/portfolio-risk.md}.
 */
package io.chainscore.portfolio;

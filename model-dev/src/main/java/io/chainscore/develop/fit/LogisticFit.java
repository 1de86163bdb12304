package io.chainscore.develop.fit;

/**
 * A fitted logistic regression: coefficients with their standard errors, Wald z statistics and
 * two-sided p-values, and the fit's log-likelihood.
 *
 * @param names characteristic names, the intercept first ({@code "(intercept)"})
 * @param coefficients log-odds coefficients in the order of {@code names}
 * @param standardErrors square roots of the diagonal of the inverse Fisher information
 * @param zValues {@code coefficient / standardError}
 * @param pValues two-sided normal p-values of the z values
 * @param logLikelihood log-likelihood at the estimate
 * @param nullLogLikelihood log-likelihood of the intercept-only model
 * @param iterations Newton (IRLS) iterations used
 * @param converged whether the relative change of the deviance fell below the tolerance
 *
 * <p>Thread safety: immutable (the arrays are not copied on access; do not modify them).
 */
public record LogisticFit(
    String[] names,
    double[] coefficients,
    double[] standardErrors,
    double[] zValues,
    double[] pValues,
    double logLikelihood,
    double nullLogLikelihood,
    int iterations,
    boolean converged) {

  /** Akaike information criterion, {@code 2k - 2 log L}. */
  public double aic() {
    return 2 * coefficients.length - 2 * logLikelihood;
  }

  /** McFadden's pseudo R-squared, {@code 1 - log L / log L0}. */
  public double mcFaddenR2() {
    return 1 - logLikelihood / nullLogLikelihood;
  }

  /** The margin (log-odds) of one row of characteristics, without the intercept column. */
  public double margin(double[] x) {
    double m = coefficients[0];
    for (int j = 0; j < x.length; j++) {
      m += coefficients[j + 1] * x[j];
    }
    return m;
  }
}

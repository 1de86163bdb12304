package io.chainscore.develop.fit;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Maximum-likelihood logistic regression by iteratively reweighted least squares (Newton's
 * method on the log-likelihood), with optional L2 shrinkage, on Commons Math.
 *
 * <p>Each iteration solves {@code (X'WX + lambda I') delta = X'(y - p) - lambda beta'} by Cholesky
 * ({@code I'} leaves the intercept unpenalised), halving the step while it would lower the
 * likelihood; it stops when the relative change of the deviance falls below {@code 1e-10} (R's
 * {@code glm} criterion, tightened) and no coefficient moves by more than {@code 1e-6} relative. Standard errors come from the inverse of the information matrix at the
 * estimate. Under perfect separation the likelihood has no maximum: the fit stops at the
 * iteration limit with {@code converged == false}.
 *
 * <p>Thread safety: stateless; {@link #fit} may run concurrently.
 */
public final class LogisticRegression {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private final double lambda;
  private final int maxIterations;
  private final double tolerance;

  private LogisticRegression(double lambda, int maxIterations, double tolerance) {
    this.lambda = lambda;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
  }

  /** Unpenalised maximum likelihood, at most 50 iterations. */
  public static LogisticRegression maximumLikelihood() {
    return new LogisticRegression(0, 50, 1e-10);
  }

  /** L2-penalised fit ({@code lambda / 2 * sum beta_j^2} over the non-intercept terms). */
  public static LogisticRegression ridge(double lambda) {
    if (!(lambda >= 0)) {
      throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
    }
    return new LogisticRegression(lambda, 100, 1e-10);
  }

  /**
   * Fits {@code P(y = 1 | x) = 1 / (1 + exp(-(b0 + b . x)))}.
   *
   * @param names names of the columns of {@code x}
   * @param x rows of characteristics (no intercept column)
   * @param y 0/1 outcomes
   * @throws IllegalArgumentException for mismatched sizes, non-finite values, labels other than
   *     0/1, a single class, or collinear characteristics
   */
  public LogisticFit fit(String[] names, double[][] x, int[] y) {
    return fit(names, x, y, null);
  }

  /**
   * Fits with sample weights: row i contributes {@code weights[i]} times its log-likelihood term,
   * its gradient and its information, so integer weights give the fit (coefficients, standard
   * errors, log-likelihoods) of the sample with each row repeated that many times (frequency
   * weights). A row of weight 0 is left out.
   *
   * @param weights a finite weight {@code >= 0} per row, or null for weight 1 each
   * @throws IllegalArgumentException as {@link #fit(String[], double[][], int[])}, and for a
   *     negative or non-finite weight, or when the positive weights hold a single class
   */
  public LogisticFit fit(String[] names, double[][] x, int[] y, double[] weights) {
    int n = x.length;
    if (weights != null && weights.length != n) {
      throw new IllegalArgumentException("x has " + n + " rows but weights has " + (weights.length));
    }
    if (n == 0 || n != y.length) {
      throw new IllegalArgumentException("x has " + n + " rows but y has " + y.length);
    }
    int k = names.length;
    int p = k + 1;
    double events = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
      if (x[i].length != k) {
        throw new IllegalArgumentException("row " + i + " has " + x[i].length + " values, expected " + k);
      }
      for (int j = 0; j < k; j++) {
        if (!Double.isFinite(x[i][j])) {
          throw new IllegalArgumentException("row " + i + ", column " + names[j] + " is not finite: " + x[i][j]);
        }
      }
      if (y[i] != 0 && y[i] != 1) {
        throw new IllegalArgumentException("row " + i + ": label must be 0 or 1, got " + y[i]);
      }
      double w = weights == null ? 1 : weights[i];
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("row " + i + ": weight must be a finite number >= 0, got " + w);
      }
      events += y[i] * w;
      total += w;
    }
    if (events == 0 || events == total) {
      throw new IllegalArgumentException("the labels hold a single class (" + (weights == null
          ? (long) events + " events in " + n + " rows)" : events + " events in " + total + " weighted rows)"));
    }
    double baseRate = events / total;
    double nullLogLikelihood = events * Math.log(baseRate) + (total - events) * Math.log(1 - baseRate);

    double[] beta = new double[p];
    beta[0] = Math.log(baseRate / (1 - baseRate));
    double deviance = -2 * nullLogLikelihood;
    boolean converged = false;
    int iteration = 0;
    double[][] information = new double[p][p];
    double[] gradient = new double[p];
    double[] row = new double[p];
    row[0] = 1;
    while (iteration < maxIterations) {
      iteration++;
      for (double[] r : information) {
        java.util.Arrays.fill(r, 0);
      }
      java.util.Arrays.fill(gradient, 0);
      for (int i = 0; i < n; i++) {
        double weight = weights == null ? 1 : weights[i];
        if (weight == 0) {
          continue;
        }
        System.arraycopy(x[i], 0, row, 1, k);
        double prob = sigmoid(dot(beta, row));
        double w = weight * prob * (1 - prob);
        double residual = weight * (y[i] - prob);
        for (int a = 0; a < p; a++) {
          gradient[a] += row[a] * residual;
          double wa = w * row[a];
          for (int b = 0; b <= a; b++) {
            information[a][b] += wa * row[b];
          }
        }
      }
      for (int a = 1; a < p; a++) {
        information[a][a] += lambda;
        gradient[a] -= lambda * beta[a];
      }
      double[] step;
      try {
        step = solve(symmetric(information), gradient, names);
      } catch (IllegalArgumentException e) {
        if (iteration == 1) {
          throw e;
        }
        // Weights vanished: fitted probabilities reached 0 or 1 (separation). Not converged.
        break;
      }
      // Step-halving keeps each Newton step an ascent step of the penalised likelihood.
      double previous = deviance;
      double scale = 1;
      double[] candidate = new double[p];
      double candidateDeviance;
      do {
        for (int a = 0; a < p; a++) {
          candidate[a] = beta[a] + scale * step[a];
        }
        candidateDeviance = penalisedDeviance(candidate, x, y, weights);
        scale /= 2;
      } while (candidateDeviance > previous + 1e-12 * Math.abs(previous) && scale > 1e-10);
      double largestMove = 0;
      for (int a = 0; a < p; a++) {
        largestMove = Math.max(largestMove, Math.abs(candidate[a] - beta[a]) / (1 + Math.abs(candidate[a])));
      }
      beta = candidate;
      deviance = candidateDeviance;
      // Both the deviance and the coefficients must settle: under separation the deviance creeps
      // towards zero while the coefficients keep growing.
      if (Math.abs(deviance - previous) / (Math.abs(deviance) + 0.1) < tolerance && largestMove < 1e-6) {
        converged = true;
        break;
      }
    }
    // Information at the final estimate, for the standard errors.
    for (double[] r : information) {
      java.util.Arrays.fill(r, 0);
    }
    double logLikelihood = 0;
    for (int i = 0; i < n; i++) {
      double weight = weights == null ? 1 : weights[i];
      if (weight == 0) {
        continue;
      }
      System.arraycopy(x[i], 0, row, 1, k);
      double margin = dot(beta, row);
      double prob = sigmoid(margin);
      logLikelihood += weight * (y[i] == 1 ? logSigmoid(margin) : logSigmoid(-margin));
      double w = weight * prob * (1 - prob);
      for (int a = 0; a < p; a++) {
        for (int b = 0; b <= a; b++) {
          information[a][b] += w * row[a] * row[b];
        }
      }
    }
    for (int a = 1; a < p; a++) {
      information[a][a] += lambda;
    }
    RealMatrix covariance;
    try {
      covariance = inverse(symmetric(information), names);
    } catch (IllegalArgumentException e) {
      if (converged) {
        throw e;
      }
      covariance = null;
    }
    String[] allNames = new String[p];
    allNames[0] = "(intercept)";
    System.arraycopy(names, 0, allNames, 1, k);
    double[] se = new double[p];
    double[] z = new double[p];
    double[] pValue = new double[p];
    for (int a = 0; a < p; a++) {
      se[a] = covariance == null ? Double.POSITIVE_INFINITY : Math.sqrt(covariance.getEntry(a, a));
      z[a] = beta[a] / se[a];
      pValue[a] = 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z[a]));
    }
    return new LogisticFit(allNames, beta, se, z, pValue, logLikelihood, nullLogLikelihood, iteration, converged);
  }

  private double penalisedDeviance(double[] beta, double[][] x, int[] y, double[] weights) {
    double deviance = 0;
    int k = beta.length - 1;
    for (int i = 0; i < x.length; i++) {
      double weight = weights == null ? 1 : weights[i];
      if (weight == 0) {
        continue;
      }
      double margin = beta[0];
      for (int j = 0; j < k; j++) {
        margin += beta[j + 1] * x[i][j];
      }
      deviance -= 2 * weight * (y[i] == 1 ? logSigmoid(margin) : logSigmoid(-margin));
    }
    for (int a = 1; a < beta.length; a++) {
      deviance += lambda * beta[a] * beta[a];
    }
    return deviance;
  }

  private static RealMatrix symmetric(double[][] lower) {
    int p = lower.length;
    double[][] full = new double[p][p];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b <= a; b++) {
        full[a][b] = lower[a][b];
        full[b][a] = lower[a][b];
      }
    }
    return new Array2DRowRealMatrix(full, false);
  }

  private static DecompositionSolver cholesky(RealMatrix m, String[] names) {
    try {
      return new CholeskyDecomposition(m, 1e-12, 1e-14).getSolver();
    } catch (NonPositiveDefiniteMatrixException e) {
      throw new IllegalArgumentException(
          "the characteristics are collinear (or one is constant); drop one of " + String.join(", ", names), e);
    }
  }

  private static double[] solve(RealMatrix m, double[] rhs, String[] names) {
    return cholesky(m, names).solve(new org.apache.commons.math3.linear.ArrayRealVector(rhs, false)).toArray();
  }

  private static RealMatrix inverse(RealMatrix m, String[] names) {
    return cholesky(m, names).getInverse();
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double sigmoid(double m) {
    return m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m));
  }

  /** {@code log(sigmoid(m))} without overflow or loss for large |m|. */
  static double logSigmoid(double m) {
    return m >= 0 ? -Math.log1p(Math.exp(-m)) : m - Math.log1p(Math.exp(m));
  }
}

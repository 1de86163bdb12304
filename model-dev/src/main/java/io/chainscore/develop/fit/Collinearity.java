package io.chainscore.develop.fit;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * Correlation and variance inflation of candidate characteristics, for selection: a
 * characteristic whose VIF exceeds about 5-10 is largely explained by the others.
 *
 * <p>Thread safety: stateless.
 */
public final class Collinearity {
  private Collinearity() {}

  /** Pearson correlation matrix of the columns of {@code x}. */
  public static double[][] correlations(double[][] x) {
    return new PearsonsCorrelation(x).getCorrelationMatrix().getData();
  }

  /**
   * Variance inflation factor of each column: {@code 1 / (1 - R_j^2)} where {@code R_j^2} is the
   * R-squared of an ordinary least-squares regression (with intercept) of column {@code j} on all
   * the others. Infinite for a column the others explain exactly.
   */
  public static double[] varianceInflation(double[][] x) {
    int n = x.length;
    int k = x[0].length;
    double[] vif = new double[k];
    if (k == 1) {
      vif[0] = 1;
      return vif;
    }
    for (int j = 0; j < k; j++) {
      double[] target = new double[n];
      double[][] others = new double[n][k - 1];
      for (int i = 0; i < n; i++) {
        target[i] = x[i][j];
        for (int c = 0, o = 0; c < k; c++) {
          if (c != j) {
            others[i][o++] = x[i][c];
          }
        }
      }
      OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
      ols.newSampleData(target, others);
      double r2;
      try {
        r2 = ols.calculateRSquared();
      } catch (org.apache.commons.math3.linear.SingularMatrixException e) {
        r2 = 1;
      }
      vif[j] = r2 >= 1 ? Double.POSITIVE_INFINITY : 1 / (1 - r2);
    }
    return vif;
  }

  /**
   * Variance inflation factors with sample weights: the diagonal of the inverse of the weighted
   * correlation matrix, which equals {@code 1 / (1 - R_j^2)} of the weighted least-squares
   * regressions; so integer weights give the factors of the sample with rows repeated. With
   * {@code weights == null} it is {@link #varianceInflation(double[][])}.
   */
  public static double[] varianceInflation(double[][] x, double[] weights) {
    if (weights == null) {
      return varianceInflation(x);
    }
    int n = x.length;
    int k = x[0].length;
    if (k == 1) {
      return new double[] {1};
    }
    double total = 0;
    double[] mean = new double[k];
    for (int i = 0; i < n; i++) {
      total += weights[i];
      for (int a = 0; a < k; a++) {
        mean[a] += weights[i] * x[i][a];
      }
    }
    for (int a = 0; a < k; a++) {
      mean[a] /= total;
    }
    double[][] cov = new double[k][k];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < k; a++) {
        double da = x[i][a] - mean[a];
        for (int b = 0; b <= a; b++) {
          cov[a][b] += weights[i] * da * (x[i][b] - mean[b]);
        }
      }
    }
    double[][] corr = new double[k][k];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b <= a; b++) {
        double c = cov[a][a] == 0 || cov[b][b] == 0 ? (a == b ? 1 : 0) : cov[a][b] / Math.sqrt(cov[a][a] * cov[b][b]);
        corr[a][b] = c;
        corr[b][a] = c;
      }
    }
    double[] vif = new double[k];
    try {
      org.apache.commons.math3.linear.RealMatrix inverse = new org.apache.commons.math3.linear.LUDecomposition(
          new org.apache.commons.math3.linear.Array2DRowRealMatrix(corr, false)).getSolver().getInverse();
      for (int a = 0; a < k; a++) {
        double v = inverse.getEntry(a, a);
        vif[a] = v >= 1 ? v : 1;
      }
    } catch (org.apache.commons.math3.linear.SingularMatrixException e) {
      java.util.Arrays.fill(vif, Double.POSITIVE_INFINITY);
    }
    return vif;
  }
}

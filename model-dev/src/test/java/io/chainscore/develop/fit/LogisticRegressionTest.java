package io.chainscore.develop.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
  /** German credit, Strathclyde's numeric version: 24 attributes, class 2 = bad. */
  static double[][] germanX;
  static int[] germanY;

  static {
    try {
      List<String> lines = Files.readAllLines(SharedData.dir().resolve("german_credit/german.data-numeric"));
      germanX = new double[lines.size()][];
      germanY = new int[lines.size()];
      for (int i = 0; i < lines.size(); i++) {
        String[] tokens = lines.get(i).trim().split("\\s+");
        double[] row = new double[tokens.length - 1];
        for (int j = 0; j < row.length; j++) {
          row[j] = Double.parseDouble(tokens[j]);
        }
        germanX[i] = row;
        germanY[i] = Integer.parseInt(tokens[tokens.length - 1]) == 2 ? 1 : 0;
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String[] names(int k) {
    String[] names = new String[k];
    for (int j = 0; j < k; j++) {
      names[j] = "a" + (j + 1);
    }
    return names;
  }

  @Test
  void fit_germanCredit_matchesSmileMaximumLikelihood() {
    LogisticFit fit = LogisticRegression.maximumLikelihood().fit(names(24), germanX, germanY);
    assertThat(fit.converged()).isTrue();
    assertThat(germanY).hasSize(1000);
    smile.classification.LogisticRegression.Binomial smileFit =
        smile.classification.LogisticRegression.binomial(germanX, germanY, 0.0, 1e-12, 5000);
    double[] w = smileFit.coefficients();
    // Smile keeps the intercept last.
    assertThat(fit.coefficients()[0]).isCloseTo(w[24], within(2e-4));
    for (int j = 0; j < 24; j++) {
      assertThat(fit.coefficients()[j + 1]).as("coefficient a%d", j + 1).isCloseTo(w[j], within(2e-4));
    }
    // Smile's loss is the negative log-likelihood at its optimum.
    double smileLogLikelihood = 0;
    for (int i = 0; i < germanX.length; i++) {
      double m = w[24];
      for (int j = 0; j < 24; j++) {
        m += w[j] * germanX[i][j];
      }
      double p = 1 / (1 + Math.exp(-m));
      smileLogLikelihood += germanY[i] == 1 ? Math.log(p) : Math.log(1 - p);
    }
    assertThat(fit.logLikelihood()).isGreaterThanOrEqualTo(smileLogLikelihood - 1e-9);
    assertThat(fit.logLikelihood()).isCloseTo(smileLogLikelihood, within(1e-6));
    assertThat(fit.nullLogLikelihood()).isCloseTo(700 * Math.log(0.7) + 300 * Math.log(0.3), within(1e-9));
  }

  @Test
  void fit_standardErrors_matchFiniteDifferenceHessian() {
    SplittableRandom random = new SplittableRandom(3);
    int n = 2000;
    double[][] x = new double[n][3];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = random.nextGaussian();
      x[i][1] = random.nextGaussian() + 0.5 * x[i][0];
      x[i][2] = random.nextInt(2);
      double m = -1 + 0.8 * x[i][0] - 0.5 * x[i][1] + 0.7 * x[i][2];
      y[i] = random.nextDouble() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
    }
    LogisticFit fit = LogisticRegression.maximumLikelihood().fit(names(3), x, y);
    double[] beta = fit.coefficients();
    // Observed information by central second differences of the log-likelihood.
    int p = beta.length;
    double h = 1e-4;
    double[][] hessian = new double[p][p];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        double[] pp = beta.clone();
        double[] pm = beta.clone();
        double[] mp = beta.clone();
        double[] mm = beta.clone();
        pp[a] += h; pp[b] += h;
        pm[a] += h; pm[b] -= h;
        mp[a] -= h; mp[b] += h;
        mm[a] -= h; mm[b] -= h;
        hessian[a][b] = -(logLikelihood(pp, x, y) - logLikelihood(pm, x, y) - logLikelihood(mp, x, y)
            + logLikelihood(mm, x, y)) / (4 * h * h);
      }
    }
    double[][] covariance = new org.apache.commons.math3.linear.LUDecomposition(
        new org.apache.commons.math3.linear.Array2DRowRealMatrix(hessian)).getSolver().getInverse().getData();
    for (int a = 0; a < p; a++) {
      assertThat(fit.standardErrors()[a]).isCloseTo(Math.sqrt(covariance[a][a]), within(1e-4 * fit.standardErrors()[a]));
      assertThat(fit.zValues()[a]).isEqualTo(beta[a] / fit.standardErrors()[a]);
    }
    // The data were made with these effects: each estimate lies within 4 standard errors.
    double[] truth = {-1, 0.8, -0.5, 0.7};
    for (int a = 0; a < p; a++) {
      assertThat(Math.abs(beta[a] - truth[a])).isLessThan(4 * fit.standardErrors()[a]);
      assertThat(fit.pValues()[a]).isLessThan(1e-6);
    }
  }

  private static double logLikelihood(double[] beta, double[][] x, int[] y) {
    double ll = 0;
    for (int i = 0; i < x.length; i++) {
      double m = beta[0];
      for (int j = 0; j < x[i].length; j++) {
        m += beta[j + 1] * x[i][j];
      }
      double p = 1 / (1 + Math.exp(-m));
      ll += y[i] == 1 ? Math.log(p) : Math.log(1 - p);
    }
    return ll;
  }

  @Test
  void fit_badInput_namesTheProblem() {
    double[][] x = {{1, 2}, {2, 4}, {3, 6}, {4, 8}};
    assertThatThrownBy(() -> LogisticRegression.maximumLikelihood().fit(new String[] {"a", "b"}, x, new int[] {0, 1, 0, 1}))
        .hasMessageStartingWith("the characteristics are collinear (or one is constant); drop one of a, b");
    assertThatThrownBy(() -> LogisticRegression.maximumLikelihood().fit(new String[] {"a"}, new double[][] {{1}, {2}}, new int[] {1, 1}))
        .hasMessage("the labels hold a single class (2 events in 2 rows)");
    assertThatThrownBy(() -> LogisticRegression.maximumLikelihood().fit(new String[] {"a"}, new double[][] {{1}, {Double.NaN}}, new int[] {0, 1}))
        .hasMessage("row 1, column a is not finite: NaN");
    assertThatThrownBy(() -> LogisticRegression.maximumLikelihood().fit(new String[] {"a"}, new double[][] {{1}, {2}}, new int[] {0, 2}))
        .hasMessage("row 1: label must be 0 or 1, got 2");
  }

  @Test
  void fit_perfectSeparation_reportsNotConverged() {
    double[][] x = {{-2}, {-1}, {1}, {2}};
    LogisticFit fit = LogisticRegression.maximumLikelihood().fit(new String[] {"a"}, x, new int[] {0, 0, 1, 1});
    assertThat(fit.converged()).isFalse();
    LogisticFit ridge = LogisticRegression.ridge(1.0).fit(new String[] {"a"}, x, new int[] {0, 0, 1, 1});
    assertThat(ridge.converged()).isTrue();
    assertThat(ridge.coefficients()[1]).isPositive().isFinite();
  }

  @Test
  void varianceInflation_equalsDiagonalOfInverseCorrelation() {
    double[][] x = new double[1000][];
    for (int i = 0; i < 1000; i++) {
      x[i] = new double[] {germanX[i][1], germanX[i][3], germanX[i][4], germanX[i][9]};
    }
    double[] vif = Collinearity.varianceInflation(x);
    double[][] inverse = new org.apache.commons.math3.linear.LUDecomposition(
        new org.apache.commons.math3.linear.Array2DRowRealMatrix(Collinearity.correlations(x))).getSolver().getInverse().getData();
    for (int j = 0; j < vif.length; j++) {
      assertThat(vif[j]).isCloseTo(inverse[j][j], within(1e-9 * inverse[j][j]));
      assertThat(vif[j]).isGreaterThanOrEqualTo(1.0);
    }
    double[][] duplicated = new double[50][];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 50; i++) {
      double a = random.nextDouble();
      duplicated[i] = new double[] {a, 2 * a + 1, random.nextDouble()};
    }
    assertThat(Collinearity.varianceInflation(duplicated)[0]).isGreaterThan(1e6);
  }
}

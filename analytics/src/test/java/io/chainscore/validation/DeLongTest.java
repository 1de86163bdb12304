package io.chainscore.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DeLong against the worked example of {@code shared/reference/model-validation-tests.md} and
 * against the direct double loop over event/non-event pairs on random scores with ties.
 */
class DeLongTest {
  // 5 events then 5 non-events; model B has an event/non-event tie at 0.30.
  private static final int[] LABELS = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
  private static final double[] A = {0.90, 0.80, 0.60, 0.55, 0.40, 0.70, 0.50, 0.45, 0.30, 0.20};
  private static final double[] B = {0.85, 0.60, 0.70, 0.30, 0.50, 0.65, 0.40, 0.55, 0.30, 0.10};

  @Test
  void interval_workedExample_matchesPublishedVarianceAndClippedInterval() {
    DeLong.Interval a = DeLong.interval(A, LABELS, 0.95);
    assertThat(a.auc()).isCloseTo(0.800000, within(1e-12));
    assertThat(a.variance()).isCloseTo(0.0240000, within(1e-12));
    assertThat(a.standardError()).isCloseTo(0.154919, within(1e-6));
    // the unclipped interval is 0.496364 to 1.10364
    assertThat(a.lower()).isCloseTo(0.496364, within(1e-6));
    assertThat(a.upper()).isEqualTo(1.0);
    assertThat(a.clipped()).isTrue();
    assertThat(a.gini()).isCloseTo(0.6, within(1e-12));
    // on the Gini scale (2 AUC - 1): 2 x 0.496364 - 1 = -0.007272 to 2 x 1 - 1 = 1
    assertThat(a.giniLower()).isCloseTo(-0.007272, within(2e-6));
    assertThat(a.giniUpper()).isEqualTo(1.0);

    DeLong.Interval b = DeLong.interval(B, LABELS, 0.95);
    assertThat(b.auc()).isCloseTo(0.740000, within(1e-12));
    assertThat(b.variance()).isCloseTo(0.0292000, within(1e-12));
    assertThat(b.standardError()).isCloseTo(0.170880, within(1e-6));
  }

  @Test
  void compare_workedExample_matchesPublishedTest() {
    DeLong.Comparison c = DeLong.compare(A, B, LABELS, 0.95);
    assertThat(c.covariance()).isCloseTo(0.0170000, within(1e-12));
    assertThat(c.standardError() * c.standardError()).isCloseTo(0.0192000, within(1e-12));
    assertThat(c.difference()).isCloseTo(0.06, within(1e-12));
    assertThat(c.z()).isCloseTo(0.433013, within(1e-6));
    assertThat(c.pValue()).isCloseTo(0.665006, within(1e-6));
  }

  @Test
  void compare_randomScoresWithTies_matchesTheDirectDoubleLoop() {
    SplittableRandom random = new SplittableRandom(11);
    int unclipped = 0;
    for (int round = 0; round < 20; round++) {
      int rows = 20 + random.nextInt(200);
      int[] labels = new int[rows];
      double[] first = new double[rows];
      double[] second = new double[rows];
      for (int i = 0; i < rows; i++) {
        labels[i] = i < 3 ? 1 : i < 6 ? 0 : random.nextDouble() < 0.3 ? 1 : 0;
        // coarse values so that ties occur within and across the classes
        first[i] = Math.round((labels[i] + random.nextGaussian()) * 4) / 4.0;
        second[i] = Math.round((0.5 * labels[i] + random.nextGaussian() + 0.5 * first[i]) * 3) / 3.0;
      }
      double[] reference = directDeLong(first, second, labels);
      DeLong.Comparison c = DeLong.compare(first, second, labels, 0.95);
      assertThat(c.first().auc()).isCloseTo(reference[0], within(1e-12));
      assertThat(c.second().auc()).isCloseTo(reference[1], within(1e-12));
      assertThat(c.first().variance()).isCloseTo(reference[2], within(1e-12));
      assertThat(c.second().variance()).isCloseTo(reference[3], within(1e-12));
      assertThat(c.covariance()).isCloseTo(reference[4], within(1e-12));
      assertThat(c.first().auc()).isCloseTo(Discrimination.auc(first, labels), within(1e-12));
      // the Wald interval auc -/+ 1.959964 se (the published 97.5% normal quantile), clipped to [0, 1]
      double lower = reference[0] - 1.959963984540054 * Math.sqrt(reference[2]);
      double upper = reference[0] + 1.959963984540054 * Math.sqrt(reference[2]);
      assertThat(c.first().lower()).isCloseTo(Math.max(0, lower), within(1e-12));
      assertThat(c.first().upper()).isCloseTo(Math.min(1, upper), within(1e-12));
      assertThat(c.first().clipped()).isEqualTo(lower < 0 || upper > 1);
      assertThat(c.first().giniLower()).isCloseTo(2 * Math.max(0, lower) - 1, within(1e-12));
      assertThat(c.first().giniUpper()).isCloseTo(2 * Math.min(1, upper) - 1, within(1e-12));
      unclipped += c.first().clipped() ? 0 : 1;
      // the test: z = difference / sqrt(var1 + var2 - 2 cov), two-sided normal p
      double z = (reference[0] - reference[1]) / Math.sqrt(reference[2] + reference[3] - 2 * reference[4]);
      assertThat(c.z()).isCloseTo(z, within(1e-9));
      assertThat(c.pValue()).isCloseTo(2 * (1 - new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1)
          .cumulativeProbability(Math.abs(z))), within(1e-9));
    }
    assertThat(unclipped).isGreaterThan(10);
  }

  @Test
  void interval_tooFewEventsOrBadConfidence_refusedWithTheReason() {
    assertThatThrownBy(() -> DeLong.interval(new double[] {1, 2, 3}, new int[] {1, 0, 0}, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two events");
    assertThatThrownBy(() -> DeLong.interval(A, LABELS, 1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("confidence");
  }

  /** {auc1, auc2, var1, var2, cov} from the kernel psi over every pair, as in DeLong et al. (1988). */
  private static double[] directDeLong(double[] first, double[] second, int[] labels) {
    int m = 0;
    for (int label : labels) {
      m += label;
    }
    int n = labels.length - m;
    double[][] v10 = new double[2][m];
    double[][] v01 = new double[2][n];
    double[] auc = new double[2];
    double[][] scores = {first, second};
    for (int r = 0; r < 2; r++) {
      int e = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] != 1) {
          continue;
        }
        int ne = 0;
        for (int j = 0; j < labels.length; j++) {
          if (labels[j] != 0) {
            continue;
          }
          double psi = scores[r][i] > scores[r][j] ? 1 : scores[r][i] == scores[r][j] ? 0.5 : 0;
          v10[r][e] += psi / n;
          v01[r][ne] += psi / m;
          auc[r] += psi / ((double) m * n);
          ne++;
        }
        e++;
      }
    }
    double[][] s = new double[2][2];
    for (int r = 0; r < 2; r++) {
      for (int q = 0; q < 2; q++) {
        double s10 = 0;
        for (int i = 0; i < m; i++) {
          s10 += (v10[r][i] - auc[r]) * (v10[q][i] - auc[q]);
        }
        double s01 = 0;
        for (int j = 0; j < n; j++) {
          s01 += (v01[r][j] - auc[r]) * (v01[q][j] - auc[q]);
        }
        s[r][q] = s10 / (m - 1) / m + s01 / (n - 1) / n;
      }
    }
    return new double[] {auc[0], auc[1], s[0][0], s[1][1], s[0][1]};
  }

  /**
   * The two-sided p of a large z is the tail, not 0 (2 (1 - CDF) rounded to 0 past |z| of about
   * 8.3). Reference: the normal tail by its asymptotic series, 2 phi(z) / z (1 - 1/z^2 + 3/z^4),
   * relative error below 15 / z^6.
   */
  @Test
  void compare_largeZ_pValueIsTheTailNotZero() {
    int n = 400;
    double[] perfect = new double[n];
    double[] weak = new double[n];
    int[] labels = new int[n];
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      perfect[i] = labels[i] + random.nextDouble() * 0.5;
      weak[i] = random.nextDouble() + 0.1 * labels[i];
    }
    DeLong.Comparison c = DeLong.compare(perfect, weak, labels, 0.95);
    double z = Math.abs(c.z());
    assertThat(z).isGreaterThan(10).isLessThan(35);
    double phi = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    double reference = 2 * phi / z * (1 - 1 / (z * z) + 3 / Math.pow(z, 4));
    assertThat(c.pValue()).isPositive().isCloseTo(reference, within(reference * 16 / Math.pow(z, 6)));
  }

  /**
   * The smallest sample DeLong allows, two events (0.9, 0.4) and two non-events (0.5, 0.1), by
   * hand: V10 = (1, 1/2), V01 = (1/2, 1), AUC 3/4, S10 = S01 = 2 (1/4)^2 / 1 = 1/8, so the variance
   * is 1/8 / 2 + 1/8 / 2 = 1/8 and the 90% interval 0.75 -/+ 1.644854 sqrt(1/8) = 0.168457 to
   * 1.331543, clipped above only.
   */
  @Test
  void interval_twoEventsTwoNonEvents_matchesHandValues() {
    DeLong.Interval i = DeLong.interval(new double[] {0.9, 0.5, 0.4, 0.1}, new int[] {1, 0, 1, 0}, 0.90);
    assertThat(i.auc()).isCloseTo(0.75, within(1e-15));
    assertThat(i.variance()).isCloseTo(0.125, within(1e-15));
    assertThat(i.lower()).isCloseTo(0.75 - 1.6448536269514722 * Math.sqrt(0.125), within(1e-12));
    assertThat(i.upper()).isEqualTo(1.0);
    assertThat(i.clipped()).isTrue();
  }

  /** A score against itself: no difference and no variance of it, so z = 0 and p = 1, not NaN. */
  @Test
  void compare_scoreWithItself_isZAndPOfNoDifference() {
    DeLong.Comparison c = DeLong.compare(A, A.clone(), LABELS, 0.95);
    assertThat(c.difference()).isZero();
    assertThat(c.standardError()).isZero();
    assertThat(c.z()).isZero();
    assertThat(c.pValue()).isEqualTo(1.0);
  }

  @Test
  void confidenceOutsideZeroOne_refusedByBoth() {
    for (double confidence : new double[] {0.0, 1.0}) {
      assertThatThrownBy(() -> DeLong.interval(A, LABELS, confidence)).hasMessageContaining("confidence");
      assertThatThrownBy(() -> DeLong.compare(A, B, LABELS, confidence)).hasMessageContaining("confidence");
    }
  }
}

package io.chainscore.validation;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * DeLong's nonparametric variance of the AUC, its confidence interval, and the test that two
 * scores of the same rows have equal AUCs (DeLong, DeLong and Clarke-Pearson 1988), computed in
 * O(N log N) from midranks (Sun and Xu 2014).
 *
 * <p>A higher score must mean a higher event likelihood (negate points where a higher score means
 * better). Ties between an event and a non-event count one half, as in {@link Discrimination#auc}.
 * The structural components are {@code V10_i = (T_Z(X_i) - T_X(X_i)) / n} for the events and
 * {@code V01_j = 1 - (T_Z(Y_j) - T_Y(Y_j)) / m} for the non-events, with midranks {@code T_Z}
 * among all rows, {@code T_X} among events and {@code T_Y} among non-events; the AUCs' covariance
 * is {@code S10 / m + S01 / n} with the components' sample covariances. Worked example and
 * sources: {@code docs/validation.md}.
 *
 * <p>Thread safety: stateless; all methods are pure functions of their arguments.
 */
public final class DeLong {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private DeLong() {}

  /**
   * One AUC with its DeLong standard error and a Wald confidence interval {@code auc ± z se},
   * clipped to [0, 1].
   *
   * @param clipped whether the unclipped interval left [0, 1]
   */
  public record Interval(double auc, double variance, double standardError, double confidence,
      double lower, double upper, boolean clipped) {
    /** The Gini coefficient {@code 2 auc - 1}. */
    public double gini() {
      return 2 * auc - 1;
    }

    /** The interval's bounds on the Gini scale, {@code 2 bound - 1}. */
    public double giniLower() {
      return 2 * lower - 1;
    }

    /** The interval's upper bound on the Gini scale. */
    public double giniUpper() {
      return 2 * upper - 1;
    }
  }

  /**
   * The DeLong test of {@code H0: AUC_1 = AUC_2} for two scores of the same rows: {@code z =
   * (AUC_1 - AUC_2) / sqrt(var_1 + var_2 - 2 cov)}, two-sided {@code p = 2 (1 - Phi(|z|))}.
   */
  public record Comparison(Interval first, Interval second, double covariance, double difference,
      double standardError, double z, double pValue) {}

  /**
   * The AUC of {@code scores} with its DeLong variance and a two-sided confidence interval.
   *
   * @param confidence the interval's level, in (0, 1), e.g. 0.95
   * @throws IllegalArgumentException as {@link Discrimination#auc}, or with fewer than two events
   *     or non-events (the variance needs two of each)
   */
  public static Interval interval(double[] scores, int[] labels, double confidence) {
    checkConfidence(confidence);
    Components c = components(scores, labels);
    double[][] s = covariance(c, c);
    return interval(c.auc, s[0][0] / c.m + s[1][0] / c.n, confidence);
  }

  /**
   * The DeLong test of equal AUCs for two scores of the same rows (same labels), with each AUC's
   * interval at {@code confidence}.
   *
   * @throws IllegalArgumentException when the score arrays differ in length, or as {@link
   *     #interval}
   */
  public static Comparison compare(double[] first, double[] second, int[] labels, double confidence) {
    checkConfidence(confidence);
    if (first.length != second.length) {
      throw new IllegalArgumentException(
          "the two scores differ in length: " + first.length + " vs " + second.length);
    }
    Components a = components(first, labels);
    Components b = components(second, labels);
    double[][] aa = covariance(a, a);
    double[][] bb = covariance(b, b);
    double[][] ab = covariance(a, b);
    double varianceA = aa[0][0] / a.m + aa[1][0] / a.n;
    double varianceB = bb[0][0] / b.m + bb[1][0] / b.n;
    double covarianceAb = ab[0][0] / a.m + ab[1][0] / a.n;
    double differenceVariance = Math.max(0, varianceA + varianceB - 2 * covarianceAb);
    double difference = a.auc - b.auc;
    double se = Math.sqrt(differenceVariance);
    double z = se > 0 ? difference / se : difference == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, difference);
    // both tails as erfc(|z| / sqrt 2), not 2 (1 - CDF), which rounds to 0 for |z| past about 8.3
    double p = Double.isInfinite(z) ? 0 : org.apache.commons.math3.special.Erf.erfc(Math.abs(z) / Math.sqrt(2));
    return new Comparison(interval(a.auc, varianceA, confidence), interval(b.auc, varianceB, confidence),
        covarianceAb, difference, se, z, Math.min(1, p));
  }

  private static Interval interval(double auc, double variance, double confidence) {
    double se = Math.sqrt(Math.max(0, variance));
    double quantile = STANDARD_NORMAL.inverseCumulativeProbability(0.5 + confidence / 2);
    double lower = auc - quantile * se;
    double upper = auc + quantile * se;
    boolean clipped = lower < 0 || upper > 1;
    return new Interval(auc, variance, se, confidence, Math.max(0, lower), Math.min(1, upper), clipped);
  }

  /** The events' and non-events' structural components of one score, in row order within each class. */
  private record Components(double auc, int m, int n, double[] v10, double[] v01) {}

  private static Components components(double[] scores, int[] labels) {
    Discrimination.auc(scores, labels); // the shared argument checks
    int total = scores.length;
    int m = 0;
    for (int label : labels) {
      m += label;
    }
    int n = total - m;
    if (m < 2 || n < 2) {
      throw new IllegalArgumentException(
          "DeLong's variance needs at least two events and two non-events, got " + m + " and " + n);
    }
    double[] events = new double[m];
    double[] nonEvents = new double[n];
    for (int i = 0, e = 0, ne = 0; i < total; i++) {
      if (labels[i] == 1) {
        events[e++] = scores[i];
      } else {
        nonEvents[ne++] = scores[i];
      }
    }
    double[] all = new double[total];
    System.arraycopy(events, 0, all, 0, m);
    System.arraycopy(nonEvents, 0, all, m, n);
    double[] rankAll = midranks(all);
    double[] rankEvents = midranks(events);
    double[] rankNonEvents = midranks(nonEvents);
    double[] v10 = new double[m];
    double[] v01 = new double[n];
    double rankSum = 0;
    for (int i = 0; i < m; i++) {
      rankSum += rankAll[i];
      v10[i] = (rankAll[i] - rankEvents[i]) / n;
    }
    for (int j = 0; j < n; j++) {
      v01[j] = 1 - (rankAll[m + j] - rankNonEvents[j]) / m;
    }
    double auc = (rankSum - m * (m + 1.0) / 2) / ((double) m * n);
    return new Components(auc, m, n, v10, v01);
  }

  /** {@code [[S10(a, b)], [S01(a, b)]]}: the sample covariances of the two scores' components. */
  private static double[][] covariance(Components a, Components b) {
    return new double[][] {
        {sampleCovariance(a.v10, a.auc, b.v10, b.auc)}, {sampleCovariance(a.v01, a.auc, b.v01, b.auc)}};
  }

  private static double sampleCovariance(double[] x, double meanX, double[] y, double meanY) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += (x[i] - meanX) * (y[i] - meanY);
    }
    return sum / (x.length - 1);
  }

  /** 1-based midranks: tied values share the mean of the positions they occupy. */
  static double[] midranks(double[] values) {
    int[] order = SortSupport.ascendingOrder(values);
    double[] ranks = new double[values.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j < order.length && values[order[j]] == values[order[i]]) {
        j++;
      }
      double midrank = (i + 1 + j) / 2.0;
      for (int k = i; k < j; k++) {
        ranks[order[k]] = midrank;
      }
      i = j;
    }
    return ranks;
  }

  private static void checkConfidence(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence: expected a value in (0, 1), got " + confidence);
    }
  }
}

package io.chainscore.validation;

import org.apache.commons.math3.special.Beta;

/**
 * Calibration statistics for predicted probabilities of default (PD) against observed 0/1
 * outcomes: Brier score, Hosmer-Lemeshow test, and the per-grade binomial and Jeffreys tests.
 *
 * <p>The per-grade tests are one-sided with null hypothesis "the grade's PD is not
 * underestimated": small p-values flag grades with more defaults than the PD predicts.
 *
 * <p>Thread safety: stateless; all methods are pure functions of their arguments.
 */
public final class Calibration {
  private Calibration() {}

  /**
   * Brier score {@code mean (p_i - y_i)^2}.
   *
   * @throws IllegalArgumentException when lengths differ, a label is not 0/1 or a PD is outside
   *     [0, 1] or NaN
   */
  public static double brier(double[] pd, int[] labels) {
    checkPd(pd, labels);
    double sum = 0;
    for (int i = 0; i < pd.length; i++) {
      double d = pd[i] - labels[i];
      sum += d * d;
    }
    return sum / pd.length;
  }

  /**
   * Hosmer-Lemeshow test on already aggregated groups.
   *
   * @param counts observations per group, each > 0
   * @param defaults observed defaults per group
   * @param meanPd mean predicted PD per group, strictly inside (0, 1)
   * @param degreesOfFreedom usually {@code G - 2} in the development sample, {@code G} out of
   *     sample
   * @throws IllegalArgumentException on length mismatch, empty groups, PD outside (0, 1), or df
   *     below 1
   */
  public static HosmerLemeshow hosmerLemeshow(
      long[] counts, long[] defaults, double[] meanPd, int degreesOfFreedom) {
    int g = counts.length;
    if (defaults.length != g || meanPd.length != g) {
      throw new IllegalArgumentException(
          "Hosmer-Lemeshow: counts, defaults and meanPd differ in length");
    }
    if (degreesOfFreedom < 1) {
      throw new IllegalArgumentException(
          "Hosmer-Lemeshow: degrees of freedom must be >= 1, got " + degreesOfFreedom);
    }
    double statistic = 0;
    for (int i = 0; i < g; i++) {
      double p = meanPd[i];
      if (counts[i] <= 0 || !(p > 0 && p < 1) || defaults[i] < 0 || defaults[i] > counts[i]) {
        throw new IllegalArgumentException(
            "Hosmer-Lemeshow group "
                + i
                + ": expected count > 0, 0 <= defaults <= count and 0 < PD < 1, got count "
                + counts[i]
                + ", defaults "
                + defaults[i]
                + ", PD "
                + p);
      }
      double expected = counts[i] * p;
      double diff = defaults[i] - expected;
      statistic += diff * diff / (expected * (1 - p));
    }
    // the upper tail itself (the regularized gamma Q): 1 - CDF rounds to 0 below about 1e-16 (a
    // statistic of 115 on 10 df gave 0 for 4.2e-20)
    double pValue = statistic <= 0 ? 1.0
        : org.apache.commons.math3.special.Gamma.regularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0);
    return new HosmerLemeshow(statistic, degreesOfFreedom, pValue, g);
  }

  /**
   * Hosmer-Lemeshow test with observations grouped by quantiles of predicted PD and
   * {@code groups - 2} degrees of freedom (the in-sample convention).
   *
   * <p>Observations are sorted by PD and group {@code g} nominally takes sorted positions
   * {@code [floor(g n / G), floor((g+1) n / G))}; a run of equal PDs stays whole in the group
   * where its first member falls, and empty groups are dropped. Each group's PD is the mean PD
   * of its members.
   *
   * @throws IllegalArgumentException on bad inputs, fewer than 3 non-empty groups, or a group
   *     whose mean PD is 0 or 1
   */
  public static HosmerLemeshow hosmerLemeshow(double[] pd, int[] labels, int groups) {
    return hosmerLemeshow(pd, labels, groups, true);
  }

  /**
   * Hosmer-Lemeshow test grouped as {@link #hosmerLemeshow(double[], int[], int)}, with the degrees
   * of freedom of the sample: {@code G - 2} when the PDs were fitted on these rows ({@code
   * inSample}), {@code G} when they were fixed beforehand (back-testing on held-out rows), with
   * {@code G} the non-empty groups.
   *
   * @throws IllegalArgumentException as {@link #hosmerLemeshow(double[], int[], int)}
   */
  public static HosmerLemeshow hosmerLemeshow(double[] pd, int[] labels, int groups, boolean inSample) {
    checkPd(pd, labels);
    int n = pd.length;
    int[] order = SortSupport.ascendingOrder(pd);
    long[] counts = new long[groups];
    long[] defaults = new long[groups];
    double[] sums = new double[groups];
    int used = 0;
    int pos = 0;
    for (int g = 0; g < groups && pos < n; g++) {
      long nominalEnd = (long) (g + 1) * n / groups;
      if (pos >= nominalEnd) {
        continue;
      }
      double last = Double.NaN;
      while (pos < n && (pos < nominalEnd || pd[order[pos]] == last)) {
        int idx = order[pos];
        last = pd[idx];
        counts[used]++;
        defaults[used] += labels[idx];
        sums[used] += last;
        pos++;
      }
      used++;
    }
    if (used < 3) {
      throw new IllegalArgumentException(
          "Hosmer-Lemeshow: need at least 3 non-empty PD groups, got " + used);
    }
    long[] c = new long[used];
    long[] d = new long[used];
    double[] p = new double[used];
    for (int g = 0; g < used; g++) {
      c[g] = counts[g];
      d[g] = defaults[g];
      p[g] = sums[g] / counts[g];
    }
    return hosmerLemeshow(c, d, p, inSample ? used - 2 : used);
  }

  /**
   * Hosmer-Lemeshow test with caller-given groups, for example rating grades: observation
   * {@code i} belongs to group {@code groupOf[i]} in {@code 0..G-1}; each group's PD is the mean
   * PD of its members and empty groups are skipped.
   *
   * @throws IllegalArgumentException on bad inputs, a negative group index, or a non-empty group
   *     whose mean PD is 0 or 1
   */
  public static HosmerLemeshow hosmerLemeshowByGroup(
      double[] pd, int[] labels, int[] groupOf, int degreesOfFreedom) {
    checkPd(pd, labels);
    if (groupOf.length != pd.length) {
      throw new IllegalArgumentException(
          "groupOf and pd differ in length: " + groupOf.length + " vs " + pd.length);
    }
    int groups = 0;
    for (int i = 0; i < groupOf.length; i++) {
      if (groupOf[i] < 0) {
        throw new IllegalArgumentException(
            "groupOf[" + i + "]: expected a group index >= 0, got " + groupOf[i]);
      }
      groups = Math.max(groups, groupOf[i] + 1);
    }
    long[] counts = new long[groups];
    long[] defaults = new long[groups];
    double[] sums = new double[groups];
    for (int i = 0; i < pd.length; i++) {
      counts[groupOf[i]]++;
      defaults[groupOf[i]] += labels[i];
      sums[groupOf[i]] += pd[i];
    }
    int used = 0;
    for (long c : counts) {
      if (c > 0) {
        used++;
      }
    }
    long[] c = new long[used];
    long[] d = new long[used];
    double[] p = new double[used];
    int k = 0;
    for (int g = 0; g < groups; g++) {
      if (counts[g] > 0) {
        c[k] = counts[g];
        d[k] = defaults[g];
        p[k] = sums[g] / counts[g];
        k++;
      }
    }
    return hosmerLemeshow(c, d, p, degreesOfFreedom);
  }

  /**
   * One-sided binomial test p-value {@code P(X >= defaults)} for {@code X ~ Binomial(count,
   * pd)}, computed as the regularised incomplete beta {@code I_pd(defaults, count - defaults +
   * 1)} (no cancellation for small tails).
   *
   * @throws IllegalArgumentException when {@code count < 1}, defaults outside [0, count] or PD
   *     outside [0, 1]
   */
  public static double binomialPValue(long count, long defaults, double pd) {
    checkGrade(count, defaults, pd);
    if (defaults == 0) {
      return 1.0;
    }
    if (pd == 0) {
      return 0.0;
    }
    if (pd == 1) {
      return 1.0;
    }
    return Beta.regularizedBeta(pd, defaults, count - defaults + 1.0);
  }

  /**
   * Smallest number of defaults {@code D} with {@code P(X >= D) <= alpha} for {@code X ~
   * Binomial(count, pd)}: observing this many defaults rejects the grade's PD at level alpha.
   * Returns {@code count + 1} when even {@code count} defaults do not reject.
   *
   * @throws IllegalArgumentException when {@code alpha} is not in (0, 1) or the grade is invalid
   */
  public static long binomialCriticalDefaults(long count, double pd, double alpha) {
    checkGrade(count, 0, pd);
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha: expected a value in (0, 1), got " + alpha);
    }
    // P(X >= D) decreases in D: binary search the first D that rejects.
    long lo = 1;
    long hi = count + 1;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (binomialPValue(count, mid, pd) <= alpha) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /**
   * Jeffreys test p-value: the CDF at {@code pd} of the posterior {@code Beta(defaults + 1/2,
   * count - defaults + 1/2)} (ECB IRB validation reporting instructions, 2019).
   *
   * @throws IllegalArgumentException when {@code count < 1}, defaults outside [0, count] or PD
   *     outside [0, 1]
   */
  public static double jeffreysPValue(long count, long defaults, double pd) {
    checkGrade(count, defaults, pd);
    if (pd == 0) {
      return 0.0;
    }
    if (pd == 1) {
      return 1.0;
    }
    return Beta.regularizedBeta(pd, defaults + 0.5, count - defaults + 0.5);
  }

  private static void checkGrade(long count, long defaults, double pd) {
    if (count < 1 || defaults < 0 || defaults > count || !(pd >= 0 && pd <= 1)) {
      throw new IllegalArgumentException(
          "grade: expected count >= 1, 0 <= defaults <= count and 0 <= PD <= 1, got count "
              + count
              + ", defaults "
              + defaults
              + ", PD "
              + pd);
    }
  }

  private static void checkPd(double[] pd, int[] labels) {
    if (pd.length != labels.length) {
      throw new IllegalArgumentException(
          "pd and labels differ in length: " + pd.length + " vs " + labels.length);
    }
    if (pd.length == 0) {
      throw new IllegalArgumentException("pd: expected at least one observation");
    }
    for (int i = 0; i < pd.length; i++) {
      if (!(pd[i] >= 0 && pd[i] <= 1)) {
        throw new IllegalArgumentException("pd[" + i + "]: expected a value in [0, 1], got " + pd[i]);
      }
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("labels[" + i + "]: expected 0 or 1, got " + labels[i]);
      }
    }
  }
}

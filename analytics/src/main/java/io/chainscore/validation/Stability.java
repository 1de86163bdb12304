package io.chainscore.validation;

/**
 * Population and characteristic stability indexes comparing an actual distribution over bins
 * with an expected (development) one: {@code sum_i (A_i - E_i) ln(A_i / E_i)}.
 *
 * <p>PSI is computed over score bins, CSI over the bins of one input characteristic; the
 * formula is the same. A share below {@link #EPSILON} (in particular an empty bin) is replaced
 * by {@code EPSILON} in both the difference and the logarithm, without renormalising the other
 * shares, so an empty bin adds a large but finite term. Rule of thumb: below 0.10 stable,
 * 0.10-0.25 moderate shift, above 0.25 major shift.
 *
 * <p>Thread safety: stateless; all methods are pure functions of their arguments.
 */
public final class Stability {
  /** Floor applied to a bin share before the logarithm: 1e-4 (0.01 %). */
  public static final double EPSILON = 1e-4;

  private Stability() {}

  /**
   * PSI from bin shares (each array should sum to 1).
   *
   * @throws IllegalArgumentException when lengths differ, are zero, or a share is negative/NaN
   */
  public static double psi(double[] expectedShares, double[] actualShares) {
    if (expectedShares.length != actualShares.length || expectedShares.length == 0) {
      throw new IllegalArgumentException(
          "stability index: expected and actual shares need the same non-zero number of bins, got "
              + expectedShares.length
              + " and "
              + actualShares.length);
    }
    double sum = 0;
    for (int i = 0; i < expectedShares.length; i++) {
      double e = checkShare(expectedShares[i], "expected", i);
      double a = checkShare(actualShares[i], "actual", i);
      sum += (a - e) * Math.log(a / e);
    }
    return sum;
  }

  /**
   * PSI from bin counts; each side is divided by its own total.
   *
   * @throws IllegalArgumentException when lengths differ, a count is negative or a total is 0
   */
  public static double psiFromCounts(long[] expectedCounts, long[] actualCounts) {
    return psi(shares(expectedCounts, "expected"), shares(actualCounts, "actual"));
  }

  /**
   * CSI of one characteristic from its bin counts in the development (expected) and current
   * (actual) samples; identical to {@link #psiFromCounts} and named for reports.
   */
  public static double csiFromCounts(long[] expectedCounts, long[] actualCounts) {
    return psiFromCounts(expectedCounts, actualCounts);
  }

  private static double[] shares(long[] counts, String side) {
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException(
            "stability index: " + side + " count of bin " + i + " is negative: " + counts[i]);
      }
      total += counts[i];
    }
    if (total == 0) {
      throw new IllegalArgumentException("stability index: " + side + " counts are all zero");
    }
    double[] s = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      s[i] = (double) counts[i] / total;
    }
    return s;
  }

  private static double checkShare(double share, String side, int bin) {
    if (!(share >= 0)) {
      throw new IllegalArgumentException(
          "stability index: " + side + " share of bin " + bin + " must be >= 0, got " + share);
    }
    return Math.max(share, EPSILON);
  }
}

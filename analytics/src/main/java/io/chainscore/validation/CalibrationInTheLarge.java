package io.chainscore.validation;


/**
 * Calibration-in-the-large of a set of PDs against the realised defaults: expected defaults
 * {@code E = sum p_i} against observed {@code D}, the one-sided normal test {@code z = (D - E) /
 * sqrt(sum p_i (1 - p_i))}, the exact Poisson-binomial tail {@code P(D' >= D)} under independence,
 * the observed-to-expected ratio, and the logistic intercept shift {@code a} (slope fixed at 1)
 * with {@code sum expit(logit p_i + a) = D}.
 *
 * <p>Thread safety: immutable record; {@link #of} is a pure function of its arguments.
 *
 * @param count obligors
 * @param expected expected defaults {@code sum p_i}
 * @param observed realised defaults
 * @param variance {@code sum p_i (1 - p_i)}
 * @param z {@code (observed - expected) / sqrt(variance)}
 * @param normalPValue one-sided {@code 1 - Phi(z)}
 * @param exactPValue {@code P(D' >= observed)} for independent Bernoulli(p_i) defaults
 * @param observedOverExpected {@code observed / expected}
 * @param interceptShift the logit shift that makes the expected count equal the observed one
 */
public record CalibrationInTheLarge(long count, double expected, long observed, double variance, double z,
    double normalPValue, double exactPValue, double observedOverExpected, double interceptShift) {


  /**
   * The calibration-in-the-large of {@code pd} against {@code labels} (1 = default).
   *
   * @throws IllegalArgumentException when the arrays differ in length or are empty, a PD is not in
   *     (0, 1), or a label is not 0 or 1
   */
  public static CalibrationInTheLarge of(double[] pd, int[] labels) {
    return of(pd, labels, true);
  }

  /** As {@link #of(double[], int[])}; without {@code exactTail} the O(N D) exact tail is NaN. */
  static CalibrationInTheLarge of(double[] pd, int[] labels, boolean exactTail) {
    if (pd.length != labels.length || pd.length == 0) {
      throw new IllegalArgumentException("pd and labels: expected the same non-zero length, got "
          + pd.length + " and " + labels.length);
    }
    double expected = 0;
    double variance = 0;
    long observed = 0;
    for (int i = 0; i < pd.length; i++) {
      if (!(pd[i] > 0 && pd[i] < 1)) {
        throw new IllegalArgumentException("pd[" + i + "]: expected a value in (0, 1), got " + pd[i]);
      }
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("labels[" + i + "]: expected 0 or 1, got " + labels[i]);
      }
      expected += pd[i];
      variance += pd[i] * (1 - pd[i]);
      observed += labels[i];
    }
    double z = (observed - expected) / Math.sqrt(variance);
    // the upper tail as erfc, not 1 - CDF, which rounds to 0 past z of about 8.3
    return new CalibrationInTheLarge(pd.length, expected, observed, variance, z,
        0.5 * org.apache.commons.math3.special.Erf.erfc(z / Math.sqrt(2)), exactTail ? poissonBinomialUpperTail(pd, observed) : Double.NaN,
        observed / expected, interceptShift(pd, observed));
  }

  /**
   * Masses below this are dropped from the recursion: they cannot change a tail of 1e-280 or more
   * (each is far below its neighbours' last bit), and carrying them down through the subnormal
   * range, where every multiplication is slow, made the 105,000 PDs of a training set take seconds.
   */
  private static final double NEGLIGIBLE_MASS = 1e-290;

  /**
   * {@code P(sum of independent Bernoulli(p_i) >= d)} by the exact convolution recursion (masses
   * below {@link #NEGLIGIBLE_MASS} dropped: exact for tails of 1e-280 and above).
   *
   * <p>Only the counts that hold mass are updated: after i obligors they lie within about 37
   * standard deviations of the partial mean (beyond, the masses are dropped), so the work is
   * O(N sqrt(variance)) rather than O(N D). Each updated count takes the same arithmetic as in the
   * full recursion and the others hold zero in both, so the tail is the same bits (on 700,000 PDs
   * with 35,000 defaults, a training set of a million rows, the full recursion took most of a minute).
   *
   * <p>The masses below the cap are a Poisson-binomial distribution cut to an interval, which is
   * log-concave and so unimodal: a negligible mass can only be at either end of the counts that
   * hold mass, and those ends alone are tested and dropped after each obligor. (Testing every
   * count, as until 2026-12-06, gave the same masses and took a third longer; each count's old
   * neighbour is also carried in a register instead of loaded twice, and the counts go two a step:
   * 0.20-0.21 s against 0.30-0.38 s one a step, and 0.47-0.88 s before, on 105,061 PDs.)
   */
  static double poissonBinomialUpperTail(double[] p, long d) {
    if (d <= 0) {
      return 1;
    }
    if (d > p.length) {
      return 0;
    }
    // distribution of the count, truncated at d (mass at >= d is what is asked)
    int cap = (int) d;
    double[] mass = new double[cap + 1];
    mass[0] = 1;
    // the counts below the cap outside [lo, hi] hold no mass
    int lo = 0;
    int hi = 0;
    for (double pi : p) {
      mass[cap] += mass[cap - 1] * pi; // reaching the cap stays there
      int top = Math.min(hi + 1, cap - 1);
      double stay = 1 - pi;
      // downwards, so that mass[k - 1] is still the last obligor's when count k takes it; two
      // counts a step (the same arithmetic for each, a third less time than one a step)
      int bottom = Math.max(lo, 1);
      double upper = mass[top];
      int k = top;
      for (; k - 1 >= bottom; k -= 2) {
        double lower = mass[k - 1];
        double lowest = mass[k - 2];
        mass[k] = upper * stay + lower * pi;
        mass[k - 1] = lower * stay + lowest * pi;
        upper = lowest;
      }
      if (k >= bottom) {
        mass[k] = upper * stay + mass[k - 1] * pi;
      }
      if (lo == 0) {
        mass[0] *= stay;
      }
      hi = Math.max(hi, top);
      while (hi > lo && mass[hi] < NEGLIGIBLE_MASS) {
        mass[hi--] = 0;
      }
      while (lo < hi && mass[lo] < NEGLIGIBLE_MASS) {
        mass[lo++] = 0;
      }
    }
    return Math.min(1, mass[cap]);
  }

  /** Newton's method on {@code g(a) = sum expit(logit p_i + a) - d}, which is increasing and convex-concave. */
  static double interceptShift(double[] p, long d) {
    if (d <= 0 || d >= p.length) {
      return d <= 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    double a = 0;
    for (int iteration = 0; iteration < 200; iteration++) {
      double g = -d;
      double slope = 0;
      for (double pi : p) {
        double q = 1 / (1 + Math.exp(-(Math.log(pi / (1 - pi)) + a)));
        g += q;
        slope += q * (1 - q);
      }
      double step = g / slope;
      // damp steps so a far start cannot overshoot into the flat tails
      a -= Math.max(-2, Math.min(2, step));
      if (Math.abs(step) < 1e-14) {
        break;
      }
    }
    return a;
  }
}

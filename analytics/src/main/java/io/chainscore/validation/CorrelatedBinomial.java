package io.chainscore.validation;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Beta;

/**
 * The binomial test of a grade's default count when defaults are correlated through one
 * systematic factor (the Vasicek model behind the Basel IRB formula), and the traffic lights
 * built on it (Tasche 2003; BCBS Working Paper 14).
 *
 * <p>Given the factor {@code Z ~ N(0, 1)} defaults are independent with {@code p(z) =
 * Phi((Phi^-1(PD) - sqrt(rho) z) / sqrt(1 - rho))}, so {@code P(D >= d) = integral phi(z)
 * P[Bin(N, p(z)) >= d] dz}, computed by adaptive Simpson quadrature (the 200-node Gauss-Hermite
 * rule is only about 1e-8 accurate in this tail). With {@code rho = 0} it is the plain binomial
 * test ({@link Calibration#binomialPValue}). The asset correlation {@code rho} is a modelling
 * choice the caller records; the Basel corporate formula gives 0.192784 at PD 1%.
 *
 * <p>Thread safety: stateless; all methods are pure functions of their arguments.
 */
public final class CorrelatedBinomial {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
  /** The factor's range: beyond |z| = 12 the normal density is below 1e-31. */
  private static final double Z_LIMIT = 12;
  private static final int PANELS = 96;
  private static final double TOLERANCE = 1e-15;
  private static final int MAX_DEPTH = 40;

  private CorrelatedBinomial() {}

  /** The colour of a grade's default count against its PD. */
  public enum TrafficLight {
    /** At most the low-level quantile: consistent with the PD. */
    GREEN,
    /** Above the low-level quantile, at most the high-level one: watch. */
    YELLOW,
    /** Above the high-level quantile: the PD is rejected. */
    RED
  }

  /**
   * {@code P(D >= defaults)} for {@code count} obligors of probability of default {@code pd} with
   * asset correlation {@code rho}.
   *
   * @throws IllegalArgumentException when count is below 1, defaults outside [0, count], PD
   *     outside [0, 1] or rho outside [0, 1)
   */
  public static double upperTail(long count, long defaults, double pd, double rho) {
    check(count, defaults, pd, rho);
    if (defaults == 0) {
      return 1.0;
    }
    if (pd == 0 || pd == 1 || rho == 0) {
      return Calibration.binomialPValue(count, defaults, pd);
    }
    double threshold = STANDARD_NORMAL.inverseCumulativeProbability(pd);
    double loading = Math.sqrt(rho);
    double scale = Math.sqrt(1 - rho);
    java.util.function.DoubleUnaryOperator integrand = z -> {
      double pz = STANDARD_NORMAL.cumulativeProbability((threshold - loading * z) / scale);
      double tail = pz <= 0 ? 0 : pz >= 1 ? 1 : Beta.regularizedBeta(pz, defaults, count - defaults + 1.0);
      return STANDARD_NORMAL.density(z) * tail;
    };
    double width = 2 * Z_LIMIT / PANELS;
    double total = 0;
    for (int k = 0; k < PANELS; k++) {
      double a = -Z_LIMIT + k * width;
      double b = a + width;
      double fa = integrand.applyAsDouble(a);
      double fb = integrand.applyAsDouble(b);
      double fm = integrand.applyAsDouble((a + b) / 2);
      total += simpson(integrand, a, b, fa, fm, fb, simpsonRule(a, b, fa, fm, fb), MAX_DEPTH);
    }
    return Math.min(1, Math.max(0, total));
  }

  /**
   * The {@code level}-quantile of the default count: the smallest {@code d} with {@code P(D <= d)
   * >= level}.
   *
   * @throws IllegalArgumentException when level is not in (0, 1), or as {@link #upperTail}
   */
  public static long quantile(long count, double pd, double rho, double level) {
    check(count, 0, pd, rho);
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level: expected a value in (0, 1), got " + level);
    }
    // P(D <= d) = 1 - P(D >= d + 1) grows with d: binary search the first d that reaches level.
    long lo = 0;
    long hi = count;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (1 - upperTail(count, mid + 1, pd, rho) >= level) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /**
   * The infinitely granular critical default rate {@code Phi((Phi^-1(PD) + sqrt(rho)
   * Phi^-1(level)) / sqrt(1 - rho))} (the one-factor limit of BCBS WP14).
   */
  public static double limitRate(double pd, double rho, double level) {
    check(1, 0, pd, rho);
    return STANDARD_NORMAL.cumulativeProbability(
        (STANDARD_NORMAL.inverseCumulativeProbability(pd)
            + Math.sqrt(rho) * STANDARD_NORMAL.inverseCumulativeProbability(level))
            / Math.sqrt(1 - rho));
  }

  /**
   * The traffic light of {@code defaults}: green up to the {@code lowLevel}-quantile, yellow up to
   * the {@code highLevel}-quantile, red above (0.95 and 0.999 in German practice, OeNB 2004).
   *
   * @throws IllegalArgumentException unless {@code 0 < lowLevel < highLevel < 1}, or as {@link
   *     #upperTail}
   */
  public static TrafficLight trafficLight(long count, long defaults, double pd, double rho,
      double lowLevel, double highLevel) {
    check(count, defaults, pd, rho);
    checkLevels(lowLevel, highLevel);
    return trafficLight(upperTail(count, defaults, pd, rho), lowLevel, highLevel);
  }

  /**
   * The traffic light of a default count whose {@link #upperTail} is {@code upperTail}.
   *
   * <p>{@code d} is at most the level-quantile {@code q} (the smallest count with {@code P(D <= q)
   * >= level}) exactly when {@code P(D <= d - 1) = 1 - P(D >= d)} is below the level: so one tail
   * gives the light, where a search of the two quantiles took about 17 tails each (at 100,000
   * obligors), most of the time of {@code chainscore train}'s figures.
   *
   * @throws IllegalArgumentException unless {@code 0 < lowLevel < highLevel < 1} and the tail is in [0, 1]
   */
  public static TrafficLight trafficLight(double upperTail, double lowLevel, double highLevel) {
    checkLevels(lowLevel, highLevel);
    if (!(upperTail >= 0 && upperTail <= 1)) {
      throw new IllegalArgumentException("upper tail: expected a probability, got " + upperTail);
    }
    double below = 1 - upperTail;
    if (below < lowLevel) {
      return TrafficLight.GREEN;
    }
    return below < highLevel ? TrafficLight.YELLOW : TrafficLight.RED;
  }

  private static void checkLevels(double lowLevel, double highLevel) {
    if (!(lowLevel > 0 && lowLevel < highLevel && highLevel < 1)) {
      throw new IllegalArgumentException(
          "traffic-light levels: expected 0 < low < high < 1, got " + lowLevel + " and " + highLevel);
    }
  }

  private static double simpsonRule(double a, double b, double fa, double fm, double fb) {
    return (b - a) / 6 * (fa + 4 * fm + fb);
  }

  private static double simpson(java.util.function.DoubleUnaryOperator f, double a, double b, double fa,
      double fm, double fb, double whole, int depth) {
    double m = (a + b) / 2;
    double flm = f.applyAsDouble((a + m) / 2);
    double frm = f.applyAsDouble((m + b) / 2);
    double left = simpsonRule(a, m, fa, flm, fm);
    double right = simpsonRule(m, b, fm, frm, fb);
    double delta = left + right - whole;
    if (depth <= 0 || Math.abs(delta) <= 15 * TOLERANCE) {
      return left + right + delta / 15;
    }
    return simpson(f, a, m, fa, flm, fm, left, depth - 1) + simpson(f, m, b, fm, frm, fb, right, depth - 1);
  }

  private static void check(long count, long defaults, double pd, double rho) {
    if (count < 1 || defaults < 0 || defaults > count || !(pd >= 0 && pd <= 1)) {
      throw new IllegalArgumentException("grade: expected count >= 1, 0 <= defaults <= count and 0 <= PD <= 1, got count "
          + count + ", defaults " + defaults + ", PD " + pd);
    }
    if (!(rho >= 0 && rho < 1)) {
      throw new IllegalArgumentException("asset correlation: expected a value in [0, 1), got " + rho);
    }
  }
}

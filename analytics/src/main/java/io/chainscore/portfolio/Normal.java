package io.chainscore.portfolio;

import org.apache.commons.math3.special.Erf;

/**
 * Standard normal CDF and its inverse at full double precision, plus a table-driven CDF for the
 * Monte Carlo inner loop.
 *
 * <p>The fast CDF is a cubic Hermite interpolation of N on a grid of step 1/64 over [-9, 9]
 * using the exact density as the slope. Its error is bounded by h^4/384 max|phi'''| locally,
 * which scales with the density: the absolute error is below 2e-10, the relative error below
 * 1e-7 for x in [-5, 0] and below 1e-6 for x in [-8.5, -5] (checked in {@code NormalTest});
 * outside the grid it returns 0 or 1 (N(-9) = 1.1e-19).
 */
final class Normal {
  private static final double SQRT2 = Math.sqrt(2.0);
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

  static final double GRID_MIN = -9.0;
  static final double GRID_MAX = 9.0;
  static final int STEPS_PER_UNIT = 64;
  private static final double STEP = 1.0 / STEPS_PER_UNIT;
  private static final int POINTS = (int) Math.round((GRID_MAX - GRID_MIN) * STEPS_PER_UNIT) + 1;
  /** Interleaved (value, slope * step) per grid point, so one interpolation touches one cache line. */
  private static final double[] TABLE = new double[2 * POINTS];

  static {
    for (int k = 0; k < POINTS; k++) {
      double x = GRID_MIN + k * STEP;
      TABLE[2 * k] = cdf(x);
      TABLE[2 * k + 1] = density(x) * STEP;
    }
  }

  private Normal() {}

  /** N(x), accurate to a few ulps relative also in the lower tail. */
  static double cdf(double x) {
    return 0.5 * Erf.erfc(-x / SQRT2);
  }

  /** phi(x). */
  static double density(double x) {
    return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }

  /**
   * G(p), the inverse of N: Acklam's rational approximation refined by one Halley step against
   * {@link #cdf}, which brings it to about 1e-15 relative.
   *
   * @throws IllegalArgumentException when p is outside (0, 1)
   */
  static double inverse(double p) {
    if (!(p > 0.0 && p < 1.0)) {
      throw new IllegalArgumentException("normal quantile: probability must be in (0, 1), got " + p);
    }
    double x = acklam(p);
    // Halley refinement; the error term uses the tail on the side where it is small.
    double e = x < 0 ? cdf(x) - p : (1 - p) - 0.5 * Erf.erfc(x / SQRT2);
    double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
    return x - u / (1 + x * u / 2);
  }

  /**
   * Acklam's rational approximation of G(p) alone (relative error below 1.2e-9), for drawing the
   * Monte Carlo factors where the refinement's erfc call would dominate the per-scenario cost.
   */
  static double inverseFast(double p) {
    return acklam(p);
  }

  private static double acklam(double p) {
    double x;
    double pLow = 0.02425;
    if (p < pLow) {
      double q = Math.sqrt(-2 * Math.log(p));
      x = (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6)
          / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
    } else if (p <= 1 - pLow) {
      double q = p - 0.5;
      double r = q * q;
      x = (((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q
          / (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1);
    } else {
      double q = Math.sqrt(-2 * Math.log1p(-p));
      x = -(((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6)
          / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
    }
    return x;
  }

  /** Table-interpolated N(x) for hot loops; see the class comment for its accuracy. */
  static double fastCdf(double x) {
    if (x <= GRID_MIN) {
      return 0.0;
    }
    if (x >= GRID_MAX) {
      return 1.0;
    }
    double pos = (x - GRID_MIN) * STEPS_PER_UNIT;
    int k = (int) pos;
    double t = pos - k;
    int j = k << 1;
    double y0 = TABLE[j];
    double m0 = TABLE[j + 1];
    double y1 = TABLE[j + 2];
    double m1 = TABLE[j + 3];
    double t2 = t * t;
    double t3 = t2 * t;
    double h10 = t3 - 2 * t2 + t;
    double h01 = 3 * t2 - 2 * t3;
    double h11 = t3 - t2;
    return y0 + h01 * (y1 - y0) + h10 * m0 + h11 * m1;
  }

  /**
   * Whether {@code u < fastCdf(x)}, with the same result, but usually decided from the two grid
   * values bracketing x: the interpolant is monotone (the slopes satisfy the Fritsch-Carlson
   * condition at this step), so it lies between them. Saves the interpolation for most draws in
   * the Monte Carlo loop, where u is uniform and N(x) small.
   */
  static boolean below(double u, double x) {
    if (x <= GRID_MIN) {
      return u < 0.0;
    }
    if (x >= GRID_MAX) {
      return u < 1.0;
    }
    double pos = (x - GRID_MIN) * STEPS_PER_UNIT;
    int k = (int) pos;
    int j = k << 1;
    double y1 = TABLE[j + 2];
    if (u >= y1) {
      return false;
    }
    double y0 = TABLE[j];
    if (u < y0) {
      return true;
    }
    double t = pos - k;
    double t2 = t * t;
    double t3 = t2 * t;
    double h10 = t3 - 2 * t2 + t;
    double h01 = 3 * t2 - 2 * t3;
    double h11 = t3 - t2;
    return u < y0 + h01 * (y1 - y0) + h10 * TABLE[j + 1] + h11 * TABLE[j + 3];
  }

  private static final double A1 = -3.969683028665376e+01;
  private static final double A2 = 2.209460984245205e+02;
  private static final double A3 = -2.759285104469687e+02;
  private static final double A4 = 1.383577518672690e+02;
  private static final double A5 = -3.066479806614716e+01;
  private static final double A6 = 2.506628277459239e+00;
  private static final double B1 = -5.447609879822406e+01;
  private static final double B2 = 1.615858368580409e+02;
  private static final double B3 = -1.556989798598866e+02;
  private static final double B4 = 6.680131188771972e+01;
  private static final double B5 = -1.328068155288572e+01;
  private static final double C1 = -7.784894002430293e-03;
  private static final double C2 = -3.223964580411365e-01;
  private static final double C3 = -2.400758277161838e+00;
  private static final double C4 = -2.549732539343734e+00;
  private static final double C5 = 4.374664141464968e+00;
  private static final double C6 = 2.938163982698783e+00;
  private static final double D1 = 7.784695709041462e-03;
  private static final double D2 = 3.224671290700398e-01;
  private static final double D3 = 2.445134137142996e+00;
  private static final double D4 = 3.754408661907416e+00;
}

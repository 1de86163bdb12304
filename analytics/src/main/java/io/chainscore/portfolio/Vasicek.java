package io.chainscore.portfolio;

/**
 * The Vasicek large homogeneous pool: the limiting distribution of the loss fraction of an
 * infinitely granular pool of obligors with default probability {@code pd} and pairwise asset
 * correlation {@code rho} under a one-factor Gaussian copula, with LGD = 1.
 *
 * <p>P(L &lt;= x) = N((sqrt(1 - rho) G(x) - G(pd)) / sqrt(rho)); the alpha-quantile is
 * N((G(pd) + sqrt(rho) G(alpha)) / sqrt(1 - rho)); the mean is pd.
 *
 * <p>Thread safety: stateless; all methods are thread safe.
 */
public final class Vasicek {
  private Vasicek() {}

  /**
   * P(L &lt;= x) for the loss fraction x.
   *
   * @throws IllegalArgumentException when pd or rho is outside (0, 1)
   */
  public static double cdf(double x, double pd, double rho) {
    check(pd, rho);
    if (Double.isNaN(x)) {
      throw new IllegalArgumentException("Vasicek cdf: loss fraction is NaN");
    }
    if (x <= 0) {
      return 0.0;
    }
    if (x >= 1) {
      return 1.0;
    }
    return Normal.cdf((Math.sqrt(1 - rho) * Normal.inverse(x) - Normal.inverse(pd)) / Math.sqrt(rho));
  }

  /**
   * The alpha-quantile of the loss fraction.
   *
   * @throws IllegalArgumentException when alpha, pd or rho is outside (0, 1)
   */
  public static double quantile(double alpha, double pd, double rho) {
    check(pd, rho);
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("Vasicek quantile: alpha must be in (0, 1), got " + alpha);
    }
    return Normal.cdf((Normal.inverse(pd) + Math.sqrt(rho) * Normal.inverse(alpha)) / Math.sqrt(1 - rho));
  }

  /** Economic capital at level alpha per unit exposure: the alpha-quantile minus the mean pd. */
  public static double economicCapital(double alpha, double pd, double rho) {
    return quantile(alpha, pd, rho) - pd;
  }

  /**
   * The default probability conditional on the systematic factor taking the value z:
   * N((G(pd) - sqrt(rho) z) / sqrt(1 - rho)). A negative z is a downturn.
   */
  public static double conditionalPd(double pd, double rho, double z) {
    if (!(pd >= 0 && pd <= 1)) {
      throw new IllegalArgumentException("conditional PD: pd must be in [0, 1], got " + pd);
    }
    if (!(rho >= 0 && rho < 1)) {
      throw new IllegalArgumentException("conditional PD: rho must be in [0, 1), got " + rho);
    }
    if (Double.isNaN(z)) {
      throw new IllegalArgumentException("conditional PD: factor value is NaN");
    }
    if (pd == 0 || pd == 1) {
      return pd;
    }
    return Normal.cdf((Normal.inverse(pd) - Math.sqrt(rho) * z) / Math.sqrt(1 - rho));
  }

  private static void check(double pd, double rho) {
    if (!(pd > 0 && pd < 1)) {
      throw new IllegalArgumentException("Vasicek: pd must be in (0, 1), got " + pd);
    }
    if (!(rho > 0 && rho < 1)) {
      throw new IllegalArgumentException("Vasicek: rho must be in (0, 1), got " + rho);
    }
  }
}

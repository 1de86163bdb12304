package io.chainscore.develop.calibration;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The long-run central tendency a model's PDs are calibrated to, and the shift that does it.
 *
 * <p>The long-run average default rate (LRADR) is the arithmetic mean of the cohorts' one-year
 * default rates (EBA GL/2017/16 section 5.3.3), each the share of the cohort's performing obligors
 * that defaulted within the year (5.3.2). The margin of conservatism for the general estimation
 * error (category C, section 4.4) is taken, as in common practice, as the upper bound of a
 * one-sided confidence interval of the LRADR: {@code mean + t_{level, Y-1} s / sqrt(Y)} over
 * {@code Y} yearly rates with sample standard deviation {@code s} (Student's t, since the years are
 * few). The calibration shifts every PD's log-odds by one constant {@code a} so that the mean
 * calibrated PD on the calibration sample equals the target: {@code mean expit(logit p_i + a) =
 * target}, which keeps the model's ranking (and AUC) unchanged.
 *
 * <p>Thread safety: immutable record; the static methods are pure functions.
 *
 * @param yearlyRates the cohorts' default rates, oldest first
 * @param longRunAverage their arithmetic mean
 * @param standardError {@code s / sqrt(Y)} (NaN for one year)
 * @param conservativeLevel the one-sided confidence level of the margin (NaN when not applied)
 * @param target the PD the calibration aims at: the mean, or its upper confidence bound
 */
public record CentralTendency(double[] yearlyRates, double longRunAverage, double standardError,
    double conservativeLevel, double target) {

  /** Copies the rates. */
  public CentralTendency {
    yearlyRates = yearlyRates.clone();
  }

  /** The cohorts' default rates (a copy). */
  @Override
  public double[] yearlyRates() {
    return yearlyRates.clone();
  }

  /** A given central tendency (for example 3% from a longer history than the sample's). */
  public static CentralTendency given(double target) {
    if (!(target > 0 && target < 1)) {
      throw new IllegalArgumentException("central tendency: expected a PD in (0, 1), got " + target);
    }
    return new CentralTendency(new double[] {target}, target, Double.NaN, Double.NaN, target);
  }

  /**
   * The LRADR of cohorts, each given as its performing obligors and their defaults within a year.
   *
   * @param conservativeLevel NaN for the best estimate, or a one-sided level such as 0.9 for the
   *     upper confidence bound as margin of conservatism (needs two years or more)
   * @throws IllegalArgumentException when a cohort is empty, defaults exceed obligors, or the
   *     margin is asked of a single year
   */
  public static CentralTendency fromCohorts(long[] obligors, long[] defaults, double conservativeLevel) {
    double[] o = new double[obligors.length];
    double[] d = new double[defaults.length];
    for (int y = 0; y < o.length; y++) {
      o[y] = obligors[y];
    }
    for (int y = 0; y < d.length; y++) {
      d[y] = defaults[y];
    }
    return fromCohorts(o, d, conservativeLevel);
  }

  /**
   * {@link #fromCohorts(long[], long[], double)} with weighted counts: each cohort's obligors and
   * defaults as sums of the rows' sampling weights, so each cohort's default rate is the
   * population's its sample stands for.
   *
   * @throws IllegalArgumentException when a cohort's weight is not positive, defaults exceed
   *     obligors, or the margin is asked of a single year
   */
  public static CentralTendency fromCohorts(double[] obligors, double[] defaults, double conservativeLevel) {
    if (obligors.length == 0 || obligors.length != defaults.length) {
      throw new IllegalArgumentException("cohorts: expected one default count per cohort, got " + obligors.length
          + " cohorts and " + defaults.length + " counts");
    }
    int years = obligors.length;
    double[] rates = new double[years];
    double mean = 0;
    for (int y = 0; y < years; y++) {
      if (!(obligors[y] > 0) || !(defaults[y] >= 0) || defaults[y] > obligors[y]) {
        throw new IllegalArgumentException("cohort " + (y + 1) + ": expected 0 <= defaults <= obligors and obligors > 0, got "
            + count(defaults[y]) + " of " + count(obligors[y]));
      }
      rates[y] = defaults[y] / obligors[y];
      mean += rates[y] / years;
    }
    double se = Double.NaN;
    if (years > 1) {
      double ss = 0;
      for (double r : rates) {
        ss += (r - mean) * (r - mean);
      }
      se = Math.sqrt(ss / (years - 1)) / Math.sqrt(years);
    }
    double target = mean;
    if (!Double.isNaN(conservativeLevel)) {
      if (!(conservativeLevel > 0.5 && conservativeLevel < 1)) {
        throw new IllegalArgumentException("margin of conservatism: expected a one-sided level in (0.5, 1), got " + conservativeLevel);
      }
      if (years < 2) {
        throw new IllegalArgumentException("margin of conservatism: needs the default rates of two cohorts or more, got one");
      }
      target = mean + new TDistribution(null, years - 1).inverseCumulativeProbability(conservativeLevel) * se;
    }
    if (!(target > 0 && target < 1)) {
      throw new IllegalArgumentException("central tendency: the cohorts give " + target + ", expected a PD in (0, 1)");
    }
    return new CentralTendency(rates, mean, se, conservativeLevel, target);
  }

  /**
   * The logit shift {@code a} with {@code mean expit(logit p_i + a) = target} over the calibration
   * sample's PDs (Newton's method; the mean is increasing in {@code a}).
   *
   * @throws IllegalArgumentException when a PD is not in (0, 1)
   */
  public double interceptShift(double[] pds) {
    return interceptShift(pds, null);
  }

  /**
   * The logit shift {@code a} with the weighted mean {@code sum w_i expit(logit p_i + a) / sum w_i
   * = target} ({@code weights} null for equal weights): with sampling weights the target is met by
   * the population the sample stands for. Integer weights give the shift of the sample with each
   * row repeated that many times.
   *
   * @throws IllegalArgumentException when a PD is not in (0, 1), or a weight is negative or not
   *     finite, or the weights sum to 0
   */
  public double interceptShift(double[] pds, double[] weights) {
    double total = pds.length;
    if (weights != null) {
      if (weights.length != pds.length) {
        throw new IllegalArgumentException("calibration sample: " + weights.length + " weights for " + pds.length
            + " PDs");
      }
      total = 0;
      for (int i = 0; i < weights.length; i++) {
        if (!(weights[i] >= 0 && weights[i] < Double.POSITIVE_INFINITY)) {
          throw new IllegalArgumentException("calibration sample: weight " + i + " is " + weights[i]
              + ", expected a finite value >= 0");
        }
        total += weights[i];
      }
      if (!(total > 0)) {
        throw new IllegalArgumentException("calibration sample: the weights sum to 0");
      }
    }
    for (int i = 0; i < pds.length; i++) {
      if (!(pds[i] > 0 && pds[i] < 1)) {
        throw new IllegalArgumentException("calibration sample: PD " + i + " is " + pds[i] + ", expected a value in (0, 1)");
      }
    }
    if (pds.length == 0) {
      throw new IllegalArgumentException("calibration sample: expected at least one PD");
    }
    double[] logits = new double[pds.length];
    for (int i = 0; i < pds.length; i++) {
      logits[i] = Math.log(pds[i] / (1 - pds[i]));
    }
    // Far from the target (mean PD of 1e-88 against 1e-100, say) the mean moves like exp(a) and each
    // Newton step moves a by about 1, so the shift to a target of t takes about |ln t| steps: 2,000
    // cover every normal double (|ln t| < 709). Until 2026-12-07 the solve stopped after 200 steps
    // wherever it was, and a target below about 1e-87 silently gave a bundle whose mean PD was not it.
    double a = 0;
    double mean = Double.NaN;
    for (int iteration = 0; iteration < 2000; iteration++) {
      mean = 0;
      double slope = 0;
      for (int i = 0; i < logits.length; i++) {
        double q = 1 / (1 + Math.exp(-(logits[i] + a)));
        double w = weights == null ? 1 : weights[i];
        mean += w * q;
        slope += w * q * (1 - q);
      }
      double step = (mean - target * total) / slope;
      if (!Double.isFinite(step)) {
        break; // the PDs underflow: no shift brings their mean to the target
      }
      a -= Math.max(-2, Math.min(2, step));
      if (Math.abs(step) < 1e-14) {
        return a;
      }
    }
    if (Double.isFinite(a) && Math.abs(mean / total - target) <= 1e-9 * target) {
      return a; // the steps stalled at rounding noise, on the target
    }
    throw new IllegalArgumentException("central tendency " + target + ": no shift of the PDs' log-odds gives a mean PD"
        + " of it in double precision (" + mean / total + " at a shift of " + a + ")");
  }

  /** A count as it was given: whole numbers without a decimal point. */
  private static String count(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** The normal-approximation z of the sample's realised default rate against the target, for reports. */
  public static double zScore(double realisedRate, double target, long obligors) {
    return (realisedRate - target) / Math.sqrt(target * (1 - target) / obligors);
  }

  /** The standard normal, for callers that report one-sided p-values of {@link #zScore}. */
  public static double upperTailProbability(double z) {
    // the tail itself, not 1 - CDF, which rounds to 0 past z of about 8.3
    return 0.5 * org.apache.commons.math3.special.Erf.erfc(z / Math.sqrt(2));
  }
}

package io.chainscore.ifrs9;

import java.util.Arrays;

/**
 * A PD term structure over consecutive periods of equal length: the cumulative probability of
 * default {@code CPD(t)} at the end of each period {@code t = 1..T}, with the marginal
 * (unconditional) PDs {@code m_t = CPD(t) - CPD(t - 1)} and the conditional PDs (hazards) {@code
 * h_t = m_t / (1 - CPD(t - 1))} derived from it.
 *
 * <p>Thread safety: immutable.
 */
public final class PdTermStructure {
  private final double periodYears;
  private final double[] cumulative;

  private PdTermStructure(double periodYears, double[] cumulative) {
    if (!(periodYears > 0) || Double.isInfinite(periodYears)) {
      throw new IllegalArgumentException("period length: expected a positive number of years, got " + periodYears);
    }
    if (cumulative.length == 0) {
      throw new IllegalArgumentException("PD term structure: expected at least one period");
    }
    double previous = 0;
    for (int t = 0; t < cumulative.length; t++) {
      double c = cumulative[t];
      if (!(c >= previous - 1e-15 && c <= 1)) {
        throw new IllegalArgumentException("cumulative PD of period " + (t + 1)
            + ": expected a value in [" + previous + ", 1] (cumulative PDs never fall), got " + c);
      }
      previous = Math.max(previous, c);
    }
    this.periodYears = periodYears;
    this.cumulative = cumulative.clone();
  }

  /** A term structure from cumulative PDs at the end of each period. */
  public static PdTermStructure ofCumulative(double periodYears, double... cumulative) {
    return new PdTermStructure(periodYears, cumulative);
  }

  /** A term structure from marginal PDs {@code m_t} (their running sums are the cumulative PDs). */
  public static PdTermStructure ofMarginal(double periodYears, double... marginal) {
    double[] cumulative = new double[marginal.length];
    double sum = 0;
    for (int t = 0; t < marginal.length; t++) {
      if (!(marginal[t] >= 0)) {
        throw new IllegalArgumentException("marginal PD of period " + (t + 1) + ": expected >= 0, got " + marginal[t]);
      }
      sum += marginal[t];
      cumulative[t] = sum;
    }
    return new PdTermStructure(periodYears, cumulative);
  }

  /** A term structure from conditional PDs (hazards): {@code CPD(t) = 1 - prod_{k <= t} (1 - h_k)}. */
  public static PdTermStructure ofHazards(double periodYears, double... hazards) {
    double[] cumulative = new double[hazards.length];
    double survival = 1;
    for (int t = 0; t < hazards.length; t++) {
      if (!(hazards[t] >= 0 && hazards[t] <= 1)) {
        throw new IllegalArgumentException("conditional PD of period " + (t + 1) + ": expected a value in [0, 1], got " + hazards[t]);
      }
      survival *= 1 - hazards[t];
      cumulative[t] = 1 - survival;
    }
    return new PdTermStructure(periodYears, cumulative);
  }

  /**
   * The PD over {@code years} for an annual PD, assuming a constant hazard within the year:
   * {@code 1 - (1 - pd)^years} (a 60-day invoice at 2% a year: 0.00331548).
   */
  public static double partYearPd(double annualPd, double years) {
    if (!(annualPd >= 0 && annualPd <= 1) || !(years >= 0)) {
      throw new IllegalArgumentException("part-year PD: expected an annual PD in [0, 1] and years >= 0, got "
          + annualPd + " and " + years);
    }
    return -Math.expm1(years * Math.log1p(-annualPd));
  }

  /** The length of one period, in years. */
  public double periodYears() {
    return periodYears;
  }

  /** The number of periods. */
  public int periods() {
    return cumulative.length;
  }

  /** {@code CPD(t)} for {@code t = 1..periods()}; {@code CPD(0) = 0}. */
  public double cumulative(int t) {
    return t == 0 ? 0 : cumulative[t - 1];
  }

  /** The marginal PD of period {@code t}: {@code CPD(t) - CPD(t - 1)}. */
  public double marginal(int t) {
    return cumulative(t) - cumulative(t - 1);
  }

  /** The conditional PD of period {@code t} given survival to its start. */
  public double hazard(int t) {
    double survival = 1 - cumulative(t - 1);
    return survival > 0 ? marginal(t) / survival : 0;
  }

  @Override
  public String toString() {
    return "PdTermStructure" + Arrays.toString(cumulative) + " per " + periodYears + " y";
  }
}

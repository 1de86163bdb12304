package io.chainscore.ifrs9;

/**
 * The discounted expected credit loss of one facility (IFRS 9 5.5.17-19): {@code ECL = sum_t m_t
 * LGD_t EAD_t DF_t} over the periods up to the horizon, with marginal PDs {@code m_t} from a {@link
 * PdTermStructure}, and {@code DF_t = (1 + EIR)^-tau_t} at the effective interest rate fixed at
 * initial recognition.
 *
 * <p>The horizon never passes the contractual maturity (5.5.19): the 12-month ECL sums the default
 * events within {@code min(1 year, maturity)}, the lifetime ECL those within the maturity, so a
 * 60-day invoice's 12-month and lifetime ECL are equal. A period the horizon cuts counts the part
 * before the cut at a constant hazard within the period ({@code S(a) (1 - (1 - h_t)^f)} for the
 * fraction {@code f} of the period); {@code tau} is the period's end (or the cut), or its middle
 * with {@link LossTiming#MID_PERIOD}.
 *
 * <p>Thread safety: immutable.
 *
 * @param pd the PD term structure (its periods must cover the maturity)
 * @param lgd the loss given default of each period, in [0, 1]
 * @param ead the exposure at default of each period, at least 0
 * @param effectiveInterestRate the annual EIR for discounting, above -1
 * @param maturityYears the remaining contractual maturity, above 0
 * @param timing when in a period a loss is assumed to occur
 */
public record ExpectedCreditLoss(PdTermStructure pd, double[] lgd, double[] ead, double effectiveInterestRate,
    double maturityYears, LossTiming timing) {

  /** When within a period a default's loss is assumed to occur. */
  public enum LossTiming {
    /** At the end of the period (or at the horizon's cut). */
    END_OF_PERIOD,
    /** In the middle of the period (or of its part before the cut). */
    MID_PERIOD
  }

  /** Checks the inputs and keeps copies of the arrays. */
  public ExpectedCreditLoss {
    if (pd == null || timing == null) {
      throw new IllegalArgumentException("ECL: expected a PD term structure and a loss timing");
    }
    if (!(maturityYears > 0) || Double.isInfinite(maturityYears)) {
      throw new IllegalArgumentException("maturity: expected a positive number of years, got " + maturityYears);
    }
    int needed = (int) Math.ceil(maturityYears / pd.periodYears() - 1e-9);
    if (pd.periods() < needed) {
      throw new IllegalArgumentException("PD term structure: expected at least " + needed + " periods to cover a maturity of "
          + maturityYears + " years, got " + pd.periods());
    }
    if (lgd.length < needed || ead.length < needed) {
      throw new IllegalArgumentException("LGD and EAD: expected a value for each of the " + needed + " periods, got "
          + lgd.length + " and " + ead.length);
    }
    for (int t = 0; t < needed; t++) {
      if (!(lgd[t] >= 0 && lgd[t] <= 1)) {
        throw new IllegalArgumentException("LGD of period " + (t + 1) + ": expected a value in [0, 1], got " + lgd[t]);
      }
      if (!(ead[t] >= 0) || Double.isInfinite(ead[t])) {
        throw new IllegalArgumentException("EAD of period " + (t + 1) + ": expected a finite amount >= 0, got " + ead[t]);
      }
    }
    if (!(effectiveInterestRate > -1) || Double.isInfinite(effectiveInterestRate)) {
      throw new IllegalArgumentException("effective interest rate: expected a rate above -1, got " + effectiveInterestRate);
    }
    lgd = lgd.clone();
    ead = ead.clone();
  }

  /** The loss given default of each period (a copy). */
  @Override
  public double[] lgd() {
    return lgd.clone();
  }

  /** The exposure at default of each period (a copy). */
  @Override
  public double[] ead() {
    return ead.clone();
  }

  /** The 12-month ECL (stage 1): default events within {@code min(1 year, maturity)}. */
  public double twelveMonth() {
    return upTo(Math.min(1.0, maturityYears));
  }

  /** The lifetime ECL (stages 2 and 3): default events within the maturity. */
  public double lifetime() {
    return upTo(maturityYears);
  }

  /** The discounted expected loss of each period up to the horizon {@code years} (0 beyond it). */
  public double[] terms(double years) {
    double step = pd.periodYears();
    int periods = (int) Math.ceil(years / step - 1e-9);
    double[] terms = new double[periods];
    for (int t = 1; t <= periods; t++) {
      double start = (t - 1) * step;
      double cut = Math.min(t * step, years);
      double fraction = (cut - start) / step;
      double marginal = fraction >= 1 - 1e-12
          ? pd.marginal(t)
          : (1 - pd.cumulative(t - 1)) * -Math.expm1(fraction * Math.log1p(-pd.hazard(t)));
      double tau = timing == LossTiming.END_OF_PERIOD ? cut : (start + cut) / 2;
      terms[t - 1] = marginal * lgd[t - 1] * ead[t - 1] * Math.pow(1 + effectiveInterestRate, -tau);
    }
    return terms;
  }

  private double upTo(double years) {
    double sum = 0;
    for (double term : terms(years)) {
      sum += term;
    }
    return sum;
  }
}

package io.chainscore.portfolio;

/**
 * Basel IRB capital requirement K, risk weight, RWA and expected loss of exposures under one
 * {@link IrbRegime}, following CRE31 (formulas in {@code docs/portfolio-risk.md}).
 *
 * <p>The raw functions ({@link #correlation}, {@link #capitalRequirement}) apply no floor and no
 * scaling, so they reproduce the Basel II Annex 5 table; {@link #evaluate} applies the regime's PD
 * floor, supervisory LGD and scaling factor.
 *
 * <p>Thread safety: immutable.
 */
public final class CapitalCalculator {
  /** G(0.999). */
  private static final double G999 = Normal.inverse(0.999);
  private static final double W50_DENOMINATOR = 1 - Math.exp(-50);
  private static final double W35_DENOMINATOR = 1 - Math.exp(-35);
  /** M of dilution risk: one year, as where dilution is resolved within a year (CRE34.8; EU CRR Art. 157(4)). */
  private static final double DILUTION_MATURITY_YEARS = 1.0;

  private final IrbRegime regime;

  private CapitalCalculator(IrbRegime regime) {
    this.regime = regime;
  }

  /** A calculator for the regime. */
  public static CapitalCalculator of(IrbRegime regime) {
    if (regime == null) {
      throw new IllegalArgumentException("capital calculator: regime is required");
    }
    return new CapitalCalculator(regime);
  }

  /** The regime this calculator applies. */
  public IrbRegime regime() {
    return regime;
  }

  /**
   * The supervisory asset correlation R for the asset class.
   *
   * @param annualSalesEurMillions turnover for the corporate SME adjustment (applied when below
   *     50, with values below 5 treated as 5); NaN for none
   */
  public static double correlation(AssetClass assetClass, double pd, double annualSalesEurMillions) {
    checkPd(pd);
    switch (assetClass) {
      case CORPORATE: {
        double w = (1 - Math.exp(-50 * pd)) / W50_DENOMINATOR;
        double r = 0.12 * w + 0.24 * (1 - w);
        if (!Double.isNaN(annualSalesEurMillions) && annualSalesEurMillions < 50) {
          double s = Math.max(5.0, annualSalesEurMillions);
          r -= 0.04 * (1 - (s - 5) / 45);
        }
        return r;
      }
      case OTHER_RETAIL: {
        double w = (1 - Math.exp(-35 * pd)) / W35_DENOMINATOR;
        return 0.03 * w + 0.16 * (1 - w);
      }
      case RESIDENTIAL_MORTGAGE:
        return 0.15;
      case QRRE:
        return 0.04;
      default:
        throw new IllegalArgumentException("unknown asset class " + assetClass);
    }
  }

  /**
   * The capital requirement K per unit EAD, without PD floor and scaling factor.
   *
   * <p>For PD = 1 (defaulted) K = max(0, LGD - ELBE) with the best-estimate expected loss taken
   * equal to LGD, which is the F-IRB outcome K = 0; use {@link #defaultedCapitalRequirement} for
   * an A-IRB best estimate.
   *
   * @param maturityYears effective maturity, bounded to [1, 5]; ignored outside the corporate class
   */
  public static double capitalRequirement(
      AssetClass assetClass, double pd, double lgd, double maturityYears, double annualSalesEurMillions) {
    return capitalRequirement(assetClass, pd, lgd, maturityYears, annualSalesEurMillions, true);
  }

  /**
   * As {@link #capitalRequirement(AssetClass, double, double, double, double)}, choosing whether
   * the one-year maturity floor applies: short-term self-liquidating trade transactions take their
   * actual remaining maturity (CRE32.52), so {@code oneYearFloor = false} bounds M to [0, 5]
   * instead of [1, 5]. Whether a product qualifies is the regime's decision, stored with the
   * exposure.
   */
  public static double capitalRequirement(AssetClass assetClass, double pd, double lgd, double maturityYears,
      double annualSalesEurMillions, boolean oneYearFloor) {
    checkPd(pd);
    checkLgd(lgd);
    if (pd == 1.0) {
      return 0.0;
    }
    if (pd == 0.0) {
      return 0.0;
    }
    double r = correlation(assetClass, pd, annualSalesEurMillions);
    double conditional =
        Normal.cdf(Normal.inverse(pd) / Math.sqrt(1 - r) + Math.sqrt(r / (1 - r)) * G999);
    double k = lgd * conditional - pd * lgd;
    if (assetClass.hasMaturityAdjustment()) {
      double m = Double.isNaN(maturityYears) ? 2.5 : Math.min(5.0, Math.max(oneYearFloor ? 1.0 : 0.0, maturityYears));
      double sqrtB = 0.11852 - 0.05478 * Math.log(pd);
      double b = sqrtB * sqrtB;
      k *= (1 + (m - 2.5) * b) / (1 - 1.5 * b);
    }
    return Math.max(0.0, k);
  }

  /** K of a defaulted exposure: max(0, LGD - best-estimate expected loss). */
  public static double defaultedCapitalRequirement(double lgd, double expectedLossBestEstimate) {
    checkLgd(lgd);
    return Math.max(0.0, lgd - expectedLossBestEstimate);
  }

  /**
   * Capital figures of one exposure for the given PD under this calculator's regime: the PD is
   * floored, the LGD defaults to the supervisory value, and RWA includes the scaling factor.
   *
   * @throws IllegalArgumentException when pd is outside [0, 1]
   */
  public ExposureCapital evaluate(Exposure exposure, double pd) {
    checkPd(pd);
    double lgd = exposure.lgd(regime);
    double obligorSales = obligorSales(exposure);
    boolean floor = !exposure.tradeMaturityExemption();
    if (carriesDilution(exposure)) {
      // Purchased receivables with dilution (CRE34): default risk in the exposure's own asset class
      // on EAD = amount - K_Dilution, dilution at the corporate function with PD = EL_D, the
      // regime's dilution LGD, M = 1 (whatever the class, CRE34.9).
      PurchasedReceivables p = PurchasedReceivables.of(regime, exposure.assetClass(), exposure.ead(), pd, lgd,
          exposure.maturityYears(), !floor, exposure.dilution(), regime.dilutionLgd(), DILUTION_MATURITY_YEARS,
          obligorSales);
      double riskWeight = 12.5 * p.defaultK() * regime.scalingFactor();
      return new ExposureCapital(Math.max(pd, regime.pdFloor(exposure.assetClass())), lgd, p.defaultEad(), p.defaultK(),
          riskWeight, p.defaultRwa(), 0.08 * p.defaultRwa(), p.defaultExpectedLoss(), p.dilutionRwa(),
          0.08 * p.dilutionRwa(), p.dilutionExpectedLoss());
    }
    double flooredPd = Math.max(pd, regime.pdFloor(exposure.assetClass()));
    double k = capitalRequirement(exposure.assetClass(), flooredPd, lgd, exposure.maturityYears(), obligorSales,
        floor);
    double ead = exposure.ead();
    double riskWeight = 12.5 * k * regime.scalingFactor();
    double rwa = riskWeight * ead;
    return new ExposureCapital(flooredPd, lgd, ead, k, riskWeight, rwa, 0.08 * rwa, flooredPd * lgd * ead, 0, 0, 0);
  }

  /**
   * The exposure at default for default risk: {@code drawn + ccf x undrawn}, less the dilution
   * capital charge K_Dilution for purchased receivables with expected dilution (CRE34: {@code EAD =
   * amount - K_Dilution}). The one EAD of an exposure that its regulatory and horizon EL, its
   * capital, the Monte Carlo losses ({@link CreditPortfolioSimulation}) and every breakdown of a
   * {@link PortfolioReport} rest on, so that the simulated mean loss is the horizon EL. It does not
   * depend on the PD.
   */
  public double defaultRiskEad(Exposure exposure) {
    if (!carriesDilution(exposure)) {
      return exposure.ead();
    }
    return PurchasedReceivables.defaultEad(exposure.ead(), PurchasedReceivables.dilutionRequirement(regime,
        exposure.dilution(), regime.dilutionLgd(), DILUTION_MATURITY_YEARS, exposure.tradeMaturityExemption(),
        obligorSales(exposure)));
  }

  /** Whether the exposure carries a dilution charge: purchased receivables with expected dilution above 0. */
  private static boolean carriesDilution(Exposure exposure) {
    return exposure.product().purchasedReceivables() && exposure.dilution() > 0;
  }

  /**
   * The sales of the SME size adjustment (CRE31.8), the obligor's. Where the anchor owes the
   * exposure (payables finance) the supplier's sales are not the obligor's: no adjustment (an
   * anchor is no SME); until 2026-12-05 the supplier's cut such an exposure's correlation.
   */
  private static double obligorSales(Exposure exposure) {
    return exposure.product().anchorObligor() ? Double.NaN : exposure.annualSalesEurMillions();
  }

  /**
   * Expected default loss over the exposure's horizon, {@code PD_h x LGD x EAD} with the unfloored
   * PD, the figure used for pricing and provisioning (the regulatory EL in {@link ExposureCapital}
   * is the one-year figure with the floored PD). The horizon is {@code h = min(1, M)} years for an
   * exposure whose maturity is given (a 60-day receivable carries its 60-day PD, {@code PD_h = 1 -
   * (1 - PD)^h}, not the 12-month one), one year otherwise; the EAD is the default-risk EAD
   * ({@code amount - K_Dilution} for purchased receivables with dilution).
   */
  public double expectedLoss(Exposure exposure, double pd) {
    return expectedLoss(evaluate(exposure, pd), pd, exposure.maturityYears());
  }

  /** As {@link #expectedLoss(Exposure, double)}, from the exposure's capital figures already computed. */
  public static double expectedLoss(ExposureCapital capital, double pd, double maturityYears) {
    return horizonPd(pd, maturityYears) * capital.lgd() * capital.ead();
  }

  /** The PD over {@code min(1, maturityYears)} at a constant hazard; the one-year PD when the maturity is NaN. */
  public static double horizonPd(double pd, double maturityYears) {
    checkPd(pd);
    if (Double.isNaN(maturityYears) || maturityYears >= 1 || pd == 0 || pd == 1) {
      return pd;
    }
    return -Math.expm1(maturityYears * Math.log1p(-pd));
  }

  static void checkPd(double pd) {
    if (!(pd >= 0 && pd <= 1)) {
      throw new IllegalArgumentException("PD must be in [0, 1], got " + pd);
    }
  }

  private static void checkLgd(double lgd) {
    if (!(lgd >= 0 && lgd <= 1)) {
      throw new IllegalArgumentException("LGD must be in [0, 1], got " + lgd);
    }
  }

  /**
   * Capital figures of one exposure.
   *
   * @param pd the floored PD used
   * @param lgd the LGD used
   * @param ead exposure at default for default risk
   * @param capitalRequirement K per unit EAD, unscaled
   * @param riskWeight 12.5 x K x scaling factor
   * @param rwa risk-weighted assets, riskWeight x EAD
   * @param capital minimum capital, 8% of RWA
   * @param expectedLoss regulatory EL, floored PD x LGD x EAD
   * @param dilutionRwa RWA for dilution risk of purchased receivables (CRE34.8), 0 for others
   * @param dilutionCapital 8% of the dilution RWA
   * @param dilutionExpectedLoss {@code EL_D x amount}
   */
  public record ExposureCapital(
      double pd, double lgd, double ead, double capitalRequirement, double riskWeight, double rwa,
      double capital, double expectedLoss, double dilutionRwa, double dilutionCapital, double dilutionExpectedLoss) {}
}

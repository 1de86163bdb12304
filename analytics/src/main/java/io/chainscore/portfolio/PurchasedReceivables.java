package io.chainscore.portfolio;

/**
 * IRB capital of purchased receivables (Basel CRE34): default risk on the debtors and dilution
 * risk, the receivable shrinking through credit notes, returns, disputes and discounts.
 *
 * <p>Dilution (CRE34.8): the corporate function at {@code PD = EL_D} (the one-year expected
 * dilution, floored like a PD) and {@code LGD = 100%} by default, with maturity {@code M_D} (1 year
 * where the supervisor agrees, which makes the maturity adjustment exactly 1). Default risk
 * (CRE34.2-34.7): the corporate function on {@code EAD = amount - K_Dilution}, at the debtors' PD
 * and LGD and the receivables' effective maturity, with the one-year floor waived for short-term
 * self-liquidating trade (CRE32.52) when the regime allows it. Expected losses: {@code PD x LGD x
 * EAD} for default and {@code EL_D x amount} for dilution. Worked example: {@code
 * shared/reference/scf-exposures.md}; formulas in {@code docs/portfolio-risk.md}.
 *
 * <p>Thread safety: immutable record; {@link #of} is a pure function of its arguments.
 *
 * @param amount the receivables amount
 * @param dilutionK K per unit of amount for dilution
 * @param dilutionCapital {@code dilutionK x amount} (K_Dilution)
 * @param dilutionRwa {@code 12.5 x scaling x dilutionCapital}
 * @param defaultEad {@code amount - dilutionCapital}
 * @param defaultK K per unit of EAD for default risk
 * @param defaultRwa {@code 12.5 x scaling x defaultK x defaultEad}
 * @param defaultExpectedLoss {@code PD x LGD x defaultEad}, floored PD
 * @param dilutionExpectedLoss {@code EL_D x amount}, floored EL_D
 */
public record PurchasedReceivables(double amount, double dilutionK, double dilutionCapital, double dilutionRwa,
    double defaultEad, double defaultK, double defaultRwa, double defaultExpectedLoss, double dilutionExpectedLoss) {

  /** Total risk-weighted assets, default plus dilution. */
  public double totalRwa() {
    return defaultRwa + dilutionRwa;
  }

  /**
   * The capital of a receivables amount under {@code regime}.
   *
   * @param pd the debtors' PD (floored by the regime)
   * @param lgd the debtors' LGD (e.g. the F-IRB senior purchased-receivables value)
   * @param maturityYears the receivables' effective maturity for default risk
   * @param tradeExemption whether the one-year maturity floor is waived (short-term
   *     self-liquidating trade, CRE32.52)
   * @param expectedDilution the one-year expected dilution EL_D as a share of the amount; 0 where
   *     the supervisor accepts that dilution is immaterial
   * @param dilutionLgd 1 under Basel CRE34.8 and CRR3 (0.75 in the pre-2025 CRR F-IRB)
   * @param dilutionMaturityYears M for dilution (1 where dilution is resolved within a year)
   * @param annualSalesEurMillions the SME adjustment's sales (NaN for none)
   * @throws IllegalArgumentException when an argument is outside its range, naming it
   */
  public static PurchasedReceivables of(IrbRegime regime, double amount, double pd, double lgd, double maturityYears,
      boolean tradeExemption, double expectedDilution, double dilutionLgd, double dilutionMaturityYears,
      double annualSalesEurMillions) {
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("receivables amount: expected a finite amount >= 0, got " + amount);
    }
    if (!(expectedDilution >= 0 && expectedDilution < 1)) {
      throw new IllegalArgumentException("expected dilution: expected a share in [0, 1), got " + expectedDilution);
    }
    double floor = regime.pdFloor(AssetClass.CORPORATE);
    double scaled = 12.5 * regime.scalingFactor();
    double dilutionK = dilutionRequirement(regime, expectedDilution, dilutionLgd, dilutionMaturityYears,
        tradeExemption, annualSalesEurMillions);
    double dilutionEl = expectedDilution > 0 ? Math.max(expectedDilution, floor) * dilutionLgd * amount : 0;
    double dilutionCapital = dilutionK * amount;
    double ead = defaultEad(amount, dilutionK);
    double flooredPd = Math.max(pd, floor);
    double defaultK = CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, flooredPd, lgd, maturityYears,
        annualSalesEurMillions, !tradeExemption);
    return new PurchasedReceivables(amount, dilutionK, dilutionCapital, scaled * dilutionCapital, ead, defaultK,
        scaled * defaultK * ead, flooredPd * lgd * ead, dilutionEl);
  }

  /**
   * K_D, the dilution capital requirement per unit of the receivables amount (CRE34.8): the
   * corporate function at {@code PD = EL_D} floored by the regime's corporate PD floor, {@code LGD =
   * dilutionLgd} and {@code M = dilutionMaturityYears}; 0 when {@code expectedDilution} is 0.
   */
  static double dilutionRequirement(IrbRegime regime, double expectedDilution, double dilutionLgd,
      double dilutionMaturityYears, boolean tradeExemption, double annualSalesEurMillions) {
    if (!(expectedDilution > 0)) {
      return 0;
    }
    double elD = Math.max(expectedDilution, regime.pdFloor(AssetClass.CORPORATE));
    return CapitalCalculator.capitalRequirement(AssetClass.CORPORATE, elD, dilutionLgd, dilutionMaturityYears,
        annualSalesEurMillions, !tradeExemption);
  }

  /**
   * The EAD for default risk, {@code amount - K_Dilution} (CRE34, "EAD = outstanding amount -
   * K_Dilution"), at least 0: the one formula behind {@link #defaultEad()} and {@link
   * CapitalCalculator#defaultRiskEad}.
   */
  static double defaultEad(double amount, double dilutionK) {
    return Math.max(0, amount - dilutionK * amount);
  }

  /**
   * PD and LGD of a top-down pool whose one-year default EL cannot be split reliably (CRE34.5):
   * exclusively senior claims take the regime's F-IRB unsecured LGD and {@code PD = EL / LGD};
   * otherwise {@code PD = EL} and {@code LGD = 100%}.
   *
   * @return {@code {pd, lgd}}
   */
  public static double[] topDownPdLgd(IrbRegime regime, double poolExpectedLoss, boolean exclusivelySenior) {
    if (!(poolExpectedLoss >= 0 && poolExpectedLoss <= 1)) {
      throw new IllegalArgumentException("pool expected loss: expected a share in [0, 1], got " + poolExpectedLoss);
    }
    if (!exclusivelySenior) {
      return new double[] {poolExpectedLoss, 1.0};
    }
    double lgd = regime.foundationLgd(Collateral.UNSECURED);
    return new double[] {Math.min(1, poolExpectedLoss / lgd), lgd};
  }
}

package io.chainscore.portfolio;

/**
 * IRB capital of purchased receivables (Basel CRE34): default risk on the debtors and dilution
 * risk, the receivable shrinking through credit notes, returns, disputes and discounts.
 *
 * <p>Dilution (CRE34.8): the corporate function at {@code PD = EL_D} (the one-year expected
 * dilution, floored by the corporate PD floor) and {@code LGD = 100%} by default, with maturity
 * {@code M_D} (1 year where the supervisor agrees, which makes the maturity adjustment exactly 1).
 * This holds whatever the receivables' asset class: the reference (CRE34.8-34.9) gives dilution
 * the corporate function, with the same treatment for corporate and retail receivables, so a
 * retail or QRRE pool's dilution charge is the corporate one too.
 *
 * <p>Default risk (CRE34.2-34.7): the function of the receivables' own asset class (bottom-up,
 * "the corporate (or retail) function": corporate, other retail, residential mortgage or QRRE)
 * with that class's PD floor (QRRE 0.10% under Basel III), on {@code EAD = amount - K_Dilution},
 * at the debtors' PD and LGD; the corporate function also takes the receivables' effective
 * maturity, with the one-year floor waived for short-term self-liquidating trade (CRE32.52) when
 * the regime allows it (the retail functions have no maturity term). Expected losses: {@code PD x
 * LGD x EAD} for default and {@code EL_D x amount} for dilution. Worked example: {@code
 * shared/reference/scf-exposures.md}; formulas in {@code docs/portfolio-risk.md}.
 *
 * <p>Thread safety: immutable record; {@link #of} is a pure function of its arguments.
 *
 * @param amount the receivables amount
 * @param dilutionK K per unit of amount for dilution
 * @param dilutionCapital {@code dilutionK x amount} (K_Dilution)
 * @param dilutionRwa {@code 12.5 x scaling x dilutionCapital}
 * @param defaultEad {@code amount - dilutionCapital}
 * @param defaultK K per unit of EAD for default risk, in the receivables' asset class
 * @param defaultRwa {@code 12.5 x scaling x defaultK x defaultEad}
 * @param defaultExpectedLoss {@code PD x LGD x defaultEad}, the PD floored by the asset class's floor
 * @param dilutionExpectedLoss {@code EL_D x amount}, floored EL_D
 */
public record PurchasedReceivables(double amount, double dilutionK, double dilutionCapital, double dilutionRwa,
    double defaultEad, double defaultK, double defaultRwa, double defaultExpectedLoss, double dilutionExpectedLoss) {

  /** Total risk-weighted assets, default plus dilution. */
  public double totalRwa() {
    return defaultRwa + dilutionRwa;
  }

  /**
   * The capital of corporate receivables under {@code regime}: {@link #of(IrbRegime, AssetClass,
   * double, double, double, double, boolean, double, double, double, double)} for {@link
   * AssetClass#CORPORATE}.
   */
  public static PurchasedReceivables of(IrbRegime regime, double amount, double pd, double lgd, double maturityYears,
      boolean tradeExemption, double expectedDilution, double dilutionLgd, double dilutionMaturityYears,
      double annualSalesEurMillions) {
    return of(regime, AssetClass.CORPORATE, amount, pd, lgd, maturityYears, tradeExemption, expectedDilution,
        dilutionLgd, dilutionMaturityYears, annualSalesEurMillions);
  }

  /**
   * The capital of a receivables amount of {@code assetClass} under {@code regime}.
   *
   * @param assetClass the receivables' asset class, whose function and PD floor default risk takes
   *     (dilution takes the corporate function and floor whatever it is)
   * @param pd the debtors' PD (floored by the regime's floor for the asset class)
   * @param lgd the debtors' LGD (e.g. the F-IRB senior purchased-receivables value)
   * @param maturityYears the receivables' effective maturity for default risk (corporate only)
   * @param tradeExemption whether the one-year maturity floor is waived (short-term
   *     self-liquidating trade, CRE32.52)
   * @param expectedDilution the one-year expected dilution EL_D as a share of the amount; 0 where
   *     the supervisor accepts that dilution is immaterial
   * @param dilutionLgd 1 under Basel CRE34.8 and CRR3 (0.75 in the pre-2025 CRR F-IRB)
   * @param dilutionMaturityYears M for dilution (1 where dilution is resolved within a year)
   * @param annualSalesEurMillions the SME adjustment's sales (NaN for none)
   * @throws IllegalArgumentException when an argument is outside its range, naming it
   */
  public static PurchasedReceivables of(IrbRegime regime, AssetClass assetClass, double amount, double pd, double lgd,
      double maturityYears, boolean tradeExemption, double expectedDilution, double dilutionLgd,
      double dilutionMaturityYears, double annualSalesEurMillions) {
    if (assetClass == null) {
      throw new IllegalArgumentException("receivables: asset class is required");
    }
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("receivables amount: expected a finite amount >= 0, got " + amount);
    }
    if (!(expectedDilution >= 0 && expectedDilution < 1)) {
      throw new IllegalArgumentException("expected dilution: expected a share in [0, 1), got " + expectedDilution);
    }
    double scaled = 12.5 * regime.scalingFactor();
    double dilutionK = dilutionRequirement(regime, expectedDilution, dilutionLgd, dilutionMaturityYears,
        tradeExemption, annualSalesEurMillions);
    double dilutionEl = expectedDilution > 0
        ? Math.max(expectedDilution, regime.pdFloor(AssetClass.CORPORATE)) * dilutionLgd * amount : 0;
    double dilutionCapital = dilutionK * amount;
    double ead = defaultEad(amount, dilutionK);
    // bottom-up default risk keeps the receivables' own function and floor (CRE34.2: "the
    // corporate (or retail) function"); a retail pool switched to the corporate one with any dilution
    double flooredPd = Math.max(pd, regime.pdFloor(assetClass));
    double defaultK = CapitalCalculator.capitalRequirement(assetClass, flooredPd, lgd, maturityYears,
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

package io.chainscore.portfolio;

/**
 * Basel IRB asset class of an exposure; it selects the asset-correlation function and whether
 * the maturity adjustment applies.
 *
 * <p>Thread safety: immutable enum.
 */
public enum AssetClass {
  /**
   * Corporate (CRE31.5): PD-dependent correlation between 12% and 24%, maturity adjustment, and
   * the SME firm-size adjustment when annual sales are below EUR 50 million.
   */
  CORPORATE,
  /** Other retail (CRE31.15): correlation between 3% and 16%, no maturity adjustment. */
  OTHER_RETAIL,
  /** Residential mortgage (CRE31.13): correlation 15%, no maturity adjustment. */
  RESIDENTIAL_MORTGAGE,
  /** Qualifying revolving retail (CRE31.14): correlation 4%, no maturity adjustment. */
  QRRE;

  /** Whether the asset class uses the corporate maturity adjustment. */
  public boolean hasMaturityAdjustment() {
    return this == CORPORATE;
  }
}

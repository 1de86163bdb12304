package io.chainscore.portfolio;

import io.chainscore.trade.Sector;

/**
 * One credit exposure of the lender to a supplier, with what the IRB formulas and the portfolio
 * model need; validated on construction.
 *
 * <p>EAD = drawn + ccf x undrawn. An LGD of {@code NaN} means "use the regime's foundation-IRB
 * LGD for the collateral"; a maturity of {@code NaN} means the F-IRB 2.5 years; annual sales of
 * {@code NaN} mean unknown, so no SME firm-size adjustment is applied.
 *
 * <p>Thread safety: immutable.
 *
 * @param supplierId the obligor, non-blank
 * @param anchorId the anchor whose programme the supplier sells into, non-blank
 * @param sector the supplier's sector
 * @param assetClass IRB asset class
 * @param drawn drawn amount in EUR, finite and &gt;= 0
 * @param undrawn committed undrawn amount in EUR, finite and &gt;= 0
 * @param ccf credit conversion factor of the undrawn amount, in [0, 1]
 * @param lgd loss given default in [0, 1], or NaN for the supervisory value
 * @param collateral what secures the exposure
 * @param maturityYears effective maturity in years, &gt; 0, or NaN for 2.5
 * @param annualSalesEurMillions supplier turnover in EUR million, &gt;= 0, or NaN when unknown
 * @param anchorSalesShare the anchor's share of the supplier's sales in [0, 1]; drives the
 *     supplier's loading on the anchor factor and its exposure to anchor contagion
 */
public record Exposure(
    String supplierId,
    String anchorId,
    Sector sector,
    AssetClass assetClass,
    double drawn,
    double undrawn,
    double ccf,
    double lgd,
    Collateral collateral,
    double maturityYears,
    double annualSalesEurMillions,
    double anchorSalesShare) {

  /** Validates every field; messages name the supplier and the field. */
  public Exposure {
    if (supplierId == null || supplierId.isBlank()) {
      throw new IllegalArgumentException("exposure: supplierId is required");
    }
    String who = "exposure " + supplierId + ": ";
    if (anchorId == null || anchorId.isBlank()) {
      throw new IllegalArgumentException(who + "anchorId is required");
    }
    if (sector == null) {
      throw new IllegalArgumentException(who + "sector is required");
    }
    if (assetClass == null) {
      throw new IllegalArgumentException(who + "assetClass is required");
    }
    if (collateral == null) {
      throw new IllegalArgumentException(who + "collateral is required");
    }
    if (!(drawn >= 0) || Double.isInfinite(drawn)) {
      throw new IllegalArgumentException(who + "drawn must be a finite amount >= 0, got " + drawn);
    }
    if (!(undrawn >= 0) || Double.isInfinite(undrawn)) {
      throw new IllegalArgumentException(who + "undrawn must be a finite amount >= 0, got " + undrawn);
    }
    if (!(ccf >= 0 && ccf <= 1)) {
      throw new IllegalArgumentException(who + "ccf must be in [0, 1], got " + ccf);
    }
    if (!Double.isNaN(lgd) && !(lgd >= 0 && lgd <= 1)) {
      throw new IllegalArgumentException(who + "lgd must be in [0, 1] or NaN, got " + lgd);
    }
    if (!Double.isNaN(maturityYears) && !(maturityYears > 0) || Double.isInfinite(maturityYears)) {
      throw new IllegalArgumentException(who + "maturityYears must be > 0 or NaN, got " + maturityYears);
    }
    if (!Double.isNaN(annualSalesEurMillions)
        && (!(annualSalesEurMillions >= 0) || Double.isInfinite(annualSalesEurMillions))) {
      throw new IllegalArgumentException(
          who + "annualSalesEurMillions must be >= 0 or NaN, got " + annualSalesEurMillions);
    }
    if (!(anchorSalesShare >= 0 && anchorSalesShare <= 1)) {
      throw new IllegalArgumentException(who + "anchorSalesShare must be in [0, 1], got " + anchorSalesShare);
    }
  }

  /** Exposure at default: drawn + ccf x undrawn. */
  public double ead() {
    return drawn + ccf * undrawn;
  }

  /** The LGD used for this exposure under a regime: its own estimate, else the supervisory value. */
  public double lgd(IrbRegime regime) {
    return Double.isNaN(lgd) ? regime.foundationLgd(collateral) : lgd;
  }
}

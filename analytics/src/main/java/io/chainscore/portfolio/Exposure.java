package io.chainscore.portfolio;

import io.chainscore.trade.Sector;
import io.chainscore.trade.TradeRecordException;

/**
 * One credit exposure of the lender to a supplier, with what the IRB formulas and the portfolio
 * model need; validated on construction.
 *
 * <p>EAD = drawn + ccf x undrawn. An LGD of {@code NaN} means "use the regime's foundation-IRB
 * LGD for the collateral"; a maturity of {@code NaN} means the F-IRB 2.5 years; annual sales of
 * {@code NaN} mean unknown, so no SME firm-size adjustment is applied.
 *
 * <p>Build one with {@link #builder()}, which names every field; the canonical constructor takes
 * all fifteen in order.
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
 * @param product what the facility finances, which decides the obligor (the anchor for payables
 *     finance)
 * @param expectedDilution the one-year expected dilution as a share of the receivables, in [0, 1),
 *     for purchased receivables only; NaN for none
 * @param tradeMaturityExemption whether the one-year maturity floor is waived: short-term
 *     self-liquidating trade where the regime allows it (CRE32.52); the lender's regime decision,
 *     stored with the exposure
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
    double anchorSalesShare,
    Product product,
    double expectedDilution,
    boolean tradeMaturityExemption) {

  /**
   * The longest maturity taken, in years: beyond any facility a supply-chain lender books, and
   * bounding the lifetime ECL's yearly periods.
   */
  public static final double MAX_MATURITY_YEARS = 100;

  /**
   * Validates every field; a {@link TradeRecordException} names the supplier and the field by its
   * column in the exposures table ({@code maturity_years}, not the component's name), so that a
   * reader of the table reports it as {@code FILE, row N, column maturity_years: ...}.
   */
  public Exposure {
    if (supplierId == null || supplierId.isBlank()) {
      throw new TradeRecordException("exposure", "?", "supplier_id", "is required");
    }
    if (anchorId == null || anchorId.isBlank()) {
      throw new TradeRecordException("exposure", supplierId, "anchor_id", "is required");
    }
    if (sector == null) {
      throw new TradeRecordException("exposure", supplierId, "sector", "is required");
    }
    if (assetClass == null) {
      throw new TradeRecordException("exposure", supplierId, "asset_class", "is required");
    }
    if (collateral == null) {
      throw new TradeRecordException("exposure", supplierId, "collateral", "is required");
    }
    if (!(drawn >= 0) || Double.isInfinite(drawn)) {
      throw new TradeRecordException("exposure", supplierId, "drawn", "must be a finite amount >= 0, got " + drawn);
    }
    if (!(undrawn >= 0) || Double.isInfinite(undrawn)) {
      throw new TradeRecordException("exposure", supplierId, "undrawn", "must be a finite amount >= 0, got " + undrawn);
    }
    if (!(ccf >= 0 && ccf <= 1)) {
      throw new TradeRecordException("exposure", supplierId, "ccf", "must be in [0, 1], got " + ccf);
    }
    if (!Double.isNaN(lgd) && !(lgd >= 0 && lgd <= 1)) {
      throw new TradeRecordException("exposure", supplierId, "lgd",
          "must be in [0, 1] (empty: the regime's supervisory value), got " + lgd);
    }
    if (!Double.isNaN(maturityYears) && !(maturityYears > 0 && maturityYears <= MAX_MATURITY_YEARS)) {
      // capped: the lifetime ECL walks the maturity a year at a time (1e9 years ran out of memory)
      throw new TradeRecordException("exposure", supplierId, "maturity_years",
          "must be above 0 and at most " + (int) MAX_MATURITY_YEARS
          + " years (empty: none given), got " + maturityYears);
    }
    if (!Double.isNaN(annualSalesEurMillions)
        && (!(annualSalesEurMillions >= 0) || Double.isInfinite(annualSalesEurMillions))) {
      throw new TradeRecordException("exposure", supplierId, "annual_sales_eur_m",
          "must be a finite amount >= 0 (empty: not known), got " + annualSalesEurMillions);
    }
    if (!(anchorSalesShare >= 0 && anchorSalesShare <= 1)) {
      throw new TradeRecordException("exposure", supplierId, "anchor_sales_share",
          "must be in [0, 1], got " + anchorSalesShare);
    }
    if (product == null) {
      throw new TradeRecordException("exposure", supplierId, "product", "is required");
    }
    if (!Double.isNaN(expectedDilution)) {
      if (!(expectedDilution >= 0 && expectedDilution < 1)) {
        throw new TradeRecordException("exposure", supplierId, "expected_dilution",
            "must be in [0, 1) (empty: none), got " + expectedDilution);
      }
      if (!product.purchasedReceivables() && expectedDilution > 0) {
        throw new TradeRecordException("exposure", supplierId, "expected_dilution", "applies to purchased receivables"
            + " (receivables_finance, payables_finance), not to " + product.code());
      }
    }
  }

  /** The expected dilution to use: the given share, 0 when none is given. */
  public double dilution() {
    return Double.isNaN(expectedDilution) ? 0.0 : expectedDilution;
  }

  /** A builder; see {@link Builder} for the required fields and the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Exposure at default: drawn + ccf x undrawn. */
  public double ead() {
    return drawn + ccf * undrawn;
  }

  /** The LGD used for this exposure under a regime: its own estimate, else the supervisory value. */
  public double lgd(IrbRegime regime) {
    return Double.isNaN(lgd) ? regime.foundationLgd(collateral) : lgd;
  }

  /**
   * Names the fields of an {@link Exposure}. Required: supplier, anchor, sector, asset class,
   * collateral, drawn amount and the anchor's sales share. Optional: the undrawn amount (default 0;
   * when above 0 the ccf is required too), the LGD, maturity and annual sales (default NaN: the
   * regime's supervisory LGD, 2.5 years, unknown turnover).
   *
   * <p>Thread safety: not thread-safe; {@link #build()} validates and copies into the record.
   */
  public static final class Builder {
    private String supplierId;
    private String anchorId;
    private Sector sector;
    private AssetClass assetClass;
    private Collateral collateral;
    private double drawn = Double.NaN;
    private double undrawn;
    private double ccf = Double.NaN;
    private double lgd = Double.NaN;
    private double maturityYears = Double.NaN;
    private double annualSalesEurMillions = Double.NaN;
    private double anchorSalesShare = Double.NaN;
    private Product product = Product.TERM_LOAN;
    private double expectedDilution = Double.NaN;
    private boolean tradeMaturityExemption;
    private boolean drawnSet;
    private boolean shareSet;

    private Builder() {}

    /** The obligor (required, non-blank). */
    public Builder supplierId(String supplierId) {
      this.supplierId = supplierId;
      return this;
    }

    /** The anchor whose programme the supplier sells into (required, non-blank). */
    public Builder anchorId(String anchorId) {
      this.anchorId = anchorId;
      return this;
    }

    /** The supplier's sector (required). */
    public Builder sector(Sector sector) {
      this.sector = sector;
      return this;
    }

    /** The IRB asset class (required). */
    public Builder assetClass(AssetClass assetClass) {
      this.assetClass = assetClass;
      return this;
    }

    /** What secures the exposure (required). */
    public Builder collateral(Collateral collateral) {
      this.collateral = collateral;
      return this;
    }

    /** Drawn amount in EUR, finite and &gt;= 0 (required). */
    public Builder drawn(double drawn) {
      this.drawn = drawn;
      this.drawnSet = true;
      return this;
    }

    /** Committed undrawn amount in EUR and its credit conversion factor in [0, 1] (default none). */
    public Builder undrawn(double undrawn, double ccf) {
      this.undrawn = undrawn;
      this.ccf = ccf;
      return this;
    }

    /** Loss given default in [0, 1], or NaN for the supervisory value (default NaN). */
    public Builder lgd(double lgd) {
      this.lgd = lgd;
      return this;
    }

    /** Effective maturity in years, &gt; 0, or NaN for 2.5 (default NaN). */
    public Builder maturityYears(double maturityYears) {
      this.maturityYears = maturityYears;
      return this;
    }

    /** Supplier turnover in EUR million, &gt;= 0, or NaN when unknown (default NaN). */
    public Builder annualSalesEurMillions(double annualSalesEurMillions) {
      this.annualSalesEurMillions = annualSalesEurMillions;
      return this;
    }

    /** The anchor's share of the supplier's sales in [0, 1] (required). */
    public Builder anchorSalesShare(double anchorSalesShare) {
      this.anchorSalesShare = anchorSalesShare;
      this.shareSet = true;
      return this;
    }

    /** What the facility finances (default {@link Product#TERM_LOAN}). */
    public Builder product(Product product) {
      this.product = product;
      return this;
    }

    /** One-year expected dilution of purchased receivables in [0, 1), or NaN for none (default NaN). */
    public Builder expectedDilution(double expectedDilution) {
      this.expectedDilution = expectedDilution;
      return this;
    }

    /** Whether the one-year maturity floor is waived as short-term self-liquidating trade (default false). */
    public Builder tradeMaturityExemption(boolean exempt) {
      this.tradeMaturityExemption = exempt;
      return this;
    }

    /**
     * The exposure.
     *
     * @throws IllegalArgumentException naming the supplier and the field that is missing or invalid
     */
    public Exposure build() {
      String who = "exposure " + (supplierId == null ? "(no supplierId)" : supplierId) + ": ";
      if (!drawnSet) {
        throw new IllegalArgumentException(who + "drawn is required");
      }
      if (!shareSet) {
        throw new IllegalArgumentException(who + "anchorSalesShare is required");
      }
      if (undrawn > 0 && Double.isNaN(ccf)) {
        throw new IllegalArgumentException(who + "ccf is required when undrawn > 0");
      }
      // without an undrawn amount the ccf multiplies nothing; 0 keeps the record's validation
      double conversion = Double.isNaN(ccf) && undrawn == 0 ? 0.0 : ccf;
      return new Exposure(supplierId, anchorId, sector, assetClass, drawn, undrawn, conversion, lgd, collateral,
          maturityYears, annualSalesEurMillions, anchorSalesShare, product, expectedDilution, tradeMaturityExemption);
    }
  }
}

package io.chainscore.portfolio;

import java.util.Locale;

/**
 * What a facility finances, which decides who owes it (GSCFF Standard Definitions; {@code
 * shared/reference/scf-exposures.md}): in payables finance the anchor has confirmed the invoice,
 * so the anchor is the obligor; in receivables finance, purchase-order finance and a term loan the
 * supplier is. Receivables finance and payables finance hold purchased receivables, which carry
 * dilution risk besides default risk (Basel CRE34).
 */
public enum Product {
  /** Receivables discounting or factoring: the supplier's receivables, bought or lent against; obligor the supplier. */
  RECEIVABLES_FINANCE("receivables_finance", false, true),
  /** Payables finance (reverse factoring): the supplier's receivable on the anchor, confirmed by it; obligor the anchor. */
  PAYABLES_FINANCE("payables_finance", true, true),
  /** Pre-shipment finance against a buyer's purchase order: obligor the supplier. */
  PURCHASE_ORDER_FINANCE("purchase_order_finance", false, false),
  /** A term loan or credit line to the supplier. */
  TERM_LOAN("term_loan", false, false);

  private final String code;
  private final boolean anchorObligor;
  private final boolean purchasedReceivables;

  Product(String code, boolean anchorObligor, boolean purchasedReceivables) {
    this.code = code;
    this.anchorObligor = anchorObligor;
    this.purchasedReceivables = purchasedReceivables;
  }

  /** The name in tables and reports, such as {@code payables_finance}. */
  public String code() {
    return code;
  }

  /** Whether the anchor, not the supplier, is the obligor whose PD counts. */
  public boolean anchorObligor() {
    return anchorObligor;
  }

  /** Whether the facility holds purchased receivables, which carry dilution risk (CRE34.8). */
  public boolean purchasedReceivables() {
    return purchasedReceivables;
  }

  /**
   * The product named {@code code}.
   *
   * @throws IllegalArgumentException naming the accepted codes
   */
  public static Product parse(String code) {
    for (Product p : values()) {
      if (p.code.equals(code.trim().toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown product '" + code
        + "'; expected receivables_finance, payables_finance, purchase_order_finance or term_loan");
  }
}

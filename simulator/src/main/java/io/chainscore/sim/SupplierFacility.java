package io.chainscore.sim;

import io.chainscore.trade.Anchor;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Supplier;
import java.time.LocalDate;

/**
 * The lender's facility to one simulated supplier at the as-of date, derived from its simulated
 * trade only (no random draw, so adding facilities changed no other table): a receivables-finance
 * line on the programme anchor plus the supplier's open loans.
 *
 * <ul>
 *   <li>annual sales: invoiced amount in the 365 days up to and including the as-of date (the
 *       declared turnover when nothing was invoiced), in EUR millions;
 *   <li>anchor sales share: the programme anchor's share of that invoiced amount (0 without sales);
 *   <li>drawn: {@value #ADVANCE_RATE} of the receivables the anchor owes at the as-of date
 *       (invoices to the anchor issued by then, not paid by then, less returns) plus what is still
 *       due on the supplier's loan instalments (not repaid by the as-of date), to the cent;
 *   <li>limit: the larger of drawn and {@value #LIMIT_SHARE} of annual sales (to the cent);
 *       undrawn = limit - drawn;
 *   <li>ccf {@value #CCF}, lgd none (NaN: the regime's supervisory value for receivables
 *       collateral), maturity {@value #MATURITY_YEARS} year, asset class corporate.
 * </ul>
 *
 * @param supplierId the supplier
 * @param anchorId its programme anchor
 * @param sector the supplier's sector code
 * @param drawn amount drawn at the as-of date
 * @param undrawn committed but undrawn amount
 * @param ccf credit conversion factor of the undrawn amount
 * @param lgd loss given default, NaN for the supervisory value
 * @param collateral collateral code ({@code receivables})
 * @param maturityYears effective maturity in years
 * @param annualSalesEurMillions trailing twelve-month sales in EUR millions
 * @param anchorSalesShare the anchor's share of those sales, in [0, 1]
 *
 * <p>Thread safety: immutable.
 */
public record SupplierFacility(
    String supplierId,
    String anchorId,
    String sector,
    double drawn,
    double undrawn,
    double ccf,
    double lgd,
    String collateral,
    double maturityYears,
    double annualSalesEurMillions,
    double anchorSalesShare) {
  /** Share of the anchor's open receivables the lender advances. */
  public static final double ADVANCE_RATE = 0.8;
  /** Facility limit as a share of annual sales. */
  public static final double LIMIT_SHARE = 0.2;
  /** Credit conversion factor of the undrawn line. */
  public static final double CCF = 0.4;
  /** Effective maturity of the line in years. */
  public static final double MATURITY_YEARS = 1.0;

  /** The facility of {@code history}'s supplier at {@code asOf}. */
  public static SupplierFacility of(SupplierHistory history, LocalDate asOf) {
    Supplier s = history.supplier();
    LocalDate yearStart = asOf.minusDays(365);
    double sales = 0;
    double anchorSales = 0;
    double anchorReceivables = 0;
    for (Invoice inv : history.invoices()) {
      if (inv.issueDate().isAfter(asOf)) {
        continue;
      }
      boolean anchor = inv.buyerId().equals(s.anchorId());
      if (inv.issueDate().isAfter(yearStart)) {
        sales += inv.amount();
        if (anchor) {
          anchorSales += inv.amount();
        }
      }
      boolean open = inv.paidDate() == null || inv.paidDate().isAfter(asOf);
      if (anchor && open) {
        anchorReceivables += inv.amount() - inv.returnedAmount();
      }
    }
    double loansDue = 0;
    for (Loan loan : history.loans()) {
      for (Instalment i : loan.instalments()) {
        boolean repaid = i.repaidDate() != null && !i.repaidDate().isAfter(asOf);
        if (!repaid) {
          loansDue += i.amountDue();
        } else if (i.amountRepaid() < i.amountDue()) {
          loansDue += i.amountDue() - i.amountRepaid();
        }
      }
    }
    double drawn = cents(ADVANCE_RATE * anchorReceivables + loansDue);
    double annualSales = sales > 0 ? sales : s.declaredAnnualTurnover();
    double limit = Math.max(drawn, cents(LIMIT_SHARE * annualSales));
    double share = sales > 0 ? anchorSales / sales : 0.0;
    return new SupplierFacility(s.id(), s.anchorId(), s.sector().code(), drawn, cents(limit - drawn), CCF,
        Double.NaN, "receivables", MATURITY_YEARS, annualSales / 1e6, Math.min(1.0, share));
  }

  /**
   * The simulator's probability of default of an anchor over one year, by size (annual revenue):
   * 0.3% from 20 bn, 0.5% from 10 bn, 0.8% from 5 bn, 1.2% below. Large anchors are investment
   * grade; these are the anchor PDs {@code chainscore generate} writes for the portfolio model.
   */
  public static double anchorPd(Anchor anchor) {
    double revenue = anchor.annualRevenue();
    return revenue >= 2e10 ? 0.003 : revenue >= 1e10 ? 0.005 : revenue >= 5e9 ? 0.008 : 0.012;
  }

  private static double cents(double amount) {
    return Math.round(amount * 100) / 100.0;
  }
}

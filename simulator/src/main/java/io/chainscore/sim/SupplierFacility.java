package io.chainscore.sim;

import io.chainscore.trade.Anchor;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Supplier;
import java.time.LocalDate;

/**
 * The lender's facility to one simulated supplier at the as-of date, derived from its simulated
 * trade only (no random draw, so adding facilities changed no other table): a line on the programme
 * anchor's receivables plus the supplier's open loans, booked as one of three products.
 *
 * <ul>
 *   <li>annual sales: invoiced amount in the 365 days up to and including the as-of date (the
 *       declared turnover when nothing was invoiced), in EUR millions;
 *   <li>anchor sales share: the programme anchor's share of that invoiced amount (0 without sales);
 *   <li>drawn: {@value #ADVANCE_RATE} of the receivables the anchor owes at the as-of date
 *       (invoices to the anchor issued by then, not paid by then, less the credit notes booked by
 *       then) plus what is still
 *       due on the supplier's loan instalments (not repaid by the as-of date), to the cent;
 *   <li>limit: the larger of drawn and {@value #LIMIT_SHARE} of annual sales (to the cent);
 *       undrawn = limit - drawn;
 *   <li>ccf {@value #CCF}, lgd none (NaN: the regime's supervisory value for receivables
 *       collateral), asset class corporate;
 *   <li>product: {@code term_loan} when the open loans exceed the advance on the anchor's
 *       receivables (maturity: the last open instalment's due date, at least a day; no trade
 *       exemption); otherwise {@code payables_finance} when the anchor runs a payables programme
 *       (the caller says; the generator's rule: investment-grade anchors, {@link #anchorPd} 0.3%),
 *       with no dilution (the confirming anchor waived disputes and set-off), else {@code
 *       receivables_finance} with an expected dilution equal to the credit notes booked in the 365
 *       days to the as-of date over the amount invoiced in them (point in time: never an
 *       invoice's final returned amount); for both, the maturity is the EAD-weighted
 *       remaining term to the due dates of the open anchor invoices (overdue ones count a day; 90
 *       days when none is open) and the one-year maturity floor is waived as short-term
 *       self-liquidating trade (the lender's regime choice, recorded per exposure).
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
 * @param product {@code receivables_finance}, {@code payables_finance} or {@code term_loan}
 * @param expectedDilution one-year expected dilution as a share of the receivables; NaN for none
 * @param tradeMaturityExemption whether the one-year maturity floor is waived
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
    double anchorSalesShare,
    String product,
    double expectedDilution,
    boolean tradeMaturityExemption) {
  /** Share of the anchor's open receivables the lender advances. */
  public static final double ADVANCE_RATE = 0.8;
  /** Facility limit as a share of annual sales. */
  public static final double LIMIT_SHARE = 0.2;
  /** Credit conversion factor of the undrawn line. */
  public static final double CCF = 0.4;
  /** Maturity of a trade line with no open anchor invoice, in years (90 days). */
  public static final double IDLE_TRADE_MATURITY_YEARS = 90 / 365.0;
  /** The anchor PD at and below which the generator's anchors run a payables-finance programme. */
  public static final double PAYABLES_PROGRAMME_MAX_ANCHOR_PD = 0.003;

  /** The facility of {@code history}'s supplier at {@code asOf}, with no payables programme. */
  public static SupplierFacility of(SupplierHistory history, LocalDate asOf) {
    return of(history, asOf, false);
  }

  /**
   * The facility of {@code history}'s supplier at {@code asOf}.
   *
   * @param payablesProgramme whether the supplier's anchor confirms its invoices for payables finance
   */
  public static SupplierFacility of(SupplierHistory history, LocalDate asOf, boolean payablesProgramme) {
    Supplier s = history.supplier();
    LocalDate yearStart = asOf.minusDays(365);
    double sales = 0;
    double anchorSales = 0;
    double anchorReceivables = 0;
    double returned = 0;
    double termWeighted = 0;
    // What is known at the as-of date: credit notes booked by then (the invoice's own returned
    // amount is its final outcome, known only later).
    java.util.Map<String, Double> creditedByInvoice = new java.util.HashMap<>();
    for (io.chainscore.trade.TradeEvents.CreditNote c : history.events().creditNotes()) {
      if (!c.bookingDate().isAfter(asOf)) {
        creditedByInvoice.merge(c.invoiceId(), c.amount(), Double::sum);
        if (c.bookingDate().isAfter(yearStart)) {
          returned += c.amount();
        }
      }
    }
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
        double owed = Math.max(0, inv.amount() - creditedByInvoice.getOrDefault(inv.invoiceId(), 0.0));
        anchorReceivables += owed;
        termWeighted += owed * Math.max(1, java.time.temporal.ChronoUnit.DAYS.between(asOf, inv.dueDate()));
      }
    }
    double loansDue = 0;
    LocalDate lastDue = asOf;
    for (Loan loan : history.loans()) {
      for (Instalment i : loan.instalments()) {
        boolean repaid = i.repaidDate() != null && !i.repaidDate().isAfter(asOf);
        double left = !repaid ? i.amountDue() : Math.max(0, i.amountDue() - i.amountRepaid());
        if (left > 0) {
          loansDue += left;
          if (i.dueDate().isAfter(lastDue)) {
            lastDue = i.dueDate();
          }
        }
      }
    }
    double drawn = cents(ADVANCE_RATE * anchorReceivables + loansDue);
    double annualSales = sales > 0 ? sales : s.declaredAnnualTurnover();
    double limit = Math.max(drawn, cents(LIMIT_SHARE * annualSales));
    double share = sales > 0 ? anchorSales / sales : 0.0;
    String product;
    double maturity;
    double dilution = Double.NaN;
    boolean exemption;
    if (loansDue > ADVANCE_RATE * anchorReceivables) {
      product = "term_loan";
      maturity = Math.max(1, java.time.temporal.ChronoUnit.DAYS.between(asOf, lastDue)) / 365.0;
      exemption = false;
    } else {
      product = payablesProgramme ? "payables_finance" : "receivables_finance";
      maturity = anchorReceivables > 0 ? termWeighted / anchorReceivables / 365.0 : IDLE_TRADE_MATURITY_YEARS;
      if (!payablesProgramme) {
        dilution = sales > 0 ? Math.min(0.5, returned / sales) : 0.0;
      }
      exemption = true;
    }
    return new SupplierFacility(s.id(), s.anchorId(), s.sector().code(), drawn, cents(limit - drawn), CCF,
        Double.NaN, "receivables", maturity, annualSales / 1e6, Math.min(1.0, share), product, dilution, exemption);
  }

  /** Whether the generator's {@code anchor} runs a payables-finance programme (see the class comment). */
  public static boolean runsPayablesProgramme(Anchor anchor) {
    return anchorPd(anchor) <= PAYABLES_PROGRAMME_MAX_ANCHOR_PD;
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

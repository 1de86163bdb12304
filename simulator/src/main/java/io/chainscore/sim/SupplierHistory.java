package io.chainscore.sim;

import io.chainscore.trade.DefaultLabel;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Supplier;
import io.chainscore.trade.TradeEvents;
import java.util.List;

/**
 * Everything the simulator produces for one supplier: its static record, its invoices in issue
 * order, its loans in drawdown order and its default label at the as-of date.
 *
 * @param supplier the supplier
 * @param invoices invoices issued up to the as-of date, payments after it not yet known
 * @param loans financing drawn up to the as-of date, repayments after it not yet known
 * @param label default within twelve months after the as-of date, with the true PD
 * @param events the invoices' dated events known at the as-of date (credit notes booked,
 *     disputes opened, deliveries made by then), in date order
 */
public record SupplierHistory(
    Supplier supplier, List<Invoice> invoices, List<Loan> loans, DefaultLabel label, TradeEvents events) {
  /** A history without dated events. */
  public SupplierHistory(Supplier supplier, List<Invoice> invoices, List<Loan> loans, DefaultLabel label) {
    this(supplier, invoices, loans, label, TradeEvents.NONE);
  }
}

package io.chainscore.sim;

import io.chainscore.trade.DefaultLabel;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Supplier;
import java.util.List;

/**
 * Everything the simulator produces for one supplier: its static record, its invoices in issue
 * order, its loans in drawdown order and its default label at the as-of date.
 *
 * @param supplier the supplier
 * @param invoices invoices issued up to the as-of date, payments after it not yet known
 * @param loans financing drawn up to the as-of date, repayments after it not yet known
 * @param label default within twelve months after the as-of date, with the true PD
 */
public record SupplierHistory(
    Supplier supplier, List<Invoice> invoices, List<Loan> loans, DefaultLabel label) {}

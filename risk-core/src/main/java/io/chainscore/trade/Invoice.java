package io.chainscore.trade;

import java.time.LocalDate;

/**
 * A trade invoice from a supplier to a buyer, with its delivery, dilution and payment outcome.
 *
 * <p>The invoice is open until {@code paidDate}; an invoice without a payment has
 * {@code paidDate == null} and {@code paidAmount == 0}. Returns and credit notes reduce what the
 * buyer owes: {@code paidAmount} may not exceed {@code amount - returnedAmount} by more than
 * {@link TradeRules#CENT_TOLERANCE}.
 *
 * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
 *
 * @param invoiceId unique invoice id
 * @param supplierId the issuing supplier
 * @param buyerId the buyer, usually an anchor
 * @param issueDate date of issue
 * @param dueDate date payment is due (issue date plus payment terms); not before the issue date
 * @param amount invoiced amount, greater than zero
 * @param deliveredOnTime whether the goods arrived by the agreed date
 * @param returnedAmount returned or credit-noted amount, between zero and {@code amount}
 * @param disputed whether the buyer disputed the invoice
 * @param paidDate date the buyer paid, or {@code null} while unpaid; not before the issue date
 * @param paidAmount amount paid, zero while unpaid
 */
public record Invoice(
    String invoiceId,
    String supplierId,
    String buyerId,
    LocalDate issueDate,
    LocalDate dueDate,
    double amount,
    boolean deliveredOnTime,
    double returnedAmount,
    boolean disputed,
    LocalDate paidDate,
    double paidAmount) {
  private static final String TYPE = "invoice";

  /** Validates every field and the rules between them. */
  public Invoice {
    Checks.id(TYPE, "invoice_id", invoiceId);
    String id = invoiceId;
    Checks.id(TYPE, "supplier_id", supplierId);
    Checks.id(TYPE, "buyer_id", buyerId);
    Checks.date(TYPE, id, "issue_date", issueDate);
    Checks.date(TYPE, id, "due_date", dueDate);
    if (dueDate.isBefore(issueDate)) {
      throw new TradeRecordException(
          TYPE, id, "due_date", dueDate + " is before issue_date " + issueDate);
    }
    Money.requirePositive(TYPE, id, "amount", amount);
    Money.requireAmount(TYPE, id, "returned_amount", returnedAmount);
    if (returnedAmount > amount + TradeRules.CENT_TOLERANCE) {
      throw new TradeRecordException(
          TYPE, id, "returned_amount", returnedAmount + " exceeds the invoiced amount " + amount);
    }
    Checks.optionalDate(TYPE, id, "paid_date", paidDate);
    Money.requireAmount(TYPE, id, "paid_amount", paidAmount);
    if (paidDate == null && paidAmount != 0) {
      throw new TradeRecordException(
          TYPE, id, "paid_amount", "is " + paidAmount + " but paid_date is missing");
    }
    if (paidDate != null && paidDate.isBefore(issueDate)) {
      throw new TradeRecordException(
          TYPE, id, "paid_date", paidDate + " is before issue_date " + issueDate);
    }
    if (paidAmount > amount - returnedAmount + TradeRules.CENT_TOLERANCE) {
      throw new TradeRecordException(
          TYPE,
          id,
          "paid_amount",
          paidAmount + " exceeds the amount owed " + (amount - returnedAmount)
              + " (amount less returns)");
    }
  }

  /** Whether the invoice is still unpaid at the end of {@code asOf}: unpaid, or paid after it. */
  public boolean isOpenAt(LocalDate asOf) {
    return !issueDate.isAfter(asOf) && (paidDate == null || paidDate.isAfter(asOf));
  }
}

package io.chainscore.trade;

import java.time.LocalDate;

/**
 * A trade invoice from a supplier to a buyer, with its delivery, dilution and payment outcome.
 *
 * <p>The invoice is open until {@code paidDate}; an invoice without a payment has
 * {@code paidDate == null} and {@code paidAmount == 0}. Returns and credit notes reduce what the
 * buyer owes: {@code paidAmount} may not exceed {@code amount - returnedAmount} by more than
 * {@link Money#CENT_TOLERANCE}.
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
    Checks.id(TYPE, "invoiceId", invoiceId);
    String id = invoiceId;
    Checks.id(TYPE, "supplierId", supplierId);
    Checks.id(TYPE, "buyerId", buyerId);
    Checks.date(TYPE, id, "issueDate", issueDate);
    Checks.date(TYPE, id, "dueDate", dueDate);
    if (dueDate.isBefore(issueDate)) {
      throw new TradeRecordException(
          TYPE, id, "dueDate", dueDate + " is before issueDate " + issueDate);
    }
    Money.requirePositive(TYPE, id, "amount", amount);
    Money.requireAmount(TYPE, id, "returnedAmount", returnedAmount);
    if (returnedAmount > amount + Money.CENT_TOLERANCE) {
      throw new TradeRecordException(
          TYPE, id, "returnedAmount", returnedAmount + " exceeds the invoiced amount " + amount);
    }
    Checks.optionalDate(TYPE, id, "paidDate", paidDate);
    Money.requireAmount(TYPE, id, "paidAmount", paidAmount);
    if (paidDate == null && paidAmount != 0) {
      throw new TradeRecordException(
          TYPE, id, "paidAmount", "is " + paidAmount + " but paidDate is missing");
    }
    if (paidDate != null && paidDate.isBefore(issueDate)) {
      throw new TradeRecordException(
          TYPE, id, "paidDate", paidDate + " is before issueDate " + issueDate);
    }
    if (paidAmount > amount - returnedAmount + Money.CENT_TOLERANCE) {
      throw new TradeRecordException(
          TYPE,
          id,
          "paidAmount",
          paidAmount + " exceeds the amount owed " + (amount - returnedAmount)
              + " (amount less returns)");
    }
  }

  /** Whether the invoice is still unpaid at the end of {@code asOf}: unpaid, or paid after it. */
  public boolean isOpenAt(LocalDate asOf) {
    return !issueDate.isAfter(asOf) && (paidDate == null || paidDate.isAfter(asOf));
  }
}

package io.chainscore.trade;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * One scheduled repayment of a {@link Loan}.
 *
 * <p>An instalment is settled on {@code repaidDate}, the day its last payment arrived; a partly
 * repaid instalment counts as unpaid, and an unpaid one has {@code repaidDate == null}.
 *
 * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
 *
 * @param dueDate date the instalment is due
 * @param amountDue principal plus interest due, greater than zero
 * @param repaidDate date it was settled, or {@code null} while unpaid
 * @param amountRepaid amount repaid, at most {@code amountDue} (plus half a cent)
 */
public record Instalment(LocalDate dueDate, double amountDue, LocalDate repaidDate, double amountRepaid) {
  private static final String TYPE = "instalment";

  /** Validates every field; the loan id is added to messages by {@link Loan}. */
  public Instalment {
    String id = String.valueOf(dueDate);
    Checks.date(TYPE, id, "due_date", dueDate);
    Money.requirePositive(TYPE, id, "amount_due", amountDue);
    Checks.optionalDate(TYPE, id, "repaid_date", repaidDate);
    Money.requireAmount(TYPE, id, "amount_repaid", amountRepaid);
    if (amountRepaid > amountDue + TradeRules.CENT_TOLERANCE) {
      throw new TradeRecordException(
          TYPE, id, "amount_repaid", amountRepaid + " is larger than the amount due " + amountDue);
    }
    if (repaidDate == null && amountRepaid != 0) {
      throw new TradeRecordException(
          TYPE, id, "amount_repaid", "is " + amountRepaid + " but repaid_date is missing");
    }
  }

  /** Whether the full amount due was repaid by the end of {@code asOf}. */
  public boolean isSettledBy(LocalDate asOf) {
    return repaidDate != null
        && !repaidDate.isAfter(asOf)
        && amountRepaid >= amountDue - TradeRules.CENT_TOLERANCE;
  }

  /**
   * Days past due at the end of {@code asOf}: zero before the due date or once settled on or before
   * it, otherwise days from the due date to the settlement date or to {@code asOf} if still open.
   */
  public long daysPastDueAt(LocalDate asOf) {
    if (!asOf.isAfter(dueDate)) {
      return 0;
    }
    if (isSettledBy(asOf)) {
      return Math.max(0, ChronoUnit.DAYS.between(dueDate, repaidDate));
    }
    return ChronoUnit.DAYS.between(dueDate, asOf);
  }
}

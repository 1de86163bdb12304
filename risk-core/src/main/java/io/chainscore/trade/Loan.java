package io.chainscore.trade;

import java.time.LocalDate;
import java.util.List;

/**
 * Financing extended to a supplier (receivables finance or a term loan) with its repayment
 * schedule.
 *
 * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
 *
 * @param loanId unique loan id
 * @param supplierId the borrowing supplier
 * @param drawdownDate date the funds were drawn
 * @param amount principal drawn, greater than zero
 * @param instalments the schedule, at least one, due dates strictly increasing and after the
 *     drawdown; the list is copied
 */
public record Loan(
    String loanId, String supplierId, LocalDate drawdownDate, double amount, List<Instalment> instalments) {
  private static final String TYPE = "loan";

  /** Validates every field and the schedule. */
  public Loan {
    Checks.id(TYPE, "loan_id", loanId);
    String id = loanId;
    Checks.id(TYPE, "supplier_id", supplierId);
    Checks.date(TYPE, id, "drawdown_date", drawdownDate);
    Money.requirePositive(TYPE, id, "amount", amount);
    Checks.required(TYPE, id, "instalments", instalments);
    if (instalments.isEmpty()) {
      throw new TradeRecordException(TYPE, id, "instalments", "must hold at least one instalment");
    }
    instalments = List.copyOf(instalments);
    LocalDate previous = drawdownDate;
    for (int i = 0; i < instalments.size(); i++) {
      Instalment instalment = instalments.get(i);
      if (!instalment.dueDate().isAfter(previous)) {
        throw new TradeRecordException(
            TYPE,
            id,
            "instalments[" + i + "].due_date",
            instalment.dueDate() + " must be after "
                + (i == 0 ? "the drawdown date " : "the previous due date ") + previous);
      }
      if (instalment.repaidDate() != null && instalment.repaidDate().isBefore(drawdownDate)) {
        throw new TradeRecordException(
            TYPE,
            id,
            "instalments[" + i + "].repaid_date",
            instalment.repaidDate() + " is before the drawdown date " + drawdownDate);
      }
      previous = instalment.dueDate();
    }
  }

  /**
   * Principal outstanding at the end of {@code asOf}: the amount drawn less the share of principal
   * in settled instalments, zero before the drawdown.
   *
   * <p>Principal is allocated to instalments in proportion to their amount due, so interest never
   * reduces the outstanding balance.
   */
  public double outstandingAt(LocalDate asOf) {
    if (asOf.isBefore(drawdownDate)) {
      return 0;
    }
    double totalDue = 0;
    double settledDue = 0;
    for (Instalment instalment : instalments) {
      totalDue += instalment.amountDue();
      if (instalment.isSettledBy(asOf)) {
        settledDue += instalment.amountDue();
      }
    }
    return amount * (1 - settledDue / totalDue);
  }
}

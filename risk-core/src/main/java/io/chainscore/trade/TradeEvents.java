package io.chainscore.trade;

import java.time.LocalDate;
import java.util.List;

/**
 * The dated events of a supplier's invoices that the features read point in time: credit notes
 * from their booking date, disputes from their opening date, deliveries from their actual date.
 * (The invoice's own {@code returnedAmount}, {@code disputed} and {@code deliveredOnTime} are the
 * outcomes as finally known, which leaks the future; the features do not read them.)
 *
 * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
 *
 * @param creditNotes credit notes, any order
 * @param disputes disputes, any order
 * @param deliveries deliveries made, any order
 */
public record TradeEvents(List<CreditNote> creditNotes, List<Dispute> disputes, List<Delivery> deliveries) {
  /** No events at all: no credit notes, no disputes, no delivery made. */
  public static final TradeEvents NONE = new TradeEvents(List.of(), List.of(), List.of());

  /** Copies the lists. */
  public TradeEvents {
    creditNotes = List.copyOf(creditNotes);
    disputes = List.copyOf(disputes);
    deliveries = List.copyOf(deliveries);
  }

  /**
   * A credit note against an invoice (goods returned, a price adjustment), known from its booking
   * date on: the features of an as-of date D see only credit notes booked on or before D.
   *
   * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
   *
   * @param creditNoteId unique credit-note id
   * @param invoiceId the invoice it credits
   * @param supplierId the invoice's supplier
   * @param bookingDate date the credit note was booked in the ledger
   * @param amount credited amount, greater than zero
   * @param reason why (for example {@code return}, {@code quality}, {@code price}); free text
   */
  public record CreditNote(
      String creditNoteId, String invoiceId, String supplierId, LocalDate bookingDate, double amount, String reason) {
    private static final String TYPE = "credit_note";

    /** Validates every field. */
    public CreditNote {
      Checks.id(TYPE, "credit_note_id", creditNoteId);
      Checks.id(TYPE, "invoice_id", invoiceId);
      Checks.id(TYPE, "supplier_id", supplierId);
      Checks.date(TYPE, creditNoteId, "booking_date", bookingDate);
      Money.requirePositive(TYPE, creditNoteId, "amount", amount);
      Checks.text(TYPE, creditNoteId, "reason", reason);
    }
  }

  /**
   * A buyer's dispute of an invoice, known from the day it was opened: the features of an as-of
   * date D count it only when opened on or before D.
   *
   * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
   *
   * @param invoiceId the disputed invoice
   * @param supplierId the invoice's supplier
   * @param openedDate date the dispute was opened
   * @param resolvedDate date it was resolved, or {@code null} while open; not before the opening
   */
  public record Dispute(String invoiceId, String supplierId, LocalDate openedDate, LocalDate resolvedDate) {
    private static final String TYPE = "dispute";

    /** Validates every field. */
    public Dispute {
      Checks.id(TYPE, "invoice_id", invoiceId);
      Checks.id(TYPE, "supplier_id", supplierId);
      Checks.date(TYPE, invoiceId, "opened_date", openedDate);
      Checks.optionalDate(TYPE, invoiceId, "resolved_date", resolvedDate);
      if (resolvedDate != null && resolvedDate.isBefore(openedDate)) {
        throw new TradeRecordException(
            TYPE, invoiceId, "resolved_date", resolvedDate + " is before opened_date " + openedDate);
      }
    }
  }

  /**
   * The delivery of an invoice's goods, known from its actual date on: on time when {@code
   * actualDate <= promisedDate}. A delivery not made yet is not a record.
   *
   * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
   *
   * @param invoiceId the invoice delivered
   * @param supplierId the invoice's supplier
   * @param promisedDate the agreed delivery date
   * @param actualDate the date the goods arrived
   */
  public record Delivery(String invoiceId, String supplierId, LocalDate promisedDate, LocalDate actualDate) {
    private static final String TYPE = "delivery";

    /** Validates every field. */
    public Delivery {
      Checks.id(TYPE, "invoice_id", invoiceId);
      Checks.id(TYPE, "supplier_id", supplierId);
      Checks.date(TYPE, invoiceId, "promised_date", promisedDate);
      Checks.date(TYPE, invoiceId, "actual_date", actualDate);
    }

    /** Whether the goods arrived by the promised date. */
    public boolean onTime() {
      return !actualDate.isAfter(promisedDate);
    }
  }
}

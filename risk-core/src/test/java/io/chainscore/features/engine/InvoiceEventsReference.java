package io.chainscore.features.engine;

import io.chainscore.trade.TradeRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The map-based event join that {@link InvoiceEvents} replaced (HashMap of String keys, an object
 * per entry and per report), kept as the reference its compact arrays are tested against.
 *
 * <p>The credit notes and disputes known at the as-of date D, by invoice: what a reader joins onto
 * the invoices it feeds the engine ({@link InvoiceColumns#returnedAmount} = the credit notes booked
 * on or before D, {@link InvoiceColumns#disputed} = a dispute opened on or before D). Events
 * booked after D are dropped as they are added, so nothing after D reaches a feature.
 *
 * <p>An event names its invoice and its supplier; it applies to the invoice with that id of that
 * supplier. Events that no invoice claimed by the end are reported by {@link #reportUnclaimed}
 * with field {@code invoice_id}. Several credit notes of one invoice are summed in the order added.
 *
 * <p>Memory: one entry per invoice with an event booked by D (a few percent of the invoices).
 *
 * <p>Thread safety: none; one reader thread fills and queries it.
 */
final class InvoiceEventsReference {
  /**
   * The events of one invoice of one supplier. The reports of its events are kept as given and
   * their messages written only if no invoice claims them (most are claimed), so an entry costs
   * tens of bytes, not a message per event.
   */
  private static final class Entry {
    double credited;
    boolean disputed;
    boolean claimed;
    String invoiceId;
    String supplierId;
    BadRecord first;
    List<BadRecord> more;

    void add(BadRecord report, String invoiceId, String supplierId) {
      if (first == null) {
        first = report;
        this.invoiceId = invoiceId;
        this.supplierId = supplierId;
      } else {
        if (more == null) {
          more = new ArrayList<>(2);
        }
        more.add(report);
      }
    }
  }

  private final int asOfDay;
  private final Map<String, Entry> byInvoice = new HashMap<>();

  /** Events known at the end of epoch day {@code asOfDay}. */
  InvoiceEventsReference(int asOfDay) {
    this.asOfDay = asOfDay;
  }

  /** The rule of a credit note's amount (a finite amount above zero), or null when it holds. */
  public static TradeRules.Violation creditNoteAmount(double amount) {
    return amount > 0 && amount <= TradeRules.MAX_AMOUNT ? null : new TradeRules.Violation(TradeRules.AMOUNT,
        amount + " must be a finite amount in (0, " + TradeRules.MAX_AMOUNT + "]");
  }

  /**
   * The rule between a dispute's dates (resolved, when given, not before opened), or null when it
   * holds; {@code resolvedDay} is {@code Integer.MIN_VALUE} when the dispute is open.
   */
  public static TradeRules.Violation disputeDates(int openedDay, int resolvedDay) {
    return resolvedDay == Integer.MIN_VALUE || resolvedDay >= openedDay ? null : new TradeRules.Violation(
        "resolved_date", Days.describe(resolvedDay) + " is before opened_date " + Days.describe(openedDay));
  }

  private static String key(String invoiceId, int supplier) {
    // A NUL never occurs in an id (every reader refuses it), so the key is unambiguous.
    return supplier + "\u0000" + invoiceId;
  }

  /**
   * Adds a credit note of {@code amount} against invoice {@code invoiceId} of supplier index {@code
   * supplier}, booked on {@code bookingDay}; ignored when booked after D.
   *
   * @param report the record to quarantine (table, row, id) should no invoice claim it; its field
   *     and reason are filled in here
   */
  public void creditNote(String invoiceId, int supplier, String supplierId, int bookingDay, double amount,
      BadRecord report) {
    if (bookingDay > asOfDay) {
      return;
    }
    Entry e = byInvoice.computeIfAbsent(key(invoiceId, supplier), k -> new Entry());
    e.credited += amount;
    e.add(report, invoiceId, supplierId);
  }

  /** Adds a dispute of invoice {@code invoiceId} of supplier {@code supplier} opened on {@code openedDay}; ignored when opened after D. */
  public void dispute(String invoiceId, int supplier, String supplierId, int openedDay, BadRecord report) {
    if (openedDay > asOfDay) {
      return;
    }
    Entry e = byInvoice.computeIfAbsent(key(invoiceId, supplier), k -> new Entry());
    e.disputed = true;
    e.add(report, invoiceId, supplierId);
  }

  private static BadRecord unclaimed(BadRecord r, String invoiceId, String supplierId) {
    return new BadRecord(r.table(), r.row(), r.recordId(), TradeRules.INVOICE_ID,
        TradeRules.quoted(invoiceId) + " is not an invoice of supplier " + TradeRules.quoted(supplierId));
  }

  /** Whether there are no events at all. */
  public boolean isEmpty() {
    return byInvoice.isEmpty();
  }

  /** Whether invoice {@code invoiceId} of supplier {@code supplier} has events known at D. */
  public boolean hasEvents(String invoiceId, int supplier) {
    return byInvoice.containsKey(key(invoiceId, supplier));
  }


  /**
   * Sets row {@code row} of {@code chunk} (invoice {@code invoiceId} of supplier {@code supplier})
   * to the credit notes and dispute known at D, and marks its events claimed.
   */
  public void fill(InvoiceColumns chunk, int row, String invoiceId, int supplier) {
    Entry e = byInvoice.get(key(invoiceId, supplier));
    if (e == null) {
      chunk.returnedAmount[row] = 0.0;
      chunk.disputed[row] = false;
      return;
    }
    e.claimed = true;
    chunk.returnedAmount[row] = e.credited;
    chunk.disputed[row] = e.disputed;
  }

  /** Reports every event no invoice claimed, in the order they were added per invoice. */
  public void reportUnclaimed(Consumer<BadRecord> quarantine) {
    List<BadRecord> all = new ArrayList<>();
    for (Entry e : byInvoice.values()) {
      if (!e.claimed) {
        all.add(unclaimed(e.first, e.invoiceId, e.supplierId));
        if (e.more != null) {
          for (BadRecord r : e.more) {
            all.add(unclaimed(r, e.invoiceId, e.supplierId));
          }
        }
      }
    }
    all.sort((x, y) -> x.table().equals(y.table()) ? Long.compare(x.row(), y.row()) : x.table().compareTo(y.table()));
    all.forEach(quarantine);
  }
}

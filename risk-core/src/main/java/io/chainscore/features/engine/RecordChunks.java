package io.chainscore.features.engine;

import io.chainscore.trade.TradeEvents.CreditNote;
import io.chainscore.trade.TradeEvents.Delivery;
import io.chainscore.trade.TradeEvents.Dispute;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Supplier;
import io.chainscore.trade.TradeEvents;
import io.chainscore.trade.TradeRules;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feeds trade records to a {@link FeatureEngine} as columnar chunks, checking the rules between
 * records ({@link TradeRules}) on the way.
 */
public final class RecordChunks {
  static final int CHUNK = 4096;

  private RecordChunks() {}

  /**
   * Builds the static table of {@code suppliers}; buyer and region indexes come from the maps,
   * a region missing from {@code regionIndex} is -1 (unknown).
   */
  public static SupplierTable table(
      List<Supplier> suppliers, Map<String, Integer> buyerIndex, Map<String, Integer> regionIndex) {
    int n = suppliers.size();
    int[] anchor = new int[n];
    int[] sector = new int[n];
    int[] region = new int[n];
    int[] registered = new int[n];
    double[] turnover = new double[n];
    for (int i = 0; i < n; i++) {
      Supplier s = suppliers.get(i);
      Integer a = buyerIndex.get(s.anchorId());
      TradeRules.Violation v = TradeRules.supplier(s.sector().code(), s.anchorId(), a != null, s.declaredAnnualTurnover());
      if (v != null) {
        throw v.toException("supplier", s.id());
      }
      anchor[i] = a;
      sector[i] = s.sector().ordinal();
      region[i] = regionIndex.getOrDefault(s.region(), -1);
      registered[i] = (int) s.registrationDate().toEpochDay();
      turnover[i] = s.declaredAnnualTurnover();
    }
    return new SupplierTable(anchor, sector, region, registered, turnover, Math.max(1, buyerIndex.size()));
  }

  /**
   * Streams the invoices in list order with no credit notes or disputes; supplier and buyer ids
   * are resolved through the maps. The invoices' own returned, disputed and on-time fields are not
   * read (they are the outcomes as finally known, see {@link io.chainscore.trade.TradeEvents}).
   */
  public static void invoices(
      FeatureEngine engine,
      List<Invoice> invoices,
      Map<String, Integer> supplierIndex,
      Map<String, Integer> buyerIndex) {
    invoices(engine, invoices, TradeEvents.NONE, supplierIndex, buyerIndex);
  }

  /**
   * Streams the invoices in list order with the credit notes and disputes of {@code events} known
   * at the engine's as-of date, then the deliveries; supplier and buyer ids are resolved through
   * the maps.
   *
   * @throws io.chainscore.trade.TradeRecordException when an event names an unknown supplier or no
   *     invoice of its supplier, or a credit note repeats the id of an earlier one
   */
  public static void invoices(
      FeatureEngine engine,
      List<Invoice> invoices,
      TradeEvents events,
      Map<String, Integer> supplierIndex,
      Map<String, Integer> buyerIndex) {
    int asOf = day(engine.asOf());
    InvoiceEvents known = new InvoiceEvents(asOf);
    Set<String> creditNoteIds = new HashSet<>();
    for (CreditNote cn : events.creditNotes()) {
      Integer s = supplierIndex.get(cn.supplierId());
      TradeRules.Violation v = TradeRules.supplierOf(cn.supplierId(), s != null);
      if (v == null && !creditNoteIds.add(cn.creditNoteId())) {
        v = TradeRules.duplicate(TradeRules.CREDIT_NOTE_ID);
      }
      if (v != null) {
        throw v.toException("credit_note", cn.creditNoteId());
      }
      known.creditNote(cn.invoiceId(), s, day(cn.bookingDate()), cn.amount());
    }
    for (Dispute dp : events.disputes()) {
      Integer s = supplierIndex.get(dp.supplierId());
      TradeRules.Violation v = TradeRules.supplierOf(dp.supplierId(), s != null);
      if (v != null) {
        throw v.toException("dispute", dp.invoiceId());
      }
      known.dispute(dp.invoiceId(), s, day(dp.openedDate()));
    }
    InvoiceColumns chunk = new InvoiceColumns(CHUNK);
    int row = 0;
    Set<String> ids = new HashSet<>();
    for (Invoice inv : invoices) {
      Integer s = supplierIndex.get(inv.supplierId());
      Integer b = buyerIndex.get(inv.buyerId());
      TradeRules.Violation v = TradeRules.invoice(inv.supplierId(), s != null, inv.buyerId(), b != null);
      if (v == null && !ids.add(inv.invoiceId())) {
        v = TradeRules.duplicate(TradeRules.INVOICE_ID);
      }
      if (v != null) {
        throw v.toException("invoice", inv.invoiceId());
      }
      chunk.set(row++, s, b, day(inv.issueDate()), day(inv.dueDate()),
          inv.paidDate() == null ? InvoiceColumns.UNPAID : day(inv.paidDate()),
          inv.amount(), 0.0, false, false, inv.invoiceId());
      known.fill(chunk, row - 1, inv.invoiceId(), s);
      if (row == CHUNK) {
        chunk.setSize(row);
        engine.addInvoices(chunk);
        row = 0;
      }
    }
    chunk.setSize(row);
    engine.addInvoices(chunk);
    if (known.anyUnclaimed()) {
      // the first event no invoice claimed, credit notes before disputes, each in list order
      for (CreditNote cn : events.creditNotes()) {
        if (known.unclaimed(cn.invoiceId(), supplierIndex.get(cn.supplierId()), day(cn.bookingDate()))) {
          throw unclaimed(InvoiceEvents.unclaimedReport("credit_note", 0, cn.creditNoteId(), cn.invoiceId(),
              cn.supplierId()));
        }
      }
      for (Dispute dp : events.disputes()) {
        if (known.unclaimed(dp.invoiceId(), supplierIndex.get(dp.supplierId()), day(dp.openedDate()))) {
          throw unclaimed(InvoiceEvents.unclaimedReport("dispute", 0, dp.invoiceId(), dp.invoiceId(),
              dp.supplierId()));
        }
      }
    }
    DeliveryColumns deliveries = new DeliveryColumns(CHUNK);
    row = 0;
    for (Delivery dl : events.deliveries()) {
      Integer s = supplierIndex.get(dl.supplierId());
      TradeRules.Violation v = TradeRules.supplierOf(dl.supplierId(), s != null);
      if (v != null) {
        throw v.toException("delivery", dl.invoiceId());
      }
      deliveries.set(row++, s, day(dl.promisedDate()), day(dl.actualDate()), dl.invoiceId());
      if (row == CHUNK) {
        deliveries.setSize(row);
        engine.addDeliveries(deliveries);
        row = 0;
      }
    }
    deliveries.setSize(row);
    engine.addDeliveries(deliveries);
  }

  /** Streams the loans' instalments; loan indexes are list positions. */
  public static void loans(FeatureEngine engine, List<Loan> loans, Map<String, Integer> supplierIndex) {
    InstalmentColumns chunk = new InstalmentColumns(CHUNK);
    int row = 0;
    Set<String> ids = new HashSet<>();
    for (int l = 0; l < loans.size(); l++) {
      Loan loan = loans.get(l);
      Integer s = supplierIndex.get(loan.supplierId());
      TradeRules.Violation v = TradeRules.supplierOf(loan.supplierId(), s != null);
      if (v == null && !ids.add(loan.loanId())) {
        v = TradeRules.duplicate(TradeRules.LOAN_ID);
      }
      if (v != null) {
        throw v.toException("loan", loan.loanId());
      }
      for (Instalment inst : loan.instalments()) {
        chunk.set(row++, s, l, day(loan.drawdownDate()), loan.amount(), day(inst.dueDate()),
            inst.amountDue(),
            inst.repaidDate() == null ? InstalmentColumns.UNREPAID : day(inst.repaidDate()),
            inst.amountRepaid());
        if (row == CHUNK) {
          chunk.setSize(row);
          engine.addInstalments(chunk);
          row = 0;
        }
      }
    }
    chunk.setSize(row);
    engine.addInstalments(chunk);
  }

  private static io.chainscore.trade.TradeRecordException unclaimed(BadRecord r) {
    return new io.chainscore.trade.TradeRecordException(r.table(), r.recordId(), r.field(), r.reason());
  }

  static int day(LocalDate date) {
    return (int) date.toEpochDay();
  }
}

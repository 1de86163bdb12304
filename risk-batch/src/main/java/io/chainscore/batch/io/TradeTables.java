package io.chainscore.batch.io;

import io.chainscore.sim.PortfolioSink;
import io.chainscore.sim.SupplierFacility;
import io.chainscore.sim.SupplierHistory;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import io.chainscore.trade.Anchor;
import io.chainscore.trade.TradeEvents.CreditNote;
import io.chainscore.trade.TradeEvents.Delivery;
import io.chainscore.trade.TradeEvents.Dispute;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Supplier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a supplier portfolio as table files, one per record type, in the layouts of {@link
 * PortfolioTables}: the trade tables ({@link PortfolioTables#ALL}: the six trade tables and the
 * three dated event tables) and the two portfolio-risk tables (exposures, anchor PDs), all in the
 * one chosen format.
 *
 * <p>{@link #writer} returns a {@link PortfolioSink} that streams a simulated portfolio into these
 * tables; nothing appears at the final paths until every table is complete.
 */
public final class TradeTables {
  private TradeTables() {}

  /**
   * A sink that writes every table under {@code directory}; call {@link Sink#commit()} after the
   * simulation and close it in a finally block.
   */
  public static Sink writer(Path directory, TableWriter.Format format, boolean overwrite) throws IOException {
    return new Sink(directory, format, overwrite);
  }

  /** Streams portfolio records into the six trade tables and the two portfolio tables. */
  public static final class Sink implements PortfolioSink, AutoCloseable {
    private final List<TableWriter> writers = new ArrayList<>();
    private final TableWriter anchors;
    private final TableWriter suppliers;
    private final TableWriter invoices;
    private final TableWriter loans;
    private final TableWriter instalments;
    private final TableWriter labels;
    private final TableWriter creditNotes;
    private final TableWriter disputes;
    private final TableWriter deliveries;
    private final TableWriter exposures;
    /** Anchors that confirm their suppliers' invoices (payables finance), known once anchors are written. */
    private final java.util.Set<String> payablesProgrammes = new java.util.HashSet<>();
    private final TableWriter anchorPds;
    private long rows;

    private Sink(Path directory, TableWriter.Format format, boolean overwrite) throws IOException {
      try {
        for (TableSchema schema : PortfolioTables.ALL) {
          writers.add(Tables.open(directory, schema, format, overwrite));
        }
        for (TableSchema schema : PortfolioTables.PORTFOLIO) {
          writers.add(Tables.open(directory, schema, format, overwrite));
        }
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
      anchors = writers.get(0);
      suppliers = writers.get(1);
      invoices = writers.get(2);
      loans = writers.get(3);
      instalments = writers.get(4);
      labels = writers.get(5);
      creditNotes = writers.get(6);
      disputes = writers.get(7);
      deliveries = writers.get(8);
      exposures = writers.get(9);
      anchorPds = writers.get(10);
    }

    @Override
    public void anchors(List<Anchor> list) throws IOException {
      for (Anchor a : list) {
        anchors.setString(0, a.id());
        anchors.setString(1, a.name());
        anchors.setString(2, a.sector().code());
        anchors.setDouble(3, a.annualRevenue());
        anchors.endRow();
        anchorPds.setString(0, a.id());
        anchorPds.setDouble(1, SupplierFacility.anchorPd(a));
        anchorPds.endRow();
        if (SupplierFacility.runsPayablesProgramme(a)) {
          payablesProgrammes.add(a.id());
        }
      }
    }

    @Override
    public void supplier(SupplierHistory h) throws IOException {
      Supplier s = h.supplier();
      suppliers.setString(0, s.id());
      suppliers.setString(1, s.anchorId());
      suppliers.setString(2, s.sector().code());
      suppliers.setString(3, s.region());
      suppliers.setDate(4, s.registrationDate());
      suppliers.setDouble(5, s.declaredAnnualTurnover());
      suppliers.endRow();
      for (Invoice inv : h.invoices()) {
        invoices.setString(0, inv.invoiceId());
        invoices.setString(1, inv.supplierId());
        invoices.setString(2, inv.buyerId());
        invoices.setDate(3, inv.issueDate());
        invoices.setDate(4, inv.dueDate());
        invoices.setDouble(5, inv.amount());
        invoices.setBoolean(6, inv.deliveredOnTime());
        invoices.setDouble(7, inv.returnedAmount());
        invoices.setBoolean(8, inv.disputed());
        invoices.setDate(9, inv.paidDate());
        invoices.setDouble(10, inv.paidAmount());
        invoices.endRow();
      }
      for (Loan loan : h.loans()) {
        loans.setString(0, loan.loanId());
        loans.setString(1, loan.supplierId());
        loans.setDate(2, loan.drawdownDate());
        loans.setDouble(3, loan.amount());
        loans.endRow();
        List<Instalment> schedule = loan.instalments();
        for (int k = 0; k < schedule.size(); k++) {
          Instalment i = schedule.get(k);
          instalments.setString(0, loan.loanId());
          instalments.setString(1, loan.supplierId());
          instalments.setInt(2, k + 1);
          instalments.setDate(3, i.dueDate());
          instalments.setDouble(4, i.amountDue());
          instalments.setDate(5, i.repaidDate());
          instalments.setDouble(6, i.amountRepaid());
          instalments.endRow();
        }
      }
      for (CreditNote n : h.events().creditNotes()) {
        creditNotes.setString(0, n.creditNoteId());
        creditNotes.setString(1, n.invoiceId());
        creditNotes.setString(2, n.supplierId());
        creditNotes.setDate(3, n.bookingDate());
        creditNotes.setDouble(4, n.amount());
        creditNotes.setString(5, n.reason());
        creditNotes.endRow();
      }
      for (Dispute d : h.events().disputes()) {
        disputes.setString(0, d.invoiceId());
        disputes.setString(1, d.supplierId());
        disputes.setDate(2, d.openedDate());
        disputes.setDate(3, d.resolvedDate());
        disputes.endRow();
      }
      for (Delivery d : h.events().deliveries()) {
        deliveries.setString(0, d.invoiceId());
        deliveries.setString(1, d.supplierId());
        deliveries.setDate(2, d.promisedDate());
        deliveries.setDate(3, d.actualDate());
        deliveries.endRow();
      }
      labels.setString(0, s.id());
      labels.setDate(1, h.label().asOfDate());
      labels.setBoolean(2, h.label().defaulted());
      labels.setDate(3, h.label().defaultDate());
      labels.setDouble(4, h.label().trueProbabilityOfDefault());
      labels.endRow();
      SupplierFacility f = SupplierFacility.of(h, h.label().asOfDate(),
          payablesProgrammes.contains(h.supplier().anchorId()));
      exposures.setString(0, f.supplierId());
      exposures.setString(1, f.anchorId());
      exposures.setString(2, f.sector());
      exposures.setString(3, "corporate");
      exposures.setDouble(4, f.drawn());
      exposures.setDouble(5, f.undrawn());
      exposures.setDouble(6, f.ccf());
      if (Double.isNaN(f.lgd())) {
        exposures.setNull(7);
      } else {
        exposures.setDouble(7, f.lgd());
      }
      exposures.setString(8, f.collateral());
      exposures.setDouble(9, f.maturityYears());
      exposures.setDouble(10, f.annualSalesEurMillions());
      exposures.setDouble(11, f.anchorSalesShare());
      exposures.setString(12, f.product());
      if (Double.isNaN(f.expectedDilution())) {
        exposures.setNull(13);
      } else {
        exposures.setDouble(13, f.expectedDilution());
      }
      exposures.setString(14, Boolean.toString(f.tradeMaturityExemption()));
      exposures.endRow();
      rows += 1 + h.invoices().size() + h.loans().size() + h.events().creditNotes().size()
          + h.events().disputes().size() + h.events().deliveries().size();
    }

    /** Rows written so far, for progress reports. */
    public long rows() {
      return rows;
    }

    /** Moves every completed table to its final path. */
    public void commit() throws IOException {
      for (TableWriter w : writers) {
        w.commit();
      }
    }

    @Override
    public void close() throws IOException {
      IOException first = null;
      for (TableWriter w : writers) {
        try {
          w.close();
        } catch (IOException e) {
          if (first == null) {
            first = e;
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }
}

package io.chainscore.batch.io;

import static io.chainscore.batch.io.TableSchema.nullable;
import static io.chainscore.batch.io.TableSchema.required;

import io.chainscore.sim.PortfolioSink;
import io.chainscore.sim.SupplierFacility;
import io.chainscore.sim.SupplierHistory;
import io.chainscore.trade.Anchor;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Supplier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file layout of a supplier portfolio: one table per record type, documented column by column
 * in the README ("Data files").
 *
 * <p>{@link #writer} returns a {@link PortfolioSink} that streams a simulated portfolio into these
 * tables; nothing appears at the final paths until every table is complete.
 */
public final class TradeTables {
  public static final TableSchema ANCHORS = new TableSchema("anchors", List.of(
      required("anchor_id", ColumnType.STRING),
      required("name", ColumnType.STRING),
      required("sector", ColumnType.STRING),
      required("annual_revenue", ColumnType.DOUBLE)));

  public static final TableSchema SUPPLIERS = new TableSchema("suppliers", List.of(
      required("supplier_id", ColumnType.STRING),
      required("anchor_id", ColumnType.STRING),
      required("sector", ColumnType.STRING),
      required("region", ColumnType.STRING),
      required("registration_date", ColumnType.DATE),
      required("declared_turnover", ColumnType.DOUBLE)));

  public static final TableSchema INVOICES = new TableSchema("invoices", List.of(
      required("invoice_id", ColumnType.STRING),
      required("supplier_id", ColumnType.STRING),
      required("buyer_id", ColumnType.STRING),
      required("issue_date", ColumnType.DATE),
      required("due_date", ColumnType.DATE),
      required("amount", ColumnType.DOUBLE),
      required("delivered_on_time", ColumnType.BOOLEAN),
      required("returned_amount", ColumnType.DOUBLE),
      required("disputed", ColumnType.BOOLEAN),
      nullable("paid_date", ColumnType.DATE),
      required("paid_amount", ColumnType.DOUBLE)));

  public static final TableSchema LOANS = new TableSchema("loans", List.of(
      required("loan_id", ColumnType.STRING),
      required("supplier_id", ColumnType.STRING),
      required("drawdown_date", ColumnType.DATE),
      required("amount", ColumnType.DOUBLE)));

  public static final TableSchema INSTALMENTS = new TableSchema("instalments", List.of(
      required("loan_id", ColumnType.STRING),
      required("supplier_id", ColumnType.STRING),
      required("instalment_number", ColumnType.INT),
      required("due_date", ColumnType.DATE),
      required("amount_due", ColumnType.DOUBLE),
      nullable("repaid_date", ColumnType.DATE),
      required("amount_repaid", ColumnType.DOUBLE)));

  public static final TableSchema LABELS = new TableSchema("labels", List.of(
      required("supplier_id", ColumnType.STRING),
      required("as_of_date", ColumnType.DATE),
      required("defaulted", ColumnType.BOOLEAN),
      nullable("default_date", ColumnType.DATE),
      required("true_pd", ColumnType.DOUBLE)));

  /**
   * The lender's facility per supplier ({@link SupplierFacility}), in the columns {@code chainscore
   * portfolio --exposures} reads.
   */
  public static final TableSchema EXPOSURES = new TableSchema("exposures", List.of(
      required("supplier_id", ColumnType.STRING),
      required("anchor_id", ColumnType.STRING),
      required("sector", ColumnType.STRING),
      required("asset_class", ColumnType.STRING),
      required("drawn", ColumnType.DOUBLE),
      required("undrawn", ColumnType.DOUBLE),
      required("ccf", ColumnType.DOUBLE),
      nullable("lgd", ColumnType.DOUBLE),
      required("collateral", ColumnType.STRING),
      required("maturity_years", ColumnType.DOUBLE),
      required("annual_sales_eur_m", ColumnType.DOUBLE),
      required("anchor_sales_share", ColumnType.DOUBLE)));

  /** Each anchor's one-year PD ({@link SupplierFacility#anchorPd}), for {@code portfolio --anchor-pds}. */
  public static final TableSchema ANCHOR_PDS = new TableSchema("anchor_pds", List.of(
      required("anchor_id", ColumnType.STRING),
      required("pd", ColumnType.DOUBLE)));

  /** The trade tables, in the order they are written, in the format the caller chooses. */
  public static final List<TableSchema> ALL = List.of(ANCHORS, SUPPLIERS, INVOICES, LOANS, INSTALMENTS, LABELS);

  /**
   * The portfolio-risk inputs, always written as CSV: {@code chainscore portfolio} reads CSV only
   * until its readers take every table format.
   */
  public static final List<TableSchema> PORTFOLIO = List.of(EXPOSURES, ANCHOR_PDS);

  /** The format of the {@link #PORTFOLIO} tables whatever the trade tables' format. */
  public static final TableWriter.Format PORTFOLIO_FORMAT = TableWriter.Format.CSV;

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
    private final TableWriter exposures;
    private final TableWriter anchorPds;
    private long rows;

    private Sink(Path directory, TableWriter.Format format, boolean overwrite) throws IOException {
      try {
        for (TableSchema schema : ALL) {
          writers.add(Tables.open(directory, schema, format, overwrite));
        }
        for (TableSchema schema : PORTFOLIO) {
          writers.add(Tables.open(directory, schema, PORTFOLIO_FORMAT, overwrite));
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
      exposures = writers.get(6);
      anchorPds = writers.get(7);
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
      labels.setString(0, s.id());
      labels.setDate(1, h.label().asOfDate());
      labels.setBoolean(2, h.label().defaulted());
      labels.setDate(3, h.label().defaultDate());
      labels.setDouble(4, h.label().trueProbabilityOfDefault());
      labels.endRow();
      SupplierFacility f = SupplierFacility.of(h, h.label().asOfDate());
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
      exposures.endRow();
      rows += 1 + h.invoices().size() + h.loans().size();
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

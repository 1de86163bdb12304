package io.chainscore.features;

import io.chainscore.features.engine.FeatureEngine;
import io.chainscore.features.engine.RecordChunks;
import io.chainscore.features.engine.SupplierTable;

import io.chainscore.trade.Anchor;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Sector;
import io.chainscore.trade.Supplier;
import io.chainscore.trade.TradeBook;
import io.chainscore.trade.TradeEvents;
import io.chainscore.trade.TradeRecordException;
import io.chainscore.trade.TradeRules;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard point-in-time supplier features: their {@link #SCHEMA} and the one-supplier entry
 * point {@link #compute}; every formula and NaN rule is in {@code docs/features.md}.
 *
 * <p>Months are 30-day blocks counted back from the as-of date D: block {@code k} holds the days
 * {@code D-30k-29 .. D-30k}, so a window of {@code W} months is exactly the {@code 30W} days ending
 * on D. Nothing dated after D is seen.
 *
 * <p>Thread safety: stateless; all methods may be called concurrently.
 */
public final class StandardFeatures {
  public static final int TENURE_MONTHS_ANY = 0;
  public static final int TENURE_MONTHS_ANCHOR = 1;
  public static final int ACTIVE_MONTH_SHARE_24M = 2;
  public static final int DAYS_SINCE_LAST_INVOICE = 3;
  /** First of the invoiced-amount columns for windows 3, 6, 12, 24 months. */
  public static final int INVOICED_AMOUNT = 4;
  /** First of the invoice-count columns for windows 3, 6, 12, 24 months. */
  public static final int INVOICE_COUNT = 8;
  public static final int GROWTH_3M_YOY = 12;
  public static final int GROWTH_6M_VS_PRIOR_6M = 13;
  public static final int MONTHLY_AMOUNT_CV_12M = 14;
  public static final int MONTHS_WITHOUT_INVOICES_12M = 15;
  public static final int MAX_MONTH_DROP_12M = 16;
  public static final int BUYER_COUNT_12M = 17;
  public static final int TOP_BUYER_SHARE_12M = 18;
  public static final int BUYER_HHI_12M = 19;
  public static final int ON_TIME_DELIVERY_RATE_12M = 20;
  public static final int DILUTION_RATE_12M = 21;
  public static final int DISPUTED_SHARE_12M = 22;
  public static final int OPEN_RECEIVABLES = 23;
  public static final int DAYS_SALES_OUTSTANDING = 24;
  /** First of the overdue-share columns for buckets 1-30, 31-60, 61-90, 91+ days beyond terms. */
  public static final int OVERDUE_SHARE = 25;
  public static final int AVG_DAYS_PAID_BEYOND_TERMS_12M = 29;
  public static final int OUTSTANDING_FINANCING = 30;
  public static final int FINANCING_UTILISATION = 31;
  public static final int MAX_DAYS_PAST_DUE_12M = 32;
  public static final int AVG_DAYS_PAST_DUE_12M = 33;
  public static final int INSTALMENTS_30DPD_COUNT_24M = 34;
  public static final int SECTOR = 35;
  public static final int REGION_INDEX = 36;
  public static final int FIRM_AGE_YEARS = 37;
  public static final int DECLARED_TURNOVER = 38;

  /** The look-back windows, in months, of the invoiced-amount and invoice-count features. */
  public static final List<Integer> WINDOW_MONTHS = List.of(3, 6, 12, 24);

  /**
   * The region dictionary of {@code region_index}: the region codes in index order (a supplier in
   * {@code REGIONS.get(k)} has {@code region_index = k}; a region not listed is NaN). The bundled
   * models were trained with it; batch ({@code chainscore features}) and Spark number regions by
   * it unless told otherwise. New regions are appended, never inserted, so indexes stay stable.
   */
  public static final List<String> REGIONS =
      List.of("CN-GD", "CN-JS", "CN-ZJ", "CN-SH", "CN-FJ", "VN-SG", "IN-MH");

  /** Column layout of the standard feature row; models refer to features by these names. */
  public static final FeatureSchema SCHEMA = buildSchema();

  private StandardFeatures() {}

  /**
   * The feature row of one supplier from its own records, as of {@code asOf}: what a lending
   * service calls to score an application. Runs the same engine as a portfolio, single-threaded.
   *
   * @param supplier the supplier; its {@code anchorId} is buyer index 0
   * @param invoices the supplier's invoices, any order; buyers other than the anchor are indexed
   *     in order of first appearance
   * @param loans the supplier's loans with their full instalment schedules
   * @param asOf the as-of date D
   * @param regionDictionary the region codes the model was trained with; {@code region_index} is
   *     the position of the supplier's region in it, NaN when absent
   * @return a new row in {@link #SCHEMA} order
   * @throws TradeRecordException when an invoice or loan belongs to another supplier or an id is
   *     repeated
   */
  public static double[] compute(
      Supplier supplier, List<Invoice> invoices, List<Loan> loans, LocalDate asOf,
      List<String> regionDictionary) {
    return compute(supplier, invoices, loans, TradeEvents.NONE, asOf, regionDictionary);
  }

  /**
   * As {@link #compute(Supplier, List, List, LocalDate, List)} with the supplier's dated invoice
   * events: credit notes count from their booking date, disputes from their opening date,
   * deliveries from their actual date, each only when on or before {@code asOf}. Without events
   * (the other overload) no credit note or dispute is known and no delivery made: dilution and the
   * disputed share are 0 and the on-time delivery rate NaN. The invoices' own {@code
   * returnedAmount}, {@code disputed} and {@code deliveredOnTime} are never read: they are the
   * outcomes as finally known, which would leak the future into the features.
   *
   * @throws TradeRecordException when an event belongs to another supplier or names no invoice of
   *     the supplier, or a credit note repeats an earlier one's id
   */
  public static double[] compute(
      Supplier supplier, List<Invoice> invoices, List<Loan> loans, TradeEvents events, LocalDate asOf,
      List<String> regionDictionary) {
    java.util.Objects.requireNonNull(supplier, "supplier");
    java.util.Objects.requireNonNull(invoices, "invoices");
    java.util.Objects.requireNonNull(loans, "loans");
    java.util.Objects.requireNonNull(events, "events");
    java.util.Objects.requireNonNull(asOf, "asOf");
    Map<String, Integer> buyers = new HashMap<>();
    buyers.put(supplier.anchorId(), 0);
    for (Invoice inv : invoices) {
      if (!inv.supplierId().equals(supplier.id())) {
        throw new TradeRecordException("invoice", inv.invoiceId(), TradeRules.SUPPLIER_ID,
            "'" + inv.supplierId() + "' is not the supplier being scored, '" + supplier.id() + "'");
      }
      buyers.putIfAbsent(inv.buyerId(), buyers.size());
    }
    for (Loan loan : loans) {
      if (!loan.supplierId().equals(supplier.id())) {
        throw new TradeRecordException("loan", loan.loanId(), TradeRules.SUPPLIER_ID,
            "'" + loan.supplierId() + "' is not the supplier being scored, '" + supplier.id() + "'");
      }
    }
    return run(List.of(supplier), invoices, loans, events, buyers, regions(regionDictionary), asOf, 1);
  }

  /**
   * The feature row of one supplier of a book; see {@link #compute(Supplier, List, List,
   * LocalDate, List)}.
   *
   * @throws IllegalArgumentException when the book has no such supplier
   */
  public static double[] compute(
      TradeBook book, String supplierId, LocalDate asOf, List<String> regionDictionary) {
    return compute(book, TradeEvents.NONE, supplierId, asOf, regionDictionary);
  }

  /** The feature row of one supplier of a book with the book's dated events; see {@link #compute(Supplier, List, List, TradeEvents, LocalDate, List)}. */
  public static double[] compute(
      TradeBook book, TradeEvents events, String supplierId, LocalDate asOf, List<String> regionDictionary) {
    java.util.Objects.requireNonNull(book, "book");
    java.util.Objects.requireNonNull(events, "events");
    java.util.Objects.requireNonNull(supplierId, "supplierId");
    java.util.Objects.requireNonNull(asOf, "asOf");
    int index = book.indexOfSupplier(supplierId);
    if (index < 0) {
      throw new IllegalArgumentException("trade book has no supplier '" + supplierId + "'");
    }
    List<Invoice> invoices = new ArrayList<>();
    for (Invoice inv : book.invoices()) {
      if (inv.supplierId().equals(supplierId)) {
        invoices.add(inv);
      }
    }
    List<Loan> loans = new ArrayList<>();
    for (Loan loan : book.loans()) {
      if (loan.supplierId().equals(supplierId)) {
        loans.add(loan);
      }
    }
    TradeEvents own = new TradeEvents(
        events.creditNotes().stream().filter(e -> e.supplierId().equals(supplierId)).toList(),
        events.disputes().stream().filter(e -> e.supplierId().equals(supplierId)).toList(),
        events.deliveries().stream().filter(e -> e.supplierId().equals(supplierId)).toList());
    return compute(book.suppliers().get(index), invoices, loans, own, asOf, regionDictionary);
  }

  /**
   * The feature rows of every supplier of a book, row-major in book order ({@link #SCHEMA}'s width
   * per row), computed by the columnar engine on {@code threads} threads; the same values as {@link
   * #compute(TradeBook, String, LocalDate, List)} row by row.
   */
  public static double[] computeAll(TradeBook book, LocalDate asOf, List<String> regionDictionary, int threads) {
    return computeAll(book, TradeEvents.NONE, asOf, regionDictionary, threads);
  }

  /** As {@link #computeAll(TradeBook, LocalDate, List, int)} with the book's dated invoice events. */
  public static double[] computeAll(
      TradeBook book, TradeEvents events, LocalDate asOf, List<String> regionDictionary, int threads) {
    Map<String, Integer> buyers = new HashMap<>();
    for (Anchor a : book.anchors()) {
      buyers.put(a.id(), buyers.size());
    }
    return run(book.suppliers(), book.invoices(), book.loans(), events, buyers, regions(regionDictionary), asOf,
        threads);
  }

  private static Map<String, Integer> regions(List<String> dictionary) {
    Map<String, Integer> index = new HashMap<>();
    for (String r : dictionary) {
      index.putIfAbsent(r, index.size());
    }
    return index;
  }

  private static double[] run(
      List<Supplier> suppliers, List<Invoice> invoices, List<Loan> loans, TradeEvents events,
      Map<String, Integer> buyers, Map<String, Integer> regions, LocalDate asOf, int threads) {
    Map<String, Integer> supplierIndex = new HashMap<>();
    for (Supplier s : suppliers) {
      supplierIndex.put(s.id(), supplierIndex.size());
    }
    SupplierTable table = RecordChunks.table(suppliers, buyers, regions);
    try (FeatureEngine engine = FeatureEngine.builder(table).asOf(asOf).threads(threads).build()) {
      RecordChunks.invoices(engine, invoices, events, supplierIndex, buyers);
      RecordChunks.loans(engine, loans, supplierIndex);
      return engine.finish();
    }
  }

  private static FeatureSchema buildSchema() {
    double inf = Double.POSITIVE_INFINITY;
    List<FeatureSpec> f = new ArrayList<>();
    f.add(FeatureSpec.numeric("tenure_months_any", "months", 0, inf,
        "Days from the first invoice to any buyer to D, divided by 30."));
    f.add(FeatureSpec.numeric("tenure_months_anchor", "months", 0, inf,
        "Days from the first invoice to the supplier's anchor to D, divided by 30."));
    f.add(FeatureSpec.numeric("active_month_share_24m", "ratio", 0, 1,
        "Share of the 30-day months since the first invoice (at most 24) with at least one invoice."));
    f.add(FeatureSpec.numeric("days_since_last_invoice", "days", 0, inf,
        "Days from the last invoice issued on or before D to D."));
    for (int w : WINDOW_MONTHS) {
      f.add(FeatureSpec.numeric("invoiced_amount_" + w + "m", "currency", 0, inf,
          "Invoiced amount issued in the " + (30 * w) + " days ending on D."));
    }
    for (int w : WINDOW_MONTHS) {
      f.add(FeatureSpec.numeric("invoice_count_" + w + "m", "count", 0, inf,
          "Number of invoices issued in the " + (30 * w) + " days ending on D."));
    }
    f.add(FeatureSpec.numeric("growth_3m_yoy", "ratio", -1, inf,
        "Amount of months 0-2 over months 12-14, minus 1."));
    f.add(FeatureSpec.numeric("growth_6m_vs_prior_6m", "ratio", -1, inf,
        "Amount of months 0-5 over months 6-11, minus 1."));
    f.add(FeatureSpec.numeric("monthly_amount_cv_12m", "ratio", 0, inf,
        "Population standard deviation over mean of the 12 monthly invoiced amounts."));
    f.add(FeatureSpec.numeric("months_without_invoices_12m", "count", 0, 12,
        "Number of the last 12 months with no invoice."));
    f.add(FeatureSpec.numeric("max_month_drop_12m", "ratio", 0, 1,
        "Largest relative fall of the monthly amount from one month to the next, last 12 months."));
    f.add(FeatureSpec.numeric("buyer_count_12m", "count", 0, inf,
        "Number of distinct buyers invoiced in the last 12 months."));
    f.add(FeatureSpec.numeric("top_buyer_share_12m", "ratio", 0, 1,
        "Largest buyer's share of the amount invoiced in the last 12 months."));
    f.add(FeatureSpec.numeric("buyer_hhi_12m", "ratio", 0, 1,
        "Herfindahl index (sum of squared shares) of buyers, last 12 months."));
    f.add(FeatureSpec.numeric("on_time_delivery_rate_12m", "ratio", 0, 1,
        "Share of the deliveries made in the last 360 days (by their actual date) that arrived by the promised date."));
    f.add(FeatureSpec.numeric("dilution_rate_12m", "ratio", 0, 1,
        "Credit notes booked by D against invoices of the last 12 months, over their invoiced amount."));
    f.add(FeatureSpec.numeric("disputed_share_12m", "ratio", 0, 1,
        "Amount of invoices of the last 12 months with a dispute opened by D, over their invoiced amount."));
    f.add(FeatureSpec.numeric("open_receivables", "currency", 0, inf,
        "Amount owed (invoiced less credit notes booked by D) on invoices issued by D and unpaid at D."));
    f.add(FeatureSpec.numeric("days_sales_outstanding", "days", 0, inf,
        "Open receivables over the amount invoiced in the last 90 days, times 90."));
    String[] buckets = {"1_30", "31_60", "61_90", "90_plus"};
    for (String b : buckets) {
      f.add(FeatureSpec.numeric("overdue_share_" + b, "ratio", 0, 1,
          "Share of open receivables " + b.replace('_', '-') + " days beyond terms at D."));
    }
    f.add(FeatureSpec.numeric("avg_days_paid_beyond_terms_12m", "days", 0, inf,
        "Mean of max(0, paid - due) over invoices paid in the last 360 days."));
    f.add(FeatureSpec.numeric("outstanding_financing", "currency", 0, inf,
        "Principal outstanding at D over all loans drawn by D."));
    f.add(FeatureSpec.numeric("financing_utilisation", "ratio", 0, inf,
        "Outstanding financing over open receivables."));
    f.add(FeatureSpec.numeric("max_days_past_due_12m", "days", 0, inf,
        "Largest days past due at D of instalments due in the last 360 days or still unsettled."));
    f.add(FeatureSpec.numeric("avg_days_past_due_12m", "days", 0, inf,
        "Mean days past due at D over the same instalments."));
    f.add(FeatureSpec.numeric("instalments_30dpd_count_24m", "count", 0, inf,
        "Instalments due in the last 720 days that were or are 30 or more days past due at D."));
    List<String> sectors = new ArrayList<>();
    for (Sector s : Sector.values()) {
      sectors.add(s.code());
    }
    f.add(FeatureSpec.categorical("sector", sectors, "Industry sector of the supplier."));
    f.add(FeatureSpec.numeric("region_index", "index", 0, inf,
        "Index of the supplier's region in the region dictionary (StandardFeatures.REGIONS unless the caller gives another)."));
    f.add(FeatureSpec.numeric("firm_age_years", "years", 0, inf,
        "Days from registration to D, divided by 365.25."));
    f.add(FeatureSpec.numeric("declared_turnover", "currency", 0, inf,
        "Declared annual turnover."));
    return FeatureSchema.of(f);
  }
}

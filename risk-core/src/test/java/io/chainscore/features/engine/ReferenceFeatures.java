package io.chainscore.features.engine;

import io.chainscore.trade.TradeEvents.CreditNote;
import io.chainscore.trade.TradeEvents.Delivery;
import io.chainscore.trade.TradeEvents.Dispute;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Supplier;
import io.chainscore.trade.TradeBook;
import io.chainscore.trade.TradeEvents;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple second implementation of docs/features.md: per-supplier lists of
 * records, dates as LocalDate, one obvious loop per feature. Shares no code with the engine
 * except the schema's column names.
 */
final class ReferenceFeatures {
  private ReferenceFeatures() {}

  /** Every supplier's features, keyed by feature name, in book order. */
  static List<Map<String, Double>> computeAll(TradeBook book, LocalDate d, List<String> regions) {
    return computeAll(book, TradeEvents.NONE, d, regions);
  }

  /** Every supplier's features with the book's dated events, keyed by feature name, in book order. */
  static List<Map<String, Double>> computeAll(TradeBook book, TradeEvents events, LocalDate d, List<String> regions) {
    Map<String, List<Invoice>> invoices = new LinkedHashMap<>();
    Map<String, List<Loan>> loans = new LinkedHashMap<>();
    for (Invoice inv : book.invoices()) {
      invoices.computeIfAbsent(inv.supplierId(), k -> new ArrayList<>()).add(inv);
    }
    for (Loan loan : book.loans()) {
      loans.computeIfAbsent(loan.supplierId(), k -> new ArrayList<>()).add(loan);
    }
    List<Map<String, Double>> rows = new ArrayList<>();
    for (Supplier s : book.suppliers()) {
      rows.add(compute(s, invoices.getOrDefault(s.id(), List.of()), loans.getOrDefault(s.id(), List.of()), events, d,
          regions));
    }
    return rows;
  }

  /** Credit notes of invoice {@code inv} booked on or before D, summed in list order. */
  private static double creditedBy(Invoice inv, TradeEvents events, LocalDate d) {
    double sum = 0;
    for (CreditNote cn : events.creditNotes()) {
      if (cn.invoiceId().equals(inv.invoiceId()) && cn.supplierId().equals(inv.supplierId())
          && !cn.bookingDate().isAfter(d)) {
        sum += cn.amount();
      }
    }
    return sum;
  }

  /** Whether a dispute of invoice {@code inv} was opened on or before D. */
  private static boolean disputedBy(Invoice inv, TradeEvents events, LocalDate d) {
    for (Dispute dp : events.disputes()) {
      if (dp.invoiceId().equals(inv.invoiceId()) && dp.supplierId().equals(inv.supplierId())
          && !dp.openedDate().isAfter(d)) {
        return true;
      }
    }
    return false;
  }

  static Map<String, Double> compute(
      Supplier supplier, List<Invoice> invoices, List<Loan> loans, TradeEvents allEvents, LocalDate d,
      List<String> regions) {
    TradeEvents events = new TradeEvents(
        allEvents.creditNotes().stream().filter(e -> e.supplierId().equals(supplier.id())).toList(),
        allEvents.disputes().stream().filter(e -> e.supplierId().equals(supplier.id())).toList(),
        allEvents.deliveries().stream().filter(e -> e.supplierId().equals(supplier.id())).toList());
    List<Invoice> all = new ArrayList<>();
    for (Invoice inv : invoices) {
      if (!inv.issueDate().isAfter(d)) {
        all.add(inv);
      }
    }
    Map<String, Double> f = new LinkedHashMap<>();
    double nan = Double.NaN;

    LocalDate first = null;
    LocalDate firstAnchor = null;
    LocalDate last = null;
    for (Invoice inv : all) {
      if (first == null || inv.issueDate().isBefore(first)) {
        first = inv.issueDate();
      }
      if (last == null || inv.issueDate().isAfter(last)) {
        last = inv.issueDate();
      }
      if (inv.buyerId().equals(supplier.anchorId())
          && (firstAnchor == null || inv.issueDate().isBefore(firstAnchor))) {
        firstAnchor = inv.issueDate();
      }
    }
    f.put("tenure_months_any", first == null ? nan : days(first, d) / 30.0);
    f.put("tenure_months_anchor", firstAnchor == null ? nan : days(firstAnchor, d) / 30.0);

    double[] monthAmount = new double[24];
    int[] monthCount = new int[24];
    for (int m = 0; m < 24; m++) {
      for (Invoice inv : all) {
        long age = days(inv.issueDate(), d);
        if (age >= 30L * m && age <= 30L * m + 29) {
          monthAmount[m] += inv.amount();
          monthCount[m]++;
        }
      }
    }
    if (first == null) {
      f.put("active_month_share_24m", nan);
      f.put("days_since_last_invoice", nan);
    } else {
      int active = 0;
      for (int m = 0; m < 24; m++) {
        active += monthCount[m] > 0 ? 1 : 0;
      }
      long monthsSinceFirst = days(first, d) / 30 + 1;
      f.put("active_month_share_24m", active / (double) Math.min(24, monthsSinceFirst));
      f.put("days_since_last_invoice", (double) days(last, d));
    }
    for (int w : new int[] {3, 6, 12, 24}) {
      double sum = 0;
      for (Invoice inv : all) {
        if (days(inv.issueDate(), d) < 30L * w) {
          sum += inv.amount();
        }
      }
      f.put("invoiced_amount_" + w + "m", sum);
    }
    for (int w : new int[] {3, 6, 12, 24}) {
      int count = 0;
      for (Invoice inv : all) {
        if (days(inv.issueDate(), d) < 30L * w) {
          count++;
        }
      }
      f.put("invoice_count_" + w + "m", (double) count);
    }
    f.put("growth_3m_yoy", growth(all, d, 0, 90, 360, 450));
    f.put("growth_6m_vs_prior_6m", growth(all, d, 0, 180, 180, 360));

    double amount12 = f.get("invoiced_amount_12m");
    double mean = amount12 / 12;
    if (mean > 0) {
      double var = 0;
      for (int m = 0; m < 12; m++) {
        var += (monthAmount[m] - mean) * (monthAmount[m] - mean);
      }
      f.put("monthly_amount_cv_12m", Math.sqrt(var / 12) / mean);
    } else {
      f.put("monthly_amount_cv_12m", nan);
    }
    int empty = 0;
    for (int m = 0; m < 12; m++) {
      empty += monthCount[m] == 0 ? 1 : 0;
    }
    f.put("months_without_invoices_12m", (double) empty);
    Double drop = null;
    for (int m = 0; m < 11; m++) {
      double before = monthAmount[m + 1];
      double after = monthAmount[m];
      if (before > 0) {
        double fall = Math.max(0, (before - after) / before);
        drop = drop == null ? fall : Math.max(drop, fall);
      }
    }
    f.put("max_month_drop_12m", drop == null ? nan : drop);

    Map<String, Double> byBuyer = new LinkedHashMap<>();
    for (Invoice inv : all) {
      if (days(inv.issueDate(), d) < 360) {
        byBuyer.merge(inv.buyerId(), inv.amount(), Double::sum);
      }
    }
    f.put("buyer_count_12m", (double) byBuyer.size());
    double total = 0;
    double top = 0;
    for (double x : byBuyer.values()) {
      total += x;
      top = Math.max(top, x);
    }
    double hhi = 0;
    for (double x : byBuyer.values()) {
      hhi += (x / total) * (x / total);
    }
    f.put("top_buyer_share_12m", total > 0 ? top / total : nan);
    f.put("buyer_hhi_12m", total > 0 ? hhi : nan);

    int delivered = 0;
    int onTime = 0;
    for (Delivery dl : events.deliveries()) {
      long age = days(dl.actualDate(), d);
      if (age >= 0 && age < 360) {
        delivered++;
        onTime += dl.actualDate().isAfter(dl.promisedDate()) ? 0 : 1;
      }
    }
    double returned = 0;
    double disputed = 0;
    for (Invoice inv : all) {
      if (days(inv.issueDate(), d) < 360) {
        returned += creditedBy(inv, events, d);
        disputed += disputedBy(inv, events, d) ? inv.amount() : 0;
      }
    }
    f.put("on_time_delivery_rate_12m", delivered > 0 ? onTime / (double) delivered : nan);
    f.put("dilution_rate_12m", amount12 > 0 ? returned / amount12 : nan);
    f.put("disputed_share_12m", amount12 > 0 ? disputed / amount12 : nan);

    double open = 0;
    double[] buckets = new double[4];
    for (Invoice inv : all) {
      if (inv.isOpenAt(d)) {
        double owed = Math.max(0, inv.amount() - creditedBy(inv, events, d));
        open += owed;
        long beyond = days(inv.dueDate(), d);
        if (beyond >= 1 && beyond <= 30) {
          buckets[0] += owed;
        } else if (beyond >= 31 && beyond <= 60) {
          buckets[1] += owed;
        } else if (beyond >= 61 && beyond <= 90) {
          buckets[2] += owed;
        } else if (beyond >= 91) {
          buckets[3] += owed;
        }
      }
    }
    f.put("open_receivables", open);
    double amount3 = f.get("invoiced_amount_3m");
    f.put("days_sales_outstanding", amount3 > 0 ? open / amount3 * 90 : nan);
    String[] names = {"1_30", "31_60", "61_90", "90_plus"};
    for (int b = 0; b < 4; b++) {
      f.put("overdue_share_" + names[b], open > 0 ? buckets[b] / open : nan);
    }
    long beyondSum = 0;
    int paidCount = 0;
    for (Invoice inv : all) {
      if (inv.paidDate() != null && !inv.paidDate().isAfter(d) && days(inv.paidDate(), d) < 360) {
        beyondSum += Math.max(0, days(inv.dueDate(), inv.paidDate()));
        paidCount++;
      }
    }
    f.put("avg_days_paid_beyond_terms_12m", paidCount > 0 ? beyondSum / (double) paidCount : nan);

    double outstanding = 0;
    for (Loan loan : loans) {
      outstanding += loan.outstandingAt(d);
    }
    f.put("outstanding_financing", outstanding);
    f.put("financing_utilisation", open > 0 ? outstanding / open : nan);
    long maxDpd = -1;
    long sumDpd = 0;
    int nDpd = 0;
    int count30 = 0;
    for (Loan loan : loans) {
      for (Instalment inst : loan.instalments()) {
        if (inst.dueDate().isAfter(d)) {
          continue;
        }
        long dpd = inst.daysPastDueAt(d);
        long age = days(inst.dueDate(), d);
        if (age < 360 || !inst.isSettledBy(d)) {
          maxDpd = Math.max(maxDpd, dpd);
          sumDpd += dpd;
          nDpd++;
        }
        if (age < 720 && dpd >= 30) {
          count30++;
        }
      }
    }
    f.put("max_days_past_due_12m", nDpd > 0 ? (double) maxDpd : nan);
    f.put("avg_days_past_due_12m", nDpd > 0 ? sumDpd / (double) nDpd : nan);
    f.put("instalments_30dpd_count_24m", (double) count30);
    f.put("sector", (double) supplier.sector().ordinal());
    int region = regions.indexOf(supplier.region());
    f.put("region_index", region >= 0 ? region : nan);
    f.put("firm_age_years", supplier.registrationDate().isAfter(d) ? nan : days(supplier.registrationDate(), d) / 365.25);
    f.put("declared_turnover", supplier.declaredAnnualTurnover() > 0 ? supplier.declaredAnnualTurnover() : nan);
    return f;
  }

  private static double growth(List<Invoice> all, LocalDate d, int fromAge, int toAge, int baseFrom, int baseTo) {
    double now = 0;
    double before = 0;
    for (Invoice inv : all) {
      long age = days(inv.issueDate(), d);
      if (age >= fromAge && age < toAge) {
        now += inv.amount();
      }
      if (age >= baseFrom && age < baseTo) {
        before += inv.amount();
      }
    }
    return before > 0 ? now / before - 1 : Double.NaN;
  }

  private static long days(LocalDate from, LocalDate to) {
    return ChronoUnit.DAYS.between(from, to);
  }
}

package io.chainscore.sim;

import io.chainscore.trade.Anchor;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link PortfolioSink} that keeps running totals of a portfolio: suppliers, invoices, amounts,
 * financing and defaults, overall and per anchor and sector. Memory is bounded by the number of
 * anchors and sectors.
 *
 * <p>Thread safety: not thread-safe; the simulator calls sinks from one thread.
 */
public final class PortfolioSummary implements PortfolioSink {
  /** Totals for one group of suppliers. */
  public static final class Group {
    private long suppliers;
    private long defaults;
    private double truePdSum;
    private long invoices;
    private double invoicedAmount;
    private double openFinancing;

    public long suppliers() {
      return suppliers;
    }

    public long defaults() {
      return defaults;
    }

    /** Realised twelve-month default rate. */
    public double defaultRate() {
      return suppliers == 0 ? Double.NaN : (double) defaults / suppliers;
    }

    /** Mean of the simulator's true PD. */
    public double meanTruePd() {
      return suppliers == 0 ? Double.NaN : truePdSum / suppliers;
    }

    public long invoices() {
      return invoices;
    }

    public double invoicedAmount() {
      return invoicedAmount;
    }

    /** Principal outstanding at the as-of date. */
    public double openFinancing() {
      return openFinancing;
    }

    void add(SupplierHistory h, double financing) {
      suppliers++;
      defaults += h.label().defaulted() ? 1 : 0;
      truePdSum += h.label().trueProbabilityOfDefault();
      invoices += h.invoices().size();
      for (Invoice inv : h.invoices()) {
        invoicedAmount += inv.amount();
      }
      openFinancing += financing;
    }
  }

  private final Group total = new Group();
  private final Map<String, Group> byAnchor = new LinkedHashMap<>();
  private final Map<String, Group> bySector = new LinkedHashMap<>();
  private final List<Anchor> anchors = new ArrayList<>();
  private long loans;
  private LocalDate asOf;

  @Override
  public void anchors(List<Anchor> list) {
    anchors.addAll(list);
    for (Anchor a : list) {
      byAnchor.put(a.id(), new Group());
    }
  }

  @Override
  public void supplier(SupplierHistory h) {
    asOf = h.label().asOfDate();
    double financing = 0;
    for (Loan loan : h.loans()) {
      financing += loan.outstandingAt(asOf);
    }
    loans += h.loans().size();
    total.add(h, financing);
    byAnchor.computeIfAbsent(h.supplier().anchorId(), k -> new Group()).add(h, financing);
    bySector.computeIfAbsent(h.supplier().sector().code(), k -> new Group()).add(h, financing);
  }

  public Group total() {
    return total;
  }

  /** Totals per programme anchor id, in anchor order. */
  public Map<String, Group> byAnchor() {
    return byAnchor;
  }

  /** Totals per supplier sector code, in order of first appearance. */
  public Map<String, Group> bySector() {
    return bySector;
  }

  public long loans() {
    return loans;
  }

  /** A plain-text report for the terminal. */
  public String format() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "Portfolio as of %s: %,d suppliers, %,d invoices (%,.0f invoiced), %,d loans (%,.0f outstanding)%n",
        asOf, total.suppliers, total.invoices, total.invoicedAmount, loans, total.openFinancing));
    b.append(String.format(Locale.ROOT,
        "12-month defaults: %,d (%.2f%%), mean true PD %.2f%%%n%n",
        total.defaults, 100 * total.defaultRate(), 100 * total.meanTruePd()));
    Map<String, String> names = new LinkedHashMap<>();
    for (Anchor a : anchors) {
      names.put(a.id(), a.name() + " (" + a.sector().code() + ")");
    }
    table(b, "anchor programme", byAnchor, names);
    b.append('\n');
    table(b, "supplier sector", bySector, Map.of());
    return b.toString();
  }

  private static void table(StringBuilder b, String title, Map<String, Group> groups, Map<String, String> names) {
    b.append(String.format(Locale.ROOT, "%-48s %9s %12s %9s %9s %16s%n",
        title, "suppliers", "invoices", "defaults", "rate", "outstanding"));
    for (Map.Entry<String, Group> e : groups.entrySet()) {
      Group g = e.getValue();
      String label = e.getKey() + (names.containsKey(e.getKey()) ? " " + names.get(e.getKey()) : "");
      b.append(String.format(Locale.ROOT, "%-48s %,9d %,12d %,9d %9s %,16.0f%n",
          label, g.suppliers, g.invoices, g.defaults, percent(g.defaultRate()), g.openFinancing));
    }
  }

  /** A rate as a percentage with two decimals, or "-" for a group without suppliers (no rate, not "NaN%"). */
  static String percent(double rate) {
    return Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * rate);
  }
}

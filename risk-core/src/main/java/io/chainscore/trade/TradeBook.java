package io.chainscore.trade;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consistent set of trade records: ids are unique per type and every invoice, loan and label
 * refers to a known supplier, every invoice to a known buyer.
 *
 * <p>Build one with {@link #builder()}; {@link Builder#build()} checks the rules that span
 * records ({@link TradeRules}, the same checks the batch and Spark engines apply) and throws a
 * {@link TradeRecordException} naming the first record at fault.
 *
 * <p>Thread safety: immutable once built; the lists are unmodifiable.
 */
public final class TradeBook {
  private final List<Supplier> suppliers;
  private final List<Anchor> anchors;
  private final List<Invoice> invoices;
  private final List<Loan> loans;
  private final List<DefaultLabel> labels;
  private final Map<String, Integer> supplierIndex;

  private TradeBook(Builder b, Map<String, Integer> supplierIndex) {
    this.suppliers = Collections.unmodifiableList(new ArrayList<>(b.suppliers));
    this.anchors = Collections.unmodifiableList(new ArrayList<>(b.anchors));
    this.invoices = Collections.unmodifiableList(new ArrayList<>(b.invoices));
    this.loans = Collections.unmodifiableList(new ArrayList<>(b.loans));
    this.labels = Collections.unmodifiableList(new ArrayList<>(b.labels));
    this.supplierIndex = Collections.unmodifiableMap(supplierIndex);
  }

  /** Starts an empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  public List<Supplier> suppliers() {
    return suppliers;
  }

  public List<Anchor> anchors() {
    return anchors;
  }

  public List<Invoice> invoices() {
    return invoices;
  }

  public List<Loan> loans() {
    return loans;
  }

  public List<DefaultLabel> labels() {
    return labels;
  }

  /** The position of a supplier in {@link #suppliers()}, or -1 when unknown. */
  public int indexOfSupplier(String supplierId) {
    Integer i = supplierIndex.get(supplierId);
    return i == null ? -1 : i;
  }

  /**
   * Collects records, then builds the checked book.
   *
   * <p>Thread safety: not thread-safe; one thread at a time.
   */
  public static final class Builder {
    private final List<Supplier> suppliers = new ArrayList<>();
    private final List<Anchor> anchors = new ArrayList<>();
    private final List<Invoice> invoices = new ArrayList<>();
    private final List<Loan> loans = new ArrayList<>();
    private final List<DefaultLabel> labels = new ArrayList<>();

    private Builder() {}

    public Builder addSupplier(Supplier supplier) {
      suppliers.add(supplier);
      return this;
    }

    public Builder addAnchor(Anchor anchor) {
      anchors.add(anchor);
      return this;
    }

    public Builder addInvoice(Invoice invoice) {
      invoices.add(invoice);
      return this;
    }

    public Builder addLoan(Loan loan) {
      loans.add(loan);
      return this;
    }

    public Builder addLabel(DefaultLabel label) {
      labels.add(label);
      return this;
    }

    /**
     * Checks uniqueness and references and returns the book.
     *
     * @throws TradeRecordException for the first duplicate id or unknown reference
     */
    public TradeBook build() {
      Map<String, Integer> supplierIndex = new HashMap<>(suppliers.size() * 2);
      Set<String> buyers = new HashSet<>();
      for (Anchor a : anchors) {
        if (!buyers.add(a.id())) {
          throw TradeRules.duplicate(TradeRules.ANCHOR_ID).toException("anchor", a.id());
        }
      }
      for (int i = 0; i < suppliers.size(); i++) {
        Supplier s = suppliers.get(i);
        TradeRules.Violation v = TradeRules.supplier(s.sector().code(), s.anchorId(), buyers.contains(s.anchorId()),
            s.declaredAnnualTurnover());
        if (v == null && supplierIndex.putIfAbsent(s.id(), i) != null) {
          v = TradeRules.duplicate(TradeRules.SUPPLIER_ID);
        }
        if (v != null) {
          throw v.toException("supplier", s.id());
        }
      }
      Set<String> invoiceIds = new HashSet<>(invoices.size() * 2);
      for (Invoice inv : invoices) {
        TradeRules.Violation v = TradeRules.invoice(inv.supplierId(), supplierIndex.containsKey(inv.supplierId()),
            inv.buyerId(), buyers.contains(inv.buyerId()));
        if (v == null && !invoiceIds.add(inv.invoiceId())) {
          v = TradeRules.duplicate(TradeRules.INVOICE_ID);
        }
        if (v != null) {
          throw v.toException("invoice", inv.invoiceId());
        }
      }
      Set<String> loanIds = new HashSet<>();
      for (Loan loan : loans) {
        TradeRules.Violation v = TradeRules.supplierOf(loan.supplierId(), supplierIndex.containsKey(loan.supplierId()));
        if (v == null && !loanIds.add(loan.loanId())) {
          v = TradeRules.duplicate(TradeRules.LOAN_ID);
        }
        if (v != null) {
          throw v.toException("loan", loan.loanId());
        }
      }
      Set<String> labelled = new HashSet<>();
      for (DefaultLabel label : labels) {
        TradeRules.Violation v = TradeRules.supplierOf(label.supplierId(), supplierIndex.containsKey(label.supplierId()));
        if (v != null) {
          throw v.toException("label", label.supplierId());
        }
        if (!labelled.add(label.supplierId() + "@" + label.asOfDate())) {
          throw new TradeRecordException(
              "label",
              label.supplierId(),
              TradeRules.AS_OF_DATE,
              label.asOfDate() + " is labelled twice for this supplier");
        }
      }
      return new TradeBook(this, supplierIndex);
    }
  }
}

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
 * records and throws a {@link TradeRecordException} naming the first record at fault.
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

  /** Collects records; not thread-safe. */
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
      for (int i = 0; i < suppliers.size(); i++) {
        String id = suppliers.get(i).id();
        if (supplierIndex.putIfAbsent(id, i) != null) {
          throw new TradeRecordException("supplier", id, "id", "is a duplicate");
        }
      }
      Set<String> buyers = new HashSet<>();
      for (Anchor a : anchors) {
        if (!buyers.add(a.id())) {
          throw new TradeRecordException("anchor", a.id(), "id", "is a duplicate");
        }
      }
      for (Supplier s : suppliers) {
        if (!buyers.contains(s.anchorId())) {
          throw new TradeRecordException(
              "supplier", s.id(), "anchorId", Checks.quoted(s.anchorId()) + " is not a known anchor");
        }
      }
      Set<String> invoiceIds = new HashSet<>(invoices.size() * 2);
      for (Invoice inv : invoices) {
        if (!invoiceIds.add(inv.invoiceId())) {
          throw new TradeRecordException("invoice", inv.invoiceId(), "invoiceId", "is a duplicate");
        }
        if (!supplierIndex.containsKey(inv.supplierId())) {
          throw new TradeRecordException(
              "invoice",
              inv.invoiceId(),
              "supplierId",
              Checks.quoted(inv.supplierId()) + " is not a known supplier");
        }
        if (!buyers.contains(inv.buyerId())) {
          throw new TradeRecordException(
              "invoice",
              inv.invoiceId(),
              "buyerId",
              Checks.quoted(inv.buyerId()) + " is not a known anchor");
        }
      }
      Set<String> loanIds = new HashSet<>();
      for (Loan loan : loans) {
        if (!loanIds.add(loan.loanId())) {
          throw new TradeRecordException("loan", loan.loanId(), "loanId", "is a duplicate");
        }
        if (!supplierIndex.containsKey(loan.supplierId())) {
          throw new TradeRecordException(
              "loan",
              loan.loanId(),
              "supplierId",
              Checks.quoted(loan.supplierId()) + " is not a known supplier");
        }
      }
      Set<String> labelled = new HashSet<>();
      for (DefaultLabel label : labels) {
        if (!supplierIndex.containsKey(label.supplierId())) {
          throw new TradeRecordException(
              "label", label.supplierId(), "supplierId", "is not a known supplier");
        }
        if (!labelled.add(label.supplierId() + "@" + label.asOfDate())) {
          throw new TradeRecordException(
              "label",
              label.supplierId(),
              "asOfDate",
              label.asOfDate() + " is labelled twice for this supplier");
        }
      }
      return new TradeBook(this, supplierIndex);
    }
  }
}

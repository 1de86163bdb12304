package io.chainscore.features.engine;

/**
 * A reusable column-oriented chunk of invoices, the unit the {@link FeatureEngine} consumes.
 *
 * <p>A reader (CSV, Arrow record batch, database cursor) fills rows {@code 0 .. size()-1} of the
 * public arrays and calls {@link #setSize(int)}; the engine reads the chunk during {@link
 * FeatureEngine#addInvoices(InvoiceColumns)} and keeps no reference to it, so the same object can
 * be refilled for the next chunk. Indexes are dense: {@code supplier} indexes the engine's {@link
 * SupplierTable}, {@code buyer} indexes the anchors ({@code 0 .. SupplierTable.buyerCount()-1}).
 * Dates are epoch days ({@link java.time.LocalDate#toEpochDay()}); an invoice not yet paid has
 * {@code paidDay == }{@link #UNPAID}. The engine validates every row (see {@code docs/features.md}).
 *
 * <p>Invoice ids are optional ({@link #invoiceId} entries may be {@code null}); when present they
 * name the record in error messages and quarantine reports. The engine does not detect duplicate
 * invoice ids: that needs memory proportional to the number of invoices, which the engine promises
 * not to use; readers deduplicate (for example on an id-sorted file), and the record path ({@link
 * io.chainscore.trade.TradeBook}) rejects duplicates when the book is built.
 *
 * <p>Thread safety: none; a chunk is owned by one thread at a time.
 */
public final class InvoiceColumns {
  /** Value of {@link #paidDay} for an invoice not paid (yet). */
  public static final int UNPAID = Integer.MIN_VALUE;

  /** Dense supplier index of each row. */
  public final int[] supplier;
  /** Dense buyer (anchor) index of each row. */
  public final int[] buyer;
  /** Issue date, epoch day. */
  public final int[] issueDay;
  /** Due date, epoch day; not before the issue date. */
  public final int[] dueDay;
  /** Payment date, epoch day, or {@link #UNPAID}. */
  public final int[] paidDay;
  /** Invoiced amount, finite, greater than zero, at most {@link io.chainscore.trade.TradeRules#MAX_AMOUNT}. */
  public final double[] amount;
  /**
   * Credit notes booked against the invoice on or before the as-of date D (not those booked
   * later: see {@link InvoiceEvents}), between zero and {@code amount}.
   */
  public final double[] returnedAmount;
  /**
   * Not read by the engine: whether the goods arrived on time is known from the delivery date on,
   * so on-time delivery comes from {@link DeliveryColumns}. Kept for readers of the old layout.
   */
  public final boolean[] deliveredOnTime;
  /** Whether the buyer opened a dispute of the invoice on or before D (see {@link InvoiceEvents}). */
  public final boolean[] disputed;
  /**
   * Optional invoice ids for messages; entries may be {@code null}. A reader that refills a chunk
   * without ids must clear them, or messages would name a previous chunk's invoice.
   */
  public final String[] invoiceId;

  private int size;

  /** Allocates a chunk holding up to {@code capacity} rows. */
  public InvoiceColumns(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    supplier = new int[capacity];
    buyer = new int[capacity];
    issueDay = new int[capacity];
    dueDay = new int[capacity];
    paidDay = new int[capacity];
    amount = new double[capacity];
    returnedAmount = new double[capacity];
    deliveredOnTime = new boolean[capacity];
    disputed = new boolean[capacity];
    invoiceId = new String[capacity];
  }

  /** Number of rows the arrays can hold. */
  public int capacity() {
    return supplier.length;
  }

  /** Number of filled rows. */
  public int size() {
    return size;
  }

  /** Declares rows {@code 0 .. size-1} filled. */
  public void setSize(int size) {
    if (size < 0 || size > capacity()) {
      throw new IllegalArgumentException("size must be in [0, " + capacity() + "], got " + size);
    }
    this.size = size;
  }

  /** Sets every column of row {@code row}; a convenience for readers and tests. */
  public void set(
      int row,
      int supplierIndex,
      int buyerIndex,
      int issue,
      int due,
      int paid,
      double invoicedAmount,
      double returned,
      boolean onTime,
      boolean isDisputed,
      String id) {
    supplier[row] = supplierIndex;
    buyer[row] = buyerIndex;
    issueDay[row] = issue;
    dueDay[row] = due;
    paidDay[row] = paid;
    amount[row] = invoicedAmount;
    returnedAmount[row] = returned;
    deliveredOnTime[row] = onTime;
    disputed[row] = isDisputed;
    invoiceId[row] = id;
  }
}

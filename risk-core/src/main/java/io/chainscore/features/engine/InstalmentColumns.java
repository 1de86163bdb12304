package io.chainscore.features.engine;

/**
 * A reusable column-oriented chunk of loan instalments, one row per scheduled instalment, each
 * row repeating its loan's supplier, drawdown day and amount.
 *
 * <p>Filled and reused like {@link InvoiceColumns}. {@code loan} is a dense loan index ({@code 0 ..
 * loans-1}, assigned by the reader); every row of one loan must repeat the same supplier, drawdown
 * day and loan amount, which the engine checks. Every instalment of a loan must be passed (also
 * those due after the as-of date) because outstanding principal is the share of the whole
 * schedule not yet settled. An instalment not settled has {@code repaidDay == }{@link #UNREPAID}.
 *
 * <p>Thread safety: none; a chunk is owned by one thread at a time.
 */
public final class InstalmentColumns {
  /** Value of {@link #repaidDay} for an instalment not repaid (yet). */
  public static final int UNREPAID = Integer.MIN_VALUE;

  /** Dense supplier index. */
  public final int[] supplier;
  /** Dense loan index. */
  public final int[] loan;
  /** Drawdown date of the loan, epoch day. */
  public final int[] drawdownDay;
  /** Principal drawn, greater than zero. */
  public final double[] loanAmount;
  /** Due date of the instalment, epoch day, after the drawdown. */
  public final int[] dueDay;
  /** Amount due (principal plus interest), greater than zero. */
  public final double[] amountDue;
  /** Day the instalment was settled, epoch day, or {@link #UNREPAID}. */
  public final int[] repaidDay;
  /** Amount repaid, between zero and {@code amountDue} (plus half a cent). */
  public final double[] amountRepaid;

  private int size;

  /** Allocates a chunk holding up to {@code capacity} rows. */
  public InstalmentColumns(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    supplier = new int[capacity];
    loan = new int[capacity];
    drawdownDay = new int[capacity];
    loanAmount = new double[capacity];
    dueDay = new int[capacity];
    amountDue = new double[capacity];
    repaidDay = new int[capacity];
    amountRepaid = new double[capacity];
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

  /** Sets every column of row {@code row}. */
  public void set(
      int row,
      int supplierIndex,
      int loanIndex,
      int drawdown,
      double principal,
      int due,
      double dueAmount,
      int repaid,
      double repaidAmount) {
    supplier[row] = supplierIndex;
    loan[row] = loanIndex;
    drawdownDay[row] = drawdown;
    loanAmount[row] = principal;
    dueDay[row] = due;
    amountDue[row] = dueAmount;
    repaidDay[row] = repaid;
    amountRepaid[row] = repaidAmount;
  }
}

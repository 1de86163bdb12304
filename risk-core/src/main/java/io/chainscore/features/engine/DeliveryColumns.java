package io.chainscore.features.engine;

/**
 * A reusable column-oriented chunk of deliveries made (one row per delivered invoice), filled and
 * reused like {@link InvoiceColumns}. A delivery is known from its actual date on: the engine counts
 * it in {@code on_time_delivery_rate_12m} when the actual date is in the 360 days ending on D, on
 * time when {@code actualDay <= promisedDay}.
 *
 * <p>Thread safety: none; a chunk is owned by one thread at a time.
 */
public final class DeliveryColumns {
  /** Dense supplier index. */
  public final int[] supplier;
  /** Promised delivery date, epoch day. */
  public final int[] promisedDay;
  /** Actual delivery date, epoch day. */
  public final int[] actualDay;
  /** Optional invoice ids for messages; entries may be {@code null}. */
  public final String[] invoiceId;

  private int size;

  /** Allocates a chunk holding up to {@code capacity} rows. */
  public DeliveryColumns(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    supplier = new int[capacity];
    promisedDay = new int[capacity];
    actualDay = new int[capacity];
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

  /** Sets every column of row {@code row}. */
  public void set(int row, int supplierIndex, int promised, int actual, String id) {
    supplier[row] = supplierIndex;
    promisedDay[row] = promised;
    actualDay[row] = actual;
    invoiceId[row] = id;
  }
}

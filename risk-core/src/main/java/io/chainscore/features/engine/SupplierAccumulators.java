package io.chainscore.features.engine;

import java.util.Arrays;

/**
 * Per-supplier invoice accumulators packed so that one invoice touches few cache lines: a double
 * record of {@link #DOUBLES} values and an int record of {@link #INTS} values per supplier.
 *
 * <p>The double record holds, in its first 64-byte line, the 12-month sums and the open and
 * overdue amounts; then for each 30-day block its amount and count side by side (a count in a
 * double is exact below 2^53); then the amounts of the first {@link #INLINE_BUYERS} buyers. Buyers
 * beyond the inline slots spill to per-supplier arrays. Records are whole lines (64 bytes and
 * 512 bytes) and start {@link #INT_BASE} ints / {@link #DOUBLE_BASE} doubles into their arrays:
 * the accumulator arrays are large, so G1 places each at the start of a heap region, where the
 * 16-byte array header puts element 0 at 16 bytes past a line boundary; the 48-byte pad then
 * aligns every record to a line. (With another collector the records may straddle lines; only
 * speed depends on it.)
 */
final class SupplierAccumulators {
  /**
   * Buyers kept in the records: eight fill the int record's free slots and the double record's
   * last line exactly. A spilled buyer costs two or three cache misses (the per-supplier arrays),
   * so the inline slots matter when suppliers sell to several anchors (measured: +8% invoices/s on
   * scattered input with about ten buyers per supplier, against four slots).
   */
  static final int INLINE_BUYERS = 8;
  /** Leading pad of {@link #ints}, in ints (48 bytes). */
  static final int INT_BASE = 12;
  /** Leading pad of {@link #sums}, in doubles (48 bytes). */
  static final int DOUBLE_BASE = 6;
  // Double record.
  static final int RETURNED_12 = 0;
  static final int DISPUTED_12 = 1;
  static final int OPEN = 2;
  static final int OVERDUE = 3; // 4 buckets
  static final int BEYOND_TERMS_DAYS_12 = 7;
  static final int BLOCK = 8; // (amount, count) per block
  static final int BUYER_AMOUNT = BLOCK + 2 * FeatureEngine.BLOCKS; // INLINE_BUYERS slots
  static final int DOUBLES = 64; // eight 64-byte lines
  // Int record.
  static final int FIRST_ISSUE = 0;
  static final int LAST_ISSUE = 1;
  static final int FIRST_ANCHOR_ISSUE = 2;
  static final int ANCHOR = 3;
  static final int ON_TIME_12 = 4;
  static final int PAID_12 = 5;
  static final int BUYERS = 6;
  static final int BUYER_INDEX = 7; // INLINE_BUYERS slots
  /** Deliveries made in the 360 days ending on D (their actual date); ON_TIME_12 counts those on time. */
  static final int DELIVERED_12 = BUYER_INDEX + INLINE_BUYERS;
  static final int INTS = 16; // one 64-byte line

  final double[] sums;
  final int[] ints;
  final int[][] spillBuyerIndex;
  final double[][] spillBuyerAmount;

  SupplierAccumulators(SupplierTable table) {
    int n = table.size();
    sums = new double[DOUBLE_BASE + n * DOUBLES];
    ints = new int[INT_BASE + n * INTS];
    spillBuyerIndex = new int[n][];
    spillBuyerAmount = new double[n][];
    for (int s = 0; s < n; s++) {
      int o = intRecord(s);
      ints[o + FIRST_ISSUE] = Integer.MAX_VALUE;
      ints[o + LAST_ISSUE] = Integer.MIN_VALUE;
      ints[o + FIRST_ANCHOR_ISSUE] = Integer.MAX_VALUE;
      ints[o + ANCHOR] = table.anchor(s);
    }
  }

  /** Index of supplier {@code s}'s double record in {@link #sums}. */
  static int doubleRecord(int s) {
    return DOUBLE_BASE + s * DOUBLES;
  }

  /** Index of supplier {@code s}'s int record in {@link #ints}. */
  static int intRecord(int s) {
    return INT_BASE + s * INTS;
  }

  /** Adds {@code amount} to buyer {@code b} of supplier {@code s}, in first-seen order. */
  void addToBuyer(int s, int b, double amount) {
    int io = intRecord(s);
    int count = ints[io + BUYERS];
    int inline = Math.min(count, INLINE_BUYERS);
    for (int j = 0; j < inline; j++) {
      if (ints[io + BUYER_INDEX + j] == b) {
        sums[doubleRecord(s) + BUYER_AMOUNT + j] += amount;
        return;
      }
    }
    if (count < INLINE_BUYERS) {
      ints[io + BUYER_INDEX + count] = b;
      sums[doubleRecord(s) + BUYER_AMOUNT + count] = amount;
      ints[io + BUYERS] = count + 1;
      return;
    }
    int spilled = count - INLINE_BUYERS;
    int[] ids = spillBuyerIndex[s];
    for (int j = 0; j < spilled; j++) {
      if (ids[j] == b) {
        spillBuyerAmount[s][j] += amount;
        return;
      }
    }
    if (ids == null || spilled == ids.length) {
      int size = ids == null ? 4 : ids.length * 2;
      spillBuyerIndex[s] = ids = ids == null ? new int[size] : Arrays.copyOf(ids, size);
      spillBuyerAmount[s] =
          spillBuyerAmount[s] == null ? new double[size] : Arrays.copyOf(spillBuyerAmount[s], size);
    }
    ids[spilled] = b;
    spillBuyerAmount[s][spilled] = amount;
    ints[io + BUYERS] = count + 1;
  }

  /** The amount of the {@code j}-th buyer of supplier {@code s} in first-seen order. */
  double buyerAmount(int s, int j) {
    return j < INLINE_BUYERS
        ? sums[doubleRecord(s) + BUYER_AMOUNT + j]
        : spillBuyerAmount[s][j - INLINE_BUYERS];
  }
}

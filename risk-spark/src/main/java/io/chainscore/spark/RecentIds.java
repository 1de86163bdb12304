package io.chainscore.spark;

import io.chainscore.spark.SupplierBlocks.BlockRow;
import java.util.Arrays;

/**
 * The value of an id spelt by bytes, found among the last {@link #RECENT} ids looked up (most
 * recent first) by comparing bytes, else computed by the lookup it was made with and remembered.
 * Rows come supplier by supplier and a supplier's invoices alternate between few buyers, so nearly
 * every id is a recent one: a comparison of a few bytes instead of a hash and a probe per row (the
 * partitions' supplier and buyer lookups, a fifth of their time at 100,000 suppliers, and the map
 * side's partition of each row). The lookup must give the same value for the same bytes.
 *
 * <p>Before the bytes, where the caller names the batch the bytes lie in ({@code serial}, not 0):
 * an id seen at the same place of the same array in the same batch is the same id, found without
 * comparing a byte. The reader points every row of a dictionary-encoded text column at its entry's
 * one copy in the batch (as the single machine's {@code IdRuns} relies on), so a supplier's run of
 * rows, and the few buyers its invoices alternate between, are found by their place once per
 * batch by their bytes and then by three comparisons of ints.
 *
 * <p>Thread safety: not thread-safe; one per task.
 */
final class RecentIds {
  /** The value of the id spelt by {@code bytes[at, at + length)}, or null. */
  @FunctionalInterface
  interface Lookup {
    Integer find(byte[] bytes, int at, int length);
  }

  static final int RECENT = 4;
  private final Lookup lookup;
  private final byte[][] ids = new byte[RECENT][];
  private final Integer[] values = new Integer[RECENT];
  /** Where each recent id was last seen: the array, start, length and batch serial (0: none). */
  private final byte[][] seenIn = new byte[RECENT][];
  private final int[] seenAt = new int[RECENT];
  private final int[] seenLength = new int[RECENT];
  private final long[] seenSerial = new long[RECENT];
  private int held;

  RecentIds(Lookup lookup) {
    this.lookup = lookup;
  }

  /** The value of row {@code r}'s text column {@code c}; null for a null id. */
  Integer get(BlockRow r, int c) {
    return r.isNullAt(c) ? null : get(r.bytes(c), r.textAt(c), r.textLength(c), r.serial());
  }

  /** The value of the id spelt by {@code bytes[at, at + length)}. */
  Integer get(byte[] bytes, int at, int length) {
    return get(bytes, at, length, 0);
  }

  /**
   * The value of the id spelt by {@code bytes[at, at + length)}, which lie in the batch numbered
   * {@code serial} (its bytes unchanged while that batch is read; 0: unknown, compare the bytes).
   */
  Integer get(byte[] bytes, int at, int length, long serial) {
    if (serial != 0) {
      for (int k = 0; k < held; k++) {
        if (seenAt[k] == at && seenSerial[k] == serial && seenLength[k] == length && seenIn[k] == bytes) {
          return toFront(k);
        }
      }
    }
    for (int k = 0; k < held; k++) {
      byte[] id = ids[k];
      if (id.length == length && Arrays.equals(id, 0, length, bytes, at, at + length)) {
        seen(k, bytes, at, length, serial);
        return toFront(k);
      }
    }
    Integer v = lookup.find(bytes, at, length);
    int keep = Math.min(held, RECENT - 1);
    shiftDown(keep);
    ids[0] = Arrays.copyOfRange(bytes, at, at + length);
    values[0] = v;
    seen(0, bytes, at, length, serial);
    held = keep + 1;
    return v;
  }

  private void seen(int k, byte[] bytes, int at, int length, long serial) {
    seenIn[k] = serial == 0 ? null : bytes;
    seenAt[k] = at;
    seenLength[k] = length;
    seenSerial[k] = serial;
  }

  /** Moves the first {@code count} recent ids one place down (slot 0 is then the caller's to fill). */
  private void shiftDown(int count) {
    System.arraycopy(ids, 0, ids, 1, count);
    System.arraycopy(values, 0, values, 1, count);
    System.arraycopy(seenIn, 0, seenIn, 1, count);
    System.arraycopy(seenAt, 0, seenAt, 1, count);
    System.arraycopy(seenLength, 0, seenLength, 1, count);
    System.arraycopy(seenSerial, 0, seenSerial, 1, count);
  }

  /** Moves recent id {@code k} to the front; returns its value. */
  private Integer toFront(int k) {
    Integer v = values[k];
    if (k > 0) {
      byte[] id = ids[k];
      byte[] in = seenIn[k];
      int at = seenAt[k];
      int length = seenLength[k];
      long serial = seenSerial[k];
      shiftDown(k);
      ids[0] = id;
      values[0] = v;
      seenIn[0] = in;
      seenAt[0] = at;
      seenLength[0] = length;
      seenSerial[0] = serial;
    }
    return v;
  }
}

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
  private int held;

  RecentIds(Lookup lookup) {
    this.lookup = lookup;
  }

  /** The value of row {@code r}'s text column {@code c}; null for a null id. */
  Integer get(BlockRow r, int c) {
    return r.isNullAt(c) ? null : get(r.bytes(c), r.textAt(c), r.textLength(c));
  }

  /** The value of the id spelt by {@code bytes[at, at + length)}. */
  Integer get(byte[] bytes, int at, int length) {
    for (int k = 0; k < held; k++) {
      byte[] id = ids[k];
      if (id.length == length && Arrays.equals(id, 0, length, bytes, at, at + length)) {
        Integer v = values[k];
        if (k > 0) {
          // to the front
          System.arraycopy(ids, 0, ids, 1, k);
          System.arraycopy(values, 0, values, 1, k);
          ids[0] = id;
          values[0] = v;
        }
        return v;
      }
    }
    Integer v = lookup.find(bytes, at, length);
    int keep = Math.min(held, RECENT - 1);
    System.arraycopy(ids, 0, ids, 1, keep);
    System.arraycopy(values, 0, values, 1, keep);
    ids[0] = Arrays.copyOfRange(bytes, at, at + length);
    values[0] = v;
    held = keep + 1;
    return v;
  }
}

package io.chainscore.spark;

/**
 * A set of non-zero {@code long} keys in one primitive array (open addressing, linear probing,
 * at most half full): what a partition remembers per accepted row without boxing a {@code Long}
 * for each (until 2026-12-07 a {@code HashSet<Long>} held every instalment's loan and due date).
 *
 * <p>Thread safety: none; one instance belongs to one partition's thread.
 */
final class LongSet {
  private long[] slots = new long[64];
  private int size;

  /**
   * Adds {@code key}.
   *
   * @return true when it was not in the set
   * @throws IllegalArgumentException for 0, which marks an empty slot
   */
  boolean add(long key) {
    if (key == 0) {
      throw new IllegalArgumentException("0 is not a key of a LongSet");
    }
    if (2 * (size + 1) > slots.length) {
      grow();
    }
    if (!insert(slots, key)) {
      return false;
    }
    size++;
    return true;
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    for (long key : slots) {
      if (key != 0) {
        insert(bigger, key);
      }
    }
    slots = bigger;
  }

  private static boolean insert(long[] table, long key) {
    int mask = table.length - 1;
    // Murmur3's 64-bit finaliser: keys made of a small index and a day spread over the whole table
    long h = key;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    for (int i = (int) h & mask; ; i = (i + 1) & mask) {
      if (table[i] == key) {
        return false;
      }
      if (table[i] == 0) {
        table[i] = key;
        return true;
      }
    }
  }
}

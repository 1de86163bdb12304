package io.chainscore.batch.engine;

/**
 * The first row of each key seen, for a batch job's unique-key rule ({@link
 * BatchJob.Builder#uniqueKey}): {@link #firstRow} records a key's row the first time and gives it
 * back every later time.
 *
 * <p>Keys are held as two independent 64-bit fingerprints of their characters (128 bits) beside
 * the row, 24 bytes a slot in flat arrays at most half full: about 50 MB at a million suppliers,
 * where a set of the Strings would hold about 100. Two distinct keys are taken for one only if both
 * fingerprints agree, odds of about n^2 / 2^129 for n keys (10^-26 at a million).
 *
 * <p>Thread safety: none; the job's reading thread alone uses it.
 */
final class KeyRows {
  private static final long EMPTY = 0L;
  private long[] first;
  private long[] second;
  private long[] rows;
  private int size;

  KeyRows() {
    allocate(1 << 12);
  }

  private void allocate(int slots) {
    first = new long[slots];
    second = new long[slots];
    rows = new long[slots];
  }

  /**
   * The row where {@code key} was first seen, or -1 when this is the first time (and {@code row}
   * is recorded for it).
   */
  long firstRow(String key, long row) {
    long a = fingerprint(key, 0x9E3779B97F4A7C15L, 0xBF58476D1CE4E5B9L);
    long b = fingerprint(key, 0xD6E8FEB86659FD93L, 0x94D049BB133111EBL);
    if (a == EMPTY) {
      a = 1; // 0 marks a free slot; folding one fingerprint value into another costs nothing here
    }
    int mask = first.length - 1;
    for (int i = (int) (a ^ (a >>> 32)) & mask; ; i = (i + 1) & mask) {
      if (first[i] == EMPTY) {
        first[i] = a;
        second[i] = b;
        rows[i] = row;
        if (++size * 2 > first.length) {
          grow();
        }
        return -1;
      }
      if (first[i] == a && second[i] == b) {
        return rows[i];
      }
    }
  }

  private void grow() {
    long[] oldFirst = first;
    long[] oldSecond = second;
    long[] oldRows = rows;
    allocate(oldFirst.length * 2);
    int mask = first.length - 1;
    for (int j = 0; j < oldFirst.length; j++) {
      long a = oldFirst[j];
      if (a == EMPTY) {
        continue;
      }
      int i = (int) (a ^ (a >>> 32)) & mask;
      while (first[i] != EMPTY) {
        i = (i + 1) & mask;
      }
      first[i] = a;
      second[i] = oldSecond[j];
      rows[i] = oldRows[j];
    }
  }

  /** A 64-bit hash of the key's characters: multiply-fold with {@code odd}, then a finalising mix. */
  static long fingerprint(String key, long seed, long odd) {
    long h = seed ^ key.length();
    for (int i = 0; i < key.length(); i++) {
      h = (h ^ key.charAt(i)) * odd;
      h ^= h >>> 29;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }

  /** Keys recorded. */
  int size() {
    return size;
  }

}

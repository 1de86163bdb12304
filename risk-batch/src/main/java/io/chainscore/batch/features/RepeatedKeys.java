package io.chainscore.batch.features;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The duplicate-invoice check's second pass, run only when {@link KeyLog} found keys added more
 * than once: {@link #isRepeat} says whether a key was accepted before in this pass, so that the
 * first invoice of an id stands and every later one is refused, in file order, as a set probed per
 * invoice would have decided.
 *
 * <p>Given the repeated keys, the sets hold those alone (a few, nearly always), so each invoice
 * costs one probe of a small table, and the ids accepted under each repeated key are kept, so that
 * two distinct ids that happen to share a 64-bit fingerprint (odds of about n^2 / 2^65 for n
 * invoices: 1 in 600 at 250M) are both accepted: a repeat is the same id, not the same key. Given
 * none (more repeats than the heap should hold), the set of accepted keys holds every invoice's,
 * as the one-pass check did, and a repeat is the same key.
 *
 * <p>Thread safety: none; one thread at a time (the invoice stage's), and {@link #close} after the
 * last use.
 */
final class RepeatedKeys implements AutoCloseable {
  /** The keys that repeat, or null when any key may. */
  private final FingerprintSet repeating;
  /** The repeating keys accepted so far in this pass. */
  private final FingerprintSet accepted;
  /** Given the repeating keys: the ids accepted under each so far (one String, or a list when keys collide). */
  private final Map<Long, Object> acceptedIds;

  /**
   * @param repeated the keys that repeat ({@link KeyLog#repeatedKeys}), or null to treat every key
   *     as one that may
   * @param expected invoices to expect (a file's row count hint, -1 when unknown), for the set of
   *     accepted keys when {@code repeated} is null
   * @param threads threads that zero a new set
   */
  RepeatedKeys(long[] repeated, long expected, int threads) {
    if (repeated == null) {
      repeating = null;
      accepted = FingerprintSet.create(expected, threads);
      acceptedIds = null;
      return;
    }
    repeating = FingerprintSet.create(repeated.length);
    for (long k : repeated) {
      repeating.addKey(k);
    }
    accepted = FingerprintSet.create(repeated.length);
    acceptedIds = new HashMap<>();
  }

  /**
   * Whether the invoice of key {@code k} (never 0) in row {@code row} was accepted before in this
   * pass; when not, it is now. Given the repeating keys, a repeat is the same id, which {@code
   * idOf} gives for the row, asked only for a repeating key (a few rows); else the same key.
   */
  boolean isRepeat(long k, IntFunction<String> idOf, int row) {
    if (acceptedIds == null) {
      return !accepted.addKey(k);
    }
    if (!repeating.containsKey(k)) {
      return false;
    }
    String id = idOf.apply(row);
    if (accepted.addKey(k)) {
      acceptedIds.put(k, id);   // the key's first id: nearly always its only one
      return false;
    }
    Object held = acceptedIds.get(k);
    if (held instanceof String first) {
      if (first.equals(id)) {
        return true;
      }
      List<String> ids = new ArrayList<>(2);
      ids.add(first);
      ids.add(id);
      acceptedIds.put(k, ids);   // two ids under one key: a fingerprint collision
      return false;
    }
    @SuppressWarnings("unchecked")
    List<String> ids = (List<String>) held;
    if (ids.contains(id)) {
      return true;
    }
    ids.add(id);
    return false;
  }

  @Override
  public void close() {
    try {
      accepted.close();
    } finally {
      if (repeating != null) {
        repeating.close();
      }
    }
  }
}

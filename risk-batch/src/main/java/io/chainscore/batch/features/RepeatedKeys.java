package io.chainscore.batch.features;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The duplicate-invoice check's second pass, run only when {@link KeyLog} found keys added more
 * than once: {@link #isRepeat} says whether a key was accepted before in this pass, so that the
 * first invoice of an id stands and every later one is refused, in file order, as a set probed per
 * invoice would have decided.
 *
 * <p>Given the repeated keys (a few, nearly always), each invoice costs one probe of a small table
 * of them, and only an invoice under one of them has its id looked at: a repeat is an id accepted
 * before, so two distinct ids that happen to share a 64-bit fingerprint (odds of about n^2 / 2^65
 * for n invoices: 1 in 600 at 250M) are both accepted. Given none (more repeats than the heap
 * should hold), the set of accepted keys holds every invoice's, as the one-pass check did, and a
 * repeat is the same key.
 *
 * <p>Thread safety: none; one thread at a time (the invoice stage's), and {@link #close} after the
 * last use.
 */
final class RepeatedKeys implements AutoCloseable {
  /** The keys that repeat, or null when any key may. */
  private final FingerprintSet repeating;
  /** Given no repeating keys: every key accepted so far in this pass; else null. */
  private final FingerprintSet accepted;
  /** Given the repeating keys: the ids accepted under them so far in this pass; else null. */
  private final Set<String> acceptedIds;

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
    accepted = null;
    acceptedIds = new HashSet<>();
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
    return repeating.containsKey(k) && !acceptedIds.add(idOf.apply(row));
  }

  @Override
  public void close() {
    (repeating != null ? repeating : accepted).close();
  }
}

package io.chainscore.batch.features;

/**
 * The duplicate-invoice check's second pass, run only when {@link KeyLog} found keys added more
 * than once: {@link #isRepeat} says whether a key was accepted before in this pass, so that the
 * first invoice of an id stands and every later one is refused, in file order, as a set probed per
 * invoice would have decided.
 *
 * <p>Given the repeated keys, the sets hold those alone (a few, nearly always), so each invoice
 * costs one probe of a small table; given none (more repeats than the heap should hold), the set
 * of accepted keys holds every invoice's, as the one-pass check did.
 *
 * <p>Thread safety: none; one thread at a time (the invoice stage's), and {@link #close} after the
 * last use.
 */
final class RepeatedKeys implements AutoCloseable {
  /** The keys that repeat, or null when any key may. */
  private final FingerprintSet repeating;
  /** The repeating keys accepted so far in this pass. */
  private final FingerprintSet accepted;

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
      return;
    }
    repeating = FingerprintSet.create(repeated.length);
    for (long k : repeated) {
      repeating.addKey(k);
    }
    accepted = FingerprintSet.create(repeated.length);
  }

  /** Whether key {@code k} (never 0) was accepted before; when not, it is now. */
  boolean isRepeat(long k) {
    if (repeating != null && !repeating.containsKey(k)) {
      return false;
    }
    return !accepted.addKey(k);
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

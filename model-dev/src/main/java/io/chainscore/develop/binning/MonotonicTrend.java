package io.chainscore.develop.binning;

/**
 * Shape constraint on the event rate of consecutive bins (numeric order, or event-rate order
 * for categories).
 *
 * <p>Thread safety: immutable.
 */
public enum MonotonicTrend {
  /** No constraint: the partition with the highest IV. */
  NONE,
  /** Event rate non-decreasing from bin to bin. */
  ASCENDING,
  /** Event rate non-increasing from bin to bin. */
  DESCENDING,
  /** Event rate rises to one maximum, then falls (either part may be empty). */
  PEAK,
  /** Event rate falls to one minimum, then rises (either part may be empty). */
  VALLEY,
  /**
   * The better (higher IV) of {@link #ASCENDING} and {@link #DESCENDING}, ties going ascending
   * (optbinning's {@code auto_asc_desc}); categorical binning resolves it to ASCENDING.
   */
  AUTO
}

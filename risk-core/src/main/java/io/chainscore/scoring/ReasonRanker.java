package io.chainscore.scoring;

/** Picks the most adverse reason codes from per-code totals without allocating. */
final class ReasonRanker {
  /** How many reason codes a score reports. */
  static final int TOP = 4;

  private ReasonRanker() {}

  /**
   * Writes the indexes of the (at most) {@link #TOP} codes with the largest positive totals to
   * {@code out[outOffset ..]}, largest first, ties to the lower code index, padding with -1.
   * Overwrites {@code totals}.
   */
  static void top(double[] totals, int codeCount, int[] out, int outOffset) {
    for (int k = 0; k < TOP; k++) {
      int best = -1;
      double bestValue = 0;
      for (int c = 0; c < codeCount; c++) {
        // strict > keeps the first (lowest-index) code among equal totals and drops totals <= 0
        if (totals[c] > bestValue) {
          bestValue = totals[c];
          best = c;
        }
      }
      out[outOffset + k] = best;
      if (best >= 0) {
        totals[best] = Double.NEGATIVE_INFINITY;
      }
    }
  }
}

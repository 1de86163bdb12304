package io.chainscore.scoring;

/** Picks the most adverse reason codes from per-code totals without allocating. */
final class ReasonRanker {
  /** How many reason codes a score reports. */
  static final int TOP = 4;

  private ReasonRanker() {}

  /**
   * Writes the indexes of the (at most) {@link #TOP} codes with the largest positive totals among
   * {@code totals[totalsOffset .. totalsOffset + codeCount)} to
   * {@code out[outOffset .. outOffset + 4)}, largest first, ties to the lower code index, padding
   * with -1. Totals that are zero, negative or NaN are never reported.
   */
  static void top(double[] totals, int totalsOffset, int codeCount, int[] out, int outOffset) {
    int i0 = -1;
    int i1 = -1;
    int i2 = -1;
    int i3 = -1;
    double v0 = 0;
    double v1 = 0;
    double v2 = 0;
    double v3 = 0;
    for (int c = 0; c < codeCount; c++) {
      double t = totals[totalsOffset + c];
      // strict > keeps an earlier (lower-index) code ahead of a later one with an equal total
      if (!(t > v3)) {
        continue;
      }
      if (t > v0) {
        i3 = i2; v3 = v2; i2 = i1; v2 = v1; i1 = i0; v1 = v0; i0 = c; v0 = t;
      } else if (t > v1) {
        i3 = i2; v3 = v2; i2 = i1; v2 = v1; i1 = c; v1 = t;
      } else if (t > v2) {
        i3 = i2; v3 = v2; i2 = c; v2 = t;
      } else {
        i3 = c; v3 = t;
      }
    }
    out[outOffset] = i0;
    out[outOffset + 1] = i1;
    out[outOffset + 2] = i2;
    out[outOffset + 3] = i3;
  }
}

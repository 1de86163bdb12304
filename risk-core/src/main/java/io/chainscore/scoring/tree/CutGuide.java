package io.chainscore.scoring.tree;

import java.util.Arrays;

/**
 * Maps a value to its bin among a column's sorted cuts, the number of cuts at or below it, in a
 * guide-table lookup and a short fixed search instead of a full binary search.
 *
 * <p>Each column has a monotone bucket function {@code f} (uniform buckets either over the cuts'
 * value range or over their ordered bit patterns, whichever leaves fewer cuts in the fullest
 * bucket) and a guide {@code low[k]}, the number of cuts with {@code f(c) < k}. For a value x in
 * bucket k, every cut in a lower bucket is below x and every cut in a higher bucket above it
 * (monotonicity alone, so floating-point rounding in {@code f} cannot break it), so the bin is
 * {@code low[k]} plus the count of cuts at or below x among the at most {@code span} cuts of bucket
 * k: a branch-free search of {@code steps} compares over a window padded with NaN (never at or
 * below anything). Quantile cuts, as XGBoost's and LightGBM's histograms produce, leave one or two
 * cuts per bucket, so a value costs two compares instead of {@code log2(cuts)}.
 *
 * <p>Thread safety: immutable.
 */
final class CutGuide {
  /** Buckets per column at most; more cuts than this per bucket only cost more search steps. */
  static final int MAX_BUCKETS = 1 << 12;
  private static final byte BY_VALUE = 0;
  private static final byte BY_BITS = 1;

  private final byte[] mode;
  private final double[] low;
  private final double[] scale;
  private final long[] lowKey;
  private final long[] highKey;
  private final int[] keyShift;
  private final int[] bucketMax;
  private final int[] guideStart;
  private final int[] guide;
  private final int[] windowStart;
  private final int[] steps;
  private final double[] window;

  private CutGuide(double[] cuts, int[] start, int[] count) {
    int columns = start.length;
    mode = new byte[columns];
    low = new double[columns];
    scale = new double[columns];
    lowKey = new long[columns];
    highKey = new long[columns];
    keyShift = new int[columns];
    bucketMax = new int[columns];
    guideStart = new int[columns];
    windowStart = new int[columns];
    steps = new int[columns];
    int[][] guides = new int[columns][];
    double[][] windows = new double[columns][];
    int guideTotal = 0;
    int windowTotal = 0;
    for (int b = 0; b < columns; b++) {
      int n = count[b];
      int buckets = Math.min(MAX_BUCKETS, Integer.highestOneBit(Math.max(1, 4 * n)) * 2);
      bucketMax[b] = buckets - 1;
      double first = n == 0 ? 0 : cuts[start[b]];
      double last = n == 0 ? 0 : cuts[start[b] + n - 1];
      low[b] = first;
      double s = last > first ? buckets / (last - first) : 0.0;
      scale[b] = s < Double.POSITIVE_INFINITY ? s : 0.0;
      lowKey[b] = key(first);
      highKey[b] = key(last);
      long range = highKey[b] - lowKey[b]; // unsigned: the keys are ordered
      int bits = 64 - Long.numberOfLeadingZeros(range);
      keyShift[b] = Math.max(0, bits - Integer.numberOfTrailingZeros(buckets));
      mode[b] = BY_VALUE;
      int[] byValue = bucketCounts(b, cuts, start[b], n, buckets);
      mode[b] = BY_BITS;
      int[] byBits = bucketCounts(b, cuts, start[b], n, buckets);
      boolean useBits = max(byBits) < max(byValue);
      mode[b] = useBits ? BY_BITS : BY_VALUE;
      int[] counts = useBits ? byBits : byValue;
      int[] g = new int[buckets];
      int below = 0;
      for (int k = 0; k < buckets; k++) {
        g[k] = below;
        below += counts[k];
      }
      // At least two steps, so that the common case runs one unrolled loop.
      int stepCount = Math.max(2, 32 - Integer.numberOfLeadingZeros(max(counts)));
      int pad = (1 << stepCount) - 1;
      double[] w = new double[n + pad];
      System.arraycopy(cuts, start[b], w, 0, n);
      Arrays.fill(w, n, n + pad, Double.NaN);
      steps[b] = stepCount;
      guideStart[b] = guideTotal;
      windowStart[b] = windowTotal;
      guides[b] = g;
      windows[b] = w;
      guideTotal += buckets;
      windowTotal += w.length;
    }
    guide = new int[guideTotal];
    window = new double[windowTotal];
    for (int b = 0; b < columns; b++) {
      System.arraycopy(guides[b], 0, guide, guideStart[b], guides[b].length);
      System.arraycopy(windows[b], 0, window, windowStart[b], windows[b].length);
    }
  }

  /** The guide of columns whose sorted distinct cuts are {@code cuts[start[b] .. + count[b]]}. */
  static CutGuide of(double[] cuts, int[] start, int[] count) {
    return new CutGuide(cuts, start, count);
  }

  private int[] bucketCounts(int b, double[] cuts, int from, int n, int buckets) {
    int[] counts = new int[buckets];
    for (int i = 0; i < n; i++) {
      counts[bucket(b, cuts[from + i])]++;
    }
    return counts;
  }

  private static int max(int[] values) {
    int max = 0;
    for (int v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  /** The double's bits as a long ordered like the doubles (NaN excepted; -0.0 taken as 0.0). */
  private static long key(double x) {
    long bits = Double.doubleToRawLongBits(x + 0.0);
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  /** Column b's bucket of x: monotone non-decreasing in x, any bucket for NaN. */
  private int bucket(int b, double x) {
    if (mode[b] == BY_VALUE) {
      // Truncation and the int clamps are monotone; (int) NaN is 0.
      return Math.max(0, Math.min((int) ((x - low[b]) * scale[b]), bucketMax[b]));
    }
    long k = Math.min(Math.max(key(x), lowKey[b]), highKey[b]);
    return (int) ((k - lowKey[b]) >>> keyShift[b]);
  }

  /** The number of column b's cuts at or below x (not NaN). */
  int bin(int b, double x) {
    int base = windowStart[b];
    int q = base + guide[guideStart[b] + bucket(b, x)];
    double[] w = window;
    for (int h = 1 << (steps[b] - 1); h > 0; h >>>= 1) {
      q += w[q + h - 1] <= x ? h : 0;
    }
    return q - base;
  }

  /**
   * Writes to {@code bins[r]} the bin of {@code values[r]} in column b, for r below m (NaN values
   * get some bin in range, which callers ignore).
   */
  void bins(int b, double[] values, int m, int[] bins) {
    int base = windowStart[b];
    int from = guideStart[b];
    double[] w = window;
    int[] g = guide;
    if (mode[b] == BY_VALUE && steps[b] == 2) {
      // The common case as one straight loop: C2 keeps it free of data-dependent branches.
      double first = low[b];
      double s = scale[b];
      int top = bucketMax[b];
      for (int r = 0; r < m; r++) {
        double x = values[r];
        int q = base + g[from + Math.max(0, Math.min((int) ((x - first) * s), top))];
        q += w[q + 1] <= x ? 2 : 0;
        q += w[q] <= x ? 1 : 0;
        bins[r] = q - base;
      }
      return;
    }
    for (int r = 0; r < m; r++) {
      bins[r] = bin(b, values[r]);
    }
  }
}

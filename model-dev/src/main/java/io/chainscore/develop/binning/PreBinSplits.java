package io.chainscore.develop.binning;

import java.util.Arrays;

/**
 * The pre-binning seam of {@link OptimalBinning}: the fine split points that the optimal merge
 * combines (quantile, CART or distinct values; see {@link PreBinning}), and optbinning's
 * refinement that removes pre-bins without events or without non-events, for numeric values and
 * for categories ordered by event rate.
 *
 * <p>Thread safety: stateless.
 */
final class PreBinSplits {
  private PreBinSplits() {}

  /** The pre-bin split points of the clean values of {@code d} by {@code preBinning}. */
  static double[] of(Distinct d, PreBinning preBinning, int maxPreBins, double minPreBinShare, boolean entropy) {
    if (d.size <= 1) {
      return new double[0];
    }
    switch (preBinning) {
      case CART:
        return CartPreBinner.splits(d, maxPreBins, minPreBinShare, entropy);
      case DISTINCT:
        return Arrays.copyOfRange(d.values, 1, d.size);
      case QUANTILE:
      default:
        return quantileSplits(d, maxPreBins);
    }
  }

  private static double[] quantileSplits(Distinct d, int maxPreBins) {
    double n = d.total();
    double[] out = new double[maxPreBins];
    int count = 0;
    int t = 0;
    double cumBefore = 0; // observations with distinct index < t
    for (int k = 1; k < maxPreBins; k++) {
      double pos = Math.floor(k * n / maxPreBins);
      while (t < d.size && cumBefore + d.events[t] + d.nonEvents[t] <= pos) {
        cumBefore += d.events[t] + d.nonEvents[t];
        t++;
      }
      if (t > 0 && t < d.size && (count == 0 || out[count - 1] < d.values[t])) {
        out[count++] = d.values[t];
      }
    }
    return Arrays.copyOf(out, count);
  }

  /** optbinning's refinement: drop splits around pre-bins with no events or no non-events. */
  static double[] refinePure(Distinct d, double[] splits) {
    double[] s = splits;
    while (s.length > 0) {
      double[][] c = d.countBins(s);
      int bins = s.length + 1;
      boolean[] drop = new boolean[s.length];
      boolean any = false;
      for (int i = 0; i < bins; i++) {
        if (c[0][i] == 0 || c[1][i] == 0) {
          drop[Math.min(i, s.length - 1)] = true;
          any = true;
        }
      }
      if (!any) {
        break;
      }
      double[] kept = new double[s.length];
      int k = 0;
      for (int i = 0; i < s.length; i++) {
        if (!drop[i]) {
          kept[k++] = s[i];
        }
      }
      s = Arrays.copyOf(kept, k);
    }
    return s;
  }

  /** The same refinement for ordered categories; returns group start indexes after the first. */
  static int[] pureRefinedStarts(double[] e, double[] ne) {
    int[] starts = new int[e.length - 1];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = i + 1;
    }
    while (starts.length > 0) {
      double[][] c = mergeBy(e, ne, starts);
      boolean[] drop = new boolean[starts.length];
      boolean any = false;
      for (int i = 0; i <= starts.length; i++) {
        if (c[0][i] == 0 || c[1][i] == 0) {
          drop[Math.min(i, starts.length - 1)] = true;
          any = true;
        }
      }
      if (!any) {
        break;
      }
      int[] kept = new int[starts.length];
      int k = 0;
      for (int i = 0; i < starts.length; i++) {
        if (!drop[i]) {
          kept[k++] = starts[i];
        }
      }
      starts = Arrays.copyOf(kept, k);
    }
    return starts;
  }

  /** Counts of events and non-events of the groups that start at {@code starts} (after the first). */
  static double[][] mergeBy(double[] e, double[] ne, int[] starts) {
    double[] me = new double[starts.length + 1];
    double[] mn = new double[starts.length + 1];
    int b = 0;
    for (int i = 0; i < e.length; i++) {
      while (b < starts.length && i >= starts[b]) {
        b++;
      }
      me[b] += e[i];
      mn[b] += ne[i];
    }
    return new double[][] {me, mn};
  }
}

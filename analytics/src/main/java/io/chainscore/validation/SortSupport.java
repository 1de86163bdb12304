package io.chainscore.validation;

/** Index sorting of primitive doubles without boxing. */
final class SortSupport {
  private SortSupport() {}

  /**
   * Indexes of {@code values} in ascending value order; equal values keep index order, so the
   * result is deterministic.
   */
  static int[] ascendingOrder(double[] values) {
    int n = values.length;
    // Sort (value, index) pairs packed as keys: sort a copy of values together with indexes.
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = sortableBits(values[i]);
    }
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    int[] tmp = new int[n];
    mergeSort(keys, idx, tmp, 0, n);
    return idx;
  }

  /** Maps a double to a long whose signed order equals the double's numeric order (-0 = +0). */
  static long sortableBits(double v) {
    long bits = Double.doubleToLongBits(v == 0.0 ? 0.0 : v);
    return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
  }

  private static void mergeSort(long[] keys, int[] idx, int[] tmp, int from, int to) {
    if (to - from < 32) {
      for (int i = from + 1; i < to; i++) {
        int cur = idx[i];
        long k = keys[cur];
        int j = i - 1;
        while (j >= from && keys[idx[j]] > k) {
          idx[j + 1] = idx[j];
          j--;
        }
        idx[j + 1] = cur;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(keys, idx, tmp, from, mid);
    mergeSort(keys, idx, tmp, mid, to);
    if (keys[idx[mid - 1]] <= keys[idx[mid]]) {
      return;
    }
    System.arraycopy(idx, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      idx[k++] = keys[tmp[j]] < keys[tmp[i]] ? tmp[j++] : tmp[i++];
    }
    while (i < mid) {
      idx[k++] = tmp[i++];
    }
    while (j < to) {
      idx[k++] = tmp[j++];
    }
  }
}

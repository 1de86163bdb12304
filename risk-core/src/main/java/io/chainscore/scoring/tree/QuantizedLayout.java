package io.chainscore.scoring.tree;

/**
 * The quantised form of a compiled ensemble's perfect trees: each split column's value is mapped
 * once per row to its bin, the number of the column's distinct bounds at or below it, and every
 * perfect slot becomes one int holding the bin of its bound and the index of the row code to
 * compare. This is exact because {@code x < b_j} iff {@code bin(x) <= j} (see {@link #binRow}).
 *
 * <p>Built only when it fits: at most {@link #MAX_CUTS} distinct bounds per column, at most {@link
 * #MAX_BINNED_COLUMNS} columns split on, and the code indexes within the slot int's low bits.
 *
 * <p>Thread safety: immutable after construction.
 */
final class QuantizedLayout {
  static final int MAX_CUTS = 0xFFFF;
  static final int MAX_BINNED_COLUMNS = 0x7FFF;
  /** Rows per block of the quantised batch paths (a power of two, {@code 1 << ROW_SHIFT}). */
  static final int ROW_SHIFT = 6;
  static final int ROW_BLOCK = 1 << ROW_SHIFT;

  /** Schema column of each binned column. */
  final int[] binnedColumn;
  /** Sorted distinct "go left iff x < bound" bounds of binned column k: cuts[cutStart[k] ..]. */
  final int[] cutStart;
  final int[] cutCount;
  final double[] cuts;
  /** Bins values among the cuts in a guide lookup and two compares on the usual models. */
  final CutGuide cutGuide;
  /**
   * Per perfect internal slot: {@code bin << indexBits | (2 * k + nanRight) << ROW_SHIFT}; the row
   * goes right iff its code at that index (see {@link #binRow}) is at least the whole slot int.
   */
  final int[] perfectCode;
  /** Low bits of a slot int holding the code index; the bin is above them. */
  final int indexBits;
  final int indexMask;
  /** Length of a code array for one row ({@code at} 0) or a block of {@link #ROW_BLOCK} rows. */
  final int codeWidth;

  private QuantizedLayout(int[] binnedColumn, int[] cutStart, int[] cutCount, double[] cuts,
      int[] perfectCode, int indexBits) {
    this.binnedColumn = binnedColumn;
    this.cutStart = cutStart;
    this.cutCount = cutCount;
    this.cuts = cuts;
    this.perfectCode = perfectCode;
    this.indexBits = indexBits;
    this.indexMask = (1 << indexBits) - 1;
    this.cutGuide = CutGuide.of(cuts, cutStart, cutCount);
    this.codeWidth = Math.max(2 * binnedColumn.length, 1) << ROW_SHIFT;
  }

  /**
   * The quantised form of the perfect slots {@code perfectMeta} (split column {@code << 1 |}
   * nanRight) and {@code perfectThreshold}, where {@code filler[k]} marks slots under a shallow leaf,
   * or null when it does not fit.
   */
  static QuantizedLayout of(int featureCount, int[] perfectMeta, double[] perfectThreshold, boolean[] filler) {
    // per column, the sorted distinct bounds of the perfect slots that split on it
    int[] slotsOfColumn = new int[Math.max(featureCount, 1)];
    for (int k = 0; k < filler.length; k++) {
      if (!filler[k]) {
        slotsOfColumn[perfectMeta[k] >>> 1]++;
      }
    }
    int[] binnedOf = new int[slotsOfColumn.length];
    java.util.Arrays.fill(binnedOf, -1);
    int binned = 0;
    for (int c = 0; c < slotsOfColumn.length; c++) {
      if (slotsOfColumn[c] > 0) {
        binnedOf[c] = binned++;
      }
    }
    int[] binnedColumn = new int[binned];
    int[] cutStart = new int[binned];
    int[] cutCount = new int[binned];
    double[][] bounds = new double[binned][];
    int[] filled = new int[binned];
    for (int c = 0; c < slotsOfColumn.length; c++) {
      if (binnedOf[c] >= 0) {
        binnedColumn[binnedOf[c]] = c;
        bounds[binnedOf[c]] = new double[slotsOfColumn[c]];
      }
    }
    for (int k = 0; k < filler.length; k++) {
      if (!filler[k]) {
        int b = binnedOf[perfectMeta[k] >>> 1];
        bounds[b][filled[b]++] = perfectThreshold[k];
      }
    }
    int totalCuts = 0;
    boolean fits = binned <= MAX_BINNED_COLUMNS;
    for (int b = 0; b < binned; b++) {
      double[] sorted = bounds[b];
      java.util.Arrays.sort(sorted);
      int distinct = 0;
      for (int i = 0; i < sorted.length; i++) {
        // == rather than Double.compare: -0.0 and 0.0 are one bound for "x < bound".
        if (distinct == 0 || sorted[i] != sorted[distinct - 1]) {
          sorted[distinct++] = sorted[i];
        }
      }
      cutStart[b] = totalCuts;
      cutCount[b] = distinct;
      totalCuts += distinct;
      fits &= distinct <= MAX_CUTS;
    }
    double[] cuts = new double[totalCuts];
    for (int b = 0; b < binned; b++) {
      System.arraycopy(bounds[b], 0, cuts, cutStart[b], cutCount[b]);
    }
    int maxCuts = 0;
    for (int b = 0; b < binned; b++) {
      maxCuts = Math.max(maxCuts, cutCount[b]);
    }
    int indexBits = 31 - (32 - Integer.numberOfLeadingZeros(maxCuts));
    fits &= ((long) 2 * binned << ROW_SHIFT) <= 1L << indexBits;
    if (!fits) {
      return null;
    }
    int[] perfectCode = new int[filler.length];
    for (int k = 0; k < filler.length; k++) {
      if (filler[k]) {
        continue; // both subtrees are the same leaf: code 0 compares any row code with bin 0
      }
      int b = binnedOf[perfectMeta[k] >>> 1];
      // The bound is one of the cuts, so the count of cuts <= it is its index + 1.
      int bin = cutsAtOrBelow(cuts, cutStart[b], cutCount[b], perfectThreshold[k]);
      perfectCode[k] = bin << indexBits | (2 * b + (perfectMeta[k] & 1)) << ROW_SHIFT;
    }
    return new QuantizedLayout(binnedColumn, cutStart, cutCount, cuts, perfectCode, indexBits);
  }

  /**
   * The number of {@code cuts[start .. start + count)} that are {@code <= x} (sorted, distinct,
   * {@code x} not NaN), by a binary search whose steps do not depend on the data.
   */
  static int cutsAtOrBelow(double[] cuts, int start, int count, double x) {
    if (count == 0) {
      return 0;
    }
    int lo = start;
    int n = count;
    while (n > 1) {
      int half = n >>> 1;
      lo = cuts[lo + half] <= x ? lo + half : lo;
      n -= half;
    }
    return lo - start + (cuts[lo] <= x ? 1 : 0);
  }

  /**
   * Writes the codes of the row for the quantised trees to {@code codes[index << ROW_SHIFT | at]}:
   * for binned column k, index {@code 2k} serves splits sending NaN left and {@code 2k + 1} splits
   * sending it right. A value's bin is the number of cuts {@code <= x}, and "x < cut number j
   * (0-based)" holds exactly when the bin is below {@code j + 1}. The code is {@code bin <<
   * indexBits} with all index bits set, so that "code >= slot int" means "bin >= the slot's bin"
   * whatever the slot's index bits. NaN is coded -1 (below every slot int: left) or {@code
   * Integer.MAX_VALUE} (above every slot int: right).
   */
  void binRow(double[] row, int offset, int[] codes, int at) {
    int[] columns = binnedColumn;
    int shift = indexBits;
    int low = indexMask;
    for (int b = 0; b < columns.length; b++) {
      double x = row[offset + columns[b]];
      int left = ((2 * b) << ROW_SHIFT) + at;
      int right = left + (1 << ROW_SHIFT);
      if (x != x) {
        codes[left] = -1;
        codes[right] = Integer.MAX_VALUE;
      } else {
        int code = cutGuide.bin(b, x) << shift | low;
        codes[left] = code;
        codes[right] = code;
      }
    }
  }
}

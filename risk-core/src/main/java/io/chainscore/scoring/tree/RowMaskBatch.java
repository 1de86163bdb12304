package io.chainscore.scoring.tree;

import io.chainscore.scoring.spi.ScratchPool;
import java.util.Arrays;

/**
 * The batch evaluator of quantised ensembles whose perfect trees are at most {@link #MAX_DEPTH}
 * deep: 64 rows at a time, each split decided for all 64 rows by one 64-bit mask.
 *
 * <p>Per block, each binned column's rows are bucketed by bin and the buckets or-ed from the top
 * down, so that entry {@code j} of the column's table is the mask of the rows whose bin is at
 * least {@code j}: exactly the rows that go right at a slot whose bound has bin {@code j} (NaN
 * rows are added to the table of the slots that send NaN right). A tree is then evaluated for the
 * whole block by pushing the mask of the rows that reach each slot down the perfect tree, one
 * table load and two bit operations per slot, and collecting per level the mask of rows that went
 * right. A row's leaf number is its bits of the level masks read from the root down, which eight
 * rows at a time is a byte-to-bytes table spread. So a tree costs about one slot per row instead
 * of {@code depth} dependent loads per row, with no data-dependent branch.
 *
 * <p>Exactness is that of the quantised walk (the same bins, slot bounds and NaN directions); tree
 * outputs are added to each row's margin in tree order. Trees that are not perfect are walked
 * node by node on the raw row.
 *
 * <p>Thread safety: immutable apart from a pool of scratch arrays owned by this evaluator (about
 * 8 bytes per table entry each), so that a batch call allocates nothing in steady state.
 */
final class RowMaskBatch {
  /** Deepest perfect tree this path takes: a leaf number must fit in a byte. */
  static final int MAX_DEPTH = 8;
  /** Largest mask table (longs) rebuilt per block; beyond it the per-row walk is cheaper. */
  static final int MAX_ENTRIES = 1 << 16;
  private static final int BLOCK = 64;
  /** {@code SPREAD[v]} has byte {@code i} equal to bit {@code i} of {@code v}. */
  private static final long[] SPREAD = new long[256];

  static {
    for (int v = 0; v < 256; v++) {
      long spread = 0;
      for (int i = 0; i < 8; i++) {
        spread |= (long) ((v >>> i) & 1) << (8 * i);
      }
      SPREAD[v] = spread;
    }
  }

  private final CompiledTreeEnsemble ensemble;
  private final QuantizedLayout quantization;
  /** Per perfect internal slot, its entry in the block's mask table (0, always empty, for fillers). */
  private final int[] maskIndex;
  /** Per binned column, the first entry of its NaN-left table; the NaN-right table follows it. */
  private final int[] tableStart;
  private final int entries;
  /**
   * The perfect leaves as floats when the model is float32 and its base margin a float, so that
   * margins are summed in float directly: a float sum of two floats is exactly the float rounding
   * of their double sum, which is what the other paths compute. Null otherwise.
   */
  private final float[] leaf32;
  private final ScratchPool<Scratch> scratch;

  private RowMaskBatch(CompiledTreeEnsemble ensemble, int[] maskIndex, int[] tableStart, int entries) {
    this.ensemble = ensemble;
    this.quantization = ensemble.quantization;
    this.maskIndex = maskIndex;
    this.tableStart = tableStart;
    this.entries = entries;
    this.scratch = new ScratchPool<>(() -> new Scratch(entries));
    if (ensemble.float32 && (double) (float) ensemble.baseMargin == ensemble.baseMargin) {
      leaf32 = new float[ensemble.perfectLeaf.length];
      for (int i = 0; i < leaf32.length; i++) {
        leaf32[i] = (float) ensemble.perfectLeaf[i];
      }
    } else {
      leaf32 = null;
    }
  }

  /** The mask evaluator of a quantised ensemble, or null when its trees or tables are too big. */
  static RowMaskBatch of(CompiledTreeEnsemble ensemble) {
    if (!ensemble.quantized) {
      return null;
    }
    for (int t = 0; t < ensemble.treeCount; t++) {
      if (ensemble.perfect[t] && ensemble.depth[t] > MAX_DEPTH) {
        return null;
      }
    }
    QuantizedLayout q = ensemble.quantization;
    int binned = q.binnedColumn.length;
    int[] tableStart = new int[binned];
    long entries = 1; // entry 0 stays empty: the mask of filler slots, whose subtrees are equal
    for (int b = 0; b < binned; b++) {
      tableStart[b] = (int) Math.min(entries, Integer.MAX_VALUE);
      entries += 2L * (q.cutCount[b] + 1);
      if (entries > MAX_ENTRIES) {
        return null;
      }
    }
    int[] code = q.perfectCode;
    int[] maskIndex = new int[code.length];
    int shift = q.indexBits;
    for (int k = 0; k < code.length; k++) {
      if (code[k] == 0) {
        continue; // a filler (a real slot has a bin of at least 1)
      }
      int index = (code[k] & q.indexMask) >>> QuantizedLayout.ROW_SHIFT;
      int b = index >>> 1;
      int nanRight = index & 1;
      int bin = code[k] >>> shift;
      maskIndex[k] = tableStart[b] + nanRight * (q.cutCount[b] + 1) + bin;
    }
    return new RowMaskBatch(ensemble, maskIndex, tableStart, (int) entries);
  }

  /** One caller's working arrays, pooled between calls so that a batch call allocates nothing. */
  private static final class Scratch {
    final long[] masks;
    final long[] reach = new long[1 << MAX_DEPTH];
    final long[] levels = new long[MAX_DEPTH];
    final int[] start = new int[BLOCK];
    final double[] values = new double[BLOCK];
    final int[] bins = new int[BLOCK];
    final double[] acc = new double[BLOCK];
    final float[] acc32 = new float[BLOCK];

    Scratch(int entries) {
      masks = new long[entries];
    }
  }

  void margins(double[] rows, int rowCount, int stride, double[] out) {
    Scratch scratch = this.scratch.acquire();
    try {
      margins(rows, rowCount, stride, out, scratch);
    } finally {
      this.scratch.release(scratch);
    }
  }

  private void margins(double[] rows, int rowCount, int stride, double[] out, Scratch scratch) {
    CompiledTreeEnsemble e = ensemble;
    long[] masks = scratch.masks;
    long[] reach = scratch.reach;
    long[] levels = scratch.levels;
    int[] start = scratch.start;
    double[] values = scratch.values;
    int[] bins = scratch.bins;
    double[] acc = scratch.acc;
    float[] acc32 = scratch.acc32;
    for (int first = 0; first < rowCount; first += BLOCK) {
      int m = Math.min(BLOCK, rowCount - first);
      for (int r = 0; r < m; r++) {
        start[r] = (first + r) * stride;
      }
      buildTables(rows, start, m, masks, values, bins);
      int groups = (m + 7) >>> 3;
      if (leaf32 != null) {
        Arrays.fill(acc32, (float) e.baseMargin);
        for (int t = 0; t < e.treeCount; t++) {
          if (e.perfect[t]) {
            levels(t, masks, reach, levels);
            leaves32(t, levels, groups, acc32);
          } else {
            for (int r = 0; r < m; r++) {
              acc32[r] += (float) e.value[e.leafOf(t, rows, start[r])];
            }
          }
        }
        for (int r = 0; r < m; r++) {
          out[first + r] = acc32[r];
        }
        continue;
      }
      Arrays.fill(acc, e.baseMargin);
      for (int t = 0; t < e.treeCount; t++) {
        if (e.perfect[t]) {
          levels(t, masks, reach, levels);
          leaves(t, levels, groups, acc);
        } else {
          for (int r = 0; r < m; r++) {
            acc[r] = e.add(acc[r], e.value[e.leafOf(t, rows, start[r])]);
          }
        }
      }
      System.arraycopy(acc, 0, out, first, m);
    }
  }

  /**
   * Fills every binned column's NaN-left and NaN-right tables for the block's {@code m} rows;
   * {@code values} and {@code bins} are scratch of at least {@code m}.
   */
  private void buildTables(double[] rows, int[] start, int m, long[] masks, double[] values, int[] bins) {
    QuantizedLayout q = quantization;
    CutGuide guide = q.cutGuide;
    for (int b = 0; b < tableStart.length; b++) {
      int column = q.binnedColumn[b];
      int count = q.cutCount[b];
      int left = tableStart[b];
      int right = left + count + 1;
      Arrays.fill(masks, left, right, 0L);
      long nan = 0;
      for (int r = 0; r < m; r++) {
        double x = rows[start[r] + column];
        values[r] = x;
        nan |= (x != x ? 1L : 0L) << r;
      }
      guide.bins(b, values, m, bins);
      for (int r = 0; r < m; r++) {
        masks[left + bins[r]] |= (1L << r) & ~nan;
      }
      long atLeast = 0;
      for (int j = count; j >= 0; j--) {
        atLeast |= masks[left + j];
        masks[left + j] = atLeast;
        masks[right + j] = atLeast | nan;
      }
    }
  }

  /**
   * Sets {@code levels[l]} to the mask of the block's rows that go right at level {@code l} of
   * perfect tree {@code t}.
   */
  private void levels(int t, long[] masks, long[] reach, long[] levels) {
    CompiledTreeEnsemble e = ensemble;
    int[] index = maskIndex;
    int base = e.perfectStart[t];
    int d = e.depth[t];
    if (d <= 1) {
      if (d == 1) {
        levels[0] = masks[index[base]];
      }
      return;
    }
    long rootRight = masks[index[base]];
    levels[0] = rootRight;
    reach[1] = ~rootRight;
    reach[2] = rootRight;
    int first = 1;
    for (int level = 1; level + 1 < d; level++) {
      int width = 1 << level;
      long right = 0;
      for (int s = first; s < first + width; s++) {
        long here = reach[s];
        long goRight = masks[index[base + s]] & here;
        right |= goRight;
        reach[2 * s + 1] = here ^ goRight;
        reach[2 * s + 2] = goRight;
      }
      levels[level] = right;
      first += width;
    }
    long right = 0;
    for (int s = first; s < first + (1 << (d - 1)); s++) {
      right |= masks[index[base + s]] & reach[s];
    }
    levels[d - 1] = right;
  }

  /** Adds the leaves of perfect tree {@code t} given its level masks to {@code groups} eights of rows. */
  private void leaves(int t, long[] levels, int groups, double[] acc) {
    CompiledTreeEnsemble e = ensemble;
    int d = e.depth[t];
    double[] leaves = e.perfectLeaf;
    int leafBase = e.leafStart[t];
    for (int g = 0; g < groups; g++) {
      int shift = g << 3;
      long leafOfRow = 0; // byte i: the leaf number of row 8g + i
      for (int level = 0; level < d; level++) {
        leafOfRow |= SPREAD[(int) (levels[level] >>> shift) & 0xFF] << (d - 1 - level);
      }
      int r = shift;
      acc[r] = e.add(acc[r], leaves[leafBase + ((int) leafOfRow & 0xFF)]);
      acc[r + 1] = e.add(acc[r + 1], leaves[leafBase + ((int) (leafOfRow >>> 8) & 0xFF)]);
      acc[r + 2] = e.add(acc[r + 2], leaves[leafBase + ((int) (leafOfRow >>> 16) & 0xFF)]);
      acc[r + 3] = e.add(acc[r + 3], leaves[leafBase + ((int) (leafOfRow >>> 24) & 0xFF)]);
      acc[r + 4] = e.add(acc[r + 4], leaves[leafBase + ((int) (leafOfRow >>> 32) & 0xFF)]);
      acc[r + 5] = e.add(acc[r + 5], leaves[leafBase + ((int) (leafOfRow >>> 40) & 0xFF)]);
      acc[r + 6] = e.add(acc[r + 6], leaves[leafBase + ((int) (leafOfRow >>> 48) & 0xFF)]);
      acc[r + 7] = e.add(acc[r + 7], leaves[leafBase + (int) (leafOfRow >>> 56)]);
    }
  }

  /** {@link #leaves} summing in float (see {@link #leaf32}). */
  private void leaves32(int t, long[] levels, int groups, float[] acc) {
    int d = ensemble.depth[t];
    float[] leaves = leaf32;
    int leafBase = ensemble.leafStart[t];
    for (int g = 0; g < groups; g++) {
      int shift = g << 3;
      long leafOfRow = 0;
      for (int level = 0; level < d; level++) {
        leafOfRow |= SPREAD[(int) (levels[level] >>> shift) & 0xFF] << (d - 1 - level);
      }
      int r = shift;
      acc[r] += leaves[leafBase + ((int) leafOfRow & 0xFF)];
      acc[r + 1] += leaves[leafBase + ((int) (leafOfRow >>> 8) & 0xFF)];
      acc[r + 2] += leaves[leafBase + ((int) (leafOfRow >>> 16) & 0xFF)];
      acc[r + 3] += leaves[leafBase + ((int) (leafOfRow >>> 24) & 0xFF)];
      acc[r + 4] += leaves[leafBase + ((int) (leafOfRow >>> 32) & 0xFF)];
      acc[r + 5] += leaves[leafBase + ((int) (leafOfRow >>> 40) & 0xFF)];
      acc[r + 6] += leaves[leafBase + ((int) (leafOfRow >>> 48) & 0xFF)];
      acc[r + 7] += leaves[leafBase + (int) (leafOfRow >>> 56)];
    }
  }
}

package io.chainscore.scoring.tree;

import static io.chainscore.scoring.tree.QuantizedLayout.ROW_BLOCK;

import io.chainscore.scoring.spi.ScratchPool;

/**
 * The evaluator of quantised ensembles (see {@link QuantizedLayout}) on their rows' codes: a single
 * row is binned once and walks eight consecutive perfect trees together by integer compares of one
 * int per slot; the batch path (used when {@link RowMaskBatch} does not apply) bins a block of 64
 * rows column-major and walks every tree in order eight rows at a time. Trees that are not perfect
 * are walked node by node on the raw row. Each row adds its tree outputs in tree order.
 *
 * <p>Thread safety: immutable apart from a pool of code arrays owned by this evaluator, so that
 * neither path allocates per call in steady state.
 */
final class QuantizedEvaluator {
  private final CompiledTreeEnsemble e;
  private final QuantizedLayout q;
  private final int treeCount;
  private final double baseMargin;
  private final int[] depth;
  private final double[] value;
  private final boolean[] perfect;
  private final boolean[] perfectGroup;
  private final int[] perfectStart;
  private final int[] leafStart;
  private final double[] perfectLeaf;
  private final int[] perfectCode;
  private final int indexMask;
  private final ScratchPool<Codes> scratch;

  QuantizedEvaluator(CompiledTreeEnsemble e, QuantizedLayout q) {
    this.e = e;
    this.q = q;
    this.treeCount = e.treeCount;
    this.baseMargin = e.baseMargin;
    this.depth = e.depth;
    this.value = e.value;
    this.perfect = e.perfect;
    this.perfectGroup = e.perfectGroup;
    this.perfectStart = e.perfectStart;
    this.leafStart = e.leafStart;
    this.perfectLeaf = e.perfectLeaf;
    this.perfectCode = q.perfectCode;
    this.indexMask = q.indexMask;
    int width = q.codeWidth;
    this.scratch = new ScratchPool<>(() -> new Codes(width));
  }

  /** One caller's codes (one row at index 0, or a block column-major) and block accumulators. */
  private static final class Codes {
    final int[] codes;
    final int[] start = new int[ROW_BLOCK];
    final double[] acc = new double[ROW_BLOCK];

    Codes(int width) {
      codes = new int[width];
    }
  }

  double margin(double[] row, int offset) {
    Codes work = scratch.acquire();
    try {
      int[] codes = work.codes;
      q.binRow(row, offset, codes, 0);
      double acc = baseMargin;
      int t = 0;
      while (t < treeCount) {
        if (t + 8 <= treeCount && perfectGroup[t]) {
          acc = eightTreesQuantized(t, codes, 0, acc);
          t += 8;
        } else {
          acc = e.add(acc, perfect[t] ? perfectValueQuantized(t, codes, 0) : value[e.leafOf(t, row, offset)]);
          t++;
        }
      }
      return acc;
    } finally {
      scratch.release(work);
    }
  }

  /** Output of perfect tree {@code t} for the row whose codes start at {@code at}. */
  private double perfectValueQuantized(int t, int[] codes, int at) {
    int base = perfectStart[t];
    int d = depth[t];
    int slot = 0;
    for (int s = 0; s < d; s++) {
      slot = 2 * slot + 1 + codeStep(codes, at, perfectCode[base + slot]);
    }
    return perfectLeaf[leafStart[t] + slot - ((1 << d) - 1)];
  }

  /** Eight perfect trees walked together on a row's codes: integer compares of one int per slot. */
  private double eightTreesQuantized(int t, int[] codes, int at, double acc) {
    int[] code = perfectCode;
    int b0 = perfectStart[t], b1 = perfectStart[t + 1], b2 = perfectStart[t + 2], b3 = perfectStart[t + 3];
    int b4 = perfectStart[t + 4], b5 = perfectStart[t + 5], b6 = perfectStart[t + 6], b7 = perfectStart[t + 7];
    int common = depth[t];
    for (int i = 1; i < 8; i++) {
      common = Math.min(common, depth[t + i]);
    }
    int s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (int step = 0; step < common; step++) {
      int c0 = code[b0 + s0];
      int c1 = code[b1 + s1];
      int c2 = code[b2 + s2];
      int c3 = code[b3 + s3];
      int c4 = code[b4 + s4];
      int c5 = code[b5 + s5];
      int c6 = code[b6 + s6];
      int c7 = code[b7 + s7];
      s0 = 2 * s0 + 1 + codeStep(codes, at, c0);
      s1 = 2 * s1 + 1 + codeStep(codes, at, c1);
      s2 = 2 * s2 + 1 + codeStep(codes, at, c2);
      s3 = 2 * s3 + 1 + codeStep(codes, at, c3);
      s4 = 2 * s4 + 1 + codeStep(codes, at, c4);
      s5 = 2 * s5 + 1 + codeStep(codes, at, c5);
      s6 = 2 * s6 + 1 + codeStep(codes, at, c6);
      s7 = 2 * s7 + 1 + codeStep(codes, at, c7);
    }
    acc = e.add(acc, finishQuantized(t, s0, common, codes, at));
    acc = e.add(acc, finishQuantized(t + 1, s1, common, codes, at));
    acc = e.add(acc, finishQuantized(t + 2, s2, common, codes, at));
    acc = e.add(acc, finishQuantized(t + 3, s3, common, codes, at));
    acc = e.add(acc, finishQuantized(t + 4, s4, common, codes, at));
    acc = e.add(acc, finishQuantized(t + 5, s5, common, codes, at));
    acc = e.add(acc, finishQuantized(t + 6, s6, common, codes, at));
    acc = e.add(acc, finishQuantized(t + 7, s7, common, codes, at));
    return acc;
  }

  private double finishQuantized(int t, int slot, int level, int[] codes, int at) {
    int base = perfectStart[t];
    int d = depth[t];
    for (int s = level; s < d; s++) {
      slot = 2 * slot + 1 + codeStep(codes, at, perfectCode[base + slot]);
    }
    return perfectLeaf[leafStart[t] + slot - ((1 << d) - 1)];
  }

  /** 1 when the row with codes at {@code at} goes right at the slot with int {@code code}, else 0. */
  private int codeStep(int[] codes, int at, int code) {
    return codes[(code & indexMask) + at] >= code ? 1 : 0;
  }

  void margins(double[] rows, int rowCount, int stride, double[] out) {
    Codes work = scratch.acquire();
    try {
      margins(rows, rowCount, stride, out, work);
    } finally {
      scratch.release(work);
    }
  }

  /**
   * A block of 64 rows is binned once into codes laid out column-major ({@code codes[index <<
   * ROW_SHIFT | row]}), then every tree in order is walked by eight rows at a time: eight
   * independent load chains, the tree's slots hot in L1, and the row offset a constant in each
   * chain.
   */
  private void margins(double[] rows, int rowCount, int stride, double[] out, Codes work) {
    int[] codes = work.codes;
    int[] start = work.start;
    double[] acc = work.acc;
    for (int first = 0; first < rowCount; first += ROW_BLOCK) {
      int m = Math.min(ROW_BLOCK, rowCount - first);
      for (int r = 0; r < m; r++) {
        start[r] = (first + r) * stride;
        acc[r] = baseMargin;
        q.binRow(rows, start[r], codes, r);
      }
      int groups = (m + 7) >>> 3;
      for (int t = 0; t < treeCount; t++) {
        if (perfect[t]) {
          for (int g = 0; g < groups; g++) {
            eightRows(t, codes, g << 3, acc);
          }
          continue;
        }
        for (int r = 0; r < m; r++) {
          acc[r] = e.add(acc[r], value[e.leafOf(t, rows, start[r])]);
        }
      }
      System.arraycopy(acc, 0, out, first, m);
    }
  }

  /**
   * Walks perfect tree {@code t} for the eight rows {@code r .. r+7} of a block and adds its output
   * to theirs (rows past the block's end are walked on stale but valid codes; their sums are
   * ignored). The compare is a ternary: C2 emits a flag-setting instruction for it, and measured
   * faster than a sign-bit subtraction.
   */
  private void eightRows(int t, int[] codes, int r, double[] acc) {
    int[] code = perfectCode;
    int mask = indexMask;
    int base = perfectStart[t];
    int d = depth[t];
    int s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (int step = 0; step < d; step++) {
      int c0 = code[base + s0];
      int c1 = code[base + s1];
      int c2 = code[base + s2];
      int c3 = code[base + s3];
      int c4 = code[base + s4];
      int c5 = code[base + s5];
      int c6 = code[base + s6];
      int c7 = code[base + s7];
      s0 = 2 * s0 + 1 + (codes[(c0 & mask) + r] >= c0 ? 1 : 0);
      s1 = 2 * s1 + 1 + (codes[(c1 & mask) + r + 1] >= c1 ? 1 : 0);
      s2 = 2 * s2 + 1 + (codes[(c2 & mask) + r + 2] >= c2 ? 1 : 0);
      s3 = 2 * s3 + 1 + (codes[(c3 & mask) + r + 3] >= c3 ? 1 : 0);
      s4 = 2 * s4 + 1 + (codes[(c4 & mask) + r + 4] >= c4 ? 1 : 0);
      s5 = 2 * s5 + 1 + (codes[(c5 & mask) + r + 5] >= c5 ? 1 : 0);
      s6 = 2 * s6 + 1 + (codes[(c6 & mask) + r + 6] >= c6 ? 1 : 0);
      s7 = 2 * s7 + 1 + (codes[(c7 & mask) + r + 7] >= c7 ? 1 : 0);
    }
    int leaf = leafStart[t] - ((1 << d) - 1);
    double[] leaves = perfectLeaf;
    acc[r] = e.add(acc[r], leaves[leaf + s0]);
    acc[r + 1] = e.add(acc[r + 1], leaves[leaf + s1]);
    acc[r + 2] = e.add(acc[r + 2], leaves[leaf + s2]);
    acc[r + 3] = e.add(acc[r + 3], leaves[leaf + s3]);
    acc[r + 4] = e.add(acc[r + 4], leaves[leaf + s4]);
    acc[r + 5] = e.add(acc[r + 5], leaves[leaf + s5]);
    acc[r + 6] = e.add(acc[r + 6], leaves[leaf + s6]);
    acc[r + 7] = e.add(acc[r + 7], leaves[leaf + s7]);
  }
}

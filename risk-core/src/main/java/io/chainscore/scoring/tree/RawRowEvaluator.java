package io.chainscore.scoring.tree;

import io.chainscore.scoring.spi.ScratchPool;

/**
 * The evaluator of ensembles that are not quantised, on the raw {@code double} rows: a single row
 * walks eight consecutive perfect trees together (their walks are independent, so the loads
 * overlap), other trees node by node; the batch path takes {@link #BLOCK} rows at a time and walks
 * each tree, or group of eight perfect trees, for all of them while its nodes stay in L1. Tree
 * outputs are always added in tree order, so both paths give the same bits.
 *
 * <p>Thread safety: immutable apart from a pool of block scratch arrays owned by this evaluator, so
 * that a batch call allocates nothing in steady state.
 */
final class RawRowEvaluator {
  /** Rows per block of the batch path. */
  static final int BLOCK = 16;

  private final CompiledTreeEnsemble e;
  private final int treeCount;
  private final double baseMargin;
  private final int[] depth;
  private final int[] root;
  private final int[] child;
  private final int[] column;
  private final double[] value;
  private final boolean[] perfect;
  private final boolean[] perfectGroup;
  private final int[] perfectStart;
  private final int[] leafStart;
  private final int[] perfectMeta;
  private final double[] perfectThreshold;
  private final double[] perfectLeaf;
  private final ScratchPool<Block> blocks = new ScratchPool<>(Block::new);

  RawRowEvaluator(CompiledTreeEnsemble e) {
    this.e = e;
    this.treeCount = e.treeCount;
    this.baseMargin = e.baseMargin;
    this.depth = e.depth;
    this.root = e.root;
    this.child = e.child;
    this.column = e.column;
    this.value = e.value;
    this.perfect = e.perfect;
    this.perfectGroup = e.perfectGroup;
    this.perfectStart = e.perfectStart;
    this.leafStart = e.leafStart;
    this.perfectMeta = e.perfectMeta;
    this.perfectThreshold = e.perfectThreshold;
    this.perfectLeaf = e.perfectLeaf;
  }

  /** One caller's working arrays for a block of rows. */
  private static final class Block {
    final int[] nodes = new int[BLOCK];
    final int[] start = new int[BLOCK];
    final double[] acc = new double[BLOCK];
  }

  double margin(double[] row, int offset) {
    double acc = baseMargin;
    int t = 0;
    // Eight perfect trees at a time: their walks are independent, so the loads overlap; the
    // outputs are still added in tree order.
    while (t + 8 <= treeCount) {
      if (!perfectGroup[t]) {
        acc = e.add(acc, treeValue(t, row, offset));
        t++;
        continue;
      }
      acc = eightTrees(t, row, offset, acc);
      t += 8;
    }
    for (; t < treeCount; t++) {
      acc = e.add(acc, treeValue(t, row, offset));
    }
    return acc;
  }

  /** Output of tree {@code t} (leaf value times weight) for the row at {@code offset}. */
  private double treeValue(int t, double[] row, int offset) {
    if (perfect[t]) {
      int base = perfectStart[t];
      int d = depth[t];
      int slot = 0;
      for (int s = 0; s < d; s++) {
        int k = base + slot;
        int meta = perfectMeta[k];
        double x = row[offset + (meta >>> 1)];
        slot = 2 * slot + 1 + rightStep(x, perfectThreshold[k], meta);
      }
      return perfectLeaf[leafStart[t] + slot - ((1 << d) - 1)];
    }
    return value[e.leafOf(t, row, offset)];
  }

  /**
   * 1 when a value goes right at a numeric split, else 0, written as two comparisons that C2
   * turns into flag-setting instructions rather than unpredictable branches: non-NaN values go
   * right iff {@code x >= threshold}; NaN (both comparisons false) goes by the meta bit.
   */
  private static int rightStep(double x, double threshold, int meta) {
    int greaterOrEqual = x >= threshold ? 1 : 0;
    int less = x < threshold ? 1 : 0;
    return greaterOrEqual | (meta & 1 & ~less);
  }

  /** Adds the outputs of the eight perfect trees {@code t .. t+7}, walked together, in order. */
  private double eightTrees(int t, double[] row, int offset, double acc) {
    int[] meta = perfectMeta;
    double[] thr = perfectThreshold;
    int b0 = perfectStart[t], b1 = perfectStart[t + 1], b2 = perfectStart[t + 2], b3 = perfectStart[t + 3];
    int b4 = perfectStart[t + 4], b5 = perfectStart[t + 5], b6 = perfectStart[t + 6], b7 = perfectStart[t + 7];
    int common = depth[t];
    for (int i = 1; i < 8; i++) {
      common = Math.min(common, depth[t + i]);
    }
    int s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (int step = 0; step < common; step++) {
      int m0 = meta[b0 + s0];
      int m1 = meta[b1 + s1];
      int m2 = meta[b2 + s2];
      int m3 = meta[b3 + s3];
      int m4 = meta[b4 + s4];
      int m5 = meta[b5 + s5];
      int m6 = meta[b6 + s6];
      int m7 = meta[b7 + s7];
      s0 = 2 * s0 + 1 + rightStep(row[offset + (m0 >>> 1)], thr[b0 + s0], m0);
      s1 = 2 * s1 + 1 + rightStep(row[offset + (m1 >>> 1)], thr[b1 + s1], m1);
      s2 = 2 * s2 + 1 + rightStep(row[offset + (m2 >>> 1)], thr[b2 + s2], m2);
      s3 = 2 * s3 + 1 + rightStep(row[offset + (m3 >>> 1)], thr[b3 + s3], m3);
      s4 = 2 * s4 + 1 + rightStep(row[offset + (m4 >>> 1)], thr[b4 + s4], m4);
      s5 = 2 * s5 + 1 + rightStep(row[offset + (m5 >>> 1)], thr[b5 + s5], m5);
      s6 = 2 * s6 + 1 + rightStep(row[offset + (m6 >>> 1)], thr[b6 + s6], m6);
      s7 = 2 * s7 + 1 + rightStep(row[offset + (m7 >>> 1)], thr[b7 + s7], m7);
    }
    acc = e.add(acc, finishPerfect(t, s0, common, row, offset));
    acc = e.add(acc, finishPerfect(t + 1, s1, common, row, offset));
    acc = e.add(acc, finishPerfect(t + 2, s2, common, row, offset));
    acc = e.add(acc, finishPerfect(t + 3, s3, common, row, offset));
    acc = e.add(acc, finishPerfect(t + 4, s4, common, row, offset));
    acc = e.add(acc, finishPerfect(t + 5, s5, common, row, offset));
    acc = e.add(acc, finishPerfect(t + 6, s6, common, row, offset));
    acc = e.add(acc, finishPerfect(t + 7, s7, common, row, offset));
    return acc;
  }

  /** Continues the walk of perfect tree {@code t} from {@code slot} at level {@code level}. */
  private double finishPerfect(int t, int slot, int level, double[] row, int offset) {
    int base = perfectStart[t];
    int d = depth[t];
    for (int s = level; s < d; s++) {
      int k = base + slot;
      int meta = perfectMeta[k];
      slot = 2 * slot + 1 + rightStep(row[offset + (meta >>> 1)], perfectThreshold[k], meta);
    }
    return perfectLeaf[leafStart[t] + slot - ((1 << d) - 1)];
  }

  void margins(double[] rows, int rowCount, int stride, double[] out) {
    Block block = blocks.acquire();
    try {
      margins(rows, rowCount, stride, out, block);
    } finally {
      blocks.release(block);
    }
  }

  private void margins(double[] rows, int rowCount, int stride, double[] out, Block block) {
    int[] nodes = block.nodes;
    int[] start = block.start;
    double[] acc = block.acc;
    for (int first = 0; first < rowCount; first += BLOCK) {
      int m = Math.min(BLOCK, rowCount - first);
      for (int r = 0; r < m; r++) {
        start[r] = (first + r) * stride;
        acc[r] = baseMargin;
      }
      int t = 0;
      while (t < treeCount) {
        if (t + 8 <= treeCount && perfectGroup[t]) {
          // Eight trees' nodes stay in L1 while every row of the block walks them together.
          for (int r = 0; r < m; r++) {
            acc[r] = eightTrees(t, rows, start[r], acc[r]);
          }
          t += 8;
          continue;
        }
        int d = depth[t];
        if (perfect[t]) {
          int base = perfectStart[t];
          for (int r = 0; r < m; r++) {
            nodes[r] = 0;
          }
          for (int s = 0; s < d; s++) {
            for (int r = 0; r < m; r++) {
              int slot = nodes[r];
              int meta = perfectMeta[base + slot];
              double x = rows[start[r] + (meta >>> 1)];
              nodes[r] = 2 * slot + 1 + rightStep(x, perfectThreshold[base + slot], meta);
            }
          }
          int leafBase = leafStart[t] - ((1 << d) - 1);
          for (int r = 0; r < m; r++) {
            acc[r] = e.add(acc[r], perfectLeaf[leafBase + nodes[r]]);
          }
          t++;
          continue;
        }
        int rootNode = root[t];
        for (int r = 0; r < m; r++) {
          nodes[r] = rootNode;
        }
        for (int s = 0; s < d; s++) {
          for (int r = 0; r < m; r++) {
            int g = nodes[r];
            nodes[r] = child[2 * g + (e.goesRight(g, rows[start[r] + column[g]]) ? 1 : 0)];
          }
        }
        for (int r = 0; r < m; r++) {
          acc[r] = e.add(acc[r], value[nodes[r]]);
        }
        t++;
      }
      System.arraycopy(acc, 0, out, first, m);
    }
  }
}

package io.chainscore.scoring.tree;

import io.chainscore.scoring.spi.IntList;
import io.chainscore.scoring.spi.ScratchPool;

/**
 * Exact path-dependent TreeSHAP from root paths laid out once: the Shapley values of Algorithm 2
 * of Lundberg, Erion and Lee (2018, arXiv:1802.03888), without its recursion, path copies and
 * divisions.
 *
 * <p>For a leaf of value {@code v} whose root path splits on {@code k} distinct features, let
 * {@code z_i} be feature i's zero fraction (the product of the cover ratios of the path's splits
 * on it; 0.5 under a node without cover) and {@code o_i} its one fraction (1 when the row takes
 * every one of those splits the path's way, else 0). Writing the Shapley weight {@code s! (k - 1 -
 * s)! / k!} as the integral of {@code x^s (1 - x)^(k - 1 - s)} over [0, 1], the leaf adds to
 * feature j
 *
 * <pre>
 *   v (o_j - z_j) * integral over [0, 1] of prod(i != j) (x o_i + (1 - x) z_i) dx
 * </pre>
 *
 * a polynomial of degree k - 1, integrated exactly by Gauss-Legendre quadrature with ceil(k / 2)
 * points (the idea of GPUTreeShap and Linear TreeShap). Per row, three layouts, chosen at load:
 * <ul>
 *   <li>a tree of at most {@link #MAX_TREE_TABLE_NODES} internal nodes has a table of its
 *       per-feature values for every vector of its decisions: a row costs its decisions and one
 *       lookup per distinct feature;
 *   <li>otherwise, when every leaf's values for every pattern of followed features fit in {@link
 *       #MAX_TABLE} doubles (shallow trees), a row costs the pattern bits of each leaf's path and
 *       one lookup per leaf and feature;
 *   <li>else the integrals are computed per row for all of a tree's leaves at once, slot by slot in
 *       loops over the leaves that the JIT vectorises: O(L k^2) per tree, like Algorithm 2 ({@link
 *       SlotMajorShap}, which also computes both tables at load).
 * </ul>
 * Rows in a batch ({@link #addRows}) go through the trees a block at a time, with block tables for
 * the trees the slot-major layout would compute (within a memory budget): each tree's tables are
 * read once per block, and its decisions, patterns, table offsets and additions run in loops over
 * the block's rows ({@code addColumns}), each row's sums receiving the same terms in the same order
 * as row by row.
 * Values are summed in four partial sums per feature and folded in a fixed order, so results are
 * deterministic; they differ from Algorithm 2's by rounding only ({@code PathShapTest}: within
 * 1e-12 relative on random ensembles of depth 1 to 9, in every layout).
 *
 * <p>Thread safety: immutable; the work arrays come from a pool owned by this layout, so a row
 * allocates nothing in steady state and the arrays die with the model.
 */
final class PathShap {
  private final CompiledTreeEnsemble m;
  /** Per tree: its internal nodes at {@code [internalStart[t], internalStart[t + 1])}. */
  private final int[] internalStart;
  private final int[] internalNode;
  /** Per tree: its leaves at {@code [treeLeafStart[t], treeLeafStart[t + 1])}. */
  private final int[] treeLeafStart;
  private final double[] leafValue;
  /** Per leaf: its path's splits at {@code [pathStart[l], pathStart[l + 1])}. */
  private int[] pathStart;
  /** Per split on a path: the split's index among its tree's internal nodes. */
  private int[] pathInternal;
  /** Per split on a path: 1 when the path goes right there, else 0. */
  private int[] pathRight;
  /** Per split on a path: its feature's slot among the leaf's distinct features. */
  private int[] pathSlot;
  /** Per leaf: its distinct features at {@code [slotStart[l], slotStart[l + 1])}. */
  private int[] slotStart;
  private int[] slotColumn;
  private double[] slotZero;
  private final int maxSlots;
  private final int maxInternal;
  /** Per leaf: the pattern of a row that follows its whole path, {@code 2^k - 1}. */
  private int[] fullPattern;
  /** Per split on a path: its leaf's index within its tree. */
  private int[] pathLeaf;
  /** Per slot: its leaf's index within its tree. */
  private int[] slotLeaf;
  /**
   * When the ensemble's paths are short enough, every leaf's slot values for every pattern of
   * followed features: slot e's value for pattern P is {@code table[slotTable[e] + P * k]} for a
   * leaf of k slots; else null, and computed per row.
   */
  private final double[] table;
  private final int[] slotTable;
  private final int[] slotStride;
  private final int maxLeaves;
  /** Stride of the four partial sums: one per column plus a spare for padding. */
  private final int lanes;
  /**
   * The slot-major layout and its quadrature for trees without a table, or null when every row is
   * served by the tables.
   */
  private final SlotMajorShap slotMajor;
  private final ScratchPool<Scratch> scratch;
  /**
   * For a tree of at most {@link #MAX_TREE_TABLE_NODES} internal nodes, its Shapley values for
   * every vector of decisions (bit i: the row goes right at internal node i): for decisions D,
   * column {@code treeColumn[treeColumnStart[t] + f]} gets {@code treeTable[treeTableStart[t] + D
   * * F + f]}, F the tree's distinct columns. {@code treeTableStart[t]} is -1 for other trees.
   */
  private final double[] treeTable;
  private final int[] treeTableStart;
  private final int[] treeColumnStart;
  private final int[] treeColumn;
  /**
   * The block path's per-leaf tables for the trees the per-row path computes slot-major, or null
   * when there are none (then the block path adds row by row).
   */
  private final LeafTableBlock block;
  /** Rows the column-wise block path takes through one tree at a time (see {@link #COLUMN_WORK_INTS}). */
  private final int columnChunk;
  /** Per tree: whether all its splits are plain numeric ones ({@link CompiledTreeEnsemble#KIND_NUMERIC}). */
  private final boolean[] numericTree;
  /** Per internal node: its column, threshold, and 1 when NaN goes left (a NaN compares as right). */
  private final int[] internalColumn;
  private final double[] internalThreshold;
  private final int[] internalNanFlip;

  /**
   * Most doubles in the block path's per-leaf tables (64 MB): 300 trees of depth 6 over 20
   * features need 5.1M (41 MB). Trees beyond it are computed slot-major in the block path.
   */
  static final long MAX_BLOCK_TABLE = 1L << 23;
  /**
   * Most rows per block of {@link #addRows}: one tree's table serves them while it is in the
   * caches. The tables of all trees (41 MB for 300 trees of depth 6, beyond this machine's 32 MB
   * L3) are read once per block, so larger blocks read them less often per row: on one core, with
   * that model, 64-row blocks took 413-462 us per row, 256-row blocks 323, 1,024-row blocks
   * 270-305 and 2,048-row blocks 255-280 (TreeReasonsCpuTime,
   * benchmarks/results/user-paths-trees-2026-12-03-blocks.md).
   */
  static final int MAX_BLOCK_ROWS = 2048;
  /**
   * Most ints of the column-wise block path's decisions (and as many of its node patterns) for the
   * rows it takes through one tree at a time ({@link #addColumns}): a whole block of 2,048 rows
   * for trees of up to 127 internal nodes, fewer rows for larger trees. Whole blocks were
   * fastest: on one core, 300 trees of depth 6, 59 us per row in chunks of 128 or 256 rows, 55 in
   * chunks of 512, 52 in one chunk of 2,048.
   */
  static final int COLUMN_WORK_INTS = 1 << 18;
  /** Most bytes of a block's partial sums ({@code 4 * lanes} doubles a row): 1.4 MB for 20 features at 2,048 rows. */
  static final int BLOCK_SUMS_BYTES = 1 << 21;

  /**
   * Rows per block of {@link #addRows} for a model of {@code lanes} partial-sum lanes: {@link
   * #MAX_BLOCK_ROWS}, fewer for wide models (at least 64), a multiple of four.
   */
  static int blockRows(int lanes) {
    int rows = Math.max(64, Math.min(MAX_BLOCK_ROWS, BLOCK_SUMS_BYTES / (4 * Double.BYTES * lanes)));
    return rows & ~3;
  }

  /** Most doubles in the pattern table (4 MB): beyond it the table would leave the caches. */
  static final int MAX_TABLE = 1 << 19;
  /** Most distinct features per path for the table. */
  static final int MAX_TABLE_SLOTS = 12;
  /** Most internal nodes of a tree with a table over its decision vectors. */
  static final int MAX_TREE_TABLE_NODES = 8;

  PathShap(CompiledTreeEnsemble m) {
    this(m, MAX_TABLE, MAX_BLOCK_TABLE);
  }

  /** The layout, with decision and pattern tables where each needs at most {@code maxTable} doubles. */
  PathShap(CompiledTreeEnsemble m, int maxTable) {
    this(m, maxTable, MAX_BLOCK_TABLE);
  }

  /**
   * The layout, with decision and pattern tables where each needs at most {@code maxTable}
   * doubles, and block tables within {@code maxBlockTable} doubles.
   */
  PathShap(CompiledTreeEnsemble m, int maxTable, long maxBlockTable) {
    this(m, maxTable, maxBlockTable, 0);
  }

  /**
   * As {@link #PathShap(CompiledTreeEnsemble, int, long)}, with blocks of {@code rowsPerBlock} rows
   * (a positive multiple of four; 0 for {@link #blockRows}): for tests of the block boundaries.
   */
  PathShap(CompiledTreeEnsemble m, int maxTable, long maxBlockTable, int rowsPerBlock) {
    this.m = m;
    this.lanes = m.featureCount + 1;
    IntList internal = new IntList(64);
    IntList leaves = new IntList(64);
    internalStart = new int[m.treeCount + 1];
    treeLeafStart = new int[m.treeCount + 1];
    IntList pathNodes = new IntList(64);
    IntList pathDirections = new IntList(64);
    IntList pathLeafStart = new IntList(64);
    int widestTree = 0;
    for (int t = 0; t < m.treeCount; t++) {
      int first = internal.size();
      // depth-first, keeping the current path (nodes and directions) on explicit stacks
      int[] stackNode = new int[2 * (m.maxDepth + 2)];
      int[] stackDepth = new int[stackNode.length];
      int[] pathNode = new int[m.maxDepth + 1];
      int[] pathDir = new int[m.maxDepth + 1];
      int[] localIndex = new int[m.maxDepth + 1];
      int top = 0;
      stackNode[top] = m.root[t];
      stackDepth[top++] = 0;
      while (top > 0) {
        int g = stackNode[--top];
        int d = stackDepth[top];
        if (d > 0) {
          int parent = pathNode[d - 1];
          pathDir[d - 1] = m.child[2 * parent + 1] == g ? 1 : 0;
        }
        if (m.child[2 * g] == g) {
          leaves.add(g);
          pathLeafStart.add(pathNodes.size());
          for (int i = 0; i < d; i++) {
            pathNodes.add(localIndex[i]);
            pathDirections.add(pathDir[i]);
          }
          continue;
        }
        pathNode[d] = g;
        localIndex[d] = internal.size() - first;
        internal.add(g);
        // left child on top, so that leaves come left to right; the right child's direction is
        // set when it is popped, after the whole left subtree
        stackNode[top] = m.child[2 * g + 1];
        stackDepth[top++] = d + 1;
        stackNode[top] = m.child[2 * g];
        stackDepth[top++] = d + 1;
      }
      internalStart[t + 1] = internal.size();
      treeLeafStart[t + 1] = leaves.size();
      widestTree = Math.max(widestTree, internal.size() - first);
    }
    pathLeafStart.add(pathNodes.size());
    this.internalNode = internal.toArray();
    this.numericTree = new boolean[m.treeCount];
    this.internalColumn = new int[internalNode.length];
    this.internalThreshold = new double[internalNode.length];
    this.internalNanFlip = new int[internalNode.length];
    for (int t = 0; t < m.treeCount; t++) {
      boolean numeric = true;
      for (int i = internalStart[t]; i < internalStart[t + 1]; i++) {
        int g = internalNode[i];
        numeric &= m.kind[g] == CompiledTreeEnsemble.KIND_NUMERIC;
        internalColumn[i] = m.column[g];
        internalThreshold[i] = m.threshold[g];
        internalNanFlip[i] = m.nanRight[g] ? 0 : 1;
      }
      numericTree[t] = numeric;
    }
    this.maxInternal = widestTree;
    int leafCount = leaves.size();
    this.leafValue = new double[leafCount];
    this.pathStart = pathLeafStart.toArray();
    this.pathInternal = pathNodes.toArray();
    this.pathRight = new int[pathNodes.size()];
    this.pathSlot = new int[pathNodes.size()];
    this.slotStart = new int[leafCount + 1];
    IntList columns = new IntList(64);
    // a leaf has at most as many distinct features as splits on its path
    double[] zeros = new double[pathNodes.size()];
    int widest = 0;
    for (int t = 0, l = 0; t < m.treeCount; t++) {
      for (; l < treeLeafStart[t + 1]; l++) {
        leafValue[l] = m.value[leaves.get(l)];
        int slots = 0;
        for (int p = pathStart[l]; p < pathStart[l + 1]; p++) {
          int g = internalNode[internalStart[t] + pathInternal[p]];
          boolean right = pathDirections.get(p) == 1;
          pathRight[p] = right ? 1 : 0;
          int next = m.child[2 * g + (right ? 1 : 0)];
          double ratio = m.cover[g] > 0 ? m.cover[next] / m.cover[g] : 0.5;
          int col = m.column[g];
          int slot = 0;
          while (slot < slots && columns.get(slotStart[l] + slot) != col) {
            slot++;
          }
          if (slot == slots) {
            zeros[columns.size()] = ratio;
            columns.add(col);
            slots++;
          } else {
            zeros[slotStart[l] + slot] *= ratio;
          }
          pathSlot[p] = slot;
        }
        slotStart[l + 1] = slotStart[l] + slots;
        widest = Math.max(widest, slots);
      }
    }
    this.slotColumn = columns.toArray();
    this.slotZero = java.util.Arrays.copyOf(zeros, columns.size());
    this.maxSlots = widest;
    SlotMajorShap quadrature = new SlotMajorShap(m.treeCount, m.featureCount, lanes, widest, widestTree,
        treeLeafStart, leafValue, pathStart, pathInternal, pathRight, pathSlot, slotStart, slotColumn, slotZero);
    this.fullPattern = new int[leafCount];
    this.pathLeaf = new int[pathInternal.length];
    this.slotLeaf = new int[slotColumn.length];
    int mostLeaves = 0;
    for (int t = 0; t < m.treeCount; t++) {
      mostLeaves = Math.max(mostLeaves, treeLeafStart[t + 1] - treeLeafStart[t]);
      for (int l = treeLeafStart[t]; l < treeLeafStart[t + 1]; l++) {
        fullPattern[l] = (1 << (slotStart[l + 1] - slotStart[l])) - 1;
        java.util.Arrays.fill(pathLeaf, pathStart[l], pathStart[l + 1], l - treeLeafStart[t]);
        java.util.Arrays.fill(slotLeaf, slotStart[l], slotStart[l + 1], l - treeLeafStart[t]);
      }
    }
    this.maxLeaves = mostLeaves;
    // tables over decision vectors for small trees, within the same budget
    this.treeTableStart = new int[m.treeCount];
    this.treeColumnStart = new int[m.treeCount + 1];
    IntList treeColumns = new IntList(64);
    long treeSize = 0;
    for (int t = 0; t < m.treeCount; t++) {
      int nodes = internalStart[t + 1] - internalStart[t];
      int columnCount = 0;
      for (int i = internalStart[t]; i < internalStart[t + 1]; i++) {
        int col = m.column[internalNode[i]];
        boolean seen = false;
        for (int c = treeColumnStart[t]; c < treeColumns.size(); c++) {
          seen |= treeColumns.get(c) == col;
        }
        if (!seen) {
          treeColumns.add(col);
          columnCount++;
        }
      }
      treeColumnStart[t + 1] = treeColumns.size();
      long entries = nodes <= MAX_TREE_TABLE_NODES ? (long) columnCount << nodes : Long.MAX_VALUE;
      if (nodes > 0 && entries <= maxTable - treeSize) {
        treeTableStart[t] = (int) treeSize;
        treeSize += entries;
      } else {
        treeTableStart[t] = -1;
      }
    }
    this.treeColumn = treeColumns.toArray();
    this.treeTable = new double[(int) treeSize];
    Scratch work = new Scratch(widestTree, mostLeaves, widest, lanes, 0);
    double[] phi = new double[m.featureCount];
    for (int t = 0; t < m.treeCount; t++) {
      if (treeTableStart[t] < 0) {
        continue;
      }
      int nodes = internalStart[t + 1] - internalStart[t];
      int width = treeColumnStart[t + 1] - treeColumnStart[t];
      for (int decisions = 0; decisions < 1 << nodes; decisions++) {
        for (int i = 0; i < nodes; i++) {
          work.right[i] = (decisions >>> i) & 1;
        }
        java.util.Arrays.fill(phi, 0.0);
        leaves(t, work, quadrature);
        fold(work.sums, phi, 0);
        for (int f = 0; f < width; f++) {
          treeTable[treeTableStart[t] + decisions * width + f] = phi[treeColumn[treeColumnStart[t] + f]];
        }
      }
    }
    long size = 0;
    for (int l = 0; l < leafCount && widest <= MAX_TABLE_SLOTS; l++) {
      int slots = slotStart[l + 1] - slotStart[l];
      size += (long) slots << slots;
    }
    int untabled = 0;
    for (int start : treeTableStart) {
      untabled += start < 0 ? 1 : 0;
    }
    if (untabled > 0 && widest <= MAX_TABLE_SLOTS && size <= maxTable) {
      this.table = new double[(int) size];
      this.slotTable = new int[slotColumn.length];
      this.slotStride = new int[slotColumn.length];
      for (int l = 0, at = 0; l < leafCount; l++) {
        int slots = slotStart[l + 1] - slotStart[l];
        for (int j = 0; j < slots; j++) {
          slotTable[slotStart[l] + j] = at + j;
          slotStride[slotStart[l] + j] = slots;
        }
        at += slots << slots;
      }
      // per tree and pattern P of its K slots, all its leaves at once: a leaf of k slots takes P
      // when P's bits past k are all set (its padding slots then have factor 1)
      Scratch s = new Scratch(widestTree, mostLeaves, widest, lanes, 0);
      for (int t = 0; t < m.treeCount; t++) {
        int slots = quadrature.treeSlots[t];
        int treeLeaves = treeLeafStart[t + 1] - treeLeafStart[t];
        for (int pattern = 0; slots > 0 && pattern < 1 << slots; pattern++) {
          for (int i = 0; i < slots; i++) {
            java.util.Arrays.fill(s.soaOne[i], 0, treeLeaves, (pattern >>> i) & 1);
          }
          quadrature.integrals(t, s);
          for (int l = 0; l < treeLeaves; l++) {
            int leaf = treeLeafStart[t] + l;
            int k = slotStart[leaf + 1] - slotStart[leaf];
            if (pattern >>> k != (1 << (slots - k)) - 1) {
              continue;
            }
            int own = pattern & ((1 << k) - 1);
            for (int j = 0; j < k; j++) {
              int e = quadrature.soaSlot[t] + j * treeLeaves + l;
              table[slotTable[slotStart[leaf]] + own * k + j] =
                  leafValue[leaf] * (s.soaOne[j][l] - quadrature.soaZero[e]) * s.soaIntegral[j][l];
            }
          }
        }
      }
    } else {
      this.table = null;
      this.slotTable = null;
      this.slotStride = null;
    }

    // keep only what the chosen layout reads per row: the path layout of a deep ensemble is
    // several times the compiled model's size
    slotZero = null;
    this.slotMajor = table != null || untabled == 0 ? null : quadrature;
    if (slotMajor != null && maxBlockTable > 0) {
      boolean[] eligible = new boolean[m.treeCount];
      for (int t = 0; t < m.treeCount; t++) {
        eligible[t] = treeTableStart[t] < 0;
      }
      LeafTableBlock tables = new LeafTableBlock(m.treeCount, lanes, internalStart, treeLeafStart, pathStart,
          pathInternal, pathRight, pathSlot, slotStart, slotColumn, leafValue, quadrature, eligible, maxBlockTable,
          new Scratch(widestTree, mostLeaves, widest, lanes, 0));
      this.block = tables.size > 0 ? tables : null;
    } else {
      this.block = null;
    }
    int blockSize = block == null ? 0 : rowsPerBlock > 0 ? rowsPerBlock : blockRows(lanes);
    int units = block == null ? 0 : block.mostUnits();
    this.columnChunk = Math.min(blockSize, Math.max(64, COLUMN_WORK_INTS / (maxInternal + 1)));
    this.scratch = new ScratchPool<>(() -> new Scratch(maxInternal, maxLeaves, maxSlots, lanes, blockSize,
        block != null ? units : -1, columnChunk));
    if (table == null) {
      pathStart = null;
      pathInternal = null;
      pathRight = null;
      pathSlot = null;
      pathLeaf = null;
      slotStart = null;
      slotColumn = null;
      slotLeaf = null;
      fullPattern = null;
    }
  }

  /** Per-call work arrays, sized for an ensemble's trees and paths. */
  static final class Scratch {
    /** Per internal node of the current tree: 1 when the row goes right; the spare stays 0. */
    final int[] right;
    /** Per leaf of the current tree: bit j set when the row follows the path on feature j. */
    final int[] pattern;
    /** Four partial sums per column and the spare; all zero between rows. */
    final double[] sums;
    // one row of leaves per slot: the JIT vectorises a loop over leaves only when what it writes
    // and what it reads are not the same array at an unknown distance
    final double[][] soaOne;
    final double[][] soaFactor;
    final double[][] soaIntegral;
    final double[][] soaBefore;
    final double[][] soaAfter;
    /** One slot's terms per leaf of the current tree, and a zero past the last leaf (see {@link SlotMajorShap}). */
    final double[] leafTerm;
    /** Rows per block of the block path (0 without block tables). */
    final int blockRows;
    /**
     * The column-wise block path ({@link #addColumns}; empty otherwise): the block's rows by column
     * ({@code blockColumns[c][r]}), their partial sums by target ({@code columnSums[e][r]}, e as in
     * {@link #sums}), and for the current chunk of rows its decisions and patterns per internal
     * node and its table offsets per unit. One array per node, unit or column: the JIT vectorises
     * a loop over rows only when what it writes and what it reads are not the same array.
     */
    final double[][] blockColumns;
    final double[][] columnSums;
    final int[][] chunkDecided;
    final int[][] chunkPattern;
    final int[][] chunkBase;

    Scratch(int maxInternal, int maxLeaves, int maxSlots, int lanes, int blockRows) {
      this(maxInternal, maxLeaves, maxSlots, lanes, blockRows, -1, 0);
    }

    /**
     * As the other constructor, for the block path when {@code columnUnits} (the most units of a
     * tree) is not -1: blocks of {@code blockRows} rows, taken through a tree {@code chunk} rows at
     * a time.
     */
    Scratch(int maxInternal, int maxLeaves, int maxSlots, int lanes, int blockRows, int columnUnits, int chunk) {
      boolean columns = columnUnits >= 0;
      this.blockRows = blockRows;
      right = new int[maxInternal + 1];
      pattern = new int[Math.max(1, maxLeaves)];
      sums = new double[4 * lanes];
      blockColumns = new double[columns ? lanes - 1 : 0][blockRows];
      columnSums = new double[columns ? 4 * lanes : 0][blockRows];
      chunkDecided = new int[columns ? maxInternal + 1 : 0][chunk];
      chunkPattern = new int[columns ? maxInternal + 1 : 0][chunk];
      chunkBase = new int[columns ? columnUnits : 0][chunk];
      soaOne = new double[maxSlots + 1][Math.max(1, maxLeaves)];
      soaFactor = new double[maxSlots + 1][Math.max(1, maxLeaves)];
      soaIntegral = new double[maxSlots + 1][Math.max(1, maxLeaves)];
      soaBefore = new double[maxSlots + 2][Math.max(1, maxLeaves)];
      soaAfter = new double[maxSlots + 2][Math.max(1, maxLeaves)];
      leafTerm = new double[maxLeaves + 1];
    }
  }

  /** For tests: how many trees have a table over their decisions. */
  int tabledTrees() {
    int n = 0;
    for (int start : treeTableStart) {
      n += start >= 0 ? 1 : 0;
    }
    return n;
  }

  /** For tests: whether the leaves have a table over their patterns. */
  boolean hasLeafTable() {
    return table != null;
  }

  /** Adds every tree's Shapley values for the row at {@code offset} to {@code phi[column]}. */
  void add(double[] row, int offset, double[] phi) {
    Scratch s = scratch.acquire();
    try {
      add(row, offset, phi, s);
    } finally {
      scratch.release(s);
    }
  }

  private void add(double[] row, int offset, double[] phi, Scratch s) {
    double[] sums = s.sums;
    for (int t = 0; t < m.treeCount; t++) {
      if (treeTableStart[t] >= 0) {
        addTreeTable(t, row, offset, sums);
        continue;
      }
      decide(t, row, offset, s.right);
      leaves(t, s, slotMajor);
    }
    fold(sums, phi, 0);
  }

  /**
   * Adds the Shapley values of {@code rowCount} rows (row r at {@code r * stride}) to {@code
   * phi[r * featureCount + column]}: the same values, bit for bit, as {@link #add} row by row. The
   * trees the per-row path computes slot-major use the block tables where they have one, tree by
   * tree for blocks of {@link #blockRows} rows; every row's partial sums receive the same terms
   * in the same order as on the per-row path.
   */
  void addRows(double[] rows, int rowCount, int stride, double[] phi) {
    Scratch s = scratch.acquire();
    try {
      if (block == null) {
        for (int r = 0; r < rowCount; r++) {
          addRow(rows, r * stride, phi, r * m.featureCount, s);
        }
        return;
      }
      int rowsPerBlock = s.blockRows;
      for (int first = 0; first < rowCount; first += rowsPerBlock) {
        addColumns(rows, first, Math.min(rowsPerBlock, rowCount - first), stride, phi, s);
      }
    } finally {
      scratch.release(s);
    }
  }

  /** {@link #add} into {@code phi} at {@code at}. */
  private void addRow(double[] row, int offset, double[] phi, int at, Scratch s) {
    double[] sums = s.sums;
    for (int t = 0; t < m.treeCount; t++) {
      if (treeTableStart[t] >= 0) {
        addTreeTable(t, row, offset, sums);
        continue;
      }
      decide(t, row, offset, s.right);
      leaves(t, s, slotMajor);
    }
    fold(sums, phi, at);
  }

  /**
   * The block path: the same additions as the per-row path, each row's partial sums receiving the
   * same entries in the same order, done tree by tree for the whole block. A tree with block
   * tables goes through column-wise, a chunk of rows at a time: its decisions, node patterns and
   * table offsets computed node by node and unit by unit for all the chunk's rows (loops the JIT
   * vectorises), then each scatter cell adds its entries to the chunk's rows. Row by row (as until
   * 2026-12-04, four rows together), a node's pattern waited on its parent's through a chain of
   * dependent loads, which took about three quarters of the time. Partial sums are kept by target
   * ({@code columnSums[e][r]}): kept by row, the cells' additions were nearly twice as slow. Trees
   * with a table over their decisions, and trees past the tables' budget (slot-major), are added
   * row by row into the same sums.
   */
  private void addColumns(double[] rows, int first, int count, int stride, double[] phi, Scratch s) {
    int features = m.featureCount;
    double[][] x = s.blockColumns;
    for (int r = 0; r < count; r++) {
      int at = (first + r) * stride;
      for (int c = 0; c < features; c++) {
        x[c][r] = rows[at + c];
      }
    }
    double[][] sums = s.columnSums;
    // cleared before use, not after: a call that failed half-way leaves nothing behind in the pool
    for (double[] sum : sums) {
      java.util.Arrays.fill(sum, 0, count, 0.0);
    }
    for (int t = 0; t < m.treeCount; t++) {
      if (treeTableStart[t] >= 0) {
        addTreeTableColumns(t, rows, first, count, stride, sums);
        continue;
      }
      if (!block.tabled[t]) {
        for (int r = 0; r < count; r++) {
          decide(t, rows, (first + r) * stride, s.right);
          slotMajor.slotMajor(t, s, sums, r);
        }
        continue;
      }
      addTabledColumns(t, x, count, sums, s);
    }
    int lanes = this.lanes;
    for (int c = 0; c < features; c++) {
      double[] s0 = sums[c];
      double[] s1 = sums[lanes + c];
      double[] s2 = sums[2 * lanes + c];
      double[] s3 = sums[3 * lanes + c];
      for (int r = 0; r < count; r++) {
        phi[(first + r) * features + c] += folded(s0[r], s1[r], s2[r], s3[r]);
      }
    }
  }

  /**
   * Tabled tree t for the block's {@code count} rows, column-wise a chunk at a time. A method of
   * its own: compiled into {@link #addColumns}, with the other kinds of tree beside it, the loops
   * ran about 9% slower once the compiler's final version replaced the first.
   */
  private void addTabledColumns(int t, double[][] x, int count, double[][] sums, Scratch s) {
    int firstInternal = internalStart[t];
    int internalCount = internalStart[t + 1] - firstInternal;
    for (int from = 0; from < count; from += columnChunk) {
      int n = Math.min(columnChunk, count - from);
      decideColumns(t, x, from, n, s.chunkDecided);
      block.offsetsColumns(t, firstInternal, internalCount, s.chunkDecided, s.chunkPattern, s.chunkBase, n);
      block.addColumns(t, s.chunkBase, n, sums, from);
    }
  }

  /**
   * Tree t's decisions for the {@code n} rows of the block from row {@code from}: row {@code from +
   * r}'s at the tree's internal node i in {@code decided[i][r]}, 1 when it goes right.
   */
  private void decideColumns(int t, double[][] x, int from, int n, int[][] decided) {
    int firstInternal = internalStart[t];
    int end = internalStart[t + 1];
    if (numericTree[t]) {
      for (int i = firstInternal; i < end; i++) {
        double[] column = x[internalColumn[i]];
        double cut = internalThreshold[i];
        int flip = internalNanFlip[i];
        int[] to = decided[i - firstInternal];
        for (int r = 0; r < n; r++) {
          double v = column[from + r];
          to[r] = numericDecision(v, cut, flip);
        }
      }
      return;
    }
    for (int i = firstInternal; i < end; i++) {
      int g = internalNode[i];
      double[] column = x[m.column[g]];
      int[] to = decided[i - firstInternal];
      for (int r = 0; r < n; r++) {
        to[r] = m.goesRight(g, column[from + r]) ? 1 : 0;
      }
    }
  }

  /** {@link #addTreeTable} for the block's {@code count} rows from row {@code first}, into the sums by target. */
  private void addTreeTableColumns(int t, double[] rows, int first, int count, int stride, double[][] sums) {
    int firstColumn = treeColumnStart[t];
    int columns = treeColumnStart[t + 1] - firstColumn;
    int lane = (t & 3) * lanes;
    for (int r = 0; r < count; r++) {
      int at = treeTableEntry(t, rows, (first + r) * stride);
      for (int f = 0; f < columns; f++) {
        sums[lane + treeColumn[firstColumn + f]][r] += treeTable[at + f];
      }
    }
  }

  /** Tree t's decisions for the row at {@code offset}: {@code decided[i]} 1 when it goes right at internal node i. */
  private void decide(int t, double[] row, int offset, int[] decided) {
    decide(t, row, offset, decided, 0);
  }

  /** As {@link #decide(int, double[], int, int[])}, into {@code decided[at + i]}. */
  private void decide(int t, double[] row, int offset, int[] decided, int at) {
    int firstInternal = internalStart[t];
    int to = at - firstInternal;
    if (numericTree[t]) {
      // plain numeric splits without a branch on the value (a row's decisions are coin flips to
      // the branch predictor): right iff not x < threshold, NaN the stored way
      int[] column = internalColumn;
      double[] threshold = internalThreshold;
      int[] flip = internalNanFlip;
      for (int i = firstInternal, end = internalStart[t + 1]; i < end; i++) {
        double x = row[offset + column[i]];
        decided[to + i] = numericDecision(x, threshold[i], flip[i]);
      }
      return;
    }
    for (int i = firstInternal, end = internalStart[t + 1]; i < end; i++) {
      int g = internalNode[i];
      decided[to + i] = m.goesRight(g, row[offset + m.column[g]]) ? 1 : 0;
    }
  }

  /** Adds tree t's values from its table over decision vectors to {@code sums}. */
  private void addTreeTable(int t, double[] row, int offset, double[] sums) {
    int at = treeTableEntry(t, row, offset);
    int first = treeColumnStart[t];
    int columns = treeColumnStart[t + 1] - first;
    // four partial sums by tree: trees share features, and one running sum per feature would
    // chain every addition to the previous one through memory
    int lane = (t & 3) * lanes;
    for (int f = 0; f < columns; f++) {
      sums[lane + treeColumn[first + f]] += treeTable[at + f];
    }
  }

  /** Where tree t's values for the row at {@code offset} start in its table over decision vectors. */
  private int treeTableEntry(int t, double[] row, int offset) {
    int firstInternal = internalStart[t];
    int decisions = 0;
    for (int i = firstInternal, end = internalStart[t + 1]; i < end; i++) {
      int g = internalNode[i];
      decisions |= (m.goesRight(g, row[offset + m.column[g]]) ? 1 : 0) << (i - firstInternal);
    }
    return treeTableStart[t] + decisions * (treeColumnStart[t + 1] - treeColumnStart[t]);
  }

  /** Adds the four partial sums of each column to {@code phi[at + column]} in a fixed order, and clears them. */
  private void fold(double[] sums, double[] phi, int at) {
    int lanes = this.lanes;
    for (int c = 0; c < m.featureCount; c++) {
      phi[at + c] += folded(sums[c], sums[lanes + c], sums[2 * lanes + c], sums[3 * lanes + c]);
    }
    java.util.Arrays.fill(sums, 0.0);
  }

  /**
   * A column's four partial sums in the one order every path folds them in (the block path's and
   * the per-row path's contributions are the same bits because of it).
   */
  private static double folded(double s0, double s1, double s2, double s3) {
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * 1 when a row goes right at a plain numeric split: not {@code x < cut}, and NaN (which compares
   * as right) flipped left when {@code nanFlip} is 1. Without a branch on the value: a row's
   * decisions are coin flips to the branch predictor.
   */
  private static int numericDecision(double x, double cut, int nanFlip) {
    return (x < cut ? 0 : 1) ^ (x != x ? nanFlip : 0);
  }

  /** For tests: units of two sibling leaves in the slot-major layout (0 without it). */
  int siblingPairs() {
    return slotMajor == null ? 0 : slotMajor.units(true);
  }

  /** For tests: units of one leaf in the slot-major layout (0 without it). */
  int loneLeaves() {
    return slotMajor == null ? 0 : slotMajor.units(false);
  }

  /** For tests and benchmarks: doubles in the block path's tables (0 without them). */
  long blockTableSize() {
    return block == null ? 0 : block.size;
  }

  /**
   * Adds tree t's Shapley values to {@code s.sums}, given its decisions in {@code s.right}: from
   * the leaf table, or without it from the slot-major layout {@code quadrature}.
   */
  private void leaves(int t, Scratch s, SlotMajorShap quadrature) {
    if (table == null) {
      quadrature.slotMajor(t, s);
      return;
    }
    int[] decided = s.right;
    int[] patterns = s.pattern;
    // loops run over a whole tree's leaves, splits or slots at once: per-leaf loops of two or
    // three turns would cost more in loop set-up and mispredicted exits than in work
    int firstLeaf = treeLeafStart[t];
    int leafEnd = treeLeafStart[t + 1];
    for (int l = firstLeaf; l < leafEnd; l++) {
      patterns[l - firstLeaf] = fullPattern[l];
    }
    // bit j of a leaf's pattern: the row takes every split of the path on the leaf's feature j
    for (int p = pathStart[firstLeaf], end = pathStart[leafEnd]; p < end; p++) {
      patterns[pathLeaf[p]] &= ~((decided[pathInternal[p]] ^ pathRight[p]) << pathSlot[p]);
    }
    double[] sums = s.sums;
    for (int e = slotStart[firstLeaf], end = slotStart[leafEnd]; e < end; e++) {
      sums[(e & 3) * lanes + slotColumn[e]] += table[slotTable[e] + patterns[slotLeaf[e]] * slotStride[e]];
    }
  }
}

package io.chainscore.scoring.tree;

/**
 * The per-leaf tables of {@link PathShap}'s block path: for the trees that fit a memory budget,
 * every leaf's Shapley terms for every pattern of followed features, precomputed at load (Fast
 * TreeSHAP v2's idea, Yang 2021), so that a row costs its decisions, one pattern per leaf pushed
 * down the tree and one table load per leaf and feature.
 *
 * <p>Bit for bit the per-row path's values: an entry is {@code v (o - z) I} computed by {@link
 * SlotMajorShap#integrals} exactly as the per-row slot-major path computes it for a row with that
 * pattern (same quadrature, same padding), and a row's entries are added to the same four partial
 * sums in the same order (slot by slot, leaves in order within a slot, leaf l into partial sum
 * {@code l & 3}). So the block path and the row path give identical contributions; only the
 * arithmetic done per row differs.
 *
 * <p>A row's pattern of a leaf (bit i: the row takes every split of the leaf's path on the path's
 * i-th distinct feature) is pushed down from the root: a feature's slot is fixed by the order of
 * first use along the root path, so it is the same for every leaf below a node, and a child's
 * pattern is its parent's with the parent's slot cleared when the row goes the other way.
 *
 * <p>Thread safety: immutable; per-row work arrays are the caller's.
 */
final class LeafTableBlock {
  /** Per tree: whether it has a table here. */
  final boolean[] tabled;
  /** Per internal node (PathShap's global internal index): its parent's local index, -1 at the root. */
  private final int[] nodeParent;
  /** Per internal node: 1 when it is its parent's right child. */
  private final int[] nodeRight;
  /** Per internal node: the slot of its feature on the paths through it. */
  private final int[] nodeSlot;
  /** Per leaf (PathShap's global leaf index): its parent's local index, its side, its slots and table region. */
  private final int[] leafParent;
  private final int[] leafRight;
  private final int[] leafSlots;
  private final int[] leafRegion;
  /** Per tree: its scatter cells at {@code [cellStart[t], cellStart[t + 1])}, slot-major. */
  private final int[] cellStart;
  /** Per cell: the leaf (local) times 16 plus the slot, and the partial-sum index {@code (l & 3) * lanes + column}. */
  private final int[] cellLeafSlot;
  private final int[] cellTarget;
  private final double[] table;
  /** Doubles in the tables. */
  final long size;

  /**
   * Lays out and fills the tables of the trees that {@code eligible} marks, tree by tree while
   * the total stays within {@code budget} doubles.
   */
  LeafTableBlock(int treeCount, int lanes, int[] internalStart, int[] treeLeafStart, int[] pathStart,
      int[] pathInternal, int[] pathRight, int[] pathSlot, int[] slotStart, int[] slotColumn, double[] leafValue,
      SlotMajorShap quadrature, boolean[] eligible, long budget, PathShap.Scratch work) {
    int leafCount = treeLeafStart[treeCount];
    this.tabled = new boolean[treeCount];
    this.nodeParent = new int[internalStart[treeCount]];
    this.nodeRight = new int[internalStart[treeCount]];
    this.nodeSlot = new int[internalStart[treeCount]];
    this.leafParent = new int[leafCount];
    this.leafRight = new int[leafCount];
    this.leafSlots = new int[leafCount];
    this.leafRegion = new int[leafCount];
    this.cellStart = new int[treeCount + 1];
    long total = 0;
    int cells = 0;
    for (int t = 0; t < treeCount; t++) {
      long treeSize = 0;
      int treeCells = 0;
      for (int l = treeLeafStart[t]; l < treeLeafStart[t + 1]; l++) {
        int k = slotStart[l + 1] - slotStart[l];
        treeSize += k > PathShap.MAX_TABLE_SLOTS ? Long.MAX_VALUE / 4 : (long) k << k;
        treeCells += k;
      }
      if (eligible[t] && quadrature.treeSlots[t] > 0 && treeSize <= budget - total) {
        tabled[t] = true;
        total += treeSize;
        cells += treeCells;
      }
    }
    this.size = total;
    this.table = new double[(int) total];
    this.cellLeafSlot = new int[cells];
    this.cellTarget = new int[cells];
    int at = 0;
    int cell = 0;
    for (int t = 0; t < treeCount; t++) {
      cellStart[t + 1] = cellStart[t];
      if (!tabled[t]) {
        continue;
      }
      int firstLeaf = treeLeafStart[t];
      int leaves = treeLeafStart[t + 1] - firstLeaf;
      int first = internalStart[t];
      nodeParent[first] = -1;
      for (int l = firstLeaf; l < treeLeafStart[t + 1]; l++) {
        int steps = pathStart[l + 1] - pathStart[l];
        for (int p = pathStart[l]; p < pathStart[l + 1]; p++) {
          int node = first + pathInternal[p];
          nodeSlot[node] = pathSlot[p];
          if (p + 1 < pathStart[l + 1]) {
            nodeParent[first + pathInternal[p + 1]] = pathInternal[p];
            nodeRight[first + pathInternal[p + 1]] = pathRight[p];
          }
        }
        int last = pathStart[l] + steps - 1;
        leafParent[l] = pathInternal[last];
        leafRight[l] = pathRight[last];
        leafSlots[l] = slotStart[l + 1] - slotStart[l];
        leafRegion[l] = at;
        at += leafSlots[l] << leafSlots[l];
      }
      // scatter cells in the slot-major path's order: slot by slot, the leaves in order
      for (int i = 0, slots = quadrature.treeSlots[t]; i < slots; i++) {
        for (int l = 0; l < leaves; l++) {
          int leaf = firstLeaf + l;
          if (i < leafSlots[leaf]) {
            cellLeafSlot[cell] = l << 4 | i;
            cellTarget[cell] = (l & 3) * lanes + slotColumn[slotStart[leaf] + i];
            cell++;
          }
        }
      }
      cellStart[t + 1] = cell;
      // per pattern of the tree's K slots, all its leaves at once (as PathShap's pattern table):
      // a leaf of k slots takes the pattern when the bits past k are all set (padding factor 1)
      int slots = quadrature.treeSlots[t];
      for (int pattern = 0; pattern < 1 << slots; pattern++) {
        for (int i = 0; i < slots; i++) {
          java.util.Arrays.fill(work.soaOne[i], 0, leaves, (pattern >>> i) & 1);
        }
        quadrature.integrals(t, work);
        for (int l = 0; l < leaves; l++) {
          int leaf = firstLeaf + l;
          int k = leafSlots[leaf];
          if (pattern >>> k != (1 << (slots - k)) - 1) {
            continue;
          }
          int own = pattern & ((1 << k) - 1);
          for (int j = 0; j < k; j++) {
            int e = quadrature.soaSlot[t] + j * leaves + l;
            table[leafRegion[leaf] + own * k + j] =
                leafValue[leaf] * (work.soaOne[j][l] - quadrature.soaZero[e]) * work.soaIntegral[j][l];
          }
        }
      }
    }
  }

  /**
   * Adds tabled tree t's terms for one row to {@code sums}, given the row's decisions at the
   * tree's internal nodes in {@code decided}; {@code pattern} and {@code base} are work arrays of
   * at least the tree's internal nodes and leaves.
   */
  void add(int t, int firstInternal, int internalCount, int firstLeaf, int leafCount, int[] decided,
      int[] pattern, int[] base, double[] sums) {
    offsets(firstInternal, internalCount, firstLeaf, leafCount, decided, pattern, base, 0);
    double[] table = this.table;
    for (int c = cellStart[t], end = cellStart[t + 1]; c < end; c++) {
      int cell = cellLeafSlot[c];
      sums[cellTarget[c]] += table[base[cell >>> 4] + (cell & 15)];
    }
  }

  /**
   * As {@link #add} for four rows at once: their table offsets at {@code base[j * stride + l]}
   * (filled by {@link #offsets}), their sums {@code s0} to {@code s3}. The cells' layout is read
   * once for the four rows and their four chains of additions are independent.
   */
  void add4(int t, int[] base, int stride, double[] s0, double[] s1, double[] s2, double[] s3) {
    double[] table = this.table;
    int b1 = stride;
    int b2 = 2 * stride;
    int b3 = 3 * stride;
    for (int c = cellStart[t], end = cellStart[t + 1]; c < end; c++) {
      int cell = cellLeafSlot[c];
      int leaf = cell >>> 4;
      int slot = cell & 15;
      int target = cellTarget[c];
      s0[target] += table[base[leaf] + slot];
      s1[target] += table[base[b1 + leaf] + slot];
      s2[target] += table[base[b2 + leaf] + slot];
      s3[target] += table[base[b3 + leaf] + slot];
    }
  }

  /**
   * A row's table offset per leaf of a tabled tree into {@code base[at + l]}, given its decisions;
   * {@code pattern} is a work array of at least the tree's internal nodes.
   */
  void offsets(int firstInternal, int internalCount, int firstLeaf, int leafCount, int[] decided, int[] pattern,
      int[] base, int at) {
    pattern[0] = -1;
    for (int i = 1; i < internalCount; i++) {
      int parent = nodeParent[firstInternal + i];
      pattern[i] = pattern[parent]
          & ~((decided[parent] ^ nodeRight[firstInternal + i]) << nodeSlot[firstInternal + parent]);
    }
    for (int l = 0; l < leafCount; l++) {
      int leaf = firstLeaf + l;
      int parent = leafParent[leaf];
      int k = leafSlots[leaf];
      int p = pattern[parent] & ~((decided[parent] ^ leafRight[leaf]) << nodeSlot[firstInternal + parent]);
      base[at + l] = leafRegion[leaf] + (p & ((1 << k) - 1)) * k;
    }
  }
}

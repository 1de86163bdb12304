package io.chainscore.scoring.tree;

/**
 * The per-unit tables of {@link PathShap}'s block path: for the trees that fit a memory budget,
 * every unit's Shapley terms for every pattern of followed features, precomputed at load (Fast
 * TreeSHAP v2's idea, Yang 2021), so that a row costs its decisions, one pattern per node pushed
 * down the tree and one table load per unit and feature. A unit is two sibling leaves or one leaf
 * ({@link SlotMajorShap}): a pair's table is indexed by its parent's pattern and the row's decision
 * at the parent, which give both leaves' patterns, and holds the sum of the two leaves' terms, so
 * a depth-6 tree costs 32 table loads per slot instead of 64.
 *
 * <p>Bit for bit the per-row path's values: a leaf's term {@code v (o - z) I} is computed by
 * {@link SlotMajorShap#integrals} exactly as the per-row slot-major path computes it for a row with
 * that pattern (same quadrature, same padding), a unit's entry is its first leaf's term plus its
 * second's (plus zero for a unit of one leaf) as on that path, and a row's entries are added to the
 * same four partial sums in the same order (slot by slot, units in order within a slot, unit u
 * into partial sum {@code u & 3}). So the block path and the row path give identical
 * contributions; only the arithmetic done per row differs.
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
  /** Per tree: its units at {@code [treeUnitStart[t], treeUnitStart[t + 1])} (the layout's). */
  private final int[] treeUnitStart;
  /** Per internal node (PathShap's global internal index): its parent's local index, -1 at the root. */
  private final int[] nodeParent;
  /** Per internal node: 1 when it is its parent's right child. */
  private final int[] nodeRight;
  /** Per internal node: the slot of its feature on the paths through it. */
  private final int[] nodeSlot;
  /**
   * Per unit (the layout's global unit index): its leaves' parent (local index); for one leaf its
   * side, -1 (its own decision clears a bit of the pattern) and shift 0; for a pair side 0, mask 0
   * and shift 1 (the decision is the index's low bit); its slots and its table region.
   */
  private final int[] unitParent;
  private final int[] unitRight;
  private final int[] unitClear;
  private final int[] unitShift;
  private final int[] unitSlots;
  private final int[] unitRegion;
  /** Per tree: its scatter cells at {@code [cellStart[t], cellStart[t + 1])}, slot-major. */
  private final int[] cellStart;
  /** Per cell: the unit (local) times 16 plus the slot, and the partial-sum index {@code (u & 3) * lanes + column}. */
  private final int[] cellUnitSlot;
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
    this.tabled = new boolean[treeCount];
    this.treeUnitStart = quadrature.treeUnitStart;
    int unitCount = treeUnitStart[treeCount];
    this.nodeParent = new int[internalStart[treeCount]];
    this.nodeRight = new int[internalStart[treeCount]];
    this.nodeSlot = new int[internalStart[treeCount]];
    this.unitParent = new int[unitCount];
    this.unitRight = new int[unitCount];
    this.unitClear = new int[unitCount];
    this.unitShift = new int[unitCount];
    this.unitSlots = new int[unitCount];
    this.unitRegion = new int[unitCount];
    this.cellStart = new int[treeCount + 1];
    long total = 0;
    int cells = 0;
    int widestLeafTable = 0;
    for (int t = 0; t < treeCount; t++) {
      // a pair's table is as large as its two leaves' would be
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
        widestLeafTable = (int) Math.max(widestLeafTable, treeSize);
      }
    }
    this.size = total;
    this.table = new double[(int) total];
    this.cellUnitSlot = new int[cells];
    this.cellTarget = new int[cells];
    // one tree's leaf tables at a time, leaf l's at leafAt[l]: term of slot j for pattern P at P * k + j
    double[] leafTable = new double[widestLeafTable];
    int[] leafAt = new int[work.leafTerm.length];
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
        for (int p = pathStart[l]; p < pathStart[l + 1]; p++) {
          int node = first + pathInternal[p];
          nodeSlot[node] = pathSlot[p];
          if (p + 1 < pathStart[l + 1]) {
            nodeParent[first + pathInternal[p + 1]] = pathInternal[p];
            nodeRight[first + pathInternal[p + 1]] = pathRight[p];
          }
        }
      }
      for (int l = 0, leafTableAt = 0; l < leaves; l++) {
        leafAt[l] = leafTableAt;
        int k = slotStart[firstLeaf + l + 1] - slotStart[firstLeaf + l];
        leafTableAt += k << k;
      }
      // per pattern of the tree's K slots, all its leaves at once (as PathShap's pattern table):
      // a leaf of k slots takes the pattern when the bits past k are all set (padding factor 1)
      int slots = quadrature.treeSlots[t];
      for (int pattern = 0; pattern < 1 << slots; pattern++) {
        for (int i = 0; i < slots; i++) {
          java.util.Arrays.fill(work.soaOne[i], 0, leaves, (pattern >>> i) & 1);
        }
        quadrature.integrals(t, work);
        for (int l = 0; l < leaves; l++) {
          int k = slotStart[firstLeaf + l + 1] - slotStart[firstLeaf + l];
          if (pattern >>> k != (1 << (slots - k)) - 1) {
            continue;
          }
          int own = pattern & ((1 << k) - 1);
          for (int j = 0; j < k; j++) {
            leafTable[leafAt[l] + own * k + j] = quadrature.term(t, j, l, work.soaOne[j][l], work.soaIntegral[j][l]);
          }
        }
      }
      int firstUnit = treeUnitStart[t];
      int units = treeUnitStart[t + 1] - firstUnit;
      for (int u = firstUnit; u < firstUnit + units; u++) {
        int a = quadrature.unitFirst[u];
        int leaf = firstLeaf + a;
        int k = slotStart[leaf + 1] - slotStart[leaf];
        int last = pathStart[leaf + 1] - 1;
        boolean pair = quadrature.unitSecond[u] < leaves;
        unitParent[u] = pathInternal[last];
        unitRight[u] = pair ? 0 : pathRight[last];
        unitClear[u] = pair ? 0 : -1;
        unitShift[u] = pair ? 1 : 0;
        unitSlots[u] = k;
        unitRegion[u] = at;
        if (pair) {
          // index (P << 1) | d: the parent's pattern P and the row's decision d at the parent; the
          // left leaf loses the parent's slot when the row goes right, the right leaf when it goes left
          int b = quadrature.unitSecond[u];
          int s = pathSlot[last];
          for (int p = 0; p < 1 << k; p++) {
            for (int d = 0; d < 2; d++) {
              int left = p & ~(d << s);
              int right = p & ~((d ^ 1) << s);
              for (int j = 0; j < k; j++) {
                table[at + ((p << 1) | d) * k + j] =
                    leafTable[leafAt[a] + left * k + j] + leafTable[leafAt[b] + right * k + j];
              }
            }
          }
          at += k << (k + 1);
        } else {
          double zero = 0.0;
          for (int e = 0; e < k << k; e++) {
            table[at + e] = leafTable[leafAt[a] + e] + zero;
          }
          at += k << k;
        }
      }
      // scatter cells in the slot-major path's order: slot by slot, the units in order
      for (int i = 0; i < slots; i++) {
        for (int u = 0; u < units; u++) {
          int unit = firstUnit + u;
          if (i < unitSlots[unit]) {
            int leaf = firstLeaf + quadrature.unitFirst[unit];
            cellUnitSlot[cell] = u << 4 | i;
            cellTarget[cell] = (u & 3) * lanes + slotColumn[slotStart[leaf] + i];
            cell++;
          }
        }
      }
      cellStart[t + 1] = cell;
    }
  }

  /** The most units of a tree. */
  int mostUnits() {
    int most = 0;
    for (int t = 0; t + 1 < treeUnitStart.length; t++) {
      most = Math.max(most, treeUnitStart[t + 1] - treeUnitStart[t]);
    }
    return most;
  }

  /**
   * Tabled tree t's table offsets for {@code n} rows, node by node and unit by unit in loops over
   * the rows: given row r's decision at internal node i in {@code decided[i][r]}, its pattern there
   * goes to {@code pattern[i][r]} (the parent's, with the parent's slot cleared when the row goes
   * the other way there) and its offset for the tree's unit u to {@code base[u][r]}: for one leaf,
   * its pattern times its slots; for a pair, the parent's pattern with the decision as the low bit.
   */
  void offsetsColumns(int t, int firstInternal, int internalCount, int[][] decided, int[][] pattern, int[][] base,
      int n) {
    java.util.Arrays.fill(pattern[0], 0, n, -1);
    for (int i = 1; i < internalCount; i++) {
      int parent = nodeParent[firstInternal + i];
      int right = nodeRight[firstInternal + i];
      int slot = nodeSlot[firstInternal + parent];
      int[] from = pattern[parent];
      int[] decision = decided[parent];
      int[] to = pattern[i];
      for (int r = 0; r < n; r++) {
        to[r] = from[r] & ~((decision[r] ^ right) << slot);
      }
    }
    for (int u = treeUnitStart[t], end = treeUnitStart[t + 1]; u < end; u++) {
      int parent = unitParent[u];
      int slot = nodeSlot[firstInternal + parent];
      int k = unitSlots[u];
      int mask = (1 << k) - 1;
      int clear = unitClear[u];
      int right = unitRight[u];
      int shift = unitShift[u];
      int region = unitRegion[u];
      int[] from = pattern[parent];
      int[] decision = decided[parent];
      int[] to = base[u - treeUnitStart[t]];
      for (int r = 0; r < n; r++) {
        int d = decision[r];
        int p = from[r] & ~(((d ^ right) << slot) & clear);
        to[r] = region + (((p & mask) << shift) | (d & ~clear)) * k;
      }
    }
  }

  /**
   * Adds tabled tree t's entries for {@code n} rows to their partial sums, given their offsets from
   * {@link #offsetsColumns}: cell by cell (slot by slot, units in order within a slot, unit u into
   * partial sum {@code u & 3}, as {@link SlotMajorShap} adds them), row r's entry to {@code
   * sums[target][from + r]}.
   */
  void addColumns(int t, int[][] base, int n, double[][] sums, int from) {
    double[] table = this.table;
    for (int c = cellStart[t], end = cellStart[t + 1]; c < end; c++) {
      int cell = cellUnitSlot[c];
      int[] offset = base[cell >>> 4];
      int slot = cell & 15;
      double[] sum = sums[cellTarget[c]];
      for (int r = 0; r < n; r++) {
        sum[from + r] += table[offset[r] + slot];
      }
    }
  }
}

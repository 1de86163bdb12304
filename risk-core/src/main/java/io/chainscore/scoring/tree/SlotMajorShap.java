package io.chainscore.scoring.tree;

/**
 * The third of {@link PathShap}'s layouts, for trees without a table: the Shapley values of a row
 * computed for all of a tree's leaves at once, slot by slot in loops over the leaves that the JIT
 * vectorises, the integrals by exact Gauss-Legendre quadrature (O(L k^2) per tree, like Algorithm
 * 2). {@link PathShap} also builds its tables with it.
 *
 * <p>A tree's Shapley terms are added to the partial sums by <em>units</em>: two sibling leaves
 * (consecutive leaves whose paths differ only in the last step) form one unit, whose term for a
 * slot is the left leaf's term plus the right one's; any other leaf is a unit alone (its term plus
 * zero). {@link LeafTableBlock}'s tables hold the units' terms, so a row costs one addition per
 * unit and slot instead of one per leaf and slot, and both paths add the same doubles in the same
 * order (slot by slot, units in order, unit u into partial sum {@code u & 3}).
 *
 * <p>Thread safety: immutable; the work arrays are the caller's ({@link PathShap.Scratch}).
 */
final class SlotMajorShap {
  /** Per tree: its leaves at {@code [treeLeafStart[t], treeLeafStart[t + 1])}. */
  private final int[] treeLeafStart;
  private final double[] leafValue;
  /** Stride of the four partial sums: one per column plus a spare for padding. */
  private final int lanes;
  /** Gauss-Legendre points and weights on [0, 1] for k slots (see {@link #integrals}). */
  private final double[][] quadratureNode;
  private final double[][] quadratureWeight;
  /**
   * Without the leaf table, every tree laid out slot-major for loops over its leaves, which the
   * JIT vectorises: slot i of leaf l at {@code soaSlot[t] + i * L + l} (L the tree's leaves, K its
   * most slots; padding has zero fraction 1, one fraction 1 and the spare column), path step d
   * of leaf l at {@code soaStep[t] + d * L + l} (padding: the always-0 spare decision, going
   * left, slot 0).
   */
  final int[] soaSlot;
  private final int[] soaStep;
  final int[] treeSlots;
  private final int[] treeSteps;
  final double[] soaZero;
  private final int[] stepNode;
  private final int[] stepRight;
  private final int[] stepSlot;
  /** Per tree: its units at {@code [treeUnitStart[t], treeUnitStart[t + 1])}. */
  final int[] treeUnitStart;
  /**
   * Per unit: its first leaf (local index) and its second, or the tree's leaf count for a unit of
   * one leaf (a term that is always zero).
   */
  final int[] unitFirst;
  final int[] unitSecond;
  /** Slot i of unit u at {@code soaUnit[t] + i * U + u} (U the tree's units): its column (spare for padding). */
  private final int[] soaUnit;
  private final int[] soaUnitColumn;

  /**
   * Lays out {@code treeCount} trees from {@link PathShap}'s per-leaf path arrays: {@code widest}
   * is the most slots of a leaf, {@code widestTree} the most internal nodes of a tree (the index of
   * the spare, always-0 decision).
   */
  SlotMajorShap(int treeCount, int featureCount, int lanes, int widest, int widestTree, int[] treeLeafStart,
      double[] leafValue, int[] pathStart, int[] pathInternal, int[] pathRight, int[] pathSlot, int[] slotStart,
      int[] slotColumn, double[] slotZero) {
    this.treeLeafStart = treeLeafStart;
    this.leafValue = leafValue;
    this.lanes = lanes;
    this.quadratureNode = new double[widest + 1][];
    this.quadratureWeight = new double[widest + 1][];
    for (int k = 1; k <= widest; k++) {
      // the integrand has degree k - 1: ceil(k / 2) Gauss-Legendre points integrate it exactly
      int points = (k + 1) / 2;
      quadratureNode[k] = new double[points];
      quadratureWeight[k] = new double[points];
      gaussLegendre(points, quadratureNode[k], quadratureWeight[k]);
    }
    this.soaSlot = new int[treeCount + 1];
    this.soaStep = new int[treeCount + 1];
    this.treeSlots = new int[treeCount];
    this.treeSteps = new int[treeCount];
    for (int t = 0; t < treeCount; t++) {
      int treeLeaves = treeLeafStart[t + 1] - treeLeafStart[t];
      for (int l = treeLeafStart[t]; l < treeLeafStart[t + 1]; l++) {
        treeSlots[t] = Math.max(treeSlots[t], slotStart[l + 1] - slotStart[l]);
        treeSteps[t] = Math.max(treeSteps[t], pathStart[l + 1] - pathStart[l]);
      }
      soaSlot[t + 1] = soaSlot[t] + treeSlots[t] * treeLeaves;
      soaStep[t + 1] = soaStep[t] + treeSteps[t] * treeLeaves;
    }
    this.soaZero = new double[soaSlot[treeCount]];
    int[] soaColumn = new int[soaSlot[treeCount]];
    this.stepNode = new int[soaStep[treeCount]];
    this.stepRight = new int[soaStep[treeCount]];
    this.stepSlot = new int[soaStep[treeCount]];
    java.util.Arrays.fill(soaZero, 1.0);
    java.util.Arrays.fill(soaColumn, featureCount);
    java.util.Arrays.fill(stepNode, widestTree);
    for (int t = 0; t < treeCount; t++) {
      int treeLeaves = treeLeafStart[t + 1] - treeLeafStart[t];
      for (int l = 0; l < treeLeaves; l++) {
        int leaf = treeLeafStart[t] + l;
        for (int i = 0; i < slotStart[leaf + 1] - slotStart[leaf]; i++) {
          soaZero[soaSlot[t] + i * treeLeaves + l] = slotZero[slotStart[leaf] + i];
          soaColumn[soaSlot[t] + i * treeLeaves + l] = slotColumn[slotStart[leaf] + i];
        }
        for (int d = 0; d < pathStart[leaf + 1] - pathStart[leaf]; d++) {
          int e = soaStep[t] + d * treeLeaves + l;
          stepNode[e] = pathInternal[pathStart[leaf] + d];
          stepRight[e] = pathRight[pathStart[leaf] + d];
          stepSlot[e] = pathSlot[pathStart[leaf] + d];
        }
      }
    }
    // units: sibling leaves in pairs, left to right
    this.treeUnitStart = new int[treeCount + 1];
    int leafTotal = treeLeafStart[treeCount];
    int[] first = new int[Math.max(1, leafTotal)];
    int[] second = new int[Math.max(1, leafTotal)];
    int units = 0;
    for (int t = 0; t < treeCount; t++) {
      int treeLeaves = treeLeafStart[t + 1] - treeLeafStart[t];
      for (int l = 0; l < treeLeaves; ) {
        int leaf = treeLeafStart[t] + l;
        first[units] = l;
        if (l + 1 < treeLeaves && siblings(leaf, pathStart, pathInternal, pathRight)) {
          second[units++] = l + 1;
          l += 2;
        } else {
          second[units++] = treeLeaves;
          l++;
        }
      }
      treeUnitStart[t + 1] = units;
    }
    this.unitFirst = java.util.Arrays.copyOf(first, units);
    this.unitSecond = java.util.Arrays.copyOf(second, units);
    this.soaUnit = new int[treeCount + 1];
    for (int t = 0; t < treeCount; t++) {
      soaUnit[t + 1] = soaUnit[t] + treeSlots[t] * (treeUnitStart[t + 1] - treeUnitStart[t]);
    }
    this.soaUnitColumn = new int[soaUnit[treeCount]];
    for (int t = 0; t < treeCount; t++) {
      int treeLeaves = treeLeafStart[t + 1] - treeLeafStart[t];
      int treeUnits = treeUnitStart[t + 1] - treeUnitStart[t];
      for (int u = 0; u < treeUnits; u++) {
        int l = unitFirst[treeUnitStart[t] + u];
        for (int i = 0; i < treeSlots[t]; i++) {
          soaUnitColumn[soaUnit[t] + i * treeUnits + u] = soaColumn[soaSlot[t] + i * treeLeaves + l];
        }
      }
    }
  }

  /** How many units hold two sibling leaves ({@code pairs}) or one leaf. */
  int units(boolean pairs) {
    int n = 0;
    for (int t = 0; t + 1 < treeUnitStart.length; t++) {
      int leaves = treeLeafStart[t + 1] - treeLeafStart[t];
      for (int u = treeUnitStart[t]; u < treeUnitStart[t + 1]; u++) {
        n += (unitSecond[u] < leaves) == pairs ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * Whether leaf {@code leaf} and the next one are siblings: paths of the same length through the
   * same nodes, the first going left at the last step and the second right. Siblings have the same
   * slots (the same distinct features, met in the same order).
   */
  private static boolean siblings(int leaf, int[] pathStart, int[] pathInternal, int[] pathRight) {
    int steps = pathStart[leaf + 1] - pathStart[leaf];
    if (steps == 0 || pathStart[leaf + 2] - pathStart[leaf + 1] != steps) {
      return false;
    }
    int lastA = pathStart[leaf + 1] - 1;
    int lastB = pathStart[leaf + 2] - 1;
    return pathInternal[lastA] == pathInternal[lastB] && pathRight[lastA] == 0 && pathRight[lastB] == 1;
  }

  /**
   * Leaf l's term for slot i of tree t, given the one fraction {@code one} and the integral
   * {@code integral}: the tables' entries, computed as {@link #slotMajor}'s loop computes a row's
   * (same operands, same order), so the two agree bit for bit.
   */
  double term(int t, int i, int l, double one, double integral) {
    int leafCount = treeLeafStart[t + 1] - treeLeafStart[t];
    return leafValue[treeLeafStart[t] + l] * (one - soaZero[soaSlot[t] + i * leafCount + l]) * integral;
  }

  /**
   * Tree t's Shapley values into {@code s.sums} without the leaf table, for all its leaves at once
   * in slot-major loops (see {@link #integrals} for the formula).
   */
  void slotMajor(int t, PathShap.Scratch s) {
    slotMajor(t, s, null, 0);
  }

  /**
   * As {@link #slotMajor(int, PathShap.Scratch)}, adding to {@code columnSums[e][row]} instead of
   * {@code s.sums[e]} unless {@code columnSums} is null (the block path's sums by target): the
   * same terms in the same order.
   */
  void slotMajor(int t, PathShap.Scratch s, double[][] columnSums, int row) {
    int[] decided = s.right;
    int firstLeaf = treeLeafStart[t];
    int leafCount = treeLeafStart[t + 1] - firstLeaf;
    int slots = treeSlots[t];
    if (slots == 0) {
      return;
    }
    int zeroAt = soaSlot[t];
    int stepAt = soaStep[t];
    double[][] one = s.soaOne;
    double[][] integral = s.soaIntegral;
    for (int i = 0; i < slots; i++) {
      java.util.Arrays.fill(one[i], 0, leafCount, 1.0);
    }
    for (int d = 0, steps = treeSteps[t]; d < steps; d++) {
      for (int l = 0, e = stepAt + d * leafCount; l < leafCount; l++, e++) {
        one[stepSlot[e]][l] *= 1 - (decided[stepNode[e]] ^ stepRight[e]);
      }
    }
    integrals(t, s);
    double[] zero = soaZero;
    double[] sums = s.sums;
    double[] term = s.leafTerm;
    term[leafCount] = 0.0;
    int firstUnit = treeUnitStart[t];
    int unitCount = treeUnitStart[t + 1] - firstUnit;
    int[] a = unitFirst;
    int[] b = unitSecond;
    for (int i = 0; i < slots; i++) {
      double[] o = one[i];
      double[] sum = integral[i];
      for (int l = 0, e = zeroAt + i * leafCount; l < leafCount; l++, e++) {
        term[l] = leafValue[firstLeaf + l] * (o[l] - zero[e]) * sum[l];
      }
      if (columnSums == null) {
        for (int u = 0, e = soaUnit[t] + i * unitCount; u < unitCount; u++, e++) {
          sums[(u & 3) * lanes + soaUnitColumn[e]] += term[a[firstUnit + u]] + term[b[firstUnit + u]];
        }
      } else {
        for (int u = 0, e = soaUnit[t] + i * unitCount; u < unitCount; u++, e++) {
          columnSums[(u & 3) * lanes + soaUnitColumn[e]][row] += term[a[firstUnit + u]] + term[b[firstUnit + u]];
        }
      }
    }
  }

  /**
   * For every leaf l and slot i of tree t, given the one fractions in {@code s.soaOne[i][l]},
   * writes to {@code s.soaIntegral[i][l]} the integral over [0, 1] of {@code prod(j != i) (x o_j +
   * (1 - x) z_j) dx} by Gauss-Legendre quadrature, exact for this polynomial of degree below the
   * tree's most slots (padding slots have factor 1 when their one fraction is 1).
   */
  void integrals(int t, PathShap.Scratch s) {
    int leafCount = treeLeafStart[t + 1] - treeLeafStart[t];
    int slots = treeSlots[t];
    int zeroAt = soaSlot[t];
    double[][] one = s.soaOne;
    double[][] factor = s.soaFactor;
    double[][] before = s.soaBefore;
    double[][] after = s.soaAfter;
    double[][] integral = s.soaIntegral;
    for (int i = 0; i < slots; i++) {
      java.util.Arrays.fill(integral[i], 0, leafCount, 0.0);
    }
    double[] nodes = quadratureNode[slots];
    double[] weights = quadratureWeight[slots];
    double[] zero = soaZero;
    for (int q = 0; q < nodes.length; q++) {
      double x = nodes[q];
      for (int i = 0; i < slots; i++) {
        double[] f = factor[i];
        double[] o = one[i];
        int at = zeroAt + i * leafCount;
        for (int l = 0; l < leafCount; l++) {
          double z = zero[at + l];
          f[l] = z + x * (o[l] - z);
        }
      }
      // products of the other slots' factors, without dividing (a factor may be zero)
      java.util.Arrays.fill(before[0], 0, leafCount, 1.0);
      for (int i = 0; i < slots; i++) {
        double[] next = before[i + 1];
        double[] previous = before[i];
        double[] f = factor[i];
        for (int l = 0; l < leafCount; l++) {
          next[l] = previous[l] * f[l];
        }
      }
      java.util.Arrays.fill(after[slots], 0, leafCount, 1.0);
      for (int i = slots - 1; i >= 0; i--) {
        double[] next = after[i];
        double[] previous = after[i + 1];
        double[] f = factor[i];
        for (int l = 0; l < leafCount; l++) {
          next[l] = previous[l] * f[l];
        }
      }
      double w = weights[q];
      for (int i = 0; i < slots; i++) {
        double[] sum = integral[i];
        double[] left = before[i];
        double[] right = after[i + 1];
        for (int l = 0; l < leafCount; l++) {
          sum[l] += w * (left[l] * right[l]);
        }
      }
    }
  }

  /**
   * Fills the {@code n} Gauss-Legendre points and weights for [0, 1]: the roots of the Legendre
   * polynomial P_n by Newton's method from the usual cosine guesses, weights {@code 1 / ((1 -
   * t^2) P_n'(t)^2)} (half of the [-1, 1] weights).
   */
  static void gaussLegendre(int n, double[] node, double[] weight) {
    for (int i = 0; i < n; i++) {
      double t = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
      double derivative = 0;
      for (int iteration = 0; iteration < 100; iteration++) {
        double p0 = 1.0;
        double p1 = t;
        for (int m = 2; m <= n; m++) {
          double p2 = ((2 * m - 1) * t * p1 - (m - 1) * p0) / m;
          p0 = p1;
          p1 = p2;
        }
        double pn = n == 1 ? t : p1;
        double pPrevious = n == 1 ? 1.0 : p0;
        derivative = n * (t * pn - pPrevious) / (t * t - 1);
        double step = pn / derivative;
        t -= step;
        if (Math.abs(step) < 1e-17) {
          break;
        }
      }
      node[i] = (1 + t) / 2;
      weight[i] = 1 / ((1 - t * t) * derivative * derivative);
    }
  }
}

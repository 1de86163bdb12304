package io.chainscore.scoring.tree;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.ModelFormatException;

/**
 * The flat primitive layout of a {@link TreeEnsemble} and its evaluators.
 *
 * <p>All nodes of all trees live in parallel arrays indexed by a global node number. Every numeric
 * split is reduced to "go left iff {@code x < threshold}" in double (XGBoost's float32 rounding
 * and LightGBM's {@code <=} with tiny values read as zero are folded into the stored threshold,
 * see {@link #float32LessThanBound} and {@link #lightgbmLessThanBound}), with the NaN direction
 * precomputed. Leaves point to themselves, so a walk takes exactly {@code depth[t]} steps
 * {@code node = child[2 * node + right]} with no test for having reached a leaf.
 *
 * <p>Purely numeric trees of depth at most {@link #PERFECT_MAX_DEPTH} are also laid out as perfect
 * binary trees (children implicit at {@code 2s+1}, {@code 2s+2}, shallow leaves replicated). When
 * the bounds fit ({@link #MAX_CUTS} per column), these trees are evaluated on quantised rows: each
 * split column's value is mapped once per row to its bin, the number of the column's distinct
 * bounds at or below it, and a slot is one int holding the bin of its bound and the index of the
 * row code to compare, which is exact because {@code x < b_j} iff {@code bin(x) <= j} (see {@link
 * #binRow}); {@link CutGuide} finds a bin in a guide lookup and about two compares. A single row
 * walks eight consecutive trees together. The batch path takes 64 rows at a time: when every
 * perfect tree is at most eight deep, {@link RowMaskBatch} decides each slot for all 64 rows with
 * one 64-bit mask; otherwise each tree is walked by eight rows together while it stays in L1.
 * Other trees are walked node by node on the raw row. Tree outputs are always added in tree order.
 *
 * <p>Thread safety: immutable (a per-thread scratch array for the single-row codes is the only
 * state); the evaluators allocate nothing per row.
 */
final class CompiledTreeEnsemble implements CompiledModel {
  static final byte KIND_NUMERIC = 0;
  static final byte KIND_NUMERIC_ZERO_MISSING = 1;
  static final byte KIND_CATEGORICAL = 2;

  /** LightGBM's kZeroThreshold, a float constant widened to double. */
  static final double ZERO_THRESHOLD = 1e-35f;

  static final int BLOCK = 16;

  final TreeEnsemble model;
  final int featureCount;
  final boolean float32;
  final double baseMargin;
  final int treeCount;
  final int[] root;
  final int[] depth;
  final boolean[] simpleTree;
  final int[] column;
  final double[] threshold;
  final int[] child;
  final boolean[] nanRight;
  final boolean[] defaultRight;
  final byte[] kind;
  final int[] catStart;
  final int[] catWords;
  final long[] catBits;
  final double[] value;
  final double[] cover;
  final double[] treeMean;
  final int maxDepth;
  // Perfect-tree layout of purely numeric trees up to PERFECT_MAX_DEPTH: tree t's internal slots
  // are perfectStart[t] + [0, 2^d - 1) in breadth-first order (children of slot s are 2s+1 and
  // 2s+2), its leaves leafStart[t] + [0, 2^d). Shallow leaves are replicated down to depth d.
  final boolean[] perfect;
  /** Whether trees t .. t+7 are all perfect, so they can be walked together. */
  final boolean[] perfectGroup;
  final int[] perfectStart;
  final int[] leafStart;
  final int[] perfectMeta;
  final double[] perfectThreshold;
  final double[] perfectLeaf;
  final double expectedMargin;

  // Quantised form of the perfect trees (see the class comment). Present when every column has at
  // most MAX_CUTS distinct bounds and at most MAX_BINNED_COLUMNS columns are split on.
  final boolean quantized;
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
  private final ThreadLocal<int[]> singleRowCodes;
  /** TreeSHAP's path layout, built by the first {@link #contributions} call. */
  private volatile PathShap pathShap;
  /** The 64-row mask evaluator of the batch path, or null when it does not apply. */
  final RowMaskBatch rowMasks;

  static final int MAX_CUTS = 0xFFFF;
  static final int MAX_BINNED_COLUMNS = 0x7FFF;

  private CompiledTreeEnsemble(TreeEnsemble model, int featureCount, int nodes, int catWordTotal,
      int[] columnOfFeature) {
    this.model = model;
    this.featureCount = featureCount;
    this.float32 = model.precision() == TreeEnsemble.Precision.FLOAT32;
    this.baseMargin = model.baseMargin();
    this.treeCount = model.trees().size();
    this.root = new int[treeCount];
    this.depth = new int[treeCount];
    this.simpleTree = new boolean[treeCount];
    this.perfect = new boolean[treeCount];
    this.perfectGroup = new boolean[treeCount];
    this.perfectStart = new int[treeCount];
    this.leafStart = new int[treeCount];
    this.treeMean = new double[treeCount];
    this.column = new int[nodes];
    this.threshold = new double[nodes];
    this.child = new int[2 * nodes];
    this.nanRight = new boolean[nodes];
    this.defaultRight = new boolean[nodes];
    this.kind = new byte[nodes];
    this.catStart = new int[nodes];
    this.catWords = new int[nodes];
    this.catBits = new long[catWordTotal];
    this.value = new double[nodes];
    this.cover = new double[nodes];
    int deepest = 0;
    for (DecisionTree tree : model.trees()) {
      deepest = Math.max(deepest, tree.depth());
    }
    this.maxDepth = deepest;
    fill(model, featureCount);
    mapColumns(columnOfFeature);
    long internal = 0;
    long leaves = 0;
    for (int t = 0; t < treeCount; t++) {
      // Padding must stay proportional to the tree: skinny deep trees keep the node walk.
      perfect[t] = simpleTree[t] && depth[t] <= PERFECT_MAX_DEPTH
          && (1 << depth[t]) <= 4 * model.trees().get(t).nodeCount();
      if (perfect[t]) {
        perfectStart[t] = (int) internal;
        leafStart[t] = (int) leaves;
        internal += (1 << depth[t]) - 1;
        leaves += 1 << depth[t];
      }
    }
    this.perfectMeta = new int[(int) internal];
    this.perfectThreshold = new double[(int) internal];
    this.perfectLeaf = new double[(int) leaves];
    boolean[] filler = new boolean[(int) internal];
    for (int t = 0; t < treeCount; t++) {
      if (perfect[t]) {
        fillPerfect(t, root[t], 0, 0, filler);
      }
    }
    // Quantisation: per column, the sorted distinct bounds of the perfect slots that split on it.
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
    this.binnedColumn = new int[binned];
    this.cutStart = new int[binned];
    this.cutCount = new int[binned];
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
    this.cuts = new double[totalCuts];
    for (int b = 0; b < binned; b++) {
      System.arraycopy(bounds[b], 0, cuts, cutStart[b], cutCount[b]);
    }
    int maxCuts = 0;
    for (int b = 0; b < binned; b++) {
      maxCuts = Math.max(maxCuts, cutCount[b]);
    }
    this.indexBits = 31 - (32 - Integer.numberOfLeadingZeros(maxCuts));
    this.indexMask = (1 << indexBits) - 1;
    fits &= ((long) 2 * binned << ROW_SHIFT) <= 1L << indexBits;
    this.quantized = fits;
    this.cutGuide = fits ? CutGuide.of(cuts, cutStart, cutCount) : null;
    this.perfectCode = new int[fits ? (int) internal : 0];
    if (fits) {
      for (int k = 0; k < filler.length; k++) {
        if (filler[k]) {
          continue; // both subtrees are the same leaf: code 0 compares any row code with bin 0
        }
        int b = binnedOf[perfectMeta[k] >>> 1];
        // The bound is one of the cuts, so the count of cuts <= it is its index + 1.
        int bin = cutsAtOrBelow(cuts, cutStart[b], cutCount[b], perfectThreshold[k]);
        perfectCode[k] = bin << indexBits | (2 * b + (perfectMeta[k] & 1)) << ROW_SHIFT;
      }
    }
    int codeWidth = Math.max(2 * binned, 1) << ROW_SHIFT;
    this.singleRowCodes = ThreadLocal.withInitial(() -> new int[codeWidth]);
    for (int t = 0; t + 8 <= treeCount; t++) {
      boolean all = true;
      for (int i = 0; i < 8; i++) {
        all &= perfect[t + i];
      }
      perfectGroup[t] = all;
    }
    double expected = baseMargin;
    for (int t = 0; t < treeCount; t++) {
      expected += treeMean[t];
    }
    this.expectedMargin = expected;
    this.rowMasks = RowMaskBatch.of(this);
  }

  static CompiledTreeEnsemble compile(TreeEnsemble model, int featureCount, int[] columnOfFeature)
      throws ModelFormatException {
    int[] owner = new int[featureCount];
    java.util.Arrays.fill(owner, -1);
    for (int f = 0; f < columnOfFeature.length; f++) {
      int c = columnOfFeature[f];
      if (c >= 0) {
        if (owner[c] >= 0) {
          throw new ModelFormatException("feature_names[" + f + "]", "model features "
              + model.featureNames().get(owner[c]) + " and " + model.featureNames().get(f)
              + " map to the same schema column " + c);
        }
        owner[c] = f;
      }
    }
    int nodes = 0;
    long words = 0;
    for (DecisionTree tree : model.trees()) {
      nodes += tree.nodeCount();
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (!tree.isLeaf(i) && tree.isCategorical(i)) {
          words += bitsetWords(tree.categories(i));
        }
      }
    }
    if (words > Integer.MAX_VALUE / 2) {
      throw new ModelFormatException("trees", "category sets are too large (" + words + " words)");
    }
    return new CompiledTreeEnsemble(model, featureCount, nodes, (int) words, columnOfFeature);
  }

  private static int bitsetWords(int[] set) {
    return set.length == 0 ? 1 : (set[set.length - 1] >>> 6) + 1;
  }

  private void fill(TreeEnsemble model, int featureCount) {
    boolean lightgbmCategories = !float32;
    int base = 0;
    int catCursor = 0;
    for (int t = 0; t < treeCount; t++) {
      DecisionTree tree = model.trees().get(t);
      root[t] = base;
      depth[t] = tree.depth();
      boolean simple = true;
      for (int i = 0; i < tree.nodeCount(); i++) {
        int g = base + i;
        cover[g] = tree.cover(i);
        if (tree.isLeaf(i)) {
          child[2 * g] = g;
          child[2 * g + 1] = g;
          double v = tree.leafValue(i) * tree.weight();
          value[g] = float32 ? (float) v : v;
          column[g] = -1;
          threshold[g] = Double.NaN;
          continue;
        }
        child[2 * g] = base + tree.leftChild(i);
        child[2 * g + 1] = base + tree.rightChild(i);
        column[g] = tree.splitFeature(i);
        boolean defRight = !tree.defaultLeft(i);
        defaultRight[g] = defRight;
        DecisionTree.MissingRule rule = tree.missingRule(i);
        if (tree.isCategorical(i)) {
          simple = false;
          kind[g] = KIND_CATEGORICAL;
          int[] set = tree.categories(i);
          int w = bitsetWords(set);
          catStart[g] = catCursor;
          catWords[g] = w;
          for (int c : set) {
            catBits[catCursor + (c >>> 6)] |= 1L << (c & 63);
          }
          if (!lightgbmCategories) {
            // XGBoost sends set members right: store the complement so a set bit means "left".
            for (int k = 0; k < w; k++) {
              catBits[catCursor + k] = ~catBits[catCursor + k];
            }
          }
          catCursor += w;
          if (lightgbmCategories) {
            nanRight[g] = true;
          } else if (rule == DecisionTree.MissingRule.NAN_AS_ZERO) {
            nanRight[g] = categoricalRight(g, 0.0);
          } else {
            nanRight[g] = defRight;
          }
          threshold[g] = Double.NaN;
        } else {
          double t0 = tree.threshold(i);
          threshold[g] = float32 ? float32LessThanBound((float) t0) : lightgbmLessThanBound(t0);
          if (rule == DecisionTree.MissingRule.NAN_AS_ZERO) {
            kind[g] = KIND_NUMERIC;
            nanRight[g] = !(0.0 < threshold[g]);
          } else if (rule == DecisionTree.MissingRule.ZERO_AND_NAN_TO_DEFAULT) {
            simple = false;
            kind[g] = KIND_NUMERIC_ZERO_MISSING;
            nanRight[g] = defRight;
          } else {
            kind[g] = KIND_NUMERIC;
            nanRight[g] = defRight;
          }
        }
      }
      simpleTree[t] = simple;
      treeMean[t] = nodeMean(base, base);
      base += tree.nodeCount();
    }
  }

  private void mapColumns(int[] columnOfFeature) {
    for (int g = 0; g < column.length; g++) {
      // Leaves read column 0 harmlessly (their children are themselves); trees of depth 0 never
      // read, so a schema without columns still works.
      column[g] = column[g] < 0 ? 0 : columnOfFeature[column[g]];
    }
  }

  static final int PERFECT_MAX_DEPTH = 10;

  private void fillPerfect(int t, int g, int slot, int level, boolean[] filler) {
    int d = depth[t];
    if (level == d) {
      perfectLeaf[leafStart[t] + slot - ((1 << d) - 1)] = value[g];
      return;
    }
    int k = perfectStart[t] + slot;
    if (child[2 * g] == g) {
      // A leaf above the bottom: both subtrees repeat it, so the split can be anything.
      perfectMeta[k] = 0;
      perfectThreshold[k] = 0.0;
      filler[k] = true;
      fillPerfect(t, g, 2 * slot + 1, level + 1, filler);
      fillPerfect(t, g, 2 * slot + 2, level + 1, filler);
      return;
    }
    perfectMeta[k] = column[g] << 1 | (nanRight[g] ? 1 : 0);
    perfectThreshold[k] = threshold[g];
    fillPerfect(t, child[2 * g], 2 * slot + 1, level + 1, filler);
    fillPerfect(t, child[2 * g + 1], 2 * slot + 2, level + 1, filler);
  }

  private double nodeMean(int base, int g) {
    // Iterative post-order would avoid recursion, but depth is bounded by DecisionTree.MAX_DEPTH.
    int left = child[2 * g];
    if (left == g) {
      return value[g];
    }
    int right = child[2 * g + 1];
    double c = cover[g];
    if (c <= 0) {
      return 0.5 * (nodeMean(base, left) + nodeMean(base, right));
    }
    return (nodeMean(base, left) * cover[left] + nodeMean(base, right) * cover[right]) / c;
  }

  /**
   * The smallest double {@code b} such that {@code (float) x >= t} for every {@code x >= b}: XGBoost's
   * "go left iff {@code (float) x < t}" is exactly "go left iff {@code x < b}" for non-NaN {@code x}.
   */
  static double float32LessThanBound(float t) {
    if (t == Float.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    if (Float.isNaN(t)) {
      return Double.NaN;
    }
    float below = Math.nextDown(t);
    // Two adjacent floats average exactly in double; the midpoint rounds to one of them
    // (ties to even), and Java's own narrowing tells which.
    // Beyond the largest float the "neighbour" is infinity; the rounding boundary is half an ulp
    // past Float.MAX_VALUE.
    double overflow = (double) Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0;
    double mid = t == Float.POSITIVE_INFINITY ? overflow
        : below == Float.NEGATIVE_INFINITY ? -overflow
        : ((double) below + (double) t) / 2.0;
    return (float) mid == t ? mid : Math.nextUp(mid);
  }

  /**
   * LightGBM's rule "go left iff {@code x' <= t}", where its predictor first replaces every
   * {@code |x| <= 1e-35f} by 0, as a single bound {@code b} with "go left iff {@code x < b}" for
   * non-NaN {@code x} and finite {@code t}.
   */
  static double lightgbmLessThanBound(double t) {
    if (t >= 0) {
      return Math.nextUp(Math.max(t, ZERO_THRESHOLD));
    }
    if (t >= -ZERO_THRESHOLD) {
      return -ZERO_THRESHOLD;
    }
    return Math.nextUp(t);
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

  /** 1 when the row with codes at {@code at} goes right at the slot with int {@code code}, else 0. */
  private int codeStep(int[] codes, int at, int code) {
    return codes[(code & indexMask) + at] >= code ? 1 : 0;
  }

  @Override
  public int featureCount() {
    return featureCount;
  }

  /** The ensemble this layout was compiled from. */
  TreeEnsemble model() {
    return model;
  }

  boolean goesRight(int g, double x) {
    byte k = kind[g];
    if (k == KIND_NUMERIC) {
      return x != x ? nanRight[g] : !(x < threshold[g]);
    }
    if (k == KIND_NUMERIC_ZERO_MISSING) {
      if (x != x || (x >= -ZERO_THRESHOLD && x <= ZERO_THRESHOLD)) {
        return defaultRight[g];
      }
      return !(x < threshold[g]);
    }
    if (x != x) {
      return nanRight[g];
    }
    return categoricalRight(g, x);
  }

  private boolean categoricalRight(int g, double x) {
    int category;
    if (float32) {
      float f = (float) x;
      if (f < 0 || f >= TreeEnsemble.MAX_CATEGORY) {
        return false;
      }
      category = (int) f;
    } else {
      category = (int) x;
      if (category < 0) {
        return true;
      }
    }
    int word = category >>> 6;
    if (word >= catWords[g]) {
      return !float32;
    }
    return (catBits[catStart[g] + word] & (1L << (category & 63))) == 0;
  }

  int leafOf(int t, double[] row, int offset) {
    int g = root[t];
    int d = depth[t];
    if (simpleTree[t]) {
      for (int s = 0; s < d; s++) {
        double x = row[offset + column[g]];
        boolean right = x != x ? nanRight[g] : !(x < threshold[g]);
        g = child[2 * g + (right ? 1 : 0)];
      }
    } else {
      for (int s = 0; s < d; s++) {
        g = child[2 * g + (goesRight(g, row[offset + column[g]]) ? 1 : 0)];
      }
    }
    return g;
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
    return value[leafOf(t, row, offset)];
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

  @Override
  public double margin(double[] row, int offset) {
    if (quantized) {
      int[] codes = singleRowCodes.get();
      binRow(row, offset, codes, 0);
      double acc = baseMargin;
      int t = 0;
      while (t < treeCount) {
        if (t + 8 <= treeCount && perfectGroup[t]) {
          acc = eightTreesQuantized(t, codes, 0, acc);
          t += 8;
        } else {
          acc = add(acc, perfect[t] ? perfectValueQuantized(t, codes, 0) : value[leafOf(t, row, offset)]);
          t++;
        }
      }
      return acc;
    }
    double acc = baseMargin;
    int t = 0;
    // Eight perfect trees at a time: their walks are independent, so the loads overlap; the
    // outputs are still added in tree order.
    while (t + 8 <= treeCount) {
      if (!perfectGroup[t]) {
        acc = add(acc, treeValue(t, row, offset));
        t++;
        continue;
      }
      acc = eightTrees(t, row, offset, acc);
      t += 8;
    }
    for (; t < treeCount; t++) {
      acc = add(acc, treeValue(t, row, offset));
    }
    return acc;
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
    acc = add(acc, finishPerfect(t, s0, common, row, offset));
    acc = add(acc, finishPerfect(t + 1, s1, common, row, offset));
    acc = add(acc, finishPerfect(t + 2, s2, common, row, offset));
    acc = add(acc, finishPerfect(t + 3, s3, common, row, offset));
    acc = add(acc, finishPerfect(t + 4, s4, common, row, offset));
    acc = add(acc, finishPerfect(t + 5, s5, common, row, offset));
    acc = add(acc, finishPerfect(t + 6, s6, common, row, offset));
    acc = add(acc, finishPerfect(t + 7, s7, common, row, offset));
    return acc;
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

  /** {@link #eightTrees} on a row's quantised codes: integer compares of one int per slot. */
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
    acc = add(acc, finishQuantized(t, s0, common, codes, at));
    acc = add(acc, finishQuantized(t + 1, s1, common, codes, at));
    acc = add(acc, finishQuantized(t + 2, s2, common, codes, at));
    acc = add(acc, finishQuantized(t + 3, s3, common, codes, at));
    acc = add(acc, finishQuantized(t + 4, s4, common, codes, at));
    acc = add(acc, finishQuantized(t + 5, s5, common, codes, at));
    acc = add(acc, finishQuantized(t + 6, s6, common, codes, at));
    acc = add(acc, finishQuantized(t + 7, s7, common, codes, at));
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

  /** Adds a tree output to the margin in the model's precision. */
  double add(double acc, double treeOutput) {
    // Both operands of a float32 model are float32 values, so rounding their double sum to float
    // gives exactly the float32 sum (double has more than 2 * 24 + 2 significand bits).
    return float32 ? (float) (acc + treeOutput) : acc + treeOutput;
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

  @Override
  public void margins(double[] rows, int rowCount, int stride, double[] out) {
    if (stride < featureCount) {
      throw new IllegalArgumentException("stride " + stride + " is below the feature count " + featureCount);
    }
    if (rowMasks != null) {
      rowMasks.margins(rows, rowCount, stride, out);
      return;
    }
    if (quantized) {
      marginsQuantized(rows, rowCount, stride, out);
      return;
    }
    int[] nodes = new int[BLOCK];
    int[] start = new int[BLOCK];
    double[] acc = new double[BLOCK];
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
            acc[r] = add(acc[r], perfectLeaf[leafBase + nodes[r]]);
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
            nodes[r] = child[2 * g + (goesRight(g, rows[start[r] + column[g]]) ? 1 : 0)];
          }
        }
        for (int r = 0; r < m; r++) {
          acc[r] = add(acc[r], value[nodes[r]]);
        }
        t++;
      }
      System.arraycopy(acc, 0, out, first, m);
    }
  }

  /** Rows per block of the quantised batch path (a power of two, {@code 1 << ROW_SHIFT}). */
  static final int ROW_SHIFT = 6;
  static final int ROW_BLOCK = 1 << ROW_SHIFT;

  /**
   * The batch path of quantised ensembles: a block of 64 rows is binned once into codes laid out
   * column-major ({@code codes[index << ROW_SHIFT | row]}), then every tree in order is walked by
   * eight rows at a time: eight independent load chains, the tree's slots hot in L1, and the row
   * offset a constant in each chain. Each row still adds its tree outputs in tree order. Scratch
   * arrays are per call, never per row.
   */
  private void marginsQuantized(double[] rows, int rowCount, int stride, double[] out) {
    int[] codes = new int[Math.max(2 * binnedColumn.length, 1) << ROW_SHIFT];
    int[] start = new int[ROW_BLOCK];
    double[] acc = new double[ROW_BLOCK];
    for (int first = 0; first < rowCount; first += ROW_BLOCK) {
      int m = Math.min(ROW_BLOCK, rowCount - first);
      for (int r = 0; r < m; r++) {
        start[r] = (first + r) * stride;
        acc[r] = baseMargin;
        binRow(rows, start[r], codes, r);
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
          acc[r] = add(acc[r], value[leafOf(t, rows, start[r])]);
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
    acc[r] = add(acc[r], leaves[leaf + s0]);
    acc[r + 1] = add(acc[r + 1], leaves[leaf + s1]);
    acc[r + 2] = add(acc[r + 2], leaves[leaf + s2]);
    acc[r + 3] = add(acc[r + 3], leaves[leaf + s3]);
    acc[r + 4] = add(acc[r + 4], leaves[leaf + s4]);
    acc[r + 5] = add(acc[r + 5], leaves[leaf + s5]);
    acc[r + 6] = add(acc[r + 6], leaves[leaf + s6]);
    acc[r + 7] = add(acc[r + 7], leaves[leaf + s7]);
  }

  @Override
  public double contributions(double[] row, int offset, double[] out) {
    return contributions(row, offset, out, float32 ? margin(row, offset) : 0.0);
  }

  @Override
  public double contributions(double[] row, int offset, double[] out, double margin) {
    java.util.Arrays.fill(out, 0, featureCount, 0.0);
    PathShap shap = pathShap;
    if (shap == null) {
      // built on first use (scoring without reason codes never needs it); a race builds it twice
      shap = new PathShap(this);
      pathShap = shap;
    }
    shap.add(row, offset, out, shap.scratch());
    double sum = expectedMargin;
    for (int c = 0; c < featureCount; c++) {
      sum += out[c];
    }
    // The attribution is exact in double; a float32 model's margin differs from that exact sum by
    // its float32 rounding, which is folded into the bias so that bias + contributions == margin.
    double residual = float32 ? margin - sum : 0.0;
    return expectedMargin + residual;
  }

  /** The bias: base margin plus each tree's cover-weighted mean leaf value. */
  double expectedMargin() {
    return expectedMargin;
  }
}

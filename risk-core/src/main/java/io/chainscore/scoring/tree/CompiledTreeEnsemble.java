package io.chainscore.scoring.tree;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.ModelFormatException;

/**
 * The flat primitive layout of a {@link TreeEnsemble}, built once at load, and the dispatch to its
 * evaluators.
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
 * the bounds fit, these trees are also quantised ({@link QuantizedLayout}): a row's split values
 * are mapped once to bins and every slot compares one int. The evaluation paths live in their own
 * classes over this layout:
 * <ul>
 *   <li>{@link RawRowEvaluator}: ensembles that are not quantised, on the raw row; a single row
 *       walks eight consecutive perfect trees together, a batch 16 rows at a time;
 *   <li>{@link QuantizedEvaluator}: quantised ensembles, a single row on its codes (eight trees
 *       together), and the batch path eight rows at a time when the mask path does not apply;
 *   <li>{@link RowMaskBatch}: the batch path of quantised ensembles whose perfect trees are at most
 *       eight deep, 64 rows at a time, one 64-bit mask per slot;
 *   <li>{@link PathShap}: exact TreeSHAP contributions, laid out on first use.
 * </ul>
 * Other trees are walked node by node on the raw row ({@link #leafOf}). Tree outputs are always
 * added in tree order, so every path gives the same bits.
 *
 * <p>Thread safety: immutable; the evaluators' work arrays come from pools owned by this model
 * ({@link io.chainscore.scoring.spi.ScratchPool}), so they die with it, and the evaluators
 * allocate nothing per row or, in steady state, per call.
 */
final class CompiledTreeEnsemble implements CompiledModel {
  static final byte KIND_NUMERIC = 0;
  static final byte KIND_NUMERIC_ZERO_MISSING = 1;
  static final byte KIND_CATEGORICAL = 2;

  /** LightGBM's kZeroThreshold, a float constant widened to double. */
  static final double ZERO_THRESHOLD = SplitBounds.ZERO_THRESHOLD;

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

  /** The quantised form of the perfect trees, or null when it does not fit. */
  final QuantizedLayout quantization;
  /** Whether {@link #quantization} is present: rows are binned and the perfect trees compare ints. */
  final boolean quantized;
  /** TreeSHAP's path layout, built by the first {@link #contributions} call. */
  private volatile PathShap pathShap;
  /** TreeSHAP's layout with the block path's per-leaf tables, built by the first large batch. */
  private volatile PathShap blockShap;
  /** Guards the one build of each TreeSHAP layout, {@link #pathShap} and {@link #blockShap}. */
  private final Object layoutBuild = new Object();
  /** For tests: how many times each layout was built (under {@link #layoutBuild}). */
  private int pathShapsBuilt;
  private int blockShapsBuilt;
  /** The 64-row mask evaluator of the batch path, or null when it does not apply. */
  final RowMaskBatch rowMasks;
  /** Evaluates quantised ensembles on their rows' codes; null when not {@link #quantized}. */
  private final QuantizedEvaluator quantizedRows;
  /** Evaluates ensembles on the raw rows; null when {@link #quantized}. */
  private final RawRowEvaluator rawRows;

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
    this.quantization = QuantizedLayout.of(featureCount, perfectMeta, perfectThreshold, filler);
    this.quantized = quantization != null;
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
    this.quantizedRows = quantized ? new QuantizedEvaluator(this, quantization) : null;
    this.rawRows = quantized ? null : new RawRowEvaluator(this);
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

  /** The columns the split nodes read (a leaf's children are itself; leaves read nothing). */
  @Override
  public int[] usedColumns() {
    java.util.BitSet used = new java.util.BitSet(featureCount);
    for (int g = 0; g < column.length; g++) {
      if (child[2 * g] != g) {
        used.set(column[g]);
      }
    }
    return used.stream().toArray();
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

  /** See {@link SplitBounds#float32LessThanBound}. */
  static double float32LessThanBound(float t) {
    return SplitBounds.float32LessThanBound(t);
  }

  /** See {@link SplitBounds#lightgbmLessThanBound}. */
  static double lightgbmLessThanBound(double t) {
    return SplitBounds.lightgbmLessThanBound(t);
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

  /** Adds a tree output to the margin in the model's precision. */
  double add(double acc, double treeOutput) {
    // Both operands of a float32 model are float32 values, so rounding their double sum to float
    // gives exactly the float32 sum (double has more than 2 * 24 + 2 significand bits).
    return float32 ? (float) (acc + treeOutput) : acc + treeOutput;
  }

  @Override
  public double margin(double[] row, int offset) {
    return quantized ? quantizedRows.margin(row, offset) : rawRows.margin(row, offset);
  }

  @Override
  public void margins(double[] rows, int rowCount, int stride, double[] out) {
    if (stride < featureCount) {
      throw new IllegalArgumentException("stride " + stride + " is below the feature count " + featureCount);
    }
    if (rowMasks != null) {
      rowMasks.margins(rows, rowCount, stride, out);
    } else if (quantized) {
      quantizedRows.margins(rows, rowCount, stride, out);
    } else {
      rawRows.margins(rows, rowCount, stride, out);
    }
  }

  @Override
  public double contributions(double[] row, int offset, double[] out) {
    return contributions(row, offset, out, float32 ? margin(row, offset) : 0.0);
  }

  /**
   * TreeSHAP's layout for single rows, without the block tables; built on first use (scoring
   * without reason codes never needs it), once: a service's request threads may all ask for it at
   * once, and a copy each (3 MB for 300 trees of depth 6, 54 MB for 1,000 of depth 8) could
   * exhaust the heap at start-up.
   */
  private PathShap pathShap() {
    PathShap shap = pathShap;
    if (shap == null) {
      synchronized (layoutBuild) {
        shap = pathShap;
        if (shap == null) {
          shap = new PathShap(this, PathShap.MAX_TABLE, 0);
          pathShapsBuilt++;
          pathShap = shap;
        }
      }
    }
    return shap;
  }

  /**
   * TreeSHAP's layout with the block tables, built by the first batch of at least {@link
   * #MIN_BLOCK_ROWS} rows, once: the scoring threads of a batch run all ask for it at their first
   * block, and each building its own would cost a copy of the tables (41 MB for 300 trees of depth
   * 6) and its build time per thread.
   */
  private PathShap blockShap() {
    PathShap shap = blockShap;
    if (shap == null) {
      synchronized (layoutBuild) {
        shap = blockShap;
        if (shap == null) {
          shap = new PathShap(this);
          blockShapsBuilt++;
          blockShap = shap;
        }
      }
    }
    return shap;
  }

  /** For tests: how many times the per-row layout and the block path's layout were built (once each at most). */
  int[] layoutsBuilt() {
    synchronized (layoutBuild) {
      return new int[] {pathShapsBuilt, blockShapsBuilt};
    }
  }

  /**
   * Fewest rows of a {@link #contributions(double[], int, int, double[], double[])} call that
   * build the block tables (41 MB for 300 trees of depth 6, about 0.25 s in a fresh JVM): a single row, as
   * {@code explain} asks, stays on the per-row layout.
   */
  static final int MIN_BLOCK_ROWS = 16;

  @Override
  public void contributions(double[] rows, int rowCount, int stride, double[] margins, double[] out) {
    if (rowCount > 0 && stride < featureCount) {
      throw new IllegalArgumentException("stride " + stride + " is below the feature count " + featureCount);
    }
    java.util.Arrays.fill(out, 0, rowCount * featureCount, 0.0);
    PathShap shap = blockShap;
    if (shap == null) {
      shap = rowCount >= MIN_BLOCK_ROWS ? blockShap() : pathShap();
    }
    shap.addRows(rows, rowCount, stride, out);
  }

  @Override
  public double contributions(double[] row, int offset, double[] out, double margin) {
    java.util.Arrays.fill(out, 0, featureCount, 0.0);
    pathShap().add(row, offset, out);
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

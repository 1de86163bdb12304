package io.chainscore.scoring.tree;

import io.chainscore.scoring.CompiledModel;
import io.chainscore.scoring.ModelFormatException;

/**
 * The flat primitive layout of a {@link TreeEnsemble} and its evaluators.
 *
 * <p>All nodes of all trees live in parallel arrays indexed by a global node number. Every numeric
 * split is reduced to "go left iff {@code x < threshold}" in double (XGBoost's float32 rounding
 * and LightGBM's {@code <=} with tiny values read as zero are folded into the stored threshold,
 * see {@link #float32LessThanBound} and {@link #lightgbmLessThanBound}), with the NaN direction
 * precomputed. Leaves point to themselves, so a row walks exactly {@code depth[t]} steps through
 * tree {@code t} with {@code node = child[2 * node + right]} and no test for having reached a
 * leaf; the batch evaluator advances a block of rows through one tree in lock step so that their
 * independent loads overlap.
 *
 * <p>Thread safety: immutable; the evaluators allocate nothing per row.
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
  final double expectedMargin;

  private CompiledTreeEnsemble(TreeEnsemble model, int featureCount, int nodes, int catWordTotal) {
    this.model = model;
    this.featureCount = featureCount;
    this.float32 = model.precision() == TreeEnsemble.Precision.FLOAT32;
    this.baseMargin = model.baseMargin();
    this.treeCount = model.trees().size();
    this.root = new int[treeCount];
    this.depth = new int[treeCount];
    this.simpleTree = new boolean[treeCount];
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
    double expected = baseMargin;
    for (int t = 0; t < treeCount; t++) {
      expected += treeMean[t];
    }
    this.expectedMargin = expected;
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
    CompiledTreeEnsemble compiled = new CompiledTreeEnsemble(model, featureCount, nodes, (int) words);
    compiled.mapColumns(columnOfFeature);
    return compiled;
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

  private int leafOf(int t, double[] row, int offset) {
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

  @Override
  public double margin(double[] row, int offset) {
    double acc = baseMargin;
    if (float32) {
      // Both operands are float32 values, so rounding their double sum to float gives exactly
      // the float32 sum (double has more than 2 * 24 + 2 bits).
      for (int t = 0; t < treeCount; t++) {
        acc = (float) (acc + value[leafOf(t, row, offset)]);
      }
    } else {
      for (int t = 0; t < treeCount; t++) {
        acc += value[leafOf(t, row, offset)];
      }
    }
    return acc;
  }

  @Override
  public void margins(double[] rows, int rowCount, int stride, double[] out) {
    if (stride < featureCount) {
      throw new IllegalArgumentException("stride " + stride + " is below the feature count " + featureCount);
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
      for (int t = 0; t < treeCount; t++) {
        int rootNode = root[t];
        int d = depth[t];
        for (int r = 0; r < m; r++) {
          nodes[r] = rootNode;
        }
        if (simpleTree[t]) {
          for (int s = 0; s < d; s++) {
            for (int r = 0; r < m; r++) {
              int g = nodes[r];
              double x = rows[start[r] + column[g]];
              boolean right = x != x ? nanRight[g] : !(x < threshold[g]);
              nodes[r] = child[2 * g + (right ? 1 : 0)];
            }
          }
        } else {
          for (int s = 0; s < d; s++) {
            for (int r = 0; r < m; r++) {
              int g = nodes[r];
              nodes[r] = child[2 * g + (goesRight(g, rows[start[r] + column[g]]) ? 1 : 0)];
            }
          }
        }
        if (float32) {
          for (int r = 0; r < m; r++) {
            acc[r] = (float) (acc[r] + value[nodes[r]]);
          }
        } else {
          for (int r = 0; r < m; r++) {
            acc[r] += value[nodes[r]];
          }
        }
      }
      System.arraycopy(acc, 0, out, first, m);
    }
  }

  @Override
  public double contributions(double[] row, int offset, double[] out) {
    java.util.Arrays.fill(out, 0, featureCount, 0.0);
    TreeShap shap = new TreeShap(this);
    double sum = expectedMargin;
    for (int t = 0; t < treeCount; t++) {
      shap.tree(t, row, offset, out);
    }
    for (int c = 0; c < featureCount; c++) {
      sum += out[c];
    }
    // The attribution is exact in double; a float32 model's margin differs from that exact sum by
    // its float32 rounding, which is folded into the bias so that bias + contributions == margin.
    double residual = float32 ? margin(row, offset) - sum : 0.0;
    return expectedMargin + residual;
  }

  /** The bias: base margin plus each tree's cover-weighted mean leaf value. */
  double expectedMargin() {
    return expectedMargin;
  }
}

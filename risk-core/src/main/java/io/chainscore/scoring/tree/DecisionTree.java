package io.chainscore.scoring.tree;

import io.chainscore.scoring.ModelFormatException;
import java.util.Arrays;

/**
 * One binary decision tree of a {@link TreeEnsemble} in a format-neutral, validated form: node
 * {@code 0} is the root, a node is a leaf when its left child is {@code -1}, every other node has
 * two children, and the nodes form a tree (each node except the root has exactly one parent and is
 * reachable from the root).
 *
 * <p>Splits refer to features by their index in {@link TreeEnsemble#featureNames()}. How a value is
 * compared with a threshold or a category set is fixed by the ensemble's {@link
 * TreeEnsemble.Precision}; what happens to a missing value is fixed per node by {@link
 * MissingRule}.
 *
 * <p>Thread safety: immutable; the arrays passed to {@link #of} are copied.
 */
public final class DecisionTree {
  /** How a split treats a missing ({@code NaN}) or zero value. */
  public enum MissingRule {
    /** NaN goes to the default child; every other value is compared (XGBoost, LightGBM "NaN"). */
    NAN_TO_DEFAULT,
    /** NaN is compared as if it were 0.0 (LightGBM missing type "None"). */
    NAN_AS_ZERO,
    /**
     * NaN and values with {@code |x| <= 1e-35f} go to the default child (LightGBM missing type
     * "Zero").
     */
    ZERO_AND_NAN_TO_DEFAULT
  }

  /** Deepest tree accepted (root to leaf edges); deeper files are refused as hostile. */
  public static final int MAX_DEPTH = 256;

  /** Largest node count of one tree. */
  public static final int MAX_NODES = 1 << 20;

  private final int[] leftChild;
  private final int[] rightChild;
  private final int[] splitFeature;
  private final double[] threshold;
  private final boolean[] categorical;
  private final int[][] categories;
  private final boolean[] defaultLeft;
  private final MissingRule[] missingRule;
  private final double[] leafValue;
  private final double[] cover;
  private final double weight;
  private final int depth;

  private DecisionTree(
      int[] leftChild,
      int[] rightChild,
      int[] splitFeature,
      double[] threshold,
      boolean[] categorical,
      int[][] categories,
      boolean[] defaultLeft,
      MissingRule[] missingRule,
      double[] leafValue,
      double[] cover,
      double weight,
      int depth) {
    this.leftChild = leftChild;
    this.rightChild = rightChild;
    this.splitFeature = splitFeature;
    this.threshold = threshold;
    this.categorical = categorical;
    this.categories = categories;
    this.defaultLeft = defaultLeft;
    this.missingRule = missingRule;
    this.leafValue = leafValue;
    this.cover = cover;
    this.weight = weight;
    this.depth = depth;
  }

  /** This tree with every leaf's output multiplied by {@code factor} (its weight times the factor). */
  DecisionTree scaledBy(double factor) {
    return new DecisionTree(leftChild, rightChild, splitFeature, threshold, categorical, categories, defaultLeft,
        missingRule, leafValue, cover, weight * factor, depth);
  }

  /**
   * Validates and copies a tree given as parallel node arrays, all of the same length.
   *
   * @param path field path of the tree in the source file, used in error messages
   * @param featureCount number of features of the ensemble; split features must be below it
   * @param leftChild left child per node, {@code -1} for a leaf
   * @param rightChild right child per node, {@code -1} for a leaf
   * @param splitFeature feature index per internal node (ignored for leaves)
   * @param threshold numeric threshold per internal node (ignored for leaves and categorical
   *     splits); must not be NaN
   * @param categorical whether the split is a category-set split
   * @param categories per categorical node the sorted distinct non-negative category codes of the
   *     set; {@code null} elsewhere
   * @param defaultLeft whether missing values go left
   * @param missingRule missing-value handling per node
   * @param leafValue output of each leaf (ignored for internal nodes)
   * @param cover training cover per node (sum of hessians or sample count), non-negative
   * @param weight factor applied to every leaf (DART tree weight, 1 otherwise)
   * @throws ModelFormatException naming {@code path} and the node at fault
   */
  public static DecisionTree of(
      String path,
      int featureCount,
      int[] leftChild,
      int[] rightChild,
      int[] splitFeature,
      double[] threshold,
      boolean[] categorical,
      int[][] categories,
      boolean[] defaultLeft,
      MissingRule[] missingRule,
      double[] leafValue,
      double[] cover,
      double weight)
      throws ModelFormatException {
    int n = leftChild.length;
    if (n == 0) {
      throw new ModelFormatException(path, "a tree needs at least one node");
    }
    if (n > MAX_NODES) {
      throw new ModelFormatException(path, "tree has " + n + " nodes, more than the limit " + MAX_NODES);
    }
    if (rightChild.length != n || splitFeature.length != n || threshold.length != n
        || categorical.length != n || categories.length != n || defaultLeft.length != n
        || missingRule.length != n || leafValue.length != n || cover.length != n) {
      throw new ModelFormatException(path, "node arrays differ in length (expected " + n + " each)");
    }
    if (!Double.isFinite(weight)) {
      throw new ModelFormatException(path + ".weight", "tree weight must be finite, got " + weight);
    }
    int[][] cats = new int[n][];
    for (int i = 0; i < n; i++) {
      String node = path + ".nodes[" + i + "]";
      int l = leftChild[i];
      int r = rightChild[i];
      if (!(cover[i] >= 0) || Double.isInfinite(cover[i])) {
        throw new ModelFormatException(node + ".cover", "cover must be finite and >= 0, got " + cover[i]);
      }
      if (l == -1) {
        if (r != -1) {
          throw new ModelFormatException(node, "a leaf (left child -1) must have right child -1, got " + r);
        }
        if (!Double.isFinite(leafValue[i])) {
          throw new ModelFormatException(node + ".value", "leaf value must be finite, got " + leafValue[i]);
        }
        continue;
      }
      checkChild(node + ".left", l, i, n);
      checkChild(node + ".right", r, i, n);
      if (l == r) {
        throw new ModelFormatException(node, "left and right child are the same node " + l);
      }
      if (splitFeature[i] < 0 || splitFeature[i] >= featureCount) {
        throw new ModelFormatException(node + ".feature",
            "split feature " + splitFeature[i] + " is outside [0, " + featureCount + ")");
      }
      if (missingRule[i] == null) {
        throw new ModelFormatException(node + ".missing", "missing rule is required");
      }
      if (categorical[i]) {
        int[] set = categories[i];
        if (set == null) {
          throw new ModelFormatException(node + ".categories", "a categorical split needs a category set");
        }
        for (int k = 0; k < set.length; k++) {
          if (set[k] < 0 || set[k] >= TreeEnsemble.MAX_CATEGORY || (k > 0 && set[k] <= set[k - 1])) {
            throw new ModelFormatException(node + ".categories",
                "categories must be distinct, ascending and in [0, " + TreeEnsemble.MAX_CATEGORY + "), got " + set[k]);
          }
        }
        cats[i] = set.clone();
      } else if (Double.isNaN(threshold[i])) {
        throw new ModelFormatException(node + ".threshold", "threshold is NaN");
      }
    }
    // Walk from the root marking nodes: reaching a node twice means two parents or a cycle.
    // Nodes the root cannot reach (XGBoost's deleted nodes) are never evaluated.
    boolean[] seen = new boolean[n];
    int depth = 0;
    int[] stackNode = new int[n + 1];
    int[] stackDepth = new int[n + 1];
    int top = 0;
    stackNode[top] = 0;
    stackDepth[top++] = 0;
    while (top > 0) {
      int node = stackNode[--top];
      int d = stackDepth[top];
      if (seen[node]) {
        throw new ModelFormatException(path + ".nodes[" + node + "]",
            "node is reached twice from the root (two parents or a cycle)");
      }
      seen[node] = true;
      if (d > MAX_DEPTH) {
        throw new ModelFormatException(path, "tree is deeper than the limit " + MAX_DEPTH);
      }
      depth = Math.max(depth, d);
      if (leftChild[node] != -1) {
        if (top + 2 > stackNode.length) {
          throw new ModelFormatException(path + ".nodes[" + node + "]", "nodes do not form a tree");
        }
        stackNode[top] = leftChild[node];
        stackDepth[top++] = d + 1;
        stackNode[top] = rightChild[node];
        stackDepth[top++] = d + 1;
      }
    }
    return new DecisionTree(
        leftChild.clone(), rightChild.clone(), splitFeature.clone(), threshold.clone(),
        categorical.clone(), cats, defaultLeft.clone(), missingRule.clone(), leafValue.clone(),
        cover.clone(), weight, depth);
  }

  private static void checkChild(String field, int child, int parent, int n) throws ModelFormatException {
    if (child < 0 || child >= n) {
      throw new ModelFormatException(field, "child index " + child + " is outside [0, " + n + ")");
    }
    if (child == parent) {
      throw new ModelFormatException(field, "node " + parent + " is its own child (cycle)");
    }
  }

  /** Number of nodes. */
  public int nodeCount() {
    return leftChild.length;
  }

  /** Largest number of edges from the root to a leaf. */
  public int depth() {
    return depth;
  }

  /** Whether node {@code i} is a leaf. */
  public boolean isLeaf(int i) {
    return leftChild[i] == -1;
  }

  /** Left child of internal node {@code i}, {@code -1} for a leaf. */
  public int leftChild(int i) {
    return leftChild[i];
  }

  /** Right child of internal node {@code i}, {@code -1} for a leaf. */
  public int rightChild(int i) {
    return rightChild[i];
  }

  /** Feature index (into the ensemble's feature names) split on at node {@code i}. */
  public int splitFeature(int i) {
    return splitFeature[i];
  }

  /** Numeric threshold of node {@code i}. */
  public double threshold(int i) {
    return threshold[i];
  }

  /** Whether node {@code i} splits on a category set. */
  public boolean isCategorical(int i) {
    return categorical[i];
  }

  /** The category set of categorical node {@code i} (a copy), empty for other nodes. */
  public int[] categories(int i) {
    return categories[i] == null ? new int[0] : categories[i].clone();
  }

  /** Whether missing values go left at node {@code i}. */
  public boolean defaultLeft(int i) {
    return defaultLeft[i];
  }

  /** Missing-value handling of node {@code i}. */
  public MissingRule missingRule(int i) {
    return missingRule[i];
  }

  /** Output of leaf {@code i} before the tree weight is applied. */
  public double leafValue(int i) {
    return leafValue[i];
  }

  /** Training cover of node {@code i}: XGBoost sum_hessian, LightGBM sample count. */
  public double cover(int i) {
    return cover[i];
  }

  /** Factor applied to every leaf: the DART weight, 1 for ordinary boosting. */
  public double weight() {
    return weight;
  }

  @Override
  public String toString() {
    return "DecisionTree[nodes=" + nodeCount() + ", depth=" + depth + ", weight=" + weight
        + ", leftChild=" + Arrays.toString(Arrays.copyOf(leftChild, Math.min(8, leftChild.length))) + "...]";
  }
}

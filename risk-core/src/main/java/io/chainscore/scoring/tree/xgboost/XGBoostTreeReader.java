package io.chainscore.scoring.tree.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import java.util.Arrays;

import static io.chainscore.scoring.tree.xgboost.XGBoostFields.*;

/**
 * Reads one tree of an XGBoost model ({@code learner.gradient_booster.model.trees[i]}): node
 * arrays, default directions, numeric and categorical splits, into a {@link DecisionTree}, refusing
 * cycles, out-of-range children and absurd depths by field.
 *
 * <p>Thread safety: stateless.
 */
final class XGBoostTreeReader {
  private XGBoostTreeReader() {}

  static DecisionTree readTree(JsonNode tree, String path, int numFeature, float weight)
      throws ModelFormatException {
    if (tree == null || !tree.isObject()) {
      throw new ModelFormatException(path, "expected a tree object");
    }
    JsonNode treeParam = object(tree, "tree_param", path + ".tree_param");
    int n = intString(treeParam, "num_nodes", path + ".tree_param.num_nodes", 1, DecisionTree.MAX_NODES, -1);
    int leafVector = intString(treeParam, "size_leaf_vector", path + ".tree_param.size_leaf_vector",
        0, Integer.MAX_VALUE, 1);
    if (leafVector > 1) {
      throw new ModelFormatException(path + ".tree_param.size_leaf_vector",
          "vector leaves (multi-target trees) are not supported");
    }
    int[] left = ints(tree, "left_children", path, n, -1, n - 1);
    int[] right = ints(tree, "right_children", path, n, -1, n - 1);
    int[] feature = ints(tree, "split_indices", path, n, 0, Integer.MAX_VALUE);
    float[] conditions = floats(tree, "split_conditions", path, n);
    double[] cover = new double[n];
    float[] hess = floats(tree, "sum_hessian", path, n);
    for (int i = 0; i < n; i++) {
      cover[i] = hess[i];
    }
    boolean[] defaultLeft = booleans(tree, "default_left", path, n);
    int[] splitType = tree.has("split_type") ? ints(tree, "split_type", path, n, 0, 1) : new int[n];
    int[][] categories = new int[n][];
    readCategories(tree, path, n, splitType, left, categories);

    double[] threshold = new double[n];
    double[] leafValue = new double[n];
    boolean[] categorical = new boolean[n];
    DecisionTree.MissingRule[] missing = new DecisionTree.MissingRule[n];
    for (int i = 0; i < n; i++) {
      missing[i] = DecisionTree.MissingRule.NAN_TO_DEFAULT;
      if (left[i] == -1) {
        if (right[i] != -1) {
          throw new ModelFormatException(path + ".right_children[" + i + "]",
              "a leaf (left child -1) must have right child -1, got " + right[i]);
        }
        leafValue[i] = conditions[i];
        if (!Float.isFinite(conditions[i])) {
          throw new ModelFormatException(path + ".split_conditions[" + i + "]", "leaf value must be finite");
        }
        feature[i] = 0;
        continue;
      }
      if (right[i] == -1) {
        throw new ModelFormatException(path + ".right_children[" + i + "]",
            "an internal node needs a right child");
      }
      if (left[i] == i || right[i] == i) {
        throw new ModelFormatException(path + (left[i] == i ? ".left_children[" : ".right_children[") + i + "]",
            "node " + i + " is its own child (cycle)");
      }
      if (feature[i] >= numFeature) {
        throw new ModelFormatException(path + ".split_indices[" + i + "]",
            "feature " + feature[i] + " is outside [0, " + numFeature + ")");
      }
      categorical[i] = splitType[i] == 1;
      if (!categorical[i] && Float.isNaN(conditions[i])) {
        throw new ModelFormatException(path + ".split_conditions[" + i + "]", "threshold is NaN");
      }
      if (!categorical[i] && Float.isInfinite(conditions[i])) {
        // an Infinity literal (an overflowing number is refused as such when read): no bundle holds one
        throw new ModelFormatException(path + ".split_conditions[" + i + "]", "threshold must be finite, got "
            + conditions[i]);
      }
      threshold[i] = conditions[i];
    }
    return DecisionTree.of(path, numFeature, left, right, feature, threshold, categorical, categories,
        defaultLeft, missing, leafValue, cover, weight);
  }

  private static void readCategories(JsonNode tree, String path, int n, int[] splitType, int[] left,
      int[][] categories) throws ModelFormatException {
    boolean any = false;
    for (int i = 0; i < n; i++) {
      any |= splitType[i] == 1 && left[i] != -1;
    }
    if (!any) {
      return;
    }
    JsonNode all = array(tree, "categories", path + ".categories");
    int total = all.size();
    int[] values = ints(tree, "categories", path, total, 0, TreeEnsemble.MAX_CATEGORY - 1);
    JsonNode nodesNode = array(tree, "categories_nodes", path + ".categories_nodes");
    int k = nodesNode.size();
    int[] nodes = ints(tree, "categories_nodes", path, k, 0, n - 1);
    int[] segments = ints(tree, "categories_segments", path, k, 0, total);
    int[] sizes = ints(tree, "categories_sizes", path, k, 0, total);
    for (int j = 0; j < k; j++) {
      int node = nodes[j];
      if (segments[j] + (long) sizes[j] > total) {
        throw new ModelFormatException(path + ".categories_sizes[" + j + "]",
            "segment [" + segments[j] + ", " + (segments[j] + (long) sizes[j]) + ") exceeds categories["
                + total + "]");
      }
      if (categories[node] != null) {
        throw new ModelFormatException(path + ".categories_nodes[" + j + "]", "node " + node + " listed twice");
      }
      int[] set = Arrays.copyOfRange(values, segments[j], segments[j] + sizes[j]);
      Arrays.sort(set);
      for (int c = 1; c < set.length; c++) {
        if (set[c] == set[c - 1]) {
          throw new ModelFormatException(path + ".categories", "category " + set[c] + " repeated for node " + node);
        }
      }
      categories[node] = set;
    }
    for (int i = 0; i < n; i++) {
      if (splitType[i] == 1 && left[i] != -1 && categories[i] == null) {
        throw new ModelFormatException(path + ".split_type[" + i + "]",
            "categorical node " + i + " has no entry in categories_nodes");
      }
    }
  }
}

package io.chainscore.scoring.tree;

/**
 * A deliberately simple node-by-node evaluator written straight from the decision rules of
 * docs/tree-models.md, without the compiled layout's threshold folding: the independent check of
 * {@link CompiledTreeEnsemble}.
 */
final class ReferenceEvaluator {
  private ReferenceEvaluator() {}

  static int leaf(TreeEnsemble model, DecisionTree tree, double[] row) {
    int node = 0;
    while (!tree.isLeaf(node)) {
      node = goLeft(model, tree, node, row[tree.splitFeature(node)]) ? tree.leftChild(node) : tree.rightChild(node);
    }
    return node;
  }

  static boolean goLeft(TreeEnsemble model, DecisionTree tree, int node, double x) {
    boolean xgboost = model.precision() == TreeEnsemble.Precision.FLOAT32;
    if (tree.isCategorical(node)) {
      if (xgboost) {
        if (Double.isNaN(x)) {
          return tree.defaultLeft(node);
        }
        float f = (float) x;
        if (f < 0 || f >= 16777216f) {
          return true;
        }
        return !contains(tree.categories(node), (int) f);
      }
      if (Double.isNaN(x)) {
        return false;
      }
      int c = (int) x;
      if (c < 0) {
        return false;
      }
      return contains(tree.categories(node), c);
    }
    if (xgboost) {
      if (Double.isNaN(x)) {
        return tree.defaultLeft(node);
      }
      return (float) x < (float) tree.threshold(node);
    }
    DecisionTree.MissingRule rule = tree.missingRule(node);
    if (Math.abs(x) <= (double) 1e-35f) {
      x = 0.0; // LightGBM's predictor drops near-zero values from its sparse row
    }
    if (Double.isNaN(x) && rule != DecisionTree.MissingRule.NAN_TO_DEFAULT) {
      x = 0.0;
    }
    boolean isZero = x >= -(double) 1e-35f && x <= (double) 1e-35f;
    if ((rule == DecisionTree.MissingRule.ZERO_AND_NAN_TO_DEFAULT && isZero)
        || (rule == DecisionTree.MissingRule.NAN_TO_DEFAULT && Double.isNaN(x))) {
      return tree.defaultLeft(node);
    }
    return x <= tree.threshold(node);
  }

  private static boolean contains(int[] set, int c) {
    for (int v : set) {
      if (v == c) {
        return true;
      }
    }
    return false;
  }

  static double margin(TreeEnsemble model, double[] row) {
    if (model.precision() == TreeEnsemble.Precision.FLOAT32) {
      float acc = (float) model.baseMargin();
      for (DecisionTree tree : model.trees()) {
        float leaf = (float) tree.leafValue(leaf(model, tree, row));
        acc += leaf * (float) tree.weight();
      }
      return acc;
    }
    double acc = model.baseMargin();
    for (DecisionTree tree : model.trees()) {
      acc += tree.leafValue(leaf(model, tree, row)) * tree.weight();
    }
    return acc;
  }
}

package io.chainscore.develop.gbdt;

import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smile.base.cart.InternalNode;
import smile.base.cart.LeafNode;
import smile.base.cart.NominalNode;
import smile.base.cart.Node;
import smile.base.cart.OrdinalNode;
import smile.base.cart.RegressionNode;
import smile.classification.GradientTreeBoost;
import smile.regression.RegressionTree;

/**
 * Converts a binary Smile 2.6.0 {@link GradientTreeBoost} into a {@link TreeEnsemble} whose margin
 * is exactly twice Smile's boosted output, i.e. the log-odds of class 1.
 *
 * <p>Smile 2.6.0 predicts {@code y = b + shrinkage·t_1(x) + ... + shrinkage·t_T(x)} in double, tree
 * by tree, and {@code P(class 1) = 1 - 1 / (1 + exp(2y))}. The export uses base margin {@code 2b},
 * tree weight {@code 2·shrinkage} and Smile's leaf outputs, in the {@code FLOAT64} precision. Since
 * multiplying by 2 is exact in binary floating point (barring overflow), every term and every
 * partial sum is exactly twice Smile's, so the ChainScore margin equals {@code 2y} bit for bit.
 * Splits:
 *
 * <ul>
 *   <li>{@code OrdinalNode}: Smile sends {@code x <= value} to its true child and everything else,
 *       NaN included, to the false child. Exported as a numeric split with threshold {@code value},
 *       left = true child, missing values to the right ({@code NAN_TO_DEFAULT}, default right),
 *       which is the {@code FLOAT64} rule "left iff {@code x <= threshold}". One documented
 *       exception: {@code FLOAT64} reads {@code |x| <= 1e-35f} as 0 (LightGBM's rule), so such tiny
 *       non-zero values can go the other way at a split whose threshold lies within {@code 1e-35}
 *       of zero.
 *   <li>{@code NominalNode}: Smile sends category {@code x == value} to its true child. Exported as
 *       a categorical split whose set is {@code {value}} (left), NaN and other codes right; the
 *       feature is then marked categorical and must be a categorical schema column.
 * </ul>
 *
 * <p>Smile keeps the intercept, the shrinkage and the split values in non-public fields, which are
 * read reflectively; a Smile version without them is refused with a clear message.
 *
 * <p>Thread safety: stateless.
 */
public final class SmileTreeExport {
  /** The {@link TreeEnsemble#source()} of exported models. */
  public static final String SOURCE = "Smile 2.6.0 GradientTreeBoost (binary deviance)";

  private SmileTreeExport() {}

  /**
   * Exports {@code model}.
   *
   * @param model a binary classifier trained by Smile
   * @param featureNames the model's predictor names in Smile's column order (split feature
   *     {@code j} is {@code featureNames.get(j)})
   * @throws ModelFormatException when the model is multi-class, a split refers to a feature beyond
   *     {@code featureNames}, a nominal split has a negative category, or a node type is unknown
   */
  public static TreeEnsemble export(GradientTreeBoost model, List<String> featureNames) throws ModelFormatException {
    int k = (Integer) read(model, GradientTreeBoost.class, "k");
    if (k != 2) {
      throw new ModelFormatException("smile.k", "only binary classifiers can be exported; this model has " + k + " classes");
    }
    double intercept = (Double) read(model, GradientTreeBoost.class, "b");
    double shrinkage = (Double) read(model, GradientTreeBoost.class, "shrinkage");
    boolean[] categorical = new boolean[featureNames.size()];
    RegressionTree[] smileTrees = model.trees();
    List<DecisionTree> trees = new ArrayList<>(smileTrees.length);
    for (int t = 0; t < smileTrees.length; t++) {
      trees.add(tree("smile.trees[" + t + "]", smileTrees[t].root(), featureNames.size(), 2 * shrinkage, categorical));
    }
    List<Boolean> flags = new ArrayList<>(categorical.length);
    for (boolean c : categorical) {
      flags.add(c);
    }
    return TreeEnsemble.of(featureNames, flags, trees, 2 * intercept, TreeEnsemble.Link.LOGISTIC, 1.0,
        TreeEnsemble.Precision.FLOAT64, SOURCE);
  }

  /** Smile's {@code 2·b}: the margin of a model without trees (the prior log-odds). */
  static double baseMargin(GradientTreeBoost model) throws ModelFormatException {
    return 2 * (Double) read(model, GradientTreeBoost.class, "b");
  }

  /** Lays one Smile tree out in pre-order: a node's true child follows it, then its false subtree. */
  private static DecisionTree tree(String path, Node root, int featureCount, double weight, boolean[] categorical)
      throws ModelFormatException {
    List<Node> nodes = new ArrayList<>();
    collect(root, nodes, path);
    int n = nodes.size();
    int[] left = new int[n];
    int[] right = new int[n];
    int[] feature = new int[n];
    double[] threshold = new double[n];
    boolean[] isCategorical = new boolean[n];
    int[][] categories = new int[n][];
    boolean[] defaultLeft = new boolean[n];
    DecisionTree.MissingRule[] missing = new DecisionTree.MissingRule[n];
    double[] value = new double[n];
    double[] cover = new double[n];
    java.util.IdentityHashMap<Node, Integer> index = new java.util.IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(nodes.get(i), i);
    }
    Arrays.fill(missing, DecisionTree.MissingRule.NAN_TO_DEFAULT);
    for (int i = 0; i < n; i++) {
      Node node = nodes.get(i);
      cover[i] = node.size();
      if (node instanceof RegressionNode leaf) {
        left[i] = -1;
        right[i] = -1;
        value[i] = leaf.output();
        continue;
      }
      InternalNode internal = (InternalNode) node;
      String where = path + ".nodes[" + i + "]";
      if (internal.feature() < 0 || internal.feature() >= featureCount) {
        throw new ModelFormatException(where + ".feature", "split feature " + internal.feature()
            + " is outside the " + featureCount + " feature names given");
      }
      left[i] = index.get(internal.trueChild());
      right[i] = index.get(internal.falseChild());
      feature[i] = internal.feature();
      defaultLeft[i] = false; // Smile: NaN fails both "<=" and "==", so it takes the false child.
      if (internal instanceof OrdinalNode) {
        threshold[i] = (Double) read(internal, OrdinalNode.class, "value");
      } else if (internal instanceof NominalNode) {
        int category = (Integer) read(internal, NominalNode.class, "value");
        if (category < 0 || category >= TreeEnsemble.MAX_CATEGORY) {
          throw new ModelFormatException(where + ".value", "nominal split on category " + category
              + "; ChainScore categories are in [0, " + TreeEnsemble.MAX_CATEGORY + ")");
        }
        isCategorical[i] = true;
        categories[i] = new int[] {category};
        categorical[internal.feature()] = true;
      } else {
        throw new ModelFormatException(where, "unsupported Smile node type " + internal.getClass().getName());
      }
    }
    return DecisionTree.of(path, featureCount, left, right, feature, threshold, isCategorical, categories,
        defaultLeft, missing, value, cover, weight);
  }

  private static void collect(Node node, List<Node> out, String path) throws ModelFormatException {
    // Iterative pre-order: Smile trees are at most max-depth deep, but the caller's depth is not ours to trust.
    java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
    stack.push(node);
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      out.add(n);
      if (n instanceof InternalNode internal) {
        stack.push(internal.falseChild());
        stack.push(internal.trueChild());
      } else if (!(n instanceof RegressionNode)) {
        throw new ModelFormatException(path, "unsupported Smile node type " + n.getClass().getName()
            + (n instanceof LeafNode ? " (a regression tree leaf was expected)" : ""));
      }
      if (out.size() > DecisionTree.MAX_NODES) {
        throw new ModelFormatException(path, "more than " + DecisionTree.MAX_NODES + " nodes");
      }
    }
  }

  private static Object read(Object target, Class<?> owner, String name) throws ModelFormatException {
    try {
      Field f = owner.getDeclaredField(name);
      f.setAccessible(true);
      return f.get(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ModelFormatException("smile." + name, "cannot read " + owner.getSimpleName() + "." + name
          + " (is this Smile 2.6.0?): " + e);
    }
  }
}

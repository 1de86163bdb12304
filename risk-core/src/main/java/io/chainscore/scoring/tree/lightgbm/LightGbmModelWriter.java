package io.chainscore.scoring.tree.lightgbm;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.SplitBounds;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.TreeExports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a bundle's tree ensemble as a LightGBM text model ({@code lightgbm.Booster(model_file=...)},
 * {@code LGBM_BoosterCreateFromModelfile}; the v3 format LightGBM 3 and 4 read) that routes every
 * row the bundle's feature policies leave unchanged to the bundle's leaves. The inverse of {@link
 * LightGbmModelReader} for the models it reads: what this writes reads back to the same trees.
 *
 * <p>How close LightGBM's raw scores ({@code raw_score=True}) come to the bundle's margins depends on
 * the trees' {@link TreeEnsemble.Precision}:
 * <ul>
 *   <li>{@code FLOAT64} (models read from LightGBM; Smile's): LightGBM's own rules, so the raw
 *       scores are the bundle's margins bit for bit. A non-zero base margin is written as a first
 *       tree of one leaf (LightGBM adds the trees from 0).
 *   <li>{@code FLOAT32} (XGBoost's, the xgboost engine's): XGBoost sends x left iff {@code (float) x
 *       < t}; LightGBM iff {@code x <= d} in double. Each threshold is written as the largest double
 *       d whose float rounding is below t ({@link #doubleThreshold}), so the routing is the same for
 *       every double, except that LightGBM reads a value within 1e-35 of zero as 0, which can take
 *       the other branch at a threshold within 1e-35 of zero. XGBoost sums the leaves in float32,
 *       LightGBM in double: the raw scores agree to float32 rounding (a few units in the 7th
 *       significant digit of the largest partial sum), not bit for bit. Categorical splits are
 *       refused (XGBoost's category rules differ from LightGBM's).
 * </ul>
 *
 * <p>A logistic ensemble is written as {@code binary} with its {@code sigmoid:} factor, an
 * identity one as {@code regression}. The bundle's PD is its own calibration of the margin, which
 * LightGBM's probability equals only for a bundle without one; the calibration, the model's id and
 * version and its feature policies (which LightGBM has no place for) are recorded in the file's
 * {@code parameters:} section ({@code [chainscore_calibration: ...]}, ...), which LightGBM keeps
 * and does not read. LightGBM's contributions ({@code pred_contrib}) weigh paths by the counts
 * written ({@code leaf_count}, {@code internal_count}, 32-bit ints): a tree's covers as they are when
 * they are whole numbers that fit, else multiplied by one factor that puts the tree's largest at
 * 2^30 and rounded, a positive cover to at least 1. TreeSHAP reads a tree's covers only as ratios,
 * which one factor keeps: LightGBM's contributions are the bundle's to within that rounding (and,
 * for float32 trees, the bias to the float32 rounding the bundle folds into its bias), however
 * large or small the covers (sums of sample weights such as exposures).
 *
 * <p>A tree's weight (dart's, Smile's shrinkage) is folded into its leaves as the bundle's
 * evaluator applies it (the product, rounded to float32 for float32 trees). Only the nodes a tree's
 * root reaches are written, renumbered in node order: XGBoost's pruning leaves deleted nodes in its
 * arrays, which LightGBM's format cannot hold.
 *
 * <p>Refused, with a {@link ModelFormatException} naming the field: a bundle that is not a tree
 * ensemble or is segmented; categorical splits of float32 trees; non-finite thresholds or leaves;
 * feature names LightGBM's format cannot hold (white space, {@code =}).
 *
 * <p>Thread safety: stateless.
 */
public final class LightGbmModelWriter {
  /** LightGBM's decision-type bits: categorical, default left, and the missing type's two bits. */
  private static final int CATEGORICAL = 1;
  private static final int DEFAULT_LEFT = 2;
  private static final int MISSING_NONE = 0;
  private static final int MISSING_ZERO = 1 << 2;
  private static final int MISSING_NAN = 2 << 2;
  /** The largest count written for a tree whose covers are scaled ({@link #counts}). */
  private static final double MAX_COUNT = 1 << 30;

  private LightGbmModelWriter() {}

  /**
   * Writes {@link #toText(ModelBundle)} as UTF-8 to {@code file}, replacing it atomically; {@code
   * file}'s directory is created when missing, after the bundle is rendered, so a bundle refused
   * leaves nothing behind.
   */
  public static void write(ModelBundle bundle, Path file) throws ModelFormatException, IOException {
    TreeExports.writeAtomically(toText(bundle), file);
  }

  /**
   * The bundle's trees as a LightGBM text model with its id, version, calibration and feature
   * policies in the parameters; the same bundle always gives the same text.
   *
   * @throws ModelFormatException when the bundle cannot be written so (see the class comment)
   */
  public static String toText(ModelBundle bundle) throws ModelFormatException {
    TreeEnsemble ensemble = TreeExports.ensembleOf(bundle, "LightGBM");
    return toText(ensemble, TreeExports.records(bundle, ensemble).entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).toList());
  }

  /**
   * The ensemble as a LightGBM text model, with {@code parameters} (each {@code key: value}) in its
   * parameters section.
   *
   * @throws ModelFormatException when the ensemble cannot be written so (see the class comment)
   */
  public static String toText(TreeEnsemble ensemble, List<String> parameters) throws ModelFormatException {
    int features = ensemble.featureNames().size();
    for (int f = 0; f < features; f++) {
      String name = ensemble.featureNames().get(f);
      if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '=')) {
        throw new ModelFormatException("feature_names[" + f + "]", "'" + name + "': LightGBM's format separates"
            + " feature names by spaces and cannot hold white space or '='");
      }
    }
    boolean float32 = ensemble.precision() == TreeEnsemble.Precision.FLOAT32;
    List<String> blocks = new ArrayList<>();
    if (ensemble.baseMargin() != 0.0) {
      // LightGBM starts every row's sum at 0: the base margin is a first tree of one leaf
      blocks.add("num_leaves=1\nnum_cat=0\nshrinkage=1\nleaf_value=" + number(ensemble.baseMargin()) + "\n"
          + "is_linear=0\n");
    }
    for (int t = 0; t < ensemble.trees().size(); t++) {
      blocks.add(tree(ensemble.trees().get(t), "model.trees[" + t + "]", float32));
    }
    StringBuilder out = new StringBuilder();
    out.append("tree\nversion=v3\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n");
    out.append("max_feature_idx=").append(features - 1).append('\n');
    out.append("objective=").append(ensemble.link() == TreeEnsemble.Link.LOGISTIC
        ? "binary sigmoid:" + number(ensemble.sigmoidScale()) : "regression").append('\n');
    out.append("feature_names=").append(String.join(" ", ensemble.featureNames())).append('\n');
    out.append("feature_infos=").append(String.join(" ", java.util.Collections.nCopies(features, "none"))).append('\n');
    out.append('\n');
    for (int t = 0; t < blocks.size(); t++) {
      out.append("Tree=").append(t).append('\n').append(blocks.get(t)).append('\n').append('\n');
    }
    out.append("end of trees\n\nparameters:\n");
    for (String p : parameters) {
      out.append('[').append(p.replace('\n', ' ')).append("]\n");
    }
    out.append("end of parameters\n\npandas_categorical:null\n");
    return out.toString();
  }

  /**
   * The largest double whose rounding to float32 is below {@code t}, for a finite {@code t}: a
   * double x goes left under XGBoost's {@code (float) x < t} exactly when {@code x <=
   * doubleThreshold(t)}. The doubles between the float below t and t round to the nearer of the two,
   * the midpoint to the one whose last mantissa bit is 0. For {@code -Float.MAX_VALUE} the float
   * below is -infinity and the bound is finite: {@code -(Float.MAX_VALUE + ulp / 2)}, the largest
   * double that rounds to -infinity.
   */
  public static double doubleThreshold(float t) {
    // the runtime's own bound (the smallest double that goes right), which handles the overflow
    return Math.nextDown(SplitBounds.float32LessThanBound(t));
  }

  /**
   * One tree's block: the nodes the root reaches, internal nodes and leaves each numbered in node
   * order (the root first). XGBoost's pruning leaves deleted nodes in its arrays that no node points
   * to; LightGBM's format has no room for them (num_leaves fixes the length of every array: a tree
   * of L leaves has L - 1 internal nodes, which a deleted leaf breaks), so they are left out.
   */
  private static String tree(DecisionTree tree, String path, boolean float32) throws ModelFormatException {
    int n = tree.nodeCount();
    boolean[] reachable = reachable(tree);
    long[] count = counts(tree, reachable);
    int[] index = new int[n];   // a reachable internal node's index, or a reachable leaf's
    int internal = 0;
    int leaves = 0;
    for (int i = 0; i < n; i++) {
      if (reachable[i]) {
        index[i] = tree.isLeaf(i) ? leaves++ : internal++;
      }
    }
    List<String> leafValue = new ArrayList<>(leaves);
    List<String> leafCount = new ArrayList<>(leaves);
    for (int i = 0; i < n; i++) {
      if (reachable[i] && tree.isLeaf(i)) {
        // the tree's weight (dart's, Smile's shrinkage) folded in as the bundle's evaluator applies it
        double value = tree.leafValue(i) * tree.weight();
        value = float32 ? (float) value : value;
        if (!Double.isFinite(value)) {
          throw new ModelFormatException(path + ".nodes[" + i + "]", "leaf value " + value + " is not finite");
        }
        leafValue.add(number(value));
        leafCount.add(Long.toString(count[i]));
      }
    }
    StringBuilder b = new StringBuilder();
    if (leaves == 1) {
      return b.append("num_leaves=1\nnum_cat=0\nshrinkage=1\nleaf_value=").append(leafValue.get(0))
          .append("\nleaf_count=").append(leafCount.get(0)).append("\nis_linear=0\n").toString();
    }
    List<String> splitFeature = new ArrayList<>();
    List<String> threshold = new ArrayList<>();
    List<String> decisionType = new ArrayList<>();
    List<String> left = new ArrayList<>();
    List<String> right = new ArrayList<>();
    List<String> internalCount = new ArrayList<>();
    List<Integer> catBoundaries = new ArrayList<>(List.of(0));
    List<String> catThreshold = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!reachable[i] || tree.isLeaf(i)) {
        continue;
      }
      String node = path + ".nodes[" + i + "]";
      splitFeature.add(Integer.toString(tree.splitFeature(i)));
      left.add(Integer.toString(child(tree, tree.leftChild(i), index)));
      right.add(Integer.toString(child(tree, tree.rightChild(i), index)));
      internalCount.add(Long.toString(count[i]));
      int type = tree.defaultLeft(i) ? DEFAULT_LEFT : 0;
      if (tree.isCategorical(i)) {
        if (float32) {
          throw new ModelFormatException(node, "a categorical split of XGBoost's trees: its rules for categories"
              + " (invalid values left, the set right) are not LightGBM's; only LightGBM's categorical splits are"
              + " written");
        }
        threshold.add(Integer.toString(catBoundaries.size() - 1));
        int[] set = tree.categories(i);
        long[] words = new long[set.length == 0 ? 1 : set[set.length - 1] / 32 + 1];
        for (int c : set) {
          words[c / 32] |= 1L << (c % 32);
        }
        for (long w : words) {
          catThreshold.add(Long.toString(w));
        }
        catBoundaries.add(catBoundaries.get(catBoundaries.size() - 1) + words.length);
        decisionType.add(Integer.toString(type | CATEGORICAL | MISSING_NAN));
        continue;
      }
      double t = tree.threshold(i);
      if (!Double.isFinite(t)) {
        throw new ModelFormatException(node, "threshold " + t + " is not finite");
      }
      if (float32) {
        if ((double) (float) t != t) {
          throw new ModelFormatException(node, "threshold " + t + " of a float32 tree is not a float32 value");
        }
        threshold.add(number(doubleThreshold((float) t)));
      } else {
        threshold.add(number(t));
      }
      type |= switch (tree.missingRule(i)) {
        case NAN_TO_DEFAULT -> MISSING_NAN;
        case NAN_AS_ZERO -> MISSING_NONE;
        case ZERO_AND_NAN_TO_DEFAULT -> MISSING_ZERO;
      };
      decisionType.add(Integer.toString(type));
    }
    int numCat = catBoundaries.size() - 1;
    b.append("num_leaves=").append(leaves).append('\n');
    b.append("num_cat=").append(numCat).append('\n');
    b.append("split_feature=").append(String.join(" ", splitFeature)).append('\n');
    b.append("threshold=").append(String.join(" ", threshold)).append('\n');
    b.append("decision_type=").append(String.join(" ", decisionType)).append('\n');
    b.append("left_child=").append(String.join(" ", left)).append('\n');
    b.append("right_child=").append(String.join(" ", right)).append('\n');
    b.append("leaf_value=").append(String.join(" ", leafValue)).append('\n');
    b.append("leaf_count=").append(String.join(" ", leafCount)).append('\n');
    b.append("internal_count=").append(String.join(" ", internalCount)).append('\n');
    if (numCat > 0) {
      StringBuilder bounds = new StringBuilder();
      for (int k = 0; k < catBoundaries.size(); k++) {
        bounds.append(k == 0 ? "" : " ").append(catBoundaries.get(k));
      }
      b.append("cat_boundaries=").append(bounds).append('\n');
      b.append("cat_threshold=").append(String.join(" ", catThreshold)).append('\n');
    }
    b.append("is_linear=0\nshrinkage=1\n");
    return b.toString();
  }

  /** Which nodes the root reaches ({@link DecisionTree#of} admits no cycle and no node with two parents). */
  private static boolean[] reachable(DecisionTree tree) {
    boolean[] reached = new boolean[tree.nodeCount()];
    int[] stack = new int[tree.nodeCount()];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      int node = stack[--top];
      reached[node] = true;
      if (!tree.isLeaf(node)) {
        stack[top++] = tree.leftChild(node);
        stack[top++] = tree.rightChild(node);
      }
    }
    return reached;
  }

  /** LightGBM's reference to node c: an internal node's index, or the complement of a leaf's. */
  private static int child(DecisionTree tree, int c, int[] index) {
    return tree.isLeaf(c) ? ~index[c] : index[c];
  }

  /** A double as text that reads back to the same double (Java's shortest representation). */
  private static String number(double v) {
    return String.format(Locale.ROOT, "%.17g", v);
  }

  /**
   * The covers of the reachable nodes as the whole counts LightGBM's format holds ({@code
   * leaf_count}, {@code internal_count}, which LightGBM reads as 32-bit ints), by node. Whole covers
   * up to {@code Integer.MAX_VALUE} (LightGBM's own counts) are written as they are. Others, such as
   * sums of hessians or of sample weights (exposures), which can pass 2^31 (LightGBM's int overflows)
   * or fall below 0.5 (rounded to 0, LightGBM divides by 0), are multiplied by one factor that puts
   * the tree's largest at 2^30 (room below 2^31 for children's rounding) and rounded, a positive
   * cover to at least 1. TreeSHAP, LightGBM's {@code pred_contrib} and the bundle's contributions
   * alike, reads a tree's covers only as ratios (a child's share of its parent, a leaf's of the
   * root), which one factor keeps; the rounding moves a ratio by at most 1.5 over the parent's count.
   * A cover of 0 stays 0: under such a node the bundle weighs both children alike and LightGBM
   * divides by 0, as it would for its own model.
   */
  private static long[] counts(DecisionTree tree, boolean[] reachable) {
    int n = tree.nodeCount();
    double largest = 0;
    boolean whole = true;
    for (int i = 0; i < n; i++) {
      if (reachable[i]) {
        double cover = tree.cover(i);   // finite and >= 0 (DecisionTree.of)
        largest = Math.max(largest, cover);
        whole &= cover == Math.rint(cover);
      }
    }
    long[] count = new long[n];
    boolean asTheyAre = whole && largest <= Integer.MAX_VALUE;
    double factor = asTheyAre || largest == 0 ? 1 : MAX_COUNT / largest;
    for (int i = 0; i < n; i++) {
      double cover = tree.cover(i);
      if (reachable[i] && cover > 0) {
        count[i] = asTheyAre ? (long) cover : Math.max(1, Math.round(cover * factor));
      }
    }
    return count;
  }
}

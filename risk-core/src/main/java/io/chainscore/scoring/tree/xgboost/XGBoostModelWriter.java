package io.chainscore.scoring.tree.xgboost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.TreeExports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a bundle's tree ensemble as an XGBoost JSON model ({@code xgboost.Booster().load_model},
 * xgboost4j's {@code XGBoost.loadModel}; XGBoost 2.0 to 3.x) whose raw margins ({@code
 * output_margin=True}) are the bundle's margins bit for bit, for the rows the bundle's feature
 * policies leave unchanged: the policies (valid ranges, imputation, too many missing values) are
 * the bundle's, and XGBoost has no place for them. The inverse of {@link XGBoostModelReader}: what
 * it writes reads back to the same trees.
 *
 * <p>A logistic ensemble is written as {@code binary:logistic} with the {@code base_score} whose
 * margin, computed as XGBoost computes it in float32, is the bundle's base margin; an identity one
 * as {@code binary:logitraw}, its base margin the {@code base_score}. The bundle's PD is its own
 * calibration of the margin, which XGBoost's probability equals only for a bundle without one; the
 * calibration, the model's id and version and its feature policies are recorded in the learner's
 * {@code attributes} ({@code chainscore_calibration}, ...), so that a user can apply them.
 *
 * <p>Refused, with a {@link ModelFormatException} naming the field: a bundle that is not a tree
 * ensemble or is segmented; trees compared in float64 (LightGBM's, Smile's: XGBoost compares in
 * float32, so their margins would change); LightGBM's missing-value rules; tree weights other than
 * 1 (dart, or a logistic scale the bundle folded into them); a base margin no float32 {@code
 * base_score} gives.
 *
 * <p>Thread safety: stateless.
 */
public final class XGBoostModelWriter {
  /** The XGBoost version the document says it was written by (its JSON layout). */
  static final int[] VERSION = {3, 0, 0};
  /** The parent XGBoost records for a tree's root. */
  private static final int NO_PARENT = Integer.MAX_VALUE;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private XGBoostModelWriter() {}

  /**
   * Writes {@link #toJson} as UTF-8 to {@code file}, replacing it atomically; {@code file}'s
   * directory is created when missing, after the bundle is rendered, so a bundle refused leaves
   * nothing behind.
   */
  public static void write(ModelBundle bundle, Path file) throws ModelFormatException, IOException {
    TreeExports.writeAtomically(toJson(bundle), file);
  }

  /**
   * The bundle's trees as an XGBoost JSON document; the same bundle always gives the same bytes.
   *
   * @throws ModelFormatException when the bundle cannot be written so (see the class comment)
   */
  public static String toJson(ModelBundle bundle) throws ModelFormatException {
    TreeEnsemble ensemble = TreeExports.ensembleOf(bundle, "XGBoost");
    if (ensemble.precision() != TreeEnsemble.Precision.FLOAT32) {
      throw new ModelFormatException("model.precision", "the trees compare values in float64 ("
          + ensemble.source() + "); XGBoost compares them in float32, which would move values at a threshold"
          + " to the other side");
    }
    if (ensemble.sigmoidScale() != 1.0) {
      throw new ModelFormatException("model.sigmoid_scale", "XGBoost's logistic link has no scale; this model's is "
          + ensemble.sigmoidScale());
    }
    int features = ensemble.featureNames().size();
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode learner = root.putObject("learner");
    ObjectNode attributes = learner.putObject("attributes");
    TreeExports.records(bundle, ensemble).forEach(attributes::put);
    ArrayNode names = learner.putArray("feature_names");
    ArrayNode types = learner.putArray("feature_types");
    for (int j = 0; j < features; j++) {
      names.add(ensemble.featureNames().get(j));
      types.add(ensemble.categoricalFeatures().get(j) ? "c" : "q");
    }
    ObjectNode booster = learner.putObject("gradient_booster");
    ObjectNode model = booster.putObject("model");
    int count = ensemble.trees().size();
    model.putObject("gbtree_model_param").put("num_parallel_tree", "1").put("num_trees", Integer.toString(count));
    ArrayNode indptr = model.putArray("iteration_indptr");
    for (int t = 0; t <= count; t++) {
      indptr.add(t);
    }
    ArrayNode info = model.putArray("tree_info");
    ArrayNode written = model.putArray("trees");
    for (int t = 0; t < count; t++) {
      info.add(0);
      written.add(tree(ensemble.trees().get(t), t, features));
    }
    booster.put("name", "gbtree");
    String objective;
    float baseScore;
    float baseMargin = (float) ensemble.baseMargin();
    if ((double) baseMargin != ensemble.baseMargin()) {
      throw new ModelFormatException("model.base_margin", "not a float32 value: " + ensemble.baseMargin());
    }
    if (ensemble.link() == TreeEnsemble.Link.LOGISTIC) {
      objective = "binary:logistic";
      baseScore = baseScoreOf(baseMargin);
    } else {
      // logitraw keeps base_score as the margin (XGBoostModelReader reads it so)
      objective = "binary:logitraw";
      baseScore = baseMargin;
    }
    learner.putObject("learner_model_param")
        .put("base_score", Float.toString(baseScore))
        .put("boost_from_average", "1")
        .put("num_class", "0")
        .put("num_feature", Integer.toString(features))
        .put("num_target", "1");
    learner.putObject("objective").put("name", objective).putObject("reg_loss_param").put("scale_pos_weight", "1");
    ArrayNode version = root.putArray("version");
    for (int v : VERSION) {
      version.add(v);
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The float32 {@code base_score} whose margin in XGBoost ({@link XGBoostModelReader#probToMargin},
   * float32 {@code -log(1 / p - 1)}) is {@code margin}: the float nearest the sigmoid, else the
   * nearest of its neighbours that gives it.
   */
  static float baseScoreOf(float margin) throws ModelFormatException {
    float guess = (float) (1 / (1 + Math.exp(-margin)));
    float up = guess;
    float down = guess;
    for (int step = 0; step < 4096; step++) {
      for (float p : new float[] {down, up}) {
        if (p > 0f && p < 1f && XGBoostModelReader.probToMargin(p) == margin) {
          return p;
        }
      }
      up = Math.nextUp(up);
      down = Math.nextDown(down);
    }
    throw new ModelFormatException("model.base_margin", "no float32 base_score in (0, 1) gives the base margin "
        + margin + " as XGBoost computes it; the model cannot be written as binary:logistic");
  }

  /** One tree in XGBoost's layout: node arrays, parents, categorical segments. */
  private static ObjectNode tree(DecisionTree tree, int id, int features) throws ModelFormatException {
    String path = "model.trees[" + id + "]";
    if (tree.weight() != 1.0) {
      throw new ModelFormatException(path, "tree weight " + tree.weight() + " (dart): only weights of 1 are written");
    }
    int n = tree.nodeCount();
    int[] parent = new int[n];
    parent[0] = NO_PARENT;
    for (int i = 0; i < n; i++) {
      if (!tree.isLeaf(i)) {
        parent[tree.leftChild(i)] = i;
        parent[tree.rightChild(i)] = i;
      }
    }
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode baseWeights = out.putArray("base_weights");
    ArrayNode categories = out.putArray("categories");
    ArrayNode categoryNodes = out.putArray("categories_nodes");
    ArrayNode categorySegments = out.putArray("categories_segments");
    ArrayNode categorySizes = out.putArray("categories_sizes");
    ArrayNode defaultLeft = out.putArray("default_left");
    out.put("id", id);
    ArrayNode left = out.putArray("left_children");
    ArrayNode lossChanges = out.putArray("loss_changes");
    ArrayNode parents = out.putArray("parents");
    ArrayNode right = out.putArray("right_children");
    ArrayNode conditions = out.putArray("split_conditions");
    ArrayNode indices = out.putArray("split_indices");
    ArrayNode types = out.putArray("split_type");
    ArrayNode hessians = out.putArray("sum_hessian");
    int segment = 0;
    List<Integer> categorical = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean leaf = tree.isLeaf(i);
      if (!leaf && tree.missingRule(i) != DecisionTree.MissingRule.NAN_TO_DEFAULT) {
        throw new ModelFormatException(path + ".nodes[" + i + "]", "missing values go by LightGBM's rule "
            + tree.missingRule(i) + "; XGBoost sends only NaN to the default child");
      }
      float value = leaf ? (float) tree.leafValue(i) : (float) tree.threshold(i);
      if (!leaf && tree.isCategorical(i)) {
        categorical.add(i);
        value = Float.isFinite(value) ? value : 0f;   // a categorical split's condition is not read
      } else if ((double) value != (leaf ? tree.leafValue(i) : tree.threshold(i))) {
        throw new ModelFormatException(path + ".nodes[" + i + "]", (leaf ? "leaf value " : "threshold ")
            + (leaf ? tree.leafValue(i) : tree.threshold(i)) + " is not a float32 value");
      }
      baseWeights.add(leaf ? value : 0f);
      defaultLeft.add(leaf ? 0 : tree.defaultLeft(i) ? 1 : 0);
      left.add(leaf ? -1 : tree.leftChild(i));
      right.add(leaf ? -1 : tree.rightChild(i));
      lossChanges.add(0f);
      parents.add(parent[i]);
      conditions.add(value);
      indices.add(leaf ? 0 : tree.splitFeature(i));
      types.add(!leaf && tree.isCategorical(i) ? 1 : 0);
      hessians.add(Double.isFinite(tree.cover(i)) ? (float) tree.cover(i) : 0f);   // statistics only
    }
    for (int i : categorical) {
      int[] set = tree.categories(i);
      categoryNodes.add(i);
      categorySegments.add(segment);
      categorySizes.add(set.length);
      for (int c : set) {
        categories.add(c);
      }
      segment += set.length;
    }
    out.putObject("tree_param")
        .put("num_deleted", "0")
        .put("num_feature", Integer.toString(features))
        .put("num_nodes", Integer.toString(n))
        .put("size_leaf_vector", "1");
    return out;
  }
}

package io.chainscore.scoring.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.ModelFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the {@code "model": {"kind": "tree_ensemble", ...}} node of a ChainScore model
 * bundle: a {@link TreeEnsemble} as flat arrays over all nodes of all trees, documented in {@code
 * docs/tree-models.md}. Writing then reading gives a model that scores bit-identically.
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class TreeEnsembleCodec {
  /** The value of the {@code kind} member. */
  public static final String KIND = "tree_ensemble";

  /** The layout version written and understood. */
  public static final int FORMAT_VERSION = 1;

  private static final int CATEGORICAL = 1;
  private static final int DEFAULT_LEFT = 2;
  private static final int MISSING_SHIFT = 2;

  private TreeEnsembleCodec() {}

  /**
   * Reads a tree-ensemble model node and compiles it against {@code schema}.
   *
   * @param modelNode the {@code "model"} object of a bundle
   * @param schema the bundle's feature schema; every feature the trees use must be in it
   * @param fieldPath path of {@code modelNode} in the bundle, prefixed to error fields
   * @throws ModelFormatException naming the field at fault
   */
  public static CompiledModel read(JsonNode modelNode, FeatureSchema schema, String fieldPath)
      throws ModelFormatException {
    // the bundle's margin is log-odds: its calibration, points and reasons take it (inLogOdds)
    return readEnsemble(modelNode, fieldPath).inLogOdds().compile(schema);
  }

  /** The fields of a tree-ensemble model node ({@link #write}). */
  static final java.util.Set<String> MODEL_FIELDS = java.util.Set.of("kind", "format_version", "source", "precision",
      "link", "sigmoid_scale", "base_margin", "features", "categorical_features", "trees");
  /** The fields of its {@code trees} object: the flat node arrays. */
  static final java.util.Set<String> TREES_FIELDS = java.util.Set.of("tree_offsets", "weights", "left", "right",
      "feature", "threshold", "decision", "value", "cover", "category_offsets", "categories");

  /** Reads a tree-ensemble model node without compiling it. */
  public static TreeEnsemble readEnsemble(JsonNode node, String fieldPath) throws ModelFormatException {
    String p = fieldPath == null || fieldPath.isEmpty() ? "" : fieldPath + ".";
    if (node == null || !node.isObject()) {
      throw new ModelFormatException(fieldPath, "expected a model object");
    }
    String kind = text(node, "kind", p);
    if (!KIND.equals(kind)) {
      throw new ModelFormatException(p + "kind", "expected \"" + KIND + "\", got \"" + kind + "\"");
    }
    JsonNode version = node.get("format_version");
    if (version == null || !version.isIntegralNumber() || version.asInt() != FORMAT_VERSION) {
      throw new ModelFormatException(p + "format_version", "expected " + FORMAT_VERSION + ", got " + version);
    }
    // the fields this codec writes (write, below), no other: a typo is refused, not ignored (after
    // the kind and version, which say which fields there are)
    io.chainscore.scoring.spi.JsonFields.onlyKnown(node, fieldPath == null ? "" : fieldPath, MODEL_FIELDS);
    TreeEnsemble.Precision precision = switch (text(node, "precision", p)) {
      case "float32" -> TreeEnsemble.Precision.FLOAT32;
      case "float64" -> TreeEnsemble.Precision.FLOAT64;
      default -> throw new ModelFormatException(p + "precision", "expected float32 or float64");
    };
    TreeEnsemble.Link link = switch (text(node, "link", p)) {
      case "logistic" -> TreeEnsemble.Link.LOGISTIC;
      case "identity" -> TreeEnsemble.Link.IDENTITY;
      default -> throw new ModelFormatException(p + "link", "expected logistic or identity");
    };
    double sigmoidScale = number(node, "sigmoid_scale", p);
    double baseMargin = number(node, "base_margin", p);
    JsonNode sourceNode = node.get("source");
    if (sourceNode != null && !sourceNode.isTextual()) {
      throw new ModelFormatException(p + "source", "expected text naming where the trees came from, such as"
          + " \"xgboost\"");
    }
    String source = sourceNode != null ? sourceNode.asText() : "bundle";   // optional: bundles before it
    JsonNode featuresNode = array(node, "features", p, TreeEnsemble.MAX_FEATURES);
    List<String> features = new ArrayList<>(featuresNode.size());
    for (int i = 0; i < featuresNode.size(); i++) {
      if (!featuresNode.get(i).isTextual()) {
        throw new ModelFormatException(p + "features[" + i + "]", "expected a string");
      }
      features.add(featuresNode.get(i).asText());
    }
    JsonNode categoricalNode = array(node, "categorical_features", p, TreeEnsemble.MAX_FEATURES);
    if (categoricalNode.size() != features.size()) {
      throw new ModelFormatException(p + "categorical_features", "expected " + features.size() + " entries");
    }
    List<Boolean> categoricalFeatures = new ArrayList<>(features.size());
    for (int i = 0; i < categoricalNode.size(); i++) {
      if (!categoricalNode.get(i).isBoolean()) {
        throw new ModelFormatException(p + "categorical_features[" + i + "]", "expected true or false");
      }
      categoricalFeatures.add(categoricalNode.get(i).asBoolean());
    }
    JsonNode trees = node.get("trees");
    if (trees == null || !trees.isObject()) {
      throw new ModelFormatException(p + "trees", "expected an object of flat node arrays");
    }
    String tp = p + "trees.";
    io.chainscore.scoring.spi.JsonFields.onlyKnown(trees, p + "trees", TREES_FIELDS);
    int[] offsets = ints(trees, "tree_offsets", tp, -1, TreeEnsemble.MAX_TREES + 1);
    if (offsets.length == 0 || offsets[0] != 0) {
      throw new ModelFormatException(tp + "tree_offsets", "expected at least one entry, starting at 0");
    }
    int treeCount = offsets.length - 1;
    int total = offsets[treeCount];
    if (total < 0 || total > TreeEnsemble.MAX_TOTAL_NODES) {
      throw new ModelFormatException(tp + "tree_offsets[" + treeCount + "]", "total node count " + total
          + " is outside [0, " + TreeEnsemble.MAX_TOTAL_NODES + "]");
    }
    for (int t = 0; t < treeCount; t++) {
      if (offsets[t + 1] <= offsets[t]) {
        throw new ModelFormatException(tp + "tree_offsets[" + (t + 1) + "]", "offsets must increase");
      }
    }
    double[] weights = doubles(trees, "weights", tp, treeCount);
    int[] left = ints(trees, "left", tp, total, total);
    int[] right = ints(trees, "right", tp, total, total);
    int[] feature = ints(trees, "feature", tp, total, total);
    double[] threshold = doubles(trees, "threshold", tp, total);
    int[] decision = ints(trees, "decision", tp, total, total);
    double[] value = doubles(trees, "value", tp, total);
    double[] cover = doubles(trees, "cover", tp, total);
    int[] categoryOffsets = ints(trees, "category_offsets", tp, total + 1, total + 1);
    JsonNode categoriesNode = trees.get("categories");
    int categoryCount = categoriesNode == null ? -1 : categoriesNode.size();
    if (categoryCount < 0 || categoryCount > 64L * TreeEnsemble.MAX_TOTAL_NODES) {
      throw new ModelFormatException(tp + "categories", "expected an array");
    }
    int[] categories = ints(trees, "categories", tp, categoryCount, categoryCount);
    if (categoryOffsets[0] != 0 || categoryOffsets[total] != categoryCount) {
      throw new ModelFormatException(tp + "category_offsets", "must start at 0 and end at " + categoryCount);
    }
    List<DecisionTree> result = new ArrayList<>(treeCount);
    for (int t = 0; t < treeCount; t++) {
      int from = offsets[t];
      int n = offsets[t + 1] - from;
      String path = tp + "tree[" + t + "]";
      int[] l = new int[n];
      int[] r = new int[n];
      int[] f = new int[n];
      double[] th = new double[n];
      boolean[] cat = new boolean[n];
      int[][] sets = new int[n][];
      boolean[] defLeft = new boolean[n];
      DecisionTree.MissingRule[] missing = new DecisionTree.MissingRule[n];
      double[] v = new double[n];
      double[] c = new double[n];
      for (int i = 0; i < n; i++) {
        int g = from + i;
        l[i] = left[g];
        r[i] = right[g];
        f[i] = l[i] == -1 ? 0 : feature[g];
        th[i] = threshold[g];
        v[i] = value[g];
        c[i] = cover[g];
        int d = decision[g];
        int rule = d >>> MISSING_SHIFT;
        if (d < 0 || rule >= DecisionTree.MissingRule.values().length) {
          throw new ModelFormatException(tp + "decision[" + g + "]", "unknown decision code " + d);
        }
        cat[i] = (d & CATEGORICAL) != 0;
        defLeft[i] = (d & DEFAULT_LEFT) != 0;
        missing[i] = DecisionTree.MissingRule.values()[rule];
        int cs = categoryOffsets[g];
        int ce = categoryOffsets[g + 1];
        if (cs < 0 || ce < cs || ce > categoryCount) {
          throw new ModelFormatException(tp + "category_offsets[" + (g + 1) + "]", "offsets must not decrease");
        }
        if (cat[i]) {
          sets[i] = java.util.Arrays.copyOfRange(categories, cs, ce);
        } else if (ce != cs) {
          throw new ModelFormatException(tp + "category_offsets[" + (g + 1) + "]", "a numeric node has categories");
        }
      }
      result.add(DecisionTree.of(path, features.size(), l, r, f, th, cat, sets, defLeft, missing, v, c, weights[t]));
    }
    return TreeEnsemble.of(features, categoricalFeatures, result, baseMargin, link, sigmoidScale, precision, source);
  }

  /**
   * Writes a compiled tree model as a bundle model node.
   *
   * @throws IllegalArgumentException when {@code model} was not compiled from a {@link TreeEnsemble}
   */
  public static ObjectNode write(CompiledModel model) {
    return write(ensemble(model));
  }

  /**
   * The ensemble a compiled tree model was compiled from.
   *
   * @throws IllegalArgumentException when {@code model} was not compiled from a {@link TreeEnsemble}
   */
  public static TreeEnsemble ensemble(CompiledModel model) {
    if (!(model instanceof CompiledTreeEnsemble compiled)) {
      throw new IllegalArgumentException("not a compiled tree ensemble: " + model.getClass().getName());
    }
    return compiled.model();
  }

  /** Writes an ensemble as a bundle model node ({@code "kind": "tree_ensemble"}). */
  public static ObjectNode write(TreeEnsemble model) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode node = f.objectNode();
    node.put("kind", KIND);
    node.put("format_version", FORMAT_VERSION);
    node.put("source", model.source());
    node.put("precision", model.precision() == TreeEnsemble.Precision.FLOAT32 ? "float32" : "float64");
    node.put("link", model.link() == TreeEnsemble.Link.LOGISTIC ? "logistic" : "identity");
    node.put("sigmoid_scale", model.sigmoidScale());
    node.put("base_margin", model.baseMargin());
    ArrayNode features = node.putArray("features");
    model.featureNames().forEach(features::add);
    ArrayNode categorical = node.putArray("categorical_features");
    model.categoricalFeatures().forEach(categorical::add);
    ObjectNode trees = node.putObject("trees");
    ArrayNode offsets = trees.putArray("tree_offsets");
    ArrayNode weights = trees.putArray("weights");
    ArrayNode left = trees.putArray("left");
    ArrayNode right = trees.putArray("right");
    ArrayNode feature = trees.putArray("feature");
    ArrayNode threshold = trees.putArray("threshold");
    ArrayNode decision = trees.putArray("decision");
    ArrayNode value = trees.putArray("value");
    ArrayNode cover = trees.putArray("cover");
    ArrayNode categoryOffsets = trees.putArray("category_offsets");
    ArrayNode categories = trees.putArray("categories");
    int offset = 0;
    int categoryCount = 0;
    offsets.add(0);
    categoryOffsets.add(0);
    for (DecisionTree tree : model.trees()) {
      weights.add(tree.weight());
      for (int i = 0; i < tree.nodeCount(); i++) {
        boolean leaf = tree.isLeaf(i);
        left.add(tree.leftChild(i));
        right.add(tree.rightChild(i));
        feature.add(leaf ? -1 : tree.splitFeature(i));
        threshold.add(leaf || tree.isCategorical(i) ? 0.0 : tree.threshold(i));
        int d = (tree.isCategorical(i) && !leaf ? CATEGORICAL : 0) | (tree.defaultLeft(i) ? DEFAULT_LEFT : 0)
            | (tree.missingRule(i) == null ? 0 : tree.missingRule(i).ordinal() << MISSING_SHIFT);
        decision.add(d);
        value.add(leaf ? tree.leafValue(i) : 0.0);
        cover.add(tree.cover(i));
        if (!leaf && tree.isCategorical(i)) {
          for (int c : tree.categories(i)) {
            categories.add(c);
            categoryCount++;
          }
        }
        categoryOffsets.add(categoryCount);
      }
      offset += tree.nodeCount();
      offsets.add(offset);
    }
    return node;
  }

  private static String text(JsonNode node, String name, String p) throws ModelFormatException {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual()) {
      throw new ModelFormatException(p + name, v == null ? "missing" : "expected a string");
    }
    return v.asText();
  }

  private static double number(JsonNode node, String name, String p) throws ModelFormatException {
    JsonNode v = node.get(name);
    if (v == null || !v.isNumber()) {
      throw new ModelFormatException(p + name, v == null ? "missing" : "expected a number");
    }
    return v.doubleValue();
  }

  private static JsonNode array(JsonNode node, String name, String p, int maxSize) throws ModelFormatException {
    JsonNode v = node.get(name);
    if (v == null || !v.isArray()) {
      throw new ModelFormatException(p + name, v == null ? "missing" : "expected an array");
    }
    if (v.size() > maxSize) {
      throw new ModelFormatException(p + name, v.size() + " entries, more than the limit " + maxSize);
    }
    return v;
  }

  /** An int array of exactly {@code expected} entries ({@code -1}: any size up to {@code max}). */
  private static int[] ints(JsonNode node, String name, String p, int expected, int max) throws ModelFormatException {
    JsonNode a = array(node, name, p, max);
    if (expected >= 0 && a.size() != expected) {
      throw new ModelFormatException(p + name, "expected " + expected + " entries, got " + a.size());
    }
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = a.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new ModelFormatException(p + name + "[" + i + "]", "expected an integer, got " + v);
      }
      out[i] = v.asInt();
    }
    return out;
  }

  private static double[] doubles(JsonNode node, String name, String p, int expected) throws ModelFormatException {
    JsonNode a = array(node, name, p, expected);
    if (a.size() != expected) {
      throw new ModelFormatException(p + name, "expected " + expected + " entries, got " + a.size());
    }
    double[] out = new double[expected];
    for (int i = 0; i < expected; i++) {
      JsonNode v = a.get(i);
      if (!v.isNumber()) {
        throw new ModelFormatException(p + name + "[" + i + "]", "expected a number, got " + v);
      }
      out[i] = v.doubleValue();
    }
    return out;
  }
}

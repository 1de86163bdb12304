package io.chainscore.develop.gbdt;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The XGBoost training engine of {@link GbdtTrainer}: xgboost4j's {@code hist} method on the
 * feature matrix (NaN missing, categorical features as XGBoost categories), then the booster's
 * JSON model read by risk-core's {@link XGBoostModelReader}, so the runtime scores it with its own
 * pure-Java evaluator, bit-identically to xgboost4j's margins.
 *
 * <p>Thread safety: stateless; xgboost4j boosters and matrices are created and freed per call.
 */
final class XGBoostEngine {
  /** The xgboost4j version on the class path (from the jar's {@code xgboost4j-version.properties}). */
  static final String VERSION = version();

  /** Seed salt of the early-stopping validation split (distinct from the calibration split's). */
  private static final long VALIDATION_SALT = 0x2545F4914F6CDD1DL;

  /** Seed salt of the depth choice's held-out split (distinct from early stopping's and calibration's). */
  private static final long DEPTH_SALT = 0x6A09E667F3BCC909L;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  private XGBoostEngine() {}

  /**
   * A trained model.
   *
   * @param ensemble the imported trees (only the best iteration's with early stopping)
   * @param gain total split gain per model feature (XGBoost's {@code loss_chg}, summed over the
   *     kept trees)
   * @param roundsTrained boosting rounds run
   * @param treesKept trees in the model
   * @param bestScore the early-stopping metric on the validation rows at the kept round, NaN
   *     without early stopping
   * @param validationRows rows held out for early stopping (0 without)
   * @param shape the shape the trees were trained in
   * @param shapeChoice how the shape was chosen; null when the options fixed the depth
   */
  record Trained(TreeEnsemble ensemble, double[] gain, int roundsTrained, int treesKept, double bestScore,
      int validationRows, GbdtTrainer.TreeShape shape, ShapeChoice shapeChoice) {}

  /**
   * How the tree shape was chosen.
   *
   * @param logLoss per candidate shape (in {@code Options.shapeChoices()} order), the log-loss
   *     (weighted with weights) on the held-out rows of the trees trained on the others, as
   *     xgboost4j's {@code logloss} metric reports it after the last round; empty when the split
   *     left one class on a side and the first candidate was taken untried
   * @param validationRows rows held out for the choice
   */
  record ShapeChoice(double[] logLoss, int validationRows) {}

  /**
   * Trains at the options' fixed depth or, with shape choices, in the one chosen on a held-out
   * share of the rows (then trained again on all of them).
   */
  static Trained train(FeatureSchema schema, List<Integer> columns, List<String> names, double[] rows,
      int[] labels, double[] weights, GbdtTrainer.Options o) {
    if (o.shapeChoices().isEmpty()) {
      return train(schema, columns, names, rows, labels, weights, o, GbdtTrainer.TreeShape.depth(o.maxDepth()), null);
    }
    ShapeChoice choice = chooseShape(schema, columns, names, rows, labels, weights, o);
    int best = 0;
    for (int c = 1; c < choice.logLoss().length; c++) {
      if (choice.logLoss()[c] < choice.logLoss()[best]) {
        best = c;  // strictly smaller: on a tie the earlier shape stays
      }
    }
    return train(schema, columns, names, rows, labels, weights, o, o.shapeChoices().get(best), choice);
  }

  /** Which rows the depth choice holds out: a seeded share {@code o.validationShare()} of them. */
  static boolean[] depthValidationRows(int n, GbdtTrainer.Options o) {
    return GbdtTrainer.heldOut(n, o.seed() ^ DEPTH_SALT, o.validationShare());
  }

  private static ShapeChoice chooseShape(FeatureSchema schema, List<Integer> columns, List<String> names,
      double[] rows, int[] labels, double[] weights, GbdtTrainer.Options o) {
    int n = labels.length;
    boolean[] validation = depthValidationRows(n, o);
    int held = GbdtTrainer.count(validation);
    boolean[] classesHeld = new boolean[2];
    boolean[] classesKept = new boolean[2];
    for (int i = 0; i < n; i++) {
      (validation[i] ? classesHeld : classesKept)[labels[i]] = true;
    }
    if (!(classesHeld[0] && classesHeld[1] && classesKept[0] && classesKept[1])) {
      return new ShapeChoice(new double[0], held);
    }
    String[] featureNames = names.toArray(String[]::new);
    String[] types = types(schema, columns);
    int p = schema.size();
    double[] logLoss = new double[o.shapeChoices().size()];
    DMatrix train = null;
    DMatrix valid = null;
    try {
      train = matrix(rows, p, columns, labels, weights, validation, false, n - held, featureNames, types);
      valid = matrix(rows, p, columns, labels, weights, validation, true, held, featureNames, types);
      Map<String, DMatrix> watches = Map.of("validation", valid);
      for (int c = 0; c < logLoss.length; c++) {
        Map<String, Object> params = params(o, o.shapeChoices().get(c), names, schema, columns);
        params.put("eval_metric", "logloss");
        float[][] metrics = new float[1][o.trees()];
        Booster booster = XGBoost.train(train, params, o.trees(), watches, metrics, null, null, 0);
        try {
          logLoss[c] = metrics[0][o.trees() - 1];
        } finally {
          booster.dispose();
        }
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("xgboost4j failed: " + e.getMessage(), e);
    } finally {
      dispose(train, valid);
    }
    return new ShapeChoice(logLoss, held);
  }

  /** Frees the native memory of the matrices made (null for one not made). */
  private static void dispose(DMatrix... matrices) {
    for (DMatrix m : matrices) {
      if (m != null) {
        m.dispose();
      }
    }
  }

  private static String[] types(FeatureSchema schema, List<Integer> columns) {
    String[] types = new String[columns.size()];
    for (int c = 0; c < types.length; c++) {
      types[c] = schema.feature(columns.get(c)).type() == FeatureType.CATEGORICAL ? "c" : "q";
    }
    return types;
  }

  private static Trained train(FeatureSchema schema, List<Integer> columns, List<String> names, double[] rows,
      int[] labels, double[] weights, GbdtTrainer.Options o, GbdtTrainer.TreeShape shape, ShapeChoice shapeChoice) {
    int p = schema.size();
    int n = labels.length;
    int k = columns.size();
    boolean[] validation = o.earlyStoppingRounds() > 0
        ? GbdtTrainer.heldOut(n, o.seed() ^ VALIDATION_SALT, o.validationShare()) : new boolean[n];
    int held = GbdtTrainer.count(validation);
    if (o.earlyStoppingRounds() > 0) {
      int[] heldLabels = new int[held];
      int[] keptLabels = new int[n - held];
      for (int i = 0, a = 0, b = 0; i < n; i++) {
        if (validation[i]) {
          heldLabels[a++] = labels[i];
        } else {
          keptLabels[b++] = labels[i];
        }
      }
      if (!GbdtTrainer.hasBothClasses(heldLabels) || !GbdtTrainer.hasBothClasses(keptLabels)) {
        throw new IllegalArgumentException("the early-stopping validation split (share " + o.validationShare()
            + " of " + n + " rows) leaves a single class on one side; use more rows or another validation share");
      }
    }
    String[] types = types(schema, columns);
    String[] featureNames = names.toArray(String[]::new);
    DMatrix train = null;
    DMatrix valid = null;
    Booster booster = null;
    try {
      train = matrix(rows, p, columns, labels, weights, validation, false, n - held, featureNames, types);
      Map<String, DMatrix> watches = new LinkedHashMap<>();
      if (held > 0) {
        valid = matrix(rows, p, columns, labels, weights, validation, true, held, featureNames, types);
        watches.put("validation", valid);
      }
      Map<String, Object> params = params(o, shape, names, schema, columns);
      float[][] metrics = new float[watches.size()][o.trees()];
      booster = XGBoost.train(train, params, o.trees(), watches, metrics, null, null, o.earlyStoppingRounds());
      int rounds = booster.getNumBoostedRound();
      int kept = rounds;
      double bestScore = Double.NaN;
      String best = booster.getAttr("best_iteration");
      if (held > 0 && best != null) {
        kept = Integer.parseInt(best.trim()) + 1;
        bestScore = metrics[0][kept - 1];
      }
      byte[] json = booster.toByteArray("json");
      JsonNode root = MAPPER.readTree(json);
      ObjectNode model = (ObjectNode) root.path("learner").path("gradient_booster").path("model");
      if (kept < rounds) {
        truncate(model, kept);
        json = MAPPER.writeValueAsBytes(root);
      }
      double[] gain = gain(model, k);
      TreeEnsemble ensemble = XGBoostModelReader.read(json);
      return new Trained(ensemble, gain, rounds, kept, bestScore, held, shape, shapeChoice);
    } catch (XGBoostError e) {
      throw new IllegalStateException("xgboost4j failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("xgboost4j wrote a model that is not valid JSON: " + e.getMessage(), e);
    } catch (ModelFormatException e) {
      throw new IllegalStateException("xgboost4j wrote a model the XGBoost reader refuses: " + e.getMessage(), e);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      dispose(train, valid);
    }
  }

  /** The most categories of any categorical feature of {@code schema} (0 without one). */
  private static int maxCategories(FeatureSchema schema) {
    int most = 0;
    for (int j = 0; j < schema.size(); j++) {
      if (schema.feature(j).type() == io.chainscore.features.FeatureType.CATEGORICAL) {
        most = Math.max(most, schema.feature(j).categories().size());
      }
    }
    return most;
  }

  /** The xgboost4j parameters of {@code o}, {@code monotone_constraints} in model-feature order. */
  static Map<String, Object> params(GbdtTrainer.Options o, List<String> names, FeatureSchema schema,
      List<Integer> columns) {
    return params(o, GbdtTrainer.TreeShape.depth(o.maxDepth()), names, schema, columns);
  }

  /** A shape's leaf limit: its own, else the options' {@code maxNodes} (0: none but the depth). */
  static int maxLeaves(GbdtTrainer.TreeShape shape, GbdtTrainer.Options o) {
    return shape.maxLeaves() > 0 ? shape.maxLeaves() : o.maxNodes();
  }

  /** The same in {@code shape} (the chosen one, where the options choose it). */
  static Map<String, Object> params(GbdtTrainer.Options o, GbdtTrainer.TreeShape shape, List<String> names,
      FeatureSchema schema, List<Integer> columns) {
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("tree_method", "hist");
    params.put("max_depth", shape.maxDepth());
    if (maxLeaves(shape, o) > 0) {
      params.put("max_leaves", maxLeaves(shape, o));
    }
    params.put("eta", o.shrinkage());
    params.put("subsample", o.subsample());
    params.put("min_child_weight", o.minChildWeight());
    params.put("lambda", o.l2());
    params.put("max_bin", o.maxBins());
    params.put("nthread", o.threads());
    params.put("seed", (int) (o.seed() ^ (o.seed() >>> 32)));
    params.put("eval_metric", o.earlyStoppingMetric());
    params.put("verbosity", 0);
    // xgboost4j's train prints each round's evaluation to the console unless told not to; it reads
    // the flag as the text "false" or the number 0 (a Boolean false is neither, and printed on).
    params.put("verbose_eval", "false");
    // xgboost splits a categorical feature one category against the rest when it has fewer
    // categories than max_cat_to_onehot, else by a partition of its categories sorted by their
    // gradient statistics; partition is xgboost's own default from 4 categories on.
    if (o.categoricalSplits() == GbdtTrainer.CategoricalSplits.ONE_VS_REST) {
      params.put("max_cat_to_onehot", maxCategories(schema) + 1);
    }
    if (!o.monotone().isEmpty()) {
      StringBuilder b = new StringBuilder("(");
      for (int c = 0; c < names.size(); c++) {
        Integer d = o.monotone().get(names.get(c));
        b.append(c > 0 ? "," : "").append(d == null ? 0 : d);
      }
      params.put("monotone_constraints", b.append(')').toString());
    }
    return params;
  }

  private static DMatrix matrix(double[] rows, int p, List<Integer> columns, int[] labels, double[] weights,
      boolean[] validation, boolean side, int count, String[] names, String[] types) throws XGBoostError {
    int k = columns.size();
    float[] x = new float[count * k];
    float[] y = new float[count];
    float[] w = weights == null ? null : new float[count];
    for (int i = 0, r = 0; i < labels.length; i++) {
      if (validation[i] != side) {
        continue;
      }
      int base = i * p;
      for (int c = 0; c < k; c++) {
        x[r * k + c] = (float) rows[base + columns.get(c)];
      }
      y[r] = labels[i];
      if (w != null) {
        w[r] = (float) weights[i];
      }
      r++;
    }
    DMatrix m = new DMatrix(x, count, k, Float.NaN);
    m.setLabel(y);
    if (w != null) {
      m.setWeight(w);
    }
    m.setFeatureNames(names);
    m.setFeatureTypes(types);
    return m;
  }

  /** Keeps the first {@code kept} trees of a single-target gbtree model (one tree per round). */
  private static void truncate(ObjectNode model, int kept) {
    ArrayNode trees = (ArrayNode) model.get("trees");
    ArrayNode info = (ArrayNode) model.get("tree_info");
    while (trees.size() > kept) {
      trees.remove(trees.size() - 1);
    }
    while (info != null && info.size() > kept) {
      info.remove(info.size() - 1);
    }
    JsonNode indptr = model.get("iteration_indptr");
    if (indptr instanceof ArrayNode a) {
      while (a.size() > kept + 1) {
        a.remove(a.size() - 1);
      }
    }
    ((ObjectNode) model.get("gbtree_model_param")).put("num_trees", Integer.toString(kept));
  }

  /** Sum of {@code loss_changes} of every split node, by feature. */
  private static double[] gain(JsonNode model, int features) {
    double[] gain = new double[features];
    for (JsonNode tree : model.path("trees")) {
      JsonNode left = tree.path("left_children");
      JsonNode split = tree.path("split_indices");
      JsonNode loss = tree.path("loss_changes");
      for (int i = 0; i < left.size(); i++) {
        if (left.get(i).asInt() >= 0) {
          gain[split.get(i).asInt()] += loss.get(i).asDouble();
        }
      }
    }
    return gain;
  }

  private static String version() {
    try (InputStream in = XGBoost.class.getResourceAsStream("/xgboost4j-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}

package io.chainscore.scoring.tree.xgboost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.tables.CsvReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.chainscore.scoring.tree.xgboost.XGBoostFields.*;

/**
 * Reads an XGBoost model saved as JSON ({@code Booster.save_model("m.json")}, XGBoost 1.0 to 3.x)
 * or as Universal Binary JSON ({@code "m.ubj"}, the default since XGBoost 2.0; same document,
 * binary encoding, float32 numbers stored exactly) into a {@link TreeEnsemble} with {@link TreeEnsemble.Precision#FLOAT32} rules, so that compiled
 * margins are bit-identical to XGBoost's.
 *
 * <p>Supported: objectives {@code binary:logistic}, {@code reg:logistic} (logistic link), {@code
 * binary:logitraw} (margin output), {@code reg:squarederror}, {@code reg:absoluteerror}, {@code
 * reg:pseudohubererror} (identity); boosters {@code gbtree} and {@code dart} (tree weights
 * applied); {@code base_score} as {@code "0.500000"}, {@code "5E-1"} or {@code "[5E-1]"}; {@code
 * default_left} as booleans or 0/1; numeric and categorical splits. Refused with a {@link
 * ModelFormatException} naming the field: multiclass or multi-target models, {@code gblinear},
 * vector leaves, re-coded string categories, any other objective, and every malformed or
 * oversized file (at most {@link #MAX_BYTES} bytes, {@link TreeEnsemble#MAX_TREES} trees, {@link
 * DecisionTree#MAX_DEPTH} levels).
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class XGBoostModelReader {
  /** What the ensembles' {@link TreeEnsemble#source()} starts with; the objective's name follows. */
  public static final String SOURCE_PREFIX = "XGBoost ";

  /** Why a model without trees is refused: one score for every row is no credit model. */
  static final String NO_TREES = "the model has no trees: it would give every row the same score (its base score);"
      + " export it after training";

  /** Largest file accepted. */
  public static final long MAX_BYTES = 256L << 20;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // Some writers emit NaN/Infinity literals; accept them so the field can be named and refused.
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64).maxNumberLength(400).maxStringLength(1 << 20).build());
  }

  private XGBoostModelReader() {}

  /** Reads a model file; a {@link ModelFormatException} names the file ({@link ModelFormatException#inFile}). */
  public static TreeEnsemble read(Path file) throws ModelFormatException, IOException {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new ModelFormatException("", "the file is " + size + " bytes, more than the limit " + MAX_BYTES);
      }
      try (InputStream in = Files.newInputStream(file)) {
        return read(in);
      }
    } catch (ModelFormatException e) {
      throw e.inFile(file);
    }
  }

  /** Reads a model from a stream of at most {@link #MAX_BYTES} bytes (the stream is not closed). */
  public static TreeEnsemble read(InputStream in) throws ModelFormatException, IOException {
    byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new ModelFormatException("", "model is larger than the limit of " + MAX_BYTES + " bytes");
    }
    return read(bytes);
  }

  /**
   * Reads a model from the bytes of a JSON or UBJSON file; UBJSON ({@code .ubj}, XGBoost's default
   * since 2.0) is recognised by its second byte: after the opening {@code '{'} JSON text continues
   * with whitespace or a quote, UBJSON with a length or container marker.
   */
  public static TreeEnsemble read(byte[] json) throws ModelFormatException {
    if (json.length > MAX_BYTES) {
      throw new ModelFormatException("", "model is larger than the limit of " + MAX_BYTES + " bytes");
    }
    if (Ubjson.looksLikeUbjson(json)) {
      JsonNode root = Ubjson.parse(json);
      if (!root.isObject()) {
        throw new ModelFormatException("", "expected a UBJSON object with a \"learner\" member");
      }
      return readLearner(root);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException("", "not valid JSON: " + io.chainscore.scoring.spi.JsonSyntax.problem(e), e);
    } catch (IOException e) {
      throw new ModelFormatException("", "unreadable JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException("", "expected a JSON object with a \"learner\" member");
    }
    return readLearner(root);
  }

  private static TreeEnsemble readLearner(JsonNode root) throws ModelFormatException {
    JsonNode learner = object(root, "learner", "learner");
    JsonNode param = object(learner, "learner_model_param", "learner.learner_model_param");
    String objective = string(object(learner, "objective", "learner.objective"), "name", "learner.objective.name");
    int numClass = intString(param, "num_class", "learner.learner_model_param.num_class", 0, Integer.MAX_VALUE, 0);
    if (numClass > 1) {
      throw new ModelFormatException("learner.learner_model_param.num_class",
          "multiclass models (num_class = " + numClass + ") are not supported");
    }
    int numTarget = intString(param, "num_target", "learner.learner_model_param.num_target", 0, Integer.MAX_VALUE, 1);
    if (numTarget > 1) {
      throw new ModelFormatException("learner.learner_model_param.num_target",
          "multi-target models (num_target = " + numTarget + ") are not supported");
    }
    int numFeature = intString(param, "num_feature", "learner.learner_model_param.num_feature",
        0, TreeEnsemble.MAX_FEATURES, -1);
    float baseScore = baseScore(param);

    TreeEnsemble.Link link;
    float baseMargin;
    switch (objective) {
      case "binary:logistic", "reg:logistic" -> {
        link = TreeEnsemble.Link.LOGISTIC;
        baseMargin = probToMargin(baseScore);
      }
      case "binary:logitraw" -> {
        // logitraw keeps base_score as the margin (no logit), verified against xgboost4j 3.4.
        link = TreeEnsemble.Link.IDENTITY;
        baseMargin = baseScore;
      }
      case "reg:squarederror", "reg:linear", "reg:absoluteerror", "reg:pseudohubererror" -> {
        link = TreeEnsemble.Link.IDENTITY;
        baseMargin = baseScore;
      }
      default -> throw new ModelFormatException("learner.objective.name",
          "objective '" + objective + "' is not supported (binary:logistic, reg:logistic, "
              + "binary:logitraw, reg:squarederror, reg:absoluteerror, reg:pseudohubererror)");
    }

    List<String> names = new ArrayList<>(numFeature);
    JsonNode featureNames = learner.get("feature_names");
    if (featureNames != null && featureNames.isArray() && featureNames.size() > 0) {
      checkSize(featureNames, numFeature, "learner.feature_names");
      for (int i = 0; i < numFeature; i++) {
        JsonNode n = featureNames.get(i);
        if (!n.isTextual() || n.asText().isEmpty()) {
          throw new ModelFormatException("learner.feature_names[" + i + "]", "expected a non-empty string");
        }
        names.add(n.asText());
      }
    } else {
      for (int i = 0; i < numFeature; i++) {
        names.add("f" + i);
      }
    }
    List<Boolean> categoricalFeatures = new ArrayList<>(numFeature);
    JsonNode featureTypes = learner.get("feature_types");
    boolean typed = featureTypes != null && featureTypes.isArray() && featureTypes.size() > 0;
    if (typed) {
      checkSize(featureTypes, numFeature, "learner.feature_types");
    }
    for (int i = 0; i < numFeature; i++) {
      String type = typed ? featureTypes.get(i).asText() : "q";
      switch (type) {
        case "q", "float", "int", "i" -> categoricalFeatures.add(false);
        case "c" -> categoricalFeatures.add(true);
        default -> throw new ModelFormatException("learner.feature_types[" + i + "]",
            "unknown feature type '" + type + "' (expected q, float, int, i or c)");
      }
    }

    JsonNode booster = object(learner, "gradient_booster", "learner.gradient_booster");
    String boosterName = string(booster, "name", "learner.gradient_booster.name");
    JsonNode model;
    String modelPath;
    JsonNode weightDrop;
    String weightPath;
    if (boosterName.equals("gbtree")) {
      modelPath = "learner.gradient_booster.model";
      model = object(booster, "model", modelPath);
      weightDrop = model.get("weight_drop");
      weightPath = modelPath + ".weight_drop";
    } else if (boosterName.equals("dart")) {
      JsonNode gbtree = object(booster, "gbtree", "learner.gradient_booster.gbtree");
      modelPath = "learner.gradient_booster.gbtree.model";
      model = object(gbtree, "model", modelPath);
      weightDrop = booster.get("weight_drop");
      weightPath = "learner.gradient_booster.weight_drop";
      if (weightDrop == null) {
        throw new ModelFormatException(weightPath, "a dart booster needs weight_drop");
      }
    } else {
      throw new ModelFormatException("learner.gradient_booster.name",
          "booster '" + boosterName + "' is not supported (gbtree, dart)");
    }
    JsonNode cats = model.get("cats");
    if (cats != null && cats.has("enc") && cats.get("enc").isArray() && cats.get("enc").size() > 0) {
      throw new ModelFormatException(modelPath + ".cats.enc",
          "re-coded string categories are not supported; train on category indexes");
    }
    JsonNode treeParam = object(model, "gbtree_model_param", modelPath + ".gbtree_model_param");
    int declaredTrees = intString(treeParam, "num_trees", modelPath + ".gbtree_model_param.num_trees",
        0, TreeEnsemble.MAX_TREES, -1);
    JsonNode trees = array(model, "trees", modelPath + ".trees");
    checkSize(trees, declaredTrees, modelPath + ".trees");
    if (declaredTrees == 0) {
      // XGBoost saves a booster before its first round too; it predicts the base score for every row
      throw new ModelFormatException(modelPath + ".trees", NO_TREES);
    }
    JsonNode treeInfo = model.get("tree_info");
    if (treeInfo != null) {
      checkSize(treeInfo, declaredTrees, modelPath + ".tree_info");
      for (int t = 0; t < declaredTrees; t++) {
        if (!treeInfo.get(t).isIntegralNumber() || treeInfo.get(t).asInt() != 0) {
          throw new ModelFormatException(modelPath + ".tree_info[" + t + "]",
              "expected output group 0 (multiclass models are not supported), got " + treeInfo.get(t));
        }
      }
    }
    float[] weights = null;
    if (weightDrop != null) {
      if (!weightDrop.isArray()) {
        throw new ModelFormatException(weightPath, "expected an array of tree weights");
      }
      checkSize(weightDrop, declaredTrees, weightPath);
      weights = new float[declaredTrees];
      for (int t = 0; t < declaredTrees; t++) {
        weights[t] = floatValue(weightDrop.get(t), weightPath + "[" + t + "]");
      }
    }
    List<DecisionTree> result = new ArrayList<>(declaredTrees);
    for (int t = 0; t < declaredTrees; t++) {
      result.add(XGBoostTreeReader.readTree(trees.get(t), modelPath + ".trees[" + t + "]", numFeature,
          weights == null ? 1.0f : weights[t]));
    }
    TreeEnsemble ensemble = TreeEnsemble.of(names, categoricalFeatures, result, baseMargin, link, 1.0,
        TreeEnsemble.Precision.FLOAT32, SOURCE_PREFIX + objective);
    // logitraw is trained with the logistic loss: its margin is a log-odds, though output as is
    ensemble = objective.equals("binary:logitraw") ? ensemble.withLogOddsMargin() : ensemble;
    // chainscore export xgboost records the bundle's calibration and scales here, for its import
    java.util.Map<String, String> records = new java.util.TreeMap<>();
    for (String name : io.chainscore.scoring.tree.TreeExports.RESTORED_RECORDS) {
      JsonNode record = learner.path("attributes").path(name);
      if (!record.isMissingNode()) {
        if (!record.isTextual()) {
          throw new ModelFormatException("learner.attributes." + name,
              "expected a string (a bundle's field as JSON text), got " + record.getNodeType());
        }
        records.put(name, record.asText());
      }
    }
    return records.isEmpty() ? ensemble : ensemble.withRecords(records);
  }

  /**
   * XGBoost's margin-space start for logistic objectives, computed in float32 as XGBoost does:
   * {@code -log(1 / v - 1)}.
   */
  static float probToMargin(float probability) throws ModelFormatException {
    if (!(probability > 0.0f && probability < 1.0f)) {
      throw new ModelFormatException("learner.learner_model_param.base_score",
          "a logistic objective needs base_score in (0, 1), got " + probability);
    }
    float odds = 1.0f / probability - 1.0f;
    return -(float) Math.log(odds);
  }

  static float baseScore(JsonNode param) throws ModelFormatException {
    String field = "learner.learner_model_param.base_score";
    JsonNode node = param.get("base_score");
    if (node == null) {
      throw new ModelFormatException(field, "missing");
    }
    String text = node.isTextual() ? node.asText() : node.isNumber() ? node.asText() : null;
    if (text == null) {
      throw new ModelFormatException(field, "expected a number in a string, got " + node);
    }
    if (text.startsWith("[")) {
      if (!text.endsWith("]")) {
        throw new ModelFormatException(field, "unterminated array '" + text + "'");
      }
      String inner = text.substring(1, text.length() - 1);
      if (inner.contains(",")) {
        throw new ModelFormatException(field, "one base score per class/target ('" + text
            + "') is not supported: expected a single value");
      }
      text = inner;
    }
    float v;
    try {
      // Strict: Float.parseFloat would also take " 5E-1 ", hex floats and a type suffix.
      if (!CsvReader.isNumber(text)) {
        throw new NumberFormatException(text);
      }
      v = Float.parseFloat(text);
    } catch (NumberFormatException e) {
      throw new ModelFormatException(field, "expected a number, got '" + text + "'");
    }
    if (!Float.isFinite(v)) {
      throw new ModelFormatException(field, "expected a finite number, got '" + text + "'");
    }
    return v;
  }

}

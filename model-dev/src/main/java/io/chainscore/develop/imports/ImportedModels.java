package io.chainscore.develop.imports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.TreeEnsembleCodec;
import java.util.Arrays;

/**
 * Wraps a tree ensemble trained elsewhere (XGBoost, LightGBM) into a ChainScore model bundle: the
 * model's own feature schema (every feature passes missing values to the trees, which route
 * them), the tree node, the score scale, a master scale, one reason code per feature, and golden
 * rows scored by the compiled model so the bundle verifies itself on every load.
 *
 * <p>The margin of a logistic-link model is the log-odds of default, so no calibration is added;
 * the PD is {@code 1 / (1 + exp(-margin))} in double precision (XGBoost's own probability is
 * float32; the margins are bit-identical, the PDs agree within float32 rounding).
 *
 * <p>Thread safety: stateless.
 */
public final class ImportedModels {
  private ImportedModels() {}

  /**
   * The bundle of {@code ensemble}.
   *
   * @throws ModelFormatException when the model is not a binary classifier with a logistic link
   *     (a regression output is not a probability of default)
   */
  public static ModelBundle wrap(TreeEnsemble ensemble, String modelId, String modelVersion, String trainedAt,
      String dataSha256) throws ModelFormatException {
    return wrap(ensemble, null, modelId, modelVersion, trainedAt, dataSha256);
  }

  /**
   * The bundle of {@code ensemble} over a given feature schema (for example the standard
   * features, so the bundle scores ChainScore feature tables directly); the model's features are
   * matched to the schema by name (exactly, or lower-cased with non-alphanumerics as {@code _}).
   *
   * @param schema the bundle's schema, or null for the model's own ({@link TreeEnsemble#defaultSchema()})
   * @throws ModelFormatException when a model feature is not in the schema, or for a regression model
   */
  public static ModelBundle wrap(TreeEnsemble ensemble, FeatureSchema schema, String modelId, String modelVersion,
      String trainedAt, String dataSha256) throws ModelFormatException {
    if (ensemble.link() != TreeEnsemble.Link.LOGISTIC) {
      throw new ModelFormatException("objective",
          "only binary classifiers (binary:logistic, binary:logitraw, LightGBM binary) can be wrapped into a credit"
              + " bundle; this model has an identity link (regression), whose output is not a log-odds of default");
    }
    if (schema == null) {
      schema = ensemble.defaultSchema();
    }
    ensemble.compile(schema);
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode root = json.objectNode();
    root.put("format", "chainscore-model-bundle");
    root.put("format_version", 1);
    root.put("model_id", modelId);
    root.put("model_version", modelVersion);
    root.put("description", "Imported from " + ensemble.source() + " (" + ensemble.trees().size() + " trees).");
    ArrayNode features = root.putArray("features");
    ArrayNode reasons = json.arrayNode();
    for (int j = 0; j < schema.size(); j++) {
      FeatureSpec f = schema.feature(j);
      String code = String.format("R%02d", j + 1);
      io.chainscore.develop.BundleJson.putFeature(features, f, code);
      reasons.addObject().put("code", code).put("text", "Contribution of " + f.name());
    }
    ObjectNode scale = root.putObject("score_scale");
    scale.put("pdo", 20);
    scale.put("base_score", 600);
    scale.put("base_odds", 50);
    root.set("model", TreeEnsembleCodec.write(ensemble));
    root.putObject("calibration").put("kind", "none");
    io.chainscore.develop.BundleJson.putDefaultMasterScale(root);
    root.set("reason_codes", reasons);
    ObjectNode provenance = root.putObject("provenance");
    provenance.put("trained_at", trainedAt);
    provenance.put("training_data_sha256", dataSha256);
    provenance.put("trainer", "imported from " + ensemble.source());
    return io.chainscore.develop.BundleJson.sealWithGoldenRows(root, schema, java.util.List.of(goldenInputs(schema)));
  }

  /** All missing; all zero (category 0); all one (last category). */
  private static double[][] goldenInputs(FeatureSchema schema) {
    int p = schema.size();
    double[] missing = new double[p];
    Arrays.fill(missing, Double.NaN);
    double[] zero = new double[p];
    double[] one = new double[p];
    for (int j = 0; j < p; j++) {
      FeatureSpec f = schema.feature(j);
      // Inside each feature's valid range, so the golden rows never hit a refusal policy.
      zero[j] = f.type() == FeatureType.CATEGORICAL ? 0 : Math.max(f.min(), Math.min(f.max(), 0));
      one[j] = f.type() == FeatureType.CATEGORICAL ? f.categories().size() - 1 : Math.max(f.min(), Math.min(f.max(), 1));
    }
    return new double[][] {missing, zero, one};
  }
}

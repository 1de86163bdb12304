package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.spi.BundleBuilder;
import io.chainscore.scoring.spi.TreeEnsembleView;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import io.chainscore.scoring.tree.xgboost.XGBoostModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link XGBoostModelWriter} against xgboost4j 3.4: a model trained by XGBoost (NaN, categorical
 * splits), imported, put in a bundle and exported loads in xgboost4j and predicts the imported
 * model's margins bit for bit on 10,000 random rows and every threshold's neighbours
 * ({@link XGBoostParityTest#assertBitIdentical}); read back by {@link XGBoostModelReader}, it is
 * the same model; and what XGBoost cannot hold is refused naming the field.
 */
class XGBoostExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void exported_loadsInXgboost_andPredictsTheBundlesMarginsBitForBit() throws Exception {
    for (String objective : List.of("binary:logistic", "binary:logitraw")) {
      XGBoostTraining trained = XGBoostTraining.train("export-" + objective.replace(':', '-'),
          Map.of("objective", objective, "base_score", 0.37), 25, 3);
      TreeEnsemble imported = XGBoostModelReader.read(trained.json);
      ModelBundle bundle = bundle(imported);
      Path exported = Path.of("target", "trees-test", "exported-" + objective.replace(':', '-') + ".json");
      XGBoostModelWriter.write(bundle, exported);
      XGBoostTraining loaded = XGBoostTraining.load(exported);
      try {
        // xgboost4j reading the exported file gives the imported model's margins, bit for bit
        XGBoostParityTest.assertBitIdentical(loaded, imported, 11);
        // and it is the model XGBoost saved: the original booster predicts the same
        XGBoostParityTest.assertBitIdentical(trained, XGBoostModelReader.read(exported), 12);
      } finally {
        loaded.dispose();
        trained.dispose();
      }
      JsonNode doc = JSON.readTree(exported.toFile());
      JsonNode learner = doc.get("learner");
      assertThat(learner.get("objective").get("name").asText()).isEqualTo(objective);
      assertThat(learner.get("feature_types").toString()).isEqualTo("[\"q\",\"c\",\"q\",\"q\",\"c\",\"q\"]");
      assertThat(learner.get("attributes").get("chainscore_model_id").asText()).isEqualTo("export-test");
      assertThat(JSON.readTree(learner.get("attributes").get("chainscore_calibration").asText()).get("kind").asText())
          .isEqualTo("logistic");
      JsonNode policies = JSON.readTree(learner.get("attributes").get("chainscore_feature_policies").asText());
      assertThat(policies.get("features")).hasSize(XGBoostTraining.FEATURES);
      assertThat(policies.get("features").get(0).get("max").asDouble()).isEqualTo(1e6);
      // the same bundle, the same bytes
      assertThat(XGBoostModelWriter.toJson(bundle)).isEqualTo(Files.readString(exported));
    }
  }

  @Test
  void whatXgboostCannotHold_isRefusedNamingTheField() throws Exception {
    Random random = new Random(5);
    TreeEnsemble float64 = TreeScorerBatchTest.numericEnsemble(random, TreeEnsemble.Precision.FLOAT64, 5, 3);
    assertThatThrownBy(() -> XGBoostModelWriter.toJson(TreeScorerBatchTest.bundle(float64)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("model.precision");
    // a logistic scale (LightGBM's sigmoid:) is folded into the trees' weights by the bundle; XGBoost
    // has neither: refused at the first tree
    TreeEnsemble scaled = TreeEnsemble.of(float64.featureNames(), float64.categoricalFeatures(),
        TreeScorerBatchTest.numericEnsemble(random, TreeEnsemble.Precision.FLOAT32, 5, 3).trees(), 0.5f,
        TreeEnsemble.Link.LOGISTIC, 2.0, TreeEnsemble.Precision.FLOAT32, "scaled");
    assertThatThrownBy(() -> XGBoostModelWriter.toJson(TreeScorerBatchTest.bundle(scaled)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("model.trees[0]: tree weight 2.0");
    // a float32 tree whose missing values go by LightGBM's "None" rule (compared as 0)
    DecisionTree zero = DecisionTree.of("t", 6, new int[] {1, -1, -1}, new int[] {2, -1, -1}, new int[] {0, 0, 0},
        new double[] {0.5, 0, 0}, new boolean[3], new int[3][], new boolean[] {true, false, false},
        new DecisionTree.MissingRule[] {DecisionTree.MissingRule.NAN_AS_ZERO, DecisionTree.MissingRule.NAN_TO_DEFAULT,
            DecisionTree.MissingRule.NAN_TO_DEFAULT}, new double[] {0, -0.25, 0.5}, new double[] {10, 4, 6}, 1.0);
    TreeEnsemble rules = TreeEnsemble.of(float64.featureNames(), float64.categoricalFeatures(), List.of(zero), 0.5f,
        TreeEnsemble.Link.LOGISTIC, 1.0, TreeEnsemble.Precision.FLOAT32, "rules");
    assertThatThrownBy(() -> XGBoostModelWriter.toJson(TreeScorerBatchTest.bundle(rules)))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("model.trees[0].nodes[0]: missing values go by LightGBM's rule NAN_AS_ZERO");
  }

  /** A bundle of the training's six features (1 and 4 categorical), Platt-calibrated as trained bundles are. */
  private static ModelBundle bundle(TreeEnsemble ensemble) throws Exception {
    BundleBuilder b = BundleBuilder.create("export-test", "1.0.0");
    for (int f = 0; f < XGBoostTraining.FEATURES; f++) {
      int categories = XGBoostTraining.CATEGORY_COUNT[f];
      FeatureSpec spec;
      if (categories > 0) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < categories; c++) {
          names.add("c" + c);
        }
        spec = FeatureSpec.categorical(ensemble.featureNames().get(f), names, "feature " + f);
      } else {
        spec = FeatureSpec.numeric(ensemble.featureNames().get(f), "", -1e6, 1e6, "feature " + f);
      }
      b.feature(BundleBuilder.Feature.of(spec).withReasonCode("R" + (f % 2)));
    }
    b.reasonCode("R0", "reason 0").reasonCode("R1", "reason 1");
    return b.scoreScale(20, 600, 50).logisticCalibration(-0.2, 0.9).model(new TreeEnsembleView(ensemble))
        .provenance(new ModelBundle.Provenance("2026-01-01T00:00:00Z", "0".repeat(64), "test")).build();
  }
}

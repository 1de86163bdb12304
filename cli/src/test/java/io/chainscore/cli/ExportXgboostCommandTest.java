package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.Explanation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.TreeEnsembleView;
import io.chainscore.scoring.spi.ViewAccess;
import io.chainscore.scoring.tree.TreeEnsemble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainscore export xgboost} as a model developer moves a model out: the bundled trees,
 * exported, load in xgboost4j 3.4 (the library a Python or JVM user scores with), whose raw margins
 * on the bundle's golden rows (after its feature policies) are the bundle's bit for bit, and whose
 * recorded calibration turns them into the bundle's PDs; a model XGBoost cannot hold is refused.
 */
class ExportXgboostCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void bundledTrees_exported_loadInXgboost4j_withTheBundlesMarginsAndPds() throws Exception {
    Path out = dir.resolve("models/gbdt.json");
    CliRun run = CliRun.of("export", "xgboost", "--model", DefaultModels.GBDT, "--out", out.toString(), "--json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode printed = JSON.readTree(run.out());
    assertThat(printed.get("format").asText()).isEqualTo("xgboost");
    assertThat(printed.get("bytes").asLong()).isEqualTo(Files.size(out));

    ModelBundle bundle = DefaultModels.gbdt();
    TreeEnsemble ensemble = ((TreeEnsembleView) ModelView.of(bundle)).ensemble();
    List<String> names = ensemble.featureNames();
    List<double[]> golden = ViewAccess.goldenInputs(bundle);
    assertThat(golden).hasSizeGreaterThan(5);
    int width = names.size();
    float[] x = new float[golden.size() * width];
    Explanation[] explained = new Explanation[golden.size()];
    for (int r = 0; r < golden.size(); r++) {
      explained[r] = bundle.scorer().explain(golden.get(r));
      // the values the trees read: the row after the bundle's policies, in the model's feature order
      for (int j = 0; j < width; j++) {
        int column = bundle.schema().indexOf(names.get(j));
        x[r * width + j] = (float) explained[r].items().get(column).numericValue();
      }
    }
    Booster booster = XGBoost.loadModel(out.toString());
    DMatrix matrix = new DMatrix(x, golden.size(), width, Float.NaN);
    float[][] margins = booster.predict(matrix, true);
    JsonNode calibration = JSON.readTree(booster.getAttr("chainscore_calibration"));
    JsonNode policies = JSON.readTree(booster.getAttr("chainscore_feature_policies"));
    assertThat(policies.get("features")).hasSize(bundle.schema().size());
    assertThat(policies.get("max_missing_share").asDouble()).isEqualTo(0.5);
    matrix.dispose();
    booster.dispose();
    assertThat(calibration.get("kind").asText()).isEqualTo("logistic");
    for (int r = 0; r < golden.size(); r++) {
      assertThat(margins[r][0]).as("row %d", r).isEqualTo((float) explained[r].margin());
      double pd = 1 / (1 + Math.exp(-(calibration.get("intercept").asDouble()
          + calibration.get("slope").asDouble() * margins[r][0])));
      assertThat(pd).as("row %d", r).isCloseTo(explained[r].score().pd(), within(1e-12));
    }
  }

  @Test
  void modelsXgboostCannotHold_areRefusedInOneLine_exit2_nothingWritten() {
    Path out = dir.resolve("x/card.json");
    CliRun card = CliRun.of("export", "xgboost", "--model", DefaultModels.SCORECARD, "--out", out.toString());
    assertThat(card.code()).isEqualTo(2);
    assertThat(card.err().strip()).contains("model.kind").contains("scorecard").contains("export it as PMML")
        .doesNotContain("\tat ");
    assertThat(card.err().strip().lines()).hasSize(1);
    assertThat(dir.resolve("x")).doesNotExist();
    CliRun unknown = CliRun.of("export", "onnx", "--out", dir.resolve("m.onnx").toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("expected pmml, xgboost or lightgbm");
  }
}

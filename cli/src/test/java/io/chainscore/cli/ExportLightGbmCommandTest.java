package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.Explanation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.TreeEnsembleView;
import io.chainscore.scoring.spi.ViewAccess;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.testing.lightgbm.LightGbmNative;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainscore export lightgbm} as a model developer moves a model out: the bundled trees
 * (trained by the xgboost engine, compared in float32), exported, load in LightGBM 3.3.5 (the C
 * library Python's {@code lightgbm} wraps), whose raw scores on the bundle's golden rows (after its
 * feature policies) are the bundle's margins to float32 rounding, and whose recorded calibration
 * turns them into the bundle's PDs; a LightGBM model imported and exported again gives LightGBM its
 * own raw scores bit for bit; a model LightGBM cannot hold is refused in one line.
 */
class ExportLightGbmCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void bundledTrees_exported_loadInLightGbm_withTheBundlesMarginsAndPds() throws Exception {
    Path out = dir.resolve("models/gbdt.txt");
    CliRun run = CliRun.of("export", "lightgbm", "--model", DefaultModels.GBDT, "--out", out.toString(), "--json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode printed = JSON.readTree(run.out());
    assertThat(printed.get("format").asText()).isEqualTo("lightgbm");
    assertThat(printed.get("bytes").asLong()).isEqualTo(Files.size(out));

    ModelBundle bundle = DefaultModels.gbdt();
    TreeEnsemble ensemble = ((TreeEnsembleView) ModelView.of(bundle)).ensemble();
    assertThat(ensemble.precision()).isEqualTo(TreeEnsemble.Precision.FLOAT32);
    List<String> names = ensemble.featureNames();
    List<double[]> golden = ViewAccess.goldenInputs(bundle);
    assertThat(golden).hasSizeGreaterThan(5);
    int width = names.size();
    double[] x = new double[golden.size() * width];
    Explanation[] explained = new Explanation[golden.size()];
    for (int r = 0; r < golden.size(); r++) {
      explained[r] = bundle.scorer().explain(golden.get(r));
      for (int j = 0; j < width; j++) {
        x[r * width + j] = explained[r].items().get(bundle.schema().indexOf(names.get(j))).numericValue();
      }
    }
    String text = Files.readString(out);
    JsonNode calibration = JSON.readTree(parameter(text, "chainscore_calibration"));
    JsonNode policies = JSON.readTree(parameter(text, "chainscore_feature_policies"));
    assertThat(policies.get("features")).hasSize(bundle.schema().size());
    assertThat(parameter(text, "chainscore_model_id")).isEqualTo(bundle.modelId());
    assertThat(calibration.get("kind").asText()).isEqualTo("logistic");
    try (LightGbmNative lightgbm = LightGbmNative.fromFile(out, width)) {
      double[] raw = lightgbm.predict(x, golden.size(), lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
      for (int r = 0; r < golden.size(); r++) {
        double margin = explained[r].margin();
        assertThat(raw[r]).as("row %d", r).isCloseTo(margin, within(1e-5 * (1 + Math.abs(margin))));
        double pd = 1 / (1 + Math.exp(-(calibration.get("intercept").asDouble()
            + calibration.get("slope").asDouble() * raw[r])));
        assertThat(pd).as("row %d", r).isCloseTo(explained[r].score().pd(), within(1e-6));
      }
    }
    // the same bundle, the same bytes
    Path again = dir.resolve("again.txt");
    assertThat(CliRun.of("export", "lightgbm", "--model", DefaultModels.GBDT, "--out", again.toString()).code()).isZero();
    assertThat(Files.readString(again)).isEqualTo(text);
  }

  @Test
  void lightGbmModel_importedAndExportedAgain_givesLightGbmItsRawScoresBitForBit() throws Exception {
    java.util.Random random = new java.util.Random(3);
    int n = 2000;
    int p = 4;
    double[] x = new double[n * p];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < p; f++) {
        x[i * p + f] = random.nextInt(10) == 0 ? Double.NaN : random.nextGaussian();
      }
      y[i] = (Double.isNaN(x[i * p]) ? 0.3 : x[i * p]) + 0.5 * random.nextGaussian() > 0 ? 1 : 0;
    }
    try (LightGbmNative trained = LightGbmNative.train(x, y, n, p, "objective=binary num_leaves=7 num_threads=1 verbose=-1"
        + " deterministic=true seed=1", 20)) {
      Path model = Files.writeString(dir.resolve("lgbm.txt"), trained.modelText());
      Path bundle = dir.resolve("bundle.json");
      CliRun imported = CliRun.of("import", "lightgbm", "--source", model.toString(), "--out", bundle.toString(),
          "--max-missing-share", "1");
      assertThat(imported.code()).as(imported.err()).isZero();
      Path out = dir.resolve("exported.txt");
      CliRun exported = CliRun.of("export", "lightgbm", "--model", bundle.toString(), "--out", out.toString());
      assertThat(exported.code()).as(exported.err()).isZero();
      try (LightGbmNative loaded = LightGbmNative.fromFile(out, p)) {
        double[] expected = trained.predict(x, n, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
        double[] actual = loaded.predict(x, n, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
        for (int r = 0; r < n; r++) {
          assertThat(Double.doubleToLongBits(actual[r])).as("row %d", r).isEqualTo(Double.doubleToLongBits(expected[r]));
        }
      }
    }
  }

  /**
   * Smile's trees (float64; German credit) exported: LightGBM's raw scores are the bundle's margins
   * bit for bit on 5,000 random rows (every category index of the categorical features, NaN, values
   * on and beside every threshold).
   */
  @Test
  void smileTrees_exported_giveLightGbmTheBundlesMarginsBitForBit() throws Exception {
    Path bundleFile = dir.resolve("smile.json");
    CliRun trained = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability",
        "--event-label", "bad", "--model-type", "gbdt", "--engine", "smile", "--trees", "20", "--reason-reference",
        "training-average", "--out", bundleFile.toString());
    assertThat(trained.code()).as(trained.err()).isZero();
    ModelBundle bundle = ModelBundle.read(bundleFile);
    TreeEnsemble ensemble = ((TreeEnsembleView) ModelView.of(bundle)).ensemble();
    assertThat(ensemble.precision()).isEqualTo(TreeEnsemble.Precision.FLOAT64);
    Path out = dir.resolve("smile.txt");
    CliRun exported = CliRun.of("export", "lightgbm", "--model", bundleFile.toString(), "--out", out.toString());
    assertThat(exported.code()).as(exported.err()).isZero();
    int p = ensemble.featureNames().size();
    java.util.List<java.util.List<Double>> thresholds = new java.util.ArrayList<>();
    for (int f = 0; f < p; f++) {
      thresholds.add(new java.util.ArrayList<>());
    }
    for (io.chainscore.scoring.tree.DecisionTree tree : ensemble.trees()) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (!tree.isLeaf(i) && !tree.isCategorical(i)) {
          thresholds.get(tree.splitFeature(i)).add(tree.threshold(i));
        }
      }
    }
    java.util.Random random = new java.util.Random(5);
    int n = 5_000;
    double[] x = new double[n * p];
    for (int r = 0; r < n; r++) {
      for (int f = 0; f < p; f++) {
        String name = ensemble.featureNames().get(f);
        io.chainscore.features.FeatureSpec spec = bundle.schema().feature(bundle.schema().indexOf(name));
        java.util.List<Double> cuts = thresholds.get(f);
        double v;
        if (random.nextInt(12) == 0) {
          v = Double.NaN;
        } else if (ensemble.categoricalFeatures().get(f)) {
          v = random.nextInt(spec.categories().size());
        } else if (!cuts.isEmpty() && random.nextBoolean()) {
          double t = cuts.get(random.nextInt(cuts.size()));
          v = switch (random.nextInt(3)) {
            case 0 -> t;
            case 1 -> Math.nextUp(t);
            default -> Math.nextDown(t);
          };
        } else {
          v = cuts.isEmpty() ? random.nextGaussian() : cuts.get(random.nextInt(cuts.size())) * (0.5 + random.nextDouble());
        }
        x[r * p + f] = v;
      }
    }
    double[] margins = new double[n];
    ensemble.compile().margins(x, n, p, margins);
    try (LightGbmNative lightgbm = LightGbmNative.fromFile(out, p)) {
      double[] raw = lightgbm.predict(x, n, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
      for (int r = 0; r < n; r++) {
        assertThat(Double.doubleToLongBits(raw[r])).as("row %d: %s against %s", r, raw[r], margins[r])
            .isEqualTo(Double.doubleToLongBits(margins[r]));
      }
    }
  }

  /**
   * An XGBoost model pruned in training (risk-core's fixture {@code trees/valid/xgboost-pruned.json},
   * through its test jar), whose arrays keep deleted nodes the root never reaches, imported and
   * exported: LightGBM loads the file (it refused one listing the deleted nodes) with the bundle's
   * margins to float32 rounding on random rows, and {@code import lightgbm} reads it back.
   */
  @Test
  void prunedXgboostModel_importedAndExported_loadsInLightGbm_andImportsAgain() throws Exception {
    Path source = dir.resolve("xgb-pruned.json");
    try (java.io.InputStream in = getClass().getResourceAsStream("/trees/valid/xgboost-pruned.json")) {
      Files.write(source, in.readAllBytes());
    }
    Path bundleFile = dir.resolve("pruned.json");
    CliRun imported = CliRun.of("import", "xgboost", "--source", source.toString(), "--out", bundleFile.toString());
    assertThat(imported.code()).as(imported.err()).isZero();
    Path out = dir.resolve("pruned.txt");
    CliRun exported = CliRun.of("export", "lightgbm", "--model", bundleFile.toString(), "--out", out.toString());
    assertThat(exported.code()).as(exported.err()).isZero();
    TreeEnsemble ensemble = ((TreeEnsembleView) ModelView.of(ModelBundle.read(bundleFile))).ensemble();
    int p = ensemble.featureNames().size();
    java.util.Random random = new java.util.Random(8);
    int n = 2000;
    double[] x = new double[n * p];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextInt(10) == 0 ? Double.NaN : random.nextGaussian();
    }
    double[] margins = new double[n];
    ensemble.compile().margins(x, n, p, margins);
    try (LightGbmNative lightgbm = LightGbmNative.fromFile(out, p)) {
      double[] raw = lightgbm.predict(x, n, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
      for (int r = 0; r < n; r++) {
        assertThat(raw[r]).as("row %d", r).isCloseTo(margins[r], within(1e-5 * (1 + Math.abs(margins[r]))));
      }
    }
    CliRun again = CliRun.of("import", "lightgbm", "--source", out.toString(), "--out",
        dir.resolve("again.json").toString());
    assertThat(again.code()).as(again.err()).isZero();
  }

  @Test
  void modelsLightGbmCannotHold_areRefusedInOneLine_exit2_nothingWritten() {
    Path out = dir.resolve("x/card.txt");
    CliRun card = CliRun.of("export", "lightgbm", "--model", DefaultModels.SCORECARD, "--out", out.toString());
    assertThat(card.code()).isEqualTo(2);
    assertThat(card.err().strip()).contains("model.kind").contains("scorecard").contains("export it as PMML")
        .doesNotContain("\tat ");
    assertThat(card.err().strip().lines()).hasSize(1);
    assertThat(dir.resolve("x")).doesNotExist();
  }

  /** The value of {@code [key: value]} in the model's parameters section. */
  private static String parameter(String text, String key) {
    String start = "[" + key + ": ";
    int at = text.indexOf(start);
    assertThat(at).as(key).isPositive();
    return text.substring(at + start.length(), text.indexOf("]\n", at));
  }
}

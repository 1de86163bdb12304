package io.chainscore.develop.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

public class ImportedModelsTest {
  private static final String SHA = "0".repeat(64);

  private static ImportedModels.Options options(String modelId) {
    return ImportedModels.Options.builder().modelId(modelId).modelVersion("1").trainedAt("2025-01-01T00:00:00Z")
        .dataSha256(SHA).build();
  }

  /** A small binary:logistic XGBoost model: 2 trees over f0 (numeric) and f1 (BundleBytesTest uses it too). */
  public static final String XGBOOST = """
      {"learner": {"attributes": {}, "feature_names": ["amount", "late days"], "feature_types": ["float", "float"],
        "gradient_booster": {"model": {"gbtree_model_param": {"num_parallel_tree": "1", "num_trees": "2"},
          "iteration_indptr": [0, 1, 2],
          "tree_info": [0, 0],
          "trees": [
            {"base_weights": [0, 0, 0], "categories": [], "categories_nodes": [], "categories_segments": [],
             "categories_sizes": [], "default_left": [1, 0, 0], "id": 0, "left_children": [1, -1, -1],
             "loss_changes": [1, 0, 0], "parents": [2147483647, 0, 0], "right_children": [2, -1, -1],
             "split_conditions": [100.5, -0.4, 0.6], "split_indices": [0, 0, 0], "split_type": [0, 0, 0],
             "sum_hessian": [10, 6, 4], "tree_param": {"num_deleted": "0", "num_feature": "2", "num_nodes": "3", "size_leaf_vector": "1"}},
            {"base_weights": [0, 0, 0], "categories": [], "categories_nodes": [], "categories_segments": [],
             "categories_sizes": [], "default_left": [0, 0, 0], "id": 1, "left_children": [1, -1, -1],
             "loss_changes": [1, 0, 0], "parents": [2147483647, 0, 0], "right_children": [2, -1, -1],
             "split_conditions": [15, -0.2, 0.9], "split_indices": [1, 0, 0], "split_type": [0, 0, 0],
             "sum_hessian": [10, 7, 3], "tree_param": {"num_deleted": "0", "num_feature": "2", "num_nodes": "3", "size_leaf_vector": "1"}}]},
          "name": "gbtree"},
        "learner_model_param": {"base_score": "[5E-1]", "boost_from_average": "1", "num_class": "0", "num_feature": "2", "num_target": "1"},
        "objective": {"name": "binary:logistic", "reg_loss_param": {"scale_pos_weight": "1"}}},
       "version": [3, 4, 0]}
      """;

  @Test
  void wrap_xgboostModel_scoresLikeTheCompiledEnsembleWithTreeShapReasons() throws Exception {
    TreeEnsemble ensemble = XGBoostModelReader.read(XGBOOST.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ModelBundle bundle = ImportedModels.wrap(ensemble, options("imported"));
    assertThat(bundle.modelKind()).isEqualTo("tree_ensemble");
    assertThat(bundle.schema().feature(1).name()).isEqualTo("late_days");
    // Reload from text: the sha256 and the golden rows are checked again.
    ModelBundle reloaded = ModelBundle.fromJson(bundle.toJson());
    CompiledModel compiled = io.chainscore.scoring.tree.TreeEnsembleCodec.read(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundle.toJson()).get("model"), bundle.schema(), "model");
    SplittableRandom random = new SplittableRandom(3);
    double[] contributions = new double[2];
    for (int i = 0; i < 2000; i++) {
      double[] row = {random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * 200,
          random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * 30};
      ScoreResult r = reloaded.scorer().score(row);
      double margin = compiled.margin(row, 0);
      // By hand: base margin 0 (base_score 0.5) plus the two leaves, in float32.
      float expected = 0f;
      expected += (Double.isNaN(row[0]) || (float) row[0] < 100.5f) ? -0.4f : 0.6f;
      expected += (!Double.isNaN(row[1]) && (float) row[1] < 15f) ? -0.2f : 0.9f;
      assertThat(margin).isEqualTo((double) expected);
      assertThat(r.pd()).isCloseTo(1 / (1 + Math.exp(-margin)), org.assertj.core.data.Offset.offset(1e-15));
      compiled.contributions(row, 0, contributions);
      List<String> adverse = new ArrayList<>();
      if (contributions[0] > 0 && contributions[0] >= contributions[1]) {
        adverse.add("R01");
        if (contributions[1] > 0) {
          adverse.add("R02");
        }
      } else if (contributions[1] > 0) {
        adverse.add("R02");
        if (contributions[0] > 0) {
          adverse.add("R01");
        }
      }
      assertThat(r.reasonCodes()).isEqualTo(adverse);
    }
  }

  /**
   * XGBoost's binary:logitraw predicts the margin of a logistic model, a log-odds: its bundle's PD
   * is the margin's logistic (README and docs/tree-models.md list it; it was refused as a
   * regression). The margin is the ensemble's own, computed here without the bundle.
   */
  @Test
  void wrap_logitraw_scoresTheLogisticOfItsMargin() throws Exception {
    String logitraw = XGBOOST.replace("binary:logistic", "binary:logitraw");
    TreeEnsemble ensemble = XGBoostModelReader.read(logitraw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(ensemble.link()).isEqualTo(TreeEnsemble.Link.IDENTITY);
    // the reader says the margin is a log-odds; a regression's is not, whatever its source text
    assertThat(ensemble.marginIsLogOdds()).isTrue();
    assertThat(XGBoostModelReader.read(XGBOOST.replace("binary:logistic", "reg:squarederror")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).marginIsLogOdds()).isFalse();
    assertThat(ensemble.inLogOdds().marginIsLogOdds()).as("kept through a rescaling").isTrue();
    ModelBundle bundle = ImportedModels.wrap(ensemble, options("raw"));
    var margins = ensemble.compile(bundle.schema());
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      double[] row = new double[bundle.schema().size()];
      for (int j = 0; j < row.length; j++) {
        var f = bundle.schema().feature(j);
        row[j] = random.nextInt(6) == 0 ? Double.NaN
            : f.type() == io.chainscore.features.FeatureType.CATEGORICAL ? random.nextInt(f.categories().size())
            : random.nextDouble() * 10 - 5;
      }
      double expected = 1 / (1 + Math.exp(-margins.margin(row, 0)));
      assertThat(bundle.scorer().score(row).pd()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void wrap_regressionModel_isRefused() throws Exception {
    String regression = XGBOOST.replace("binary:logistic", "reg:squarederror");
    TreeEnsemble ensemble = XGBoostModelReader.read(regression.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ImportedModels.wrap(ensemble, options("m")))
        .hasMessageContaining("only binary classifiers");
  }

  @Test
  void options_withoutDataHash_isRefusedNamingIt() {
    assertThatThrownBy(() -> ImportedModels.Options.builder().modelId("m").modelVersion("1")
        .trainedAt("2025-01-01T00:00:00Z").build())
        .isInstanceOf(NullPointerException.class).hasMessage("dataSha256");
  }

  @Test
  void wrap_withATargetSchema_matchesTheModelsFeaturesByNormalisedName() throws Exception {
    TreeEnsemble ensemble = XGBoostModelReader.read(XGBOOST.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    io.chainscore.features.FeatureSchema target = io.chainscore.features.FeatureSchema.of(List.of(
        io.chainscore.features.FeatureSpec.numeric("region_code", "", 0, 9, "Not used by the model."),
        io.chainscore.features.FeatureSpec.numeric("late_days", "days", 0, 365, "Days late."),
        io.chainscore.features.FeatureSpec.numeric("amount", "EUR", 0, 1e9, "Amount.")));
    ModelBundle bundle = ImportedModels.wrap(ensemble, ImportedModels.Options.builder().modelId("imported")
        .modelVersion("1").trainedAt("2025-01-01T00:00:00Z").dataSha256(SHA).schema(target).build());
    assertThat(bundle.schema()).isEqualTo(target);
    // amount 150 (> 100.5: leaf 0.6) and late days 20 (> 15: leaf 0.9): margin 1.5 in float32.
    double margin = (float) ((float) 0.6 + (float) 0.9);
    assertThat(bundle.scorer().score(new double[] {0, 20, 150}).pd())
        .isCloseTo(1 / (1 + Math.exp(-margin)), org.assertj.core.data.Offset.offset(1e-12));
  }

  /**
   * What the README promises of an imported XGBoost model, against xgboost4j itself: margins
   * bit-identical; the bundle's PD is the double logistic of that margin, which differs from
   * xgboost4j's float32 probability by at most 2 float32 ulps of it (1.86 measured here: XGBoost's
   * float32 sigmoid rounds three times, the double one once).
   */
  @Test
  void wrap_xgboostTrainedByXgboost4j_marginsBitIdenticalPdWithinTwoFloatUlps() throws Exception {
    int p = 4;
    int n = 3000;
    java.util.Random random = new java.util.Random(11);
    float[] x = new float[n * p];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < p; f++) {
        x[i * p + f] = random.nextInt(10) == 0 ? Float.NaN : (float) random.nextGaussian();
      }
      double signal = (Float.isNaN(x[i * p]) ? 0 : x[i * p]) * 1.5 - (Float.isNaN(x[i * p + 1]) ? 0 : x[i * p + 1])
          + random.nextGaussian();
      y[i] = signal > 0.8 ? 1 : 0;
    }
    ml.dmlc.xgboost4j.java.DMatrix train = new ml.dmlc.xgboost4j.java.DMatrix(x, n, p, Float.NaN);
    train.setLabel(y);
    java.util.Map<String, Object> params = new java.util.HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("max_depth", 4);
    params.put("eta", 0.3);
    params.put("nthread", 1);
    params.put("tree_method", "hist");
    params.put("seed", 7);
    ml.dmlc.xgboost4j.java.Booster booster = ml.dmlc.xgboost4j.java.XGBoost.train(train, params, 40,
        new java.util.HashMap<>(), null, null);
    train.dispose();
    try {
      ModelBundle bundle = ImportedModels.wrap(XGBoostModelReader.read(booster.toByteArray("json")), options("x4j"));
      ml.dmlc.xgboost4j.java.DMatrix test = new ml.dmlc.xgboost4j.java.DMatrix(x, n, p, Float.NaN);
      float[][] margins = booster.predict(test, true);
      float[][] probabilities = booster.predict(test, false);
      test.dispose();
      TreeEnsemble ensemble = XGBoostModelReader.read(booster.toByteArray("json"));
      CompiledModel compiled = ensemble.compile(bundle.schema());
      double largest = 0;
      for (int r = 0; r < n; r++) {
        double[] row = new double[p];
        for (int f = 0; f < p; f++) {
          row[f] = x[r * p + f];
        }
        double margin = compiled.margin(row, 0);
        assertThat((float) margin).as("margin of row %d", r).isEqualTo(margins[r][0]);
        double pd = bundle.scorer().score(row).pd();
        assertThat(pd).isEqualTo(1 / (1 + Math.exp(-margin)));
        largest = Math.max(largest, Math.abs(pd - probabilities[r][0]) / Math.ulp(probabilities[r][0]));
      }
      assertThat(largest).as("largest PD difference in float32 ulps of xgboost4j's probability")
          .isGreaterThan(0.5).isLessThanOrEqualTo(2.0);
    } finally {
      booster.dispose();
    }
  }

  /**
   * A calibrated bundle exported as an XGBoost or LightGBM model and imported again scores its PDs
   * and grades again: the export records the calibration (chainscore_calibration) and the import
   * reads it back. Until 2026-12-07 the import ignored it, so the bundled GBDT (logistic calibration,
   * slope 0.92) came back with its points alike and its PDs those of no calibration. XGBoost's file
   * keeps the margins bit for bit, LightGBM's within float32 rounding (docs/tree-models.md).
   */
  @Test
  void exportedThenImported_keepsTheBundlesPdCalibration() throws Exception {
    ModelBundle gbdt = io.chainscore.models.DefaultModels.gbdt();
    assertThat(gbdt.toJson()).contains("\"kind\":\"logistic\"");
    TreeEnsemble fromXgboost = XGBoostModelReader.read(io.chainscore.scoring.tree.xgboost.XGBoostModelWriter
        .toJson(gbdt).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    TreeEnsemble fromLightGbm = io.chainscore.scoring.tree.lightgbm.LightGbmModelReader.read(
        io.chainscore.scoring.tree.lightgbm.LightGbmModelWriter.toText(gbdt));
    ImportedModels.Options options = ImportedModels.Options.builder().modelId("back").modelVersion("1")
        .trainedAt("2025-01-01T00:00:00Z").dataSha256(SHA).schema(gbdt.schema())
        .maxMissingShare(gbdt.maxMissingShare().orElse(Double.NaN)).build();
    ModelBundle xgboost = ImportedModels.wrap(fromXgboost, options);
    ModelBundle lightgbm = ImportedModels.wrap(fromLightGbm, options);
    // and how it was calibrated (through the cycle, to its cohorts' average), as a validator reads it
    assertThat(gbdt.pdCalibration()).isPresent();
    assertThat(xgboost.pdCalibration()).isEqualTo(gbdt.pdCalibration());
    assertThat(lightgbm.pdCalibration()).isEqualTo(gbdt.pdCalibration());
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 500; i++) {
      double[] row = randomRow(gbdt.schema(), random);
      ScoreResult expected = gbdt.scorer().score(row);
      ScoreResult x = xgboost.scorer().score(row);
      assertThat(x.points()).isEqualTo(expected.points());
      assertThat(x.pd()).isEqualTo(expected.pd());
      assertThat(x.grade()).isEqualTo(expected.grade());
      ScoreResult l = lightgbm.scorer().score(row);
      assertThat(l.points()).isCloseTo(expected.points(), org.assertj.core.data.Offset.offset(1e-4));
      assertThat(l.pd()).isCloseTo(expected.pd(), org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  /**
   * The trees of an export split {@code sector} on its codes, the positions in the exported
   * bundle's category list (chainscore_feature_policies). A schema listing the categories in
   * another order would give every code another sector: until 2026-12-07 such an import (a trained
   * bundle's export with {@code --schema standard}, whose sectors come in another order) was accepted
   * and scored 447 of 2,000 generated suppliers with another PD. It is refused naming the feature;
   * a schema listing the same categories first, then more, gives the codes their meaning and is taken.
   */
  @Test
  void exportedThenImported_withASchemaCodingACategoryOtherwise_isRefusedNamingTheFeature() throws Exception {
    ModelBundle gbdt = io.chainscore.models.DefaultModels.gbdt();
    io.chainscore.features.FeatureSchema schema = gbdt.schema();
    int sector = schema.indexOf("sector");
    List<String> categories = schema.feature(sector).categories();
    List<String> reversed = new ArrayList<>(categories);
    java.util.Collections.reverse(reversed);
    List<String> extended = new ArrayList<>(categories);
    extended.add("a_category_the_trees_never_saw");
    TreeEnsemble fromXgboost = XGBoostModelReader.read(io.chainscore.scoring.tree.xgboost.XGBoostModelWriter
        .toJson(gbdt).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    TreeEnsemble fromLightGbm = io.chainscore.scoring.tree.lightgbm.LightGbmModelReader.read(
        io.chainscore.scoring.tree.lightgbm.LightGbmModelWriter.toText(gbdt));
    for (TreeEnsemble ensemble : List.of(fromXgboost, fromLightGbm)) {
      assertThatThrownBy(() -> ImportedModels.wrap(ensemble, options(schema, sector, reversed)))
          .isInstanceOf(io.chainscore.scoring.ModelFormatException.class)
          .hasMessageContaining("chainscore_feature_policies")
          .hasMessageContaining("feature sector: the trees code its categories as the exported bundle listed them, "
              + categories);
      ModelBundle wider = ImportedModels.wrap(ensemble, options(schema, sector, extended));
      SplittableRandom random = new SplittableRandom(3);
      for (int i = 0; i < 200; i++) {
        double[] row = randomRow(schema, random);
        assertThat(wider.scorer().score(row).pd()).isCloseTo(gbdt.scorer().score(row).pd(),
            org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  private static ImportedModels.Options options(io.chainscore.features.FeatureSchema schema, int index,
      List<String> categories) {
    List<io.chainscore.features.FeatureSpec> features = new ArrayList<>(schema.features());
    io.chainscore.features.FeatureSpec f = features.get(index);
    features.set(index, io.chainscore.features.FeatureSpec.categorical(f.name(), categories, f.description()));
    return ImportedModels.Options.builder().modelId("back").modelVersion("1").trainedAt("2025-01-01T00:00:00Z")
        .dataSha256(SHA).schema(io.chainscore.features.FeatureSchema.of(features)).build();
  }

  /** A row of valid values of {@code schema}'s features, drawn from {@code random}. */
  private static double[] randomRow(io.chainscore.features.FeatureSchema schema, SplittableRandom random) {
    double[] row = new double[schema.size()];
    for (int j = 0; j < row.length; j++) {
      io.chainscore.features.FeatureSpec f = schema.feature(j);
      if (f.type() == io.chainscore.features.FeatureType.CATEGORICAL) {
        row[j] = random.nextInt(f.categories().size());
      } else {
        double lo = Double.isFinite(f.min()) ? f.min() : -1000;
        double hi = Double.isFinite(f.max()) ? f.max() : 1000;
        row[j] = f.wholeNumber() ? Math.ceil(lo) + random.nextInt((int) Math.min(2000, Math.floor(hi) - Math.ceil(lo) + 1))
            : lo + random.nextDouble() * (hi - lo);
      }
    }
    return row;
  }

  /**
   * The reasons a ChainScore export records (chainscore_reasons: each feature's code, the
   * statements, the approved-population reference) are the imported bundle's: the bundled GBDT,
   * whose reasons are measured against an approved population, gives the same four codes after an
   * XGBoost and a LightGBM round trip. Until 2026-12-07 the import measured them against the
   * training average and changed them.
   */
  @Test
  void exportedThenImported_keepsTheReasonCodesAndTheirReference() throws Exception {
    ModelBundle gbdt = io.chainscore.models.DefaultModels.gbdt();
    assertThat(gbdt.toJson()).contains("\"approved_population\"");
    ImportedModels.Options options = ImportedModels.Options.builder().modelId("back").modelVersion("1")
        .trainedAt("2025-01-01T00:00:00Z").dataSha256(SHA).schema(gbdt.schema())
        .maxMissingShare(gbdt.maxMissingShare().orElse(Double.NaN)).build();
    ModelBundle xgboost = ImportedModels.wrap(XGBoostModelReader.read(io.chainscore.scoring.tree.xgboost
        .XGBoostModelWriter.toJson(gbdt).getBytes(java.nio.charset.StandardCharsets.UTF_8)), options);
    ModelBundle lightgbm = ImportedModels.wrap(io.chainscore.scoring.tree.lightgbm.LightGbmModelReader.read(
        io.chainscore.scoring.tree.lightgbm.LightGbmModelWriter.toText(gbdt)), options);
    assertThat(xgboost.reasonCodes()).isEqualTo(gbdt.reasonCodes());
    assertThat(lightgbm.reasonCodes()).isEqualTo(gbdt.reasonCodes());
    SplittableRandom random = new SplittableRandom(11);
    int differentBefore = 0;
    ModelBundle withoutRecord = ImportedModels.wrap(XGBoostModelReader.read(io.chainscore.scoring.tree.xgboost
        .XGBoostModelWriter.toJson(gbdt).replace("\"chainscore_reasons\"", "\"chainscore_unread\"")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)), options);
    for (int i = 0; i < 500; i++) {
      double[] row = randomRow(gbdt.schema(), random);
      List<String> expected = gbdt.scorer().score(row).reasonCodes();
      assertThat(xgboost.scorer().score(row).reasonCodes()).as("row %d", i).isEqualTo(expected);
      assertThat(lightgbm.scorer().score(row).reasonCodes()).as("row %d", i).isEqualTo(expected);
      differentBefore += withoutRecord.scorer().score(row).reasonCodes().equals(expected) ? 0 : 1;
    }
    assertThat(differentBefore).as("the rows whose codes the training average changes").isGreaterThan(50);
  }

  /**
   * A malformed record is refused as a bundle file's field is (the same reader), named by the
   * file's record: a calibration slope that is no number, a master scale whose grades do not rise.
   */
  @Test
  void malformedRecord_isRefusedNamingTheRecordAndTheField() throws Exception {
    ModelBundle gbdt = io.chainscore.models.DefaultModels.gbdt();
    ImportedModels.Options options = ImportedModels.Options.builder().modelId("back").modelVersion("1")
        .trainedAt("2025-01-01T00:00:00Z").dataSha256(SHA).schema(gbdt.schema()).build();
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    String[][] cases = {
        {"chainscore_calibration", "{\"kind\":\"logistic\",\"intercept\":0.1,\"slope\":\"steep\"}",
            "chainscore_calibration: calibration.slope"},
        {"chainscore_master_scale", "{\"grades\":[{\"grade\":\"A\",\"pd_upper\":0.5,\"representative_pd\":0.1},"
            + "{\"grade\":\"B\",\"pd_upper\":0.2,\"representative_pd\":0.15},{\"grade\":\"D\",\"default\":true}]}",
            "chainscore_master_scale: master_scale"}};
    for (String[] c : cases) {
      com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode) mapper
          .readTree(io.chainscore.scoring.tree.xgboost.XGBoostModelWriter.toJson(gbdt));
      ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("learner").get("attributes")).put(c[0], c[1]);
      TreeEnsemble ensemble = XGBoostModelReader.read(doc.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThatThrownBy(() -> ImportedModels.wrap(ensemble, options)).as(c[0])
          .isInstanceOf(io.chainscore.scoring.ModelFormatException.class)
          .hasMessageStartingWith(c[2])
          .extracting(e -> ((io.chainscore.scoring.ModelFormatException) e).field()).isEqualTo(c[0]);
    }
  }

  /**
   * The points scale and master scale a ChainScore export records (chainscore_score_scale,
   * chainscore_master_scale) are the imported bundle's, and an export of that bundle records them
   * again: a model with PDO 40, 500 points at 20:1 and grades A, B, C scores so after an XGBoost and
   * a LightGBM round trip. Until 2026-12-07 the export did not record them and the import gave every
   * model PDO 20, 600 at 50:1 and the default grades (train --pdo 40, --master-scale fit:5 lost).
   */
  @Test
  void exportedThenImported_keepsThePointsScaleAndMasterScale() throws Exception {
    // LightGBM's format holds no space in a feature name
    String recorded = XGBOOST.replace("\"late days\"", "\"late_days\"").replace("\"attributes\": {}", "\"attributes\": {"
        + "\"chainscore_score_scale\": \"{\\\"base_odds\\\":20,\\\"base_score\\\":500,\\\"pdo\\\":40}\","
        + "\"chainscore_master_scale\": \"{\\\"grades\\\":[{\\\"grade\\\":\\\"A\\\",\\\"pd_upper\\\":0.4,"
        + "\\\"representative_pd\\\":0.3},{\\\"grade\\\":\\\"B\\\",\\\"pd_upper\\\":0.61,\\\"representative_pd\\\":0.5},"
        + "{\\\"grade\\\":\\\"C\\\",\\\"pd_upper\\\":1,\\\"representative_pd\\\":0.8},{\\\"default\\\":true,\\\"grade\\\":\\\"D\\\"}]}\"}");
    ModelBundle bundle = ImportedModels.wrap(XGBoostModelReader.read(
        recorded.getBytes(java.nio.charset.StandardCharsets.UTF_8)), options("scaled"));
    ModelBundle xgboost = ImportedModels.wrap(XGBoostModelReader.read(io.chainscore.scoring.tree.xgboost
        .XGBoostModelWriter.toJson(bundle).getBytes(java.nio.charset.StandardCharsets.UTF_8)), options("x"));
    ModelBundle lightgbm = ImportedModels.wrap(io.chainscore.scoring.tree.lightgbm.LightGbmModelReader.read(
        io.chainscore.scoring.tree.lightgbm.LightGbmModelWriter.toText(bundle)), options("l"));
    double[][] rows = {{50, 10}, {150, 10}, {50, 20}, {150, 20}, {Double.NaN, Double.NaN}};
    for (double[] row : rows) {
      ScoreResult r = bundle.scorer().score(row);
      double margin = Math.log(r.pd() / (1 - r.pd()));
      // by hand: 500 points at odds 20:1 against default, 40 points to double the odds
      assertThat(r.points()).isCloseTo(500 + (margin + Math.log(20)) * (-40 / Math.log(2)),
          org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.grade()).isEqualTo(r.pd() < 0.4 ? "A" : r.pd() < 0.61 ? "B" : "C");
      ScoreResult x = xgboost.scorer().score(row);
      assertThat(x.points()).isEqualTo(r.points());
      assertThat(x.pd()).isEqualTo(r.pd());
      assertThat(x.grade()).isEqualTo(r.grade());
      ScoreResult l = lightgbm.scorer().score(row);
      assertThat(l.points()).isCloseTo(r.points(), org.assertj.core.data.Offset.offset(1e-4));
      assertThat(l.grade()).isEqualTo(r.grade());
    }
  }

  /**
   * Who trained a bundle, on what data and with which options survives an export and import: the
   * file records the bundle's provenance (chainscore_provenance) and the import's trainer text
   * keeps it after its own, as the file's claim (import pmml's rule); the import's own facts stay
   * the provenance's fields. Until 2026-12-07 it was dropped.
   */
  @Test
  void exportedThenImported_keepsTheTrainingProvenanceAsTheFilesClaim() throws Exception {
    ModelBundle gbdt = io.chainscore.models.DefaultModels.gbdt();
    ModelBundle.Provenance trained = gbdt.provenance();
    String claim = "; the file's provenance (its claim): trained_at=" + trained.trainedAt() + " training_data_sha256="
        + trained.trainingDataSha256() + " trainer=" + trained.trainer();
    ImportedModels.Options options = ImportedModels.Options.builder().modelId("back").modelVersion("1")
        .trainedAt("2025-01-01T00:00:00Z").dataSha256(SHA).schema(gbdt.schema()).trainer("imported by the test").build();
    ModelBundle xgboost = ImportedModels.wrap(XGBoostModelReader.read(io.chainscore.scoring.tree.xgboost
        .XGBoostModelWriter.toJson(gbdt).getBytes(java.nio.charset.StandardCharsets.UTF_8)), options);
    ModelBundle lightgbm = ImportedModels.wrap(io.chainscore.scoring.tree.lightgbm.LightGbmModelReader.read(
        io.chainscore.scoring.tree.lightgbm.LightGbmModelWriter.toText(gbdt)), options);
    for (ModelBundle b : List.of(xgboost, lightgbm)) {
      assertThat(b.provenance().trainer()).isEqualTo("imported by the test" + claim);
      assertThat(b.provenance().trainingDataSha256()).isEqualTo(SHA);
      assertThat(b.provenance().trainedAt()).isEqualTo("2025-01-01T00:00:00Z");
    }
    // a file ChainScore did not export has no claim
    assertThat(ImportedModels.wrap(XGBoostModelReader.read(XGBOOST.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        options("plain")).provenance().trainer()).doesNotContain("its claim");
  }
}

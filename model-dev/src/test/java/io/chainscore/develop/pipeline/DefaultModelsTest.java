package io.chainscore.develop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.models.DefaultModels;
import io.chainscore.features.StandardFeatures;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.sim.SimulationConfig;
import io.chainscore.validation.Discrimination;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DefaultModelsTest {
  @Test
  void scorecard_onAFreshCohort_discriminatesButNotBeyondTheTruth() {
    ModelBundle bundle = DefaultModels.scorecard();
    assertThat(bundle.modelId()).isEqualTo("smb-supply-chain-scorecard");
    assertThat(bundle.schema().features()).isEqualTo(StandardFeatures.SCHEMA.features().stream()
        .map(f -> bundle.schema().feature(bundle.schema().indexOf(f.name()))).toList());
    // A cohort the model never saw: another seed and a later as-of date.
    SimulatedSample sample = SimulatedSample.of(SimulationConfig.builder()
        .suppliers(4000).seed(7_777).asOf(LocalDate.of(2025, 12, 31)).build(), 2);
    int n = sample.size();
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    bundle.scorer().scoreBatch(sample.rows(), n, StandardFeatures.SCHEMA.size(), points, pd, grade, null);
    double auc = Discrimination.auc(pd, sample.labels());
    double truth = Discrimination.auc(sample.truePd(), sample.labels());
    assertThat(auc).isBetween(0.72, truth);
    // Points and PD move in opposite directions on the score scale.
    assertThat(Discrimination.auc(points, sample.labels())).isCloseTo(1 - auc, org.assertj.core.data.Offset.offset(1e-12));
  }

  /**
   * The bundled scorecard is what its pipeline writes, byte for byte: the method the pipeline chose
   * on its validation cohorts (which the bundle records, {@code selection=cohort_out}), fitted on
   * the development cohorts and calibrated to their long-run default rate. A change to the trainer
   * that changes its bundles (its provenance text included: the bundle kept the old text for a day
   * after the trainer began recording its settings) fails here until the pipeline is rerun
   * ({@code model-dev/train-default-models.sh}) and its output committed.
   */
  @Test
  void scorecard_isWhatThePipelineWrites() throws Exception {
    ModelBundle bundled = DefaultModels.scorecard();
    assertThat(bundled.toJson()).contains("selection=cohort_out");
    SimulatedSample development = SimulatedSample.pooled(TrainDefaultModels.TRAIN, Runtime.getRuntime().availableProcessors());
    ModelBundle trained = TrainDefaultModels.calibrate(new ScorecardTrainer(TrainDefaultModels.options())
        .train(StandardFeatures.SCHEMA, development.rows(), development.labels(),
            TrainDefaultModels.cohortIds(TrainDefaultModels.TRAIN)).bundle(), development);
    assertThat(trained.toJson()).isEqualTo(bundled.toJson());
    assertThat(trained.sha256()).isEqualTo(bundled.sha256());
  }

  @Test
  void load_unknownName_namesTheBundledOnes() {
    assertThatThrownBy(() -> DefaultModels.load("nope"))
        .hasMessage("no bundled model named 'nope'; bundled: smb-supply-chain-scorecard, smb-supply-chain-gbdt");
  }

  @Test
  void gbdt_onAFreshCohort_discriminatesAtLeastAsWellAsTheScorecardNearly() {
    ModelBundle gbdt = DefaultModels.gbdt();
    assertThat(gbdt.modelId()).isEqualTo("smb-supply-chain-gbdt");
    assertThat(gbdt.toJson()).contains("\"kind\":\"tree_ensemble\"");
    SimulatedSample sample = SimulatedSample.of(SimulationConfig.builder()
        .suppliers(4000).seed(7_777).asOf(LocalDate.of(2025, 12, 31)).build(), 2);
    int n = sample.size();
    int p = StandardFeatures.SCHEMA.size();
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    gbdt.scorer().scoreBatch(sample.rows(), n, p, points, pd, grade, null);
    double auc = Discrimination.auc(pd, sample.labels());
    double truth = Discrimination.auc(sample.truePd(), sample.labels());
    assertThat(auc).isBetween(0.72, truth);
    // Reason codes: the most adverse TreeSHAP contribution of a high-PD row is positive.
    int worst = 0;
    for (int i = 1; i < n; i++) {
      worst = pd[i] > pd[worst] ? i : worst;
    }
    io.chainscore.scoring.ScoreResult r = gbdt.scorer().score(java.util.Arrays.copyOfRange(sample.rows(), worst * p,
        (worst + 1) * p));
    assertThat(r.reasonCodes()).isNotEmpty();
    assertThat(r.pd()).isEqualTo(pd[worst]);
  }
}

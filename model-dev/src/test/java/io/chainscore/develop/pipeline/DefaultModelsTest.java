package io.chainscore.develop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

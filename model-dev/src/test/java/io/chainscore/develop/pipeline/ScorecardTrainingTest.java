package io.chainscore.develop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.features.StandardFeatures;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.sim.SimulationConfig;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScorecardTrainingTest {
  private static final List<SimulationConfig> COHORTS = List.of(
      SimulationConfig.builder().suppliers(3000).seed(11).asOf(LocalDate.of(2023, 6, 30)).build(),
      SimulationConfig.builder().suppliers(3000).seed(12).asOf(LocalDate.of(2024, 6, 30)).build());

  @Test
  void train_isReproducibleAndPointsAddUpBinByBin() {
    SimulatedSample sample = SimulatedSample.pooled(COHORTS, 2);
    ScorecardTrainer trainer = new ScorecardTrainer(TrainDefaultModels.options());
    ScorecardTrainer.Result first = trainer.train(StandardFeatures.SCHEMA, sample.rows(), sample.labels());
    ScorecardTrainer.Result second = trainer.train(StandardFeatures.SCHEMA, SimulatedSample.pooled(COHORTS, 1).rows(),
        sample.labels());
    assertThat(second.bundle().sha256()).isEqualTo(first.bundle().sha256());
    assertThat(first.characteristics()).isNotEmpty();
    for (ScorecardTrainer.Characteristic c : first.characteristics()) {
      assertThat(c.coefficient()).as(c.feature()).isPositive();
      // More bads (higher WoE) never earns more points.
      List<BinningTable.Bin> bins = c.binning().bins();
      for (int a = 0; a < bins.size(); a++) {
        for (int b = 0; b < bins.size(); b++) {
          if (bins.get(a).count() > 0 && bins.get(b).count() > 0 && bins.get(a).woe() < bins.get(b).woe()) {
            assertThat(c.points()[a]).isGreaterThanOrEqualTo(c.points()[b]);
          }
        }
      }
    }
    // A second evaluator: look each value up in the binning tables and add the points.
    var scorer = first.bundle().scorer();
    int p = StandardFeatures.SCHEMA.size();
    long basePoints = Math.round(TrainDefaultModels.options().scaling().offset()
        - TrainDefaultModels.options().scaling().factor() * first.fit().coefficients()[0]);
    for (int i = 0; i < sample.size(); i += 97) {
      double[] row = java.util.Arrays.copyOfRange(sample.rows(), i * p, (i + 1) * p);
      long expected = basePoints;
      for (ScorecardTrainer.Characteristic c : first.characteristics()) {
        int j = StandardFeatures.SCHEMA.indexOf(c.feature());
        FeatureSpec f = StandardFeatures.SCHEMA.feature(j);
        int bin = f.type() == FeatureType.CATEGORICAL
            ? c.binning().binIndex(Double.isNaN(row[j]) ? null : f.categories().get((int) row[j]))
            : c.binning().binIndex(row[j]);
        expected += c.points()[bin];
      }
      ScoreResult r = scorer.score(row);
      assertThat(r.points()).as("row %d", i).isEqualTo((double) expected);
      double pd = TrainDefaultModels.options().scaling().probabilityOfDefault(expected);
      assertThat(r.pd()).isCloseTo(pd, org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void train_withCohorts_leavesOutACharacteristicWhoseEffectIsEachCohortsLuck() {
    // Three cohorts; a stable signal (logit slope 1) and a 10-level group whose effect is drawn
    // afresh in every cohort (sd 0.8 on the logit), as a sector factor is in the simulator. Pooled,
    // the group carries real in-sample information (IV well above 0.02); held out, it predicts
    // nothing, so cohort-out selection must drop it while IV selection keeps it.
    int perCohort = 6000;
    int n = 3 * perCohort;
    List<String> groups = new java.util.ArrayList<>();
    for (int g = 0; g < 10; g++) {
      groups.add("g" + g);
    }
    io.chainscore.features.FeatureSchema schema = io.chainscore.features.FeatureSchema.of(List.of(
        FeatureSpec.numeric("signal", "score", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "Stable signal."),
        FeatureSpec.categorical("group", groups, "Group with a cohort-specific effect.")));
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    double[] rows = new double[2 * n];
    int[] labels = new int[n];
    int[] cohorts = new int[n];
    for (int c = 0; c < 3; c++) {
      double[] effect = new double[10];
      for (int g = 0; g < 10; g++) {
        effect[g] = 0.8 * gaussian(random);
      }
      for (int i = c * perCohort; i < (c + 1) * perCohort; i++) {
        double x = gaussian(random);
        int g = random.nextInt(10);
        double logit = -2.5 + x + effect[g];
        rows[2 * i] = x;
        rows[2 * i + 1] = g;
        labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        cohorts[i] = c;
      }
    }
    ScorecardTrainer trainer = new ScorecardTrainer(TrainDefaultModels.options());
    ScorecardTrainer.Result byIv = trainer.train(schema, rows, labels);
    ScorecardTrainer.Result byCohort = trainer.train(schema, rows, labels, cohorts);
    assertThat(byIv.ivByFeature().get("group")).isGreaterThan(0.05);
    assertThat(byIv.characteristics()).extracting(ScorecardTrainer.Characteristic::feature)
        .containsExactly("signal", "group");
    assertThat(byCohort.characteristics()).extracting(ScorecardTrainer.Characteristic::feature)
        .containsExactly("signal");
    assertThat(trainer.train(schema, rows, labels, cohorts).bundle().sha256()).isEqualTo(byCohort.bundle().sha256());
  }

  private static double gaussian(java.util.SplittableRandom random) {
    // Box-Muller on SplittableRandom, so the test data do not depend on the JDK's nextGaussian.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

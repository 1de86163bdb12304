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
}

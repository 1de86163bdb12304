package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.trade.Sector;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioGrowthShockTest {
  @Test
  void apply_anchorVolumeDrop_movesGrowthRatiosWithTheLatestQuarter() {
    FeatureSchema schema = FeatureSchema.of(List.of(
        FeatureSpec.numeric("invoiced_amount_3m", "currency", 0, Double.POSITIVE_INFINITY, ""),
        FeatureSpec.numeric("invoiced_amount_6m", "currency", 0, Double.POSITIVE_INFINITY, ""),
        FeatureSpec.numeric("growth_3m_yoy", "ratio", -1, Double.POSITIVE_INFINITY, ""),
        FeatureSpec.numeric("growth_6m_vs_prior_6m", "ratio", -1, Double.POSITIVE_INFINITY, "")));
    StressScenario scenario = StressScenario.fromJson(
        "{\"name\": \"anchor cut\", \"anchor_volume_shocks\": [{\"anchor_id\": \"A1\", \"volume_drop_pct\": 40}]}");
    ScenarioFeatureShock shock = ScenarioFeatureShock.compile(scenario, schema);
    // Latest quarter 300, the same quarter a year before 250 (growth 0.2); last six months 500,
    // the six before 400 (growth 0.25).
    double[] row = {300, 500, 0.2, 0.25};
    double[] out = new double[4];
    shock.apply(row, "A1", Sector.GLASS, out);
    assertThat(out[0]).isCloseTo(180, within(1e-9));
    assertThat(out[1]).isCloseTo(380, within(1e-9));
    assertThat(out[2]).as("180 / 250 - 1").isCloseTo(180.0 / 250 - 1, within(1e-12));
    assertThat(out[3]).as("380 / 400 - 1").isCloseTo(380.0 / 400 - 1, within(1e-12));
    shock.apply(row, "A2", Sector.GLASS, out);
    assertThat(out).containsExactly(row);
  }
}

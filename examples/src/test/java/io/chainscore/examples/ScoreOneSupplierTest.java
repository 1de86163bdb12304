package io.chainscore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.features.FeatureSchema;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ScoreOneSupplierTest {
  @Test
  void run_printsWhatTheScorerGivesForTheSameRowFilledByIndex() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ScoreOneSupplier.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

    // The same supplier built the other way: column indexes looked up one by one.
    ModelBundle bundle = DefaultModels.scorecard();
    FeatureSchema schema = bundle.schema();
    double[] row = new double[schema.size()];
    Arrays.fill(row, Double.NaN);
    row[schema.indexOf("on_time_delivery_rate_12m")] = 0.81;
    row[schema.indexOf("growth_3m_yoy")] = -0.35;
    row[schema.indexOf("growth_6m_vs_prior_6m")] = -0.22;
    row[schema.indexOf("open_receivables")] = 2_450_000;
    row[schema.indexOf("avg_days_past_due_12m")] = 12;
    row[schema.indexOf("dilution_rate_12m")] = 0.031;
    row[schema.indexOf("disputed_share_12m")] = 0.06;
    row[schema.indexOf("firm_age_years")] = 4.5;
    row[schema.indexOf("financing_utilisation")] = 0.92;
    row[schema.indexOf("sector")] = schema.feature(schema.indexOf("sector")).categories().indexOf("textiles");
    assertThat(ScoreOneSupplier.application(bundle)).containsExactly(row);
    ScoreResult expected = bundle.scorer().score(row);

    assertThat(lines.get(0)).isEqualTo("model smb-supply-chain-scorecard " + bundle.modelVersion());
    assertThat(lines.get(1)).isEqualTo(String.format(Locale.ROOT, "score %.0f, PD %.6f (%.2f%%), grade %s",
        expected.points(), expected.pd(), 100 * expected.pd(), expected.grade()));
    // A weak supplier: PD well above the portfolio's 3% and four reasons, each with its statement.
    assertThat(expected.pd()).isGreaterThan(0.03);
    assertThat(expected.reasonCodes()).hasSize(4);
    for (int k = 0; k < 4; k++) {
      String code = expected.reasonCodes().get(k);
      String text = bundle.reasonCodes().stream().filter(r -> r.code().equals(code)).findFirst().orElseThrow().text();
      assertThat(lines.get(2 + k)).isEqualTo("  " + code + " " + text);
    }
    assertThat(lines.get(6)).isEqualTo("unknown feature: no feature 'on_time_delivery_rate' in the schema");
    // the features the scorecard uses, counted from the bundle file: its characteristics' features
    com.fasterxml.jackson.databind.JsonNode file = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        DefaultModels.class.getResourceAsStream(DefaultModels.SCORECARD + ".json"));
    java.util.Set<String> used = new java.util.HashSet<>();
    file.get("model").get("characteristics").forEach(c -> used.add(c.get("feature").asText()));
    assertThat(used).isNotEmpty();
    assertThat(lines.get(7)).isEqualTo("every feature missing: row 0: " + used.size() + " of the " + used.size()
        + " features the model uses are missing, more than the bundle's max_missing_share "
        + file.get("max_missing_share").asDouble() + " allows");
    assertThat(lines.get(8)).isEqualTo("4 threads shared one Scorer for 1000 applications: 1000 of 1000 equal to one thread's");
    assertThat(lines).hasSize(9);
  }
}

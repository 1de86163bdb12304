package io.chainscore.develop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureType;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.Explanation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.ScoringException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ApprovedPopulation} against what its reference must be: the approved rows are the rows
 * whose PD is at or below the cut-off (counted independently), and the reference's contributions
 * add up to the approved rows' mean margin minus the model's expected margin (TreeSHAP's local
 * accuracy, summed over the approved rows), so that a row's reasons split its margin's distance from
 * the approved population's mean margin.
 */
class ApprovedPopulationTest {
  @Test
  void reference_countsTheApprovedRows_andSumsToTheirMeanMarginAboveTheBias() throws Exception {
    ModelBundle gbdt = DefaultModels.gbdt();
    // the same model with its reasons against the training average, as a trainer's first bundle is
    ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(gbdt.toJson());
    doc.remove("reason_reference");
    doc.remove("sha256");
    doc.putArray("golden_rows");
    ModelBundle plain = ModelBundle.seal(doc.toString());
    FeatureSchema schema = plain.schema();
    JsonNode golden = new ObjectMapper().readTree(gbdt.toJson()).get("golden_rows");
    Random random = new Random(17);
    int n = 800;
    double[] rows = new double[n * schema.size()];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < schema.size(); j++) {
        JsonNode v = golden.get(random.nextInt(golden.size())).get("features").get(schema.feature(j).name());
        rows[i * schema.size() + j] = v == null || v.isNull() ? Double.NaN
            : schema.feature(j).type() == FeatureType.CATEGORICAL ? schema.feature(j).categoryIndex(v.textValue())
            : v.doubleValue();
      }
    }
    // rows the feature policies refuse (every value missing) are neither approved nor scored
    for (int i = 0; i < n; i += 97) {
      java.util.Arrays.fill(rows, i * schema.size(), (i + 1) * schema.size(), Double.NaN);
    }
    double cutoff = 0.02;
    int approved = 0;
    int scored = 0;
    double meanMarginAboveBias = 0;
    for (int i = 0; i < n; i++) {
      double[] row = java.util.Arrays.copyOfRange(rows, i * schema.size(), (i + 1) * schema.size());
      ScoreResult r;
      try {
        r = plain.scorer().score(row);
      } catch (ScoringException refused) {
        continue;
      }
      scored++;
      if (r.pd() <= cutoff) {
        approved++;
        Explanation e = plain.scorer().explain(row);
        double bias = e.margin();
        for (Explanation.Item item : e.items()) {
          bias -= item.contribution();
        }
        meanMarginAboveBias += e.margin() - bias;
      }
    }
    meanMarginAboveBias /= approved;
    assertThat(approved).isBetween(50, n - 50);

    ApprovedPopulation.Reference reference = ApprovedPopulation.measure(plain, rows, n, "test rows", cutoff, 20_000);
    assertThat(reference.rows()).isEqualTo(approved);
    assertThat(scored).isEqualTo(n - 9);
    assertThat(reference.population()).startsWith("test rows: the " + approved + " of " + scored + " scored rows")
        .contains("at or below 2%");
    double sum = reference.contributions().values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat(sum).isCloseTo(meanMarginAboveBias, within(1e-9));
    assertThat(sum).isNegative(); // approved suppliers are better than the average applicant

    ModelBundle measured = ApprovedPopulation.apply(plain, reference);
    assertThat(measured.reasonReference().method()).isEqualTo(ModelBundle.ReasonReference.APPROVED_POPULATION);
    assertThat(measured.reasonReference().contributions()).isEqualTo(reference.contributions());

    // a cap thins the approved rows to every k-th in order
    ApprovedPopulation.Reference capped = ApprovedPopulation.measure(plain, rows, n, "test rows", cutoff, 40);
    int step = (approved + 39) / 40;
    assertThat(capped.rows()).isEqualTo((approved + step - 1) / step);
    assertThat(capped.population()).contains("every " + step);
  }

  @Test
  void refusesScorecardsAndCutOffsOutsideZeroOne() {
    ModelBundle card = DefaultModels.scorecard();
    assertThatThrownBy(() -> ApprovedPopulation.measure(card, new double[card.schema().size()], 1, "x", 0.05, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tree ensembles");
    ModelBundle gbdt = DefaultModels.gbdt();
    assertThatThrownBy(() -> ApprovedPopulation.measure(gbdt, new double[gbdt.schema().size()], 1, "x", 1.5, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1)");
  }
}

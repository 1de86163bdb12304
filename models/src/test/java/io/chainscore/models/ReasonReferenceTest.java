package io.chainscore.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.Explanation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.ScoringException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bundle's {@code reason_reference}: the bundled GBDT measures its reasons against an
 * approved population, and the scorer's reason codes are, row for row, what a plain re-computation
 * from {@link io.chainscore.scoring.Scorer#explain} gives: contributions summed per code, minus the
 * reference read independently from the bundle file, positive ones largest first.
 */
class ReasonReferenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode file(String name) throws Exception {
    try (InputStream in = DefaultModels.class.getResourceAsStream(name + ".json")) {
      return (ObjectNode) JSON.readTree(in);
    }
  }

  /** Rows mixing the golden rows' values feature by feature (all valid), some missing. */
  private static List<double[]> rows(ModelBundle bundle, JsonNode golden, int count, long seed) {
    FeatureSchema schema = bundle.schema();
    Random random = new Random(seed);
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double[] row = new double[schema.size()];
      for (int j = 0; j < row.length; j++) {
        JsonNode v = golden.get(random.nextInt(golden.size())).get("features").get(schema.feature(j).name());
        row[j] = v == null || v.isNull() || random.nextInt(20) == 0 ? Double.NaN
            : schema.feature(j).type() == FeatureType.CATEGORICAL ? schema.feature(j).categoryIndex(v.textValue())
            : v.doubleValue();
      }
      rows.add(row);
    }
    return rows;
  }

  /** The reference ranking: per-code totals from explain(), minus the offsets, positive ones, largest first, ties by code order. */
  private static List<String> expectedReasons(ModelBundle bundle, double[] row, Map<String, Double> offsets) {
    Explanation e = bundle.scorer().explain(row);
    Map<String, Double> totals = new LinkedHashMap<>();
    for (ModelBundle.ReasonCode c : bundle.reasonCodes()) {
      totals.put(c.code(), 0.0);
    }
    for (Explanation.Item item : e.items()) {
      if (!item.reasonCode().isEmpty()) {
        totals.merge(item.reasonCode(), item.contribution(), Double::sum);
      }
    }
    List<String> codes = new ArrayList<>(totals.keySet());
    List<String> positive = new ArrayList<>();
    for (String code : codes) {
      if (totals.get(code) - offsets.getOrDefault(code, 0.0) > 0) {
        positive.add(code);
      }
    }
    positive.sort(Comparator.comparingDouble((String c) -> -(totals.get(c) - offsets.getOrDefault(c, 0.0)))
        .thenComparingInt(codes::indexOf));
    return positive.subList(0, Math.min(4, positive.size()));
  }

  @Test
  void bundledGbdt_reasonsAreMeasuredAgainstTheApprovedPopulation_rowForRowAsARecomputation() throws Exception {
    ModelBundle gbdt = DefaultModels.gbdt();
    ObjectNode file = file(DefaultModels.GBDT);
    ModelBundle.ReasonReference reference = gbdt.reasonReference();
    assertThat(reference.method()).isEqualTo(ModelBundle.ReasonReference.APPROVED_POPULATION);
    assertThat(reference.population()).contains("development cohorts").contains("PD at or below 5%");
    assertThat(reference.rows()).isGreaterThan(10_000);
    Map<String, Double> offsets = new LinkedHashMap<>();
    file.get("reason_reference").get("contributions").fields()
        .forEachRemaining(f -> offsets.put(f.getKey(), f.getValue().doubleValue()));
    assertThat(offsets).hasSize(gbdt.reasonCodes().size());
    // approved suppliers score better than average: their mean contributions are mostly negative
    assertThat(offsets.values().stream().mapToDouble(Double::doubleValue).sum()).isNegative();

    // the same model without the field: reasons against the training average (the old method)
    ObjectNode without = file.deepCopy();
    without.remove("reason_reference");
    without.remove("sha256");
    without.putArray("golden_rows");
    ModelBundle trainingAverage = ModelBundle.seal(without.toString());
    assertThat(trainingAverage.reasonReference().method()).isEqualTo(ModelBundle.ReasonReference.TRAINING_AVERAGE);

    int compared = 0;
    int differ = 0;
    for (double[] row : rows(gbdt, file.get("golden_rows"), 1500, 5)) {
      ScoreResult r;
      try {
        r = gbdt.scorer().score(row);
      } catch (ScoringException refused) {
        continue;
      }
      assertThat(r.reasonCodes()).isEqualTo(expectedReasons(gbdt, row, offsets));
      ScoreResult old = trainingAverage.scorer().score(row);
      assertThat(old.pd()).isEqualTo(r.pd()); // a reference changes the ranking only
      assertThat(old.reasonCodes()).isEqualTo(expectedReasons(gbdt, row, Map.of()));
      if (!old.reasonCodes().equals(r.reasonCodes())) {
        differ++;
      }
      compared++;
    }
    assertThat(compared).isGreaterThan(1000);
    assertThat(differ).isPositive();
  }

  @Test
  void scorecardBundle_pointsBelowBest_andOtherMethodsRefusedByName() throws Exception {
    assertThat(DefaultModels.scorecard().reasonReference().method())
        .isEqualTo(ModelBundle.ReasonReference.POINTS_BELOW_BEST);
    ObjectNode card = file(DefaultModels.SCORECARD);
    card.remove("sha256");
    card.putObject("reason_reference").put("method", "approved_population").put("population", "x").put("rows", 1)
        .putObject("contributions");
    assertThatThrownBy(() -> ModelBundle.seal(card.toString())).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("reason_reference.method").hasMessageContaining("points_below_best");
  }

  @Test
  void badApprovedReferencesAreRefusedNamingTheField() throws Exception {
    ObjectNode gbdt = file(DefaultModels.GBDT);
    gbdt.remove("sha256");
    ObjectNode unknown = gbdt.deepCopy();
    ((ObjectNode) unknown.get("reason_reference").get("contributions")).put("Z99", 0.1);
    assertThatThrownBy(() -> ModelBundle.seal(unknown.toString())).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("Z99").hasMessageContaining("not a reason code");
    ObjectNode blank = gbdt.deepCopy();
    ((ObjectNode) blank.get("reason_reference")).put("population", " ");
    assertThatThrownBy(() -> ModelBundle.seal(blank.toString())).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("reason_reference.population");
    ObjectNode huge = gbdt.deepCopy();
    ((ObjectNode) huge.get("reason_reference").get("contributions")).put("A01", 1e300);
    assertThatThrownBy(() -> ModelBundle.seal(huge.toString())).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("A01");
  }
}

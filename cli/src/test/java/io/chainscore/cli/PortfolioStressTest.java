package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.scoring.FeatureRows;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature-level stress through the whole chain: generate, features, score, portfolio --scenario. */
class PortfolioStressTest {
  @TempDir Path dir;

  private static void run(String... args) {
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).as(String.join(" ", args) + ": " + err).isIn(0, 3);
  }

  @Test
  void portfolio_sectorDelayScenario_rescoresStressedFeaturesWithTheModel() throws Exception {
    run("generate", "--suppliers", "300", "--seed", "5", "--out", dir.resolve("p").toString(), "--quiet");
    run("features", "--transactions", dir.resolve("p").toString(), "--as-of", "2025-06-30", "--out", dir.resolve("f.csv").toString());
    run("score", "--features", dir.resolve("f.csv").toString(), "--as-of", "2025-06-30", "--out", dir.resolve("s.csv").toString(), "--quiet");
    // Exposures: every supplier with a drawn amount of 100,000 and its anchor and sector.
    List<String> suppliers = Files.readAllLines(dir.resolve("p/suppliers.csv"));
    StringBuilder exposures = new StringBuilder("supplier_id,anchor_id,sector,drawn,anchor_sales_share\n");
    Map<String, String> sectorOf = new HashMap<>();
    for (String line : suppliers.subList(1, suppliers.size())) {
      String[] c = line.split(",");
      exposures.append(c[0]).append(',').append(c[1]).append(',').append(c[2]).append(",100000,0.7\n");
      sectorOf.put(c[0], c[2]);
    }
    Files.writeString(dir.resolve("exposures.csv"), exposures);
    Files.writeString(dir.resolve("scenario.json"), "{\"name\": \"glass slips\", \"sector_delay_shocks\": "
        + "[{\"sector\": \"glass\", \"extra_days_beyond_terms\": 10, \"on_time_delivery_drop\": 0.2}]}");
    run("portfolio", "--scores", dir.resolve("s.csv").toString(), "--exposures", dir.resolve("exposures.csv").toString(),
        "--scenario", dir.resolve("scenario.json").toString(), "--features", dir.resolve("f.csv").toString(),
        "--simulations", "0", "--out", dir.resolve("risk").toString());
    JsonNode scenario = new ObjectMapper().readTree(dir.resolve("risk/portfolio.json").toFile()).get("scenario");
    assertThat(scenario.get("feature_shocks_applied").asBoolean()).isTrue();

    // Independently: shift the two features by hand for glass suppliers and score with the model.
    ModelBundle bundle = DefaultModels.scorecard();
    Map<String, double[]> rows = FeatureRows.read(dir.resolve("f.csv"), bundle);
    int onTime = bundle.schema().indexOf("on_time_delivery_rate_12m");
    int beyond = bundle.schema().indexOf("avg_days_paid_beyond_terms_12m");
    Map<String, Double> baseline = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("s.csv")).subList(1, 301)) {
      String[] c = line.split(",");
      baseline.put(c[0], Double.parseDouble(c[3]));
    }
    double change = 0;
    List<String> ids = new ArrayList<>(sectorOf.keySet());
    for (String id : ids) {
      double[] row = rows.get(id).clone();
      if (sectorOf.get(id).equals("glass")) {
        if (!Double.isNaN(row[onTime])) {
          row[onTime] = Math.max(0, row[onTime] - 0.2);
        }
        if (!Double.isNaN(row[beyond])) {
          row[beyond] = Math.min(bundle.schema().feature(beyond).max(), row[beyond] + 10);
        }
      }
      change += bundle.scorer().score(row).pd() - baseline.get(id);
    }
    double expectedMeanChange = change / ids.size();
    assertThat(expectedMeanChange).as("glass suppliers' PDs rise").isPositive();
    assertThat(scenario.get("mean_pd_change").asDouble())
        .isCloseTo(expectedMeanChange, org.assertj.core.data.Offset.offset(1e-12));
  }

  /**
   * The stressed rows are re-scored by the model that made the baseline scores, or the run is
   * refused: a gbdt score file stressed without --model was re-scored by the bundled scorecard,
   * and a scenario that moves nothing showed an 81% rise in expected loss (the two models'
   * difference). An anchor shock naming no anchor of the book is refused too (it changed nothing,
   * silently). Neither leaves an output folder.
   */
  @Test
  void portfolio_stress_refusesAnotherModelThanTheScoresAndAnUnknownAnchor() throws Exception {
    run("generate", "--suppliers", "200", "--seed", "9", "--out", dir.resolve("p").toString(), "--quiet");
    run("features", "--transactions", dir.resolve("p").toString(), "--as-of", "2025-06-30", "--out", dir.resolve("f.csv").toString());
    run("score", "--features", dir.resolve("f.csv").toString(), "--as-of", "2025-06-30", "--model", DefaultModels.GBDT,
        "--out", dir.resolve("s.csv").toString(), "--quiet");
    Files.writeString(dir.resolve("nothing.json"), "{\"name\": \"nothing\", \"sector_delay_shocks\": "
        + "[{\"sector\": \"textiles\", \"extra_days_beyond_terms\": 0, \"on_time_delivery_drop\": 0}]}");
    String[] common = {"portfolio", "--scores", dir.resolve("s.csv").toString(), "--exposures",
        dir.resolve("p/exposures.csv").toString(), "--anchor-pds", dir.resolve("p/anchor_pds.csv").toString(),
        "--features", dir.resolve("f.csv").toString(), "--simulations", "0"};

    CliRun other = CliRun.of(concat(common, "--scenario", dir.resolve("nothing.json").toString(),
        "--out", dir.resolve("r1").toString()));
    ModelBundle gbdt = DefaultModels.gbdt();
    ModelBundle scorecard = DefaultModels.scorecard();
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err().strip()).doesNotContain("\n").contains(dir.resolve("s.csv").toString())
        .contains("scored by " + gbdt.modelId() + " " + gbdt.modelVersion())
        .contains("re-scored with " + scorecard.modelId() + " " + scorecard.modelVersion())
        .contains("pass --model");
    assertThat(dir.resolve("r1")).doesNotExist();

    // with the model that scored them, a scenario that moves nothing changes nothing
    CliRun same = CliRun.of(concat(common, "--scenario", dir.resolve("nothing.json").toString(), "--model",
        DefaultModels.GBDT, "--out", dir.resolve("r2").toString()));
    assertThat(same.code()).as(same.err()).isZero();
    JsonNode scenario = new ObjectMapper().readTree(dir.resolve("r2/portfolio.json").toFile()).get("scenario");
    assertThat(scenario.get("feature_shocks_applied").asBoolean()).isTrue();
    assertThat(scenario.get("mean_pd_change").asDouble()).isZero();

    Files.writeString(dir.resolve("typo.json"), "{\"name\": \"typo\", \"anchor_volume_shocks\": "
        + "[{\"anchor_id\": \"A1\", \"volume_drop_pct\": 90}]}");
    CliRun typo = CliRun.of(concat(common, "--scenario", dir.resolve("typo.json").toString(), "--model",
        DefaultModels.GBDT, "--out", dir.resolve("r3").toString()));
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err().strip()).doesNotContain("\n").contains(dir.resolve("typo.json").toString())
        .contains("anchor_volume_shocks[0]: anchor 'A1' has no exposure in the book (its anchors: A01, ");
    assertThat(dir.resolve("r3")).doesNotExist();
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}

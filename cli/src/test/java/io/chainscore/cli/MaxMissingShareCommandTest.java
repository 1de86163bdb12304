package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.scoring.FeatureRows;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.StandardFeatures;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled scorecard's {@code max_missing_share} (0.5) end to end: {@code score} quarantines a
 * supplier with every feature missing, and one missing five of the nine features the scorecard
 * uses, naming the supplier and the reason (exit 3), and scores one missing four; {@code explain}
 * refuses an all-missing row with exit 2; {@code train} and {@code import} write the option.
 */
class MaxMissingShareCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** The features the bundled scorecard uses, read from the bundle file's characteristics. */
  private static List<String> usedFeatures() throws Exception {
    JsonNode file = JSON.readTree(DefaultModels.class.getResourceAsStream(DefaultModels.SCORECARD + ".json"));
    assertThat(file.get("max_missing_share").asDouble()).isEqualTo(0.5);
    Set<String> used = new HashSet<>();
    file.get("model").get("characteristics").forEach(c -> used.add(c.get("feature").asText()));
    return used.stream().sorted().toList();
  }

  /** The used features {@link #row} leaves missing when it sets the first {@code given}, in the schema's order. */
  private static String missingInSchemaOrder(List<String> used, int given) {
    return StandardFeatures.SCHEMA.features().stream().map(FeatureSpec::name)
        .filter(name -> used.indexOf(name) >= given).collect(java.util.stream.Collectors.joining(", "));
  }

  /** A feature-table row with the first {@code given} used features set to valid values. */
  private static String row(String supplier, List<String> used, int given) {
    StringBuilder line = new StringBuilder(supplier).append(",2025-06-30");
    for (FeatureSpec f : StandardFeatures.SCHEMA.features()) {
      int at = used.indexOf(f.name());
      line.append(',');
      if (at >= 0 && at < given) {
        // inside every range: 0 is a valid value of each of these features
        line.append(Math.max(0, Math.min(f.max(), Math.max(f.min(), 0))));
      }
    }
    return line.toString();
  }

  @Test
  void score_quarantinesRowsOverTheLimit_namingTheSupplier_andScoresTheRowUnderIt() throws Exception {
    List<String> used = usedFeatures();
    int n = used.size();
    int atLimit = n / 2;  // missing at most half: scored; one more: refused
    List<String> lines = new ArrayList<>();
    StringBuilder header = new StringBuilder("supplier_id,as_of_date");
    StandardFeatures.SCHEMA.features().forEach(f -> header.append(',').append(f.name()));
    lines.add(header.toString());
    lines.add(row("ALLMISSING", used, 0));
    lines.add(row("ATLIMIT", used, n - atLimit));
    lines.add(row("OVERLIMIT", used, n - atLimit - 1));
    Path features = Files.write(dir.resolve("f.csv"), lines);
    Path out = dir.resolve("s.csv");
    CliRun run = CliRun.of("score", "--input", features.toString(), "--as-of", "2025-06-30", "--out", out.toString(),
        "--quiet");
    assertThat(run.code()).as(run.err()).isEqualTo(3);
    List<String> quarantine = Files.readAllLines(dir.resolve("s.quarantine.csv"));
    // each names the missing features, in the schema's order, as the throwing calls do
    assertThat(quarantine).containsExactly("row,record_id,column,reason",
        "1,ALLMISSING,,\"supplier ALLMISSING: " + n + " of the " + n + " features the model uses are missing, more than the"
            + " bundle's max_missing_share 0.5 allows: " + missingInSchemaOrder(used, 0) + "\"",
        "3,OVERLIMIT,,\"supplier OVERLIMIT: " + (atLimit + 1) + " of the " + n + " features the model uses are missing, more"
            + " than the bundle's max_missing_share 0.5 allows: " + missingInSchemaOrder(used, n - atLimit - 1) + "\"");
    // rows no one column is at fault for, counted as such in the run report
    assertThat(run.out()).contains("(by column: (whole row) 2)");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("s.csv.manifest.json").toFile())
        .get("rows").get("quarantined_whole_row").asLong()).isEqualTo(2);
    List<String> scores = Files.readAllLines(out);
    assertThat(scores).hasSize(2);
    assertThat(scores.get(1)).startsWith("ATLIMIT,");
    ModelBundle bundle = DefaultModels.scorecard();
    ScoreResult expected = bundle.scorer().score(FeatureRows.read(features, bundle).get("ATLIMIT"));
    assertThat(Double.parseDouble(scores.get(1).split(",")[2])).isEqualTo(expected.points());

    // the whole-table what-if quarantines the same rows with the same words
    CliRun whatif = CliRun.of("whatif", "--features", features.toString(), "--set", "sector=textiles", "--out",
        dir.resolve("w.csv").toString());
    assertThat(whatif.code()).as(whatif.err()).isEqualTo(3);
    assertThat(Files.readAllLines(dir.resolve("w.quarantine.csv"))).isEqualTo(quarantine);

    // under another id column both name the row by that column, in the same words
    lines.set(0, "Loan Number" + lines.get(0).substring("supplier_id".length()));
    Path byLoan = Files.write(dir.resolve("by-loan.csv"), lines);
    CliRun scoreByLoan = CliRun.of("score", "--features", byLoan.toString(), "--id-column", "Loan Number",
        "--as-of", "2025-06-30", "--out", dir.resolve("loan/s.csv").toString(), "--quiet");
    CliRun whatifByLoan = CliRun.of("whatif", "--features", byLoan.toString(), "--id-column", "Loan Number",
        "--set", "sector=textiles", "--out", dir.resolve("loan/w.csv").toString());
    assertThat(scoreByLoan.code()).as(scoreByLoan.err()).isEqualTo(3);
    assertThat(whatifByLoan.code()).as(whatifByLoan.err()).isEqualTo(3);
    List<String> byLoanQuarantine = Files.readAllLines(dir.resolve("loan/s.quarantine.csv"));
    assertThat(byLoanQuarantine.get(1)).startsWith("1,ALLMISSING,,\"Loan Number ALLMISSING: " + n + " of the " + n);
    assertThat(Files.readAllLines(dir.resolve("loan/w.quarantine.csv"))).isEqualTo(byLoanQuarantine);
  }

  @Test
  void explain_allMissing_exits2_namingCountFeaturesAndLimit() throws Exception {
    CliRun run = CliRun.of("explain", "--set", "sector=textiles");
    assertThat(run.code()).isEqualTo(2);
    int n = usedFeatures().size();
    int missing = usedFeatures().contains("sector") ? n - 1 : n;
    // the row is the one --set gives (the scorer's own words said "row 0", which names nothing here)
    assertThat(run.err().strip()).startsWith("chainscore explain: the row the --set values give: " + missing + " of the " + n
        + " features the model uses are missing, more than the bundle's max_missing_share 0.5 allows: ");
    for (String feature : usedFeatures()) {
      if (!feature.equals("sector")) {
        assertThat(run.err()).contains(feature);
      }
    }
    assertThat(run.err().strip().lines()).hasSize(1);
  }

  @Test
  void import_writesTheOption_defaultHalf_andRefusesABadValue() throws Exception {
    Path model = dir.resolve("xgb.json");
    Files.write(model, getClass().getResourceAsStream("/models/xgboost-small.json").readAllBytes());
    Path byDefault = dir.resolve("default.json");
    assertThat(CliRun.of("import", "xgboost", "--in", model.toString(), "--out", byDefault.toString()).code()).isZero();
    assertThat(JSON.readTree(byDefault.toFile()).get("max_missing_share").asDouble()).isEqualTo(0.5);
    assertThat(ModelBundle.read(byDefault).maxMissingShare()).hasValue(0.5);
    Path none = dir.resolve("none.json");
    assertThat(CliRun.of("import", "xgboost", "--in", model.toString(), "--out", none.toString(),
        "--max-missing-share", "1").code()).isZero();
    assertThat(ModelBundle.read(none).maxMissingShare()).hasValue(1.0);
    CliRun bad = CliRun.of("import", "xgboost", "--in", model.toString(), "--out", dir.resolve("bad.json").toString(),
        "--max-missing-share", "1.5");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--max-missing-share 1.5: expected a share from 0 to 1");
    CliRun badTrain = CliRun.of("train", "--data", model.toString(), "--target", "y", "--out",
        dir.resolve("t.json").toString(), "--max-missing-share", "-0.1");
    assertThat(badTrain.code()).isEqualTo(2);
    assertThat(badTrain.err()).contains("--max-missing-share -0.1: expected a share from 0 to 1");
  }
}

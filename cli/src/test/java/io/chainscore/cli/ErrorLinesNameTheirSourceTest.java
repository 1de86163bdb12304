package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error lines that named no file, or the wrong one: {@code document} named a refused row by its
 * 0-based index alone, {@code validate --compare} blamed the data for what the compared model
 * needs, and a model file that is not a model was "model file: not valid JSON" without its path.
 */
class ErrorLinesNameTheirSourceTest {
  @TempDir Path dir;

  /** The test scorecard's features with a target; row 4 lacks months_with_anchor, which the model refuses. */
  private Path sample() throws Exception {
    return Files.writeString(dir.resolve("sample.csv"), TestRuns.HEADER + ",defaulted\n"
        + "S1,10,0.01,24,RETAIL,0.9,0\n"
        + "S2,40,0.05,12,LOGISTICS,0.6,1\n"
        + "S3,5,0.02,60,MANUFACTURING,0.95,0\n"
        + "S4,30,0.03,,RETAIL,0.7,1\n"
        + "S5,0,0.01,100,AGRICULTURE,0.99,0\n");
  }

  /** The line of the failure, without the command's name. */
  private static String failure(CliRun run, String command) {
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    String prefix = "chainscore " + command + ": ";
    String line = run.err().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    assertThat(run.err()).doesNotContain("\tat ");
    return line.substring(prefix.length());
  }

  /**
   * A row the model refuses: {@code validate} and {@code document} leave it out of their figures as
   * {@code train} does (since 2026-12-06; both named it in one line and stopped, exit 2, before),
   * name it by the same row number and reason ({@code validate} in {@code refused.csv}, {@code
   * document} among its limitations and on stderr), and exit 3.
   */
  @Test
  void rowTheModelRefuses_leftOut_namedByTheSameRowByValidateAndDocument() throws Exception {
    Path model = TestRuns.model(dir);
    Path data = sample();
    CliRun validate = CliRun.of("validate", "--model", model.toString(), "--data", data.toString(), "--target",
        "defaulted", "--out", dir.resolve("v").toString());
    assertThat(validate.code()).as(validate.err()).isEqualTo(3);
    java.util.List<String> refused = Files.readAllLines(dir.resolve("v/refused.csv"));
    assertThat(refused).hasSize(2);
    assertThat(refused.get(1)).startsWith("4,");
    String reason = refused.get(1).substring(2).replaceAll("^\"|\"$", "");
    assertThat(validate.err()).contains("validate: 1 row of " + data + " refused by the model's policies, left out of"
        + " every figure (the first: row 4: " + reason + "); listed in " + dir.resolve("v/refused.csv"));
    // document re-estimates the characteristics' weights: it needs more rows than five; row 4 the same
    StringBuilder larger = new StringBuilder(TestRuns.HEADER + ",defaulted\n");
    java.util.List<String> rows = Files.readAllLines(TestRuns.cleanFeatures(dir.resolve("f.csv"), 400, 17, null));
    java.util.SplittableRandom random = new java.util.SplittableRandom(17);
    for (int r = 1; r < rows.size(); r++) {
      String row = rows.get(r);
      if (r == 4) {  // months_with_anchor, the fourth column, left empty
        String[] f = row.split(",", -1);
        f[3] = "";
        row = String.join(",", f);
      }
      larger.append(row).append(',').append(random.nextInt(4) == 0 ? 1 : 0).append('\n');
    }
    Path sample400 = Files.writeString(dir.resolve("sample400.csv"), larger);
    CliRun validate400 = CliRun.of("validate", "--model", model.toString(), "--data", sample400.toString(), "--target",
        "defaulted", "--out", dir.resolve("v400").toString());
    assertThat(validate400.code()).as(validate400.err()).isEqualTo(3);
    assertThat(Files.readAllLines(dir.resolve("v400/refused.csv"))).containsExactly("row,reason", refused.get(1));
    CliRun document = CliRun.of("document", "--model", model.toString(), "--data", sample400.toString(), "--target",
        "defaulted", "--out", dir.resolve("d.html").toString());
    assertThat(document.code()).as(document.err()).isEqualTo(3);
    String note = "1 row of the sample (" + sample400 + ") was refused by the model's policies and left out of every"
        + " figure here (the first: row 4: " + reason + "); chainscore validate lists them all.";
    assertThat(document.err()).contains("document: " + note);
    assertThat(Files.readString(dir.resolve("d.html"))).contains("rows_refused").contains("left out of every figure here");
    assertThat(document.out()).contains("on 399 rows");

    // joined to labels: S1 has none, so S4 is the third row of the join, named by its row of
    // features.csv, 4 (until 2026-12-07 by its row among the rows joined, 3: S3's row in the file)
    Path features = Files.writeString(dir.resolve("features.csv"), "supplier_id,as_of_date,"
        + TestRuns.HEADER.substring("supplier_id,".length()) + "\n"
        + "S1,2025-06-30,10,0.01,24,RETAIL,0.9\n"
        + "S2,2025-06-30,40,0.05,12,LOGISTICS,0.6\n"
        + "S3,2025-06-30,5,0.02,60,MANUFACTURING,0.95\n"
        + "S4,2025-06-30,30,0.03,,RETAIL,0.7\n"
        + "S5,2025-06-30,0,0.01,100,AGRICULTURE,0.99\n");
    Path labels = Files.writeString(dir.resolve("labels.csv"), "supplier_id,as_of_date,defaulted\n"
        + "S2,2025-06-30,true\nS3,2025-06-30,false\nS4,2025-06-30,true\nS5,2025-06-30,false\n");
    CliRun joined = CliRun.of("validate", "--model", model.toString(), "--data", features.toString(), "--labels",
        labels.toString(), "--target", "defaulted", "--out", dir.resolve("v2").toString());
    assertThat(joined.code()).as(joined.err()).isEqualTo(3);
    assertThat(Files.readAllLines(dir.resolve("v2/refused.csv")).get(1)).startsWith("4,");
    assertThat(joined.err()).contains("validate: 1 row of " + features + " refused by the"
        + " model's policies, left out of every figure (the first: row 4: ");
    // so is an unknown category there (S4's sector): it was named at row 3 of features.csv
    Path unknown = Files.writeString(dir.resolve("unknown.csv"), Files.readString(features)
        .replace("S4,2025-06-30,30,0.03,,RETAIL,0.7", "S4,2025-06-30,30,0.03,24,MINING,0.7"));
    CliRun category = CliRun.of("validate", "--model", model.toString(), "--data", unknown.toString(), "--labels",
        labels.toString(), "--target", "defaulted", "--out", dir.resolve("v3").toString());
    assertThat(category.code()).as(category.err()).isEqualTo(2);
    assertThat(category.err()).contains("chainscore validate: " + unknown + ", row 4, column sector: unknown category"
        + " 'MINING'");
    // document names it so too, on a sample large enough to document: S0000001 unlabelled, row 4 refused
    Path sample = TestRuns.cleanFeatures(dir.resolve("sample.csv"), 300, 11, "2025-06-30");
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(sample));
    String[] row4 = lines.get(4).split(",", -1);
    row4[3] = "";
    lines.set(4, String.join(",", row4));
    Files.write(sample, lines);
    StringBuilder sampleLabels = new StringBuilder("supplier_id,as_of_date,defaulted\n");
    for (String line : lines.subList(2, lines.size())) {
      String id = line.substring(0, line.indexOf(','));
      sampleLabels.append(id).append(",2025-06-30,").append(Math.floorMod(id.hashCode(), 5) == 0).append('\n');
    }
    Path sampleLabelsFile = Files.writeString(dir.resolve("sample-labels.csv"), sampleLabels);
    CliRun documented = CliRun.of("document", "--model", model.toString(), "--data", sample.toString(), "--labels",
        sampleLabelsFile.toString(), "--target", "defaulted", "--out", dir.resolve("d2.html").toString());
    assertThat(documented.code()).as(documented.err()).isEqualTo(3);
    assertThat(documented.err()).contains("document: 1 row of the sample (" + sample + ") was refused by the"
        + " model's policies and left out of every figure here (the first: row 4: ");
  }

  @Test
  void validateCompare_columnTheComparedModelNeeds_namesTheComparedModel() throws Exception {
    Path model = TestRuns.model(dir);
    Path data = Files.writeString(dir.resolve("clean.csv"), TestRuns.HEADER + ",defaulted\n"
        + "S1,10,0.01,24,RETAIL,0.9,0\n"
        + "S2,40,0.05,12,LOGISTICS,0.6,1\n");
    // the shipped scorecard scores the standard supplier features, which this table does not have
    String line = failure(CliRun.of("validate", "--model", model.toString(), "--data", data.toString(), "--target",
        "defaulted", "--compare", "smb-supply-chain-scorecard", "--out", dir.resolve("v").toString()), "validate");
    assertThat(line).matches("--compare smb-supply-chain-scorecard: " + java.util.regex.Pattern.quote(data.toString())
        + ", column [a-z0-9_]+: missing from the header \\(a feature of the model\\)");
    // the model under validation's own gap is still said plainly
    String own = failure(CliRun.of("validate", "--model", "smb-supply-chain-scorecard", "--data", data.toString(),
        "--target", "defaulted", "--compare", model.toString(), "--out", dir.resolve("v2").toString()), "validate");
    assertThat(own).startsWith(data + ", column ").endsWith(": missing from the header (a feature of the model)");
  }

  /**
   * A row the compared model refuses and the validated one scores is left out of both models'
   * figures (the DeLong test compares them on the same rows) and listed as the compared model's.
   */
  @Test
  void validateCompare_rowOnlyTheComparedModelRefuses_listedAsTheComparedModels() throws Exception {
    Path model = TestRuns.model(dir);
    // the same scorecard but for months_with_anchor, whose missing value it imputes rather than refuses
    String json = Files.readString(model);
    String lenient = json.replace("\"missing\" : \"reject\",", "\"missing\" : \"impute\", \"impute_value\" : 24,");
    assertThat(lenient).isNotEqualTo(json);
    Path lenientModel = dir.resolve("lenient.json");
    io.chainscore.scoring.ModelBundle.seal(lenient).write(lenientModel);
    // DeLong's variance needs two events and two non-events among the rows kept
    Path data = Files.writeString(dir.resolve("sample-more.csv"), Files.readString(sample())
        + "S6,20,0.02,30,RETAIL,0.8,1\nS7,15,0.04,50,LOGISTICS,0.85,0\n");
    CliRun run = CliRun.of("validate", "--model", lenientModel.toString(), "--data", data.toString(),
        "--target", "defaulted", "--compare", model.toString(), "--out", dir.resolve("v").toString(), "--json");
    assertThat(run.code()).as(run.err()).isEqualTo(3);
    java.util.List<String> refused = Files.readAllLines(dir.resolve("v/refused.csv"));
    assertThat(refused).hasSize(2);
    assertThat(refused.get(1)).isEqualTo("4,--compare " + model + ": missing value (NaN) refused by the feature's"
        + " missing-value policy");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out()).get("rows").asInt()).isEqualTo(6);
  }

  /** Importers and exporters name the model file they could not read (import pmml already did). */
  @Test
  void importAndExport_fileThatIsNotTheirModel_namedInTheLine() throws Exception {
    Path lightgbm = dir.resolve("lightgbm-small.txt");
    try (java.io.InputStream in = getClass().getResourceAsStream("/models/lightgbm-small.txt")) {
      Files.write(lightgbm, in.readAllBytes());
    }
    Path xgboost = dir.resolve("xgboost-small.json");
    try (java.io.InputStream in = getClass().getResourceAsStream("/models/xgboost-small.json")) {
      Files.write(xgboost, in.readAllBytes());
    }
    assertThat(failure(CliRun.of("import", "xgboost", "--source", lightgbm.toString(), "--out",
        dir.resolve("h.json").toString()), "import")).startsWith("model file: " + lightgbm + ": not valid JSON: ");
    assertThat(failure(CliRun.of("import", "lightgbm", "--source", xgboost.toString(), "--out",
        dir.resolve("h.json").toString()), "import")).startsWith("model file: " + xgboost + ": line 1: ");
    Path csv = sample();
    assertThat(failure(CliRun.of("export", "pmml", "--model", csv.toString(), "--out", dir.resolve("f.pmml").toString()),
        "export")).startsWith("model file: " + csv + ": not a valid bundle document: ");
    // import's --schema bundle and every command's --model are read the same way
    assertThat(failure(CliRun.of("import", "xgboost", "--source", xgboost.toString(), "--schema", csv.toString(),
        "--out", dir.resolve("h.json").toString()), "import")).startsWith("model file: " + csv + ": ");
    assertThat(failure(CliRun.of("explain", "--model", csv.toString(), "--set", "x=1"), "explain"))
        .startsWith("model file: " + csv + ": not a valid bundle document: ");
    assertThat(dir.resolve("h.json")).doesNotExist();
    // a bundle file the format cannot hold is named too (until 2026-12-07: "model file: model.kind: ...")
    Path card = dir.resolve("card.json");
    Files.writeString(card, io.chainscore.models.DefaultModels.scorecard().toJson());
    assertThat(failure(CliRun.of("export", "xgboost", "--model", card.toString(), "--out",
        dir.resolve("card.xgb.json").toString()), "export")).isEqualTo("model file: " + card + ": model.kind: XGBoost"
        + " holds tree ensembles; this bundle is a scorecard model (export it as PMML)");
    assertThat(failure(CliRun.of("export", "lightgbm", "--model", card.toString(), "--out",
        dir.resolve("card.txt").toString()), "export")).startsWith("model file: " + card + ": model.kind: ");
    assertThat(dir.resolve("card.xgb.json")).doesNotExist();
    assertThat(dir.resolve("card.txt")).doesNotExist();
  }
}

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

  @Test
  void document_rowTheModelRefuses_namedAsValidateNamesIt() throws Exception {
    Path model = TestRuns.model(dir);
    Path data = sample();
    String validate = failure(CliRun.of("validate", "--model", model.toString(), "--data", data.toString(), "--target",
        "defaulted", "--out", dir.resolve("v").toString()), "validate");
    assertThat(validate).startsWith(data + ", row 4, column months_with_anchor: the model refuses it: ");
    String document = failure(CliRun.of("document", "--model", model.toString(), "--data", data.toString(), "--target",
        "defaulted", "--out", dir.resolve("d.html").toString()), "document");
    assertThat(document).isEqualTo(validate);
    assertThat(dir.resolve("d.html")).doesNotExist();

    // joined to labels: S1 has none, so S4 is the third row of the join
    Path features = Files.writeString(dir.resolve("features.csv"), "supplier_id,as_of_date,"
        + TestRuns.HEADER.substring("supplier_id,".length()) + "\n"
        + "S1,2025-06-30,10,0.01,24,RETAIL,0.9\n"
        + "S2,2025-06-30,40,0.05,12,LOGISTICS,0.6\n"
        + "S3,2025-06-30,5,0.02,60,MANUFACTURING,0.95\n"
        + "S4,2025-06-30,30,0.03,,RETAIL,0.7\n"
        + "S5,2025-06-30,0,0.01,100,AGRICULTURE,0.99\n");
    Path labels = Files.writeString(dir.resolve("labels.csv"), "supplier_id,as_of_date,defaulted\n"
        + "S2,2025-06-30,true\nS3,2025-06-30,false\nS4,2025-06-30,true\nS5,2025-06-30,false\n");
    String joinedValidate = failure(CliRun.of("validate", "--model", model.toString(), "--data", features.toString(),
        "--labels", labels.toString(), "--target", "defaulted", "--out", dir.resolve("v2").toString()), "validate");
    assertThat(joinedValidate).startsWith(features + ", row 3 of the rows joined with " + labels
        + ", column months_with_anchor: the model refuses it: ");
    assertThat(failure(CliRun.of("document", "--model", model.toString(), "--data", features.toString(), "--labels",
        labels.toString(), "--target", "defaulted", "--out", dir.resolve("d2.html").toString()), "document"))
        .isEqualTo(joinedValidate);
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
        + ": no column for the model's feature [a-z0-9_]+");
    // the model under validation's own gap is still said plainly
    String own = failure(CliRun.of("validate", "--model", "smb-supply-chain-scorecard", "--data", data.toString(),
        "--target", "defaulted", "--compare", model.toString(), "--out", dir.resolve("v2").toString()), "validate");
    assertThat(own).startsWith(data + ": no column for the model's feature ");
  }

  /** A row the compared model refuses and the validated one scores is the compared model's refusal. */
  @Test
  void validateCompare_rowOnlyTheComparedModelRefuses_namesTheComparedModel() throws Exception {
    Path model = TestRuns.model(dir);
    // the same scorecard but for months_with_anchor, whose missing value it imputes rather than refuses
    String json = Files.readString(model);
    String lenient = json.replace("\"missing\" : \"reject\",", "\"missing\" : \"impute\", \"impute_value\" : 24,");
    assertThat(lenient).isNotEqualTo(json);
    Path lenientModel = dir.resolve("lenient.json");
    io.chainscore.scoring.ModelBundle.seal(lenient).write(lenientModel);
    Path data = sample();
    String line = failure(CliRun.of("validate", "--model", lenientModel.toString(), "--data", data.toString(),
        "--target", "defaulted", "--compare", model.toString(), "--out", dir.resolve("v").toString()), "validate");
    assertThat(line).startsWith("--compare " + model + ": " + data
        + ", row 4, column months_with_anchor: the model refuses it: ");
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
  }
}

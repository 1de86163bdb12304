package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * A load error is one line whatever the bundle holds: a bundle's own text echoed in a message (an
 * unknown field's name, a model kind, a format) had its line breaks kept, so a bundle could add a
 * line of its choosing to a service's log; and the list of expected keys, from a {@code Set.of},
 * came in another order on every run.
 */
class ModelFormatMessageTest {
  private static ObjectNode scorecard() throws Exception {
    try (InputStream in = ModelFormatMessageTest.class.getResourceAsStream("/bundles/scorecard.json")) {
      return (ObjectNode) new ObjectMapper().readTree(in);
    }
  }

  @Test
  void bundleTextInMessages_staysOnOneLine() throws Exception {
    String injected = "x\n2026-12-05 13:00:00 INFO  scoring: model approved by risk committee";
    ObjectNode unknownKey = scorecard();
    unknownKey.put(injected, 1);
    ObjectNode badKind = scorecard();
    ((ObjectNode) badKind.get("model")).put("kind", injected);
    ObjectNode badFormat = scorecard();
    badFormat.put("format", injected);
    for (ObjectNode doc : new ObjectNode[] {unknownKey, badKind, badFormat}) {
      ModelFormatException e = catchThrowableOfType(() -> ModelBundle.seal(doc.toString()), ModelFormatException.class);
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r").contains("x\\n2026-12-05 13:00:00 INFO");
    }
    ModelFormatException e = catchThrowableOfType(() -> ModelBundle.seal(unknownKey.toString()),
        ModelFormatException.class);
    assertThat(e.getMessage()).endsWith("unknown field; expected one of [calibration, description, features, format,"
        + " format_version, golden_rows, master_scale, max_missing_share, model, model_id, model_version, provenance,"
        + " reason_codes, reason_reference, score_scale, sha256]");
    assertThat(ModelFormatException.oneLine("a\tb\u0007c\u2028d")).isEqualTo("a\\tb\\u0007c\\u2028d");
  }

  /**
   * A JSON syntax error is worded for the person fixing the file: a bundle cut short said
   * "Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED
   * (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])" under the field
   * of the last member it read, and trailing content quoted Jackson's option names.
   */
  @Test
  void jsonSyntaxErrors_sayWhatAndWhere_withoutTheParsersInternals() throws Exception {
    String whole = scorecard().toString();
    ModelFormatException cut = catchThrowableOfType(() -> ModelBundle.fromJson(whole.substring(0, whole.length() - 1)),
        ModelFormatException.class);
    assertThat(cut.field()).isEqualTo("sha256");  // the member it ends in
    assertThat(cut.getMessage()).isEqualTo("sha256: not a valid bundle document: the document ends early, inside an"
        + " object (cut short?) (line 1, column " + whole.length() + ")");
    ModelFormatException trailing = catchThrowableOfType(() -> ModelBundle.fromJson(whole + " {}"),
        ModelFormatException.class);
    assertThat(trailing.getMessage()).contains("trailing content after the JSON object").doesNotContain("`")
        .doesNotContain("Jackson").doesNotContain("DeserializationFeature");
    // NaN where a number goes: Jackson's advice to enable one of its options was quoted
    ModelFormatException nan = catchThrowableOfType(() -> ModelBundle.fromJson(whole.replace("\"pdo\":20",
        "\"pdo\":NaN")), ModelFormatException.class);
    assertThat(nan.getMessage()).startsWith("score_scale.pdo: not a valid bundle document: NaN is not a JSON number"
        + " (JSON has no NaN or infinity; a missing value is null) (line 1, column ").doesNotContain("JsonReadFeature");
    // a newer format version: "expected an integer in [1, 1]" read as a range error
    ModelFormatException version = catchThrowableOfType(() -> ModelBundle.seal(whole.replace(
        "\"format_version\":1", "\"format_version\":2")), ModelFormatException.class);
    assertThat(version.field()).isEqualTo("format_version");
    assertThat(version.getMessage()).isEqualTo("format_version: this reader reads format_version 1 bundles, got 2"
        + " (written by a newer ChainScore?)");
    // a newer format's bundle, sealed by its writer, brings what this reader does not know yet: the
    // version is named, not its new field as if a typo (the unknown-field check came first)
    ObjectNode newer = scorecard();
    newer.put("format_version", 2);
    newer.putObject("model_card").put("owner", "credit risk");
    newer.put("sha256", CanonicalJson.sha256(CanonicalJson.without(newer, "sha256").without()));
    for (ModelFormatException e : new ModelFormatException[] {
        catchThrowableOfType(() -> ModelBundle.fromJson(newer.toString()), ModelFormatException.class),
        catchThrowableOfType(() -> ModelBundle.seal(newer.toString()), ModelFormatException.class)}) {
      assertThat(e).isNotNull();
      assertThat(e.field()).isEqualTo("format_version");
      assertThat(e.getMessage()).isEqualTo("format_version: this reader reads format_version 1 bundles, got 2"
          + " (written by a newer ChainScore?)");
    }
    ModelFormatException xgboost = catchThrowableOfType(() -> io.chainscore.scoring.tree.xgboost.XGBoostModelReader.read(
        new java.io.ByteArrayInputStream("{\"learner\": {\"x\": \"ab".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
        ModelFormatException.class);
    assertThat(xgboost.getMessage()).startsWith("not valid JSON: ").contains("(line 1, column ")
        .doesNotContain("start marker").doesNotContain("REDACTED");
  }

  /**
   * A model read from a file names it: "not valid JSON" or "not a valid bundle document" alone did
   * not say which of the command's files was at fault. The field stays the field.
   */
  @Test
  void modelReadFromAFile_namesTheFile_onceAndKeepsTheField(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path csv = java.nio.file.Files.writeString(dir.resolve("features.csv"), "supplier_id,x\nS1,1\n");
    ModelFormatException bundle = catchThrowableOfType(() -> ModelBundle.read(csv), ModelFormatException.class);
    assertThat(bundle.getMessage()).startsWith(csv + ": not a valid bundle document: ");
    assertThat(bundle.file()).isEqualTo(csv.toString());
    assertThat(bundle.field()).isEmpty();
    ModelFormatException xgboost = catchThrowableOfType(
        () -> io.chainscore.scoring.tree.xgboost.XGBoostModelReader.read(csv), ModelFormatException.class);
    assertThat(xgboost.getMessage()).startsWith(csv + ": not valid JSON: ");
    ModelFormatException lightgbm = catchThrowableOfType(
        () -> io.chainscore.scoring.tree.lightgbm.LightGbmModelReader.read(csv), ModelFormatException.class);
    assertThat(lightgbm.getMessage()).isEqualTo(csv + ": line 1: expected key=value in the header, got 'supplier_id,x'");
    assertThat(lightgbm.field()).isEqualTo("line 1");
    // a field's problem in a file: the path once, then the field
    ObjectNode noModel = scorecard();
    noModel.remove("model");
    java.nio.file.Path broken = java.nio.file.Files.writeString(dir.resolve("broken.json"), noModel.toString());
    ModelFormatException field = catchThrowableOfType(() -> ModelBundle.read(broken), ModelFormatException.class);
    assertThat(field.getMessage()).isEqualTo(broken + ": " + catchThrowableOfType(
        () -> ModelBundle.fromJson(noModel.toString()), ModelFormatException.class).getMessage());
    assertThat(field.inFile(dir.resolve("other.json"))).isSameAs(field);
    // a directory given as the model file: named, a format problem (it was "IOException: Is a directory")
    ModelFormatException directory = catchThrowableOfType(() -> ModelBundle.read(dir), ModelFormatException.class);
    assertThat(directory.getMessage()).isEqualTo(dir + ": a directory; expected a model bundle file");
    assertThat(directory.file()).isEqualTo(dir.toString());
    assertThat(catchThrowableOfType(() -> ModelBundle.read(dir, null), ModelFormatException.class).getMessage())
        .isEqualTo(directory.getMessage());
    // read from text or a stream there is no file to name
    assertThat(catchThrowableOfType(() -> ModelBundle.fromJson("{"), ModelFormatException.class).file()).isNull();
  }
}

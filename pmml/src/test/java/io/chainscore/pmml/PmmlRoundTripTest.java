package io.chainscore.pmml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.pmml.testing.JpmmlHarness;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.ScoringException;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Export then import gives a bundle that scores like the original: points and PD within 1e-9, the
 * same grade, the same reason codes and the same refusals on thousands of rows; and exporting the
 * imported bundle gives the same PMML model section again.
 */
class PmmlRoundTripTest {
  static final PmmlImport.Options OPTIONS = new PmmlImport.Options("model.pmml", null, "2025-01-01T00:00:00Z",
      "0".repeat(64));

  static ModelBundle roundTrip(ModelBundle bundle) throws Exception {
    String pmml = PmmlExport.toPmml(bundle);
    return PmmlImport.read(new ByteArrayInputStream(pmml.getBytes(StandardCharsets.UTF_8)), OPTIONS);
  }

  static void assertScoresAlike(ModelBundle original, ModelBundle imported, List<double[]> rows) {
    assertThat(imported.schema()).isEqualTo(original.schema());
    assertThat(imported.modelKind()).isEqualTo(original.modelKind());
    int scored = 0;
    for (int r = 0; r < rows.size(); r++) {
      double[] row = rows.get(r);
      ScoreResult a = score(original, row);
      ScoreResult b = score(imported, row);
      String where = "row " + r + " " + java.util.Arrays.toString(row);
      if (a == null) {
        assertThat(b).as("imported bundle must refuse " + where).isNull();
        continue;
      }
      assertThat(b).as("imported bundle refused " + where).isNotNull();
      if (Double.isNaN(a.points())) {
        assertThat(b.points()).as(where).isNaN();
        continue;
      }
      scored++;
      assertThat(b.points()).as("points " + where).isCloseTo(a.points(), within(1e-9));
      assertThat(b.pd()).as("pd " + where).isCloseTo(a.pd(), within(1e-9));
      assertThat(b.grade()).as("grade " + where).isEqualTo(a.grade());
      assertThat(b.reasonCodes()).as("reason codes " + where).isEqualTo(a.reasonCodes());
    }
    assertThat(scored).isGreaterThan(rows.size() / 5);
  }

  private static ScoreResult score(ModelBundle bundle, double[] row) {
    try {
      return bundle.scorer().score(row);
    } catch (ScoringException e) {
      return null;
    }
  }

  private static void check(ModelBundle bundle, long seed) throws Exception {
    ModelBundle imported = roundTrip(bundle);
    assertThat(imported.modelId()).isEqualTo(bundle.modelId());
    assertThat(imported.modelVersion()).isEqualTo(bundle.modelVersion());
    assertThat(imported.reasonCodes()).isEqualTo(bundle.reasonCodes());
    assertThat(imported.masterScale().grades()).isEqualTo(bundle.masterScale().grades());
    assertThat(imported.provenance()).isEqualTo(bundle.provenance());
    // and the provenance's records: the PD calibration's (rating philosophy, central tendency)
    assertThat(provenanceJson(imported)).isEqualTo(provenanceJson(bundle));
    // the refusal of rows missing too much survives the trip (it was dropped: such rows were scored)
    assertThat(imported.maxMissingShare()).isEqualTo(bundle.maxMissingShare());
    List<double[]> rows = new java.util.ArrayList<>(JpmmlHarness.rows(bundle, 4000, seed));
    double[] allMissing = new double[bundle.schema().size()];
    java.util.Arrays.fill(allMissing, Double.NaN);
    rows.add(allMissing);
    assertScoresAlike(bundle, imported, rows);
    // a second trip changes nothing that PMML carries
    String once = PmmlExport.toPmml(imported);
    assertThat(PmmlExport.toPmml(roundTrip(imported))).isEqualTo(once);
  }

  private static com.fasterxml.jackson.databind.JsonNode provenanceJson(ModelBundle bundle) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundle.toJson()).get("provenance");
  }

  @Test
  void bundledScorecard() throws Exception {
    // calibrated through the cycle: its provenance records it (lost by the trip until 2026-12-05)
    assertThat(provenanceJson(DefaultModels.scorecard()).get("pd_calibration").get("rating_philosophy").asText())
        .isEqualTo("ttc");
    check(DefaultModels.scorecard(), 21);
  }

  @Test
  void bundledGbdt() throws Exception {
    check(DefaultModels.gbdt(), 22);
  }

  @Test
  void logisticWithWoeTerms() throws Exception {
    check(ModelBundle.read(PmmlExportJpmmlTest.testBundle("logistic.json")), 23);
  }

  @Test
  void scorecardTestBundle() throws Exception {
    check(ModelBundle.read(PmmlExportJpmmlTest.testBundle("scorecard.json")), 24);
  }

  @Test
  void synthesizedScorecards() throws Exception {
    for (int seed = 1; seed <= 3; seed++) {
      check(PmmlExportJpmmlTest.synthesizedScorecard(seed), 30 + seed);
    }
  }

  @Test
  void xgboostAndLightGbmImports() throws Exception {
    check(TreeEnsembleJpmmlTest.wrap(XGBoostModelReader.read(TreeEnsembleJpmmlTest.fixture("xgboost-small.json")), "x"), 25);
    check(TreeEnsembleJpmmlTest.wrap(LightGbmModelReader.read(TreeEnsembleJpmmlTest.fixture("lightgbm-small.txt")), "l"), 26);
  }

  @Test
  void randomEnsemblesOfEveryMissingRule() throws Exception {
    for (TreeEnsemble.Precision p : TreeEnsemble.Precision.values()) {
      for (int seed = 1; seed <= 3; seed++) {
        check(TreeEnsembleJpmmlTest.randomBundle(p, seed), seed);
      }
    }
  }

  @Test
  void provenanceRecords_thatAreNotTheModels_areRefusedByName() throws Exception {
    String pmml = PmmlExport.toPmml(DefaultModels.scorecard());
    String records = pmml.substring(pmml.indexOf("<X-ProvenanceRecords>"), pmml.indexOf("</X-ProvenanceRecords>"));
    for (String[] bad : new String[][] {
        {"<X-ProvenanceRecords>[1, 2]", "expected the JSON object of the bundle's provenance records"},
        {"<X-ProvenanceRecords>{\"pd_calibration\": ", "expected the JSON object"},
        {"<X-ProvenanceRecords>{\"trainer\": \"x\"}", "field trainer belongs in X-Provenance's attributes"},
        {"<X-ProvenanceRecords>{\"segments\": [{\"name\": \"thin\", \"rows\": 1, \"events\": 0,"
            + " \"trainer\": \"t\"}]}", "the records do not fit the model read"}}) {
      byte[] doc = pmml.replace(records, bad[0]).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThatThrownBy(() -> PmmlImport.read(new java.io.ByteArrayInputStream(doc),
          new PmmlImport.Options("m.pmml", null, "2025-01-01T00:00:00Z", "0".repeat(64))))
          .as(bad[0]).isInstanceOf(io.chainscore.scoring.ModelFormatException.class)
          .hasMessageContaining("m.pmml").hasMessageContaining("X-ProvenanceRecords").hasMessageContaining(bad[1]);
    }
  }

  /** An unknown element in an Attribute is named, not the predicate after it (which was blamed as a second one). */
  @Test
  void unknownElementBeforeAnAttributesPredicate_isTheOneNamed() throws Exception {
    String pmml = PmmlExport.toPmml(DefaultModels.scorecard());
    int attribute = pmml.indexOf("<Attribute ");
    int open = pmml.indexOf('>', attribute) + 1;
    int line = (int) pmml.substring(0, open).chars().filter(c -> c == '\n').count() + 2;
    for (String[] bad : new String[][] {
        {"<Foo/>", "Attribute/Foo: element Foo is not supported here; expected one predicate"},
        {"<True/>", "Attribute/SimplePredicate: a second predicate; an Attribute holds one"}}) {
      byte[] doc = (pmml.substring(0, open) + "\n" + bad[0] + pmml.substring(open)).getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> PmmlImport.read(new java.io.ByteArrayInputStream(doc),
          new PmmlImport.Options("m.pmml", null, "2025-01-01T00:00:00Z", "0".repeat(64))))
          .as(bad[0]).isInstanceOf(io.chainscore.scoring.ModelFormatException.class)
          .hasMessageContaining("m.pmml, line " + (bad[0].equals("<Foo/>") ? line : line + 1) + ", " + bad[1]);
    }
  }

  /**
   * Read from a file, a refusal names the file ({@code file()}) once and keeps line and element as
   * its field; options without a source, or without the provenance a foreign document needs, are
   * refused saying so (they gave "got null null").
   */
  @Test
  void readFromAFile_namesTheFile_andOptionsSayWhatIsMissing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String pmml = PmmlExport.toPmml(DefaultModels.scorecard());
    int at = pmml.indexOf("partialScore=\"") + "partialScore=\"".length();
    java.nio.file.Path bad = java.nio.file.Files.writeString(dir.resolve("bad.pmml"),
        pmml.substring(0, at) + "abc" + pmml.substring(pmml.indexOf('"', at)));
    int line = (int) pmml.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    io.chainscore.scoring.ModelFormatException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> PmmlImport.read(bad, new PmmlImport.Options("bad.pmml", null, null, null)),
        io.chainscore.scoring.ModelFormatException.class);
    assertThat(e.file()).isEqualTo(bad.toString());
    assertThat(e.field()).isEqualTo("line " + line + ", Attribute@partialScore");
    assertThat(e.getMessage()).isEqualTo(bad + ": line " + line + ", Attribute@partialScore: expected a finite number,"
        + " got 'abc'");
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> PmmlImport.read(dir,
        new PmmlImport.Options("d", null, null, null)), io.chainscore.scoring.ModelFormatException.class).getMessage())
        .isEqualTo(dir + ": a directory; expected a PMML file");
    assertThatThrownBy(() -> new PmmlImport.Options(null, null, null, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("source: ");
    // a document without ChainScore's extension takes its provenance from the options
    String foreign = pmml.replaceAll("(?s)<Extension name=\"chainscore\".*?</Extension>", "");
    java.nio.file.Path other = java.nio.file.Files.writeString(dir.resolve("other.pmml"), foreign);
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> PmmlImport.read(other,
        new PmmlImport.Options("other.pmml", null, null, null)), io.chainscore.scoring.ModelFormatException.class)
        .getMessage()).isEqualTo(other + ": Header: the document carries no ChainScore provenance; give"
            + " PmmlImport.Options a trainedAt (ISO-8601 instant) and a dataSha256 (the file's SHA-256)");
    assertThat(PmmlImport.read(other, new PmmlImport.Options("other.pmml", null, "2025-01-01T00:00:00Z",
        "0".repeat(64))).provenance().trainer()).startsWith("PMML import of ");
  }

  @Test
  void modelIdOption_overridesTheDocuments() throws Exception {
    String pmml = PmmlExport.toPmml(DefaultModels.scorecard());
    ModelBundle b = PmmlImport.read(new ByteArrayInputStream(pmml.getBytes(StandardCharsets.UTF_8)),
        new PmmlImport.Options("x.pmml", "other-id", "2025-01-01T00:00:00Z", "0".repeat(64)));
    assertThat(b.modelId()).isEqualTo("other-id");
    assertThat(ModelView.of(b)).isInstanceOf(io.chainscore.scoring.spi.ScorecardView.class);
  }

  /**
   * An import (an import record given, as {@code chainscore import pmml} gives it) names the PMML file
   * it read as {@code provenance.source_model}, as the XGBoost and LightGBM imports name theirs, so
   * that the model document shows its hash as the model file's, not as the training data's; a
   * {@code source_model} the document's records claim (an exported imported bundle) is replaced.
   * Until 2026-12-07 the bundle had none, or kept the claimed file's.
   */
  @Test
  void anImport_namesThePmmlFileAsTheSourceModel() throws Exception {
    String pmmlSha = "b".repeat(64);
    PmmlImport.Options imported = new PmmlImport.Options("card.pmml", null, "2025-01-01T00:00:00Z", pmmlSha, null,
        Double.NaN, "imported from PMML by chainscore import pmml (test); file card.pmml sha256 " + pmmlSha);
    ModelBundle card = PmmlImport.read(new ByteArrayInputStream(
        PmmlExport.toPmml(DefaultModels.scorecard()).getBytes(StandardCharsets.UTF_8)), imported);
    assertThat(provenanceJson(card).get("source_model").toString())
        .isEqualTo("{\"file\":\"card.pmml\",\"sha256\":\"" + pmmlSha + "\"}");
    assertThat(card.provenance().trainingDataSha256()).isEqualTo(pmmlSha);

    com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode)
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(DefaultModels.gbdt().toJson());
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("provenance")).putObject("source_model")
        .put("file", "trees.json").put("sha256", "a".repeat(64));
    String pmml = PmmlExport.toPmml(ModelBundle.seal(doc.toString()));
    ModelBundle trees = PmmlImport.read(new ByteArrayInputStream(pmml.getBytes(StandardCharsets.UTF_8)), imported);
    assertThat(provenanceJson(trees).get("source_model").get("file").asText()).isEqualTo("card.pmml");
    assertThat(provenanceJson(trees).get("source_model").get("sha256").asText()).isEqualTo(pmmlSha);
    // a library round trip (no import record) keeps the document's records as they are
    ModelBundle kept = PmmlImport.read(new ByteArrayInputStream(pmml.getBytes(StandardCharsets.UTF_8)), OPTIONS);
    assertThat(provenanceJson(kept).get("source_model").get("file").asText()).isEqualTo("trees.json");
  }
}

package io.chainscore.pmml;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.pmml.testing.JpmmlHarness;

import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every bundled model exported to PMML and evaluated by JPMML-Evaluator gives ChainScore's points,
 * PD, grade and reason codes on thousands of rows.
 */
class PmmlExportJpmmlTest {
  @Test
  void bundledScorecard_jpmmlAgreesOnPointsPdGradeAndReasonCodes() throws Exception {
    ModelBundle bundle = DefaultModels.scorecard();
    String pmml = PmmlExport.toPmml(bundle);
    List<double[]> rows = JpmmlHarness.rows(bundle, 5000, 11);
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, pmml, rows);
    assertThat(a.scored()).isGreaterThan(1000);
    assertThat(a.withReasons()).isGreaterThan(1000);
  }

  @Test
  void logisticWithRawAndWoeTerms_jpmmlAgreesOnPointsPdAndGrade() throws Exception {
    ModelBundle bundle = ModelBundle.read(testBundle("logistic.json"));
    String pmml = PmmlExport.toPmml(bundle);
    assertThat(pmml).contains("<RegressionModel").contains("function=\"if\"");
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, pmml, JpmmlHarness.rows(bundle, 4000, 13));
    assertThat(a.scored()).isGreaterThan(1000);
  }

  @Test
  void scorecardTestBundle_jpmmlAgrees() throws Exception {
    ModelBundle bundle = ModelBundle.read(testBundle("scorecard.json"));
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, PmmlExport.toPmml(bundle),
        JpmmlHarness.rows(bundle, 4000, 14));
    assertThat(a.scored()).isGreaterThan(1000);
  }

  /**
   * Whole-number features (the test scorecard's days beyond terms, clamped, and months with the
   * anchor, refused out of range) export as {@code dataType="integer"}: JPMML refuses the same
   * fractions ChainScore refuses, and the document imports back with the features whole-number.
   */
  @Test
  void wholeNumberFeatures_exportAsIntegerFields_jpmmlRefusesTheSameFractions() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(testBundle("scorecard.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("features").get(0)).put("whole_number", true);
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("features").get(2)).put("whole_number", true);
    ModelBundle bundle = ModelBundle.seal(root.toString());
    String pmml = PmmlExport.toPmml(bundle);
    assertThat(pmml).contains("<DataField name=\"days_beyond_terms_avg\" optype=\"continuous\" dataType=\"integer\"")
        .contains("<DataField name=\"months_with_anchor\" optype=\"continuous\" dataType=\"integer\"")
        .contains("<DataField name=\"dilution_rate_12m\" optype=\"continuous\" dataType=\"double\"");
    // the harness's values (at and beside every bin edge, uniform over the range) are mostly
    // fractions there: round half of them
    List<double[]> rows = JpmmlHarness.rows(bundle, 4000, 15);
    java.util.Random random = new java.util.Random(15);
    int fractions = 0;
    for (double[] row : rows) {
      for (int j : new int[] {0, 2}) {
        if (random.nextBoolean()) {
          row[j] = Math.rint(row[j]);
        }
        fractions += Double.isFinite(row[j]) && row[j] != Math.rint(row[j]) ? 1 : 0;
      }
    }
    assertThat(fractions).isGreaterThan(1000);
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, pmml, rows);
    assertThat(a.refused()).isGreaterThan(1000);
    assertThat(a.scored()).isGreaterThan(800);
    ModelBundle back = PmmlImport.read(new java.io.ByteArrayInputStream(pmml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new PmmlImport.Options("whole.pmml", null, "2025-01-01T00:00:00Z", "0".repeat(64)));
    assertThat(back.schema().feature(0).wholeNumber()).isTrue();
    assertThat(back.schema().feature(1).wholeNumber()).isFalse();
    assertThat(back.schema().feature(2).wholeNumber()).isTrue();
  }

  @Test
  void synthesizedScorecards_everyBinKindPolicyAndCalibration_jpmmlAgrees() throws Exception {
    for (int seed = 1; seed <= 3; seed++) {
      ModelBundle bundle = synthesizedScorecard(seed);
      JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, PmmlExport.toPmml(bundle),
          JpmmlHarness.rows(bundle, 3000, seed));
      assertThat(a.scored()).isGreaterThan(1500);
      assertThat(a.withReasons()).isGreaterThan(1000);
    }
  }

  /**
   * A scorecard with a single-interval characteristic, multi-value special bins, a categorical
   * characteristic whose missing values are imputed, two characteristics sharing a reason code,
   * ties between codes, a clamped and a rejecting feature, a custom master scale and, by seed, no,
   * logistic or isotonic calibration.
   */
  static ModelBundle synthesizedScorecard(int seed) throws Exception {
    java.util.List<String> sectors = java.util.List.of("agri", "retail", "metal works", "glass");
    io.chainscore.scoring.spi.BundleBuilder b = io.chainscore.scoring.spi.BundleBuilder.create("synth-" + seed, "2.0.1");
    b.feature(io.chainscore.scoring.spi.BundleBuilder.Feature.of(
        io.chainscore.features.FeatureSpec.numeric("late_share", "ratio", 0, 1, "late share"))
        .withOutOfRange(io.chainscore.scoring.spi.BundleBuilder.OutOfRange.CLAMP));
    b.feature(io.chainscore.scoring.spi.BundleBuilder.Feature.of(
        io.chainscore.features.FeatureSpec.numeric("days", "days", -1, 365, "days; -1 and 999 are sentinels")));
    b.feature(io.chainscore.scoring.spi.BundleBuilder.Feature.of(
        io.chainscore.features.FeatureSpec.categorical("sector", sectors, "sector"))
        .withMissing(io.chainscore.scoring.spi.BundleBuilder.Missing.IMPUTE, 3));
    b.feature(io.chainscore.scoring.spi.BundleBuilder.Feature.of(
        io.chainscore.features.FeatureSpec.numeric("count", "count", 0, Double.POSITIVE_INFINITY, "count"))
        .withMissing(io.chainscore.scoring.spi.BundleBuilder.Missing.REJECT, Double.NaN));
    b.feature(io.chainscore.scoring.spi.BundleBuilder.Feature.of(
        io.chainscore.features.FeatureSpec.numeric("flat", "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "one bin")));
    java.util.List<io.chainscore.scoring.spi.Characteristic> chars = java.util.List.of(
        new io.chainscore.scoring.spi.Characteristic("late", "late_share", "RB", java.util.List.of(
            new io.chainscore.scoring.spi.Bin.Range(0, 0.05, 40), new io.chainscore.scoring.spi.Bin.Range(0.05, 0.2, 25),
            new io.chainscore.scoring.spi.Bin.Range(0.2, Double.POSITIVE_INFINITY, 5 + seed),
            new io.chainscore.scoring.spi.Bin.Missing(12))),
        new io.chainscore.scoring.spi.Characteristic("days", "days", "RA", java.util.List.of(
            new io.chainscore.scoring.spi.Bin.Special(java.util.List.of(-1.0, 0.0), 15),
            new io.chainscore.scoring.spi.Bin.Range(Double.NEGATIVE_INFINITY, 30, 30),
            new io.chainscore.scoring.spi.Bin.Range(30, 90.5, 20), new io.chainscore.scoring.spi.Bin.Range(90.5, Double.POSITIVE_INFINITY, 0),
            new io.chainscore.scoring.spi.Bin.Missing(15))),
        new io.chainscore.scoring.spi.Characteristic("sector", "sector", "RA", java.util.List.of(
            new io.chainscore.scoring.spi.Bin.Categories(java.util.List.of("agri", "glass"), 10),
            new io.chainscore.scoring.spi.Bin.Categories(java.util.List.of("retail"), 25),
            new io.chainscore.scoring.spi.Bin.Categories(java.util.List.of("metal works"), 0))),
        new io.chainscore.scoring.spi.Characteristic("count", "count", "RC", java.util.List.of(
            new io.chainscore.scoring.spi.Bin.Range(0, 3, 0), new io.chainscore.scoring.spi.Bin.Range(3, Double.POSITIVE_INFINITY, 15))),
        new io.chainscore.scoring.spi.Characteristic("flat", "flat", "RC", java.util.List.of(
            new io.chainscore.scoring.spi.Bin.Range(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 7),
            new io.chainscore.scoring.spi.Bin.Missing(-3))));
    b.scoreScale(25, 500, 20).model(new io.chainscore.scoring.spi.ScorecardView(350.5, chars));
    b.reasonCode("RA", "a").reasonCode("RB", "b").reasonCode("RC", "c");
    b.masterScale(io.chainscore.scoring.MasterScale.of(java.util.List.of("A", "B", "C", "DEF"),
        new double[] {0.02, 0.1, 1.0}, new double[] {0.01, 0.05, 0.3}));
    if (seed == 2) {
      b.logisticCalibration(0.3, 1.2);
    } else if (seed == 3) {
      b.isotonicCalibration(new double[] {-5, -3, -2, 0}, new double[] {0.001, 0.02, 0.05, 0.6});
    }
    return b.provenance(new ModelBundle.Provenance("2025-01-01T00:00:00Z", "0".repeat(64), "test")).build();
  }

  static java.nio.file.Path testBundle(String name) {
    for (java.nio.file.Path p = java.nio.file.Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      java.nio.file.Path candidate = p.resolve("risk-core/src/test/resources/bundles/" + name);
      if (java.nio.file.Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(name + " not found");
  }

  @Test
  void bundledGbdt_jpmmlAgreesOnPointsPdAndGrade() throws Exception {
    ModelBundle bundle = DefaultModels.gbdt();
    String pmml = PmmlExport.toPmml(bundle);
    List<double[]> rows = JpmmlHarness.rows(bundle, 5000, 12);
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, pmml, rows);
    assertThat(a.scored()).isGreaterThan(1000);
  }
}

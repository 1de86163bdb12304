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

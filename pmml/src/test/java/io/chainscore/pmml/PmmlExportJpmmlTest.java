package io.chainscore.pmml;

import static org.assertj.core.api.Assertions.assertThat;

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
  void bundledGbdt_jpmmlAgreesOnPointsPdAndGrade() throws Exception {
    ModelBundle bundle = DefaultModels.gbdt();
    String pmml = PmmlExport.toPmml(bundle);
    List<double[]> rows = JpmmlHarness.rows(bundle, 5000, 12);
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, pmml, rows);
    assertThat(a.scored()).isGreaterThan(1000);
  }
}

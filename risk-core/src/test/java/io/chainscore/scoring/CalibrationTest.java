package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class CalibrationTest {
  @Test
  void isotonic_handWorkedTable() {
    // knots (margin -> PD): (-2, 0.01), (0, 0.05), (1, 0.2)
    Calibration c = Calibration.isotonic(new double[] {-2, 0, 1}, new double[] {0.01, 0.05, 0.2});
    assertThat(c.pd(-3)).isEqualTo(0.01); // clamped below the first knot
    assertThat(c.pd(-2)).isEqualTo(0.01);
    assertThat(c.pd(-1)).isCloseTo(0.03, within(1e-15)); // halfway between 0.01 and 0.05
    assertThat(c.pd(-0.5)).isCloseTo(0.04, within(1e-15));
    assertThat(c.pd(0)).isEqualTo(0.05);
    assertThat(c.pd(0.5)).isCloseTo(0.125, within(1e-15));
    assertThat(c.pd(0.9)).isCloseTo(0.185, within(1e-15));
    assertThat(c.pd(1)).isEqualTo(0.2);
    assertThat(c.pd(7)).isEqualTo(0.2);
    assertThat(c.pd(Double.NaN)).isNaN();
  }

  @Test
  void logistic_isPlattScaling() {
    Calibration c = Calibration.logistic(-0.4, 1.3);
    assertThat(c.pd(0.5)).isCloseTo(1 / (1 + Math.exp(-(-0.4 + 1.3 * 0.5))), within(1e-16));
    assertThat(Calibration.none().pd(Math.log(0.25))).isCloseTo(0.2, within(1e-16)); // odds 1:4
  }

  @Test
  void scorer_appliesIsotonicCalibrationToTheScorecardMargin() throws ModelFormatException {
    ObjectNode root = TestBundles.tree("scorecard.json");
    ObjectNode cal = root.putObject("calibration");
    cal.put("kind", "isotonic");
    ArrayNode margins = cal.putArray("margins");
    ArrayNode pds = cal.putArray("pds");
    margins.add(-5).add(-2).add(0);
    pds.add(0.001).add(0.02).add(0.3);
    Scorer scorer = TestBundles.seal(root, false).scorer();
    ScoreResult r = scorer.score(new double[] {7, 0.03, 24, 2, 0.9});
    // 553 points -> margin = -(ln 50 + (553 - 600) ln 2 / 20), between the knots -5 and -2
    double margin = -(Math.log(50) + (553 - 600) * Math.log(2) / 20);
    double expected = 0.001 + (margin + 5) / 3 * (0.02 - 0.001);
    assertThat(r.points()).isEqualTo(553.0);
    assertThat(r.pd()).isCloseTo(expected, within(1e-15));
    assertThat(r.grade()).isEqualTo("5");
  }

  @Test
  void seal_nonMonotoneIsotonicTableIsRefused() {
    ObjectNode root = TestBundles.tree("scorecard.json");
    ObjectNode cal = root.putObject("calibration");
    cal.put("kind", "isotonic");
    cal.putArray("margins").add(-1).add(0).add(1);
    cal.putArray("pds").add(0.1).add(0.05).add(0.3);
    assertThatThrownBy(() -> TestBundles.seal(root, false))
        .isInstanceOfSatisfying(ModelFormatException.class, e -> assertThat(e.field()).isEqualTo("calibration.pds[1]"));
  }
}

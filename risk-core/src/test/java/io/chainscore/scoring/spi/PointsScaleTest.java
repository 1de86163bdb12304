package io.chainscore.scoring.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PointsScaleTest {
  private final PointsScale standard = new PointsScale(20, 600, 50);

  @Test
  void factorAndOffset_matchTextbookValues() {
    // Siddiqi, Credit Risk Scorecards (2006), ch. 6: pdo 20, 600 points at 50:1 odds give
    // factor 28.8539 and offset 487.1229.
    assertThat(standard.factor()).isCloseTo(28.8539, within(1e-4));
    assertThat(standard.offset()).isCloseTo(487.1229, within(1e-4));
    assertThat(standard.pointsOf(Math.log(1.0 / 50))).isCloseTo(600, within(1e-9));
    assertThat(standard.pointsOf(Math.log(1.0 / 100))).as("odds doubled").isCloseTo(620, within(1e-9));
    assertThat(standard.probabilityOfDefault(600)).isCloseTo(1.0 / 51, within(1e-12));
    assertThat(standard.probabilityOfDefault(620)).isCloseTo(1.0 / 101, within(1e-12));
    assertThat(standard.marginOf(standard.pointsOf(-2.5))).isCloseTo(-2.5, within(1e-12));
    assertThat(standard.marginPerPoint()).isCloseTo(-Math.log(2) / 20, within(1e-15));
  }

  @Test
  void marginOf_agreesWithTheTextbookFormTrainingUses() {
    // Training writes points with offset and factor; the runtime reads them back with marginOf.
    // The two forms are algebraically one line: margin = (offset - points) / factor.
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 1000; trial++) {
      PointsScale scale = new PointsScale(5 + random.nextDouble() * 60, 300 + random.nextDouble() * 600,
          0.5 + random.nextDouble() * 200);
      double points = 200 + random.nextDouble() * 800;
      double textbook = (scale.offset() - points) / scale.factor();
      assertThat(scale.marginOf(points)).isCloseTo(textbook, within(1e-9 * Math.max(1, Math.abs(textbook))));
      assertThat(scale.pointsOf(textbook)).isCloseTo(points, within(1e-9 * points));
    }
  }

  @Test
  void points_ofWoeCodedLogisticModel_sumToTheScoreOfItsMargin() {
    // The scorecard construction training uses: bin points -(beta * woe + intercept / k) * factor
    // + offset / k add up to the score of the model's margin.
    SplittableRandom random = new SplittableRandom(4);
    double intercept = -1.3;
    double[] beta = {0.9, 1.1, 0.7};
    double[][] woe = {{-0.8, -0.1, 0.4, 1.2}, {-0.5, 0.6}, {-1.0, 0.0, 0.3, 0.9, 1.5}};
    for (int trial = 0; trial < 100; trial++) {
      int[] bin = {random.nextInt(4), random.nextInt(2), random.nextInt(5)};
      double margin = intercept;
      double total = 0;
      for (int j = 0; j < 3; j++) {
        margin += beta[j] * woe[j][bin[j]];
        total += -(beta[j] * woe[j][bin[j]] + intercept / 3) * standard.factor() + standard.offset() / 3;
      }
      assertThat(total).isCloseTo(standard.pointsOf(margin), within(1e-9));
    }
  }

  @Test
  void roundPreservingRank_keepsOrderAndTiesOnlyExactTies() {
    double[][] points = {{10.2, 10.4, 10.45, 9.6, 10.4}, {-3.5, 3.5}};
    long[][] rounded = PointsScale.roundPreservingRank(points);
    // Plain rounding would give 10, 10, 10, 10, 10: all four distinct values must stay ordered.
    assertThat(rounded[0][3]).isLessThan(rounded[0][0]);
    assertThat(rounded[0][0]).isLessThan(rounded[0][1]);
    assertThat(rounded[0][1]).isEqualTo(rounded[0][4]).as("exact tie stays tied");
    assertThat(rounded[0][1]).isLessThan(rounded[0][2]);
    assertThat(rounded[1]).containsExactly(-3, 4);
    SplittableRandom random = new SplittableRandom(9);
    for (int trial = 0; trial < 200; trial++) {
      double[] p = new double[8];
      for (int i = 0; i < p.length; i++) {
        p[i] = Math.round(random.nextDouble() * 60) / 4.0;
      }
      long[] r = PointsScale.roundPreservingRank(new double[][] {p})[0];
      for (int a = 0; a < p.length; a++) {
        for (int b = 0; b < p.length; b++) {
          if (p[a] < p[b]) {
            assertThat(r[a]).isLessThan(r[b]);
          } else if (p[a] == p[b]) {
            assertThat(r[a]).isEqualTo(r[b]);
          }
        }
      }
    }
  }

  @Test
  void constructor_rejectsNonsense() {
    assertThatThrownBy(() -> new PointsScale(0, 600, 50)).hasMessage("pdo must be a positive number, got 0.0");
    assertThatThrownBy(() -> new PointsScale(20, 600, -1)).hasMessage("base odds must be a positive number, got -1.0");
    assertThatThrownBy(() -> new PointsScale(Double.POSITIVE_INFINITY, 600, 50))
        .hasMessage("pdo must be a positive number, got Infinity");
    assertThatThrownBy(() -> new PointsScale(20, Double.NaN, 50)).hasMessage("base score must be finite, got NaN");
  }

  @Test
  void equals_comparesTheThreeParameters() {
    assertThat(new PointsScale(20, 600, 50)).isEqualTo(standard).hasSameHashCodeAs(standard);
    assertThat(new PointsScale(20, 600, 51)).isNotEqualTo(standard);
  }
}

package io.chainscore.develop.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScorecardScalingTest {
  private final ScorecardScaling standard = new ScorecardScaling(20, 600, 50);

  @Test
  void factorAndOffset_matchTextbookValues() {
    // Siddiqi, Credit Risk Scorecards (2006), ch. 6: pdo 20, 600 points at 50:1 odds give
    // factor 28.8539 and offset 487.1229.
    assertThat(standard.factor()).isCloseTo(28.8539, within(1e-4));
    assertThat(standard.offset()).isCloseTo(487.1229, within(1e-4));
    assertThat(standard.score(Math.log(1.0 / 50))).isCloseTo(600, within(1e-9));
    assertThat(standard.score(Math.log(1.0 / 100))).as("odds doubled").isCloseTo(620, within(1e-9));
    assertThat(standard.probabilityOfDefault(600)).isCloseTo(1.0 / 51, within(1e-12));
    assertThat(standard.badLogOdds(standard.score(-2.5))).isCloseTo(-2.5, within(1e-12));
  }

  @Test
  void points_sumToTheScoreOfTheModelMargin() {
    SplittableRandom random = new SplittableRandom(4);
    double intercept = -1.3;
    double[] beta = {0.9, 1.1, 0.7};
    double[][] woe = {{-0.8, -0.1, 0.4, 1.2}, {-0.5, 0.6}, {-1.0, 0.0, 0.3, 0.9, 1.5}};
    double[][] points = standard.points(intercept, beta, woe);
    for (int trial = 0; trial < 100; trial++) {
      int[] bin = {random.nextInt(4), random.nextInt(2), random.nextInt(5)};
      double margin = intercept;
      double total = 0;
      for (int j = 0; j < 3; j++) {
        margin += beta[j] * woe[j][bin[j]];
        total += points[j][bin[j]];
      }
      assertThat(total).isCloseTo(standard.score(margin), within(1e-9));
    }
    // Higher WoE (more bads) earns fewer points when the coefficient is positive.
    assertThat(points[0][0]).isGreaterThan(points[0][3]);
  }

  @Test
  void roundPreservingRank_keepsOrderAndTiesOnlyExactTies() {
    double[][] points = {{10.2, 10.4, 10.45, 9.6, 10.4}, {-3.5, 3.5}};
    long[][] rounded = ScorecardScaling.roundPreservingRank(points);
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
      long[] r = ScorecardScaling.roundPreservingRank(new double[][] {p})[0];
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
    assertThatThrownBy(() -> new ScorecardScaling(0, 600, 50)).hasMessage("pdo must be a positive number, got 0.0");
    assertThatThrownBy(() -> new ScorecardScaling(20, 600, -1)).hasMessage("base odds must be a positive number, got -1.0");
  }
}

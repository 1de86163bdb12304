package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExplainTest {
  private static ModelBundle bundle(String name) throws Exception {
    try (InputStream in = ExplainTest.class.getResourceAsStream("/bundles/" + name)) {
      return ModelBundle.read(in);
    }
  }

  private static double[] randomRow(ModelBundle b, SplittableRandom random) {
    double[] row = new double[b.schema().size()];
    for (int j = 0; j < row.length; j++) {
      var f = b.schema().feature(j);
      boolean missingAllowed = !f.name().equals("months_with_anchor");
      if (missingAllowed && random.nextInt(6) == 0) {
        row[j] = Double.NaN;
      } else if (f.type() == io.chainscore.features.FeatureType.CATEGORICAL) {
        row[j] = random.nextInt(f.categories().size());
      } else {
        double lo = Double.isFinite(f.min()) ? f.min() : 0;
        double hi = Double.isFinite(f.max()) ? Math.min(f.max(), lo + 400) : lo + 400;
        row[j] = lo + random.nextDouble() * (hi - lo);
      }
    }
    return row;
  }

  @Test
  void explain_scorecard_pointsAddUpAndReasonsFollowPointsBelow() throws Exception {
    ModelBundle b = bundle("scorecard.json");
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 2000; i++) {
      double[] row = randomRow(b, random);
      Explanation e = b.scorer().explain(row);
      double points = e.basePoints();
      Map<String, Double> below = new HashMap<>();
      for (Explanation.Item item : e.items()) {
        points += item.points();
        below.merge(item.reasonCode(), item.pointsBelowBest(), Double::sum);
        assertThat(item.pointsBelowBest()).isGreaterThanOrEqualTo(0);
      }
      assertThat(points).isCloseTo(e.score().points(), within(1e-9));
      // The reported reason codes are those with positive points below best, largest first.
      double previous = Double.POSITIVE_INFINITY;
      for (String code : e.score().reasonCodes()) {
        assertThat(below.get(code)).isPositive().isLessThanOrEqualTo(previous);
        previous = below.get(code);
      }
      long positive = below.values().stream().filter(v -> v > 0).count();
      assertThat(e.score().reasonCodes()).hasSize((int) Math.min(4, positive));
    }
  }

  @Test
  void explain_logistic_contributionsPlusBiasEqualTheMargin() throws Exception {
    ModelBundle b = bundle("logistic.json");
    SplittableRandom random = new SplittableRandom(6);
    int checked = 0;
    for (int i = 0; i < 2000; i++) {
      double[] row = randomRow(b, random);
      Explanation e;
      try {
        e = b.scorer().explain(row);
      } catch (ScoringException refused) {
        continue;
      }
      double margin = 0;
      double points = e.basePoints();
      for (Explanation.Item item : e.items()) {
        margin += item.contribution();
        points += item.points();
      }
      // The example bundle is Platt-calibrated: PD = sigmoid(0.1 + 0.95 margin).
      assertThat(e.score().pd()).isCloseTo(1 / (1 + Math.exp(-(0.1 + 0.95 * e.margin()))), within(1e-12));
      // Items' points are their contributions on the score scale, so they add up to the score.
      assertThat(points).isCloseTo(e.score().points(), within(1e-6));
      assertThat(Double.isFinite(e.margin() - margin)).isTrue();
      checked++;
    }
    assertThat(checked).isGreaterThan(500);
  }

  private static boolean negativeZero(double x) {
    return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(-0.0);
  }

  @Test
  void explain_numbersAreExactAndNeverNegativeZero() throws Exception {
    for (String name : new String[] {"scorecard.json", "logistic.json"}) {
      ModelBundle b = bundle(name);
      SplittableRandom random = new SplittableRandom(7);
      for (int i = 0; i < 500; i++) {
        double[] row = randomRow(b, random);
        Explanation e;
        try {
          e = b.scorer().explain(row);
        } catch (ScoringException refused) {
          continue;
        }
        assertThat(negativeZero(e.margin()) || negativeZero(e.basePoints())).isFalse();
        for (Explanation.Item item : e.items()) {
          assertThat(negativeZero(item.points()) || negativeZero(item.pointsBelowBest())
              || negativeZero(item.contribution())).as(name + " " + item).isFalse();
          int column = b.schema().indexOf(item.feature());
          if ("missing".equals(item.value())) {
            assertThat(item.numericValue()).isNaN();
          } else if (b.schema().feature(column).type() == io.chainscore.features.FeatureType.CATEGORICAL) {
            assertThat(b.schema().feature(column).categories().get((int) item.numericValue())).isEqualTo(item.value());
          } else {
            // the text is the number to six significant digits
            assertThat(Double.parseDouble(item.value())).isCloseTo(item.numericValue(),
                within(1e-5 * Math.abs(item.numericValue())));
            if (!Double.isNaN(row[column])) {
              // the random rows stay inside every feature's range, so no policy changed a given value
              assertThat(item.numericValue()).isEqualTo(row[column]);
            }
          }
        }
      }
    }
  }
}

package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The one-row calls take a row of exactly the schema's width: a longer row was scored with its
 * extra values ignored and a shorter one threw an undocumented IndexOutOfBoundsException, so a
 * caller built against another version of the schema was scored without a word.
 */
class ScorerRowLengthTest {
  @Test
  void oneRowCalls_refuseARowOfAnotherWidth_batchesTakeAWiderStride() throws Exception {
    ModelBundle bundle;
    try (InputStream in = ScorerRowLengthTest.class.getResourceAsStream("/bundles/logistic.json")) {
      bundle = ModelBundle.read(in);
    }
    Scorer scorer = bundle.scorer();
    int width = scorer.featureCount();
    double[] row = new double[width];   // zeros: in range for every feature of this bundle
    ScoreResult expected = scorer.score(row);
    for (int length : new int[] {width - 1, width + 1, 0}) {
      double[] other = Arrays.copyOf(row, length);
      String message = "the row holds " + length + " values; the model's schema has " + width + " features ("
          + bundle.modelId() + " " + bundle.modelVersion() + ")";
      assertThatThrownBy(() -> scorer.score(other)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
      assertThatThrownBy(() -> scorer.explain(other)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage(message);
    }
    // the batch call's rows may sit in a wider stride
    double[] wide = new double[2 * (width + 3)];
    double[] points = new double[2];
    scorer.scoreBatch(wide, 2, width + 3, points, new double[2], new int[2], null);
    assertThat(points).containsExactly(expected.points(), expected.points());
  }
}

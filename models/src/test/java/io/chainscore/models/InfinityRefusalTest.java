package io.chainscore.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.RowRefusals;
import io.chainscore.scoring.ScoringException;
import io.chainscore.scoring.Scorer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * An infinity is refused as out of range by the bundled models in every feature, on the single-row,
 * batch and explain paths alike, also where the feature's range has no upper or lower bound (26 of
 * the 38 numeric features): it was scored there as the last bin, so {@code growth_3m_yoy =
 * Infinity} raised the scorecard's points from 693 to 701 and the trees' grade from 5 to 4, and
 * {@code explain} threw a NumberFormatException.
 */
class InfinityRefusalTest {
  /** A row every feature of which is set inside its range (the lowest finite value plus one, capped at the highest). */
  private static double[] cleanRow(FeatureSchema schema) {
    double[] row = new double[schema.size()];
    for (int j = 0; j < row.length; j++) {
      FeatureSpec f = schema.feature(j);
      double lo = Double.isFinite(f.min()) ? f.min() : 0.0;
      row[j] = f.type() == FeatureType.CATEGORICAL ? 0 : Math.min(lo + 1.0, f.max());
    }
    return row;
  }

  @Test
  void infinities_areRefusedAsOutOfRange_inEveryFeature_onEveryPath() {
    int unbounded = 0;
    for (ModelBundle bundle : new ModelBundle[] {DefaultModels.scorecard(), DefaultModels.gbdt()}) {
      Scorer scorer = bundle.scorer();
      FeatureSchema schema = bundle.schema();
      double[] clean = cleanRow(schema);
      assertThat(scorer.score(clean).points()).as(bundle.modelId()).isFinite();
      int width = schema.size();
      for (int j = 0; j < width; j++) {
        FeatureSpec f = schema.feature(j);
        if (f.type() == FeatureType.CATEGORICAL) {
          continue;
        }
        for (double infinity : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
          unbounded += infinity > 0 && f.max() == Double.POSITIVE_INFINITY ? 1 : 0;
          double[] row = clean.clone();
          row[j] = infinity;
          String what = bundle.modelId() + " " + f.name() + "=" + infinity;
          assertThatThrownBy(() -> scorer.score(row)).as(what).isInstanceOfSatisfying(ScoringException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(RowRefusals.Reason.OUT_OF_RANGE);
                assertThat(e.feature()).isEqualTo(f.name());
                // an open side of the range is said in words ("[0.0, Infinity]" read as a contradiction)
                String expected = f.max() == Double.POSITIVE_INFINITY
                    ? "a finite number of at least " + f.min()
                    : "a finite number in the valid range [" + f.min() + ", " + f.max() + "]";
                assertThat(e.getMessage()).endsWith("value " + infinity + " is not a finite number; expected "
                    + expected);
              });
          assertThatThrownBy(() -> scorer.explain(row)).as(what).isInstanceOf(ScoringException.class);
          // in a batch of clean rows, on the block path and through the reason codes
          int rows = 300;
          double[] batch = new double[rows * width];
          for (int r = 0; r < rows; r++) {
            System.arraycopy(clean, 0, batch, r * width, width);
          }
          System.arraycopy(row, 0, batch, 137 * width, width);
          double[] points = new double[rows];
          double[] pd = new double[rows];
          int[] grade = new int[rows];
          int[] codes = new int[rows * 4];
          RowRefusals refusals = new RowRefusals();
          for (int[] reasons : new int[][] {null, codes}) {
            scorer.scoreBatch(batch, rows, width, points, pd, grade, reasons, refusals);
            assertThat(refusals.count()).as(what).isEqualTo(1);
            assertThat(refusals.row(0)).isEqualTo(137);
            assertThat(refusals.reason(0)).isEqualTo(RowRefusals.Reason.OUT_OF_RANGE);
            assertThat(refusals.feature(0)).isEqualTo(f.name());
            assertThat(points[137]).isNaN();
            assertThat(Arrays.stream(points).filter(Double::isFinite).count()).isEqualTo(rows - 1);
          }
        }
      }
    }
    assertThat(unbounded).as("features without an upper bound").isGreaterThan(10);
  }
}

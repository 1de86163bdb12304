package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The nearest valid value of {@code whatif --scaled-values nearest}, worked by hand and against a search. */
class FeatureEditsTest {
  private static final FeatureSpec RATE = FeatureSpec.numeric("rate", "", 0, 1, "");
  private static final FeatureSpec COUNT = FeatureSpec.integer("count", "", 0, 10.5, "");
  private static final FeatureSpec FROM_HALF = FeatureSpec.integer("from_half", "", 0.5, 40, "");
  private static final FeatureSpec NO_WHOLE = FeatureSpec.integer("no_whole", "", 0.2, 0.8, "");
  private static final FeatureSpec UNBOUNDED = FeatureSpec.numeric("unbounded", "", 0, Double.POSITIVE_INFINITY, "");

  @Test
  void nearest_workedValues() {
    assertThat(FeatureEdits.nearest(RATE, 1.12)).isEqualTo(1.0);
    assertThat(FeatureEdits.nearest(RATE, -0.3)).isEqualTo(0.0);
    assertThat(FeatureEdits.nearest(RATE, Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    // whole numbers: the nearest inside the range, a tie to the even one
    assertThat(FeatureEdits.nearest(COUNT, 7.5)).isEqualTo(8.0);
    assertThat(FeatureEdits.nearest(COUNT, 6.5)).isEqualTo(6.0);
    assertThat(FeatureEdits.nearest(COUNT, 6.6)).isEqualTo(7.0);
    assertThat(FeatureEdits.nearest(COUNT, 12)).isEqualTo(10.0);   // the bound 10.5 is not whole
    assertThat(FeatureEdits.nearest(COUNT, 10.7)).isEqualTo(10.0);
    assertThat(FeatureEdits.nearest(FROM_HALF, 0.2)).isEqualTo(1.0);   // 0.5 rounds to 0, below the range
    assertThat(FeatureEdits.nearest(FROM_HALF, -3)).isEqualTo(1.0);
    // no valid value to move to
    assertThat(FeatureEdits.nearest(NO_WHOLE, 0.9)).isNaN();
    assertThat(FeatureEdits.nearest(UNBOUNDED, Double.POSITIVE_INFINITY)).isNaN();
  }

  /** Against a search of the whole numbers near the value, for a whole-number feature over random ranges. */
  @Test
  void nearest_wholeNumbers_matchASearch() {
    SplittableRandom random = new SplittableRandom(17);
    for (int k = 0; k < 20_000; k++) {
      double min = Math.floor(random.nextDouble(-20, 20) * 4) / 4;   // quarter steps: whole, half and other bounds
      double max = min + Math.floor(random.nextDouble(0, 10) * 4) / 4;
      FeatureSpec f = FeatureSpec.integer("f", "", min, max, "");
      double x = Math.floor(random.nextDouble(-40, 40) * 8) / 8;
      double best = Double.NaN;
      for (long n = (long) Math.floor(x) - 80; n <= (long) Math.ceil(x) + 80; n++) {
        if (n >= min && n <= max) {
          double d = Math.abs(n - Math.max(min, Math.min(max, x)));
          double bestD = best != best ? Double.POSITIVE_INFINITY : Math.abs(best - Math.max(min, Math.min(max, x)));
          // a tie to the even one
          if (d < bestD || (d == bestD && n % 2 == 0)) {
            best = n;
          }
        }
      }
      assertThat(Double.valueOf(FeatureEdits.nearest(f, x))).as("%s in [%s, %s]", x, min, max).isEqualTo(Double.valueOf(best));
    }
  }

  @Test
  void apply_refusesOrMovesToTheNearest_andCounts() {
    FeatureSchema schema = FeatureSchema.of(List.of(RATE, COUNT));
    double[] row = {0.8, 7};
    FeatureEdits refuse = new FeatureEdits(schema, null, Map.of("rate", "1.5"));
    assertThatThrownBy(() -> refuse.apply(row, "S1")).isInstanceOf(FeatureEdits.Refused.class)
        .hasMessage("--scale rate=1.5: supplier S1's rate 0.8 becomes 1.2000000000000002, outside the feature's valid"
            + " range [0, 1]")
        .extracting(e -> ((FeatureEdits.Refused) e).feature()).isEqualTo("rate");
    FeatureEdits nearest = new FeatureEdits(schema, null, Map.of("rate", "1.5", "count", "1.5"),
        FeatureEdits.ScaledValues.NEAREST);
    assertThat(nearest.apply(row, "S1")).containsExactly(1.0, 10.0);   // 10.5 ties to the even 10
    assertThat(nearest.apply(new double[] {0.5, 4}, "S2")).containsExactly(0.75, 6.0);   // both valid: unmoved
    assertThat(nearest.apply(new double[] {Double.NaN, 8}, "S3")).containsExactly(Double.NaN, 10.0);
    assertThat(nearest.movedToNearest()).isEqualTo(3);
  }
}

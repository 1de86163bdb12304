package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasonRankerTest {
  private static int[] top(double... totals) {
    int[] out = {99, 99, 99, 99, 99, 99};
    // the totals sit between larger ones that belong to other rows and must not be read
    double[] block = new double[totals.length + 4];
    java.util.Arrays.fill(block, 1e9);
    System.arraycopy(totals, 0, block, 2, totals.length);
    ReasonRanker.top(block, 2, totals.length, out, 1);
    assertThat(out[0]).isEqualTo(99); // nothing written outside the row's four slots
    assertThat(out[5]).isEqualTo(99);
    return new int[] {out[1], out[2], out[3], out[4]};
  }

  @Test
  void top_ranksDescendingWithTiesToTheLowerIndex() {
    assertThat(top(3, 7, 7, 1, 9, 7)).containsExactly(4, 1, 2, 5);
    assertThat(top(5, 5, 5, 5, 5)).containsExactly(0, 1, 2, 3);
    assertThat(top(1, 2, 3, 4, 5, 6)).containsExactly(5, 4, 3, 2);
  }

  @Test
  void top_dropsZeroNegativeAndNaNTotalsAndPads() {
    assertThat(top(0, -2, Double.NaN, 0.5, 0)).containsExactly(3, -1, -1, -1);
    assertThat(top(-1, -1)).containsExactly(-1, -1, -1, -1);
    assertThat(top()).containsExactly(-1, -1, -1, -1);
    assertThat(top(Double.MIN_VALUE, 0, 2)).containsExactly(2, 0, -1, -1);
  }

  /**
   * The ranking against a plain reference (sort the positive totals, largest first, ties to the
   * lower index) on random rows full of exact ties (whole numbers, as rounded scorecard points
   * give), totals one ulp apart or equal in all but their lowest bits, zeros, negatives, NaN,
   * infinities and subnormals, for 0 to 300 codes.
   */
  @Test
  void top_equalsTheSortedReference_onTiesAndNearTies() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(20261203);
    double[] pool = {0.0, -0.0, -3.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, 2 * Double.MIN_VALUE, Double.MIN_NORMAL, 1.0, Math.nextUp(1.0), Math.nextDown(1.0),
        Double.longBitsToDouble(Double.doubleToRawLongBits(1.0) + 3), 12.5, 12.5, Double.MAX_VALUE};
    for (int trial = 0; trial < 20_000; trial++) {
      int codes = trial % 7 == 0 ? random.nextInt(0, 301) : random.nextInt(0, 25);
      double[] totals = new double[codes];
      double scale = random.nextDouble(0.001, 1000);
      for (int c = 0; c < codes; c++) {
        int kind = random.nextInt(4);
        totals[c] = trial % 3 == 0 ? random.nextInt(-3, 13)
            : kind == 0 ? pool[random.nextInt(pool.length)]
            : kind == 1 ? scale * random.nextInt(-2, 6) // exact ties
            : kind == 2 ? Double.longBitsToDouble(Double.doubleToRawLongBits(scale) + random.nextInt(-40, 40))
            : random.nextDouble(-scale, 3 * scale);
      }
      int[] expected = new int[4];
      java.util.Arrays.fill(expected, -1);
      Integer[] order = java.util.stream.IntStream.range(0, codes).filter(c -> totals[c] > 0).boxed()
          .sorted((a, b) -> totals[a] != totals[b] ? Double.compare(totals[b], totals[a]) : Integer.compare(a, b))
          .toArray(Integer[]::new);
      for (int k = 0; k < Math.min(4, order.length); k++) {
        expected[k] = order[k];
      }
      int[] actual = new int[4];
      ReasonRanker.top(totals, 0, codes, actual, 0);
      assertThat(actual).as("trial %d: %s", trial, java.util.Arrays.toString(totals)).containsExactly(expected);
    }
  }
}

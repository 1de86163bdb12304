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
}

package io.chainscore.develop.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.scoring.MasterScale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fitted master scale against a recount of the sample by grade. */
class MasterScaleFitTest {
  @Test
  void equalShares_continuousPds_eachGradeHoldsAnEighth_andIsCalibrated() {
    SplittableRandom random = new SplittableRandom(5);
    double[] pds = new double[10_000];
    for (int i = 0; i < pds.length; i++) {
      pds[i] = 1 / (1 + Math.exp(-(-3.5 + 1.2 * random.nextGaussian())));
    }
    MasterScale scale = MasterScaleFit.equalShares(pds, 8);
    assertThat(scale.grades()).hasSize(9);
    long[] counts = new long[9];
    double[] sums = new double[9];
    for (double pd : pds) {
      int g = scale.gradeIndexOf(pd);
      counts[g]++;
      sums[g] += pd;
    }
    for (int g = 0; g < 8; g++) {
      assertThat(counts[g]).isBetween(1249L, 1251L);
      assertThat(scale.grade(g).representativePd()).isCloseTo(sums[g] / counts[g], within(1e-15));
    }
    assertThat(counts[8]).isZero();
  }

  @Test
  void equalShares_tiedPds_neverSplitAcrossGrades() {
    double[] pds = new double[1000];
    for (int i = 0; i < pds.length; i++) {
      pds[i] = 0.01 * (1 + i / 300); // four distinct values, 300/300/300/100 rows
    }
    MasterScale scale = MasterScaleFit.equalShares(pds, 8);
    assertThat(scale.grades()).hasSize(5); // four non-default grades can be told apart
    for (int i = 1; i < pds.length; i++) {
      if (pds[i] == pds[i - 1]) {
        assertThat(scale.gradeIndexOf(pds[i])).isEqualTo(scale.gradeIndexOf(pds[i - 1]));
      }
    }
  }

  @Test
  void equalShares_badInput_refused() {
    assertThatThrownBy(() -> MasterScaleFit.equalShares(new double[] {0.1, 1.0}, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PD 1 is 1.0");
    assertThatThrownBy(() -> MasterScaleFit.equalShares(new double[] {0.1}, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one grade");
  }
}

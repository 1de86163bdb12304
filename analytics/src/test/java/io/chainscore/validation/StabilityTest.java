package io.chainscore.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StabilityTest {
  @Test
  void psi_referenceFourBins_matchesWorkedValue() {
    double psi = Stability.psi(new double[] {.2, .3, .3, .2}, new double[] {.1, .3, .3, .3});
    assertThat(psi).isCloseTo(0.109861, within(1e-6));
  }

  @Test
  void psi_referenceTenBins_matchesWorkedValue() {
    double[] e = new double[10];
    java.util.Arrays.fill(e, .1);
    double[] a = {.08, .09, .10, .11, .12, .10, .10, .10, .10, .10};
    assertThat(Stability.psi(e, a)).isCloseTo(0.010116, within(1e-6));
  }

  @Test
  void csiFromCounts_countsScaledFromShares_equalsPsiOfShares() {
    long[] e = {200, 300, 300, 200};
    long[] a = {50, 150, 150, 150};
    assertThat(Stability.csiFromCounts(e, a)).isCloseTo(0.109861, within(1e-6));
  }

  @Test
  void psi_emptyBin_usesEpsilonFloor() {
    double psi = Stability.psi(new double[] {.5, .5}, new double[] {1.0, 0.0});
    double expected = (1.0 - .5) * Math.log(1.0 / .5) + (1e-4 - .5) * Math.log(1e-4 / .5);
    assertThat(psi).isCloseTo(expected, within(1e-12));
  }

  @Test
  void psi_mismatchedBins_isRejected() {
    assertThatThrownBy(() -> Stability.psi(new double[] {1}, new double[] {.5, .5}))
        .hasMessageContaining("same non-zero number of bins");
  }

  /** An empty bin in counts is valid (it takes the epsilon floor), as in shares; a negative one is not. */
  @Test
  void psiFromCounts_emptyBin_usesEpsilonFloor() {
    double expected = (1.0 - .5) * Math.log(1.0 / .5) + (1e-4 - .5) * Math.log(1e-4 / .5);
    assertThat(Stability.psiFromCounts(new long[] {50, 50}, new long[] {100, 0})).isCloseTo(expected, within(1e-12));
    assertThatThrownBy(() -> Stability.psiFromCounts(new long[] {50, 50}, new long[] {101, -1}))
        .hasMessageContaining("negative");
  }
}

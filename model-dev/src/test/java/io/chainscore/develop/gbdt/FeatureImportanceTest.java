package io.chainscore.develop.gbdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureImportanceTest {
  @Test
  void shares_largestFirst_tiesInFeatureOrder_summingToOne() {
    var shares = FeatureImportance.shares(new double[] {1, 3, 0, 3, 1}, List.of("a", "b", "c", "d", "e"));
    assertThat(shares.keySet()).containsExactly("b", "d", "a", "e", "c");
    assertThat(shares.get("b")).isCloseTo(0.375, within(1e-15));
    assertThat(shares.get("a")).isCloseTo(0.125, within(1e-15));
    assertThat(shares.get("c")).isZero();
  }

  @Test
  void shares_noSplit_allZero() {
    assertThat(FeatureImportance.shares(new double[] {0, 0}, List.of("a", "b")).values()).containsExactly(0.0, 0.0);
  }
}

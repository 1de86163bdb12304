package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdIndexTest {
  @Test
  void idIndex_agreesWithAHashMapOnRandomIds() {
    agreesWithAHashMap(new PortfolioFeatures.IdIndex());
  }

  /** Sized from a row-count hint (exact, too small, absent, absurd): the same answers. */
  @Test
  void sizedIndex_agreesWithAHashMapWhateverTheHint() {
    for (long hint : new long[] {0, -1, 1_000, 200_000, 1L << 40}) {
      agreesWithAHashMap(PortfolioFeatures.IdIndex.sizedFor(hint));
    }
  }

  private static void agreesWithAHashMap(PortfolioFeatures.IdIndex index) {
    Map<String, Integer> reference = new HashMap<>();
    SplittableRandom random = new SplittableRandom(8);
    for (int i = 0; i < 300_000; i++) {
      String id = "L" + random.nextInt(200_000) + "-" + random.nextInt(3);
      Integer expected = reference.putIfAbsent(id, reference.size());
      int actual = index.putIfAbsent(id, expected == null ? reference.size() - 1 : -99);
      assertThat(actual).isEqualTo(expected == null ? -1 : expected);
    }
    for (Map.Entry<String, Integer> e : reference.entrySet()) {
      assertThat(index.get(e.getKey())).isEqualTo(e.getValue());
    }
    assertThat(index.get("never seen")).isEqualTo(-1);
    assertThat(index.get("")).isEqualTo(-1);
  }
}

package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdIndexTest {
  @Test
  void idIndex_agreesWithAHashMapOnRandomIds() {
    PortfolioFeatures.IdIndex index = new PortfolioFeatures.IdIndex();
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

  @Test
  void set_agreesWithAHashSetOnRandomIds() {
    PortfolioFeatures.IdIndex set = PortfolioFeatures.IdIndex.set();
    java.util.Set<String> reference = new java.util.HashSet<>();
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 200_000; i++) {
      String id = "I" + random.nextInt(120_000);
      assertThat(set.add(id)).isEqualTo(reference.add(id));
    }
    for (String id : reference) {
      assertThat(set.get(id)).isZero();
    }
  }
}

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

  @Test
  void presizedSet_neverGrowsUpToItsHint_andFindsTheSameDuplicates() {
    SplittableRandom random = new SplittableRandom(10);
    for (long hint : new long[] {-1, 0, 1, 3, 4, 1_000, 3_072, 3_073, 100_000}) {
      PortfolioFeatures.IdIndex set = PortfolioFeatures.IdIndex.set(hint);
      int before = set.capacity();
      if (hint > 0) {
        // the smallest power of two that holds the hint at three quarters full (at least the default)
        long slots = 1;
        while (slots - slots / 4 < hint) {
          slots <<= 1;
        }
        assertThat((long) before).isEqualTo(Math.max(slots, 1 << 12));
      }
      java.util.Set<String> reference = new java.util.HashSet<>();
      int n = (int) Math.max(hint, 0);
      for (int i = 0; i < n; i++) {
        String id = "I" + i;
        assertThat(set.add(id)).isTrue();
        reference.add(id);
      }
      assertThat(set.capacity()).as("hint %d", hint).isEqualTo(before);
      // past the hint the set grows as before, and keeps agreeing with a HashSet
      for (int i = 0; i < 20_000; i++) {
        String id = "I" + random.nextInt(n + 10_000);
        assertThat(set.add(id)).isEqualTo(reference.add(id));
      }
    }
    // a hint no heap could hold is ignored: the set starts small and grows
    assertThat(PortfolioFeatures.IdIndex.set(1L << 50).capacity()).isEqualTo(1 << 12);
    assertThat(PortfolioFeatures.IdIndex.set(Long.MAX_VALUE).capacity()).isEqualTo(1 << 12);
  }

  @Test
  void prefetch_changesNothing() {
    PortfolioFeatures.IdIndex set = PortfolioFeatures.IdIndex.set(1_000);
    long[] keys = new long[300];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = PortfolioFeatures.IdIndex.key("I" + (i % 200));
    }
    set.prefetch(keys, 0, keys.length);
    int added = 0;
    for (long k : keys) {
      added += set.addKey(k) ? 1 : 0;
    }
    assertThat(added).isEqualTo(200);
    set.prefetch(keys, 0, keys.length);
    for (int i = 0; i < 200; i++) {
      assertThat(set.get("I" + i)).isZero();
    }
  }
}

package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link LongSet} against {@link HashSet} on random keys, repeats included. */
class LongSetTest {
  @Test
  void addsAsAHashSetDoes() {
    Random random = new Random(17);
    for (int round = 0; round < 20; round++) {
      LongSet fast = new LongSet();
      Set<Long> reference = new HashSet<>();
      int n = random.nextInt(5_000);
      int loans = 1 + random.nextInt(300);
      for (int i = 0; i < n; i++) {
        // the partition's key: a loan index + 1 and a due day, as PartitionFeatures forms it
        long key = (long) (random.nextInt(loans) + 1) << 32 | (random.nextInt(400) - 200 & 0xFFFF_FFFFL);
        assertThat(fast.add(key)).isEqualTo(reference.add(key));
      }
      assertThat(fast.size()).isEqualTo(reference.size());
    }
  }

  @Test
  void zeroIsRefused() {
    assertThatThrownBy(() -> new LongSet().add(0)).isInstanceOf(IllegalArgumentException.class);
  }
}

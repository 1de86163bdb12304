package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SparkFeatures#repeatsOf} against a plain count per value, on inputs of many sub-buckets. */
class RepeatsOfTest {
  @Test
  void repeatsOf_areTheValuesAPlainCountSeesMoreThanOnce() {
    SplittableRandom random = new SplittableRandom(23);
    for (int total : new int[] {0, 1, 5_000, 300_000}) {
      List<long[]> parts = new ArrayList<>();
      List<Long> all = new ArrayList<>();
      for (int left = total; left > 0; ) {
        long[] part = new long[Math.min(left, 1 + random.nextInt(70_000))];
        for (int i = 0; i < part.length; i++) {
          // a repeat of an earlier value now and then (some three times), zeros among them
          part[i] = !all.isEmpty() && random.nextInt(500) == 0 ? all.get(random.nextInt(all.size()))
              : random.nextInt(20_000) == 0 ? 0L : random.nextLong();
          all.add(part[i]);
        }
        parts.add(part);
        left -= part.length;
      }
      Map<Long, Integer> counts = new HashMap<>();
      all.forEach(v -> counts.merge(v, 1, Integer::sum));
      long[] expected = counts.entrySet().stream().filter(e -> e.getValue() > 1).mapToLong(Map.Entry::getKey)
          .sorted().toArray();
      assertThat(SparkFeatures.repeatsOf(parts, total)).as("%d values", total).containsExactly(expected);
      if (total == 300_000) {
        assertThat(expected.length).isGreaterThan(400);
      }
    }
  }
}

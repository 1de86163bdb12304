package io.chainscore.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The index sort against {@link List#sort}, a stable merge sort: equal values keep index order
 * (the documented contract that makes tie handling deterministic), on the insertion-sort sizes
 * and on the merged ones, with -0.0 equal to 0.0.
 */
class SortSupportTest {
  @Test
  void ascendingOrder_manyTies_isTheStableSortOrder() {
    SplittableRandom random = new SplittableRandom(5);
    for (int n : new int[] {1, 7, 31, 32, 33, 100, 1000}) {
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        int k = random.nextInt(6) - 3;
        values[i] = k == 0 && random.nextBoolean() ? -0.0 : k * 0.5;
      }
      List<Integer> reference = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        reference.add(i);
      }
      reference.sort(Comparator.comparingDouble(i -> values[i] == 0 ? 0.0 : values[i]));
      int[] order = SortSupport.ascendingOrder(values);
      assertThat(order).as("n = %d", n).containsExactly(reference.stream().mapToInt(Integer::intValue).toArray());
    }
  }
}

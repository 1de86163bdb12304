package io.chainscore.batch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link KeyRows} against a HashMap of the keys' first rows, through many growths. */
class KeyRowsTest {
  @Test
  void firstRow_agreesWithAMapOfFirstRows_onRandomKeysWithRepeats() {
    SplittableRandom random = new SplittableRandom(3);
    KeyRows fast = new KeyRows();
    Map<String, Long> reference = new HashMap<>();
    int repeats = 0;
    for (long row = 1; row <= 300_000; row++) {
      // ids from a pool a little larger than the rows drawn: about one draw in seven repeats
      String key = random.nextInt(5) == 0 ? "" + random.nextInt(1_000_000) : "S" + random.nextInt(1_000_000);
      Long first = reference.putIfAbsent(key, row);
      long got = fast.firstRow(key, row);
      assertThat(got).as(key).isEqualTo(first == null ? -1 : first);
      repeats += first == null ? 0 : 1;
    }
    assertThat(repeats).isGreaterThan(10_000);
    assertThat(fast.size()).isEqualTo(reference.size());
  }
}

package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The duplicate check's two steps against plain Java collections: {@link KeyLog#repeatedKeys}
 * against a count per key in a HashMap, and {@link RepeatedKeys#isRepeat} against a HashSet of the
 * keys accepted so far (and against the ids, when two share a key).
 */
class KeyLogTest {
  /** Random non-zero keys, about one in {@code every} a repeat of an earlier one (some several times). */
  private static long[] keys(int n, int every, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = i > 0 && random.nextInt(every) == 0 ? keys[random.nextInt(i)] : random.nextLong() | 1;
    }
    return keys;
  }

  private static long[] reference(long[] keys) {
    Map<Long, Integer> count = new HashMap<>();
    for (long k : keys) {
      count.merge(k, 1, Integer::sum);
    }
    return count.entrySet().stream().filter(e -> e.getValue() > 1).mapToLong(Map.Entry::getKey).sorted().toArray();
  }

  @Test
  void repeatedKeys_areTheKeysAPlainCountSeesMoreThanOnce_onAnyThreadCount() {
    // sizes below a block, across the growth of the blocks, and with buckets of several of the largest
    // blocks; one in ten a repeat at 2M keys, so that a key missed in any block changes the answer
    int[][] cases = {{0, 10}, {1, 10}, {2, 1}, {1_000, 50}, {70_000, 1_000}, {300_000, 20_000}, {2_000_000, 10},
        {3_000_000, 100_000}};
    for (int[] c : cases) {
      long[] keys = keys(c[0], c[1], c[0]);
      long[] expected = reference(keys);
      try (KeyLog log = new KeyLog()) {
        for (long k : keys) {
          log.add(k);
        }
        assertThat(log.size()).isEqualTo(keys.length);
        for (int threads : new int[] {1, 2, 3}) {
          assertThat(log.repeatedKeys(threads, Integer.MAX_VALUE)).as("%d keys, %d threads", c[0], threads)
              .isEqualTo(expected);
        }
      }
    }
    assertThat(reference(keys(3_000_000, 100_000, 3_000_000))).hasSizeGreaterThan(10);
  }

  @Test
  void noRepeats_giveAnEmptyArray_andAKeyFourTimesComesOnce() {
    try (KeyLog log = new KeyLog()) {
      for (long k = 1; k <= 100_000; k++) {
        log.add(k * 0x9E3779B97F4A7C15L);
      }
      assertThat(log.repeatedKeys(2, 0)).isEmpty();
      for (int i = 0; i < 3; i++) {
        log.add(-7);
      }
      log.add(-7);
      assertThat(log.repeatedKeys(2, 10)).containsExactly(-7L);
    }
  }

  @Test
  void moreRepeatsThanTheLimit_giveNull() {
    long[] keys = keys(200_000, 10, 5);
    int repeats = reference(keys).length;
    try (KeyLog log = new KeyLog()) {
      for (long k : keys) {
        log.add(k);
      }
      // the limit counts sightings after the first: at least as many as the distinct repeated keys
      assertThat(log.repeatedKeys(2, repeats - 1)).isNull();
      assertThat(log.repeatedKeys(1, repeats / 2)).isNull();
      assertThat(log.repeatedKeys(2, Integer.MAX_VALUE)).hasSize(repeats);
    }
  }

  @Test
  void aClosedLog_refusesUse() {
    KeyLog log = new KeyLog();
    log.add(5);
    log.close();
    log.close();   // twice is harmless
    assertThatThrownBy(() -> log.repeatedKeys(1, 10)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void repeatedKeys_refuseEveryLaterSighting_asASetOfAcceptedKeysWould_inBothModes() {
    long[] keys = keys(100_000, 30, 8);
    long[] repeated = reference(keys);
    for (long[] given : new long[][] {repeated, null}) {
      Set<Long> accepted = new HashSet<>();
      try (RepeatedKeys repeats = new RepeatedKeys(given, given == null ? keys.length : -1, 2)) {
        int refused = 0;
        for (long k : keys) {
          boolean expected = !accepted.add(k);
          // the id is the key's: one id per key, as when no fingerprints collide
          boolean repeat = repeats.isRepeat(k, row -> Long.toString(k), 0);
          assertThat(repeat).as("key %d, repeats %s", k, given == null ? "unknown" : "given").isEqualTo(expected);
          refused += expected ? 1 : 0;
        }
        assertThat(refused).isEqualTo(keys.length - accepted.size()).isGreaterThan(1_000);
      }
    }
  }

  /**
   * Two distinct ids under one fingerprint (a collision, which no generated portfolio has: made
   * here by giving the ids the same key) are both accepted, and each one's later copies refused,
   * when the repeated keys are known; the one-pass mode, which holds keys only, refuses by key.
   */
  @Test
  void collidingIds_areTwoInvoices_theirCopiesRepeats() {
    long key = 0x5EEDL;
    String[] ids = {"S0000001-I7", "S0913377-I2", "S0000001-I7", "S0002222-I9", "S0913377-I2", "S0002222-I9"};
    boolean[] expected = {false, false, true, false, true, true};
    try (RepeatedKeys repeats = new RepeatedKeys(new long[] {key}, -1, 1)) {
      // a key that does not repeat is accepted without its id being asked for
      assertThat(repeats.isRepeat(key + 1, row -> { throw new AssertionError("id asked"); }, 0)).isFalse();
      for (int i = 0; i < ids.length; i++) {
        assertThat(repeats.isRepeat(key, row -> ids[row], i)).as("sighting %d of %s", i, ids[i])
            .isEqualTo(expected[i]);
      }
    }
    try (RepeatedKeys repeats = new RepeatedKeys(null, 10, 1)) {
      assertThat(repeats.isRepeat(key, row -> ids[row], 0)).isFalse();
      assertThat(repeats.isRepeat(key, row -> { throw new AssertionError("id asked"); }, 1)).as("by key alone")
          .isTrue();
    }
  }
}

package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FingerprintSetTest {
  private static long key(String id) {
    return PortfolioFeatures.IdIndex.key(id);
  }

  /** The one-pass key and hash of ASCII bytes equal the String's key and String.hashCode. */
  @Test
  void keyAndHash_ofAsciiBytes_equalTheStringsKeyAndHashCode() {
    SplittableRandom random = new SplittableRandom(11);
    int[] hashes = new int[3];
    for (int i = 0; i < 20_000; i++) {
      char[] chars = new char[random.nextInt(40)];
      for (int k = 0; k < chars.length; k++) {
        chars[k] = (char) (1 + random.nextInt(127));
      }
      String id = new String(chars);
      byte[] bytes = ("pre" + id + "post").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      long k = PortfolioFeatures.IdIndex.keyAndHash(bytes, 3, id.length(), hashes, i % 3);
      assertThat(k).as(id).isEqualTo(key(id)).isEqualTo(PortfolioFeatures.IdIndex.key(bytes, 3, id.length()));
      assertThat(hashes[i % 3]).as(id).isEqualTo(id.hashCode());
    }
  }

  /**
   * The keys of ids as generated and as numbered elsewhere (lengths 1 to 20, ids that differ in
   * one byte only, also in the bytes read twice where the length is not a multiple of eight) are
   * distinct, the same from the bytes as from the String, and an id that is not ASCII has a key of
   * its own.
   */
  @Test
  void keys_ofTwoMillionDistinctIds_areDistinct_andNonAsciiIdsAreKeyedByTheirChars() {
    long[] keys = new long[2_000_000];
    int n = 0;
    byte[] bytes = new byte[40];
    int mismatches = 0;
    for (int i = 0; i < 1_000_000; i++) {
      // as generated (S0000001-I9: 11-13 bytes), and numbered elsewhere (1 to 20 bytes)
      String[] two = {"S" + (10_000_000 + i / 10 + 1 + "").substring(1) + "-I" + (i % 10 + 1),
          i % 2 == 0 ? Integer.toString(i) : "INV-2024-" + (100_000_000_000L + i + "").substring(1)};
      for (String id : two) {
        for (int k = 0; k < id.length(); k++) {
          bytes[5 + k] = (byte) id.charAt(k);
        }
        keys[n] = key(id);
        mismatches += PortfolioFeatures.IdIndex.key(bytes, 5, id.length()) == keys[n] ? 0 : 1;
        n++;
      }
    }
    assertThat(mismatches).as("ids whose bytes and String keys differ").isZero();
    java.util.Arrays.sort(keys);
    int repeats = 0;
    for (int i = 1; i < keys.length; i++) {
      repeats += keys[i] == keys[i - 1] ? 1 : 0;
    }
    assertThat(repeats).as("keys shared by two ids").isZero();
    assertThat(keys).doesNotContain(0L);
    assertThat(key("Zürich-0001")).isNotEqualTo(key("Zurich-0001")).isEqualTo(key("Zürich-0001"))
        .isNotEqualTo(key("Zürich-0002"));
  }

  @Test
  void set_agreesWithAHashSetOnRandomIds_whileGrowing() {
    Set<String> reference = new HashSet<>();
    try (FingerprintSet set = FingerprintSet.create(-1)) {
      assertThat(set.capacity()).isEqualTo(FingerprintSet.INITIAL_SLOTS);
      SplittableRandom random = new SplittableRandom(9);
      for (int i = 0; i < 200_000; i++) {
        String id = "I" + random.nextInt(120_000);
        assertThat(set.addKey(key(id))).isEqualTo(reference.add(id));
      }
      for (String id : reference) {
        assertThat(set.containsKey(key(id))).isTrue();
      }
      assertThat(set.containsKey(key("never seen"))).isFalse();
      // grown at three quarters full, so the table holds the ids at most that full
      assertThat(set.capacity() - set.capacity() / 4).isGreaterThanOrEqualTo(reference.size());
    }
  }

  @Test
  void presizedSet_neverGrowsUpToItsHint_andFindsTheSameDuplicates() {
    SplittableRandom random = new SplittableRandom(10);
    for (long hint : new long[] {-1, 0, 1, 3, 4, 1_000, 3_072, 3_073, 100_000}) {
      try (FingerprintSet set = FingerprintSet.create(hint)) {
        long before = set.capacity();
        if (hint > 0) {
          // the smallest power of two that holds the hint at three quarters full (at least the default)
          long slots = 1;
          while (slots - slots / 4 < hint) {
            slots <<= 1;
          }
          assertThat(before).isEqualTo(Math.max(slots, FingerprintSet.INITIAL_SLOTS));
        }
        Set<String> reference = new HashSet<>();
        int n = (int) Math.max(hint, 0);
        for (int i = 0; i < n; i++) {
          String id = "I" + i;
          assertThat(set.addKey(key(id))).isTrue();
          reference.add(id);
        }
        assertThat(set.capacity()).as("hint %d", hint).isEqualTo(before);
        // past the hint the set grows, and keeps agreeing with a HashSet
        for (int i = 0; i < 20_000; i++) {
          String id = "I" + random.nextInt(n + 10_000);
          assertThat(set.addKey(key(id))).isEqualTo(reference.add(id));
        }
      }
    }
  }

  /**
   * Zeroing by threads leaves no byte of a dirty buffer unzeroed and none beyond its end touched,
   * whether the size is below one part, a whole number of parts, or parts and a remainder.
   */
  @Test
  void zeroingByThreads_zeroesEveryByteAndNoMore() {
    long page = FingerprintSet.ZEROED_PER_THREAD;
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator()) {
      for (long bytes : new long[] {8, page - 8, page, 3 * page, 3 * page + 8, 7 * page + 4096}) {
        for (int threads : new int[] {1, 2, 3, 5}) {
          try (org.apache.arrow.memory.ArrowBuf buffer = allocator.buffer(bytes + 64)) {
            for (long at = 0; at < bytes + 64; at += 8) {
              buffer.setLong(at, -1L);
            }
            FingerprintSet.zero(buffer, bytes, threads);
            for (long at = 0; at < bytes; at += 8) {
              if (buffer.getLong(at) != 0) {
                throw new AssertionError("byte " + at + " of " + bytes + " left on " + threads + " threads");
              }
            }
            for (long at = bytes; at < bytes + 64; at += 8) {
              assertThat(buffer.getLong(at)).as("beyond %d bytes", bytes).isEqualTo(-1L);
            }
          }
        }
      }
    }
    // and a set zeroed by threads agrees with a HashSet
    Set<String> reference = new HashSet<>();
    try (FingerprintSet set = FingerprintSet.create(1_000_000, 3)) {
      assertThat(set.capacity() * Long.BYTES).isGreaterThan(3 * page);
      SplittableRandom random = new SplittableRandom(12);
      for (int i = 0; i < 300_000; i++) {
        String id = "I" + random.nextInt(200_000);
        assertThat(set.addKey(key(id))).isEqualTo(reference.add(id));
      }
    }
  }

  @Test
  void hintBeyondAQuarterOfTheMachine_isIgnored() {
    // 2^37 ids need 2^38 slots, 2 TB: no machine this runs on has 8 TB
    for (long hint : new long[] {1L << 37, 1L << 50, Long.MAX_VALUE}) {
      try (FingerprintSet set = FingerprintSet.create(hint)) {
        assertThat(set.capacity()).as("hint %d", hint).isEqualTo(FingerprintSet.INITIAL_SLOTS);
      }
    }
  }

  @Test
  void closedSet_refusesUse_insteadOfReadingFreedMemory() {
    FingerprintSet set = FingerprintSet.create(10);
    set.addKey(key("I1"));
    set.close();
    assertThatThrownBy(() -> set.containsKey(key("I1"))).isInstanceOf(RuntimeException.class);
  }
}

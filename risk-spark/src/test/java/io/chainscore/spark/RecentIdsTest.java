package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link RecentIds} gives what its lookup gives for every id, and calls it only for ids not among the recent ones. */
class RecentIdsTest {
  @Test
  void get_equalsTheLookup_andLooksUpOnlyIdsNotRecent() {
    int[] calls = {0};
    RecentIds ids = new RecentIds((b, at, n) -> {
      calls[0]++;
      String id = new String(b, at, n, StandardCharsets.UTF_8);
      return id.endsWith("7") ? null : id.hashCode();   // some ids unknown (null), remembered as such
    });
    SplittableRandom random = new SplittableRandom(3);
    byte[] row = new byte[64];
    int expectedCalls = 0;
    String[] recent = new String[RecentIds.RECENT];
    for (int i = 0; i < 20_000; i++) {
      // runs of one id, switching among a few at random, now and then a new one
      String id = "S" + (random.nextInt(10) == 0 ? random.nextInt(1_000) : random.nextInt(6));
      byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
      int at = random.nextInt(8);
      java.util.Arrays.fill(row, (byte) '#');
      System.arraycopy(bytes, 0, row, at, bytes.length);
      // a plain most-recently-used list of the last four ids: a lookup is due when the id is not in it
      int k = java.util.Arrays.asList(recent).indexOf(id);
      if (k < 0) {
        expectedCalls++;
        k = RecentIds.RECENT - 1;
      }
      System.arraycopy(recent, 0, recent, 1, k);
      recent[0] = id;
      assertThat(ids.get(row, at, bytes.length)).as(id).isEqualTo(id.endsWith("7") ? null : id.hashCode());
      assertThat(calls[0]).as("lookups after %d ids", i + 1).isEqualTo(expectedCalls);
    }
    assertThat(expectedCalls).isBetween(1_000, 15_000);
  }
}

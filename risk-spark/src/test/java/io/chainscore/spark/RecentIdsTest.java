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

  /**
   * With batch serials: an id at the place it was seen in the same batch is found without its
   * bytes, the same value as by its bytes; the same place in another batch (the array reused with
   * other bytes) is compared again, and the lookups are those of the bytes alone.
   */
  @Test
  void get_withSerials_findsTheSameValues_andNeverAStaleOne() {
    int[] calls = {0};
    RecentIds.Lookup lookup = (b, at, n) -> {
      calls[0]++;
      String id = new String(b, at, n, StandardCharsets.UTF_8);
      return id.endsWith("7") ? null : id.hashCode();
    };
    RecentIds bySerial = new RecentIds(lookup);
    int[] plainCalls = {0};
    RecentIds byBytes = new RecentIds((b, at, n) -> {
      plainCalls[0]++;
      return lookup.find(b, at, n);
    });
    SplittableRandom random = new SplittableRandom(11);
    byte[] batch = new byte[256];
    long serial = 0;
    int[] starts = new int[16];
    int[] lengths = new int[16];
    String[] entries = new String[16];
    for (int round = 0; round < 2_000; round++) {
      // a new batch in the same array: a small dictionary of ids copied at new places
      serial++;
      int used = random.nextInt(3);
      int size = 1 + random.nextInt(entries.length);
      for (int d = 0; d < size; d++) {
        entries[d] = "S" + random.nextInt(12);
        byte[] b = entries[d].getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, batch, used, b.length);
        starts[d] = used;
        lengths[d] = b.length;
        used += b.length + random.nextInt(2);
      }
      for (int row = 0; row < 40; row++) {
        int d = random.nextInt(10) < 8 ? 0 : random.nextInt(size);   // mostly runs of one id
        Integer expected = entries[d].endsWith("7") ? null : entries[d].hashCode();
        assertThat(bySerial.get(batch, starts[d], lengths[d], serial)).as(entries[d]).isEqualTo(expected);
        assertThat(byBytes.get(batch, starts[d], lengths[d])).isEqualTo(expected);
      }
    }
    calls[0] -= plainCalls[0];   // the plain instance's calls went through the same lookup
    assertThat(calls[0]).isEqualTo(plainCalls[0]);
    assertThat(plainCalls[0]).isGreaterThan(100);
  }
}

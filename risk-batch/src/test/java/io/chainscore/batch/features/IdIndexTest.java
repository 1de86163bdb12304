package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdIndexTest {
  /**
   * {@code IdRuns.sameBytes}, the per-row "same supplier as the last row?" test, against {@code
   * Arrays.equals}: ids of 0-24 bytes, equal or differing in one byte anywhere (the first, the
   * last, the byte after the id), anywhere in their array, up to its last byte.
   */
  @Test
  void sameBytes_agreesWithArraysEquals() {
    SplittableRandom random = new SplittableRandom(2026_12_06);
    int equal = 0;
    int nearTheEnd = 0;
    for (int trial = 0; trial < 200_000; trial++) {
      int length = random.nextInt(25);
      byte[] last = new byte[Math.max(length, random.nextBoolean() ? 32 : length + random.nextInt(4))];
      for (int i = 0; i < last.length; i++) {
        last[i] = (byte) random.nextInt(256);
      }
      byte[] text = new byte[length + random.nextInt(40)];
      for (int i = 0; i < text.length; i++) {
        text[i] = (byte) random.nextInt(256);
      }
      int start = random.nextInt(text.length - length + 1);
      System.arraycopy(last, 0, text, start, length);
      int change = random.nextInt(3);
      if (change == 1 && length > 0) {
        int at = random.nextBoolean() ? random.nextInt(length) : length - 1;
        text[start + at] ^= (byte) (1 + random.nextInt(255));
      } else if (change == 2 && last.length > length) {
        last[length] ^= (byte) (1 + random.nextInt(255));   // past the id: must not matter
      }
      boolean expected = java.util.Arrays.equals(text, start, start + length, last, 0, length);
      assertThat(PortfolioFeatures.IdRuns.sameBytes(text, start, last, length))
          .as("trial %d, length %d, start %d of %d", trial, length, start, text.length).isEqualTo(expected);
      equal += expected ? 1 : 0;
      nearTheEnd += text.length - start < 16 ? 1 : 0;
    }
    assertThat(equal).isBetween(60_000, 160_000);
    assertThat(nearTheEnd).isGreaterThan(20_000);
  }

  @Test
  void idIndex_agreesWithAHashMapOnRandomIds() {
    agreesWithAHashMap(new PortfolioFeatures.IdIndex());
  }

  /** Sized from a row-count hint (exact, too small, absent, absurd): the same answers. */
  @Test
  void sizedIndex_agreesWithAHashMapWhateverTheHint() {
    for (long hint : new long[] {0, -1, 1_000, 200_000, 1L << 40}) {
      agreesWithAHashMap(PortfolioFeatures.IdIndex.sizedFor(hint));
    }
  }

  /**
   * Runs of ids looked up with the index's keys in index order (the next index checked first) give
   * what the index gives, whether the rows come in index order, shuffled, repeated or unknown.
   */
  @Test
  void idRuns_withTheKeysInIndexOrder_agreeWithTheIndex() {
    int n = 20_000;
    PortfolioFeatures.IdIndex index = PortfolioFeatures.IdIndex.sizedFor(n);
    long[] keysInOrder = new long[n];
    for (int j = 0; j < n; j++) {
      String id = "L" + j;
      assertThat(index.putIfAbsent(id, j)).isEqualTo(-1);
      keysInOrder[j] = PortfolioFeatures.IdIndex.key(id);
    }
    SplittableRandom random = new SplittableRandom(4);
    io.chainscore.tables.TableSchema schema = io.chainscore.tables.PortfolioTables.INSTALMENTS;
    for (String order : new String[] {"in order", "shuffled", "mixed"}) {
      PortfolioFeatures.IdRuns predicted = new PortfolioFeatures.IdRuns(index, keysInOrder, n);
      PortfolioFeatures.IdRuns plain = new PortfolioFeatures.IdRuns(index);
      io.chainscore.batch.io.ColumnBatch batch = new io.chainscore.batch.io.ColumnBatch(schema, 60_000);
      int next = 0;
      int hits = 0;
      for (int i = 0; i < 60_000; i++) {
        int j = switch (order) {
          case "in order" -> random.nextInt(4) == 0 ? next : next++;   // runs of one loan's instalments
          case "shuffled" -> random.nextInt(n);
          default -> random.nextInt(3) == 0 ? random.nextInt(n + 100) : next++;   // some unknown (j >= n)
        };
        // a new String per row, as a reader hands plain-encoded ids (no run found by identity)
        batch.strings(0)[i] = new String("L" + (j % (n + 100)));
        int expected = index.get(batch.strings(0)[i]);
        assertThat(predicted.indexOf(batch, 0, i)).as("%s row %d", order, i).isEqualTo(expected);
        assertThat(plain.indexOf(batch, 0, i)).isEqualTo(expected);
        hits += expected >= 0 ? 1 : 0;
      }
      assertThat(hits).as(order).isGreaterThan(30_000);
    }
  }

  /**
   * {@code IdRuns.indexesOf}, a batch's rows in one loop (a row pointing at the previous row's bytes
   * taken as the same id unread), against the index looked up by each row's id, on the batches the
   * readers give: from Parquet, whose supplier ids are dictionary-encoded (rows share their entry's
   * bytes), and from CSV (each row's own bytes); runs, repeats apart, unknown ids, ids that are
   * not ASCII (Strings), over batches of 700 rows.
   */
  @Test
  void indexesOf_agreesWithTheIndexRowByRow(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    PortfolioFeatures.IdIndex index = new PortfolioFeatures.IdIndex();
    for (int j = 0; j < 60; j++) {
      index.putIfAbsent(j % 7 == 0 ? "Sü" + j : "S" + j, j);
    }
    SplittableRandom random = new SplittableRandom(12);
    io.chainscore.tables.TableSchema schema = io.chainscore.tables.PortfolioTables.DELIVERIES;
    java.time.LocalDate day = java.time.LocalDate.of(2024, 1, 1);
    for (io.chainscore.batch.io.TableWriter.Format format : new io.chainscore.batch.io.TableWriter.Format[] {
        io.chainscore.batch.io.TableWriter.Format.PARQUET, io.chainscore.batch.io.TableWriter.Format.CSV}) {
      java.nio.file.Path to = java.nio.file.Files.createDirectories(dir.resolve(format.extension()));
      try (io.chainscore.batch.io.TableWriter writer = io.chainscore.batch.io.Tables.open(to, schema, format, true)) {
        int j = 0;
        for (int i = 0; i < 20_000; i++) {
          j = random.nextInt(3) == 0 ? random.nextInt(66) : j;   // runs, a jump now and then, 6 unknown
          writer.setString(0, "I" + i);
          writer.setString(1, j % 7 == 0 ? "Sü" + j : "S" + j);
          writer.setDate(2, day);
          writer.setDate(3, day);
          writer.endRow();
        }
        writer.commit();
      }
      io.chainscore.batch.io.ColumnBatch batch = new io.chainscore.batch.io.ColumnBatch(schema, 700);
      batch.keepTextAsBytes(1);
      PortfolioFeatures.IdRuns runs = new PortfolioFeatures.IdRuns(index);
      int[] out = new int[700];
      int rows = 0;
      int unknown = 0;
      try (io.chainscore.batch.io.TableReader reader = io.chainscore.batch.io.TableReader.open(
          to.resolve("deliveries." + format.extension()), schema, e -> {
            throw e;
          })) {
        while (reader.next(batch)) {
          runs.indexesOf(batch, 1, out);
          for (int i = 0; i < batch.size(); i++) {
            int expected = index.get(batch.string(1, i));
            assertThat(out[i]).as("%s row %d", format, rows + i).isEqualTo(expected);
            unknown += expected < 0 ? 1 : 0;
          }
          rows += batch.size();
        }
      }
      assertThat(rows).isEqualTo(20_000);
      assertThat(unknown).as(format.toString()).isGreaterThan(500);
    }
  }

  private static void agreesWithAHashMap(PortfolioFeatures.IdIndex index) {
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
}

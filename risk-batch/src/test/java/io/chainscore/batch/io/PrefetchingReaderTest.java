package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading ahead on a background thread against the plain reader on the same file: the same
 * rows, bad rows and failure, interleaved in the same order on the caller's thread.
 */
class PrefetchingReaderTest {
  private static final TableSchema SAMPLE = new TableSchema("sample", List.of(
      TableSchema.required("id", ColumnType.STRING),
      TableSchema.nullable("day", ColumnType.DATE),
      TableSchema.required("amount", ColumnType.DOUBLE)));

  @TempDir Path dir;

  /** A log of everything a reader shows its caller: batches, rows, bad rows and the failure. */
  private static List<String> log(Path file, boolean ahead, int capacity, int stopAfterBadRows) {
    return log(file, ahead ? 1 : 0, capacity, stopAfterBadRows);
  }

  /** As {@link #log(Path, boolean, int, int)}, reading ahead with {@code decoders} threads (0: the plain reader). */
  private static List<String> log(Path file, int decoders, int capacity, int stopAfterBadRows) {
    List<String> log = new ArrayList<>();
    Thread caller = Thread.currentThread();
    int[] bad = {0};
    BadRowHandler handler = e -> {
      log.add("bad " + e.getMessage() + (Thread.currentThread() == caller ? "" : " ON ANOTHER THREAD"));
      if (++bad[0] == stopAfterBadRows) {
        throw e;
      }
    };
    return log(h -> decoders > 0 ? TableReader.openReadingAhead(file, SAMPLE, h, null, decoders)
        : TableReader.open(file, SAMPLE, h), handler, capacity, log);
  }

  /** A way to open a reader of {@link #SAMPLE} with a bad-row handler. */
  @FunctionalInterface
  private interface Opener {
    TableReader open(BadRowHandler handler) throws IOException;
  }

  /** Appends to {@code log} everything the reader {@code opener} opens shows its caller, and returns it. */
  private static List<String> log(Opener opener, BadRowHandler handler, int capacity, List<String> log) {
    try (TableReader r = opener.open(handler)) {
      ColumnBatch batch = new ColumnBatch(SAMPLE, capacity);
      while (r.next(batch)) {
        log.add("batch of " + batch.size() + ", " + r.rowsRead() + " read");
        for (int i = 0; i < batch.size(); i++) {
          log.add(batch.sourceRows()[i] + ":" + batch.strings(0)[i] + "|" + batch.dates(1)[i] + "|"
              + batch.doubles(2)[i]);
        }
      }
      log.add("end, " + r.rowsRead() + " read");
    } catch (IOException | RuntimeException e) {
      log.add("failed: " + e.getMessage());
    }
    return log;
  }

  private Path randomCsv(long seed, int rows, boolean unterminatedAtEnd) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder("id,day,amount\n");
    for (int i = 0; i < rows; i++) {
      int kind = random.nextInt(12);
      String day = kind == 0 ? "2024-13-01" : kind == 1 ? "" : "2024-01-" + (10 + random.nextInt(18));
      String amount = kind == 2 ? "abc" : Integer.toString(random.nextInt(1000));
      b.append(kind == 3 ? "" : "S" + random.nextInt(50)).append(',').append(day).append(',').append(amount).append('\n');
    }
    if (unterminatedAtEnd) {
      b.append("x,2024-01-01,\"unterminated\n");
    }
    return Files.write(dir.resolve("t" + seed + ".csv"), b.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readingAhead_showsTheSameRowsAndBadRowsInTheSameOrder() throws IOException {
    for (int seed = 0; seed < 6; seed++) {
      Path f = randomCsv(seed, 2_000 + 500 * seed, seed % 2 == 1);
      for (int capacity : new int[] {1, 7, 64, 5_000}) {
        List<String> plain = log(f, false, capacity, -1);
        assertThat(plain).anyMatch(s -> s.startsWith("bad "));
        assertThat(log(f, true, capacity, -1)).isEqualTo(plain);
      }
    }
  }

  @Test
  void aHandlerThatStops_stopsAtTheSameRow() throws IOException {
    Path f = randomCsv(42, 3_000, false);
    List<String> plain = log(f, false, 16, 25);
    assertThat(plain.get(plain.size() - 1)).startsWith("failed: ");
    assertThat(log(f, true, 16, 25)).isEqualTo(plain);
  }

  @Test
  void aFileFault_isThrownOnOpenAsByThePlainReader() throws IOException {
    Path missing = Files.write(dir.resolve("missing.csv"), "id,day\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> TableReader.openReadingAhead(missing, SAMPLE, e -> { }))
        .isInstanceOf(InputFormatException.class).hasMessageContaining("amount");
  }

  @Test
  void closingEarly_stopsTheBackgroundThread() throws IOException {
    Path f = randomCsv(7, 20_000, false);
    for (int i = 0; i < 20; i++) {
      // with and without a stage (which has a thread of its own)
      try (TableReader r = i % 2 == 0 ? TableReader.openReadingAhead(f, SAMPLE, e -> { })
          : TableReader.openReadingAhead(f, SAMPLE, e -> { }, b -> { })) {
        ColumnBatch batch = new ColumnBatch(SAMPLE, 8);
        assertThat(r.next(batch)).isTrue();
      }
    }
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("chainscore-reader"));
  }

  /**
   * A stateful stage (a running sum over the rows, in file order) run by the reader's stage thread
   * gives each batch the same attachment as the stage run by the caller after each plain read;
   * a stage that fails is reported after the bad rows of its batch, where it failed.
   */
  @Test
  void aStage_runsOnTheReaderThreadInFileOrder_withTheSameResultsAsInline() throws IOException {
    for (int seed = 0; seed < 4; seed++) {
      Path f = randomCsv(100 + seed, 3_000, false);
      for (int capacity : new int[] {1, 13, 5_000}) {
        for (int failAt : new int[] {-1, 5}) {
          assertThat(staged(f, true, capacity, failAt)).isEqualTo(staged(f, false, capacity, failAt));
        }
      }
    }
    Path f = randomCsv(9, 1_000, false);
    assertThat(staged(f, true, 16, -1)).noneMatch(s -> s.contains("STAGE ON CALLER"));
  }

  /**
   * The segments of a Parquet file read apart, each by its own {@link ParquetSegments} reader over
   * its own channel (as the Spark job's tasks read them), one after the other: the same batches,
   * rows, row numbers and bad rows as the plain reader of the whole file, and the same failure
   * for a damaged page in the third segment, in that segment only.
   */
  @Test
  void parquetSegments_readApart_giveWhatThePlainReaderGives() throws Exception {
    Path f = parquetByDuckDb("apart.parquet",
        "SELECT CASE WHEN i % 1009 = 0 THEN NULL ELSE 'S' || (i % 5000) END AS id,"
        + " CASE WHEN i % 7 = 0 THEN NULL ELSE DATE '2024-01-01' + CAST(i % 300 AS INTEGER) END AS day,"
        + " CASE WHEN i % 2003 = 0 OR i BETWEEN 143360 AND 215039 THEN NULL ELSE CAST(i % 1000 AS DOUBLE) END AS amount"
        + " FROM range(0, 300000) r(i) ORDER BY i");
    ParquetSegments segments;
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(f)) {
      segments = ParquetSegments.checkColumns(f.toString(), channel, SAMPLE);
    }
    assertThat(segments.count()).isEqualTo(5);
    assertThat(segments.rows()).isEqualTo(300_000);
    assertThat(segments.decodable()).isTrue();
    assertThat(new long[] {segments.firstRow(0), segments.firstRow(1), segments.firstRow(2), segments.firstRow(3),
        segments.firstRow(4)}).containsExactly(0, 71_680, 143_360, 215_040, 286_720);
    for (int capacity : new int[] {7_000, 100_000}) {
      List<String> plain = log(f, 0, capacity, -1);
      plain.remove(plain.size() - 1);   // "end, 300000 read"
      List<String> apart = new ArrayList<>();
      for (int s = 0; s < segments.count(); s++) {
        List<String> one = logSegment(f, s, capacity);
        assertThat(one.get(one.size() - 1)).isEqualTo("end, "
            + (s + 1 < segments.count() ? segments.firstRow(s + 1) : segments.rows()) + " read");
        apart.addAll(one.subList(0, one.size() - 1));
      }
      assertThat(apart).as("batches of %d", capacity).isEqualTo(plain);
      // runs of consecutive segments read by one reader: what reading them one by one gives
      for (int[] run : new int[][] {{0, 5}, {1, 4}, {3, 5}}) {
        List<String> oneByOne = new ArrayList<>();
        for (int s = run[0]; s < run[1]; s++) {
          List<String> one = logSegment(f, s, capacity);
          oneByOne.addAll(one.subList(0, one.size() - 1));
        }
        List<String> together = logSegments(f, run[0], run[1], capacity);
        assertThat(together.get(together.size() - 1)).isEqualTo("end, "
            + (run[1] < segments.count() ? segments.firstRow(run[1]) : segments.rows()) + " read");
        assertThat(together.subList(0, together.size() - 1)).as("segments %d to %d", run[0], run[1] - 1)
            .isEqualTo(oneByOne);
      }
    }
    assertThat(logSegments(f, 4, 6, 1_000)).containsExactly("failed: " + f + ": has no segments 4 to 5; it has 5"
        + " (has the file changed since its segments were counted?)");
    byte[] bytes = Files.readAllBytes(f);
    ParquetLayout layout;
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(f)) {
      layout = ParquetLayout.read(f.toString(), channel);
    }
    long at = layout.rowGroups.get(16).chunks()[2].start();
    for (int i = 0; i < 8; i++) {
      bytes[(int) at + i] = (byte) 0xff;
    }
    Path damaged = Files.write(dir.resolve("apart-damaged.parquet"), bytes);
    List<String> plain = log(damaged, 0, 65_536, -1);
    List<String> third = logSegment(damaged, 2, 65_536);
    assertThat(third.get(third.size() - 1)).isEqualTo(plain.get(plain.size() - 1)).contains("row group 17");
    List<String> fourth = logSegment(damaged, 3, 65_536);
    assertThat(fourth.get(fourth.size() - 1)).isEqualTo("end, 286720 read");
    assertThat(logSegment(f, 5, 1_000)).containsExactly("failed: " + f + ": has no segment 5; it has 5"
        + " (has the file changed since its segments were counted?)");
    Path text = Files.writeString(dir.resolve("not.parquet"), "id,day,amount\n");
    assertThat(logSegment(text, 0, 1_000)).containsExactly("failed: " + text + ": is not a Parquet file (no PAR1 magic bytes)");
  }

  /**
   * Readers of segment runs opened one after another with one {@link ParquetBuffers} (each
   * reader's page buffers those the one before gave back, grown to the file's pages, their old
   * bytes still in them), over two files of different pages: what readers of their own buffers
   * give, run by run.
   */
  @Test
  void parquetSegments_sharingPageBuffers_readWhatTheirOwnBuffersRead() throws Exception {
    Path wide = parquetByDuckDb("shared-wide.parquet",
        "SELECT CASE WHEN i % 1009 = 0 THEN NULL ELSE 'S' || (i % 5000) || repeat('x', i % 13) END AS id,"
        + " CASE WHEN i % 7 = 0 THEN NULL ELSE DATE '2024-01-01' + CAST(i % 300 AS INTEGER) END AS day,"
        + " CAST(i % 1000 AS DOUBLE) AS amount FROM range(0, 300000) r(i) ORDER BY i");
    Path narrow = parquetByDuckDb("shared-narrow.parquet",
        "SELECT 'T' || (i % 7) AS id, DATE '2025-01-01' + CAST(i % 30 AS INTEGER) AS day,"
        + " CAST(i AS DOUBLE) / 3 AS amount FROM range(0, 80000) r(i) ORDER BY i");
    ParquetBuffers buffers = new ParquetBuffers();
    int[][] runs = {{0, 2}, {2, 5}, {0, 1}, {1, 5}, {4, 5}};
    for (int k = 0; k < runs.length; k++) {
      for (Path f : new Path[] {wide, narrow}) {
        int first = f == narrow ? 0 : runs[k][0];
        int end = f == narrow ? 1 : runs[k][1];
        List<String> shared = new ArrayList<>();
        log(h -> ParquetSegments.open(f.toString(), java.nio.channels.FileChannel.open(f), SAMPLE, h, first, end,
            buffers), e -> shared.add("bad " + e.getMessage()), 10_000, shared);
        assertThat(shared).as("%s segments %d to %d", f.getFileName(), first, end - 1)
            .isEqualTo(logSegments(f, first, end, 10_000));
        assertThat(shared.get(shared.size() - 1)).startsWith("end, ");
      }
    }
  }

  /** As {@link #log(Path, int, int, int)} for segment {@code s} alone, read by {@link ParquetSegments#open}. */
  private static List<String> logSegment(Path file, int s, int capacity) {
    List<String> log = new ArrayList<>();
    return log(h -> ParquetSegments.open(file.toString(), java.nio.channels.FileChannel.open(file), SAMPLE, h, s),
        e -> log.add("bad " + e.getMessage()), capacity, log);
  }

  /** As {@link #logSegment} for the segments {@code [first, end)}, read by one reader. */
  private static List<String> logSegments(Path file, int first, int end, int capacity) {
    List<String> log = new ArrayList<>();
    return log(h -> ParquetSegments.open(file.toString(), java.nio.channels.FileChannel.open(file), SAMPLE, h, first,
        end), e -> log.add("bad " + e.getMessage()), capacity, log);
  }

  /**
   * A Parquet file of 30 row groups (five segments of whole groups, one of them all bad rows)
   * decoded by 1, 2 and 3 threads, each taking its turn of the segments: the batches (cut where a
   * segment ends), bad rows (nulls in required columns), rows read, a handler that stops, a
   * stage's results and a damaged page in the third segment are exactly what the plain reader on
   * the caller's thread gives.
   */
  @Test
  void parquetSegments_decodedByManyThreads_giveWhatThePlainReaderGives() throws Exception {
    Path f = parquetByDuckDb("segments.parquet",
        "SELECT CASE WHEN i % 1009 = 0 THEN NULL ELSE 'S' || (i % 5000) END AS id,"
        + " CASE WHEN i % 7 = 0 THEN NULL ELSE DATE '2024-01-01' + CAST(i % 300 AS INTEGER) END AS day,"
        + " CASE WHEN i % 2003 = 0 OR i BETWEEN 143360 AND 215039 THEN NULL ELSE CAST(i % 1000 AS DOUBLE) END AS amount"
        + " FROM range(0, 300000) r(i) ORDER BY i");
    ParquetLayout layout;
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(f)) {
      layout = ParquetLayout.read(f.toString(), channel);
    }
    // 29 groups of 10,240 rows and one of 3,040: segments of 7 groups (71,680 rows) from rows 0,
    // 71,680, 143,360 (all of whose rows lack an amount), 215,040 and 286,720
    assertThat(layout.rowGroups).hasSize(30).allMatch(g -> g.rows() == 10_240 || g.rows() == 3_040);
    try (TableReader r = TableReader.open(f, SAMPLE, e -> { })) {
      assertThat(((ArrowTableReader) r).segments()).isEqualTo(5);
    }
    for (int capacity : new int[] {7_000, 65_536, 100_000}) {
      List<String> plain = log(f, 0, capacity, -1);
      // rows without id (i % 1009 == 0) or amount (i % 2003 == 0, and the third segment)
      assertThat(plain).filteredOn(line -> line.startsWith("bad ")).hasSize(72_020);
      assertThat(plain.get(plain.size() - 1)).isEqualTo("end, 300000 read");
      if (capacity == 100_000) {
        // the first segment's 71,573 good rows end a batch; the third segment gives none
        assertThat(plain).contains("batch of 71573, 71680 read");
        assertThat(plain).noneMatch(line -> line.startsWith("batch of") && line.endsWith(", 215040 read"));
      }
      for (int decoders = 1; decoders <= 3; decoders++) {
        assertThat(log(f, decoders, capacity, -1)).as("%d decoders, batches of %d", decoders, capacity)
            .isEqualTo(plain);
      }
      List<String> stopped = log(f, 0, capacity, 40);
      assertThat(stopped.get(stopped.size() - 1)).startsWith("failed: ");
      assertThat(log(f, 2, capacity, 40)).isEqualTo(stopped);
      for (int failAt : new int[] {-1, 3}) {
        List<String> inline = staged(f, 0, capacity, failAt);
        for (int decoders = 2; decoders <= 3; decoders++) {
          assertThat(staged(f, decoders, capacity, failAt)).isEqualTo(inline);
        }
      }
    }
    // closed after one batch, with and without a stage: every decoder's thread ends
    for (int decoders = 2; decoders <= 3; decoders++) {
      for (TableReader.BatchStage stage : new TableReader.BatchStage[] {null, b -> { }}) {
        try (TableReader r = TableReader.openReadingAhead(f, SAMPLE, e -> { }, stage, decoders)) {
          assertThat(r.next(new ColumnBatch(SAMPLE, 1_000))).isTrue();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("chainscore-reader"));
      }
    }
    // the first page header of the amount column in row group 16 (the third segment) broken
    byte[] bytes = Files.readAllBytes(f);
    int amount = 2;
    long at = layout.rowGroups.get(16).chunks()[amount].start();
    for (int i = 0; i < 8; i++) {
      bytes[(int) at + i] = (byte) 0xff;
    }
    Path damaged = Files.write(dir.resolve("segments-damaged.parquet"), bytes);
    List<String> plain = log(damaged, 0, 65_536, -1);
    assertThat(plain.get(plain.size() - 1)).startsWith("failed: " + damaged + ": is not a readable Parquet file")
        .contains("row group 17");
    for (int decoders = 2; decoders <= 3; decoders++) {
      assertThat(log(damaged, decoders, 65_536, -1)).isEqualTo(plain);
    }
  }

  /**
   * A stage's {@link TableReader.BatchStage#precompute} runs on a decoder's thread (never the stage's
   * or the caller's), on each batch's own rows before that batch's {@code prepare}, with one
   * decoder (CSV) and with 2 and 3 decoding Parquet segments; prepare sees every batch, in file
   * order, as the plain reader gives them; a precompute that fails is reported where it failed.
   */
  @Test
  void aStagesPrecompute_runsOnTheDecoders_onEachBatchsOwnRows_beforePrepare() throws Exception {
    Path parquet = parquetByDuckDb("precompute.parquet", "SELECT 'S' || (i % 500) AS id,"
        + " DATE '2024-01-01' + CAST(i % 300 AS INTEGER) AS day, CAST(i % 997 AS DOUBLE) AS amount"
        + " FROM range(0, 200000) r(i) ORDER BY i");
    Path csv = randomCsv(300, 20_000, false);
    for (Path f : List.of(csv, parquet)) {
      for (int capacity : new int[] {13, 5_000, 65_536}) {
        List<String> plain = new ArrayList<>();
        try (TableReader r = TableReader.open(f, SAMPLE, e -> { })) {
          ColumnBatch batch = new ColumnBatch(SAMPLE, capacity);
          while (r.next(batch)) {
            plain.add(checksum(batch) + " ok");
          }
        }
        for (int decoders = 1; decoders <= (f == csv ? 1 : 3); decoders++) {
          assertThat(precomputed(f, decoders, capacity, -1L)).as("%s, %d decoders, batches of %d", f, decoders, capacity)
              .isEqualTo(plain);
          if (plain.size() >= 3) {
            // fails on the first batch reaching row 2 * capacity + 1: the second batch or a later one
            List<String> failed = precomputed(f, decoders, capacity, 2L * capacity + 1);
            assertThat(failed).hasSizeGreaterThan(1);
            assertThat(failed.subList(0, failed.size() - 1)).isEqualTo(plain.subList(0, failed.size() - 1));
            assertThat(failed.get(failed.size() - 1)).startsWith("failed: ").contains("precompute failed on batch from row");
          }
        }
      }
    }
  }

  /** The batch's rows summed: source rows and amounts, a check that work was done on these rows. */
  private static long checksum(ColumnBatch b) {
    long sum = 0;
    for (int i = 0; i < b.size(); i++) {
      sum = 31 * sum + b.sourceRows()[i] + (long) b.doubles(2)[i];
    }
    return sum;
  }

  /** Each batch's log line from a stage whose precompute checksums the batch and whose prepare checks it. */
  private static List<String> precomputed(Path file, int decoders, int capacity, long failFromRow) {
    List<String> log = new ArrayList<>();
    Thread caller = Thread.currentThread();
    TableReader.BatchStage stage = new TableReader.BatchStage() {
      int batches;

      @Override
      public void precompute(ColumnBatch b) {
        String thread = Thread.currentThread().getName();
        if (failFromRow > 0 && b.sourceRows()[b.size() - 1] >= failFromRow) {
          throw new IllegalStateException("precompute failed on batch from row " + b.sourceRows()[0]);
        }
        boolean decoder = Thread.currentThread() != caller && thread.startsWith("chainscore-reader")
            && !thread.equals("chainscore-reader-stage");
        b.attach(new long[] {checksum(b), decoder ? 1 : 0});
      }

      @Override
      public void prepare(ColumnBatch b) {
        long[] pre = (long[]) b.attachment();
        boolean onStage = Thread.currentThread().getName().equals("chainscore-reader-stage");
        b.attach(checksum(b) + (pre[0] == checksum(b) && pre[1] == 1 && onStage ? " ok" : " WRONG " + pre[0] + "/" + pre[1]));
        batches++;
      }
    };
    try (TableReader r = TableReader.openReadingAhead(file, SAMPLE, e -> { }, stage, decoders)) {
      ColumnBatch batch = new ColumnBatch(SAMPLE, capacity);
      while (r.next(batch)) {
        log.add((String) batch.attachment());
      }
    } catch (IOException | RuntimeException e) {
      log.add("failed: " + e.getMessage());
    }
    return log;
  }

  /** A Parquet file in this test's directory written by DuckDB from {@code select}: row groups of 10,240 rows, uncompressed. */
  private Path parquetByDuckDb(String name, String select) throws java.sql.SQLException {
    Path f = dir.resolve(name);
    try (java.sql.Connection duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement s = duckdb.createStatement()) {
      s.execute("SET threads = 1");
      s.execute("COPY (" + select + ") TO '" + f + "' (FORMAT parquet, ROW_GROUP_SIZE 10240, COMPRESSION uncompressed)");
    }
    return f;
  }

  private static List<String> staged(Path file, boolean ahead, int capacity, int failAtBatch) {
    return staged(file, ahead ? 1 : 0, capacity, failAtBatch);
  }

  private static List<String> staged(Path file, int decoders, int capacity, int failAtBatch) {
    boolean ahead = decoders > 0;
    List<String> log = new ArrayList<>();
    Thread caller = Thread.currentThread();
    long[] sum = {0};
    int[] batches = {0};
    TableReader.BatchStage stage = b -> {
      if (++batches[0] == failAtBatch) {
        throw new IllegalStateException("stage failed at batch " + batches[0]);
      }
      long[] sums = new long[b.size()];
      for (int i = 0; i < b.size(); i++) {
        sum[0] += (long) b.doubles(2)[i] + b.sourceRows()[i];
        sums[i] = sum[0];
      }
      b.attach(ahead && Thread.currentThread() == caller ? "STAGE ON CALLER" : sums);
    };
    BadRowHandler handler = e -> log.add("bad " + e.getMessage());
    try (TableReader r = ahead ? TableReader.openReadingAhead(file, SAMPLE, handler, stage, decoders)
        : TableReader.open(file, SAMPLE, handler)) {
      ColumnBatch batch = new ColumnBatch(SAMPLE, capacity);
      while (r.next(batch)) {
        if (!ahead) {
          stage.prepare(batch);
        }
        Object a = batch.attachment();
        log.add(a instanceof long[] sums ? java.util.Arrays.toString(sums) : String.valueOf(a));
      }
      log.add("end, " + r.rowsRead() + " read");
    } catch (IOException | RuntimeException e) {
      log.add("failed: " + e.getMessage());
    }
    return log;
  }
}

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
    List<String> log = new ArrayList<>();
    Thread caller = Thread.currentThread();
    int[] bad = {0};
    BadRowHandler handler = e -> {
      log.add("bad " + e.getMessage() + (Thread.currentThread() == caller ? "" : " ON ANOTHER THREAD"));
      if (++bad[0] == stopAfterBadRows) {
        throw e;
      }
    };
    try (TableReader r = ahead ? TableReader.openReadingAhead(file, SAMPLE, handler)
        : TableReader.open(file, SAMPLE, handler)) {
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

  private static List<String> staged(Path file, boolean ahead, int capacity, int failAtBatch) {
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
    try (TableReader r = ahead ? TableReader.openReadingAhead(file, SAMPLE, handler, stage)
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

package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.tables.InputFormatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic reader's dates ({@link TableBatches.Dates}): dates and timestamps without a zone are
 * their dates; instants (a Parquet timestamp adjusted to UTC, an Arrow timestamp with a zone) the
 * date on which they fall in the zone given, and refused without one, naming the column and the
 * option.
 */
class TableBatchesTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @TempDir Path dir;

  /** Every column's values as the reader gives them: dates as ISO text, other values as their text. */
  private static Map<String, List<String>> read(Path file, TableBatches.Format format, ZoneId zone) throws IOException {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      TableBatches.read(file, format, zone, allocator, new TableBatches.Visitor() {
        private TableBatches.Dates dates;

        @Override
        public void schema(VectorSchemaRoot root, TableBatches.Dates dates) {
          this.dates = dates;
          root.getSchema().getFields().forEach(f -> columns.put(f.getName(), new ArrayList<>()));
        }

        @Override
        public void batch(VectorSchemaRoot root) {
          for (int k = 0; k < root.getFieldVectors().size(); k++) {
            FieldVector v = root.getVector(k);
            List<String> out = columns.get(v.getField().getName());
            for (int i = 0; i < root.getRowCount(); i++) {
              out.add(v.isNull(i) ? null : dates.holds(k) ? LocalDate.ofEpochDay(dates.epochDay(k, v, i)).toString()
                  : String.valueOf(v.getObject(i)));
            }
          }
        }
      });
    }
    return columns;
  }

  /**
   * DuckDB's TIMESTAMPTZ, written in a Shanghai session at a time of day that varies from row to row
   * (a timestamp adjusted to UTC): read in Shanghai, each row's date as written (the DATE column
   * beside it), as the naive timestamp of the same wall-clock time is; read in UTC, the rows before
   * 08:00 fall a day earlier; without a zone the column is refused, naming it and the option.
   */
  @Test
  void parquetInstants_areTheirDatesInTheZone_refusedWithoutOne() throws Exception {
    Path file = dir.resolve("instants.parquet");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duckdb.createStatement()) {
      st.execute("SET TimeZone = 'Asia/Shanghai'");
      st.execute("COPY (SELECT range AS id, CAST(DATE '2025-06-01' + CAST(range AS INTEGER) AS DATE) AS d,"
          + " CAST(DATE '2025-06-01' + CAST(range AS INTEGER) AS TIMESTAMP) + to_seconds(range * 3607 % 86400) AS n,"
          + " timezone('Asia/Shanghai', CAST(DATE '2025-06-01' + CAST(range AS INTEGER) AS TIMESTAMP)"
          + " + to_seconds(range * 3607 % 86400)) AS t FROM range(200)) TO '" + file + "' (FORMAT parquet)");
    }
    Map<String, List<String>> inShanghai = read(file, TableBatches.Format.PARQUET, SHANGHAI);
    List<String> written = inShanghai.get("d");
    assertThat(written).hasSize(200).startsWith("2025-06-01", "2025-06-02").endsWith("2025-12-17");
    assertThat(inShanghai.get("t")).isEqualTo(written);
    assertThat(inShanghai.get("n")).isEqualTo(written);
    assertThat(inShanghai.get("id")).startsWith("0", "1");

    Map<String, List<String>> inUtc = read(file, TableBatches.Format.PARQUET, ZoneOffset.UTC);
    int earlier = 0;
    for (int i = 0; i < 200; i++) {
      boolean beforeEight = i * 3607 % 86400 < 8 * 3600;
      assertThat(inUtc.get("t").get(i)).as("row %d", i)
          .isEqualTo(beforeEight ? LocalDate.parse(written.get(i)).minusDays(1).toString() : written.get(i));
      earlier += beforeEight ? 1 : 0;
    }
    assertThat(earlier).isBetween(40, 90);
    assertThat(inUtc.get("n")).isEqualTo(written);

    assertThatThrownBy(() -> read(file, TableBatches.Format.PARQUET, null))
        .isInstanceOf(InputFormatException.class)
        .hasMessageStartingWith(file + ", column t: is read from Parquet as Arrow type Timestamp(MICROSECOND, UTC)"
            + " (a timestamp with a time zone, an instant, has no calendar date of its own: give the zone")
        .hasMessageContaining("--time-zone");
  }

  /**
   * Arrow timestamps with a zone (milliseconds, random instants over two centuries, in a zone with
   * summer time): each the date {@code Instant.atZone} gives in the zone read with, whatever zone the
   * type names; in the file and stream formats alike; refused without a zone.
   */
  @Test
  void arrowInstants_areTheirDatesInTheZone() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    int n = 3_000;
    long[] millis = new long[n];
    for (int i = 0; i < n; i++) {
      millis[i] = random.nextLong(-2_208_988_800_000L, 4_102_444_800_000L);   // 1900 to 2100
    }
    Path file = dir.resolve("instants.arrow");
    Path stream = dir.resolve("instants.arrows");
    try (BufferAllocator allocator = new RootAllocator();
        TimeStampMilliTZVector t = new TimeStampMilliTZVector("t", allocator, "UTC");
        IntVector id = new IntVector("id", allocator)) {
      t.allocateNew(n);
      id.allocateNew(n);
      for (int i = 0; i < n; i++) {
        if (i % 97 == 0) {
          t.setNull(i);
        } else {
          t.set(i, millis[i]);
        }
        id.set(i, i);
      }
      t.setValueCount(n);
      id.setValueCount(n);
      try (VectorSchemaRoot root = VectorSchemaRoot.of(id, t)) {
        root.setRowCount(n);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ArrowFileWriter writer = new ArrowFileWriter(root, null, out)) {
          writer.start();
          writer.writeBatch();
          writer.end();
        }
        try (FileChannel out = FileChannel.open(stream, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
          writer.start();
          writer.writeBatch();
          writer.end();
        }
      }
    }
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(i % 97 == 0 ? null : Instant.ofEpochMilli(millis[i]).atZone(berlin).toLocalDate().toString());
    }
    assertThat(read(file, TableBatches.Format.ARROW_FILE, berlin).get("t")).isEqualTo(expected);
    assertThat(read(stream, TableBatches.Format.ARROW_STREAM, berlin).get("t")).isEqualTo(expected);
    assertThat(read(file, TableBatches.Format.ARROW_FILE, berlin).get("id")).startsWith("0", "1", "2");
    assertThatThrownBy(() -> read(stream, TableBatches.Format.ARROW_STREAM, null))
        .hasMessageStartingWith(stream + ", column t: has Arrow type Timestamp(MILLISECOND, UTC) (a timestamp with")
        .hasMessageContaining("--time-zone");
  }
}

package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pure-Java Parquet reader against Arrow's C++ reader (the dataset scanner), both reading
 * files that a third writer, DuckDB, wrote with every codec the reader decodes and with data
 * pages v1 and v2 (whose default encodings differ: dictionary and PLAIN; DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY / DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT), several row groups and pages,
 * nulls and edge values. The rows each gives through the table schema must be equal.
 */
class ParquetBatchReaderTest {
  private static final TableSchema ALL_TYPES = new TableSchema("all_types", List.of(
      TableSchema.nullable("supplier_id", ColumnType.STRING),
      TableSchema.required("invoice_id", ColumnType.STRING),
      TableSchema.nullable("issue_date", ColumnType.DATE),
      TableSchema.nullable("amount", ColumnType.DOUBLE),
      TableSchema.nullable("ratio", ColumnType.DOUBLE),
      TableSchema.nullable("small_amount", ColumnType.DOUBLE),
      TableSchema.required("quantity", ColumnType.INT),
      TableSchema.required("tiny", ColumnType.INT),
      TableSchema.required("short", ColumnType.INT),
      TableSchema.required("big", ColumnType.LONG),
      TableSchema.required("paid", ColumnType.BOOLEAN),
      TableSchema.nullable("note", ColumnType.STRING)));

  private static final int ROWS = 7_001;

  @TempDir static Path dir;

  private static Connection duckdb;

  @BeforeAll
  static void table() throws SQLException {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = duckdb.createStatement()) {
      // Fixed expressions of i (no random draws): low-cardinality ids with nulls (dictionary
      // pages), unique ids (too many for a dictionary in small row groups), dates with nulls,
      // doubles with nulls and edge values, sorted integers (small deltas) and text with
      // shared prefixes (what DELTA_BYTE_ARRAY shortens), non-ASCII text.
      s.execute("""
          CREATE TABLE t AS SELECT
            CASE WHEN i % 17 = 0 THEN NULL ELSE 'S' || lpad(CAST(i % 211 AS VARCHAR), 5, '0') END AS supplier_id,
            'INV-2024-' || lpad(CAST(i AS VARCHAR), 8, '0') AS invoice_id,
            CASE WHEN i % 13 = 0 THEN NULL ELSE DATE '2021-01-01' + CAST(i % 1400 AS INTEGER) END AS issue_date,
            CASE WHEN i % 11 = 0 THEN NULL WHEN i % 97 = 0 THEN -0.0 WHEN i % 89 = 0 THEN 1.7976931348623157e308
                 ELSE (i * 7919 % 100003) / 7.0 - 5000 END AS amount,
            CASE WHEN i % 7 = 0 THEN NULL ELSE CAST((i % 1000) / 3.0 AS FLOAT) END AS ratio,
            CAST(i % 50 AS INTEGER) AS small_amount,
            CAST(i * 3 AS INTEGER) AS quantity,
            CAST(i % 127 - 63 AS TINYINT) AS tiny,
            CAST(i % 30000 - 15000 AS SMALLINT) AS short,
            CAST(i AS BIGINT) * 1000003 - 4611686018427387904 AS big,
            i % 3 = 0 AS paid,
            CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN 'Zürich – Ost ' || CAST(i % 4 AS VARCHAR)
                 ELSE 'packaging glass lot ' || CAST(i / 10 AS VARCHAR) END AS note
          FROM range(1, ROWS) r(i)""".replace("ROWS", Integer.toString(ROWS)));
    }
  }

  /**
   * An empty table as pyarrow and pandas write it (the fixture: pyarrow 25.0.1's
   * {@code pq.write_table} of a 0-row table of supplier_id string, amount double, issue_date
   * date32): one row group of no rows whose column chunks hold a dictionary page and no data page
   * ({@code data_page_offset} 0). It was refused as "not a readable Parquet file (truncated or
   * corrupt?)"; it reads as no rows, as Arrow's reader reads it.
   */
  @Test
  void emptyTableWithOneRowGroupOfNoRows_readsAsNoRows() throws Exception {
    Path file = dir.resolve("empty.parquet");
    try (var in = ParquetBatchReaderTest.class.getResourceAsStream("/parquet/empty-one-row-group.parquet")) {
      Files.copy(in, file);
    }
    TableSchema schema = new TableSchema("invoices", List.of(TableSchema.required("supplier_id", ColumnType.STRING),
        TableSchema.nullable("amount", ColumnType.DOUBLE), TableSchema.nullable("issue_date", ColumnType.DATE)));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      assertThat(ParquetLayout.read(file.toString(), channel).rowGroups).isEmpty();
    }
    assertThat(rows(file, schema, false)).isEmpty();
    assertThat(rows(file, schema, true)).isEmpty();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({
      "uncompressed, v1", "snappy, v1", "gzip, v1", "zstd, v1", "lz4_raw, v1",
      "uncompressed, v2", "snappy, v2", "gzip, v2", "zstd, v2", "lz4_raw, v2"})
  void duckdbFiles_readAsArrowsReaderReadsThem(String codec, String version) throws Exception {
    Path file = write(codec + "-" + version, "COMPRESSION " + codec + ", PARQUET_VERSION " + version);
    Set<Integer> encodings = encodings(file);
    if (version.equals("v2")) {
      // the v2 pages must exercise the delta and split decoders, or this test would not test them
      assertThat(encodings).contains(5, 9).containsAnyOf(6, 7);
    } else {
      assertThat(encodings).contains(0).containsAnyOf(2, 8);
    }
    List<String> pure = rows(file, false);
    assertThat(pure).hasSize(ROWS - 1).isEqualTo(rows(file, true));
  }

  /**
   * Text kept as bytes is copied from the reader's staging arrays straight to the batch when a block
   * is plain ASCII without nulls, and through the Arrow vector otherwise (non-ASCII text, nulls, a
   * bad row): the rows and the bad rows must be those of text read as Strings.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"v1", "v2"})
  void textKeptAsBytes_sameRowsAndBadRowsAsStrings(String version) throws Exception {
    Path file = dir.resolve("bytes-" + version + ".parquet");
    try (Statement s = duckdb.createStatement()) {
      // a required id null in a few rows (refused), ASCII ids elsewhere, and one non-ASCII id
      s.execute("COPY (SELECT CASE WHEN i % 1500 = 7 THEN NULL WHEN i = 4000 THEN 'INV-Zürich' ELSE invoice_id END AS invoice_id, "
          + "note, supplier_id, amount FROM (SELECT row_number() OVER () AS i, * FROM t)) TO '" + file
          + "' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION snappy, PARQUET_VERSION " + version + ")");
    }
    TableSchema schema = new TableSchema("bytes", List.of(ALL_TYPES.columns().get(1), ALL_TYPES.columns().get(11),
        ALL_TYPES.columns().get(0), ALL_TYPES.columns().get(3)));
    List<String> badAsBytes = new ArrayList<>();
    List<String> asBytes = rows(TableReader.open(file, schema, e -> badAsBytes.add(e.getMessage())), schema,
        new int[0], new int[0], 3);
    List<String> badAsStrings = new ArrayList<>();
    List<String> asStrings = rows(TableReader.open(file, schema, e -> badAsStrings.add(e.getMessage())), schema,
        new int[0], new int[0], 0);
    assertThat(asBytes).hasSize(ROWS - 1 - 5).isEqualTo(asStrings).contains("4000:INV-Zürich||S00202|"
        + Double.doubleToRawLongBits((4000 * 7919 % 100003) / 7.0 - 5000) + "|");
    assertThat(badAsBytes).hasSize(5).isEqualTo(badAsStrings);
    assertThat(badAsBytes.get(0)).contains("row 7").contains("invoice_id");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"v1", "v2"})
  void everyBitWidth_ofDictionaryIndicesAndDeltas(String version) throws Exception {
    // columns of 2, 3, 5, 9, ... 2049 distinct values: dictionary indices of bit widths 1 to 11
    // (v1), and shuffled integers whose deltas need widths up to 31 bits (v2's DELTA_BINARY_PACKED)
    StringBuilder select = new StringBuilder("SELECT ");
    List<TableSchema.Column> columns = new ArrayList<>();
    for (int bits = 1; bits <= 11; bits++) {
      int distinct = (1 << bits) + 1;
      select.append("'v' || CAST(i * 7919 % ").append(distinct).append(" AS VARCHAR) AS t").append(bits).append(", ");
      select.append("CAST(i * 2654435761 % ").append(1L << (bits * 3 - 2)).append(" AS INTEGER) AS n").append(bits).append(", ");
      columns.add(TableSchema.required("t" + bits, ColumnType.STRING));
      columns.add(TableSchema.required("n" + bits, ColumnType.INT));
    }
    Path file = dir.resolve("widths-" + version + ".parquet");
    try (Statement s = duckdb.createStatement()) {
      s.execute("COPY (" + select + "i FROM range(0, 20000) r(i)) TO '" + file
          + "' (FORMAT parquet, ROW_GROUP_SIZE 4096, PARQUET_VERSION " + version + ")");
    }
    TableSchema schema = new TableSchema("widths", columns);
    assertThat(rows(file, schema, false)).hasSize(20_000).isEqualTo(rows(file, schema, true));
  }

  @Test
  void duckdbValues_sameAsDuckdbQueriesThem() throws Exception {
    Path file = write("check", "COMPRESSION zstd, PARQUET_VERSION v2");
    List<String> fromDuckdb = new ArrayList<>();
    try (Statement s = duckdb.createStatement();
        var rs = s.executeQuery("SELECT invoice_id, issue_date, amount, big, note FROM read_parquet('" + file + "')")) {
      while (rs.next()) {
        fromDuckdb.add(rs.getString(1) + "|" + rs.getString(2) + "|" + (rs.getObject(3) == null ? "NaN" : rs.getDouble(3))
            + "|" + rs.getLong(4) + "|" + (rs.getString(5) == null ? "" : rs.getString(5)));
      }
    }
    TableSchema five = new TableSchema("five", List.of(ALL_TYPES.columns().get(1), ALL_TYPES.columns().get(2),
        ALL_TYPES.columns().get(3), ALL_TYPES.columns().get(9), ALL_TYPES.columns().get(11)));
    List<String> ours = new ArrayList<>();
    try (TableReader r = TableReader.open(file, five, bad -> { throw bad; })) {
      ColumnBatch b = new ColumnBatch(five, 1000);
      while (r.next(b)) {
        for (int i = 0; i < b.size(); i++) {
          ours.add(b.string(0, i) + "|" + (b.dates(1)[i] == ColumnBatch.NULL_DATE ? "null" : LocalDate.ofEpochDay(b.dates(1)[i]))
              + "|" + b.doubles(2)[i] + "|" + b.longs(3)[i] + "|" + b.string(4, i));
        }
      }
    }
    assertThat(ours).isEqualTo(fromDuckdb);
  }

  @Test
  void codecTheReaderDoesNotDecode_leftToArrowsReader() throws Exception {
    // BROTLI: not decoded here, so the file goes to Arrow's reader, whose Java build has no
    // BROTLI either: one line naming the file and the codec
    Path file = write("brotli", "COMPRESSION brotli");
    try (RootAllocator allocator = new RootAllocator()) {
      assertThat(ParquetBatchReader.openIfDecodable(file, ALL_TYPES, allocator)).isNull();
    }
    assertThatThrownBy(() -> rows(file, false))
        .isInstanceOf(InputFormatException.class)
        .hasMessage(file + ": is compressed with BROTLI, which neither this reader nor Arrow's decodes; write it with"
            + " SNAPPY, ZSTD, GZIP or LZ4_RAW");
  }

  @Test
  void damagedPage_oneLineNamingFileColumnAndRowGroup() throws Exception {
    Path file = write("damaged", "COMPRESSION uncompressed");
    byte[] bytes = Files.readAllBytes(file);
    // the first column chunk starts after the magic bytes with its first page header; break the
    // header's page type and sizes
    for (int i = 4; i < 12; i++) {
      bytes[i] = (byte) 0xff;
    }
    Path damaged = Files.write(dir.resolve("damaged-page.parquet"), bytes);
    assertThatThrownBy(() -> rows(damaged, false))
        .isInstanceOf(InputFormatException.class)
        .hasMessageStartingWith(damaged + ": is not a readable Parquet file (truncated or corrupt?): column supplier_id, row group 1: ")
        .hasMessageNotContaining("\n");
  }

  /**
   * Damaged pages (random bytes overwritten anywhere before the footer, which is left whole so that
   * the file stays with this reader): every read either completes or stops with one line naming
   * the file; never another exception, whatever the sizes and counts the damage makes up.
   */
  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({"snappy, v1", "zstd, v2", "uncompressed, v2"})
  void randomDamage_oneLineOrRows_neverAnotherException(String codec, String version) throws Exception {
    Path file = write("fuzz-" + codec + "-" + version, "COMPRESSION " + codec + ", PARQUET_VERSION " + version);
    byte[] original = Files.readAllBytes(file);
    int footerLength = (original[original.length - 8] & 0xff) | (original[original.length - 7] & 0xff) << 8
        | (original[original.length - 6] & 0xff) << 16 | (original[original.length - 5] & 0xff) << 24;
    int dataEnd = original.length - 8 - footerLength;
    java.util.SplittableRandom random = new java.util.SplittableRandom(17);
    int failures = 0;
    for (int round = 0; round < 150; round++) {
      byte[] damaged = original.clone();
      int hits = 1 + random.nextInt(6);
      for (int h = 0; h < hits; h++) {
        damaged[4 + random.nextInt(dataEnd - 4)] = (byte) random.nextInt(256);
      }
      Path target = Files.write(dir.resolve("fuzzed.parquet"), damaged);
      try (TableReader r = TableReader.open(target, ALL_TYPES, bad -> { })) {
        ColumnBatch batch = new ColumnBatch(ALL_TYPES, 1000);
        while (r.next(batch)) {
          assertThat(batch.size()).isPositive();
        }
      } catch (InputFormatException e) {
        failures++;
        // the decoder's own words (column and row group), not an index error turned into a line
        assertThat(e.getMessage()).startsWith(target + ": is not a readable Parquet file (truncated or corrupt?): column ")
            .doesNotContain("\n");
      }
    }
    if (!codec.equals("uncompressed")) {
      // compressed pages rarely survive damage; uncompressed values mostly just change (no checksums)
      assertThat(failures).as("damage the reader noticed").isGreaterThan(10);
    }
  }

  @Test
  void columnOfATypeNotRead_namedWithItsParquetType() throws Exception {
    Path file = dir.resolve("timestamps.parquet");
    try (Statement s = duckdb.createStatement()) {
      s.execute("COPY (SELECT 'S1' AS supplier_id, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS issue_date, "
          + "TIME '10:00:00' AS due_date) TO '" + file + "' (FORMAT parquet)");
    }
    TableSchema schema = new TableSchema("dates", List.of(TableSchema.required("supplier_id", ColumnType.STRING),
        TableSchema.required("issue_date", ColumnType.DATE)));
    // an instant has no date of its own: the message says what to write instead
    assertThatThrownBy(() -> TableReader.open(file, schema, bad -> { throw bad; }).close())
        .isInstanceOf(InputFormatException.class)
        .hasMessage(file + ", column issue_date: has Parquet type INT64 (timestamp); expected Date(DAY) (or a"
            + " timestamp without a time zone, or with one when a zone is given; or Utf8 holding dates)"
            + ArrowTableReader.ZONED_TIMESTAMP_HINT);
    TableSchema time = new TableSchema("dates", List.of(TableSchema.required("due_date", ColumnType.DATE)));
    assertThatThrownBy(() -> TableReader.open(file, time, bad -> { throw bad; }).close())
        .isInstanceOf(InputFormatException.class)
        .hasMessage(file + ", column due_date: has Parquet type INT64 (time); expected Date(DAY) (or a"
            + " timestamp without a time zone, or with one when a zone is given; or Utf8 holding dates)");
    // a zone does not make a time of day a date
    assertThatThrownBy(() -> TableReader.open(file, time.withTimeZone(java.time.ZoneOffset.UTC), bad -> { throw bad; })
        .close()).hasMessageContaining("column due_date: has Parquet type INT64 (time)");
  }

  /**
   * Dates stored as instants (TIMESTAMPTZ, which DuckDB writes as timestamps adjusted to UTC), read
   * with a zone in the schema: each the date on which it falls in that zone, by this reader and by
   * Arrow's (its timestamp vectors with the zone UTC); DuckDB's own CAST to DATE in a session in
   * that zone is the reference. New York's summer time and a far-east zone across the date line.
   */
  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({"v1, America/New_York", "v2, Pacific/Kiritimati"})
  void instants_readAsTheirDatesInTheSchemasZone(String version, String zone) throws Exception {
    Path file = dir.resolve("instants-" + version + ".parquet");
    try (Statement st = duckdb.createStatement()) {
      st.execute("COPY (SELECT i, CASE WHEN i % 11 = 0 THEN NULL ELSE TIMESTAMPTZ '1950-03-01 00:00:00+00'"
          + " + to_seconds(i * 7919 % 2500000000) END AS spread, "
          + "TIMESTAMPTZ '2024-03-09 12:00:00+00' + to_seconds(i * 3607 % 172800) AS around_a_change "
          + "FROM range(1, 7001) r(i)) TO '" + file + "' (FORMAT parquet, ROW_GROUP_SIZE 2048, PARQUET_VERSION "
          + version + ")");
    }
    List<String> columns = List.of("spread", "around_a_change");
    TableSchema schema = new TableSchema("instants", columns.stream()
        .map(c -> TableSchema.nullable(c, ColumnType.DATE)).toList()).withTimeZone(java.time.ZoneId.of(zone));
    List<String> expected = new ArrayList<>();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET TimeZone = '" + zone + "'");
      try (var rs = st.executeQuery("SELECT CAST(spread AS DATE)::VARCHAR, CAST(around_a_change AS DATE)::VARCHAR"
          + " FROM read_parquet('" + file + "') ORDER BY i")) {
        long row = 1;
        while (rs.next()) {
          StringBuilder b = new StringBuilder().append(row++).append(':');
          for (int k = 1; k <= columns.size(); k++) {
            String d = rs.getString(k);
            b.append(d == null ? ColumnBatch.NULL_DATE : LocalDate.parse(d).toEpochDay()).append('|');
          }
          expected.add(b.toString());
        }
      }
    }
    assertThat(expected).hasSize(7000);
    assertThat(rows(file, schema, false)).isEqualTo(expected);
    assertThat(rows(file, schema, true)).isEqualTo(expected);   // Arrow's reader: timestamp vectors with a zone
    // the same instants in UTC: other dates for some rows
    assertThat(rows(file, schema.withTimeZone(java.time.ZoneOffset.UTC), false)).isNotEqualTo(expected);
  }

  /**
   * Dates stored as timestamps without a time zone (pandas writes its datetimes so), in each unit,
   * with times of day, before 1970 and after, null and dictionary-encoded, read as the calendar
   * dates they fall on: DuckDB's own CAST to DATE is the reference, and Arrow's reader (its
   * timestamp vectors) gives the same. Until 2026-12-05 such a column was refused.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"v1", "v2"})
  void localTimestamps_readAsTheirDates(String version) throws Exception {
    Path file = dir.resolve("local-timestamps-" + version + ".parquet");
    String base = "TIMESTAMP '1950-03-01 00:00:00' + to_seconds(i * 7919 % 2500000000) + to_milliseconds(i % 1000)";
    try (Statement st = duckdb.createStatement()) {
      st.execute("COPY (SELECT i, CAST(" + base + " AS TIMESTAMP_MS) AS ms, "
          + "CASE WHEN i % 11 = 0 THEN NULL ELSE CAST(" + base + " AS TIMESTAMP) END AS us, "
          + "CAST(" + base + " AS TIMESTAMP_NS) AS ns, "
          + "CAST(TIMESTAMP '1969-12-31 23:59:59' + to_seconds(i % 3) AS TIMESTAMP) AS around_epoch, "
          + "CAST(DATE '2024-01-01' + CAST(i % 5 AS INTEGER) + INTERVAL 13 HOUR AS TIMESTAMP) AS few "
          + "FROM range(1, 7001) r(i)) TO '" + file + "' (FORMAT parquet, ROW_GROUP_SIZE 2048, PARQUET_VERSION "
          + version + ")");
    }
    List<String> columns = List.of("ms", "us", "ns", "around_epoch", "few");
    TableSchema schema = new TableSchema("timestamps", columns.stream()
        .map(c -> TableSchema.nullable(c, ColumnType.DATE)).toList());
    List<String> expected = new ArrayList<>();
    try (Statement st = duckdb.createStatement();
        var rs = st.executeQuery("SELECT " + String.join(", ", columns.stream().map(c -> "CAST(" + c + " AS DATE)").toList())
            + " FROM read_parquet('" + file + "') ORDER BY i")) {
      long row = 1;
      while (rs.next()) {
        StringBuilder b = new StringBuilder().append(row++).append(':');
        for (int c = 1; c <= columns.size(); c++) {
          java.sql.Date d = rs.getDate(c);
          b.append(d == null ? ColumnBatch.NULL_DATE : rs.getObject(c, LocalDate.class).toEpochDay()).append('|');
        }
        expected.add(b.toString());
      }
    }
    assertThat(expected).hasSize(7000).anyMatch(r -> r.contains("|-1|")).anyMatch(r -> r.contains("|0|"))
        .anyMatch(r -> r.contains(":-7") || r.contains(":-6") || r.contains(":-5"));
    assertThat(rows(file, schema, false)).isEqualTo(expected);
    assertThat(rows(file, schema, true)).isEqualTo(expected);   // Arrow's reader: timestamp vectors
  }

  /**
   * Money stored as DECIMAL (Spark, DuckDB and pyarrow write their decimal type so: INT32 up to 9
   * digits, INT64 up to 18, FIXED_LEN_BYTE_ARRAY beyond; plain, dictionary and, in v2 pages, delta
   * encoded) is read into number columns as the double nearest to each decimal, which is what
   * Double.parseDouble gives for the decimal's text as DuckDB prints it (the independent
   * reference), and what Arrow's own reader gives through its Decimal vectors. Until 2026-12-05 a
   * decimal column was refused ("has Parquet type INT64 (decimal)").
   */
  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({"snappy, v1", "zstd, v2", "uncompressed, v1"})
  void decimalColumns_readAsTheDoublesNearestToThem(String codec, String version) throws Exception {
    Path file = dir.resolve("decimals-" + codec + "-" + version + ".parquet");
    String select = """
        SELECT i,
          CASE WHEN i % 13 = 0 THEN NULL ELSE CAST((i * 7919 % 100003) / 100.0 - 400 AS DECIMAL(9, 2)) END AS d9,
          CAST((i % 40) * 0.25 AS DECIMAL(4, 2)) AS low_cardinality,
          CASE WHEN i % 17 = 0 THEN NULL ELSE CAST(CAST(i AS DECIMAL(18, 4)) * CAST(1234567.0891 AS DECIMAL(12, 4))
            - CAST(950000000000 AS DECIMAL(18, 0)) AS DECIMAL(18, 4)) END AS d18,
          CAST(CAST(i AS DECIMAL(38, 0)) * 98765432109876.54321 AS DECIMAL(38, 10))
            * CASE WHEN i % 2 = 0 THEN -1 ELSE 1 END AS d38,
          CAST(i AS DECIMAL(38, 0)) * 12345678901234567890123 AS huge
        FROM range(1, 7001) r(i)""";
    try (Statement st = duckdb.createStatement()) {
      st.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION " + codec
          + ", PARQUET_VERSION " + version + ")");
    }
    List<String> columns = List.of("d9", "low_cardinality", "d18", "d38", "huge");
    TableSchema schema = new TableSchema("decimals", columns.stream()
        .map(c -> TableSchema.nullable(c, ColumnType.DOUBLE)).toList());
    // the file holds each physical form
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ParquetLayout layout = ParquetLayout.read(file.toString(), channel);
      assertThat(layout.leaves.stream().filter(l -> !l.name().equals("i")).map(ParquetLayout.Leaf::typeName))
          .containsExactly("INT32 (decimal)", "INT32 (decimal)", "INT64 (decimal)", "FIXED_LEN_BYTE_ARRAY (decimal)",
              "FIXED_LEN_BYTE_ARRAY (decimal)");
      assertThat(layout.leaves.stream().filter(l -> !l.name().equals("i")).map(ParquetLayout.Leaf::scale))
          .containsExactly(2, 2, 4, 10, 0);
    }
    List<String> expected = new ArrayList<>();
    try (Statement st = duckdb.createStatement();
        var rs = st.executeQuery("SELECT " + String.join(", ", columns.stream().map(c -> c + "::VARCHAR").toList())
            + " FROM read_parquet('" + file + "') ORDER BY i")) {
      long row = 1;
      while (rs.next()) {
        StringBuilder b = new StringBuilder().append(row++).append(':');
        for (int c = 1; c <= columns.size(); c++) {
          String text = rs.getString(c);
          b.append(Double.doubleToRawLongBits(text == null ? Double.NaN : Double.parseDouble(text))).append('|');
        }
        expected.add(b.toString());
      }
    }
    assertThat(expected).hasSize(7000);
    assertThat(rows(file, schema, false)).isEqualTo(expected);
    assertThat(rows(file, schema, true)).isEqualTo(expected);   // Arrow's reader: DecimalVector
  }

  /**
   * Text columns whose every data page is dictionary-encoded (by the writer's page statistics) go
   * on as the indexes of each chunk's dictionary, decoded once per value downstream: the
   * generator's tables (one dictionary per row group, one batch each) and a file of
   * uneven row groups read 1,000 rows at a time (one dictionary over many batches, batches cut at
   * the groups' ends) read row for row as Arrow's own reader reads them. (DuckDB writes no page
   * encoding statistics, so its files keep the plain path the other tests cover.)
   */
  @Test
  void dictionaryEncodedText_handedAsIndexes_readAsArrowsReaderReadsIt() throws Exception {
    Path generated = generatedParquet("generated", 150, 31);
    Path invoices = generated.resolve("invoices.parquet");
    assertThat(dictionaryColumns(invoices, io.chainscore.tables.PortfolioTables.INVOICES))
        .contains("supplier_id", "buyer_id");
    for (String table : new String[] {"invoices", "suppliers", "deliveries", "instalments"}) {
      Path file = generated.resolve(table + ".parquet");
      TableSchema schema = switch (table) {
        case "invoices" -> io.chainscore.tables.PortfolioTables.INVOICES;
        case "suppliers" -> io.chainscore.tables.PortfolioTables.SUPPLIERS;
        case "deliveries" -> io.chainscore.tables.PortfolioTables.DELIVERIES;
        default -> io.chainscore.tables.PortfolioTables.INSTALMENTS;
      };
      List<String> expected = rows(file, schema, true);
      assertThat(expected).hasSizeGreaterThan(100);
      assertThat(rows(file, schema, false)).as(table).isEqualTo(expected);
    }
    // the writer makes a row group of each record batch: groups of 100,500, 99,500 and 7 rows, read
    // 1,000 rows at a time, end inside a reader's batch (which is cut where its group ends), and one
    // dictionary serves many batches
    Path ipc = dir.resolve("large-groups.arrow");
    try (RootAllocator allocator = new RootAllocator();
        org.apache.arrow.vector.VarCharVector supplier = new org.apache.arrow.vector.VarCharVector("supplier_id", allocator);
        org.apache.arrow.vector.VarCharVector invoice = new org.apache.arrow.vector.VarCharVector("invoice_id", allocator);
        org.apache.arrow.vector.DateDayVector day = new org.apache.arrow.vector.DateDayVector("issue_date", allocator)) {
      org.apache.arrow.vector.VectorSchemaRoot root = org.apache.arrow.vector.VectorSchemaRoot.of(supplier, invoice, day);
      try (FileChannel channel = FileChannel.open(ipc, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          org.apache.arrow.vector.ipc.ArrowFileWriter writer = new org.apache.arrow.vector.ipc.ArrowFileWriter(root, null, channel)) {
        writer.start();
        int id = 0;
        for (int rows : new int[] {100_500, 99_500, 7}) {
          root.allocateNew();
          for (int i = 0; i < rows; i++, id++) {
            if (id % 19 == 0) {
              supplier.setNull(i);
            } else {
              supplier.setSafe(i, ((id % 7 == 0 ? "S\u00fc" : "S") + (id / 500 % 40)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            invoice.setSafe(i, ("I" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            day.setSafe(i, 19_000 + id % 900);
          }
          root.setRowCount(rows);
          writer.writeBatch();
        }
        writer.end();
      }
    }
    Path large = dir.resolve("large-groups.parquet");
    ParquetFiles.convert(ipc, true, large);
    try (FileChannel channel = FileChannel.open(large, StandardOpenOption.READ)) {
      assertThat(ParquetLayout.read(large.toString(), channel).rowGroups).extracting(ParquetLayout.RowGroup::rows)
          .containsExactly(100_500L, 99_500L, 7L);
    }
    TableSchema three = new TableSchema("three", List.of(TableSchema.nullable("supplier_id", ColumnType.STRING),
        TableSchema.required("invoice_id", ColumnType.STRING), TableSchema.required("issue_date", ColumnType.DATE)));
    assertThat(dictionaryColumns(large, three)).contains("supplier_id");
    List<String> expected = rows(large, three, true);
    assertThat(expected).hasSize(200_007);
    assertThat(rows(large, three, false)).isEqualTo(expected);
    try (RootAllocator allocator = new RootAllocator()) {
      ParquetBatchReader small = ParquetBatchReader.openIfDecodable(large, three, allocator);
      small.batchRows = 1_000;
      List<InputFormatException> bad = new ArrayList<>();
      assertThat(rows(new ArrowTableReader(large.toString(), three, bad::add, allocator, small, null), three))
          .isEqualTo(expected);
      assertThat(bad).isEmpty();
    }
  }

  /**
   * A column with no value in any row says nothing of its type: DuckDB's CSV reader types a column
   * empty throughout (the exposures' {@code lgd}) as text, pandas as anything; and a yes/no text
   * column (the exposures' {@code trade_maturity_exemption}) comes as Bool, read as {@code true} /
   * {@code false}. Where the statistics prove it empty, a nullable column of a type the layout does
   * not read there (here Bool for a number) reads as left out (null in every row); a required one
   * is refused at open, naming the column. Held as text, the column is read as a CSV's fields: one
   * value in the last of several row groups is that value, the other rows missing; required, every
   * row is refused for its null.
   */
  @Test
  void aColumnEmptyThroughout_readsAsLeftOut_whateverItsType() throws Exception {
    Path empty = dir.resolve("empty-lgd.parquet");
    Path oneValue = dir.resolve("one-lgd.parquet");
    try (Statement s = duckdb.createStatement()) {
      s.execute("COPY (SELECT 'S' || i AS supplier_id, CAST(NULL AS BOOLEAN) AS lgd, i * 0.5 AS drawn,"
          + " CASE WHEN i % 7 = 0 THEN NULL ELSE i % 3 = 0 END AS exempt"
          + " FROM range(5000) t(i)) TO '" + empty + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
      s.execute("COPY (SELECT 'S' || i AS supplier_id, CASE WHEN i = 4999 THEN '0.45' END AS lgd, i * 0.5 AS drawn"
          + " FROM range(5000) t(i)) TO '" + oneValue + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
    }
    TableSchema schema = new TableSchema("exposures", List.of(TableSchema.required("supplier_id", ColumnType.STRING),
        TableSchema.optional("lgd", ColumnType.DOUBLE), TableSchema.required("drawn", ColumnType.DOUBLE),
        TableSchema.optional("exempt", ColumnType.STRING)));
    int rows = 0;
    try (TableReader reader = TableReader.open(empty, schema, e -> {
      throw e;
    })) {
      ColumnBatch batch = new ColumnBatch(schema, 1_000);
      while (reader.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          assertThat(batch.doubles(1)[i]).isNaN();
          assertThat(batch.doubles(2)[i]).isEqualTo((rows + i) * 0.5);
          assertThat(batch.strings(0)[i]).isEqualTo("S" + (rows + i));
          // a yes/no flag stored as Bool reads as the text a CSV holds for it; null as empty
          int r = rows + i;
          assertThat(batch.strings(3)[i]).isEqualTo(r % 7 == 0 ? "" : r % 3 == 0 ? "true" : "false");
        }
        rows += batch.size();
      }
    }
    assertThat(rows).isEqualTo(5000);
    // with a value, text is read as a CSV's field is: missing where null, 0.45 in the last row
    List<Double> lgds = new ArrayList<>();
    try (TableReader reader = TableReader.open(oneValue, schema, e -> {
      throw e;
    })) {
      ColumnBatch batch = new ColumnBatch(schema, 1_000);
      while (reader.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          lgds.add(batch.doubles(1)[i]);
        }
      }
    }
    assertThat(lgds).hasSize(5000).last().isEqualTo(0.45);
    assertThat(lgds.subList(0, 4999)).allMatch(d -> d.isNaN());
    TableSchema required = new TableSchema("exposures", List.of(TableSchema.required("supplier_id", ColumnType.STRING),
        TableSchema.required("lgd", ColumnType.DOUBLE)));
    assertThatThrownBy(() -> TableReader.open(empty, required, e -> { }).close())
        .isInstanceOf(InputFormatException.class).hasMessageContaining("column lgd: has Arrow type Bool");
    // held as text and required, every row is refused for its null, as a CSV's empty fields are
    Path emptyText = dir.resolve("empty-text-lgd.parquet");
    try (Statement s = duckdb.createStatement()) {
      s.execute("COPY (SELECT 'S' || i AS supplier_id, CAST(NULL AS VARCHAR) AS lgd FROM range(5000) t(i)) TO '"
          + emptyText + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
    }
    List<InputFormatException> refused = new ArrayList<>();
    try (TableReader reader = TableReader.open(emptyText, required, refused::add)) {
      ColumnBatch batch = new ColumnBatch(required, 1_000);
      while (reader.next(batch)) {
        assertThat(batch.size()).isZero();
      }
    }
    assertThat(refused).hasSize(5000).first().extracting(Throwable::getMessage)
        .isEqualTo(emptyText + ", row 1, column lgd: is null; a value is required");
  }

  /**
   * Columns the caller leaves unread are skipped only where the file proves every row valid in
   * them (declared REQUIRED, as this project's writer declares required columns), and read and
   * checked as before where it does not (DuckDB's OPTIONAL columns, here with nulls a required
   * column refuses): the other columns' values and the bad rows are those of a full read.
   */
  @Test
  void columnsLeftUnread_skippedOnlyWhereTheFileProvesThemValid() throws Exception {
    Path invoices = generatedParquet("generated-unread", 60, 32).resolve("invoices.parquet");
    TableSchema schema = io.chainscore.tables.PortfolioTables.INVOICES;
    int[] unread = {schema.indexOf("paid_amount"), schema.indexOf("returned_amount"), schema.indexOf("disputed")};
    try (RootAllocator allocator = new RootAllocator();
        ParquetBatchReader reader = ParquetBatchReader.openIfDecodable(invoices, schema, allocator)) {
      assertThat(reader.leaveUndecoded("paid_amount")).isTrue();
      assertThat(reader.leaveUndecoded("disputed")).isTrue();
      assertThat(reader.leaveUndecoded("issue_date")).as("a date has a range to check").isFalse();
      assertThat(reader.leaveUndecoded("invoice_id"))
          .as("text, whose own rules a caller gives up by ColumnBatch.leaveTextUnread").isTrue();
      assertThat(reader.leaveUndecoded("paid_date")).as("optional").isFalse();
    }
    List<InputFormatException> badFull = new ArrayList<>();
    List<String> full = rows(TableReader.open(invoices, schema, badFull::add), schema, new int[0], unread);
    List<InputFormatException> badPartial = new ArrayList<>();
    List<String> partial = rows(TableReader.open(invoices, schema, badPartial::add), schema, unread, unread);
    assertThat(full).hasSizeGreaterThan(1_000);
    assertThat(partial).isEqualTo(full);
    assertThat(badPartial).isEmpty();
    assertThat(badFull).isEmpty();
    // and the unread column really is skipped: its values stay as the batch held them (zero)
    int paid = schema.indexOf("paid_amount");
    for (boolean leave : new boolean[] {false, true}) {
      double sum = 0;
      try (TableReader r = TableReader.open(invoices, schema, e -> { })) {
        ColumnBatch batch = new ColumnBatch(schema, 1000);
        if (leave) {
          batch.leaveUnread(paid);
        }
        while (r.next(batch)) {
          for (int i = 0; i < batch.size(); i++) {
            sum += Math.abs(batch.doubles(paid)[i]);
          }
        }
      }
      assertThat(sum > 0).as("paid amounts read when not left unread: %s", leave).isEqualTo(!leave);
    }

    // DuckDB declares the columns OPTIONAL: 'quantity' (a required INT here) is read, and its nulls refused
    Path nulls = dir.resolve("optional-with-nulls.parquet");
    try (Statement st = duckdb.createStatement()) {
      st.execute("COPY (SELECT 'I' || i AS invoice_id, CASE WHEN i % 97 = 0 THEN NULL ELSE CAST(i AS INTEGER) END AS quantity,"
          + " CAST(i * 0.5 AS DOUBLE) AS amount FROM range(0, 5000) r(i)) TO '" + nulls + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
    }
    TableSchema small = new TableSchema("small", List.of(TableSchema.required("invoice_id", ColumnType.STRING),
        TableSchema.required("quantity", ColumnType.INT), TableSchema.required("amount", ColumnType.DOUBLE)));
    int[] quantity = {1};
    List<InputFormatException> bad1 = new ArrayList<>();
    List<String> read = rows(TableReader.open(nulls, small, bad1::add), small, new int[0], quantity);
    List<InputFormatException> bad2 = new ArrayList<>();
    List<String> leftUnread = rows(TableReader.open(nulls, small, bad2::add), small, quantity, quantity);
    assertThat(leftUnread).isEqualTo(read).hasSize(5000 - 52);
    assertThat(bad2).extracting(Throwable::getMessage).isEqualTo(bad1.stream().map(Throwable::getMessage).toList())
        .hasSize(52).allMatch(m -> m.contains("column quantity: is null; a value is required"));
    assertThatThrownBy(() -> new ColumnBatch(small, 10).leaveUnread(0)).isInstanceOf(IllegalArgumentException.class);

    // OPTIONAL as DuckDB and Spark declare every column, but with statistics counting no null in
    // any row group: skipped (the file proves every row valid), and the rows are a full read's
    Path noNulls = dir.resolve("optional-without-nulls.parquet");
    try (Statement st = duckdb.createStatement()) {
      st.execute("COPY (SELECT 'I' || i AS invoice_id, CAST(i AS INTEGER) AS quantity, CAST(i * 0.5 AS DOUBLE) AS amount"
          + " FROM range(0, 5000) r(i)) TO '" + noNulls + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
    }
    try (RootAllocator allocator = new RootAllocator();
        ParquetBatchReader reader = ParquetBatchReader.openIfDecodable(noNulls, small, allocator)) {
      assertThat(reader.leaveUndecoded("quantity")).isTrue();
    }
    try (RootAllocator allocator = new RootAllocator();
        ParquetBatchReader reader = ParquetBatchReader.openIfDecodable(nulls, small, allocator)) {
      assertThat(reader.leaveUndecoded("quantity")).as("its statistics count nulls").isFalse();
    }
    List<InputFormatException> bad3 = new ArrayList<>();
    List<String> all = rows(TableReader.open(noNulls, small, bad3::add), small, new int[0], quantity);
    List<InputFormatException> bad4 = new ArrayList<>();
    assertThat(rows(TableReader.open(noNulls, small, bad4::add), small, quantity, quantity)).isEqualTo(all).hasSize(5000);
    assertThat(bad3).isEmpty();
    assertThat(bad4).isEmpty();
    int[] sum = {0};
    try (TableReader r = TableReader.open(noNulls, small, e -> { })) {
      ColumnBatch batch = new ColumnBatch(small, 1000);
      batch.leaveUnread(1);
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          sum[0] += Math.abs(batch.ints(1)[i]);
        }
      }
    }
    assertThat(sum[0]).as("the quantities really were not decoded").isZero();
  }

  /** A generated portfolio of {@code suppliers} suppliers written as Parquet into {@code dir/name}. */
  /**
   * A struct column whose field shares a top-level column's name (an ERP's metadata struct holding
   * its own {@code amount}), before or after it: the struct is an extra column, so the rows are the
   * file's without it (the struct's field stood for the column and was refused as nested); a struct
   * named as a column the schema needs is refused as nested, naming it.
   */
  @Test
  void structFieldNamedAsAColumn_isNotTheColumn() throws Exception {
    Path plain = dir.resolve("struct-plain.parquet");
    Path first = dir.resolve("struct-first.parquet");
    Path last = dir.resolve("struct-last.parquet");
    Path nestedAmount = dir.resolve("struct-as-amount.parquet");
    try (Statement s = duckdb.createStatement()) {
      s.execute("COPY (SELECT * FROM t) TO '" + plain + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
      s.execute("COPY (SELECT {'amount': amount * 2, 'source': 'erp'} AS erp_meta, * FROM t) TO '" + first
          + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
      s.execute("COPY (SELECT *, {'amount': -1.0, 'note': 'x'} AS erp_meta FROM t) TO '" + last
          + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
      s.execute("COPY (SELECT * EXCLUDE (amount), {'value': amount} AS amount FROM t) TO '" + nestedAmount
          + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
    }
    List<String> expected = rows(plain, false);
    assertThat(expected).hasSizeGreaterThan(5_000);
    assertThat(rows(first, false)).isEqualTo(expected);
    assertThat(rows(last, false)).isEqualTo(expected);
    assertThatThrownBy(() -> rows(nestedAmount, false)).isInstanceOf(InputFormatException.class)
        .hasMessageContaining("column amount: has Parquet type DOUBLE inside a group or repeated");
  }

  /**
   * A footer whose required num_rows (or row_groups) field is absent, as one flipped byte in its
   * field header makes it, is refused as unreadable; with the field it is a file of no rows. Footers
   * written here in Thrift's compact protocol, field by field, from parquet.thrift's FileMetaData.
   */
  @Test
  void footerWithoutItsRequiredRowCount_refused() throws Exception {
    for (boolean withRows : new boolean[] {true, false}) {
      java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream();
      f.write(0x15);              // field 1 (version), i32
      f.write(0x02);              // zigzag 1
      f.write(0x19);              // field 2 (schema), list
      f.write(0x2C);              // 2 elements, structs
      f.write(0x48);              // root: field 4 (name), binary
      f.write(6);
      f.write("schema".getBytes(StandardCharsets.US_ASCII));
      f.write(0x15);              // field 5 (num_children), i32
      f.write(0x02);              // 1
      f.write(0x00);              // end of the root
      f.write(0x15);              // leaf: field 1 (type), i32
      f.write(0x0A);              // DOUBLE (5)
      f.write(0x25);              // field 3 (repetition_type), i32
      f.write(0x00);              // REQUIRED
      f.write(0x18);              // field 4 (name), binary
      f.write(1);
      f.write('x');
      f.write(0x00);              // end of the leaf
      if (withRows) {
        f.write(0x16);            // field 3 (num_rows), i64
        f.write(0x00);            // 0
        f.write(0x19);            // field 4 (row_groups), list
      } else {
        f.write(0x29);            // field 4 (row_groups), list: field 3 absent
      }
      f.write(0x0C);              // no elements, structs
      f.write(0x00);              // end of FileMetaData
      byte[] footer = f.toByteArray();
      java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
      file.write("PAR1".getBytes(StandardCharsets.US_ASCII));
      file.write(footer);
      file.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(footer.length).array());
      file.write("PAR1".getBytes(StandardCharsets.US_ASCII));
      Path path = Files.write(dir.resolve("footer-" + withRows + ".parquet"), file.toByteArray());
      try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path)) {
        if (withRows) {
          ParquetLayout layout = ParquetLayout.read(path.toString(), channel);
          assertThat(layout.rowGroups).isEmpty();
          assertThat(layout.leaves).extracting(ParquetLayout.Leaf::name).containsExactly("x");
        } else {
          assertThatThrownBy(() -> ParquetLayout.read(path.toString(), channel)).isInstanceOf(InputFormatException.class)
              .hasMessageContaining("the footer has no num_rows (a required field)");
        }
      }
    }
  }

  private static Path generatedParquet(String name, int suppliers, long seed) throws IOException {
    Path generated = dir.resolve(name);
    GeneratedPortfolios.write(generated, GeneratedPortfolios.simulate(suppliers, seed, java.time.LocalDate.of(2025, 6, 30)),
        TableWriter.Format.PARQUET);
    return generated;
  }

  /** The columns the reader hands on dictionary-encoded. */
  private static List<String> dictionaryColumns(Path file, TableSchema schema) throws IOException {
    List<String> names = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator();
        ParquetBatchReader reader = ParquetBatchReader.openIfDecodable(file, schema, allocator)) {
      assertThat(reader).isNotNull();
      for (org.apache.arrow.vector.types.pojo.Field f : reader.getVectorSchemaRoot().getSchema().getFields()) {
        if (f.getDictionary() != null) {
          names.add(f.getName());
        }
      }
    }
    return names;
  }

  private static Path write(String name, String options) throws SQLException {
    Path file = dir.resolve(name + ".parquet");
    try (Statement s = duckdb.createStatement()) {
      s.execute("COPY t TO '" + file + "' (FORMAT parquet, ROW_GROUP_SIZE 2048, " + options + ")");
    }
    return file;
  }

  private static Set<Integer> encodings(Path file) throws IOException {
    Set<Integer> all = new TreeSet<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ParquetLayout layout = ParquetLayout.read(file.toString(), channel);
      assertThat(layout.rowGroups).hasSizeGreaterThan(2);
      for (ParquetLayout.RowGroup g : layout.rowGroups) {
        for (ParquetLayout.Chunk c : g.chunks()) {
          all.addAll(c.encodings());
        }
      }
    }
    return all;
  }

  private static List<String> rows(Path file, boolean arrowDataset) throws IOException {
    return rows(file, ALL_TYPES, arrowDataset);
  }

  /** Every row as text through the table schema, read by this reader or by Arrow's. */
  private static List<String> rows(Path file, TableSchema schema, boolean arrowDataset) throws IOException {
    List<InputFormatException> bad = new ArrayList<>();
    TableReader reader = arrowDataset
        ? ParquetFiles.openWithArrowDataset(file, schema, bad::add, new RootAllocator())
        : TableReader.open(file, schema, bad::add);
    List<String> rows = rows(reader, schema);
    assertThat(bad).isEmpty();
    return rows;
  }

  /** Every row of an open reader as text (closing it). */
  private static List<String> rows(TableReader reader, TableSchema schema) throws IOException {
    return rows(reader, schema, new int[0], new int[0]);
  }

  /** As {@link #rows(TableReader, TableSchema)}, leaving columns {@code unread} unread and not printing {@code hidden}. */
  private static List<String> rows(TableReader reader, TableSchema schema, int[] unread, int[] hidden) throws IOException {
    return rows(reader, schema, unread, hidden, 2);
  }

  /** As above, keeping the text of the first {@code asBytes} columns as bytes where the reader can. */
  private static List<String> rows(TableReader reader, TableSchema schema, int[] unread, int[] hidden, int asBytes)
      throws IOException {
    List<String> rows = new ArrayList<>();
    try (TableReader r = reader) {
      ColumnBatch batch = new ColumnBatch(schema, 1000);
      for (int c = 0; c < asBytes; c++) {
        if (schema.columns().get(c).type() == ColumnType.STRING) {
          batch.keepTextAsBytes(c);   // as the features path keeps ids (ASCII bytes, not Strings)
        }
      }
      for (int c : unread) {
        batch.leaveUnread(c);
      }
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          StringBuilder b = new StringBuilder().append(batch.sourceRows()[i]).append(':');
          for (int c = 0; c < schema.columns().size(); c++) {
            final int column = c;
            if (java.util.Arrays.stream(hidden).anyMatch(h -> h == column)) {
              continue;
            }
            switch (schema.columns().get(c).type()) {
              case STRING -> b.append(batch.string(c, i));
              case DATE -> b.append(batch.dates(c)[i]);
              case DOUBLE -> b.append(Double.doubleToRawLongBits(batch.doubles(c)[i]));
              case INT -> b.append(batch.ints(c)[i]);
              case LONG -> b.append(batch.longs(c)[i]);
              case BOOLEAN -> b.append(batch.booleans(c)[i]);
            }
            b.append('|');
          }
          rows.add(b.toString());
        }
      }
    }
    return rows;
  }
}

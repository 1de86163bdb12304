package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.TableSchema;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pure-Java Parquet writer against an independent reader (DuckDB) and this project's own:
 * every column type the tables use, nullable and required, nulls in runs and alone, several row
 * groups, non-ASCII text and an empty table; and the same batches give the same bytes.
 */
class ParquetWriterTest {
  @TempDir Path dir;

  /** One row of the test table, nulls as Java nulls. */
  private record Row(String text, Integer day, Double amount, Integer count, Long big, Boolean flag, String id,
      String category, String many, Integer shortDay, Double small, Integer level, Long bigFew) {}

  private static List<Row> rows(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    String[] words = {"glass", "Zoë", "深圳", "", "a,b\"c", "x".repeat(300)};
    for (int i = 0; i < n; i++) {
      boolean nullRun = (i / 50) % 7 == 3; // a run of nulls in every nullable column
      rows.add(new Row(
          nullRun || r.nextInt(10) == 0 ? null : words[r.nextInt(words.length)] + i,
          nullRun || r.nextInt(9) == 0 ? null : 18_000 + r.nextInt(3_000),
          nullRun || r.nextInt(8) == 0 ? null : switch (i % 4) {
            case 0 -> r.nextDouble() * 1e6;
            case 1 -> -r.nextDouble();
            case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7FEFFFFFFFFFFFFFL);
            default -> 0.0;
          },
          nullRun || r.nextInt(7) == 0 ? null : r.nextInt(),
          nullRun || r.nextInt(6) == 0 ? null : r.nextLong(),
          nullRun || r.nextInt(5) == 0 ? null : r.nextBoolean(),
          "S" + i,
          // few distinct values: runs of 50 (RLE runs) and random among three (bit-packed groups)
          nullRun ? null : i % 300 < 150 ? "run" + (i / 50) : "v" + r.nextInt(3),
          // 700 distinct values: indexes wider than a byte
          "k" + (i * 7 % 700),
          // repeated numbers, dictionary-encoded: 120 days (nulls in runs), mostly-zero amounts
          // (0.0 and -0.0 two values, a NaN among them), a required level, a few longs
          nullRun || r.nextInt(9) == 0 ? null : 19_000 + r.nextInt(120),
          nullRun ? null : switch (r.nextInt(6)) {
            case 0 -> -0.0;
            case 1 -> Double.NaN;
            case 2 -> 12.5 * r.nextInt(20);
            default -> 0.0;
          },
          r.nextInt(5) - 2,
          nullRun || r.nextInt(4) == 0 ? null : Long.MIN_VALUE + r.nextInt(3) * (1L << 40)));
    }
    return rows;
  }

  /** Writes the rows as an Arrow IPC file of batches of {@code batch} rows; the last column is required. */
  private Path arrowFile(List<Row> rows, int batch, String name) throws Exception {
    Path file = dir.resolve(name + ".arrow");
    Schema schema = new Schema(List.of(
        new Field("text", FieldType.nullable(ArrowTableWriter.arrowType(ColumnType.STRING)), null),
        new Field("day", FieldType.nullable(ArrowTableWriter.arrowType(ColumnType.DATE)), null),
        new Field("amount", FieldType.nullable(ArrowTableWriter.arrowType(ColumnType.DOUBLE)), null),
        new Field("count", FieldType.nullable(ArrowTableWriter.arrowType(ColumnType.INT)), null),
        new Field("big", FieldType.nullable(ArrowTableWriter.arrowType(ColumnType.LONG)), null),
        new Field("flag", FieldType.nullable(ArrowTableWriter.arrowType(ColumnType.BOOLEAN)), null),
        new Field("id", FieldType.notNullable(ArrowTableWriter.arrowType(ColumnType.STRING)), null),
        new Field("category", FieldType.nullable(ArrowTableWriter.arrowType(ColumnType.STRING)), null),
        new Field("many", FieldType.notNullable(ArrowTableWriter.arrowType(ColumnType.STRING)), null),
        new Field("short_day", FieldType.nullable(ArrowTableWriter.arrowType(ColumnType.DATE)), null),
        new Field("small", FieldType.nullable(ArrowTableWriter.arrowType(ColumnType.DOUBLE)), null),
        new Field("level", FieldType.notNullable(ArrowTableWriter.arrowType(ColumnType.INT)), null),
        new Field("big_few", FieldType.nullable(ArrowTableWriter.arrowType(ColumnType.LONG)), null)));
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ArrowFileWriter writer = new ArrowFileWriter(root, null, out)) {
      writer.start();
      for (int from = 0; from < rows.size(); from += batch) {
        int n = Math.min(batch, rows.size() - from);
        root.allocateNew();
        for (int k = 0; k < n; k++) {
          Row row = rows.get(from + k);
          set((VarCharVector) root.getVector(0), k, row.text());
          if (row.day() != null) {
            ((DateDayVector) root.getVector(1)).setSafe(k, row.day());
          }
          if (row.amount() != null) {
            ((Float8Vector) root.getVector(2)).setSafe(k, row.amount());
          }
          if (row.count() != null) {
            ((IntVector) root.getVector(3)).setSafe(k, row.count());
          }
          if (row.big() != null) {
            ((BigIntVector) root.getVector(4)).setSafe(k, row.big());
          }
          if (row.flag() != null) {
            ((BitVector) root.getVector(5)).setSafe(k, row.flag() ? 1 : 0);
          }
          set((VarCharVector) root.getVector(6), k, row.id());
          set((VarCharVector) root.getVector(7), k, row.category());
          set((VarCharVector) root.getVector(8), k, row.many());
          if (row.shortDay() != null) {
            ((DateDayVector) root.getVector(9)).setSafe(k, row.shortDay());
          }
          if (row.small() != null) {
            ((Float8Vector) root.getVector(10)).setSafe(k, row.small());
          }
          ((IntVector) root.getVector(11)).setSafe(k, row.level());
          if (row.bigFew() != null) {
            ((BigIntVector) root.getVector(12)).setSafe(k, row.bigFew());
          }
        }
        for (FieldVector v : root.getFieldVectors()) {
          v.setValueCount(n);
        }
        root.setRowCount(n);
        writer.writeBatch();
      }
      writer.end();
    }
    return file;
  }

  private static void set(VarCharVector v, int k, String s) {
    if (s != null) {
      v.setSafe(k, s.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A DATE read back as epoch days (DuckDB's epoch_ms // 86400000), or null. */
  private static Integer epochDay(Object day) {
    return day == null ? null : ((Number) day).intValue();
  }

  /** Each column's encodings over all row groups, as DuckDB's parquet_metadata gives them: "column: encodings", by column. */
  private static List<String> encodings(Statement s, Path parquet) throws Exception {
    List<String> seen = new ArrayList<>();
    try (ResultSet encodings = s.executeQuery("SELECT path_in_schema, string_agg(DISTINCT encodings, ',') FROM "
        + "parquet_metadata('" + parquet + "') GROUP BY 1 ORDER BY 1")) {
      while (encodings.next()) {
        seen.add(encodings.getString(1) + ": " + encodings.getString(2));
      }
    }
    return seen;
  }

  /** A double's bits (NaN as its one canonical pattern), or null. */
  private static Long bits(Object value) {
    return value == null ? null : Double.doubleToLongBits((Double) value);
  }

  private static Object value(ResultSet rs, int column) throws Exception {
    Object o = rs.getObject(column);
    return rs.wasNull() ? null : o;
  }

  @Test
  void everyColumnType_duckdbReadsTheSameValues() throws Exception {
    List<Row> rows = rows(2_500, 7);
    Path parquet = dir.resolve("t.parquet");
    ParquetFiles.convert(arrowFile(rows, 1_000, "t"), true, parquet);
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duckdb.createStatement()) {
      try (ResultSet types = s.executeQuery("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('"
          + parquet + "')) ORDER BY column_name")) {
        List<String> described = new ArrayList<>();
        while (types.next()) {
          described.add(types.getString(1) + " " + types.getString(2));
        }
        assertThat(described).containsExactly("amount DOUBLE", "big BIGINT", "big_few BIGINT", "category VARCHAR",
            "count INTEGER", "day DATE", "flag BOOLEAN", "id VARCHAR", "level INTEGER", "many VARCHAR",
            "short_day DATE", "small DOUBLE", "text VARCHAR");
      }
      try (ResultSet groups = s.executeQuery("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('"
          + parquet + "')")) {
        groups.next();
        assertThat(groups.getInt(1)).as("one row group per batch").isEqualTo(3);
      }
      // ids and values mostly distinct plain; repeated text, dates and numbers dictionary-encoded
      assertThat(encodings(s, parquet)).containsExactly("amount: PLAIN, RLE", "big: PLAIN, RLE",
          "big_few: PLAIN, RLE, RLE_DICTIONARY", "category: PLAIN, RLE, RLE_DICTIONARY", "count: PLAIN, RLE",
          "day: PLAIN, RLE", "flag: PLAIN, RLE", "id: PLAIN, RLE", "level: PLAIN, RLE, RLE_DICTIONARY",
          "many: PLAIN, RLE, RLE_DICTIONARY", "short_day: PLAIN, RLE, RLE_DICTIONARY",
          "small: PLAIN, RLE, RLE_DICTIONARY", "text: PLAIN, RLE");
      try (ResultSet rs = s.executeQuery("SELECT text, epoch_ms(day) // 86400000, amount, count, big, flag, id, category, many, "
          + "epoch_ms(short_day) // 86400000, small, level, big_few FROM read_parquet('" + parquet + "', file_row_number = true) ORDER BY file_row_number")) {
        int i = 0;
        while (rs.next()) {
          Row want = rows.get(i++);
          assertThat(value(rs, 1)).isEqualTo(want.text());
          assertThat(epochDay(value(rs, 2))).isEqualTo(want.day());
          assertThat(bits(value(rs, 3))).isEqualTo(bits(want.amount()));
          assertThat(value(rs, 4)).isEqualTo(want.count());
          assertThat(value(rs, 5)).isEqualTo(want.big());
          assertThat(value(rs, 6)).isEqualTo(want.flag());
          assertThat(value(rs, 7)).isEqualTo(want.id());
          assertThat(value(rs, 8)).isEqualTo(want.category());
          assertThat(value(rs, 9)).isEqualTo(want.many());
          assertThat(epochDay(value(rs, 10))).isEqualTo(want.shortDay());
          // DuckDB hands NaN on as NaN; the bits of 0.0 and -0.0 differ
          assertThat(bits(value(rs, 11))).isEqualTo(bits(want.small()));
          assertThat(value(rs, 12)).isEqualTo(want.level());
          assertThat(value(rs, 13)).isEqualTo(want.bigFew());
        }
        assertThat(i).isEqualTo(rows.size());
      }
    }
  }

  /** A row group of 10,000 rows: the columns nearly all distinct are given up after the first 4,096 values. */
  @Test
  void largeRowGroup_distinctColumnsPlain_repeatedOnesDictionaryEncoded() throws Exception {
    List<Row> rows = rows(10_000, 3);
    Path parquet = dir.resolve("large.parquet");
    ParquetFiles.convert(arrowFile(rows, 10_000, "large"), true, parquet);
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duckdb.createStatement()) {
      List<String> watched = List.of("id", "amount", "many", "short_day", "level");
      assertThat(encodings(s, parquet).stream().filter(e -> watched.contains(e.substring(0, e.indexOf(':')))))
          .containsExactly("amount: PLAIN, RLE", "id: PLAIN, RLE", "level: PLAIN, RLE, RLE_DICTIONARY",
          "many: PLAIN, RLE, RLE_DICTIONARY", "short_day: PLAIN, RLE, RLE_DICTIONARY");
    }
    TableSchema schema = new TableSchema("large", List.of(TableSchema.required("id", ColumnType.STRING),
        TableSchema.nullable("short_day", ColumnType.DATE), TableSchema.nullable("amount", ColumnType.DOUBLE)));
    int seen = 0;
    try (TableReader reader = TableReader.open(parquet, schema, e -> { throw new AssertionError(e.problem()); })) {
      ColumnBatch batch = new ColumnBatch(schema, 4_000);
      while (reader.next(batch)) {
        for (int k = 0; k < batch.size(); k++, seen++) {
          Row want = rows.get(seen);
          assertThat(batch.string(0, k)).isEqualTo(want.id());
          assertThat(batch.dates(1)[k]).isEqualTo(want.shortDay() == null ? ColumnBatch.NULL_DATE : want.shortDay());
          assertThat(Double.doubleToLongBits(batch.doubles(2)[k]))
              .isEqualTo(Double.doubleToLongBits(want.amount() == null ? Double.NaN : want.amount()));
        }
      }
    }
    assertThat(seen).isEqualTo(rows.size());
  }

  @Test
  void ownReaderReadsIt_andTheSameBatchesGiveTheSameBytes() throws Exception {
    List<Row> rows = rows(1_200, 11);
    Path arrow = arrowFile(rows, 500, "u");
    Path first = dir.resolve("u1.parquet");
    Path second = dir.resolve("u2.parquet");
    ParquetFiles.convert(arrow, true, first);
    ParquetFiles.convert(arrow, true, second);
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    TableSchema schema = new TableSchema("u", List.of(
        TableSchema.nullable("text", ColumnType.STRING),
        TableSchema.nullable("day", ColumnType.DATE),
        TableSchema.nullable("amount", ColumnType.DOUBLE),
        TableSchema.required("id", ColumnType.STRING),
        TableSchema.nullable("category", ColumnType.STRING),
        TableSchema.required("many", ColumnType.STRING),
        TableSchema.nullable("short_day", ColumnType.DATE),
        TableSchema.nullable("small", ColumnType.DOUBLE),
        TableSchema.required("level", ColumnType.INT)));
    int seen = 0;
    try (TableReader reader = TableReader.open(first, schema, e -> { throw new AssertionError(e.problem()); })) {
      ColumnBatch batch = new ColumnBatch(schema, 256);
      while (reader.next(batch)) {
        for (int k = 0; k < batch.size(); k++, seen++) {
          Row want = rows.get(seen);
          // the tables read an empty nullable string as ""
          assertThat(batch.string(0, k)).isEqualTo(want.text() == null ? "" : want.text());
          assertThat(batch.dates(1)[k]).isEqualTo(want.day() == null ? ColumnBatch.NULL_DATE : want.day());
          if (want.amount() == null) {
            assertThat(batch.doubles(2)[k]).isNaN();
          } else {
            assertThat(batch.doubles(2)[k]).isEqualTo(want.amount());
          }
          assertThat(batch.string(3, k)).isEqualTo(want.id());
          assertThat(batch.string(4, k)).isEqualTo(want.category() == null ? "" : want.category());
          assertThat(batch.string(5, k)).isEqualTo(want.many());
          assertThat(batch.dates(6)[k]).isEqualTo(want.shortDay() == null ? ColumnBatch.NULL_DATE : want.shortDay());
          // a null double reads as NaN, as does the NaN value; -0.0 stays -0.0
          assertThat(Double.doubleToLongBits(batch.doubles(7)[k]))
              .isEqualTo(Double.doubleToLongBits(want.small() == null ? Double.NaN : want.small()));
          assertThat(batch.ints(8)[k]).isEqualTo(want.level());
        }
      }
    }
    assertThat(seen).isEqualTo(rows.size());
  }

  @Test
  void emptyTable_isAValidFileWithNoRows() throws Exception {
    Path parquet = dir.resolve("e.parquet");
    ParquetFiles.convert(arrowFile(List.of(), 10, "e"), true, parquet);
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duckdb.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + parquet + "')")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }
}

package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.io.GeneratedPortfolios;
import io.chainscore.batch.io.TableWriter;
import io.chainscore.features.engine.BadRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A portfolio whose columns have the types other tools give them gives the features and quarantine
 * of the same portfolio as the generator writes it, bit for bit, with 1 and 2 threads: money as
 * Parquet DECIMAL(18, 2), as a bank's pipeline (Spark, DuckDB, pyarrow) stores money, and dates as
 * timestamps without a time zone with a time of day, as pandas writes its datetimes. DuckDB
 * rewrites the generated files column by column.
 */
class ForeignColumnTypesTest {
  private static final LocalDate D = LocalDate.of(2025, 6, 30);

  @TempDir Path dir;
  private Path generated;

  @BeforeEach
  void generate() throws Exception {
    generated = dir.resolve("generated");
    GeneratedPortfolios.write(generated, GeneratedPortfolios.simulate(300, 13, D), TableWriter.Format.PARQUET);
  }

  /**
   * Every DOUBLE column whose values all survive DECIMAL(18, 2) unchanged (DuckDB checks first)
   * becomes one: each decimal is read as the double nearest to it, which is the double the
   * generator wrote.
   */
  @Test
  void moneyAsDecimals_givesTheFeaturesOfMoneyAsDoubles() throws Exception {
    List<String> rewritten = rewrite(dir.resolve("decimals"), (st, file, column, type) -> {
      if (!type.equals("DOUBLE")) {
        return null;
      }
      try (ResultSet changed = st.executeQuery("SELECT count(*) FROM read_parquet('" + file + "') WHERE "
          + column + " IS DISTINCT FROM CAST(CAST(" + column + " AS DECIMAL(18, 2)) AS DOUBLE)")) {
        changed.next();
        return changed.getLong(1) == 0 ? "CAST(" + column + " AS DECIMAL(18, 2))" : null;
      }
    });
    assertThat(rewritten).contains("invoices.amount", "invoices.paid_amount");
    assertSameFeatures(dir.resolve("decimals"));
  }

  /**
   * Every DATE column becomes a timestamp without a time zone at a time of day that varies from row
   * to row (milli-, micro- and nanoseconds in turn): each is read as the date it falls on.
   */
  @Test
  void datesAsLocalTimestamps_giveTheFeaturesOfDates() throws Exception {
    String[] units = {"TIMESTAMP_MS", "TIMESTAMP", "TIMESTAMP_NS"};
    int[] next = {0};
    List<String> rewritten = rewrite(dir.resolve("timestamps"), (st, file, column, type) -> type.equals("DATE")
        ? "CAST(" + column + " + to_seconds(hash(" + column + ") % 86400) + to_milliseconds(hash(" + column
            + ") % 1000) AS " + units[next[0]++ % units.length] + ")"
        : null);
    assertThat(rewritten).contains("invoices.issue_date", "invoices.due_date", "invoices.paid_date",
        "suppliers.registration_date");
    Path invoices = dir.resolve("timestamps").resolve("invoices.parquet");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duckdb.createStatement()) {
      // each unit, none adjusted to UTC (DuckDB reads them all back as microseconds: the file's schema says)
      List<String> types = new ArrayList<>();
      try (ResultSet r = st.executeQuery("SELECT logical_type FROM parquet_schema('" + invoices
          + "') WHERE name IN ('issue_date', 'due_date', 'paid_date') ORDER BY name")) {
        while (r.next()) {
          types.add(r.getString(1));
        }
      }
      assertThat(types).hasSize(3).allMatch(t -> t.startsWith("TimestampType(isAdjustedToUTC=0"))
          .anyMatch(t -> t.contains("MILLIS=MilliSeconds()")).anyMatch(t -> t.contains("MICROS=MicroSeconds()"))
          .anyMatch(t -> t.contains("NANOS=NanoSeconds()"));
      // times of day on nearly every row
      try (ResultSet r = st.executeQuery("SELECT count(*) FILTER (WHERE CAST(issue_date AS TIME) > TIME '00:00:00')"
          + " / count(*) FROM read_parquet('" + invoices + "')")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getDouble(1)).isGreaterThan(0.99);
      }
    }
    assertSameFeatures(dir.resolve("timestamps"));
  }

  /**
   * CSV files with dates written as date-times without a time zone at varying times of day, as
   * pandas' to_csv writes datetimes (DuckDB writes every table as CSV from the generated Parquet):
   * each read as its date, the features and quarantine those of the generated files.
   */
  @Test
  void csvDatesAsDateTimes_giveTheFeaturesOfDates() throws Exception {
    Path csv = Files.createDirectories(dir.resolve("csv"));
    int dateColumns = 0;
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duckdb.createStatement();
        Stream<Path> files = Files.list(generated)) {
      for (Path file : files.sorted().toList()) {
        List<String> replace = new ArrayList<>();
        try (ResultSet r = st.executeQuery("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('" + file
            + "')) WHERE column_type = 'DATE'")) {
          while (r.next()) {
            String c = r.getString(1);
            replace.add("CAST(" + c + " AS TIMESTAMP) + to_seconds(hash(" + c + ") % 86400) AS " + c);
          }
        }
        dateColumns += replace.size();
        String select = replace.isEmpty() ? "*" : "* REPLACE (" + String.join(", ", replace) + ")";
        st.execute("COPY (SELECT " + select + " FROM read_parquet('" + file + "')) TO '"
            + csv.resolve(file.getFileName().toString().replace(".parquet", ".csv")) + "' (FORMAT csv, HEADER)");
      }
    }
    assertThat(dateColumns).isGreaterThan(5);
    assertThat(Files.readAllLines(csv.resolve("invoices.csv")).get(1)).matches(".*,\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},.*");
    assertSameFeatures(csv);
  }

  /**
   * Arrow IPC files whose text columns are large strings (64-bit offsets: pandas' pyarrow-backed
   * strings, Polars) or string views give the features of plain Utf8 ones: the generator's Arrow
   * files rewritten with every Utf8 column as LargeUtf8, but the invoices' as Utf8View.
   */
  @Test
  void textAsLargeStringsAndViews_givesTheFeaturesOfUtf8() throws Exception {
    Path arrow = dir.resolve("arrow");
    GeneratedPortfolios.write(arrow, GeneratedPortfolios.simulate(300, 13, D), TableWriter.Format.ARROW);
    Path wide = Files.createDirectories(dir.resolve("wide"));
    int rewritten = 0;
    try (Stream<Path> files = Files.list(arrow)) {
      for (Path file : files.sorted().toList()) {
        boolean views = file.getFileName().toString().equals("invoices.arrow");
        rewritten += widenText(file, wide.resolve(file.getFileName()),
            views ? org.apache.arrow.vector.types.pojo.ArrowType.Utf8View.INSTANCE
                : org.apache.arrow.vector.types.pojo.ArrowType.LargeUtf8.INSTANCE);
      }
    }
    assertThat(rewritten).isGreaterThan(10);
    generated = arrow;
    assertSameFeatures(wide);
  }

  /** Copies the Arrow IPC file {@code from} to {@code to} with every Utf8 column as {@code text}; returns how many. */
  private static int widenText(Path from, Path to, org.apache.arrow.vector.types.pojo.ArrowType text) throws Exception {
    try (var allocator = new org.apache.arrow.memory.RootAllocator();
        var in = java.nio.channels.FileChannel.open(from);
        var reader = new org.apache.arrow.vector.ipc.ArrowFileReader(in, allocator)) {
      var source = reader.getVectorSchemaRoot();
      List<org.apache.arrow.vector.types.pojo.Field> fields = new ArrayList<>();
      int widened = 0;
      for (var f : source.getSchema().getFields()) {
        boolean utf8 = f.getType() instanceof org.apache.arrow.vector.types.pojo.ArrowType.Utf8;
        widened += utf8 ? 1 : 0;
        fields.add(utf8 ? new org.apache.arrow.vector.types.pojo.Field(f.getName(),
            new org.apache.arrow.vector.types.pojo.FieldType(f.isNullable(), text, null), null) : f);
      }
      try (var target = org.apache.arrow.vector.VectorSchemaRoot.create(
              new org.apache.arrow.vector.types.pojo.Schema(fields), allocator);
          var out = java.nio.channels.FileChannel.open(to, java.nio.file.StandardOpenOption.CREATE_NEW,
              java.nio.file.StandardOpenOption.WRITE);
          var writer = new org.apache.arrow.vector.ipc.ArrowFileWriter(target, null, out)) {
        writer.start();
        while (reader.loadNextBatch()) {
          int rows = source.getRowCount();
          target.allocateNew();
          for (int c = 0; c < fields.size(); c++) {
            var s = source.getVector(c);
            var t = target.getVector(c);
            for (int i = 0; i < rows; i++) {
              if (s instanceof org.apache.arrow.vector.VarCharVector v && !(t instanceof org.apache.arrow.vector.VarCharVector)) {
                if (v.isNull(i)) {
                  continue;   // a value never set is null
                }
                if (t instanceof org.apache.arrow.vector.LargeVarCharVector large) {
                  large.setSafe(i, v.get(i));
                } else {
                  ((org.apache.arrow.vector.ViewVarCharVector) t).setSafe(i, v.get(i));
                }
              } else {
                t.copyFromSafe(i, i, s);
              }
            }
            t.setValueCount(rows);
          }
          target.setRowCount(rows);
          writer.writeBatch();
        }
        writer.end();
      }
      return widened;
    }
  }

  @FunctionalInterface
  private interface Cast {
    /** The expression {@code column} (of DuckDB type {@code type}) is rewritten as, or null to keep it. */
    String of(Statement st, Path file, String column, String type) throws Exception;
  }

  /** Copies the generated tables to {@code to} with the casts {@code cast} gives; returns the columns rewritten. */
  private List<String> rewrite(Path to, Cast cast) throws Exception {
    Files.createDirectories(to);
    List<String> rewritten = new ArrayList<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duckdb.createStatement();
        Stream<Path> files = Files.list(generated)) {
      for (Path file : files.sorted().toList()) {
        String table = file.getFileName().toString().replace(".parquet", "");
        List<String[]> columns = new ArrayList<>();
        try (ResultSet r = st.executeQuery("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('"
            + file + "'))")) {
          while (r.next()) {
            columns.add(new String[] {r.getString(1), r.getString(2)});
          }
        }
        List<String> replace = new ArrayList<>();
        for (String[] c : columns) {
          String expression = cast.of(st, file, c[0], c[1]);
          if (expression != null) {
            replace.add(expression + " AS " + c[0]);
            rewritten.add(table + "." + c[0]);
          }
        }
        String select = replace.isEmpty() ? "*" : "* REPLACE (" + String.join(", ", replace) + ")";
        st.execute("COPY (SELECT " + select + " FROM read_parquet('" + file + "')) TO '" + to.resolve(file.getFileName())
            + "' (FORMAT parquet, ROW_GROUP_SIZE 8192)");
      }
    }
    return rewritten;
  }

  private void assertSameFeatures(Path rewritten) throws Exception {
    assertSameFeatures(generated, rewritten, D);
  }

  /**
   * Asserts that the portfolio in {@code actual} gives the features, invoice count and quarantine
   * of the one in {@code expected} as of {@code asOf}, bit for bit, with 1 and 2 threads; returns
   * {@code expected}'s refused rows (table|row|record id|field|reason).
   */
  static List<String> assertSameFeatures(Path expected, Path actual, LocalDate asOf) throws Exception {
    List<String> refused = null;
    for (int threads : new int[] {1, 2}) {
      PortfolioFeatures.Options options = new PortfolioFeatures.Options(asOf, threads, true,
          PortfolioFeatures.DEFAULT_REGIONS);
      List<String> badExpected = new ArrayList<>();
      List<String> badActual = new ArrayList<>();
      PortfolioFeatures.Result a = PortfolioFeatures.compute(expected, options, r -> badExpected.add(line(r)));
      PortfolioFeatures.Result b = PortfolioFeatures.compute(actual, options, r -> badActual.add(line(r)));
      assertThat(a.invoices()).isPositive();
      assertThat(b.supplierIds()).isEqualTo(a.supplierIds());
      assertThat(b.invoices()).isEqualTo(a.invoices());
      assertThat(b.matrix()).as("%d threads", threads).isEqualTo(a.matrix());
      assertThat(badActual).as("%d threads", threads).isEqualTo(badExpected);
      refused = badExpected;
    }
    return refused;
  }

  private static String line(BadRecord r) {
    return r.table() + "|" + r.row() + "|" + r.recordId() + "|" + r.field() + "|" + r.reason();
  }
}

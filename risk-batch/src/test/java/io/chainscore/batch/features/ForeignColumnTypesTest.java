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
   * Every INTEGER column becomes a BIGINT, as DuckDB's CSV reader and pandas type any integer
   * column: the values, all in the 32-bit range, read as the generator wrote them; then the
   * instalments' numbers with one value beyond the 32-bit range, a rule the column had not had:
   * read, not left undecoded as a column whose only rule is "not null", that row is refused (the
   * instalments' other rows the same), named by its loan id, as the CSV reader words it.
   */
  @Test
  void integersAsInt64_giveTheFeaturesOfInt32_andAValueBeyondTheRangeIsRefused() throws Exception {
    List<String> rewritten = rewrite(dir.resolve("bigint"), (st, file, column, type) -> type.equals("INTEGER")
        ? "CAST(" + column + " AS BIGINT)" : null);
    assertThat(rewritten).contains("instalments.instalment_number");
    assertSameFeatures(dir.resolve("bigint"));

    Path beyond = dir.resolve("beyond");
    rewrite(beyond, (st, file, column, type) -> column.equals("instalment_number")
        ? "CASE WHEN hash(loan_id, " + column + ") = (SELECT min(hash(loan_id, " + column + ")) FROM read_parquet('"
            + file + "')) THEN 3000000000 ELSE CAST(" + column + " AS BIGINT) END" : null);
    List<String> refused = new ArrayList<>();
    PortfolioFeatures.compute(beyond, new PortfolioFeatures.Options(D, 1, true, PortfolioFeatures.DEFAULT_REGIONS),
        r -> refused.add(line(r)));
    assertThat(refused.stream().filter(r -> r.startsWith("instalment|")).toList()).singleElement().asString()
        .matches("instalment\\|[0-9]+\\|S[0-9]+-L[0-9]+\\|instalment_number\\|3000000000 is not a whole number in the 32-bit range");
  }

  /**
   * Every column that is not text becomes text (numbers, dates and flags as DuckDB writes them as
   * VARCHAR), as Spark writes a CSV read without inferring its types: each value read by the CSV
   * reader's rules gives the generator's features and quarantine. Then three values no comma file
   * reads (an amount {@code twelve}, an amount {@code 1,5}, an empty due date, one row each): the same
   * refusals, in the same words, as the CSV DuckDB writes from the same text files, and the same
   * features.
   */
  @Test
  void everyColumnAsText_isReadByTheCsvRules_asTheSameValuesFromACsv() throws Exception {
    List<String> rewritten = rewrite(dir.resolve("text"), (st, file, column, type) -> type.equals("VARCHAR")
        ? null : "CAST(" + column + " AS VARCHAR)");
    assertThat(rewritten).contains("invoices.amount", "invoices.issue_date", "instalments.instalment_number",
        "suppliers.registration_date", "deliveries.actual_date", "invoices.disputed");
    assertSameFeatures(dir.resolve("text"));

    Path bad = dir.resolve("text-bad");
    String first = "(SELECT min(hash(invoice_id)) FROM read_parquet('%s'))";
    rewrite(bad, (st, file, column, type) -> {
      if (type.equals("VARCHAR")) {
        return null;
      }
      String minHash = String.format(first, file);
      String oneRow = "hash(invoice_id) = " + minHash;
      if (file.getFileName().toString().equals("invoices.parquet") && column.equals("amount")) {
        return "CASE WHEN " + oneRow + " THEN 'twelve' WHEN hash(invoice_id) = (SELECT max(hash(invoice_id)) FROM"
            + " read_parquet('" + file + "')) THEN '1,5' ELSE CAST(" + column + " AS VARCHAR) END";
      }
      if (file.getFileName().toString().equals("invoices.parquet") && column.equals("due_date")) {
        return "CASE WHEN hash(invoice_id) = (SELECT min(hash(invoice_id)) FROM read_parquet('" + file
            + "') WHERE hash(invoice_id) > " + minHash + ") THEN '' ELSE CAST(" + column + " AS VARCHAR) END";
      }
      return "CAST(" + column + " AS VARCHAR)";
    });
    Path csv = Files.createDirectories(dir.resolve("text-bad-csv"));
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duckdb.createStatement();
        Stream<Path> files = Files.list(bad)) {
      for (Path file : files.sorted().toList()) {
        st.execute("COPY (SELECT * FROM read_parquet('" + file + "')) TO '"
            + csv.resolve(file.getFileName().toString().replace(".parquet", ".csv")) + "' (FORMAT csv, HEADER)");
      }
    }
    List<String> refused = assertSameFeatures(csv, bad, D);
    assertThat(refused.stream().filter(r -> r.startsWith("invoice|")).toList())
        .anyMatch(r -> r.endsWith("|amount|'twelve' is not a number; expected a decimal such as -12.5 or 3e-4"))
        .anyMatch(r -> r.endsWith("|amount|'1,5' is not a number; expected a decimal such as -12.5 or 3e-4"))
        .anyMatch(r -> r.endsWith("|due_date|is empty; a value is required"));
  }

  /**
   * Whole numbers stored unsigned, as pandas writes uint8 ... uint64 and DuckDB UTINYINT ... UBIGINT:
   * every INTEGER column in each unsigned width, and (UBIGINT) every DOUBLE column whose values are
   * all whole and non-negative, give the generator's features. A UINTEGER instalment number of
   * 4,000,000,000 (beyond the 32-bit range) and a UBIGINT one of 2^64 - 1 (beyond even a long)
   * refuse exactly their rows, in the CSV reader's words.
   */
  @Test
  void unsignedIntegers_giveTheFeaturesOfSignedOnes_andValuesBeyondTheRangeAreRefused() throws Exception {
    for (String type : new String[] {"UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}) {
      Path to = dir.resolve("unsigned-" + type);
      List<String> doubles = new ArrayList<>();
      List<String> rewritten = rewrite(to, (st, file, column, t) -> {
        if (t.equals("INTEGER")) {
          return "CAST(" + column + " AS " + type + ")";
        }
        if (!t.equals("DOUBLE") || !type.equals("UBIGINT")) {
          return null;
        }
        try (ResultSet r = st.executeQuery("SELECT count(*) FROM read_parquet('" + file + "') WHERE " + column
            + " < 0 OR " + column + " <> floor(" + column + ") OR " + column + " >= 9e15")) {
          r.next();
          if (r.getLong(1) > 0) {
            return null;
          }
        }
        doubles.add(column);
        return "CAST(" + column + " AS UBIGINT)";
      });
      assertThat(rewritten).as(type).contains("instalments.instalment_number");
      if (type.equals("UBIGINT")) {
        assertThat(doubles).as("whole DOUBLE columns stored as UBIGINT").isNotEmpty();
      }
      assertSameFeatures(to);
    }
    for (String[] beyond : new String[][] {{"UINTEGER", "4000000000", "32-bit"},
        {"UBIGINT", "18446744073709551615", "32-bit"}}) {
      Path to = dir.resolve("beyond-" + beyond[0]);
      rewrite(to, (st, file, column, type) -> column.equals("instalment_number")
          ? "CASE WHEN hash(loan_id, " + column + ") = (SELECT min(hash(loan_id, " + column + ")) FROM read_parquet('"
              + file + "')) THEN CAST(" + beyond[1] + " AS " + beyond[0] + ") ELSE CAST(" + column + " AS " + beyond[0]
              + ") END" : null);
      List<String> refused = new ArrayList<>();
      PortfolioFeatures.compute(to, new PortfolioFeatures.Options(D, 1, true, PortfolioFeatures.DEFAULT_REGIONS),
          r -> refused.add(line(r)));
      assertThat(refused.stream().filter(r -> r.startsWith("instalment|")).toList()).as(beyond[0]).singleElement()
          .asString().matches("instalment\\|[0-9]+\\|S[0-9]+-L[0-9]+\\|instalment_number\\|" + beyond[1]
              + " is not a whole number in the " + beyond[2] + " range");
    }
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
   * Every DATE column becomes an instant, the date at a time of day that varies from row to row in
   * New York (TIMESTAMPTZ, which DuckDB writes as a timestamp adjusted to UTC): read with the zone
   * they were written in, each is the date it was, the features those of the generated files; with
   * no zone the portfolio is refused, naming the column and the option; read in UTC, the evening's
   * instants fall on the next day and the features differ.
   */
  @Test
  void datesAsInstants_readInTheirZone_giveTheFeaturesOfDates() throws Exception {
    String zone = "America/New_York";
    List<String> rewritten = rewrite(dir.resolve("instants"), (st, file, column, type) -> type.equals("DATE")
        ? "timezone('" + zone + "', CAST(" + column + " AS TIMESTAMP) + to_seconds(hash(" + column + ") % 86400))"
        : null);
    assertThat(rewritten).contains("invoices.issue_date", "invoices.due_date", "suppliers.registration_date");
    Path instants = dir.resolve("instants");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duckdb.createStatement();
        ResultSet r = st.executeQuery("SELECT logical_type FROM parquet_schema('" + instants.resolve("invoices.parquet")
            + "') WHERE name = 'issue_date'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).startsWith("TimestampType(isAdjustedToUTC=1");
    }
    assertSameFeatures(generated, instants, D, java.time.ZoneId.of(zone));
    PortfolioFeatures.Options noZone = new PortfolioFeatures.Options(D, 1, true, PortfolioFeatures.DEFAULT_REGIONS);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PortfolioFeatures.compute(instants, noZone, b -> { }))
        .hasMessageContaining("registration_date").hasMessageContaining("--time-zone");
    PortfolioFeatures.Result inUtc = PortfolioFeatures.compute(instants, new PortfolioFeatures.Options(D, 1, true,
        PortfolioFeatures.DEFAULT_REGIONS, java.time.ZoneOffset.UTC), b -> { });
    assertThat(inUtc.matrix()).isNotEqualTo(PortfolioFeatures.compute(generated, noZone, b -> { }).matrix());
  }

  /**
   * CSV files with dates written as date-times without a time zone at varying times of day, as
   * pandas' to_csv writes datetimes (DuckDB writes every table as CSV from the generated Parquet):
   * each read as its date, the features and quarantine those of the generated files.
   */
  @Test
  void csvDatesAsDateTimes_giveTheFeaturesOfDates() throws Exception {
    Path csv = writeCsv("csv", null, c -> "CAST(" + c + " AS TIMESTAMP) + to_seconds(hash(" + c + ") % 86400)");
    assertThat(Files.readAllLines(csv.resolve("invoices.csv")).get(1)).matches(".*,\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},.*");
    assertSameFeatures(csv);
  }

  /**
   * CSV files with dates written as instants at varying times of day in Kolkata, with their offset
   * ({@code 2025-01-02 13:45:00+05:30}, as DuckDB writes a TIMESTAMPTZ in a session in that zone):
   * read in that zone, the generator's features; without one, the rows are refused.
   */
  @Test
  void csvDatesAsInstantsWithOffsets_readInTheirZone_giveTheFeaturesOfDates() throws Exception {
    String zone = "Asia/Kolkata";
    Path csv = writeCsv("csv-instants", "SET TimeZone = '" + zone + "'",
        c -> "timezone('" + zone + "', CAST(" + c + " AS TIMESTAMP) + to_seconds(hash(" + c + ") % 86400))");
    assertThat(Files.readAllLines(csv.resolve("invoices.csv")).get(1))
        .matches(".*,\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\+05:30,.*");
    assertSameFeatures(generated, csv, D, java.time.ZoneId.of(zone));
    // without a zone each such row is refused (a CSV's types are per value), saying why
    List<String> refused = new ArrayList<>();
    PortfolioFeatures.compute(csv, new PortfolioFeatures.Options(D, 1, true, PortfolioFeatures.DEFAULT_REGIONS),
        r -> refused.add(line(r)));
    assertThat(refused).hasSizeGreaterThan(1000)
        .anyMatch(r -> r.startsWith("invoice|") && r.contains("+05:30") && r.contains("--time-zone"));
  }

  /**
   * Writes every generated table as CSV under {@code dir/name} with DuckDB, each DATE column as the
   * expression {@code date} gives for it, after the statement {@code setup} (if any); returns the
   * directory.
   */
  private Path writeCsv(String name, String setup, java.util.function.UnaryOperator<String> date) throws Exception {
    Path csv = Files.createDirectories(dir.resolve(name));
    int dateColumns = 0;
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duckdb.createStatement();
        Stream<Path> files = Files.list(generated)) {
      if (setup != null) {
        st.execute(setup);
      }
      for (Path file : files.sorted().toList()) {
        List<String> replace = new ArrayList<>();
        try (ResultSet r = st.executeQuery("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('" + file
            + "')) WHERE column_type = 'DATE'")) {
          while (r.next()) {
            String c = r.getString(1);
            replace.add(date.apply(c) + " AS " + c);
          }
        }
        dateColumns += replace.size();
        String select = replace.isEmpty() ? "*" : "* REPLACE (" + String.join(", ", replace) + ")";
        st.execute("COPY (SELECT " + select + " FROM read_parquet('" + file + "')) TO '"
            + csv.resolve(file.getFileName().toString().replace(".parquet", ".csv")) + "' (FORMAT csv, HEADER)");
      }
    }
    assertThat(dateColumns).isGreaterThan(5);
    return csv;
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
    return rewriteArrow(from, to, f -> f.getType() instanceof org.apache.arrow.vector.types.pojo.ArrowType.Utf8
        ? new org.apache.arrow.vector.types.pojo.Field(f.getName(),
            new org.apache.arrow.vector.types.pojo.FieldType(f.isNullable(), text, null), null) : null,
        (s, t, i) -> {
          byte[] value = ((org.apache.arrow.vector.VarCharVector) s).get(i);
          if (t instanceof org.apache.arrow.vector.LargeVarCharVector large) {
            large.setSafe(i, value);
          } else {
            ((org.apache.arrow.vector.ViewVarCharVector) t).setSafe(i, value);
          }
        });
  }

  /**
   * Arrow IPC files whose date columns are timestamps with a time zone (microseconds, the zone in
   * the type, as pandas writes tz-aware datetimes), each the date at an hour of the day that varies
   * from row to row in Tokyo: read in Tokyo, the features of the generated dates; the zone the type
   * names is not used, the one given is (as Spark's and DuckDB's casts do).
   */
  @Test
  void arrowDatesAsZonedTimestamps_readInTheGivenZone_giveTheFeaturesOfDates() throws Exception {
    Path arrow = dir.resolve("arrow");
    GeneratedPortfolios.write(arrow, GeneratedPortfolios.simulate(300, 13, D), TableWriter.Format.ARROW);
    Path zoned = Files.createDirectories(dir.resolve("arrow-instants"));
    java.time.ZoneId tokyo = java.time.ZoneId.of("Asia/Tokyo");
    int rewritten = 0;
    try (Stream<Path> files = Files.list(arrow)) {
      for (Path file : files.sorted().toList()) {
        rewritten += rewriteArrow(file, zoned.resolve(file.getFileName()),
            f -> f.getType() instanceof org.apache.arrow.vector.types.pojo.ArrowType.Date
                ? new org.apache.arrow.vector.types.pojo.Field(f.getName(), new org.apache.arrow.vector.types.pojo.FieldType(
                    f.isNullable(), new org.apache.arrow.vector.types.pojo.ArrowType.Timestamp(
                        org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "Europe/London"), null), null)
                : null,
            (s, t, i) -> {
              java.time.Instant at = LocalDate.ofEpochDay(((org.apache.arrow.vector.DateDayVector) s).get(i))
                  .atTime(i % 24, 30).atZone(tokyo).toInstant();
              ((org.apache.arrow.vector.TimeStampVector) t).setSafe(i, at.getEpochSecond() * 1_000_000L);
            });
      }
    }
    assertThat(rewritten).isGreaterThan(5);
    assertSameFeatures(arrow, zoned, D, tokyo);
  }

  @FunctionalInterface
  private interface ValueCopy {
    /** Sets row {@code i} (not null) of {@code target} from {@code source}'s. */
    void copy(org.apache.arrow.vector.FieldVector source, org.apache.arrow.vector.FieldVector target, int i);
  }

  /**
   * Copies the Arrow IPC file {@code from} to {@code to}, each field that {@code retype} gives a new
   * field for (else null) copied value by value with {@code copy}, the rest as they are; returns how
   * many fields were retyped.
   */
  private static int rewriteArrow(Path from, Path to,
      java.util.function.Function<org.apache.arrow.vector.types.pojo.Field, org.apache.arrow.vector.types.pojo.Field> retype,
      ValueCopy copy) throws Exception {
    try (var allocator = new org.apache.arrow.memory.RootAllocator();
        var in = java.nio.channels.FileChannel.open(from);
        var reader = new org.apache.arrow.vector.ipc.ArrowFileReader(in, allocator)) {
      var source = reader.getVectorSchemaRoot();
      List<org.apache.arrow.vector.types.pojo.Field> fields = new ArrayList<>();
      boolean[] retyped = new boolean[source.getSchema().getFields().size()];
      int count = 0;
      for (var f : source.getSchema().getFields()) {
        var changed = retype.apply(f);
        retyped[fields.size()] = changed != null;
        count += changed != null ? 1 : 0;
        fields.add(changed != null ? changed : f);
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
              if (!retyped[c]) {
                t.copyFromSafe(i, i, s);
              } else if (!s.isNull(i)) {
                copy.copy(s, t, i);   // a value never set is null
              }
            }
            t.setValueCount(rows);
          }
          target.setRowCount(rows);
          writer.writeBatch();
        }
        writer.end();
      }
      return count;
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
    return assertSameFeatures(expected, actual, asOf, null);
  }

  /** {@link #assertSameFeatures(Path, Path, LocalDate)} reading {@code actual}'s instants in {@code zone}. */
  static List<String> assertSameFeatures(Path expected, Path actual, LocalDate asOf, java.time.ZoneId zone)
      throws Exception {
    return assertSameFeatures(expected, actual, asOf, zone, BadRecord::row);
  }

  /**
   * {@link #assertSameFeatures(Path, Path, LocalDate, java.time.ZoneId)}, {@code actual}'s refused
   * rows compared at the rows {@code rowInExpected} gives them in {@code expected}'s files (for a
   * table whose files are cut otherwise).
   */
  static List<String> assertSameFeatures(Path expected, Path actual, LocalDate asOf, java.time.ZoneId zone,
      java.util.function.ToLongFunction<BadRecord> rowInExpected) throws Exception {
    List<String> refused = null;
    for (int threads : new int[] {1, 2}) {
      PortfolioFeatures.Options options = new PortfolioFeatures.Options(asOf, threads, true,
          PortfolioFeatures.DEFAULT_REGIONS);
      List<String> badExpected = new ArrayList<>();
      List<String> badActual = new ArrayList<>();
      PortfolioFeatures.Result a = PortfolioFeatures.compute(expected, options, r -> badExpected.add(line(r)));
      PortfolioFeatures.Result b = PortfolioFeatures.compute(actual, new PortfolioFeatures.Options(asOf, threads, true,
          PortfolioFeatures.DEFAULT_REGIONS, zone), r -> badActual.add(line(r, rowInExpected.applyAsLong(r))));
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
    return line(r, r.row());
  }

  private static String line(BadRecord r, long row) {
    return r.table() + "|" + row + "|" + r.recordId() + "|" + r.field() + "|" + r.reason();
  }
}

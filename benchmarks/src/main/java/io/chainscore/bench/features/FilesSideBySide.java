package io.chainscore.bench.features;

import io.chainscore.features.StandardFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.duckdb.DuckDBConnection;

/**
 * The DuckDB side of the files-to-features path (benchmarks/run-user-paths.sh): DuckDB reads the
 * same portfolio files {@code chainscore features} reads and writes one feature row per supplier
 * to a Parquet file, with the project's own feature SQL ({@link FeaturesSql}, the query
 * DuckDbFeaturesTest checks against the engine) over views that rename the file columns and turn
 * dates into epoch days. One run per JVM, so that the script times both sides the same way (JVM
 * start-up included on both).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.chainscore.bench.features.FilesSideBySide \
 *     MODE DIR AS_OF OUT [THREADS]
 * </pre>
 *
 * <p>MODE: {@code sql} the correctness query as written; {@code tuned} the same query with the
 * CTEs that several others read ({@code inv}, {@code grid}, {@code inst}, {@code dpd}) marked
 * {@code MATERIALIZED}, so the invoices are scanned and joined once instead of once per reader (a
 * fairer plan for DuckDB; same rows); {@code scan} the floor: the invoices grouped by supplier
 * with the sum of their amounts; {@code check} compares OUT (a feature table chainscore wrote)
 * with the {@code sql} result on every supplier and numeric feature and prints the worst relative
 * difference. DIR holds {@code .parquet} tables (read with {@code read_parquet}) or {@code .arrow}
 * IPC files (imported into DuckDB tables through the Arrow C stream interface first; the import
 * is part of the time, reported separately), or {@code .csv} files (read with {@code read_csv}; a
 * file whose header is separated by semicolons with {@code delim=';'}, {@code
 * decimal_separator=','} and {@code dateformat='%d.%m.%Y'}, the dialect ChainScore detects).
 */
public final class FilesSideBySide {
  private FilesSideBySide() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: FilesSideBySide sql|tuned|scan|check DIR AS_OF OUT [THREADS]");
      System.exit(2);
    }
    String mode = args[0];
    Path dir = Path.of(args[1]);
    long asOf = LocalDate.parse(args[2]).toEpochDay();
    Path out = Path.of(args[3]);
    int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    boolean arrow = Files.exists(dir.resolve("invoices.arrow"));
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        BufferAllocator allocator = new RootAllocator()) {
      st.execute("SET threads=" + threads);
      st.execute("SET preserve_insertion_order=false");
      long imported = System.nanoTime();
      if (arrow) {
        for (String t : new String[] {"anchors", "suppliers", "invoices", "loans", "instalments", "credit_notes",
            "disputes", "deliveries"}) {
          Path f = dir.resolve(t + ".arrow");
          if (!Files.exists(f) || (mode.equals("scan") && !t.equals("invoices"))) {
            continue;
          }
          try (ArrowFileReader reader = new ArrowFileReader(Files.newByteChannel(f), allocator);
              ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, reader, stream);
            ((DuckDBConnection) c).registerArrowStream("stream_" + t, stream);
            st.execute("CREATE TABLE raw_" + t + " AS SELECT * FROM stream_" + t);
          }
        }
        imported = System.nanoTime();
        System.out.printf(Locale.ROOT, "duckdb: Arrow import into tables %.2f s%n", (imported - start) / 1e9);
      }
      views(st, dir, arrow, mode.equals("scan"));
      String target = out.toAbsolutePath().toString().replace("'", "''");
      switch (mode) {
        case "scan" -> st.execute("COPY (SELECT s, SUM(amount) AS amount FROM invoices GROUP BY s) TO '" + target
            + "' (FORMAT parquet)");
        case "sql" -> st.execute("COPY (" + FeaturesSql.featuresSql(asOf) + ") TO '" + target + "' (FORMAT parquet)");
        case "tuned" -> st.execute("COPY (" + tuned(FeaturesSql.featuresSql(asOf)) + ") TO '" + target
            + "' (FORMAT parquet)");
        case "check" -> {
          check(st, FeaturesSql.featuresSql(asOf), target);
          return;
        }
        default -> throw new IllegalArgumentException("mode " + mode);
      }
      long end = System.nanoTime();
      System.out.printf(Locale.ROOT, "duckdb %s: %.2f s in the JVM (import %.2f s, query and write %.2f s), %s%n",
          mode, (end - start) / 1e9, (imported - start) / 1e9, (end - imported) / 1e9, out);
    }
  }

  /** Views with the column names and integer days the feature SQL expects. */
  private static void views(Statement st, Path dir, boolean arrow, boolean invoicesOnly) throws Exception {
    String regions = StandardFeatures.REGIONS.stream().map(r -> "'" + r + "'").collect(Collectors.joining(", "));
    String[][] defs = {
        {"suppliers", "SELECT supplier_id AS s, anchor_id AS anchor, sector, "
            + "COALESCE(list_position([" + regions + "], region), 0) - 1 AS region, "
            + "(registration_date - DATE '1970-01-01') AS reg, declared_turnover AS turnover FROM %s"},
        {"invoices", "SELECT invoice_id AS id, supplier_id AS s, buyer_id AS buyer, "
            + "(issue_date - DATE '1970-01-01') AS issue, (due_date - DATE '1970-01-01') AS due, amount, "
            + "(paid_date - DATE '1970-01-01') AS paid FROM %s"},
        {"instalments", "SELECT i.loan_id AS loan, i.supplier_id AS s, (l.drawdown_date - DATE '1970-01-01') AS drawdown,"
            + " l.amount AS loan_amount, (i.due_date - DATE '1970-01-01') AS due, i.amount_due,"
            + " (i.repaid_date - DATE '1970-01-01') AS repaid, i.amount_repaid FROM %s i JOIN %s l ON l.loan_id = i.loan_id"},
        {"credit_notes", "SELECT invoice_id AS inv, supplier_id AS s, (booking_date - DATE '1970-01-01') AS booked, amount"
            + " FROM %s"},
        {"disputes", "SELECT invoice_id AS inv, supplier_id AS s, (opened_date - DATE '1970-01-01') AS opened FROM %s"},
        {"deliveries", "SELECT supplier_id AS s, (promised_date - DATE '1970-01-01') AS promised,"
            + " (actual_date - DATE '1970-01-01') AS actual FROM %s"}};
    for (String[] d : defs) {
      String source = source(dir, d[0], arrow);
      String sql = d[0].equals("instalments") ? String.format(d[1], source, source(dir, "loans", arrow))
          : String.format(d[1], source);
      if (source == null || (invoicesOnly && !d[0].equals("invoices"))) {
        continue;
      }
      st.execute("CREATE VIEW " + d[0] + " AS " + sql);
    }
  }

  private static String source(Path dir, String table, boolean arrow) throws java.io.IOException {
    if (arrow) {
      return Files.exists(dir.resolve(table + ".arrow")) ? "raw_" + table : null;
    }
    Path csv = dir.resolve(table + ".csv");
    if (Files.exists(csv)) {
      // CSV as ChainScore reads it: comma files, or (header separated by semicolons) the spreadsheet
      // dialect with a decimal comma and day-first dates, told to DuckDB as its options
      String path = csv.toAbsolutePath().toString().replace("'", "''");
      String header;
      try (java.io.BufferedReader r = Files.newBufferedReader(csv)) {
        header = r.readLine();
      }
      return header.indexOf(',') < 0 && header.indexOf(';') >= 0
          ? "read_csv('" + path + "', header = true, delim = ';', decimal_separator = ',', dateformat = '%d.%m.%Y')"
          : "read_csv('" + path + "', header = true)";
    }
    Path p = dir.resolve(table + ".parquet");
    return Files.exists(p) ? "read_parquet('" + p.toAbsolutePath().toString().replace("'", "''") + "')" : null;
  }

  /** The correctness query with the CTEs read by several others materialised once. */
  static String tuned(String sql) {
    String t = sql;
    for (String cte : new String[] {"inv", "grid", "inst", "dpd"}) {
      String from = "\n" + cte + " AS (";
      if (!t.contains(from)) {
        throw new IllegalStateException("the feature SQL has no CTE " + cte);
      }
      t = t.replace(from, "\n" + cte + " AS MATERIALIZED (");
    }
    return t;
  }

  /** The worst relative difference between chainscore's feature table and the SQL's, per feature. */
  private static void check(Statement st, String sql, String chainscore) throws Exception {
    st.execute("CREATE TABLE duck AS " + sql);
    st.execute("CREATE TABLE cs AS SELECT * FROM read_parquet('" + chainscore + "')");
    long missing;
    try (ResultSet r = st.executeQuery("SELECT (SELECT COUNT(*) FROM duck), (SELECT COUNT(*) FROM cs),"
        + " (SELECT COUNT(*) FROM duck d FULL JOIN cs c ON c.supplier_id = d.s WHERE c.supplier_id IS NULL OR d.s IS NULL)")) {
      r.next();
      System.out.printf(Locale.ROOT, "check: %d suppliers from DuckDB, %d from chainscore, %d in one only%n",
          r.getLong(1), r.getLong(2), r.getLong(3));
      missing = r.getLong(3);
    }
    double worst = 0;
    String worstName = "";
    int compared = 0;
    for (var f : StandardFeatures.SCHEMA.features()) {
      if (f.type() == io.chainscore.features.FeatureType.CATEGORICAL) {
        continue;
      }
      String n = f.name();
      // chainscore writes a missing value as null (or NaN), the SQL as NULL: both missing agree.
      String cMissing = "(c." + n + " IS NULL OR isnan(c." + n + "))";
      try (ResultSet r = st.executeQuery("SELECT MAX(CASE WHEN d." + n + " IS NULL AND " + cMissing + " THEN 0"
          + " WHEN d." + n + " IS NULL OR " + cMissing + " THEN 1"
          + " ELSE abs(d." + n + " - c." + n + ") / GREATEST(1.0, abs(d." + n + ")) END)"
          + " FROM duck d JOIN cs c ON c.supplier_id = d.s")) {
        r.next();
        double diff = r.getDouble(1);
        compared++;
        if (diff > worst) {
          worst = diff;
          worstName = n;
        }
      }
    }
    System.out.printf(Locale.ROOT, "check: %d numeric features compared on every supplier; worst difference relative to max(1, |x|)"
        + " %.3g (%s); %s%n", compared, worst, worstName.isEmpty() ? "-" : worstName,
        missing == 0 && worst <= 1e-9 ? "AGREE" : "DIFFER");
  }
}

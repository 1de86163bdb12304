package io.chainscore.bench.features;

import io.chainscore.features.engine.FeatureEngine;
import io.chainscore.features.engine.InstalmentColumns;
import io.chainscore.features.engine.InvoiceColumns;
import io.chainscore.features.StandardFeatures;
import io.chainscore.features.engine.SupplierTable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Side-by-side runner: the feature engine against DuckDB computing the same 39 features with SQL
 * from its own in-memory tables, on the same generated portfolio, in random and clustered order.
 *
 * <p>Run (after {@code mvn -o -q -Pbench -pl benchmarks -am package -DskipTests}):
 *
 * <pre>
 * java -Xmx6g --add-opens=java.base/java.nio=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.chainscore.bench.features.FeaturesSideBySide compare 200000 100 8
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar \
 *     io.chainscore.bench.features.FeaturesSideBySide stream 200000 500
 * </pre>
 *
 * <p>{@code engine SUPPLIERS PER_SUPPLIER REPEATS} runs only the engine part of {@code compare}.
 * {@code compare SUPPLIERS PER_SUPPLIER REPEATS}: materialises the invoices as 64K-row chunks
 * (generation time not measured), runs the engine with 1 and 2 threads (best of REPEATS, from
 * builder to finished matrix), loads the same rows into DuckDB with its Appender (load time
 * reported separately), runs the SQL with {@code SET threads=2} (best of REPEATS), and checks that
 * both agree on every supplier and feature within 1e-9 relative. {@code stream SUPPLIERS
 * PER_SUPPLIER}: generates chunks on the fly into one reused chunk and feeds the engine, to show
 * that memory is bounded by the suppliers (run it with {@code -Xmx1g}).
 */
public final class FeaturesSideBySide {
  private static final int CHUNK = 65_536;

  private FeaturesSideBySide() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "compare";
    int suppliers = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int perSupplier = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    PortfolioGenerator gen = new PortfolioGenerator(suppliers, perSupplier, 42);
    System.out.printf(Locale.ROOT, "machine: %d cores, java %s, max heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf(Locale.ROOT, "portfolio: %d suppliers x %d = %d invoices, %d instalments%n",
        suppliers, perSupplier, gen.invoices, gen.instalments());
    if (mode.equals("stream")) {
      stream(gen);
    } else if (mode.equals("engine")) {
      for (boolean clustered : new boolean[] {false, true}) {
        engineOnly(gen, clustered, repeats);
      }
    } else {
      for (boolean clustered : new boolean[] {false, true}) {
        compare(gen, clustered, repeats);
      }
    }
  }

  private static void stream(PortfolioGenerator gen) {
    SupplierTable table = gen.table();
    InvoiceColumns chunk = new InvoiceColumns(CHUNK);
    InstalmentColumns instalments = new InstalmentColumns(CHUNK);
    long start = System.nanoTime();
    double[] matrix;
    try (FeatureEngine engine = FeatureEngine.builder(table).asOf(PortfolioGenerator.AS_OF).threads(2).build()) {
      for (long from = 0; from < gen.invoices; from += CHUNK) {
        gen.fill(chunk, from, false);
        engine.addInvoices(chunk);
      }
      for (long from = 0; from < gen.instalments(); from += CHUNK) {
        gen.fill(instalments, from);
        engine.addInstalments(instalments);
      }
      matrix = engine.finish();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT,
        "stream: %d invoices generated and accumulated in %.1f s (%.2f M invoices/s incl. generation),"
            + " peak heap %d MiB, checksum %.6e%n",
        gen.invoices, seconds, gen.invoices / seconds / 1e6, peakHeapMiB(), checksum(matrix));
  }

  /** The engine part of {@code compare} alone, for quick A/B runs. */
  private static void engineOnly(PortfolioGenerator gen, boolean clustered, int repeats) {
    String order = clustered ? "clustered" : "random";
    List<InvoiceColumns> chunks = new ArrayList<>();
    for (long from = 0; from < gen.invoices; from += CHUNK) {
      InvoiceColumns c = new InvoiceColumns(CHUNK);
      gen.fill(c, from, clustered);
      chunks.add(c);
    }
    SupplierTable table = gen.table();
    for (int threads = 1; threads <= 2; threads++) {
      double best = Double.MAX_VALUE;
      for (int r = 0; r < repeats; r++) {
        long start = System.nanoTime();
        try (FeatureEngine engine = FeatureEngine.builder(table).asOf(PortfolioGenerator.AS_OF).threads(threads).build()) {
          for (InvoiceColumns c : chunks) {
            engine.addInvoices(c);
          }
          engine.finish();
        }
        best = Math.min(best, (System.nanoTime() - start) / 1e9);
      }
      System.out.printf(Locale.ROOT, "[%s] engine threads=%d: best %.3f s, %.2f M invoices/s%n",
          order, threads, best, gen.invoices / best / 1e6);
    }
  }

  private static void compare(PortfolioGenerator gen, boolean clustered, int repeats) throws Exception {
    String order = clustered ? "clustered" : "random";
    long t0 = System.nanoTime();
    List<InvoiceColumns> chunks = new ArrayList<>();
    for (long from = 0; from < gen.invoices; from += CHUNK) {
      InvoiceColumns c = new InvoiceColumns(CHUNK);
      gen.fill(c, from, clustered);
      chunks.add(c);
    }
    List<InstalmentColumns> loans = new ArrayList<>();
    for (long from = 0; from < gen.instalments(); from += CHUNK) {
      InstalmentColumns c = new InstalmentColumns(CHUNK);
      gen.fill(c, from);
      loans.add(c);
    }
    System.out.printf(Locale.ROOT, "[%s] generated in %.1f s%n", order, (System.nanoTime() - t0) / 1e9);
    SupplierTable table = gen.table();
    double[] engineMatrix = null;
    double[] engineRate = new double[3];
    for (int threads = 1; threads <= 2; threads++) {
      double best = Double.MAX_VALUE;
      for (int r = 0; r < repeats; r++) {
        long start = System.nanoTime();
        try (FeatureEngine engine = FeatureEngine.builder(table).asOf(PortfolioGenerator.AS_OF).threads(threads).build()) {
          for (InvoiceColumns c : chunks) {
            engine.addInvoices(c);
          }
          for (InstalmentColumns c : loans) {
            engine.addInstalments(c);
          }
          engineMatrix = engine.finish();
        }
        best = Math.min(best, (System.nanoTime() - start) / 1e9);
      }
      engineRate[threads] = gen.invoices / best;
      System.out.printf(Locale.ROOT, "[%s] engine threads=%d: best %.3f s, %.2f M invoices/s%n",
          order, threads, best, engineRate[threads] / 1e6);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET threads=2");
      long load = System.nanoTime();
      load(c, st, gen, table, chunks, loans);
      double loadSeconds = (System.nanoTime() - load) / 1e9;
      chunks = null; // let the Java copy go; DuckDB holds its own
      System.gc();
      System.out.printf(Locale.ROOT, "[%s] duckdb load (appender): %.1f s%n", order, loadSeconds);
      String sql = FeaturesSql.featuresSql(PortfolioGenerator.AS_OF.toEpochDay());
      double best = Double.MAX_VALUE;
      double[] duck = null;
      for (int r = 0; r < repeats; r++) {
        long start = System.nanoTime();
        duck = query(st, sql, gen.suppliers);
        best = Math.min(best, (System.nanoTime() - start) / 1e9);
      }
      double duckRate = gen.invoices / best;
      System.out.printf(Locale.ROOT, "[%s] duckdb threads=2: best %.3f s, %.2f M invoices/s%n",
          order, best, duckRate / 1e6);
      System.out.printf(Locale.ROOT, "[%s] ratio engine/duckdb: threads=1 %.2fx, threads=2 %.2fx%n",
          order, engineRate[1] / duckRate, engineRate[2] / duckRate);
      System.out.printf(Locale.ROOT, "[%s] cells differing beyond 1e-9 relative: %d of %d%n",
          order, mismatches(duck, engineMatrix), duck.length);
    }
  }

  private static void load(Connection c, Statement st, PortfolioGenerator gen, SupplierTable table,
      List<InvoiceColumns> chunks, List<InstalmentColumns> loans) throws SQLException {
    st.execute("CREATE TABLE suppliers (s INTEGER, anchor INTEGER, sector INTEGER, region INTEGER,"
        + " reg INTEGER, turnover DOUBLE)");
    st.execute("CREATE TABLE invoices (id VARCHAR, s INTEGER, buyer INTEGER, issue INTEGER, due INTEGER,"
        + " paid INTEGER, amount DOUBLE, returned_src DOUBLE, ontime_src BOOLEAN, disputed_src BOOLEAN)");
    // The generated chunks carry credit notes and disputes as known at D (booked on the issue
    // date) and feed the engine no deliveries: the SQL's event tables say the same.
    st.execute("CREATE VIEW credit_notes AS SELECT id AS inv, s, issue AS booked, returned_src AS amount"
        + " FROM invoices WHERE returned_src > 0");
    st.execute("CREATE VIEW disputes AS SELECT id AS inv, s, issue AS opened FROM invoices WHERE disputed_src");
    st.execute("CREATE TABLE deliveries (s INTEGER, promised INTEGER, actual INTEGER)");
    st.execute("CREATE TABLE instalments (s INTEGER, loan INTEGER, drawdown INTEGER, loan_amount DOUBLE,"
        + " due INTEGER, amount_due DOUBLE, repaid INTEGER, amount_repaid DOUBLE)");
    DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
    // The supplier table's columns are package-private in risk-core; regenerate them here.
    try (DuckDBAppender a = duck.createAppender("main", "suppliers")) {
      for (int s = 0; s < gen.suppliers; s++) {
        int d = (int) PortfolioGenerator.AS_OF.toEpochDay();
        a.beginRow().append(s).append(s % PortfolioGenerator.ANCHORS).append(s % 15).append(s % 30)
            .append(d - 365 - (int) ((s * 7919L) % 8000))
            .append(s % 5 == 0 ? 0.0 : 100_000 + (s % 1000) * 5000.0).endRow();
      }
    }
    try (DuckDBAppender a = duck.createAppender("main", "invoices")) {
      long id = 0;
      for (InvoiceColumns ch : chunks) {
        for (int i = 0; i < ch.size(); i++) {
          a.beginRow().append("I" + (id++)).append(ch.supplier[i]).append(ch.buyer[i]).append(ch.issueDay[i]).append(ch.dueDay[i]);
          if (ch.paidDay[i] == InvoiceColumns.UNPAID) {
            a.appendNull();
          } else {
            a.append(ch.paidDay[i]);
          }
          a.append(ch.amount[i]).append(ch.returnedAmount[i]).append(ch.deliveredOnTime[i])
              .append(ch.disputed[i]).endRow();
        }
      }
    }
    try (DuckDBAppender a = duck.createAppender("main", "instalments")) {
      for (InstalmentColumns ch : loans) {
        for (int i = 0; i < ch.size(); i++) {
          a.beginRow().append(ch.supplier[i]).append(ch.loan[i]).append(ch.drawdownDay[i])
              .append(ch.loanAmount[i]).append(ch.dueDay[i]).append(ch.amountDue[i]);
          if (ch.repaidDay[i] == InstalmentColumns.UNREPAID) {
            a.appendNull();
          } else {
            a.append(ch.repaidDay[i]);
          }
          a.append(ch.amountRepaid[i]).endRow();
        }
      }
    }
  }

  private static double[] query(Statement st, String sql, int suppliers) throws SQLException {
    int width = StandardFeatures.SCHEMA.size();
    double[] m = new double[suppliers * width];
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        int s = rs.getInt(1);
        for (int j = 0; j < width; j++) {
          double v = rs.getDouble(j + 2);
          m[s * width + j] = rs.wasNull() ? Double.NaN : v;
        }
      }
    }
    return m;
  }

  private static long mismatches(double[] expected, double[] actual) {
    long bad = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double a = actual[i];
      boolean ok = Double.isNaN(e) || Double.isNaN(a)
          ? Double.isNaN(e) && Double.isNaN(a)
          : Math.abs(e - a) <= 1e-9 * Math.max(Math.abs(e), Math.abs(a)) + 1e-12;
      bad += ok ? 0 : 1;
    }
    return bad;
  }

  private static double checksum(double[] m) {
    double sum = 0;
    for (double v : m) {
      sum += Double.isNaN(v) ? 0 : v;
    }
    return sum;
  }

  private static long peakHeapMiB() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }
}

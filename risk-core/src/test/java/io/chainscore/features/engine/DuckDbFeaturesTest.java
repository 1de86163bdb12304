package io.chainscore.features.engine;

import io.chainscore.features.StandardFeatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.trade.Anchor;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Supplier;
import io.chainscore.trade.TradeBook;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Computes every standard feature with SQL in DuckDB (in-memory) from CSV files of the same
 * generated portfolio and compares each supplier and feature with the engine, 1e-9 relative.
 */
class DuckDbFeaturesTest {
  private static final LocalDate D = RandomPortfolio.AS_OF;
  private static final int WIDTH = StandardFeatures.SCHEMA.size();

  @Test
  void finish_matchesDuckDbSql_everySupplierEveryFeature() throws Exception {
    TradeBook book = RandomPortfolio.generate(21, 3000);
    Path dir = Path.of("target", "features-duckdb");
    writeCsv(book, dir);
    double[] sql = duckDb(dir, book.suppliers().size());
    double[] engine = StandardFeatures.computeAll(book, FeatureEngineTest.events(book), D, RandomPortfolio.REGIONS, 2);
    FeatureAssertions.assertMatrixClose("engine vs DuckDB", sql, engine, 1e-9);
    int nan = 0;
    for (double v : sql) {
      nan += Double.isNaN(v) ? 1 : 0;
    }
    assertThat(nan).as("NaN cells compared").isGreaterThan(1000);
  }

  static void writeCsv(TradeBook book, Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Integer> buyers = new HashMap<>();
    for (Anchor a : book.anchors()) {
      buyers.put(a.id(), buyers.size());
    }
    Map<String, Integer> suppliers = new HashMap<>();
    try (PrintWriter w = writer(dir.resolve("suppliers.csv"))) {
      w.println("s,anchor,sector,region,reg,turnover");
      for (Supplier s : book.suppliers()) {
        int index = suppliers.size();
        suppliers.put(s.id(), index);
        w.println(index + "," + buyers.get(s.anchorId()) + "," + s.sector().ordinal() + ","
            + RandomPortfolio.REGIONS.indexOf(s.region()) + "," + s.registrationDate().toEpochDay()
            + "," + s.declaredAnnualTurnover());
      }
    }
    try (PrintWriter w = writer(dir.resolve("invoices.csv"))) {
      w.println("id,s,buyer,issue,due,paid,amount");
      for (Invoice i : book.invoices()) {
        w.println(i.invoiceId() + "," + suppliers.get(i.supplierId()) + "," + buyers.get(i.buyerId()) + ","
            + i.issueDate().toEpochDay() + "," + i.dueDate().toEpochDay() + ","
            + (i.paidDate() == null ? "" : i.paidDate().toEpochDay()) + "," + i.amount());
      }
    }
    io.chainscore.trade.TradeEvents events = FeatureEngineTest.events(book);
    try (PrintWriter w = writer(dir.resolve("credit_notes.csv"))) {
      w.println("inv,s,booked,amount");
      for (io.chainscore.trade.TradeEvents.CreditNote n : events.creditNotes()) {
        w.println(n.invoiceId() + "," + suppliers.get(n.supplierId()) + "," + n.bookingDate().toEpochDay() + ","
            + n.amount());
      }
    }
    try (PrintWriter w = writer(dir.resolve("disputes.csv"))) {
      w.println("inv,s,opened");
      for (io.chainscore.trade.TradeEvents.Dispute d : events.disputes()) {
        w.println(d.invoiceId() + "," + suppliers.get(d.supplierId()) + "," + d.openedDate().toEpochDay());
      }
    }
    try (PrintWriter w = writer(dir.resolve("deliveries.csv"))) {
      w.println("s,promised,actual");
      for (io.chainscore.trade.TradeEvents.Delivery d : events.deliveries()) {
        w.println(suppliers.get(d.supplierId()) + "," + d.promisedDate().toEpochDay() + ","
            + d.actualDate().toEpochDay());
      }
    }
    try (PrintWriter w = writer(dir.resolve("instalments.csv"))) {
      w.println("s,loan,drawdown,loan_amount,due,amount_due,repaid,amount_repaid");
      List<Loan> loans = book.loans();
      for (int l = 0; l < loans.size(); l++) {
        Loan loan = loans.get(l);
        for (Instalment i : loan.instalments()) {
          w.println(suppliers.get(loan.supplierId()) + "," + l + "," + loan.drawdownDate().toEpochDay()
              + "," + loan.amount() + "," + i.dueDate().toEpochDay() + "," + i.amountDue() + ","
              + (i.repaidDate() == null ? "" : i.repaidDate().toEpochDay()) + "," + i.amountRepaid());
        }
      }
    }
  }

  private static PrintWriter writer(Path p) throws IOException {
    return new PrintWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8));
  }

  static double[] duckDb(Path dir, int suppliers) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      String abs = dir.toAbsolutePath().toString().replace("'", "''");
      st.execute("CREATE TABLE suppliers AS SELECT * FROM read_csv('" + abs + "/suppliers.csv', header=true,"
          + " columns={'s':'INTEGER','anchor':'INTEGER','sector':'INTEGER','region':'INTEGER',"
          + "'reg':'INTEGER','turnover':'DOUBLE'})");
      st.execute("CREATE TABLE invoices AS SELECT * FROM read_csv('" + abs + "/invoices.csv', header=true,"
          + " columns={'id':'VARCHAR','s':'INTEGER','buyer':'INTEGER','issue':'INTEGER','due':'INTEGER',"
          + "'paid':'INTEGER','amount':'DOUBLE'})");
      st.execute("CREATE TABLE credit_notes AS SELECT * FROM read_csv('" + abs + "/credit_notes.csv', header=true,"
          + " columns={'inv':'VARCHAR','s':'INTEGER','booked':'INTEGER','amount':'DOUBLE'})");
      st.execute("CREATE TABLE disputes AS SELECT * FROM read_csv('" + abs + "/disputes.csv', header=true,"
          + " columns={'inv':'VARCHAR','s':'INTEGER','opened':'INTEGER'})");
      st.execute("CREATE TABLE deliveries AS SELECT * FROM read_csv('" + abs + "/deliveries.csv', header=true,"
          + " columns={'s':'INTEGER','promised':'INTEGER','actual':'INTEGER'})");
      st.execute("CREATE TABLE instalments AS SELECT * FROM read_csv('" + abs + "/instalments.csv', header=true,"
          + " columns={'s':'INTEGER','loan':'INTEGER','drawdown':'INTEGER','loan_amount':'DOUBLE',"
          + "'due':'INTEGER','amount_due':'DOUBLE','repaid':'INTEGER','amount_repaid':'DOUBLE'})");
      double[] m = new double[suppliers * WIDTH];
      java.util.Arrays.fill(m, -12345.678); // every cell must be overwritten
      int rows = 0;
      try (ResultSet rs = st.executeQuery(featuresSql(D.toEpochDay()))) {
        assertThat(rs.getMetaData().getColumnCount()).isEqualTo(WIDTH + 1);
        for (int j = 0; j < WIDTH; j++) {
          assertThat(rs.getMetaData().getColumnLabel(j + 2))
              .isEqualTo(StandardFeatures.SCHEMA.feature(j).name());
        }
        while (rs.next()) {
          int s = rs.getInt(1);
          for (int j = 0; j < WIDTH; j++) {
            Object v = rs.getObject(j + 2);
            m[s * WIDTH + j] = v == null ? Double.NaN : ((Number) v).doubleValue();
          }
          rows++;
        }
      }
      assertThat(rows).isEqualTo(suppliers);
      return m;
    }
  }

  /**
   * The features of docs/features.md in SQL ({@code standard-features.duckdb.sql}, shared with
   * the benchmarks through risk-core's test jar); {@code d} is the as-of epoch day.
   */
  static String featuresSql(long d) {
    return sqlResource().replace(":asof", "(" + d + ")");
  }

  /** The text of {@code standard-features.duckdb.sql}. */
  static String sqlResource() {
    try (java.io.InputStream in = DuckDbFeaturesTest.class.getResourceAsStream("/io/chainscore/features/standard-features.duckdb.sql")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A portfolio whose money columns are Parquet DECIMAL(18, 2), as a bank's pipeline (Spark,
 * DuckDB, pyarrow) writes money, gives the features and quarantine of the same portfolio with
 * DOUBLE columns, bit for bit: each decimal is read as the double nearest to it, which is the double
 * the generator wrote. DuckDB rewrites the generated files, every DOUBLE column whose values all
 * survive DECIMAL(18, 2) unchanged (checked by DuckDB first), and the test asserts that the
 * invoices' amounts are among them.
 */
class DecimalMoneyTest {
  private static final LocalDate D = LocalDate.of(2025, 6, 30);

  @TempDir Path dir;

  @Test
  void moneyAsDecimals_givesTheFeaturesOfMoneyAsDoubles() throws Exception {
    Path doubles = dir.resolve("doubles");
    Path decimals = dir.resolve("decimals");
    GeneratedPortfolios.write(doubles, GeneratedPortfolios.simulate(300, 13, D), TableWriter.Format.PARQUET);
    Files.createDirectories(decimals);
    List<String> rewritten = new ArrayList<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duckdb.createStatement();
        Stream<Path> files = Files.list(doubles)) {
      for (Path file : files.sorted().toList()) {
        String table = file.getFileName().toString().replace(".parquet", "");
        List<String> replace = new ArrayList<>();
        try (ResultSet columns = st.executeQuery("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('"
            + file + "')) WHERE column_type = 'DOUBLE'")) {
          while (columns.next()) {
            replace.add(columns.getString(1));
          }
        }
        List<String> casts = new ArrayList<>();
        for (String c : replace) {
          try (ResultSet changed = st.executeQuery("SELECT count(*) FROM read_parquet('" + file + "') WHERE "
              + c + " IS DISTINCT FROM CAST(CAST(" + c + " AS DECIMAL(18, 2)) AS DOUBLE)")) {
            changed.next();
            if (changed.getLong(1) == 0) {
              casts.add("CAST(" + c + " AS DECIMAL(18, 2)) AS " + c);
              rewritten.add(table + "." + c);
            }
          }
        }
        String select = casts.isEmpty() ? "*" : "* REPLACE (" + String.join(", ", casts) + ")";
        st.execute("COPY (SELECT " + select + " FROM read_parquet('" + file + "')) TO '"
            + decimals.resolve(file.getFileName()) + "' (FORMAT parquet, ROW_GROUP_SIZE 8192)");
      }
    }
    assertThat(rewritten).contains("invoices.amount", "invoices.paid_amount");
    for (int threads : new int[] {1, 2}) {
      PortfolioFeatures.Options options = new PortfolioFeatures.Options(D, threads, true,
          PortfolioFeatures.DEFAULT_REGIONS);
      List<String> badFromDoubles = new ArrayList<>();
      List<String> badFromDecimals = new ArrayList<>();
      PortfolioFeatures.Result a = PortfolioFeatures.compute(doubles, options, r -> badFromDoubles.add(line(r)));
      PortfolioFeatures.Result b = PortfolioFeatures.compute(decimals, options, r -> badFromDecimals.add(line(r)));
      assertThat(a.invoices()).isPositive();
      assertThat(b.supplierIds()).isEqualTo(a.supplierIds());
      assertThat(b.invoices()).isEqualTo(a.invoices());
      assertThat(b.matrix()).as("%d threads, rewritten %s", threads, rewritten).isEqualTo(a.matrix());
      assertThat(badFromDecimals).isEqualTo(badFromDoubles);
    }
  }

  private static String line(BadRecord r) {
    return r.table() + "|" + r.row() + "|" + r.recordId() + "|" + r.field() + "|" + r.reason();
  }
}

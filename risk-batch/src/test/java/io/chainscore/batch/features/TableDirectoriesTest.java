package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.batch.io.GeneratedPortfolios;
import io.chainscore.batch.io.TableReader;
import io.chainscore.batch.io.TableWriter;
import io.chainscore.tables.InputFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table stored as a directory of Parquet part files ({@code invoices.parquet/part-....parquet},
 * as Spark, Hive, pyarrow and DuckDB write a table, and as {@code chainscore}'s Spark job reads it)
 * gives the features and quarantine of the same rows in one file, the parts concatenated in name
 * order: a refused row is named by its part file and its row in that part. DuckDB deals the generated invoices
 * and deliveries into parts of unequal sizes, with bad rows in the later parts (an unknown
 * supplier, and an invoice id repeated from the first part), beside the writers' bookkeeping files.
 */
class TableDirectoriesTest {
  private static final LocalDate D = LocalDate.of(2025, 6, 30);

  @TempDir Path dir;

  /** A portfolio of {@code suppliers} simulated with {@code seed}, as Parquet files in {@code dir/generated}. */
  private Path generated(int suppliers, long seed) throws Exception {
    Path generated = dir.resolve("generated");
    GeneratedPortfolios.write(generated, GeneratedPortfolios.simulate(suppliers, seed, D), TableWriter.Format.PARQUET);
    return generated;
  }

  @Test
  void partFiles_readAsTheirConcatenation_refusedRowsNamedByPartAndRowThere() throws Exception {
    Path generated = generated(300, 17);
    Path split = Files.createDirectories(dir.resolve("split"));
    Path joined = Files.createDirectories(dir.resolve("joined"));
    // per table cut into parts, the rows before each part (file name -> rows)
    java.util.Map<String, Long> rowsBefore = new java.util.HashMap<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duckdb.createStatement()) {
      for (String table : new String[] {"anchors", "suppliers", "loans", "instalments", "credit_notes", "disputes",
          "invoices", "deliveries"}) {
        Path source = generated.resolve(table + ".parquet");
        if (!table.equals("invoices") && !table.equals("deliveries")) {
          Files.copy(source, split.resolve(table + ".parquet"), StandardCopyOption.REPLACE_EXISTING);
          Files.copy(source, joined.resolve(table + ".parquet"), StandardCopyOption.REPLACE_EXISTING);
          continue;
        }
        // the rows with their numbers, two of them made bad for the invoices
        String rows = "SELECT * REPLACE (" + (table.equals("invoices")
            ? "CASE WHEN r = 40001 THEN 'S-NOPE' ELSE supplier_id END AS supplier_id, "
                + "CASE WHEN r = 55555 THEN (SELECT invoice_id FROM read_parquet('" + source + "') LIMIT 1) "
                + "ELSE invoice_id END AS invoice_id"
            : "supplier_id AS supplier_id") + ") FROM (SELECT *, file_row_number + 1 AS r FROM read_parquet('"
            + source + "', file_row_number = true))";
        st.execute("CREATE OR REPLACE TABLE t AS " + rows);
        long count;
        try (var rs = st.executeQuery("SELECT count(*) FROM t")) {
          rs.next();
          count = rs.getLong(1);
        }
        assertThat(count).isGreaterThan(table.equals("invoices") ? 55_555 : 1_000);
        Path parts = Files.createDirectories(split.resolve(table + ".parquet"));
        long[] cuts = {0, count / 7, count / 2, count / 2 + 1, count};   // unequal parts, one of a single row
        for (int k = 0; k + 1 < cuts.length; k++) {
          rowsBefore.put(table + ".parquet/" + String.format("part-%05d-c0ffee.snappy.parquet", k), cuts[k]);
          st.execute("COPY (SELECT * EXCLUDE (r) FROM t WHERE r > " + cuts[k] + " AND r <= " + cuts[k + 1]
              + " ORDER BY r) TO '" + parts.resolve(String.format("part-%05d-c0ffee.snappy.parquet", k))
              + "' (FORMAT parquet, ROW_GROUP_SIZE 4096)");
        }
        Files.writeString(parts.resolve("_SUCCESS"), "");
        Files.writeString(parts.resolve(".part-00000-c0ffee.snappy.parquet.crc"), "not a part");
        st.execute("COPY (SELECT * EXCLUDE (r) FROM t ORDER BY r) TO '" + joined.resolve(table + ".parquet")
            + "' (FORMAT parquet, ROW_GROUP_SIZE 4096)");
      }
    }
    assertThat(TableReader.files(split.resolve("invoices.parquet"))).hasSize(4)
        .allMatch(p -> p.getFileName().toString().startsWith("part-0000"));
    assertThat(PortfolioFeatures.tables(split)).contains(split.resolve("invoices.parquet")
        .resolve("part-00003-c0ffee.snappy.parquet")).doesNotContain(split.resolve("invoices.parquet"));
    assertThat(TableReader.rowCountHint(split.resolve("invoices.parquet")))
        .isEqualTo(TableReader.rowCountHint(joined.resolve("invoices.parquet")));
    // the rows refused, each at its row in its part: at the same row of the one file once the rows
    // of the parts before it are added, the bad rows of the later parts included
    java.util.function.ToLongFunction<io.chainscore.features.engine.BadRecord> inJoined = r -> r.row()
        + rowsBefore.getOrDefault(split.relativize(Path.of(r.file())).toString(), 0L);
    assertThat(ForeignColumnTypesTest.assertSameFeatures(joined, split, D, null, inJoined))
        .anyMatch(l -> l.startsWith("invoice|40001|")).anyMatch(l -> l.startsWith("invoice|55555|"));
    List<io.chainscore.features.engine.BadRecord> refused = new java.util.ArrayList<>();
    PortfolioFeatures.compute(split, new PortfolioFeatures.Options(D, 1, true, PortfolioFeatures.DEFAULT_REGIONS),
        refused::add);
    String lastPart = "invoices.parquet/part-00003-c0ffee.snappy.parquet";
    long before = rowsBefore.get(lastPart);
    assertThat(refused).filteredOn(r -> r.table().equals("invoice"))
        .extracting(r -> split.relativize(Path.of(r.file())) + "|" + r.row() + "|" + r.field())
        .containsExactly(lastPart + "|" + (40001 - before) + "|supplier_id", lastPart + "|" + (55555 - before)
            + "|invoice_id");
  }

  /**
   * A Hive-style partitioned table, as Spark's partitionBy and DuckDB's PARTITION_BY write it
   * (invoices.parquet/issue_year=2023/..., the partition column left out of the files): read
   * partition by partition in path order, as the one file of the same rows in that order.
   */
  @Test
  void hivePartitions_readInPathOrder() throws Exception {
    Path generated = generated(200, 23);
    Path partitioned = Files.createDirectories(dir.resolve("partitioned"));
    Path joined = Files.createDirectories(dir.resolve("joined"));
    try (Stream<Path> files = Files.list(generated)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("invoices.parquet")) {
          Files.copy(f, partitioned.resolve(f.getFileName()));
          Files.copy(f, joined.resolve(f.getFileName()));
        }
      }
    }
    Path source = generated.resolve("invoices.parquet");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duckdb.createStatement()) {
      st.execute("COPY (SELECT *, year(issue_date) AS issue_year FROM read_parquet('" + source + "')) TO '"
          + partitioned.resolve("invoices.parquet") + "' (FORMAT parquet, PARTITION_BY (issue_year))");
      // the partitions' files in path order (issue_year=2022 < 2023 < ...), each in its own row order
      // (DuckDB's partitioned write does not keep the input's order within a partition)
      st.execute("COPY (SELECT * EXCLUDE (filename, file_row_number, issue_year) FROM read_parquet('"
          + partitioned.resolve("invoices.parquet") + "/*/*.parquet', filename = true, file_row_number = true,"
          + " hive_partitioning = true) ORDER BY filename, file_row_number) TO '" + joined.resolve("invoices.parquet")
          + "' (FORMAT parquet)");
    }
    List<Path> parts = TableReader.files(partitioned.resolve("invoices.parquet"));
    assertThat(parts).hasSizeGreaterThan(1)
        .allMatch(p -> p.getParent().getFileName().toString().startsWith("issue_year="));
    ForeignColumnTypesTest.assertSameFeatures(joined, partitioned, D);
  }

  @Test
  void aTableDirectoryWithoutPartsOrWithOtherFiles_isOneLineNamingIt() throws Exception {
    Path generated = generated(20, 3);
    Path invoices = generated.resolve("invoices.parquet");
    Path moved = dir.resolve("part-00000.parquet");
    Files.move(invoices, moved);
    Files.createDirectories(invoices);
    Files.writeString(invoices.resolve("_SUCCESS"), "");
    PortfolioFeatures.Options options = new PortfolioFeatures.Options(D, 1, true, PortfolioFeatures.DEFAULT_REGIONS);
    assertThatThrownBy(() -> PortfolioFeatures.compute(generated, options, r -> { }))
        .isInstanceOf(InputFormatException.class)
        .hasMessage(invoices + ": is a table directory without .parquet part files");
    Files.copy(moved, invoices.resolve("part-00000.parquet"));
    Files.writeString(invoices.resolve("notes.txt"), "");
    assertThatThrownBy(() -> PortfolioFeatures.compute(generated, options, r -> { }))
        .isInstanceOf(InputFormatException.class)
        .hasMessage(invoices.resolve("notes.txt") + ": is not a Parquet part file; a table directory (invoices.parquet)"
            + " holds the table's .parquet parts, partitions and names starting with _ or . only");
    Files.delete(invoices.resolve("notes.txt"));
    Files.createDirectories(invoices.resolve("archive"));
    assertThatThrownBy(() -> PortfolioFeatures.compute(generated, options, r -> { }))
        .isInstanceOf(InputFormatException.class)
        .hasMessage(invoices.resolve("archive") + ": is not a partition (name=value) of the table directory"
            + " invoices.parquet, which holds the table's .parquet parts, partitions and names starting with _ or . only");
    Files.delete(invoices.resolve("archive"));
    assertThat(PortfolioFeatures.compute(generated, options, r -> { }).supplierIds()).hasSize(20);
  }
}

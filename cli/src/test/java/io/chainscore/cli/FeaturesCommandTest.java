package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.batch.io.TableReader;
import io.chainscore.tables.TableSchema;
import io.chainscore.batch.io.TableWriter;
import io.chainscore.batch.io.TradeTables;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.features.StandardFeatures;
import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.SimulationConfig;
import io.chainscore.sim.SupplierHistory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `chainscore features` on simulated portfolio files, against the feature engine's record-based
 * one-supplier entry point fed from the simulator's own records (no files involved).
 */
class FeaturesCommandTest {
  private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);

  @TempDir Path dir;

  private static int run(StringWriter out, StringWriter err, String... args) {
    return ChainScoreCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void features_fromFiles_equalOneSupplierPathForEveryFormat() throws IOException {
    PortfolioSimulator sim = new PortfolioSimulator(SimulationConfig.builder().suppliers(150).seed(12).build());
    List<SupplierHistory> histories = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      histories.add(sim.supplier(i));
    }
    for (TableWriter.Format format : TableWriter.Format.values()) {
      Path portfolio = Files.createDirectories(dir.resolve("portfolio-" + format.extension()));
      try (TradeTables.Sink sink = TradeTables.writer(portfolio, format, false)) {
        sim.simulate(sink);
        sink.commit();
      }
      Path out = dir.resolve("features-" + format.extension() + ".csv");
      StringWriter o = new StringWriter();
      StringWriter e = new StringWriter();
      int code = run(o, e, "features", "--transactions", portfolio.toString(), "--as-of", AS_OF.toString(),
          "--out", out.toString(), "--threads", "2");
      assertThat(code).as(e.toString()).isZero();
      assertThat(o.toString()).contains("Computed features of 150 suppliers");
      List<double[]> rows = readFeatures(out);
      assertThat(rows).hasSize(150);
      int width = StandardFeatures.SCHEMA.size();
      for (int s = 0; s < 150; s++) {
        SupplierHistory h = histories.get(s);
        double[] expected = StandardFeatures.compute(h.supplier(), h.invoices(), h.loans(), h.events(), AS_OF,
            PortfolioFeatures.DEFAULT_REGIONS);
        for (int j = 0; j < width; j++) {
          double actual = rows.get(s)[j];
          String name = StandardFeatures.SCHEMA.feature(j).name();
          if (Double.isNaN(expected[j])) {
            assertThat(actual).as("supplier %d %s", s, name).isNaN();
          } else {
            assertThat(actual).as("supplier %d %s", s, name)
                .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, Math.abs(expected[j]))));
          }
        }
      }
    }
  }

  @Test
  void score_fromTransactions_equalsFeaturesThenScore() throws IOException {
    Path portfolio = Files.createDirectories(dir.resolve("tx"));
    try (TradeTables.Sink sink = TradeTables.writer(portfolio, TableWriter.Format.ARROW, false)) {
      new PortfolioSimulator(SimulationConfig.builder().suppliers(200).seed(31).build()).simulate(sink);
      sink.commit();
    }
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    assertThat(run(o, e, "score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30",
        "--out", dir.resolve("one/scores.csv").toString(), "--quiet")).as(e.toString()).isZero();
    assertThat(run(o, e, "features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30",
        "--out", dir.resolve("two/features.arrow").toString())).as(e.toString()).isZero();
    assertThat(run(o, e, "score", "--features", dir.resolve("two/features.arrow").toString(), "--as-of", "2025-06-30",
        "--out", dir.resolve("two/scores.csv").toString(), "--quiet")).as(e.toString()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("one/scores.csv"))).isEqualTo(Files.readAllBytes(dir.resolve("two/scores.csv")));
    assertThat(dir.resolve("one/scores.features.arrow")).exists();
    assertThat(run(o, e, "score", "--as-of", "2025-06-30", "--out", dir.resolve("x.csv").toString())).isEqualTo(2);
    assertThat(e.toString()).contains("give either --features (a feature table) or --transactions");
  }

  /**
   * {@code --time-zone}: invoice dates written as instants with an offset (22:30 five hours behind
   * UTC, 03:30 UTC the next day) give, read in that zone, the same feature file as the plain dates,
   * and the zone is in the manifest; read in UTC other features; without a zone the rows are
   * quarantined saying which option reads them (exit 3); an unknown zone, or a zone for a feature
   * table, exits 2 naming the option.
   */
  @Test
  void timeZone_readsInstantsAsTheirDatesThere() throws IOException {
    Path plain = dir.resolve("plain");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    assertThat(run(o, e, "generate", "--suppliers", "60", "--seed", "4", "--out", plain.toString(), "--quiet"))
        .as(e.toString()).isZero();
    Path instants = Files.createDirectories(dir.resolve("instants"));
    try (var files = Files.list(plain)) {
      for (Path f : files.toList()) {
        Files.copy(f, instants.resolve(f.getFileName()));
      }
    }
    List<String> lines = Files.readAllLines(plain.resolve("invoices.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    int issue = header.indexOf("issue_date");
    int due = header.indexOf("due_date");
    List<String> rewritten = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(",", -1);
      fields[issue] += "T22:30:00-05:00";
      fields[due] += " 22:30-05";
      rewritten.add(String.join(",", fields));
    }
    Files.write(instants.resolve("invoices.csv"), rewritten);

    String[] common = {"features", "--as-of", AS_OF.toString(), "--quiet", "--transactions"};
    assertThat(run(o, e, concat(common, plain.toString(), "--out", dir.resolve("plain.csv").toString()))).isZero();
    assertThat(run(o, e, concat(common, instants.toString(), "--out", dir.resolve("zoned.csv").toString(),
        "--time-zone", "Etc/GMT+5"))).as(e.toString()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("zoned.csv"))).isEqualTo(Files.readAllBytes(dir.resolve("plain.csv")));
    assertThat(Files.readString(dir.resolve("zoned.csv.manifest.json"))).contains("\"time_zone\" : \"Etc/GMT+5\"");
    assertThat(Files.readString(dir.resolve("plain.csv.manifest.json"))).doesNotContain("time_zone");
    assertThat(run(o, e, concat(common, instants.toString(), "--out", dir.resolve("utc.csv").toString(),
        "--time-zone", "UTC"))).isZero();
    assertThat(Files.readAllBytes(dir.resolve("utc.csv"))).isNotEqualTo(Files.readAllBytes(dir.resolve("plain.csv")));

    assertThat(run(o, e, concat(common, instants.toString(), "--out", dir.resolve("none.csv").toString()))).isEqualTo(3);
    assertThat(Files.readString(dir.resolve("none.quarantine.csv"))).contains("invoice," + instants.resolve("invoices.csv") + ",1,")
        .contains("T22:30:00-05:00' is a date-time with a time zone").contains("--time-zone");
    StringWriter err = new StringWriter();
    assertThat(run(o, err, concat(common, instants.toString(), "--out", dir.resolve("bad.csv").toString(),
        "--time-zone", "Mars/Base"))).isEqualTo(2);
    assertThat(err.toString()).contains("--time-zone").contains("Mars/Base");
    assertThat(dir.resolve("bad.csv")).doesNotExist();
    StringWriter scoreErr = new StringWriter();
    assertThat(run(o, scoreErr, "score", "--features", dir.resolve("plain.csv").toString(), "--as-of", AS_OF.toString(),
        "--out", dir.resolve("s.csv").toString(), "--time-zone", "UTC")).isEqualTo(2);
    assertThat(scoreErr.toString()).contains("--time-zone reads the dates of --transactions");
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }

  @Test
  void features_badRows_quarantinedWithTableRowAndReason() throws IOException {
    Path portfolio = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(portfolio.resolve("anchors.csv"), "anchor_id,name,sector,annual_revenue\nA01,Phone maker,consumer_electronics,1e10\n");
    Files.writeString(portfolio.resolve("suppliers.csv"), "supplier_id,anchor_id,sector,region,registration_date,declared_turnover\n"
        + "S1,A01,glass,CN-GD,2015-01-01,1000000\n"
        + "S2,A09,glass,CN-GD,2015-01-01,1000000\n");
    Files.writeString(portfolio.resolve("invoices.csv"),
        "invoice_id,supplier_id,buyer_id,issue_date,due_date,amount,delivered_on_time,returned_amount,disputed,paid_date,paid_amount\n"
        + "I1,S1,A01,2025-01-10,2025-03-10,100,true,0,false,2025-03-12,100\n"
        + "I2,S1,A01,2025-01-11,2025-01-01,100,true,0,false,,0\n"
        + "I3,S7,A01,2025-01-11,2025-03-11,100,true,0,false,,0\n"
        + "I4,S1,A01,2025-01-12,2025-03-12,-5,true,0,false,,0\n"
        + "I1,S1,A01,2025-01-13,2025-03-13,50,true,0,false,,0\n"
        + "I6,S1,A01,2025-13-13,2025-03-13,50,true,0,false,,0\n");
    Files.writeString(portfolio.resolve("loans.csv"), "loan_id,supplier_id,drawdown_date,amount\nL1,S1,2025-01-15,1000\n");
    Files.writeString(portfolio.resolve("instalments.csv"),
        "loan_id,supplier_id,instalment_number,due_date,amount_due,repaid_date,amount_repaid\n"
        + "L1,S1,1,2025-03-15,1010,2025-03-20,1010\n"
        + "L9,S1,1,2025-03-15,1010,,0\n");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = run(o, e, "features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30",
        "--out", dir.resolve("f.csv").toString());
    assertThat(code).as(e.toString()).isEqualTo(3);
    List<String> q = Files.readAllLines(dir.resolve("f.quarantine.csv"));
    assertThat(q.get(0)).isEqualTo("table,file,row,record_id,field,reason");
    String invoices = portfolio.resolve("invoices.csv").toString();
    assertThat(String.join("\n", q))
        .contains("supplier," + portfolio.resolve("suppliers.csv") + ",2,S2,anchor_id,'A09' is not a known anchor")
        .contains("invoice," + invoices + ",6,I6,issue_date,")
        .contains("invoice," + invoices + ",3,I3,supplier_id,'S7' is not a known supplier")
        .contains("invoice," + invoices + ",5,I1,invoice_id,is a duplicate")
        .contains("instalment," + portfolio.resolve("instalments.csv") + ",2,L9,loan_id,'L9' is not a known loan")
        .contains("invoice," + invoices + ",2,I2,")
        .contains("invoice," + invoices + ",4,I4,");
    assertThat(Files.readAllLines(dir.resolve("f.csv"))).hasSize(2);
    assertThat(o.toString()).contains("Quarantined 7 rows");
    // the manifest counts the refused rows of every table, as the quarantine's table column does
    com.fasterxml.jackson.databind.JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("f.csv.manifest.json").toFile()).get("rows");
    java.util.Map<String, Long> byTable = new java.util.LinkedHashMap<>();
    rows.fields().forEachRemaining(f -> {
      if (f.getKey().startsWith("quarantined_")) {
        byTable.put(f.getKey().substring("quarantined_".length()), f.getValue().asLong());
      }
    });
    assertThat(byTable).containsOnly(java.util.Map.entry("anchor", 0L), java.util.Map.entry("supplier", 1L),
        java.util.Map.entry("loan", 0L), java.util.Map.entry("credit_note", 0L), java.util.Map.entry("dispute", 0L),
        java.util.Map.entry("invoice", 5L), java.util.Map.entry("instalment", 1L), java.util.Map.entry("delivery", 0L));
    assertThat(q.stream().skip(1).filter(line -> line.startsWith("invoice,")).count()).isEqualTo(5);
    assertThat(rows.get("quarantined").asLong()).isEqualTo(7);
    // and the data rows read of every table, good and bad: the files' lines less their header
    java.util.Map<String, String> files = java.util.Map.of("anchor", "anchors.csv", "supplier", "suppliers.csv",
        "invoice", "invoices.csv", "loan", "loans.csv", "instalment", "instalments.csv");
    for (String table : PortfolioFeatures.QUARANTINE_TABLES) {
      long expected = files.containsKey(table) ? Files.readAllLines(portfolio.resolve(files.get(table))).size() - 1 : 0;
      assertThat(rows.get("read_" + table).asLong(-1)).as(table).isEqualTo(expected);
    }
    assertThat(rows.get("read_invoice").asLong()).isEqualTo(6).isEqualTo(rows.get("invoices").asLong());
  }

  /**
   * The quarantine names the file each refused row was read from (as the portfolio directory was
   * given), its row there and its record id, in CSV, Arrow, Parquet and a Parquet table directory
   * of part files alike: a row the reader refuses for a value after its id is named by that id, a
   * row whose id itself is empty by {@code ?}; a row of a part file by that part and its row in it.
   * The bytes do not depend on --threads.
   */
  @Test
  void features_refusedRows_nameTheirFileRowAndRecordId_inEveryFormat() throws IOException {
    LocalDate farOff = LocalDate.of(2300, 1, 1);
    for (String format : new String[] {"csv", "arrow", "parquet", "parquet-parts"}) {
      Path portfolio = Files.createDirectories(dir.resolve("refused-" + format));
      TableWriter.Format as = TableWriter.Format.parse(format.replace("-parts", ""));
      writeLenient(portfolio, io.chainscore.tables.PortfolioTables.ANCHORS, as,
          new Object[] {"A1", "Anchor", "consumer_electronics", 1e10});
      writeLenient(portfolio, io.chainscore.tables.PortfolioTables.SUPPLIERS, as,
          new Object[] {"S1", "A1", "glass", "CN-GD", LocalDate.of(2015, 1, 1), 1e6},
          new Object[] {"S2", "A1", "glass", "CN-GD", farOff, 1e6});                  // row 2: date out of range
      Object[][] invoices = {
          invoice("I1", "S1", LocalDate.of(2025, 1, 10), 100.0),
          invoice("I2", "S1", LocalDate.of(2025, 1, 11), null),                      // row 2: no amount
          invoice(null, "S1", LocalDate.of(2025, 1, 12), 100.0),                     // row 3: no id
          invoice("I4", "S1", farOff, 100.0),                                        // row 4: date out of range
          invoice("I5", "S7", LocalDate.of(2025, 1, 14), 100.0),                     // row 5: unknown supplier
          invoice("I6", "S1", LocalDate.of(2025, 1, 15), -5.0)};                     // row 6: the engine's rule
      if (format.equals("parquet-parts")) {
        // as Spark writes a table: rows 1-3 in the first part, 4-6 in the second
        Path table = Files.createDirectories(portfolio.resolve("invoices.parquet"));
        writeLenient(table.resolve("part-00000.parquet"), io.chainscore.tables.PortfolioTables.INVOICES,
            java.util.Arrays.copyOfRange(invoices, 0, 3));
        writeLenient(table.resolve("part-00001.parquet"), io.chainscore.tables.PortfolioTables.INVOICES,
            java.util.Arrays.copyOfRange(invoices, 3, 6));
      } else {
        writeLenient(portfolio, io.chainscore.tables.PortfolioTables.INVOICES, as, invoices);
      }
      writeLenient(portfolio, io.chainscore.tables.PortfolioTables.LOANS, as,
          new Object[] {"L1", "S1", LocalDate.of(2025, 1, 15), 1000.0});
      writeLenient(portfolio, io.chainscore.tables.PortfolioTables.INSTALMENTS, as,
          new Object[] {"L1", "S1", 1, LocalDate.of(2025, 3, 15), 505.0, LocalDate.of(2025, 3, 20), 505.0},
          new Object[] {"L1", "S1", 2, LocalDate.of(2025, 4, 15), null, null, 0.0});  // row 2: no amount due

      boolean csv = format.equals("csv");
      String missing = csv ? "is empty; a value is required" : "is null; a value is required";
      String outOfRange = csv ? "'2300-01-01' is not a date in YYYY-MM-DD form between 1900-01-01 and 2199-12-31"
          : "epoch day " + farOff.toEpochDay() + " is outside 1900-01-01 to 2199-12-31";
      String invoiceFile = portfolio.resolve("invoices." + as.extension()).toString();
      String firstPart = invoiceFile;
      String secondPart = invoiceFile;
      int rowOffset = 0;
      if (format.equals("parquet-parts")) {
        firstPart = portfolio.resolve("invoices.parquet").resolve("part-00000.parquet").toString();
        secondPart = portfolio.resolve("invoices.parquet").resolve("part-00001.parquet").toString();
        rowOffset = 3;
      }
      List<String> expected = List.of(
          "table,file,row,record_id,field,reason",
          csvLine("supplier", portfolio.resolve("suppliers." + as.extension()).toString(), "2", "S2", "registration_date",
              outOfRange),
          csvLine("invoice", firstPart, "2", "I2", "amount", missing),
          csvLine("invoice", firstPart, "3", "?", "invoice_id", missing),
          csvLine("invoice", secondPart, String.valueOf(4 - rowOffset), "I4", "issue_date", outOfRange),
          csvLine("invoice", secondPart, String.valueOf(5 - rowOffset), "I5", "supplier_id", "'S7' is not a known supplier"),
          csvLine("invoice", secondPart, String.valueOf(6 - rowOffset), "I6", "amount",
              "-5.0 must be a finite amount in (0, 1.0E13]"),
          csvLine("instalment", portfolio.resolve("instalments." + as.extension()).toString(), "2", "L1", "amount_due",
              missing));
      byte[] first = null;
      for (String threads : new String[] {"1", "2"}) {
        Path out = dir.resolve("refused-" + format + "-" + threads + ".csv");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = run(o, e, "features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30",
            "--out", out.toString(), "--threads", threads, "--quiet");
        assertThat(code).as(format + ": " + e).isEqualTo(3);
        Path quarantine = dir.resolve("refused-" + format + "-" + threads + ".quarantine.csv");
        assertThat(Files.readAllLines(quarantine)).as("%s, %s threads", format, threads)
            .containsExactlyElementsOf(expected);
        if (first == null) {
          first = Files.readAllBytes(quarantine);
        } else {
          assertThat(Files.readAllBytes(quarantine)).as("%s: the same bytes with 1 and 2 threads", format)
              .isEqualTo(first);
        }
      }
    }
  }

  /** An invoice row of the portfolio layout (due 60 days after issue, open); null leaves a value empty. */
  private static Object[] invoice(String id, String supplier, LocalDate issued, Double amount) {
    return new Object[] {id, supplier, "A1", issued, issued.plusDays(60), amount, true, 0.0, false, null, 0.0};
  }

  /** One line of comma CSV, a field holding a comma or quote quoted. */
  private static String csvLine(String... fields) {
    List<String> quoted = new ArrayList<>();
    for (String f : fields) {
      quoted.add(f.contains(",") || f.contains("\"") ? "\"" + f.replace("\"", "\"\"") + "\"" : f);
    }
    return String.join(",", quoted);
  }

  /** Writes {@code rows} as table {@code layout} of {@code portfolio} in {@code format}, every column allowed empty. */
  private static void writeLenient(Path portfolio, TableSchema layout, TableWriter.Format format, Object[]... rows)
      throws IOException {
    writeLenient(portfolio.resolve(layout.name() + "." + format.extension()), layout, rows);
  }

  /** Writes {@code rows} to {@code file} (format by its extension) in the columns of {@code layout}, each allowed empty. */
  private static void writeLenient(Path file, TableSchema layout, Object[]... rows) throws IOException {
    List<TableSchema.Column> columns = new ArrayList<>();
    for (TableSchema.Column c : layout.columns()) {
      columns.add(TableSchema.nullable(c.name(), c.type()));
    }
    TableSchema lenient = new TableSchema(layout.name(), columns);
    try (TableWriter w = io.chainscore.batch.io.Tables.openFile(file, lenient, false)) {
      for (Object[] row : rows) {
        for (int c = 0; c < row.length; c++) {
          Object v = row[c];
          if (v == null) {
            w.setNull(c);
          } else if (v instanceof String text) {
            w.setString(c, text);
          } else if (v instanceof LocalDate day) {
            w.setDate(c, day);
          } else if (v instanceof Integer n) {
            w.setInt(c, n);
          } else if (v instanceof Boolean b) {
            w.setBoolean(c, b);
          } else {
            w.setDouble(c, ((Number) v).doubleValue());
          }
        }
        w.endRow();
      }
      w.commit();
    }
  }

  private static List<double[]> readFeatures(Path file) throws IOException {
    TableSchema schema = PortfolioFeatures.featureTableSchema();
    List<double[]> rows = new ArrayList<>();
    int width = StandardFeatures.SCHEMA.size();
    try (TableReader r = TableReader.open(file, schema, io.chainscore.batch.io.BadRowHandler.STRICT)) {
      ColumnBatch batch = new ColumnBatch(schema, 1000);
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          double[] row = new double[width];
          for (int j = 0; j < width; j++) {
            FeatureSpec f = StandardFeatures.SCHEMA.feature(j);
            if (f.type() == FeatureType.CATEGORICAL) {
              String code = batch.strings(j + 2)[i];
              row[j] = code == null || code.isEmpty() ? Double.NaN : f.categoryIndex(code);
            } else {
              row[j] = batch.doubles(j + 2)[i];
            }
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }
}

package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.portfolio.AssetClass;
import io.chainscore.portfolio.Collateral;
import io.chainscore.portfolio.CreditPortfolioSimulation;
import io.chainscore.portfolio.Exposure;
import io.chainscore.portfolio.IrbRegime;
import io.chainscore.portfolio.MissingPdException;
import io.chainscore.portfolio.ObligorPd;
import io.chainscore.portfolio.PortfolioAnalysis;
import io.chainscore.portfolio.PortfolioFiles;
import io.chainscore.portfolio.PortfolioReport;
import io.chainscore.portfolio.SupplierScore;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import io.chainscore.trade.Sector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The portfolio inputs in every table format, through the one table reader. */
class PortfolioInputsTest {
  private static final String HEADER = "supplier_id,anchor_id,sector,drawn,undrawn,ccf,anchor_sales_share,lgd,collateral\n";

  @TempDir Path dir;

  private Path csv(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name + ".csv"), text, StandardCharsets.UTF_8);
  }

  /**
   * Writes {@code rows} (cells as CSV would hold them: empty = null) in {@code format} with the
   * column types of {@code schema}, through the table writers {@code generate} uses.
   */
  private Path write(Path folder, TableSchema schema, TableWriter.Format format, List<String[]> rows) throws IOException {
    Files.createDirectories(folder);
    try (TableWriter w = Tables.open(folder, schema, format, true)) {
      for (String[] row : rows) {
        for (int c = 0; c < schema.columns().size(); c++) {
          if (c >= row.length) {
            w.setNull(c);  // an optional column the rows leave out
          } else if (row[c].isEmpty() && schema.columns().get(c).nullable()) {
            w.setNull(c);
          } else if (schema.columns().get(c).type() == ColumnType.DOUBLE) {
            w.setDouble(c, Double.parseDouble(row[c]));
          } else if (schema.columns().get(c).type() == ColumnType.BOOLEAN) {
            w.setBoolean(c, Boolean.parseBoolean(row[c]));
          } else {
            w.setString(c, row[c]);
          }
        }
        w.endRow();
      }
      w.commit();
    }
    return folder.resolve(schema.name() + "." + format.extension());
  }

  @Test
  void csv_optionalColumnsLeftOutOrEmpty_takeTheirDefaults() throws IOException {
    Path f = csv("x", HEADER
        + "S1,A1,Metal Parts,1000,500,0.5,0.7,,receivables\n"
        + "\"S,2\",A2,glass,2000,,,0,0.3,\n");
    List<Exposure> e = PortfolioInputs.readExposures(f);
    assertThat(e).hasSize(2);
    assertThat(e.get(0).sector()).isEqualTo(Sector.METAL_PARTS);
    assertThat(e.get(0).ead()).isEqualTo(1000 + 0.5 * 500);
    assertThat(e.get(0).lgd()).isNaN();
    assertThat(e.get(0).lgd(IrbRegime.BASEL_III)).isEqualTo(0.20);
    assertThat(e.get(0).assetClass()).isEqualTo(AssetClass.CORPORATE);  // column left out
    assertThat(e.get(1).supplierId()).isEqualTo("S,2");
    assertThat(e.get(1).collateral()).isEqualTo(Collateral.UNSECURED);  // empty
    assertThat(e.get(1).maturityYears()).isNaN();
    assertThat(e.get(1).ead()).isEqualTo(2000.0);
  }

  /**
   * One exposure and one score per supplier: a supplier listed twice is refused naming both rows
   * ({@code score --exposures} kept the last row's EAD for the summary without a word, while
   * {@code portfolio} refused the table without naming a row).
   */
  @Test
  void aSupplierListedTwice_isRefusedNamingBothRows() throws IOException {
    Path e = csv("e", HEADER + "S1,A1,glass,1000,0,,0.5,,\nS2,A1,glass,1000,0,,0.5,,\nS1,A1,glass,50,0,,0.5,,\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(e))
        .isInstanceOf(InputFormatException.class)
        .hasMessage(e + ", row 3, column supplier_id: 'S1' is also in row 1; expected one exposure per supplier"
            + " (aggregate its facilities)");
    Path s = csv("s", "supplier_id,pd\nS1,0.01\nS2,0.02\nS2,0.03\n");
    assertThatThrownBy(() -> PortfolioInputs.readScores(s))
        .isInstanceOf(InputFormatException.class)
        .hasMessage(s + ", row 3, column supplier_id: 'S2' is also in row 2; expected one score per supplier");
  }

  /** The first exposure {@link ObligorPd} finds without its PD, as the engines report it. */
  private static MissingPdException missing(List<Exposure> book, Map<String, SupplierScore> scores,
      Map<String, Double> anchorPds) {
    for (int i = 0; i < book.size(); i++) {
      try {
        ObligorPd.of(i, book.get(i), scores, anchorPds);
      } catch (MissingPdException e) {
        return e;
      }
    }
    throw new AssertionError("every exposure has its PD");
  }

  /**
   * An exposure without the PD it needs is named by file, row and column, with the file it is
   * missing from; the row is the one the reader numbers (a blank line is not a row).
   */
  @Test
  void missingPd_namesTheExposureRowAndTheFileItsPdIsMissingFrom() throws IOException {
    String header = "supplier_id,anchor_id,sector,drawn,anchor_sales_share,product\n";
    Path e = csv("e", header + "S1,A1,glass,1000,0.5,term_loan\nS2,A2,glass,1000,0.5,payables_finance\n\n"
        + "S3,A1,glass,1000,0.5,\n");
    List<Exposure> book = PortfolioInputs.readExposures(e);
    Path scores = dir.resolve("scores.csv");
    Path anchors = dir.resolve("anchor_pds.csv");
    SupplierScore s1 = new SupplierScore("S1", 0.01, "");
    SupplierScore s3 = new SupplierScore("S3", 0.01, "");

    InputFormatException unscored = PortfolioInputs.missingPd(e, missing(book, Map.of("S1", s1), Map.of("A2", 0.01)),
        scores, anchors);
    assertThat(unscored).hasMessage(e + ", row 3, column supplier_id: supplier S3 has no score in " + scores)
        .hasCauseInstanceOf(MissingPdException.class);
    assertThat(unscored.row()).isEqualTo(3);
    assertThat(unscored.column()).isEqualTo("supplier_id");
    // the reader's own numbering of that row, for comparison
    Path bad = csv("bad", header + "S1,A1,glass,1000,0.5,term_loan\nS2,A2,glass,1000,0.5,payables_finance\n\n"
        + "S3,A1,glass,1000,0.5,leasing\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(bad)).hasMessageStartingWith(bad + ", row 3, column product");

    Map<String, SupplierScore> scored = Map.of("S1", s1, "S3", s3);
    assertThat(PortfolioInputs.missingPd(e, missing(book, scored, Map.of("A1", 0.01)), scores, anchors))
        .hasMessage(e + ", row 2, column anchor_id: supplier S2's payables_finance is owed by its anchor A2, which has"
            + " no PD in " + anchors);
    assertThat(PortfolioInputs.missingPd(e, missing(book, scored, Map.of()), scores, null))
        .hasMessage(e + ", row 2, column anchor_id: supplier S2's payables_finance is owed by its anchor A2, which has"
            + " no PD (give the anchor PDs with --anchor-pds)");
  }

  @Test
  void csv_errorsNameFileRowAndColumn() throws IOException {
    Path f = csv("x", HEADER + "S1,A1,glass,1000,500,,0.7,,\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(f))
        .isInstanceOf(InputFormatException.class)
        .hasMessage(f + ", row 1, column ccf: is required when undrawn > 0");
    Path g = csv("g", HEADER + "S1,A1,glass,1000,0,,0.7,,\nS2,A1,glass,abc,0,,0.7,,\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(g))
        .hasMessage(g + ", row 2, column drawn: 'abc' is not a number; expected a decimal such as -12.5 or 3e-4");
    Path h = csv("h", HEADER + "S1,A1,glass,1000,0,,1.7,,\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(h + ", row 1, column anchor_sales_share: must be in [0, 1]");
    // a maturity of 1e9 years ran ecl out of memory (its lifetime walks the years): at most 100
    Path m = csv("m", "supplier_id,anchor_id,sector,drawn,anchor_sales_share,maturity_years\nS1,A1,glass,1000,0.5,1\n"
        + "S2,A1,glass,1000,0.5,1e9\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(m))
        .hasMessage(m + ", row 2, column maturity_years: must be above 0 and at most 100 years (empty: none"
            + " given), got 1.0E9");
    // a score table without pd: the optional columns are said to be optional (grade, model_id and
    // model_version were listed as if each were needed)
    Path noPd = csv("nopd", "supplier_id,grade\nS1,3\n");
    assertThatThrownBy(() -> PortfolioInputs.readScores(noPd))
        .hasMessage(noPd + ", column pd: missing from the header; expected columns supplier_id, pd (optional:"
            + " grade, model_id, model_version)");
    Path i = csv("i", "supplier_id,drawn\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(i))
        .hasMessageContaining(i + ", column anchor_id: missing from the header");
    Path j = csv("j", HEADER + "S1,A1,glass,1000,0,,0.5,,gold\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(j))
        .hasMessage(j + ", row 1, column collateral: expected unsecured or receivables, got 'gold'");
    Path k = csv("k", "supplier_id,anchor_id,sector,drawn,anchor_sales_share,asset_class\nS1,A1,glass,1,0.5,car\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(k))
        .hasMessage(k + ", row 1, column asset_class: expected corporate, other_retail, residential_mortgage or qrre,"
            + " got 'car'");
  }

  /**
   * A value the record's own check refuses (Exposure, SupplierScore: a negative amount, NaN,
   * Infinity, a PD outside [0, 1]) is named as every reader names a fault, FILE, row N, column C:
   * until 2026-12-08 the field came in words after the row ("row 2: exposure S2: drawn must be
   * ..."), which no column-based tool or reader of the message could pick out.
   */
  @Test
  void recordChecks_nameTheColumnAsTheReadersDo() throws IOException {
    String[][] cases = {
        {"S1,A1,glass,-5,0,,0.7,,", "drawn", "must be a finite amount >= 0, got -5.0"},
        {"S1,A1,glass,NaN,0,,0.7,,", "drawn", "must be a finite amount >= 0, got NaN"},
        {"S1,A1,glass,Infinity,0,,0.7,,", "drawn", "must be a finite amount >= 0, got Infinity"},
        {"S1,A1,glass,1000,-1,0.5,0.7,,", "undrawn", "must be a finite amount >= 0, got -1.0"},
        {"S1,A1,glass,1000,0,,0.7,1.5,", "lgd", "must be in [0, 1] (empty: the regime's supervisory value), got 1.5"}};
    for (String[] c : cases) {
      Path f = csv("rec", HEADER + "S0,A1,glass,1,0,,0.5,,\n" + c[0] + "\n");
      assertThatThrownBy(() -> PortfolioInputs.readExposures(f))
          .as(c[0])
          .isInstanceOf(InputFormatException.class)
          .hasMessage(f + ", row 2, column " + c[1] + ": " + c[2])
          .satisfies(e -> assertThat(((InputFormatException) e).recordId()).isEqualTo("S1"));
    }
    Path s = csv("pd", "supplier_id,pd\nS1,0.1\nS2,-0.1\n");
    assertThatThrownBy(() -> PortfolioInputs.readScores(s))
        .isInstanceOf(InputFormatException.class)
        .hasMessage(s + ", row 2, column pd: must be in [0, 1], got -0.1");
  }

  @Test
  void csv_hexOrPaddedNumbersAndNul_areRefusedNamingFileRowAndColumn() throws IOException {
    // Double.parseDouble reads both as numbers (8.0 and 5.0); the shared strict reader does not.
    Path f = csv("f", HEADER + "S1,A1,glass,0x1p3,0,,0.7,,\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(f))
        .hasMessage(f + ", row 1, column drawn: '0x1p3' is not a number; expected a decimal such as -12.5 or 3e-4");
    Path g = csv("g", HEADER + "S1,A1,glass,1000,0,,\" 0.5 \",,\n");
    assertThatThrownBy(() -> PortfolioInputs.readExposures(g))
        .hasMessage(g + ", row 1, column anchor_sales_share: ' 0.5 ' is not a number; expected a decimal such as"
            + " -12.5 or 3e-4");
    Path s = csv("s", "supplier_id,pd\nS1\u0000x,0.1\n");
    assertThatThrownBy(() -> PortfolioInputs.readScores(s))
        .hasMessage(s + ", row 1, column supplier_id: 'S1\\u0000x' holds a NUL character; expected text without"
            + " control bytes");
  }

  @Test
  void scoresAndAnchorPds_readAndChecked() throws IOException {
    Path s = csv("s", "supplier_id,pd\nS1,0.01\n\nS2,0.2\n");
    assertThat(PortfolioInputs.readScores(s))
        .containsExactly(new SupplierScore("S1", 0.01, ""), new SupplierScore("S2", 0.2, ""));
    // a header alone, as the other readers refuse it (until 2026-12-08 read as no scores, which
    // portfolio and ecl refused at the first exposure: "supplier S1 has no score in FILE")
    Path headerOnly = csv("header", "supplier_id,pd,grade\n");
    assertThatThrownBy(() -> PortfolioInputs.readScores(headerOnly)).hasMessage(headerOnly + ": no data rows;"
        + " expected one row per scored supplier after the header (a score run's table)");
    Path bad = csv("bad", "supplier_id,pd\nS1,2\n");
    assertThatThrownBy(() -> PortfolioInputs.readScores(bad))
        .hasMessage(bad + ", row 1, column pd: must be in [0, 1], got 2.0");
    Path anchors = csv("anchors", "anchor_id,pd\nA1,0.004\nA2,0.02\n");
    assertThat(PortfolioInputs.readAnchorPds(anchors)).containsExactly(Map.entry("A1", 0.004), Map.entry("A2", 0.02));
    Path twice = csv("twice", "anchor_id,pd\nA1,0.004\nA1,0.02\n");
    assertThatThrownBy(() -> PortfolioInputs.readAnchorPds(twice))
        .hasMessage(twice + ", row 2, column anchor_id: 'A1' is also in row 1; expected one PD per anchor");
    Path range = csv("range", "anchor_id,pd\nA1,1.5\n");
    assertThatThrownBy(() -> PortfolioInputs.readAnchorPds(range))
        .hasMessage(range + ", row 1, column pd: must be in [0, 1], got 1.5");
  }

  /** One hand-made book, with empty cells and an optional column absent from the scores. */
  private static final List<String[]> BOOK = List.of(
      new String[] {"S1", "A1", "textiles", "corporate", "120000", "30000", "0.4", "", "receivables", "0.5", "8.5", "0.85"},
      new String[] {"S2", "A1", "metal_parts", "corporate", "450000", "0", "", "0.45", "unsecured", "1", "32", "0.4"},
      new String[] {"S3", "A2", "glass", "other_retail", "50000", "10000", "1", "0.6", "", "", "", "0.2"});

  @Test
  void sameBook_inCsvArrowAndParquet_readsToEqualRecords() throws IOException {
    List<List<Exposure>> exposures = new ArrayList<>();
    List<List<SupplierScore>> scores = new ArrayList<>();
    List<Map<String, Double>> anchorPds = new ArrayList<>();
    for (TableWriter.Format format : TableWriter.Format.values()) {
      Path folder = dir.resolve(format.extension());
      exposures.add(PortfolioInputs.readExposures(write(folder, PortfolioTables.EXPOSURES, format, BOOK)));
      scores.add(PortfolioInputs.readScores(write(folder, PortfolioTables.PORTFOLIO_SCORES, format, List.of(
          new String[] {"S1", "0.018", "B2"}, new String[] {"S2", "0.004", ""}, new String[] {"S3", "0.1", "C"}))));
      anchorPds.add(PortfolioInputs.readAnchorPds(write(folder, PortfolioTables.ANCHOR_PDS, format, List.of(
          new String[] {"A1", "0.004"}, new String[] {"A2", "0.012"}))));
    }
    // Hand check of the CSV reading: EAD = drawn + ccf x undrawn.
    assertThat(exposures.get(0)).extracting(Exposure::ead).containsExactly(132_000.0, 450_000.0, 60_000.0);
    assertThat(exposures.get(0).get(2).collateral()).isEqualTo(Collateral.UNSECURED);
    assertThat(exposures.get(0).get(2).maturityYears()).isNaN();
    assertThat(scores.get(0).get(1)).isEqualTo(new SupplierScore("S2", 0.004, ""));
    assertThat(exposures).allSatisfy(e -> assertThat(e).isEqualTo(exposures.get(0)));
    assertThat(scores).allSatisfy(s -> assertThat(s).isEqualTo(scores.get(0)));
    assertThat(anchorPds).allSatisfy(a -> assertThat(a).containsExactlyEntriesOf(anchorPds.get(0)));
  }

  @Test
  void arrowAndParquet_optionalColumnsLeftOut_takeTheirDefaults() throws IOException {
    TableSchema narrow = new TableSchema("exposures", List.of(
        TableSchema.required("supplier_id", ColumnType.STRING),
        TableSchema.required("anchor_id", ColumnType.STRING),
        TableSchema.required("sector", ColumnType.STRING),
        TableSchema.required("drawn", ColumnType.DOUBLE),
        TableSchema.required("anchor_sales_share", ColumnType.DOUBLE)));
    for (TableWriter.Format format : TableWriter.Format.values()) {
      Path f = write(dir.resolve("narrow-" + format.extension()), narrow, format,
          List.<String[]>of(new String[] {"S1", "A1", "glass", "1000", "0.5"}));
      Exposure e = PortfolioInputs.readExposures(f).get(0);
      assertThat(e.ead()).as(format.toString()).isEqualTo(1000.0);
      assertThat(e.assetClass()).isEqualTo(AssetClass.CORPORATE);
      assertThat(e.collateral()).isEqualTo(Collateral.UNSECURED);
      assertThat(e.lgd()).isNaN();
    }
  }

  /**
   * A PD held as flags is refused before any row is read, naming file and column; held as text (as
   * Spark writes a CSV read without its types), each value is read as a CSV's field: 0.1 as 0.1.
   */
  @Test
  void arrowAndParquet_mistypedColumn_isRefusedNamingFileAndColumn_andTextIsReadAsACsvField() throws IOException {
    List<TableSchema.Column> columns = new ArrayList<>(PortfolioTables.PORTFOLIO_SCORES.columns());
    columns.set(1, TableSchema.required("pd", ColumnType.BOOLEAN));
    TableSchema flagPd = new TableSchema("scores", columns);
    columns.set(1, TableSchema.required("pd", ColumnType.STRING));
    TableSchema textPd = new TableSchema("scores", columns);
    for (TableWriter.Format format : new TableWriter.Format[] {TableWriter.Format.ARROW, TableWriter.Format.PARQUET}) {
      Path flags = write(dir.resolve("flags-" + format.extension()), flagPd, format,
          List.<String[]>of(new String[] {"S1", "true", "B"}));
      assertThatThrownBy(() -> PortfolioInputs.readScores(flags))
          .isInstanceOf(InputFormatException.class)
          .hasMessage(flags + ", column pd: has Arrow type Bool; expected a floating-point, integer or decimal type"
              + " (or Utf8 holding numbers)");
      Path text = write(dir.resolve("text-" + format.extension()), textPd, format,
          List.<String[]>of(new String[] {"S1", "0.1", "B"}));
      assertThat(PortfolioInputs.readScores(text)).singleElement().extracting(s -> s.pd()).as(format.toString())
          .isEqualTo(0.1);
    }
  }

  @Test
  void corruptArrowAndParquet_areRefusedNamingTheFile() throws IOException {
    Path arrow = write(dir.resolve("corrupt"), PortfolioTables.ANCHOR_PDS, TableWriter.Format.ARROW,
        List.<String[]>of(new String[] {"A1", "0.004"}));
    byte[] bytes = Files.readAllBytes(arrow);
    Files.write(arrow, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> PortfolioInputs.readAnchorPds(arrow))
        .isInstanceOf(InputFormatException.class)
        .hasMessageStartingWith(arrow + ": is not a readable Arrow IPC file or stream");
    Path parquet = Files.write(dir.resolve("corrupt.parquet"), "PAR1 not really parquet".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> PortfolioInputs.readScores(parquet))
        .isInstanceOf(InputFormatException.class)
        .hasMessageStartingWith(parquet + ": is not a readable Parquet file");
  }

  @Test
  void documentedExamples_runEndToEnd() throws Exception {
    Path examples = Path.of("..", "docs", "examples");
    List<Exposure> exposures = PortfolioInputs.readExposures(examples.resolve("portfolio-exposures.csv"));
    List<SupplierScore> scores = PortfolioInputs.readScores(examples.resolve("portfolio-scores.csv"));
    PortfolioReport report = PortfolioAnalysis.builder().exposures(exposures).scores(scores)
        .regime(IrbRegime.parse("basel3"))
        .simulation(CreditPortfolioSimulation.builder().simulations(1000).anchorPd("A1", 0.004))
        .build().report(PortfolioFiles.readScenario(examples.resolve("portfolio-scenario.json")));
    // Hand check of one figure: S0001 EAD = 120,000 + 0.4 x 30,000; it runs off in half a year, so its
    // EL carries the half-year PD 1 - (1 - 1.8%)^0.5 (S0002, one year, the 12-month PD).
    assertThat(exposures.get(0).ead()).isEqualTo(132_000.0);
    assertThat(report.byAnchor().stream().filter(b -> b.key().equals("A1")).findFirst().orElseThrow()
        .totals().expectedLoss()).isCloseTo((1 - Math.sqrt(0.982)) * 0.20 * 132_000 + 0.004 * 0.45 * 450_000, within(1e-6));
  }

  /**
   * A supplier the Spark job did not score is explained from the job's own quarantines, as a
   * single-machine run's is from its CSV files: the feature row its model refused ({@code
   * SCORES.quarantine/}, Parquet parts of supplier_id, quarantine_column, quarantine_reason) and its
   * supplier row refused before the features ({@code SCORES.quarantine-transactions/}). Until
   * 2026-12-07 {@code ecl} and {@code portfolio} named such a supplier with no reason: the
   * directories' names do not end in {@code .parquet}, and only files were looked at.
   */
  @Test
  void whyNotScored_readsTheSparkJobsQuarantineDirectories() throws IOException {
    Path scores = Files.createDirectories(dir.resolve("s.parquet"));
    Path refused = Files.createDirectories(dir.resolve("s.parquet.quarantine"));
    TableSchema scoreQuarantine = new TableSchema("quarantine", List.of(TableSchema.required("supplier_id", ColumnType.STRING),
        TableSchema.nullable("quarantine_column", ColumnType.STRING),
        TableSchema.required("quarantine_reason", ColumnType.STRING)));
    try (TableWriter w = Tables.openFile(refused.resolve("part-00000-1.snappy.parquet"), scoreQuarantine, false)) {
      w.setString(0, "S7");
      w.setNull(1);
      w.setString(2, "supplier S7: 4 of the 7 features the model uses are missing");
      w.endRow();
      w.commit();
    }
    Files.writeString(refused.resolve("_SUCCESS"), "");
    Files.writeString(refused.resolve(".part-00000-1.snappy.parquet.crc"), "x");
    Path transactions = Files.createDirectories(dir.resolve("s.parquet.quarantine-transactions"));
    TableSchema sparkTransactions = new TableSchema("quarantine", List.of(TableSchema.required("table", ColumnType.STRING),
        TableSchema.required("file", ColumnType.STRING), TableSchema.required("row", ColumnType.LONG),
        TableSchema.nullable("record_id", ColumnType.STRING), TableSchema.nullable("supplier_id", ColumnType.STRING),
        TableSchema.nullable("field", ColumnType.STRING), TableSchema.required("reason", ColumnType.STRING)));
    try (TableWriter w = Tables.openFile(transactions.resolve("part-00002-1.snappy.parquet"), sparkTransactions, false)) {
      String[] row = {"supplier", "file:/p/suppliers.parquet", null, "S5", "S5", "anchor_id", "'A77' is not a known anchor"};
      for (int c = 0; c < row.length; c++) {
        if (c == 2) {
          w.setLong(c, 4);
        } else {
          w.setString(c, row[c]);
        }
      }
      w.endRow();
      w.commit();
    }
    Files.writeString(transactions.resolve("_SUCCESS"), "");

    assertThat(PortfolioInputs.whyNotScored(scores, "S7")).isEqualTo("; the score run quarantined it: " + refused
        + ", supplier S7: 4 of the 7 features the model uses are missing");
    assertThat(PortfolioInputs.whyNotScored(scores, "S5")).isEqualTo("; its features were not computed: " + transactions
        + " lists its supplier row: file:/p/suppliers.parquet, row 4, column anchor_id: 'A77' is not a known anchor");
    assertThat(PortfolioInputs.whyNotScored(scores, "S9")).isNull();

    // a supplier neither quarantine names: the exposures' line points to the job's quarantine, as
    // to the command line's quarantine file (until 2026-12-07 it said nothing for a Spark run)
    Path e = csv("e9", "supplier_id,anchor_id,sector,drawn,anchor_sales_share,product\nS9,A1,glass,1000,0.5,term_loan\n");
    List<Exposure> book = PortfolioInputs.readExposures(e);
    assertThat(PortfolioInputs.missingPd(e, missing(book, Map.of(), Map.of("A1", 0.01)), scores, null, book,
        java.util.Set.of(), null)).hasMessage(e + ", row 1, column supplier_id: supplier S9 has no score in " + scores
        + "; 1 of the 1 exposures has no score there, and the score run's quarantine " + refused
        + " lists the rows it could not score");
  }
}

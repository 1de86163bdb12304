package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortfolioCommandTest {
  @TempDir Path dir;

  private static Path example(String name) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/examples").resolve(name))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("docs/examples/" + name + " not found");
    }
    return p.resolve("docs/examples").resolve(name);
  }

  @Test
  void portfolio_examples_writeJsonAndHtmlConsistentWithCapitalTotals() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(new String[] {"portfolio",
        "--scores", example("portfolio-scores.csv").toString(),
        "--exposures", example("portfolio-exposures.csv").toString(),
        "--scenario", example("portfolio-scenario.json").toString(),
        "--simulations", "2000", "--threads", "2", "--out", dir.toString()},
        new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(dir.resolve("portfolio.json").toFile());
    double capital = json.get("totals").get("capital").asDouble();
    double rwa = json.get("totals").get("rwa").asDouble();
    assertThat(capital).isCloseTo(0.08 * rwa, org.assertj.core.data.Offset.offset(1e-6 * rwa));
    double anchorCapital = 0;
    for (JsonNode a : json.get("by_anchor")) {
      anchorCapital += a.get("totals").get("capital").asDouble();
    }
    assertThat(anchorCapital).isCloseTo(capital, org.assertj.core.data.Offset.offset(1e-6 * capital));
    assertThat(Files.readString(dir.resolve("portfolio.html"))).contains("<svg").doesNotContain("<script");
    assertThat(out.toString()).contains("Portfolio (BASEL_III)").contains("99.9%: VaR");
    // A second run refuses to overwrite.
    int again = ChainScoreCli.execute(new String[] {"portfolio",
        "--scores", example("portfolio-scores.csv").toString(),
        "--exposures", example("portfolio-exposures.csv").toString(), "--simulations", "0",
        "--out", dir.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(again).isEqualTo(ExitCodes.BAD_INPUT);
  }

  /**
   * A score table written by the Spark job is a directory of Parquet part files
   * ({@code scores.parquet/part-*.parquet}); {@code portfolio --scores} refused it ("is a directory;
   * expected a file") though {@code ecl} and the readers take it. It now reads as the one file does:
   * the same report, byte for byte.
   */
  @Test
  void scoresAsADirectoryOfPartFiles_giveTheSameReportAsOneFile() throws IOException {
    Path portfolio = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "150", "--seed", "6", "--format", "parquet", "--out", portfolio.toString(),
        "--quiet")
        .code()).isZero();
    Path scores = dir.resolve("s.parquet");
    assertThat(CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        scores.toString(), "--quiet").code()).isIn(0, 3);
    Path parts = Files.createDirectories(dir.resolve("spark/scores.parquet"));
    Files.copy(scores, parts.resolve("part-00000-0d1e-c000.snappy.parquet"));
    Files.writeString(parts.resolve("_SUCCESS"), "");
    Path exposures = portfolio.resolve("exposures.parquet");
    Path anchorPds = portfolio.resolve("anchor_pds.parquet");
    CliRun one = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--anchor-pds", anchorPds.toString(), "--simulations", "0", "--out", dir.resolve("one").toString());
    assertThat(one.code()).as(one.err()).isZero();
    CliRun fromParts = CliRun.of("portfolio", "--scores", parts.toString(), "--exposures", exposures.toString(),
        "--anchor-pds", anchorPds.toString(), "--simulations", "0", "--out", dir.resolve("parts").toString());
    assertThat(fromParts.code()).as(fromParts.err()).isZero();
    assertThat(Files.readString(dir.resolve("parts/portfolio.json")))
        .isEqualTo(Files.readString(dir.resolve("one/portfolio.json")));
    // a directory that is not a table is still refused by name
    CliRun folder = CliRun.of("portfolio", "--scores", portfolio.toString(), "--exposures", exposures.toString(),
        "--out", dir.resolve("folder").toString());
    assertThat(folder.code()).isEqualTo(2);
    assertThat(folder.err().strip()).isEqualTo("chainscore portfolio: --scores " + portfolio
        + ": is a directory; expected a file");
  }

  /** A negative simulation count and an empty book are refused in one line; nothing is left in --out. */
  @Test
  void portfolio_negativeSimulationsAndAHeaderOnlyBook_exitTwoLeavingNoFolder(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws IOException {
    CliRun negative = CliRun.of("portfolio", "--scores", example("portfolio-scores.csv").toString(), "--exposures",
        example("portfolio-exposures.csv").toString(), "--simulations", "-5", "--out", tmp.resolve("a").toString());
    assertThat(negative.code()).isEqualTo(2);
    assertThat(negative.err().strip())
        .isEqualTo("chainscore portfolio: --simulations -5: expected 0 (no simulation) or 100 to 10,000,000");
    assertThat(tmp.resolve("a")).doesNotExist();
    // too few to estimate a tail, and too many to hold: named by the option, before any work
    // (50 was refused later without the option's name, 2,000,000,000 ran out of memory, exit 1)
    for (String count : new String[] {"50", "2000000000"}) {
      CliRun run = CliRun.of("portfolio", "--scores", example("portfolio-scores.csv").toString(), "--exposures",
          example("portfolio-exposures.csv").toString(), "--simulations", count, "--out", tmp.resolve("c").toString());
      assertThat(run.code()).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo("chainscore portfolio: --simulations " + count
          + ": expected 0 (no simulation) or 100 to 10,000,000");
      assertThat(tmp.resolve("c")).doesNotExist();
    }

    // a scenario file that is not there is named with why (it was "cannot read scenario X: X")
    Path missing = tmp.resolve("no-such-scenario.json");
    CliRun noScenario = CliRun.of("portfolio", "--scores", example("portfolio-scores.csv").toString(), "--exposures",
        example("portfolio-exposures.csv").toString(), "--simulations", "0", "--scenario", missing.toString(), "--out",
        tmp.resolve("d").toString());
    assertThat(noScenario.code()).isEqualTo(2);
    assertThat(noScenario.err().strip()).isEqualTo("chainscore portfolio: cannot read scenario " + missing + ": no such file");
    assertThat(tmp.resolve("d")).doesNotExist();

    Path empty = Files.writeString(tmp.resolve("empty.csv"),
        Files.readAllLines(example("portfolio-exposures.csv")).get(0) + "\n");
    CliRun book = CliRun.of("portfolio", "--scores", example("portfolio-scores.csv").toString(), "--exposures",
        empty.toString(), "--out", tmp.resolve("b").toString());
    assertThat(book.code()).isEqualTo(2);
    assertThat(book.err().strip()).contains(empty + ": no exposures (a header and no data rows)").doesNotContain("\n");
    assertThat(tmp.resolve("b")).doesNotExist();
    CliRun ecl = CliRun.of("ecl", "--scores", example("portfolio-scores.csv").toString(), "--exposures",
        empty.toString(), "--origination", example("portfolio-scores.csv").toString(), "--out", tmp.resolve("c").toString());
    assertThat(ecl.code()).isEqualTo(2);
    assertThat(ecl.err().strip()).contains(empty + ": no exposures (a header and no data rows)");
  }

  @Test
  void portfolio_missingFile_exitsTwo() {
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(new String[] {"portfolio", "--scores", dir.resolve("nope.csv").toString(),
        "--exposures", dir.resolve("nope2.csv").toString(), "--out", dir.resolve("o").toString()},
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("nope2.csv").doesNotContain("\tat ");
  }

  @Test
  void portfolio_corruptOrMistypedArrowAndParquet_exitTwoWithOneLineNamingTheFile() throws IOException {
    Path exposures = example("portfolio-exposures.csv");
    // A truncated Arrow file (written whole by the table writer `score` uses, then cut in half).
    Path whole = Files.createDirectories(dir.resolve("whole"));
    try (io.chainscore.batch.io.TableWriter w = io.chainscore.batch.io.Tables.open(whole,
        io.chainscore.tables.PortfolioTables.PORTFOLIO_SCORES, io.chainscore.batch.io.TableWriter.Format.ARROW, false)) {
      for (String id : new String[] {"S0001", "S0002", "S0003", "S0004"}) {
        w.setString(0, id);
        w.setDouble(1, 0.01);
        w.setString(2, "B");
        w.endRow();
      }
      w.commit();
    }
    byte[] bytes = Files.readAllBytes(whole.resolve("scores.arrow"));
    Path truncated = Files.write(dir.resolve("truncated.arrow"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    // An Arrow and a Parquet file whose pd column holds flags (text would be read as a CSV's fields).
    io.chainscore.tables.TableSchema textPd = new io.chainscore.tables.TableSchema("scores", java.util.List.of(
        io.chainscore.tables.TableSchema.required("supplier_id", io.chainscore.tables.ColumnType.STRING),
        io.chainscore.tables.TableSchema.required("pd", io.chainscore.tables.ColumnType.BOOLEAN)));
    java.util.List<Path> mistyped = new java.util.ArrayList<>();
    for (io.chainscore.batch.io.TableWriter.Format format : new io.chainscore.batch.io.TableWriter.Format[] {
        io.chainscore.batch.io.TableWriter.Format.ARROW, io.chainscore.batch.io.TableWriter.Format.PARQUET}) {
      Path folder = Files.createDirectories(dir.resolve("typed-" + format.extension()));
      try (io.chainscore.batch.io.TableWriter w = io.chainscore.batch.io.Tables.open(folder, textPd, format, false)) {
        w.setString(0, "S0001");
        w.setBoolean(1, true);
        w.endRow();
        w.commit();
      }
      mistyped.add(folder.resolve("scores." + format.extension()));
    }
    Path notParquet = Files.writeString(dir.resolve("scores.parquet"), "supplier_id,pd\nS0001,0.1\n");
    for (Path bad : java.util.List.of(truncated, mistyped.get(0), mistyped.get(1), notParquet)) {
      CliRun r = CliRun.of("portfolio", "--scores", bad.toString(), "--exposures", exposures.toString(),
          "--simulations", "0", "--out", dir.resolve("out-" + bad.getFileName()).toString());
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.err().strip()).as(bad.toString()).contains(bad.toString()).doesNotContain("\n")
          .doesNotContain("Exception").doesNotContain("\tat ");
    }
    CliRun typed = CliRun.of("portfolio", "--scores", mistyped.get(0).toString(), "--exposures", exposures.toString(),
        "--simulations", "0", "--out", dir.resolve("out-typed").toString());
    assertThat(typed.err()).contains("column pd: has Arrow type Bool; expected a floating-point, integer or decimal type");
  }

  /**
   * A stress whose --features table has no row of a supplier it re-scores: one line naming the
   * exposures file's row and column and the feature table, and why when the features run refused
   * the supplier (its quarantine beside the table); until 2026-12-07 "FEATURES: no features for
   * supplier S3 of the exposures file", without a row, a column or a reason.
   */
  @Test
  void portfolio_stressFeaturesWithoutASupplier_namesTheExposureRowAndWhy() throws IOException {
    String header = "supplier_id,as_of_date,tenure_months_any,tenure_months_anchor,active_month_share_24m,days_since_last_invoice,invoiced_amount_3m,invoiced_amount_6m,invoiced_amount_12m,invoiced_amount_24m,invoice_count_3m,invoice_count_6m,invoice_count_12m,invoice_count_24m,growth_3m_yoy,growth_6m_vs_prior_6m,monthly_amount_cv_12m,months_without_invoices_12m,max_month_drop_12m,buyer_count_12m,top_buyer_share_12m,buyer_hhi_12m,on_time_delivery_rate_12m,dilution_rate_12m,disputed_share_12m,open_receivables,days_sales_outstanding,overdue_share_1_30,overdue_share_31_60,overdue_share_61_90,overdue_share_90_plus,avg_days_paid_beyond_terms_12m,outstanding_financing,financing_utilisation,max_days_past_due_12m,avg_days_past_due_12m,instalments_30dpd_count_24m,sector,region_index,firm_age_years,declared_turnover\n";
    String scored = "S2,2025-06-30,19.233333333333334,19.233333333333334,1,9,1179754.02,2528920.87,7812837.010000001,10168567.540000003,17,36,120,158,-0.014830510173010403,-0.5213926937909352,0.4586836157800744,0,0.6308773411305825,4,0.8242170547981263,0.6909332640161763,0.9344262295081968,0.005807103097367699,0.022339284664022446,657527.1699999999,50.16083378126568,0.19717312974306447,0.10668564464035762,0,0,5.991869918699187,0,0,,,0,textiles,1,2.4777549623545516,8918000\n";
    Path features = Files.writeString(dir.resolve("june.csv"), header + scored);
    Path exposures = Files.writeString(dir.resolve("exposures.csv"), "supplier_id,anchor_id,sector,drawn,"
        + "anchor_sales_share,product\nS2,A1,textiles,500000,0.8,term_loan\nS3,A1,textiles,200000,0.5,term_loan\n");
    Path scores = Files.writeString(dir.resolve("scores.csv"), "supplier_id,pd,grade\nS2,0.04,\nS3,0.02,\n");
    Path scenario = Files.writeString(dir.resolve("s.json"), "{\"name\": \"t\", \"sector_delay_shocks\": [{\"sector\":"
        + " \"textiles\", \"extra_days_beyond_terms\": 10}]}");
    Path quarantine = Files.writeString(dir.resolve("june.quarantine.csv"), "table,file,row,record_id,field,reason\n"
        + "supplier,p/suppliers.csv,3,S3,region,unknown region\n");
    CliRun run = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--scenario", scenario.toString(), "--features", features.toString(), "--simulations", "0",
        "--out", dir.resolve("o").toString());
    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err().strip()).isEqualTo("chainscore portfolio: " + exposures + ", row 2, column supplier_id:"
        + " supplier S3 has no row in --features " + features + "; its features were not computed: " + quarantine
        + " lists its supplier row: p/suppliers.csv, row 3, column region: unknown region; the stress re-scores the row"
        + " of every supplier whose own PD it moves");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  /**
   * A supplier whose own row of the suppliers table was refused before its features were computed
   * (by {@code features}, or by {@code score --transactions}) has no row in the score run's
   * quarantine, which is then empty: the line says where it was refused, from the quarantine of
   * trade-table rows beside the scores, or beside the feature table the run's manifest names. Until
   * 2026-12-07 it pointed to the empty score quarantine as listing the rows the run could not score.
   */
  @Test
  void portfolio_missingPd_ofASupplierRefusedBeforeScoring_saysWhereItWasRefused() throws IOException {
    Path exposures = Files.writeString(dir.resolve("exposures.csv"), String.join("\n",
        "supplier_id,anchor_id,sector,drawn,anchor_sales_share,product",
        "S1,A1,glass,1000000,0.5,term_loan", "S3,A1,glass,200000,0.5,receivables_finance", ""));
    Path run = Files.createDirectories(dir.resolve("june"));
    Path scores = Files.writeString(run.resolve("scores.csv"), "supplier_id,pd\nS1,0.02\n");
    Path quarantine = Files.writeString(run.resolve("scores.quarantine.csv"), "row,record_id,column,reason\n");
    String refusedRow = "table,file,row,record_id,field,reason\n"
        + "supplier,p/suppliers.csv,2,S3,sector,unknown sector \"space_mining\"\n"
        + "invoice,p/invoices.csv,7,S3-I1,supplier_id,'S3' is not a known supplier\n";
    // score --transactions: the refused trade-table rows beside the scores
    Path transactions = Files.writeString(run.resolve("scores.quarantine-transactions.csv"), refusedRow);
    CliRun direct = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--simulations", "0", "--out", dir.resolve("o1").toString());
    assertThat(direct.code()).as(direct.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(direct.err().strip()).isEqualTo("chainscore portfolio: " + exposures + ", row 2, column supplier_id:"
        + " supplier S3 has no score in " + scores + "; 1 of the 2 exposures has no score there; its features were"
        + " not computed: " + transactions + " lists its supplier row: p/suppliers.csv, row 2, column sector: unknown"
        + " sector \"space_mining\"");
    Files.delete(transactions);
    // features, then score --features: the feature table's quarantine, found through the run's manifest
    Path features = Files.writeString(dir.resolve("features.csv"), "supplier_id,x\nS1,1\n");
    Path featureQuarantine = Files.writeString(dir.resolve("features.quarantine.csv"), refusedRow);
    Files.writeString(run.resolve("scores.csv.manifest.json"), "{\"command\": \"score\", \"inputs\": [{\"path\": \""
        + features.toString().replace("\\", "\\\\") + "\"}]}");
    CliRun ecl = CliRun.of("ecl", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--origination", scores.toString(), "--out", dir.resolve("o2").toString());
    assertThat(ecl.code()).as(ecl.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(ecl.err().strip()).contains("; 1 of the 2 exposures has no score there; its features were not computed: "
        + featureQuarantine + " lists its supplier row: p/suppliers.csv, row 2, column sector: unknown sector"
        + " \"space_mining\" (or give --unscored-pd PD").doesNotContain(quarantine.toString());
    // neither names it: the score run's quarantine is pointed to as before
    Files.writeString(featureQuarantine, "table,file,row,record_id,field,reason\n");
    CliRun pointed = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--simulations", "0", "--out", dir.resolve("o3").toString());
    assertThat(pointed.err().strip()).endsWith("; 1 of the 2 exposures has no score there, and the score run's"
        + " quarantine " + quarantine + " lists the rows it could not score");
  }

  /**
   * A scores table of a header and no rows is refused as such, as the other readers refuse one:
   * until 2026-12-08 it was read as no scores and refused at the first exposure ("supplier S1 has no
   * score in FILE; 2 of the 2 exposures have no score there").
   */
  @Test
  void portfolio_scoresOfAHeaderAlone_areRefusedAsNoDataRows() throws IOException {
    Path exposures = Files.writeString(dir.resolve("exposures.csv"), String.join("\n",
        "supplier_id,anchor_id,sector,drawn,anchor_sales_share,product",
        "S1,A1,glass,1000000,0.5,term_loan", "S2,A1,glass,400000,0.5,term_loan", ""));
    Path scores = Files.writeString(dir.resolve("scores.csv"), "supplier_id,as_of_date,score,pd,grade\n");
    CliRun run = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--simulations", "0", "--out", dir.resolve("o0").toString());
    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err().strip()).isEqualTo("chainscore portfolio: " + scores + ": no data rows; expected one row"
        + " per scored supplier after the header (a score run's table)");
    assertThat(dir.resolve("o0")).doesNotExist();
  }

  /**
   * An exposure without the PD it needs: one line naming the exposures file, the exposure's row and
   * the column of the obligor without one, and the file its PD is missing from.
   */
  @Test
  void portfolio_missingPd_namesTheExposuresRowAndColumn_andTheFileItIsMissingFrom() throws IOException {
    Path exposures = Files.writeString(dir.resolve("exposures.csv"), String.join("\n",
        "supplier_id,anchor_id,sector,drawn,anchor_sales_share,product",
        "S1,A1,glass,1000000,0.5,term_loan", "S2,A2,glass,400000,0.5,payables_finance",
        "S3,A1,glass,200000,0.5,receivables_finance", ""));
    Path scores = Files.writeString(dir.resolve("scores.csv"), "supplier_id,pd\nS1,0.02\nS2,0.03\n");
    Path anchorPds = Files.writeString(dir.resolve("anchor_pds.csv"), "anchor_id,pd\nA1,0.01\nA2,0.005\n");
    CliRun unscored = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--anchor-pds", anchorPds.toString(), "--simulations", "0", "--out", dir.resolve("o1").toString());
    assertThat(unscored.code()).as(unscored.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(unscored.err().strip()).isEqualTo("chainscore portfolio: " + exposures + ", row 3, column supplier_id:"
        + " supplier S3 has no score in " + scores + "; 1 of the 3 exposures has no score there");
    // the score run's quarantine beside the scores is pointed to: it lists the rows left unscored
    Path quarantine = Files.writeString(dir.resolve("scores.quarantine.csv"), "row,record_id,column,reason\n3,S0000002,sector,x\n");
    CliRun pointed = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--anchor-pds", anchorPds.toString(), "--simulations", "0", "--out", dir.resolve("o1").toString());
    assertThat(pointed.err().strip()).endsWith("; 1 of the 3 exposures has no score there, and the score run's"
        + " quarantine " + quarantine + " lists the rows it could not score");
    // when the quarantine names the supplier (its record_id), the line says why it has no score
    Files.writeString(quarantine, "row,record_id,column,reason\n2,S2,x,y\n3,S3,sector,\"unknown category 'MINING'\"\n"
        + "4,S3,sector,second\n");
    CliRun why = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--anchor-pds", anchorPds.toString(), "--simulations", "0", "--out", dir.resolve("o1").toString());
    assertThat(why.code()).as(why.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(why.err().strip()).endsWith("; 1 of the 3 exposures has no score there; the score run quarantined it: "
        + quarantine + ", row 3, column sector: unknown category 'MINING'");
    // a quarantine of the layout before record_id: pointed to as before
    Files.writeString(quarantine, "row,column,reason\n3,sector,x\n");
    CliRun old = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--anchor-pds", anchorPds.toString(), "--simulations", "0", "--out", dir.resolve("o1").toString());
    assertThat(old.err().strip()).endsWith(" lists the rows it could not score");
    Files.delete(quarantine);

    Files.writeString(scores, "supplier_id,pd\nS1,0.02\nS3,0.03\n");
    CliRun noAnchorPds = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--simulations", "0", "--out", dir.resolve("o2").toString());
    assertThat(noAnchorPds.code()).as(noAnchorPds.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(noAnchorPds.err().strip()).isEqualTo("chainscore portfolio: " + exposures + ", row 2, column anchor_id:"
        + " supplier S2's payables_finance is owed by its anchor A2, which has no PD (give the anchor PDs with"
        + " --anchor-pds)");

    Files.writeString(anchorPds, "anchor_id,pd\nA1,0.01\n");
    CliRun otherAnchor = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--anchor-pds", anchorPds.toString(), "--simulations", "100", "--out", dir.resolve("o3").toString());
    assertThat(otherAnchor.code()).as(otherAnchor.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(otherAnchor.err().strip()).isEqualTo("chainscore portfolio: " + exposures + ", row 2, column anchor_id:"
        + " supplier S2's payables_finance is owed by its anchor A2, which has no PD in " + anchorPds);
    assertThat(dir.resolve("o3/portfolio.json")).doesNotExist();
  }

  /**
   * A row graded D is in default whatever its pd column says: PD 1, so K = max(0, LGD - ELBE) = 0
   * with ELBE = LGD, and EL = LGD x EAD (basel-irb.md). By hand: two exposures of 1,000,000 at LGD
   * 45%, S1 graded D with pd 0.3, S2 at pd 1 in grade 8: EL = 2 x 0.45 x 1,000,000 = 900,000 (45%
   * of EAD), RWA and capital 0; the simulation loses both in every scenario, so its mean loss and
   * VaR are 900,000. The tool gave EL 585,000 and capital 195,666 (S1 at PD 30%). A grade 'd' is
   * refused (grades are matched exactly, as ecl matches them).
   */
  @Test
  void portfolio_defaultGradeRow_isPdOne_elLgdTimesEad_capitalZero() throws IOException {
    Path exposures = Files.writeString(dir.resolve("dd.csv"), "supplier_id,anchor_id,sector,asset_class,drawn,lgd,"
        + "maturity_years,anchor_sales_share\nS1,A1,textiles,corporate,1000000,0.45,2,0.5\n"
        + "S2,A1,textiles,corporate,1000000,0.45,2,0.5\n");
    Path scores = Files.writeString(dir.resolve("ddsc.csv"), "supplier_id,pd,grade\nS1,0.3,D\nS2,1,8\n");
    CliRun run = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--simulations", "2000", "--out", dir.resolve("d").toString());
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(dir.resolve("d/portfolio.json").toFile());
    assertThat(json.at("/totals/expected_loss").asDouble()).isEqualTo(900_000, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(json.at("/totals/regulatory_expected_loss").asDouble())
        .isEqualTo(900_000, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(json.at("/totals/rwa").asDouble()).isZero();
    assertThat(json.at("/totals/capital").asDouble()).isZero();
    assertThat(json.at("/simulation/mean_loss").asDouble()).isEqualTo(900_000, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(json.at("/simulation/tail/0/value_at_risk").asDouble())
        .isEqualTo(900_000, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(run.out()).contains("EL 900,000 (45% of EAD)", "capital 0");

    Path lower = Files.writeString(dir.resolve("lower.csv"), "supplier_id,pd,grade\nS1,0.3,d\nS2,1,8\n");
    CliRun refused = CliRun.of("portfolio", "--scores", lower.toString(), "--exposures", exposures.toString(),
        "--simulations", "0", "--out", dir.resolve("e").toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().strip()).isEqualTo("chainscore portfolio: " + lower + ", row 1, column grade: 'd' is not"
        + " the default grade 'D' (grades are matched exactly; give --default-grade d if that is the scale's name)");
  }

  /**
   * A stress re-scores the scored suppliers' feature rows: a --features table of another as_of_date
   * than --scores is refused in one line naming both dates, exit 2, leaving no folder (the
   * scenario's change would be partly the months' difference).
   */
  @Test
  void portfolio_featuresOfAnotherDateThanTheScores_isRefusedNamingBothDates() throws IOException {
    Path scores = Files.writeString(dir.resolve("s.csv"), "supplier_id,as_of_date,pd,grade\nS1,2025-06-30,0.01,3\n");
    Path features = Files.writeString(dir.resolve("f.csv"), "supplier_id,as_of_date\nS1,2025-05-31\n");
    Path exposures = Files.writeString(dir.resolve("x.csv"), "supplier_id,anchor_id,sector,drawn,anchor_sales_share\n"
        + "S1,A1,textiles,1000,0.5\n");
    Path scenario = Files.writeString(dir.resolve("sc.json"), "{\"name\": \"slow\", \"sector_delay_shocks\": "
        + "[{\"sector\": \"textiles\", \"extra_days_beyond_terms\": 10, \"on_time_delivery_drop\": 0.1}]}");
    CliRun run = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--scenario", scenario.toString(), "--features", features.toString(), "--simulations", "0",
        "--out", dir.resolve("o").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("chainscore portfolio: --features " + features + ": its as_of_date is"
        + " 2025-05-31, but --scores " + scores + " is as of 2025-06-30; give the feature table the scores were"
        + " computed from");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  /** A book whose every EAD is 0 has EL 0 and no EL or capital ratio: "no exposure", not "NaN% of EAD". */
  @Test
  void portfolio_everyEadZero_saysNoExposure() throws IOException {
    Path exposures = Files.writeString(dir.resolve("zero.csv"), "supplier_id,anchor_id,sector,drawn,lgd,anchor_sales_share\n"
        + "S1,A1,textiles,0,0.45,0.5\n");
    Path scores = Files.writeString(dir.resolve("zs.csv"), "supplier_id,pd\nS1,0.01\n");
    CliRun run = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--simulations", "1000", "--out", dir.resolve("z").toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("EAD 0, EL 0 (no exposure)", "capital 0 (no exposure)").doesNotContain("NaN");
  }

  /**
   * portfolio.json and portfolio.html are committed together, the JSON last: a run with --overwrite
   * whose page cannot be written (here a folder stands at portfolio.html) leaves no portfolio.json
   * of its own in the folder. Until 2026-12-07 the JSON was written first, straight to its name, so
   * the failed run's figures (seed 2) stood beside another run's page, or none.
   */
  @Test
  void overwrite_failingToWriteThePage_leavesNoJsonOfTheFailedRun() throws IOException {
    Path out = dir.resolve("risk");
    String[] run = {"portfolio", "--scores", example("portfolio-scores.csv").toString(),
        "--exposures", example("portfolio-exposures.csv").toString(), "--simulations", "1000", "--out", out.toString()};
    assertThat(CliRun.of(with(run, "--seed", "1")).code()).isZero();
    Files.delete(out.resolve("portfolio.html"));
    Files.writeString(Files.createDirectories(out.resolve("portfolio.html")).resolve("keep"), "");
    CliRun failed = CliRun.of(with(run, "--seed", "2", "--overwrite"));
    assertThat(failed.code()).isNotZero();
    assertThat(failed.err()).contains("portfolio.html");
    if (Files.exists(out.resolve("portfolio.json"))) {
      assertThat(new ObjectMapper().readTree(out.resolve("portfolio.json").toFile()).get("simulation").get("seed")
          .asLong()).isEqualTo(1);
    }
    // the cause removed, the next run with --overwrite writes both
    Files.delete(out.resolve("portfolio.html/keep"));
    Files.delete(out.resolve("portfolio.html"));
    CliRun again = CliRun.of(with(run, "--seed", "2", "--overwrite"));
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(new ObjectMapper().readTree(out.resolve("portfolio.json").toFile()).get("simulation").get("seed")
        .asLong()).isEqualTo(2);
    assertThat(Files.readString(out.resolve("portfolio.html"))).contains("seed 2,");
    try (java.util.stream.Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("portfolio.json",
          "portfolio.html");
    }
  }

  private static String[] with(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  /**
   * An anchor the --anchor-pds table leaves out takes the simulation's default PD of 1% (a table
   * without A04 gives the mean loss of one listing A04 at 0.01): the help says so, where it said
   * nothing of a default until 2026-12-07.
   */
  @Test
  void anchorPdsHelp_saysWhatAnAnchorItDoesNotListTakes() {
    CliRun help = CliRun.of("portfolio", "--help");
    assertThat(help.out().replaceAll("\\s+", " ")).contains("An anchor of the book the table does not list (every"
        + " anchor, without this option) defaults at PD 0.01 in the simulation.");
  }

  /**
   * A stress re-scores the suppliers whose own PD it moves: a payables-finance exposure keeps its
   * anchor's PD, so its supplier's feature row, which the score run quarantined (an unknown sector,
   * as the baseline allows: the anchor owes it), is not needed. Until 2026-12-07 the stress read the
   * feature table strictly and refused the whole run at that row. A refused row of a supplier whose
   * PD the stress does move is still refused, naming file, row and column.
   */
  @Test
  void stress_aQuarantinedRowOfAPayablesSupplier_doesNotStopIt_oneOfAScoredSupplierDoes() throws IOException {
    String header = "supplier_id,as_of_date,tenure_months_any,tenure_months_anchor,active_month_share_24m,days_since_last_invoice,invoiced_amount_3m,invoiced_amount_6m,invoiced_amount_12m,invoiced_amount_24m,invoice_count_3m,invoice_count_6m,invoice_count_12m,invoice_count_24m,growth_3m_yoy,growth_6m_vs_prior_6m,monthly_amount_cv_12m,months_without_invoices_12m,max_month_drop_12m,buyer_count_12m,top_buyer_share_12m,buyer_hhi_12m,on_time_delivery_rate_12m,dilution_rate_12m,disputed_share_12m,open_receivables,days_sales_outstanding,overdue_share_1_30,overdue_share_31_60,overdue_share_61_90,overdue_share_90_plus,avg_days_paid_beyond_terms_12m,outstanding_financing,financing_utilisation,max_days_past_due_12m,avg_days_past_due_12m,instalments_30dpd_count_24m,sector,region_index,firm_age_years,declared_turnover\n";
    String payables = "S1,2025-06-30,24.3,24.3,1,3,2592403.97,5838890.27,14132641.21,28546634.12,17,42,105,209,-0.43671495349571277,-0.2959891956919556,0.5279783210902306,0,0.625932844929065,2,0.6116313102099903,0.5249230988383982,1,0.0009284803742640261,0.0060505583301367905,2086730.71,72.44463674386364,0,0,0,0,3.7387387387387387,0,0,,,0,space_mining,5,14.113620807665983,11424000\n";
    String scored = "S2,2025-06-30,19.233333333333334,19.233333333333334,1,9,1179754.02,2528920.87,7812837.010000001,10168567.540000003,17,36,120,158,-0.014830510173010403,-0.5213926937909352,0.4586836157800744,0,0.6308773411305825,4,0.8242170547981263,0.6909332640161763,0.9344262295081968,0.005807103097367699,0.022339284664022446,657527.1699999999,50.16083378126568,0.19717312974306447,0.10668564464035762,0,0,5.991869918699187,0,0,,,0,textiles,1,2.4777549623545516,8918000\n";
    Path features = Files.writeString(dir.resolve("features.csv"), header + payables + scored);
    Path exposures = Files.writeString(dir.resolve("exposures.csv"), "supplier_id,anchor_id,sector,drawn,"
        + "anchor_sales_share,product\nS1,A1,electronic_components,1000000,0.6,payables_finance\n"
        + "S2,A1,textiles,500000,0.8,term_loan\n");
    Path scores = Files.writeString(dir.resolve("scores.csv"), "supplier_id,pd,grade\nS2,0.04,\n");
    Path anchorPds = Files.writeString(dir.resolve("anchor_pds.csv"), "anchor_id,pd\nA1,0.003\n");
    Path scenario = Files.writeString(dir.resolve("a1.json"), "{\"name\": \"a1\", \"anchor_volume_shocks\":"
        + " [{\"anchor_id\": \"A1\", \"volume_drop_pct\": 50}]}");
    CliRun run = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--anchor-pds", anchorPds.toString(), "--features", features.toString(), "--scenario", scenario.toString(),
        "--simulations", "0", "--out", dir.resolve("o").toString());
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode comparison = new ObjectMapper().readTree(dir.resolve("o/portfolio.json").toFile()).get("scenario");
    assertThat(comparison.get("feature_shocks_applied").asBoolean()).isTrue();
    // S2 re-scored on its stressed row (not its table PD of 4%): the stressed EL is not the baseline's
    assertThat(comparison.get("stressed").get("expected_loss").asDouble())
        .isNotEqualTo(comparison.get("baseline").get("expected_loss").asDouble());
    // the scored supplier's own row refused: the run stops at it
    Files.writeString(features, header + payables.replace("space_mining", "electronic_components")
        + scored.replace("textiles", "space_mining"));
    CliRun refused = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures", exposures.toString(),
        "--anchor-pds", anchorPds.toString(), "--features", features.toString(), "--scenario", scenario.toString(),
        "--simulations", "0", "--out", dir.resolve("r").toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains(features + ", row 2, column sector: unknown category 'space_mining'");
    assertThat(dir.resolve("r")).doesNotExist();
  }

  /** The EL ratio to three significant digits: 0.014% read 0.01% with two decimals. */
  @org.junit.jupiter.api.Test
  void elRatio_threeSignificantDigits() {
    assertThat(PortfolioSummaryText.threeDigits(0.0140372)).isEqualTo("0.0140");
    assertThat(PortfolioSummaryText.threeDigits(1.23456)).isEqualTo("1.23");
    assertThat(PortfolioSummaryText.threeDigits(12.3456)).isEqualTo("12.3");
    assertThat(PortfolioSummaryText.threeDigits(0)).isEqualTo("0.00");
  }
}

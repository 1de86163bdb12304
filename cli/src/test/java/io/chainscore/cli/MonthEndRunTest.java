package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.develop.TabularData;
import io.chainscore.portfolio.Exposure;
import io.chainscore.batch.io.PortfolioInputs;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.SimulationConfig;
import io.chainscore.sim.SupplierFacility;
import io.chainscore.sim.SupplierHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyst's month on generated data (issue #15): generate writes the portfolio-risk inputs,
 * portfolio reads them, train and validate join features and labels, and a folder holding a
 * portfolio is not written over by accident.
 */
class MonthEndRunTest {
  @TempDir static Path dir;
  static Path portfolio;
  static Path features;

  @BeforeAll
  static void generateAndComputeFeatures() {
    portfolio = dir.resolve("portfolio");
    features = dir.resolve("features.arrow");
    CliRun.portfolioWithFeatures(portfolio, features, 600, 11, "arrow");
  }

  @Test
  void generate_writesOneFacilityPerSupplierAsTheSimulatorDerivesIt() throws Exception {
    List<Exposure> exposures = PortfolioInputs.readExposures(portfolio.resolve("exposures.arrow"));
    assertThat(exposures).hasSize(600);
    // Independent path: the simulator's histories (same seed), not the files.
    Map<String, SupplierFacility> expected = new HashMap<>();
    PortfolioSimulator sim = new PortfolioSimulator(SimulationConfig.builder().suppliers(600).seed(11)
        .asOf(LocalDate.of(2025, 6, 30)).build());
    for (int i = 0; i < 600; i++) {
      SupplierHistory h = sim.supplier(i);
      expected.put(h.supplier().id(), SupplierFacility.of(h, LocalDate.of(2025, 6, 30)));
    }
    for (Exposure e : exposures) {
      SupplierFacility f = expected.get(e.supplierId());
      assertThat(f).as(e.supplierId()).isNotNull();
      assertThat(e.anchorId()).isEqualTo(f.anchorId());
      assertThat(e.drawn()).isEqualTo(f.drawn());
      assertThat(e.undrawn()).isEqualTo(f.undrawn());
      assertThat(e.ccf()).isEqualTo(0.4);
      assertThat(e.lgd()).isNaN();
      assertThat(e.anchorSalesShare()).isEqualTo(f.anchorSalesShare());
      assertThat(e.annualSalesEurMillions()).isEqualTo(f.annualSalesEurMillions());
    }
    Map<String, Double> anchorPds = PortfolioInputs.readAnchorPds(portfolio.resolve("anchor_pds.arrow"));
    assertThat(anchorPds).hasSize(6).containsEntry("A01", 0.003).containsEntry("A03", 0.008);
  }

  @Test
  void portfolio_runsOnTheGeneratedExposuresAndAnchorPds() throws Exception {
    Path scores = dir.resolve("scores.arrow");
    CliRun score = CliRun.of("score", "--features", features.toString(), "--as-of", "2025-06-30", "--out", scores.toString());
    assertThat(score.code()).as(score.err()).isZero();
    Path risk = dir.resolve("risk");
    CliRun p = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures",
        portfolio.resolve("exposures.arrow").toString(), "--anchor-pds", portfolio.resolve("anchor_pds.arrow").toString(),
        "--simulations", "2000", "--threads", "2", "--out", risk.toString());
    assertThat(p.code()).as(p.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(risk.resolve("portfolio.json").toFile());
    // Total EAD = sum of drawn + ccf x undrawn over the generated facilities, less the dilution
    // capital of the purchased receivables (CRE34: EAD = amount - K_Dilution; Basel III scales by 1).
    double ead = 0;
    for (Exposure e : PortfolioInputs.readExposures(portfolio.resolve("exposures.arrow"))) {
      ead += e.drawn() + e.ccf() * e.undrawn();
    }
    JsonNode totals = json.get("totals");
    assertThat(totals.get("dilution_capital").asDouble()).isPositive();
    assertThat(totals.get("ead").asDouble() + totals.get("dilution_capital").asDouble()).isCloseTo(ead, within(1e-6 * ead));
  }

  @Test
  void portfolio_sameBookInCsvArrowAndParquet_writesByteIdenticalJson() throws Exception {
    byte[] first = null;
    for (String format : new String[] {"csv", "arrow", "parquet"}) {
      // The same portfolio in each format: generate with the same seed, score the same features.
      Path book = format.equals("arrow") ? portfolio : dir.resolve("book-" + format);
      if (!format.equals("arrow")) {
        CliRun gen = CliRun.of("generate", "--suppliers", "600", "--seed", "11", "--format", format, "--threads", "2",
            "--quiet", "--out", book.toString());
        assertThat(gen.code()).as(gen.err()).isZero();
      }
      // a folder per format: outputs of one base name share BASE.quarantine.csv, refused without --overwrite
      Path scores = dir.resolve("same-scores-" + format + "/scores." + format);
      CliRun score = CliRun.of("score", "--features", features.toString(), "--as-of", "2025-06-30",
          "--out", scores.toString());
      assertThat(score.code()).as(score.err()).isZero();
      Path risk = dir.resolve("same-risk-" + format);
      CliRun p = CliRun.of("portfolio", "--scores", scores.toString(),
          "--exposures", book.resolve("exposures." + format).toString(),
          "--anchor-pds", book.resolve("anchor_pds." + format).toString(),
          "--simulations", "1000", "--threads", "2", "--out", risk.toString());
      assertThat(p.code()).as(p.err()).isZero();
      byte[] json = Files.readAllBytes(risk.resolve("portfolio.json"));
      if (first == null) {
        first = json;
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).contains("\"by_anchor\"");
      } else {
        assertThat(json).as(format).isEqualTo(first);
      }
    }
  }

  @Test
  void generate_intoAFolderHoldingAPortfolio_refusesThenReplacesItWhole() throws Exception {
    Path target = dir.resolve("again");
    assertThat(CliRun.of("generate", "--suppliers", "50", "--quiet", "--out", target.toString()).code()).isZero();
    CliRun refused = CliRun.of("generate", "--suppliers", "50", "--format", "arrow", "--quiet", "--out", target.toString());
    assertThat(refused.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.err().strip()).contains("already holds a portfolio (anchors.csv and 10 more table files)")
        .contains("--overwrite").doesNotContain("Exception").doesNotContain("\n");
    CliRun replaced = CliRun.of("generate", "--suppliers", "50", "--format", "arrow", "--quiet", "--overwrite",
        "--out", target.toString());
    assertThat(replaced.code()).as(replaced.err()).isZero();
    try (Stream<Path> files = Files.list(target)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
          "anchor_pds.arrow", "anchors.arrow", "credit_notes.arrow", "deliveries.arrow", "disputes.arrow",
          "exposures.arrow", "instalments.arrow", "invoices.arrow", "labels.arrow", "loans.arrow", "suppliers.arrow");
    }
  }

  @Test
  void trainAndValidate_joinFeaturesAndLabels_andTheHoldoutIsTheTestRows() throws Exception {
    Path bundle = dir.resolve("monthly-model.json");
    Path holdout = dir.resolve("holdout.csv");
    CliRun train = CliRun.of("train", "--data", features.toString(), "--labels",
        portfolio.resolve("labels.arrow").toString(), "--target", "defaulted", "--test-share", "0.3", "--seed", "5",
        "--holdout-out", holdout.toString(), "--out", bundle.toString(), "--json");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.err()).contains("600 feature rows: 600 labelled, 0 without a label (left out); 0 labels match no feature row");
    JsonNode j = new ObjectMapper().readTree(train.out());
    // Named after the output file, never after the sample.
    assertThat(j.get("model_id").asText()).isEqualTo("monthly-model");
    assertThat(ModelBundle.read(bundle).modelId()).isEqualTo("monthly-model");
    // Keys, dates and the labels' other columns (true_pd would leak the outcome) are never candidates.
    assertThat(j.get("iv").has("supplier_id")).isFalse();
    assertThat(j.get("iv").has("as_of_date")).isFalse();
    assertThat(j.get("iv").has("true_pd")).isFalse();
    assertThat(j.get("iv").size()).isGreaterThan(20);

    // The hold-out file holds exactly the test rows: its count and defaults match the test metrics.
    TabularData held = TabularData.readCsv(holdout, "defaulted");
    assertThat(held.rowCount()).isEqualTo(j.get("test").get("rows").asInt());
    assertThat(held.rowCount()).isBetween(140, 220);
    int defaults = 0;
    for (int t : held.target()) {
      defaults += t;
    }
    assertThat(defaults).isEqualTo(j.get("test").get("defaults").asInt());

    CliRun validate = CliRun.of("validate", "--model", bundle.toString(), "--data", holdout.toString(),
        "--target", "defaulted", "--out", dir.resolve("val").toString(), "--json");
    assertThat(validate.code()).as(validate.err()).isZero();
    JsonNode v = new ObjectMapper().readTree(validate.out());
    assertThat(v.get("auc").asDouble()).isEqualTo(j.get("test").get("auc").asDouble());

    // validate --data --labels takes the same join.
    CliRun joined = CliRun.of("validate", "--model", bundle.toString(), "--data", features.toString(), "--labels",
        portfolio.resolve("labels.arrow").toString(), "--target", "defaulted", "--out", dir.resolve("val2").toString(),
        "--json");
    assertThat(joined.code()).as(joined.err()).isZero();
    assertThat(new ObjectMapper().readTree(joined.out()).get("rows").asInt()).isEqualTo(600);

    // A feature-table baseline is joined to the labels too: against itself the PSI is 0.
    CliRun baseline = CliRun.of("validate", "--model", bundle.toString(), "--data", features.toString(), "--labels",
        portfolio.resolve("labels.arrow").toString(), "--target", "defaulted", "--baseline", features.toString(),
        "--out", dir.resolve("val3").toString(), "--json");
    assertThat(baseline.code()).as(baseline.err()).isZero();
    assertThat(new ObjectMapper().readTree(baseline.out()).get("psi").asDouble()).isZero();
  }

  @Test
  void train_featureTableWithItsIdColumn_refusesBeforeFittingNamingIt() throws Exception {
    // A hand-joined table that still carries supplier_id.
    Path table = dir.resolve("joined.csv");
    StringBuilder csv = new StringBuilder("supplier_id,x,defaulted\n");
    for (int i = 0; i < 50; i++) {
      csv.append("S").append(i).append(',').append(i % 7).append(',').append(i % 5 == 0 ? 1 : 0).append('\n');
    }
    Files.writeString(table, csv);
    CliRun train = CliRun.of("train", "--data", table.toString(), "--target", "defaulted",
        "--out", dir.resolve("never.json").toString());
    assertThat(train.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(train.err()).contains("column 'supplier_id' is an identifier and cannot be a characteristic")
        .doesNotContain("binning");
    assertThat(dir.resolve("never.json")).doesNotExist();
  }

  @Test
  void features_aTableInTwoFormats_isRefusedNamingBothFiles() throws Exception {
    Path twice = dir.resolve("twice");
    assertThat(CliRun.of("generate", "--suppliers", "30", "--quiet", "--out", twice.toString()).code()).isZero();
    Files.copy(portfolio.resolve("invoices.arrow"), twice.resolve("invoices.arrow"));
    CliRun f = CliRun.of("features", "--transactions", twice.toString(), "--as-of", "2025-06-30", "--quiet",
        "--out", dir.resolve("twice-features.csv").toString());
    assertThat(f.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(f.err()).contains("the invoices table is there twice, as invoices.arrow and invoices.csv")
        .doesNotContain("Exception");
  }

  @Test
  void score_fromTransactions_quarantinesRefusedRowsBesideTheScoresAndExitsThree() throws Exception {
    Path tx = dir.resolve("tx");
    assertThat(CliRun.of("generate", "--suppliers", "40", "--seed", "4", "--quiet", "--out", tx.toString()).code())
        .isZero();
    String firstSupplier = Files.readAllLines(tx.resolve("suppliers.csv")).get(1).split(",")[0];
    // Due before issued: the invoice record refuses it.
    Files.writeString(tx.resolve("invoices.csv"), "BAD-1," + firstSupplier + ",A01,2025-03-10,2025-03-01,100,true,0,false,,0\n",
        java.nio.file.StandardOpenOption.APPEND);
    Path scores = dir.resolve("tx-scores/scores.csv");
    CliRun run = CliRun.of("score", "--transactions", tx.toString(), "--as-of", "2025-06-30", "--quiet",
        "--out", scores.toString(), "--exposures", tx.resolve("exposures.csv").toString());
    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.QUARANTINED);
    Path quarantine = dir.resolve("tx-scores/scores.quarantine-transactions.csv");
    List<String> lines = Files.readAllLines(quarantine);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo("table,file,row,record_id,field,reason");
    assertThat(lines.get(1)).startsWith("invoice," + tx.resolve("invoices.csv") + ",").contains(",BAD-1,")
        .endsWith("is before the issue date 2025-03-10");
    assertThat(run.err()).contains("1 transaction rows were refused").contains(quarantine.toString());
    // Every supplier is still scored.
    assertThat(Files.readAllLines(scores)).hasSize(41);
    // The manifest names every trade table read, with its SHA-256, then the feature table scored,
    // then the exposures that weight the summary; its options say whether ids were checked.
    com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("tx-scores/scores.csv.manifest.json").toFile());
    assertThat(manifest.get("options").get("duplicate_check").asBoolean(false)).isTrue();
    assertThat(manifest.get("rows").get("transactions_quarantined").asLong(-1)).isEqualTo(1);
    // by table: every trade table named, the one refused invoice counted
    for (String table : io.chainscore.batch.features.PortfolioFeatures.QUARANTINE_TABLES) {
      assertThat(manifest.get("rows").get("transactions_quarantined_" + table).asLong(-1)).as(table)
          .isEqualTo(table.equals("invoice") ? 1 : 0);
      // the data rows read of each table: the generated file's lines less its header
      String file = table.equals("delivery") ? "deliveries.csv" : table + "s.csv";
      long dataRows = Files.exists(tx.resolve(file)) ? Files.readAllLines(tx.resolve(file)).size() - 1 : 0;
      assertThat(manifest.get("rows").get("transactions_read_" + table).asLong(-1)).as(table).isEqualTo(dataRows);
    }
    // the run's elapsed time is the whole run's, features included, not the scoring phase's alone
    double phases = 0;
    for (com.fasterxml.jackson.databind.JsonNode phase : manifest.get("phases")) {
      phases += phase.get("seconds").asDouble();
    }
    assertThat(phases).isPositive();
    assertThat(manifest.get("elapsed_seconds").asDouble()).isGreaterThanOrEqualTo(phases - 0.005);
    com.fasterxml.jackson.databind.JsonNode inputs = manifest.get("inputs");
    List<String> names = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode f : inputs) {
      Path file = Path.of(f.get("path").asText());
      names.add(file.getFileName().toString());
      assertThat(f.get("sha256").asText()).as(file.toString()).isEqualTo(io.chainscore.batch.engine.RunManifest.sha256(file));
      assertThat(f.get("bytes").asLong()).isEqualTo(Files.size(file));
    }
    assertThat(names).containsExactly("anchors.csv", "suppliers.csv", "loans.csv", "credit_notes.csv", "disputes.csv",
        "invoices.csv", "instalments.csv", "deliveries.csv", "scores.features.arrow", "exposures.csv");
  }
}

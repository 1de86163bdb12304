package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainScoreCliTest {
  @TempDir Path dir;

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static Map<String, String> digests(Path directory) throws Exception {
    Map<String, String> result = new TreeMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
        result.put(p.getFileName().toString(), HexFormat.of().formatHex(hash));
      }
    }
    return result;
  }

  @Test
  void generate_sameSeed_byteIdenticalFilesForAnyThreadCount() throws Exception {
    for (String format : new String[] {"csv", "arrow", "parquet"}) {
      CliRun a = run("generate", "--suppliers", "300", "--seed", "9", "--format", format, "--threads", "1",
          "--quiet", "--out", dir.resolve(format + "-a").toString());
      CliRun b = run("generate", "--suppliers", "300", "--seed", "9", "--format", format, "--threads", "2",
          "--quiet", "--out", dir.resolve(format + "-b").toString());
      assertThat(a.code()).as(a.err()).isZero();
      assertThat(b.code()).as(b.err()).isZero();
      Map<String, String> first = digests(dir.resolve(format + "-a"));
      // Six trade tables, exposures and anchor PDs, all in the format.
      assertThat(first).hasSize(11).containsKey("invoices." + format).containsKey("credit_notes." + format)
          .containsKey("disputes." + format).containsKey("deliveries." + format).containsKey("exposures." + format)
          .containsKey("anchor_pds." + format);
      assertThat(digests(dir.resolve(format + "-b"))).isEqualTo(first);
    }
  }

  @Test
  void generate_csv_hasDocumentedHeadersAndOneLabelPerSupplier() throws IOException {
    CliRun r = run("generate", "--suppliers", "120", "--seed", "4", "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("120 suppliers").contains("Wrote 9 tables and 2 portfolio-risk tables (csv)");
    assertThat(Files.readAllLines(dir.resolve("invoices.csv")).get(0))
        .isEqualTo("invoice_id,supplier_id,buyer_id,issue_date,due_date,amount,delivered_on_time,"
            + "returned_amount,disputed,paid_date,paid_amount");
    assertThat(Files.readAllLines(dir.resolve("labels.csv"))).hasSize(121);
    assertThat(Files.readAllLines(dir.resolve("anchors.csv"))).hasSize(7);
    assertThat(Files.readAllLines(dir.resolve("credit_notes.csv")).get(0))
        .isEqualTo("credit_note_id,invoice_id,supplier_id,booking_date,amount,reason");
    assertThat(Files.readAllLines(dir.resolve("disputes.csv")).get(0))
        .isEqualTo("invoice_id,supplier_id,opened_date,resolved_date");
    assertThat(Files.readAllLines(dir.resolve("deliveries.csv")).get(0))
        .isEqualTo("invoice_id,supplier_id,promised_date,actual_date");
    assertThat(Files.readAllLines(dir.resolve("deliveries.csv")).size())
        .as("most invoices delivered by the as-of date")
        .isGreaterThan(Files.readAllLines(dir.resolve("invoices.csv")).size() * 9 / 10);
  }

  @Test
  void generate_existingOutput_exitsTwoAndKeepsFiles() throws IOException {
    assertThat(run("generate", "--suppliers", "20", "--quiet", "--out", dir.toString()).code()).isZero();
    byte[] before = Files.readAllBytes(dir.resolve("invoices.csv"));
    CliRun again = run("generate", "--suppliers", "30", "--quiet", "--out", dir.toString());
    assertThat(again.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(again.err()).contains("already holds a portfolio").contains("pass --overwrite").doesNotContain("Exception");
    assertThat(Files.readAllBytes(dir.resolve("invoices.csv"))).isEqualTo(before);
    assertThat(run("generate", "--suppliers", "30", "--quiet", "--overwrite", "--out", dir.toString()).code())
        .isZero();
  }

  @Test
  void generate_outUnderAFile_oneLineExitTwo_nothingWritten() throws IOException {
    Path file = dir.resolve("plain.txt");
    Files.writeString(file, "x");
    CliRun onFile = run("generate", "--suppliers", "20", "--quiet", "--out", file.toString());
    assertThat(onFile.code()).as(onFile.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(onFile.err().strip()).isEqualTo("chainscore generate: --out " + file + ": is a file; expected a directory");
    Path under = file.resolve("portfolio");
    CliRun r = run("generate", "--suppliers", "20", "--quiet", "--out", under.toString());
    // until 2026-12-07 the file system's "Not a directory" with exit 1, an I/O failure
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err().strip()).isEqualTo("chainscore generate: " + under + ": cannot be written: " + file
        + " is a file, not a folder");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void everyOutputFolderUnderAFile_oneLineExitTwo() throws IOException {
    Path portfolio = dir.resolve("p");
    assertThat(run("generate", "--suppliers", "30", "--quiet", "--out", portfolio.toString()).code()).isZero();
    String scores = dir.resolve("s.csv").toString();
    String features = dir.resolve("f.csv").toString();
    String exposures = portfolio.resolve("exposures.csv").toString();
    String anchorPds = portfolio.resolve("anchor_pds.csv").toString();
    String asOf = "2025-06-30";
    assertThat(run("score", "--transactions", portfolio.toString(), "--as-of", asOf, "--out", scores).code())
        .isIn(0, ExitCodes.QUARANTINED);
    assertThat(run("features", "--transactions", portfolio.toString(), "--as-of", asOf, "--out", features).code())
        .isIn(0, ExitCodes.QUARANTINED);
    Path file = dir.resolve("plain.txt");
    Files.writeString(file, "x");
    String under = file.resolve("out").toString();
    String[][] commands = {
        {"demo", "--out", under},
        {"portfolio", "--scores", scores, "--exposures", exposures, "--anchor-pds", anchorPds, "--out", under},
        {"ecl", "--scores", scores, "--origination", scores, "--exposures", exposures, "--anchor-pds", anchorPds,
            "--out", under},
        {"validate", "--data", features, "--labels", portfolio.resolve("labels.csv").toString(), "--target",
            "defaulted", "--out", under},
        {"monitor", "--runs", dir.toString(), "--out", under},
        {"keygen", "--out", under + "/key"},
        {"export", "pmml", "--out", under + "/m.pmml"},
    };
    for (String[] command : commands) {
      CliRun r = run(command);
      // until 2026-12-07 most of these let the file system's "Not a directory" through: exit 1
      assertThat(r.code()).as(String.join(" ", command) + ": " + r.err()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.err().strip()).as(command[0]).isEqualTo("chainscore " + command[0] + ": " + under
          + ": cannot be written: " + file + " is a file, not a folder");
    }
    assertThat(Files.readString(file)).isEqualTo("x");

    // a folder where a result file goes: refused before the work, nothing written (until
    // 2026-12-07 the commit met it after the work: exit 1, the files before it renamed, a journal left)
    String[][] results = {
        {"portfolio.html", "portfolio", "--scores", scores, "--exposures", exposures, "--anchor-pds", anchorPds},
        {"ecl.html", "ecl", "--scores", scores, "--origination", scores, "--exposures", exposures, "--anchor-pds",
            anchorPds},
        {"alerts.json", "monitor", "--runs", dir.toString()},
    };
    for (String[] result : results) {
      Path out = dir.resolve("out-" + result[1]);
      Path folder = Files.createDirectories(out.resolve(result[0]));
      List<String> args = new java.util.ArrayList<>(List.of(result).subList(1, result.length));
      args.addAll(List.of("--out", out.toString(), "--overwrite"));
      CliRun r = run(args.toArray(new String[0]));
      assertThat(r.code()).as(args + ": " + r.err()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.err().strip()).isEqualTo("chainscore " + result[1] + ": " + folder + " is a directory; the run"
          + " writes a file of that name there");
      try (var left = Files.list(out)) {
        assertThat(left.toList()).as(result[1]).containsExactly(folder);
      }
    }
  }

  @Test
  void generate_tablesTheReadersTakeInAnyForm_areRefusedAndReplacedWhole() throws IOException {
    // .feather and .arrows are read as portfolio tables too, and NAME.parquet may be a directory of
    // part files (Spark's layout): a folder holding them holds a portfolio.
    Path feather = dir.resolve("feather");
    Files.createDirectories(feather);
    Files.writeString(feather.resolve("invoices.feather"), "old");
    CliRun refused = run("generate", "--suppliers", "5", "--quiet", "--out", feather.toString());
    assertThat(refused.code()).as(refused.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.err().strip()).contains("already holds a portfolio (invoices.feather)").doesNotContain("\n");
    assertThat(feather.resolve("anchors.csv")).doesNotExist();
    CliRun replaced = run("generate", "--suppliers", "5", "--quiet", "--overwrite", "--out", feather.toString());
    assertThat(replaced.code()).as(replaced.err()).isZero();
    assertThat(feather.resolve("invoices.feather")).doesNotExist();
    assertThat(feather.resolve("invoices.csv")).exists();

    for (String format : new String[] {"csv", "parquet"}) {
      Path parts = dir.resolve("parts-" + format);
      Files.createDirectories(parts.resolve("invoices.parquet"));
      Files.writeString(parts.resolve("invoices.parquet").resolve("part-00000.parquet"), "old");
      CliRun r = run("generate", "--suppliers", "5", "--quiet", "--overwrite", "--format", format,
          "--out", parts.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(Files.isDirectory(parts.resolve("invoices.parquet"))).as("the part files are gone").isFalse();
      assertThat(parts.resolve("invoices." + format)).isRegularFile();
      try (Stream<Path> files = Files.list(parts)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .as("one file per table, nothing hidden left")
            .hasSize(11).allMatch(name -> name.endsWith("." + format));
      }
    }
  }

  @Test
  void generate_historyMonths_countTheAsOfMonth_asHelpSays() throws IOException {
    CliRun help = run("generate", "--help");
    assertThat(help.out().replaceAll("\\s+", " ")).contains("Months of history, the as-of date's own month included");
    Path out = dir.resolve("short");
    assertThat(run("generate", "--suppliers", "40", "--history-months", "3", "--as-of", "2024-02-29", "--quiet",
        "--out", out.toString()).code()).isZero();
    List<String> issued = Files.readAllLines(out.resolve("invoices.csv")).stream().skip(1)
        .map(line -> line.split(",")[3]).sorted().toList();
    assertThat(issued.get(0)).as("3 months: December, January and February").startsWith("2023-12-");
    assertThat(issued.get(issued.size() - 1)).isLessThanOrEqualTo("2024-02-29");
  }

  @Test
  void badOptions_exitTwoWithOneLineMessage() {
    CliRun badNumber = run("generate", "--suppliers", "many", "--out", dir.toString());
    assertThat(badNumber.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badNumber.err()).contains("Invalid value for option '--suppliers'");
    CliRun badDate = run("generate", "--as-of", "2025-02-30", "--out", dir.toString());
    assertThat(badDate.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badDate.err()).contains("'2025-02-30' is not a date in YYYY-MM-DD form");
    CliRun badConfig = run("generate", "--suppliers", "0", "--out", dir.toString());
    assertThat(badConfig.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badConfig.err()).contains("suppliers must be in [1, 10000000], got 0").doesNotContain("\tat ");
    CliRun badFormat = run("generate", "--format", "xlsx", "--out", dir.toString());
    assertThat(badFormat.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badFormat.err()).contains("unknown format 'xlsx'; expected csv, arrow or parquet");
    assertThat(run("frobnicate").code()).isEqualTo(ExitCodes.BAD_INPUT);
  }

  @Test
  void demo_runsSimulationFeaturesAndScoring() throws Exception {
    String scorecardVersion = io.chainscore.models.DefaultModels.scorecard().modelVersion();
    String gbdtVersion = io.chainscore.models.DefaultModels.gbdt().modelVersion();
    CliRun r = run("demo", "--suppliers", "400", "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("400 suppliers")
        .contains("12-month defaults")
        .contains("A01 Huaxin Mobile")
        .contains("Features: 400 suppliers")
        .contains("Model: smb-supply-chain-scorecard " + scorecardVersion)
        .contains("AUC against the realised 12-month defaults")
        .contains("Companion model smb-supply-chain-gbdt " + gbdtVersion + " on the same suppliers: AUC");
    assertThat(Files.readAllLines(dir.resolve("scores-gbdt.csv")).get(1)).contains(",smb-supply-chain-gbdt," + gbdtVersion);
    List<String> scores = Files.readAllLines(dir.resolve("scores.csv"));
    assertThat(scores).hasSize(401);
    assertThat(scores.get(1)).startsWith("S0000001,2025-06-30,").contains(",smb-supply-chain-scorecard," + scorecardVersion);
    CliRun temporary = run("demo", "--suppliers", "50");
    assertThat(temporary.code()).isZero();
    assertThat(temporary.out()).contains("Pass --out DIR to keep");
  }

  @Test
  void demo_replacesAPortfolioOfAnotherFormatInItsFolderWhole() throws Exception {
    // generate's default format is CSV; the demo writes Arrow. Until 2026-12-07 it wrote its tables
    // beside the CSV ones, then refused the folder it had just mixed (every table twice, exit 2),
    // leaving it so: features --transactions refused it too.
    Path portfolio = dir.resolve("portfolio");
    assertThat(run("generate", "--suppliers", "20", "--seed", "3", "--out", portfolio.toString(), "--quiet").code())
        .isZero();
    Files.createDirectories(portfolio.resolve("loans.parquet"));   // a table directory of part files
    Files.copy(portfolio.resolve("loans.csv"), portfolio.resolve("loans.parquet/part-00000.parquet"));
    CliRun r = run("demo", "--suppliers", "60", "--out", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    try (Stream<Path> files = Files.list(portfolio)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
          "anchor_pds.arrow", "anchors.arrow", "credit_notes.arrow", "deliveries.arrow", "disputes.arrow",
          "exposures.arrow", "instalments.arrow", "invoices.arrow", "labels.arrow", "loans.arrow", "suppliers.arrow");
    }
    assertThat(Files.readAllLines(dir.resolve("scores.csv"))).hasSize(61);
    CliRun features = run("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        dir.resolve("again.arrow").toString(), "--quiet");
    assertThat(features.code()).as(features.err()).isZero();
  }

  @Test
  void demo_refusesAFolderWhereAResultFileGoes_beforeTheWork() throws Exception {
    // until 2026-12-07 the demo met such a folder after the simulation and the features: exit 1,
    // the new portfolio and features beside the earlier scores, a commit journal left behind
    for (String file : List.of("features.arrow", "scores.csv", "scores.quarantine.csv", "scores-gbdt.csv",
        "scores-gbdt.quarantine.csv")) {
      Path out = dir.resolve("demo-" + file);
      Path folder = Files.createDirectories(out.resolve(file).resolve("kept"));
      CliRun r = run("demo", "--suppliers", "30", "--out", out.toString());
      assertThat(r.code()).as(file + ": " + r.err()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.err().strip()).isEqualTo("chainscore demo: " + out.resolve(file) + " is a directory; the run"
          + " writes a file of that name there");
      try (Stream<Path> left = Files.list(out)) {
        assertThat(left.toList()).as(file).containsExactly(out.resolve(file));
      }
      assertThat(folder).isDirectory();
    }
  }
}

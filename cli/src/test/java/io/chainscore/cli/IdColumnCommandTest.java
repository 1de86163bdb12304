package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score}, {@code explain} and {@code whatif} with {@code --id-column}: a feature table whose
 * rows are identified by another column than supplier_id. The reference is the same table with the
 * column called supplier_id, scored without the option: the outputs must be the same bytes.
 */
class IdColumnCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The test scorecard's feature table, as of 2025-06-30, with supplier_id (the reference). */
  @TempDir Path dir;
  private Path model;
  private Path byId;
  private Path byLoan;

  @BeforeEach
  void tables() throws IOException {
    model = TestRuns.model(dir);
    byId = TestRuns.features(dir.resolve("by-id.csv"), 1_500, 41, "2025-06-30");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(byId));
    assertThat(lines.get(0)).startsWith("supplier_id,");
    // a sector the test scorecard refuses: one row quarantined
    lines.add("S0009999,12,0.01,30,MINING,0.9,2025-06-30");
    Files.write(byId, lines);
    lines.set(0, "Loan Number" + lines.get(0).substring("supplier_id".length()));
    byLoan = Files.write(dir.resolve("by-loan.csv"), lines);
  }

  private CliRun score(Path features, Path out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("score", "--model", model.toString(), "--features",
        features.toString(), "--as-of", "2025-06-30", "--out", out.toString(), "--threads", "2", "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void score_rowsIdentifiedByAnotherColumn_writeTheTableOfTheSameRowsWithSupplierId() throws IOException {
    CliRun reference = score(byId, dir.resolve("a/s.csv"));
    // the row the test scorecard refuses is quarantined: exit 3 on both sides
    assertThat(reference.code()).as(reference.err()).isEqualTo(3);
    for (String name : List.of("Loan Number", "loan_number")) {
      Path out = dir.resolve("b-" + name.replace(' ', '-') + "/s.csv");
      CliRun named = score(byLoan, out, "--id-column", name);
      assertThat(named.code()).as(named.err()).isEqualTo(3);
      assertThat(Files.readString(out)).isEqualTo(Files.readString(dir.resolve("a/s.csv")));
      assertThat(Files.readString(out.resolveSibling("s.csv.summary.json")))
          .isEqualTo(Files.readString(dir.resolve("a/s.csv.summary.json")));
      // the quarantine names the same rows and reasons
      assertThat(Files.readAllLines(out.resolveSibling("s.quarantine.csv")))
          .isEqualTo(Files.readAllLines(dir.resolve("a/s.quarantine.csv")));
      JsonNode manifest = JSON.readTree(out.resolveSibling("s.csv.manifest.json").toFile());
      assertThat(manifest.path("options").path("id_column").asText()).isEqualTo(name);
    }
    assertThat(JSON.readTree(dir.resolve("a/s.csv.manifest.json").toFile()).path("options").has("id_column")).isFalse();
  }

  @Test
  void score_baselineScoredWithAnIdColumn_givesTheSameStabilityAndCsi() throws IOException {
    // each run's feature table kept in its folder, beside its scores, as a baseline's must be for CSI
    for (String run : List.of("a", "b", "c", "d")) {
      Files.createDirectories(dir.resolve(run));
    }
    Path keptById = Files.copy(byId, dir.resolve("a/features.csv"));
    Path keptByLoan = Files.copy(byLoan, dir.resolve("b/features.csv"));
    CliRun first = score(keptById, dir.resolve("a/s.csv"));
    assertThat(first.code()).as(first.err()).isEqualTo(3);
    assertThat(score(keptByLoan, dir.resolve("b/s.csv"), "--id-column", "Loan Number").code()).isEqualTo(3);
    Path nextById = TestRuns.features(dir.resolve("c/features.csv"), 1_500, 42, "2025-06-30");
    List<String> lines = Files.readAllLines(nextById);
    lines.set(0, "loan_id" + lines.get(0).substring("supplier_id".length()));
    Path nextByLoan = Files.write(dir.resolve("d/features.csv"), lines);

    CliRun reference = score(nextById, dir.resolve("c/s.csv"), "--baseline", dir.resolve("a").toString());
    CliRun named = score(nextByLoan, dir.resolve("d/s.csv"), "--baseline", dir.resolve("b").toString(),
        "--id-column", "loan_id");
    assertThat(reference.code()).as(reference.err()).isEqualTo(3);
    assertThat(named.code()).as(named.err()).isEqualTo(3);
    JsonNode expected = JSON.readTree(dir.resolve("c/s.csv.summary.json").toFile());
    assertThat(expected.path("stability").path("csi").size()).isEqualTo(5);
    assertThat(JSON.readTree(dir.resolve("d/s.csv.summary.json").toFile())).isEqualTo(expected);

    // monitor reads each run's features by the id column its manifest records
    CliRun monitorById = CliRun.of("monitor", "--model", model.toString(), "--runs", dir.resolve("a").toString(),
        dir.resolve("c").toString(), "--out", dir.resolve("m1").toString());
    CliRun monitorByLoan = CliRun.of("monitor", "--model", model.toString(), "--runs", dir.resolve("b").toString(),
        dir.resolve("d").toString(), "--out", dir.resolve("m2").toString());
    assertThat(monitorById.code()).as(monitorById.err()).isZero();
    assertThat(monitorByLoan.code()).as(monitorByLoan.err()).isZero();
    JsonNode runsById = JSON.readTree(dir.resolve("m1/monitor.json").toFile()).path("runs");
    JsonNode runsByLoan = JSON.readTree(dir.resolve("m2/monitor.json").toFile()).path("runs");
    assertThat(runsById.get(1).path("csi").size()).isEqualTo(5);
    for (int i = 0; i < 2; i++) {
      assertThat(runsByLoan.get(i).path("csi")).isEqualTo(runsById.get(i).path("csi"));
      assertThat(runsByLoan.get(i).path("psi_score_deciles")).isEqualTo(runsById.get(i).path("psi_score_deciles"));
    }
  }

  @Test
  void score_repeatedId_isQuarantinedNamingTheIdColumn() throws IOException {
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(byLoan));
    lines.add(lines.get(5));
    Files.write(byLoan, lines);
    Path out = dir.resolve("r/s.csv");
    CliRun named = score(byLoan, out, "--id-column", "Loan Number");
    assertThat(named.code()).as(named.err()).isEqualTo(3);
    assertThat(Files.readString(out.resolveSibling("s.quarantine.csv")))
        .contains("S0000005 is also in row 5; expected each Loan Number once");
  }

  @Test
  void badIdColumns_areRefusedWithOneLine_exit2() throws IOException {
    CliRun missing = score(byLoan, dir.resolve("x/s.csv"), "--id-column", "application_id");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains(byLoan.toString()).contains("application_id").doesNotContain("Exception");
    assertThat(missing.err().strip().lines()).hasSize(1);
    assertThat(dir.resolve("x/s.csv")).doesNotExist();

    // without the option, a table without supplier_id is refused pointing to it
    CliRun unnamed = score(byLoan, dir.resolve("x/s.csv"));
    assertThat(unnamed.code()).isEqualTo(2);
    assertThat(unnamed.err().strip()).isEqualTo("chainscore score: " + byLoan + ", column supplier_id: missing from the"
        + " header; expected the column that identifies each row, or --id-column naming the one that does");
    CliRun unnamedExplain = CliRun.of("explain", "--model", model.toString(), "--features", byLoan.toString(),
        "--supplier", "S0000001");
    assertThat(unnamedExplain.code()).isEqualTo(2);
    assertThat(unnamedExplain.err()).contains("--id-column naming the one that does");

    CliRun feature = score(byLoan, dir.resolve("y/s.csv"), "--id-column", "months_with_anchor");
    assertThat(feature.code()).isEqualTo(2);
    assertThat(feature.err()).contains("the id column months_with_anchor is also the feature months_with_anchor");

    CliRun date = score(byLoan, dir.resolve("y/s.csv"), "--id-column", "as_of_date");
    assertThat(date.code()).isEqualTo(2);
    assertThat(date.err()).contains("is also the as-of date column");

    CliRun transactions = CliRun.of("score", "--transactions", dir.toString(), "--as-of", "2025-06-30",
        "--out", dir.resolve("z/s.csv").toString(), "--id-column", "Loan Number");
    assertThat(transactions.code()).isEqualTo(2);
    assertThat(transactions.err()).contains("--id-column").contains("supplier_id");

    CliRun explainWithoutTable = CliRun.of("explain", "--model", model.toString(), "--id-column", "Loan Number");
    assertThat(explainWithoutTable.code()).isEqualTo(2);
    assertThat(explainWithoutTable.err()).contains("--id-column").contains("--features");
  }

  @Test
  void explainAndWhatif_readTheRowByTheIdColumn() throws IOException {
    for (String command : List.of("explain", "whatif")) {
      List<String> common = new java.util.ArrayList<>(List.of(command, "--model", model.toString(), "--supplier",
          "S0000017", "--json"));
      if (command.equals("whatif")) {
        common.addAll(List.of("--set", "months_with_anchor=3"));
      }
      List<String> reference = new java.util.ArrayList<>(common);
      reference.addAll(List.of("--features", byId.toString()));
      List<String> named = new java.util.ArrayList<>(common);
      named.addAll(List.of("--features", byLoan.toString(), "--id-column", "Loan Number"));
      CliRun a = CliRun.of(reference.toArray(String[]::new));
      CliRun b = CliRun.of(named.toArray(String[]::new));
      assertThat(a.code()).as(a.err()).isZero();
      assertThat(b.code()).as(b.err()).isZero();
      assertThat(b.out()).as(command).isEqualTo(a.out()).contains("S0000017");
      // the table's refused row (S0009999's unknown sector) is another supplier's: no matter here
    }
    CliRun a = CliRun.of("whatif", "--model", model.toString(), "--features", TestRuns.cleanFeatures(
        dir.resolve("clean-id.csv"), 300, 43, null).toString(), "--scale", "dilution_rate_12m=2", "--out",
        dir.resolve("w1.csv").toString());
    List<String> clean = Files.readAllLines(dir.resolve("clean-id.csv"));
    clean.set(0, "Loan Number" + clean.get(0).substring("supplier_id".length()));
    Path cleanByLoan = Files.write(dir.resolve("clean-loan.csv"), clean);
    CliRun b = CliRun.of("whatif", "--model", model.toString(), "--features", cleanByLoan.toString(), "--id-column",
        "Loan Number", "--scale", "dilution_rate_12m=2", "--out", dir.resolve("w2.csv").toString());
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(Files.readString(dir.resolve("w2.csv"))).isEqualTo(Files.readString(dir.resolve("w1.csv")));
  }
}

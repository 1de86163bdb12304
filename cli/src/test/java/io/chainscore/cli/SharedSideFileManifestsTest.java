package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.engine.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two outputs of one base name share their quarantine ({@code d/f.csv} and {@code d/f.arrow} both
 * write {@code d/f.quarantine.csv}). Until 2026-12-07 the second run's commit replaced it and left
 * the first run's manifest vouching for bytes no longer there, against docs/reliability.md's "if
 * OUT.manifest.json exists, every file it names matches its SHA-256" ({@code features} and {@code
 * score} with {@code --overwrite}, {@code demo --out} always). The commit now deletes such a
 * manifest before its first rename, as it deletes its own output's old manifest; the other run's
 * main output stays, without a manifest.
 */
class SharedSideFileManifestsTest {
  @TempDir Path dir;

  private static void assertMatchesItsFiles(Path manifest) throws Exception {
    JsonNode m = new ObjectMapper().readTree(manifest.toFile());
    assertThat(m.get("outputs")).isNotEmpty();
    for (JsonNode f : m.get("outputs")) {
      Path p = Path.of(f.get("path").asText());
      assertThat(Files.size(p)).as(p.toString()).isEqualTo(f.get("bytes").asLong());
      assertThat(RunManifest.sha256(p)).as(p.toString()).isEqualTo(f.get("sha256").asText());
    }
  }

  /** A small generated portfolio in CSV under {@code dir/name}. */
  private Path portfolio(String name) {
    Path p = dir.resolve(name);
    assertThat(CliRun.of("generate", "--suppliers", "60", "--seed", "11", "--out", p.toString(), "--quiet").code())
        .isZero();
    return p;
  }

  private static CliRun features(Path portfolio, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("features", "--transactions", portfolio.toString(), "--as-of",
        "2025-06-30", "--out", out.toString(), "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  @Test
  void features_overwriteOfTheSharedQuarantine_deletesTheOtherRunsManifest() throws Exception {
    Path clean = portfolio("clean");
    Path bad = portfolio("bad");
    // an invoice of a supplier the portfolio does not have: quarantined
    Path invoices = bad.resolve("invoices.csv");
    String row = Files.readAllLines(invoices).get(1);
    String supplier = row.split(",")[1];
    Files.writeString(invoices, row.replace(supplier, "S9999999") + "\n", java.nio.file.StandardOpenOption.APPEND);

    Path runs = Files.createDirectories(dir.resolve("d"));
    CliRun first = features(bad, runs.resolve("f.csv"));
    assertThat(first.code()).as(first.err()).isEqualTo(3);
    byte[] table = Files.readAllBytes(runs.resolve("f.csv"));
    assertMatchesItsFiles(runs.resolve("f.csv.manifest.json"));

    CliRun second = features(clean, runs.resolve("f.arrow"), "--overwrite");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.err()).isEmpty();
    assertThat(runs.resolve("f.csv.manifest.json")).as("it listed the quarantine replaced").doesNotExist();
    assertMatchesItsFiles(runs.resolve("f.arrow.manifest.json"));
    assertThat(Files.readAllBytes(runs.resolve("f.csv"))).as("the first run's table stays").isEqualTo(table);
    try (var files = Files.list(runs)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
          .containsExactly("f.arrow", "f.arrow.manifest.json", "f.csv", "f.quarantine.csv");
    }

    // a quarantine replaced by the very bytes the other manifest lists (no refused rows either
    // time) leaves that manifest true: it stays
    Path same = Files.createDirectories(dir.resolve("same"));
    assertThat(features(clean, same.resolve("f.csv")).code()).isZero();
    assertThat(features(clean, same.resolve("f.arrow"), "--overwrite").code()).isZero();
    assertMatchesItsFiles(same.resolve("f.csv.manifest.json"));
    assertMatchesItsFiles(same.resolve("f.arrow.manifest.json"));
  }

  private CliRun score(Path features, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("score", "--model", dir.resolve("scorecard.json").toString(),
        "--features", features.toString(), "--out", out.toString(), "--as-of", "2025-06-30", "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  @Test
  void score_overwriteOfTheSharedQuarantine_deletesTheOtherRunsManifest_alsoWhenTheCommitIsInterrupted()
      throws Exception {
    TestRuns.model(dir);
    Path withBadRows = TestRuns.features(dir.resolve("bad.csv"), 1500, 3, "2025-06-30");
    Path clean = TestRuns.cleanFeatures(dir.resolve("clean.csv"), 300, 4, "2025-06-30");
    Path runs = Files.createDirectories(dir.resolve("d"));
    CliRun first = score(withBadRows, runs.resolve("s.csv"));
    assertThat(first.code()).as(first.err()).isEqualTo(3);
    byte[] scores = Files.readAllBytes(runs.resolve("s.csv"));

    CliRun second = score(clean, runs.resolve("s.arrow"), "--overwrite");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.err()).isEmpty();
    assertThat(runs.resolve("s.csv.manifest.json")).as("it listed the quarantine replaced").doesNotExist();
    assertMatchesItsFiles(runs.resolve("s.arrow.manifest.json"));
    assertThat(Files.readAllBytes(runs.resolve("s.csv"))).as("the first run's scores stay").isEqualTo(scores);
    // refused as before (then for a manifest that no longer matched, now for none)
    CliRun resume = score(withBadRows, runs.resolve("s.csv"), "--resume");
    assertThat(resume.code()).isEqualTo(2);
    assertThat(resume.err().strip()).isEqualTo("chainscore score: " + runs.resolve("s.csv") + " already exists and is"
        + " not an unfinished run to resume: no run manifest " + runs.resolve("s.csv.manifest.json") + " records the"
        + " run that wrote it; pass --overwrite to replace it");
    assertThat(Files.readAllBytes(runs.resolve("s.csv"))).isEqualTo(scores);

    // a commit that fails half-way has journalled the other manifest among those it retires
    // (deleted before its first rename), and its resume finishes with a manifest that matches
    Path journalled = Files.createDirectories(dir.resolve("j"));
    assertThat(score(withBadRows, journalled.resolve("s.csv")).code()).isEqualTo(3);
    Path blocker = Files.createDirectories(journalled.resolve("s.arrow.summary.json/x"));
    CliRun failed = score(clean, journalled.resolve("s.arrow"), "--overwrite");
    assertThat(failed.code()).as(failed.err()).isEqualTo(1);
    JsonNode journal = new ObjectMapper().readTree(journalled.resolve("s.arrow.commit.json").toFile());
    List<String> retired = new ArrayList<>();
    journal.get("retired").forEach(p -> retired.add(p.asText()));
    assertThat(retired).containsExactly(journalled.resolve("s.csv.manifest.json").toAbsolutePath().toString());
    assertThat(journalled.resolve("s.csv.manifest.json")).doesNotExist();
    Files.delete(blocker);
    Files.delete(blocker.getParent());
    CliRun resumed = score(clean, journalled.resolve("s.arrow"), "--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertMatchesItsFiles(journalled.resolve("s.arrow.manifest.json"));
    assertThat(journalled.resolve("s.csv.manifest.json")).doesNotExist();
  }

  @Test
  void scoreTransactions_overwriteOfTheSharedFeatureTable_deletesTheOtherRunsManifest() throws Exception {
    // s.csv and s.arrow --transactions runs share s.features.arrow, listed among each run's inputs
    // as what it scored: until 2026-12-07 the second run replaced it (another --as-of, other
    // features) and left the first run's manifest vouching for the table it had computed
    Path portfolio = portfolio("p");
    Path runs = Files.createDirectories(dir.resolve("d"));
    CliRun first = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        runs.resolve("s.csv").toString(), "--quiet");
    assertThat(first.code()).as(first.err()).isZero();
    byte[] features = Files.readAllBytes(runs.resolve("s.features.arrow"));
    CliRun second = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-05-31", "--out",
        runs.resolve("s.arrow").toString(), "--quiet", "--overwrite");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(Files.readAllBytes(runs.resolve("s.features.arrow"))).as("another as-of, other features")
        .isNotEqualTo(features);
    assertThat(runs.resolve("s.csv.manifest.json")).as("it listed the feature table replaced").doesNotExist();
    assertMatchesItsFiles(runs.resolve("s.arrow.manifest.json"));
  }

  @Test
  void scoreFeatures_overAnEarlierTransactionsResult_keepsTheFilesAnotherRunsManifestLists() throws Exception {
    // s.csv and s.arrow --transactions runs of one as-of: the same feature table and refused rows.
    // A --features run replacing s.csv supersedes s.csv's feature table and refused rows, but
    // until 2026-12-07 it deleted them although s.arrow's manifest lists them, and that manifest,
    // true until then, with them
    Path portfolio = portfolio("p");
    Path runs = Files.createDirectories(dir.resolve("d"));
    for (String out : new String[] {"s.csv", "s.arrow"}) {
      CliRun run = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
          runs.resolve(out).toString(), "--quiet", "--overwrite");
      assertThat(run.code()).as(run.err()).isZero();
    }
    Path table = dir.resolve("f.csv");
    assertThat(features(portfolio, table).code()).isZero();
    CliRun scored = CliRun.of("score", "--features", table.toString(), "--as-of", "2025-06-30", "--out",
        runs.resolve("s.csv").toString(), "--quiet", "--overwrite");
    assertThat(scored.code()).as(scored.err()).isZero();
    assertThat(runs.resolve("s.features.arrow")).exists();
    assertThat(runs.resolve("s.quarantine-transactions.csv")).exists();
    assertMatchesItsFiles(runs.resolve("s.arrow.manifest.json"));
    assertMatchesItsFiles(runs.resolve("s.csv.manifest.json"));
  }

  @Test
  void demo_replacingAScoreRunsQuarantine_deletesThatRunsManifest() throws Exception {
    TestRuns.model(dir);
    Path withBadRows = TestRuns.features(dir.resolve("bad.csv"), 1500, 3, "2025-06-30");
    Path runs = Files.createDirectories(dir.resolve("d"));
    CliRun first = score(withBadRows, runs.resolve("scores.arrow"));
    assertThat(first.code()).as(first.err()).isEqualTo(3);
    byte[] scores = Files.readAllBytes(runs.resolve("scores.arrow"));

    CliRun demo = CliRun.of("demo", "--suppliers", "150", "--out", runs.toString());
    assertThat(demo.code()).as(demo.err()).isZero();
    assertThat(runs.resolve("scores.arrow.manifest.json")).as("it listed the quarantine replaced").doesNotExist();
    assertThat(Files.readAllBytes(runs.resolve("scores.arrow"))).as("the score run's table stays").isEqualTo(scores);
    assertThat(Files.readAllLines(runs.resolve("scores.quarantine.csv"))).containsExactly("row,record_id,column,reason");
  }

  /**
   * {@code demo --out DIR} over a {@code features --out DIR/features.arrow} run: the demo's feature
   * table replaces that run's through a commit, which deletes the run's manifest (until 2026-12-07
   * the demo deleted the table and wrote its own in place, and the manifest stayed, vouching for
   * the old bytes).
   */
  @Test
  void demo_replacingAFeaturesRunsTable_deletesThatRunsManifest() throws Exception {
    Path runs = Files.createDirectories(dir.resolve("h"));
    CliRun first = features(portfolio("p"), runs.resolve("features.arrow"));
    assertThat(first.code()).as(first.err()).isZero();
    assertMatchesItsFiles(runs.resolve("features.arrow.manifest.json"));

    CliRun demo = CliRun.of("demo", "--suppliers", "150", "--out", runs.toString());
    assertThat(demo.code()).as(demo.err()).isZero();
    assertThat(runs.resolve("features.arrow.manifest.json")).as("it listed the table replaced").doesNotExist();
    assertThat(runs.resolve("features.arrow")).exists();
    try (var files = Files.list(runs)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("journal") || n.endsWith(".tmp"));
    }
  }
}

package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.engine.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 5: a failure after the output's rename but before the summary left a
 * complete-looking output and manifest, a 0-byte temporary summary, and {@code --resume} then
 * failed with "already exists". A run's files are now staged and committed as one unit, the
 * manifest last, and {@code --resume} completes a commit that died half-way.
 *
 * <p>The fault: the summary's path is a non-empty directory, so the commit fails exactly after
 * renaming the scores and the quarantine (the reported moment).
 */
class CommitRecoveryTest {
  @TempDir Path dir;

  private CliRun score(Path out, String... more) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("score", "--model",
        dir.resolve("scorecard.json").toString(), "--features", dir.resolve("f.csv").toString(), "--out", out.toString(),
        "--as-of", "2025-06-30", "--quiet", "--chunk-rows", "700"));
    args.addAll(java.util.List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  /** A small generated portfolio in CSV under {@code dir/name}. */
  private Path portfolio(String name, int seed) {
    Path p = dir.resolve(name);
    assertThat(CliRun.of("generate", "--suppliers", "150", "--seed", Integer.toString(seed), "--format", "csv",
        "--out", p.toString(), "--quiet").code()).isZero();
    return p;
  }

  /** Makes the amount of the given invoice rows unreadable ("125x"): refused transaction rows. */
  private static void spoilAmounts(Path portfolio, int... rows) throws java.io.IOException {
    Path invoices = portfolio.resolve("invoices.csv");
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(invoices));
    int amount = java.util.Arrays.asList(lines.get(0).split(",")).indexOf("amount");
    for (int row : rows) {
      String[] cells = lines.get(row).split(",", -1);
      cells[amount] = "125x";
      lines.set(row, String.join(",", cells));
    }
    Files.write(invoices, lines);
  }

  private static void assertMatchesManifest(Path manifest) throws Exception {
    JsonNode m = new ObjectMapper().readTree(manifest.toFile());
    assertThat(m.get("outputs")).hasSize(3);
    for (JsonNode f : m.get("outputs")) {
      Path p = Path.of(f.get("path").asText());
      assertThat(Files.size(p)).isEqualTo(f.get("bytes").asLong());
      assertThat(RunManifest.sha256(p)).as(p.toString()).isEqualTo(f.get("sha256").asText());
    }
  }

  @Test
  void failureDuringCommit_leavesNoCompleteLookingResult_andResumeFinishesIt() throws Exception {
    TestRuns.model(dir);
    TestRuns.features(dir.resolve("f.csv"), 5000, 8, "2025-06-30");
    Path reference = dir.resolve("ref/s.csv");
    int referenceCode = score(reference).code();
    assertThat(referenceCode).isIn(0, 3);

    Path out = dir.resolve("run/s.csv");
    Path blocker = Files.createDirectories(dir.resolve("run/s.csv.summary.json/x"));
    CliRun failed = score(out);
    assertThat(failed.code()).as(failed.err()).isEqualTo(1);
    assertThat(failed.err().strip()).startsWith("chainscore score: " + dir.resolve("run/s.csv.summary.json")
        + ": could not be written (").endsWith("the run's files are ready and its commit is journalled in"
        + " s.csv.commit.json: remove the cause and pass --resume to finish it").doesNotContain("\tat ");
    assertThat(out).as("the scores were renamed before the fault").exists();
    assertThat(dir.resolve("run/s.csv.manifest.json")).as("no manifest vouches for an unfinished run").doesNotExist();
    assertThat(dir.resolve("run/s.csv.commit.json")).exists();

    CliRun again = score(out);
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err().strip()).isEqualTo("chainscore score: an interrupted run of " + out + " stopped while"
        + " committing its files (s.csv.commit.json); pass --resume to finish it or --overwrite to start again");

    Files.delete(blocker);
    Files.delete(blocker.getParent());
    CliRun resumed = score(out, "--resume");
    assertThat(resumed.code()).as(resumed.err()).isEqualTo(referenceCode);
    assertThat(resumed.out()).startsWith("Completed the commit of an interrupted run: ");
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(reference));
    assertThat(Files.readAllBytes(dir.resolve("run/s.quarantine.csv"))).isEqualTo(Files.readAllBytes(dir.resolve("ref/s.quarantine.csv")));
    assertThat(Files.readString(dir.resolve("run/s.csv.summary.json"))).isEqualTo(Files.readString(dir.resolve("ref/s.csv.summary.json")));
    assertMatchesManifest(dir.resolve("run/s.csv.manifest.json"));
    try (var files = Files.list(out.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("s.csv", "s.csv.manifest.json", "s.csv.summary.json", "s.quarantine.csv");
    }
  }

  @Test
  void overwriteThatDiesDuringCommit_neverLeavesTheOldManifestVouchingForNewFiles() throws Exception {
    TestRuns.model(dir);
    TestRuns.features(dir.resolve("f.csv"), 3000, 8, "2025-06-30");
    Path out = dir.resolve("run/s.csv");
    assertThat(score(out).code()).isIn(0, 3);
    byte[] old = Files.readAllBytes(out);
    TestRuns.features(dir.resolve("f.csv"), 3000, 77, "2025-06-30");
    Files.delete(dir.resolve("run/s.csv.summary.json"));
    Path blocker = Files.createDirectories(dir.resolve("run/s.csv.summary.json/x"));
    assertThat(score(out, "--overwrite").code()).isEqualTo(1);
    assertThat(Files.readAllBytes(out)).as("the new scores are in place").isNotEqualTo(old);
    assertThat(dir.resolve("run/s.csv.manifest.json")).doesNotExist();
    Files.delete(blocker);
    Files.delete(blocker.getParent());
    assertThat(score(out, "--resume").code()).isIn(0, 3);
    assertMatchesManifest(dir.resolve("run/s.csv.manifest.json"));
  }

  /** Every output a manifest lists is there with its size and hash. */
  private static void assertEveryOutputMatches(Path manifest) throws Exception {
    JsonNode m = new ObjectMapper().readTree(manifest.toFile());
    for (JsonNode f : m.get("outputs")) {
      Path p = Path.of(f.get("path").asText());
      assertThat(Files.size(p)).as(p.toString()).isEqualTo(f.get("bytes").asLong());
      assertThat(RunManifest.sha256(p)).as(p.toString()).isEqualTo(f.get("sha256").asText());
    }
  }

  /**
   * A {@code score --transactions} run interrupted while committing is finished by {@code --resume}
   * as it was: its features and refused transaction rows are not computed again from whatever the
   * inputs are now (a resume given another portfolio overwrote the feature table and the
   * transaction quarantine the committed manifest lists); and the commit journal names its files
   * by absolute paths (a resume from another working directory could not find them). A resume
   * with other options (here the as-of date) is refused: it finished the other run's commit
   * and said "Completed the commit of an interrupted run". The run's own portfolio through a link
   * is the run's own.
   */
  @Test
  void transactionsRun_interruptedWhileCommitting_isFinishedAsItWas_andOtherOptionsAreRefused() throws Exception {
    Path portfolio = portfolio("p", 3);
    Path other = portfolio("p2", 4);
    Path reference = dir.resolve("ref/s.csv");
    int referenceCode = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        reference.toString(), "--quiet").code();
    assertThat(referenceCode).isIn(0, 3);
    Path out = dir.resolve("run/s.csv");
    Path blocker = Files.createDirectories(dir.resolve("run/s.csv.summary.json/x"));
    CliRun failed = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet");
    assertThat(failed.code()).as(failed.err()).isEqualTo(1);
    JsonNode journal = new ObjectMapper().readTree(dir.resolve("run/s.csv.commit.json").toFile());
    journal.get("moves").forEach(m -> {
      assertThat(Path.of(m.get("from").asText())).isAbsolute();
      assertThat(Path.of(m.get("to").asText())).isAbsolute();
    });
    Files.delete(blocker);
    Files.delete(blocker.getParent());
    // another as-of date is another run: refused, as a resume from a checkpoint is, nothing renamed
    CliRun otherRun = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-07-31", "--out",
        out.toString(), "--quiet", "--resume");
    assertThat(otherRun.code()).as(otherRun.err()).isEqualTo(2);
    assertThat(otherRun.err().strip()).isEqualTo("chainscore score: the interrupted run of " + out + " used another"
        + " input, model or options than this --resume; resume with the run's own, or pass --overwrite to start again");
    assertThat(dir.resolve("run/s.csv.commit.json")).exists();
    assertThat(dir.resolve("run/s.csv.manifest.json")).doesNotExist();
    // other trade tables named: another run too (the interrupted run's were not read again)
    CliRun otherInput = CliRun.of("score", "--transactions", other.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet", "--resume");
    assertThat(otherInput.code()).as(otherInput.err()).isEqualTo(2);
    assertThat(otherInput.err()).contains("used another input, model or options than this --resume");
    // the run's own, given through a link to its folder (another spelling of the same portfolio,
    // refused as another input until 2026-12-07): its features are committed as they were, not
    // computed again
    Path link = Files.createSymbolicLink(dir.resolve("p-link"), portfolio.toAbsolutePath());
    CliRun resumed = CliRun.of("score", "--transactions", link.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet", "--resume");
    assertThat(resumed.code()).as(resumed.err()).isEqualTo(referenceCode);
    for (String name : new String[] {"s.csv", "s.quarantine.csv", "s.features.arrow", "s.quarantine-transactions.csv",
        "s.csv.summary.json"}) {
      assertThat(Files.readAllBytes(dir.resolve("run").resolve(name))).as(name)
          .isEqualTo(Files.readAllBytes(dir.resolve("ref").resolve(name)));
    }
    assertEveryOutputMatches(dir.resolve("run/s.csv.manifest.json"));
    // the row counts, refused transaction rows by table included, are the uninterrupted run's
    assertThat(new ObjectMapper().readTree(dir.resolve("run/s.csv.manifest.json").toFile()).get("rows"))
        .isEqualTo(new ObjectMapper().readTree(dir.resolve("ref/s.csv.manifest.json").toFile()).get("rows"));
  }

  /**
   * An {@code --overwrite} run stopped by {@code --max-bad-rows} leaves the earlier result as its
   * manifest lists it, and its own bad rows beside it ({@code s.quarantine.stopped.csv}): it wrote
   * its quarantine over the earlier one, which the earlier manifest then no longer described.
   */
  @Test
  void overwriteStoppedHalfWay_leavesTheEarlierResultAsItsManifestSays() throws Exception {
    TestRuns.model(dir);
    Path good = TestRuns.features(dir.resolve("f.csv"), 400, 8, "2025-06-30");
    Path out = dir.resolve("run/s.csv");
    CliRun first = score(out);
    assertThat(first.code()).as(first.err()).isIn(0, 3);
    assertEveryOutputMatches(dir.resolve("run/s.csv.manifest.json"));
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(good));
    for (int row : new int[] {5, 9, 13}) {
      lines.set(row, lines.get(row).replace(",2025-06-30", ","));
    }
    Files.write(good, lines);
    CliRun stopped = score(out, "--overwrite", "--max-bad-rows", "1");
    assertThat(stopped.code()).as(stopped.err()).isEqualTo(2);
    assertThat(stopped.err()).contains("--max-bad-rows 1");
    assertEveryOutputMatches(dir.resolve("run/s.csv.manifest.json"));
    assertThat(Files.readAllLines(dir.resolve("run/s.quarantine.stopped.csv")))
        .anyMatch(l -> l.startsWith("5,S0000005,as_of_date,is empty")).anyMatch(l -> l.startsWith("9,S0000009,as_of_date,is empty"));
    assertThat(stopped.err()).contains("(the bad rows are in " + dir.resolve("run/s.quarantine.stopped.csv") + ")");
    // the next run that commits supersedes the stopped one's bad rows (its manifest does not list them)
    CliRun next = score(out, "--overwrite");
    assertThat(next.code()).as(next.err()).isEqualTo(3);
    assertThat(dir.resolve("run/s.quarantine.stopped.csv")).doesNotExist();
    assertEveryOutputMatches(dir.resolve("run/s.csv.manifest.json"));
  }

  /**
   * {@code --max-bad-rows} counts the transaction rows a {@code --transactions} run refuses: 818
   * refused rows passed a limit of 5 and the run committed. Over the limit nothing is scored and no
   * feature table is left; the refused rows' quarantine is there to read.
   */
  @Test
  void maxBadRows_countsTheRefusedTransactionRows() throws Exception {
    Path portfolio = portfolio("p", 3);
    spoilAmounts(portfolio, 10, 20, 30);
    Path out = dir.resolve("run/s.csv");
    CliRun stopped = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet", "--max-bad-rows", "2");
    assertThat(stopped.code()).as(stopped.err()).isEqualTo(2);
    String lastId = Files.readAllLines(portfolio.resolve("invoices.csv")).get(30).split(",")[0];
    assertThat(stopped.err()).startsWith("chainscore score: stopped after 3 bad rows (--max-bad-rows 2); the last: invoice "
        + lastId + " (" + portfolio.resolve("invoices.csv") + ", row 30): amount '125x' is not a number");
    assertThat(Files.readAllLines(dir.resolve("run/s.quarantine-transactions.csv"))).hasSize(1 + 3);
    try (var files = Files.list(out.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("s.quarantine-transactions.csv");
    }
    CliRun within = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet", "--max-bad-rows", "3", "--overwrite");
    assertThat(within.code()).as(within.err()).isEqualTo(3);
    assertEveryOutputMatches(dir.resolve("run/s.csv.manifest.json"));
  }

  /**
   * A {@code score --features --overwrite} run over an earlier {@code --transactions} run's result
   * removes that run's feature table and refused transaction rows: they were left beside the new
   * scores, listed by no manifest (found by the nightly-path review). Scoring that very feature
   * table again keeps it.
   */
  @Test
  void featuresRunOverATransactionsRun_leavesNoFileOfTheEarlierRun() throws Exception {
    Path portfolio = portfolio("p", 3);
    spoilAmounts(portfolio, 10, 20);
    Path out = dir.resolve("run/s.csv");
    CliRun transactions = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet");
    assertThat(transactions.code()).as(transactions.err()).isEqualTo(3);
    assertThat(filesIn(out.getParent())).contains("s.features.arrow", "s.quarantine-transactions.csv");

    // the earlier run's own feature table, scored again: it is the input, and stays
    Path table = out.resolveSibling("s.features.arrow");
    byte[] tableBytes = Files.readAllBytes(table);
    CliRun again = CliRun.of("score", "--features", table.toString(), "--as-of", "2025-06-30", "--out", out.toString(),
        "--quiet", "--overwrite");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(Files.readAllBytes(table)).isEqualTo(tableBytes);
    assertThat(filesIn(out.getParent())).containsExactly("s.csv", "s.csv.manifest.json", "s.csv.summary.json",
        "s.features.arrow", "s.quarantine.csv");

    assertThat(CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet", "--overwrite").code()).isEqualTo(3);
    CliRun features = CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        dir.resolve("other/f.csv").toString(), "--quiet");
    assertThat(features.code()).as(features.err()).isEqualTo(3);
    CliRun other = CliRun.of("score", "--features", dir.resolve("other/f.csv").toString(), "--as-of", "2025-06-30",
        "--out", out.toString(), "--quiet", "--overwrite");
    assertThat(other.code()).as(other.err()).isZero();
    assertThat(filesIn(out.getParent())).containsExactly("s.csv", "s.csv.manifest.json", "s.csv.summary.json",
        "s.quarantine.csv");
    assertEveryFileMatches(dir.resolve("run/s.csv.manifest.json"));
  }

  /**
   * A feature table left by a {@code score --transactions} run killed before its first checkpoint
   * (no manifest vouches for it, nothing can resume it) is replaced by the next run; the next run
   * was refused, told to pass --overwrite. Where an interrupted run can be resumed, the refusal
   * says --resume.
   */
  @Test
  void leftoversOfARunKilledBeforeItsFirstCheckpoint_areReplaced_aResumableRunNamesResume() throws Exception {
    Path portfolio = portfolio("p", 3);
    Path out = dir.resolve("run/s.csv");
    Files.createDirectories(out.getParent());
    Files.writeString(dir.resolve("run/s.features.arrow"), "half a feature table");
    Files.writeString(dir.resolve("run/s.quarantine-transactions.csv"), "table,row");
    CliRun next = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet");
    assertThat(next.code()).as(next.err()).isIn(0, 3);
    assertEveryOutputMatches(dir.resolve("run/s.csv.manifest.json"));

    Files.delete(dir.resolve("run/s.csv.manifest.json"));
    Files.writeString(dir.resolve("run/s.csv.checkpoint.json"), "{}");
    CliRun refused = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("was left by an interrupted run; pass --resume to continue it or --overwrite to"
        + " start again");
  }
  /** Every input and output a manifest lists is there with its size and hash. */
  private static void assertEveryFileMatches(Path manifest) throws Exception {
    assertEveryOutputMatches(manifest);
    JsonNode m = new ObjectMapper().readTree(manifest.toFile());
    for (JsonNode f : m.get("inputs")) {
      Path p = Path.of(f.get("path").asText());
      assertThat(Files.size(p)).as(p.toString()).isEqualTo(f.get("bytes").asLong());
      assertThat(RunManifest.sha256(p)).as(p.toString()).isEqualTo(f.get("sha256").asText());
    }
  }

  private static java.util.List<String> filesIn(Path folder) throws java.io.IOException {
    try (var files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * A {@code score --transactions --overwrite} run that fails after computing its features and
   * before its commit leaves the earlier result as its manifest says, feature table included: the
   * run deleted the earlier manifest and wrote the new feature table over the old one before
   * scoring, so a run killed while scoring left the earlier scores with no manifest and a feature
   * table they were not computed from. The feature table and the refused transaction rows are now
   * staged and committed with the scores. (The fault: the scores' partial file is a non-empty
   * folder, which fails the run once its features are written.)
   */
  @Test
  void transactionsOverwrite_failingBeforeItsCommit_leavesTheEarlierResultAsItsManifestSays() throws Exception {
    Path portfolio = portfolio("p", 3);
    Path other = portfolio("p2", 4);
    Path out = dir.resolve("run/s.csv");
    CliRun first = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet");
    assertThat(first.code()).as(first.err()).isIn(0, 3);
    Path manifest = dir.resolve("run/s.csv.manifest.json");
    assertEveryFileMatches(manifest);
    java.util.List<String> committed = filesIn(out.getParent());
    byte[] features = Files.readAllBytes(dir.resolve("run/s.features.arrow"));

    Path blocker = Files.createDirectories(dir.resolve("run/s.csv.partial/x"));
    CliRun failed = CliRun.of("score", "--transactions", other.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet", "--overwrite");
    assertThat(failed.code()).as(failed.err()).isEqualTo(1);
    assertThat(failed.err()).doesNotContain("\tat ");
    Files.delete(blocker);
    Files.delete(blocker.getParent());
    assertThat(Files.readAllBytes(dir.resolve("run/s.features.arrow"))).isEqualTo(features);
    assertEveryFileMatches(manifest);
    assertThat(filesIn(out.getParent())).as("nothing staged is left: nothing can resume the run")
        .isEqualTo(committed);

    Path reference = dir.resolve("ref/s.csv");
    int referenceCode = CliRun.of("score", "--transactions", other.toString(), "--as-of", "2025-06-30", "--out",
        reference.toString(), "--quiet").code();
    CliRun again = CliRun.of("score", "--transactions", other.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet", "--overwrite");
    assertThat(again.code()).as(again.err()).isEqualTo(referenceCode);
    for (String name : new String[] {"s.csv", "s.quarantine.csv", "s.features.arrow", "s.quarantine-transactions.csv",
        "s.csv.summary.json"}) {
      assertThat(Files.readAllBytes(dir.resolve("run").resolve(name))).as(name)
          .isEqualTo(Files.readAllBytes(dir.resolve("ref").resolve(name)));
    }
    assertEveryFileMatches(manifest);
    assertThat(filesIn(out.getParent())).isEqualTo(committed);
  }

  /**
   * A {@code score --transactions --overwrite} run stopped by {@code --max-bad-rows}, on its
   * transaction rows or on its feature rows, leaves the earlier result as its manifest says and its
   * own refused rows beside it ({@code NAME.stopped.csv}), as a {@code --features} run does.
   */
  @Test
  void transactionsOverwrite_stoppedByTheBadRowLimit_leavesTheEarlierResultAndItsRowsBesideIt() throws Exception {
    Path portfolio = portfolio("p", 3);
    Path other = portfolio("p2", 4);
    spoilAmounts(other, 10, 20, 30);
    // two suppliers without trade: too many missing features, two refused feature rows
    Files.writeString(other.resolve("suppliers.csv"), "S9999991,A03,packaging,CN-ZJ,2025-06-01,100000\n"
        + "S9999992,A03,packaging,CN-ZJ,2025-06-01,100000\n", java.nio.file.StandardOpenOption.APPEND);
    Path out = dir.resolve("run/s.csv");
    CliRun first = CliRun.of("score", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet");
    assertThat(first.code()).as(first.err()).isIn(0, 3);
    Path manifest = dir.resolve("run/s.csv.manifest.json");
    java.util.List<String> committed = filesIn(out.getParent());

    CliRun stopped = CliRun.of("score", "--transactions", other.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet", "--overwrite", "--max-bad-rows", "2");
    assertThat(stopped.code()).as(stopped.err()).isEqualTo(2);
    Path beside = dir.resolve("run/s.quarantine-transactions.stopped.csv");
    assertThat(stopped.err()).contains("--max-bad-rows 2").contains(beside.toString());
    assertEveryFileMatches(manifest);
    assertThat(Files.readAllLines(beside)).hasSize(1 + 3);
    java.util.List<String> expected = new java.util.ArrayList<>(committed);
    expected.add(beside.getFileName().toString());
    assertThat(filesIn(out.getParent())).isEqualTo(expected.stream().sorted().toList());

    // over the limit on the feature rows: the 3 transaction rows leave 4 - 3 = 1 for them, and
    // the two suppliers without trade are refused
    Files.delete(beside);
    CliRun stoppedScoring = CliRun.of("score", "--transactions", other.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet", "--overwrite", "--max-bad-rows", "4");
    assertThat(stoppedScoring.code()).as(stoppedScoring.err()).isEqualTo(2);
    // the last bad row named by its row, the one its quarantine line gives (the reason alone had named
    // only the supplier)
    java.util.List<String> stoppedRows = Files.readAllLines(dir.resolve("run/s.quarantine.stopped.csv"));
    String lastRow = stoppedRows.get(stoppedRows.size() - 1).split(",")[0];
    assertThat(stoppedScoring.err()).contains("stopped after 5 bad rows (--max-bad-rows 4); the last: row " + lastRow
        + ": supplier S9999992").contains("(3 of them refused transaction rows, in " + beside + ")");
    assertEveryFileMatches(manifest);
    assertThat(Files.readAllLines(beside)).hasSize(1 + 3);
    assertThat(Files.readAllLines(dir.resolve("run/s.quarantine.stopped.csv"))).hasSize(1 + 2);
    assertThat(stoppedScoring.err()).contains("(the bad rows are in " + dir.resolve("run/s.quarantine.stopped.csv") + ")");
    expected.add("s.quarantine.stopped.csv");
    assertThat(filesIn(out.getParent())).isEqualTo(expected.stream().sorted().toList());

    // a run that commits supersedes what the stopped ones left beside the earlier result
    CliRun replaced = CliRun.of("score", "--transactions", other.toString(), "--as-of", "2025-06-30", "--out",
        out.toString(), "--quiet", "--overwrite");
    assertThat(replaced.code()).as(replaced.err()).isEqualTo(3);
    assertEveryFileMatches(manifest);
    assertThat(filesIn(out.getParent())).isEqualTo(committed);
  }
}

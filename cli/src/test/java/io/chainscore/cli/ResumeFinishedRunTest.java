package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.engine.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nightly script that always passes {@code --resume} reruns after a run that finished (the
 * script was killed after the run, or the scheduler retried it): that was refused, exit 2,
 * "already exists; pass --overwrite", so the operator had to choose between a refusal and scoring
 * everything again. The finished run of the same model, options and unchanged inputs is now
 * reported as done (its own exit code, nothing rewritten); anything else is refused naming what
 * differs. And a run replacing an output deletes the earlier run's manifest of it kept under
 * another name ({@code --manifest-out}), which vouched for bytes no longer there.
 */
class ResumeFinishedRunTest {
  @TempDir Path dir;

  @BeforeEach
  void modelAndFeatures() throws Exception {
    TestRuns.model(dir);
    TestRuns.features(dir.resolve("f.csv"), 3000, 8, "2025-06-30");
  }

  private CliRun score(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("score", "--model", dir.resolve("scorecard.json").toString(),
        "--features", dir.resolve("f.csv").toString(), "--out", out.toString(), "--as-of", "2025-06-30", "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  /** Every file in the run's folder with its bytes' hash and modification time. */
  private static Map<String, String> state(Path folder) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (var list = Files.list(folder)) {
      for (Path p : list.toList()) {
        files.put(p.getFileName().toString(), RunManifest.sha256(p) + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return files;
  }

  /** Sets every file's modification time back, so that a rewrite would show even within a second. */
  private static void age(Path folder) throws Exception {
    try (var list = Files.list(folder)) {
      for (Path p : list.toList()) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L));
      }
    }
  }

  @Test
  void resumeAfterAFinishedRun_reportsItDone_withItsExitCode_andRewritesNothing() throws Exception {
    Path out = dir.resolve("run/s.csv");
    CliRun first = score(out);
    assertThat(first.code()).as(first.err()).isIn(0, 3);
    age(out.getParent());
    Map<String, String> before = state(out.getParent());

    CliRun again = score(out, "--resume");
    assertThat(again.code()).as(again.err()).isEqualTo(first.code());
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("run/s.csv.manifest.json").toFile());
    long written = manifest.path("rows").path("written").asLong();
    assertThat(written).isBetween(2900L, 3000L);
    assertThat(again.out()).startsWith("Nothing to resume: " + out + " is the finished run of this model, these options"
        + " and these inputs (unchanged), finished at " + java.time.Instant.parse(manifest.path("finished_at").asText())
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ": "
        + String.format("%,d", written) + " suppliers scored");
    assertThat(state(out.getParent())).as("nothing rewritten, nothing added").isEqualTo(before);

    CliRun asJson = score(out, "--resume", "--json");
    assertThat(asJson.code()).isEqualTo(first.code());
    JsonNode j = new ObjectMapper().readTree(asJson.out());
    assertThat(j.path("already_complete").asBoolean()).isTrue();
    assertThat(j.path("rows").path("written").asLong()).isEqualTo(written);
  }

  @Test
  void resumeAfterAFinishedTransactionsRun_reportsItDone() throws Exception {
    Path portfolio = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "120", "--seed", "4", "--format", "csv", "--out",
        portfolio.toString(), "--quiet").code()).isZero();
    Path out = dir.resolve("tx/s.csv");
    String[] args = {"score", "--transactions", portfolio.toString(), "--out", out.toString(), "--as-of", "2025-06-30",
        "--quiet"};
    CliRun first = CliRun.of(args);
    assertThat(first.code()).as(first.err()).isIn(0, 3);
    age(out.getParent());
    Map<String, String> before = state(out.getParent());
    List<String> resumed = new ArrayList<>(List.of(args));
    resumed.add("--resume");
    CliRun again = CliRun.of(resumed.toArray(new String[0]));
    assertThat(again.code()).as(again.err()).isEqualTo(first.code());
    assertThat(again.out()).startsWith("Nothing to resume: " + out);
    assertThat(state(out.getParent())).isEqualTo(before);
    // the same portfolio spelled otherwise (with ./ and a trailing slash, absolute, through a link):
    // the run's own (until 2026-12-07 refused as other input files)
    Path link = Files.createSymbolicLink(dir.resolve("p-link"), portfolio.toAbsolutePath());
    for (String spelled : new String[] {dir.resolve(".").resolve("p") + "/", portfolio.toAbsolutePath().toString(),
        link.toString()}) {
      List<String> otherSpelling = new ArrayList<>(resumed);
      otherSpelling.set(2, spelled);
      CliRun same = CliRun.of(otherSpelling.toArray(new String[0]));
      assertThat(same.code()).as(spelled + ": " + same.err()).isEqualTo(first.code());
      assertThat(same.out()).as(spelled).startsWith("Nothing to resume: " + out);
    }
    assertThat(state(out.getParent())).isEqualTo(before);

    // one invoice amount changed since: the finished run is not this one's
    Path invoices = portfolio.resolve("invoices.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(invoices));
    int amount = List.of(lines.get(0).split(",")).indexOf("amount");
    String[] cells = lines.get(5).split(",", -1);
    cells[amount] = cells[amount] + "1";
    lines.set(5, String.join(",", cells));
    Files.write(invoices, lines);
    CliRun changed = CliRun.of(resumed.toArray(new String[0]));
    assertThat(changed.code()).isEqualTo(2);
    assertThat(changed.err().strip()).endsWith("differs from this one in the input " + invoices
        + " (changed since the run); pass --overwrite to replace it")
        .doesNotContain("\tat ");
    assertThat(state(out.getParent())).isEqualTo(before);
  }

  /**
   * {@code --resume --overwrite}, "resume what can be, else start again": this run, finished and
   * unchanged, is reported done and nothing rewritten (until 2026-12-07 it was scored again); a run
   * of other options is scored again, not refused.
   */
  @Test
  void resumeAndOverwrite_reportThisFinishedRunDone_andRunAnotherAgain() throws Exception {
    Path out = dir.resolve("run/s.csv");
    CliRun first = score(out);
    assertThat(first.code()).as(first.err()).isIn(0, 3);
    age(out.getParent());
    Map<String, String> before = state(out.getParent());

    CliRun again = score(out, "--resume", "--overwrite");
    assertThat(again.code()).as(again.err()).isEqualTo(first.code());
    assertThat(again.out()).startsWith("Nothing to resume: " + out + " is the finished run");
    assertThat(state(out.getParent())).as("nothing rewritten").isEqualTo(before);

    CliRun other = score(out, "--resume", "--overwrite", "--reasons", "none");
    assertThat(other.code()).as(other.err()).isEqualTo(first.code());
    assertThat(other.out()).doesNotContain("Nothing to resume");
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("run/s.csv.manifest.json").toFile());
    assertThat(manifest.path("options").path("reasons").asText()).isEqualTo("none");
  }

  @Test
  void resumeOverAnotherFinishedRun_isRefused_namingWhatDiffers() throws Exception {
    Path out = dir.resolve("run/s.csv");
    assertThat(score(out).code()).isIn(0, 3);
    Map<String, String> before = state(out.getParent());

    CliRun otherOptions = score(out, "--resume", "--reasons", "none");
    assertThat(otherOptions.code()).isEqualTo(2);
    assertThat(otherOptions.err().strip()).isEqualTo("chainscore score: " + out + " already exists and is not an"
        + " unfinished run to resume: the finished run its manifest " + dir.resolve("run/s.csv.manifest.json")
        + " records differs from this one in the options (reasons); pass --overwrite to replace it");

    Path other = dir.resolve("g.csv");
    TestRuns.features(other, 3000, 9, "2025-06-30");
    CliRun otherInput = CliRun.of("score", "--model", dir.resolve("scorecard.json").toString(), "--features",
        other.toString(), "--out", out.toString(), "--as-of", "2025-06-30", "--quiet", "--resume");
    assertThat(otherInput.code()).isEqualTo(2);
    assertThat(otherInput.err()).contains("differs from this one in the input files (the run read "
        + dir.resolve("f.csv") + ", " + dir.resolve("scorecard.json") + "); pass --overwrite");

    // a file of the finished run edited since: not vouched for, so not "done"
    Path summary = dir.resolve("run/s.csv.summary.json");
    Files.writeString(summary, Files.readString(summary).replace("\"suppliers\"", "\"Suppliers\""));
    CliRun edited = score(out, "--resume");
    assertThat(edited.code()).isEqualTo(2);
    assertThat(edited.err()).contains(": " + summary + ", a file of the finished run, is no longer the bytes its manifest "
        + dir.resolve("run/s.csv.manifest.json") + " lists; pass --overwrite to replace it");
    before.remove("s.csv.summary.json");
    Map<String, String> after = state(out.getParent());
    after.remove("s.csv.summary.json");
    assertThat(after).isEqualTo(before);

    // no manifest at all: nothing says which run wrote the table
    Path bare = dir.resolve("bare/s.csv");
    Files.createDirectories(bare.getParent());
    Files.writeString(bare, "supplier_id\n");
    CliRun noManifest = score(bare, "--resume");
    assertThat(noManifest.code()).isEqualTo(2);
    assertThat(noManifest.err()).contains(": no run manifest " + dir.resolve("bare/s.csv.manifest.json")
        + " records the run that wrote it; pass --overwrite to replace it");
  }

  @Test
  void replacingAnOutput_deletesItsEarlierManifestKeptUnderAnotherName() throws Exception {
    Path out = dir.resolve("run/s.csv");
    Path custom = dir.resolve("run/nightly.json");
    assertThat(score(out, "--manifest-out", custom.toString()).code()).isIn(0, 3);
    assertThat(custom).exists();

    TestRuns.features(dir.resolve("f.csv"), 3000, 11, "2025-06-30");
    assertThat(score(out, "--overwrite").code()).isIn(0, 3);
    assertThat(custom).as("it listed the replaced scores' hashes").doesNotExist();
    assertThat(dir.resolve("run/s.csv.manifest.json")).exists();

    // and the other way round, the custom manifest in another folder
    Path elsewhere = dir.resolve("manifests/nightly.json");
    Files.createDirectories(elsewhere.getParent());
    TestRuns.features(dir.resolve("f.csv"), 3000, 12, "2025-06-30");
    assertThat(score(out, "--overwrite", "--manifest-out", elsewhere.toString()).code()).isIn(0, 3);
    assertThat(dir.resolve("run/s.csv.manifest.json")).doesNotExist();
    JsonNode m = new ObjectMapper().readTree(elsewhere.toFile());
    for (JsonNode f : m.get("outputs")) {
      Path p = Path.of(f.get("path").asText());
      assertThat(RunManifest.sha256(p)).as(p.toString()).isEqualTo(f.get("sha256").asText());
    }
    // a manifest of another output in the folder stays
    Path neighbour = dir.resolve("run/t.csv");
    assertThat(score(neighbour).code()).isIn(0, 3);
    TestRuns.features(dir.resolve("f.csv"), 3000, 13, "2025-06-30");
    assertThat(score(out, "--overwrite").code()).isIn(0, 3);
    assertThat(dir.resolve("run/t.csv.manifest.json")).exists();
  }
}

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
    TestRuns.features(dir.resolve("f.csv"), 5000, 8, null);
    Path reference = dir.resolve("ref/s.csv");
    int referenceCode = score(reference).code();
    assertThat(referenceCode).isIn(0, 3);

    Path out = dir.resolve("run/s.csv");
    Path blocker = Files.createDirectories(dir.resolve("run/s.csv.summary.json/x"));
    CliRun failed = score(out);
    assertThat(failed.code()).as(failed.err()).isEqualTo(1);
    assertThat(failed.err()).startsWith("chainscore score: ").doesNotContain("\tat ");
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
    TestRuns.features(dir.resolve("f.csv"), 3000, 8, null);
    Path out = dir.resolve("run/s.csv");
    assertThat(score(out).code()).isIn(0, 3);
    byte[] old = Files.readAllBytes(out);
    TestRuns.features(dir.resolve("f.csv"), 3000, 77, null);
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
}

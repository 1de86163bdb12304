package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.engine.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 5 for {@code features}: the feature table, its quarantine and its manifest were
 * written one after the other, so a run with {@code --overwrite} that died between them left a new
 * table beside the previous run's manifest, which then vouched for files it did not describe. They
 * are now committed as one unit through a journal, the manifest last.
 *
 * <p>The fault: the quarantine's path is a non-empty directory, so the commit fails exactly after
 * renaming the table.
 */
class FeaturesCommitTest {
  @TempDir Path dir;
  Path portfolio;

  @BeforeEach
  void portfolio() {
    portfolio = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "60", "--seed", "11", "--out", portfolio.toString(), "--quiet")
        .code()).isZero();
  }

  private CliRun features(Path out, String asOf, String... more) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("features", "--transactions",
        portfolio.toString(), "--as-of", asOf, "--out", out.toString(), "--quiet"));
    args.addAll(java.util.List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  @Test
  void failureDuringCommit_leavesNoManifestVouchingForTheNewTable_andOverwriteStartsAgain() throws Exception {
    Path out = dir.resolve("run/f.csv");
    Path manifest = dir.resolve("run/f.csv.manifest.json");
    assertThat(features(out, "2025-03-31").code()).isIn(0, 3);
    String firstManifest = Files.readString(manifest);

    // A second run, over the first with --overwrite, for another as-of date, dies while committing.
    Path quarantine = dir.resolve("run/f.quarantine.csv");
    Files.delete(quarantine);
    Path blocker = Files.createDirectories(quarantine.resolve("x"));
    CliRun failed = features(out, "2025-06-30", "--overwrite");
    assertThat(failed.code()).as(failed.err()).isEqualTo(1);
    assertThat(failed.err()).startsWith("chainscore features: ").doesNotContain("\tat ");
    // the way out features has: it has no --resume (the advice was "pass --resume to finish it")
    assertThat(failed.err().strip()).startsWith("chainscore features: " + quarantine + ": could not be written (")
        .endsWith("; the run's files are ready and its commit is journalled in f.csv.commit.json: remove the cause"
            + " and pass --overwrite to run it again");
    assertThat(Files.readString(out)).as("the new table was renamed before the fault").contains("2025-06-30");
    assertThat(dir.resolve("run/f.csv.commit.json")).exists();
    assertThat(firstManifest).contains("2025-03-31");
    assertThat(manifest).as("the first run's manifest no longer vouches for the changed table").doesNotExist();

    // The next run without --overwrite is refused, naming the interrupted commit.
    CliRun again = features(out, "2025-06-30");
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err().strip()).isEqualTo("chainscore features: an interrupted run of " + out
        + " stopped while committing its files (f.csv.commit.json); pass --overwrite to start again");

    // --overwrite discards it and commits a complete run whose manifest matches every file.
    Files.delete(blocker);
    Files.delete(blocker.getParent());
    CliRun redone = features(out, "2025-06-30", "--overwrite");
    assertThat(redone.code()).as(redone.err()).isIn(0, 3);
    JsonNode m = new ObjectMapper().readTree(manifest.toFile());
    assertThat(m.get("options").get("as_of").asText()).isEqualTo("2025-06-30");
    assertThat(m.get("outputs")).hasSize(2);
    for (JsonNode f : m.get("outputs")) {
      Path p = Path.of(f.get("path").asText());
      assertThat(Files.size(p)).isEqualTo(f.get("bytes").asLong());
      assertThat(RunManifest.sha256(p)).as(p.toString()).isEqualTo(f.get("sha256").asText());
    }
    try (Stream<Path> files = Files.list(out.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("f.csv", "f.csv.manifest.json", "f.quarantine.csv");
    }
  }

  @Test
  void failureBeforeCommit_leavesTheEarlierRunAsItWas_andNoStagedFiles() throws Exception {
    Path out = dir.resolve("run/f.csv");
    assertThat(features(out, "2025-03-31").code()).isIn(0, 3);
    byte[] table = Files.readAllBytes(out);
    String manifest = Files.readString(dir.resolve("run/f.csv.manifest.json"));
    // The portfolio loses its invoices: the computation fails before anything is staged or renamed.
    try (Stream<Path> files = Files.list(portfolio)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("invoices.")).toList()) {
        Files.delete(p);
      }
    }
    CliRun failed = features(out, "2025-06-30", "--overwrite");
    assertThat(failed.code()).as(failed.err()).isEqualTo(2);
    assertThat(Files.readAllBytes(out)).isEqualTo(table);
    assertThat(Files.readString(dir.resolve("run/f.csv.manifest.json"))).isEqualTo(manifest);
    try (Stream<Path> files = Files.list(out.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("f.csv", "f.csv.manifest.json", "f.quarantine.csv");
    }
  }
}

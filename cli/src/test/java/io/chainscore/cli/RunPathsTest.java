package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.engine.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a {@code score} or {@code features} run reads and writes, checked before any work: a
 * {@code --resume} with nothing to resume checked as a fresh run, an output that is an input or
 * another output, a manifest that would overwrite a file, a folder for an output, a format, a
 * folder that cannot be written; and the files of an earlier run a replacing run removes (its
 * stale quarantine) or must leave alone (another run's manifest in a shared folder).
 */
class RunPathsTest {
  @TempDir Path dir;

  private Path model;
  private Path features;

  @BeforeEach
  void modelAndFeatures() throws Exception {
    model = TestRuns.model(dir);
    features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 600, 5, "2025-06-30");
  }

  private CliRun score(Path out, String... more) {
    return score(features, out, more);
  }

  private CliRun score(Path table, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("score", "--model", model.toString(), "--features", table.toString(),
        "--out", out.toString(), "--as-of", "2025-06-30", "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  /** Every file under {@code folder} (hidden ones too) with the SHA-256 of its bytes. */
  static Map<String, String> state(Path folder) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (var walk = Files.walk(folder)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(folder.relativize(p).toString(), RunManifest.sha256(p));
      }
    }
    return files;
  }

  /**
   * A {@code --resume} that finds no interrupted run is a fresh run: the quarantine another run's
   * manifest lists was replaced (it is refused without --resume, exit 2).
   */
  @Test
  void resumeWithNothingToResume_refusesAnotherRunsQuarantine_asAFreshRunDoes() throws Exception {
    Path runs = Files.createDirectories(dir.resolve("runs"));
    Path withBadRows = TestRuns.features(dir.resolve("bad.csv"), 1500, 3, "2025-06-30");
    CliRun first = score(withBadRows, runs.resolve("s.arrow"));
    assertThat(first.code()).as(first.err()).isEqualTo(3);
    Map<String, String> before = state(runs);

    for (String[] more : new String[][] {{}, {"--resume"}}) {
      CliRun second = score(runs.resolve("s.csv"), more);
      assertThat(second.code()).as(String.join(" ", more)).isEqualTo(2);
      assertThat(second.err().strip()).isEqualTo("chainscore score: " + runs.resolve("s.quarantine.csv")
          + " already exists (an output of the run of " + runs.resolve("s.arrow.manifest.json")
          + "); pass --overwrite to replace it");
      assertThat(state(runs)).isEqualTo(before);
    }
  }

  /** The same through {@code features}, whose quarantine a score table of the same base name shares. */
  @Test
  void resumeWithNothingToResume_refusesTheFeatureRunsQuarantine() throws Exception {
    Path runs = dir.resolve("fx");
    CliRun.portfolioWithFeatures(dir.resolve("p"), runs.resolve("feat.parquet"), 40, 7, "csv");
    Path quarantine = runs.resolve("feat.quarantine.csv");
    assertThat(quarantine).exists();
    Map<String, String> before = state(runs);
    CliRun resumed = CliRun.of("score", "--features", runs.resolve("feat.parquet").toString(), "--out",
        runs.resolve("feat.csv").toString(), "--as-of", "2025-06-30", "--quiet", "--resume");
    assertThat(resumed.code()).as(resumed.out()).isEqualTo(2);
    assertThat(resumed.err().strip()).isEqualTo("chainscore score: " + quarantine + " already exists (an output of"
        + " the run of " + runs.resolve("feat.parquet.manifest.json") + "); pass --overwrite to replace it");
    assertThat(state(runs)).isEqualTo(before);
  }

  /** A table with no data rows is refused with and without {@code --resume} (nothing to resume). */
  @Test
  void resumeWithNothingToResume_refusesATableWithNoDataRows() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.csv"), TestRuns.HEADER + ",as_of_date\n");
    for (String[] more : new String[][] {{}, {"--resume"}}) {
      CliRun run = score(empty, dir.resolve("e/s.csv"), more);
      assertThat(run.code()).as(run.out()).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo("chainscore score: " + empty
          + ": no data rows; expected one row per supplier to score after the header");
      assertThat(dir.resolve("e")).doesNotExist();
    }
  }

  /** {@code chainscore args...} in a child JVM started in {@code cwd} (relative paths): exit code and output. */
  private CliRun inFolder(Path cwd, String... args) throws Exception {
    Path log = Files.createTempFile(Files.createDirectories(dir.resolve("logs")), "run", ".log");
    Process p = new ProcessBuilder(TestRuns.javaCommand(ChainScoreCli.class.getName(), args)).directory(cwd.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new CliRun(p.waitFor(), Files.readString(log), "");
  }

  /**
   * Two months' runs, each in its own folder with relative paths, keep their manifests in one
   * folder: the December run deleted M/nov.json, whose recorded "scores.csv" it read from its own
   * working directory as its own output. A manifest's relative path is read from the manifest's
   * folder (or, for OUT.manifest.json beside OUT, from the folder that gives OUT).
   */
  @Test
  void aManifestKeptInASharedFolder_isNotDeletedByAnotherFoldersRun() throws Exception {
    Path shared = Files.createDirectories(dir.resolve("M"));
    Path nov = Files.createDirectories(dir.resolve("nov"));
    Path dec = Files.createDirectories(dir.resolve("dec"));
    String[] args = {"score", "--model", "../scorecard.json", "--features", "../f.csv", "--out", "scores.csv",
        "--as-of", "2025-06-30", "--quiet", "--manifest-out"};
    CliRun november = inFolder(nov, concat(args, "../M/nov.json"));
    assertThat(november.code()).as(november.out()).isZero();
    Map<String, String> novBefore = state(nov);
    Map<String, String> sharedBefore = state(shared);

    CliRun december = inFolder(dec, concat(args, "../M/dec.json"));
    assertThat(december.code()).as(december.out()).isZero();
    assertThat(state(nov)).isEqualTo(novBefore);
    Map<String, String> sharedAfter = state(shared);
    assertThat(sharedAfter.remove("dec.json")).isNotNull();
    assertThat(sharedAfter).as("M/nov.json, byte for byte").isEqualTo(sharedBefore);

    // the manifest of an output's own default name, recorded from the parent folder, is still
    // the output's: replaced with the output (a --manifest-out now) it is deleted, not left stale
    Path run = Files.createDirectories(dir.resolve("run"));
    String[] fromParent = {"score", "--model", "scorecard.json", "--features", "f.csv", "--out", "run/s.csv",
        "--as-of", "2025-06-30", "--quiet"};
    assertThat(inFolder(dir, fromParent).code()).isZero();
    assertThat(run.resolve("s.csv.manifest.json")).exists();
    CliRun replaced = inFolder(dir, concat(fromParent, "--overwrite", "--manifest-out", "run/nightly.json"));
    assertThat(replaced.code()).as(replaced.out()).isZero();
    assertThat(run.resolve("s.csv.manifest.json")).doesNotExist();
    assertThat(run.resolve("nightly.json")).exists();
  }

  private static String[] concat(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}

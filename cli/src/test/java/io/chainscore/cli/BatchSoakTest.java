package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.engine.RunManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak test of issue #16: many {@code chainscore score} runs on one output in child processes,
 * each round one of: kill -9 at a random moment (start-up, scoring, checkpoint, commit, after the
 * end), a full disk (a small tmpfs when the test may mount one, as root; otherwise a file-size
 * limit, {@code ulimit -f}, which fails writes with EFBIG the same way), or two or three runs
 * started together. After each round: every output file present is complete (byte-identical to
 * an uninterrupted run, since all runs score the same input) and, where a manifest is present,
 * matches it; then {@code --resume} finishes the run byte-identically and leaves nothing but the
 * four result files. Bounded to about 15 seconds plus a last round in the suite (about a dozen
 * rounds); {@code -Dchainscore.soak.seconds=N} soaks longer.
 */
class BatchSoakTest {
  // The suite runs a short soak on every build; a longer one is a property away (docs/reliability.md).
  private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(Long.getLong("chainscore.soak.seconds", 15));

  @TempDir Path dir;

  private Path model;
  private Path features;
  private Path outDir;
  private Path out;
  private byte[] referenceScores;
  private byte[] referenceQuarantine;
  private String referenceSummary;
  /** The uninterrupted run's manifest row counts but resumed_from (its quarantine by column among them). */
  private JsonNode referenceRows;

  @Test
  void randomKillsFullDisksAndConcurrentStarts_neverLeaveAnIncompleteOrUnmatchedOutput() throws Exception {
    model = TestRuns.model(dir);
    features = TestRuns.features(dir.resolve("f.csv"), 4000, 31, "2025-06-30");
    Path reference = dir.resolve("ref/s.csv");
    assertThat(CliRun.of(args(reference, false, false)).code()).isEqualTo(3);
    referenceScores = Files.readAllBytes(reference);
    referenceQuarantine = Files.readAllBytes(dir.resolve("ref/s.quarantine.csv"));
    referenceSummary = Files.readString(dir.resolve("ref/s.csv.summary.json"));
    referenceRows = rowsButResumedFrom(dir.resolve("ref/s.csv.manifest.json"));
    assertThat(referenceRows.fieldNames()).toIterable().anyMatch(k -> k.startsWith("quarantined_column_"));
    long resultBytes = referenceScores.length + referenceQuarantine.length + referenceSummary.length() + 4096L;

    outDir = Files.createDirectories(dir.resolve("out"));
    // -Dchainscore.soak.noMount=true exercises the ulimit fallback where mounting would work.
    boolean tmpfs = !Boolean.getBoolean("chainscore.soak.noMount") && mount(outDir, 16L << 20);
    out = outDir.resolve("s.csv");
    SplittableRandom random = new SplittableRandom(20261202);
    int[] rounds = new int[3];
    long deadline = System.nanoTime() + BUDGET_NANOS;
    try {
      while (System.nanoTime() < deadline || rounds[0] + rounds[1] + rounds[2] < 3) {
        int kind = (rounds[0] + rounds[1] + rounds[2]) < 3 ? rounds[0] + rounds[1] + rounds[2] : random.nextInt(3);
        boolean overwrite = Files.exists(out) || random.nextBoolean();
        if (!overwrite) {
          clear();
        }
        switch (kind) {
          case 0 -> killRound(random, overwrite);
          case 1 -> fullDiskRound(random, overwrite, tmpfs, resultBytes);
          default -> concurrentRound(random, overwrite);
        }
        rounds[kind]++;
        assertConsistent("round " + rounds[0] + "/" + rounds[1] + "/" + rounds[2] + " kind " + kind);
        finishAndCheck();
      }
    } finally {
      if (tmpfs) {
        run("umount", outDir.toString());
      }
    }
    assertThat(rounds).doesNotContain(0);
    System.out.printf("soak: %d kill -9, %d disk-full (%s), %d concurrent rounds%n", rounds[0], rounds[1],
        tmpfs ? "tmpfs" : "ulimit -f", rounds[2]);
  }

  private String[] args(Path output, boolean overwrite, boolean resume) {
    List<String> a = new ArrayList<>(List.of("score", "--model", model.toString(), "--features", features.toString(),
        "--out", output.toString(), "--as-of", "2025-06-30", "--quiet", "--chunk-rows", "150", "--threads", "2"));
    if (overwrite) {
      a.add("--overwrite");
    }
    if (resume) {
      a.add("--resume");
    }
    return a.toArray(new String[0]);
  }

  private Process child(String[] args, String shellPrefix) throws IOException {
    Path log = dir.resolve("child-" + System.nanoTime() + ".log");
    if (shellPrefix == null) {
      return TestRuns.chainscore(log, args);
    }
    StringBuilder command = new StringBuilder(shellPrefix).append("; exec");
    for (String s : TestRuns.javaCommand(ChainScoreCli.class.getName(), args)) {
      command.append(" '").append(s.replace("'", "'\\''")).append('\'');
    }
    return new ProcessBuilder("bash", "-c", command.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  private void killRound(SplittableRandom random, boolean overwrite) throws Exception {
    Process p = child(args(out, overwrite, false), null);
    Thread.sleep(300 + random.nextInt(2200));
    p.destroyForcibly();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  private void fullDiskRound(SplittableRandom random, boolean overwrite, boolean tmpfs, long resultBytes)
      throws Exception {
    long room = (long) (resultBytes * (0.3 + 0.9 * random.nextDouble()));
    Process p;
    if (tmpfs) {
      long used = 0;
      try (var files = Files.list(outDir)) {
        for (Path f : files.toList()) {
          used += (Files.size(f) + 4095) / 4096 * 4096;
        }
      }
      assertThat(run("mount", "-o", "remount,size=" + ((used + room) / 1024 + 64) + "k", outDir.toString())).isTrue();
      p = child(args(out, overwrite, false), null);
    } else {
      p = child(args(out, overwrite, false), "ulimit -f " + Math.max(4, room / 1024));
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isIn(0, 1, 3);
    if (tmpfs) {
      assertThat(run("mount", "-o", "remount,size=16m", outDir.toString())).isTrue();
    }
  }

  private void concurrentRound(SplittableRandom random, boolean overwrite) throws Exception {
    int n = 2 + random.nextInt(2);
    List<Process> runs = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      runs.add(child(args(out, overwrite, k > 0 && random.nextBoolean()), null));
    }
    boolean kill = random.nextInt(3) == 0;
    if (kill) {
      Thread.sleep(500 + random.nextInt(1500));
      runs.get(random.nextInt(n)).destroyForcibly();
    }
    for (Process p : runs) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      // 0/3 done; 2 refused (locked, exists, checkpoint in the way); 137 killed.
      assertThat(p.exitValue()).isIn(0, 2, 3, 137);
    }
  }

  /** Every result file present is complete, and a manifest present matches every file it names. */
  private void assertConsistent(String round) throws IOException {
    if (Files.exists(out)) {
      assertThat(Files.readAllBytes(out)).as(round + ": scores present are complete").isEqualTo(referenceScores);
    }
    Path quarantine = outDir.resolve("s.quarantine.csv");
    if (Files.exists(quarantine)) {
      assertThat(Files.readAllBytes(quarantine)).as(round + ": quarantine").isEqualTo(referenceQuarantine);
    }
    Path summary = outDir.resolve("s.csv.summary.json");
    if (Files.exists(summary)) {
      assertSameSummary(summary, round);
    }
    Path manifest = outDir.resolve("s.csv.manifest.json");
    if (Files.exists(manifest)) {
      JsonNode m = new ObjectMapper().readTree(manifest.toFile());
      for (JsonNode f : m.get("outputs")) {
        Path p = Path.of(f.get("path").asText());
        assertThat(p).as(round + ": the manifest's files are all there").exists();
        assertThat(RunManifest.sha256(p)).as(round + ": " + p).isEqualTo(f.get("sha256").asText());
      }
    } else if (Files.exists(out)) {
      assertThat(outDir.resolve("s.csv.commit.json")).as(round + ": scores without a manifest only mid-commit").exists();
    }
  }

  private static JsonNode rowsButResumedFrom(Path manifest) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode rows =
        (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(manifest.toFile()).get("rows");
    rows.remove("resumed_from");
    return rows;
  }

  /** Resumes whatever is unfinished and checks the run is complete, identical and tidy. */
  private void finishAndCheck() throws Exception {
    boolean interrupted = Files.exists(outDir.resolve("s.csv.checkpoint.json"))
        || Files.exists(outDir.resolve("s.csv.commit.json"));
    if (interrupted || !Files.exists(outDir.resolve("s.csv.manifest.json"))) {
      CliRun resumed = CliRun.of(args(out, false, true));
      assertThat(resumed.code()).as(resumed.err()).isEqualTo(3);
    } else if (strays()) {
      // A run killed before its first checkpoint leaves partial files and nothing to resume from:
      // the complete result beside them stands, and a new run replaces both.
      CliRun again = CliRun.of(args(out, true, false));
      assertThat(again.code()).as(again.err()).isEqualTo(3);
    }
    assertThat(Files.readAllBytes(out)).isEqualTo(referenceScores);
    assertThat(Files.readAllBytes(outDir.resolve("s.quarantine.csv"))).isEqualTo(referenceQuarantine);
    assertSameSummary(outDir.resolve("s.csv.summary.json"), "after resume");
    // the run report's counts, the quarantine by column too, whatever was interrupted and resumed
    assertThat(rowsButResumedFrom(outDir.resolve("s.csv.manifest.json"))).isEqualTo(referenceRows);
    assertConsistent("after resume");
    try (var files = Files.list(outDir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("s.csv", "s.csv.manifest.json", "s.csv.summary.json", "s.quarantine.csv");
    }
  }

  /**
   * The summary is the reference byte for byte: its maps' keys are written sorted (ResultJson), so
   * their order no longer depends on the JVM (issue #16 item 6; until 2026-12-07 this compared the
   * two as JSON values).
   */
  private void assertSameSummary(Path summary, String round) throws IOException {
    assertThat(Files.readString(summary)).as(round + ": summary").isEqualTo(referenceSummary);
  }

  private boolean strays() throws IOException {
    try (var files = Files.list(outDir)) {
      return files.map(p -> p.getFileName().toString()).anyMatch(n -> !List.of("s.csv", "s.csv.manifest.json",
          "s.csv.summary.json", "s.quarantine.csv").contains(n));
    }
  }

  private void clear() throws IOException {
    try (var files = Files.list(outDir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
  }

  /** Mounts a tmpfs of {@code bytes} on {@code dir} where this process may (root); false otherwise. */
  private static boolean mount(Path dir, long bytes) {
    if (!System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return false;
    }
    return run("mount", "-t", "tmpfs", "-o", "size=" + (bytes >> 10) + "k", "tmpfs", dir.toString());
  }

  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

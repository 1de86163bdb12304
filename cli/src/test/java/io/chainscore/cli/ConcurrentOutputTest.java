package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.engine.OutputLock;
import io.chainscore.batch.engine.RunManifest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 1: two runs on one {@code --out} at once. Before the lock, the second run wrote
 * the same partial files as the first and one reported success over a half-written output whose
 * manifest hash did not match; now a run holds an OS lock on its output for its whole life and a
 * second run is refused with exit 2 naming the holder. Real processes throughout.
 */
class ConcurrentOutputTest {
  @TempDir Path dir;

  @Test
  void secondRun_onALockedOutput_isRefusedNamingTheHolder_andTheLockDiesWithItsProcess() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.features(dir.resolve("f.csv"), 500, 3, "2025-06-30");
    Path out = dir.resolve("d/s.csv");
    Files.createDirectories(out.getParent());
    Process holder = new ProcessBuilder(TestRuns.javaCommand(LockHolderMain.class.getName(), out.toString()))
        .redirectErrorStream(true).start();
    try {
      BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(said.readLine()).startsWith("locked ");

      CliRun refused = CliRun.of("score", "--model", model.toString(), "--features", features.toString(),
          "--out", out.toString(), "--as-of", "2025-06-30", "--quiet", "--overwrite");
      assertThat(refused.code()).as(refused.err()).isEqualTo(2);
      assertThat(refused.err().strip()).isEqualTo("chainscore score: " + out + " is being written by another run (pid "
          + holder.pid() + ", chainscore score (lock holder of a test), started "
          + refused.err().replaceAll("(?s).*started ([^)]*)\\).*", "$1") + "); wait for it to finish or choose another --out");
      assertThat(out).doesNotExist();
      assertThat(out.resolveSibling("s.csv.manifest.json")).doesNotExist();
    } finally {
      holder.destroyForcibly();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    // kill -9 released the lock: the lock file it left is taken over, and removed after the run.
    assertThat(OutputLock.lockPath(out)).exists();
    CliRun after = CliRun.of("score", "--model", model.toString(), "--features", features.toString(),
        "--out", out.toString(), "--as-of", "2025-06-30", "--quiet");
    assertThat(after.code()).as(after.err()).isIn(0, 3);
    assertThat(OutputLock.lockPath(out)).doesNotExist();
  }

  /**
   * Two outputs of one base name share their quarantine ({@code s.csv} and {@code s.arrow}:
   * {@code s.quarantine.csv}): a run holds its side files' locks too, so the second is refused at
   * once. Before, both ran, and the later commit replaced the earlier's refused rows under its
   * manifest (an audit's race, 3 of 3 rounds). The lock here is the one an {@code s.arrow} run holds,
   * in this JVM (two acquisitions exclude each other as two processes do). And --quarantine-out into
   * a folder not there yet gets it made (it failed naming a hidden file).
   */
  @Test
  void runsSharingAQuarantineByName_excludeEachOther_andAQuarantineFolderIsMade() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.features(dir.resolve("f.csv"), 300, 3, "2025-06-30");
    Path arrow = dir.resolve("d/s.arrow");
    Path shared = dir.resolve("d/s.quarantine.csv");
    try (AutoCloseable held = OutputLock.acquireAll(List.of(arrow, shared), "chainscore score (a test's s.arrow run)")) {
      CliRun csv = CliRun.of("score", "--model", model.toString(), "--features", features.toString(),
          "--out", dir.resolve("d/s.csv").toString(), "--as-of", "2025-06-30", "--quiet");
      assertThat(csv.code()).as(csv.err()).isEqualTo(2);
      assertThat(csv.err().strip()).startsWith("chainscore score: " + shared + " is being written by another run (pid "
          + ProcessHandle.current().pid() + ", chainscore score (a test's s.arrow run)");
      assertThat(dir.resolve("d/s.csv")).doesNotExist();
      // the s.csv run released what it had taken: its own output's lock
      assertThat(OutputLock.lockPath(dir.resolve("d/s.csv"))).doesNotExist();
    }
    Path portfolio = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "30", "--seed", "2", "--out", portfolio.toString()).code()).isZero();
    try (AutoCloseable held = OutputLock.acquireAll(List.of(dir.resolve("e/feat.quarantine.csv")), "chainscore features")) {
      CliRun feats = CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30",
          "--out", dir.resolve("e/feat.csv").toString(), "--quiet");
      assertThat(feats.code()).as(feats.err()).isEqualTo(2);
      assertThat(feats.err()).contains(dir.resolve("e/feat.quarantine.csv") + " is being written by another run");
    }
    CliRun apart = CliRun.of("score", "--model", model.toString(), "--features", features.toString(),
        "--out", dir.resolve("q/s.csv").toString(), "--as-of", "2025-06-30", "--quiet", "--quarantine-out",
        dir.resolve("q/refused/bad.csv").toString());
    assertThat(apart.code()).as(apart.err()).isIn(0, 3);
    assertThat(dir.resolve("q/refused/bad.csv")).exists();
  }

  @Test
  void twoRealRuns_startedTogetherOnOneOutput_oneWins_andItsOutputMatchesItsManifest() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.features(dir.resolve("f.csv"), 20_000, 5, "2025-06-30");
    Path reference = dir.resolve("ref/s.csv");
    assertThat(CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        reference.toString(), "--as-of", "2025-06-30", "--quiet", "--chunk-rows", "500", "--threads", "1").code()).isIn(0, 3);
    Path out = dir.resolve("d/s.csv");
    int refusals = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      boolean overwrite = attempt > 0;
      List<Process> runs = new ArrayList<>();
      List<Path> logs = new ArrayList<>();
      for (int k = 0; k < 2; k++) {
        Path log = dir.resolve("run-" + attempt + "-" + k + ".log");
        logs.add(log);
        List<String> args = new ArrayList<>(List.of("score", "--model", model.toString(), "--features", features.toString(),
            "--out", out.toString(), "--as-of", "2025-06-30", "--quiet", "--chunk-rows", "500", "--threads", "1"));
        if (overwrite) {
          args.add("--overwrite");
        }
        runs.add(TestRuns.chainscore(log, args.toArray(new String[0])));
      }
      int winners = 0;
      for (int k = 0; k < 2; k++) {
        assertThat(runs.get(k).waitFor(120, TimeUnit.SECONDS)).isTrue();
        int code = runs.get(k).exitValue();
        String log = Files.readString(logs.get(k));
        if (code == 3 || code == 0) {
          winners++;
        } else {
          assertThat(code).as(log).isEqualTo(2);
          // Refused: by the lock while the other ran (named by pid, or as just starting when it had
          // not written its pid yet), or (first attempt) because the other had finished.
          assertThat(log).containsAnyOf("is being written by another run (", "already exists; pass --overwrite");
          refusals += log.contains("is being written by another run (") ? 1 : 0;
        }
      }
      assertThat(winners).as("attempt " + attempt).isGreaterThanOrEqualTo(1);
      // Whatever happened, the result is the complete run: equal to the reference and to its manifest.
      assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(reference));
      JsonNode manifest = new ObjectMapper().readTree(out.resolveSibling("s.csv.manifest.json").toFile());
      for (JsonNode f : manifest.get("outputs")) {
        assertThat(RunManifest.sha256(Path.of(f.get("path").asText()))).as(f.get("path").asText())
            .isEqualTo(f.get("sha256").asText());
      }
      JsonNode summary = new ObjectMapper().readTree(out.resolveSibling("s.csv.summary.json").toFile());
      assertThat(summary.get("suppliers").asLong()).isEqualTo(Files.readAllLines(reference).size() - 1);
      try (var files = Files.list(out.getParent())) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
            .containsExactly("s.csv", "s.csv.manifest.json", "s.csv.summary.json", "s.quarantine.csv");
      }
    }
    assertThat(refusals).as("at least one start met the other run's lock").isPositive();
  }
}

package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #16 item 7: validate replaced an existing --out silently; a --max-bad-rows stop blocked the rerun. */
class OverwriteAndLeftoversTest {
  @TempDir Path dir;

  @Test
  void validate_refusesToReplaceAnExistingResult_withoutOverwrite() throws Exception {
    Path model = TestRuns.model(dir);
    Path data = TestRuns.cleanFeatures(dir.resolve("v.csv"), 400, 6, null);
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(data));
    lines.set(0, lines.get(0) + ",defaulted");
    for (int i = 1; i < lines.size(); i++) {
      lines.set(i, lines.get(i) + "," + (i % 9 == 0 ? 1 : 0));
    }
    Files.write(data, lines);
    Path out = dir.resolve("val");
    CliRun first = CliRun.of("validate", "--model", model.toString(), "--data", data.toString(), "--target", "defaulted",
        "--out", out.toString());
    assertThat(first.code()).as(first.err()).isZero();
    Files.writeString(out.resolve("metrics.json"), "kept");
    CliRun second = CliRun.of("validate", "--model", model.toString(), "--data", data.toString(), "--target", "defaulted",
        "--out", out.toString());
    assertThat(second.code()).isEqualTo(2);
    assertThat(second.err().strip()).isEqualTo("chainscore validate: " + out.resolve("metrics.json")
        + " already exists; pass --overwrite to replace it");
    assertThat(Files.readString(out.resolve("metrics.json"))).isEqualTo("kept");
    CliRun replaced = CliRun.of("validate", "--model", model.toString(), "--data", data.toString(), "--target", "defaulted",
        "--out", out.toString(), "--overwrite");
    assertThat(replaced.code()).as(replaced.err()).isZero();
    assertThat(Files.readString(out.resolve("metrics.json"))).contains("\"auc\"");

    // a folder where report.html goes: refused before the work, and the earlier run's files kept
    // (until 2026-12-07 metrics.json was replaced first, then the report failed "Is a directory",
    // exit 1, leaving this run's metrics beside nothing of its report)
    byte[] metricsBefore = Files.readAllBytes(out.resolve("metrics.json"));
    Files.delete(out.resolve("report.html"));
    Files.createDirectory(out.resolve("report.html"));
    CliRun folder = CliRun.of("validate", "--model", model.toString(), "--data", data.toString(), "--target",
        "defaulted", "--out", out.toString(), "--overwrite");
    assertThat(folder.code()).as(folder.err()).isEqualTo(2);
    assertThat(folder.err().strip()).isEqualTo("chainscore validate: " + out.resolve("report.html") + " is a"
        + " directory; the run writes a file of that name there");
    assertThat(Files.readAllBytes(out.resolve("metrics.json"))).isEqualTo(metricsBefore);
    try (var files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
          .as("nothing staged left behind").containsExactly("metrics.json", "report.html");
    }
  }

  @Test
  void maxBadRowsStop_keepsItsQuarantineToRead_butNotInTheWayOfTheCorrectedRerun() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 3000, 12, "2025-06-30");
    List<String> rows = new java.util.ArrayList<>(Files.readAllLines(features));
    for (int i = 100; i < rows.size(); i += 100) {
      rows.set(i, rows.get(i).replaceFirst(",(MANUFACTURING|LOGISTICS|RETAIL|AGRICULTURE),", ",MINING,"));
    }
    Files.write(features, rows);
    int total = rows.size() - 1;
    long bad = Files.readAllLines(features).stream().filter(l -> l.contains(",MINING,")).count();
    assertThat(bad).isGreaterThan(2);
    Path out = dir.resolve("s.csv");
    CliRun stopped = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        out.toString(), "--as-of", "2025-06-30", "--max-bad-rows", "1", "--chunk-rows", "100", "--quiet");
    assertThat(stopped.code()).isEqualTo(2);
    assertThat(out).doesNotExist();
    assertThat(Files.readAllLines(dir.resolve("s.quarantine.csv"))).hasSizeGreaterThan(2);

    // The corrected input (bad rows removed) reruns without --overwrite.
    Files.write(features, Files.readAllLines(features).stream().filter(l -> !l.contains(",MINING,")).toList());
    CliRun rerun = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        out.toString(), "--as-of", "2025-06-30", "--max-bad-rows", "1", "--quiet");
    assertThat(rerun.code()).as(rerun.err()).isZero();
    assertThat(Files.readAllLines(dir.resolve("s.quarantine.csv"))).containsExactly("row,record_id,column,reason");
    assertThat(Files.readAllLines(out)).hasSize(1 + total - (int) bad);
  }

  /**
   * Two outputs of one base name share {@code BASE.quarantine.csv}: {@code s.arrow}'s run with bad
   * rows, then {@code s.csv}'s replaced its quarantine with an empty one (exit 0), while the first
   * run's manifest still vouched for the old bytes. Now refused as features refuses it, naming the
   * file and the run it belongs to; replaced only with --overwrite.
   */
  @Test
  void score_refusesAnotherRunsQuarantine_withoutOverwrite() throws Exception {
    Path model = TestRuns.model(dir);
    Path withBadRows = TestRuns.features(dir.resolve("bad.csv"), 1500, 3, "2025-06-30");
    Path clean = TestRuns.cleanFeatures(dir.resolve("clean.csv"), 300, 4, "2025-06-30");
    Path runs = Files.createDirectories(dir.resolve("ow"));
    CliRun first = CliRun.of("score", "--model", model.toString(), "--features", withBadRows.toString(), "--out",
        runs.resolve("s.arrow").toString(), "--as-of", "2025-06-30", "--quiet");
    assertThat(first.code()).as(first.err()).isEqualTo(3);
    Path quarantine = runs.resolve("s.quarantine.csv");
    byte[] before = Files.readAllBytes(quarantine);
    assertThat(Files.readAllLines(quarantine)).hasSizeGreaterThan(1);

    CliRun second = CliRun.of("score", "--model", model.toString(), "--features", clean.toString(), "--out",
        runs.resolve("s.csv").toString(), "--as-of", "2025-06-30", "--quiet");
    assertThat(second.code()).isEqualTo(2);
    assertThat(second.err().strip()).isEqualTo("chainscore score: " + quarantine + " already exists (an output of the"
        + " run of " + runs.resolve("s.arrow.manifest.json") + "); pass --overwrite to replace it");
    assertThat(Files.readAllBytes(quarantine)).isEqualTo(before);
    assertThat(runs.resolve("s.csv")).doesNotExist();
    assertThat(runs.resolve("s.csv.manifest.json")).doesNotExist();

    CliRun replaced = CliRun.of("score", "--model", model.toString(), "--features", clean.toString(), "--out",
        runs.resolve("s.csv").toString(), "--as-of", "2025-06-30", "--quiet", "--overwrite");
    assertThat(replaced.code()).as(replaced.err()).isZero();
    assertThat(Files.readAllLines(quarantine)).containsExactly("row,record_id,column,reason");
  }
}

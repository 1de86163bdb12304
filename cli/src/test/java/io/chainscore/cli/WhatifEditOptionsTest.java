package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --set} and {@code --scale} of {@code explain} and {@code whatif}: a feature given twice in
 * one option is refused in one line (exit 2). Until 2026-12-07 the last of {@code --scale x=2
 * --scale x=3} was kept and the other dropped without a word. ({@code --set x=1 --scale x=2} sets,
 * then scales: 2.) And {@code whatif --out}, the table of every supplier, with one {@code
 * --supplier} (or a row of {@code --set} alone) is refused: it exited 0 without writing the file.
 */
class WhatifEditOptionsTest {
  @TempDir Path dir;

  private Path model;
  private Path features;

  @BeforeEach
  void files() throws Exception {
    model = TestRuns.model(dir);
    features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 20, 5, "2025-06-30");
  }

  private CliRun refused(String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n");
    return run;
  }

  /** A folder as the table to write is named as one (it was "has an unknown extension"). */
  @Test
  void outAFolder_isRefusedAsAFolder() throws Exception {
    java.nio.file.Path folder = java.nio.file.Files.createDirectories(dir.resolve("out.csv"));
    assertThat(refused("whatif", "--model", model.toString(), "--features", features.toString(), "--out",
        folder.toString(), "--scale", "dilution_rate_12m=2").err().strip())
        .isEqualTo("chainscore whatif: --out " + folder + ": is a directory; expected a file");
  }

  @Test
  void aFeatureEditedTwice_isRefused() {
    String f = features.toString();
    String m = model.toString();
    assertThat(refused("whatif", "--model", m, "--features", f, "--supplier", "S0000001",
        "--scale", "dilution_rate_12m=2", "--scale", "dilution_rate_12m=3").err().strip())
        .isEqualTo("chainscore whatif: --scale dilution_rate_12m=3: dilution_rate_12m is given twice (also as"
            + " dilution_rate_12m=2)");
    assertThat(refused("whatif", "--model", m, "--features", f, "--supplier", "S0000001",
        "--set", "dilution_rate_12m=0.1", "--set", "dilution_rate_12m=0.2").err())
        .contains("--set dilution_rate_12m=0.2: dilution_rate_12m is given twice (also as dilution_rate_12m=0.1)");
    assertThat(refused("explain", "--model", m, "--features", f, "--supplier", "S0000001",
        "--set", "dilution_rate_12m=0.1", "--set", "dilution_rate_12m=0.2").err())
        .startsWith("chainscore explain: --set dilution_rate_12m=0.2: dilution_rate_12m is given twice");
    assertThat(refused("whatif", "--model", m, "--features", f, "--supplier", "S0000001", "--scale",
        "dilution_rate_12m").err()).contains("--scale dilution_rate_12m: expected FEATURE=FACTOR");

    // each once: accepted, the two edits both applied
    CliRun ok = CliRun.of("whatif", "--model", m, "--features", f, "--supplier", "S0000001",
        "--set", "dilution_rate_12m=0.1", "--scale", "on_time_delivery_rate=0.5");
    assertThat(ok.code()).as(ok.err()).isZero();
  }

  @Test
  void whatifOut_withOneSupplier_isRefused_notIgnored() {
    Path out = dir.resolve("w.csv");
    assertThat(refused("whatif", "--model", model.toString(), "--features", features.toString(), "--supplier",
        "S0000001", "--scale", "dilution_rate_12m=2", "--out", out.toString()).err())
        .startsWith("chainscore whatif: --out " + out + ": the before/after table of every supplier of --features");
    refused("whatif", "--model", model.toString(), "--set", "dilution_rate_12m=0.1", "--out", out.toString());
    assertThat(out).doesNotExist();
  }
}

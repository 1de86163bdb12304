package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.engine.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The convention's "no output replaces an input, or another output, --overwrite or not" in the
 * commands that write one file: until 2026-12-07 only {@code score} and {@code features} checked it,
 * and {@code sign --out BUNDLE --overwrite} replaced the bundle with its signature, {@code export
 * --out BUNDLE} with PMML, {@code whatif --out FEATURES} the feature table with the before/after
 * table, and {@code train --holdout-out DATA} the development sample with its held-out rows (even
 * without {@code --overwrite}, and though the training then failed).
 */
class OutputOverInputTest {
  @TempDir Path dir;

  private Path model;
  private Path features;

  @BeforeEach
  void files() throws Exception {
    model = TestRuns.model(dir);
    features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 50, 5, "2025-06-30");
  }

  private void refused(Path input, String... args) throws Exception {
    String before = RunManifest.sha256(input);
    CliRun run = CliRun.of(args);
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains("a run never writes over its input")
        .contains(input.toString());
    assertThat(RunManifest.sha256(input)).isEqualTo(before);
  }

  @Test
  void signExportImportWhatifAndTrain_refuseAnOutputThatIsTheirInput() throws Exception {
    CliRun keys = CliRun.of("keygen", "--out", dir.resolve("k").toString());
    assertThat(keys.code()).as(keys.err()).isZero();
    Path key = dir.resolve("k.key");

    refused(model, "sign", "--model", model.toString(), "--key", key.toString(), "--out", model.toString(),
        "--overwrite");
    refused(key, "sign", "--model", model.toString(), "--key", key.toString(), "--out", key.toString(), "--overwrite");
    refused(model, "export", "pmml", "--model", model.toString(), "--out", model.toString(), "--overwrite");
    refused(features, "whatif", "--model", model.toString(), "--features", features.toString(), "--scale",
        "x=2", "--out", features.toString(), "--overwrite");
    refused(features, "train", "--data", features.toString(), "--target", "t", "--out",
        dir.resolve("m.json").toString(), "--holdout-out", features.toString());
    // another spelling of the same file is the same file
    refused(model, "export", "pmml", "--model", model.toString(), "--out",
        dir.resolve("sub").resolve("..").resolve(model.getFileName()).toString(), "--overwrite");
    assertThat(dir.resolve("m.json")).doesNotExist();
  }

  @Test
  void trainRefusesTheSameFileForTheBundleAndTheHeldOutRows() {
    Path out = dir.resolve("m.json");
    CliRun run = CliRun.of("train", "--data", features.toString(), "--target", "t", "--out", out.toString(),
        "--holdout-out", out.toString());
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("chainscore train: --out " + out + " is the same file as --holdout-out "
        + out + "; each output of a run needs a file of its own");
    assertThat(out).doesNotExist();
  }
}

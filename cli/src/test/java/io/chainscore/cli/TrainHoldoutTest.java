package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --holdout-out} is an output of a run that succeeded: written with the bundle, never
 * by a run that failed (until 2026-12-07 the held-out rows were written before training and stayed
 * when the training failed, and the next run was refused for them without --overwrite).
 */
class TrainHoldoutTest {
  @TempDir Path dir;

  private Path sample(int rows) throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    List<String> lines = new ArrayList<>(List.of("x,y,t"));
    for (int i = 0; i < rows; i++) {
      double x = random.nextDouble();
      lines.add(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%d", x, random.nextDouble(),
          random.nextDouble() < 0.1 + 0.3 * x ? 1 : 0));
    }
    return Files.write(dir.resolve("sample.csv"), lines);
  }

  @Test
  void aFailedTraining_leavesNoHeldOutRows_aSuccessfulOneWritesThem() throws Exception {
    Path data = sample(600);
    Path holdout = dir.resolve("out").resolve("holdout.csv");
    Path bundle = dir.resolve("out").resolve("m.json");
    // no characteristic reaches an IV of 50: the training fails after the sample was split
    CliRun failed = CliRun.of("train", "--data", data.toString(), "--target", "t", "--min-iv", "50",
        "--holdout-out", holdout.toString(), "--out", bundle.toString());
    assertThat(failed.code()).as(failed.err()).isEqualTo(2);
    assertThat(holdout).doesNotExist();
    assertThat(bundle).doesNotExist();
    if (Files.isDirectory(holdout.getParent())) {
      try (var files = Files.list(holdout.getParent())) {
        assertThat(files.toList()).isEmpty();
      }
    }

    CliRun ok = CliRun.of("train", "--data", data.toString(), "--target", "t", "--holdout-out", holdout.toString(),
        "--out", bundle.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(bundle).exists();
    // the header and the rows train held out, as many as it reports testing on
    java.util.regex.Matcher test = java.util.regex.Pattern.compile("(?m)^test: (\\d+) rows").matcher(ok.out());
    assertThat(test.find()).as(ok.out()).isTrue();
    int heldOut = Integer.parseInt(test.group(1));
    assertThat(heldOut).isBetween(150, 210);
    assertThat(Files.readAllLines(holdout)).hasSize(1 + heldOut);
    assertThat(ok.err()).contains("train: wrote the " + heldOut + " held-out rows to " + holdout);
  }
}

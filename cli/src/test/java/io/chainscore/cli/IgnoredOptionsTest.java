package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Option values that were accepted and then ignored, exit 0: {@code score --no-duplicate-check}
 * on a feature table (which has no invoices to check). Now one line, exit 2, nothing written.
 */
class IgnoredOptionsTest {
  @TempDir Path dir;

  @Test
  void scoreNoDuplicateCheck_onAFeatureTable_isRefused() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 20, 5, "2025-06-30");
    Path out = dir.resolve("s.csv");
    CliRun run = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--as-of",
        "2025-06-30", "--out", out.toString(), "--quiet", "--no-duplicate-check");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("chainscore score: --no-duplicate-check skips the invoice check of"
        + " --transactions; a feature table has no invoices");
    assertThat(out).doesNotExist();
  }
}

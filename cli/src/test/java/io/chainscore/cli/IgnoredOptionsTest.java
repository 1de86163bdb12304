package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Option values that were accepted and then ignored or misread, exit 0: {@code score
 * --no-duplicate-check} on a feature table (which has no invoices to check), and {@code keygen
 * --out /}, which wrote {@code null.key} and {@code null.pub} into the working folder. Each is now
 * one line, exit 2, nothing written.
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

  @Test
  void keygenOut_withoutABaseName_isRefused() {
    for (String out : new String[] {"/", ""}) {
      CliRun run = CliRun.of("keygen", "--out", out);
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo("chainscore keygen: --out '" + out + "': expected the path and base"
          + " name of the two key files, e.g. keys/signing for keys/signing.key and keys/signing.pub");
    }
    assertThat(Files.exists(Path.of("null.key"))).isFalse();
    assertThat(Files.exists(Path.of(".key"))).isFalse();
  }

  /**
   * An --out that ends with a separator names a folder, not a base name: "keys/" wrote keys.key and
   * keys.pub beside the folder keys, where --trust keys/ then found no key.
   */
  @Test
  void keygenOut_endingWithASeparator_isRefused_nothingWritten() {
    Path folder = dir.resolve("keys");
    String out = folder + "/";
    CliRun run = CliRun.of("keygen", "--out", out);
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("chainscore keygen: --out '" + out + "': expected the path and base"
        + " name of the two key files, e.g. keys/signing for keys/signing.key and keys/signing.pub");
    assertThat(dir.resolve("keys.key")).doesNotExist();
    assertThat(dir.resolve("keys.pub")).doesNotExist();
  }
}

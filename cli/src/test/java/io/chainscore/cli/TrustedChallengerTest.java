package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --require-signed --trust} refuses an unsigned bundled challenger naming {@code
 * --challenger}, the option to change; until 2026-12-07 the line said "give a signed bundle file
 * with --model", the option that already named a signed bundle.
 */
class TrustedChallengerTest {
  @TempDir Path dir;

  @Test
  void anUnsignedBundledChallenger_isRefusedNamingChallenger() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 20, 1, "2025-06-30");
    assertThat(CliRun.of("keygen", "--out", dir.resolve("ops").toString()).code()).isZero();
    CliRun sign = CliRun.of("sign", "--model", model.toString(), "--key", dir.resolve("ops.key").toString());
    assertThat(sign.code()).as(sign.err()).isZero();
    Path out = dir.resolve("s.csv");
    CliRun run = CliRun.of("score", "--model", model.toString(), "--challenger", "smb-supply-chain-gbdt", "--features",
        features.toString(), "--out", out.toString(), "--as-of", "2025-06-30", "--trust",
        dir.resolve("ops.pub").toString(), "--quiet");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("chainscore score: --require-signed: the bundled model smb-supply-chain-gbdt"
        + " is not signed; give a signed bundle file with --challenger");
    assertThat(out).doesNotExist();
  }
}

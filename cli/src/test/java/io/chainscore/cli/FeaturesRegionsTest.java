package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code features --regions}: a code listed twice or an empty code is refused, one line, exit 2,
 * nothing written. Until 2026-12-07 {@code --regions CN-GD,CN-JS,CN-GD} gave CN-GD's suppliers
 * region_index 2 and left 0 unused, and {@code --regions ""} made every supplier's region missing,
 * exit 0 both.
 */
class FeaturesRegionsTest {
  @TempDir Path dir;

  @Test
  void aRepeatedOrEmptyRegionCode_isRefused() {
    Path portfolio = dir.resolve("p");
    CliRun gen = CliRun.of("generate", "--suppliers", "10", "--seed", "3", "--quiet", "--out", portfolio.toString());
    assertThat(gen.code()).as(gen.err()).isZero();
    Path out = dir.resolve("out").resolve("f.csv");
    String[][] cases = {
        {"CN-GD,CN-JS,CN-GD", "chainscore features: regions: 'CN-GD' is listed twice, at region_index 0 and 2; each"
            + " region code once, in region_index order"},
        {"", "chainscore features: regions: the code at region_index 0 is empty; expected a region code (the"
            + " suppliers table's region) at each place"}};
    for (String[] c : cases) {
      CliRun run = CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--quiet",
          "--regions", c[0], "--out", out.toString());
      assertThat(run.code()).as(run.err()).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo(c[1]);
      assertThat(out.getParent()).doesNotExist();
    }
    CliRun ok = CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--quiet",
        "--regions", "CN-GD,CN-JS", "--out", out.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
  }
}

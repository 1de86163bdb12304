package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #16 item 8: exit codes and messages, each case as reported. */
class ExitCodesAndMessagesTest {
  @TempDir Path dir;

  private static void assertOneLine(CliRun run) {
    assertThat(run.err().strip()).doesNotContain("\n").doesNotContain("\tat ");
    assertThat(run.err().strip().chars()).noneMatch(c -> Character.isISOControl(c));
  }

  @Test
  void explain_hugeOrInfiniteValue_exitsTwoNamingTheFeature() {
    // Out of the feature's valid range: the scorer's refusal (a ScoringException) used to exit 1.
    CliRun huge = CliRun.of("explain", "--set", "on_time_delivery_rate_12m=1e308");
    assertThat(huge.code()).as(huge.err()).isEqualTo(2);
    // checked against the feature's range when the command line is read, naming the option as given
    assertThat(huge.err().strip()).isEqualTo("chainscore explain: --set on_time_delivery_rate_12m=1e308:"
        + " outside the feature's valid range [0, 1]");
    assertOneLine(huge);

    CliRun infinite = CliRun.of("explain", "--set", "open_receivables=Infinity");
    assertThat(infinite.code()).isEqualTo(2);
    assertThat(infinite.err().strip()).isEqualTo("chainscore explain: --set open_receivables=Infinity: not a finite"
        + " number; expected a value in the feature's valid range [0, +inf]");
    CliRun scaled = CliRun.of("whatif", "--set", "open_receivables=10", "--scale", "open_receivables=NaN");
    assertThat(scaled.code()).isEqualTo(2);
    assertThat(scaled.err().strip()).isEqualTo("chainscore whatif: --scale open_receivables=NaN: the factor is not a finite number");
  }

  @Test
  void directoryOrLinkLoopGivenAsAFile_isNamed_exitTwo() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("features.csv"));
    CliRun directory = CliRun.of("score", "--features", folder.toString(), "--as-of", "2025-06-30", "--out",
        dir.resolve("s.csv").toString());
    assertThat(directory.code()).isEqualTo(2);
    assertThat(directory.err().strip()).isEqualTo("chainscore score: --features " + folder + ": is a directory; expected a file");

    Path loop = dir.resolve("loop.csv");
    Files.createSymbolicLink(loop, loop);
    CliRun looped = CliRun.of("explain", "--features", loop.toString(), "--supplier", "S1");
    assertThat(looped.code()).isEqualTo(2);
    assertThat(looped.err().strip()).startsWith("chainscore explain: --features " + loop + ": is a symbolic link loop (");
    assertThat(looped.err()).doesNotContain("no such file");

    Path dangling = dir.resolve("gone.csv");
    Files.createSymbolicLink(dangling, dir.resolve("nowhere.csv"));
    CliRun missing = CliRun.of("explain", "--features", dangling.toString(), "--supplier", "S1");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip()).isEqualTo("chainscore explain: --features " + dangling + ": is a symbolic link to a missing file");

    // A table inside a portfolio directory that is a directory: named too.
    Path portfolio = Files.createDirectories(dir.resolve("p"));
    Files.createDirectories(portfolio.resolve("anchors.csv"));
    CliRun table = CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        dir.resolve("f.csv").toString(), "--quiet");
    assertThat(table.code()).isEqualTo(2);
    assertThat(table.err().strip()).isEqualTo("chainscore features: " + portfolio.resolve("anchors.csv")
        + ": is a directory; expected the anchors table file (a directory of part files is read as one table when"
        + " it is named anchors.parquet)");
  }

  @Test
  void portfolioOutAtAFile_isNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("afile"), "x");
    CliRun run = CliRun.of("portfolio", "--scores", file.toString(), "--exposures", file.toString(), "--out", file.toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("chainscore portfolio: --out " + file + ": is a file; expected a directory");
    assertThat(run.err()).doesNotContain("null");
  }

  @Test
  void corruptParquet_isOneLineWithoutControlBytes_andCalledParquet() throws Exception {
    byte[] bytes = new byte[600];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 37 + 11);
    }
    System.arraycopy("PAR1".getBytes(), 0, bytes, 0, 4);
    System.arraycopy("PAR1".getBytes(), 0, bytes, bytes.length - 4, 4);
    bytes[200] = '\n';
    bytes[201] = 7;
    Path parquet = Files.write(dir.resolve("features.parquet"), bytes);
    CliRun run = CliRun.of("score", "--features", parquet.toString(), "--as-of", "2025-06-30", "--out",
        dir.resolve("s.csv").toString(), "--quiet");
    assertThat(run.code()).as(run.err()).isEqualTo(2);
    assertOneLine(run);
    assertThat(run.err()).startsWith("chainscore score: " + parquet).doesNotContain("Arrow IPC");
    assertThat(dir.resolve("s.csv")).doesNotExist();
  }

  @Test
  void oneLine_escapesControlCharacters() {
    assertThat(ChainScoreCli.oneLine("a\nb\u0007c\u0000")).isEqualTo("a b\\u0007c\\u0000");
  }


  @Test
  void train_badOptionsAndOneClassTarget_areNamed() throws Exception {
    Path out = dir.resolve("m.json");
    CliRun bins = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability", "--event-label", "bad",
        "--max-bins", "0", "--out", out.toString());
    assertThat(bins.code()).isEqualTo(2);
    assertThat(bins.err()).contains("--max-bins 0: must be at least 2");
    assertThat(out).doesNotExist();

    CliRun share = CliRun.of("train", "--data", TestRuns.german().toString(), "--target", "creditability", "--event-label", "bad",
        "--test-share", "1.5", "--out", out.toString());
    assertThat(share.code()).isEqualTo(2);
    assertThat(share.err()).contains("--test-share 1.5: must be at least 0 and below 1").doesNotContain("IV >=");

    List<String> lines = Files.readAllLines(TestRuns.german());
    List<String> goods = new java.util.ArrayList<>(List.of(lines.get(0)));
    lines.stream().skip(1).filter(l -> l.endsWith(",good")).forEach(goods::add);
    Path oneClass = Files.write(dir.resolve("goods.csv"), goods);
    CliRun single = CliRun.of("train", "--data", oneClass.toString(), "--target", "creditability", "--event-label", "bad",
        "--out", out.toString());
    assertThat(single.code()).isEqualTo(2);
    assertThat(single.err().strip().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("chainscore train: --target creditability in " + oneClass + ": all "
        + (goods.size() - 1) + " rows are non-events ('good'), none is the --event-label 'bad'; training needs both"
        + " classes");
    assertThat(out).doesNotExist();
  }
}

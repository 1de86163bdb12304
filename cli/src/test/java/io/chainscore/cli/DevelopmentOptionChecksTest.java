package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Option values the model developer's commands took without a word or refused in words they could
 * not act on: an --exclude column that does not exist (a typo left the column meant among the
 * candidates), train's --min-bin-share above 0.5 (refused only as "no characteristic has IV"), and
 * an unknown --time-zone (refused with Java exception class names).
 */
class DevelopmentOptionChecksTest {
  @TempDir Path dir;

  private CliRun train(String... more) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--data",
        TestRuns.german().toString(), "--target", "creditability", "--event-label", "bad", "--out",
        dir.resolve("m.json").toString()));
    args.addAll(java.util.List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void unknownExcludeColumn_minBinShareAboveHalf_unknownTimeZone_areRefusedInOneLineNamingThem() {
    CliRun exclude = train("--exclude", "credit_amount,no_such_column");
    assertThat(exclude.code()).isEqualTo(2);
    // (after the progress line that names the file being read)
    assertThat(exclude.err().strip()).endsWith("\nchainscore train: --exclude no_such_column: " + TestRuns.german()
        + " has no such column");
    assertThat(train("--exclude", "credit_amount", "--max-bins", "4").code()).as("a real column").isZero();

    CliRun share = train("--min-bin-share", "0.9");
    assertThat(share.code()).isEqualTo(2);
    assertThat(share.err()).startsWith("chainscore: --min-bin-share 0.9: expected a share from 0 to 0.5");

    CliRun zone = train("--time-zone", "Mars/Olympus");
    assertThat(zone.code()).isEqualTo(2);
    assertThat(zone.err()).contains("unknown time zone 'Mars/Olympus'; expected a region such as Europe/Berlin")
        .doesNotContain("java.time");
  }
}

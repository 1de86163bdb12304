package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 4: {@code score} ignored the feature table's {@code as_of_date}: features as of
 * 2024-06-30 scored with {@code --as-of 2025-06-30} were all stamped 2025-06-30 with exit 0, and
 * invalid dates went unchecked.
 */
class AsOfDateTest {
  @TempDir Path dir;

  @Test
  void featuresOfAnotherDate_areRefusedNamingTheFirstRow_unlessRestamped() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.features(dir.resolve("f.csv"), 3000, 4, "2025-06-30");
    // Row 1,234 alone is of another date; chunks of 500 on 2 threads: the first bad row is named.
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(features));
    lines.set(1234, lines.get(1234).replace("2025-06-30", "2024-06-30"));
    lines.set(2500, lines.get(2500).replace("2025-06-30", "2024-06-30"));
    Files.write(features, lines);
    Path out = dir.resolve("s.csv");
    CliRun refused = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        out.toString(), "--as-of", "2025-06-30", "--chunk-rows", "500", "--threads", "2", "--quiet");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().strip()).isEqualTo("chainscore score: " + features + ", row 1234, column as_of_date: the"
        + " features were computed as of 2024-06-30 but --as-of is 2025-06-30; score with --as-of 2024-06-30, or pass"
        + " --restamp-as-of to stamp 2025-06-30 on them");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("nothing left of the refused run").containsExactly("f.csv", "scorecard.json");
    }

    CliRun restamped = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        out.toString(), "--as-of", "2025-06-30", "--restamp-as-of", "--quiet");
    assertThat(restamped.code()).as(restamped.err()).isIn(0, 3);
    List<String> scored = Files.readAllLines(out);
    assertThat(scored.subList(1, scored.size())).allSatisfy(l -> assertThat(l.split(",")[1]).isEqualTo("2025-06-30"));
  }

  /**
   * The check on the feature tables {@code features} writes in every format: its Arrow and
   * Parquet tables hold {@code as_of_date} as a date column, which the check once took for no
   * column at all, stamping June's features with May's date and exit 0.
   */
  @Test
  void featuresOfAnotherDate_areRefused_fromArrowAndParquetTablesToo() throws Exception {
    Path portfolio = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "60", "--seed", "3", "--format", "csv", "--out",
        portfolio.toString(), "--quiet").code()).isZero();
    for (String format : new String[] {"csv", "arrow", "parquet"}) {
      Path features = dir.resolve(format).resolve("f." + format);
      CliRun computed = CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30",
          "--out", features.toString(), "--quiet");
      assertThat(computed.code()).as(computed.err()).isIn(0, 3);
      Path out = dir.resolve(format).resolve("s.csv");
      CliRun refused = CliRun.of("score", "--features", features.toString(), "--out", out.toString(), "--as-of",
          "2025-05-31", "--quiet");
      assertThat(refused.code()).as(format).isEqualTo(2);
      assertThat(refused.err().strip()).as(format).isEqualTo("chainscore score: " + features + ", row 1, column"
          + " as_of_date: the features were computed as of 2025-06-30 but --as-of is 2025-05-31; score with --as-of"
          + " 2025-06-30, or pass --restamp-as-of to stamp 2025-05-31 on them");
      assertThat(out).doesNotExist();
      CliRun restamped = CliRun.of("score", "--features", features.toString(), "--out", out.toString(), "--as-of",
          "2025-05-31", "--restamp-as-of", "--quiet");
      assertThat(restamped.code()).as(restamped.err()).isIn(0, 3);
      List<String> scored = Files.readAllLines(out);
      assertThat(scored).hasSizeGreaterThan(50);
      assertThat(scored.subList(1, scored.size())).allSatisfy(l -> assertThat(l.split(",")[1]).isEqualTo("2025-05-31"));
    }
  }

  @Test
  void invalidOrEmptyDates_areQuarantinedNamingRowAndColumn() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.features(dir.resolve("f.csv"), 50, 4, "2024-06-30");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(features));
    lines.set(7, lines.get(7).replace("2024-06-30", "2024-02-30"));
    lines.set(9, lines.get(9).replace(",2024-06-30", ","));
    Files.write(features, lines);
    Path out = dir.resolve("s.csv");
    CliRun run = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        out.toString(), "--as-of", "2024-06-30", "--quiet");
    assertThat(run.code()).as(run.err()).isEqualTo(3);
    List<String> quarantine = Files.readAllLines(dir.resolve("s.quarantine.csv"));
    // each named by its row and supplier
    assertThat(quarantine).anyMatch(l -> l.startsWith("7," + lines.get(7).split(",")[0] + ",as_of_date,"))
        .contains("9," + lines.get(9).split(",")[0] + ",as_of_date,is empty; expected the as-of date 2024-06-30");
    assertThat(Files.readAllLines(out)).hasSize(1 + 50 - (quarantine.size() - 1));
  }

  /**
   * A feature table without as_of_date was scored unchecked, every row stamped --as-of (exit 0);
   * now refused naming the file and the column as any missing column is, unless --restamp-as-of
   * asks for the stamp.
   */
  @Test
  void featureTableWithoutAsOfDate_isRefused_unlessRestamped() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 200, 4, null);
    Path out = dir.resolve("s.csv");
    CliRun refused = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        out.toString(), "--as-of", "2025-06-30", "--quiet");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().strip()).startsWith("chainscore score: " + features
        + ", column as_of_date: missing from the header; expected columns supplier_id,").doesNotContain("\n");
    assertThat(out).doesNotExist();

    CliRun restamped = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        out.toString(), "--as-of", "2025-06-30", "--restamp-as-of", "--quiet");
    assertThat(restamped.code()).as(restamped.err()).isZero();
    List<String> scored = Files.readAllLines(out);
    assertThat(scored).hasSize(Files.readAllLines(features).size());
    assertThat(scored.subList(1, scored.size())).allSatisfy(l -> assertThat(l.split(",")[1]).isEqualTo("2025-06-30"));
  }
}

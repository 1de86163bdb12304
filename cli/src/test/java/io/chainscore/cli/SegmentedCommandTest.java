package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.scoring.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segmented scorecards through the command line: {@code train --segment}, {@code validate} per
 * segment (equal to validating each segment's standalone bundle on its rows), {@code score}'s
 * segment column, {@code explain}'s segment, and one-line refusals (exit 2) of bad segments.
 */
class SegmentedCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROWS = 3000;

  @TempDir Path dir;
  private Path data;

  @BeforeEach
  void data() throws Exception {
    data = writeData(dir, 18);
  }

  /**
   * Writes {@code dir/data.csv}, {@value #ROWS} suppliers drawn with {@code seed}: thin files (tenure
   * under 12 months) default on volume drops, seasoned suppliers on late payment.
   */
  static Path writeData(Path dir, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder("supplier_id,as_of_date,tenure_months,late_days,volume_drop,sector,bad\n");
    String[] sectors = {"MANUFACTURING", "RETAIL", "FOOD"};
    for (int i = 0; i < ROWS; i++) {
      int tenure = random.nextInt(5) == 0 ? random.nextInt(12) : 12 + random.nextInt(120);
      double late = random.nextDouble() * 40;
      double drop = random.nextDouble() * 2 - 1;
      double logit = tenure < 12 ? -2.5 + 2.5 * drop : -4 + 0.08 * late;
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      b.append(String.format(Locale.ROOT, "S%05d,2025-06-30,%d,%.4f,%.4f,%s,%d%n", i, tenure, late, drop,
          sectors[random.nextInt(3)], bad));
    }
    return Files.writeString(dir.resolve("data.csv"), b);
  }

  private CliRun train(String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--target", "bad", "--exclude",
        "supplier_id,as_of_date", "--holdout-out", dir.resolve("holdout.csv").toString(), "--out",
        dir.resolve("seg.json").toString(), "--overwrite"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void trainValidateScoreExplain_segmentBySegment() throws Exception {
    CliRun trained = train("--segment", "tenure_months<12=thin_file", "--segment", "otherwise=seasoned", "--json");
    assertThat(trained.code()).as(trained.err()).isZero();
    JsonNode result = JSON.readTree(trained.out());
    assertThat(result.get("segments")).hasSize(2);
    assertThat(result.get("segments").get(0).get("name").asText()).isEqualTo("thin_file");
    assertThat(result.get("segments").get(0).get("characteristics").toString()).contains("volume_drop");
    assertThat(result.get("segments").get(1).get("characteristics").toString()).contains("late_days");
    ModelBundle bundle = ModelBundle.read(dir.resolve("seg.json"));
    assertThat(bundle.modelKind()).isEqualTo("segmented");
    JsonNode provenance = JSON.readTree(bundle.toJson()).get("provenance").get("segments");
    int holdoutRows = Files.readAllLines(dir.resolve("holdout.csv")).size() - 1;
    assertThat(provenance.get(0).get("rows").asInt() + provenance.get(1).get("rows").asInt())
        .isEqualTo(ROWS - holdoutRows);

    // validate: each segment's figures are those of its standalone bundle on the holdout rows routed to it
    CliRun validated = CliRun.of("validate", "--model", dir.resolve("seg.json").toString(), "--data",
        dir.resolve("holdout.csv").toString(), "--target", "bad", "--out", dir.resolve("val").toString(), "--json");
    assertThat(validated.code()).as(validated.err()).isZero();
    JsonNode metrics = JSON.readTree(validated.out());
    List<String> lines = Files.readAllLines(dir.resolve("holdout.csv"));
    int tenureColumn = List.of(lines.get(0).split(",")).indexOf("tenure_months");
    for (int s = 0; s < 2; s++) {
      Path alone = dir.resolve("segment" + s + ".json");
      bundle.segments().get(s).bundle().write(alone);
      StringBuilder rows = new StringBuilder(lines.get(0)).append('\n');
      int count = 0;
      for (String line : lines.subList(1, lines.size())) {
        boolean thin = Double.parseDouble(line.split(",")[tenureColumn]) < 12;
        if (thin == (s == 0)) {
          rows.append(line).append('\n');
          count++;
        }
      }
      Path part = dir.resolve("part" + s + ".csv");
      Files.writeString(part, rows);
      CliRun own = CliRun.of("validate", "--model", alone.toString(), "--data", part.toString(), "--target", "bad",
          "--out", dir.resolve("val" + s).toString(), "--json");
      assertThat(own.code()).as(own.err()).isZero();
      JsonNode expected = JSON.readTree(own.out());
      JsonNode actual = metrics.get("segments").get(s);
      assertThat(actual.get("rows").asInt()).isEqualTo(count);
      assertThat(actual.get("metrics")).isEqualTo(expected);
      assertThat(actual.get("metrics").get("auc").asDouble()).isGreaterThan(0.6);
    }
    CliRun text = CliRun.of("validate", "--model", dir.resolve("seg.json").toString(), "--data",
        dir.resolve("holdout.csv").toString(), "--target", "bad", "--out", dir.resolve("val").toString(), "--overwrite");
    assertThat(text.out()).contains("segment thin_file (tenure_months < 12): ").contains("segment seasoned (otherwise): ");
    String html = Files.readString(dir.resolve("val/report.html"));
    assertThat(html).contains("<h2>Segments</h2>").contains("<td>thin_file</td><td>tenure_months &lt; 12</td><td>"
        + metrics.get("segments").get(0).get("rows").asInt() + "</td>");

    // score: a segment column naming the segment of every row
    Path scores = dir.resolve("scores.csv");
    CliRun scored = CliRun.of("score", "--model", dir.resolve("seg.json").toString(), "--features", data.toString(),
        "--as-of", "2025-06-30", "--out", scores.toString(), "--quiet");
    assertThat(scored.code()).as(scored.err()).isZero();
    List<String> out = Files.readAllLines(scores);
    assertThat(out.get(0)).endsWith(",model_id,model_version,segment");
    List<String> in = Files.readAllLines(data);
    for (int r = 1; r < out.size(); r++) {
      boolean thin = Integer.parseInt(in.get(r).split(",")[2]) < 12;
      assertThat(out.get(r)).endsWith(thin ? ",thin_file" : ",seasoned");
    }

    // the same bytes whatever the thread count; a row missing the routing feature is quarantined naming it
    Path twoThreads = dir.resolve("scores2.csv");
    assertThat(CliRun.of("score", "--model", dir.resolve("seg.json").toString(), "--features", data.toString(),
        "--as-of", "2025-06-30", "--out", twoThreads.toString(), "--threads", "2", "--quiet").code()).isZero();
    assertThat(Files.readAllBytes(twoThreads)).isEqualTo(Files.readAllBytes(scores));
    List<String> withMissing = new ArrayList<>(Files.readAllLines(data).subList(0, 4));
    withMissing.set(2, withMissing.get(2).replaceFirst("^(S\\d+,[^,]+,)[^,]*,", "$1,"));
    Path missing = dir.resolve("missing.csv");
    Files.write(missing, withMissing);
    CliRun quarantined = CliRun.of("score", "--model", dir.resolve("seg.json").toString(), "--features",
        missing.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("scores3.csv").toString(), "--quiet");
    assertThat(quarantined.code()).as(quarantined.err()).isEqualTo(3);
    assertThat(Files.readAllLines(dir.resolve("scores3.csv"))).hasSize(3);
    assertThat(Files.readString(dir.resolve("scores3.quarantine.csv"))).contains("tenure_months")
        .contains("missing value (NaN) in a feature that routes rows to segments");

    // a segmented bundle as its own challenger: the challenger columns repeat the champion's; monitor reads the run
    Path run = dir.resolve("run");
    CliRun both = CliRun.of("score", "--model", dir.resolve("seg.json").toString(), "--challenger",
        dir.resolve("seg.json").toString(), "--features", data.toString(), "--as-of", "2025-06-30", "--out",
        run.resolve("scores.csv").toString(), "--quiet");
    assertThat(both.code()).as(both.err()).isZero();
    List<String> champion = Files.readAllLines(run.resolve("scores.csv"));
    assertThat(champion.get(0)).contains(",model_version,segment,challenger_score,");
    String[] first = champion.get(1).split(",", -1);
    assertThat(first[12]).isEqualTo(first[2]);
    assertThat(first[13]).isEqualTo(first[3]);
    // the challenger's own segment column, last: the same routing, so the same segment on every row
    assertThat(champion.get(0)).endsWith(",challenger_model_version,challenger_segment");
    for (String line : champion.subList(1, champion.size())) {
      String[] f = line.split(",", -1);
      assertThat(f[21]).as(f[0]).isEqualTo(f[11]).isIn("thin_file", "seasoned");
    }
    CliRun monitored = CliRun.of("monitor", "--model", dir.resolve("seg.json").toString(), "--runs", run.toString(),
        "--out", dir.resolve("monitor").toString());
    assertThat(monitored.code()).as(monitored.err()).isIn(0, 4);
    assertThat(dir.resolve("monitor/monitor.json")).exists();

    // explain names the segment, in text and JSON
    CliRun explained = CliRun.of("explain", "--model", dir.resolve("seg.json").toString(), "--features",
        data.toString(), "--supplier", "S00000");
    assertThat(explained.code()).as(explained.err()).isZero();
    boolean thin = Integer.parseInt(in.get(1).split(",")[2]) < 12;
    assertThat(explained.out()).contains(", segment " + (thin ? "thin_file" : "seasoned") + "\n");
    CliRun json = CliRun.of("explain", "--model", dir.resolve("seg.json").toString(), "--features",
        data.toString(), "--supplier", "S00000", "--json");
    assertThat(JSON.readTree(json.out()).get("score").get("segment").asText()).isEqualTo(thin ? "thin_file" : "seasoned");

    // whatif --out: an edit of the routing feature moves every supplier to the thin-file segment;
    // each side's figures are the score table's for the same rows
    Path whatif = dir.resolve("whatif.csv");
    CliRun edited = CliRun.of("whatif", "--model", dir.resolve("seg.json").toString(), "--features", data.toString(),
        "--set", "tenure_months=3", "--out", whatif.toString());
    assertThat(edited.code()).as(edited.err()).isZero();
    List<String> w = Files.readAllLines(whatif);
    assertThat(w.get(0)).endsWith(",segment_before,segment_after");
    java.util.Map<String, String[]> scoreRows = new java.util.HashMap<>();
    for (String line : out.subList(1, out.size())) {
      String[] f = line.split(",", -1);
      scoreRows.put(f[0], f);
    }
    assertThat(w).hasSize(out.size());
    for (String line : w.subList(1, w.size())) {
      String[] f = line.split(",", -1);
      String[] s = scoreRows.get(f[0]);
      assertThat(f[1]).as(f[0]).isEqualTo(s[2]); // score_before: the score table's score
      assertThat(f[f.length - 2]).as(f[0]).isEqualTo(s[s.length - 1]); // segment_before
      assertThat(f[f.length - 1]).as(f[0]).isEqualTo("thin_file");
    }
  }

  /** The one error line of a failed run (progress lines before it aside), checked to be the only one. */
  private static String errorLine(CliRun run) {
    List<String> errors = run.err().lines().filter(l -> l.startsWith("chainscore")).toList();
    assertThat(errors).hasSize(1);
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    return errors.get(0);
  }

  @Test
  void badSegmentsAndUnsupportedCommands_oneLineExit2() throws Exception {
    CliRun badRule = train("--segment", "tenure_months<twelve=thin", "--segment", "otherwise=rest");
    assertThat(badRule.code()).isEqualTo(2);
    assertThat(badRule.err().lines().findFirst().orElseThrow()).isEqualTo("chainscore: --segment"
        + " 'tenure_months<twelve=thin': expected a number after <, got 'twelve'");
    CliRun noOtherwise = train("--segment", "tenure_months<12=thin");
    assertThat(noOtherwise.code()).isEqualTo(2);
    assertThat(noOtherwise.err()).contains("give at least two segments");
    CliRun unknown = train("--segment", "age<12=thin", "--segment", "otherwise=rest");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no candidate characteristic age in the data");
    CliRun small = train("--segment", "tenure_months<1=newest", "--segment", "otherwise=rest");
    assertThat(small.code()).isEqualTo(2);
    assertThat(errorLine(small)).containsPattern("--segment 'tenure_months<1=newest': \\d+"
        + " training rows with \\d+ events; a segment needs at least 100 rows");
    // a segment whose trees approve no training row cannot measure its approved-population reference
    CliRun gbdt = train("--segment", "tenure_months<12=thin", "--segment", "otherwise=rest", "--model-type", "gbdt",
        "--trees", "5", "--reason-reference", "approved:0.0001");
    assertThat(gbdt.code()).isEqualTo(2);
    assertThat(errorLine(gbdt)).contains("segment thin: --reason-reference approved:0.0001: no row of the training rows");

    // export pmml and document of segmented bundles: SegmentedExportDocumentTest
  }
}

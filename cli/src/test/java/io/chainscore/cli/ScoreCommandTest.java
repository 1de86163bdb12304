package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end `chainscore score` on the example scorecard, checked against its golden rows. */
class ScoreCommandTest {
  @TempDir Path dir;

  private Path bundle() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/bundles/scorecard.json")) {
      return Files.write(dir.resolve("scorecard.json"), in.readAllBytes());
    }
  }

  private int run(StringWriter out, StringWriter err, String... args) {
    return ChainScoreCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void score_goldenRows_reproduceTheBundlesExpectedOutputs() throws IOException {
    Path model = bundle();
    JsonNode golden = new ObjectMapper().readTree(model.toFile()).get("golden_rows");
    StringBuilder csv = new StringBuilder(
        "supplier_id,days_beyond_terms_avg,dilution_rate_12m,months_with_anchor,sector,on_time_delivery_rate\n");
    for (int i = 0; i < golden.size(); i++) {
      JsonNode f = golden.get(i).get("features");
      csv.append("G").append(i);
      for (String name : List.of("days_beyond_terms_avg", "dilution_rate_12m", "months_with_anchor", "sector",
          "on_time_delivery_rate")) {
        csv.append(',').append(f.get(name).isNull() ? "" : f.get(name).asText());
      }
      csv.append('\n');
    }
    // Bad rows: an unknown sector, a value the policy refuses, a missing required value, a number
    // the reader cannot parse, a row without its id.
    csv.append("B1,1,0.01,12,MINING,0.9\n");
    csv.append("B2,1,1.5,12,RETAIL,0.9\n");
    csv.append("B3,1,0.01,,RETAIL,0.9\n");
    csv.append("B4,1,0.0x1,12,RETAIL,0.9\n");
    csv.append(",1,0.01,12,RETAIL,0.9\n");
    Path features = Files.writeString(dir.resolve("features.csv"), csv);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "score", "--model", model.toString(), "--features", features.toString(),
        "--out", dir.resolve("scores.csv").toString(), "--as-of", "2025-06-30", "--restamp-as-of", "--threads", "2",
        "--quiet");
    assertThat(code).as(err.toString()).isEqualTo(3);
    assertThat(out.toString()).contains("Scored 4 suppliers").contains("Quarantined 5 rows");
    List<String> lines = Files.readAllLines(dir.resolve("scores.csv"));
    assertThat(lines.get(0)).isEqualTo(
        "supplier_id,as_of_date,score,pd,grade,reason_1,reason_2,reason_3,reason_4,model_id,model_version");
    assertThat(lines).hasSize(1 + golden.size());
    for (int i = 0; i < golden.size(); i++) {
      String[] cells = lines.get(i + 1).split(",", -1);
      JsonNode g = golden.get(i);
      assertThat(cells[0]).isEqualTo("G" + i);
      assertThat(cells[1]).isEqualTo("2025-06-30");
      assertThat(Double.parseDouble(cells[2])).isEqualTo(g.get("points").asDouble());
      assertThat(Double.parseDouble(cells[3])).isEqualTo(g.get("pd").asDouble());
      assertThat(cells[4]).isEqualTo(g.get("grade").asText());
      for (int k = 0; k < 4; k++) {
        String expected = k < g.get("reason_codes").size() ? g.get("reason_codes").get(k).asText() : "";
        assertThat(cells[5 + k]).isEqualTo(expected);
      }
    }
    List<String> quarantine = Files.readAllLines(dir.resolve("scores.quarantine.csv"));
    // each row named by its supplier, whoever refused it (the reader, the model's policies), but
    // the row whose id is missing
    assertThat(quarantine).hasSize(6);
    assertThat(quarantine.get(0)).isEqualTo("row,record_id,column,reason");
    assertThat(quarantine.get(1)).isEqualTo("5,B1,sector,\"unknown category 'MINING'; expected one of [MANUFACTURING, LOGISTICS, RETAIL, AGRICULTURE]\"");
    assertThat(quarantine.get(2)).isEqualTo("6,B2,dilution_rate_12m,\"value 1.5 outside the valid range [0.0, 1.0]\"");
    assertThat(quarantine.get(3))
        .isEqualTo("7,B3,months_with_anchor,missing value (NaN) refused by the feature's missing-value policy");
    assertThat(quarantine.get(4)).startsWith("8,B4,dilution_rate_12m,'0.0x1' is not a number");
    assertThat(quarantine.get(5)).startsWith("9,,supplier_id,");
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("scores.csv.manifest.json").toFile());
    assertThat(manifest.get("rows").get("read").asLong()).isEqualTo(golden.size() + 5);
    assertThat(manifest.get("rows").get("quarantined").asLong()).isEqualTo(5);
    // the run report counts them by the column at fault, as the quarantine's lines do
    Map<String, Long> byColumn = new java.util.TreeMap<>();
    quarantine.stream().skip(1).forEach(l -> byColumn.merge(l.split(",")[2], 1L, Long::sum));
    assertThat(byColumn).containsEntry("dilution_rate_12m", 2L).hasSize(4);
    byColumn.forEach((column, n) ->
        assertThat(manifest.get("rows").get("quarantined_column_" + column).asLong()).as(column).isEqualTo(n));
    assertThat(out.toString()).contains("Quarantined 5 rows: " + dir.resolve("scores.quarantine.csv")
        + " (by column: dilution_rate_12m 2, months_with_anchor 1, sector 1, supplier_id 1)");
    assertThat(manifest.get("model").get("sha256").asText()).hasSize(64);
    assertThat(manifest.get("inputs").get(0).get("sha256").asText()).hasSize(64);
  }

  /**
   * A feature table holds one row per supplier: a repeated supplier_id is quarantined naming the
   * first row, exit 3, and the supplier is scored once (it was scored twice, counted twice in the
   * summary, exit 0). The same on 1 and 2 threads.
   */
  @Test
  void score_repeatedSupplier_isQuarantinedNamingItsFirstRow() throws IOException {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 300, 4, "2025-06-30");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(features));
    lines.add(250, lines.get(3));
    lines.add(lines.get(3));
    Files.write(features, lines);
    for (String threads : new String[] {"1", "2"}) {
      Path out = dir.resolve("t" + threads + "/s.csv");
      CliRun r = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
          out.toString(), "--as-of", "2025-06-30", "--threads", threads, "--chunk-rows", "64", "--quiet");
      assertThat(r.code()).as(r.err()).isEqualTo(3);
      assertThat(Files.readAllLines(out.resolveSibling("s.quarantine.csv"))).containsExactly("row,record_id,column,reason",
          "250,S0000003,supplier_id,S0000003 is also in row 3; expected each supplier_id once",
          "302,S0000003,supplier_id,S0000003 is also in row 3; expected each supplier_id once");
      List<String> scored = Files.readAllLines(out);
      assertThat(scored).hasSize(301).filteredOn(l -> l.startsWith("S0000003,")).hasSize(1);
      JsonNode summary = new ObjectMapper().readTree(out.resolveSibling("s.csv.summary.json").toFile());
      assertThat(summary.get("suppliers").asLong()).isEqualTo(300);
    }
  }

  /**
   * With --exposures the summary says what its figures leave out: the exposure of suppliers that
   * were not scored, and the scored suppliers without an exposure (weighted 0). Both were dropped
   * without a word, understating the summary's exposure.
   */
  @Test
  void score_exposures_theSummarySaysWhatItsFiguresLeaveOut() throws IOException {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 300, 4, "2025-06-30");
    List<String> scoredIds = Files.readAllLines(features).stream().skip(1).map(l -> l.split(",")[0]).toList();
    StringBuilder exposures = new StringBuilder("supplier_id,anchor_id,sector,drawn,anchor_sales_share\n");
    double inFigures = 0;
    for (int i = 0; i < scoredIds.size() - 1; i++) {       // the last scored supplier has no exposure
      if (i == 9) {
        continue;                                          // nor has the tenth
      }
      exposures.append(scoredIds.get(i)).append(",A1,glass,").append(1000 + i).append(",0.5\n");
      inFigures += 1000 + i;
    }
    exposures.append("S9999999,A1,glass,7777,0.5\n");   // not in the feature table
    Path file = Files.writeString(dir.resolve("exposures.csv"), exposures);
    Path out = dir.resolve("e/s.csv");
    CliRun r = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        out.toString(), "--as-of", "2025-06-30", "--exposures", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(out.resolveSibling("s.csv.summary.json").toFile());
    assertThat(summary.get("exposure").asDouble()).isEqualTo(inFigures);
    assertThat(summary.get("exposure_without_score").get("suppliers").asLong()).isEqualTo(1);
    assertThat(summary.get("exposure_without_score").get("exposure").asDouble()).isEqualTo(7777.0);
    assertThat(summary.get("suppliers_without_exposure").asLong()).isEqualTo(2);
    assertThat(r.out()).contains("Not in the figures: the exposure of 1 supplier without a score (7,777)")
        .contains("Weighted 0: 2 scored suppliers without an exposure");
  }

  @Test
  void score_badModelFile_exitsTwoNamingTheField() throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"format\": \"chainscore-model-bundle\", \"format_version\": 1");
    Path features = Files.writeString(dir.resolve("f.csv"), "supplier_id\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "score", "--model", broken.toString(), "--features", features.toString(),
        "--out", dir.resolve("s.csv").toString(), "--as-of", "2025-06-30");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("chainscore score: model file: ").doesNotContain("\tat ");
  }

  /** --max-bad-rows -7 ran with no limit (exit 0); -1 is the documented "no limit". */
  @Test
  void maxBadRows_belowMinusOne_isRefusedNamingTheOption() throws Exception {
    Path model = bundle();
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 50, 1, "2025-06-30");
    CliRun run = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        dir.resolve("s.csv").toString(), "--as-of", "2025-06-30", "--quiet", "--max-bad-rows", "-7");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().lines().findFirst().orElseThrow()).isEqualTo(
        "chainscore: --max-bad-rows: expected -1 (no limit) or a count of 0 or more, got -7");
    assertThat(dir.resolve("s.csv")).doesNotExist();
    CliRun unlimited = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        dir.resolve("s.csv").toString(), "--as-of", "2025-06-30", "--quiet", "--max-bad-rows", "-1");
    assertThat(unlimited.code()).as(unlimited.err()).isZero();
  }

  /** A header-only feature table scored nothing with exit 0 and printed "Mean PD NaN%". */
  @Test
  void featureTableWithoutDataRows_isRefused() throws Exception {
    Path model = bundle();
    Path full = TestRuns.cleanFeatures(dir.resolve("f.csv"), 5, 1, "2025-06-30");
    Path empty = Files.writeString(dir.resolve("empty.csv"), Files.readAllLines(full).get(0) + "\n\n");
    CliRun run = CliRun.of("score", "--model", model.toString(), "--features", empty.toString(), "--out",
        dir.resolve("s.csv").toString(), "--as-of", "2025-06-30", "--quiet");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("chainscore score: " + empty
        + ": no data rows; expected one row per supplier to score after the header");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("nothing left of the refused run").containsExactly("empty.csv", "f.csv", "scorecard.json");
    }
  }

  /**
   * Without --exposures the summary printed "exposure-weighted PD" (the plain mean PD) and its
   * by_grade[].exposure held supplier counts; now neither is there, and with exposures both are.
   */
  @Test
  void summaryWithoutExposures_hasNoExposureFigures() throws Exception {
    Path model = bundle();
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 400, 2, "2025-06-30");
    CliRun plain = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        dir.resolve("s.csv").toString(), "--as-of", "2025-06-30", "--quiet");
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(plain.out()).containsPattern("(?m)^Mean PD \\d+\\.\\d\\d%$").doesNotContain("exposure");
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("s.csv.summary.json").toFile());
    assertThat(summary.get("exposure").isNull()).isTrue();
    assertThat(summary.get("exposure_weighted_pd").isNull()).isTrue();
    long suppliers = 0;
    for (JsonNode g : summary.get("by_grade")) {
      assertThat(g.has("exposure")).as(g.toString()).isFalse();
      suppliers += g.get("suppliers").asLong();
    }
    assertThat(suppliers).isEqualTo(400 - (Files.readAllLines(dir.resolve("s.quarantine.csv")).size() - 1));

    StringBuilder exposures = new StringBuilder("supplier_id,anchor_id,sector,drawn,anchor_sales_share\n");
    List<String> rows = Files.readAllLines(features);
    for (int i = 1; i < rows.size(); i++) {
      exposures.append(rows.get(i).split(",")[0]).append(",A1,glass,").append(i % 2 == 0 ? 1000 : 3000).append(",0.5\n");
    }
    Path exposureFile = Files.writeString(dir.resolve("exposures.csv"), exposures);
    CliRun weighted = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--out",
        dir.resolve("w.csv").toString(), "--as-of", "2025-06-30", "--quiet", "--exposures", exposureFile.toString());
    assertThat(weighted.code()).as(weighted.err()).isZero();
    assertThat(weighted.out()).containsPattern("(?m)^Mean PD \\d+\\.\\d\\d%, exposure-weighted PD \\d+\\.\\d\\d%$");
    JsonNode w = new ObjectMapper().readTree(dir.resolve("w.csv.summary.json").toFile());
    // the weighted PD recomputed from the score table: sum(EAD * PD) / sum(EAD), row i weighted as above
    java.util.Map<String, Double> ead = new java.util.HashMap<>();
    for (int i = 1; i < rows.size(); i++) {
      ead.put(rows.get(i).split(",")[0], i % 2 == 0 ? 1000.0 : 3000.0);
    }
    double weightedSum = 0;
    double total = 0;
    List<String> scores = Files.readAllLines(dir.resolve("w.csv"));
    for (String line : scores.subList(1, scores.size())) {
      String[] f = line.split(",");
      weightedSum += ead.get(f[0]) * Double.parseDouble(f[3]);
      total += ead.get(f[0]);
    }
    assertThat(w.get("exposure_weighted_pd").asDouble()).isCloseTo(weightedSum / total, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(w.get("exposure_weighted_pd").asDouble()).isNotCloseTo(w.get("mean_pd").asDouble(),
        org.assertj.core.data.Offset.offset(1e-6));
    assertThat(w.get("by_grade").get(0).has("exposure")).isTrue();
  }
}

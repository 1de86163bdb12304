package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.io.BadRowHandler;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.batch.io.TableReader;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --challenger}: both models in one pass, each exactly as its own run scores it; the
 * summary's and {@code monitor}'s comparisons against figures recomputed from the two separate
 * runs (grade agreement, AUCs by a plain pair count), byte-identical outputs whatever the thread
 * count, and a resume with another challenger refused.
 */
class ChampionChallengerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AS_OF = "2025-06-30";
  private static final String SCORECARD = "smb-supply-chain-scorecard";
  private static final String GBDT = "smb-supply-chain-gbdt";

  @TempDir static Path dir;
  static Path features;

  @BeforeAll
  static void portfolio() throws Exception {
    Path p = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "900", "--seed", "8", "--out", p.toString(), "--quiet").code())
        .isZero();
    features = dir.resolve("f.csv");
    assertThat(CliRun.of("features", "--transactions", p.toString(), "--as-of", AS_OF, "--out", features.toString(),
        "--quiet").code()).isIn(0, 3);
  }

  private static CliRun score(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("score", "--features", features.toString(), "--as-of", AS_OF,
        "--out", out.toString(), "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** Every row of a table by supplier: the named columns' values as text (doubles via Double.toString). */
  private static Map<String, List<String>> read(Path file, TableSchema schema, List<String> columns) throws Exception {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    try (TableReader r = TableReader.open(file, schema, BadRowHandler.STRICT)) {
      ColumnBatch b = new ColumnBatch(schema, 4096);
      while (r.next(b)) {
        for (int i = 0; i < b.size(); i++) {
          List<String> values = new ArrayList<>();
          for (String c : columns) {
            int k = schema.indexOf(c);
            values.add(schema.columns().get(k).type() == io.chainscore.tables.ColumnType.DOUBLE
                ? Double.toString(b.doubles(k)[i]) : b.strings(k)[i]);
          }
          rows.put(b.strings(0)[i], values);
        }
      }
    }
    return rows;
  }

  private static final List<String> OWN = List.of("score", "pd", "grade", "reason_1", "reason_2", "reason_3",
      "reason_4", "model_id", "model_version");

  private static List<String> challengerColumns() {
    return OWN.stream().map(c -> "challenger_" + c).toList();
  }

  @Test
  void bothModelsInOnePass_eachAsItsOwnRun_andTheSummaryComparesThem() throws Exception {
    Path cc = dir.resolve("cc/s.csv");
    Files.createDirectories(cc.getParent());
    CliRun run = score(cc, "--model", SCORECARD, "--challenger", GBDT);
    assertThat(run.code()).as(run.err()).isIn(0, 3);
    Path champion = dir.resolve("champion.csv");
    Path challenger = dir.resolve("challenger.csv");
    assertThat(score(champion, "--model", SCORECARD).code()).isEqualTo(run.code());
    assertThat(score(challenger, "--model", GBDT).code()).isIn(0, 3);

    TableSchema both = PortfolioTables.scoresWithChallenger(false);
    Map<String, List<String>> mine = read(cc, both, OWN);
    Map<String, List<String>> theirs = read(cc, both, challengerColumns());
    Map<String, List<String>> alone = read(champion, PortfolioTables.SCORES, OWN);
    Map<String, List<String>> challengerAlone = read(challenger, PortfolioTables.SCORES, OWN);
    assertThat(mine).isEqualTo(alone); // the champion's columns are its own run, row for row
    int scoredByBoth = 0;
    int sameGrade = 0;
    for (Map.Entry<String, List<String>> e : theirs.entrySet()) {
      List<String> own = challengerAlone.get(e.getKey());
      if (own == null) {
        // refused by the challenger alone: its columns are empty
        assertThat(e.getValue().get(1)).isEqualTo("NaN");
        assertThat(e.getValue().get(7)).isNull();
      } else {
        assertThat(e.getValue()).as(e.getKey()).isEqualTo(own);
        scoredByBoth++;
        sameGrade += own.get(2).equals(alone.get(e.getKey()).get(2)) ? 1 : 0;
      }
    }
    assertThat(scoredByBoth).isGreaterThan(500);

    JsonNode summary = JSON.readTree(dir.resolve("cc/s.csv.summary.json").toFile()).get("challenger");
    assertThat(summary.get("challenger_model_id").asText()).isEqualTo(GBDT);
    assertThat(summary.get("suppliers_scored_by_both").asInt()).isEqualTo(scoredByBoth);
    assertThat(summary.get("same_grade_share").asDouble()).isCloseTo(sameGrade / (double) scoredByBoth, within(1e-12));
    assertThat(summary.get("pd_rank_correlation").asDouble()).isBetween(0.3, 1.0);
    JsonNode manifest = JSON.readTree(dir.resolve("cc/s.csv.manifest.json").toFile());
    assertThat(manifest.toString()).contains("challenger_sha256").contains(GBDT);
    assertThat(run.out()).contains("Challenger " + GBDT);
  }

  @Test
  void sameBytesWhateverTheThreadCount() throws Exception {
    Path one = dir.resolve("t1/s.arrow");
    Path three = dir.resolve("t3/s.arrow");
    Files.createDirectories(one.getParent());
    Files.createDirectories(three.getParent());
    assertThat(score(one, "--challenger", GBDT, "--threads", "1", "--chunk-rows", "97").code()).isIn(0, 3);
    assertThat(score(three, "--challenger", GBDT, "--threads", "3", "--chunk-rows", "97").code()).isIn(0, 3);
    assertThat(Files.readAllBytes(one)).isEqualTo(Files.readAllBytes(three));
    assertThat(Files.readString(Path.of(one + ".summary.json")))
        .isEqualTo(Files.readString(Path.of(three + ".summary.json")));
  }

  @Test
  void monitor_comparesTheAucsOnTheLabelledRows_asAPlainPairCount() throws Exception {
    Path runDir = dir.resolve("m1");
    Files.createDirectories(runDir);
    assertThat(score(runDir.resolve("s.csv"), "--challenger", GBDT).code()).isIn(0, 3);
    CliRun m = CliRun.of("monitor", "--runs", runDir.toString(), "--labels", dir.resolve("p/labels.csv").toString(),
        "--out", dir.resolve("mon").toString());
    assertThat(m.code()).as(m.err()).isIn(0, 4);
    JsonNode c = JSON.readTree(dir.resolve("mon/monitor.json").toFile()).get("runs").get(0).get("champion_challenger");
    JsonNode b = c.get("backtest");
    assertThat(b.get("labelled").asInt()).isGreaterThan(500);

    // the AUCs recomputed from the table and the labels by counting pairs
    Map<String, Boolean> defaulted = new HashMap<>();
    List<String> lines = Files.readAllLines(dir.resolve("p/labels.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",", -1);
      if (v[header.indexOf("as_of_date")].equals(AS_OF)) {
        defaulted.put(v[header.indexOf("supplier_id")], v[header.indexOf("defaulted")].equals("1")
            || v[header.indexOf("defaulted")].equalsIgnoreCase("true"));
      }
    }
    TableSchema both = PortfolioTables.scoresWithChallenger(false);
    Map<String, List<String>> rows = read(runDir.resolve("s.csv"), both, List.of("pd", "challenger_pd"));
    List<double[]> labelled = new ArrayList<>();
    rows.forEach((id, v) -> {
      if (defaulted.containsKey(id) && !v.get(1).equals("NaN")) {
        labelled.add(new double[] {Double.parseDouble(v.get(0)), Double.parseDouble(v.get(1)), defaulted.get(id) ? 1 : 0});
      }
    });
    assertThat(b.get("labelled").asInt()).isEqualTo(labelled.size());
    assertThat(b.get("auc_champion").asDouble()).isCloseTo(pairAuc(labelled, 0), within(1e-12));
    assertThat(b.get("auc_challenger").asDouble()).isCloseTo(pairAuc(labelled, 1), within(1e-12));
    assertThat(b.get("p_value").asDouble()).isBetween(0.0, 1.0);
    assertThat(b.get("verdict").asText()).contains("DeLong");
    assertThat(Files.readString(dir.resolve("mon/monitor.html"))).contains("Champion and challenger");
  }

  /** AUC as the share of (default, non-default) pairs the score orders correctly, ties half. */
  private static double pairAuc(List<double[]> rows, int column) {
    double correct = 0;
    long pairs = 0;
    for (double[] d : rows) {
      if (d[2] != 1) {
        continue;
      }
      for (double[] n : rows) {
        if (n[2] != 0) {
          continue;
        }
        pairs++;
        correct += d[column] > n[column] ? 1 : d[column] == n[column] ? 0.5 : 0;
      }
    }
    return correct / pairs;
  }

  @Test
  void aChallengerThatCannotBeReadIsOneLineExit2_andNothingIsWritten() throws Exception {
    Path out = dir.resolve("bad/s.csv");
    Files.createDirectories(out.getParent());
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"format\": \"chainscore-model-bundle\"");
    CliRun refused = score(out, "--challenger", broken.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().strip().lines().count()).isEqualTo(1);
    assertThat(out).doesNotExist();
  }

  /**
   * A run's summary comes from its rows as written, not from its table read back: rebuilt from the
   * written table (CSV and Arrow, several chunks, with a challenger) it is byte-identical.
   */
  @Test
  void summary_ofTheRowsAsWritten_equalsTheSummaryOfTheTableReadBack() throws Exception {
    for (String name : List.of("s.csv", "s.arrow")) {
      // a folder each: s.csv and s.arrow share s.quarantine.csv, refused without --overwrite
      Path out = dir.resolve("readback-" + name.substring(2)).resolve(name);
      assertThat(score(out, "--challenger", GBDT, "--chunk-rows", "97", "--threads", "2").code()).isIn(0, 3);
      Map<String, Object> readBack = io.chainscore.batch.scoring.ScoreSummary.build(
          io.chainscore.batch.scoring.ScoreSummary.Rows.read(out), null,
          io.chainscore.models.DefaultModels.resolve(SCORECARD), io.chainscore.batch.scoring.FeatureRows.Table.of(features), null, null, null);
      Path rebuilt = out.resolveSibling(name + ".rebuilt.json");
      io.chainscore.batch.scoring.ScoreSummary.write(readBack, rebuilt);
      assertThat(JSON.readTree(rebuilt.toFile()).get("challenger").get("challenger_model_id").asText()).isEqualTo(GBDT);
      assertThat(Files.readString(out.resolveSibling(name + ".summary.json"))).as(name).isEqualTo(Files.readString(rebuilt));
    }
  }

  /**
   * The chunks of a score run: 16,384 rows with a checkpoint every 16 chunks unless {@code
   * --chunk-rows} is given (then every 4 chunks, as before), for every kind of model and reason
   * setting. Read from the manifest's options; the outputs are the same bytes whatever the chunk.
   */
  @Test
  void chunkRows_defaultAndGiven_sameScores() throws Exception {
    Object[][] cases = {
      {GBDT, List.of(), 16_384},
      {GBDT, List.of("--reasons", "none"), 16_384},
      {SCORECARD, List.of(), 16_384},
      {GBDT, List.of("--chunk-rows", "65536"), 65_536},
      {GBDT, List.of("--chunk-rows", "97"), 97},
    };
    byte[] first = null;
    for (int i = 0; i < cases.length; i++) {
      Path out = dir.resolve("chunks").resolve("s" + i + ".csv");
      List<String> more = new ArrayList<>(List.of("--model", (String) cases[i][0]));
      @SuppressWarnings("unchecked")
      List<String> options = (List<String>) cases[i][1];
      more.addAll(options);
      assertThat(score(out, more.toArray(String[]::new)).code()).isIn(0, 3);
      JsonNode manifest = JSON.readTree(out.resolveSibling("s" + i + ".csv.manifest.json").toFile());
      assertThat(manifest.get("options").get("chunk_rows").asInt()).as(cases[i][0] + " " + options)
          .isEqualTo(cases[i][2]);
      if (cases[i][0].equals(GBDT) && !options.contains("none")) {
        byte[] bytes = Files.readAllBytes(out);
        if (first == null) {
          first = bytes;
        }
        assertThat(bytes).as("GBDT scores with " + options).isEqualTo(first);
      }
    }
  }
}

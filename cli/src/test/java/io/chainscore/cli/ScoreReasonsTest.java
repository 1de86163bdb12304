package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.io.BadRowHandler;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.batch.io.TableReader;
import io.chainscore.batch.scoring.FeatureRows;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --reasons codes|statements|none}: the statements columns in every output format,
 * the empty reason columns of {@code none}, the option in the manifest, and a resume with another
 * value refused.
 */
class ScoreReasonsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AS_OF = "2025-06-30";

  @TempDir Path dir;

  private CliRun score(Path features, Path out, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("score", "--model", TestRuns.model(dir).toString(), "--input",
        features.toString(), "--as-of", AS_OF, "--out", out.toString(), "--quiet"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** Every row of a score file, by supplier, as the column values of {@code schema}. */
  private static Map<String, List<String>> read(Path file, TableSchema schema) throws Exception {
    Map<String, List<String>> rows = new HashMap<>();
    try (TableReader r = TableReader.open(file, schema, BadRowHandler.STRICT)) {
      ColumnBatch b = new ColumnBatch(schema, 4096);
      while (r.next(b)) {
        for (int i = 0; i < b.size(); i++) {
          List<String> values = new ArrayList<>();
          for (int c = 0; c < schema.columns().size(); c++) {
            values.add(switch (schema.columns().get(c).type()) {
              case STRING -> b.strings(c)[i];
              case DOUBLE -> Double.toString(b.doubles(c)[i]);
              default -> "";
            });
          }
          rows.put(b.strings(0)[i], values);
        }
      }
    }
    return rows;
  }

  @Test
  void statements_inCsvArrowAndParquet_matchTheBundlesTexts() throws Exception {
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 400, 11, AS_OF);
    ModelBundle bundle = ModelBundle.read(TestRuns.model(dir));
    Map<String, double[]> featureRows = FeatureRows.read(features, bundle);
    // the statements straight from the bundle file
    Map<String, String> texts = new HashMap<>();
    JSON.readTree(TestRuns.model(dir).toFile()).get("reason_codes")
        .forEach(r -> texts.put(r.get("code").asText(), r.get("text").asText()));

    Path csv = dir.resolve("s.csv");
    CliRun run = score(features, csv, "--reasons", "statements");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(Files.readAllLines(csv).get(0)).isEqualTo("supplier_id,as_of_date,score,pd,grade,reason_1,reason_2,reason_3,"
        + "reason_4,reason_1_text,reason_2_text,reason_3_text,reason_4_text,model_id,model_version");
    JsonNode manifest = JSON.readTree(dir.resolve("s.csv.manifest.json").toFile());
    assertThat(manifest.get("options").get("reasons").asText()).isEqualTo("statements");

    for (String extension : List.of("csv", "arrow", "parquet")) {
      // another base name: s.arrow would share s.csv's s.quarantine.csv, refused without --overwrite
      Path out = extension.equals("csv") ? csv : dir.resolve("s-" + extension + "." + extension);
      if (!extension.equals("csv")) {
        CliRun other = score(features, out, "--reasons", "statements");
        assertThat(other.code()).as(other.err()).isZero();
      }
      Map<String, List<String>> rows = read(out, PortfolioTables.SCORES_WITH_STATEMENTS);
      assertThat(rows).hasSize(featureRows.size());
      int withReasons = 0;
      for (Map.Entry<String, List<String>> e : rows.entrySet()) {
        ScoreResult expected = bundle.scorer().score(featureRows.get(e.getKey()));
        List<String> v = e.getValue();
        for (int k = 0; k < 4; k++) {
          String code = k < expected.reasonCodes().size() ? expected.reasonCodes().get(k) : null;
          assertThat(blank(v.get(5 + k))).as(extension + " " + e.getKey() + " reason_" + (k + 1)).isEqualTo(blank(code));
          assertThat(blank(v.get(9 + k))).as(extension + " reason_" + (k + 1) + "_text")
              .isEqualTo(code == null ? "" : texts.get(code));
        }
        withReasons += expected.reasonCodes().isEmpty() ? 0 : 1;
        assertThat(v.get(13)).isEqualTo(bundle.modelId());
      }
      assertThat(withReasons).isGreaterThan(300);
    }
  }

  private static String blank(String s) {
    return s == null ? "" : s;
  }

  @Test
  void none_leavesTheReasonColumnsEmpty_andScoresAlike() throws Exception {
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 300, 12, AS_OF);
    Path codes = dir.resolve("codes.csv");
    Path none = dir.resolve("none.csv");
    assertThat(score(features, codes).code()).isZero();
    assertThat(score(features, none, "--reasons", "none").code()).isZero();
    List<String> a = Files.readAllLines(codes);
    List<String> b = Files.readAllLines(none);
    assertThat(b.get(0)).isEqualTo(a.get(0));
    assertThat(b).hasSameSizeAs(a);
    int nonEmpty = 0;
    for (int i = 1; i < a.size(); i++) {
      String[] x = a.get(i).split(",", -1);
      String[] y = b.get(i).split(",", -1);
      for (int c = 0; c < x.length; c++) {
        if (c >= 5 && c <= 8) {
          assertThat(y[c]).isEmpty();
          nonEmpty += x[c].isEmpty() ? 0 : 1;
        } else {
          assertThat(y[c]).isEqualTo(x[c]);
        }
      }
    }
    assertThat(nonEmpty).isPositive();
    assertThat(JSON.readTree(dir.resolve("none.csv.manifest.json").toFile()).get("options").get("reasons").asText())
        .isEqualTo("none");
    CliRun bad = score(features, dir.resolve("x.csv"), "--reasons", "texts");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--reasons texts: expected codes, statements or none").doesNotContain("\tat ");
  }

  @Test
  void resume_withOtherReasons_isRefused_withTheSameResumes() throws Exception {
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 200_000, 13, AS_OF);
    Path out = dir.resolve("s.csv");
    String[] options = {"--chunk-rows", "20", "--threads", "1"};
    // interrupt a run once it has written a checkpoint: it stops and leaves the checkpoint
    CliRun[] first = new CliRun[1];
    Thread run = new Thread(() -> {
      try {
        first[0] = score(features, out, concat(options, "--reasons", "statements"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    run.start();
    Path checkpoint = dir.resolve("s.csv.checkpoint.json");
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(checkpoint) && run.isAlive() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    run.interrupt();
    run.join();
    assertThat(first[0].code()).as("interrupted after its first checkpoint: " + first[0].err()).isEqualTo(1);
    assertThat(checkpoint).exists();

    for (String other : List.of("codes", "none")) {
      CliRun refused = score(features, out, concat(options, "--reasons", other, "--resume"));
      assertThat(refused.code()).as(refused.err()).isEqualTo(2);
      assertThat(refused.err()).contains("used another input, model or options");
    }
    CliRun resumed = score(features, out, concat(options, "--reasons", "statements", "--resume"));
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("Resumed after input row");
    Path fresh = dir.resolve("fresh/s.csv");
    assertThat(score(features, fresh, concat(options, "--reasons", "statements")).code()).isZero();
    assertThat(Files.mismatch(out, fresh)).isEqualTo(-1L);
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }
}

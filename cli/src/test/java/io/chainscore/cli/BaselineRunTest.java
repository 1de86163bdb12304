package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 3: {@code --baseline DIR} read the files named by absolute paths in DIR's
 * manifest. An archived copy was compared with the live run overwritten since; a manifest edited
 * to name another file made the run read it. Now the files are found in DIR only, checked against
 * the manifest's SHA-256, before scoring.
 */
class BaselineRunTest {
  @TempDir Path dir;

  private CliRun score(Path features, Path out, String... more) throws Exception {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("score", "--model",
        dir.resolve("scorecard.json").toString(), "--features", features.toString(), "--out", out.toString(),
        "--as-of", "2025-06-30", "--quiet"));
    args.addAll(java.util.List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  @Test
  void archivedBaseline_isComparedAsArchived_notWithTheLiveRunOverwrittenSince() throws Exception {
    TestRuns.model(dir);
    Path live = Files.createDirectories(dir.resolve("live"));
    Path features = TestRuns.cleanFeatures(live.resolve("f.csv"), 2000, 1, "2025-06-30");
    assertThat(score(features, live.resolve("s.csv")).code()).isIn(0, 3);
    // Archive the run, then overwrite the live one with another portfolio.
    Path archive = Files.createDirectories(dir.resolve("archive"));
    try (var files = Files.list(live)) {
      for (Path p : files.toList()) {
        Files.copy(p, archive.resolve(p.getFileName()));
      }
    }
    Path other = TestRuns.cleanFeatures(dir.resolve("other.csv"), 2000, 99, "2025-06-30");
    Files.copy(other, live.resolve("f.csv"), StandardCopyOption.REPLACE_EXISTING);
    assertThat(score(live.resolve("f.csv"), live.resolve("s.csv"), "--overwrite").code()).isIn(0, 3);

    // The same scores as the archive, compared with the archive: PSI exactly 0, every supplier in both.
    Path same = Files.copy(archive.resolve("f.csv"), dir.resolve("same.csv"));
    CliRun now = score(same, dir.resolve("now/s.csv"), "--baseline", archive.toString());
    assertThat(now.code()).as(now.err()).isIn(0, 3);
    JsonNode stability = new ObjectMapper().readTree(dir.resolve("now/s.csv.summary.json").toFile()).get("stability");
    assertThat(stability.get("psi_grades").asDouble()).isEqualTo(0.0);
    assertThat(stability.get("psi_score_deciles").asDouble()).isEqualTo(0.0);
    assertThat(stability.get("suppliers_in_both").asLong()).isEqualTo(Files.readAllLines(archive.resolve("s.csv")).size() - 1);
  }

  /**
   * A run that scored no supplier (every row quarantined: an unknown sector code upstream), as the
   * baseline or as the run itself: the scores are written and the summary says there is no
   * distribution to compare, as {@code monitor} reports such a run. Until 2026-12-07 the PSI stopped
   * the run after scoring ("stability index: expected counts are all zero", exit 2) and left its
   * partial and staged files.
   */
  @Test
  void aRunThatScoredNoSupplier_asBaselineOrItself_hasNoStability_notAStoppedRun() throws Exception {
    TestRuns.model(dir);
    Path none = Files.createDirectories(dir.resolve("none"));
    Path bad = TestRuns.cleanFeatures(none.resolve("f.csv"), 300, 5, "2025-06-30");
    java.util.List<String> rows = new java.util.ArrayList<>(Files.readAllLines(bad));
    for (int i = 1; i < rows.size(); i++) {
      rows.set(i, rows.get(i).replaceFirst(",(MANUFACTURING|LOGISTICS|RETAIL|AGRICULTURE),", ",MINING,"));
    }
    Files.write(bad, rows);
    assertThat(score(bad, none.resolve("s.csv")).code()).isEqualTo(3);
    assertThat(Files.readAllLines(none.resolve("s.csv"))).as("no supplier scored").hasSize(1);
    Path good = Files.createDirectories(dir.resolve("good"));
    Path features = TestRuns.cleanFeatures(good.resolve("f.csv"), 300, 6, "2025-06-30");
    assertThat(score(features, good.resolve("s.csv")).code()).isIn(0, 3);

    String[][] cases = {
        {features.toString(), none.toString(), "the baseline run scored no supplier"},
        {bad.toString(), good.toString(), "this run scored no supplier"}};
    for (String[] c : cases) {
      Path out = Files.createDirectories(dir.resolve("vs-" + Path.of(c[1]).getFileName()));
      CliRun run = score(Path.of(c[0]), out.resolve("s.csv"), "--baseline", c[1]);
      assertThat(run.code()).as(run.err()).isIn(0, 3);
      JsonNode stability = new ObjectMapper().readTree(out.resolve("s.csv.summary.json").toFile()).get("stability");
      assertThat(stability.get("not_computed").asText()).isEqualTo(c[2]);
      assertThat(stability.has("psi_grades")).isFalse();
      try (var files = Files.list(out)) {
        assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly("s.csv",
            "s.csv.manifest.json", "s.csv.summary.json", "s.quarantine.csv");
      }
    }
  }

  /**
   * A nightly run scored on Spark as the baseline: its scores are a directory of Parquet part files
   * and its manifest the Spark job's ({@code "job": "chainscore-spark"}, the part files in {@code
   * output_files}, as {@code SparkParityTest} checks the job writes them). It was refused ("holds no
   * run manifest of a score run", "is not the manifest of a score run"). It now gives the stability
   * of a baseline run of the same scores on one machine, byte for byte (no CSI: the job keeps no
   * feature table), and is refused when a part file changed or was added.
   */
  @Test
  void sparkRunAsBaseline_givesTheStabilityOfTheSameScoresOnOneMachine() throws Exception {
    TestRuns.model(dir);
    Path one = Files.createDirectories(dir.resolve("one"));
    Path features = TestRuns.cleanFeatures(one.resolve("f.csv"), 1500, 3, "2025-06-30");
    assertThat(score(features, one.resolve("s.parquet")).code()).isIn(0, 3);
    // the same scores as the Spark job writes them: a part file in a directory, its manifest beside it
    Path spark = Files.createDirectories(dir.resolve("spark"));
    Path table = Files.createDirectories(spark.resolve("scores.parquet"));
    Path part = Files.copy(one.resolve("s.parquet"), table.resolve("part-00000-5e1f-c000.snappy.parquet"));
    Files.writeString(table.resolve("_SUCCESS"), "");
    ObjectMapper json = new ObjectMapper();
    ObjectNode m = json.createObjectNode();
    m.put("job", "chainscore-spark").put("output", "file://" + table.toAbsolutePath());
    m.putObject("model").put("sha256", json.readTree(one.resolve("s.parquet.manifest.json").toFile())
        .path("model").path("sha256").asText());
    m.putArray("output_files").addObject().put("path", part.getFileName().toString()).put("bytes", Files.size(part))
        .put("sha256", io.chainscore.batch.engine.RunManifest.sha256(part));
    json.writeValue(spark.resolve("scores.parquet.manifest.json").toFile(), m);

    Path now = TestRuns.cleanFeatures(dir.resolve("now.csv"), 1500, 4, "2025-06-30");
    CliRun againstOne = score(now, dir.resolve("a/s.csv"), "--baseline", one.resolve("s.parquet").toString());
    assertThat(againstOne.code()).as(againstOne.err()).isIn(0, 3);
    for (String baseline : new String[] {spark.toString(), table.toString()}) {
      Path out = dir.resolve("b" + baseline.length() + "/s.csv");
      CliRun againstSpark = score(now, out, "--baseline", baseline);
      assertThat(againstSpark.code()).as(againstSpark.err()).isEqualTo(againstOne.code());
      JsonNode expected = json.readTree(dir.resolve("a/s.csv.summary.json").toFile()).get("stability").deepCopy();
      ((ObjectNode) expected).remove("csi");
      JsonNode actual = json.readTree(out.resolveSibling("s.csv.summary.json").toFile()).get("stability");
      assertThat(actual.get("psi_grades").asDouble()).isPositive();
      assertThat(actual).isEqualTo(expected);
      // the part file is listed among the run's inputs, with its hash
      assertThat(json.readTree(out.resolveSibling("s.csv.manifest.json").toFile()).get("inputs").toString())
          .contains(part.toString()).contains(io.chainscore.batch.engine.RunManifest.sha256(part));
    }

    // monitor reads the job's count of refused score rows (its manifest counts no rows read: the
    // share is of the suppliers scored and the rows refused)
    m.put("score_rows_quarantined", 7);
    json.writeValue(spark.resolve("scores.parquet.manifest.json").toFile(), m);
    CliRun monitored = CliRun.of("monitor", "--model", dir.resolve("scorecard.json").toString(), "--runs", one.toString(),
        spark.toString(), "--out", dir.resolve("mon").toString());
    assertThat(monitored.code()).as(monitored.err()).isIn(0, 4);
    JsonNode sparkRun = json.readTree(dir.resolve("mon/monitor.json").toFile()).get("runs").get(1);
    long scored = sparkRun.get("suppliers").asLong();
    assertThat(sparkRun.get("rows_quarantined").asLong()).isEqualTo(7);
    assertThat(sparkRun.get("quarantined_share").asDouble()).isEqualTo(7.0 / (scored + 7));
    assertThat(sparkRun.get("quarantined_by_column").isNull()).isTrue();

    Files.copy(one.resolve("s.parquet"), table.resolve("part-00001-5e1f-c000.snappy.parquet"));
    CliRun added = score(now, dir.resolve("c/s.csv"), "--baseline", spark.toString());
    assertThat(added.code()).isEqualTo(2);
    assertThat(added.err().strip()).isEqualTo("chainscore score: " + table + ": holds part files the run's"
        + " manifest scores.parquet.manifest.json does not list (part-00001-5e1f-c000.snappy.parquet); the table"
        + " changed after that run");
    // a listed part file gone: refused by verified() naming it
    Files.delete(table.resolve("part-00001-5e1f-c000.snappy.parquet"));
    Files.delete(part);
    CliRun missing = score(now, dir.resolve("d/s.csv"), "--baseline", spark.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("the run's file part-00000-5e1f-c000.snappy.parquet (output_files of"
        + " scores.parquet.manifest.json) is not in the directory");
  }

  @Test
  void manifestNamingAnotherFile_orAChangedFile_isRefusedBeforeScoring() throws Exception {
    TestRuns.model(dir);
    Path base = Files.createDirectories(dir.resolve("base"));
    Path features = TestRuns.cleanFeatures(base.resolve("f.csv"), 500, 2, "2025-06-30");
    assertThat(score(features, base.resolve("s.csv")).code()).isIn(0, 3);
    Path secret = Files.writeString(dir.resolve("secret.csv"), "supplier_id,score,pd,grade\nX,1,0.5,A\n");

    // A manifest edited to name a file outside DIR: only DIR is looked in, where no such file is.
    Path manifest = base.resolve("s.csv.manifest.json");
    ObjectNode m = (ObjectNode) new ObjectMapper().readTree(manifest.toFile());
    ((ObjectNode) m.get("outputs").get(0)).put("path", secret.toString());
    new ObjectMapper().writeValue(manifest.toFile(), m);
    Path out = dir.resolve("now/s.csv");
    CliRun refused = score(features, out, "--baseline", base.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().strip()).isEqualTo("chainscore score: --baseline " + base + ": the run's file secret.csv"
        + " (outputs[0] of s.csv.manifest.json) is not in the directory");
    assertThat(out).as("checked before scoring").doesNotExist();

    // The manifest restored, the scores file changed after the run: refused by its SHA-256.
    ((ObjectNode) m.get("outputs").get(0)).put("path", base.resolve("s.csv").toString());
    new ObjectMapper().writeValue(manifest.toFile(), m);
    String recorded = m.get("outputs").get(0).get("sha256").asText();
    String text = Files.readString(base.resolve("s.csv"));
    Files.writeString(base.resolve("s.csv"), text.replaceFirst("S0000001,", "S0000009,"));
    CliRun changed = score(features, out, "--baseline", base.toString());
    assertThat(changed.code()).isEqualTo(2);
    assertThat(changed.err()).contains(base.resolve("s.csv") + ": SHA-256 ")
        .contains("but the run's manifest s.csv.manifest.json records " + recorded + "; the file changed after that run");
    assertThat(out).doesNotExist();
  }

  /**
   * A folder holding several score runs gave --baseline and monitor --runs the first manifest by
   * name, silently; now refused naming them, and the manifest (or the score table) picks one.
   */
  /**
   * A baseline made with --transactions lists the trade tables before the features it kept: its
   * feature table is BASE.features.arrow, not inputs[0] (anchors.csv), so its CSI is computed (it was
   * dropped, or the run failed reading the anchors as features when the scores sat in the
   * portfolio's folder), and the new run's manifest lists that feature table beside the scores.
   */
  @Test
  void transactionsBaseline_givesCsiFromTheFeaturesItKept() throws Exception {
    Path p = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "300", "--seed", "4", "--out", p.toString()).code()).isZero();
    for (Path out : new Path[] {dir.resolve("t1/s.csv"), p.resolve("scores.csv")}) {
      CliRun run = CliRun.of("score", "--transactions", p.toString(), "--as-of", "2025-06-30", "--out", out.toString(),
          "--quiet");
      assertThat(run.code()).as(run.err()).isIn(0, 3);
    }
    Path features = dir.resolve("f.arrow");
    assertThat(CliRun.of("features", "--transactions", p.toString(), "--as-of", "2025-06-30", "--out",
        features.toString(), "--quiet").code()).isIn(0, 3);
    for (Path baseline : new Path[] {dir.resolve("t1"), p}) {
      Path out = dir.resolve("now-" + baseline.getFileName() + "/s.csv");
      CliRun now = CliRun.of("score", "--features", features.toString(), "--as-of", "2025-06-30", "--out",
          out.toString(), "--baseline", baseline.toString(), "--quiet");
      assertThat(now.code()).as(now.err()).isIn(0, 3);
      JsonNode stability = new ObjectMapper().readTree(Path.of(out + ".summary.json").toFile()).get("stability");
      assertThat(stability.has("csi")).as(baseline.toString()).isTrue();
      // the same features as the baseline kept: every characteristic stable, CSI 0
      stability.get("csi").fields().forEachRemaining(e -> assertThat(e.getValue().asDouble()).as(e.getKey()).isZero());
      JsonNode inputs = new ObjectMapper().readTree(Path.of(out + ".manifest.json").toFile()).get("inputs");
      java.util.List<String> names = new java.util.ArrayList<>();
      inputs.forEach(i -> names.add(Path.of(i.get("path").asText()).getFileName().toString()));
      assertThat(names).contains(baseline.equals(p) ? "scores.features.arrow" : "s.features.arrow");
    }
  }

  @Test
  void directoryOfSeveralRuns_isRefusedNamingThem_andTheManifestPicksOne() throws Exception {
    Path model = TestRuns.model(dir);
    Path runs = Files.createDirectories(dir.resolve("runs"));
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 500, 2, "2025-06-30");
    Path other = TestRuns.cleanFeatures(dir.resolve("g.csv"), 500, 7, "2025-06-30");
    assertThat(score(other, runs.resolve("a.csv")).code()).isZero();
    assertThat(score(features, runs.resolve("b.csv")).code()).isZero();

    CliRun refused = score(features, dir.resolve("now.csv"), "--baseline", runs.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().strip()).isEqualTo("chainscore score: --baseline " + runs + ": holds 2 score runs"
        + " (a.csv.manifest.json, b.csv.manifest.json); give the manifest of the one to use, e.g. --baseline "
        + runs.resolve("a.csv.manifest.json"));
    assertThat(dir.resolve("now.csv")).doesNotExist();
    CliRun monitor = CliRun.of("monitor", "--model", model.toString(), "--runs", runs.toString(), "--out",
        dir.resolve("m").toString());
    assertThat(monitor.code()).isEqualTo(2);
    assertThat(monitor.err().strip()).startsWith("chainscore monitor: --runs " + runs + ": holds 2 score runs");

    // b's manifest, or b's score table, picks b: the same scores, PSI exactly 0
    for (Path pick : new Path[] {runs.resolve("b.csv.manifest.json"), runs.resolve("b.csv")}) {
      Path out = dir.resolve("now-" + pick.getFileName() + ".csv");
      CliRun now = score(features, out, "--baseline", pick.toString());
      assertThat(now.code()).as(now.err()).isZero();
      JsonNode stability = new ObjectMapper().readTree(Path.of(out + ".summary.json").toFile()).get("stability");
      assertThat(stability.get("psi_score_deciles").asDouble()).isEqualTo(0.0);
      assertThat(stability.get("suppliers_in_both").asLong()).isEqualTo(Files.readAllLines(runs.resolve("b.csv")).size() - 1);
    }
    CliRun picked = CliRun.of("monitor", "--model", model.toString(), "--runs", runs.resolve("a.csv.manifest.json")
        .toString(), runs.resolve("b.csv.manifest.json").toString(), "--out", dir.resolve("m").toString());
    assertThat(picked.code()).as(picked.err()).isIn(0, 4);
  }

  /**
   * Nights joined: a baseline scored by another model (a new bundle version tonight), or dated on
   * or after this run's as-of date (last night's folder still holding a later run), was compared in
   * silence until 2026-12-07, its PSI reading as a night's drift. The summary now names the
   * baseline's as-of date and model and says whether they match, and the terminal says so.
   */
  @Test
  void baselineOfAnotherModelOrNotBeforeThisRun_isNamedInTheSummaryAndOnTheTerminal() throws Exception {
    TestRuns.model(dir);
    String v2 = Files.readString(dir.resolve("scorecard.json")).replace("\"model_version\" : \"1.0.0\"",
        "\"model_version\" : \"2.0.0\"");
    Files.writeString(dir.resolve("scorecard-2.json"), io.chainscore.scoring.ModelBundle.seal(v2).toJson());
    Path may = Files.createDirectories(dir.resolve("may"));
    CliRun base = CliRun.of("score", "--model", dir.resolve("scorecard.json").toString(), "--features",
        TestRuns.cleanFeatures(may.resolve("f.csv"), 400, 1, "2025-05-31").toString(), "--out",
        may.resolve("s.csv").toString(), "--as-of", "2025-05-31", "--quiet");
    assertThat(base.code()).as(base.err()).isIn(0, 3);
    Path june = TestRuns.cleanFeatures(dir.resolve("june.csv"), 400, 2, "2025-06-30");

    // the same model, the night before: named, nothing to say on the terminal
    CliRun same = score(june, dir.resolve("same/s.csv"), "--baseline", may.toString());
    assertThat(same.code()).as(same.err()).isIn(0, 3);
    JsonNode of = new ObjectMapper().readTree(dir.resolve("same/s.csv.summary.json").toFile()).get("stability")
        .get("baseline");
    assertThat(of.get("as_of_date").asText()).isEqualTo("2025-05-31");
    assertThat(of.get("model").asText()).isEqualTo("supplier-scorecard 1.0.0");
    assertThat(of.get("same_model").asBoolean()).isTrue();
    assertThat(of.get("before_this_run").asBoolean()).isTrue();
    assertThat(same.out()).doesNotContain("The baseline was scored by").doesNotContain("The baseline is dated");

    // a new model version tonight
    CliRun other = CliRun.of("score", "--model", dir.resolve("scorecard-2.json").toString(), "--features",
        june.toString(), "--out", dir.resolve("v2/s.csv").toString(), "--as-of", "2025-06-30", "--baseline",
        may.toString(), "--quiet");
    assertThat(other.code()).as(other.err()).isIn(0, 3);
    of = new ObjectMapper().readTree(dir.resolve("v2/s.csv.summary.json").toFile()).get("stability").get("baseline");
    assertThat(of.get("same_model").asBoolean()).isFalse();
    assertThat(other.out()).contains("The baseline was scored by supplier-scorecard 1.0.0 (sha256 ")
        .contains("...), not by this run's model");

    // a baseline dated after this run: not a previous run
    Path april = TestRuns.cleanFeatures(dir.resolve("april.csv"), 400, 3, "2025-04-30");
    CliRun back = CliRun.of("score", "--model", dir.resolve("scorecard.json").toString(), "--features",
        april.toString(), "--out", dir.resolve("april/s.csv").toString(), "--as-of", "2025-04-30", "--baseline",
        may.toString(), "--quiet");
    assertThat(back.code()).as(back.err()).isIn(0, 3);
    of = new ObjectMapper().readTree(dir.resolve("april/s.csv.summary.json").toFile()).get("stability").get("baseline");
    assertThat(of.get("before_this_run").asBoolean()).isFalse();
    assertThat(of.get("same_model").asBoolean()).isTrue();
    assertThat(back.out()).contains("The baseline is dated 2025-05-31, not before this run's as-of date");

    // the bundle edited under the same id and version (one point of one bin): another model by its
    // content, which the baseline's manifest records; the id and version alone called it the same
    // (its golden rows, which hold the old points, left out: seal keeps none then)
    com.fasterxml.jackson.databind.node.ObjectNode model = (com.fasterxml.jackson.databind.node.ObjectNode)
        new ObjectMapper().readTree(dir.resolve("scorecard.json").toFile());
    model.remove("golden_rows");
    model.remove("sha256");
    com.fasterxml.jackson.databind.node.ObjectNode bin = (com.fasterxml.jackson.databind.node.ObjectNode)
        model.findParent("points");
    bin.put("points", bin.get("points").asDouble() + 1);
    Files.writeString(dir.resolve("scorecard-edited.json"),
        io.chainscore.scoring.ModelBundle.seal(model.toString()).toJson());
    CliRun retrained = CliRun.of("score", "--model", dir.resolve("scorecard-edited.json").toString(), "--features",
        june.toString(), "--out", dir.resolve("edited/s.csv").toString(), "--as-of", "2025-06-30", "--baseline",
        may.toString(), "--quiet");
    assertThat(retrained.code()).as(retrained.err()).isIn(0, 3);
    of = new ObjectMapper().readTree(dir.resolve("edited/s.csv.summary.json").toFile()).get("stability").get("baseline");
    String baseSha = new ObjectMapper().readTree(may.resolve("s.csv.manifest.json").toFile()).get("model").get("sha256")
        .asText();
    assertThat(of.get("model").asText()).isEqualTo("supplier-scorecard 1.0.0");
    assertThat(of.get("model_sha256").asText()).isEqualTo(baseSha);
    assertThat(of.get("same_model").asBoolean()).isFalse();
    assertThat(retrained.out()).contains("The baseline was scored by supplier-scorecard 1.0.0 (sha256 "
        + baseSha.substring(0, 12) + "...), not by this run's model");
    of = new ObjectMapper().readTree(dir.resolve("same/s.csv.summary.json").toFile()).get("stability").get("baseline");
    assertThat(of.get("model_sha256").asText()).isEqualTo(baseSha);
  }

  /**
   * Nights joined: last night a {@code score --transactions} run kept {@code scores.features.arrow};
   * tonight {@code features} then {@code score --features --baseline LAST_NIGHT} with the same
   * {@code --out} name. Tonight's manifest lists the baseline's {@code scores.features.arrow} among
   * its inputs, and until 2026-12-07 that entry, found by its file name, was taken for tonight's own
   * feature table: read as a baseline or by {@code monitor}, tonight's run had no feature table (no
   * CSI) and no count of the trade rows its features run refused, though both sat beside its scores.
   */
  @Test
  void featuresRunWithATransactionsBaselineOfTheSameName_isReadWithItsOwnFeatureTable() throws Exception {
    Path book = dir.resolve("book");
    assertThat(CliRun.of("generate", "--suppliers", "60", "--seed", "4", "--out", book.toString(), "--quiet").code())
        .isZero();
    CliRun last = CliRun.of("score", "--transactions", book.toString(), "--as-of", "2025-05-31", "--out",
        dir.resolve("night1/scores.csv").toString(), "--quiet");
    assertThat(last.code()).as(last.err()).isIn(0, 3);
    // tonight one supplier's sector code is unknown upstream: features refuses its row
    java.util.List<String> suppliers = new java.util.ArrayList<>(Files.readAllLines(book.resolve("suppliers.csv")));
    int sector = java.util.List.of(suppliers.get(0).split(",", -1)).indexOf("sector");
    String[] second = suppliers.get(2).split(",", -1);
    second[sector] = "space_mining";
    suppliers.set(2, String.join(",", second));
    Files.write(book.resolve("suppliers.csv"), suppliers);
    Path night2 = dir.resolve("night2");
    assertThat(CliRun.of("features", "--transactions", book.toString(), "--as-of", "2025-06-30", "--out",
        night2.resolve("features.csv").toString(), "--quiet").code()).isEqualTo(3);
    CliRun tonight = CliRun.of("score", "--features", night2.resolve("features.csv").toString(), "--as-of",
        "2025-06-30", "--out", night2.resolve("scores.csv").toString(), "--baseline", dir.resolve("night1").toString(),
        "--quiet");
    assertThat(tonight.code()).as(tonight.err()).isIn(0, 3);

    BaselineRun run = BaselineRun.of(night2);
    assertThat(run.features()).isNotNull();
    assertThat(run.features().file()).isEqualTo(night2.resolve("features.csv"));
    long refused = Files.readAllLines(night2.resolve("features.quarantine.csv")).size() - 1;
    assertThat(refused).isPositive();
    assertThat(run.rows().transactionsQuarantined()).isEqualTo(refused);
    // and the next night compares against it with CSI
    CliRun next = CliRun.of("score", "--transactions", book.toString(), "--as-of", "2025-06-30", "--out",
        dir.resolve("night3/scores.csv").toString(), "--baseline", night2.toString(), "--quiet");
    assertThat(next.code()).as(next.err()).isIn(0, 3);
    JsonNode stability = new ObjectMapper().readTree(dir.resolve("night3/scores.csv.summary.json").toFile())
        .get("stability");
    assertThat(stability.get("csi")).isNotNull();
    assertThat(stability.get("csi").get("sector").asDouble()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
  }
}

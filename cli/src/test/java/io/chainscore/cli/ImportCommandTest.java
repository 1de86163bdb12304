package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
  @TempDir Path dir;

  private Path resource(String name) throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/models/" + name)) {
      return Files.write(dir.resolve(name), in.readAllBytes());
    }
  }

  private static int run(StringWriter err, String... args) {
    return ChainScoreCli.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
  }

  /** A row of the schema: one value in eight missing, categories by index, numbers in [-5, 5). */
  private static double[] randomRow(io.chainscore.features.FeatureSchema schema, SplittableRandom random) {
    double[] row = new double[schema.size()];
    for (int j = 0; j < row.length; j++) {
      var f = schema.feature(j);
      row[j] = random.nextInt(8) == 0 ? Double.NaN
          : f.type() == io.chainscore.features.FeatureType.CATEGORICAL ? random.nextInt(f.categories().size())
          : random.nextDouble() * 10 - 5;
    }
    return row;
  }

  @Test
  void import_bothFormats_bundleScoresWithTheModelsOwnProbability() throws Exception {
    for (String[] c : new String[][] {{"xgboost", "xgboost-small.json"}, {"lightgbm", "lightgbm-small.txt"}}) {
      Path model = resource(c[1]);
      Path bundlePath = dir.resolve(c[0] + ".bundle.json");
      StringWriter err = new StringWriter();
      // no missing-share limit: the random rows below miss values at random, the point is the margins
      assertThat(run(err, "import", c[0], "--source", model.toString(), "--out", bundlePath.toString(),
          "--max-missing-share", "1"))
          .as(err.toString()).isZero();
      ModelBundle bundle = ModelBundle.read(bundlePath);
      TreeEnsemble ensemble = c[0].equals("xgboost") ? XGBoostModelReader.read(model) : LightGbmModelReader.read(model);
      var compiled = ensemble.compile(bundle.schema());
      SplittableRandom random = new SplittableRandom(1);
      for (int i = 0; i < 500; i++) {
        double[] row = randomRow(bundle.schema(), random);
        double margin = compiled.margin(row, 0);
        // Double-precision logistic of the model's margin; XGBoost's own float32 sigmoid differs
        // by at most its rounding.
        assertThat(bundle.scorer().score(row).pd()).isCloseTo(ensemble.probability(margin),
            org.assertj.core.data.Offset.offset(1e-7));
      }
    }
  }

  @Test
  void import_provenanceRecordsTheImport_oneRuleForEveryFormat() throws Exception {
    Path model = resource("xgboost-small.json");
    Path out = dir.resolve("prov.json");
    StringWriter err = new StringWriter();
    assertThat(run(err, "import", "xgboost", "--source", model.toString(), "--out", out.toString(),
        "--max-missing-share", "1")).as(err.toString()).isZero();
    String sha256 = io.chainscore.batch.engine.RunManifest.sha256(model);
    ModelBundle.Provenance p = ModelBundle.read(out).provenance();
    assertThat(p.trainingDataSha256()).isEqualTo(sha256);
    assertThat(p.trainer()).isEqualTo("imported from " + XGBoostModelReader.read(model).source()
        + " by chainscore import xgboost (" + ChainScoreCli.versionText() + "); file xgboost-small.json sha256 "
        + sha256 + "; options: --max-missing-share 1.0");
  }

  /**
   * LightGBM's {@code sigmoid:} factor: its PD is {@code 1 / (1 + exp(-sigmoid * raw score))}. The
   * bundle stored the factor and scored {@code sigmoid:1}'s PD (off by up to 0.149 at sigmoid:2).
   * The raw score is the same model's with {@code sigmoid:1}; the reference PD is computed here.
   */
  @Test
  void import_lightgbmSigmoidFactor_scalesTheLogOdds() throws Exception {
    String text = Files.readString(resource("lightgbm-small.txt"));
    assertThat(text).contains("objective=binary sigmoid:1");
    for (double sigmoid : new double[] {2, 0.7}) {
      Path model = Files.writeString(dir.resolve("lgb-" + sigmoid + ".txt"),
          text.replace("objective=binary sigmoid:1", "objective=binary sigmoid:" + sigmoid));
      Path bundlePath = dir.resolve("lgb-" + sigmoid + ".bundle.json");
      StringWriter err = new StringWriter();
      assertThat(run(err, "import", "lightgbm", "--source", model.toString(), "--out", bundlePath.toString(),
          "--max-missing-share", "1")).as(err.toString()).isZero();
      ModelBundle bundle = ModelBundle.read(bundlePath);
      var raw = LightGbmModelReader.read(resource("lightgbm-small.txt")).compile(bundle.schema());
      SplittableRandom random = new SplittableRandom(2);
      double largest = 0;
      for (int i = 0; i < 500; i++) {
        double[] row = randomRow(bundle.schema(), random);
        double rawScore = raw.margin(row, 0);
        double expected = 1 / (1 + Math.exp(-sigmoid * rawScore));
        assertThat(bundle.scorer().score(row).pd()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        largest = Math.max(largest, Math.abs(expected - 1 / (1 + Math.exp(-rawScore))));
      }
      // the rows reach PDs where the factor matters (else the check above could not fail)
      assertThat(largest).isGreaterThan(0.02);
    }
  }

  @Test
  void import_withStandardSchema_scoresAFeatureTableLikeTheEnsemble() throws Exception {
    // An XGBoost model over two standard features, as a user would train on chainscore features.
    String model = new String(getClass().getResourceAsStream("/models/xgboost-small.json").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    TreeEnsemble original = XGBoostModelReader.read(model.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    java.util.List<String> names = original.featureNames();
    String renamed = model;
    // The fixture has a numeric, a categorical (sector codes as indexes) and a numeric feature.
    String[] standard = {"on_time_delivery_rate_12m", "sector", "growth_3m_yoy"};
    for (int i = 0; i < names.size(); i++) {
      renamed = renamed.replace("\"" + names.get(i) + "\"", "\"" + standard[i] + "\"");
    }
    Path file = Files.writeString(dir.resolve("standard-model.json"), renamed);
    TreeEnsemble ensemble = XGBoostModelReader.read(file);
    assertThat(ensemble.featureNames()).isEqualTo(java.util.List.of(standard).subList(0, names.size()));
    StringWriter err = new StringWriter();
    Path bundlePath = dir.resolve("std.bundle.json");
    assertThat(run(err, "import", "xgboost", "--source", file.toString(), "--out", bundlePath.toString(),
        "--schema", "standard")).as(err.toString()).isZero();
    ModelBundle bundle = ModelBundle.read(bundlePath);
    assertThat(bundle.schema()).isEqualTo(io.chainscore.features.StandardFeatures.SCHEMA);
    // the standard features' reasons: the bundled models' codes and statements, not "Contribution of sector"
    assertThat(bundle.reasonCodes()).allSatisfy(r -> assertThat(r.text())
        .isEqualTo(io.chainscore.models.StandardReasons.statements().get(r.code())));
    assertThat(bundle.reasonCodes().stream().map(ModelBundle.ReasonCode::code))
        .contains(io.chainscore.models.StandardReasons.codeOf("sector"),
            io.chainscore.models.StandardReasons.codeOf("on_time_delivery_rate_12m"))
        .doesNotHaveDuplicates();
    com.fasterxml.jackson.databind.JsonNode features = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(bundlePath.toFile()).path("features");
    for (com.fasterxml.jackson.databind.JsonNode f : features) {
      assertThat(f.path("reason_code").asText()).as(f.path("name").asText())
          .isEqualTo(io.chainscore.models.StandardReasons.codeOf(f.path("name").asText()));
    }
    var compiled = ensemble.compile(bundle.schema());
    // Score a real feature table: the demo's.
    assertThat(ChainScoreCli.execute(new String[] {"demo", "--suppliers", "150", "--out", dir.resolve("d").toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isZero();
    var rows = io.chainscore.batch.scoring.FeatureRows.read(dir.resolve("d/features.arrow"), bundle);
    for (double[] row : rows.values()) {
      assertThat(bundle.scorer().score(row).pd()).isCloseTo(1 / (1 + Math.exp(-compiled.margin(row, 0))),
          org.assertj.core.data.Offset.offset(1e-12));
    }
    // A schema that lacks the model's features is refused naming the feature.
    StringWriter err2 = new StringWriter();
    Path other = resource("xgboost-small.json");
    assertThat(run(err2, "import", "xgboost", "--source", other.toString(), "--out", dir.resolve("x.json").toString(),
        "--schema", "standard")).isEqualTo(2);
    assertThat(err2.toString()).contains("feature_names[0]");
  }

  @Test
  void import_hostileFile_exitsTwoNamingTheField() throws Exception {
    StringWriter err = new StringWriter();
    int code = run(err, "import", "xgboost", "--source", resource("xgb-cycle.json").toString(),
        "--out", dir.resolve("x.json").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("trees[0]").doesNotContain("\tat ");
    assertThat(dir.resolve("x.json")).doesNotExist();
  }

  @Test
  void import_xgboostUbj_sameBundleModelAsTheJsonSave() throws Exception {
    // xgboost-small.ubj is xgboost-small.json loaded and re-saved as .ubj by xgboost4j 3.4.
    Path ubj = resource("xgboost-small.ubj");
    Path json = resource("xgboost-small.json");
    Files.setLastModifiedTime(ubj, Files.getLastModifiedTime(json));
    StringWriter err = new StringWriter();
    assertThat(run(err, "import", "xgboost", "--source", ubj.toString(), "--out", dir.resolve("u.json").toString(),
        "--model-id", "small", "--max-missing-share", "1")).as(err.toString()).isZero();
    assertThat(run(err, "import", "xgboost", "--source", json.toString(), "--out", dir.resolve("j.json").toString(),
        "--model-id", "small", "--max-missing-share", "1")).as(err.toString()).isZero();
    ModelBundle fromUbj = ModelBundle.read(dir.resolve("u.json"));
    ModelBundle fromJson = ModelBundle.read(dir.resolve("j.json"));
    assertThat(fromUbj.schema()).isEqualTo(fromJson.schema());
    var a = fromUbj.scorer();
    var b = fromJson.scorer();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 500; i++) {
      double[] row = new double[fromJson.schema().size()];
      for (int j = 0; j < row.length; j++) {
        var f = fromJson.schema().feature(j);
        row[j] = random.nextInt(8) == 0 ? Double.NaN
            : f.type() == io.chainscore.features.FeatureType.CATEGORICAL ? random.nextInt(f.categories().size())
            : random.nextInt(6) - 2 + random.nextDouble();
      }
      assertThat(a.score(row).pd()).isEqualTo(b.score(row).pd());
    }
    // Only the provenance (the model file's hash) and the bundle's own hash may differ.
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var u = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(dir.resolve("u.json").toFile());
    var j = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(dir.resolve("j.json").toFile());
    assertThat(u.get("model")).isNotNull();
    for (var node : new com.fasterxml.jackson.databind.node.ObjectNode[] {u, j}) {
      node.remove("provenance");
      node.remove("sha256");
    }
    assertThat(u).isEqualTo(j);
  }

  @Test
  void import_truncatedUbj_exitsTwoNamingFieldAndOffset() throws Exception {
    StringWriter err = new StringWriter();
    int code = run(err, "import", "xgboost", "--source", resource("xgb-truncated.ubj").toString(),
        "--out", dir.resolve("x.json").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("trees[0].split_conditions").contains("byte offset")
        .doesNotContain("\tat ");
    assertThat(dir.resolve("x.json")).doesNotExist();
  }

  /** Each refusal of a model file or option: exit 2, one line naming the file (or the option) and the field. */
  @Test
  void import_refusals_exitTwoNamingFileFieldOrOption() throws Exception {
    String xgb = Files.readString(resource("xgboost-small.json"));
    String lgb = Files.readString(resource("lightgbm-small.txt"));
    Path keyXgb = Files.writeString(dir.resolve("key.json"), xgb.replace("\"amount\"", "\"supplier_id\""));
    Path keyLgb = Files.writeString(dir.resolve("key.txt"), lgb.replace("feature_names=amount sector days",
        "feature_names=amount sector as_of_date"));
    Path pandas = Files.writeString(dir.resolve("pandas.txt"), lgb.replace("pandas_categorical:null",
        "pandas_categorical:[[1, 2, 3, 4]]"));
    Path big = Files.writeString(dir.resolve("big.json"), xgb.replace("\"split_conditions\":[0.5,",
        "\"split_conditions\":[1e39,"));
    Path latin1 = Files.write(dir.resolve("latin1.txt"), lgb.replace("feature_names=amount", "feature_names=\u00e9")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    String[][] cases = {
        {"xgboost", keyXgb.toString(), "chainscore import: model file: " + keyXgb + ": feature_names[0]: model feature"
            + " 'supplier_id': feature name supplier_id is a key column of the feature table (supplier_id,"
            + " as_of_date), so no feature table can hold it as a feature; rename the feature"},
        {"lightgbm", keyLgb.toString(), "chainscore import: model file: " + keyLgb + ": feature_names[2]: model"
            + " feature 'as_of_date': feature name as_of_date is a key column of the feature table"},
        {"lightgbm", pandas.toString(), "chainscore import: model file: " + pandas + ": pandas_categorical: pandas"
            + " category labels re-coded by position ([[1, 2, 3, 4]]) are not supported; train on the integer codes"},
        {"xgboost", big.toString(), "chainscore import: model file: " + big + ": learner.gradient_booster.model"
            + ".trees[0].split_conditions[0]: 1E+39 overflows float32 (largest 3.4028235E38)"},
        {"lightgbm", latin1.toString(), "chainscore import: model file: " + latin1 + ": line 8: byte offset "
            + (lgb.indexOf("feature_names=amount") + "feature_names=".length())
            + " (0xe9): not a LightGBM text model (not UTF-8 text)"},
        {"lightgbm", resource("xgboost-small.ubj").toString(), "not a LightGBM text model (not UTF-8 text)"},
    };
    for (String[] c : cases) {
      StringWriter err = new StringWriter();
      assertThat(run(err, "import", c[0], "--source", c[1], "--out", dir.resolve("x.json").toString()))
          .as(err.toString()).isEqualTo(2);
      assertThat(err.toString()).contains(c[2]).doesNotContain("\tat ");
      assertThat(err.toString().strip().lines().count()).as(err.toString()).isEqualTo(1);
      assertThat(dir.resolve("x.json")).doesNotExist();
    }
    // an empty --model-id is the option's fault, refused before the file is read
    StringWriter err = new StringWriter();
    assertThat(run(err, "import", "xgboost", "--source", resource("xgboost-small.json").toString(), "--model-id", "",
        "--out", dir.resolve("x.json").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("chainscore: --model-id: expected a non-empty id")
        .doesNotContain("model file");
  }

  /**
   * The provenance of an import names the model file and its SHA-256 as the source model, the
   * ChainScore version and the import options; the same file and options give the same bytes.
   */
  @Test
  void import_provenance_recordsSourceFileVersionAndOptions_reproducibly() throws Exception {
    Path model = resource("xgboost-small.json");
    StringWriter err = new StringWriter();
    assertThat(run(err, "import", "xgboost", "--source", model.toString(), "--out", dir.resolve("a.json").toString(),
        "--max-missing-share", "1")).as(err.toString()).isZero();
    Files.setLastModifiedTime(model, Files.getLastModifiedTime(model));
    assertThat(run(err, "import", "xgboost", "--source", model.toString(), "--out", dir.resolve("b.json").toString(),
        "--max-missing-share", "1")).as(err.toString()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("a.json"))).isEqualTo(Files.readAllBytes(dir.resolve("b.json")));
    var provenance = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("a.json").toFile())
        .get("provenance");
    String sha = io.chainscore.batch.engine.RunManifest.sha256(model);
    assertThat(provenance.get("source_model").toString())
        .isEqualTo("{\"file\":\"xgboost-small.json\",\"sha256\":\"" + sha + "\"}");
    assertThat(provenance.get("trainer").asText()).isEqualTo("imported from XGBoost binary:logistic by chainscore"
        + " import xgboost (" + ChainScoreCli.versionText() + "); file xgboost-small.json sha256 " + sha
        + "; options: --max-missing-share 1.0");
    ModelBundle bundle = ModelBundle.read(dir.resolve("a.json"));
    // the model document shows the file as the model file, not as training data
    StringBuilder data = new StringBuilder("amount,sector,days,bad\n");
    SplittableRandom random = new SplittableRandom(4);
    int sectors = bundle.schema().feature(1).categories().size();
    for (int i = 0; i < 200; i++) {
      data.append(random.nextDouble() * 4 - 2).append(',').append(random.nextInt(sectors)).append(',')
          .append(random.nextDouble() * 4 - 2).append(',').append(random.nextInt(3) == 0 ? 1 : 0).append('\n');
    }
    Path sample = Files.writeString(dir.resolve("sample.csv"), data);
    Path html = dir.resolve("doc.html");
    StringWriter docErr = new StringWriter();
    assertThat(run(docErr, "document", "--model", dir.resolve("a.json").toString(), "--data", sample.toString(),
        "--target", "bad", "--out", html.toString())).as(docErr.toString()).isZero();
    assertThat(Files.readString(html).split("<h2>8. Provenance</h2>")[1])
        .contains("<tr><th>imported from model file</th><td class=\"text\">xgboost-small.json</td></tr>"
            + "<tr><th>model file SHA-256</th><td class=\"text\">" + sha + "</td></tr>"
            + "<tr><th>training data SHA-256</th><td class=\"text\">not known (imported model)</td></tr>");
  }

  /**
   * A feature table whose header spells a feature as the model did (Amount, the model's own name,
   * for the column amount): read as that column, the same scores as the snake_case header gives;
   * two spellings of it and none exact are refused naming both.
   */
  @Test
  void score_headerWithTheModelsOwnSpelling_isReadAsTheSnakeCaseColumn() throws Exception {
    Path model = Files.writeString(dir.resolve("m.json"), Files.readString(resource("xgboost-small.json"))
        .replace("\"amount\"", "\"Amount\""));
    StringWriter err = new StringWriter();
    assertThat(run(err, "import", "xgboost", "--source", model.toString(), "--out", dir.resolve("m.bundle.json").toString()))
        .as(err.toString()).isZero();
    String body = "s1,2025-06-30,1,0,2\ns2,2025-06-30,-0.5,1,0.25\ns3,2025-06-30,,0,1\n";
    Path spelled = Files.writeString(dir.resolve("spelled.csv"), "Supplier ID,AS_OF_DATE,Amount,sector,Days\n" + body);
    Path snake = Files.writeString(dir.resolve("snake.csv"), "supplier_id,as_of_date,amount,sector,days\n" + body);
    for (Path rows : List.of(spelled, snake)) {
      StringWriter e = new StringWriter();
      assertThat(run(e, "score", "--model", dir.resolve("m.bundle.json").toString(), "--features", rows.toString(),
          "--out", dir.resolve(rows.getFileName() + ".scores.csv").toString(), "--as-of", "2025-06-30", "--quiet"))
          .as(e.toString()).isZero();
    }
    String scores = Files.readString(dir.resolve("snake.csv.scores.csv"));
    assertThat(scores.lines()).hasSize(4);
    assertThat(Files.readString(dir.resolve("spelled.csv.scores.csv"))).isEqualTo(scores);

    Path twice = Files.writeString(dir.resolve("twice.csv"), "supplier_id,as_of_date,Amount,AMOUNT,sector,days\n"
        + "s1,2025-06-30,1,2,0,2\n");
    StringWriter err2 = new StringWriter();
    assertThat(run(err2, "score", "--model", dir.resolve("m.bundle.json").toString(), "--features", twice.toString(),
        "--out", dir.resolve("s.csv").toString(), "--as-of", "2025-06-30")).isEqualTo(2);
    assertThat(err2.toString().strip()).isEqualTo("chainscore score: " + twice + ", column amount: both Amount and"
        + " AMOUNT are amount in snake_case, and none is spelled exactly so; rename or drop one of them");
    assertThat(dir.resolve("s.csv")).doesNotExist();
  }
}

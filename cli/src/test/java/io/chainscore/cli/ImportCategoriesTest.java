package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import io.chainscore.testing.lightgbm.LightGbmNative;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import --categories FEATURE=N}: the number of categories a categorical feature had in
 * training, which neither XGBoost's JSON nor LightGBM's text file records. Without it the default
 * schema ends at the largest category a split names, so a valid rarer category above it is
 * quarantined; with it that row is scored as xgboost4j 3.4.0 itself scores it.
 */
class ImportCategoriesTest {
  /** Sector codes 0..11; code 11 is rare (a handful of rows), so no split names it. */
  private static final int SECTORS = 12;
  private static final int RARE = SECTORS - 1;

  @TempDir static Path dir;
  private static Booster booster;
  private static Path model;

  @BeforeAll
  static void train() throws Exception {
    int n = 3000;
    Random random = new Random(5);
    float[] x = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) random.nextGaussian();
      x[2 * i + 1] = i % 600 == 0 ? RARE : random.nextInt(RARE);
      double signal = x[2 * i] + (x[2 * i + 1] % 3 == 0 ? 0.9 : -0.4) + 0.5 * random.nextGaussian();
      y[i] = signal > 0.2 ? 1 : 0;
    }
    DMatrix train = matrix(x, n);
    train.setLabel(y);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("max_depth", 3);
    params.put("eta", 0.3);
    params.put("nthread", 1);
    params.put("tree_method", "hist");
    // one-hot splits, each naming one sector: a child of the rare sector alone (5 rows, hessian at
    // most 1.25) is below min_child_weight, so no split names it
    params.put("max_cat_to_onehot", 64);
    params.put("min_child_weight", 5);
    params.put("seed", 7);
    booster = XGBoost.train(train, params, 20, new HashMap<>(), null, null);
    train.dispose();
    model = dir.resolve("sectors.json");
    booster.saveModel(model.toString());
  }

  private static DMatrix matrix(float[] x, int rows) throws Exception {
    DMatrix m = new DMatrix(x, rows, 2, Float.NaN);
    m.setFeatureNames(new String[] {"amount", "Sector"});
    m.setFeatureTypes(new String[] {"q", "c"});
    return m;
  }

  @AfterAll
  static void dispose() {
    booster.dispose();
  }

  private static int run(StringWriter err, String... args) {
    return ChainScoreCli.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
  }

  /** The largest sector code any split of the model names. */
  private static int largestNamedSector(TreeEnsemble ensemble) {
    int largest = -1;
    for (DecisionTree tree : ensemble.trees()) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (!tree.isLeaf(i) && tree.isCategorical(i) && tree.categories(i).length > 0) {
          largest = Math.max(largest, tree.categories(i)[tree.categories(i).length - 1]);
        }
      }
    }
    return largest;
  }

  /** Rows 0..2 have the rare sector, the others every sector the splits name, amounts at random. */
  private static float[] probeRows(int rows, int largestNamed) {
    Random random = new Random(9);
    float[] x = new float[rows * 2];
    for (int i = 0; i < rows; i++) {
      x[2 * i] = (float) (Math.round(random.nextGaussian() * 1000) / 1000.0);
      x[2 * i + 1] = i < 3 ? RARE : i % (largestNamed + 1);
    }
    return x;
  }

  private static Path csv(float[] x, int rows) throws Exception {
    StringBuilder b = new StringBuilder("supplier_id,as_of_date,amount,sector\n");
    for (int i = 0; i < rows; i++) {
      b.append("s").append(i).append(",2025-06-30,").append(x[2 * i]).append(',').append((int) x[2 * i + 1])
          .append('\n');
    }
    return Files.writeString(dir.resolve("rows-" + rows + ".csv"), b);
  }

  /** The score table's rows as column name to value, in input order. */
  private static List<Map<String, String>> table(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    String[] header = lines.get(0).split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      Map<String, String> row = new HashMap<>();
      for (int c = 0; c < header.length; c++) {
        row.put(header[c], cells[c]);
      }
      rows.add(row);
    }
    return rows;
  }

  @Test
  void import_categoriesOption_scoresARareCategoryAsXgboostDoes() throws Exception {
    TreeEnsemble ensemble = XGBoostModelReader.read(model);
    int largest = largestNamedSector(ensemble);
    // the premise: the rare sector is valid but above every category a split names
    assertThat(largest).isBetween(0, RARE - 1);
    int rows = 40;
    float[] x = probeRows(rows, largest);
    Path features = csv(x, rows);

    // without the option: the default schema ends at the largest named sector; the rare rows are quarantined
    StringWriter err = new StringWriter();
    Path plain = dir.resolve("plain.bundle.json");
    assertThat(run(err, "import", "xgboost", "--source", model.toString(), "--out", plain.toString()))
        .as(err.toString()).isZero();
    assertThat(ModelBundle.read(plain).schema().feature(1).categories()).hasSize(largest + 1);
    Path plainScores = dir.resolve("plain.csv");
    run(err, "score", "--model", plain.toString(), "--features", features.toString(), "--out",
        plainScores.toString(), "--as-of", "2025-06-30", "--quiet");
    assertThat(table(plainScores)).hasSize(rows - 3);
    List<String> quarantined = Files.readAllLines(dir.resolve("plain.quarantine.csv"));
    assertThat(quarantined.subList(1, quarantined.size())).hasSize(3)
        .allSatisfy(line -> assertThat(line).contains(",sector,\"unknown category '" + RARE + "'"));

    // with it: every row is scored, with xgboost4j's margin and the double logistic of it
    Path counted = dir.resolve("counted.bundle.json");
    StringWriter err2 = new StringWriter();
    assertThat(run(err2, "import", "xgboost", "--source", model.toString(), "--out", counted.toString(),
        "--categories", "Sector=" + SECTORS)).as(err2.toString()).isZero();
    assertThat(ModelBundle.read(counted).schema().feature(1).categories()).hasSize(SECTORS);
    Path scores = dir.resolve("counted.csv");
    StringWriter err3 = new StringWriter();
    assertThat(run(err3, "score", "--model", counted.toString(), "--features", features.toString(), "--out",
        scores.toString(), "--as-of", "2025-06-30", "--quiet")).as(err3.toString()).isZero();
    DMatrix probe = matrix(x, rows);
    float[][] margins = booster.predict(probe, true);
    float[][] probabilities = booster.predict(probe, false);
    probe.dispose();
    List<Map<String, String>> scored = table(scores);
    assertThat(scored).hasSize(rows);
    for (int i = 0; i < rows; i++) {
      assertThat(scored.get(i).get("supplier_id")).isEqualTo("s" + i);
      double pd = Double.parseDouble(scored.get(i).get("pd"));
      // the bundle's PD is the double logistic of XGBoost's own float32 margin (ImportedModelsTest)
      assertThat(pd).as("row %d", i).isEqualTo(1 / (1 + Math.exp(-(double) margins[i][0])));
      assertThat(Math.abs(pd - probabilities[i][0])).isLessThanOrEqualTo(2.0 * Math.ulp(probabilities[i][0]));
    }
  }

  /**
   * Each refusal of the option: exit 2, no bundle, and one line naming the option value and what is
   * wrong (then picocli's usage hint, as for every option refusal); the model file is not blamed.
   */
  @Test
  void import_categoriesRefusals_exitTwoNamingTheOptionValue() throws Exception {
    int largest = largestNamedSector(XGBoostModelReader.read(model));
    Path lightgbm = Files.write(dir.resolve("lightgbm-small.txt"),
        ImportCategoriesTest.class.getResourceAsStream("/models/lightgbm-small.txt").readAllBytes());
    Path bundle = dir.resolve("bundle-for-schema.json");
    assertThat(run(new StringWriter(), "import", "xgboost", "--source", model.toString(), "--out", bundle.toString()))
        .isZero();
    String[][] cases = {
        {"--categories", "region=4", "--categories region=4: the model has no feature region (its features: amount,"
            + " Sector)"},
        {"--categories", "amount=4", "--categories amount=4: the model does not treat feature amount as categorical"},
        {"--categories", "Sector=" + largest, "--categories Sector=" + largest + ": the model's splits name category "
            + largest + ": at least " + (largest + 1)},
        {"--categories", "Sector=0", "--categories Sector=0: expected FEATURE=N, N a positive number of categories"},
        {"--categories", "Sector=-3", "--categories Sector=-3: expected FEATURE=N, N a positive number of categories"},
        {"--categories", "Sector=2.5", "--categories Sector=2.5: expected FEATURE=N, N a positive number of"
            + " categories"},
        {"--categories", "Sector", "--categories Sector: expected FEATURE=N, N a positive number of categories"},
        {"--categories", "Sector=100001", "--categories Sector=100001: expected a number of categories from 1 to"
            + " 100000"},
        {"--categories", "Sector=99999999999", "--categories Sector=99999999999: expected a number of categories"
            + " from 1 to 100000"},
        {"--categories", "Sector=12", "--categories", "Sector=13", "--categories Sector=13: Sector is given twice"
            + " (also as Sector=12)"},
        {"--categories", "Sector=12", "--categories", "sector=13", "--categories sector=13: feature Sector is given"
            + " twice (also as Sector=12)"},
        {"--categories", "Sector=12", "--schema", bundle.toString(), "--categories Sector=12: does not apply with"
            + " --schema, whose categories are the schema's"},
    };
    for (String[] c : cases) {
      List<String> args = new ArrayList<>(List.of("import", "xgboost", "--source", model.toString(), "--out",
          dir.resolve("refused.json").toString()));
      args.addAll(List.of(c).subList(0, c.length - 1));
      StringWriter err = new StringWriter();
      assertThat(run(err, args.toArray(String[]::new))).as(err.toString()).isEqualTo(2);
      assertThat(err.toString().lines().toList()).as(String.join(" ", c))
          .containsExactly("chainscore: " + c[c.length - 1], "Run 'chainscore import --help' for usage.");
      assertThat(dir.resolve("refused.json")).doesNotExist();
    }
    // LightGBM: a feature without categorical splits is not categorical to the model
    StringWriter err = new StringWriter();
    assertThat(run(err, "import", "lightgbm", "--source", lightgbm.toString(), "--out",
        dir.resolve("refused.json").toString(), "--categories", "days=3")).isEqualTo(2);
    assertThat(err.toString().lines().findFirst().orElseThrow())
        .isEqualTo("chainscore: --categories days=3: the model does not treat feature days as categorical");
    // a model refusal is still the file's, with the option given (the line as without it)
    Path keyColumn = Files.writeString(dir.resolve("key.txt"), Files.readString(lightgbm)
        .replace("feature_names=amount sector days", "feature_names=amount sector as_of_date"));
    int sectors = largestNamedSector(io.chainscore.scoring.tree.lightgbm.LightGbmModelReader.read(keyColumn)) + 1;
    StringWriter key = new StringWriter();
    assertThat(run(key, "import", "lightgbm", "--source", keyColumn.toString(), "--out",
        dir.resolve("refused.json").toString(), "--categories", "sector=" + sectors)).isEqualTo(2);
    assertThat(key.toString().lines().toList()).containsExactly("chainscore import: model file: " + keyColumn
        + ": feature_names[2]: model feature 'as_of_date': feature name as_of_date is a key column of the feature"
        + " table (supplier_id, as_of_date), so no feature table can hold it as a feature; rename the feature");
    // pmml: its DataDictionary enumerates the categories
    StringWriter pmml = new StringWriter();
    assertThat(run(pmml, "import", "pmml", "--source", model.toString(), "--out",
        dir.resolve("refused.json").toString(), "--categories", "Sector=12")).isEqualTo(2);
    assertThat(pmml.toString().lines().findFirst().orElseThrow()).isEqualTo("chainscore: --categories Sector=12:"
        + " does not apply to pmml: the PMML's DataDictionary enumerates the categories");
  }

  /** The option is part of the import's record: different counts, different provenance; same options, same bytes. */
  @Test
  void import_categoriesOption_recordedInTheProvenance_reproducibly() throws Exception {
    Path a = dir.resolve("p12.json");
    Path b = dir.resolve("p12-again.json");
    Path c = dir.resolve("p20.json");
    StringWriter err = new StringWriter();
    assertThat(run(err, "import", "xgboost", "--source", model.toString(), "--out", a.toString(),
        "--categories", "Sector=12")).as(err.toString()).isZero();
    assertThat(run(err, "import", "xgboost", "--source", model.toString(), "--out", b.toString(),
        "--categories", "Sector=12")).as(err.toString()).isZero();
    assertThat(run(err, "import", "xgboost", "--source", model.toString(), "--out", c.toString(),
        "--categories", "Sector=20", "--max-missing-share", "1")).as(err.toString()).isZero();
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    String sha = io.chainscore.batch.engine.RunManifest.sha256(model);
    String prefix = "imported from XGBoost binary:logistic by chainscore import xgboost ("
        + ChainScoreCli.versionText() + "); file sectors.json sha256 " + sha + "; options: ";
    assertThat(ModelBundle.read(a).provenance().trainer()).isEqualTo(prefix + "--categories Sector=12");
    assertThat(ModelBundle.read(c).provenance().trainer())
        .isEqualTo(prefix + "--max-missing-share 1.0 --categories Sector=20");
  }

  /**
   * A {@code --schema} bundle is recorded by its name and contents (SHA-256), not by the path it lay
   * at, as the imported file is: the same files in two folders give the same bundle, byte for byte
   * (until 2026-12-07 the record held the path as given, so they did not).
   */
  @Test
  void import_schemaOption_recordedByNameAndContents_notByPath() throws Exception {
    Path schemaBundle = dir.resolve("one/schema.json");
    Files.createDirectories(schemaBundle.getParent());
    assertThat(run(new StringWriter(), "import", "xgboost", "--source", model.toString(), "--out",
        schemaBundle.toString())).isZero();
    Path copy = Files.createDirectories(dir.resolve("two")).resolve("schema.json");
    Files.copy(schemaBundle, copy);
    StringWriter err = new StringWriter();
    assertThat(run(err, "import", "xgboost", "--source", model.toString(), "--out", dir.resolve("a.json").toString(),
        "--schema", schemaBundle.toString())).as(err.toString()).isZero();
    assertThat(run(err, "import", "xgboost", "--source", model.toString(), "--out", dir.resolve("b.json").toString(),
        "--schema", copy.toString())).as(err.toString()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("a.json"))).isEqualTo(Files.readAllBytes(dir.resolve("b.json")));
    assertThat(ModelBundle.read(dir.resolve("a.json")).provenance().trainer()).endsWith("; options: --schema schema.json"
        + " sha256 " + io.chainscore.batch.engine.RunManifest.sha256(copy));
  }

  /**
   * The same through {@code import lightgbm}, against LightGBM 3.3.5 (lightgbmlib): a sector with
   * fewer rows than min_data_per_group is never in a split's set, so without the option its rows
   * are quarantined, and with it (here by the column name the feature becomes) each row's PD is
   * the logistic of LightGBM's own raw score, within a few ulps of its probability.
   */
  @Test
  void importLightgbm_categoriesOption_scoresARareCategoryAsLightgbmDoes() throws Exception {
    int n = 3000;
    Random random = new Random(6);
    double[] x = new double[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = random.nextGaussian();
      x[2 * i + 1] = i % 600 == 0 ? RARE : random.nextInt(RARE);
      double signal = x[2 * i] + (x[2 * i + 1] % 3 == 0 ? 0.9 : -0.4) + 0.5 * random.nextGaussian();
      y[i] = signal > 0.2 ? 1 : 0;
    }
    String params = "objective=binary num_leaves=7 learning_rate=0.3 min_data_in_leaf=20 num_threads=1 verbose=-1"
        + " deterministic=true seed=1 categorical_feature=1 max_cat_to_onehot=4 min_data_per_group=20 cat_smooth=1";
    try (LightGbmNative lgbm = LightGbmNative.train(x, y, n, 2,
        params, 20)) {
      Path lgbModel = Files.writeString(dir.resolve("sectors.txt"), lgbm.modelText());
      TreeEnsemble ensemble = io.chainscore.scoring.tree.lightgbm.LightGbmModelReader.read(lgbModel);
      assertThat(ensemble.featureNames()).containsExactly("Column_0", "Column_1");
      int largest = largestNamedSector(ensemble);
      assertThat(largest).isBetween(0, RARE - 1);
      int rows = 40;
      Random probes = new Random(10);
      double[] probe = new double[rows * 2];
      StringBuilder b = new StringBuilder("supplier_id,as_of_date,column_0,column_1\n");
      for (int i = 0; i < rows; i++) {
        probe[2 * i] = Math.round(probes.nextGaussian() * 1000) / 1000.0;
        probe[2 * i + 1] = i < 3 ? RARE : i % (largest + 1);
        b.append("s").append(i).append(",2025-06-30,").append(probe[2 * i]).append(',')
            .append((int) probe[2 * i + 1]).append('\n');
      }
      Path features = Files.writeString(dir.resolve("lgb-rows.csv"), b);

      StringWriter err = new StringWriter();
      Path plain = dir.resolve("lgb-plain.bundle.json");
      assertThat(run(err, "import", "lightgbm", "--source", lgbModel.toString(), "--out", plain.toString()))
          .as(err.toString()).isZero();
      run(err, "score", "--model", plain.toString(), "--features", features.toString(), "--out",
          dir.resolve("lgb-plain.csv").toString(), "--as-of", "2025-06-30", "--quiet");
      assertThat(table(dir.resolve("lgb-plain.csv"))).hasSize(rows - 3);
      List<String> quarantined = Files.readAllLines(dir.resolve("lgb-plain.quarantine.csv"));
      assertThat(quarantined.subList(1, quarantined.size())).hasSize(3)
          .allSatisfy(line -> assertThat(line).contains(",column_1,\"unknown category '" + RARE + "'"));

      Path counted = dir.resolve("lgb-counted.bundle.json");
      StringWriter err2 = new StringWriter();
      assertThat(run(err2, "import", "lightgbm", "--source", lgbModel.toString(), "--out", counted.toString(),
          "--categories", "column_1=" + SECTORS)).as(err2.toString()).isZero();
      StringWriter err3 = new StringWriter();
      assertThat(run(err3, "score", "--model", counted.toString(), "--features", features.toString(), "--out",
          dir.resolve("lgb-counted.csv").toString(), "--as-of", "2025-06-30", "--quiet")).as(err3.toString()).isZero();
      double[] raw = lgbm.predict(probe, rows, com.microsoft.ml.lightgbm.lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
      double[] normal = lgbm.predict(probe, rows, com.microsoft.ml.lightgbm.lightgbmlibConstants.C_API_PREDICT_NORMAL);
      List<Map<String, String>> scored = table(dir.resolve("lgb-counted.csv"));
      assertThat(scored).hasSize(rows);
      for (int i = 0; i < rows; i++) {
        assertThat(scored.get(i).get("supplier_id")).isEqualTo("s" + i);
        double pd = Double.parseDouble(scored.get(i).get("pd"));
        assertThat(pd).as("row %d", i).isEqualTo(1 / (1 + Math.exp(-raw[i])));
        // exp differs between glibc and Java by an ulp (LightGbmParityTest)
        assertThat(pd).isCloseTo(normal[i], org.assertj.core.api.Assertions.within(4 * Math.ulp(normal[i])));
      }
    }
  }
}

package io.chainscore.pmml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.pmml.testing.JpmmlHarness;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.dmg.pmml.PMML;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import java.util.List;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.lightgbm.GBDT;
import org.jpmml.lightgbm.LightGBMUtil;
import org.jpmml.model.JAXBSerializer;
import org.jpmml.model.metro.MetroJAXBUtil;
import org.jpmml.xgboost.FeatureMap;
import org.jpmml.xgboost.Learner;
import org.jpmml.xgboost.XGBoostUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PMML written by other tools, not hand-written in their form: xgboost4j trains a binary model on
 * random data with missing values and JPMML-XGBoost 1.9.6 (the converter sklearn2pmml and r2pmml
 * use for XGBoost) writes it as PMML 4.4 at test time; JPMML-LightGBM 1.6.5 converts the LightGBM
 * model file of the runtime's own fixtures (written by LightGBM, with a categorical feature).
 * ChainScore imports those documents.
 *
 * <p>Three independent references: the imported bundle scores every row exactly as the same
 * XGBoost model imported from its own JSON (the runtime's float32 arithmetic, bit-exact with
 * XGBoost); xgboost4j's own predictions; and JPMML-Evaluator evaluating the converter's document.
 */
class ConverterPmmlTest {
  private static final String[] NAMES = {"late_payment_share", "tenure_months", "dilution_rate", "order_growth",
      "unused_signal"};
  private static final int FEATURES = NAMES.length;
  private static final int ROWS = 3000;

  private static Booster booster;
  private static Path json;
  private static String pmml;

  @BeforeAll
  static void trainAndConvert() throws Exception {
    Random random = new Random(11);
    float[] x = randomRows(random, ROWS);
    float[] y = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      double late = Float.isNaN(x[i * FEATURES]) ? 1.2 : x[i * FEATURES];
      double tenure = Float.isNaN(x[i * FEATURES + 1]) ? -0.5 : x[i * FEATURES + 1];
      double signal = late - 0.6 * tenure + 0.4 * nanToZero(x[i * FEATURES + 2]) * nanToZero(x[i * FEATURES + 3])
          + 0.5 * random.nextGaussian();
      y[i] = signal > 0.8 ? 1 : 0;
    }
    DMatrix train = new DMatrix(x, ROWS, FEATURES, Float.NaN);
    train.setLabel(y);
    train.setFeatureNames(NAMES);
    train.setFeatureTypes(new String[] {"q", "q", "q", "q", "q"});
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("max_depth", 4);
    params.put("eta", 0.2);
    params.put("nthread", 1);
    params.put("tree_method", "hist");
    params.put("base_score", 0.2);
    params.put("seed", 3);
    booster = XGBoost.train(train, params, 40, new HashMap<>(), null, null);
    train.dispose();
    Path dir = Path.of("target", "converter-pmml");
    Files.createDirectories(dir);
    json = dir.resolve("xgboost.json");
    booster.saveModel(json.toString());

    Learner learner;
    try (InputStream in = Files.newInputStream(json)) {
      learner = XGBoostUtil.loadLearner(in, ByteOrder.LITTLE_ENDIAN, null, "$");
    }
    FeatureMap featureMap = learner.encodeFeatureMap();
    PMML document = learner.encodePMML(new HashMap<>(), null, null, featureMap);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JAXBSerializer(MetroJAXBUtil.getContext()).serializePretty(document, out);
    pmml = out.toString(StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("xgboost.pmml"), pmml);
  }

  @AfterAll
  static void dispose() {
    if (booster != null) {
      booster.dispose();
    }
  }

  private static float[] randomRows(Random random, int n) {
    float[] x = new float[n * FEATURES];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextInt(7) == 0 ? Float.NaN : (float) random.nextGaussian();
    }
    return x;
  }

  private static double nanToZero(float v) {
    return Float.isNaN(v) ? 0 : v;
  }

  private static ModelBundle importPmml(String text) throws Exception {
    return PmmlImport.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        new PmmlImport.Options("jpmml-xgboost.pmml", null, "2025-01-01T00:00:00Z", "0".repeat(64)));
  }

  @Test
  void theDocumentIsTheConvertersOwn() {
    // what makes this third-party PMML: JPMML-XGBoost's header and its model chain, not ChainScore's form
    assertThat(pmml).contains("<Application name=\"JPMML-XGBoost library\"")
        .contains("multipleModelMethod=\"modelChain\"").contains("normalizationMethod=\"logit\"")
        .contains("rescaleConstant=").contains("operator=\"greaterOrEqual\"").doesNotContain("chainscore");
  }

  @Test
  void importedFromConvertersPmml_scoresAsTheSameModelImportedFromXGBoostJson_andAsXGBoost() throws Exception {
    ModelBundle fromPmml = importPmml(pmml);
    TreeEnsemble direct = XGBoostModelReader.read(json);
    ModelBundle fromJson = TreeEnsembleJpmmlTest.wrap(direct, "direct");
    assertThat(fromPmml.toJson()).contains("probability of target category 1");

    Random random = new Random(5);
    int n = 4000;
    float[] x = randomRows(random, n);
    DMatrix m = new DMatrix(x, n, FEATURES, Float.NaN);
    float[][] xgbPd = booster.predict(m);
    m.dispose();
    // the converter keeps only the features the trees use; the PMML bundle's schema is that subset
    int[] column = new int[fromPmml.schema().size()];
    for (int j = 0; j < column.length; j++) {
      column[j] = java.util.Arrays.asList(NAMES).indexOf(fromPmml.schema().feature(j).name());
      assertThat(column[j]).as(fromPmml.schema().feature(j).name()).isNotNegative();
    }
    assertThat(column.length).isLessThanOrEqualTo(FEATURES);
    for (int i = 0; i < n; i++) {
      double[] full = new double[FEATURES];
      double[] used = new double[column.length];
      for (int j = 0; j < FEATURES; j++) {
        full[j] = x[i * FEATURES + j];
      }
      for (int j = 0; j < column.length; j++) {
        used[j] = full[column[j]];
      }
      ScoreResult a = fromPmml.scorer().score(used);
      ScoreResult b = fromJson.scorer().score(full);
      assertThat(a.points()).as("row %d", i).isEqualTo(b.points());
      assertThat(a.pd()).as("row %d", i).isEqualTo(b.pd());
      // XGBoost's own probability is a float32 sigmoid of the same float32 margin
      assertThat(a.pd()).as("row %d", i).isCloseTo(xgbPd[i][0], within(2e-7));
    }
  }

  @Test
  void jpmmlEvaluatorOnTheConvertersDocumentAgrees() throws Exception {
    ModelBundle fromPmml = importPmml(pmml);
    Evaluator jpmml = JpmmlHarness.load(pmml);
    Random random = new Random(9);
    int compared = 0;
    for (int i = 0; i < 3000; i++) {
      double[] row = new double[fromPmml.schema().size()];
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextInt(6) == 0 ? Double.NaN : (double) (float) random.nextGaussian();
      }
      Map<String, Object> out = JpmmlHarness.evaluate(jpmml, fromPmml.schema(), row);
      assertThat(out).as("JPMML refused row %d", i).isNotNull();
      double theirs = ((Number) out.get("probability(1)")).doubleValue();
      double ours = fromPmml.scorer().score(row).pd();
      // the document asks for float arithmetic (x-mathContext="float"): JPMML sums the trees in float,
      // then adds the base margin and applies the logit in float; ours adds the base margin first, as
      // XGBoost does. The two float32 results differ by a few float ulps of the margin at most.
      assertThat(theirs).as("row %d", i).isCloseTo(ours, within(1e-6));
      compared++;
    }
    assertThat(compared).isEqualTo(3000);
  }

  @Test
  void aChainWithAnInterceptAfterTheTreesIsRefusedByName() {
    String altered = pmml.replaceFirst("<RegressionTable intercept=\"0.0\" targetCategory=\"1\">",
        "<RegressionTable intercept=\"0.5\" targetCategory=\"1\">");
    assertThat(altered).isNotEqualTo(pmml);
    assertThatThrownBy(() -> importPmml(altered)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("RegressionTable@intercept");
  }

  @Test
  void aSecondChildThatIsNotTheComplementIsRefused() {
    // turn the first greaterOrEqual (a second child) into greaterThan: no longer the complement
    String altered = pmml.replaceFirst("operator=\"greaterOrEqual\"", "operator=\"greaterThan\"");
    assertThat(altered).isNotEqualTo(pmml);
    assertThatThrownBy(() -> importPmml(altered)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("complement");
  }

  @Test
  void lightGbmModelThroughJpmmlLightGbm_scoresAsTheDirectImportAndAsJpmml() throws Exception {
    String lightPmml = convertAndCompare(TreeEnsembleJpmmlTest.fixture("lightgbm-small.txt"), true);
    assertThat(lightPmml).contains("<Application name=\"JPMML-LightGBM library\"")
        .contains("multipleModelMethod=\"modelChain\"").contains("invalidValueTreatment=\"asIs\"");
  }

  /**
   * A LightGBM model (categorical Column_0 with codes 1-4, Column_2 with 0-4) whose splits put one
   * category on a side: JPMML-LightGBM writes that side {@code SimplePredicate equal} beside the
   * other's {@code isIn} (the import refused it: "the second child's predicate must be True or the
   * complement").
   */
  @Test
  void lightGbmOneCategoryOnASide_equalBesideIsIn_readAsTheComplement() throws Exception {
    Path file = Path.of(ConverterPmmlTest.class.getResource("/third-party/lightgbm-one-category.txt").toURI());
    // JPMML only: on rows where a feature trained without missing values is missing, the
    // converter's document sends the value to the split's default child while LightGBM (and
    // ChainScore's direct import of the text, which equals LightGBM's own predictions there)
    // scores it as 0 (docs/pmml.md); the import of the document agrees with JPMML on every row
    String lightPmml = convertAndCompare(file, false);
    assertThat(lightPmml).contains("<SimplePredicate field=\"Column_0\" operator=\"equal\" value=\"4\"/>")
        .contains("<SimplePredicate field=\"Column_0\" operator=\"equal\" value=\"1\"/>");
    // not the complement given the declared values (1-4): refused
    String altered = lightPmml.replaceFirst("operator=\"equal\" value=\"4\"", "operator=\"equal\" value=\"3\"");
    assertThatThrownBy(() -> importPmml(altered)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("Node/SimpleSetPredicate").hasMessageContaining("complement");
  }

  /**
   * Converts a LightGBM text model with JPMML-LightGBM, imports the document and checks on 3,000
   * random rows that it scores as JPMML evaluates the document and (with {@code compareDirect})
   * exactly as the model imported directly; returns the document.
   */
  private static String convertAndCompare(Path file, boolean compareDirect) throws Exception {
    GBDT gbdt;
    try (InputStream in = Files.newInputStream(file)) {
      gbdt = LightGBMUtil.loadGBDT(in);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JAXBSerializer(MetroJAXBUtil.getContext()).serializePretty(gbdt.encodePMML(new HashMap<>(), null, null), out);
    String lightPmml = out.toString(StandardCharsets.UTF_8);
    ModelBundle fromPmml = importPmml(lightPmml);
    ModelBundle direct = TreeEnsembleJpmmlTest.wrap(LightGbmModelReader.read(file), "direct");
    FeatureSchema ps = fromPmml.schema();
    FeatureSchema ds = direct.schema();
    Evaluator jpmml = JpmmlHarness.load(lightPmml);
    Random random = new Random(21);
    int scored = 0;
    int comparedWithDirect = 0;
    for (int i = 0; i < 3000; i++) {
      double[] row = new double[ps.size()];
      double[] directRow = new double[ds.size()];
      boolean beyondDirect = false;
      for (int j = 0; j < ps.size(); j++) {
        int k = ds.indexOf(ps.feature(j).name());
        assertThat(k).as(ps.feature(j).name()).isNotNegative();
        if (random.nextInt(6) == 0) {
          row[j] = Double.NaN;
          directRow[k] = Double.NaN;
        } else if (ps.feature(j).type() == FeatureType.CATEGORICAL) {
          List<String> codes = ps.feature(j).categories();
          row[j] = random.nextInt(codes.size());
          // the direct import lists the categories its splits name (0..3); the converter lists
          // LightGBM's category list (0..4): a row with category 4 is compared with JPMML only
          directRow[k] = ds.feature(k).categoryIndex(codes.get((int) row[j]));
          if (directRow[k] < 0) {
            beyondDirect = true;
          }
        } else {
          // wider than the training range the converter records: asIs keeps such values valid
          row[j] = random.nextInt(4) == 0 ? random.nextGaussian() * 500 : random.nextGaussian() * 3 + (j == 2 ? 45 : 0);
          directRow[k] = row[j];
        }
      }
      ScoreResult a = fromPmml.scorer().score(row);
      Map<String, Object> theirs = JpmmlHarness.evaluate(jpmml, ps, row);
      assertThat(theirs).as("JPMML refused row %d", i).isNotNull();
      assertThat(((Number) theirs.get("probability(1)")).doubleValue()).as("row %d", i)
          .isCloseTo(a.pd(), within(JpmmlHarness.TOLERANCE));
      if (compareDirect && !beyondDirect) {
        ScoreResult b = direct.scorer().score(directRow);
        assertThat(a.points()).as("row %d", i).isEqualTo(b.points());
        assertThat(a.pd()).as("row %d", i).isEqualTo(b.pd());
        comparedWithDirect++;
      }
      scored++;
    }
    assertThat(scored).isEqualTo(3000);
    assertThat(comparedWithDirect).isGreaterThan(compareDirect ? 2000 : -1);
    return lightPmml;
  }

  /** JPMML-Model's own test documents (its tests jar from Maven Central), read as ChainScore reads any file. */
  @Test
  void jpmmlModelsOwnTestDocuments_attacksRefusedQuickly_otherDocumentsImportedOrRefusedByName() throws Exception {
    java.net.URL jar = PMML.class.getProtectionDomain().getCodeSource().getLocation();
    Path tests = Path.of(jar.toURI()).getParent().resolve(
        Path.of(jar.toURI()).getFileName().toString().replace(".jar", "-tests.jar"));
    assertThat(tests).exists();
    int attacks = 0;
    int documents = 0;
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(tests.toFile())) {
      for (java.util.zip.ZipEntry entry : java.util.Collections.list(zip.entries())) {
        if (!entry.getName().startsWith("pmml/") || !entry.getName().endsWith(".pmml")) {
          continue;
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        documents++;
        long start = System.nanoTime();
        try {
          PmmlImport.read(new ByteArrayInputStream(bytes), new PmmlImport.Options(entry.getName(), null,
              "2025-01-01T00:00:00Z", "0".repeat(64)));
        } catch (ModelFormatException refused) {
          // every refusal names the document
          assertThat(refused.getMessage()).as(entry.getName()).contains(entry.getName());
          if (entry.getName().contains("AttackTest")) {
            assertThat(refused.getMessage()).contains("DOCTYPE");
            attacks++;
          }
        }
        assertThat(System.nanoTime() - start).as(entry.getName()).isLessThan(2_000_000_000L);
      }
    }
    assertThat(attacks).isEqualTo(2);
    assertThat(documents).isGreaterThan(20);
  }
}

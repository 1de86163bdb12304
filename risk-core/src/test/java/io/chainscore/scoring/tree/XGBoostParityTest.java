package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReaderAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Margins of imported XGBoost models against xgboost4j 3.4 itself: bit-identical on 10,000 random
 * rows plus rows at, just above and just below every split threshold; probabilities within 1 ulp.
 */
class XGBoostParityTest {
  private static XGBoostTraining logistic;

  @BeforeAll
  static void train() throws Exception {
    logistic = XGBoostTraining.train("logistic", Map.of("base_score", 0.37), 30, 1);
  }

  @AfterAll
  static void dispose() {
    logistic.dispose();
  }

  /** 10,000 random rows with NaN, +-0, invalid categories, plus threshold-adjacent rows. */
  static float[] rows(TreeEnsemble model, long seed) {
    Random random = new Random(seed);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      float[] row = new float[XGBoostTraining.FEATURES];
      for (int f = 0; f < row.length; f++) {
        row[f] = randomValue(random, XGBoostTraining.CATEGORY_COUNT[f]);
      }
      rows.add(row);
    }
    for (DecisionTree tree : model.trees()) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (tree.isLeaf(i) || tree.isCategorical(i)) {
          continue;
        }
        float t = (float) tree.threshold(i);
        for (float v : new float[] {t, Math.nextUp(t), Math.nextDown(t)}) {
          float[] row = new float[XGBoostTraining.FEATURES];
          for (int f = 0; f < row.length; f++) {
            row[f] = randomValue(random, XGBoostTraining.CATEGORY_COUNT[f]);
          }
          row[tree.splitFeature(i)] = v;
          rows.add(row);
        }
      }
    }
    float[] flat = new float[rows.size() * XGBoostTraining.FEATURES];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, flat, r * XGBoostTraining.FEATURES, XGBoostTraining.FEATURES);
    }
    return flat;
  }

  private static float randomValue(Random random, int categories) {
    int pick = random.nextInt(20);
    if (pick == 0) {
      return Float.NaN;
    }
    if (pick == 1) {
      return random.nextBoolean() ? 0.0f : -0.0f;
    }
    if (categories > 0) {
      if (pick == 2) {
        // invalid categories: negative, fractional, beyond every set
        float[] odd = {-1f, -0.5f, 2.5f, categories + 3f, 1e9f};
        return odd[random.nextInt(odd.length)];
      }
      return random.nextInt(categories);
    }
    return (float) (random.nextGaussian() * 1.5);
  }

  static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  static void assertBitIdentical(XGBoostTraining trained, TreeEnsemble model, long seed) throws Exception {
    float[] x = rows(model, seed);
    int n = x.length / XGBoostTraining.FEATURES;
    DMatrix matrix = XGBoostTraining.matrix(x, n);
    float[][] expectedMargin = trained.booster.predict(matrix, true);
    float[][] expectedOutput = trained.booster.predict(matrix, false);
    matrix.dispose();
    CompiledModel compiled = model.compile();
    double[] rows = toDouble(x);
    double[] margins = new double[n];
    compiled.margins(rows, n, XGBoostTraining.FEATURES, margins);
    int mismatches = 0;
    String first = null;
    for (int r = 0; r < n; r++) {
      double single = compiled.margin(rows, r * XGBoostTraining.FEATURES);
      float expected = expectedMargin[r][0];
      if (Float.floatToIntBits((float) margins[r]) != Float.floatToIntBits(expected)
          || (float) margins[r] != margins[r] || single != margins[r]) {
        mismatches++;
        if (first == null) {
          first = "row " + r + ": xgboost " + expected + " chainscore " + margins[r] + " single " + single;
        }
      }
      if (model.outputsProbability()) {
        float p = (float) model.probability(margins[r]);
        assertThat(Math.abs(p - expectedOutput[r][0]))
            .as("probability of row %d, margin %s, ours %s theirs %s", r, margins[r], p, expectedOutput[r][0])
            .isLessThanOrEqualTo(Math.ulp(expectedOutput[r][0]));
      } else if (!model.source().contains("logitraw")) {
        assertThat(expectedOutput[r][0]).isEqualTo(expected);
      }
    }
    assertThat(mismatches).as("margins differing from xgboost4j (first: %s)", first).isZero();
    assertThat(n).isGreaterThan(10_000);
  }

  @Test
  void read_binaryLogistic_marginsBitIdenticalToXgboost4j() throws Exception {
    TreeEnsemble model = XGBoostModelReader.read(logistic.json);
    assertThat(model.link()).isEqualTo(TreeEnsemble.Link.LOGISTIC);
    assertThat(model.trees()).hasSize(30);
    boolean anyCategorical = false;
    for (DecisionTree tree : model.trees()) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        anyCategorical |= !tree.isLeaf(i) && tree.isCategorical(i);
      }
    }
    assertThat(anyCategorical).as("training produced categorical splits").isTrue();
    assertBitIdentical(logistic, model, 11);
  }

  @Test
  void read_binaryLogitraw_marginsBitIdenticalToXgboost4j() throws Exception {
    XGBoostTraining trained = XGBoostTraining.train("logitraw", Map.of("objective", "binary:logitraw"), 20, 2);
    try {
      TreeEnsemble model = XGBoostModelReader.read(trained.json);
      assertThat(model.link()).isEqualTo(TreeEnsemble.Link.IDENTITY);
      assertBitIdentical(trained, model, 12);
    } finally {
      trained.dispose();
    }
  }

  @Test
  void read_squaredError_marginsBitIdenticalToXgboost4j() throws Exception {
    XGBoostTraining trained = XGBoostTraining.train("squarederror",
        Map.of("objective", "reg:squarederror", "max_depth", 6), 25, 3);
    try {
      TreeEnsemble model = XGBoostModelReader.read(trained.json);
      assertThat(model.link()).isEqualTo(TreeEnsemble.Link.IDENTITY);
      assertBitIdentical(trained, model, 13);
    } finally {
      trained.dispose();
    }
  }

  @Test
  void read_dart_appliesTreeWeightsBitIdentically() throws Exception {
    XGBoostTraining trained = XGBoostTraining.train("dart",
        Map.of("booster", "dart", "rate_drop", 0.3, "skip_drop", 0.0, "max_depth", 4), 25, 4);
    try {
      TreeEnsemble model = XGBoostModelReader.read(trained.json);
      long weighted = model.trees().stream().filter(t -> t.weight() != 1.0).count();
      assertThat(weighted).as("DART produced non-unit tree weights").isPositive();
      assertBitIdentical(trained, model, 14);

      // Before 3.x DART models were saved as {"name":"dart","gbtree":{...},"weight_drop":[...]}.
      com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      com.fasterxml.jackson.databind.node.ObjectNode root =
          (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(trained.json.toFile());
      com.fasterxml.jackson.databind.node.ObjectNode learner = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("learner");
      com.fasterxml.jackson.databind.node.ObjectNode gbtree = (com.fasterxml.jackson.databind.node.ObjectNode) learner.get("gradient_booster");
      com.fasterxml.jackson.databind.node.ObjectNode modelNode = (com.fasterxml.jackson.databind.node.ObjectNode) gbtree.get("model");
      com.fasterxml.jackson.databind.JsonNode weights = modelNode.remove("weight_drop");
      com.fasterxml.jackson.databind.node.ObjectNode dart = mapper.createObjectNode();
      dart.put("name", "dart");
      dart.set("gbtree", gbtree);
      dart.set("weight_drop", weights);
      learner.set("gradient_booster", dart);
      TreeEnsemble legacy = XGBoostModelReader.read(mapper.writeValueAsBytes(root));
      float[] x = rows(model, 16);
      double[] data = toDouble(x);
      CompiledModel a = model.compile();
      CompiledModel b = legacy.compile();
      for (int r = 0; r < x.length / XGBoostTraining.FEATURES; r++) {
        assertThat(b.margin(data, r * XGBoostTraining.FEATURES)).isEqualTo(a.margin(data, r * XGBoostTraining.FEATURES));
      }
    } finally {
      trained.dispose();
    }
  }

  @Test
  void read_baseScoreEncodings_allGiveTheSameBitIdenticalMargins() throws Exception {
    String json = Files.readString(logistic.json, StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"base_score\":\"\\[([^\\]]+)\\]\"").matcher(json);
    assertThat(m.find()).as("3.4 writes base_score as an array in a string").isTrue();
    float value = Float.parseFloat(m.group(1));
    String plain = String.format(java.util.Locale.ROOT, "%.9g", value);
    String scientific = Float.toString(value).toUpperCase(java.util.Locale.ROOT);
    for (String encoding : new String[] {m.group(0), "\"base_score\":\"" + plain + "\"",
        "\"base_score\":\"" + scientific + "\""}) {
      String edited = json.replace(m.group(0), encoding);
      TreeEnsemble model = XGBoostModelReader.read(edited.getBytes(StandardCharsets.UTF_8));
      assertThat(model.baseMargin()).as(encoding).isEqualTo(XGBoostModelReaderAccess.probToMargin(value));
      assertBitIdentical(logistic, model, 15);
    }
  }
}

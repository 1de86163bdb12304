package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed and hostile model files are refused at load with the field at fault named. */
class HostileModelTest {
  static byte[] resource(String name) throws Exception {
    try (InputStream in = HostileModelTest.class.getResourceAsStream("/trees/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "xgb-truncated.json            | ''                                                      | not valid JSON",
      "xgb-wrong-type.json           | learner.gradient_booster.model.trees[0].split_conditions[1] | expected a number",
      "xgb-nan-threshold.json        | learner.gradient_booster.model.trees[0].split_conditions[0] | threshold is NaN",
      "xgb-child-out-of-range.json   | learner.gradient_booster.model.trees[0].left_children[1] | outside",
      "xgb-cycle.json                | learner.gradient_booster.model.trees[0].nodes[0]        | reached twice",
      "xgb-self-loop.json            | learner.gradient_booster.model.trees[0].right_children[1] | its own child",
      "xgb-absurd-tree-count.json    | learner.gradient_booster.model.gbtree_model_param.num_trees | outside",
      "xgb-multiclass.json           | learner.learner_model_param.num_class                   | multiclass",
      "xgb-unknown-feature-index.json| learner.gradient_booster.model.trees[0].split_indices[1] | outside",
      "xgb-gblinear.json             | learner.gradient_booster.name                           | not supported",
      "xgb-missing-trees.json        | learner.gradient_booster.model.trees                    | missing",
      "xgb-bad-base-score.json       | learner.learner_model_param.base_score                  | single value",
      "xgb-array-length.json         | learner.gradient_booster.model.trees[0].default_left    | expected 5 entries",
  })
  void xgboostRead_hostileFixture_refusedNamingTheField(String file, String field, String problem) throws Exception {
    byte[] bytes = resource("hostile/" + file);
    assertThatThrownBy(() -> XGBoostModelReader.read(bytes))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo(field));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "lgb-truncated.txt             | Tree=1                       | truncated",
      "lgb-linear-tree.txt           | Tree=0.is_linear             | linear trees",
      "lgb-multiclass.txt            | num_class                    | multiclass",
      "lgb-nan-threshold.txt         | Tree=0.threshold[0]          | finite",
      "lgb-child-out-of-range.txt    | Tree=0.left_child[0]         | outside",
      "lgb-cycle.txt                 | Tree=0.nodes[0]              | reached twice",
      "lgb-self-loop.txt             | Tree=0.left_child[1]         | its own child",
      "lgb-wrong-type.txt            | Tree=0.leaf_value[1]         | expected a number",
      "lgb-absurd-num-leaves.txt     | Tree=0.num_leaves            | outside",
      "lgb-unknown-feature-index.txt | Tree=0.split_feature[1]      | outside",
      "lgb-bad-bitset-index.txt      | Tree=1.threshold[0]          | cat_boundaries",
      "lgb-poisson.txt               | objective                    | not supported",
      "lgb-tree-count-mismatch.txt   | tree_sizes                   | declares 3 trees",
  })
  void lightgbmRead_hostileFixture_refusedNamingTheField(String file, String field, String problem) throws Exception {
    String text = new String(resource("hostile/" + file), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> LightGbmModelReader.read(text))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo(field));
  }

  @Test
  void lightgbmRead_treeSizesThatDisagreeWithTheBlocks_refused() throws Exception {
    // The valid fixture's sizes are the byte lengths of its two tree blocks, as LightGBM writes
    // them (LightGbmParityTest reads real LightGBM output through the same check).
    String valid = new String(resource("valid/lightgbm-small.txt"), StandardCharsets.UTF_8);
    assertThat(valid).contains("tree_sizes=307 294\n");
    assertThat(LightGbmModelReader.read(valid).trees()).hasSize(2);
    assertThatThrownBy(() -> LightGbmModelReader.read(valid.replace("tree_sizes=307 294", "tree_sizes=307 300")))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("tree_sizes: entry 2 is 300 but Tree=1 takes 294 bytes in the file; expected the two to agree,"
            + " as LightGBM writes them");
    // the same file with its line endings changed to CRLF (a git checkout with autocrlf): the sizes
    // are LightGBM's, the file's are not, and the message says why (it said only that they disagreed)
    assertThatThrownBy(() -> LightGbmModelReader.read(valid.replace("\n", "\r\n")))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("tree_sizes: entry 1 is 307 but Tree=0 takes 326 bytes in the file, which has CRLF (Windows) line"
            + " endings: LightGBM wrote it with LF and cuts its trees at these sizes; convert the line endings back to"
            + " LF (e.g. dos2unix)");
    assertThatThrownBy(() -> LightGbmModelReader.read(valid.replace("tree_sizes=307 294", "tree_sizes=0x133 294")))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("tree_sizes: entry 1 is '0x133'; expected a whole number of bytes");
    assertThatThrownBy(() -> LightGbmModelReader.read(valid.replace("tree_sizes=307 294", "tree_sizes=-307 294")))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("tree_sizes: entry 1 is '-307'; expected a whole number of bytes");
  }

  @Test
  void read_javaOnlyNumberForms_refusedAsTheirToolWouldNotWriteThem() throws Exception {
    // Double.parseDouble and Float.parseFloat take hex floats, padding and type suffixes.
    String lgb = new String(resource("valid/lightgbm-small.txt"), StandardCharsets.UTF_8);
    for (String bad : new String[] {"0x1p-1", "0.5d", "0.5f"}) {
      assertThatThrownBy(() -> LightGbmModelReader.read(lgb.replace("threshold=0.5 ", "threshold=" + bad + " ")))
          .isInstanceOf(ModelFormatException.class)
          .hasMessage("Tree=0.threshold[0]: expected a number, got '" + bad + "'");
    }
    assertThatThrownBy(() -> LightGbmModelReader.read(lgb.replace("binary sigmoid:1", "binary sigmoid:0x1p0")))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("objective: expected a number after 'sigmoid:', got 'sigmoid:0x1p0'");
    String xgb = new String(resource("valid/xgboost-small.json"), StandardCharsets.UTF_8);
    assertThat(XGBoostModelReader.read(xgb.getBytes(StandardCharsets.UTF_8)).trees()).hasSize(2);
    for (String bad : new String[] {"[0x1p-1]", "[ 5E-1 ]", " 5E-1", "5E-1f"}) {
      byte[] bytes = xgb.replace("\"base_score\":\"[5E-1]\"", "\"base_score\":\"" + bad + "\"")
          .getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> XGBoostModelReader.read(bytes)).as(bad)
          .isInstanceOf(ModelFormatException.class)
          .hasMessageStartingWith("learner.learner_model_param.base_score: expected a number, got '");
    }
    byte[] paddedCount = xgb.replace("\"num_trees\":\"2\"", "\"num_trees\":\" 2\"").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> XGBoostModelReader.read(paddedCount))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("learner.gradient_booster.model.gbtree_model_param.num_trees: expected an integer, got ' 2'");
  }

  @Test
  void xgboostRead_depthTenThousandChain_refusedAsTooDeep() throws Exception {
    int depth = 10_000;
    int n = 2 * depth + 1;
    StringBuilder left = new StringBuilder();
    StringBuilder right = new StringBuilder();
    StringBuilder zeros = new StringBuilder();
    StringBuilder ones = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String sep = i == 0 ? "" : ",";
      boolean internal = i % 2 == 0 && i < n - 1;
      left.append(sep).append(internal ? i + 2 : -1);
      right.append(sep).append(internal ? i + 1 : -1);
      zeros.append(sep).append(0);
      ones.append(sep).append("1.0");
    }
    String tree = "{\"tree_param\":{\"num_nodes\":\"" + n + "\",\"size_leaf_vector\":\"1\"},\"left_children\":[" + left
        + "],\"right_children\":[" + right + "],\"split_indices\":[" + zeros + "],\"split_conditions\":[" + ones
        + "],\"sum_hessian\":[" + ones + "],\"default_left\":[" + zeros + "]}";
    String json = "{\"learner\":{\"learner_model_param\":{\"base_score\":\"5E-1\",\"num_feature\":\"1\"},"
        + "\"objective\":{\"name\":\"binary:logistic\"},\"gradient_booster\":{\"name\":\"gbtree\",\"model\":"
        + "{\"gbtree_model_param\":{\"num_trees\":\"1\"},\"trees\":[" + tree + "]}}}}";
    assertThatThrownBy(() -> XGBoostModelReader.read(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("deeper than the limit")
        .satisfies(e -> assertThat(((ModelFormatException) e).field())
            .isEqualTo("learner.gradient_booster.model.trees[0]"));
  }

  @Test
  void lightgbmRead_depthTenThousandChain_refusedAsTooDeep() throws Exception {
    int leaves = 10_001;
    int internal = leaves - 1;
    StringBuilder b = new StringBuilder(lightgbmHeader(1)).append("Tree=0\nnum_leaves=").append(leaves).append('\n');
    b.append("split_feature=").append(repeat("0", internal)).append('\n');
    b.append("threshold=").append(repeat("0.5", internal)).append('\n');
    b.append("decision_type=").append(repeat("2", internal)).append('\n');
    StringBuilder left = new StringBuilder();
    StringBuilder right = new StringBuilder();
    for (int i = 0; i < internal; i++) {
      left.append(i == 0 ? "" : " ").append(i + 1 < internal ? i + 1 : -leaves);
      right.append(i == 0 ? "" : " ").append(-(i + 1));
    }
    b.append("left_child=").append(left).append('\n').append("right_child=").append(right).append('\n');
    b.append("leaf_value=").append(repeat("0.1", leaves)).append('\n');
    b.append("leaf_count=").append(repeat("1", leaves)).append('\n');
    b.append("internal_count=").append(repeat("2", internal)).append("\n\nend of trees\n");
    assertThatThrownBy(() -> LightGbmModelReader.read(b.toString()))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("deeper than the limit")
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo("Tree=0"));
  }

  @Test
  void xgboostRead_noTrees_refusedAsOneScoreForEveryRow() {
    String json = "{\"learner\":{\"learner_model_param\":{\"base_score\":\"5E-1\",\"num_feature\":\"1\"},"
        + "\"objective\":{\"name\":\"binary:logistic\"},\"gradient_booster\":{\"name\":\"gbtree\",\"model\":"
        + "{\"gbtree_model_param\":{\"num_trees\":\"0\"},\"trees\":[]}}}}";
    assertThatThrownBy(() -> XGBoostModelReader.read(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("the model has no trees: it would give every row the same score")
        .satisfies(e -> assertThat(((ModelFormatException) e).field())
            .isEqualTo("learner.gradient_booster.model.trees"));
  }

  @Test
  void lightgbmRead_noTrees_refusedAsOneScoreForEveryRow() {
    String text = lightgbmHeader(1).replace("tree_sizes=100\n", "") + "end of trees\n";
    assertThatThrownBy(() -> LightGbmModelReader.read(text))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("the model has no trees: it would give every row the same score")
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo("end of trees"));
  }

  @Test
  void lightgbmRead_millionTreesDeclared_refusedBeforeReadingTrees() {
    String text = lightgbmHeader(1).replace("tree_sizes=100", "tree_sizes=" + repeat("100", 1_000_000))
        + "end of trees\n";
    assertThatThrownBy(() -> LightGbmModelReader.read(text))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("1000000 trees declared")
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo("tree_sizes"));
  }

  @Test
  void compile_modelFeatureMissingFromSchema_refusedNamingTheFeature() throws Exception {
    TreeEnsemble model = XGBoostModelReader.read(resource("valid/xgboost-small.json"));
    FeatureSchema schema = FeatureSchema.of(List.of(
        FeatureSpec.numeric("amount", "currency", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "a"),
        FeatureSpec.numeric("days_late", "days", 0, 1000, "d")));
    assertThatThrownBy(() -> model.compile(schema))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("'sector' is not in the schema")
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo("feature_names[1]"));
  }

  @Test
  void compile_categoricalSplitOnNumericColumn_refused() throws Exception {
    TreeEnsemble model = XGBoostModelReader.read(resource("valid/xgboost-small.json"));
    FeatureSchema schema = FeatureSchema.of(List.of(
        FeatureSpec.numeric("amount", "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "a"),
        FeatureSpec.numeric("sector", "", 0, 10, "s"),
        FeatureSpec.numeric("days", "", 0, 1000, "d")));
    assertThatThrownBy(() -> model.compile(schema))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("categorical splits");
  }

  static String lightgbmHeader(int features) {
    StringBuilder names = new StringBuilder();
    for (int f = 0; f < features; f++) {
      names.append(f == 0 ? "" : " ").append("f").append(f);
    }
    return "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nmax_feature_idx=" + (features - 1)
        + "\nobjective=binary sigmoid:1\nfeature_names=" + names + "\ntree_sizes=100\n\n";
  }

  private static String repeat(String token, int count) {
    StringBuilder b = new StringBuilder(count * (token.length() + 1));
    for (int i = 0; i < count; i++) {
      b.append(i == 0 ? "" : " ").append(token);
    }
    return b.toString();
  }

  /** A feature table's key column as a model feature: a bundle with it could score no row. */
  @Test
  void defaultSchema_modelFeatureNamedLikeAKeyColumn_refusedNamingTheFeature() throws Exception {
    String xgb = new String(resource("valid/xgboost-small.json"), StandardCharsets.UTF_8);
    TreeEnsemble e = XGBoostModelReader.read(xgb.replace("\"amount\"", "\"Supplier_ID\"")
        .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(e::defaultSchema).isInstanceOf(ModelFormatException.class)
        .hasMessage("feature_names[0]: model feature 'Supplier_ID': feature name supplier_id is a key column of the"
            + " feature table (supplier_id, as_of_date), so no feature table can hold it as a feature; rename the"
            + " feature");
    String lgb = new String(resource("valid/lightgbm-small.txt"), StandardCharsets.UTF_8);
    TreeEnsemble l = LightGbmModelReader.read(lgb.replace("feature_names=amount sector days",
        "feature_names=amount sector as_of_date"));
    assertThatThrownBy(l::defaultSchema).isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith("feature_names[2]: model feature 'as_of_date': feature name as_of_date is a key column");
    assertThatThrownBy(() -> FeatureSpec.numeric("as_of_date", "", 0, 1, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a key column of the feature table");
  }

  /**
   * pandas_categorical: Python LightGBM re-codes each label to its position in the list (label 1
   * of [1, 2, 3, 4] is category 0), so the trees' categories are not the user's labels.
   */
  @Test
  void lightgbmRead_pandasCategoricalList_refusedNamingIt() throws Exception {
    String valid = new String(resource("valid/lightgbm-small.txt"), StandardCharsets.UTF_8);
    assertThat(valid).endsWith("pandas_categorical:null\n");
    assertThat(LightGbmModelReader.read(valid).trees()).hasSize(2);
    assertThat(LightGbmModelReader.read(valid.replace("pandas_categorical:null", "pandas_categorical:[]")).trees())
        .hasSize(2);
    assertThatThrownBy(() -> LightGbmModelReader.read(valid.replace("pandas_categorical:null",
        "pandas_categorical:[[1, 2, 3, 4], [\"A14\", \"A11\"]]")))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("pandas_categorical: pandas category labels re-coded by position ([[1, 2, 3, 4], [\"A14\","
            + " \"A11\"]]) are not supported; train on the integer codes (Series.cat.codes) instead of pandas"
            + " 'category' columns");
  }

  /** Bytes that are not UTF-8 (LightGBM writes nothing else) are refused at their line and offset. */
  @Test
  void lightgbmRead_notUtf8_refusedAtLineAndByte() throws Exception {
    byte[] valid = resource("valid/lightgbm-small.txt");
    String text = new String(valid, StandardCharsets.UTF_8);
    byte[] latin1 = text.replace("feature_names=amount", "feature_names=mont\u00e9").getBytes(StandardCharsets.ISO_8859_1);
    int at = text.indexOf("feature_names=amount") + "feature_names=mont".length();
    assertThatThrownBy(() -> LightGbmModelReader.read(new java.io.ByteArrayInputStream(latin1)))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("line 8: byte offset " + at + " (0xe9): not a LightGBM text model (not UTF-8 text)");
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(valid);
    }
    assertThatThrownBy(() -> LightGbmModelReader.read(new java.io.ByteArrayInputStream(gz.toByteArray())))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("line 1: byte offset 1 (0x8b): not a LightGBM text model (not UTF-8 text; the file is"
            + " gzip-compressed: decompress it first)");
    // an XGBoost UBJSON model given as LightGBM
    assertThatThrownBy(() -> LightGbmModelReader.read(new java.io.ByteArrayInputStream(resource("valid/xgboost-small.ubj"))))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("not a LightGBM text model (not UTF-8 text)");
  }

  /**
   * A number beyond float32 (XGBoost saves float32 values, so never writes one) is refused where
   * it is, as written in the file, not read as an infinity that the bundle refuses later under its
   * own internal path.
   */
  @Test
  void xgboostRead_thresholdOverflowingFloat32_refusedAtTheField() throws Exception {
    String valid = new String(resource("valid/xgboost-small.json"), StandardCharsets.UTF_8);
    String big = valid.replace("\"split_conditions\":[0.5,", "\"split_conditions\":[1e39,");
    assertThat(big).isNotEqualTo(valid);
    assertThatThrownBy(() -> XGBoostModelReader.read(big.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage("learner.gradient_booster.model.trees[0].split_conditions[0]: 1E+39 overflows float32"
            + " (largest 3.4028235E38)");
    // 3.4028235e38 itself is float32's largest, read as it is
    assertThat(XGBoostModelReader.read(valid.replace("\"split_conditions\":[0.5,", "\"split_conditions\":[3.4028235e38,")
        .getBytes(StandardCharsets.UTF_8)).trees().get(0).threshold(0)).isEqualTo(Float.MAX_VALUE);
  }
}

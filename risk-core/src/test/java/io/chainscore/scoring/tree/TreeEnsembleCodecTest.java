package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bundle model node: written, serialised to text, parsed and read back scores identically. */
class TreeEnsembleCodecTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void writeThenRead_randomEnsembles_scoreBitIdenticallyAfterTextRoundTrip() throws Exception {
    Random random = new Random(3);
    for (TreeEnsemble.Precision precision : TreeEnsemble.Precision.values()) {
      for (int m = 0; m < 10; m++) {
        TreeEnsemble model = RandomTrees.ensemble(random, precision, 6, 1 + random.nextInt(20));
        FeatureSchema schema = model.defaultSchema();
        String text = MAPPER.writeValueAsString(TreeEnsembleCodec.write(model));
        JsonNode parsed = MAPPER.readTree(text);
        assertThat(parsed.get("kind").asText()).isEqualTo("tree_ensemble");
        CompiledModel original = model.compile(schema);
        CompiledModel restored = TreeEnsembleCodec.read(parsed, schema, "model");
        double[] row = new double[6];
        double[] a = new double[6];
        double[] b = new double[6];
        for (int k = 0; k < 200; k++) {
          for (int f = 0; f < 6; f++) {
            row[f] = RandomTrees.value(random, f % 3 == 2);
          }
          // Compare against the reference evaluator too, so a codec bug cannot hide behind the
          // same compiled code on both sides.
          assertThat(restored.margin(row, 0)).isEqualTo(ReferenceEvaluator.margin(model, row));
          assertThat(restored.margin(row, 0)).isEqualTo(original.margin(row, 0));
          assertThat(restored.contributions(row, 0, a)).isEqualTo(original.contributions(row, 0, b));
          assertThat(a).containsExactly(b);
        }
        assertThat(TreeEnsembleCodec.write(restored)).isEqualTo(TreeEnsembleCodec.write(model));
      }
    }
  }

  @Test
  void write_xgboostModel_hasDocumentedFlatLayout() throws Exception {
    TreeEnsemble model = XGBoostModelReader.read(HostileModelTest.resource("valid/xgboost-small.json"));
    ObjectNode node = TreeEnsembleCodec.write(model);
    assertThat(node.get("precision").asText()).isEqualTo("float32");
    assertThat(node.get("link").asText()).isEqualTo("logistic");
    assertThat(node.get("base_margin").asDouble()).isEqualTo(0.0);
    assertThat(node.get("features").toString()).isEqualTo("[\"amount\",\"sector\",\"days\"]");
    JsonNode trees = node.get("trees");
    assertThat(trees.get("tree_offsets").toString()).isEqualTo("[0,5,8]");
    assertThat(trees.get("left").toString()).isEqualTo("[1,3,-1,-1,-1,1,-1,-1]");
    assertThat(trees.get("decision").toString()).isEqualTo("[2,0,0,0,0,1,0,0]");
    assertThat(trees.get("category_offsets").toString()).isEqualTo("[0,0,0,0,0,0,2,2,2]");
    assertThat(trees.get("categories").toString()).isEqualTo("[1,3]");
  }

  @Test
  void read_badNode_refusedNamingTheField() throws Exception {
    TreeEnsemble model = XGBoostModelReader.read(HostileModelTest.resource("valid/xgboost-small.json"));
    ObjectNode node = TreeEnsembleCodec.write(model);
    ((com.fasterxml.jackson.databind.node.ArrayNode) node.get("trees").get("left")).set(1, 0);
    assertThatThrownBy(() -> TreeEnsembleCodec.read(node, model.defaultSchema(), "model"))
        .isInstanceOf(ModelFormatException.class)
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo("model.trees.tree[0].nodes[0]"));
    ObjectNode other = TreeEnsembleCodec.write(model);
    other.put("kind", "scorecard");
    assertThatThrownBy(() -> TreeEnsembleCodec.read(other, model.defaultSchema(), "model"))
        .isInstanceOf(ModelFormatException.class)
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo("model.kind"));
  }

  /**
   * A field the codec does not write, in the model node or in its trees, is refused naming it, as
   * every other bundle section refuses one (docs/model-bundle.md: a typo must not be ignored);
   * a source that is not text is refused, not replaced by "bundle". They were accepted silently.
   */
  @Test
  void unknownFieldsAndAMistypedSource_refusedNamingTheField() throws Exception {
    TreeEnsemble model = XGBoostModelReader.read(HostileModelTest.resource("valid/xgboost-small.json"));
    FeatureSchema schema = model.defaultSchema();
    String[][] cases = {
        {"model", "zzz", "model.zzz"}, {"model", "sourc", "model.sourc"}, {"trees", "zzz", "model.trees.zzz"}};
    for (String[] c : cases) {
      ObjectNode node = TreeEnsembleCodec.write(model);
      (c[0].equals("model") ? node : (ObjectNode) node.get("trees")).put(c[1], 1);
      assertThatThrownBy(() -> TreeEnsembleCodec.read(node, schema, "model")).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining(c[2]).hasMessageContaining("unknown field");
    }
    ObjectNode numericSource = TreeEnsembleCodec.write(model);
    numericSource.put("source", 5);
    assertThatThrownBy(() -> TreeEnsembleCodec.read(numericSource, schema, "model"))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("model.source");
    // a node without source (bundles before the field) still reads
    ObjectNode noSource = TreeEnsembleCodec.write(model);
    noSource.remove("source");
    assertThat(TreeEnsembleCodec.read(noSource, schema, "model")).isNotNull();
  }
}

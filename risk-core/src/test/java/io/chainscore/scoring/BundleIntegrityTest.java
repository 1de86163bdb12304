package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleIntegrityTest {
  @Test
  void fromJson_exampleBundlesLoadWithTheirMetadata() {
    ModelBundle scorecard = TestBundles.load("scorecard.json");
    assertThat(scorecard.modelId()).isEqualTo("supplier-scorecard");
    assertThat(scorecard.modelVersion()).isEqualTo("1.0.0");
    assertThat(scorecard.modelKind()).isEqualTo("scorecard");
    assertThat(scorecard.formatVersion()).isEqualTo(1);
    assertThat(scorecard.schema().size()).isEqualTo(5);
    assertThat(scorecard.schema().feature(3).categories()).containsExactly("MANUFACTURING", "LOGISTICS", "RETAIL", "AGRICULTURE");
    assertThat(scorecard.provenance().trainedAt()).isEqualTo("2026-11-01T12:00:00Z");
    assertThat(scorecard.reasonCodes().get(2).text()).isEqualTo("Short trading relationship with the anchor");
    // the SHA-256 of the canonical text without the sha256 field, computed by the JDK directly
    String canonical = scorecard.toJson().replace(",\"sha256\":\"" + scorecard.sha256() + "\"", "");
    assertThat(canonical).doesNotContain("\"sha256\"");
    assertThat(CanonicalJson.sha256(canonical)).isEqualTo(scorecard.sha256());
    assertThat(TestBundles.load("logistic.json").modelKind()).isEqualTo("logistic");
  }

  @Test
  void fromJson_editingAnyValueBreaksTheHashCheck() {
    JsonNode original = TestBundles.tree("scorecard.json");
    List<String> leaves = new ArrayList<>();
    collectLeaves(original, "", leaves);
    assertThat(leaves).hasSizeGreaterThan(150);
    for (String pointer : leaves) {
      if (pointer.equals("/sha256")) {
        continue;
      }
      ObjectNode edited = original.deepCopy();
      JsonNode parent = edited.at(pointer.substring(0, pointer.lastIndexOf('/')));
      String last = pointer.substring(pointer.lastIndexOf('/') + 1);
      JsonNode leaf = edited.at(pointer);
      JsonNode replacement = leaf.isNumber() ? DoubleNode.valueOf(leaf.doubleValue() + 0.5)
          : leaf.isTextual() ? TextNode.valueOf(leaf.textValue() + "x")
          : leaf.isBoolean() ? BooleanNode.valueOf(!leaf.booleanValue()) : DoubleNode.valueOf(0.5);
      if (parent.isArray()) {
        ((ArrayNode) parent).set(Integer.parseInt(last), replacement);
      } else {
        ((ObjectNode) parent).set(last, replacement);
      }
      assertThatThrownBy(() -> ModelBundle.fromJson(edited.toString()))
          .as("edit of %s", pointer)
          .isInstanceOfSatisfying(ModelFormatException.class, e -> assertThat(e.field()).isEqualTo("sha256"))
          .hasMessageContaining("content hash mismatch");
    }
  }

  private static void collectLeaves(JsonNode node, String pointer, List<String> out) {
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(k -> collectLeaves(node.get(k), pointer + "/" + k, out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectLeaves(node.get(i), pointer + "/" + i, out);
      }
    } else {
      out.add(pointer);
    }
  }

  @Test
  void fromJson_layoutAndKeyOrderDoNotChangeTheHash() throws Exception {
    ModelBundle pretty = TestBundles.load("scorecard.json");
    ModelBundle compact = ModelBundle.fromJson(pretty.toJson());
    assertThat(compact.toJson()).isEqualTo(pretty.toJson());
    // 1.50E+1 and 15 are the same double, so the same canonical text
    String respelled = TestBundles.text("scorecard.json").replace("\"points\" : 25,", "\"points\" : 2.50E+1,");
    assertThat(respelled).isNotEqualTo(TestBundles.text("scorecard.json"));
    assertThat(ModelBundle.fromJson(respelled).sha256()).isEqualTo(pretty.sha256());
  }

  @Test
  void fromJson_missingHashIsRefused() {
    ObjectNode root = TestBundles.tree("scorecard.json");
    root.remove("sha256");
    assertThatThrownBy(() -> ModelBundle.fromJson(root.toString()))
        .isInstanceOfSatisfying(ModelFormatException.class, e -> assertThat(e.field()).isEqualTo("sha256"))
        .hasMessageContaining("required");
  }

  @Test
  void canonicalNumber_isShortestRoundTripDecimal() {
    assertThat(CanonicalJson.number(600)).isEqualTo("600");
    assertThat(CanonicalJson.number(-3)).isEqualTo("-3");
    assertThat(CanonicalJson.number(-0.0)).isEqualTo("0");
    assertThat(CanonicalJson.number(0.1)).isEqualTo("0.1");
    assertThat(CanonicalJson.number(0.0015)).isEqualTo("0.0015");
    assertThat(CanonicalJson.number(1e-7)).isEqualTo("1E-7");
    assertThat(CanonicalJson.number(1.5e20)).isEqualTo("1.5E+20");
    assertThat(CanonicalJson.number(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(CanonicalJson.number(9007199254740992.0)).isEqualTo("9007199254740992");
    assertThat(CanonicalJson.number(1e16)).isEqualTo("1E+16");
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 20_000; i++) {
      double v = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(v)) {
        continue;
      }
      String text = CanonicalJson.number(v);
      assertThat(Double.parseDouble(text)).isEqualTo(v);
      BigDecimal parsed = new BigDecimal(text);
      int digits = parsed.stripTrailingZeros().precision();
      if (digits > 1) {
        // one digit fewer must not round-trip, or the text would not be the shortest
        BigDecimal shorter = new BigDecimal(v).round(new java.math.MathContext(digits - 1, java.math.RoundingMode.HALF_EVEN));
        assertThat(shorter.doubleValue()).isNotEqualTo(v);
      }
    }
  }

  @Test
  void write_roundTripsThroughFileAndStream(@TempDir Path dir) throws Exception {
    ModelBundle bundle = TestBundles.load("logistic.json");
    Path file = dir.resolve("b.json");
    bundle.write(file);
    ModelBundle reread = ModelBundle.read(file);
    assertThat(reread.toJson()).isEqualTo(bundle.toJson());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    bundle.write(out);
    ModelBundle fromStream = ModelBundle.read(new ByteArrayInputStream(out.toByteArray()));
    assertThat(fromStream.sha256()).isEqualTo(bundle.sha256());
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(bundle.toJson());
  }

  @Test
  void seal_goldenRowMismatchNamesTheRow() {
    expectGoldenFailure(root -> ((ObjectNode) root.get("golden_rows").get(1)).put("points", 497.5),
        "golden_rows[1]", "points 497.0 but expected 497.5");
    expectGoldenFailure(root -> ((ObjectNode) root.get("golden_rows").get(2)).put("pd", 0.5),
        "golden_rows[2]", "pd");
    expectGoldenFailure(root -> ((ObjectNode) root.get("golden_rows").get(0)).put("grade", "5"),
        "golden_rows[0]", "grade 6 but expected 5");
    expectGoldenFailure(root -> ((ArrayNode) root.get("golden_rows").get(0).get("reason_codes")).set(3, TextNode.valueOf("R04")),
        "golden_rows[0]", "reason codes");
    // an edit of the model that golden rows catch even after re-sealing
    expectGoldenFailure(root -> ((ObjectNode) root.get("model").get("characteristics").get(0).get("bins").get(1)).put("points", 46),
        "golden_rows[0]", "points 554.0 but expected 553.0");
  }

  @Test
  void seal_goldenRowWithinToleranceLoads() throws ModelFormatException {
    ObjectNode root = TestBundles.tree("scorecard.json");
    ((ObjectNode) root.get("golden_rows").get(0)).put("points", 553 + 0.9e-6);
    assertThat(TestBundles.seal(root, true).modelId()).isEqualTo("supplier-scorecard");
  }

  private static void expectGoldenFailure(Consumer<ObjectNode> edit, String field, String message) {
    ObjectNode root = TestBundles.tree("scorecard.json");
    edit.accept(root);
    assertThatThrownBy(() -> TestBundles.seal(root, true))
        .isInstanceOfSatisfying(ModelFormatException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining("golden row")
        .hasMessageContaining(message);
  }

  @Test
  void read_missingFileIsAnIoError() {
    assertThatThrownBy(() -> ModelBundle.read(Path.of("target/no-such-bundle.json"))).isInstanceOf(IOException.class);
  }
}

package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the example bundles against {@code docs/model-bundle.schema.json} with a small validator
 * for exactly the JSON Schema 2020-12 keywords that file uses (no JSON Schema library is on the
 * offline classpath). An unknown keyword fails the test, so the validator cannot silently skip a
 * rule.
 */
class BundleSchemaTest {
  private static final Set<String> KEYWORDS = Set.of("$schema", "$id", "title", "description", "$defs", "$ref",
      "type", "required", "properties", "additionalProperties", "items", "enum", "const", "minItems", "maxItems",
      "minimum", "maximum", "exclusiveMinimum", "pattern", "minLength", "oneOf", "allOf", "not");
  private static JsonNode schema;

  @BeforeAll
  static void loadSchema() throws Exception {
    Path file = Path.of("../docs/model-bundle.schema.json");
    schema = TestBundles.MAPPER.readTree(Files.readString(file));
  }

  @Test
  void exampleBundles_conformToTheSchema() {
    for (String name : List.of("scorecard.json", "logistic.json", "segmented.json")) {
      List<String> errors = new ArrayList<>();
      validate(TestBundles.tree(name), schema, "", errors);
      assertThat(errors).as(name).isEmpty();
    }
  }

  /** A segmented bundle with its segments' training record conforms to the schema, and the reader accepts it. */
  @Test
  void segmentedBundle_conformsToTheSchema() throws Exception {
    ObjectNode root = SegmentedBundleTest.segmentedTree(true);
    ObjectNode trained = ((ObjectNode) root.get("provenance")).putArray("segments").addObject();
    trained.put("name", "thin_file").put("rows", 400).put("events", 31).put("trainer", "the segment's own trainer");
    root.put("sha256", "0".repeat(64));
    List<String> errors = new ArrayList<>();
    validate(root, schema, "", errors);
    assertThat(errors).isEmpty();
    assertThat(ModelBundle.seal(root.toString()).segments()).hasSize(3);
    ((ObjectNode) root.get("model").get("segments").get(0).get("when")).put("op", "in");
    errors.clear();
    validate(root, schema, "", errors);
    assertThat(errors).isNotEmpty();
  }

  /** Rules sending missing values on to the next rule conform; a segment named "next" does not, and the reader refuses it too. */
  @Test
  void segmentedBundle_missingNext_conforms_andNextIsNoSegmentName() throws Exception {
    ObjectNode root = SegmentedBundleTest.segmentedTree("next", "next");
    root.put("sha256", "0".repeat(64));
    List<String> errors = new ArrayList<>();
    validate(root, schema, "", errors);
    assertThat(errors).isEmpty();
    assertThat(ModelBundle.seal(root.toString()).segments().get(0).rule())
        .isEqualTo("months_with_anchor < 12 (missing: next rule)");
    ((ObjectNode) root.get("model").get("segments").get(2)).put("name", "next");
    validate(root, schema, "", errors);
    assertThat(errors).isNotEmpty();
    assertThatThrownBy(() -> ModelBundle.seal(root.toString())).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("\"next\" is not a segment name");
  }

  /** A bundle with the PD-calibration record train writes conforms to the schema, and the reader accepts it. */
  @Test
  void pdCalibrationRecord_conformsToTheSchema_andTheReaderChecksIt() throws Exception {
    ObjectNode root = TestBundles.tree("scorecard.json");
    ObjectNode record = ((ObjectNode) root.get("provenance")).putObject("pd_calibration");
    record.put("rating_philosophy", "ttc").put("central_tendency", 0.031).put("central_tendency_source", "cohort_average")
        .put("default_column", "defaulted").put("cohort_column", "year");
    record.putArray("cohort_default_rates").add(0.02).add(0.03).add(0.04);
    record.put("long_run_average", 0.03);
    record.putObject("margin_of_conservatism").put("method", "upper_confidence_bound").put("level", 0.9)
        .put("standard_error", 0.0057735);
    record.put("intercept_shift", -1.2).put("calibration_rows", 700).put("weighted", true).put("master_scale", "fit:8");
    List<String> errors = new ArrayList<>();
    validate(root, schema, "", errors);
    assertThat(errors).isEmpty();
    assertThat(ModelBundle.seal(root.toString()).modelId()).isEqualTo(root.get("model_id").asText());

    record.put("rating_philosophy", "hybrid");
    validate(root, schema, "", errors);
    assertThat(String.join("\n", errors)).contains("/provenance/pd_calibration/rating_philosophy: enum");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelBundle.seal(root.toString()))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("provenance.pd_calibration.rating_philosophy").hasMessageContaining("\"hybrid\"");
    record.put("rating_philosophy", "pit").put("central_tendency", 1.5);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelBundle.seal(root.toString()))
        .hasMessageContaining("provenance.pd_calibration.central_tendency").hasMessageContaining("1.5");
    record.put("central_tendency", 0.03).put("weighted", "yes");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelBundle.seal(root.toString()))
        .hasMessageContaining("provenance.pd_calibration.weighted").hasMessageContaining("true or false");
    validate(root, schema, "", errors);
    assertThat(String.join("\n", errors)).contains("/provenance/pd_calibration/weighted");
    record.put("weighted", true).put("unknown", 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelBundle.seal(root.toString()))
        .hasMessageContaining("unknown");
  }

  @Test
  void validator_reportsViolations() {
    ObjectNode root = TestBundles.tree("scorecard.json");
    ((ObjectNode) root.get("score_scale")).put("pdo", "20");
    ((ObjectNode) root.get("model").get("characteristics").get(0).get("bins").get(0)).put("missing", true);
    ((ArrayNode) root.get("features")).addObject().put("name", "Bad Name").put("type", "text");
    root.remove("provenance");
    List<String> errors = new ArrayList<>();
    validate(root, schema, "", errors);
    assertThat(String.join("\n", errors))
        .contains("/score_scale/pdo: type")
        .contains("/model: oneOf matched 0 alternatives") // the bin with two selectors fails the scorecard branch
        .contains("/features/5/name: pattern")
        .contains("/features/5/type: enum")
        .contains("required provenance");
  }

  private static void validate(JsonNode value, JsonNode s, String at, List<String> errors) {
    Iterator<String> keys = s.fieldNames();
    while (keys.hasNext()) {
      String k = keys.next();
      if (!KEYWORDS.contains(k)) {
        throw new AssertionError("schema keyword " + k + " is not supported by this validator");
      }
    }
    if (s.has("$ref")) {
      String ref = s.get("$ref").asText();
      validate(value, schema.at(ref.substring(1)), at, errors);
    }
    if (s.has("type") && !typeMatches(value, s.get("type"))) {
      errors.add(at + ": type " + s.get("type") + " expected, got " + value.getNodeType());
      return;
    }
    if (s.has("const") && !s.get("const").equals(value) && !(value.isNumber() && s.get("const").isNumber()
        && value.doubleValue() == s.get("const").doubleValue())) {
      errors.add(at + ": const " + s.get("const"));
    }
    if (s.has("enum")) {
      boolean found = false;
      for (JsonNode e : s.get("enum")) {
        found |= e.equals(value);
      }
      if (!found) {
        errors.add(at + ": enum " + s.get("enum"));
      }
    }
    if (value.isNumber()) {
      double v = value.doubleValue();
      if (s.has("minimum") && v < s.get("minimum").doubleValue()) {
        errors.add(at + ": minimum");
      }
      if (s.has("maximum") && v > s.get("maximum").doubleValue()) {
        errors.add(at + ": maximum");
      }
      if (s.has("exclusiveMinimum") && v <= s.get("exclusiveMinimum").doubleValue()) {
        errors.add(at + ": exclusiveMinimum");
      }
    }
    if (value.isTextual()) {
      if (s.has("pattern") && !Pattern.compile(s.get("pattern").asText()).matcher(value.asText()).find()) {
        errors.add(at + ": pattern " + s.get("pattern").asText());
      }
      if (s.has("minLength") && value.asText().length() < s.get("minLength").asInt()) {
        errors.add(at + ": minLength");
      }
    }
    if (value.isArray()) {
      if (s.has("minItems") && value.size() < s.get("minItems").asInt()) {
        errors.add(at + ": minItems");
      }
      if (s.has("maxItems") && value.size() > s.get("maxItems").asInt()) {
        errors.add(at + ": maxItems");
      }
      if (s.has("items")) {
        for (int i = 0; i < value.size(); i++) {
          validate(value.get(i), s.get("items"), at + "/" + i, errors);
        }
      }
    }
    if (value.isObject()) {
      if (s.has("required")) {
        for (JsonNode r : s.get("required")) {
          if (!value.has(r.asText())) {
            errors.add(at + ": required " + r.asText());
          }
        }
      }
      Iterator<String> names = value.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        JsonNode property = s.has("properties") ? s.get("properties").get(name) : null;
        if (property != null) {
          validate(value.get(name), property, at + "/" + name, errors);
        } else if (s.has("additionalProperties")) {
          JsonNode extra = s.get("additionalProperties");
          if (extra.isBoolean() && !extra.booleanValue()) {
            errors.add(at + ": additional property " + name);
          } else if (extra.isObject()) {
            validate(value.get(name), extra, at + "/" + name, errors);
          }
        }
      }
    }
    if (s.has("allOf")) {
      for (JsonNode sub : s.get("allOf")) {
        validate(value, sub, at, errors);
      }
    }
    if (s.has("oneOf")) {
      int matches = 0;
      for (JsonNode sub : s.get("oneOf")) {
        List<String> subErrors = new ArrayList<>();
        validate(value, sub, at, subErrors);
        matches += subErrors.isEmpty() ? 1 : 0;
      }
      if (matches != 1) {
        errors.add(at + ": oneOf matched " + matches + " alternatives");
      }
    }
    if (s.has("not")) {
      List<String> subErrors = new ArrayList<>();
      validate(value, s.get("not"), at, subErrors);
      if (subErrors.isEmpty()) {
        errors.add(at + ": not");
      }
    }
  }

  private static boolean typeMatches(JsonNode value, JsonNode type) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(value, t)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "number" -> value.isNumber();
      case "integer" -> value.isIntegralNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> throw new AssertionError("unknown type " + type);
    };
  }
}

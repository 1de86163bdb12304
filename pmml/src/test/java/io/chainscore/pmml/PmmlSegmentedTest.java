package io.chainscore.pmml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.pmml.testing.JpmmlHarness;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoringException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jpmml.evaluator.Evaluator;
import org.junit.jupiter.api.Test;

/**
 * Segmented bundles in PMML: the {@code MiningModel} with {@code selectFirst} that {@link
 * PmmlExport} writes, evaluated by JPMML-Evaluator (points and PD within {@link
 * JpmmlHarness#TOLERANCE}, the same grade, reason codes and segment, the same refused rows) on
 * thousands of random rows with rows at every rule's boundary and rows missing routing features.
 */
class PmmlSegmentedTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * A segmented bundle of the synthesized scorecards (no, logistic and isotonic calibration, one per
   * segment in turn) under rules of every operator. Variant 1: {@code late_share >= 0.2} (a clamped
   * feature, routed on its raw value) taking its own missing values, {@code sector in [agri, glass]}
   * (an imputed feature) sending missing values to a later segment, {@code days <= 30} sending them
   * to an earlier one, otherwise. Variant 2: {@code flat == 0}, {@code count != 3}, {@code days >
   * 90.5}, {@code flat < 10}, otherwise, none taking missing values (such rows are refused).
   * Variant 3: {@code late_share >= 0.2} and {@code days <= 30} sending missing values on to the
   * next rule, {@code sector in [agri, glass]} sending them to the last segment, {@code flat < 10}
   * refusing them, otherwise. Variant 4: every rule sending missing values on (the form other tools
   * write with a last segment True): {@code late_share >= 0.2}, {@code sector in [agri, glass]},
   * {@code days <= 30}, otherwise.
   */
  static ModelBundle segmentedBundle(int variant) throws Exception {
    List<ObjectNode> docs = new ArrayList<>();
    for (int seed = 1; seed <= 3; seed++) {
      docs.add((ObjectNode) MAPPER.readTree(PmmlExportJpmmlTest.synthesizedScorecard(seed).toJson()));
    }
    List<Object[]> rules = variant == 1
        ? List.of(
            new Object[] {"late", "late_share", ">=", 0.2, "late"},
            new Object[] {"agri", "sector", "in", List.of("agri", "glass"), "rest"},
            new Object[] {"short", "days", "<=", 30.0, "agri"},
            new Object[] {"rest"})
        : variant == 3
        ? List.of(
            new Object[] {"late", "late_share", ">=", 0.2, "next"},
            new Object[] {"agri", "sector", "in", List.of("agri", "glass"), "rest"},
            new Object[] {"short", "days", "<=", 30.0, "next"},
            new Object[] {"small", "flat", "<", 10.0, null},
            new Object[] {"rest"})
        : variant == 4
        ? List.of(
            new Object[] {"late", "late_share", ">=", 0.2, "next"},
            new Object[] {"agri", "sector", "in", List.of("agri", "glass"), "next"},
            new Object[] {"short", "days", "<=", 30.0, "next"},
            new Object[] {"rest"})
        : List.of(
            new Object[] {"zero", "flat", "==", 0.0, null},
            new Object[] {"not3", "count", "!=", 3.0, null},
            new Object[] {"big", "days", ">", 90.5, null},
            new Object[] {"small", "flat", "<", 10.0, null},
            new Object[] {"other"});
    ObjectNode root = docs.get(0).deepCopy();
    root.remove("sha256");
    root.remove("golden_rows");
    root.remove("calibration");
    root.put("model_id", "segmented-" + variant);
    ObjectNode model = root.putObject("model");
    model.put("kind", "segmented");
    ArrayNode list = model.putArray("segments");
    for (int s = 0; s < rules.size(); s++) {
      Object[] r = rules.get(s);
      ObjectNode segment = list.addObject();
      segment.put("name", (String) r[0]);
      if (r.length == 1) {
        segment.put("when", "otherwise");
      } else {
        ObjectNode when = segment.putObject("when").put("feature", (String) r[1]).put("op", (String) r[2]);
        if (r[3] instanceof List<?> values) {
          ArrayNode v = when.putArray("values");
          values.forEach(x -> v.add((String) x));
        } else {
          when.put("value", (Double) r[3]);
        }
        if (r[4] != null) {
          when.put("missing", (String) r[4]);
        }
      }
      ObjectNode doc = docs.get(s % docs.size());
      segment.set("model", doc.get("model"));
      if (doc.has("calibration")) {
        segment.set("calibration", doc.get("calibration"));
      }
    }
    return ModelBundle.seal(root.toString());
  }

  /**
   * A segmented bundle whose segments are of different kinds: a logistic model (a raw term and a
   * weight-of-evidence term) for {@code sector in [retail, glass]}, missing sectors included, and
   * the synthesized scorecard with logistic calibration otherwise.
   */
  static ModelBundle mixedBundle() throws Exception {
    ObjectNode root = (ObjectNode) MAPPER.readTree(PmmlExportJpmmlTest.synthesizedScorecard(2).toJson());
    JsonNode scorecard = root.get("model");
    JsonNode calibration = root.get("calibration");
    root.remove("sha256");
    root.remove("golden_rows");
    root.remove("calibration");
    root.put("model_id", "mixed");
    JsonNode logistic = MAPPER.readTree("""
        {"kind": "logistic", "intercept": -2.1, "terms": [
          {"feature": "count", "coefficient": -0.05, "reference": 5, "reason_code": "RC"},
          {"feature": "sector", "transform": "woe", "coefficient": -0.8, "reference": 0, "reason_code": "RA",
           "bins": [{"categories": ["agri", "glass"], "woe": 0.3}, {"categories": ["retail"], "woe": -0.4},
                    {"categories": ["metal works"], "woe": 0.1}, {"missing": true, "woe": 0}]}]}""");
    ObjectNode model = root.putObject("model");
    model.put("kind", "segmented");
    ArrayNode list = model.putArray("segments");
    ObjectNode first = list.addObject();
    first.put("name", "logit");
    first.putObject("when").put("feature", "sector").put("op", "in").put("missing", "logit").putArray("values")
        .add("retail").add("glass");
    first.set("model", logistic);
    ObjectNode rest = list.addObject();
    rest.put("name", "card");
    rest.put("when", "otherwise");
    rest.set("model", scorecard);
    rest.set("calibration", calibration);
    return ModelBundle.seal(root.toString());
  }

  static ModelBundle testBundle() throws Exception {
    return ModelBundle.read(PmmlExportJpmmlTest.testBundle("segmented.json"));
  }

  /** Rows per segment name as ChainScore routes them ("" for refused rows). */
  private static Map<String, Integer> routed(ModelBundle bundle, List<double[]> rows) {
    Map<String, Integer> count = new TreeMap<>();
    for (double[] row : rows) {
      String name;
      try {
        name = bundle.scorer().score(row).segment();
      } catch (ScoringException e) {
        name = "";
      }
      count.merge(name, 1, Integer::sum);
    }
    return count;
  }

  /**
   * How many rows the agreement covered at each rule's boundary (the feature equal to the rule's
   * value) and missing a rule's feature, read from the bundle's document: {@code [at boundary,
   * missing and routed, missing and refused]}, counted on the rows the first rules reach.
   */
  private static int[] coverage(ModelBundle bundle, List<double[]> rows) throws Exception {
    JsonNode segments = MAPPER.readTree(bundle.toJson()).get("model").get("segments");
    int[] count = new int[3];
    for (double[] row : rows) {
      for (JsonNode segment : segments) {
        JsonNode when = segment.get("when");
        if (when.isTextual()) {
          break;
        }
        double x = row[bundle.schema().indexOf(when.get("feature").asText())];
        if (Double.isNaN(x)) {
          count[when.has("missing") ? 1 : 2]++;
          break;
        }
        if (when.has("value") && x == when.get("value").asDouble()) {
          count[0]++;
          break;
        }
      }
    }
    return count;
  }

  @Test
  void testBundle_jpmmlAgreesOnPointsPdGradeReasonsAndSegment() throws Exception {
    ModelBundle bundle = testBundle();
    String pmml = PmmlExport.toPmml(bundle);
    assertThat(pmml).contains("<Segmentation multipleModelMethod=\"selectFirst\">")
        .contains("feature=\"entityId\"");
    List<double[]> rows = JpmmlHarness.rows(bundle, 5000, 41);
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, pmml, rows);
    assertThat(a.scored()).isGreaterThan(3000);
    assertThat(a.withReasons()).isGreaterThan(1000);
    assertThat(routed(bundle, rows)).allSatisfy((segment, n) -> assertThat(n).as(segment).isGreaterThan(50));
    assertThat(java.util.Arrays.stream(coverage(bundle, rows)).boxed().toList())
        .allSatisfy(n -> assertThat(n).isGreaterThan(40));
  }

  @Test
  void synthesizedSegmentedBundles_jpmmlAgrees() throws Exception {
    for (int variant = 1; variant <= 4; variant++) {
      ModelBundle bundle = segmentedBundle(variant);
      List<double[]> rows = JpmmlHarness.rows(bundle, 4000, 50 + variant);
      JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, PmmlExport.toPmml(bundle), rows);
      assertThat(a.scored()).as("variant " + variant).isGreaterThan(1500);
      Map<String, Integer> routed = routed(bundle, rows);
      assertThat(routed.keySet()).as("variant " + variant)
          .containsAll(bundle.segments().stream().map(ModelBundle.Segment::name).toList());
      assertThat(routed).allSatisfy((segment, n) -> assertThat(n).as(segment).isGreaterThan(20));
      int[] coverage = coverage(bundle, rows);
      assertThat(coverage[0]).as("rows at a boundary, variant " + variant).isGreaterThan(300);
      assertThat(coverage[variant == 2 ? 2 : 1]).as("rows missing a routing feature, variant " + variant)
          .isGreaterThan(40);
    }
  }

  // ---------------------------------------------------------------- import

  private static ModelBundle roundTrip(ModelBundle bundle) throws Exception {
    return PmmlRoundTripTest.roundTrip(bundle);
  }

  /** Export then import: the same segments, rules, shared parts and, on random rows, the same scores bit for bit. */
  private static void checkRoundTrip(ModelBundle bundle, long seed) throws Exception {
    ModelBundle imported = roundTrip(bundle);
    assertThat(imported.modelKind()).isEqualTo("segmented");
    assertThat(imported.modelId()).isEqualTo(bundle.modelId());
    assertThat(imported.modelVersion()).isEqualTo(bundle.modelVersion());
    assertThat(imported.schema()).isEqualTo(bundle.schema());
    assertThat(imported.reasonCodes()).isEqualTo(bundle.reasonCodes());
    assertThat(imported.maxMissingShare()).isEqualTo(bundle.maxMissingShare());
    assertThat(imported.masterScale().grades()).isEqualTo(bundle.masterScale().grades());
    assertThat(imported.provenance()).isEqualTo(bundle.provenance());
    assertThat(imported.segments()).hasSameSizeAs(bundle.segments());
    for (int s = 0; s < bundle.segments().size(); s++) {
      ModelBundle.Segment a = bundle.segments().get(s);
      ModelBundle.Segment b = imported.segments().get(s);
      assertThat(b.name()).isEqualTo(a.name());
      assertThat(b.rule()).isEqualTo(a.rule());
      assertThat(b.bundle().modelKind()).isEqualTo(a.bundle().modelKind());
    }
    // the segments' and the shared parts of the document, read from both bundles' JSON
    JsonNode before = MAPPER.readTree(bundle.toJson());
    JsonNode after = MAPPER.readTree(imported.toJson());
    for (String field : List.of("score_scale", "master_scale", "reason_codes")) {
      assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
    }
    for (int j = 0; j < bundle.schema().size(); j++) {
      JsonNode a = before.get("features").get(j);
      JsonNode b = after.get("features").get(j);
      assertThat(b.path("missing").asText("pass")).as("missing policy " + j).isEqualTo(a.path("missing").asText("pass"));
      assertThat(b.path("impute_value")).as("imputed value " + j).isEqualTo(a.path("impute_value"));
      assertThat(b.path("out_of_range").asText("reject")).as("range policy " + j)
          .isEqualTo(a.path("out_of_range").asText("reject"));
    }
    for (int s = 0; s < bundle.segments().size(); s++) {
      JsonNode a = before.get("model").get("segments").get(s);
      JsonNode b = after.get("model").get("segments").get(s);
      assertThat(b.get("when")).as("when of segment " + s).isEqualTo(a.get("when"));
      assertThat(calibration(after, b)).as("calibration of segment " + s).isEqualTo(calibration(before, a));
    }
    List<double[]> rows = JpmmlHarness.rows(bundle, 4000, seed);
    int scored = 0;
    for (int r = 0; r < rows.size(); r++) {
      double[] row = rows.get(r);
      String where = "row " + r + " " + java.util.Arrays.toString(row);
      io.chainscore.scoring.ScoreResult x;
      try {
        x = bundle.scorer().score(row);
      } catch (ScoringException e) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> imported.scorer().score(row)).as(where)
            .isInstanceOf(ScoringException.class).extracting(t -> ((ScoringException) t).reason())
            .isEqualTo(e.reason());
        continue;
      }
      io.chainscore.scoring.ScoreResult y = imported.scorer().score(row);
      // bit for bit: points, PD, grade, reasons and segment
      assertThat(y).as(where).isEqualTo(x);
      assertThat(Double.doubleToRawLongBits(y.pd())).as(where).isEqualTo(Double.doubleToRawLongBits(x.pd()));
      scored++;
    }
    assertThat(scored).isGreaterThan(rows.size() / 3);
    // a second trip writes the same PMML
    assertThat(PmmlExport.toPmml(roundTrip(imported))).isEqualTo(PmmlExport.toPmml(imported));
  }

  /** A segment's calibration: its own, else the bundle's, else none. */
  private static JsonNode calibration(JsonNode doc, JsonNode segment) throws Exception {
    return segment.has("calibration") ? segment.get("calibration")
        : doc.has("calibration") ? doc.get("calibration") : MAPPER.readTree("{\"kind\":\"none\"}");
  }

  @Test
  void segmentsOfDifferentKinds_jpmmlAgrees_andRoundTripScoresBitForBit() throws Exception {
    ModelBundle bundle = mixedBundle();
    String pmml = PmmlExport.toPmml(bundle);
    assertThat(pmml).contains("<RegressionModel").contains("<Scorecard");
    List<double[]> rows = JpmmlHarness.rows(bundle, 4000, 71);
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, pmml, rows);
    assertThat(a.scored()).isGreaterThan(1500);
    assertThat(routed(bundle, rows)).containsKeys("logit", "card");
    checkRoundTrip(bundle, 72);
  }

  @Test
  void roundTrip_testBundle_scoresBitForBit() throws Exception {
    checkRoundTrip(testBundle(), 61);
  }

  @Test
  void roundTrip_synthesizedBundles_scoreBitForBit() throws Exception {
    checkRoundTrip(segmentedBundle(1), 62);
    checkRoundTrip(segmentedBundle(2), 63);
    checkRoundTrip(segmentedBundle(3), 64);
    checkRoundTrip(segmentedBundle(4), 65);
  }

  /**
   * The form other tools write, relying on selectFirst's order: each segment but the last has its
   * rule's test alone as its predicate, the last has True. Made here from the export of variant 4
   * (every rule sending missing values on) by replacing each predicate with the rule's test (the
   * last part of its first branch) and the last with True.
   */
  private static String inOrderForm(String pmml) throws Exception {
    javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    org.w3c.dom.Document doc = factory.newDocumentBuilder().parse(
        new java.io.ByteArrayInputStream(pmml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    org.w3c.dom.Element segmentation = (org.w3c.dom.Element) doc.getElementsByTagNameNS("*", "Segmentation").item(0);
    List<org.w3c.dom.Element> segments = children(segmentation, "Segment");
    for (int s = 0; s < segments.size(); s++) {
      org.w3c.dom.Element segment = segments.get(s);
      org.w3c.dom.Element predicate = null;
      for (org.w3c.dom.Element c : children(segment, null)) {
        if (c.getLocalName().endsWith("Predicate") || c.getLocalName().equals("True")) {
          predicate = c;
        }
      }
      org.w3c.dom.Element replacement;
      if (s == segments.size() - 1) {
        replacement = doc.createElementNS(predicate.getNamespaceURI(), "True");
      } else {
        // the rule's own test: the predicate itself for the first segment, else its last part
        replacement = predicate.getLocalName().equals("CompoundPredicate")
            ? children(predicate, null).get(children(predicate, null).size() - 1) : predicate;
        replacement = (org.w3c.dom.Element) replacement.cloneNode(true);
      }
      segment.replaceChild(replacement, predicate);
    }
    java.io.StringWriter out = new java.io.StringWriter();
    javax.xml.transform.TransformerFactory.newInstance().newTransformer().transform(
        new javax.xml.transform.dom.DOMSource(doc), new javax.xml.transform.stream.StreamResult(out));
    return out.toString();
  }

  private static List<org.w3c.dom.Element> children(org.w3c.dom.Element parent, String name) {
    List<org.w3c.dom.Element> out = new ArrayList<>();
    for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof org.w3c.dom.Element e && !e.getLocalName().equals("Extension")
          && (name == null || e.getLocalName().equals(name))) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void inOrderFormWithLastSegmentTrue_importsAsRulesGoingOnWhenMissing_andJpmmlAgrees() throws Exception {
    ModelBundle bundle = segmentedBundle(4);
    String exported = PmmlExport.toPmml(bundle);
    String plain = inOrderForm(exported);
    // the routing's or(negation, isMissing) parts are gone (the scorecards' own isMissing attributes stay)
    assertThat(plain).contains("<True/>");
    assertThat(plain.split("isMissing", -1).length).isLessThan(exported.split("isMissing", -1).length - 2);
    // JPMML's selectFirst on the plain form routes and scores every row as the bundle's "next" rules do
    List<double[]> rows = JpmmlHarness.rows(bundle, 4000, 66);
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, plain, rows);
    assertThat(a.scored()).isGreaterThan(1500);
    assertThat(coverage(bundle, rows)[1]).as("rows missing a routing feature").isGreaterThan(40);
    // and the import reads it into those rules: the same document, scores bit for bit
    ModelBundle imported = PmmlImport.read(new java.io.ByteArrayInputStream(
        plain.getBytes(java.nio.charset.StandardCharsets.UTF_8)), PmmlRoundTripTest.OPTIONS);
    JsonNode before = MAPPER.readTree(bundle.toJson()).get("model").get("segments");
    JsonNode after = MAPPER.readTree(imported.toJson()).get("model").get("segments");
    for (int s = 0; s < before.size(); s++) {
      assertThat(after.get(s).get("when")).as("segment " + s).isEqualTo(before.get(s).get("when"));
    }
    assertThat(after.get(0).get("when").get("missing").asText()).isEqualTo("next");
    int scored = 0;
    for (double[] row : rows) {
      io.chainscore.scoring.ScoreResult expected;
      try {
        expected = bundle.scorer().score(row);
      } catch (ScoringException e) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> imported.scorer().score(row))
            .isInstanceOf(ScoringException.class).extracting(t -> ((ScoringException) t).reason())
            .isEqualTo(e.reason());
        continue;
      }
      assertThat(imported.scorer().score(row)).isEqualTo(expected);
      scored++;
    }
    assertThat(scored).isGreaterThan(1500);
    // True before the last segment, or a compound predicate in the plain form, is refused by name
    String early = plain.replaceFirst("<SimplePredicate field=\"late_share\"[^>]*/>", "<True/>");
    assertThat(early).isNotEqualTo(plain);
    assertThat(refusalOf(early)).contains("Segment/True").contains("segment late has predicate True before the last");
  }

  /** The import's one-line message for {@code pmml}, which it must refuse. */
  private static String refusalOf(String pmml) throws Exception {
    try {
      PmmlImport.read(new java.io.ByteArrayInputStream(pmml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          PmmlRoundTripTest.OPTIONS);
    } catch (io.chainscore.scoring.ModelFormatException e) {
      assertThat(e.getMessage()).doesNotContain("\n").startsWith("model.pmml, line ");
      return e.getMessage();
    }
    throw new AssertionError("accepted");
  }

  // ---------------------------------------------------------------- malformed segmented PMML

  /** The import's one-line message for the test bundle's PMML edited by {@code edit}. */
  private static String refusal(java.util.function.UnaryOperator<String> edit) throws Exception {
    String pmml = PmmlExport.toPmml(testBundle());
    String edited = edit.apply(pmml);
    assertThat(edited).as("the edit changed nothing").isNotEqualTo(pmml);
    return refusalOf(edited);
  }

  @Test
  void unknownRuleOperator_refusedNamingTheAttribute() throws Exception {
    assertThat(refusal(p -> p.replaceFirst("(<SimplePredicate field=\"months_with_anchor\" operator=\")lessThan(\" "
        + "value=\"12\"/>\n        <Scorecard)", "$1isBetween$2")))
        .contains("SimplePredicate@operator").contains("isBetween").contains("thin_file");
  }

  @Test
  void predicateThatIsNotTheRulesRouting_refusedNamingTheElement() throws Exception {
    // the negation of thin_file's rule in seasoned's predicate no longer matches the rule
    String message = refusal(p -> p.replace("<CompoundPredicate booleanOperator=\"or\">\n          <CompoundPredicate"
        + " booleanOperator=\"and\">\n            <SimplePredicate field=\"months_with_anchor\" operator=\"greaterOrEqual\"",
        "<CompoundPredicate booleanOperator=\"or\">\n          <CompoundPredicate booleanOperator=\"and\">\n"
        + "            <SimplePredicate field=\"months_with_anchor\" operator=\"greaterThan\""));
    assertThat(message).contains("SimplePredicate").contains("segment seasoned's predicate is not the routing")
        .contains("operator=\"greaterThan\"");
    // a last segment True reads the segments in order: the exclusive form's compound predicates before
    // it are not single tests
    assertThat(refusal(p -> p.replaceFirst("(?s)(<Segment id=\"seasoned\">.*?</Extension>\n)\\s*<CompoundPredicate"
        + " booleanOperator=\"or\">.*?\n        </CompoundPredicate>\n", "$1        <True/>\n")))
        .contains("Segment/CompoundPredicate").contains("segment retail: with True as the last segment's predicate");
  }

  @Test
  void emptyCompoundPredicates_refused() throws Exception {
    assertThat(refusal(p -> p.replace("<SimplePredicate field=\"months_with_anchor\" operator=\"lessThan\" value=\"12\"/>\n"
        + "        <Scorecard", "<CompoundPredicate booleanOperator=\"or\"/>\n        <Scorecard")))
        .contains("CompoundPredicate").contains("segment thin_file: an empty CompoundPredicate");
    assertThat(refusal(p -> p.replace("<SimplePredicate field=\"months_with_anchor\" operator=\"lessThan\" value=\"12\"/>\n"
        + "        <Scorecard", "<CompoundPredicate booleanOperator=\"or\"><CompoundPredicate booleanOperator=\"and\"/>"
        + "</CompoundPredicate>\n        <Scorecard")))
        .contains("segment thin_file: an empty CompoundPredicate");
  }

  @Test
  void segmentWithoutModel_refused() throws Exception {
    assertThat(refusal(p -> p.replaceFirst("(?s)(<Segment id=\"retail\">.*?)<Scorecard .*?</Scorecard>\n", "$1")))
        .contains("Segment").contains("segment retail has no model");
  }

  @Test
  void otherMethodThanSelectFirstOverScorecards_refused() throws Exception {
    assertThat(refusal(p -> p.replace("multipleModelMethod=\"selectFirst\"", "multipleModelMethod=\"weightedAverage\"")))
        .contains("Segmentation@multipleModelMethod").contains("weightedAverage");
  }

  @Test
  void outerMissingTreatment_outerOutputs_andSecondModels_refused() throws Exception {
    // routing reads raw values: a replacement on the MiningModel would route imputed ones
    assertThat(refusal(p -> p.replace("<MiningField name=\"sector\" usageType=\"active\" invalidValueTreatment="
        + "\"returnInvalid\"/>", "<MiningField name=\"sector\" usageType=\"active\" missingValueReplacement=\"RETAIL\"/>")))
        .contains("MiningField@missingValueReplacement");
    assertThat(refusal(p -> p.replace("feature=\"entityId\"", "feature=\"predictedValue\"")))
        .contains("OutputField@feature").contains("entityId");
    assertThat(refusal(p -> p.replaceFirst("(?s)(<Segment id=\"retail\">.*?)(<Scorecard .*?</Scorecard>\n)", "$1$2$2")))
        .contains("segment retail has a second model");
  }

  @Test
  void missingBranchOnTheWrongField_refused() throws Exception {
    assertThat(refusal(p -> p.replace("<SimplePredicate field=\"sector\" operator=\"isMissing\"/>\n          </Compound",
        "<SimplePredicate field=\"on_time_delivery_rate\" operator=\"isMissing\"/>\n          </Compound")))
        .contains("SimplePredicate@field").contains("rule 2 (sector)");
  }

  @Test
  void segmentsWithDifferentPolicies_refused() throws Exception {
    // the retail segment imputes a value the others pass as missing
    assertThat(refusal(p -> p.replaceFirst("(?s)(<Segment id=\"retail\">.*?<MiningField name=\"sector\" usageType="
        + "\"active\" invalidValueTreatment=\"returnInvalid\")", "$1 missingValueReplacement=\"RETAIL\"")))
        .contains("MiningSchema").contains("segment retail's fields or their policies differ");
  }
}

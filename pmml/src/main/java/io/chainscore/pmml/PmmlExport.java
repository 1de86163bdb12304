package io.chainscore.pmml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.MasterScale;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.spi.Bin;
import io.chainscore.scoring.spi.Characteristic;
import io.chainscore.scoring.spi.LogisticView;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.ScorecardView;
import io.chainscore.scoring.spi.TreeEnsembleView;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a model bundle as a PMML 4.4 document ({@code docs/pmml.md}): a scorecard as a {@code
 * Scorecard} with reason codes (points below each characteristic's best bin, JPMML's {@code
 * pointsBelow}), a logistic regression on raw features as a {@code RegressionModel}, a tree
 * ensemble as a {@code MiningModel} summing {@code TreeModel} segments, a segmented bundle as a
 * {@code MiningModel} selecting the first segment whose predicate (its routing) holds, each segment
 * holding its own model as above, with an output field {@code segment}. The feature schema and its
 * missing-value and range policies become the {@code DataDictionary} and {@code MiningSchema}; the
 * score scale, calibration and master scale become output fields {@code score}, {@code margin},
 * {@code pd} and {@code grade} (and {@code reason_1..4} for a scorecard). What the PMML cannot
 * carry (reason-code texts, model id and version, provenance, feature descriptions) goes in a
 * {@code Header/Extension name="chainscore"}, so that {@link PmmlImport} restores the bundle.
 *
 * <p>The same bundle always gives the same bytes.
 */
public final class PmmlExport {
  /** Names of the output fields. */
  public static final String SCORE = "score";
  public static final String MARGIN = "margin";
  public static final String PD = "pd";
  public static final String GRADE = "grade";
  public static final String REASON_PREFIX = "reason_";
  /** Name of a segmented bundle's output field naming the segment that scored the row. */
  public static final String SEGMENT = "segment";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PmmlExport() {}

  /**
   * The PMML text of {@code bundle}.
   *
   * @throws IllegalArgumentException when the bundle holds something PMML export does not support
   *     (a raw logistic term on a categorical feature, a feature named like an output field), naming it
   */
  public static String toPmml(ModelBundle bundle) {
    boolean segmented = !bundle.segments().isEmpty();
    JsonNode doc = document(bundle);
    Xml pmml = new Xml("PMML").attr("xmlns", "http://www.dmg.org/PMML-4_4").attr("version", "4.4");
    header(pmml.add("Header"), bundle, doc);
    FeatureSchema schema = bundle.schema();
    List<String> reservedNames = new ArrayList<>(List.of(SCORE, MARGIN, PD, GRADE, "reason_1", "reason_2",
        "reason_3", "reason_4"));
    if (segmented) {
      reservedNames.add(SEGMENT);
    }
    for (String reserved : reservedNames) {
      if (schema.indexOf(reserved) >= 0) {
        throw new IllegalArgumentException("feature '" + reserved + "' has the name of a PMML output field;"
            + " PMML export needs it renamed");
      }
    }
    dataDictionary(pmml.add("DataDictionary"), schema, doc);
    if (segmented) {
      segmented(pmml, bundle, schema, doc);
    } else {
      model(pmml, bundle, schema, doc);
    }
    StringBuilder out = new StringBuilder(1 << 16);
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    pmml.write(out, 0);
    return out.toString();
  }

  /** The bundle's JSON document, with {@code "calibration": {"kind": "none"}} when it has none. */
  private static JsonNode document(ModelBundle bundle) {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(bundle.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!doc.hasNonNull("calibration")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) doc).putObject("calibration").put("kind", "none");
    }
    return doc;
  }

  /** Writes the model element of a plain (not segmented) bundle into {@code parent}. */
  private static void model(Xml parent, ModelBundle bundle, FeatureSchema schema, JsonNode doc) {
    JsonNode scale = doc.get("score_scale");
    ModelView view = ModelView.of(bundle);
    if (view instanceof ScorecardView s) {
      scorecard(parent, s, schema, doc, bundle, scale);
    } else if (view instanceof LogisticView l) {
      logistic(parent, l, schema, doc, bundle, scale);
    } else {
      trees(parent, ((TreeEnsembleView) view).ensemble(), schema, doc, bundle, scale);
    }
  }

  /** Writes {@link #toPmml} as UTF-8 to {@code file}, replacing it atomically. */
  public static void write(ModelBundle bundle, Path file) throws IOException {
    String text = toPmml(bundle);
    Path dir = file.toAbsolutePath().getParent();
    Path partial = dir.resolve("." + file.getFileName() + ".tmp");
    Files.writeString(partial, text, StandardCharsets.UTF_8);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The provenance fields {@code X-Provenance}'s attributes hold; the others are in {@code X-ProvenanceRecords}. */
  static final String[] PROVENANCE_ATTRIBUTES = {"trained_at", "training_data_sha256", "trainer"};

  private static void header(Xml header, ModelBundle bundle, JsonNode doc) {
    header.attr("copyright", "").attr("description", "ChainScore model " + bundle.modelId() + " "
        + bundle.modelVersion());
    // PMML's schema lists a Header's Extensions before its Application
    Xml ext = header.add("Extension").attr("name", "chainscore").attr("extender", "ChainScore");
    Xml model = ext.add("X-Model").attr("id", bundle.modelId()).attr("version", bundle.modelVersion());
    if (doc.has("description")) {
      model.attr("description", doc.get("description").asText());
    }
    // the refusal of rows missing too much: no PMML element says it, so the extension carries it
    // (a decision engine running this document without ChainScore scores such rows)
    if (bundle.maxMissingShare().isPresent()) {
      ext.add("X-MaxMissingShare").attr("value", bundle.maxMissingShare().getAsDouble());
    }
    JsonNode scale = doc.get("score_scale");
    ext.add("X-ScoreScale").attr("pdo", scale.get("pdo").asDouble())
        .attr("baseScore", scale.get("base_score").asDouble()).attr("baseOdds", scale.get("base_odds").asDouble());
    calibration(ext, doc.get("calibration"));
    for (MasterScale.Grade g : bundle.masterScale().grades()) {
      Xml x = ext.add("X-Grade").attr("name", g.name());
      if (g.isDefault()) {
        x.attr("default", "true");
      } else {
        x.attr("pdUpper", g.pdUpper()).attr("representativePd", g.representativePd());
      }
    }
    for (ModelBundle.ReasonCode r : bundle.reasonCodes()) {
      ext.add("X-ReasonCode").attr("code", r.code()).attr("text", r.text());
    }
    ModelBundle.ReasonReference reference = bundle.reasonReference();
    if (reference.method().equals(ModelBundle.ReasonReference.APPROVED_POPULATION)) {
      reasonReference(ext, reference);
    }
    ModelBundle.Provenance p = bundle.provenance();
    ext.add("X-Provenance").attr("trainedAt", p.trainedAt()).attr("trainingDataSha256", p.trainingDataSha256())
        .attr("trainer", p.trainer());
    // the provenance's records (the PD calibration's rating philosophy and central tendency, each
    // segment's training): the bundle's own JSON, which the importer puts back as it was
    com.fasterxml.jackson.databind.node.ObjectNode records = ((com.fasterxml.jackson.databind.node.ObjectNode)
        doc.get("provenance")).deepCopy();
    records.remove(List.of(PROVENANCE_ATTRIBUTES));
    if (!records.isEmpty()) {
      ext.add("X-ProvenanceRecords").text(records.toString());
    }
    for (JsonNode f : doc.get("features")) {
      Xml x = ext.add("X-Feature").attr("name", f.get("name").asText());
      if (f.has("unit")) {
        x.attr("unit", f.get("unit").asText());
      }
      if (f.has("reason_code")) {
        x.attr("reasonCode", f.get("reason_code").asText());
      }
      x.attr("description", f.path("description").asText(""));
    }
    header.add("Application").attr("name", "ChainScore").attr("version", "0.1.0");
  }

  /** The calibration's kind and, when logistic, its parameters (isotonic knots are in the pd output field). */
  private static void calibration(Xml ext, JsonNode cal) {
    Xml c = ext.add("X-Calibration").attr("kind", cal.get("kind").asText());
    if (cal.has("intercept")) {
      c.attr("intercept", cal.get("intercept").asDouble()).attr("slope", cal.get("slope").asDouble());
    }
  }

  /** The reasons' approved-population reference (docs/adverse-action.md); other evaluators rank reasons their own way. */
  private static void reasonReference(Xml ext, ModelBundle.ReasonReference reference) {
    Xml x = ext.add("X-ReasonReference").attr("method", reference.method())
        .attr("population", reference.population()).attr("rows", reference.rows());
    reference.contributions().forEach((code, value) -> x.add("X-Contribution").attr("code", code).attr("value", value));
  }

  private static void dataDictionary(Xml dd, FeatureSchema schema, JsonNode doc) {
    dd.attr("numberOfFields", schema.size());
    for (int j = 0; j < schema.size(); j++) {
      FeatureSpec f = schema.feature(j);
      JsonNode node = doc.get("features").get(j);
      Xml field = dd.add("DataField").attr("name", f.name());
      if (f.type() == FeatureType.CATEGORICAL) {
        field.attr("optype", "categorical").attr("dataType", "string");
        for (String code : f.categories()) {
          field.add("Value").attr("value", code);
        }
      } else {
        field.attr("optype", "continuous").attr("dataType", f.wholeNumber() ? "integer" : "double");
        boolean clamp = "clamp".equals(node.path("out_of_range").asText("reject"));
        boolean lower = Double.isFinite(f.min());
        boolean upper = Double.isFinite(f.max());
        if (!clamp && (lower || upper)) {
          Xml interval = field.add("Interval").attr("closure", "closedClosed");
          if (lower) {
            interval.attr("leftMargin", f.min());
          }
          if (upper) {
            interval.attr("rightMargin", f.max());
          }
        }
      }
    }
  }

  /** The MiningSchema: one active field per feature, with its policies. */
  private static void miningSchema(Xml parent, FeatureSchema schema, JsonNode doc) {
    Xml ms = parent.add("MiningSchema");
    for (int j = 0; j < schema.size(); j++) {
      FeatureSpec f = schema.feature(j);
      JsonNode node = doc.get("features").get(j);
      Xml mf = ms.add("MiningField").attr("name", f.name()).attr("usageType", "active");
      String missing = node.path("missing").asText("pass");
      boolean clamp = f.type() == FeatureType.NUMERIC && "clamp".equals(node.path("out_of_range").asText("reject"));
      if (clamp) {
        mf.attr("outliers", "asExtremeValues");
        if (Double.isFinite(f.min())) {
          mf.attr("lowValue", f.min());
        }
        if (Double.isFinite(f.max())) {
          mf.attr("highValue", f.max());
        }
      }
      mf.attr("invalidValueTreatment", "returnInvalid");
      if (missing.equals("reject")) {
        mf.attr("missingValueTreatment", "returnInvalid");
      } else if (missing.equals("impute")) {
        JsonNode v = node.get("impute_value");
        mf.attr("missingValueReplacement", v.isNumber() ? Numbers.format(v.asDouble()) : v.asText())
            .attr("missingValueTreatment", "asValue");
      }
    }
  }

  /**
   * The output fields shared by every kind: {@code margin} or {@code score} from the other, then
   * {@code pd} and {@code grade}.
   */
  private static void outputs(Xml output, boolean fromPoints, JsonNode scale, JsonNode calibration,
      MasterScale masterScale) {
    double pdo = scale.get("pdo").asDouble();
    double baseScore = scale.get("base_score").asDouble();
    double lnBaseOdds = Math.log(scale.get("base_odds").asDouble());
    if (fromPoints) {
      // PointsScale.marginOf: -lnBaseOdds + (points - baseScore) * (-ln 2 / pdo)
      Xml f = field(output, MARGIN, "continuous", "double");
      Xml plus = f.add("Apply").attr("function", "+");
      constant(plus, -lnBaseOdds);
      Xml times = plus.add("Apply").attr("function", "*");
      Xml minus = times.add("Apply").attr("function", "-");
      minus.add("FieldRef").attr("field", SCORE);
      constant(minus, baseScore);
      constant(times, -Math.log(2) / pdo);
    } else {
      // PointsScale.pointsOf: baseScore + (margin + lnBaseOdds) * (-pdo / ln 2)
      Xml f = field(output, SCORE, "continuous", "double");
      Xml plus = f.add("Apply").attr("function", "+");
      constant(plus, baseScore);
      Xml times = plus.add("Apply").attr("function", "*");
      Xml inner = times.add("Apply").attr("function", "+");
      inner.add("FieldRef").attr("field", MARGIN);
      constant(inner, lnBaseOdds);
      constant(times, -pdo / Math.log(2));
    }
    Xml pd = field(output, PD, "continuous", "double");
    String kind = calibration.get("kind").asText();
    if (kind.equals("isotonic")) {
      Xml norm = pd.add("NormContinuous").attr("field", MARGIN).attr("outliers", "asExtremeValues");
      JsonNode margins = calibration.get("margins");
      JsonNode pds = calibration.get("pds");
      for (int i = 0; i < margins.size(); i++) {
        norm.add("LinearNorm").attr("orig", margins.get(i).asDouble()).attr("norm", pds.get(i).asDouble());
      }
    } else {
      // 1 / (1 + exp(-(intercept + slope * margin))); kind none: intercept 0, slope 1
      Xml div = pd.add("Apply").attr("function", "/");
      constant(div, 1);
      Xml plus = div.add("Apply").attr("function", "+");
      constant(plus, 1);
      Xml exp = plus.add("Apply").attr("function", "exp");
      Xml neg = exp.add("Apply").attr("function", "*");
      constant(neg, -1);
      if (kind.equals("logistic")) {
        Xml lin = neg.add("Apply").attr("function", "+");
        constant(lin, calibration.get("intercept").asDouble());
        Xml t = lin.add("Apply").attr("function", "*");
        constant(t, calibration.get("slope").asDouble());
        t.add("FieldRef").attr("field", MARGIN);
      } else {
        neg.add("FieldRef").attr("field", MARGIN);
      }
    }
    Xml grade = field(output, GRADE, "categorical", "string");
    Xml disc = grade.add("Discretize").attr("field", PD);
    List<MasterScale.Grade> grades = masterScale.grades();
    for (int g = 0; g < grades.size(); g++) {
      MasterScale.Grade gr = grades.get(g);
      if (gr.isDefault()) {
        continue;
      }
      boolean last = g + 1 < grades.size() && grades.get(g + 1).isDefault();
      disc.add("DiscretizeBin").attr("binValue", gr.name()).add("Interval")
          .attr("closure", last ? "closedClosed" : "closedOpen").attr("leftMargin", gr.pdLower())
          .attr("rightMargin", gr.pdUpper());
    }
  }

  private static Xml field(Xml output, String name, String optype, String dataType) {
    return output.add("OutputField").attr("name", name).attr("optype", optype).attr("dataType", dataType)
        .attr("feature", "transformedValue");
  }

  private static void constant(Xml parent, double v) {
    parent.add("Constant").attr("dataType", "double").text(Numbers.format(v));
  }

  // ---------------------------------------------------------------- segmented

  /**
   * One routing rule of a segmented bundle (its {@code when}), as the exporter and the importer
   * read it.
   *
   * @param feature the feature it tests
   * @param op {@code <}, {@code <=}, {@code >}, {@code >=}, {@code ==}, {@code !=} or {@code in}
   * @param value the number compared with (NaN for {@code in})
   * @param values the categories of {@code in} (empty otherwise)
   * @param missing the segment a missing value goes to, or null to refuse the row
   */
  record Rule(String feature, String op, double value, List<String> values, String missing) {}

  /** A rule's {@code missing} sending rows missing its feature on to the next rule (not a segment name). */
  static final String NEXT = io.chainscore.scoring.spi.SegmentedView.MISSING_TO_NEXT_RULE;

  /** PMML's SimplePredicate operator of each rule operator, and of its negation. */
  static final java.util.Map<String, String[]> OPERATORS = java.util.Map.of(
      "<", new String[] {"lessThan", "greaterOrEqual"}, "<=", new String[] {"lessOrEqual", "greaterThan"},
      ">", new String[] {"greaterThan", "lessOrEqual"}, ">=", new String[] {"greaterOrEqual", "lessThan"},
      "==", new String[] {"equal", "notEqual"}, "!=", new String[] {"notEqual", "equal"});

  /**
   * A segmented bundle as a {@code MiningModel} whose {@code Segmentation} selects the first segment
   * whose predicate is true ({@code selectFirst}): one {@code Segment} per segment, with the id of
   * the segment's name, the routing of {@link #routing} as its predicate and the model its
   * standalone bundle exports to, with that bundle's own output fields; the segment's calibration
   * in a {@code chainscore-segment} extension, with the segment's own approved-population reason
   * reference when it has one (the shared parts are in the header's). The MiningModel
   * itself reads every feature without missing-value or outlier treatment, since routing reads the
   * row before the feature policies, which each segment's own MiningSchema applies; a value outside
   * a rejecting feature's valid range is invalid there already (JPMML checks validity once, at the
   * outer model), as every segment refuses it. Its one output field, {@code segment}, is the
   * selected segment's id ({@code entityId}).
   */
  private static void segmented(Xml pmml, ModelBundle bundle, FeatureSchema schema, JsonNode doc) {
    Xml mm = pmml.add("MiningModel").attr("modelName", bundle.modelId()).attr("functionName", "regression");
    Xml ms = mm.add("MiningSchema");
    for (int j = 0; j < schema.size(); j++) {
      ms.add("MiningField").attr("name", schema.feature(j).name()).attr("usageType", "active")
          .attr("invalidValueTreatment", "returnInvalid");
    }
    mm.add("Output").add("OutputField").attr("name", SEGMENT).attr("optype", "categorical")
        .attr("dataType", "string").attr("feature", "entityId");
    List<Rule> rules = rules(doc);
    List<ModelBundle.Segment> segments = bundle.segments();
    List<String> names = segments.stream().map(ModelBundle.Segment::name).toList();
    Xml segmentation = mm.add("Segmentation").attr("multipleModelMethod", "selectFirst");
    for (int s = 0; s < segments.size(); s++) {
      ModelBundle child = segments.get(s).bundle();
      JsonNode childDoc = document(child);
      Xml segment = segmentation.add("Segment").attr("id", names.get(s));
      Xml ext = segment.add("Extension").attr("name", "chainscore-segment").attr("extender", "ChainScore");
      calibration(ext, childDoc.get("calibration"));
      ModelBundle.ReasonReference own = child.reasonReference();
      if (own.method().equals(ModelBundle.ReasonReference.APPROVED_POPULATION)
          && !own.equals(bundle.reasonReference())) {
        // a segment measured against its own approved population (train --segment of trees)
        reasonReference(ext, own);
      }
      segment.add(routing(rules, names, s));
      model(segment, child, schema, childDoc);
    }
  }

  /** The routing rules of a segmented bundle's document, one per segment but the last. */
  private static List<Rule> rules(JsonNode doc) {
    List<Rule> rules = new ArrayList<>();
    JsonNode list = doc.get("model").get("segments");
    for (int s = 0; s + 1 < list.size(); s++) {
      JsonNode when = list.get(s).get("when");
      List<String> values = new ArrayList<>();
      when.path("values").forEach(v -> values.add(v.asText()));
      rules.add(new Rule(when.get("feature").asText(), when.get("op").asText(),
          when.has("value") ? when.get("value").asDouble() : Double.NaN, values,
          when.has("missing") ? when.get("missing").asText() : null));
    }
    return rules;
  }

  /**
   * The predicate of segment {@code s}: true exactly for the rows the runtime routes to it, so that
   * the predicates of the segments exclude each other and do not depend on {@code selectFirst}'s
   * order. With {@code reached(i)} the conjunction of the negations of rules {@code 0..i-1} (each a
   * comparison, which PMML evaluates as unknown when its field is missing, so a row missing an
   * earlier rule's feature never reaches rule i), the predicate is the disjunction of {@code
   * reached(s) and rule s} ({@code reached(last)} for the last segment) and, for each rule {@code i}
   * whose missing values go to segment s, {@code reached(i) and isMissing(feature of i)}. A rule
   * whose missing values go on to the next rule ({@code "missing": "next"}) is passed, in {@code
   * reached}, by its negation or its feature missing. A row missing the feature of a rule that
   * names neither a segment nor the next rule for it matches no predicate: the {@code MiningModel}
   * has no result for it, as the runtime refuses it ({@code NO_SEGMENT}).
   */
  static Xml routing(List<Rule> rules, List<String> names, int s) {
    List<Xml> branches = new ArrayList<>();
    List<Xml> own = new ArrayList<>();
    for (int j = 0; j < Math.min(s, rules.size()); j++) {
      own.add(passed(rules.get(j)));
    }
    if (s < rules.size()) {
      own.add(test(rules.get(s), false));
    }
    branches.add(compound("and", own));
    for (int i = 0; i < rules.size(); i++) {
      if (names.get(s).equals(rules.get(i).missing())) {
        List<Xml> missing = new ArrayList<>();
        for (int j = 0; j < i; j++) {
          missing.add(passed(rules.get(j)));
        }
        missing.add(new Xml("SimplePredicate").attr("field", rules.get(i).feature()).attr("operator", "isMissing"));
        branches.add(compound("and", missing));
      }
    }
    return compound("or", branches);
  }

  /**
   * That a row went past rule r: its negation, or with {@code "missing": "next"} the negation or
   * the rule's feature missing ({@code or(negation, isMissing)}).
   */
  private static Xml passed(Rule r) {
    Xml negation = test(r, true);
    if (!NEXT.equals(r.missing())) {
      return negation;
    }
    return compound("or", List.of(negation,
        new Xml("SimplePredicate").attr("field", r.feature()).attr("operator", "isMissing")));
  }

  /** A rule's test, or its negation: unknown (not false) for a missing value either way. */
  private static Xml test(Rule r, boolean negate) {
    if (r.op().equals("in")) {
      Xml p = new Xml("SimpleSetPredicate").attr("field", r.feature()).attr("booleanOperator",
          negate ? "isNotIn" : "isIn");
      p.add("Array").attr("n", r.values().size()).attr("type", "string").text(stringArray(r.values()));
      return p;
    }
    return new Xml("SimplePredicate").attr("field", r.feature())
        .attr("operator", OPERATORS.get(r.op())[negate ? 1 : 0]).attr("value", r.value());
  }

  /** {@code parts} joined by a CompoundPredicate, or the one part alone. */
  private static Xml compound(String operator, List<Xml> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Xml c = new Xml("CompoundPredicate").attr("booleanOperator", operator);
    parts.forEach(c::add);
    return c;
  }

  // ---------------------------------------------------------------- scorecard

  private static void scorecard(Xml pmml, ScorecardView s, FeatureSchema schema, JsonNode doc, ModelBundle bundle,
      JsonNode scale) {
    Xml sc = pmml.add("Scorecard").attr("modelName", bundle.modelId()).attr("functionName", "regression")
        .attr("initialScore", s.basePoints()).attr("useReasonCodes", "true")
        .attr("reasonCodeAlgorithm", "pointsBelow").attr("baselineMethod", "max");
    miningSchema(sc, schema, doc);
    Xml output = sc.add("Output");
    output.add("OutputField").attr("name", SCORE).attr("optype", "continuous").attr("dataType", "double")
        .attr("feature", "predictedValue");
    outputs(output, true, scale, doc.get("calibration"), bundle.masterScale());
    for (int k = 1; k <= 4; k++) {
      output.add("OutputField").attr("name", REASON_PREFIX + k).attr("optype", "categorical")
          .attr("dataType", "string").attr("feature", "reasonCode").attr("rank", k);
    }
    // JPMML ranks equal reason totals by first appearance; ChainScore by the reason-code table.
    // Listing characteristics by their code's place in the table (stable) makes both agree.
    List<String> codeOrder = bundle.reasonCodes().stream().map(ModelBundle.ReasonCode::code).toList();
    List<Characteristic> ordered = new ArrayList<>(s.characteristics());
    ordered.sort(Comparator.comparingInt(c -> codeOrder.indexOf(c.reasonCode())));
    Xml chars = sc.add("Characteristics");
    for (Characteristic c : ordered) {
      FeatureSpec f = schema.feature(schema.indexOf(c.feature()));
      double best = Double.NEGATIVE_INFINITY;
      for (Bin b : c.bins()) {
        best = Math.max(best, b.value());
      }
      Xml ch = chars.add("Characteristic").attr("name", c.name()).attr("reasonCode", c.reasonCode())
          .attr("baselineScore", best);
      binAttributes(ch, c, f, "Attribute", "partialScore");
    }
  }

  /**
   * One element per bin in the runtime's lookup order: the missing bin, special values, then
   * categories or intervals (written from the inner edges, as the runtime looks them up: the first
   * interval is open below and the last open above).
   */
  private static void binAttributes(Xml parent, Characteristic c, FeatureSpec f, String element, String valueName) {
    String field = f.name();
    for (Bin b : c.bins()) {
      if (b instanceof Bin.Missing) {
        parent.add(element).attr(valueName, b.value()).add("SimplePredicate").attr("field", field)
            .attr("operator", "isMissing");
      }
    }
    for (Bin b : c.bins()) {
      if (b instanceof Bin.Special sp) {
        Xml a = parent.add(element).attr(valueName, b.value());
        Xml target = sp.values().size() == 1 ? a : a.add("CompoundPredicate").attr("booleanOperator", "or");
        for (double v : sp.values()) {
          target.add("SimplePredicate").attr("field", field).attr("operator", "equal").attr("value", v);
        }
      }
    }
    List<Bin.Range> ranges = new ArrayList<>();
    for (Bin b : c.bins()) {
      if (b instanceof Bin.Categories cat) {
        Xml a = parent.add(element).attr(valueName, b.value());
        Xml set = a.add("SimpleSetPredicate").attr("field", field).attr("booleanOperator", "isIn");
        set.add("Array").attr("n", cat.categories().size()).attr("type", "string").text(stringArray(cat.categories()));
      } else if (b instanceof Bin.Range r) {
        ranges.add(r);
      }
    }
    for (int i = 0; i < ranges.size(); i++) {
      Bin.Range r = ranges.get(i);
      Xml a = parent.add(element).attr(valueName, r.value());
      boolean hasLower = i > 0;
      boolean hasUpper = i < ranges.size() - 1;
      if (!hasLower && !hasUpper) {
        // one interval: every non-missing value (x == x), written as a predicate that is unknown
        // for a missing value like the others
        Xml and = a.add("CompoundPredicate").attr("booleanOperator", "or");
        and.add("SimplePredicate").attr("field", field).attr("operator", "lessThan").attr("value", 0);
        and.add("SimplePredicate").attr("field", field).attr("operator", "greaterOrEqual").attr("value", 0);
        continue;
      }
      Xml target = hasLower && hasUpper ? a.add("CompoundPredicate").attr("booleanOperator", "and") : a;
      if (hasLower) {
        target.add("SimplePredicate").attr("field", field).attr("operator", "greaterOrEqual")
            .attr("value", r.lower());
      }
      if (hasUpper) {
        target.add("SimplePredicate").attr("field", field).attr("operator", "lessThan").attr("value", r.upper());
      }
    }
  }

  /** A PMML string array: every entry quoted, {@code "} and {@code \} escaped with a backslash. */
  static String stringArray(List<String> values) {
    StringBuilder b = new StringBuilder();
    for (String v : values) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- logistic

  private static void logistic(Xml pmml, LogisticView l, FeatureSchema schema, JsonNode doc, ModelBundle bundle,
      JsonNode scale) {
    for (LogisticView.Term t : l.terms()) {
      if (t.woe() == null && schema.feature(schema.indexOf(t.feature())).type() == FeatureType.CATEGORICAL) {
        throw new IllegalArgumentException("logistic term on categorical feature '" + t.feature()
            + "' without weight-of-evidence bins: PMML export supports numeric raw terms and WoE terms");
      }
    }
    Xml rm = pmml.add("RegressionModel").attr("modelName", bundle.modelId()).attr("functionName", "regression")
        .attr("normalizationMethod", "none");
    miningSchema(rm, schema, doc);
    Xml output = rm.add("Output");
    output.add("OutputField").attr("name", MARGIN).attr("optype", "continuous").attr("dataType", "double")
        .attr("feature", "predictedValue");
    outputs(output, false, scale, doc.get("calibration"), bundle.masterScale());
    Xml local = null;
    for (int k = 0; k < l.terms().size(); k++) {
      LogisticView.Term t = l.terms().get(k);
      if (t.woe() != null) {
        if (local == null) {
          local = rm.add("LocalTransformations");
        }
        Xml derived = local.add("DerivedField").attr("name", woeFieldName(k, t.feature())).attr("optype", "continuous")
            .attr("dataType", "double");
        woeExpression(derived, t.woe(), schema.feature(schema.indexOf(t.feature())));
      }
    }
    Xml table = rm.add("RegressionTable").attr("intercept", l.intercept());
    for (int k = 0; k < l.terms().size(); k++) {
      LogisticView.Term t = l.terms().get(k);
      String name = t.woe() == null ? t.feature() : woeFieldName(k, t.feature());
      table.add("NumericPredictor").attr("name", name).attr("exponent", 1).attr("coefficient", t.coefficient());
    }
    // reason-code references are kept for the importer (contributions are measured from them)
    Xml ext = rm.add("Extension").attr("name", "chainscore-terms").attr("extender", "ChainScore");
    for (LogisticView.Term t : l.terms()) {
      ext.add("X-Term").attr("feature", t.feature()).attr("reference", t.reference()).attr("reasonCode", t.reasonCode());
    }
    // The Extension must precede the other content of a model element in PMML's schema.
    rm.children.remove(ext);
    rm.children.add(0, ext);
  }

  /** Name of the derived field holding term k's weight of evidence. */
  static String woeFieldName(int k, String feature) {
    return "woe_" + k + "_" + feature;
  }

  /**
   * A WoE binning as nested {@code if} applications in the runtime's lookup order: missing,
   * special values, then categories or intervals (from the inner edges).
   */
  private static void woeExpression(Xml parent, Characteristic c, FeatureSpec f) {
    List<Object[]> cases = new ArrayList<>(); // {condition builder, value}
    String field = f.name();
    for (Bin b : c.bins()) {
      if (b instanceof Bin.Missing) {
        Xml cond = new Xml("Apply").attr("function", "isMissing");
        cond.add("FieldRef").attr("field", field);
        cases.add(new Object[] {cond, b.value()});
      }
    }
    for (Bin b : c.bins()) {
      if (b instanceof Bin.Special sp) {
        Xml cond = new Xml("Apply").attr("function", "isIn");
        cond.add("FieldRef").attr("field", field);
        for (double v : sp.values()) {
          constant(cond, v);
        }
        cases.add(new Object[] {cond, b.value()});
      }
    }
    List<Bin.Range> ranges = new ArrayList<>();
    for (Bin b : c.bins()) {
      if (b instanceof Bin.Categories cat) {
        Xml cond = new Xml("Apply").attr("function", "isIn");
        cond.add("FieldRef").attr("field", field);
        for (String code : cat.categories()) {
          cond.add("Constant").attr("dataType", "string").text(code);
        }
        cases.add(new Object[] {cond, b.value()});
      } else if (b instanceof Bin.Range r) {
        ranges.add(r);
      }
    }
    for (int i = 0; i + 1 < ranges.size(); i++) {
      Xml cond = new Xml("Apply").attr("function", "lessThan");
      cond.add("FieldRef").attr("field", field);
      constant(cond, ranges.get(i).upper());
      cases.add(new Object[] {cond, ranges.get(i).value()});
    }
    // the last interval (numeric) or the last category bin (categorical: every valid category is
    // in a bin, so the last bin's condition is implied) is the final else
    double otherwise = ranges.isEmpty() ? (Double) cases.remove(cases.size() - 1)[1]
        : ranges.get(ranges.size() - 1).value();
    Xml at = parent;
    for (Object[] k : cases) {
      Xml ifApply = at.add("Apply").attr("function", "if");
      ifApply.add((Xml) k[0]);
      constant(ifApply, (Double) k[1]);
      at = ifApply;
    }
    constant(at, otherwise);
  }

  // ---------------------------------------------------------------- trees

  private static void trees(Xml pmml, TreeEnsemble e, FeatureSchema schema, JsonNode doc, ModelBundle bundle,
      JsonNode scale) {
    boolean float32 = e.precision() == TreeEnsemble.Precision.FLOAT32;
    Xml mm = pmml.add("MiningModel").attr("modelName", bundle.modelId()).attr("functionName", "regression");
    if (float32) {
      // JPMML's extension: the segments' sum is accumulated in float32, as XGBoost does
      mm.attr("x-mathContext", "float");
    }
    Xml ext = mm.add("Extension").attr("name", "chainscore-trees").attr("extender", "ChainScore");
    ext.add("X-Ensemble").attr("precision", e.precision().name()).attr("link", e.link().name())
        .attr("sigmoidScale", e.sigmoidScale()).attr("source", e.source());
    miningSchema(mm, schema, doc);
    Xml output = mm.add("Output");
    output.add("OutputField").attr("name", MARGIN).attr("optype", "continuous").attr("dataType", "double")
        .attr("feature", "predictedValue");
    outputs(output, false, scale, doc.get("calibration"), bundle.masterScale());
    // schema column and spec of each model feature (by name, else by the normalised name, as
    // TreeEnsemble.compile resolves them)
    int[] column = new int[e.featureNames().size()];
    for (int f = 0; f < column.length; f++) {
      String name = e.featureNames().get(f);
      int c = schema.indexOf(name);
      column[f] = c >= 0 ? c : schema.indexOf(TreeEnsemble.schemaName(name));
    }
    Xml seg = mm.add("Segmentation").attr("multipleModelMethod", "sum")
        .attr("missingPredictionTreatment", "returnMissing");
    // The base margin is the first segment, so the sum starts from it as the runtime's does.
    Xml base = seg.add("Segment").attr("id", "base");
    base.add("True");
    Xml baseTree = treeModel(base, float32);
    // PMML's schema wants at least one MiningField; the constant tree reads none
    baseTree.add("MiningSchema").add("MiningField").attr("name", schema.feature(0).name());
    baseTree.add("Node").attr("id", "0").attr("score", e.baseMargin()).add("True");
    List<DecisionTree> trees = e.trees();
    for (int t = 0; t < trees.size(); t++) {
      DecisionTree tree = trees.get(t);
      Xml segment = seg.add("Segment").attr("id", Integer.toString(t));
      segment.add("True");
      Xml tm = treeModel(segment, float32);
      Xml tms = tm.add("MiningSchema");
      java.util.TreeSet<Integer> used = new java.util.TreeSet<>();
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (!tree.isLeaf(i)) {
          used.add(column[tree.splitFeature(i)]);
        }
      }
      if (used.isEmpty()) {
        used.add(0); // a one-leaf tree reads nothing; PMML's schema wants a MiningField
      }
      for (int c : used) {
        tms.add("MiningField").attr("name", schema.feature(c).name());
      }
      Xml root = tm.add("Node");
      node(root, tree, 0, null, e, schema, column, float32, "t" + t);
    }
  }

  /**
   * "The value is one of {@code codes}"; for no codes, "not one of all codes", which is false for
   * every valid value and, unlike PMML's {@code False}, unknown for a missing one, so that missing
   * values still take the default child.
   */
  private static Xml setPredicate(String field, List<String> codes, FeatureSpec f) {
    boolean none = codes.isEmpty();
    List<String> listed = none ? f.categories() : codes;
    Xml p = new Xml("SimpleSetPredicate").attr("field", field).attr("booleanOperator", none ? "isNotIn" : "isIn");
    p.add("Array").attr("n", listed.size()).attr("type", "string").text(stringArray(listed));
    return p;
  }

  private static Xml treeModel(Xml segment, boolean float32) {
    Xml tm = segment.add("TreeModel").attr("functionName", "regression")
        .attr("missingValueStrategy", "defaultChild").attr("noTrueChildStrategy", "returnLastPrediction")
        .attr("splitCharacteristic", "binarySplit");
    if (float32) {
      tm.attr("x-mathContext", "float");
    }
    return tm;
  }

  /**
   * Writes node i into {@code x} (already created), with {@code predicate} (null: True) as its
   * predicate. Nested iteratively would be nicer; trees are at most {@link DecisionTree#MAX_DEPTH}
   * deep, so recursion is bounded.
   */
  private static void node(Xml x, DecisionTree tree, int i, Xml predicate, TreeEnsemble e, FeatureSchema schema,
      int[] column, boolean float32, String path) {
    x.attr("id", Integer.toString(i));
    if (tree.isLeaf(i)) {
      double v = tree.leafValue(i) * tree.weight();
      x.attr("score", float32 ? (double) (float) v : v);
    }
    x.attr("recordCount", tree.cover(i));
    if (tree.isLeaf(i)) {
      x.add(predicate == null ? new Xml("True") : predicate);
      return;
    }
    FeatureSpec f = schema.feature(column[tree.splitFeature(i)]);
    String field = f.name();
    int left = tree.leftChild(i);
    int right = tree.rightChild(i);
    Xml leftPredicate;
    boolean missingLeft;
    if (tree.isCategorical(i)) {
      if (f.type() != FeatureType.CATEGORICAL) {
        throw new IllegalArgumentException(path + " node " + i + ": categorical split on numeric feature " + field);
      }
      // categories (indexes into the feature's codes) that go left
      int[] set = tree.categories(i);
      java.util.BitSet in = new java.util.BitSet();
      for (int k : set) {
        in.set(k);
      }
      List<String> leftCodes = new ArrayList<>();
      for (int k = 0; k < f.categories().size(); k++) {
        // XGBoost (float32): members go right; LightGBM (float64): members go left
        boolean member = in.get(k);
        if (float32 != member) {
          leftCodes.add(f.categories().get(k));
        }
      }
      leftPredicate = setPredicate(field, leftCodes, f);
      DecisionTree.MissingRule rule = tree.missingRule(i);
      if (!float32) {
        missingLeft = false; // LightGBM: NaN goes right at a categorical split
      } else if (rule == DecisionTree.MissingRule.NAN_AS_ZERO) {
        missingLeft = !in.get(0);
      } else {
        missingLeft = tree.defaultLeft(i);
      }
    } else {
      double t = tree.threshold(i);
      double bound = float32 ? Thresholds.float32LessThanBound((float) t) : Thresholds.lightgbmLessThanBound(t);
      DecisionTree.MissingRule rule = tree.missingRule(i);
      Xml less = new Xml("SimplePredicate").attr("field", field).attr("operator", "lessThan").attr("value", bound);
      if (f.type() == FeatureType.CATEGORICAL) {
        // a numeric split on a category index (Smile's ordinal splits): the codes whose index goes
        // left, as a set; a PMML categorical field cannot be compared with a number
        missingLeft = rule == DecisionTree.MissingRule.NAN_AS_ZERO ? 0.0 < bound : tree.defaultLeft(i);
        List<String> leftCodes = new ArrayList<>();
        for (int k = 0; k < f.categories().size(); k++) {
          boolean goesLeft = k == 0 && rule == DecisionTree.MissingRule.ZERO_AND_NAN_TO_DEFAULT ? missingLeft : k < bound;
          if (goesLeft) {
            leftCodes.add(f.categories().get(k));
          }
        }
        leftPredicate = setPredicate(field, leftCodes, f);
      } else if (rule == DecisionTree.MissingRule.ZERO_AND_NAN_TO_DEFAULT) {
        // |x| <= 1e-35f goes where missing values go, other values compare
        double z = Thresholds.ZERO_THRESHOLD;
        Xml zero = new Xml("CompoundPredicate").attr("booleanOperator", "and");
        zero.add("SimplePredicate").attr("field", field).attr("operator", "greaterOrEqual").attr("value", -z);
        zero.add("SimplePredicate").attr("field", field).attr("operator", "lessOrEqual").attr("value", z);
        missingLeft = tree.defaultLeft(i);
        if (missingLeft) {
          leftPredicate = new Xml("CompoundPredicate").attr("booleanOperator", "or");
          leftPredicate.add(zero);
          leftPredicate.add(less);
        } else {
          leftPredicate = new Xml("CompoundPredicate").attr("booleanOperator", "and");
          Xml notZero = leftPredicate.add("CompoundPredicate").attr("booleanOperator", "or");
          notZero.add("SimplePredicate").attr("field", field).attr("operator", "lessThan").attr("value", -z);
          notZero.add("SimplePredicate").attr("field", field).attr("operator", "greaterThan").attr("value", z);
          leftPredicate.add(less);
        }
      } else if (rule == DecisionTree.MissingRule.NAN_AS_ZERO) {
        leftPredicate = less;
        missingLeft = 0.0 < bound;
      } else {
        leftPredicate = less;
        missingLeft = tree.defaultLeft(i);
      }
    }
    x.attr("defaultChild", Integer.toString(missingLeft ? left : right));
    x.add(predicate == null ? new Xml("True") : predicate);
    node(x.add("Node"), tree, left, leftPredicate, e, schema, column, float32, path);
    node(x.add("Node"), tree, right, new Xml("True"), e, schema, column, float32, path);
  }
}

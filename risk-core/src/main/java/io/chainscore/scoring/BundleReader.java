package io.chainscore.scoring;

import io.chainscore.scoring.spi.CompiledModel;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.spi.PointsScale;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks the top-level sections of a bundle document and compiles its model. The result
 * holds only resolved, primitive-array structures plus the descriptive records.
 */
final class BundleReader {
  static final String FORMAT = "chainscore-model-bundle";
  static final int FORMAT_VERSION = 1;
  static final int MAX_FEATURES = 10_000;
  static final int MAX_CATEGORIES = 10_000;
  static final int MAX_GRADES = 100;
  static final int MAX_REASON_CODES = 10_000;
  static final int MAX_GOLDEN_ROWS = 10_000;
  static final int MAX_ISOTONIC_KNOTS = 100_000;
  /** Golden rows must reproduce their points to this absolute tolerance. */
  static final double GOLDEN_POINTS_TOLERANCE = 1e-6;
  /** Golden rows must reproduce their PD to this absolute tolerance. */
  static final double GOLDEN_PD_TOLERANCE = 1e-9;

  private static final Set<String> TOP_KEYS = Set.of("format", "format_version", "model_id", "model_version",
      "description", "features", "score_scale", "model", "calibration", "master_scale", "reason_codes",
      "provenance", "golden_rows", "sha256", "max_missing_share", "reason_reference");
  private static final Set<String> FEATURE_KEYS = Set.of("name", "type", "unit", "description", "min", "max",
      "categories", "missing", "impute_value", "out_of_range", "reason_code", "whole_number");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** One golden row: an input and the outputs the bundle promises for it. */
  record GoldenRow(String path, double[] features, double points, double pd, String grade, List<String> reasonCodes) {}

  /** Everything a scorer needs, resolved. */
  record Content(
      int formatVersion,
      String modelId,
      String modelVersion,
      String modelKind,
      FeatureSchema schema,
      RowGuard guard,
      CompiledModel model,
      ScorecardModel scorecard,
      int[] columnReasonCodes,
      PointsScale scale,
      Calibration calibration,
      MasterScale masterScale,
      List<ModelBundle.ReasonCode> reasonCodes,
      ModelBundle.Provenance provenance,
      ModelBundle.PdCalibrationRecord pdCalibration,
      List<ModelBundle.SegmentTraining> segmentTraining,
      List<GoldenRow> goldenRows,
      io.chainscore.scoring.spi.ModelView view,
      java.util.OptionalDouble maxMissingShare,
      ModelBundle.ReasonReference reasonReference,
      double[] reasonOffsets,
      SegmentedModel segmented) {

    void verifyGoldenRows(Scorer scorer) throws ModelFormatException {
      for (GoldenRow golden : goldenRows) {
        ScoreResult actual;
        try {
          actual = scorer.score(golden.features());
        } catch (ScoringException e) {
          throw new ModelFormatException(golden.path(), "golden row is refused by the feature policies: " + e.getMessage());
        }
        String problem = null;
        if (!(Math.abs(actual.points() - golden.points()) <= GOLDEN_POINTS_TOLERANCE)) {
          problem = "points " + actual.points() + " but expected " + golden.points() + " (tolerance " + GOLDEN_POINTS_TOLERANCE + ")";
        } else if (!(Math.abs(actual.pd() - golden.pd()) <= GOLDEN_PD_TOLERANCE)) {
          problem = "pd " + actual.pd() + " but expected " + golden.pd() + " (tolerance " + GOLDEN_PD_TOLERANCE + ")";
        } else if (!actual.grade().equals(golden.grade())) {
          problem = "grade " + actual.grade() + " but expected " + golden.grade();
        } else if (!actual.reasonCodes().equals(golden.reasonCodes())) {
          problem = "reason codes " + actual.reasonCodes() + " but expected " + golden.reasonCodes();
        }
        if (problem != null) {
          throw new ModelFormatException(golden.path(), "golden row re-scored to " + problem);
        }
      }
    }
  }

  private BundleReader() {}

  static Content read(JsonNode root) throws ModelFormatException {
    // what the document is and which version of the format, before anything the version may change:
    // a newer format's new top-level field was refused as an unknown field (a typo, or a damaged
    // bundle, to the reader of the message), never reaching the version check meant for it
    String format = Json.text(root, "", "format");
    if (!format.equals(FORMAT)) {
      throw new ModelFormatException("format", "expected \"" + FORMAT + "\", got \"" + format + "\"");
    }
    JsonNode version = root.get("format_version");
    if (version != null && version.canConvertToLong() && version.isIntegralNumber()
        && version.longValue() != FORMAT_VERSION) {
      // "expected an integer in [1, 1]" read as a range error; the likely cause is a newer writer
      throw new ModelFormatException("format_version", "this reader reads format_version " + FORMAT_VERSION
          + " bundles, got " + version.longValue() + " (written by a newer ChainScore?)");
    }
    int formatVersion = Json.integer(root, "", "format_version", FORMAT_VERSION, FORMAT_VERSION);
    Json.onlyKeys(root, "", TOP_KEYS);
    String modelId = name(root, "", "model_id");
    String modelVersion = name(root, "", "model_version");
    Json.optText(root, "", "description", "");

    List<ModelBundle.ReasonCode> reasonCodes = reasonCodes(Json.required(root, "", "reason_codes"));
    Map<String, Integer> reasonIndex = new HashMap<>();
    for (int i = 0; i < reasonCodes.size(); i++) {
      reasonIndex.put(reasonCodes.get(i).code(), i);
    }

    JsonNode featuresNode = Json.array(Json.required(root, "", "features"), "features", 1, MAX_FEATURES);
    List<FeatureSpec> specs = new ArrayList<>(featuresNode.size());
    byte[] missing = new byte[featuresNode.size()];
    double[] impute = new double[featuresNode.size()];
    byte[] range = new byte[featuresNode.size()];
    int[] featureReasonCodes = new int[featuresNode.size()];
    Set<String> names = new HashSet<>();
    for (int j = 0; j < featuresNode.size(); j++) {
      FeatureSpec spec = feature(featuresNode.get(j), Json.at("features", j), missing, impute, range,
          featureReasonCodes, reasonIndex, j);
      if (!names.add(spec.name())) {
        throw new ModelFormatException(Json.at(Json.at("features", j), "name"), "duplicate feature name " + spec.name());
      }
      specs.add(spec);
    }
    FeatureSchema schema = FeatureSchema.of(specs);
    java.util.OptionalDouble maxMissingShare = maxMissingShare(root);
    PointsScale scale = scale(Json.required(root, "", "score_scale"));

    JsonNode modelNode = Json.object(Json.required(root, "", "model"), "model");
    if (SegmentedModel.KIND.equals(Json.text(modelNode, "model", "kind"))) {
      return segmented(root, modelNode, formatVersion, modelId, modelVersion, schema, missing, impute, range,
          featureReasonCodes, scale, reasonCodes, reasonIndex, maxMissingShare);
    }
    ModelCompiler.Context context = new ModelCompiler.Context(schema, missing, scale, reasonIndex);
    CompiledModel model = ModelCompiler.compile(modelNode, "model", context);
    String kind = modelNode.get("kind").textValue();
    ScorecardModel scorecard = model instanceof ScorecardModel s ? s : null;
    RowGuard guard = new RowGuard(schema, missing, impute, range, model.usedColumns(), maxMissingShare.orElse(1.0));
    int[] columnReasonCodes = model instanceof LogisticModel
        ? ModelCompiler.columnReasonCodes(SpecReader.logistic(modelNode, "model"), context)
        : featureReasonCodes;
    // The reports' view of the model, from the checked document (the compiler accepted it above).
    io.chainscore.scoring.spi.ModelView view = switch (kind) {
      case "scorecard" -> SpecViews.scorecard(SpecReader.scorecard(modelNode, "model"));
      case "logistic" -> SpecViews.logistic(SpecReader.logistic(modelNode, "model"));
      default -> SpecViews.trees(model);
    };

    Sections sections = sections(root, schema, reasonIndex);
    if (!sections.segmentTraining().isEmpty()) {
      // the segments' training record names segments this model does not have
      throw new ModelFormatException("provenance.segments", "a record of segments' training, but the model ("
          + kind + ") is not segmented");
    }
    Calibration calibration = sections.calibration();
    MasterScale masterScale = sections.masterScale();
    ModelBundle.Provenance provenance = sections.provenance();
    List<GoldenRow> golden = sections.golden();
    ModelBundle.ReasonReference reference = reasonReference(root, kind, reasonCodes);
    double[] offsets = new double[reasonCodes.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = reference.contributions().getOrDefault(reasonCodes.get(i).code(), 0.0);
    }
    return new Content(formatVersion, modelId, modelVersion, kind, schema, guard, model, scorecard,
        columnReasonCodes, scale, calibration, masterScale, reasonCodes, provenance, sections.pdCalibration(),
        sections.segmentTraining(), golden, view, maxMissingShare, reference, offsets, null);
  }

  /** The sections every bundle has beside its model, whatever the model's kind. */
  private record Sections(Calibration calibration, MasterScale masterScale, ModelBundle.Provenance provenance,
      ModelBundle.PdCalibrationRecord pdCalibration, List<ModelBundle.SegmentTraining> segmentTraining,
      List<GoldenRow> golden) {}

  private static Sections sections(JsonNode root, FeatureSchema schema, Map<String, Integer> reasonIndex)
      throws ModelFormatException {
    Calibration calibration = root.has("calibration") ? calibration(root.get("calibration")) : Calibration.none();
    MasterScale masterScale = masterScale(Json.required(root, "", "master_scale"));
    ModelBundle.Provenance provenance = provenance(Json.required(root, "", "provenance"));
    ModelBundle.PdCalibrationRecord pdCalibration = pdCalibrationOf(root.get("provenance"));
    List<ModelBundle.SegmentTraining> segmentTraining = trainedSegments(root.get("provenance"));
    List<GoldenRow> golden = root.has("golden_rows")
        ? goldenRows(root.get("golden_rows"), schema, masterScale, reasonIndex)
        : List.of();
    return new Sections(calibration, masterScale, provenance, pdCalibration, segmentTraining, golden);
  }

  /**
   * A bundle whose model is {@code segmented}: the shared sections are checked here as for any
   * bundle, then every segment is loaded as its own standalone bundle ({@link SegmentedModel}).
   */
  private static Content segmented(JsonNode root, JsonNode modelNode, int formatVersion, String modelId,
      String modelVersion, FeatureSchema schema, byte[] missing, double[] impute, byte[] range,
      int[] featureReasonCodes, PointsScale scale, List<ModelBundle.ReasonCode> reasonCodes,
      Map<String, Integer> reasonIndex, java.util.OptionalDouble maxMissingShare) throws ModelFormatException {
    Sections sections = sections(root, schema, reasonIndex);
    Calibration calibration = sections.calibration();
    MasterScale masterScale = sections.masterScale();
    ModelBundle.Provenance provenance = sections.provenance();
    List<GoldenRow> golden = sections.golden();
    SegmentedModel model = SegmentedModel.read(root, modelNode, schema);
    List<ModelBundle.SegmentTraining> trained = sections.segmentTraining();
    for (int i = 0; i < trained.size(); i++) {
      String name = trained.get(i).name();
      if (!model.names.contains(name)) {
        throw new ModelFormatException(Json.at(Json.at("provenance.segments", i), "name"),
            "\"" + name + "\" is not a segment of the model");
      }
    }
    // the row policies of the shared schema, for rows no segment takes; each segment applies its own
    RowGuard guard = new RowGuard(schema, missing, impute, range, model.usedColumns(), 1.0);
    ModelBundle.ReasonReference reference = model.children[0].reasonReference();
    for (ModelBundle child : model.children) {
      if (!child.reasonReference().equals(reference)) {
        reference = new ModelBundle.ReasonReference(ModelBundle.ReasonReference.PER_SEGMENT, "", 0, Map.of());
      }
    }
    return new Content(formatVersion, modelId, modelVersion, SegmentedModel.KIND, schema, guard, model, null,
        featureReasonCodes, scale, calibration, masterScale, reasonCodes, provenance, sections.pdCalibration(),
        sections.segmentTraining(), golden, model.view,
        maxMissingShare, reference, new double[reasonCodes.size()], model);
  }

  /**
   * The optional top-level {@code reason_reference}: what a row's reason codes are measured
   * against. Absent, it follows from the model kind (bundles written before the field): points
   * below the best for a scorecard, each term's reference value for a logistic model, the training
   * average (path-dependent TreeSHAP's baseline) for trees. A tree ensemble may instead carry
   * {@code approved_population}: the mean contribution per reason code over a stated approved
   * population, subtracted from a row's contributions before ranking.
   */
  private static ModelBundle.ReasonReference reasonReference(JsonNode root, String kind,
      List<ModelBundle.ReasonCode> reasonCodes) throws ModelFormatException {
    String byKind = switch (kind) {
      case "scorecard" -> ModelBundle.ReasonReference.POINTS_BELOW_BEST;
      case "logistic" -> ModelBundle.ReasonReference.REFERENCE_VALUES;
      default -> ModelBundle.ReasonReference.TRAINING_AVERAGE;
    };
    if (!root.has("reason_reference")) {
      return new ModelBundle.ReasonReference(byKind, "", 0, Map.of());
    }
    String path = "reason_reference";
    JsonNode node = Json.object(root.get("reason_reference"), path);
    Json.onlyKeys(node, path, Set.of("method", "population", "rows", "contributions"));
    String method = Json.text(node, path, "method");
    boolean approved = method.equals(ModelBundle.ReasonReference.APPROVED_POPULATION);
    if (!method.equals(byKind) && !(approved && kind.equals("tree_ensemble"))) {
      throw new ModelFormatException(Json.at(path, "method"), "\"" + method + "\" does not fit a " + kind
          + " model; expected \"" + byKind + "\"" + (kind.equals("tree_ensemble") ? " or \""
          + ModelBundle.ReasonReference.APPROVED_POPULATION + "\"" : ""));
    }
    if (!approved) {
      Json.onlyKeys(node, path, Set.of("method"));
      return new ModelBundle.ReasonReference(method, "", 0, Map.of());
    }
    String population = Json.text(node, path, "population");
    if (population.isBlank()) {
      throw new ModelFormatException(Json.at(path, "population"), "must say which rows the reference averages");
    }
    long rows = Json.integer(node, path, "rows", 1, Integer.MAX_VALUE);
    JsonNode contributions = Json.object(Json.required(node, path, "contributions"), Json.at(path, "contributions"));
    Set<String> codes = new HashSet<>();
    for (ModelBundle.ReasonCode c : reasonCodes) {
      codes.add(c.code());
    }
    Map<String, Double> byCode = new java.util.LinkedHashMap<>();
    for (java.util.Iterator<String> it = contributions.fieldNames(); it.hasNext(); ) {
      String code = it.next();
      String at = Json.at(Json.at(path, "contributions"), code);
      if (!codes.contains(code)) {
        throw new ModelFormatException(at, "is not a reason code of the bundle");
      }
      double v = Json.number(contributions, Json.at(path, "contributions"), code);
      if (!(Math.abs(v) <= 1e6)) {
        throw new ModelFormatException(at, "must be a finite log-odds contribution, got " + v);
      }
      byCode.put(code, v);
    }
    return new ModelBundle.ReasonReference(method, population, rows, byCode);
  }

  /**
   * The optional top-level {@code max_missing_share}: a row with a larger share of the features the
   * model uses missing is refused. Absent: no limit (bundles written before the field).
   */
  private static java.util.OptionalDouble maxMissingShare(JsonNode root) throws ModelFormatException {
    if (!root.has("max_missing_share")) {
      return java.util.OptionalDouble.empty();
    }
    double share = Json.number(root, "", "max_missing_share");
    if (!(share >= 0 && share <= 1)) {
      throw new ModelFormatException("max_missing_share", "must be a number from 0 to 1 (the largest share of the"
          + " features the model uses that a row may miss), got " + share);
    }
    return java.util.OptionalDouble.of(share);
  }

  private static String nonEmpty(JsonNode obj, String path, String key) throws ModelFormatException {
    String s = Json.text(obj, path, key);
    if (s.isBlank()) {
      throw new ModelFormatException(Json.at(path, key), "must not be empty");
    }
    return s;
  }

  /**
   * A name the runtime hands to its callers' logs and outputs (model id and version, a grade, a
   * reason code): not empty, and without control characters, which an accepted bundle could
   * otherwise use to add lines to a log (its refusals are escaped; its names were not).
   */
  private static String name(JsonNode obj, String path, String key) throws ModelFormatException {
    String s = nonEmpty(obj, path, key);
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new ModelFormatException(Json.at(path, key), "must not contain control characters, got '"
            + Json.quoted(s) + "'");
      }
    }
    return s;
  }

  private static List<ModelBundle.ReasonCode> reasonCodes(JsonNode node) throws ModelFormatException {
    Json.array(node, "reason_codes", 1, MAX_REASON_CODES);
    List<ModelBundle.ReasonCode> list = new ArrayList<>(node.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String p = Json.at("reason_codes", i);
      JsonNode rc = Json.object(node.get(i), p);
      Json.onlyKeys(rc, p, Set.of("code", "text"));
      String code = name(rc, p, "code");
      if (!seen.add(code)) {
        throw new ModelFormatException(Json.at(p, "code"), "duplicate reason code " + code);
      }
      list.add(new ModelBundle.ReasonCode(code, nonEmpty(rc, p, "text")));
    }
    return List.copyOf(list);
  }

  private static FeatureSpec feature(JsonNode node, String p, byte[] missing, double[] impute, byte[] range,
      int[] featureReasonCodes, Map<String, Integer> reasonIndex, int j) throws ModelFormatException {
    Json.object(node, p);
    Json.onlyKeys(node, p, FEATURE_KEYS);
    String name = Json.text(node, p, "name");
    String type = Json.text(node, p, "type");
    FeatureSpec spec;
    try {
      if (type.equals("numeric")) {
        if (node.has("categories")) {
          throw new ModelFormatException(Json.at(p, "categories"), "a numeric feature has no categories");
        }
        double min = node.has("min") ? Json.numberOrNull(node.get("min"), Json.at(p, "min"), Double.NEGATIVE_INFINITY)
            : Double.NEGATIVE_INFINITY;
        double max = node.has("max") ? Json.numberOrNull(node.get("max"), Json.at(p, "max"), Double.POSITIVE_INFINITY)
            : Double.POSITIVE_INFINITY;
        if (!(min <= max)) {
          throw new ModelFormatException(Json.at(p, "max"), "valid range [" + min + ", " + max + "] is empty");
        }
        spec = new FeatureSpec(name, FeatureType.NUMERIC, Json.optText(node, p, "unit", ""), min, max, List.of(),
            Json.optText(node, p, "description", ""), Json.bool(node, p, "whole_number", false));
      } else if (type.equals("categorical")) {
        if (node.has("whole_number")) {
          throw new ModelFormatException(Json.at(p, "whole_number"),
              "a categorical feature's values are category indexes; whole_number is for numeric features");
        }
        if (node.has("min") || node.has("max")) {
          throw new ModelFormatException(Json.at(p, node.has("min") ? "min" : "max"),
              "a categorical feature's range is its category indexes; leave min and max out");
        }
        String cp = Json.at(p, "categories");
        JsonNode codes = Json.array(Json.required(node, p, "categories"), cp, 1, MAX_CATEGORIES);
        List<String> categories = new ArrayList<>(codes.size());
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < codes.size(); k++) {
          String code = Json.textValue(codes.get(k), Json.at(cp, k));
          if (!seen.add(code)) {
            throw new ModelFormatException(Json.at(cp, k), "duplicate category " + code);
          }
          categories.add(code);
        }
        spec = new FeatureSpec(name, FeatureType.CATEGORICAL, "", 0, 0, categories,
            Json.optText(node, p, "description", ""));
      } else {
        throw new ModelFormatException(Json.at(p, "type"), "expected \"numeric\" or \"categorical\", got \"" + type + "\"");
      }
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(p, e.getMessage());
    }
    String missingPolicy = Json.text(node, p, "missing");
    switch (missingPolicy) {
      case "pass" -> missing[j] = RowGuard.MISSING_PASS;
      case "reject" -> missing[j] = RowGuard.MISSING_REJECT;
      case "impute" -> {
        missing[j] = RowGuard.MISSING_IMPUTE;
        String ip = Json.at(p, "impute_value");
        JsonNode v = Json.required(node, p, "impute_value");
        if (spec.type() == FeatureType.CATEGORICAL) {
          impute[j] = spec.categoryIndex(Json.textValue(v, ip));
          if (impute[j] < 0) {
            throw new ModelFormatException(ip, "\"" + v.textValue() + "\" is not a category of " + name);
          }
        } else {
          impute[j] = Json.numberValue(v, ip);
          if (!spec.accepts(impute[j])) {
            boolean fraction = spec.wholeNumber() && impute[j] != Math.rint(impute[j]);
            throw new ModelFormatException(ip, "imputed value " + impute[j] + (fraction
                ? " is not a whole number, and the feature takes whole numbers only" : " is outside the valid range"));
          }
        }
      }
      default -> throw new ModelFormatException(Json.at(p, "missing"),
          "expected \"pass\", \"reject\" or \"impute\", got \"" + missingPolicy + "\"");
    }
    if (missing[j] != RowGuard.MISSING_IMPUTE && node.has("impute_value")) {
      throw new ModelFormatException(Json.at(p, "impute_value"), "only allowed with \"missing\": \"impute\"");
    }
    String rangePolicy = Json.optText(node, p, "out_of_range", "reject");
    switch (rangePolicy) {
      case "reject" -> range[j] = RowGuard.RANGE_REJECT;
      case "clamp" -> {
        if (spec.type() == FeatureType.CATEGORICAL) {
          throw new ModelFormatException(Json.at(p, "out_of_range"), "a categorical feature can only \"reject\"");
        }
        range[j] = RowGuard.RANGE_CLAMP;
      }
      default -> throw new ModelFormatException(Json.at(p, "out_of_range"),
          "expected \"reject\" or \"clamp\", got \"" + rangePolicy + "\"");
    }
    featureReasonCodes[j] = -1;
    if (node.has("reason_code")) {
      String code = Json.text(node, p, "reason_code");
      Integer index = reasonIndex.get(code);
      if (index == null) {
        throw new ModelFormatException(Json.at(p, "reason_code"), "reason code \"" + code + "\" is not in the reason_codes table");
      }
      featureReasonCodes[j] = index;
    }
    return spec;
  }

  private static PointsScale scale(JsonNode node) throws ModelFormatException {
    String p = "score_scale";
    Json.object(node, p);
    Json.onlyKeys(node, p, Set.of("pdo", "base_score", "base_odds"));
    double pdo = Json.number(node, p, "pdo");
    double baseScore = Json.number(node, p, "base_score");
    double baseOdds = Json.number(node, p, "base_odds");
    if (!(pdo > 0)) {
      throw new ModelFormatException(Json.at(p, "pdo"), "points to double the odds must be positive, got " + pdo);
    }
    if (!(baseOdds > 0)) {
      throw new ModelFormatException(Json.at(p, "base_odds"), "good:bad odds must be positive, got " + baseOdds);
    }
    try {
      return new PointsScale(pdo, baseScore, baseOdds);
    } catch (IllegalArgumentException e) {
      // What the checks above let through: an infinite pdo or odds, a non-finite base score.
      throw new ModelFormatException(p, e.getMessage());
    }
  }

  private static Calibration calibration(JsonNode node) throws ModelFormatException {
    String p = "calibration";
    Json.object(node, p);
    String kind = Json.text(node, p, "kind");
    switch (kind) {
      case "none":
        Json.onlyKeys(node, p, Set.of("kind"));
        return Calibration.none();
      case "logistic":
        Json.onlyKeys(node, p, Set.of("kind", "intercept", "slope"));
        double slope = Json.number(node, p, "slope");
        if (!(slope > 0)) {
          throw new ModelFormatException(Json.at(p, "slope"), "must be positive so that PD rises with the margin, got " + slope);
        }
        return Calibration.logistic(Json.number(node, p, "intercept"), slope);
      case "isotonic": {
        Json.onlyKeys(node, p, Set.of("kind", "margins", "pds"));
        String mp = Json.at(p, "margins");
        String pp = Json.at(p, "pds");
        JsonNode ms = Json.array(Json.required(node, p, "margins"), mp, 1, MAX_ISOTONIC_KNOTS);
        JsonNode ps = Json.array(Json.required(node, p, "pds"), pp, ms.size(), ms.size());
        double[] margins = new double[ms.size()];
        double[] pds = new double[ms.size()];
        for (int i = 0; i < margins.length; i++) {
          margins[i] = Json.numberValue(ms.get(i), Json.at(mp, i));
          pds[i] = Json.numberValue(ps.get(i), Json.at(pp, i));
          if (i > 0 && !(margins[i] > margins[i - 1])) {
            throw new ModelFormatException(Json.at(mp, i), "margins must increase strictly");
          }
          if (!(pds[i] >= 0 && pds[i] <= 1)) {
            throw new ModelFormatException(Json.at(pp, i), "a PD must lie in [0, 1], got " + pds[i]);
          }
          if (i > 0 && pds[i] < pds[i - 1]) {
            throw new ModelFormatException(Json.at(pp, i), "PDs must not decrease (isotonic)");
          }
        }
        return Calibration.isotonic(margins, pds);
      }
      default:
        throw new ModelFormatException(Json.at(p, "kind"),
            "expected \"none\", \"logistic\" or \"isotonic\", got \"" + kind + "\"");
    }
  }

  private static MasterScale masterScale(JsonNode node) throws ModelFormatException {
    String p = "master_scale";
    Json.object(node, p);
    Json.onlyKeys(node, p, Set.of("grades"));
    String gp = Json.at(p, "grades");
    JsonNode grades = Json.array(Json.required(node, p, "grades"), gp, 2, MAX_GRADES);
    int n = grades.size() - 1;
    List<String> names = new ArrayList<>(n + 1);
    double[] uppers = new double[n];
    double[] reps = new double[n];
    for (int i = 0; i <= n; i++) {
      String ip = Json.at(gp, i);
      JsonNode g = Json.object(grades.get(i), ip);
      boolean isDefault = Json.bool(g, ip, "default", false);
      names.add(name(g, ip, "grade"));
      if (i == n) {
        if (!isDefault) {
          throw new ModelFormatException(Json.at(ip, "default"), "the last grade must be the default grade (\"default\": true)");
        }
        Json.onlyKeys(g, ip, Set.of("grade", "default"));
      } else {
        Json.onlyKeys(g, ip, Set.of("grade", "pd_upper", "representative_pd", "default"));
        if (isDefault) {
          throw new ModelFormatException(Json.at(ip, "default"), "only the last grade may be the default grade");
        }
        uppers[i] = Json.number(g, ip, "pd_upper");
        reps[i] = Json.number(g, ip, "representative_pd");
      }
    }
    try {
      return MasterScale.of(names, uppers, reps);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(gp, e.getMessage());
    }
  }

  private static ModelBundle.Provenance provenance(JsonNode node) throws ModelFormatException {
    String p = "provenance";
    Json.object(node, p);
    Json.onlyKeys(node, p, Set.of("trained_at", "training_data_sha256", "trainer", "pd_calibration", "segments",
        "source_model"));
    String trainedAt = Json.text(node, p, "trained_at");
    try {
      Instant.parse(trainedAt);
    } catch (DateTimeParseException e) {
      throw new ModelFormatException(Json.at(p, "trained_at"), "expected an ISO-8601 instant such as 2026-11-01T12:00:00Z, got " + trainedAt);
    }
    String hash = Json.text(node, p, "training_data_sha256");
    if (!SHA256.matcher(hash).matches()) {
      throw new ModelFormatException(Json.at(p, "training_data_sha256"), "expected 64 lowercase hex digits");
    }
    if (node.has("source_model")) {
      sourceModel(node.get("source_model"), Json.at(p, "source_model"));
    }
    return new ModelBundle.Provenance(trainedAt, hash, nonEmpty(node, p, "trainer"));
  }

  /**
   * Checks {@code provenance.source_model}, the model file an imported model was read from: {@code
   * {"file": non-empty name, "sha256": 64 lowercase hex}}. A record for people and tools (the model
   * documentation), never used to score.
   */
  private static void sourceModel(JsonNode node, String p) throws ModelFormatException {
    Json.object(node, p);
    Json.onlyKeys(node, p, Set.of("file", "sha256"));
    nonEmpty(node, p, "file");
    if (!SHA256.matcher(Json.text(node, p, "sha256")).matches()) {
      throw new ModelFormatException(Json.at(p, "sha256"), "expected 64 lowercase hex digits");
    }
  }

  /** The bundle's {@code provenance.pd_calibration}, null when it has none. */
  private static ModelBundle.PdCalibrationRecord pdCalibrationOf(JsonNode provenance) throws ModelFormatException {
    return provenance.has("pd_calibration")
        ? pdCalibration(provenance.get("pd_calibration"), Json.at("provenance", "pd_calibration"))
        : null;
  }

  /**
   * Reads the training record of a segmented bundle's segments: per segment its name, the
   * training rows and events it was fitted on and, optionally, its own trainer text and calibration
   * (the names are matched to the model's segments by the caller; a bundle that is not segmented has
   * no such record). Empty when the bundle has none.
   */
  private static List<ModelBundle.SegmentTraining> trainedSegments(JsonNode provenance) throws ModelFormatException {
    JsonNode node = provenance.get("segments");
    if (node == null) {
      return List.of();
    }
    String p = Json.at("provenance", "segments");
    Json.array(node, p, 1, SegmentedModel.MAX_SEGMENTS);
    Set<String> seen = new HashSet<>();
    List<ModelBundle.SegmentTraining> segments = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String sp = Json.at(p, i);
      JsonNode segment = Json.object(node.get(i), sp);
      Json.onlyKeys(segment, sp, Set.of("name", "rows", "events", "pd_calibration", "trainer"));
      String trainer = segment.has("trainer") ? nonEmpty(segment, sp, "trainer") : null;
      String name = Json.text(segment, sp, "name");
      if (!seen.add(name)) {
        throw new ModelFormatException(Json.at(sp, "name"), "duplicate segment " + name);
      }
      int rows = Json.integer(segment, sp, "rows", 1, Integer.MAX_VALUE);
      int events = Json.integer(segment, sp, "events", 0, rows);
      ModelBundle.PdCalibrationRecord calibration = segment.has("pd_calibration")
          ? pdCalibration(segment.get("pd_calibration"), Json.at(sp, "pd_calibration"))
          : null;
      segments.add(new ModelBundle.SegmentTraining(name, rows, events, trainer, calibration));
    }
    return List.copyOf(segments);
  }

  /**
   * Reads the record of how the PDs were calibrated (written by model development, read by
   * people): the rating philosophy, the central tendency and where it came from, the margin of
   * conservatism, the logit shift and the master scale's origin. The runtime does not use it.
   */
  private static ModelBundle.PdCalibrationRecord pdCalibration(JsonNode node, String p) throws ModelFormatException {
    Json.object(node, p);
    Json.onlyKeys(node, p, Set.of("rating_philosophy", "central_tendency", "central_tendency_source", "default_column",
        "cohort_column", "cohort_default_rates", "long_run_average", "margin_of_conservatism", "intercept_shift",
        "calibration_rows", "weighted", "master_scale"));
    boolean weighted = Json.bool(node, p, "weighted", false);
    String philosophy = Json.optText(node, p, "rating_philosophy", "pit");
    if (!philosophy.equals("pit") && !philosophy.equals("ttc")) {
      throw new ModelFormatException(Json.at(p, "rating_philosophy"), "expected \"pit\" or \"ttc\", got \"" + philosophy + "\"");
    }
    double centralTendency = pdOrNaN(node, p, "central_tendency");
    double longRunAverage = pdOrNaN(node, p, "long_run_average");
    String source = Json.optText(node, p, "central_tendency_source", null);
    if (source != null && !source.equals("given") && !source.equals("cohort_average")) {
      throw new ModelFormatException(Json.at(p, "central_tendency_source"),
          "expected \"given\" or \"cohort_average\", got \"" + source + "\"");
    }
    List<Double> rates = new ArrayList<>();
    if (node.has("cohort_default_rates")) {
      String rp = Json.at(p, "cohort_default_rates");
      JsonNode list = Json.array(node.get("cohort_default_rates"), rp, 1, Integer.MAX_VALUE);
      for (int i = 0; i < list.size(); i++) {
        double rate = Json.numberValue(list.get(i), Json.at(rp, i));
        if (!(rate >= 0 && rate <= 1)) {
          throw new ModelFormatException(Json.at(rp, i), "expected a default rate in [0, 1], got " + rate);
        }
        rates.add(rate);
      }
    }
    double level = Double.NaN;
    double standardError = Double.NaN;
    if (node.has("margin_of_conservatism")) {
      String mp = Json.at(p, "margin_of_conservatism");
      JsonNode moc = Json.object(node.get("margin_of_conservatism"), mp);
      Json.onlyKeys(moc, mp, Set.of("method", "level", "standard_error"));
      String method = Json.text(moc, mp, "method");
      if (!method.equals("upper_confidence_bound")) {
        throw new ModelFormatException(Json.at(mp, "method"), "expected \"upper_confidence_bound\", got \"" + method + "\"");
      }
      level = Json.number(moc, mp, "level");
      if (!(level > 0.5 && level < 1)) {
        throw new ModelFormatException(Json.at(mp, "level"), "expected a one-sided level in (0.5, 1), got " + level);
      }
      standardError = Json.optNumber(moc, mp, "standard_error", Double.NaN);
      if (standardError < 0) {
        throw new ModelFormatException(Json.at(mp, "standard_error"), "expected a standard error of 0 or more, got "
            + standardError);
      }
    }
    double shift = Json.optNumber(node, p, "intercept_shift", Double.NaN);
    long rows = node.has("calibration_rows") ? Json.integer(node, p, "calibration_rows", 1, Integer.MAX_VALUE) : 0;
    return new ModelBundle.PdCalibrationRecord(philosophy, centralTendency, source,
        Json.optText(node, p, "default_column", null), Json.optText(node, p, "cohort_column", null), rates,
        longRunAverage, level, standardError, shift, rows, weighted, Json.optText(node, p, "master_scale", null));
  }

  /** The PD in (0, 1) at {@code key}, NaN when the record has none. */
  private static double pdOrNaN(JsonNode node, String p, String key) throws ModelFormatException {
    if (!node.has(key)) {
      return Double.NaN;
    }
    double v = Json.number(node, p, key);
    if (!(v > 0 && v < 1)) {
      throw new ModelFormatException(Json.at(p, key), "expected a PD in (0, 1), got " + v);
    }
    return v;
  }

  private static List<GoldenRow> goldenRows(JsonNode node, FeatureSchema schema, MasterScale scale,
      Map<String, Integer> reasonIndex) throws ModelFormatException {
    String p = "golden_rows";
    Json.array(node, p, 0, MAX_GOLDEN_ROWS);
    List<GoldenRow> rows = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String rp = Json.at(p, i);
      JsonNode row = Json.object(node.get(i), rp);
      Json.onlyKeys(row, rp, Set.of("features", "points", "pd", "grade", "reason_codes"));
      String fp = Json.at(rp, "features");
      JsonNode features = Json.object(Json.required(row, rp, "features"), fp);
      double[] values = new double[schema.size()];
      java.util.Arrays.fill(values, Double.NaN);
      Iterator<Map.Entry<String, JsonNode>> it = features.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String vp = Json.at(fp, e.getKey());
        int column = schema.indexOf(e.getKey());
        if (column < 0) {
          throw new ModelFormatException(vp, "unknown feature \"" + e.getKey() + "\"");
        }
        JsonNode v = e.getValue();
        if (v.isNull()) {
          values[column] = Double.NaN;
        } else if (schema.feature(column).type() == FeatureType.CATEGORICAL) {
          int k = schema.feature(column).categoryIndex(Json.textValue(v, vp));
          if (k < 0) {
            throw new ModelFormatException(vp, "\"" + v.textValue() + "\" is not a category of " + e.getKey());
          }
          values[column] = k;
        } else {
          values[column] = Json.numberValue(v, vp);
        }
      }
      for (int j = 0; j < schema.size(); j++) {
        if (!features.has(schema.feature(j).name())) {
          throw new ModelFormatException(fp, "feature \"" + schema.feature(j).name() + "\" is missing; write null for a missing value");
        }
      }
      String grade = Json.text(row, rp, "grade");
      boolean known = false;
      for (MasterScale.Grade g : scale.grades()) {
        known |= g.name().equals(grade);
      }
      if (!known) {
        throw new ModelFormatException(Json.at(rp, "grade"), "grade \"" + grade + "\" is not on the master scale");
      }
      String cp = Json.at(rp, "reason_codes");
      JsonNode codes = Json.array(Json.required(row, rp, "reason_codes"), cp, 0, ReasonRanker.TOP);
      List<String> list = new ArrayList<>(codes.size());
      for (int k = 0; k < codes.size(); k++) {
        String code = Json.textValue(codes.get(k), Json.at(cp, k));
        if (!reasonIndex.containsKey(code)) {
          throw new ModelFormatException(Json.at(cp, k), "reason code \"" + code + "\" is not in the reason_codes table");
        }
        list.add(code);
      }
      rows.add(new GoldenRow(rp, values, Json.number(row, rp, "points"), Json.number(row, rp, "pd"), grade, List.copyOf(list)));
    }
    return List.copyOf(rows);
  }
}

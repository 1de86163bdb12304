package io.chainscore.scoring.spi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.MasterScale;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.tree.TreeEnsembleCodec;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds a sealed {@link ModelBundle} from typed parts: the one way ChainScore's trainers and
 * importers write a bundle. {@link #build()} writes the bundle document of {@code
 * docs/model-bundle.md}, seals it with {@link ModelBundle#seal} (so every load-time check applies
 * and a bad part is a {@link ModelFormatException} naming the field at fault, exactly as for a
 * bundle file), scores the golden inputs with the sealed model, records them as golden rows and
 * seals again.
 *
 * <p>Only the parts that were set are written, so a missing required part (a score scale, a model,
 * a provenance, reason codes) is reported by the loader under its field name. Two parts have
 * defaults, because every bundle ChainScore writes has them: no calibration ({@code "kind":
 * "none"}) and the {@linkplain #defaultMasterScale() default master scale}.
 *
 * <pre>{@code
 * ModelBundle bundle = BundleBuilder.create("my-model", "1.0.0")
 *     .description("...")
 *     .feature(BundleBuilder.Feature.of(spec).reasonCode("R01"))
 *     .scoreScale(20, 600, 50)
 *     .model(new ScorecardView(basePoints, characteristics))
 *     .reasonCode("R01", "Deliveries were often late")
 *     .provenance(new ModelBundle.Provenance(trainedAt, dataSha256, "my-trainer 1.0"))
 *     .goldenInputs(rows)
 *     .build();
 * }</pre>
 *
 * <p>Thread safety: not thread-safe; use one builder per bundle. The bundles it builds are
 * immutable.
 */
public final class BundleBuilder {
  /**
   * PD upper bounds of the default master scale's eight grades before the default grade D:
   * roughly doubling from 0.3% (grade 1) to 100% (grade 8).
   */
  private static final double[] DEFAULT_GRADE_UPPERS = {0.003, 0.006, 0.012, 0.025, 0.05, 0.10, 0.20, 1.0};

  /** What a feature does with a missing value. */
  public enum Missing {
    /** Passed to the model (its bins or trees route it). */
    PASS,
    /** The row is refused. */
    REJECT,
    /** Replaced by the feature's impute value. */
    IMPUTE
  }

  /** What a numeric feature does with a value outside its valid range. */
  public enum OutOfRange {
    /** The row is refused (the loader's default). */
    REJECT,
    /** The value is clamped to the range. */
    CLAMP
  }

  /**
   * How one schema feature is written: its spec and its policies. Start from {@link #of} and
   * refine with the {@code with} methods.
   *
   * @param spec name, type, unit, valid range, categories and description
   * @param missing missing-value policy
   * @param imputeValue the value imputed for {@link Missing#IMPUTE} (a category index for a
   *     categorical feature), NaN otherwise
   * @param reasonCode the feature's reason code (tree ensembles), or null for none
   * @param outOfRange range policy written explicitly, or null to leave it to the loader's default
   *     ({@code reject})
   * @param unitAlwaysWritten whether a numeric feature's unit is written even when it is empty
   *     (ChainScore's scorecards always state it)
   */
  public record Feature(FeatureSpec spec, Missing missing, double imputeValue, String reasonCode,
      OutOfRange outOfRange, boolean unitAlwaysWritten) {
    /** {@code spec} passing missing values to the model, without reason code, range policy left to the default. */
    public static Feature of(FeatureSpec spec) {
      return new Feature(spec, Missing.PASS, Double.NaN, null, null, false);
    }

    /** This feature with reason code {@code code}. */
    public Feature withReasonCode(String code) {
      return new Feature(spec, missing, imputeValue, code, outOfRange, unitAlwaysWritten);
    }

    /** This feature with its range policy written explicitly. */
    public Feature withOutOfRange(OutOfRange policy) {
      return new Feature(spec, missing, imputeValue, reasonCode, policy, unitAlwaysWritten);
    }

    /** This feature with missing-value policy {@code policy}; {@code imputeValue} only for {@link Missing#IMPUTE}. */
    public Feature withMissing(Missing policy, double value) {
      return new Feature(spec, policy, value, reasonCode, outOfRange, unitAlwaysWritten);
    }

    /** This feature with its unit written even when empty. */
    public Feature withUnitAlwaysWritten() {
      return new Feature(spec, missing, imputeValue, reasonCode, outOfRange, true);
    }
  }

  private final JsonNodeFactory json = JsonNodeFactory.instance;
  private final String modelId;
  private final String modelVersion;
  private String description;
  private final List<Feature> features = new ArrayList<>();
  private ObjectNode scoreScale;
  private ModelView model;
  private ObjectNode calibration = json.objectNode().put("kind", "none");
  private MasterScale masterScale = defaultMasterScale();
  private final ArrayNode reasonCodes = json.arrayNode();
  private ModelBundle.Provenance provenance;
  private String sourceModelFile;
  private String sourceModelSha256;
  /** Fields given back as an exported bundle recorded them ({@link #recordedField}), by path. */
  private final java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> recorded =
      new java.util.LinkedHashMap<>();
  /** The fields {@link #recordedField} takes. */
  private static final java.util.Set<String> RECORDED_FIELDS = java.util.Set.of("calibration", "score_scale",
      "master_scale", "reason_reference", "provenance.pd_calibration");
  private final List<double[]> goldenInputs = new ArrayList<>();
  /** The bundle's max_missing_share, NaN for none (the field is then not written). */
  private double maxMissingShare = Double.NaN;
  /** The bundle's reason_reference, null for none (the field is then not written). */
  private ObjectNode reasonReference;

  private BundleBuilder(String modelId, String modelVersion) {
    this.modelId = modelId;
    this.modelVersion = modelVersion;
  }

  /** A builder of version {@code modelVersion} of model {@code modelId}. */
  public static BundleBuilder create(String modelId, String modelVersion) {
    return new BundleBuilder(modelId, modelVersion);
  }

  /** The human-readable description. */
  public BundleBuilder description(String text) {
    this.description = text;
    return this;
  }

  /** Appends a feature; features form the schema in the order they are added. */
  public BundleBuilder feature(Feature feature) {
    features.add(feature);
    return this;
  }

  /** The points scale: {@code pdo} points double the good:bad odds, which are {@code baseOdds} at {@code baseScore}. */
  public BundleBuilder scoreScale(double pdo, double baseScore, double baseOdds) {
    scoreScale = json.objectNode().put("pdo", pdo).put("base_score", baseScore).put("base_odds", baseOdds);
    return this;
  }

  /** The model: a {@link ScorecardView}, a {@link LogisticView} or a {@link TreeEnsembleView}. */
  public BundleBuilder model(ModelView view) {
    this.model = view;
    return this;
  }

  /** No calibration: the PD is the logistic function of the margin (the default). */
  public BundleBuilder noCalibration() {
    calibration = json.objectNode().put("kind", "none");
    return this;
  }

  /** Platt scaling: {@code PD = 1 / (1 + exp(-(intercept + slope * margin)))}. */
  public BundleBuilder logisticCalibration(double intercept, double slope) {
    calibration = json.objectNode().put("kind", "logistic").put("intercept", intercept).put("slope", slope);
    return this;
  }

  /** Isotonic calibration: PDs at increasing margins, interpolated linearly in between. */
  public BundleBuilder isotonicCalibration(double[] margins, double[] pds) {
    ObjectNode node = json.objectNode().put("kind", "isotonic");
    ArrayNode m = node.putArray("margins");
    ArrayNode p = node.putArray("pds");
    for (double v : margins) {
      m.add(v);
    }
    for (double v : pds) {
      p.add(v);
    }
    calibration = node;
    return this;
  }

  /** The rating master scale (default: {@link #defaultMasterScale()}). */
  public BundleBuilder masterScale(MasterScale scale) {
    this.masterScale = scale;
    return this;
  }

  /** Appends a row to the reason-code table, whose order breaks ties between equal reasons. */
  public BundleBuilder reasonCode(String code, String text) {
    reasonCodes.addObject().put("code", code).put("text", text);
    return this;
  }

  /**
   * The bundle's {@code max_missing_share}: rows with a larger share of the features the model uses
   * missing are refused by the scorer. NaN (the default) writes no field: no such limit.
   *
   * @param share from 0 to 1, or NaN for none (checked by the sealed bundle's reader)
   */
  public BundleBuilder maxMissingShare(double share) {
    this.maxMissingShare = share;
    return this;
  }

  /**
   * The bundle's {@code reason_reference} with a method that needs no data: {@code
   * points_below_best} (scorecards), {@code reference_values} (logistic) or {@code
   * training_average} (trees). Not calling it (or {@link #approvedPopulationReference}) writes no
   * field: the reader then takes the method that follows from the model kind.
   */
  public BundleBuilder reasonReference(String method) {
    this.reasonReference = json.objectNode().put("method", method);
    return this;
  }

  /**
   * A tree ensemble's reasons measured against an approved population: each reason code's mean
   * TreeSHAP contribution over that population, subtracted from a row's before ranking.
   *
   * @param population which rows, in words a validator can check (sample, cut-off, dates)
   * @param rows how many rows were averaged
   * @param contributions mean contribution to the log-odds per reason code
   */
  public BundleBuilder approvedPopulationReference(String population, long rows,
      java.util.Map<String, Double> contributions) {
    ObjectNode node = json.objectNode().put("method", "approved_population").put("population", population)
        .put("rows", rows);
    ObjectNode values = node.putObject("contributions");
    contributions.forEach(values::put);
    this.reasonReference = node;
    return this;
  }

  /** Where the model came from. */
  public BundleBuilder provenance(ModelBundle.Provenance value) {
    this.provenance = value;
    return this;
  }

  /**
   * The model file an imported model was read from, recorded as {@code provenance.source_model}
   * ({@code {"file": name, "sha256": hex}}): the file's name without its folder (so the bundle does
   * not depend on where the file lay) and the SHA-256 of its bytes; both null (the default) record
   * none. Needs a {@link #provenance}.
   */
  public BundleBuilder sourceModel(String fileName, String sha256) {
    this.sourceModelFile = fileName;
    this.sourceModelSha256 = sha256;
    return this;
  }

  /**
   * A field of an exported bundle given back as the export recorded it (a ChainScore export's
   * {@code chainscore_*} records in an XGBoost or LightGBM file), replacing what the other setters
   * give it: {@code calibration}, {@code score_scale}, {@code master_scale}, {@code
   * reason_reference} or {@code provenance.pd_calibration} (needs a {@link #provenance}). Checked
   * when the bundle is built, as a bundle file's field is read ({@code BundleReader}), and refused
   * naming the field: one reading of these fields, not a second parser in the importer.
   *
   * @throws IllegalArgumentException for another path
   */
  public BundleBuilder recordedField(String path, com.fasterxml.jackson.databind.JsonNode value) {
    if (!RECORDED_FIELDS.contains(path)) {
      throw new IllegalArgumentException("not a field an export records: " + path);
    }
    recorded.put(path, value.deepCopy());
    return this;
  }

  /**
   * Appends feature rows (schema order, categories as indexes, NaN missing) that the sealed model
   * scores and records as golden rows, so the bundle verifies itself on every load. Rows the
   * bundle's {@link #maxMissingShare} refuses are left out.
   */
  public BundleBuilder goldenInputs(List<double[]> rows) {
    for (double[] row : rows) {
      goldenInputs.add(row.clone());
    }
    return this;
  }

  /**
   * Writes, seals and verifies the bundle.
   *
   * @throws ModelFormatException naming the field at fault when the parts do not form a valid bundle
   */
  public ModelBundle build() throws ModelFormatException {
    ObjectNode root = document();
    if (goldenInputs.isEmpty()) {
      return ModelBundle.seal(root.toString());
    }
    // The golden outputs are whatever the sealed model computes; the second seal checks them.
    ModelBundle provisional = ModelBundle.seal(root.toString());
    FeatureSchema schema = provisional.schema();
    ArrayNode golden = root.putArray("golden_rows");
    for (double[] row : goldenInputs) {
      ScoreResult r;
      try {
        r = provisional.scorer().score(row);
      } catch (io.chainscore.scoring.ScoringException e) {
        if (e.reason() == io.chainscore.scoring.RowRefusals.Reason.TOO_MANY_MISSING) {
          continue; // the bundle's own max_missing_share refuses it: not a row it promises a score for
        }
        throw e;
      }
      ObjectNode g = golden.addObject();
      ObjectNode values = g.putObject("features");
      for (int j = 0; j < schema.size(); j++) {
        FeatureSpec f = schema.feature(j);
        if (Double.isNaN(row[j])) {
          values.putNull(f.name());
        } else if (f.type() == FeatureType.CATEGORICAL) {
          values.put(f.name(), f.categories().get((int) row[j]));
        } else {
          values.put(f.name(), row[j]);
        }
      }
      g.put("points", r.points());
      g.put("pd", r.pd());
      g.put("grade", r.grade());
      ArrayNode codes = g.putArray("reason_codes");
      r.reasonCodes().forEach(codes::add);
    }
    return ModelBundle.seal(root.toString());
  }

  /**
   * The same bundle with its reasons measured against an approved population ({@link
   * #approvedPopulationReference}): every other field unchanged, the golden rows' reason codes
   * recomputed (a reference changes the ranking, never the points, PD or grade), sealed and verified.
   */
  public static ModelBundle withApprovedPopulationReference(ModelBundle bundle, String population, long rows,
      java.util.Map<String, Double> contributions) throws ModelFormatException {
    ObjectNode root;
    try {
      root = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundle.toJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelFormatException("", "a sealed bundle's own JSON did not parse: " + e.getMessage());
    }
    root.remove("sha256");
    BundleBuilder reference = new BundleBuilder("x", "x").approvedPopulationReference(population, rows, contributions);
    root.set("reason_reference", reference.reasonReference);
    ArrayNode golden = (ArrayNode) root.get("golden_rows");
    root.putArray("golden_rows");
    ModelBundle provisional = ModelBundle.seal(root.toString());
    ArrayNode regolden = root.putArray("golden_rows");
    java.util.List<double[]> inputs = ViewAccess.goldenInputs(bundle);
    for (int i = 0; i < inputs.size(); i++) {
      ObjectNode copy = ((ObjectNode) golden.get(i)).deepCopy();
      ArrayNode codes = copy.putArray("reason_codes");
      provisional.scorer().score(inputs.get(i)).reasonCodes().forEach(codes::add);
      regolden.add(copy);
    }
    return ModelBundle.seal(root.toString());
  }

  /**
   * The default master scale: grades "1".."8" with PD upper bounds 0.3%, 0.6%, 1.2%, 2.5%, 5%, 10%,
   * 20% and 100%, the representative PD half the first bound and then each band's geometric mean,
   * and the default grade "D".
   */
  public static MasterScale defaultMasterScale() {
    List<String> names = new ArrayList<>();
    double[] representative = new double[DEFAULT_GRADE_UPPERS.length];
    double lower = 0;
    for (int g = 0; g < DEFAULT_GRADE_UPPERS.length; g++) {
      double upper = DEFAULT_GRADE_UPPERS[g];
      names.add(Integer.toString(g + 1));
      representative[g] = lower == 0 ? upper / 2 : Math.sqrt(lower * upper);
      lower = upper;
    }
    names.add("D");
    return MasterScale.of(names, DEFAULT_GRADE_UPPERS.clone(), representative);
  }

  /**
   * SHA-256 (lowercase hex) of a training sample for a bundle's provenance: the rows' IEEE bits,
   * then each label as a 64-bit integer, big-endian, in order.
   */
  public static String trainingDataSha256(double[] rows, int[] labels) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      ByteBuffer buffer = ByteBuffer.allocate(8 * 1024);
      for (double v : rows) {
        if (buffer.remaining() < 8) {
          sha.update(buffer.array(), 0, buffer.position());
          buffer.clear();
        }
        buffer.putLong(Double.doubleToLongBits(v));
      }
      for (int y : labels) {
        if (buffer.remaining() < 8) {
          sha.update(buffer.array(), 0, buffer.position());
          buffer.clear();
        }
        buffer.putLong(y);
      }
      sha.update(buffer.array(), 0, buffer.position());
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private ObjectNode document() {
    ObjectNode root = json.objectNode();
    root.put("format", "chainscore-model-bundle");
    root.put("format_version", 1);
    root.put("model_id", modelId);
    root.put("model_version", modelVersion);
    if (description != null) {
      root.put("description", description);
    }
    ArrayNode featureNodes = root.putArray("features");
    for (Feature f : features) {
      writeFeature(featureNodes.addObject(), f);
    }
    if (scoreScale != null) {
      root.set("score_scale", scoreScale.deepCopy());
    }
    if (model != null) {
      root.set("model", modelNode(model));
    }
    root.set("calibration", calibration.deepCopy());
    root.set("master_scale", masterScaleJson(masterScale));
    root.set("reason_codes", reasonCodes.deepCopy());
    if (provenance != null) {
      ObjectNode p = root.putObject("provenance").put("trained_at", provenance.trainedAt())
          .put("training_data_sha256", provenance.trainingDataSha256()).put("trainer", provenance.trainer());
      if (sourceModelFile != null || sourceModelSha256 != null) {
        p.putObject("source_model").put("file", sourceModelFile).put("sha256", sourceModelSha256);
      }
    }
    if (!Double.isNaN(maxMissingShare)) {
      root.put("max_missing_share", maxMissingShare);
    }
    if (reasonReference != null) {
      root.set("reason_reference", reasonReference.deepCopy());
    }
    recorded.forEach((path, value) -> {
      if (path.equals("provenance.pd_calibration")) {
        if (root.get("provenance") instanceof ObjectNode p) {
          p.set("pd_calibration", value.deepCopy());
        }
      } else {
        root.set(path, value.deepCopy());
      }
    });
    root.putArray("golden_rows");
    return root;
  }

  private static void writeFeature(ObjectNode node, Feature feature) {
    FeatureSpec f = feature.spec();
    node.put("name", f.name());
    node.put("description", f.description());
    node.put("missing", feature.missing().name().toLowerCase(java.util.Locale.ROOT));
    if (feature.missing() == Missing.IMPUTE) {
      if (f.type() == FeatureType.CATEGORICAL) {
        node.put("impute_value", f.categories().get((int) feature.imputeValue()));
      } else {
        node.put("impute_value", feature.imputeValue());
      }
    }
    if (feature.reasonCode() != null) {
      node.put("reason_code", feature.reasonCode());
    }
    if (f.type() == FeatureType.CATEGORICAL) {
      node.put("type", "categorical");
      ArrayNode categories = node.putArray("categories");
      f.categories().forEach(categories::add);
    } else {
      node.put("type", "numeric");
      if (!f.unit().isEmpty() || feature.unitAlwaysWritten()) {
        node.put("unit", f.unit());
      }
      if (Double.isFinite(f.min())) {
        node.put("min", f.min());
      }
      if (Double.isFinite(f.max())) {
        node.put("max", f.max());
      }
      if (f.wholeNumber()) {
        node.put("whole_number", true);   // absent when false, so bundles without it keep their bytes
      }
    }
    if (feature.outOfRange() != null) {
      node.put("out_of_range", feature.outOfRange().name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** The {@code master_scale} section of a bundle holding {@code scale}: {@code {"grades": [...]}}. */
  public static ObjectNode masterScaleJson(MasterScale scale) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    writeMasterScale(scale, node.putArray("grades"));
    return node;
  }

  private static void writeMasterScale(MasterScale masterScale, ArrayNode grades) {
    for (MasterScale.Grade g : masterScale.grades()) {
      if (g.isDefault()) {
        grades.addObject().put("grade", g.name()).put("default", true);
      } else {
        grades.addObject().put("grade", g.name()).put("pd_upper", g.pdUpper())
            .put("representative_pd", g.representativePd());
      }
    }
  }

  /** The model section of a view. */
  private static ObjectNode modelNode(ModelView view) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    if (view instanceof ScorecardView s) {
      ObjectNode node = json.objectNode();
      node.put("kind", "scorecard");
      node.put("base_points", s.basePoints());
      ArrayNode list = node.putArray("characteristics");
      for (Characteristic c : s.characteristics()) {
        ObjectNode cn = list.addObject();
        cn.put("name", c.name());
        cn.put("feature", c.feature());
        cn.put("reason_code", c.reasonCode());
        writeBins(cn.putArray("bins"), c.bins(), "points");
      }
      return node;
    }
    if (view instanceof LogisticView l) {
      ObjectNode node = json.objectNode();
      node.put("kind", "logistic");
      node.put("intercept", l.intercept());
      ArrayNode terms = node.putArray("terms");
      for (LogisticView.Term t : l.terms()) {
        ObjectNode tn = terms.addObject();
        tn.put("feature", t.feature());
        tn.put("coefficient", t.coefficient());
        // 0 is the format's default reference, so it is left out
        if (t.reference() != 0) {
          tn.put("reference", t.reference());
        }
        tn.put("reason_code", t.reasonCode());
        if (t.woe() != null) {
          tn.put("transform", "woe");
          writeBins(tn.putArray("bins"), t.woe().bins(), "woe");
        }
      }
      return node;
    }
    return TreeEnsembleCodec.write(((TreeEnsembleView) view).ensemble());
  }

  private static void writeBins(ArrayNode out, List<Bin> bins, String valueKey) {
    for (Bin bin : bins) {
      ObjectNode o = out.addObject();
      if (bin instanceof Bin.Range r) {
        ArrayNode range = o.putArray("range");
        edge(range, r.lower());
        edge(range, r.upper());
      } else if (bin instanceof Bin.Categories c) {
        ArrayNode codes = o.putArray("categories");
        c.categories().forEach(codes::add);
      } else if (bin instanceof Bin.Special sp) {
        ArrayNode values = o.putArray("special");
        sp.values().forEach(values::add);
      } else {
        o.put("missing", true);
      }
      o.put(valueKey, bin.value());
    }
  }

  /** An open (infinite) interval end is JSON null. */
  private static void edge(ArrayNode range, double v) {
    if (Double.isInfinite(v)) {
      range.addNull();
    } else {
      range.add(v);
    }
  }
}

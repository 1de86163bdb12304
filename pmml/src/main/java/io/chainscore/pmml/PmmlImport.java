package io.chainscore.pmml;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.MasterScale;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoringException;
import io.chainscore.scoring.spi.Bin;
import io.chainscore.scoring.spi.BundleBuilder;
import io.chainscore.scoring.spi.Characteristic;
import io.chainscore.scoring.spi.LogisticView;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.ScorecardView;
import io.chainscore.scoring.spi.TreeEnsembleView;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a PMML 4.4 document into a model bundle ({@code docs/pmml.md}): a {@code Scorecard}, a
 * {@code RegressionModel} with a logistic reading, a {@code MiningModel} summing {@code
 * TreeModel} segments, or a segmented model ({@code MiningModel} with {@code selectFirst} segments
 * holding any of those), in the forms {@link PmmlExport} writes and the common variants other tools
 * write. Anything else is refused with a {@link ModelFormatException} naming the file, the line and
 * the element or attribute, never approximated: an unknown element or attribute inside the parts
 * that decide a score is an error.
 *
 * <p>The XML is read by {@link SafeXml}: no DOCTYPE, bounded size, depth, element count, attribute
 * count and text length.
 */
public final class PmmlImport {
  /**
   * What the bundle says that the PMML may not.
   *
   * @param source the file name used in messages
   * @param modelId model id, or null for the PMML's own (its ChainScore extension, else {@code modelName}, else {@code source} without extension)
   * @param trainedAt provenance time used when the PMML has no ChainScore provenance (ISO-8601 instant)
   * @param dataSha256 provenance hash used when the PMML has no ChainScore provenance (the file's SHA-256)
   * @param modelVersion model version, or null for the PMML's own (its ChainScore extension, else 1.0.0)
   * @param maxMissingShare the bundle's {@code max_missing_share} from 0 to 1, or NaN for the PMML's own
   *     ({@code X-MaxMissingShare}, else none)
   * @param importRecord what imported the document (tool, version, the file's name and SHA-256, the
   *     options), or null to keep the document's provenance as it is (a library round trip): when
   *     given, the bundle's {@code training_data_sha256} is {@code dataSha256} and its {@code
   *     trainer} this text followed by the document's own provenance, as what the document claims
   */
  public record Options(String source, String modelId, String trainedAt, String dataSha256, String modelVersion,
      double maxMissingShare, String importRecord) {
    /** Checks that {@code source} is given (the provenance values are checked where a document needs them). */
    public Options {
      if (source == null || source.isBlank()) {
        throw new IllegalArgumentException("source: the name of the PMML for messages and the description is required");
      }
      if (!Double.isNaN(maxMissingShare) && !(maxMissingShare >= 0 && maxMissingShare <= 1)) {
        throw new IllegalArgumentException("maxMissingShare " + maxMissingShare + ": expected a share from 0 to 1 or NaN");
      }
      if (importRecord != null && dataSha256 == null) {
        throw new IllegalArgumentException("importRecord needs the file's dataSha256");
      }
    }

    /** The document's own version, max_missing_share and provenance. */
    public Options(String source, String modelId, String trainedAt, String dataSha256) {
      this(source, modelId, trainedAt, dataSha256, null, Double.NaN, null);
    }
  }

  private final String source;
  /** What messages name the document by: {@code source}, or null when the caller names the file ({@link #read(Path, Options)}). */
  private final String at;
  private final Xml root;
  private final Options options;
  /** The ChainScore extension, or null for a PMML written by another tool. */
  private final Xml extension;
  private final Map<String, String> schemaName = new LinkedHashMap<>();
  private final Map<String, Xml> dataFields = new LinkedHashMap<>();
  /**
   * Schema features of {@code dataType="float"} fields: a PMML evaluator rounds their values to
   * float32 and compares them in float32 ({@link #float32Bound}).
   */
  private final Set<String> float32Features = new java.util.HashSet<>();
  /** While a segment's model is read: the segment's ChainScore extension (its calibration), else null. */
  private Xml segmentExtension;

  private PmmlImport(Xml root, Options options, String at) {
    this.root = root;
    this.options = options;
    this.source = options.source();
    this.at = at;
    Xml header = root.first("Header");
    Xml ext = null;
    if (header != null) {
      for (Xml e : header.all("Extension")) {
        if ("chainscore".equals(e.get("name"))) {
          ext = e;
        }
      }
    }
    this.extension = ext;
  }

  /**
   * Reads a PMML file (at most {@link SafeXml#MAX_BYTES} bytes). A {@link ModelFormatException}
   * names the file ({@link ModelFormatException#file()}) and, as its field, the line and element.
   */
  public static ModelBundle read(Path file, Options options) throws ModelFormatException, IOException {
    java.util.Objects.requireNonNull(options, "options");
    try {
      if (Files.isDirectory(file)) {
        throw new ModelFormatException("", "a directory; expected a PMML file");
      }
      long size = Files.size(file);
      if (size > SafeXml.MAX_BYTES) {
        throw new ModelFormatException("", "the file has " + size + " bytes, more than the PMML size limit of "
            + SafeXml.MAX_BYTES + " bytes (" + (SafeXml.MAX_BYTES >> 20) + " MiB)");
      }
      try (InputStream in = Files.newInputStream(file)) {
        return new PmmlImport(SafeXml.parse(in, null), options, null).build();
      }
    } catch (ModelFormatException e) {
      throw e.inFile(file);
    }
  }

  /** Reads a PMML document from a stream (not closed; read up to {@link SafeXml#MAX_BYTES} bytes). */
  public static ModelBundle read(InputStream in, Options options) throws ModelFormatException, IOException {
    java.util.Objects.requireNonNull(options, "options");
    Xml root = SafeXml.parse(in, options.source());
    return new PmmlImport(root, options, options.source()).build();
  }

  /**
   * The bundle with the provenance records of the ChainScore extension's {@code
   * X-ProvenanceRecords} (the bundle's own {@code provenance} fields beyond {@code X-Provenance}'s
   * attributes: the PD calibration's record, each segment's training) put back as they were
   * exported; the bundle as it is when there are none. They are checked as any bundle's are,
   * against the model read (a segment's record names a segment of it).
   */
  private ModelBundle withProvenanceRecords(ModelBundle bundle) throws ModelFormatException {
    Xml records = extension == null ? null : extension.first("X-ProvenanceRecords");
    if (records == null) {
      return bundle;
    }
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode parsed;
    try {
      parsed = mapper.readTree(records.text);
    } catch (IOException e) {
      throw error(records, "X-ProvenanceRecords", "expected the JSON object of the bundle's provenance records, got '"
          + abbreviate(records.text.strip()) + "'");
    }
    if (parsed == null || !parsed.isObject()) {
      throw error(records, "X-ProvenanceRecords", "expected the JSON object of the bundle's provenance records, got '"
          + abbreviate(records.text.strip()) + "'");
    }
    for (String attribute : PmmlExport.PROVENANCE_ATTRIBUTES) {
      if (parsed.has(attribute)) {
        throw error(records, "X-ProvenanceRecords", "field " + attribute + " belongs in X-Provenance's attributes");
      }
    }
    com.fasterxml.jackson.databind.node.ObjectNode doc;
    try {
      doc = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(bundle.toJson());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("provenance"))
        .setAll((com.fasterxml.jackson.databind.node.ObjectNode) parsed);
    try {
      return ModelBundle.seal(doc.toString());
    } catch (ModelFormatException e) {
      throw error(records, "X-ProvenanceRecords", "the records do not fit the model read: " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ errors and values

  private ModelFormatException error(Xml e, String what, String problem) {
    return new ModelFormatException(SafeXml.at(at, e.line, what), problem);
  }

  private ModelFormatException unsupported(Xml e, String parent) {
    return error(e, parent + "/" + e.name, "element " + e.name + " is not supported here by ChainScore's PMML import");
  }

  /** Refuses attributes outside {@code allowed}, naming the first. */
  private void attributes(Xml e, Set<String> allowed) throws ModelFormatException {
    for (String[] a : e.attributes) {
      if (!allowed.contains(a[0]) && !a[0].startsWith("xmlns")) {
        throw error(e, e.name + "@" + a[0], "attribute " + a[0] + "=\"" + a[1]
            + "\" is not supported by ChainScore's PMML import (supported: " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
  }

  private String required(Xml e, String attribute) throws ModelFormatException {
    String v = e.get(attribute);
    if (v == null) {
      throw error(e, e.name + "@" + attribute, "attribute " + attribute + " is required");
    }
    return v;
  }

  private double number(Xml e, String attribute, String text) throws ModelFormatException {
    String what = attribute == null ? e.name : e.name + "@" + attribute;
    String t = text.strip();
    if (!t.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?")) {
      throw error(e, what, "expected a finite number, got '" + abbreviate(t) + "'");
    }
    double v = Double.parseDouble(t);
    if (!Double.isFinite(v)) {
      throw error(e, what, "number '" + abbreviate(t) + "' is out of the double range");
    }
    return v;
  }

  private double number(Xml e, String attribute) throws ModelFormatException {
    return number(e, attribute, required(e, attribute));
  }

  private double number(Xml e, String attribute, double fallback) throws ModelFormatException {
    String v = e.get(attribute);
    return v == null ? fallback : number(e, attribute, v);
  }

  /** A value of a float field as a PMML evaluator parses it: the decimal rounded once to float32. */
  private float float32Value(Xml e, String attribute) throws ModelFormatException {
    number(e, attribute); // the same syntax and range checks as any number
    return Float.parseFloat(required(e, attribute).strip());
  }

  /**
   * The smallest double whose float32 rounding is at least {@code t}: {@code (float) x < t} exactly
   * when {@code x < float32Bound(t)}, ties to even included (the runtime's XGBoost bound).
   */
  private static double float32Bound(float t) {
    return Thresholds.float32LessThanBound(t);
  }

  /** The smallest double x with {@code (double) (float) x >= min} (a float field's lower margin). */
  private static double floatAtLeast(double min) {
    if (min == Double.NEGATIVE_INFINITY) {
      return min;
    }
    float f = (float) min;
    return float32Bound((double) f >= min ? f : Math.nextUp(f));
  }

  /** The largest double x with {@code (double) (float) x <= max} (a float field's upper margin). */
  private static double floatAtMost(double max) {
    if (max == Double.POSITIVE_INFINITY) {
      return max;
    }
    float f = (float) max;
    return Math.nextDown(float32Bound(Math.nextUp((double) f <= max ? f : Math.nextDown(f))));
  }

  /**
   * Refuses a model that reads a {@code dataType="float"} field where ChainScore computes in double
   * (a regression term, a double-precision tree split, a segment rule): a PMML evaluator would use
   * the value rounded to float32, so the scores would differ.
   */
  private void noFloat32Fields(String where) throws ModelFormatException {
    for (Map.Entry<String, String> e : schemaName.entrySet()) {
      if (float32Features.contains(e.getValue())) {
        Xml df = dataFields.get(e.getKey());
        throw error(df, "DataField@dataType", "DataField " + e.getKey() + " dataType float: " + where
            + " ChainScore decides in double where a PMML evaluator uses the value rounded to float32, so scores would"
            + " differ (float fields import into Scorecards and x-mathContext=\"float\" trees)");
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private void expectValue(Xml e, String attribute, String fallback, String... allowed) throws ModelFormatException {
    String v = e.get(attribute);
    String actual = v == null ? fallback : v;
    for (String a : allowed) {
      if (a.equals(actual)) {
        return;
      }
    }
    throw error(e, e.name + "@" + attribute, attribute + "=\"" + actual + "\" is not supported; expected "
        + String.join(" or ", allowed));
  }

  // ------------------------------------------------------------------ document

  private ModelBundle build() throws ModelFormatException {
    return withSourceModel(withProvenanceRecords(buildModel()));
  }

  /**
   * With an {@link Options#importRecord}, the bundle with {@code provenance.source_model} naming the
   * PMML file read (its name and SHA-256), as {@code chainscore import xgboost|lightgbm} names its
   * model file: {@code training_data_sha256} then holds the file's hash only because the format
   * requires one, and {@code chainscore document} shows it as the model file's, the training data
   * as not known. A {@code source_model} the document's records claim (a ChainScore export of an
   * imported bundle) names another file and is replaced: the import's trainer text keeps the claim.
   * The bundle as it is without an import record (a library round trip keeps the claim).
   */
  private ModelBundle withSourceModel(ModelBundle bundle) throws ModelFormatException {
    if (options.importRecord() == null) {
      return bundle;
    }
    com.fasterxml.jackson.databind.node.ObjectNode doc;
    try {
      doc = (com.fasterxml.jackson.databind.node.ObjectNode)
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundle.toJson());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    com.fasterxml.jackson.databind.node.ObjectNode provenance =
        (com.fasterxml.jackson.databind.node.ObjectNode) doc.get("provenance");
    provenance.putObject("source_model").put("file", options.source()).put("sha256", options.dataSha256());
    return ModelBundle.seal(doc.toString());
  }

  private ModelBundle buildModel() throws ModelFormatException {
    if (!root.name.equals("PMML")) {
      throw error(root, root.name, "the document element is " + root.name + "; expected PMML");
    }
    attributes(root, Set.of("version"));
    String version = required(root, "version");
    if (!version.startsWith("4.")) {
      throw error(root, "PMML@version", "PMML version " + version + " is not supported; expected 4.x");
    }
    Xml model = null;
    for (Xml c : root.children) {
      switch (c.name) {
        case "Header", "DataDictionary", "MiningBuildTask" -> { }
        case "TransformationDictionary" -> {
          if (!c.children.isEmpty()) {
            throw error(c, "TransformationDictionary", "global transformations are not supported; ChainScore reads"
                + " features as they are (DerivedFields only inside a RegressionModel's LocalTransformations)");
          }
        }
        case "Scorecard", "RegressionModel", "MiningModel" -> {
          if (model != null) {
            throw error(c, c.name, "a second model; ChainScore imports documents with one model");
          }
          model = c;
        }
        default -> throw error(c, "PMML/" + c.name, "element " + c.name + " is not supported; ChainScore imports"
            + " Scorecard, RegressionModel and MiningModel (sum of TreeModels)");
      }
    }
    if (model == null) {
      throw error(root, "PMML", "no model; expected a Scorecard, RegressionModel or MiningModel");
    }
    Xml dd = root.first("DataDictionary");
    if (dd == null) {
      throw error(root, "PMML/DataDictionary", "a DataDictionary is required");
    }
    for (Xml f : dd.children) {
      if (f.name.equals("Extension")) {
        continue;
      }
      if (!f.name.equals("DataField")) {
        throw unsupported(f, "DataDictionary");
      }
      String name = required(f, "name");
      if (dataFields.put(name, f) != null) {
        throw error(f, "DataField@name", "duplicate field " + name);
      }
    }
    if (model.name.equals("MiningModel") && selectsFirst(model)) {
      return segmented(model);
    }
    Features features = features(model);
    return switch (model.name) {
      case "Scorecard" -> scorecard(model, features);
      case "RegressionModel" -> regression(model, features);
      default -> trees(model, features);
    };
  }

  // ------------------------------------------------------------------ features

  /** The schema with its policies, from the DataDictionary and the model's MiningSchema. */
  private record Features(List<BundleBuilder.Feature> list, FeatureSchema schema) {}

  private Features features(Xml model) throws ModelFormatException {
    Xml ms = model.first("MiningSchema");
    if (ms == null) {
      throw error(model, model.name + "/MiningSchema", "a MiningSchema is required");
    }
    Map<String, Xml> extFeatures = new HashMap<>();
    if (extension != null) {
      for (Xml x : extension.all("X-Feature")) {
        extFeatures.put(x.get("name"), x);
      }
    }
    List<BundleBuilder.Feature> list = new ArrayList<>();
    List<FeatureSpec> specs = new ArrayList<>();
    Set<String> names = new java.util.HashSet<>();
    for (Xml mf : ms.children) {
      if (mf.name.equals("Extension")) {
        continue;
      }
      if (!mf.name.equals("MiningField")) {
        throw unsupported(mf, "MiningSchema");
      }
      attributes(mf, Set.of("name", "usageType", "optype", "invalidValueTreatment", "missingValueTreatment",
          "missingValueReplacement", "outliers", "lowValue", "highValue", "importance"));
      String name = required(mf, "name");
      String usage = mf.get("usageType") == null ? "active" : mf.get("usageType");
      if (usage.equals("target") || usage.equals("predicted") || usage.equals("supplementary")) {
        continue;
      }
      if (!usage.equals("active")) {
        throw error(mf, "MiningField@usageType", "usageType=\"" + usage + "\" is not supported; expected active or target");
      }
      Xml df = dataFields.get(name);
      if (df == null) {
        throw error(mf, "MiningField@name", "field " + name + " is not in the DataDictionary");
      }
      attributes(df, Set.of("name", "optype", "dataType", "displayName"));
      String optype = required(df, "optype");
      String dataType = required(df, "dataType");
      String featureName = TreeEnsemble.schemaName(name);
      if (!names.add(featureName)) {
        throw error(mf, "MiningField@name", "field " + name + " becomes feature " + featureName
            + ", the name of another field (ChainScore feature names are snake_case)");
      }
      schemaName.put(name, featureName);
      Xml ext = extFeatures.get(name);
      String description = ext != null && ext.get("description") != null ? ext.get("description") : "PMML field " + name;
      String unit = ext != null && ext.get("unit") != null ? ext.get("unit") : "";
      // returnInvalid: a value outside the field's valid values is refused (ChainScore's own policy).
      // asIs on a continuous field (what JPMML-LightGBM writes) makes the Interval a record of the
      // training range only: every finite value is valid. asMissing on a categorical field would
      // treat an unknown category as missing; ChainScore refuses it instead (a category is an index
      // into the listed values, and the batch readers refuse a code that is not listed), so such a
      // row is refused where JPMML would score it as missing: stricter, never different.
      String invalid = mf.get("invalidValueTreatment") == null ? "returnInvalid" : mf.get("invalidValueTreatment");
      boolean intervalIsValidRange = true;
      if (invalid.equals("asIs") && optype.equals("continuous")) {
        intervalIsValidRange = false;
      } else if (!(invalid.equals("returnInvalid") || (invalid.equals("asMissing") && optype.equals("categorical")))) {
        throw error(mf, "MiningField@invalidValueTreatment", "invalidValueTreatment=\"" + invalid + "\" is not"
            + " supported on a " + optype + " field; expected returnInvalid" + (optype.equals("continuous")
            ? " or asIs" : " or asMissing"));
      }
      FeatureSpec spec;
      BundleBuilder.OutOfRange outOfRange = null;
      if (optype.equals("categorical")) {
        if (!dataType.equals("string") && !dataType.equals("integer")) {
          throw error(df, "DataField@dataType", "a categorical field must be string or integer, got " + dataType);
        }
        List<String> codes = new ArrayList<>();
        for (Xml v : df.children) {
          if (v.name.equals("Extension")) {
            continue;
          }
          if (!v.name.equals("Value")) {
            throw unsupported(v, "DataField");
          }
          attributes(v, Set.of("value", "property", "displayValue"));
          expectValue(v, "property", "valid", "valid");
          codes.add(required(v, "value"));
        }
        if (codes.isEmpty()) {
          throw error(df, "DataField/Value", "a categorical field needs its valid values listed as Value elements");
        }
        if (mf.get("outliers") != null) {
          throw error(mf, "MiningField@outliers", "outlier treatment applies to continuous fields only");
        }
        try {
          spec = FeatureSpec.categorical(featureName, codes, description);
        } catch (IllegalArgumentException e) {
          throw error(df, "DataField", e.getMessage());
        }
      } else if (optype.equals("continuous")) {
        if (!Set.of("double", "float", "integer").contains(dataType)) {
          throw error(df, "DataField@dataType", "a continuous field must be double, float or integer, got " + dataType);
        }
        double min = Double.NEGATIVE_INFINITY;
        double max = Double.POSITIVE_INFINITY;
        int intervals = 0;
        for (Xml v : df.children) {
          if (v.name.equals("Extension")) {
            continue;
          }
          if (!v.name.equals("Interval")) {
            throw unsupported(v, "DataField");
          }
          if (++intervals > 1) {
            throw error(v, "DataField/Interval", "more than one Interval; ChainScore features have one valid range");
          }
          attributes(v, Set.of("closure", "leftMargin", "rightMargin"));
          expectValue(v, "closure", null, "closedClosed");
          if (intervalIsValidRange) {
            min = number(v, "leftMargin", Double.NEGATIVE_INFINITY);
            max = number(v, "rightMargin", Double.POSITIVE_INFINITY);
            if (dataType.equals("float")) {
              // valid iff min <= (float) x <= max: the same test on x with the margins moved to the
              // doubles whose float rounding is the first float at or above min, the last at or below max
              min = floatAtLeast(min);
              max = floatAtMost(max);
            }
          }
        }
        String outliers = mf.get("outliers") == null ? "asIs" : mf.get("outliers");
        if (outliers.equals("asExtremeValues")) {
          if (intervals > 0) {
            throw error(mf, "MiningField@outliers", "asExtremeValues with an Interval in the DataField: values outside the"
                + " Interval are invalid before they could be clamped; give the range as lowValue/highValue only");
          }
          min = number(mf, "lowValue", Double.NEGATIVE_INFINITY);
          max = number(mf, "highValue", Double.POSITIVE_INFINITY);
          outOfRange = BundleBuilder.OutOfRange.CLAMP;
          // clamping x at a float-exact bound gives the float value a PMML evaluator clamps to;
          // another bound would be compared with the float value and replace it by a non-float
          for (String a : List.of("lowValue", "highValue")) {
            double bound = a.equals("lowValue") ? min : max;
            if (dataType.equals("float") && Double.isFinite(bound) && (double) (float) bound != bound) {
              throw error(mf, "MiningField@" + a, "DataField " + name + " dataType float: " + a + " "
                  + Numbers.format(bound) + " is not a float32 value; ChainScore clamps float fields at float32 bounds only");
            }
          }
        } else if (!outliers.equals("asIs")) {
          throw error(mf, "MiningField@outliers", "outliers=\"" + outliers + "\" is not supported; expected asIs or asExtremeValues");
        }
        try {
          // an integer field refuses a value with a fraction, as a PMML evaluator does
          spec = dataType.equals("integer") ? FeatureSpec.integer(featureName, unit, min, max, description)
              : FeatureSpec.numeric(featureName, unit, min, max, description);
        } catch (IllegalArgumentException e) {
          throw error(df, "DataField/Interval", e.getMessage());
        }
      } else {
        throw error(df, "DataField@optype", "optype=\"" + optype + "\" is not supported; expected continuous or categorical");
      }
      BundleBuilder.Feature feature = BundleBuilder.Feature.of(spec);
      if (unit.isEmpty() && ext != null && ext.get("unit") != null) {
        feature = feature.withUnitAlwaysWritten();
      }
      if (outOfRange != null) {
        feature = feature.withOutOfRange(outOfRange);
      }
      if (ext != null && ext.get("reasonCode") != null) {
        feature = feature.withReasonCode(ext.get("reasonCode"));
      }
      String missing = mf.get("missingValueTreatment");
      String replacement = mf.get("missingValueReplacement");
      if ("returnInvalid".equals(missing)) {
        if (replacement != null) {
          throw error(mf, "MiningField@missingValueReplacement", "a replacement with missingValueTreatment=\"returnInvalid\"");
        }
        feature = feature.withMissing(BundleBuilder.Missing.REJECT, Double.NaN);
      } else if (replacement != null) {
        double value;
        if (spec.type() == FeatureType.CATEGORICAL) {
          value = spec.categoryIndex(replacement);
          if (value < 0) {
            throw error(mf, "MiningField@missingValueReplacement", "'" + replacement + "' is not a value of field " + name);
          }
        } else {
          value = number(mf, "missingValueReplacement");
          if (spec.wholeNumber() && value != Math.rint(value)) {
            throw error(mf, "MiningField@missingValueReplacement", Numbers.format(value) + " is not a whole number,"
                + " and field " + name + " is dataType integer");
          }
        }
        feature = feature.withMissing(BundleBuilder.Missing.IMPUTE, value);
      } else if (missing != null && !Set.of("asIs", "asValue", "asMean", "asMode", "asMedian").contains(missing)) {
        throw error(mf, "MiningField@missingValueTreatment", "missingValueTreatment=\"" + missing + "\" is not supported");
      }
      list.add(feature);
      specs.add(spec);
      if (dataType.equals("float") && optype.equals("continuous")) {
        float32Features.add(featureName);
      }
    }
    if (specs.isEmpty()) {
      throw error(ms, "MiningSchema", "no active field");
    }
    return new Features(list, FeatureSchema.of(specs));
  }

  /** The schema feature of a PMML field the model reads. */
  private String feature(Xml e, String attribute, String field) throws ModelFormatException {
    String name = schemaName.get(field);
    if (name == null) {
      throw error(e, e.name + "@" + attribute, "field " + field + " is not an active field of the MiningSchema");
    }
    return name;
  }

  // ------------------------------------------------------------------ scorecard

  private ModelBundle scorecard(Xml sc, Features features) throws ModelFormatException {
    attributes(sc, Set.of("modelName", "functionName", "algorithmName", "initialScore", "useReasonCodes",
        "reasonCodeAlgorithm", "baselineScore", "baselineMethod", "isScorable"));
    expectValue(sc, "functionName", null, "regression");
    expectValue(sc, "reasonCodeAlgorithm", "pointsBelow", "pointsBelow");
    expectValue(sc, "isScorable", "true", "true");
    boolean useReasonCodes = !"false".equals(sc.get("useReasonCodes"));
    double initial = number(sc, "initialScore", 0);
    Xml chars = null;
    for (Xml c : sc.children) {
      switch (c.name) {
        case "Extension", "MiningSchema", "Output", "ModelExplanation", "ModelVerification" -> { }
        case "Characteristics" -> chars = c;
        default -> throw unsupported(c, "Scorecard");
      }
    }
    if (chars == null) {
      throw error(sc, "Scorecard/Characteristics", "Characteristics are required");
    }
    List<Characteristic> list = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    Set<String> charNames = new java.util.HashSet<>();
    for (Xml ch : chars.children) {
      if (ch.name.equals("Extension")) {
        continue;
      }
      if (!ch.name.equals("Characteristic")) {
        throw unsupported(ch, "Characteristics");
      }
      attributes(ch, Set.of("name", "reasonCode", "baselineScore"));
      Characteristic c = characteristic(ch, sc, features, useReasonCodes, charNames.size());
      if (!charNames.add(c.name())) {
        throw error(ch, "Characteristic@name", "duplicate characteristic name " + c.name());
      }
      list.add(c);
      if (!codes.contains(c.reasonCode())) {
        codes.add(c.reasonCode());
      }
    }
    if (list.isEmpty()) {
      throw error(chars, "Characteristics", "no Characteristic");
    }
    // A missing value that no attribute takes makes JPMML fail the row: the feature refuses it.
    Set<String> noMissingBin = new java.util.HashSet<>();
    for (Characteristic c : list) {
      if (c.bins().stream().noneMatch(x -> x instanceof Bin.Missing)) {
        noMissingBin.add(c.feature());
      }
    }
    List<BundleBuilder.Feature> adjusted = new ArrayList<>();
    for (BundleBuilder.Feature f : features.list()) {
      adjusted.add(f.missing() == BundleBuilder.Missing.PASS && noMissingBin.contains(f.spec().name())
          ? f.withMissing(BundleBuilder.Missing.REJECT, Double.NaN) : f);
    }
    Features refined = new Features(adjusted, features.schema());
    BundleBuilder b = start(sc, refined, codes);
    b.model(new ScorecardView(initial, list));
    return finish(b, refined);
  }

  /** One attribute's condition on the characteristic's field, as the importer understands it. */
  private record Condition(boolean missing, boolean always, double lower, double upper, List<Double> specials,
      Set<String> categories) {}

  private Characteristic characteristic(Xml ch, Xml sc, Features features, boolean useReasonCodes, int index)
      throws ModelFormatException {
    String name = ch.get("name") != null ? ch.get("name") : "characteristic_" + (index + 1);
    String code = ch.get("reasonCode");
    if (code == null) {
      if (useReasonCodes) {
        throw error(ch, "Characteristic@reasonCode", "a reason code is required with useReasonCodes=\"true\""
            + " (ChainScore reports reasons per characteristic)");
      }
      code = name;
    }
    String field = null;
    List<Condition> conditions = new ArrayList<>();
    List<Double> points = new ArrayList<>();
    double best = Double.NEGATIVE_INFINITY;
    for (Xml a : ch.children) {
      if (a.name.equals("Extension")) {
        continue;
      }
      if (!a.name.equals("Attribute")) {
        throw unsupported(a, "Characteristic");
      }
      attributes(a, Set.of("partialScore", "reasonCode"));
      if (a.get("reasonCode") != null && !a.get("reasonCode").equals(code)) {
        throw error(a, "Attribute@reasonCode", "reason code " + a.get("reasonCode") + " differs from its characteristic's "
            + code + "; ChainScore has one reason code per characteristic");
      }
      Xml predicate = null;
      for (Xml p : a.children) {
        if (p.name.equals("Extension")) {
          continue;
        }
        if (p.name.equals("ComplexPartialScore")) {
          throw error(p, "Attribute/ComplexPartialScore", "ComplexPartialScore is not supported; give a partialScore");
        }
        if (!ATTRIBUTE_PREDICATES.contains(p.name)) {
          // named here, before a predicate after it would be blamed as the second one
          throw error(p, "Attribute/" + p.name, "element " + p.name + " is not supported here; expected one predicate:"
              + " SimplePredicate, SimpleSetPredicate, CompoundPredicate or True");
        }
        if (predicate != null) {
          throw error(p, "Attribute/" + p.name, "a second predicate; an Attribute holds one");
        }
        predicate = p;
      }
      if (predicate == null) {
        throw error(a, "Attribute", "a predicate is required");
      }
      double value = number(a, "partialScore");
      best = Math.max(best, value);
      String[] fieldOf = {field};
      conditions.add(condition(predicate, fieldOf, features));
      field = fieldOf[0];
      points.add(value);
    }
    if (conditions.isEmpty()) {
      throw error(ch, "Characteristic", "no Attribute");
    }
    String baseline = ch.get("baselineScore") != null ? ch.get("baselineScore") : sc.get("baselineScore");
    if (useReasonCodes && baseline != null) {
      double b = number(ch.get("baselineScore") != null ? ch : sc, "baselineScore");
      if (b != best) {
        throw error(ch, "Characteristic@baselineScore", "baseline " + Numbers.format(b) + " of characteristic " + name
            + " is not its best partial score " + Numbers.format(best) + "; ChainScore measures reasons against the best"
            + " attribute (baselineMethod max)");
      }
    } else if (useReasonCodes) {
      throw error(ch, "Characteristic@baselineScore", "a baselineScore is required with useReasonCodes=\"true\"");
    }
    if (field == null) {
      throw error(ch, "Characteristic", "no attribute tests a field");
    }
    FeatureSpec spec = features.schema().feature(features.schema().indexOf(field));
    List<Bin> bins = bins(ch, conditions, points, spec);
    return new Characteristic(name, field, code, bins);
  }

  /** The predicates an Attribute may hold ({@link #condition} reads each). */
  private static final Set<String> ATTRIBUTE_PREDICATES =
      Set.of("SimplePredicate", "SimpleSetPredicate", "CompoundPredicate", "True");

  /** Parses an attribute's predicate; {@code field[0]} is the characteristic's field (set by the first test). */
  private Condition condition(Xml p, String[] field, Features features) throws ModelFormatException {
    switch (p.name) {
      case "True":
        return new Condition(false, true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, List.of(), null);
      case "SimplePredicate": {
        attributes(p, Set.of("field", "operator", "value"));
        String f = sameField(p, field);
        String op = required(p, "operator");
        FeatureSpec spec = features.schema().feature(features.schema().indexOf(f));
        if (op.equals("isMissing")) {
          return new Condition(true, false, 0, 0, List.of(), null);
        }
        if (spec.type() == FeatureType.CATEGORICAL) {
          String v = required(p, "value");
          if (spec.categoryIndex(v) < 0) {
            throw error(p, "SimplePredicate@value", "'" + v + "' is not a value of field " + f);
          }
          if (op.equals("equal")) {
            return new Condition(false, false, 0, 0, List.of(), Set.of(v));
          }
          if (op.equals("notEqual")) {
            Set<String> rest = new java.util.HashSet<>(spec.categories());
            rest.remove(v);
            return new Condition(false, false, 0, 0, List.of(), rest);
          }
          throw error(p, "SimplePredicate@operator", "operator " + op + " on a categorical field; expected equal, notEqual or isMissing");
        }
        if (float32Features.contains(f)) {
          // (float) x < t exactly when x < float32Bound(t); x <= t when (float) x < nextUp(t)
          float t = float32Value(p, "value");
          double below = float32Bound(t);
          double belowOrAt = float32Bound(Math.nextUp(t));
          return switch (op) {
            case "lessThan" -> range(Double.NEGATIVE_INFINITY, below);
            case "lessOrEqual" -> range(Double.NEGATIVE_INFINITY, belowOrAt);
            case "greaterOrEqual" -> range(below, Double.POSITIVE_INFINITY);
            case "greaterThan" -> range(belowOrAt, Double.POSITIVE_INFINITY);
            case "equal" -> range(below, belowOrAt);
            default -> throw error(p, "SimplePredicate@operator", "operator " + op + " is not supported; expected lessThan,"
                + " lessOrEqual, greaterOrEqual, greaterThan, equal or isMissing");
          };
        }
        double v = number(p, "value");
        return switch (op) {
          case "lessThan" -> range(Double.NEGATIVE_INFINITY, v);
          case "lessOrEqual" -> range(Double.NEGATIVE_INFINITY, Math.nextUp(v));
          case "greaterOrEqual" -> range(v, Double.POSITIVE_INFINITY);
          case "greaterThan" -> range(Math.nextUp(v), Double.POSITIVE_INFINITY);
          case "equal" -> new Condition(false, false, 0, 0, List.of(v), null);
          default -> throw error(p, "SimplePredicate@operator", "operator " + op + " is not supported; expected lessThan,"
              + " lessOrEqual, greaterOrEqual, greaterThan, equal or isMissing");
        };
      }
      case "SimpleSetPredicate": {
        attributes(p, Set.of("field", "booleanOperator"));
        String f = sameField(p, field);
        FeatureSpec spec = features.schema().feature(features.schema().indexOf(f));
        String op = required(p, "booleanOperator");
        Xml array = p.first("Array");
        if (array == null || p.children.size() != 1) {
          throw error(p, "SimpleSetPredicate/Array", "exactly one Array is required");
        }
        List<String> values = array(array);
        if (spec.type() == FeatureType.CATEGORICAL) {
          for (String v : values) {
            if (spec.categoryIndex(v) < 0) {
              throw error(array, "Array", "'" + v + "' is not a value of field " + f);
            }
          }
          Set<String> set = new java.util.HashSet<>(values);
          if (op.equals("isNotIn")) {
            Set<String> rest = new java.util.HashSet<>(spec.categories());
            rest.removeAll(set);
            set = rest;
          } else if (!op.equals("isIn")) {
            throw error(p, "SimpleSetPredicate@booleanOperator", "expected isIn or isNotIn, got " + op);
          }
          return new Condition(false, false, 0, 0, List.of(), set);
        }
        if (!op.equals("isIn")) {
          throw error(p, "SimpleSetPredicate@booleanOperator", "on a continuous field only isIn is supported, got " + op);
        }
        if (float32Features.contains(f)) {
          throw error(p, "SimpleSetPredicate", "DataField " + p.get("field") + " dataType float: isIn on a float field"
              + " holds every double rounding to a listed float, which ChainScore's special values (exact doubles) cannot;"
              + " write equal tests");
        }
        List<Double> specials = new ArrayList<>();
        for (String v : values) {
          specials.add(number(array, null, v));
        }
        return new Condition(false, false, 0, 0, specials, null);
      }
      case "CompoundPredicate": {
        attributes(p, Set.of("booleanOperator"));
        String op = required(p, "booleanOperator");
        List<Condition> parts = new ArrayList<>();
        for (Xml c : p.children) {
          if (!c.name.equals("Extension")) {
            parts.add(condition(c, field, features));
          }
        }
        if (parts.size() < 2) {
          throw error(p, "CompoundPredicate", "needs at least two predicates");
        }
        if (op.equals("and") && parts.size() == 2 && isRange(parts.get(0)) && isRange(parts.get(1))) {
          return range(Math.max(parts.get(0).lower(), parts.get(1).lower()),
              Math.min(parts.get(0).upper(), parts.get(1).upper()));
        }
        if (op.equals("or") && parts.stream().allMatch(c -> !c.specials().isEmpty())) {
          List<Double> all = new ArrayList<>();
          parts.forEach(c -> all.addAll(c.specials()));
          return new Condition(false, false, 0, 0, all, null);
        }
        if (op.equals("or") && parts.size() == 2 && isRange(parts.get(0)) && isRange(parts.get(1))
            && parts.get(0).upper() >= parts.get(1).lower() && parts.get(1).upper() >= parts.get(0).lower()) {
          return range(Math.min(parts.get(0).lower(), parts.get(1).lower()),
              Math.max(parts.get(0).upper(), parts.get(1).upper()));
        }
        if (op.equals("or") && parts.stream().allMatch(c -> c.categories() != null)) {
          Set<String> all = new java.util.HashSet<>();
          parts.forEach(c -> all.addAll(c.categories()));
          return new Condition(false, false, 0, 0, List.of(), all);
        }
        throw error(p, "CompoundPredicate@booleanOperator", "this compound predicate is not supported; ChainScore reads an"
            + " 'and' of a lower and an upper bound, an 'or' of equal tests or of category sets");
      }
      default:
        throw error(p, p.name, "predicate " + p.name + " is not supported here; expected SimplePredicate,"
            + " SimpleSetPredicate, CompoundPredicate or True");
    }
  }

  private static boolean isRange(Condition c) {
    return !c.missing() && !c.always() && c.specials().isEmpty() && c.categories() == null;
  }

  private static Condition range(double lower, double upper) {
    return new Condition(false, false, lower, upper, List.of(), null);
  }

  private String sameField(Xml p, String[] field) throws ModelFormatException {
    String f = feature(p, "field", required(p, "field"));
    if (field[0] != null && !field[0].equals(f)) {
      throw error(p, p.name + "@field", "field " + p.get("field") + " differs from the characteristic's other attributes' "
          + field[0] + "; a characteristic reads one field");
    }
    field[0] = f;
    return f;
  }

  /** The entries of a PMML Array (quoted or plain, separated by white space). */
  private List<String> array(Xml array) throws ModelFormatException {
    attributes(array, Set.of("n", "type"));
    List<String> out = new ArrayList<>();
    String s = array.text;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      StringBuilder b = new StringBuilder();
      if (c == '"') {
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
          if (s.charAt(i) == '\\' && i + 1 < s.length()) {
            i++;
          }
          b.append(s.charAt(i++));
        }
        if (i >= s.length()) {
          throw error(array, "Array", "unterminated quoted value");
        }
        i++;
      } else {
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
          b.append(s.charAt(i++));
        }
      }
      out.add(b.toString());
    }
    if (array.get("n") != null && !array.get("n").equals(Integer.toString(out.size()))) {
      throw error(array, "Array@n", "n=\"" + abbreviate(array.get("n")) + "\" but the array holds " + out.size() + " values");
    }
    return out;
  }

  /**
   * Bins of a characteristic from its attributes under PMML's first-true rule: the missing bin is
   * the first attribute true for a missing value (isMissing or True), a special value or category
   * takes the first attribute that holds it, and the real line is carved into intervals, each
   * taking the first attribute whose range covers it.
   */
  private List<Bin> bins(Xml ch, List<Condition> conditions, List<Double> points, FeatureSpec spec)
      throws ModelFormatException {
    List<Bin> bins = new ArrayList<>();
    for (int k = 0; k < conditions.size(); k++) {
      Condition c = conditions.get(k);
      if (c.missing() || c.always()) {
        bins.add(new Bin.Missing(points.get(k)));
        break;
      }
    }
    if (spec.type() == FeatureType.CATEGORICAL) {
      Map<Integer, List<String>> byAttribute = new java.util.TreeMap<>();
      for (String code : spec.categories()) {
        int first = -1;
        for (int k = 0; k < conditions.size() && first < 0; k++) {
          Condition c = conditions.get(k);
          if (c.always() || (c.categories() != null && c.categories().contains(code))) {
            first = k;
          }
        }
        if (first < 0) {
          throw error(ch, "Characteristic " + ch.get("name"), "no Attribute holds value '" + code + "' of field "
              + spec.name() + "; every valid value must score");
        }
        byAttribute.computeIfAbsent(first, x -> new ArrayList<>()).add(code);
      }
      for (Map.Entry<Integer, List<String>> e : byAttribute.entrySet()) {
        bins.add(new Bin.Categories(e.getValue(), points.get(e.getKey())));
      }
      return bins;
    }
    // numeric: carve (-inf, +inf) by first match
    List<double[]> pieces = new ArrayList<>(); // {lower, upper, attribute}
    List<double[]> open = new ArrayList<>();
    open.add(new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY});
    List<double[]> specials = new ArrayList<>(); // {value, attribute}
    for (int k = 0; k < conditions.size(); k++) {
      Condition c = conditions.get(k);
      if (c.missing()) {
        continue;
      }
      if (c.categories() != null) {
        throw error(ch, "Characteristic " + ch.get("name"), "a set of categories on continuous field " + spec.name());
      }
      if (!c.specials().isEmpty()) {
        for (double v : c.specials()) {
          if (covered(open, v) && specials.stream().noneMatch(s -> s[0] == v)) {
            specials.add(new double[] {v, k});
          }
        }
        continue;
      }
      double lo = c.lower();
      double hi = c.upper();
      List<double[]> next = new ArrayList<>();
      for (double[] o : open) {
        double a = Math.max(o[0], lo);
        double b = Math.min(o[1], hi);
        if (a < b) {
          pieces.add(new double[] {a, b, k});
          if (o[0] < a) {
            next.add(new double[] {o[0], a});
          }
          if (b < o[1]) {
            next.add(new double[] {b, o[1]});
          }
        } else {
          next.add(o);
        }
      }
      open = next;
    }
    for (double[] o : open) {
      // values no attribute takes must lie outside the valid range
      if (o[0] <= spec.max() && o[1] > spec.min()) {
        throw error(ch, "Characteristic " + ch.get("name"), "no Attribute holds the values in [" + o[0] + ", " + o[1]
            + ") of field " + spec.name() + ", inside its valid range; every valid value must score");
      }
    }
    if (pieces.isEmpty()) {
      throw error(ch, "Characteristic " + ch.get("name"), "no Attribute holds a value of field " + spec.name());
    }
    pieces.sort((x, y) -> Double.compare(x[0], y[0]));
    // unreachable gaps (outside the valid range) join the neighbouring interval
    List<double[]> merged = new ArrayList<>();
    for (double[] p : pieces) {
      if (!merged.isEmpty()) {
        double[] last = merged.get(merged.size() - 1);
        if (last[1] < p[0]) {
          last[1] = p[0];
        }
        if (last[2] == p[2]) {
          last[1] = p[1];
          continue;
        }
      }
      merged.add(p.clone());
    }
    merged.get(0)[0] = Double.NEGATIVE_INFINITY;
    merged.get(merged.size() - 1)[1] = Double.POSITIVE_INFINITY;
    for (double[] s : specials) {
      bins.add(new Bin.Special(List.of(s[0]), points.get((int) s[1])));
    }
    for (double[] p : merged) {
      bins.add(new Bin.Range(p[0], p[1], points.get((int) p[2])));
    }
    return bins;
  }

  private static boolean covered(List<double[]> open, double v) {
    for (double[] o : open) {
      if (v >= o[0] && v < o[1]) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ regression

  private ModelBundle regression(Xml rm, Features features) throws ModelFormatException {
    attributes(rm, Set.of("modelName", "functionName", "algorithmName", "modelType", "targetFieldName",
        "normalizationMethod", "isScorable"));
    expectValue(rm, "isScorable", "true", "true");
    noFloat32Fields("a RegressionModel's terms:");
    String function = required(rm, "functionName");
    String normalization = rm.get("normalizationMethod") == null ? "none" : rm.get("normalizationMethod");
    List<Xml> tables = rm.all("RegressionTable");
    Xml table;
    if (function.equals("regression")) {
      if (!normalization.equals("none") && !normalization.equals("logit")) {
        throw error(rm, "RegressionModel@normalizationMethod", "normalizationMethod=\"" + normalization
            + "\" is not supported; expected none (the margin) or logit");
      }
      if (tables.size() != 1) {
        throw error(rm, "RegressionModel/RegressionTable", "a regression model needs exactly one RegressionTable");
      }
      table = tables.get(0);
    } else if (function.equals("classification")) {
      expectValue(rm, "normalizationMethod", "none", "logit");
      if (tables.size() != 2) {
        throw error(rm, "RegressionModel/RegressionTable", "a binary logistic classifier has two RegressionTables");
      }
      // the event table carries the equation, the other is the empty reference table
      Xml a = tables.get(0);
      Xml b = tables.get(1);
      if (isEmptyTable(b)) {
        table = a;
      } else if (isEmptyTable(a)) {
        throw error(a, "RegressionTable", "the first RegressionTable is the empty one; ChainScore reads the first"
            + " table as the event (default) class");
      } else {
        throw error(b, "RegressionTable", "the second RegressionTable must be empty (intercept 0, no predictors)");
      }
    } else {
      throw error(rm, "RegressionModel@functionName", "functionName=\"" + function + "\" is not supported");
    }
    Map<String, Xml> derived = new HashMap<>();
    Map<String, Xml> extTerms = new HashMap<>();
    for (Xml c : rm.children) {
      switch (c.name) {
        case "MiningSchema", "Output", "RegressionTable", "ModelExplanation", "ModelVerification" -> { }
        case "Extension" -> {
          if ("chainscore-terms".equals(c.get("name"))) {
            for (Xml t : c.all("X-Term")) {
              extTerms.put(t.get("feature"), t);
            }
          }
        }
        case "LocalTransformations" -> {
          for (Xml d : c.children) {
            if (!d.name.equals("DerivedField")) {
              throw unsupported(d, "LocalTransformations");
            }
            derived.put(required(d, "name"), d);
          }
        }
        default -> throw unsupported(c, "RegressionModel");
      }
    }
    attributes(table, Set.of("intercept", "targetCategory"));
    double intercept = number(table, "intercept", 0);
    List<LogisticView.Term> terms = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    for (Xml p : table.children) {
      if (p.name.equals("Extension")) {
        continue;
      }
      if (!p.name.equals("NumericPredictor")) {
        throw error(p, "RegressionTable/" + p.name, p.name + " is not supported; ChainScore reads NumericPredictors"
            + " on fields or on weight-of-evidence DerivedFields");
      }
      attributes(p, Set.of("name", "exponent", "coefficient"));
      expectValue(p, "exponent", "1", "1");
      String name = required(p, "name");
      double coefficient = number(p, "coefficient");
      Characteristic woe = null;
      String feature;
      if (derived.containsKey(name)) {
        Xml d = derived.get(name);
        Xml expr = d.children.size() == 1 ? d.children.get(0) : null;
        if (expr == null) {
          throw error(d, "DerivedField", "expected one expression");
        }
        String[] field = {null};
        List<Object[]> cases = new ArrayList<>();
        double otherwise = ifChain(expr, field, cases, features);
        feature = field[0];
        FeatureSpec spec = features.schema().feature(features.schema().indexOf(feature));
        woe = new Characteristic(name, feature, "", woeBins(d, cases, otherwise, spec));
      } else {
        feature = feature(p, "name", name);
        if (features.schema().feature(features.schema().indexOf(feature)).type() == FeatureType.CATEGORICAL) {
          throw error(p, "NumericPredictor@name", "field " + name + " is categorical");
        }
      }
      Xml ext = extTerms.get(feature);
      String code = ext != null && ext.get("reasonCode") != null ? ext.get("reasonCode") : feature;
      double reference = ext != null ? number(ext, "reference", 0) : 0;
      terms.add(new LogisticView.Term(feature, coefficient, reference, code, woe));
      if (!codes.contains(code)) {
        codes.add(code);
      }
    }
    if (terms.isEmpty()) {
      throw error(table, "RegressionTable", "no predictor");
    }
    BundleBuilder b = start(rm, features, codes);
    b.model(new LogisticView(intercept, terms));
    return finish(b, features);
  }

  private static boolean isEmptyTable(Xml t) {
    String intercept = t.get("intercept");
    return (intercept == null || Double.parseDouble(intercept) == 0) && t.children.isEmpty();
  }

  /**
   * Reads a nested {@code if(condition, constant, else)} chain (what {@link PmmlExport} writes for
   * a WoE binning) into {@code cases} ({condition, value}); returns the final else value.
   */
  private double ifChain(Xml e, String[] field, List<Object[]> cases, Features features) throws ModelFormatException {
    Xml at = e;
    while (at.name.equals("Apply") && "if".equals(at.get("function"))) {
      attributes(at, Set.of("function"));
      if (at.children.size() != 3 || !at.children.get(1).name.equals("Constant")) {
        throw error(at, "Apply@function", "expected if(condition, Constant, else)");
      }
      Xml cond = at.children.get(0);
      attributes(cond, Set.of("function"));
      String fn = required(cond, "function");
      if (cond.children.isEmpty() || !cond.children.get(0).name.equals("FieldRef")) {
        throw error(cond, "Apply", "expected a FieldRef first");
      }
      String f = feature(cond.children.get(0), "field", required(cond.children.get(0), "field"));
      if (field[0] != null && !field[0].equals(f)) {
        throw error(cond, "FieldRef@field", "one binning reads one field");
      }
      field[0] = f;
      List<String> args = new ArrayList<>();
      for (Xml c : cond.children.subList(1, cond.children.size())) {
        if (!c.name.equals("Constant")) {
          throw unsupported(c, "Apply");
        }
        args.add(c.text);
      }
      if (!Set.of("isMissing", "isIn", "lessThan").contains(fn)) {
        throw error(cond, "Apply@function", "function " + fn + " is not supported in a binning; expected isMissing, isIn or lessThan");
      }
      cases.add(new Object[] {fn, args, cond, number(at.children.get(1), null, at.children.get(1).text)});
      at = at.children.get(2);
    }
    if (!at.name.equals("Constant")) {
      throw error(at, at.name, "expected a Constant as the last else of a binning");
    }
    return number(at, null, at.text);
  }

  @SuppressWarnings("unchecked")
  private List<Bin> woeBins(Xml d, List<Object[]> cases, double otherwise, FeatureSpec spec) throws ModelFormatException {
    List<Bin> bins = new ArrayList<>();
    List<Double> uppers = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    // The chain is read in order, as PMML evaluates it: the first case that holds gives the value.
    // A bin of this model has no order (specials before intervals, missing apart), so a value an
    // earlier case takes is left out of a later case's bin, and an isMissing case after another case
    // is refused: a missing value meets that case first, which PMML evaluates as an error (JPMML
    // refuses the row). Until 2026-12-07 the cases were read as unordered bins.
    Set<Double> seenValues = new java.util.HashSet<>();
    boolean otherCaseBefore = false;
    for (Object[] c : cases) {
      String fn = (String) c[0];
      List<String> args = (List<String>) c[1];
      Xml cond = (Xml) c[2];
      double value = (Double) c[3];
      if (fn.equals("isMissing")) {
        if (otherCaseBefore) {
          throw error(cond, "Apply@function", "isMissing after another case of the if chain: a missing value meets that"
              + " case first, which PMML evaluates as an error; put the isMissing case first");
        }
        bins.add(new Bin.Missing(value));
        continue;
      }
      otherCaseBefore = true;
      if (fn.equals("isIn") && spec.type() == FeatureType.CATEGORICAL) {
        List<String> codes = new ArrayList<>();
        for (String a : args) {
          if (spec.categoryIndex(a) < 0) {
            throw error(cond, "Constant", "'" + a + "' is not a value of field " + spec.name());
          }
          if (seen.add(a)) {
            codes.add(a);
          }
        }
        if (!codes.isEmpty()) {
          bins.add(new Bin.Categories(codes, value));
        }
      } else if (fn.equals("isIn")) {
        List<Double> specials = new ArrayList<>();
        double takenBelow = uppers.isEmpty() ? Double.NEGATIVE_INFINITY : uppers.get(uppers.size() - 1);
        for (String a : args) {
          double v = number(cond, null, a);
          // below an earlier lessThan's bound, or named by an earlier isIn: that case takes it
          if (v >= takenBelow && seenValues.add(v)) {
            specials.add(v);
          }
        }
        if (!specials.isEmpty()) {
          bins.add(new Bin.Special(specials, value));
        }
      } else {
        if (args.size() != 1 || spec.type() == FeatureType.CATEGORICAL) {
          throw error(cond, "Apply@function", "lessThan takes the field and one number on a continuous field");
        }
        double upper = number(cond, null, args.get(0));
        if (!uppers.isEmpty() && upper <= uppers.get(uppers.size() - 1)) {
          throw error(cond, "Constant", "interval bounds must increase");
        }
        uppers.add(upper);
        values.add(value);
      }
    }
    if (spec.type() == FeatureType.CATEGORICAL) {
      List<String> rest = new ArrayList<>();
      for (String code : spec.categories()) {
        if (!seen.contains(code)) {
          rest.add(code);
        }
      }
      if (!rest.isEmpty()) {
        bins.add(new Bin.Categories(rest, otherwise));
      }
      return bins;
    }
    double lower = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < uppers.size(); i++) {
      bins.add(new Bin.Range(lower, uppers.get(i), values.get(i)));
      lower = uppers.get(i);
    }
    bins.add(new Bin.Range(lower, Double.POSITIVE_INFINITY, otherwise));
    return bins;
  }

  // ------------------------------------------------------------------ trees

  /**
   * The margin model of a converter's classification chain: JPMML-XGBoost and JPMML-LightGBM write
   * a binary classifier as a {@code modelChain} of the sum of trees (a regression MiningModel whose
   * {@code Targets} add the base margin and whose one {@code OutputField} carries the sum) and a
   * {@code logit} RegressionModel that multiplies that field by a coefficient (LightGBM's sigmoid).
   */
  private record Chain(Xml margin, double rescaleConstant, double sigmoid, String event) {}

  /** The chain's parts, or null when {@code mm} is not a classification chain. */
  private Chain chain(Xml mm) throws ModelFormatException {
    if (!"classification".equals(mm.get("functionName"))) {
      return null;
    }
    attributes(mm, Set.of("modelName", "functionName", "algorithmName", "isScorable", "x-mathContext"));
    Xml seg = mm.first("Segmentation");
    if (seg == null) {
      throw error(mm, "MiningModel/Segmentation", "a Segmentation is required");
    }
    attributes(seg, Set.of("multipleModelMethod", "missingPredictionTreatment", "missingThreshold"));
    expectValue(seg, "multipleModelMethod", null, "modelChain");
    for (Xml c : mm.children) {
      if (!Set.of("MiningSchema", "Output", "ModelExplanation", "ModelVerification", "Extension", "Segmentation")
          .contains(c.name)) {
        throw unsupported(c, "MiningModel");
      }
    }
    List<Xml> segments = new ArrayList<>();
    for (Xml s : seg.children) {
      if (s.name.equals("Segment")) {
        segments.add(s);
      } else if (!s.name.equals("Extension")) {
        throw unsupported(s, "Segmentation");
      }
    }
    if (segments.size() != 2) {
      throw error(seg, "Segmentation", "a classification modelChain of " + segments.size() + " segments; ChainScore"
          + " reads two: the sum of trees, then a logit RegressionModel on its output");
    }
    Xml margin = onlyModel(segments.get(0), "MiningModel");
    Xml logit = onlyModel(segments.get(1), "RegressionModel");
    String field = null;
    double rescale = 0;
    for (Xml c : margin.children) {
      if (c.name.equals("Output")) {
        List<Xml> fields = c.all("OutputField");
        if (fields.size() != 1) {
          throw error(c, "MiningModel/Output", "the sum of trees must output one field (its margin)");
        }
        attributes(fields.get(0), Set.of("name", "optype", "dataType", "feature", "isFinalResult"));
        expectValue(fields.get(0), "feature", "predictedValue", "predictedValue");
        field = required(fields.get(0), "name");
      } else if (c.name.equals("Targets")) {
        List<Xml> targets = c.all("Target");
        if (targets.size() != 1) {
          throw error(c, "Targets", "one Target expected");
        }
        Xml t = targets.get(0);
        attributes(t, Set.of("field", "rescaleConstant", "rescaleFactor", "optype"));
        expectValue(t, "rescaleFactor", "1", "1", "1.0");
        rescale = number(t, "rescaleConstant", 0.0);
      }
    }
    if (field == null) {
      throw error(margin, "MiningModel/Output", "the sum of trees must name its margin in an OutputField");
    }
    attributes(logit, Set.of("modelName", "functionName", "algorithmName", "normalizationMethod", "isScorable",
        "x-mathContext", "targetFieldName"));
    expectValue(logit, "functionName", null, "classification");
    expectValue(logit, "normalizationMethod", "none", "logit");
    double coefficient = Double.NaN;
    String event = null;
    for (Xml c : logit.children) {
      switch (c.name) {
        case "MiningSchema", "Output", "Extension" -> { }
        case "RegressionTable" -> {
          attributes(c, Set.of("intercept", "targetCategory"));
          if (number(c, "intercept", 0.0) != 0.0) {
            throw error(c, "RegressionTable@intercept", "a non-zero intercept after the sum of trees is not"
                + " supported; the base margin belongs in the trees' Targets rescaleConstant");
          }
          List<Xml> predictors = c.all("NumericPredictor");
          if (c.children.size() != predictors.size()) {
            throw unsupported(c.children.stream().filter(x -> !x.name.equals("NumericPredictor")).findFirst().get(),
                "RegressionTable");
          }
          if (predictors.size() == 1) {
            Xml p = predictors.get(0);
            attributes(p, Set.of("name", "coefficient", "exponent"));
            expectValue(p, "exponent", "1", "1");
            if (!field.equals(p.get("name"))) {
              throw error(p, "NumericPredictor@name", "expected the trees' output field " + field);
            }
            if (event != null) {
              throw error(c, "RegressionTable", "only one table may carry the trees' output");
            }
            coefficient = number(p, "coefficient");
            event = required(c, "targetCategory");
          } else if (!predictors.isEmpty()) {
            throw error(c, "RegressionTable", "expected one NumericPredictor (the trees' output)");
          }
        }
        default -> throw unsupported(c, "RegressionModel");
      }
    }
    if (event == null || !(coefficient > 0)) {
      throw error(logit, "RegressionModel/RegressionTable", "expected the event's table to multiply the trees' output"
          + " by a positive coefficient");
    }
    return new Chain(margin, rescale, coefficient, event);
  }

  /** The one model of a chain segment whose predicate is True. */
  private Xml onlyModel(Xml segment, String expected) throws ModelFormatException {
    attributes(segment, Set.of("id", "weight"));
    Xml model = null;
    boolean sawTrue = false;
    for (Xml c : segment.children) {
      if (c.name.equals("True")) {
        sawTrue = true;
      } else if (c.name.equals(expected) && model == null) {
        model = c;
      } else if (!c.name.equals("Extension")) {
        throw error(c, "Segment/" + c.name, "a chain segment must have predicate True and hold a " + expected);
      }
    }
    if (!sawTrue || model == null) {
      throw error(segment, "Segment", "a chain segment must have predicate True and hold a " + expected);
    }
    return model;
  }

  private ModelBundle trees(Xml outer, Features features) throws ModelFormatException {
    Chain chain = chain(outer);
    Xml mm = chain == null ? outer : chain.margin();
    attributes(mm, Set.of("modelName", "functionName", "algorithmName", "isScorable", "x-mathContext"));
    expectValue(mm, "functionName", null, "regression");
    expectValue(mm, "isScorable", "true", "true");
    expectValue(mm, "x-mathContext", "double", "double", "float");
    boolean float32 = "float".equals(mm.get("x-mathContext"));
    if (!float32) {
      noFloat32Fields("trees without x-mathContext=\"float\" split in double:");
    }
    if (chain != null && !java.util.Objects.equals(outer.get("x-mathContext"), mm.get("x-mathContext"))) {
      throw error(outer, "MiningModel@x-mathContext", "the chain and its trees disagree on x-mathContext");
    }
    TreeEnsemble.Link link = TreeEnsemble.Link.LOGISTIC;
    double sigmoid = chain == null ? 1.0 : chain.sigmoid();
    String sourceName = "PMML " + (float32 ? "float32" : "float64") + " trees from " + source;
    Xml seg = null;
    for (Xml c : mm.children) {
      switch (c.name) {
        case "MiningSchema", "Output", "ModelExplanation", "ModelVerification" -> { }
        case "Targets" -> {
          if (chain == null) {
            throw unsupported(c, "MiningModel");
          }
        }
        case "Extension" -> {
          if ("chainscore-trees".equals(c.get("name")) && c.first("X-Ensemble") != null) {
            Xml x = c.first("X-Ensemble");
            sigmoid = number(x, "sigmoidScale", 1.0);
            if ("IDENTITY".equals(x.get("link"))) {
              link = TreeEnsemble.Link.IDENTITY;
            }
            if (x.get("source") != null) {
              sourceName = x.get("source");
            }
            String precision = x.get("precision");
            if (precision != null && !precision.equals(float32 ? "FLOAT32" : "FLOAT64")) {
              throw error(x, "X-Ensemble@precision", "precision " + precision + " disagrees with x-mathContext");
            }
          }
        }
        case "Segmentation" -> seg = c;
        default -> throw unsupported(c, "MiningModel");
      }
    }
    if (seg == null) {
      throw error(mm, "MiningModel/Segmentation", "a Segmentation is required");
    }
    attributes(seg, Set.of("multipleModelMethod", "missingPredictionTreatment", "missingThreshold"));
    expectValue(seg, "multipleModelMethod", null, "sum");
    FeatureSchema schema = features.schema();
    List<String> names = new ArrayList<>();
    List<Boolean> categorical = new ArrayList<>();
    for (FeatureSpec f : schema.features()) {
      names.add(f.name());
      categorical.add(f.type() == FeatureType.CATEGORICAL);
    }
    List<DecisionTree> trees = new ArrayList<>();
    double base = 0;
    int index = 0;
    for (Xml s : seg.children) {
      if (s.name.equals("Extension")) {
        continue;
      }
      if (!s.name.equals("Segment")) {
        throw unsupported(s, "Segmentation");
      }
      attributes(s, Set.of("id", "weight"));
      expectValue(s, "weight", "1", "1", "1.0");
      Xml tm = null;
      boolean sawTrue = false;
      for (Xml c : s.children) {
        if (c.name.equals("True")) {
          sawTrue = true;
        } else if (c.name.equals("TreeModel")) {
          tm = c;
        } else if (!c.name.equals("Extension")) {
          throw error(c, "Segment/" + c.name, "a segment must have predicate True and hold a TreeModel");
        }
      }
      if (!sawTrue || tm == null) {
        throw error(s, "Segment", "a segment must have predicate True and hold a TreeModel");
      }
      attributes(tm, Set.of("modelName", "functionName", "algorithmName", "missingValueStrategy",
          "noTrueChildStrategy", "splitCharacteristic", "isScorable", "x-mathContext", "missingValuePenalty"));
      expectValue(tm, "functionName", null, "regression");
      // defaultChild only: under "none" (the default) a missing value makes a split UNKNOWN and
      // PMML ignores defaultChild, which this import routes every missing value by (it accepted
      // "none" and scored it as defaultChild until 2026-12-07: 155 of 300 rows unlike JPMML's)
      expectValue(tm, "missingValueStrategy", "none", "defaultChild");
      expectValue(tm, "splitCharacteristic", "multiSplit", "binarySplit", "multiSplit");
      expectValue(tm, "x-mathContext", float32 ? "float" : "double", float32 ? "float" : "double");
      Xml root = null;
      for (Xml c : tm.children) {
        switch (c.name) {
          case "MiningSchema", "Extension", "Output", "ModelExplanation" -> { }
          case "Node" -> root = c;
          default -> throw unsupported(c, "TreeModel");
        }
      }
      if (root == null) {
        throw error(tm, "TreeModel/Node", "a root Node is required");
      }
      TreeBuilder t = new TreeBuilder(float32, schema, features);
      t.walk(root, true);
      if (index == 0 && t.left.size() == 1) {
        base = t.leaf.get(0);
      } else {
        trees.add(t.tree("Segment " + (s.get("id") == null ? Integer.toString(index) : s.get("id")), names.size(), s));
      }
      index++;
    }
    if (chain != null) {
      base += chain.rescaleConstant();
    }
    TreeEnsemble ensemble = TreeEnsemble.of(names, categorical, trees, float32 ? (double) (float) base : base, link,
        sigmoid, float32 ? TreeEnsemble.Precision.FLOAT32 : TreeEnsemble.Precision.FLOAT64, sourceName);
    List<String> codes = new ArrayList<>();
    List<BundleBuilder.Feature> withCodes = new ArrayList<>();
    for (BundleBuilder.Feature f : features.list()) {
      String code = f.reasonCode() != null ? f.reasonCode() : f.spec().name();
      withCodes.add(f.withReasonCode(code));
      if (!codes.contains(code)) {
        codes.add(code);
      }
    }
    Features coded = new Features(withCodes, schema);
    BundleBuilder b = start(outer, coded, codes);
    if (chain != null && extension == null) {
      b.description("Imported from PMML " + source + " (" + (outer.get("algorithmName") == null ? "trees"
          : outer.get("algorithmName")) + "): PD is the probability of target category " + chain.event());
    }
    b.model(new TreeEnsembleView(ensemble));
    return finish(b, coded);
  }

  /** Collects one TreeModel's nodes into the runtime's parallel arrays. */
  private final class TreeBuilder {
    final boolean float32;
    final FeatureSchema schema;
    final List<Integer> left = new ArrayList<>();
    final List<Integer> right = new ArrayList<>();
    final List<Integer> feature = new ArrayList<>();
    final List<Double> threshold = new ArrayList<>();
    final List<Boolean> categorical = new ArrayList<>();
    final List<int[]> categories = new ArrayList<>();
    final List<Boolean> defaultLeft = new ArrayList<>();
    final List<DecisionTree.MissingRule> rule = new ArrayList<>();
    final List<Double> leaf = new ArrayList<>();
    final List<Double> cover = new ArrayList<>();

    TreeBuilder(boolean float32, FeatureSchema schema, Features features) {
      this.float32 = float32;
      this.schema = schema;
    }

    /** Adds node {@code n} (its predicate already read by the parent) and returns its index. */
    int walk(Xml n, boolean root) throws ModelFormatException {
      attributes(n, Set.of("id", "score", "recordCount", "defaultChild"));
      int i = left.size();
      left.add(-1);
      right.add(-1);
      feature.add(0);
      threshold.add(0.0);
      categorical.add(false);
      categories.add(null);
      defaultLeft.add(false);
      rule.add(DecisionTree.MissingRule.NAN_TO_DEFAULT);
      leaf.add(0.0);
      cover.add(number(n, "recordCount", 1.0));
      if (cover.get(i) < 0) {
        throw error(n, "Node@recordCount", "must not be negative");
      }
      List<Xml> kids = new ArrayList<>();
      Xml predicate = null;
      for (Xml c : n.children) {
        switch (c.name) {
          case "Node" -> kids.add(c);
          case "Extension" -> { }
          case "True", "False", "SimplePredicate", "SimpleSetPredicate", "CompoundPredicate" -> predicate = c;
          default -> throw unsupported(c, "Node");
        }
      }
      if (root && (predicate == null || !predicate.name.equals("True"))) {
        throw error(n, "Node", "the root node's predicate must be True");
      }
      if (kids.isEmpty()) {
        leaf.set(i, number(n, "score"));
        return i;
      }
      if (kids.size() != 2) {
        throw error(n, "Node", kids.size() + " child nodes; ChainScore reads binary splits (two children)");
      }
      Xml a = kids.get(0);
      Xml b = kids.get(1);
      Xml pa = predicateOf(a);
      Xml pb = predicateOf(b);
      if (!pb.name.equals("True") && !complements(pa, pb)) {
        throw error(pb, "Node/" + pb.name, "the second child's predicate must be True or the complement of the"
            + " first's (binary split, first true child wins)");
      }
      String defaultChild = n.get("defaultChild");
      boolean firstIsLess = true;
      DecisionTree.MissingRule r = DecisionTree.MissingRule.NAN_TO_DEFAULT;
      // the first child is taken when its predicate holds
      if (pa.name.equals("SimpleSetPredicate")) {
        attributes(pa, Set.of("field", "booleanOperator"));
        expectValue(pa, "booleanOperator", null, "isIn", "isNotIn");
        boolean notIn = "isNotIn".equals(pa.get("booleanOperator"));
        String f = feature(pa, "field", required(pa, "field"));
        FeatureSpec spec = schema.feature(schema.indexOf(f));
        if (spec.type() != FeatureType.CATEGORICAL) {
          throw error(pa, "SimpleSetPredicate@field", "a set split needs a categorical field");
        }
        Xml array = pa.first("Array");
        if (array == null) {
          throw error(pa, "SimpleSetPredicate/Array", "an Array is required");
        }
        java.util.BitSet firstSet = new java.util.BitSet();
        for (String code : array(array)) {
          int k = spec.categoryIndex(code);
          if (k < 0) {
            throw error(array, "Array", "'" + code + "' is not a value of field " + f);
          }
          firstSet.set(k);
        }
        if (notIn) {
          firstSet.flip(0, spec.categories().size());
        }
        // XGBoost rules (float32): set members go right; LightGBM rules: members go left
        java.util.BitSet set = (java.util.BitSet) firstSet.clone();
        if (float32) {
          set = new java.util.BitSet();
          for (int k = 0; k < spec.categories().size(); k++) {
            if (!firstSet.get(k)) {
              set.set(k);
            }
          }
        }
        feature.set(i, schema.indexOf(f));
        boolean missingFirst = missingGoesFirst(n, a, b, defaultChild);
        int prefix = firstSet.nextClearBit(0);
        if (!float32 && missingFirst && firstSet.cardinality() == prefix) {
          // codes 0..prefix-1 first and missing values with them: the numeric split "index <= prefix - 1"
          // on the category index (as Smile's ordinal splits are), which the runtime routes alike
          threshold.set(i, (double) (prefix - 1));
        } else if (!float32 && missingFirst) {
          throw error(n, "Node@defaultChild", "a double-precision set split sends missing values to the second"
              + " child (as LightGBM does) unless its set is the first codes of the field; this one sends them to the first");
        } else {
          categorical.set(i, true);
          categories.set(i, set.stream().toArray());
        }
        defaultLeft.set(i, missingFirst);
      } else if (pa.name.equals("SimplePredicate")) {
        attributes(pa, Set.of("field", "operator", "value"));
        String f = feature(pa, "field", required(pa, "field"));
        if (schema.feature(schema.indexOf(f)).type() == FeatureType.CATEGORICAL) {
          throw error(pa, "SimplePredicate@field", "a numeric split on categorical field " + f);
        }
        String op = required(pa, "operator");
        double v = number(pa, "value");
        double bound = switch (op) {
          case "lessThan", "greaterOrEqual" -> v;
          case "lessOrEqual", "greaterThan" -> Math.nextUp(v);
          default -> throw error(pa, "SimplePredicate@operator", "operator " + op + " is not supported in a split");
        };
        firstIsLess = op.startsWith("less");
        feature.set(i, schema.indexOf(f));
        threshold.set(i, float32 ? (double) Thresholds.float32Threshold(bound) : Thresholds.float64Threshold(bound));
        boolean missingFirst = missingGoesFirst(n, a, b, defaultChild);
        defaultLeft.set(i, firstIsLess == missingFirst);
      } else if (pa.name.equals("CompoundPredicate") && !float32) {
        // the zero-as-missing split PmmlExport writes for LightGBM's missing type Zero
        Object[] z = zeroSplit(pa);
        feature.set(i, schema.indexOf((String) z[0]));
        threshold.set(i, Thresholds.float64Threshold((Double) z[1]));
        r = DecisionTree.MissingRule.ZERO_AND_NAN_TO_DEFAULT;
        boolean missingFirst = missingGoesFirst(n, a, b, defaultChild);
        if (missingFirst != (Boolean) z[2]) {
          throw error(n, "Node@defaultChild", "the default child disagrees with where the split sends zero");
        }
        defaultLeft.set(i, missingFirst);
      } else {
        throw error(pa, "Node/" + pa.name, "split predicate " + pa.name + " is not supported; expected SimplePredicate"
            + " or SimpleSetPredicate (isIn) on the first child and True on the second");
      }
      rule.set(i, r);
      int ia = walk(a, false);
      int ib = walk(b, false);
      if (firstIsLess) {
        left.set(i, ia);
        right.set(i, ib);
      } else {
        left.set(i, ib);
        right.set(i, ia);
      }
      return i;
    }

    /**
     * Whether {@code b} holds exactly when {@code a} does not, for a value that is present (as
     * converters write binary splits: {@code lessThan} then {@code greaterOrEqual} on the same value,
     * or {@code isIn} then {@code isNotIn} on the same set); missing values follow {@code defaultChild}.
     */
    private boolean complements(Xml a, Xml b) {
      if (!a.name.equals(b.name) || a.get("field") == null || !a.get("field").equals(b.get("field"))) {
        return false;
      }
      if (a.name.equals("SimplePredicate")) {
        String opposite = switch (String.valueOf(a.get("operator"))) {
          case "lessThan" -> "greaterOrEqual";
          case "greaterOrEqual" -> "lessThan";
          case "lessOrEqual" -> "greaterThan";
          case "greaterThan" -> "lessOrEqual";
          default -> null;
        };
        return opposite != null && opposite.equals(b.get("operator")) && a.get("value") != null
            && a.get("value").equals(b.get("value")) && b.children.isEmpty();
      }
      if (a.name.equals("SimpleSetPredicate")) {
        Xml arrayA = a.first("Array");
        Xml arrayB = b.first("Array");
        if (arrayA == null || arrayB == null || !java.util.Objects.equals(arrayA.get("type"), arrayB.get("type"))) {
          return false;
        }
        boolean opposite = "isIn".equals(a.get("booleanOperator")) ? "isNotIn".equals(b.get("booleanOperator"))
            : "isNotIn".equals(a.get("booleanOperator")) && "isIn".equals(b.get("booleanOperator"));
        if (opposite) {
          return arrayA.text.strip().equals(arrayB.text.strip());
        }
        // isIn the complementary set of the field's values (as JPMML-LightGBM writes)
        if (!"isIn".equals(a.get("booleanOperator")) || !"isIn".equals(b.get("booleanOperator"))) {
          return false;
        }
        String name = schemaName.get(a.get("field"));
        if (name == null || schema.indexOf(name) < 0) {
          return false;
        }
        List<String> values = schema.feature(schema.indexOf(name)).categories();
        try {
          Set<String> first = new java.util.HashSet<>(array(arrayA));
          Set<String> second = new java.util.HashSet<>(array(arrayB));
          Set<String> union = new java.util.HashSet<>(first);
          union.addAll(second);
          return first.size() + second.size() == union.size() && union.equals(new java.util.HashSet<>(values));
        } catch (ModelFormatException e) {
          return false;
        }
      }
      return false;
    }

    /**
     * The predicate of a node; a categorical field's {@code SimplePredicate equal v} (or {@code
     * notEqual v}) as the set predicate {@code isIn [v]} ({@code isNotIn [v]}) it is. JPMML-LightGBM
     * writes a split with one category on a side so ({@code isIn [1 2 3]} beside {@code equal 4}),
     * and {@link #complements} then checks the sides against the field's declared values.
     */
    private Xml predicateOf(Xml node) throws ModelFormatException {
      for (Xml c : node.children) {
        if (!c.name.equals("Node") && !c.name.equals("Extension")) {
          return asSet(c);
        }
      }
      throw error(node, "Node", "a predicate is required");
    }

    private Xml asSet(Xml p) throws ModelFormatException {
      String op = p.get("operator");
      String name = p.get("field") == null ? null : schemaName.get(p.get("field"));
      if (!p.name.equals("SimplePredicate") || !("equal".equals(op) || "notEqual".equals(op)) || name == null
          || schema.indexOf(name) < 0 || schema.feature(schema.indexOf(name)).type() != FeatureType.CATEGORICAL) {
        return p;
      }
      attributes(p, Set.of("field", "operator", "value"));
      String value = required(p, "value");
      String dataType = dataFields.get(p.get("field")).get("dataType");
      Xml set = new Xml("SimpleSetPredicate").attr("field", p.get("field"))
          .attr("booleanOperator", op.equals("equal") ? "isIn" : "isNotIn");
      set.line = p.line;
      boolean plain = value.matches("[^\\s\"\\\\]+");
      Xml array = set.add("Array").attr("n", 1).attr("type", "integer".equals(dataType) ? "int" : "string")
          .text(plain ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
      array.line = p.line;
      return set;
    }

    /** Whether missing values take the first child, from {@code defaultChild}. */
    private boolean missingGoesFirst(Xml n, Xml a, Xml b, String defaultChild) throws ModelFormatException {
      if (defaultChild == null) {
        throw error(n, "Node@defaultChild", "a split needs defaultChild (missingValueStrategy=\"defaultChild\"): where"
            + " missing values go");
      }
      if (defaultChild.equals(a.get("id"))) {
        return true;
      }
      if (defaultChild.equals(b.get("id"))) {
        return false;
      }
      throw error(n, "Node@defaultChild", "defaultChild=\"" + abbreviate(defaultChild) + "\" is neither child's id");
    }

    /** {field, bound, zeroGoesFirst} of a zero-as-missing split, or an error. */
    private Object[] zeroSplit(Xml p) throws ModelFormatException {
      String op = p.get("booleanOperator");
      List<Xml> parts = p.children;
      double z = Thresholds.ZERO_THRESHOLD;
      try {
        if ("or".equals(op) && parts.size() == 2 && parts.get(0).name.equals("CompoundPredicate")) {
          Xml zero = parts.get(0);
          Xml less = parts.get(1);
          if (zero.children.size() == 2 && number(zero.children.get(0), "value") == -z
              && number(zero.children.get(1), "value") == z && "lessThan".equals(less.get("operator"))) {
            return new Object[] {feature(less, "field", required(less, "field")), number(less, "value"), true};
          }
        }
        if ("and".equals(op) && parts.size() == 2 && parts.get(0).name.equals("CompoundPredicate")) {
          Xml notZero = parts.get(0);
          Xml less = parts.get(1);
          if (notZero.children.size() == 2 && number(notZero.children.get(0), "value") == -z
              && number(notZero.children.get(1), "value") == z && "lessThan".equals(less.get("operator"))) {
            return new Object[] {feature(less, "field", required(less, "field")), number(less, "value"), false};
          }
        }
      } catch (ModelFormatException e) {
        // fall through to the general refusal
      }
      throw error(p, "CompoundPredicate", "this compound split is not supported (ChainScore reads the zero-as-missing"
          + " form it writes for LightGBM's missing type Zero)");
    }

    DecisionTree tree(String path, int featureCount, Xml at) throws ModelFormatException {
      int n = left.size();
      double[] thr = new double[n];
      double[] lv = new double[n];
      double[] cv = new double[n];
      int[] l = new int[n];
      int[] r = new int[n];
      int[] f = new int[n];
      boolean[] cat = new boolean[n];
      boolean[] dl = new boolean[n];
      for (int i = 0; i < n; i++) {
        thr[i] = threshold.get(i);
        lv[i] = leaf.get(i);
        cv[i] = cover.get(i);
        l[i] = left.get(i);
        r[i] = right.get(i);
        f[i] = feature.get(i);
        cat[i] = categorical.get(i);
        dl[i] = defaultLeft.get(i);
      }
      try {
        return DecisionTree.of(path, featureCount, l, r, f, thr, cat, categories.toArray(new int[0][]), dl,
            rule.toArray(new DecisionTree.MissingRule[0]), lv, cv, 1.0);
      } catch (ModelFormatException e) {
        throw error(at, "Segment", e.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------ segmented

  /**
   * Whether a MiningModel is a segmentation that selects one model per row: its Segmentation's
   * {@code multipleModelMethod} is {@code selectFirst}, or its segments hold scorecards or
   * regressions (then any other method is refused by {@link #segmented}).
   */
  private static boolean selectsFirst(Xml mm) {
    Xml seg = mm.first("Segmentation");
    if (seg == null) {
      return false;
    }
    if ("selectFirst".equals(seg.get("multipleModelMethod"))) {
      return true;
    }
    for (Xml s : seg.all("Segment")) {
      if (s.first("Scorecard") != null || (s.first("RegressionModel") != null
          && !"modelChain".equals(seg.get("multipleModelMethod")))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A segmented bundle from a {@code MiningModel} whose Segmentation selects the first segment
   * whose predicate is true, in the form {@link PmmlExport} writes: each Segment's id is the
   * segment's name, its model is read as a standalone model (its ChainScore extension giving its
   * calibration), the segments share their features and policies, and the predicates are exactly
   * the routing of rules on single features ({@link PmmlExport#routing}): the rules are read from
   * them, the routing those rules give is written again and must be the document's, element for
   * element, so that the bundle routes every row as the PMML does.
   */
  private ModelBundle segmented(Xml mm) throws ModelFormatException {
    attributes(mm, Set.of("modelName", "functionName", "algorithmName", "isScorable"));
    expectValue(mm, "functionName", null, "regression");
    expectValue(mm, "isScorable", "true", "true");
    Xml seg = null;
    Xml outerSchema = null;
    for (Xml c : mm.children) {
      switch (c.name) {
        case "Extension", "ModelExplanation", "ModelVerification" -> { }
        case "MiningSchema" -> outerSchema = c;
        case "Output" -> {
          for (Xml f : c.children) {
            if (f.name.equals("Extension")) {
              continue;
            }
            if (!f.name.equals("OutputField")) {
              throw unsupported(f, "Output");
            }
            attributes(f, Set.of("name", "optype", "dataType", "feature", "isFinalResult", "displayName"));
            if (!"entityId".equals(f.get("feature"))) {
              throw error(f, "OutputField@feature", "output field " + f.get("name") + " of a segmented MiningModel: "
                  + "ChainScore reads each segment's own outputs and, on the MiningModel, only the segment's id"
                  + " (feature=\"entityId\")");
            }
          }
        }
        case "Segmentation" -> seg = c;
        default -> throw unsupported(c, "MiningModel");
      }
    }
    if (outerSchema == null) {
      throw error(mm, "MiningModel/MiningSchema", "a MiningSchema is required");
    }
    attributes(seg, Set.of("multipleModelMethod"));
    String method = required(seg, "multipleModelMethod");
    if (!method.equals("selectFirst")) {
      throw error(seg, "Segmentation@multipleModelMethod", "multipleModelMethod=\"" + method + "\" over scorecards or"
          + " regressions is not supported; ChainScore reads a segmented model as selectFirst (each row scored by"
          + " the first segment whose predicate is true)");
    }
    List<Xml> segments = new ArrayList<>();
    for (Xml c : seg.children) {
      if (c.name.equals("Segment")) {
        segments.add(c);
      } else if (!c.name.equals("Extension")) {
        throw unsupported(c, "Segmentation");
      }
    }
    if (segments.size() < 2) {
      throw error(seg, "Segmentation", "a segmented model needs at least two segments, got " + segments.size());
    }
    List<String> names = new ArrayList<>();
    List<Xml> predicates = new ArrayList<>();
    List<Xml> models = new ArrayList<>();
    List<Xml> extensions = new ArrayList<>();
    for (Xml s : segments) {
      attributes(s, Set.of("id"));
      String name = required(s, "id");
      if (names.contains(name)) {
        throw error(s, "Segment@id", "duplicate segment id " + name);
      }
      names.add(name);
      Xml predicate = null;
      Xml model = null;
      Xml ext = null;
      for (Xml c : s.children) {
        switch (c.name) {
          case "Extension" -> {
            if ("chainscore-segment".equals(c.get("name"))) {
              ext = c;
            }
          }
          case "SimplePredicate", "SimpleSetPredicate", "CompoundPredicate", "True", "False" -> {
            if (predicate != null) {
              throw error(c, "Segment/" + c.name, "segment " + name + " has a second predicate");
            }
            predicate = c;
          }
          case "Scorecard", "RegressionModel", "MiningModel" -> {
            if (model != null) {
              throw error(c, "Segment/" + c.name, "segment " + name + " has a second model");
            }
            model = c;
          }
          default -> throw error(c, "Segment/" + c.name, "element " + c.name + " is not supported in a Segment;"
              + " ChainScore reads a predicate and a Scorecard, RegressionModel or MiningModel (of trees)");
        }
      }
      if (predicate == null) {
        throw error(s, "Segment", "segment " + name + " has no predicate");
      }
      if (model == null) {
        throw error(s, "Segment", "segment " + name + " has no model; expected a Scorecard, RegressionModel or"
            + " MiningModel (of trees)");
      }
      if (model.name.equals("MiningModel") && selectsFirst(model)) {
        throw error(model, "Segment/MiningModel", "segment " + name + " is itself segmented; a segment's model"
            + " cannot be");
      }
      predicates.add(predicate);
      models.add(model);
      extensions.add(ext);
    }
    // each segment's model as a standalone bundle, on the features its MiningSchema gives
    List<ModelBundle> children = new ArrayList<>();
    Features shared = null;
    List<String> codes = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      Xml model = models.get(s);
      Features features = features(model);
      noFloat32Fields("a segmented model's rules:");
      if (shared == null) {
        shared = features;
      } else if (!features.list().equals(shared.list())) {
        throw error(model.first("MiningSchema"), model.name + "/MiningSchema", "segment " + names.get(s)
            + "'s fields or their policies differ from segment " + names.get(0) + "'s; the segments of a segmented"
            + " model share their features");
      }
      segmentExtension = extensions.get(s);
      ModelBundle child;
      try {
        child = switch (model.name) {
          case "Scorecard" -> scorecard(model, features);
          case "RegressionModel" -> regression(model, features);
          default -> trees(model, features);
        };
      } finally {
        segmentExtension = null;
      }
      children.add(child);
      for (ModelBundle.ReasonCode c : child.reasonCodes()) {
        if (!codes.contains(c.code())) {
          codes.add(c.code());
        }
      }
    }
    checkOuterSchema(outerSchema, shared);
    List<PmmlExport.Rule> rules;
    if (predicates.get(predicates.size() - 1).name.equals("True")) {
      rules = inOrder(names, predicates, shared);
    } else {
      rules = rules(names, predicates, shared);
      for (int s = 0; s < segments.size(); s++) {
        sameXml(PmmlExport.routing(rules, names, s), predicates.get(s), names.get(s));
      }
    }
    return assemble(mm, shared, codes, names, rules, children);
  }

  /** The MiningModel's own MiningSchema: the segments' fields, read as they are (routing reads raw values). */
  private void checkOuterSchema(Xml ms, Features shared) throws ModelFormatException {
    Set<String> fields = new java.util.HashSet<>();
    for (Xml mf : ms.children) {
      if (mf.name.equals("Extension")) {
        continue;
      }
      if (!mf.name.equals("MiningField")) {
        throw unsupported(mf, "MiningSchema");
      }
      attributes(mf, Set.of("name", "usageType", "invalidValueTreatment"));
      expectValue(mf, "usageType", "active", "active");
      expectValue(mf, "invalidValueTreatment", "returnInvalid", "returnInvalid");
      String name = required(mf, "name");
      if (!schemaName.containsKey(name)) {
        throw error(mf, "MiningField@name", "field " + name + " is not a field of the segments' models");
      }
      fields.add(name);
    }
    for (String field : schemaName.keySet()) {
      if (!fields.contains(field)) {
        throw error(ms, "MiningModel/MiningSchema", "field " + field + " of the segments' models is not in the"
            + " MiningModel's MiningSchema");
      }
    }
  }

  /**
   * The rules of the form other tools write, which relies on {@code selectFirst}'s order: every
   * segment but the last has one test as its predicate and the last has {@code True}. A row
   * missing a test's field makes that predicate unknown, so PMML goes on to the next segment:
   * each rule's missing values go on to the next rule ({@code "missing": "next"}), and the last
   * segment takes every row the tests leave.
   */
  private List<PmmlExport.Rule> inOrder(List<String> names, List<Xml> predicates, Features shared)
      throws ModelFormatException {
    List<PmmlExport.Rule> rules = new ArrayList<>();
    for (int s = 0; s + 1 < names.size(); s++) {
      Xml p = predicates.get(s);
      if (p.name.equals("True")) {
        throw error(p, "Segment/True", "segment " + names.get(s) + " has predicate True before the last segment;"
            + " it would take every row and the segments after it none");
      }
      if (!p.name.equals("SimplePredicate") && !p.name.equals("SimpleSetPredicate")) {
        throw error(p, "Segment/" + p.name, "segment " + names.get(s) + ": with True as the last segment's"
            + " predicate, the segments are tried in order and each earlier one's predicate must be one test"
            + " (SimplePredicate or SimpleSetPredicate isIn), not " + p.name);
      }
      PmmlExport.Rule r = test(p, names.get(s), shared);
      rules.add(new PmmlExport.Rule(r.feature(), r.op(), r.value(), r.values(), PmmlExport.NEXT));
    }
    return rules;
  }

  /**
   * The routing rules as the predicates state them: segment s's rule (s before the last) is the last
   * test of its predicate's first branch, a test before it that is {@code or(negation,
   * isMissing)} sends the missing values of its rule on to the next rule, and a later branch ending
   * in {@code isMissing} after k tests sends the missing values of rule k to segment s. Rules name
   * PMML fields.
   */
  private List<PmmlExport.Rule> rules(List<String> names, List<Xml> predicates, Features shared)
      throws ModelFormatException {
    int n = names.size();
    for (int s = 0; s < n; s++) {
      List<Xml> branches = branches(predicates.get(s));
      if (branches.isEmpty()) {
        throw error(predicates.get(s), "CompoundPredicate", "segment " + names.get(s) + ": an empty CompoundPredicate");
      }
      for (Xml branch : branches) {
        if (conjuncts(branch).isEmpty()) {
          throw error(branch, "CompoundPredicate", "segment " + names.get(s) + ": an empty CompoundPredicate");
        }
      }
    }
    List<PmmlExport.Rule> rules = new ArrayList<>();
    for (int s = 0; s + 1 < n; s++) {
      List<Xml> first = conjuncts(branches(predicates.get(s)).get(0));
      rules.add(test(first.get(first.size() - 1), names.get(s), shared));
    }
    String[] missing = new String[n - 1];
    // a rule passed by "or(negation, isMissing)" on the way to a later segment: missing values go on
    for (int s = 1; s < n; s++) {
      List<Xml> first = conjuncts(branches(predicates.get(s)).get(0));
      for (int j = 0; j < Math.min(s, n - 1) && j < first.size(); j++) {
        Xml part = first.get(j);
        if (part.name.equals("CompoundPredicate") && "or".equals(part.get("booleanOperator"))) {
          missing[j] = PmmlExport.NEXT;
        }
      }
    }
    for (int s = 0; s < n; s++) {
      List<Xml> branches = branches(predicates.get(s));
      for (Xml branch : branches.subList(1, branches.size())) {
        List<Xml> parts = conjuncts(branch);
        Xml last = parts.get(parts.size() - 1);
        int i = parts.size() - 1;
        if (!last.name.equals("SimplePredicate") || !"isMissing".equals(last.get("operator"))) {
          throw error(last, last.name, "segment " + names.get(s) + ": a branch after the first of a segment's"
              + " predicate must end in isMissing (the rows missing a rule's feature that the rule sends here)");
        }
        if (i >= n - 1 || !rules.get(i).feature().equals(last.get("field"))) {
          throw error(last, "SimplePredicate@field", "segment " + names.get(s) + ": after " + i + (i == 1 ? " test" : " tests") + ", isMissing"
              + " must test the field of rule " + (i + 1) + (i < n - 1 ? " (" + rules.get(i).feature() + ")" : "")
              + ", as the rules are applied in order");
        }
        if (missing[i] != null) {
          throw error(last, "SimplePredicate", "the missing values of " + last.get("field") + " at rule " + (i + 1)
              + " go to two places, " + (missing[i].equals(PmmlExport.NEXT) ? "the next rule" : missing[i]) + " and "
              + names.get(s));
        }
        missing[i] = names.get(s);
      }
    }
    List<PmmlExport.Rule> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      PmmlExport.Rule r = rules.get(i);
      out.add(new PmmlExport.Rule(r.feature(), r.op(), r.value(), r.values(), missing[i]));
    }
    return out;
  }

  private static List<Xml> branches(Xml p) {
    return p.name.equals("CompoundPredicate") && "or".equals(p.get("booleanOperator")) ? p.children.stream()
        .filter(c -> !c.name.equals("Extension")).toList() : List.of(p);
  }

  private static List<Xml> conjuncts(Xml p) {
    return p.name.equals("CompoundPredicate") && "and".equals(p.get("booleanOperator")) ? p.children.stream()
        .filter(c -> !c.name.equals("Extension")).toList() : List.of(p);
  }

  /** A rule's test: a comparison of a continuous field with a number, or a categorical field's isIn. */
  private PmmlExport.Rule test(Xml p, String segment, Features shared) throws ModelFormatException {
    String at = "segment " + segment + "'s rule: ";
    if (p.name.equals("SimplePredicate")) {
      attributes(p, Set.of("field", "operator", "value"));
      String field = required(p, "field");
      FeatureSpec spec = shared.schema().feature(shared.schema().indexOf(feature(p, "field", field)));
      String operator = required(p, "operator");
      String op = null;
      for (Map.Entry<String, String[]> e : PmmlExport.OPERATORS.entrySet()) {
        if (e.getValue()[0].equals(operator)) {
          op = e.getKey();
        }
      }
      if (op == null) {
        throw error(p, "SimplePredicate@operator", at + "operator=\"" + abbreviate(operator) + "\" is not supported;"
            + " expected lessThan, lessOrEqual, greaterThan, greaterOrEqual, equal or notEqual");
      }
      if (spec.type() != FeatureType.NUMERIC) {
        throw error(p, "SimplePredicate@field", at + operator + " compares numbers; field " + field + " is categorical"
            + " (test its categories with a SimpleSetPredicate)");
      }
      return new PmmlExport.Rule(field, op, number(p, "value"), List.of(), null);
    }
    if (p.name.equals("SimpleSetPredicate")) {
      attributes(p, Set.of("field", "booleanOperator"));
      String field = required(p, "field");
      FeatureSpec spec = shared.schema().feature(shared.schema().indexOf(feature(p, "field", field)));
      expectValue(p, "booleanOperator", null, "isIn");
      if (spec.type() != FeatureType.CATEGORICAL) {
        throw error(p, "SimpleSetPredicate@field", at + "isIn tests categories; field " + field + " is continuous");
      }
      List<Xml> arrays = p.all("Array");
      if (arrays.size() != 1 || p.children.size() != 1) {
        throw error(p, "SimpleSetPredicate", at + "expected one Array of categories");
      }
      expectValue(arrays.get(0), "type", null, "string");
      return new PmmlExport.Rule(field, "in", Double.NaN, array(arrays.get(0)), null);
    }
    throw error(p, p.name, at + "element " + p.name + " is not a rule ChainScore reads; a segment's rule is a"
        + " SimplePredicate comparing a continuous field with a number or a SimpleSetPredicate (isIn) on a"
        + " categorical field");
  }

  /** Refuses a predicate that differs from the routing the rules give, naming the first element that differs. */
  private void sameXml(Xml expected, Xml actual, String segment) throws ModelFormatException {
    String problem = null;
    if (!expected.name.equals(actual.name)) {
      problem = "element " + actual.name;
    } else {
      List<Xml> children = actual.children.stream().filter(c -> !c.name.equals("Extension")).toList();
      if (children.size() != expected.children.size()) {
        problem = children.size() + " parts";
      } else if (expected.name.equals("Array")) {
        if (!array(actual).equals(array(expected))) {
          problem = "values " + abbreviate(actual.text.strip());
        }
      } else {
        Map<String, String> want = new LinkedHashMap<>();
        expected.attributes.forEach(a -> want.put(a[0], a[1]));
        Map<String, String> got = new LinkedHashMap<>();
        actual.attributes.stream().filter(a -> !a[0].startsWith("xmlns")).forEach(a -> got.put(a[0], a[1]));
        if (!want.keySet().equals(got.keySet())) {
          problem = "attributes " + got.keySet();
        } else {
          for (Map.Entry<String, String> e : want.entrySet()) {
            String g = got.get(e.getKey());
            boolean same = e.getKey().equals("value") && !e.getValue().equals(g)
                ? number(actual, "value", g) == Double.parseDouble(e.getValue()) : e.getValue().equals(g);
            if (!same) {
              problem = e.getKey() + "=\"" + abbreviate(g) + "\"";
              break;
            }
          }
        }
      }
    }
    if (problem != null) {
      throw error(actual, actual.name, "segment " + segment + "'s predicate is not the routing of its rules (each a"
          + " test of one field, first match wins, missing values refused unless a rule's isMissing branch sends"
          + " them to a segment or or(negation, isMissing) on to the next rule): " + problem + " where " + describe(expected) + " was expected");
    }
    for (int k = 0; k < expected.children.size(); k++) {
      sameXml(expected.children.get(k), actual.children.stream().filter(c -> !c.name.equals("Extension")).toList()
          .get(k), segment);
    }
  }

  private static String describe(Xml e) {
    StringBuilder b = new StringBuilder("<").append(e.name);
    for (String[] a : e.attributes) {
      b.append(' ').append(a[0]).append("=\"").append(a[1]).append('"');
    }
    return b.append(e.children.isEmpty() && e.text.isEmpty() ? "/>" : ">").toString();
  }

  /**
   * The segmented bundle: the shared parts (features, score scale, master scale, reason codes,
   * reference, provenance) as a plain bundle of the first segment's model writes them, with the
   * segments' rules, models and calibrations as its {@code model}; golden rows added as {@link
   * #finish} does.
   */
  private ModelBundle assemble(Xml mm, Features shared, List<String> codes, List<String> names,
      List<PmmlExport.Rule> rules, List<ModelBundle> children) throws ModelFormatException {
    BundleBuilder b = start(mm, shared, codes);
    b.model(ModelView.of(children.get(0)));
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode root;
    try {
      root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(b.build().toJson());
    } catch (ModelFormatException e) {
      throw new ModelFormatException(at, "the segments do not form a valid ChainScore bundle: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    root.remove("sha256");
    root.remove("golden_rows");
    root.remove("calibration");
    com.fasterxml.jackson.databind.node.ObjectNode model = root.putObject("model");
    model.put("kind", "segmented");
    com.fasterxml.jackson.databind.node.ArrayNode list = model.putArray("segments");
    for (int s = 0; s < names.size(); s++) {
      com.fasterxml.jackson.databind.node.ObjectNode segment = list.addObject();
      segment.put("name", names.get(s));
      if (s == rules.size()) {
        segment.put("when", "otherwise");
      } else {
        PmmlExport.Rule r = rules.get(s);
        com.fasterxml.jackson.databind.node.ObjectNode when = segment.putObject("when")
            .put("feature", schemaName.get(r.feature())).put("op", r.op());
        if (r.op().equals("in")) {
          r.values().forEach(when.putArray("values")::add);
        } else {
          when.put("value", r.value());
        }
        if (r.missing() != null) {
          when.put("missing", r.missing());
        }
      }
      com.fasterxml.jackson.databind.JsonNode child;
      try {
        child = mapper.readTree(children.get(s).toJson());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      segment.set("model", child.get("model"));
      if (child.has("calibration")) {
        segment.set("calibration", child.get("calibration"));
      }
      if (child.has("reason_reference") && !child.get("reason_reference").equals(root.get("reason_reference"))) {
        segment.set("reason_reference", child.get("reason_reference"));
      }
    }
    ModelBundle provisional;
    try {
      provisional = ModelBundle.seal(root.toString());
    } catch (ModelFormatException e) {
      throw new ModelFormatException(at, "the segments do not form a valid ChainScore segmented bundle: "
          + e.getMessage(), e);
    }
    FeatureSchema schema = shared.schema();
    com.fasterxml.jackson.databind.node.ArrayNode golden = root.putArray("golden_rows");
    for (double[] row : candidateRows(schema)) {
      io.chainscore.scoring.ScoreResult r;
      try {
        r = provisional.scorer().score(row);
      } catch (ScoringException refused) {
        continue; // not a golden row
      }
      com.fasterxml.jackson.databind.node.ObjectNode g = golden.addObject();
      com.fasterxml.jackson.databind.node.ObjectNode values = g.putObject("features");
      for (int j = 0; j < schema.size(); j++) {
        FeatureSpec f = schema.feature(j);
        if (f.type() == FeatureType.CATEGORICAL) {
          values.put(f.name(), f.categories().get((int) row[j]));
        } else {
          values.put(f.name(), row[j]);
        }
      }
      g.put("points", r.points()).put("pd", r.pd()).put("grade", r.grade());
      r.reasonCodes().forEach(g.putArray("reason_codes")::add);
    }
    if (golden.isEmpty()) {
      return provisional;
    }
    return ModelBundle.seal(root.toString());
  }

  // ------------------------------------------------------------------ bundle

  private BundleBuilder start(Xml model, Features features, List<String> codesInModel) throws ModelFormatException {
    String id = options.modelId();
    String version = "1.0.0";
    String description = null;
    Xml xm = extension == null ? null : extension.first("X-Model");
    if (xm != null) {
      if (id == null) {
        id = xm.get("id");
      }
      if (xm.get("version") != null) {
        version = xm.get("version");
      }
      description = xm.get("description");
    }
    if (id == null) {
      id = model.get("modelName");
    }
    if (id == null || id.isBlank()) {
      String s = Path.of(source).getFileName().toString();
      id = s.contains(".") ? s.substring(0, s.lastIndexOf('.')) : s;
    }
    if (options.modelVersion() != null) {
      version = options.modelVersion();
    }
    BundleBuilder b = BundleBuilder.create(id, version);
    b.description(description != null ? description : "Imported from PMML " + source);
    for (BundleBuilder.Feature f : features.list()) {
      b.feature(f);
    }
    if (extension != null) {
      Xml missingShare = extension.first("X-MaxMissingShare");
      if (missingShare != null) {
        b.maxMissingShare(number(missingShare, "value"));
      }
      Xml scale = extension.first("X-ScoreScale");
      if (scale != null) {
        b.scoreScale(number(scale, "pdo"), number(scale, "baseScore"), number(scale, "baseOdds"));
      } else {
        b.scoreScale(20, 600, 50);
      }
      Xml cal = (segmentExtension != null ? segmentExtension : extension).first("X-Calibration");
      if (cal != null && "logistic".equals(cal.get("kind"))) {
        b.logisticCalibration(number(cal, "intercept"), number(cal, "slope"));
      } else if (cal != null && "isotonic".equals(cal.get("kind"))) {
        isotonic(b, model);
      }
      List<Xml> grades = extension.all("X-Grade");
      if (!grades.isEmpty()) {
        List<String> names = new ArrayList<>();
        double[] uppers = new double[grades.size() - 1];
        double[] reps = new double[grades.size() - 1];
        for (int g = 0; g < grades.size(); g++) {
          Xml x = grades.get(g);
          names.add(required(x, "name"));
          if (g < grades.size() - 1) {
            uppers[g] = number(x, "pdUpper");
            reps[g] = number(x, "representativePd");
          }
        }
        try {
          b.masterScale(MasterScale.of(names, uppers, reps));
        } catch (IllegalArgumentException e) {
          throw error(extension, "X-Grade", e.getMessage());
        }
      }
      List<Xml> codes = extension.all("X-ReasonCode");
      Set<String> listed = new java.util.HashSet<>();
      for (Xml c : codes) {
        b.reasonCode(required(c, "code"), required(c, "text"));
        listed.add(c.get("code"));
      }
      for (String c : codesInModel) {
        if (!listed.contains(c)) {
          b.reasonCode(c, c);
        }
      }
      // a segment's own approved-population reference comes before the shared one
      Xml reference = segmentExtension != null && segmentExtension.first("X-ReasonReference") != null
          ? segmentExtension.first("X-ReasonReference") : extension.first("X-ReasonReference");
      if (reference != null) {
        expectValue(reference, "method", null, ModelBundle.ReasonReference.APPROVED_POPULATION);
        java.util.Map<String, Double> contributions = new java.util.LinkedHashMap<>();
        for (Xml c : reference.all("X-Contribution")) {
          contributions.put(required(c, "code"), number(c, "value"));
        }
        double rows = number(reference, "rows");
        if (!(rows >= 1 && rows == Math.rint(rows))) {
          throw error(reference, "X-ReasonReference@rows", "expected a whole number of rows >= 1");
        }
        b.approvedPopulationReference(required(reference, "population"), (long) rows, contributions);
      }
      Xml p = extension.first("X-Provenance");
      if (p != null) {
        b.provenance(imported(new ModelBundle.Provenance(required(p, "trainedAt"), required(p, "trainingDataSha256"),
            required(p, "trainer"))));
      } else {
        b.provenance(defaultProvenance());
      }
    } else {
      b.scoreScale(20, 600, 50);
      for (String c : codesInModel) {
        b.reasonCode(c, c);
      }
      b.provenance(defaultProvenance());
    }
    if (!Double.isNaN(options.maxMissingShare())) {
      b.maxMissingShare(options.maxMissingShare());
    }
    return b;
  }

  /**
   * The provenance of the bundle read from a document that claims {@code claimed}: the claim as it
   * is without an {@link Options#importRecord}; with one, the import is what is known (the file's
   * hash, the import record as trainer) and the claim follows as the document's word. The claimed
   * time stays: an import adds no clock time, so the same file gives the same bundle.
   */
  private ModelBundle.Provenance imported(ModelBundle.Provenance claimed) {
    if (options.importRecord() == null) {
      return claimed;
    }
    return new ModelBundle.Provenance(claimed.trainedAt(), options.dataSha256(), options.importRecord()
        + "; the document's provenance (its claim): trained_at=" + claimed.trainedAt() + " training_data_sha256="
        + claimed.trainingDataSha256() + " trainer=" + claimed.trainer());
  }

  private ModelBundle.Provenance defaultProvenance() throws ModelFormatException {
    if (options.trainedAt() == null || options.dataSha256() == null) {
      throw new ModelFormatException(at == null ? "Header" : at + ", Header", "the document carries no ChainScore"
          + " provenance; give PmmlImport.Options a trainedAt (ISO-8601 instant) and a dataSha256 (the file's SHA-256)");
    }
    String application = "unknown tool";
    Xml header = root.first("Header");
    if (header != null && header.first("Application") != null) {
      Xml app = header.first("Application");
      application = (app.get("name") == null ? "unknown tool" : app.get("name"))
          + (app.get("version") == null ? "" : " " + app.get("version"));
    }
    return new ModelBundle.Provenance(options.trainedAt(), options.dataSha256(), options.importRecord() == null
        ? "PMML import of " + application : options.importRecord() + "; the document's tool: " + application);
  }

  /** The isotonic calibration from the {@code pd} output field's NormContinuous. */
  private void isotonic(BundleBuilder b, Xml model) throws ModelFormatException {
    Xml output = model.first("Output");
    if (output != null) {
      for (Xml f : output.all("OutputField")) {
        Xml norm = f.first("NormContinuous");
        if (PmmlExport.PD.equals(f.get("name")) && norm != null) {
          List<Xml> knots = norm.all("LinearNorm");
          double[] m = new double[knots.size()];
          double[] p = new double[knots.size()];
          for (int i = 0; i < m.length; i++) {
            m[i] = number(knots.get(i), "orig");
            p[i] = number(knots.get(i), "norm");
          }
          b.isotonicCalibration(m, p);
          return;
        }
      }
    }
    throw error(model, "Output/OutputField", "the ChainScore extension names an isotonic calibration but no pd output"
        + " field holds its NormContinuous");
  }

  /** Builds, and adds golden rows: a few rows the model scores, so the bundle checks itself at load. */
  private ModelBundle finish(BundleBuilder b, Features features) throws ModelFormatException {
    ModelBundle provisional;
    try {
      provisional = b.build();
    } catch (ModelFormatException e) {
      throw new ModelFormatException(at, "the model does not form a valid ChainScore bundle: " + e.getMessage(), e);
    }
    List<double[]> golden = new ArrayList<>();
    for (double[] row : candidateRows(features.schema())) {
      try {
        provisional.scorer().score(row);
        golden.add(row);
      } catch (ScoringException refused) {
        // not a golden row
      }
    }
    if (golden.isEmpty()) {
      return provisional;
    }
    b.goldenInputs(golden);
    return b.build();
  }

  /** Five rows over every feature's range (every category in turn): the candidates for golden rows. */
  private static List<double[]> candidateRows(FeatureSchema schema) {
    List<double[]> rows = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      double[] row = new double[schema.size()];
      for (int j = 0; j < schema.size(); j++) {
        FeatureSpec f = schema.feature(j);
        if (f.type() == FeatureType.CATEGORICAL) {
          row[j] = k % f.categories().size();
        } else {
          double lo = Double.isFinite(f.min()) ? f.min() : Double.isFinite(f.max()) ? f.max() - 100 : -100;
          double hi = Double.isFinite(f.max()) ? f.max() : lo + 200;
          row[j] = lo + (hi - lo) * k / 4.0;
        }
      }
      rows.add(row);
    }
    return rows;
  }

  /** For messages: the model kind a view is. */
  static String kind(ModelView view) {
    return view.getClass().getSimpleName().replace("View", "").toLowerCase(Locale.ROOT);
  }
}

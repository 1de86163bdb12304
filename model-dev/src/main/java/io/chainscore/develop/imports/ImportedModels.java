package io.chainscore.develop.imports;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.spi.BundleBuilder;
import io.chainscore.scoring.spi.TreeEnsembleView;
import io.chainscore.scoring.tree.TreeEnsemble;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Wraps a tree ensemble trained elsewhere (XGBoost, LightGBM) into a ChainScore model bundle: the
 * model's own feature schema (every feature passes missing values to the trees, which route
 * them), the tree node, the score scale, a master scale, one reason code per feature, and golden
 * rows scored by the compiled model so the bundle verifies itself on every load.
 *
 * <p>The margin of a logistic-link model is the log-odds of default, so no calibration is added;
 * the PD is {@code 1 / (1 + exp(-margin))} in double precision (XGBoost's own probability is
 * float32; the margins are bit-identical, the PDs agree within float32 rounding).
 *
 * <pre>{@code
 * ModelBundle bundle = ImportedModels.wrap(ensemble, ImportedModels.Options.builder()
 *     .modelId("xgb-suppliers").modelVersion("1.0.0").trainedAt("2025-01-01T00:00:00Z")
 *     .dataSha256(modelFileSha256).schema(StandardFeatures.SCHEMA).build());
 * }</pre>
 *
 * <p>Thread safety: stateless.
 */
public final class ImportedModels {
  private ImportedModels() {}

  /**
   * What the bundle of an imported model says besides the trees; build it with {@link #builder()}.
   *
   * <p>Thread safety: immutable.
   *
   * @param modelId bundle model id
   * @param modelVersion bundle model version
   * @param trainedAt ISO-8601 instant for the provenance
   * @param dataSha256 SHA-256 (lowercase hex) for the provenance: of the training data, or of the
   *     model file when the data are not known
   * @param schema the bundle's schema, or null for the model's own ({@link TreeEnsemble#defaultSchema()})
   * @param maxMissingShare the bundle's {@code max_missing_share}, NaN to declare none (then the
   *     golden rows include an all-missing row)
   * @param trainer the provenance's trainer text, or null for {@code "imported from "} and the
   *     model's source ({@code chainscore import} records the import: file, hash, version, options)
   * @param sourceFile the imported model file's name (no folder), or null when not read from a
   *     file; with {@code sourceSha256} it is the provenance's {@code source_model}
   * @param sourceSha256 SHA-256 (lowercase hex) of the imported model file's bytes, or null
   */
  public record Options(String modelId, String modelVersion, String trainedAt, String dataSha256,
      FeatureSchema schema, double maxMissingShare, String trainer, String sourceFile, String sourceSha256) {
    /** Checks that the required values are present. */
    public Options {
      Objects.requireNonNull(modelId, "modelId");
      Objects.requireNonNull(modelVersion, "modelVersion");
      Objects.requireNonNull(trainedAt, "trainedAt");
      Objects.requireNonNull(dataSha256, "dataSha256");
      if ((sourceFile == null) != (sourceSha256 == null)) {
        throw new IllegalArgumentException("a source model needs both its file name and its SHA-256");
      }
    }

    /** A builder; everything but the schema is required. */
    public static Builder builder() {
      return new Builder();
    }
  }

  /** Builds {@link Options}. Thread safety: not thread-safe. */
  public static final class Builder {
    private String modelId;
    private String modelVersion;
    private String trainedAt;
    private String dataSha256;
    private FeatureSchema schema;
    private double maxMissingShare = Double.NaN;
    private String trainer;

    private Builder() {}

    /** The provenance's trainer text (default: {@code "imported from "} and the model's source). */
    public Builder trainer(String v) {
      trainer = v;
      return this;
    }

    private String sourceFile;
    private String sourceSha256;

    /** The imported model file: its name (no folder) and the SHA-256 of its bytes (default: none). */
    public Builder sourceModel(String fileName, String sha256) {
      sourceFile = fileName;
      sourceSha256 = sha256;
      return this;
    }

    /** The bundle's {@code max_missing_share}, from 0 to 1 (default NaN: none declared). */
    public Builder maxMissingShare(double v) {
      maxMissingShare = v;
      return this;
    }

    /** The bundle's model id. */
    public Builder modelId(String v) {
      modelId = v;
      return this;
    }

    /** The bundle's model version. */
    public Builder modelVersion(String v) {
      modelVersion = v;
      return this;
    }

    /** The provenance's ISO-8601 training instant. */
    public Builder trainedAt(String v) {
      trainedAt = v;
      return this;
    }

    /**
     * The provenance's {@code training_data_sha256}; a model file's own hash goes to {@link
     * #sourceModel} (the bundle format requires this field, so an import with unknown training data
     * repeats the model file's hash here).
     */
    public Builder dataSha256(String v) {
      dataSha256 = v;
      return this;
    }

    /** The bundle's schema (default: the model's own). */
    public Builder schema(FeatureSchema v) {
      schema = v;
      return this;
    }

    /** The options. */
    public Options build() {
      return new Options(modelId, modelVersion, trainedAt, dataSha256, schema, maxMissingShare, trainer, sourceFile,
          sourceSha256);
    }
  }

  /**
   * The bundle of {@code ensemble}; with a schema in the options (for example the standard
   * features, so the bundle scores ChainScore feature tables directly) the model's features are
   * matched to it by name (exactly, or lower-cased with non-alphanumerics as {@code _}).
   *
   * @throws ModelFormatException when the model is not a binary classifier with a logistic link
   *     (a regression output is not a probability of default), or a model feature is not in the
   *     schema
   */
  public static ModelBundle wrap(TreeEnsemble ensemble, Options options) throws ModelFormatException {
    if (ensemble.marginIsLogOdds()) {
      // its output is the margin of a logistic model (XGBoost's binary:logitraw), a log-odds of the
      // event: the bundle's PD is that margin's logistic, as binary:logistic's would be (refused as
      // a regression until 2026-12-05; recognised by the objective's name in its source text until
      // 2026-12-07, now by what the reader says of the margin)
      ensemble = ensemble.asLogistic();
    }
    if (ensemble.link() != TreeEnsemble.Link.LOGISTIC) {
      throw new ModelFormatException("objective",
          "only binary classifiers (binary:logistic, binary:logitraw, LightGBM binary) can be wrapped into a credit"
              + " bundle; this model (" + ensemble.source() + ") has an identity link (regression), whose output is"
              + " not a log-odds of default");
    }
    FeatureSchema schema = options.schema() == null ? ensemble.defaultSchema() : options.schema();
    ensemble.compile(schema);
    if (options.schema() != null) {
      // without one the columns hold the codes themselves ("0".."k", defaultSchema)
      checkRecordedCategories(ensemble.records().get("chainscore_feature_policies"), schema);
    }
    BundleBuilder builder = BundleBuilder.create(options.modelId(), options.modelVersion())
        .description("Imported from " + ensemble.source() + " (" + ensemble.trees().size() + " trees).");
    // the exported bundle's codes, statements and reference when the file records them for every
    // feature; else, on the standard features (--schema standard), the bundled models' codes and
    // statements; else a code per feature
    Reasons recorded = Reasons.of(ensemble.records().get("chainscore_reasons"), schema);
    Map<String, String> standard = io.chainscore.models.StandardReasons.codesFor(schema);
    Map<String, String> statements = new java.util.LinkedHashMap<>();
    for (int j = 0; j < schema.size(); j++) {
      FeatureSpec f = schema.feature(j);
      String code = recorded != null ? recorded.codes().get(f.name())
          : standard.isEmpty() ? String.format("R%02d", j + 1) : standard.get(f.name());
      builder.feature(BundleBuilder.Feature.of(f).withReasonCode(code));
      statements.putIfAbsent(code, recorded != null ? recorded.statements().get(code)
          : standard.isEmpty() ? "Contribution of " + f.name()
          : io.chainscore.models.StandardReasons.statements().get(code));
    }
    statements.forEach(builder::reasonCode);
    Map<String, String> records = ensemble.records();
    builder.scoreScale(20, 600, 50);   // a file without the exported bundle's scale
    // the fields an export records, given back verbatim and read as a bundle file's are
    // (BundleReader): the calibration, both scales, the reason reference and the calibration's
    // record; until 2026-12-07 the import ignored them (the PDs of no calibration, PDO 20, the
    // default grades, the training average)
    for (String field : List.of("calibration", "score_scale", "master_scale")) {
      String text = records.get("chainscore_" + field);
      if (text != null) {
        builder.recordedField(field, json("chainscore_" + field, text));
      }
    }
    if (recorded != null && recorded.reference() != null) {
      builder.recordedField("reason_reference", recorded.reference());
    }
    String provenance = records.get("chainscore_provenance");
    com.fasterxml.jackson.databind.JsonNode pdCalibration = provenance == null ? null
        : json("chainscore_provenance", provenance).get("pd_calibration");
    if (pdCalibration != null) {
      builder.recordedField("provenance.pd_calibration", pdCalibration);
    }
    builder.model(new TreeEnsembleView(ensemble))
        .provenance(new ModelBundle.Provenance(options.trainedAt(), options.dataSha256(),
            (options.trainer() != null ? options.trainer() : "imported from " + ensemble.source())
                + claimedProvenance(provenance)))
        .sourceModel(options.sourceFile(), options.sourceSha256())
        .maxMissingShare(options.maxMissingShare())
        .goldenInputs(List.of(goldenInputs(schema)));
    try {
      return builder.build();
    } catch (ModelFormatException e) {
      throw recordAtFault(e, records);
    }
  }

  /**
   * The trees of a ChainScore export split a categorical feature on its category codes, the
   * positions in the exported bundle's category list (recorded in {@code
   * chainscore_feature_policies}); a schema whose list for that feature does not begin with the
   * same categories in the same order would give each code another category (the standard
   * features' {@code sector} lists its categories in another order than a trained bundle, which
   * lists those of its training data), so it is refused naming the feature: until 2026-12-07 {@code
   * import --schema standard} of an exported tree model scored 447 of 2,000 suppliers with their
   * sector read as another. Files without the record (other tools') are not checked.
   */
  private static void checkRecordedCategories(String policies, FeatureSchema schema) throws ModelFormatException {
    if (policies == null) {
      return;
    }
    String field = "chainscore_feature_policies";
    for (com.fasterxml.jackson.databind.JsonNode f : json(field, policies).path("features")) {
      if (!f.path("categories").isArray()) {
        continue;
      }
      String name = f.path("name").asText();
      int j = schema.indexOf(name);
      if (j < 0) {
        j = schema.indexOf(io.chainscore.scoring.tree.TreeEnsemble.schemaName(name));
      }
      if (j < 0) {
        continue;   // a feature no split reads: compile accepted the schema without it
      }
      List<String> recorded = new java.util.ArrayList<>();
      f.path("categories").forEach(c -> recorded.add(c.asText()));
      List<String> given = schema.feature(j).categories();
      if (given == null || given.size() < recorded.size() || !given.subList(0, recorded.size()).equals(recorded)) {
        throw new ModelFormatException(field, "feature " + name + ": the trees code its categories as the exported"
            + " bundle listed them, " + recorded + "; the schema's column " + schema.feature(j).name() + " lists "
            + given + ", so a code would name another category; import with --schema the exported bundle (or a"
            + " schema listing these categories first, in this order)");
      }
    }
  }

  /**
   * A recorded field the bundle refused, named as the file's record that gave it ({@code
   * chainscore_calibration: calibration.slope: ...}); any other refusal as it is.
   */
  private static ModelFormatException recordAtFault(ModelFormatException e, Map<String, String> records) {
    String[][] fieldToRecord = {{"calibration", "chainscore_calibration"}, {"score_scale", "chainscore_score_scale"},
        {"master_scale", "chainscore_master_scale"}, {"reason_reference", "chainscore_reasons"},
        {"provenance.pd_calibration", "chainscore_provenance"}};
    String f = e.field() == null ? "" : e.field();
    for (String[] m : fieldToRecord) {
      if ((f.equals(m[0]) || f.startsWith(m[0] + ".") || f.startsWith(m[0] + "[")) && records.containsKey(m[1])) {
        return new ModelFormatException(m[1], e.getMessage(), e);
      }
    }
    return e;
  }

  /**
   * The provenance a ChainScore export recorded in the model file ({@code chainscore_provenance},
   * the exported bundle's), as the text the trainer gets after the import's own: {@code "; the
   * file's provenance (its claim): trained_at=... training_data_sha256=... trainer=..."}, as {@code
   * import pmml} keeps a document's; empty without it. What the import knows (the file's hash) stays
   * the bundle's provenance, the claim follows, so who trained the model and on what data survives
   * an export and import (until 2026-12-07 it was dropped).
   */
  private static String claimedProvenance(String recorded) throws ModelFormatException {
    if (recorded == null) {
      return "";
    }
    com.fasterxml.jackson.databind.JsonNode p = json("chainscore_provenance", recorded);
    for (String key : new String[] {"trained_at", "training_data_sha256", "trainer"}) {
      if (!p.path(key).isTextual()) {
        throw new ModelFormatException("chainscore_provenance", "expected a bundle's provenance with the text " + key
            + ", got '" + abbreviate(recorded) + "'");
      }
    }
    return "; the file's provenance (its claim): trained_at=" + p.get("trained_at").asText() + " training_data_sha256="
        + p.get("training_data_sha256").asText() + " trainer=" + p.get("trainer").asText();
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String field, String text) throws ModelFormatException {
    try {
      com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
      if (node == null || !node.isObject()) {
        throw new ModelFormatException(field, "expected a JSON object, got '" + abbreviate(text) + "'");
      }
      return node;
    } catch (java.io.IOException e) {
      throw new ModelFormatException(field, "expected a JSON object, got '" + abbreviate(text) + "'");
    }
  }

  /**
   * The reasons the model file records (a ChainScore export's {@code chainscore_reasons}: each
   * feature's reason code, the codes' statements and the bundle's {@code reason_reference}), so that
   * exporting a bundle and importing the file gives the same reason codes and statements: until
   * 2026-12-07 the import gave every feature a code of its own and measured the codes against the
   * training average, and a bundle measured against an approved population changed 657 of its
   * 1,284 reason codes on 321 rows in the round trip.
   *
   * @param codes reason code by feature name
   * @param statements statement by code
   * @param reference the bundle's {@code reason_reference}, null for none
   */
  private record Reasons(Map<String, String> codes, Map<String, String> statements,
      com.fasterxml.jackson.databind.JsonNode reference) {
    /**
     * The record, or null without one or when it does not name a code for every feature of {@code
     * schema} (a schema other than the exported bundle's: its own codes then, as before).
     *
     * @throws ModelFormatException naming {@code chainscore_reasons} when the record is malformed
     */
    static Reasons of(String recorded, FeatureSchema schema) throws ModelFormatException {
      if (recorded == null) {
        return null;
      }
      String field = "chainscore_reasons";
      com.fasterxml.jackson.databind.JsonNode r = json(field, recorded);
      Map<String, String> codes = new java.util.LinkedHashMap<>();
      for (java.util.Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = r.path("codes").fields();
          it.hasNext(); ) {
        Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new ModelFormatException(field, "codes." + e.getKey() + ": expected a reason code, got '"
              + abbreviate(e.getValue().toString()) + "'");
        }
        codes.put(e.getKey(), e.getValue().asText());
      }
      Map<String, String> statements = new java.util.LinkedHashMap<>();
      for (com.fasterxml.jackson.databind.JsonNode c : r.path("reason_codes")) {
        if (!c.path("code").isTextual() || !c.path("text").isTextual()) {
          throw new ModelFormatException(field, "reason_codes: expected a code and its text, got '"
              + abbreviate(c.toString()) + "'");
        }
        statements.put(c.get("code").asText(), c.get("text").asText());
      }
      for (int j = 0; j < schema.size(); j++) {
        String code = codes.get(schema.feature(j).name());
        if (code == null) {
          return null;
        }
        if (!statements.containsKey(code)) {
          throw new ModelFormatException(field, "reason code " + code + " of feature " + schema.feature(j).name()
              + " has no statement in reason_codes");
        }
      }
      com.fasterxml.jackson.databind.JsonNode reference = r.get("reason_reference");
      return new Reasons(codes, statements, reference == null || reference.isNull() ? null : reference);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  /** All missing; all zero (category 0); all one (last category). */
  private static double[][] goldenInputs(FeatureSchema schema) {
    int p = schema.size();
    double[] missing = new double[p];
    Arrays.fill(missing, Double.NaN);
    double[] zero = new double[p];
    double[] one = new double[p];
    for (int j = 0; j < p; j++) {
      FeatureSpec f = schema.feature(j);
      // Inside each feature's valid range, so the golden rows never hit a refusal policy.
      zero[j] = f.type() == FeatureType.CATEGORICAL ? 0 : Math.max(f.min(), Math.min(f.max(), 0));
      one[j] = f.type() == FeatureType.CATEGORICAL ? f.categories().size() - 1 : Math.max(f.min(), Math.min(f.max(), 1));
    }
    return new double[][] {missing, zero, one};
  }
}

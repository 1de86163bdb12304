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
    if (recorded != null && recorded.reference() != null) {
      recorded.apply(builder);
    }
    calibrate(builder, ensemble.records().get("chainscore_calibration"));
    scales(builder, ensemble.records());
    return builder
        .model(new TreeEnsembleView(ensemble))
        .provenance(new ModelBundle.Provenance(options.trainedAt(), options.dataSha256(),
            (options.trainer() != null ? options.trainer() : "imported from " + ensemble.source())
                + claimedProvenance(ensemble.records().get("chainscore_provenance"))))
        .sourceModel(options.sourceFile(), options.sourceSha256())
        .pdCalibrationRecord(calibrationRecord(ensemble.records().get("chainscore_provenance")))
        .maxMissingShare(options.maxMissingShare())
        .goldenInputs(List.of(goldenInputs(schema)))
        .build();
  }

  /**
   * The points scale and master scale the model file records (a ChainScore export's {@code
   * chainscore_score_scale} and {@code chainscore_master_scale}, the exported bundle's fields as
   * JSON), so that exporting a bundle and importing the file gives its points and grades again;
   * without them PDO 20, 600 points at 50:1 and the default master scale. Until 2026-12-07 the
   * export did not record them: a bundle trained with {@code --pdo 40} or {@code --master-scale
   * fit:5} came back with other points or grades. The values are checked as a bundle's are, when it
   * is built.
   */
  private static void scales(BundleBuilder builder, Map<String, String> records) throws ModelFormatException {
    String scale = records.get("chainscore_score_scale");
    if (scale == null) {
      builder.scoreScale(20, 600, 50);
    } else {
      com.fasterxml.jackson.databind.JsonNode s = json("chainscore_score_scale", scale);
      if (!s.path("pdo").isNumber() || !s.path("base_score").isNumber() || !s.path("base_odds").isNumber()) {
        throw new ModelFormatException("chainscore_score_scale", "expected numbers pdo, base_score and base_odds,"
            + " got '" + abbreviate(scale) + "'");
      }
      builder.scoreScale(s.get("pdo").doubleValue(), s.get("base_score").doubleValue(), s.get("base_odds").doubleValue());
    }
    String master = records.get("chainscore_master_scale");
    if (master != null) {
      String field = "chainscore_master_scale";
      com.fasterxml.jackson.databind.JsonNode grades = json(field, master).path("grades");
      if (!grades.isArray() || grades.size() < 2) {
        throw new ModelFormatException(field, "expected a master scale's grades, got '" + abbreviate(master) + "'");
      }
      int n = grades.size() - 1;
      List<String> names = new java.util.ArrayList<>();
      double[] uppers = new double[n];
      double[] representative = new double[n];
      for (int i = 0; i <= n; i++) {
        com.fasterxml.jackson.databind.JsonNode g = grades.get(i);
        if (!g.path("grade").isTextual() || (i < n && (!g.path("pd_upper").isNumber()
            || !g.path("representative_pd").isNumber())) || (i == n) != g.path("default").asBoolean(false)) {
          throw new ModelFormatException(field, "grades[" + i + "]: expected a grade name with pd_upper and"
              + " representative_pd, the last the default grade, got '" + abbreviate(g.toString()) + "'");
        }
        names.add(g.get("grade").asText());
        if (i < n) {
          uppers[i] = g.get("pd_upper").doubleValue();
          representative[i] = g.get("representative_pd").doubleValue();
        }
      }
      try {
        builder.masterScale(io.chainscore.scoring.MasterScale.of(names, uppers, representative));
      } catch (IllegalArgumentException e) {
        throw new ModelFormatException(field, e.getMessage());
      }
    }
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

    /** Gives {@code builder} the recorded reference when it is an approved population's (the others follow from the kind). */
    void apply(BundleBuilder builder) throws ModelFormatException {
      if (!"approved_population".equals(reference.path("method").asText())) {
        return;
      }
      String field = "chainscore_reasons";
      com.fasterxml.jackson.databind.JsonNode contributions = reference.path("contributions");
      if (!reference.path("population").isTextual() || !reference.path("rows").canConvertToLong()
          || !contributions.isObject()) {
        throw new ModelFormatException(field, "reason_reference: expected an approved population's population, rows"
            + " and contributions, got '" + abbreviate(reference.toString()) + "'");
      }
      Map<String, Double> byCode = new java.util.LinkedHashMap<>();
      for (java.util.Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = contributions.fields();
          it.hasNext(); ) {
        Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
        if (!e.getValue().isNumber()) {
          throw new ModelFormatException(field, "reason_reference.contributions." + e.getKey() + ": expected a number");
        }
        byCode.put(e.getKey(), e.getValue().doubleValue());
      }
      builder.approvedPopulationReference(reference.get("population").asText(), reference.get("rows").asLong(),
          byCode);
    }
  }

  /**
   * How the exported bundle's PDs were calibrated ({@code provenance.pd_calibration} of the recorded
   * {@code chainscore_provenance}: the central tendency, its source, the rating philosophy), kept
   * with the calibration {@link #calibrate} restores, as a validator reads it; null without one.
   * Until 2026-12-07 the calibration came back but not its record. Checked when the bundle is read.
   */
  private static com.fasterxml.jackson.databind.node.ObjectNode calibrationRecord(String recorded)
      throws ModelFormatException {
    if (recorded == null) {
      return null;
    }
    com.fasterxml.jackson.databind.JsonNode record = json("chainscore_provenance", recorded).get("pd_calibration");
    return record instanceof com.fasterxml.jackson.databind.node.ObjectNode o ? o : null;
  }

  /**
   * The PD calibration the model file records (a ChainScore export's {@code chainscore_calibration},
   * the exported bundle's {@code calibration} as JSON), so that exporting a bundle and importing the
   * file gives its PDs again; none when the file records none (the margin's logistic is the PD).
   * Until 2026-12-07 the record was ignored: a calibrated bundle's import scored its points alike
   * and its PDs and grades as if uncalibrated. The values are checked as a bundle's are, when it is
   * built.
   */
  private static void calibrate(BundleBuilder builder, String recorded) throws ModelFormatException {
    if (recorded == null) {
      return;
    }
    String field = "chainscore_calibration";
    com.fasterxml.jackson.databind.JsonNode c = json(field, recorded);
    String kind = c.path("kind").asText("");
    switch (kind) {
      case "none" -> builder.noCalibration();
      case "logistic" -> {
        if (!c.path("intercept").isNumber() || !c.path("slope").isNumber()) {
          throw new ModelFormatException(field, "a logistic calibration needs numbers intercept and slope, got '"
              + abbreviate(recorded) + "'");
        }
        builder.logisticCalibration(c.get("intercept").doubleValue(), c.get("slope").doubleValue());
      }
      case "isotonic" -> {
        com.fasterxml.jackson.databind.JsonNode m = c.path("margins");
        com.fasterxml.jackson.databind.JsonNode p = c.path("pds");
        if (!m.isArray() || !p.isArray() || m.size() != p.size()) {
          throw new ModelFormatException(field, "an isotonic calibration needs arrays margins and pds of one length,"
              + " got '" + abbreviate(recorded) + "'");
        }
        double[] margins = new double[m.size()];
        double[] pds = new double[p.size()];
        for (int i = 0; i < margins.length; i++) {
          if (!m.get(i).isNumber() || !p.get(i).isNumber()) {
            throw new ModelFormatException(field, "margins[" + i + "] and pds[" + i + "] must be numbers");
          }
          margins[i] = m.get(i).doubleValue();
          pds[i] = p.get(i).doubleValue();
        }
        builder.isotonicCalibration(margins, pds);
      }
      default -> throw new ModelFormatException(field, "expected kind none, logistic or isotonic, got '"
          + abbreviate(recorded) + "'");
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

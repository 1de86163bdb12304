package io.chainscore.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.spi.BundleBuilder;
import io.chainscore.scoring.spi.ModelView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Rebuilds a sealed bundle through {@link BundleBuilder}: the model from {@link ModelView#of}, the
 * schema, master scale, reason codes and provenance from the loaded bundle's accessors, and what
 * the API does not expose (feature policies, score scale, calibration, golden inputs) from the
 * document, read here with plain Jackson.
 */
public final class BundleRebuild {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BundleRebuild() {}

  public static ModelBundle rebuild(ModelBundle loaded) throws ModelFormatException {
    return rebuild(loaded, b -> {});
  }

  /** As {@link #rebuild(ModelBundle)}, with {@code edit} applied to the builder before it builds. */
  public static ModelBundle rebuild(ModelBundle loaded, java.util.function.Consumer<BundleBuilder> edit)
      throws ModelFormatException {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(loaded.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BundleBuilder b = BundleBuilder.create(loaded.modelId(), loaded.modelVersion());
    if (doc.has("description")) {
      b.description(doc.get("description").textValue());
    }
    FeatureSchema schema = loaded.schema();
    for (int j = 0; j < schema.size(); j++) {
      JsonNode node = doc.get("features").get(j);
      FeatureSpec spec = schema.feature(j);
      BundleBuilder.Feature f = BundleBuilder.Feature.of(spec);
      String missing = node.get("missing").textValue();
      if (missing.equals("impute")) {
        JsonNode v = node.get("impute_value");
        f = f.withMissing(BundleBuilder.Missing.IMPUTE,
            spec.type() == FeatureType.CATEGORICAL ? spec.categoryIndex(v.textValue()) : v.doubleValue());
      } else if (missing.equals("reject")) {
        f = f.withMissing(BundleBuilder.Missing.REJECT, Double.NaN);
      }
      if (node.has("reason_code")) {
        f = f.withReasonCode(node.get("reason_code").textValue());
      }
      if (node.has("out_of_range")) {
        f = f.withOutOfRange(BundleBuilder.OutOfRange.valueOf(node.get("out_of_range").textValue().toUpperCase(Locale.ROOT)));
      }
      if (node.has("unit") && node.get("unit").textValue().isEmpty()) {
        f = f.withUnitAlwaysWritten();
      }
      b.feature(f);
    }
    JsonNode scale = doc.get("score_scale");
    b.scoreScale(scale.get("pdo").doubleValue(), scale.get("base_score").doubleValue(),
        scale.get("base_odds").doubleValue());
    b.model(ModelView.of(loaded));
    JsonNode calibration = doc.path("calibration");
    switch (calibration.path("kind").asText("none")) {
      case "logistic" -> b.logisticCalibration(calibration.get("intercept").doubleValue(),
          calibration.get("slope").doubleValue());
      case "isotonic" -> b.isotonicCalibration(doubles(calibration.get("margins")), doubles(calibration.get("pds")));
      default -> b.noCalibration();
    }
    b.masterScale(loaded.masterScale());
    for (ModelBundle.ReasonCode rc : loaded.reasonCodes()) {
      b.reasonCode(rc.code(), rc.text());
    }
    b.provenance(loaded.provenance());
    loaded.maxMissingShare().ifPresent(b::maxMissingShare);
    if (doc.has("reason_reference")) {
      ModelBundle.ReasonReference r = loaded.reasonReference();
      if (r.method().equals(ModelBundle.ReasonReference.APPROVED_POPULATION)) {
        b.approvedPopulationReference(r.population(), r.rows(), r.contributions());
      } else {
        b.reasonReference(r.method());
      }
    }
    List<double[]> golden = io.chainscore.scoring.spi.ViewAccess.goldenInputs(loaded);
    b.goldenInputs(golden);
    edit.accept(b);
    ModelBundle built = b.build();
    JsonNode pdCalibration = doc.path("provenance").path("pd_calibration");
    if (pdCalibration.isMissingNode()) {
      return built;
    }
    // The PD-calibration record is written into the document by model development
    // (PdCalibration), not through the builder: carried over the same way, then re-sealed.
    try {
      com.fasterxml.jackson.databind.node.ObjectNode root =
          (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(built.toJson());
      ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("provenance")).set("pd_calibration", pdCalibration);
      root.remove("sha256");
      return ModelBundle.seal(MAPPER.writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).doubleValue();
    }
    return out;
  }
}

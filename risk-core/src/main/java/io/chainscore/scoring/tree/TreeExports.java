package io.chainscore.scoring.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.TreeEnsembleView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What the writers of other libraries' tree formats (XGBoost, LightGBM) share: the bundle's tree
 * ensemble or the refusal of a bundle that has none, what the bundle knows that those formats have
 * no place for, and the file written whole or not at all.
 *
 * <p>Thread safety: stateless.
 */
public final class TreeExports {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TreeExports() {}

  /**
   * The bundle's tree ensemble.
   *
   * @param format the target library's name, for messages ({@code XGBoost}, {@code LightGBM})
   * @throws ModelFormatException naming {@code segments} for a segmented bundle, {@code model.kind}
   *     for a bundle that is not a tree ensemble
   */
  public static TreeEnsemble ensembleOf(ModelBundle bundle, String format) throws ModelFormatException {
    if (!bundle.segments().isEmpty()) {
      throw new ModelFormatException("segments", "a segmented bundle holds several models; " + format + " holds one:"
          + " export each segment's bundle");
    }
    if (!(ModelView.of(bundle) instanceof TreeEnsembleView trees)) {
      throw new ModelFormatException("model.kind", format + " holds tree ensembles; this bundle is a "
          + bundle.modelKind() + " model (export it as PMML)");
    }
    return trees.ensemble();
  }

  /**
   * The records an import restores ({@link TreeEnsemble#records}), by name: the names the XGBoost
   * and LightGBM readers look for, as {@link #records} writes them; {@code
   * chainscore_feature_policies} is read only to check that an import's schema codes each
   * categorical feature's categories as the trees do (since 2026-12-07).
   */
  public static final java.util.List<String> RESTORED_RECORDS = java.util.List.of("chainscore_calibration",
      "chainscore_score_scale", "chainscore_master_scale", "chainscore_provenance", "chainscore_reasons",
      "chainscore_feature_policies");

  /**
   * What the bundle knows that another library's model has no place for, by record name in the
   * order written (XGBoost's learner attributes, LightGBM's parameters), each as text: its id,
   * version and the ensemble's source; its PD calibration ({@code {"kind":"none"}} without one);
   * its schema's valid ranges, missing-value and out-of-range policies and {@code max_missing_share}
   * ({@code chainscore_feature_policies}), which the caller applies before that library; its points
   * scale ({@code score_scale}) and master scale ({@code master_scale}), the bundle's own fields,
   * which {@code chainscore import} restores with the calibration; its {@code provenance} (who
   * trained it, on what data, with which options), which the import keeps as the file's claim; and
   * its reasons ({@code {"codes": {feature: code}, "reason_codes": [...], "reason_reference": {...}}}:
   * each feature's reason code, the codes' statements and what they are measured against), which the
   * import restores so the round trip gives the same reasons ({@link #RESTORED_RECORDS}).
   */
  public static java.util.Map<String, String> records(ModelBundle bundle, TreeEnsemble ensemble) {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(bundle.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode policies = MAPPER.createObjectNode();
    policies.set("features", doc.path("features"));
    if (doc.has("max_missing_share")) {
      policies.set("max_missing_share", doc.get("max_missing_share"));
    }
    ObjectNode reasons = MAPPER.createObjectNode();
    ObjectNode codes = reasons.putObject("codes");
    for (JsonNode f : doc.path("features")) {
      if (f.hasNonNull("reason_code")) {
        codes.set(f.path("name").asText(), f.get("reason_code"));
      }
    }
    reasons.set("reason_codes", doc.path("reason_codes"));
    if (doc.has("reason_reference")) {
      reasons.set("reason_reference", doc.get("reason_reference"));
    }
    java.util.Map<String, String> records = new java.util.LinkedHashMap<>();
    records.put("chainscore_model_id", bundle.modelId());
    records.put("chainscore_model_version", bundle.modelVersion());
    records.put("chainscore_source", ensemble.source());
    records.put("chainscore_calibration", doc.has("calibration") && !doc.get("calibration").isNull()
        ? doc.get("calibration").toString() : "{\"kind\":\"none\"}");
    records.put("chainscore_feature_policies", policies.toString());
    records.put("chainscore_score_scale", doc.path("score_scale").toString());
    records.put("chainscore_master_scale", doc.path("master_scale").toString());
    records.put("chainscore_provenance", doc.path("provenance").toString());
    records.put("chainscore_reasons", reasons.toString());
    return records;
  }

  /**
   * Writes {@code text} as UTF-8 to {@code file}, replacing it atomically; the directory is created
   * when missing (the caller renders the text first, so a bundle refused leaves nothing behind).
   */
  public static void writeAtomically(String text, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path partial = dir.resolve("." + file.getFileName() + ".tmp");
    Files.writeString(partial, text, StandardCharsets.UTF_8);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

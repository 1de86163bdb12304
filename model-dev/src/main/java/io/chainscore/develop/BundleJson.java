package io.chainscore.develop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import java.util.List;

/**
 * Pieces of model-bundle JSON shared by the bundle builders of the {@code models} module: the
 * default master scale and the golden rows that make a bundle verify itself on every load.
 *
 * <p>Thread safety: stateless.
 */
public final class BundleJson {
  /**
   * PD upper bounds of the default master scale's eight grades before the default grade D:
   * roughly doubling from 0.3% (grade 1) to 100% (grade 8).
   */
  public static final double[] DEFAULT_GRADE_UPPERS = {0.003, 0.006, 0.012, 0.025, 0.05, 0.10, 0.20, 1.0};

  private BundleJson() {}

  /**
   * Appends the bundle's description of feature {@code f} to {@code features}: name, description,
   * missing values passed to the model, its reason code, type with categories, or unit and the
   * finite bounds of its valid range. Returns the node so that a builder can add policies.
   */
  public static ObjectNode putFeature(ArrayNode features, FeatureSpec f, String reasonCode) {
    ObjectNode node = features.addObject();
    node.put("name", f.name());
    node.put("description", f.description());
    node.put("missing", "pass");
    node.put("reason_code", reasonCode);
    if (f.type() == FeatureType.CATEGORICAL) {
      node.put("type", "categorical");
      ArrayNode categories = node.putArray("categories");
      f.categories().forEach(categories::add);
    } else {
      node.put("type", "numeric");
      if (!f.unit().isEmpty()) {
        node.put("unit", f.unit());
      }
      if (Double.isFinite(f.min())) {
        node.put("min", f.min());
      }
      if (Double.isFinite(f.max())) {
        node.put("max", f.max());
      }
    }
    return node;
  }

  /**
   * SHA-256 (hex) of a training sample for a bundle's provenance: the rows' IEEE bits, then each
   * label as a 64-bit integer, big-endian, in order.
   */
  public static String dataHash(double[] rows, int[] labels) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8 * 1024);
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
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes {@code master_scale} with grades "1".."8" on {@link #DEFAULT_GRADE_UPPERS} (the
   * representative PD is half the first bound, then each band's geometric mean) and "D".
   */
  public static void putDefaultMasterScale(ObjectNode root) {
    ArrayNode grades = root.putObject("master_scale").putArray("grades");
    double lower = 0;
    for (int g = 0; g < DEFAULT_GRADE_UPPERS.length; g++) {
      double upper = DEFAULT_GRADE_UPPERS[g];
      double representative = lower == 0 ? upper / 2 : Math.sqrt(lower * upper);
      grades.addObject().put("grade", Integer.toString(g + 1)).put("pd_upper", upper)
          .put("representative_pd", representative);
      lower = upper;
    }
    grades.addObject().put("grade", "D").put("default", true);
  }

  /**
   * Seals {@code root} (which must have an empty {@code golden_rows}), scores {@code rows} with
   * it, records them as golden rows and seals again.
   *
   * @throws ModelFormatException when the document is not a valid bundle
   */
  public static ModelBundle sealWithGoldenRows(ObjectNode root, FeatureSchema schema, List<double[]> rows)
      throws ModelFormatException {
    root.putArray("golden_rows");
    ModelBundle provisional = ModelBundle.seal(root.toString());
    ArrayNode golden = root.putArray("golden_rows");
    for (double[] row : rows) {
      ScoreResult r = provisional.scorer().score(row);
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
}

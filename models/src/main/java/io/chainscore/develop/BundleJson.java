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

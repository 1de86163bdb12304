package io.chainscore.develop.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.develop.scorecard.MasterScaleFit;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.MasterScale;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.spi.BundleBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Calibrates a trained bundle's PDs to a long-run central tendency and sets its master scale,
 * recording both in the bundle.
 *
 * <p>With a {@link CentralTendency}, every PD's log-odds move by one constant {@code a} so that the
 * mean PD over the calibration rows equals the target ({@link CentralTendency#interceptShift}):
 * a bundle without calibration gets {@code {"kind": "logistic", "intercept": a, "slope": 1}}, a
 * logistic (Platt) calibration gets {@code a} added to its intercept; an isotonic calibration is
 * refused (a shift of its knots would not keep the mean exact between them). Points, ranking and
 * AUC do not change. The master scale is then the default table, a given one, or one fitted to the
 * calibrated PDs of the calibration rows ({@link MasterScaleFit#equalShares}). The bundle's
 * {@code provenance.pd_calibration} records the rating philosophy, the central tendency and its
 * source, the margin of conservatism, the shift and the master scale's origin; its golden rows are
 * re-scored and the bundle re-sealed.
 *
 * <p>Thread safety: stateless.
 */
public final class PdCalibration {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PdCalibration() {}

  /** Where the master scale comes from. */
  public sealed interface Scale permits KeepScale, DefaultScale, FixedScale, FittedScale {
    /** How {@code pd_calibration.master_scale} names it. */
    String label();
  }

  /** The bundle's own master scale, unchanged. */
  public record KeepScale() implements Scale {
    @Override
    public String label() {
      return "unchanged";
    }
  }

  /** {@link BundleBuilder#defaultMasterScale()}. */
  public record DefaultScale() implements Scale {
    @Override
    public String label() {
      return "default";
    }
  }

  /**
   * A master scale given as the bundle's {@code master_scale} JSON ({@code {"grades": [...]}}),
   * checked by the bundle reader.
   */
  public record FixedScale(JsonNode json) implements Scale {
    @Override
    public String label() {
      return "given";
    }
  }

  /** A scale of {@code grades} grades of about equal shares of the calibration rows. */
  public record FittedScale(int grades) implements Scale {
    /** Checks the count. */
    public FittedScale {
      if (grades < 1 || grades > 99) {
        throw new IllegalArgumentException("master scale fit: expected 1 to 99 grades, got " + grades);
      }
    }

    @Override
    public String label() {
      return "fit:" + grades;
    }
  }

  /**
   * What to do.
   *
   * @param centralTendency the target of the mean PD, or null to keep the PDs
   * @param ratingPhilosophy {@code "pit"} or {@code "ttc"}, or null when not declared
   * @param defaultColumn the column whose cohort default rates gave the central tendency, or null
   * @param cohortColumn the cohort column, or null
   * @param scale the master scale
   */
  public record Settings(CentralTendency centralTendency, String ratingPhilosophy, String defaultColumn,
      String cohortColumn, Scale scale) {
    /** Checks the philosophy. */
    public Settings {
      if (ratingPhilosophy != null && !ratingPhilosophy.equals("pit") && !ratingPhilosophy.equals("ttc")) {
        throw new IllegalArgumentException("rating philosophy: expected pit or ttc, got " + ratingPhilosophy);
      }
      if (scale == null) {
        scale = new KeepScale();
      }
    }

    /** Whether these settings change anything. */
    public boolean isIdentity() {
      return centralTendency == null && ratingPhilosophy == null && scale instanceof KeepScale;
    }
  }

  /**
   * The calibrated bundle.
   *
   * @param bundle the sealed bundle
   * @param interceptShift the logit shift applied (0 without a central tendency)
   * @param meanPd the mean calibrated PD over the calibration rows
   * @param gradeShares the share of the calibration rows in each non-default grade, in scale order
   */
  public record Result(ModelBundle bundle, double interceptShift, double meanPd, double[] gradeShares) {
    /** Copies the shares. */
    public Result {
      gradeShares = gradeShares.clone();
    }

    /** The shares (a copy). */
    @Override
    public double[] gradeShares() {
      return gradeShares.clone();
    }
  }

  /**
   * Calibrates {@code bundle} on {@code rows} (row-major in its schema order, categories as
   * indexes, NaN missing). Rows the bundle's policies refuse (such as one missing more than its
   * {@code max_missing_share} of the features) have no PD and are left out: the shift, the fitted
   * scale, the mean PD and the grade shares are over the rows scored, and {@code calibration_rows}
   * counts them.
   *
   * @throws IllegalArgumentException when the bundle has an isotonic calibration and a central
   *     tendency is asked, or every row is refused by the bundle's policies
   * @throws ModelFormatException when a given master scale is not valid (the field names the part
   *     of {@code master_scale} at fault)
   */
  public static Result calibrate(ModelBundle bundle, double[] rows, Settings settings) throws ModelFormatException {
    return calibrate(bundle, rows, null, settings);
  }

  /**
   * {@link #calibrate(ModelBundle, double[], Settings)} with the calibration rows weighted ({@code
   * weights} null for equal weights): the central tendency is met by the weighted mean PD, a
   * fitted scale holds about equal shares of the total weight, and the reported mean PD and grade
   * shares are weighted, so that sampling weights (a sample that over-represents defaults, say)
   * calibrate the population the sample stands for. Integer weights give the calibration of the
   * rows repeated that many times. The record says {@code "weighted": true}.
   *
   * @throws IllegalArgumentException as the unweighted method, or when a weight is negative or not
   *     finite, or there is not one per row
   */
  public static Result calibrate(ModelBundle bundle, double[] rows, double[] weights, Settings settings)
      throws ModelFormatException {
    return calibrate(bundle, rows, weights, settings, Double.NaN, null, 0);
  }

  /**
   * The segments of a segmented model calibrated together, and the portfolio-level record.
   *
   * @param segments each segment's calibrated bundle, in the order given
   * @param interceptShift the common logit shift (0 without a central tendency)
   * @param meanPd the mean calibrated PD over all segments' rows together
   * @param gradeShares the share of all segments' rows in each non-default grade
   * @param record the {@code pd_calibration} record of the whole (the portfolio)
   */
  public record Joint(List<Result> segments, double interceptShift, double meanPd, double[] gradeShares,
      ObjectNode record) {
    /** Copies the list and shares. */
    public Joint {
      segments = List.copyOf(segments);
      gradeShares = gradeShares.clone();
      record = record.deepCopy();
    }

    /** The shares (a copy). */
    @Override
    public double[] gradeShares() {
      return gradeShares.clone();
    }

    /** The record (a copy). */
    @Override
    public ObjectNode record() {
      return record.deepCopy();
    }
  }

  /**
   * Calibrates the segments of a segmented model as one portfolio: the central tendency, if any,
   * is met by the mean PD over all segments' rows pooled, by one logit shift common to every
   * segment (so each segment's level relative to the others is kept), and a {@link FittedScale}
   * is fitted to the pooled calibrated PDs, so its grades hold about equal shares of the whole
   * portfolio; the given or default scale and the rating philosophy apply as in {@link
   * #calibrate}. A segment's existing {@code provenance.pd_calibration} (for example its own
   * cohort central tendency) is kept, the keys set here replacing its own.
   *
   * @param bundles each segment's standalone bundle
   * @param rows each segment's calibration rows (row-major in the shared schema)
   * @throws IllegalArgumentException as {@link #calibrate}, or when the lists differ in size
   */
  public static Joint calibrateJointly(List<ModelBundle> bundles, List<double[]> rows, Settings settings)
      throws ModelFormatException {
    return calibrateJointly(bundles, rows, null, settings);
  }

  /**
   * {@link #calibrateJointly(List, List, Settings)} with each segment's rows weighted ({@code
   * weights} null, or one array per segment, for equal weights), as {@link #calibrate(ModelBundle,
   * double[], double[], Settings)} weighs them.
   */
  public static Joint calibrateJointly(List<ModelBundle> bundles, List<double[]> rows, List<double[]> weights,
      Settings settings) throws ModelFormatException {
    if (bundles.size() != rows.size() || bundles.isEmpty() || weights != null && weights.size() != rows.size()) {
      throw new IllegalArgumentException("PD calibration: expected one row block per segment");
    }
    List<Scored> scored = new ArrayList<>();
    int total = 0;
    for (int s = 0; s < bundles.size(); s++) {
      scored.add(scored(bundles.get(s), rows.get(s), weights == null ? null : weights.get(s)));
      total += scored.get(s).pd().length;
    }
    double[] pooled = new double[total];
    double[] pooledWeights = weights == null ? null : new double[total];
    for (int s = 0, k = 0; s < scored.size(); k += scored.get(s).pd().length, s++) {
      System.arraycopy(scored.get(s).pd(), 0, pooled, k, scored.get(s).pd().length);
      if (weights != null) {
        System.arraycopy(scored.get(s).weights(), 0, pooledWeights, k, scored.get(s).pd().length);
      }
    }
    double shift = settings.centralTendency() == null ? 0
        : settings.centralTendency().interceptShift(pooled, pooledWeights);
    double[] calibrated = settings.centralTendency() == null ? pooled : shifted(pooled, shift);
    MasterScale scale = settings.scale() instanceof FittedScale fit
        ? MasterScaleFit.equalShares(calibrated, fit.grades(), pooledWeights) : null;
    List<Result> results = new ArrayList<>();
    for (int s = 0; s < bundles.size(); s++) {
      results.add(calibrate(bundles.get(s), rows.get(s), weights == null ? null : weights.get(s), settings, shift,
          scale, total));
    }
    MasterScale result = results.get(0).bundle().masterScale();
    double[] shares = shares(calibrated, pooledWeights, result);
    double mean = mean(calibrated, pooledWeights);
    ObjectNode record = record(settings, shift, total, weights != null);
    return new Joint(results, shift, mean, shares, record);
  }

  /** The PDs of the calibration rows the bundle scores, and their weights (null: equal weights). */
  private record Scored(double[] pd, double[] weights) {}

  /**
   * The PDs of {@code rows} under {@code bundle}, leaving out the rows its policies refuse (such as
   * one missing more than {@code max_missing_share} of the features the model uses): they have no
   * PD, and {@code train} leaves them out of its figures too; their weights go with them.
   *
   * @throws IllegalArgumentException when there is no row, or every row is refused, or the weights
   *     are not one finite value >= 0 per row
   */
  private static Scored scored(ModelBundle bundle, double[] rows, double[] weights) {
    int p = bundle.schema().size();
    int n = rows.length / p;
    if (n == 0) {
      throw new IllegalArgumentException("PD calibration: expected at least one calibration row");
    }
    if (weights != null) {
      checkWeights(weights, n);
    }
    double[] pd = new double[n];
    io.chainscore.scoring.RowRefusals refusals = new io.chainscore.scoring.RowRefusals();
    bundle.scorer().scoreBatch(rows, n, p, new double[n], pd, new int[n], null, refusals);
    if (refusals.isEmpty()) {
      return new Scored(pd, weights);
    }
    int kept = n - refusals.count();
    if (kept == 0) {
      throw new IllegalArgumentException("PD calibration: the model's policies refuse every one of the " + n
          + " calibration rows (the first: " + refusals.problem(0) + ")");
    }
    double[] keptPd = new double[kept];
    double[] keptWeights = weights == null ? null : new double[kept];
    for (int r = 0, k = 0, refused = 0; r < n; r++) {
      if (refused < refusals.count() && refusals.row(refused) == r) {
        refused++;
        continue;
      }
      keptPd[k] = pd[r];
      if (weights != null) {
        keptWeights[k] = weights[r];
      }
      k++;
    }
    return new Scored(keptPd, keptWeights);
  }

  private static double[] shifted(double[] pd, double shift) {
    double[] out = new double[pd.length];
    for (int i = 0; i < pd.length; i++) {
      out[i] = 1 / (1 + Math.exp(-(Math.log(pd[i] / (1 - pd[i])) + shift)));
    }
    return out;
  }

  private static double[] shares(double[] calibrated, double[] weights, MasterScale scale) {
    int n = calibrated.length;
    double total = weights == null ? n : Arrays.stream(weights).sum();
    double[] shares = new double[scale.grades().size() - 1];
    for (int i = 0; i < n; i++) {
      int g = scale.gradeIndexOf(calibrated[i]);
      if (g >= 0 && g < shares.length) {
        shares[g] += (weights == null ? 1.0 : weights[i]) / total;
      }
    }
    return shares;
  }

  private static double mean(double[] v, double[] weights) {
    if (weights == null) {
      double mean = 0;
      for (double x : v) {
        mean += x / v.length;
      }
      return mean;
    }
    double sum = 0;
    double total = 0;
    for (int i = 0; i < v.length; i++) {
      sum += weights[i] * v[i];
      total += weights[i];
    }
    return sum / total;
  }

  /** One finite, non-negative weight per calibration row. */
  private static void checkWeights(double[] weights, int rows) {
    if (weights.length != rows) {
      throw new IllegalArgumentException("PD calibration: " + weights.length + " weights for " + rows + " rows");
    }
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0 && weights[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("PD calibration: weight " + i + " is " + weights[i]
            + ", expected a finite value >= 0");
      }
    }
  }

  /**
   * {@link #calibrate}, with the shift and fitted scale given when {@code pooledRows > 0} (the
   * segments of {@link #calibrateJointly}): the shift is not solved on {@code rows} and a {@link
   * FittedScale} is {@code pooledScale}.
   */
  private static Result calibrate(ModelBundle bundle, double[] rows, double[] weights, Settings settings,
      double pooledShift, MasterScale pooledScale, int pooledRows) throws ModelFormatException {
    FeatureSchema schema = bundle.schema();
    Scored scored = scored(bundle, rows, weights);
    double[] pd = scored.pd();
    weights = scored.weights();
    int n = pd.length;
    ObjectNode root;
    try {
      root = (ObjectNode) JSON.readTree(bundle.toJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a sealed bundle's own JSON does not parse", e);
    }
    double shift = 0;
    double[] calibrated = pd;
    if (settings.centralTendency() != null) {
      shift = pooledRows > 0 ? pooledShift : settings.centralTendency().interceptShift(pd, weights);
      ObjectNode calibration = (ObjectNode) root.get("calibration");
      String kind = calibration == null ? "none" : calibration.get("kind").asText();
      switch (kind) {
        case "none" -> root.set("calibration", JsonNodeFactory.instance.objectNode().put("kind", "logistic")
            .put("intercept", shift).put("slope", 1.0));
        case "logistic" -> calibration.put("intercept", calibration.get("intercept").asDouble() + shift);
        default -> throw new IllegalArgumentException("PD calibration: the model's " + kind
            + " calibration cannot be shifted to a central tendency exactly; train with a logistic or no calibration");
      }
      calibrated = shifted(pd, shift);
    }
    Scale scale = settings.scale();
    if (scale instanceof DefaultScale) {
      root.set("master_scale", BundleBuilder.masterScaleJson(BundleBuilder.defaultMasterScale()));
    } else if (scale instanceof FixedScale fixed) {
      root.set("master_scale", fixed.json().deepCopy());
    } else if (scale instanceof FittedScale fit) {
      root.set("master_scale", BundleBuilder.masterScaleJson(pooledRows > 0 ? pooledScale
          : MasterScaleFit.equalShares(calibrated, fit.grades(), weights)));
    }
    ObjectNode record = record(settings, shift, pooledRows > 0 ? pooledRows : n, weights != null);
    JsonNode own = root.get("provenance").get("pd_calibration");
    if (pooledRows > 0 && own instanceof ObjectNode kept) {
      ObjectNode merged = kept.deepCopy();
      merged.setAll(record);
      record = merged;
    }
    ((ObjectNode) root.get("provenance")).set("pd_calibration", record);
    ModelBundle sealed = reseal(root, schema);
    return new Result(sealed, shift, mean(calibrated, weights), shares(calibrated, weights, sealed.masterScale()));
  }

  /** The {@code pd_calibration} record of the settings, the shift and the rows it was solved on. */
  private static ObjectNode record(Settings settings, double shift, int n, boolean weighted) {
    Scale scale = settings.scale();
    ObjectNode record = JsonNodeFactory.instance.objectNode();
    if (settings.ratingPhilosophy() != null) {
      record.put("rating_philosophy", settings.ratingPhilosophy());
    }
    CentralTendency ct = settings.centralTendency();
    if (ct != null) {
      record.put("central_tendency", ct.target());
      boolean fromCohorts = settings.cohortColumn() != null;
      record.put("central_tendency_source", fromCohorts ? "cohort_average" : "given");
      if (fromCohorts) {
        record.put("default_column", settings.defaultColumn());
        record.put("cohort_column", settings.cohortColumn());
        ArrayNode rates = record.putArray("cohort_default_rates");
        for (double r : ct.yearlyRates()) {
          rates.add(r);
        }
        record.put("long_run_average", ct.longRunAverage());
      }
      if (!Double.isNaN(ct.conservativeLevel())) {
        record.putObject("margin_of_conservatism").put("method", "upper_confidence_bound")
            .put("level", ct.conservativeLevel()).put("standard_error", ct.standardError());
      }
      record.put("intercept_shift", shift);
      record.put("calibration_rows", n);
    }
    if (weighted) {
      record.put("weighted", true);
    }
    record.put("master_scale", scale.label());
    return record;
  }

  /** Re-scores the golden rows of the edited document and seals it. */
  private static ModelBundle reseal(ObjectNode root, FeatureSchema schema) throws ModelFormatException {
    JsonNode golden = root.get("golden_rows");
    List<double[]> inputs = new ArrayList<>();
    if (golden != null) {
      for (JsonNode g : golden) {
        JsonNode values = g.get("features");
        double[] row = new double[schema.size()];
        for (int j = 0; j < row.length; j++) {
          FeatureSpec f = schema.feature(j);
          JsonNode v = values.get(f.name());
          row[j] = v == null || v.isNull() ? Double.NaN
              : f.type() == FeatureType.CATEGORICAL ? f.categoryIndex(v.asText()) : v.asDouble();
        }
        inputs.add(row);
      }
    }
    root.putArray("golden_rows");
    ModelBundle provisional = ModelBundle.seal(root.toString());
    ArrayNode rescored = (ArrayNode) root.get("golden_rows");
    for (int k = 0; k < inputs.size(); k++) {
      ObjectNode g = ((ObjectNode) golden.get(k)).deepCopy();
      ScoreResult r = provisional.scorer().score(inputs.get(k));
      g.put("points", r.points());
      g.put("pd", r.pd());
      g.put("grade", r.grade());
      ArrayNode codes = g.putArray("reason_codes");
      r.reasonCodes().forEach(codes::add);
      rescored.add(g);
    }
    return ModelBundle.seal(root.toString());
  }
}

package io.chainscore.develop.scorecard;

import io.chainscore.develop.TrainerSettings;
import io.chainscore.scoring.spi.PointsScale;
import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.fit.Collinearity;
import io.chainscore.develop.fit.LogisticFit;
import io.chainscore.develop.fit.LogisticRegression;
import io.chainscore.features.FeatureSchema;
import io.chainscore.scoring.ModelBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a points scorecard from a feature matrix with 0/1 default labels: optimal monotonic
 * binning of every feature, selection by information value and correlation (or, given the
 * development cohorts of the rows, cohort-out forward selection; see {@code docs/binning.md}), a logistic
 * regression on the WoE-coded characteristics (terms with the wrong sign are dropped and the
 * model refitted), scaling to points, and a sealed {@link ModelBundle} with golden rows.
 *
 * <p>Each step is its own seam: {@link CharacteristicBinning}, {@link CharacteristicSelection},
 * the fit and the scaling here, and {@link ScorecardBundle}.
 *
 * <pre>{@code
 * ScorecardTrainer trainer = new ScorecardTrainer(ScorecardTrainer.Options.builder()
 *     .modelId("my-scorecard").modelVersion("1.0.0").minBinShare(0.03).maxBins(10).build());
 * ScorecardTrainer.Result r = trainer.train(samples.schema(), samples.rows(), samples.labels());
 * }</pre>
 *
 * <p>Deterministic: the same data and options give the same bundle, byte for byte.
 *
 * <p>Thread safety: immutable; {@link #train} may run concurrently.
 */
public final class ScorecardTrainer {
  /** One selected characteristic of a trained scorecard. */
  public record Characteristic(String feature, BinningTable binning, double coefficient, double pValue, long[] points,
      String reasonCode) {}

  /**
   * A trained scorecard.
   *
   * @param bundle the sealed bundle
   * @param characteristics the selected characteristics in model order
   * @param ivByFeature information value of every feature's binning (NaN when it could not be binned)
   * @param fit the final logistic regression on the WoE-coded characteristics
   */
  public record Result(ModelBundle bundle, List<Characteristic> characteristics, Map<String, Double> ivByFeature,
      LogisticFit fit) {}

  /**
   * The options of a training run; build them with {@link #builder()}.
   *
   * <p>Thread safety: immutable.
   *
   * @param modelId bundle model id
   * @param modelVersion bundle model version
   * @param description bundle description
   * @param scaling the points scale
   * @param minIv smallest information value of a candidate characteristic
   * @param maxCorrelation largest absolute correlation of a characteristic's WoE with a stronger
   *     kept one's
   * @param maxCharacteristics most characteristics in the model
   * @param minBinShare smallest share of the rows in a bin
   * @param maxBins most bins of a numeric characteristic
   * @param trainedAt ISO-8601 instant for the provenance (fixed, so bundles are reproducible)
   * @param trainer provenance trainer name and version; the bundle's {@code provenance.trainer} is it
   *     followed by the fit's settings ({@link TrainerSettings}: {@code "; method=woe_logistic
   *     min_iv=0.02 ... binning=automatic"})
   * @param reasonTexts adverse-action text per feature name (missing names get the feature's description)
   * @param maxMissingShare the bundle's {@code max_missing_share} (rows missing a larger share of the
   *     model's features are refused when scored), NaN to declare none
   * @param reasonGroups reason code per feature name, for features that share a reason group (their
   *     text is then {@code reasonTexts} of the code); other features get a code of their own
   */
  public record Options(String modelId, String modelVersion, String description, PointsScale scaling,
      double minIv, double maxCorrelation, int maxCharacteristics, double minBinShare, int maxBins,
      String trainedAt, String trainer, Map<String, String> reasonTexts, double maxMissingShare,
      Map<String, String> reasonGroups) {
    /** Copies the reason texts and groups. */
    public Options {
      reasonTexts = Map.copyOf(reasonTexts);
      reasonGroups = Map.copyOf(reasonGroups);
    }

    /** A builder with the defaults of {@code chainscore train}. */
    public static Builder builder() {
      return new Builder();
    }

    /**
     * These options with another provenance trainer text (for example the name and the settings
     * of the development run, {@code chainscore train} adding its reject inference's before the
     * fit on the accepts and the inferred rejects).
     */
    public Options withTrainer(String v) {
      return new Options(modelId, modelVersion, description, scaling, minIv, maxCorrelation, maxCharacteristics,
          minBinShare, maxBins, trainedAt, v, reasonTexts, maxMissingShare, reasonGroups);
    }
  }

  /** Fewest points to double the odds of a scorecard's scale (see {@link Builder#scaling}). */
  public static final double MIN_PDO = 10;
  /** Largest base score in size of a scorecard's scale (see {@link Builder#scaling}). */
  public static final double MAX_BASE_SCORE = 1e6;

  /** Builds {@link Options}; every option has a default. Thread safety: not thread-safe. */
  public static final class Builder {
    private String modelId = "scorecard";
    private String modelVersion = "1.0.0";
    private String description = "Scorecard.";
    private PointsScale scaling = new PointsScale(20, 600, 50);
    private double minIv = 0.02;
    private double maxCorrelation = 0.7;
    private int maxCharacteristics = 15;
    private double minBinShare = 0.05;
    private int maxBins = 8;
    private String trainedAt = "1970-01-01T00:00:00Z";
    private String trainer = "chainscore-models 0.1.0";
    private Map<String, String> reasonTexts = Map.of();
    private Map<String, String> reasonGroups = Map.of();
    private double maxMissingShare = Double.NaN;

    private Builder() {}

    /**
     * The bundle's {@code max_missing_share}, from 0 to 1 (default NaN: none declared; {@code
     * chainscore train} passes 0.5).
     */
    public Builder maxMissingShare(double v) {
      maxMissingShare = v;
      return this;
    }

    /** Bundle model id (default {@code scorecard}). */
    public Builder modelId(String v) {
      modelId = v;
      return this;
    }

    /** Bundle model version (default 1.0.0). */
    public Builder modelVersion(String v) {
      modelVersion = v;
      return this;
    }

    /** Bundle description. */
    public Builder description(String v) {
      description = v;
      return this;
    }

    /**
     * Points scale (default PDO 20, 600 points at 50:1 good:bad odds).
     *
     * @throws IllegalArgumentException for a PDO under {@link #MIN_PDO} or a base score beyond
     *     {@link #MAX_BASE_SCORE} in size: a scorecard's points are whole numbers (rounded keeping
     *     each characteristic's order, {@link PointsScale#roundPreservingRank}), and at PDO 1 a point
     *     is 0.69 log-odds, so rounding moved the mean PD of German credit from 30% to 1.2%; held as
     *     integers, a base score of 1e308 overflowed
     */
    public Builder scaling(PointsScale v) {
      if (v.pdo() < MIN_PDO) {
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "--pdo %s: a scorecard's points are"
            + " whole numbers, and at %s points to double the odds rounding a bin's points moves its log-odds by up to"
            + " %.3f (its PDs with it); expected %s or more", fmt(v.pdo()), fmt(v.pdo()), Math.log(2) / (2 * v.pdo()),
            fmt(MIN_PDO)));
      }
      if (!(Math.abs(v.baseScore()) <= MAX_BASE_SCORE)) {
        throw new IllegalArgumentException("--base-score " + fmt(v.baseScore()) + ": expected a score between -"
            + fmt(MAX_BASE_SCORE) + " and " + fmt(MAX_BASE_SCORE) + " (a scorecard's points are whole numbers)");
      }
      scaling = v;
      return this;
    }

    private static String fmt(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Smallest information value of a candidate (default 0.02). */
    public Builder minIv(double v) {
      minIv = v;
      return this;
    }

    /** Largest absolute WoE correlation with a stronger kept characteristic (default 0.7). */
    public Builder maxCorrelation(double v) {
      maxCorrelation = v;
      return this;
    }

    /** Most characteristics (default 15). */
    public Builder maxCharacteristics(int v) {
      maxCharacteristics = v;
      return this;
    }

    /** Smallest share of the rows in a bin (default 0.05). */
    public Builder minBinShare(double v) {
      minBinShare = v;
      return this;
    }

    /** Most bins of a numeric characteristic (default 8). */
    public Builder maxBins(int v) {
      maxBins = v;
      return this;
    }

    /** Provenance instant, ISO-8601 (default the epoch, so bundles are reproducible). */
    public Builder trainedAt(String v) {
      trainedAt = v;
      return this;
    }

    /** Provenance trainer name and version. */
    public Builder trainer(String v) {
      trainer = v;
      return this;
    }

    /** Adverse-action text per feature name, or per group code (default none: the feature's description). */
    public Builder reasonTexts(Map<String, String> v) {
      reasonTexts = v;
      return this;
    }

    /** Reason code per feature name for features that share a reason group (default none). */
    public Builder reasonGroups(Map<String, String> v) {
      reasonGroups = v;
      return this;
    }

    /** The options. */
    public Options build() {
      return new Options(modelId, modelVersion, description, scaling, minIv, maxCorrelation, maxCharacteristics,
          minBinShare, maxBins, trainedAt, trainer, reasonTexts, maxMissingShare, reasonGroups);
    }
  }

  /** Largest variance inflation factor tolerated among the selected characteristics. */
  private static final double MAX_VIF = 10;

  /** Minimum fall of the summed held-out deviance for a characteristic to enter (the AIC price of one term). */
  static final double MIN_HELD_OUT_GAIN = CharacteristicSelection.MIN_HELD_OUT_GAIN;

  private final Options options;
  private final CharacteristicBinning binning;
  private final CharacteristicSelection selection;

  public ScorecardTrainer(Options options) {
    this.options = options;
    this.binning = new CharacteristicBinning(options.minBinShare(), options.maxBins());
    this.selection = new CharacteristicSelection(options, binning);
  }

  /**
   * Trains on {@code rows} (row-major, {@code schema.size()} columns, categorical values as
   * category indexes, NaN missing) with {@code labels} (1 = default).
   *
   * @throws IllegalArgumentException when no characteristic passes the selection
   */
  public Result train(FeatureSchema schema, double[] rows, int[] labels) {
    return train(schema, rows, labels, null);
  }

  /**
   * Trains like {@link #train(FeatureSchema, double[], int[])}, but when {@code cohorts} names at
   * least two development cohorts (vintages, one id per row), characteristics are selected by
   * cohort-out forward selection instead of by information value alone: each cohort in turn is
   * held out, every candidate is binned and fitted on the other cohorts only, and a
   * characteristic enters the model only while it lowers the summed held-out deviance by at
   * least {@value #MIN_HELD_OUT_GAIN} and has a positive coefficient in every fold. This is
   * the credit modeller's out-of-time check done inside the development sample: it keeps out
   * characteristics whose WoE reflects one vintage's luck (e.g. a sector's systematic factor in
   * the years sampled) rather than a stable relation. Candidates are the same as without
   * cohorts (IV, correlation and count limits of the options); the final bins and fit use all
   * rows.
   *
   * @param cohorts cohort id per row, or null for selection by information value
   * @throws IllegalArgumentException when no characteristic passes the selection or
   *     {@code cohorts} has the wrong length
   */
  public Result train(FeatureSchema schema, double[] rows, int[] labels, int[] cohorts) {
    return train(schema, rows, labels, cohorts, null, ManualBins.NONE);
  }

  /**
   * Trains like {@link #train(FeatureSchema, double[], int[], int[])} with sample weights and
   * manual classing. Every step weighs row i by {@code weights[i]}: the binning counts, WoE and
   * IV, the correlation and variance-inflation checks, the cohort-out folds and the IRLS fit (so
   * integer weights train the scorecard of the sample with each row repeated that many times).
   * The features {@code manual} lists keep its bins (counted on these rows, never re-binned);
   * they still go through the selection.
   *
   * @param weights a finite weight {@code >= 0} per row, or null for weight 1 each
   * @param manual the developer's bins, {@link ManualBins#NONE} for automatic binning throughout
   * @throws IllegalArgumentException as the other overloads, for a bad weight, or when {@code
   *     manual} names a feature not in {@code schema} or does not fit its type
   */
  public Result train(FeatureSchema schema, double[] rows, int[] labels, int[] cohorts, double[] weights,
      ManualBins manual) {
    int p = schema.size();
    int n = labels.length;
    if (rows.length != (long) n * p) {
      throw new IllegalArgumentException("rows hold " + rows.length + " values, expected " + n + " x " + p);
    }
    if (cohorts != null && cohorts.length != n) {
      throw new IllegalArgumentException("cohorts: expected one id per row (" + n + "), got " + cohorts.length);
    }
    if (weights != null && weights.length != n) {
      throw new IllegalArgumentException("weights: expected one per row (" + n + "), got " + weights.length);
    }
    CharacteristicBinning.Binned binned = binning.binAll(schema, rows, labels, weights, manual.check(schema));
    // The developer's bins must follow the trend they declare on the rows the model is fitted on
    // (the cohort-out folds count them on fewer rows and are not held to it).
    List<String> broken = manual.trendViolations(tablesByName(schema, binned.tables()));
    if (!broken.isEmpty()) {
      throw new IllegalArgumentException(broken.get(0));
    }
    List<Integer> kept = new ArrayList<>(selection.select(schema, binned, labels, cohorts));
    LogisticFit fit = fitWithPositiveTerms(schema, kept, binned.woe(), labels, weights);
    List<Characteristic> characteristics = scale(schema, kept, binned.tables(), fit);
    long basePoints = Math.round(options.scaling().offset() - options.scaling().factor() * fit.coefficients()[0]);
    int cohortCount = cohorts == null ? 0 : (int) java.util.Arrays.stream(cohorts).distinct().count();
    ModelBundle bundle = ScorecardBundle.build(options, schema, characteristics, basePoints, rows, labels, weights,
        settings(schema, binned, labels, weights, manual, cohortCount));
    return new Result(bundle, List.copyOf(characteristics), binned.ivByFeature(schema), fit);
  }

  /**
   * The settings of a fit for its bundle's {@code provenance.trainer} ({@link TrainerSettings}):
   * the options that shape the model, how the characteristics were selected, the weights' hash and
   * the binning. Manual classing is recorded only where it changed something: {@code
   * binning=manual bins_file_sha256=... manual_characteristics=[...]} lists the characteristics of
   * the file whose bins differ from the automatic bins of these rows, and, under cohort-out
   * selection, every characteristic of the file (their bins are then held fixed in each fold, where
   * automatic binning re-bins). A file that changes nothing, such as the unedited output of {@code
   * chainscore bins} without cohorts, records {@code binning=automatic}, as training without it does,
   * so both give the same bundle byte for byte.
   */
  private TrainerSettings settings(FeatureSchema schema, CharacteristicBinning.Binned binned, int[] labels,
      double[] weights, ManualBins manual, int cohortCount) {
    boolean cohortOut = cohortCount >= 2;
    java.util.SortedSet<String> changed = new java.util.TreeSet<>();
    for (String feature : manual.specs().keySet()) {
      int j = schema.indexOf(feature);
      BinningTable used = binned.tables()[j];
      if (used == null) {
        continue;
      }
      if (cohortOut) {
        changed.add(feature);
        continue;
      }
      BinningTable automatic;
      try {
        automatic = binning.fit(schema.feature(j), binned.columns()[j], labels, weights);
      } catch (IllegalArgumentException e) {
        automatic = null;
      }
      if (automatic == null || !automatic.bins().equals(used.bins())) {
        changed.add(feature);
      }
    }
    TrainerSettings s = new TrainerSettings().put("method", "woe_logistic").put("min_iv", options.minIv())
        .put("max_correlation", options.maxCorrelation()).put("max_characteristics", options.maxCharacteristics())
        .put("min_bin_share", options.minBinShare()).put("max_bins", options.maxBins())
        .put("selection", cohortOut ? "cohort_out" : "information_value");
    if (cohortOut) {
      s.put("cohorts", cohortCount);
    }
    s.put("weights", TrainerSettings.weights(weights));
    if (changed.isEmpty()) {
      return s.put("binning", "automatic");
    }
    return s.put("binning", "manual").put("bins_file_sha256", manual.fileSha256())
        .put("manual_characteristics", changed);
  }

  /**
   * The binning tables {@link #train} starts from: every feature of {@code schema} binned
   * automatically with these options' bin limits (or by {@code manual} where it gives the bins), by
   * feature name in schema order; features that cannot be binned (a single class, say) are left out.
   *
   * @param weights a finite weight {@code >= 0} per row, or null for weight 1 each
   */
  public Map<String, BinningTable> bin(FeatureSchema schema, double[] rows, int[] labels, double[] weights,
      ManualBins manual) {
    CharacteristicBinning.Binned binned = binning.binAll(schema, rows, labels, weights, manual.check(schema));
    return tablesByName(schema, binned.tables());
  }

  /** The tables by feature name in schema order, leaving out the features that could not be binned. */
  private static Map<String, BinningTable> tablesByName(FeatureSchema schema, BinningTable[] tables) {
    Map<String, BinningTable> out = new java.util.LinkedHashMap<>();
    for (int j = 0; j < schema.size(); j++) {
      if (tables[j] != null) {
        out.put(schema.feature(j).name(), tables[j]);
      }
    }
    return out;
  }

  /**
   * Fits the logistic regression on the WoE of {@code kept}; with WoE = ln(%bad/%good) every
   * coefficient should be positive, so the weakest wrong-signed or insignificant term is dropped
   * from {@code kept} and the model refitted until none is left. Then checks collinearity.
   */
  private LogisticFit fitWithPositiveTerms(FeatureSchema schema, List<Integer> kept, double[][] woe, int[] labels,
      double[] weights) {
    LogisticFit fit;
    while (true) {
      if (kept.isEmpty()) {
        throw new IllegalArgumentException("no characteristic has IV >= " + options.minIv() + " and a positive coefficient");
      }
      fit = fitWoe(schema, kept, woe, labels, weights);
      int worst = -1;
      double worstScore = 0;
      for (int t = 0; t < kept.size(); t++) {
        double c = fit.coefficients()[t + 1];
        double z = fit.zValues()[t + 1];
        double badness = c <= 0 ? 1e9 - z : fit.pValues()[t + 1] > 0.05 ? 1e6 - z : 0;
        if (badness > worstScore) {
          worstScore = badness;
          worst = t;
        }
      }
      if (worst < 0) {
        break;
      }
      kept.remove(worst);
    }
    double[] vif = kept.size() > 1 ? Collinearity.varianceInflation(woeMatrix(kept, woe, labels.length), weights) : new double[] {1};
    for (double v : vif) {
      if (!(v < MAX_VIF)) {
        throw new IllegalStateException("selected characteristics are collinear (VIF " + v + ")");
      }
    }
    return fit;
  }

  /** Points of every bin, {@code -factor * beta * WoE} (an empty bin counts as WoE 0), rounded preserving rank. */
  private List<Characteristic> scale(FeatureSchema schema, List<Integer> kept, BinningTable[] tables, LogisticFit fit) {
    PointsScale scaling = options.scaling();
    double[][] exactPoints = new double[kept.size()][];
    for (int t = 0; t < kept.size(); t++) {
      BinningTable table = tables[kept.get(t)];
      double beta = fit.coefficients()[t + 1];
      exactPoints[t] = new double[table.bins().size()];
      for (int b = 0; b < table.bins().size(); b++) {
        BinningTable.Bin bin = table.bins().get(b);
        double binWoe = bin.count() == 0 ? 0 : bin.woe();
        exactPoints[t][b] = -scaling.factor() * beta * binWoe;
      }
    }
    long[][] points = PointsScale.roundPreservingRank(exactPoints);
    List<Characteristic> characteristics = new ArrayList<>();
    for (int t = 0; t < kept.size(); t++) {
      int j = kept.get(t);
      characteristics.add(new Characteristic(schema.feature(j).name(), tables[j], fit.coefficients()[t + 1],
          fit.pValues()[t + 1], points[t],
          options.reasonGroups().getOrDefault(schema.feature(j).name(), String.format("R%02d", t + 1))));
    }
    return characteristics;
  }

  private static LogisticFit fitWoe(FeatureSchema schema, List<Integer> kept, double[][] woe, int[] labels,
      double[] weights) {
    String[] names = new String[kept.size()];
    for (int t = 0; t < kept.size(); t++) {
      names[t] = schema.feature(kept.get(t)).name();
    }
    return LogisticRegression.maximumLikelihood().fit(names, woeMatrix(kept, woe, labels.length), labels, weights);
  }

  private static double[][] woeMatrix(List<Integer> kept, double[][] woe, int n) {
    double[][] x = new double[n][kept.size()];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < kept.size(); t++) {
        x[i][t] = woe[kept.get(t)][i];
      }
    }
    return x;
  }
}

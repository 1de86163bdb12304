package io.chainscore.scoring.tree;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.ModelFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A format-neutral gradient-boosted tree ensemble for binary classification or regression, as read
 * from an XGBoost, LightGBM or ChainScore file: the margin of a row is {@link #baseMargin()} plus,
 * tree by tree in list order, the weighted output of the leaf the row reaches, with the
 * arithmetic and decision rules of {@link #precision()}.
 *
 * <p>The model names its features; {@link #compile(FeatureSchema)} resolves the names to schema
 * columns once and builds the flat primitive layout that scores rows.
 *
 * <p>Thread safety: immutable.
 */
public final class TreeEnsemble {
  /** How the margin maps to the output. */
  public enum Link {
    /** The margin is log-odds; the probability is {@code 1 / (1 + exp(-sigmoidScale * margin))}. */
    LOGISTIC,
    /** The margin is the output (regression, or a classifier whose score is the raw margin). */
    IDENTITY
  }

  /**
   * The arithmetic and decision rules of the library that trained the model; see {@code
   * docs/tree-models.md}.
   */
  public enum Precision {
    /**
     * XGBoost: a value {@code x} is rounded to float32; numeric splits go left iff {@code (float) x <
     * threshold}; a categorical value is invalid when {@code (float) x < 0} or {@code >= 2^24}
     * and then goes left, else its category {@code (int) (float) x} goes right iff it is in the
     * set; leaves times tree weight are rounded to float32 and summed in float32 from the base
     * margin; the sigmoid is computed in float32.
     */
    FLOAT32,
    /**
     * LightGBM: a value with {@code |x| <= 1e-35f} is read as 0 (as LightGBM's predictor does);
     * numeric splits go left iff {@code x <= threshold} in double; categorical: NaN or
     * {@code (int) x < 0} goes right, else category {@code (int) x} goes left iff it is in the
     * set; leaves are summed in double.
     */
    FLOAT64
  }

  /** Largest category code a split may name (categories are float32-exact integers). */
  public static final int MAX_CATEGORY = 1 << 24;

  /** Largest number of trees accepted. */
  public static final int MAX_TREES = 100_000;

  /** Largest number of nodes over all trees. */
  public static final int MAX_TOTAL_NODES = 1 << 24;

  /** Largest number of features. */
  public static final int MAX_FEATURES = 1 << 16;

  /** Largest number of categories a default schema enumerates for one feature (a schema may have more). */
  private static final int MAX_DEFAULT_CATEGORIES = 100_000;

  private final List<String> featureNames;
  private final List<Boolean> categoricalFeatures;
  private final List<DecisionTree> trees;
  private final double baseMargin;
  private final Link link;
  private final double sigmoidScale;
  private final Precision precision;
  private final String source;
  /** An identity link's margin that is a log-odds all the same ({@link #withLogOddsMargin}). */
  private final boolean logOddsMargin;
  /** The {@code chainscore_*} records the file carries (ChainScore's export), by name; empty for others. */
  private final java.util.Map<String, String> records;

  private TreeEnsemble(
      List<String> featureNames,
      List<Boolean> categoricalFeatures,
      List<DecisionTree> trees,
      double baseMargin,
      Link link,
      double sigmoidScale,
      Precision precision,
      String source,
      boolean logOddsMargin,
      java.util.Map<String, String> records) {
    this.featureNames = featureNames;
    this.categoricalFeatures = categoricalFeatures;
    this.trees = trees;
    this.baseMargin = baseMargin;
    this.link = link;
    this.sigmoidScale = sigmoidScale;
    this.precision = precision;
    this.source = source;
    this.logOddsMargin = logOddsMargin;
    this.records = records;
  }

  /**
   * Creates an ensemble after checking it is consistent.
   *
   * @param featureNames feature names in the model's own column order, unique
   * @param categoricalFeatures per feature whether the trainer treated it as categorical
   * @param trees the trees, in the order their outputs are summed
   * @param baseMargin margin-space starting value (float32-exact for {@link Precision#FLOAT32})
   * @param link how margins map to outputs
   * @param sigmoidScale factor of the margin in the logistic link (1 for XGBoost; LightGBM's
   *     {@code sigmoid:} parameter), ignored for {@link Link#IDENTITY}
   * @param precision decision and arithmetic rules
   * @param source a short description of where the model came from, for messages
   * @throws ModelFormatException when the parts do not fit together
   */
  public static TreeEnsemble of(
      List<String> featureNames,
      List<Boolean> categoricalFeatures,
      List<DecisionTree> trees,
      double baseMargin,
      Link link,
      double sigmoidScale,
      Precision precision,
      String source)
      throws ModelFormatException {
    if (featureNames.size() > MAX_FEATURES) {
      throw new ModelFormatException("feature_names", "more than " + MAX_FEATURES + " features");
    }
    if (categoricalFeatures.size() != featureNames.size()) {
      throw new ModelFormatException("feature_types",
          "expected " + featureNames.size() + " feature types, got " + categoricalFeatures.size());
    }
    if (trees.size() > MAX_TREES) {
      throw new ModelFormatException("trees", trees.size() + " trees, more than the limit " + MAX_TREES);
    }
    if (!Double.isFinite(baseMargin)) {
      throw new ModelFormatException("base_margin", "base margin must be finite, got " + baseMargin);
    }
    if (link == Link.LOGISTIC && !(sigmoidScale > 0 && Double.isFinite(sigmoidScale))) {
      throw new ModelFormatException("sigmoid", "sigmoid scale must be positive and finite, got " + sigmoidScale);
    }
    List<String> names = List.copyOf(featureNames);
    if (names.stream().distinct().count() != names.size()) {
      throw new ModelFormatException("feature_names", "feature names must be unique: " + names);
    }
    long totalNodes = 0;
    for (int t = 0; t < trees.size(); t++) {
      DecisionTree tree = trees.get(t);
      totalNodes += tree.nodeCount();
      if (totalNodes > MAX_TOTAL_NODES) {
        throw new ModelFormatException("trees", "more than " + MAX_TOTAL_NODES + " nodes in all");
      }
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (!tree.isLeaf(i) && tree.splitFeature(i) >= names.size()) {
          throw new ModelFormatException("trees[" + t + "].nodes[" + i + "].feature",
              "split feature " + tree.splitFeature(i) + " is outside [0, " + names.size() + ")");
        }
      }
    }
    return new TreeEnsemble(names, List.copyOf(categoricalFeatures), List.copyOf(trees),
        baseMargin, link, link == Link.LOGISTIC ? sigmoidScale : 1.0, precision, source, false, java.util.Map.of());
  }

  /**
   * This ensemble with its margin in log-odds: a logistic model's sigmoid scale (LightGBM's {@code
   * sigmoid:}) multiplied into every tree's weight and the base margin, the scale then 1; the same
   * ensemble otherwise. Its margin is {@code sigmoid * raw score} (exactly for a power of two, within
   * an ulp or so of the product otherwise), what a bundle's calibration, points and reason codes
   * take, so that the bundle's PD is {@code 1 / (1 + exp(-sigmoid * raw score))} as the library that
   * trained it predicts. (A bundle stored the scale and, until 2026-12-05, ignored it.) The raw
   * score stays this ensemble's own margin, as LightGBM's raw prediction.
   */
  public TreeEnsemble inLogOdds() {
    if (link != Link.LOGISTIC || sigmoidScale == 1.0) {
      return this;
    }
    List<DecisionTree> scaled = new java.util.ArrayList<>(trees.size());
    for (DecisionTree tree : trees) {
      scaled.add(tree.scaledBy(sigmoidScale));
    }
    return new TreeEnsemble(featureNames, categoricalFeatures, List.copyOf(scaled), baseMargin * sigmoidScale, link,
        1.0, precision, source, logOddsMargin, records);
  }

  /**
   * This ensemble read as a logistic model (sigmoid scale 1): for a margin that is a log-odds
   * although the file's own output is the margin itself, as XGBoost's {@code binary:logitraw}
   * (trained with the logistic loss, predicting the untransformed margin). The trees and base
   * margin are unchanged.
   */
  public TreeEnsemble asLogistic() {
    return link == Link.LOGISTIC ? this
        : new TreeEnsemble(featureNames, categoricalFeatures, trees, baseMargin, Link.LOGISTIC, 1.0, precision, source,
            false, records);
  }

  /**
   * This ensemble, still with its identity link, marked as one whose margin is a log-odds (the
   * reader's knowledge: XGBoost's {@code binary:logitraw} is trained with the logistic loss and
   * outputs the untransformed margin), so that {@link #marginIsLogOdds} tells a caller it may be
   * read {@link #asLogistic} without knowing the file format's objective names.
   */
  public TreeEnsemble withLogOddsMargin() {
    return new TreeEnsemble(featureNames, categoricalFeatures, trees, baseMargin, link, sigmoidScale, precision, source,
        link == Link.IDENTITY, records);
  }

  /**
   * This ensemble with the records its file carries besides the trees: {@code chainscore export
   * xgboost} and {@code export lightgbm} write a bundle's PD calibration, points scale and master
   * scale, provenance and reasons (each the bundle's fields as JSON text) as the learner attributes
   * or parameters {@code chainscore_calibration}, {@code chainscore_score_scale}, {@code
   * chainscore_master_scale}, {@code chainscore_provenance} and {@code chainscore_reasons}, and
   * the readers hand them on so that an import of the exported file scores as the bundle did. The
   * trees are unchanged; the texts are checked where a bundle is built from them.
   */
  public TreeEnsemble withRecords(java.util.Map<String, String> fileRecords) {
    return new TreeEnsemble(featureNames, categoricalFeatures, trees, baseMargin, link, sigmoidScale, precision, source,
        logOddsMargin, java.util.Map.copyOf(fileRecords));
  }

  /**
   * The {@code chainscore_*} records of the file ({@link #withRecords}) by their name, such as
   * {@code chainscore_calibration}; empty for a model ChainScore did not export.
   */
  public java.util.Map<String, String> records() {
    return records;
  }

  /**
   * Whether the margin is a log-odds: a logistic link's (after {@link #inLogOdds}), or an identity
   * link's that its reader marked so ({@link #withLogOddsMargin}); a regression's is not.
   */
  public boolean marginIsLogOdds() {
    return link == Link.LOGISTIC || logOddsMargin;
  }

  /** Feature names in the model's own column order. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** Per feature, whether the trainer treated it as categorical. */
  public List<Boolean> categoricalFeatures() {
    return categoricalFeatures;
  }

  /** The trees in summation order. */
  public List<DecisionTree> trees() {
    return trees;
  }

  /** Margin-space starting value of every row. */
  public double baseMargin() {
    return baseMargin;
  }

  /** How the margin maps to the model output. */
  public Link link() {
    return link;
  }

  /** Whether the output is a probability (logistic link), so a bundle can calibrate it. */
  public boolean outputsProbability() {
    return link == Link.LOGISTIC;
  }

  /** Factor of the margin inside the logistic function (1 unless LightGBM says otherwise). */
  public double sigmoidScale() {
    return sigmoidScale;
  }

  /** Decision and arithmetic rules. */
  public Precision precision() {
    return precision;
  }

  /** Where the model came from, for messages. */
  public String source() {
    return source;
  }

  /**
   * The probability for a margin under the logistic link, in the precision of the trainer
   * (XGBoost: float32 within 1 ulp of the native library; LightGBM: double).
   *
   * @throws IllegalStateException when the link is not logistic
   */
  public double probability(double margin) {
    if (link != Link.LOGISTIC) {
      throw new IllegalStateException("model " + source + " has an identity link: its margin is not log-odds");
    }
    return logistic(precision, sigmoidScale, margin);
  }

  static double logistic(Precision precision, double sigmoidScale, double margin) {
    if (precision == Precision.FLOAT32) {
      return xgboostSigmoid((float) margin);
    }
    return 1.0 / (1.0 + Math.exp(-sigmoidScale * margin));
  }

  /**
   * XGBoost's float32 sigmoid {@code 1 / (expf(min(-x, 88.7)) + 1 + 1e-16)}. Its {@code expf}
   * (glibc) is correctly rounded except within a hair of a rounding tie, where it may return
   * either neighbour; there both candidates are evaluated and a float within 1 ulp of both is
   * returned, which keeps the result within 1 ulp of XGBoost's.
   */
  static float xgboostSigmoid(float margin) {
    float x = Math.min(-margin, 88.7f);
    double exact = Math.exp(x);
    float e = (float) exact;
    float p = 1.0f / (e + 1.0f + 1e-16f);
    float other = exact > e ? Math.nextUp(e) : Math.nextDown(e);
    double tie = ((double) e + (double) other) / 2.0;
    if (Math.abs(exact - tie) < 0.01 * Math.abs((double) other - (double) e)) {
      float q = 1.0f / (other + 1.0f + 1e-16f);
      int a = Float.floatToIntBits(p);
      int b = Float.floatToIntBits(q);
      return Float.intBitsToFloat((int) (((long) a + b) >> 1));
    }
    return p;
  }

  /**
   * A schema for scoring rows laid out in the model's own column order: one column per feature
   * name, lower-cased and with characters outside {@code [a-z0-9_]} replaced by {@code _} (a
   * leading digit gets an {@code f} prefix); categorical features get the codes {@code "0"} ..
   * {@code "k"} for the largest category {@code k} any split names.
   *
   * @throws ModelFormatException when two names become equal after that normalisation, or a name
   *     becomes one of the feature table's key columns ({@link FeatureSpec#KEY_COLUMNS})
   */
  public FeatureSchema defaultSchema() throws ModelFormatException {
    return defaultSchema(Map.of());
  }

  /**
   * {@link #defaultSchema()}, except that each categorical feature given a count {@code n} gets the
   * codes {@code "0"} .. {@code "n-1"}: the categories it had in training, which neither an XGBoost
   * nor a LightGBM file records. A valid category above the largest any split names (a rare one no
   * split separated) is then scored as the library scores it, on the not-in-set side of every
   * split, instead of being refused as unknown.
   *
   * @param categoryCounts per feature, named by its model name or (when no feature has that exact
   *     name) its {@link #schemaName}, the number of categories it had in training; checked in
   *     iteration order
   * @throws IllegalArgumentException for the first entry refused, the message beginning with the
   *     entry as {@code name=n: }: a name of no model feature, a feature the model does not treat as
   *     categorical, {@code n} below one more than the largest category a split names or above
   *     100,000, or a feature given twice (by its model name and its schema name)
   * @throws ModelFormatException as {@link #defaultSchema()}
   */
  public FeatureSchema defaultSchema(Map<String, Integer> categoryCounts) throws ModelFormatException {
    int[] maxCategory = new int[featureNames.size()];
    java.util.Arrays.fill(maxCategory, -1);
    for (DecisionTree tree : trees) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (!tree.isLeaf(i) && tree.isCategorical(i)) {
          int[] set = tree.categories(i);
          int f = tree.splitFeature(i);
          if (set.length > 0) {
            maxCategory[f] = Math.max(maxCategory[f], set[set.length - 1]);
          }
        }
      }
    }
    int[] count = new int[featureNames.size()];
    String[] givenAs = new String[featureNames.size()];
    for (Map.Entry<String, Integer> e : categoryCounts.entrySet()) {
      String entry = e.getKey() + "=" + e.getValue() + ": ";
      int f = featureNames.indexOf(e.getKey());
      for (int g = 0; f < 0 && g < featureNames.size(); g++) {
        f = schemaName(featureNames.get(g)).equals(e.getKey()) ? g : -1;
      }
      if (f < 0) {
        throw new IllegalArgumentException(entry + "the model has no feature " + e.getKey() + " (its features: "
            + String.join(", ", featureNames) + ")");
      }
      if (givenAs[f] != null) {
        throw new IllegalArgumentException(entry + "feature " + featureNames.get(f) + " is given twice (also as "
            + givenAs[f] + ")");
      }
      if (!isCategorical(f, maxCategory[f])) {
        throw new IllegalArgumentException(entry + "the model does not treat feature " + featureNames.get(f)
            + " as categorical");
      }
      int n = e.getValue();
      if (n <= maxCategory[f]) {
        throw new IllegalArgumentException(entry + "the model's splits name category " + maxCategory[f]
            + ": at least " + (maxCategory[f] + 1));
      }
      if (n < 1 || n > MAX_DEFAULT_CATEGORIES) {
        throw new IllegalArgumentException(entry + "expected a number of categories from 1 to "
            + MAX_DEFAULT_CATEGORIES);
      }
      givenAs[f] = e.getKey() + "=" + n;
      count[f] = n;
    }
    List<FeatureSpec> specs = new ArrayList<>(featureNames.size());
    for (int f = 0; f < featureNames.size(); f++) {
      String name = schemaName(featureNames.get(f));
      try {
        specs.add(defaultSpec(f, name, maxCategory[f], count[f]));
      } catch (IllegalArgumentException e) {
        // FeatureSpec's rules on names (the key columns): named by the model's own feature
        throw new ModelFormatException("feature_names[" + f + "]", "model feature '" + featureNames.get(f) + "': "
            + e.getMessage(), e);
      }
    }
    try {
      return FeatureSchema.of(specs);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("feature_names", e.getMessage(), e);
    }
  }

  /** Whether the default schema makes feature {@code f} categorical: typed so, or named by a categorical split. */
  private boolean isCategorical(int f, int maxCategory) {
    return categoricalFeatures.get(f) || maxCategory >= 0;
  }

  /**
   * The default schema's spec of model feature {@code f}: categories "0" .. {@code count - 1} when
   * a count is given (positive), else "0" .. the largest any split names.
   */
  private FeatureSpec defaultSpec(int f, String name, int maxCategory, int givenCount) throws ModelFormatException {
    if (isCategorical(f, maxCategory)) {
      int count = givenCount > 0 ? givenCount : Math.max(1, maxCategory + 1);
      if (count > MAX_DEFAULT_CATEGORIES) {
        throw new ModelFormatException("feature_names[" + f + "]",
            "a default schema cannot enumerate " + count + " categories; pass a schema");
      }
      List<String> codes = new ArrayList<>(count);
      for (int c = 0; c < count; c++) {
        codes.add(Integer.toString(c));
      }
      return FeatureSpec.categorical(name, codes, "category index of model feature " + featureNames.get(f));
    }
    return FeatureSpec.numeric(name, "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
        "model feature " + featureNames.get(f));
  }

  /** The schema column name used by {@link #defaultSchema()} for a model feature name. */
  public static String schemaName(String featureName) {
    return io.chainscore.tables.TableSchema.snakeCase(featureName);
  }

  /**
   * Compiles the ensemble for scoring rows of {@code schema}: each model feature is looked up by
   * its name, or by its {@link #schemaName} when the exact name is absent.
   *
   * @throws ModelFormatException when a feature the trees use is not in the schema
   *     ({@code feature_names[i]}), or a categorical split uses a numeric column
   */
  public CompiledModel compile(FeatureSchema schema) throws ModelFormatException {
    return compileTrees(schema);
  }

  /** Compiles against {@link #defaultSchema()}. */
  public CompiledModel compile() throws ModelFormatException {
    return compileTrees(defaultSchema());
  }

  CompiledTreeEnsemble compileTrees(FeatureSchema schema) throws ModelFormatException {
    boolean[] used = new boolean[featureNames.size()];
    boolean[] usedCategorically = new boolean[featureNames.size()];
    for (DecisionTree tree : trees) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (!tree.isLeaf(i)) {
          used[tree.splitFeature(i)] = true;
          usedCategorically[tree.splitFeature(i)] |= tree.isCategorical(i);
        }
      }
    }
    int[] column = new int[featureNames.size()];
    for (int f = 0; f < featureNames.size(); f++) {
      String name = featureNames.get(f);
      int c = schema.indexOf(name);
      if (c < 0) {
        c = schema.indexOf(schemaName(name));
      }
      column[f] = c;
      if (c < 0 && used[f]) {
        throw new ModelFormatException("feature_names[" + f + "]",
            "model feature '" + name + "' is not in the schema " + schema);
      }
      if (c >= 0 && usedCategorically[f] && schema.feature(c).type() != FeatureType.CATEGORICAL) {
        throw new ModelFormatException("feature_names[" + f + "]",
            "model feature '" + name + "' has categorical splits but schema column '"
                + schema.feature(c).name() + "' is numeric");
      }
    }
    return CompiledTreeEnsemble.compile(this, schema.size(), column);
  }

  @Override
  public String toString() {
    return "TreeEnsemble[" + source + ", trees=" + trees.size() + ", features=" + featureNames.size()
        + ", link=" + link + ", precision=" + precision + ", baseMargin=" + baseMargin + "]";
  }
}

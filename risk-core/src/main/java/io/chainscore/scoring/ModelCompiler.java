package io.chainscore.scoring;

import io.chainscore.scoring.spi.CompiledModel;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.spi.DoubleList;
import io.chainscore.scoring.spi.ModelKind;
import io.chainscore.scoring.spi.PointsScale;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles a bundle's {@code model} section against its feature schema: resolves feature names to
 * columns and reason codes to indexes, checks that bins cover every value the row policies let
 * through, and builds the flat arrays of {@link ScorecardModel} and {@link LogisticModel}.
 */
final class ModelCompiler {
  private ModelCompiler() {}

  /** What the compiler needs to know about the bundle besides the model section. */
  record Context(
      FeatureSchema schema, byte[] missingPolicy, PointsScale scale, Map<String, Integer> reasonCodeIndex) {}

  /**
   * The one place where the model kind is dispatched.
   *
   * @param model the {@code model} object of the bundle
   * @param path its field path ({@code "model"})
   */
  static CompiledModel compile(JsonNode model, String path, Context context) throws ModelFormatException {
    Json.object(model, path);
    String kind = Json.text(model, path, "kind");
    switch (kind) {
      case "scorecard":
        return scorecard(SpecReader.scorecard(model, path), context);
      case "logistic":
        return logistic(SpecReader.logistic(model, path), context);
      default:
        ModelKind plugged = PLUGGED_KINDS.get(kind);
        if (plugged == null) {
          throw new ModelFormatException(Json.at(path, "kind"),
              "unknown model kind \"" + kind + "\"; expected one of " + knownKinds());
        }
        return plugged.compile(model, context.schema(), path);
    }
  }

  /**
   * The model kinds other than the built-in scorecard and logistic models, by name, found once
   * through {@link ServiceLoader} (the tree ensembles register themselves this way, so this package
   * does not depend on {@code scoring.tree}).
   */
  private static final Map<String, ModelKind> PLUGGED_KINDS = pluggedKinds();

  private static Map<String, ModelKind> pluggedKinds() {
    Map<String, ModelKind> kinds = new TreeMap<>();
    for (ModelKind kind : ServiceLoader.load(ModelKind.class, ModelKind.class.getClassLoader())) {
      kinds.putIfAbsent(kind.kind(), kind);
    }
    return Map.copyOf(kinds);
  }

  private static String knownKinds() {
    List<String> names = new ArrayList<>(List.of("scorecard", "logistic"));
    names.addAll(new TreeMap<>(PLUGGED_KINDS).keySet());
    names.add(SegmentedModel.KIND);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      text.append(i == 0 ? "" : i == names.size() - 1 ? " or " : ", ").append('"').append(names.get(i)).append('"');
    }
    return text.toString();
  }

  static ScorecardModel scorecard(ModelSpec.Scorecard spec, Context context) throws ModelFormatException {
    List<ModelSpec.Characteristic> list = spec.characteristics();
    int[] reasonCodeOf = new int[list.size()];
    for (int c = 0; c < list.size(); c++) {
      reasonCodeOf[c] = reasonCode(list.get(c).reasonCode(), Json.at(list.get(c).path(), "reason_code"), context);
    }
    Binnings bins = binnings(list, context);
    return new ScorecardModel(context.schema().size(), spec.basePoints(), bins, context.scale(), reasonCodeOf);
  }

  static LogisticModel logistic(ModelSpec.Logistic spec, Context context) throws ModelFormatException {
    List<ModelSpec.Term> terms = spec.terms();
    int n = terms.size();
    int[] column = new int[n];
    double[] coefficient = new double[n];
    double[] reference = new double[n];
    int[] woeIndex = new int[n];
    List<ModelSpec.Characteristic> woe = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (int t = 0; t < n; t++) {
      ModelSpec.Term term = terms.get(t);
      column[t] = column(term.feature(), Json.at(term.path(), "feature"), context);
      if (!seen.add(column[t])) {
        throw new ModelFormatException(Json.at(term.path(), "feature"),
            "feature " + term.feature() + " appears in more than one term");
      }
      coefficient[t] = term.coefficient();
      reference[t] = term.reference();
      reasonCode(term.reasonCode(), Json.at(term.path(), "reason_code"), context);
      if (term.woe() == null) {
        FeatureSpec f = context.schema().feature(column[t]);
        if (f.type() == FeatureType.CATEGORICAL) {
          throw new ModelFormatException(Json.at(term.path(), "transform"),
              "categorical feature " + f.name() + " needs \"transform\": \"woe\"");
        }
        if (context.missingPolicy()[column[t]] == RowGuard.MISSING_PASS) {
          throw new ModelFormatException(Json.at(term.path(), "feature"),
              "feature " + f.name() + " passes missing values through, which a raw logistic term cannot"
                  + " evaluate; use missing \"impute\" or \"reject\", or a woe transform with a missing bin");
        }
        woeIndex[t] = -1;
      } else {
        woeIndex[t] = woe.size();
        woe.add(term.woe());
      }
    }
    Binnings bins = binnings(woe, context);
    return new LogisticModel(context.schema().size(), spec.intercept(), column, coefficient, reference, woeIndex, bins);
  }

  /** Per schema column, the reason-code index of the logistic term on it, or -1. */
  static int[] columnReasonCodes(ModelSpec.Logistic spec, Context context) throws ModelFormatException {
    int[] codes = new int[context.schema().size()];
    java.util.Arrays.fill(codes, -1);
    for (ModelSpec.Term term : spec.terms()) {
      codes[column(term.feature(), Json.at(term.path(), "feature"), context)] =
          reasonCode(term.reasonCode(), Json.at(term.path(), "reason_code"), context);
    }
    return codes;
  }

  private static int column(String feature, String path, Context context) throws ModelFormatException {
    int column = context.schema().indexOf(feature);
    if (column < 0) {
      throw new ModelFormatException(path, "unknown feature \"" + feature + "\"; it is not in the bundle's features");
    }
    return column;
  }

  private static int reasonCode(String code, String path, Context context) throws ModelFormatException {
    Integer index = context.reasonCodeIndex().get(code);
    if (index == null) {
      throw new ModelFormatException(path, "reason code \"" + code + "\" is not in the reason_codes table");
    }
    return index;
  }

  private static Binnings binnings(List<ModelSpec.Characteristic> list, Context context)
      throws ModelFormatException {
    int n = list.size();
    int[] column = new int[n];
    double[] missingValue = new double[n];
    double[] maxValue = new double[n];
    boolean[] categorical = new boolean[n];
    int[] specialStart = new int[n + 1];
    int[] categoryStart = new int[n + 1];
    int[] edgeStart = new int[n + 1];
    DoubleList specials = new DoubleList();
    DoubleList specialValues = new DoubleList();
    DoubleList categoryValues = new DoubleList();
    DoubleList edges = new DoubleList();
    DoubleList intervalValues = new DoubleList();
    for (int c = 0; c < n; c++) {
      ModelSpec.Characteristic ch = list.get(c);
      String binsPath = Json.at(ch.path(), "bins");
      column[c] = column(ch.feature(), Json.at(ch.path(), "feature"), context);
      FeatureSpec feature = context.schema().feature(column[c]);
      categorical[c] = feature.type() == FeatureType.CATEGORICAL;
      missingValue[c] = Double.NaN;
      maxValue[c] = Double.NEGATIVE_INFINITY;
      boolean hasMissing = false;
      specialStart[c] = specials.size();
      categoryStart[c] = categoryValues.size();
      edgeStart[c] = edges.size();
      List<ModelSpec.RangeBin> ranges = new ArrayList<>();
      double[] perCategory = categorical[c] ? new double[feature.categories().size()] : null;
      boolean[] covered = categorical[c] ? new boolean[perCategory.length] : null;
      for (ModelSpec.Bin bin : ch.bins()) {
        maxValue[c] = Math.max(maxValue[c], bin.value());
        if (bin instanceof ModelSpec.MissingBin) {
          if (hasMissing) {
            throw new ModelFormatException(bin.path(), "a characteristic has at most one missing bin");
          }
          hasMissing = true;
          missingValue[c] = bin.value();
        } else if (bin instanceof ModelSpec.SpecialBin special) {
          if (categorical[c]) {
            throw new ModelFormatException(bin.path(), "special-value bins apply to numeric features only");
          }
          for (double v : special.values()) {
            for (int s = specialStart[c]; s < specials.size(); s++) {
              if (specials.get(s) == v) {
                throw new ModelFormatException(bin.path(), "special value " + v + " appears in two bins");
              }
            }
            specials.add(v);
            specialValues.add(bin.value());
          }
        } else if (bin instanceof ModelSpec.CategoryBin cat) {
          if (!categorical[c]) {
            throw new ModelFormatException(bin.path(), "category bins apply to categorical features only; "
                + feature.name() + " is numeric");
          }
          for (String code : cat.categories()) {
            int k = feature.categoryIndex(code);
            if (k < 0) {
              throw new ModelFormatException(Json.at(bin.path(), "categories"),
                  "unknown category \"" + code + "\" of feature " + feature.name());
            }
            if (covered[k]) {
              throw new ModelFormatException(Json.at(bin.path(), "categories"),
                  "category \"" + code + "\" appears in two bins");
            }
            covered[k] = true;
            perCategory[k] = bin.value();
          }
        } else {
          if (categorical[c]) {
            throw new ModelFormatException(bin.path(), "interval bins apply to numeric features only; "
                + feature.name() + " is categorical");
          }
          ranges.add((ModelSpec.RangeBin) bin);
        }
      }
      if (categorical[c]) {
        for (int k = 0; k < covered.length; k++) {
          if (!covered[k]) {
            throw new ModelFormatException(binsPath,
                "category \"" + feature.categories().get(k) + "\" of feature " + feature.name() + " is in no bin");
          }
          categoryValues.add(perCategory[k]);
        }
        // keeps "a characteristic with k edges has k + 1 interval values at edgeStart[c] + c"
        intervalValues.add(Double.NaN);
      } else {
        checkIntervals(ranges, feature, binsPath);
        for (int r = 0; r < ranges.size(); r++) {
          if (r > 0) {
            edges.add(ranges.get(r).lower());
          }
          intervalValues.add(ranges.get(r).value());
        }
      }
      if (!hasMissing && context.missingPolicy()[column[c]] == RowGuard.MISSING_PASS) {
        throw new ModelFormatException(binsPath, "feature " + feature.name()
            + " passes missing values through but the characteristic has no missing bin");
      }
    }
    specialStart[n] = specials.size();
    categoryStart[n] = categoryValues.size();
    edgeStart[n] = edges.size();
    return new Binnings(column, missingValue, maxValue, categorical, specialStart, specials.toArray(),
        specialValues.toArray(), categoryStart, categoryValues.toArray(), edgeStart, edges.toArray(),
        intervalValues.toArray());
  }

  /** Intervals must be listed in order, be contiguous and cover the feature's valid range. */
  private static void checkIntervals(List<ModelSpec.RangeBin> ranges, FeatureSpec feature, String binsPath)
      throws ModelFormatException {
    if (ranges.isEmpty()) {
      throw new ModelFormatException(binsPath, "numeric feature " + feature.name() + " needs at least one interval bin");
    }
    ModelSpec.RangeBin first = ranges.get(0);
    if (first.lower() > feature.min()) {
      throw new ModelFormatException(Json.at(first.path(), "range"), "the first interval starts at " + first.lower()
          + " but feature " + feature.name() + " is valid from " + feature.min() + "; use null for an open end");
    }
    for (int r = 1; r < ranges.size(); r++) {
      if (ranges.get(r).lower() != ranges.get(r - 1).upper()) {
        throw new ModelFormatException(Json.at(ranges.get(r).path(), "range"), "interval starts at "
            + ranges.get(r).lower() + " but the previous one ends at " + ranges.get(r - 1).upper()
            + "; intervals must be listed in increasing order without gaps or overlaps");
      }
    }
    ModelSpec.RangeBin last = ranges.get(ranges.size() - 1);
    if (!(last.upper() > feature.max() || last.upper() == Double.POSITIVE_INFINITY)) {
      throw new ModelFormatException(Json.at(last.path(), "range"), "the last interval ends at " + last.upper()
          + " but feature " + feature.name() + " is valid up to " + feature.max() + " inclusive; use null for an open end");
    }
  }
}

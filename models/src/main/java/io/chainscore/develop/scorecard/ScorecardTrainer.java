package io.chainscore.develop.scorecard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.binning.MonotonicTrend;
import io.chainscore.develop.binning.OptimalBinning;
import io.chainscore.develop.fit.Collinearity;
import io.chainscore.develop.fit.LogisticFit;
import io.chainscore.develop.fit.LogisticRegression;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.spi.PointsScale;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a points scorecard from a feature matrix with 0/1 default labels: optimal monotonic
 * binning of every feature, selection by information value and correlation (or, given the
 * development cohorts of the rows, cohort-out forward selection; see {@code docs/binning.md}), a logistic
 * regression on the WoE-coded characteristics (terms with the wrong sign are dropped and the
 * model refitted), scaling to points, and a sealed {@link ModelBundle} with golden rows.
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

  /** Options; see the builder. */
  public record Options(String modelId, String modelVersion, String description, PointsScale scaling,
      double minIv, double maxCorrelation, int maxCharacteristics, double minBinShare, int maxBins,
      String trainedAt, String trainer, Map<String, String> reasonTexts) {}

  private final Options options;

  public ScorecardTrainer(Options options) {
    this.options = options;
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
    int p = schema.size();
    int n = labels.length;
    if (rows.length != (long) n * p) {
      throw new IllegalArgumentException("rows hold " + rows.length + " values, expected " + n + " x " + p);
    }
    if (cohorts != null && cohorts.length != n) {
      throw new IllegalArgumentException("cohorts: expected one id per row (" + n + "), got " + cohorts.length);
    }
    BinningTable[] tables = new BinningTable[p];
    double[][] woe = new double[p][];
    java.util.LinkedHashMap<String, Double> ivs = new java.util.LinkedHashMap<>();
    double[][] columns = new double[p][];
    // Characteristics are binned independently, so in parallel; each result lands in its own
    // slot, so the outcome does not depend on the thread count.
    int threads = Math.max(1, Math.min(p, Runtime.getRuntime().availableProcessors()));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (int j = 0; j < p; j++) {
        int column = j;
        futures.add(pool.submit(() -> {
          FeatureSpec f = schema.feature(column);
          columns[column] = column(rows, p, column, n);
          try {
            tables[column] = fitBinning(f, columns[column], labels);
            woe[column] = woe(tables[column], f, columns[column]);
          } catch (IllegalArgumentException e) {
            tables[column] = null;
          }
        }));
      }
      for (java.util.concurrent.Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("binning interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    for (int j = 0; j < p; j++) {
      ivs.put(schema.feature(j).name(), tables[j] == null ? Double.NaN : tables[j].iv());
    }
    // Candidates by IV, highest first (ties by column order); drop those too correlated with a
    // stronger one already kept.
    List<Integer> order = new ArrayList<>();
    for (int j = 0; j < p; j++) {
      double iv = ivs.get(schema.feature(j).name());
      if (tables[j] != null && iv >= options.minIv() && tables[j].bins().size() > 3) {
        order.add(j);
      }
    }
    order.sort((a, b) -> Double.compare(tables[b].iv(), tables[a].iv()));
    int[] cohortIds = cohorts == null ? new int[0] : distinct(cohorts);
    List<Integer> kept = cohortIds.length >= 2
        ? cohortOutSelection(schema, columns, labels, cohorts, cohortIds, order, woe)
        : new ArrayList<>();
    if (cohortIds.length < 2) {
      for (int j : order) {
        if (!correlatedWithKept(j, kept, woe)) {
          kept.add(j);
        }
        if (kept.size() == options.maxCharacteristics()) {
          break;
        }
      }
    }
    // Fit; with WoE = ln(%bad/%good) every coefficient should be positive. Drop the weakest
    // wrong-signed or insignificant term and refit until none is left.
    LogisticFit fit;
    while (true) {
      if (kept.isEmpty()) {
        throw new IllegalArgumentException("no characteristic has IV >= " + options.minIv() + " and a positive coefficient");
      }
      fit = fitWoe(schema, kept, woe, labels);
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
    double[] vif = kept.size() > 1 ? Collinearity.varianceInflation(woeMatrix(kept, woe, n)) : new double[] {1};
    for (double v : vif) {
      if (!(v < 10)) {
        throw new IllegalStateException("selected characteristics are collinear (VIF " + v + ")");
      }
    }

    PointsScale scaling = options.scaling();
    List<Characteristic> characteristics = new ArrayList<>();
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
    for (int t = 0; t < kept.size(); t++) {
      int j = kept.get(t);
      characteristics.add(new Characteristic(schema.feature(j).name(), tables[j], fit.coefficients()[t + 1],
          fit.pValues()[t + 1], points[t], String.format("R%02d", t + 1)));
    }
    long basePoints = Math.round(scaling.offset() - scaling.factor() * fit.coefficients()[0]);
    ModelBundle bundle = bundle(schema, characteristics, basePoints, rows, labels);
    return new Result(bundle, List.copyOf(characteristics), ivs, fit);
  }

  /** Minimum fall of the summed held-out deviance for a characteristic to enter (the AIC price of one term). */
  static final double MIN_HELD_OUT_GAIN = 2.0;

  private boolean correlatedWithKept(int j, List<Integer> kept, double[][] woe) {
    for (int k : kept) {
      if (Math.abs(pearson(woe[j], woe[k])) > options.maxCorrelation()) {
        return true;
      }
    }
    return false;
  }

  private BinningTable fitBinning(FeatureSpec f, double[] column, int[] labels) {
    if (f.type() == FeatureType.CATEGORICAL) {
      return OptimalBinning.builder().minBinShare(options.minBinShare()).rareCategoryShare(0.02).build()
          .fitCategorical(codes(f, column), labels);
    }
    return OptimalBinning.builder().trend(MonotonicTrend.AUTO).minBinShare(options.minBinShare())
        .maxBins(options.maxBins()).build().fit(column, labels);
  }

  private static String[] codes(FeatureSpec f, double[] column) {
    String[] codes = new String[column.length];
    for (int i = 0; i < column.length; i++) {
      codes[i] = Double.isNaN(column[i]) ? null : f.categories().get((int) column[i]);
    }
    return codes;
  }

  private static double[] woe(BinningTable table, FeatureSpec f, double[] column) {
    double[] out = new double[column.length];
    if (f.type() == FeatureType.CATEGORICAL) {
      String[] codes = codes(f, column);
      for (int i = 0; i < out.length; i++) {
        out[i] = table.woe(codes[i]);
      }
    } else {
      table.transform(column, out);
    }
    return out;
  }

  private static double[] column(double[] rows, int p, int j, int n) {
    double[] column = new double[n];
    for (int i = 0; i < n; i++) {
      column[i] = rows[i * p + j];
    }
    return column;
  }

  private static int[] distinct(int[] values) {
    return java.util.Arrays.stream(values).distinct().sorted().toArray();
  }

  /**
   * Forward selection by held-out deviance over cohorts (see {@link #train(FeatureSchema, double[], int[], int[])}).
   * {@code order} holds the candidates, strongest IV first, which also breaks ties.
   */
  private List<Integer> cohortOutSelection(FeatureSchema schema, double[][] columns, int[] labels, int[] cohorts,
      int[] cohortIds, List<Integer> order, double[][] pooledWoe) {
    int n = labels.length;
    int folds = cohortIds.length;
    int[][] fitRows = new int[folds][];
    int[][] heldOutRows = new int[folds][];
    double[][][] foldWoe = new double[folds][][];
    for (int k = 0; k < folds; k++) {
      int held = 0;
      for (int c : cohorts) {
        if (c == cohortIds[k]) {
          held++;
        }
      }
      fitRows[k] = new int[n - held];
      heldOutRows[k] = new int[held];
      int a = 0;
      int b = 0;
      for (int i = 0; i < n; i++) {
        if (cohorts[i] == cohortIds[k]) {
          heldOutRows[k][b++] = i;
        } else {
          fitRows[k][a++] = i;
        }
      }
      int[] fitLabels = new int[fitRows[k].length];
      for (int i = 0; i < fitLabels.length; i++) {
        fitLabels[i] = labels[fitRows[k][i]];
      }
      foldWoe[k] = new double[columns.length][];
      for (int j : order) {
        double[] sub = new double[fitRows[k].length];
        for (int i = 0; i < sub.length; i++) {
          sub[i] = columns[j][fitRows[k][i]];
        }
        try {
          // Binned without the held-out cohort, so its WoE cannot leak into the check.
          foldWoe[k][j] = woe(fitBinning(schema.feature(j), sub, fitLabels), schema.feature(j), columns[j]);
        } catch (IllegalArgumentException e) {
          foldWoe[k][j] = null;
        }
      }
    }
    List<Integer> kept = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    while (kept.size() < options.maxCharacteristics()) {
      int bestJ = -1;
      double bestDeviance = best - MIN_HELD_OUT_GAIN;
      for (int j : order) {
        if (kept.contains(j) || correlatedWithKept(j, kept, pooledWoe)) {
          continue;
        }
        List<Integer> trial = new ArrayList<>(kept);
        trial.add(j);
        double deviance = 0;
        for (int k = 0; k < folds && deviance < bestDeviance; k++) {
          deviance += heldOutDeviance(trial, foldWoe[k], labels, fitRows[k], heldOutRows[k]);
        }
        if (deviance < bestDeviance) {
          bestDeviance = deviance;
          bestJ = j;
        }
      }
      if (bestJ < 0) {
        break;
      }
      kept.add(bestJ);
      best = bestDeviance;
    }
    return kept;
  }

  /** Deviance on the held-out rows of a fit on the other rows; infinite when a coefficient is not positive. */
  private static double heldOutDeviance(List<Integer> terms, double[][] woe, int[] labels, int[] fitRows,
      int[] heldOutRows) {
    int k = terms.size();
    double[][] x = new double[fitRows.length][k];
    int[] y = new int[fitRows.length];
    for (int i = 0; i < fitRows.length; i++) {
      for (int t = 0; t < k; t++) {
        double[] column = woe[terms.get(t)];
        if (column == null) {
          return Double.POSITIVE_INFINITY;
        }
        x[i][t] = column[fitRows[i]];
      }
      y[i] = labels[fitRows[i]];
    }
    String[] names = new String[k];
    java.util.Arrays.fill(names, "x");
    LogisticFit fit;
    try {
      fit = LogisticRegression.maximumLikelihood().fit(names, x, y);
    } catch (RuntimeException e) {
      return Double.POSITIVE_INFINITY;
    }
    for (int t = 1; t <= k; t++) {
      if (!(fit.coefficients()[t] > 0)) {
        return Double.POSITIVE_INFINITY;
      }
    }
    double deviance = 0;
    double[] row = new double[k];
    for (int i : heldOutRows) {
      for (int t = 0; t < k; t++) {
        row[t] = woe[terms.get(t)][i];
      }
      double m = fit.margin(row);
      // -2 log-likelihood with log1p for accuracy at small PDs; margin is the log-odds of default.
      deviance += 2 * (labels[i] == 1 ? log1pExp(-m) : log1pExp(m));
    }
    return deviance;
  }

  private static double log1pExp(double v) {
    return v > 30 ? v : Math.log1p(Math.exp(v));
  }

  private static LogisticFit fitWoe(FeatureSchema schema, List<Integer> kept, double[][] woe, int[] labels) {
    String[] names = new String[kept.size()];
    for (int t = 0; t < kept.size(); t++) {
      names[t] = schema.feature(kept.get(t)).name();
    }
    return LogisticRegression.maximumLikelihood().fit(names, woeMatrix(kept, woe, labels.length), labels);
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

  private static double pearson(double[] a, double[] b) {
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
  }

  /** The bundle JSON: every schema feature (missing passed to the model), the scorecard, scale. */
  private ModelBundle bundle(FeatureSchema schema, List<Characteristic> characteristics, long basePoints,
      double[] rows, int[] labels) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode root = json.objectNode();
    root.put("format", "chainscore-model-bundle");
    root.put("format_version", 1);
    root.put("model_id", options.modelId());
    root.put("model_version", options.modelVersion());
    root.put("description", options.description());
    ArrayNode features = root.putArray("features");
    for (FeatureSpec f : schema.features()) {
      ObjectNode node = features.addObject();
      node.put("name", f.name());
      node.put("description", f.description());
      node.put("missing", "pass");
      if (f.type() == FeatureType.CATEGORICAL) {
        node.put("type", "categorical");
        ArrayNode cats = node.putArray("categories");
        f.categories().forEach(cats::add);
      } else {
        node.put("type", "numeric");
        node.put("unit", f.unit());
        if (Double.isFinite(f.min())) {
          node.put("min", f.min());
        }
        if (Double.isFinite(f.max())) {
          node.put("max", f.max());
        }
        node.put("out_of_range", "reject");
      }
    }
    ObjectNode scale = root.putObject("score_scale");
    scale.put("pdo", options.scaling().pdo());
    scale.put("base_score", options.scaling().baseScore());
    scale.put("base_odds", options.scaling().baseOdds());
    ObjectNode model = root.putObject("model");
    model.put("kind", "scorecard");
    model.put("base_points", basePoints);
    ArrayNode chars = model.putArray("characteristics");
    for (Characteristic c : characteristics) {
      FeatureSpec f = schema.feature(schema.indexOf(c.feature()));
      ObjectNode node = chars.addObject();
      node.put("name", c.feature());
      node.put("feature", c.feature());
      node.put("reason_code", c.reasonCode());
      ArrayNode bins = node.putArray("bins");
      List<BinningTable.Bin> tableBins = c.binning().bins();
      Set<String> covered = new HashSet<>();
      long otherPoints = 0;
      for (int b = 0; b < tableBins.size(); b++) {
        BinningTable.Bin bin = tableBins.get(b);
        switch (bin.kind()) {
          case RANGE -> {
            ObjectNode o = bins.addObject();
            ArrayNode range = o.putArray("range");
            if (Double.isInfinite(bin.lower())) {
              range.addNull();
            } else {
              range.add(bin.lower());
            }
            if (Double.isInfinite(bin.upper())) {
              range.addNull();
            } else {
              range.add(bin.upper());
            }
            o.put("points", c.points()[b]);
          }
          case CATEGORIES -> {
            ObjectNode o = bins.addObject();
            ArrayNode cats = o.putArray("categories");
            for (String code : bin.categories()) {
              cats.add(code);
              covered.add(code);
            }
            o.put("points", c.points()[b]);
          }
          case OTHER -> otherPoints = c.points()[b];
          case MISSING -> bins.addObject().put("missing", true).put("points", c.points()[b]);
          case SPECIAL -> {
            // No special codes are configured for the standard features.
          }
          default -> throw new IllegalStateException(bin.kind().toString());
        }
      }
      if (f.type() == FeatureType.CATEGORICAL) {
        ArrayNode rest = json.arrayNode();
        for (String code : f.categories()) {
          if (!covered.contains(code)) {
            rest.add(code);
          }
        }
        if (rest.size() > 0) {
          ObjectNode o = json.objectNode();
          o.set("categories", rest);
          o.put("points", otherPoints);
          // Keep the missing bin last for readability.
          bins.insert(bins.size() - 1, o);
        }
      }
    }
    root.putObject("calibration").put("kind", "none");
    io.chainscore.develop.BundleJson.putDefaultMasterScale(root);
    ArrayNode reasons = root.putArray("reason_codes");
    for (Characteristic c : characteristics) {
      String text = options.reasonTexts().getOrDefault(c.feature(),
          schema.feature(schema.indexOf(c.feature())).description());
      reasons.addObject().put("code", c.reasonCode()).put("text", text);
    }
    ObjectNode provenance = root.putObject("provenance");
    provenance.put("trained_at", options.trainedAt());
    provenance.put("training_data_sha256", io.chainscore.develop.BundleJson.dataHash(rows, labels));
    provenance.put("trainer", options.trainer());
    int p = schema.size();
    int n = labels.length;
    List<double[]> goldenInputs = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      int i = (int) ((long) k * (n - 1) / 5);
      goldenInputs.add(java.util.Arrays.copyOfRange(rows, i * p, (i + 1) * p));
    }
    try {
      return io.chainscore.develop.BundleJson.sealWithGoldenRows(root, schema, goldenInputs);
    } catch (ModelFormatException e) {
      throw new IllegalStateException("the trained scorecard does not form a valid bundle: " + e.getMessage(), e);
    }
  }

}

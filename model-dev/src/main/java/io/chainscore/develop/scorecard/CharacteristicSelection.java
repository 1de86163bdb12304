package io.chainscore.develop.scorecard;

import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.fit.LogisticFit;
import io.chainscore.develop.fit.LogisticRegression;
import io.chainscore.features.FeatureSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The selection seam of {@link ScorecardTrainer}: candidates by information value, then either
 * the strongest candidates not too correlated with a stronger one, or cohort-out forward
 * selection by held-out deviance (see {@link ScorecardTrainer#train(FeatureSchema, double[], int[], int[])}).
 *
 * <p>Thread safety: immutable.
 */
final class CharacteristicSelection {
  /** Minimum fall of the summed held-out deviance for a characteristic to enter (the AIC price of one term). */
  static final double MIN_HELD_OUT_GAIN = 2.0;

  /** Candidates need more bins than this (a WoE with fewer levels carries too little ranking). */
  private static final int MIN_BINS_EXCLUSIVE = 3;

  private final double minIv;
  private final double maxCorrelation;
  private final int maxCharacteristics;
  private final CharacteristicBinning binning;

  CharacteristicSelection(ScorecardTrainer.Options options, CharacteristicBinning binning) {
    this.minIv = options.minIv();
    this.maxCorrelation = options.maxCorrelation();
    this.maxCharacteristics = options.maxCharacteristics();
    this.binning = binning;
  }

  /**
   * The selected columns in model order: by cohort-out forward selection when {@code cohorts}
   * names at least two cohorts, else by information value.
   */
  List<Integer> select(FeatureSchema schema, CharacteristicBinning.Binned binned, int[] labels, int[] cohorts) {
    List<Integer> order = candidates(binned.tables());
    int[] cohortIds = cohorts == null ? new int[0] : Arrays.stream(cohorts).distinct().sorted().toArray();
    if (cohortIds.length >= 2) {
      return cohortOut(schema, binned, labels, cohorts, cohortIds, order);
    }
    List<Integer> kept = new ArrayList<>();
    for (int j : order) {
      if (!correlatedWithKept(j, kept, binned.woe(), binned.weights())) {
        kept.add(j);
      }
      if (kept.size() == maxCharacteristics) {
        break;
      }
    }
    return kept;
  }

  /** Columns with IV at least the minimum and enough bins, highest IV first (ties by column order). */
  private List<Integer> candidates(BinningTable[] tables) {
    List<Integer> order = new ArrayList<>();
    for (int j = 0; j < tables.length; j++) {
      if (tables[j] != null && tables[j].iv() >= minIv && tables[j].bins().size() > MIN_BINS_EXCLUSIVE) {
        order.add(j);
      }
    }
    order.sort((a, b) -> Double.compare(tables[b].iv(), tables[a].iv()));
    return order;
  }

  private boolean correlatedWithKept(int j, List<Integer> kept, double[][] woe, double[] weights) {
    for (int k : kept) {
      if (Math.abs(pearson(woe[j], woe[k], weights)) > maxCorrelation) {
        return true;
      }
    }
    return false;
  }

  /** Forward selection by held-out deviance over cohorts; {@code order} (strongest IV first) breaks ties. */
  private List<Integer> cohortOut(FeatureSchema schema, CharacteristicBinning.Binned binned, int[] labels, int[] cohorts,
      int[] cohortIds, List<Integer> order) {
    double[][] columns = binned.columns();
    double[][] pooledWoe = binned.woe();
    double[] weights = binned.weights();
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
      double[] fitWeights = weights == null ? null : new double[fitRows[k].length];
      for (int i = 0; i < fitLabels.length; i++) {
        fitLabels[i] = labels[fitRows[k][i]];
        if (weights != null) {
          fitWeights[i] = weights[fitRows[k][i]];
        }
      }
      foldWoe[k] = new double[columns.length][];
      for (int j : order) {
        double[] sub = new double[fitRows[k].length];
        for (int i = 0; i < sub.length; i++) {
          sub[i] = columns[j][fitRows[k][i]];
        }
        try {
          // Binned without the held-out cohort, so its WoE cannot leak into the check.
          foldWoe[k][j] = CharacteristicBinning.woe(binning.fit(schema.feature(j), sub, fitLabels, fitWeights,
              binned.manual()), schema.feature(j), columns[j]);
        } catch (IllegalArgumentException e) {
          foldWoe[k][j] = null;
        }
      }
    }
    List<Integer> kept = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    while (kept.size() < maxCharacteristics) {
      int bestJ = -1;
      double bestDeviance = best - MIN_HELD_OUT_GAIN;
      for (int j : order) {
        if (kept.contains(j) || correlatedWithKept(j, kept, pooledWoe, weights)) {
          continue;
        }
        List<Integer> trial = new ArrayList<>(kept);
        trial.add(j);
        double deviance = 0;
        for (int k = 0; k < folds && deviance < bestDeviance; k++) {
          deviance += heldOutDeviance(trial, foldWoe[k], labels, weights, fitRows[k], heldOutRows[k]);
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
  private static double heldOutDeviance(List<Integer> terms, double[][] woe, int[] labels, double[] weights,
      int[] fitRows, int[] heldOutRows) {
    int k = terms.size();
    double[][] x = new double[fitRows.length][k];
    int[] y = new int[fitRows.length];
    double[] w = weights == null ? null : new double[fitRows.length];
    for (int i = 0; i < fitRows.length; i++) {
      for (int t = 0; t < k; t++) {
        double[] column = woe[terms.get(t)];
        if (column == null) {
          return Double.POSITIVE_INFINITY;
        }
        x[i][t] = column[fitRows[i]];
      }
      y[i] = labels[fitRows[i]];
      if (w != null) {
        w[i] = weights[fitRows[i]];
      }
    }
    String[] names = new String[k];
    Arrays.fill(names, "x");
    LogisticFit fit;
    try {
      fit = LogisticRegression.maximumLikelihood().fit(names, x, y, w);
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
      deviance += 2 * (weights == null ? 1 : weights[i]) * (labels[i] == 1 ? log1pExp(-m) : log1pExp(m));
    }
    return deviance;
  }

  private static double log1pExp(double v) {
    return v > 30 ? v : Math.log1p(Math.exp(v));
  }

  /** Weighted Pearson correlation (every weight 1 when {@code weights} is null). */
  private static double pearson(double[] a, double[] b, double[] weights) {
    if (weights != null) {
      double sw = 0;
      double ma = 0;
      double mb = 0;
      for (int i = 0; i < a.length; i++) {
        sw += weights[i];
        ma += weights[i] * a[i];
        mb += weights[i] * b[i];
      }
      ma /= sw;
      mb /= sw;
      double sab = 0;
      double saa = 0;
      double sbb = 0;
      for (int i = 0; i < a.length; i++) {
        sab += weights[i] * (a[i] - ma) * (b[i] - mb);
        saa += weights[i] * (a[i] - ma) * (a[i] - ma);
        sbb += weights[i] * (b[i] - mb) * (b[i] - mb);
      }
      return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }
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
}

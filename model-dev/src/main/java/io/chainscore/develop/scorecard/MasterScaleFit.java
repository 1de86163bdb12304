package io.chainscore.develop.scorecard;

import io.chainscore.scoring.MasterScale;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits a master scale to a sample of calibrated PDs so that its grades hold similar shares of the
 * sample, instead of a fixed table that may put most of a portfolio in one grade.
 *
 * <p>The {@code g}-th boundary sits at the {@code g/G} quantile of the sorted PDs, moved to the
 * nearest change of value so that equal PDs never fall in two grades, and placed halfway (on the
 * log scale) between the last PD below it and the first above. Each grade's representative PD is
 * the mean PD of the sample rows in it, so the scale stays calibrated grade by grade. Grades are
 * named {@code "1"} (best) to {@code "G"}, the default grade {@code "D"}.
 *
 * <p>Thread safety: stateless.
 */
public final class MasterScaleFit {
  private MasterScaleFit() {}

  /**
   * A scale of {@code grades} non-default grades of about equal shares of {@code pds}; fewer when
   * the sample has fewer distinct PDs.
   *
   * @throws IllegalArgumentException when grades is below 1, the sample is empty or a PD is not in
   *     [0, 1)
   */
  public static MasterScale equalShares(double[] pds, int grades) {
    return equalShares(pds, grades, null);
  }

  /**
   * {@link #equalShares(double[], int)} with the rows weighted ({@code weights} null for equal
   * weights): grades of about equal shares of the total weight, each grade's representative PD the
   * weighted mean of its rows. Integer weights give the scale of the sample with each row repeated
   * that many times (the same bounds; representatives equal up to rounding of the sums); a weight of
   * 0 leaves a row out.
   *
   * <p>How: the rows sorted by PD; a grade boundary can only fall where the PD changes, at the
   * weight of the rows below; for each of the {@code grades - 1} targets {@code round(g W / grades)}
   * of the total weight W the nearest such position is taken (the upper one on a tie), skipping a
   * cut that does not move past the previous one.
   *
   * @throws IllegalArgumentException as {@link #equalShares(double[], int)}, or when a weight is
   *     negative or not finite, or the weights sum to 0
   */
  public static MasterScale equalShares(double[] pds, int grades, double[] weights) {
    if (grades < 1) {
      throw new IllegalArgumentException("master scale fit: expected at least one grade, got " + grades);
    }
    if (pds.length == 0) {
      throw new IllegalArgumentException("master scale fit: expected at least one PD");
    }
    if (weights != null && weights.length != pds.length) {
      throw new IllegalArgumentException("master scale fit: " + weights.length + " weights for " + pds.length + " PDs");
    }
    int kept = 0;
    for (int i = 0; i < pds.length; i++) {
      if (!(pds[i] >= 0 && pds[i] < 1)) {
        throw new IllegalArgumentException("master scale fit: PD " + i + " is " + pds[i] + ", expected a value in [0, 1)");
      }
      if (weights != null && !(weights[i] >= 0 && weights[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("master scale fit: weight " + i + " is " + weights[i]
            + ", expected a finite value >= 0");
      }
      kept += weights == null || weights[i] > 0 ? 1 : 0;
    }
    if (kept == 0) {
      throw new IllegalArgumentException("master scale fit: expected a positive total weight");
    }
    // the rows of positive weight, sorted by PD, and the weight below each
    Integer[] order = new Integer[kept];
    for (int i = 0, k = 0; i < pds.length; i++) {
      if (weights == null || weights[i] > 0) {
        order[k++] = i;
      }
    }
    Arrays.sort(order, (a, b) -> Double.compare(pds[a], pds[b]));
    int n = kept;
    double[] sorted = new double[n];
    double[] weight = new double[n];
    double[] below = new double[n + 1];
    for (int k = 0; k < n; k++) {
      sorted[k] = pds[order[k]];
      weight[k] = weights == null ? 1 : weights[order[k]];
      below[k + 1] = below[k] + weight[k];
    }
    double total = below[n];
    List<Integer> cuts = new ArrayList<>(); // the row starting each grade after the first
    for (int g = 1; g < grades; g++) {
      double target = Math.round(g * total / grades);
      int cut = -1;
      for (int k = 1; k < n; k++) {
        if (sorted[k - 1] < sorted[k]
            && (cut < 0 || Math.abs(below[k] - target) <= Math.abs(below[cut] - target))) {
          cut = k;
        }
      }
      int previous = cuts.isEmpty() ? 0 : cuts.get(cuts.size() - 1);
      if (cut > previous && cut < n) {
        cuts.add(cut);
      }
    }
    int count = cuts.size() + 1;
    double[] uppers = new double[count];
    double[] representative = new double[count];
    List<String> names = new ArrayList<>(count + 1);
    int start = 0;
    for (int g = 0; g < count; g++) {
      int end = g < cuts.size() ? cuts.get(g) : n;
      double sum = 0;
      double gradeWeight = 0;
      for (int k = start; k < end; k++) {
        sum += weight[k] * sorted[k];
        gradeWeight += weight[k];
      }
      representative[g] = sum / gradeWeight;
      uppers[g] = g < cuts.size() ? boundary(sorted[end - 1], sorted[end]) : 1.0;
      names.add(Integer.toString(g + 1));
      start = end;
    }
    names.add("D");
    return MasterScale.of(names, uppers, representative);
  }

  /** A bound strictly above {@code below} and at most {@code above}: their geometric mean, or the midpoint from 0. */
  private static double boundary(double below, double above) {
    double b = below > 0 ? Math.sqrt(below * above) : above / 2;
    return b > below ? b : above;
  }
}

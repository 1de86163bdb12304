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
    if (grades < 1) {
      throw new IllegalArgumentException("master scale fit: expected at least one grade, got " + grades);
    }
    if (pds.length == 0) {
      throw new IllegalArgumentException("master scale fit: expected at least one PD");
    }
    double[] sorted = pds.clone();
    for (int i = 0; i < sorted.length; i++) {
      if (!(sorted[i] >= 0 && sorted[i] < 1)) {
        throw new IllegalArgumentException("master scale fit: PD " + i + " is " + sorted[i] + ", expected a value in [0, 1)");
      }
    }
    Arrays.sort(sorted);
    int n = sorted.length;
    List<Integer> cuts = new ArrayList<>(); // index of the first row of each grade after the first
    for (int g = 1; g < grades; g++) {
      int target = (int) Math.round((double) g * n / grades);
      int cut = nearestValueChange(sorted, target);
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
      for (int i = start; i < end; i++) {
        sum += sorted[i];
      }
      representative[g] = sum / (end - start);
      uppers[g] = g < cuts.size() ? boundary(sorted[end - 1], sorted[end]) : 1.0;
      names.add(Integer.toString(g + 1));
      start = end;
    }
    names.add("D");
    return MasterScale.of(names, uppers, representative);
  }

  /**
   * {@link #equalShares(double[], int)} with the rows weighted ({@code weights} null for equal
   * weights): grades of about equal shares of the total weight, each grade's representative PD the
   * weighted mean of its rows. Integer weights give the scale of the sample with each row repeated
   * that many times (the same bounds; representatives equal up to rounding of the sums).
   *
   * @throws IllegalArgumentException as {@link #equalShares(double[], int)}, or when a weight is
   *     negative or not finite, or the weights sum to 0
   */
  public static MasterScale equalShares(double[] pds, int grades, double[] weights) {
    if (weights == null) {
      return equalShares(pds, grades);
    }
    if (weights.length != pds.length) {
      throw new IllegalArgumentException("master scale fit: " + weights.length + " weights for " + pds.length + " PDs");
    }
    if (grades < 1) {
      throw new IllegalArgumentException("master scale fit: expected at least one grade, got " + grades);
    }
    Integer[] order = new Integer[pds.length];
    double total = 0;
    for (int i = 0; i < pds.length; i++) {
      if (!(pds[i] >= 0 && pds[i] < 1)) {
        throw new IllegalArgumentException("master scale fit: PD " + i + " is " + pds[i] + ", expected a value in [0, 1)");
      }
      if (!(weights[i] >= 0 && weights[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("master scale fit: weight " + i + " is " + weights[i]
            + ", expected a finite value >= 0");
      }
      order[i] = i;
      total += weights[i];
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("master scale fit: expected a positive total weight");
    }
    Arrays.sort(order, (a, b) -> Double.compare(pds[a], pds[b]));
    // the distinct PDs in order, each with the weight of its rows and their weighted PD sum
    List<double[]> values = new ArrayList<>(); // {pd, weight, weight * pd}
    for (int i : order) {
      if (weights[i] == 0) {
        continue;
      }
      double[] last = values.isEmpty() ? null : values.get(values.size() - 1);
      if (last != null && last[0] == pds[i]) {
        last[1] += weights[i];
        last[2] += weights[i] * pds[i];
      } else {
        values.add(new double[] {pds[i], weights[i], weights[i] * pds[i]});
      }
    }
    int m = values.size();
    // before[k]: the weight of the values below value k, the position of the change into it
    double[] before = new double[m + 1];
    for (int k = 0; k < m; k++) {
      before[k + 1] = before[k] + values.get(k)[1];
    }
    List<Integer> cuts = new ArrayList<>(); // the value index starting each grade after the first
    for (int g = 1; g < grades; g++) {
      double target = Math.round(g * total / grades);
      // the change nearest the target, the upper one on a tie (as the unweighted search looks up first)
      int cut = -1;
      for (int k = 1; k < m; k++) {
        if (cut < 0 || Math.abs(before[k] - target) <= Math.abs(before[cut] - target)) {
          cut = k;
        }
      }
      int previous = cuts.isEmpty() ? 0 : cuts.get(cuts.size() - 1);
      if (cut > previous && cut < m) {
        cuts.add(cut);
      }
    }
    int count = cuts.size() + 1;
    double[] uppers = new double[count];
    double[] representative = new double[count];
    List<String> names = new ArrayList<>(count + 1);
    int start = 0;
    for (int g = 0; g < count; g++) {
      int end = g < cuts.size() ? cuts.get(g) : m;
      double weight = 0;
      double sum = 0;
      for (int k = start; k < end; k++) {
        weight += values.get(k)[1];
        sum += values.get(k)[2];
      }
      representative[g] = sum / weight;
      uppers[g] = g < cuts.size() ? boundary(values.get(end - 1)[0], values.get(end)[0]) : 1.0;
      names.add(Integer.toString(g + 1));
      start = end;
    }
    names.add("D");
    return MasterScale.of(names, uppers, representative);
  }

  /** The index nearest {@code target} where the sorted value changes ({@code sorted[i-1] < sorted[i]}), or -1. */
  private static int nearestValueChange(double[] sorted, int target) {
    for (int distance = 0; distance < sorted.length; distance++) {
      int up = target + distance;
      if (up > 0 && up < sorted.length && sorted[up - 1] < sorted[up]) {
        return up;
      }
      int down = target - distance;
      if (down > 0 && down < sorted.length && sorted[down - 1] < sorted[down]) {
        return down;
      }
    }
    return -1;
  }

  /** A bound strictly above {@code below} and at most {@code above}: their geometric mean, or the midpoint from 0. */
  private static double boundary(double below, double above) {
    double b = below > 0 ? Math.sqrt(below * above) : above / 2;
    return b > below ? b : above;
  }
}

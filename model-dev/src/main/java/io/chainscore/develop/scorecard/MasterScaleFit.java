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

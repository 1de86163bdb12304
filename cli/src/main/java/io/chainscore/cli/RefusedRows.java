package io.chainscore.cli;

import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.RowRefusals;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a sample that models' policies refuse (more missing features than {@code
 * max_missing_share}, a value out of a feature's range, an unknown category, no segment): they have
 * no PD, so {@code train}, {@code validate} and {@code document} leave them out of every figure and
 * say so, by this one rule.
 *
 * <p>Thread safety: not thread-safe; one per command run.
 */
final class RefusedRows {
  /** A refused row: 1-based among the sample's rows, and why. */
  record Refusal(int row, String reason) {}

  private final boolean[] refused;
  private final List<Refusal> refusals = new ArrayList<>();

  /** None refused yet among {@code n} rows. */
  RefusedRows(int n) {
    refused = new boolean[n];
  }

  /**
   * Adds the rows {@code bundle} refuses among {@code rows} (row-major in its schema order) that no
   * model refused before, each reason prefixed by {@code whose}.
   */
  RefusedRows add(ModelBundle bundle, double[] rows, String whose) {
    int n = refused.length;
    RowRefusals found = new RowRefusals();
    bundle.scorer().scoreBatch(rows, n, bundle.schema().size(), new double[n], new double[n], new int[n], null, found);
    for (int i = 0; i < found.count(); i++) {
      int row = found.row(i);
      if (!refused[row]) {
        refused[row] = true;
        refusals.add(new Refusal(row + 1, whose + found.problem(i)));
      }
    }
    return this;
  }

  /** How many rows are refused. */
  int count() {
    return refusals.size();
  }

  /** Whether every row is refused (and at least one is). */
  boolean all() {
    return refusals.size() == refused.length && !refusals.isEmpty();
  }

  /** The refusals in row order. */
  List<Refusal> inRowOrder() {
    List<Refusal> sorted = new ArrayList<>(refusals);
    sorted.sort(java.util.Comparator.comparingInt(Refusal::row));
    return sorted;
  }

  /** The first refusal found (the first model's first refused row). */
  Refusal first() {
    return refusals.get(0);
  }

  /** The rows not refused, of {@code p} values each. */
  double[] kept(double[] rows, int p) {
    double[] out = new double[(refused.length - refusals.size()) * p];
    for (int i = 0, k = 0; i < refused.length; i++) {
      if (!refused[i]) {
        System.arraycopy(rows, i * p, out, k++ * p, p);
      }
    }
    return out;
  }

  /** The labels of the rows not refused. */
  int[] kept(int[] labels) {
    int[] out = new int[refused.length - refusals.size()];
    for (int i = 0, k = 0; i < refused.length; i++) {
      if (!refused[i]) {
        out[k++] = labels[i];
      }
    }
    return out;
  }

  /** The values of the rows not refused (cohorts, say). */
  String[] kept(String[] values) {
    String[] out = new String[refused.length - refusals.size()];
    for (int i = 0, k = 0; i < refused.length; i++) {
      if (!refused[i]) {
        out[k++] = values[i];
      }
    }
    return out;
  }
}

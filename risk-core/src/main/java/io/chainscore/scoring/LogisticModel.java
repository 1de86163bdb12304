package io.chainscore.scoring;

import io.chainscore.scoring.spi.CompiledModel;

import java.util.Arrays;

/**
 * A compiled logistic regression: {@code margin = intercept + sum_t coefficient_t * x_t}, where
 * {@code x_t} is the raw feature value or its weight of evidence. Contributions are {@code
 * coefficient_t * (x_t - reference_t)} with the bias {@code intercept + sum_t coefficient_t *
 * reference_t}; the reference is the term's training mean (or 0), so a contribution is how far the
 * row moves the log-odds away from an average supplier.
 */
final class LogisticModel implements CompiledModel {
  private final int featureCount;
  private final double intercept;
  private final int[] column;
  private final double[] coefficient;
  private final double[] reference;
  /** Index into {@link #woe} of the term's binning, or -1 for a raw term. */
  private final int[] woeIndex;
  private final Binnings woe;
  private final double bias;

  LogisticModel(int featureCount, double intercept, int[] column, double[] coefficient,
      double[] reference, int[] woeIndex, Binnings woe) {
    this.featureCount = featureCount;
    this.intercept = intercept;
    this.column = column;
    this.coefficient = coefficient;
    this.reference = reference;
    this.woeIndex = woeIndex;
    this.woe = woe;
    double b = intercept;
    for (int t = 0; t < column.length; t++) {
      b += coefficient[t] * reference[t];
    }
    this.bias = b;
  }

  @Override
  public int featureCount() {
    return featureCount;
  }

  private double termValue(int t, double x) {
    int w = woeIndex[t];
    return w < 0 ? x : woe.value(w, x);
  }

  @Override
  public double margin(double[] row, int offset) {
    double m = intercept;
    for (int t = 0, n = column.length; t < n; t++) {
      m += coefficient[t] * termValue(t, row[offset + column[t]]);
    }
    return m;
  }

  @Override
  public double contributions(double[] row, int offset, double[] out) {
    Arrays.fill(out, 0, featureCount, 0.0);
    for (int t = 0, n = column.length; t < n; t++) {
      out[column[t]] += coefficient[t] * (termValue(t, row[offset + column[t]]) - reference[t]);
    }
    return bias;
  }

  /** The columns of the model's terms. */
  @Override
  public int[] usedColumns() {
    return java.util.stream.IntStream.of(column).distinct().sorted().toArray();
  }
}

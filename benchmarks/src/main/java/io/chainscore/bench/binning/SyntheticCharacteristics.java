package io.chainscore.bench.binning;

import java.util.SplittableRandom;

/**
 * A deterministic synthetic credit sample for the binning and fitting benchmarks: Gaussian
 * drivers with a logistic default, shown through three kinds of characteristic (skewed amounts,
 * a few distinct values, a noisy copy) with 2% missing values.
 *
 * @param columns {@code columns[c][i]}: characteristic c of row i, NaN missing
 * @param labels 1 for a default
 */
public record SyntheticCharacteristics(double[][] columns, int[] labels) {
  /**
   * Generates the sample; the log-odds of default is {@code intercept + logitScale * sum of
   * weight_c * z_c}, with weights alternating in sign and size across characteristics.
   */
  public static SyntheticCharacteristics generate(int rows, int characteristics, long seed, double intercept,
      double logitScale) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] columns = new double[characteristics][rows];
    int[] labels = new int[rows];
    double[] weight = new double[characteristics];
    for (int c = 0; c < characteristics; c++) {
      weight[c] = (c % 5 == 0 ? -0.4 : 0.25) * (1 + c % 3);
    }
    double[] z = new double[characteristics];
    for (int i = 0; i < rows; i++) {
      double logit = intercept;
      for (int c = 0; c < characteristics; c++) {
        z[c] = gaussian(random);
        logit += logitScale * weight[c] * z[c];
      }
      labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      for (int c = 0; c < characteristics; c++) {
        double v;
        if (c % 3 == 0) {
          v = Math.exp(z[c]) * 1000; // skewed amount
        } else if (c % 3 == 1) {
          v = Math.rint(z[c] * 4); // few distinct values
        } else {
          v = z[c] + 0.5 * gaussian(random);
        }
        columns[c][i] = random.nextDouble() < 0.02 ? Double.NaN : v;
      }
    }
    return new SyntheticCharacteristics(columns, labels);
  }

  /** Row-major copy: row i's characteristics at {@code [i * count, (i + 1) * count)}. */
  public double[] rowMajor() {
    int count = columns.length;
    int rows = labels.length;
    double[] out = new double[rows * count];
    for (int c = 0; c < count; c++) {
      for (int i = 0; i < rows; i++) {
        out[i * count + c] = columns[c][i];
      }
    }
    return out;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

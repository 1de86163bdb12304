package io.chainscore.scoring;

/**
 * Compiled binned characteristics in flat arrays: for each characteristic, its column, the value
 * of its missing bin, its special values, and either a value per category index (categorical) or
 * the inner interval edges and a value per interval (numeric). Built by {@link ModelCompiler}.
 *
 * <p>Lookup order for a value x: NaN takes the missing bin; an exact special value takes its bin;
 * a categorical x takes the bin of category {@code (int) x}; a numeric x takes interval i where
 * {@code edges[i-1] <= x < edges[i]} (intervals are {@code [a, b)} and cover the real line).
 */
final class Binnings {
  final int count;
  final int[] column;
  final double[] missingValue;
  final double[] maxValue;
  final boolean[] categorical;
  final int[] specialStart;
  final double[] specialValues;
  final double[] specialBinValue;
  final int[] categoryStart;
  final double[] categoryValue;
  final int[] edgeStart;
  final double[] edges;
  final double[] intervalValue;

  Binnings(
      int[] column,
      double[] missingValue,
      double[] maxValue,
      boolean[] categorical,
      int[] specialStart,
      double[] specialValues,
      double[] specialBinValue,
      int[] categoryStart,
      double[] categoryValue,
      int[] edgeStart,
      double[] edges,
      double[] intervalValue) {
    this.count = column.length;
    this.column = column;
    this.missingValue = missingValue;
    this.maxValue = maxValue;
    this.categorical = categorical;
    this.specialStart = specialStart;
    this.specialValues = specialValues;
    this.specialBinValue = specialBinValue;
    this.categoryStart = categoryStart;
    this.categoryValue = categoryValue;
    this.edgeStart = edgeStart;
    this.edges = edges;
    this.intervalValue = intervalValue;
  }

  /**
   * The bin value of characteristic {@code c} for the row value {@code x}. {@code specialStart},
   * {@code categoryStart} and {@code edgeStart} have {@code count + 1} entries so that {@code
   * [start[c], start[c + 1])} delimits the characteristic's slice; interval values sit at {@code
   * edgeStart[c] + c} since a characteristic with k edges has k + 1 intervals.
   */
  /** A readable label of the bin of characteristic {@code c} holding {@code x}. */
  String label(int c, double x, io.chainscore.features.FeatureSpec spec) {
    if (x != x) {
      return "missing";
    }
    for (int s = specialStart[c], end = specialStart[c + 1]; s < end; s++) {
      if (x == specialValues[s]) {
        return "= " + format(x);
      }
    }
    if (categorical[c]) {
      return spec.categories().get((int) x);
    }
    int interval = 0;
    for (int e = edgeStart[c], end = edgeStart[c + 1]; e < end; e++) {
      interval += x >= edges[e] ? 1 : 0;
    }
    int first = edgeStart[c];
    int edgeCount = edgeStart[c + 1] - first;
    double lower = interval == 0 ? Double.NEGATIVE_INFINITY : edges[first + interval - 1];
    double upper = interval == edgeCount ? Double.POSITIVE_INFINITY : edges[first + interval];
    return new io.chainscore.scoring.spi.Bin.Range(lower, upper, 0).label();
  }

  /** Six significant digits: bin edges are for reading, the exact ones are in the bundle. */
  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /**
   * Every value characteristic c gives a row, {@link #value} of any x that is not refused: its
   * missing bin's, its special values', and its categories' or intervals' (with repeats).
   */
  double[] values(int c) {
    java.util.stream.DoubleStream.Builder all = java.util.stream.DoubleStream.builder();
    all.add(missingValue[c]);
    for (int s = specialStart[c]; s < specialStart[c + 1]; s++) {
      all.add(specialBinValue[s]);
    }
    if (categorical[c]) {
      for (int k = categoryStart[c]; k < categoryStart[c + 1]; k++) {
        all.add(categoryValue[k]);
      }
    } else {
      for (int k = edgeStart[c] + c; k <= edgeStart[c + 1] + c; k++) {
        all.add(intervalValue[k]);
      }
    }
    return all.build().toArray();
  }

  double value(int c, double x) {
    if (x != x) {
      return missingValue[c];
    }
    for (int s = specialStart[c], end = specialStart[c + 1]; s < end; s++) {
      if (x == specialValues[s]) {
        return specialBinValue[s];
      }
    }
    if (categorical[c]) {
      // Only a row the policies refuse (or clamp) holds a value that is no index here, and only
      // the column-wise batch path sees it unrepaired: NaN marks it for the policies, where
      // reading the table would run into the next characteristic's bins or past the end.
      int index = (int) x;
      return x >= 0 && index < categoryStart[c + 1] - categoryStart[c] ? categoryValue[categoryStart[c] + index]
          : Double.NaN;
    }
    // count the edges at or below x without an early exit: the loop length is fixed per
    // characteristic, so there is no data-dependent branch to mispredict
    int index = edgeStart[c] + c;
    for (int e = edgeStart[c], end = edgeStart[c + 1]; e < end; e++) {
      index += x >= edges[e] ? 1 : 0;
    }
    return intervalValue[index];
  }
}

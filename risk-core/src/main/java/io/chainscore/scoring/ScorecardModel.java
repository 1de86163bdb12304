package io.chainscore.scoring;

/**
 * A compiled points scorecard: {@code points = basePoints + sum over characteristics of the points
 * of the bin the row falls in}; the margin is the log-odds of default the {@link PointsScale}
 * assigns to those points. Contributions are each characteristic's points times {@link
 * PointsScale#marginPerPoint()}, with the base points' margin as the bias.
 */
final class ScorecardModel implements CompiledModel {
  private final int featureCount;
  private final double basePoints;
  private final Binnings bins;
  private final PointsScale scale;
  private final int[] reasonCodeOf;

  ScorecardModel(int featureCount, double basePoints, Binnings bins, PointsScale scale, int[] reasonCodeOf) {
    this.featureCount = featureCount;
    this.basePoints = basePoints;
    this.bins = bins;
    this.scale = scale;
    this.reasonCodeOf = reasonCodeOf;
  }

  @Override
  public int featureCount() {
    return featureCount;
  }

  int characteristicCount() {
    return bins.count;
  }

  double points(double[] row, int offset) {
    double points = basePoints;
    Binnings b = bins;
    int[] column = b.column;
    for (int c = 0, n = b.count; c < n; c++) {
      points += b.value(c, row[offset + column[c]]);
    }
    return points;
  }

  @Override
  public double margin(double[] row, int offset) {
    return scale.marginOf(points(row, offset));
  }

  @Override
  public double contributions(double[] row, int offset, double[] out) {
    java.util.Arrays.fill(out, 0, featureCount, 0.0);
    double perPoint = scale.marginPerPoint();
    double bias = scale.marginOf(basePoints);
    for (int c = 0; c < bins.count; c++) {
      out[bins.column[c]] += bins.value(c, row[offset + bins.column[c]]) * perPoint;
    }
    return bias;
  }

  /**
   * Returns the points of the row and adds, per reason code, the points lost against each
   * characteristic's best bin to {@code totals} (one pass for both, for the batch path).
   */
  double pointsAndPointsBelow(double[] row, int offset, double[] totals) {
    Binnings b = bins;
    int[] column = b.column;
    double[] maxValue = b.maxValue;
    int[] codeOf = reasonCodeOf;
    double points = basePoints;
    for (int c = 0, n = b.count; c < n; c++) {
      double v = b.value(c, row[offset + column[c]]);
      points += v;
      totals[codeOf[c]] += maxValue[c] - v;
    }
    return points;
  }
}

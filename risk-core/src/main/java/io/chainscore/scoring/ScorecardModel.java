package io.chainscore.scoring;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.spi.PointsScale;
import java.util.Arrays;

/**
 * A compiled points scorecard: {@code points = basePoints + sum over characteristics of the points
 * of the bin the row falls in}; the margin is the log-odds of default the {@link PointsScale}
 * assigns to those points. Contributions are each characteristic's points times {@link
 * PointsScale#marginPerPoint()}, with the base points' margin as the bias.
 *
 * <p>Hot path: numeric characteristics without special values (the common case) are evaluated
 * from a padded layout in which every such characteristic has the same number of edges (padded
 * with +infinity) and the same number of interval values (padded with its last value, followed by
 * the missing-bin value); the bin index is a branch-free count of the edges at or below the value. The remaining characteristics
 * (categorical, or with special values) take the general {@link Binnings#value} path. Points are
 * summed in a fixed order: the padded characteristics first, then the others, each group in
 * characteristic order.
 */
final class ScorecardModel implements CompiledModel {
  /** Characteristics with more edges than this use the general path. */
  private static final int MAX_PADDED_EDGES = 16;

  private final int featureCount;
  private final double basePoints;
  private final Binnings bins;
  private final PointsScale scale;
  private final int[] reasonCodeOf;

  private final int paddedEdges;
  private final int[] fastCharacteristic;
  private final int[] fastColumn;
  private final double[] fastEdges;
  private final double[] fastValues;
  private final int[] otherCharacteristic;

  ScorecardModel(int featureCount, double basePoints, Binnings bins, PointsScale scale, int[] reasonCodeOf) {
    this.featureCount = featureCount;
    this.basePoints = basePoints;
    this.bins = bins;
    this.scale = scale;
    this.reasonCodeOf = reasonCodeOf;
    int fast = 0;
    int width = 0;
    for (int c = 0; c < bins.count; c++) {
      if (isPaddable(c)) {
        fast++;
        width = Math.max(width, edgeCount(c));
      }
    }
    // pad to a width the evaluator has a fully unrolled loop for
    width = width <= 4 ? 4 : width <= 8 ? 8 : 16;
    this.paddedEdges = width;
    this.fastCharacteristic = new int[fast];
    this.fastColumn = new int[fast];
    this.fastEdges = new double[fast * width];
    this.fastValues = new double[fast * (width + 2)];
    this.otherCharacteristic = new int[bins.count - fast];
    Arrays.fill(fastEdges, Double.POSITIVE_INFINITY);
    for (int c = 0, f = 0, o = 0; c < bins.count; c++) {
      if (!isPaddable(c)) {
        otherCharacteristic[o++] = c;
        continue;
      }
      fastCharacteristic[f] = c;
      fastColumn[f] = bins.column[c];
            int k = edgeCount(c);
      System.arraycopy(bins.edges, bins.edgeStart[c], fastEdges, f * width, k);
      for (int i = 0; i <= width; i++) {
        fastValues[f * (width + 2) + i] = bins.intervalValue[bins.edgeStart[c] + c + Math.min(i, k)];
      }
      fastValues[f * (width + 2) + width + 1] = bins.missingValue[c];
      f++;
    }
  }

  private boolean isPaddable(int c) {
    return !bins.categorical[c] && bins.specialStart[c] == bins.specialStart[c + 1]
        && edgeCount(c) <= MAX_PADDED_EDGES;
  }

  private int edgeCount(int c) {
    return bins.edgeStart[c + 1] - bins.edgeStart[c];
  }

  @Override
  public int featureCount() {
    return featureCount;
  }

  Binnings bins() {
    return bins;
  }

  double basePoints() {
    return basePoints;
  }

  int reasonCodeOf(int characteristic) {
    return reasonCodeOf[characteristic];
  }

  int characteristicCount() {
    return bins.count;
  }

  private double fastValue(int f, double x) {
    // index = number of edges <= x, counted without branches over a constant number of edges
    // (so the JIT unrolls the loop); NaN compares false everywhere and is then sent to the
    // missing slot after the intervals
    int width = paddedEdges;
    int index;
    if (width == 4) {
      index = countAtOrBelow4(x, f * 4);
    } else if (width == 8) {
      index = countAtOrBelow8(x, f * 8);
    } else {
      index = countAtOrBelow8(x, f * 16) + countAtOrBelow8(x, f * 16 + 8);
    }
    index += x != x ? width + 1 : 0;
    return fastValues[f * (width + 2) + index];
  }

  private int countAtOrBelow4(double x, int base) {
    double[] e = fastEdges;
    int index = 0;
    for (int i = 0; i < 4; i++) {
      index += x >= e[base + i] ? 1 : 0;
    }
    return index;
  }

  private int countAtOrBelow8(double x, int base) {
    double[] e = fastEdges;
    int index = 0;
    for (int i = 0; i < 8; i++) {
      index += x >= e[base + i] ? 1 : 0;
    }
    return index;
  }

  double points(double[] row, int offset) {
    double points = basePoints;
    int[] column = fastColumn;
    for (int f = 0, n = column.length; f < n; f++) {
      points += fastValue(f, row[offset + column[f]]);
    }
    int[] others = otherCharacteristic;
    for (int k = 0, n = others.length; k < n; k++) {
      int c = others[k];
      points += bins.value(c, row[offset + bins.column[c]]);
    }
    return points;
  }

  /** Whether {@link #addPadded} may be used (the padded width fits its unrolled loop). */
  boolean supportsBlocks() {
    return paddedEdges <= 8;
  }

  /** Characteristics in the order their points are summed: the padded ones, then the others. */
  int[] summationOrder() {
    int[] order = new int[bins.count];
    System.arraycopy(fastCharacteristic, 0, order, 0, fastCharacteristic.length);
    System.arraycopy(otherCharacteristic, 0, order, fastCharacteristic.length, otherCharacteristic.length);
    return order;
  }

  /** The padded index of characteristic c, or -1 when it takes the general path. */
  int paddedIndexOf(int c) {
    for (int f = 0; f < fastCharacteristic.length; f++) {
      if (fastCharacteristic[f] == c) {
        return f;
      }
    }
    return -1;
  }

  /** Adds padded characteristic f's points of {@code count} rows to {@code out} (width <= 8). */
  void addPadded(int f, double[] rows, int firstOffset, int count, int stride, double[] out, int outOffset) {
    int width = paddedEdges;
    double[] edges = fastEdges;
    double[] values = fastValues;
    int b = f * width;
    double e0 = width > 0 ? edges[b] : Double.NaN;
    double e1 = width > 1 ? edges[b + 1] : Double.NaN;
    double e2 = width > 2 ? edges[b + 2] : Double.NaN;
    double e3 = width > 3 ? edges[b + 3] : Double.NaN;
    double e4 = width > 4 ? edges[b + 4] : Double.NaN;
    double e5 = width > 5 ? edges[b + 5] : Double.NaN;
    double e6 = width > 6 ? edges[b + 6] : Double.NaN;
    double e7 = width > 7 ? edges[b + 7] : Double.NaN;
    int valueBase = f * (width + 2);
    int missingIndex = valueBase + width + 1;
    int at = firstOffset + fastColumn[f];
    for (int r = 0; r < count; r++, at += stride) {
      double x = rows[at];
      // NaN padding compares false, like +infinity padding for finite values
      int index = (x >= e0 ? 1 : 0) + (x >= e1 ? 1 : 0) + (x >= e2 ? 1 : 0) + (x >= e3 ? 1 : 0)
          + (x >= e4 ? 1 : 0) + (x >= e5 ? 1 : 0) + (x >= e6 ? 1 : 0) + (x >= e7 ? 1 : 0);
      out[outOffset + r] += values[x != x ? missingIndex : valueBase + index];
    }
  }

  /** Adds characteristic c's points of {@code count} rows to {@code out} by the general lookup. */
  void addOther(int c, double[] rows, int firstOffset, int count, int stride, double[] out, int outOffset) {
    int at = firstOffset + bins.column[c];
    for (int r = 0; r < count; r++, at += stride) {
      out[outOffset + r] += bins.value(c, rows[at]);
    }
  }

  /**
   * Returns the points of the row and adds, per reason code, the points lost against each
   * characteristic's best bin (PMML {@code pointsBelow} with the maximum as baseline) to {@code
   * totals}, which the caller zeroes.
   */
  double pointsAndPointsBelow(double[] row, int offset, double[] totals) {
    double[] maxValue = bins.maxValue;
    int[] codeOf = reasonCodeOf;
    double points = basePoints;
    int[] column = fastColumn;
    for (int f = 0, n = column.length; f < n; f++) {
      double v = fastValue(f, row[offset + column[f]]);
      int c = fastCharacteristic[f];
      points += v;
      totals[codeOf[c]] += maxValue[c] - v;
    }
    int[] others = otherCharacteristic;
    for (int k = 0, n = others.length; k < n; k++) {
      int c = others[k];
      double v = bins.value(c, row[offset + bins.column[c]]);
      points += v;
      totals[codeOf[c]] += maxValue[c] - v;
    }
    return points;
  }

  @Override
  public double margin(double[] row, int offset) {
    return scale.marginOf(points(row, offset));
  }

  @Override
  public double contributions(double[] row, int offset, double[] out) {
    Arrays.fill(out, 0, featureCount, 0.0);
    double perPoint = scale.marginPerPoint();
    double bias = scale.marginOf(basePoints);
    for (int c = 0; c < bins.count; c++) {
      out[bins.column[c]] += bins.value(c, row[offset + bins.column[c]]) * perPoint;
    }
    return bias;
  }

  /** The columns the characteristics read. */
  @Override
  public int[] usedColumns() {
    return java.util.stream.IntStream.of(bins().column).distinct().sorted().toArray();
  }
}

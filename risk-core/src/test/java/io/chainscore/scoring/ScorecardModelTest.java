package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.scoring.spi.PointsScale;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScorecardModelTest {

  private static final int CHARACTERISTICS = 19;

  /**
   * Characteristic c has {@code c % (maxEdges + 1)} inner edges. All characteristics share the
   * padded width of the widest one (4, 8 or 16 edges), so each maximum exercises one unrolled
   * count; 18 sends the widest characteristics to the general path.
   */
  @ParameterizedTest
  @ValueSource(ints = {4, 8, 16, 18})
  void points_matchObviousLinearScanForEveryEdgeCount(int maxEdges) {
    SplittableRandom random = new SplittableRandom(20261129L + maxEdges);
    double[][] edges = new double[CHARACTERISTICS][];
    double[][] intervalPoints = new double[CHARACTERISTICS][];
    double[] missingPoints = new double[CHARACTERISTICS];
    ScorecardModel model = model(random, maxEdges, edges, intervalPoints, missingPoints);

    int rowCount = 5_000;
    double[] rows = new double[rowCount * CHARACTERISTICS];
    for (int r = 0; r < rowCount; r++) {
      for (int c = 0; c < CHARACTERISTICS; c++) {
        rows[r * CHARACTERISTICS + c] = value(random, edges[c]);
      }
    }
    double[] blockPoints = new double[rowCount];
    // the column-wise pieces ScorecardBlocks uses for characteristics it does not guide: padded
    // (when the width fits the unrolled loop) and general, in summation order
    boolean blocks = model.supportsBlocks();
    java.util.Arrays.fill(blockPoints, 17.5);
    for (int c : model.summationOrder()) {
      for (int first = 0; first < rowCount; first += 128) {
        int count = Math.min(128, rowCount - first);
        int padded = model.paddedIndexOf(c);
        if (blocks && padded >= 0) {
          model.addPadded(padded, rows, first * CHARACTERISTICS, count, CHARACTERISTICS, blockPoints, first);
        } else {
          model.addOther(c, rows, first * CHARACTERISTICS, count, CHARACTERISTICS, blockPoints, first);
        }
      }
    }
    for (int r = 0; r < rowCount; r++) {
      // whole points: the sum is exact in any order, so a wrong bin cannot hide in rounding
      double expected = 17.5;
      for (int c = 0; c < CHARACTERISTICS; c++) {
        expected += bruteForce(rows[r * CHARACTERISTICS + c], edges[c], intervalPoints[c], missingPoints[c]);
      }
      double[] row = Arrays.copyOfRange(rows, r * CHARACTERISTICS, (r + 1) * CHARACTERISTICS);
      assertThat(model.points(rows, r * CHARACTERISTICS)).as("row %d %s", r, Arrays.toString(row)).isEqualTo(expected);
      assertThat(blockPoints[r]).as("block row %d %s", r, Arrays.toString(row)).isEqualTo(expected);
    }
    assertThat(blocks).isEqualTo(maxEdges <= 8);
  }

  private static double bruteForce(double x, double[] edges, double[] intervalPoints, double missingPoints) {
    if (Double.isNaN(x)) {
      return missingPoints;
    }
    int interval = 0;
    while (interval < edges.length && edges[interval] <= x) {
      interval++;
    }
    return intervalPoints[interval];
  }

  /** A value that is often exactly at, just below or just above an edge, or an extreme. */
  private static double value(SplittableRandom random, double[] edges) {
    int pick = random.nextInt(12);
    if (pick == 0) {
      return Double.NaN;
    }
    if (pick == 1) {
      double[] extremes = {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 0.0, -Double.MAX_VALUE, Double.MIN_VALUE};
      return extremes[random.nextInt(extremes.length)];
    }
    if (pick < 7 && edges.length > 0) {
      double e = edges[random.nextInt(edges.length)];
      int nudge = random.nextInt(3);
      return nudge == 0 ? e : nudge == 1 ? Math.nextUp(e) : Math.nextDown(e);
    }
    return random.nextDouble(-120, 120);
  }

  private static ScorecardModel model(SplittableRandom random, int maxEdges, double[][] edges, double[][] intervalPoints, double[] missingPoints) {
    int totalEdges = 0;
    int[] edgeCount = new int[CHARACTERISTICS];
    for (int c = 0; c < CHARACTERISTICS; c++) {
      int k = c % (maxEdges + 1);
      edgeCount[c] = k;
      double[] e = new double[k];
      double at = random.nextDouble(-100, -50);
      for (int i = 0; i < k; i++) {
        // strictly increasing, with an edge exactly at zero in some characteristics
        at += random.nextDouble(0.5, 10);
        e[i] = i == k / 2 && c % 3 == 0 ? Math.max(Math.nextUp(i == 0 ? -1e300 : e[i - 1]), 0.0) : at;
        at = e[i];
      }
      edges[c] = e;
      intervalPoints[c] = random.doubles(k + 1, -40, 40).map(Math::rint).toArray();
      missingPoints[c] = Math.rint(random.nextDouble(-20, 20));
      totalEdges += k;
    }
    int[] column = new int[CHARACTERISTICS];
    double[] maxValue = new double[CHARACTERISTICS];
    boolean[] categorical = new boolean[CHARACTERISTICS];
    int[] specialStart = new int[CHARACTERISTICS + 1];
    int[] categoryStart = new int[CHARACTERISTICS + 1];
    int[] edgeStart = new int[CHARACTERISTICS + 1];
    double[] flatEdges = new double[totalEdges];
    double[] intervalValue = new double[totalEdges + CHARACTERISTICS];
    for (int c = 0; c < CHARACTERISTICS; c++) {
      // shuffle columns so that characteristic order and column order differ
      column[c] = (c * 7) % CHARACTERISTICS;
      maxValue[c] = Math.max(missingPoints[c], Arrays.stream(intervalPoints[c]).max().getAsDouble());
      edgeStart[c + 1] = edgeStart[c] + edgeCount[c];
      System.arraycopy(edges[c], 0, flatEdges, edgeStart[c], edgeCount[c]);
      System.arraycopy(intervalPoints[c], 0, intervalValue, edgeStart[c] + c, edgeCount[c] + 1);
    }
    // the test's rows hold characteristic c in column c: undo the shuffle by permuting arrays
    double[][] byColumnEdges = new double[CHARACTERISTICS][];
    double[][] byColumnPoints = new double[CHARACTERISTICS][];
    double[] byColumnMissing = new double[CHARACTERISTICS];
    for (int c = 0; c < CHARACTERISTICS; c++) {
      byColumnEdges[column[c]] = edges[c];
      byColumnPoints[column[c]] = intervalPoints[c];
      byColumnMissing[column[c]] = missingPoints[c];
    }
    Binnings bins = new Binnings(column, missingPoints.clone(), maxValue, categorical, specialStart, new double[0],
        new double[0], categoryStart, new double[0], edgeStart, flatEdges, intervalValue);
    ScorecardModel model = new ScorecardModel(CHARACTERISTICS, 17.5, bins, new PointsScale(20, 600, 50), new int[CHARACTERISTICS]);
    // the brute force walks columns in characteristic order of the model
    for (int c = 0; c < CHARACTERISTICS; c++) {
      edges[c] = byColumnEdges[c];
      intervalPoints[c] = byColumnPoints[c];
      missingPoints[c] = byColumnMissing[c];
    }
    return model;
  }
}

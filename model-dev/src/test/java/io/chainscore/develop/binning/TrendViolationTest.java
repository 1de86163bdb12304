package io.chainscore.develop.binning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link BinningTable#trendViolation()} against the definitions of the trends checked by brute
 * force: ascending and descending as every consecutive pair of non-empty regular bins, peak and
 * valley as "some split point k with one trend before it and the other after it".
 */
class TrendViolationTest {

  private static BinningTable table(long[] events, long[] nonEvents, MonotonicTrend trend) {
    int regular = events.length;
    double[] splits = new double[regular - 1];
    for (int i = 0; i < splits.length; i++) {
      splits[i] = i + 1;
    }
    double[] e = new double[regular + 2];
    double[] ne = new double[regular + 2];
    for (int i = 0; i < regular; i++) {
      e[i] = events[i];
      ne[i] = nonEvents[i];
    }
    // the special and missing bins hold a wild rate that must not count towards the trend
    e[regular] = 50;
    ne[regular] = 1;
    e[regular + 1] = 0;
    ne[regular + 1] = 40;
    return BinningTable.numeric(splits, new double[] {-999}, e, ne, trend);
  }

  /** The rates of the non-empty regular bins. */
  private static List<Double> rates(long[] events, long[] nonEvents) {
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < events.length; i++) {
      if (events[i] + nonEvents[i] > 0) {
        rates.add((double) events[i] / (events[i] + nonEvents[i]));
      }
    }
    return rates;
  }

  private static boolean monotone(List<Double> r, int from, int to, boolean up) {
    for (int i = from + 1; i < to; i++) {
      if (up ? r.get(i) < r.get(i - 1) : r.get(i) > r.get(i - 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(List<Double> r, MonotonicTrend trend) {
    int n = r.size();
    return switch (trend) {
      case ASCENDING -> monotone(r, 0, n, true);
      case DESCENDING -> monotone(r, 0, n, false);
      case PEAK, VALLEY -> {
        boolean up = trend == MonotonicTrend.PEAK;
        for (int k = 0; k < n; k++) {
          if (monotone(r, 0, k + 1, up) && monotone(r, k, n, !up)) {
            yield true;
          }
        }
        yield n == 0;
      }
      default -> true;
    };
  }

  @Test
  void agreesWithTheDefinitionsOnRandomTables() {
    Random random = new Random(17);
    int violations = 0;
    for (int round = 0; round < 4000; round++) {
      int bins = 1 + random.nextInt(7);
      long[] events = new long[bins];
      long[] nonEvents = new long[bins];
      for (int i = 0; i < bins; i++) {
        // small counts make equal rates and empty bins common
        events[i] = random.nextInt(4);
        nonEvents[i] = random.nextInt(3) == 0 ? 0 : random.nextInt(4);
      }
      for (MonotonicTrend trend : MonotonicTrend.values()) {
        BinningTable t = table(events, nonEvents, trend);
        boolean expected = trend == MonotonicTrend.AUTO || holds(rates(events, nonEvents), trend);
        assertThat(t.trendViolation().isEmpty()).as("%s %s/%s", trend, java.util.Arrays.toString(events),
            java.util.Arrays.toString(nonEvents)).isEqualTo(expected);
        violations += expected ? 0 : 1;
      }
    }
    assertThat(violations).as("the random tables break trends often enough to test the check").isGreaterThan(1000);
  }

  @Test
  void namesTheFirstPairOfBinsAtFault() {
    // rates 0.1, 0.3, 0.2 (ascending breaks at bin 3), an empty bin 2 skipped in between
    BinningTable t = table(new long[] {1, 0, 3, 2}, new long[] {9, 0, 7, 8}, MonotonicTrend.ASCENDING);
    assertThat(t.trendViolation()).contains("bin 4 ([3.0, Infinity), event rate 0.2) must not fall after bin 3"
        + " ([2.0, 3.0), event rate 0.3) under the ascending trend");
    assertThat(table(new long[] {1, 0, 3, 2}, new long[] {9, 0, 7, 8}, MonotonicTrend.PEAK).trendViolation()).isEmpty();
    assertThat(table(new long[] {1, 0, 3, 2}, new long[] {9, 0, 7, 8}, MonotonicTrend.DESCENDING).trendViolation())
        .contains("bin 3 ([2.0, 3.0), event rate 0.3) must not rise after bin 1 ([-Infinity, 1.0), event rate 0.1)"
            + " under the descending trend");
  }
}

package io.chainscore.develop.binning;

import java.util.Arrays;

/**
 * Distinct sorted values of a characteristic with event and non-event counts per value.
 *
 * <p>Built by sorting the events' and the non-events' values separately (two primitive sorts,
 * no index arrays) and merging them.
 */
final class Distinct {
  final double[] values;
  final long[] events;
  final long[] nonEvents;
  final int size;

  private Distinct(double[] values, long[] events, long[] nonEvents, int size) {
    this.values = values;
    this.events = events;
    this.nonEvents = nonEvents;
    this.size = size;
  }

  /** Aggregates already-sorted event values and non-event values. */
  static Distinct of(double[] sortedEventValues, int eventCount, double[] sortedNonEventValues,
      int nonEventCount) {
    int cap = eventCount + nonEventCount;
    double[] v = new double[cap];
    long[] e = new long[cap];
    long[] ne = new long[cap];
    int d = -1;
    int a = 0;
    int b = 0;
    while (a < eventCount || b < nonEventCount) {
      boolean takeEvent =
          b >= nonEventCount || (a < eventCount && sortedEventValues[a] <= sortedNonEventValues[b]);
      double x = takeEvent ? sortedEventValues[a++] : sortedNonEventValues[b++];
      if (d < 0 || x != v[d]) {
        d++;
        v[d] = x;
      }
      if (takeEvent) {
        e[d]++;
      } else {
        ne[d]++;
      }
    }
    return new Distinct(v, e, ne, d + 1);
  }

  /** Sorts copies of the two value sets and aggregates them. */
  static Distinct sortAndAggregate(double[] eventValues, int eventCount, double[] nonEventValues,
      int nonEventCount) {
    Arrays.sort(eventValues, 0, eventCount);
    Arrays.sort(nonEventValues, 0, nonEventCount);
    return of(eventValues, eventCount, nonEventValues, nonEventCount);
  }

  /** The same counts grouped by float32 value (scikit-learn compares features as float32). */
  Distinct byFloat() {
    double[] v = new double[size];
    long[] e = new long[size];
    long[] ne = new long[size];
    int d = -1;
    for (int i = 0; i < size; i++) {
      double f = (float) values[i];
      if (d < 0 || f != v[d]) {
        d++;
        v[d] = f;
      }
      e[d] += events[i];
      ne[d] += nonEvents[i];
    }
    return new Distinct(v, e, ne, d + 1);
  }

  long total() {
    long t = 0;
    for (int i = 0; i < size; i++) {
      t += events[i] + nonEvents[i];
    }
    return t;
  }

  /**
   * Event and non-event counts of the bins {@code [splits[b-1], splits[b])}: {@code out[0]} events
   * and {@code out[1]} non-events, each of length {@code splits.length + 1}.
   */
  long[][] countBins(double[] splits) {
    long[] e = new long[splits.length + 1];
    long[] ne = new long[splits.length + 1];
    int b = 0;
    for (int i = 0; i < size; i++) {
      while (b < splits.length && values[i] >= splits[b]) {
        b++;
      }
      e[b] += events[i];
      ne[b] += nonEvents[i];
    }
    return new long[][] {e, ne};
  }
}

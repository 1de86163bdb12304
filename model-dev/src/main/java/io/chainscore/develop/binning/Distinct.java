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
  final double[] events;
  final double[] nonEvents;
  final int size;

  private Distinct(double[] values, double[] events, double[] nonEvents, int size) {
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
    double[] e = new double[cap];
    double[] ne = new double[cap];
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

  /**
   * Aggregates weighted values: {@code values[k]} with label {@code labels[k]} counts {@code
   * weights[k]} (positive) towards its value's events or non-events. Equal values are summed in
   * input order, so the result does not depend on anything but the inputs.
   */
  static Distinct weighted(double[] values, int[] labels, double[] weights, int count) {
    Integer[] order = new Integer[count];
    for (int k = 0; k < count; k++) {
      order[k] = k;
    }
    // A stable sort by value: equal values keep input order, so their weights sum the same way every time.
    Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
    double[] v = new double[count];
    double[] e = new double[count];
    double[] ne = new double[count];
    int d = -1;
    for (int k = 0; k < count; k++) {
      int i = order[k];
      double x = values[i];
      if (d < 0 || x != v[d]) {
        d++;
        v[d] = x;
      }
      if (labels[i] == 1) {
        e[d] += weights[i];
      } else {
        ne[d] += weights[i];
      }
    }
    return new Distinct(v, e, ne, d + 1);
  }

  /** The same counts grouped by float32 value (scikit-learn compares features as float32). */
  Distinct byFloat() {
    double[] v = new double[size];
    double[] e = new double[size];
    double[] ne = new double[size];
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

  double total() {
    double t = 0;
    for (int i = 0; i < size; i++) {
      t += events[i] + nonEvents[i];
    }
    return t;
  }

  /**
   * Event and non-event counts of the bins {@code [splits[b-1], splits[b])}: {@code out[0]} events
   * and {@code out[1]} non-events, each of length {@code splits.length + 1}.
   */
  double[][] countBins(double[] splits) {
    double[] e = new double[splits.length + 1];
    double[] ne = new double[splits.length + 1];
    int b = 0;
    for (int i = 0; i < size; i++) {
      while (b < splits.length && values[i] >= splits[b]) {
        b++;
      }
      e[b] += events[i];
      ne[b] += nonEvents[i];
    }
    return new double[][] {e, ne};
  }
}

package io.chainscore.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * Rank-based discrimination statistics of a score against 0/1 outcomes: AUC, Gini, KS and the
 * gains/lift table.
 *
 * <p>A higher score must mean a higher event likelihood (an event is label 1). Ties are
 * handled exactly: AUC counts a tied event/non-event pair as one half (Mann-Whitney midranks),
 * KS evaluates the distribution functions only between distinct score values, and gains-table
 * groups never split a run of equal scores.
 *
 * <p>Thread safety: stateless; all methods are pure functions of their arguments.
 */
public final class Discrimination {
  private Discrimination() {}

  /**
   * Area under the ROC curve: the probability that a random event scores higher than a random
   * non-event, ties counting one half.
   *
   * @throws IllegalArgumentException when the arrays differ in length, a label is not 0 or 1, a
   *     score is NaN, or there is no event or no non-event
   */
  public static double auc(double[] scores, int[] labels) {
    int n = checkInputs(scores, labels);
    int[] order = SortSupport.ascendingOrder(scores);
    long events = 0;
    double eventRankSum = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      double s = scores[order[i]];
      int eventsInRun = 0;
      while (j < n && scores[order[j]] == s) {
        eventsInRun += labels[order[j]];
        j++;
      }
      // midrank of positions i..j-1 in 1-based ranks
      double midrank = (i + 1 + j) / 2.0;
      eventRankSum += eventsInRun * midrank;
      events += eventsInRun;
      i = j;
    }
    long nonEvents = n - events;
    double u = eventRankSum - events * (events + 1) / 2.0;
    return u / ((double) events * nonEvents);
  }

  /** Gini coefficient (accuracy ratio) {@code 2 * auc - 1}; same argument checks as {@link #auc}. */
  public static double gini(double[] scores, int[] labels) {
    return 2.0 * auc(scores, labels) - 1.0;
  }

  /**
   * Kolmogorov-Smirnov statistic: {@code max |F_event(s) - F_nonEvent(s)|} over thresholds
   * between distinct score values, where F is the empirical distribution function of the scores
   * of each class.
   *
   * @throws IllegalArgumentException as for {@link #auc}
   */
  public static double ks(double[] scores, int[] labels) {
    int n = checkInputs(scores, labels);
    int[] order = SortSupport.ascendingOrder(scores);
    long events = 0;
    for (int label : labels) {
      events += label;
    }
    long nonEvents = n - events;
    long cumEvents = 0;
    long cumNonEvents = 0;
    double best = 0;
    int i = 0;
    while (i < n) {
      double s = scores[order[i]];
      while (i < n && scores[order[i]] == s) {
        if (labels[order[i]] == 1) {
          cumEvents++;
        } else {
          cumNonEvents++;
        }
        i++;
      }
      double d = Math.abs((double) cumEvents / events - (double) cumNonEvents / nonEvents);
      if (d > best) {
        best = d;
      }
    }
    return best;
  }

  /**
   * Gains (lift) table: observations sorted by descending score and cut into {@code groups}
   * groups of about equal size, the riskiest first.
   *
   * <p>Group {@code g} (0-based) nominally holds sorted positions {@code [floor(g n / G),
   * floor((g+1) n / G))}; a run of equal scores is kept whole in the group where its first
   * member falls, so groups can be uneven and trailing groups can be empty (empty groups are
   * omitted).
   *
   * @throws IllegalArgumentException as for {@link #auc}, or when {@code groups < 1}
   */
  public static GainsTable gainsTable(double[] scores, int[] labels, int groups) {
    int n = checkInputs(scores, labels);
    if (groups < 1) {
      throw new IllegalArgumentException("gains table: groups must be >= 1, got " + groups);
    }
    int[] asc = SortSupport.ascendingOrder(scores);
    long totalEvents = 0;
    for (int label : labels) {
      totalEvents += label;
    }
    double overallRate = (double) totalEvents / n;
    List<GainsTable.Row> rows = new ArrayList<>();
    int pos = 0;
    long cumCount = 0;
    long cumEvents = 0;
    for (int g = 0; g < groups && pos < n; g++) {
      long nominalEnd = (long) (g + 1) * n / groups;
      if (pos >= nominalEnd) {
        continue;
      }
      int start = pos;
      long events = 0;
      double maxScore = scores[asc[n - 1 - pos]];
      double minScore = maxScore;
      while (pos < n && (pos < nominalEnd || scores[asc[n - 1 - pos]] == minScore)) {
        int idx = asc[n - 1 - pos];
        minScore = scores[idx];
        events += labels[idx];
        pos++;
      }
      int count = pos - start;
      cumCount += count;
      cumEvents += events;
      double rate = (double) events / count;
      double cumRate = (double) cumEvents / cumCount;
      rows.add(
          new GainsTable.Row(
              rows.size() + 1,
              minScore,
              maxScore,
              count,
              events,
              rate,
              (double) cumCount / n,
              (double) cumEvents / totalEvents,
              rate / overallRate,
              cumRate / overallRate));
    }
    return new GainsTable(rows, n, totalEvents);
  }

  static int checkInputs(double[] scores, int[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(
          "scores and labels differ in length: " + scores.length + " vs " + labels.length);
    }
    long events = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(
            "labels[" + i + "]: expected 0 or 1, got " + labels[i]);
      }
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("scores[" + i + "]: expected a number, got NaN");
      }
      events += labels[i];
    }
    if (events == 0 || events == labels.length) {
      throw new IllegalArgumentException(
          "labels: need at least one event (1) and one non-event (0), got "
              + events
              + " events in "
              + labels.length);
    }
    return labels.length;
  }
}

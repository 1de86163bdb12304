package io.chainscore.validation;

import java.util.List;

/**
 * A gains (lift) table: score groups from the riskiest (highest score) down, with counts,
 * event rates, cumulative shares and lift relative to the overall event rate.
 *
 * <p>Thread safety: immutable.
 *
 * @param rows groups in descending score order; empty groups are omitted
 * @param count number of observations
 * @param events number of events (label 1)
 */
public record GainsTable(List<Row> rows, long count, long events) {
  /** Copies the rows. */
  public GainsTable {
    rows = List.copyOf(rows);
  }

  /**
   * One score group.
   *
   * @param group 1-based group number, 1 = highest scores
   * @param minScore lowest score in the group
   * @param maxScore highest score in the group
   * @param count observations in the group
   * @param events events in the group
   * @param eventRate {@code events / count}
   * @param cumulativePopulationShare share of all observations in groups 1..group
   * @param cumulativeEventShare share of all events captured in groups 1..group (the gain)
   * @param lift {@code eventRate / overall event rate}
   * @param cumulativeLift cumulative event rate of groups 1..group over the overall rate
   */
  public record Row(
      int group,
      double minScore,
      double maxScore,
      long count,
      long events,
      double eventRate,
      double cumulativePopulationShare,
      double cumulativeEventShare,
      double lift,
      double cumulativeLift) {}
}

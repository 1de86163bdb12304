package io.chainscore.scoring;

import java.util.List;

/**
 * The score of one supplier, as returned by {@link Scorer#score(double[])}.
 *
 * <p>Thread safety: immutable.
 *
 * @param points score points on the bundle's scale (higher is better: lower risk)
 * @param pd probability of default, in [0, 1]
 * @param grade name of the master-scale grade whose band contains {@code pd}
 * @param gradeIndex index of that grade in {@link MasterScale#grades()}
 * @param reasonCodes up to four adverse reason codes, most adverse first
 * @param segment the name of the segment that scored the row in a segmented bundle ({@link
 *     ModelBundle#segments()}); empty for other bundles
 */
public record ScoreResult(
    double points, double pd, String grade, int gradeIndex, List<String> reasonCodes,
    // left out of JSON results when empty, so that other bundles' outputs do not change
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    String segment) {
  /** Copies the reason codes. */
  public ScoreResult {
    reasonCodes = List.copyOf(reasonCodes);
    segment = java.util.Objects.requireNonNull(segment, "segment");
  }

  /** The score of a row of a bundle that is not segmented ({@link #segment()} empty). */
  public ScoreResult(double points, double pd, String grade, int gradeIndex, List<String> reasonCodes) {
    this(points, pd, grade, gradeIndex, reasonCodes, "");
  }
}

package io.chainscore.scoring;

import java.util.List;

/**
 * Why one row scored as it did: the score, and for every characteristic (scorecards) or feature
 * (other models) its value, its bin, the points it earned and the points it could have earned at
 * best, and its contribution to the margin (log-odds of default).
 *
 * <p>For a scorecard, {@code basePoints} plus the items' {@code points} is the score, and an item's
 * {@code pointsBelowBest} is what its reason code adds up. For other models {@code basePoints} is
 * the points of the bias (the model's expected margin) and an item's points are its contribution
 * converted to points (a positive contribution, raising the PD, costs points).
 *
 * <p>Thread safety: immutable.
 *
 * @param score the score, PD, grade and reason codes
 * @param margin the log-odds of default the model produced
 * @param basePoints points before any characteristic (scorecard base points, or the bias in points)
 * @param items one per characteristic or feature, in model order
 */
public record Explanation(ScoreResult score, double margin, double basePoints, List<Item> items) {
  public Explanation {
    items = List.copyOf(items);
  }

  /**
   * One characteristic's part in a score.
   *
   * <p>Thread safety: immutable.
   *
   * @param name the characteristic's name: the feature it reads
   * @param feature the feature it reads
   * @param value the feature value as given, after the bundle's policies ("missing" for NaN), as
   *     text: a category code, or a number rounded to six significant digits
   * @param numericValue the same value as a number, exact: the category index for a categorical
   *     feature, NaN when missing
   * @param bin the bin the value fell in ({@code [a, b)}, a category, "missing"), empty for models
   *     without bins
   * @param points points earned
   * @param pointsBelowBest best attainable points minus points earned (0 for models without bins)
   * @param contribution contribution to the margin; positive raises the PD (never -0.0: a zero
   *     contribution is +0.0, as are zero points)
   * @param reasonCode the reason code it reports under, empty when none
   */
  public record Item(String name, String feature, String value, double numericValue, String bin, double points,
      double pointsBelowBest, double contribution, String reasonCode) {}
}

package io.chainscore.scoring;

import java.util.List;

/**
 * The format-neutral model read from a bundle: names and numbers exactly as the document states
 * them, validated for shape but not yet resolved to columns. {@link ModelCompiler} turns it into
 * flat arrays.
 */
sealed interface ModelSpec {

  /** One bin of a characteristic; {@code value} is points (scorecard) or weight of evidence. */
  sealed interface Bin {
    double value();

    String path();
  }

  /** Numeric interval {@code [lower, upper)}; infinite ends stand for JSON {@code null}. */
  record RangeBin(double lower, double upper, double value, String path) implements Bin {}

  /** Categories, by code, that share a bin. */
  record CategoryBin(List<String> categories, double value, String path) implements Bin {}

  /** Exact special values (sentinels such as -1) that take precedence over the intervals. */
  record SpecialBin(double[] values, double value, String path) implements Bin {}

  /** The bin for a missing value (NaN in the row). */
  record MissingBin(double value, String path) implements Bin {}

  /**
   * A scorecard characteristic (or a weight-of-evidence transform): a feature cut into bins.
   *
   * @param name characteristic name, unique within the model
   * @param feature schema feature the characteristic reads
   * @param reasonCode code in the bundle's reason-code table
   */
  record Characteristic(String name, String feature, String reasonCode, List<Bin> bins, String path) {}

  /** Additive points scorecard: {@code points = basePoints + sum of bin points}. */
  record Scorecard(double basePoints, List<Characteristic> characteristics) implements ModelSpec {}

  /**
   * One logistic term: {@code coefficient * t(x)} where t is the identity ({@code woe == null}) or a
   * weight-of-evidence binning.
   */
  record Term(
      String feature,
      double coefficient,
      double reference,
      String reasonCode,
      Characteristic woe,
      String path) {}

  /** Logistic regression: {@code margin = intercept + sum of terms}, the log-odds of default. */
  record Logistic(double intercept, List<Term> terms) implements ModelSpec {}
}

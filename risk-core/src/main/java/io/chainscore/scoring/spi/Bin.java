package io.chainscore.scoring.spi;

import java.util.List;

/**
 * One bin of a characteristic: which values fall in it and the value it gives them, which is
 * points for a scorecard characteristic and the weight of evidence for a logistic WoE term.
 *
 * <p>Thread safety: immutable values.
 */
public sealed interface Bin {
  /** Points (scorecard) or weight of evidence (logistic WoE term) of the bin. */
  double value();

  /**
   * The numeric interval {@code [lower, upper)}; an infinite end is an open end (JSON {@code null}).
   */
  record Range(double lower, double upper, double value) implements Bin {}

  /** Categories, by code, that share the bin. */
  record Categories(List<String> categories, double value) implements Bin {
    /** Copies the list. */
    public Categories {
      categories = List.copyOf(categories);
    }
  }

  /** Exact special values (sentinels such as -1) that take precedence over the intervals. */
  record Special(List<Double> values, double value) implements Bin {
    /** Copies the list. */
    public Special {
      values = List.copyOf(values);
    }
  }

  /** The bin of a missing value. */
  record Missing(double value) implements Bin {}
}

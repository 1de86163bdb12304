package io.chainscore.scoring.spi;

import java.util.List;

/**
 * A logistic regression: {@code margin = intercept + sum of coefficient * (t(x) - reference)}, the
 * log-odds of default, where t is the identity or a weight-of-evidence binning.
 *
 * <p>Thread safety: immutable value.
 *
 * @param intercept the intercept
 * @param terms terms in bundle order
 */
public record LogisticView(double intercept, List<Term> terms) implements ModelView {
  /** Copies the list. */
  public LogisticView {
    terms = List.copyOf(terms);
  }

  /**
   * One term.
   *
   * @param feature schema feature the term reads
   * @param coefficient the coefficient
   * @param reference value subtracted before the coefficient is applied
   * @param reasonCode code in the bundle's reason-code table
   * @param woe the weight-of-evidence binning, or null for the raw value
   */
  public record Term(String feature, double coefficient, double reference, String reasonCode, Characteristic woe) {}
}

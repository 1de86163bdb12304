package io.chainscore.features;

/**
 * Whether a feature holds a number or one of a fixed list of categories.
 *
 * <p>Thread safety: an enum; immutable.
 */
public enum FeatureType {
  /** A real number; {@code NaN} means missing or undefined. */
  NUMERIC,
  /**
   * One of {@link FeatureSpec#categories()}, carried in a {@code double} row as the category's
   * index (0, 1, 2, ...); {@code NaN} means missing.
   */
  CATEGORICAL
}

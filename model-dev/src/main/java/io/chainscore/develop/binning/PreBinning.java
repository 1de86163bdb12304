package io.chainscore.develop.binning;

/**
 * How a numeric characteristic is cut into the fine pre-bins that the optimal merge combines.
 *
 * <p>Thread safety: immutable.
 */
public enum PreBinning {
  /**
   * Up to {@code maxPreBins} bins of about equal count: a split at each sorted position {@code
   * floor(k n / maxPreBins)}, dropped when it would not separate distinct values.
   */
  QUANTILE,
  /**
   * Best-first binary splitting like scikit-learn's {@code DecisionTreeClassifier(max_leaf_nodes
   * = maxPreBins, min_samples_leaf = ceil(minPreBinShare n))} on the Gini (or entropy) criterion,
   * with thresholds at float32 midpoints as scikit-learn computes them.
   */
  CART,
  /** Each distinct value its own pre-bin (for small domains and raw-value IV). */
  DISTINCT
}

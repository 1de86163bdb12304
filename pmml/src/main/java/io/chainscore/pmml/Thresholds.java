package io.chainscore.pmml;

/**
 * The runtime's numeric split rules as one strict bound: {@code io.chainscore.scoring.tree} sends a
 * non-missing value left iff {@code x < bound} (see {@code docs/tree-models.md}), which PMML writes
 * exactly as {@code lessThan bound} on a double field. The rules live once, in SplitBounds.
 */
final class Thresholds {
  /** LightGBM's kZeroThreshold, a float constant widened to double. */
  static final double ZERO_THRESHOLD = io.chainscore.scoring.tree.SplitBounds.ZERO_THRESHOLD;

  private Thresholds() {}

  /** The runtime's bound for a float32 (XGBoost) threshold: {@link io.chainscore.scoring.tree.SplitBounds}. */
  static double float32LessThanBound(float t) {
    return io.chainscore.scoring.tree.SplitBounds.float32LessThanBound(t);
  }

  /** The runtime's bound for a LightGBM threshold: {@link io.chainscore.scoring.tree.SplitBounds}. */
  static double lightgbmLessThanBound(double t) {
    return io.chainscore.scoring.tree.SplitBounds.lightgbmLessThanBound(t);
  }

  /** A float32 threshold whose bound is {@code bound} (the threshold an exported split came from). */
  static float float32Threshold(double bound) {
    return (float) bound;
  }

  /** A float64 threshold whose bound is {@code bound}. */
  static double float64Threshold(double bound) {
    if (bound == -ZERO_THRESHOLD) {
      return -ZERO_THRESHOLD;
    }
    return Math.nextDown(bound);
  }
}

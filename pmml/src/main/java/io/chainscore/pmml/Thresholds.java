package io.chainscore.pmml;

/**
 * The runtime's numeric split rules as one strict bound: {@code io.chainscore.scoring.tree} sends a
 * non-missing value left iff {@code x < bound} (see {@code docs/tree-models.md}), which PMML writes
 * exactly as {@code lessThan bound} on a double field. Kept in step with CompiledTreeEnsemble.
 */
final class Thresholds {
  /** LightGBM's kZeroThreshold, a float constant widened to double. */
  static final double ZERO_THRESHOLD = 1e-35f;

  private Thresholds() {}

  /**
   * XGBoost's "left iff {@code (float) x < t}": the smallest double b with {@code (float) x >= t}
   * for every {@code x >= b}.
   */
  static double float32LessThanBound(float t) {
    if (t == Float.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    float below = Math.nextDown(t);
    double overflow = (double) Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0;
    double mid = t == Float.POSITIVE_INFINITY ? overflow
        : below == Float.NEGATIVE_INFINITY ? -overflow
        : ((double) below + (double) t) / 2.0;
    return (float) mid == t ? mid : Math.nextUp(mid);
  }

  /** LightGBM's "left iff {@code x' <= t}" after {@code |x| <= 1e-35f} becomes 0. */
  static double lightgbmLessThanBound(double t) {
    if (t >= 0) {
      return Math.nextUp(Math.max(t, ZERO_THRESHOLD));
    }
    if (t >= -ZERO_THRESHOLD) {
      return -ZERO_THRESHOLD;
    }
    return Math.nextUp(t);
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

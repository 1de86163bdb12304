package io.chainscore.scoring.tree;

/**
 * The runtime's numeric split rules as one strict bound: a non-missing value goes left iff
 * {@code x < bound} (docs/tree-models.md). The one place of these rules: the compiled ensembles
 * use them, and the PMML writer and reader express the same bounds (exported to
 * {@code io.chainscore.pmml} only).
 *
 * <p>Thread safety: stateless.
 */
public final class SplitBounds {
  /** LightGBM's kZeroThreshold, a float constant widened to double. */
  public static final double ZERO_THRESHOLD = 1e-35f;

  private SplitBounds() {}

  /**
   * XGBoost's "left iff {@code (float) x < t}" as the smallest double b with {@code (float) x >= t}
   * for every {@code x >= b}.
   */
  public static double float32LessThanBound(float t) {
    if (t == Float.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    if (Float.isNaN(t)) {
      return Double.NaN;
    }
    float below = Math.nextDown(t);
    // Two adjacent floats average exactly in double; the midpoint rounds to one of them
    // (ties to even), and Java's own narrowing tells which.
    // Beyond the largest float the "neighbour" is infinity; the rounding boundary is half an ulp
    // past Float.MAX_VALUE.
    double overflow = (double) Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0;
    double mid = t == Float.POSITIVE_INFINITY ? overflow
        : below == Float.NEGATIVE_INFINITY ? -overflow
        : ((double) below + (double) t) / 2.0;
    return (float) mid == t ? mid : Math.nextUp(mid);
  }

  /**
   * LightGBM's rule "go left iff {@code x' <= t}", where its predictor first replaces every
   * {@code |x| <= 1e-35f} by 0, as a single bound {@code b} with "go left iff {@code x < b}" for
   * non-NaN {@code x} and finite {@code t}.
   */
  public static double lightgbmLessThanBound(double t) {
    if (t >= 0) {
      return Math.nextUp(Math.max(t, ZERO_THRESHOLD));
    }
    if (t >= -ZERO_THRESHOLD) {
      return -ZERO_THRESHOLD;
    }
    return Math.nextUp(t);
  }
}

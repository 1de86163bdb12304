package io.chainscore.pmml;

/** Number text of the PMML files: every double written so that parsing it gives the same double. */
final class Numbers {
  private Numbers() {}

  /**
   * Whole numbers below 1e15 without a fraction ({@code 600}), everything else as Java's shortest
   * round-tripping form ({@code 0.1}, {@code 1.0E-5}), which is a valid {@code xs:double}.
   */
  static String format(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("PMML numbers must be finite, got " + v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return v == 0 && 1 / v < 0 ? "-0.0" : Long.toString((long) v);
    }
    return Double.toString(v);
  }
}

package io.chainscore.scoring;

/**
 * Maps a model's margin (log-odds of default) to a PD. Three kinds: {@code none} (the logistic
 * link, {@code 1 / (1 + exp(-margin))}), {@code logistic} (Platt scaling, {@code 1 / (1 +
 * exp(-(intercept + slope * margin)))}) and {@code isotonic} (a monotone table of margins and PDs,
 * linearly interpolated between knots and clamped to the end values outside them).
 */
final class Calibration {
  private static final int NONE = 0;
  private static final int LOGISTIC = 1;
  private static final int ISOTONIC = 2;

  private final int kind;
  private final double intercept;
  private final double slope;
  private final double[] margins;
  private final double[] pds;

  private Calibration(int kind, double intercept, double slope, double[] margins, double[] pds) {
    this.kind = kind;
    this.intercept = intercept;
    this.slope = slope;
    this.margins = margins;
    this.pds = pds;
  }

  static Calibration none() {
    return new Calibration(NONE, 0, 1, null, null);
  }

  static Calibration logistic(double intercept, double slope) {
    return new Calibration(LOGISTIC, intercept, slope, null, null);
  }

  /**
   * @param margins strictly increasing knots
   * @param pds non-decreasing PDs in [0, 1], one per knot
   */
  static Calibration isotonic(double[] margins, double[] pds) {
    return new Calibration(ISOTONIC, 0, 1, margins.clone(), pds.clone());
  }

  String kind() {
    return switch (kind) {
      case LOGISTIC -> "logistic";
      case ISOTONIC -> "isotonic";
      default -> "none";
    };
  }

  double pd(double margin) {
    if (kind == NONE) {
      return 1.0 / (1.0 + Math.exp(-margin));
    }
    if (kind == LOGISTIC) {
      return 1.0 / (1.0 + Math.exp(-(intercept + slope * margin)));
    }
    return isotonicPd(margin);
  }

  private double isotonicPd(double margin) {
    int n = margins.length;
    if (margin != margin) {
      return Double.NaN;
    }
    if (margin <= margins[0]) {
      return pds[0];
    }
    if (margin >= margins[n - 1]) {
      return pds[n - 1];
    }
    int lo = 0;
    int hi = n - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (margins[mid] <= margin) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double t = (margin - margins[lo]) / (margins[hi] - margins[lo]);
    return pds[lo] + t * (pds[hi] - pds[lo]);
  }
}

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
  record Range(double lower, double upper, double value) implements Bin {
    /**
     * The interval as people read it, with its real closure: {@code "[0.3, 0.6)"}, {@code "[-inf,
     * 0.3)"}, {@code "[0.6, +inf)"}; an end that is the double just above a short decimal (at most
     * 10 significant digits: a cut {@code x <= 0.6} is stored as {@code x < nextUp(0.6)}, as PMML's
     * {@code lessOrEqual} imports)
     * is shown at that decimal with the other bracket, {@code "(0.3, 0.6]"}. Both forms denote the
     * same doubles; the shorter names the cut as written. Ends have six significant digits (the
     * exact edges are in the bundle). Explanations, validation reports and documentation use this
     * one text.
     */
    public String label() {
      String from = lower == Double.NEGATIVE_INFINITY ? "[-inf"
          : justAbove(lower) ? "(" + readable(Math.nextDown(lower)) : "[" + readable(lower);
      String to = upper == Double.POSITIVE_INFINITY ? "+inf)"
          : justAbove(upper) ? readable(Math.nextDown(upper)) + "]" : readable(upper) + ")";
      return from + ", " + to;
    }

    /**
     * Whether {@code edge} is the double just above a decimal of at most 10 significant digits
     * (what a {@code <=} cut as written stores), itself needing at least 16: a cut fitted to data
     * is an arbitrary double, whose neighbour below is no shorter but by chance (0.9865047037601471
     * over 0.986504703760147, which was taken for such a cut until 2026-12-07 and flipped the
     * brackets of its bins' labels, against the scores).
     */
    private static boolean justAbove(double edge) {
      return Double.isFinite(edge) && significantDigits(Math.nextDown(edge)) <= 10 && significantDigits(edge) >= 16;
    }

    /** The significant digits of the shortest decimal that reads back as {@code v}. */
    private static int significantDigits(double v) {
      return v == 0 ? 1 : new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().precision();
    }

    private static String readable(double v) {
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        return Long.toString((long) v);
      }
      return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
  }

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

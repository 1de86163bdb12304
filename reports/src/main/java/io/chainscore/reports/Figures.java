package io.chainscore.reports;

import java.util.Locale;

/**
 * How a small ratio is written wherever a person reads it (the HTML reports and the console
 * summaries): to three significant digits, since a book of short receivables has coverages and EL
 * ratios like 0.0088% that two decimals show as 0.01% or 0.00%.
 *
 * <p>Thread safety: stateless.
 */
public final class Figures {
  private Figures() {}

  /** {@code v} to three significant digits, without an exponent (0.0140, 1.23, 12.3); 0 as 0.00. */
  public static String threeDigits(double v) {
    if (!Double.isFinite(v) || v == 0) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).toPlainString();
  }

  /** The share {@code v} as a percentage to three significant digits ({@code 0.000361} as 0.0361%); n/a for NaN. */
  public static String percentThreeDigits(double v) {
    return Double.isNaN(v) ? "n/a" : threeDigits(100 * v) + "%";
  }
}

package io.chainscore.reports;

import java.util.Locale;

/**
 * The one HTML escaper and the number formats of the reports: every text that reaches a page,
 * whether a supplier id, a grade, a scenario name or a model id, passes {@link #escape}.
 *
 * <p>Thread safety: stateless.
 */
final class Html {
  /** Inline style sheet shared by every report. */
  static final String STYLE = "body{font-family:sans-serif;margin:2em;color:#222;max-width:64em}"
      + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
      + "th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}"
      + "svg{background:#fafafa;border:1px solid #ddd;margin:0.5em 0}.note{color:#666;font-size:90%}"
      // a date on one line (2025-06-30 broke at its hyphens in a narrow column); prose, a cell of
      // sentences, left-aligned as text is read (right-aligned it was ragged on the left)
      + "td.nowrap{white-space:nowrap}td.prose,th.prose{text-align:left}"
      // free text (paths, hashes, lists: td.text) may break anywhere, a long word of any other cell
      // where it must, so that a table fits the printed line (at the screen's 16 px the document's
      // figures table, with its 64-digit SHA-256, and the bin tables of long categories ran past the
      // page's edge)
      + "td,th{overflow-wrap:break-word}td.text{overflow-wrap:anywhere}"
      // The print layout of every page: A4 with 12 mm margins (186 mm, 703 CSS pixels, of line),
      // body text at 10 pt and tables at 9 pt with narrow padding (3 px a side: monitor.html's twelve
      // columns, one of them a run's folder, were 708 pixels wide at 4), so that every table fits the
      // printed line, and a chart wider than the line scaled down to it (its viewBox keeps it whole).
      // Until 2026-12-08 only the model document had it: printed, portfolio.html's supplier
      // contributions ran past the page's right edge (HtmlInBrowserTest checks every page in print).
      // The same compact tables and scaled charts in a window narrower than 900 pixels (at 800,
      // monitor.html's runs table and portfolio.html's totals ran past the window's right edge).
      + "@page{size:A4;margin:12mm}@media print{body{margin:0}"
      + "h2,h3,h4{page-break-before:auto;page-break-after:avoid}table,svg{page-break-inside:avoid}}"
      + "@media print,(max-width:900px){body{max-width:none;font-size:10pt}table{font-size:9pt}"
      + "td,th{padding:2px 3px}svg{max-width:100%;height:auto;box-sizing:border-box}}";

  private Html() {}

  /**
   * The text with {@code & < > " '} replaced by character references, safe inside element content
   * and inside single- or double-quoted attribute values; null gives the empty string.
   */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * A file path or an identifier, escaped, that may break after each {@code /}, {@code _} and
   * {@code -} (a {@code <wbr>} there: the browser breaks no hyphen before a digit, as in
   * junit-920922595206166631), and nowhere else, so that a table with a column of run folders or
   * feature names fits the printed line (monitor.html's runs table was 731 pixels wide printed, on
   * a 703-pixel line, with growth_6m_vs_prior_6m in it, and 708 with a run in a JUnit folder).
   */
  static String breakable(String text) {
    return escape(text).replace("/", "/<wbr>").replace("_", "_<wbr>").replace("-", "-<wbr>");
  }

  /** The opening of a page: doctype, title (escaped), the shared style, and an h1 (escaped). */
  static void open(StringBuilder page, String title, String heading) {
    page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
        .append("</title><style>").append(STYLE).append("</style></head><body>\n<h1>").append(escape(heading))
        .append("</h1>\n");
  }

  /** The end of a page. */
  static void close(StringBuilder page) {
    page.append("</body></html>\n");
  }

  /** A whole amount with thousands separators; {@code n/a} for NaN. */
  static String money(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** A share as a percentage with two decimals; {@code n/a} for NaN. */
  static String percent(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  /** Two decimals. */
  static String decimal(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** Three decimals (an AUC in a chart's legend). */
  static String decimal3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /**
   * At most six significant digits, for statistics, without trailing zeros (0.01, not 0.0100000;
   * 0, not 0.00000 or -0.00000, which a person reads as a measured precision the figure does not
   * have); an exponent below 1e-4 as {@code %g} writes it (8.27036e-26); {@code n/a} for NaN.
   */
  static String statistic(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    String s = String.format(Locale.ROOT, "%.6g", v);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    if (mantissa.indexOf('.') >= 0) {
      mantissa = mantissa.replaceAll("0+$", "");
      if (mantissa.endsWith(".")) {
        mantissa = mantissa.substring(0, mantissa.length() - 1);
      }
    }
    if (mantissa.equals("-0")) {
      mantissa = "0";
    }
    return e < 0 ? mantissa : mantissa + s.substring(e);
  }

  /** A count with thousands separators. */
  static String count(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}

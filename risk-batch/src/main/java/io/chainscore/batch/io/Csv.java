package io.chainscore.batch.io;

import java.math.BigDecimal;

/** RFC 4180 text rules shared by the CSV reader and writer. */
final class Csv {
  private Csv() {}

  /** Appends the header row of {@code schema} (its column names, quoted where needed, then LF). */
  static void appendHeader(StringBuilder out, TableSchema schema) {
    java.util.List<TableSchema.Column> columns = schema.columns();
    for (int c = 0; c < columns.size(); c++) {
      if (c > 0) {
        out.append(',');
      }
      appendField(out, columns.get(c).name());
    }
    out.append('\n');
  }

  /** Appends {@code value}, quoted when it holds a comma, quote, CR or LF. */
  static void appendField(StringBuilder out, String value) {
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      out.append(value);
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        out.append('"');
      }
      out.append(c);
    }
    out.append('"');
  }

  /**
   * The shortest decimal that reads back as the same double, without an exponent; NaN and the
   * infinities are spelled {@code NaN}, {@code Infinity}, {@code -Infinity}.
   */
  static String formatDouble(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    String s = Double.toString(value);
    return s.indexOf('E') < 0 ? s : new BigDecimal(s).toPlainString();
  }
}

package io.chainscore.tables;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The one CSV writer of ChainScore: formats rows of RFC 4180 text into a caller-owned {@link
 * StringBuilder}, which the caller flushes to its file (atomically, resumably, as it needs).
 * Fields are separated by commas and rows end in LF; text is quoted only when it holds a comma,
 * quote, CR or LF. Numbers are the shortest decimal that reads back as the same double, without an
 * exponent; non-finite numbers are {@code NaN}, {@code Infinity}, {@code -Infinity}. Dates are
 * {@code YYYY-MM-DD}; booleans {@code true} and {@code false}. Everything written reads back
 * unchanged through {@link CsvReader}.
 *
 * <p>Thread safety: not thread-safe; one writer per output.
 */
public final class CsvWriter {
  private final StringBuilder out;
  private boolean firstField = true;

  /** A writer appending to {@code out}. */
  public CsvWriter(StringBuilder out) {
    this.out = out;
  }

  /** Writes the header row of {@code schema}: its column names. */
  public void header(TableSchema schema) {
    List<TableSchema.Column> columns = schema.columns();
    for (TableSchema.Column column : columns) {
      text(column.name());
    }
    endRow();
  }

  /** Writes a text field, quoted where needed; {@code null} is an empty field. */
  public CsvWriter text(String value) {
    separate();
    if (value == null) {
      return this;
    }
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      out.append(value);
      return this;
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
    return this;
  }

  /** Writes a number in the form described on the class. */
  public CsvWriter number(double value) {
    separate();
    out.append(formatNumber(value));
    return this;
  }

  /** Writes a whole number. */
  public CsvWriter integer(long value) {
    separate();
    out.append(value);
    return this;
  }

  /** Writes {@code true} or {@code false}. */
  public CsvWriter bool(boolean value) {
    separate();
    out.append(value ? "true" : "false");
    return this;
  }

  /** Writes the date of an epoch day as {@code YYYY-MM-DD}. */
  public CsvWriter date(int epochDay) {
    separate();
    out.append(LocalDate.ofEpochDay(epochDay));
    return this;
  }

  /** Writes an empty field (a missing value). */
  public CsvWriter empty() {
    separate();
    return this;
  }

  /** Ends the row. */
  public void endRow() {
    out.append('\n');
    firstField = true;
  }

  /**
   * The shortest decimal that reads back as the same double, without an exponent; NaN and the
   * infinities are spelled {@code NaN}, {@code Infinity}, {@code -Infinity}.
   */
  public static String formatNumber(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    String s = Double.toString(value);
    return s.indexOf('E') < 0 ? s : new BigDecimal(s).toPlainString();
  }

  private void separate() {
    if (firstField) {
      firstField = false;
    } else {
      out.append(',');
    }
  }
}

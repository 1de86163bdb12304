package io.chainscore.tables;

/**
 * Logical type of a table column, mapped to an Arrow type and a CSV text form (see {@link
 * CsvReader} for the strict CSV forms).
 *
 * <p>Thread safety: immutable.
 */
public enum ColumnType {
  /** UTF-8 text; Arrow Utf8. */
  STRING,
  /** Calendar date; Arrow Date(DAY); CSV ISO-8601 {@code yyyy-MM-dd}. */
  DATE,
  /** 64-bit float; Arrow Float8; CSV shortest round-trip decimal without exponent. */
  DOUBLE,
  /** 32-bit integer; Arrow Int(32, signed). */
  INT,
  /** 64-bit integer; Arrow Int(64, signed). */
  LONG,
  /** Boolean; Arrow Bool; CSV {@code true}/{@code false}. */
  BOOLEAN
}

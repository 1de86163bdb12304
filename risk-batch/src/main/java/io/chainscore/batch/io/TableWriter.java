package io.chainscore.batch.io;

import java.io.IOException;
import java.time.LocalDate;

/**
 * Writes the rows of one table, a value per column then {@link #endRow()}; the file appears at its
 * final path only when {@link #commit()} succeeds, so a crash never leaves a half-written table.
 *
 * <p>Thread safety: not thread-safe; one writer per thread.
 */
public interface TableWriter extends AutoCloseable {
  void setString(int column, String value);

  /** Sets a date; {@code null} writes an empty value. */
  void setDate(int column, LocalDate value);

  void setDouble(int column, double value);

  void setInt(int column, int value);

  /** Sets a {@link io.chainscore.tables.ColumnType#LONG} column (a quarantine's row numbers). */
  void setLong(int column, long value);

  void setBoolean(int column, boolean value);

  /** Marks a nullable column empty in the current row. */
  void setNull(int column);

  /** Completes the current row. */
  void endRow() throws IOException;

  /** Flushes and moves the finished file to its final path. */
  void commit() throws IOException;

  /** Deletes the temporary file unless {@link #commit()} succeeded. */
  @Override
  void close() throws IOException;

  /** Output formats. */
  enum Format {
    CSV("csv"),
    ARROW("arrow"),
    PARQUET("parquet");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    /** File name extension without the dot. */
    public String extension() {
      return extension;
    }

    /** Parses {@code csv}, {@code arrow} or {@code parquet}, ignoring case. */
    public static Format parse(String text) {
      for (Format f : values()) {
        if (f.extension.equalsIgnoreCase(text)) {
          return f;
        }
      }
      throw new IllegalArgumentException("unknown format '" + text + "'; expected csv, arrow or parquet");
    }
  }
}

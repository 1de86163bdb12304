package io.chainscore.tables;

import java.util.List;

/**
 * Name and ordered columns of a table that ChainScore reads or writes, in any format.
 *
 * <p>Thread safety: immutable.
 *
 * @param name table name, also the file's base name ({@code invoices.csv}, {@code invoices.arrow})
 * @param columns columns in file order; copied
 */
public record TableSchema(String name, List<Column> columns) {
  /**
   * One column.
   *
   * @param name snake_case column name, the CSV header and Arrow field name
   * @param type logical type
   * @param nullable whether empty (CSV) or null (Arrow) values are allowed
   * @param optional whether a file may leave the column out altogether (read as empty in every
   *     row); an optional column is nullable
   */
  public record Column(String name, ColumnType type, boolean nullable, boolean optional) {
    public Column {
      if (optional && !nullable) {
        throw new IllegalArgumentException("column " + name + ": an optional column must be nullable");
      }
    }

    /** A column every file has. */
    public Column(String name, ColumnType type, boolean nullable) {
      this(name, type, nullable, false);
    }
  }

  public TableSchema {
    columns = List.copyOf(columns);
  }

  /** A required column. */
  public static Column required(String name, ColumnType type) {
    return new Column(name, type, false);
  }

  /** A column that may be empty. */
  public static Column nullable(String name, ColumnType type) {
    return new Column(name, type, true);
  }

  /**
   * A column a file may leave out, or leave empty: a reader gives empty (null, NaN) values for
   * it; writers write it as a nullable column.
   */
  public static Column optional(String name, ColumnType type) {
    return new Column(name, type, true, true);
  }

  /** The position of a column, or -1. */
  public int indexOf(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    return -1;
  }
}

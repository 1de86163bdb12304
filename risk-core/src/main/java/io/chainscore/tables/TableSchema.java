package io.chainscore.tables;

import java.time.ZoneId;
import java.util.List;

/**
 * Name and ordered columns of a table that ChainScore reads or writes, in any format.
 *
 * <p>Thread safety: immutable.
 *
 * @param name table name, also the file's base name ({@code invoices.csv}, {@code invoices.arrow})
 * @param columns columns in file order; copied
 * @param timeZone the zone in which a reader takes the calendar date of a DATE column that a file
 *     stores as instants (Parquet timestamps adjusted to UTC and INT96, Arrow timestamps with a
 *     zone): the date the instant falls on there, as Spark's {@code spark.sql.session.timeZone} and
 *     DuckDB's {@code TimeZone} cast them; null (the tables' own layouts) refuses such a column,
 *     since the same instant falls on different dates in different zones. Dates, text dates and
 *     timestamps without a zone do not depend on it. Writers ignore it.
 */
public record TableSchema(String name, List<Column> columns, ZoneId timeZone) {
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

  /**
   * What the readers' messages tell a user whose date column holds instants and who gave no zone:
   * the one wording of the option, for every format.
   */
  public static final String GIVE_A_ZONE = "give the zone whose dates are meant, as features, score, monitor, ecl,"
      + " train, validate, bins and document do with --time-zone (e.g. UTC or Europe/Berlin)";

  /** A layout whose instants are refused as dates (no {@link #timeZone}). */
  public TableSchema(String name, List<Column> columns) {
    this(name, columns, null);
  }

  /** This layout reading instants as their dates in {@code zone} (null: refusing them), see {@link #timeZone}. */
  public TableSchema withTimeZone(ZoneId zone) {
    return java.util.Objects.equals(zone, timeZone) ? this : new TableSchema(name, columns, zone);
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

  /**
   * A column name in snake_case: lower case, each character other than a-z, 0-9 and _ made _, and
   * f before a name that does not start with a letter ({@code Mean Radius} is {@code mean_radius},
   * {@code LOAN} is {@code loan}, {@code 1st} is {@code f1st}). The one spelling rule of the names
   * tables are read by: {@code train} names features so, and {@link #columnIn} finds a table's
   * column so.
   */
  public static String snakeCase(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    StringBuilder b = new StringBuilder(lower.length() + 1);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
    }
    if (b.length() == 0 || !(b.charAt(0) >= 'a' && b.charAt(0) <= 'z')) {
      b.insert(0, 'f');
    }
    return b.toString();
  }

  /**
   * The position among a file's column names {@code names} of the column every reader takes for
   * {@code column}: the one spelled exactly so, else the one whose {@link #snakeCase} spelling it
   * is ({@code LOAN} or {@code Loan} for {@code loan}, {@code mean radius} for {@code mean_radius});
   * -1 when there is none. So a table with the headers a model was trained on is read by that
   * model, whatever the format (CSV header, Arrow field, Parquet column, Spark column).
   *
   * @param file the file's name, as the refusal names it
   * @throws InputFormatException (the header, naming {@code column}) when no column is spelled
   *     exactly so and two or more are that name in snake_case: which one is meant is not known
   */
  public static int columnIn(List<String> names, String column, String file) {
    int exact = names.indexOf(column);
    if (exact >= 0) {
      return exact;
    }
    int found = -1;
    for (int i = 0; i < names.size(); i++) {
      if (snakeCase(names.get(i)).equals(column)) {
        if (found >= 0) {
          throw new InputFormatException(file, 0, column, "both " + names.get(found) + " and " + names.get(i)
              + " are " + column + " in snake_case, and none is spelled exactly so; rename or drop one of them");
        }
        found = i;
      }
    }
    return found;
  }

  /**
   * What a reader expects of a table of this layout, for the refusal of a missing column: {@code
   * "columns supplier_id, pd (optional: grade, model_id)"}, required columns first, in layout
   * order. The one wording of every reader's (CSV, Arrow IPC and Parquet).
   */
  public String expectedColumns() {
    StringBuilder names = new StringBuilder();
    StringBuilder optional = new StringBuilder();
    for (Column k : columns()) {
      StringBuilder to = k.optional() ? optional : names;
      to.append(to.length() == 0 ? "" : ", ").append(k.name());
    }
    return "columns " + names + (optional.length() == 0 ? "" : " (optional: " + optional + ")");
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

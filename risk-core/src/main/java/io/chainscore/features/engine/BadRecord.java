package io.chainscore.features.engine;

/**
 * An input row the {@link FeatureEngine} refused, reported to the caller's quarantine sink
 * instead of failing the run.
 *
 * @param table {@code "invoice"} or {@code "instalment"}
 * @param file the file the row was read from, as its reader named it (for a table read from files:
 *     {@code portfolio/invoices.csv}, or the part file of a table directory); null where rows come
 *     from no file (the engine's own reports, before a file reader places them)
 * @param row position of the row in its input stream, counting from 0 across all chunks; for a
 *     row placed in {@code file}, its 1-based data row there
 * @param recordId the row's id when it was read ({@link #readId}), else {@link #UNKNOWN_ID} from a
 *     reader, or {@code "row <n>"} from the engine
 * @param field the field at fault, by its column name in the portfolio tables (see {@link
 *     io.chainscore.trade.TradeRules}), the names every reader and engine reports
 * @param reason what is wrong and what was expected
 */
public record BadRecord(String table, String file, long row, String recordId, String field, String reason) {
  /** The record id a reader reports for a refused row whose id it did not read. */
  public static final String UNKNOWN_ID = "?";

  /**
   * Whether a reader had read the id of a row it refused at {@code faultColumn} (null: the record as
   * a whole, not one column): every reader checks and reads a row's id, its table layout's first
   * column {@code idColumn}, before the others, so it has when the fault is in another column.
   */
  public static boolean idRead(String faultColumn, String idColumn) {
    return faultColumn != null && !faultColumn.equals(idColumn);
  }

  /**
   * The one rule for the id a reader reports with a row it refused at {@code faultColumn}: {@code
   * idValue}, the row's value of the id column {@code idColumn}, when the id was read ({@link
   * #idRead}) and is not empty; else null. Every reader (CSV, Arrow, Parquet, and Spark's) reports
   * through it, so a row refused on one machine and on Spark carries the same id.
   */
  public static String readId(String faultColumn, String idColumn, String idValue) {
    return idRead(faultColumn, idColumn) && idValue != null && !idValue.isEmpty() ? idValue : null;
  }

  /** {@code id}, or {@link #UNKNOWN_ID} when it is null. */
  public static String idOrUnknown(String id) {
    return id != null ? id : UNKNOWN_ID;
  }

  /** A refused row that no file places (the engine's own reports). */
  public BadRecord(String table, long row, String recordId, String field, String reason) {
    this(table, null, row, recordId, field, reason);
  }

  /** This report placed at data row {@code row} of {@code file}. */
  public BadRecord at(String file, long row) {
    return new BadRecord(table, file, row, recordId, field, reason);
  }

  /** The message a failing run throws for this row. */
  public String message() {
    return table + " " + recordId + " (" + (file != null ? file + ", row " : "input row ") + row + "): " + field
        + " " + reason;
  }
}

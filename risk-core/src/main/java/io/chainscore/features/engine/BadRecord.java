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
 * @param recordId the invoice id when the reader supplied one, else {@code "row <n>"}
 * @param field the field at fault, by its column name in the portfolio tables (see {@link
 *     io.chainscore.trade.TradeRules}), the names every reader and engine reports
 * @param reason what is wrong and what was expected
 */
public record BadRecord(String table, String file, long row, String recordId, String field, String reason) {
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

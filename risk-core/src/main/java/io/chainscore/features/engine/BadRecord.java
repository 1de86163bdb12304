package io.chainscore.features.engine;

/**
 * An input row the {@link FeatureEngine} refused, reported to the caller's quarantine sink
 * instead of failing the run.
 *
 * @param table {@code "invoice"} or {@code "instalment"}
 * @param row position of the row in its input stream, counting from 0 across all chunks
 * @param recordId the invoice id when the reader supplied one, else {@code "row <n>"}
 * @param field the field at fault, by its column name in the portfolio tables (see {@link
 *     io.chainscore.trade.TradeRules}), the names every reader and engine reports
 * @param reason what is wrong and what was expected
 */
public record BadRecord(String table, long row, String recordId, String field, String reason) {
  /** The message a failing run throws for this row. */
  public String message() {
    return table + " " + recordId + " (input row " + row + "): " + field + " " + reason;
  }
}

package io.chainscore.trade;

/**
 * A trade record broke a rule of the data model; the message names the record type, the
 * record's id, the field at fault and what was expected.
 *
 * <p>Thread safety: immutable.
 */
public final class TradeRecordException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String recordType;
  private final String recordId;
  private final String field;
  private final String problem;

  /**
   * Creates the exception for one field of one record.
   *
   * @param recordType for example {@code "invoice"}
   * @param recordId the record's id, or {@code "?"} when the id itself is at fault
   * @param field the field at fault, as named in the record
   * @param problem what is wrong and what was expected
   */
  public TradeRecordException(String recordType, String recordId, String field, String problem) {
    super(recordType + " " + recordId + ": " + field + " " + problem);
    this.recordType = recordType;
    this.recordId = recordId;
    this.field = field;
    this.problem = problem;
  }

  /** The type of the record at fault, for example {@code "invoice"}. */
  public String recordType() {
    return recordType;
  }

  /** The id of the record at fault, or {@code "?"} when unknown. */
  public String recordId() {
    return recordId;
  }

  /** The field at fault. */
  public String field() {
    return field;
  }

  /**
   * What is wrong and what was expected, without record or field: what a table reader puts after
   * {@code FILE, row N, column FIELD: } when the record came from a row of a table ({@link
   * io.chainscore.tables.InputFormatException}).
   */
  public String problem() {
    return problem;
  }
}

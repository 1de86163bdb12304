package io.chainscore.tables;

/**
 * An input file cannot be read as the expected table; the message names the file, and where it
 * applies the 1-based data row and the column, and what was expected. A problem of the header
 * (row 0) names no row: {@code FILE, column X: missing from the header}.
 *
 * <p>Thread safety: immutable.
 */
public final class InputFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long row;
  private final String column;
  private final String problem;
  private final String recordId;

  /**
   * @param file the file's name or path
   * @param row 1-based data row, 0 for the header, -1 for the file as a whole
   * @param column the column's name, or {@code null} when the problem is not in one column
   * @param problem what is wrong and what was expected
   */
  public InputFormatException(String file, long row, String column, String problem) {
    this(file, row, column, problem, null);
  }

  private InputFormatException(String file, long row, String column, String problem, String recordId) {
    // the header is not a row of data: "FILE, column X: missing from the header", never "row 0"
    super(file + (row > 0 ? ", row " + row : "") + (column != null ? ", column " + column : "") + ": " + problem);
    this.file = file;
    this.row = row;
    this.column = column;
    this.problem = problem;
    this.recordId = recordId;
  }

  /**
   * A column missing from a table's header, as the readers say it: {@code FILE, column X: missing
   * from the header (WHAT); the header has [A, B]}, the header left out when {@code header} is null
   * (a wide feature table). The one wording of the model developer's readers (target, join keys,
   * --weight, --cohort, a characteristic) and the table readers' ({@link CsvReader#columnsOf}).
   *
   * @param what what the column is for, e.g. "the target"
   */
  public static InputFormatException missingColumn(String file, String column, String what,
      java.util.List<String> header) {
    return new InputFormatException(file, 0, column, "missing from the header (" + what + ")"
        + (header == null ? "" : "; the header has " + header));
  }

  /**
   * A column missing from both tables it may come from (a --weight column of the features or of
   * the labels), in {@link #missingColumn}'s wording as far as it fits two files: {@code F and L,
   * column X: missing from both headers (WHAT); F's header has [A, B]; L's header has [C, D]}.
   *
   * @param what what the column is for, e.g. "the --weight column"
   */
  public static InputFormatException missingColumn(String file, java.util.List<String> header, String otherFile,
      java.util.List<String> otherHeader, String column, String what) {
    return new InputFormatException(file + " and " + otherFile, 0, column, "missing from both headers (" + what
        + "); " + file + "'s header has " + header + "; " + otherFile + "'s header has " + otherHeader);
  }

  /**
   * This refusal of a row with the row's record id, {@code recordId}, which a reader gives when the
   * row's id column (the first column of every trade table) was read before the fault was found;
   * the same exception when {@code recordId} is null. The message does not change.
   */
  public InputFormatException withRecordId(String recordId) {
    if (recordId == null) {
      return this;
    }
    return new InputFormatException(file, row, column, problem, recordId);
  }

  /**
   * The id of the refused row's record, when the reader could read it ({@link #withRecordId}); null
   * when the id itself is missing or unreadable, the fault is not in one row, or the reader does not say.
   */
  public String recordId() {
    return recordId;
  }

  /**
   * No stack trace: a refusal is about the input, not the code, and is reported as one line naming
   * file, row and column (never a stack trace); the readers raise one per bad row, a file may hold
   * millions, and recording the frames of each (twice for a row named by its id) made reading a file
   * of refused rows markedly slower (PrefetchingReaderTest's files of all-bad row groups took 1.7-2.6x
   * as long).
   */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  public String file() {
    return file;
  }

  /** 1-based data row, 0 for the header, -1 for the whole file. */
  public long row() {
    return row;
  }

  /** The column at fault, or {@code null}. */
  public String column() {
    return column;
  }

  /**
   * What is wrong and what was expected, without file, row or column: the reason a quarantine
   * file records (read it here rather than cutting it out of the message).
   */
  public String problem() {
    return problem;
  }
}

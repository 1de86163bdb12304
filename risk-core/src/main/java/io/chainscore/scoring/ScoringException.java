package io.chainscore.scoring;

/**
 * One input row was refused by the bundle's feature policies: a missing value where the policy is
 * {@code reject}, a value outside the feature's valid range where the policy is {@code reject}, a
 * categorical value that is not a category index, or more missing features than the bundle's
 * {@code max_missing_share} allows (the message then lists them, and {@link #feature()} is the
 * first). The message names the row and the feature;
 * {@link #reason()} and {@link #column()} say the same as data.
 *
 * <p>Thrown by {@link Scorer#score} and {@link Scorer#explain} and by the {@code scoreBatch}
 * overload without a {@link RowRefusals}; the overload with one reports refused rows there
 * instead and scores the rest. Unchecked, and an {@link IllegalArgumentException} because it is
 * always bad input, never a defect: callers (the CLI's exit codes among them) may rely on that.
 *
 * <p>Thread safety: immutable.
 */
public final class ScoringException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int rowIndex;
  private final int column;
  private final String feature;
  private final RowRefusals.Reason reason;
  private final String problem;

  /**
   * @param rowIndex index of the refused row within the batch (0 for single-row scoring)
   * @param column schema index of the feature at fault
   * @param feature name of the feature at fault
   * @param reason which policy refused the value
   * @param problem what is wrong with the value ({@link RowRefusals.Reason#describe})
   */
  public ScoringException(int rowIndex, int column, String feature, RowRefusals.Reason reason, String problem) {
    super("row " + rowIndex + (reason == RowRefusals.Reason.TOO_MANY_MISSING ? "" : ", feature " + feature) + ": "
        + problem);
    this.rowIndex = rowIndex;
    this.column = column;
    this.feature = feature;
    this.reason = reason;
    this.problem = problem;
  }

  /** Index of the refused row within the batch; 0 for single-row scoring. */
  public int rowIndex() {
    return rowIndex;
  }

  /** Schema index of the feature whose value was refused. */
  public int column() {
    return column;
  }

  /** Name of the feature whose value was refused. */
  public String feature() {
    return feature;
  }

  /** Which policy refused the value. */
  public RowRefusals.Reason reason() {
    return reason;
  }

  /** What is wrong with the value, without row or feature: the quarantine file's reason text. */
  public String problem() {
    return problem;
  }
}

package io.chainscore.scoring;

/**
 * One input row was refused by the bundle's feature policies: a missing value where the policy is
 * {@code reject}, a value outside the feature's valid range where the policy is {@code reject}, or
 * a categorical value that is not a category index. The message names the row and the feature.
 *
 * <p>Unchecked so that a batch caller can quarantine the row (see {@link #rowIndex()}) and go on.
 */
public final class ScoringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int rowIndex;
  private final String feature;

  /**
   * @param rowIndex index of the refused row within the batch (0 for single-row scoring)
   * @param feature name of the feature at fault
   * @param problem what is wrong with the value
   */
  public ScoringException(int rowIndex, String feature, String problem) {
    super("row " + rowIndex + ", feature " + feature + ": " + problem);
    this.rowIndex = rowIndex;
    this.feature = feature;
  }

  /** Index of the refused row within the batch; 0 for single-row scoring. */
  public int rowIndex() {
    return rowIndex;
  }

  /** Name of the feature whose value was refused. */
  public String feature() {
    return feature;
  }
}

package io.chainscore.scoring;

/**
 * Why a bundle's feature policies refused an input row: the three checks {@link Scorer} applies to
 * every value before the model sees it.
 *
 * <p>Reported per row by {@link Scorer#scoreBatch(double[], int, int, double[], double[], int[],
 * int[], RowRefusals)} into a {@link RowRefusals}, and by {@link ScoringException#reason()} for the
 * calls that throw. {@link #describe} gives the human-readable problem that the batch engine writes
 * to its quarantine file, so nobody has to parse an exception message to recover it.
 *
 * <p>Thread safety: an enum; immutable.
 */
public enum RefusalReason {
  /** A missing value (NaN) in a feature whose missing-value policy is {@code reject}. */
  MISSING_VALUE,
  /**
   * A value outside the feature's valid range {@code [min, max]} (infinities included) where the
   * range policy is {@code reject}; for a categorical feature, an index past its last category.
   */
  OUT_OF_RANGE,
  /** A categorical feature's value that is not a whole number, hence no category index. */
  NOT_A_CATEGORY_INDEX;

  /**
   * The problem as one line, without row or feature, for example {@code value 1.5 outside the
   * valid range [0.0, 1.0]}: the text of the quarantine file's reason column.
   *
   * @param value the refused value (NaN for {@link #MISSING_VALUE})
   * @param min the feature's smallest valid value
   * @param max the feature's largest valid value
   */
  public String describe(double value, double min, double max) {
    switch (this) {
      case MISSING_VALUE:
        return "missing value (NaN) refused by the feature's missing-value policy";
      case OUT_OF_RANGE:
        return "value " + value + " outside the valid range [" + min + ", " + max + "]";
      default:
        return "categorical value " + value + " is not a category index";
    }
  }
}

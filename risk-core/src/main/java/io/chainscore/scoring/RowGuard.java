package io.chainscore.scoring;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureType;

/**
 * Applies the bundle's per-feature policies to an input row: what to do with a missing value
 * ({@code pass} to the model, {@code reject}, or {@code impute} a fixed value) and with a value
 * outside the feature's valid range ({@code reject} or {@code clamp} to the range). A categorical
 * value that is not a valid category index is always refused.
 */
final class RowGuard {
  static final byte MISSING_PASS = 0;
  static final byte MISSING_REJECT = 1;
  static final byte MISSING_IMPUTE = 2;
  static final byte RANGE_REJECT = 0;
  static final byte RANGE_CLAMP = 1;

  private final String[] names;
  private final double[] min;
  private final double[] max;
  private final int[] categoricalColumns;
  private final byte[] missingPolicy;
  private final double[] imputeValue;
  private final byte[] rangePolicy;

  RowGuard(FeatureSchema schema, byte[] missingPolicy, double[] imputeValue, byte[] rangePolicy) {
    int n = schema.size();
    this.names = new String[n];
    this.min = new double[n];
    this.max = new double[n];
    int categorical = 0;
    for (int j = 0; j < n; j++) {
      names[j] = schema.feature(j).name();
      min[j] = schema.feature(j).min();
      max[j] = schema.feature(j).max();
      if (schema.feature(j).type() == FeatureType.CATEGORICAL) {
        categorical++;
      }
    }
    this.categoricalColumns = new int[categorical];
    for (int j = 0, k = 0; j < n; j++) {
      if (schema.feature(j).type() == FeatureType.CATEGORICAL) {
        categoricalColumns[k++] = j;
      }
    }
    this.missingPolicy = missingPolicy.clone();
    this.imputeValue = imputeValue.clone();
    this.rangePolicy = rangePolicy.clone();
  }

  int width() {
    return names.length;
  }

  double min(int column) {
    return min[column];
  }

  double max(int column) {
    return max[column];
  }

  /** Whether a missing value in the column goes to the model as it is. */
  boolean passesMissing(int column) {
    return missingPolicy[column] == MISSING_PASS;
  }

  int[] categoricalColumns() {
    return categoricalColumns.clone();
  }

  /**
   * Whether the model can take the row as it is: every value in range (or missing where the policy
   * passes missing values on) and every categorical value an index.
   */
  boolean isClean(double[] rows, int offset) {
    int n = min.length;
    for (int j = 0; j < n; j++) {
      double x = rows[offset + j];
      if (!(x >= min[j] && x <= max[j]) && !(x != x && missingPolicy[j] == MISSING_PASS)) {
        return false;
      }
    }
    for (int k = 0; k < categoricalColumns.length; k++) {
      double x = rows[offset + categoricalColumns[k]];
      if (x != Math.rint(x)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Copies the row to {@code out[0 .. width)} applying the policies.
   *
   * @throws ScoringException when a policy refuses a value
   */
  void repair(double[] rows, int offset, double[] out, int rowIndex) {
    int refusal = repairOrRefuse(rows, offset, out);
    if (refusal >= 0) {
      throw refusal(refusal, rowIndex, refusedValue(refusal, rows, offset, out));
    }
  }

  /**
   * Copies the row to {@code out[0 .. width)} applying the policies, or stops at the first value a
   * policy refuses (out is then partly written).
   *
   * @return -1 when the row was repaired, else the refusal as {@code column << 2 | reason ordinal}
   *     (see {@link #refusedColumn} and {@link #refusedReason}); an int rather than an object so
   *     that refusing allocates nothing
   */
  int repairOrRefuse(double[] rows, int offset, double[] out) {
    int n = min.length;
    for (int j = 0; j < n; j++) {
      double x = rows[offset + j];
      if (x != x) {
        if (missingPolicy[j] == MISSING_REJECT) {
          return j << 2 | MISSING_VALUE;
        }
        if (missingPolicy[j] == MISSING_IMPUTE) {
          x = imputeValue[j];
        }
      } else if (x < min[j] || x > max[j]) {
        if (rangePolicy[j] == RANGE_REJECT) {
          return j << 2 | OUT_OF_RANGE;
        }
        x = x < min[j] ? min[j] : max[j];
      }
      out[j] = x;
    }
    for (int k = 0; k < categoricalColumns.length; k++) {
      int j = categoricalColumns[k];
      double x = out[j];
      if (x == x && x != Math.rint(x)) {
        return j << 2 | NOT_A_CATEGORY_INDEX;
      }
    }
    return -1;
  }

  private static final int MISSING_VALUE = 0;
  private static final int OUT_OF_RANGE = 1;
  private static final int NOT_A_CATEGORY_INDEX = 2;
  private static final RowRefusals.Reason[] REASONS = {
    RowRefusals.Reason.MISSING_VALUE, RowRefusals.Reason.OUT_OF_RANGE, RowRefusals.Reason.NOT_A_CATEGORY_INDEX
  };

  /** The column of a refusal from {@link #repairOrRefuse}. */
  static int refusedColumn(int refusal) {
    return refusal >>> 2;
  }

  /** The reason of a refusal from {@link #repairOrRefuse}. */
  static RowRefusals.Reason refusedReason(int refusal) {
    return REASONS[refusal & 3];
  }

  /**
   * The refused value: as read for a missing or out-of-range value, as repaired (after imputation
   * or clamping) for a categorical value that is no index, which is the value the check saw.
   */
  static double refusedValue(int refusal, double[] rows, int offset, double[] out) {
    int column = refusedColumn(refusal);
    return (refusal & 3) == NOT_A_CATEGORY_INDEX ? out[column] : rows[offset + column];
  }

  /** The exception for a refusal of row {@code rowIndex}. */
  ScoringException refusal(int refusal, int rowIndex, double value) {
    int column = refusedColumn(refusal);
    RowRefusals.Reason reason = refusedReason(refusal);
    return new ScoringException(rowIndex, column, names[column], reason,
        reason.describe(value, min[column], max[column]));
  }
}

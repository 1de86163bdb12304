package io.chainscore.scoring;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureType;

/**
 * Applies the bundle's per-feature policies to an input row: what to do with a missing value
 * ({@code pass} to the model, {@code reject}, or {@code impute} a fixed value) and with a value
 * outside the feature's valid range ({@code reject} or {@code clamp} to the range). A categorical
 * value that is not a valid category index is always refused, and so is a value with a fraction in
 * a whole-number feature ({@link io.chainscore.features.FeatureSpec#wholeNumber}).
 *
 * <p>A valid range holds finite numbers only: a feature without a {@code min} or {@code max} is
 * bounded there by the largest finite double, so an infinity is out of range for every feature
 * (refused under {@code reject}, clamped to the largest finite value under {@code clamp}). No
 * feature the library computes is infinite; an infinity is a caller's division by zero, and
 * scoring it as the last bin would reward it.
 */
final class RowGuard {
  static final byte MISSING_PASS = 0;
  static final byte MISSING_REJECT = 1;
  static final byte MISSING_IMPUTE = 2;
  static final byte RANGE_REJECT = 0;
  static final byte RANGE_CLAMP = 1;

  private final String[] names;
  /** The valid range as checked: the spec's bounds, infinite ones replaced by the largest finite doubles. */
  private final double[] min;
  private final double[] max;
  /** The spec's own bounds, as messages state the range. */
  private final double[] specMin;
  private final double[] specMax;
  /** The columns that take whole numbers only: categorical ones and those declared whole-number. */
  private final int[] integralColumns;
  private final int[] categoricalColumns;
  /** Per column: whether it is a numeric feature of whole numbers only. */
  private final boolean[] wholeNumber;
  private final byte[] missingPolicy;
  private final double[] imputeValue;
  private final byte[] rangePolicy;
  /** The columns the model reads; the missing-share limit counts missing values among these. */
  private final int[] usedColumns;
  /** The bundle's max_missing_share; 1 when it declares none. */
  private final double maxMissingShare;
  /** Most missing used values a row may have; usedColumns.length when there is no limit. */
  private final int maxMissing;

  /** A guard without a missing-share limit. */
  RowGuard(FeatureSchema schema, byte[] missingPolicy, double[] imputeValue, byte[] rangePolicy) {
    this(schema, missingPolicy, imputeValue, rangePolicy, new int[0], 1.0);
  }

  /**
   * A guard that also refuses a row when more than {@code maxMissingShare} of {@code usedColumns}
   * are missing (NaN as given, before any imputation).
   */
  RowGuard(FeatureSchema schema, byte[] missingPolicy, double[] imputeValue, byte[] rangePolicy, int[] usedColumns,
      double maxMissingShare) {
    int n = schema.size();
    this.names = new String[n];
    this.min = new double[n];
    this.max = new double[n];
    this.specMin = new double[n];
    this.specMax = new double[n];
    this.wholeNumber = new boolean[n];
    boolean[] categorical = new boolean[n];
    for (int j = 0; j < n; j++) {
      names[j] = schema.feature(j).name();
      specMin[j] = schema.feature(j).min();
      specMax[j] = schema.feature(j).max();
      min[j] = Math.max(specMin[j], -Double.MAX_VALUE);
      max[j] = Math.min(specMax[j], Double.MAX_VALUE);
      categorical[j] = schema.feature(j).type() == FeatureType.CATEGORICAL;
      wholeNumber[j] = schema.feature(j).wholeNumber();
    }
    this.categoricalColumns = java.util.stream.IntStream.range(0, n).filter(j -> categorical[j]).toArray();
    this.integralColumns = java.util.stream.IntStream.range(0, n).filter(j -> categorical[j] || wholeNumber[j]).toArray();
    this.missingPolicy = missingPolicy.clone();
    this.imputeValue = imputeValue.clone();
    this.rangePolicy = rangePolicy.clone();
    this.usedColumns = usedColumns.clone();
    this.maxMissingShare = maxMissingShare;
    // the largest count m with m / used <= share, in the same double arithmetic as the rule reads
    int allowed = 0;
    while (allowed < usedColumns.length && (double) (allowed + 1) / usedColumns.length <= maxMissingShare) {
      allowed++;
    }
    this.maxMissing = allowed;
  }

  /** Whether some rows can be refused for too many missing values. */
  boolean limitsMissing() {
    return maxMissing < usedColumns.length;
  }

  /** Number of features the model reads. */
  int usedCount() {
    return usedColumns.length;
  }

  /** The bundle's max_missing_share (1 when it declares none). */
  double maxMissingShare() {
    return maxMissingShare;
  }

  /** Number of missing (NaN) values among the columns the model reads. */
  int missingUsed(double[] rows, int offset) {
    int missing = 0;
    for (int k = 0; k < usedColumns.length; k++) {
      double x = rows[offset + usedColumns[k]];
      missing += x != x ? 1 : 0;
    }
    return missing;
  }

  /** Whether the row has more missing used values than the bundle allows. Allocates nothing. */
  boolean tooManyMissing(double[] rows, int offset) {
    return maxMissing < usedColumns.length && missingUsed(rows, offset) > maxMissing;
  }

  int width() {
    return names.length;
  }

  /** The column's lowest valid value: the spec's {@code min}, or {@code -Double.MAX_VALUE} when it has none. */
  double min(int column) {
    return min[column];
  }

  /** The column's highest valid value: the spec's {@code max}, or {@code Double.MAX_VALUE} when it has none. */
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

  /** The columns that take whole numbers only: categorical ones and whole-number numeric ones. */
  int[] integralColumns() {
    return integralColumns.clone();
  }

  /**
   * Whether the model can take the row as it is: every value in range (or missing where the policy
   * passes missing values on), every categorical value an index and every whole-number feature's
   * value whole.
   */
  boolean isClean(double[] rows, int offset) {
    if (tooManyMissing(rows, offset)) {
      return false;
    }
    int n = min.length;
    for (int j = 0; j < n; j++) {
      double x = rows[offset + j];
      if (!(x >= min[j] && x <= max[j]) && !(x != x && missingPolicy[j] == MISSING_PASS)) {
        return false;
      }
    }
    for (int k = 0; k < integralColumns.length; k++) {
      double x = rows[offset + integralColumns[k]];
      // NaN too: a missing value here is taken through repairOrRefuse, which passes it on or refuses it
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
      throw refusal(refusal, rowIndex, refusedValue(refusal, rows, offset, out), rows, offset);
    }
  }

  /**
   * Copies the row to {@code out[0 .. width)} applying the policies, or stops at the first value a
   * policy refuses (out is then partly written).
   *
   * @return -1 when the row was repaired, else the refusal as {@code column << 3 | reason ordinal}
   *     (see {@link #refusedColumn} and {@link #refusedReason}); an int rather than an object so
   *     that refusing allocates nothing
   */
  int repairOrRefuse(double[] rows, int offset, double[] out) {
    if (tooManyMissing(rows, offset)) {
      int first = 0;
      while (rows[offset + usedColumns[first]] == rows[offset + usedColumns[first]]) {
        first++;
      }
      return usedColumns[first] << 3 | TOO_MANY_MISSING;
    }
    int n = min.length;
    for (int j = 0; j < n; j++) {
      double x = rows[offset + j];
      if (x != x) {
        if (missingPolicy[j] == MISSING_REJECT) {
          return j << 3 | MISSING_VALUE;
        }
        if (missingPolicy[j] == MISSING_IMPUTE) {
          x = imputeValue[j];
        }
      } else if (wholeNumber[j] && x != Math.rint(x)) {
        // as given, before any clamping, as a PMML evaluator reads an integer field's value
        return j << 3 | NOT_A_WHOLE_NUMBER;
      } else if (x < min[j] || x > max[j]) {
        if (rangePolicy[j] == RANGE_REJECT) {
          return j << 3 | OUT_OF_RANGE;
        }
        x = x < min[j] ? min[j] : max[j];
      }
      out[j] = x;
    }
    for (int k = 0; k < categoricalColumns.length; k++) {
      int j = categoricalColumns[k];
      double x = out[j];
      if (x == x && x != Math.rint(x)) {
        return j << 3 | NOT_A_CATEGORY_INDEX;
      }
    }
    return -1;
  }

  private static final int MISSING_VALUE = 0;
  private static final int OUT_OF_RANGE = 1;
  private static final int NOT_A_CATEGORY_INDEX = 2;
  private static final int TOO_MANY_MISSING = 3;
  private static final int NOT_A_WHOLE_NUMBER = 4;
  private static final RowRefusals.Reason[] REASONS = {
    RowRefusals.Reason.MISSING_VALUE, RowRefusals.Reason.OUT_OF_RANGE, RowRefusals.Reason.NOT_A_CATEGORY_INDEX,
    RowRefusals.Reason.TOO_MANY_MISSING, RowRefusals.Reason.NOT_A_WHOLE_NUMBER
  };

  /** The column of a refusal from {@link #repairOrRefuse}. */
  static int refusedColumn(int refusal) {
    return refusal >>> 3;
  }

  /** The reason of a refusal from {@link #repairOrRefuse}. */
  static RowRefusals.Reason refusedReason(int refusal) {
    return REASONS[refusal & 7];
  }

  /**
   * The refused value: as read for a missing or out-of-range value, as repaired (after imputation
   * or clamping) for a categorical value that is no index, which is the value the check saw; for
   * too many missing values, their number.
   */
  double refusedValue(int refusal, double[] rows, int offset, double[] out) {
    int column = refusedColumn(refusal);
    if ((refusal & 7) == TOO_MANY_MISSING) {
      return missingUsed(rows, offset);
    }
    return (refusal & 7) == NOT_A_CATEGORY_INDEX ? out[column] : rows[offset + column];
  }

  /** What is wrong with a refused value, as {@link RowRefusals.Reason#describe} words it. */
  String problem(RowRefusals.Reason reason, int column, double value) {
    return reason == RowRefusals.Reason.TOO_MANY_MISSING
        ? reason.describe(value, usedColumns.length, maxMissingShare)
        : reason.describe(value, specMin[column], specMax[column]);
  }

  /**
   * The exception for a refusal of row {@code rowIndex}, which starts at {@code offset} in {@code
   * rows}; for too many missing values its message also lists them.
   */
  ScoringException refusal(int refusal, int rowIndex, double value, double[] rows, int offset) {
    int column = refusedColumn(refusal);
    RowRefusals.Reason reason = refusedReason(refusal);
    String problem = problem(reason, column, value)
        + (reason == RowRefusals.Reason.TOO_MANY_MISSING ? missingList(rows, offset) : "");
    return new ScoringException(rowIndex, column, names[column], reason, problem);
  }

  /**
   * The missing features the model uses in the row starting at {@code offset}, as the text that
   * follows a {@link RowRefusals.Reason#TOO_MANY_MISSING} problem: {@code ": a, b, c"}. Allocates
   * (refused rows only).
   */
  String missingList(double[] rows, int offset) {
    StringBuilder missing = new StringBuilder(":");
    for (int j : usedColumns) {
      if (rows[offset + j] != rows[offset + j]) {
        missing.append(missing.length() == 1 ? " " : ", ").append(names[j]);
      }
    }
    return missing.toString();
  }

  /** 64-bit words {@link #markMissing} writes: one bit per feature the model uses. */
  int missingWords() {
    return (usedColumns.length + 63) >>> 6;
  }

  /**
   * Sets bit k of {@code bits[at ..]} ({@link #missingWords} words) when the k-th feature the model
   * uses is missing in the row starting at {@code offset}, so that {@link #missingList(long[], int)}
   * can name them after the row is gone; allocates nothing.
   */
  void markMissing(double[] rows, int offset, long[] bits, int at) {
    java.util.Arrays.fill(bits, at, at + missingWords(), 0L);
    for (int k = 0; k < usedColumns.length; k++) {
      double x = rows[offset + usedColumns[k]];
      if (x != x) {
        bits[at + (k >>> 6)] |= 1L << k;
      }
    }
  }

  /** {@link #missingList(double[], int)} of a row marked by {@link #markMissing}. Allocates. */
  String missingList(long[] bits, int at) {
    StringBuilder missing = new StringBuilder(":");
    for (int k = 0; k < usedColumns.length; k++) {
      if ((bits[at + (k >>> 6)] & 1L << k) != 0) {
        missing.append(missing.length() == 1 ? " " : ", ").append(names[usedColumns[k]]);
      }
    }
    return missing.toString();
  }
}

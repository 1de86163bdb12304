package io.chainscore.scoring;

import io.chainscore.features.FeatureSchema;
import java.util.Arrays;

/**
 * The rows of one {@link Scorer#scoreBatch(double[], int, int, double[], double[], int[], int[],
 * RowRefusals) scoreBatch} call that the bundle's feature policies refused, in ascending row order,
 * each with its {@link RowRefusals.Reason}, the column at fault and the refused value.
 *
 * <p>A caller-owned, reusable holder: create one per thread (or per batch loop), pass it to every
 * call; each call first clears it. Its arrays grow to the most refusals seen in one call and are
 * then reused, so a batch loop allocates nothing in steady state.
 *
 * <p>Thread safety: not thread-safe; one holder must not be passed to two concurrent calls.
 */
public final class RowRefusals {
  private static final RowRefusals.Reason[] REASONS = RowRefusals.Reason.values();
  private static final int INITIAL_CAPACITY = 16;

  private FeatureSchema schema;
  private RowGuard guard;
  private int count;
  private int[] rows = new int[INITIAL_CAPACITY];
  private byte[] reasons = new byte[INITIAL_CAPACITY];
  private int[] columns = new int[INITIAL_CAPACITY];
  private double[] values = new double[INITIAL_CAPACITY];
  /** The policies that refused each row (a segmented bundle's segments each have their own). */
  private RowGuard[] guards = new RowGuard[INITIAL_CAPACITY];
  /**
   * Per refused row with too many missing values: where its bits of missing features start in
   * {@link #missing} ({@link RowGuard#markMissing}); -1 for other rows. Kept as bits, not names, so
   * that a batch loop allocates nothing in steady state; named when {@link #problem} is asked.
   */
  private int[] missingAt = new int[INITIAL_CAPACITY];
  private long[] missing = new long[INITIAL_CAPACITY];
  private int missingSize;

  /** An empty holder. */
  public RowRefusals() {}

  /** Number of refused rows in the last call. */
  public int count() {
    return count;
  }

  /** Whether the last call refused no row. */
  public boolean isEmpty() {
    return count == 0;
  }

  /** Index, within the batch, of the i-th refused row; ascending in i. */
  public int row(int i) {
    check(i);
    return rows[i];
  }

  /** Why the i-th refused row was refused. */
  public RowRefusals.Reason reason(int i) {
    check(i);
    return REASONS[reasons[i]];
  }

  /**
   * Schema index of the column at fault in the i-th refused row (its first refused value; for
   * {@link Reason#TOO_MANY_MISSING}, the first missing feature the model uses).
   */
  public int column(int i) {
    check(i);
    return columns[i];
  }

  /**
   * The refused value of the i-th refused row (NaN for a missing value; for {@link
   * Reason#TOO_MANY_MISSING}, the number of missing features the model uses).
   */
  public double value(int i) {
    check(i);
    return values[i];
  }

  /** Name of the feature at fault in the i-th refused row. */
  public String feature(int i) {
    check(i);
    return schema.feature(columns[i]).name();
  }

  /**
   * What is wrong with the i-th refused row's value, as {@link RowRefusals.Reason#describe} words it
   * (the same text as the problem part of the {@link ScoringException} the throwing calls raise).
   */
  public String problem(int i) {
    check(i);
    String problem = guards[i].problem(REASONS[reasons[i]], columns[i], values[i]);
    return missingAt[i] < 0 ? problem : problem + guards[i].missingList(missing, missingAt[i]);
  }

  /** The i-th refusal as the exception the throwing calls raise for it. Allocates. */
  public ScoringException toException(int i) {
    return new ScoringException(row(i), column(i), feature(i), reason(i), problem(i));
  }

  /** Empties the holder for a call scoring rows of {@code schema} under {@code guard}'s policies. */
  void reset(FeatureSchema schema, RowGuard guard) {
    this.schema = schema;
    this.guard = guard;
    Arrays.fill(guards, 0, count, null);
    this.count = 0;
    this.missingSize = 0;
  }

  /** The policies that refused the i-th row. */
  RowGuard guard(int i) {
    return guards[i];
  }

  /**
   * Records a refused row, which starts at {@code offset} in {@code data}; rows must come in
   * ascending order.
   */
  void add(int row, RowRefusals.Reason reason, int column, double value, double[] data, int offset) {
    add(row, reason, column, value, guard, data, offset);
  }

  /**
   * Records a row refused by {@code policies} (a segment's), which starts at {@code offset} in
   * {@code data}; rows must come in ascending order. A row with too many missing values keeps their
   * names, as the throwing calls' message lists them (allocates: refused rows only).
   */
  void add(int row, RowRefusals.Reason reason, int column, double value, RowGuard policies, double[] data,
      int offset) {
    if (count == rows.length) {
      int capacity = 2 * count;
      rows = Arrays.copyOf(rows, capacity);
      reasons = Arrays.copyOf(reasons, capacity);
      columns = Arrays.copyOf(columns, capacity);
      values = Arrays.copyOf(values, capacity);
      guards = Arrays.copyOf(guards, capacity);
      missingAt = Arrays.copyOf(missingAt, capacity);
    }
    missingAt[count] = -1;
    if (reason == Reason.TOO_MANY_MISSING) {
      int words = policies.missingWords();
      if (missingSize + words > missing.length) {
        missing = Arrays.copyOf(missing, Math.max(2 * missing.length, missingSize + words));
      }
      policies.markMissing(data, offset, missing, missingSize);
      missingAt[count] = missingSize;
      missingSize += words;
    }
    guards[count] = policies;
    rows[count] = row;
    reasons[count] = (byte) reason.ordinal();
    columns[count] = column;
    values[count] = value;
    count++;
  }

  private void check(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("refusal " + i + " of " + count);
    }
  }

  /**
   * Why a bundle's feature policies refused an input row: the checks {@link Scorer} applies to
   * every value (and a segmented bundle's routing) before the model sees it.
   *
   * <p>Reported per row by {@link Scorer#scoreBatch(double[], int, int, double[], double[], int[],
   * int[], RowRefusals)} into a {@link RowRefusals}, and by {@link ScoringException#reason()} for the
   * calls that throw. {@link #describe} gives the human-readable problem that the batch engine writes
   * to its quarantine file, so nobody has to parse an exception message to recover it.
   *
   * <p>Thread safety: an enum; immutable.
   */
  public enum Reason {
    /** A missing value (NaN) in a feature whose missing-value policy is {@code reject}. */
    MISSING_VALUE,
    /**
     * A value outside the feature's valid range {@code [min, max]} where the range policy is {@code
     * reject}: an infinity always (a range holds finite numbers; a feature without a bound is
     * bounded by the largest finite double); for a categorical feature, an index past its last
     * category.
     */
    OUT_OF_RANGE,
    /** A categorical feature's value that is not a whole number, hence no category index. */
    NOT_A_CATEGORY_INDEX,
    /**
     * More of the features the model uses are missing (NaN, before any imputation) than the
     * bundle's {@code max_missing_share} allows: the row says too little to be scored.
     */
    TOO_MANY_MISSING,
    /**
     * A segmented bundle's row whose value in a routing rule's feature is missing (NaN) where the
     * rule names no segment for missing values: no segment may score it.
     */
    NO_SEGMENT,
    /**
     * A value with a fraction in a whole-number feature ({@link
     * io.chainscore.features.FeatureSpec#wholeNumber}: a count, a PMML {@code integer} field), as
     * given, before the range policy could clamp it; added after the others, so their ordinals
     * stand.
     */
    NOT_A_WHOLE_NUMBER;

    /**
     * The problem as one line, without row or feature, for example {@code value 1.5 outside the
     * valid range [0.0, 1.0]}: the text of the quarantine file's reason column.
     *
     * <p>For {@link #TOO_MANY_MISSING} the three numbers are the count of missing features, the
     * number of features the model uses and the bundle's {@code max_missing_share}, for example
     * {@code 9 of the 9 features the model uses are missing, more than the bundle's
     * max_missing_share 0.5 allows}.
     *
     * @param value the refused value (NaN for {@link #MISSING_VALUE}; the missing count for {@link
     *     #TOO_MANY_MISSING})
     * @param min the feature's smallest valid value (the used feature count)
     * @param max the feature's largest valid value (the max_missing_share)
     */
    public String describe(double value, double min, double max) {
      switch (this) {
        case TOO_MANY_MISSING:
          return (long) value + " of the " + (long) min + " features the model uses are missing, more than the"
              + " bundle's max_missing_share " + max + " allows";
        case MISSING_VALUE:
          return "missing value (NaN) refused by the feature's missing-value policy";
        case NO_SEGMENT:
          return "missing value (NaN) in a feature that routes rows to segments, and the rule names no segment for"
              + " missing values";
        case OUT_OF_RANGE:
          // an infinity is out of every range, one without a bound on its side too ("Infinity
          // outside [-1.0, Infinity]" would read as a contradiction)
          return Double.isInfinite(value)
              ? "value " + value + " is not a finite number; expected " + finiteRange(min, max)
              : "value " + value + " outside the valid range [" + min + ", " + max + "]";
        case NOT_A_WHOLE_NUMBER:
          return "value " + value + " is not a whole number; the feature takes whole numbers only";
        default:
          return "categorical value " + value + " is not a category index";
      }
    }

    /** The finite values of [min, max] in words: an open side is said, not written as Infinity. */
    private static String finiteRange(double min, double max) {
      boolean low = min > Double.NEGATIVE_INFINITY;
      boolean high = max < Double.POSITIVE_INFINITY;
      return low && high ? "a finite number in the valid range [" + min + ", " + max + "]"
          : low ? "a finite number of at least " + min
          : high ? "a finite number of at most " + max : "a finite number";
    }
  }
}

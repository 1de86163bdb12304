package io.chainscore.trade;

import java.time.LocalDate;

/**
 * The outcome a credit model learns: whether a supplier defaulted (90+ days past due on its
 * financing, or a write-off) within twelve months after an as-of date.
 *
 * <p>Thread safety: immutable (a record of immutable values), safe to share between threads.
 *
 * @param supplierId the supplier
 * @param asOfDate the observation date; the outcome window is {@code (asOfDate, asOfDate + 12
 *     months]}
 * @param defaulted whether a default occurred in the window
 * @param defaultDate the first day of default in the window, or {@code null} when none
 * @param trueProbabilityOfDefault the probability of default the data generator used, in [0, 1],
 *     or {@code NaN} for real data where it is unknown
 */
public record DefaultLabel(
    String supplierId,
    LocalDate asOfDate,
    boolean defaulted,
    LocalDate defaultDate,
    double trueProbabilityOfDefault) {
  private static final String TYPE = "label";

  /** Length of the outcome window in months. */
  public static final int OUTCOME_MONTHS = 12;

  /** Days past due from which a financing counts as defaulted. */
  public static final int DEFAULT_DAYS_PAST_DUE = 90;

  /** Validates every field and that the default date lies in the outcome window. */
  public DefaultLabel {
    Checks.id(TYPE, "supplier_id", supplierId);
    String id = supplierId;
    Checks.date(TYPE, id, "as_of_date", asOfDate);
    Checks.optionalDate(TYPE, id, "default_date", defaultDate);
    if (defaulted && defaultDate == null) {
      throw new TradeRecordException(TYPE, id, "default_date", "is required when defaulted");
    }
    if (!defaulted && defaultDate != null) {
      throw new TradeRecordException(
          TYPE, id, "default_date", "must be empty when not defaulted, got " + defaultDate);
    }
    if (defaultDate != null) {
      LocalDate end = asOfDate.plusMonths(OUTCOME_MONTHS);
      if (!defaultDate.isAfter(asOfDate) || defaultDate.isAfter(end)) {
        throw new TradeRecordException(
            TYPE,
            id,
            "default_date",
            defaultDate + " is outside the outcome window (" + asOfDate + ", " + end + "]");
      }
    }
    if (!Double.isNaN(trueProbabilityOfDefault)
        && !(trueProbabilityOfDefault >= 0 && trueProbabilityOfDefault <= 1)) {
      throw new TradeRecordException(
          TYPE,
          id,
          "true_pd",
          "must be in [0, 1] or NaN, got " + trueProbabilityOfDefault);
    }
  }
}

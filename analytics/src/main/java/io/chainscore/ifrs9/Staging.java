package io.chainscore.ifrs9;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * IFRS 9 staging of a facility from its PDs now and at initial recognition: stage 3 when in
 * default (credit-impaired), stage 2 after a significant increase in credit risk (SICR: the
 * relative AND the absolute PD increase reach their thresholds, IFRS 9 5.5.9 and B5.5.9; or more
 * than 30 days past due, the rebuttable presumption of 5.5.11), stage 1 otherwise. IFRS 9 sets no
 * thresholds; banks' choices vary (EBA/Rep/2021/35), so both are the caller's.
 *
 * <p>Both tests are "at least" and are decided on the PDs and thresholds as decimals rounded to
 * 12 places, compared exactly: a rise of exactly the threshold is SICR for any PDs given with up to
 * 12 decimals, as score and origination tables give them (in binary floating point 0.0075 - 0.0025
 * is 0.004999999999999999, below 0.005, and 0.0006 / 0.0002 is 2.9999999999999996, below 3). A PD
 * with more decimals is compared at its value rounded to 12 places: a difference below 5e-13 means
 * nothing for a PD.
 *
 * <p>Thread safety: immutable.
 *
 * @param relativeIncrease SICR needs {@code PD_now / PD_orig >= relativeIncrease} (e.g. 2)
 * @param absoluteIncrease and {@code PD_now - PD_orig >= absoluteIncrease} (e.g. 0.005 = 0.5 pp), in [0, 1)
 * @param daysPastDueBackstop more days past due than this is SICR whatever the PDs (30)
 */
public record Staging(double relativeIncrease, double absoluteIncrease, int daysPastDueBackstop) {

  /** The IFRS 9 stages. */
  public enum Stage {
    /** Performing: 12-month ECL. */
    STAGE_1,
    /** Significant increase in credit risk: lifetime ECL. */
    STAGE_2,
    /** Credit-impaired: lifetime ECL. */
    STAGE_3
  }

  /** A stage with the rule that decided it, for the report. */
  public record Assessment(Stage stage, String reason) {}

  /** Checks the thresholds ({@link #checkRelativeIncrease}, {@link #checkAbsoluteIncrease}, {@link #checkBackstop}). */
  public Staging {
    checkRelativeIncrease(relativeIncrease);
    checkAbsoluteIncrease(absoluteIncrease);
    checkBackstop(daysPastDueBackstop);
  }

  /**
   * The relative threshold's rule, for a caller naming its own option: a finite ratio of at least 1.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static void checkRelativeIncrease(double relativeIncrease) {
    if (!(relativeIncrease >= 1) || Double.isInfinite(relativeIncrease)) {
      throw new IllegalArgumentException("relative PD increase threshold: expected a ratio >= 1, got " + relativeIncrease);
    }
  }

  /**
   * The absolute threshold's rule: a fraction from 0 to below 1.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static void checkAbsoluteIncrease(double absoluteIncrease) {
    if (!(absoluteIncrease >= 0 && absoluteIncrease < 1)) {
      // two PDs differ by at most 1: a threshold of 1 or more turns the PD test off, most likely a
      // percentage typed for a fraction
      throw new IllegalArgumentException("absolute PD increase threshold: expected a fraction from 0 to below 1"
          + " (0.005 for 0.5 percentage points), got " + absoluteIncrease);
    }
  }

  /**
   * The days-past-due backstop's rule: 0 or more days.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static void checkBackstop(int daysPastDueBackstop) {
    if (daysPastDueBackstop < 0) {
      throw new IllegalArgumentException("days-past-due backstop: expected >= 0, got " + daysPastDueBackstop);
    }
  }

  /** Relative 2x (+100%), absolute 0.5 percentage points, the 30-days-past-due backstop. */
  public static Staging defaults() {
    return new Staging(2.0, 0.005, 30);
  }

  /**
   * The stage of one facility.
   *
   * @param pdNow the PD over the remaining term now (lifetime, or 12-month as a proxy, B5.5.13)
   * @param pdAtOrigination the same measure at initial recognition
   * @throws IllegalArgumentException when a performing facility has no origination PD (NaN) or a PD
   *     is outside [0, 1]
   */
  public Assessment assess(double pdNow, double pdAtOrigination, int daysPastDue, boolean defaulted) {
    if (defaulted) {
      return new Assessment(Stage.STAGE_3, "in default");
    }
    if (!(pdNow >= 0 && pdNow <= 1)) {
      throw new IllegalArgumentException("PD now: expected a value in [0, 1], got " + pdNow);
    }
    if (Double.isNaN(pdAtOrigination)) {
      throw new IllegalArgumentException("origination PD: missing, and staging needs it for a performing facility");
    }
    if (!(pdAtOrigination >= 0 && pdAtOrigination <= 1)) {
      throw new IllegalArgumentException("origination PD: expected a value in [0, 1], got " + pdAtOrigination);
    }
    if (daysPastDue > daysPastDueBackstop) {
      return new Assessment(Stage.STAGE_2, "more than " + daysPastDueBackstop + " days past due");
    }
    BigDecimal now = decimal(pdNow);
    BigDecimal origination = decimal(pdAtOrigination);
    boolean relative = pdAtOrigination == 0 ? pdNow > 0
        : now.compareTo(decimal(relativeIncrease).multiply(origination)) >= 0;
    boolean absolute = now.subtract(origination).compareTo(decimal(absoluteIncrease)) >= 0;
    if (relative && absolute) {
      return new Assessment(Stage.STAGE_2, "significant increase in credit risk");
    }
    return new Assessment(Stage.STAGE_1, "performing");
  }

  /**
   * {@code x} rounded to 12 decimals: the binary double nearest a decimal of up to 12 places gives
   * back that decimal, so the comparisons are exact on it.
   */
  private static BigDecimal decimal(double x) {
    return new BigDecimal(x).setScale(12, RoundingMode.HALF_EVEN);
  }
}

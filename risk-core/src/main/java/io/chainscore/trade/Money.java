package io.chainscore.trade;

/** Rules for monetary amounts shared by all trade records; see the package documentation. */
public final class Money {
  /** Largest amount a single record may carry: ten trillion currency units. */
  public static final double MAX_AMOUNT = 1e13;

  /** Slack allowed when two amounts that should balance are compared: half a cent. */
  public static final double CENT_TOLERANCE = 0.005;

  private Money() {}

  /** Throws unless {@code amount} is finite, not negative and at most {@link #MAX_AMOUNT}. */
  static void requireAmount(String type, String id, String field, double amount) {
    if (!Double.isFinite(amount)) {
      throw new TradeRecordException(type, id, field, "must be a finite amount, got " + amount);
    }
    if (amount < 0) {
      throw new TradeRecordException(type, id, field, "must not be negative, got " + amount);
    }
    if (amount > MAX_AMOUNT) {
      throw new TradeRecordException(
          type, id, field, "must be at most " + MAX_AMOUNT + ", got " + amount);
    }
  }

  /** Throws unless {@code amount} is a valid amount strictly above zero. */
  static void requirePositive(String type, String id, String field, double amount) {
    requireAmount(type, id, field, amount);
    if (amount == 0) {
      throw new TradeRecordException(type, id, field, "must be greater than zero");
    }
  }
}

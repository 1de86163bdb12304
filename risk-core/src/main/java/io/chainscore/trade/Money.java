package io.chainscore.trade;

/**
 * The records' checks of monetary amounts, at the limits {@link TradeRules#MAX_AMOUNT} and {@link
 * TradeRules#CENT_TOLERANCE} (which the feature engine applies to columnar records too).
 */
final class Money {

  private Money() {}

  /** Throws unless {@code amount} is finite, not negative and at most {@link TradeRules#MAX_AMOUNT}. */
  static void requireAmount(String type, String id, String field, double amount) {
    if (!Double.isFinite(amount)) {
      throw new TradeRecordException(type, id, field, "must be a finite amount, got " + amount);
    }
    if (amount < 0) {
      throw new TradeRecordException(type, id, field, "must not be negative, got " + amount);
    }
    if (amount > TradeRules.MAX_AMOUNT) {
      throw new TradeRecordException(
          type, id, field, "must be at most " + TradeRules.MAX_AMOUNT + ", got " + amount);
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

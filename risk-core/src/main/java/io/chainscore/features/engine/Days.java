package io.chainscore.features.engine;

import io.chainscore.trade.TradeRules;
import java.time.LocalDate;

/** Epoch-day range checks shared by the columnar inputs. */
final class Days {
  static final int MIN = TradeRules.MIN_DAY;
  static final int MAX = TradeRules.MAX_DAY;
  static final String RANGE = "[" + TradeRules.MIN_DATE + ", " + TradeRules.MAX_DATE + "]";

  private Days() {}

  static boolean isValid(int epochDay) {
    return epochDay >= MIN && epochDay <= MAX;
  }

  static String describe(int epochDay) {
    return isValid(epochDay) ? LocalDate.ofEpochDay(epochDay).toString() : "epoch day " + epochDay;
  }
}

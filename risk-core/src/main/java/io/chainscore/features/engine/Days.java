package io.chainscore.features.engine;

import java.time.LocalDate;

/** Epoch-day range checks shared by the columnar inputs. */
final class Days {
  static final int MIN = (int) LocalDate.of(1900, 1, 1).toEpochDay();
  static final int MAX = (int) LocalDate.of(2199, 12, 31).toEpochDay();
  static final String RANGE = "[1900-01-01, 2199-12-31]";

  private Days() {}

  static boolean isValid(int epochDay) {
    return epochDay >= MIN && epochDay <= MAX;
  }

  static String describe(int epochDay) {
    return isValid(epochDay) ? LocalDate.ofEpochDay(epochDay).toString() : "epoch day " + epochDay;
  }
}

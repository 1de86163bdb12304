package io.chainscore.trade;

import java.time.LocalDate;

/** Shared argument checks that raise {@link TradeRecordException}s. */
final class Checks {
  private static final LocalDate MIN_DATE = TradeRules.MIN_DATE;
  private static final LocalDate MAX_DATE = TradeRules.MAX_DATE;

  private Checks() {}

  static String id(String type, String field, String value) {
    if (value == null || value.isBlank()) {
      throw new TradeRecordException(type, "?", field, "must be a non-blank id");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new TradeRecordException(
            type, "?", field, "must not contain control characters, got " + quoted(value));
      }
    }
    return value;
  }

  static String text(String type, String id, String field, String value) {
    if (value == null || value.isBlank()) {
      throw new TradeRecordException(type, id, field, "must not be blank");
    }
    return value;
  }

  static LocalDate date(String type, String id, String field, LocalDate value) {
    if (value == null) {
      throw new TradeRecordException(type, id, field, "is required");
    }
    return optionalDate(type, id, field, value);
  }

  static LocalDate optionalDate(String type, String id, String field, LocalDate value) {
    if (value != null && (value.isBefore(MIN_DATE) || value.isAfter(MAX_DATE))) {
      throw new TradeRecordException(
          type, id, field, "must be between " + MIN_DATE + " and " + MAX_DATE + ", got " + value);
    }
    return value;
  }

  static <T> T required(String type, String id, String field, T value) {
    if (value == null) {
      throw new TradeRecordException(type, id, field, "is required");
    }
    return value;
  }

  /** {@code s} in double quotes, control characters escaped (as {@link TradeRules#quoted}). */
  static String quoted(String s) {
    if (s == null) {
      return "null";
    }
    String single = TradeRules.quoted(s);
    return '"' + single.substring(1, single.length() - 1) + '"';
  }
}

package io.chainscore.tables;

import io.chainscore.trade.TradeRules;
import java.nio.charset.StandardCharsets;

/**
 * The value grammar every ChainScore reader applies to a field's bytes: strict decimal numbers
 * ({@code -12.5}, {@code 3e-4}, {@code NaN}, {@code Infinity}; never hex, padding or a type
 * suffix) and strict {@code yyyy-MM-dd} dates in [1900, 2199]. Used by {@link CsvReader}.
 *
 * <p>Thread safety: stateless.
 */
final class FieldGrammar {
  private FieldGrammar() {}

  static boolean isNaNLiteral(byte[] bytes, int start, int end) {
    return end - start == 3 && sameAscii(bytes, start, "NaN");
  }

  /**
   * The value of {@code bytes[start, end)} in the strict number grammar, or NaN when it is not in
   * it (the caller tells the literal {@code NaN} apart). The grammar is checked on the bytes; the
   * conversion is {@link Double#parseDouble}'s correctly rounded one.
   */
  static double parseNumber(byte[] record, int start, int end) {
    int i = start;
    if (i < end && (record[i] == '+' || record[i] == '-')) {
      i++;
    }
    int length = end - i;
    if (length == 8 && sameAscii(record, i, "Infinity")) {
      return record[start] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    int digits = 0;
    while (i < end && isDigit(record[i])) {
      i++;
      digits++;
    }
    if (i < end && record[i] == '.') {
      i++;
      while (i < end && isDigit(record[i])) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    if (i < end && (record[i] == 'e' || record[i] == 'E')) {
      i++;
      if (i < end && (record[i] == '+' || record[i] == '-')) {
        i++;
      }
      int exponentDigits = 0;
      while (i < end && isDigit(record[i])) {
        i++;
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        return Double.NaN;
      }
    }
    if (i != end) {
      return Double.NaN;
    }
    return Double.parseDouble(new String(record, start, end - start, StandardCharsets.ISO_8859_1));
  }

  private static boolean sameAscii(byte[] record, int start, String text) {
    for (int k = 0; k < text.length(); k++) {
      if (record[start + k] != text.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /** Epoch day of a strict {@code yyyy-MM-dd} date in [1900, 2199], or Integer.MIN_VALUE. */
  static int parseDate(byte[] record, int start, int end) {
    if (end - start != 10 || record[start + 4] != '-' || record[start + 7] != '-') {
      return Integer.MIN_VALUE;
    }
    int year = digits(record, start, 4);
    int month = digits(record, start + 5, 2);
    int day = digits(record, start + 8, 2);
    if (year < TradeRules.MIN_DATE.getYear() || year > TradeRules.MAX_DATE.getYear() || month < 1 || month > 12 || day < 1) {
      return Integer.MIN_VALUE;
    }
    int monthLength = switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
    if (day > monthLength) {
      return Integer.MIN_VALUE;
    }
    return (int) java.time.LocalDate.of(year, month, day).toEpochDay();
  }

  private static int digits(byte[] record, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      int d = record[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }


  /** Whether {@code record[start, start + lowerCase.length())} spells {@code lowerCase} in any letter case. */
  static boolean matchesIgnoringCase(byte[] record, int start, String lowerCase) {
    for (int i = 0; i < lowerCase.length(); i++) {
      int b = record[start + i];
      if ((b | 0x20) != lowerCase.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}

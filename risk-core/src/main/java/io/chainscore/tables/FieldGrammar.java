package io.chainscore.tables;

import io.chainscore.trade.TradeRules;
import java.nio.charset.StandardCharsets;

/**
 * The value grammar every ChainScore reader applies to a field's bytes: strict decimal numbers
 * ({@code -12.5}, {@code 3e-4}, {@code NaN}, {@code Infinity}; never hex, padding or a type
 * suffix; with a decimal comma in a file separated by semicolons) and strict {@code yyyy-MM-dd}
 * dates in [1900, 2199] (or date-times without a time zone, read as their dates; and day-first
 * {@code d.M.yyyy} dates in a file separated by semicolons). Used by {@link CsvReader}.
 *
 * <p>Thread safety: stateless.
 */
final class FieldGrammar {
  private FieldGrammar() {}

  static boolean isNaNLiteral(byte[] bytes, int start, int end) {
    return end - start == 3 && sameAscii(bytes, start, "NaN");
  }

  /**
   * Whether {@code bytes[start, end)} is {@code Infinity} with an optional sign: the only text whose
   * value may be infinite. A number written with digits whose magnitude is beyond the largest double
   * ({@code 1e400}) is in the grammar but has no value: {@link #parseNumber} gives it as an
   * infinity (Double.parseDouble's rounding), and the reader refuses it quoting its text.
   */
  static boolean isInfinityLiteral(byte[] bytes, int start, int end) {
    int i = start < end && (bytes[start] == '+' || bytes[start] == '-') ? start + 1 : start;
    return end - i == 8 && sameAscii(bytes, i, "Infinity");
  }

  /**
   * The value of {@code bytes[start, end)} in the strict number grammar, or NaN when it is not in
   * it (the caller tells the literal {@code NaN} apart). The grammar is checked on the bytes; the
   * conversion is {@link Double#parseDouble}'s correctly rounded one (computed directly when the
   * number has at most 15 significant digits and a power of ten up to 22: Clinger's fast path).
   */
  static double parseNumber(byte[] record, int start, int end) {
    return parseNumber(record, start, end, (byte) '.');
  }

  /**
   * The value of {@code bytes[start, end)} in the strict number grammar with {@code point} as the
   * decimal mark ({@code '.'}, or {@code ','} in a file separated by semicolons), or NaN when it is
   * not in it: the one rule for number text, whichever mark a file uses.
   */
  static double parseNumber(byte[] record, int start, int end, byte point) {
    int i = start;
    boolean negative = false;
    if (i < end && (record[i] == '+' || record[i] == '-')) {
      negative = record[i] == '-';
      i++;
    }
    int length = end - i;
    if (length == 8 && sameAscii(record, i, "Infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    // The digits are gathered into a long as they are checked, for Clinger's fast path below.
    long mantissa = 0;
    int significant = 0; // digits from the first non-zero one: at most 15 keep the mantissa below 2^53
    int fractionDigits = 0;
    int digits = 0;
    while (i < end && isDigit(record[i])) {
      int d = record[i] - '0';
      if (significant > 0 || d != 0) {
        significant++;
      }
      if (significant <= 15) {
        mantissa = mantissa * 10 + d;
      }
      i++;
      digits++;
    }
    if (i < end && record[i] == point) {
      i++;
      while (i < end && isDigit(record[i])) {
        int d = record[i] - '0';
        if (significant > 0 || d != 0) {
          significant++;
        }
        if (significant <= 15) {
          mantissa = mantissa * 10 + d;
          fractionDigits++;
        }
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    int exponent = 0;
    if (i < end && (record[i] == 'e' || record[i] == 'E')) {
      i++;
      boolean negativeExponent = false;
      if (i < end && (record[i] == '+' || record[i] == '-')) {
        negativeExponent = record[i] == '-';
        i++;
      }
      int exponentDigits = 0;
      while (i < end && isDigit(record[i])) {
        if (exponent < 100_000) {
          exponent = exponent * 10 + (record[i] - '0');
        }
        i++;
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        return Double.NaN;
      }
      if (negativeExponent) {
        exponent = -exponent;
      }
    }
    if (i != end) {
      return Double.NaN;
    }
    // Clinger's fast path: a mantissa below 2^53 and a power of ten up to 10^22 are both exact
    // doubles, so one IEEE multiplication or division rounds the exact value correctly, as
    // Double.parseDouble does. More than 15 significant digits (some were not gathered) or a
    // larger power takes the general conversion.
    int scale = exponent - fractionDigits;
    if (significant <= 15 && scale >= -22 && scale <= 22) {
      double value = scale < 0 ? mantissa / POWERS_OF_TEN[-scale] : mantissa * POWERS_OF_TEN[scale];
      return negative ? -value : value;
    }
    String text = new String(record, start, end - start, StandardCharsets.ISO_8859_1);
    return Double.parseDouble(point == '.' ? text : text.replace((char) point, '.'));
  }

  /**
   * Whether {@code bytes[start, end)}, not a number with a decimal comma, is one as another
   * convention writes it: with a decimal point ({@code 1234.56}, {@code 1e-3} is not one: it is a
   * number in both), or with thousands separators ({@code 1.234,56}, {@code 1 234}, {@code
   * 1'234}, {@code 1,234.5}). A file separated by semicolons refuses such a field rather than read
   * it as text or as another number.
   */
  static boolean isForeignNumber(byte[] record, int start, int end) {
    if (!Double.isNaN(parseNumber(record, start, end, (byte) ',')) || isNaNLiteral(record, start, end)) {
      return false;   // a number with a decimal comma (or none)
    }
    if (!Double.isNaN(parseNumber(record, start, end, (byte) '.'))) {
      return true;   // parses with a point and not with a comma: it holds a point
    }
    int i = start;
    if (i < end && (record[i] == '+' || record[i] == '-')) {
      i++;
    }
    // digit groups: 1 to 3 digits, then groups of exactly 3 after one separator, then an optional
    // decimal mark (the other of '.' and ',') and digits
    int first = i;
    while (i < end && isDigit(record[i])) {
      i++;
    }
    if (i == first || i - first > 3) {
      return false;
    }
    int separator = -1;
    int groups = 0;
    while (i < end && isGroupSeparator(record[i]) && (separator < 0 || record[i] == separator)) {
      int candidate = record[i];
      int digits = i + 1;
      while (digits < end && isDigit(record[digits])) {
        digits++;
      }
      if (digits - (i + 1) != 3) {
        break;
      }
      separator = candidate;
      groups++;
      i = digits;
    }
    if (groups == 0) {
      return false;
    }
    if (i < end && (record[i] == '.' || record[i] == ',') && record[i] != separator) {
      i++;
      int digits = i;
      while (i < end && isDigit(record[i])) {
        i++;
      }
      if (i == digits) {
        return false;
      }
    }
    return i == end;
  }

  /** '.', ',', a space or an apostrophe, the thousands separators of spreadsheets' locales. */
  private static boolean isGroupSeparator(byte b) {
    return b == '.' || b == ',' || b == ' ' || b == '\'';
  }

  /** 10^0 to 10^22, the powers of ten a double holds exactly. */
  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22
  };

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

  /**
   * Epoch day of a strict {@code yyyy-MM-dd} date in [1900, 2199], or of the date of a date-time
   * without a time zone ({@code yyyy-MM-dd HH:mm[:ss[.fraction]]}, {@code T} or a space between:
   * what pandas and spreadsheets write for a datetime; the wall-clock date, as the binary readers
   * read a timestamp without a zone), or Integer.MIN_VALUE. A date-time with a zone ({@code Z},
   * {@code +01:00}) is not a date: its calendar date depends on the zone.
   */
  static int parseDate(byte[] record, int start, int end) {
    if (end - start > 10 && (record[start + 10] == ' ' || record[start + 10] == 'T')) {
      return localTime(record, start + 11, end) ? parseDay(record, start, start + 10) : Integer.MIN_VALUE;
    }
    return parseDay(record, start, end);
  }

  /** Whether {@code record[start, end)} is a date-time whose time carries a zone ({@code Z} or an offset). */
  static boolean zonedDateTime(byte[] record, int start, int end) {
    if (end - start <= 16 || (record[start + 10] != ' ' && record[start + 10] != 'T')) {
      return false;
    }
    for (int i = end - 1; i > start + 12; i--) {
      if (record[i] == 'Z' || record[i] == '+' || record[i] == '-') {
        return localTime(record, start + 11, i)
            && parseDay(record, start, start + 10) != Integer.MIN_VALUE;
      }
    }
    return false;
  }

  /** Whether {@code record[start, end)} is a time {@code HH:mm[:ss[.fraction]]} and nothing more. */
  private static boolean localTime(byte[] record, int start, int end) {
    if (end - start < 5 || record[start + 2] != ':') {
      return false;
    }
    int hour = digits(record, start, 2);
    int minute = digits(record, start + 3, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      return false;
    }
    int at = start + 5;
    if (at == end) {
      return true;
    }
    if (record[at] != ':' || end - at < 3) {
      return false;
    }
    int second = digits(record, at + 1, 2);
    if (second < 0 || second > 60) {   // 60: a leap second
      return false;
    }
    at += 3;
    if (at == end) {
      return true;
    }
    if (record[at] != '.' || end - at < 2 || end - at > 10) {
      return false;
    }
    for (int i = at + 1; i < end; i++) {
      if (record[i] < '0' || record[i] > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Epoch day of a strict day-first {@code d.M.yyyy} date in [1900, 2199] (what spreadsheets in
   * the locales that separate CSV fields by semicolons write: {@code 01.02.2024}, or {@code
   * 1.2.2024} under a short custom format): day and month of one or two digits, the year of four,
   * nothing else; or Integer.MIN_VALUE. (Two-digit years, as in {@code 01.02.24}, are refused:
   * which century they mean is a guess.)
   */
  static int parseDayFirst(byte[] record, int start, int end) {
    int length = end - start;
    if (length < 8 || length > 10 || record[end - 5] != '.') {
      return Integer.MIN_VALUE;
    }
    // the day's dot is the second or third byte; the month fills what is left before the year's dot
    int dot = record[start + 1] == '.' ? start + 1 : record[start + 2] == '.' ? start + 2 : -1;
    int monthDigits = end - 5 - (dot + 1);
    if (dot < 0 || monthDigits < 1 || monthDigits > 2) {
      return Integer.MIN_VALUE;
    }
    return day(digits(record, end - 4, 4), digits(record, dot + 1, monthDigits), digits(record, start, dot - start));
  }

  /** Epoch day of a strict {@code yyyy-MM-dd} date in [1900, 2199], or Integer.MIN_VALUE. */
  private static int parseDay(byte[] record, int start, int end) {
    if (end - start != 10 || record[start + 4] != '-' || record[start + 7] != '-') {
      return Integer.MIN_VALUE;
    }
    return day(digits(record, start, 4), digits(record, start + 5, 2), digits(record, start + 8, 2));
  }

  /** Epoch day of year, month and day (each -1 when not digits) in [1900, 2199], or Integer.MIN_VALUE. */
  private static int day(int year, int month, int day) {
    if (year < TradeRules.MIN_DATE.getYear() || year > TradeRules.MAX_DATE.getYear() || month < 1 || month > 12 || day < 1) {
      return Integer.MIN_VALUE;
    }
    boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    int monthLength = switch (month) {
      case 2 -> leap ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
    if (day > monthLength) {
      return Integer.MIN_VALUE;
    }
    // LocalDate.toEpochDay's arithmetic for a year >= 0, without building the LocalDate and checking
    // the fields again (a CSV transaction table parses two or three dates per row)
    int total = 365 * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400 + (367 * month - 362) / 12
        + day - 1;
    if (month > 2) {
      total -= leap ? 1 : 2;
    }
    return total - DAYS_0000_TO_1970;
  }

  /** Days from 0000-01-01 to 1970-01-01 in the proleptic Gregorian calendar (LocalDate's constant). */
  private static final int DAYS_0000_TO_1970 = 146_097 * 5 - (30 * 365 + 7);

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

package io.chainscore.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The dates of the CSV grammar against {@link LocalDate}, exhaustively: every calendar day from a
 * week before 1900-01-01 to a week after 2199-12-31, written as {@code YYYY-MM-DD}, as {@code
 * DD.MM.YYYY} and as {@code D.M.YYYY}, is its epoch day inside the range and refused outside it;
 * every day 29-32 of every month of the range that is no date is refused.
 */
class FieldGrammarDateTest {
  private static final LocalDate FIRST = LocalDate.of(1900, 1, 1);
  private static final LocalDate LAST = LocalDate.of(2199, 12, 31);

  @Test
  void everyDay_isLocalDatesEpochDay_insideTheRange() {
    int checked = 0;
    for (LocalDate d = FIRST.minusDays(7); !d.isAfter(LAST.plusDays(7)); d = d.plusDays(1)) {
      int expected = d.isBefore(FIRST) || d.isAfter(LAST) ? Integer.MIN_VALUE : (int) d.toEpochDay();
      byte[] iso = d.toString().getBytes(StandardCharsets.US_ASCII);
      assertThat(FieldGrammar.parseDate(iso, 0, iso.length)).as("%s", d).isEqualTo(expected);
      byte[] dayFirst = String.format(Locale.ROOT, "%02d.%02d.%04d", d.getDayOfMonth(), d.getMonthValue(), d.getYear())
          .getBytes(StandardCharsets.US_ASCII);
      assertThat(FieldGrammar.parseDayFirst(dayFirst, 0, dayFirst.length)).as("%s day first", d).isEqualTo(expected);
      byte[] unpadded = String.format(Locale.ROOT, "%d.%d.%04d", d.getDayOfMonth(), d.getMonthValue(), d.getYear())
          .getBytes(StandardCharsets.US_ASCII);
      assertThat(FieldGrammar.parseDayFirst(unpadded, 0, unpadded.length)).as("%s day first, short", d).isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isEqualTo(300 * 365 + 73 + 14); // 73 leap years from 1900 to 2199
  }

  @Test
  void daysPastTheMonthsEnd_areRefused() {
    int refused = 0;
    for (int year = 1900; year <= 2199; year++) {
      for (int month = 1; month <= 12; month++) {
        for (int day = 29; day <= 32; day++) {
          boolean valid;
          try {
            LocalDate.of(year, month, day);
            valid = true;
          } catch (DateTimeException e) {
            valid = false;
          }
          byte[] iso = String.format(Locale.ROOT, "%04d-%02d-%02d", year, month, day).getBytes(StandardCharsets.US_ASCII);
          int parsed = FieldGrammar.parseDate(iso, 0, iso.length);
          assertThat(parsed != Integer.MIN_VALUE).as("%04d-%02d-%02d", year, month, day).isEqualTo(valid);
          refused += valid ? 0 : 1;
        }
      }
    }
    // per year: day 32 of 12 months, day 31 of 4, and February's 30 and 31 (and 29 in common years)
    assertThat(refused).isEqualTo(300 * (12 + 4 + 2) + (300 - 73));
  }
}

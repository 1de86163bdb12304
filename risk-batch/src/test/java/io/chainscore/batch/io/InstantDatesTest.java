package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link InstantDates} against {@code Instant.atZone(zone).toLocalDate()}, the JDK's own answer. */
class InstantDatesTest {
  /** Zones with summer time either side of the equator, half-hour offsets and rules, a skipped day, none. */
  private static final String[] ZONES = {"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
      "Asia/Kolkata", "Asia/Shanghai", "Pacific/Apia", "America/Sao_Paulo", "Pacific/Chatham", "Etc/GMT+12"};
  private static final long[] UNITS_PER_SECOND = {1, 1_000, 1_000_000, 1_000_000_000};

  private static long expected(long time, long unitsPerSecond, ZoneId zone) {
    long second = Math.floorDiv(time, unitsPerSecond);
    long nanos = Math.floorMod(time, unitsPerSecond) * (1_000_000_000 / unitsPerSecond);
    return Instant.ofEpochSecond(second, nanos).atZone(zone).toLocalDate().toEpochDay();
  }

  @Test
  void dayOf_isTheDateInTheZone_forRandomInstantsInOrderAndNot() {
    SplittableRandom random = new SplittableRandom(17);
    long checked = 0;
    for (String z : ZONES) {
      ZoneId zone = ZoneId.of(z);
      for (long perSecond : UNITS_PER_SECOND) {
        InstantDates dates = new InstantDates(zone, 86_400 * perSecond);
        // 1900 to 2199, the dates a table accepts, in runs near one another (as a column's rows
        // are) and at random
        long from = -2_208_988_800L * perSecond;
        long to = 7_258_118_400L * perSecond;
        long t = random.nextLong(from, to);
        for (int i = 0; i < 20_000; i++) {
          t = i % 100 == 0 ? random.nextLong(from, to) : Math.min(to, t + random.nextLong(3 * 3_600 * perSecond));
          assertThat((long) dates.dayOf(t)).as("%s, %d units a second, time %d", z, perSecond, t)
              .isEqualTo(expected(t, perSecond, zone));
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(ZONES.length * UNITS_PER_SECOND.length * 20_000L);
  }

  /** Each side of a transition, to the unit: the second before a clock change and the one it starts. */
  @Test
  void dayOf_changesOffsetAtTheTransitionsUnitExactly() {
    for (String z : ZONES) {
      ZoneId zone = ZoneId.of(z);
      for (var transition : zone.getRules().getTransitions()) {
        long second = transition.getInstant().getEpochSecond();
        if (second < -2_208_988_800L) {
          continue;
        }
        for (long perSecond : UNITS_PER_SECOND) {
          InstantDates dates = new InstantDates(zone, 86_400 * perSecond);
          for (long t : new long[] {second * perSecond - 1, second * perSecond, second * perSecond - 1}) {
            assertThat((long) dates.dayOf(t)).as("%s at %s", z, transition).isEqualTo(expected(t, perSecond, zone));
          }
        }
      }
    }
    // Samoa skipped 2011-12-30: 2011-12-29 23:59:59 local is followed by 2011-12-31 00:00:00
    InstantDates apia = new InstantDates(ZoneId.of("Pacific/Apia"), 86_400);
    long skip = Instant.parse("2011-12-30T10:00:00Z").getEpochSecond();
    assertThat(apia.dayOf(skip - 1)).isEqualTo(java.time.LocalDate.of(2011, 12, 29).toEpochDay());
    assertThat(apia.dayOf(skip)).isEqualTo(java.time.LocalDate.of(2011, 12, 31).toEpochDay());
  }

  /** Times at the ends of a long give a day far outside the accepted dates, without an exception. */
  @Test
  void extremeTimes_giveDaysOutsideTheAcceptedRange() {
    InstantDates dates = new InstantDates(ZoneId.of("Pacific/Chatham"), 86_400_000_000_000L);
    for (long t : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1}) {
      int day = dates.dayOf(t);
      assertThat(Math.abs(day)).as("time %d", t).isGreaterThan(84_005);
    }
    InstantDates seconds = new InstantDates(ZoneId.of("Europe/Berlin"), 86_400);
    assertThat(seconds.dayOf(Long.MAX_VALUE)).isEqualTo(1_000_000);
    assertThat(seconds.dayOf(Long.MIN_VALUE)).isEqualTo(-1_000_000);
    assertThat(seconds.dayOf(0)).isEqualTo(0);   // 01:00 in Berlin
  }
}

package io.chainscore.batch.io;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The calendar dates of instants in one time zone: {@link #dayOf} gives the epoch day on which a
 * time of some units since 1970-01-01T00:00Z falls in the zone, the day {@code
 * Instant.atZone(zone).toLocalDate()} gives, for a column of timestamps with a time zone read as
 * dates ({@link io.chainscore.tables.TableSchema#timeZone}).
 *
 * <p>Why not {@code atZone} per row: it allocates and searches the zone's rules for every value. A
 * zone's offset changes at a few transitions a year, so this keeps the interval between the two
 * transitions around the last value converted and its offset; a value inside it is one addition and
 * one division, the same day as {@code atZone}'s (tested on random instants in zones with and
 * without summer time).
 *
 * <p>Thread safety: not thread-safe (the interval is state); one per reader column.
 */
final class InstantDates {
  /** Seconds from 1970 beyond which instants take the offset at this bound. */
  private static final long FAR = 1_000_000_000_000L;

  private final ZoneRules rules;
  private final long unitsPerDay;
  private final long unitsPerSecond;
  /** The instants {@code [from, to)} (in units) share the offset {@link #offset} (in units). */
  private long from = 1;
  private long to = 0;
  private long offset;

  /**
   * Dates in {@code zone} of times in units of which {@code unitsPerDay} make a day (86,400 for
   * seconds, up to 86,400 x 10^9 for nanoseconds).
   */
  InstantDates(ZoneId zone, long unitsPerDay) {
    if (unitsPerDay < 86_400 || unitsPerDay % 86_400 != 0) {
      throw new IllegalArgumentException("units per day: " + unitsPerDay);
    }
    this.rules = zone.getRules();
    this.unitsPerDay = unitsPerDay;
    this.unitsPerSecond = unitsPerDay / 86_400;
  }

  /**
   * The epoch day on which {@code time} falls in the zone, held far outside the dates a table
   * accepts when it is ({@link ArrowTableReader#dayOf}, the rule for times without a zone).
   */
  int dayOf(long time) {
    if (time < from || time >= to) {
      locate(time);
    }
    // the offset is whole seconds, far below the units' range: the sum does not overflow for times a
    // table accepts, and saturates (refused by the range check) for those near the ends of a long
    long local = time + offset;
    if (((time ^ local) & (offset ^ local)) < 0) {
      local = time < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return ArrowTableReader.dayOf(local, unitsPerDay);
  }

  /** Sets the interval and offset of the instant {@code time}. */
  private void locate(long time) {
    long second = Math.floorDiv(time, unitsPerSecond);
    // instants more than about 31,000 years from 1970 take the offset of that bound (any such day is
    // refused by the range check anyway)
    Instant at = Instant.ofEpochSecond(Math.max(-FAR, Math.min(FAR, second)));
    offset = (long) rules.getOffset(at).getTotalSeconds() * unitsPerSecond;
    // transitions fall on whole seconds: the one at or before this second starts the interval
    ZoneOffsetTransition before = rules.previousTransition(at.plusSeconds(1));
    ZoneOffsetTransition after = rules.nextTransition(at);
    from = before == null ? Long.MIN_VALUE : units(before.getInstant().getEpochSecond());
    to = after == null ? Long.MAX_VALUE : units(after.getInstant().getEpochSecond());
    if (time < from || time >= to) {
      // unit overflow at the interval's ends: convert this value alone next time too
      from = time;
      to = time + 1 == Long.MIN_VALUE ? time : time + 1;
    }
  }

  /** {@code second} in units, saturated at the ends of a long. */
  private long units(long second) {
    long high = Math.multiplyHigh(second, unitsPerSecond);
    long low = second * unitsPerSecond;
    return high == (low >> 63) ? low : second < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
  }
}

package io.chainscore.scoring.spi;

import java.util.List;

/**
 * An additive points scorecard: {@code points = basePoints + the points of the bin each
 * characteristic's value falls in}.
 *
 * <p>Thread safety: immutable value.
 *
 * @param basePoints points every row starts from
 * @param characteristics characteristics in bundle order
 */
public record ScorecardView(double basePoints, List<Characteristic> characteristics) implements ModelView {
  /** Copies the list. */
  public ScorecardView {
    characteristics = List.copyOf(characteristics);
  }
}

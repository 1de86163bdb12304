package io.chainscore.scoring.spi;

import java.util.List;

/**
 * The view of a segmented model: its segments in routing order, each with its routing rule as
 * text and the view of its own model.
 *
 * <p>Thread safety: immutable.
 *
 * @param segments the segments, the last one {@code "otherwise"}
 */
public record SegmentedView(List<Segment> segments) implements ModelView {
  /**
   * A routing rule's {@code "missing"} that sends rows missing its feature on to the next rule (as
   * PMML's {@code selectFirst} does); therefore never a segment's name (docs/model-bundle.md).
   */
  public static final String MISSING_TO_NEXT_RULE = "next";

  /** Copies the list. */
  public SegmentedView {
    segments = List.copyOf(segments);
  }

  /**
   * One segment.
   *
   * @param name the segment's name
   * @param rule its routing rule as text, for example {@code months_active < 12} or {@code otherwise}
   * @param model the view of the segment's model
   */
  public record Segment(String name, String rule, ModelView model) {}
}

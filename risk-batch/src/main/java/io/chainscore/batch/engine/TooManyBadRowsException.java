package io.chainscore.batch.engine;

import java.io.IOException;

/** A run stopped because more input rows were quarantined than {@code --max-bad-rows} allows. */
public final class TooManyBadRowsException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long limit;
  private final long seen;
  private final String lastReason;

  public TooManyBadRowsException(long limit, long seen, String lastReason) {
    super("stopped after " + seen + " bad rows (--max-bad-rows " + limit + "); the last: " + lastReason);
    this.limit = limit;
    this.seen = seen;
    this.lastReason = lastReason;
  }

  /** The limit the run was given. */
  public long limit() {
    return limit;
  }

  /** The bad rows counted when the run stopped. */
  public long seen() {
    return seen;
  }

  /** What was wrong with the last of them. */
  public String lastReason() {
    return lastReason;
  }
}

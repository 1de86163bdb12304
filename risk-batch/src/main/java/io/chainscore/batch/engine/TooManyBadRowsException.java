package io.chainscore.batch.engine;

import java.io.IOException;

/** A run stopped because more input rows were quarantined than {@code --max-bad-rows} allows. */
public final class TooManyBadRowsException extends IOException {
  private static final long serialVersionUID = 1L;

  public TooManyBadRowsException(long limit, long seen, String lastReason) {
    super("stopped after " + seen + " bad rows (--max-bad-rows " + limit + "); the last: " + lastReason);
  }
}

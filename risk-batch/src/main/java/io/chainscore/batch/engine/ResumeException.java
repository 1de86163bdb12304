package io.chainscore.batch.engine;

import java.io.IOException;

/** An interrupted run's state does not allow the requested start: resume or restart explicitly. */
public final class ResumeException extends IOException {
  private static final long serialVersionUID = 1L;

  public ResumeException(String message) {
    super(message);
  }
}

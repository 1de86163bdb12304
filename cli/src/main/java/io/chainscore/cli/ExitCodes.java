package io.chainscore.cli;

/** Process exit codes of the {@code chainscore} tool, as documented in the README. */
final class ExitCodes {
  /** The command did all it was asked. */
  static final int SUCCESS = 0;
  /** The command failed (an I/O error, an internal error). */
  static final int FAILURE = 1;
  /** Bad usage or bad input: unknown option, missing argument, unreadable or invalid file. */
  static final int BAD_INPUT = 2;
  /** The command completed but quarantined some input rows. */
  static final int QUARANTINED = 3;

  private ExitCodes() {}
}

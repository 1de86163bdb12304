package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;

/**
 * Decides what happens to a row that cannot be parsed: quarantine it (return normally, the row is
 * skipped) or stop the read (throw).
 */
@FunctionalInterface
public interface BadRowHandler {
  /** Fails the read on the first bad row. */
  BadRowHandler STRICT = error -> {
    throw error;
  };

  /**
   * Called once per bad row, on the reading thread, in row order.
   *
   * @param error names the file, row, column and the reason
   */
  void badRow(InputFormatException error);
}

package io.chainscore.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The one rule for the batch commands' {@code --threads}: 0 (one per core) or 1 to {@value #MOST}. */
final class ThreadOption {
  /** Most threads a run takes: more only adds per-thread buffers (and ran out of memory at 100,000). */
  static final int MOST = 1024;

  private ThreadOption() {}

  /**
   * The thread count to run with: {@code threads}, or the machine's cores for 0.
   *
   * @throws ParameterException for a negative count or one above {@value #MOST}
   */
  static int resolve(CommandSpec spec, int threads) {
    if (threads < 0 || threads > MOST) {
      throw new ParameterException(spec.commandLine(), "--threads: expected 0 (one per core) or 1 to " + MOST
          + ", got " + threads);
    }
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}

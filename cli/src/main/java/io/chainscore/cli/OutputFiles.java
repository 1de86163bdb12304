package io.chainscore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a command writes a single output file before it is whole: a hidden file beside it, moved
 * into place when complete (never a half-written file under the user's name). The output's
 * directory is created when missing, as {@code features}, {@code score} and {@code generate}
 * create theirs, so that {@code --out models/new.json} works without a {@code mkdir} first (until
 * 2026-12-05 {@code train}, {@code import}, {@code export}, {@code bins}, {@code whatif} and {@code
 * sign} refused it with a message naming the hidden file).
 */
final class OutputFiles {
  private OutputFiles() {}

  /** The hidden file beside {@code out} to write first; {@code out}'s directory is created if missing. */
  static Path partialBeside(Path out) throws IOException {
    createDirectoryOf(out);
    return out.resolveSibling("." + out.getFileName() + ".tmp");
  }

  /** Creates {@code out}'s directory when missing, for a library that writes {@code out} whole itself. */
  static void createDirectoryOf(Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}

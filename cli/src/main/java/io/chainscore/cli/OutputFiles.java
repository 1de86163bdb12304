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

  /**
   * The one check of a single output file before any work: refused when {@code out} is a directory
   * (the hidden file beside it could not be moved there: {@code train --out DIR --overwrite} failed
   * after training with "Is a directory" and left the hidden file behind), or when it exists and
   * {@code overwrite} is off.
   */
  static void refuseExisting(Path out, boolean overwrite) throws IOException {
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException(out + " is a directory; --out names the file to write, e.g. "
          + out.resolve("model.json"));
    }
    if (Files.exists(out) && !overwrite) {
      throw new java.nio.file.FileAlreadyExistsException(out.toString(), null,
          "already exists; pass --overwrite to replace it");
    }
  }

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

  /**
   * Runs {@code command}, which writes {@code out}, with {@code out}'s directory created first
   * when missing; if the command fails, the directories this created are removed again where
   * they are still empty, so that a failed run leaves nothing behind (a run refused for a bad
   * input file used to leave the empty directory it had made).
   */
  static <T> T inDirectoryOf(Path out, Command<T> command) throws Exception {
    Path parent = out.toAbsolutePath().getParent();
    Path created = null;   // the highest directory this call creates
    if (parent != null && !Files.isDirectory(parent)) {
      created = parent;
      while (created.getParent() != null && !Files.exists(created.getParent())) {
        created = created.getParent();
      }
      Files.createDirectories(parent);
    }
    try {
      return command.run();
    } catch (Exception | Error e) {
      if (created != null) {
        for (Path p = parent; p != null && p.startsWith(created); p = p.getParent()) {
          try {
            Files.deleteIfExists(p);   // refused when not empty: the failure's own evidence stays
          } catch (IOException notEmpty) {
            break;
          }
        }
      }
      throw e;
    }
  }

  /** A command's work, which may throw what the command declares. */
  @FunctionalInterface
  interface Command<T> {
    T run() throws Exception;
  }
}

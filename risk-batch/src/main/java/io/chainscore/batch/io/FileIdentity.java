package io.chainscore.batch.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether two paths name one file, as the file system resolves them: the one rule by which a run
 * refuses to write over its own input or to give two outputs one file ({@code chainscore}'s
 * commands, and the Spark job for its local paths). Links are followed, so a path through a link to
 * the portfolio's folder names the table it reaches.
 *
 * <p>Thread safety: stateless.
 */
public final class FileIdentity {
  private FileIdentity() {}

  /**
   * {@code file} as the file system knows it, to tell whether two paths name one file: its real
   * path where it exists (links followed), else the real path of its nearest existing folder with
   * the rest of the path, normalized.
   */
  public static Path canonical(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
    } catch (IOException e) {
      return absolute;
    }
  }

  /** Whether {@code a} and {@code b} name the same file ({@link #canonical}; one file under two hard links too). */
  public static boolean sameFile(Path a, Path b) {
    if (canonical(a).equals(canonical(b))) {
      return true;
    }
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}

package io.chainscore.develop.fit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code shared/data}, the reference data beside the repository. */
final class SharedData {
  private SharedData() {}

  /** The {@code shared/data} folder of the nearest ancestor that has one; fails if none. */
  static Path dir() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path candidate = p.resolve("shared").resolve("data");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("shared/data not found beside the repository (looked upward from "
        + Path.of("").toAbsolutePath() + "); the reference tests need it");
  }
}

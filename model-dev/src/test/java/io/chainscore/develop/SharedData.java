package io.chainscore.develop;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only reference data folder {@code shared/data} that sits beside the
 * repository clone (CI: {@code ../shared}; worktrees: further up). Fails, never skips, when it is
 * missing, because the reference tests are the point.
 */
public final class SharedData {
  private SharedData() {}

  /** A file under {@code shared/data}, e.g. {@code file("german_credit", "german.data")}. */
  public static Path file(String first, String... more) {
    Path dir = dataDir();
    Path p = dir.resolve(Path.of(first, more));
    if (!Files.isRegularFile(p)) {
      fail("reference data file " + p + " is missing");
    }
    return p;
  }

  private static Path dataDir() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("data");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return fail(
        "cannot find the reference data folder shared/data beside the repository: walked up from "
            + start
            + "; clone the repository next to shared/ (see README)");
  }
}

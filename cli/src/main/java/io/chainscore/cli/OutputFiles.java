package io.chainscore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
  static void refuseAsOutputFile(Path out, boolean overwrite) throws IOException {
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException(out + " is a directory; --out names the file to write, e.g. "
          + out.resolve("model.json"));
    }
    if (!overwrite) {
      refuseExisting(out);
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

  /**
   * The one refusal of an output file that exists when the command was not given {@code
   * --overwrite}: {@code FILE already exists; pass --overwrite to replace it}, and when {@code
   * owner} is not null, the manifest of the run the file belongs to.
   */
  static java.nio.file.FileAlreadyExistsException alreadyExists(Path file, Path owner) {
    return new java.nio.file.FileAlreadyExistsException(file.toString(), null, "already exists"
        + (owner == null ? "" : " (an output of the run of " + owner + ")") + "; pass --overwrite to replace it");
  }

  /** Refuses ({@link #alreadyExists}) the first of {@code files} that exists. */
  static void refuseExisting(Path... files) throws java.nio.file.FileAlreadyExistsException {
    for (Path p : files) {
      if (Files.exists(p)) {
        throw alreadyExists(p, null);
      }
    }
  }

  /**
   * The run manifest ({@code *.manifest.json}) in {@code file}'s directory that lists {@code file}
   * among its outputs, or is {@code file}, and is not the manifest of the run about to write {@code
   * ownOutput} with {@code ownManifest}; null when there is none. A file is matched by its name, as
   * a run's directory is read for {@code --baseline} ({@link BaselineRun}). A manifest that cannot
   * be read lists nothing.
   *
   * <p>For side files two runs can share: {@code score}'s default quarantine {@code
   * BASE.quarantine.csv} is the same file for {@code s.csv} and {@code s.arrow}, and for a {@code
   * features} output of that base name. Such a file that no other run's manifest lists is what a
   * run stopped by its bad-row limit left, which the rerun replaces.
   */
  static Path otherRunListing(Path file, Path ownManifest, Path ownOutput) throws IOException {
    // listed as the file was named, so the manifest is named alike in a message
    Path dir = file.getParent() != null ? file.getParent() : Path.of(".");
    if (!Files.isDirectory(dir)) {
      return null;
    }
    String name = file.getFileName().toString();
    Path own = ownManifest.toAbsolutePath().normalize();
    List<Path> manifests = io.chainscore.batch.engine.RunManifest.manifestsIn(dir).stream()
        .map(f -> file.getParent() != null ? f : f.getFileName()).toList();
    for (Path m : manifests) {
      com.fasterxml.jackson.databind.JsonNode json;
      try {
        json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.toFile());
      } catch (com.fasterxml.jackson.core.JacksonException unreadable) {
        continue;
      }
      java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> named = entry -> {
        Path recorded = entry.path("path").asText("").isEmpty() ? null : Path.of(entry.path("path").asText());
        return recorded != null && recorded.getFileName() != null && recorded.getFileName().toString().equals(name);
      };
      if (m.toAbsolutePath().normalize().equals(own)) {
        // this run's own manifest, unless a --manifest-out names another output's
        String first = json.path("outputs").path(0).path("path").asText("");
        Path firstName = first.isEmpty() ? null : Path.of(first).getFileName();
        if (firstName == null || firstName.toString().equals(ownOutput.getFileName().toString())) {
          continue;
        }
      }
      if (m.getFileName().toString().equals(name)) {
        return m;
      }
      for (com.fasterxml.jackson.databind.JsonNode entry : json.path("outputs")) {
        if (named.test(entry)) {
          return m;
        }
      }
    }
    return null;
  }

  /**
   * {@code file} as the file system knows it, to tell whether two paths name one file: its real
   * path where it exists (links followed), else the real path of its nearest existing folder with
   * the rest of the path, normalized.
   */
  static Path canonical(Path file) {
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
  static boolean sameFile(Path a, Path b) {
    if (canonical(a).equals(canonical(b))) {
      return true;
    }
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** A command's work, which may throw what the command declares. */
  @FunctionalInterface
  interface Command<T> {
    T run() throws Exception;
  }
}

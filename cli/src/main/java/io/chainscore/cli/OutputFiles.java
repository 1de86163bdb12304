package io.chainscore.cli;

import io.chainscore.batch.io.FileIdentity;
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
    refuseAsOutputFile(out, overwrite, "model.json");
  }

  /** {@link #refuseAsOutputFile(Path, boolean)} naming {@code example} as the file to write inside a folder. */
  static void refuseAsOutputFile(Path out, boolean overwrite, String example) throws IOException {
    refuseDirectory(RunFile.option("--out", out, example));
    if (!overwrite) {
      refuseExisting(out);
    }
  }

  /** The one refusal of an output the user named that is a directory (its staged file could not be moved there). */
  private static void refuseDirectory(RunFile output) {
    if (output.option() != null && Files.isDirectory(output.path())) {
      throw new IllegalArgumentException(output.path() + " is a directory; " + output.option()
          + " names the file to write, e.g. " + output.path().resolve(output.example()));
    }
  }

  /**
   * A file a run reads or writes, and the words a refusal names it by: the option and its value
   * ({@code --out s.csv}), or what the run calls a file it derives ({@code the summary
   * s.csv.summary.json}, {@code --transactions P (its table P/loans.csv)}).
   *
   * @param option the option that names the file, or null for a file the run derives
   * @param label how a message names the file
   * @param example for an output named by {@code option}: a file name to suggest inside a folder given instead
   */
  record RunFile(String option, String label, Path path, String example) {
    /** A file named by {@code option}. */
    static RunFile option(String option, Path path, String example) {
      return new RunFile(option, option + " " + path, path, example);
    }

    /** A file the run derives: {@code what} names it ({@code the summary}). */
    static RunFile derived(String what, Path path) {
      return new RunFile(null, what + " " + path, path, null);
    }

    /** {@code option}'s value when it was given, else the file the run derives. */
    static RunFile either(String option, Path given, String example, String what, Path derived) {
      return given != null ? option(option, given, example) : derived(what, derived);
    }

    /** A file inside the folder {@code option} names: {@code --transactions P (its table P/loans.csv)}. */
    static RunFile inside(String option, Path folder, String what, Path file) {
      return new RunFile(null, option + " " + folder + " (its " + what + " " + file + ")", file, null);
    }
  }

  /**
   * The one check, before any work, of the outputs of a run that writes several files ({@code
   * score}, {@code features}): none the user named is a folder, each of {@code tables} names a
   * table format by its extension, and each can be written where it goes (its folder, or the
   * nearest existing folder above it, which the run creates it in, is a folder this user may
   * write). Until 2026-12-07 these were found after the work: a folder as {@code --out} when the
   * commit renamed into it, an unknown extension naming the staged file, a read-only {@code
   * --manifest-out} folder naming its temporary file. A folder where a side file the run derives
   * goes ({@code s.csv.summary.json/}) is still met by the commit, which journals the finished
   * files for {@code --resume} (docs/reliability.md).
   */
  static void refuseAsRunOutputs(List<RunFile> tables, List<RunFile> others) {
    List<RunFile> all = new java.util.ArrayList<>(tables);
    all.addAll(others);
    for (RunFile output : all) {
      refuseDirectory(output);
    }
    for (RunFile table : tables) {
      io.chainscore.batch.io.OutputSpool.kind(table.path());   // the engine's own refusal, with the user's path
    }
    for (RunFile output : all) {
      Path folder = nearestExisting(output.path().getParent(), output.path().isAbsolute());
      if (folder == null) {
        continue;
      }
      refuseFileInTheWay(output.label(), output.path(), folder);
      if (!Files.isWritable(folder)) {
        throw new IllegalArgumentException(output.label() + ": cannot be written: its folder " + folder
            + " is not writable by this user");
      }
    }
  }

  /**
   * The one check, before any work, that a run writes neither over a file it reads nor two of its
   * outputs to one file (paths compared as the file system resolves them, {@link FileIdentity#sameFile}): the
   * first clash is refused naming both. Until 2026-12-07 {@code --quarantine-out} naming the input
   * deleted it, {@code --out} naming an input replaced it with {@code --overwrite}, and {@code
   * --manifest-out} naming {@code --out} or the quarantine overwrote it.
   */
  static void refuseClashes(List<RunFile> inputs, List<RunFile> outputs) {
    for (RunFile output : outputs) {
      for (RunFile input : inputs) {
        if (FileIdentity.sameFile(output.path(), input.path())) {
          throw new IllegalArgumentException(output.label() + " is a file the run reads, " + input.label()
              + "; a run never writes over its input");
        }
      }
    }
    for (int i = 0; i < outputs.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (FileIdentity.sameFile(outputs.get(i).path(), outputs.get(j).path())) {
          throw new IllegalArgumentException(outputs.get(i).label() + " is the same file as " + outputs.get(j).label()
              + "; each output of a run needs a file of its own");
        }
      }
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
      createFolder(parent);
    }
  }

  /**
   * The one way a command creates an output folder and the missing folders above it: refused
   * (bad input, exit 2) naming the file in the way when {@code folder} or a folder above it is a
   * file. Until 2026-12-07 {@code generate}, {@code demo}, {@code portfolio}, {@code ecl}, {@code
   * monitor} and {@code keygen} let the file system's "Not a directory" through, which {@link
   * ExitCodes} counts as an I/O failure (exit 1).
   *
   * @return {@code folder}
   */
  static Path createFolder(Path folder) throws IOException {
    refuseFolderUnderAFile(folder);
    try {
      return Files.createDirectories(folder);
    } catch (java.nio.file.NoSuchFileException e) {
      // The folder above exists (refuseFolderUnderAFile walked to it), yet its file system refused
      // the new folder with "no such file" (procfs, sysfs, a vanished mount): say what failed.
      throw new IllegalArgumentException(folder + ": cannot be written: the file system of "
          + nearestExisting(folder, folder.isAbsolute()) + " refuses new folders (\"no such file\")");
    }
  }

  /**
   * The check, before the work, of a command that writes fixed files into a folder it makes after
   * the work ({@code validate}, {@code portfolio}, {@code ecl}, {@code monitor}): the folder is not
   * under a file ({@link #refuseFolderUnderAFile}) and none of {@code files} is a directory there
   * ({@link io.chainscore.batch.engine.FileSetCommit#refuseDirectory}).
   */
  static void refuseAsResultFolder(Path folder, String... files) {
    refuseFolderUnderAFile(folder);
    for (String file : files) {
      io.chainscore.batch.engine.FileSetCommit.refuseDirectory(folder.resolve(file));
    }
  }

  /** {@link #createFolder}'s refusal alone, for a command that checks before its work and creates the folder after it. */
  static void refuseFolderUnderAFile(Path folder) {
    Path existing = nearestExisting(folder, folder.isAbsolute());
    if (existing != null) {
      refuseFileInTheWay(folder.toString(), folder, existing);
    }
  }

  /**
   * The nearest existing path at or above {@code start}, as the user named it (a relative path
   * stays relative, and the working folder is above its first name); null for an absolute path
   * none of whose folders exists.
   */
  private static Path nearestExisting(Path start, boolean absolute) {
    Path p = start;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p != null ? p : absolute ? null : Path.of(".");
  }

  /**
   * The one refusal of an output ({@code label}, at {@code path}) whose nearest existing path
   * {@code existing} is a file: nothing can be made inside it.
   */
  private static void refuseFileInTheWay(String label, Path path, Path existing) {
    if (!Files.isDirectory(existing)) {
      throw new IllegalArgumentException(label + ": cannot be written: " + (existing.equals(path)
          ? "it is a file, not a folder" : existing + " is a file, not a folder"));
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
      createFolder(parent);
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
      com.fasterxml.jackson.databind.JsonNode json = io.chainscore.batch.engine.RunManifest.read(m);
      if (json == null) {
        continue;
      }
      if (m.toAbsolutePath().normalize().equals(own)) {
        // this run's own manifest, unless a --manifest-out names another output's
        String first = json.path("outputs").path(0).path("path").asText("");
        Path firstName = first.isEmpty() ? null : Path.of(first).getFileName();
        if (firstName == null || firstName.toString().equals(ownOutput.getFileName().toString())) {
          continue;
        }
      }
      if (m.getFileName().toString().equals(name) || listsFileNamed(json, name)) {
        return m;
      }
    }
    return null;
  }

  /**
   * Whether a run manifest in {@code file}'s folder other than those in {@code exempt} (canonical
   * paths) lists it by name, or as one of its files ({@code RunManifest.listedOutputs}: with a
   * {@code score --transactions} run's kept feature table).
   */
  static boolean listedByAnother(Path file, java.util.Set<Path> exempt) throws IOException {
    String name = file.getFileName().toString();
    for (Path m : io.chainscore.batch.engine.RunManifest.manifestsIn(file.toAbsolutePath().getParent())) {
      if (exempt.contains(FileIdentity.canonical(m))) {
        continue;
      }
      com.fasterxml.jackson.databind.JsonNode json = io.chainscore.batch.engine.RunManifest.read(m);
      if (json != null && (listsFileNamed(json, name) || io.chainscore.batch.engine.RunManifest.listedOutputs(m, json)
          .keySet().stream().anyMatch(listed -> FileIdentity.sameFile(listed, file)))) {
        return true;
      }
    }
    return false;
  }

  /** Whether run manifest {@code json} lists among its outputs a file named {@code name} (in any folder). */
  static boolean listsFileNamed(com.fasterxml.jackson.databind.JsonNode json, String name) {
    for (com.fasterxml.jackson.databind.JsonNode e : json.path("outputs")) {
      Path listed;
      try {
        listed = e.path("path").asText("").isEmpty() ? null : Path.of(e.path("path").asText()).getFileName();
      } catch (java.nio.file.InvalidPathException notAPath) {
        continue;
      }
      if (listed != null && name.equals(listed.toString())) {
        return true;
      }
    }
    return false;
  }

  /** A command's work, which may throw what the command declares. */
  @FunctionalInterface
  interface Command<T> {
    T run() throws Exception;
  }
}

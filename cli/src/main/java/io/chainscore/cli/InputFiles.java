package io.chainscore.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Checks the paths given on the command line before a command runs, so that a directory where a
 * file is expected, a file where a directory is expected, a symbolic-link loop or a dangling link
 * is refused with one line naming the option and the path (exit 2), not found out deep inside a
 * reader as "Is a directory" or "no such file".
 */
final class InputFiles {
  /**
   * Options whose value is a file, by command (with the hidden names they had before): files to
   * read, and {@code whatif --out}, a table to write, whose folder was refused as "an unknown
   * extension" until 2026-12-07.
   */
  private static final Map<String, Set<String>> FILES = Map.ofEntries(
      Map.entry("score", Set.of("--model", "--features", "--input", "--exposures", "--challenger")),
      Map.entry("explain", Set.of("--model", "--features")),
      Map.entry("whatif", Set.of("--model", "--features", "--out")),
      Map.entry("train", Set.of("--data", "--labels", "--binning", "--rejects")),
      Map.entry("bins", Set.of("--data", "--labels", "--binning")),
      Map.entry("validate", Set.of("--model", "--data", "--labels", "--compare")),
      Map.entry("document", Set.of("--model", "--data", "--labels")),
      Map.entry("import", Set.of("--source", "--in", "--schema", "--reference-data")),
      Map.entry("export", Set.of("--model")),
      Map.entry("portfolio", Set.of("--scores", "--exposures", "--scenario", "--features", "--model", "--anchor-pds")),
      Map.entry("ecl", Set.of("--scores", "--exposures", "--origination", "--days-past-due", "--migration",
          "--migration-from", "--labels", "--anchor-pds", "--origination-anchor-pds", "--scenarios")),
      Map.entry("monitor", Set.of("--model", "--labels")),
      Map.entry("sign", Set.of("--model", "--key")));
  /**
   * File options that also take a table written as a directory of Parquet part files ({@code
   * scores.parquet/}, as Spark writes it: the Spark job's scores), by command: tables the command
   * reads whole and does not hash into a manifest.
   */
  private static final Map<String, Set<String>> TABLE_DIRECTORIES = Map.ofEntries(
      Map.entry("portfolio", Set.of("--scores", "--exposures", "--features", "--anchor-pds")),
      // the tables ecl and monitor read through the table reader (not --days-past-due and
      // --scenarios, read as CSV)
      Map.entry("ecl", Set.of("--scores", "--exposures", "--origination", "--migration-from", "--labels",
          "--anchor-pds", "--origination-anchor-pds")),
      Map.entry("monitor", Set.of("--labels")));
  /** Options whose value is a directory, read or written, by command. */
  private static final Map<String, Set<String>> DIRECTORIES = Map.ofEntries(
      // not --baseline: a run's directory, or its manifest or score table (BaselineRun)
      Map.entry("score", Set.of("--transactions")),
      Map.entry("features", Set.of("--transactions", "--input")),
      Map.entry("validate", Set.of("--out")),
      Map.entry("portfolio", Set.of("--out")),
      Map.entry("ecl", Set.of("--out", "--previous")),
      Map.entry("monitor", Set.of("--out")),
      Map.entry("generate", Set.of("--out")),
      Map.entry("demo", Set.of("--out", "--work-dir")));

  /**
   * Path options that take a file or a directory, by command: checked for links only. Every path
   * option of every command is in {@link #FILES}, {@link #DIRECTORIES} or here ({@code
   * InputFilesTest} enumerates them), so that a new option cannot go unchecked, as ecl's, monitor's,
   * train's, bins', document's and validate --labels did until 2026-12-08 (a directory given for a
   * table was "Is a directory", exit 1).
   */
  private static final Map<String, Set<String>> EITHER = Map.ofEntries(
      // --baseline: a run's directory, or its manifest or score table (BaselineRun); --trust: a PEM
      // file or a folder of keys; the outputs each command checks itself (a Parquet output may be
      // a folder of part files)
      Map.entry("score", Set.of("--baseline", "--trust", "--out", "--quarantine-out", "--manifest-out", "--quarantine",
          "--manifest")),
      Map.entry("features", Set.of("--out")),
      Map.entry("explain", Set.of("--trust")),
      Map.entry("whatif", Set.of("--trust")),
      Map.entry("train", Set.of("--out", "--holdout-out")),
      Map.entry("bins", Set.of("--out")),
      Map.entry("validate", Set.of("--baseline", "--trust")),
      Map.entry("document", Set.of("--trust", "--out")),
      Map.entry("import", Set.of("--out")),
      Map.entry("export", Set.of("--out")),
      Map.entry("portfolio", Set.of("--trust")),
      // a run folder, or a folder of several runs' manifests: the manifest of the one to use
      Map.entry("monitor", Set.of("--runs", "--reference", "--trust")),
      Map.entry("sign", Set.of("--out")),
      Map.entry("keygen", Set.of("--out")));

  /** The hidden names outputs had before the flag convention ({@code score --quarantine}, {@code --manifest}; {@code demo --work-dir}). */
  private static final Set<String> LEGACY_OUTPUTS = Set.of("--quarantine", "--manifest", "--work-dir");

  private InputFiles() {}

  /**
   * Whether {@code command}'s path option {@code option} (its longest name) is declared a file, a
   * directory or either: what {@code InputFilesTest} asks of every path option of every command.
   */
  static boolean declares(String command, String option) {
    return FILES.getOrDefault(command, Set.of()).contains(option)
        || DIRECTORIES.getOrDefault(command, Set.of()).contains(option)
        || EITHER.getOrDefault(command, Set.of()).contains(option);
  }

  /**
   * Checks every path option of {@code command} that was given.
   *
   * @throws IllegalArgumentException naming the option, the path and what was expected
   */
  static void check(CommandSpec command) {
    String name = command.name();
    for (OptionSpec option : command.options()) {
      for (Path path : paths(option)) {
        String label = option.longestName() + " " + path;
        checkLinks(path, label);
        if (FILES.getOrDefault(name, Set.of()).contains(option.longestName()) && Files.isDirectory(path)
            && !(TABLE_DIRECTORIES.getOrDefault(name, Set.of()).contains(option.longestName())
                && io.chainscore.batch.io.TableReader.isTableDirectory(path))) {
          throw new IllegalArgumentException(label + ": is a directory; expected a file");
        }
        if (DIRECTORIES.getOrDefault(name, Set.of()).contains(option.longestName())
            && Files.exists(path) && !Files.isDirectory(path)) {
          throw new IllegalArgumentException(label + ": is a file; expected a directory");
        }
      }
    }
    refuseOutputsOverInputs(command);
  }

  /**
   * The paths an option was given: its value when it is a path, each value when it is a
   * repeatable path option ({@code ecl --origination A --origination B}, {@code monitor --runs});
   * none otherwise or when it was not given.
   */
  private static List<Path> paths(OptionSpec option) {
    Object value = option.getValue();
    if (value == null) {
      return List.of();
    }
    if (option.type() == Path.class) {
      return List.of((Path) value);
    }
    Class<?>[] elements = option.auxiliaryTypes();
    if (List.class.isAssignableFrom(option.type()) && elements.length == 1 && elements[0] == Path.class) {
      @SuppressWarnings("unchecked")
      List<Path> values = (List<Path>) value;
      return values;
    }
    return List.of();
  }

  /**
   * The convention's "no output replaces an input, or another output, --overwrite or not", for
   * every command: an output option ({@code --out}, {@code --WHAT-out}) naming the same file as
   * an input option (a file, not a folder) or as another output option is refused before any work,
   * naming both ({@link OutputFiles#refuseClashes}). {@code score} and {@code features} check
   * the files they derive beside {@code --out} too; until 2026-12-07 the other commands checked
   * nothing, and {@code sign --out}, {@code export --out}, {@code import --out}, {@code whatif
   * --out}, {@code document --out}, {@code bins --out} and {@code train --holdout-out} naming their
   * input replaced it with {@code --overwrite} ({@code train --holdout-out} even without).
   */
  private static void refuseOutputsOverInputs(CommandSpec command) {
    List<OutputFiles.RunFile> inputs = new ArrayList<>();
    List<OutputFiles.RunFile> outputs = new ArrayList<>();
    picocli.CommandLine.ParseResult given = command.commandLine().getParseResult();
    for (OptionSpec option : command.options()) {
      // the options given, each once: a hidden old name sets its new name's field too
      if (given != null && !given.hasMatchedOption(option)) {
        continue;
      }
      for (Path path : paths(option)) {
        OutputFiles.RunFile file = OutputFiles.RunFile.option(option.longestName(), path, null);
        if (Arrays.stream(option.names()).anyMatch(n -> n.equals("--out") || n.endsWith("-out")
            || LEGACY_OUTPUTS.contains(n))) {
          outputs.add(file);
        } else if (!Files.isDirectory(path)) {
          inputs.add(file);
        }
      }
    }
    OutputFiles.refuseClashes(inputs, outputs);
  }

  /** Refuses a symbolic-link loop or a dangling link, anywhere along the path. */
  private static void checkLinks(Path path, String label) {
    if (Files.exists(path) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !hasLinkParent(path)) {
      return;
    }
    try {
      path.toRealPath();
    } catch (NoSuchFileException e) {
      if (Files.isSymbolicLink(path)) {
        throw new IllegalArgumentException(label + ": is a symbolic link to a missing file");
      }
    } catch (FileSystemException e) {
      String reason = e.getReason() == null ? "" : e.getReason();
      if (reason.toLowerCase(java.util.Locale.ROOT).contains("symbolic link")) {
        throw new IllegalArgumentException(label + ": is a symbolic link loop (" + reason + ")");
      }
      throw new IllegalArgumentException(label + ": cannot be resolved (" + reason + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException(label + ": cannot be resolved (" + e.getMessage() + ")");
    }
  }

  private static boolean hasLinkParent(Path path) {
    for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses {@code file} unless it is a readable file (not a directory); for inputs computed at
   * run time rather than given on the command line.
   */
  static void requireReadableFile(Path file, String what) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(what + " " + file + ": is a directory; expected a file");
    }
    if (!Files.exists(file)) {
      checkLinks(file, what + " " + file);
      throw new NoSuchFileException(file.toString());
    }
  }
}

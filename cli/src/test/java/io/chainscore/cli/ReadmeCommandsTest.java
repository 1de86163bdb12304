package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's shell blocks run as written: every {@code ./chainscore} line of every {@code bash}
 * block of {@code README.md} and then of {@code docs/examples/README.md}, in document order, as an in-process {@link ChainScoreCli} call in a fresh temporary
 * directory, exits 0 (or 3 when it wrote a quarantine file). Relative paths are taken from that
 * directory, except those naming a file of the repository (such as {@code docs/examples/...}),
 * which are taken from the clone, as a user in the clone's root would have them.
 */
class ReadmeCommandsTest {
  @TempDir Path work;

  @Test
  void readme_everyChainscoreLineRunsAsWritten() throws IOException {
    Path root = repositoryRoot();
    List<List<String>> commands = new ArrayList<>(chainscoreLines(Files.readString(root.resolve("README.md"))));
    // The full run (generate -> features -> train -> validate -> score -> portfolio) is among them.
    assertThat(commands.stream().map(c -> c.get(0)).toList())
        .contains("demo", "generate", "features", "train", "validate", "score", "portfolio");
    // The examples' own README runs its book the same way.
    commands.addAll(chainscoreLines(Files.readString(root.resolve("docs/examples/README.md"))));
    for (List<String> command : commands) {
      String[] args = new String[command.size()];
      for (int i = 0; i < args.length; i++) {
        // a zone id (Asia/Shanghai) has a slash but names no file
        args[i] = i > 0 && command.get(i - 1).equals("--time-zone") ? command.get(i) : resolve(command.get(i), root);
      }
      long start = System.nanoTime();
      CliRun run = CliRun.of(args);
      String line = "./chainscore " + String.join(" ", command);
      System.out.printf(java.util.Locale.ROOT, "%5.1f s  exit %d  %s%n", (System.nanoTime() - start) / 1e9, run.code(), line);
      if (run.code() == ExitCodes.QUARANTINED) {
        assertThat(quarantineFiles()).as(line + " exited 3 without a quarantine file").isNotEmpty();
      } else {
        assertThat(run.code()).as(line + "\n" + run.err()).isZero();
      }
      assertThat(run.err()).as(line).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void chainscoreLines_joinsContinuationsDropsCommentsAndSkipsOtherBlocks() {
    String md = "text\n```bash\n./chainscore demo   # the main job\nmvn -B verify\n"
        + "./chainscore portfolio --scores \"a b.csv\" \\\n  --out work/risk\n```\n"
        + "```java\n./chainscore not-shell\n```\n";
    assertThat(chainscoreLines(md)).containsExactly(
        List.of("demo"), List.of("portfolio", "--scores", "a b.csv", "--out", "work/risk"));
  }

  /** The arguments of every {@code ./chainscore} line in the {@code bash} blocks of {@code markdown}. */
  static List<List<String>> chainscoreLines(String markdown) {
    List<List<String>> commands = new ArrayList<>();
    boolean inBash = false;
    StringBuilder pending = new StringBuilder();
    for (String raw : markdown.split("\n", -1)) {
      String line = raw.strip();
      if (line.startsWith("```")) {
        inBash = !inBash && (line.equals("```bash") || line.equals("```sh") || line.equals("```shell"));
        continue;
      }
      if (!inBash) {
        continue;
      }
      if (pending.length() > 0 || line.startsWith("./chainscore ")) {
        boolean continued = line.endsWith("\\");
        pending.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
        if (!continued) {
          List<String> words = io.chainscore.docs.ShellWords.of(pending.toString());
          commands.add(words.subList(1, words.size()));
          pending.setLength(0);
        }
      }
    }
    return commands;
  }

  /** A relative path argument: the repository's file if it names one, else under the work directory. */
  private String resolve(String arg, Path root) {
    if (!arg.contains("/") && !arg.startsWith("-") && !arg.isEmpty() && Files.exists(work.resolve(arg))) {
      return work.resolve(arg).toString();  // a bare name of something an earlier line made, e.g. a run folder
    }
    if (arg.startsWith("-") || !arg.contains("/") || Path.of(arg).isAbsolute()) {
      return arg;
    }
    Path inRepo = root.resolve(arg);
    return Files.exists(inRepo) ? inRepo.toString() : work.resolve(arg).toString();
  }

  private List<Path> quarantineFiles() throws IOException {
    try (Stream<Path> files = Files.walk(work)) {
      return files.filter(p -> p.getFileName().toString().contains("quarantine")).toList();
    }
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("chainscore")))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("README.md and the chainscore launcher not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}

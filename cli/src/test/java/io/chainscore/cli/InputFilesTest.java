package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every path option of every command is declared a file, a directory or either in {@link
 * InputFiles}, so that a directory given for a file is refused before any work, naming the option
 * (exit 2), never found deep in a reader as "Is a directory" (exit 1), as it was for ecl's tables,
 * monitor --labels, train and bins --labels/--binning/--rejects, document's and validate --labels
 * until 2026-12-08.
 */
class InputFilesTest {
  @TempDir Path dir;

  @Test
  void everyPathOptionOfEveryCommand_isDeclared() {
    CommandLine root = new CommandLine(new ChainScoreCli());
    List<String> undeclared = new ArrayList<>();
    for (CommandLine sub : root.getSubcommands().values()) {
      String command = sub.getCommandName();
      for (OptionSpec option : sub.getCommandSpec().options()) {
        boolean path = option.type() == Path.class || List.class.isAssignableFrom(option.type())
            && option.auxiliaryTypes().length == 1 && option.auxiliaryTypes()[0] == Path.class;
        if (path && !InputFiles.declares(command, option.longestName())) {
          undeclared.add(command + " " + option.longestName());
        }
      }
    }
    assertThat(undeclared).isEmpty();
  }

  /** A directory for a table of ecl, monitor, train, bins, document or validate: one line, exit 2, no output. */
  @Test
  void directoryGivenForATable_isRefusedNamingTheOption() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("table.csv"));
    Path out = dir.resolve("out");
    String[][] runs = {
        {"ecl", "--scores", "s.csv", "--exposures", folder.toString(), "--origination", "o.csv", "--out", out.toString()},
        {"ecl", "--scores", "s.csv", "--exposures", "e.csv", "--origination", "o.csv", "--days-past-due", folder.toString(),
            "--out", out.toString()},
        {"monitor", "--runs", dir.toString(), "--labels", folder.toString(), "--out", out.toString()},
        {"train", "--data", "d.csv", "--labels", folder.toString(), "--target", "defaulted", "--out", out + ".json"},
        {"bins", "--data", "d.csv", "--binning", folder.toString(), "--target", "defaulted", "--out", out + ".json"},
        {"validate", "--data", "d.csv", "--labels", folder.toString(), "--target", "defaulted", "--out", out.toString()},
        {"document", "--data", folder.toString(), "--out", out + ".html"}};
    for (String[] args : runs) {
      String option = args[java.util.Arrays.asList(args).indexOf(folder.toString()) - 1];
      CliRun run = CliRun.of(args);
      assertThat(run.code()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo("chainscore " + args[0] + ": " + option + " " + folder
          + ": is a directory; expected a file");
      assertThat(out).doesNotExist();
      assertThat(Path.of(out + ".json")).doesNotExist();
    }
  }
}

package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flag convention of README "Command line": one name per concept in every command, and the
 * names from before it still accepted, hidden from {@code --help}.
 */
class FlagConventionTest {
  @TempDir Path dir;

  /** Old name -> new name, by command (README "Command line"). */
  private static final Map<String, Map<String, String>> RENAMED = Map.of(
      "features", Map.of("--input", "--transactions"),
      "score", Map.of("--input", "--features", "--quarantine", "--quarantine-out", "--manifest", "--manifest-out"),
      "demo", Map.of("--work-dir", "--out"),
      "import", Map.of("--in", "--source"),
      "train", Map.of("--model", "--model-type"));

  private static Map<String, CommandLine> commands() {
    return new CommandLine(new ChainScoreCli()).getSubcommands();
  }

  @Test
  void everyCommand_followsTheConvention() {
    for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
      CommandSpec spec = c.getValue().getCommandSpec();
      List<String> visible = spec.options().stream().filter(o -> !o.hidden()).map(OptionSpec::longestName).toList();
      assertThat(visible).as(c.getKey()).contains("--json", "--help");
      // Generic input names are gone from every command's help.
      assertThat(visible).as(c.getKey()).doesNotContain("--input", "--in", "--work-dir", "--quarantine", "--manifest");
      // --model is a bundle wherever it is shown: a file or a bundled model's name, never a model kind.
      OptionSpec model = spec.findOption("--model");
      if (model != null && !model.hidden()) {
        assertThat(model.type()).as(c.getKey() + " --model").isEqualTo(Path.class);
      }
      // The main output is --out in every command that writes one.
      if (!List.of("explain").contains(c.getKey())) {
        assertThat(visible).as(c.getKey()).contains("--out");
      }
    }
  }

  @Test
  void oldNames_areHiddenAliasesOfTheNewOnes() {
    Map<String, CommandLine> commands = commands();
    RENAMED.forEach((command, names) -> names.forEach((old, now) -> {
      CommandSpec spec = commands.get(command).getCommandSpec();
      OptionSpec oldOption = spec.findOption(old);
      OptionSpec newOption = spec.findOption(now);
      assertThat(oldOption).as(command + " " + old).isNotNull();
      assertThat(oldOption.hidden()).as(command + " " + old + " hidden").isTrue();
      assertThat(newOption.hidden()).as(command + " " + now + " shown").isFalse();
      assertThat(oldOption.type()).as(command + " " + old).isEqualTo(newOption.type());
      // picocli applies a default after parsing, which would overwrite what the alias set.
      assertThat(newOption.defaultValue()).as(command + " " + now + " has no picocli default").isNull();
      String help = new CommandLine(spec).getUsageMessage(CommandLine.Help.Ansi.OFF);
      assertThat(help).as(command + " --help").contains(now).doesNotContain(old + "=").doesNotContain(old + " ");
    }));
  }

  @Test
  void score_oldNamesStillWork_andGiveTheSameBytes() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.features(dir.resolve("f.csv"), 400, 5, "2025-06-30");
    CliRun now = CliRun.of("score", "--model", model.toString(), "--features", features.toString(),
        "--out", dir.resolve("new.csv").toString(), "--quarantine-out", dir.resolve("new-q.csv").toString(),
        "--manifest-out", dir.resolve("new-m.json").toString(), "--as-of", "2025-06-30", "--quiet");
    CliRun old = CliRun.of("score", "--model", model.toString(), "--input", features.toString(),
        "--out", dir.resolve("old.csv").toString(), "--quarantine", dir.resolve("old-q.csv").toString(),
        "--manifest", dir.resolve("old-m.json").toString(), "--as-of", "2025-06-30", "--quiet");
    assertThat(now.code()).as(now.err()).isIn(0, 3);
    assertThat(old.code()).as(old.err()).isEqualTo(now.code());
    assertThat(Files.readAllLines(dir.resolve("old.csv"))).hasSizeGreaterThan(300)
        .isEqualTo(Files.readAllLines(dir.resolve("new.csv")));
    assertThat(Files.exists(dir.resolve("old-m.json"))).isTrue();
    assertThat(Files.exists(dir.resolve("new-m.json"))).isTrue();
    assertThat(Files.exists(dir.resolve("old-q.csv"))).isEqualTo(Files.exists(dir.resolve("new-q.csv")));
    if (Files.exists(dir.resolve("new-q.csv"))) {
      assertThat(Files.readAllLines(dir.resolve("old-q.csv"))).isEqualTo(Files.readAllLines(dir.resolve("new-q.csv")));
    }
  }

  @Test
  void features_withNeitherNewNorOldName_isAUsageErrorNamingTheNewOne() {
    CliRun r = CliRun.of("features", "--as-of", "2025-06-30", "--out", dir.resolve("f.csv").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("--transactions").doesNotContain("--input").doesNotContain("\tat ");
    CliRun i = CliRun.of("import", "xgboost", "--out", dir.resolve("b.json").toString());
    assertThat(i.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(i.err()).contains("--source").doesNotContain("\tat ");
  }
}

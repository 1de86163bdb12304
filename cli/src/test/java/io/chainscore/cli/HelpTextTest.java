package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The help a new user reads is whole sentences: every command's summary (the first line of its
 * description, which the top-level {@code --help} lists) is one complete sentence, and no line of
 * a description is cut in the middle of a sentence (picocli wraps the lines itself; a hard break
 * inside a sentence shows as a truncated summary or a ragged paragraph).
 */
class HelpTextTest {
  private static Map<String, CommandLine> subcommands() {
    return new CommandLine(new ChainScoreCli()).getSubcommands();
  }

  /**
   * picocli reads descriptions as format strings: a lone '%' (as in "95% interval") makes it print
   * "[picocli WARN] Could not format ..." above the help and show the raw text.
   */
  @Test
  void everyCommandsHelp_rendersWithoutPicocliWarnings() {
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (Map.Entry<String, CommandLine> e : subcommands().entrySet()) {
        assertThat(e.getValue().getUsageMessage()).as(e.getKey()).contains("Usage:");
      }
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
  }

  @Test
  void everySummary_isOneCompleteSentence() {
    assertThat(subcommands()).hasSizeGreaterThanOrEqualTo(12);
    for (Map.Entry<String, CommandLine> e : subcommands().entrySet()) {
      String[] description = e.getValue().getCommandSpec().usageMessage().description();
      assertThat(description).as(e.getKey()).isNotEmpty();
      String summary = description[0];
      assertThat(summary).as(e.getKey() + " summary").endsWith(".").matches("[A-Z].*");
    }
  }

  @Test
  void noDescriptionLine_isCutMidSentence() {
    List<String> cut = new ArrayList<>();
    for (Map.Entry<String, CommandLine> e : subcommands().entrySet()) {
      for (String line : e.getValue().getCommandSpec().usageMessage().description()) {
        // a line that starts a sentence begins with a capital letter, and one that ends a sentence
        // ends with a full stop: anything else was broken by hand inside a sentence
        if (!line.endsWith(".") || !Character.isUpperCase(line.charAt(0))) {
          cut.add(e.getKey() + ": " + line);
        }
      }
    }
    assertThat(cut).isEmpty();
  }

  @Test
  void topLevelHelp_listsEveryCommandWithItsWholeSummary() {
    CliRun help = CliRun.of("--help");
    assertThat(help.code()).isZero();
    // picocli wraps a long summary onto indented continuation lines; joined, each must be the
    // command's whole first sentence, ending with its full stop
    String joined = help.out().replaceAll("\\R {10,}", " ");
    for (Map.Entry<String, CommandLine> e : subcommands().entrySet()) {
      String summary = e.getValue().getCommandSpec().usageMessage().description()[0];
      assertThat(joined).as(e.getKey()).containsPattern("(?m)^  " + e.getKey() + " +" + java.util.regex.Pattern.quote(summary) + "$");
    }
    assertThat(joined).contains("explain    Explain one supplier's score characteristic by characteristic.");
  }
}

package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.engine.ResumeException;
import io.chainscore.batch.engine.TooManyBadRowsException;
import io.chainscore.tables.InputFormatException;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.RowRefusals;
import io.chainscore.scoring.ScoringException;
import io.chainscore.trade.TradeRecordException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The CLI's exit code follows from the failure's type alone: each failure is thrown from inside a
 * command run through the tool's own handling ({@link ChainScoreCli#execute(CommandLine, String[],
 * PrintWriter, PrintWriter)}), and the code and the stderr line are checked.
 */
class ExitCodesTest {
  /** A command that fails with whatever the test hands it, as a command's body would. */
  @Command(name = "fail")
  static final class Failing implements Callable<Integer> {
    private final Exception failure;
    private final Error error;

    Failing(Exception failure) {
      this.failure = failure;
      this.error = null;
    }

    Failing(Error error) {
      this.failure = null;
      this.error = error;
    }

    @Override
    public Integer call() throws Exception {
      if (error != null) {
        throw error;
      }
      throw failure;
    }
  }

  private static CliRun run(Failing command) {
    CommandLine cli = new CommandLine(new ChainScoreCli());
    cli.addSubcommand("fail", command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(cli, new String[] {"fail"}, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }

  @Test
  void execute_programmingErrorsInsideACommand_areInternalErrorsNotBadInput() {
    Object[][] cases = {
      {new NullPointerException(), "internal error: java.lang.NullPointerException"},
      {new IllegalStateException("chunk 3 finished twice"),
          "internal error: java.lang.IllegalStateException: chunk 3 finished twice"},
      {new ArrayIndexOutOfBoundsException("Index 9 out of bounds for length 4"),
          "internal error: java.lang.ArrayIndexOutOfBoundsException: Index 9 out of bounds for length 4"},
      {new ExecutionException(new IllegalStateException("in a worker")),
          "internal error: java.lang.IllegalStateException: in a worker"},
    };
    for (Object[] c : cases) {
      CliRun r = run(new Failing((Exception) c[0]));
      assertThat(r.code()).as("%s", c[0]).isEqualTo(ExitCodes.FAILURE).isNotEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.err()).as("%s", c[0]).startsWith("chainscore fail: " + c[1] + "\n").contains("This is a bug");
    }
    CliRun error = run(new Failing(new AssertionError("unreachable")));
    assertThat(error.code()).isEqualTo(1);
    assertThat(error.err()).startsWith("chainscore: internal error: java.lang.AssertionError: unreachable\n")
        .contains("This is a bug");
  }

  @Test
  void execute_badInputTypes_exitTwoWithTheirMessage() {
    Exception[] cases = {
      new InputFormatException("f.csv", 3, "pd", "'x' is not a number"),
      new TradeRecordException("invoice", "I1", "amount", "must be positive"),
      new ScoringException(0, 1, "dilution_rate_12m", RowRefusals.Reason.OUT_OF_RANGE, "value 1.5 outside the valid range [0.0, 1.0]"),
      new IllegalArgumentException("--features needs --supplier"),
      new ModelFormatException("model.trees[3]", "missing"),
      new ResumeException("the checkpoint belongs to another run"),
      new TooManyBadRowsException(10, 11, "bad"),
      new NoSuchFileException("in.csv"),
      new UncheckedIOException(new NoSuchFileException("in.csv")),
      new ExecutionException(new InputFormatException("f.csv", 3, "pd", "'x' is not a number")),
    };
    for (Exception e : cases) {
      CliRun r = run(new Failing(e));
      assertThat(r.code()).as("%s", e).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.err()).as("%s", e).startsWith("chainscore fail: ").doesNotContain("internal error", "bug");
    }
    assertThat(run(new Failing(cases[0])).err()).isEqualTo("chainscore fail: f.csv, row 3, column pd: 'x' is not a number\n");
    assertThat(run(new Failing(cases[4])).err()).isEqualTo("chainscore fail: model file: model.trees[3]: missing\n");
  }

  @Test
  void execute_ioFailures_exitOneWithoutInternalError() {
    Exception[] cases = {
      new IOException("No space left on device"),
      new UncheckedIOException(new IOException("Stale file handle")),
    };
    for (Exception e : cases) {
      CliRun r = run(new Failing(e));
      assertThat(r.code()).as("%s", e).isEqualTo(ExitCodes.FAILURE);
      assertThat(r.err()).as("%s", e).doesNotContain("internal error");
    }
    assertThat(run(new Failing(cases[0])).err()).isEqualTo("chainscore fail: No space left on device\n");
  }

  /**
   * A file this user may not read or write is the user's to fix (exit 2, as the README's table
   * says of an unreadable input), named with what is wrong: the JDK's message is the path alone.
   */
  @Test
  void execute_permissionDenied_exitTwo_namingTheFile() {
    for (Exception e : new Exception[] {new AccessDeniedException("in.csv"),
        new UncheckedIOException(new AccessDeniedException("in.csv"))}) {
      CliRun r = run(new Failing(e));
      assertThat(r.code()).as("%s", e).isEqualTo(ExitCodes.BAD_INPUT);
    }
    assertThat(run(new Failing(new AccessDeniedException("in.csv"))).err()).isEqualTo("chainscore fail: in.csv:"
        + " permission denied; the file or its folder cannot be read or written by this user\n");
  }

  @Test
  void kindOf_classifiesByTypeOnly() {
    // the same words in a message never change the kind
    assertThat(ExitCodes.kindOf(new IllegalStateException("bad input: unknown option"))).isEqualTo(ExitCodes.Kind.INTERNAL);
    assertThat(ExitCodes.kindOf(new IllegalArgumentException("internal error"))).isEqualTo(ExitCodes.Kind.BAD_INPUT);
    assertThat(ExitCodes.kindOf(new NumberFormatException("For input string: \"x\""))).isEqualTo(ExitCodes.Kind.BAD_INPUT);
    assertThat(ExitCodes.kindOf(new IOException())).isEqualTo(ExitCodes.Kind.IO);
  }
}

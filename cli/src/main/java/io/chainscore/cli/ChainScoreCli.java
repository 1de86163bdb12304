package io.chainscore.cli;

import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code chainscore} command-line tool: parses options, runs a subcommand and
 * maps failures to the documented exit codes with a one-line message, never a stack trace (set
 * {@code CHAINSCORE_DEBUG=1} to see one). The code follows from the failure's type alone ({@link
 * ExitCodes}): bad input 2, I/O 1, a defect 1 with an "internal error" line, never 2.
 *
 * <p>Thread safety: each {@link #execute} call builds its own command line and command objects.
 */
@Command(
    name = "chainscore",
    mixinStandardHelpOptions = true,
    versionProvider = ChainScoreCli.Version.class,
    description = "Credit-risk scoring for supply-chain finance.",
    subcommands = {DemoCommand.class, GenerateCommand.class, FeaturesCommand.class, ScoreCommand.class,
        ExplainCommand.class, WhatifCommand.class, TrainCommand.class, BinsCommand.class, ValidateCommand.class, ImportCommand.class,
        ExportCommand.class,
        PortfolioCommand.class, EclCommand.class, MonitorCommand.class, DocumentCommand.class, SignCommand.class, KeygenCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:failure (I/O error, or an internal error: a bug)",
      "2:bad usage or bad input",
      "3:completed with quarantined rows",
      "4:monitor: an alert fired"
    })
public final class ChainScoreCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the tool with the given streams and returns the exit code; used by tests. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(new CommandLine(new ChainScoreCli()), args, out, err);
  }

  /**
   * Runs {@code cli} (the tool's command line, or in tests one with a command added) with the
   * tool's converters and failure handling.
   */
  static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
    cli.setOut(out);
    cli.setErr(err);
    cli.registerConverter(LocalDate.class, text -> {
      try {
        return LocalDate.parse(text);
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException("'" + text + "' is not a date in YYYY-MM-DD form");
      }
    });
    cli.registerConverter(java.time.ZoneId.class, text -> {
      try {
        return java.time.ZoneId.of(text);
      } catch (java.time.DateTimeException e) {
        throw new CommandLine.TypeConversionException("unknown time zone '" + text + "'; expected a region such as"
            + " Europe/Berlin or Asia/Shanghai, or an offset such as +08:00");
      }
    });
    cli.setExitCodeExceptionMapper(ExitCodes::of);
    cli.setExecutionStrategy(parseResult -> {
      CommandLine.ParseResult leaf = parseResult;
      while (leaf.subcommand() != null) {
        leaf = leaf.subcommand();
      }
      if (!leaf.isUsageHelpRequested() && !leaf.isVersionHelpRequested()) {
        try {
          InputFiles.check(leaf.commandSpec());
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ExecutionException(leaf.commandSpec().commandLine(), e.getMessage(), e);
        }
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("chainscore: " + ex.getMessage());
      err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
      return ExitCodes.BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
      Throwable failure = ExitCodes.unwrap(ex);
      boolean internal = ExitCodes.kindOf(failure) == ExitCodes.Kind.INTERNAL;
      err.println("chainscore " + commandLine.getCommandName() + ": " + describe(failure));
      if (internal) {
        err.println(BUG_HINT);
      }
      if (System.getenv("CHAINSCORE_DEBUG") != null) {
        ex.printStackTrace(err);
      }
      return ExitCodes.of(failure);
    });
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      err.println(outOfMemory(Runtime.getRuntime().maxMemory()));
      return ExitCodes.FAILURE;
    } catch (Error e) {
      // picocli hands Errors back rather than to the execution handler; still one line, exit 1
      err.println("chainscore: " + describe(e));
      err.println(BUG_HINT);
      if (System.getenv("CHAINSCORE_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return ExitCodes.FAILURE;
    }
  }

  private static final String BUG_HINT =
      "This is a bug in chainscore; please report it with the output of the same command run with CHAINSCORE_DEBUG=1.";

  private static String describe(Throwable t) {
    return oneLine(describeRaw(t));
  }

  private static String describeRaw(Throwable t) {
    if (t instanceof NoSuchFileException e) {
      return "no such file: " + e.getFile();
    }
    if (t instanceof FileAlreadyExistsException e) {
      return e.getFile() + " " + (e.getReason() != null ? e.getReason() : "already exists");
    }
    if (t instanceof java.nio.file.AccessDeniedException e) {
      // the JDK's message is the path alone
      return e.getFile() + ": permission denied" + (e.getReason() != null ? " (" + e.getReason() + ")" : "")
          + "; the file or its folder cannot be read or written by this user";
    }
    if (t instanceof java.nio.file.FileSystemException e && e.getFile() != null) {
      // The JDK's own text ("Is a directory", "Too many levels of symbolic links") without the path.
      return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : t.getClass().getSimpleName());
    }
    if (t instanceof io.chainscore.scoring.ModelFormatException) {
      return "model file: " + t.getMessage();
    }
    String message = t.getMessage();
    if (ExitCodes.kindOf(t) == ExitCodes.Kind.INTERNAL) {
      // a defect: name the exception's type, the message alone ("null", an index) says nothing
      return "internal error: " + t.getClass().getName() + (message == null ? "" : ": " + message);
    }
    return message == null ? t.getClass().getSimpleName() : message;
  }

  /**
   * The message on one line: its line breaks as spaces (a multi-line message reads as one), other
   * control characters escaped as every message escapes them ({@link io.chainscore.tables.Printable}):
   * a message may quote bytes of a corrupt file, which must neither break the line nor reach the
   * terminal raw.
   */
  static String oneLine(String message) {
    return io.chainscore.tables.Printable.escape(message.replace('\n', ' ').replace('\r', ' ')).strip();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** "chainscore VERSION", from the jar manifest. */
  static String versionText() {
    return io.chainscore.batch.engine.RunManifest.tool(ChainScoreCli.class);
  }

  /** Reports the implementation version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {versionText()};
    }
  }

  /**
   * The one line for a run that ran out of heap: the heap it had and twice that, in whole
   * gigabytes, as the option to give (the launcher's default is 4 GB, so suggesting 4 GB again
   * would not help). The heap grows with the suppliers, not the transactions (the nightly job's
   * live heap reached 3.2 GB at 1M suppliers, benchmarks/results/nightly-1m-2026-12-02.md); the
   * duplicate-invoice set is outside the heap, so turning the check off no longer saves heap.
   */
  static String outOfMemory(long maxHeapBytes) {
    long mb = maxHeapBytes / (1 << 20);
    long suggestGb = Math.max(2, 2 * ((mb + 1023) / 1024));
    return "chainscore: out of memory (" + mb + " MB heap); give more with CHAINSCORE_JAVA_OPTS=-Xmx" + suggestGb
        + "g (the heap grows with the number of suppliers)";
  }
}

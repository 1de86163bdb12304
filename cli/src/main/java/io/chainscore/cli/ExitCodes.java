package io.chainscore.cli;

import io.chainscore.batch.engine.ResumeException;
import io.chainscore.batch.engine.TooManyBadRowsException;
import io.chainscore.scoring.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/**
 * Process exit codes of the {@code chainscore} tool, as documented in the README, and the one
 * place that decides a failure's code from its type.
 *
 * <p>ChainScore's failures come in three kinds, told apart by type alone (never by message):
 * <ul>
 *   <li>bad input, exit {@link #BAD_INPUT}: what the user gave is wrong and a corrected input will
 *       do. {@link IllegalArgumentException} and its subtypes, which the libraries throw for
 *       invalid data and options and nothing else: {@code InputFormatException} (a table file),
 *       {@code TradeRecordException} (a trade record), {@code ScoringException} (a feature row the
 *       model's policies refuse), {@link NumberFormatException}, and the commands' own option
 *       checks; the checked {@link ModelFormatException} (a model file); {@link
 *       ResumeException} and {@link TooManyBadRowsException} (a run's input or state, though
 *       reported as {@link IOException}s); a file that is missing or already there; and picocli's
 *       usage errors;
 *   <li>I/O failure, exit {@link #FAILURE}: any other {@link IOException} or {@link
 *       UncheckedIOException} (a disk, a permission, a network file system);
 *   <li>internal error, exit {@link #FAILURE} with an "internal error" line: everything else, a
 *       {@link NullPointerException}, {@link IllegalStateException}, {@link
 *       IndexOutOfBoundsException} or any {@link Error}. These are defects, never reported as bad
 *       input; library argument checks that only a programming error can fail (an output array
 *       too short) throw {@link IndexOutOfBoundsException} for that reason.
 * </ul>
 * A command that completes but quarantined rows returns {@link #QUARANTINED} itself.
 *
 * <p>Thread safety: stateless.
 */
final class ExitCodes {
  /** The command did all it was asked. */
  static final int SUCCESS = 0;
  /** The command failed: an I/O error, or an internal error (a defect). */
  static final int FAILURE = 1;
  /** Bad usage or bad input: unknown option, missing argument, unreadable or invalid file. */
  static final int BAD_INPUT = 2;
  /** The command completed but quarantined some input rows. */
  static final int QUARANTINED = 3;

  /** {@code monitor}: the report was written and an alert fired (a scheduler acts on it). */
  static final int ALERT = 4;

  /** The three kinds of failure (see the class comment). */
  enum Kind {
    BAD_INPUT,
    IO,
    INTERNAL
  }

  private ExitCodes() {}

  /** The kind of {@code failure}, from its type (wrappers of a concurrent task's failure unwrapped). */
  static Kind kindOf(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof IllegalArgumentException
        || t instanceof ModelFormatException
        || t instanceof ResumeException
        || t instanceof TooManyBadRowsException
        || t instanceof io.chainscore.batch.engine.OutputLock.OutputLockedException
        || t instanceof NoSuchFileException
        || t instanceof FileAlreadyExistsException
        // an input or output the user named that this user may not read or write: theirs to fix
        || t instanceof java.nio.file.AccessDeniedException
        || t instanceof CommandLine.ParameterException) {
      return Kind.BAD_INPUT;
    }
    if (t instanceof UncheckedIOException u) {
      return u.getCause() instanceof NoSuchFileException || u.getCause() instanceof FileAlreadyExistsException
          || u.getCause() instanceof java.nio.file.AccessDeniedException
          ? Kind.BAD_INPUT
          : Kind.IO;
    }
    if (t instanceof IOException) {
      return Kind.IO;
    }
    return Kind.INTERNAL;
  }

  /** The exit code of {@code failure}: 2 for bad input, 1 for I/O and internal errors. */
  static int of(Throwable failure) {
    return kindOf(failure) == Kind.BAD_INPUT ? BAD_INPUT : FAILURE;
  }

  /**
   * The failure a task wrapper stands for: the cause of an {@link ExecutionException} or {@link
   * CompletionException}, which say only that a task failed.
   */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}

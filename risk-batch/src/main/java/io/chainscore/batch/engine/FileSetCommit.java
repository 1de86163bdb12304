package io.chainscore.batch.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Commits the files of a run that is not a {@link BatchJob} (such as {@code chainscore features})
 * as one unit, the way a batch run commits its own: each file is written complete under the staged
 * name {@link #stage} hands out, then {@link #commit} records the renames in a journal beside the
 * output and makes them in the order staged, so the file staged last (the run's manifest, which
 * vouches for the others) appears last. A run killed after the journal was written leaves the
 * journal: the next run on the same output is refused ({@link ResumeException}) until the user
 * passes {@code --overwrite}, which discards the interrupted commit. Until the commit, the old
 * files of an earlier run stay as they were; once it starts, an old manifest is removed before any
 * file it described is replaced, so no manifest ever vouches for files it does not describe: this
 * output's own, and another run's that lists a file the commit replaces ({@link
 * RunCommit#manifestsMadeFalse}: {@code features --out f.csv} and {@code --out f.arrow} share
 * {@code f.quarantine.csv}).
 *
 * <p>Thread safety: one instance belongs to one run and one thread; runs on the same output are
 * kept apart by {@link OutputLock}.
 */
public final class FileSetCommit {
  private final Path output;
  private final Path journal;
  private final List<Path> targets = new ArrayList<>();

  private FileSetCommit(Path output) {
    this.output = output;
    this.journal = RunCommit.journalPath(output);
  }

  /**
   * Starts the commit of a run that writes {@code output} (and files beside it).
   *
   * @param overwrite whether the run replaces earlier results: an interrupted commit is then
   *     discarded (its staged files deleted); otherwise one is refused
   * @throws ResumeException when an interrupted commit of {@code output} is in the way and
   *     {@code overwrite} is false
   */
  public static FileSetCommit begin(Path output, boolean overwrite) throws IOException {
    FileSetCommit commit = new FileSetCommit(output);
    if (Files.exists(commit.journal)) {
      if (!overwrite) {
        throw new ResumeException("an interrupted run of " + output + " stopped while committing its files ("
            + commit.journal.getFileName() + "); pass --overwrite to start again");
      }
      RunCommit.discard(commit.journal);
    }
    return commit;
  }

  /** Registers {@code target} for the commit and returns the name to write it under now. */
  public Path stage(Path target) {
    targets.add(target);
    return RunCommit.stagedPath(target);
  }

  /**
   * The one refusal of a directory where a run's file goes, which the commit could not rename onto,
   * for a command to call before its work on the files it always writes ({@code validate}, {@code
   * portfolio}, {@code ecl}, {@code monitor}; until 2026-12-07 their commit met it after the work,
   * failed with exit 1 after renaming the files before it, and left its journal). A commit that
   * meets one all the same (a folder made during the run) fails as any rename does: journalled,
   * and the next run is refused until {@code --overwrite}.
   *
   * @throws IllegalArgumentException naming the directory
   */
  public static void refuseDirectory(Path target) {
    if (Files.isDirectory(target)) {
      throw new IllegalArgumentException(target + " is a directory; the run writes a file of that name there");
    }
  }

  /**
   * Renames every staged file onto its target, in the order staged, through a durable journal.
   *
   * @throws IllegalStateException when nothing was staged or a staged file was never written
   */
  public void commit() throws IOException {
    if (targets.isEmpty()) {
      throw new IllegalStateException("nothing staged for " + output);
    }
    List<RunCommit.Move> moves = new ArrayList<>();
    List<Path> cleanup = new ArrayList<>();
    for (Path target : targets) {
      Path staged = RunCommit.stagedPath(target);
      if (!Files.exists(staged)) {
        throw new IllegalStateException("staged file " + staged + " was never written");
      }
      moves.add(new RunCommit.Move(staged.toString(), target.toString()));
      cleanup.add(staged.resolveSibling("." + staged.getFileName() + ".tmp"));
    }
    cleanup.add(journal.resolveSibling(journal.getFileName() + ".tmp"));
    // a rename that fails is not finished by a resume (the commands that commit this way have
    // none): the next run discards the commit with --overwrite and runs again
    RunCommit.commit(journal, moves, cleanup, new long[0], null, List.of(), RunCommit.OVERWRITE);
  }

  /**
   * Deletes the staged files of a run that failed before {@link #commit} wrote its journal; once
   * the journal is written the staged files belong to it and are left for the next run to refuse
   * or discard.
   */
  public void abandon() throws IOException {
    if (Files.exists(journal)) {
      return;
    }
    for (Path target : targets) {
      Path staged = RunCommit.stagedPath(target);
      Files.deleteIfExists(staged);
      Files.deleteIfExists(staged.resolveSibling("." + staged.getFileName() + ".tmp"));
    }
  }
}

package io.chainscore.batch.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Commits the files of a finished run as one unit: every file is first written complete to a
 * staged name, then a journal listing the renames is forced to disk, then the renames are made in
 * the journal's order, the last file (the run's manifest, its seal) last, and the journal is
 * deleted. A run killed at any point of the commit leaves its journal; {@link #finish} (what
 * {@code --resume} calls) completes the renames, so the outcome is the same as if it had not
 * died.
 *
 * <p>Invariant: whenever the seal is present, every file it names is present and final. When an
 * existing result is replaced, the old seal is deleted before the first rename, so an old
 * manifest never vouches for a half-replaced set of files; so is another run's manifest that
 * lists a file the commit replaces or deletes ({@link #manifestsMadeFalse}: two outputs of one
 * base name share their quarantine).
 *
 * <p>Thread safety: static functions; callers hold the run's {@link OutputLock}.
 */
final class RunCommit {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One rename of the commit. */
  record Move(String from, String to) {}

  /**
   * The journal.
   *
   * @param version format version
   * @param moves renames in commit order, the seal last
   * @param cleanup files deleted once every rename is done (partial files, the checkpoint)
   * @param result the finished run's counts, for a resume that only completes the commit
   * @param job what identifies the run apart from its input ({@link BatchRun#jobIdentity}), for a
   *     resume to check it continues the same run; null in journals written before 2026-12-05
   *     and for runs without one
   * @param retired earlier seals of the same output under other names (a manifest an earlier run
   *     wrote with {@code --manifest-out}), and other runs' manifests listing a file the commit
   *     replaces or deletes ({@link #manifestsMadeFalse}), deleted with the old seal before the
   *     first rename; null in journals written before 2026-12-06
   */
  record Journal(int version, List<Move> moves, List<String> cleanup, long[] result, String job, List<String> retired) {}

  private RunCommit() {}

  /** Where the commit journal of a run writing {@code output} is kept. */
  static Path journalPath(Path output) {
    return output.resolveSibling(output.getFileName() + ".commit.json");
  }

  /**
   * The staged name of {@code target} while a run commits it: hidden, and with the target's
   * extension, so that the staged file can be read as the table it is.
   */
  static Path stagedPath(Path target) {
    return target.resolveSibling(".staged." + target.getFileName());
  }

  /** Writes the journal durably, then makes its renames. */
  static void commit(Path journalPath, List<Move> moves, List<Path> cleanup, long[] result) throws IOException {
    commit(journalPath, moves, cleanup, result, null);
  }

  /** As {@link #commit(Path, List, List, long[])}, recording the run's identity for {@link #finish}. */
  static void commit(Path journalPath, List<Move> moves, List<Path> cleanup, long[] result, String job)
      throws IOException {
    commit(journalPath, moves, cleanup, result, job, List.of());
  }

  /**
   * As {@link #commit(Path, List, List, long[], String)}, deleting {@code retired} (earlier seals of
   * the same output under other names) with the old seal, before the first rename.
   */
  static void commit(Path journalPath, List<Move> moves, List<Path> cleanup, long[] result, String job,
      List<Path> retired) throws IOException {
    commit(journalPath, moves, cleanup, result, job, retired, RESUME);
  }

  /** What a failed rename of a run that {@code --resume} finishes tells the user to do. */
  static final String RESUME = "pass --resume to finish it";

  /**
   * What a failed rename of a run that cannot be resumed ({@link FileSetCommit}: {@code features})
   * tells the user to do: its next run is refused until {@code --overwrite} discards the commit.
   */
  static final String OVERWRITE = "pass --overwrite to run it again";

  /**
   * As {@link #commit(Path, List, List, long[], String, List)}; {@code remedy} ({@link #RESUME} or
   * {@link #OVERWRITE}) ends the message of a rename that fails, after "remove the cause and".
   * Every commit also deletes, with the old seal, the other runs' manifests it would make false
   * ({@link #manifestsMadeFalse}), listed in the journal's {@code retired}.
   */
  static void commit(Path journalPath, List<Move> moves, List<Path> cleanup, long[] result, String job,
      List<Path> retired, String remedy) throws IOException {
    // absolute paths: a resume from another working directory must find the same files
    List<String> clean = new ArrayList<>();
    for (Path p : cleanup) {
      clean.add(p.toAbsolutePath().toString());
    }
    List<Move> absolute = new ArrayList<>();
    for (Move m : moves) {
      absolute.add(new Move(Path.of(m.from()).toAbsolutePath().toString(), Path.of(m.to()).toAbsolutePath().toString()));
    }
    List<String> retiredSeals = new ArrayList<>();
    for (Path p : retired) {
      retiredSeals.add(p.toAbsolutePath().toString());
    }
    // and other runs' manifests this commit would make false (a shared BASE.quarantine.csv),
    // journalled with them, so that a resume finishes deleting them too
    for (Path p : manifestsMadeFalse(absolute, cleanup, retired)) {
      retiredSeals.add(p.toString());
    }
    Journal journal = new Journal(1, List.copyOf(absolute), clean, result, job, retiredSeals);
    Path tmp = journalPath.resolveSibling(journalPath.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(journal));
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
      ch.force(true);
    }
    Files.move(tmp, journalPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(journalPath);
    apply(journalPath, journal, remedy);
  }

  /**
   * The one rule for the other runs' manifests a commit would leave vouching for bytes no longer
   * there: the run manifests ({@link RunManifest#read}: any {@code *.json} that is one, as a {@code
   * --manifest-out} need not end in {@code .manifest.json}) in the folder of a file the commit
   * replaces or deletes, and in the folder of its seal (the run's own manifest, its last move),
   * that list such a file among their outputs ({@link RunManifest#listedOutputs}) with other bytes
   * than it will have: another name's ({@code s.csv} and {@code s.arrow} share {@code
   * s.quarantine.csv}; {@code features --out f.csv} and {@code --out f.arrow} share {@code
   * f.quarantine.csv}). The commit deletes them before its first rename, as it deletes its own
   * output's old manifest ({@link BatchJob.Staging#retire}): the other run's files that stay keep
   * no manifest, and are then no valid {@code --baseline} or {@code --resume} source, which is
   * the truth. A file replaced by the very bytes a manifest lists leaves that manifest true, and
   * it stays. Not found: a manifest elsewhere (a {@code --manifest-out} in a third folder).
   *
   * @param moves the commit's renames, absolute, the seal last
   * @param deleted the files the commit deletes once renamed ({@code cleanup}), where they exist
   * @param exempt manifests the commit deletes anyway (its {@code retired})
   * @return the manifests to delete, absolute, in folder and name order
   */
  static List<Path> manifestsMadeFalse(List<Move> moves, List<Path> deleted, List<Path> exempt) throws IOException {
    // each file the commit changes, as the file system resolves it, and the file whose bytes it
    // will have (its staged copy), or null for a file deleted
    java.util.Map<Path, Path> after = new java.util.LinkedHashMap<>();
    for (Move m : moves) {
      after.put(io.chainscore.batch.io.FileIdentity.canonical(Path.of(m.to())), Path.of(m.from()));
    }
    for (Path p : deleted) {
      if (Files.isRegularFile(p)) {
        after.putIfAbsent(io.chainscore.batch.io.FileIdentity.canonical(p), null);
      }
    }
    // a manifest the commit writes, deletes or retires anyway is none of the others
    java.util.Set<Path> skip = new java.util.HashSet<>(after.keySet());
    for (Path p : exempt) {
      skip.add(io.chainscore.batch.io.FileIdentity.canonical(p));
    }
    java.util.Set<Path> folders = new java.util.LinkedHashSet<>();
    for (Path file : after.keySet()) {
      folders.add(file.getParent());
    }
    folders.add(io.chainscore.batch.io.FileIdentity.canonical(Path.of(moves.get(moves.size() - 1).to())).getParent());
    java.util.Set<Path> found = new java.util.LinkedHashSet<>();
    for (Path dir : folders) {
      for (Path m : RunManifest.candidatesIn(dir)) {
        Path manifest = io.chainscore.batch.io.FileIdentity.canonical(m);
        if (skip.contains(manifest) || found.contains(manifest)) {
          continue;
        }
        com.fasterxml.jackson.databind.JsonNode json = RunManifest.read(m);
        if (json == null) {
          continue;
        }
        for (java.util.Map.Entry<Path, RunManifest.FileEntry> e : RunManifest.listedOutputs(m, json).entrySet()) {
          Path file = io.chainscore.batch.io.FileIdentity.canonical(e.getKey());
          if (!after.containsKey(file)) {
            continue;
          }
          Path bytes = after.get(file);
          if (bytes == null || e.getValue().differenceFrom(bytes, "the manifest " + m) != null) {
            found.add(manifest);
            break;
          }
        }
      }
    }
    return List.copyOf(found);
  }

  /**
   * Completes the commit an interrupted run left in {@code journalPath}, for a resume of the run
   * identified by {@code job}: refused, nothing renamed, when the journal records another identity
   * (another model, options or input).
   *
   * @param output the run's output, for the message
   * @return the finished run's counts as recorded in the journal
   * @throws ResumeException when the journal is another run's, or a staged file is gone and its
   *     target was never written
   */
  static long[] finish(Path journalPath, String job, Path output) throws IOException {
    Journal journal = read(journalPath);
    if (job != null && journal.job() != null && !journal.job().equals(job)) {
      throw new ResumeException("the interrupted run of " + output + " used another input, model or options than this"
          + " --resume; resume with the run's own, or pass --overwrite to start again");
    }
    apply(journalPath, journal, RESUME);
    return journal.result();
  }

  /** Deletes an interrupted commit's staged files and journal (for a restart with overwrite). */
  static void discard(Path journalPath) throws IOException {
    Journal journal = read(journalPath);
    for (Move m : journal.moves()) {
      Files.deleteIfExists(Path.of(m.from()));
    }
    Files.deleteIfExists(journalPath);
  }

  private static Journal read(Path journalPath) throws IOException {
    try {
      Journal journal = JSON.readValue(journalPath.toFile(), Journal.class);
      if (journal.version() != 1 || journal.moves() == null || journal.moves().isEmpty()) {
        throw new ResumeException(journalPath + " is not a commit journal of this version");
      }
      return journal;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ResumeException(journalPath + " is not a readable commit journal: " + e.getOriginalMessage());
    }
  }

  private static void apply(Path journalPath, Journal journal, String remedy) throws IOException {
    Move seal = journal.moves().get(journal.moves().size() - 1);
    if (Files.exists(Path.of(seal.from()))) {
      // The seal is not committed yet: an old seal must not vouch for the files about to change,
      // under the seal's name or another one an earlier run gave it. The retired manifests go
      // first: a seal that is a table (demo's feature table, committed alone) is a file another
      // run's retired manifest lists, and deleted before it (until 2026-12-07) a run killed
      // between the two left that manifest vouching for a file no longer there.
      if (journal.retired() != null) {
        for (String old : journal.retired()) {
          Files.deleteIfExists(Path.of(old));
        }
      }
      try {
        refuseFolder(Path.of(seal.to()));
        Files.deleteIfExists(Path.of(seal.to()));
      } catch (java.nio.file.FileSystemException e) {
        // a folder where the seal goes fails here, before the renames (until 2026-12-07 as
        // "PATH: DirectoryNotEmptyException", exit 1, after the run's work): said as a rename's
        throw couldNotWrite(Path.of(seal.to()), e, journalPath, remedy);
      }
    }
    for (Move m : journal.moves()) {
      Path from = Path.of(m.from());
      Path to = Path.of(m.to());
      if (Files.exists(from)) {
        try {
          refuseFolder(to);
          Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileSystemException e) {
          throw couldNotWrite(to, e, journalPath, remedy);
        }
      } else if (!Files.exists(to)) {
        throw new ResumeException("the interrupted commit of " + journalPath + " lost " + from
            + " before it was renamed to " + to + "; pass --overwrite to start again");
      }
    }
    syncDirectory(journalPath);
    for (String p : journal.cleanup()) {
      Files.deleteIfExists(Path.of(p));
    }
    Files.deleteIfExists(journalPath);
    syncDirectory(journalPath);
  }

  /**
   * Refuses a folder where a file goes, at the step that would replace it: the file system deletes
   * an empty one without a word (a seal's delete, a rename over it), so until 2026-12-08 an empty
   * folder where a table or manifest goes vanished; a folder with files in it failed there already.
   */
  private static void refuseFolder(Path to) throws java.nio.file.FileSystemException {
    if (Files.isDirectory(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new java.nio.file.FileSystemException(to.toString(), null, "a folder is in its place");
    }
  }

  /**
   * The failure of a file the commit could not put in place: the fault is where the file goes (a
   * folder in its place, a full or read-only disk), so it names that, and the way out, not the
   * hidden staged name.
   */
  private static IOException couldNotWrite(Path to, java.nio.file.FileSystemException e, Path journalPath, String remedy) {
    String why = e.getReason() != null ? e.getReason()
        : e instanceof java.nio.file.DirectoryNotEmptyException ? "a folder is in its place" : e.getClass().getSimpleName();
    return new IOException(to + ": could not be written (" + why + "); the run's files are ready and its commit"
        + " is journalled in " + journalPath.getFileName() + ": remove the cause and " + remedy, e);
  }

  /** Forces a directory's entries (the renames) to disk where the platform allows it. */
  static void syncDirectory(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms and file systems cannot open or sync a directory; the renames still happen.
    }
  }
}

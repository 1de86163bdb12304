package io.chainscore.batch.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.UUID;

/**
 * An exclusive, process-wide lock on one output path, held for the whole run that writes it: a
 * second run on the same output is refused at once with an {@link OutputLockedException} naming
 * the holder, never left to interleave its files with the first's.
 *
 * <p>The lock is an OS file lock ({@code fcntl}/{@code LockFileEx}) on {@code OUTPUT.lock}, so the
 * operating system releases it when the holding process dies, even by {@code kill -9}: a resume
 * never finds a lock it cannot take. The file holds a one-line description of the holder (pid,
 * command, start time) for the refusal message. It is deleted on {@link #close()} while still
 * locked; a process that locked the old file just before the deletion notices, because the path
 * no longer holds its own token, and tries again on the new file.
 *
 * <p>Thread safety: a lock object is used by the one thread that acquired it; two acquisitions of
 * one path in one JVM exclude each other like two processes.
 */
public final class OutputLock implements AutoCloseable {
  private static final int ATTEMPTS = 8;

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private final FileChannel check;
  private boolean released;

  private OutputLock(Path path, FileChannel channel, FileLock lock, FileChannel check) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
    this.check = check;
  }

  /** Where the lock of a run writing {@code output} is kept. */
  public static Path lockPath(Path output) {
    return output.resolveSibling(output.getFileName() + ".lock");
  }

  /**
   * Takes the lock on {@code output} for the run described by {@code holder} (for example
   * {@code "chainscore score"}).
   *
   * @throws OutputLockedException when another run, in this or another process, holds it
   */
  public static OutputLock acquire(Path output, String holder) throws IOException {
    Path path = lockPath(output);
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    String token = "pid " + ProcessHandle.current().pid() + ", " + holder + ", started "
        + Instant.now() + " [" + UUID.randomUUID() + "]";
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (lock == null) {
        String other = holderText(channel);
        channel.close();
        throw new OutputLockedException(output, other);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      // The path may have been deleted and re-created by the previous holder's close() between our
      // open and our lock: then we locked an orphan and must start over on the file the path names.
      // The check reads through a second channel that stays open while the lock is held, because
      // closing any descriptor of a file drops the process's POSIX locks on it.
      FileChannel check = null;
      String current = "";
      try {
        check = FileChannel.open(path, StandardOpenOption.READ);
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        check.read(buffer, 0);
        current = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
      } catch (NoSuchFileException e) {
        current = "";
      }
      if (current.equals(token)) {
        return new OutputLock(path, channel, lock, check);
      }
      if (check != null) {
        check.close();
      }
      lock.release();
      channel.close();
    }
    throw new OutputLockedException(output, "the lock file kept changing hands");
  }

  /**
   * Takes the locks of a run that writes {@code outputs}: its output and the side files another run
   * may name alike ({@code s.csv} and {@code s.arrow} share {@code s.quarantine.csv}), so that two
   * runs sharing any file exclude each other at once, not at their commits (where the later one
   * replaced the earlier's refused rows under a manifest that no longer matched them). All or
   * none: a refusal releases the locks already taken.
   *
   * @throws OutputLockedException naming the file and its holder when another run holds one
   */
  public static AutoCloseable acquireAll(java.util.List<Path> outputs, String holder) throws IOException {
    java.util.List<OutputLock> held = new java.util.ArrayList<>();
    java.util.Set<Path> seen = new java.util.HashSet<>();
    try {
      for (Path output : outputs) {
        if (output != null && seen.add(output.toAbsolutePath().normalize())) {
          held.add(acquire(output, holder));
        }
      }
    } catch (IOException | RuntimeException e) {
      for (OutputLock lock : held) {
        try {
          lock.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return () -> {
      IOException first = null;
      for (int i = held.size() - 1; i >= 0; i--) {
        try {
          held.get(i).close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    };
  }

  private static String holderText(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(512);
      channel.read(buffer, 0);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
      int bracket = text.lastIndexOf(" [");
      text = bracket > 0 ? text.substring(0, bracket) : text;
      return text.isEmpty() ? "one that is starting and has not written its pid yet" : text;
    } catch (IOException e) {
      return "its details could not be read";
    }
  }

  /** The lock file. */
  public Path path() {
    return path;
  }

  /** Deletes the lock file and releases the lock; idempotent. */
  @Override
  public void close() throws IOException {
    if (released) {
      return;
    }
    released = true;
    try {
      Files.deleteIfExists(path);
    } finally {
      try {
        lock.release();
      } finally {
        channel.close();
        check.close();
      }
    }
  }

  /** Refusal to start a run on an output another run holds. */
  public static final class OutputLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    OutputLockedException(Path output, String holder) {
      super(output + " is being written by another run (" + holder + "); wait for it to finish or choose"
          + " another --out");
    }
  }
}

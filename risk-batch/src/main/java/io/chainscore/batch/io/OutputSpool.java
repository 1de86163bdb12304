package io.chainscore.batch.io;

import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An output table being written to a partial file that can be synced at checkpoints, truncated
 * back to a checkpoint after a crash, and moved into place when complete.
 *
 * <p>The format follows the target's extension: {@code .csv}; {@code .arrow} or {@code .feather}
 * (Arrow IPC file, spooled as an IPC stream and converted when finished, because the file
 * format's footer cannot be appended to); {@code .arrows} (Arrow IPC stream); {@code .parquet}
 * (spooled as an Arrow IPC stream, converted when finished).
 *
 * <p>Thread safety: not thread-safe.
 */
public interface OutputSpool extends AutoCloseable {
  /** Appends every row of {@code batch}. */
  void append(ColumnBatch batch) throws IOException;

  /** Flushes and forces the partial file to disk; returns its length, a valid resume point. */
  long sync() throws IOException;

  /**
   * Length of the header (CSV header line, Arrow schema message) in the partial file; needed to
   * resume.
   */
  long headerBytes();

  /** Completes the table and moves it to the target path. */
  void finish() throws IOException;

  /**
   * Completes the table under the new name {@code staged} (same directory, same extension as the
   * target), forced to disk, and returns it; the partial file stays, intact, until the caller
   * deletes it, so a run that dies before committing can still be resumed from it. For callers
   * that commit several files as one unit.
   */
  Path complete(Path staged) throws IOException;

  /** {@code staged} as a second name of {@code partial} (a hard link; a copy where links fail). */
  static void link(Path partial, Path staged) throws IOException {
    java.nio.file.Files.deleteIfExists(staged);
    try {
      java.nio.file.Files.createLink(staged, partial);
    } catch (UnsupportedOperationException | IOException e) {
      java.nio.file.Files.copy(partial, staged, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(staged,
          java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(false);
      }
    }
  }

  /** Closes without finishing; the partial file stays for a resume. */
  @Override
  void close() throws IOException;

  /** Starts a new partial file, replacing any old one. */
  static OutputSpool create(Path target, Path partial, TableSchema schema) throws IOException {
    return switch (kind(target)) {
      case "csv" -> new CsvOutputSpool(target, partial, schema, -1, 0);
      default -> new ArrowOutputSpool(target, partial, schema, -1, 0, kind(target));
    };
  }

  /** Reopens a partial file truncated to {@code length}, a value {@link #sync()} returned. */
  static OutputSpool resume(Path target, Path partial, TableSchema schema, long length, long headerBytes)
      throws IOException {
    return switch (kind(target)) {
      case "csv" -> new CsvOutputSpool(target, partial, schema, length, headerBytes);
      default -> new ArrowOutputSpool(target, partial, schema, length, headerBytes, kind(target));
    };
  }

  /** {@code csv}, {@code arrow} (IPC file), {@code arrows} (IPC stream) or {@code parquet} by extension. */
  static String kind(Path target) {
    String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return "csv";
    }
    if (name.endsWith(".arrow") || name.endsWith(".feather")) {
      return "arrow";
    }
    if (name.endsWith(".arrows")) {
      return "arrows";
    }
    if (name.endsWith(".parquet")) {
      return "parquet";
    }
    throw new IllegalArgumentException(
        "output " + target + " has an unknown extension; expected .csv, .arrow, .arrows or .parquet");
  }
}

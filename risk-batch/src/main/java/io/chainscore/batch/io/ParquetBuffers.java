package io.chainscore.batch.io;

import java.util.ArrayDeque;

/**
 * The page buffers of Parquet column readers closed, handed to the next ones a thread opens: a
 * reader of a run of segments ({@link ParquetSegments#open(String, java.nio.channels.FileChannel,
 * io.chainscore.tables.TableSchema, BadRowHandler, int, int, ParquetBuffers)}) grows each column's
 * compressed and decompressed page buffers to the file's page size, and an engine that opens one
 * reader per run, many per task (the Spark job's tasks), would otherwise allocate and zero them
 * again for each (in a profile at 100,000 suppliers about 9% of the tasks' samples).
 *
 * <p>Thread safety: not thread-safe; for the readers one thread opens one after another.
 */
public final class ParquetBuffers {
  /** The most buffers kept: the columns of a wide table, twice. */
  private static final int KEPT = 64;
  private final ArrayDeque<byte[]> free = new ArrayDeque<>();

  public ParquetBuffers() {}

  /** A buffer of at least {@code atLeast} bytes, its content undefined. */
  byte[] take(int atLeast) {
    byte[] b = free.pollFirst();
    return b != null && b.length >= atLeast ? b : new byte[atLeast];
  }

  /** Gives back {@code buffer}, which its holder no longer reads or writes. */
  void give(byte[] buffer) {
    if (buffer.length > 0 && free.size() < KEPT) {
      free.addFirst(buffer);
    }
  }
}

package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A {@link TableReader} that reads and decodes the next batches on a background thread while the
 * caller works on the current one, so decoding a file overlaps with what is done with its rows.
 *
 * <p>What the caller sees is exactly what the wrapped reader gives, in the same order: the bad
 * rows the reader reports while filling a batch are handed to the caller's {@link BadRowHandler}
 * on the caller's thread, just before that batch is returned (so a handler that stops the read by
 * throwing stops it at the same row), and a failure of the file is thrown where it happened,
 * after the batches read before it. Holds up to {@value #AHEAD} batches beside the caller's (one
 * more with a stage, which runs on a thread of its own: decoding the next batch, the stage's work
 * on the one before and the caller's work on the one before that overlap).
 *
 * <p>Thread safety: not thread-safe; one caller thread.
 */
final class PrefetchingReader implements TableReader {
  private static final int AHEAD = 2;

  /** A filled batch (or the end, or a failure) and the bad rows reported while filling it. */
  private record Item(ColumnBatch batch, List<InputFormatException> badRows, long rowsRead, Throwable failure) {}

  private final TableReader reader;
  private final BadRowHandler handler;
  private final BatchStage stage;
  private final List<InputFormatException> pendingBadRows;
  private final BlockingQueue<Item> filled = new ArrayBlockingQueue<>(AHEAD + 2);
  private final BlockingQueue<ColumnBatch> free = new ArrayBlockingQueue<>(AHEAD + 2);
  /** With a stage: the batches decoded, on their way from the reading thread to the stage's. */
  private final BlockingQueue<Item> decoded = new ArrayBlockingQueue<>(AHEAD + 2);
  private Thread thread;
  private Thread stageThread;
  private volatile boolean closed;
  private boolean ended;
  private long rowsRead;

  private PrefetchingReader(TableReader reader, BadRowHandler handler, List<InputFormatException> pending,
      BatchStage stage) {
    this.reader = reader;
    this.handler = handler;
    this.stage = stage;
    this.pendingBadRows = pending;
  }

  /**
   * Opens {@code file} as {@link TableReader#open} does, reading ahead on a background thread and
   * running {@code stage} (when not null) on each filled batch there.
   */
  static TableReader open(Path file, TableSchema schema, BadRowHandler handler, BatchStage stage)
      throws IOException {
    List<InputFormatException> pending = new ArrayList<>();
    TableReader reader = TableReader.open(file, schema, pending::add);
    return new PrefetchingReader(reader, handler, pending, stage);
  }

  @Override
  public boolean next(ColumnBatch batch) throws IOException {
    if (ended) {
      batch.clear();
      return false;
    }
    if (thread == null) {
      start(batch);
    }
    Item item;
    try {
      item = filled.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while reading ahead");
    }
    for (InputFormatException bad : item.badRows()) {
      handler.badRow(bad);
    }
    if (item.failure() != null) {
      ended = true;
      Throwable f = item.failure();
      if (f instanceof IOException io) {
        throw io;
      }
      if (f instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) f;
    }
    rowsRead = item.rowsRead();
    if (item.batch() == null) {
      ended = true;
      batch.clear();
      return false;
    }
    batch.swapWith(item.batch());
    free.add(item.batch());
    return true;
  }

  private void start(ColumnBatch like) {
    // with a stage, one batch more: one being decoded, one in the stage, one ready
    for (int i = 0; i < (stage != null ? AHEAD + 1 : AHEAD); i++) {
      free.add(like.emptyCopy());
    }
    thread = new Thread(this::readAhead, "chainscore-reader");
    thread.setDaemon(true);
    if (stage != null) {
      stageThread = new Thread(this::runStage, "chainscore-reader-stage");
      stageThread.setDaemon(true);
      stageThread.start();
    }
    thread.start();
  }

  /**
   * With a stage, its own thread: takes the decoded batches in file order, runs the stage on each
   * and hands them on, so that decoding the next batch and the stage's work on this one overlap.
   */
  private void runStage() {
    try {
      while (!closed) {
        Item item = decoded.take();
        if (item.batch() != null) {
          try {
            stage.prepare(item.batch());
          } catch (IOException | RuntimeException | Error e) {
            filled.put(new Item(null, item.badRows(), item.rowsRead(), e));
            return;
          }
        }
        filled.put(item);
        if (item.batch() == null) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed by the caller
    }
  }

  /** The background loop: fills free batches until the end of the file, a failure or close. */
  private void readAhead() {
    try {
      while (!closed) {
        ColumnBatch b = free.take();
        Item item;
        try {
          boolean more = reader.next(b);
          List<InputFormatException> bad = takePending();
          item = more ? new Item(b, bad, reader.rowsRead(), null) : new Item(null, bad, reader.rowsRead(), null);
        } catch (IOException | RuntimeException | Error e) {
          item = new Item(null, takePending(), reader.rowsRead(), e);
        }
        (stage != null ? decoded : filled).put(item);
        if (item.batch() == null) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed by the caller
    }
  }

  private List<InputFormatException> takePending() {
    if (pendingBadRows.isEmpty()) {
      return List.of();
    }
    List<InputFormatException> copy = List.copyOf(pendingBadRows);
    pendingBadRows.clear();
    return copy;
  }

  @Override
  public long rowsRead() {
    return rowsRead;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    for (Thread t : new Thread[] {thread, stageThread}) {
      if (t != null) {
        t.interrupt();
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted while closing a reader"));
        }
      }
    }
    reader.close();
  }
}

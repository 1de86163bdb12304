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
 * A {@link TableReader} that reads and decodes the next batches on background threads while the
 * caller works on the current one, so decoding a file overlaps with what is done with its rows.
 *
 * <p>What the caller sees is exactly what the wrapped reader gives, in the same order: the bad
 * rows the reader reports while filling a batch are handed to the caller's {@link BadRowHandler}
 * on the caller's thread, just before that batch is returned (so a handler that stops the read by
 * throwing stops it at the same row), and a failure of the file is thrown where it happened,
 * after the batches read before it. Holds up to {@value #AHEAD} batches beside the caller's (one
 * more with a stage, which runs on a thread of its own: decoding the next batch, the stage's work
 * on the one before and the caller's work on the one before that overlap). A stage's {@link
 * BatchStage#precompute} runs on the decoder's thread right after it fills a batch, so that the
 * decoders share the work that needs no other batch; a failure there is the batch's failure.
 *
 * <p>With more than one decoder, a Parquet file that {@link ArrowTableReader#segments() comes in
 * segments} of whole row groups is decoded by that many threads, each with a reader of its own
 * taking every n-th segment ({@value #AHEAD} batches each), and the batches are handed on in file
 * order. A batch never spans two segments, whoever reads them, so the batches, bad rows and
 * failures are those of one thread reading the whole file: only the time differs.
 *
 * <p>Thread safety: not thread-safe; one caller thread.
 */
final class PrefetchingReader implements TableReader {
  private static final int AHEAD = 2;

  /**
   * A filled batch (or the end, or a failure) and the bad rows reported while filling it; {@code
   * free} is where the batch goes back once the caller has taken its rows. From a segment decoder,
   * a null batch without failure is the end of the segment.
   */
  private record Item(ColumnBatch batch, List<InputFormatException> badRows, long rowsRead, Throwable failure,
      BlockingQueue<ColumnBatch> free) {
    /** This item with {@code earlier} bad rows reported before its own. */
    Item after(List<InputFormatException> earlier) {
      return earlier.isEmpty() ? this : new Item(batch, concat(earlier, badRows), rowsRead, failure, free);
    }
  }

  /** {@code first} then {@code then}, as one list. */
  private static List<InputFormatException> concat(List<InputFormatException> first, List<InputFormatException> then) {
    if (first.isEmpty() || then.isEmpty()) {
      return first.isEmpty() ? then : first;
    }
    List<InputFormatException> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }

  /** One decoding thread: its reader, the bad rows it reported, its batches and what it filled. */
  private static final class Decoder {
    final TableReader reader;
    final List<InputFormatException> pendingBadRows;
    final BlockingQueue<ColumnBatch> free = new ArrayBlockingQueue<>(AHEAD + 2);
    final BlockingQueue<Item> filled = new ArrayBlockingQueue<>(AHEAD + 2);
    Thread thread;

    Decoder(TableReader reader, List<InputFormatException> pendingBadRows) {
      this.reader = reader;
      this.pendingBadRows = pendingBadRows;
    }

    List<InputFormatException> takePending() {
      if (pendingBadRows.isEmpty()) {
        return List.of();
      }
      List<InputFormatException> copy = List.copyOf(pendingBadRows);
      pendingBadRows.clear();
      return copy;
    }
  }

  private final Decoder[] decoders;
  /** With segment decoders: the file's segments, and the next one to hand on. */
  private final int segments;
  private int segment;
  /** With segment decoders: the bad rows of segments that ended without a batch, not yet handed on. */
  private List<InputFormatException> carried = List.of();
  private long segmentRowsRead;
  private final BadRowHandler handler;
  private final BatchStage stage;
  /** With a stage: the batches it prepared, in file order. */
  private final BlockingQueue<Item> prepared = new ArrayBlockingQueue<>(AHEAD + 2);
  private Thread stageThread;
  private boolean started;
  private volatile boolean closed;
  private boolean ended;
  private long rowsRead;

  private PrefetchingReader(Decoder[] decoders, int segments, BadRowHandler handler, BatchStage stage) {
    this.decoders = decoders;
    this.segments = segments;
    this.handler = handler;
    this.stage = stage;
  }

  /**
   * Opens {@code file} as {@link TableReader#open} does, reading ahead on background threads (up
   * to {@code decoders} for a Parquet file in segments, else one) and running {@code stage} (when
   * not null) on each filled batch on a thread of its own.
   */
  static TableReader open(Path file, TableSchema schema, BadRowHandler handler, BatchStage stage, int decoders)
      throws IOException {
    if (PartFiles.isTableDirectory(file)) {
      return PartFiles.open(file, schema, handler, stage, Math.max(1, decoders));
    }
    return open(file, schema, handler, stage, decoders, 0);
  }

  /** As {@link #open(Path, TableSchema, BadRowHandler, BatchStage, int)} for one file, its rows numbered on from {@code rowsBefore}. */
  static TableReader open(Path file, TableSchema schema, BadRowHandler handler, BatchStage stage, int decoders,
      long rowsBefore) throws IOException {
    List<InputFormatException> pending = new ArrayList<>();
    TableReader first = PartFiles.numberedFrom(file, schema, pending::add, rowsBefore);
    int segments = first instanceof ArrowTableReader a ? a.segments() : -1;
    int n = Math.min(decoders, segments);
    if (n < 2) {
      return new PrefetchingReader(new Decoder[] {new Decoder(first, pending)}, -1, handler, stage);
    }
    Decoder[] all = new Decoder[n];
    all[0] = new Decoder(first, pending);
    try {
      for (int d = 1; d < n; d++) {
        List<InputFormatException> own = new ArrayList<>();
        all[d] = new Decoder(PartFiles.numberedFrom(file, schema, own::add, rowsBefore), own);
      }
    } catch (IOException | RuntimeException e) {
      for (Decoder d : all) {
        if (d != null) {
          ArrowTableReader.closeQuietly(d.reader);
        }
      }
      throw e;
    }
    return new PrefetchingReader(all, segments, handler, stage);
  }

  @Override
  public boolean next(ColumnBatch batch) throws IOException {
    if (ended) {
      batch.clear();
      return false;
    }
    if (!started) {
      start(batch);
    }
    Item item;
    try {
      item = stage != null ? prepared.take() : nextDecoded();
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
    item.free().add(item.batch());
    return true;
  }

  /**
   * The next decoded item in file order: from the one decoder, or from the decoder of the current
   * segment, moving to the next segment at the end of one (and ending after the last).
   */
  private Item nextDecoded() throws InterruptedException {
    if (segments < 0) {
      return decoders[0].filled.take();
    }
    while (segment < segments) {
      Item item = decoders[segment % decoders.length].filled.take();
      if (item.batch() != null || item.failure() != null) {
        Item whole = item.after(carried);
        carried = List.of();
        return whole;
      }
      // the segment's end: its last bad rows go before the next batch
      carried = concat(carried, item.badRows());
      segmentRowsRead = item.rowsRead();
      segment++;
    }
    Item end = new Item(null, carried, segmentRowsRead, null, null);
    carried = List.of();
    return end;
  }

  private void start(ColumnBatch like) {
    started = true;
    for (int d = 0; d < decoders.length; d++) {
      Decoder decoder = decoders[d];
      // with a stage and one decoder, one batch more: one being decoded, one in the stage, one ready
      int batches = stage != null && decoders.length == 1 ? AHEAD + 1 : AHEAD;
      for (int i = 0; i < batches; i++) {
        decoder.free.add(like.emptyCopy());
      }
      int first = d;
      decoder.thread = new Thread(segments < 0 ? () -> readAhead(decoder) : () -> readSegments(decoder, first),
          d == 0 ? "chainscore-reader" : "chainscore-reader-" + d);
      decoder.thread.setDaemon(true);
    }
    if (stage != null) {
      stageThread = new Thread(this::runStage, "chainscore-reader-stage");
      stageThread.setDaemon(true);
      stageThread.start();
    }
    for (Decoder decoder : decoders) {
      decoder.thread.start();
    }
  }

  /**
   * With a stage, its own thread: takes the decoded batches in file order, runs the stage on each
   * and hands them on, so that decoding the next batch and the stage's work on this one overlap.
   */
  private void runStage() {
    try {
      while (!closed) {
        Item item = nextDecoded();
        if (item.batch() != null) {
          try {
            stage.prepare(item.batch());
          } catch (IOException | RuntimeException | Error e) {
            prepared.put(new Item(null, item.badRows(), item.rowsRead(), e, null));
            return;
          }
        }
        prepared.put(item);
        if (item.batch() == null) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed by the caller
    }
  }

  /** The one decoder's loop: fills free batches until the end of the file, a failure or close. */
  private void readAhead(Decoder decoder) {
    try {
      while (!closed) {
        ColumnBatch b = decoder.free.take();
        Item item;
        try {
          boolean more = decoder.reader.next(b);
          if (more && stage != null) {
            stage.precompute(b);
          }
          List<InputFormatException> bad = decoder.takePending();
          item = new Item(more ? b : null, bad, decoder.reader.rowsRead(), null, decoder.free);
        } catch (IOException | RuntimeException | Error e) {
          item = new Item(null, decoder.takePending(), decoder.reader.rowsRead(), e, decoder.free);
        }
        decoder.filled.put(item);
        if (item.batch() == null) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed by the caller
    }
  }

  /**
   * A segment decoder's loop: segments {@code first}, {@code first + n}, ... each to its end (an
   * item without batch), until the last one, a failure or close.
   */
  private void readSegments(Decoder decoder, int first) {
    ArrowTableReader reader = (ArrowTableReader) decoder.reader;
    try {
      for (int s = first; s < segments && !closed; s += decoders.length) {
        Item item;
        try {
          reader.seekSegment(s);
          do {
            ColumnBatch b = decoder.free.take();
            boolean more = reader.next(b);
            if (!more) {
              decoder.free.add(b);
            } else if (stage != null) {
              stage.precompute(b);
            }
            item = new Item(more ? b : null, decoder.takePending(), reader.rowsRead(), null, decoder.free);
            decoder.filled.put(item);
          } while (item.batch() != null && !closed);
        } catch (IOException | RuntimeException | Error e) {
          decoder.filled.put(new Item(null, decoder.takePending(), reader.rowsRead(), e, decoder.free));
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed by the caller
    }
  }

  @Override
  public long rowsRead() {
    return rowsRead;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    List<Thread> threads = new ArrayList<>();
    threads.add(stageThread);
    for (Decoder d : decoders) {
      threads.add(d.thread);
    }
    for (Thread t : threads) {
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
    IOException failure = null;
    for (Decoder d : decoders) {
      try {
        d.reader.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}

package io.chainscore.batch.engine;

import io.chainscore.batch.io.BadRowHandler;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.InputFormatException;
import io.chainscore.batch.io.OutputSpool;
import io.chainscore.batch.io.TableReader;
import io.chainscore.scoring.spi.BorrowedExecutor;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Runs read -> process -> write over one input table in chunks, in parallel, with output rows in
 * input order, and survives being killed: nothing lost, nothing duplicated.
 *
 * <p>Chunks are processed by {@code threads} workers (threads the job creates, or tasks on the
 * caller's {@link Builder#executor executor}) but written by the calling thread in input order,
 * so the output bytes do not depend on the thread count. Output and quarantine go to
 * {@code .partial} files; every {@code checkpointEvery} chunks both are forced to disk and a
 * checkpoint records how far the run got. A run restarted with {@code resume} truncates the
 * partial files to the checkpoint, skips the input rows already done and continues; its output is
 * byte-identical to an uninterrupted run's. The resume fingerprint covers every byte of the input.
 * Finished tables, and the files a {@link CommitHook} stages (summary, manifest), are committed as
 * one unit through a journal ({@link RunCommit}), the hook's last file last; a resume completes a
 * commit that died half-way. Existing results are replaced only with {@code overwrite}. Callers
 * that may run concurrently on one output hold its {@link OutputLock}.
 *
 * <p>Memory is bounded by {@code (2 * threads + 1) * chunkRows} rows whatever the input size.
 *
 * <p>Thread safety: a job object runs once at a time; distinct jobs may run concurrently on
 * distinct files.
 */
public final class BatchJob {
  /** Columns of every quarantine table. */
  public static final TableSchema QUARANTINE_SCHEMA = new TableSchema("quarantine", List.of(
      TableSchema.required("row", ColumnType.LONG),
      TableSchema.nullable("column", ColumnType.STRING),
      TableSchema.required("reason", ColumnType.STRING)));

  private final Path input;
  private final TableSchema inputSchema;
  private final ChunkProcessor processor;
  private final Path output;
  private final Path quarantine;
  private final int chunkRows;
  private final int threads;
  private final Executor executor;
  private final int checkpointEvery;
  private final long maxBadRows;
  private final boolean resume;
  private final boolean overwrite;
  private final String jobFingerprint;
  private final LongConsumer progress;
  private final CommitHook commitHook;

  private BatchJob(Builder b) {
    this.input = require(b.input, "input");
    this.inputSchema = require(b.inputSchema, "inputSchema");
    this.processor = require(b.processor, "processor");
    this.output = require(b.output, "output");
    this.quarantine = b.quarantine != null ? b.quarantine
        : output.resolveSibling(baseName(output) + ".quarantine.csv");
    this.chunkRows = b.chunkRows;
    this.threads = b.threads;
    this.executor = b.executor;
    this.checkpointEvery = b.checkpointEvery;
    this.maxBadRows = b.maxBadRows;
    this.resume = b.resume;
    this.overwrite = b.overwrite;
    this.jobFingerprint = b.jobFingerprint;
    this.progress = b.progress;
    this.commitHook = b.commitHook;
    OutputSpool.kind(output);
    OutputSpool.kind(quarantine);
  }

  private static <T> T require(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException("batch job: " + name + " is required");
    }
    return value;
  }

  private static String baseName(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where the checkpoint of a run writing {@code output} is kept. */
  public static Path checkpointPath(Path output) {
    return output.resolveSibling(output.getFileName() + ".checkpoint.json");
  }

  private static Path partial(Path p) {
    return p.resolveSibling(p.getFileName() + ".partial");
  }

  /** A chunk in flight: its input, output, quarantined rows and where the input stood after it. */
  private static final class Chunk {
    final ColumnBatch in;
    final ColumnBatch out;
    final List<long[]> rejectedRows = new ArrayList<>();
    final List<String[]> rejectedReasons = new ArrayList<>();
    long inputRowsEnd;

    Chunk(TableSchema inSchema, TableSchema outSchema, int rows) {
      in = new ColumnBatch(inSchema, rows);
      out = new ColumnBatch(outSchema, rows);
    }

    void reset() {
      in.clear();
      out.clear();
      rejectedRows.clear();
      rejectedReasons.clear();
    }

    void reject(long row, String column, String reason) {
      rejectedRows.add(new long[] {row});
      rejectedReasons.add(new String[] {column, reason});
    }
  }

  /**
   * Runs the job to completion.
   *
   * @throws FileAlreadyExistsException when the output or quarantine exists and overwrite is off
   * @throws ResumeException when an interrupted run's checkpoint is in the way, or does not match
   * @throws TooManyBadRowsException when quarantined rows exceed the limit (no output is left)
   * @throws InputFormatException when the input file as a whole is unreadable
   */
  public BatchResult run() throws IOException {
    long startNanos = System.nanoTime();
    Path checkpointPath = checkpointPath(output);
    Path outputPartial = partial(output);
    Path quarantinePartial = partial(quarantine);
    Path journal = RunCommit.journalPath(output);
    if (Files.exists(journal)) {
      if (resume) {
        long[] r = RunCommit.finish(journal);
        return new BatchResult(output, quarantine, r[0], r[1], r[2], r[3], r[4], (int) r[5], r[6], true);
      }
      if (!overwrite) {
        throw new ResumeException("an interrupted run of " + output + " stopped while committing its files ("
            + journal.getFileName() + "); pass --resume to finish it or --overwrite to start again");
      }
      RunCommit.discard(journal);
    }
    // A checkpoint beside an existing output was left by a run that was allowed to replace it
    // (--overwrite): its resume may finish the replacement.
    if (!overwrite && Files.exists(output) && !(resume && Files.exists(checkpointPath))) {
      throw new FileAlreadyExistsException(output.toString(), null,
          "already exists; pass --overwrite to replace it");
    }
    // A quarantine without its output is what a stopped run (--max-bad-rows, a refused input) left
    // for the operator to read; the corrected rerun replaces it rather than being blocked by it.
    if (!overwrite && !Files.exists(output) && Files.exists(quarantine) && !Files.exists(checkpointPath)) {
      Files.delete(quarantine);
    }
    // The fingerprint is needed by a resume before it skips anything, by a fresh run only at its
    // first checkpoint: there it is computed after the first chunk, overlapping the next ones, and
    // a run that ends before any checkpoint never pays for it.
    java.util.concurrent.CompletableFuture<String> fingerprintTask = null;
    Checkpoint checkpoint = null;
    if (Files.exists(checkpointPath)) {
      if (resume) {
        checkpoint = Checkpoint.read(checkpointPath);
        fingerprintTask = fingerprintAsync();
        if (!checkpoint.fingerprint().equals(join(fingerprintTask))) {
          throw new ResumeException("the interrupted run of " + output + " used another input, model or options;"
              + " pass --overwrite to start again");
        }
        if (!Files.exists(outputPartial) || !Files.exists(quarantinePartial)) {
          throw new ResumeException("the partial files of the interrupted run of " + output
              + " are missing; pass --overwrite to start again");
        }
      } else if (!overwrite) {
        throw new ResumeException("an interrupted run of " + output + " left a checkpoint ("
            + checkpointPath.getFileName() + "); pass --resume to continue it or --overwrite to start again");
      }
    }
    if (checkpoint == null) {
      Files.deleteIfExists(checkpointPath);
      Files.deleteIfExists(outputPartial);
      Files.deleteIfExists(quarantinePartial);
    }

    final Chunk[] reading = new Chunk[1];
    BadRowHandler collect = error -> reading[0].reject(error.row(), error.column(), reasonOf(error));
    long rowsWritten = 0;
    long rowsQuarantined = 0;
    long chunksDone = 0;
    long resumedFrom = 0;
    ExecutorService pool = executor != null ? new BorrowedExecutor(executor)
        : Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "chainscore-batch");
      t.setDaemon(true);
      return t;
    });
    OutputSpool out = null;
    OutputSpool bad = null;
    boolean finished = false;
    try (TableReader reader = TableReader.open(input, inputSchema, error -> {
      if (reading[0] != null) {
        collect.badRow(error);
      }
    })) {
      if (checkpoint != null) {
        Chunk skip = new Chunk(inputSchema, processor.outputSchema(), chunkRows);
        for (long k = 0; k < checkpoint.chunks(); k++) {
          if (!reader.next(skip.in)) {
            break;
          }
        }
        if (reader.rowsRead() != checkpoint.inputRows()) {
          throw new ResumeException("the input of " + output + " changed since the interrupted run (row "
              + reader.rowsRead() + " instead of " + checkpoint.inputRows() + "); pass --overwrite to start again");
        }
        out = OutputSpool.resume(output, outputPartial, processor.outputSchema(),
            checkpoint.outputBytes(), checkpoint.outputHeaderBytes());
        bad = OutputSpool.resume(quarantine, quarantinePartial, QUARANTINE_SCHEMA,
            checkpoint.quarantineBytes(), checkpoint.quarantineHeaderBytes());
        rowsWritten = checkpoint.rowsWritten();
        rowsQuarantined = checkpoint.rowsQuarantined();
        chunksDone = checkpoint.chunks();
        resumedFrom = checkpoint.inputRows();
      } else {
        out = OutputSpool.create(output, outputPartial, processor.outputSchema());
        bad = OutputSpool.create(quarantine, quarantinePartial, QUARANTINE_SCHEMA);
      }

      int maxInFlight = 2 * Math.max(1, threads);
      Deque<Chunk> free = new ArrayDeque<>();
      for (int i = 0; i <= maxInFlight; i++) {
        free.add(new Chunk(inputSchema, processor.outputSchema(), chunkRows));
      }
      ColumnBatch quarantineBatch = new ColumnBatch(QUARANTINE_SCHEMA, Math.max(1, chunkRows));
      Deque<Future<Chunk>> inFlight = new ArrayDeque<>();
      boolean inputDone = false;
      while (!inputDone || !inFlight.isEmpty()) {
        while (!inputDone && inFlight.size() < maxInFlight) {
          Chunk chunk = free.removeFirst();
          chunk.reset();
          reading[0] = chunk;
          boolean any = reader.next(chunk.in);
          reading[0] = null;
          chunk.inputRowsEnd = reader.rowsRead();
          if (!any && chunk.rejectedRows.isEmpty()) {
            free.addFirst(chunk);
            inputDone = true;
            break;
          }
          inFlight.add(pool.submit(() -> process(chunk)));
        }
        if (inFlight.isEmpty()) {
          break;
        }
        Chunk done = inFlight.removeFirst().get();
        out.append(done.out);
        rowsWritten += done.out.size();
        rowsQuarantined += writeQuarantine(done, bad, quarantineBatch);
        chunksDone++;
        if (maxBadRows >= 0 && rowsQuarantined > maxBadRows) {
          String last = done.rejectedReasons.get(done.rejectedReasons.size() - 1)[1];
          out.close();
          Files.deleteIfExists(outputPartial);
          Files.deleteIfExists(checkpointPath);
          bad.finish();
          finished = true;
          throw new TooManyBadRowsException(maxBadRows, rowsQuarantined, last);
        }
        if (fingerprintTask == null) {
          fingerprintTask = fingerprintAsync();
        }
        if (chunksDone % checkpointEvery == 0) {
          new Checkpoint(Checkpoint.VERSION, join(fingerprintTask), chunksDone, done.inputRowsEnd, out.sync(),
              out.headerBytes(), bad.sync(), bad.headerBytes(), rowsWritten, rowsQuarantined)
              .write(checkpointPath);
        }
        if (progress != null) {
          progress.accept(done.inputRowsEnd);
        }
        free.add(done);
      }
      long rowsRead = reader.rowsRead();
      Path stagedOutput = out.complete(RunCommit.stagedPath(output));
      Path stagedQuarantine = bad.complete(RunCommit.stagedPath(quarantine));
      BatchResult staged = new BatchResult(stagedOutput, stagedQuarantine, rowsRead, rowsWritten, rowsQuarantined,
          resumedFrom, chunksDone, Math.max(1, threads), System.nanoTime() - startNanos, false);
      List<RunCommit.Move> moves = new ArrayList<>();
      moves.add(new RunCommit.Move(stagedOutput.toString(), output.toString()));
      moves.add(new RunCommit.Move(stagedQuarantine.toString(), quarantine.toString()));
      // Besides the partial files and the checkpoint, the temporary files an earlier attempt killed
      // mid-write may have left (checkpoint, journal, and the "." + name + ".tmp" of staged files).
      List<Path> cleanup = new ArrayList<>(List.of(outputPartial, quarantinePartial, checkpointPath,
          checkpointPath.resolveSibling(checkpointPath.getFileName() + ".tmp"),
          journal.resolveSibling(journal.getFileName() + ".tmp")));
      if (commitHook != null) {
        Staging staging = new Staging();
        commitHook.stage(staged, staging);
        for (Path target : staging.targets) {
          Path stagedTarget = RunCommit.stagedPath(target);
          moves.add(new RunCommit.Move(stagedTarget.toString(), target.toString()));
          cleanup.add(stagedTarget.resolveSibling("." + stagedTarget.getFileName() + ".tmp"));
        }
      }
      long elapsed = System.nanoTime() - startNanos;
      RunCommit.commit(journal, moves, cleanup,
          new long[] {rowsRead, rowsWritten, rowsQuarantined, resumedFrom, chunksDone, Math.max(1, threads), elapsed});
      finished = true;
      return new BatchResult(output, quarantine, rowsRead, rowsWritten, rowsQuarantined, resumedFrom,
          chunksDone, Math.max(1, threads), elapsed, false);
    } catch (InputFormatException e) {
      finished = true;
      abandon(out, bad, outputPartial, quarantinePartial, checkpointPath);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InputFormatException refused) {
        finished = true;
        abandon(out, bad, outputPartial, quarantinePartial, checkpointPath);
        throw refused;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    } finally {
      pool.shutdownNow();
      if (fingerprintTask != null) {
        fingerprintTask.cancel(true);
      }
      if (!finished) {
        // Leave the partial files and the checkpoint for --resume.
        if (out != null) {
          out.close();
        }
        if (bad != null) {
          bad.close();
        }
      }
    }
  }

  /**
   * Discards a run whose input was refused as a whole (a strict reader, a processor's refusal): a
   * resume would meet the same fault, so nothing of it is kept to block the corrected rerun.
   */
  private static void abandon(OutputSpool out, OutputSpool bad, Path... files) throws IOException {
    if (out != null) {
      out.close();
    }
    if (bad != null) {
      bad.close();
    }
    for (Path f : files) {
      Files.deleteIfExists(f);
    }
  }

  private static String reasonOf(InputFormatException e) {
    return e.problem();
  }

  private Chunk process(Chunk chunk) {
    long[] sourceRows = chunk.in.sourceRows();
    ChunkProcessor.OutputRows rows = new ChunkProcessor.OutputRows() {
      @Override
      public ColumnBatch batch() {
        return chunk.out;
      }

      @Override
      public void append(int inputIndex) {
        chunk.out.commitRow(sourceRows[inputIndex]);
      }
    };
    List<long[]> processorRows = new ArrayList<>();
    List<String[]> processorReasons = new ArrayList<>();
    processor.process(chunk.in, rows, (inputIndex, column, reason) -> {
      processorRows.add(new long[] {sourceRows[inputIndex]});
      processorReasons.add(new String[] {column, reason});
    });
    if (!processorRows.isEmpty()) {
      // Merge with the reader's rejections so the quarantine is in input-row order.
      List<Integer> order = new ArrayList<>();
      List<long[]> rowsAll = new ArrayList<>(chunk.rejectedRows);
      List<String[]> reasonsAll = new ArrayList<>(chunk.rejectedReasons);
      rowsAll.addAll(processorRows);
      reasonsAll.addAll(processorReasons);
      for (int i = 0; i < rowsAll.size(); i++) {
        order.add(i);
      }
      order.sort((a, b) -> Long.compare(rowsAll.get(a)[0], rowsAll.get(b)[0]));
      chunk.rejectedRows.clear();
      chunk.rejectedReasons.clear();
      for (int i : order) {
        chunk.rejectedRows.add(rowsAll.get(i));
        chunk.rejectedReasons.add(reasonsAll.get(i));
      }
    }
    return chunk;
  }

  private static long writeQuarantine(Chunk chunk, OutputSpool bad, ColumnBatch batch) throws IOException {
    int n = chunk.rejectedRows.size();
    for (int start = 0; start < n; start += batch.capacity()) {
      batch.clear();
      for (int i = start; i < Math.min(n, start + batch.capacity()); i++) {
        int slot = batch.size();
        long row = chunk.rejectedRows.get(i)[0];
        batch.longs(0)[slot] = row;
        batch.strings(1)[slot] = chunk.rejectedReasons.get(i)[0];
        batch.strings(2)[slot] = chunk.rejectedReasons.get(i)[1];
        batch.commitRow(row);
      }
      bad.append(batch);
    }
    return n;
  }

  /**
   * Identifies the job: the caller's description (model, options), the chunk size and the SHA-256
   * of every byte of the input, so that a resume against an input changed anywhere is refused.
   * Computed on a thread of its own while the first chunks are processed; a fresh run needs it only
   * for its first checkpoint, a resume before it skips anything. An input that is not a regular
   * file (a pipe) is identified by its path alone: its bytes cannot be read twice.
   */
  private java.util.concurrent.CompletableFuture<String> fingerprintAsync() {
    Thread[] worker = new Thread[1];
    java.util.concurrent.CompletableFuture<String> task = new java.util.concurrent.CompletableFuture<>() {
      @Override
      public boolean cancel(boolean interrupt) {
        // Stops the hashing of a run that no longer needs it (it ended, or failed).
        boolean cancelled = super.cancel(interrupt);
        worker[0].interrupt();
        return cancelled;
      }
    };
    Thread t = new Thread(() -> {
      try {
        task.complete(fingerprint());
      } catch (Throwable e) {
        task.completeExceptionally(e);
      }
    }, "chainscore-fingerprint");
    worker[0] = t;
    t.setDaemon(true);
    t.start();
    return task;
  }

  private static String join(java.util.concurrent.CompletableFuture<String> task) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("fingerprinting " + e.getMessage(), e.getCause());
    }
  }

  private String fingerprint() throws IOException {
    MessageDigest sha = sha256();
    sha.update(jobFingerprint.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(processor.outputSchema().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    sha.update(Long.toString(chunkRows).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    sha.update((byte) 0);
    if (Files.isRegularFile(input)) {
      sha.update(InputDigest.sha256(input));
    } else {
      sha.update(input.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes a run's other files before the commit. The staged result's {@code output()} and
   * {@code quarantine()} are the complete tables under their staged names; files given to {@link
   * Staging#stage} are renamed into place after the output and quarantine, in the order staged, so
   * the run's manifest, staged last, is committed last.
   */
  @FunctionalInterface
  public interface CommitHook {
    void stage(BatchResult staged, Staging staging) throws IOException;
  }

  /** Hands out staged names for the files a {@link CommitHook} writes. */
  public static final class Staging {
    private final List<Path> targets = new ArrayList<>();

    private Staging() {}

    /** Registers {@code target} for the commit and returns the name to write it under now. */
    public Path stage(Path target) {
      targets.add(target);
      return RunCommit.stagedPath(target);
    }
  }

  /** Options of a batch job. */
  public static final class Builder {
    private Path input;
    private TableSchema inputSchema;
    private ChunkProcessor processor;
    private Path output;
    private Path quarantine;
    private int chunkRows = 65_536;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Executor executor;
    private int checkpointEvery = 4;
    private long maxBadRows = -1;
    private boolean resume;
    private boolean overwrite;
    private String jobFingerprint = "";
    private LongConsumer progress;
    private CommitHook commitHook;

    private Builder() {}

    public Builder input(Path file, TableSchema schema) {
      input = file;
      inputSchema = schema;
      return this;
    }

    public Builder processor(ChunkProcessor value) {
      processor = value;
      return this;
    }

    /** The output table; its extension (.csv, .arrow, .arrows) picks the format. */
    public Builder output(Path value) {
      output = value;
      return this;
    }

    /** The quarantine table; default {@code <output base name>.quarantine.csv} beside the output. */
    public Builder quarantine(Path value) {
      quarantine = value;
      return this;
    }

    public Builder chunkRows(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("chunk rows must be at least 1, got " + value);
      }
      chunkRows = value;
      return this;
    }

    public Builder threads(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + value);
      }
      threads = value;
      return this;
    }

    /**
     * Processes chunks as tasks on {@code executor} instead of {@link #threads} threads the job
     * creates (the default); {@code threads} then sets how many chunks are processed at once (at
     * most {@code 2 * threads} in flight). The job never shuts the executor down; a failed run
     * cancels its own unfinished tasks. Output bytes do not depend on either.
     */
    public Builder executor(Executor value) {
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    /** Chunks between checkpoints (default 4). */
    public Builder checkpointEvery(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("checkpoint interval must be at least 1 chunk, got " + value);
      }
      checkpointEvery = value;
      return this;
    }

    /** Stop when more rows than this are quarantined; negative for no limit (default). */
    public Builder maxBadRows(long value) {
      maxBadRows = value;
      return this;
    }

    public Builder resume(boolean value) {
      resume = value;
      return this;
    }

    public Builder overwrite(boolean value) {
      overwrite = value;
      return this;
    }

    /** What besides the input identifies the job (model id and hash, options); checked on resume. */
    public Builder jobFingerprint(String value) {
      jobFingerprint = value == null ? "" : value;
      return this;
    }

    /** Called on the calling thread with the input rows done after each chunk. */
    public Builder progress(LongConsumer value) {
      progress = value;
      return this;
    }

    /**
     * Called once every row is written, before anything is moved into place, to stage the run's
     * other files (summary, manifest) so that they are committed with the output as one unit.
     */
    public Builder commitHook(CommitHook value) {
      commitHook = value;
      return this;
    }

    public BatchJob build() {
      return new BatchJob(this);
    }
  }
}

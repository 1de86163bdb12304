package io.chainscore.batch.engine;

import io.chainscore.batch.io.BadRowHandler;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.batch.io.OutputSpool;
import io.chainscore.batch.io.TableReader;
import io.chainscore.scoring.spi.BorrowedExecutor;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One run of a {@link BatchJob}: the checks before it starts (a commit to finish, an output or
 * checkpoint in the way), the chunk pump (read, process in parallel, write in input order,
 * checkpoint), and the commit of every file as one unit.
 *
 * <p>Thread safety: used by one thread, once.
 */
final class BatchRun {
  private final BatchJob job;

  BatchRun(BatchJob job) {
    this.job = job;
    this.keyRows = job.uniqueKey >= 0 ? new KeyRows() : null;
  }

  /** Computed once per run: by a resume before it skips anything, by a fresh run after its first chunk. */
  private java.util.concurrent.CompletableFuture<String> fingerprintTask;
  /** The output and quarantine being written, and the run's counts so far. */
  private OutputSpool out;
  private OutputSpool bad;
  private long rowsWritten;
  private long rowsQuarantined;
  private long chunksDone;
  private long resumedFrom;

  /** The first row of each key value, given a unique key ({@link BatchJob#uniqueKey}); else null. */
  private final KeyRows keyRows;

  /**
   * Quarantines the rows of a chunk just read whose key an earlier row has, and removes them from
   * the chunk (on the reading thread, in input order: the first row of a key stands), merging their
   * refusals with the reader's in row order.
   */
  private void quarantineRepeatedKeys(Chunk chunk) {
    ColumnBatch in = chunk.in;
    boolean[] repeated = null;
    List<long[]> rows = new ArrayList<>();
    List<String[]> reasons = new ArrayList<>();
    String name = job.inputSchema.columns().get(job.uniqueKey).name();
    for (int r = 0; r < in.size(); r++) {
      String key = in.string(job.uniqueKey, r);
      long first = keyRows.firstRow(key, in.sourceRows()[r]);
      if (first >= 0) {
        if (repeated == null) {
          repeated = new boolean[in.size()];
        }
        repeated[r] = true;
        rows.add(new long[] {in.sourceRows()[r]});
        reasons.add(new String[] {name, BatchJob.repeatedKey(key, first, name), key});
      }
    }
    if (repeated == null) {
      return;
    }
    in.removeRows(repeated);
    chunk.merge(rows, reasons);
  }

  BatchResult run() throws IOException {
    long startNanos = System.nanoTime();
    Path checkpointPath = BatchJob.checkpointPath(job.output);
    Path outputPartial = BatchJob.partial(job.output);
    Path quarantinePartial = BatchJob.partial(job.quarantine);
    Path journal = RunCommit.journalPath(job.output);
    BatchResult recovered = finishInterruptedCommit(journal);
    if (recovered != null) {
      return recovered;
    }
    Checkpoint checkpoint = preflight(checkpointPath, outputPartial, quarantinePartial);

    final Chunk[] reading = new Chunk[1];
    // the reader names a refused row's id by the layout's first column (when it could read it):
    // the job's key when the key is that column
    BadRowHandler collect = error -> reading[0].reject(error.row(), error.column(), reasonOf(error),
        job.uniqueKey == 0 ? error.recordId() : null);
    ExecutorService pool = job.executor != null ? new BorrowedExecutor(job.executor)
        : Executors.newFixedThreadPool(Math.max(1, job.threads), r -> {
      Thread t = new Thread(r, "chainscore-batch");
      t.setDaemon(true);
      return t;
    });
    boolean finished = false;
    try (TableReader reader = TableReader.open(job.input, job.inputSchema, error -> {
      if (reading[0] != null) {
        collect.badRow(error);
      }
    })) {
      openSpools(reader, checkpoint, outputPartial, quarantinePartial);

      int maxInFlight = 2 * Math.max(1, job.threads);
      Deque<Chunk> free = new ArrayDeque<>();
      for (int i = 0; i <= maxInFlight; i++) {
        free.add(new Chunk(job.inputSchema, job.processor.outputSchema(), job.chunkRows));
      }
      ColumnBatch quarantineBatch = new ColumnBatch(BatchJob.QUARANTINE_SCHEMA, Math.max(1, job.chunkRows));
      Deque<Future<Chunk>> inFlight = new ArrayDeque<>();
      boolean inputDone = false;
      while (!inputDone || !inFlight.isEmpty()) {
        while (!inputDone && inFlight.size() < maxInFlight) {
          Chunk chunk = free.removeFirst();
          chunk.reset();
          reading[0] = chunk;
          boolean any = reader.next(chunk.in);
          reading[0] = null;
          if (keyRows != null) {
            quarantineRepeatedKeys(chunk);
          }
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
        if (job.outputObserver != null) {
          job.outputObserver.accept(done.out);
        }
        rowsWritten += done.out.size();
        rowsQuarantined += writeQuarantine(done, bad, quarantineBatch);
        chunksDone++;
        if (job.maxBadRows >= 0 && rowsQuarantined > job.maxBadRows) {
          // the last bad row by its input row and column, then what was wrong (the reason alone
          // named, say, the first row of a repeated supplier, not the row that repeated it)
          int lastBad = done.rejectedReasons.size() - 1;
          String[] lastReason = done.rejectedReasons.get(lastBad);
          String last = "row " + done.rejectedRows.get(lastBad)[0]
              + (lastReason[2] == null || lastReason[1].contains(lastReason[2]) ? "" : " (" + lastReason[2] + ")")
              + (lastReason[0] == null || lastReason[0].isEmpty() ? "" : ", column " + lastReason[0]) + ": "
              + lastReason[1];
          out.close();
          Files.deleteIfExists(outputPartial);
          Files.deleteIfExists(checkpointPath);
          Path where = job.quarantine;
          if (Files.exists(job.output)) {
            // an earlier result is there (an --overwrite run, stopped): its quarantine stays as
            // that result's manifest lists it, and this run's bad rows go beside it (a quarantine
            // without scores, an earlier stopped run's, is replaced as before)
            where = BatchJob.stoppedQuarantine(job.quarantine);
            Files.deleteIfExists(where);
            bad.complete(where);
            Files.deleteIfExists(quarantinePartial);
          } else {
            bad.finish();
          }
          finished = true;
          throw new TooManyBadRowsException(job.maxBadRows, rowsQuarantined, last + " (the bad rows are in " + where + ")");
        }
        if (fingerprintTask == null) {
          fingerprintTask = fingerprintAsync();
        }
        if (chunksDone % job.checkpointEvery == 0) {
          new Checkpoint(Checkpoint.VERSION, join(fingerprintTask), chunksDone, done.inputRowsEnd, out.sync(),
              out.headerBytes(), bad.sync(), bad.headerBytes(), rowsWritten, rowsQuarantined)
              .write(checkpointPath);
        }
        if (job.progress != null) {
          job.progress.accept(done.inputRowsEnd);
        }
        free.add(done);
      }
      BatchResult result = commit(reader.rowsRead(), startNanos, outputPartial, quarantinePartial, checkpointPath, journal);
      finished = true;
      return result;
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


  /** Opens the output and quarantine: fresh, or at the checkpoint with the input read up to it. */
  private void openSpools(TableReader reader, Checkpoint checkpoint, Path outputPartial, Path quarantinePartial)
      throws IOException {
    if (checkpoint != null) {
      Chunk skip = new Chunk(job.inputSchema, job.processor.outputSchema(), job.chunkRows);
      for (long k = 0; k < checkpoint.chunks(); k++) {
        if (!reader.next(skip.in)) {
          break;
        }
        if (keyRows != null) {
          // the keys of the rows done before the checkpoint, whose repeats were quarantined then
          for (int r = 0; r < skip.in.size(); r++) {
            keyRows.firstRow(skip.in.string(job.uniqueKey, r), skip.in.sourceRows()[r]);
          }
          skip.in.clear();
        }
      }
      if (reader.rowsRead() != checkpoint.inputRows()) {
        throw new ResumeException("the input of " + job.output + " changed since the interrupted run (row "
            + reader.rowsRead() + " instead of " + checkpoint.inputRows() + "); pass --overwrite to start again");
      }
      out = OutputSpool.resume(job.output, outputPartial, job.processor.outputSchema(),
          checkpoint.outputBytes(), checkpoint.outputHeaderBytes());
      bad = OutputSpool.resume(job.quarantine, quarantinePartial, BatchJob.QUARANTINE_SCHEMA,
          checkpoint.quarantineBytes(), checkpoint.quarantineHeaderBytes());
      rowsWritten = checkpoint.rowsWritten();
      rowsQuarantined = checkpoint.rowsQuarantined();
      chunksDone = checkpoint.chunks();
      resumedFrom = checkpoint.inputRows();
    } else {
      out = OutputSpool.create(job.output, outputPartial, job.processor.outputSchema());
      bad = OutputSpool.create(job.quarantine, quarantinePartial, BatchJob.QUARANTINE_SCHEMA);
    }
  }

  /** Stages every file of the finished run and commits them as one unit, the hook's last file last. */
  private BatchResult commit(long rowsRead, long startNanos, Path outputPartial, Path quarantinePartial,
      Path checkpointPath, Path journal) throws IOException {
    Path stagedOutput = out.complete(RunCommit.stagedPath(job.output));
    Path stagedQuarantine = bad.complete(RunCommit.stagedPath(job.quarantine));
    BatchResult staged = new BatchResult(stagedOutput, stagedQuarantine, rowsRead, rowsWritten, rowsQuarantined,
        resumedFrom, chunksDone, Math.max(1, job.threads), System.nanoTime() - startNanos, false);
    List<RunCommit.Move> moves = new ArrayList<>();
    moves.add(new RunCommit.Move(stagedOutput.toString(), job.output.toString()));
    moves.add(new RunCommit.Move(stagedQuarantine.toString(), job.quarantine.toString()));
    // Besides the partial files and the checkpoint, the temporary files an earlier attempt killed
    // mid-write may have left (checkpoint, journal, and the "." + name + ".tmp" of staged files).
    // ... and the bad rows a run stopped by its limit left beside the earlier result: this one's
    // result supersedes both, and its manifest does not list them
    List<Path> cleanup = new ArrayList<>(List.of(outputPartial, quarantinePartial, checkpointPath,
        checkpointPath.resolveSibling(checkpointPath.getFileName() + ".tmp"),
        journal.resolveSibling(journal.getFileName() + ".tmp"), BatchJob.stoppedQuarantine(job.quarantine)));
    List<Path> retired = List.of();
    if (job.commitHook != null) {
      BatchJob.Staging staging = new BatchJob.Staging();
      job.commitHook.stage(staged, staging);
      cleanup.addAll(staging.superseded);
      retired = staging.retired;
      for (Path target : staging.targets) {
        Path stagedTarget = RunCommit.stagedPath(target);
        moves.add(new RunCommit.Move(stagedTarget.toString(), target.toString()));
        cleanup.add(stagedTarget.resolveSibling("." + stagedTarget.getFileName() + ".tmp"));
      }
    }
    long elapsed = System.nanoTime() - startNanos;
    RunCommit.commit(journal, moves, cleanup,
        new long[] {rowsRead, rowsWritten, rowsQuarantined, resumedFrom, chunksDone, Math.max(1, job.threads), elapsed},
        jobIdentity(), retired);
    return new BatchResult(job.output, job.quarantine, rowsRead, rowsWritten, rowsQuarantined, resumedFrom,
        chunksDone, Math.max(1, job.threads), elapsed, false);
  }

  /**
   * Finishes the commit of a run that died while committing ({@code --resume}), or discards it
   * ({@code --overwrite}); null when there is none.
   */
  private BatchResult finishInterruptedCommit(Path journal) throws IOException {
    if (Files.exists(journal)) {
      if (job.resume) {
        long[] r = RunCommit.finish(journal, jobIdentity(), job.output);
        return new BatchResult(job.output, job.quarantine, r[0], r[1], r[2], r[3], r[4], (int) r[5], r[6], true);
      }
      if (!job.overwrite) {
        throw new ResumeException("an interrupted run of " + job.output + " stopped while committing its files ("
            + journal.getFileName() + "); pass --resume to finish it or --overwrite to start again");
      }
      RunCommit.discard(journal);
    }
    return null;
  }

  /**
   * The checks before a run writes anything: an existing output, a stopped run's quarantine, and a
   * checkpoint to resume (its fingerprint checked against the input's) or to refuse.
   *
   * @return the checkpoint to resume from, or null for a fresh run (whose leftovers are deleted)
   */
  private Checkpoint preflight(Path checkpointPath, Path outputPartial, Path quarantinePartial) throws IOException {
    // A checkpoint beside an existing output was left by a run that was allowed to replace it
    // (--overwrite): its resume may finish the replacement.
    if (!job.overwrite && Files.exists(job.output) && !(job.resume && Files.exists(checkpointPath))) {
      throw new FileAlreadyExistsException(job.output.toString(), null,
          "already exists; pass --overwrite to replace it");
    }
    // A quarantine without its output is what a stopped run (--max-bad-rows, a refused input) left
    // for the operator to read; the corrected rerun replaces it rather than being blocked by it.
    if (!job.overwrite && !Files.exists(job.output) && Files.exists(job.quarantine) && !Files.exists(checkpointPath)) {
      Files.delete(job.quarantine);
    }
    // The fingerprint is needed by a resume before it skips anything, by a fresh run only at its
    // first checkpoint: there it is computed after the first chunk, overlapping the next ones, and
    // a run that ends before any checkpoint never pays for it.
    Checkpoint checkpoint = null;
    if (Files.exists(checkpointPath)) {
      if (job.resume) {
        checkpoint = Checkpoint.read(checkpointPath);
        fingerprintTask = fingerprintAsync();
        String unresumable = !checkpoint.fingerprint().equals(join(fingerprintTask))
            ? "the interrupted run of " + job.output + " used another input, model or options"
            : !Files.exists(outputPartial) || !Files.exists(quarantinePartial)
                ? "the partial files of the interrupted run of " + job.output + " are missing" : null;
        if (unresumable != null) {
          if (!job.overwrite) {
            throw new ResumeException(unresumable + "; pass --overwrite to start again");
          }
          // --resume --overwrite: resume what can be resumed, else start again (until 2026-12-07
          // this was refused with the advice to pass --overwrite, which had been passed)
          checkpoint = null;
        }
      } else if (!job.overwrite) {
        throw new ResumeException("an interrupted run of " + job.output + " left a checkpoint ("
            + checkpointPath.getFileName() + "); pass --resume to continue it or --overwrite to start again");
      }
    }
    if (checkpoint == null) {
      Files.deleteIfExists(checkpointPath);
      Files.deleteIfExists(outputPartial);
      Files.deleteIfExists(quarantinePartial);
    }
    return checkpoint;
  }

  /** A chunk in flight: its input, output, quarantined rows and where the input stood after it. */
  static final class Chunk {
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

    void reject(long row, String column, String reason, String recordId) {
      rejectedRows.add(new long[] {row});
      rejectedReasons.add(new String[] {column, reason, recordId});
    }

    /** Adds more refusals ({@code {column, reason, recordId}} per row), keeping all of them in input-row order. */
    void merge(List<long[]> rows, List<String[]> reasons) {
      List<long[]> rowsAll = new ArrayList<>(rejectedRows);
      List<String[]> reasonsAll = new ArrayList<>(rejectedReasons);
      rowsAll.addAll(rows);
      reasonsAll.addAll(reasons);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < rowsAll.size(); i++) {
        order.add(i);
      }
      // a stable sort: two refusals of one row stay in the order they were made
      order.sort((a, b) -> Long.compare(rowsAll.get(a)[0], rowsAll.get(b)[0]));
      rejectedRows.clear();
      rejectedReasons.clear();
      for (int i : order) {
        rejectedRows.add(rowsAll.get(i));
        rejectedReasons.add(reasonsAll.get(i));
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
    job.processor.process(chunk.in, rows, (inputIndex, column, reason) -> {
      processorRows.add(new long[] {sourceRows[inputIndex]});
      processorReasons.add(new String[] {column, reason,
          job.uniqueKey >= 0 ? chunk.in.string(job.uniqueKey, inputIndex) : null});
    });
    if (!processorRows.isEmpty()) {
      // Merge with the reader's rejections so the quarantine is in input-row order.
      chunk.merge(processorRows, processorReasons);
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
        batch.strings(1)[slot] = chunk.rejectedReasons.get(i)[2];
        batch.strings(2)[slot] = chunk.rejectedReasons.get(i)[0];
        batch.strings(3)[slot] = chunk.rejectedReasons.get(i)[1];
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

  /**
   * What identifies the job apart from its input: the caller's description (model, options), the
   * output's columns, the chunk size and the unique key. Recorded in the commit journal, so that a
   * resume that only finishes an interrupted commit (its input long read) is refused when given
   * another input, model or options, as a resume from a checkpoint is.
   */
  String jobIdentity() {
    MessageDigest sha = sha256();
    addJobIdentity(sha);
    return HexFormat.of().formatHex(sha.digest());
  }

  private void addJobIdentity(MessageDigest sha) {
    sha.update(job.jobFingerprint.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(job.processor.outputSchema().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    sha.update(Long.toString(job.chunkRows).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(Integer.toString(job.uniqueKey).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    sha.update((byte) 0);
  }

  private String fingerprint() throws IOException {
    MessageDigest sha = sha256();
    addJobIdentity(sha);
    if (Files.isRegularFile(job.input)) {
      sha.update(InputDigest.sha256(job.input));
    } else {
      sha.update(io.chainscore.batch.io.FileIdentity.canonical(job.input).toString()
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
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

}

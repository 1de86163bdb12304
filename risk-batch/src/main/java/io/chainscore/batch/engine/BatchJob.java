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
import java.util.function.Consumer;
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
  /**
   * Columns of every quarantine table: the input row (1-based data row), the row's key when the job
   * has one ({@link Builder#uniqueKey}: {@code score}'s supplier_id or {@code --id-column}) and it
   * could be read (empty when the key itself is what could not be read), the column at fault (empty
   * when no one column is), and what was wrong and what was expected.
   */
  public static final TableSchema QUARANTINE_SCHEMA = new TableSchema("quarantine", List.of(
      TableSchema.required("row", ColumnType.LONG),
      TableSchema.nullable("record_id", ColumnType.STRING),
      TableSchema.nullable("column", ColumnType.STRING),
      TableSchema.required("reason", ColumnType.STRING)));

  /** {@link #quarantinedByColumn}'s key for the rows no one column is at fault for. */
  public static final String WHOLE_ROW = "(whole row)";

  /**
   * The rows of the quarantine table {@code quarantine} ({@link #QUARANTINE_SCHEMA}) by the column
   * at fault, in column-name order, {@link #WHOLE_ROW} for the rows no one column is at fault for
   * (a row of the wrong shape, too many missing values): what a run report gives beside the total,
   * so that a night's 12,000 refusals read as "12,000 in sector" (a new code upstream) at a glance.
   */
  public static java.util.SortedMap<String, Long> quarantinedByColumn(Path quarantine) throws IOException {
    java.util.SortedMap<String, Long> byColumn = new java.util.TreeMap<>();
    try (TableReader reader = TableReader.open(quarantine, QUARANTINE_SCHEMA, BadRowHandler.STRICT)) {
      ColumnBatch batch = new ColumnBatch(QUARANTINE_SCHEMA, 16_384);
      while (reader.next(batch)) {
        for (int r = 0; r < batch.size(); r++) {
          String column = batch.string(2, r);
          byColumn.merge(column == null || column.isEmpty() ? WHOLE_ROW : column, 1L, Long::sum);
        }
      }
    }
    return byColumn;
  }

  /**
   * Why a row whose key {@code column} repeats an earlier row's is refused: the one wording of
   * {@link Builder#uniqueKey}'s quarantine, which readers of the same table outside a job (the
   * what-if of a whole feature table) give too.
   */
  public static String repeatedKey(String key, long firstRow, String column) {
    return key + " is also in row " + firstRow + "; expected each " + column + " once";
  }

  final Path input;
  final TableSchema inputSchema;
  final ChunkProcessor processor;
  final Path output;
  final Path quarantine;
  final int chunkRows;
  final int threads;
  final Executor executor;
  final int checkpointEvery;
  final long maxBadRows;
  final boolean resume;
  final boolean overwrite;
  final String jobFingerprint;
  final LongConsumer progress;
  final CommitHook commitHook;
  final Consumer<ColumnBatch> outputObserver;
  /** The input column whose values must not repeat, or -1. */
  final int uniqueKey;

  private BatchJob(Builder b) {
    this.input = require(b.input, "input");
    this.inputSchema = require(b.inputSchema, "inputSchema");
    this.processor = require(b.processor, "processor");
    this.output = require(b.output, "output");
    this.quarantine = b.quarantine != null ? b.quarantine
        : sideFile(output, ".quarantine.csv");
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
    this.outputObserver = b.outputObserver;
    if (b.uniqueKey != null) {
      int column = inputSchema.indexOf(b.uniqueKey);
      if (column < 0 || inputSchema.columns().get(column).type() != ColumnType.STRING) {
        throw new IllegalArgumentException("batch job: the unique key " + b.uniqueKey + " is not a text column of the input");
      }
      this.uniqueKey = column;
    } else {
      this.uniqueKey = -1;
    }
    OutputSpool.kind(output);
    OutputSpool.kind(quarantine);
    // the engine's own guard, for callers other than the CLI (which checks every output it names
    // before any work): a run deletes a stopped run's quarantine and replaces its output, so
    // neither may be the input, nor one the other
    refuseSameFile(output, input, "the output", "the input");
    refuseSameFile(quarantine, input, "the quarantine", "the input");
    refuseSameFile(quarantine, output, "the quarantine", "the output");
  }

  /**
   * Refuses {@code a} and {@code b} naming one file, by the rule the commands apply ({@link
   * io.chainscore.batch.io.FileIdentity#sameFile}: links followed, also to files not yet written;
   * until 2026-12-07 a third copy of the rule here compared paths as written where a file did not
   * exist, so an output and a quarantine to be written through a link to one folder passed).
   */
  private static void refuseSameFile(Path a, Path b, String aName, String bName) {
    if (io.chainscore.batch.io.FileIdentity.sameFile(a, b)) {
      throw new IllegalArgumentException("batch job: " + aName + " " + a + " is " + bName + " " + b
          + "; a run never writes over its input, and each output needs a file of its own");
    }
  }

  private static <T> T require(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException("batch job: " + name + " is required");
    }
    return value;
  }

  /**
   * The one rule for the files a run keeps beside its output: the output's name without its
   * extension, then {@code suffix} ({@code s.csv} and {@code s.arrow} both give {@code
   * s.quarantine.csv}, which is why a run locks it too). Every command and the engine name their
   * side files through it, so two runs agree on what they share.
   */
  public static Path sideFile(Path output, String suffix) {
    String name = output.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return output.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether a run writing {@code output} was interrupted while committing: its journal is there,
   * and the next run with resume finishes that commit (the interrupted run's results) before
   * anything else.
   */
  public static boolean hasInterruptedCommit(Path output) {
    return java.nio.file.Files.exists(RunCommit.journalPath(output));
  }

  /**
   * Discards what a run writing {@code output} left when it was interrupted while committing (its
   * staged files and journal), as a run with overwrite does before it starts: for a caller that
   * writes files of its own under staged names ({@link Staging#stagedName}) before the run, which
   * the run's discard would otherwise delete. Nothing happens when there is no such commit.
   */
  public static void discardInterruptedCommit(Path output) throws IOException {
    Path journal = RunCommit.journalPath(output);
    if (java.nio.file.Files.exists(journal)) {
      RunCommit.discard(journal);
    }
  }

  /**
   * Where a run stopped by its bad-row limit leaves its quarantine when an earlier result's is at
   * {@code quarantine}: {@code NAME.stopped.EXT} beside it.
   */
  public static Path stoppedQuarantine(Path quarantine) {
    String name = quarantine.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return quarantine.resolveSibling(dot < 0 ? name + ".stopped" : name.substring(0, dot) + ".stopped" + name.substring(dot));
  }

  /** Where the checkpoint of a run writing {@code output} is kept. */
  public static Path checkpointPath(Path output) {
    return output.resolveSibling(output.getFileName() + ".checkpoint.json");
  }

  static Path partial(Path p) {
    return p.resolveSibling(p.getFileName() + ".partial");
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
    return new BatchRun(this).run();
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

  /**
   * Hands out staged names for the files a {@link CommitHook} writes.
   *
   * <p>A file the caller writes before the run, to be committed with it (the feature table a run
   * computes and then scores), can be written under {@link #stagedName} from the start; the hook's
   * {@link #stage} of it then commits the file already there.
   */
  public static final class Staging {
    final List<Path> targets = new ArrayList<>();

    Staging() {}

    final List<Path> superseded = new ArrayList<>();

    /** Registers {@code target} for the commit and returns the name to write it under now. */
    public Path stage(Path target) {
      targets.add(target);
      return stagedName(target);
    }

    /**
     * Registers {@code leftover} (a file an earlier stopped attempt left beside the result, such as
     * its refused rows) to be deleted once the commit's renames are done.
     */
    public void supersede(Path leftover) {
      superseded.add(leftover);
    }

    final List<Path> retired = new ArrayList<>();

    /**
     * Registers {@code oldManifest}, an earlier run's manifest of this output under another name
     * than this run's (a {@code --manifest-out}), to be deleted before the first rename, as the old
     * manifest of the same name is: it would otherwise vouch for files this commit replaces. The
     * manifests of other runs that list a file this commit replaces or deletes (a shared {@code
     * BASE.quarantine.csv}) are retired by the commit itself ({@link RunCommit#manifestsMadeFalse}),
     * for every job, with or without a hook.
     */
    public void retire(Path oldManifest) {
      retired.add(oldManifest);
    }

    /**
     * The name {@code target} has until its run commits it: hidden, beside it, with its extension
     * (so it reads as the table it is). A run killed before its commit leaves it there, and the
     * next run writing {@code target} replaces it.
     */
    public static Path stagedName(Path target) {
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
    private Consumer<ColumnBatch> outputObserver;
    private String uniqueKey;

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

    /**
     * Called on the calling thread with each chunk's output rows as they are written, in output
     * order, so that a caller can summarise a run without reading its output back. The batch is
     * reused once the call returns: copy what you keep. A resumed run writes, and so shows, only
     * the rows after its checkpoint ({@link BatchResult#resumedFromRow()} above 0); a run that only
     * completes an interrupted commit shows none.
     */
    public Builder outputObserver(Consumer<ColumnBatch> value) {
      outputObserver = value;
      return this;
    }

    /**
     * Makes {@code column} (a text column of the input) a key: a row whose value an earlier row of
     * the input already has is quarantined ("S0000003 is also in row 4; expected each supplier_id
     * once"), the first row standing, in input order whatever the thread count and across a resume.
     * Keeps about 24 bytes per distinct key on the heap ({@code KeyRows}). None by default.
     */
    public Builder uniqueKey(String column) {
      uniqueKey = Objects.requireNonNull(column, "column");
      return this;
    }

    public BatchJob build() {
      return new BatchJob(this);
    }
  }
}

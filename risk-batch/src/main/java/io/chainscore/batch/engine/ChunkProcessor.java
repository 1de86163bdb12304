package io.chainscore.batch.engine;

import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.tables.TableSchema;

/**
 * The work of a batch job on one chunk of input rows: for every good input row, one output row
 * in the same order; a row it cannot process goes to {@code quarantine} instead.
 *
 * <p>Thread safety: {@link #process} is called concurrently for different chunks and must not
 * share mutable state between calls. Keep scratch per call, or in a pool the processor owns
 * ({@link io.chainscore.scoring.spi.ScratchPool}), not in a {@code ThreadLocal}: the worker
 * threads may be the caller's ({@link BatchJob.Builder#executor}) and outlive the job.
 */
public interface ChunkProcessor {
  /** Columns of the output table. */
  TableSchema outputSchema();

  /**
   * Processes {@code input} rows {@code [0, input.size())} into {@code output} (cleared by the
   * caller) with {@link OutputRows#append}.
   */
  void process(ColumnBatch input, OutputRows output, Quarantine quarantine);

  /** Collects output rows in input order. */
  interface OutputRows {
    /** The batch to fill; row {@code batch.size()} is the next free slot. */
    ColumnBatch batch();

    /** Completes the row written at slot {@code batch().size()}, taken from the input row at {@code inputIndex}. */
    void append(int inputIndex);
  }

  /** Receives rows that cannot be processed. */
  interface Quarantine {
    /**
     * Quarantines input row {@code inputIndex} of the chunk.
     *
     * @param column the column at fault, or {@code null}
     * @param reason what was wrong and what was expected
     */
    void reject(int inputIndex, String column, String reason);
  }
}

package io.chainscore.batch.engine;

import java.nio.file.Path;

/**
 * What a batch job did.
 *
 * @param output the finished output table
 * @param quarantine the quarantine table (row, column, reason), possibly with no rows
 * @param rowsRead input data rows seen, good and bad
 * @param rowsWritten output rows written
 * @param rowsQuarantined input rows sent to quarantine
 * @param resumedFromRow input rows already done by an interrupted run this one resumed, 0 if none
 * @param chunks chunks processed in all, including those done before a resume
 * @param threads worker threads used
 * @param elapsedNanos wall time of this run
 * @param recovered whether this call only completed the commit of a run that had died while
 *     committing its files (the counts are that run's)
 */
public record BatchResult(
    Path output,
    Path quarantine,
    long rowsRead,
    long rowsWritten,
    long rowsQuarantined,
    long resumedFromRow,
    long chunks,
    int threads,
    long elapsedNanos,
    boolean recovered) {}

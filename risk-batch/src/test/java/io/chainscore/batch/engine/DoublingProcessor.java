package io.chainscore.batch.engine;

import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.TableSchema;
import java.util.List;

/** Test processor: y = 2x per row, rejecting negative x; optionally slow or failing. */
final class DoublingProcessor implements ChunkProcessor {
  static final TableSchema INPUT = new TableSchema("input", List.of(
      TableSchema.required("id", ColumnType.STRING),
      TableSchema.required("x", ColumnType.DOUBLE)));
  static final TableSchema OUTPUT = new TableSchema("output", List.of(
      TableSchema.required("id", ColumnType.STRING),
      TableSchema.required("y", ColumnType.DOUBLE),
      TableSchema.required("positive", ColumnType.BOOLEAN)));

  private final long sleepMillisPerChunk;
  private final int failOnChunkContainingRow;

  DoublingProcessor(long sleepMillisPerChunk, int failOnChunkContainingRow) {
    this.sleepMillisPerChunk = sleepMillisPerChunk;
    this.failOnChunkContainingRow = failOnChunkContainingRow;
  }

  @Override
  public TableSchema outputSchema() {
    return OUTPUT;
  }

  @Override
  public void process(ColumnBatch in, OutputRows out, Quarantine quarantine) {
    if (sleepMillisPerChunk > 0) {
      try {
        Thread.sleep(sleepMillisPerChunk);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ColumnBatch o = out.batch();
    for (int i = 0; i < in.size(); i++) {
      if (in.sourceRows()[i] == failOnChunkContainingRow) {
        throw new IllegalStateException("simulated crash at row " + failOnChunkContainingRow);
      }
      double x = in.doubles(1)[i];
      if (x < 0) {
        quarantine.reject(i, "x", "must not be negative, got " + x);
        continue;
      }
      int slot = o.size();
      o.strings(0)[slot] = in.strings(0)[i];
      o.doubles(1)[slot] = 2 * x;
      o.booleans(2)[slot] = x > 0;
      out.append(i);
    }
  }
}

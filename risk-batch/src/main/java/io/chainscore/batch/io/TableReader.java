package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a table file in batches, mapping the file's columns to a {@link TableSchema} by name
 * (extra columns are ignored, order is free); rows that break the schema go to a {@link
 * BadRowHandler} with the file, row, column and reason.
 *
 * <p>Thread safety: not thread-safe.
 */
public interface TableReader extends AutoCloseable {
  /**
   * Clears {@code batch} and fills it with up to its capacity of good rows.
   *
   * @return false when the file had no more rows (the batch is then empty)
   * @throws InputFormatException for a fault in the file as a whole, or a bad row the handler
   *     rethrew
   */
  boolean next(ColumnBatch batch) throws IOException;

  /** Data rows seen so far, good and bad. */
  long rowsRead();

  @Override
  void close() throws IOException;

  /**
   * Opens {@code file} by its extension ({@code .csv}, {@code .arrow} / {@code .feather} for the
   * Arrow IPC file format, {@code .arrows} for the stream format, {@code .parquet}; an Arrow
   * file is recognised by its magic bytes whatever its name).
   *
   * @throws InputFormatException when a required column is missing or has the wrong type
   */
  static TableReader open(Path file, TableSchema schema, BadRowHandler handler) throws IOException {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (!Files.exists(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString());
    }
    if (PartFiles.isTableDirectory(file)) {
      return PartFiles.open(file, schema, handler, null, 0);
    }
    if (name.endsWith(".csv")) {
      return new CsvTableReader(file, schema, handler);
    }
    if (name.endsWith(".arrow") || name.endsWith(".feather") || name.endsWith(".arrows") || name.endsWith(".ipc")) {
      return new ArrowTableReader(file, schema, handler);
    }
    if (name.endsWith(".parquet")) {
      return ParquetFiles.openReader(file, schema, handler);
    }
    throw new InputFormatException(file.toString(), -1, null,
        "unknown file type; expected a .csv, .arrow (IPC file), .arrows (IPC stream) or .parquet file");
  }

  /**
   * The text of column {@code column} at the file's 1-based data rows {@code rows} (ascending,
   * distinct), read from {@code reader} into {@code batch} up to the last row wanted: by row, the
   * value (null for an empty cell); absent for a row the reader refuses. How a refusal whose id was
   * left unread is named afterwards, on one machine and in Spark's tasks.
   */
  static java.util.Map<Long, String> textAtRows(TableReader reader, ColumnBatch batch, int column, long[] rows)
      throws IOException {
    java.util.Map<Long, String> values = new java.util.HashMap<>(rows.length * 2);
    int k = 0;
    while (k < rows.length && reader.next(batch)) {
      long[] source = batch.sourceRows();
      for (int i = 0; i < batch.size() && k < rows.length; i++) {
        while (k < rows.length && rows[k] < source[i]) {
          k++;
        }
        if (k < rows.length && rows[k] == source[i]) {
          values.put(rows[k++], batch.string(column, i));
        }
      }
    }
    return values;
  }

  /**
   * Whether {@code path} is a table stored as a directory of Parquet part files ({@code
   * NAME.parquet/}, as Spark, Hive and pyarrow write a table), which {@link #open} reads as one table.
   */
  static boolean isTableDirectory(Path path) {
    return PartFiles.isTableDirectory(path);
  }

  /**
   * The files a table is read from: {@code file} itself, or for a table directory ({@code
   * NAME.parquet/} holding Parquet part files, as Spark, Hive and pyarrow write a table, Hive-style
   * partitions included) its parts in the order they are read ({@link PartFiles}).
   *
   * @throws InputFormatException for a table directory without parts or with other files
   */
  static java.util.List<Path> files(Path file) throws IOException {
    return PartFiles.isTableDirectory(file) ? PartFiles.parts(file) : java.util.List.of(file);
  }

  /**
   * How many rows {@code file} holds as far as its metadata says without reading the rows, or -1
   * when it does not say (CSV, an Arrow stream, a file that cannot be read): a Parquet footer's row
   * count; for an Arrow IPC file, its first record batch's rows times the number of batches (the
   * writers here cut equal batches). A hint for sizing, never a validation: it does not throw.
   */
  static long rowCountHint(Path file) {
    if (PartFiles.isTableDirectory(file)) {
      long sum = 0;
      try {
        for (Path part : PartFiles.parts(file)) {
          long rows = rowCountHint(part);
          if (rows < 0) {
            return -1;
          }
          sum += rows;
        }
      } catch (IOException | RuntimeException e) {
        return -1;   // the reader reports it
      }
      return sum;
    }
    if (!Files.isRegularFile(file)) {
      return -1; // a pipe is read once, by the reader: nothing may read ahead of it
    }
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".parquet")) {
      return ParquetLayout.rowCountHint(file);
    }
    if (name.endsWith(".csv") || name.endsWith(".arrows")) {
      return -1;
    }
    return ArrowTableReader.rowCountHint(file);
  }

  /**
   * As {@link #open}, but the file is read and decoded on a background thread up to two batches
   * ahead of the caller (see {@link PrefetchingReader}): the same batches, bad rows and failures,
   * in the same order, on the caller's thread.
   */
  static TableReader openReadingAhead(Path file, TableSchema schema, BadRowHandler handler) throws IOException {
    return PrefetchingReader.open(file, schema, handler, null, 1);
  }

  /**
   * As {@link #openReadingAhead(Path, TableSchema, BadRowHandler, BatchStage)}, decoding a Parquet
   * file on up to {@code decoders} threads, each taking its turn of the file's segments of whole
   * row groups (other files: one thread). The caller sees the same batches, bad rows and failures
   * in the same order whatever the number of decoders. {@code stage} may be null.
   */
  static TableReader openReadingAhead(Path file, TableSchema schema, BadRowHandler handler, BatchStage stage,
      int decoders) throws IOException {
    return PrefetchingReader.open(file, schema, handler, stage, decoders);
  }

  /**
   * As {@link #openReadingAhead(Path, TableSchema, BadRowHandler)}, running {@code stage} on every
   * filled batch on the background thread, in file order, before the batch is handed over: work
   * that depends only on the rows and on the stage's own state (mapping ids, a duplicate check)
   * then overlaps with what the caller does with the previous batch. A failure of the stage is
   * thrown by {@link #next} where it happened, like a failure of the file.
   */
  static TableReader openReadingAhead(Path file, TableSchema schema, BadRowHandler handler, BatchStage stage)
      throws IOException {
    return PrefetchingReader.open(file, schema, handler, stage, 1);
  }

  /**
   * Work done on each filled batch by the thread that reads it (see {@link
   * #openReadingAhead(Path, TableSchema, BadRowHandler, BatchStage)}); its results go in the
   * batch's {@link ColumnBatch#attachment()}. Called once per batch, in file order, from one
   * thread at a time.
   */
  @FunctionalInterface
  interface BatchStage {
    void prepare(ColumnBatch batch) throws IOException;

    /**
     * Work on one batch alone, done on the thread that decoded it before the batch goes to {@link
     * #prepare} (reading ahead with several decoders, on several batches at once, in any order):
     * what does not depend on the batches before it, kept in the batch's attachment for {@code
     * prepare}, so that the decoders share it instead of the one stage thread doing it all. Must
     * touch nothing but the batch and read-only state. None by default.
     */
    default void precompute(ColumnBatch batch) {
    }
  }
}

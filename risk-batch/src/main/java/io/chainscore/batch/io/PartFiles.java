package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A table stored as a directory of Parquet part files, as Spark, Hive, pyarrow datasets and DuckDB
 * write a table ({@code invoices.parquet/part-00000-....parquet}, ...), read as if its parts were
 * one file: the parts in the byte order of their names (the order Spark's reader and {@code
 * chainscore}'s Spark job take them in), each read as a single file is (with as many decoders and
 * the same stage), its rows numbered on from the previous part's, so that the rows refused, their
 * numbers and the features are those of the parts concatenated into one file. Names starting with
 * {@code _} or {@code .} ({@code _SUCCESS}, {@code .crc} files) are the writers' bookkeeping and are
 * skipped, as Spark skips them.
 *
 * <p>Thread safety: not thread-safe, as any table reader.
 */
final class PartFiles implements TableReader {
  private final List<Path> parts;
  private final TableSchema schema;
  private final BadRowHandler handler;
  private final BatchStage stage;
  private final int decoders;
  private int next;
  private TableReader current;
  /** The rows of the parts read before the current one. */
  private long rowsBefore;

  private PartFiles(List<Path> parts, TableSchema schema, BadRowHandler handler, BatchStage stage, int decoders) {
    this.parts = parts;
    this.schema = schema;
    this.handler = handler;
    this.stage = stage;
    this.decoders = decoders;
  }

  /**
   * The part files of the table directory {@code dir}, in the order they are read.
   *
   * @throws InputFormatException when it holds none, or holds a file that is not a Parquet part
   */
  static List<Path> parts(Path dir) throws IOException {
    List<Path> parts;
    try (Stream<Path> listed = Files.list(dir)) {
      parts = listed.filter(p -> !p.getFileName().toString().startsWith("_") && !p.getFileName().toString().startsWith("."))
          .sorted((a, b) -> java.util.Arrays.compare(a.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
              b.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .toList();
    }
    for (Path p : parts) {
      if (Files.isDirectory(p) || !p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet")) {
        throw new InputFormatException(p.toString(), -1, null, "is not a Parquet part file; a table directory ("
            + dir.getFileName() + ") holds the table's .parquet parts and names starting with _ or . only"
            + (Files.isDirectory(p) ? " (partitioned subdirectories are not read)" : ""));
      }
    }
    if (parts.isEmpty()) {
      throw new InputFormatException(dir.toString(), -1, null, "is a table directory without .parquet part files");
    }
    return parts;
  }

  /**
   * Opens the table directory {@code dir}; {@code decoders} above 0 reads each part ahead of the
   * caller as {@link TableReader#openReadingAhead(Path, TableSchema, BadRowHandler, BatchStage, int)}
   * does (with {@code stage}, which may be null), 0 on the caller's thread.
   */
  static TableReader open(Path dir, TableSchema schema, BadRowHandler handler, BatchStage stage, int decoders)
      throws IOException {
    List<Path> parts = parts(dir);
    PartFiles reader = new PartFiles(parts, schema, handler, stage, decoders);
    reader.openNext();   // the first part's columns are checked at open, as a single file's are
    return reader;
  }

  private void openNext() throws IOException {
    Path part = parts.get(next++);
    current = decoders > 0 ? PrefetchingReader.open(part, schema, handler, stage, decoders, rowsBefore)
        : TableReader.open(part, schema, handler, rowsBefore);
  }

  @Override
  public boolean next(ColumnBatch batch) throws IOException {
    while (true) {
      if (current.next(batch)) {
        return true;
      }
      if (next == parts.size()) {
        return false;
      }
      rowsBefore = current.rowsRead();
      TableReader done = current;
      current = null;
      done.close();
      openNext();
    }
  }

  @Override
  public long rowsRead() {
    return current != null ? current.rowsRead() : rowsBefore;
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
    }
  }
}

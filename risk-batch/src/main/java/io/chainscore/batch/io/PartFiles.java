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
 * numbers and the features are those of the parts concatenated into one file (the transaction
 * quarantine of {@code chainscore features} then names a refused row by its part file and its row
 * in that part: {@code PortfolioFeatures.Source}). Names starting with
 * {@code _} or {@code .} ({@code _SUCCESS}, {@code .crc} files) are the writers' bookkeeping and are
 * skipped, as Spark skips them; Hive-style partitions ({@code year=2024/}) are read in path order.
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

  /** Whether {@code path} is a table directory: a directory named as a Parquet file ({@code NAME.parquet/}). */
  static boolean isTableDirectory(Path path) {
    return path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet")
        && Files.isDirectory(path);
  }

  /**
   * The part files of the table directory {@code dir}, in the order they are read: by their paths
   * under {@code dir} as UTF-8 bytes, so that a Hive-style partitioned table ({@code
   * invoices.parquet/year=2024/month=05/part-....parquet}, as Spark's {@code partitionBy} writes it)
   * is read partition by partition, as Spark lists it. The partition values in the directory names
   * are not columns here: a column the tables need must be in the files.
   *
   * @throws InputFormatException when it holds none, or holds a file that is not a Parquet part, or
   *     a subdirectory that is not a partition ({@code name=value})
   */
  static List<Path> parts(Path dir) throws IOException {
    List<Path> parts = new java.util.ArrayList<>();
    collect(dir, dir, parts);
    parts.sort((a, b) -> java.util.Arrays.compare(utf8(dir.relativize(a)), utf8(dir.relativize(b))));
    if (parts.isEmpty()) {
      throw new InputFormatException(dir.toString(), -1, null, "is a table directory without .parquet part files");
    }
    return parts;
  }

  private static byte[] utf8(Path relative) {
    return relative.toString().replace(java.io.File.separatorChar, '/').getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Adds the part files under {@code at} (the table directory {@code table} or a partition of it). */
  private static void collect(Path table, Path at, List<Path> parts) throws IOException {
    List<Path> entries;
    try (Stream<Path> listed = Files.list(at)) {
      entries = listed.filter(p -> !p.getFileName().toString().startsWith("_") && !p.getFileName().toString().startsWith("."))
          .toList();
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (Files.isDirectory(p)) {
        if (name.indexOf('=') <= 0) {
          throw new InputFormatException(p.toString(), -1, null, "is not a partition (name=value) of the table"
              + " directory " + table.getFileName() + ", which holds the table's .parquet parts, partitions and names"
              + " starting with _ or . only");
        }
        collect(table, p, parts);
      } else if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".parquet")) {
        parts.add(p);
      } else {
        throw new InputFormatException(p.toString(), -1, null, "is not a Parquet part file; a table directory ("
            + table.getFileName() + ") holds the table's .parquet parts, partitions and names starting with _ or . only");
      }
    }
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
        : numberedFrom(part, schema, handler, rowsBefore);
  }

  /**
   * Opens the single Parquet or Arrow file {@code file} as {@link TableReader#open} does, numbering
   * its rows on from {@code rowsBefore} (the rows of the parts before it).
   */
  static TableReader numberedFrom(Path file, TableSchema schema, BadRowHandler handler, long rowsBefore)
      throws IOException {
    TableReader reader = TableReader.open(file, schema, handler);
    if (rowsBefore != 0) {
      if (!(reader instanceof ArrowTableReader arrow)) {
        reader.close();
        throw new IllegalStateException("rows numbered on are for Parquet and Arrow files: " + file);
      }
      arrow.startAtRow(rowsBefore);
    }
    return reader;
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

package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

/**
 * Every column of a binary table file with the types the file gives them, batch by batch, for the
 * tools that take any table rather than one of the tool's layouts (model development's samples,
 * labels and rejects): an Arrow IPC file ({@code .arrow}, {@code .feather}, {@code .ipc}, or any
 * name with the format's magic bytes), an Arrow IPC stream ({@code .arrows}) or a Parquet file
 * ({@code .parquet}, or any name starting with the format's magic bytes), read by Arrow's dataset
 * scanner (every encoding and codec; strings as UTF-8, dates as days, booleans as booleans). Tables
 * in one of the tool's layouts go through {@link TableReader}, which checks the layout's rules
 * and keeps memory bounded whatever the file's size; this reader holds a Parquet file's bytes
 * while it reads (Arrow's scanner pre-buffers them), which suits a modelling sample.
 *
 * <p>Thread safety: stateless; each call reads on the calling thread.
 */
public final class TableBatches {
  private TableBatches() {}

  /** The binary formats this class reads. */
  public enum Format {
    ARROW_FILE, ARROW_STREAM, PARQUET
  }

  /** What a read does with the file's batches. */
  public interface Visitor {
    /** Called once, before any batch, with the root holding the file's schema (and no rows). */
    void schema(VectorSchemaRoot root) throws IOException;

    /** Called for each record batch in file order, the root holding its rows until the next call. */
    void batch(VectorSchemaRoot root) throws IOException;
  }

  /**
   * Whether {@code vector} holds dates as the table readers read them: Date(DAY), Date(MILLISECOND),
   * or timestamps without a time zone (the wall-clock times pandas writes), each read as the
   * calendar date it falls on ({@link #epochDay}). A timestamp with a zone is not a date: the same
   * instant falls on different dates in different zones.
   */
  public static boolean holdsDates(FieldVector vector) {
    return vector instanceof DateDayVector || vector instanceof DateMilliVector
        || ArrowTableReader.localTimestamp(vector);
  }

  /** The epoch day of row {@code row} (not null) of a vector that {@link #holdsDates}: the one rule of the table readers. */
  public static int epochDay(FieldVector vector, int row) {
    return ArrowTableReader.epochDay(vector, row);
  }

  /** Why a timestamp with a time zone is not read as a date, for messages (as the table readers say it). */
  public static final String ZONED_TIMESTAMP_HINT = ArrowTableReader.ZONED_TIMESTAMP_HINT;

  /**
   * The binary format of {@code file} by its name ({@code .parquet}, {@code .arrows}, {@code
   * .arrow}, {@code .feather}, {@code .ipc}), else by its first bytes (Parquet's and Arrow's
   * magic), or null for a file that is neither (a CSV, to its caller).
   */
  public static Format formatOf(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".parquet")) {
      return Format.PARQUET;
    }
    if (name.endsWith(".arrows")) {
      return Format.ARROW_STREAM;
    }
    if (name.endsWith(".arrow") || name.endsWith(".feather") || name.endsWith(".ipc")) {
      return Format.ARROW_FILE;
    }
    if (!Files.isRegularFile(file)) {
      return null;   // a pipe is read once, by its reader; a missing file is its reader's to report
    }
    return ParquetFiles.hasMagic(file) ? Format.PARQUET : ArrowTableReader.hasFileMagic(file) ? Format.ARROW_FILE : null;
  }

  /**
   * Reads every batch of {@code file}, in {@code format}, into {@code visitor}.
   *
   * @throws InputFormatException when the file cannot be read in that format, naming the file
   */
  public static void read(Path file, Format format, BufferAllocator allocator, Visitor visitor) throws IOException {
    String source = file.toString();
    if (format == Format.PARQUET) {
      readParquet(file, allocator, visitor);
      return;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ArrowReader reader = format == Format.ARROW_FILE ? new ArrowFileReader(channel, allocator)
            : new ArrowStreamReader(channel, allocator)) {
      VectorSchemaRoot root;
      try {
        root = reader.getVectorSchemaRoot();
      } catch (IOException | RuntimeException e) {
        throw new InputFormatException(source, -1, null, "cannot read as an Arrow IPC "
            + (format == Format.ARROW_FILE ? "file" : "stream") + ": " + e.getMessage());
      }
      visitor.schema(root);
      while (load(reader, source)) {
        visitor.batch(root);
      }
    }
  }

  private static boolean load(ArrowReader reader, String source) {
    try {
      return reader.loadNextBatch();
    } catch (IOException | RuntimeException e) {
      throw new InputFormatException(source, -1, null, "is not a readable table file: " + e.getMessage());
    }
  }

  private static void readParquet(Path file, BufferAllocator allocator, Visitor visitor) throws IOException {
    String source = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(source);
    }
    ParquetFiles.requireMagic(file);
    ParquetFiles.DatasetScan scan = ParquetFiles.scanWithArrowDataset(file, allocator);
    try {
      VectorSchemaRoot root;
      try {
        root = scan.reader().getVectorSchemaRoot();
      } catch (IOException | RuntimeException e) {
        throw new InputFormatException(source, -1, null, "is not a readable Parquet file: " + e.getMessage());
      }
      visitor.schema(root);
      while (load(scan.reader(), source)) {
        visitor.batch(root);
      }
    } finally {
      ArrowTableReader.closeQuietly(scan.reader());
      ArrowTableReader.closeQuietly(scan.resources());
    }
  }
}

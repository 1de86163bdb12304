package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Every column of a binary table file with the types the file gives them, batch by batch, for the
 * tools that take any table rather than one of the tool's layouts (model development's samples,
 * labels and rejects): an Arrow IPC file ({@code .arrow}, {@code .feather}, {@code .ipc}, or any
 * name with the format's magic bytes), an Arrow IPC stream ({@code .arrows}) or a Parquet file
 * ({@code .parquet}, or any name starting with the format's magic bytes), read by Arrow's dataset
 * scanner (every encoding and codec; strings as UTF-8, dates as days, booleans as booleans). Tables
 * in one of the tool's layouts go through {@link TableReader}, which checks the layout's rules
 * and keeps memory bounded whatever the file's size; this reader holds a Parquet file's bytes
 * while it reads (Arrow's scanner pre-buffers them), which suits a modelling sample. Which columns
 * hold dates, and their dates, comes with the schema ({@link Dates}): a column of instants is read
 * in the zone the caller gives, and refused without one, as the table readers do.
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
    /**
     * Called once, before any batch, with the root holding the file's schema (and no rows) and which
     * of its columns hold dates.
     */
    void schema(VectorSchemaRoot root, Dates dates) throws IOException;

    /** Called for each record batch in file order, the root holding its rows until the next call. */
    void batch(VectorSchemaRoot root) throws IOException;
  }

  /**
   * Which columns of a file hold dates, and the calendar date of each of their values, as the table
   * readers read them (their one rule, {@link ArrowTableReader#epochDay} and {@link InstantDates}):
   * Date(DAY), Date(MILLISECOND) and timestamps without a time zone (the wall-clock times pandas
   * writes) the date they fall on; instants, the date on which they fall in the zone of the read.
   * Instants are Arrow timestamps with a time zone (and so Parquet timestamps adjusted to UTC, as
   * Arrow's reader gives them) and a Parquet file's INT96 columns (Spark's and Hive's timestamps,
   * which Arrow's reader gives as timestamps without a zone, though they are instants).
   *
   * <p>Thread safety: not thread-safe (the instants' conversions keep state); one per read.
   */
  public static final class Dates {
    private final boolean[] dates;
    private final InstantDates[] instants;

    private Dates(boolean[] dates, InstantDates[] instants) {
      this.dates = dates;
      this.instants = instants;
    }

    /** Whether column {@code column} (its index in the schema) holds dates. */
    public boolean holds(int column) {
      return dates[column];
    }

    /** The epoch day of row {@code row} (not null) of {@code vector}, column {@code column}, which {@link #holds} dates. */
    public int epochDay(int column, FieldVector vector, int row) {
      InstantDates zoned = instants[column];
      return zoned == null ? ArrowTableReader.epochDay(vector, row) : zoned.dayOf(((TimeStampVector) vector).get(row));
    }
  }

  /**
   * The dates of {@code root}'s columns read in {@code zone}; {@code int96} names the columns of a
   * Parquet file that hold INT96 timestamps.
   *
   * @throws InputFormatException naming the column when one holds instants and {@code zone} is
   *     null: the same instant falls on different dates in different zones
   */
  private static Dates dates(String source, Format format, VectorSchemaRoot root, Set<String> int96, ZoneId zone) {
    List<FieldVector> vectors = root.getFieldVectors();
    boolean[] dates = new boolean[vectors.size()];
    InstantDates[] instants = new InstantDates[vectors.size()];
    for (int k = 0; k < vectors.size(); k++) {
      FieldVector v = vectors.get(k);
      String name = v.getField().getName();
      boolean instant = v instanceof TimeStampVector && v.getField().getType() instanceof ArrowType.Timestamp t
          && (t.getTimezone() != null || int96.contains(name));
      if (instant && zone == null) {
        throw new InputFormatException(source, 0, name, (int96.contains(name) ? "holds Parquet INT96 timestamps"
            : (format == Format.PARQUET ? "is read from Parquet as" : "has") + " Arrow type " + v.getField().getType())
            + ArrowTableReader.ZONED_TIMESTAMP_HINT);
      }
      instants[k] = instant ? new InstantDates(zone,
          ArrowTableReader.unitsPerDay((ArrowType.Timestamp) v.getField().getType())) : null;
      dates[k] = instant || v instanceof DateDayVector || v instanceof DateMilliVector
          || ArrowTableReader.localTimestamp(v);
    }
    return new Dates(dates, instants);
  }

  /**
   * The top-level columns of the Parquet file {@code file} that hold INT96 timestamps, by its footer.
   *
   * @throws InputFormatException when the footer cannot be decoded, naming the file
   */
  private static Set<String> int96Columns(Path file) throws IOException {
    Set<String> names = new HashSet<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      for (ParquetLayout.Leaf leaf : ParquetLayout.read(file.toString(), channel).leaves) {
        if (leaf.flat() && leaf.physicalType() == ParquetLayout.INT96) {
          names.add(leaf.name());
        }
      }
    }
    return names;
  }

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
   * Reads every batch of {@code file}, in {@code format}, into {@code visitor}, the dates of its
   * instants ({@link Dates}) in {@code zone}.
   *
   * @param zone the zone in which instants are read as dates, or null to refuse a column of them
   * @throws InputFormatException when the file cannot be read in that format, naming the file; when
   *     a column holds instants and {@code zone} is null, naming the column and the option that
   *     gives a zone
   */
  public static void read(Path file, Format format, ZoneId zone, BufferAllocator allocator, Visitor visitor)
      throws IOException {
    String source = file.toString();
    if (format == Format.PARQUET) {
      readParquet(file, zone, allocator, visitor);
      return;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ArrowReader reader = ArrowIpc.open(channel, format == Format.ARROW_FILE, allocator)) {
      VectorSchemaRoot root;
      try {
        root = reader.getVectorSchemaRoot();
      } catch (IOException | RuntimeException e) {
        throw new InputFormatException(source, -1, null, "cannot read as an Arrow IPC "
            + (format == Format.ARROW_FILE ? "file" : "stream") + ": " + e.getMessage());
      }
      visitor.schema(root, dates(source, format, root, Set.of(), zone));
      long rows = 0;
      while (load(reader, source)) {
        rows += root.getRowCount();
        visitor.batch(root);
      }
      ArrowIpc.requireEndMarker(reader, source, rows);
    }
  }

  private static boolean load(ArrowReader reader, String source) {
    try {
      return reader.loadNextBatch();
    } catch (IOException | RuntimeException e) {
      throw new InputFormatException(source, -1, null, "is not a readable table file: " + e.getMessage());
    }
  }

  private static void readParquet(Path file, ZoneId zone, BufferAllocator allocator, Visitor visitor)
      throws IOException {
    String source = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(source);
    }
    ParquetFiles.requireMagic(file);
    Set<String> int96 = int96Columns(file);
    ParquetFiles.DatasetScan scan = ParquetFiles.scanWithArrowDataset(file, allocator);
    try {
      VectorSchemaRoot root;
      try {
        root = scan.reader().getVectorSchemaRoot();
      } catch (IOException | RuntimeException e) {
        throw new InputFormatException(source, -1, null, "is not a readable Parquet file: " + e.getMessage());
      }
      visitor.schema(root, dates(source, Format.PARQUET, root, int96, zone));
      while (load(scan.reader(), source)) {
        visitor.batch(root);
      }
    } finally {
      ArrowTableReader.closeQuietly(scan.reader());
      ArrowTableReader.closeQuietly(scan.resources());
    }
  }
}

package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Parquet file's footer ({@code FileMetaData}, parquet-format's {@code parquet.thrift})
 * says about the file, as far as {@link ParquetBatchReader} needs it: the leaf columns with their
 * physical and logical types and nesting, and each row group's column chunks (codec, page offsets,
 * sizes, encodings).
 *
 * <p>Thread safety: immutable after {@link #read}.
 */
final class ParquetLayout {
  // parquet.thrift's enums, by their numbers
  static final int BOOLEAN = 0;
  static final int INT32 = 1;
  static final int INT64 = 2;
  static final int INT96 = 3;
  static final int FLOAT = 4;
  static final int DOUBLE = 5;
  static final int BYTE_ARRAY = 6;
  static final int FIXED_LEN_BYTE_ARRAY = 7;

  static final int UNCOMPRESSED = 0;
  static final int SNAPPY = 1;
  static final int GZIP = 2;
  static final int ZSTD = 6;
  static final int LZ4_RAW = 7;

  private static final int MAX_FOOTER = 256 << 20;
  private static final String[] TYPE_NAMES =
      {"BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
  private static final String[] CODEC_NAMES =
      {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};

  /**
   * A leaf column. {@code logical} is what the file's converted or logical type annotation makes of
   * the physical type: {@code "string"}, {@code "date"}, {@code "int8"}, {@code "int16"},
   * {@code "int32"}, {@code "int64"} (signed integers), {@code "uint8"} to {@code "uint64"}
   * (unsigned ones), {@code "plain"} (no annotation), or another word naming an annotation this
   * reader does not turn into a number or text ({@code "decimal"}, {@code "timestamp"}, ...).
   *
   * @param flat a top-level column, not inside a group nor repeated
   * @param maxDefinition 1 for an optional column, 0 for a required one (flat columns)
   * @param scale a decimal column's scale (digits after the point; the logical type's, else the
   *     schema element's), 0 for other columns
   * @param unitsPerDay a timestamp column's units (milli-, micro- or nanoseconds; an INT96
   *     column's nanoseconds) in a day, 0 for other columns
   */
  record Leaf(String name, int physicalType, int typeLength, String logical, boolean flat, int maxDefinition,
      int scale, long unitsPerDay) {
    /** A leaf with no decimal scale and no time unit (0). */
    Leaf(String name, int physicalType, int typeLength, String logical, boolean flat, int maxDefinition) {
      this(name, physicalType, typeLength, logical, flat, maxDefinition, 0, 0);
    }

    /**
     * Whether the column holds timestamps without a time zone ({@code isAdjustedToUTC} false: the
     * wall-clock time as written, what pandas writes for its naive datetimes), in units of which
     * {@link #unitsPerDay} make a day: their calendar date is the whole days since the epoch.
     */
    boolean localTimestamp() {
      return logical.equals("local timestamp") && unitsPerDay > 0;
    }

    /**
     * Whether the column holds instants, {@link #unitsPerDay} of their units a day since
     * 1970-01-01T00:00Z: an INT64 timestamp adjusted to UTC (or annotated with the converted types,
     * which predate the distinction), or INT96 (Spark's and Hive's default for timestamps, read as
     * nanoseconds). Their calendar dates depend on a zone.
     */
    boolean instant() {
      return unitsPerDay > 0 && (physicalType == INT96 || logical.equals("timestamp") && physicalType == INT64);
    }

    /** Whether the column holds decimals: an unscaled integer, {@link #scale} digits after the point. */
    boolean decimal() {
      return logical.equals("decimal");
    }

    String typeName() {
      String physical = physicalType >= 0 && physicalType < TYPE_NAMES.length ? TYPE_NAMES[physicalType]
          : "type " + physicalType;
      return logical.equals("plain") ? physical : physical + " (" + logical + ")";
    }
  }

  /**
   * A column chunk of a row group: where its pages are and how they are compressed; {@code
   * dictionaryOnly} when the writer's page encoding statistics say that every data page is
   * dictionary-encoded (false when it gives none); {@code nullCount} the nulls its statistics count
   * (-1 when it has none).
   */
  record Chunk(int codec, long start, long length, List<Integer> encodings, boolean dictionaryOnly, long nullCount) {}

  /** A row group: its rows and its chunks, one per leaf, in leaf order. */
  record RowGroup(long rows, Chunk[] chunks) {}

  /**
   * Whether a column chunk's metadata ({@code ColumnMetaData}) has page encoding statistics (field
   * 13) in which every data page, v1 or v2, is PLAIN_DICTIONARY or RLE_DICTIONARY encoded.
   */
  private static boolean dictionaryOnly(ThriftCompact.Struct meta) {
    List<Object> stats = meta.getList(13);
    boolean dataPages = false;
    for (Object o : stats) {
      if (!(o instanceof ThriftCompact.Struct stat)) {
        return false;
      }
      int pageType = stat.getInt(1, -1);
      if (pageType == 0 || pageType == 3) {   // DATA_PAGE, DATA_PAGE_V2
        int encoding = stat.getInt(2, -1);
        if (encoding != ParquetColumn.PLAIN_DICTIONARY && encoding != ParquetColumn.RLE_DICTIONARY) {
          return false;
        }
        dataPages = true;
      }
    }
    return dataPages;
  }

  final List<Leaf> leaves;
  final List<RowGroup> rowGroups;
  final long rows;

  private ParquetLayout(List<Leaf> leaves, List<RowGroup> rowGroups, long rows) {
    this.leaves = leaves;
    this.rowGroups = rowGroups;
    this.rows = rows;
  }

  /**
   * The rows {@code file}'s footer declares ({@code FileMetaData.num_rows}), or -1 when the file is
   * not a well-formed Parquet file: a hint for sizing (the duplicate check sizes its set with it);
   * the reader reports what is wrong with the file.
   */
  static long rowCountHint(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(file.toString(), channel).rows;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The {@code num_rows} of a serialized {@code FileMetaData}, or -1 (for tests of the Thrift decoding). */
  static long numRows(byte[] fileMetaData) {
    try {
      long rows = new ThriftCompact(fileMetaData, 0, fileMetaData.length).readStruct().getLong(3, -1);
      return rows >= 0 ? rows : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  static String codecName(int codec) {
    return codec >= 0 && codec < CODEC_NAMES.length ? CODEC_NAMES[codec] : "codec " + codec;
  }

  /** Reads the footer of the Parquet file open on {@code channel}. */
  static ParquetLayout read(String file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 12) {
      throw new InputFormatException(file, -1, null, "is not a readable Parquet file: too short for a footer");
    }
    ByteBuffer tail = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    readFully(channel, tail, size - 8);
    int length = tail.getInt(0);
    if (tail.get(4) != 'P' || tail.get(5) != 'A' || tail.get(6) != 'R' || tail.get(7) != '1') {
      throw new InputFormatException(file, -1, null,
          "is not a readable Parquet file (truncated or corrupt?): no PAR1 magic bytes at its end");
    }
    if (length <= 0 || length > MAX_FOOTER || length > size - 12) {
      throw new InputFormatException(file, -1, null,
          "is not a readable Parquet file (truncated or corrupt?): footer length " + length + " in a file of " + size + " bytes");
    }
    ByteBuffer footer = ByteBuffer.allocate(length);
    readFully(channel, footer, size - 8 - length);
    try {
      return parse(footer.array(), size - 8 - length);
    } catch (RuntimeException e) {
      throw new InputFormatException(file, -1, null,
          "is not a readable Parquet file (truncated or corrupt?): its footer cannot be decoded (" + e.getMessage() + ")");
    }
  }

  static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new java.io.EOFException("end of file at byte " + at);
      }
      at += n;
    }
  }

  private static ParquetLayout parse(byte[] footer, long footerStart) {
    ThriftCompact.Struct meta = new ThriftCompact(footer, 0, footer.length).readStruct();
    List<Object> elements = meta.getList(2);
    if (elements.isEmpty()) {
      throw new IllegalStateException("no schema");
    }
    List<Leaf> leaves = new ArrayList<>();
    int[] next = {1};
    ThriftCompact.Struct root = (ThriftCompact.Struct) elements.get(0);
    int children = root.getInt(5, 0);
    for (int i = 0; i < children; i++) {
      addLeaves(elements, next, 0, true, "", leaves);
    }
    // num_rows and row_groups are required fields of FileMetaData: a footer without them is damaged
    // (a flipped byte in a field header), not a file of no rows
    if (!meta.has(3) || !meta.has(4)) {
      throw new IllegalStateException("the footer has no " + (!meta.has(3) ? "num_rows" : "row_groups")
          + " (a required field)");
    }
    long rows = meta.getLong(3, -1);
    List<RowGroup> groups = new ArrayList<>();
    for (Object g : meta.getList(4)) {
      ThriftCompact.Struct group = (ThriftCompact.Struct) g;
      List<Object> columns = group.getList(1);
      if (columns.size() != leaves.size()) {
        throw new IllegalStateException("a row group has " + columns.size() + " column chunks for " + leaves.size() + " columns");
      }
      if (group.getLong(3, -1) == 0) {
        // an empty table as pyarrow and pandas write it: one row group of no rows, whose chunks
        // hold no data page (data_page_offset 0); it has nothing to read
        continue;
      }
      Chunk[] chunks = new Chunk[columns.size()];
      for (int c = 0; c < chunks.length; c++) {
        ThriftCompact.Struct column = (ThriftCompact.Struct) columns.get(c);
        if (column.getString(1) != null) {
          throw new IllegalStateException("column chunks in other files are not supported");
        }
        ThriftCompact.Struct m = column.getStruct(3);
        if (m == null) {
          throw new IllegalStateException("a column chunk without metadata");
        }
        long data = m.getLong(9, -1);
        long dictionary = m.getLong(11, -1);
        // Some writers record 0 for "no dictionary page"; a dictionary page comes before the data.
        long start = dictionary > 0 && dictionary < data ? dictionary : data;
        long length = m.getLong(7, -1);
        if (start < 4 || length < 0 || start + length > footerStart) {
          throw new IllegalStateException("column chunk at " + start + " of " + length + " bytes lies outside the data");
        }
        List<Integer> encodings = new ArrayList<>();
        for (Object e : m.getList(2)) {
          encodings.add((int) (long) (Long) e);
        }
        ThriftCompact.Struct statistics = m.getStruct(12);
        chunks[c] = new Chunk(m.getInt(4, UNCOMPRESSED), start, length, List.copyOf(encodings), dictionaryOnly(m),
            statistics == null ? -1 : statistics.getLong(3, -1));
      }
      long groupRows = group.getLong(3, -1);
      if (groupRows < 0) {
        throw new IllegalStateException("a row group of " + groupRows + " rows");
      }
      groups.add(new RowGroup(groupRows, chunks));
    }
    long sum = groups.stream().mapToLong(RowGroup::rows).sum();
    if (rows >= 0 && sum != rows) {
      throw new IllegalStateException("the row groups hold " + sum + " rows; the file says " + rows);
    }
    return new ParquetLayout(List.copyOf(leaves), List.copyOf(groups), rows);
  }

  /**
   * Adds the leaves under the schema element at {@code next[0]} (depth-first, as the file lists
   * them), a leaf inside a group named by its path ({@code prefix}: the groups' names and dots), so
   * that a struct's field never stands for a top-level column of the same name.
   */
  private static void addLeaves(List<Object> elements, int[] next, int depth, boolean flat, String prefix,
      List<Leaf> leaves) {
    if (next[0] >= elements.size() || depth > 64) {
      throw new IllegalStateException("schema tree does not match its element count");
    }
    ThriftCompact.Struct e = (ThriftCompact.Struct) elements.get(next[0]++);
    int repetition = e.getInt(3, 0);
    boolean here = flat && depth == 0 && repetition != 2;
    int children = e.getInt(5, 0);
    if (children > 0 || !e.has(1)) {
      for (int i = 0; i < children; i++) {
        addLeaves(elements, next, depth + 1, false, prefix + e.getString(4) + ".", leaves);
      }
      return;
    }
    String logical = logical(e);
    ThriftCompact.Struct logicalType = e.getStruct(10);
    ThriftCompact.Struct decimalType = logicalType == null ? null : logicalType.getStruct(5);
    int scale = !logical.equals("decimal") ? 0 : decimalType != null ? decimalType.getInt(1, 0) : e.getInt(7, 0);
    if (scale < 0) {
      throw new IllegalStateException("column " + e.getString(4) + ": decimal scale " + scale);
    }
    leaves.add(new Leaf(prefix + e.getString(4), e.getInt(1, -1), e.getInt(2, 0), logical, here, repetition == 1 ? 1 : 0,
        scale, e.getInt(1, -1) == INT96 ? 86_400_000_000_000L : unitsPerDay(e)));
  }

  /** A timestamp column's units in a day, by its logical type or else its converted type; 0 for other columns. */
  private static long unitsPerDay(ThriftCompact.Struct e) {
    ThriftCompact.Struct lt = e.getStruct(10);
    ThriftCompact.Struct timestamp = lt == null ? null : lt.getStruct(8);
    if (timestamp != null) {
      ThriftCompact.Struct unit = timestamp.getStruct(2);
      return unit == null ? 0 : unit.has(1) ? 86_400_000L : unit.has(2) ? 86_400_000_000L
          : unit.has(3) ? 86_400_000_000_000L : 0;
    }
    return switch (lt == null ? e.getInt(6, -1) : -1) {
      case 9 -> 86_400_000L;        // TIMESTAMP_MILLIS
      case 10 -> 86_400_000_000L;   // TIMESTAMP_MICROS
      default -> 0;
    };
  }

  private static String logical(ThriftCompact.Struct e) {
    ThriftCompact.Struct lt = e.getStruct(10);
    if (lt != null) {
      if (lt.has(1) || lt.has(4) || lt.has(12)) {
        return "string";   // STRING, ENUM, JSON: UTF-8 text
      }
      if (lt.has(6)) {
        return "date";
      }
      ThriftCompact.Struct integer = lt.getStruct(10);
      if (integer != null) {
        int bits = integer.getInt(1, 0);
        return (integer.getBoolean(2, true) ? "int" : "uint") + bits;
      }
      if (lt.has(5)) {
        return "decimal";
      }
      if (lt.has(7)) {
        return "time";
      }
      ThriftCompact.Struct timestamp = lt.getStruct(8);
      if (timestamp != null) {
        // without a time zone the wall-clock time as written; with one (and in the converted types,
        // which predate the distinction) an instant, whose calendar date depends on a zone
        return timestamp.getBoolean(1, true) ? "timestamp" : "local timestamp";
      }
      if (lt.has(14)) {
        return "uuid";
      }
      if (lt.has(15)) {
        return "float16";
      }
    }
    if (!e.has(6)) {
      return "plain";
    }
    return switch (e.getInt(6, -1)) {
      case 0, 4, 19 -> "string";
      case 5 -> "decimal";
      case 6 -> "date";
      case 7, 8 -> "time";
      case 9, 10 -> "timestamp";
      case 11 -> "uint8";
      case 12 -> "uint16";
      case 13 -> "uint32";
      case 14 -> "uint64";
      case 15 -> "int8";
      case 16 -> "int16";
      case 17 -> "int32";
      case 18 -> "int64";
      case 21 -> "interval";
      default -> "annotation " + e.getInt(6, -1);
    };
  }
}

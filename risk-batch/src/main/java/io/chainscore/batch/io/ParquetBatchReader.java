package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads a Parquet file into Arrow record batches of {@value #BATCH_ROWS} rows (fewer at the end of a
 * row group, so that a batch of dictionary indexes refers to one dictionary), page by page, in
 * pure Java: the columns of the table schema that the file has, with the Arrow types Arrow's own
 * Parquet reader gives them (INT32 as Int(32), or Int(8) / Int(16) / Date(DAY) by annotation;
 * INT64 as Int(64), or as Date(DAY) for a timestamp without a time zone (its calendar date); FLOAT
 * and DOUBLE; BOOLEAN as Bool; DECIMAL (INT32, INT64 or FIXED_LEN_BYTE_ARRAY
 * up to 16 bytes) as Float8, each value the double nearest to the decimal ({@link Decimals}), where
 * Arrow's reader gives Decimal128; UTF-8 BYTE_ARRAY as Utf8, or, where the
 * writer's page statistics say every data page of every chunk is dictionary-encoded, as Int(32)
 * indexes into each chunk's dictionary, which {@link ArrowTableReader} decodes once per value
 * instead of once per row). The rules of the table schema are then applied by {@link
 * ArrowTableReader}, the one place for them.
 *
 * <p>Why not Arrow's dataset scanner (which remains the writer, and the reader of files using an
 * encoding or codec {@link ParquetColumn} does not decode): it pre-buffers the byte ranges of every
 * row group of a file when the scan starts and keeps them until the file is closed
 * (apache/arrow#39808), so its memory grew with the file (20 GB of RSS at 250M invoices). This
 * reader holds one page per column, so its memory does not depend on the file's size.
 *
 * <p>Thread safety: not thread-safe; one reader thread.
 */
final class ParquetBatchReader extends ArrowReader {
  static final int BATCH_ROWS = 32_768;
  /** Rows per batch: {@link #BATCH_ROWS}, fewer in tests (a dictionary then serves many batches). */
  int batchRows = BATCH_ROWS;

  private final FileChannel channel;
  private final List<Field> fields = new ArrayList<>();
  private final List<ParquetColumn> columns = new ArrayList<>();
  /** Per column: its leaf in the file. */
  private final List<ParquetLayout.Leaf> leaves = new ArrayList<>();
  /** Per column: its leaf's index in the file; and the file's footer. */
  private final List<Integer> leafIndexes = new ArrayList<>();
  private final ParquetLayout layout;
  /** Per column: whether it is left undecoded ({@link #leaveUndecoded}). */
  private final boolean[] undecoded;
  /** Per column: its dictionary id when handed on dictionary-encoded, else -1. */
  private final List<Long> dictionaryIds = new ArrayList<>();
  /**
   * The current dictionary of each dictionary-encoded column, by id: the vectors its column made
   * for the batch loaded (and frees). Arrow's own map, holding the empty vectors it made when it
   * read the schema, cannot be changed.
   */
  private final java.util.Map<Long, Dictionary> current = new java.util.HashMap<>();
  /** The first row of each row group, and the total: a batch of dictionary indexes stays in one row group. */
  private final long[] groupStart;
  /**
   * Rows a segment holds at least (the last one excepted): a segment is a run of whole consecutive
   * row groups, and no batch spans two segments, so that separate threads can decode segments and
   * hand their batches on in file order with the same batch boundaries as one thread reading the
   * whole file ({@link PrefetchingReader}).
   */
  static final int SEGMENT_ROWS = 65_536;
  /** The first row of each segment, and the total. */
  private final long[] segmentStart;
  private long rowsLoaded;
  /** Rows are loaded up to this row: the file's end, or the end of the segment sought. */
  private long limit;
  private boolean allocated;

  /**
   * This reader over {@code channel} (which it closes when closed), whose footer {@code layout}
   * holds; the caller has checked that it {@link #decodes} the file.
   */
  ParquetBatchReader(String file, FileChannel channel, ParquetLayout layout, TableSchema schema,
      BufferAllocator allocator) {
    this(file, channel, layout, schema, allocator, null);
  }

  /** As above, the columns' page buffers from {@code buffers} and given back there when closed (null: their own). */
  ParquetBatchReader(String file, FileChannel channel, ParquetLayout layout, TableSchema schema,
      BufferAllocator allocator, ParquetBuffers buffers) {
    super(allocator);
    this.channel = channel;
    this.layout = layout;
    groupStart = groupStarts(layout);
    this.limit = groupStart[groupStart.length - 1];
    this.segmentStart = segmentStarts(groupStart);
    for (TableSchema.Column column : schema.columns()) {
      int leaf = indexOf(layout, column.name(), file);
      if (leaf < 0) {
        continue;   // ArrowTableReader says whether it may be left out
      }
      ParquetLayout.Leaf l = layout.leaves.get(leaf);
      // instants are a date column's dates in the schema's zone, when it names one (ParquetColumn)
      boolean zoned = column.type() == io.chainscore.tables.ColumnType.DATE && schema.timeZone() != null
          && l.flat() && l.instant();
      ArrowType type = zoned ? new ArrowType.Date(DateUnit.DAY) : arrowType(l);
      if (!l.flat() || type == null) {
        throw new InputFormatException(file, 0, column.name(), "has Parquet type " + l.typeName()
            + (l.flat() ? "" : " inside a group or repeated") + "; expected " + ArrowTableReader.expected(column.type())
            + (column.type() == io.chainscore.tables.ColumnType.DATE && l.flat()
                && (l.logical().equals("timestamp") || l.physicalType() == ParquetLayout.INT96)
                ? ArrowTableReader.ZONED_TIMESTAMP_HINT : ""));
      }
      if (type instanceof ArrowType.Utf8 && dictionaryOnly(layout, leaf)) {
        // handed on as the indexes of each chunk's dictionary, decoded once per value downstream
        // (numbers, dates or flags held as text: parsed once per value)
        fields.add(new Field(column.name(), new FieldType(true, type,
            new DictionaryEncoding(leaf, false, new ArrowType.Int(32, true))), null));
        dictionaryIds.add((long) leaf);
      } else {
        fields.add(new Field(column.name(), FieldType.nullable(type), null));
        dictionaryIds.add(-1L);
      }
      columns.add(new ParquetColumn(channel, layout, leaf, arrowWidth(type), zoned ? schema.timeZone() : null,
          buffers));
      leaves.add(l);
      leafIndexes.add(leaf);
    }
    this.undecoded = new boolean[columns.size()];
  }

  /** The first row of each row group of the file, and the total. */
  static long[] groupStarts(ParquetLayout layout) {
    long total = 0;
    long[] starts = new long[layout.rowGroups.size() + 1];
    for (int g = 0; g < layout.rowGroups.size(); g++) {
      starts[g] = total;
      total += layout.rowGroups.get(g).rows();
    }
    starts[layout.rowGroups.size()] = total;
    return starts;
  }

  /** The first row of each segment ({@link #SEGMENT_ROWS}) of a file with row groups starting at {@code groupStart}, and the total. */
  static long[] segmentStarts(long[] groupStart) {
    int groups = groupStart.length - 1;
    long total = groupStart[groups];
    long[] starts = new long[groupStart.length];
    int segments = 0;
    for (int g = 0; g < groups; g++) {
      if (segments == 0 || groupStart[g] - starts[segments - 1] >= SEGMENT_ROWS && groupStart[g] < total) {
        starts[segments++] = groupStart[g];
      }
    }
    starts[segments] = total;
    return java.util.Arrays.copyOf(starts, segments + 1);
  }

  /** Whether this reader decodes every column of {@code schema} that the file has (encodings and codecs). */
  static boolean decodes(ParquetLayout layout, TableSchema schema, String file) {
    for (TableSchema.Column column : schema.columns()) {
      int leaf = indexOf(layout, column.name(), file);
      if (leaf >= 0 && !ParquetColumn.decodes(layout, leaf)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Opens {@code path} with this reader, or returns null when the file's columns that {@code
   * schema} reads use an encoding or codec it does not decode (the caller then uses Arrow's).
   *
   * @throws InputFormatException when such a file has an INT96 column the schema reads as a date:
   *     Arrow's reader takes INT96 as a timestamp without a zone, so its dates would be UTC's
   *     whatever {@link TableSchema#timeZone} says
   */
  static ParquetBatchReader openIfDecodable(Path path, TableSchema schema, BufferAllocator allocator)
      throws IOException {
    String file = path.toString();
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      ParquetLayout layout = ParquetLayout.read(file, channel);
      if (!decodes(layout, schema, file)) {
        channel.close();
        for (TableSchema.Column column : schema.columns()) {
          int leaf = indexOf(layout, column.name(), file);
          if (leaf >= 0 && column.type() == io.chainscore.tables.ColumnType.DATE
              && layout.leaves.get(leaf).physicalType() == ParquetLayout.INT96) {
            throw new InputFormatException(file, 0, column.name(), "holds INT96 timestamps in a file compressed or"
                + " encoded as only Arrow's reader reads, which takes them without their zone; write the file with"
                + " snappy, zstd or gzip compression, or the column as a date");
          }
        }
        return null;
      }
      return new ParquetBatchReader(file, channel, layout, schema, allocator);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }


  /** Whether every chunk of the leaf has only dictionary-encoded data pages (by the writer's statistics). */
  static boolean dictionaryOnly(ParquetLayout layout, int leaf) {
    if (layout.rowGroups.isEmpty()) {
      return false;
    }
    for (ParquetLayout.RowGroup g : layout.rowGroups) {
      if (!g.chunks()[leaf].dictionaryOnly()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The leaf read as column {@code name}, by {@link TableSchema#columnIn}'s rule among the top-level
   * names (a leaf inside a group is named by its path, {@code group.field}), or else the first leaf
   * of a top-level group (a struct, list or map) so named, which the caller refuses as nested; -1
   * when there is neither.
   */
  static int indexOf(ParquetLayout layout, String name, String file) {
    List<String> names = new ArrayList<>(layout.leaves.size());
    for (ParquetLayout.Leaf leaf : layout.leaves) {
      names.add(leaf.name());
    }
    int at = TableSchema.columnIn(names, name, file);
    for (int i = 0; at < 0 && i < names.size(); i++) {
      if (names.get(i).startsWith(name + ".")) {
        at = i;
      }
    }
    return at;
  }

  /** The Arrow type Arrow's Parquet reader gives the leaf, or null for one this reader does not read. */
  private static ArrowType arrowType(ParquetLayout.Leaf leaf) {
    String logical = leaf.logical();
    if (leaf.decimal()) {
      // decimals (money, as Spark, DuckDB and pyarrow write it) are read as the doubles nearest to
      // them, the doubles the same numbers give in a CSV (Decimals)
      return switch (leaf.physicalType()) {
        case ParquetLayout.INT32, ParquetLayout.INT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        case ParquetLayout.FIXED_LEN_BYTE_ARRAY -> leaf.typeLength() >= 1 && leaf.typeLength() <= 16
            ? new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE) : null;
        default -> null;
      };
    }
    return switch (leaf.physicalType()) {
      case ParquetLayout.BOOLEAN -> logical.equals("plain") ? ArrowType.Bool.INSTANCE : null;
      case ParquetLayout.INT32 -> switch (logical) {
        case "plain", "int32" -> new ArrowType.Int(32, true);
        case "int16" -> new ArrowType.Int(16, true);
        case "int8" -> new ArrowType.Int(8, true);
        // unsigned: 8 and 16 bits fit a signed int as they are; 32 bits in an Arrow UInt4, whose
        // bytes are the INT32's (pandas' uint8 ... uint32)
        case "uint8", "uint16" -> new ArrowType.Int(32, true);
        case "uint32" -> new ArrowType.Int(32, false);
        case "date" -> new ArrowType.Date(DateUnit.DAY);
        default -> null;
      };
      case ParquetLayout.INT64 -> logical.equals("plain") || logical.equals("int64") ? new ArrowType.Int(64, true)
          : logical.equals("uint64") ? new ArrowType.Int(64, false)   // an Arrow UInt8, the INT64's bytes
          // a timestamp without a time zone is read as its calendar date (ParquetColumn)
          : leaf.localTimestamp() ? new ArrowType.Date(DateUnit.DAY) : null;
      case ParquetLayout.FLOAT -> logical.equals("plain") ? new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE) : null;
      case ParquetLayout.DOUBLE -> logical.equals("plain") ? new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE) : null;
      case ParquetLayout.BYTE_ARRAY -> logical.equals("string") ? ArrowType.Utf8.INSTANCE : null;
      default -> null;
    };
  }

  private static int arrowWidth(ArrowType type) {
    if (type instanceof ArrowType.Int i) {
      return i.getBitWidth() / 8;
    }
    if (type instanceof ArrowType.Date) {
      return 4;
    }
    if (type instanceof ArrowType.FloatingPoint f) {
      return f.getPrecision() == FloatingPointPrecision.DOUBLE ? 8 : 4;
    }
    return 0;   // Bool and Utf8
  }

  /**
   * Stops decoding column {@code name} when the file proves every row has a value in it: the column
   * is declared REQUIRED (so no row is null), or its statistics count no null in any row group (as
   * Spark's and DuckDB's writers record for OPTIONAL columns), and it holds numbers or booleans
   * (Arrow's Int, FloatingPoint or Bool, whose values carry no other rule) or text (Utf8, whose
   * own rules the caller has given up: {@link ColumnBatch#leaveTextUnread}), and returns true; its
   * vector is then left unset. Returns false, changing nothing, for any other column. Called before
   * the first batch.
   */
  boolean leaveUndecoded(String name) {
    int c = fieldIndex(name);
    if (c < 0) {
      return false;
    }
    ArrowType type = fields.get(c).getType();
    boolean plain = type instanceof ArrowType.Int || type instanceof ArrowType.FloatingPoint
        || type instanceof ArrowType.Bool || type instanceof ArrowType.Utf8;
    if (plain && (leaves.get(c).maxDefinition() == 0 || everyGroupCountsNulls(leafIndexes.get(c), false))) {
      undecoded[c] = true;
      return true;
    }
    return false;
  }

  /**
   * Whether column {@code name} holds no value in any row: every row group's statistics count as
   * many nulls as the group has rows. Such a column says nothing of its type (DuckDB's CSV reader
   * types a column that is empty throughout as text), so a caller may read it as the column left
   * out; it is then left undecoded, and true is returned. False, changing nothing, when a row group
   * has no statistics or holds a value, or the file has no such column.
   */
  boolean holdsNoValue(String name) {
    int c = fieldIndex(name);
    if (c < 0 || !everyGroupCountsNulls(leafIndexes.get(c), true)) {
      return false;
    }
    undecoded[c] = true;
    return true;
  }

  /** The index of the field named {@code name}, or -1. */
  private int fieldIndex(String name) {
    for (int c = 0; c < fields.size(); c++) {
      if (fields.get(c).getName().equals(name)) {
        return c;
      }
    }
    return -1;
  }

  /**
   * Whether every row group's statistics of leaf {@code leaf} count {@code all} its rows null, or
   * (false) none (false if one has no statistics).
   */
  private boolean everyGroupCountsNulls(int leaf, boolean all) {
    for (ParquetLayout.RowGroup g : layout.rowGroups) {
      if (g.chunks()[leaf].nullCount() != (all ? g.rows() : 0)) {
        return false;
      }
    }
    return true;
  }

  /** How many segments the file has (see {@link #SEGMENT_ROWS}); 0 when it has no row group. */
  int segments() {
    return segmentStart.length - 1;
  }

  /** The 0-based index of segment {@code s}'s first row in the file. */
  long segmentStart(int s) {
    return segmentStart[s];
  }

  /**
   * Restricts the reader to segment {@code s}: the next batch starts at its first row, and
   * {@link #loadNextBatch} returns false at its end. Decoders on separate threads each read their
   * segments with a reader of their own.
   */
  void seekSegment(int s) {
    seekSegments(s, s + 1);
  }

  /**
   * Restricts reading to segments {@code [first, end)}: the batches a reader of the whole file
   * loads for their rows (no batch spans two segments), then none.
   */
  void seekSegments(int first, int end) {
    int g = java.util.Arrays.binarySearch(groupStart, segmentStart[first]);
    while (g > 0 && groupStart[g - 1] == segmentStart[first]) {
      g--;   // the first of the groups starting there (empty groups before it are skipped anyway)
    }
    for (ParquetColumn column : columns) {
      column.seekGroup(g);
    }
    rowsLoaded = segmentStart[first];
    limit = segmentStart[end];
  }

  /** Whether the batches loaded so far end at the end of a segment (or of the file). */
  boolean atSegmentEnd() {
    return java.util.Arrays.binarySearch(segmentStart, rowsLoaded) >= 0;
  }

  @Override
  protected Schema readSchema() {
    return new Schema(fields);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    int n = (int) Math.min(batchRows, limit - rowsLoaded);
    if (n <= 0) {
      return false;
    }
    // not past the row group's end: one chunk, one dictionary per batch
    int g = java.util.Arrays.binarySearch(groupStart, rowsLoaded);
    g = g >= 0 ? g : -g - 2;
    while (groupStart[g + 1] == rowsLoaded) {
      g++;   // empty row groups
    }
    n = (int) Math.min(n, groupStart[g + 1] - rowsLoaded);
    VectorSchemaRoot root = getVectorSchemaRoot();
    for (int c = 0; c < columns.size(); c++) {
      FieldVector v = root.getVector(c);
      if (!allocated) {
        v.setInitialCapacity(BATCH_ROWS);
        v.allocateNew();
      } else if (undecoded[c]) {
        // not reset: as allocated (zeroed), never written; zeroing it again cost a pass over its
        // buffers per batch (a variable-width one's offsets rewritten as well, below)
      } else if (v instanceof BaseFixedWidthVector fixed) {
        fixed.reset();   // all null again; capacity kept
      } else {
        ((BaseVariableWidthVector) v).reset();
      }
      long id = dictionaryIds.get(c);
      if (undecoded[c]) {
        // left unset: the caller reads no value of it. A text vector's offsets stay zero: said
        // set up to the last row, it does not fill them in again as empty values
        if (v instanceof BaseVariableWidthVector text) {
          text.setLastSet(n - 1);
        }
        v.setValueCount(n);
        continue;
      }
      if (id >= 0) {
        VarCharVector values = columns.get(c).copyIndexes((IntVector) v, n, allocator);
        Dictionary held = current.get(id);
        if (held == null || held.getVector() != values) {
          current.put(id, new Dictionary(values, fields.get(c).getDictionary()));
        }
      } else {
        columns.get(c).copy(v, n);
      }
      v.setValueCount(n);
    }
    allocated = true;
    root.setRowCount(n);
    rowsLoaded += n;
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  public Dictionary lookup(long id) {
    Dictionary d = current.get(id);
    return d != null ? d : super.lookup(id);
  }

  @Override
  public java.util.Map<Long, Dictionary> getDictionaryVectors() throws IOException {
    java.util.Map<Long, Dictionary> all = new java.util.HashMap<>(super.getDictionaryVectors());
    all.putAll(current);
    return all;
  }

  @Override
  protected void closeReadSource() throws IOException {
    for (ParquetColumn column : columns) {
      column.close();
    }
    channel.close();
  }
}

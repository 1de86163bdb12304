package io.chainscore.batch.io;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.CsvReader;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import io.chainscore.trade.TradeRules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VariableWidthFieldVector;
import org.apache.arrow.vector.ViewVarCharVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Arrow IPC, file or stream format (told apart by the file format's magic bytes). Accepted column
 * types: STRING from Utf8, or from integer indexes into a dictionary of Utf8 values (what pyarrow
 * writes for a pandas categorical or a dictionary array: each dictionary value is decoded and
 * checked once, on first use, and its rows share the one String); DATE from Date(DAY); DOUBLE from
 * Float8, Float4 or integers (unsigned 64-bit ones rounded once, as a CSV's digits are); INT from
 * 8-, 16- or 32-bit integers, or 64-bit or unsigned ones (what pandas and DuckDB write for any
 * integer column, pandas' uint8 ... uint64) whose values are in the 32-bit range, a row with
 * another refused as the CSV reader refuses it; BOOLEAN from Bool. A DATE, DOUBLE, INT, LONG or
 * BOOLEAN column may also be held as text (what Spark writes for a CSV read without inferring its
 * types): each value is read as a comma file's field of that type is, by the CSV reader's own rules
 * and refusals ({@link CsvReader#ofFields}), an empty one as a CSV's empty field. Rows
 * are numbered from 1 across record batches. Parquet files arrive here through {@link
 * ParquetFiles#openReader}.
 */
final class ArrowTableReader implements TableReader {
  private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

  private final String file;
  private final TableSchema schema;
  private final BadRowHandler handler;
  private final BufferAllocator allocator;
  private final ArrowReader reader;
  /** The reader as Parquet segments ({@link ParquetBatchReader#SEGMENT_ROWS}) when it has them, else null. */
  private final ParquetBatchReader segmented;
  private final AutoCloseable source;
  private FieldVector[] vectors;
  /**
   * Per text column held as large or view strings in the file: the file's vector, whose values
   * each batch copies into the plain Utf8 vector in {@link #vectors} ({@link #narrowWideText});
   * null when there is none.
   */
  private VariableWidthFieldVector[] wideText;
  /** Per text column: its decoder (each distinct value decoded about once), else null. */
  private Utf8Ids[] texts;
  /** Per dictionary-encoded text column: its dictionary's values as decoded so far, else null. */
  private DictionaryText[] dictionaries;
  /**
   * Per date column held as timestamps with a time zone: their dates in the schema's {@link
   * TableSchema#timeZone}; else null (and null throughout when the schema has no zone).
   */
  private InstantDates[] instantDates;
  /**
   * Per column of numbers, dates or flags held as text in the file: the reader of its values as a
   * comma file's fields ({@link #parseText}); else null.
   */
  private CsvReader[] textFields;
  /** Bytes of the text value being read. */
  private byte[] scratch = new byte[64];
  /** The offsets of a block of text values ({@link #copyAsciiBlock}). */
  private int[] offsets = new int[64];
  private int rowInArrowBatch;
  /** Whether rows are copied a block of columns at a time ({@link #copyBlock}); false: cell by cell. */
  boolean columnCopy = true;
  private int arrowBatchRows;
  private long rowsRead;
  /** The rows of the part files read before this one ({@link #startAtRow}), 0 for a file read alone. */
  private long rowsBefore;
  /**
   * Per column: whether it is not read, decided at the first batch from the columns the caller left
   * unread ({@link ColumnBatch#leaveUnread}) that the file proves valid in every row; null before.
   */
  private boolean[] skipped;
  /** Whether the Arrow reader has said it has no more batches (it is not asked again). */
  private boolean exhausted;

  ArrowTableReader(Path path, TableSchema schema, BadRowHandler handler) throws IOException {
    this.file = path.toString();
    this.schema = schema;
    this.handler = handler;
    this.allocator = new RootAllocator();
    AutoCloseable opened = null;
    ArrowReader arrow = null;
    try {
      SeekableByteChannel channel = Files.newByteChannel(path);
      opened = channel;
      arrow = ArrowIpc.open(channel, hasFileMagic(path), allocator);
      this.reader = arrow;
      this.segmented = null;
      this.source = opened;
      bindColumns(arrow.getVectorSchemaRoot());
    } catch (InputFormatException e) {
      closeQuietly(arrow);   // its dictionaries, once read
      closeQuietly(opened);
      allocator.close();
      throw e;
    } catch (IOException | RuntimeException e) {
      closeQuietly(arrow);
      closeQuietly(opened);
      allocator.close();
      throw unreadable(e);
    }
  }

  /** Reads from an open Arrow reader (for example a Parquet scan); closes the closeables after it. */
  ArrowTableReader(String file, TableSchema schema, BadRowHandler handler, BufferAllocator allocator,
      ArrowReader arrow, AutoCloseable source) {
    this.file = file;
    this.schema = schema;
    this.handler = handler;
    this.allocator = allocator;
    this.reader = arrow;
    this.segmented = arrow instanceof ParquetBatchReader p ? p : null;
    this.source = source;
    try {
      bindColumns(arrow.getVectorSchemaRoot());
    } catch (InputFormatException e) {
      closeQuietly(arrow);
      closeQuietly(source);
      allocator.close();
      throw e;
    } catch (IOException | RuntimeException e) {
      closeQuietly(arrow);
      closeQuietly(source);
      allocator.close();
      throw unreadable(e);
    }
  }

  /**
   * An Arrow IPC file's first record batch's rows times its number of batches, or -1 for a stream
   * or a file that cannot be read (see {@link TableReader#rowCountHint}).
   */
  static long rowCountHint(Path path) {
    try {
      if (!hasFileMagic(path)) {
        return -1;
      }
      try (BufferAllocator allocator = new RootAllocator();
          SeekableByteChannel channel = Files.newByteChannel(path);
          ArrowFileReader arrow = new ArrowFileReader(channel, allocator, ArrowIpc.CODECS)) {
        List<org.apache.arrow.vector.ipc.message.ArrowBlock> blocks = arrow.getRecordBlocks();
        if (blocks.isEmpty()) {
          return 0;
        }
        arrow.loadRecordBatch(blocks.get(0));
        long rows = arrow.getVectorSchemaRoot().getRowCount();
        return rows * blocks.size();
      }
    } catch (IOException | RuntimeException e) {
      return -1; // a hint only: the reader reports the file's fault
    }
  }

  private InputFormatException unreadable(Exception e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    // The Parquet reader shares this class: name the format the user gave.
    boolean parquet = file.toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
    java.util.regex.Matcher codec = java.util.regex.Pattern.compile("Support for codec '([^']+)' not built").matcher(detail);
    if (parquet && codec.find()) {
      // Arrow's reader's words for a codec its Java build lacks (BROTLI): the file is not damaged
      return new InputFormatException(file, -1, null, "is compressed with " + codec.group(1).toUpperCase(java.util.Locale.ROOT)
          + ", which neither this reader nor Arrow's decodes; write it with SNAPPY, ZSTD, GZIP or LZ4_RAW");
    }
    return new InputFormatException(file, -1, null, (parquet ? "is not a readable Parquet file"
        : "is not a readable Arrow IPC file or stream") + " (truncated or corrupt?): " + printable(detail));
  }

  /** One line without control characters: a corrupt file's bytes may be quoted in a message. */
  private static String printable(String text) {
    return io.chainscore.tables.Printable.escape(text.replace('\n', ' ').replace('\r', ' ')).strip();
  }

  /** Whether {@code path} starts with the Arrow IPC file format's magic bytes. */
  static boolean hasFileMagic(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] head = in.readNBytes(MAGIC.length);
      return java.util.Arrays.equals(head, MAGIC);
    }
  }

  static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // already failing; the first error is the one to report
      }
    }
  }

  private void bindColumns(VectorSchemaRoot root) {
    List<TableSchema.Column> columns = schema.columns();
    vectors = new FieldVector[columns.size()];
    texts = new Utf8Ids[columns.size()];
    dictionaries = new DictionaryText[columns.size()];
    instantDates = new InstantDates[columns.size()];
    textFields = new CsvReader[columns.size()];
    List<String> names = new java.util.ArrayList<>();
    for (org.apache.arrow.vector.types.pojo.Field f : root.getSchema().getFields()) {
      names.add(f.getName());
    }
    for (int c = 0; c < columns.size(); c++) {
      TableSchema.Column column = columns.get(c);
      // by name, or by the name in snake_case (the one rule, TableSchema.columnIn)
      int at = TableSchema.columnIn(names, column.name(), file);
      FieldVector v = at < 0 ? null : root.getVector(at);
      if (v == null) {
        if (column.optional()) {
          continue;   // left out: read as null in every row
        }
        // the file's own columns, whatever its format (Parquet files are read through this
        // reader too: until 2026-12-07 a Parquet part without the column was said to lack it in
        // "the Arrow schema")
        // and what is expected, as the CSV reader says it (TableSchema.expectedColumns): until
        // 2026-12-08 only that it was missing
        throw new InputFormatException(file, 0, column.name(), "missing from the file's columns; expected "
            + schema.expectedColumns());
      }
      org.apache.arrow.vector.types.pojo.DictionaryEncoding encoding = v.getField().getDictionary();
      if (encoding != null) {
        org.apache.arrow.vector.dictionary.Dictionary d = reader.lookup(encoding.getId());
        boolean text = d == null || d.getVector() instanceof VarCharVector;   // a stream's comes with its first batch
        if (v instanceof BaseIntVector && (column.type() == ColumnType.STRING || text)) {
          // its values are checked when its dictionary is loaded, with the first batch; numbers,
          // dates or flags held as text are each parsed once per dictionary value
          vectors[c] = v;
          dictionaries[c] = new DictionaryText(column.name(), column.nullable(), encoding.getId());
          if (column.type() != ColumnType.STRING) {
            textFields[c] = CsvReader.ofFields(file, column.name());
          }
          continue;
        }
        // the vector holds indexes: what the column holds is the dictionary's type
        throw new InputFormatException(file, 0, column.name(), (d == null ? "is dictionary-encoded"
            : "has Arrow type " + d.getVector().getField().getType() + " in a dictionary") + "; expected "
            + expected(column.type()));
      }
      boolean wide = v instanceof LargeVarCharVector || v instanceof ViewVarCharVector;
      if (column.type() != ColumnType.STRING && (wide || v instanceof VarCharVector)) {
        // numbers, dates or flags held as text: read as a comma file's fields of the column's type
        textFields[c] = CsvReader.ofFields(file, column.name());
      }
      if (wide) {
        // large or view strings (pandas' pyarrow-backed strings, Polars): each batch's values are
        // copied into a plain Utf8 vector, and every text path reads that one
        if (wideText == null) {
          wideText = new VariableWidthFieldVector[columns.size()];
        }
        wideText[c] = (VariableWidthFieldVector) v;
        vectors[c] = new VarCharVector(column.name(), allocator);
        texts[c] = column.type() == ColumnType.STRING ? new Utf8Ids() : null;
        continue;
      }
      if (textFields[c] != null) {
        vectors[c] = v;
        continue;
      }
      instantDates[c] = column.type() == ColumnType.DATE ? instantDates(v, schema) : null;
      boolean ok = switch (column.type()) {
        case STRING -> v instanceof VarCharVector || v instanceof BitVector;
        case DATE -> v instanceof DateDayVector || v instanceof DateMilliVector || localTimestamp(v)
            || instantDates[c] != null;
        case DOUBLE -> v instanceof Float8Vector || v instanceof Float4Vector || v instanceof IntVector
            || v instanceof BigIntVector || v instanceof SmallIntVector || v instanceof TinyIntVector
            || v instanceof DecimalVector || v instanceof Decimal256Vector || unsigned(v);
        case INT -> v instanceof IntVector || v instanceof SmallIntVector || v instanceof TinyIntVector
            || v instanceof BigIntVector || unsigned(v);
        case LONG -> v instanceof BigIntVector || v instanceof IntVector || v instanceof SmallIntVector
            || v instanceof TinyIntVector || unsigned(v);
        case BOOLEAN -> v instanceof BitVector;
      };
      // no value in any row, whatever its type: read as the column left out, null in every row (of
      // the types whose null reads as missing, as copyRow reads them)
      // (a Parquet column whose statistics say so; an Arrow column of type Null, pandas' all-None column)
      if (!ok && nullReadsAsMissing(column)
          && (v instanceof org.apache.arrow.vector.NullVector || segmented != null && segmented.holdsNoValue(column.name()))) {
        continue;
      }
      if (!ok) {
        Field f = v.getField();
        throw new InputFormatException(file, 0, column.name(),
            "has Arrow type " + f.getType() + "; expected " + expected(column.type())
                + (column.type() == ColumnType.DATE && f.getType() instanceof ArrowType.Timestamp ? ZONED_TIMESTAMP_HINT : ""));
      }
      vectors[c] = v;
      if (column.type() == ColumnType.STRING) {
        texts[c] = new Utf8Ids();
      }
    }
  }

  /**
   * Copies the loaded batch's large or view strings ({@link #wideText}) into their plain Utf8
   * vectors, {@code rows} rows: validity, then each value's bytes with 32-bit offsets (a batch with
   * more than 2 GB of one column's text is refused, naming the column).
   */
  private void narrowWideText(int rows) {
    if (wideText == null) {
      return;
    }
    for (int c = 0; c < wideText.length; c++) {
      VariableWidthFieldVector wide = wideText[c];
      if (wide == null) {
        continue;
      }
      VarCharVector narrow = (VarCharVector) vectors[c];
      narrow.clear();
      long bytes = 0;
      for (int i = 0; i < rows; i++) {
        bytes += wide.isNull(i) ? 0 : wide.getValueLength(i);
      }
      if (bytes > Integer.MAX_VALUE) {
        throw new InputFormatException(file, rowsRead + 1, schema.columns().get(c).name(),
            "holds more than 2 GB of text in one record batch; write smaller batches");
      }
      narrow.allocateNew(Math.max(1, bytes), Math.max(1, rows));
      for (int i = 0; i < rows; i++) {
        if (wide.isNull(i)) {
          narrow.setNull(i);
        } else {
          narrow.set(i, wide.get(i));
        }
      }
      narrow.setValueCount(rows);
    }
  }

  /**
   * Why a timestamp with a time zone is not read as a date, for messages: the same instant falls on
   * different calendar dates in different zones, and guessing the zone could move an invoice a day.
   */
  static final String ZONED_TIMESTAMP_HINT = " (a timestamp with a time zone, an instant, has no calendar date of its"
      + " own: " + TableSchema.GIVE_A_ZONE + ", or write the column as a date, or as a timestamp without a time zone,"
      + " whose date is read)";

  /**
   * The dates of a timestamp column with a time zone ({@code v}) in {@code schema}'s zone, or null
   * when it is not one or the schema has no zone (the column is then refused).
   */
  private static InstantDates instantDates(FieldVector v, TableSchema schema) {
    if (schema.timeZone() == null || !(v instanceof TimeStampVector)
        || !(v.getField().getType() instanceof ArrowType.Timestamp t) || t.getTimezone() == null) {
      return null;
    }
    return new InstantDates(schema.timeZone(), unitsPerDay(t));
  }

  /** Column {@code c}'s epoch day in row {@code row}: {@link #epochDay(FieldVector, int)}, or in the schema's zone. */
  private int epochDay(int c, FieldVector v, int row) {
    InstantDates zoned = instantDates[c];
    return zoned == null ? epochDay(v, row) : zoned.dayOf(((TimeStampVector) v).get(row));
  }

  /** The units of {@code type} in a day. */
  static long unitsPerDay(ArrowType.Timestamp type) {
    return switch (type.getUnit()) {
      case SECOND -> 86_400L;
      case MILLISECOND -> 86_400_000L;
      case MICROSECOND -> 86_400_000_000L;
      case NANOSECOND -> 86_400_000_000_000L;
    };
  }

  /** Whether {@code v} holds timestamps without a time zone (pandas' naive datetimes), read as their dates. */
  static boolean localTimestamp(FieldVector v) {
    return v instanceof TimeStampVector && v.getField().getType() instanceof ArrowType.Timestamp t
        && t.getTimezone() == null;
  }

  /**
   * The epoch day of row {@code row} of a date column: a Date(DAY) as it is; a Date(MILLISECOND) or a
   * timestamp without a time zone, the day its time falls in (rounded down), held far outside the
   * accepted dates when it is.
   */
  static int epochDay(FieldVector v, int row) {
    if (v instanceof DateDayVector d) {
      return d.get(row);
    }
    long value;
    long unitsPerDay;
    if (v instanceof DateMilliVector d) {
      value = d.get(row);
      unitsPerDay = 86_400_000L;
    } else {
      value = ((TimeStampVector) v).get(row);
      unitsPerDay = unitsPerDay((ArrowType.Timestamp) v.getField().getType());
    }
    return dayOf(value, unitsPerDay);
  }

  /**
   * The epoch day a time of {@code time} units since the epoch falls on, {@code unitsPerDay} of them
   * a day (rounded down: a time before 1970 belongs to the day it falls in), held far outside the
   * dates a table accepts when it is (so that the range check refuses the row, instead of an int
   * wrapping it into one). The one rule for the Parquet and Arrow readers.
   */
  static int dayOf(long time, long unitsPerDay) {
    return (int) Math.max(-1_000_000, Math.min(1_000_000, Math.floorDiv(time, unitsPerDay)));
  }

  /** What a column of {@code type} must be in the file, for messages. */
  static String expected(ColumnType type) {
    return switch (type) {
      case STRING -> "Utf8 (or Bool, read as true / false)";
      case DATE -> "Date(DAY) (or a timestamp without a time zone, or with one when a zone is given; or Utf8"
          + " holding dates)";
      case DOUBLE -> "a floating-point, integer or decimal type (or Utf8 holding numbers)";
      case INT -> "an integer type (64-bit or unsigned ones with values in the 32-bit range; or Utf8 holding whole"
          + " numbers)";
      case LONG -> "Int(64) or narrower, or unsigned with values in the 64-bit range (or Utf8 holding whole numbers)";
      case BOOLEAN -> "Bool (or Utf8 holding true / false)";
    };
  }

  @Override
  public boolean next(ColumnBatch batch) throws IOException {
    batch.clear();
    if (skipped == null) {
      skipped = new boolean[vectors.length];
      for (int c = 0; c < vectors.length; c++) {
        // before the first batch is loaded: a Parquet column the file proves valid throughout
        // (not an INT column stored as Int(64): its values have a range to check)
        skipped[c] = batch.isLeftUnread(c) && segmented != null && vectors[c] != null && textFields[c] == null
            && !outOfRangePossible(schema.columns().get(c).type(), vectors[c])
            && segmented.leaveUndecoded(schema.columns().get(c).name());
      }
    }
    for (int c = 0; c < skipped.length; c++) {
      if (skipped[c]) {
        batch.markUnset(c);
      }
    }
    try {
      while (!batch.isFull()) {
        if (rowInArrowBatch == arrowBatchRows) {
          if (segmented != null && batch.size() > 0 && segmented.atSegmentEnd()) {
            break;   // a batch ends where its segment does, however many threads decode them
          }
          if (exhausted || !reader.loadNextBatch()) {
            if (!exhausted) {
              // checked once: a stream read again after its end marker reads past it
              exhausted = true;
              ArrowIpc.requireEndMarker(reader, file, rowsRead - rowsBefore);
            }
            break;
          }
          arrowBatchRows = reader.getVectorSchemaRoot().getRowCount();
          rowInArrowBatch = 0;
          narrowWideText(arrowBatchRows);
          for (int c = 0; c < dictionaries.length; c++) {
            if (dictionaries[c] != null && !skipped[c]) {   // a column left undecoded loads no dictionary
              dictionaries[c].refresh();
            }
          }
          continue;
        }
        int n = Math.min(arrowBatchRows - rowInArrowBatch, batch.capacity() - batch.size());
        if (columnCopy && copyBlock(rowInArrowBatch, n, batch)) {
          for (int k = 0; k < n; k++) {
            batch.commitRow(++rowsRead);
          }
          rowInArrowBatch += n;
          continue;
        }
        // A bad row in the block (or no block copy): the block again, cell by cell, which names
        // the first bad cell of each bad row.
        for (int k = 0; k < n; k++) {
          rowsRead++;
          InputFormatException error = copyRow(rowInArrowBatch++, batch);
          if (error == null) {
            batch.commitRow(rowsRead);
          } else {
            // refused for a value after its id (the first column, copied first): named by its id
            handler.badRow(vectors[0] != null && !skipped[0] ? batch.withRecordIdOfRowAssembled(error) : error);
          }
        }
      }
    } catch (InputFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw unreadable(e);
    }
    return batch.size() > 0;
  }

  /**
   * Copies rows {@code row .. row + n - 1} of the Arrow batch into {@code batch} from its {@link
   * ColumnBatch#size()} on, column by column (the values of a fixed-width column without nulls in
   * one bulk copy), with the checks {@link #copyRow} makes; returns false, leaving the rows not
   * committed, when any of them is bad (the caller then copies the block cell by cell, which
   * reports them). The rows copied are the same values {@link #copyRow} gives.
   */
  private boolean copyBlock(int row, int n, ColumnBatch batch) {
    int slot = batch.size();
    List<TableSchema.Column> columns = schema.columns();
    for (int c = 0; c < columns.size(); c++) {
      if (skipped[c]) {
        continue;
      }
      TableSchema.Column column = columns.get(c);
      FieldVector v = vectors[c];
      if (v == null) {
        if (!column.nullable()) {
          return false;
        }
        switch (column.type()) {
          case STRING -> java.util.Arrays.fill(batch.strings(c), slot, slot + n, "");
          case DATE -> java.util.Arrays.fill(batch.dates(c), slot, slot + n, ColumnBatch.NULL_DATE);
          case DOUBLE -> java.util.Arrays.fill(batch.doubles(c), slot, slot + n, Double.NaN);
          default -> {
            return false;
          }
        }
        continue;
      }
      boolean nulls = v.getNullCount() > 0;
      if (nulls && !column.nullable()) {
        for (int k = 0; k < n; k++) {
          if (v.isNull(row + k)) {
            return false;
          }
        }
      }
      if (textFields[c] != null && dictionaries[c] != null) {
        if (!dictionaries[c].copyParsed(c, column, (BaseIntVector) v, row, n, nulls, batch, slot)) {
          return false;   // the cell path names it
        }
        continue;
      }
      if (textFields[c] != null) {
        for (int k = 0; k < n; k++) {
          if (nulls && v.isNull(row + k)) {
            if (!nullReadsAsMissing(column)) {
              return false;   // the cell path says so
            }
            CsvTableReader.store(batch, c, column.type(), slot + k, CsvTableReader.missingBits(column.type()));
          } else if (parseText(c, column, (VarCharVector) v, row + k, rowsRead + k + 1, batch, slot + k) != null) {
            return false;   // the cell path names it
          }
        }
        continue;
      }
      switch (column.type()) {
        case STRING -> {
          if (v instanceof BitVector flags) {
            String[] strings = batch.strings(c);
            for (int k = 0; k < n; k++) {
              strings[slot + k] = nulls && flags.isNull(row + k) ? "" : flagText(flags, row + k);
            }
            continue;
          }
          DictionaryText dictionary = dictionaries[c];
          if (dictionary != null && batch.keepsTextAsBytes(c)
              && dictionary.copyBytes(c, (BaseIntVector) v, row, n, nulls, batch, slot)) {
            continue;
          }
          if (dictionary != null) {
            if (!dictionary.copyStrings((BaseIntVector) v, row, n, nulls, batch.strings(c), slot)) {
              return false;
            }
            continue;
          }
          if (!nulls && batch.keepsTextAsBytes(c) && copyAsciiBlock(c, (VarCharVector) v, row, n, batch, slot)) {
            continue;
          }
          for (int k = 0; k < n; k++) {
            if (nulls && v.isNull(row + k)) {
              batch.strings(c)[slot + k] = "";
            } else if (copyText(c, (VarCharVector) v, row + k, batch, slot + k) != null) {
              return false;
            }
          }
        }
        case DATE -> {
          int[] days = batch.dates(c);
          if (v instanceof DateDayVector) {
            v.getDataBuffer().nioBuffer((long) row * Integer.BYTES, n * Integer.BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(days, slot, n);
          } else {
            for (int k = 0; k < n; k++) {
              days[slot + k] = nulls && v.isNull(row + k) ? 0 : epochDay(c, v, row + k);
            }
          }
          for (int k = 0; k < n; k++) {
            if (nulls && v.isNull(row + k)) {
              days[slot + k] = ColumnBatch.NULL_DATE;
            } else if (days[slot + k] < -25_567 || days[slot + k] > 84_005) {
              return false;
            }
          }
        }
        case DOUBLE -> {
          double[] values = batch.doubles(c);
          if (v instanceof Float8Vector) {
            v.getDataBuffer().nioBuffer((long) row * Double.BYTES, n * Double.BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values, slot, n);
            if (nulls) {
              for (int k = 0; k < n; k++) {
                if (v.isNull(row + k)) {
                  values[slot + k] = Double.NaN;
                }
              }
            }
          } else {
            for (int k = 0; k < n; k++) {
              values[slot + k] = nulls && v.isNull(row + k) ? Double.NaN : number(v, row + k);
            }
          }
        }
        default -> {
          for (int k = 0; nulls && k < n; k++) {
            if (v.isNull(row + k)) {
              return false;   // INT, LONG and BOOLEAN refuse nulls: the cell path says so
            }
          }
          for (int k = 0; k < n; k++) {
            switch (column.type()) {
              case INT, LONG -> {
                long value = wholeNumber(v, row + k);
                if (rangeProblem(column.type(), v, value) != null) {
                  return false;   // outside the column's range: the cell path says so
                }
                CsvTableReader.store(batch, c, column.type(), slot + k, value);
              }
              case BOOLEAN -> batch.booleans(c)[slot + k] = ((BitVector) v).get(row + k) != 0;
              default -> throw new IllegalStateException(column.type().toString());
            }
          }
        }
      }
    }
    return true;
  }

  /**
   * Copies the text of rows {@code row .. row + n - 1} (none null) into column {@code c} of {@code
   * batch} from {@code slot} on as bytes in one copy, the values being contiguous in the Arrow data
   * buffer; true when they are all plain ASCII without NUL, which {@link #copyText} would also keep
   * as bytes, with the same starts and lengths relative to the copy. False, with nothing kept, when
   * any value is not, is empty where a value is required, or the offsets do not rise: the caller
   * then copies row by row as before.
   */
  private boolean copyAsciiBlock(int c, VarCharVector text, int row, int n, ColumnBatch batch, int slot) {
    if (offsets.length < n + 1) {
      offsets = new int[Math.max(n + 1, 2 * offsets.length)];
    }
    int[] off = offsets;
    text.getOffsetBuffer().nioBuffer((long) row * VarCharVector.OFFSET_WIDTH, (n + 1) * VarCharVector.OFFSET_WIDTH)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(off, 0, n + 1);
    boolean required = !schema.columns().get(c).nullable();
    for (int k = 0; k < n; k++) {
      if (off[k + 1] < off[k] || required && off[k + 1] == off[k]) {
        return false;   // an empty value where one is required: copyText refuses it
      }
    }
    int first = off[0];
    int total = off[n] - first;
    if (first < 0) {
      return false;
    }
    int at = batch.reserveText(c, total);
    byte[] bytes = batch.textBytes(c);
    text.getDataBuffer().getBytes(first, bytes, at, total);
    if (!ColumnBatch.plainAscii(bytes, at, at + total)) {
      batch.releaseText(c, at);
      return false;
    }
    String[] strings = batch.strings(c);
    int[] starts = batch.textStart(c);
    int[] lengths = batch.textLength(c);
    int shift = at - first;
    for (int k = 0; k < n; k++) {
      strings[slot + k] = null;
      starts[slot + k] = off[k] + shift;
      lengths[slot + k] = off[k + 1] - off[k];
    }
    return true;
  }

  /**
   * Copies the non-null text of row {@code row} into column {@code c} of {@code batch} at {@code
   * slot} (as bytes when the batch keeps them and they are plain ASCII, else decoded); returns the
   * problem of a value that is not valid UTF-8 or holds NUL, or is empty in a column that requires
   * a value, else null.
   */
  private String copyText(int c, VarCharVector text, int row, ColumnBatch batch, int slot) {
    int start = text.getOffsetBuffer().getInt((long) row * VarCharVector.OFFSET_WIDTH);
    int length = text.getOffsetBuffer().getInt((long) (row + 1) * VarCharVector.OFFSET_WIDTH) - start;
    if (length == 0 && !schema.columns().get(c).nullable()) {
      return CsvReader.EMPTY;   // as a comma file's empty field
    }
    if (batch.keepsTextAsBytes(c)) {
      // Left as bytes when pure ASCII without NUL (a String of them would be these bytes);
      // anything else is decoded and checked below as usual.
      int at = batch.reserveText(c, length);
      byte[] bytes = batch.textBytes(c);
      text.getDataBuffer().getBytes(start, bytes, at, length);
      if (ColumnBatch.plainAscii(bytes, at, at + length)) {
        batch.strings(c)[slot] = null;
        batch.textStart(c)[slot] = at;
        batch.textLength(c)[slot] = length;
        return null;
      }
    }
    toScratch(text, row);
    String value = texts[c].decode(scratch, length);
    String problem = problemOf(value);
    if (problem == null) {
      batch.strings(c)[slot] = value;
    }
    return problem;
  }

  /** What is wrong with a decoded text value ({@link Utf8Ids#INVALID} or holding NUL), or null. */
  private static String problemOf(String value) {
    if (value == Utf8Ids.INVALID) {
      return "is not valid UTF-8";
    }
    // Arrow allows NUL in text; refused as in CSV, so that an id reads alike in every format.
    if (value.indexOf('\0') >= 0) {
      return TradeRules.quoted(value) + " holds a NUL character; expected text without control bytes";
    }
    return null;
  }

  /**
   * The values of a dictionary-encoded text column's dictionary, each decoded and checked on first
   * use and then handed to every row with its index: one String per distinct value, so the
   * consumers that map ids by identity look each up once per run. A stream may replace a
   * dictionary between record batches; {@link #refresh} starts over when it does.
   */
  private final class DictionaryText {
    private final String column;
    private final boolean nullable;
    private final long id;
    private VarCharVector values;
    private org.apache.arrow.memory.ArrowBuf heldData;
    private org.apache.arrow.memory.ArrowBuf heldOffsets;
    private int size;
    private String[] decoded = new String[0];
    private String[] problems = new String[0];
    /** What was wrong with the last value {@link #text} refused. */
    String problem;
    /** Decodes the values (strictly: invalid UTF-8 is refused). */
    private final Utf8Ids decoder = new Utf8Ids();

    /**
     * For {@link #copyBytes}: the dictionary's bytes and value offsets (relative to the first
     * value), read from the vector in two bulk copies the first time they are needed; per value 1
     * when plain ASCII without NUL (kept as bytes as it is), 2 when not. Null until needed.
     */
    private byte[] bytes;
    private int[] offsets;
    private byte[] ascii;
    /** The indexes of the rows being copied. */
    private int[] rowIndexes = new int[0];
    /**
     * For numbers, dates or flags held as text: per value, whether it has been parsed, its value
     * ({@link #parseBits}) or why it is refused. Parsed on first use, once per dictionary.
     */
    private boolean[] parsed = new boolean[0];
    private long[] parsedBits = new long[0];
    private String[] parseProblems = new String[0];

    DictionaryText(String column, boolean nullable, long id) {
      this.column = column;
      this.nullable = nullable;
      this.id = id;
    }

    /**
     * For a column kept as bytes: copies the dictionary's bytes into the batch once and points
     * rows {@code row .. row + n - 1} at their values, each plain ASCII value as bytes (as {@link
     * #copyText} keeps it), any other as its String; null rows read "". False, with nothing kept,
     * when a row is bad (the cell copy then reports it) or the dictionary is too large for the rows
     * to be worth copying whole.
     */
    boolean copyBytes(int c, BaseIntVector indexes, int row, int n, boolean nulls, ColumnBatch batch, int slot) {
      // the size from the vector's first and last offsets, before anything is copied
      int total = values.getOffsetBuffer().getInt((long) size * VarCharVector.OFFSET_WIDTH)
          - values.getOffsetBuffer().getInt(0);
      if (total > Math.max(1 << 16, 64L * n) || bytes == null && !loadBytes()) {
        return false;
      }
      int[] at = indexesOf(indexes, row, n);
      int base = batch.reserveText(c, total);
      System.arraycopy(bytes, 0, batch.textBytes(c), base, total);
      String[] strings = batch.strings(c);
      int[] starts = batch.textStart(c);
      int[] lengths = batch.textLength(c);
      for (int k = 0; k < n; k++) {
        if (nulls && indexes.isNull(row + k)) {
          strings[slot + k] = "";
          continue;
        }
        int i = at[k];
        if (i < 0 || i >= size) {
          batch.releaseText(c, base);
          return false;
        }
        if (ascii[i] == 1) {
          strings[slot + k] = null;
          starts[slot + k] = base + offsets[i];
          lengths[slot + k] = offsets[i + 1] - offsets[i];
        } else {
          String value = text(indexes, row + k);
          if (value == null) {
            batch.releaseText(c, base);
            return false;
          }
          strings[slot + k] = value;
        }
      }
      return true;
    }

    /**
     * For a column of numbers, dates or flags held as text: rows {@code row .. row + n - 1} as
     * their values read by the CSV reader's rules ({@link #parseBits}), each distinct value parsed
     * once; a null row is missing (refused where a value is required). False at a bad row, with
     * {@link #problem} saying why.
     */
    boolean copyParsed(int c, TableSchema.Column column, BaseIntVector indexes, int row, int n, boolean nulls,
        ColumnBatch batch, int slot) {
      int[] at = indexesOf(indexes, row, n);
      for (int k = 0; k < n; k++) {
        if (nulls && indexes.isNull(row + k)) {
          if (!nullReadsAsMissing(column)) {
            return false;   // the cell path says so (a null row is seen there before this is called)
          }
          CsvTableReader.store(batch, c, column.type(), slot + k, CsvTableReader.missingBits(column.type()));
          continue;
        }
        int i = at[k];
        if (i < 0 || i >= size) {
          problem = "holds dictionary index " + indexes.getValueAsLong(row + k) + "; the dictionary has " + size
              + " values";
          return false;
        }
        if (!parsed[i]) {
          // the value's bytes as a plain text column's are read (a null value as a null row)
          if (values.isNull(i)) {
            if (nullReadsAsMissing(column)) {
              parsedBits[i] = CsvTableReader.missingBits(column.type());
            } else {
              parseProblems[i] = "is null; a value is required";
            }
          } else {
            try {
              // the length first: toScratch may replace the scratch array with a larger one
              int length = toScratch(values, i);
              parsedBits[i] = parseBits(textFields[c], column, scratch, length, 0);
            } catch (InputFormatException e) {
              parseProblems[i] = e.problem();
            }
          }
          parsed[i] = true;
        }
        if (parseProblems[i] != null) {
          problem = parseProblems[i];
          return false;
        }
        CsvTableReader.store(batch, c, column.type(), slot + k, parsedBits[i]);
      }
      return true;
    }

    /** Rows {@code row .. row + n - 1} as their values' Strings into {@code strings}; false at a bad row. */
    boolean copyStrings(BaseIntVector indexes, int row, int n, boolean nulls, String[] strings, int slot) {
      int[] at = indexesOf(indexes, row, n);
      for (int k = 0; k < n; k++) {
        if (nulls && indexes.isNull(row + k)) {
          strings[slot + k] = "";
          continue;
        }
        int i = at[k];
        String value = i >= 0 && i < size ? decoded[i] : null;
        if (value == null) {
          value = text(indexes, row + k);
          if (value == null) {
            return false;
          }
        }
        strings[slot + k] = value;
      }
      return true;
    }

    /** The indexes of rows {@code row .. row + n - 1} (-1 for one outside an int), read in bulk from an Int(32) vector. */
    private int[] indexesOf(BaseIntVector indexes, int row, int n) {
      if (rowIndexes.length < n) {
        rowIndexes = new int[Math.max(n, 2 * rowIndexes.length)];
      }
      int[] at = rowIndexes;
      if (indexes instanceof IntVector ints) {
        ints.getDataBuffer().nioBuffer((long) row * Integer.BYTES, n * Integer.BYTES)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(at, 0, n);
      } else {
        for (int k = 0; k < n; k++) {
          long index = indexes.getValueAsLong(row + k);
          at[k] = index < 0 || index > Integer.MAX_VALUE ? -1 : (int) index;
        }
      }
      return at;
    }

    /** Reads the dictionary's bytes, offsets and ASCII marks; false when its offsets do not rise. */
    private boolean loadBytes() {
      int[] off = new int[size + 1];
      values.getOffsetBuffer().nioBuffer(0, (size + 1) * VarCharVector.OFFSET_WIDTH)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(off, 0, size + 1);
      int first = off[0];
      for (int i = 0; i <= size; i++) {
        off[i] -= first;
        if (off[i] < 0 || i > 0 && off[i] < off[i - 1]) {
          return false;
        }
      }
      byte[] data = new byte[off[size]];
      values.getDataBuffer().getBytes(first, data, 0, data.length);
      byte[] marks = new byte[size];
      boolean allPlain = values.getNullCount() == 0;
      for (int b = 0; allPlain && b < data.length; b++) {
        allPlain = data[b] > 0;
      }
      if (allPlain) {
        java.util.Arrays.fill(marks, (byte) 1);   // the usual case: one pass over the bytes
      } else {
        for (int i = 0; i < size; i++) {
          boolean plain = !values.isNull(i);
          for (int b = off[i]; plain && b < off[i + 1]; b++) {
            plain = data[b] > 0;
          }
          marks[i] = plain ? (byte) 1 : (byte) 2;
        }
      }
      for (int i = 0; !nullable && i < size; i++) {
        if (off[i + 1] == off[i]) {
          marks[i] = 2;   // an empty value where one is required: text() refuses it
        }
      }
      offsets = off;
      bytes = data;
      ascii = marks;
      return true;
    }

    /** Takes the reader's current dictionary (after a batch is loaded), decoding nothing yet. */
    void refresh() {
      org.apache.arrow.vector.dictionary.Dictionary d = reader.lookup(id);
      FieldVector v = d == null ? null : d.getVector();
      if (!(v instanceof VarCharVector text)) {
        throw new InputFormatException(file, 0, column, d == null ? "names dictionary " + id + ", which the file does not hold"
            : "is dictionary-encoded with values of Arrow type " + v.getField().getType() + "; expected Utf8");
      }
      // a stream's replacement dictionary is loaded into the same vector, with new buffers
      if (text != values || text.getValueCount() != size || text.getDataBuffer() != heldData
          || text.getOffsetBuffer() != heldOffsets) {
        values = text;
        heldData = text.getDataBuffer();
        heldOffsets = text.getOffsetBuffer();
        size = text.getValueCount();
        decoded = new String[size];
        problems = new String[size];
        parsed = new boolean[size];
        parsedBits = new long[size];
        parseProblems = new String[size];
        bytes = null;
        offsets = null;
        ascii = null;
      }
    }

    /**
     * The text of row {@code row} (not null) of the index vector, or null with {@link #problem}
     * saying why (an index outside the dictionary; a null value in a required column, an
     * undecodable or NUL-holding value). A null value of a nullable column reads as "", as a null
     * row does.
     */
    String text(BaseIntVector indexes, int row) {
      long index = indexes.getValueAsLong(row);
      if (index < 0 || index >= size) {
        problem = "holds dictionary index " + index + "; the dictionary has " + size + " values";
        return null;
      }
      int i = (int) index;
      String value = decoded[i];
      if (value != null) {
        return value;
      }
      if (problems[i] == null) {
        if (values.isNull(i)) {
          if (nullable) {
            decoded[i] = "";   // as a null row of a plain text column
            return "";
          }
          problems[i] = "is null; a value is required";
        } else {
          int length = toScratch(values, i);
          value = decoder.decode(scratch, length);
          problems[i] = length == 0 && !nullable ? CsvReader.EMPTY : problemOf(value);
          if (problems[i] == null) {
            decoded[i] = value;
            return value;
          }
        }
      }
      problem = problems[i];
      return null;
    }
  }

  private InputFormatException copyRow(int row, ColumnBatch batch) {
    int slot = batch.size();
    List<TableSchema.Column> columns = schema.columns();
    for (int c = 0; c < columns.size(); c++) {
      if (skipped[c]) {
        continue;
      }
      TableSchema.Column column = columns.get(c);
      FieldVector v = vectors[c];
      if (v == null || v.isNull(row)) {
        if (!column.nullable()) {
          return new InputFormatException(file, rowsRead, column.name(), "is null; a value is required");
        }
        switch (column.type()) {
          case STRING -> batch.strings(c)[slot] = "";
          case DATE -> batch.dates(c)[slot] = ColumnBatch.NULL_DATE;
          case DOUBLE -> batch.doubles(c)[slot] = Double.NaN;
          default -> {
            return new InputFormatException(file, rowsRead, column.name(), "is null; a value is required");
          }
        }
        continue;
      }
      if (textFields[c] != null && dictionaries[c] != null) {
        if (!dictionaries[c].copyParsed(c, column, (BaseIntVector) v, row, 1, false, batch, slot)) {
          return new InputFormatException(file, rowsRead, column.name(), dictionaries[c].problem);
        }
        continue;
      }
      if (textFields[c] != null) {
        InputFormatException error = parseText(c, column, (VarCharVector) v, row, rowsRead, batch, slot);
        if (error != null) {
          return error;
        }
        continue;
      }
      switch (column.type()) {
        case STRING -> {
          if (v instanceof BitVector flags) {
            batch.strings(c)[slot] = flagText(flags, row);
            continue;
          }
          DictionaryText dictionary = dictionaries[c];
          if (dictionary != null) {
            String value = dictionary.text((BaseIntVector) v, row);
            if (value == null) {
              return new InputFormatException(file, rowsRead, column.name(), dictionary.problem);
            }
            batch.strings(c)[slot] = value;
            continue;
          }
          String problem = copyText(c, (VarCharVector) v, row, batch, slot);
          if (problem != null) {
            return new InputFormatException(file, rowsRead, column.name(), problem);
          }
        }
        case DATE -> {
          int day = epochDay(c, v, row);
          if (day < -25_567 || day > 84_005) {
            return new InputFormatException(file, rowsRead, column.name(),
                "epoch day " + day + " is outside 1900-01-01 to 2199-12-31");
          }
          batch.dates(c)[slot] = day;
        }
        case DOUBLE -> batch.doubles(c)[slot] = number(v, row);
        case INT, LONG -> {
          long value = wholeNumber(v, row);
          String problem = rangeProblem(column.type(), v, value);
          if (problem != null) {
            return new InputFormatException(file, rowsRead, column.name(), problem);
          }
          CsvTableReader.store(batch, c, column.type(), slot, value);
        }
        case BOOLEAN -> batch.booleans(c)[slot] = ((BitVector) v).get(row) != 0;
        default -> throw new IllegalStateException(column.type().toString());
      }
    }
    return null;
  }

  /**
   * The first column of numbers, dates or flags the file holds as text (read by the CSV reader's
   * rules), or null: for callers that would have another reader read the file, whose casts of text
   * follow other rules.
   */
  String firstColumnHeldAsText() {
    for (int c = 0; c < textFields.length; c++) {
      if (textFields[c] != null) {
        return schema.columns().get(c).name();
      }
    }
    return null;
  }

  /**
   * Reads row {@code row}'s value (not null) of column {@code c}, a column of numbers, dates or
   * flags held as text ({@link #textFields}), into the batch's slot as a comma file's field of the
   * column's type is read: the CSV reader's rules, an empty value as an empty field (missing, or
   * refused in a column that requires a value); the refusal, naming data row {@code rowNumber},
   * or null.
   */
  private InputFormatException parseText(int c, TableSchema.Column column, VarCharVector v, int row, long rowNumber,
      ColumnBatch batch, int slot) {
    int length = toScratch(v, row);
    try {
      CsvTableReader.store(batch, c, column.type(), slot, parseBits(textFields[c], column, scratch, length, rowNumber));
      return null;
    } catch (InputFormatException e) {
      return e;
    }
  }

  /** Copies value {@code i} (not null) of {@code text} into {@link #scratch}, grown as needed; returns its length. */
  private int toScratch(VarCharVector text, int i) {
    int start = text.getOffsetBuffer().getInt((long) i * VarCharVector.OFFSET_WIDTH);
    int length = text.getOffsetBuffer().getInt((long) (i + 1) * VarCharVector.OFFSET_WIDTH) - start;
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, 2 * scratch.length)];
    }
    text.getDataBuffer().getBytes(start, scratch, 0, length);
    return length;
  }

  /**
   * {@code bytes[0 .. length)} read as a comma file's field of the column's type is, by the CSV
   * reader's rule ({@link CsvTableReader#fieldBits}), naming data row {@code rowNumber}.
   */
  private long parseBits(CsvReader field, TableSchema.Column column, byte[] bytes, int length, long rowNumber) {
    field.setField(bytes, length, rowNumber);
    return CsvTableReader.fieldBits(field, 0, column, schema.timeZone());
  }

  /**
   * Whether a null of {@code column} reads as missing ("" for text, no date, NaN) rather than
   * refusing its row: nullable text, date and number columns.
   */
  private static boolean nullReadsAsMissing(TableSchema.Column column) {
    return column.nullable() && (column.type() == ColumnType.STRING || column.type() == ColumnType.DATE
        || column.type() == ColumnType.DOUBLE);
  }

  /**
   * The problem of whole number {@code value} ({@link #wholeNumber}) of {@code v} in a column of
   * {@code type} (INT or LONG) when it is outside the column's range, else null.
   */
  private static String rangeProblem(ColumnType type, FieldVector v, long value) {
    boolean beyondLong = v instanceof UInt8Vector && value < 0;
    if (beyondLong || type == ColumnType.INT && (int) value != value) {
      return (v instanceof UInt8Vector ? Long.toUnsignedString(value) : Long.toString(value))
          + " is not a whole number in the " + (type == ColumnType.INT ? "32-bit" : "64-bit") + " range";
    }
    return null;
  }

  /**
   * A Bool value of a text column as the text a CSV holds for it ({@code true} or {@code false}):
   * a yes/no column such as the exposures' {@code trade_maturity_exemption} is text in the layout,
   * and a Bool in the files of DuckDB, Spark and pandas.
   */
  private static String flagText(BitVector flags, int row) {
    return flags.get(row) != 0 ? "true" : "false";
  }

  private static double number(FieldVector v, int row) {
    if (v instanceof Float8Vector f) {
      return f.get(row);
    }
    if (v instanceof Float4Vector f) {
      return f.get(row);
    }
    if (v instanceof UInt8Vector u) {
      // the unsigned value rounded once, as a CSV's digits are: halved with its last bit kept
      // (which decides a tie), converted, doubled
      long bits = u.get(row);
      return bits >= 0 ? bits : ((double) ((bits >>> 1) | (bits & 1))) * 2;
    }
    if (v instanceof BaseIntVector) {
      return wholeNumber(v, row);
    }
    if (v instanceof DecimalVector d) {
      // 16-byte little-endian two's complement; up to 18 digits the low 8 bytes hold it all
      int scale = d.getScale();
      return d.getPrecision() <= 18 ? Decimals.toDouble(d.getDataBuffer().getLong((long) row * DecimalVector.TYPE_WIDTH), scale)
          : Decimals.toDouble(d.getObjectNotNull(row).unscaledValue(), scale);
    }
    return Decimals.toDouble(((Decimal256Vector) v).getObjectNotNull(row).unscaledValue(),
        ((Decimal256Vector) v).getScale());
  }

  /** Whether the vector holds unsigned integers (Arrow's UInt1 to UInt8). */
  private static boolean unsigned(FieldVector v) {
    return v instanceof UInt1Vector || v instanceof UInt2Vector || v instanceof UInt4Vector || v instanceof UInt8Vector;
  }

  /**
   * Whether a column of {@code type} stored in {@code v} has values whose range must be checked (a
   * whole-number column stored in 64 bits or unsigned), so that it is never left undecoded.
   */
  private static boolean outOfRangePossible(ColumnType type, FieldVector v) {
    return (type == ColumnType.INT || type == ColumnType.LONG) && (v instanceof BigIntVector || unsigned(v));
  }

  /**
   * Row {@code row}'s value of an integer vector as a long: a signed one's value, an unsigned one's
   * (UInt1 to UInt4), a UInt8's bits (negative for one beyond 2^63 - 1).
   */
  private static long wholeNumber(FieldVector v, int row) {
    if (v instanceof IntVector i) {
      return i.get(row);   // the usual case, without the interface call
    }
    if (v instanceof BigIntVector big) {
      return big.get(row);
    }
    if (v instanceof UInt8Vector u) {
      return u.get(row);
    }
    return ((BaseIntVector) v).getValueAsLong(row);   // 8- and 16-bit, signed; UInt1 to UInt4, unsigned
  }

  /**
   * How many segments of whole row groups the file is read in (a Parquet file read by {@link
   * ParquetBatchReader}), each decodable apart ({@link #seekSegment}); -1 for other files.
   */
  int segments() {
    return segmented != null ? segmented.segments() : -1;
  }

  /**
   * Restricts reading to segment {@code s} of a file with {@link #segments()}: {@link #next}
   * returns its rows, numbered as in the whole file, and then false. The batches are those a
   * reader of the whole file returns for the segment.
   */
  void seekSegment(int s) {
    seekSegments(s, s + 1);
  }

  /** As {@link #seekSegment}, for the consecutive segments {@code [first, end)}. */
  void seekSegments(int first, int end) {
    segmented.seekSegments(first, end);
    rowInArrowBatch = 0;
    arrowBatchRows = 0;
    exhausted = false;
    rowsRead = rowsBefore + segmented.segmentStart(first);
  }

  /**
   * Numbers this file's rows on from {@code rows} (the rows of the part files before it, {@link
   * PartFiles}); called before the first {@link #next}.
   */
  void startAtRow(long rows) {
    rowsBefore = rows;
    rowsRead = rows;
  }

  @Override
  public long rowsRead() {
    return rowsRead;
  }

  @Override
  public void close() throws IOException {
    try {
      if (wideText != null) {
        for (int c = 0; c < wideText.length; c++) {
          if (wideText[c] != null) {
            vectors[c].close();
          }
        }
      }
      reader.close();
    } finally {
      closeQuietly(source);
      allocator.close();
    }
  }
}

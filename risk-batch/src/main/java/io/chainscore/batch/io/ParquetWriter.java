package io.chainscore.batch.io;

import static io.chainscore.batch.io.ParquetColumn.PLAIN;
import static io.chainscore.batch.io.ParquetColumn.RLE;
import static io.chainscore.batch.io.ParquetColumn.RLE_DICTIONARY;
import static io.chainscore.batch.io.ParquetLayout.BOOLEAN;
import static io.chainscore.batch.io.ParquetLayout.BYTE_ARRAY;
import static io.chainscore.batch.io.ParquetLayout.DOUBLE;
import static io.chainscore.batch.io.ParquetLayout.INT32;
import static io.chainscore.batch.io.ParquetLayout.INT64;

import io.airlift.compress.snappy.SnappyCompressor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Writes the record batches of an Arrow reader as one Parquet file, in Java: each batch is a row
 * group with one data page (version 1) per column, compressed with Snappy; nullable columns are
 * OPTIONAL with RLE definition levels. Values are PLAIN, except a column other than booleans whose
 * row group repeats its values (at most half of them distinct, at most 1 MB of distinct values:
 * ids such as the invoices' supplier_id, dates, amounts that are mostly zero), which gets a
 * dictionary page and RLE_DICTIONARY indexes, with page encoding statistics saying so: readers
 * then decode each distinct id once, and a date takes its index's 10 or 11 bits instead of 4
 * bytes to decompress. That is what Arrow's, pyarrow's, Spark's and DuckDB's writers do by default
 * (a dictionary for every column, falling back to PLAIN when it grows too large), so the files
 * read like theirs. Strings carry the
 * STRING logical type and dates the DATE type, so DuckDB, pyarrow and Spark read them as such.
 *
 * <p>Why not Arrow's dataset writer (C++ over JNI), which wrote the tables until 2026-12-03: its
 * native threads could call back into the JVM while it exited, and the process then hung after
 * the output was complete (two of about forty runs of {@code chainscore features} on the benchmark
 * machine on 2026-12-03: the JVM's exit ran the native library's destructors, which waited for a
 * worker thread of Arrow's, which waited to attach to the exiting JVM). This writer has no native code and no threads.
 *
 * <p>The columns are those {@link ArrowTableWriter#arrowType} gives: UTF-8 strings, dates in days,
 * doubles, 32- and 64-bit integers and booleans. The same batches give the same bytes.
 *
 * <p>Thread safety: stateless; each call writes its own file.
 */
final class ParquetWriter {
  private static final byte[] MAGIC = {'P', 'A', 'R', '1'};
  // Parquet's enums (parquet.thrift) that the reader does not name already
  private static final int REQUIRED = 0;
  private static final int OPTIONAL = 1;
  private static final int CONVERTED_UTF8 = 0;
  private static final int CONVERTED_DATE = 6;
  private static final int DATA_PAGE = 0;
  private static final int DICTIONARY_PAGE = 2;

  private ParquetWriter() {}

  /** Writes every batch of {@code reader} to {@code out} as a Parquet file; the caller closes both. */
  static void write(ArrowReader reader, OutputStream out) throws IOException {
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    List<Field> fields = root.getSchema().getFields();
    int[] physical = new int[fields.size()];
    for (int c = 0; c < physical.length; c++) {
      physical[c] = physicalType(root.getVector(c));
    }
    Counting file = new Counting(out);
    file.write(MAGIC);
    List<byte[]> rowGroups = new ArrayList<>();
    long totalRows = 0;
    Snappy snappy = new Snappy();
    ByteSink page = new ByteSink();
    while (reader.loadNextBatch()) {
      int rows = root.getRowCount();
      if (rows == 0) {
        continue;
      }
      Thrift group = new Thrift();
      group.listHeader(1, ThriftCompact.STRUCT, physical.length); // RowGroup.columns
      long groupBytes = 0;
      long groupCompressed = 0;
      long groupOffset = file.count;
      for (int c = 0; c < physical.length; c++) {
        FieldVector vector = root.getVector(c);
        boolean optional = fields.get(c).isNullable();
        Dictionary dictionary = physical[c] == BYTE_ARRAY ? Dictionary.of((VarCharVector) vector, rows)
            : physical[c] == BOOLEAN ? null : Dictionary.ofFixed(vector, physical[c], rows);
        long dictionaryOffset = file.count;
        long[] sizes = {0, 0};
        if (dictionary != null) {
          page.reset();
          dictionary.writeValues(page);
          writePage(file, snappy, page, DICTIONARY_PAGE, dictionary.size, PLAIN, sizes);
        }
        page.reset();
        if (optional) {
          writeLevels(vector, rows, page);
        }
        if (dictionary != null) {
          dictionary.writeIndexes(page);
        } else {
          writeValues(vector, physical[c], rows, page);
        }
        long dataOffset = file.count;
        writePage(file, snappy, page, DATA_PAGE, rows, dictionary != null ? RLE_DICTIONARY : PLAIN, sizes);
        groupBytes += sizes[0];
        groupCompressed += sizes[1];
        group.beginElement(); // ColumnChunk
        group.i64(2, dictionary != null ? dictionaryOffset : dataOffset); // file_offset
        group.beginStruct(3); // ColumnMetaData
        group.i32(1, physical[c]);
        int[] encodings = dictionary != null ? new int[] {PLAIN, RLE, RLE_DICTIONARY} : new int[] {PLAIN, RLE};
        group.listHeader(2, ThriftCompact.I32, encodings.length);
        for (int e : encodings) {
          group.varint(Thrift.zigzag(e));
        }
        group.listHeader(3, ThriftCompact.BINARY, 1);
        group.binary(fields.get(c).getName().getBytes(StandardCharsets.UTF_8));
        group.i32(4, ParquetLayout.SNAPPY);
        group.i64(5, rows);
        group.i64(6, sizes[0]);
        group.i64(7, sizes[1]);
        group.i64(9, dataOffset); // data_page_offset
        if (dictionary != null) {
          group.i64(11, dictionaryOffset);
        }
        // page encoding statistics: readers learn that every data page is dictionary-encoded
        group.listHeader(13, ThriftCompact.STRUCT, dictionary != null ? 2 : 1);
        if (dictionary != null) {
          group.beginElement();
          group.i32(1, DICTIONARY_PAGE);
          group.i32(2, PLAIN);
          group.i32(3, 1);
          group.endElement();
        }
        group.beginElement();
        group.i32(1, DATA_PAGE);
        group.i32(2, dictionary != null ? RLE_DICTIONARY : PLAIN);
        group.i32(3, 1);
        group.endElement();
        group.endStruct();
        group.endElement();
      }
      group.i64(2, groupBytes);
      group.i64(3, rows);
      group.i64(5, groupOffset);
      group.i64(6, groupCompressed);
      group.stop();
      rowGroups.add(Arrays.copyOf(group.bytes, group.size));
      totalRows += rows;
    }
    Thrift meta = new Thrift();
    meta.i32(1, 1); // version
    meta.listHeader(2, ThriftCompact.STRUCT, fields.size() + 1);
    meta.beginElement(); // the root
    meta.binaryField(4, "schema");
    meta.i32(5, fields.size());
    meta.endElement();
    for (int c = 0; c < fields.size(); c++) {
      Field f = fields.get(c);
      meta.beginElement();
      meta.i32(1, physical[c]);
      meta.i32(3, f.isNullable() ? OPTIONAL : REQUIRED);
      meta.binaryField(4, f.getName());
      FieldVector vector = root.getVector(c);
      if (vector instanceof VarCharVector) {
        meta.i32(6, CONVERTED_UTF8);
        meta.beginStruct(10); // LogicalType union: STRING
        meta.beginStruct(1);
        meta.endStruct();
        meta.endStruct();
      } else if (vector instanceof DateDayVector) {
        meta.i32(6, CONVERTED_DATE);
        meta.beginStruct(10); // LogicalType union: DATE
        meta.beginStruct(6);
        meta.endStruct();
        meta.endStruct();
      }
      meta.endElement();
    }
    meta.i64(3, totalRows);
    meta.listHeader(4, ThriftCompact.STRUCT, rowGroups.size());
    for (byte[] g : rowGroups) {
      meta.raw(g);
    }
    meta.binaryField(6, "chainscore");
    meta.stop();
    file.write(meta.bytes, 0, meta.size);
    byte[] length = new byte[4];
    for (int i = 0; i < 4; i++) {
      length[i] = (byte) (meta.size >>> (8 * i));
    }
    file.write(length);
    file.write(MAGIC);
  }

  private static int physicalType(FieldVector v) {
    if (v instanceof VarCharVector) {
      return BYTE_ARRAY;
    } else if (v instanceof DateDayVector || v instanceof IntVector) {
      return INT32;
    } else if (v instanceof BigIntVector) {
      return INT64;
    } else if (v instanceof Float8Vector) {
      return DOUBLE;
    } else if (v instanceof BitVector) {
      return BOOLEAN;
    }
    throw new IllegalArgumentException("no Parquet type for the Arrow column " + v.getField());
  }

  /** Writes a compressed page with its header, adding its sizes (header included) to {@code sizes}. */
  private static void writePage(Counting file, Snappy snappy, ByteSink page, int type, int values, int encoding,
      long[] sizes) throws IOException {
    int compressedLength = snappy.compress(page);
    Thrift header = new Thrift();
    header.i32(1, type);
    header.i32(2, page.size);
    header.i32(3, compressedLength);
    if (type == DATA_PAGE) {
      header.beginStruct(5); // DataPageHeader
      header.i32(1, values);
      header.i32(2, encoding);
      header.i32(3, RLE);
      header.i32(4, RLE);
      header.endStruct();
    } else {
      header.beginStruct(7); // DictionaryPageHeader
      header.i32(1, values);
      header.i32(2, encoding);
      header.endStruct();
    }
    header.stop();
    file.write(header.bytes, 0, header.size);
    file.write(snappy.out, 0, compressedLength);
    sizes[0] += header.size + (long) page.size;
    sizes[1] += header.size + (long) compressedLength;
  }

  /** Definition levels (1 present, 0 null), hybrid-encoded with bit width 1 after their 4-byte length. */
  private static void writeLevels(FieldVector vector, int rows, ByteSink page) {
    int[] levels = new int[rows];
    for (int r = 0; r < rows; r++) {
      levels[r] = vector.isNull(r) ? 0 : 1;
    }
    int lengthAt = page.size;
    page.int32(0);
    int start = page.size;
    writeHybrid(page, levels, rows, 1);
    page.putInt32At(lengthAt, page.size - start);
  }

  /** The non-null values, PLAIN-encoded. */
  private static void writeValues(FieldVector vector, int physical, int rows, ByteSink page) {
    switch (physical) {
      case BYTE_ARRAY -> {
        VarCharVector v = (VarCharVector) vector;
        ArrowBuf offsets = v.getOffsetBuffer();
        ArrowBuf data = v.getDataBuffer();
        for (int r = 0; r < rows; r++) {
          if (v.isNull(r)) {
            continue;
          }
          int from = offsets.getInt((long) r * 4);
          int length = offsets.getInt((long) (r + 1) * 4) - from;
          page.int32(length);
          page.ensure(length);
          data.getBytes(from, page.bytes, page.size, length);
          page.size += length;
        }
      }
      case INT32 -> {
        for (int r = 0; r < rows; r++) {
          if (!vector.isNull(r)) {
            page.int32(vector instanceof DateDayVector d ? d.get(r) : ((IntVector) vector).get(r));
          }
        }
      }
      case INT64 -> {
        BigIntVector v = (BigIntVector) vector;
        for (int r = 0; r < rows; r++) {
          if (!v.isNull(r)) {
            page.int64(v.get(r));
          }
        }
      }
      case DOUBLE -> {
        Float8Vector v = (Float8Vector) vector;
        for (int r = 0; r < rows; r++) {
          if (!v.isNull(r)) {
            page.int64(Double.doubleToRawLongBits(v.get(r)));
          }
        }
      }
      case BOOLEAN -> {
        // bit-packed, least significant bit first
        BitVector v = (BitVector) vector;
        int bit = 0;
        int current = 0;
        for (int r = 0; r < rows; r++) {
          if (v.isNull(r)) {
            continue;
          }
          current |= v.get(r) << bit;
          if (++bit == 8) {
            page.byte1(current);
            bit = 0;
            current = 0;
          }
        }
        if (bit > 0) {
          page.byte1(current);
        }
      }
      default -> throw new IllegalStateException();
    }
  }

  /** Snappy compression of pages into a reused buffer. */
  private static final class Snappy {
    private final SnappyCompressor compressor = new SnappyCompressor();
    byte[] out = new byte[0];

    /** Compresses the page into {@link #out}; returns the compressed length. */
    int compress(ByteSink page) {
      int max = compressor.maxCompressedLength(page.size);
      if (out.length < max) {
        out = new byte[max];
      }
      return compressor.compress(page.bytes, 0, page.size, out, 0, max);
    }
  }

  /**
   * A column's distinct values in the order they first occur, and each non-null row's index among
   * them: what a row group's dictionary page and its RLE_DICTIONARY data page hold. Text values are
   * told apart by their bytes, numbers by their bits (so 0.0 and -0.0 are two values, as PLAIN
   * keeps them).
   */
  static final class Dictionary {
    /** Above this many bytes of distinct values the column is written PLAIN (as Arrow's writer does, 1 MB). */
    private static final int MAX_BYTES = 1 << 20;
    /**
     * When the first this many non-null values are more than three quarters distinct the column is
     * written PLAIN without looking further: the ids and measures that are nearly all distinct are
     * given up after 4,096 values instead of half the row group (a date's first 4,096 values hold
     * at most its range's few hundred days).
     */
    private static final int PROBE = 4_096;
    /** Text: the bytes the values are in, and each value's start and length; else null. */
    private final byte[] data;
    private final int[] start;
    private final int[] length;
    /** Numbers: each value's bits (an INT32 sign-extended, a DOUBLE's raw bits), and their width in bytes; else null. */
    private final long[] numbers;
    private final int width;
    final int size;
    private final int[] indexes;
    private final int count;

    private Dictionary(byte[] data, int[] start, int[] length, long[] numbers, int width, int size, int[] indexes,
        int count) {
      this.data = data;
      this.start = start;
      this.length = length;
      this.numbers = numbers;
      this.width = width;
      this.size = size;
      this.indexes = indexes;
      this.count = count;
    }

    /**
     * The dictionary of the first {@code rows} values of {@code v}, or null when it would not pay:
     * more than half the non-null values distinct (ids), or more than {@link #MAX_BYTES} of them.
     */
    static Dictionary of(VarCharVector v, int rows) {
      int[] offsets = new int[rows + 1];
      ArrowBuf offsetBuffer = v.getOffsetBuffer();
      for (int r = 0; r <= rows; r++) {
        offsets[r] = offsetBuffer.getInt((long) r * 4);
      }
      byte[] data = new byte[offsets[rows] - offsets[0]];
      v.getDataBuffer().getBytes(offsets[0], data, 0, data.length);
      int base = offsets[0];
      int[] slots = new int[Integer.highestOneBit(Math.max(rows, 1)) << 2];
      int mask = slots.length - 1;
      int[] start = new int[16];
      int[] length = new int[16];
      int[] indexes = new int[rows];
      int size = 0;
      int count = 0;
      long bytes = 0;
      for (int r = 0; r < rows; r++) {
        if (v.isNull(r)) {
          continue;
        }
        int from = offsets[r] - base;
        int len = offsets[r + 1] - offsets[r];
        int h = 0;
        for (int i = from; i < from + len; i++) {
          h = 31 * h + data[i];
        }
        int slot = (h ^ (h >>> 16)) * 0x9E3779B1 & mask;
        int entry;
        while ((entry = slots[slot]) != 0
            && !Arrays.equals(data, start[entry - 1], start[entry - 1] + length[entry - 1], data, from, from + len)) {
          slot = (slot + 1) & mask;
        }
        if (entry == 0) {
          if ((size + 1) * 2 > rows || bytes + 4 + len > MAX_BYTES) {
            return null; // already more distinct values than a dictionary pays for (below)
          }
          if (size == start.length) {
            start = Arrays.copyOf(start, size * 2);
            length = Arrays.copyOf(length, size * 2);
          }
          start[size] = from;
          length[size] = len;
          entry = ++size;
          slots[slot] = entry;
          bytes += 4 + len;
        }
        indexes[count++] = entry - 1;
        if (givenUp(count, size)) {
          return null;
        }
      }
      if (count == 0 || size * 2 > count || bytes > MAX_BYTES) {
        return null;
      }
      return new Dictionary(data, start, length, null, 0, size, indexes, count);
    }

    /**
     * As {@link #of(VarCharVector, int)} for a column of numbers or dates of Parquet type {@code
     * physical} (INT32, INT64 or DOUBLE).
     */
    static Dictionary ofFixed(FieldVector v, int physical, int rows) {
      int width = physical == INT32 ? 4 : 8;
      int[] slots = new int[Integer.highestOneBit(Math.max(rows, 1)) << 2];
      int mask = slots.length - 1;
      long[] numbers = new long[16];
      int[] indexes = new int[rows];
      int size = 0;
      int count = 0;
      for (int r = 0; r < rows; r++) {
        if (v.isNull(r)) {
          continue;
        }
        long bits = switch (physical) {
          case INT32 -> v instanceof DateDayVector d ? d.get(r) : ((IntVector) v).get(r);
          case INT64 -> ((BigIntVector) v).get(r);
          default -> Double.doubleToRawLongBits(((Float8Vector) v).get(r));
        };
        long h = bits * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ (h >>> 32)) & mask;
        int entry;
        while ((entry = slots[slot]) != 0 && numbers[entry - 1] != bits) {
          slot = (slot + 1) & mask;
        }
        if (entry == 0) {
          if ((size + 1) * 2 > rows || (long) (size + 1) * width > MAX_BYTES) {
            return null; // already more distinct values than a dictionary pays for (below)
          }
          if (size == numbers.length) {
            numbers = Arrays.copyOf(numbers, size * 2);
          }
          numbers[size] = bits;
          entry = ++size;
          slots[slot] = entry;
        }
        indexes[count++] = entry - 1;
        if (givenUp(count, size)) {
          return null;
        }
      }
      if (count == 0 || size * 2 > count) {
        return null;
      }
      return new Dictionary(null, null, null, numbers, width, size, indexes, count);
    }

    /**
     * Whether, {@code count} non-null values in with {@code size} of them distinct, the column is
     * written PLAIN without looking further ({@link #PROBE}): ids and measures, nearly every value
     * distinct so far.
     */
    private static boolean givenUp(int count, int size) {
      return count == PROBE && size * 4 > PROBE * 3;
    }

    /** The dictionary page's values, PLAIN. */
    void writeValues(ByteSink page) {
      for (int e = 0; e < size; e++) {
        if (numbers != null) {
          if (width == 4) {
            page.int32((int) numbers[e]);
          } else {
            page.int64(numbers[e]);
          }
          continue;
        }
        page.int32(length[e]);
        page.ensure(length[e]);
        System.arraycopy(data, start[e], page.bytes, page.size, length[e]);
        page.size += length[e];
      }
    }

    /** The data page's values: the indexes' bit width, then the indexes ({@link #writeHybrid}). */
    void writeIndexes(ByteSink page) {
      int width = Math.max(1, 32 - Integer.numberOfLeadingZeros(size - 1));
      page.byte1(width);
      writeHybrid(page, indexes, count, width);
    }
  }

  /**
   * {@code values[0, count)} in Parquet's RLE / bit-packed hybrid of bit width {@code width}: a run
   * of 8 or more equal values as one RLE run, others bit-packed 8 at a time, least significant bit
   * first, at most 63 groups per run (the last group padded with zeros: the page's value count
   * tells readers where the values end).
   */
  static void writeHybrid(ByteSink page, int[] values, int count, int width) {
    int widthBytes = (width + 7) / 8;
    int i = 0;
    int packedFrom = 0; // the first value of the pending bit-packed groups
    while (i < count) {
      int run = 1;
      while (i + run < count && values[i + run] == values[i]) {
        run++;
      }
      if (run >= 8 && (i - packedFrom) % 8 == 0) {
        writePacked(page, values, packedFrom, i, width);
        page.varint((long) run << 1);
        for (int b = 0; b < widthBytes; b++) {
          page.byte1(values[i] >>> (8 * b));
        }
        i += run;
        packedFrom = i;
      } else {
        i++;
      }
    }
    writePacked(page, values, packedFrom, count, width);
  }

  private static void writePacked(ByteSink page, int[] values, int from, int to, int width) {
    while (from < to) {
      int groups = Math.min(63, (to - from + 7) / 8);
      page.varint(((long) groups << 1) | 1);
      long buffer = 0;
      int bits = 0;
      for (int k = 0; k < groups * 8; k++) {
        int value = from + k < to ? values[from + k] : 0;
        buffer |= (long) value << bits;
        bits += width;
        while (bits >= 8) {
          page.byte1((int) buffer);
          buffer >>>= 8;
          bits -= 8;
        }
      }
      from += groups * 8;
    }
  }

  /** A growable little-endian byte buffer. */
  static class ByteSink {
    byte[] bytes = new byte[1 << 16];
    int size;

    void reset() {
      size = 0;
    }

    void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    void byte1(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    void int32(int v) {
      ensure(4);
      putInt32At(size, v);
      size += 4;
    }

    void putInt32At(int at, int v) {
      bytes[at] = (byte) v;
      bytes[at + 1] = (byte) (v >>> 8);
      bytes[at + 2] = (byte) (v >>> 16);
      bytes[at + 3] = (byte) (v >>> 24);
    }

    void int64(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        bytes[size + i] = (byte) (v >>> (8 * i));
      }
      size += 8;
    }

    void varint(long v) {
      while ((v & ~0x7FL) != 0) {
        byte1((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      byte1((int) v);
    }
  }

  /**
   * Thrift's compact protocol, written: field headers with id deltas, zigzag varints, lists and
   * nested structs (each struct keeps its own last field id). The reading side is {@link
   * ThriftCompact}.
   */
  static final class Thrift extends ByteSink {
    private final int[] lastIds = new int[16];
    private int depth;

    static long zigzag(long v) {
      return (v << 1) ^ (v >> 63);
    }

    private void fieldHeader(int id, int type) {
      int delta = id - lastIds[depth];
      if (delta > 0 && delta <= 15) {
        byte1((delta << 4) | type);
      } else {
        byte1(type);
        varint(zigzag(id));
      }
      lastIds[depth] = id;
    }

    void i32(int id, int v) {
      fieldHeader(id, ThriftCompact.I32);
      varint(zigzag(v));
    }

    void i64(int id, long v) {
      fieldHeader(id, ThriftCompact.I64);
      varint(zigzag(v));
    }

    void binaryField(int id, String s) {
      fieldHeader(id, ThriftCompact.BINARY);
      binary(s.getBytes(StandardCharsets.UTF_8));
    }

    void binary(byte[] b) {
      varint(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, bytes, size, b.length);
      size += b.length;
    }

    void raw(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, bytes, size, b.length);
      size += b.length;
    }

    /** A list field's header; its elements follow (structs between {@link #beginElement} and {@link #endElement}). */
    void listHeader(int id, int elementType, int count) {
      fieldHeader(id, ThriftCompact.LIST);
      if (count < 15) {
        byte1((count << 4) | elementType);
      } else {
        byte1(0xF0 | elementType);
        varint(count);
      }
    }

    void beginStruct(int id) {
      fieldHeader(id, ThriftCompact.STRUCT);
      lastIds[++depth] = 0;
    }

    void endStruct() {
      byte1(0);
      depth--;
    }

    /** Starts a struct that is a list element (its field ids start from 0). */
    void beginElement() {
      lastIds[++depth] = 0;
    }

    void endElement() {
      byte1(0);
      depth--;
    }

    /** Ends the top-level struct. */
    void stop() {
      byte1(0);
    }
  }

  /** Counts the bytes written, for the offsets the footer records. */
  private static final class Counting {
    private final OutputStream out;
    long count;

    Counting(OutputStream out) {
      this.out = out;
    }

    void write(byte[] b) throws IOException {
      write(b, 0, b.length);
    }

    void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}

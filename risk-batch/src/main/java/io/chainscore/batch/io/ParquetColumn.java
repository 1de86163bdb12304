package io.chainscore.batch.io;

import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One flat column of a Parquet file, read page by page through all its row groups: each page is
 * read from the file when the rows before it are used up, decompressed and decoded, so what this
 * holds at any time is one page (and the chunk's dictionary), whatever the file's size.
 *
 * <p>Decodes data pages v1 and v2, dictionary pages, and the encodings PLAIN, PLAIN_DICTIONARY and
 * RLE_DICTIONARY, RLE (levels and booleans), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
 * DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT; codecs UNCOMPRESSED, SNAPPY, GZIP, ZSTD and LZ4_RAW
 * ({@link #decodes} says whether a chunk uses only those).
 *
 * <p>Thread safety: not thread-safe; one reader thread.
 */
final class ParquetColumn {
  static final int PLAIN = 0;
  static final int PLAIN_DICTIONARY = 2;
  static final int RLE = 3;
  private static final int DELTA_BINARY_PACKED = 5;
  private static final int DELTA_LENGTH_BYTE_ARRAY = 6;
  private static final int DELTA_BYTE_ARRAY = 7;
  static final int RLE_DICTIONARY = 8;
  private static final int BYTE_STREAM_SPLIT = 9;
  /** The deprecated encoding of levels; see {@link #decodes}. */
  private static final int BIT_PACKED = 4;
  private static final int HEADER_WINDOW = 4096;
  /**
   * Bounds on one page, so that a damaged or hostile header cannot make the reader allocate
   * without limit: writers cut pages of about 1 MB and 20,000 rows (parquet-java, Arrow) to a few
   * hundred thousand rows (DuckDB); the bounds are far above those.
   */
  static final int MAX_PAGE_BYTES = 1 << 28;
  static final int MAX_PAGE_ROWS = 1 << 25;
  private static final long MAX_DELTA_BLOCK = 1 << 16;

  private final FileChannel channel;
  private final ParquetLayout layout;
  private final int leafIndex;
  private final ParquetLayout.Leaf leaf;
  /** The Arrow width of a fixed-width value: 1, 2, 4 or 8 bytes; 0 for booleans and text. */
  private final int arrowWidth;
  /** The dates of this column's instants in the reader's zone, or null when it is not read so. */
  private final InstantDates instantDates;

  private int group = -1;
  private long position;
  private long chunkEnd;
  private long rowsLeftInGroup;
  private int codec;

  // made on first use: a reader opens a column per segment run (the Spark job's tasks open many),
  // and a zstd decompressor's tables cost more to make than a snappy file's reading needs
  private SnappyDecompressor snappy;
  private ZstdDecompressor zstd;
  private Lz4Decompressor lz4;

  private byte[] head = new byte[HEADER_WINDOW];
  private byte[] raw;
  private byte[] page;
  /** Where raw and page came from and go back to when closed; null: made here. */
  private final ParquetBuffers buffers;
  private int[] levels = new int[1024];

  // the chunk's dictionary: values of a fixed-width type as longs, text as bytes and offsets
  private int dictionarySize = -1;
  private long[] dictionaryLongs = new long[0];
  private byte[] dictionaryBytes = new byte[0];
  private int[] dictionaryOffsets = new int[1];
  /** Dictionary pages read so far: which dictionary the current one is. */
  private int dictionaryVersion;
  /** The current dictionary as an Arrow vector ({@link #copyIndexes}), built for dictionary {@code vectorVersion}. */
  private VarCharVector dictionaryVector;
  private int vectorVersion = -1;
  /** The last batch's own dictionary ({@link #copyIndexes} on plain pages), freed at the next batch. */
  private VarCharVector batchDictionary;
  private int[] stageIndexes = new int[0];

  // the current page: its rows, whether each is defined, and its defined values
  private int pageRows;
  private int rowInPage;
  private int valueInPage;
  private boolean allDefined;
  private byte[] defined = new byte[1024];
  private long[] longs = new long[1024];
  /** Text values: by dictionary index ({@code textByIndex}), else as bytes and offsets. */
  private boolean textByIndex;
  private int[] indices = new int[1024];
  private byte[] textBytes = new byte[1 << 16];
  private int[] textOffsets = new int[1025];

  // the rows of the batch being filled, before they go to the Arrow vector in bulk
  private long[] stageLongs = new long[0];
  private byte[] stageValid = new byte[0];
  private int[] stageOffsets = new int[0];
  private byte[] stageText = new byte[1 << 16];
  private int stageTextLength;
  private byte[] stageBytes = new byte[0];

  ParquetColumn(FileChannel channel, ParquetLayout layout, int leafIndex, int arrowWidth) {
    this(channel, layout, leafIndex, arrowWidth, null);
  }

  /**
   * A column read as {@link #ParquetColumn(FileChannel, ParquetLayout, int, int)} does, except that
   * when it holds instants ({@link ParquetLayout.Leaf#instant}) and {@code zone} is not null, each
   * value becomes the epoch day it falls on in {@code zone} (the caller hands it on as Date(DAY)).
   */
  ParquetColumn(FileChannel channel, ParquetLayout layout, int leafIndex, int arrowWidth, java.time.ZoneId zone) {
    this(channel, layout, leafIndex, arrowWidth, zone, null);
  }

  /** As {@link #ParquetColumn(FileChannel, ParquetLayout, int, int, java.time.ZoneId)}, its page buffers from {@code buffers} (null: its own). */
  ParquetColumn(FileChannel channel, ParquetLayout layout, int leafIndex, int arrowWidth, java.time.ZoneId zone,
      ParquetBuffers buffers) {
    this.buffers = buffers;
    this.raw = buffers == null ? new byte[1 << 16] : buffers.take(1 << 16);
    this.page = buffers == null ? new byte[1 << 16] : buffers.take(1 << 16);
    this.channel = channel;
    this.layout = layout;
    this.leafIndex = leafIndex;
    this.leaf = layout.leaves.get(leafIndex);
    this.arrowWidth = arrowWidth;
    this.instantDates = zone != null && leaf.instant() ? new InstantDates(zone, leaf.unitsPerDay()) : null;
  }

  /** Whether every chunk of column {@code leaf} uses only codecs and encodings this class decodes. */
  static boolean decodes(ParquetLayout layout, int leaf) {
    // parquet-mr (Spark, Hive) lists BIT_PACKED among a chunk's encodings for the repetition levels
    // of every flat column, which are never written (their maximum is 0), and for the definition
    // levels of a required one (none written either): such a column is decoded here. Definition
    // levels really written BIT_PACKED (writers before 2014) are refused page by page, naming the
    // file and column (readDataV1).
    boolean flat = layout.leaves.get(leaf).flat();
    // the physical types this reader decodes each delta and split encoding for (decodeValues): others
    // (DELTA_BYTE_ARRAY over FIXED_LEN_BYTE_ARRAY decimals, as parquet-mr's v2 writer makes them)
    // go to Arrow's reader, as they were refused here as corrupt
    int physical = layout.leaves.get(leaf).physicalType();
    boolean bytes = physical == ParquetLayout.BYTE_ARRAY;
    boolean integers = physical == ParquetLayout.INT32 || physical == ParquetLayout.INT64;
    boolean splittable = integers || physical == ParquetLayout.FLOAT || physical == ParquetLayout.DOUBLE;
    for (ParquetLayout.RowGroup g : layout.rowGroups) {
      ParquetLayout.Chunk c = g.chunks()[leaf];
      int codec = c.codec();
      if (codec != ParquetLayout.UNCOMPRESSED && codec != ParquetLayout.SNAPPY && codec != ParquetLayout.GZIP
          && codec != ParquetLayout.ZSTD && codec != ParquetLayout.LZ4_RAW) {
        return false;
      }
      for (int e : c.encodings()) {
        if (e != PLAIN && e != PLAIN_DICTIONARY && e != RLE && !(e == DELTA_BINARY_PACKED && integers)
            && !((e == DELTA_LENGTH_BYTE_ARRAY || e == DELTA_BYTE_ARRAY) && bytes) && e != RLE_DICTIONARY
            && !(e == BYTE_STREAM_SPLIT && splittable) && !(e == BIT_PACKED && flat)) {
          return false;   // anything newer goes to Arrow's reader
        }
      }
    }
    return true;
  }

  /**
   * Sets {@code vector} (freshly reset) to the next {@code n} rows of this column: the rows are
   * gathered from as many pages as they span into this column's Java arrays, then handed to the
   * vector's buffers: fixed-width values written to its memory in one pass, validity bits and text
   * in bulk copies.
   */
  void copy(FieldVector vector, int n) throws IOException {
    stageLongs = ensure(stageLongs, n);
    boolean text = vector instanceof VarCharVector;
    beginStage(n, text);
    int done = 0;
    while (done < n) {
      if (rowInPage == pageRows) {
        nextPage();
        continue;
      }
      int k = Math.min(n - done, pageRows - rowInPage);
      if (text) {
        stageText(done, k);
      } else {
        stageValues(done, k);
      }
      rowInPage += k;
      done += k;
    }
    vector.getValidityBuffer().setBytes(0, stageValid, 0, (n + 7) / 8);
    if (text) {
      setText((VarCharVector) vector, stageText, stageOffsets, n);
    } else if (arrowWidth == 0) {
      stageBytes = ensure(stageBytes, (n + 7) / 8);
      Arrays.fill(stageBytes, 0, (n + 7) / 8, (byte) 0);
      for (int r = 0; r < n; r++) {
        stageBytes[r >>> 3] |= (byte) ((stageLongs[r] & 1) << (r & 7));
      }
      vector.getDataBuffer().setBytes(0, stageBytes, 0, (n + 7) / 8);
    } else {
      // straight into the vector's memory, one pass (Arrow's buffers are little-endian, as is
      // every platform Arrow Java runs on: MemoryUtil.LITTLE_ENDIAN), instead of into a byte
      // array first and copied from there
      long address = address(vector.getDataBuffer(), (long) n * arrowWidth);
      switch (arrowWidth) {
        case 8 -> {
          for (int r = 0; r < n; r++) {
            MemoryUtil.putLong(address + 8L * r, stageLongs[r]);
          }
        }
        case 4 -> {
          for (int r = 0; r < n; r++) {
            MemoryUtil.putInt(address + 4L * r, (int) stageLongs[r]);
          }
        }
        case 2 -> {
          for (int r = 0; r < n; r++) {
            MemoryUtil.putShort(address + 2L * r, (short) stageLongs[r]);
          }
        }
        default -> {
          for (int r = 0; r < n; r++) {
            MemoryUtil.putByte(address + r, (byte) stageLongs[r]);
          }
        }
      }
    }
  }

  /**
   * The address of {@code buffer}'s memory, which must hold at least {@code bytes} bytes: checked
   * once here, where ArrowBuf's own setters check every access.
   */
  private static long address(ArrowBuf buffer, long bytes) {
    if (buffer.capacity() < bytes || !MemoryUtil.LITTLE_ENDIAN) {
      throw new IllegalStateException("a vector buffer of " + buffer.capacity() + " bytes for " + bytes
          + (MemoryUtil.LITTLE_ENDIAN ? "" : " on a big-endian platform"));
    }
    return buffer.memoryAddress();
  }

  /** Writes {@code values[0 .. count)} to {@code buffer} as little-endian ints, in one pass. */
  private static void putInts(ArrowBuf buffer, int[] values, int count) {
    long address = address(buffer, 4L * count);
    for (int i = 0; i < count; i++) {
      MemoryUtil.putInt(address + 4L * i, values[i]);
    }
  }

  /**
   * Sets {@code indexes} (freshly reset) to the next {@code n} rows of this text column as indexes
   * into the vector returned, and returns it: the chunk's dictionary, one vector for all the
   * batches of a chunk, while the rows come from its dictionary-encoded pages, so that a reader
   * decodes each distinct value once per chunk, not once per row; else (a plain page among them)
   * a dictionary of the batch's own values, one per row. The rows must lie in one row group (one
   * chunk, one dictionary). The vectors stay this column's: valid until the next call or {@link
   * #close}.
   */
  VarCharVector copyIndexes(IntVector indexes, int n, BufferAllocator allocator) throws IOException {
    stageIndexes = ensure(stageIndexes, n);
    beginStage(n, true);
    boolean own = false;   // the batch's own values, after a plain page
    int done = 0;
    while (done < n) {
      if (rowInPage == pageRows) {
        nextPage();
        continue;
      }
      int k = Math.min(n - done, pageRows - rowInPage);
      if (!own && !textByIndex) {
        // the rows staged so far as text too, from the dictionary they index (still this chunk's)
        for (int row = 0; row < done; row++) {
          if ((stageValid[row >>> 3] & (1 << (row & 7))) != 0) {
            appendStaged(dictionaryBytes, dictionaryOffsets[stageIndexes[row]],
                dictionaryOffsets[stageIndexes[row] + 1] - dictionaryOffsets[stageIndexes[row]]);
          }
          stageOffsets[row + 1] = stageTextLength;
        }
        own = true;
      }
      if (own) {
        stageText(done, k);
      } else {
        for (int r = 0; r < k; r++) {
          int row = done + r;
          if (allDefined || defined[rowInPage + r] != 0) {
            stageIndexes[row] = indices[valueInPage++];
            stageValid[row >>> 3] |= (byte) (1 << (row & 7));
          } else {
            stageIndexes[row] = 0;
          }
        }
      }
      rowInPage += k;
      done += k;
    }
    if (batchDictionary != null) {
      batchDictionary.close();
      batchDictionary = null;
    }
    VarCharVector values;
    if (own) {
      for (int row = 0; row < n; row++) {
        stageIndexes[row] = row;
      }
      batchDictionary = textVector(allocator, stageText, stageOffsets, n);
      values = batchDictionary;
    } else {
      if (vectorVersion != dictionaryVersion) {
        if (dictionaryVector != null) {
          dictionaryVector.close();
        }
        dictionaryVector = textVector(allocator, dictionaryBytes, dictionaryOffsets, Math.max(0, dictionarySize));
        vectorVersion = dictionaryVersion;
      }
      values = dictionaryVector;
    }
    indexes.getValidityBuffer().setBytes(0, stageValid, 0, (n + 7) / 8);
    putInts(indexes.getDataBuffer(), stageIndexes, n);
    return values;
  }

  /** Empties the staging of {@code n} rows: all invalid, and for text no bytes yet. */
  private void beginStage(int n, boolean text) {
    stageValid = ensure(stageValid, (n + 7) / 8);
    Arrays.fill(stageValid, 0, (n + 7) / 8, (byte) 0);
    if (text) {
      stageOffsets = ensure(stageOffsets, n + 1);
      stageOffsets[0] = 0;
      stageTextLength = 0;
    }
  }

  /** A text vector of {@code count} values, all set, value i at {@code bytes[offsets[i] .. offsets[i + 1])}. */
  private VarCharVector textVector(BufferAllocator allocator, byte[] bytes, int[] offsets, int count) {
    VarCharVector v = new VarCharVector(leaf.name(), allocator);
    v.setInitialCapacity(Math.max(1, count), Math.max(1.0, (double) offsets[count] / Math.max(1, count)));
    v.allocateNew();
    setText(v, bytes, offsets, count);
    byte[] valid = new byte[(count + 7) / 8];
    Arrays.fill(valid, (byte) 0xff);
    v.getValidityBuffer().setBytes(0, valid, 0, valid.length);
    v.setValueCount(count);
    return v;
  }

  /** Sets the data and offsets of the first {@code count} values of {@code v} (validity aside) in two bulk copies. */
  private void setText(VarCharVector v, byte[] bytes, int[] offsets, int count) {
    while (v.getDataBuffer().capacity() < offsets[count]) {
      v.reallocDataBuffer();
    }
    v.getDataBuffer().setBytes(0, bytes, 0, offsets[count]);
    putInts(v.getOffsetBuffer(), offsets, count + 1);
    v.setLastSet(count - 1);
  }

  /**
   * Makes row group {@code g}'s first row the next row read: the page held is dropped and the
   * group's chunk is read from its start (its dictionary page first) when rows are next asked for.
   */
  void seekGroup(int g) {
    group = g - 1;
    position = 0;
    chunkEnd = 0;
    rowsLeftInGroup = 0;
    pageRows = 0;
    rowInPage = 0;
    valueInPage = 0;
  }

  /** Frees the dictionary vectors {@link #copyIndexes} made, and gives the page buffers back to where they came from. */
  void close() {
    if (buffers != null && raw.length > 0) {
      // textBytes may be page (plain text packed in place): this column reads neither again
      buffers.give(raw);
      buffers.give(page);
      raw = new byte[0];
      page = new byte[0];
    }
    if (dictionaryVector != null) {
      dictionaryVector.close();
      dictionaryVector = null;
    }
    if (batchDictionary != null) {
      batchDictionary.close();
      batchDictionary = null;
    }
  }

  /** Appends {@code length} bytes to the staged text. */
  private void appendStaged(byte[] from, int start, int length) {
    if (stageText.length - stageTextLength < length) {
      stageText = Arrays.copyOf(stageText, Math.max(stageTextLength + length, 2 * stageText.length));
    }
    System.arraycopy(from, start, stageText, stageTextLength, length);
    stageTextLength += length;
  }

  /** Stages {@code k} rows of a fixed-width or boolean page from staged row {@code at} on. */
  private void stageValues(int at, int k) {
    if (allDefined) {
      System.arraycopy(longs, valueInPage, stageLongs, at, k);
      valueInPage += k;
      setValid(at, k);
      return;
    }
    for (int r = 0; r < k; r++) {
      int row = at + r;
      if (defined[rowInPage + r] != 0) {
        stageLongs[row] = longs[valueInPage++];
        stageValid[row >>> 3] |= (byte) (1 << (row & 7));
      } else {
        stageLongs[row] = 0;
      }
    }
  }

  /** Stages {@code k} rows of a text page: their bytes one after another and their end offsets. */
  private void stageText(int at, int k) {
    if (allDefined && !textByIndex) {
      // a plain page without nulls holds the rows' values one after another: one copy for all
      int v = valueInPage;
      int from = textOffsets[v];
      int shift = stageTextLength - from;
      appendStaged(textBytes, from, textOffsets[v + k] - from);
      for (int r = 0; r < k; r++) {
        stageOffsets[at + r + 1] = textOffsets[v + r + 1] + shift;
      }
      valueInPage += k;
      setValid(at, k);
      return;
    }
    for (int r = 0; r < k; r++) {
      int row = at + r;
      if (allDefined || defined[rowInPage + r] != 0) {
        int v = valueInPage++;
        byte[] from;
        int start;
        int length;
        if (textByIndex) {
          int d = indices[v];
          from = dictionaryBytes;
          start = dictionaryOffsets[d];
          length = dictionaryOffsets[d + 1] - start;
        } else {
          from = textBytes;
          start = textOffsets[v];
          length = textOffsets[v + 1] - start;
        }
        appendStaged(from, start, length);
        stageValid[row >>> 3] |= (byte) (1 << (row & 7));
      }
      stageOffsets[row + 1] = stageTextLength;
    }
  }

  private void setValid(int at, int k) {
    int row = at;
    int end = at + k;
    while (row < end && (row & 7) != 0) {
      stageValid[row >>> 3] |= (byte) (1 << (row & 7));
      row++;
    }
    while (row + 8 <= end) {
      stageValid[row >>> 3] = (byte) 0xff;
      row += 8;
    }
    while (row < end) {
      stageValid[row >>> 3] |= (byte) (1 << (row & 7));
      row++;
    }
  }

  /** Reads and decodes the next data page, moving to the next row group's chunk when this one ends. */
  private void nextPage() throws IOException {
    while (true) {
      if (group < 0 || position >= chunkEnd) {
        if (rowsLeftInGroup != 0 && group >= 0) {
          throw fault("its pages hold " + rowsLeftInGroup + " fewer rows than the row group");
        }
        group++;
        if (group >= layout.rowGroups.size()) {
          throw fault("has fewer rows than the file's row groups declare");
        }
        ParquetLayout.RowGroup g = layout.rowGroups.get(group);
        ParquetLayout.Chunk chunk = g.chunks()[leafIndex];
        position = chunk.start();
        chunkEnd = chunk.start() + chunk.length();
        rowsLeftInGroup = g.rows();
        codec = chunk.codec();
        dictionarySize = -1;
        continue;
      }
      ThriftCompact.Struct header = readHeader();
      int type = header.getInt(1, -1);
      int uncompressed = header.getInt(2, -1);
      int compressed = header.getInt(3, -1);
      checkPageSizes(compressed, uncompressed);
      raw = room(raw, compressed);
      ParquetLayout.readFully(channel, ByteBuffer.wrap(raw, 0, compressed), position);
      position += compressed;
      switch (type) {
        case 2 -> readDictionary(header.getStruct(7), compressed, uncompressed);
        case 0 -> {
          readDataV1(header.getStruct(5), compressed, uncompressed);
          return;
        }
        case 3 -> {
          readDataV2(header.getStruct(8), compressed, uncompressed);
          return;
        }
        default -> { } // index pages and unknown kinds: skipped, as the format allows
      }
    }
  }

  private ThriftCompact.Struct readHeader() throws IOException {
    int window = (int) Math.min(HEADER_WINDOW, chunkEnd - position);
    while (true) {
      head = ensure(head, window);
      ParquetLayout.readFully(channel, ByteBuffer.wrap(head, 0, window), position);
      try {
        ThriftCompact t = new ThriftCompact(head, 0, window);
        ThriftCompact.Struct header = t.readStruct();
        position += t.position();
        return header;
      } catch (ThriftCompact.Truncated e) {
        if (window >= chunkEnd - position) {
          throw fault("a page header runs past the end of its column chunk");
        }
        window = (int) Math.min(4L * window, chunkEnd - position);
      } catch (RuntimeException e) {
        throw fault("a page header cannot be decoded (" + e.getMessage() + ")");
      }
    }
  }

  /**
   * The smallest and largest value (bytes compared unsigned) of the dictionary of row group {@code
   * g}'s chunk of this text column, from the chunk's first page alone, which must be its dictionary
   * page: {@code {min, max}}, or an empty array when the dictionary holds no value; null when the
   * chunk's first page is not a dictionary page. Moves this column's reading position: for a column
   * made for this alone.
   */
  byte[][] dictionaryBounds(int g) throws IOException {
    if (leaf.physicalType() != ParquetLayout.BYTE_ARRAY) {
      throw new IllegalStateException("not a text column");
    }
    ParquetLayout.Chunk chunk = layout.rowGroups.get(g).chunks()[leafIndex];
    group = g;
    position = chunk.start();
    chunkEnd = chunk.start() + chunk.length();
    codec = chunk.codec();
    rowsLeftInGroup = 0;
    ThriftCompact.Struct header = readHeader();
    int type = header.getInt(1, -1);
    int uncompressed = header.getInt(2, -1);
    int compressed = header.getInt(3, -1);
    checkPageSizes(compressed, uncompressed);
    if (type != 2) {
      return null;
    }
    raw = room(raw, compressed);
    ParquetLayout.readFully(channel, ByteBuffer.wrap(raw, 0, compressed), position);
    position += compressed;
    readDictionary(header.getStruct(7), compressed, uncompressed);
    if (dictionarySize <= 0) {
      return new byte[0][];
    }
    int min = 0;
    int max = 0;
    for (int d = 1; d < dictionarySize; d++) {
      if (compareEntries(d, min) < 0) {
        min = d;
      }
      if (compareEntries(d, max) > 0) {
        max = d;
      }
    }
    return new byte[][] {
        java.util.Arrays.copyOfRange(dictionaryBytes, dictionaryOffsets[min], dictionaryOffsets[min + 1]),
        java.util.Arrays.copyOfRange(dictionaryBytes, dictionaryOffsets[max], dictionaryOffsets[max + 1])};
  }

  /** Refuses a page header whose sizes leave the column chunk or exceed the largest page read. */
  private void checkPageSizes(int compressed, int uncompressed) throws IOException {
    if (uncompressed < 0 || compressed < 0 || compressed > chunkEnd - position || uncompressed > MAX_PAGE_BYTES) {
      throw fault("a page header gives sizes " + compressed + " / " + uncompressed + " beyond its column chunk"
          + (uncompressed > MAX_PAGE_BYTES ? " or the largest page read (" + MAX_PAGE_BYTES + " bytes)" : ""));
    }
  }

  private int compareEntries(int a, int b) {
    return java.util.Arrays.compareUnsigned(dictionaryBytes, dictionaryOffsets[a], dictionaryOffsets[a + 1],
        dictionaryBytes, dictionaryOffsets[b], dictionaryOffsets[b + 1]);
  }

  private void readDictionary(ThriftCompact.Struct h, int compressed, int uncompressed) throws IOException {
    if (h == null) {
      throw fault("a dictionary page has no dictionary header");
    }
    int count = h.getInt(1, -1);
    int encoding = h.getInt(2, PLAIN);
    // every value takes a byte at least (a text value its 4-byte length)
    if (count < 0 || count > uncompressed || (encoding != PLAIN && encoding != PLAIN_DICTIONARY)) {
      throw fault("a dictionary page with " + count + " values in encoding " + encoding);
    }
    int length = decompress(raw, 0, compressed, uncompressed, 0);
    if (leaf.physicalType() == ParquetLayout.BYTE_ARRAY) {
      dictionaryOffsets = ensure(dictionaryOffsets, count + 1);
      int end = plainText(page, 0, length, count, dictionaryOffsets);
      dictionaryBytes = ensure(dictionaryBytes, end);
      // plainText left the values packed at the front of page; keep them
      System.arraycopy(page, 0, dictionaryBytes, 0, end);
    } else {
      dictionaryLongs = ensure(dictionaryLongs, count);
      plainFixed(page, 0, length, count, dictionaryLongs);
      convertIntegers(dictionaryLongs, count);
    }
    dictionarySize = count;
    dictionaryVersion++;
  }

  private void readDataV1(ThriftCompact.Struct h, int compressed, int uncompressed) throws IOException {
    if (h == null) {
      throw fault("a data page has no data page header");
    }
    int rows = h.getInt(1, -1);
    int encoding = h.getInt(2, -1);
    startPage(rows);
    int length = decompress(raw, 0, compressed, uncompressed, 0);
    int at = 0;
    int values = rows;
    if (leaf.maxDefinition() > 0) {
      if (h.getInt(3, RLE) != RLE) {
        throw fault("definition levels in encoding " + h.getInt(3, -1) + "; expected RLE");
      }
      int size = int32(page, at, length);
      at += 4;
      if (size < 0 || size > length - at) {
        throw fault("definition levels of " + size + " bytes in a page of " + length);
      }
      values = definitionLevels(page, at, at + size, rows);
      at += size;
    }
    decodeValues(encoding, page, at, length, values);
  }

  private void readDataV2(ThriftCompact.Struct h, int compressed, int uncompressed) throws IOException {
    if (h == null) {
      throw fault("a data page v2 has no header");
    }
    int rows = h.getInt(1, -1);
    int nulls = h.getInt(2, 0);
    int encoding = h.getInt(4, -1);
    int definitionBytes = h.getInt(5, 0);
    int repetitionBytes = h.getInt(6, 0);
    boolean isCompressed = h.getBoolean(7, true);
    startPage(rows);
    int levelBytes = definitionBytes + repetitionBytes;
    if (definitionBytes < 0 || repetitionBytes != 0 || levelBytes > compressed) {
      throw fault("a data page v2 with level sections of " + repetitionBytes + " and " + definitionBytes + " bytes");
    }
    // the levels are never compressed; the values are unless the header says otherwise
    page = ensure(page, Math.max(uncompressed, levelBytes));
    System.arraycopy(raw, 0, page, 0, levelBytes);
    int length = isCompressed
        ? levelBytes + decompress(raw, levelBytes, compressed - levelBytes, uncompressed - levelBytes, levelBytes)
        : copyInto(levelBytes, compressed - levelBytes);
    int values = rows - nulls;
    if (leaf.maxDefinition() > 0) {
      values = definitionLevels(page, 0, definitionBytes, rows);
    } else if (nulls != 0) {
      throw fault("a required column's page counts " + nulls + " nulls");
    }
    decodeValues(encoding, page, levelBytes, length, values);
  }

  private int copyInto(int offset, int length) {
    page = ensure(page, offset + length);
    System.arraycopy(raw, offset, page, offset, length);
    return offset + length;
  }

  private void startPage(int rows) {
    if (rows < 0 || rows > rowsLeftInGroup || rows > MAX_PAGE_ROWS) {
      throw fault("a page of " + rows + " rows where its row group has " + rowsLeftInGroup + " left");
    }
    rowsLeftInGroup -= rows;
    pageRows = rows;
    rowInPage = 0;
    valueInPage = 0;
    allDefined = true;
    textByIndex = false;
  }

  /** Reads the page's definition levels (bit width 1) into {@link #defined}; returns the defined count. */
  private int definitionLevels(byte[] in, int from, int to, int rows) {
    levels = ensure(levels, rows);
    hybrid(in, from, to, 1, levels, rows);
    defined = ensure(defined, rows);
    int count = 0;
    for (int i = 0; i < rows; i++) {
      int d = levels[i];
      if (d > 1) {
        throw fault("definition level " + d + " in a flat column");
      }
      defined[i] = (byte) d;
      count += d;
    }
    allDefined = count == rows;
    return count;
  }

  private void decodeValues(int encoding, byte[] in, int from, int to, int count) {
    longs = ensure(longs, count);
    boolean text = leaf.physicalType() == ParquetLayout.BYTE_ARRAY;
    switch (encoding) {
      case PLAIN -> {
        if (text) {
          textOffsets = ensure(textOffsets, count + 1);
          plainText(in, from, to, count, textOffsets);
          textBytes = in;   // plainText packed the values at the front of in
        } else {
          plainFixed(in, from, to, count, longs);
        }
      }
      case PLAIN_DICTIONARY, RLE_DICTIONARY -> {
        if (dictionarySize < 0) {
          throw fault("a dictionary-encoded page without a dictionary page");
        }
        indices = ensure(indices, count);
        if (count > 0) {
          if (from >= to) {
            throw fault("dictionary indices missing");
          }
          int width = in[from] & 0xff;
          if (width > 32) {
            throw fault("dictionary index bit width " + width);
          }
          hybrid(in, from + 1, to, width, indices, count);
        }
        for (int i = 0; i < count; i++) {
          if (indices[i] < 0 || indices[i] >= dictionarySize) {
            throw fault("dictionary index " + indices[i] + " of a dictionary of " + dictionarySize);
          }
        }
        if (text) {
          textByIndex = true;
        } else {
          for (int i = 0; i < count; i++) {
            longs[i] = dictionaryLongs[indices[i]];
          }
        }
      }
      case RLE -> {
        if (leaf.physicalType() != ParquetLayout.BOOLEAN) {
          throw fault("RLE values outside a boolean column");
        }
        int size = int32(in, from, to);
        levels = ensure(levels, count);
        hybrid(in, from + 4, Math.min(to, from + 4 + size), 1, levels, count);
        for (int i = 0; i < count; i++) {
          longs[i] = levels[i];
        }
      }
      case DELTA_BINARY_PACKED -> {
        int type = leaf.physicalType();
        if (type != ParquetLayout.INT32 && type != ParquetLayout.INT64) {
          throw fault("DELTA_BINARY_PACKED values outside an integer column");
        }
        deltaBinaryPacked(in, from, to, longs, count);
        if (type == ParquetLayout.INT32) {
          for (int i = 0; i < count; i++) {
            longs[i] = (int) longs[i];
          }
        }
      }
      case DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY -> {
        if (!text) {
          throw fault("a delta text encoding outside a BYTE_ARRAY column");
        }
        deltaText(encoding, in, from, to, count);
      }
      case BYTE_STREAM_SPLIT -> byteStreamSplit(in, from, to, count);
      default -> throw fault("values in encoding " + encoding);
    }
    if (encoding != PLAIN_DICTIONARY && encoding != RLE_DICTIONARY) {
      convertIntegers(longs, count);   // a dictionary's values were, when it was read
    }
  }

  /**
   * Turns decoded integers into what their column is read as: in an INT32 or INT64 decimal column
   * {@code values[0, count)} (unscaled integers) become the bits of their doubles ({@link
   * Decimals}); in a timestamp column without a time zone, their calendar dates ({@link
   * ArrowTableReader#dayOf}); in a column of instants read in a zone, their dates there ({@link
   * InstantDates}). Other columns are left as they are.
   */
  private void convertIntegers(long[] values, int count) {
    int type = leaf.physicalType();
    if (leaf.decimal() && (type == ParquetLayout.INT32 || type == ParquetLayout.INT64)) {
      int scale = leaf.scale();
      for (int i = 0; i < count; i++) {
        values[i] = Double.doubleToRawLongBits(Decimals.toDouble(values[i], scale));
      }
    } else if (leaf.localTimestamp()) {
      long unitsPerDay = leaf.unitsPerDay();
      for (int i = 0; i < count; i++) {
        values[i] = ArrowTableReader.dayOf(values[i], unitsPerDay);
      }
    } else if (instantDates != null) {
      for (int i = 0; i < count; i++) {
        values[i] = instantDates.dayOf(values[i]);
      }
    }
  }

  /**
   * PLAIN text: 4-byte little-endian lengths before each value. Moves the values together to the
   * front of {@code in} at {@code 0..} (overwriting the lengths, which are consumed first) and
   * fills {@code offsets[0..count]}; returns the end of the packed bytes.
   */
  private int plainText(byte[] in, int from, int to, int count, int[] offsets) {
    int end = packPlainText(in, from, to, count, offsets);
    if (end < 0) {
      int at = from + offsets[~end] + 4 * ~end;   // where the faulty value's length is
      if (at + 4 > to) {
        throw fault("a length runs past its page");
      }
      throw fault("a text value of " + int32(in, at, to) + " bytes runs past its page");
    }
    return end;
  }

  /** Little-endian ints out of a byte array at any offset. */
  private static final java.lang.invoke.VarHandle INT_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * {@link #plainText}'s work: packs the {@code count} length-prefixed values of {@code in[from,
   * to)} to the front of {@code in} and fills {@code offsets[0..count]}; returns the end of the
   * packed bytes, or {@code ~i} when value {@code i}'s length or bytes run past {@code to} (the
   * offsets filled up to {@code i}).
   *
   * <p>Ids are short (about 12 bytes), and a {@code System.arraycopy} per value cost about 9 ns of
   * which the call was most (2.9% of the CPU of {@code features} at 200,000 suppliers). A value is
   * moved 8 bytes at a time instead, which may write up to 7 bytes past its end: harmless once the
   * values have moved 8 bytes or more towards the front (from the second value on), since those
   * bytes lie before the next value's length, already read or still to be read from where it is.
   * Each long is read before the one that could overlap it is written, as the copy runs forwards.
   */
  static int packPlainText(byte[] in, int from, int to, int count, int[] offsets) {
    int read = from;
    int write = 0;
    int lastLongAt = in.length - 8;
    offsets[0] = 0;
    for (int i = 0; i < count; i++) {
      if (read > to - 4) {
        return ~i;
      }
      int length = (int) INT_LE.get(in, read);
      read += 4;
      if (length < 0 || length > to - read) {
        return ~i;
      }
      if (read - write >= 8 && read + length <= lastLongAt) {
        for (int k = 0; k < length; k += 8) {
          LONG_LE.set(in, write + k, (long) LONG_LE.get(in, read + k));
        }
      } else {
        System.arraycopy(in, read, in, write, length);
      }
      read += length;
      write += length;
      offsets[i + 1] = write;
    }
    return write;
  }

  /**
   * PLAIN values other than text as longs: BOOLEAN bit-packed (0 or 1), INT32 and INT64
   * sign-extended (a decimal's unscaled integer, turned into its double's bits by the caller),
   * FLOAT and DOUBLE as their bits, a FIXED_LEN_BYTE_ARRAY decimal as its double's bits.
   */
  private void plainFixed(byte[] in, int from, int to, int count, long[] out) {
    int type = leaf.physicalType();
    if (type == ParquetLayout.FIXED_LEN_BYTE_ARRAY) {
      // only decimals are read from fixed-length bytes (ParquetBatchReader): each value big-endian,
      // straight to the bits of its double
      int length = leaf.typeLength();
      if (!leaf.decimal() || length < 1 || length > 16) {
        throw fault("FIXED_LEN_BYTE_ARRAY values of " + length + " bytes outside a decimal column of up to 38 digits");
      }
      if ((long) count * length > to - from) {
        throw fault(count + " values of " + length + " bytes run past their page");
      }
      for (int i = 0; i < count; i++) {
        out[i] = Double.doubleToRawLongBits(Decimals.bigEndianToDouble(in, from + i * length, length, leaf.scale()));
      }
      return;
    }
    if (type == ParquetLayout.INT96) {
      // Spark's and Hive's timestamps: 8 bytes of nanoseconds in the day, then a 4-byte Julian day
      // number (2,440,588 is 1970-01-01), little-endian; as nanoseconds since the epoch (a long holds
      // the years 1677 to 2262; days beyond saturate, and are refused as dates)
      if ((long) count * 12 > to - from) {
        throw fault(count + " INT96 values run past their page");
      }
      ByteBuffer b = ByteBuffer.wrap(in).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < count; i++) {
        int at = from + 12 * i;
        long day = (b.getInt(at + 8) & 0xffffffffL) - 2_440_588L;
        long nanos = Math.max(-106_751L, Math.min(106_750L, day)) * 86_400_000_000_000L + b.getLong(at);
        out[i] = day < -106_751L ? Long.MIN_VALUE : day > 106_750L ? Long.MAX_VALUE : nanos;
      }
      return;
    }
    int width = type == ParquetLayout.INT64 || type == ParquetLayout.DOUBLE ? 8 : 4;
    if (type == ParquetLayout.BOOLEAN) {
      for (int i = 0; i < count; i++) {
        if (from + (i >>> 3) >= to) {
          throw fault("boolean values run past their page");
        }
        out[i] = (in[from + (i >>> 3)] >>> (i & 7)) & 1;
      }
      return;
    }
    if ((long) count * width > to - from) {
      throw fault(count + " values of " + width + " bytes run past their page");
    }
    ByteBuffer b = ByteBuffer.wrap(in, from, count * width).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    if (width == 8) {
      b.asLongBuffer().get(out, 0, count);
    } else if (type == ParquetLayout.FLOAT) {
      for (int i = 0; i < count; i++) {
        out[i] = b.getInt(from + 4 * i) & 0xffffffffL;
      }
    } else {
      for (int i = 0; i < count; i++) {
        out[i] = b.getInt(from + 4 * i);
      }
    }
  }

  private void byteStreamSplit(byte[] in, int from, int to, int count) {
    int type = leaf.physicalType();
    int width = type == ParquetLayout.INT64 || type == ParquetLayout.DOUBLE ? 8
        : type == ParquetLayout.INT32 || type == ParquetLayout.FLOAT ? 4 : 0;
    if (width == 0) {
      throw fault("BYTE_STREAM_SPLIT values in a column of type " + leaf.typeName());
    }
    if ((long) count * width > to - from) {
      throw fault("BYTE_STREAM_SPLIT values run past their page");
    }
    for (int i = 0; i < count; i++) {
      long v = 0;
      for (int b = 0; b < width; b++) {
        v |= (long) (in[from + b * count + i] & 0xff) << (8 * b);
      }
      longs[i] = width == 4 && type == ParquetLayout.INT32 ? (int) v : v;
    }
  }

  private void deltaText(int encoding, byte[] in, int from, int to, int count) {
    int[] prefixes = null;
    int at = from;
    long[] scratch = new long[Math.max(count, 1)];
    if (encoding == DELTA_BYTE_ARRAY) {
      at = deltaBinaryPacked(in, at, to, scratch, count);
      prefixes = new int[count];
      for (int i = 0; i < count; i++) {
        prefixes[i] = (int) scratch[i];
      }
    }
    at = deltaBinaryPacked(in, at, to, scratch, count);
    long total = 0;
    for (int i = 0; i < count; i++) {
      total += scratch[i] + (prefixes == null ? 0 : prefixes[i]);
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw fault("text values of " + total + " bytes in one page");
    }
    byte[] out = new byte[(int) total];
    textOffsets = ensure(textOffsets, count + 1);
    textOffsets[0] = 0;
    int write = 0;
    for (int i = 0; i < count; i++) {
      int suffix = (int) scratch[i];
      int prefix = prefixes == null ? 0 : prefixes[i];
      if (suffix < 0 || suffix > to - at || prefix < 0 || (i == 0 ? prefix > 0 : prefix > textOffsets[i] - textOffsets[i - 1])) {
        throw fault("delta-encoded text runs past its page");
      }
      if (prefix > 0) {
        System.arraycopy(out, textOffsets[i - 1], out, write, prefix);
        write += prefix;
      }
      System.arraycopy(in, at, out, write, suffix);
      at += suffix;
      write += suffix;
      textOffsets[i + 1] = write;
    }
    textBytes = out;
  }

  /** DELTA_BINARY_PACKED: {@code count} values into {@code out}; returns the position after them. */
  private int deltaBinaryPacked(byte[] in, int from, int to, long[] out, int count) {
    int[] at = {from};
    long blockSize = varint(in, at, to);
    long miniblocks = varint(in, at, to);
    long total = varint(in, at, to);
    long last = zigzag(varint(in, at, to));
    if (blockSize <= 0 || blockSize > MAX_DELTA_BLOCK || blockSize % 128 != 0 || miniblocks <= 0 || blockSize % miniblocks != 0
        || (blockSize / miniblocks) % 32 != 0 || total < count) {
      throw fault("a DELTA_BINARY_PACKED header (block " + blockSize + ", miniblocks " + miniblocks + ", values " + total + ")");
    }
    int perMini = (int) (blockSize / miniblocks);
    int read = 0;
    if (total > 0 && count > 0) {
      out[read++] = last;
    }
    long[] unpacked = new long[perMini];
    while (read < total) {
      long minDelta = zigzag(varint(in, at, to));
      int widthsAt = at[0];
      at[0] += (int) miniblocks;
      if (at[0] > to) {
        throw fault("DELTA_BINARY_PACKED bit widths run past their page");
      }
      for (int m = 0; m < miniblocks && read < total; m++) {
        int width = in[widthsAt + m] & 0xff;
        if (width > 64) {
          throw fault("DELTA_BINARY_PACKED bit width " + width);
        }
        at[0] = unpack(in, at[0], to, width, unpacked, perMini);
        for (int i = 0; i < perMini && read < total; i++) {
          last += minDelta + unpacked[i];
          if (read < count) {
            out[read] = last;
          }
          read++;
        }
      }
    }
    return at[0];
  }

  /** Little-endian bit unpacking of {@code n} values of {@code width} bits; returns the end position. */
  private int unpack(byte[] in, int from, int to, int width, long[] out, int n) {
    long bytes = ((long) n * width + 7) / 8;
    if (bytes > to - from) {
      throw fault("bit-packed values run past their page");
    }
    if (width == 0) {
      Arrays.fill(out, 0, n, 0L);
      return from;
    }
    long mask = width == 64 ? -1L : (1L << width) - 1;
    long bit = (long) from * 8;
    for (int i = 0; i < n; i++) {
      long v = 0;
      int got = 0;
      while (got < width) {
        int byteAt = (int) (bit >>> 3);
        int shift = (int) (bit & 7);
        int take = Math.min(8 - shift, width - got);
        v |= (long) (((in[byteAt] & 0xff) >>> shift) & ((1 << take) - 1)) << got;
        got += take;
        bit += take;
      }
      out[i] = v & mask;
    }
    return (int) (from + bytes);
  }

  /** Little-endian longs out of a byte array at any offset (one unaligned load where the platform allows). */
  private static final java.lang.invoke.VarHandle LONG_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * Unpacks a bit-packed run: {@code n} values of {@code width} (1 to 32) bits, packed from the
   * least significant bit of {@code in[p]} on and ending before {@code end}, into {@code out[at ..
   * at + n)}. Returns the number of values, or -1 when the values need bits at or after {@code
   * end} (the run is cut short).
   *
   * <p>Value k's bits start at bit {@code k * width}: while the 8 bytes from its first byte lie
   * before {@code end}, one little-endian long read there, shifted and masked, gives it (7 + 32
   * bits fit in 64), instead of a byte at a time with a bounds check per byte; the last values of
   * the run are gathered a byte at a time. The same values as the byte-at-a-time accumulator
   * ({@code ParquetColumnTest} checks the two on random runs of every width).
   */
  static int unpackRun(byte[] in, int p, int end, int width, int mask, int[] out, int at, int n) {
    if (width == 0) {
      Arrays.fill(out, at, at + n, 0);   // a dictionary of one value: no bits at all
      return n;
    }
    long bit = 0;
    int k = 0;
    // the fast path while p + bit / 8 + 8 <= end
    long fastBits = ((long) (end - p) - 8) * 8;
    for (; k < n && bit <= fastBits; k++, bit += width) {
      long word = (long) LONG_LE.get(in, p + (int) (bit >>> 3));
      out[at + k] = (int) (word >>> (bit & 7)) & mask;
    }
    for (; k < n; k++, bit += width) {
      long last = bit + width - 1;
      if (p + (last >>> 3) >= end) {
        return -1;
      }
      long v = 0;
      for (int b = (int) (bit >>> 3), shift = 0; b <= (int) (last >>> 3); b++, shift += 8) {
        v |= (long) (in[p + b] & 0xff) << shift;
      }
      out[at + k] = (int) (v >>> (bit & 7)) & mask;
    }
    return n;
  }

  /** The RLE / bit-packing hybrid: {@code count} values of {@code width} bits into {@code out}. */
  private void hybrid(byte[] in, int from, int to, int width, int[] out, int count) {
    int p = from;
    int filled = 0;
    int valueBytes = (width + 7) / 8;
    int mask = width == 32 ? -1 : (1 << width) - 1;
    while (filled < count) {
      // the run's header, a ULEB128 varint (one byte for runs under 64 values or 8 groups)
      long header = 0;
      for (int shift = 0; ; shift += 7) {
        if (p >= to || shift > 63) {
          throw fault("an RLE run header runs past its page");
        }
        int b = in[p++];
        header |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          break;
        }
      }
      if ((header & 1) == 0) {
        long run = header >>> 1;
        if (valueBytes > to - p) {
          throw fault("an RLE run runs past its page");
        }
        int value = 0;
        for (int b = 0; b < valueBytes; b++) {
          value |= (in[p + b] & 0xff) << (8 * b);
        }
        p += valueBytes;
        int n = (int) Math.min(run, count - filled);
        Arrays.fill(out, filled, filled + n, value);
        filled += n;
      } else {
        long groups = header >>> 1;
        long values = groups * 8;
        // the last run may stop at the data's end when the writer trimmed its padding
        int end = (int) Math.min(to, p + groups * width);
        int stop = (int) Math.min(values, count - filled);
        if (unpackRun(in, p, end, width, mask, out, filled, stop) < 0) {
          throw fault("bit-packed levels or indices run past their page");
        }
        filled += stop;
        p = end;
      }
    }
  }

  /** Decompresses {@code length} bytes of {@code in} at {@code from} into {@link #page} at {@code into}; returns the size. */
  private int decompress(byte[] in, int from, int length, int uncompressed, int into) throws IOException {
    if (uncompressed < 0) {
      throw fault("a page of " + uncompressed + " bytes");
    }
    // bytes before into (a v2 page's levels) are kept; from 0 the page is all written anew
    page = into == 0 ? room(page, uncompressed) : ensure(page, into + uncompressed);
    int n;
    try {
      n = switch (codec) {
        case ParquetLayout.UNCOMPRESSED -> {
          System.arraycopy(in, from, page, into, Math.min(length, uncompressed));
          yield length;
        }
        case ParquetLayout.SNAPPY -> (snappy != null ? snappy : (snappy = new SnappyDecompressor()))
            .decompress(in, from, length, page, into, uncompressed);
        case ParquetLayout.ZSTD -> (zstd != null ? zstd : (zstd = new ZstdDecompressor()))
            .decompress(in, from, length, page, into, uncompressed);
        case ParquetLayout.LZ4_RAW -> (lz4 != null ? lz4 : (lz4 = new Lz4Decompressor()))
            .decompress(in, from, length, page, into, uncompressed);
        case ParquetLayout.GZIP -> {
          try (java.util.zip.GZIPInputStream z =
              new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(in, from, length))) {
            yield z.readNBytes(page, into, uncompressed);
          }
        }
        default -> throw fault("pages compressed with " + ParquetLayout.codecName(codec));
      };
    } catch (RuntimeException | java.util.zip.ZipException e) {
      if (e instanceof PageFault) {
        throw e;
      }
      throw fault("a " + ParquetLayout.codecName(codec) + " page cannot be decompressed (" + e.getMessage() + ")");
    }
    if (n != uncompressed) {
      throw fault("a page decompressed to " + n + " bytes; its header says " + uncompressed);
    }
    return n;
  }

  private int int32(byte[] in, int at, int to) {
    if (at + 4 > to) {
      throw fault("a length runs past its page");
    }
    return (in[at] & 0xff) | (in[at + 1] & 0xff) << 8 | (in[at + 2] & 0xff) << 16 | (in[at + 3] & 0xff) << 24;
  }

  private long varint(byte[] in, int[] at, int to) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= to) {
        throw fault("a varint runs past its page");
      }
      int b = in[at[0]++] & 0xff;
      result |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return result;
      }
    }
    throw fault("a varint longer than 64 bits");
  }

  private static long zigzag(long n) {
    return (n >>> 1) ^ -(n & 1);
  }

  /** {@code a}, or a larger array when it holds fewer than {@code n} bytes, its content not copied (to be written anew). */
  private static byte[] room(byte[] a, int n) {
    return a.length >= n ? a : new byte[Math.max(n, a.length + (a.length >> 1))];
  }

  /** {@code a}, or a larger copy of it (contents kept: a page's levels are copied in before its values). */
  private static byte[] ensure(byte[] a, int n) {
    return a.length >= n ? a : Arrays.copyOf(a, Math.max(n, a.length + (a.length >> 1)));
  }

  private static int[] ensure(int[] a, int n) {
    return a.length >= n ? a : new int[Math.max(n, a.length + (a.length >> 1))];
  }

  private static long[] ensure(long[] a, int n) {
    return a.length >= n ? a : new long[Math.max(n, a.length + (a.length >> 1))];
  }

  /** A fault of the file's bytes in this column, named by column and row group. */
  static final class PageFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PageFault(String message) {
      super(message, null, false, false);
    }
  }

  private PageFault fault(String what) {
    return new PageFault("column " + leaf.name() + (group >= 0 ? ", row group " + (group + 1) : "") + ": " + what);
  }
}

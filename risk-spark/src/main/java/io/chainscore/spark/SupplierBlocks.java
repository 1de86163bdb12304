package io.chainscore.spark;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * The shuffle of the tagged transaction rows ({@link SparkFeatures#TAGGED}) to their supplier
 * partitions as compact blocks of bytes instead of Spark rows, and the merge that gives a
 * partition its rows in source order ({@code key} ascending) without a sort.
 *
 * <p>Map side ({@link #encode}): each row goes to partition {@code pmod(murmur3(supplier_id, 42),
 * P)}, the partition {@code repartition(P, supplier_id)} gives it, and is appended to that
 * partition's open block in a compact row format (the key, a null mask, text as length and UTF-8
 * bytes, dates as ints, amounts as doubles, the flags as bits: about 60 bytes for an invoice,
 * against about 160 for Spark's row). A block holds rows of one source file only, in ascending key
 * order; a new one starts when the file changes, the key does not increase, or the block is full.
 * Spark's shuffle then moves one {@code byte[]} per block.
 *
 * <p>Reduce side ({@link Merge}): a file split is a run of whole row groups read in order, so a
 * block's rows are a contiguous, ascending run of its file's rows, and blocks of the same file from
 * different splits do not interleave. The merge takes the block with the smallest next key and
 * reads it as long as its keys stay below every other block's next key: with blocks that do not
 * interleave, each is read in one run; if they did, the merge would still be exact (a priority
 * queue on the next key), only slower: rows that reach the encoder through a shuffle of their own
 * (the duplicate check's window fallback, for tables with more than 200,000 repeated ids) come in
 * id order, make short blocks, and the merge is then in effect a heap sort of them. This replaces
 * Spark's exchange and sort of every row (its row serialisation, the radix sort and the sorted
 * iterator were about a fifth of the job's CPU).
 *
 * <p>Memory: the merge needs every block's first key before it can give the first row, so a
 * partition receives all its blocks before it starts (about 61 bytes per transaction row on the
 * benchmark's portfolio). Up to {@link #spillAfterBytes} of them stay in memory; the rest go to a
 * scratch file in Spark's local directories and are read back one block at a time, as Spark's
 * sort spilled before.
 *
 * <p>Thread safety: stateless; the iterators are for one task.
 */
final class SupplierBlocks {
  private SupplierBlocks() {}

  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  // Column positions in SparkFeatures.TAGGED.
  static final int KEY = 0;
  static final int SUPPLIER_ID = 1;
  static final int S1 = 2;
  static final int S2 = 3;
  static final int S3 = 4;
  static final int D1 = 5;
  static final int D2 = 6;
  static final int D3 = 7;
  static final int X1 = 8;
  static final int X2 = 9;
  static final int B1 = 10;
  static final int B2 = 11;
  static final int DUP = 12;
  static final int READ_PROBLEM = 13;
  private static final int[] TEXT = {SUPPLIER_ID, S1, S2, S3};
  private static final int[] TEXT_AND_PROBLEM = {SUPPLIER_ID, S1, S2, S3, READ_PROBLEM};
  private static final int[] DATE = {D1, D2, D3};
  private static final int[] AMOUNT = {X1, X2};
  private static final int[] FLAG = {B1, B2, DUP};

  /** The partition {@code repartition(partitions, supplier_id)} sends a row with this supplier id to. */
  static int partitionOf(UTF8String supplierId, int partitions) {
    int hash = supplierId == null ? 42
        : Murmur3_x86_32.hashUnsafeBytes(supplierId.getBaseObject(), supplierId.getBaseOffset(), supplierId.numBytes(),
            42);
    return Math.floorMod(hash, partitions);
  }

  /** As {@link #partitionOf(UTF8String, int)} for the supplier id spelt by {@code bytes[at, at + length)}. */
  static int partitionOf(byte[] bytes, int at, int length, int partitions) {
    return Math.floorMod(Murmur3_x86_32.hashUnsafeBytes(bytes, Platform.BYTE_ARRAY_OFFSET + at, length, 42),
        partitions);
  }

  /**
   * The blocks of one map task: {@code (partition, block)} pairs, each block the encoded rows of
   * one source file bound for that partition, in the order read.
   */
  static Iterator<Tuple2<Integer, byte[]>> encode(Iterator<InternalRow> rows, int partitions) {
    return new RowEncoder(rows, partitions);
  }

  /**
   * Where a row source sets a row's values (a value not set is null): the row being assembled for
   * a block ({@link Blocks}) or a row set directly ({@link BlockRow}), so that one reader of the
   * files ({@code EngineReads}) sets both the same way.
   */
  interface RowValues {
    /** Text column {@code c} (or {@link #READ_PROBLEM}) is {@code bytes[at, at + length)}, UTF-8. */
    void text(int c, byte[] bytes, int at, int length);

    void date(int c, int epochDay);

    void amount(int c, double value);

    /** Flag column {@code c} ({@code B1}, {@code B2} or {@code DUP}) is set, with {@code value}. */
    void flag(int c, boolean value);
  }

  /**
   * The open block of each partition in one map task, and the row being assembled: a row source
   * sets the row's values ({@link #text}, {@link #date}, {@link #amount}, {@link #flag}; a value
   * not set is null) and {@link #add}s it to a partition's block. The one place that writes the
   * block format ({@link BlockRow#decode} reads it).
   */
  static final class Blocks implements RowValues {
    private final int partitions;
    private final int limit;
    private final byte[][] open;
    private final int[] length;
    private final long[] lastKey;
    final ArrayDeque<Tuple2<Integer, byte[]>> ready = new ArrayDeque<>();
    // the row being assembled
    private int nulls;
    private int flags;
    private final byte[][] textBytes = new byte[READ_PROBLEM + 1][];
    private final int[] textAt = new int[READ_PROBLEM + 1];
    private final int[] textLength = new int[READ_PROBLEM + 1];
    private final int[] dates = new int[D3 + 1];
    private final double[] amounts = new double[X2 + 1];

    Blocks(int partitions) {
      this.partitions = partitions;
      // Blocks of up to 1 MiB, smaller when there are many partitions (at most 64 MiB open per task).
      this.limit = (int) Math.max(16 << 10, Math.min(1 << 20, (64L << 20) / partitions));
      this.open = new byte[partitions][];
      this.length = new int[partitions];
      this.lastKey = new long[partitions];
      startRow();
    }

    int partitions() {
      return partitions;
    }

    /** Starts a row: every value null, every flag false. */
    void startRow() {
      nulls = ((1 << (READ_PROBLEM + 1)) - 1) & ~1;   // all columns but the key
      flags = 0;
    }

    /** Text column {@code c} (or {@link #READ_PROBLEM}) is {@code bytes[at, at + length)}, UTF-8. */
    @Override
    public void text(int c, byte[] bytes, int at, int length) {
      nulls &= ~(1 << c);
      textBytes[c] = bytes;
      textAt[c] = at;
      textLength[c] = length;
    }

    void text(int c, UTF8String s) {
      if (s.getBaseObject() instanceof byte[] b) {
        text(c, b, (int) (s.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET), s.numBytes());
      } else {
        byte[] b = s.getBytes();
        text(c, b, 0, b.length);
      }
    }

    @Override
    public void date(int c, int epochDay) {
      nulls &= ~(1 << c);
      dates[c] = epochDay;
    }

    @Override
    public void amount(int c, double value) {
      nulls &= ~(1 << c);
      amounts[c] = value;
    }

    /** Flag column {@code c} ({@code B1}, {@code B2} or {@code DUP}) is set, with {@code value}. */
    @Override
    public void flag(int c, boolean value) {
      nulls &= ~(1 << c);
      if (value) {
        flags |= 1 << (c - B1);
      }
    }

    /** Appends the row assembled, with sort key {@code key}, to partition {@code p}'s block, and starts the next. */
    void add(long key, int p) {
      int size = 8 + 2 + 1 + 3 * 4 + 2 * 8;
      for (int c : TEXT_AND_PROBLEM) {
        size += (nulls & 1 << c) != 0 ? 0 : 4 + textLength[c];
      }
      boolean otherFile = (key >>> SparkFeatures.ROW_BITS) != (lastKey[p] >>> SparkFeatures.ROW_BITS);
      if (length[p] > 0 && (key <= lastKey[p] || otherFile || length[p] >= limit)) {
        emit(p);
      }
      byte[] buf = open[p];
      int at = length[p];
      if (buf == null || at + size > buf.length) {
        int doubled = Math.max(4096, 2 * (buf == null ? 0 : buf.length));
        int capacity = Math.max(at + size, Math.min(limit + size, doubled));
        buf = open[p] = buf == null ? new byte[capacity] : Arrays.copyOf(buf, capacity);
      }
      LONG.set(buf, at, key);
      at += 8;
      SHORT.set(buf, at, (short) (nulls >>> 1));
      at += 2;
      buf[at++] = (byte) flags;
      for (int c : TEXT) {
        at = (nulls & 1 << c) != 0 ? at : text(buf, at, c);
      }
      for (int c : DATE) {
        if ((nulls & 1 << c) == 0) {
          INT.set(buf, at, dates[c]);
          at += 4;
        }
      }
      for (int c : AMOUNT) {
        if ((nulls & 1 << c) == 0) {
          DOUBLE.set(buf, at, amounts[c]);
          at += 8;
        }
      }
      if ((nulls & 1 << READ_PROBLEM) == 0) {
        at = text(buf, at, READ_PROBLEM);
      }
      length[p] = at;
      lastKey[p] = key;
      startRow();
    }

    private int text(byte[] buf, int at, int c) {
      int n = textLength[c];
      INT.set(buf, at, n);
      System.arraycopy(textBytes[c], textAt[c], buf, at + 4, n);
      textBytes[c] = null;
      return at + 4 + n;
    }

    private void emit(int p) {
      if (length[p] > 0) {
        ready.add(new Tuple2<>(p, Arrays.copyOf(open[p], length[p])));
        length[p] = 0;
      }
    }

    /** Finishes every open block. */
    void emitAll() {
      for (int p = 0; p < partitions; p++) {
        emit(p);
      }
    }
  }

  /**
   * A map task's blocks as an iterator: {@link #step} encodes more rows into {@link #blocks} until
   * a block is ready; the open blocks are finished once it has encoded every row.
   */
  abstract static class BlockIterator implements Iterator<Tuple2<Integer, byte[]>> {
    final Blocks blocks;
    private boolean flushed;

    BlockIterator(int partitions) {
      this.blocks = new Blocks(partitions);
    }

    /** Encodes more rows; false once every row is encoded. */
    abstract boolean step() throws java.io.IOException;

    @Override
    public boolean hasNext() {
      try {
        while (blocks.ready.isEmpty() && step()) {
          // encode until a block is ready
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      if (blocks.ready.isEmpty() && !flushed) {
        flushed = true;
        blocks.emitAll();
      }
      return !blocks.ready.isEmpty();
    }

    @Override
    public Tuple2<Integer, byte[]> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return blocks.ready.poll();
    }
  }

  /** Encodes Spark rows of {@link SparkFeatures#TAGGED}. */
  private static final class RowEncoder extends BlockIterator {
    private final Iterator<InternalRow> rows;

    RowEncoder(Iterator<InternalRow> rows, int partitions) {
      super(partitions);
      this.rows = rows;
    }

    @Override
    boolean step() {
      if (!rows.hasNext()) {
        return false;
      }
      add(rows.next());
      return true;
    }

    private void add(InternalRow row) {
      for (int c : TEXT_AND_PROBLEM) {
        if (!row.isNullAt(c)) {
          blocks.text(c, row.getUTF8String(c));
        }
      }
      for (int c : DATE) {
        if (!row.isNullAt(c)) {
          blocks.date(c, row.getInt(c));
        }
      }
      for (int c : AMOUNT) {
        if (!row.isNullAt(c)) {
          blocks.amount(c, row.getDouble(c));
        }
      }
      for (int c : FLAG) {
        if (!row.isNullAt(c)) {
          blocks.flag(c, row.getBoolean(c));
        }
      }
      int p = row.isNullAt(SUPPLIER_ID) ? partitionOf(null, blocks.partitions())
          : partitionOf(row.getUTF8String(SUPPLIER_ID), blocks.partitions());
      blocks.add(row.getLong(KEY), p);
    }
  }

  /**
   * One encoded row, decoded in place: the accessors of {@link SparkFeatures#TAGGED}'s columns.
   * Valid until the merge moves to the next row.
   */
  static final class BlockRow implements RowValues {
    private byte[] buf;
    /** The array holding each text column's bytes: the block, or for a row set directly its source's array. */
    private final byte[][] bufs = new byte[READ_PROBLEM + 1][];
    private long key;
    private int nulls;
    private int flags;
    private final int[] textAt = new int[READ_PROBLEM + 1];
    private final int[] textLength = new int[READ_PROBLEM + 1];
    private final int[] ints = new int[D3 + 1];
    private final double[] doubles = new double[X2 + 1];

    /** Decodes the row at {@code at}; returns where the next row starts. */
    int decode(byte[] block, int at) {
      buf = block;
      serial = 0;
      key = (long) LONG.get(block, at);
      at += 8;
      nulls = (Short.toUnsignedInt((short) SHORT.get(block, at))) << 1;
      at += 2;
      flags = block[at++];
      for (int c : TEXT) {
        at = (nulls & 1 << c) != 0 ? at : skipText(c, at);
      }
      for (int c : DATE) {
        if ((nulls & 1 << c) == 0) {
          ints[c] = (int) INT.get(block, at);
          at += 4;
        }
      }
      for (int c : AMOUNT) {
        if ((nulls & 1 << c) == 0) {
          doubles[c] = (double) DOUBLE.get(block, at);
          at += 8;
        }
      }
      if ((nulls & 1 << READ_PROBLEM) == 0) {
        at = skipText(READ_PROBLEM, at);
      }
      return at;
    }

    /**
     * The number of the source batch whose arrays hold this row's text (its bytes unchanged while
     * that batch is read: {@link RecentIds} finds an id by its place there); 0 when unknown (a row
     * decoded from a block).
     */
    private long serial;

    /** Starts a row set directly (not decoded from a block): key {@code key}, every value null, every flag false. */
    void start(long key) {
      start(key, 0);
    }

    /** {@link #start(long)}, the row's text lying in source batch {@code serial} ({@link #serial()}). */
    void start(long key, long serial) {
      this.serial = serial;
      this.key = key;
      nulls = ((1 << (READ_PROBLEM + 1)) - 1) & ~1;
      flags = 0;
    }

    /** Text column {@code c} (or {@link #READ_PROBLEM}) of a row set directly is {@code bytes[at, at + length)}. */
    @Override
    public void text(int c, byte[] bytes, int at, int length) {
      nulls &= ~(1 << c);
      bufs[c] = bytes;
      textAt[c] = at;
      textLength[c] = length;
    }

    @Override
    public void date(int c, int epochDay) {
      nulls &= ~(1 << c);
      ints[c] = epochDay;
    }

    @Override
    public void amount(int c, double value) {
      nulls &= ~(1 << c);
      doubles[c] = value;
    }

    /** Flag column {@code c} ({@code B1}, {@code B2} or {@code DUP}) of a row set directly is set, with {@code value}. */
    @Override
    public void flag(int c, boolean value) {
      nulls &= ~(1 << c);
      if (value) {
        flags |= 1 << (c - B1);
      }
    }

    private int skipText(int c, int at) {
      int n = (int) INT.get(buf, at);
      bufs[c] = buf;
      textAt[c] = at + 4;
      textLength[c] = n;
      return at + 4 + n;
    }

    boolean isNullAt(int c) {
      return c != KEY && (nulls & 1 << c) != 0;
    }

    /** The source batch holding the row's text, 0 when unknown ({@link #start(long, long)}). */
    long serial() {
      return serial;
    }

    /** The row's sort key ({@link SparkFeatures#key}): kind, source file and row. */
    long key() {
      return key;
    }

    int getInt(int c) {
      return ints[c];
    }

    double getDouble(int c) {
      return doubles[c];
    }

    boolean getBoolean(int c) {
      return (flags & 1 << (c - B1)) != 0;
    }

    String getString(int c) {
      return isNullAt(c) ? null : new String(bufs[c], textAt[c], textLength[c], StandardCharsets.UTF_8);
    }

    /** What {@link #asciiHashCode} returns for text that is not all ASCII. */
    static final int NOT_ASCII = 0x7fff_fffe;

    /**
     * {@link String#hashCode()} of the text at {@code c} if every byte is ASCII (one byte, one
     * character), else {@link #NOT_ASCII} (also when the hash happens to equal it, so the caller
     * then takes the String path, which is always right).
     */
    int asciiHashCode(int c) {
      return asciiHashCode(bufs[c], textAt[c], textLength[c]);
    }

    /** {@link #asciiHashCode(int)} of the text {@code buf[at, at + length)}. */
    static int asciiHashCode(byte[] buf, int at, int length) {
      int h = 0;
      for (int i = at, end = at + length; i < end; i++) {
        byte b = buf[i];
        if (b < 0) {
          return NOT_ASCII;
        }
        h = 31 * h + b;
      }
      return h;
    }

    /**
     * The array holding the text at {@code c}: the block this row was decoded from, or the source's
     * array for a row set directly (valid only until the source's next row: copy what is kept).
     */
    byte[] bytes(int c) {
      return bufs[c];
    }

    /** Where the text at {@code c} starts in {@link #bytes}. */
    int textAt(int c) {
      return textAt[c];
    }

    /** The length in bytes of the text at {@code c}. */
    int textLength(int c) {
      return textLength[c];
    }

    /** The text as a view of the block's bytes (no copy); clone it to keep it past this row. */
    UTF8String utf8(int c) {
      return isNullAt(c) ? null : UTF8String.fromBytes(bufs[c], textAt[c], textLength[c]);
    }
  }

  /** A partition's rows in ascending key order, one at a time. */
  interface Rows {
    /** The next row, or null when all are read; valid until the next call. */
    BlockRow next();
  }

  /**
   * Blocks that come already in ascending key order (one task's own rows read in source order, the
   * supplier ranges path), decoded one after the other as they come: no block is held but the one
   * being read. A key that does not increase fails the task (the order the engine's sums need).
   */
  static final class Stream implements Rows {
    private final Iterator<Tuple2<Integer, byte[]>> blocks;
    private final BlockRow row = new BlockRow();
    private byte[] block;
    private int at;
    private long lastKey = -1;

    Stream(Iterator<Tuple2<Integer, byte[]>> blocks) {
      this.blocks = blocks;
    }

    @Override
    public BlockRow next() {
      while (block == null || at >= block.length) {
        if (!blocks.hasNext()) {
          block = null;
          return null;
        }
        block = blocks.next()._2();
        at = 0;
      }
      at = row.decode(block, at);
      if (row.key() <= lastKey) {
        throw new IllegalStateException("rows out of source order: key " + row.key() + " after " + lastKey);
      }
      lastKey = row.key();
      return row;
    }
  }

  /**
   * Bytes of blocks a partition holds in memory; the blocks received after that are written to a
   * scratch file in Spark's local directories and read back one at a time as the merge reaches
   * them. Package-private so a test can make every block spill.
   */
  static long spillAfterBytes = 256L << 20;

  /**
   * A partition's blocks merged into one run of rows in ascending key order. Blocks beyond {@link
   * #spillAfterBytes} wait in a scratch file (deleted once read, or when the task ends).
   */
  static final class Merge implements AutoCloseable, Rows {
    private static final class Cursor {
      byte[] block;
      final long offset;
      final int length;
      int at;
      long nextKey;

      Cursor(byte[] block, long offset, int length) {
        this.block = block;
        this.offset = offset;
        this.length = length;
        this.nextKey = (long) LONG.get(block, 0);
      }

      boolean exhausted() {
        return at >= length;
      }
    }

    private final PriorityQueue<Cursor> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.nextKey, b.nextKey));
    private final BlockRow row = new BlockRow();
    private Cursor current;
    private java.io.File spillFile;
    private java.nio.channels.FileChannel spill;

    Merge(Iterator<Tuple2<Integer, byte[]>> blocks) {
      long held = 0;
      long spilled = 0;
      try {
        while (blocks.hasNext()) {
          byte[] block = blocks.next()._2();
          if (block.length == 0) {
            continue;
          }
          Cursor c = new Cursor(block, spilled, block.length);
          held += block.length;
          if (held > spillAfterBytes) {
            if (spill == null) {
              openSpill();
            }
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(block);
            while (bytes.hasRemaining()) {
              spill.write(bytes, spilled + bytes.position());
            }
            spilled += block.length;
            c.block = null;
          }
          waiting.add(c);
        }
      } catch (java.io.IOException e) {
        close();
        throw new java.io.UncheckedIOException("could not write the partition's rows to " + spillFile, e);
      }
    }

    private void openSpill() throws java.io.IOException {
      org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
      spillFile = env != null ? env.blockManager().diskBlockManager().createTempLocalBlock()._2()
          : java.io.File.createTempFile("chainscore-blocks", ".bin");
      spill = java.nio.channels.FileChannel.open(spillFile.toPath(), java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
      org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> close());
      }
    }

    private void load(Cursor c) {
      byte[] block = new byte[c.length];
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(block);
      try {
        while (bytes.hasRemaining()) {
          if (spill.read(bytes, c.offset + bytes.position()) < 0) {
            throw new java.io.EOFException("the scratch file ends early");
          }
        }
      } catch (java.io.IOException e) {
        close();
        throw new java.io.UncheckedIOException("could not read the partition's rows back from " + spillFile, e);
      }
      c.block = block;
    }

    /** The next row in key order, or null when all are read; the same instance each time. */
    @Override
    public BlockRow next() {
      if (current == null || current.exhausted() || (!waiting.isEmpty() && waiting.peek().nextKey < current.nextKey)) {
        if (current != null && !current.exhausted()) {
          waiting.add(current);
        }
        current = waiting.poll();
        if (current == null) {
          close();
          return null;
        }
        if (current.block == null) {
          load(current);
        }
      }
      current.at = row.decode(current.block, current.at);
      if (current.exhausted()) {
        current.block = null; // read: let it go
        current.nextKey = Long.MAX_VALUE;
        current = null;
      } else {
        current.nextKey = (long) LONG.get(current.block, current.at);
      }
      return row;
    }

    /** Whether some blocks went to the scratch file (for tests). */
    boolean spilled() {
      return spillFile != null;
    }

    /** Deletes the scratch file, if any; idempotent. */
    @Override
    public void close() {
      if (spill != null) {
        try {
          spill.close();
        } catch (java.io.IOException e) {
          // nothing to do: the file is deleted next
        }
        spill = null;
      }
      if (spillFile != null) {
        spillFile.delete();
      }
    }
  }
}

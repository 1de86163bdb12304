package io.chainscore.batch.io;

import io.chainscore.features.engine.BadRecord;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.TableSchema;
import java.util.List;

/**
 * A reusable block of rows in columnar form, filled by a {@link TableReader}: one primitive array
 * per column according to its type, plus the source row number of every row.
 *
 * <p>STRING columns are {@code String[]}; DATE columns are epoch days in {@code int[]} with
 * {@link #NULL_DATE} for empty; DOUBLE {@code double[]} with NaN for empty; INT {@code int[]};
 * LONG {@code long[]}; BOOLEAN {@code boolean[]}.
 *
 * <p>Thread safety: not thread-safe; one batch per reader.
 */
public final class ColumnBatch {
  /** Epoch day stored for an empty date. */
  public static final int NULL_DATE = Integer.MIN_VALUE;

  private final TableSchema schema;
  private final int capacity;
  private final Object[] columns;
  /** Per column: whether the caller does not read it ({@link #leaveUnread}, {@link #leaveTextUnread}). */
  private final boolean[] unread;
  /** Per column: whether the reader left this batch's values unset ({@link #isUnset}). */
  private boolean[] unset;
  private long[] sourceRows;
  private int size;
  private Object attachment;
  /**
   * Per STRING column kept as bytes (see {@link #keepTextAsBytes}): the bytes of its values, one
   * after the other, and each row's start and length in them; null for other columns.
   */
  private byte[][] text;
  private int[][] textStart;
  private int[][] textLength;
  private int[] textUsed;

  public ColumnBatch(TableSchema schema, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.schema = schema;
    this.capacity = capacity;
    List<TableSchema.Column> cols = schema.columns();
    this.columns = new Object[cols.size()];
    for (int c = 0; c < columns.length; c++) {
      columns[c] = switch (cols.get(c).type()) {
        case STRING -> new String[capacity];
        case DATE, INT -> new int[capacity];
        case DOUBLE -> new double[capacity];
        case LONG -> new long[capacity];
        case BOOLEAN -> new boolean[capacity];
      };
    }
    this.sourceRows = new long[capacity];
    this.unread = new boolean[cols.size()];
    this.unset = new boolean[cols.size()];
  }

  /** An empty batch of the same schema and capacity, keeping the same columns as bytes and unread. */
  ColumnBatch emptyCopy() {
    ColumnBatch copy = new ColumnBatch(schema, capacity);
    for (int c = 0; c < columns.length; c++) {
      if (keepsTextAsBytes(c)) {
        copy.keepTextAsBytes(c);
      }
      copy.unread[c] = unread[c];
    }
    return copy;
  }

  /**
   * Says that the caller does not read column {@code column}'s values. A reader may then leave
   * them unset (whatever the batch held) where the file itself proves that no row's value can
   * break the column's rule, so that no row's fate depends on reading it: a Parquet column
   * declared REQUIRED of a numeric or boolean type, whose only rule is "not null". Otherwise, and
   * for every other reader, the column is read and checked as usual, so the rows refused are the
   * same either way.
   */
  public void leaveUnread(int column) {
    ColumnType type = schema.columns().get(column).type();
    if (type == ColumnType.STRING || type == ColumnType.DATE) {
      throw new IllegalArgumentException("column " + column + " has rules beyond nulls (" + type + ")");
    }
    unread[column] = true;
  }

  /**
   * Says that the caller reads STRING column {@code column} only to name refused rows (an id no
   * computation uses). A reader may then leave its values unset where the file itself proves that
   * no row is null in it (a Parquet column declared REQUIRED, or whose statistics count no null),
   * so that its pages are neither decompressed nor decoded. Unlike {@link #leaveUnread}, this
   * changes what is checked: a text value's own rules (valid UTF-8, no NUL, not empty) are then not checked,
   * so a row whose only fault is in such a value is accepted, where a reader that reads the column
   * (CSV, Arrow IPC, a Parquet file that does not prove it) refuses it. The batches whose values
   * were left unset say so ({@link #isUnset}); the caller then names its refused rows by reading
   * the column again, alone.
   */
  public void leaveTextUnread(int column) {
    if (schema.columns().get(column).type() != ColumnType.STRING) {
      throw new IllegalArgumentException("column " + column + " is not text");
    }
    unread[column] = true;
  }

  /** Whether {@link #leaveUnread} or {@link #leaveTextUnread} was said of {@code column}. */
  public boolean isLeftUnread(int column) {
    return unread[column];
  }

  /**
   * Whether the reader left {@code column}'s values in this batch unset (see {@link #leaveUnread}
   * and {@link #leaveTextUnread}): they are then whatever the arrays held, and a text column's
   * {@link #string} is not its value.
   */
  public boolean isUnset(int column) {
    return unset[column];
  }

  /** Says that the reader left {@code column}'s values in this batch unset; cleared by {@link #clear}. */
  void markUnset(int column) {
    unset[column] = true;
  }

  /**
   * Asks readers that can to leave the values of STRING column {@code column} as their UTF-8
   * bytes instead of Strings when they are pure ASCII without NUL (what every id of a generated
   * portfolio is): {@link #strings} then holds null for such a row, and {@link #string}, {@link
   * #textBytes}, {@link #textStart} and {@link #textLength} give the value. Other values (and every
   * value from a reader that does not support it) stay Strings. The Arrow, Parquet and CSV readers
   * support it. The bytes were
   * checked as the Strings would have been, so a row's refusals do not change.
   */
  public void keepTextAsBytes(int column) {
    if (schema.columns().get(column).type() != io.chainscore.tables.ColumnType.STRING) {
      throw new IllegalArgumentException("column " + column + " is not text");
    }
    if (text == null) {
      text = new byte[columns.length][];
      textStart = new int[columns.length][];
      textLength = new int[columns.length][];
      textUsed = new int[columns.length];
    }
    if (text[column] == null) {
      text[column] = new byte[Math.max(64, capacity * 16)];
      textStart[column] = new int[capacity];
      textLength[column] = new int[capacity];
    }
  }

  /** Little-endian longs over a byte array: {@link #plainAscii} reads eight bytes at a time. */
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long LOW_BITS = 0x0101010101010101L;

  /**
   * Whether {@code bytes[from, to)} are all plain ASCII without NUL (1 to 127), the text a reader may keep as
   * bytes ({@link #keepTextAsBytes}). Eight bytes at a time (the invoice ids of the nightly job are billions of bytes): a word
   * fails when a byte has its high bit set or is zero, the zero found by the borrow of {@code w -
   * 0x01...01} into the high bit of the byte ({@code & ~w} keeps it from the bytes that had it set,
   * which fail anyway); exact for a word of bytes below 0x80.
   */
  static boolean plainAscii(byte[] bytes, int from, int to) {
    long failed = 0;
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long w = (long) LONGS.get(bytes, i);
      failed |= w | ((w - LOW_BITS) & ~w);
    }
    if ((failed & HIGH_BITS) != 0) {
      return false;
    }
    for (; i < to; i++) {
      if (bytes[i] <= 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@link #keepTextAsBytes} was asked for {@code column}. */
  public boolean keepsTextAsBytes(int column) {
    return text != null && text[column] != null;
  }

  /** The text of row {@code row} of STRING column {@code column}, whether held as a String or as bytes. */
  public String string(int column, int row) {
    String s = strings(column)[row];
    if (s != null || !keepsTextAsBytes(column)) {
      return s;
    }
    return new String(text[column], textStart[column][row], textLength[column][row],
        java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** The bytes of the values of a column kept as bytes ({@link #textStart} and {@link #textLength} index them). */
  public byte[] textBytes(int column) {
    return text[column];
  }

  /** Start of each row's value in {@link #textBytes} (rows whose {@link #strings} entry is null). */
  public int[] textStart(int column) {
    return textStart[column];
  }

  /** Length in bytes of each row's value in {@link #textBytes}. */
  public int[] textLength(int column) {
    return textLength[column];
  }

  /**
   * Room for {@code length} more bytes of column {@code column}'s values; returns where they go
   * in {@link #textBytes} (which may be a new array). Readers only.
   */
  /** Gives back the text reserved from {@code at} on (by {@link #reserveText}), unused. */
  void releaseText(int column, int at) {
    textUsed[column] = at;
  }

  int reserveText(int column, int length) {
    int at = textUsed[column];
    if (text[column].length - at < length) {
      text[column] = java.util.Arrays.copyOf(text[column], Math.max(at + length, 2 * text[column].length));
    }
    textUsed[column] = at + length;
    return at;
  }

  public TableSchema schema() {
    return schema;
  }

  public int capacity() {
    return capacity;
  }

  /** Rows currently held. */
  public int size() {
    return size;
  }

  public String[] strings(int column) {
    return (String[]) columns[column];
  }

  /** Epoch days, {@link #NULL_DATE} where empty. */
  public int[] dates(int column) {
    return (int[]) columns[column];
  }

  public int[] ints(int column) {
    return (int[]) columns[column];
  }

  public double[] doubles(int column) {
    return (double[]) columns[column];
  }

  public long[] longs(int column) {
    return (long[]) columns[column];
  }

  public boolean[] booleans(int column) {
    return (boolean[]) columns[column];
  }

  /** 1-based row number in the source file of each held row. */
  public long[] sourceRows() {
    return sourceRows;
  }

  /**
   * What a {@link TableReader.BatchStage} derived from this batch's rows (for example the rows
   * already mapped for an engine), or null; travels with the rows when batches are handed over.
   */
  public Object attachment() {
    return attachment;
  }

  /** Sets {@link #attachment()}. */
  public void attach(Object value) {
    attachment = value;
  }

  /** Empties the batch for reuse; the arrays keep their contents until overwritten. */
  public void clear() {
    size = 0;
    java.util.Arrays.fill(unset, false);
    if (textUsed != null) {
      java.util.Arrays.fill(textUsed, 0);
    }
  }

  /**
   * {@code error}, a reader's refusal of the row it was assembling at position {@link #size()}, with
   * that row's record id ({@link io.chainscore.tables.InputFormatException#withRecordId}): the value
   * of the layout's first column (the id in every trade table: invoice_id, loan_id, supplier_id,
   * ...) when it is a text column and the fault is in another column. The readers copy a row's
   * values in layout order, the first column first, so that value was then read, checked and is in
   * place (the caller makes sure the first column was copied at all). {@code error} as it is when
   * the fault is in the id itself, in the record as a whole (no column), or the id is empty. Called
   * for refused rows only: a good row pays nothing.
   */
  io.chainscore.tables.InputFormatException withRecordIdOfRowAssembled(io.chainscore.tables.InputFormatException error) {
    TableSchema.Column id = schema.columns().get(0);
    if (id.type() != ColumnType.STRING || !BadRecord.idRead(error.column(), id.name())) {
      // the id is not text, or was not read: its slot may hold another row's value
      return error;
    }
    return error.withRecordId(BadRecord.readId(error.column(), id.name(), string(0, size)));
  }

  /** Completes the row assembled at position {@link #size()}, taken from source row {@code sourceRow}. */
  public void commitRow(long sourceRow) {
    sourceRows[size] = sourceRow;
    size++;
  }

  /**
   * Exchanges the rows (arrays, source rows, size and attachment) of this batch with those of {@code other},
   * a batch of the same schema and capacity: hands a filled batch over without copying it.
   */
  void swapWith(ColumnBatch other) {
    if (other.schema != schema || other.capacity != capacity || !java.util.Arrays.equals(unread, other.unread)) {
      throw new IllegalArgumentException("batches of different schema, capacity or unread columns");
    }
    for (int c = 0; c < columns.length; c++) {
      Object t = columns[c];
      columns[c] = other.columns[c];
      other.columns[c] = t;
    }
    long[] rows = sourceRows;
    sourceRows = other.sourceRows;
    other.sourceRows = rows;
    int n = size;
    size = other.size;
    other.size = n;
    Object a = attachment;
    attachment = other.attachment;
    other.attachment = a;
    boolean[] unsetHere = unset;
    unset = other.unset;
    other.unset = unsetHere;
    if (text != null || other.text != null) {
      for (int c = 0; c < columns.length; c++) {
        if (keepsTextAsBytes(c) != other.keepsTextAsBytes(c)) {
          throw new IllegalArgumentException("batches keeping different columns as bytes");
        }
      }
      byte[][] t = text;
      text = other.text;
      other.text = t;
      int[][] st = textStart;
      textStart = other.textStart;
      other.textStart = st;
      int[][] ln = textLength;
      textLength = other.textLength;
      other.textLength = ln;
      int[] u = textUsed;
      textUsed = other.textUsed;
      other.textUsed = u;
    }
  }

  /**
   * Removes the rows marked in {@code removed} (indexed by row, at least {@link #size()} long),
   * keeping the others in order with their source rows. Not for a batch that carries an {@link
   * #attachment()} derived from its rows.
   */
  public void removeRows(boolean[] removed) {
    if (attachment != null) {
      throw new IllegalStateException("the batch carries rows derived from the ones to remove");
    }
    int kept = 0;
    for (int r = 0; r < size; r++) {
      if (removed[r]) {
        continue;
      }
      if (kept != r) {
        for (int c = 0; c < columns.length; c++) {
          Object a = columns[c];
          if (a instanceof String[] v) {
            v[kept] = v[r];
          } else if (a instanceof int[] v) {
            v[kept] = v[r];
          } else if (a instanceof double[] v) {
            v[kept] = v[r];
          } else if (a instanceof long[] v) {
            v[kept] = v[r];
          } else if (a instanceof boolean[] v) {
            v[kept] = v[r];
          }
          if (text != null && text[c] != null) {
            textStart[c][kept] = textStart[c][r];
            textLength[c][kept] = textLength[c][r];
          }
        }
        sourceRows[kept] = sourceRows[r];
      }
      kept++;
    }
    size = kept;
  }

  /** Whether the batch holds {@link #capacity()} rows. */
  public boolean isFull() {
    return size == capacity;
  }
}

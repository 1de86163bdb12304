package io.chainscore.batch.io;

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
  private long[] sourceRows;
  private int size;
  private Object attachment;

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
    if (other.schema != schema || other.capacity != capacity) {
      throw new IllegalArgumentException("batches of different schema or capacity");
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
  }

  /** Whether the batch holds {@link #capacity()} rows. */
  public boolean isFull() {
    return size == capacity;
  }
}

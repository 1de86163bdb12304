package io.chainscore.batch.io;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.CsvReader;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link TableReader} over the shared {@link CsvReader}: the records, quoting and value rules
 * are that reader's; this class only maps the file's columns to the schema's and fills batches.
 * Rows are numbered by record (1 = first record after the header).
 */
final class CsvTableReader implements TableReader {
  private final TableSchema schema;
  private final BadRowHandler handler;
  private final CsvReader csv;
  /** Position of each schema column in the file's records. */
  private final int[] fileColumn;

  CsvTableReader(Path path, TableSchema schema, BadRowHandler handler) throws IOException {
    this.schema = schema;
    this.handler = handler;
    this.csv = CsvReader.open(path);
    try {
      this.fileColumn = csv.columnsOf(schema);
    } catch (RuntimeException e) {
      csv.close();
      throw e;
    }
  }

  @Override
  public boolean next(ColumnBatch batch) throws IOException {
    batch.clear();
    while (!batch.isFull() && csv.next()) {
      InputFormatException error = csv.recordProblem();
      if (error == null) {
        try {
          parseInto(batch);
        } catch (InputFormatException e) {
          error = e;
        }
      }
      if (error == null) {
        batch.commitRow(csv.row());
      } else {
        // refused for a field after its id (the first column, parsed first): named by its id, as a
        // rule's refusal of a good row is; a record refused whole (its fields miscounted) is not
        handler.badRow(batch.withRecordIdOfRowAssembled(error));
      }
    }
    return batch.size() > 0;
  }

  @Override
  public long rowsRead() {
    return csv.row();
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }

  /**
   * Copies field {@code f} into column {@code c}'s bytes at {@code slot} and keeps it there when
   * plain ASCII without NUL, as the Arrow and Parquet readers do (no String per row for the ids
   * the batch asked to keep so); false, the room given back, for any other value, which then goes
   * the String path and its checks.
   */
  private boolean keptAsBytes(ColumnBatch batch, int c, int f, int slot) {
    int length = csv.fieldLength(f);
    int at = batch.reserveText(c, length);
    byte[] bytes = batch.textBytes(c);
    csv.copyField(f, bytes, at);
    if (!ColumnBatch.plainAscii(bytes, at, at + length)) {
      batch.releaseText(c, at);
      return false;
    }
    batch.textStart(c)[slot] = at;
    batch.textLength(c)[slot] = length;
    return true;
  }

  /** Parses the current record into the batch's next slot; throws for the first bad field. */
  private void parseInto(ColumnBatch batch) {
    int slot = batch.size();
    List<TableSchema.Column> columns = schema.columns();
    for (int c = 0; c < columns.size(); c++) {
      TableSchema.Column column = columns.get(c);
      int f = fileColumn[c];
      if (f < 0) {
        // An optional column the file leaves out: empty in every row.
        switch (column.type()) {
          case STRING -> batch.strings(c)[slot] = "";
          case DATE -> batch.dates(c)[slot] = ColumnBatch.NULL_DATE;
          case DOUBLE -> batch.doubles(c)[slot] = Double.NaN;
          default -> throw new IllegalStateException("optional " + column.type() + " column " + column.name());
        }
        continue;
      }
      if (column.type() != ColumnType.STRING) {
        store(batch, c, column.type(), slot, fieldBits(csv, f, column, schema.timeZone()));
        continue;
      }
      requireValue(csv, f, column);
      batch.strings(c)[slot] = batch.keepsTextAsBytes(c) && keptAsBytes(batch, c, f, slot) ? null : csv.text(f);
    }
  }

  /** Refuses field {@code f} of the current record when it is empty and the column requires a value. */
  private static void requireValue(CsvReader csv, int f, TableSchema.Column column) {
    if (csv.isEmpty(f) && !column.nullable()) {
      throw csv.bad(f, CsvReader.EMPTY);
    }
  }

  /**
   * Field {@code f} of {@code csv}'s current record read as a field of {@code column} (a column of
   * numbers, dates or flags) is read, the one rule for such fields: refused when empty and the
   * column requires a value; else its date's epoch day (dates with an offset read in {@code zone}),
   * its number's raw bits, its whole number, or its flag as 1 or 0, as {@link #store} writes them.
   * Also the rule for such values held as text in Arrow and Parquet files ({@link ArrowTableReader}).
   *
   * @throws InputFormatException naming the file, row and column
   */
  static long fieldBits(CsvReader csv, int f, TableSchema.Column column, java.time.ZoneId zone) {
    requireValue(csv, f, column);
    return switch (column.type()) {
      case DATE -> csv.date(f, ColumnBatch.NULL_DATE, zone);
      case DOUBLE -> Double.doubleToRawLongBits(csv.number(f, Double.NaN));
      case INT -> csv.integer(f, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case LONG -> csv.integer(f, Long.MIN_VALUE, Long.MAX_VALUE);
      case BOOLEAN -> csv.bool(f) ? 1 : 0;
      default -> throw new IllegalStateException(column.type().toString());
    };
  }

  /** The bits {@link #fieldBits} gives for a missing value of a column of {@code type} (date or number). */
  static long missingBits(ColumnType type) {
    return type == ColumnType.DATE ? ColumnBatch.NULL_DATE : Double.doubleToRawLongBits(Double.NaN);
  }

  /** Writes {@link #fieldBits}'s value of a column of {@code type} into column {@code c} of the batch at {@code slot}. */
  static void store(ColumnBatch batch, int c, ColumnType type, int slot, long bits) {
    switch (type) {
      case DATE -> batch.dates(c)[slot] = (int) bits;
      case DOUBLE -> batch.doubles(c)[slot] = Double.longBitsToDouble(bits);
      case INT -> batch.ints(c)[slot] = (int) bits;
      case LONG -> batch.longs(c)[slot] = bits;
      case BOOLEAN -> batch.booleans(c)[slot] = bits != 0;
      default -> throw new IllegalStateException(type.toString());
    }
  }
}

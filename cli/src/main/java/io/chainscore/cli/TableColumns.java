package io.chainscore.cli;

import io.chainscore.batch.io.BadRowHandler;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.InputFormatException;
import io.chainscore.batch.io.TableReader;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Whether a table file has a column, asked of the same readers that will read it. */
final class TableColumns {
  private TableColumns() {}

  /**
   * True when {@code file} (a regular file in any supported format) has a column named {@code
   * column}, of whatever type; false when it has not, or when it cannot be read at all (the run
   * that reads it then reports why).
   *
   * <p>The column is asked for as a date, as text and as a number: a reader refuses a column of
   * another type than the one asked for at the schema, as it refuses a missing one, so one type
   * alone would take an Arrow or Parquet date column (what {@code features} writes) for no column.
   */
  static boolean has(Path file, String column) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    for (ColumnType type : new ColumnType[] {ColumnType.DATE, ColumnType.STRING, ColumnType.DOUBLE}) {
      if (readsAs(file, column, type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses a feature table without {@code supplier_id} when no {@code --id-column} names another
   * id column ({@code idColumn} null), saying so: the readers' own refusal lists every column the
   * model reads and would not point to the option.
   *
   * @throws InputFormatException naming the file and the column
   */
  static void requireRowIds(Path file, String idColumn) throws IOException {
    String id = io.chainscore.batch.scoring.FeatureTableScoring.ID_COLUMN;
    if (idColumn == null && Files.isRegularFile(file) && !has(file, id)) {
      throw new InputFormatException(file.toString(), 0, id, "missing from the header; expected the column that"
          + " identifies each row, or --id-column naming the one that does");
    }
  }

  /**
   * False when {@code file} (a regular file in any supported format, with a column {@code
   * column}) has a header and no data row, as the readers read it (blank CSV lines are none);
   * true otherwise, also when it cannot be read so (the run that reads it then reports why).
   */
  static boolean hasDataRows(Path file, String column) throws IOException {
    TableSchema probe = new TableSchema("probe", List.of(TableSchema.nullable(column, ColumnType.STRING)));
    try (TableReader reader = TableReader.open(file, probe, BadRowHandler.STRICT)) {
      ColumnBatch batch = new ColumnBatch(probe, 1);
      return reader.next(batch) && batch.size() > 0 || reader.rowsRead() > 0;
    } catch (InputFormatException e) {
      return true;
    }
  }

  /** Whether the readers take {@code column} of {@code file} as {@code type} (a bad value in a row does not count against it). */
  private static boolean readsAs(Path file, String column, ColumnType type) throws IOException {
    TableSchema probe = new TableSchema("probe", List.of(TableSchema.nullable(column, type)));
    try (TableReader reader = TableReader.open(file, probe, BadRowHandler.STRICT)) {
      reader.next(new ColumnBatch(probe, 1));
      return true;
    } catch (InputFormatException e) {
      return !(column.equals(e.column()) && e.row() <= 0);
    }
  }
}

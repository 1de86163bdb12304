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
   * column}; false when it has not, or when it cannot be read at all (the run that reads it then
   * reports why).
   */
  static boolean has(Path file, String column) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    TableSchema probe = new TableSchema("probe", List.of(TableSchema.nullable(column, ColumnType.STRING)));
    try (TableReader reader = TableReader.open(file, probe, BadRowHandler.STRICT)) {
      reader.next(new ColumnBatch(probe, 1));
      return true;
    } catch (InputFormatException e) {
      return !(column.equals(e.column()) && e.row() <= 0);
    }
  }
}

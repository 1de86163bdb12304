package io.chainscore.batch.io;

import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens table writers in a chosen format. */
public final class Tables {
  private Tables() {}

  /**
   * Opens a writer for {@code schema} at {@code directory/<name>.<ext>}; the data goes to a
   * temporary file in the same directory until {@link TableWriter#commit()}.
   *
   * @throws FileAlreadyExistsException when the target exists and {@code overwrite} is false
   */
  public static TableWriter open(Path directory, TableSchema schema, TableWriter.Format format, boolean overwrite)
      throws IOException {
    Path target = directory.resolve(schema.name() + "." + format.extension());
    if (!overwrite && Files.exists(target)) {
      throw new FileAlreadyExistsException(
          target.toString(), null, "already exists; pass --overwrite to replace it");
    }
    return switch (format) {
      case CSV -> new CsvTableWriter(schema, target);
      case ARROW -> new ArrowTableWriter(schema, target, false);
      case PARQUET -> new ArrowTableWriter(schema, target, true);
    };
  }
}

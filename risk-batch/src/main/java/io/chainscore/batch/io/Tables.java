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
    return writer(schema, target, format);
  }

  /**
   * Opens a writer for {@code schema} at {@code target}, in the format its extension names (.csv,
   * .arrow or .feather, .parquet: {@link OutputSpool}'s rule, which also takes the batch engine's
   * .arrows streams, refused here); the data goes to a temporary file beside it until {@link
   * TableWriter#commit()}.
   *
   * @throws IllegalArgumentException when the extension names no format this writes
   * @throws FileAlreadyExistsException when the target exists and {@code overwrite} is false
   */
  public static TableWriter openFile(Path target, TableSchema schema, boolean overwrite) throws IOException {
    TableWriter.Format format = switch (OutputSpool.kind(target)) {
      case "csv" -> TableWriter.Format.CSV;
      case "arrow" -> TableWriter.Format.ARROW;
      case "parquet" -> TableWriter.Format.PARQUET;
      default -> throw new IllegalArgumentException(
          "output " + target + ": an Arrow stream is written by the batch engine only; expected .csv, .arrow or .parquet");
    };
    if (!overwrite && Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "already exists; pass --overwrite to replace it");
    }
    return writer(schema, target, format);
  }

  private static TableWriter writer(TableSchema schema, Path target, TableWriter.Format format) throws IOException {
    return switch (format) {
      case CSV -> new CsvTableWriter(schema, target);
      case ARROW -> new ArrowTableWriter(schema, target, false);
      case PARQUET -> new ArrowTableWriter(schema, target, true);
    };
  }
}

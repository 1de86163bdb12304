package io.chainscore.batch.io;

import io.chainscore.tables.CsvWriter;
import io.chainscore.tables.TableSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;

/** CSV through the shared {@link CsvWriter} (RFC 4180, UTF-8, LF line ends, header row), with atomic commit. */
final class CsvTableWriter implements TableWriter {
  private final TableSchema schema;
  private final Path target;
  private final Path temporary;
  private final BufferedWriter out;
  private final String[] row;
  private final StringBuilder line = new StringBuilder(256);
  private final CsvWriter csv = new CsvWriter(line);
  private boolean committed;

  CsvTableWriter(TableSchema schema, Path target) throws IOException {
    this.schema = schema;
    this.target = target;
    this.temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
    this.out = new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(temporary), StandardCharsets.UTF_8), 1 << 16);
    this.row = new String[schema.columns().size()];
    csv.header(schema);
    out.append(line);
  }

  @Override
  public void setString(int column, String value) {
    row[column] = value;
  }

  @Override
  public void setDate(int column, LocalDate value) {
    row[column] = value == null ? "" : value.toString();
  }

  @Override
  public void setDouble(int column, double value) {
    row[column] = CsvWriter.formatNumber(value);
  }

  @Override
  public void setInt(int column, int value) {
    row[column] = Integer.toString(value);
  }

  @Override
  public void setLong(int column, long value) {
    row[column] = Long.toString(value);
  }

  @Override
  public void setBoolean(int column, boolean value) {
    row[column] = value ? "true" : "false";
  }

  @Override
  public void setNull(int column) {
    row[column] = "";
  }

  @Override
  public void endRow() throws IOException {
    line.setLength(0);
    for (int i = 0; i < row.length; i++) {
      String value = row[i];
      if (value == null) {
        throw new IllegalStateException(
            schema.name() + ": column " + schema.columns().get(i).name() + " was not set");
      }
      // Every value is already in its CSV text form; text() only quotes where needed.
      csv.text(value);
      row[i] = null;
    }
    csv.endRow();
    out.append(line);
  }

  @Override
  public void commit() throws IOException {
    out.close();
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      out.close();
      Files.deleteIfExists(temporary);
    }
  }
}

package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads a Parquet file into Arrow record batches of {@value #BATCH_ROWS} rows, page by page, in
 * pure Java: the columns of the table schema that the file has, with the Arrow types Arrow's own
 * Parquet reader gives them (INT32 as Int(32), or Int(8) / Int(16) / Date(DAY) by annotation;
 * INT64 as Int(64); FLOAT and DOUBLE; BOOLEAN as Bool; UTF-8 BYTE_ARRAY as Utf8). The rules of the
 * table schema are then applied by {@link ArrowTableReader}, the one place for them.
 *
 * <p>Why not Arrow's dataset scanner (which remains the writer, and the reader of files using an
 * encoding or codec {@link ParquetColumn} does not decode): it pre-buffers the byte ranges of every
 * row group of a file when the scan starts and keeps them until the file is closed
 * (apache/arrow#39808), so its memory grew with the file (20 GB of RSS at 250M invoices). This
 * reader holds one page per column, so its memory does not depend on the file's size.
 *
 * <p>Thread safety: not thread-safe; one reader thread.
 */
final class ParquetBatchReader extends ArrowReader {
  static final int BATCH_ROWS = 32_768;

  private final FileChannel channel;
  private final List<Field> fields = new ArrayList<>();
  private final List<ParquetColumn> columns = new ArrayList<>();
  private final long rows;
  private long rowsLoaded;
  private boolean allocated;

  private ParquetBatchReader(String file, FileChannel channel, ParquetLayout layout, TableSchema schema,
      BufferAllocator allocator) {
    super(allocator);
    this.channel = channel;
    long total = 0;
    for (ParquetLayout.RowGroup g : layout.rowGroups) {
      total += g.rows();
    }
    this.rows = total;
    for (TableSchema.Column column : schema.columns()) {
      int leaf = indexOf(layout, column.name());
      if (leaf < 0) {
        continue;   // ArrowTableReader says whether it may be left out
      }
      ParquetLayout.Leaf l = layout.leaves.get(leaf);
      ArrowType type = arrowType(l);
      if (!l.flat() || type == null) {
        throw new InputFormatException(file, 0, column.name(), "has Parquet type " + l.typeName()
            + (l.flat() ? "" : " inside a group or repeated") + "; expected " + ArrowTableReader.expected(column.type()));
      }
      fields.add(new Field(column.name(), FieldType.nullable(type), null));
      columns.add(new ParquetColumn(channel, layout, leaf, arrowWidth(type)));
    }
  }

  /**
   * Opens {@code path} with this reader, or returns null when the file's columns that {@code
   * schema} reads use an encoding or codec it does not decode (the caller then uses Arrow's).
   */
  static ParquetBatchReader openIfDecodable(Path path, TableSchema schema, BufferAllocator allocator)
      throws IOException {
    String file = path.toString();
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      ParquetLayout layout = ParquetLayout.read(file, channel);
      for (TableSchema.Column column : schema.columns()) {
        int leaf = indexOf(layout, column.name());
        if (leaf >= 0 && !ParquetColumn.decodes(layout, leaf)) {
          channel.close();
          return null;
        }
      }
      return new ParquetBatchReader(file, channel, layout, schema, allocator);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static int indexOf(ParquetLayout layout, String name) {
    for (int i = 0; i < layout.leaves.size(); i++) {
      if (name.equals(layout.leaves.get(i).name())) {
        return i;
      }
    }
    return -1;
  }

  /** The Arrow type Arrow's Parquet reader gives the leaf, or null for one this reader does not read. */
  private static ArrowType arrowType(ParquetLayout.Leaf leaf) {
    String logical = leaf.logical();
    return switch (leaf.physicalType()) {
      case ParquetLayout.BOOLEAN -> logical.equals("plain") ? ArrowType.Bool.INSTANCE : null;
      case ParquetLayout.INT32 -> switch (logical) {
        case "plain", "int32" -> new ArrowType.Int(32, true);
        case "int16" -> new ArrowType.Int(16, true);
        case "int8" -> new ArrowType.Int(8, true);
        case "date" -> new ArrowType.Date(DateUnit.DAY);
        default -> null;
      };
      case ParquetLayout.INT64 -> logical.equals("plain") || logical.equals("int64") ? new ArrowType.Int(64, true) : null;
      case ParquetLayout.FLOAT -> logical.equals("plain") ? new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE) : null;
      case ParquetLayout.DOUBLE -> logical.equals("plain") ? new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE) : null;
      case ParquetLayout.BYTE_ARRAY -> logical.equals("string") ? ArrowType.Utf8.INSTANCE : null;
      default -> null;
    };
  }

  private static int arrowWidth(ArrowType type) {
    if (type instanceof ArrowType.Int i) {
      return i.getBitWidth() / 8;
    }
    if (type instanceof ArrowType.Date) {
      return 4;
    }
    if (type instanceof ArrowType.FloatingPoint f) {
      return f.getPrecision() == FloatingPointPrecision.DOUBLE ? 8 : 4;
    }
    return 0;   // Bool and Utf8
  }

  @Override
  protected Schema readSchema() {
    return new Schema(fields);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    int n = (int) Math.min(BATCH_ROWS, rows - rowsLoaded);
    if (n <= 0) {
      return false;
    }
    VectorSchemaRoot root = getVectorSchemaRoot();
    for (int c = 0; c < columns.size(); c++) {
      FieldVector v = root.getVector(c);
      if (!allocated) {
        v.setInitialCapacity(BATCH_ROWS);
        v.allocateNew();
      } else if (v instanceof BaseFixedWidthVector fixed) {
        fixed.reset();   // all null again; capacity kept
      } else {
        ((BaseVariableWidthVector) v).reset();
      }
      columns.get(c).copy(v, n);
      v.setValueCount(n);
    }
    allocated = true;
    root.setRowCount(n);
    rowsLoaded += n;
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() throws IOException {
    channel.close();
  }
}

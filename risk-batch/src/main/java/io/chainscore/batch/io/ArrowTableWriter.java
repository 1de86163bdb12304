package io.chainscore.batch.io;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow IPC file format in record batches of {@link #BATCH_ROWS} rows, with atomic commit; for
 * Parquet the Arrow file is converted when committed.
 */
final class ArrowTableWriter implements TableWriter {
  static final int BATCH_ROWS = 65_536;

  private final Path target;
  private final Path temporary;
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final FieldVector[] vectors;
  private final FileChannel channel;
  private final ArrowFileWriter writer;
  private int rowInBatch;
  private final boolean parquet;
  private boolean committed;

  ArrowTableWriter(TableSchema schema, Path target, boolean parquet) throws IOException {
    this.target = target;
    this.parquet = parquet;
    this.temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
    this.allocator = new RootAllocator();
    List<Field> fields = new ArrayList<>();
    for (TableSchema.Column c : schema.columns()) {
      fields.add(new Field(c.name(), new FieldType(c.nullable(), arrowType(c.type()), null), null));
    }
    this.root = VectorSchemaRoot.create(new Schema(fields), allocator);
    this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
    this.channel = FileChannel.open(
        temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    this.writer = new ArrowFileWriter(root, null, channel);
    writer.start();
    root.allocateNew();
  }

  static ArrowType arrowType(ColumnType type) {
    return switch (type) {
      case STRING -> ArrowType.Utf8.INSTANCE;
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case INT -> new ArrowType.Int(32, true);
      case LONG -> new ArrowType.Int(64, true);
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
    };
  }

  @Override
  public void setString(int column, String value) {
    ((VarCharVector) vectors[column]).setSafe(rowInBatch, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void setDate(int column, LocalDate value) {
    if (value == null) {
      setNull(column);
    } else {
      ((DateDayVector) vectors[column]).setSafe(rowInBatch, Math.toIntExact(value.toEpochDay()));
    }
  }

  @Override
  public void setDouble(int column, double value) {
    ((Float8Vector) vectors[column]).setSafe(rowInBatch, value);
  }

  @Override
  public void setInt(int column, int value) {
    ((IntVector) vectors[column]).setSafe(rowInBatch, value);
  }

  @Override
  public void setLong(int column, long value) {
    ((org.apache.arrow.vector.BigIntVector) vectors[column]).setSafe(rowInBatch, value);
  }

  @Override
  public void setBoolean(int column, boolean value) {
    ((BitVector) vectors[column]).setSafe(rowInBatch, value ? 1 : 0);
  }

  @Override
  public void setNull(int column) {
    vectors[column].setNull(rowInBatch);
  }

  @Override
  public void endRow() throws IOException {
    rowInBatch++;
    if (rowInBatch == BATCH_ROWS) {
      flushBatch();
    }
  }

  private void flushBatch() throws IOException {
    for (FieldVector v : vectors) {
      v.setValueCount(rowInBatch);
    }
    root.setRowCount(rowInBatch);
    writer.writeBatch();
    rowInBatch = 0;
    root.allocateNew();
  }

  @Override
  public void commit() throws IOException {
    if (rowInBatch > 0) {
      flushBatch();
    }
    writer.end();
    writer.close();
    channel.close();
    root.close();
    allocator.close();
    if (parquet) {
      ParquetFiles.convert(temporary, true, target);
      Files.delete(temporary);
    } else {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      try {
        writer.close();
        channel.close();
        root.close();
        allocator.close();
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
  }
}

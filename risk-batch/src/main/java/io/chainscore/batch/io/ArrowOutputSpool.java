package io.chainscore.batch.io;

import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow output spooled as an IPC stream: one record batch per appended chunk. A resumed spool is
 * truncated to the checkpoint and continues with a writer whose schema message is swallowed, so
 * the bytes match an uninterrupted run. An {@code .arrow} target is converted from the stream to
 * the IPC file format when finished, a {@code .parquet} target to Parquet.
 */
final class ArrowOutputSpool implements OutputSpool {
  private final Path target;
  private final Path partial;
  private final String kind;
  private final BufferAllocator allocator = new RootAllocator();
  private final VectorSchemaRoot root;
  private final FieldVector[] vectors;
  private final TableSchema schema;
  private final FileChannel channel;
  private final ArrowStreamWriter writer;
  private final long headerBytes;
  private boolean closed;

  ArrowOutputSpool(Path target, Path partial, TableSchema schema, long resumeLength, long headerBytes,
      String kind) throws IOException {
    this.target = target;
    this.partial = partial;
    this.schema = schema;
    this.kind = kind;
    List<Field> fields = new ArrayList<>();
    for (TableSchema.Column c : schema.columns()) {
      fields.add(new Field(c.name(), new FieldType(c.nullable(), ArrowTableWriter.arrowType(c.type()), null), null));
    }
    this.root = VectorSchemaRoot.create(new Schema(fields), allocator);
    this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
    if (resumeLength < 0) {
      channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      writer = new ArrowStreamWriter(root, null, channel);
      writer.start();
      this.headerBytes = channel.position();
    } else {
      channel = FileChannel.open(partial, StandardOpenOption.WRITE);
      if (channel.size() < resumeLength) {
        channel.close();
        throw new IOException(partial + " is shorter than its checkpoint; it cannot be resumed");
      }
      channel.truncate(resumeLength);
      channel.position(resumeLength);
      writer = new ArrowStreamWriter(root, null, new SkipFirstBytes(channel, headerBytes));
      writer.start();
      this.headerBytes = headerBytes;
    }
  }

  /** Discards the first bytes written (the schema message already in the partial file). */
  private static final class SkipFirstBytes implements WritableByteChannel {
    private final FileChannel delegate;
    private long toSkip;

    SkipFirstBytes(FileChannel delegate, long toSkip) {
      this.delegate = delegate;
      this.toSkip = toSkip;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int total = src.remaining();
      if (toSkip > 0) {
        int skip = (int) Math.min(toSkip, src.remaining());
        src.position(src.position() + skip);
        toSkip -= skip;
      }
      while (src.hasRemaining()) {
        delegate.write(src);
      }
      return total;
    }

    @Override
    public boolean isOpen() {
      return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }

  @Override
  public void append(ColumnBatch batch) throws IOException {
    int rows = batch.size();
    root.allocateNew();
    List<TableSchema.Column> columns = schema.columns();
    for (int c = 0; c < columns.size(); c++) {
      FieldVector v = vectors[c];
      switch (columns.get(c).type()) {
        case STRING -> {
          VarCharVector s = (VarCharVector) v;
          String[] values = batch.strings(c);
          for (int r = 0; r < rows; r++) {
            if (values[r] == null) {
              s.setNull(r);
            } else {
              s.setSafe(r, values[r].getBytes(StandardCharsets.UTF_8));
            }
          }
        }
        case DATE -> {
          DateDayVector d = (DateDayVector) v;
          int[] values = batch.dates(c);
          for (int r = 0; r < rows; r++) {
            if (values[r] == ColumnBatch.NULL_DATE) {
              d.setNull(r);
            } else {
              d.setSafe(r, values[r]);
            }
          }
        }
        case DOUBLE -> {
          Float8Vector d = (Float8Vector) v;
          double[] values = batch.doubles(c);
          boolean nullable = columns.get(c).nullable();
          for (int r = 0; r < rows; r++) {
            if (nullable && Double.isNaN(values[r])) {
              d.setNull(r);
            } else {
              d.setSafe(r, values[r]);
            }
          }
        }
        case INT -> {
          IntVector d = (IntVector) v;
          int[] values = batch.ints(c);
          for (int r = 0; r < rows; r++) {
            d.setSafe(r, values[r]);
          }
        }
        case LONG -> {
          BigIntVector d = (BigIntVector) v;
          long[] values = batch.longs(c);
          for (int r = 0; r < rows; r++) {
            d.setSafe(r, values[r]);
          }
        }
        case BOOLEAN -> {
          BitVector d = (BitVector) v;
          boolean[] values = batch.booleans(c);
          for (int r = 0; r < rows; r++) {
            d.setSafe(r, values[r] ? 1 : 0);
          }
        }
        default -> throw new IllegalStateException(columns.get(c).type().toString());
      }
      v.setValueCount(rows);
    }
    root.setRowCount(rows);
    writer.writeBatch();
  }

  @Override
  public long sync() throws IOException {
    channel.force(false);
    return channel.position();
  }

  @Override
  public long headerBytes() {
    return headerBytes;
  }

  @Override
  public void finish() throws IOException {
    if (kind.equals("arrows")) {
      end();
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Path staged = partial.resolveSibling(partial.getFileName() + ".file");
    complete(staged);
    Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(partial);
  }

  private void end() throws IOException {
    if (!closed) {
      writer.end();
      channel.force(false);
      closeWriter();
    }
  }

  @Override
  public Path complete(Path staged) throws IOException {
    end();
    if (kind.equals("arrows")) {
      OutputSpool.link(partial, staged);
      return staged;
    }
    if (kind.equals("parquet")) {
      ParquetFiles.convert(partial, false, staged);
      try (FileChannel written = FileChannel.open(staged, StandardOpenOption.WRITE)) {
        written.force(false);
      }
      return staged;
    }
    try (BufferAllocator conversion = new RootAllocator();
        ArrowStreamReader reader = new ArrowStreamReader(Files.newInputStream(partial), conversion);
        FileChannel out = FileChannel.open(staged, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        ArrowFileWriter fileWriter = new ArrowFileWriter(reader.getVectorSchemaRoot(), null, out)) {
      fileWriter.start();
      while (reader.loadNextBatch()) {
        fileWriter.writeBatch();
      }
      fileWriter.end();
      out.force(false);
    }
    return staged;
  }

  private void closeWriter() throws IOException {
    if (!closed) {
      closed = true;
      try {
        writer.close();
      } finally {
        channel.close();
        root.close();
        allocator.close();
      }
    }
  }

  @Override
  public void close() throws IOException {
    closeWriter();
  }
}

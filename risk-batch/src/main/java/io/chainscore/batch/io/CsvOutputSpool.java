package io.chainscore.batch.io;

import io.chainscore.tables.CsvWriter;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** CSV output through the shared {@link CsvWriter}, appended to a partial file. */
final class CsvOutputSpool implements OutputSpool {
  private final Path target;
  private final Path partial;
  private final TableSchema schema;
  private final FileChannel channel;
  private final StringBuilder text = new StringBuilder(1 << 16);
  private final CsvWriter csv = new CsvWriter(text);
  private final long headerBytes;

  CsvOutputSpool(Path target, Path partial, TableSchema schema, long resumeLength, long headerBytes)
      throws IOException {
    this.target = target;
    this.partial = partial;
    this.schema = schema;
    if (resumeLength < 0) {
      this.channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      csv.header(schema);
      flushText();
      this.headerBytes = channel.position();
    } else {
      this.channel = FileChannel.open(partial, StandardOpenOption.WRITE);
      if (channel.size() < resumeLength) {
        channel.close();
        throw new IOException(partial + " is shorter (" + Files.size(partial) + " bytes) than its checkpoint ("
            + resumeLength + " bytes); it cannot be resumed");
      }
      channel.truncate(resumeLength);
      channel.position(resumeLength);
      this.headerBytes = headerBytes;
    }
  }

  @Override
  public void append(ColumnBatch batch) throws IOException {
    List<TableSchema.Column> columns = schema.columns();
    for (int r = 0; r < batch.size(); r++) {
      for (int c = 0; c < columns.size(); c++) {
        switch (columns.get(c).type()) {
          case STRING -> csv.text(batch.strings(c)[r]);
          case DATE -> {
            int day = batch.dates(c)[r];
            if (day != ColumnBatch.NULL_DATE) {
              csv.date(day);
            } else {
              csv.empty();
            }
          }
          case DOUBLE -> {
            double d = batch.doubles(c)[r];
            if (!Double.isNaN(d) || !columns.get(c).nullable()) {
              csv.number(d);
            } else {
              csv.empty();
            }
          }
          case INT -> csv.integer(batch.ints(c)[r]);
          case LONG -> csv.integer(batch.longs(c)[r]);
          case BOOLEAN -> csv.bool(batch.booleans(c)[r]);
          default -> throw new IllegalStateException(columns.get(c).type().toString());
        }
      }
      csv.endRow();
      if (text.length() > (1 << 16)) {
        flushText();
      }
    }
  }

  private void flushText() throws IOException {
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(text));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    text.setLength(0);
  }

  @Override
  public long sync() throws IOException {
    flushText();
    channel.force(false);
    return channel.position();
  }

  @Override
  public long headerBytes() {
    return headerBytes;
  }

  @Override
  public void finish() throws IOException {
    sync();
    channel.close();
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public Path complete(Path staged) throws IOException {
    sync();
    channel.close();
    OutputSpool.link(partial, staged);
    return staged;
  }

  @Override
  public void close() throws IOException {
    if (channel.isOpen()) {
      flushText();
      channel.close();
    }
  }
}

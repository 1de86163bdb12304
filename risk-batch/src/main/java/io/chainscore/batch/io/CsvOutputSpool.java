package io.chainscore.batch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;

/** CSV output appended to a partial file (same text rules as {@link CsvTableWriter}). */
final class CsvOutputSpool implements OutputSpool {
  private final Path target;
  private final Path partial;
  private final TableSchema schema;
  private final FileChannel channel;
  private final StringBuilder text = new StringBuilder(1 << 16);
  private final long headerBytes;

  CsvOutputSpool(Path target, Path partial, TableSchema schema, long resumeLength, long headerBytes)
      throws IOException {
    this.target = target;
    this.partial = partial;
    this.schema = schema;
    if (resumeLength < 0) {
      this.channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      Csv.appendHeader(text, schema);
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
        if (c > 0) {
          text.append(',');
        }
        switch (columns.get(c).type()) {
          case STRING -> {
            String s = batch.strings(c)[r];
            Csv.appendField(text, s == null ? "" : s);
          }
          case DATE -> {
            int day = batch.dates(c)[r];
            if (day != ColumnBatch.NULL_DATE) {
              text.append(LocalDate.ofEpochDay(day));
            }
          }
          case DOUBLE -> {
            double d = batch.doubles(c)[r];
            if (!Double.isNaN(d) || !columns.get(c).nullable()) {
              text.append(Csv.formatDouble(d));
            }
          }
          case INT -> text.append(batch.ints(c)[r]);
          case LONG -> text.append(batch.longs(c)[r]);
          case BOOLEAN -> text.append(batch.booleans(c)[r] ? "true" : "false");
          default -> throw new IllegalStateException(columns.get(c).type().toString());
        }
      }
      text.append('\n');
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

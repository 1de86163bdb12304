package io.chainscore.batch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The row count a Parquet file's footer declares ({@code FileMetaData.num_rows}), read without
 * the Parquet library: the footer is a Thrift compact-protocol struct whose field 3 is the count,
 * after the version (field 1) and the schema list (field 2), which are skipped field by field.
 *
 * <p>Only a hint (the duplicate check sizes its set with it): any malformed footer gives -1, and
 * the reader that scans the file reports what is wrong with it.
 */
final class ParquetFooter {
  private static final int MAX_FOOTER = 64 << 20;
  private static final int MAX_DEPTH = 64;

  private final ByteBuffer in;

  private ParquetFooter(ByteBuffer in) {
    this.in = in;
  }

  /** The footer's {@code num_rows}, or -1 when the file is not a well-formed Parquet file. */
  static long rowCount(Path file) {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      if (size < 12) {
        return -1;
      }
      ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      channel.position(size - 8);
      readFully(channel, tail);
      int length = tail.getInt(0);
      if (tail.get(4) != 'P' || tail.get(5) != 'A' || tail.get(6) != 'R' || tail.get(7) != '1'
          || length <= 0 || length > MAX_FOOTER || length > size - 12) {
        return -1;
      }
      ByteBuffer footer = ByteBuffer.allocate(length);
      channel.position(size - 8 - length);
      readFully(channel, footer);
      footer.flip();
      return new ParquetFooter(footer).numRows();
    } catch (IOException | RuntimeException e) {
      return -1; // a hint only: the scan reports the file's fault
    }
  }

  /** Reads the count from a serialized {@code FileMetaData} (for tests). */
  static long rowCount(byte[] fileMetaData) {
    try {
      return new ParquetFooter(ByteBuffer.wrap(fileMetaData)).numRows();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static void readFully(SeekableByteChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("end of file");
      }
    }
  }

  private long numRows() {
    int field = 0;
    while (true) {
      int header = in.get() & 0xff;
      if (header == 0) {
        return -1; // stop: no num_rows
      }
      int type = header & 0x0f;
      int delta = header >>> 4;
      field = delta != 0 ? field + delta : zigzag32(varint());
      if (field == 3 && type == 6) {
        long rows = zigzag64(varint());
        return rows >= 0 ? rows : -1;
      }
      skip(type, 0);
    }
  }

  /** Skips one value of compact type {@code type}. */
  private void skip(int type, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException("nested too deep");
    }
    switch (type) {
      case 1, 2 -> { } // a boolean field holds its value in the type
      case 3 -> in.get();
      case 4, 5, 6 -> varint();
      case 7 -> in.position(in.position() + 8);
      case 8 -> {
        long length = varint();
        if (length < 0 || length > in.remaining()) {
          throw new IllegalStateException("binary too long");
        }
        in.position(in.position() + (int) length);
      }
      case 9, 10 -> {
        int head = in.get() & 0xff;
        long count = head >>> 4 == 15 ? varint() : head >>> 4;
        int element = head & 0x0f;
        for (long i = 0; i < count; i++) {
          skipElement(element, depth + 1);
        }
      }
      case 11 -> {
        long count = varint();
        if (count > 0) {
          int kinds = in.get() & 0xff;
          for (long i = 0; i < count; i++) {
            skipElement(kinds >>> 4, depth + 1);
            skipElement(kinds & 0x0f, depth + 1);
          }
        }
      }
      case 12 -> {
        while (true) {
          int header = in.get() & 0xff;
          if (header == 0) {
            break;
          }
          if (header >>> 4 == 0) {
            varint(); // a long-form field id
          }
          skip(header & 0x0f, depth + 1);
        }
      }
      default -> throw new IllegalStateException("unknown compact type " + type);
    }
  }

  /** In lists, sets and maps a boolean is one byte. */
  private void skipElement(int type, int depth) {
    if (type == 1 || type == 2) {
      in.get();
    } else {
      skip(type, depth);
    }
  }

  private long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.get() & 0xff;
      result |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return result;
      }
    }
    throw new IllegalStateException("varint too long");
  }

  private static int zigzag32(long n) {
    return (int) (n >>> 1) ^ -(int) (n & 1);
  }

  private static long zigzag64(long n) {
    return (n >>> 1) ^ -(n & 1);
  }
}

package io.chainscore.batch.io;

import io.airlift.compress.zstd.ZstdDecompressor;
import io.chainscore.tables.InputFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

/**
 * Arrow IPC files and streams opened as every reader of them in this module opens them ({@link
 * #open}): compressed bodies decoded ({@link #CODECS}), and a stream required to end with its
 * end-of-stream marker ({@link #requireEndMarker}).
 *
 * <p>The body buffers of record and dictionary batches are decompressed in pure Java: ZSTD frames
 * by aircompressor (as the Parquet reader's ZSTD pages) and LZ4 frames by {@link #lz4Frame}, a
 * decoder of the LZ4 frame format over its own block decoder. pyarrow writes Feather files LZ4-compressed by default ({@code df.to_feather()}), and
 * Arrow's Java reader, without its {@code arrow-compression} module (zstd-jni's native library and
 * commons-compress), refuses them. Reading only: {@code compress} is not supported.
 *
 * <p>A buffer that does not decode, or decodes to another length than its prefix gives, throws
 * {@link IllegalStateException}, which the reader reports as an unreadable file.
 *
 * <p>Thread safety: a reader and its codecs are used by one thread at a time (a codec's ZSTD
 * decompressor is reused); the factory, stateless, makes a codec per reader.
 */
final class ArrowIpc {
  private ArrowIpc() {}

  /** The codecs for compressed bodies. */
  static final CompressionCodec.Factory CODECS = new Codecs();

  /**
   * A reader of the Arrow IPC file ({@code fileFormat}) or stream on {@code channel}, which it
   * closes; for a stream, call {@link #requireEndMarker} once its batches run out.
   */
  static ArrowReader open(SeekableByteChannel channel, boolean fileFormat, BufferAllocator allocator) {
    return fileFormat ? new ArrowFileReader(channel, allocator, CODECS) : new WatchedStream(channel, allocator);
  }

  /**
   * Refuses a stream read by {@code reader} ({@link #open}) whose batches ran out where its bytes
   * did: Arrow's reader takes the end of the bytes as the end of the stream, so a stream cut after a
   * whole batch (or 1-3 bytes into the next message) would lose its later rows silently. A complete
   * stream ends with the end-of-stream marker, after which nothing more is read. Nothing for a file
   * (its footer is checked when it is opened).
   *
   * @throws InputFormatException naming {@code file} and the rows read
   */
  static void requireEndMarker(ArrowReader reader, String file, long rowsRead) {
    if (reader instanceof WatchedStream stream && stream.watch.reachedEnd) {
      throw new InputFormatException(file, -1, null, "ends without the Arrow stream's end-of-stream marker after "
          + rowsRead + " rows: the file is truncated (a writer that did not finish?)");
    }
  }

  /** A stream reader whose channel notes whether a read reached the end of the bytes. */
  private static final class WatchedStream extends ArrowStreamReader {
    final EndWatch watch;

    WatchedStream(ReadableByteChannel channel, BufferAllocator allocator) {
      this(new EndWatch(channel), allocator);
    }

    private WatchedStream(EndWatch watch, BufferAllocator allocator) {
      super(watch, allocator, CODECS);
      this.watch = watch;
    }
  }

  private static final class EndWatch implements ReadableByteChannel {
    private final ReadableByteChannel channel;
    boolean reachedEnd;

    EndWatch(ReadableByteChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
      int n = channel.read(buffer);
      reachedEnd |= n < 0;
      return n;
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private static final class Codecs implements CompressionCodec.Factory {
    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
      return switch (codecType) {
        case NO_COMPRESSION -> NoCompressionCodec.INSTANCE;
        case LZ4_FRAME, ZSTD -> new Codec(codecType);
      };
    }

    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
      return createCodec(codecType);
    }
  }

  private static final class Codec extends AbstractCompressionCodec {
    private final CompressionUtil.CodecType type;
    private final ZstdDecompressor zstd = new ZstdDecompressor();

    Codec(CompressionUtil.CodecType type) {
      this.type = type;
    }

    @Override
    public CompressionUtil.CodecType getCodecType() {
      return type;
    }

    @Override
    protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
      throw new UnsupportedOperationException("ChainScore reads compressed Arrow IPC; it does not write it");
    }

    /** {@code compressed}: the uncompressed length (8 bytes, little-endian), then the codec's bytes. */
    @Override
    protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
      long length = readUncompressedLength(compressed);
      long input = compressed.writerIndex() - CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
      if (length < 0 || length > Integer.MAX_VALUE - 16 || input < 0 || input > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException(type + " buffer of " + input + " bytes giving " + length + " bytes");
      }
      byte[] in = new byte[(int) input];
      compressed.getBytes(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, in);
      byte[] out = new byte[(int) length];
      int written;
      try {
        written = type == CompressionUtil.CodecType.ZSTD ? zstd.decompress(in, 0, in.length, out, 0, out.length)
            : lz4Frame(in, out);
      } catch (RuntimeException e) {   // aircompressor's MalformedInputException, bounds
        throw new IllegalStateException(type + " buffer does not decode: " + e.getMessage(), e);
      }
      if (written != length) {
        throw new IllegalStateException(type + " buffer decodes to " + written + " bytes; its prefix says " + length);
      }
      ArrowBuf buffer = allocator.buffer(length);
      buffer.setBytes(0, out);
      buffer.writerIndex(length);
      return buffer;
    }
  }

  private static final int FRAME_MAGIC = 0x184D2204;

  /**
   * Decodes the LZ4 frames (one or more, one after the other; skippable frames skipped) of {@code
   * in} into {@code out} from its start; returns the bytes written. Blocks may be linked (a block's
   * matches reaching into the blocks before it in its frame, LZ4's default) or independent; block and
   * content checksums are skipped, not verified; a dictionary id is refused.
   *
   * @throws IllegalStateException when the bytes are not LZ4 frames or decode past {@code out}
   */
  static int lz4Frame(byte[] in, byte[] out) {
    int ip = 0;
    int op = 0;
    while (ip < in.length) {
      int magic = intAt(in, ip);
      ip += 4;
      if ((magic & 0xFFFFFFF0) == 0x184D2A50) {   // a skippable frame: its length, then its bytes
        ip += 4 + intAt(in, ip);
        continue;
      }
      if (magic != FRAME_MAGIC) {
        throw new IllegalStateException("not an LZ4 frame (magic " + Integer.toHexString(magic) + ")");
      }
      int flags = byteAt(in, ip);
      if (flags >>> 6 != 1) {
        throw new IllegalStateException("LZ4 frame version " + (flags >>> 6));
      }
      boolean blockChecksums = (flags & 0x10) != 0;
      boolean contentSize = (flags & 0x08) != 0;
      boolean contentChecksum = (flags & 0x04) != 0;
      if ((flags & 0x01) != 0) {
        throw new IllegalStateException("an LZ4 frame with a dictionary id");
      }
      ip += 2 + (contentSize ? 8 : 0) + 1;   // FLG, BD, the content size, the header checksum
      int frameStart = op;
      while (true) {
        int size = intAt(in, ip);
        ip += 4;
        if (size == 0) {
          break;   // the end mark
        }
        boolean raw = size < 0;   // the high bit: the block is stored uncompressed
        size &= 0x7FFFFFFF;
        if (size > in.length - ip) {
          throw new IllegalStateException("an LZ4 block of " + size + " bytes runs past the buffer");
        }
        if (raw) {
          if (size > out.length - op) {
            throw new IllegalStateException("LZ4 data decodes past the buffer's length");
          }
          System.arraycopy(in, ip, out, op, size);
          op += size;
        } else {
          op = lz4Block(in, ip, ip + size, out, op, frameStart);
        }
        ip += size + (blockChecksums ? 4 : 0);
      }
      ip += contentChecksum ? 4 : 0;
    }
    return op;
  }

  /**
   * Decodes one LZ4 block, {@code in[from, to)}, into {@code out} from {@code op}; a match may reach
   * back to {@code windowStart}. Returns where the output ends.
   */
  static int lz4Block(byte[] in, int from, int to, byte[] out, int op, int windowStart) {
    int ip = from;
    while (ip < to) {
      int token = in[ip++] & 0xFF;
      int literals = token >>> 4;
      if (literals == 15) {
        int b;
        do {
          b = byteAt(in, ip++);
          literals += b;
        } while (b == 255 && ip < to);
      }
      if (literals > to - ip || literals > out.length - op) {
        throw new IllegalStateException("LZ4 literals run past the block or the buffer");
      }
      System.arraycopy(in, ip, out, op, literals);
      ip += literals;
      op += literals;
      if (ip >= to) {
        break;   // the last sequence: literals only
      }
      if (to - ip < 2) {
        throw new IllegalStateException("an LZ4 block ends inside a match offset");
      }
      int offset = (in[ip] & 0xFF) | (in[ip + 1] & 0xFF) << 8;
      ip += 2;
      if (offset == 0 || offset > op - windowStart) {
        throw new IllegalStateException("an LZ4 match offset " + offset + " before the data");
      }
      int match = (token & 15) + 4;
      if ((token & 15) == 15) {
        int b;
        do {
          if (ip >= to) {
            throw new IllegalStateException("an LZ4 block ends inside a match length");
          }
          b = in[ip++] & 0xFF;
          match += b;
        } while (b == 255);
      }
      if (match > out.length - op) {
        throw new IllegalStateException("LZ4 data decodes past the buffer's length");
      }
      int source = op - offset;
      if (offset >= match) {
        System.arraycopy(out, source, out, op, match);
      } else {
        for (int k = 0; k < match; k++) {   // overlapping: a run repeats itself
          out[op + k] = out[source + k];
        }
      }
      op += match;
    }
    return op;
  }

  private static int byteAt(byte[] in, int at) {
    if (at >= in.length) {
      throw new IllegalStateException("LZ4 data ends early");
    }
    return in[at] & 0xFF;
  }

  private static int intAt(byte[] in, int at) {
    if (at > in.length - 4) {
      throw new IllegalStateException("LZ4 data ends early");
    }
    return (in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8 | (in[at + 2] & 0xFF) << 16 | (in[at + 3] & 0xFF) << 24;
  }
}

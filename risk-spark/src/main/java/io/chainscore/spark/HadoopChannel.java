package io.chainscore.spark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A file of any Hadoop file system (HDFS, S3A, ABFS, ...) as a read-only {@link FileChannel} that
 * answers what the batch engine's Parquet reader asks of one: positional reads ({@link
 * #read(ByteBuffer, long)}, Hadoop's {@code PositionedReadable}) and the size. Everything else
 * throws {@link UnsupportedOperationException}.
 *
 * <p>Thread safety: as the stream it wraps; one task's reader.
 */
final class HadoopChannel extends FileChannel {
  private final FSDataInputStream in;
  private final long size;

  private HadoopChannel(FSDataInputStream in, long size) {
    this.in = in;
    this.size = size;
  }

  /** Opens {@code path} with the Hadoop configuration {@code conf} (its entries, as the driver had them). */
  static HadoopChannel open(String path, Map<String, String> conf) throws IOException {
    Configuration configuration = new Configuration(false);
    conf.forEach(configuration::set);
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(configuration);
    long size = fs.getFileStatus(p).getLen();
    return new HadoopChannel(fs.open(p), size);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), size - position);
    if (n == 0) {
      return 0;
    }
    if (dst.hasArray()) {
      in.readFully(position, dst.array(), dst.arrayOffset() + dst.position(), n);
    } else {
      byte[] bytes = new byte[n];
      in.readFully(position, bytes, 0, n);
      dst.put(bytes, 0, n);
      return n;
    }
    dst.position(dst.position() + n);
    return n;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  protected void implCloseChannel() throws IOException {
    in.close();
  }

  @Override
  public int read(ByteBuffer dst) {
    throw unsupported();
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) {
    throw unsupported();
  }

  @Override
  public int write(ByteBuffer src) {
    throw unsupported();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw unsupported();
  }

  @Override
  public long position() {
    throw unsupported();
  }

  @Override
  public FileChannel position(long newPosition) {
    throw unsupported();
  }

  @Override
  public FileChannel truncate(long size) {
    throw unsupported();
  }

  @Override
  public void force(boolean metaData) {
    throw unsupported();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) {
    throw unsupported();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw unsupported();
  }

  @Override
  public int write(ByteBuffer src, long position) {
    throw unsupported();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw unsupported();
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) {
    throw unsupported();
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("a Hadoop file read as a channel answers positional reads only");
  }
}

package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * A Parquet file as segments of whole consecutive row groups that separate tasks read apart, each
 * with this engine's own reader: the rows, bad rows and row numbers a task gets for its segment are
 * those a {@link TableReader#open reader of the whole file} gives for it. For engines that spread
 * one file's reading over machines (the Spark job assigns each task segments), over any file
 * system that can present the file as a {@link FileChannel} answering positional reads.
 *
 * <p>A segment holds at least 65,536 rows (the file's last one excepted) or one row group,
 * whichever is more; the cut depends on the file's row groups only, so every task computes the
 * same segments from the same footer.
 *
 * <p>Thread safety: immutable; each reader {@link #open opened} is for one thread.
 */
public final class ParquetSegments {
  private final long[] starts;
  private final boolean decodable;

  private ParquetSegments(long[] starts, boolean decodable) {
    this.starts = starts;
    this.decodable = decodable;
  }

  /** How many segments the file has; 0 when it has no row. */
  public int count() {
    return starts.length - 1;
  }

  /** The rows of the file, as its footer says. */
  public long rows() {
    return starts[starts.length - 1];
  }

  /** The 0-based index in the file of segment {@code s}'s first row. */
  public long firstRow(int s) {
    return starts[s];
  }

  /**
   * Whether this engine's reader decodes the columns of the schema given to {@link #checkColumns} (their
   * encodings and codecs); {@link #open} refuses a file it does not.
   */
  public boolean decodable() {
    return decodable;
  }

  /**
   * Reads segment {@code segment} of the Parquet file {@code file} open on {@code channel} (which
   * the reader closes when it is closed, or this method if it fails): rows numbered as in the whole
   * file ({@link ColumnBatch#sourceRows()}, the bad rows handed to {@code handler}), the table
   * rules of {@code schema} applied as for every other table file.
   *
   * @throws InputFormatException naming the file when it is not readable, a required column is
   *     missing or has the wrong type, or its encodings are not ones this reader decodes
   */
  public static TableReader open(String file, FileChannel channel, TableSchema schema, BadRowHandler handler,
      int segment) throws IOException {
    return open(file, channel, schema, handler, segment, segment + 1);
  }

  /**
   * Reads the consecutive segments {@code [first, end)} as {@link #open(String, FileChannel,
   * TableSchema, BadRowHandler, int)} reads one: the rows, batches and bad rows that reading them
   * one by one gives, with the footer read and the column buffers made once.
   */
  public static TableReader open(String file, FileChannel channel, TableSchema schema, BadRowHandler handler,
      int first, int end) throws IOException {
    return open(file, channel, schema, handler, first, end, null);
  }

  /**
   * As {@link #open(String, FileChannel, TableSchema, BadRowHandler, int, int)}, the columns' page
   * buffers taken from {@code buffers} and given back to it when the reader is closed (null: the
   * reader's own): for a thread that opens reader after reader.
   */
  public static TableReader open(String file, FileChannel channel, TableSchema schema, BadRowHandler handler,
      int first, int end, ParquetBuffers buffers) throws IOException {
    BufferAllocator allocator = null;
    try {
      ParquetLayout layout = layout(file, channel);
      if (!ParquetBatchReader.decodes(layout, schema, file)) {
        throw new InputFormatException(file, -1, null,
            "uses a Parquet encoding or codec this engine's reader does not decode");
      }
      checkSegments(file, ParquetBatchReader.segmentStarts(ParquetBatchReader.groupStarts(layout)), first, end);
      allocator = new RootAllocator();
      ParquetBatchReader pure = new ParquetBatchReader(file, channel, layout, schema, allocator, buffers);
      // closes the reader (and so the channel) and the allocator itself if the columns do not fit
      ArrowTableReader reader = new ArrowTableReader(file, schema, handler, allocator, pure, () -> { });
      reader.seekSegments(first, end);
      return reader;
    } catch (InputFormatException e) {
      closeOnFailure(channel, allocator);
      throw e;
    } catch (IOException | RuntimeException e) {
      closeOnFailure(channel, allocator);
      throw new InputFormatException(file, -1, null, "is not a readable Parquet file: " + e.getMessage());
    }
  }

  /** Refuses segments {@code [first, end)} of a file whose segments start at {@code starts} (one more entry than segments) when it has no such segments. */
  private static void checkSegments(String file, long[] starts, int first, int end) {
    if (first < 0 || end <= first || end > starts.length - 1) {
      throw new InputFormatException(file, -1, null, "has no segment" + (end - first == 1 ? " " + first
          : "s " + first + " to " + (end - 1)) + "; it has " + (starts.length - 1)
          + " (has the file changed since its segments were counted?)");
    }
  }

  /**
   * The smallest and largest value of text column {@code column} in each of the segments {@code
   * [first, end)} of the Parquet file {@code file} open on {@code channel} (which this method
   * closes), from the dictionary pages of the segments' chunks alone, without a data page: entry
   * {@code k} is {@code {min, max}} (UTF-8 bytes compared unsigned) for segment {@code first + k},
   * or null when its dictionaries hold no value (every row null). Null when the file cannot tell
   * that way: the column is missing or not text, a chunk of the file is not dictionary-encoded in
   * every data page by the writer's page encoding statistics, or its codec is one this reader does
   * not decode; the caller then reads the column. A dictionary holds every non-null value of its
   * chunk's rows, and perhaps values no row holds, or values the reader would refuse (not UTF-8,
   * empty where required): the bounds hold every readable value, and may be wider than their
   * smallest and largest.
   */
  public static byte[][][] dictionaryBounds(String file, FileChannel channel, String column, int first, int end)
      throws IOException {
    try (channel) {
      ParquetLayout layout = layout(file, channel);
      int leaf = ParquetBatchReader.indexOf(layout, column, file);
      if (leaf < 0 || !layout.leaves.get(leaf).flat()
          || layout.leaves.get(leaf).physicalType() != ParquetLayout.BYTE_ARRAY
          || !ParquetBatchReader.dictionaryOnly(layout, leaf) || !ParquetColumn.decodes(layout, leaf)) {
        return null;
      }
      long[] groupStart = ParquetBatchReader.groupStarts(layout);
      long[] starts = ParquetBatchReader.segmentStarts(groupStart);
      checkSegments(file, starts, first, end);
      ParquetColumn reader = new ParquetColumn(channel, layout, leaf, 0);
      byte[][][] bounds = new byte[end - first][][];
      int g = 0;
      for (int s = first; s < end; s++) {
        while (groupStart[g] < starts[s]) {
          g++;
        }
        byte[] min = null;
        byte[] max = null;
        for (; g < groupStart.length - 1 && groupStart[g] < starts[s + 1]; g++) {
          if (groupStart[g + 1] == groupStart[g]) {
            continue;   // a row group without rows
          }
          byte[][] b = reader.dictionaryBounds(g);
          if (b == null) {
            return null;
          }
          if (b.length == 0) {
            continue;
          }
          if (min == null || java.util.Arrays.compareUnsigned(b[0], min) < 0) {
            min = b[0];
          }
          if (max == null || java.util.Arrays.compareUnsigned(b[1], max) > 0) {
            max = b[1];
          }
        }
        bounds[s - first] = min == null ? null : new byte[][] {min, max};
      }
      return bounds;
    } catch (InputFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new InputFormatException(file, -1, null, "is not a readable Parquet file: " + e.getMessage());
    }
  }

  /**
   * Checks, by the footer alone, that the Parquet file {@code file} open on {@code channel} (which
   * this method closes) has the required columns of {@code schema} with types the table readers
   * take: the rule {@link #open} and {@code chainscore features} apply, in their words; and returns
   * its segments, from the same reading of the footer. No page is decoded, so
   * this also checks a file whose encodings this reader does not decode ({@link #decodable}), which
   * a caller then reads with another reader; a file that passes and is decodable is one {@link
   * #open} opens.
   *
   * @throws InputFormatException naming the file and the column: missing, or of a type no table
   *     reader takes (text where a number or date is expected, say); or when the file is not a
   *     readable Parquet file
   */
  public static ParquetSegments checkColumns(String file, FileChannel channel, TableSchema schema) throws IOException {
    BufferAllocator allocator = null;
    try {
      ParquetLayout layout = layout(file, channel);
      allocator = new RootAllocator();
      // binding the columns is the check; the reader (with the channel and the allocator) closes
      // itself when they do not fit
      ArrowTableReader bound = new ArrowTableReader(file, schema, e -> { }, allocator,
          new ParquetBatchReader(file, channel, layout, schema, allocator), () -> { });
      String heldAsText = bound.firstColumnHeldAsText();
      bound.close();
      boolean decodable = ParquetBatchReader.decodes(layout, schema, file);
      if (heldAsText != null && !decodable) {
        // another reader would cast the text by its own rules (Spark's: a value it cannot read
        // becomes null), not refuse what a CSV's reader refuses
        throw new InputFormatException(file, 0, heldAsText, "holds its values as text, which only this engine's"
            + " reader reads, and this file's codec or encoding is one it does not decode; write it with"
            + " snappy, gzip, zstd, LZ4_RAW or no compression, or store the column with its own type");
      }
      return new ParquetSegments(ParquetBatchReader.segmentStarts(ParquetBatchReader.groupStarts(layout)),
          decodable);
    } catch (InputFormatException e) {
      closeOnFailure(channel, allocator);
      throw e;
    } catch (IOException | RuntimeException e) {
      closeOnFailure(channel, allocator);
      throw new InputFormatException(file, -1, null, "is not a readable Parquet file: " + e.getMessage());
    }
  }

  private static void closeOnFailure(FileChannel channel, BufferAllocator allocator) {
    ArrowTableReader.closeQuietly(channel);
    if (allocator != null) {
      ArrowTableReader.closeQuietly(allocator);
    }
  }

  private static ParquetLayout layout(String file, FileChannel channel) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(4);
    if (channel.size() < 4) {
      throw new InputFormatException(file, -1, null, "is not a Parquet file (no PAR1 magic bytes)");
    }
    ParquetLayout.readFully(channel, head, 0);
    if (head.get(0) != 'P' || head.get(1) != 'A' || head.get(2) != 'R' || head.get(3) != '1') {
      throw new InputFormatException(file, -1, null, "is not a Parquet file (no PAR1 magic bytes)");
    }
    return ParquetLayout.read(file, channel);
  }
}

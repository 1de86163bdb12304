package io.chainscore.batch.io;

import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.Dataset;
import org.apache.arrow.dataset.source.DatasetFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

/**
 * Parquet files. Reading goes through {@link ParquetBatchReader} (pure Java, one page per column in
 * memory), or Arrow's dataset module (the Arrow C++ reader over JNI) for a file using an encoding
 * or codec that reader does not decode; either way into Arrow record batches that {@link
 * ArrowTableReader} checks against the table schema. Writing converts a finished Arrow IPC file or
 * stream into one Parquet file with {@link ParquetWriter} (pure Java), so Parquet output inherits
 * the Arrow spool's checkpoints.
 */
final class ParquetFiles {
  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};
  private ParquetFiles() {}

  /** Whether {@code path} starts with Parquet's magic bytes. */
  static boolean hasMagic(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return java.util.Arrays.equals(in.readNBytes(PARQUET_MAGIC.length), PARQUET_MAGIC);
    }
  }

  /** Refuses a file without Parquet's magic bytes, naming it. */
  static void requireMagic(Path path) throws IOException {
    if (!hasMagic(path)) {
      throw new InputFormatException(path.toString(), -1, null, "is not a Parquet file (no PAR1 magic bytes)");
    }
  }

  /** Arrow's dataset scan of a Parquet file: its batches, and what to close once they are read. */
  record DatasetScan(ArrowReader reader, AutoCloseable resources) {}

  /**
   * Starts Arrow's dataset scan (C++ over JNI) of {@code path}: every column with the types Arrow's
   * reader gives them, every encoding and codec, the file's bytes held until it is closed.
   *
   * @throws InputFormatException naming the file when the scan cannot start (what was opened is closed)
   */
  static DatasetScan scanWithArrowDataset(Path path, BufferAllocator allocator) {
    DatasetFactory factory = null;
    Dataset dataset = null;
    Scanner scanner = null;
    try {
      factory = new FileSystemDatasetFactory(allocator, NativeMemoryPool.getDefault(), FileFormat.PARQUET,
          path.toAbsolutePath().toUri().toString());
      dataset = factory.finish();
      scanner = dataset.newScan(new ScanOptions(32_768));
      ArrowReader reader = scanner.scanBatches();
      Scanner s = scanner;
      Dataset d = dataset;
      DatasetFactory f = factory;
      return new DatasetScan(reader, () -> {
        ArrowTableReader.closeQuietly(s);
        ArrowTableReader.closeQuietly(d);
        ArrowTableReader.closeQuietly(f);
      });
    } catch (RuntimeException e) {
      ArrowTableReader.closeQuietly(scanner);
      ArrowTableReader.closeQuietly(dataset);
      ArrowTableReader.closeQuietly(factory);
      throw new InputFormatException(path.toString(), -1, null, "is not a readable Parquet file: " + e.getMessage());
    }
  }

  /** Opens a Parquet file as a table reader. */
  static TableReader openReader(Path path, TableSchema schema, BadRowHandler handler) throws IOException {
    String file = path.toString();
    requireMagic(path);
    BufferAllocator allocator = new RootAllocator();
    ParquetBatchReader pure;
    try {
      pure = ParquetBatchReader.openIfDecodable(path, schema, allocator);
    } catch (InputFormatException e) {
      allocator.close();
      throw e;
    } catch (IOException | RuntimeException e) {
      allocator.close();
      throw new InputFormatException(file, -1, null, "is not a readable Parquet file: " + e.getMessage());
    }
    if (pure != null) {
      return new ArrowTableReader(file, schema, handler, allocator, pure, () -> { });   // closes what it is given on failure
    }
    return openWithArrowDataset(path, schema, handler, allocator);
  }

  /**
   * Opens {@code path} with Arrow's dataset scanner (C++ over JNI), which reads every encoding and
   * codec but keeps each file's bytes until it is closed: for files {@link ParquetBatchReader} does
   * not decode, and as the tests' reference reader. Closes {@code allocator} if opening fails.
   */
  static TableReader openWithArrowDataset(Path path, TableSchema schema, BadRowHandler handler,
      BufferAllocator allocator) {
    DatasetScan scan;
    try {
      scan = scanWithArrowDataset(path, allocator);
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
    // closes the scan and the allocator itself if the columns do not fit the schema
    return new ArrowTableReader(path.toString(), schema, handler, allocator, scan.reader(), scan.resources());
  }

  /**
   * Writes the Arrow IPC data in {@code arrowSource} (file format if {@code fileFormat}, else
   * stream) as the Parquet file {@code target} ({@link ParquetWriter}), through a scratch file
   * beside it that is moved into place once complete.
   */
  static void convert(Path arrowSource, boolean fileFormat, Path target) throws IOException {
    Path scratch = target.resolveSibling("." + target.getFileName() + ".parquet-tmp");
    deleteTree(scratch); // a file, or the directory an interrupted run of an earlier version left
    try (BufferAllocator allocator = new RootAllocator();
        ArrowReader reader = fileFormat
            ? new ArrowFileReader(Files.newByteChannel(arrowSource), allocator)
            : new ArrowStreamReader(Files.newInputStream(arrowSource), allocator);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(scratch), 1 << 20)) {
      ParquetWriter.write(reader, out);
    } catch (IOException | RuntimeException e) {
      deleteTree(scratch);
      throw new IOException("writing Parquet " + target + " failed: " + e.getMessage(), e);
    }
    Files.move(scratch, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the readers open Arrow IPC ({@link ArrowIpc}): compressed files and streams (as pyarrow's
 * Feather writer makes by default) read as their uncompressed twins, written by Arrow's own
 * compressing codecs (commons-compress, zstd-jni) as the independent reference; the LZ4 frame
 * decoder against commons-compress's encoder in every block mode; a stream cut short is refused,
 * not read as a shorter table; an empty text value where one is required is refused as the CSV
 * reader refuses an empty field; a dictionary's long text-held number reads.
 */
class ArrowIpcTest {
  private static final TableSchema SCHEMA = new TableSchema("sample", List.of(
      TableSchema.required("id", ColumnType.STRING),
      TableSchema.nullable("name", ColumnType.STRING),
      TableSchema.required("day", ColumnType.DATE)));

  @TempDir Path dir;

  /** LZ4 frames of commons-compress, linked and independent blocks, checksums or not, 64 KB and 4 MB blocks. */
  @Test
  void lz4Frame_decodesCommonsCompressFramesInEveryMode() throws IOException {
    SplittableRandom random = new SplittableRandom(11);
    for (int size : new int[] {0, 1, 15, 100, 70_000}) {
      for (int kind = 0; kind < 3; kind++) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
          // 0: incompressible (stored blocks); 1: short repeats; 2: long runs and matches far back
          data[i] = switch (kind) {
            case 0 -> (byte) random.nextInt(256);
            case 1 -> (byte) "invoice INV-0001 supplier S0000042 ".charAt((i * 7 + random.nextInt(2)) % 35);
            default -> i > 40_000 && random.nextInt(10) > 0 ? data[i - 40_000] : (byte) (i / 500);
          };
        }
        for (boolean linked : new boolean[] {false, true}) {
          for (boolean blockChecksums : new boolean[] {false, true}) {
            // 64 KB blocks: 70,000 bytes take two, the second linked to the first or not
            for (FramedLZ4CompressorOutputStream.BlockSize block : size == 100
                ? new FramedLZ4CompressorOutputStream.BlockSize[] {FramedLZ4CompressorOutputStream.BlockSize.K64,
                    FramedLZ4CompressorOutputStream.BlockSize.M4}
                : new FramedLZ4CompressorOutputStream.BlockSize[] {FramedLZ4CompressorOutputStream.BlockSize.K64}) {
              ByteArrayOutputStream bytes = new ByteArrayOutputStream();
              try (FramedLZ4CompressorOutputStream lz4 = new FramedLZ4CompressorOutputStream(bytes,
                  new FramedLZ4CompressorOutputStream.Parameters(block, !blockChecksums, blockChecksums, linked))) {
                lz4.write(data);
              }
              byte[] frame = bytes.toByteArray();
              byte[] out = new byte[size];
              String what = size + " bytes, kind " + kind + ", linked " + linked + ", checksums " + blockChecksums
                  + ", " + block;
              assertThat(ArrowIpc.lz4Frame(frame, out)).as(what).isEqualTo(size);
              assertThat(out).as(what).isEqualTo(data);
              // two frames one after the other decode as their concatenation
              byte[] twice = Arrays.copyOf(frame, 2 * frame.length);
              System.arraycopy(frame, 0, twice, frame.length, frame.length);
              byte[] both = new byte[2 * size];
              assertThat(ArrowIpc.lz4Frame(twice, both)).as(what).isEqualTo(2 * size);
              assertThat(Arrays.copyOfRange(both, size, 2 * size)).as(what).isEqualTo(data);
              if (size > 100) {
                // cut short or into a smaller buffer: refused, never a wrong length read as data
                assertThatThrownBy(() -> ArrowIpc.lz4Frame(Arrays.copyOf(frame, frame.length / 2), new byte[size]))
                    .as(what).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> ArrowIpc.lz4Frame(frame, new byte[size - 1]))
                    .as(what).isInstanceOf(IllegalStateException.class);
              }
            }
          }
        }
      }
    }
  }

  /** Files and streams compressed by Arrow's own codecs, with a dictionary-encoded column, read as the uncompressed ones. */
  @Test
  void compressedFilesAndStreams_readAsTheUncompressed() throws IOException {
    Path plain = write("plain.arrow", false, CompressionUtil.CodecType.NO_COMPRESSION, 3, 2_000, null);
    List<String> expected = read(plain, false);
    assertThat(expected).hasSize(6_000);
    for (CompressionUtil.CodecType codec : new CompressionUtil.CodecType[] {
        CompressionUtil.CodecType.LZ4_FRAME, CompressionUtil.CodecType.ZSTD}) {
      for (boolean stream : new boolean[] {false, true}) {
        Path compressed = write("c-" + codec + (stream ? ".arrows" : ".arrow"), stream, codec, 3, 2_000, null);
        assertThat(Files.size(compressed)).as("%s is compressed", codec).isLessThan(Files.size(plain) / 2);
        for (boolean bytes : new boolean[] {false, true}) {
          assertThat(read(compressed, bytes)).as("%s, stream %s, bytes %s", codec, stream, bytes).isEqualTo(expected);
        }
        // the modelling commands' reader (TableBatches) too: the same row count, the ids in order
        List<String> ids = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator()) {
          TableBatches.read(compressed, stream ? TableBatches.Format.ARROW_STREAM : TableBatches.Format.ARROW_FILE,
              null, allocator, new TableBatches.Visitor() {
                @Override
                public void schema(VectorSchemaRoot root, TableBatches.Dates dates) {}

                @Override
                public void batch(VectorSchemaRoot root) {
                  for (int r = 0; r < root.getRowCount(); r++) {
                    ids.add(root.getVector("id").getObject(r).toString());
                  }
                }
              });
        }
        assertThat(ids).hasSize(expected.size()).first().isEqualTo(expected.get(0).split("\\|")[0]);
      }
    }
  }

  /**
   * A stream cut where a batch ends, or 1-3 bytes into the next message, is refused naming the file
   * and the rows read (Arrow's reader alone ends it there, silently); a whole stream, one with no
   * batch, and a file read as before.
   */
  @Test
  void truncatedStream_refused_wholeStreamsRead() throws IOException {
    List<Long> ends = new ArrayList<>();
    Path whole = write("whole.arrows", true, CompressionUtil.CodecType.NO_COMPRESSION, 4, 10, ends::add);
    assertThat(read(whole, false)).hasSize(40);
    assertThat(ends).hasSize(4);
    byte[] bytes = Files.readAllBytes(whole);
    for (int b = 0; b < 3; b++) {   // after batches 1-3: the later rows would be lost
      for (int extra = 0; extra < 4; extra++) {
        Path cut = Files.write(dir.resolve("cut" + b + "-" + extra + ".arrows"),
            Arrays.copyOf(bytes, (int) (long) ends.get(b) + extra));
        int rows = 10 * (b + 1);
        assertThatThrownBy(() -> read(cut, false)).as("cut after batch %d + %d bytes", b + 1, extra)
            .isInstanceOf(InputFormatException.class)
            .hasMessage(cut + ": ends without the Arrow stream's end-of-stream marker after " + rows
                + " rows: the file is truncated (a writer that did not finish?)");
        try (BufferAllocator allocator = new RootAllocator()) {
          assertThatThrownBy(() -> TableBatches.read(cut, TableBatches.Format.ARROW_STREAM, null, allocator,
              new TableBatches.Visitor() {
                @Override
                public void schema(VectorSchemaRoot root, TableBatches.Dates dates) {}

                @Override
                public void batch(VectorSchemaRoot root) {}
              })).isInstanceOf(InputFormatException.class).hasMessageContaining("end-of-stream marker after " + rows);
        }
      }
    }
    // the last batch whole but the marker cut: the rows are all there, the stream still incomplete
    Path noMarker = Files.write(dir.resolve("no-marker.arrows"), Arrays.copyOf(bytes, (int) (long) ends.get(3)));
    assertThatThrownBy(() -> read(noMarker, false)).hasMessageContaining("end-of-stream marker after 40 rows");
    Path empty = write("empty.arrows", true, CompressionUtil.CodecType.NO_COMPRESSION, 0, 10, null);
    assertThat(read(empty, false)).isEmpty();
  }

  /**
   * An empty text value in a column that requires one is refused as a comma file's empty field is
   * ("is empty; a value is required"), on every copy path: plain and dictionary-encoded, Utf8 and
   * LargeUtf8, kept as bytes or Strings, block copies or cell by cell; in a nullable column it
   * reads as empty, as before.
   */
  @Test
  void emptyRequiredText_refusedAsInCsv_onEveryPath() throws IOException {
    Path csv = Files.writeString(dir.resolve("empty.csv"), "id,name,day\nS1,,2024-01-02\n,a,2024-01-03\nS3,c,2024-01-04\n");
    List<String> csvRows = new ArrayList<>();
    List<InputFormatException> csvRefused = new ArrayList<>();
    readInto(csv, false, 3, csvRows::add, csvRefused::add);
    assertThat(csvRows).containsExactly("S1||2024-01-02", "S3|c|2024-01-04");
    assertThat(csvRefused).extracting(InputFormatException::getMessage)
        .containsExactly(csv + ", row 2, column id: is empty; a value is required");
    for (String kind : new String[] {"utf8", "large", "dictionary"}) {
      Path arrow = dir.resolve("empty-" + kind + ".arrow");
      writeColumns(arrow, kind, new String[] {"S1", "", "S3"}, new String[] {"", "a", "c"});
      for (boolean bytes : new boolean[] {false, true}) {
        for (int capacity : new int[] {1, 3}) {
          List<String> rows = new ArrayList<>();
          List<InputFormatException> refused = new ArrayList<>();
          readInto(arrow, bytes, capacity, rows::add, refused::add);
          String what = kind + ", bytes " + bytes + ", capacity " + capacity;
          assertThat(rows).as(what).isEqualTo(csvRows);
          assertThat(refused).as(what).extracting(e -> e.getMessage().replace(arrow.toString(), csv.toString()))
              .containsExactly(csv + ", row 2, column id: is empty; a value is required");
        }
      }
    }
  }

  /** A dictionary-encoded text column of numbers with a value longer than the reader's first scratch buffer. */
  @Test
  void dictionaryTextHeldNumber_longerThanTheScratchBuffer_reads() throws IOException {
    TableSchema amounts = new TableSchema("amounts", List.of(
        TableSchema.required("id", ColumnType.STRING), TableSchema.required("amount", ColumnType.DOUBLE)));
    String longNumber = "0".repeat(70) + "26736.89";
    String longBad = "x".repeat(100);
    Path file = dir.resolve("long.arrow");
    try (BufferAllocator a = new RootAllocator()) {
      VarCharVector ids = new VarCharVector("id", a);
      VarCharVector values = new VarCharVector("amount-dictionary", a);
      String[] dictionary = {"1.5", longNumber, longBad};
      values.allocateNew();
      for (int i = 0; i < dictionary.length; i++) {
        values.setSafe(i, dictionary[i].getBytes(StandardCharsets.UTF_8));
      }
      values.setValueCount(dictionary.length);
      DictionaryEncoding encoding = new DictionaryEncoding(1L, false, new ArrowType.Int(32, true));
      IntVector amount = new IntVector("amount", new FieldType(false, new ArrowType.Int(32, true), encoding), a);
      int[] picks = {0, 1, 2, 1};
      ids.allocateNew();
      amount.allocateNew();
      for (int r = 0; r < picks.length; r++) {
        ids.setSafe(r, ("S" + r).getBytes(StandardCharsets.UTF_8));
        amount.setSafe(r, picks[r]);
      }
      ids.setValueCount(picks.length);
      amount.setValueCount(picks.length);
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
      provider.put(new Dictionary(values, encoding));
      try (VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(ids, amount));
          FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          ArrowFileWriter writer = new ArrowFileWriter(root, provider, out)) {
        writer.start();
        writer.writeBatch();
        writer.end();
      } finally {
        values.close();
      }
    }
    List<String> rows = new ArrayList<>();
    List<InputFormatException> refused = new ArrayList<>();
    try (TableReader r = TableReader.open(file, amounts, refused::add)) {
      ColumnBatch batch = new ColumnBatch(amounts, 8);
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          rows.add(batch.string(0, i) + "=" + batch.doubles(1)[i]);
        }
      }
    }
    assertThat(rows).containsExactly("S0=1.5", "S1=26736.89", "S3=26736.89");
    assertThat(refused).singleElement().satisfies(e -> {
      assertThat(e.row()).isEqualTo(3);
      assertThat(e.column()).isEqualTo("amount");
      assertThat(e.problem()).contains("is not a number");
    });
  }

  /**
   * An Arrow column of type Null (pandas' all-None column) in a nullable column reads as the column
   * left out, as a Parquet column whose statistics count only nulls does; in a required column it is
   * refused naming the type.
   */
  @Test
  void nullTypedColumn_readsAsLeftOut_whereNullable() throws IOException {
    for (String nullColumn : new String[] {"name", "id"}) {
      Path file = dir.resolve("null-" + nullColumn + ".arrow");
      try (BufferAllocator a = new RootAllocator()) {
        VarCharVector text = new VarCharVector(nullColumn.equals("id") ? "name" : "id", a);
        text.allocateNew();
        for (int r = 0; r < 3; r++) {
          text.setSafe(r, ("v" + r).getBytes(StandardCharsets.UTF_8));
        }
        text.setValueCount(3);
        org.apache.arrow.vector.NullVector nulls = new org.apache.arrow.vector.NullVector(nullColumn);
        nulls.setValueCount(3);
        DateDayVector day = new DateDayVector("day", a);
        day.allocateNew();
        for (int r = 0; r < 3; r++) {
          day.setSafe(r, 19_800 + r);
        }
        day.setValueCount(3);
        try (VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(text, nulls, day));
            FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ArrowFileWriter writer = new ArrowFileWriter(root, null, out)) {
          writer.start();
          writer.writeBatch();
          writer.end();
        }
      }
      if (nullColumn.equals("name")) {
        assertThat(read(file, false)).containsExactly("v0||2024-03-18", "v1||2024-03-19", "v2||2024-03-20");
      } else {
        assertThatThrownBy(() -> read(file, false)).isInstanceOf(InputFormatException.class)
            .hasMessageContaining("column id").hasMessageContaining("Null");
      }
    }
  }

  // ---- helpers

  /** {@code batches} batches of {@code rows} sample rows (a dictionary-encoded name), compressed by Arrow's own codec. */
  private Path write(String name, boolean stream, CompressionUtil.CodecType codec, int batches, int rows,
      Consumer<Long> batchEnds) throws IOException {
    Path file = dir.resolve(name);
    SplittableRandom random = new SplittableRandom(5);
    try (BufferAllocator a = new RootAllocator()) {
      VarCharVector id = new VarCharVector("id", a);
      VarCharVector names = new VarCharVector("name-dictionary", a);
      String[] dictionary = {"glass", "components", "textiles", "packaging", "logistics"};
      names.allocateNew();
      for (int i = 0; i < dictionary.length; i++) {
        names.setSafe(i, dictionary[i].getBytes(StandardCharsets.UTF_8));
      }
      names.setValueCount(dictionary.length);
      DictionaryEncoding encoding = new DictionaryEncoding(7L, false, new ArrowType.Int(32, true));
      IntVector name2 = new IntVector("name", new FieldType(true, new ArrowType.Int(32, true), encoding), a);
      DateDayVector day = new DateDayVector("day", a);
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
      provider.put(new Dictionary(names, encoding));
      try (VectorSchemaRoot root = new VectorSchemaRoot(List.<FieldVector>of(id, name2, day));
          FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          ArrowWriter writer = codec == CompressionUtil.CodecType.NO_COMPRESSION
              ? (stream ? new ArrowStreamWriter(root, provider, out) : new ArrowFileWriter(root, provider, out))
              : stream
              ? new ArrowStreamWriter(root, provider, out, IpcOption.DEFAULT, CommonsCompressionFactory.INSTANCE, codec)
              : new ArrowFileWriter(root, provider, out, null, IpcOption.DEFAULT, CommonsCompressionFactory.INSTANCE,
                  codec)) {
        writer.start();
        for (int b = 0; b < batches; b++) {
          root.allocateNew();
          for (int r = 0; r < rows; r++) {
            int n = b * rows + r;
            id.setSafe(r, String.format("S%07d-INV-%09d", n / 50, n).getBytes(StandardCharsets.UTF_8));
            if (random.nextInt(7) == 0) {
              name2.setNull(r);
            } else {
              name2.setSafe(r, random.nextInt(dictionary.length));
            }
            day.setSafe(r, 19_000 + random.nextInt(700));
          }
          root.setRowCount(rows);
          writer.writeBatch();
          if (batchEnds != null) {
            batchEnds.accept(writer.bytesWritten());
          }
        }
        writer.end();
      } finally {
        names.close();
      }
    }
    return file;
  }

  /** A file of the three sample columns, the ids and names of {@code kind}: utf8, large (LargeUtf8) or dictionary (ids and names). */
  private static void writeColumns(Path file, String kind, String[] ids, String[] names) throws IOException {
    try (BufferAllocator a = new RootAllocator()) {
      List<FieldVector> vectors = new ArrayList<>();
      List<FieldVector> dictionaries = new ArrayList<>();
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
      long nextId = 1;
      for (String[] values : new String[][] {ids, names}) {
        String column = values == ids ? "id" : "name";
        if (kind.equals("dictionary")) {
          VarCharVector dictionary = new VarCharVector(column + "-dictionary", a);
          dictionary.allocateNew();
          IntVector indexes = new IntVector(column, new FieldType(values != ids, new ArrowType.Int(32, true),
              new DictionaryEncoding(nextId, false, new ArrowType.Int(32, true))), a);
          indexes.allocateNew();
          for (int r = 0; r < values.length; r++) {
            dictionary.setSafe(r, values[r].getBytes(StandardCharsets.UTF_8));   // each value its own entry
            indexes.setSafe(r, r);
          }
          dictionary.setValueCount(values.length);
          indexes.setValueCount(values.length);
          provider.put(new Dictionary(dictionary, indexes.getField().getDictionary()));
          dictionaries.add(dictionary);
          vectors.add(indexes);
          nextId++;
        } else {
          FieldVector v = kind.equals("large") ? new LargeVarCharVector(column, a) : new VarCharVector(column, a);
          v.allocateNew();
          for (int r = 0; r < values.length; r++) {
            byte[] b = values[r].getBytes(StandardCharsets.UTF_8);
            if (v instanceof LargeVarCharVector large) {
              large.setSafe(r, b);
            } else {
              ((VarCharVector) v).setSafe(r, b);
            }
          }
          v.setValueCount(values.length);
          vectors.add(v);
        }
      }
      DateDayVector day = new DateDayVector("day", a);
      day.allocateNew();
      for (int r = 0; r < ids.length; r++) {
        day.setSafe(r, (int) java.time.LocalDate.parse("2024-01-02").toEpochDay() + r);
      }
      day.setValueCount(ids.length);
      vectors.add(day);
      try (VectorSchemaRoot root = new VectorSchemaRoot(vectors);
          FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          ArrowFileWriter writer = new ArrowFileWriter(root, provider, out)) {
        writer.start();
        writer.writeBatch();
        writer.end();
      } finally {
        dictionaries.forEach(FieldVector::close);
      }
    }
  }

  /** The rows of {@code file} as "id|name|day", refusals to a list (and thrown by the caller's check). */
  private static List<String> read(Path file, boolean bytes) throws IOException {
    List<String> rows = new ArrayList<>();
    List<InputFormatException> refused = new ArrayList<>();
    readInto(file, bytes, 1_000, rows::add, refused::add);
    assertThat(refused).isEmpty();
    return rows;
  }

  private static void readInto(Path file, boolean bytes, int capacity, Consumer<String> rows,
      Consumer<InputFormatException> refused) throws IOException {
    try (TableReader r = TableReader.open(file, SCHEMA, refused::accept)) {
      ColumnBatch batch = new ColumnBatch(SCHEMA, capacity);
      if (bytes) {
        batch.keepTextAsBytes(0);
        batch.keepTextAsBytes(1);
      }
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          rows.accept(batch.string(0, i) + "|" + batch.string(1, i) + "|"
              + java.time.LocalDate.ofEpochDay(batch.dates(2)[i]));
        }
      }
    }
  }
}

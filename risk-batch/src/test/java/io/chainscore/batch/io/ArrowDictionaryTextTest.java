package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.features.StandardFeatures;
import io.chainscore.features.engine.BadRecord;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dictionary-encoded text columns in Arrow IPC files (what pyarrow writes for a pandas categorical
 * or a dictionary array) read exactly as the same columns written plain: the same rows, values and
 * bad-row reports (invalid UTF-8, NUL, nulls), block and cell copies, ids kept as Strings or bytes;
 * a portfolio whose ids, sectors and regions are dictionary-encoded gives the same features; and
 * what only a dictionary can hold wrong (an index outside it, a null value) is named.
 */
class ArrowDictionaryTextTest {
  private static final TableSchema SCHEMA = new TableSchema("sample", List.of(
      TableSchema.required("id", ColumnType.STRING),
      TableSchema.nullable("name", ColumnType.STRING),
      TableSchema.required("day", ColumnType.DATE)));

  @TempDir Path dir;

  @Test
  void dictionaryEncodedText_readsAsThePlainColumns() throws IOException {
    for (int seed = 0; seed < 6; seed++) {
      Path plain = dir.resolve("plain" + seed + ".arrow");
      Path encoded = dir.resolve("dict" + seed + ".arrow");
      writeRandom(seed, plain);
      encode(plain, encoded, Set.of("id", "name"));
      assertThat(fieldOf(encoded, "id").getDictionary()).isNotNull();
      for (int capacity : new int[] {1, 7, 1_000, 65_536}) {
        for (boolean columnCopy : new boolean[] {false, true}) {
          for (boolean bytes : new boolean[] {false, true}) {
            List<String> expected = read(plain, columnCopy, capacity, bytes);
            assertThat(expected).anyMatch(s -> s.startsWith("bad ")).anyMatch(s -> s.contains("|null|"));
            List<String> actual = read(encoded, columnCopy, capacity, bytes);
            String what = "seed " + seed + ", capacity " + capacity + ", block copy " + columnCopy + ", bytes " + bytes;
            for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
              assertThat(actual.get(i)).as("%s, line %d", what, i).isEqualTo(expected.get(i));
            }
            assertThat(actual).as(what).hasSameSizeAs(expected);
          }
        }
      }
    }
  }

  /** Rows holding one dictionary index get one String: consumers map ids by identity. */
  @Test
  void rowsOfOneIndex_shareOneString() throws IOException {
    Path plain = dir.resolve("plain.arrow");
    Path encoded = dir.resolve("dict.arrow");
    writeRandom(42, plain);
    encode(plain, encoded, Set.of("id", "name"));
    try (TableReader r = TableReader.open(encoded, SCHEMA, e -> { })) {
      ColumnBatch batch = new ColumnBatch(SCHEMA, 65_536);
      java.util.Map<String, String> first = new java.util.HashMap<>();
      int shared = 0;
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          String id = batch.strings(0)[i];
          String seen = first.putIfAbsent(id, id);
          if (seen != null) {
            assertThat(seen).isSameAs(id);
            shared++;
          }
        }
      }
      assertThat(shared).isGreaterThan(1_000);
    }
  }

  @Test
  void whatOnlyADictionaryCanHoldWrong_isNamedPerRow() throws IOException {
    Path file = dir.resolve("wrong.arrow");
    // dictionary: "A", null, "C"; rows: 0, 1, 2, 7, 2 (7 is outside it)
    try (BufferAllocator allocator = new RootAllocator();
        VarCharVector values = new VarCharVector("values", allocator)) {
      values.allocateNew();
      values.setSafe(0, "A".getBytes(StandardCharsets.UTF_8));
      values.setNull(1);
      values.setSafe(2, "C".getBytes(StandardCharsets.UTF_8));
      values.setValueCount(3);
      DictionaryEncoding encoding = new DictionaryEncoding(1L, false, new ArrowType.Int(32, true));
      DictionaryEncoding encoding2 = new DictionaryEncoding(2L, false, new ArrowType.Int(32, true));
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider(
          new Dictionary(values, encoding));
      try (VarCharVector values2 = new VarCharVector("values2", allocator)) {
        values2.allocateNew();
        values2.setSafe(0, "A".getBytes(StandardCharsets.UTF_8));
        values2.setNull(1);
        values2.setSafe(2, "C".getBytes(StandardCharsets.UTF_8));
        values2.setValueCount(3);
        provider.put(new Dictionary(values2, encoding2));
        try (IntVector id = new IntVector(new Field("id", new FieldType(true, new ArrowType.Int(32, true), encoding), null), allocator);
            IntVector name = new IntVector(new Field("name", new FieldType(true, new ArrowType.Int(32, true), encoding2), null), allocator);
            DateDayVector day = new DateDayVector("day", allocator)) {
          int[] rows = {0, 1, 2, 7, 2};
          id.allocateNew(rows.length);
          name.allocateNew(rows.length);
          day.allocateNew(rows.length);
          for (int i = 0; i < rows.length; i++) {
            id.set(i, rows[i]);
            name.set(i, i == 3 ? 0 : rows[i]);
            day.set(i, 19_000 + i);
          }
          VectorSchemaRoot root = VectorSchemaRoot.of(id, name, day);
          root.setRowCount(rows.length);
          try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
              ArrowFileWriter writer = new ArrowFileWriter(root, provider, channel)) {
            writer.start();
            writer.writeBatch();
            writer.end();
          }
        }
      }
    }
    for (boolean columnCopy : new boolean[] {false, true}) {
      List<String> log = read(file, columnCopy, 100, false);
      // bad rows are reported as they are met, the batch's good rows after
      assertThat(log).containsExactly(
          "bad FILE, row 2, column id: is null; a value is required",
          "bad FILE, row 4, column id: holds dictionary index 7; the dictionary has 3 values",
          "1:A|A|19000",
          "3:C|C|19002",
          "5:C|C|19004",
          "end 5");
      // the nullable column's null value reads as a null row of a plain column does
      assertThat(log.stream().filter(s -> s.startsWith("bad ")).count()).isEqualTo(2);
    }
  }

  /**
   * Numbers, dates and flags held as dictionary-encoded text (each distinct value parsed once) read
   * exactly as the same text written plain (each row parsed): the same values and the same bad
   * rows in the same words (not a number, a decimal comma, an empty value where one is required,
   * invalid UTF-8, NUL, nulls), block and cell copies, batches of 1, 7 and 65,536 rows.
   */
  @Test
  void dictionaryEncodedNumbersDatesAndFlags_readAsThePlainText() throws IOException {
    TableSchema typed = new TableSchema("sample", List.of(
        TableSchema.required("id", ColumnType.STRING),
        TableSchema.nullable("name", ColumnType.DOUBLE),
        TableSchema.required("day", ColumnType.DATE),
        TableSchema.required("flag", ColumnType.BOOLEAN)));
    Path plain = dir.resolve("typed-plain.arrow");
    Path encoded = dir.resolve("typed-dict.arrow");
    SplittableRandom random = new SplittableRandom(11);
    String[] amounts = {"12.5", "3e-4", "-0", "1e+20", "", "1,5", "twelve", "NaN", "Infinity"};
    String[] days = {"2024-01-31", "2025-06-30 13:45:00", "", "31.01.2024", "2024-02-30", "1850-01-01"};
    String[] flags = {"true", "false", "TRUE", "yes", ""};
    try (BufferAllocator allocator = new RootAllocator();
        VarCharVector id = new VarCharVector("id", allocator);
        VarCharVector name = new VarCharVector("name", allocator);
        VarCharVector day = new VarCharVector("day", allocator);
        VarCharVector flag = new VarCharVector("flag", allocator)) {
      VectorSchemaRoot root = VectorSchemaRoot.of(id, name, day, flag);
      try (FileChannel channel = FileChannel.open(plain, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
        writer.start();
        for (int b = 0; b < 3; b++) {
          int rows = 1 + random.nextInt(2_000);
          root.allocateNew();
          for (int i = 0; i < rows; i++) {
            id.setSafe(i, ("I" + i).getBytes(StandardCharsets.UTF_8));
            int pick = random.nextInt(40);
            if (pick == 0) {
              name.setNull(i);
            } else if (pick == 1) {
              name.setSafe(i, new byte[] {'1', (byte) 0xC3});   // invalid UTF-8
            } else if (pick == 2) {
              name.setSafe(i, new byte[] {'1', 0, '2'});         // NUL
            } else {
              String amount = pick < 20 ? Double.toString(random.nextInt(500) / 4.0)
                  : amounts[random.nextInt(amounts.length)];
              name.setSafe(i, amount.getBytes(StandardCharsets.UTF_8));
            }
            if (random.nextInt(60) == 0) {
              day.setNull(i);
            } else {
              String d = random.nextInt(4) > 0 ? java.time.LocalDate.ofEpochDay(19_000 + random.nextInt(400)).toString()
                  : days[random.nextInt(days.length)];
              day.setSafe(i, d.getBytes(StandardCharsets.UTF_8));
            }
            flag.setSafe(i, (random.nextInt(3) > 0 ? flags[random.nextInt(2)] : flags[random.nextInt(flags.length)])
                .getBytes(StandardCharsets.UTF_8));
          }
          root.setRowCount(rows);
          writer.writeBatch();
        }
        writer.end();
      }
    }
    encode(plain, encoded, Set.of("name", "day", "flag"));
    assertThat(fieldOf(encoded, "day").getDictionary()).isNotNull();
    for (int capacity : new int[] {1, 7, 65_536}) {
      for (boolean columnCopy : new boolean[] {false, true}) {
        List<String> expected = readTyped(plain, typed, columnCopy, capacity);
        List<String> actual = readTyped(encoded, typed, columnCopy, capacity);
        assertThat(expected).anyMatch(l -> l.contains("'1,5' is not a number"))
            .anyMatch(l -> l.contains("day: is empty; a value is required"))
            .anyMatch(l -> l.contains("'yes' is not a boolean")).anyMatch(l -> l.contains("|NaN|"))
            .anyMatch(l -> l.contains("|12.5|"));
        assertThat(actual).as("capacity %d, block copy %s", capacity, columnCopy).isEqualTo(expected);
      }
    }
  }

  /** The rows of a typed schema as text lines, and each bad row's message (the file named FILE). */
  private static List<String> readTyped(Path file, TableSchema schema, boolean columnCopy, int capacity)
      throws IOException {
    List<String> log = new ArrayList<>();
    try (TableReader r = TableReader.open(file, schema, e -> log.add("bad " + e.getMessage().replace(file.toString(), "FILE")))) {
      ((ArrowTableReader) r).columnCopy = columnCopy;
      ColumnBatch batch = new ColumnBatch(schema, capacity);
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          log.add(batch.sourceRows()[i] + ":" + batch.string(0, i) + "|" + batch.doubles(1)[i] + "|" + batch.dates(2)[i]
              + "|" + batch.booleans(3)[i]);
        }
      }
      log.add("end " + r.rowsRead());
    }
    return log;
  }

  /** A stream may replace a dictionary between batches, with as many values: the rows read the new values. */
  @Test
  void replacedStreamDictionary_ofTheSameSize_isReadAnew() throws IOException {
    Path file = dir.resolve("replaced.arrows");
    try (BufferAllocator allocator = new RootAllocator();
        VarCharVector values = new VarCharVector("values", allocator)) {
      DictionaryEncoding encoding = new DictionaryEncoding(1L, false, new ArrowType.Int(32, true));
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider(
          new Dictionary(values, encoding));
      try (IntVector id = new IntVector(new Field("id", new FieldType(true, new ArrowType.Int(32, true), encoding), null), allocator);
          VarCharVector name = new VarCharVector("name", allocator);
          DateDayVector day = new DateDayVector("day", allocator)) {
        VectorSchemaRoot root = VectorSchemaRoot.of(id, name, day);
        try (java.io.OutputStream out = Files.newOutputStream(file);
            org.apache.arrow.vector.ipc.ArrowStreamWriter writer =
                new org.apache.arrow.vector.ipc.ArrowStreamWriter(root, provider, out)) {
          for (String[] batch : new String[][] {{"A", "B"}, {"C", "D"}}) {
            values.allocateNew();
            values.setSafe(0, batch[0].getBytes(StandardCharsets.UTF_8));
            values.setSafe(1, batch[1].getBytes(StandardCharsets.UTF_8));
            values.setValueCount(2);
            root.allocateNew();
            for (int i = 0; i < 2; i++) {
              id.setSafe(i, i);
              name.setSafe(i, "n".getBytes(StandardCharsets.UTF_8));
              day.setSafe(i, 19_000);
            }
            root.setRowCount(2);
            if (batch[0].equals("A")) {
              writer.start();
            }
            writer.writeBatch();
          }
          writer.end();
        }
      }
    }
    // what the stream holds, by Arrow's own reader and decoder (its writer sent the second dictionary)
    List<String> expected = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        org.apache.arrow.vector.ipc.ArrowStreamReader reader =
            new org.apache.arrow.vector.ipc.ArrowStreamReader(Files.newInputStream(file), allocator)) {
      while (reader.loadNextBatch()) {
        FieldVector indexes = reader.getVectorSchemaRoot().getVector("id");
        try (VarCharVector decoded = (VarCharVector) DictionaryEncoder.decode(indexes,
            reader.lookup(indexes.getField().getDictionary().getId()))) {
          for (int i = 0; i < decoded.getValueCount(); i++) {
            expected.add(new String(decoded.get(i), StandardCharsets.UTF_8));
          }
        }
      }
    }
    assertThat(expected).containsExactly("A", "B", "C", "D");
    for (boolean bytes : new boolean[] {false, true}) {
      List<String> ids = new ArrayList<>();
      for (String line : read(file, true, 100, bytes)) {
        if (!line.startsWith("end")) {
          ids.add(line.substring(line.indexOf(':') + 1, line.indexOf('|')));
        }
      }
      assertThat(ids).as("ids as bytes: %s", bytes).isEqualTo(expected);
    }
  }

  /** A portfolio written plain and with its ids, sectors and regions dictionary-encoded: the same features. */
  @Test
  void portfolioWithDictionaryEncodedIds_hasTheSameFeatures() throws IOException {
    LocalDate asOf = LocalDate.of(2025, 6, 30);
    Path plain = dir.resolve("portfolio");
    GeneratedPortfolios.write(plain, GeneratedPortfolios.simulate(300, 23, asOf), TableWriter.Format.ARROW);
    Path encoded = dir.resolve("portfolio-dict");
    Files.createDirectories(encoded);
    for (Path f : Files.list(plain).toList()) {
      String name = f.getFileName().toString();
      Set<String> columns = switch (name) {
        case "suppliers.arrow" -> Set.of("supplier_id", "anchor_id", "sector", "region");
        case "invoices.arrow" -> Set.of("supplier_id", "buyer_id");
        case "loans.arrow", "deliveries.arrow", "credit_notes.arrow", "disputes.arrow" -> Set.of("supplier_id");
        case "instalments.arrow" -> Set.of("loan_id", "supplier_id");
        default -> Set.of();
      };
      if (columns.isEmpty()) {
        Files.copy(f, encoded.resolve(name));
      } else {
        encode(f, encoded.resolve(name), columns);
      }
    }
    assertThat(fieldOf(encoded.resolve("invoices.arrow"), "buyer_id").getDictionary()).isNotNull();
    PortfolioFeatures.Options options = new PortfolioFeatures.Options(asOf.minusDays(1), 2, true, StandardFeatures.REGIONS);
    List<BadRecord> badPlain = new ArrayList<>();
    List<BadRecord> badEncoded = new ArrayList<>();
    PortfolioFeatures.Result expected = PortfolioFeatures.compute(plain, options, badPlain::add);
    PortfolioFeatures.Result actual = PortfolioFeatures.compute(encoded, options, badEncoded::add);
    assertThat(actual.supplierIds()).hasSize(300).isEqualTo(expected.supplierIds());
    assertThat(actual.invoices()).isPositive().isEqualTo(expected.invoices());
    assertThat(badEncoded).isEqualTo(badPlain);
    for (int i = 0; i < expected.matrix().length; i++) {
      assertThat(Double.doubleToRawLongBits(actual.matrix()[i])).as("cell %d", i)
          .isEqualTo(Double.doubleToRawLongBits(expected.matrix()[i]));
    }
  }

  private static Field fieldOf(Path file, String column) throws IOException {
    try (BufferAllocator allocator = new RootAllocator();
        FileChannel channel = FileChannel.open(file);
        ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      return reader.getVectorSchemaRoot().getSchema().findField(column);
    }
  }

  private static List<String> read(Path file, boolean columnCopy, int capacity, boolean bytes) throws IOException {
    List<String> log = new ArrayList<>();
    // the file named as FILE, so that two files' logs compare
    try (TableReader r = TableReader.open(file, SCHEMA, e -> log.add("bad " + e.getMessage().replace(file.toString(), "FILE")))) {
      ((ArrowTableReader) r).columnCopy = columnCopy;
      ColumnBatch batch = new ColumnBatch(SCHEMA, capacity);
      if (bytes) {
        batch.keepTextAsBytes(0);
        batch.keepTextAsBytes(1);
      }
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          String name = batch.string(1, i);
          log.add(batch.sourceRows()[i] + ":" + batch.string(0, i) + "|" + (name.isEmpty() ? "null" : name) + "|"
              + batch.dates(2)[i]);
        }
      }
      log.add("end " + r.rowsRead());
    }
    return log;
  }

  /** Random rows with invalid UTF-8, NUL, null and non-ASCII text among a few hundred distinct values. */
  private static void writeRandom(int seed, Path file) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    try (BufferAllocator allocator = new RootAllocator();
        VarCharVector id = new VarCharVector("id", allocator);
        VarCharVector name = new VarCharVector("name", allocator);
        DateDayVector day = new DateDayVector("day", allocator)) {
      VectorSchemaRoot root = VectorSchemaRoot.of(id, name, day);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
        writer.start();
        for (int b = 0; b < 4; b++) {
          int rows = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(3_000);
          root.allocateNew();
          for (int i = 0; i < rows; i++) {
            int bad = random.nextInt(80);
            byte[] text = ("I" + random.nextInt(300)).getBytes(StandardCharsets.UTF_8);
            if (bad == 0) {
              text = new byte[] {'I', (byte) 0xC3};                        // invalid UTF-8
            } else if (bad == 1) {
              text = new byte[] {'I', 0, '1'};                             // NUL
            } else if (bad == 2) {
              text = "Ünïcode".getBytes(StandardCharsets.UTF_8);           // valid, not ASCII
            }
            if (bad == 3) {
              id.setNull(i);
            } else {
              id.setSafe(i, text);
            }
            if (random.nextInt(5) == 0) {
              name.setNull(i);
            } else {
              name.setSafe(i, (random.nextInt(40) == 0 ? new byte[] {'N', (byte) 0xFF} : ("N" + random.nextInt(9))
                  .getBytes(StandardCharsets.UTF_8)));
            }
            day.setSafe(i, 19_000 + random.nextInt(1_000));
          }
          root.setRowCount(rows);
          writer.writeBatch();
        }
        writer.end();
      }
    }
  }

  /**
   * Copies an Arrow IPC file with the named text columns dictionary-encoded (32-bit indexes, one
   * dictionary per column holding every distinct value of the file, nulls as null indexes).
   */
  private static void encode(Path from, Path to, Set<String> columns) throws IOException {
    try (BufferAllocator allocator = new RootAllocator()) {
      // the distinct values of each column, in order of first appearance
      java.util.Map<String, Set<String>> distinct = new java.util.LinkedHashMap<>();
      try (FileChannel channel = FileChannel.open(from);
          ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        while (reader.loadNextBatch()) {
          for (String c : columns) {
            VarCharVector v = (VarCharVector) root.getVector(c);
            Set<String> seen = distinct.computeIfAbsent(c, k -> new LinkedHashSet<>());
            for (int i = 0; i < v.getValueCount(); i++) {
              if (!v.isNull(i)) {
                seen.add(new String(v.get(i), StandardCharsets.ISO_8859_1));   // bytes kept as they are
              }
            }
          }
        }
      }
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
      java.util.Map<String, Dictionary> dictionaries = new java.util.HashMap<>();
      long id = 1;
      for (String c : columns) {
        VarCharVector values = new VarCharVector(c + "_values", allocator);
        values.allocateNew();
        int k = 0;
        for (String v : distinct.getOrDefault(c, Set.of())) {
          values.setSafe(k++, v.getBytes(StandardCharsets.ISO_8859_1));
        }
        values.setValueCount(k);
        Dictionary d = new Dictionary(values, new DictionaryEncoding(id++, false, new ArrowType.Int(32, true)));
        provider.put(d);
        dictionaries.put(c, d);
      }
      try (FileChannel channel = FileChannel.open(from);
          ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
        VectorSchemaRoot in = reader.getVectorSchemaRoot();
        List<Field> fields = new ArrayList<>();
        for (Field f : in.getSchema().getFields()) {
          Dictionary d = dictionaries.get(f.getName());
          fields.add(d == null ? f : new Field(f.getName(),
              new FieldType(true, new ArrowType.Int(32, true), d.getEncoding()), null));
        }
        try (VectorSchemaRoot out = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(fields), allocator);
            FileChannel outChannel = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ArrowFileWriter writer = new ArrowFileWriter(out, provider, outChannel)) {
          writer.start();
          while (reader.loadNextBatch()) {
            for (int c = 0; c < fields.size(); c++) {
              FieldVector source = in.getVector(c);
              FieldVector target = out.getVector(c);
              Dictionary d = dictionaries.get(fields.get(c).getName());
              if (d == null) {
                source.makeTransferPair(target).transfer();
              } else {
                try (FieldVector indexes = (FieldVector) DictionaryEncoder.encode(source, d)) {
                  indexes.makeTransferPair(target).transfer();
                }
              }
            }
            out.setRowCount(in.getRowCount());
            writer.writeBatch();
          }
          writer.end();
        }
      }
      for (Dictionary d : dictionaries.values()) {
        d.getVector().close();
      }
    }
  }
}

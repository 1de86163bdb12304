package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Arrow reader's block copy (a column at a time, fixed-width columns without nulls in one bulk
 * copy) against its cell-by-cell copy on random files with nulls, bad dates, invalid UTF-8 and
 * NUL characters in random places: the same rows, values, source rows and bad-row reports, for
 * batch sizes that split Arrow record batches anywhere, with ids kept as Strings or as bytes.
 */
class ArrowColumnCopyTest {
  private static final TableSchema SCHEMA = new TableSchema("sample", List.of(
      TableSchema.required("id", ColumnType.STRING),
      TableSchema.nullable("name", ColumnType.STRING),
      TableSchema.nullable("day", ColumnType.DATE),
      TableSchema.required("due", ColumnType.DATE),
      TableSchema.required("amount", ColumnType.DOUBLE),
      TableSchema.nullable("qty", ColumnType.DOUBLE),
      TableSchema.required("n", ColumnType.INT),
      TableSchema.required("flag", ColumnType.BOOLEAN)));

  @TempDir Path dir;

  @Test
  void blockCopy_readsTheSameAsCellByCell() throws IOException {
    for (int seed = 0; seed < 8; seed++) {
      Path file = writeRandom(seed);
      for (int capacity : new int[] {1, 7, 1_000, 65_536}) {
        for (boolean bytes : new boolean[] {false, true}) {
          List<String> cells = read(file, false, capacity, bytes);
          assertThat(cells).anyMatch(s -> s.startsWith("bad "));
          assertThat(read(file, true, capacity, bytes)).as("seed %d, capacity %d", seed, capacity).isEqualTo(cells);
        }
      }
    }
  }

  private static List<String> read(Path file, boolean columnCopy, int capacity, boolean bytes) throws IOException {
    List<String> log = new ArrayList<>();
    try (TableReader r = TableReader.open(file, SCHEMA, e -> log.add("bad " + e.getMessage()))) {
      ((ArrowTableReader) r).columnCopy = columnCopy;
      ColumnBatch batch = new ColumnBatch(SCHEMA, capacity);
      if (bytes) {
        batch.keepTextAsBytes(0);
      }
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          log.add(batch.sourceRows()[i] + ":" + batch.string(0, i) + "|" + batch.strings(1)[i] + "|"
              + batch.dates(2)[i] + "|" + batch.dates(3)[i] + "|" + Double.doubleToRawLongBits(batch.doubles(4)[i])
              + "|" + Double.doubleToRawLongBits(batch.doubles(5)[i]) + "|" + batch.ints(6)[i] + "|"
              + batch.booleans(7)[i]);
        }
      }
      log.add("end " + r.rowsRead());
    }
    return log;
  }

  private Path writeRandom(int seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    Path file = dir.resolve("r" + seed + ".arrow");
    try (BufferAllocator allocator = new RootAllocator();
        VarCharVector id = new VarCharVector("id", allocator);
        VarCharVector name = new VarCharVector("name", allocator);
        DateDayVector day = new DateDayVector("day", allocator);
        DateDayVector due = new DateDayVector("due", allocator);
        Float8Vector amount = new Float8Vector("amount", allocator);
        IntVector qty = new IntVector("qty", allocator);
        IntVector n = new IntVector("n", allocator);
        BitVector flag = new BitVector("flag", allocator)) {
      VectorSchemaRoot root = VectorSchemaRoot.of(id, name, day, due, amount, qty, n, flag);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
        writer.start();
        for (int b = 0; b < 5; b++) {
          int rows = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(3_000);
          boolean clean = random.nextBoolean();   // a batch without any bad cell or null
          root.allocateNew();
          for (int i = 0; i < rows; i++) {
            // clean batches still hold an occasional valid non-ASCII id: the ASCII block copy
            // of ids kept as bytes must give such a batch back to the row-by-row copy
            int bad = clean ? (random.nextInt(300) == 0 ? 2 : -1) : random.nextInt(60);
            byte[] text = ("I" + random.nextInt(500)).getBytes(StandardCharsets.UTF_8);
            if (bad == 0) {
              text = new byte[] {'I', (byte) 0xC3};                                      // invalid UTF-8
            } else if (bad == 1) {
              text = new byte[] {'I', 0, '1'};                                           // NUL
            } else if (bad == 2) {
              text = "Ünïcode".getBytes(StandardCharsets.UTF_8);                         // valid, not ASCII
            }
            if (bad == 3) {
              id.setNull(i);
            } else {
              id.setSafe(i, text);
            }
            if (!clean && random.nextInt(5) == 0) {
              name.setNull(i);
            } else {
              name.setSafe(i, ("N" + random.nextInt(9)).getBytes(StandardCharsets.UTF_8));
            }
            if (!clean && random.nextInt(4) == 0) {
              day.setNull(i);
            } else {
              day.setSafe(i, bad == 4 ? 99_999 : 19_000 + random.nextInt(1_000));
            }
            if (bad == 5) {
              due.setNull(i);
            } else {
              due.setSafe(i, bad == 6 ? -30_000 : 19_000 + random.nextInt(1_000));
            }
            if (bad == 7) {
              amount.setNull(i);
            } else {
              amount.setSafe(i, random.nextDouble() * 1e6);
            }
            if (!clean && random.nextInt(3) == 0) {
              qty.setNull(i);
            } else {
              qty.setSafe(i, random.nextInt(1_000_000) - 500_000);
            }
            if (bad == 8) {
              n.setNull(i);
            } else {
              n.setSafe(i, random.nextInt());
            }
            if (bad == 9) {
              flag.setNull(i);
            } else {
              flag.setSafe(i, random.nextInt(2));
            }
          }
          root.setRowCount(rows);
          writer.writeBatch();
        }
        writer.end();
      }
    }
    return file;
  }
  @Test
  void plainAscii_eightBytesAtATime_equalsTheByteByByteCheck() {
    SplittableRandom random = new SplittableRandom(20261204);
    byte[] bytes = new byte[64];
    for (int trial = 0; trial < 200_000; trial++) {
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (1 + random.nextInt(127));
      }
      // zero to two bad bytes anywhere: NUL, 0x80 (the borrow's edge), 0xFF, or any byte at all
      for (int bad = random.nextInt(3); bad > 0; bad--) {
        int kind = random.nextInt(4);
        bytes[random.nextInt(bytes.length)] = (byte) (kind == 0 ? 0 : kind == 1 ? 0x80 : kind == 2 ? 0xFF : random.nextInt(256));
      }
      int from = random.nextInt(bytes.length + 1);
      int to = from + random.nextInt(bytes.length - from + 1);
      boolean expected = true;
      for (int i = from; i < to; i++) {
        expected &= bytes[i] >= 1 && bytes[i] <= 127;
      }
      assertThat(ColumnBatch.plainAscii(bytes, from, to)).as("trial %d [%d, %d)", trial, from, to).isEqualTo(expected);
    }
  }
}


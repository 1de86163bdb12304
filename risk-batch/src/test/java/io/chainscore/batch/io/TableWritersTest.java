package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.CsvWriter;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableWritersTest {
  private static final TableSchema SCHEMA = new TableSchema("sample", List.of(
      TableSchema.required("id", ColumnType.STRING),
      TableSchema.nullable("day", ColumnType.DATE),
      TableSchema.required("amount", ColumnType.DOUBLE),
      TableSchema.required("flag", ColumnType.BOOLEAN)));

  @TempDir Path dir;

  @Test
  void formatDouble_roundTripsExactlyWithoutExponent() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      double value = switch (i % 4) {
        case 0 -> Math.round(random.nextDouble() * 1e11) / 100.0;
        case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(-12, 16));
        case 2 -> -random.nextDouble() * 1e20;
        default -> Double.longBitsToDouble(random.nextLong());
      };
      if (!Double.isFinite(value)) {
        continue;
      }
      String text = CsvWriter.formatNumber(value);
      assertThat(text).doesNotContain("E");
      assertThat(Double.doubleToLongBits(Double.parseDouble(text)))
          .as("round trip of %s", text)
          .isEqualTo(Double.doubleToLongBits(value));
    }
    assertThat(CsvWriter.formatNumber(12_000_000)).isEqualTo("12000000");
    assertThat(CsvWriter.formatNumber(1234.5)).isEqualTo("1234.5");
    assertThat(CsvWriter.formatNumber(Double.NaN)).isEqualTo("NaN");
  }

  /** A LONG column (a quarantine's row numbers) written in each format reads back as the same longs. */
  @Test
  void setLong_everyFormat_readsBackTheSameLongs() throws IOException {
    TableSchema longs = new TableSchema("longs", List.of(TableSchema.required("row", ColumnType.LONG)));
    long[] values = {1, 3_000_000_000L, Long.MAX_VALUE, -7};
    for (TableWriter.Format format : TableWriter.Format.values()) {
      Path at = Files.createDirectories(dir.resolve(format.name()));
      try (TableWriter w = Tables.open(at, longs, format, false)) {
        for (long v : values) {
          w.setLong(0, v);
          w.endRow();
        }
        w.commit();
      }
      Path file;
      try (var files = Files.list(at)) {
        file = files.filter(f -> !f.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
      }
      try (TableReader r = TableReader.open(file, longs, BadRowHandler.STRICT)) {
        ColumnBatch batch = new ColumnBatch(longs, 16);
        assertThat(r.next(batch)).isTrue();
        assertThat(java.util.Arrays.copyOf(batch.longs(0), batch.size())).as(format.name()).containsExactly(values);
      }
    }
  }

  @Test
  void csv_quotesSpecialCharactersPerRfc4180() throws IOException {
    try (TableWriter w = Tables.open(dir, SCHEMA, TableWriter.Format.CSV, false)) {
      w.setString(0, "a,\"b\"\nc");
      w.setDate(1, null);
      w.setDouble(2, 0.1);
      w.setBoolean(3, true);
      w.endRow();
      w.commit();
    }
    assertThat(Files.readString(dir.resolve("sample.csv"), StandardCharsets.UTF_8))
        .isEqualTo("id,day,amount,flag\n\"a,\"\"b\"\"\nc\",,0.1,true\n");
  }

  @Test
  void open_existingTarget_refusedWithoutOverwrite() throws IOException {
    Files.writeString(dir.resolve("sample.csv"), "old");
    assertThatThrownBy(() -> Tables.open(dir, SCHEMA, TableWriter.Format.CSV, false))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("sample.csv");
    try (TableWriter w = Tables.open(dir, SCHEMA, TableWriter.Format.CSV, true)) {
      assertThat(Files.readString(dir.resolve("sample.csv"))).as("old file kept until commit").isEqualTo("old");
    }
    assertThat(Files.readString(dir.resolve("sample.csv"))).as("no commit, no change").isEqualTo("old");
    try (var files = Files.list(dir)) {
      assertThat(files).as("temporary file removed").hasSize(1);
    }
  }

  @Test
  void arrow_multipleBatches_readBackIdentical() throws Exception {
    int rows = ArrowTableWriter.BATCH_ROWS + 1234;
    try (TableWriter w = Tables.open(dir, SCHEMA, TableWriter.Format.ARROW, false)) {
      for (int i = 0; i < rows; i++) {
        w.setString(0, "S" + i);
        w.setDate(1, i % 7 == 0 ? null : LocalDate.ofEpochDay(19_000 + i % 500));
        w.setDouble(2, i * 0.01);
        w.setBoolean(3, i % 3 == 0);
        w.endRow();
      }
      w.commit();
    }
    int seen = 0;
    try (RootAllocator allocator = new RootAllocator();
        ArrowFileReader reader = new ArrowFileReader(
            Files.newByteChannel(dir.resolve("sample.arrow")), allocator)) {
      assertThat(reader.getRecordBlocks()).hasSize(2);
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        VarCharVector id = (VarCharVector) root.getVector("id");
        DateDayVector day = (DateDayVector) root.getVector("day");
        Float8Vector amount = (Float8Vector) root.getVector("amount");
        BitVector flag = (BitVector) root.getVector("flag");
        for (int r = 0; r < root.getRowCount(); r++, seen++) {
          assertThat(new String(id.get(r), StandardCharsets.UTF_8)).isEqualTo("S" + seen);
          if (seen % 7 == 0) {
            assertThat(day.isNull(r)).isTrue();
          } else {
            assertThat(day.get(r)).isEqualTo(19_000 + seen % 500);
          }
          assertThat(amount.get(r)).isEqualTo(seen * 0.01);
          assertThat(flag.get(r)).isEqualTo(seen % 3 == 0 ? 1 : 0);
        }
      }
    }
    assertThat(seen).isEqualTo(rows);
  }
}

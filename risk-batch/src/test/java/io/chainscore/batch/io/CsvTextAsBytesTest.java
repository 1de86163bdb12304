package io.chainscore.batch.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.tables.ColumnType;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV reader leaves the columns a batch keeps as bytes as bytes, where the value is plain
 * ASCII: every row reads the same through {@link ColumnBatch#string} as through the String path,
 * the same rows are refused with the same messages (NUL, bytes that are not UTF-8, an empty
 * required id), on random ids (ASCII, accented, repeated, empty), several batches of a file.
 */
class CsvTextAsBytesTest {
  private static final TableSchema SCHEMA = new TableSchema("sample", List.of(
      TableSchema.required("id", ColumnType.STRING), TableSchema.optional("name", ColumnType.STRING),
      TableSchema.required("amount", ColumnType.DOUBLE)));

  @TempDir Path dir;

  private List<String> read(Path file, boolean bytes) throws IOException {
    List<String> log = new ArrayList<>();
    try (TableReader r = TableReader.open(file, SCHEMA, e -> log.add("bad " + e.getMessage()))) {
      ColumnBatch batch = new ColumnBatch(SCHEMA, 7);
      if (bytes) {
        batch.keepTextAsBytes(0);
        batch.keepTextAsBytes(1);
      }
      while (r.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          log.add(batch.sourceRows()[i] + ":" + batch.string(0, i) + "|" + batch.string(1, i) + "|"
              + batch.doubles(2)[i]);
        }
      }
      log.add("end " + r.rowsRead());
    }
    return log;
  }

  @Test
  void bytesAndStrings_readTheSameRows_andRefuseTheSameRows() throws IOException {
    SplittableRandom random = new SplittableRandom(17);
    String[] ids = {"S0001", "S0001", "B-17", "\u00e9t\u00e9", "x\u0000y", "", "\"q,1\"", "caf\u00e9"};
    for (int file = 0; file < 20; file++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.writeBytes("id,name,amount\n".getBytes(StandardCharsets.UTF_8));
      int rows = 1 + random.nextInt(60);
      for (int r = 0; r < rows; r++) {
        String id = random.nextInt(3) == 0 ? ids[random.nextInt(ids.length)] : "I" + random.nextInt(1000);
        String name = random.nextInt(4) == 0 ? ids[random.nextInt(ids.length)] : "n" + r;
        out.writeBytes((id + "," + name + "," + r + ".5").getBytes(StandardCharsets.UTF_8));
        if (random.nextInt(25) == 0) {
          out.write(0xC3);  // a lone lead byte: not UTF-8
        }
        out.write('\n');
      }
      Path path = Files.write(dir.resolve("f" + file + ".csv"), out.toByteArray());
      List<String> strings = read(path, false);
      List<String> bytes = read(path, true);
      assertThat(bytes).as("file %d", file).isEqualTo(strings);
      assertThat(strings).as("file %d reads rows", file).anyMatch(l -> !l.startsWith("bad ") && !l.startsWith("end "));
    }
  }
}

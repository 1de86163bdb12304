package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.batch.io.TableReader;
import io.chainscore.batch.io.TableWriter;
import io.chainscore.batch.io.Tables;
import io.chainscore.features.engine.BadRecord;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deliveries' invoice ids, which only name refused rows, are not read from a Parquet file that
 * proves them present ({@code ColumnBatch.leaveTextUnread}); the refused deliveries are named
 * afterwards from that column alone. Against the same portfolio read from CSV, where every id is
 * read: the same features bit for bit and the same quarantine (table, row, record id, field,
 * reason, in order, with the reader's refusals, out-of-range dates, among the rules' unknown
 * suppliers and ids that are not ASCII), with 1 and 2 threads, and from a table directory of part
 * files. And the one difference this makes, declared in the docs: an id's own rule (no NUL) is not
 * checked where the id is not read, so such a delivery counts from Parquet and is refused from CSV.
 */
class DeliveryIdsUnreadTest {
  private static final LocalDate D = LocalDate.of(2024, 6, 30);
  private static final LocalDate OUT_OF_RANGE = LocalDate.of(1850, 1, 1);

  @TempDir Path dir;

  @Test
  void refusedDeliveries_areNamedAsIfTheirIdsWereRead() throws IOException {
    for (int seed = 0; seed < 3; seed++) {
      Path csv = Files.createDirectories(dir.resolve("csv" + seed));
      IdsAsBytesTest.writeRandomPortfolio(csv, new SplittableRandom(seed));
      Path parquet = Files.createDirectories(dir.resolve("parquet" + seed));
      IdsAsBytesTest.convert(csv, parquet, TableWriter.Format.PARQUET);
      Path parts = Files.createDirectories(dir.resolve("parts" + seed));
      IdsAsBytesTest.convert(csv, parts, TableWriter.Format.PARQUET);
      // the deliveries again in both formats, with dates the readers refuse (named by the id)
      List<Object[]> rows = deliveries(csv.resolve("deliveries.csv"));
      SplittableRandom random = new SplittableRandom(seed);
      for (Object[] row : rows) {
        if (random.nextInt(25) == 0) {
          row[3] = OUT_OF_RANGE;
        }
      }
      writeDeliveries(csv, TableWriter.Format.CSV, rows);
      writeDeliveries(parquet, TableWriter.Format.PARQUET, rows);
      // the same rows as a table directory of two parts, refusals in both
      Files.delete(parts.resolve("deliveries.parquet"));
      Path table = Files.createDirectories(parts.resolve("deliveries.parquet"));
      writeDeliveries(table, "part-0", rows.subList(0, rows.size() / 3));
      writeDeliveries(table, "part-1", rows.subList(rows.size() / 3, rows.size()));

      for (int threads : new int[] {1, 2}) {
        PortfolioFeatures.Options options = new PortfolioFeatures.Options(D, threads, true,
            PortfolioFeatures.DEFAULT_REGIONS);
        List<String> fromCsv = new ArrayList<>();
        PortfolioFeatures.Result a = PortfolioFeatures.compute(csv, options, r -> fromCsv.add(line(r, -1)));
        assertThat(fromCsv).as("the refusals this test is about")
            .anyMatch(l -> l.startsWith("delivery|") && l.contains("|actual_date|"))
            .anyMatch(l -> l.startsWith("delivery|") && l.contains("|supplier_id|"))
            .anyMatch(l -> l.startsWith("delivery|") && l.contains("Ü"));
        for (Path other : new Path[] {parquet, parts}) {
          List<String> fromOther = new ArrayList<>();
          long partOneStart = other == parts ? rows.size() / 3 : -1;
          PortfolioFeatures.Result b = PortfolioFeatures.compute(other, options,
              r -> fromOther.add(line(r, partOneStart)));
          if (other == parts) {
            // batches end where parts do, so the reader's and the rules' refusals interleave otherwise
            assertThat(fromOther).as("%s, %d threads", other, threads).containsExactlyInAnyOrderElementsOf(fromCsv);
          } else {
            assertThat(fromOther).as("%s, %d threads", other, threads).isEqualTo(fromCsv);
          }
          assertThat(b.matrix()).isEqualTo(a.matrix());
          assertThat(b.supplierIds()).isEqualTo(a.supplierIds());
        }
      }
    }
  }

  @Test
  void anIdsOwnRule_isNotCheckedWhereTheIdIsNotRead() throws IOException {
    Path csv = Files.createDirectories(dir.resolve("csv"));
    IdsAsBytesTest.writeRandomPortfolio(csv, new SplittableRandom(7));
    Path parquet = Files.createDirectories(dir.resolve("parquet"));
    IdsAsBytesTest.convert(csv, parquet, TableWriter.Format.PARQUET);
    List<Object[]> rows = deliveries(csv.resolve("deliveries.csv"));
    // a recent delivery of a known supplier, its id holding NUL
    Object[] good = rows.stream().filter(r -> ((String) r[1]).matches("S[0-9]+") && !r[1].equals("S505"))
        .reduce((x, y) -> ((LocalDate) y[3]).isAfter((LocalDate) x[3]) ? y : x).orElseThrow();
    Object[] nul = {"NUL\0ID", good[1], good[2], D.minusDays(10)};
    rows.add(nul);
    writeDeliveries(csv, TableWriter.Format.CSV, rows);
    writeDeliveries(parquet, TableWriter.Format.PARQUET, rows);
    PortfolioFeatures.Options options = new PortfolioFeatures.Options(D, 1, true, PortfolioFeatures.DEFAULT_REGIONS);
    List<String> fromCsv = new ArrayList<>();
    List<String> fromParquet = new ArrayList<>();
    PortfolioFeatures.Result a = PortfolioFeatures.compute(csv, options, r -> fromCsv.add(line(r, -1)));
    PortfolioFeatures.Result b = PortfolioFeatures.compute(parquet, options, r -> fromParquet.add(line(r, -1)));
    String refusal = "delivery|" + rows.size() + "|?|invoice_id|";
    assertThat(fromCsv).anyMatch(l -> l.startsWith(refusal));
    List<String> rest = new ArrayList<>(fromCsv);
    rest.removeIf(l -> l.startsWith(refusal));
    assertThat(fromParquet).as("the same refusals but that one").isEqualTo(rest);
    // the delivery counts from Parquet: the supplier's matrix row differs, every other is the same
    int supplier = a.supplierIds().indexOf((String) good[1]);
    int width = a.matrix().length / a.supplierIds().size();
    boolean differs = false;
    for (int i = 0; i < a.matrix().length; i++) {
      if (Double.compare(a.matrix()[i], b.matrix()[i]) != 0) {
        assertThat(i / width).isEqualTo(supplier);
        differs = true;
      }
    }
    assertThat(differs).as("the delivery with NUL in its id counted from Parquet").isTrue();
  }

  /**
   * A quarantine line; a delivery placed in part file part-1 folded back into the table's row, the
   * second part starting after {@code partOneStart} rows (-1: no parts).
   */
  private static String line(BadRecord r, long partOneStart) {
    long row = r.row();
    if (partOneStart >= 0 && r.table().equals("delivery") && r.file().endsWith("part-1.parquet")) {
      row += partOneStart;
    }
    // a reader words an out-of-range date as its format holds it (text or epoch day)
    String reason = r.field().equals("actual_date") ? "out of range" : r.reason();
    return r.table() + "|" + row + "|" + r.recordId() + "|" + r.field() + "|" + reason;
  }

  /** The rows of a deliveries CSV: id, supplier, promised and actual dates. */
  private static List<Object[]> deliveries(Path file) throws IOException {
    List<Object[]> rows = new ArrayList<>();
    TableSchema schema = PortfolioTables.DELIVERIES;
    try (TableReader reader = TableReader.open(file, schema, e -> {
      throw e;
    })) {
      ColumnBatch batch = new ColumnBatch(schema, 1_000);
      while (reader.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          rows.add(new Object[] {batch.strings(0)[i], batch.strings(1)[i],
              LocalDate.ofEpochDay(batch.dates(2)[i]), LocalDate.ofEpochDay(batch.dates(3)[i])});
        }
      }
    }
    return rows;
  }

  private static void writeDeliveries(Path dir, TableWriter.Format format, List<Object[]> rows) throws IOException {
    Files.deleteIfExists(dir.resolve("deliveries." + format.extension()));
    try (TableWriter writer = Tables.open(dir, PortfolioTables.DELIVERIES, format, true)) {
      write(writer, rows);
    }
  }

  /** {@code rows} as part file {@code name}.parquet of a table directory. */
  private static void writeDeliveries(Path table, String name, List<Object[]> rows) throws IOException {
    try (TableWriter writer = Tables.open(table, new TableSchema(name, PortfolioTables.DELIVERIES.columns()),
        TableWriter.Format.PARQUET, true)) {
      write(writer, rows);
    }
  }

  private static void write(TableWriter writer, List<Object[]> rows) throws IOException {
    for (Object[] row : rows) {
      writer.setString(0, (String) row[0]);
      writer.setString(1, (String) row[1]);
      writer.setDate(2, (LocalDate) row[2]);
      writer.setDate(3, (LocalDate) row[3]);
      writer.endRow();
    }
    writer.commit();
  }
}

package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.io.TableWriter;
import io.chainscore.features.engine.BadRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The duplicate-invoice check's second pass (a portfolio whose invoice ids repeat is read again,
 * the first invoice of an id accepted, every later one refused) against two independent
 * references: which rows are refused as duplicates, against a HashSet of the ids of the rows the
 * stage's rules accept, in file order; and the features and the events' quarantine, against the
 * same portfolio with those rows deleted from the file (which has no repeat, so its first pass
 * stands). The random portfolios repeat ids across suppliers, with credit notes and disputes on
 * the repeats, so an event claimed only by a repeat must come out unclaimed.
 */
class DuplicateCheckPassesTest {
  private static final LocalDate D = LocalDate.of(2024, 6, 30);

  @TempDir Path dir;

  @Test
  void secondPass_refusesTheRepeats_andEqualsTheFileWithoutThem() throws IOException {
    for (int seed = 0; seed < 3; seed++) {
      Path with = Files.createDirectories(dir.resolve("with" + seed));
      IdsAsBytesTest.writeRandomPortfolio(with, new SplittableRandom(100 + seed));
      List<String> invoiceLines = Files.readAllLines(with.resolve("invoices.csv"));

      // reference: the stage refuses unknown suppliers (S404) and buyers (A9) before the check
      Set<String> accepted = new HashSet<>();
      TreeSet<Long> expectedRepeats = new TreeSet<>();
      for (int row = 1; row < invoiceLines.size(); row++) {
        String[] f = invoiceLines.get(row).split(",", -1);
        if (f[1].equals("S404") || f[2].equals("A9")) {
          continue;
        }
        if (!accepted.add(f[0])) {
          expectedRepeats.add((long) row);
        }
      }
      assertThat(expectedRepeats).hasSizeGreaterThan(20);

      Path without = Files.createDirectories(dir.resolve("without" + seed));
      for (String table : new String[] {"anchors", "suppliers", "loans", "instalments", "credit_notes", "disputes",
          "deliveries"}) {
        Files.copy(with.resolve(table + ".csv"), without.resolve(table + ".csv"));
      }
      List<String> kept = new ArrayList<>();
      for (int row = 0; row < invoiceLines.size(); row++) {
        if (!expectedRepeats.contains((long) row)) {
          kept.add(invoiceLines.get(row));
        }
      }
      Files.write(without.resolve("invoices.csv"), kept);

      for (TableWriter.Format format : new TableWriter.Format[] {TableWriter.Format.CSV, TableWriter.Format.PARQUET}) {
        Path a = with;
        Path b = without;
        if (format != TableWriter.Format.CSV) {
          a = Files.createDirectories(dir.resolve("with" + seed + format.extension()));
          b = Files.createDirectories(dir.resolve("without" + seed + format.extension()));
          IdsAsBytesTest.convert(with, a, format);
          IdsAsBytesTest.convert(without, b, format);
        }
        for (int threads : new int[] {1, 2}) {
          PortfolioFeatures.Options options = new PortfolioFeatures.Options(D, threads, true,
              PortfolioFeatures.DEFAULT_REGIONS);
          List<BadRecord> fromWith = new ArrayList<>();
          List<BadRecord> fromWithout = new ArrayList<>();
          PortfolioFeatures.Result x = PortfolioFeatures.compute(a, options, fromWith::add);
          PortfolioFeatures.Result y = PortfolioFeatures.compute(b, options, fromWithout::add);
          String as = format + ", " + threads + " threads, seed " + seed;

          TreeSet<Long> refusedAsRepeats = new TreeSet<>();
          fromWith.stream().filter(r -> r.table().equals("invoice") && r.reason().equals("is a duplicate"))
              .forEach(r -> refusedAsRepeats.add(r.row()));
          assertThat(refusedAsRepeats).as(as).isEqualTo(expectedRepeats);
          assertThat(fromWithout).as(as).noneMatch(r -> r.reason().equals("is a duplicate"));

          assertThat(x.matrix()).as(as).isEqualTo(y.matrix());
          assertThat(x.invoices() - expectedRepeats.size()).as(as).isEqualTo(y.invoices());
          // every other refusal the same, in the same order; invoice rows renumbered past the deleted ones
          List<String> otherWith = new ArrayList<>();
          for (BadRecord r : fromWith) {
            if (!(r.table().equals("invoice") && r.reason().equals("is a duplicate"))) {
              long row = r.table().equals("invoice") ? r.row() - expectedRepeats.headSet(r.row()).size() : r.row();
              otherWith.add(r.table() + "|" + row + "|" + r.recordId() + "|" + r.field() + "|" + r.reason());
            }
          }
          List<String> otherWithout = fromWithout.stream()
              .map(r -> r.table() + "|" + r.row() + "|" + r.recordId() + "|" + r.field() + "|" + r.reason()).toList();
          assertThat(otherWith).as(as).isEqualTo(otherWithout)
              .anyMatch(l -> l.startsWith("credit_note|") && l.contains("is not an invoice of supplier"));
        }
      }
    }
  }
}

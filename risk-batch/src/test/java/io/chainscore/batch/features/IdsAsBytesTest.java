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
 * The invoice, loan and delivery ids the Arrow and Parquet readers leave as bytes (hashed for the
 * duplicate check and the event filter, turned into Strings only for a refusal or an invoice with
 * events) against the same portfolio read from CSV: the same features bit for bit and the same
 * quarantine (table, row, record id, field, reason, in order), with 1 and 2 threads, on random
 * portfolios full of repeated ids, ids whose first occurrence is refused, unknown suppliers and
 * buyers, rows the engine refuses, non-ASCII ids and events no invoice claims. The CSV reader keeps
 * ASCII ids as bytes too, so the formats share the keying of bytes: the loans' refusals are also
 * checked against the rules applied here to loans.csv's lines, with Strings.
 */
class IdsAsBytesTest {
  private static final LocalDate D = LocalDate.of(2024, 6, 30);

  @TempDir Path dir;

  @Test
  void idsKeptAsBytes_giveTheSameFeaturesAndQuarantineAsStrings() throws IOException {
    for (int seed = 0; seed < 3; seed++) {
      Path csv = Files.createDirectories(dir.resolve("csv" + seed));
      writeRandomPortfolio(csv, new SplittableRandom(seed));
      boolean nonAsciiLoans = seed == 0;
      writeRandomLoans(csv, new SplittableRandom(seed), nonAsciiLoans);
      for (TableWriter.Format format : new TableWriter.Format[] {TableWriter.Format.ARROW, TableWriter.Format.PARQUET}) {
        Path other = Files.createDirectories(dir.resolve(format.extension() + seed));
        convert(csv, other, format);
        for (int threads : new int[] {1, 2}) {
          List<String> fromCsv = new ArrayList<>();
          List<String> fromOther = new ArrayList<>();
          PortfolioFeatures.Options options = new PortfolioFeatures.Options(D, threads, true,
              PortfolioFeatures.DEFAULT_REGIONS);
          PortfolioFeatures.Result a = PortfolioFeatures.compute(csv, options, r -> fromCsv.add(line(r)));
          PortfolioFeatures.Result b = PortfolioFeatures.compute(other, options, r -> fromOther.add(line(r)));
          assertThat(fromCsv).anyMatch(l -> l.contains("is a duplicate"))
              .anyMatch(l -> l.startsWith("loan|") && l.contains("is a duplicate"))
              .anyMatch(l -> l.startsWith("loan|") && l.contains("'S404' is not a known supplier"))
              .anyMatch(l -> !nonAsciiLoans || l.matches("loan\\|[0-9]+\\|Lü.*"))
              .anyMatch(l -> l.startsWith("delivery|"))
              .anyMatch(l -> l.contains("Ü"))
              // events no invoice claims, named by going through the event tables again
              .anyMatch(l -> l.startsWith("credit_note|") && l.contains("is not an invoice of supplier"))
              .anyMatch(l -> l.startsWith("dispute|") && l.contains("is not an invoice of supplier"));
          assertThat(fromOther).as("%s, %d threads", format, threads).isEqualTo(fromCsv);
          // the loans' refusals against the rule applied here to the file's lines
          assertThat(fromCsv.stream().filter(l -> l.startsWith("loan|")).toList()).isEqualTo(loanRefusals(csv));
          assertThat(b.supplierIds()).isEqualTo(a.supplierIds());
          assertThat(b.matrix()).isEqualTo(a.matrix());
          assertThat(b.invoices()).isEqualTo(a.invoices());
        }
      }
    }
  }

  /**
   * The loans' refusals by the rules, from loans.csv's lines: an unknown supplier (S404), else an
   * id already accepted, else a loan no instalment names (every loan but L1, the one instalment's).
   */
  private static List<String> loanRefusals(Path dir) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("loans.csv"));
    java.util.Set<String> accepted = new java.util.HashSet<>();
    List<String> refusals = new ArrayList<>();
    for (int row = 1; row < lines.size(); row++) {
      String[] f = lines.get(row).split(",", -1);
      if (f[1].equals("S404")) {
        refusals.add("loan|" + row + "|" + f[0] + "|supplier_id|'S404' is not a known supplier");
      } else if (!accepted.add(f[0])) {
        refusals.add("loan|" + row + "|" + f[0] + "|loan_id|is a duplicate");
      } else if (!f[0].equals("L1")) {
        refusals.add("loan|" + row + "|" + f[0] + "|loan_id|" + io.chainscore.trade.TradeRules.loanWithoutInstalments().reason());
      }
    }
    return refusals;
  }

  private static String line(BadRecord r) {
    return r.table() + "|" + r.row() + "|" + r.recordId() + "|" + r.field() + "|" + r.reason();
  }

  private static String day(SplittableRandom random, int from, int span) {
    return LocalDate.of(2022, 1, 1).plusDays(from + random.nextInt(span)).toString();
  }

  /** Anchors, suppliers, loans and every transaction table, as CSV, with rule breaches but no parse errors. */
  static void writeRandomPortfolio(Path to, SplittableRandom random) throws IOException {
    Files.writeString(to.resolve("anchors.csv"), "anchor_id,name,sector,annual_revenue\n"
        + "A1,One,glass,1000000\nA2,Two,glass,2000000\nA3,Three,glass,3000000\n");
    StringBuilder suppliers = new StringBuilder(
        "supplier_id,anchor_id,sector,region,registration_date,declared_turnover\n");
    for (int s = 1; s <= 40; s++) {
      suppliers.append("S").append(s).append(",A").append(1 + s % 3).append(",glass,CN-GD,2020-01-01,5000\n");
    }
    Files.writeString(to.resolve("suppliers.csv"), suppliers);
    Files.writeString(to.resolve("loans.csv"), "loan_id,supplier_id,drawdown_date,amount\nL1,S1,2023-01-01,1000\n");
    Files.writeString(to.resolve("instalments.csv"),
        "loan_id,supplier_id,instalment_number,due_date,amount_due,repaid_date,amount_repaid\n"
        + "L1,S1,1,2023-02-01,1010,2023-02-01,1010\n");
    StringBuilder invoices = new StringBuilder("invoice_id,supplier_id,buyer_id,issue_date,due_date,amount,"
        + "delivered_on_time,returned_amount,disputed,paid_date,paid_amount\n");
    StringBuilder notes = new StringBuilder("credit_note_id,invoice_id,supplier_id,booking_date,amount,reason\n");
    StringBuilder disputes = new StringBuilder("invoice_id,supplier_id,opened_date,resolved_date\n");
    StringBuilder deliveries = new StringBuilder("invoice_id,supplier_id,promised_date,actual_date\n");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      int s = 1 + random.nextInt(40);
      int kind = random.nextInt(40);
      String id = kind == 0 && !ids.isEmpty() ? ids.get(random.nextInt(ids.size()))   // repeated id
          : kind == 1 ? "Ü-" + random.nextInt(300)                                   // non-ASCII, repeats
          : "S" + s + "-I" + i;
      String supplier = kind == 2 ? "S404" : "S" + s;          // unknown supplier (a later row may reuse the id)
      String buyer = kind == 3 ? "A9" : "A" + (1 + random.nextInt(3));
      String amount = kind == 4 ? "-5" : Integer.toString(1 + random.nextInt(10_000));   // refused by the engine
      int issue = random.nextInt(880);
      String paid = random.nextInt(4) == 0 ? "" : day(random, issue, 90);
      invoices.append(id).append(',').append(supplier).append(',').append(buyer).append(',')
          .append(day(random, issue, 1)).append(',').append(day(random, issue + 30, 1)).append(',')
          .append(amount).append(",true,0,false,").append(paid).append(",0\n");
      ids.add(id);
      if (random.nextInt(10) == 0) {
        notes.append("C").append(i).append(',').append(random.nextInt(20) == 0 ? "NOPE" + i : id).append(',')
            .append(supplier).append(',').append(day(random, issue, 60)).append(",10,price\n");
      }
      if (random.nextInt(15) == 0) {
        disputes.append(id).append(',').append(supplier).append(',').append(day(random, issue, 60)).append(",\n");
      }
      if (random.nextInt(2) == 0) {
        deliveries.append(id).append(',').append(random.nextInt(30) == 0 ? "S505" : supplier).append(',')
            .append(day(random, issue, 10)).append(',').append(day(random, issue, 15)).append('\n');
      }
    }
    Files.writeString(to.resolve("invoices.csv"), invoices);
    Files.writeString(to.resolve("credit_notes.csv"), notes);
    Files.writeString(to.resolve("disputes.csv"), disputes);
    Files.writeString(to.resolve("deliveries.csv"), deliveries);
  }

  /**
   * More loans in {@code to}'s loans.csv: repeated ids, unknown suppliers and, when {@code nonAscii},
   * ids that are not ASCII (a reader then gives that block's ids as Strings, not bytes).
   */
  static void writeRandomLoans(Path to, SplittableRandom random, boolean nonAscii) throws IOException {
    StringBuilder loans = new StringBuilder("loan_id,supplier_id,drawdown_date,amount\nL1,S1,2023-01-01,1000\n");
    for (int l = 2; l < 300; l++) {
      int kind = random.nextInt(20);
      String id = kind == 0 ? "L" + (1 + random.nextInt(l - 1)) : kind == 1 && nonAscii ? "Lü" + random.nextInt(30) : "L" + l;
      loans.append(id).append(kind == 2 ? ",S404," : ",S" + (1 + random.nextInt(40)) + ",")
          .append(day(random, 0, 700)).append(',').append(100 + random.nextInt(5_000)).append('\n');
    }
    Files.writeString(to.resolve("loans.csv"), loans);
  }

  /** Every table of {@code from} (CSV) rewritten in {@code format}, row for row. */
  static void convert(Path from, Path to, TableWriter.Format format) throws IOException {
    for (TableSchema schema : new TableSchema[] {PortfolioTables.ANCHORS, PortfolioTables.SUPPLIERS,
        PortfolioTables.LOANS, PortfolioTables.INSTALMENTS, PortfolioTables.INVOICES, PortfolioTables.CREDIT_NOTES,
        PortfolioTables.DISPUTES, PortfolioTables.DELIVERIES}) {
      try (TableReader reader = TableReader.open(from.resolve(schema.name() + ".csv"), schema, e -> {
            throw e;
          });
          TableWriter writer = Tables.open(to, schema, format, true)) {
        ColumnBatch batch = new ColumnBatch(schema, 1_000);
        while (reader.next(batch)) {
          for (int i = 0; i < batch.size(); i++) {
            for (int c = 0; c < schema.columns().size(); c++) {
              switch (schema.columns().get(c).type()) {
                case STRING -> writer.setString(c, batch.strings(c)[i]);
                case DATE -> {
                  int d = batch.dates(c)[i];
                  if (d == ColumnBatch.NULL_DATE) {
                    writer.setNull(c);
                  } else {
                    writer.setDate(c, LocalDate.ofEpochDay(d));
                  }
                }
                case DOUBLE -> {
                  double v = batch.doubles(c)[i];
                  if (Double.isNaN(v)) {
                    writer.setNull(c);
                  } else {
                    writer.setDouble(c, v);
                  }
                }
                case INT -> writer.setInt(c, batch.ints(c)[i]);
                case BOOLEAN -> writer.setBoolean(c, batch.booleans(c)[i]);
                default -> throw new IllegalStateException(schema.columns().get(c).type().toString());
              }
            }
            writer.endRow();
          }
        }
        writer.commit();
      }
    }
  }
}

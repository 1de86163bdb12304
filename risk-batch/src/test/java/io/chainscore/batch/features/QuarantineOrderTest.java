package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.features.engine.BadRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worked example of the transaction quarantine: every refused row of a small portfolio, named by
 * its file and its row there, in the order the loader reports them (tables in file order: anchors, suppliers, loans, credit notes,
 * disputes, invoices, instalments; within a table by row; the events no invoice claimed after the
 * invoices' refusals, credit notes before disputes), with 1 and 2 threads. The loans are read
 * after the invoices (to keep their index and the events apart in the heap) and the events are
 * not kept but read again to name the unclaimed ones: neither may show in the quarantine. A loan
 * none of whose instalments is accepted is known only after the instalments, and still comes among
 * the loans, by row. Each expected line follows from the rules by hand.
 */
class QuarantineOrderTest {
  private static final LocalDate D = LocalDate.of(2024, 6, 30);

  @TempDir Path dir;

  private static final String INVOICES_HEADER = "invoice_id,supplier_id,buyer_id,issue_date,due_date,amount,"
      + "delivered_on_time,returned_amount,disputed,paid_date,paid_amount\n";

  /** One anchor, A1, and the suppliers {@code ids} of it. */
  private void anchorAndSuppliers(String... ids) throws IOException {
    Files.writeString(dir.resolve("anchors.csv"), "anchor_id,name,sector,annual_revenue\nA1,Anchor,glass,1000000\n");
    StringBuilder suppliers = new StringBuilder("supplier_id,anchor_id,sector,region,registration_date,declared_turnover\n");
    for (String id : ids) {
      suppliers.append(id).append(",A1,glass,CN-GD,2020-01-01,5000\n");
    }
    Files.writeString(dir.resolve("suppliers.csv"), suppliers);
  }

  @Test
  void refusedRows_comeInFileOrder_andUnclaimedEventsAreNamed() throws IOException {
    anchorAndSuppliers("S1", "S2");
    String row = ",2024-05-31,100,true,0,false,,0\n";
    Files.writeString(dir.resolve("invoices.csv"), INVOICES_HEADER
        + "I1,S1,A1,2024-05-01" + row        // row 1: claims the events of (S1, I1)
        + "I2,S1,A9,2024-05-01" + row        // row 2: unknown buyer, refused: its events are unclaimed
        + "I3,S2,A1,2024-05-01" + row);      // row 3
    Files.writeString(dir.resolve("credit_notes.csv"), "credit_note_id,invoice_id,supplier_id,booking_date,amount,"
        + "reason\n"
        + "C1,I1,S1,2024-06-01,10,price\n"     // row 1: claimed by invoice row 1
        + "C2,I9,S1,2024-06-01,10,price\n"     // row 2: no invoice I9: unclaimed
        + "C3,I9,S1,2024-07-01,10,price\n"     // row 3: after D, never kept: not reported
        + "C4,I1,S7,2024-06-01,10,price\n"     // row 4: unknown supplier: refused
        + "C5,I1,S2,2024-06-01,10,price\n"     // row 5: I1 is S1's, not S2's: unclaimed
        + "C6,I2,S1,2024-06-01,-5,price\n"     // row 6: bad amount: refused
        + "C7,I2,S1,2024-06-02,10,price\n"     // row 7: its invoice was refused: unclaimed
        + "C1,I3,S2,2024-06-01,10,price\n");   // row 8: C1 was claimed by row 1: a duplicate
    Files.writeString(dir.resolve("disputes.csv"), "invoice_id,supplier_id,opened_date,resolved_date\n"
        + "I3,S2,2024-06-01,\n"                // row 1: claimed by invoice row 3
        + "I2,S1,2024-06-01,\n"                // row 2: unclaimed (refused invoice)
        + "I3,S2,2024-06-01,2024-05-01\n"      // row 3: resolved before opened: refused
        + "I8,S2,2024-06-01,\n");              // row 4: unclaimed
    Files.writeString(dir.resolve("loans.csv"), "loan_id,supplier_id,drawdown_date,amount\n"
        + "L1,S1,2024-01-01,1000\n"
        + "L2,S7,2024-01-01,1000\n"            // row 2: unknown supplier
        + "L1,S1,2024-01-01,1000\n"            // row 3: repeated id
        + "L3,S2,2024-01-01,500\n");           // row 4: no instalment names it: refused after them
    Files.writeString(dir.resolve("instalments.csv"),
        "loan_id,supplier_id,instalment_number,due_date,amount_due,repaid_date,amount_repaid\n"
        + "L1,S1,1,2024-02-01,100,2024-02-01,100\n"
        + "L9,S1,1,2024-02-01,100,2024-02-01,100\n"    // row 2: unknown loan
        + "L1,S1,2,2023-12-15,100,,0\n"                // row 3: due before the drawdown: the engine's rule
        + "L1,S1,1,2024-02-01,100,2024-02-01,100\n");  // row 4: row 1 again: a duplicate

    List<String> expected = List.of(
        "loan|loans.csv|2|L2|supplier_id|'S7' is not a known supplier",
        "loan|loans.csv|3|L1|loan_id|is a duplicate",
        "loan|loans.csv|4|L3|loan_id|has no accepted instalment: no row of the instalments table names it, or every"
            + " row that does was refused",
        "credit_note|credit_notes.csv|4|C4|supplier_id|'S7' is not a known supplier",
        "credit_note|credit_notes.csv|6|C6|amount|-5.0 must be a finite amount in (0, 1.0E13]",
        "credit_note|credit_notes.csv|8|C1|credit_note_id|is a duplicate",
        "dispute|disputes.csv|3|I3|resolved_date|2024-05-01 is before opened_date 2024-06-01",
        "invoice|invoices.csv|2|I2|buyer_id|'A9' is not a known anchor",
        "credit_note|credit_notes.csv|2|C2|invoice_id|'I9' is not an invoice of supplier 'S1'",
        "credit_note|credit_notes.csv|5|C5|invoice_id|'I1' is not an invoice of supplier 'S2'",
        "credit_note|credit_notes.csv|7|C7|invoice_id|'I2' is not an invoice of supplier 'S1'",
        "dispute|disputes.csv|2|I2|invoice_id|'I2' is not an invoice of supplier 'S1'",
        "dispute|disputes.csv|4|I8|invoice_id|'I8' is not an invoice of supplier 'S2'",
        "instalment|instalments.csv|2|L9|loan_id|'L9' is not a known loan",
        // named by its loan id, as Spark names it (until 2026-12-07 "row 2": the rows fed to the engine)
        // within a chunk the rows a rule between records refuses come before those the engine's row
        // rules refuse (the quarantine file lists a table's rows by row: the next test)
        "instalment|instalments.csv|4|L1|due_date|is a duplicate: an earlier instalment of loan 'L1' is due that day",
        "instalment|instalments.csv|3|L1|due_date|2023-12-15 must be after the drawdown 2024-01-01");
    for (int threads : new int[] {1, 2}) {
      List<String> lines = new ArrayList<>();
      PortfolioFeatures.Result result = PortfolioFeatures.compute(dir,
          new PortfolioFeatures.Options(D, threads, true, PortfolioFeatures.DEFAULT_REGIONS), r -> lines.add(line(r)));
      assertThat(lines).as("%d threads", threads).containsExactlyElementsOf(expected);
      assertThat(result.quarantined()).isEqualTo(expected.size());
    }
  }

  /**
   * Within one chunk the loader reports the rows the reader could not parse before the rows the
   * rules refuse; the quarantine file lists a table's rows by row all the same (an unknown buyer in
   * row 2 came after an unreadable amount in row 4).
   */
  @Test
  void quarantineFile_listsATablesRowsByRow_readerAndRuleRefusalsMerged() throws IOException {
    anchorAndSuppliers("S1");
    String tail = ",2024-05-31,100,true,0,false,,0\n";
    Files.writeString(dir.resolve("invoices.csv"), INVOICES_HEADER
        + "I1,S1,A1,2024-05-01" + tail
        + "I2,S1,A9,2024-05-01" + tail                                          // row 2: unknown buyer
        + "I3,S1,A1,2024-05-01" + tail
        + "I4,S1,A1,2024-05-01,2024-05-31,lots,true,0,false,,0\n"              // row 4: unreadable amount
        + "I5,S7,A1,2024-05-01" + tail);                                        // row 5: unknown supplier
    Files.writeString(dir.resolve("loans.csv"), "loan_id,supplier_id,drawdown_date,amount\n");
    Files.writeString(dir.resolve("instalments.csv"),
        "loan_id,supplier_id,instalment_number,due_date,amount_due,repaid_date,amount_repaid\n");
    List<BadRecord> records = new ArrayList<>();
    PortfolioFeatures.compute(dir, new PortfolioFeatures.Options(D, 1, true, PortfolioFeatures.DEFAULT_REGIONS),
        records::add);
    assertThat(records).extracting(BadRecord::row).containsExactly(4L, 2L, 5L);
    Path file = dir.resolve("q.csv");
    PortfolioFeatures.writeQuarantine(records, file);
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(4);
    assertThat(lines.subList(1, 4)).extracting(l -> l.split(",")[2]).containsExactly("2", "4", "5");
    assertThat(lines.get(2)).contains("I4").contains("amount");
  }

  /** A refused row as table|file|row|record id|field|reason, the file relative to the portfolio. */
  private String line(BadRecord r) {
    return r.table() + "|" + dir.relativize(Path.of(r.file())) + "|" + r.row() + "|" + r.recordId() + "|" + r.field()
        + "|" + r.reason();
  }
}

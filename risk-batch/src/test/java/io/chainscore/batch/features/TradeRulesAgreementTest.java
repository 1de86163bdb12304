package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.features.engine.BadRecord;
import io.chainscore.trade.Anchor;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Sector;
import io.chainscore.trade.Supplier;
import io.chainscore.trade.TradeBook;
import io.chainscore.trade.TradeRecordException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch loader and the record path ({@link TradeBook}) apply the one set of rules between
 * records: for the same faulty records they name the same field with the same reason. Each fault
 * is written once as table files and once as records.
 */
class TradeRulesAgreementTest {
  private static final LocalDate D = LocalDate.of(2024, 6, 30);

  @TempDir Path dir;

  private static final String ANCHORS = "anchor_id,name,sector,annual_revenue\nA1,Anchor,glass,1000000\n";
  private static final String SUPPLIER = "S1,A1,glass,CN-GD,2020-01-01,5000\n";
  private static final String SUPPLIERS_HEADER =
      "supplier_id,anchor_id,sector,region,registration_date,declared_turnover\n";
  private static final String INVOICES_HEADER = "invoice_id,supplier_id,buyer_id,issue_date,due_date,amount,"
      + "delivered_on_time,returned_amount,disputed,paid_date,paid_amount\n";
  private static final String INVOICE_ROW = ",2024-05-01,2024-05-31,100,true,0,false,,0\n";
  private static final String LOANS_HEADER = "loan_id,supplier_id,drawdown_date,amount\n";
  private static final String INSTALMENTS_HEADER =
      "loan_id,supplier_id,instalment_number,due_date,amount_due,repaid_date,amount_repaid\n";

  private static final Anchor A1 = new Anchor("A1", "Anchor", Sector.GLASS, 1_000_000);
  private static final Supplier S1 = new Supplier("S1", "A1", Sector.GLASS, "CN-GD", LocalDate.of(2020, 1, 1), 5000);

  private static Invoice invoice(String id, String supplier, String buyer) {
    return new Invoice(id, supplier, buyer, LocalDate.of(2024, 5, 1), LocalDate.of(2024, 5, 31), 100, true, 0, false,
        null, 0);
  }

  private List<BadRecord> quarantine(String suppliers, String invoices, String loans) throws IOException {
    Files.writeString(dir.resolve("anchors.csv"), ANCHORS);
    Files.writeString(dir.resolve("suppliers.csv"), SUPPLIERS_HEADER + suppliers);
    Files.writeString(dir.resolve("invoices.csv"), INVOICES_HEADER + invoices);
    Files.writeString(dir.resolve("loans.csv"), LOANS_HEADER + loans);
    Files.writeString(dir.resolve("instalments.csv"), INSTALMENTS_HEADER);
    List<BadRecord> bad = new ArrayList<>();
    Consumer<BadRecord> sink = bad::add;
    PortfolioFeatures.compute(dir, new PortfolioFeatures.Options(D, 1, true, PortfolioFeatures.DEFAULT_REGIONS), sink);
    return bad;
  }

  private static void sameFault(BadRecord batch, TradeBook.Builder book) {
    assertThatThrownBy(book::build).isInstanceOfSatisfying(TradeRecordException.class, e -> {
      assertThat(e.recordType()).isEqualTo(batch.table());
      assertThat(e.recordId()).isEqualTo(batch.recordId());
      assertThat(e.field()).isEqualTo(batch.field());
      assertThat(e.getMessage()).endsWith(": " + batch.field() + " " + batch.reason());
    });
  }

  @Test
  void unknownBuyer_sameFieldAndReasonOnBothPaths() throws IOException {
    List<BadRecord> bad = quarantine(SUPPLIER, "I1,S1,A9" + INVOICE_ROW, "");
    assertThat(bad).singleElement().satisfies(b -> {
      assertThat(b.field()).isEqualTo("buyer_id");
      assertThat(b.reason()).isEqualTo("'A9' is not a known anchor");
    });
    sameFault(bad.get(0), TradeBook.builder().addAnchor(A1).addSupplier(S1).addInvoice(invoice("I1", "S1", "A9")));
  }

  @Test
  void unknownSupplierOfInvoice_sameFieldAndReasonOnBothPaths() throws IOException {
    List<BadRecord> bad = quarantine(SUPPLIER, "I1,S404,A1" + INVOICE_ROW, "");
    assertThat(bad).singleElement().extracting(BadRecord::field, BadRecord::reason)
        .containsExactly("supplier_id", "'S404' is not a known supplier");
    sameFault(bad.get(0), TradeBook.builder().addAnchor(A1).addSupplier(S1).addInvoice(invoice("I1", "S404", "A1")));
  }

  @Test
  void duplicateInvoiceId_sameFieldAndReasonOnBothPaths() throws IOException {
    List<BadRecord> bad = quarantine(SUPPLIER, "I1,S1,A1" + INVOICE_ROW + "I1,S1,A1" + INVOICE_ROW, "");
    assertThat(bad).singleElement().extracting(BadRecord::field, BadRecord::reason)
        .containsExactly("invoice_id", "is a duplicate");
    sameFault(bad.get(0), TradeBook.builder().addAnchor(A1).addSupplier(S1)
        .addInvoice(invoice("I1", "S1", "A1")).addInvoice(invoice("I1", "S1", "A1")));
  }

  @Test
  void duplicateCreditNoteId_sameFieldAndReasonOnBothPaths() throws IOException {
    Files.writeString(dir.resolve("credit_notes.csv"), "credit_note_id,invoice_id,supplier_id,booking_date,amount,reason\n"
        + "C1,I1,S1,2024-05-10,10,price\nC1,I1,S1,2024-05-10,10,price\n");
    List<BadRecord> bad = quarantine(SUPPLIER, "I1,S1,A1" + INVOICE_ROW, "");
    assertThat(bad).singleElement().extracting(BadRecord::table, BadRecord::row, BadRecord::field, BadRecord::reason)
        .containsExactly("credit_note", 2L, "credit_note_id", "is a duplicate");
    io.chainscore.trade.TradeEvents.CreditNote note = new io.chainscore.trade.TradeEvents.CreditNote("C1", "I1", "S1",
        LocalDate.of(2024, 5, 10), 10, "price");
    io.chainscore.trade.TradeEvents events = new io.chainscore.trade.TradeEvents(List.of(note, note), List.of(), List.of());
    assertThatThrownBy(() -> io.chainscore.features.StandardFeatures.compute(S1, List.of(invoice("I1", "S1", "A1")),
        List.of(), events, D, List.of())).isInstanceOfSatisfying(TradeRecordException.class, e -> {
          assertThat(e.recordType()).isEqualTo("credit_note");
          assertThat(e.recordId()).isEqualTo(bad.get(0).recordId());
          assertThat(e.getMessage()).endsWith(": credit_note_id " + bad.get(0).reason());
        });
  }

  @Test
  void supplierOfUnknownAnchor_sameFieldAndReasonOnBothPaths() throws IOException {
    List<BadRecord> bad = quarantine(SUPPLIER + "S2,A7,glass,CN-GD,2020-01-01,5000\n", "", "");
    assertThat(bad).singleElement().extracting(BadRecord::field, BadRecord::reason)
        .containsExactly("anchor_id", "'A7' is not a known anchor");
    sameFault(bad.get(0), TradeBook.builder().addAnchor(A1).addSupplier(S1)
        .addSupplier(new Supplier("S2", "A7", Sector.GLASS, "CN-GD", LocalDate.of(2020, 1, 1), 5000)));
  }

  @Test
  void loanOfUnknownSupplier_sameFieldAndReasonOnBothPaths() throws IOException {
    List<BadRecord> bad = quarantine(SUPPLIER, "", "L1,S9,2024-01-01,1000\n");
    assertThat(bad).singleElement().extracting(BadRecord::field, BadRecord::reason)
        .containsExactly("supplier_id", "'S9' is not a known supplier");
    Loan loan = new Loan("L1", "S9", LocalDate.of(2024, 1, 1), 1000,
        List.of(new Instalment(LocalDate.of(2024, 2, 1), 1010, null, 0)));
    sameFault(bad.get(0), TradeBook.builder().addAnchor(A1).addSupplier(S1).addLoan(loan));
  }
}

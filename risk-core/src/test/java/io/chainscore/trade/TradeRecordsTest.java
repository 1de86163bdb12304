package io.chainscore.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TradeRecordsTest {
  private static final LocalDate D = LocalDate.of(2024, 3, 15);

  private static Invoice invoice(
      String id, LocalDate issue, LocalDate due, double amount, double returned, LocalDate paid, double paidAmount) {
    return new Invoice(id, "S1", "A1", issue, due, amount, true, returned, false, paid, paidAmount);
  }

  @Test
  void invoice_validRecord_keepsEveryField() {
    Invoice inv = invoice("I1", D, D.plusDays(60), 1000.25, 10.0, D.plusDays(70), 990.25);
    assertThat(inv.amount()).isEqualTo(1000.25);
    assertThat(inv.isOpenAt(D.plusDays(69))).isTrue();
    assertThat(inv.isOpenAt(D.plusDays(70))).isFalse();
    assertThat(inv.isOpenAt(D.minusDays(1))).as("not yet issued").isFalse();
  }

  @Test
  void invoice_negativeAmount_namesFieldAndValue() {
    assertThatThrownBy(() -> invoice("I1", D, D.plusDays(30), -5, 0, null, 0))
        .isInstanceOf(TradeRecordException.class)
        .hasMessage("invoice I1: amount must not be negative, got -5.0")
        .extracting("field")
        .isEqualTo("amount");
  }

  @Test
  void invoice_nonFiniteAmount_isRejected() {
    assertThatThrownBy(() -> invoice("I1", D, D.plusDays(30), Double.NaN, 0, null, 0))
        .hasMessage("invoice I1: amount must be a finite amount, got NaN");
    assertThatThrownBy(() -> invoice("I1", D, D.plusDays(30), Double.POSITIVE_INFINITY, 0, null, 0))
        .hasMessage("invoice I1: amount must be a finite amount, got Infinity");
  }

  @Test
  void invoice_dueBeforeIssue_isRejected() {
    assertThatThrownBy(() -> invoice("I7", D, D.minusDays(1), 100, 0, null, 0))
        .hasMessage("invoice I7: due_date 2024-03-14 is before issue_date 2024-03-15");
  }

  @Test
  void invoice_paymentBeforeIssue_isRejected() {
    assertThatThrownBy(() -> invoice("I8", D, D.plusDays(30), 100, 0, D.minusDays(2), 100))
        .hasMessage("invoice I8: paid_date 2024-03-13 is before issue_date 2024-03-15");
  }

  @Test
  void invoice_paidMoreThanOwed_isRejected() {
    assertThatThrownBy(() -> invoice("I9", D, D.plusDays(30), 100, 20, D.plusDays(30), 80.01))
        .hasMessageStartingWith("invoice I9: paid_amount 80.01 exceeds the amount owed 80.0");
    // Half a cent of rounding in the source system is tolerated.
    assertThat(invoice("I9", D, D.plusDays(30), 100, 20, D.plusDays(30), 80.004).paidAmount())
        .isEqualTo(80.004);
  }

  @Test
  void invoice_returnsAboveAmount_isRejected() {
    assertThatThrownBy(() -> invoice("I10", D, D.plusDays(30), 100, 101, null, 0))
        .hasMessage("invoice I10: returned_amount 101.0 exceeds the invoiced amount 100.0");
  }

  @Test
  void invoice_paidAmountWithoutDate_isRejected() {
    assertThatThrownBy(() -> invoice("I11", D, D.plusDays(30), 100, 0, null, 50))
        .hasMessage("invoice I11: paid_amount is 50.0 but paid_date is missing");
  }

  @Test
  void invoice_blankOrControlCharacterId_isRejected() {
    assertThatThrownBy(() -> invoice(" ", D, D, 1, 0, null, 0))
        .hasMessage("invoice ?: invoice_id must be a non-blank id");
    assertThatThrownBy(() -> invoice("I\u0000", D, D, 1, 0, null, 0))
        .hasMessage("invoice ?: invoice_id must not contain control characters, got \"I\\u0000\"");
  }

  @Test
  void invoice_dateOutOfRange_isRejected() {
    assertThatThrownBy(() -> invoice("I12", LocalDate.of(1899, 12, 31), D, 1, 0, null, 0))
        .hasMessage("invoice I12: issue_date must be between 1900-01-01 and 2199-12-31, got 1899-12-31");
  }

  @Test
  void instalment_repaymentLargerThanDue_isRejected() {
    assertThatThrownBy(() -> new Instalment(D, 100, D, 100.5))
        .isInstanceOf(TradeRecordException.class)
        .hasMessage("instalment 2024-03-15: amount_repaid 100.5 is larger than the amount due 100.0");
  }

  @Test
  void instalment_daysPastDue_countsToSettlementOrAsOf() {
    Instalment late = new Instalment(D, 100, D.plusDays(40), 100);
    assertThat(late.daysPastDueAt(D)).isZero();
    assertThat(late.daysPastDueAt(D.plusDays(10))).isEqualTo(10);
    assertThat(late.daysPastDueAt(D.plusDays(40))).isEqualTo(40);
    assertThat(late.daysPastDueAt(D.plusDays(400))).isEqualTo(40);
    Instalment early = new Instalment(D, 100, D.minusDays(3), 100);
    assertThat(early.daysPastDueAt(D.plusDays(5))).isZero();
    Instalment partial = new Instalment(D, 100, D.plusDays(5), 60);
    assertThat(partial.daysPastDueAt(D.plusDays(95))).as("partly repaid stays past due").isEqualTo(95);
    Instalment open = new Instalment(D, 100, null, 0);
    assertThat(open.daysPastDueAt(D.plusDays(91))).isEqualTo(91);
  }

  @Test
  void loan_scheduleNotIncreasing_isRejected() {
    List<Instalment> schedule =
        List.of(new Instalment(D.plusMonths(2), 50, null, 0), new Instalment(D.plusMonths(1), 50, null, 0));
    assertThatThrownBy(() -> new Loan("L1", "S1", D, 100, schedule))
        .hasMessage("loan L1: instalments[1].due_date 2024-04-15 must be after the previous due date 2024-05-15");
    assertThatThrownBy(() -> new Loan("L1", "S1", D, 100, List.of(new Instalment(D, 100, null, 0))))
        .hasMessage("loan L1: instalments[0].due_date 2024-03-15 must be after the drawdown date 2024-03-15");
    assertThatThrownBy(() -> new Loan("L1", "S1", D, 100, List.of()))
        .hasMessage("loan L1: instalments must hold at least one instalment");
  }

  @Test
  void loan_outstanding_dropsWithSettledPrincipalShare() {
    Loan loan =
        new Loan(
            "L1",
            "S1",
            D,
            900,
            List.of(
                new Instalment(D.plusMonths(1), 310, D.plusMonths(1), 310),
                new Instalment(D.plusMonths(2), 310, D.plusMonths(2).plusDays(20), 310),
                new Instalment(D.plusMonths(3), 310, null, 0)));
    assertThat(loan.outstandingAt(D.minusDays(1))).isZero();
    assertThat(loan.outstandingAt(D)).isEqualTo(900.0);
    assertThat(loan.outstandingAt(D.plusMonths(1))).isCloseTo(600.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(loan.outstandingAt(D.plusMonths(2).plusDays(19))).isCloseTo(600.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(loan.outstandingAt(D.plusMonths(2).plusDays(20))).isCloseTo(300.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void label_defaultOutsideWindow_isRejected() {
    assertThatThrownBy(() -> new DefaultLabel("S1", D, true, D.plusMonths(13), 0.1))
        .hasMessage("label S1: default_date 2025-04-15 is outside the outcome window (2024-03-15, 2025-03-15]");
    assertThatThrownBy(() -> new DefaultLabel("S1", D, true, null, 0.1))
        .hasMessage("label S1: default_date is required when defaulted");
    assertThatThrownBy(() -> new DefaultLabel("S1", D, false, null, 1.5))
        .hasMessage("label S1: true_pd must be in [0, 1] or NaN, got 1.5");
    assertThat(new DefaultLabel("S1", D, true, D.plusMonths(12), Double.NaN).defaulted()).isTrue();
  }

  @Test
  void supplier_andAnchor_validateFields() {
    assertThatThrownBy(() -> new Supplier("S1", "A1", null, "CN-GD", D, 1e6))
        .hasMessage("supplier S1: sector is required");
    assertThatThrownBy(() -> new Supplier("S1", "A1", Sector.GLASS, " ", D, 1e6))
        .hasMessage("supplier S1: region must not be blank");
    assertThatThrownBy(() -> new Anchor("A1", "Phone maker", Sector.CONSUMER_ELECTRONICS, 0))
        .hasMessage("anchor A1: annual_revenue must be greater than zero");
    assertThatThrownBy(() -> new Supplier("S1", "A1", Sector.GLASS, "CN", D, 2e13))
        .hasMessage("supplier S1: declared_turnover must be at most 1.0E13, got 2.0E13");
  }

  @Test
  void sector_fromCode_acceptsVariantsAndNamesKnownCodes() {
    assertThat(Sector.fromCode("Electronic Components")).isEqualTo(Sector.ELECTRONIC_COMPONENTS);
    assertThat(Sector.fromCode("food-processing")).isEqualTo(Sector.FOOD_PROCESSING);
    assertThatThrownBy(() -> Sector.fromCode("mining"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown sector \"mining\"; expected one of glass, electronic_components");
  }

  @Test
  void tradeBook_unknownSupplierInInvoice_isRejected() {
    TradeBook.Builder b = baseBook();
    b.addInvoice(new Invoice("I1", "S404", "A1", D, D.plusDays(30), 100, true, 0, false, null, 0));
    assertThatThrownBy(b::build).hasMessage("invoice I1: supplier_id 'S404' is not a known supplier");
  }

  @Test
  void tradeBook_unknownBuyer_isRejected() {
    TradeBook.Builder b = baseBook();
    b.addInvoice(new Invoice("I1", "S1", "A9", D, D.plusDays(30), 100, true, 0, false, null, 0));
    assertThatThrownBy(b::build).hasMessage("invoice I1: buyer_id 'A9' is not a known anchor");
  }

  @Test
  void tradeBook_unknownProgrammeAnchor_isRejected() {
    TradeBook.Builder b =
        TradeBook.builder()
            .addAnchor(new Anchor("A1", "Phone maker", Sector.CONSUMER_ELECTRONICS, 3e11))
            .addSupplier(new Supplier("S2", "A2", Sector.GLASS, "CN", D, 0));
    assertThatThrownBy(b::build).hasMessage("supplier S2: anchor_id 'A2' is not a known anchor");
  }

  @Test
  void tradeBook_duplicateIds_areRejected() {
    TradeBook.Builder b = baseBook();
    b.addInvoice(invoice("I1", D, D, 1, 0, null, 0)).addInvoice(invoice("I1", D, D, 2, 0, null, 0));
    assertThatThrownBy(b::build).hasMessage("invoice I1: invoice_id is a duplicate");
    TradeBook.Builder s = baseBook().addSupplier(new Supplier("S1", "A1", Sector.GLASS, "CN", D, 0));
    assertThatThrownBy(s::build).hasMessage("supplier S1: supplier_id is a duplicate");
    TradeBook.Builder l = baseBook();
    Loan loan = new Loan("L1", "S1", D, 100, List.of(new Instalment(D.plusDays(30), 100, null, 0)));
    l.addLoan(loan).addLoan(loan);
    assertThatThrownBy(l::build).hasMessage("loan L1: loan_id is a duplicate");
  }

  @Test
  void tradeBook_valid_indexesSuppliers() {
    TradeBook book = baseBook().addInvoice(invoice("I1", D, D, 1, 0, null, 0)).build();
    assertThat(book.indexOfSupplier("S1")).isZero();
    assertThat(book.indexOfSupplier("nope")).isEqualTo(-1);
    assertThat(book.invoices()).hasSize(1);
  }

  private static TradeBook.Builder baseBook() {
    return TradeBook.builder()
        .addSupplier(new Supplier("S1", "A1", Sector.GLASS, "CN-GD", LocalDate.of(2015, 1, 1), 2e6))
        .addAnchor(new Anchor("A1", "Phone maker", Sector.CONSUMER_ELECTRONICS, 3e11));
  }
}

package io.chainscore.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.trade.Anchor;
import io.chainscore.trade.DefaultLabel;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Sector;
import io.chainscore.trade.Supplier;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupplierFacilityTest {
  private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);

  private static Invoice invoice(String id, String buyer, LocalDate issue, double amount, double returned,
      LocalDate paid) {
    return new Invoice(id, "S1", buyer, issue, issue.plusDays(60), amount, true, returned, false, paid,
        paid == null ? 0 : amount - returned);
  }

  @Test
  void of_handWorkedSupplier_matchesTheDocumentedRules() {
    Supplier s = new Supplier("S1", "A01", Sector.GLASS, "CN-GD", LocalDate.of(2020, 1, 1), 5_000_000);
    List<Invoice> invoices = List.of(
        // More than a year before the as-of date (2024-06-30 is day -365, outside the window): not sales,
        // but still open, so still a receivable on the anchor.
        invoice("I1", "A01", LocalDate.of(2024, 6, 30), 1_000, 0, null),
        // In the window, anchor, paid before the as-of date.
        invoice("I2", "A01", LocalDate.of(2024, 7, 1), 60_000, 0, LocalDate.of(2024, 9, 1)),
        // In the window, anchor, open at the as-of date (paid after it): receivable 40,000 - 2,500.
        invoice("I3", "A01", LocalDate.of(2025, 5, 1), 40_000, 2_500, LocalDate.of(2025, 7, 15)),
        // In the window, another buyer, open: sales but not a receivable on the anchor.
        invoice("I4", "A03", LocalDate.of(2025, 6, 30), 25_000, 0, null));
    Loan loan = new Loan("L1", "S1", LocalDate.of(2025, 1, 10), 30_000, List.of(
        new Instalment(LocalDate.of(2025, 3, 10), 10_000, LocalDate.of(2025, 3, 10), 10_000),
        new Instalment(LocalDate.of(2025, 5, 10), 10_000, LocalDate.of(2025, 5, 12), 6_000),
        new Instalment(LocalDate.of(2025, 7, 10), 10_000, null, 0)));
    // What the lender knows at the as-of date: I3's 2,500 credit note, booked on 2025-06-10; a
    // second one on I3 booked after the as-of date is not known yet and must not count.
    io.chainscore.trade.TradeEvents events = new io.chainscore.trade.TradeEvents(List.of(
        new io.chainscore.trade.TradeEvents.CreditNote("C1", "I3", "S1", LocalDate.of(2025, 6, 10), 2_500, "return"),
        new io.chainscore.trade.TradeEvents.CreditNote("C2", "I3", "S1", LocalDate.of(2025, 7, 10), 1_000, "return")),
        List.of(), List.of());
    SupplierHistory h = new SupplierHistory(s, invoices, List.of(loan),
        new DefaultLabel("S1", AS_OF, false, null, 0.02), events);

    SupplierFacility f = SupplierFacility.of(h, AS_OF);

    // Sales in the window: 60,000 + 40,000 + 25,000 = 125,000, of which the anchor 100,000.
    assertThat(f.annualSalesEurMillions()).isEqualTo(0.125);
    assertThat(f.anchorSalesShare()).isEqualTo(0.8);
    // Drawn: 0.8 x (1,000 + 37,500) + loans still due (4,000 short on the second instalment + 10,000).
    assertThat(f.drawn()).isEqualTo(0.8 * 38_500 + 14_000);
    // Limit: max(drawn 44,800, 0.2 x 125,000 = 25,000) = drawn, so nothing undrawn.
    assertThat(f.undrawn()).isZero();
    assertThat(f.ccf()).isEqualTo(0.4);
    assertThat(f.lgd()).isNaN();
    assertThat(f.collateral()).isEqualTo("receivables");
    assertThat(f.sector()).isEqualTo("glass");
    assertThat(f.anchorId()).isEqualTo("A01");
    // Loans due (14,000) below the advance on anchor receivables (30,800): a receivables line.
    assertThat(f.product()).isEqualTo("receivables_finance");
    // Dilution: credit notes booked in the window, 2,500, of the 125,000 invoiced in it.
    assertThat(f.expectedDilution()).isEqualTo(2_500 / 125_000.0);
    // Both open anchor invoices are due by the as-of date (I1 overdue, I3 due on it): a day each.
    assertThat(f.maturityYears()).isEqualTo(1 / 365.0);
    assertThat(f.tradeMaturityExemption()).isTrue();

    // Under a payables programme the anchor confirms the invoices: no dilution.
    SupplierFacility payables = SupplierFacility.of(h, AS_OF, true);
    assertThat(payables.product()).isEqualTo("payables_finance");
    assertThat(payables.expectedDilution()).isNaN();
    assertThat(payables.drawn()).isEqualTo(f.drawn());
  }

  @Test
  void of_loansAboveTheAdvance_isATermLoanToTheLastOpenInstalment() {
    Supplier s = new Supplier("S1", "A01", Sector.GLASS, "CN-GD", LocalDate.of(2020, 1, 1), 5_000_000);
    Loan loan = new Loan("L1", "S1", LocalDate.of(2025, 1, 10), 90_000, List.of(
        new Instalment(LocalDate.of(2025, 7, 10), 45_000, null, 0),
        new Instalment(LocalDate.of(2026, 1, 10), 45_000, null, 0)));
    SupplierHistory h = new SupplierHistory(s,
        List.of(invoice("I1", "A01", LocalDate.of(2025, 6, 1), 10_000, 0, null)), List.of(loan),
        new DefaultLabel("S1", AS_OF, false, null, 0.02));
    SupplierFacility f = SupplierFacility.of(h, AS_OF, true);
    assertThat(f.product()).isEqualTo("term_loan");
    // 2025-06-30 to 2026-01-10: 194 days.
    assertThat(f.maturityYears()).isEqualTo(194 / 365.0);
    assertThat(f.tradeMaturityExemption()).isFalse();
    assertThat(f.expectedDilution()).isNaN();
  }

  @Test
  void of_noSalesInTheYear_usesDeclaredTurnoverAndAShareOfZero() {
    Supplier s = new Supplier("S1", "A01", Sector.GLASS, "CN-GD", LocalDate.of(2020, 1, 1), 2_000_000);
    SupplierHistory h = new SupplierHistory(s, List.of(), List.of(), new DefaultLabel("S1", AS_OF, false, null, 0.02));
    SupplierFacility f = SupplierFacility.of(h, AS_OF);
    assertThat(f.drawn()).isZero();
    assertThat(f.undrawn()).isEqualTo(400_000);
    assertThat(f.annualSalesEurMillions()).isEqualTo(2.0);
    assertThat(f.anchorSalesShare()).isZero();
  }

  @Test
  void of_simulatedPortfolio_sharesAreInRangeAndAnchorsMatchTheSuppliers() throws Exception {
    PortfolioSimulatorTest.Collect all = new PortfolioSimulatorTest.Collect();
    new PortfolioSimulator(SimulationConfig.builder().suppliers(300).seed(3).asOf(AS_OF).build()).simulate(all, 1);
    double meanShare = 0;
    for (SupplierHistory h : all.histories) {
      SupplierFacility f = SupplierFacility.of(h, AS_OF);
      assertThat(f.anchorSalesShare()).isBetween(0.0, 1.0);
      assertThat(f.anchorId()).isEqualTo(h.supplier().anchorId());
      assertThat(f.drawn() + f.undrawn()).isGreaterThanOrEqualTo(0.2 * f.annualSalesEurMillions() * 1e6 - 0.01);
      meanShare += f.anchorSalesShare() / all.histories.size();
    }
    // The simulator sells mostly to the programme anchor (docs/simulator.md): the mean share is well above half.
    assertThat(meanShare).isBetween(0.5, 0.95);
  }

  @Test
  void anchorPd_followsTheSizeTiers() {
    assertThat(SupplierFacility.anchorPd(new Anchor("A", "a", Sector.RETAIL, 4.5e10))).isEqualTo(0.003);
    assertThat(SupplierFacility.anchorPd(new Anchor("A", "a", Sector.RETAIL, 1.2e10))).isEqualTo(0.005);
    assertThat(SupplierFacility.anchorPd(new Anchor("A", "a", Sector.RETAIL, 6e9))).isEqualTo(0.008);
    assertThat(SupplierFacility.anchorPd(new Anchor("A", "a", Sector.RETAIL, 1e9))).isEqualTo(0.012);
  }
}

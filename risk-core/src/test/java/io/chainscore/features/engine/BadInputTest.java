package io.chainscore.features.engine;

import io.chainscore.features.StandardFeatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.trade.Invoice;
import io.chainscore.trade.Sector;
import io.chainscore.trade.Supplier;
import io.chainscore.trade.TradeRecordException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadInputTest {
  private static final LocalDate D = LocalDate.of(2024, 6, 15);
  private static final int DAY = (int) D.toEpochDay();
  private static final int WIDTH = StandardFeatures.SCHEMA.size();

  private static SupplierTable table() {
    return new SupplierTable(new int[] {0, 1}, new int[] {0, 1}, new int[] {0, -1},
        new int[] {DAY - 5000, DAY - 100}, new double[] {1e6, 0}, 2);
  }

  /** Ten good rows for suppliers 0 and 1. */
  private static InvoiceColumns goodChunk() {
    InvoiceColumns c = new InvoiceColumns(16);
    for (int i = 0; i < 10; i++) {
      c.set(i, i % 2, i % 2, DAY - 10 * i, DAY - 10 * i + 30, i % 3 == 0 ? InvoiceColumns.UNPAID : DAY - 2,
          100 + i, 0, true, false, "INV-" + i);
    }
    c.setSize(10);
    return c;
  }

  private static FeatureEngine engine(int threads, List<BadRecord> sink) {
    FeatureEngine.Builder b = FeatureEngine.builder(table()).asOf(D).threads(threads);
    if (sink != null) {
      b.quarantine(sink::add);
    }
    return b.build();
  }

  @Test
  void addInvoices_badRows_failNamingRecordRowAndField() {
    record Case(String field, java.util.function.Consumer<InvoiceColumns> spoil, String text) {}
    List<Case> cases = List.of(
        new Case("amount", c -> c.amount[5] = -3.0, "-3.0 must be a finite amount"),
        new Case("amount", c -> c.amount[5] = Double.NaN, "NaN must be a finite amount"),
        new Case("amount", c -> c.amount[5] = Double.POSITIVE_INFINITY, "Infinity must be a finite amount"),
        new Case("due_date", c -> c.dueDay[5] = c.issueDay[5] - 1, "is before the issue date"),
        new Case("issue_date", c -> c.issueDay[5] = 99_999_999, "is not a date in"),
        new Case("paid_date", c -> c.paidDay[5] = c.issueDay[5] - 3, "is before the issue date"),
        new Case("returned_amount", c -> c.returnedAmount[5] = 1e9, "must be a finite amount in [0, amount"),
        new Case("buyer_id", c -> c.buyer[5] = 7, "7 is not a known buyer index in [0, 2)"),
        new Case("supplier_id", c -> c.supplier[5] = 2, "2 is not a known supplier index in [0, 2)"));
    for (Case k : cases) {
      for (int threads : new int[] {1, 2}) {
        InvoiceColumns chunk = goodChunk();
        k.spoil().accept(chunk);
        try (FeatureEngine e = engine(threads, null)) {
          e.addInvoices(goodChunk()); // rows 0-9, so the bad one is input row 15
          assertThatThrownBy(() -> e.addInvoices(chunk))
              .as("%s threads=%d", k.field(), threads)
              .isInstanceOf(TradeRecordException.class)
              .hasMessageContaining("invoice INV-5 (input row 15)")
              .hasMessageContaining(k.field() + " ")
              .hasMessageContaining(k.text());
        }
      }
    }
  }

  @Test
  void addInvoices_afterFailure_refusesFurtherCalls() {
    InvoiceColumns chunk = goodChunk();
    chunk.amount[1] = -1;
    try (FeatureEngine e = engine(1, null)) {
      assertThatThrownBy(() -> e.addInvoices(chunk)).isInstanceOf(TradeRecordException.class);
      assertThatThrownBy(e::finish)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("start a new engine");
    }
  }

  @Test
  void addInvoices_withQuarantine_reportsInInputOrderAndSkipsOnlyBadRows() {
    for (int threads : new int[] {1, 2}) {
      List<BadRecord> sink = new ArrayList<>();
      InvoiceColumns chunk = goodChunk();
      chunk.amount[2] = -1;
      chunk.supplier[3] = 9;
      chunk.dueDay[7] = chunk.issueDay[7] - 1;
      chunk.invoiceId[7] = null;
      double[] withBad;
      try (FeatureEngine e = engine(threads, sink)) {
        e.addInvoices(chunk);
        withBad = e.finish();
      }
      assertThat(sink).extracting(BadRecord::row).containsExactly(2L, 3L, 7L);
      assertThat(sink).extracting(BadRecord::field).containsExactly("amount", "supplier_id", "due_date");
      assertThat(sink.get(2).recordId()).isEqualTo("row 7");
      assertThat(sink.get(0).message()).startsWith("invoice INV-2 (input row 2): amount -1.0");

      InvoiceColumns good = new InvoiceColumns(16);
      InvoiceColumns all = goodChunk();
      int n = 0;
      for (int i = 0; i < 10; i++) {
        if (i != 2 && i != 3 && i != 7) {
          good.set(n++, all.supplier[i], all.buyer[i], all.issueDay[i], all.dueDay[i], all.paidDay[i],
              all.amount[i], all.returnedAmount[i], true, false, null);
        }
      }
      good.setSize(n);
      try (FeatureEngine e = engine(threads, null)) {
        e.addInvoices(good);
        assertThat(e.finish()).containsExactly(withBad);
      }
    }
  }

  @Test
  void finish_handComputedSupplier_matchesDefinitions() {
    // Supplier 0 receives rows 0, 2, 4, 6, 8: ages 0, 20, 40, 60, 80 days, amounts 100..108.
    try (FeatureEngine e = engine(1, null)) {
      e.addInvoices(goodChunk());
      double[] m = e.finish();
      assertThat(m[StandardFeatures.INVOICED_AMOUNT]).isEqualTo(100 + 102 + 104 + 106 + 108);
      assertThat(m[StandardFeatures.INVOICE_COUNT]).isEqualTo(5);
      assertThat(m[StandardFeatures.TENURE_MONTHS_ANY]).isEqualTo(80 / 30.0);
      assertThat(m[StandardFeatures.DAYS_SINCE_LAST_INVOICE]).isEqualTo(0);
      // Open at D: rows 0 and 6 (unpaid); row 6 due D-60+30 = D-30 -> bucket 1-30.
      assertThat(m[StandardFeatures.OPEN_RECEIVABLES]).isEqualTo(100 + 106);
      assertThat(m[StandardFeatures.OVERDUE_SHARE]).isEqualTo(106 / 206.0);
      assertThat(m[StandardFeatures.GROWTH_3M_YOY]).isNaN(); // zero base
      assertThat(m[StandardFeatures.FIRM_AGE_YEARS]).isEqualTo(5000 / 365.25);
      assertThat(m[StandardFeatures.MAX_DAYS_PAST_DUE_12M]).isNaN(); // no financing
      assertThat(m[WIDTH + StandardFeatures.REGION_INDEX]).isNaN(); // region -1
      assertThat(m[WIDTH + StandardFeatures.DECLARED_TURNOVER]).isNaN(); // turnover 0 = unknown
    }
  }

  @Test
  void addInstalments_inconsistentLoanRows_areNamed() {
    InstalmentColumns c = new InstalmentColumns(4);
    c.set(0, 0, 3, DAY - 100, 1000, DAY - 70, 510, DAY - 70, 510);
    c.set(1, 1, 3, DAY - 100, 1000, DAY - 40, 510, InstalmentColumns.UNREPAID, 0);
    c.setSize(2);
    try (FeatureEngine e = engine(1, null)) {
      assertThatThrownBy(() -> e.addInstalments(c))
          .isInstanceOf(TradeRecordException.class)
          .hasMessageContaining("instalment row 1 (loan 3)")
          .hasMessageContaining("supplier_id 1 differs from supplier 0 of earlier rows of loan 3");
    }
    c.set(1, 0, 3, DAY - 100, 1000, DAY - 40, Double.NaN, InstalmentColumns.UNREPAID, 0);
    try (FeatureEngine e = engine(1, null)) {
      assertThatThrownBy(() -> e.addInstalments(c)).hasMessageContaining("amount_due NaN must be a finite amount");
    }
  }

  @Test
  void compute_duplicateInvoiceIdOrForeignSupplier_isRejected() {
    Supplier s = new Supplier("S1", "A1", Sector.GLASS, "CN-GD", D.minusYears(3), 0);
    Invoice a = new Invoice("X1", "S1", "A1", D.minusDays(3), D, 10, true, 0, false, null, 0);
    Invoice other = new Invoice("X2", "S2", "A1", D.minusDays(3), D, 10, true, 0, false, null, 0);
    assertThatThrownBy(() -> StandardFeatures.compute(s, List.of(a, a), List.of(), D, List.of()))
        .hasMessage("invoice X1: invoice_id is a duplicate");
    assertThatThrownBy(() -> StandardFeatures.compute(s, List.of(other), List.of(), D, List.of()))
        .hasMessageContaining("invoice X2: supplier_id 'S2' is not the supplier being scored");
  }

  @Test
  void supplierTable_badColumn_namesRow() {
    assertThatThrownBy(() -> new SupplierTable(new int[] {0, 5}, new int[] {0, 0}, new int[] {0, 0},
            new int[] {DAY, DAY}, new double[] {0, 0}, 2))
        .hasMessage("supplier table row 1: anchor 5 is not a buyer index in [0, 2)");
    assertThatThrownBy(() -> new SupplierTable(new int[] {0}, new int[] {0}, new int[] {0},
            new int[] {DAY}, new double[] {Double.NaN}, 2))
        .hasMessageContaining("supplier table row 0: turnover NaN");
  }
}

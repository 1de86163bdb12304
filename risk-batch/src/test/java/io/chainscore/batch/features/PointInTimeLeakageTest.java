package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.io.GeneratedPortfolios;
import io.chainscore.batch.io.TableWriter;
import io.chainscore.features.StandardFeatures;
import io.chainscore.features.engine.BadRecord;
import io.chainscore.sim.SupplierHistory;
import io.chainscore.trade.Anchor;
import io.chainscore.trade.TradeEvents.CreditNote;
import io.chainscore.trade.TradeEvents.Delivery;
import io.chainscore.trade.TradeEvents.Dispute;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.TradeEvents;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No feature leaks the future: for random as-of dates D inside a generated history, the features
 * computed as of D on the full history equal those computed on the history as it stood at D
 * (every row dated after D removed, payments, repayments and resolutions after D unknown, events
 * booked after D removed), every feature of every supplier, bit for bit. The truncated copy also
 * flips the invoices' leaking columns (delivered_on_time, returned_amount, disputed), so a
 * feature that read them would differ too.
 */
class PointInTimeLeakageTest {
  private static final LocalDate GENERATED_AS_OF = LocalDate.of(2025, 6, 30);
  private static final int WIDTH = StandardFeatures.SCHEMA.size();

  @TempDir Path dir;

  @Test
  void features_fullHistory_equalHistoryTruncatedAtAsOf_everyFeatureEverySupplier() throws IOException {
    GeneratedPortfolios.Portfolio generated = GeneratedPortfolios.simulate(400, 19, GENERATED_AS_OF);
    List<Anchor> anchors = generated.anchors();
    List<SupplierHistory> full = generated.histories();
    Path fullDir = dir.resolve("full");
    write(fullDir, anchors, full, TableWriter.Format.CSV);

    Random rnd = new Random(5);
    List<LocalDate> dates = new ArrayList<>(List.of(GENERATED_AS_OF.minusDays(1)));
    for (int k = 0; k < 4; k++) {
      dates.add(GENERATED_AS_OF.minusDays(20 + rnd.nextInt(600)));
    }
    TableWriter.Format[] formats = {TableWriter.Format.CSV, TableWriter.Format.ARROW, TableWriter.Format.PARQUET};
    for (int k = 0; k < dates.size(); k++) {
      LocalDate d = dates.get(k);
      List<SupplierHistory> cut = new ArrayList<>();
      int[] removed = new int[3];
      for (SupplierHistory h : full) {
        cut.add(truncate(h, d, removed));
      }
      for (int t = 0; t < 3; t++) {
        assertThat(removed[t]).as("events of table %d booked after %s removed", t, d).isPositive();
      }
      Path cutDir = dir.resolve("cut-" + d);
      write(cutDir, anchors, cut, formats[k % formats.length]);

      List<BadRecord> bad = new ArrayList<>();
      PortfolioFeatures.Options options = new PortfolioFeatures.Options(d, 2, true, StandardFeatures.REGIONS);
      PortfolioFeatures.Result onFull = PortfolioFeatures.compute(fullDir, options, bad::add);
      PortfolioFeatures.Result onCut = PortfolioFeatures.compute(cutDir, options, bad::add);
      assertThat(bad).as("nothing quarantined").isEmpty();
      assertThat(onCut.supplierIds()).isEqualTo(onFull.supplierIds());
      assertSame("batch as of " + d, onFull.matrix(), onCut.matrix());
      assertEventFeaturesInformative(d, onFull.matrix());

      // The record path (what model development and an embedder call) leaks nothing either.
      for (int s = 0; s < full.size(); s += 7) {
        SupplierHistory h = full.get(s);
        SupplierHistory c = cut.get(s);
        double[] a = StandardFeatures.compute(h.supplier(), h.invoices(), h.loans(), h.events(), d, StandardFeatures.REGIONS);
        double[] b = StandardFeatures.compute(c.supplier(), c.invoices(), c.loans(), c.events(), d, StandardFeatures.REGIONS);
        assertSame("record path, supplier " + s + " as of " + d, a, b);
        double[] batchRow = java.util.Arrays.copyOfRange(onFull.matrix(), s * WIDTH, (s + 1) * WIDTH);
        assertSame("record path = batch, supplier " + s + " as of " + d, batchRow, a);
      }
    }
  }

  /** Guards the test: the event features must carry values at D, or equality would prove little. */
  private static void assertEventFeaturesInformative(LocalDate d, double[] m) {
    int n = m.length / WIDTH;
    int late = 0;
    int diluted = 0;
    int disputed = 0;
    for (int s = 0; s < n; s++) {
      double onTime = m[s * WIDTH + StandardFeatures.ON_TIME_DELIVERY_RATE_12M];
      late += !Double.isNaN(onTime) && onTime < 1 ? 1 : 0;
      diluted += m[s * WIDTH + StandardFeatures.DILUTION_RATE_12M] > 0 ? 1 : 0;
      disputed += m[s * WIDTH + StandardFeatures.DISPUTED_SHARE_12M] > 0 ? 1 : 0;
    }
    assertThat(late).as("suppliers with a late delivery at %s", d).isGreaterThan(n / 4);
    assertThat(diluted).as("suppliers with a credit note at %s", d).isGreaterThan(n / 4);
    assertThat(disputed).as("suppliers with a dispute at %s", d).isGreaterThan(n / 10);
  }

  private static void assertSame(String what, double[] expected, double[] actual) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i])) {
        throw new AssertionError(what + ": supplier " + i / WIDTH + " feature "
            + StandardFeatures.SCHEMA.feature(i % WIDTH).name() + ": full history " + expected[i]
            + ", truncated " + actual[i]);
      }
    }
  }

  /**
   * The history as it stood at the end of D: invoices and loans after D gone; payments,
   * repayments and dispute resolutions after D not known; events after D gone. The invoices' leaking
   * outcome columns are flipped.
   */
  static SupplierHistory truncate(SupplierHistory h, LocalDate d, int[] removed) {
    List<Invoice> invoices = new ArrayList<>();
    for (Invoice i : h.invoices()) {
      if (i.issueDate().isAfter(d)) {
        continue;
      }
      boolean paid = i.paidDate() != null && !i.paidDate().isAfter(d);
      invoices.add(new Invoice(i.invoiceId(), i.supplierId(), i.buyerId(), i.issueDate(), i.dueDate(), i.amount(),
          !i.deliveredOnTime(), 0.0, !i.disputed(), paid ? i.paidDate() : null, paid ? i.paidAmount() : 0.0));
    }
    List<Loan> loans = new ArrayList<>();
    for (Loan l : h.loans()) {
      if (l.drawdownDate().isAfter(d)) {
        continue;
      }
      List<Instalment> schedule = new ArrayList<>();
      for (Instalment i : l.instalments()) {
        boolean repaid = i.repaidDate() != null && !i.repaidDate().isAfter(d);
        schedule.add(new Instalment(i.dueDate(), i.amountDue(), repaid ? i.repaidDate() : null,
            repaid ? i.amountRepaid() : 0.0));
      }
      loans.add(new Loan(l.loanId(), l.supplierId(), l.drawdownDate(), l.amount(), schedule));
    }
    List<CreditNote> notes = new ArrayList<>();
    for (CreditNote n : h.events().creditNotes()) {
      if (n.bookingDate().isAfter(d)) {
        removed[0]++;
      } else {
        notes.add(n);
      }
    }
    List<Dispute> disputes = new ArrayList<>();
    for (Dispute x : h.events().disputes()) {
      if (x.openedDate().isAfter(d)) {
        removed[1]++;
      } else {
        disputes.add(new Dispute(x.invoiceId(), x.supplierId(), x.openedDate(),
            x.resolvedDate() == null || x.resolvedDate().isAfter(d) ? null : x.resolvedDate()));
      }
    }
    List<Delivery> deliveries = new ArrayList<>();
    for (Delivery x : h.events().deliveries()) {
      if (x.actualDate().isAfter(d)) {
        removed[2]++;
      } else {
        deliveries.add(x);
      }
    }
    return new SupplierHistory(h.supplier(), invoices, loans, h.label(), new TradeEvents(notes, disputes, deliveries));
  }

  private static void write(Path out, List<Anchor> anchors, List<SupplierHistory> histories, TableWriter.Format format)
      throws IOException {
    GeneratedPortfolios.write(out, new GeneratedPortfolios.Portfolio(anchors, histories), format);
  }

}

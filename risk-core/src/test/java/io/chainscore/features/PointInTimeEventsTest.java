package io.chainscore.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.trade.Invoice;
import io.chainscore.trade.Sector;
import io.chainscore.trade.Supplier;
import io.chainscore.trade.TradeEvents;
import io.chainscore.trade.TradeEvents.CreditNote;
import io.chainscore.trade.TradeEvents.Delivery;
import io.chainscore.trade.TradeEvents.Dispute;
import io.chainscore.trade.TradeRecordException;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The point-in-time rules of docs/features.md on one hand-worked supplier. */
class PointInTimeEventsTest {
  private static final LocalDate D = LocalDate.of(2025, 6, 30);
  private static final Supplier S = new Supplier("S1", "A1", Sector.GLASS, "CN-SH", D.minusYears(5), 1e6);

  /**
   * I1: issued D-100, 1000, paid D-30; credit notes 100 booked D-50 (seen) and 50 booked D+1 (not);
   * dispute opened D-10 (seen). I2: issued D-20, 500, open; credit note 200 booked on D (seen);
   * dispute opened D+3 (not). I3: issued D-400 (outside 12 months), 700, paid. The invoices' own
   * outcome fields say otherwise (returned 999 / 400, disputed, late) and must not matter.
   */
  private static final List<Invoice> INVOICES = List.of(
      new Invoice("I1", "S1", "A1", D.minusDays(100), D.minusDays(40), 1000, false, 999, false, D.minusDays(30), 1),
      new Invoice("I2", "S1", "A1", D.minusDays(20), D.plusDays(10), 500, false, 400, true, null, 0),
      new Invoice("I3", "S1", "A1", D.minusDays(400), D.minusDays(340), 700, false, 0, true, D.minusDays(330), 700));
  private static final TradeEvents EVENTS = new TradeEvents(
      List.of(new CreditNote("C1", "I1", "S1", D.minusDays(50), 100, "return"),
          new CreditNote("C2", "I1", "S1", D.plusDays(1), 50, "price"),
          new CreditNote("C3", "I2", "S1", D, 200, "quality")),
      List.of(new Dispute("I1", "S1", D.minusDays(10), null), new Dispute("I2", "S1", D.plusDays(3), null)),
      // I1 on time; I2 late; I3 delivered 359 days before D (in the window by its actual date, on
      // time); a delivery of I2 dated D+2 is not known at D; one 360 days before D is outside.
      List.of(new Delivery("I1", "S1", D.minusDays(95), D.minusDays(96)),
          new Delivery("I2", "S1", D.minusDays(15), D.minusDays(14)),
          new Delivery("I3", "S1", D.minusDays(358), D.minusDays(359)),
          new Delivery("I3", "S1", D.minusDays(300), D.minusDays(360)),
          new Delivery("I2", "S1", D.plusDays(5), D.plusDays(2))));

  @Test
  void compute_eventsCountFromTheirOwnDates_handWorked() {
    double[] f = StandardFeatures.compute(S, INVOICES, List.of(), EVENTS, D, StandardFeatures.REGIONS);
    // 12-month amount: I1 + I2 = 1500; credited by D: 100 (I1) + 200 (I2).
    assertThat(f[StandardFeatures.DILUTION_RATE_12M]).isEqualTo(300.0 / 1500);
    assertThat(f[StandardFeatures.DISPUTED_SHARE_12M]).isEqualTo(1000.0 / 1500);
    // Deliveries made in the 360 days ending on D: I1 (on time), I2 (late), I3 at 359 days (on time).
    assertThat(f[StandardFeatures.ON_TIME_DELIVERY_RATE_12M]).isEqualTo(2.0 / 3);
    // Open at D: I2 only, owed 500 - 200; 10 days before its due date, so nothing overdue.
    assertThat(f[StandardFeatures.OPEN_RECEIVABLES]).isEqualTo(300.0);
    assertThat(f[StandardFeatures.OVERDUE_SHARE]).isEqualTo(0.0);
    assertThat(f[StandardFeatures.REGION_INDEX]).isEqualTo(3.0); // CN-SH in StandardFeatures.REGIONS
  }

  @Test
  void compute_dayAfterTheLateEvents_seesThem() {
    // At D+3 the second credit note of I1 and the dispute of I2 are known; the D+2 delivery is made.
    LocalDate later = D.plusDays(3);
    double[] f = StandardFeatures.compute(S, INVOICES, List.of(), EVENTS, later, StandardFeatures.REGIONS);
    assertThat(f[StandardFeatures.DILUTION_RATE_12M]).isEqualTo(350.0 / 1500);
    assertThat(f[StandardFeatures.DISPUTED_SHARE_12M]).isEqualTo(1.0);
    // I3's delivery is now 362 days old; I1 on time, I2 late, I2's second delivery on time.
    assertThat(f[StandardFeatures.ON_TIME_DELIVERY_RATE_12M]).isEqualTo(2.0 / 3);
  }

  @Test
  void compute_withoutEvents_knowsNoneAndIgnoresTheInvoicesOutcomes() {
    double[] f = StandardFeatures.compute(S, INVOICES, List.of(), D, StandardFeatures.REGIONS);
    assertThat(f[StandardFeatures.DILUTION_RATE_12M]).isEqualTo(0.0);
    assertThat(f[StandardFeatures.DISPUTED_SHARE_12M]).isEqualTo(0.0);
    assertThat(f[StandardFeatures.ON_TIME_DELIVERY_RATE_12M]).isNaN();
    assertThat(f[StandardFeatures.OPEN_RECEIVABLES]).isEqualTo(500.0);
  }

  @Test
  void compute_eventOfNoInvoiceOfTheSupplier_isRefusedNamingIt() {
    TradeEvents stray = new TradeEvents(List.of(new CreditNote("C9", "I9", "S1", D.minusDays(5), 10, "return")),
        List.of(), List.of());
    assertThatThrownBy(() -> StandardFeatures.compute(S, INVOICES, List.of(), stray, D, StandardFeatures.REGIONS))
        .isInstanceOf(TradeRecordException.class).hasMessageContaining("C9").hasMessageContaining("invoice_id")
        .hasMessageContaining("'I9' is not an invoice of supplier 'S1'");
  }
}

package io.chainscore.features.engine;

import io.chainscore.trade.Anchor;
import io.chainscore.trade.TradeEvents.CreditNote;
import io.chainscore.trade.TradeEvents.Delivery;
import io.chainscore.trade.TradeEvents.Dispute;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.Sector;
import io.chainscore.trade.Supplier;
import io.chainscore.trade.TradeBook;
import io.chainscore.trade.TradeEvents;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random trade books that hit the edge cases of the feature definitions: suppliers
 * without invoices, zero-base growth, invoices and payments after D, same-day payments, overdue
 * ages at the bucket boundaries, month boundaries at exact multiples of 30 days, loans drawn after
 * D or with nothing due yet, partial and late repayments.
 */
final class RandomPortfolio {
  static final LocalDate AS_OF = LocalDate.of(2024, 6, 15);
  static final List<String> REGIONS = List.of("CN-GD", "CN-JS", "VN-HN", "IN-MH");
  private static final int[] SPECIAL_AGES = {0, 1, 29, 30, 89, 90, 179, 180, 359, 360, 449, 450, 719, 720, 721};
  private static final int[] OVERDUE_AGES = {0, 1, 30, 31, 60, 61, 90, 91};

  private RandomPortfolio() {}

  static TradeBook generate(long seed, int suppliers) {
    Random rnd = new Random(seed);
    TradeBook.Builder book = TradeBook.builder();
    // more anchors than the accumulators' inline buyer slots, so that buyers spill over
    int anchors = SupplierAccumulators.INLINE_BUYERS + 4;
    for (int a = 0; a < anchors; a++) {
      book.addAnchor(new Anchor("A" + a, "Anchor " + a, Sector.values()[a % Sector.values().length], 1e9 + a));
    }
    long invoiceSeq = 0;
    long loanSeq = 0;
    for (int s = 0; s < suppliers; s++) {
      String id = "S" + s;
      String anchor = "A" + rnd.nextInt(anchors);
      String region = rnd.nextInt(10) == 0 ? "XX-NEW" : REGIONS.get(rnd.nextInt(REGIONS.size()));
      LocalDate registered = AS_OF.minusDays(rnd.nextInt(9000) - 100);
      double turnover = rnd.nextInt(5) == 0 ? 0 : cents(rnd.nextDouble() * 5e6);
      book.addSupplier(new Supplier(id, anchor, Sector.values()[rnd.nextInt(Sector.values().length)],
          region, registered, turnover));
      int profile = rnd.nextInt(10);
      int count = profile == 0 ? 0 : profile == 1 ? 1 + rnd.nextInt(3) : rnd.nextInt(80);
      int oldestAge = profile == 2 ? 900 : 760;
      int youngestAge = profile == 2 ? 400 : -60; // profile 2: only old invoices (zero base)
      for (int k = 0; k < count; k++) {
        int age = rnd.nextInt(6) == 0
            ? SPECIAL_AGES[rnd.nextInt(SPECIAL_AGES.length)]
            : youngestAge + rnd.nextInt(oldestAge - youngestAge);
        if (profile == 2 && age < 400) {
          age += 400;
        }
        LocalDate issue = AS_OF.minusDays(age);
        LocalDate due;
        if (rnd.nextInt(4) == 0) {
          LocalDate wanted = AS_OF.minusDays(OVERDUE_AGES[rnd.nextInt(OVERDUE_AGES.length)]);
          due = wanted.isBefore(issue) ? issue : wanted;
        } else {
          due = issue.plusDays(new int[] {0, 30, 45, 60, 90}[rnd.nextInt(5)]);
        }
        double amount = cents(10 + rnd.nextDouble() * 50_000);
        double returned = rnd.nextInt(5) == 0 ? cents(amount * rnd.nextDouble()) : 0;
        LocalDate paid = null;
        int p = rnd.nextInt(10);
        if (p >= 3) {
          paid = p == 3 ? issue : issue.plusDays(rnd.nextInt(150));
        }
        String buyer = rnd.nextInt(3) == 0 ? "A" + rnd.nextInt(anchors) : anchor;
        book.addInvoice(new Invoice("I" + (invoiceSeq++), id, buyer, issue, due, amount,
            rnd.nextBoolean(), returned, rnd.nextInt(8) == 0, paid,
            paid == null ? 0 : cents(amount - returned)));
      }
      int loans = rnd.nextInt(4);
      for (int l = 0; l < loans; l++) {
        LocalDate drawdown = AS_OF.minusDays(rnd.nextInt(760) - 40);
        if (rnd.nextInt(8) == 0) {
          drawdown = AS_OF.minusDays(10); // nothing due yet
        }
        double principal = cents(1000 + rnd.nextDouble() * 200_000);
        int n = 1 + rnd.nextInt(6);
        List<Instalment> schedule = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
          LocalDate due = drawdown.plusDays(30L * k);
          double amountDue = cents(principal / n * 1.02);
          LocalDate repaid = null;
          double repaidAmount = 0;
          int r = rnd.nextInt(10);
          if (r < 7) {
            repaid = due.plusDays(rnd.nextInt(70) - 5);
            repaidAmount = r == 0 ? cents(amountDue / 2) : amountDue;
          }
          schedule.add(new Instalment(due, amountDue, repaid, repaidAmount));
        }
        book.addLoan(new Loan("L" + (loanSeq++), id, drawdown, principal, schedule));
      }
    }
    return book.build();
  }

  /**
   * Dated events for the book's invoices, seeded by {@code seed}: credit notes (one or two per
   * returned invoice, booked 0-120 days after issue, some after D), disputes (opened 0-90 days
   * after issue, resolved or open), deliveries (promised 0-10 days after issue, actual from 3 days
   * early to 20 days late; about one in eight invoices has none), with dates on the 359/360-day
   * window edge and on D itself.
   */
  static TradeEvents events(TradeBook book, long seed) {
    Random rnd = new Random(seed * 31 + 17);
    List<CreditNote> notes = new ArrayList<>();
    List<Dispute> disputes = new ArrayList<>();
    List<Delivery> deliveries = new ArrayList<>();
    int[] edge = {0, 1, 359, 360};
    int cn = 0;
    for (Invoice inv : book.invoices()) {
      if (inv.returnedAmount() > 0) {
        double first = rnd.nextBoolean() ? inv.returnedAmount() : cents(inv.returnedAmount() * 0.4);
        double second = RandomPortfolio.cents(inv.returnedAmount() - first);
        for (double part : new double[] {first, second}) {
          if (part > 0) {
            LocalDate booked = rnd.nextInt(8) == 0 ? AS_OF.minusDays(edge[rnd.nextInt(edge.length)])
                : inv.issueDate().plusDays(rnd.nextInt(121));
            notes.add(new CreditNote("CN" + (cn++), inv.invoiceId(), inv.supplierId(), booked, part,
                rnd.nextBoolean() ? "return" : "price"));
          }
        }
      }
      if (inv.disputed()) {
        LocalDate opened = inv.issueDate().plusDays(rnd.nextInt(91));
        LocalDate resolved = rnd.nextBoolean() ? null : opened.plusDays(rnd.nextInt(60));
        disputes.add(new Dispute(inv.invoiceId(), inv.supplierId(), opened, resolved));
      }
      if (rnd.nextInt(8) != 0) {
        LocalDate promised = inv.issueDate().plusDays(rnd.nextInt(11));
        LocalDate actual = rnd.nextInt(6) == 0 ? AS_OF.minusDays(edge[rnd.nextInt(edge.length)])
            : promised.plusDays(rnd.nextInt(24) - 3);
        deliveries.add(new Delivery(inv.invoiceId(), inv.supplierId(), promised, actual));
      }
    }
    return new TradeEvents(notes, disputes, deliveries);
  }

  static double cents(double x) {
    return Math.round(x * 100) / 100.0;
  }
}

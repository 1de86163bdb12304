package io.chainscore.features.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The event join against a plain map of (invoice, supplier) to credited amount and dispute. */
class InvoiceEventsTest {
  @Test
  void fill_agreesWithAPlainMap_forInvoicesWithAndWithoutEvents() {
    SplittableRandom random = new SplittableRandom(23);
    int asOf = 20_000;
    InvoiceEvents events = new InvoiceEvents(asOf);
    Map<String, Double> credited = new HashMap<>();
    Set<String> disputed = new HashSet<>();
    for (int i = 0; i < 30_000; i++) {
      String id = "INV-" + random.nextInt(50_000);
      int s = random.nextInt(10);
      int day = asOf - 100 + random.nextInt(200);   // half of them after the as-of day: not known
      if (random.nextBoolean()) {
        double amount = 1 + random.nextInt(1000);
        events.creditNote(id, s, day, amount);
        if (day <= asOf) {
          credited.merge(s + "/" + id, amount, Double::sum);
        }
      } else {
        events.dispute(id, s, day);
        if (day <= asOf) {
          disputed.add(s + "/" + id);
        }
      }
    }
    InvoiceColumns chunk = new InvoiceColumns(1);
    int withEvents = 0;
    for (int i = 0; i < 400_000; i++) {
      String id = "INV-" + random.nextInt(50_000);
      int s = random.nextInt(10);
      chunk.returnedAmount[0] = -1;
      chunk.disputed[0] = true;
      events.fill(chunk, 0, id, s);
      String key = s + "/" + id;
      assertThat(chunk.returnedAmount[0]).isEqualTo(credited.getOrDefault(key, 0.0));
      assertThat(chunk.disputed[0]).isEqualTo(disputed.contains(key));
      if (credited.containsKey(key) || disputed.contains(key)) {
        withEvents++;
      }
    }
    assertThat(withEvents).isGreaterThan(1_000);
  }

  @Test
  void eventsAddedAfterAFill_areSeenByTheNext() {
    InvoiceEvents events = new InvoiceEvents(100);
    InvoiceColumns chunk = new InvoiceColumns(1);
    events.fill(chunk, 0, "A", 0);
    assertThat(chunk.returnedAmount[0]).isZero();
    events.creditNote("A", 0, 50, 7.5);
    events.fill(chunk, 0, "A", 0);
    assertThat(chunk.returnedAmount[0]).isEqualTo(7.5);
    events.dispute("B", 1, 60);
    events.fill(chunk, 0, "B", 1);
    assertThat(chunk.disputed[0]).isTrue();
    events.fill(chunk, 0, "B", 0);
    assertThat(chunk.disputed[0]).isFalse();
    assertThat(events.anyUnclaimed()).isFalse();
    assertThat(events.unclaimed("A", 0, 50)).isFalse();
    events.release();
    assertThat(events.isEmpty()).isTrue();
    events.fill(chunk, 0, "A", 0);
    assertThat(chunk.returnedAmount[0]).isZero();
    events.dispute("B", 1, 60);
    events.dispute("C", 1, 101);   // after D: never kept, so never unclaimed
    assertThat(events.anyUnclaimed()).isTrue();
    assertThat(events.unclaimed("B", 1, 60)).isTrue();
    assertThat(events.unclaimed("B", 0, 60)).isFalse();
    assertThat(events.unclaimed("C", 1, 101)).isFalse();
    assertThat(events.unclaimed("B", 1, 101)).as("an event after D of an unclaimed invoice").isFalse();
    assertThat(InvoiceEvents.unclaimedReport("dispute", 2, "B", "B", "S1"))
        .isEqualTo(new BadRecord("dispute", 2, "B", "invoice_id", "'B' is not an invoice of supplier 'S1'"));
  }

  /**
   * The compact arrays against the map-based join they replaced ({@link InvoiceEventsReference}):
   * the same returned amounts, disputes and unclaimed reports, message for message (the unclaimed
   * events found by going through the events again, as the loaders do), on random events
   * with colliding hash codes ("Aa" and "BB" share String.hashCode), ids shared by suppliers, few suppliers
   * with many entries or many with few, ids all Latin-1 or not, non-ASCII
   * ids, events after D and a null record id; unsized and sized from a row-count hint; ASCII ids
   * added as Strings or as bytes at random.
   */
  @Test
  void compactArrays_agreeWithTheMapBasedJoin() {
    for (int seed = 0; seed < 6; seed++) {
      SplittableRandom random = new SplittableRandom(100 + seed);
      int asOf = 20_000;
      // unsized, sized for all the events, sized for fewer (the arrays grow past the hint)
      InvoiceEvents events = seed % 3 == 0 ? new InvoiceEvents(asOf) : new InvoiceEvents(asOf, seed % 3 == 1 ? 20_000 : 3_000);
      InvoiceEventsReference reference = new InvoiceEventsReference(asOf);
      // Latin-1 ids only (kept a byte a character), or some beyond it ("€": every id two bytes
      // from the first such one on, those kept before copied over)
      String[] stems = seed % 2 == 0 ? new String[] {"Aa", "BB", "INV-", "Ü-", ""}
          : new String[] {"Aa", "BB", "INV-", "Ü-", "", "€-"};
      int idRange = seed % 2 == 0 ? 300 : 20_000;
      // few suppliers with thousands of entries each (searched by bisection), or many with a few (scanned)
      int suppliers = seed < 3 ? 7 : 3_000;
      java.util.function.IntFunction<String> id = k -> stems[k % stems.length] + (k / stems.length);
      InvoiceColumns chunk = new InvoiceColumns(1);
      InvoiceColumns expected = new InvoiceColumns(1);
      List<Object[]> added = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        String invoiceId = id.apply(random.nextInt(idRange));
        int s = random.nextInt(suppliers);
        int day = asOf - 100 + random.nextInt(200);
        String table = random.nextBoolean() ? "credit_note" : "dispute";
        String recordId = random.nextInt(50) == 0 ? null : table.equals("dispute") ? invoiceId : "CN" + i;
        BadRecord report = new BadRecord(table, i + 1, recordId, null, null); // rows are unique in a table
        // an ASCII id added as a String or, as a reader that keeps ids as bytes adds it, as bytes
        boolean asBytes = invoiceId.chars().allMatch(c -> c > 0 && c < 0x80) && random.nextBoolean();
        byte[] text = ("ab" + invoiceId).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (table.equals("credit_note")) {
          double amount = random.nextDouble() * 1000;
          if (asBytes) {
            events.creditNote(text, 2, invoiceId.length(), invoiceId.hashCode(), s, day, amount);
          } else {
            events.creditNote(invoiceId, s, day, amount);
          }
          reference.creditNote(invoiceId, s, "S" + s, day, amount, report);
        } else {
          if (asBytes) {
            events.dispute(text, 2, invoiceId.length(), invoiceId.hashCode(), s, day);
          } else {
            events.dispute(invoiceId, s, day);
          }
          reference.dispute(invoiceId, s, "S" + s, day, report);
        }
        added.add(new Object[] {report, invoiceId, s, day});
        if (random.nextInt(100) == 0) {
          // a fill between additions (events come first in the engine, but the join must not care)
          String probe = id.apply(random.nextInt(idRange));
          int ps = random.nextInt(suppliers);
          // the filter may pass an invoice without events, never miss one with events
          assertThat(events.mayHaveEvents(probe.hashCode(), ps) || !reference.hasEvents(probe, ps)).isTrue();
          fillBoth(events, reference, chunk, expected, probe, ps);
        }
      }
      assertThat(events.isEmpty()).isEqualTo(reference.isEmpty());
      for (int i = 0; i < 5_000; i++) {
        fillBoth(events, reference, chunk, expected, id.apply(random.nextInt(idRange * 2)), random.nextInt(suppliers + 1));
      }
      List<BadRecord> unclaimed = new ArrayList<>();
      List<BadRecord> expectedUnclaimed = new ArrayList<>();
      for (String table : List.of("credit_note", "dispute")) {
        for (Object[] a : added) {
          BadRecord r = (BadRecord) a[0];
          if (r.table().equals(table) && events.unclaimed((String) a[1], (Integer) a[2], (Integer) a[3])) {
            unclaimed.add(InvoiceEvents.unclaimedReport(table, r.row(), r.recordId(), (String) a[1], "S" + a[2]));
          }
        }
      }
      assertThat(events.anyUnclaimed()).isEqualTo(!unclaimed.isEmpty());
      reference.reportUnclaimed(expectedUnclaimed::add);
      assertThat(unclaimed).as("seed %d", seed).isEqualTo(expectedUnclaimed);
      assertThat(unclaimed).isNotEmpty();
    }
  }

  private static void fillBoth(InvoiceEvents events, InvoiceEventsReference reference, InvoiceColumns chunk,
      InvoiceColumns expected, String invoiceId, int supplier) {
    assertThat(events.mayHaveEvents(invoiceId.hashCode(), supplier) || !reference.hasEvents(invoiceId, supplier))
        .as(invoiceId).isTrue();
    chunk.returnedAmount[0] = -1;
    expected.returnedAmount[0] = -2;
    events.fill(chunk, 0, invoiceId, supplier);
    reference.fill(expected, 0, invoiceId, supplier);
    assertThat(chunk.returnedAmount[0]).as(invoiceId).isEqualTo(expected.returnedAmount[0]);
    assertThat(chunk.disputed[0]).as(invoiceId).isEqualTo(expected.disputed[0]);
    if (invoiceId.chars().allMatch(c -> c > 0 && c < 0x80)) {
      // the same id as the ASCII bytes a reader keeps, behind other bytes in its buffer
      byte[] text = ("xyz" + invoiceId).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      chunk.returnedAmount[0] = -3;
      chunk.disputed[0] = !expected.disputed[0];
      events.fill(chunk, 0, text, 3, invoiceId.length(), invoiceId.hashCode(), supplier);
      assertThat(chunk.returnedAmount[0]).as(invoiceId + " as bytes").isEqualTo(expected.returnedAmount[0]);
      assertThat(chunk.disputed[0]).as(invoiceId + " as bytes").isEqualTo(expected.disputed[0]);
    }
  }
}

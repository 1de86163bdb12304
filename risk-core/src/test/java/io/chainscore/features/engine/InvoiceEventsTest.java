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
      BadRecord report = new BadRecord("credit_note", i + 1, id, null, null);
      if (random.nextBoolean()) {
        double amount = 1 + random.nextInt(1000);
        events.creditNote(id, s, "S" + s, day, amount, report);
        if (day <= asOf) {
          credited.merge(s + "/" + id, amount, Double::sum);
        }
      } else {
        events.dispute(id, s, "S" + s, day, report);
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
    events.creditNote("A", 0, "S0", 50, 7.5, new BadRecord("credit_note", 1, "A", null, null));
    events.fill(chunk, 0, "A", 0);
    assertThat(chunk.returnedAmount[0]).isEqualTo(7.5);
    events.dispute("B", 1, "S1", 60, new BadRecord("dispute", 1, "B", null, null));
    events.fill(chunk, 0, "B", 1);
    assertThat(chunk.disputed[0]).isTrue();
    events.fill(chunk, 0, "B", 0);
    assertThat(chunk.disputed[0]).isFalse();
    List<BadRecord> unclaimed = new ArrayList<>();
    events.reportUnclaimed(unclaimed::add);
    assertThat(unclaimed).isEmpty();
  }
}

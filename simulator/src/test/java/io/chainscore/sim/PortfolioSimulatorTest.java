package io.chainscore.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.trade.Anchor;
import io.chainscore.trade.Instalment;
import io.chainscore.trade.Invoice;
import io.chainscore.trade.Loan;
import io.chainscore.trade.TradeBook;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortfolioSimulatorTest {

  /** Collects everything, for small portfolios. */
  static final class Collect implements PortfolioSink {
    final List<Anchor> anchors = new ArrayList<>();
    final List<SupplierHistory> histories = new ArrayList<>();

    @Override
    public void anchors(List<Anchor> list) {
      anchors.addAll(list);
    }

    @Override
    public void supplier(SupplierHistory history) {
      histories.add(history);
    }
  }

  /** Hashes every record as text, so two runs can be compared exactly. */
  static final class Digest implements PortfolioSink {
    final MessageDigest sha;

    Digest() throws Exception {
      sha = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public void anchors(List<Anchor> list) {
      sha.update(list.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void supplier(SupplierHistory history) {
      sha.update(history.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    String hex() {
      return HexFormat.of().formatHex(sha.digest());
    }
  }

  private static Collect run(int suppliers, long seed) throws IOException {
    Collect c = new Collect();
    new PortfolioSimulator(SimulationConfig.builder().suppliers(suppliers).seed(seed).build()).simulate(c);
    return c;
  }

  @Test
  void events_followTheirInvoicesWithTheDocumentedLags_andNothingAfterAsOf() throws IOException {
    Collect c = run(400, 21);
    LocalDate asOf = SimulationConfig.builder().build().asOf();
    int notes = 0;
    int disputes = 0;
    int deliveries = 0;
    int invoices = 0;
    long noteLagSum = 0;
    for (SupplierHistory h : c.histories) {
      java.util.Map<String, Invoice> byId = new java.util.HashMap<>();
      h.invoices().forEach(i -> byId.put(i.invoiceId(), i));
      invoices += h.invoices().size();
      java.util.Set<String> credited = new java.util.HashSet<>();
      for (io.chainscore.trade.TradeEvents.CreditNote n : h.events().creditNotes()) {
        Invoice inv = byId.get(n.invoiceId());
        assertThat(inv).as("credit note %s names an invoice of its supplier", n.creditNoteId()).isNotNull();
        assertThat(n.supplierId()).isEqualTo(inv.supplierId());
        assertThat(n.amount()).isEqualTo(inv.returnedAmount());
        long lag = inv.issueDate().until(n.bookingDate(), java.time.temporal.ChronoUnit.DAYS);
        assertThat(lag).as("booking lag").isBetween(10L, 60L);
        assertThat(n.bookingDate()).isBeforeOrEqualTo(asOf);
        noteLagSum += lag;
        credited.add(n.invoiceId());
        notes++;
      }
      java.util.Set<String> opened = new java.util.HashSet<>();
      for (io.chainscore.trade.TradeEvents.Dispute d : h.events().disputes()) {
        Invoice inv = byId.get(d.invoiceId());
        assertThat(inv).isNotNull();
        assertThat(inv.disputed()).isTrue();
        assertThat(inv.issueDate().until(d.openedDate(), java.time.temporal.ChronoUnit.DAYS)).isBetween(5L, 45L);
        assertThat(d.openedDate()).isBeforeOrEqualTo(asOf);
        if (d.resolvedDate() != null) {
          assertThat(d.resolvedDate()).isAfterOrEqualTo(d.openedDate()).isBeforeOrEqualTo(asOf);
        }
        opened.add(d.invoiceId());
        disputes++;
      }
      for (io.chainscore.trade.TradeEvents.Delivery d : h.events().deliveries()) {
        Invoice inv = byId.get(d.invoiceId());
        assertThat(inv).isNotNull();
        assertThat(inv.issueDate().until(d.promisedDate(), java.time.temporal.ChronoUnit.DAYS)).isBetween(3L, 10L);
        assertThat(d.onTime()).as("on time as the invoice's outcome").isEqualTo(inv.deliveredOnTime());
        assertThat(d.actualDate()).isBeforeOrEqualTo(asOf);
        deliveries++;
      }
      for (Invoice inv : h.invoices()) {
        long age = inv.issueDate().until(asOf, java.time.temporal.ChronoUnit.DAYS);
        // Every event whose longest lag has passed by the as-of date is there; none too young.
        assertThat(credited.contains(inv.invoiceId())).as("credit note of %s", inv.invoiceId())
            .isEqualTo(inv.returnedAmount() > 0 && (age >= 60 || credited.contains(inv.invoiceId())));
        if (inv.returnedAmount() > 0 && age < 10) {
          assertThat(credited).doesNotContain(inv.invoiceId());
        }
        if (inv.disputed() && age >= 45) {
          assertThat(opened).contains(inv.invoiceId());
        }
        if (age < 1) { // the earliest delivery is a day after issue (promised >= 3 days, early by <= 2)
          assertThat(h.events().deliveries()).noneMatch(d -> d.invoiceId().equals(inv.invoiceId()));
        }
      }
    }
    assertThat(notes).isGreaterThan(500);
    assertThat(disputes).isGreaterThan(200);
    assertThat(deliveries).isGreaterThan(invoices * 95 / 100).isLessThanOrEqualTo(invoices);
    assertThat(noteLagSum / (double) notes).as("mean booking lag, uniform on 10..60").isCloseTo(35, within(2.0));
  }

  @Test
  void simulate_sameSeed_identicalForAnyThreadCount() throws Exception {
    SimulationConfig config = SimulationConfig.builder().suppliers(1500).seed(7).build();
    Digest one = new Digest();
    new PortfolioSimulator(config).simulate(one, 1);
    Digest three = new Digest();
    new PortfolioSimulator(config).simulate(three, 3);
    Digest otherSeed = new Digest();
    new PortfolioSimulator(SimulationConfig.builder().suppliers(1500).seed(8).build()).simulate(otherSeed, 2);
    String reference = one.hex();
    assertThat(three.hex()).isEqualTo(reference);
    assertThat(otherSeed.hex()).isNotEqualTo(reference);
  }

  @Test
  void simulate_callersExecutor_identicalAndLeftRunning() throws Exception {
    SimulationConfig config = SimulationConfig.builder().suppliers(1200).seed(7).build();
    Digest own = new Digest();
    new PortfolioSimulator(config).simulate(own, 1);
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
      Digest borrowed = new Digest();
      new PortfolioSimulator(config).simulate(borrowed, 3, task -> {
        tasks.incrementAndGet();
        callers.execute(task);
      });

      assertThat(borrowed.hex()).isEqualTo(own.hex());
      assertThat(tasks.get()).as("generation tasks on the caller's executor").isGreaterThan(1);
      assertThat(callers.isShutdown()).isFalse();
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void simulate_output_passesDataModelValidation() throws IOException {
    Collect c = run(400, 11);
    TradeBook.Builder book = TradeBook.builder();
    c.anchors.forEach(book::addAnchor);
    LocalDate asOf = SimulationConfig.builder().build().asOf();
    for (SupplierHistory h : c.histories) {
      book.addSupplier(h.supplier()).addLabel(h.label());
      h.invoices().forEach(book::addInvoice);
      h.loans().forEach(book::addLoan);
      for (Invoice inv : h.invoices()) {
        assertThat(inv.issueDate()).isBeforeOrEqualTo(asOf);
        if (inv.paidDate() != null) {
          assertThat(inv.paidDate()).as("payments after as-of are not yet known").isBeforeOrEqualTo(asOf);
        }
      }
      for (Loan loan : h.loans()) {
        assertThat(loan.drawdownDate()).isBeforeOrEqualTo(asOf);
        for (Instalment i : loan.instalments()) {
          assertThat(i.daysPastDueAt(asOf)).as("the portfolio is performing at as-of").isLessThan(90);
        }
      }
    }
    TradeBook built = book.build();
    assertThat(built.suppliers()).hasSize(400);
    assertThat(built.anchors()).hasSize(6);
  }

  @Test
  void simulate_invoiceVolume_isAboutHundredPerYear() throws IOException {
    Collect c = run(2000, 5);
    long invoices = c.histories.stream().mapToLong(h -> h.invoices().size()).sum();
    // Tenure shorter than the 30-month history trims some suppliers' record.
    double perSupplierYear = invoices / 2000.0 / 2.5;
    assertThat(perSupplierYear).isBetween(75.0, 115.0);
  }

  @Test
  void defaults_riseWithLateRepaymentsAndFallWithTruePdRank() throws IOException {
    Collect c = run(8000, 21);
    LocalDate asOf = SimulationConfig.builder().build().asOf();
    int n = c.histories.size();
    double[] lateRepayments = new double[n];
    double[] onTimeRate = new double[n];
    double[] truePd = new double[n];
    int[] label = new int[n];
    for (int i = 0; i < n; i++) {
      SupplierHistory h = c.histories.get(i);
      int late = 0;
      for (Loan loan : h.loans()) {
        for (Instalment inst : loan.instalments()) {
          if (!inst.dueDate().isAfter(asOf) && !inst.dueDate().isBefore(asOf.minusMonths(12))
              && inst.daysPastDueAt(asOf) > 0) {
            late++;
          }
        }
      }
      lateRepayments[i] = late;
      long recent = h.invoices().stream().filter(v -> v.issueDate().isAfter(asOf.minusMonths(6))).count();
      long onTime = h.invoices().stream()
          .filter(v -> v.issueDate().isAfter(asOf.minusMonths(6)) && v.deliveredOnTime()).count();
      onTimeRate[i] = recent == 0 ? 1 : (double) onTime / recent;
      truePd[i] = h.label().trueProbabilityOfDefault();
      label[i] = h.label().defaulted() ? 1 : 0;
    }
    double[] byLate = defaultRateByTercile(lateRepayments, label);
    assertThat(byLate[0]).isLessThan(byLate[2]);
    double[] byOnTime = defaultRateByTercile(onTimeRate, label);
    assertThat(byOnTime[0]).as("worst on-time delivery defaults most").isGreaterThan(byOnTime[2]);
    // The true PD is the best any model could do: clearly informative, not perfect.
    double auc = bruteForceAuc(truePd, label);
    assertThat(auc).isBetween(0.75, 0.97);
  }

  private static double[] defaultRateByTercile(double[] x, int[] y) {
    Integer[] order = new Integer[x.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Break ties by index so equal values spread over terciles deterministically.
    Arrays.sort(order, (a, b) -> x[a] != x[b] ? Double.compare(x[a], x[b]) : Integer.compare(a, b));
    double[] rate = new double[3];
    int[] count = new int[3];
    for (int r = 0; r < order.length; r++) {
      int t = Math.min(2, r * 3 / order.length);
      rate[t] += y[order[r]];
      count[t]++;
    }
    for (int t = 0; t < 3; t++) {
      rate[t] /= count[t];
    }
    return rate;
  }

  private static double bruteForceAuc(double[] score, int[] y) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < score.length; i++) {
      if (y[i] != 1) {
        continue;
      }
      for (int j = 0; j < score.length; j++) {
        if (y[j] == 0) {
          pairs++;
          wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  @Test
  void config_invalidValues_areNamed() {
    assertThatThrownBy(() -> SimulationConfig.builder().suppliers(0).build())
        .hasMessage("simulation config: suppliers must be in [1, 10000000], got 0");
    assertThatThrownBy(() -> SimulationConfig.builder().baseDefaultRate(0.7).build())
        .hasMessage("simulation config: baseDefaultRate must be in (0, 0.5), got 0.7");
    assertThatThrownBy(() -> SimulationConfig.builder().factorLoadings(0.5, 0.3, 0.2).build())
        .hasMessageStartingWith("simulation config: macroLoading + sectorLoading + anchorLoading must stay below 0.9");
  }

  @Test
  void supplier_byIndex_equalsStreamedHistory() throws IOException {
    PortfolioSimulator sim = new PortfolioSimulator(SimulationConfig.builder().suppliers(300).seed(3).build());
    Collect c = new Collect();
    sim.simulate(c, 2);
    assertThat(sim.supplier(123)).isEqualTo(c.histories.get(123));
    assertThatThrownBy(() -> sim.supplier(300)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  /**
   * The terminal summary of a portfolio too small to reach every anchor: an anchor without
   * suppliers has no default rate and shows "-" (until 2026-12-07 "NaN%"); the others show
   * defaults over suppliers, recomputed here from the groups.
   */
  @Test
  void summary_anchorWithoutSuppliers_showsNoRate() throws IOException {
    PortfolioSummary summary = new PortfolioSummary();
    new PortfolioSimulator(SimulationConfig.builder().suppliers(10).seed(1).build()).simulate(summary);
    String text = summary.format();
    assertThat(text).doesNotContain("NaN");
    long anchorsWithout = 0;
    for (String line : text.split("\n")) {
      if (!line.matches("A\\d\\d .*")) {
        continue;
      }
      String[] cells = line.substring(48).trim().split("\\s+");
      long suppliers = Long.parseLong(cells[0].replace(",", ""));
      long defaults = Long.parseLong(cells[2].replace(",", ""));
      if (suppliers == 0) {
        anchorsWithout++;
        assertThat(cells[3]).isEqualTo("-");
      } else {
        assertThat(cells[3]).isEqualTo(String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * defaults / suppliers));
      }
    }
    assertThat(anchorsWithout).as(text).isPositive();
  }
}

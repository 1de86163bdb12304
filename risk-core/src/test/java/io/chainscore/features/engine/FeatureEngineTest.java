package io.chainscore.features.engine;

import io.chainscore.features.FeatureSpec;
import io.chainscore.features.StandardFeatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.trade.Invoice;
import io.chainscore.trade.TradeBook;
import io.chainscore.trade.TradeEvents;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureEngineTest {
  private static final LocalDate D = RandomPortfolio.AS_OF;
  private static final List<String> REGIONS = RandomPortfolio.REGIONS;
  private static final int WIDTH = StandardFeatures.SCHEMA.size();

  /** The book's dated events: one fixed seed, so the engine and the reference see the same. */
  static TradeEvents events(TradeBook book) {
    return RandomPortfolio.events(book, book.invoices().size());
  }

  static double[] referenceMatrix(TradeBook book) {
    return referenceMatrix(book, D);
  }

  static double[] referenceMatrix(TradeBook book, LocalDate asOf) {
    List<Map<String, Double>> rows = ReferenceFeatures.computeAll(book, events(book), asOf, REGIONS);
    double[] m = new double[rows.size() * WIDTH];
    for (int s = 0; s < rows.size(); s++) {
      Map<String, Double> row = rows.get(s);
      assertThat(row.keySet())
          .containsExactlyElementsOf(
              StandardFeatures.SCHEMA.features().stream().map(FeatureSpec::name).toList());
      for (int j = 0; j < WIDTH; j++) {
        m[s * WIDTH + j] = row.get(StandardFeatures.SCHEMA.feature(j).name());
      }
    }
    return m;
  }

  @Test
  void finish_matchesReferenceImplementation_everySupplierEveryFeature() {
    for (long seed = 1; seed <= 3; seed++) {
      TradeBook book = RandomPortfolio.generate(seed, 1500);
      double[] engine = StandardFeatures.computeAll(book, events(book), D, REGIONS, 1);
      FeatureAssertions.assertMatrixClose("seed " + seed, referenceMatrix(book), engine, 1e-12);
    }
  }

  @Test
  void finish_otherAsOfDates_matchReferenceImplementation() {
    // Earlier as-of dates put many more invoices, payments and instalments after D.
    TradeBook book = RandomPortfolio.generate(5, 1000);
    for (LocalDate asOf : List.of(D.minusDays(45), D.minusDays(400), D.plusDays(29))) {
      double[] engine = StandardFeatures.computeAll(book, events(book), asOf, REGIONS, 2);
      FeatureAssertions.assertMatrixClose("as of " + asOf, referenceMatrix(book, asOf), engine, 1e-12);
    }
  }

  @Test
  void finish_generatedPortfolio_hitsEdgeCases() {
    // Guards the generator: a comparison over data without edge cases would prove little.
    TradeBook book = RandomPortfolio.generate(1, 1500);
    double[] m = StandardFeatures.computeAll(book, events(book), D, REGIONS, 1);
    int growthNaN = 0;
    int growthValue = 0;
    int noInvoices = 0;
    int openNaNDpd = 0;
    for (int s = 0; s < book.suppliers().size(); s++) {
      int o = s * WIDTH;
      if (Double.isNaN(m[o + StandardFeatures.GROWTH_3M_YOY])) {
        growthNaN++;
      } else {
        growthValue++;
      }
      if (Double.isNaN(m[o + StandardFeatures.TENURE_MONTHS_ANY])) {
        noInvoices++;
      }
      if (Double.isNaN(m[o + StandardFeatures.MAX_DAYS_PAST_DUE_12M])
          && m[o + StandardFeatures.OUTSTANDING_FINANCING] > 0) {
        openNaNDpd++; // a loan with nothing due yet
      }
    }
    assertThat(growthNaN).isGreaterThan(50);
    assertThat(growthValue).isGreaterThan(50);
    assertThat(noInvoices).isGreaterThan(50);
    assertThat(openNaNDpd).isGreaterThan(5);
    long onTimeKnown = java.util.stream.IntStream.range(0, book.suppliers().size())
        .filter(s -> !Double.isNaN(m[s * WIDTH + StandardFeatures.ON_TIME_DELIVERY_RATE_12M])
            && m[s * WIDTH + StandardFeatures.ON_TIME_DELIVERY_RATE_12M] < 1).count();
    long diluted = java.util.stream.IntStream.range(0, book.suppliers().size())
        .filter(s -> m[s * WIDTH + StandardFeatures.DILUTION_RATE_12M] > 0).count();
    long disputedShare = java.util.stream.IntStream.range(0, book.suppliers().size())
        .filter(s -> m[s * WIDTH + StandardFeatures.DISPUTED_SHARE_12M] > 0).count();
    assertThat(onTimeKnown).as("suppliers with some late delivery").isGreaterThan(200);
    assertThat(diluted).as("suppliers with credit notes known at D").isGreaterThan(200);
    assertThat(disputedShare).as("suppliers with disputes known at D").isGreaterThan(100);
    for (int b = 0; b < 4; b++) {
      int bucket = b;
      long nonZero = java.util.stream.IntStream.range(0, book.suppliers().size())
          .filter(s -> m[s * WIDTH + StandardFeatures.OVERDUE_SHARE + bucket] > 0).count();
      assertThat(nonZero).as("suppliers with overdue bucket %d", b).isGreaterThan(50);
    }
    for (int j = 0; j < m.length; j++) {
      assertThat(Double.isInfinite(m[j])).as("%s is never infinite", StandardFeatures.SCHEMA.feature(j % WIDTH).name()).isFalse();
      assertThat(StandardFeatures.SCHEMA.feature(j % WIDTH).accepts(m[j]))
          .as("%s = %s in valid range", StandardFeatures.SCHEMA.feature(j % WIDTH).name(), m[j])
          .isTrue();
    }
  }

  @Test
  void compute_oneSupplier_equalsItsPortfolioRowBitForBit() {
    TradeBook book = RandomPortfolio.generate(7, 300);
    double[] all = StandardFeatures.computeAll(book, events(book), D, REGIONS, 1);
    for (int s = 0; s < book.suppliers().size(); s++) {
      double[] row = StandardFeatures.compute(book, events(book), book.suppliers().get(s).id(), D, REGIONS);
      double[] expected = java.util.Arrays.copyOfRange(all, s * WIDTH, (s + 1) * WIDTH);
      assertThat(row).as("supplier %d", s).containsExactly(expected);
    }
  }

  @Test
  void finish_anyThreadCount_isBitIdentical() {
    TradeBook book = RandomPortfolio.generate(11, 2000);
    List<Invoice> shuffled = new ArrayList<>(book.invoices());
    Collections.shuffle(shuffled, new Random(3));
    double[] one = run(book, shuffled, 1);
    for (int threads : new int[] {2, 3, 8}) {
      double[] many = run(book, shuffled, threads);
      assertThat(java.util.Arrays.equals(one, many)).as("threads=%d bit-identical", threads).isTrue();
    }
  }

  @Test
  void finish_inputOrder_changesAtMostLastBits() {
    TradeBook book = RandomPortfolio.generate(12, 1000);
    List<Invoice> shuffled = new ArrayList<>(book.invoices());
    Collections.shuffle(shuffled, new Random(4));
    FeatureAssertions.assertMatrixClose(
        "shuffled", run(book, book.invoices(), 2), run(book, shuffled, 2), 1e-12);
  }

  @Test
  void finish_callersExecutor_bitIdenticalAndLeftRunning() throws Exception {
    TradeBook book = RandomPortfolio.generate(13, 1500);
    List<Invoice> shuffled = new ArrayList<>(book.invoices());
    Collections.shuffle(shuffled, new Random(5));
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.Executor counting = task -> {
        tasks.incrementAndGet();
        callers.execute(task);
      };
      double[] one = run(book, shuffled, 1, null);
      double[] borrowed = run(book, shuffled, 3, counting);

      assertThat(java.util.Arrays.equals(one, borrowed)).as("bit-identical on the caller's executor").isTrue();
      assertThat(tasks.get()).as("tasks run on the caller's executor").isGreaterThanOrEqualTo(2);
      assertThat(callers.isShutdown()).as("close() leaves the caller's executor alone").isFalse();
      assertThat(callers.submit(() -> 1).get()).isEqualTo(1);
    } finally {
      callers.shutdownNow();
    }
  }

  static double[] run(TradeBook book, List<Invoice> invoices, int threads) {
    return run(book, invoices, threads, null);
  }

  static double[] run(TradeBook book, List<Invoice> invoices, int threads, java.util.concurrent.Executor executor) {
    Map<String, Integer> buyers = new HashMap<>();
    book.anchors().forEach(a -> buyers.put(a.id(), buyers.size()));
    Map<String, Integer> regions = new HashMap<>();
    REGIONS.forEach(r -> regions.put(r, regions.size()));
    Map<String, Integer> suppliers = new HashMap<>();
    book.suppliers().forEach(s -> suppliers.put(s.id(), suppliers.size()));
    SupplierTable table = RecordChunks.table(book.suppliers(), buyers, regions);
    FeatureEngine.Builder builder = FeatureEngine.builder(table).asOf(D).threads(threads);
    if (executor != null) {
      builder.executor(executor);
    }
    try (FeatureEngine engine = builder.build()) {
      RecordChunks.invoices(engine, invoices, events(book), suppliers, buyers);
      RecordChunks.loans(engine, book.loans(), suppliers);
      return engine.finish();
    }
  }
}

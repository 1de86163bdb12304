package io.chainscore.bench.features;

import io.chainscore.features.engine.InstalmentColumns;
import io.chainscore.features.engine.InvoiceColumns;
import io.chainscore.features.engine.SupplierTable;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic portfolio for benchmarks: every invoice is a pure function of (seed,
 * supplier, sequence number), so the same invoices can be produced clustered by supplier or in a
 * scattered order without holding a permutation, and streamed with no storage at all.
 *
 * <p>Shape: {@code perSupplier} invoices per supplier with issue dates spread over the 760 days
 * before D (25 30-day months) and 2% after D; terms 30-90 days; 25% unpaid, the rest paid up to 60
 * days beyond terms (some after D); 10% with returns; 80% of invoices to the supplier's own anchor
 * out of 50 anchors. Half of the suppliers have one loan of 6 monthly instalments.
 */
final class PortfolioGenerator {
  static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
  static final int ANCHORS = 50;
  static final int INSTALMENTS_PER_LOAN = 6;
  private static final int[] TERMS = {30, 45, 60, 90};

  final int suppliers;
  final int perSupplier;
  final long invoices;
  private final long seed;
  private final int d = (int) AS_OF.toEpochDay();
  /** Multiplier of the scattering bijection r -> (a*r + c) mod invoices. */
  private final long scatter;

  PortfolioGenerator(int suppliers, int perSupplier, long seed) {
    this.suppliers = suppliers;
    this.perSupplier = perSupplier;
    this.invoices = (long) suppliers * perSupplier;
    this.seed = seed;
    long a = 0x9E3779B97F4A7C15L % invoices;
    while (gcd(a, invoices) != 1) {
      a++;
    }
    this.scatter = a;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  SupplierTable table() {
    int[] anchor = new int[suppliers];
    int[] sector = new int[suppliers];
    int[] region = new int[suppliers];
    int[] registered = new int[suppliers];
    double[] turnover = new double[suppliers];
    for (int s = 0; s < suppliers; s++) {
      anchor[s] = s % ANCHORS;
      sector[s] = s % 15;
      region[s] = s % 30;
      registered[s] = d - 365 - (int) ((s * 7919L) % 8000);
      turnover[s] = s % 5 == 0 ? 0 : 100_000 + (s % 1000) * 5000.0;
    }
    return new SupplierTable(anchor, sector, region, registered, turnover, ANCHORS);
  }

  /**
   * Fills {@code chunk} with the invoices at positions {@code [from, from + chunk.capacity())} of
   * the chosen order and returns how many rows it wrote.
   */
  int fill(InvoiceColumns chunk, long from, boolean clustered) {
    int n = (int) Math.min(chunk.capacity(), invoices - from);
    for (int i = 0; i < n; i++) {
      long r = from + i;
      long id = clustered ? r : Math.floorMod(scatter * r + 12345L, invoices);
      int s = (int) (id / perSupplier);
      SplittableRandom rnd = new SplittableRandom(seed * 0x632BE59BD9B4E019L + id);
      int issue = rnd.nextInt(50) == 0 ? d + 1 + rnd.nextInt(30) : d - rnd.nextInt(760);
      int due = issue + TERMS[rnd.nextInt(TERMS.length)];
      int paid = rnd.nextInt(4) == 0 ? InvoiceColumns.UNPAID : issue + rnd.nextInt(due - issue + 60);
      double amount = Math.round((200 + rnd.nextDouble() * 20_000) * 100) / 100.0;
      double returned = rnd.nextInt(10) == 0 ? Math.round(amount * rnd.nextDouble() * 30) / 100.0 : 0;
      int buyer = rnd.nextInt(5) == 0 ? rnd.nextInt(ANCHORS) : s % ANCHORS;
      chunk.set(i, s, buyer, issue, due, paid, amount, returned, rnd.nextInt(10) != 0,
          rnd.nextInt(30) == 0, null);
    }
    chunk.setSize(n);
    return n;
  }

  /** Number of instalment rows: one loan of 6 instalments for every even supplier. */
  long instalments() {
    return (long) ((suppliers + 1) / 2) * INSTALMENTS_PER_LOAN;
  }

  /** Fills instalment rows {@code [from, from + capacity)}; loan {@code l} belongs to supplier 2l. */
  int fill(InstalmentColumns chunk, long from) {
    int n = (int) Math.min(chunk.capacity(), instalments() - from);
    for (int i = 0; i < n; i++) {
      long r = from + i;
      int loan = (int) (r / INSTALMENTS_PER_LOAN);
      int k = (int) (r % INSTALMENTS_PER_LOAN) + 1;
      SplittableRandom loanRnd = new SplittableRandom(seed ^ (0x5DEECE66DL * (loan + 1)));
      int drawdown = d - loanRnd.nextInt(300);
      double principal = Math.round((5_000 + loanRnd.nextDouble() * 100_000) * 100) / 100.0;
      SplittableRandom rnd = new SplittableRandom(seed * 31 + r);
      int due = drawdown + 30 * k;
      double amountDue = Math.round(principal / INSTALMENTS_PER_LOAN * 102) / 100.0;
      int repaid = InstalmentColumns.UNREPAID;
      double repaidAmount = 0;
      if (rnd.nextInt(10) < 8) {
        repaid = due + rnd.nextInt(40) - 3;
        repaidAmount = amountDue;
      }
      chunk.set(i, 2 * loan, loan, drawdown, principal, due, amountDue, repaid, repaidAmount);
    }
    chunk.setSize(n);
    return n;
  }
}

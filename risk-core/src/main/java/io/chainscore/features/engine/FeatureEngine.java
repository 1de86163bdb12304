package io.chainscore.features.engine;

import io.chainscore.features.StandardFeatures;

import io.chainscore.scoring.spi.BorrowedExecutor;
import io.chainscore.trade.TradeRecordException;
import io.chainscore.trade.TradeRules;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Computes {@link StandardFeatures} for a whole portfolio in one pass over chunks of invoices,
 * instalments and deliveries in any order, with memory bounded by the number of suppliers.
 * Invoices arrive with the credit notes and disputes known at D already joined on (see {@link
 * InvoiceEvents}).
 *
 * <p>Use: {@code builder(table).asOf(d).threads(2).build()}, then {@link #addInvoices}, {@link
 * #addInstalments} and {@link #addDeliveries} for every chunk (interleaved freely), then {@link #finish()} once; {@link
 * #close()} releases the worker threads. The result is a row-major matrix: supplier {@code s}'s
 * row is {@code [s * width, (s + 1) * width)} with {@code width = StandardFeatures.SCHEMA.size()}.
 *
 * <p>Determinism: each supplier belongs to one of {@code 2 * threads} groups (blocks of 64
 * consecutive suppliers are dealt to the groups in turn); for each chunk, the threads claim
 * groups from a shared counter (so a thread that gets more CPU does more of them), and each group
 * is accumulated by scanning the chunk and taking, in input order, the rows of its suppliers. So
 * each supplier's sums are formed in exactly the same order whatever the thread count, and the
 * output is bit-for-bit identical for any {@code threads} given the same input order. A
 * different input order may change sums in the last bits (floating-point addition is not
 * associative); it never changes counts, day-based features or NaN-ness.
 *
 * <p>Speed: with many suppliers the accumulators do not fit in cache; for scattered chunks each
 * group first loads the accumulator lines of its next 32 rows in a short loop (so that their
 * cache misses overlap), then accumulates the current 32.
 *
 * <p>Memory: about 900 bytes per supplier (accumulators and the output row) plus 32 bytes per
 * loan and buffers of one chunk's size; nothing grows with the number of invoices.
 *
 * <p>Bad rows: without a quarantine sink the first bad row (lowest input row of the chunk) fails
 * the call with a {@link TradeRecordException} naming the row and field, and the engine refuses
 * further calls (its accumulators may hold part of that chunk). With a sink, every bad row is
 * reported there as a {@link BadRecord}, in input order, and left out of the features.
 *
 * <p>Thread safety: not thread-safe; one thread feeds an engine. The engine itself runs its work
 * in {@code threads} parts: the calling thread's and {@code threads - 1} tasks on a pool it creates
 * (and stops in {@link #close()}) or on the caller's {@link Builder#executor executor}.
 */
public final class FeatureEngine implements AutoCloseable {
  static final int BLOCKS = 24;
  static final int DAYS_PER_MONTH = 30;
  static final double SETTLED_TOLERANCE = TradeRules.CENT_TOLERANCE;

  private final SupplierTable table;
  private final int asOf;
  private final int threads;
  private final Consumer<BadRecord> quarantine;
  private final ExecutorService pool;
  /** First supplier of each thread's range in {@link #finish()}. */
  private final int[] rangeStart;
  /** Suppliers {@code [k << ownerShift, (k + 1) << ownerShift)} form block k. */
  private final int ownerShift;
  /** Groups of suppliers: one for one thread, else two per thread so that threads can balance. */
  private final int groups;
  /** The group of each block's suppliers. */
  private final int[] blockOwner;
  /** Each thread's row numbers of its current group. */
  private final int[][] rowBuffers;

  /** Per-supplier invoice accumulators, indexed by dense supplier index. */
  final SupplierAccumulators acc;

  // Per-supplier instalment accumulators.
  final int[] maxDpd;
  final long[] sumDpd;
  final int[] countDpd;
  final int[] count30Dpd;

  // Per-loan accumulators, grown as loan indexes appear.
  private final int maxLoans;
  int[] loanSupplier = new int[0];
  int[] loanDrawdown = new int[0];
  double[] loanAmount = new double[0];
  double[] loanTotalDue = new double[0];
  double[] loanSettledDue = new double[0];

  private long invoiceRows;
  private long instalmentRows;
  private long deliveryRows;
  private boolean finished;
  /** Set when a bad row failed a call: the accumulators may hold part of that chunk. */
  private boolean failed;

  private FeatureEngine(Builder b) {
    this.table = b.table;
    this.asOf = (int) b.asOf.toEpochDay();
    int n = table.size();
    // Blocks of 64 suppliers: fine enough that a chunk clustered by supplier still spreads over
    // the threads, coarse enough that threads rarely write neighbouring accumulator lines. Small
    // portfolios get smaller blocks so that every group has some suppliers.
    this.threads = Math.max(1, Math.min(b.threads, n));
    groups = threads == 1 ? 1 : 2 * threads;
    int shift = 6;
    while (shift > 0 && (n >> shift) < 4 * groups) {
      shift--;
    }
    ownerShift = shift;
    int blocks = Math.max(1, (n + (1 << shift) - 1) >> shift);
    blockOwner = new int[blocks];
    for (int k = 0; k < blocks; k++) {
      blockOwner[k] = k % groups;
    }
    rowBuffers = new int[threads][0];
    this.quarantine = b.quarantine;
    this.pool = threads == 1 ? null : b.executor != null ? new BorrowedExecutor(b.executor)
        : Executors.newFixedThreadPool(threads - 1, r -> {
          Thread t = new Thread(r, "chainscore-features");
          t.setDaemon(true);
          return t;
        });
    rangeStart = new int[threads + 1];
    for (int t = 0; t <= threads; t++) {
      rangeStart[t] = (int) ((long) n * t / threads);
    }
    acc = new SupplierAccumulators(table);
    maxDpd = filled(n, -1);
    sumDpd = new long[n];
    countDpd = new int[n];
    count30Dpd = new int[n];
    maxLoans = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(1L << 20, 64L * n));
  }

  private static int[] filled(int n, int value) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, value);
    return a;
  }

  /** Starts a builder for a portfolio of the suppliers in {@code table}. */
  public static Builder builder(SupplierTable table) {
    return new Builder(table);
  }

  /** The as-of date D. */
  public LocalDate asOf() {
    return LocalDate.ofEpochDay(asOf);
  }

  /**
   * Accumulates a chunk of invoices; the chunk may be refilled once this returns.
   *
   * @throws TradeRecordException for the first bad row when no quarantine sink was given
   */
  public void addInvoices(InvoiceColumns chunk) {
    requireOpen();
    long firstRow = invoiceRows;
    invoiceRows += chunk.size();
    int rows = chunk.size();
    if (rowBuffers[0].length < rows) {
      for (int t = 0; t < threads; t++) {
        rowBuffers[t] = new int[rows];
      }
    }
    List<BadRecord> bad;
    AtomicInteger nextGroup = new AtomicInteger();
    if (threads == 1) {
      bad = new InvoicePass(this, chunk, firstRow, rowBuffers[0], nextGroup, groups).call();
    } else {
      List<Future<List<BadRecord>>> futures = new ArrayList<>(threads - 1);
      for (int t = 1; t < threads; t++) {
        futures.add(pool.submit(
            new InvoicePass(this, chunk, firstRow, rowBuffers[t], nextGroup, groups)));
      }
      bad = new InvoicePass(this, chunk, firstRow, rowBuffers[0], nextGroup, groups).call();
      for (Future<List<BadRecord>> f : futures) {
        List<BadRecord> more = join(f);
        if (!more.isEmpty()) {
          bad = new ArrayList<>(bad);
          bad.addAll(more);
        }
      }
    }
    if (bad.size() > 1) {
      bad = new ArrayList<>(bad);
      bad.sort((x, y) -> Long.compare(x.row(), y.row()));
    }
    report(bad);
  }

  /**
   * Accumulates a chunk of deliveries on the calling thread; the chunk may be refilled once this
   * returns. A delivery counts from its actual date on: in the 360 days ending on D, on time when
   * not after the promised date; a delivery after D is not known yet.
   *
   * @throws TradeRecordException for the first bad row when no quarantine sink was given
   */
  public void addDeliveries(DeliveryColumns chunk) {
    requireOpen();
    long firstRow = deliveryRows;
    deliveryRows += chunk.size();
    int n = table.size();
    int d = asOf;
    final int[] ints = acc.ints;
    for (int i = 0; i < chunk.size(); i++) {
      int s = chunk.supplier[i];
      int promised = chunk.promisedDay[i];
      int actual = chunk.actualDay[i];
      String field = null;
      String problem = null;
      if (s < 0 || s >= n) {
        field = TradeRules.SUPPLIER_ID;
        problem = s + " is not a known supplier index in [0, " + n + ")";
      } else if (!Days.isValid(promised)) {
        field = "promised_date";
        problem = Days.describe(promised) + " is outside " + Days.RANGE;
      } else if (!Days.isValid(actual)) {
        field = "actual_date";
        problem = Days.describe(actual) + " is outside " + Days.RANGE;
      }
      if (problem != null) {
        long row = firstRow + i;
        String id = chunk.invoiceId[i] != null ? chunk.invoiceId[i] : "row " + row;
        report(List.of(new BadRecord("delivery", row, id, field, problem)));
        continue;
      }
      if (actual > d || d - actual >= 12 * DAYS_PER_MONTH) {
        continue;
      }
      int in = SupplierAccumulators.intRecord(s);
      ints[in + SupplierAccumulators.DELIVERED_12]++;
      if (actual <= promised) {
        ints[in + SupplierAccumulators.ON_TIME_12]++;
      }
    }
  }

  /**
   * Accumulates a chunk of loan instalments; the chunk may be refilled once this returns.
   * Instalments are far fewer than invoices, so they are accumulated on the calling thread.
   *
   * @throws TradeRecordException for the first bad row when no quarantine sink was given
   */
  public void addInstalments(InstalmentColumns chunk) {
    requireOpen();
    long firstRow = instalmentRows;
    instalmentRows += chunk.size();
    int n = table.size();
    int d = asOf;
    for (int i = 0; i < chunk.size(); i++) {
      String problem = null;
      String field = null;
      int s = chunk.supplier[i];
      int l = chunk.loan[i];
      int drawdown = chunk.drawdownDay[i];
      double principal = chunk.loanAmount[i];
      int due = chunk.dueDay[i];
      double amountDue = chunk.amountDue[i];
      int repaid = chunk.repaidDay[i];
      double repaidAmount = chunk.amountRepaid[i];
      if (s < 0 || s >= n) {
        field = TradeRules.SUPPLIER_ID;
        problem = s + " is not a known supplier index in [0, " + n + ")";
      } else if (l < 0 || l >= maxLoans) {
        field = TradeRules.LOAN_ID;
        problem = l + " is not a loan index in [0, " + maxLoans + ")";
      } else if (!Days.isValid(drawdown)) {
        field = TradeRules.DRAWDOWN_DATE;
        problem = Days.describe(drawdown) + " is outside " + Days.RANGE;
      } else if (!(principal > 0 && principal <= TradeRules.MAX_AMOUNT)) {
        field = TradeRules.LOAN_AMOUNT;
        problem = principal + " must be a finite amount in (0, " + TradeRules.MAX_AMOUNT + "]";
      } else if (!Days.isValid(due)) {
        field = TradeRules.DUE_DATE;
        problem = Days.describe(due) + " is outside " + Days.RANGE;
      } else if (due <= drawdown) {
        field = TradeRules.DUE_DATE;
        problem = Days.describe(due) + " must be after the drawdown " + Days.describe(drawdown);
      } else if (!(amountDue > 0 && amountDue <= TradeRules.MAX_AMOUNT)) {
        field = TradeRules.AMOUNT_DUE;
        problem = amountDue + " must be a finite amount in (0, " + TradeRules.MAX_AMOUNT + "]";
      } else if (repaid != InstalmentColumns.UNREPAID && !Days.isValid(repaid)) {
        field = TradeRules.REPAID_DATE;
        problem = Days.describe(repaid) + " is outside " + Days.RANGE + " (use UNREPAID when not repaid)";
      } else if (repaid != InstalmentColumns.UNREPAID && repaid < drawdown) {
        field = TradeRules.REPAID_DATE;
        problem = Days.describe(repaid) + " is before the drawdown " + Days.describe(drawdown);
      } else if (!(repaidAmount >= 0 && repaidAmount <= amountDue + SETTLED_TOLERANCE)) {
        field = TradeRules.AMOUNT_REPAID;
        problem = repaidAmount + " must be a finite amount in [0, amountDue " + amountDue + "]";
      } else if (repaid == InstalmentColumns.UNREPAID && repaidAmount != 0) {
        field = TradeRules.AMOUNT_REPAID;
        problem = repaidAmount + " must be 0 when repaid_date is UNREPAID";
      } else {
        ensureLoan(l);
        if (loanSupplier[l] < 0) {
          loanSupplier[l] = s;
          loanDrawdown[l] = drawdown;
          loanAmount[l] = principal;
        } else if (loanSupplier[l] != s) {
          field = TradeRules.SUPPLIER_ID;
          problem = s + " differs from supplier " + loanSupplier[l] + " of earlier rows of loan " + l;
        } else if (loanDrawdown[l] != drawdown) {
          field = TradeRules.DRAWDOWN_DATE;
          problem = Days.describe(drawdown) + " differs from " + Days.describe(loanDrawdown[l])
              + " of earlier rows of loan " + l;
        } else if (loanAmount[l] != principal) {
          field = TradeRules.LOAN_AMOUNT;
          problem = principal + " differs from " + loanAmount[l] + " of earlier rows of loan " + l;
        }
      }
      if (problem != null) {
        BadRecord r = new BadRecord("instalment", firstRow + i, "row " + (firstRow + i), field, problem);
        if (quarantine == null) {
          failed = true;
          throw new TradeRecordException(r.table(), r.recordId() + " (loan " + l + ")", field, problem);
        }
        quarantine.accept(r);
        continue;
      }
      loanTotalDue[l] += amountDue;
      boolean settled = repaid != InstalmentColumns.UNREPAID
          && repaid <= d
          && repaidAmount >= amountDue - SETTLED_TOLERANCE;
      if (settled) {
        loanSettledDue[l] += amountDue;
      }
      if (due > d) {
        continue;
      }
      int dpd = due == d ? 0 : settled ? Math.max(0, repaid - due) : d - due;
      int age = d - due;
      if (age < 12 * DAYS_PER_MONTH || !settled) {
        if (dpd > maxDpd[s]) {
          maxDpd[s] = dpd;
        }
        sumDpd[s] += dpd;
        countDpd[s]++;
      }
      if (age < 24 * DAYS_PER_MONTH && dpd >= 30) {
        count30Dpd[s]++;
      }
    }
  }

  /**
   * Whether an instalment of loan index {@code loan} was accepted: a loan without one has no
   * schedule, so it is left out of {@code outstanding_financing} (its share repaid would be 0 / 0),
   * and the caller, which knows the loan's record, reports it ({@link
   * io.chainscore.trade.TradeRules#loanWithoutInstalments}).
   */
  public boolean hasInstalments(int loan) {
    return loan >= 0 && loan < loanSupplier.length && loanSupplier[loan] >= 0;
  }

  /**
   * Forgets every instalment accepted so far (the per-loan totals and the suppliers' days-past-due
   * statistics), as if none had been added, for a caller that feeds its instalments again: a
   * reader whose first pass found a loan's rows out of due-date order reads them again to refuse
   * the repeated ones (see {@code PortfolioFeatures}). Invoices and deliveries are kept.
   */
  public void forgetInstalments() {
    requireOpen();
    java.util.Arrays.fill(loanSupplier, -1);
    java.util.Arrays.fill(loanDrawdown, 0);
    java.util.Arrays.fill(loanAmount, 0);
    java.util.Arrays.fill(loanTotalDue, 0);
    java.util.Arrays.fill(loanSettledDue, 0);
    java.util.Arrays.fill(maxDpd, -1);
    java.util.Arrays.fill(sumDpd, 0);
    java.util.Arrays.fill(countDpd, 0);
    java.util.Arrays.fill(count30Dpd, 0);
    instalmentRows = 0;
  }

  /**
   * Sizes the per-loan state for loan indexes below {@code count} now (32 bytes a loan), instead of
   * doubling it as higher indexes arrive: a caller that knows how many loans its instalments name
   * saves the copies, during which the old and the new arrays both live (at ten million loans,
   * half a gigabyte). Indexes at or above {@code count} still grow it; a count above the engine's
   * loan limit is capped there.
   */
  public void reserveLoans(int count) {
    if (count > loanSupplier.length) {
      resizeLoans(Math.min(count, maxLoans));
    }
  }

  private void ensureLoan(int l) {
    if (l < loanSupplier.length) {
      return;
    }
    resizeLoans(Math.max(l + 1, Math.max(1024, (int) Math.min(maxLoans, loanSupplier.length * 2L))));
  }

  private void resizeLoans(int size) {
    int old = loanSupplier.length;
    loanSupplier = java.util.Arrays.copyOf(loanSupplier, size);
    java.util.Arrays.fill(loanSupplier, old, size, -1);
    loanDrawdown = java.util.Arrays.copyOf(loanDrawdown, size);
    loanAmount = java.util.Arrays.copyOf(loanAmount, size);
    loanTotalDue = java.util.Arrays.copyOf(loanTotalDue, size);
    loanSettledDue = java.util.Arrays.copyOf(loanSettledDue, size);
  }

  /**
   * Computes the features of every supplier; the engine accepts no more chunks afterwards.
   *
   * @return row-major matrix of {@code table.size() * StandardFeatures.SCHEMA.size()} values
   */
  public double[] finish() {
    requireOpen();
    finished = true;
    int n = table.size();
    int width = StandardFeatures.SCHEMA.size();
    double[] out = new double[n * width];
    double[] outstanding = new double[n];
    for (int l = 0; l < loanSupplier.length; l++) {
      int s = loanSupplier[l];
      if (s >= 0 && loanDrawdown[l] <= asOf) {
        outstanding[s] += loanAmount[l] * (1 - loanSettledDue[l] / loanTotalDue[l]);
      }
    }
    if (threads == 1) {
      new FeatureCalculator(this, table, outstanding, out, 0, n).run();
    } else {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 1; t < threads; t++) {
        futures.add(pool.submit(new FeatureCalculator(this, table, outstanding, out, rangeStart[t], rangeStart[t + 1])));
      }
      new FeatureCalculator(this, table, outstanding, out, 0, rangeStart[1]).run();
      for (Future<?> f : futures) {
        join(f);
      }
    }
    return out;
  }

  int ownerShift() {
    return ownerShift;
  }

  int[] blockOwner() {
    return blockOwner;
  }

  int asOfDay() {
    return asOf;
  }

  SupplierTable table() {
    return table;
  }

  private void report(List<BadRecord> bad) {
    for (BadRecord r : bad) {
      if (quarantine == null) {
        failed = true;
        throw new TradeRecordException(
            r.table(), r.recordId() + " (input row " + r.row() + ")", r.field(), r.reason());
      }
      quarantine.accept(r);
    }
  }

  private static <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while computing features", e);
    }
  }

  private void requireOpen() {
    if (failed) {
      throw new IllegalStateException(
          "feature engine: an earlier chunk had a bad row and was partly accumulated; start a new engine");
    }
    if (finished) {
      throw new IllegalStateException("feature engine: finish() was already called");
    }
  }

  /** Stops the worker threads; a caller's {@link Builder#executor executor} is left running. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** Options of a {@link FeatureEngine}; not thread-safe. */
  public static final class Builder {
    private final SupplierTable table;
    private LocalDate asOf;
    private int threads = 1;
    private Consumer<BadRecord> quarantine;
    private Executor executor;

    private Builder(SupplierTable table) {
      this.table = Objects.requireNonNull(table, "table");
    }

    /** The as-of date D (required). */
    public Builder asOf(LocalDate date) {
      this.asOf = Objects.requireNonNull(date, "asOf");
      return this;
    }

    /** Number of threads, 1 (the default) or more; results do not depend on it. */
    public Builder threads(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + count);
      }
      this.threads = count;
      return this;
    }

    /**
     * Runs the workers on {@code executor} instead of threads the engine creates (the default):
     * each parallel step submits {@code threads - 1} tasks to it and does one part on the calling
     * thread, so {@link #threads} still sets the split (results do not depend on either). {@link
     * FeatureEngine#close()} cancels the engine's unfinished tasks but never shuts the executor
     * down. The calling thread waits for the tasks, so it must not be the executor's only thread.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Reports bad rows to {@code sink} (called on the feeding thread, in input order) and skips
     * them, instead of failing on the first one.
     */
    public Builder quarantine(Consumer<BadRecord> sink) {
      this.quarantine = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** Creates the engine and its accumulators (memory proportional to the suppliers). */
    public FeatureEngine build() {
      if (asOf == null) {
        throw new IllegalStateException("feature engine: asOf(date) is required");
      }
      if (!Days.isValid((int) asOf.toEpochDay())) {
        throw new IllegalArgumentException("feature engine: asOf " + asOf + " is outside " + Days.RANGE);
      }
      return new FeatureEngine(this);
    }
  }
}

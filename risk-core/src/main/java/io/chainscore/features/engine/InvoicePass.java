package io.chainscore.features.engine;

import io.chainscore.trade.TradeRules;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validates and accumulates the rows of one invoice chunk, one supplier group at a time: groups
 * are claimed from a shared counter, so a thread that gets more CPU takes more groups. Supplier
 * {@code s} belongs to group {@code blockOwner[s >>> ownerShift]} of the engine; rows with an
 * unknown supplier index belong to group 0, which reports them. A group's rows are accumulated in
 * input order.
 */
final class InvoicePass implements Callable<List<BadRecord>> {
  private static final int MONTH = FeatureEngine.DAYS_PER_MONTH;
  private static final int BLOCKS = FeatureEngine.BLOCKS;
  /** Rows per prefetch batch: their accumulator lines (about 4 each) fit in L1 with room. */
  static final int TOUCH_BATCH = 32;

  private final FeatureEngine e;
  private final InvoiceColumns c;
  private final long firstRow;
  /** The current group's row numbers, filled by {@link #selectRows}. */
  private final int[] order;
  private final AtomicInteger nextGroup;
  private final int groups;
  private int group;
  /** Keeps the prefetching loads alive; never read. */
  long touchSink;
  /** Whether this chunk's rows are scattered enough to prefetch; set by {@link #selectRows}. */
  private boolean prefetch;

  InvoicePass(FeatureEngine engine, InvoiceColumns chunk, long firstRow, int[] rowBuffer,
      AtomicInteger nextGroup, int groups) {
    this.e = engine;
    this.c = chunk;
    this.firstRow = firstRow;
    this.order = rowBuffer;
    this.nextGroup = nextGroup;
    this.groups = groups;
  }

  /** Accumulates groups until none is left; returns their bad rows (not sorted). */
  @Override
  public List<BadRecord> call() {
    List<BadRecord> all = List.of();
    for (int g = nextGroup.getAndIncrement(); g < groups; g = nextGroup.getAndIncrement()) {
      group = g;
      List<BadRecord> bad = accumulateGroup();
      if (!bad.isEmpty()) {
        if (all.isEmpty()) {
          all = new ArrayList<>();
        }
        all.addAll(bad);
      }
    }
    return all;
  }

  /**
   * Writes the chunk's rows of the current group, in input order, to {@link #order}; returns how
   * many. Every group scans the whole supplier column: that costs a few cycles a row, while
   * splitting by supplier shrinks each thread's working set and needs no merge.
   */
  private int selectRows() {
    final int rows = c.size();
    final int[] rowList = order;
    final int[] supplier = c.supplier;
    int count = 0;
    int runs = 0;
    int previous = -1;
    if (groups == 1) {
      for (int i = 0; i < rows; i++) {
        int s = supplier[i];
        rowList[i] = i;
        runs += s != previous ? 1 : 0;
        previous = s;
      }
      count = rows;
    } else {
      final int n = e.table().size();
      final int[] blockOwner = e.blockOwner();
      final int shift = e.ownerShift();
      final int me = group;
      for (int i = 0; i < rows; i++) {
        int s = supplier[i];
        int owner = s >= 0 && s < n ? blockOwner[s >>> shift] : 0;
        rowList[count] = i;
        boolean mine = owner == me;
        runs += mine && s != previous ? 1 : 0;
        previous = mine ? s : previous;
        count += mine ? 1 : 0;
      }
    }
    // Rows clustered by supplier (runs of 4 or more on average) find their accumulators in cache
    // already; there the prefetch would only cost time.
    prefetch = runs > count / 4;
    return count;
  }

  private List<BadRecord> accumulateGroup() {
    List<BadRecord> bad = List.of();
    final int d = e.asOfDay();
    final int n = e.table().size();
    final int buyers = e.table().buyerCount();
    final int[] supplier = c.supplier;
    final int[] buyer = c.buyer;
    final int[] issueDay = c.issueDay;
    final int[] dueDay = c.dueDay;
    final int[] paidDay = c.paidDay;
    final double[] amount = c.amount;
    final double[] returnedAmount = c.returnedAmount;
    final boolean[] disputed = c.disputed;
    final SupplierAccumulators acc = e.acc;
    final double[] sums = acc.sums;
    final int[] ints = acc.ints;
    final int[] rows = order;
    final int from = 0;
    final int to = selectRows();
    // Rows go in batches; before a batch is accumulated, the next batch's accumulator lines are
    // loaded (a software prefetch by touching). The touch loop is short, so the CPU keeps many of
    // its cache misses in flight at once, instead of one or two in the long accumulating loop.
    final boolean touchAhead = prefetch;
    long touched = touchAhead ? touch(from, Math.min(from + TOUCH_BATCH, to)) : 0;
    for (int batch = from; batch < to; batch += TOUCH_BATCH) {
      int batchEnd = Math.min(batch + TOUCH_BATCH, to);
      if (touchAhead && batchEnd < to) {
        touched += touch(batchEnd, Math.min(batchEnd + TOUCH_BATCH, to));
      }
      for (int j = batch; j < batchEnd; j++) {
        int i = rows[j];
        int s = supplier[i];
        if (s < 0 || s >= n) {
          bad = add(bad, i, TradeRules.SUPPLIER_ID, s + " is not a known supplier index in [0, " + n + ")");
          continue;
        }
        int b = buyer[i];
        int issue = issueDay[i];
        int due = dueDay[i];
        int paid = paidDay[i];
        double amt = amount[i];
        double returned = returnedAmount[i];
        // Validation: one comparison chain for the common (valid) case.
        if (b < 0 || b >= buyers || !Days.isValid(issue) || !Days.isValid(due) || due < issue
            || (paid != InvoiceColumns.UNPAID && (!Days.isValid(paid) || paid < issue))
            || !(amt > 0 && amt <= TradeRules.MAX_AMOUNT)
            || !(returned >= 0 && returned <= amt + TradeRules.CENT_TOLERANCE)) {
          bad = add(bad, i, fieldOf(i, buyers), problemOf(i, buyers));
          continue;
        }
        if (issue > d) {
          continue;
        }
        int age = d - issue;
        int block = age / MONTH;
        int dbl = SupplierAccumulators.doubleRecord(s);
        int in = SupplierAccumulators.intRecord(s);
        if (block < BLOCKS) {
          int k = dbl + SupplierAccumulators.BLOCK + 2 * block;
          sums[k] += amt;
          sums[k + 1] += 1;
        }
        if (issue < ints[in + SupplierAccumulators.FIRST_ISSUE]) {
          ints[in + SupplierAccumulators.FIRST_ISSUE] = issue;
        }
        if (issue > ints[in + SupplierAccumulators.LAST_ISSUE]) {
          ints[in + SupplierAccumulators.LAST_ISSUE] = issue;
        }
        if (b == ints[in + SupplierAccumulators.ANCHOR]
            && issue < ints[in + SupplierAccumulators.FIRST_ANCHOR_ISSUE]) {
          ints[in + SupplierAccumulators.FIRST_ANCHOR_ISSUE] = issue;
        }
        if (block < 12) {
          sums[dbl + SupplierAccumulators.RETURNED_12] += returned;
          if (disputed[i]) {
            sums[dbl + SupplierAccumulators.DISPUTED_12] += amt;
          }
          acc.addToBuyer(s, b, amt);
        }
        if (paid == InvoiceColumns.UNPAID || paid > d) {
          double owed = Math.max(0.0, amt - returned);
          sums[dbl + SupplierAccumulators.OPEN] += owed;
          int beyond = d - due;
          if (beyond >= 1) {
            int bucket = beyond <= 30 ? 0 : beyond <= 60 ? 1 : beyond <= 90 ? 2 : 3;
            sums[dbl + SupplierAccumulators.OVERDUE + bucket] += owed;
          }
        } else if (d - paid < 12 * MONTH) {
          sums[dbl + SupplierAccumulators.BEYOND_TERMS_DAYS_12] += Math.max(0, paid - due);
          ints[in + SupplierAccumulators.PAID_12]++;
        }
      }
    }
    touchSink = touched;
    return bad;
  }

  /**
   * Loads the accumulator lines that rows {@code order[from .. to)} will update and returns a
   * value derived from them, so that the loads are not optimised away.
   */
  private long touch(int from, int to) {
    final int d = e.asOfDay();
    final int n = e.table().size();
    final int[] supplier = c.supplier;
    final int[] issueDay = c.issueDay;
    final double[] sums = e.acc.sums;
    final int[] ints = e.acc.ints;
    final int[] rows = order;
    long sink = 0;
    for (int j = from; j < to; j++) {
      int i = rows[j];
      int s = supplier[i];
      if (s < 0 || s >= n) {
        continue;
      }
      int in = SupplierAccumulators.intRecord(s);
      int dbl = SupplierAccumulators.doubleRecord(s);
      // Records are line-aligned (see SupplierAccumulators): one line of ints, the first line of
      // doubles, the invoice's block, and the buyer amounts for invoices of the last 12 months.
      sink += ints[in] + Double.doubleToRawLongBits(sums[dbl]);
      int age = d - issueDay[i];
      if (age >= 0 && age < BLOCKS * MONTH) {
        sink += Double.doubleToRawLongBits(sums[dbl + SupplierAccumulators.BLOCK + 2 * (age / MONTH)]);
        if (age < 12 * MONTH) {
          sink += Double.doubleToRawLongBits(sums[dbl + SupplierAccumulators.BUYER_AMOUNT]);
        }
      }
    }
    return sink;
  }

  private List<BadRecord> add(List<BadRecord> bad, int i, String field, String problem) {
    List<BadRecord> list = bad.isEmpty() ? new ArrayList<>() : bad;
    long row = firstRow + i;
    String id = c.invoiceId[i] != null ? c.invoiceId[i] : "row " + row;
    list.add(new BadRecord("invoice", row, id, field, problem));
    return list;
  }

  private String fieldOf(int i, int buyers) {
    return check(i, buyers, true);
  }

  private String problemOf(int i, int buyers) {
    return check(i, buyers, false);
  }

  /** Names the first bad field of row {@code i} (or describes it); rows are checked in field order. */
  private String check(int i, int buyers, boolean field) {
    int b = c.buyer[i];
    int issue = c.issueDay[i];
    int due = c.dueDay[i];
    int paid = c.paidDay[i];
    double amt = c.amount[i];
    double returned = c.returnedAmount[i];
    if (b < 0 || b >= buyers) {
      return field ? TradeRules.BUYER_ID : b + " is not a known buyer index in [0, " + buyers + ")";
    }
    if (!Days.isValid(issue)) {
      return field ? TradeRules.ISSUE_DATE : Days.describe(issue) + " is not a date in " + Days.RANGE;
    }
    if (!Days.isValid(due)) {
      return field ? TradeRules.DUE_DATE : Days.describe(due) + " is not a date in " + Days.RANGE;
    }
    if (due < issue) {
      return field ? TradeRules.DUE_DATE : Days.describe(due) + " is before the issue date " + Days.describe(issue);
    }
    if (paid != InvoiceColumns.UNPAID && !Days.isValid(paid)) {
      return field ? TradeRules.PAID_DATE : Days.describe(paid) + " is not a date in " + Days.RANGE + " nor UNPAID";
    }
    if (paid != InvoiceColumns.UNPAID && paid < issue) {
      return field ? TradeRules.PAID_DATE : Days.describe(paid) + " is before the issue date " + Days.describe(issue);
    }
    if (!(amt > 0 && amt <= TradeRules.MAX_AMOUNT)) {
      return field ? TradeRules.AMOUNT : amt + " must be a finite amount in (0, " + TradeRules.MAX_AMOUNT + "]";
    }
    return field
        ? TradeRules.RETURNED_AMOUNT
        : returned + " must be a finite amount in [0, amount " + amt + "]";
  }
}

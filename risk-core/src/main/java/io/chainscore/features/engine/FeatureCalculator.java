package io.chainscore.features.engine;

import static io.chainscore.features.StandardFeatures.*;

/** Turns the accumulators of suppliers {@code [from, to)} into feature rows. */
final class FeatureCalculator implements Runnable {
  private static final int[] WINDOWS = WINDOW_MONTHS.stream().mapToInt(Integer::intValue).toArray();

  private static final int BLOCKS = FeatureEngine.BLOCKS;
  private static final double MONTH = FeatureEngine.DAYS_PER_MONTH;

  private final FeatureEngine e;
  private final SupplierTable table;
  private final double[] outstanding;
  private final double[] out;
  private final int from;
  private final int to;

  FeatureCalculator(
      FeatureEngine engine, SupplierTable table, double[] outstanding, double[] out, int from, int to) {
    this.e = engine;
    this.table = table;
    this.outstanding = outstanding;
    this.out = out;
    this.from = from;
    this.to = to;
  }

  @Override
  public void run() {
    int width = SCHEMA.size();
    double[] amounts = new double[BLOCKS];
    int[] counts = new int[BLOCKS];
    for (int s = from; s < to; s++) {
      int base = SupplierAccumulators.doubleRecord(s) + SupplierAccumulators.BLOCK;
      for (int k = 0; k < BLOCKS; k++) {
        amounts[k] = e.acc.sums[base + 2 * k];
        counts[k] = (int) e.acc.sums[base + 2 * k + 1];
      }
      row(s, amounts, counts, out, s * width);
    }
  }

  private void row(int s, double[] a, int[] c, double[] r, int o) {
    final int d = e.asOfDay();
    final double nan = Double.NaN;
    final double[] sums = e.acc.sums;
    final int[] ints = e.acc.ints;
    final int dbl = SupplierAccumulators.doubleRecord(s);
    final int in = SupplierAccumulators.intRecord(s);
    int first = ints[in + SupplierAccumulators.FIRST_ISSUE];
    boolean any = first != Integer.MAX_VALUE;
    r[o + TENURE_MONTHS_ANY] = any ? (d - first) / MONTH : nan;
    int firstAnchor = ints[in + SupplierAccumulators.FIRST_ANCHOR_ISSUE];
    r[o + TENURE_MONTHS_ANCHOR] = firstAnchor != Integer.MAX_VALUE ? (d - firstAnchor) / MONTH : nan;
    if (any) {
      int active = 0;
      for (int k = 0; k < BLOCKS; k++) {
        if (c[k] > 0) {
          active++;
        }
      }
      int months = Math.min(BLOCKS, (d - first) / FeatureEngine.DAYS_PER_MONTH + 1);
      r[o + ACTIVE_MONTH_SHARE_24M] = (double) active / months;
      r[o + DAYS_SINCE_LAST_INVOICE] = d - ints[in + SupplierAccumulators.LAST_ISSUE];
    } else {
      r[o + ACTIVE_MONTH_SHARE_24M] = nan;
      r[o + DAYS_SINCE_LAST_INVOICE] = nan;
    }
    double amount3 = 0;
    for (int w = 0; w < WINDOWS.length; w++) {
      double sum = 0;
      int count = 0;
      for (int k = 0; k < WINDOWS[w]; k++) {
        sum += a[k];
        count += c[k];
      }
      if (w == 0) {
        amount3 = sum;
      }
      r[o + INVOICED_AMOUNT + w] = sum;
      r[o + INVOICE_COUNT + w] = count;
    }
    double amount12 = r[o + INVOICED_AMOUNT + 2];
    int count12 = (int) r[o + INVOICE_COUNT + 2];
    r[o + GROWTH_3M_YOY] = growth(a, 0, 12, 3);
    r[o + GROWTH_6M_VS_PRIOR_6M] = growth(a, 0, 6, 6);
    double mean = amount12 / 12;
    if (mean > 0) {
      double squares = 0;
      for (int k = 0; k < 12; k++) {
        double dev = a[k] - mean;
        squares += dev * dev;
      }
      r[o + MONTHLY_AMOUNT_CV_12M] = Math.sqrt(squares / 12) / mean;
    } else {
      r[o + MONTHLY_AMOUNT_CV_12M] = nan;
    }
    int empty = 0;
    for (int k = 0; k < 12; k++) {
      if (c[k] == 0) {
        empty++;
      }
    }
    r[o + MONTHS_WITHOUT_INVOICES_12M] = empty;
    double drop = nan;
    for (int k = 0; k < 11; k++) {
      double earlier = a[k + 1];
      if (earlier > 0) {
        double fall = Math.max(0.0, (earlier - a[k]) / earlier);
        drop = Double.isNaN(drop) ? fall : Math.max(drop, fall);
      }
    }
    r[o + MAX_MONTH_DROP_12M] = drop;

    int buyers = ints[in + SupplierAccumulators.BUYERS];
    r[o + BUYER_COUNT_12M] = buyers;
    double total = 0;
    double top = 0;
    for (int j = 0; j < buyers; j++) {
      double x = e.acc.buyerAmount(s, j);
      total += x;
      top = Math.max(top, x);
    }
    if (total > 0) {
      double hhi = 0;
      for (int j = 0; j < buyers; j++) {
        double share = e.acc.buyerAmount(s, j) / total;
        hhi += share * share;
      }
      r[o + TOP_BUYER_SHARE_12M] = top / total;
      r[o + BUYER_HHI_12M] = hhi;
    } else {
      r[o + TOP_BUYER_SHARE_12M] = nan;
      r[o + BUYER_HHI_12M] = nan;
    }
    int delivered12 = ints[in + SupplierAccumulators.DELIVERED_12];
    r[o + ON_TIME_DELIVERY_RATE_12M] =
        delivered12 > 0 ? (double) ints[in + SupplierAccumulators.ON_TIME_12] / delivered12 : nan;
    r[o + DILUTION_RATE_12M] = amount12 > 0 ? sums[dbl + SupplierAccumulators.RETURNED_12] / amount12 : nan;
    r[o + DISPUTED_SHARE_12M] = amount12 > 0 ? sums[dbl + SupplierAccumulators.DISPUTED_12] / amount12 : nan;
    double open = sums[dbl + SupplierAccumulators.OPEN];
    r[o + OPEN_RECEIVABLES] = open;
    r[o + DAYS_SALES_OUTSTANDING] = amount3 > 0 ? open / amount3 * 90 : nan;
    for (int bucket = 0; bucket < 4; bucket++) {
      r[o + OVERDUE_SHARE + bucket] = open > 0 ? sums[dbl + SupplierAccumulators.OVERDUE + bucket] / open : nan;
    }
    int paid = ints[in + SupplierAccumulators.PAID_12];
    r[o + AVG_DAYS_PAID_BEYOND_TERMS_12M] = paid > 0 ? sums[dbl + SupplierAccumulators.BEYOND_TERMS_DAYS_12] / paid : nan;
    double financed = outstanding[s];
    r[o + OUTSTANDING_FINANCING] = financed;
    r[o + FINANCING_UTILISATION] = open > 0 ? financed / open : nan;
    int dpdCount = e.countDpd[s];
    r[o + MAX_DAYS_PAST_DUE_12M] = dpdCount > 0 ? e.maxDpd[s] : nan;
    r[o + AVG_DAYS_PAST_DUE_12M] = dpdCount > 0 ? (double) e.sumDpd[s] / dpdCount : nan;
    r[o + INSTALMENTS_30DPD_COUNT_24M] = e.count30Dpd[s];
    r[o + SECTOR] = table.sector(s);
    int region = table.region(s);
    r[o + REGION_INDEX] = region >= 0 ? region : nan;
    int registered = table.registrationDay(s);
    r[o + FIRM_AGE_YEARS] = registered <= d ? (d - registered) / 365.25 : nan;
    double turnover = table.turnover(s);
    r[o + DECLARED_TURNOVER] = turnover > 0 ? turnover : nan;
  }

  /** Amount of months {@code [recent, recent+len)} over months {@code [base, base+len)}, minus 1. */
  private static double growth(double[] a, int recent, int base, int len) {
    double now = 0;
    double before = 0;
    for (int k = 0; k < len; k++) {
      now += a[recent + k];
      before += a[base + k];
    }
    return before > 0 ? now / before - 1 : Double.NaN;
  }
}

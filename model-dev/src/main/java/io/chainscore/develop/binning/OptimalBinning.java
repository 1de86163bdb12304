package io.chainscore.develop.binning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fits a {@link BinningTable} to one characteristic and a 0/1 target (1 = event, "bad"):
 * pre-binning, then the IV-maximising merge of adjacent pre-bins under the configured
 * constraints.
 *
 * <p>Numeric: NaN goes to the missing bin and the configured special codes to the special bin;
 * the other values are pre-binned ({@link PreBinning}), pre-bins without events or without
 * non-events are merged into their right neighbour (the last into its left one), as optbinning
 * does, and the remaining pre-bins are merged optimally. Categorical: null is missing,
 * categories below the rare share go to the "other" bin, the rest are ordered by event rate
 * (ties by name) and merged the same way. The optimum is exact (see {@code OptimalMerge}); if no
 * partition satisfies the constraints, the result is a single regular bin.
 *
 * <pre>{@code
 * OptimalBinning binning = OptimalBinning.builder()
 *     .trend(MonotonicTrend.AUTO).minBinShare(0.05).maxBins(8).build();
 * BinningTable table = binning.fit(values, labels);
 * double woe = table.woe(12.5);
 * }</pre>
 *
 * <p>Thread safety: immutable; {@code fit} methods may run concurrently. Results are
 * deterministic and independent of the thread count of {@link #fitColumns}.
 */
public final class OptimalBinning {
  /** Impurity criterion of CART pre-binning. */
  public enum SplitCriterion {
    /** Gini impurity {@code 1 - p^2 - (1-p)^2} (scikit-learn's default). */
    GINI,
    /** Shannon entropy in bits. */
    ENTROPY
  }

  private final PreBinning preBinning;
  private final int maxPreBins;
  private final double minPreBinShare;
  private final SplitCriterion criterion;
  private final MonotonicTrend trend;
  private final double minBinShare;
  private final int maxBins;
  private final long minEventCount;
  private final long minNonEventCount;
  private final double minEventRateDiff;
  private final double[] specialValues;
  private final double[] userSplits;
  private final boolean optimize;
  private final double rareCategoryShare;

  private OptimalBinning(Builder b) {
    this.preBinning = b.preBinning;
    this.maxPreBins = b.maxPreBins;
    this.minPreBinShare = b.minPreBinShare;
    this.criterion = b.criterion;
    this.trend = b.trend;
    this.minBinShare = b.minBinShare;
    this.maxBins = b.maxBins;
    this.minEventCount = b.minEventCount;
    this.minNonEventCount = b.minNonEventCount;
    this.minEventRateDiff = b.minEventRateDiff;
    this.specialValues = b.specialValues.clone();
    this.userSplits = b.userSplits == null ? null : b.userSplits.clone();
    this.optimize = b.optimize;
    this.rareCategoryShare = b.rareCategoryShare;
  }

  /** A builder with optbinning-like defaults: CART, 20 pre-bins of >= 5 %, trend AUTO. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Bins a numeric characteristic.
   *
   * @param values the characteristic; NaN is missing
   * @param labels 0/1 per value, 1 = event
   * @throws IllegalArgumentException when lengths differ or a label is not 0/1
   */
  public BinningTable fit(double[] values, int[] labels) {
    return fit(values, labels, null);
  }

  /**
   * Bins a numeric characteristic with sample weights: every count (pre-bin leaves, bin sizes,
   * events, non-events, the WoE and IV shares) is a sum of weights, so integer weights give the
   * table of the sample with each row repeated that many times. A row of weight 0 is left out.
   *
   * @param values the characteristic; NaN is missing
   * @param labels 0/1 per value, 1 = event
   * @param weights a finite weight {@code >= 0} per value, or null for weight 1 each
   * @throws IllegalArgumentException when lengths differ, a label is not 0/1 or a weight is
   *     negative or not finite
   */
  public BinningTable fit(double[] values, int[] labels, double[] weights) {
    checkLabels(values.length, labels);
    checkWeights(values.length, weights);
    int n = values.length;
    double[] ev = new double[n];
    double[] nev = new double[n];
    int ec = 0;
    int nc = 0;
    double missE = 0;
    double missN = 0;
    double specE = 0;
    double specN = 0;
    double[] clean = weights == null ? null : new double[n];
    double[] cleanW = weights == null ? null : new double[n];
    int[] cleanY = weights == null ? null : new int[n];
    int cc = 0;
    double cleanE = 0;
    double cleanN = 0;
    for (int i = 0; i < n; i++) {
      double x = values[i];
      boolean event = labels[i] == 1;
      double w = weights == null ? 1 : weights[i];
      if (w == 0) {
        continue;
      }
      if (Double.isNaN(x)) {
        if (event) {
          missE += w;
        } else {
          missN += w;
        }
      } else if (specialValues.length > 0 && Arrays.binarySearch(specialValues, x) >= 0) {
        if (event) {
          specE += w;
        } else {
          specN += w;
        }
      } else if (weights != null) {
        clean[cc] = x;
        cleanW[cc] = w;
        cleanY[cc++] = labels[i];
        if (event) {
          cleanE += w;
        } else {
          cleanN += w;
        }
      } else if (event) {
        ev[ec++] = x;
      } else {
        nev[nc++] = x;
      }
    }
    Distinct distinct;
    if (weights == null) {
      distinct = Distinct.sortAndAggregate(ev, ec, nev, nc);
      cleanE = ec;
      cleanN = nc;
    } else {
      distinct = Distinct.weighted(clean, cleanY, cleanW, cc);
    }
    return fitDistinct(distinct, cleanE, cleanN, missE, missN, specE, specN);
  }

  private BinningTable fitDistinct(Distinct distinct, double ec, double nc, double missE, double missN, double specE,
      double specN) {
    double totalE = ec + missE + specE;
    double totalN = nc + missN + specN;
    double[] splits;
    MonotonicTrend resolved = trend;
    if (userSplits != null) {
      splits = userSplits;
    } else {
      double[] pre = optimize ? PreBinSplits.refinePure(distinct, preSplits(distinct)) : preSplits(distinct);
      if (optimize && pre.length > 0) {
        double[][] counts = distinct.countBins(pre);
        OptimalMerge.Constraints c = constraints(ec + nc);
        int[] cuts;
        if (trend == MonotonicTrend.AUTO) {
          int[] asc = OptimalMerge.solve(counts[0], counts[1], totalE, totalN, c,
              MonotonicTrend.ASCENDING);
          int[] desc = OptimalMerge.solve(counts[0], counts[1], totalE, totalN, c,
              MonotonicTrend.DESCENDING);
          double ivAsc = asc == null ? Double.NEGATIVE_INFINITY : OptimalMerge.partitionIv(counts, asc, totalE, totalN);
          double ivDesc =
              desc == null ? Double.NEGATIVE_INFINITY : OptimalMerge.partitionIv(counts, desc, totalE, totalN);
          boolean useDesc = ivDesc > ivAsc;
          cuts = useDesc ? desc : asc;
          resolved = useDesc ? MonotonicTrend.DESCENDING : MonotonicTrend.ASCENDING;
        } else {
          cuts = OptimalMerge.solve(counts[0], counts[1], totalE, totalN, c, trend);
        }
        if (cuts == null) {
          cuts = new int[0];
        }
        splits = new double[cuts.length];
        for (int k = 0; k < cuts.length; k++) {
          splits[k] = pre[cuts[k] - 1];
        }
      } else {
        splits = pre;
      }
    }
    double[][] bins = distinct.countBins(splits);
    int r = splits.length + 1;
    double[] e = Arrays.copyOf(bins[0], r + 2);
    double[] ne = Arrays.copyOf(bins[1], r + 2);
    e[r] = specE;
    ne[r] = specN;
    e[r + 1] = missE;
    ne[r + 1] = missN;
    return BinningTable.numeric(splits, specialValues, e, ne, resolved);
  }

  /**
   * Bins each column independently on a pool of {@code threads} threads; results are in column
   * order and identical for any thread count.
   *
   * @throws IllegalArgumentException when {@code threads < 1} or a column is invalid
   */
  public List<BinningTable> fitColumns(double[][] columns, int[] labels, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected >= 1, got " + threads);
    }
    List<BinningTable> out = new ArrayList<>(columns.length);
    if (threads == 1) {
      for (double[] column : columns) {
        out.add(fit(column, labels));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<BinningTable>> futures = new ArrayList<>(columns.length);
      for (double[] column : columns) {
        futures.add(pool.submit(() -> fit(column, labels)));
      }
      for (Future<BinningTable> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("binning interrupted", ex);
    } catch (ExecutionException ex) {
      if (ex.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(ex.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Bins a categorical characteristic.
   *
   * @param categories the characteristic; null is missing
   * @param labels 0/1 per value, 1 = event
   * @throws IllegalArgumentException when lengths differ or a label is not 0/1
   */
  public BinningTable fitCategorical(String[] categories, int[] labels) {
    return fitCategorical(categories, labels, null);
  }

  /**
   * Bins a categorical characteristic with sample weights (see {@link #fit(double[], int[],
   * double[])}): a category's share, event rate and counts are sums of weights; a row of weight 0
   * is left out.
   *
   * @param weights a finite weight {@code >= 0} per value, or null for weight 1 each
   * @throws IllegalArgumentException when lengths differ, a label is not 0/1 or a weight is
   *     negative or not finite
   */
  public BinningTable fitCategorical(String[] categories, int[] labels, double[] weights) {
    checkLabels(categories.length, labels);
    checkWeights(categories.length, weights);
    Map<String, double[]> counts = new HashMap<>();
    double missE = 0;
    double missN = 0;
    double clean = 0;
    double totalE = 0;
    double totalN = 0;
    for (int i = 0; i < categories.length; i++) {
      double w = weights == null ? 1 : weights[i];
      if (w == 0) {
        continue;
      }
      double y = labels[i] * w;
      double notY = (1 - labels[i]) * w;
      totalE += y;
      totalN += notY;
      if (categories[i] == null) {
        missE += y;
        missN += notY;
        continue;
      }
      double[] c = counts.computeIfAbsent(categories[i], k -> new double[2]);
      c[0] += y;
      c[1] += notY;
      clean += w;
    }
    double otherE = 0;
    double otherN = 0;
    List<String> kept = new ArrayList<>();
    for (Map.Entry<String, double[]> en : counts.entrySet()) {
      double[] c = en.getValue();
      if ((double) (c[0] + c[1]) < rareCategoryShare * clean) {
        otherE += c[0];
        otherN += c[1];
      } else {
        kept.add(en.getKey());
      }
    }
    kept.sort(
        Comparator.<String>comparingDouble(
                k -> (double) counts.get(k)[0] / (counts.get(k)[0] + counts.get(k)[1]))
            .thenComparing(Comparator.naturalOrder()));
    int m = kept.size();
    double[] pe = new double[m];
    double[] pn = new double[m];
    for (int i = 0; i < m; i++) {
      pe[i] = counts.get(kept.get(i))[0];
      pn[i] = counts.get(kept.get(i))[1];
    }
    // group starts over the ordered categories
    int[] starts = new int[] {};
    MonotonicTrend resolved = trend;
    if (optimize && m > 1) {
      int[] pure = PreBinSplits.pureRefinedStarts(pe, pn);
      double[][] pre = PreBinSplits.mergeBy(pe, pn, pure);
      OptimalMerge.Constraints c = constraints(clean);
      MonotonicTrend t = trend == MonotonicTrend.AUTO ? MonotonicTrend.ASCENDING : trend;
      resolved = t;
      int[] cuts = OptimalMerge.solve(pre[0], pre[1], totalE, totalN, c, t);
      if (cuts == null) {
        cuts = new int[0];
      }
      starts = new int[cuts.length];
      for (int k = 0; k < cuts.length; k++) {
        starts[k] = pure[cuts[k] - 1];
      }
    } else if (m > 1) {
      starts = new int[m - 1];
      for (int k = 0; k < m - 1; k++) {
        starts[k] = k + 1;
      }
    }
    List<List<String>> groups = new ArrayList<>();
    int g = starts.length + (m > 0 ? 1 : 0);
    double[] e = new double[g + 2];
    double[] ne = new double[g + 2];
    int from = 0;
    for (int k = 0; k < g; k++) {
      int to = k < starts.length ? starts[k] : m;
      groups.add(new ArrayList<>(kept.subList(from, to)));
      for (int i = from; i < to; i++) {
        e[k] += pe[i];
        ne[k] += pn[i];
      }
      from = to;
    }
    e[g] = otherE;
    ne[g] = otherN;
    e[g + 1] = missE;
    ne[g + 1] = missN;
    return BinningTable.categorical(groups, e, ne, resolved);
  }

  /**
   * Counts a categorical characteristic into the given category groups (manual classing), without
   * any optimisation: the groups are the regular bins in the order given, categories in no group
   * go to the "other" bin, null to the missing bin; the table records this builder's trend.
   *
   * @param groups disjoint, non-empty category groups
   * @param weights a finite weight {@code >= 0} per value, or null for weight 1 each
   * @throws IllegalArgumentException when lengths differ, a label is not 0/1, a weight is bad, or
   *     a group is empty or shares a category with another
   */
  public BinningTable countGroups(String[] categories, int[] labels, double[] weights, List<List<String>> groups) {
    checkLabels(categories.length, labels);
    checkWeights(categories.length, weights);
    Map<String, Integer> groupOf = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      if (groups.get(g).isEmpty()) {
        throw new IllegalArgumentException("group " + (g + 1) + " is empty");
      }
      for (String c : groups.get(g)) {
        Integer before = groupOf.put(c, g);
        if (before != null) {
          throw new IllegalArgumentException("category '" + c + "' is in group " + (before + 1) + " and group " + (g + 1));
        }
      }
    }
    int m = groups.size();
    double[] e = new double[m + 2];
    double[] ne = new double[m + 2];
    for (int i = 0; i < categories.length; i++) {
      double w = weights == null ? 1 : weights[i];
      if (w == 0) {
        continue;
      }
      Integer g = categories[i] == null ? Integer.valueOf(m + 1) : groupOf.getOrDefault(categories[i], m);
      if (labels[i] == 1) {
        e[g] += w;
      } else {
        ne[g] += w;
      }
    }
    return BinningTable.categorical(groups, e, ne, trend);
  }

  private OptimalMerge.Constraints constraints(double cleanCount) {
    double minCount = Math.ceil(minBinShare * cleanCount);
    return new OptimalMerge.Constraints(
        minCount, minEventCount, minNonEventCount, maxBins, minEventRateDiff);
  }

  private double[] preSplits(Distinct d) {
    return PreBinSplits.of(d, preBinning, maxPreBins, minPreBinShare, criterion == SplitCriterion.ENTROPY);
  }

  private static void checkWeights(int n, double[] weights) {
    if (weights == null) {
      return;
    }
    if (weights.length != n) {
      throw new IllegalArgumentException("binning: values and weights differ in length: " + n + " vs " + weights.length);
    }
    for (int i = 0; i < n; i++) {
      if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
        throw new IllegalArgumentException("binning: weights[" + i + "] expected a finite number >= 0, got " + weights[i]);
      }
    }
  }

  private static void checkLabels(int n, int[] labels) {
    if (labels.length != n) {
      throw new IllegalArgumentException(
          "binning: values and labels differ in length: " + n + " vs " + labels.length);
    }
    for (int i = 0; i < n; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(
            "binning: labels[" + i + "] expected 0 or 1, got " + labels[i]);
      }
    }
  }

  /**
   * Options of {@link OptimalBinning}.
   *
   * <p>Thread safety: not thread-safe; use from one thread, then {@link #build()}.
   */
  public static final class Builder {
    private PreBinning preBinning = PreBinning.CART;
    private int maxPreBins = 20;
    private double minPreBinShare = 0.05;
    private SplitCriterion criterion = SplitCriterion.GINI;
    private MonotonicTrend trend = MonotonicTrend.AUTO;
    private double minBinShare = 0;
    private int maxBins = 0;
    private long minEventCount = 1;
    private long minNonEventCount = 1;
    private double minEventRateDiff = 0;
    private double[] specialValues = new double[0];
    private double[] userSplits;
    private boolean optimize = true;
    private double rareCategoryShare = 0;

    private Builder() {}

    /** Pre-binning method (default CART). */
    public Builder preBinning(PreBinning method) {
      this.preBinning = java.util.Objects.requireNonNull(method, "preBinning");
      return this;
    }

    /** Maximum number of pre-bins, 2..200 (default 20). */
    public Builder maxPreBins(int maxPreBins) {
      if (maxPreBins < 2 || maxPreBins > 200) {
        throw new IllegalArgumentException("maxPreBins: expected 2..200, got " + maxPreBins);
      }
      this.maxPreBins = maxPreBins;
      return this;
    }

    /** Minimum share of observations in a CART pre-bin leaf, in (0, 0.5] (default 0.05). */
    public Builder minPreBinShare(double share) {
      if (!(share > 0 && share <= 0.5)) {
        throw new IllegalArgumentException("minPreBinShare: expected (0, 0.5], got " + share);
      }
      this.minPreBinShare = share;
      return this;
    }

    /** CART impurity criterion (default GINI). */
    public Builder splitCriterion(SplitCriterion criterion) {
      this.criterion = java.util.Objects.requireNonNull(criterion, "criterion");
      return this;
    }

    /** Event-rate trend of the bins (default AUTO). */
    public Builder trend(MonotonicTrend trend) {
      this.trend = java.util.Objects.requireNonNull(trend, "trend");
      return this;
    }

    /** Minimum share of the non-missing, non-special observations per bin, [0, 0.5] (default 0). */
    public Builder minBinShare(double share) {
      if (!(share >= 0 && share <= 0.5)) {
        throw new IllegalArgumentException("minBinShare: expected [0, 0.5], got " + share);
      }
      this.minBinShare = share;
      return this;
    }

    /** Maximum number of regular bins; 0 means no limit (default). */
    public Builder maxBins(int maxBins) {
      if (maxBins < 0) {
        throw new IllegalArgumentException("maxBins: expected >= 0, got " + maxBins);
      }
      this.maxBins = maxBins;
      return this;
    }

    /** Minimum events per regular bin (default 1, so every WoE is finite). */
    public Builder minEventCount(long count) {
      if (count < 0) {
        throw new IllegalArgumentException("minEventCount: expected >= 0, got " + count);
      }
      this.minEventCount = count;
      return this;
    }

    /** Minimum non-events per regular bin (default 1). */
    public Builder minNonEventCount(long count) {
      if (count < 0) {
        throw new IllegalArgumentException("minNonEventCount: expected >= 0, got " + count);
      }
      this.minNonEventCount = count;
      return this;
    }

    /** Minimum event-rate step between consecutive monotone bins (default 0). */
    public Builder minEventRateDiff(double diff) {
      if (!(diff >= 0 && diff < 1)) {
        throw new IllegalArgumentException("minEventRateDiff: expected [0, 1), got " + diff);
      }
      this.minEventRateDiff = diff;
      return this;
    }

    /** Numeric codes that mean "special" (e.g. -999); they share one special bin. */
    public Builder specialValues(double... codes) {
      double[] s = codes.clone();
      for (double c : s) {
        if (Double.isNaN(c)) {
          throw new IllegalArgumentException("specialValues: NaN is always the missing bin");
        }
      }
      Arrays.sort(s);
      this.specialValues = s;
      return this;
    }

    /**
     * Fixed split points (strictly increasing): bins {@code [s_{i-1}, s_i)} are taken as given,
     * without pre-binning or optimisation. Null clears them.
     */
    public Builder userSplits(double... splits) {
      if (splits != null) {
        for (int i = 0; i < splits.length; i++) {
          if (Double.isNaN(splits[i]) || (i > 0 && !(splits[i] > splits[i - 1]))) {
            throw new IllegalArgumentException(
                "userSplits: expected strictly increasing numbers, got " + Arrays.toString(splits));
          }
        }
      }
      this.userSplits = splits == null ? null : splits.clone();
      return this;
    }

    /**
     * Whether pre-bins are merged optimally (default true). False keeps every pre-bin (every
     * category) as a bin, without the pure-bin refinement: with {@link PreBinning#DISTINCT} this
     * gives R {@code scorecard::iv()}'s raw-value IV.
     */
    public Builder optimize(boolean optimize) {
      this.optimize = optimize;
      return this;
    }

    /** Categories with a smaller share of non-missing rows go to the "other" bin (default 0). */
    public Builder rareCategoryShare(double share) {
      if (!(share >= 0 && share < 1)) {
        throw new IllegalArgumentException("rareCategoryShare: expected [0, 1), got " + share);
      }
      this.rareCategoryShare = share;
      return this;
    }

    /** The configured binning. */
    public OptimalBinning build() {
      return new OptimalBinning(this);
    }
  }
}

package io.chainscore.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scorecard's batch points, column by column over a block of rows, with the feature policies
 * folded into the bin lookup: a row the policies would change or refuse gets NaN points, and the
 * caller scores it again through the policies.
 *
 * <p>A numeric characteristic without special values is "guided": its cuts are its interval edges
 * plus the valid range's limits ({@code min} and the double after {@code max}), so every region
 * between consecutive cuts has one interval value and is wholly valid or wholly invalid (value
 * NaN). A monotone bucket function with at most one cut per bucket then gives a value's points
 * from the characteristic's table, which holds per bucket k its cut at {@code 4k} and the points
 * below and at or above it at {@code 4k + 1} and {@code 4k + 2}: {@code table[4k + 1 + (x >=
 * table[4k])]}. A table's length is a power of two and every index is masked with {@code length -
 * 1}, which lets C2 drop the range checks. Exactness needs only the monotonicity: cuts in lower
 * buckets are below x, cuts in higher ones above it.
 *
 * <p>Two bucket functions, tried in this order for 8 to {@link #MAX_BUCKETS} buckets:
 * <ul>
 *   <li>by value (see {@link #valueGuide}): {@code (int) fma(x, scale, offset)}, uniform over the
 *       cuts' range, which puts the cuts in buckets 1 to {@code buckets - 1}. Java's conversion
 *       sends NaN to 0, and bucket 0's cut is minus infinity, so NaN alone reads its "below" slot
 *       (the missing value); a bucket number outside 0 to {@code buckets}, taken as unsigned, is
 *       clamped to one outside bucket, whose values lie either below the first cut or above the
 *       last and are told apart by the last cut. A value costs one fused multiply-add, a
 *       conversion, one unsigned clamp, two loads and a compare, with no NaN test;
 *   <li>by bits (edges spread over many magnitudes): over the cuts' ordered bit patterns, clamped
 *       at both ends, with NaN sent by an explicit test to a last pseudo-bucket whose cut is NaN.
 * </ul>
 * In both, the missing value in the table is the missing bin's points when the policy passes NaN
 * on, else NaN.
 *
 * <p>Other characteristics use the scorecard's own padded or general lookups, and the policies of
 * columns that no guided characteristic covers are checked column by column. Points are summed in
 * {@link ScorecardModel#summationOrder()}, so a block's points are bit-identical to the row path's.
 *
 * <p>Reason codes are ranked one of two ways. In general from per-code totals ({@link
 * ReasonRanker}), whose top-four insertion is a chain of data-dependent branches that distinct rows
 * mispredict (about 130 of 215 ns per row of 20 characteristics). Or ranked ahead ({@link Ranks}):
 * a code's total for a row is a function of the values its characteristics give the row, and a
 * characteristic gives few values (one per bin), so every code's possible totals are ranked once,
 * at build time, by total (largest first) and code (lowest first), the ranker's own order; a row
 * sets one bit per code at its total's rank, and its reason codes are its lowest set bits, taken
 * without a comparison ({@link #topCodes}). A guided characteristic's value index comes with its
 * table slot, another's from a perfect hash of the value's bits. Totals are ranked where a shared
 * code's characteristics have too many combinations of values, a characteristic has too many
 * distinct values for the hash, or the distinct totals need more than {@link #MAX_RANK_WORDS}
 * words, and for rows scored again through the policies.
 *
 * <p>Thread safety: immutable; the reason path's per-block arrays are the caller's ({@link
 * ReasonScratch}).
 */
final class ScorecardBlocks {
  /** Most rows per call of {@link #pointsAndPointsBelow}: the reason scratch's size. */
  static final int BLOCK = 128;
  /** Most 64-bit words of ranks per row for ranked reason codes; beyond, totals are ranked. */
  static final int MAX_RANK_WORDS = 4;
  /** Most buckets tried per characteristic; more would leave the tables out of L1. */
  static final int MAX_BUCKETS = 1 << 10;
  private static final byte BY_VALUE = 0;
  private static final byte BY_BITS = 1;

  private final ScorecardModel model;
  private final double basePoints;
  private final int[] order;
  /** Per position in {@link #order}: the padded index, or -1 (guided or general). */
  private final int[] padded;
  /** Per position in {@link #order}: whether the characteristic is guided. */
  private final boolean[] guided;
  private final int[] column;
  private final byte[] mode;
  /**
   * Per position guided by value whose column has a lower bound but no upper one: its cut
   * compares take {@code x + (x - x)}, which is x for a number and NaN for an infinity, so +Inf
   * reads the outside bucket's "below" slot, the invalid region under the lower bound, and is
   * refused as the row path refuses it (without a cut above, it would read the last bin's points).
   */
  private final boolean[] infinityBelow;
  /** By value: the offset of the fused multiply-add. */
  private final double[] valueOffset;
  /** By value: the bucket width's reciprocal. */
  private final double[] scale;
  private final long[] lowKey;
  private final long[] highKey;
  private final int[] keyShift;
  /** By value: the outside bucket; by bits: the last bucket before NaN's. */
  private final int[] bucketMax;
  /** Per position: the guided characteristic's table (see the class comment), or null. */
  private final double[][] tables;

  /** Per position: the characteristic's reason code and its best bin's points. */
  private final int[] reasonCode;
  private final double[] bestPoints;
  private final int codeCount;

  private final int[] checkedColumns;
  private final double[] checkMin;
  private final double[] checkMax;
  private final boolean[] checkPassesMissing;
  /** Per checked column: whether it takes whole numbers only (categorical or whole-number). */
  private final boolean[] checkIntegral;

  /** Ranked reason codes' tables (see the class comment); null where totals are ranked. */
  private final Ranks ranks;

  private ScorecardBlocks(ScorecardModel model, RowGuard guard, int codeCount) {
    this.model = model;
    this.codeCount = codeCount;
    this.basePoints = model.basePoints();
    this.order = model.summationOrder();
    int positions = order.length;
    this.padded = new int[positions];
    this.guided = new boolean[positions];
    this.column = new int[positions];
    this.mode = new byte[positions];
    this.infinityBelow = new boolean[positions];
    this.valueOffset = new double[positions];
    this.scale = new double[positions];
    this.lowKey = new long[positions];
    this.highKey = new long[positions];
    this.keyShift = new int[positions];
    this.bucketMax = new int[positions];
    this.tables = new double[positions][];
    Binnings bins = model.bins();
    this.reasonCode = new int[positions];
    this.bestPoints = new double[positions];
    for (int p = 0; p < positions; p++) {
      reasonCode[p] = model.reasonCodeOf(order[p]);
      bestPoints[p] = bins.maxValue[order[p]];
    }
    boolean[] categorical = new boolean[guard.width()];
    for (int j : guard.categoricalColumns()) {
      categorical[j] = true;
    }
    // categorical and whole-number columns: a value with a fraction is refused, which no cut tells,
    // so such a column is always checked value by value below; a whole-number column may still be
    // guided (its points read by the guide), a categorical one never is
    boolean[] integral = new boolean[guard.width()];
    for (int j : guard.integralColumns()) {
      integral[j] = true;
    }
    boolean[] covered = new boolean[guard.width()];
    int coveredCount = 0;
    for (int p = 0; p < positions; p++) {
      int c = order[p];
      int j = bins.column[c];
      column[p] = j;
      // padded characteristics wider than the unrolled loop take the general lookup (same values)
      padded[p] = model.supportsBlocks() ? model.paddedIndexOf(c) : -1;
      boolean numeric = !bins.categorical[c] && bins.specialStart[c] == bins.specialStart[c + 1];
      if (numeric && !categorical[j] && guide(p, bins, c, guard, j)) {
        guided[p] = true;
        // a guide tells the values beyond a finite bound by a cut, so it refuses the infinity on
        // that side; beyond the largest finite double (no bound in the spec) it has no cut: a
        // guide by value with a lower bound sends +Inf under it (infinityBelow), and the other
        // columns' infinities are found by the column check below
        boolean lower = guard.min(j) > -Double.MAX_VALUE;
        boolean upper = guard.max(j) < Double.MAX_VALUE;
        infinityBelow[p] = lower && !upper && mode[p] == BY_VALUE;
        if (lower && (upper || infinityBelow[p]) && !integral[j]) {
          coveredCount += covered[j] ? 0 : 1;
          covered[j] = true;
        }
      }
    }
    // the policies of the columns no guided characteristic covers are checked column by column
    int n = covered.length - coveredCount;
    this.checkedColumns = new int[n];
    this.checkMin = new double[n];
    this.checkMax = new double[n];
    this.checkPassesMissing = new boolean[n];
    this.checkIntegral = new boolean[n];
    for (int j = 0, i = 0; j < covered.length; j++) {
      if (!covered[j]) {
        checkedColumns[i] = j;
        checkMin[i] = guard.min(j);
        checkMax[i] = guard.max(j);
        checkPassesMissing[i] = guard.passesMissing(j);
        checkIntegral[i] = integral[j];
        i++;
      }
    }
    this.ranks = Ranks.of(this);
  }

  /** Whether table slot i holds a value (4k + 1 or 4k + 2), not a cut or padding. */
  private static boolean isValueSlot(int i) {
    return (i & 3) == 1 || (i & 3) == 2;
  }

  /**
   * The block evaluator of the scorecard under the guard's policies, for a bundle of {@code
   * codeCount} reason codes.
   */
  static ScorecardBlocks of(ScorecardModel model, RowGuard guard, int codeCount) {
    return new ScorecardBlocks(model, guard, codeCount);
  }

  /**
   * One caller's arrays for {@link #pointsAndPointsBelow}: per-code totals of a block's rows
   * ({@code totals[r * codeCount + code]}) and one characteristic's points of a block's rows.
   * Owned by the caller (the {@link Scorer}'s scratch pool), never shared by concurrent calls.
   */
  static final class ReasonScratch {
    final double[] totals;
    final double[] values;
    /** Ranked reasons: each row's words of ranks and one more ({@code rows * (Ranks.words + 1)}). */
    final long[] ranks;
    /** Ranked reasons: the rows whose codes come from their totals (scored through the policies). */
    final boolean[] byTotals;
    /** Ranked reasons: each block row's value index at the characteristic at hand. */
    final int[] indexes;
    /** Ranked reasons: each shared code's combination of its characteristics' values so far, per row. */
    final int[] combinations;
    private final int codeCount;

    ReasonScratch(int rows, int codeCount, Ranks ranked) {
      this.codeCount = codeCount;
      totals = new double[rows * codeCount];
      values = new double[rows];
      ranks = new long[ranked == null ? 0 : rows * (ranked.words + 1)];
      byTotals = new boolean[rows];
      indexes = new int[ranked == null ? 0 : rows];
      combinations = new int[ranked == null ? 0 : rows * ranked.sharedCodes];
    }

    /** Block row r's per-code totals, from the row path: its codes are ranked from them. */
    void setTotals(int r, double[] rowTotals) {
      System.arraycopy(rowTotals, 0, totals, r * codeCount, codeCount);
      byTotals[r] = true;
    }
  }

  /** New reason scratch for blocks of up to {@link #BLOCK} rows; the caller keeps and reuses it. */
  ReasonScratch newReasonScratch() {
    return new ReasonScratch(BLOCK, codeCount, ranks);
  }

  /** Whether reason codes are ranked ahead (see the class comment); for tests. */
  boolean ranksReasons() {
    return ranks != null;
  }

  /** Words of ranks per row, 0 when totals are ranked; for tests. */
  int rankWords() {
    return ranks == null ? 0 : ranks.words;
  }

  /**
   * The ranked reason codes' tables, built once from the characteristics' values (a guided one's
   * table slots, another's bins). A code's total for a row is the sum, in summation order from 0.0,
   * of its characteristics' losses ({@code best - value}) at the values the row reads, the same
   * doubles as the totals the ranker takes; the
   * distinct positive (total, code) pairs are ranked by total, largest first, then by code, lowest
   * first (the ranker's order), and each row sets one bit per code at its pair's rank. A code of
   * one guided characteristic maps the slot straight to its rank; otherwise the slot (or, not
   * guided, the value's hash) gives the index of the value among the characteristic's distinct
   * values, which a code of its own maps to its rank, and a shared code combines in mixed radix
   * over its characteristics, the last of them mapping the combination to its rank.
   */
  static final class Ranks {
    /** Most combinations of values of a shared code's characteristics; more, and totals are ranked. */
    static final int MAX_COMBINATIONS = 1 << 12;

    /** 64-bit words of ranks per row; a row's words are followed by one for {@link #none}. */
    final int words;
    /** The rank of slots and combinations without a positive total: bit 0 of the word after a row's. */
    final int none;
    /**
     * The code of each rank, -1 beyond: index 64 is what the lowest set bit of an empty word gives,
     * 128 that of two empty words ({@link #topCodes}).
     */
    final int[] codeOfRank;
    /** Codes shared by more than one characteristic. */
    final int sharedCodes;
    /** Per position whose code is its own: each table slot's rank; else null. */
    final int[][] slotRank;
    /** Per position not guided whose code is its own: each value index's rank; else null. */
    final int[][] valueRank;
    /** Per guided position not in {@link #slotRank}: each table slot's value index; else null. */
    final int[][] valueIndex;
    /** Per position not guided: its values' perfect hash; else null. */
    final ValueHash[] hash;
    /** Per position whose code is shared: its count of value indexes (the radix). */
    final int[] radix;
    /** Per position whose code is shared: the shared code's index among them; else -1. */
    final int[] shared;
    /** Per last position of a shared code: each combination's rank; else null. */
    final int[][] combinationRank;

    private Ranks(int words, int[] codeOfRank, int sharedCodes, int[][] slotRank, int[][] valueRank,
        int[][] valueIndex, ValueHash[] hash, int[] radix, int[] shared, int[][] combinationRank) {
      this.words = words;
      this.none = words * 64;
      this.codeOfRank = codeOfRank;
      this.sharedCodes = sharedCodes;
      this.slotRank = slotRank;
      this.valueRank = valueRank;
      this.valueIndex = valueIndex;
      this.hash = hash;
      this.radix = radix;
      this.shared = shared;
      this.combinationRank = combinationRank;
    }

    /**
     * The tables for a block evaluator whose shared codes have at most {@link #MAX_COMBINATIONS}
     * combinations each, whose characteristics not guided have a {@link ValueHash}, and whose
     * distinct positive totals fit in {@link ScorecardBlocks#MAX_RANK_WORDS} words; else null
     * (totals are ranked).
     */
    static Ranks of(ScorecardBlocks b) {
      int positions = b.order.length;
      List<List<Integer>> positionsOfCode = new ArrayList<>();
      for (int c = 0; c < b.codeCount; c++) {
        positionsOfCode.add(new ArrayList<>());
      }
      for (int p = 0; p < positions; p++) {
        positionsOfCode.get(b.reasonCode[p]).add(p);
      }
      // each position's distinct values (by bits): a guided one's table slots, each mapped to its
      // value's index; another's every value its bins give, found again by a perfect hash
      double[][] values = new double[positions][];
      int[][] valueIndex = new int[positions][];
      ValueHash[] hashes = new ValueHash[positions];
      for (int p = 0; p < positions; p++) {
        java.util.Map<Long, Integer> index = new java.util.LinkedHashMap<>();
        if (b.guided[p]) {
          double[] table = b.tables[p];
          valueIndex[p] = new int[table.length];
          for (int i = 0; i < table.length; i++) {
            if (isValueSlot(i)) {
              Integer k = index.putIfAbsent(Double.doubleToRawLongBits(table[i]), index.size());
              valueIndex[p][i] = k == null ? index.size() - 1 : k;
            }
          }
        } else {
          for (double v : b.model.bins().values(b.order[p])) {
            index.putIfAbsent(Double.doubleToRawLongBits(v), index.size());
          }
        }
        values[p] = index.keySet().stream().mapToDouble(Double::longBitsToDouble).toArray();
        if (!b.guided[p]) {
          hashes[p] = ValueHash.of(values[p]);
          if (hashes[p] == null) {
            return null;
          }
        }
      }
      // every code's totals, per combination of its characteristics' values (one value: per value)
      double[][] totalsOfCode = new double[b.codeCount][];
      for (int c = 0; c < b.codeCount; c++) {
        List<Integer> ps = positionsOfCode.get(c);
        long combinations = 1;
        for (int p : ps) {
          combinations *= values[p].length;
          if (combinations > MAX_COMBINATIONS) {
            return null;
          }
        }
        double[] totals = new double[ps.isEmpty() ? 0 : (int) combinations];
        for (int k = 0; k < totals.length; k++) {
          // combination k in mixed radix, the first characteristic most significant, summed in order
          double total = 0.0;
          int rest = k;
          int weight = (int) combinations;
          for (int p : ps) {
            weight /= values[p].length;
            total += b.bestPoints[p] - values[p][rest / weight];
            rest %= weight;
          }
          totals[k] = total;
        }
        totalsOfCode[c] = totals;
      }
      List<double[]> pairs = new ArrayList<>();
      for (int c = 0; c < b.codeCount; c++) {
        for (double total : totalsOfCode[c]) {
          if (total > 0) {
            pairs.add(new double[] {total, c});
          }
        }
      }
      pairs.sort((x, y) -> x[0] != y[0] ? Double.compare(y[0], x[0]) : Double.compare(x[1], y[1]));
      java.util.Map<List<Double>, Integer> rankOf = new java.util.HashMap<>();
      List<Integer> codes = new ArrayList<>();
      for (double[] pair : pairs) {
        if (rankOf.putIfAbsent(List.of(pair[0], pair[1]), codes.size()) == null) {
          codes.add((int) pair[1]);
        }
      }
      if (codes.size() > MAX_RANK_WORDS * 64) {
        return null;
      }
      int words = Math.max(1, (codes.size() + 63) / 64);
      int none = words * 64;
      int[] codeOfRank = new int[Math.max(words * 64, 128) + 1];
      Arrays.fill(codeOfRank, -1);
      for (int rank = 0; rank < codes.size(); rank++) {
        codeOfRank[rank] = codes.get(rank);
      }
      int[][] slotRank = new int[positions][];
      int[][] valueRank = new int[positions][];
      int[][] sharedValueIndex = new int[positions][];
      int[] radix = new int[positions];
      int[] shared = new int[positions];
      int[][] combinationRank = new int[positions][];
      Arrays.fill(shared, -1);
      int sharedCodes = 0;
      for (int c = 0; c < b.codeCount; c++) {
        List<Integer> ps = positionsOfCode.get(c);
        double[] totals = totalsOfCode[c];
        int[] rankOfTotal = new int[totals.length];
        for (int k = 0; k < totals.length; k++) {
          rankOfTotal[k] = totals[k] > 0 ? rankOf.get(List.of(totals[k], (double) c)) : none;
        }
        if (ps.size() == 1 && b.guided[ps.get(0)]) {
          int p = ps.get(0);
          slotRank[p] = new int[b.tables[p].length];
          for (int i = 0; i < slotRank[p].length; i++) {
            slotRank[p][i] = isValueSlot(i) ? rankOfTotal[valueIndex[p][i]] : none;
          }
        } else if (ps.size() == 1) {
          valueRank[ps.get(0)] = rankOfTotal;
        } else if (ps.size() > 1) {
          for (int p : ps) {
            sharedValueIndex[p] = valueIndex[p];   // null where not guided: the hash gives the index
            radix[p] = values[p].length;
            shared[p] = sharedCodes;
          }
          combinationRank[ps.get(ps.size() - 1)] = rankOfTotal;
          sharedCodes++;
        }
      }
      return new Ranks(words, codeOfRank, sharedCodes, slotRank, valueRank, sharedValueIndex, hashes, radix, shared,
          combinationRank);
    }
  }

  /**
   * A perfect hash of a characteristic's possible values' bits to their indexes: {@code index[(bits
   * * multiplier) >>> shift]}, with a multiplier found at build time that sends no two values to the
   * same entry. Empty entries hold index 0, so every entry is a valid index.
   */
  static final class ValueHash {
    final long multiplier;
    final int shift;
    final int[] index;

    private ValueHash(long multiplier, int shift, int[] index) {
      this.multiplier = multiplier;
      this.shift = shift;
      this.index = index;
    }

    /** Most entries of a hash: 2^14 (64 kB); characteristics with more values rank totals. */
    static final int MAX_LOG_ENTRIES = 14;

    /**
     * The hash of distinct values (by bits), or null if none is found: at least four entries a
     * value and n^2 / 4 for n values, so that a random multiplier is injective with probability
     * about exp(-n^2 / 2 entries) >= exp(-2), and at most 2^{@link #MAX_LOG_ENTRIES} entries.
     */
    static ValueHash of(double[] values) {
      long n = values.length;
      int log = Math.max(2, 64 - Long.numberOfLeadingZeros(Math.max(4 * n, n * n / 4) - 1));
      if (log > MAX_LOG_ENTRIES) {
        return null;
      }
      int shift = 64 - log;
      java.util.SplittableRandom random = new java.util.SplittableRandom(values.length);
      for (int attempt = 0; attempt < 10_000; attempt++) {
        long multiplier = random.nextLong() | 1;
        int[] index = new int[1 << log];
        boolean[] taken = new boolean[1 << log];
        boolean injective = true;
        for (int i = 0; i < values.length && injective; i++) {
          int at = (int) ((Double.doubleToRawLongBits(values[i]) * multiplier) >>> shift);
          injective = !taken[at];
          taken[at] = true;
          index[at] = i;
        }
        if (injective) {
          return new ValueHash(multiplier, shift, index);
        }
      }
      return null;
    }
  }

  /**
   * Writes block row r's top {@link ReasonRanker#TOP} reason codes to {@code out[outOffset ..
   * outOffset + 4)}, largest total first, -1 padded, after {@link #pointsAndPointsBelow} (or
   * {@link ReasonScratch#setTotals}): from its ranks or from its totals.
   */
  void topCodes(ReasonScratch scratch, int r, int[] out, int outOffset) {
    if (ranks == null || scratch.byTotals[r]) {
      ReasonRanker.top(scratch.totals, r * codeCount, codeCount, out, outOffset);
      return;
    }
    int words = ranks.words;
    int[] codeOfRank = ranks.codeOfRank;
    int at = r * (words + 1);
    long[] rowRanks = scratch.ranks;
    if (words == 1) {
      // an empty word's lowest set bit is 64, whose code is -1: no branch
      long b = rowRanks[at];
      for (int k = 0; k < ReasonRanker.TOP; k++) {
        out[outOffset + k] = codeOfRank[Long.numberOfTrailingZeros(b)];
        b &= b - 1;
      }
      return;
    }
    if (words == 2) {
      // the lowest set bit of the two words as one: the low word's, else 64 + the high word's
      // (128, code -1, when both are empty); the high word loses its bit only when the low is empty
      long low = rowRanks[at];
      long high = rowRanks[at + 1];
      for (int k = 0; k < ReasonRanker.TOP; k++) {
        int lowBit = Long.numberOfTrailingZeros(low);
        int lowEmpty = lowBit >>> 6;
        out[outOffset + k] = codeOfRank[lowBit + lowEmpty * Long.numberOfTrailingZeros(high)];
        low &= low - 1;
        high &= high - lowEmpty;
      }
      return;
    }
    int found = 0;
    for (int w = 0; w < words && found < ReasonRanker.TOP; w++) {
      long b = rowRanks[at + w];
      while (b != 0 && found < ReasonRanker.TOP) {
        out[outOffset + found++] = codeOfRank[(w << 6) + Long.numberOfTrailingZeros(b)];
        b &= b - 1;
      }
    }
    while (found < ReasonRanker.TOP) {
      out[outOffset + found++] = -1;
    }
  }

  /**
   * Builds characteristic c's guide and table at position p; false when no bucket count up to
   * {@link #MAX_BUCKETS} leaves at most one cut per bucket.
   */
  private boolean guide(int p, Binnings bins, int c, RowGuard guard, int j) {
    double min = guard.min(j);
    double max = guard.max(j);
    double[] cuts = new double[bins.edgeStart[c + 1] - bins.edgeStart[c] + 2];
    int n = 0;
    for (int e = bins.edgeStart[c]; e < bins.edgeStart[c + 1]; e++) {
      cuts[n++] = bins.edges[e] + 0.0;
    }
    // a side without a bound in the spec (the guard's largest finite double) gets no cut: a cut at
    // an infinity would stretch a guide by value over every double
    if (min > -Double.MAX_VALUE) {
      cuts[n++] = min + 0.0;
    }
    if (max < Double.MAX_VALUE) {
      cuts[n++] = Math.nextUp(max) + 0.0;
    }
    Arrays.sort(cuts, 0, n);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (!(cuts[i] == cuts[i])) {
        return false; // a NaN edge or limit: leave it to the general path
      }
      if (distinct == 0 || cuts[i] != cuts[distinct - 1]) {
        cuts[distinct++] = cuts[i];
      }
    }
    cuts = Arrays.copyOf(cuts, distinct);
    // region r (r cuts at or below x) covers [cuts[r-1], cuts[r]): one interval value, one validity
    double[] regionValue = new double[distinct + 1];
    for (int r = 0; r <= distinct; r++) {
      double lowest = r == 0 ? Double.NEGATIVE_INFINITY : cuts[r - 1];
      // a finite value of the region stands for it (the region below the first cut: the double below it)
      double finite = r > 0 ? lowest : distinct > 0 ? Math.nextDown(cuts[0]) : 0.0;
      boolean valid = finite >= min && finite <= max;
      regionValue[r] = valid ? bins.value(c, r == 0 && distinct > 0 ? Math.nextDown(cuts[0]) : lowest) : Double.NaN;
    }
    double missingValue = guard.passesMissing(j) ? bins.missingValue[c] : Double.NaN;
    for (int buckets = 8; buckets <= MAX_BUCKETS; buckets <<= 1) {
      if (valueGuide(p, cuts, regionValue, missingValue, buckets)) {
        return true;
      }
      if (bitsGuide(p, cuts, regionValue, missingValue, buckets)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Tries the by-value guide with the given bucket count: {@code g(x) = (int) fma(x, scale,
   * offset)} puts the cuts in buckets 1 to {@code buckets - 1}; NaN lands in bucket 0 (Java's
   * conversion gives 0), whose cut is minus infinity so that NaN alone reads the "below" slot;
   * and every g outside 0..buckets, taken as unsigned, is clamped to bucket {@code buckets + 1},
   * which holds values far below the first cut and above the last one and tells them apart by
   * the last cut.
   */
  private boolean valueGuide(int p, double[] cuts, double[] regionValue, double missingValue,
      int buckets) {
    int distinct = cuts.length;
    double first = distinct == 0 ? 0 : cuts[0];
    double last = distinct <= 1 ? first + 1 : cuts[distinct - 1];
    // the cuts map to [1.5, buckets - 0.5]: a margin of half a bucket for the rounding
    double s = (buckets - 2) / (last - first);
    double offset = 1.5 - first * s;
    if (!(s > 0 && s < Double.POSITIVE_INFINITY && Math.abs(offset) < Double.POSITIVE_INFINITY)) {
      return false;
    }
    mode[p] = BY_VALUE;
    scale[p] = s;
    valueOffset[p] = offset;
    bucketMax[p] = buckets + 1;
    int[] count = new int[buckets + 2];
    for (double cut : cuts) {
      int k = valueBucket(p, cut);
      if (k < 1 || k > buckets - 1 || ++count[k] > 1) {
        return false;
      }
    }
    double[] table = new double[8 * buckets];
    table[0] = Double.NEGATIVE_INFINITY;
    table[1] = missingValue;
    table[2] = regionValue[0];
    for (int i = 0, k = 1; k <= buckets; k++) {
      table[4 * k] = Double.NaN;
      table[4 * k + 1] = regionValue[i];
      if (count[k] == 1) {
        table[4 * k] = cuts[i++];
      }
      table[4 * k + 2] = regionValue[i];
    }
    int outside = 4 * (buckets + 1);
    table[outside] = distinct == 0 ? 0.0 : cuts[distinct - 1];
    table[outside + 1] = regionValue[0];
    table[outside + 2] = regionValue[distinct];
    tables[p] = table;
    return true;
  }

  /**
   * Tries the by-bits guide with the given bucket count: buckets over the cuts' ordered bit
   * patterns (for edges spread over many magnitudes), NaN in a last pseudo-bucket.
   */
  private boolean bitsGuide(int p, double[] cuts, double[] regionValue, double missingValue,
      int buckets) {
    int distinct = cuts.length;
    mode[p] = BY_BITS;
    lowKey[p] = key(distinct == 0 ? 0 : cuts[0]);
    highKey[p] = key(distinct == 0 ? 0 : cuts[distinct - 1]);
    int bits = 64 - Long.numberOfLeadingZeros(highKey[p] - lowKey[p]);
    keyShift[p] = Math.max(0, bits - Integer.numberOfTrailingZeros(buckets));
    bucketMax[p] = buckets - 1;
    int[] count = new int[buckets];
    for (double cut : cuts) {
      if (++count[bitsBucket(p, cut)] > 1) {
        return false;
      }
    }
    // buckets + 1 entries of four doubles (the last for NaN): 4 * buckets + 4 <= 8 * buckets
    double[] table = new double[8 * buckets];
    for (int i = 0, k = 0; k < buckets; k++) {
      table[4 * k] = Double.NaN;
      table[4 * k + 1] = regionValue[i];
      if (count[k] == 1) {
        table[4 * k] = cuts[i++];
      }
      table[4 * k + 2] = regionValue[i];
    }
    table[4 * buckets] = Double.NaN;
    table[4 * buckets + 1] = missingValue;
    table[4 * buckets + 2] = missingValue;
    tables[p] = table;
    return true;
  }

  /** For tests: how many characteristics are guided by value, guided by bits, and not guided. */
  int[] guideCounts() {
    int[] counts = new int[3];
    for (int p = 0; p < order.length; p++) {
      counts[guided[p] ? mode[p] : 2]++;
    }
    return counts;
  }

  /** For tests: whether some guided characteristic reads column {@code j}. */
  boolean guides(int j) {
    for (int p = 0; p < order.length; p++) {
      if (guided[p] && column[p] == j) {
        return true;
      }
    }
    return false;
  }

  /** The double's bits as a long ordered like the doubles (NaN excepted; -0.0 taken as 0.0). */
  private static long key(double x) {
    long bits = Double.doubleToRawLongBits(x + 0.0);
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  /** Position p's by-value bucket of x (see {@link #valueGuide}). */
  private int valueBucket(int p, double x) {
    return (int) Math.min(Integer.toUnsignedLong((int) Math.fma(x, scale[p], valueOffset[p])), bucketMax[p]);
  }

  /** Position p's by-bits bucket of x: monotone non-decreasing in x, any bucket for NaN. */
  private int bitsBucket(int p, double x) {
    long k = Math.min(Math.max(key(x), lowKey[p]), highKey[p]);
    return (int) ((k - lowKey[p]) >>> keyShift[p]);
  }

  /**
   * Writes the points of {@code count} rows to {@code out[outOffset ..]}, NaN for each row that
   * the feature policies would change or refuse (the caller scores those through the policies).
   */
  void points(double[] rows, int firstOffset, int count, int stride, double[] out, int outOffset) {
    for (int r = 0; r < count; r++) {
      out[outOffset + r] = basePoints;
    }
    for (int p = 0; p < order.length; p++) {
      if (guided[p]) {
        addGuided(p, rows, firstOffset, count, stride, out, outOffset);
      } else if (padded[p] >= 0) {
        model.addPadded(padded[p], rows, firstOffset, count, stride, out, outOffset);
      } else {
        model.addOther(order[p], rows, firstOffset, count, stride, out, outOffset);
      }
    }
    for (int i = 0; i < checkedColumns.length; i++) {
      markUnclean(i, rows, firstOffset, count, stride, out, outOffset);
    }
  }

  /**
   * As {@link #points}, and also each row's per-code points below the best bins, summed per code
   * in the row path's order ({@link ScorecardModel#pointsAndPointsBelow}) into {@code
   * scratch.totals[r * codeCount + code]} for block row r; a row with NaN points has NaN or
   * partial totals, which the caller replaces ({@link ReasonScratch#setTotals}). Where reasons
   * are ranked ahead ({@link #ranksReasons}) the rows' ranks are written instead of their totals;
   * either way {@link #topCodes} then gives the codes. At most {@link #BLOCK} rows.
   */
  void pointsAndPointsBelow(double[] rows, int firstOffset, int count, int stride, double[] out, int outOffset,
      ReasonScratch scratch) {
    if (ranks != null) {
      pointsAndRanks(rows, firstOffset, count, stride, out, outOffset, scratch);
      return;
    }
    double[] totals = scratch.totals;
    double[] values = scratch.values;
    int codes = codeCount;
    Arrays.fill(totals, 0, count * codes, 0.0);
    for (int r = 0; r < count; r++) {
      out[outOffset + r] = basePoints;
    }
    for (int p = 0; p < order.length; p++) {
      // -0.0 + v is v for every v, signed zeros included
      Arrays.fill(values, 0, count, -0.0);
      if (guided[p]) {
        addGuided(p, rows, firstOffset, count, stride, values, 0);
      } else if (padded[p] >= 0) {
        model.addPadded(padded[p], rows, firstOffset, count, stride, values, 0);
      } else {
        model.addOther(order[p], rows, firstOffset, count, stride, values, 0);
      }
      int code = reasonCode[p];
      double best = bestPoints[p];
      for (int r = 0, at = code; r < count; r++, at += codes) {
        double v = values[r];
        out[outOffset + r] += v;
        totals[at] += best - v;
      }
    }
    for (int i = 0; i < checkedColumns.length; i++) {
      markUnclean(i, rows, firstOffset, count, stride, out, outOffset);
    }
  }

  /**
   * The ranked form of {@link #pointsAndPointsBelow}: the same points (summed in the same order),
   * and for each row one bit per code at its total's rank instead of per-code totals.
   */
  private void pointsAndRanks(double[] rows, int firstOffset, int count, int stride, double[] out, int outOffset,
      ReasonScratch scratch) {
    int words = ranks.words + 1;
    Arrays.fill(scratch.ranks, 0, count * words, 0L);
    Arrays.fill(scratch.byTotals, 0, count, false);
    Arrays.fill(scratch.combinations, 0);   // BLOCK rows a shared code: a few kB at most
    for (int r = 0; r < count; r++) {
      out[outOffset + r] = basePoints;
    }
    int[] indexes = scratch.indexes;
    for (int p = 0; p < order.length; p++) {
      int[] slotRank = ranks.slotRank[p];
      if (slotRank != null) {
        if (mode[p] == BY_VALUE) {
          mapByValue(p, rows, firstOffset, count, stride, out, outOffset, slotRank, scratch.ranks, words, null);
        } else {
          mapByBits(p, rows, firstOffset, count, stride, out, outOffset, slotRank, scratch.ranks, words, null);
        }
        continue;
      }
      // the row's index among the characteristic's values
      if (!guided[p]) {
        indexesOfOther(p, rows, firstOffset, count, stride, out, outOffset, scratch);
      } else if (mode[p] == BY_VALUE) {
        mapByValue(p, rows, firstOffset, count, stride, out, outOffset, ranks.valueIndex[p], null, 0, indexes);
      } else {
        mapByBits(p, rows, firstOffset, count, stride, out, outOffset, ranks.valueIndex[p], null, 0, indexes);
      }
      long[] rowRanks = scratch.ranks;
      int[] valueRank = ranks.valueRank[p];
      if (valueRank != null) {
        for (int r = 0; r < count; r++) {
          int rank = valueRank[indexes[r]];
          rowRanks[r * words + (rank >>> 6)] |= 1L << rank;
        }
        continue;
      }
      int radix = ranks.radix[p];
      int[] combinations = scratch.combinations;
      int at = ranks.shared[p] * BLOCK;
      int[] combinationRank = ranks.combinationRank[p];
      if (combinationRank == null) {
        for (int r = 0; r < count; r++) {
          combinations[at + r] = combinations[at + r] * radix + indexes[r];
        }
      } else {
        for (int r = 0; r < count; r++) {
          int rank = combinationRank[combinations[at + r] * radix + indexes[r]];
          rowRanks[r * words + (rank >>> 6)] |= 1L << rank;
        }
      }
    }
    for (int i = 0; i < checkedColumns.length; i++) {
      markUnclean(i, rows, firstOffset, count, stride, out, outOffset);
    }
  }

  /**
   * Adds position p's points (guided by value) and, unless {@code map} is null (points only), maps
   * each row's table slot through it: to its rank, whose bit it sets in the row's words ({@code
   * indexes} null), or to its value's index, kept in {@code indexes}. (The choices are the same for
   * the whole loop, which the compiler takes out of it.)
   */
  private void mapByValue(int p, double[] rows, int firstOffset, int count, int stride, double[] out,
      int outOffset, int[] map, long[] rowRanks, int words, int[] indexes) {
    double[] table = tables[p];
    int mask = table.length - 1;
    long outside = bucketMax[p];
    int at = firstOffset + column[p];
    double s = scale[p];
    double offset = valueOffset[p];
    boolean infinity = infinityBelow[p];
    for (int r = 0; r < count; r++, at += stride) {
      int slot = valueSlot(rows[at], table, mask, s, offset, outside, infinity);
      out[outOffset + r] += table[slot];
      if (map != null) {
        keep(r, map[slot], rowRanks, words, indexes);
      }
    }
  }

  /**
   * Row r's mapped slot: the rank whose bit it sets in the row's words ({@code indexes} null) or
   * the value index it keeps.
   */
  private static void keep(int r, int mapped, long[] rowRanks, int words, int[] indexes) {
    if (indexes == null) {
      rowRanks[r * words + (mapped >>> 6)] |= 1L << mapped;
    } else {
      indexes[r] = mapped;
    }
  }

  /** As {@link #mapByValue}, for a position guided by bits. */
  private void mapByBits(int p, double[] rows, int firstOffset, int count, int stride, double[] out,
      int outOffset, int[] map, long[] rowRanks, int words, int[] indexes) {
    double[] table = tables[p];
    int mask = table.length - 1;
    int nanBucket = bucketMax[p] + 1;
    int at = firstOffset + column[p];
    long lowest = lowKey[p];
    long highest = highKey[p];
    int shift = keyShift[p];
    for (int r = 0; r < count; r++, at += stride) {
      int slot = bitsSlot(rows[at], table, mask, nanBucket, lowest, highest, shift);
      out[outOffset + r] += table[slot];
      if (map != null) {
        keep(r, map[slot], rowRanks, words, indexes);
      }
    }
  }

  /**
   * Adds position p's points (not guided: the scorecard's own lookups) and keeps each row's value
   * index from the value's perfect hash. A clean row's value is one of the bins' ({@link
   * Binnings#values}); another row's gets some index below the radix, and the caller scores the
   * row again through the policies.
   */
  private void indexesOfOther(int p, double[] rows, int firstOffset, int count, int stride, double[] out,
      int outOffset, ReasonScratch scratch) {
    double[] values = scratch.values;
    // -0.0 + v is v for every v, signed zeros included
    Arrays.fill(values, 0, count, -0.0);
    if (padded[p] >= 0) {
      model.addPadded(padded[p], rows, firstOffset, count, stride, values, 0);
    } else {
      model.addOther(order[p], rows, firstOffset, count, stride, values, 0);
    }
    ValueHash hash = ranks.hash[p];
    long multiplier = hash.multiplier;
    int shift = hash.shift;
    int[] index = hash.index;
    int[] indexes = scratch.indexes;
    for (int r = 0; r < count; r++) {
      double v = values[r];
      out[outOffset + r] += v;
      indexes[r] = index[(int) ((Double.doubleToRawLongBits(v) * multiplier) >>> shift)];
    }
  }

  /** The table slot of x under a by-value guide (see {@link #valueGuide}). */
  private static int valueSlot(double x, double[] table, int mask, double s, double offset, long outside,
      boolean infinityBelow) {
    int base = (int) Math.min(Integer.toUnsignedLong((int) Math.fma(x, s, offset)), outside) << 2;
    double cut = table[base & mask];
    // the choice is the same for the whole loop, which the compiler takes out of it
    double compared = infinityBelow ? x + (x - x) : x;
    return (base + 1 + (compared >= cut ? 1 : 0)) & mask;
  }

  /** The table slot of x under a by-bits guide (see {@link #bitsGuide}). */
  private static int bitsSlot(double x, double[] table, int mask, int nanBucket, long lowest, long highest,
      int shift) {
    int k = (int) ((Math.min(Math.max(key(x), lowest), highest) - lowest) >>> shift);
    int base = (x != x ? nanBucket : k) << 2;
    double cut = table[base & mask];
    return (base + 1 + (x >= cut ? 1 : 0)) & mask;
  }

  private void addGuided(int p, double[] rows, int firstOffset, int count, int stride, double[] out,
      int outOffset) {
    if (mode[p] == BY_VALUE) {
      addByValue(p, rows, firstOffset, count, stride, out, outOffset);
    } else {
      addByBits(p, rows, firstOffset, count, stride, out, outOffset);
    }
  }

  private void addByValue(int p, double[] rows, int firstOffset, int count, int stride, double[] out,
      int outOffset) {
    mapByValue(p, rows, firstOffset, count, stride, out, outOffset, null, null, 0, null);
  }

  private void addByBits(int p, double[] rows, int firstOffset, int count, int stride, double[] out,
      int outOffset) {
    mapByBits(p, rows, firstOffset, count, stride, out, outOffset, null, null, 0, null);
  }

  /** Sets to NaN the points of the rows whose value in checked column i fails RowGuard.isClean. */
  private void markUnclean(int i, double[] rows, int firstOffset, int count, int stride, double[] out,
      int outOffset) {
    double min = checkMin[i];
    double max = checkMax[i];
    boolean passes = checkPassesMissing[i];
    boolean integral = checkIntegral[i];
    int at = firstOffset + checkedColumns[i];
    for (int r = 0; r < count; r++, at += stride) {
      double x = rows[at];
      boolean clean = (x >= min && x <= max) || (x != x && passes);
      if (!clean || (integral && x != Math.rint(x))) {
        out[outOffset + r] = Double.NaN;
      }
    }
  }
}

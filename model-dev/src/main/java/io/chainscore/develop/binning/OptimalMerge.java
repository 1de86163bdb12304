package io.chainscore.develop.binning;

/**
 * Exact IV-maximising merge of adjacent pre-bins by dynamic programming.
 *
 * <p>A state is (number of bins so far k, last bin = pre-bins [i, j), phase p). Its value is the
 * best total IV of a partition of pre-bins [0, j) into k+1 feasible bins ending with [i, j) whose
 * event rates obey the trend up to that bin. IV is a sum over bins and the trend constraint
 * only relates consecutive bins, so extending the best value of each state by every feasible
 * next bin [j, l) enumerates every admissible partition's value exactly once per state: the
 * optimum is exact. The phase records whether a PEAK (VALLEY) sequence has already turned
 * down (up). Cost O(K m^3 P) time, O(K m^2 P) memory for m pre-bins, K bins, P phases.
 */
final class OptimalMerge {
  private static final double NONE = Double.NEGATIVE_INFINITY;

  private OptimalMerge() {}

  /** Constraints on each merged bin and the sequence of bins. */
  record Constraints(
      double minCount, double minEvents, double minNonEvents, int maxBins, double minEventRateDiff) {}

  /**
   * Best partition of the pre-bins.
   *
   * @param events events per pre-bin
   * @param nonEvents non-events per pre-bin
   * @param totalEvents events of the whole characteristic (IV shares are relative to it)
   * @param totalNonEvents non-events of the whole characteristic
   * @param trend a resolved trend (not AUTO)
   * @return the start pre-bin of each merged bin after the first (the cut positions), or null
   *     when no partition satisfies the constraints
   */
  static int[] solve(
      double[] events,
      double[] nonEvents,
      double totalEvents,
      double totalNonEvents,
      Constraints c,
      MonotonicTrend trend) {
    int m = events.length;
    double[] pe = new double[m + 1];
    double[] pn = new double[m + 1];
    for (int i = 0; i < m; i++) {
      pe[i + 1] = pe[i] + events[i];
      pn[i + 1] = pn[i] + nonEvents[i];
    }
    int w = m + 1;
    double[] iv = new double[w * w];
    double[] rate = new double[w * w];
    boolean[] feasible = new boolean[w * w];
    for (int i = 0; i < m; i++) {
      for (int j = i + 1; j <= m; j++) {
        double e = pe[j] - pe[i];
        double ne = pn[j] - pn[i];
        int ij = i * w + j;
        feasible[ij] = e + ne >= c.minCount() && e >= c.minEvents() && ne >= c.minNonEvents();
        iv[ij] = binIv(e, ne, totalEvents, totalNonEvents);
        rate[ij] = e + ne == 0 ? 0 : (double) e / (e + ne);
      }
    }
    int kMax = c.maxBins() > 0 ? Math.min(c.maxBins(), m) : m;
    int phases = trend == MonotonicTrend.PEAK || trend == MonotonicTrend.VALLEY ? 2 : 1;
    int layer = w * w * phases;
    double[] value = new double[kMax * layer];
    int[] parent = new int[kMax * layer];
    java.util.Arrays.fill(value, NONE);
    java.util.Arrays.fill(parent, -1);
    for (int j = 1; j <= m; j++) {
      if (feasible[j]) {
        value[(0 * w + j) * phases] = iv[j];
      }
    }
    double diff = c.minEventRateDiff();
    for (int k = 0; k + 1 < kMax; k++) {
      int base = k * layer;
      int next = (k + 1) * layer;
      for (int i = 0; i < m; i++) {
        for (int j = i + 1; j < m; j++) {
          for (int p = 0; p < phases; p++) {
            double v = value[base + (i * w + j) * phases + p];
            if (v == NONE) {
              continue;
            }
            double r1 = rate[i * w + j];
            for (int l = j + 1; l <= m; l++) {
              int jl = j * w + l;
              if (!feasible[jl]) {
                continue;
              }
              int np = nextPhase(trend, p, r1, rate[jl], diff);
              if (np < 0) {
                continue;
              }
              double cand = v + iv[jl];
              int slot = next + jl * phases + np;
              if (cand > value[slot]) {
                value[slot] = cand;
                parent[slot] = i * phases + p;
              }
            }
          }
        }
      }
    }
    double best = NONE;
    int bestK = -1;
    int bestI = -1;
    int bestP = -1;
    for (int k = 0; k < kMax; k++) {
      for (int i = 0; i < m; i++) {
        for (int p = 0; p < phases; p++) {
          double v = value[k * layer + (i * w + m) * phases + p];
          if (v > best) {
            best = v;
            bestK = k;
            bestI = i;
            bestP = p;
          }
        }
      }
    }
    if (bestK < 0) {
      return null;
    }
    int[] cuts = new int[bestK];
    int j = m;
    int i = bestI;
    int p = bestP;
    for (int k = bestK; k > 0; k--) {
      cuts[k - 1] = i;
      int par = parent[k * layer + (i * w + j) * phases + p];
      j = i;
      i = par / phases;
      p = par % phases;
    }
    return cuts;
  }

  /** The phase after appending a bin of rate r2 to one of rate r1, or -1 if not allowed. */
  private static int nextPhase(MonotonicTrend trend, int phase, double r1, double r2, double d) {
    switch (trend) {
      case NONE:
        return 0;
      case ASCENDING:
        return r2 >= r1 + d ? 0 : -1;
      case DESCENDING:
        return r2 <= r1 - d ? 0 : -1;
      case PEAK:
        if (phase == 0 && r2 >= r1 + d) {
          return 0;
        }
        return r2 <= r1 - d ? 1 : -1;
      case VALLEY:
        if (phase == 0 && r2 <= r1 - d) {
          return 0;
        }
        return r2 >= r1 + d ? 1 : -1;
      default:
        throw new IllegalArgumentException("unresolved trend " + trend);
    }
  }

  /** IV term of one bin; a zero count is replaced by 0.99 (R scorecard) against fixed totals. */
  static double binIv(double e, double ne, double totalEvents, double totalNonEvents) {
    if (e + ne == 0) {
      return 0;
    }
    double pe = (e == 0 ? BinningTable.ZERO_COUNT : e) / (double) totalEvents;
    double pn = (ne == 0 ? BinningTable.ZERO_COUNT : ne) / (double) totalNonEvents;
    return (pe - pn) * Math.log(pe / pn);
  }

  /** IV of the partition of the pre-bins {@code counts} (events, non-events) at {@code cuts}. */
  static double partitionIv(double[][] counts, int[] cuts, double totalE, double totalN) {
    double sum = 0;
    int from = 0;
    for (int k = 0; k <= cuts.length; k++) {
      int to = k < cuts.length ? cuts[k] : counts[0].length;
      double e = 0;
      double ne = 0;
      for (int i = from; i < to; i++) {
        e += counts[0][i];
        ne += counts[1][i];
      }
      sum += binIv(e, ne, totalE, totalN);
      from = to;
    }
    return sum;
  }
}

package io.chainscore.develop.binning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OptimalBinningTest {

  /** Data where value v in 0..m-1 is one pre-bin with the given counts, plus some NaN rows. */
  private record Sample(double[] x, int[] y, long[] e, long[] ne, long missE, long missN) {}

  private static Sample sample(Random rnd, int m) {
    long[] e = new long[m];
    long[] ne = new long[m];
    List<double[]> rows = new ArrayList<>();
    for (int v = 0; v < m; v++) {
      e[v] = 1 + rnd.nextInt(30);
      ne[v] = 1 + rnd.nextInt(60);
      for (int k = 0; k < e[v]; k++) {
        rows.add(new double[] {v, 1});
      }
      for (int k = 0; k < ne[v]; k++) {
        rows.add(new double[] {v, 0});
      }
    }
    long missE = 1 + rnd.nextInt(5); // a pure missing bin would trigger the 0.99 rule
    long missN = 1 + rnd.nextInt(5);
    for (int k = 0; k < missE; k++) {
      rows.add(new double[] {Double.NaN, 1});
    }
    for (int k = 0; k < missN; k++) {
      rows.add(new double[] {Double.NaN, 0});
    }
    java.util.Collections.shuffle(rows, rnd);
    double[] x = new double[rows.size()];
    int[] y = new int[rows.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = rows.get(i)[0];
      y[i] = (int) rows.get(i)[1];
    }
    return new Sample(x, y, e, ne, missE, missN);
  }

  @Test
  void fit_randomPreBinsUnderEachTrend_equalsBruteForceOptimum() {
    Random rnd = new Random(2024);
    MonotonicTrend[] trends = {
      MonotonicTrend.NONE, MonotonicTrend.ASCENDING, MonotonicTrend.DESCENDING,
      MonotonicTrend.PEAK, MonotonicTrend.VALLEY, MonotonicTrend.AUTO
    };
    for (int trial = 0; trial < 12; trial++) {
      int m = 4 + rnd.nextInt(7);
      Sample s = sample(rnd, m);
      for (MonotonicTrend trend : trends) {
        double minShare = trial % 3 == 0 ? 0 : 0.08;
        int maxBins = trial % 4 == 1 ? 3 : 0;
        long minEvents = trial % 2 == 0 ? 1 : 12;
        BinningTable t =
            OptimalBinning.builder()
                .preBinning(PreBinning.DISTINCT)
                .trend(trend)
                .minBinShare(minShare)
                .maxBins(maxBins)
                .minEventCount(minEvents)
                .build()
                .fit(s.x(), s.y());
        double brute = bruteForce(s, trend, minShare, maxBins, minEvents);
        if (brute == Double.NEGATIVE_INFINITY) {
          assertThat(t.splits()).as("infeasible -> one bin").isEmpty();
          continue;
        }
        assertThat(t.iv()).as("trial %d trend %s", trial, trend).isCloseTo(brute, within(1e-12));
        assertTrendHolds(t, t.trend());
      }
    }
  }

  private static double bruteForce(
      Sample s, MonotonicTrend trend, double minShare, int maxBins, long minEvents) {
    int m = s.e().length;
    long clean = 0;
    long te = s.missE();
    long tn = s.missN();
    for (int i = 0; i < m; i++) {
      clean += s.e()[i] + s.ne()[i];
      te += s.e()[i];
      tn += s.ne()[i];
    }
    double missingIv = s.missE() + s.missN() == 0 ? 0 : term(s.missE(), s.missN(), te, tn);
    double best = Double.NEGATIVE_INFINITY;
    for (int mask = 0; mask < 1 << (m - 1); mask++) {
      List<long[]> bins = new ArrayList<>();
      long e = 0;
      long ne = 0;
      for (int i = 0; i < m; i++) {
        e += s.e()[i];
        ne += s.ne()[i];
        if (i == m - 1 || (mask & (1 << i)) != 0) {
          bins.add(new long[] {e, ne});
          e = 0;
          ne = 0;
        }
      }
      if (maxBins > 0 && bins.size() > maxBins) {
        continue;
      }
      boolean ok = true;
      double[] rates = new double[bins.size()];
      double iv = missingIv;
      for (int b = 0; b < bins.size(); b++) {
        long[] c = bins.get(b);
        if (c[0] + c[1] < Math.ceil(minShare * clean) || c[0] < minEvents || c[1] < 1) {
          ok = false;
        }
        rates[b] = (double) c[0] / (c[0] + c[1]);
        iv += term(c[0], c[1], te, tn);
      }
      if (!ok) {
        continue;
      }
      boolean shapeOk =
          switch (trend) {
            case NONE -> true;
            case ASCENDING -> isMonotone(rates, 1);
            case DESCENDING -> isMonotone(rates, -1);
            case AUTO -> isMonotone(rates, 1) || isMonotone(rates, -1);
            case PEAK -> isPeak(rates, 1);
            case VALLEY -> isPeak(rates, -1);
          };
      if (shapeOk && iv > best) {
        best = iv;
      }
    }
    return best;
  }

  private static double term(long e, long ne, long te, long tn) {
    double pe = (double) e / te;
    double pn = (double) ne / tn;
    return (pe - pn) * Math.log(pe / pn);
  }

  private static boolean isMonotone(double[] r, int sign) {
    for (int i = 1; i < r.length; i++) {
      if (sign * (r[i] - r[i - 1]) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPeak(double[] r, int sign) {
    for (int top = 0; top < r.length; top++) {
      boolean ok = true;
      for (int i = 1; i < r.length; i++) {
        double d = sign * (r[i] - r[i - 1]);
        if ((i <= top && d < 0) || (i > top && d > 0)) {
          ok = false;
        }
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  private static void assertTrendHolds(BinningTable t, MonotonicTrend trend) {
    int regular = t.splits().length + 1;
    double[] r = new double[regular];
    for (int i = 0; i < regular; i++) {
      r[i] = t.bins().get(i).eventRate();
    }
    switch (trend) {
      case ASCENDING -> assertThat(isMonotone(r, 1)).isTrue();
      case DESCENDING -> assertThat(isMonotone(r, -1)).isTrue();
      case PEAK -> assertThat(isPeak(r, 1)).isTrue();
      case VALLEY -> assertThat(isPeak(r, -1)).isTrue();
      default -> {}
    }
  }

  @Test
  void fit_missingAndSpecialValues_getOwnBinsAndWoe() {
    double[] x = {1, 2, 3, 4, -999, -999, Double.NaN, Double.NaN, Double.NaN, 5, 6, 7};
    int[] y = {0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0};
    BinningTable t =
        OptimalBinning.builder()
            .specialValues(-999)
            .userSplits(3.5)
            .build()
            .fit(x, y);
    assertThat(t.bins()).hasSize(4);
    BinningTable.Bin special = t.bins().get(2);
    BinningTable.Bin missing = t.bins().get(3);
    assertThat(special.kind()).isEqualTo(BinningTable.BinKind.SPECIAL);
    assertThat(special.count()).isEqualTo(2);
    assertThat(special.events()).isEqualTo(1);
    assertThat(missing.kind()).isEqualTo(BinningTable.BinKind.MISSING);
    assertThat(missing.events()).isEqualTo(2);
    assertThat(missing.nonEvents()).isEqualTo(1);
    // totals 6 events, 6 non-events: missing WoE = ln((2/6)/(1/6))
    assertThat(missing.woe()).isCloseTo(Math.log(2.0), within(1e-15));
    assertThat(t.woe(Double.NaN)).isEqualTo(missing.woe());
    assertThat(t.binIndex(-999)).isEqualTo(2);
    assertThat(t.binIndex(3.5)).isEqualTo(1);
    assertThat(t.binIndex(3.4999)).isEqualTo(0);
    double[] out = new double[3];
    t.transform(new double[] {Double.NaN, -999, 0}, out);
    assertThat(out).containsExactly(missing.woe(), special.woe(), t.bins().get(0).woe());
  }

  @Test
  void fit_zeroEventsInBin_usesScorecardPointNineNineRule() {
    double[] x = {1, 1, 2, 2, 2};
    int[] y = {0, 0, 1, 1, 0};
    BinningTable t = OptimalBinning.builder().userSplits(1.5).build().fit(x, y);
    // bin 0: 0.99 events / 2 non-events; totals re-summed: events 2.99, non-events 3
    double woe0 = Math.log((0.99 / 2.99) / (2.0 / 3.0));
    double woe1 = Math.log((2.0 / 2.99) / (1.0 / 3.0));
    assertThat(t.bins().get(0).woe()).isCloseTo(woe0, within(1e-15));
    assertThat(t.bins().get(1).woe()).isCloseTo(woe1, within(1e-15));
    double iv = (0.99 / 2.99 - 2.0 / 3) * woe0 + (2.0 / 2.99 - 1.0 / 3) * woe1;
    assertThat(t.iv()).isCloseTo(iv, within(1e-15));
  }

  @Test
  void fit_quantilePreBinsWithoutMerge_haveEqualCounts() {
    int n = 1000;
    double[] x = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i * 7919) % n; // a permutation of 0..999
      y[i] = i % 3 == 0 ? 1 : 0;
    }
    BinningTable t =
        OptimalBinning.builder()
            .preBinning(PreBinning.QUANTILE)
            .maxPreBins(10)
            .optimize(false)
            .build()
            .fit(x, y);
    assertThat(t.splits()).containsExactly(100, 200, 300, 400, 500, 600, 700, 800, 900);
    for (int i = 0; i < 10; i++) {
      assertThat(t.bins().get(i).count()).isEqualTo(100);
    }
  }

  @Test
  void fit_maxBinsAndMinShare_areRespected() {
    Random rnd = new Random(5);
    int n = 20000;
    double[] x = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextGaussian();
      y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(2 + 1.5 * x[i])) ? 1 : 0;
    }
    BinningTable t =
        OptimalBinning.builder()
            .preBinning(PreBinning.QUANTILE)
            .maxPreBins(40)
            .maxBins(5)
            .minBinShare(0.1)
            .build()
            .fit(x, y);
    assertThat(t.splits().length + 1).isBetween(2, 5);
    assertThat(t.trend()).isEqualTo(MonotonicTrend.DESCENDING);
    for (int i = 0; i <= t.splits().length; i++) {
      assertThat(t.bins().get(i).count()).isGreaterThanOrEqualTo(2000);
    }
    assertTrendHolds(t, MonotonicTrend.DESCENDING);
  }

  @Test
  void cartPreBinning_oneSplit_equalsBruteForceGiniScan() {
    Random rnd = new Random(99);
    for (int trial = 0; trial < 5; trial++) {
      int n = 3000;
      double[] x = new double[n];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        x[i] = Math.rint(rnd.nextGaussian() * 20) / 4; // ties, values exact in float32
        y[i] = rnd.nextDouble() < (x[i] < 1 + trial ? 0.4 : 0.1) ? 1 : 0;
      }
      BinningTable t =
          OptimalBinning.builder()
              .preBinning(PreBinning.CART)
              .maxPreBins(2)
              .minPreBinShare(0.05)
              .optimize(false)
              .build()
              .fit(x, y);
      double[] sorted = x.clone();
      java.util.Arrays.sort(sorted);
      long minLeaf = (long) Math.ceil(0.05 * n);
      double bestImpurity = Double.POSITIVE_INFINITY;
      double bestThreshold = Double.NaN;
      for (int k = 1; k < n; k++) {
        if (sorted[k] == sorted[k - 1]) {
          continue;
        }
        double threshold = (sorted[k - 1] + sorted[k]) / 2;
        long nl = 0;
        long el = 0;
        long er = 0;
        for (int i = 0; i < n; i++) {
          if (x[i] < threshold) {
            nl++;
            el += y[i];
          } else {
            er += y[i];
          }
        }
        long nr = n - nl;
        if (nl < minLeaf || nr < minLeaf) {
          continue;
        }
        double weighted = nl * gini(el, nl) + nr * gini(er, nr);
        if (weighted < bestImpurity - 1e-9) {
          bestImpurity = weighted;
          bestThreshold = threshold;
        }
      }
      assertThat(t.splits()).containsExactly(bestThreshold);
    }
  }

  private static double gini(long events, long count) {
    double p = (double) events / count;
    return 1 - p * p - (1 - p) * (1 - p);
  }

  @Test
  void fit_impossibleConstraints_giveOneBin() {
    double[] x = {1, 2, 3, 4};
    int[] y = {1, 0, 1, 0};
    BinningTable t =
        OptimalBinning.builder().preBinning(PreBinning.DISTINCT).minEventCount(5).build().fit(x, y);
    assertThat(t.splits()).isEmpty();
    assertThat(t.bins().get(0).count()).isEqualTo(4);
  }

  @Test
  void fitCategorical_rareCategories_goToOtherBin() {
    List<String> cats = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    addRows(cats, ys, "a", 100, 10);
    addRows(cats, ys, "b", 100, 30);
    addRows(cats, ys, "c", 100, 60);
    addRows(cats, ys, "rare1", 3, 1);
    addRows(cats, ys, "rare2", 2, 2);
    addRows(cats, ys, null, 5, 1);
    int[] y = ys.stream().mapToInt(Integer::intValue).toArray();
    BinningTable t =
        OptimalBinning.builder()
            .rareCategoryShare(0.02)
            .build()
            .fitCategorical(cats.toArray(new String[0]), y);
    assertThat(t.isCategorical()).isTrue();
    assertThat(t.bins()).hasSize(5);
    assertThat(t.bins().get(0).categories()).containsExactly("a");
    assertThat(t.bins().get(2).categories()).containsExactly("c");
    BinningTable.Bin other = t.bins().get(3);
    assertThat(other.kind()).isEqualTo(BinningTable.BinKind.OTHER);
    assertThat(other.count()).isEqualTo(5);
    assertThat(other.events()).isEqualTo(3);
    assertThat(t.binIndex("rare1")).isEqualTo(3);
    assertThat(t.binIndex("unseen")).isEqualTo(3);
    assertThat(t.binIndex((String) null)).isEqualTo(4);
    assertThat(t.bins().get(4).count()).isEqualTo(5);
  }

  @Test
  void fitCategorical_minBinShare_mergesAdjacentByEventRate() {
    List<String> cats = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    addRows(cats, ys, "low", 500, 50);
    addRows(cats, ys, "mid1", 40, 10);
    addRows(cats, ys, "mid2", 40, 12);
    addRows(cats, ys, "high", 420, 210);
    int[] y = ys.stream().mapToInt(Integer::intValue).toArray();
    BinningTable t =
        OptimalBinning.builder().minBinShare(0.07).build().fitCategorical(cats.toArray(new String[0]), y);
    // mid1 and mid2 (4 % each) must be merged with each other or a neighbour
    assertThat(t.bins().get(t.binIndex("mid1")).count()).isGreaterThanOrEqualTo(70);
    assertThat(t.bins().get(t.binIndex("mid2")).count()).isGreaterThanOrEqualTo(70);
    assertThat(t.bins().get(t.binIndex("low")).categories()).contains("low");
  }

  private static void addRows(List<String> cats, List<Integer> ys, String c, int n, int events) {
    for (int i = 0; i < n; i++) {
      cats.add(c);
      ys.add(i < events ? 1 : 0);
    }
  }

  @Test
  void fitColumns_twoThreads_bitIdenticalToOneThread() {
    Random rnd = new Random(11);
    int n = 5000;
    double[][] cols = new double[6][n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextDouble() < 0.2 ? 1 : 0;
      for (int c = 0; c < cols.length; c++) {
        cols[c][i] = rnd.nextGaussian() + 0.3 * c * y[i];
      }
    }
    OptimalBinning b = OptimalBinning.builder().build();
    List<BinningTable> one = b.fitColumns(cols, y, 1);
    List<BinningTable> two = b.fitColumns(cols, y, 2);
    for (int c = 0; c < cols.length; c++) {
      assertThat(two.get(c).splits()).containsExactly(one.get(c).splits());
      assertThat(Double.doubleToLongBits(two.get(c).iv()))
          .isEqualTo(Double.doubleToLongBits(one.get(c).iv()));
    }
    assertThat(one.get(5).iv()).isGreaterThan(one.get(1).iv());
  }

  @Test
  void fit_badInput_isRejectedWithPosition() {
    OptimalBinning b = OptimalBinning.builder().build();
    assertThatThrownBy(() -> b.fit(new double[] {1, 2}, new int[] {0, 3}))
        .hasMessage("binning: labels[1] expected 0 or 1, got 3");
    assertThatThrownBy(() -> b.fit(new double[] {1, 2}, new int[] {0}))
        .hasMessageContaining("differ in length");
    assertThatThrownBy(() -> OptimalBinning.builder().userSplits(2, 1))
        .hasMessageContaining("strictly increasing");
  }
}

package io.chainscore.develop.binning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.develop.SharedData;
import io.chainscore.develop.TabularData;
import io.chainscore.validation.Discrimination;
import io.chainscore.validation.Stability;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * optbinning's published default binning of {@code mean radius} (tests/test_binning.py::
 * test_numerical_default, README.rst), values from shared/data/breast_cancer/README.md. Event =
 * target 1 (benign), as in optbinning; optbinning's WoE is the negative of ours.
 */
class BreastCancerReferenceTest {
  private static final double[] PUBLISHED_SPLITS = {
    11.42500019, 12.32999992, 13.09499979, 13.70499992, 15.04500008, 16.92500019
  };
  private static final long[] COUNT = {118, 79, 68, 49, 83, 54, 118};
  private static final long[] NON_EVENT = {3, 3, 7, 10, 28, 44, 117};
  private static final long[] EVENT = {115, 76, 61, 39, 55, 10, 1};
  private static final double[] OPTBINNING_WOE = {
    -3.12517, -2.710972, -1.643814, -0.839827, -0.153979, 2.002754, 5.283323
  };
  private static final double OPTBINNING_IV = 5.04392547;

  private static double[] radius;
  private static int[] target;

  @BeforeAll
  static void load() {
    TabularData data =
        TabularData.readCsv(SharedData.file("breast_cancer", "breast_cancer.csv"), "target");
    radius = data.numeric("mean radius");
    target = data.target();
    assertThat(radius).hasSize(569);
  }

  @Test
  void fit_publishedSplitsAsUserSplits_reproducesCountsWoeAndIv() {
    BinningTable t =
        OptimalBinning.builder().userSplits(PUBLISHED_SPLITS).build().fit(radius, target);
    assertPublishedBins(t);
  }

  @Test
  void fit_defaults_reproducesOptbinningSplitsAndTable() {
    BinningTable t = OptimalBinning.builder().build().fit(radius, target);
    double[] splits = t.splits();
    assertThat(splits).hasSize(PUBLISHED_SPLITS.length);
    for (int i = 0; i < splits.length; i++) {
      // published values are printed with 8 decimals; ours are the same float32 midpoints
      assertThat(splits[i]).isCloseTo(PUBLISHED_SPLITS[i], within(5e-9));
    }
    assertThat(t.trend()).isEqualTo(MonotonicTrend.DESCENDING);
    assertPublishedBins(t);
  }

  /**
   * optbinning's binning-table Gini 0.87541620 and KS 0.72862164, recomputed here with
   * risk-core's rank statistics on the WoE-transformed characteristic (ties within a bin).
   */
  @Test
  void transform_defaults_giniAndKsMatchOptbinningTable() {
    BinningTable t = OptimalBinning.builder().build().fit(radius, target);
    double[] woe = new double[radius.length];
    t.transform(radius, woe);
    assertThat(Discrimination.gini(woe, target)).isCloseTo(0.87541620, within(1e-8));
    assertThat(Discrimination.ks(woe, target)).isCloseTo(0.72862164, within(1e-8));
  }

  @Test
  void countsOf_fittingSampleAndShiftedSample_giveCsi() {
    BinningTable t = OptimalBinning.builder().build().fit(radius, target);
    assertThat(t.countsOf(radius)).containsExactly(t.counts());
    assertThat(Stability.csiFromCounts(t.counts(), t.countsOf(radius))).isZero();
    double[] shifted = new double[radius.length];
    for (int i = 0; i < radius.length; i++) {
      shifted[i] = radius[i] + 1.0;
    }
    long[] actual = t.countsOf(shifted);
    long[] expected = t.counts();
    double csi = 0;
    for (int i = 0; i < 7; i++) { // special and missing bins are empty on both sides
      double a = actual[i] / 569.0;
      double e = expected[i] / 569.0;
      csi += (a - e) * Math.log(a / e);
    }
    assertThat(actual[7] + actual[8]).isZero();
    // the two empty trailing bins contribute (1e-4 - 1e-4) ln 1 = 0
    assertThat(Stability.csiFromCounts(expected, actual)).isCloseTo(csi, within(1e-12));
    assertThat(csi).isGreaterThan(0.1);
  }

  private static void assertPublishedBins(BinningTable t) {
    List<BinningTable.Bin> bins = t.bins();
    assertThat(bins).hasSize(7 + 2); // + special + missing
    for (int i = 0; i < 7; i++) {
      BinningTable.Bin b = bins.get(i);
      assertThat(b.count()).as("count of bin %d", i).isEqualTo(COUNT[i]);
      assertThat(b.nonEvents()).as("non-events of bin %d", i).isEqualTo(NON_EVENT[i]);
      assertThat(b.events()).as("events of bin %d", i).isEqualTo(EVENT[i]);
      assertThat(-b.woe()).as("optbinning WoE of bin %d", i).isCloseTo(OPTBINNING_WOE[i], within(1e-6));
    }
    assertThat(bins.get(7).count()).isZero();
    assertThat(bins.get(8).count()).isZero();
    assertThat(t.iv()).isCloseTo(OPTBINNING_IV, within(1e-8));
  }
}

package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The quantised evaluator (rows mapped once to per-column bin indexes, integer compares in the
 * trees) is exact: margins equal the node-by-node {@link ReferenceEvaluator} bit for bit on random
 * rows and on rows at, just above and just below every threshold and every compiled bound, with
 * NaN, signed zeros and infinities, for both precisions and every missing rule.
 */
class QuantizedEvaluationTest {
  private static final int FEATURES = 5;

  @Test
  void cutsAtOrBelow_randomSortedCuts_equalsLinearCount() {
    Random random = new Random(5);
    for (int trial = 0; trial < 2000; trial++) {
      int n = random.nextInt(40);
      double[] cuts = new double[n + 3];
      for (int i = 0; i < n; i++) {
        cuts[3 + i] = random.nextInt(4) == 0 ? random.nextInt(9) - 4 : random.nextGaussian();
      }
      Arrays.sort(cuts, 3, 3 + n);
      double[] distinct = Arrays.stream(cuts, 3, 3 + n).distinct().toArray();
      System.arraycopy(distinct, 0, cuts, 3, distinct.length);
      for (int probe = 0; probe < 30; probe++) {
        double x = probe < distinct.length ? distinct[probe] : random.nextGaussian() * 3;
        x = probe % 3 == 1 ? Math.nextUp(x) : probe % 3 == 2 ? Math.nextDown(x) : x;
        int expected = 0;
        for (double c : distinct) {
          expected += c <= x ? 1 : 0;
        }
        assertThat(QuantizedLayout.cutsAtOrBelow(cuts, 3, distinct.length, x)).isEqualTo(expected);
      }
      assertThat(QuantizedLayout.cutsAtOrBelow(cuts, 3, distinct.length, Double.NEGATIVE_INFINITY))
          .isZero();
      assertThat(QuantizedLayout.cutsAtOrBelow(cuts, 3, distinct.length, Double.POSITIVE_INFINITY))
          .isEqualTo(distinct.length);
    }
  }

  @Test
  void margins_numericEnsembles_equalReferenceAtAroundEveryThreshold() throws Exception {
    Random random = new Random(41);
    List<Boolean> numeric = Collections5.allFalse();
    List<String> names = List.of("a", "b", "c", "d", "e");
    for (TreeEnsemble.Precision precision : TreeEnsemble.Precision.values()) {
      for (int model = 0; model < 12; model++) {
        List<DecisionTree> trees = new ArrayList<>();
        int count = 1 + random.nextInt(30);
        for (int t = 0; t < count; t++) {
          trees.add(RandomTrees.tree(random, precision, numeric, 1 + random.nextInt(7)));
        }
        TreeEnsemble ensemble = TreeEnsemble.of(names, numeric, trees, 0.125, TreeEnsemble.Link.LOGISTIC, 1,
            precision, "quantised");
        CompiledTreeEnsemble compiled = (CompiledTreeEnsemble) ensemble.compile();
        assertThat(compiled.quantized).isTrue();
        assertThat(compiled.rowMasks).as("depth <= 8: the 64-row mask path").isNotNull();
        assertRowsMatchReference(ensemble, compiled, probeRows(ensemble, compiled, random));
      }
    }
  }

  @Test
  void margins_concurrentCallers_getTheSingleThreadedMargins() throws Exception {
    // the 64-row mask path keeps per-thread scratch: four threads scoring different slices at
    // once must each get, bit for bit, what one thread alone gets
    Random random = new Random(53);
    List<Boolean> numeric = Collections5.allFalse();
    List<DecisionTree> trees = new ArrayList<>();
    for (int t = 0; t < 40; t++) {
      trees.add(RandomTrees.tree(random, TreeEnsemble.Precision.FLOAT32, numeric, 1 + random.nextInt(6)));
    }
    TreeEnsemble ensemble = TreeEnsemble.of(List.of("a", "b", "c", "d", "e"), numeric, trees, 0.5,
        TreeEnsemble.Link.LOGISTIC, 1, TreeEnsemble.Precision.FLOAT32, "concurrent");
    CompiledTreeEnsemble compiled = (CompiledTreeEnsemble) ensemble.compile();
    assertThat(compiled.rowMasks).isNotNull();
    int n = 4_000;
    double[] rows = new double[n * FEATURES];
    for (int r = 0; r < n; r++) {
      System.arraycopy(randomRow(random), 0, rows, r * FEATURES, FEATURES);
    }
    double[] expected = new double[n];
    compiled.margins(rows, n, FEATURES, expected);
    int wrong = io.chainscore.scoring.Concurrently.mismatches(4, thread -> {
      Random slices = new Random(thread);
      int mismatches = 0;
      for (int round = 0; round < 100; round++) {
        int from = slices.nextInt(n - 500);
        int count = 1 + slices.nextInt(500);
        double[] out = new double[count];
        compiled.margins(Arrays.copyOfRange(rows, from * FEATURES, (from + count) * FEATURES), count, FEATURES, out);
        for (int r = 0; r < count; r++) {
          mismatches += Double.doubleToRawLongBits(out[r]) == Double.doubleToRawLongBits(expected[from + r]) ? 0 : 1;
        }
      }
      return mismatches;
    });
    assertThat(wrong).isZero();
  }

  @Test
  void margins_perfectTreesDeeperThanEight_walkEightRowsAndStayExact() throws Exception {
    Random random = new Random(47);
    List<Boolean> numeric = Collections5.allFalse();
    List<String> names = List.of("a", "b", "c", "d", "e");
    List<DecisionTree> trees = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      trees.add(fullTree(random, 9));
      trees.add(RandomTrees.tree(random, TreeEnsemble.Precision.FLOAT32, numeric, 1 + random.nextInt(7)));
    }
    TreeEnsemble ensemble = TreeEnsemble.of(names, numeric, trees, 0.25, TreeEnsemble.Link.IDENTITY, 1,
        TreeEnsemble.Precision.FLOAT32, "deep");
    CompiledTreeEnsemble compiled = (CompiledTreeEnsemble) ensemble.compile();
    assertThat(compiled.quantized).isTrue();
    assertThat(compiled.rowMasks).as("a leaf number of depth 9 does not fit a byte").isNull();
    assertRowsMatchReference(ensemble, compiled, probeRows(ensemble, compiled, random));
  }

  @Test
  void margins_moreDistinctThresholdsThanBins_fallBackAndStayExact() throws Exception {
    Random random = new Random(43);
    List<Boolean> numeric = Collections5.allFalse();
    List<String> names = List.of("a", "b", "c", "d", "e");
    List<DecisionTree> trees = new ArrayList<>();
    // 70 full depth-10 trees splitting on column 0 only: 71,610 distinct thresholds > 65,535.
    for (int t = 0; t < 70; t++) {
      trees.add(fullTree(random, 10));
    }
    TreeEnsemble ensemble = TreeEnsemble.of(names, numeric, trees, 0, TreeEnsemble.Link.IDENTITY, 1,
        TreeEnsemble.Precision.FLOAT64, "many cuts");
    CompiledTreeEnsemble compiled = (CompiledTreeEnsemble) ensemble.compile();
    assertThat(compiled.quantized).isFalse();
    double[][] rows = new double[300][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = randomRow(random);
      rows[r][0] = r % 10 == 0 ? Double.NaN : random.nextGaussian();
    }
    assertRowsMatchReference(ensemble, compiled, rows);
  }

  static DecisionTree fullTree(Random random, int depth) throws Exception {
    int n = (1 << (depth + 1)) - 1;
    int internal = (1 << depth) - 1;
    int[] left = new int[n];
    int[] right = new int[n];
    double[] threshold = new double[n];
    boolean[] defaultLeft = new boolean[n];
    double[] value = new double[n];
    double[] cover = new double[n];
    DecisionTree.MissingRule[] missing = new DecisionTree.MissingRule[n];
    for (int i = 0; i < n; i++) {
      missing[i] = DecisionTree.MissingRule.NAN_TO_DEFAULT;
      cover[i] = 1;
      if (i < internal) {
        left[i] = 2 * i + 1;
        right[i] = 2 * i + 2;
        threshold[i] = random.nextGaussian();
        defaultLeft[i] = random.nextBoolean();
      } else {
        left[i] = -1;
        right[i] = -1;
        value[i] = random.nextGaussian();
      }
    }
    return DecisionTree.of("full", FEATURES, left, right, new int[n], threshold, new boolean[n], new int[n][],
        defaultLeft, missing, value, cover, 1.0);
  }

  /** Random rows, plus for every numeric split rows at, above and below its threshold and bound. */
  private static double[][] probeRows(TreeEnsemble ensemble, CompiledTreeEnsemble compiled, Random random) {
    List<double[]> rows = new ArrayList<>();
    for (int r = 0; r < 300; r++) {
      rows.add(randomRow(random));
    }
    List<Double> probes = new ArrayList<>(List.of(Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE, (double) Float.MAX_VALUE));
    int featureOf = 0;
    for (DecisionTree tree : ensemble.trees()) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (tree.isLeaf(i)) {
          continue;
        }
        double t = tree.threshold(i);
        for (double v : new double[] {t, Math.nextUp(t), Math.nextDown(t), Math.nextUp((float) t),
            Math.nextDown((float) t)}) {
          double[] row = randomRow(random);
          row[tree.splitFeature(i)] = v;
          rows.add(row);
        }
      }
    }
    for (double bound : compiled.quantization.cuts) {
      probes.add(bound);
      probes.add(Math.nextUp(bound));
      probes.add(Math.nextDown(bound));
    }
    for (double v : probes) {
      double[] row = randomRow(random);
      row[featureOf] = v;
      featureOf = (featureOf + 1) % FEATURES;
      rows.add(row);
    }
    return rows.toArray(new double[0][]);
  }

  static double[] randomRow(Random random) {
    double[] row = new double[FEATURES];
    for (int f = 0; f < FEATURES; f++) {
      row[f] = RandomTrees.value(random, false);
    }
    return row;
  }

  private static void assertRowsMatchReference(TreeEnsemble ensemble, CompiledTreeEnsemble compiled,
      double[][] rows) {
    int stride = FEATURES + 1;
    double[] data = new double[rows.length * stride];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, data, r * stride, FEATURES);
      data[r * stride + FEATURES] = Double.NaN; // padding the evaluator must ignore
    }
    double[] out = new double[rows.length];
    compiled.margins(data, rows.length, stride, out);
    for (int r = 0; r < rows.length; r++) {
      double expected = ReferenceEvaluator.margin(ensemble, rows[r]);
      assertThat(Double.doubleToLongBits(out[r])).as("batch row %s", Arrays.toString(rows[r]))
          .isEqualTo(Double.doubleToLongBits(expected));
      assertThat(Double.doubleToLongBits(compiled.margin(data, r * stride))).as("single row %s",
          Arrays.toString(rows[r])).isEqualTo(Double.doubleToLongBits(expected));
    }
  }

  private static final class Collections5 {
    static List<Boolean> allFalse() {
      return List.of(false, false, false, false, false);
    }
  }
}

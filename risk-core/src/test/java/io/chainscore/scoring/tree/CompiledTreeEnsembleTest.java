package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.scoring.spi.CompiledModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The flat evaluator against the simple node-walking {@link ReferenceEvaluator}. */
class CompiledTreeEnsembleTest {
  @Test
  void float32LessThanBound_agreesWithFloatComparisonAroundEveryRoundingTie() {
    Random random = new Random(5);
    float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.1f, 3.4e-39f};
    for (int k = 0; k < 200_000; k++) {
      float t = k < specials.length ? specials[k]
          : Float.intBitsToFloat(random.nextInt());
      if (Float.isNaN(t)) {
        continue;
      }
      double bound = CompiledTreeEnsemble.float32LessThanBound(t);
      float below = Math.nextDown(t);
      double mid = ((double) below + t) / 2;
      double[] probes = {t, Math.nextUp((double) t), Math.nextDown((double) t), below, mid, Math.nextUp(mid),
          Math.nextDown(mid), bound, Math.nextDown(bound), Math.nextUp(bound), random.nextGaussian() * t,
          Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
      for (double x : probes) {
        if (Double.isNaN(x)) {
          continue;
        }
        assertThat(x < bound).as("x=%s t=%s bound=%s", x, t, bound).isEqualTo((float) x < t);
      }
    }
  }

  @Test
  void margins_randomEnsemblesOfBothPrecisions_equalReferenceEvaluatorBitForBit() throws Exception {
    Random random = new Random(17);
    for (TreeEnsemble.Precision precision : TreeEnsemble.Precision.values()) {
      for (int model = 0; model < 20; model++) {
        TreeEnsemble ensemble = RandomTrees.ensemble(random, precision, 6, 1 + random.nextInt(40));
        CompiledModel compiled = ensemble.compile();
        int rows = 1 + random.nextInt(100);
        int stride = 6 + random.nextInt(3);
        double[] data = new double[rows * stride];
        for (int r = 0; r < rows; r++) {
          for (int f = 0; f < 6; f++) {
            data[r * stride + f] = RandomTrees.value(random, f % 3 == 2);
          }
        }
        double[] out = new double[rows];
        compiled.margins(data, rows, stride, out);
        for (int r = 0; r < rows; r++) {
          double[] row = java.util.Arrays.copyOfRange(data, r * stride, r * stride + 6);
          double expected = ReferenceEvaluator.margin(ensemble, row);
          assertThat(Double.doubleToLongBits(out[r])).as("%s model %d row %s", precision, model,
              java.util.Arrays.toString(row)).isEqualTo(Double.doubleToLongBits(expected));
          assertThat(compiled.margin(data, r * stride)).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void margins_treesDeeperThanThePerfectLayout_equalReferenceEvaluator() throws Exception {
    Random random = new Random(23);
    java.util.List<String> names = java.util.List.of("a", "b", "c");
    java.util.List<Boolean> numeric = java.util.List.of(false, false, false);
    for (TreeEnsemble.Precision precision : TreeEnsemble.Precision.values()) {
      java.util.List<DecisionTree> trees = new java.util.ArrayList<>();
      for (int t = 0; t < 9; t++) {
        trees.add(RandomTrees.tree(random, precision, numeric, t % 2 == 0 ? 13 : 3));
      }
      TreeEnsemble ensemble = TreeEnsemble.of(names, numeric, trees, 0.25, TreeEnsemble.Link.IDENTITY, 1,
          precision, "deep");
      assertThat(trees.stream().mapToInt(DecisionTree::depth).max().getAsInt())
          .isGreaterThan(CompiledTreeEnsemble.PERFECT_MAX_DEPTH);
      CompiledModel compiled = ensemble.compile();
      double[] data = new double[40 * 3];
      for (int i = 0; i < data.length; i++) {
        data[i] = RandomTrees.value(random, false);
      }
      double[] out = new double[40];
      compiled.margins(data, 40, 3, out);
      for (int r = 0; r < 40; r++) {
        double expected = ReferenceEvaluator.margin(ensemble, java.util.Arrays.copyOfRange(data, 3 * r, 3 * r + 3));
        assertThat(out[r]).isEqualTo(expected);
        assertThat(compiled.margin(data, 3 * r)).isEqualTo(expected);
      }
    }
  }

  @Test
  void margin_leafOnlyTreesAndEmptySchema_returnBasePlusLeaves() throws Exception {
    DecisionTree leaf = DecisionTree.of("t", 0, new int[] {-1}, new int[] {-1}, new int[] {0}, new double[] {0},
        new boolean[] {false}, new int[][] {null}, new boolean[] {false},
        new DecisionTree.MissingRule[] {DecisionTree.MissingRule.NAN_TO_DEFAULT}, new double[] {0.25},
        new double[] {1}, 1.0);
    TreeEnsemble model = TreeEnsemble.of(java.util.List.of(), java.util.List.of(), java.util.List.of(leaf, leaf),
        0.5, TreeEnsemble.Link.IDENTITY, 1, TreeEnsemble.Precision.FLOAT64, "leaves");
    CompiledModel compiled = model.compile();
    assertThat(compiled.featureCount()).isZero();
    assertThat(compiled.margin(new double[0], 0)).isEqualTo(1.0);
    double[] out = new double[3];
    compiled.margins(new double[0], 3, 0, out);
    assertThat(out).containsExactly(1.0, 1.0, 1.0);
  }
}

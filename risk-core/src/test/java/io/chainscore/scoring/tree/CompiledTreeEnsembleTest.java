package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.scoring.CompiledModel;
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

package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import io.chainscore.testing.lightgbm.LightGbmNative;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LightGBM models trained and scored by LightGBM 3.3.5 itself (lightgbmlib): raw scores
 * bit-identical, probabilities and TreeSHAP contributions against LightGBM's own, for each missing
 * type (None, Zero, NaN) and categorical bitsets; a random forest refused with its own message.
 */
class LightGbmParityTest {
  private static final int P = 5;
  private static final int[] CATEGORIES = {0, 7, 0, 0, 40};

  private static double[] trainingRows(Random random, int n, boolean zeros) {
    double[] x = new double[n * P];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < P; f++) {
        double v = CATEGORIES[f] > 0 ? random.nextInt(CATEGORIES[f]) : random.nextGaussian();
        if (random.nextInt(8) == 0) {
          v = Double.NaN;
        } else if (zeros && CATEGORIES[f] == 0 && random.nextInt(5) == 0) {
          v = 0.0;
        }
        x[i * P + f] = v;
      }
    }
    return x;
  }

  private static float[] labels(Random random, double[] x, int n, boolean regression) {
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double a = Double.isNaN(x[i * P]) ? 0.5 : x[i * P];
      double c = Double.isNaN(x[i * P + 1]) ? 3 : x[i * P + 1];
      double e = Double.isNaN(x[i * P + 4]) ? 0 : x[i * P + 4];
      double s = a + (c % 3 == 0 ? 1 : -0.5) + (e % 5 == 1 ? 0.8 : 0) + 0.5 * nz(x[i * P + 2]) * nz(x[i * P + 3])
          + 0.3 * random.nextGaussian();
      y[i] = regression ? (float) s : (s > 0.2 ? 1 : 0);
    }
    return y;
  }

  private static double nz(double v) {
    return Double.isNaN(v) ? -1 : v;
  }

  /** 10,000 random rows plus rows at, just above and just below every numeric threshold. */
  private static double[] testRows(Random random, TreeEnsemble model) {
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      rows.add(randomRow(random));
    }
    for (DecisionTree tree : model.trees()) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (tree.isLeaf(i) || tree.isCategorical(i)) {
          continue;
        }
        double t = tree.threshold(i);
        for (double v : new double[] {t, Math.nextUp(t), Math.nextDown(t)}) {
          double[] row = randomRow(random);
          row[tree.splitFeature(i)] = v;
          rows.add(row);
        }
      }
    }
    return LightGbmNative.flatten(rows, P);
  }

  private static double[] randomRow(Random random) {
    double[] row = new double[P];
    for (int f = 0; f < P; f++) {
      int pick = random.nextInt(16);
      if (pick == 0) {
        row[f] = Double.NaN;
      } else if (pick == 1) {
        row[f] = random.nextBoolean() ? 0.0 : -0.0;
      } else if (pick == 2 && CATEGORIES[f] == 0) {
        row[f] = random.nextBoolean() ? 1e-36 : -1e-36;
      } else if (pick == 2) {
        double[] odd = {-1, -0.5, 2.5, CATEGORIES[f] + 100, 1e12};
        row[f] = odd[random.nextInt(odd.length)];
      } else {
        row[f] = CATEGORIES[f] > 0 ? random.nextInt(CATEGORIES[f] + 2) : random.nextGaussian() * 1.5;
      }
    }
    return row;
  }

  private static void assertParity(String params, boolean regression, boolean zeros, long seed,
      String expectedMissingKinds) throws Exception {
    Random random = new Random(seed);
    int n = 3000;
    double[] x = trainingRows(random, n, zeros);
    float[] y = labels(random, x, n, regression);
    try (LightGbmNative lgbm = LightGbmNative.train(x, y, n, P, params, 25)) {
      String text = lgbm.modelText();
      TreeEnsemble model = LightGbmModelReader.read(text);
      assertThat(model.outputsProbability()).isEqualTo(!regression);
      StringBuilder kinds = new StringBuilder();
      for (DecisionTree tree : model.trees()) {
        for (int i = 0; i < tree.nodeCount(); i++) {
          if (!tree.isLeaf(i)) {
            String k = tree.isCategorical(i) ? "C" : tree.missingRule(i).name();
            if (kinds.indexOf(k) < 0) {
              kinds.append(k).append(' ');
            }
          }
        }
      }
      for (String k : expectedMissingKinds.split(" ")) {
        assertThat(kinds.toString()).as("split kinds present in the trained model: %s", kinds).contains(k);
      }
      double[] rows = testRows(random, model);
      int m = rows.length / P;
      double[] raw = lgbm.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
      double[] normal = lgbm.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_NORMAL);
      CompiledModel compiled = model.compile();
      double[] margins = new double[m];
      compiled.margins(rows, m, P, margins);
      int mismatches = 0;
      String first = null;
      for (int r = 0; r < m; r++) {
        if (Double.doubleToLongBits(margins[r]) != Double.doubleToLongBits(raw[r])) {
          mismatches++;
          if (first == null) {
            first = "row " + java.util.Arrays.toString(java.util.Arrays.copyOfRange(rows, r * P, r * P + P))
                + " lightgbm " + raw[r] + " chainscore " + margins[r];
          }
        }
      }
      assertThat(mismatches).as("raw scores differing from LightGBM (first: %s)", first).isZero();
      for (int r = 0; r < m && !regression; r++) {
        // exp differs between glibc and Java by an ulp, so allow a few ulps of the probability.
        assertThat(model.probability(margins[r])).isCloseTo(normal[r], within(4 * Math.ulp(normal[r])));
      }

      double[] contrib = lgbm.predict(rows, 500, lightgbmlibConstants.C_API_PREDICT_CONTRIB);
      double[] phi = new double[P];
      for (int r = 0; r < 500; r++) {
        double bias = compiled.contributions(rows, r * P, phi);
        for (int f = 0; f < P; f++) {
          assertThat(phi[f]).as("contribution row %d feature %d", r, f)
              .isCloseTo(contrib[r * (P + 1) + f], within(1e-9 * (1 + Math.abs(contrib[r * (P + 1) + f]))));
        }
        assertThat(bias).isCloseTo(contrib[r * (P + 1) + P], within(1e-9));
      }
    }
  }

  private static final String COMMON = "num_leaves=15 learning_rate=0.2 min_data_in_leaf=20 num_threads=1"
      + " verbose=-1 deterministic=true seed=1 categorical_feature=1,4 max_cat_to_onehot=4 cat_smooth=1"
      + " min_data_per_group=5 max_bin=63";

  @Test
  void read_binaryWithNanMissing_rawScoresBitIdenticalToLightGbm() throws Exception {
    assertParity("objective=binary " + COMMON, false, false, 1, "C NAN_TO_DEFAULT");
  }

  @Test
  void read_regressionWithZeroAsMissing_rawScoresBitIdenticalToLightGbm() throws Exception {
    assertParity("objective=regression zero_as_missing=true " + COMMON, true, true, 2, "ZERO_AND_NAN_TO_DEFAULT");
  }

  @Test
  void read_binaryWithoutMissingHandling_rawScoresBitIdenticalToLightGbm() throws Exception {
    assertParity("objective=binary use_missing=false sigmoid=0.7 " + COMMON, false, true, 3, "C NAN_AS_ZERO");
  }

  /**
   * LightGBM writes a random forest's {@code average_output} as a bare header line, no {@code =}:
   * the reader names it as what it is, not as a malformed header line.
   */
  @Test
  void read_randomForest_refusedAsAveragedOutput() throws Exception {
    Random random = new Random(4);
    int n = 1000;
    double[] x = trainingRows(random, n, false);
    float[] y = labels(random, x, n, false);
    try (LightGbmNative lgbm = LightGbmNative.train(x, y, n, P, "objective=binary boosting=rf bagging_freq=1"
        + " bagging_fraction=0.7 " + COMMON, 3)) {
      String text = lgbm.modelText();
      assertThat(text.lines()).contains("average_output");
      assertThatThrownBy(() -> LightGbmModelReader.read(text))
          .isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("random-forest models (averaged output) are not supported")
          .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo("average_output"));
    }
  }
}

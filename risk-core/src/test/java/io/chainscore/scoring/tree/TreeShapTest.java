package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TreeSHAP against three independent references: the margin (local accuracy), xgboost4j's
 * predictContrib, and a brute-force Shapley sum over all feature subsets with path-dependent
 * (cover-weighted) conditional expectations.
 */
class TreeShapTest {
  private static XGBoostTraining trained;
  private static TreeEnsemble model;

  @BeforeAll
  static void train() throws Exception {
    trained = XGBoostTraining.train("shap", Map.of("max_depth", 4), 20, 21);
    model = XGBoostModelReader.read(trained.json);
  }

  @AfterAll
  static void dispose() {
    trained.dispose();
  }

  @Test
  void contributions_xgboostModel_matchPredictContribAndSumToMargin() throws Exception {
    float[] x = XGBoostParityTest.rows(model, 31);
    int n = 2000;
    int p = XGBoostTraining.FEATURES;
    x = java.util.Arrays.copyOf(x, n * p);
    DMatrix matrix = XGBoostTraining.matrix(x, n);
    float[][] expected = trained.booster.predictContrib(matrix, 0);
    matrix.dispose();
    CompiledModel compiled = model.compile();
    double[] rows = XGBoostParityTest.toDouble(x);
    double[] phi = new double[p];
    for (int r = 0; r < n; r++) {
      double bias = compiled.contributions(rows, r * p, phi);
      double sum = bias;
      for (int f = 0; f < p; f++) {
        sum += phi[f];
        assertThat(phi[f]).as("row %d feature %d", r, f)
            .isCloseTo(expected[r][f], within(2e-5 * (1 + Math.abs(expected[r][f]))));
      }
      assertThat(bias).isCloseTo(expected[r][p], within(2e-5 * (1 + Math.abs(expected[r][p]))));
      assertThat(sum).isCloseTo(compiled.margin(rows, r * p), within(1e-9));
      // given the margin (as Scorer does), the same bias, bit for bit
      double[] again = new double[p];
      assertThat(compiled.contributions(rows, r * p, again, compiled.margin(rows, r * p))).isEqualTo(bias);
      assertThat(again).containsExactly(phi);
    }
  }

  @Test
  void contributions_randomEnsembles_sumToMarginAndEqualBruteForceShapley() throws Exception {
    Random random = new Random(41);
    for (TreeEnsemble.Precision precision : TreeEnsemble.Precision.values()) {
      for (int m = 0; m < 10; m++) {
        TreeEnsemble ensemble = RandomTrees.ensemble(random, precision, 5, 1 + random.nextInt(6));
        CompiledTreeEnsemble compiled = ensemble.compileTrees(ensemble.defaultSchema());
        double[] row = new double[5];
        double[] phi = new double[5];
        for (int k = 0; k < 30; k++) {
          for (int f = 0; f < 5; f++) {
            row[f] = RandomTrees.value(random, f % 3 == 2);
          }
          double bias = compiled.contributions(row, 0, phi);
          double sum = bias;
          double[] brute = BruteForceShapley.values(compiled, row);
          for (int f = 0; f < 5; f++) {
            sum += phi[f];
            assertThat(phi[f]).as("%s model %d feature %d", precision, m, f).isCloseTo(brute[f], within(1e-9));
          }
          // The bias is the cover-weighted expectation; a float32 model adds its margin's rounding.
          double rounding = precision == TreeEnsemble.Precision.FLOAT32 ? 1e-5 * (1 + Math.abs(sum)) : 0.0;
          assertThat(bias).isCloseTo(compiled.expectedMargin(), within(rounding));
          assertThat(sum).isCloseTo(compiled.margin(row, 0), within(1e-9));
        }
      }
    }
  }
}

package io.chainscore.develop.gbdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.spi.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The xgboost engine's depth chosen per training set ({@link GbdtTrainer#DEPTH_CHOICES}, what
 * {@code chainscore train --depth auto} asks for):
 * each candidate's held-out log-loss against a second computation (trees of that fixed depth
 * trained by the engine on the same kept rows, their log-loss on the held-out rows through the
 * runtime's own evaluator), the choice as the smallest of them, and the final trees as those of the
 * chosen fixed depth trained on all the rows.
 */
class DepthChoiceTest {
  private static final int P = 5;

  private static FeatureSchema schema() {
    List<FeatureSpec> specs = new ArrayList<>();
    for (int j = 0; j < P; j++) {
      specs.add(FeatureSpec.numeric("x" + j, "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "x" + j));
    }
    return FeatureSchema.of(specs);
  }

  private record Data(double[] rows, int[] labels) {}

  /**
   * Rows whose log-odds hold an interaction of the given order (a jump where that many features
   * are all above -0.3) beside a main effect, 10% NaN in x4: deep interactions want deeper trees.
   */
  private static Data data(int n, int order, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * P];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < P; j++) {
        x[i * P + j] = j == 4 && r.nextInt(10) == 0 ? Double.NaN : r.nextGaussian();
      }
      boolean all = true;
      for (int j = 0; j < order; j++) {
        all &= x[i * P + j] > -0.3;
      }
      double logit = -1.5 + 0.7 * x[i * P] + (order > 1 && all ? 4 : 0);
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
    return new Data(x, y);
  }

  private static GbdtTrainer.Builder xgb() {
    return GbdtTrainer.builder().engine(GbdtTrainer.Engine.XGBOOST).seed(5).trees(60);
  }

  /** Log-loss of {@code fit}'s PDs (sigmoid of the runtime's margin) on the rows flagged {@code take}. */
  private static double logLoss(GbdtTrainer.Fit fit, FeatureSchema schema, Data d, boolean[] take) throws Exception {
    CompiledModel compiled = fit.ensemble().compile(schema);
    double sum = 0;
    int count = 0;
    for (int i = 0; i < d.labels().length; i++) {
      if (take[i]) {
        double p = 1 / (1 + Math.exp(-compiled.margin(d.rows(), i * P)));
        sum -= d.labels()[i] == 1 ? Math.log(p) : Math.log(1 - p);
        count++;
      }
    }
    return sum / count;
  }

  private static Data subset(Data d, boolean[] held, boolean side) {
    int n = 0;
    for (boolean h : held) {
      n += h == side ? 1 : 0;
    }
    double[] rows = new double[n * P];
    int[] labels = new int[n];
    for (int i = 0, k = 0; i < held.length; i++) {
      if (held[i] == side) {
        System.arraycopy(d.rows(), i * P, rows, k * P, P);
        labels[k++] = d.labels()[i];
      }
    }
    return new Data(rows, labels);
  }

  /** Checks the choice on {@code d} against the second computation; returns the chosen depth. */
  private static int checkChoice(Data d) throws Exception {
    FeatureSchema schema = schema();
    GbdtTrainer auto = xgb().depthChoices(GbdtTrainer.DEPTH_CHOICES).build();
    assertThat(auto.options().depthChoices()).containsExactly(3, 4, 5, 6);
    assertThat(auto.options().maxDepth()).isZero();
    GbdtTrainer.Fit fit = auto.fit(schema, d.rows(), d.labels());

    boolean[] held = XGBoostEngine.depthValidationRows(d.labels().length, auto.options());
    Data kept = subset(d, held, false);
    assertThat(fit.depthValidationRows()).isEqualTo(d.labels().length - kept.labels().length);
    assertThat(fit.depthLogLoss().keySet()).containsExactly(3, 4, 5, 6);
    int best = -1;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (int depth : List.of(3, 4, 5, 6)) {
      GbdtTrainer.Fit fixed = xgb().maxDepth(depth).build().fit(schema, kept.rows(), kept.labels());
      double expected = logLoss(fixed, schema, d, held);
      // xgboost4j reports its metric as a float
      assertThat(fit.depthLogLoss().get(depth)).as("depth %d", depth).isCloseTo(expected, within(2e-6));
      if (fit.depthLogLoss().get(depth) < bestLoss) {
        bestLoss = fit.depthLogLoss().get(depth);
        best = depth;
      }
    }
    assertThat(fit.depth()).isEqualTo(best);

    GbdtTrainer.Fit atBest = xgb().maxDepth(best).build().fit(schema, d.rows(), d.labels());
    CompiledModel a = fit.ensemble().compile(schema);
    CompiledModel b = atBest.ensemble().compile(schema);
    for (int i = 0; i < d.labels().length; i++) {
      assertThat(Double.doubleToRawLongBits(a.margin(d.rows(), i * P)))
          .as("row %d", i).isEqualTo(Double.doubleToRawLongBits(b.margin(d.rows(), i * P)));
    }
    return fit.depth();
  }

  @Test
  void chosenDepth_isTheSmallestHeldOutLogLoss_andTheTreesAreThatDepthsOnAllRows() throws Exception {
    int shallow = checkChoice(data(500, 1, 7));
    int deep = checkChoice(data(8000, 5, 8));
    // The choice follows the data: a main effect alone against a five-way interaction.
    assertThat(shallow).isEqualTo(3);
    assertThat(deep).isGreaterThan(3);
  }

  @Test
  void provenance_namesTheChoiceAndEachCandidatesLogLoss() {
    Data d = data(1500, 2, 9);
    GbdtTrainer.Result r = xgb().depthChoices(GbdtTrainer.DEPTH_CHOICES).build().train(schema(), d.rows(), d.labels());
    String text = r.bundle().provenance().trainer();
    assertThat(text).contains("max_depth=" + r.fit().depth() + " (chosen among [3, 4, 5, 6] by held-out log-loss,"
        + " validation_rows=" + r.fit().depthValidationRows() + ", log-loss "
        + GbdtTrainer.depthLogLossText(r.fit().depthLogLoss()) + ")");
    assertThat(GbdtTrainer.depthLogLossText(r.fit().depthLogLoss())).matches("3:0\\.\\d{6} 4:0\\.\\d{6} 5:0\\.\\d{6} 6:0\\.\\d{6}");
  }

  @Test
  void theDefaultChooses_aFixedDepthChoosesNothing() {
    // the xgboost engine's default since 2026-12-05 (evening): chosen among 3-6; Smile's: depth 6
    assertThat(xgb().build().options().maxDepth()).isZero();
    assertThat(xgb().build().options().depthChoices()).containsExactly(3, 4, 5, 6);
    assertThat(GbdtTrainer.builder().engine(GbdtTrainer.Engine.SMILE).build().options().maxDepth()).isEqualTo(6);
    assertThat(GbdtTrainer.builder().engine(GbdtTrainer.Engine.SMILE).build().options().depthChoices()).isEmpty();
    assertThat(xgb().maxDepth(3).build().options().depthChoices()).isEmpty();
    Data d = data(800, 1, 10);
    GbdtTrainer.Fit fit = xgb().maxDepth(5).build().fit(schema(), d.rows(), d.labels());
    assertThat(fit.depth()).isEqualTo(5);
    assertThat(fit.depthLogLoss()).isEmpty();
    assertThat(fit.depthValidationRows()).isZero();
    // maxDepth after depthChoices, and the other way round: the last one set holds
    assertThat(xgb().depthChoices(List.of(2, 4)).maxDepth(3).build().options().depthChoices()).isEmpty();
    assertThat(xgb().maxDepth(3).depthChoices(List.of(2, 4)).build().options().maxDepth()).isZero();
  }

  @Test
  void aHeldOutSideWithOneClass_takesTheFirstCandidateUntried() {
    // 40 rows, one event: the held-out fifth or the rest holds no event
    double[] rows = new double[40 * P];
    int[] labels = new int[40];
    for (int i = 0; i < 40; i++) {
      rows[i * P] = i;
    }
    labels[17] = 1;
    GbdtTrainer.Result r = xgb().depthChoices(GbdtTrainer.DEPTH_CHOICES).build().train(schema(), rows, labels);
    assertThat(r.fit().depth()).isEqualTo(3);
    assertThat(r.fit().depthLogLoss()).isEmpty();
    assertThat(r.bundle().provenance().trainer()).contains("untried: one class on a side of the split");
  }

  @Test
  void badChoices_areRefused() {
    assertThatThrownBy(() -> GbdtTrainer.builder().engine(GbdtTrainer.Engine.SMILE).depthChoices(List.of(3, 4)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the xgboost engine");
    assertThatThrownBy(() -> xgb().depthChoices(List.of(4, 3)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending depths in [1, ");
    assertThatThrownBy(() -> xgb().depthChoices(List.of(0, 3)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got [0, 3]");
  }
}

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
 * The xgboost engine's tree shape chosen per training set ({@link GbdtTrainer#SHAPE_CHOICES}: the
 * depths 3-6 and the 31-leaf shape, what {@code chainscore train --depth auto} asks for): each
 * candidate's held-out log-loss against a second computation (trees of that fixed depth and leaf
 * limit trained by the engine on the same kept rows, their log-loss on the held-out rows through
 * the runtime's own evaluator), the choice as the smallest of them, and the final trees as those of
 * the chosen fixed shape trained on all the rows.
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

  /** The trainer of one fixed shape: its depth, and its leaf limit when it has one. */
  private static GbdtTrainer.Builder fixed(GbdtTrainer.TreeShape shape) {
    GbdtTrainer.Builder b = xgb().maxDepth(shape.maxDepth());
    return shape.maxLeaves() > 0 ? b.maxNodes(shape.maxLeaves()) : b;
  }

  /** Checks the choice on {@code d} against the second computation; returns the chosen shape. */
  private static GbdtTrainer.TreeShape checkChoice(Data d) throws Exception {
    FeatureSchema schema = schema();
    GbdtTrainer auto = xgb().build();
    assertThat(auto.options().shapeChoices()).isEqualTo(GbdtTrainer.SHAPE_CHOICES);
    assertThat(auto.options().shapeChoices()).extracting(Object::toString)
        .containsExactly("3", "4", "5", "6", "31 leaves");
    assertThat(auto.options().maxDepth()).isZero();
    GbdtTrainer.Fit fit = auto.fit(schema, d.rows(), d.labels());

    boolean[] held = XGBoostEngine.depthValidationRows(d.labels().length, auto.options());
    Data kept = subset(d, held, false);
    assertThat(fit.depthValidationRows()).isEqualTo(d.labels().length - kept.labels().length);
    assertThat(fit.shapeLogLoss().keySet()).containsExactlyElementsOf(GbdtTrainer.SHAPE_CHOICES);
    GbdtTrainer.TreeShape best = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (GbdtTrainer.TreeShape shape : GbdtTrainer.SHAPE_CHOICES) {
      GbdtTrainer.Fit alone = fixed(shape).build().fit(schema, kept.rows(), kept.labels());
      double expected = logLoss(alone, schema, d, held);
      // xgboost4j reports its metric as a float
      assertThat(fit.shapeLogLoss().get(shape)).as("shape %s", shape).isCloseTo(expected, within(2e-6));
      if (fit.shapeLogLoss().get(shape) < bestLoss) {
        bestLoss = fit.shapeLogLoss().get(shape);
        best = shape;
      }
    }
    assertThat(fit.shape()).isEqualTo(best);
    assertThat(fit.depth()).isEqualTo(best.maxDepth());

    GbdtTrainer.Fit atBest = fixed(best).build().fit(schema, d.rows(), d.labels());
    CompiledModel a = fit.ensemble().compile(schema);
    CompiledModel b = atBest.ensemble().compile(schema);
    for (int i = 0; i < d.labels().length; i++) {
      assertThat(Double.doubleToRawLongBits(a.margin(d.rows(), i * P)))
          .as("row %d", i).isEqualTo(Double.doubleToRawLongBits(b.margin(d.rows(), i * P)));
    }
    return fit.shape();
  }

  @Test
  void chosenShape_isTheSmallestHeldOutLogLoss_andTheTreesAreThatShapesOnAllRows() throws Exception {
    GbdtTrainer.TreeShape shallow = checkChoice(data(500, 1, 7));
    GbdtTrainer.TreeShape deep = checkChoice(data(8000, 5, 8));
    // The choice follows the data: a main effect alone against a five-way interaction.
    assertThat(shallow).isEqualTo(GbdtTrainer.TreeShape.depth(3));
    assertThat(deep.maxDepth()).isGreaterThan(3);
  }

  @Test
  void theThirtyOneLeafShape_isXGBoostsTreesOfDepth31AndAtMost31Leaves() throws Exception {
    // the shape's trees, trained alone, against a fixed depth 31 with a 31-leaf limit
    Data d = data(3000, 5, 12);
    FeatureSchema schema = schema();
    GbdtTrainer.Fit shape = xgb().shapeChoices(List.of(GbdtTrainer.LEAVES_31)).build().fit(schema, d.rows(), d.labels());
    assertThat(shape.shape()).isEqualTo(new GbdtTrainer.TreeShape(31, 31));
    GbdtTrainer.Fit alone = xgb().maxDepth(31).maxNodes(31).build().fit(schema, d.rows(), d.labels());
    CompiledModel a = shape.ensemble().compile(schema);
    CompiledModel b = alone.ensemble().compile(schema);
    for (int i = 0; i < d.labels().length; i++) {
      assertThat(Double.doubleToRawLongBits(a.margin(d.rows(), i * P)))
          .as("row %d", i).isEqualTo(Double.doubleToRawLongBits(b.margin(d.rows(), i * P)));
    }
    int mostLeaves = 0;
    for (var tree : shape.ensemble().trees()) {
      int leaves = 0;
      for (int i = 0; i < tree.nodeCount(); i++) {
        leaves += tree.isLeaf(i) ? 1 : 0;
      }
      mostLeaves = Math.max(mostLeaves, leaves);
    }
    assertThat(mostLeaves).isEqualTo(31);
  }

  @Test
  void provenance_namesTheChoiceAndEachCandidatesLogLoss() {
    Data d = data(1500, 2, 9);
    GbdtTrainer.Result r = xgb().build().train(schema(), d.rows(), d.labels());
    String text = r.bundle().provenance().trainer();
    assertThat(text).contains("max_depth=" + r.fit().depth() + " (chosen among [3, 4, 5, 6, 31 leaves] by held-out"
        + " log-loss, validation_rows=" + r.fit().depthValidationRows() + ", log-loss "
        + GbdtTrainer.shapeLogLossText(r.fit().shapeLogLoss()) + ")");
    assertThat(text).contains("max_leaves=" + r.fit().shape().maxLeaves());
    assertThat(GbdtTrainer.shapeLogLossText(r.fit().shapeLogLoss()))
        .matches("3:0\\.\\d{6} 4:0\\.\\d{6} 5:0\\.\\d{6} 6:0\\.\\d{6} 31 leaves:0\\.\\d{6}");
    // the depths alone, as a caller's leaf limit makes them: the text of 2026-12-05
    GbdtTrainer.Result depths = xgb().depthChoices(GbdtTrainer.DEPTH_CHOICES).build().train(schema(), d.rows(), d.labels());
    assertThat(depths.bundle().provenance().trainer()).contains("max_depth=" + depths.fit().depth()
        + " (chosen among [3, 4, 5, 6] by held-out log-loss,");
    assertThat(GbdtTrainer.shapeLogLossText(depths.fit().shapeLogLoss()))
        .matches("3:0\\.\\d{6} 4:0\\.\\d{6} 5:0\\.\\d{6} 6:0\\.\\d{6}");
  }

  @Test
  void theDefaultChooses_aFixedDepthChoosesNothing() {
    // the xgboost engine's default since 2026-12-06: chosen among 3-6 and the 31-leaf shape (3-6
    // from 2026-12-05, evening); with a leaf limit of the caller's among 3-6; Smile's: depth 6
    assertThat(xgb().build().options().maxDepth()).isZero();
    assertThat(xgb().build().options().shapeChoices()).isEqualTo(GbdtTrainer.SHAPE_CHOICES);
    assertThat(xgb().maxNodes(8).build().options().shapeChoices()).extracting(Object::toString)
        .containsExactly("3", "4", "5", "6");
    assertThat(GbdtTrainer.builder().engine(GbdtTrainer.Engine.SMILE).build().options().maxDepth()).isEqualTo(6);
    assertThat(GbdtTrainer.builder().engine(GbdtTrainer.Engine.SMILE).build().options().shapeChoices()).isEmpty();
    assertThat(xgb().maxDepth(3).build().options().shapeChoices()).isEmpty();
    Data d = data(800, 1, 10);
    GbdtTrainer.Fit fit = xgb().maxDepth(5).build().fit(schema(), d.rows(), d.labels());
    assertThat(fit.depth()).isEqualTo(5);
    assertThat(fit.shapeLogLoss()).isEmpty();
    assertThat(fit.depthValidationRows()).isZero();
    // maxDepth after depthChoices, and the other way round: the last one set holds
    assertThat(xgb().depthChoices(List.of(2, 4)).maxDepth(3).build().options().shapeChoices()).isEmpty();
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
    assertThat(r.fit().shapeLogLoss()).isEmpty();
    assertThat(r.bundle().provenance().trainer()).contains("untried: one class on a side of the split");
  }

  @Test
  void badChoices_areRefused() {
    assertThatThrownBy(() -> GbdtTrainer.builder().engine(GbdtTrainer.Engine.SMILE).depthChoices(List.of(3, 4)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the xgboost engine");
    assertThatThrownBy(() -> xgb().depthChoices(List.of(4, 4)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("tree shape choices must be distinct, got [4, 4]");
    assertThatThrownBy(() -> xgb().depthChoices(List.of(0, 3)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a tree shape's depth must be in [1, 64], got 0");
    assertThatThrownBy(() -> xgb().depthChoices(List.of(3, 32)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a tree shape's depth must be at most 31 with the xgboost engine, got [3, 32]");
    // Smile's trees may be deeper than xgboost's: its fit records its own depth
    Data d = data(300, 1, 3);
    GbdtTrainer.Fit deep = GbdtTrainer.builder().engine(GbdtTrainer.Engine.SMILE).trees(3).maxDepth(40).build()
        .fit(schema(), d.rows(), d.labels());
    assertThat(deep.depth()).isEqualTo(40);
    assertThatThrownBy(() -> new GbdtTrainer.TreeShape(3, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaf limit must be at least 2");
  }
}

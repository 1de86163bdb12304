package io.chainscore.develop.gbdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.validation.Discrimination;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/**
 * The xgboost engine of {@link GbdtTrainer}: the learner's properties on constructed data (each
 * checked against a case where it must fail without the property), and the runtime's margins
 * against a bare xgboost4j booster trained with the same parameters on the same data.
 */
class XGBoostEngineTest {
  private static final int P = 4;

  /** Four numeric features, N(0,1) with 10% NaN in x2 and x3; the label depends on x0, x1 and NaN of x2. */
  private static FeatureSchema numericSchema(int p) {
    List<FeatureSpec> specs = new ArrayList<>();
    for (int j = 0; j < p; j++) {
      specs.add(FeatureSpec.numeric("x" + j, "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "x" + j));
    }
    return FeatureSchema.of(specs);
  }

  private record Data(double[] rows, int[] labels) {}

  private static Data data(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * P];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < P; j++) {
        x[i * P + j] = j >= 2 && r.nextInt(10) == 0 ? Double.NaN : r.nextGaussian();
      }
      double a = x[i * P];
      double b = x[i * P + 1];
      double logit = -1 + 0.8 * a + 0.6 * Math.sin(3 * a) - 0.7 * b + (Double.isNaN(x[i * P + 2]) ? 1.2 : 0)
          + 0.4 * nanToZero(x[i * P + 3]) * a;
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
    return new Data(x, y);
  }

  private static double nanToZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  private static GbdtTrainer.Builder xgb() {
    return GbdtTrainer.builder().engine(GbdtTrainer.Engine.XGBOOST).seed(3);
  }

  private static float[] toFloat(double[] rows) {
    float[] f = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      f[i] = (float) rows[i];
    }
    return f;
  }

  /** A bare xgboost4j booster on the same rows with the engine's own parameter map. */
  private static Booster bare(GbdtTrainer.Options o, FeatureSchema schema, Data d, String[] types) throws Exception {
    int n = d.labels().length;
    DMatrix m = new DMatrix(toFloat(d.rows()), n, schema.size(), Float.NaN);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = d.labels()[i];
    }
    m.setLabel(y);
    m.setFeatureTypes(types);
    List<String> names = new ArrayList<>();
    List<Integer> columns = new ArrayList<>();
    for (int j = 0; j < schema.size(); j++) {
      names.add(schema.feature(j).name());
      columns.add(j);
    }
    m.setFeatureNames(names.toArray(String[]::new));
    Booster b = XGBoost.train(m, XGBoostEngine.params(o, names, schema, columns), o.trees(), new HashMap<>(), null,
        null);
    m.dispose();
    return b;
  }

  /** Random rows with NaN, and rows at every split threshold of the model and its float neighbours. */
  private static double[] probeRows(GbdtTrainer.Fit fit, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Double> thresholds = new ArrayList<>();
    for (var tree : fit.ensemble().trees()) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (!tree.isLeaf(i) && !tree.isCategorical(i)) {
          thresholds.add(tree.threshold(i));
        }
      }
    }
    double[] rows = new double[(n + 3 * thresholds.size()) * P];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = r.nextInt(12) == 0 ? Double.NaN : r.nextGaussian() * 1.5;
    }
    int at = n * P;
    for (double t : thresholds) {
      float f = (float) t;
      for (double v : new double[] {f, Math.nextUp(f), Math.nextDown(f)}) {
        for (int j = 0; j < P; j++) {
          rows[at + j] = v;
        }
        at += P;
      }
    }
    return rows;
  }

  @Test
  void train_xgboostEngine_runtimeMarginsEqualBareXgboost4jMarginsBitForBit() throws Exception {
    FeatureSchema schema = numericSchema(P);
    Data d = data(4000, 11);
    GbdtTrainer trainer = xgb().trees(60).maxDepth(5).subsample(0.8).build();
    GbdtTrainer.Result result = trainer.train(schema, d.rows(), d.labels());
    assertThat(result.fit().ensemble().trees()).hasSize(60);
    Booster booster = bare(trainer.options(), schema, d, new String[] {"q", "q", "q", "q"});
    double[] probe = probeRows(result.fit(), 5000, 12);
    int n = probe.length / P;
    float[][] expected = booster.predict(new DMatrix(toFloat(probe), n, P, Float.NaN), true);
    booster.dispose();
    CompiledModel compiled = result.fit().ensemble().compile(schema);
    int mismatches = 0;
    String first = null;
    for (int i = 0; i < n; i++) {
      double m = compiled.margin(probe, i * P);
      if ((float) m != m || Float.floatToIntBits((float) m) != Float.floatToIntBits(expected[i][0])) {
        mismatches++;
        first = first == null ? "row " + i + ": xgboost " + expected[i][0] + ", runtime " + m : first;
      }
    }
    assertThat(mismatches).as("first: %s", first).isZero();
    assertThat(n).isGreaterThan(5000);
    // The bundle's scorer goes through the same compiled model: its golden rows were re-scored at load.
    assertThat(result.bundle().provenance().trainer()).contains("engine=xgboost4j 3.4.0").contains("rounds=60")
        .contains("trees_kept=60").contains("missing=learned");
  }

  /**
   * xgboost4j prints every round's validation metric to the process's standard output (from native
   * code, past any Java stream) unless its private {@code shouldPrint} reads the parameters as
   * quiet: asked here of xgboost4j itself, on the engine's own parameter map.
   */
  /** The Smile engine's node size in rows has no xgboost equivalent: refused, not ignored. */
  @Test
  void nodeSize_isRefusedWithTheXgboostEngine_andTakenBySmile() {
    assertThatThrownBy(() -> GbdtTrainer.builder().engine(GbdtTrainer.Engine.XGBOOST).nodeSize(50).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nodeSize applies to the Smile engine only; XGBoost has no smallest node size in rows (its"
            + " minChildWeight bounds a sum of hessians, not a row count)");
    assertThat(GbdtTrainer.builder().engine(GbdtTrainer.Engine.SMILE).nodeSize(50).build().options().nodeSize())
        .isEqualTo(50);
    assertThat(GbdtTrainer.builder().engine(GbdtTrainer.Engine.SMILE).build().options().nodeSize()).isEqualTo(20);
  }

  @Test
  void params_keepXgboost4jFromPrintingEachRound() throws Throwable {
    FeatureSchema schema = numericSchema(P);
    // one method looked up (reflection's getDeclaredMethod would resolve every signature of the
    // class, some of them Hadoop types this module does not have)
    java.lang.invoke.MethodHandle shouldPrint = java.lang.invoke.MethodHandles
        .privateLookupIn(XGBoost.class, java.lang.invoke.MethodHandles.lookup())
        .findStatic(XGBoost.class, "shouldPrint", java.lang.invoke.MethodType.methodType(boolean.class, Map.class, int.class));
    Map<String, Object> params = XGBoostEngine.params(xgb().maxDepth(3).earlyStoppingRounds(5).build().options(),
        List.of("x0", "x1", "x2", "x3"), schema, List.of(0, 1, 2, 3));
    assertThat((boolean) shouldPrint.invoke(params, 0)).isFalse();
    params.put("verbose_eval", false);  // what the engine passed before: a Boolean, which xgboost4j prints on
    assertThat((boolean) shouldPrint.invoke(params, 0)).isTrue();
  }

  @Test
  void train_twice_sameBundleBytes() throws Exception {
    FeatureSchema schema = numericSchema(P);
    Data d = data(3000, 21);
    GbdtTrainer trainer = xgb().trees(30).subsample(0.7).build();
    String a = trainer.train(schema, d.rows(), d.labels()).bundle().sha256();
    String b = trainer.train(schema, d.rows(), d.labels()).bundle().sha256();
    assertThat(a).isEqualTo(b);
    String other = xgb().seed(4).trees(30).subsample(0.7).build().train(schema, d.rows(), d.labels()).bundle().sha256();
    assertThat(other).as("another seed draws other subsamples").isNotEqualTo(a);
  }

  @Test
  void monotoneConstraints_holdOnRandomRows_andAreViolatedWithout() throws Exception {
    FeatureSchema schema = numericSchema(P);
    Data d = data(4000, 31);
    Map<String, Integer> monotone = Map.of("x0", 1, "x1", -1);
    CompiledModel constrained = xgb().trees(80).maxDepth(5).monotone(monotone).build()
        .fit(schema, d.rows(), d.labels()).ensemble().compile(schema);
    CompiledModel free = xgb().trees(80).maxDepth(5).build().fit(schema, d.rows(), d.labels()).ensemble()
        .compile(schema);
    assertThat(violations(constrained, 0, 1)).isZero();
    assertThat(violations(constrained, 1, -1)).isZero();
    // sin(3 x0) makes the unconstrained margin fall somewhere along x0: the check can fail.
    assertThat(violations(free, 0, 1)).isPositive();
  }

  /** Steps of a 200-point grid over feature j, on 200 random rows (other features with NaN), against the sign. */
  private static int violations(CompiledModel model, int j, int sign) {
    SplittableRandom r = new SplittableRandom(5);
    int bad = 0;
    double[] row = new double[P];
    for (int k = 0; k < 200; k++) {
      for (int c = 0; c < P; c++) {
        row[c] = r.nextInt(8) == 0 ? Double.NaN : r.nextGaussian();
      }
      double previous = Double.NaN;
      for (int g = 0; g <= 200; g++) {
        row[j] = -4 + 8.0 * g / 200;
        double m = model.margin(row, 0);
        if (g > 0 && sign * (m - previous) < 0) {
          bad++;
        }
        previous = m;
      }
    }
    return bad;
  }

  @Test
  void missingDirection_learnedWhereMissingMeansBad() throws Exception {
    // x0: low values are bad; a missing x0 is as bad as the lowest values.
    FeatureSchema schema = numericSchema(P);
    SplittableRandom r = new SplittableRandom(41);
    int n = 5000;
    double[] x = new double[n * P];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < P; j++) {
        x[i * P + j] = r.nextGaussian();
      }
      boolean missing = r.nextInt(5) == 0;
      double logit = missing ? 1.5 : -1.5 * x[i * P];
      if (missing) {
        x[i * P] = Double.NaN;
      }
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
    io.chainscore.scoring.tree.TreeEnsemble ensemble = xgb().trees(50).maxDepth(3).build().fit(schema, x, y).ensemble();
    List<io.chainscore.scoring.tree.DecisionTree> xgbTrees = ensemble.trees();
    CompiledModel xgb = ensemble.compile(schema);
    double[] missingRow = {Double.NaN, 0, 0, 0};
    double[] high = {2.5, 0, 0, 0};
    // The true log-odds: 1.5 when missing, -3.75 at x0 = 2.5.
    assertThat(xgb.margin(missingRow, 0)).isGreaterThan(xgb.margin(high, 0) + 3).isBetween(0.8, 2.2);
    // The first tree's root splits x0 and sends its missing rows with the low (left, bad) side.
    io.chainscore.scoring.tree.DecisionTree first = xgbTrees.get(0);
    assertThat(first.splitFeature(0)).isZero();
    assertThat(first.defaultLeft(0)).isTrue();
  }

  @Test
  void integerWeights_equalRowDuplication() throws Exception {
    // Values on a grid of 40 points so the histogram cuts are the same distinct values either way.
    FeatureSchema schema = numericSchema(P);
    SplittableRandom r = new SplittableRandom(51);
    int n = 1500;
    double[] x = new double[n * P];
    int[] y = new int[n];
    double[] w = new double[n];
    List<double[]> dupRows = new ArrayList<>();
    List<Integer> dupLabels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < P; j++) {
        x[i * P + j] = j == 3 && r.nextInt(6) == 0 ? Double.NaN : r.nextInt(40) / 10.0;
      }
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(x[i * P] - 2 - 0.5 * x[i * P + 1] + 1))) ? 1 : 0;
      w[i] = 1 + r.nextInt(3);
      for (int c = 0; c < w[i]; c++) {
        dupRows.add(java.util.Arrays.copyOfRange(x, i * P, (i + 1) * P));
        dupLabels.add(y[i]);
      }
    }
    double[] dx = new double[dupRows.size() * P];
    for (int i = 0; i < dupRows.size(); i++) {
      System.arraycopy(dupRows.get(i), 0, dx, i * P, P);
    }
    int[] dy = dupLabels.stream().mapToInt(Integer::intValue).toArray();
    GbdtTrainer trainer = xgb().trees(40).maxDepth(4).build();
    CompiledModel weighted = trainer.fit(schema, x, y, w).ensemble().compile(schema);
    CompiledModel duplicated = trainer.fit(schema, dx, dy).ensemble().compile(schema);
    CompiledModel unweighted = trainer.fit(schema, x, y).ensemble().compile(schema);
    double worst = 0;
    double worstUnweighted = 0;
    for (int i = 0; i < n; i++) {
      worst = Math.max(worst, Math.abs(weighted.margin(x, i * P) - duplicated.margin(x, i * P)));
      worstUnweighted = Math.max(worstUnweighted, Math.abs(unweighted.margin(x, i * P) - duplicated.margin(x, i * P)));
    }
    // Same splits; the sums of gradients differ only in float rounding order.
    assertThat(worst).isLessThan(1e-4);
    assertThat(worstUnweighted).as("the weights matter").isGreaterThan(0.05);
  }

  @Test
  void earlyStopping_stopsAfterTheGivenRoundsWithoutImprovement_andKeepsTheBestRound() throws Exception {
    FeatureSchema schema = numericSchema(P);
    Data d = data(3000, 61);
    GbdtTrainer trainer = xgb().trees(2000).shrinkage(0.3).maxDepth(6).earlyStoppingRounds(15).build();
    GbdtTrainer.Result result = trainer.train(schema, d.rows(), d.labels());
    GbdtTrainer.Fit fit = result.fit();
    int kept = fit.ensemble().trees().size();
    assertThat(kept).isLessThan(200);
    assertThat(fit.roundsTrained()).isEqualTo(kept + 15);
    assertThat(fit.validationRows()).isBetween(500, 700);
    assertThat(fit.bestValidationScore()).isBetween(0.3, 0.7);
    assertThat(result.bundle().provenance().trainer()).contains("early_stopping=15 metric=logloss")
        .contains("trees_kept=" + kept).contains("rounds_trained=" + (kept + 15));
    // The kept trees are the first `kept` rounds of the full run: margins equal a bare booster cut there.
    Booster booster = bare(xgb().trees(kept).shrinkage(0.3).maxDepth(6).build().options(), schema,
        validationFree(d, trainer.options()), new String[] {"q", "q", "q", "q"});
    double[] probe = probeRows(fit, 2000, 62);
    int n = probe.length / P;
    float[][] expected = booster.predict(new DMatrix(toFloat(probe), n, P, Float.NaN), true);
    booster.dispose();
    CompiledModel compiled = fit.ensemble().compile(schema);
    for (int i = 0; i < n; i++) {
      assertThat((float) compiled.margin(probe, i * P)).as("row %d", i).isEqualTo(expected[i][0]);
    }
  }

  /** The training rows without the early-stopping validation rows (the engine's seeded split, redone). */
  private static Data validationFree(Data d, GbdtTrainer.Options o) {
    SplittableRandom random = new SplittableRandom(o.seed() ^ 0x2545F4914F6CDD1DL);
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < d.labels().length; i++) {
      if (!(random.nextDouble() < o.validationShare())) {
        keep.add(i);
      }
    }
    double[] rows = new double[keep.size() * P];
    int[] labels = new int[keep.size()];
    for (int k = 0; k < keep.size(); k++) {
      System.arraycopy(d.rows(), keep.get(k) * P, rows, k * P, P);
      labels[k] = d.labels()[keep.get(k)];
    }
    return new Data(rows, labels);
  }

  @Test
  void categoricalSplit_beatsOrdinalCodes_onInterleavedBadCategories() throws Exception {
    // 24 categories, the even ones bad: one partition split separates them, a threshold cannot.
    List<String> categories = new ArrayList<>();
    for (int c = 0; c < 24; c++) {
      categories.add(String.format("c%02d", c));
    }
    FeatureSchema categorical = FeatureSchema.of(List.of(FeatureSpec.categorical("sector", categories, "sector"),
        FeatureSpec.numeric("noise", "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "noise")));
    FeatureSchema ordinal = FeatureSchema.of(List.of(
        FeatureSpec.numeric("sector", "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "sector code"),
        FeatureSpec.numeric("noise", "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "noise")));
    SplittableRandom r = new SplittableRandom(71);
    int n = 4000;
    double[] x = new double[n * 2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(24);
      x[2 * i] = c;
      x[2 * i + 1] = r.nextGaussian();
      y[i] = r.nextDouble() < (c % 2 == 0 ? 0.7 : 0.1) ? 1 : 0;
    }
    GbdtTrainer stumps = xgb().trees(3).maxDepth(1).shrinkage(0.5)
        .categoricalSplits(GbdtTrainer.CategoricalSplits.PARTITION).build();
    double aucCategorical = auc(stumps.fit(categorical, x, y).ensemble().compile(categorical), x, y, 2);
    double aucOrdinal = auc(stumps.fit(ordinal, x, y).ensemble().compile(ordinal), x, y, 2);
    // Population AUC of the true partition: P(bad even) = 0.7, P(bad odd) = 0.1 -> about 0.81.
    assertThat(aucCategorical).isBetween(0.78, 0.84);
    assertThat(aucOrdinal).isLessThan(aucCategorical - 0.1);
    // Three one-category-against-the-rest stumps isolate at most three of the 12 bad categories.
    GbdtTrainer oneVsRest = xgb().trees(3).maxDepth(1).shrinkage(0.5).build();
    assertThat(auc(oneVsRest.fit(categorical, x, y).ensemble().compile(categorical), x, y, 2))
        .isLessThan(aucCategorical - 0.1);
  }

  /** A categorical feature of {@code k} categories and a numeric one, in that order. */
  private static FeatureSchema categoricalAndNumeric(int k) {
    List<String> categories = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      categories.add(String.format("c%03d", c));
    }
    return FeatureSchema.of(List.of(FeatureSpec.categorical("sector", categories, "sector"),
        FeatureSpec.numeric("x", "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "x")));
  }

  /**
   * Rows of {@link #categoricalAndNumeric}: a uniform category (5% missing), x ~ N(0,1); the log-odds
   * are {@code -1.5 + x}, plus {@code categoryEffect} for the even categories.
   */
  private static Data categoryRows(int n, int k, double categoryEffect, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * 2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(k);
      x[2 * i] = r.nextInt(20) == 0 ? Double.NaN : c;
      x[2 * i + 1] = r.nextGaussian();
      double logit = -1.5 + x[2 * i + 1] + (c % 2 == 0 ? categoryEffect : 0);
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
    return new Data(x, y);
  }

  @Test
  void categoricalSplits_eachKind_runtimeMarginsEqualBareXgboost4jBitForBit() throws Exception {
    FeatureSchema schema = categoricalAndNumeric(24);
    Data d = categoryRows(3000, 24, 1.5, 73);
    assertThat(xgb().build().options().categoricalSplits()).isEqualTo(GbdtTrainer.CategoricalSplits.ONE_VS_REST);
    for (GbdtTrainer.CategoricalSplits kind : GbdtTrainer.CategoricalSplits.values()) {
      GbdtTrainer trainer = xgb().trees(30).maxDepth(4).categoricalSplits(kind).build();
      GbdtTrainer.Result result = trainer.train(schema, d.rows(), d.labels());
      int categoricalNodes = 0;
      int widest = 0;
      for (var tree : result.fit().ensemble().trees()) {
        for (int i = 0; i < tree.nodeCount(); i++) {
          if (!tree.isLeaf(i) && tree.isCategorical(i)) {
            categoricalNodes++;
            widest = Math.max(widest, tree.categories(i).length);
          }
        }
      }
      assertThat(categoricalNodes).as(kind.id()).isPositive();
      if (kind == GbdtTrainer.CategoricalSplits.ONE_VS_REST) {
        assertThat(widest).as("one category against the rest").isEqualTo(1);
      } else {
        assertThat(widest).as("a partition moves several of the 12 bad categories at once").isGreaterThan(1);
      }
      assertThat(result.bundle().provenance().trainer()).contains("categorical=" + kind.id());
      // every category (and a missing one) with x at random and missing
      SplittableRandom r = new SplittableRandom(74);
      int n = 25 * 40;
      double[] probe = new double[n * 2];
      for (int i = 0; i < n; i++) {
        probe[2 * i] = i / 40 == 24 ? Double.NaN : i / 40;
        probe[2 * i + 1] = r.nextInt(8) == 0 ? Double.NaN : r.nextGaussian() * 1.5;
      }
      Booster booster = bare(trainer.options(), schema, d, new String[] {"c", "q"});
      float[][] expected = booster.predict(new DMatrix(toFloat(probe), n, 2, Float.NaN), true);
      booster.dispose();
      CompiledModel compiled = result.fit().ensemble().compile(schema);
      for (int i = 0; i < n; i++) {
        double m = compiled.margin(probe, i * 2);
        assertThat(Float.floatToIntBits((float) m)).as("%s row %d: xgboost %s, runtime %s", kind.id(), i,
            expected[i][0], m).isEqualTo(Float.floatToIntBits(expected[i][0]));
      }
    }
  }

  @Test
  void categoricalSplits_manySmallCategoriesWithoutSignal_partitionOverfitsOneVsRestDoesNot() throws Exception {
    // 400 categories of about 7 training rows each carry no signal; x carries all of it. Partitions
    // sort the categories by their few rows' gradients and cut them, which fits noise.
    FeatureSchema schema = categoricalAndNumeric(400);
    Data train = categoryRows(3000, 400, 0, 91);
    Data test = categoryRows(20_000, 400, 0, 92);
    double oneVsRest = auc(xgb().build().fit(schema, train.rows(), train.labels()).ensemble().compile(schema),
        test.rows(), test.labels(), 2);
    double partition = auc(xgb().categoricalSplits(GbdtTrainer.CategoricalSplits.PARTITION).build()
        .fit(schema, train.rows(), train.labels()).ensemble().compile(schema), test.rows(), test.labels(), 2);
    assertThat(oneVsRest).isGreaterThan(partition + 0.02);
  }

  private static double auc(CompiledModel model, double[] x, int[] y, int p) {
    double[] s = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      s[i] = model.margin(x, i * p);
    }
    return Discrimination.auc(s, y);
  }

  @Test
  void badOptions_areRefusedWithOneLine() {
    FeatureSchema schema = numericSchema(P);
    Data d = data(500, 81);
    assertThatThrownBy(() -> xgb().monotone(Map.of("nope", 1)).build().fit(schema, d.rows(), d.labels()))
        .hasMessageContaining("monotone constraint on 'nope', which is not a model feature");
    assertThatThrownBy(() -> xgb().monotone(Map.of("x0", 2)).build())
        .hasMessageContaining("must be -1, 0 or +1, got 2");
    assertThatThrownBy(() -> GbdtTrainer.builder().monotone(Map.of("x0", 1)).build())
        .hasMessageContaining("need the xgboost engine");
    assertThatThrownBy(() -> GbdtTrainer.builder().categoricalSplits(GbdtTrainer.CategoricalSplits.PARTITION).build())
        .hasMessageContaining("partition splits of categorical features need the xgboost engine");
    double[] w = new double[500];
    java.util.Arrays.fill(w, 1);
    w[7] = -1;
    assertThatThrownBy(() -> xgb().build().fit(schema, d.rows(), d.labels(), w))
        .hasMessage("row 7: weight -1.0; expected a finite number >= 0");
    w[7] = 1;
    assertThatThrownBy(() -> GbdtTrainer.builder().build().fit(schema, d.rows(), d.labels(), w))
        .hasMessageContaining("sample weights need the xgboost engine");
    assertThatThrownBy(() -> xgb().earlyStoppingMetric("error").build())
        .hasMessageContaining("logloss or auc");
  }

  @Test
  void importanceShares_sumToOne_andRankTheSignalFirst() {
    FeatureSchema schema = numericSchema(P);
    Data d = data(3000, 91);
    LinkedHashMap<String, Double> shares = xgb().trees(40).build().fit(schema, d.rows(), d.labels())
        .importanceShares();
    assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(shares.keySet().iterator().next()).isEqualTo("x0");
  }
}

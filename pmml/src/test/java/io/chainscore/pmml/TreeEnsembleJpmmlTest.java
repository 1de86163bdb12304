package io.chainscore.pmml;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.pmml.testing.JpmmlHarness;

import io.chainscore.develop.imports.ImportedModels;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.spi.BundleBuilder;
import io.chainscore.scoring.spi.TreeEnsembleView;
import io.chainscore.scoring.tree.DecisionTree;
import io.chainscore.scoring.tree.TreeEnsemble;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tree ensembles exported to PMML and evaluated by JPMML-Evaluator: the XGBoost and LightGBM
 * fixtures wrapped as {@code chainscore import} does, and random ensembles that use every missing
 * rule, categorical splits, thresholds near zero and DART weights in both precisions.
 */
class TreeEnsembleJpmmlTest {
  static Path fixture(String name) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("risk-core/src/test/resources/trees/valid/" + name);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("fixture " + name + " not found");
  }

  static ModelBundle wrap(TreeEnsemble e, String id) throws Exception {
    return ImportedModels.wrap(e, ImportedModels.Options.builder().modelId(id).modelVersion("1.0.0")
        .trainedAt("2025-01-01T00:00:00Z").dataSha256("0".repeat(64)).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"xgboost-small.json", "xgboost-small.ubj", "lightgbm-small.txt"})
  void importedFixtures_jpmmlAgrees(String name) throws Exception {
    Path file = fixture(name);
    TreeEnsemble e = name.startsWith("lightgbm") ? LightGbmModelReader.read(file) : XGBoostModelReader.read(file);
    ModelBundle bundle = wrap(e, "fixture");
    JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, PmmlExport.toPmml(bundle),
        JpmmlHarness.rows(bundle, 4000, name.hashCode()));
    assertThat(a.scored()).isGreaterThan(3000);
  }

  @ParameterizedTest
  @EnumSource(TreeEnsemble.Precision.class)
  void randomEnsembles_everyMissingRuleAndCategoricalSplit_jpmmlAgrees(TreeEnsemble.Precision precision)
      throws Exception {
    for (int seed = 1; seed <= 4; seed++) {
      ModelBundle bundle = randomBundle(precision, seed);
      JpmmlHarness.Agreement a = JpmmlHarness.assertAgrees(bundle, PmmlExport.toPmml(bundle),
          JpmmlHarness.rows(bundle, 2500, seed));
      assertThat(a.scored()).isGreaterThan(2000);
    }
  }

  @Test
  void sameBundle_sameBytes() throws Exception {
    ModelBundle bundle = randomBundle(TreeEnsemble.Precision.FLOAT32, 9);
    assertThat(PmmlExport.toPmml(ModelBundle.fromJson(bundle.toJson()))).isEqualTo(PmmlExport.toPmml(bundle));
  }

  /** Features: three numeric (one around zero), one categorical with five codes. */
  static ModelBundle randomBundle(TreeEnsemble.Precision precision, long seed) throws Exception {
    Random random = new Random(seed);
    boolean f32 = precision == TreeEnsemble.Precision.FLOAT32;
    List<String> names = List.of("amount", "days", "tiny", "sector");
    List<DecisionTree> trees = new ArrayList<>();
    for (int t = 0; t < 30; t++) {
      int depth = 1 + random.nextInt(5);
      int n = (1 << (depth + 1)) - 1;
      int[] left = new int[n];
      int[] right = new int[n];
      int[] feature = new int[n];
      double[] threshold = new double[n];
      boolean[] categorical = new boolean[n];
      int[][] categories = new int[n][];
      boolean[] defaultLeft = new boolean[n];
      DecisionTree.MissingRule[] rule = new DecisionTree.MissingRule[n];
      double[] leaf = new double[n];
      double[] cover = new double[n];
      for (int i = 0; i < n; i++) {
        boolean isLeaf = 2 * i + 1 >= n || random.nextInt(6) == 0 && i > 0;
        cover[i] = 1 + random.nextInt(100);
        rule[i] = DecisionTree.MissingRule.values()[random.nextInt(3)];
        if (f32 && rule[i] == DecisionTree.MissingRule.ZERO_AND_NAN_TO_DEFAULT) {
          rule[i] = DecisionTree.MissingRule.NAN_TO_DEFAULT; // a LightGBM rule
        }
        if (isLeaf || 2 * i + 2 >= n) {
          left[i] = -1;
          right[i] = -1;
          double v = random.nextGaussian() * 0.3;
          leaf[i] = f32 ? (double) (float) v : v;
          continue;
        }
        left[i] = 2 * i + 1;
        right[i] = 2 * i + 2;
        feature[i] = random.nextInt(4);
        defaultLeft[i] = random.nextBoolean();
        if (feature[i] == 3 && random.nextInt(3) == 0) {
          // a numeric split on the category index, as Smile's ordinal splits are exported
          double[] cuts = {0.0, 0.5, 1.0, 2.5, 3.0, 4.5};
          threshold[i] = cuts[random.nextInt(cuts.length)];
        } else if (feature[i] == 3) {
          categorical[i] = true;
          categories[i] = random.ints(0, 5).distinct().limit(1 + random.nextInt(3)).sorted().toArray();
        } else if (feature[i] == 2) {
          double[] near = {0.0, 1e-36, -1e-36, 1e-35f, -1e-35f, 1e-30, -1e-30, 0.5, -0.5};
          threshold[i] = near[random.nextInt(near.length)];
        } else {
          double v = feature[i] == 0 ? random.nextGaussian() * 100 : random.nextInt(90) + random.nextDouble();
          threshold[i] = f32 ? (double) (float) v : v;
        }
      }
      // unreachable subtrees below early leaves are left out by the runtime's walk; make the
      // arrays a tree by cutting them: nodes whose parent is a leaf become orphans, which is allowed
      trees.add(DecisionTree.of("trees[" + t + "]", 4, left, right, feature, threshold, categorical, categories,
          defaultLeft, rule, leaf, cover, f32 && random.nextInt(3) == 0 ? 0.5 + random.nextInt(3) * 0.25 : 1.0));
    }
    double base = f32 ? (double) (float) -1.3 : -1.3;
    TreeEnsemble e = TreeEnsemble.of(names, List.of(false, false, false, true), trees, base,
        TreeEnsemble.Link.LOGISTIC, 1.0, precision, "random " + precision);
    BundleBuilder b = BundleBuilder.create("random-" + precision.name().toLowerCase(), "1.0.0");
    b.feature(BundleBuilder.Feature.of(FeatureSpec.numeric("amount", "currency", -500, 500, "amount"))
        .withReasonCode("R1").withOutOfRange(BundleBuilder.OutOfRange.CLAMP));
    b.feature(BundleBuilder.Feature.of(FeatureSpec.numeric("days", "days", 0, 90, "days")).withReasonCode("R2")
        .withMissing(seed % 3 == 0 ? BundleBuilder.Missing.REJECT : BundleBuilder.Missing.PASS, Double.NaN));
    b.feature(BundleBuilder.Feature.of(FeatureSpec.numeric("tiny", "", -1, 1, "near zero")).withReasonCode("R3")
        .withMissing(BundleBuilder.Missing.PASS, Double.NaN));
    b.feature(BundleBuilder.Feature.of(FeatureSpec.categorical("sector", List.of("a", "b", "c d", "e\"", "f"), "sector"))
        .withReasonCode("R4").withMissing(seed % 2 == 1 ? BundleBuilder.Missing.IMPUTE : BundleBuilder.Missing.PASS,
            seed % 2 == 1 ? 2 : Double.NaN));
    for (int r = 1; r <= 4; r++) {
      b.reasonCode("R" + r, "reason " + r);
    }
    if (seed % 2 == 0) {
      b.logisticCalibration(-0.2, 0.9);
    } else if (seed % 3 == 0) {
      b.isotonicCalibration(new double[] {-3, -1, 0, 2}, new double[] {0.01, 0.1, 0.3, 0.9});
    }
    return b.scoreScale(20, 600, 50).model(new TreeEnsembleView(e))
        .provenance(new ModelBundle.Provenance("2025-01-01T00:00:00Z", "0".repeat(64), "test"))
        .build();
  }

  static FeatureSchema schemaOf(ModelBundle b) {
    return b.schema();
  }
}

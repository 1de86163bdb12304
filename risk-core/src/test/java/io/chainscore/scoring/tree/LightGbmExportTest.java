package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelWriter;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import io.chainscore.testing.lightgbm.LightGbmNative;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tree ensembles written as LightGBM text models and loaded by LightGBM 3.3.5 itself (lightgbmlib).
 * LightGBM's own models (each missing type, categorical bitsets), read and written again: LightGBM
 * gives the raw scores of the original booster bit for bit, and so does a base margin written as a
 * first tree, against the bundle's margins. XGBoost-style float32 trees (random thresholds, default
 * directions, thresholds at zero, a base margin): LightGBM sends every row to the leaf XGBoost's rule
 * {@code (float) x < t} picks for the row as LightGBM reads it (a value within 1e-35 of zero as 0),
 * on random rows and on the doubles next to every threshold and to the written one; its raw score is
 * the double sum of those leaves, within float32 rounding of the bundle's float32 sum on the rows
 * without such tiny values. With them, the thresholds at zero send some rows elsewhere than the
 * bundle (the difference the writer documents): the test checks it is seen.
 */
class LightGbmExportTest {
  private static final String COMMON = "num_leaves=15 learning_rate=0.2 min_data_in_leaf=20 num_threads=1"
      + " verbose=-1 deterministic=true seed=1 categorical_feature=1,4 max_cat_to_onehot=4 cat_smooth=1"
      + " min_data_per_group=5 max_bin=63";
  private static final int P = 5;

  @Test
  void lightGbmModels_writtenAgain_giveLightGbmTheirRawScoresBitForBit() throws Exception {
    String[] params = {"objective=binary " + COMMON, "objective=regression zero_as_missing=true " + COMMON,
        "objective=binary use_missing=false sigmoid=0.7 " + COMMON};
    for (int k = 0; k < params.length; k++) {
      Random random = new Random(10 + k);
      int n = 3000;
      double[] x = new double[n * P];
      float[] y = new float[n];
      for (int i = 0; i < n; i++) {
        for (int f = 0; f < P; f++) {
          x[i * P + f] = random.nextInt(8) == 0 ? Double.NaN : f == 1 ? random.nextInt(7) : f == 4
              ? random.nextInt(40) : k == 1 && random.nextInt(5) == 0 ? 0.0 : random.nextGaussian();
        }
        double s = nz(x[i * P]) + (nz(x[i * P + 1]) % 3 == 0 ? 1 : -0.5) + 0.5 * nz(x[i * P + 2]) * nz(x[i * P + 3])
            + (nz(x[i * P + 4]) % 5 == 1 ? 0.8 : 0) + 0.3 * random.nextGaussian();
        y[i] = k == 1 ? (float) s : s > 0.2 ? 1 : 0;
      }
      try (LightGbmNative original = LightGbmNative.train(x, y, n, P, params[k], 25)) {
        TreeEnsemble model = LightGbmModelReader.read(original.modelText());
        String written = LightGbmModelWriter.toText(model, List.of("chainscore_model_id: test"));
        // what is written reads back to the same trees
        assertThat(LightGbmModelReader.read(written).trees().toString()).isEqualTo(model.trees().toString());
        double[] rows = rows(random, model, false);
        int m = rows.length / P;
        double[] expected = original.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
        double[] margins = new double[m];
        model.compile().margins(rows, m, P, margins);
        try (LightGbmNative loaded = LightGbmNative.fromText(written, P)) {
          double[] raw = loaded.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
          assertBitsEqual(raw, expected, params[k] + ": against the original booster");
          assertBitsEqual(raw, margins, params[k] + ": against the bundle");
        }
        // a base margin: a first tree of one leaf, the bundle's margins bit for bit
        TreeEnsemble based = TreeEnsemble.of(model.featureNames(), model.categoricalFeatures(), model.trees(),
            0.3712, model.link(), model.sigmoidScale(), model.precision(), "test");
        double[] basedMargins = new double[m];
        based.compile().margins(rows, m, P, basedMargins);
        try (LightGbmNative loaded = LightGbmNative.fromText(LightGbmModelWriter.toText(based, List.of()), P)) {
          assertBitsEqual(loaded.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE), basedMargins,
              params[k] + ": with a base margin");
        }
      }
    }
  }

  @Test
  void float32Trees_goToXgboostsLeaves_andSumToTheirLeavesInDouble() throws Exception {
    Random random = new Random(7);
    List<DecisionTree> trees = new ArrayList<>();
    for (int t = 0; t < 30; t++) {
      trees.add(randomFloatTree(random, 4, "tree " + t));
    }
    float base = -1.1875f;
    TreeEnsemble model = TreeEnsemble.of(List.of("f0", "f1", "f2", "f3", "f4"), List.of(false, false, false, false,
        false), trees, base, TreeEnsemble.Link.LOGISTIC, 1.0, TreeEnsemble.Precision.FLOAT32, "xgboost-like");
    double[] rows = rows(random, model, true);
    int m = rows.length / P;
    double[] margins = new double[m];
    model.compile().margins(rows, m, P, margins);
    String text = LightGbmModelWriter.toText(model, List.of());
    try (LightGbmNative loaded = LightGbmNative.fromText(text, P)) {
      int width = trees.size() + 1;   // the base margin's tree first
      double[] leaves = loaded.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_LEAF_INDEX, width);
      double[] raw = loaded.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
      int wrongLeaves = 0;
      int wrongSums = 0;
      int farFromBundle = 0;
      int tinyMoved = 0;
      String first = null;
      for (int r = 0; r < m; r++) {
        double sum = 0.0 + base;   // LightGBM's order: from 0, tree by tree, in double
        boolean tiny = false;
        for (int f = 0; f < P; f++) {
          double v = rows[r * P + f];
          tiny |= v != 0 && Math.abs(v) <= ZERO_THRESHOLD;
        }
        for (int t = 0; t < trees.size(); t++) {
          int node = xgboostLeaf(trees.get(t), rows, r * P);
          tinyMoved += node != xgboostLeaf(trees.get(t), rows, r * P, false) ? 1 : 0;
          sum += trees.get(t).leafValue(node);
          int expectedLeaf = leafOrdinal(trees.get(t), node);
          if ((int) leaves[r * width + t + 1] != expectedLeaf) {
            wrongLeaves++;
            first = first != null ? first : "row " + Arrays.toString(Arrays.copyOfRange(rows, r * P, r * P + P))
                + " tree " + t + ": LightGBM leaf " + (int) leaves[r * width + t + 1] + ", XGBoost's " + expectedLeaf;
          }
        }
        if (Double.doubleToLongBits(raw[r]) != Double.doubleToLongBits(sum)) {
          wrongSums++;
        }
        if (!tiny && !(Math.abs(raw[r] - margins[r]) <= 1e-5 * (1 + Math.abs(margins[r])))) {
          farFromBundle++;
        }
      }
      assertThat(wrongLeaves).as("rows routed to another leaf than XGBoost's (first: %s)", first).isZero();
      assertThat(wrongSums).as("rows whose raw score is not the double sum of their leaves").isZero();
      assertThat(farFromBundle).as("rows whose raw score is beyond float32 rounding of the bundle's margin").isZero();
      // the documented difference is exercised: a tiny value at a threshold of zero
      assertThat(tinyMoved).isPositive();
    }
  }

  @Test
  void refused_categoricalFloat32SplitsAndNamesWithSpaces_weightsFolded() throws Exception {
    DecisionTree categorical = DecisionTree.of("t", 1, new int[] {1, -1, -1}, new int[] {2, -1, -1}, new int[3],
        new double[3], new boolean[] {true, false, false}, new int[][] {{1, 3}, null, null}, new boolean[3],
        new DecisionTree.MissingRule[] {DecisionTree.MissingRule.NAN_TO_DEFAULT, null, null},
        new double[] {0, 0.5f, -0.5f}, new double[3], 1.0);
    TreeEnsemble xgboostCategories = TreeEnsemble.of(List.of("c"), List.of(true), List.of(categorical), 0.0,
        TreeEnsemble.Link.LOGISTIC, 1.0, TreeEnsemble.Precision.FLOAT32, "x");
    assertThatThrownBy(() -> LightGbmModelWriter.toText(xgboostCategories, List.of()))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("model.trees[0].nodes[0]")
        .hasMessageContaining("categorical split of XGBoost's trees");
    DecisionTree stump = randomFloatTree(new Random(1), 1, "stump");
    TreeEnsemble spaced = TreeEnsemble.of(List.of("a b", "f1", "f2", "f3", "f4"), List.of(false, false, false, false,
        false), List.of(stump), 0.0, TreeEnsemble.Link.IDENTITY, 1.0, TreeEnsemble.Precision.FLOAT32, "x");
    assertThatThrownBy(() -> LightGbmModelWriter.toText(spaced, List.of()))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("feature_names[0]");
    // a tree's weight is folded into its leaves, as the evaluator applies it
    TreeEnsemble dart = TreeEnsemble.of(List.of("f0", "f1", "f2", "f3", "f4"), List.of(false, false, false, false,
        false), List.of(stump.scaledBy(0.3)), 0.0, TreeEnsemble.Link.IDENTITY, 1.0, TreeEnsemble.Precision.FLOAT32, "x");
    DecisionTree folded = LightGbmModelReader.read(LightGbmModelWriter.toText(dart, List.of())).trees().get(0);
    for (int i = 0; i < stump.nodeCount(); i++) {
      if (stump.isLeaf(i)) {
        assertThat(folded.leafValue(i)).isEqualTo((double) (float) (stump.leafValue(i) * 0.3));
      }
    }
  }

  /**
   * An XGBoost model pruned in training ({@code trees/valid/xgboost-pruned.json}: xgboost4j 3.4.0,
   * 400 rows of two Gaussian features with 10% NaN from {@code new Random(11)}, binary:logistic,
   * tree_method exact, updater grow_colmaker,prune, gamma 3, max_depth 3, eta 0.3, seed 1, 3
   * rounds): pruning leaves two deleted nodes in each tree's arrays, which the root never reaches.
   * Only the reachable nodes are written: LightGBM loads the file and sends every row (random rows,
   * the doubles next to every threshold and written threshold) to the bundle's leaf, numbered among
   * the reachable leaves in node order; its raw score is the double sum of those leaves bit for bit
   * and the bundle's float32 margin to float32 rounding. The same trees as float64 trees give
   * LightGBM the bundle's margins bit for bit, and the file reads back to trees with those margins.
   */
  @Test
  void prunedXgboostTrees_onlyTheReachableNodesWritten() throws Exception {
    TreeEnsemble model = XGBoostModelReader.read(HostileModelTest.resource("valid/xgboost-pruned.json"));
    int p = model.featureNames().size();
    int unreachable = 0;
    for (DecisionTree tree : model.trees()) {
      for (boolean r : reachable(tree)) {
        unreachable += r ? 0 : 1;
      }
    }
    assertThat(unreachable).as("deleted nodes kept by the reader").isEqualTo(6);
    assertThat(model.baseMargin()).isNotZero();
    Random random = new Random(12);
    double[] rows = rows(random, model, true, p);
    int m = rows.length / p;
    double[] margins = new double[m];
    model.compile().margins(rows, m, p, margins);
    String text = LightGbmModelWriter.toText(model, List.of());
    try (LightGbmNative loaded = LightGbmNative.fromText(text, p)) {
      int width = model.trees().size() + 1;   // the base margin's tree first
      double[] leaves = loaded.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_LEAF_INDEX, width);
      double[] raw = loaded.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE);
      int wrongLeaves = 0;
      double[] sums = new double[m];
      for (int r = 0; r < m; r++) {
        double sum = 0.0 + model.baseMargin();
        for (int t = 0; t < model.trees().size(); t++) {
          DecisionTree tree = model.trees().get(t);
          int node = xgboostLeaf(tree, rows, r * p);
          sum += tree.leafValue(node);
          wrongLeaves += (int) leaves[r * width + t + 1] != leafOrdinal(tree, node) ? 1 : 0;
        }
        sums[r] = sum;
        // float32 rounding: the bundle's float32 sum of four terms is a few ulps (2^-23) from the double sum
        assertThat(raw[r]).as("row %d", r).isCloseTo(margins[r], within(1e-6 * (1 + Math.abs(margins[r]))));
      }
      assertThat(wrongLeaves).as("rows routed to another leaf than the bundle's").isZero();
      assertBitsEqual(raw, sums, "pruned trees: against the double sum of the bundle's leaves");
    }
    TreeEnsemble float64 = TreeEnsemble.of(model.featureNames(), model.categoricalFeatures(), model.trees(),
        model.baseMargin(), model.link(), model.sigmoidScale(), TreeEnsemble.Precision.FLOAT64, "test");
    double[] float64Margins = new double[m];
    float64.compile().margins(rows, m, p, float64Margins);
    String float64Text = LightGbmModelWriter.toText(float64, List.of());
    try (LightGbmNative loaded = LightGbmNative.fromText(float64Text, p)) {
      assertBitsEqual(loaded.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE), float64Margins,
          "pruned trees as float64 trees");
    }
    double[] readBack = new double[m];
    LightGbmModelReader.read(float64Text).compile().margins(rows, m, p, readBack);
    assertBitsEqual(readBack, float64Margins, "pruned trees as float64 trees, read back");
  }

  /**
   * A float32 threshold of {@code -Float.MAX_VALUE}: the doubles XGBoost's rule sends left are those
   * that round to float -infinity, at most {@code -(Float.MAX_VALUE + ulp / 2)}, a finite bound the
   * file must hold ({@code nextDown(-Float.MAX_VALUE)} is -infinity, which neither LightGBM's rule
   * nor the reader takes). LightGBM routes the overflowing values (-1e39, -1.797e308, -infinity) left
   * and {@code -Float.MAX_VALUE} itself right, as the bundle does: the raw scores are its margins bit
   * for bit (one tree of float32 leaves, no base margin), and the file reads back.
   */
  @Test
  void float32ThresholdAtMinusFloatMax_writtenAsTheFiniteOverflowBound() throws Exception {
    DecisionTree.MissingRule nan = DecisionTree.MissingRule.NAN_TO_DEFAULT;
    DecisionTree tree = DecisionTree.of("t", 2, new int[] {1, 3, -1, -1, -1}, new int[] {2, 4, -1, -1, -1},
        new int[] {0, 1, 0, 0, 0}, new double[] {-Float.MAX_VALUE, -1.25f, 0, 0, 0}, new boolean[5], new int[5][],
        new boolean[] {true, false, false, false, false}, new DecisionTree.MissingRule[] {nan, nan, nan, nan, nan},
        new double[] {0, 0, 0.125f, -0.25f, 0.375f}, new double[] {100, 60, 40, 35, 25}, 1.0);
    TreeEnsemble model = TreeEnsemble.of(List.of("f0", "f1"), List.of(false, false), List.of(tree), 0.0,
        TreeEnsemble.Link.LOGISTIC, 1.0, TreeEnsemble.Precision.FLOAT32, "x");
    double overflow = -((double) Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2);   // rounds to float -inf
    assertThat(LightGbmModelWriter.doubleThreshold(-Float.MAX_VALUE)).isEqualTo(overflow);
    String text = LightGbmModelWriter.toText(model, List.of());
    assertThat(LightGbmModelReader.read(text).trees().get(0).threshold(0)).isEqualTo(overflow);
    double[] firsts = {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1.797e308, -1e39, overflow, Math.nextUp(overflow),
        -Float.MAX_VALUE, Math.nextUp((double) -Float.MAX_VALUE), -1, 0, Double.NaN, Double.POSITIVE_INFINITY};
    double[] rows = new double[firsts.length * 2 * 2];
    for (int i = 0; i < firsts.length * 2; i++) {
      rows[2 * i] = firsts[i / 2];
      rows[2 * i + 1] = i % 2 == 0 ? -2 : 1;
    }
    int m = rows.length / 2;
    double[] margins = new double[m];
    model.compile().margins(rows, m, 2, margins);
    // the rule the test relies on: XGBoost's (float) x < -Float.MAX_VALUE holds for the overflowing values
    assertThat(margins[2 * 3]).as("-1e39 goes left, then left").isEqualTo(-0.25);
    assertThat(margins[2 * 6]).as("-Float.MAX_VALUE goes right").isEqualTo(0.125);
    try (LightGbmNative loaded = LightGbmNative.fromText(text, 2)) {
      assertBitsEqual(loaded.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE), margins,
          "a threshold of -Float.MAX_VALUE");
    }
  }

  /**
   * Covers LightGBM's counts (32-bit ints) cannot hold as they are: random float64 ensembles whose
   * covers are sums of sample weights, once in the billions (weights such as exposures: every root
   * past 2^31) and once below 0.5 (every leaf). Each tree is written with its covers times one
   * factor, its root (the largest cover) at exactly 2^30. LightGBM's contributions ({@code
   * pred_contrib}, 300 random rows) equal, within 1e-9, the bundle's contributions computed on the
   * counts as written (read back: LightGBM reads them as written), and the bundle's own within the
   * rounding's bound: a written ratio (child over parent, leaf over root) is off by at most 1.5 / p,
   * p the parent's count (child up to 1 off, since a positive cover is at least 1, parent 0.5), so
   * with eta the largest such 1.5 / p in a tree of depth D, a feature's zero fraction (a product of
   * at most D ratios in [0, 1]) is off by at most D eta, and each leaf v moves each contribution
   * by at most 2 D eta |v| (its weight is (o - z) times an integral of a product of such fractions)
   * and the bias by at most eta |v|: the tolerance is 2 D eta times the tree's sum of |v|, summed
   * over the trees, plus the 1e-9 of LightGbmParityTest for the order of the sums. Each tree has
   * leaves with a billionth of the cover of the others, which rounding alone would make 0.
   */
  @Test
  void coversBeyondLightGbmsInts_scaledByOneFactorPerTree_contributionsAsTheBundles() throws Exception {
    for (double weight : new double[] {1e9, 1e-3}) {
      Random random = new Random(weight > 1 ? 21 : 22);
      List<DecisionTree> trees = new ArrayList<>();
      for (int t = 0; t < 12; t++) {
        trees.add(randomCoveredTree(random, 4, weight, "tree " + t));
      }
      TreeEnsemble model = TreeEnsemble.of(List.of("f0", "f1", "f2", "f3", "f4"), List.of(false, false, false, false,
          false), trees, 0.0, TreeEnsemble.Link.LOGISTIC, 1.0, TreeEnsemble.Precision.FLOAT64, "weighted");
      String text = LightGbmModelWriter.toText(model, List.of());
      TreeEnsemble written = LightGbmModelReader.read(text);
      double bound = 0;
      for (int t = 0; t < trees.size(); t++) {
        DecisionTree tree = trees.get(t);
        DecisionTree counts = written.trees().get(t);
        assertThat(counts.cover(0)).as("weight %s tree %d: the root's count", weight, t).isEqualTo(1 << 30);
        double smallestParent = Double.MAX_VALUE;
        double leafSum = 0;
        for (int i = 0; i < counts.nodeCount(); i++) {
          if (counts.isLeaf(i)) {
            leafSum += Math.abs(counts.leafValue(i));
            assertThat(counts.cover(i)).isGreaterThanOrEqualTo(1);
          } else {
            smallestParent = Math.min(smallestParent, counts.cover(i));
          }
        }
        assertThat(tree.depth()).isPositive();
        bound += 2 * tree.depth() * (1.5 / smallestParent) * leafSum;
      }
      Random rowRandom = new Random(23);
      int m = 300;
      double[] rows = new double[m * P];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = rowRandom.nextInt(10) == 0 ? Double.NaN : rowRandom.nextGaussian();
      }
      io.chainscore.scoring.spi.CompiledModel bundle = model.compile();
      io.chainscore.scoring.spi.CompiledModel asWritten = written.compile();
      try (LightGbmNative loaded = LightGbmNative.fromText(text, P)) {
        double[] contrib = loaded.predict(rows, m, lightgbmlibConstants.C_API_PREDICT_CONTRIB);
        double[] phi = new double[P];
        double[] phiWritten = new double[P];
        for (int r = 0; r < m; r++) {
          double bias = bundle.contributions(rows, r * P, phi);
          double biasWritten = asWritten.contributions(rows, r * P, phiWritten);
          for (int f = 0; f <= P; f++) {
            double lightgbm = contrib[r * (P + 1) + f];
            double mine = f < P ? phi[f] : bias;
            double mineWritten = f < P ? phiWritten[f] : biasWritten;
            assertThat(lightgbm).as("weight %s row %d %s, against the counts written", weight, r,
                f < P ? "feature " + f : "bias").isCloseTo(mineWritten, within(1e-9 * (1 + Math.abs(mineWritten))));
            assertThat(lightgbm).as("weight %s row %d %s, against the bundle", weight, r,
                f < P ? "feature " + f : "bias").isCloseTo(mine, within(1e-9 * (1 + Math.abs(mine)) + bound));
          }
        }
      }
      // the bound is tight enough to matter: about 2e-6 here, where contributions reach 1 (LightGBM
      // 3.3.5 comes within 4e-9; before the scaling, 137 off for the large weights and NaN for the small)
      assertThat(bound).as("weight %s", weight).isLessThan(1e-5);
    }
  }

  /**
   * A random float64 tree of at most the given depth over P features (splits stop early at random):
   * a leaf's cover is {@code weight} times a number in [1, 2) or, one leaf in eight, times 1e-9; an
   * internal node's the sum of its children's, as a training's covers are.
   */
  private static DecisionTree randomCoveredTree(Random random, int depth, double weight, String path)
      throws ModelFormatException {
    List<double[]> nodes = new ArrayList<>();   // left, right, feature, threshold, default left, value, cover
    growCovered(random, nodes, 0, depth, weight);
    int n = nodes.size();
    int[] left = new int[n];
    int[] right = new int[n];
    int[] feature = new int[n];
    double[] threshold = new double[n];
    boolean[] defaultLeft = new boolean[n];
    DecisionTree.MissingRule[] missing = new DecisionTree.MissingRule[n];
    double[] value = new double[n];
    double[] cover = new double[n];
    for (int i = 0; i < n; i++) {
      double[] node = nodes.get(i);
      left[i] = (int) node[0];
      right[i] = (int) node[1];
      feature[i] = (int) node[2];
      threshold[i] = node[3];
      defaultLeft[i] = node[4] != 0;
      missing[i] = DecisionTree.MissingRule.NAN_TO_DEFAULT;
      value[i] = node[5];
      cover[i] = node[6];
    }
    return DecisionTree.of(path, P, left, right, feature, threshold, new boolean[n], new int[n][], defaultLeft, missing,
        value, cover, 1.0);
  }

  /** Adds a subtree in pre-order and returns its root's index. */
  private static int growCovered(Random random, List<double[]> nodes, int level, int depth, double weight) {
    int at = nodes.size();
    double[] node = new double[7];
    nodes.add(node);
    if (level == depth || (level > 0 && random.nextInt(4) == 0)) {
      node[0] = -1;
      node[1] = -1;
      node[5] = random.nextGaussian() * 0.3;
      node[6] = weight * (random.nextInt(8) == 0 ? 1e-9 : 1 + random.nextDouble());
      return at;
    }
    node[2] = random.nextInt(P);
    node[3] = random.nextGaussian();
    node[4] = random.nextBoolean() ? 1 : 0;
    node[0] = growCovered(random, nodes, level + 1, depth, weight);
    node[1] = growCovered(random, nodes, level + 1, depth, weight);
    node[6] = nodes.get((int) node[0])[6] + nodes.get((int) node[1])[6];
    return at;
  }

  /** A full tree of the given depth over P features: float thresholds, random default directions and leaves. */
  private static DecisionTree randomFloatTree(Random random, int depth, String path) throws ModelFormatException {
    int n = (1 << (depth + 1)) - 1;
    int internal = (1 << depth) - 1;
    int[] left = new int[n];
    int[] right = new int[n];
    int[] feature = new int[n];
    double[] threshold = new double[n];
    boolean[] defaultLeft = new boolean[n];
    DecisionTree.MissingRule[] missing = new DecisionTree.MissingRule[n];
    double[] value = new double[n];
    double[] cover = new double[n];
    for (int i = 0; i < n; i++) {
      if (i < internal) {
        left[i] = 2 * i + 1;
        right[i] = 2 * i + 2;
        feature[i] = random.nextInt(P);
        // floats of every sort: round numbers, long fractions, tiny and huge magnitudes
        threshold[i] = switch (random.nextInt(5)) {
          case 4 -> 0.0;   // where a value within 1e-35 of zero goes LightGBM's way, not XGBoost's
          case 0 -> (float) (random.nextInt(200) / 8.0 - 12);
          case 1 -> (float) random.nextGaussian();
          case 2 -> (float) (random.nextGaussian() * 1e-20);
          default -> (float) (random.nextGaussian() * 1e12);
        };
        defaultLeft[i] = random.nextBoolean();
        missing[i] = DecisionTree.MissingRule.NAN_TO_DEFAULT;
        cover[i] = 10.5;
      } else {
        left[i] = -1;
        right[i] = -1;
        value[i] = (float) (random.nextGaussian() * 0.3);
        cover[i] = 2.25;
      }
    }
    return DecisionTree.of(path, P, left, right, feature, threshold, new boolean[n], new int[n][], defaultLeft, missing,
        value, cover, 1.0);
  }

  /** LightGBM's {@code kZeroThreshold}: its predictor reads a value no further from zero as 0. */
  private static final double ZERO_THRESHOLD = 1e-35f;

  /**
   * The leaf XGBoost's rule reaches for the row as LightGBM reads it (a value within {@link
   * #ZERO_THRESHOLD} of zero as 0): NaN to the default child, else left iff {@code (float) x < t}.
   */
  private static int xgboostLeaf(DecisionTree tree, double[] rows, int offset) {
    return xgboostLeaf(tree, rows, offset, true);
  }

  /** As {@link #xgboostLeaf(DecisionTree, double[], int)}, tiny values read as they are unless {@code asLightGbmReads}. */
  private static int xgboostLeaf(DecisionTree tree, double[] rows, int offset, boolean asLightGbmReads) {
    int node = 0;
    while (!tree.isLeaf(node)) {
      double x = rows[offset + tree.splitFeature(node)];
      x = asLightGbmReads && Math.abs(x) <= ZERO_THRESHOLD ? 0.0 : x;
      boolean left = Double.isNaN(x) ? tree.defaultLeft(node) : (float) x < (float) tree.threshold(node);
      node = left ? tree.leftChild(node) : tree.rightChild(node);
    }
    return node;
  }

  /** The leaf's number among the leaves the root reaches, in node order, as the writer numbers leaves. */
  private static int leafOrdinal(DecisionTree tree, int node) {
    boolean[] reachable = reachable(tree);
    int k = 0;
    for (int i = 0; i < node; i++) {
      k += reachable[i] && tree.isLeaf(i) ? 1 : 0;
    }
    return k;
  }

  /** The nodes a walk from the root reaches. */
  private static boolean[] reachable(DecisionTree tree) {
    boolean[] reached = new boolean[tree.nodeCount()];
    List<Integer> todo = new ArrayList<>(List.of(0));
    while (!todo.isEmpty()) {
      int node = todo.remove(todo.size() - 1);
      reached[node] = true;
      if (!tree.isLeaf(node)) {
        todo.add(tree.leftChild(node));
        todo.add(tree.rightChild(node));
      }
    }
    return reached;
  }

  /**
   * 5,000 random rows (NaN, signed zeros, values of every magnitude) plus, for every numeric
   * threshold t, rows at t and the doubles next to it, and (float32 trees) at the written threshold,
   * the doubles next to it, and the floats next to t.
   */
  private static double[] rows(Random random, TreeEnsemble model, boolean float32) {
    return rows(random, model, float32, P);
  }

  /** As {@link #rows(Random, TreeEnsemble, boolean)}, rows of {@code width} features. */
  private static double[] rows(Random random, TreeEnsemble model, boolean float32, int width) {
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(randomRow(random, float32, width));
    }
    for (DecisionTree tree : model.trees()) {
      for (int i = 0; i < tree.nodeCount(); i++) {
        if (tree.isLeaf(i) || tree.isCategorical(i)) {
          continue;
        }
        double t = tree.threshold(i);
        List<Double> values = new ArrayList<>(List.of(t, Math.nextUp(t), Math.nextDown(t)));
        if (float32) {
          double d = LightGbmModelWriter.doubleThreshold((float) t);
          values.addAll(List.of(d, Math.nextUp(d), Math.nextDown(d), (double) Math.nextDown((float) t),
              (double) Math.nextUp((float) t)));
        }
        for (double v : values) {
          double[] row = randomRow(random, float32, width);
          row[tree.splitFeature(i)] = v;
          rows.add(row);
        }
      }
    }
    return LightGbmNative.flatten(rows, width);
  }

  private static double[] randomRow(Random random, boolean float32, int width) {
    double[] row = new double[width];
    for (int f = 0; f < width; f++) {
      row[f] = switch (random.nextInt(10)) {
        case 0 -> Double.NaN;
        case 1 -> random.nextBoolean() ? 0.0 : -0.0;
        case 2 -> random.nextBoolean() ? 1e-36 : -1e-36;
        case 3 -> random.nextGaussian() * 1e12;
        case 4 -> random.nextGaussian() * 1e-20;
        default -> float32 || (f != 1 && f != 4) ? random.nextGaussian() * 2 : random.nextInt(45) - 2;
      };
    }
    return row;
  }

  private static double nz(double v) {
    return Double.isNaN(v) ? -1 : v;
  }

  private static void assertBitsEqual(double[] actual, double[] expected, String what) {
    int mismatches = 0;
    String first = null;
    for (int r = 0; r < expected.length; r++) {
      if (Double.doubleToLongBits(actual[r]) != Double.doubleToLongBits(expected[r])) {
        mismatches++;
        first = first != null ? first : "row " + r + ": " + actual[r] + " against " + expected[r];
      }
    }
    assertThat(mismatches).as("%s: raw scores differing (first: %s)", what, first).isZero();
  }
}

package io.chainscore.scoring.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random hand-built ensembles exercising every split kind and missing rule of both precisions. */
final class RandomTrees {
  static final double[] GRID = {-2.5, -1, -0.0, 0.0, 1e-36, 0.5, 1, 1.5, 3, (double) 1e-35f, -(double) 1e-35f, -1e-36};

  private RandomTrees() {}

  static TreeEnsemble ensemble(Random random, TreeEnsemble.Precision precision, int features, int treeCount)
      throws Exception {
    return ensemble(random, precision, features, treeCount, 0);
  }

  /** As {@link #ensemble(Random, TreeEnsemble.Precision, int, int)}, every tree of depth up to {@code depth}. */
  static TreeEnsemble ensemble(Random random, TreeEnsemble.Precision precision, int features, int treeCount,
      int depth) throws Exception {
    List<String> names = new ArrayList<>();
    List<Boolean> categorical = new ArrayList<>();
    for (int f = 0; f < features; f++) {
      names.add("feature_" + f);
      categorical.add(f % 3 == 2);
    }
    List<DecisionTree> trees = new ArrayList<>();
    for (int t = 0; t < treeCount; t++) {
      trees.add(tree(random, precision, categorical, depth > 0 ? depth : 1 + random.nextInt(7)));
    }
    double base = precision == TreeEnsemble.Precision.FLOAT32 ? (float) random.nextGaussian() : random.nextGaussian();
    return TreeEnsemble.of(names, categorical, trees, base, TreeEnsemble.Link.LOGISTIC, 1.0, precision, "random");
  }

  static DecisionTree tree(Random random, TreeEnsemble.Precision precision, List<Boolean> categoricalFeature,
      int maxDepth) throws Exception {
    int capacity = (1 << (maxDepth + 1));
    int[] left = new int[capacity];
    int[] right = new int[capacity];
    int[] feature = new int[capacity];
    double[] threshold = new double[capacity];
    boolean[] categorical = new boolean[capacity];
    int[][] categories = new int[capacity][];
    boolean[] defaultLeft = new boolean[capacity];
    DecisionTree.MissingRule[] missing = new DecisionTree.MissingRule[capacity];
    double[] value = new double[capacity];
    double[] cover = new double[capacity];
    int[] count = {0};
    build(random, precision, categoricalFeature, maxDepth, 0, 100 + random.nextInt(900), count, left, right,
        feature, threshold, categorical, categories, defaultLeft, missing, value, cover);
    int n = count[0];
    return DecisionTree.of("random", categoricalFeature.size(), java.util.Arrays.copyOf(left, n),
        java.util.Arrays.copyOf(right, n), java.util.Arrays.copyOf(feature, n),
        java.util.Arrays.copyOf(threshold, n), java.util.Arrays.copyOf(categorical, n),
        java.util.Arrays.copyOf(categories, n), java.util.Arrays.copyOf(defaultLeft, n),
        java.util.Arrays.copyOf(missing, n), java.util.Arrays.copyOf(value, n),
        java.util.Arrays.copyOf(cover, n), precision == TreeEnsemble.Precision.FLOAT32 && random.nextInt(4) == 0
            ? (float) (0.5 + random.nextDouble()) : 1.0);
  }

  private static int build(Random random, TreeEnsemble.Precision precision, List<Boolean> categoricalFeature,
      int depthLeft, int ignored, double nodeCover, int[] count, int[] left, int[] right, int[] feature,
      double[] threshold, boolean[] categorical, int[][] categories, boolean[] defaultLeft,
      DecisionTree.MissingRule[] missing, double[] value, double[] cover) {
    int i = count[0]++;
    cover[i] = nodeCover;
    missing[i] = DecisionTree.MissingRule.NAN_TO_DEFAULT;
    if (depthLeft == 0 || (i > 0 && random.nextInt(4) == 0)) {
      left[i] = -1;
      right[i] = -1;
      double v = random.nextGaussian();
      value[i] = precision == TreeEnsemble.Precision.FLOAT32 ? (float) v : v;
      return i;
    }
    int f = random.nextInt(categoricalFeature.size());
    feature[i] = f;
    defaultLeft[i] = random.nextBoolean();
    if (categoricalFeature.get(f) && random.nextInt(5) > 0) {
      categorical[i] = true;
      int size = random.nextInt(5);
      java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
      while (set.size() < size) {
        set.add(random.nextInt(random.nextInt(10) == 0 ? 200 : 8));
      }
      categories[i] = set.stream().mapToInt(Integer::intValue).toArray();
    } else {
      double t = random.nextBoolean() ? GRID[random.nextInt(GRID.length)] : random.nextGaussian();
      threshold[i] = precision == TreeEnsemble.Precision.FLOAT32 ? (float) t : t;
      if (precision == TreeEnsemble.Precision.FLOAT64) {
        missing[i] = DecisionTree.MissingRule.values()[random.nextInt(3)];
      }
    }
    double share = 0.1 + 0.8 * random.nextDouble();
    left[i] = build(random, precision, categoricalFeature, depthLeft - 1, 0, nodeCover * share, count, left, right,
        feature, threshold, categorical, categories, defaultLeft, missing, value, cover);
    right[i] = build(random, precision, categoricalFeature, depthLeft - 1, 0, nodeCover * (1 - share), count, left,
        right, feature, threshold, categorical, categories, defaultLeft, missing, value, cover);
    return i;
  }

  /** A value from the grid, a threshold neighbour, NaN, a valid or invalid category, or noise. */
  static double value(Random random, boolean categorical) {
    int pick = random.nextInt(10);
    if (pick == 0) {
      return Double.NaN;
    }
    if (categorical) {
      double[] odd = {-1, -0.5, -0.0, 2.5, 7.9999999999, 8, 150, 199, 1e10, 16777216, -3e9};
      return pick == 1 ? odd[random.nextInt(odd.length)] : random.nextInt(10);
    }
    double g = GRID[random.nextInt(GRID.length)];
    return switch (pick) {
      case 1, 2 -> g;
      case 3 -> Math.nextUp(g);
      case 4 -> Math.nextDown(g);
      case 5 -> Math.nextUp((float) g);
      case 6 -> (double) Math.nextDown((float) g);
      default -> random.nextGaussian() * 2;
    };
  }
}

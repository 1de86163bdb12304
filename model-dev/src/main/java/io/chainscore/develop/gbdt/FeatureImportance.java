package io.chainscore.develop.gbdt;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/** Feature importances as shares of their total, largest first. Thread safety: stateless. */
final class FeatureImportance {
  private FeatureImportance() {}

  /**
   * Each feature's share of the total importance, in descending order (ties in feature order); all
   * zero when the total is zero.
   */
  static LinkedHashMap<String, Double> shares(double[] importance, List<String> featureNames) {
    double total = 0;
    for (double v : importance) {
      total += v;
    }
    Integer[] order = new Integer[featureNames.size()];
    for (int j = 0; j < order.length; j++) {
      order[j] = j;
    }
    Arrays.sort(order, (a, b) -> Double.compare(importance[b], importance[a]));
    LinkedHashMap<String, Double> share = new LinkedHashMap<>();
    for (int j : order) {
      share.put(featureNames.get(j), total > 0 ? importance[j] / total : 0.0);
    }
    return share;
  }
}

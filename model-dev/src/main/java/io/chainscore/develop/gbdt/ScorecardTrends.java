package io.chainscore.develop.gbdt;

import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.binning.MonotonicTrend;
import io.chainscore.develop.binning.OptimalBinning;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The scorecard's monotone trends as gradient-boosted-tree constraints: every numeric feature is
 * binned as the scorecard bins it (optimal binning with the better of an ascending and a
 * descending event rate, {@link MonotonicTrend#AUTO}); a feature whose binning reaches {@code
 * minIv} gets +1 when its event rate rises with the value, -1 when it falls. Others (categorical,
 * below {@code minIv}, or unbinnable) stay unconstrained.
 *
 * <p>Thread safety: stateless.
 */
public final class ScorecardTrends {
  private ScorecardTrends() {}

  /**
   * The constraints, by feature name in schema order.
   *
   * @param minBinShare smallest share of rows per bin (the scorecard's {@code --min-bin-share})
   * @param maxBins most bins (the scorecard's {@code --max-bins})
   * @param minIv smallest information value for a feature to be constrained
   */
  public static Map<String, Integer> of(FeatureSchema schema, double[] rows, int[] labels, Set<String> excluded,
      double minBinShare, int maxBins, double minIv) {
    int p = schema.size();
    int n = labels.length;
    Map<String, Integer> out = new LinkedHashMap<>();
    double[] column = new double[n];
    for (int j = 0; j < p; j++) {
      var f = schema.feature(j);
      if (f.type() == FeatureType.CATEGORICAL || excluded.contains(f.name())) {
        continue;
      }
      for (int i = 0; i < n; i++) {
        column[i] = rows[i * p + j];
      }
      BinningTable t;
      try {
        t = OptimalBinning.builder().trend(MonotonicTrend.AUTO).minBinShare(minBinShare).maxBins(maxBins).build()
            .fit(column, labels);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (t.iv() >= minIv && t.bins().stream().filter(b -> b.kind() == BinningTable.BinKind.RANGE && b.count() > 0).count() >= 2) {
        if (t.trend() == MonotonicTrend.ASCENDING) {
          out.put(f.name(), 1);
        } else if (t.trend() == MonotonicTrend.DESCENDING) {
          out.put(f.name(), -1);
        }
      }
    }
    return out;
  }
}

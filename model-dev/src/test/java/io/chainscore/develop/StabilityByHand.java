package io.chainscore.develop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;

/**
 * A characteristic stability index computed by hand, independently of the code under test, for
 * scorecard contributions (few distinct values): one bin per distinct value of the first block.
 */
public final class StabilityByHand {
  private StabilityByHand() {}

  /** {@code sum (a - e) ln(a / e)} over the distinct values of the first block, shares floored at 1e-4. */
  public static double csiOverValues(List<Double> first, List<Double> last) {
    TreeMap<Double, double[]> shares = new TreeMap<>();
    first.forEach(v -> shares.computeIfAbsent(v, key -> new double[2])[0] += 1.0 / first.size());
    for (double v : last) {
      assertThat(shares).as("a scorecard contribution the first cohort never took").containsKey(v);
      shares.get(v)[1] += 1.0 / last.size();
    }
    double csi = 0;
    for (double[] ea : shares.values()) {
      double e = Math.max(ea[0], 1e-4);
      double a = Math.max(ea[1], 1e-4);
      csi += (a - e) * Math.log(a / e);
    }
    return csi;
  }
}

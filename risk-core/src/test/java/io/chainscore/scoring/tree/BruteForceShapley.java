package io.chainscore.scoring.tree;

/**
 * Exact Shapley values by enumerating all feature subsets S: v(S) is the path-dependent
 * expectation of the ensemble with the features of S fixed to the row and the others integrated
 * out by cover-weighted averaging over both children. Exponential; for tiny models only.
 */
final class BruteForceShapley {
  private BruteForceShapley() {}

  static double[] values(CompiledTreeEnsemble m, double[] row) {
    int p = m.featureCount;
    double[] v = new double[1 << p];
    for (int s = 0; s < v.length; s++) {
      double total = 0;
      for (int t = 0; t < m.treeCount; t++) {
        total += expectation(m, m.root[t], row, s);
      }
      v[s] = total;
    }
    double[] factorial = new double[p + 1];
    factorial[0] = 1;
    for (int i = 1; i <= p; i++) {
      factorial[i] = factorial[i - 1] * i;
    }
    double[] phi = new double[p];
    for (int i = 0; i < p; i++) {
      for (int s = 0; s < v.length; s++) {
        if ((s & (1 << i)) != 0) {
          continue;
        }
        int size = Integer.bitCount(s);
        double weight = factorial[size] * factorial[p - size - 1] / factorial[p];
        phi[i] += weight * (v[s | (1 << i)] - v[s]);
      }
    }
    return phi;
  }

  private static double expectation(CompiledTreeEnsemble m, int g, double[] row, int subset) {
    int left = m.child[2 * g];
    if (left == g) {
      return m.value[g];
    }
    int right = m.child[2 * g + 1];
    int column = m.column[g];
    if ((subset & (1 << column)) != 0) {
      return expectation(m, m.goesRight(g, row[column]) ? right : left, row, subset);
    }
    if (!(m.cover[g] > 0)) {
      // no cover to weigh the children by: half each, as TreeSHAP's layouts do
      return 0.5 * expectation(m, left, row, subset) + 0.5 * expectation(m, right, row, subset);
    }
    return (m.cover[left] * expectation(m, left, row, subset) + m.cover[right] * expectation(m, right, row, subset))
        / m.cover[g];
  }
}

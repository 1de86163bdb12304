package io.chainscore.scoring.tree;

/**
 * The reference for {@link PathShap}: exact path-dependent TreeSHAP as published (Lundberg, Erion
 * and Lee 2018, arXiv:1802.03888, Algorithm 2, recursive with path copies), written over
 * the flat layout of a {@link CompiledTreeEnsemble}: for one row and one tree it adds to each
 * schema column the Shapley value of that column, with the expectation over absent features taken
 * along the tree's cover-weighted paths. O(L D^2) per tree for L leaves and depth D.
 *
 * <p>Thread safety: not thread-safe (holds scratch paths); create one per call.
 */
final class TreeShap {
  private final CompiledTreeEnsemble m;
  // Path elements as structure-of-arrays; each recursion level owns a slice of depth + 2 entries.
  private final int[] feature;
  private final double[] zeroFraction;
  private final double[] oneFraction;
  private final double[] pathWeight;

  TreeShap(CompiledTreeEnsemble m) {
    this.m = m;
    int d = m.maxDepth + 2;
    int size = d * (d + 1) / 2 + d;
    feature = new int[size];
    zeroFraction = new double[size];
    oneFraction = new double[size];
    pathWeight = new double[size];
  }

  void tree(int t, double[] row, int offset, double[] phi) {
    recurse(m.root[t], row, offset, phi, 0, 0, 1.0, 1.0, -1);
  }

  private void recurse(int g, double[] row, int offset, double[] phi, int parentStart, int uniqueDepth,
      double parentZero, double parentOne, int parentFeature) {
    // Copy the parent's path into this level's slice, then extend it.
    int start = parentStart + uniqueDepth;
    if (uniqueDepth > 0) {
      System.arraycopy(feature, parentStart, feature, start, uniqueDepth);
      System.arraycopy(zeroFraction, parentStart, zeroFraction, start, uniqueDepth);
      System.arraycopy(oneFraction, parentStart, oneFraction, start, uniqueDepth);
      System.arraycopy(pathWeight, parentStart, pathWeight, start, uniqueDepth);
    }
    extend(start, uniqueDepth, parentZero, parentOne, parentFeature);
    int left = m.child[2 * g];
    if (left == g) {
      double leaf = m.value[g];
      for (int i = 1; i <= uniqueDepth; i++) {
        double w = unwoundSum(start, uniqueDepth, i);
        phi[feature[start + i]] += w * (oneFraction[start + i] - zeroFraction[start + i]) * leaf;
      }
      return;
    }
    int col = m.column[g];
    boolean right = m.goesRight(g, row[offset + col]);
    int hot = m.child[2 * g + (right ? 1 : 0)];
    int cold = m.child[2 * g + (right ? 0 : 1)];
    double cover = m.cover[g];
    double hotZero = cover > 0 ? m.cover[hot] / cover : 0.5;
    double coldZero = cover > 0 ? m.cover[cold] / cover : 0.5;
    double incomingZero = 1.0;
    double incomingOne = 1.0;
    int depth = uniqueDepth;
    int pathIndex = 0;
    while (pathIndex <= depth && feature[start + pathIndex] != col) {
      pathIndex++;
    }
    if (pathIndex <= depth) {
      incomingZero = zeroFraction[start + pathIndex];
      incomingOne = oneFraction[start + pathIndex];
      unwind(start, depth, pathIndex);
      depth--;
    }
    recurse(hot, row, offset, phi, start, depth + 1, hotZero * incomingZero, incomingOne, col);
    recurse(cold, row, offset, phi, start, depth + 1, coldZero * incomingZero, 0.0, col);
  }

  private void extend(int s, int uniqueDepth, double zero, double one, int featureIndex) {
    feature[s + uniqueDepth] = featureIndex;
    zeroFraction[s + uniqueDepth] = zero;
    oneFraction[s + uniqueDepth] = one;
    pathWeight[s + uniqueDepth] = uniqueDepth == 0 ? 1.0 : 0.0;
    for (int i = uniqueDepth - 1; i >= 0; i--) {
      pathWeight[s + i + 1] += one * pathWeight[s + i] * (i + 1) / (double) (uniqueDepth + 1);
      pathWeight[s + i] = zero * pathWeight[s + i] * (uniqueDepth - i) / (double) (uniqueDepth + 1);
    }
  }

  private void unwind(int s, int uniqueDepth, int pathIndex) {
    double one = oneFraction[s + pathIndex];
    double zero = zeroFraction[s + pathIndex];
    double nextOnePortion = pathWeight[s + uniqueDepth];
    for (int i = uniqueDepth - 1; i >= 0; i--) {
      if (one != 0) {
        double tmp = pathWeight[s + i];
        pathWeight[s + i] = nextOnePortion * (uniqueDepth + 1) / ((i + 1) * one);
        nextOnePortion = tmp - pathWeight[s + i] * zero * (uniqueDepth - i) / (double) (uniqueDepth + 1);
      } else {
        pathWeight[s + i] = pathWeight[s + i] * (uniqueDepth + 1) / (zero * (uniqueDepth - i));
      }
    }
    for (int i = pathIndex; i < uniqueDepth; i++) {
      feature[s + i] = feature[s + i + 1];
      zeroFraction[s + i] = zeroFraction[s + i + 1];
      oneFraction[s + i] = oneFraction[s + i + 1];
    }
  }

  private double unwoundSum(int s, int uniqueDepth, int pathIndex) {
    double one = oneFraction[s + pathIndex];
    double zero = zeroFraction[s + pathIndex];
    double nextOnePortion = pathWeight[s + uniqueDepth];
    double total = 0;
    for (int i = uniqueDepth - 1; i >= 0; i--) {
      if (one != 0) {
        double tmp = nextOnePortion * (uniqueDepth + 1) / ((i + 1) * one);
        total += tmp;
        nextOnePortion = pathWeight[s + i] - tmp * zero * ((uniqueDepth - i) / (double) (uniqueDepth + 1));
      } else if (zero != 0) {
        total += (pathWeight[s + i] / zero) / ((uniqueDepth - i) / (double) (uniqueDepth + 1));
      }
    }
    return total;
  }
}

package io.chainscore.develop.binning;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Best-first binary splitting of one numeric characteristic, reproducing scikit-learn's
 * {@code DecisionTreeClassifier} with {@code max_leaf_nodes} (BestFirstTreeBuilder) on a single
 * feature: the frontier node with the largest weighted impurity decrease is split next, split
 * candidates lie between consecutive distinct float32 values more than 1e-7 apart, each child
 * keeps at least {@code minLeaf} observations, and the threshold is {@code a/2 + b/2} of the two
 * float32 neighbours.
 */
final class CartPreBinner {
  private static final double EPSILON = Math.ulp(1.0); // numpy's finfo(double).eps
  private static final double FEATURE_THRESHOLD = 1e-7;

  private final Distinct data; // grouped by float32
  private final boolean entropy;
  private final double minLeaf;
  private final double total;

  private CartPreBinner(Distinct data, boolean entropy, double minLeaf) {
    this.data = data;
    this.entropy = entropy;
    this.minLeaf = minLeaf;
    this.total = data.total();
  }

  /** Sorted thresholds of at most {@code maxLeaves - 1} splits. */
  static double[] splits(Distinct values, int maxLeaves, double minLeafShare, boolean entropy) {
    Distinct f = values.byFloat();
    double n = f.total();
    double minLeaf = Math.max(1, Math.ceil(minLeafShare * n));
    return new CartPreBinner(f, entropy, minLeaf).grow(maxLeaves);
  }

  private final class Node {
    final int from; // distinct-value range [from, to)
    final int to;
    final double events;
    final double nonEvents;
    int split = -1; // first distinct index of the right child
    double improvement;

    Node(int from, int to) {
      this.from = from;
      this.to = to;
      double e = 0;
      double ne = 0;
      for (int i = from; i < to; i++) {
        e += data.events[i];
        ne += data.nonEvents[i];
      }
      this.events = e;
      this.nonEvents = ne;
      findSplit();
    }

    private void findSplit() {
      double n = events + nonEvents;
      double impurity = impurity(events, nonEvents);
      if (n < 2 || n < 2 * minLeaf || impurity <= EPSILON) {
        return;
      }
      double bestProxy = Double.NEGATIVE_INFINITY;
      double le = 0;
      double ln = 0;
      int best = -1;
      double bestLe = 0;
      double bestLn = 0;
      for (int t = from + 1; t < to; t++) {
        le += data.events[t - 1];
        ln += data.nonEvents[t - 1];
        if (data.values[t] <= data.values[t - 1] + FEATURE_THRESHOLD) {
          continue;
        }
        double nl = le + ln;
        double nr = n - nl;
        if (nl < minLeaf || nr < minLeaf) {
          continue;
        }
        double proxy =
            -nr * impurity(events - le, nonEvents - ln) - nl * impurity(le, ln);
        if (proxy > bestProxy) {
          bestProxy = proxy;
          best = t;
          bestLe = le;
          bestLn = ln;
        }
      }
      if (best < 0) {
        return;
      }
      double nl = bestLe + bestLn;
      double nr = n - nl;
      double impL = impurity(bestLe, bestLn);
      double impR = impurity(events - bestLe, nonEvents - bestLn);
      double imp =
          ((double) n / total)
              * (impurity - ((double) nr / n) * impR - ((double) nl / n) * impL);
      if (imp + EPSILON < 0) {
        return;
      }
      split = best;
      improvement = imp;
    }

    double threshold() {
      double a = data.values[split - 1];
      double b = data.values[split];
      double t = a / 2.0 + b / 2.0;
      if (t == b || Double.isInfinite(t)) {
        t = a;
      }
      return t;
    }
  }

  private double impurity(double e, double ne) {
    double n = (double) e + ne;
    if (entropy) {
      double h = 0;
      if (e > 0) {
        double p = e / n;
        h -= p * Math.log(p);
      }
      if (ne > 0) {
        double p = ne / n;
        h -= p * Math.log(p);
      }
      return h / Math.log(2);
    }
    double sq = (double) e * e + (double) ne * ne;
    return 1.0 - sq / (n * n);
  }

  private double[] grow(int maxLeaves) {
    PriorityQueue<Node> frontier =
        new PriorityQueue<>(
            (x, y) -> {
              int c = Double.compare(y.improvement, x.improvement);
              return c != 0 ? c : Integer.compare(x.from, y.from);
            });
    double[] thresholds = new double[Math.max(0, maxLeaves - 1)];
    int count = 0;
    if (data.size == 0) {
      return new double[0];
    }
    frontier.add(new Node(0, data.size));
    while (!frontier.isEmpty() && count < thresholds.length) {
      Node node = frontier.poll();
      if (node.split < 0) {
        continue;
      }
      thresholds[count++] = node.threshold();
      frontier.add(new Node(node.from, node.split));
      frontier.add(new Node(node.split, node.to));
    }
    double[] out = Arrays.copyOf(thresholds, count);
    Arrays.sort(out);
    return out;
  }
}

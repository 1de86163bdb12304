package io.chainscore.develop.scorecard;

/**
 * Turns a logistic regression on WoE-coded characteristics into scorecard points with the
 * conventional scaling: {@code score = offset + factor * ln(good:bad odds)}, where
 * {@code factor = pdo / ln 2} and {@code offset = baseScore - factor * ln(baseOdds)}. The score
 * rises by {@code pdo} points each time the good:bad odds double, and equals {@code baseScore} at
 * odds {@code baseOdds}.
 *
 * <p>With a model {@code ln(bad:good odds) = intercept + sum_j beta_j * woe_j}, the points of bin
 * {@code i} of characteristic {@code j} out of {@code k} are
 * {@code -(beta_j * woe_ij + intercept / k) * factor + offset / k}, so a row's points add up to
 * its score exactly (before rounding).
 *
 * @param pdo points to double the odds, greater than zero (for example 20)
 * @param baseScore score at the base odds (for example 600)
 * @param baseOdds good:bad odds at the base score (for example 50)
 *
 * <p>Thread safety: immutable.
 */
public record ScorecardScaling(double pdo, double baseScore, double baseOdds) {
  public ScorecardScaling {
    if (!(pdo > 0) || !Double.isFinite(pdo)) {
      throw new IllegalArgumentException("pdo must be a positive number, got " + pdo);
    }
    if (!(baseOdds > 0) || !Double.isFinite(baseOdds)) {
      throw new IllegalArgumentException("base odds must be a positive number, got " + baseOdds);
    }
    if (!Double.isFinite(baseScore)) {
      throw new IllegalArgumentException("base score must be finite, got " + baseScore);
    }
  }

  /** Points per doubling of the odds divided by ln 2. */
  public double factor() {
    return pdo / Math.log(2);
  }

  /** Score at odds 1:1. */
  public double offset() {
    return baseScore - factor() * Math.log(baseOdds);
  }

  /** The score of a bad:good log-odds margin (the model's output). */
  public double score(double badLogOdds) {
    return offset() - factor() * badLogOdds;
  }

  /** The bad:good log-odds of a score, the inverse of {@link #score}. */
  public double badLogOdds(double score) {
    return (offset() - score) / factor();
  }

  /** The probability of default of a score. */
  public double probabilityOfDefault(double score) {
    return 1 / (1 + Math.exp(-badLogOdds(score)));
  }

  /**
   * Points of every bin, not rounded.
   *
   * @param intercept the model's intercept (bad:good log-odds)
   * @param coefficients one per characteristic
   * @param woe {@code woe[j][i]}: the WoE (ln of bad share over good share, the coding the model
   *     was fitted on) of bin {@code i} of characteristic {@code j}
   */
  public double[][] points(double intercept, double[] coefficients, double[][] woe) {
    int k = coefficients.length;
    if (woe.length != k) {
      throw new IllegalArgumentException(k + " coefficients but " + woe.length + " characteristics");
    }
    double[][] points = new double[k][];
    for (int j = 0; j < k; j++) {
      points[j] = new double[woe[j].length];
      for (int i = 0; i < woe[j].length; i++) {
        points[j][i] = -(coefficients[j] * woe[j][i] + intercept / k) * factor() + offset() / k;
      }
    }
    return points;
  }

  /**
   * Rounds points to whole numbers without changing how any two bins of a characteristic rank:
   * bins whose exact points differ keep their order, and only bins with equal exact points may
   * share a rounded value. Where plain rounding would tie or swap two bins whose points differ
   * (a gap under one point), the later bin in points order is moved one point further.
   */
  public static long[][] roundPreservingRank(double[][] points) {
    long[][] rounded = new long[points.length][];
    for (int j = 0; j < points.length; j++) {
      double[] p = points[j];
      Integer[] order = new Integer[p.length];
      for (int i = 0; i < p.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
      rounded[j] = new long[p.length];
      long previous = Long.MIN_VALUE;
      double previousExact = Double.NaN;
      for (int i : order) {
        long r = Math.round(p[i]);
        if (previous != Long.MIN_VALUE) {
          if (p[i] == previousExact) {
            r = previous;
          } else if (r <= previous) {
            r = previous + 1;
          }
        }
        rounded[j][i] = r;
        previous = r;
        previousExact = p[i];
      }
    }
    return rounded;
  }
}

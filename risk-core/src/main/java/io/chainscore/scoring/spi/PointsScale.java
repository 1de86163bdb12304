package io.chainscore.scoring.spi;

import java.util.Arrays;

/**
 * The points-to-odds scaling shared by every model kind and by training: {@code odds = baseOdds *
 * 2^((points - baseScore) / pdo)} where odds are good:bad (non-default to default). More points
 * mean better odds and a lower PD. The margin is the log-odds of default, {@code margin =
 * -ln(odds)}, so {@code PD = 1 / (1 + exp(-margin)) = 1 / (1 + odds)}.
 *
 * <p>In the textbook form used to fit a scorecard, {@code score = offset + factor * ln(good:bad
 * odds)} with {@code factor = pdo / ln 2} and {@code offset = baseScore - factor * ln(baseOdds)}:
 * the score rises by {@code pdo} points each time the odds double and equals {@code baseScore} at
 * odds {@code baseOdds}. Training turns coefficients into points with {@link #factor()} and
 * {@link #offset()}; the runtime turns points into margins with {@link #marginOf(double)}, whose
 * constants are computed once here. Both sides therefore read one definition, and each keeps the
 * arithmetic that the shipped bundles and golden rows were produced with.
 *
 * <p>This type is part of ChainScore's service-provider interface: it is exported only to
 * ChainScore's own modules (model development), not to library users.
 *
 * <p>Thread safety: immutable.
 */
public final class PointsScale {
  private static final double LN2 = Math.log(2);

  private final double pdo;
  private final double baseScore;
  private final double baseOdds;
  private final double lnBaseOdds;
  private final double marginPerPoint;
  private final double pointsPerMargin;

  /**
   * Creates the scale.
   *
   * @param pdo points to double the odds, a positive number (for example 20)
   * @param baseScore score at the base odds (for example 600), finite
   * @param baseOdds good:bad odds at the base score (for example 50), a positive number
   * @throws IllegalArgumentException when a parameter is out of range
   */
  public PointsScale(double pdo, double baseScore, double baseOdds) {
    if (!(pdo > 0) || !Double.isFinite(pdo)) {
      throw new IllegalArgumentException("pdo must be a positive number, got " + pdo);
    }
    if (!(baseOdds > 0) || !Double.isFinite(baseOdds)) {
      throw new IllegalArgumentException("base odds must be a positive number, got " + baseOdds);
    }
    if (!Double.isFinite(baseScore)) {
      throw new IllegalArgumentException("base score must be finite, got " + baseScore);
    }
    this.pdo = pdo;
    this.baseScore = baseScore;
    this.baseOdds = baseOdds;
    this.lnBaseOdds = Math.log(baseOdds);
    this.marginPerPoint = -LN2 / pdo;
    this.pointsPerMargin = -pdo / LN2;
  }

  /** Points to double the odds. */
  public double pdo() {
    return pdo;
  }

  /** Score at the base odds. */
  public double baseScore() {
    return baseScore;
  }

  /** Good:bad odds at the base score. */
  public double baseOdds() {
    return baseOdds;
  }

  /** Points per unit of ln(odds), {@code pdo / ln 2}: the textbook "factor". */
  public double factor() {
    return pdo / Math.log(2);
  }

  /** Score at odds 1:1, {@code baseScore - factor * ln(baseOdds)}: the textbook "offset". */
  public double offset() {
    return baseScore - factor() * Math.log(baseOdds);
  }

  /** The log-odds of default of a score: {@code -(ln baseOdds + (points - baseScore) ln 2 / pdo)}. */
  public double marginOf(double points) {
    return -lnBaseOdds + (points - baseScore) * marginPerPoint;
  }

  /** The score of a log-odds of default: {@code baseScore + (-margin - ln baseOdds) pdo / ln 2}. */
  public double pointsOf(double margin) {
    return baseScore + (margin + lnBaseOdds) * pointsPerMargin;
  }

  /** Margin change per point, {@code -ln 2 / pdo}: negative, since points raise the good:bad odds. */
  public double marginPerPoint() {
    return marginPerPoint;
  }

  /** The probability of default of a score before any calibration: {@code 1 / (1 + odds)}. */
  public double probabilityOfDefault(double points) {
    return 1 / (1 + Math.exp(-marginOf(points)));
  }

  /**
   * Rounds points to whole numbers without changing how any two bins of a characteristic rank:
   * bins whose exact points differ keep their order, and only bins with equal exact points may
   * share a rounded value. Where plain rounding would tie or swap two bins whose points differ
   * (a gap under one point), the later bin in points order is moved one point further.
   *
   * @param points {@code points[j][i]}: the exact points of bin {@code i} of characteristic {@code j}
   * @return the rounded points, same shape
   */
  public static long[][] roundPreservingRank(double[][] points) {
    long[][] rounded = new long[points.length][];
    for (int j = 0; j < points.length; j++) {
      double[] p = points[j];
      Integer[] order = new Integer[p.length];
      for (int i = 0; i < p.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
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

  @Override
  public boolean equals(Object o) {
    return o instanceof PointsScale s
        && Double.compare(pdo, s.pdo) == 0
        && Double.compare(baseScore, s.baseScore) == 0
        && Double.compare(baseOdds, s.baseOdds) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(pdo) * 961 + Double.hashCode(baseScore) * 31 + Double.hashCode(baseOdds);
  }

  @Override
  public String toString() {
    return "PointsScale[pdo=" + pdo + ", baseScore=" + baseScore + ", baseOdds=" + baseOdds + "]";
  }
}

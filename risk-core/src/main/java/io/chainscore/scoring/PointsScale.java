package io.chainscore.scoring;

/**
 * The points-to-odds scaling shared by every model kind: {@code odds = baseOdds * 2^((points -
 * baseScore) / pdo)} where odds are good:bad (non-default to default). More points mean better
 * odds and a lower PD. The margin is the log-odds of default, {@code margin = -ln(odds)}, so
 * {@code PD = 1 / (1 + exp(-margin)) = 1 / (1 + odds)}.
 */
final class PointsScale {
  private static final double LN2 = Math.log(2);

  private final double pdo;
  private final double baseScore;
  private final double baseOdds;
  private final double lnBaseOdds;
  private final double marginPerPoint;
  private final double pointsPerMargin;

  PointsScale(double pdo, double baseScore, double baseOdds) {
    this.pdo = pdo;
    this.baseScore = baseScore;
    this.baseOdds = baseOdds;
    this.lnBaseOdds = Math.log(baseOdds);
    this.marginPerPoint = -LN2 / pdo;
    this.pointsPerMargin = -pdo / LN2;
  }

  double pdo() {
    return pdo;
  }

  double baseScore() {
    return baseScore;
  }

  double baseOdds() {
    return baseOdds;
  }

  /** The log-odds of default of a score: {@code -(ln baseOdds + (points - baseScore) ln 2 / pdo)}. */
  double marginOf(double points) {
    return -lnBaseOdds + (points - baseScore) * marginPerPoint;
  }

  /** The score of a log-odds of default: {@code baseScore + (-margin - ln baseOdds) pdo / ln 2}. */
  double pointsOf(double margin) {
    return baseScore + (margin + lnBaseOdds) * pointsPerMargin;
  }

  /** Margin change per point, {@code -ln 2 / pdo}: negative, since points raise the good:bad odds. */
  double marginPerPoint() {
    return marginPerPoint;
  }
}

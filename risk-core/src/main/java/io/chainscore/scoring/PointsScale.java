package io.chainscore.scoring;

/**
 * The points-to-odds scaling shared by every model kind: {@code odds = baseOdds * 2^((points -
 * baseScore) / pdo)} where odds are good:bad (non-default to default). More points mean better
 * odds and a lower PD. The margin is the log-odds of default, {@code margin = -ln(odds)}, so
 * {@code PD = 1 / (1 + exp(-margin)) = 1 / (1 + odds)}.
 */
record PointsScale(double pdo, double baseScore, double baseOdds) {
  private static final double LN2 = Math.log(2);

  /** The log-odds of default of a score. */
  double marginOf(double points) {
    return -(Math.log(baseOdds) + (points - baseScore) * LN2 / pdo);
  }

  /** The score of a log-odds of default. */
  double pointsOf(double margin) {
    return baseScore + (-margin - Math.log(baseOdds)) * pdo / LN2;
  }

  /** Margin change per point: negative, since points raise the good:bad odds. */
  double marginPerPoint() {
    return -LN2 / pdo;
  }
}

package io.chainscore.ifrs9;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Forward-looking scenarios (IFRS 9 5.5.17(a), B5.5.42): each scenario holds the systematic factor
 * of the one-factor model at a value {@code z}, which shifts every PD to {@code p(z) =
 * Phi((Phi^-1(PD) - sqrt(rho) z) / sqrt(1 - rho))}; the ECL is computed per scenario with its own
 * PDs and then weighted, {@code ECL = sum_s w_s ECL_s} (weighting the inputs first would be wrong,
 * since ECL is not linear in them).
 *
 * <p>Thread safety: stateless.
 */
public final class Scenarios {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
  private static final double WEIGHT_TOLERANCE = 1e-9;

  private Scenarios() {}

  /** A named scenario: its weight and the systematic factor's value (negative = downturn). */
  public record Scenario(String name, double weight, double factor) {}

  /** The PD conditional on the systematic factor {@code z} at asset correlation {@code rho}. */
  public static double conditionalPd(double pd, double rho, double z) {
    if (!(pd >= 0 && pd <= 1) || !(rho >= 0 && rho < 1) || !Double.isFinite(z)) {
      throw new IllegalArgumentException("conditional PD: expected PD in [0, 1], rho in [0, 1) and a finite factor, got "
          + pd + ", " + rho + ", " + z);
    }
    if (pd == 0 || pd == 1 || rho == 0) {
      return pd;
    }
    return STANDARD_NORMAL.cumulativeProbability(
        (STANDARD_NORMAL.inverseCumulativeProbability(pd) - Math.sqrt(rho) * z) / Math.sqrt(1 - rho));
  }

  /**
   * The probability-weighted ECL.
   *
   * @param scenarios the scenarios, whose weights must be at least 0 and sum to 1
   * @param ecl each scenario's ECL, in the same order
   * @throws IllegalArgumentException naming the weights when they do not sum to 1
   */
  public static double weighted(Scenario[] scenarios, double[] ecl) {
    check(scenarios);
    if (ecl.length != scenarios.length) {
      throw new IllegalArgumentException("scenario ECLs: expected " + scenarios.length + " values, got " + ecl.length);
    }
    double sum = 0;
    for (int s = 0; s < scenarios.length; s++) {
      sum += scenarios[s].weight() * ecl[s];
    }
    return sum;
  }

  /** Checks that the scenarios have names, weights in [0, 1] summing to 1, and finite factors. */
  public static void check(Scenario[] scenarios) {
    if (scenarios.length == 0) {
      throw new IllegalArgumentException("scenarios: expected at least one");
    }
    double total = 0;
    StringBuilder weights = new StringBuilder();
    for (Scenario s : scenarios) {
      if (s.name() == null || s.name().isBlank() || !(s.weight() >= 0 && s.weight() <= 1) || !Double.isFinite(s.factor())) {
        throw new IllegalArgumentException("scenario " + s.name() + ": expected a name, a weight in [0, 1] and a finite factor, got "
            + s.weight() + " and " + s.factor());
      }
      total += s.weight();
      weights.append(weights.length() == 0 ? "" : " + ").append(s.weight());
    }
    if (Math.abs(total - 1) > WEIGHT_TOLERANCE) {
      throw new IllegalArgumentException("scenario weights: expected them to sum to 1, got " + weights + " = " + total);
    }
  }
}

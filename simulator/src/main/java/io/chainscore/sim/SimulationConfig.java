package io.chainscore.sim;

import java.time.LocalDate;

/**
 * Parameters of a simulated supplier portfolio; every equation they enter is in
 * {@code docs/simulator.md}.
 *
 * @param suppliers number of suppliers, 1 to 10,000,000
 * @param seed master seed; the same seed and parameters give byte-identical output
 * @param asOf observation date: history ends on it and the default label covers the twelve months
 *     after it
 * @param historyMonths months of trading history before {@code asOf}, including its own month
 * @param baseDefaultRate mean twelve-month probability of default over the population
 * @param invoicesPerYear mean number of invoices a supplier issues in a year
 * @param financedShare share of suppliers that use receivables finance or loans
 * @param macroLoading asset-correlation share of the macro factor in the default latent
 * @param sectorLoading share of the supplier's sector factor
 * @param anchorLoading share of the anchor factor for a supplier selling only to its anchor; it is
 *     scaled by the anchor's share of the supplier's sales
 * @param anchorHealthShare share of the programme anchor's monthly shock in the innovation of a
 *     supplier's monthly health, so that suppliers of one anchor deteriorate together
 * @param healthWeight weight of the supplier's observable health at {@code asOf} in the default
 *     latent; the rest is future shocks, so it bounds how well any model can discriminate
 *
 * <p>Thread safety: immutable.
 */
public record SimulationConfig(
    int suppliers,
    long seed,
    LocalDate asOf,
    int historyMonths,
    double baseDefaultRate,
    double invoicesPerYear,
    double financedShare,
    double macroLoading,
    double sectorLoading,
    double anchorLoading,
    double anchorHealthShare,
    double healthWeight) {

  /** Validates every parameter with a message naming it. */
  public SimulationConfig {
    require(suppliers >= 1 && suppliers <= 10_000_000, "suppliers must be in [1, 10000000], got " + suppliers);
    require(asOf != null, "asOf is required");
    require(historyMonths >= 3 && historyMonths <= 120, "historyMonths must be in [3, 120], got " + historyMonths);
    require(baseDefaultRate > 0 && baseDefaultRate < 0.5, "baseDefaultRate must be in (0, 0.5), got " + baseDefaultRate);
    require(invoicesPerYear >= 1 && invoicesPerYear <= 10_000, "invoicesPerYear must be in [1, 10000], got " + invoicesPerYear);
    require(financedShare >= 0 && financedShare <= 1, "financedShare must be in [0, 1], got " + financedShare);
    require(macroLoading >= 0 && sectorLoading >= 0 && anchorLoading >= 0,
        "factor loadings must not be negative");
    require(macroLoading + sectorLoading + anchorLoading < 0.9,
        "macroLoading + sectorLoading + anchorLoading must stay below 0.9, got "
            + (macroLoading + sectorLoading + anchorLoading));
    require(anchorHealthShare >= 0 && anchorHealthShare <= 1,
        "anchorHealthShare must be in [0, 1], got " + anchorHealthShare);
    require(healthWeight >= 0 && healthWeight < 1, "healthWeight must be in [0, 1), got " + healthWeight);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("simulation config: " + message);
    }
  }

  /** A builder with the documented defaults: 30 months of history, 3% default rate. */
  public static Builder builder() {
    return new Builder();
  }

  /** The first day of the simulated history. */
  public LocalDate historyStart() {
    return asOf.withDayOfMonth(1).minusMonths(historyMonths - 1L);
  }

  /** Collects parameters; not thread-safe. */
  public static final class Builder {
    private int suppliers = 1_000;
    private long seed = 42;
    private LocalDate asOf = LocalDate.of(2025, 6, 30);
    private int historyMonths = 30;
    private double baseDefaultRate = 0.03;
    private double invoicesPerYear = 100;
    private double financedShare = 0.65;
    private double macroLoading = 0.04;
    private double sectorLoading = 0.03;
    private double anchorLoading = 0.10;
    private double anchorHealthShare = 0.10;
    private double healthWeight = 0.80;

    private Builder() {}

    public Builder suppliers(int value) {
      suppliers = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder asOf(LocalDate value) {
      asOf = value;
      return this;
    }

    public Builder historyMonths(int value) {
      historyMonths = value;
      return this;
    }

    public Builder baseDefaultRate(double value) {
      baseDefaultRate = value;
      return this;
    }

    public Builder invoicesPerYear(double value) {
      invoicesPerYear = value;
      return this;
    }

    public Builder financedShare(double value) {
      financedShare = value;
      return this;
    }

    public Builder factorLoadings(double macro, double sector, double anchor) {
      macroLoading = macro;
      sectorLoading = sector;
      anchorLoading = anchor;
      return this;
    }

    public Builder anchorHealthShare(double value) {
      anchorHealthShare = value;
      return this;
    }

    public Builder healthWeight(double value) {
      healthWeight = value;
      return this;
    }

    public SimulationConfig build() {
      return new SimulationConfig(
          suppliers, seed, asOf, historyMonths, baseDefaultRate, invoicesPerYear, financedShare,
          macroLoading, sectorLoading, anchorLoading, anchorHealthShare, healthWeight);
    }
  }
}

package io.chainscore.bench.portfolio;

import io.chainscore.portfolio.CreditPortfolioSimulation;
import io.chainscore.portfolio.IrbRegime;
import io.chainscore.portfolio.LossDistributionResult;
import java.util.Locale;

/**
 * Times the 99.9% VaR of a 100,000-supplier book to a relative standard error under 2%, with
 * and without importance sampling, and prints the figures recorded in
 * benchmarks/results/portfolio.md.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.chainscore.bench.portfolio.PortfolioVarRunner [suppliers] [threads] [scenarios...]}
 */
public final class PortfolioVarRunner {
  private PortfolioVarRunner() {}

  /** Entry point; see the class comment for arguments. */
  public static void main(String[] args) {
    int suppliers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    SupplyChainPortfolio book = new SupplyChainPortfolio(suppliers, 2026);
    double[] shifts = {-2.5, 0.0};
    int[] scenarios = {5_000, 10_000, 20_000};
    if (args.length > 2) {
      scenarios = new int[args.length - 2];
      for (int i = 2; i < args.length; i++) {
        scenarios[i - 2] = Integer.parseInt(args[i]);
      }
    }
    System.out.printf(Locale.ROOT, "suppliers=%d threads=%d cores=%d%n", suppliers, threads,
        Runtime.getRuntime().availableProcessors());
    // Warm-up so JIT compilation is not timed.
    build(book, 500, threads, -2.5, true).run();
    for (double shift : shifts) {
      for (int n : scenarios) {
        for (boolean contributions : shift != 0 ? new boolean[] {false, true} : new boolean[] {false}) {
          long start = System.nanoTime();
          LossDistributionResult r = build(book, n, threads, shift, contributions).run();
          double seconds = (System.nanoTime() - start) / 1e9;
          LossDistributionResult.TailMeasure t = r.at(0.999);
          System.out.printf(Locale.ROOT,
              "shift=%5.2f contributions=%-5s scenarios=%7d time=%6.1fs VaR99.9=%.4e se=%.2f%% "
                  + "ES99.9=%.4e se=%.2f%% VaR99=%.4e se=%.2f%% EL=%.4e mean=%.4e%n",
              shift, contributions, n, seconds, t.valueAtRisk(),
              100 * t.valueAtRiskStandardError() / t.valueAtRisk(), t.expectedShortfall(),
              100 * t.expectedShortfallStandardError() / t.expectedShortfall(), r.at(0.99).valueAtRisk(),
              100 * r.at(0.99).valueAtRiskStandardError() / r.at(0.99).valueAtRisk(), r.expectedLoss(),
              r.meanLoss());
        }
      }
    }
  }

  static CreditPortfolioSimulation build(SupplyChainPortfolio book, int scenarios, int threads,
      double shift, boolean contributions) {
    return CreditPortfolioSimulation.builder()
        .portfolio(book.exposures, book.pds, IrbRegime.BASEL_III)
        .contagion(true)
        .simulations(scenarios)
        .seed(17)
        .threads(threads)
        .importanceShift(shift)
        .contributions(contributions)
        .build();
  }
}

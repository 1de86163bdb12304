package io.chainscore.cli;

import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.PortfolioSummary;
import io.chainscore.sim.SimulationConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chainscore demo}: the default end-to-end job on bundled defaults. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the default end-to-end job on the bundled defaults.",
      "Simulates a supplier portfolio and prints its summary: suppliers, invoices, financing",
      "and defaults by anchor programme and sector."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--suppliers", defaultValue = "5000", description = "Number of suppliers (default ${DEFAULT-VALUE}).")
  int suppliers;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--as-of", defaultValue = "2025-06-30", description = "As-of date (default ${DEFAULT-VALUE}).")
  LocalDate asOf;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    SimulationConfig config = SimulationConfig.builder().suppliers(suppliers).seed(seed).asOf(asOf).build();
    PortfolioSummary summary = new PortfolioSummary();
    new PortfolioSimulator(config).simulate(summary, Runtime.getRuntime().availableProcessors());
    out.println("ChainScore demo: simulated supplier portfolio (seed " + seed + ")");
    out.println();
    out.print(summary.format());
    out.printf("%nDone in %.1f s.%n", (System.nanoTime() - start) / 1e9);
    return ExitCodes.SUCCESS;
  }
}

package io.chainscore.bench.portfolio;

import io.chainscore.portfolio.CreditPortfolioSimulation;
import io.chainscore.portfolio.IrbRegime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Obligor-scenario draws per second of the Monte Carlo engine ({@code simulateLosses}: factor
 * draws, conditional PDs, contagion, one uniform per supplier): draws/s = suppliers x scenarios /
 * time per operation.
 *
 * <p>Run: {@code mvn -o -q -Pbench -pl benchmarks -am package -DskipTests && java
 * --add-opens=java.base/java.nio=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar
 * MonteCarloDrawsBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MonteCarloDrawsBenchmark {
  @Param({"10000", "100000"})
  public int suppliers;

  @Param({"200", "1000"})
  public int scenarios;

  @Param({"1", "2"})
  public int threads;

  private CreditPortfolioSimulation simulation;
  private double[] losses;
  private double[] weights;

  /** Builds the book and the simulation once per parameter set. */
  @Setup
  public void setUp() {
    SupplyChainPortfolio book = new SupplyChainPortfolio(suppliers, 2026);
    simulation = CreditPortfolioSimulation.builder()
        .portfolio(book.exposures, book.pds, IrbRegime.BASEL_III)
        .contagion(true).simulations(scenarios).seed(5).threads(threads).importanceShift(-2.5)
        .build();
    losses = new double[scenarios];
    weights = new double[scenarios];
  }

  /** One pass over all scenarios. */
  @Benchmark
  public void simulateLosses(Blackhole bh) {
    simulation.simulateLosses(losses, weights);
    bh.consume(losses);
  }
}

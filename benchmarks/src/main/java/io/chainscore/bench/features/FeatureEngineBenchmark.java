package io.chainscore.bench.features;

import io.chainscore.features.engine.FeatureEngine;
import io.chainscore.features.engine.InvoiceColumns;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Per-chunk accumulation of the feature engine: one {@code addInvoices} call on a pre-filled chunk
 * of scattered invoices (validation included), for chunk sizes, supplier counts and threads.
 *
 * <p>Run: {@code mvn -o -q -Pbench -pl benchmarks -am package -DskipTests && java
 * --add-opens=java.base/java.nio=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar
 * FeatureEngineBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s}. The score is time per chunk; invoices
 * per second = chunkSize / score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FeatureEngineBenchmark {
  @Param({"4096", "65536"})
  public int chunkSize;

  @Param({"200000"})
  public int suppliers;

  @Param({"1", "2"})
  public int threads;

  private FeatureEngine engine;
  private InvoiceColumns chunk;

  @Setup(Level.Trial)
  public void setUp() {
    PortfolioGenerator gen = new PortfolioGenerator(suppliers, 100, 7);
    engine = FeatureEngine.builder(gen.table()).asOf(PortfolioGenerator.AS_OF).threads(threads).build();
    chunk = new InvoiceColumns(chunkSize);
    gen.fill(chunk, 1_000_000, false);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  public FeatureEngine addInvoices() {
    engine.addInvoices(chunk);
    return engine;
  }
}

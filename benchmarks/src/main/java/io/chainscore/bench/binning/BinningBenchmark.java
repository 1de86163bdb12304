package io.chainscore.bench.binning;

import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.binning.OptimalBinning;
import io.chainscore.develop.binning.PreBinning;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Optimal binning of 1,000,000 rows x 30 numeric characteristics (synthetic, seeded) on 2
 * threads: the binning part of fitting a scorecard on that sample.
 *
 * <p>Each characteristic mixes a signal in the log-odds with noise, some are rounded to few
 * distinct values, and 2 % of values are missing. Run with:
 *
 * <pre>
 * mvn -o -q -Pbench -pl benchmarks -am package -DskipTests
 * java --add-opens=java.base/java.nio=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar \
 *     BinningBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class BinningBenchmark {
  private static final int ROWS = 1_000_000;
  private static final int COLUMNS = 30;

  @Param({"CART", "QUANTILE"})
  public String preBinning;

  @Param({"2"})
  public int threads;

  private double[][] columns;
  private int[] labels;
  private OptimalBinning binning;

  @Setup(Level.Trial)
  public void generate() {
    SyntheticCharacteristics sample = SyntheticCharacteristics.generate(ROWS, COLUMNS, 20261129L, -2.2, 4.0 / COLUMNS);
    columns = sample.columns();
    labels = sample.labels();
    binning =
        OptimalBinning.builder()
            .preBinning(PreBinning.valueOf(preBinning))
            .maxPreBins(20)
            .minBinShare(0.05)
            .build();
  }

  @Benchmark
  public List<BinningTable> fitThirtyColumns() {
    return binning.fitColumns(columns, labels, threads);
  }
}

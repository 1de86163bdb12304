package io.chainscore.spark;

import io.chainscore.batch.io.TableWriter;
import io.chainscore.batch.io.TradeTables;
import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.SimulationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

/** A simulated portfolio in Parquet under target/, and the local Spark session the tests share. */
final class SparkTestPortfolio {
  static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);

  private SparkTestPortfolio() {}

  /**
   * Simulates {@code suppliers} suppliers into {@code dir} as {@code chainscore generate --format
   * parquet} would, unless a complete copy is already there (the simulator is deterministic).
   */
  static Path generate(Path dir, int suppliers, double invoicesPerYear, int historyMonths) throws IOException {
    // The options are part of the marker so that a changed portfolio is not mistaken for a cached one.
    Path done = dir.resolve(".complete-events-" + suppliers + "-" + invoicesPerYear + "-" + historyMonths);
    if (Files.exists(done)) {
      return dir;
    }
    Files.createDirectories(dir);
    SimulationConfig config = SimulationConfig.builder().suppliers(suppliers).seed(7).asOf(AS_OF)
        .historyMonths(historyMonths).invoicesPerYear(invoicesPerYear).build();
    try (TradeTables.Sink sink = TradeTables.writer(dir, TableWriter.Format.PARQUET, true)) {
      new PortfolioSimulator(config).simulate(sink, 2);
      sink.commit();
    }
    Files.writeString(done, "ok");
    return dir;
  }

  /**
   * Spark on {@code cores} local cores, bound to the loopback address, without the web UI;
   * otherwise Spark's defaults (adaptive execution on, as on a cluster).
   */
  static SparkSession localSpark(int cores) {
    return SparkSession.builder()
        .master("local[" + cores + "]")
        .appName("chainscore-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate();
  }
}

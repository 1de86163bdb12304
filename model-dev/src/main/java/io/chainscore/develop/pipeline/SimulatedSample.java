package io.chainscore.develop.pipeline;

import io.chainscore.features.StandardFeatures;
import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.SimulationConfig;
import io.chainscore.sim.SupplierHistory;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A simulated portfolio turned into a modelling sample: the standard feature row of every
 * supplier at the as-of date, its 12-month default label and the simulator's true PD.
 *
 * @param config the simulation
 * @param rows row-major features in {@link StandardFeatures#SCHEMA} order
 * @param labels 1 = defaulted within 12 months
 * @param truePd the simulator's true PD per supplier
 */
public record SimulatedSample(SimulationConfig config, double[] rows, int[] labels, double[] truePd) {
  /** Regions in {@code region_index} order, as the batch engine uses them. */
  public static final List<String> REGIONS = StandardFeatures.REGIONS;

  /** Simulates {@code config} and computes features with {@code threads} threads (same result for any). */
  public static SimulatedSample of(SimulationConfig config, int threads) {
    int n = config.suppliers();
    int p = StandardFeatures.SCHEMA.size();
    double[] rows = new double[n * p];
    int[] labels = new int[n];
    double[] truePd = new double[n];
    PortfolioSimulator sim = new PortfolioSimulator(config);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      int block = 512;
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int from = 0; from < n; from += block) {
        int start = from;
        int end = Math.min(n, from + block);
        futures.add(pool.submit(() -> {
          for (int i = start; i < end; i++) {
            SupplierHistory h = sim.supplier(i);
            double[] row = StandardFeatures.compute(h.supplier(), h.invoices(), h.loans(), h.events(), config.asOf(), REGIONS);
            System.arraycopy(row, 0, rows, i * p, p);
            labels[i] = h.label().defaulted() ? 1 : 0;
            truePd[i] = h.label().trueProbabilityOfDefault();
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new SimulatedSample(config, rows, labels, truePd);
  }

  /** Several portfolios stacked into one sample, in order; {@link #config()} is the last one's. */
  public static SimulatedSample pooled(List<SimulationConfig> configs, int threads) {
    List<SimulatedSample> parts = new java.util.ArrayList<>();
    for (SimulationConfig c : configs) {
      parts.add(of(c, threads));
    }
    return stack(parts);
  }

  /** Samples stacked into one, in order; {@link #config()} is the last one's. */
  public static SimulatedSample stack(List<SimulatedSample> parts) {
    int n = 0;
    for (SimulatedSample part : parts) {
      n += part.size();
    }
    int p = StandardFeatures.SCHEMA.size();
    double[] rows = new double[n * p];
    int[] labels = new int[n];
    double[] truePd = new double[n];
    int at = 0;
    for (SimulatedSample part : parts) {
      System.arraycopy(part.rows(), 0, rows, at * p, part.size() * p);
      System.arraycopy(part.labels(), 0, labels, at, part.size());
      System.arraycopy(part.truePd(), 0, truePd, at, part.size());
      at += part.size();
    }
    return new SimulatedSample(parts.get(parts.size() - 1).config(), rows, labels, truePd);
  }

  public int size() {
    return labels.length;
  }

  /** Realised default rate. */
  public double defaultRate() {
    long d = 0;
    for (int y : labels) {
      d += y;
    }
    return (double) d / labels.length;
  }
}

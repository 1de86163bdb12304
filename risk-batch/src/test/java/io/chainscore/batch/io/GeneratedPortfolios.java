package io.chainscore.batch.io;

import io.chainscore.sim.PortfolioSimulator;
import io.chainscore.sim.PortfolioSink;
import io.chainscore.sim.SimulationConfig;
import io.chainscore.sim.SupplierHistory;
import io.chainscore.trade.Anchor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Simulated portfolios written as table files, for tests of the readers and the features path. */
public final class GeneratedPortfolios {
  private GeneratedPortfolios() {}

  /** A simulated portfolio: its anchors and its suppliers' histories, in the simulator's order. */
  public record Portfolio(List<Anchor> anchors, List<SupplierHistory> histories) {}

  /** {@code suppliers} suppliers simulated with {@code seed} as of {@code asOf}, on one thread. */
  public static Portfolio simulate(int suppliers, long seed, LocalDate asOf) throws IOException {
    SimulationConfig config = SimulationConfig.builder().suppliers(suppliers).seed(seed).asOf(asOf).build();
    List<Anchor> anchors = new ArrayList<>();
    List<SupplierHistory> histories = new ArrayList<>();
    new PortfolioSimulator(config).simulate(new PortfolioSink() {
      @Override
      public void anchors(List<Anchor> list) {
        anchors.addAll(list);
      }

      @Override
      public void supplier(SupplierHistory history) {
        histories.add(history);
      }
    }, 1);
    return new Portfolio(anchors, histories);
  }

  /** Writes the portfolio's tables into {@code dir} (created) in {@code format}. */
  public static void write(Path dir, Portfolio portfolio, TableWriter.Format format) throws IOException {
    Files.createDirectories(dir);
    try (TradeTables.Sink sink = TradeTables.writer(dir, format, false)) {
      sink.anchors(portfolio.anchors());
      for (SupplierHistory h : portfolio.histories()) {
        sink.supplier(h);
      }
      sink.commit();
    }
  }
}

package io.chainscore.portfolio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The simulation's parallel loop over scenarios. Thread safety: stateless. */
final class ScenarioPool {
  private ScenarioPool() {}

  /** A unit of work over an index with the calling thread's scratch buffers. */
  interface IndexTask {
    void run(int index, CreditPortfolioSimulation.Scratch scratch);
  }

  /**
   * Runs task(0..count-1) on the pool in blocks; each index writes only its own outputs, so the
   * result does not depend on which thread ran it. With {@code slotScratch} the task gets the
   * scratch of its index instead of a per-thread one.
   */
  static void parallelFor(ExecutorService pool, int threads, int count, int block,
      Supplier<CreditPortfolioSimulation.Scratch> newScratch, CreditPortfolioSimulation.Scratch[] slotScratch,
      IndexTask task) {
    if (pool == null) {
      CreditPortfolioSimulation.Scratch scratch = slotScratch == null ? newScratch.get() : null;
      for (int i = 0; i < count; i++) {
        task.run(i, slotScratch == null ? scratch : slotScratch[i]);
      }
      return;
    }
    int blocks = (count + block - 1) / block;
    AtomicInteger nextBlock = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        CreditPortfolioSimulation.Scratch scratch = slotScratch == null ? newScratch.get() : null;
        int b;
        while ((b = nextBlock.getAndIncrement()) < blocks) {
          int end = Math.min(count, (b + 1) * block);
          for (int i = b * block; i < end; i++) {
            task.run(i, slotScratch == null ? scratch : slotScratch[i]);
          }
        }
      }));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("portfolio simulation interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("portfolio simulation failed: " + e.getCause(), e.getCause());
    }
  }

}

package io.chainscore.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Test helper: runs one task on several threads at once and adds up what they count. */
public final class Concurrently {
  /** A thread's share of the work; returns how many of its results were wrong. */
  public interface Task {
    int mismatches(int thread) throws Exception;
  }

  private Concurrently() {}

  /** Runs {@code task} on {@code threads} threads started together; the sum of their counts. */
  public static int mismatches(int threads, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> task.mismatches(thread)));
      }
      int total = 0;
      for (Future<Integer> result : results) {
        total += result.get();
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }
}

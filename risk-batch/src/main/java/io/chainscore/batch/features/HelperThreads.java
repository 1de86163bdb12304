package io.chainscore.batch.features;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs a piece of work split in parts on short-lived threads: part 0 on the calling thread, the
 * others on helper threads of their own, and returns when all are done, with the parts' results in
 * part order. A helper's failure is rethrown on the caller (after every part has ended); an
 * interrupt while waiting is passed on after it, as the helpers end on their own.
 *
 * <p>For the one-off parallel steps of a features run (zeroing a new set, checking the duplicate
 * check's buckets), where a pool that outlives the step would only hold threads.
 *
 * <p>Thread safety: stateless.
 */
final class HelperThreads {
  private HelperThreads() {}

  /** Runs {@code work.apply(p)} for every part {@code p < parts}, helpers named {@code name}. */
  static <T> List<T> run(int parts, String name, IntFunction<T> work) {
    List<T> results = new ArrayList<>(parts);
    Object[] fromHelper = new Object[parts];
    Throwable[] failure = new Throwable[parts];
    Thread[] helpers = new Thread[Math.max(0, parts - 1)];
    for (int t = 0; t < helpers.length; t++) {
      int part = t + 1;
      helpers[t] = new Thread(() -> {
        try {
          fromHelper[part] = work.apply(part);
        } catch (RuntimeException | Error e) {
          failure[part] = e;
        }
      }, name);
      helpers[t].start();
    }
    T own;
    try {
      own = work.apply(0);
    } finally {
      joinAll(helpers);
    }
    results.add(own);
    for (int part = 1; part < parts; part++) {
      if (failure[part] instanceof RuntimeException e) {
        throw e;
      }
      if (failure[part] instanceof Error e) {
        throw e;
      }
      @SuppressWarnings("unchecked")
      T result = (T) fromHelper[part];
      results.add(result);
    }
    return results;
  }

  private static void joinAll(Thread[] helpers) {
    boolean interrupted = false;
    for (Thread helper : helpers) {
      while (true) {
        try {
          helper.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;   // the helpers end on their own: wait for them, then pass it on
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.chainscore.scoring.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An {@link java.util.concurrent.ExecutorService} view of an {@link Executor} that a library
 * engine was given by its caller: tasks run on the caller's executor, and shutting this view down
 * stops and cancels this engine's own tasks but never shuts the caller's executor down.
 *
 * <p>Why: libraries should not own threads (an application server or a service wants its own
 * pools, names, limits and context propagation), yet an engine written against {@code
 * ExecutorService} (submit, futures, {@code shutdownNow} on failure or close) should not have to
 * care whether it created its pool or borrowed one. An engine given an executor wraps it in this
 * and keeps the rest of its code; given only a thread count it creates its pool as before.
 *
 * <p>{@link #shutdownNow()} cancels (with interruption) every task submitted through this view
 * that has not finished, and returns an empty list: the tasks already belong to the caller's
 * executor and cannot be drained from it. {@link #isTerminated()} is true once shut down with
 * every task of this view done or cancelled (a cancelled task's thread may still be unwinding from
 * its interrupt). A plain {@code Runnable} given to {@link #execute} is wrapped like a submitted
 * one, so its exception ends in its (unseen) future rather than in the caller's executor.
 *
 * <p>Thread safety: safe for concurrent use, like any {@code ExecutorService}.
 */
public final class BorrowedExecutor extends AbstractExecutorService {
  private final Executor executor;
  /** Tasks submitted through this view and not yet done. */
  private final Set<Tracked<?>> pending = ConcurrentHashMap.newKeySet();
  private final Object doneSignal = new Object();
  private volatile boolean shutdown;

  /**
   * A view of {@code executor}.
   *
   * @param executor runs the tasks; never shut down by this view
   */
  public BorrowedExecutor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** A task that leaves {@link #pending} when it completes, normally, exceptionally or cancelled. */
  private final class Tracked<T> extends FutureTask<T> {
    Tracked(Callable<T> callable) {
      super(callable);
    }

    Tracked(Runnable runnable, T value) {
      super(runnable, value);
    }

    @Override
    protected void done() {
      pending.remove(this);
      synchronized (doneSignal) {
        doneSignal.notifyAll();
      }
    }
  }

  @Override
  protected <T> FutureTask<T> newTaskFor(Callable<T> callable) {
    return new Tracked<>(callable);
  }

  @Override
  protected <T> FutureTask<T> newTaskFor(Runnable runnable, T value) {
    return new Tracked<>(runnable, value);
  }

  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    if (shutdown) {
      throw new RejectedExecutionException("this engine's executor view is shut down");
    }
    Runnable task = command instanceof Tracked<?> ? command : newTaskFor(command, null);
    Tracked<?> tracked = (Tracked<?>) task;
    pending.add(tracked);
    try {
      executor.execute(task);
    } catch (RuntimeException | Error e) {
      pending.remove(tracked);
      throw e;
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    for (Tracked<?> task : pending) {
      task.cancel(true);
    }
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && pending.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (doneSignal) {
      while (!isTerminated()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(doneSignal, left);
      }
      return true;
    }
  }
}

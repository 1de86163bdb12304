package io.chainscore.scoring.spi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A bounded, lock-free pool of reusable scratch objects owned by one evaluator: {@link #acquire()}
 * hands out an object no other caller holds until it is {@link #release released}, creating one
 * with the factory when the pool is empty.
 *
 * <p>Why not a {@code ThreadLocal}: a thread-local lives as long as the thread, so in an
 * application server a pooled worker thread keeps every scorer's scratch (and through it the
 * scorer's class loader) alive after the application is undeployed. Scratch held here lives
 * exactly as long as the evaluator that owns the pool; once the evaluator is unreachable so is all
 * of its scratch.
 *
 * <p>Use it around one call that needs scratch, never across calls, and always release in a
 * {@code finally} block:
 *
 * <pre>{@code
 * Scratch scratch = pool.acquire();
 * try {
 *   ... use scratch ...
 * } finally {
 *   pool.release(scratch);
 * }
 * }</pre>
 *
 * <p>Cost: in steady state (no more concurrent holders than the pool's capacity) {@code acquire}
 * and {@code release} allocate nothing and cost one or a few compare-and-set operations on an
 * array of slots. Under heavier concurrency the surplus callers get fresh objects from the factory
 * and the surplus releases are dropped for the garbage collector, so the pool never blocks and
 * never grows beyond its capacity. An object that is not released (for example, after an
 * exception outside a {@code finally}) is simply lost; the pool stays correct.
 *
 * <p>Thread safety: all methods may be called from any number of threads at once. An object
 * returned by {@code acquire} is held by exactly one caller until that caller releases it; the
 * compare-and-set that takes it out of (or puts it into) a slot makes the previous holder's writes
 * visible to the next holder. The factory may be called concurrently and must be thread-safe.
 *
 * @param <T> the scratch type; each object must be safe to reuse by whichever caller acquires it
 *     next (the pool does not reset it)
 */
public final class ScratchPool<T> {
  /** Slots per pool when no capacity is given: enough for every core of a large server. */
  public static final int DEFAULT_CAPACITY =
      Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

  private final Supplier<T> factory;
  private final AtomicReferenceArray<T> slots;

  /**
   * A pool with {@link #DEFAULT_CAPACITY} slots, empty until the first release.
   *
   * @param factory creates a scratch object when the pool has none free; must not return null
   */
  public ScratchPool(Supplier<T> factory) {
    this(factory, DEFAULT_CAPACITY);
  }

  /**
   * A pool keeping at most {@code capacity} idle objects, empty until the first release.
   *
   * @param factory creates a scratch object when the pool has none free; must not return null
   * @param capacity the most idle objects kept, at least 1
   */
  public ScratchPool(Supplier<T> factory, int capacity) {
    this.factory = Objects.requireNonNull(factory, "factory");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.slots = new AtomicReferenceArray<>(capacity);
  }

  /** An object held by no one else until it is released: an idle one if any, else a new one. */
  public T acquire() {
    int length = slots.length();
    for (int i = 0; i < length; i++) {
      // Read before the compare-and-set so that empty slots cost no write to shared memory.
      T idle = slots.getAcquire(i);
      if (idle != null && slots.compareAndSet(i, idle, null)) {
        return idle;
      }
    }
    return Objects.requireNonNull(factory.get(), "ScratchPool factory returned null");
  }

  /**
   * Returns {@code scratch} to the pool for the next caller; the caller must not touch it again.
   * When every slot is full the object is dropped.
   *
   * @param scratch an object obtained from {@link #acquire()} on this pool, not yet released
   */
  public void release(T scratch) {
    Objects.requireNonNull(scratch, "scratch");
    int length = slots.length();
    for (int i = 0; i < length; i++) {
      if (slots.getAcquire(i) == null && slots.compareAndSet(i, null, scratch)) {
        return;
      }
    }
  }

  /** The most idle objects this pool keeps. */
  public int capacity() {
    return slots.length();
  }
}

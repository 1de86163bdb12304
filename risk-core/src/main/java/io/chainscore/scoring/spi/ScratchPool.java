package io.chainscore.scoring.spi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A small pool of reusable work objects owned by one evaluator: {@link #acquire} hands out an
 * object no other caller holds, {@link #release} returns it for reuse, so that a hot call
 * allocates nothing in steady state and the pooled objects die with their owner.
 *
 * <p>It replaces per-thread scratch in a {@link ThreadLocal}, whose values live as long as the
 * thread: in an application server a pooled thread would keep a model's scratch, and through it
 * the model's class loader, after the model was dropped. Here the pool is a field of the model.
 *
 * <p>The pool keeps at most a few objects per processor in padded slots; a caller starts probing
 * at a slot chosen by its thread, so that threads rarely meet. When every slot is taken {@code
 * acquire} makes a new object, and when every slot is full {@code release} drops the object for
 * the garbage collector: the pool never blocks and never grows.
 *
 * <p>Thread safety: thread-safe and lock-free. An object is held by one caller between {@code
 * acquire} and {@code release}; callers must not use it after releasing it, nor release it twice.
 *
 * @param <T> the work object, typically a holder of primitive arrays
 */
public final class ScratchPool<T> {
  /** References per slot: one slot per 64-byte cache line (compressed or not, 8 x 8 bytes). */
  private static final int STRIDE = 16;

  private final Supplier<T> factory;
  private final AtomicReferenceArray<T> slots;
  private final int mask;

  /** An empty pool that makes its objects with {@code factory} when none is free. */
  public ScratchPool(Supplier<T> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
    int wanted = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    int count = Integer.highestOneBit(Math.min(wanted, 256) - 1) << 1;
    this.mask = count - 1;
    this.slots = new AtomicReferenceArray<>(count * STRIDE);
  }

  /** A work object that no other caller holds until it is {@linkplain #release released}. */
  public T acquire() {
    int start = home();
    for (int i = 0; i <= mask; i++) {
      int at = ((start + i) & mask) * STRIDE;
      T pooled = slots.get(at);
      if (pooled != null && slots.compareAndSet(at, pooled, null)) {
        return pooled;
      }
    }
    T made = factory.get();
    return Objects.requireNonNull(made, "the scratch factory returned null");
  }

  /** Returns {@code scratch}, acquired from this pool, for reuse by the next caller. */
  public void release(T scratch) {
    Objects.requireNonNull(scratch, "scratch");
    int start = home();
    for (int i = 0; i <= mask; i++) {
      int at = ((start + i) & mask) * STRIDE;
      if (slots.get(at) == null && slots.compareAndSet(at, null, scratch)) {
        return;
      }
    }
    // every slot is full: more callers than slots were active at once; let this one go
  }

  /** The calling thread's first slot, so that a thread usually finds its own object again. */
  private int home() {
    long id = Thread.currentThread().getId();
    int h = (int) (id ^ id >>> 32) * 0x9E3779B9;
    return (h ^ h >>> 16) & mask;
  }
}

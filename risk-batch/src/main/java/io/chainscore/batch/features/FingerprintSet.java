package io.chainscore.batch.features;

import java.lang.management.ManagementFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * A set of id keys ({@link PortfolioFeatures.IdIndex#key}) for the duplicate-invoice check's
 * second pass ({@link RepeatedKeys}: the repeated keys, or every key of a file with more repeats
 * than the heap should hold), held outside the Java heap: the same open-addressing table of 64-bit fingerprints as {@link
 * PortfolioFeatures.IdIndex} (same keys, same slots, same linear probing), without values, in
 * native memory from an Arrow allocator, sized up front from the file's row count.
 *
 * <p>Why off the heap: with every key the set is the run's largest structure, 8 bytes a slot at three quarters
 * full at most (512 MB at 50 million invoices, 4 GB at 250 million), and it lives for the whole
 * invoice pass. On the heap it set the job's heap size (the nightly job at 200,000 suppliers
 * needed {@code -Xmx2g} for it, and 1,000,000 suppliers could not run in 2 GB at all); off the heap
 * the heap holds the engine's state only, and the set costs resident memory once, without the
 * garbage collector copying or scanning it. The process's resident size is what to size a machine
 * by (the run reports it).
 *
 * <p>Thread safety: none; one thread at a time (the invoice stage's), and {@link #close} after the
 * last use.
 */
final class FingerprintSet implements AutoCloseable {
  /** Slots of a set without a size hint; it grows from there. */
  static final long INITIAL_SLOTS = 1 << 12;
  /** Bytes of table below which one thread zeroes it: the least part given a zeroing thread. */
  static final long ZEROED_PER_THREAD = 2L << 20;

  private final BufferAllocator allocator = new RootAllocator();
  private ArrowBuf table;
  /**
   * The table's native address: slots are read and written through it without the buffer's
   * bounds check (a quarter of a probe's cost), which every index already satisfies, masked to
   * the table's size.
   */
  private long address;
  private long mask;
  private long size;

  /** Threads that zero a new table. */
  private final int zeroingThreads;

  private FingerprintSet(long slots, int zeroingThreads) {
    this.zeroingThreads = zeroingThreads;
    table = zeroed(slots);
    address = table.memoryAddress();
    mask = slots - 1;
  }

  /**
   * A set sized for {@code expected} ids (a file's row count, -1 when unknown) so that it never
   * grows on the way, or {@link #INITIAL_SLOTS} when there is no hint or the hint's table would
   * take more than a quarter of the machine's memory (a corrupt footer); it then grows as it
   * fills.
   */
  static FingerprintSet create(long expected) {
    return create(expected, 1);
  }

  /**
   * As {@link #create(long)}, the table zeroed by {@code threads} threads: zeroing faults in every
   * page of it, and the kernel's work per page is the cost (1.5 s for the 512 MB of 50 million
   * invoices on the 2-core machine of the benchmarks, 0.75 s on two threads), which threads share.
   */
  static FingerprintSet create(long expected, int threads) {
    long slots = INITIAL_SLOTS;
    if (expected > 0 && expected < 1L << 40) {
      long need = (expected * 4 + 2) / 3; // three quarters full at most, ceil(4 expected / 3)
      long hinted = need <= 1 ? 1 : Long.highestOneBit(need - 1) << 1;
      if (hinted > slots && hinted * Long.BYTES <= physicalMemory() / 4) {
        slots = hinted;
      }
    }
    return new FingerprintSet(slots, Math.max(1, threads));
  }

  private static long physicalMemory() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean bean) {
      return bean.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory(); // unknown: no more than the heap would have allowed
  }

  private ArrowBuf zeroed(long slots) {
    ArrowBuf buffer = allocator.buffer(slots * Long.BYTES);
    zero(buffer, slots * Long.BYTES, zeroingThreads);
    return buffer;
  }

  /**
   * Zeroes {@code buffer[0, bytes)} on up to {@code threads} threads (this one included), in parts
   * of whole 2 MB pages of at least one such page; a buffer of one part on this thread alone.
   */
  static void zero(ArrowBuf buffer, long bytes, int threads) {
    long part = Math.max(ZEROED_PER_THREAD, (bytes / threads + ZEROED_PER_THREAD - 1) & -ZEROED_PER_THREAD);
    if (part >= bytes) {
      buffer.setZero(0, bytes);
      return;
    }
    HelperThreads.run((int) ((bytes - 1) / part) + 1, "chainscore-zeroing", t -> {
      long from = t * part;
      buffer.setZero(from, Math.min(part, bytes - from));
      return null;
    });
  }

  /** Slots of the table (for tests). */
  long capacity() {
    return mask + 1;
  }

  /** Adds the id of key {@code k} (never 0); false when it was already there. */
  boolean addKey(long k) {
    open();
    if (size >= capacity() - (capacity() >> 2)) {
      grow();
    }
    long at = address + (slotOf(k) << 3);
    if (MemoryUtil.getLong(at) != 0) {
      return false;
    }
    MemoryUtil.putLong(at, k);
    size++;
    return true;
  }

  /** Whether the id of key {@code k} is in the set. */
  boolean containsKey(long k) {
    open();
    return MemoryUtil.getLong(address + (slotOf(k) << 3)) != 0;
  }

  /** The slot holding {@code k}, or the empty slot where it would go (linear probing). */
  private long slotOf(long k) {
    long t = address;
    long m = mask;
    long i = PortfolioFeatures.IdIndex.mix(k) & m;
    long v;
    while ((v = MemoryUtil.getLong(t + (i << 3))) != 0 && v != k) {
      i = (i + 1) & m;
    }
    return i;
  }

  private void grow() {
    ArrowBuf old = table;
    long oldSlots = capacity();
    table = zeroed(oldSlots * 2);
    address = table.memoryAddress();
    mask = oldSlots * 2 - 1;
    for (long j = 0; j < oldSlots; j++) {
      long k = old.getLong(j << 3);
      if (k != 0) {
        MemoryUtil.putLong(address + (slotOf(k) << 3), k);
      }
    }
    old.close();
  }

  /** The table's address; refuses a closed set, whose memory is freed and must not be read. */
  private long open() {
    if (address == 0) {
      throw new IllegalStateException("the duplicate-check set is closed");
    }
    return address;
  }

  /** Frees the native memory; the set is unusable afterwards. */
  @Override
  public void close() {
    address = 0;
    table.close();
    allocator.close();
  }
}

package io.chainscore.batch.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * The duplicate-invoice check's first step: the id keys ({@link PortfolioFeatures.IdIndex#key},
 * never 0) of the invoices accepted in a pass, appended as they stream and checked once at the
 * end: {@link #repeatedKeys} gives every key added more than once. Nearly every run has none, and
 * then the pass stands as it ran; a run with some reads its invoices again, refusing every repeat
 * after the first ({@link RepeatedKeys}).
 *
 * <p>Why not a set probed per invoice, as until 2026-12-04 ({@link FingerprintSet} over every
 * key): at 250 million invoices its 4.3 GB table was probed at random, once per invoice, each probe
 * a cache and TLB miss (about 16 of the 1M-supplier nightly job's 121 CPU-seconds, plus 9 to fault
 * in and zero the table's pages). Here a key is a sequential write into one of {@link #BUCKETS}
 * buckets (by the top bits of its mixed key); at the end each bucket is checked on its own, cut
 * first into parts by the next bits when it is larger than a table that stays in cache holds,
 * buckets shared among threads. 8 bytes a key, in native memory from an Arrow allocator (outside
 * the Java heap, as the set was), in blocks that grow with the bucket, cut from slabs that grow with
 * the log: nothing is allocated up front, and no row-count hint is needed. (A native allocation per
 * block, thousands of 256 KB ones at 250 million keys, cost the 1M-supplier job about 15
 * CPU-seconds in the allocator.)
 *
 * <p>Why only {@link #BUCKETS} buckets while the log is written (1,024 until 2026-12-07): the keys
 * are added by the invoice stage's thread, which shares its core with the decoders, so whatever it
 * keeps between two keys is evicted time and again; with 64 buckets the staged keys take 32 KB (256
 * KB with 1,024), and the check cuts each bucket into parts that fit in cache whatever the log's
 * size, where 1,024 fixed buckets gave 4 MB tables at 250 million keys. Measured quiet
 * (benchmarks/results/duplicate-check-2026-12-07-amd.md): the same CPU at 200,000 suppliers (50
 * million keys), the 1M-supplier job 43.2 / 45.5 s against 47.4 / 48.0 s (3 rounds, suggestive).
 * JFR profiles of a loaded machine had shown the stage thread's key log a third cheaper: they
 * count a thread waiting for a core as running.
 *
 * <p>Thread safety: {@link #add} from one thread at a time; {@link #repeatedKeys} after the last
 * add, from one thread (it starts its own helpers); {@link #close} after the last use.
 */
final class KeyLog implements AutoCloseable {
  static final int BUCKET_BITS = 6;
  static final int BUCKETS = 1 << BUCKET_BITS;
  /** A bucket's first block; each next one twice the last, up to {@link #LARGEST_BLOCK}. */
  static final long FIRST_BLOCK = 4 << 10;
  static final long LARGEST_BLOCK = 1 << 20;
  /**
   * Keys a bucket gathers on the heap before they are written to its block together (512 bytes;
   * 32 KB for all buckets): a key written straight to its bucket's block touched one of many places
   * in native memory, each a likely cache and TLB miss (19-40 ns a key at 250 million keys).
   */
  static final int STAGE_BITS = 6;
  static final int STAGE = 1 << STAGE_BITS;

  /** Per bucket: its keys not yet written to a block, at {@code b << STAGE_BITS}. */
  private final long[] staged = new long[BUCKETS << STAGE_BITS];
  /** Per bucket: how many keys {@link #staged} holds. */
  private final int[] stagedCount = new int[BUCKETS];

  private final BufferAllocator allocator = new RootAllocator();
  /** The first slab's bytes; each next one twice the last, up to {@link #LARGEST_SLAB}. */
  static final long FIRST_SLAB = 1 << 20;
  static final long LARGEST_SLAB = 64 << 20;

  /** The native memory the blocks are cut from, in order; blocks are cut from the last. */
  private final List<ArrowBuf> slabs = new ArrayList<>();
  private long slabNext;
  private long slabEnd;
  /**
   * Per bucket: its blocks' addresses, all full but the last; block j holds {@link #blockBytes}(j)
   * bytes.
   */
  private final long[][] blocks = new long[BUCKETS][];
  private final int[] blockCount = new int[BUCKETS];
  /** Per bucket: where its next key goes, and where its last block ends (both 0 before its first). */
  private final long[] next = new long[BUCKETS];
  private final long[] end = new long[BUCKETS];
  private long size;
  private boolean closed;

  KeyLog() {
    for (int b = 0; b < BUCKETS; b++) {
      blocks[b] = new long[4];
    }
  }

  /** The bytes of a bucket's block {@code j} (from 0): whole stages, doubling up to {@link #LARGEST_BLOCK}. */
  static long blockBytes(int j) {
    return Math.min(LARGEST_BLOCK, FIRST_BLOCK << Math.min(j, 30));
  }

  /** The bucket of key {@code k}: the top bits of its mix, whose low bits place it in {@link #repeatedKeys}' tables. */
  static int bucketOf(long k) {
    return (int) (PortfolioFeatures.IdIndex.mix(k) >>> (Long.SIZE - BUCKET_BITS));
  }

  /** Appends key {@code k}. */
  void add(long k) {
    int b = bucketOf(k);
    int n = stagedCount[b];
    staged[(b << STAGE_BITS) + n] = k;
    size++;
    if (n + 1 < STAGE) {
      stagedCount[b] = n + 1;
      return;
    }
    stagedCount[b] = 0;
    long at = next[b];
    if (at == end[b]) {
      at = newBlock(b);   // blocks hold whole stages: a stage never straddles two
    }
    for (int j = 0, from = b << STAGE_BITS; j < STAGE; j++) {
      MemoryUtil.putLong(at + ((long) j << 3), staged[from + j]);
    }
    next[b] = at + STAGE * Long.BYTES;
  }

  /** Keys added so far. */
  long size() {
    return size;
  }

  private long newBlock(int b) {
    if (closed) {
      throw new IllegalStateException("the key log is closed");
    }
    int j = blockCount[b];
    long bytes = blockBytes(j);
    if (slabEnd - slabNext < bytes) {
      // the rest of the slab (less than a block) is left unused
      long slabBytes = slabs.isEmpty() ? FIRST_SLAB : Math.min(LARGEST_SLAB, 2 * slabs.get(slabs.size() - 1).capacity());
      ArrowBuf slab = allocator.buffer(slabBytes);
      slabs.add(slab);
      slabNext = slab.memoryAddress();
      slabEnd = slabNext + slabBytes;
    }
    if (j == blocks[b].length) {
      blocks[b] = Arrays.copyOf(blocks[b], 2 * j);
    }
    blocks[b][j] = slabNext;
    blockCount[b] = j + 1;
    slabNext += bytes;
    next[b] = blocks[b][j];
    end[b] = next[b] + bytes;
    return next[b];
  }

  /** Keys of bucket {@code b} in its blocks (its staged ones aside): its full blocks' and its last's so far. */
  private long inBlocks(int b) {
    int j = blockCount[b];
    if (j == 0) {
      return 0;
    }
    long keys = (next[b] - blocks[b][j - 1]) / Long.BYTES;
    for (int full = 0; full < j - 1; full++) {
      keys += blockBytes(full) / Long.BYTES;
    }
    return keys;
  }

  /**
   * Every key added more than once, each once, in ascending order (the same whatever the thread
   * count), checked bucket by bucket on up to {@code threads} threads (this one included); null
   * when there are more than {@code limit} repeats (a file holding its invoices twice, say), which
   * the caller then finds with a set of every key instead of holding them all on the heap.
   */
  long[] repeatedKeys(int threads, int limit) {
    if (closed) {
      throw new IllegalStateException("the key log is closed");
    }
    AtomicInteger nextBucket = new AtomicInteger();
    AtomicLong repeatsSoFar = new AtomicLong();
    int parts = (int) Math.min(Math.max(1, threads), 1 + size / (1 << 16));   // small logs: this thread alone
    List<long[]> found = HelperThreads.run(parts, "chainscore-duplicate-check",
        part -> repeatsOfBuckets(nextBucket, repeatsSoFar, limit));
    if (repeatsSoFar.get() > limit) {
      return null;
    }
    // few keys, nearly always none: each once, in order
    return found.stream().flatMapToLong(Arrays::stream).sorted().distinct().toArray();
  }

  /**
   * Keys a part of a bucket holds at most, on average, when {@link #repeatsOfBuckets} checks it:
   * its table (at most half full) then takes 256 KB, which stays in a core's second-level cache.
   */
  static final int PART_KEYS = 1 << 14;

  /** The repeats of the buckets this thread takes from {@code nextBucket}: a key once per sighting after its first. */
  private long[] repeatsOfBuckets(AtomicInteger nextBucket, AtomicLong repeatsSoFar, int limit) {
    BucketCheck check = new BucketCheck();
    ArrowBuf scratch = null;
    try {
      int counted = 0;
      for (int b = nextBucket.getAndIncrement(); b < BUCKETS; b = nextBucket.getAndIncrement()) {
        if (repeatsSoFar.get() > limit) {
          break;
        }
        long keys = inBlocks(b) + stagedCount[b];
        if (keys < 2) {
          continue;
        }
        if (scratch == null || scratch.capacity() < keys * Long.BYTES) {
          if (scratch != null) {
            scratch.close();
          }
          scratch = allocator.buffer(keys * Long.BYTES);
        }
        // the bucket cut into parts by the bits below its own (a power of two of them, each about
        // PART_KEYS keys or fewer), laid out part after part in the scratch buffer
        int partBits = keys <= PART_KEYS ? 0 : Long.SIZE - Long.numberOfLeadingZeros((keys - 1) / PART_KEYS);
        int[] ends = new int[1 << partBits];
        int shift = Long.SIZE - BUCKET_BITS - partBits;
        if (partBits == 0) {
          ends[0] = (int) keys;
        } else {
          partition(b, shift, ends, 0);   // counts
          for (int part = 1; part < ends.length; part++) {
            ends[part] += ends[part - 1];
          }
        }
        int[] next = new int[ends.length];
        for (int part = 1; part < ends.length; part++) {
          next[part] = ends[part - 1];
        }
        partition(b, shift, next, scratch.memoryAddress());   // next[part] ends as ends[part]
        for (int part = 0, from = 0; part < ends.length; from = ends[part++]) {
          if (ends[part] - from < 2) {
            continue;
          }
          check.start(ends[part] - from);
          for (int j = from; j < ends[part]; j++) {
            check.add(MemoryUtil.getLong(scratch.memoryAddress() + ((long) j << 3)));
          }
        }
        if (check.found > counted && repeatsSoFar.addAndGet(check.found - counted) > limit) {
          break;
        }
        counted = check.found;
      }
    } finally {
      if (scratch != null) {
        scratch.close();
      }
    }
    return Arrays.copyOf(check.repeats, check.found);
  }

  /**
   * Bucket {@code b}'s keys (its blocks', then its staged ones) by part, the part being the bits of
   * the key's mix above {@code shift} within the bucket's: with {@code into} 0, counts each part's
   * keys into {@code at}; else writes each key to {@code into} at the index {@code at} holds for its
   * part, and moves that index on.
   */
  private void partition(int b, int shift, int[] at, long into) {
    int partMask = at.length - 1;
    long left = inBlocks(b);
    for (int block = 0; block < blockCount[b]; block++) {
      long address = blocks[b][block];
      long keys = Math.min(left, blockBytes(block) / Long.BYTES);
      left -= keys;
      for (long j = 0; j < keys; j++) {
        place(MemoryUtil.getLong(address + (j << 3)), shift, partMask, at, into);
      }
    }
    for (int j = 0; j < stagedCount[b]; j++) {
      place(staged[(b << STAGE_BITS) + j], shift, partMask, at, into);
    }
  }

  private static void place(long k, int shift, int partMask, int[] at, long into) {
    int part = partMask == 0 ? 0 : (int) (PortfolioFeatures.IdIndex.mix(k) >>> shift) & partMask;
    if (into == 0) {
      at[part]++;
    } else {
      MemoryUtil.putLong(into + ((long) at[part]++ << 3), k);
    }
  }

  /**
   * One thread's check of a bucket at a time: a table of the bucket's keys (at most half full, a
   * power of two, indexed by the mix's low bits; the bucket took its top ones), reused from bucket
   * to bucket, and the repeats found over all its buckets.
   */
  private static final class BucketCheck {
    private long[] table = new long[0];
    private int mask;
    long[] repeats = new long[16];
    int found;

    /** Empties the table for a bucket of {@code keys} keys. */
    void start(long keys) {
      int slots = Integer.highestOneBit((int) Math.min(1 << 29, 2 * keys - 1)) << 1;
      if (table.length < slots) {
        table = new long[slots];
      } else {
        Arrays.fill(table, 0, slots, 0L);
      }
      mask = slots - 1;
    }

    /** Adds key {@code k}, recording it as a repeat when the bucket had it (a third sighting again: the caller keeps each once). */
    void add(long k) {
      int i = (int) PortfolioFeatures.IdIndex.mix(k) & mask;
      long v;
      while ((v = table[i]) != 0 && v != k) {
        i = (i + 1) & mask;
      }
      if (v == 0) {
        table[i] = k;
        return;
      }
      if (found == repeats.length) {
        repeats = Arrays.copyOf(repeats, 2 * found);
      }
      repeats[found++] = k;
    }
  }

  /** Frees the native memory; the log is unusable afterwards. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    slabs.forEach(ArrowBuf::close);
    slabs.clear();
    allocator.close();
  }
}

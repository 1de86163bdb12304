package io.chainscore.scoring.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScratchPoolTest {

  @Test
  void acquire_emptyPool_callsFactory() {
    AtomicInteger created = new AtomicInteger();
    ScratchPool<int[]> pool = new ScratchPool<>(() -> new int[] {created.incrementAndGet()});

    int[] first = pool.acquire();
    int[] second = pool.acquire();

    assertThat(first).containsExactly(1);
    assertThat(second).containsExactly(2);
    assertThat(created).hasValue(2);
  }

  @Test
  void acquire_afterRelease_reusesTheSameObjectWithoutCreating() {
    AtomicInteger created = new AtomicInteger();
    ScratchPool<int[]> pool = new ScratchPool<>(() -> new int[] {created.incrementAndGet()});
    int[] scratch = pool.acquire();
    pool.release(scratch);

    for (int call = 0; call < 1000; call++) {
      int[] again = pool.acquire();
      assertThat(again).isSameAs(scratch);
      pool.release(again);
    }
    assertThat(created).hasValue(1);
  }

  @Test
  void acquire_twoHoldersAtOnce_getDistinctObjects() {
    ScratchPool<int[]> pool = new ScratchPool<>(() -> new int[1]);
    int[] a = pool.acquire();
    pool.release(a);
    int[] b = pool.acquire();
    int[] c = pool.acquire();

    assertThat(b).isSameAs(a);
    assertThat(c).isNotSameAs(b);
  }

  @Test
  void release_beyondCapacity_dropsTheSurplusAndKeepsWorking() {
    ScratchPool<Object> pool = new ScratchPool<>(Object::new, 2);
    Object a = pool.acquire();
    Object b = pool.acquire();
    Object c = pool.acquire();
    pool.release(a);
    pool.release(b);
    pool.release(c); // no free slot: dropped

    Set<Object> reacquired = Collections.newSetFromMap(new IdentityHashMap<>());
    reacquired.add(pool.acquire());
    reacquired.add(pool.acquire());
    Object fresh = pool.acquire();

    assertThat(reacquired).containsExactlyInAnyOrder(a, b);
    assertThat(fresh).isNotIn(a, b, c);
    assertThat(pool.capacity()).isEqualTo(2);
  }

  @Test
  void constructor_invalidArguments_rejected() {
    assertThatThrownBy(() -> new ScratchPool<>(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ScratchPool<>(Object::new, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
    assertThatThrownBy(() -> new ScratchPool<>(() -> null).acquire())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("factory returned null");
    assertThatThrownBy(() -> new ScratchPool<>(Object::new).release(null))
        .isInstanceOf(NullPointerException.class);
  }

  /**
   * Four threads hammer a pool smaller than their number; each stamps its scratch with its own id,
   * yields, and checks the stamp is still its own. A pool that ever handed one object to two
   * holders at once fails this.
   */
  @Test
  void acquire_fourThreads_neverShareAnObject() throws Exception {
    int threads = 4;
    ScratchPool<long[]> pool = new ScratchPool<>(() -> new long[2], 2);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long id = t + 1;
        results.add(
            executor.submit(
                () -> {
                  start.await();
                  int clashes = 0;
                  for (int round = 0; round < 20_000; round++) {
                    long[] scratch = pool.acquire();
                    try {
                      scratch[0] = id;
                      scratch[1] = round;
                      Thread.yield();
                      if (scratch[0] != id || scratch[1] != round) {
                        clashes++;
                      }
                    } finally {
                      pool.release(scratch);
                    }
                  }
                  return clashes;
                }));
      }
      start.countDown();
      int clashes = 0;
      for (Future<Integer> result : results) {
        clashes += result.get(60, TimeUnit.SECONDS);
      }
      assertThat(clashes).isZero();
    } finally {
      executor.shutdownNow();
    }
  }
}

package io.chainscore.scoring.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.scoring.Concurrently;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScratchPoolTest {

  @Test
  void acquire_afterRelease_reusesTheObjectWithoutMakingAnother() {
    AtomicInteger made = new AtomicInteger();
    ScratchPool<int[]> pool = new ScratchPool<>(() -> {
      made.incrementAndGet();
      return new int[4];
    });
    int[] first = pool.acquire();
    pool.release(first);
    for (int i = 0; i < 1000; i++) {
      int[] again = pool.acquire();
      assertThat(again).isSameAs(first);
      pool.release(again);
    }
    assertThat(made).hasValue(1);
  }

  @Test
  void acquire_whileHeld_givesEachHolderItsOwnObject() {
    ScratchPool<int[]> pool = new ScratchPool<>(() -> new int[1]);
    Set<int[]> held = Collections.newSetFromMap(new IdentityHashMap<>());
    List<int[]> inOrder = new ArrayList<>();
    for (int i = 0; i < 600; i++) { // more than the pool has slots
      int[] scratch = pool.acquire();
      held.add(scratch);
      inOrder.add(scratch);
    }
    assertThat(held).hasSize(600);
    for (int[] scratch : inOrder) {
      pool.release(scratch); // past the slots, the extra ones are dropped, not kept
    }
    Set<int[]> again = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < 600; i++) {
      again.add(pool.acquire());
    }
    assertThat(again).as("no object is handed out twice").hasSize(600);
  }

  @Test
  void acquire_onFourThreadsHoldingAtOnce_neverSharesAnObject() throws Exception {
    ScratchPool<long[]> pool = new ScratchPool<>(() -> new long[1]);
    CyclicBarrier together = new CyclicBarrier(4);
    int wrong = Concurrently.mismatches(4, thread -> {
      int mismatches = 0;
      for (int round = 0; round < 2000; round++) {
        long[] scratch = pool.acquire();
        long mark = (long) thread << 32 | round;
        scratch[0] = mark;
        if (round % 100 == 0) {
          // all four hold an object here: a shared one would carry another thread's mark
          together.await(10, TimeUnit.SECONDS);
        } else {
          Thread.onSpinWait();
        }
        mismatches += scratch[0] == mark ? 0 : 1;
        pool.release(scratch);
      }
      return mismatches;
    });
    assertThat(wrong).isZero();
  }

  @Test
  void acquire_factoryReturningNull_isRejected() {
    ScratchPool<int[]> pool = new ScratchPool<>(() -> null);
    assertThatThrownBy(pool::acquire).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("factory");
    assertThatThrownBy(() -> new ScratchPool<int[]>(null)).isInstanceOf(NullPointerException.class);
  }
}

package io.chainscore.batch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class HelperThreadsTest {
  @Test
  void results_comeInPartOrder_partZeroOnTheCaller_theOthersOnHelpers() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    Thread caller = Thread.currentThread();
    assertThat(HelperThreads.run(4, "test-helper", p -> {
      threads.add(Thread.currentThread() == caller ? "caller" : Thread.currentThread().getName());
      return p * 10;
    })).containsExactly(0, 10, 20, 30);
    assertThat(threads).containsExactlyInAnyOrder("caller", "test-helper");
    assertThat(HelperThreads.run(1, "unused", p -> "only")).containsExactly("only");
  }

  @Test
  void aHelpersFailure_isRethrownOnTheCaller_afterEveryPartEnded() {
    long[] ended = new long[3];
    assertThatThrownBy(() -> HelperThreads.run(3, "test-helper", p -> {
      if (p == 2) {
        throw new IllegalStateException("part 2 failed");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      ended[p] = 1;
      return p;
    })).isInstanceOf(IllegalStateException.class).hasMessage("part 2 failed");
    assertThat(ended).containsExactly(1, 1, 0);
  }

  @Test
  void anInterruptWhileWaiting_isPassedOnAfterTheHelpersEnd() {
    Thread caller = Thread.currentThread();
    assertThat(HelperThreads.run(2, "test-helper", p -> {
      if (p == 0) {
        caller.interrupt();   // the caller is interrupted before it waits for part 1
        return 0;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return 1;
    })).containsExactly(0, 1);
    assertThat(Thread.interrupted()).isTrue();   // clears it again
  }
}

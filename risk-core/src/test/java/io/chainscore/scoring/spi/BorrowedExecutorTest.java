package io.chainscore.scoring.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BorrowedExecutorTest {
  private final ExecutorService callers = Executors.newFixedThreadPool(2, r -> new Thread(r, "callers-pool"));

  @AfterEach
  void stop() {
    callers.shutdownNow();
  }

  @Test
  void submit_runsOnTheCallersExecutor() throws Exception {
    BorrowedExecutor view = new BorrowedExecutor(callers);

    Future<String> thread = view.submit(() -> Thread.currentThread().getName());

    assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo("callers-pool");
  }

  @Test
  void shutdownNow_cancelsOwnTasksButLeavesTheCallersExecutorRunning() throws Exception {
    BorrowedExecutor view = new BorrowedExecutor(callers);
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch ended = new CountDownLatch(1);
    Future<?> blocked = view.submit(() -> {
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
      ended.countDown();
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(view.shutdownNow()).isEmpty();

    assertThat(blocked.isCancelled()).isTrue();
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(interrupted).isTrue();
    assertThat(view.isShutdown()).isTrue();
    assertThat(view.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(callers.isShutdown()).isFalse();
    assertThat(callers.submit(() -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
    assertThatThrownBy(() -> view.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void awaitTermination_waitsForTheViewsTasksOnly() throws Exception {
    BorrowedExecutor view = new BorrowedExecutor(callers);
    CountDownLatch release = new CountDownLatch(1);
    Future<Integer> task = view.submit(() -> {
      release.await();
      return 7;
    });
    view.shutdown();

    assertThat(view.isTerminated()).isFalse();
    assertThat(view.awaitTermination(50, TimeUnit.MILLISECONDS)).isFalse();
    release.countDown();
    assertThat(view.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(task.get()).isEqualTo(7);
    assertThat(view.isTerminated()).isTrue();
  }
}

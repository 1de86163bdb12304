package io.chainscore.batch.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch job on the caller's executor: same bytes, tasks on that executor, which is never shut down. */
class BatchJobExecutorTest {
  @TempDir Path dir;
  private final ExecutorService callers = Executors.newFixedThreadPool(3);
  private final AtomicInteger tasks = new AtomicInteger();
  private final Executor counting = task -> {
    tasks.incrementAndGet();
    callers.execute(task);
  };

  @AfterEach
  void stop() {
    callers.shutdownNow();
  }

  private BatchJob.Builder job(Path in, Path out, DoublingProcessor processor) {
    return BatchJob.builder().input(in, DoublingProcessor.INPUT).processor(processor).output(out).chunkRows(500)
        .checkpointEvery(2);
  }

  @Test
  void run_callersExecutor_byteIdenticalAndLeftRunning() throws Exception {
    Path in = BatchJobTest.input(dir, 12_000);
    job(in, dir.resolve("own.csv"), new DoublingProcessor(0, -1)).threads(1).build().run();

    BatchResult borrowed = job(in, dir.resolve("borrowed.csv"), new DoublingProcessor(0, -1)).threads(3)
        .executor(counting).build().run();

    assertThat(Files.readAllBytes(dir.resolve("borrowed.csv"))).isEqualTo(Files.readAllBytes(dir.resolve("own.csv")));
    assertThat(Files.readAllBytes(dir.resolve("borrowed.quarantine.csv")))
        .isEqualTo(Files.readAllBytes(dir.resolve("own.quarantine.csv")));
    assertThat(borrowed.rowsRead()).isEqualTo(12_000);
    assertThat(tasks.get()).as("one task per chunk on the caller's executor").isEqualTo(24);
    assertThat(callers.isShutdown()).isFalse();
    assertThat(callers.submit(() -> 5).get(10, TimeUnit.SECONDS)).isEqualTo(5);
  }

  @Test
  void run_failingChunkOnCallersExecutor_failsTheRunAndLeavesTheExecutorRunning() throws Exception {
    Path in = BatchJobTest.input(dir, 12_000);

    assertThatThrownBy(() -> job(in, dir.resolve("out.csv"), new DoublingProcessor(0, 4_321)).threads(2)
        .executor(counting).build().run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("simulated crash at row 4321");

    assertThat(callers.isShutdown()).isFalse();
    assertThat(callers.submit(() -> 6).get(10, TimeUnit.SECONDS)).isEqualTo(6);
  }
}

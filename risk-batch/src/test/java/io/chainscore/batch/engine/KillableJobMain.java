package io.chainscore.batch.engine;

import java.nio.file.Path;

/** A child-process entry point for the kill -9 test: runs (or resumes) a slow doubling job. */
public final class KillableJobMain {
  private KillableJobMain() {}

  public static void main(String[] args) throws Exception {
    BatchJob.builder()
        .input(Path.of(args[0]), DoublingProcessor.INPUT)
        .processor(new DoublingProcessor(Long.parseLong(args[3]), -1))
        .output(Path.of(args[1]))
        .chunkRows(2_000)
        .checkpointEvery(1)
        .threads(2)
        .resume(Boolean.parseBoolean(args[2]))
        .build()
        .run();
  }
}

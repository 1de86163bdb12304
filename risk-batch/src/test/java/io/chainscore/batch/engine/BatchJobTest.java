package io.chainscore.batch.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchJobTest {
  @TempDir Path dir;

  /** Writes rows "S<i>,x" with a negative x every 97th row and an unparseable one every 1001st. */
  static Path input(Path dir, int rows) throws IOException {
    Path file = dir.resolve("input.csv");
    SplittableRandom random = new SplittableRandom(5);
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("id,x\n");
      for (int i = 1; i <= rows; i++) {
        String x = i % 1001 == 0 ? "n/a" : i % 97 == 0 ? "-1.5" : Double.toString(random.nextDouble() * 1000);
        w.write("S" + i + "," + x + "\n");
      }
    }
    return file;
  }

  private BatchResult run(Path input, Path output, int threads, int chunkRows) throws IOException {
    return BatchJob.builder()
        .input(input, DoublingProcessor.INPUT)
        .processor(new DoublingProcessor(0, -1))
        .output(output)
        .threads(threads)
        .chunkRows(chunkRows)
        .checkpointEvery(2)
        .build()
        .run();
  }

  /** The expected output, computed with obvious code straight from the input text. */
  private static List<String> expectedCsv(Path input) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("id,y,positive");
    for (String line : Files.readAllLines(input).subList(1, Files.readAllLines(input).size())) {
      String[] f = line.split(",");
      double x;
      try {
        x = Double.parseDouble(f[1]);
      } catch (NumberFormatException e) {
        continue;
      }
      if (x < 0) {
        continue;
      }
      double y = 2 * x;
      String text = y == Math.rint(y) ? Long.toString((long) y) : Double.toString(y);
      lines.add(f[0] + "," + text + "," + (x > 0));
    }
    return lines;
  }

  @Test
  void run_outputInInputOrder_identicalForAnyThreadCountAndFormat() throws IOException {
    Path in = input(dir, 25_000);
    BatchResult one = run(in, dir.resolve("t1.csv"), 1, 1000);
    assertThat(Files.readAllLines(dir.resolve("t1.csv"))).isEqualTo(expectedCsv(in));
    assertThat(one.rowsRead()).isEqualTo(25_000);
    long bad = 25_000 / 97 + 25_000 / 1001 - 25_000 / (97 * 1001);
    assertThat(one.rowsQuarantined()).isEqualTo(bad);
    assertThat(one.rowsWritten()).isEqualTo(25_000 - bad);
    for (int threads : new int[] {2, 8}) {
      run(in, dir.resolve("t" + threads + ".csv"), threads, 1000);
      assertThat(Files.readAllBytes(dir.resolve("t" + threads + ".csv")))
          .isEqualTo(Files.readAllBytes(dir.resolve("t1.csv")));
      assertThat(Files.readAllBytes(dir.resolve("t" + threads + ".quarantine.csv")))
          .isEqualTo(Files.readAllBytes(dir.resolve("t1.quarantine.csv")));
    }
    for (String ext : new String[] {"arrow", "arrows", "parquet"}) {
      run(in, dir.resolve(ext + "1." + ext), 1, 1000);
      run(in, dir.resolve(ext + "8." + ext), 8, 1000);
      assertThat(Files.readAllBytes(dir.resolve(ext + "8." + ext)))
          .isEqualTo(Files.readAllBytes(dir.resolve(ext + "1." + ext)));
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no partial or checkpoint files are left")
          .noneMatch(n -> n.endsWith(".partial") || n.endsWith(".checkpoint.json"));
    }
  }

  /** The output observer sees exactly the rows written, in the table's order, whatever the thread count. */
  @Test
  void outputObserver_seesTheWrittenRowsInOrder_andAResumeOnlyItsOwn() throws IOException {
    Path in = input(dir, 20_000);
    for (int threads : new int[] {1, 3}) {
      List<String> seen = new ArrayList<>();
      Path output = dir.resolve("observed" + threads + ".csv");
      BatchJob.builder().input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, -1))
          .output(output).threads(threads).chunkRows(777).outputObserver(b -> observe(b, seen)).build().run();
      List<String> lines = Files.readAllLines(output);
      assertThat(seen).as(threads + " threads").isEqualTo(lines.subList(1, lines.size()));
    }
    // a resumed run shows the rows after its checkpoint: with those of the killed run, the table
    Path output = dir.resolve("resumed.csv");
    List<String> first = new ArrayList<>();
    assertThatThrownBy(() -> BatchJob.builder().input(in, DoublingProcessor.INPUT)
        .processor(new DoublingProcessor(0, 13_500)).output(output).threads(2).chunkRows(1000).checkpointEvery(2)
        .outputObserver(b -> observe(b, first)).build().run()).hasMessage("simulated crash at row 13500");
    List<String> second = new ArrayList<>();
    BatchResult resumed = BatchJob.builder().input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, -1))
        .output(output).threads(2).chunkRows(1000).checkpointEvery(2).resume(true)
        .outputObserver(b -> observe(b, second)).build().run();
    List<String> lines = Files.readAllLines(output);
    assertThat(resumed.resumedFromRow()).isPositive();
    assertThat(second).isEqualTo(lines.subList(lines.size() - second.size(), lines.size()));
    assertThat(second.size()).isLessThan(lines.size() - 1);
    assertThat(first.subList(0, lines.size() - 1 - second.size())).isEqualTo(lines.subList(1, lines.size() - second.size()));
  }

  /** Adds a DoublingProcessor output batch's rows as the CSV writer writes them. */
  private static void observe(io.chainscore.batch.io.ColumnBatch b, List<String> into) {
    for (int i = 0; i < b.size(); i++) {
      double y = b.doubles(1)[i];
      String text = y == Math.rint(y) ? Long.toString((long) y) : Double.toString(y);
      into.add(b.strings(0)[i] + "," + text + "," + b.booleans(2)[i]);
    }
  }

  @Test
  void run_quarantine_mergesReaderAndProcessorRejectionsInRowOrder() throws IOException {
    Path in = input(dir, 2100);
    run(in, dir.resolve("out.csv"), 2, 100);
    List<String> q = Files.readAllLines(dir.resolve("out.quarantine.csv"));
    // no key in this job: record_id stays empty
    assertThat(q.get(0)).isEqualTo("row,record_id,column,reason");
    assertThat(q.subList(1, 5)).containsExactly(
        "97,,x,\"must not be negative, got -1.5\"",
        "194,,x,\"must not be negative, got -1.5\"",
        "291,,x,\"must not be negative, got -1.5\"",
        "388,,x,\"must not be negative, got -1.5\"");
    assertThat(q).contains("1001,,x,'n/a' is not a number; expected a decimal such as -12.5 or 3e-4",
        "2002,,x,'n/a' is not a number; expected a decimal such as -12.5 or 3e-4");
    List<Long> rows = q.subList(1, q.size()).stream().map(l -> Long.parseLong(l.split(",")[0])).toList();
    assertThat(rows).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void run_tooManyBadRows_stopsWithoutOutput() throws IOException {
    Path in = input(dir, 5000);
    assertThatThrownBy(() -> BatchJob.builder()
            .input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, -1))
            .output(dir.resolve("out.csv")).chunkRows(500).maxBadRows(10).build().run())
        .isInstanceOf(TooManyBadRowsException.class)
        // Chunks of 500 good rows: rows 1-1000 hold 10 negatives, the chunk from row 1001 six more.
        .hasMessageStartingWith("stopped after 16 bad rows (--max-bad-rows 10)");
    assertThat(dir.resolve("out.csv")).doesNotExist();
    assertThat(dir.resolve("out.csv.partial")).doesNotExist();
    assertThat(Files.readAllLines(dir.resolve("out.quarantine.csv"))).hasSize(17);
  }

  @Test
  void run_existingResults_refusedUnlessOverwrite() throws IOException {
    Path in = input(dir, 300);
    run(in, dir.resolve("out.csv"), 1, 100);
    byte[] before = Files.readAllBytes(dir.resolve("out.csv"));
    assertThatThrownBy(() -> run(in, dir.resolve("out.csv"), 1, 100))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("already exists; pass --overwrite");
    assertThat(Files.readAllBytes(dir.resolve("out.csv"))).isEqualTo(before);
  }

  @Test
  void run_crashThenResume_byteIdenticalToUninterruptedRun() throws IOException {
    Path in = input(dir, 20_000);
    for (String ext : new String[] {"csv", "arrow", "parquet"}) {
      Path reference = dir.resolve("reference." + ext);
      run(in, reference, 2, 1000);
      Path output = dir.resolve("resumed." + ext);
      // First attempt dies on the chunk holding row 13,500, after several checkpoints.
      assertThatThrownBy(() -> BatchJob.builder()
              .input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, 13_500))
              .output(output).threads(2).chunkRows(1000).checkpointEvery(2).build().run())
          .hasMessage("simulated crash at row 13500");
      assertThat(BatchJob.checkpointPath(output)).exists();
      assertThat(output).doesNotExist();
      // Without --resume the checkpoint is in the way.
      assertThatThrownBy(() -> run(in, output, 2, 1000))
          .isInstanceOf(ResumeException.class)
          .hasMessageContaining("pass --resume to continue it or --overwrite to start again");
      BatchResult resumed = BatchJob.builder()
          .input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, -1))
          .output(output).threads(2).chunkRows(1000).checkpointEvery(2).resume(true).build().run();
      assertThat(resumed.resumedFromRow()).isPositive().isLessThan(13_500);
      assertThat(Files.readAllBytes(output)).isEqualTo(Files.readAllBytes(reference));
      assertThat(Files.readAllBytes(dir.resolve("resumed.quarantine.csv")))
          .isEqualTo(Files.readAllBytes(dir.resolve("reference.quarantine.csv")));
      assertThat(resumed.rowsWritten()).isEqualTo(run(in, dir.resolve("again." + ext), 1, 1000).rowsWritten());
      Files.delete(dir.resolve("resumed.quarantine.csv"));
      Files.delete(dir.resolve("reference.quarantine.csv"));
      Files.delete(dir.resolve("again.quarantine.csv"));
    }
  }

  /**
   * A unique key: a row whose id an earlier row has is quarantined, the first standing, in input
   * order for any thread count, and across a resume whose checkpoint falls between a key's first
   * row and its repeat. Checked against obvious code over the input text.
   */
  @Test
  void uniqueKey_quarantinesEveryRepeatAfterTheFirst_forAnyThreadCountAndAcrossAResume() throws IOException {
    Path in = dir.resolve("repeats.csv");
    SplittableRandom random = new SplittableRandom(11);
    List<String> lines = new ArrayList<>();
    lines.add("id,x");
    for (int i = 1; i <= 20_000; i++) {
      // every 250th row from 14,000 repeats a row at least 6,000 rows (and a checkpoint) earlier
      String id = i >= 14_000 && i % 250 == 0 ? "S" + (i - 6_000 - random.nextInt(5_000)) : "S" + i;
      String x = i % 1001 == 0 ? "n/a" : i % 97 == 0 ? "-1.5" : Double.toString(random.nextDouble() * 1000);
      lines.add(id + "," + x);
    }
    Files.write(in, lines);
    // the reference: the reader's refusals first (an unreadable row claims no id), then repeats,
    // then the processor's refusals (a refused row's id is taken); every one with the row's id
    List<String> expectedOut = new ArrayList<>(List.of("id,y,positive"));
    List<String> expectedBad = new ArrayList<>(List.of("row,record_id,column,reason"));
    List<String> expectedAllBad = new ArrayList<>(List.of("row,record_id,column,reason"));
    java.util.Map<String, Integer> firstRow = new java.util.HashMap<>();
    for (int row = 1; row < lines.size(); row++) {
      String[] f = lines.get(row).split(",");
      double x;
      try {
        x = Double.parseDouble(f[1]);
      } catch (NumberFormatException e) {
        expectedAllBad.add(row + "," + f[0] + ",x,'" + f[1] + "' is not a number; expected a decimal such as -12.5 or 3e-4");
        continue;
      }
      Integer first = firstRow.putIfAbsent(f[0], row);
      if (first != null) {
        expectedBad.add(row + "," + f[0] + ",id," + f[0] + " is also in row " + first + "; expected each id once");
        expectedAllBad.add(expectedBad.get(expectedBad.size() - 1));
      } else if (x < 0) {
        expectedAllBad.add(row + "," + f[0] + ",x,\"must not be negative, got " + f[1] + "\"");
      } else {
        double y = 2 * x;
        expectedOut.add(f[0] + "," + (y == Math.rint(y) ? Long.toString((long) y) : Double.toString(y)) + "," + (x > 0));
      }
    }
    assertThat(expectedBad).as("the repeats the test is about").hasSizeGreaterThan(1 + 20);
    for (int threads : new int[] {1, 3}) {
      Path output = dir.resolve("unique" + threads + ".csv");
      BatchResult result = BatchJob.builder().input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, -1))
          .output(output).threads(threads).chunkRows(700).uniqueKey("id").build().run();
      assertThat(Files.readAllLines(output)).isEqualTo(expectedOut);
      List<String> bad = Files.readAllLines(dir.resolve("unique" + threads + ".quarantine.csv"));
      assertThat(bad).filteredOn(l -> l.contains("is also in row")).isEqualTo(expectedBad.subList(1, expectedBad.size()));
      assertThat(bad).isEqualTo(expectedAllBad);
      assertThat(result.rowsWritten()).isEqualTo(expectedOut.size() - 1);
    }
    Path output = dir.resolve("resumed.csv");
    assertThatThrownBy(() -> BatchJob.builder().input(in, DoublingProcessor.INPUT)
        .processor(new DoublingProcessor(0, 16_001)).output(output).threads(2).chunkRows(700).checkpointEvery(2)
        .uniqueKey("id").build().run()).hasMessage("simulated crash at row 16001");
    BatchResult resumed = BatchJob.builder().input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, -1))
        .output(output).threads(2).chunkRows(700).checkpointEvery(2).uniqueKey("id").resume(true).build().run();
    assertThat(resumed.resumedFromRow()).isBetween(14_000L, 16_000L);
    assertThat(Files.readAllBytes(output)).isEqualTo(Files.readAllBytes(dir.resolve("unique1.csv")));
    assertThat(Files.readAllBytes(dir.resolve("resumed.quarantine.csv")))
        .isEqualTo(Files.readAllBytes(dir.resolve("unique1.quarantine.csv")));
    assertThatThrownBy(() -> BatchJob.builder().input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, -1))
        .output(dir.resolve("x.csv")).uniqueKey("x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a text column");
  }

  /**
   * A run interrupted by a build whose checkpoint version is older (its quarantine had no
   * record_id column) is not resumed into today's layout: refused naming the version and
   * --overwrite, and a run with overwrite starts again.
   */
  @Test
  void resume_ofAnOlderCheckpointVersion_refusedNamingOverwrite() throws IOException {
    Path in = input(dir, 5000);
    Path output = dir.resolve("old.csv");
    assertThatThrownBy(() -> BatchJob.builder().input(in, DoublingProcessor.INPUT)
        .processor(new DoublingProcessor(0, 3_001)).output(output).chunkRows(500).checkpointEvery(2).build().run())
        .hasMessage("simulated crash at row 3001");
    Path checkpoint = BatchJob.checkpointPath(output);
    String json = Files.readString(checkpoint);
    assertThat(json).contains("\"version\" : " + Checkpoint.VERSION);
    Files.writeString(checkpoint, json.replace("\"version\" : " + Checkpoint.VERSION, "\"version\" : 1"));
    assertThatThrownBy(() -> BatchJob.builder().input(in, DoublingProcessor.INPUT)
        .processor(new DoublingProcessor(0, -1)).output(output).chunkRows(500).checkpointEvery(2).resume(true).build().run())
        .isInstanceOf(ResumeException.class)
        .hasMessageEndingWith("has checkpoint version 1; expected " + Checkpoint.VERSION
            + " (written by another version of chainscore); pass --overwrite to start again");
    BatchResult again = BatchJob.builder().input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, -1))
        .output(output).chunkRows(500).overwrite(true).build().run();
    assertThat(again.resumedFromRow()).isZero();
    assertThat(Files.readAllLines(dir.resolve("old.quarantine.csv")).get(0)).isEqualTo("row,record_id,column,reason");
  }

  @Test
  void resume_withChangedOptions_refused() throws IOException {
    Path in = input(dir, 5000);
    Path output = dir.resolve("out.csv");
    assertThatThrownBy(() -> BatchJob.builder()
            .input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, 3500))
            .output(output).chunkRows(500).checkpointEvery(1).jobFingerprint("model A").build().run())
        .hasMessage("simulated crash at row 3500");
    assertThatThrownBy(() -> BatchJob.builder()
            .input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, -1))
            .output(output).chunkRows(500).jobFingerprint("model B").resume(true).build().run())
        .isInstanceOf(ResumeException.class)
        .hasMessageContaining("used another input, model or options");
  }

  @Test
  void killMinus9_atRandomMoments_resumesByteIdentical() throws Exception {
    Path in = input(dir, 200_000);
    Path reference = dir.resolve("reference.csv");
    run(in, reference, 2, 2000);
    Path output = dir.resolve("killed.csv");
    SplittableRandom random = new SplittableRandom(11);
    int kills = 0;
    for (int attempt = 0; attempt < 6 && !Files.exists(output); attempt++) {
      Process child = child(in, output, attempt > 0);
      if (attempt < 3) {
        // Let it get past at least one checkpoint, then kill it without warning.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Path checkpoint = BatchJob.checkpointPath(output);
        while (!Files.exists(checkpoint) && child.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        Thread.sleep(random.nextInt(150));
        if (child.isAlive()) {
          child.destroyForcibly();
          kills++;
        }
      }
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(kills).as("the child was actually killed").isPositive();
    assertThat(Files.readAllBytes(output)).isEqualTo(Files.readAllBytes(reference));
    assertThat(Files.readAllBytes(dir.resolve("killed.quarantine.csv")))
        .isEqualTo(Files.readAllBytes(dir.resolve("reference.quarantine.csv")));
  }

  private Process child(Path in, Path output, boolean resume) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), KillableJobMain.class.getName(),
        in.toString(), output.toString(), Boolean.toString(resume), "15");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  static String format(double v) {
    return String.format(Locale.ROOT, "%s", v);
  }

  /**
   * The engine refuses a job whose output or quarantine is its input, or whose quarantine is its
   * output (the same path, another spelling of it, or a link), before it touches any file: a run
   * deletes a stopped run's quarantine and replaces its output, which would have been the input.
   */
  @Test
  void outputsNamingTheInput_refusedBeforeAnyFileIsTouched() throws IOException {
    Path in = input(dir, 10);
    byte[] before = Files.readAllBytes(in);
    Path link = Files.createSymbolicLink(dir.resolve("link.csv"), in);
    Path otherSpelling = dir.resolve("sub/../" + in.getFileName());
    java.util.function.Function<BatchJob.Builder, BatchJob.Builder> base =
        b -> b.input(in, DoublingProcessor.INPUT).processor(new DoublingProcessor(0, -1));
    assertThatThrownBy(() -> base.apply(BatchJob.builder()).output(in).overwrite(true).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the output " + in + " is the input");
    assertThatThrownBy(() -> base.apply(BatchJob.builder()).output(dir.resolve("o.csv")).quarantine(link).build())
        .hasMessageContaining("the quarantine " + link + " is the input");
    assertThatThrownBy(() -> base.apply(BatchJob.builder()).output(dir.resolve("o.csv")).quarantine(otherSpelling).build())
        .hasMessageContaining("is the input");
    assertThatThrownBy(() -> base.apply(BatchJob.builder()).output(dir.resolve("o.csv")).quarantine(dir.resolve("o.csv"))
        .build()).hasMessageContaining("the quarantine " + dir.resolve("o.csv") + " is the output");
    // a quarantine and an output not yet written, one of them through a link to the other's folder
    Path folderLink = Files.createSymbolicLink(dir.resolve("folder-link"), dir);
    assertThatThrownBy(() -> base.apply(BatchJob.builder()).output(dir.resolve("o.csv"))
        .quarantine(folderLink.resolve("o.csv")).build())
        .hasMessageContaining("the quarantine " + folderLink.resolve("o.csv") + " is the output");
    assertThat(Files.readAllBytes(in)).isEqualTo(before);
    assertThat(dir.resolve("o.csv")).doesNotExist();
  }
}

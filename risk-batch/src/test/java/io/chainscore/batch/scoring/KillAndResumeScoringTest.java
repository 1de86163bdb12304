package io.chainscore.batch.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.engine.BatchJob;
import io.chainscore.scoring.ModelBundle;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring 200,000 suppliers, killed with SIGKILL at random moments and resumed, against an uninterrupted run. */
class KillAndResumeScoringTest {
  @TempDir Path dir;

  @Test
  void scoring_killedAndResumed_byteIdenticalToUninterruptedRun() throws Exception {
    Path model = dir.resolve("model.json");
    try (InputStream in = getClass().getResourceAsStream("/bundles/scorecard.json")) {
      Files.write(model, in.readAllBytes());
    }
    Path features = dir.resolve("features.csv");
    SplittableRandom random = new SplittableRandom(17);
    String[] sectors = {"MANUFACTURING", "LOGISTICS", "RETAIL", "AGRICULTURE", "MINING"};
    try (BufferedWriter w = Files.newBufferedWriter(features)) {
      w.write("supplier_id,days_beyond_terms_avg,dilution_rate_12m,months_with_anchor,sector,on_time_delivery_rate\n");
      for (int i = 1; i <= 200_000; i++) {
        // Now and then a value the bundle refuses (dilution above 1, an unknown sector): quarantined.
        w.write(String.format(java.util.Locale.ROOT, "S%06d,%s,%.4f,%d,%s,%.3f%n", i,
            random.nextInt(20) == 0 ? "" : Integer.toString(random.nextInt(120)),
            random.nextInt(500) == 0 ? 1.5 : random.nextDouble() * 0.1, random.nextInt(200) - 1,
            sectors[random.nextInt(random.nextInt(300) == 0 ? 5 : 4)], random.nextDouble()));
      }
    }
    ModelBundle bundle = ModelBundle.read(model);
    Path reference = dir.resolve("reference.csv");
    KillableScoreMain.job(bundle, features, reference, new FeatureTableScoring(bundle, LocalDate.parse("2025-06-30")),
        false).run();

    Path output = dir.resolve("killed.csv");
    SplittableRandom timing = new SplittableRandom(3);
    int kills = 0;
    for (int attempt = 0; attempt < 8 && !Files.exists(output); attempt++) {
      Process child = child(model, features, output, attempt > 0);
      if (attempt < 4) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(BatchJob.checkpointPath(output)) && child.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        Thread.sleep(timing.nextInt(300));
        if (child.isAlive()) {
          child.destroyForcibly();
          kills++;
        }
      }
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(kills).as("the child was killed mid-run").isPositive();
    assertThat(Files.readAllBytes(output)).isEqualTo(Files.readAllBytes(reference));
    assertThat(Files.readAllBytes(dir.resolve("killed.quarantine.csv")))
        .isEqualTo(Files.readAllBytes(dir.resolve("reference.quarantine.csv")));
    assertThat(Files.readAllLines(reference).size() - 1 + Files.readAllLines(dir.resolve("reference.quarantine.csv")).size() - 1)
        .as("every input row is scored or quarantined, once").isEqualTo(200_000);
  }

  private Process child(Path model, Path features, Path output, boolean resume) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), KillableScoreMain.class.getName(),
        model.toString(), features.toString(), output.toString(), Boolean.toString(resume), "25");
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile()).start();
  }
}

package io.chainscore.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/reliability.md's end-to-end figure: a generated portfolio's features and scores (Arrow), the
 * score step's wall time (its full-input fingerprint included) against SHA-256 of its input alone.
 * Not part of the suite: run with {@code -Dchainscore.measure=true} in the surefire JVM flags.
 */
@EnabledIfSystemProperty(named = "chainscore.measure", matches = "true")
class ScoreFingerprintMeasurement {
  @TempDir Path dir;

  @Test
  void measure() throws Exception {
    int suppliers = Integer.getInteger("chainscore.measure.suppliers", 100_000);
    long t = System.nanoTime();
    CliRun.of("generate", "--suppliers", Integer.toString(suppliers), "--seed", "7", "--format", "arrow",
        "--out", dir.resolve("p").toString(), "--quiet");
    double generate = (System.nanoTime() - t) / 1e9;
    long invoices = Files.size(dir.resolve("p/invoices.arrow"));
    t = System.nanoTime();
    CliRun f = CliRun.of("features", "--transactions", dir.resolve("p").toString(), "--as-of", "2025-06-30", "--out",
        dir.resolve("features.arrow").toString(), "--quiet", "--json");
    double features = (System.nanoTime() - t) / 1e9;
    Path input = dir.resolve("features.arrow");
    for (int k = 0; k < 3; k++) {
      t = System.nanoTime();
      byte[] all = Files.readAllBytes(input);
      MessageDigest.getInstance("SHA-256").digest(all);
      double hash = (System.nanoTime() - t) / 1e9;
      t = System.nanoTime();
      CliRun s = CliRun.of("score", "--features", input.toString(), "--as-of", "2025-06-30", "--out",
          dir.resolve("s" + k + ".arrow").toString(), "--quiet", "--threads", "2");
      double score = (System.nanoTime() - t) / 1e9;
      System.out.printf(Locale.ROOT, "MEASURE %d suppliers (%s): generate %.1f s, features %.1f s; features.arrow"
          + " %.0f MB: SHA-256 alone %.3f s, score (with fingerprint) %.2f s (exit %d); hash/score %.1f%%,"
          + " hash/(features+score) %.2f%%%n", suppliers, f.out().replaceAll("\\s+", " "), generate, features,
          Files.size(input) / 1e6, hash, score, s.code(), 100 * hash / score, 100 * hash / (features + score));
    }
    System.out.printf(Locale.ROOT, "MEASURE invoices.arrow %.0f MB%n", invoices / 1e6);
  }
}

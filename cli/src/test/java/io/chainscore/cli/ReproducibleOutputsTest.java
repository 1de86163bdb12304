package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same jobs ({@code features}, {@code score} with {@code --baseline} and {@code --exposures},
 * {@code validate}, {@code portfolio}, each with {@code --json}) run twice, each command in a JVM of
 * its own and with a different thread count, give the same bytes in every output: tables,
 * summaries, manifests, metrics, reports and what they print. Only wall-clock fields (started_at,
 * finished_at, elapsed_seconds, seconds) and the thread count a manifest records are normalised.
 * A {@code Map.of} or {@code HashMap} reaching a JSON writer fails this test, because their
 * iteration order is salted per JVM.
 */
class ReproducibleOutputsTest {
  @TempDir static Path dir;

  @BeforeAll
  static void inputs() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path portfolio = in.resolve("portfolio");
    CliRun generate = CliRun.of("generate", "--suppliers", "300", "--seed", "7", "--out", portfolio.toString(), "--quiet");
    assertThat(generate.code()).as(generate.err()).isZero();
    // Exposures of every generated supplier, with its own anchor and sector.
    List<String[]> suppliers = csv(portfolio.resolve("suppliers.csv"));
    StringBuilder exposures = new StringBuilder("supplier_id,anchor_id,sector,drawn,anchor_sales_share\n");
    for (int i = 1; i < suppliers.size(); i++) {
      String[] s = suppliers.get(i);
      exposures.append(s[0]).append(',').append(s[1]).append(',').append(s[2]).append(',')
          .append(10_000 + 997 * (i % 61)).append(",0.").append(1 + i % 9).append('\n');
    }
    Files.writeString(in.resolve("exposures.csv"), exposures);
    // The baseline run: features and scores half a year earlier.
    Path base = Files.createDirectories(in.resolve("base"));
    assertThat(CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2024-12-31", "--out",
        base.resolve("features.arrow").toString(), "--quiet").code()).isZero();
    assertThat(CliRun.of("score", "--features", base.resolve("features.arrow").toString(), "--out",
        base.resolve("scores.csv").toString(), "--as-of", "2024-12-31", "--quiet").code()).isZero();
    // A labelled sample for validate: this year's features with the simulator's default flags.
    assertThat(CliRun.of("features", "--transactions", portfolio.toString(), "--as-of", "2025-06-30", "--out",
        in.resolve("features.csv").toString(), "--quiet").code()).isZero();
    Map<String, String> defaulted = new HashMap<>();
    List<String[]> labels = csv(portfolio.resolve("labels.csv"));
    int flag = List.of(labels.get(0)).indexOf("defaulted");
    for (String[] l : labels.subList(1, labels.size())) {
      defaulted.put(l[0], l[flag].equalsIgnoreCase("true") || l[flag].equals("1") ? "1" : "0");
    }
    List<String> lines = Files.readAllLines(in.resolve("features.csv"));
    StringBuilder labelled = new StringBuilder(lines.get(0)).append(",defaulted\n");
    for (String line : lines.subList(1, lines.size())) {
      labelled.append(line).append(',').append(defaulted.get(line.substring(0, line.indexOf(',')))).append('\n');
    }
    Files.writeString(in.resolve("labelled.csv"), labelled);
  }

  @Test
  void sameJobsInTwoJvms_writeTheSameBytes() throws Exception {
    Path first = run("run1", 1);
    Path second = run("run2", 2);
    List<Path> files = files(first);
    assertThat(files).as("the same files").isEqualTo(files(second));
    assertThat(files).contains(Path.of("scores.csv.summary.json"), Path.of("scores.csv.manifest.json"),
        Path.of("features.arrow.manifest.json"), Path.of("validation/metrics.json"), Path.of("validation/report.html"),
        Path.of("portfolio/portfolio.json"), Path.of("portfolio/portfolio.html"), Path.of("score.stdout"));
    for (Path f : files) {
      byte[] a = Files.readAllBytes(first.resolve(f));
      byte[] b = Files.readAllBytes(second.resolve(f));
      if (f.toString().endsWith(".json") || f.toString().endsWith(".stdout")) {
        assertThat(normalise(new String(a, StandardCharsets.UTF_8))).as(f.toString())
            .isEqualTo(normalise(new String(b, StandardCharsets.UTF_8)));
      } else {
        assertThat(a).as(f.toString()).isEqualTo(b);
      }
    }
    // The summary carries the baseline comparison, so its maps were exercised.
    assertThat(Files.readString(first.resolve("scores.csv.summary.json"))).contains("\"csi\"", "\"grade_migration\"");
    assertThat(Files.readString(first.resolve("scores.csv.manifest.json"))).contains("\"started_at\"", "\"elapsed_seconds\"");
  }

  /** Runs the four commands, each in a new JVM, in {@code dir/name} with relative paths only. */
  private static Path run(String name, int threads) throws Exception {
    Path cwd = Files.createDirectories(dir.resolve(name));
    String t = Integer.toString(threads);
    jvm(cwd, "features", "features", "--transactions", "../in/portfolio", "--as-of", "2025-06-30", "--out", "features.arrow",
        "--threads", t, "--quiet", "--json");
    jvm(cwd, "score", "score", "--features", "features.arrow", "--out", "scores.csv", "--as-of", "2025-06-30",
        "--baseline", "../in/base", "--exposures", "../in/exposures.csv", "--threads", t, "--quiet", "--json");
    jvm(cwd, "validate", "validate", "--data", "../in/labelled.csv", "--target", "defaulted", "--baseline",
        "../in/labelled.csv", "--out", "validation", "--json");
    jvm(cwd, "portfolio", "portfolio", "--scores", "scores.csv", "--exposures", "../in/exposures.csv",
        "--simulations", "2000", "--threads", t, "--out", "portfolio", "--json");
    return cwd;
  }

  private static void jvm(Path cwd, String label, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "io.chainscore.cli.ChainScoreCli"));
    command.addAll(List.of(args));
    Path stdout = cwd.resolve(label + ".stdout");
    Path stderr = cwd.resolveSibling(cwd.getFileName() + "-" + label + ".stderr");
    Process p = new ProcessBuilder(command).directory(cwd.toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(label + " finished").isTrue();
    assertThat(p.exitValue()).as(label + ": " + Files.readString(stderr)).isZero();
  }

  private static String normalise(String json) {
    return json.replaceAll("\"(started_at|finished_at)\" : \"[^\"]*\"", "\"$1\" : \"T\"")
        .replaceAll("\"(elapsed_seconds|seconds)\" : [-0-9.eE+]+", "\"$1\" : 0")
        .replaceAll("\"threads\" : [0-9]+", "\"threads\" : 0");
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }

  private static List<String[]> csv(Path file) throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      rows.add(line.split(",", -1));
    }
    return rows;
  }
}

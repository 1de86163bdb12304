package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-machine recipes of {@code docs/scale-out.md} ("On one machine" with {@code spark-submit},
 * and the plain {@code java} line "Without a Spark installation") run as written against the
 * shipped jar, {@code risk-spark/target/chainscore-spark.jar}, in a JVM of their own: what a user
 * types. Until 2026-12-07 the suite only read the recipes' text ({@link SparkLocalBindingTest}).
 *
 * <p>Runs in Maven's {@code integration-test} phase (after {@code package} has shaded the jar;
 * a second surefire execution in {@code risk-spark/pom.xml}), so {@code mvn verify} runs it and
 * {@code mvn test} does not. Three substitutions stand for what a Spark installation provides:
 * {@code spark-submit} is {@code java -cp SPARK_JARS org.apache.spark.deploy.SparkSubmit} (what
 * Spark's {@code bin/spark-submit} runs), {@code $SPARK_HOME/jars/*} is the Spark jars of this
 * build's class path, and {@code $SPARK_JAVA17_OPENS} the {@code spark.jvm.flags} of the POM; the
 * jar's path is the clone's, and {@code portfolio} and {@code scores.parquet} are in a fresh
 * folder. Each recipe's scores equal, row for row, those of the job run in this JVM on the same
 * files (whose equality to {@code chainscore score} {@link SparkParityTest} checks).
 */
class SparkRecipesShippedJarIT {
  private static final int SUPPLIERS = 120;
  private static Path root;
  private static Path work;
  private static Path portfolio;
  private static SparkSession spark;

  @BeforeAll
  static void portfolioAndInProcessScores() throws IOException {
    root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("docs/scale-out.md"))) {
      root = root.getParent();
    }
    work = Path.of("target", "spark-recipes").toAbsolutePath();
    deleteTree(work);
    Files.createDirectories(work);
    portfolio = SparkTestPortfolio.generate(Path.of("target", "spark-recipes-portfolio").toAbsolutePath(),
        SUPPLIERS, 60, 18);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ChainScoreSparkJob.execute(new String[] {"--master", "local[2]", "--transactions", portfolio.toString(),
        "--as-of", "2025-06-30", "--out", work.resolve("in-process.parquet").toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isIn(0, 3);
    spark = SparkTestPortfolio.localSpark(2);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void sparkSubmitOnOneMachine_runsAsWritten() throws Exception {
    List<String> words = recipe("spark-submit --class");
    assertThat(words.get(0)).isEqualTo("spark-submit");
    List<String> command = new ArrayList<>(List.of(java(), "-cp", sparkJars()));
    command.addAll(sparkJvmFlags());
    command.add("org.apache.spark.deploy.SparkSubmit");
    command.addAll(substituted(words.subList(1, words.size())));
    assertSameScoresAsInProcess(run(command, "spark-submit"), "spark-submit");
  }

  @Test
  void plainJavaWithoutASparkInstallation_runsAsWritten() throws Exception {
    List<String> words = recipe("java $SPARK_JAVA17_OPENS");
    List<String> command = new ArrayList<>();
    for (String word : words) {
      if (word.equals("java")) {
        command.add(java());
      } else if (word.equals("$SPARK_JAVA17_OPENS")) {
        command.addAll(sparkJvmFlags());
      } else if (word.contains("$SPARK_HOME/jars/*")) {
        command.add(word.replace("$SPARK_HOME/jars/*", sparkJars()).replace("risk-spark/target/chainscore-spark.jar",
            shippedJar().toString()));
      } else {
        command.add(substituted(List.of(word)).get(0));
      }
    }
    assertSameScoresAsInProcess(run(command, "java"), "java");
  }

  /**
   * The words of the fenced block of docs/scale-out.md that starts with {@code start}, its line
   * continuations joined and its quotes removed as a shell would.
   */
  private static List<String> recipe(String start) throws IOException {
    String[] parts = Files.readString(root.resolve("docs/scale-out.md")).split("```");
    for (int i = 1; i < parts.length; i += 2) {
      String block = parts[i].strip();
      if (block.startsWith(start)) {
        return io.chainscore.docs.ShellWords.of(block.replace("\\\n", " "));
      }
    }
    throw new AssertionError("docs/scale-out.md has no block starting with " + start);
  }

  /** The recipe's file names made this test's: the clone's jar, the portfolio, the output in a fresh folder. */
  private static List<String> substituted(List<String> words) {
    List<String> out = new ArrayList<>();
    for (String w : words) {
      out.add(switch (w) {
        case "risk-spark/target/chainscore-spark.jar" -> shippedJar().toString();
        case "portfolio" -> portfolio.toString();
        default -> w;
      });
    }
    return out;
  }

  private static Path shippedJar() {
    Path jar = root.resolve("risk-spark/target/chainscore-spark.jar");
    assertThat(jar).as("the shaded jar (built by mvn package before this phase)").isRegularFile();
    return jar;
  }

  /** Runs {@code command} in a fresh folder (where {@code scores.parquet} lands) and returns that folder. */
  private static Path run(List<String> command, String name) throws Exception {
    Path folder = Files.createDirectories(work.resolve(name));
    Path log = folder.resolve("stderr.txt");
    Process process = new ProcessBuilder(command).directory(folder.toFile())
        .redirectOutput(folder.resolve("stdout.txt").toFile()).redirectError(log.toFile()).start();
    assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("%s finished within 300 s", name).isTrue();
    String stderr = Files.readString(log);
    String stdout = Files.readString(folder.resolve("stdout.txt"));
    assertThat(process.exitValue()).as("%s%n%s%n%s", String.join(" ", command), stdout, stderr).isIn(0, 3);
    // one line for the user, no stack trace, no Spark start-up chatter at INFO
    assertThat(stderr).as(stderr).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain(" INFO ");
    return folder;
  }

  private static void assertSameScoresAsInProcess(Path folder, String name) throws IOException {
    Dataset<Row> expected = spark.read().parquet(work.resolve("in-process.parquet").toString());
    Dataset<Row> actual = spark.read().parquet(folder.resolve("scores.parquet").toString());
    assertThat(actual.schema()).isEqualTo(expected.schema());
    long rows = expected.count();
    assertThat(rows).as("scored suppliers").isBetween((long) SUPPLIERS / 2, (long) SUPPLIERS);
    assertThat(actual.count()).as(name).isEqualTo(rows);
    assertThat(actual.exceptAll(expected).count()).as(name + ": rows not in the in-process scores").isZero();
    assertThat(expected.exceptAll(actual).count()).as(name + ": in-process rows missing").isZero();
    assertThat(folder.resolve("scores.parquet.manifest.json")).isRegularFile();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * This build's class path without ChainScore's own classes and jars (anything under the clone,
   * which after {@code package} includes the sibling modules' jars): Spark's jars and what they
   * need, as {@code $SPARK_HOME/jars} holds them, so that ChainScore's classes come from the
   * shipped jar alone, as on a cluster.
   */
  private static String sparkJars() {
    List<String> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      if (entry.endsWith(".jar") && !path.startsWith(root) && !entry.contains("surefire")) {
        jars.add(entry);
      }
    }
    return String.join(File.pathSeparator, jars);
  }

  private static List<String> sparkJvmFlags() {
    String flags = System.getProperty("spark.jvm.flags");
    assertThat(flags).as("spark.jvm.flags, set by the POM's surefire execution").isNotBlank();
    return Arrays.asList(flags.strip().split("\\s+"));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

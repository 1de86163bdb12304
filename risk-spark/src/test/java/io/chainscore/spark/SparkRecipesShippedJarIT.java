package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
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
 * folder. Each recipe's scores equal, row for row, those of the single machine's {@code
 * chainscore score} path on the same files (the feature engine, then the batch scoring job).
 */
class SparkRecipesShippedJarIT {
  private static final int SUPPLIERS = 120;
  private static Path root;
  private static Path work;
  private static Path portfolio;
  private static SparkSession spark;
  /** The two recipes, started together in @BeforeAll (each JVM's start-up is mostly one core's work). */
  private static Started submit;
  private static Started plainJava;

  @BeforeAll
  static void portfolioRecipesAndInProcessScores() throws Exception {
    root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("docs/scale-out.md"))) {
      root = root.getParent();
    }
    work = Path.of("target", "spark-recipes").toAbsolutePath();
    deleteTree(work);
    Files.createDirectories(work);
    portfolio = SparkTestPortfolio.generate(Path.of("target", "spark-recipes-portfolio").toAbsolutePath(),
        SUPPLIERS, 60, 18);
    submit = start(sparkSubmitCommand(), "spark-submit");
    plainJava = start(plainJavaCommand(), "java");
    // the reference: the single machine's `chainscore score` path on the same files (the feature
    // engine, then the batch scoring job into Parquet), computed while the recipes run
    io.chainscore.batch.features.PortfolioFeatures.Result features = io.chainscore.batch.features.PortfolioFeatures
        .compute(portfolio, new io.chainscore.batch.features.PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 1, true,
            io.chainscore.batch.features.PortfolioFeatures.DEFAULT_REGIONS), bad -> { });
    Path featureTable = work.resolve("features.arrow");
    io.chainscore.batch.features.PortfolioFeatures.write(features, SparkTestPortfolio.AS_OF, featureTable);
    io.chainscore.batch.scoring.FeatureTableScoring processor = new io.chainscore.batch.scoring.FeatureTableScoring(
        io.chainscore.models.DefaultModels.scorecard(), SparkTestPortfolio.AS_OF);
    io.chainscore.batch.engine.BatchJob.builder().input(featureTable, processor.inputSchema()).processor(processor)
        .output(work.resolve("single-machine.parquet")).threads(1).overwrite(true).build().run();
    spark = SparkTestPortfolio.localSpark(2);
  }

  @AfterAll
  static void stop() {
    for (Started run : new Started[] {submit, plainJava}) {
      if (run != null) {
        run.process().destroyForcibly();
      }
    }
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void sparkSubmitOnOneMachine_runsAsWritten() throws Exception {
    assertSameScoresAsOneMachine(finish(submit), "spark-submit");
  }

  @Test
  void plainJavaWithoutASparkInstallation_runsAsWritten() throws Exception {
    assertSameScoresAsOneMachine(finish(plainJava), "java");
  }

  /** The "On one machine" recipe, {@code spark-submit} run as Spark's script runs it. */
  private static List<String> sparkSubmitCommand() throws IOException {
    List<String> words = recipe("spark-submit --class");
    assertThat(words.get(0)).isEqualTo("spark-submit");
    List<String> command = new ArrayList<>(List.of(java(), "-cp", sparkJars()));
    command.addAll(sparkJvmFlags());
    command.add("org.apache.spark.deploy.SparkSubmit");
    command.addAll(substituted(words.subList(1, words.size())));
    return command;
  }

  /** The "Without a Spark installation" recipe. */
  private static List<String> plainJavaCommand() throws IOException {
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
    return command;
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

  private record Started(Process process, Path folder, List<String> command, String name) {}

  /** Starts {@code command} in a fresh folder, where {@code scores.parquet} lands. */
  private static Started start(List<String> command, String name) throws IOException {
    Path folder = Files.createDirectories(work.resolve(name));
    Process process = new ProcessBuilder(command).directory(folder.toFile())
        .redirectOutput(folder.resolve("stdout.txt").toFile()).redirectError(folder.resolve("stderr.txt").toFile())
        .start();
    return new Started(process, folder, command, name);
  }

  /** Waits for a started recipe, checks its exit and what it printed, and returns its folder. */
  private static Path finish(Started run) throws Exception {
    assertThat(run.process().waitFor(300, TimeUnit.SECONDS)).as("%s finished within 300 s", run.name()).isTrue();
    String stderr = Files.readString(run.folder().resolve("stderr.txt"));
    String stdout = Files.readString(run.folder().resolve("stdout.txt"));
    assertThat(run.process().exitValue()).as("%s%n%s%n%s", String.join(" ", run.command()), stdout, stderr)
        .isIn(0, 3);
    // one line for the user, no stack trace, no Spark start-up chatter at INFO
    assertThat(stderr).as(stderr).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain(" INFO ");
    assertThat(stdout).startsWith("chainscore-spark: wrote ");
    return run.folder();
  }

  private static void assertSameScoresAsOneMachine(Path folder, String name) throws IOException {
    Dataset<Row> expected = spark.read().parquet(work.resolve("single-machine.parquet").toString());
    Dataset<Row> actual = spark.read().parquet(folder.resolve("scores.parquet").toString());
    assertThat(actual.schema()).isEqualTo(expected.schema());
    long rows = expected.count();
    assertThat(rows).as("scored suppliers").isBetween((long) SUPPLIERS / 2, (long) SUPPLIERS);
    assertThat(actual.count()).as(name).isEqualTo(rows);
    assertThat(actual.exceptAll(expected).count()).as(name + ": rows not in the single machine's scores").isZero();
    assertThat(expected.exceptAll(actual).count()).as(name + ": single-machine rows missing").isZero();
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

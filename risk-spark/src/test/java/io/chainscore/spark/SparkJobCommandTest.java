package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.models.DefaultModels;
import io.chainscore.tables.InputFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's command line as a user meets it, without Spark: what is refused before Spark starts
 * (tables not in Parquet, a missing table, a missing model, an existing output), with exit code 2
 * and one line naming the file; {@code --help}; bundled model names; and how refusals raised in
 * Spark's tasks are told from failures.
 */
class SparkJobCommandTest {
  @TempDir
  Path dir;

  private String stdout;
  private String stderr;

  private int execute(String... argv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ChainScoreSparkJob.execute(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    stdout = out.toString(StandardCharsets.UTF_8);
    stderr = err.toString(StandardCharsets.UTF_8);
    return code;
  }

  /** A portfolio directory with the named table files (empty: the checks before Spark only look for them). */
  private Path portfolio(String... files) throws IOException {
    Path p = Files.createDirectories(dir.resolve("p"));
    for (String f : files) {
      Files.writeString(p.resolve(f), "");
    }
    return p;
  }

  private static final String[] PARQUET = {"anchors.parquet", "suppliers.parquet", "invoices.parquet",
      "loans.parquet", "instalments.parquet", "credit_notes.parquet", "disputes.parquet"};

  @Test
  void eventTableInCsv_isRefusedByName_notPassedOver() throws IOException {
    Path p = portfolio(PARQUET);
    Files.writeString(p.resolve("deliveries.csv"), "invoice_id\n");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString()))
        .isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: " + p + "/deliveries.csv: the Spark job reads Parquet tables only;"
        + " convert it or run chainscore score\n");
    assertThat(stdout).isEmpty();
  }

  @Test
  void csvPortfolio_isRefusedNamingItsFirstTable() throws IOException {
    Path p = portfolio("anchors.csv", "suppliers.csv", "invoices.csv", "loans.csv", "instalments.csv");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString()))
        .isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: " + p + "/anchors.csv: the Spark job reads Parquet tables only;"
        + " convert it or run chainscore score\n");
  }

  @Test
  void missingTableOrDirectory_isNamed() throws IOException {
    Path p = portfolio("suppliers.parquet", "invoices.parquet", "loans.parquet", "instalments.parquet");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString()))
        .isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: no such file: " + p + "/anchors.parquet\n");
    assertThat(execute("--transactions", dir.resolve("nope").toString(), "--as-of", "2025-06-30", "--out", "o"))
        .isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: no such directory: " + dir.resolve("nope") + "\n");
  }

  @Test
  void tableInTwoFormats_isRefused() throws IOException {
    Path p = portfolio(PARQUET);
    Files.writeString(p.resolve("invoices.csv"), "");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString()))
        .isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: " + p + ": the invoices table is there twice, as invoices.parquet"
        + " and invoices.csv; remove one\n");
  }

  @Test
  void missingModel_isNamed_andABundledNameLoadsTheBundledModel() throws Exception {
    Path p = portfolio(PARQUET);
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString(),
        "--model", "nomodel.json")).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --model: no such file: nomodel.json (nor a bundled model;"
        + " bundled: smb-supply-chain-scorecard, smb-supply-chain-gbdt)\n");
    Configuration hadoop = new Configuration();
    assertThat(ChainScoreSparkJob.readBundle(hadoop, "smb-supply-chain-gbdt").sha256())
        .isEqualTo(DefaultModels.gbdt().sha256());
    assertThat(ChainScoreSparkJob.readBundle(hadoop, null).sha256()).isEqualTo(DefaultModels.scorecard().sha256());
    Path corrupt = Files.writeString(dir.resolve("corrupt.json"), "{");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString(),
        "--model", corrupt.toString())).isEqualTo(2);
    assertThat(stderr).startsWith("chainscore-spark: " + corrupt + ": ").doesNotContain("\tat ");
  }

  /**
   * {@code --require-signed} and {@code --trust}, as {@code chainscore score} has them: the nightly
   * job can refuse a model bundle that no trusted key signed, before Spark starts. Until
   * 2026-12-07 the job had neither option and scored any bundle it was given.
   */
  @Test
  void signedBundles_requiredWithTrust_checkedBeforeSparkStarts() throws Exception {
    Path p = portfolio(PARQUET);
    String[] base = {"--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString()};
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("Ed25519");
    java.security.KeyPair trusted = generator.generateKeyPair();
    java.security.KeyPair other = generator.generateKeyPair();
    Path keys = Files.writeString(dir.resolve("trusted.pub"), "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(trusted.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    io.chainscore.scoring.ModelBundle model = DefaultModels.scorecard();
    Path bundle = Files.writeString(dir.resolve("bundle.json"), model.toJson());
    Path signature = dir.resolve("bundle.json.sig");

    assertThat(execute(append(base, "--require-signed", "--model", bundle.toString()))).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --require-signed needs --trust KEYS (the public keys to accept)\n");
    assertThat(execute(append(base, "--trust", keys.toString()))).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --require-signed: the bundled model smb-supply-chain-scorecard is"
        + " not signed; give a signed bundle file with --model\n");
    assertThat(execute(append(base, "--trust", keys.toString(), "--model", bundle.toString()))).isEqualTo(2);
    assertThat(stderr).startsWith("chainscore-spark: " + bundle + ": signature: the bundle is not signed (no"
        + " bundle.json.sig beside it)");

    Configuration hadoop = new Configuration();
    Files.writeString(signature, io.chainscore.scoring.spi.BundleSigning.sign(model, other));
    assertThat(execute(append(base, "--trust", keys.toString(), "--model", bundle.toString()))).isEqualTo(2);
    assertThat(stderr).contains("which the trust store does not hold");
    Files.writeString(signature, io.chainscore.scoring.spi.BundleSigning.sign(model, trusted));
    io.chainscore.scoring.ModelBundle read = ChainScoreSparkJob.readBundle(hadoop, bundle.toString(), true,
        keys.toString());
    assertThat(read.sha256()).isEqualTo(model.sha256());
    // what the manifest's model.signature_key_id records
    assertThat(read.signatureKeyId()).contains(io.chainscore.scoring.TrustStore.keyId(trusted.getPublic()));
    assertThat(ChainScoreSparkJob.readBundle(hadoop, bundle.toString()).signatureKeyId()).isEmpty();
    assertThat(ChainScoreSparkJob.readBundle(hadoop, "file:" + bundle, false, keys.toString()).sha256())
        .as("through a Hadoop URI").isEqualTo(model.sha256());
    // one byte changed after signing, the bundle still well formed
    Files.writeString(bundle, model.toJson().replaceFirst("\"model_version\" *: *\"", "$0x"));
    assertThat(execute(append(base, "--trust", keys.toString(), "--model", bundle.toString()))).isEqualTo(2);
    assertThat(stderr).startsWith("chainscore-spark: " + bundle + ": ").doesNotContain("\tat ");
    // the signature and the trust store are inputs: no output replaces them
    Files.writeString(bundle, model.toJson());
    assertThat(execute(append(base, "--trust", keys.toString(), "--model", bundle.toString(), "--manifest-out",
        signature.toString()))).isEqualTo(2);
    assertThat(stderr).startsWith("chainscore-spark: --manifest-out " + signature + " is a file the run reads, the"
        + " --model file's signature");
    assertThat(execute(append(base, "--trust", keys.toString(), "--model", bundle.toString(), "--manifest-out",
        keys.toString()))).isEqualTo(2);
    assertThat(stderr).startsWith("chainscore-spark: --manifest-out " + keys + " is a file the run reads, --trust");
    assertThat(stdout).isEmpty();
  }

  /**
   * A {@code --trust} that is not there is refused naming it as missing, as {@code chainscore score}
   * says it: until 2026-12-07 the line was the path alone ("{@code chainscore-spark: keys.pub}"),
   * the message of the exception the trust store raised.
   */
  @Test
  void missingTrustStore_isSaidToBeMissing() throws IOException {
    Path p = portfolio(PARQUET);
    Path bundle = Files.writeString(dir.resolve("bundle.json"), DefaultModels.scorecard().toJson());
    Path keys = dir.resolve("keys.pub");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString(),
        "--model", bundle.toString(), "--trust", keys.toString())).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: no such file: " + keys + "\n");
    assertThat(stdout).isEmpty();
  }

  /**
   * The job's quiet start (no logging configured by the user, no {@code CHAINSCORE_DEBUG}) silences
   * Spark's reports of a failed task, each a stack trace at ERROR: until 2026-12-07 a table file
   * refused in the tasks (a corrupt page) printed some 90 lines of them (the executor's "Exception
   * in task", the scheduler's "aborting job", the writer's "Aborting job" with the driver's trace)
   * before the job's one line, where exit 2 promises one line and no stack trace.
   */
  @Test
  void quietStartUp_silencesSparksStackTracesOfAFailedTask() {
    var context = (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(
        org.apache.spark.sql.SparkSession.class.getClassLoader(), false);
    var config = context.getConfiguration();
    org.apache.logging.log4j.Level root = config.getRootLogger().getLevel();
    java.util.List<String> added = new java.util.ArrayList<>();
    for (String name : ChainScoreSparkJob.TASK_FAILURE_LOGGERS) {
      if (!config.getLoggerConfig(name).getName().equals(name)) {
        added.add(name);
      }
    }
    try {
      ChainScoreSparkJob.quietStartUp(new org.apache.spark.SparkConf(false));
      assertThat(ChainScoreSparkJob.TASK_FAILURE_LOGGERS).containsExactly("org.apache.spark.executor.Executor",
          "org.apache.spark.scheduler.TaskSetManager", "org.apache.spark.sql.execution.datasources.FileFormatWriter");
      for (String name : ChainScoreSparkJob.TASK_FAILURE_LOGGERS) {
        assertThat(context.getLogger(name).isEnabled(org.apache.logging.log4j.Level.ERROR)).as(name).isFalse();
      }
      // the job's other warnings still show
      assertThat(context.getLogger("org.apache.spark.SparkContext").isEnabled(org.apache.logging.log4j.Level.WARN))
          .isTrue();
    } finally {
      // this JVM runs the module's other Spark tests: their logging as it was
      added.forEach(config::removeLogger);
      config.getRootLogger().setLevel(root);
      context.updateLoggers();
    }
  }

  private static String[] append(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  @Test
  void existingOutput_isRefusedBeforeSparkStarts_unlessOverwrite() throws IOException {
    Path p = portfolio(PARQUET);
    Path out = Files.createDirectories(dir.resolve("scores.parquet"));
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", out.toString())).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: " + out + " already exists; pass --overwrite to replace it\n");
  }

  /**
   * A {@code --resume} that finds nothing to resume (no commit journal, no manifest) makes every
   * check of a fresh run: until 2026-12-07 it ran the job over an existing {@code --out} without
   * {@code --overwrite}, replacing a folder no run of the job wrote (its files deleted, exit 0).
   */
  @Test
  void resumeWithNothingToResume_overAnExistingOutput_isRefusedUnlessOverwrite() throws IOException {
    Path p = portfolio(PARQUET);
    Path out = Files.createDirectories(dir.resolve("keep"));
    Files.writeString(out.resolve("file.txt"), "important");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", out.toString(), "--resume"))
        .isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: " + out + " already exists; pass --overwrite to replace it\n");
    assertThat(stdout).isEmpty();
    assertThat(out.resolve("file.txt")).hasContent("important");
  }

  /**
   * A rerun with {@code --overwrite} and another manifest name than the run it replaces: the
   * earlier run's manifest of these scores ({@code s.parquet.manifest.json} after a run without
   * {@code --manifest-out}, or an earlier {@code --manifest-out} beside the new one) is found, to be
   * deleted by the commit with the old manifest; until 2026-12-07 it stayed beside the new scores
   * naming part files no longer there. Another run's manifest (the same part names and sizes in
   * another output folder included), another tool's and a file that is not JSON are kept, and so
   * is this run's own (deleted as the old manifest).
   */
  @Test
  void earlierManifestsOfTheScores_underAnotherName_areFound_othersKept() throws IOException {
    Path out = Files.createDirectories(dir.resolve("s.parquet"));
    Files.writeString(out.resolve("part-00000-aaa.snappy.parquet"), "scores");
    String ofThese = "{\"job\":\"chainscore-spark\",\"output\":\"s.parquet\",\"output_files\":"
        + "[{\"path\":\"part-00000-aaa.snappy.parquet\",\"bytes\":6}]}";
    Files.writeString(dir.resolve("s.parquet.manifest.json"), ofThese);
    Path runs = Files.createDirectories(dir.resolve("runs"));
    Files.writeString(runs.resolve("m1.json"), ofThese);
    Files.writeString(dir.resolve("other.json"), "{\"job\":\"chainscore-spark\",\"output\":\"t.parquet\","
        + "\"output_files\":[{\"path\":\"part-00000-bbb.snappy.parquet\",\"bytes\":6}]}");
    Files.writeString(dir.resolve("resized.json"), ofThese.replace("\"bytes\":6", "\"bytes\":7"));
    // the same part names and sizes in another run's output folder beside it (parts are named after
    // their bytes: two runs of one portfolio name theirs alike), kept
    Files.writeString(dir.resolve("same-bytes-elsewhere.json"), ofThese.replace("\"s.parquet\"", "\"t.parquet\""));
    Files.writeString(dir.resolve("score.json"), "{\"outputs\":[{\"path\":\"s.parquet\"}]}");
    Files.writeString(dir.resolve("notes.json"), "{not json");
    Configuration hadoop = new Configuration();
    org.apache.hadoop.fs.Path scores = new org.apache.hadoop.fs.Path(out.toString());
    assertThat(ChainScoreSparkJob.earlierManifestsOf(hadoop, scores,
        new org.apache.hadoop.fs.Path("file:" + runs.resolve("m2.json"))))
        .extracting(org.apache.hadoop.fs.Path::toString)
        .containsExactlyInAnyOrder("file:" + dir.resolve("s.parquet.manifest.json"), "file:" + runs.resolve("m1.json"));
    assertThat(ChainScoreSparkJob.earlierManifestsOf(hadoop, scores,
        new org.apache.hadoop.fs.Path("file:" + dir.resolve("s.parquet.manifest.json"))))
        .extracting(org.apache.hadoop.fs.Path::getName).isEmpty();
    assertThat(ChainScoreSparkJob.earlierManifestsOf(hadoop, new org.apache.hadoop.fs.Path(dir.resolve("new").toString()),
        new org.apache.hadoop.fs.Path("file:" + runs.resolve("m2.json")))).isEmpty();
  }

  /**
   * No output replaces an input, {@code --overwrite} or not, before Spark starts: until 2026-12-07
   * {@code --manifest-out p/suppliers.parquet} replaced the suppliers table with the manifest
   * (without {@code --overwrite}), and {@code --out} naming a table, or the portfolio's folder,
   * replaced or deleted it with {@code --overwrite}.
   */
  @Test
  void outputOverAnInput_isRefusedNamingBoth_overwriteOrNot() throws IOException {
    Path p = portfolio(PARQUET);
    String q = "file:" + p;
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString(),
        "--manifest-out", p.resolve("suppliers.parquet").toString())).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --manifest-out " + p.resolve("suppliers.parquet")
        + " is a file the run reads, the suppliers table (" + q + "/suppliers.parquet); a run never writes over its"
        + " input\n");
    assertThat(p.resolve("suppliers.parquet")).isEmptyFile();
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out",
        p.resolve("invoices.parquet").toString(), "--overwrite")).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --out " + p.resolve("invoices.parquet") + " is a file the run reads,"
        + " the invoices table (" + q + "/invoices.parquet); a run never writes over its input\n");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", p.toString(),
        "--overwrite")).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --out " + p + " holds a file the run reads, the anchors table ("
        + q + "/anchors.parquet); a run never writes over its input\n");
    Path model = Files.writeString(dir.resolve("bundle.json"), "{}");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString(),
        "--model", model.toString(), "--manifest-out", model.toString())).isEqualTo(2);
    assertThat(stderr).startsWith("chainscore-spark: --manifest-out " + model + " is a file the run reads, the --model"
        + " file");
    assertThat(stdout).isEmpty();
  }

  /**
   * An output that reaches an input through a link is refused as the same path written plainly is,
   * by the rule the command line applies ({@code FileIdentity}: links followed): until 2026-12-07
   * the job compared the paths as written, and {@code --manifest-out link/suppliers.parquet}, the
   * link pointing at the portfolio, replaced the suppliers table with the manifest (exit 0), where
   * {@code chainscore score} refused it.
   */
  @Test
  void outputOverAnInputThroughALink_isRefusedAsTheCommandLineRefusesIt() throws IOException {
    Path p = portfolio(PARQUET);
    Path link = Files.createSymbolicLink(dir.resolve("link"), p);
    String q = "file:" + p;
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString(),
        "--manifest-out", link.resolve("suppliers.parquet").toString())).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --manifest-out " + link.resolve("suppliers.parquet")
        + " is a file the run reads, the suppliers table (" + q + "/suppliers.parquet); a run never writes over its"
        + " input\n");
    assertThat(p.resolve("suppliers.parquet")).isEmptyFile();
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", link.toString(),
        "--overwrite")).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --out " + link + " holds a file the run reads, the anchors table ("
        + q + "/anchors.parquet); a run never writes over its input\n");
    Path model = Files.writeString(dir.resolve("bundle.json"), "{}");
    Path modelLink = Files.createSymbolicLink(dir.resolve("current.json"), model);
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString(),
        "--model", model.toString(), "--manifest-out", modelLink.toString())).isEqualTo(2);
    assertThat(stderr).startsWith("chainscore-spark: --manifest-out " + modelLink + " is a file the run reads, the"
        + " --model file");
    assertThat(model).hasContent("{}");
    assertThat(stdout).isEmpty();
  }

  /**
   * {@code --manifest-out} naming another output of the run, or a path inside one, is refused
   * before Spark starts: until 2026-12-07 {@code --manifest-out s.parquet} with {@code --out
   * s.parquet} had the commit rename the manifest over the scores just put in place, deleting them,
   * and say it wrote them (exit 0).
   */
  @Test
  void manifestOverAnotherOutput_isRefusedNamingBoth() throws IOException {
    Path p = portfolio(PARQUET);
    Path out = dir.resolve("s.parquet");
    String q = "file:" + out;
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", out.toString(),
        "--manifest-out", out.toString())).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --manifest-out " + out + " is another output of the run, --out "
        + out + " (" + q + "); each output needs a path of its own\n");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", out.toString(),
        "--manifest-out", out + ".quarantine-transactions")).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --manifest-out " + out + ".quarantine-transactions is another"
        + " output of the run, the transaction quarantine " + out + ".quarantine-transactions (" + q
        + ".quarantine-transactions); each output needs a path of its own\n");
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", out.toString(),
        "--manifest-out", out.resolve("run.json").toString())).isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: --manifest-out " + out.resolve("run.json") + " lies in another"
        + " output of the run, --out " + out + " (" + q + "); each output needs a path of its own\n");
    assertThat(stdout).isEmpty();
    assertThat(out).doesNotExist();
  }

  /**
   * A table directory without part files (only Spark's bookkeeping, or nothing) is refused as
   * {@code chainscore score} refuses it, in its words: until 2026-12-07 the job read it as an
   * empty table (an empty {@code deliveries.parquet/}: 0 deliveries, every supplier's delivery
   * features changed, exit 0).
   */
  @Test
  void tableDirectoryWithoutParts_isRefusedAsOnOneMachine() throws IOException {
    Path p = portfolio(PARQUET);
    Path deliveries = Files.createDirectories(p.resolve("deliveries.parquet"));
    Files.writeString(deliveries.resolve("_SUCCESS"), "");
    Files.createDirectories(deliveries.resolve("year=2025"));
    assertThat(execute("--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("o").toString()))
        .isEqualTo(2);
    assertThat(stderr).isEqualTo("chainscore-spark: " + deliveries + ": is a table directory without .parquet part"
        + " files\n");
    assertThat(stdout).isEmpty();
  }

  @Test
  void help_printsUsage_exitZero() {
    assertThat(execute("--help")).isZero();
    assertThat(stdout).startsWith("Usage: chainscore-spark --transactions DIR").contains("--model FILE|NAME")
        .contains("3 done, but rows were quarantined");
    assertThat(stderr).isEmpty();
    assertThat(execute("--bogus")).isEqualTo(2);
    assertThat(stderr).startsWith("chainscore-spark: unknown option '--bogus'").hasLineCount(1);
  }

  /** As {@code chainscore score}: 3 when any row was quarantined, and the line says how many and where. */
  @Test
  void quarantinedRows_exitThree_andTheLineSaysWhere() {
    java.util.Map<String, Object> m = new java.util.HashMap<>(java.util.Map.of("rows_out", 1990L,
        "output", "s.parquet", "transaction_rows_quarantined", 0L, "score_rows_quarantined", 0L,
        "transaction_quarantine", "s.parquet.quarantine-transactions"));
    assertThat(ChainScoreSparkJob.exitCode(m)).isZero();
    assertThat(ChainScoreSparkJob.successLine(m, "s.json")).isEqualTo("chainscore-spark: wrote 1990 scores to"
        + " s.parquet (manifest s.json)");
    m.put("transaction_rows_quarantined", 9L);
    assertThat(ChainScoreSparkJob.exitCode(m)).isEqualTo(3);
    assertThat(ChainScoreSparkJob.successLine(m, "s.json")).isEqualTo("chainscore-spark: wrote 1990 scores to"
        + " s.parquet (manifest s.json); quarantined 9 transaction rows (s.parquet.quarantine-transactions) and 0"
        + " score rows");
    m.put("transaction_rows_quarantined", 0L);
    m.put("score_rows_quarantined", 10L);
    m.put("quarantine", "s.parquet.quarantine");
    assertThat(ChainScoreSparkJob.exitCode(m)).isEqualTo(3);
    assertThat(ChainScoreSparkJob.successLine(m, "s.json")).endsWith("; quarantined 0 transaction rows"
        + " (s.parquet.quarantine-transactions) and 10 score rows (s.parquet.quarantine)");
  }

  /**
   * The default manifest goes beside the scores on their file system, a URI's scheme kept: a
   * {@code file://} URI as {@code --out} put it in a folder named {@code file:} under the working
   * directory. An explicit {@code --manifest-out} without a scheme is on the driver's file system.
   */
  @Test
  void defaultManifest_isBesideTheOutput_aUriTakenAsAUri() throws IOException {
    Configuration hadoop = new Configuration();
    ChainScoreSparkJob.Args uri = ChainScoreSparkJob.Args.parse("--transactions", "p", "--as-of", "2025-06-30",
        "--out", "file:///abs/runs/uri.parquet");
    assertThat(uri.manifest()).isNull();
    assertThat(ChainScoreSparkJob.manifestPath(uri, hadoop).toString())
        .isEqualTo("file:/abs/runs/uri.parquet.manifest.json");
    ChainScoreSparkJob.Args relative = ChainScoreSparkJob.Args.parse("--transactions", "p", "--as-of", "2025-06-30",
        "--out", "runs/s.parquet");
    assertThat(ChainScoreSparkJob.manifestPath(relative, hadoop).toString())
        .isEqualTo("file:" + Path.of("runs/s.parquet.manifest.json").toAbsolutePath());
    ChainScoreSparkJob.Args given = ChainScoreSparkJob.Args.parse("--transactions", "p", "--as-of", "2025-06-30",
        "--out", "hdfs://nn/s.parquet", "--manifest-out", "/var/run.json");
    assertThat(ChainScoreSparkJob.manifestPath(given, hadoop).toString()).isEqualTo("file:/var/run.json");
  }

  /** The manifest's tables are keyed as the quarantine's and chainscore score's, every one with 0 for none. */
  @Test
  void manifestCountsPerTable_everyTableSingular_zeroForNone() {
    assertThat(io.chainscore.batch.features.PortfolioFeatures.everyTable(
        java.util.Map.of("invoice", 8L, "credit_note", 1L))).isEqualTo(
        java.util.Map.of("anchor", 0L, "supplier", 0L, "loan", 0L, "credit_note", 1L, "dispute", 0L, "invoice", 8L,
            "instalment", 0L, "delivery", 0L));
    assertThat(ChainScoreSparkJob.TABLE_KEYS.keySet()).containsExactlyInAnyOrderElementsOf(EngineReads.SCHEMAS.keySet());
    assertThat(ChainScoreSparkJob.TABLE_KEYS.values())
        .containsExactlyInAnyOrderElementsOf(io.chainscore.batch.features.PortfolioFeatures.QUARANTINE_TABLES);
  }

  /** A refusal raised in a task reaches the driver inside Spark's exception: still exit 2, its own line. */
  @Test
  void refusalInsideSparksException_isARefusal_otherErrorsAreFailures() {
    InputFormatException refusal = new InputFormatException("p/invoices.parquet", 0, "amount", "has Arrow type Utf8");
    SparkException wrapped = new SparkException("Job aborted due to stage failure: ...\n== Physical Plan ==\n...",
        new RuntimeException("task", refusal));
    assertThat(ChainScoreSparkJob.refusal(wrapped)).isSameAs(refusal);
    assertThat(ChainScoreSparkJob.refusal(new IllegalStateException("x", new IOException("disk")))).isNull();
  }
}

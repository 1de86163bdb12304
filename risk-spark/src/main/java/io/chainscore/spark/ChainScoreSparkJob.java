package io.chainscore.spark;

import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.batch.io.FileIdentity;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.tables.InputFormatException;
import io.chainscore.tables.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The {@code spark-submit} entry point: reads a portfolio's transactions in Parquet, computes the
 * standard features per supplier partition, scores them with a model bundle and writes the scores
 * (the columns of {@code chainscore score}) as Parquet, atomically, with a run manifest.
 *
 * <pre>
 * spark-submit --class io.chainscore.spark.ChainScoreSparkJob --master local[*] \
 *   risk-spark/target/chainscore-spark.jar \
 *   --transactions DIR --as-of 2025-06-30 --out scores.parquet [--model bundle.json]
 *   [--manifest-out scores.manifest.json] [--partitions N] [--supplier-partitioning auto|ranges|shuffle]
 *   [--no-duplicate-check] [--overwrite | --resume]
 * </pre>
 *
 * <p>Output: the scores directory at {@code --out}, the refused transaction rows at {@code
 * --out}{@code .quarantine-transactions} (always written, also when empty; columns {@link
 * SparkFeatures#QUARANTINE_SCHEMA}), quarantined score rows at {@code --out}{@code .quarantine}
 * when there are any, and the manifest (rows in and out, quarantined per table, model id and
 * SHA-256, timings), committed as one set ({@link OutputCommit}): each written under a temporary
 * name beside its target, the old manifest deleted before the first rename, an earlier run's
 * quarantine this run does not write deleted, the manifest written last. {@code --resume} finishes
 * a commit that a kill or a failure stopped (from its journal, without Spark and without computing
 * again), reports a finished run of the same job on unchanged inputs as done, and otherwise runs
 * the job (Spark keeps no work across applications: an interrupted computation starts again).
 *
 * <p>Thread safety: one run per instance; not for concurrent use.
 */
public final class ChainScoreSparkJob {
  /** The command-line options of a run; {@code manifest} is null when not given ({@link #manifestPath}). */
  public record Args(String transactions, LocalDate asOf, String out, String model, String manifest,
      int partitions, boolean checkDuplicateInvoices, boolean overwrite, String master, boolean resume,
      SparkFeatures.Partitioning partitioning, boolean requireSigned, String trust) {

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the option at fault and what was expected
     */
    public static Args parse(String... args) {
      Map<String, String> values = new LinkedHashMap<>();
      boolean noDuplicateCheck = false;
      boolean overwrite = false;
      boolean resume = false;
      boolean requireSigned = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--no-duplicate-check" -> noDuplicateCheck = true;
          case "--overwrite" -> overwrite = true;
          case "--resume" -> resume = true;
          case "--require-signed" -> requireSigned = true;
          case "--transactions", "--as-of", "--out", "--model", "--manifest-out", "--manifest", "--partitions", "--master",
              "--supplier-partitioning", "--trust" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(a + " needs a value");
            }
            // --manifest is the name --manifest-out had before the CLI's flag convention; still accepted.
            values.put(a.equals("--manifest") ? "--manifest-out" : a, args[++i]);
          }
          default -> throw new IllegalArgumentException("unknown option '" + a + "'; expected " + USAGE);
        }
      }
      for (String required : new String[] {"--transactions", "--as-of", "--out"}) {
        if (!values.containsKey(required)) {
          throw new IllegalArgumentException(required + " is required; usage: " + USAGE);
        }
      }
      LocalDate asOf;
      try {
        asOf = LocalDate.parse(values.get("--as-of"));
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("--as-of: expected YYYY-MM-DD, got '" + values.get("--as-of") + "'");
      }
      int partitions = 0;
      if (values.containsKey("--partitions")) {
        try {
          partitions = Integer.parseInt(values.get("--partitions"));
        } catch (NumberFormatException e) {
          partitions = -1;
        }
        if (partitions < 1) {
          throw new IllegalArgumentException("--partitions: expected a whole number >= 1, got '"
              + values.get("--partitions") + "'");
        }
      }
      if (overwrite && resume) {
        throw new IllegalArgumentException("--overwrite and --resume: choose one (--overwrite discards an interrupted"
            + " run; --resume finishes it)");
      }
      SparkFeatures.Partitioning partitioning = SparkFeatures.Partitioning.parse(
          values.getOrDefault("--supplier-partitioning", "auto"));
      String out = values.get("--out");
      return new Args(values.get("--transactions"), asOf, out, values.get("--model"),
          values.get("--manifest-out"), partitions, !noDuplicateCheck, overwrite,
          values.get("--master"), resume, partitioning, requireSigned, values.get("--trust"));
    }
  }

  static final String USAGE = "--transactions DIR --as-of YYYY-MM-DD --out PATH [--model FILE|NAME] [--manifest-out FILE]"
      + " [--partitions N] [--supplier-partitioning auto|ranges|shuffle] [--no-duplicate-check] [--overwrite | --resume]"
      + " [--require-signed] [--trust KEYS] [--master URL]";

  /** What {@code --help} prints. */
  static final String HELP = "Usage: chainscore-spark " + USAGE + "\n"
      + "Scores a portfolio of Parquet tables (the layout of chainscore generate --format parquet) on Spark.\n"
      + "  --transactions DIR    the portfolio directory (Parquet tables only)\n"
      + "  --as-of YYYY-MM-DD    the scoring date\n"
      + "  --out PATH            the scores' Parquet directory (local path, hdfs://, file://, ...)\n"
      + "  --model FILE|NAME     a bundle file, or a bundled model ("
      + String.join(", ", DefaultModels.names()) + "); default " + DefaultModels.SCORECARD + "\n"
      + "  --manifest-out FILE   the run manifest; default PATH.manifest.json\n"
      + "  --require-signed      refuse a model bundle that no --trust key signed (its signature is FILE.sig,\n"
      + "                        written by chainscore sign, read beside it; golden rows required)\n"
      + "  --trust KEYS          trusted Ed25519 public keys on the driver: a PEM file, or a directory of .pub/.pem\n"
      + "                        files; implies --require-signed\n"
      + "  --partitions N        supplier partitions; default spark.sql.shuffle.partitions\n"
      + "  --supplier-partitioning auto|ranges|shuffle\n"
      + "                        how rows reach their supplier's task: auto (default) reads supplier ranges\n"
      + "                        without a shuffle when the files are clustered by supplier, else shuffles;\n"
      + "                        ranges or shuffle force one (the same results, another cost)\n"
      + "  --no-duplicate-check  do not refuse repeated invoice ids\n"
      + "  --overwrite           replace the outputs of an earlier run\n"
      + "  --resume              finish a run whose commit was interrupted (no recomputation); report a finished\n"
      + "                        run of the same job on unchanged inputs as done; otherwise run the job\n"
      + "  --master URL          Spark's master, when spark-submit does not give one\n"
      + "Exit codes: 0 done; 1 failure (an I/O or internal error); 2 bad options or bad input (one line naming\n"
      + "the file, row and column); 3 done, but rows were quarantined.";

  private ChainScoreSparkJob() {}

  /** Runs the job and exits with {@link #execute}'s code. */
  public static void main(String[] argv) {
    System.exit(execute(argv, System.out, System.err));
  }

  /**
   * Runs the job as the command line does: the exit code (0 done, 1 failure, 2 bad options or bad
   * input, 3 done with quarantined rows), one line on {@code err} for a refusal or failure (never a
   * stack trace), the success line on {@code out}. Options, the portfolio's tables, the output
   * and the model are checked before Spark starts.
   */
  static int execute(String[] argv, java.io.PrintStream out, java.io.PrintStream err) {
    if (java.util.Arrays.asList(argv).contains("--help") || java.util.Arrays.asList(argv).contains("-h")) {
      out.println(HELP);
      return 0;
    }
    Args args;
    ModelBundle bundle;
    org.apache.spark.SparkConf userConf = new org.apache.spark.SparkConf();
    try {
      args = Args.parse(argv);
      Configuration hadoop = hadoopConfiguration(userConf);
      bundle = preflight(args, hadoop);
      if (args.resume()) {
        // an interrupted commit is finished, and a finished run reported, without starting Spark
        Resumed resumed = resume(args, hadoop, bundle);
        if (resumed != null) {
          out.println(resumed.line());
          return exitCode(resumed.manifest());
        }
      }
    } catch (Exception e) {
      return fail(e, err);
    }
    SparkSession.Builder builder = SparkSession.builder().appName("chainscore");
    Map<String, String> defaults = safeDefaults(userConf);
    defaults.forEach(builder::config);
    if (defaults.containsKey("spark.log.level")) {
      quietStartUp(userConf);
    }
    if (args.master() != null) {
      builder.master(args.master());
    }
    SparkSession spark = null;
    try {
      spark = builder.getOrCreate();
      Map<String, Object> manifest = run(spark, args, bundle);
      out.println(successLine(manifest, manifestPath(args, spark.sparkContext().hadoopConfiguration()).toString()));
      return exitCode(manifest);
    } catch (Exception e) {
      return fail(e, err);
    } finally {
      if (spark != null) {
        spark.stop();
      }
    }
  }

  /**
   * The exit code of a finished run, as {@code chainscore score}'s: 3 when rows were quarantined
   * (transaction rows refused, or feature rows the model refused), else 0.
   */
  static int exitCode(Map<String, Object> manifest) {
    return quarantined(manifest, "transaction_rows_quarantined") + quarantined(manifest, "score_rows_quarantined") > 0
        ? 3 : 0;
  }

  private static long quarantined(Map<String, Object> manifest, String key) {
    return ((Number) manifest.get(key)).longValue();
  }

  /** The line a finished run prints: the scores written and where, and the rows quarantined and where. */
  static String successLine(Map<String, Object> manifest, String manifestFile) {
    return "chainscore-spark: " + written(manifest, manifestFile);
  }

  /** What a run wrote, as the success line says it: {@code wrote N scores to OUT (manifest M)...}. */
  private static String written(Map<String, Object> manifest, String manifestFile) {
    StringBuilder line = new StringBuilder("wrote " + manifest.get("rows_out") + " scores to "
        + manifest.get("output") + " (manifest " + manifestFile + ")");
    long transactions = quarantined(manifest, "transaction_rows_quarantined");
    long scores = quarantined(manifest, "score_rows_quarantined");
    if (transactions + scores > 0) {
      line.append("; quarantined ").append(transactions).append(" transaction rows (")
          .append(manifest.get("transaction_quarantine")).append(")");
      line.append(scores > 0 ? " and " + scores + " score rows (" + manifest.get("quarantine") + ")"
          : " and 0 score rows");
    }
    return line.toString();
  }

  /** Prints {@code e} as one line on {@code err}; its exit code: 2 for a {@link #refusal}, else 1. */
  private static int fail(Exception e, java.io.PrintStream err) {
    Throwable refusal = refusal(e);
    if (refusal != null) {
      // a missing file's exception holds its path alone ("--trust keys/": "keys/"): said as
      // chainscore's commands say it
      err.println("chainscore-spark: " + (refusal instanceof java.nio.file.NoSuchFileException missing
          ? "no such file: " + missing.getFile() : firstLine(refusal.getMessage())));
      return 2;
    }
    err.println("chainscore-spark: failed: " + e.getClass().getName() + ": " + firstLine(e.getMessage()));
    return 1;
  }

  /**
   * The refusal of bad options or bad input in {@code e} or its causes (an {@link
   * InputFormatException} raised in a Spark task arrives wrapped in Spark's exception), or null
   * when {@code e} is a failure: the exit code is 2 for a refusal, 1 otherwise.
   */
  static Throwable refusal(Throwable e) {
    if (e instanceof IllegalArgumentException || e instanceof ModelFormatException
        || e instanceof java.io.FileNotFoundException || e instanceof java.nio.file.NoSuchFileException
        || e instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
      return e;
    }
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof InputFormatException) {
        return t;
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /**
   * The Hadoop configuration the job's session will have ({@code spark.hadoop.*} of {@code conf}
   * over Hadoop's defaults and site files), for the checks made before Spark starts.
   */
  static Configuration hadoopConfiguration(org.apache.spark.SparkConf conf) {
    Configuration hadoop = new Configuration();
    for (scala.Tuple2<String, String> kv : conf.getAllWithPrefix("spark.hadoop.")) {
      hadoop.set(kv._1(), kv._2());
    }
    return hadoop;
  }

  /**
   * The checks that need no Spark: the portfolio's tables ({@link #checkTables}), the output
   * (refused when it exists without {@code --overwrite}) and the model, which it returns.
   *
   * @throws InputFormatException naming a table file the job cannot read
   * @throws java.io.FileNotFoundException naming a missing table, portfolio or model file
   * @throws org.apache.hadoop.fs.FileAlreadyExistsException when the output exists without {@code --overwrite}
   * @throws ModelFormatException when the model file is not a valid bundle
   */
  static ModelBundle preflight(Args args, Configuration hadoop) throws IOException, ModelFormatException {
    checkTables(hadoop, args.transactions());
    refuseOutputsOverInputs(args, hadoop);
    if (!args.resume()) {
      // with --resume, checked by resume() once it finds nothing to resume
      refuseExistingOutput(args, hadoop);
    }
    return readBundle(hadoop, args.model(), args.requireSigned(), args.trust());
  }

  /**
   * Refuses an existing {@code --out} without {@code --overwrite}: a fresh run's check, also made
   * by a {@code --resume} that finds nothing to resume (no journal, no manifest), which would
   * otherwise replace a folder no run of the job wrote.
   *
   * @throws org.apache.hadoop.fs.FileAlreadyExistsException when the output exists without {@code --overwrite}
   */
  static void refuseExistingOutput(Args args, Configuration hadoop) throws IOException {
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(args.out());
    if (out.getFileSystem(hadoop).exists(out) && !args.overwrite()) {
      throw new org.apache.hadoop.fs.FileAlreadyExistsException(
          args.out() + " already exists; pass --overwrite to replace it");
    }
  }

  /**
   * Refuses, {@code --overwrite} or not, an output of the run ({@code --out}, its two quarantines,
   * the manifest) that is a file the run reads (a table of the portfolio, the {@code --model}
   * file), lies in a table's directory, or holds a table (the portfolio's directory or a folder
   * above it): its commit would delete that input. No output replaces an input, as for every
   * command of {@code chainscore}; until 2026-12-07 {@code --manifest-out p/suppliers.parquet}
   * replaced the suppliers table with the manifest, without {@code --overwrite}. Nor may the
   * manifest be another output or lie in one (until 2026-12-07 {@code --manifest-out} equal to
   * {@code --out} had the commit delete the staged scores, after all the work, exit 1).
   *
   * @throws IllegalArgumentException naming the output and the input, or the two outputs
   */
  static void refuseOutputsOverInputs(Args args, Configuration hadoop) throws IOException {
    org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(args.transactions());
    FileSystem inFs = base.getFileSystem(hadoop);
    Map<String, org.apache.hadoop.fs.Path> inputs = new LinkedHashMap<>();
    for (TableSchema layout : EngineReads.TABLES) {
      for (String ext : PortfolioFeatures.TABLE_EXTENSIONS) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(base, layout.name() + "." + ext);
        if (inFs.exists(p)) {
          inputs.put("the " + layout.name() + " table", inFs.makeQualified(p));
        }
      }
    }
    if (args.model() != null) {
      org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(args.model());
      FileSystem modelFs = model.getFileSystem(hadoop);
      if (modelFs.isFile(model)) {
        inputs.put("the --model file", modelFs.makeQualified(model));
        org.apache.hadoop.fs.Path signature = new org.apache.hadoop.fs.Path(model.getParent(), model.getName() + ".sig");
        if (args.trust() != null && modelFs.exists(signature)) {
          inputs.put("the --model file's signature", modelFs.makeQualified(signature));
        }
      }
    }
    if (args.trust() != null) {
      // the trust store is read on the driver from its local file system
      inputs.put("--trust " + args.trust(), FileSystem.getLocal(hadoop).makeQualified(
          new org.apache.hadoop.fs.Path(java.nio.file.Path.of(args.trust()).toAbsolutePath().toString())));
    }
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(args.out());
    FileSystem outFs = out.getFileSystem(hadoop);
    Map<String, org.apache.hadoop.fs.Path> outputs = new LinkedHashMap<>();
    outputs.put("--out " + args.out(), outFs.makeQualified(out));
    outputs.put("the transaction quarantine " + args.out() + TRANSACTION_QUARANTINE_SUFFIX,
        outFs.makeQualified(new org.apache.hadoop.fs.Path(args.out() + TRANSACTION_QUARANTINE_SUFFIX)));
    outputs.put("the score quarantine " + args.out() + QUARANTINE_SUFFIX,
        outFs.makeQualified(new org.apache.hadoop.fs.Path(args.out() + QUARANTINE_SUFFIX)));
    org.apache.hadoop.fs.Path manifest = manifestPath(args, hadoop);
    String manifestLabel = args.manifest() != null ? "--manifest-out " + args.manifest() : "the manifest " + manifest;
    outputs.put(manifestLabel, manifest.getFileSystem(hadoop).makeQualified(manifest));
    for (Map.Entry<String, org.apache.hadoop.fs.Path> output : outputs.entrySet()) {
      for (Map.Entry<String, org.apache.hadoop.fs.Path> input : inputs.entrySet()) {
        String clash = clash(output.getValue(), input.getValue(), " is a file the run reads, ",
            " lies in a folder the run reads, ", " holds a file the run reads, ");
        if (clash != null) {
          throw new IllegalArgumentException(output.getKey() + clash + input.getKey() + " (" + input.getValue()
              + "); a run never writes over its input");
        }
      }
    }
    // the manifest, the one output named freely (the others are --out and its suffixes), is none
    // of the others and lies in none of them: the commit's renames would replace one with the other
    org.apache.hadoop.fs.Path m = outputs.remove(manifestLabel);
    for (Map.Entry<String, org.apache.hadoop.fs.Path> output : outputs.entrySet()) {
      String clash = clash(m, output.getValue(), " is another output of the run, ",
          " lies in another output of the run, ", null);
      if (clash != null) {
        throw new IllegalArgumentException(manifestLabel + clash + output.getKey() + " (" + output.getValue()
            + "); each output needs a path of its own");
      }
    }
  }

  /**
   * How the qualified path {@code a} meets {@code b}: {@code same} when they name one file, {@code
   * inside} when {@code a} lies in the folder {@code b}, {@code holds} (when not null) when {@code
   * b} lies in {@code a}; null when they are apart. Local paths are compared as the file system
   * resolves them, by the rule {@code chainscore}'s commands apply ({@link FileIdentity}: links
   * followed, so a path through a link to the portfolio's folder names the table it reaches; until
   * 2026-12-07 the job compared the paths as written, and {@code --manifest-out link/suppliers.parquet}
   * replaced the suppliers table), other file systems' by their qualified URIs.
   */
  private static String clash(org.apache.hadoop.fs.Path a, org.apache.hadoop.fs.Path b, String same, String inside,
      String holds) {
    boolean local = "file".equals(a.toUri().getScheme()) && "file".equals(b.toUri().getScheme());
    if (local && FileIdentity.sameFile(java.nio.file.Path.of(a.toUri()), java.nio.file.Path.of(b.toUri()))) {
      return same;
    }
    String x = resolved(a);
    String y = resolved(b);
    return x.equals(y) ? same : x.startsWith(y + "/") ? inside : holds != null && y.startsWith(x + "/") ? holds : null;
  }

  /**
   * Checks that every table of the portfolio under {@code dir} that is there is in Parquet
   * ({@code NAME.parquet}, a file or a directory of part files), and that the required ones are
   * there: a table in another format ({@link PortfolioFeatures#TABLE_EXTENSIONS}) would otherwise
   * be passed over (an event table) or refused in Spark's words (a required one), and every score
   * would change without a word.
   *
   * @throws InputFormatException naming a table file in another format, or a table there twice
   * @throws java.io.FileNotFoundException naming the portfolio directory, or a required table's file
   */
  static void checkTables(Configuration hadoop, String dir) throws IOException {
    org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(dir);
    FileSystem fs = base.getFileSystem(hadoop);
    if (!fs.exists(base) || !fs.getFileStatus(base).isDirectory()) {
      throw new java.io.FileNotFoundException("no such directory: " + dir);
    }
    for (TableSchema layout : EngineReads.TABLES) {
      org.apache.hadoop.fs.Path found = null;
      for (String ext : PortfolioFeatures.TABLE_EXTENSIONS) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(base, layout.name() + "." + ext);
        if (fs.exists(p)) {
          if (found != null) {
            throw new InputFormatException(dir, -1, null, "the " + layout.name() + " table is there twice, as "
                + found.getName() + " and " + p.getName() + "; remove one");
          }
          found = p;
        }
      }
      if (found == null) {
        if (EngineReads.isRequired(layout)) {
          throw new java.io.FileNotFoundException("no such file: "
              + new org.apache.hadoop.fs.Path(base, layout.name() + ".parquet"));
        }
      } else if (!found.getName().endsWith(".parquet")) {
        throw new InputFormatException(found.toString(), -1, null,
            "the Spark job reads Parquet tables only; convert it or run chainscore score");
      } else if (fs.getFileStatus(found).isDirectory() && !holdsPart(fs, found)) {
        // as the single-machine reader refuses it (PartFiles), in its words: read as an empty
        // table, an event table's features would change without a word
        throw new InputFormatException(found.toString(), -1, null, "is a table directory without .parquet part files");
      }
    }
  }

  /** Whether the table directory {@code table} holds a file the job reads (one no part of whose path below it starts with {@code _} or {@code .}). */
  private static boolean holdsPart(FileSystem fs, org.apache.hadoop.fs.Path table) throws IOException {
    String root = fs.makeQualified(table).toUri().getPath();
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(table, true);
    while (it.hasNext()) {
      String below = it.next().getPath().toUri().getPath().substring(root.length());
      if (java.util.Arrays.stream(below.split("/")).noneMatch(part -> part.startsWith("_") || part.startsWith("."))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Settings the job applies unless the user gave them ({@code --conf}, {@code -Dspark.*}): the web
   * UI is off, because it listens on every interface of the driver by default and the job needs
   * none; Spark logs warnings and errors only ({@code spark.log.level=WARN}), so that the job's one
   * line of refusal or failure is not buried under Spark's informational lines, unless the user
   * set a level or a log4j configuration of their own. A user who wants them sets {@code
   * spark.ui.enabled=true} or {@code spark.log.level=INFO}.
   */
  static Map<String, String> safeDefaults(org.apache.spark.SparkConf userConf) {
    Map<String, String> defaults = new java.util.LinkedHashMap<>();
    if (!userConf.contains("spark.ui.enabled")) {
      defaults.put("spark.ui.enabled", "false");
    }
    if (!userConf.contains("spark.log.level") && !userLogging()) {
      defaults.put("spark.log.level", "WARN");
    }
    return defaults;
  }

  /**
   * The job's default log level (WARN, {@link #safeDefaults}) set before Spark starts, not after
   * its first lines: {@code spark.log.level} takes effect part way through the start of Spark's
   * context, after it has logged its version, operating system and Java at INFO (three lines a
   * user of the job printed before its result until 2026-12-07), and Spark prints "Setting Spark
   * log level" when it changes the level. Also at ERROR: Spark's warning that it shortened a plan's
   * text, which says nothing to the job's user (the feature table has more columns than Spark
   * writes out in full). Only when the user configured no logging (the caller checks). If the
   * cluster's logging is not log4j 2, or its Spark lacks the methods used, Spark's own {@code
   * spark.log.level} does it a few lines later, as before.
   */
  static void quietStartUp(org.apache.spark.SparkConf conf) {
    try {
      // Spark's default logging set up now, silently: spark-submit resets it before it runs the job
      // (Logging.uninitialize), and Spark's context would set it up again at INFO on its first line.
      conf.initializeLogIfNecessary(false, true);
      // Spark's classes' logging context (under spark-submit this job's classes have a loader of their own)
      var context = (org.apache.logging.log4j.core.LoggerContext)
          org.apache.logging.log4j.LogManager.getContext(SparkSession.class.getClassLoader(), false);
      var config = context.getConfiguration();
      config.getRootLogger().setLevel(org.apache.logging.log4j.Level.WARN);
      setLevel(config, "org.apache.spark.util.SparkStringUtils", org.apache.logging.log4j.Level.ERROR);
      if (System.getenv("CHAINSCORE_DEBUG") == null) {
        for (String taskFailures : TASK_FAILURE_LOGGERS) {
          setLevel(config, taskFailures, org.apache.logging.log4j.Level.OFF);
        }
      }
      context.updateLoggers();
    } catch (LinkageError | RuntimeException e) {
      // another logging back end: nothing to do here
    }
  }

  /**
   * Spark's loggers that report a failed task with its stack trace, at ERROR (the executor's
   * "Exception in task", the scheduler's "Lost task" and "aborting job", the writer's "Aborting
   * job" with the driver's trace): silenced by {@link #quietStartUp} unless {@code CHAINSCORE_DEBUG}
   * is set, as {@code chainscore} prints stack traces only then. The job's one line says what
   * failed (a file refused in the tasks: its name and what is wrong, exit 2); until 2026-12-07 a
   * corrupt page of a table printed some 90 lines of these before it.
   */
  static final List<String> TASK_FAILURE_LOGGERS = List.of("org.apache.spark.executor.Executor",
      "org.apache.spark.scheduler.TaskSetManager", "org.apache.spark.sql.execution.datasources.FileFormatWriter");

  private static void setLevel(org.apache.logging.log4j.core.config.Configuration config, String logger,
      org.apache.logging.log4j.Level level) {
    if (config.getLoggerConfig(logger).getName().equals(logger)) {
      config.getLoggerConfig(logger).setLevel(level);
    } else {
      config.addLogger(logger, new org.apache.logging.log4j.core.config.LoggerConfig(logger, level, true));
    }
  }

  /** Whether the user configured log4j: a configuration file named by property, or one on the class path. */
  static boolean userLogging() {
    ClassLoader loader = ChainScoreSparkJob.class.getClassLoader();
    return System.getProperty("log4j2.configurationFile") != null
        || System.getProperty("log4j.configurationFile") != null
        || loader.getResource("log4j2.properties") != null || loader.getResource("log4j2.xml") != null;
  }

  /**
   * Runs the job on {@code spark} and writes the manifest; with {@code --resume}, first finishes an
   * interrupted commit or reports a finished run of the job ({@link #resume}), as the command does.
   *
   * @return the manifest's content
   */
  public static Map<String, Object> run(SparkSession spark, Args args) throws IOException, ModelFormatException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    ModelBundle bundle = preflight(args, hadoop);
    if (args.resume()) {
      Resumed resumed = resume(args, hadoop, bundle);
      if (resumed != null) {
        return resumed.manifest();
      }
    }
    return run(spark, args, bundle, SparkFeatures.RangeOptions.DEFAULT);
  }

  /**
   * {@link #run(SparkSession, Args)} with the supplier ranges cut and read as {@code ranges} says
   * (the benchmark's experiments with the read limit), without {@code --resume}.
   */
  static Map<String, Object> run(SparkSession spark, Args args, SparkFeatures.RangeOptions ranges)
      throws IOException, ModelFormatException {
    return run(spark, args, preflight(args, spark.sparkContext().hadoopConfiguration()), ranges);
  }

  /** {@link #run(SparkSession, Args)} with the model {@link #preflight} returned. */
  static Map<String, Object> run(SparkSession spark, Args args, ModelBundle bundle) throws IOException {
    return run(spark, args, bundle, SparkFeatures.RangeOptions.DEFAULT);
  }

  private static Map<String, Object> run(SparkSession spark, Args args, ModelBundle bundle,
      SparkFeatures.RangeOptions ranges) throws IOException {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    int partitions = args.partitions() > 0 ? args.partitions()
        : Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions", "200"));

    // an existing --out without --overwrite was refused by preflight, before Spark started
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(args.out());
    FileSystem fs = out.getFileSystem(hadoop);
    List<Map<String, Object>> inputs = inputFiles(hadoop, args.transactions());
    // a journal of an earlier commit that --resume did not finish is void: this run stages anew
    org.apache.hadoop.fs.Path journal = OutputCommit.journalOf(manifestPath(args, hadoop));
    journal.getFileSystem(hadoop).delete(journal, false);

    // computeParquet() already runs jobs (the duplicate check and, with adaptive execution, the
    // shuffle by supplier), so the features' time starts here, not at the write.
    long t1 = System.nanoTime();
    SparkFeatures.Features features = SparkFeatures.computeParquet(spark, args.transactions(),
        new SparkFeatures.Options(args.asOf(), partitions, args.checkDuplicateInvoices(),
            io.chainscore.features.StandardFeatures.REGIONS, args.partitioning(), ranges).withScoring(bundle));
    // From the files' footers (or compute()'s one job of keyless counts): no count job per table here.
    // Keyed as the quarantine's table column and chainscore score's manifest name the tables
    // (invoice, credit_note, ...), so rows read and rows refused line up per table.
    Map<String, Long> read = new LinkedHashMap<>();
    features.rowsIn().forEach((table, rows) -> read.put(TABLE_KEYS.get(table), rows));
    Map<String, Long> rowsIn = PortfolioFeatures.everyTable(read);
    // Scored in the engine's tasks, straight from each partition's feature matrix, and persisted with
    // the engine's output: written and counted from it. (A bundle that reads a column otherwise than
    // the feature table types it: the feature table scored, written and counted, each time scored
    // again from the persisted engine output.)
    Dataset<Row> scored = features.scored() != null ? features.scored()
        : SparkScoring.scoreWithQuarantine(features.table(), bundle, args.asOf());
    SparkFeatures.Kept transactionRefusedKept = null;
    OutputCommit commit = new OutputCommit();
    boolean committed = false;
    try {
      org.apache.hadoop.fs.Path temp = commit.stage(fs, out);
      scored.filter(functions.col(SparkScoring.QUARANTINE_REASON).isNull())
          .drop(SparkScoring.QUARANTINE_COLUMN, SparkScoring.QUARANTINE_REASON)
          .write().mode(SaveMode.ErrorIfExists).parquet(temp.toString());
      // the part files written, named after their bytes (OutputCommit#nameAfterContent says why),
      // each with its size and SHA-256, for whoever reads the scores back against the manifest
      // (score --baseline, monitor --runs), as chainscore score lists its files
      List<Map<String, Object>> outputFiles = OutputCommit.nameAfterContent(fs, temp);
      long t2 = System.nanoTime();
      // Read from the persisted engine output the scores were computed from: the engine runs once.
      org.apache.hadoop.fs.Path transactionQuarantine =
          new org.apache.hadoop.fs.Path(args.out() + TRANSACTION_QUARANTINE_SUFFIX);
      org.apache.hadoop.fs.Path transactionTemp = commit.stage(fs, transactionQuarantine);
      // the transaction quarantine, made once the engine has run (Features#quarantine), resolved
      // once, written and counted by table from its kept rows
      transactionRefusedKept = SparkFeatures.keep(spark, features.quarantine());
      Dataset<Row> transactionRefused = transactionRefusedKept.rows();
      transactionRefused.write().mode(SaveMode.ErrorIfExists).parquet(transactionTemp.toString());
      OutputCommit.nameAfterContent(fs, transactionTemp);
      Map<String, Long> refusedCounts = new LinkedHashMap<>();
      long refusedTransactions = 0;
      // Counted from the persisted quarantine that was written (neither the engine nor the
      // quarantine's joins run again), not read back: Spark's reader passes over the hidden
      // temporary folder.
      for (Row r : transactionRefused.groupBy("table").count().collectAsList()) {
        refusedCounts.put(r.getString(0), r.getLong(1));
        refusedTransactions += r.getLong(1);
      }
      Map<String, Long> refusedByTable = PortfolioFeatures.everyTable(refusedCounts);
      Dataset<Row> refused = scored.filter(functions.col(SparkScoring.QUARANTINE_REASON).isNotNull())
          .select("supplier_id", SparkScoring.QUARANTINE_COLUMN, SparkScoring.QUARANTINE_REASON);
      // the rows scored and the rows refused, in one job
      long refusedRows = 0;
      long rowsOut = 0;
      for (Row r : scored.groupBy(functions.col(SparkScoring.QUARANTINE_REASON).isNull().as("_scored")).count()
          .collectAsList()) {
        if (r.getBoolean(0)) {
          rowsOut = r.getLong(1);
        } else {
          refusedRows = r.getLong(1);
        }
      }
      org.apache.hadoop.fs.Path quarantine = new org.apache.hadoop.fs.Path(args.out() + QUARANTINE_SUFFIX);
      if (refusedRows > 0) {
        org.apache.hadoop.fs.Path quarantineTemp = commit.stage(fs, quarantine);
        refused.write().mode(SaveMode.ErrorIfExists).parquet(quarantineTemp.toString());
        OutputCommit.nameAfterContent(fs, quarantineTemp);
      } else {
        // none to write: an earlier run's quarantine is deleted by the commit, not left beside these scores
        OutputCommit.deleteLeftovers(fs, quarantine);
      }
      long t3 = System.nanoTime();

      Map<String, Object> m = new LinkedHashMap<>();
      // the ChainScore version, as the command line's manifests give it (RunManifest's tool field)
      m.put("tool", io.chainscore.batch.engine.RunManifest.tool(ChainScoreSparkJob.class));
      m.put("job", "chainscore-spark");
      m.put("started", started.toString());
      m.put("finished", Instant.now().toString());
      m.put("spark_version", spark.version());
      m.put("master", spark.sparkContext().master());
      m.put("application_id", spark.sparkContext().applicationId());
      m.put("transactions", args.transactions());
      // every file of the tables, as listed when the run started: what --resume compares
      m.put("inputs", inputs);
      m.put("as_of", args.asOf().toString());
      m.put("partitions", partitions);
      m.put("duplicate_check", args.checkDuplicateInvoices());
      // the zone whose dates a date column stored as instants was read as, by either reader
      m.put("session_time_zone", spark.sessionState().conf().sessionLocalTimeZone());
      // which Parquet reader read the transactions in the tasks: the batch engine's ("engine") or,
      // for files it does not decode or too many repeated ids, Spark's ("spark")
      m.put("transactions_reader", features.readByEngineReader() ? "engine" : "spark");
      // how the rows reached their supplier's engine: "ranges" (files clustered by supplier: each
      // task read its supplier range's segments, no shuffle) or "shuffle" (hash partitions)
      m.put("supplier_partitioning", features.supplierRanges() > 0 ? "ranges" : "shuffle");
      m.put("supplier_ranges", features.supplierRanges());
      m.put("supplier_partitioning_note", features.partitioning());
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("id", bundle.modelId());
      model.put("version", bundle.modelVersion());
      model.put("sha256", bundle.sha256());
      model.put("file", bundled(hadoop, args.model()) ? "bundled:" + bundle.modelId() : args.model());
      model.put("signature_key_id", bundle.signatureKeyId().orElse("none"));
      m.put("model", model);
      m.put("rows_in", rowsIn);
      m.put("transaction_rows_quarantined", refusedTransactions);
      m.put("transaction_rows_quarantined_by_table", refusedByTable);
      m.put("transaction_quarantine", transactionQuarantine.toString());
      m.put("score_rows_quarantined", refusedRows);
      m.put("rows_out", rowsOut);
      m.put("output", args.out());
      m.put("output_files", outputFiles);
      m.put("quarantine", refusedRows > 0 ? quarantine.toString() : null);
      Map<String, Object> timings = new LinkedHashMap<>();
      timings.put("setup_seconds", (t1 - t0) / 1e9);
      timings.put("features_and_scores_seconds", (t2 - t1) / 1e9);
      timings.put("commit_seconds", (t3 - t2) / 1e9);
      timings.put("total_seconds", (t3 - t0) / 1e9);
      m.put("timings", timings);
      org.apache.hadoop.fs.Path manifestPath = manifestPath(args, hadoop);
      List<org.apache.hadoop.fs.Path> retired = new java.util.ArrayList<>(List.of(transactionQuarantine, quarantine));
      // an earlier run's manifest of these scores under another name would vouch for part files
      // the commit replaces: deleted with the old manifest
      retired.addAll(earlierManifestsOf(hadoop, out, manifestPath));
      commit.commit(manifestPath.getFileSystem(hadoop), manifestPath,
          io.chainscore.scoring.spi.ResultJson.toJson(m).getBytes(java.nio.charset.StandardCharsets.UTF_8), fs,
          retired);
      committed = true;
      return m;
    } finally {
      if (!committed) {
        commit.abort();
      }
      if (transactionRefusedKept != null) {
        transactionRefusedKept.release();
      }
      features.unpersist();
    }
  }

  /**
   * Earlier runs' manifests of the scores at {@code out} under another name than {@code
   * manifestPath} (a {@code --manifest-out} then or now: {@code <out>.manifest.json} after a run
   * with {@code --manifest-out}, or the other way round), in the scores' folder and the manifest's:
   * the job's manifests ({@code job} {@code chainscore-spark}) every one of whose {@code
   * output_files} is a part file in {@code out} now, of its recorded size, and whose {@code
   * output} has the file name of {@code out} (part names carry a hash of their bytes, {@link
   * OutputCommit#nameAfterContent}, so this names the run whose scores the commit replaces,
   * whatever folder a relative {@code output} was given from; the name tells it from a run that
   * wrote the same bytes to another folder beside it). The commit deletes them with the old
   * manifest; they would vouch for part files no longer there.
   */
  static List<org.apache.hadoop.fs.Path> earlierManifestsOf(Configuration hadoop, org.apache.hadoop.fs.Path out,
      org.apache.hadoop.fs.Path manifestPath) throws IOException {
    FileSystem outFs = out.getFileSystem(hadoop);
    org.apache.hadoop.fs.Path scores = outFs.makeQualified(out);
    org.apache.hadoop.fs.Path own = manifestPath.getFileSystem(hadoop).makeQualified(manifestPath);
    List<org.apache.hadoop.fs.Path> found = new java.util.ArrayList<>();
    if (!outFs.exists(scores) || !outFs.getFileStatus(scores).isDirectory()) {
      return found;
    }
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (org.apache.hadoop.fs.Path dir : new java.util.LinkedHashSet<>(List.of(scores.getParent(), own.getParent()))) {
      FileSystem fs = dir.getFileSystem(hadoop);
      if (!fs.exists(dir)) {
        continue;
      }
      for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(dir, p -> p.getName().endsWith(".json")
          && !p.getName().startsWith("."))) {
        org.apache.hadoop.fs.Path candidate = fs.makeQualified(f.getPath());
        if (!f.isFile() || candidate.equals(own) || f.getLen() > (64L << 20)) {
          continue;
        }
        com.fasterxml.jackson.databind.JsonNode recorded;
        try (InputStream in = fs.open(candidate)) {
          recorded = json.readTree(in);
        } catch (com.fasterxml.jackson.core.JacksonException notJson) {
          continue;
        }
        if (recorded == null || !"chainscore-spark".equals(recorded.path("job").asText())
            || !recorded.path("output_files").isArray() || recorded.path("output_files").isEmpty()
            || !scores.getName().equals(new org.apache.hadoop.fs.Path(recorded.path("output").asText("_")).getName())) {
          continue;
        }
        boolean ours = true;
        for (com.fasterxml.jackson.databind.JsonNode part : recorded.path("output_files")) {
          org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(scores, part.path("path").asText("_"));
          if (!outFs.exists(p) || outFs.getFileStatus(p).getLen() != part.path("bytes").asLong(-1)) {
            ours = false;
            break;
          }
        }
        if (ours) {
          found.add(candidate);
        }
      }
    }
    return found;
  }

  /**
   * The manifest's key of each table's file name ({@code invoices} to {@code invoice}): the names
   * of {@link PortfolioFeatures#QUARANTINE_TABLES}, which the quarantine's {@code table} column and
   * {@code chainscore score}'s manifest use.
   */
  static final Map<String, String> TABLE_KEYS = Map.of("anchors", "anchor", "suppliers", "supplier",
      "invoices", "invoice", "loans", "loan", "instalments", "instalment", "credit_notes", "credit_note",
      "disputes", "dispute", "deliveries", "delivery");

  /** Suffix of the refused transaction rows' directory beside {@code --out}. */
  public static final String TRANSACTION_QUARANTINE_SUFFIX = ".quarantine-transactions";

  /** Suffix of the directory of feature rows the model refused, beside {@code --out}. */
  static final String QUARANTINE_SUFFIX = ".quarantine";

  /**
   * Where the manifest goes: {@code --manifest-out} when given (a path without a scheme on the
   * driver's own file system, as before; a URI, {@code file:}, {@code hdfs://} and the like, on
   * its file system), else {@code <out>.manifest.json} beside the scores on their file system,
   * {@code --out} taken the same way (a URI's scheme kept, a path qualified): a {@code file://}
   * URI given as {@code --out} no longer puts the manifest in a folder named {@code file:} under
   * the working directory.
   */
  /** What {@link #resume} did: the manifest of the run now in place, and the line to print. */
  record Resumed(Map<String, Object> manifest, String line) {}

  /**
   * {@code --resume}: finishes the commit a kill or a failure stopped, from its journal ({@link
   * OutputCommit#resume}), when the interrupted run is this job; reports the finished run of this
   * job on unchanged inputs as done; returns null when there is neither (the job then runs).
   *
   * @throws IllegalArgumentException naming what differs, when the interrupted or finished run at
   *     {@code --out} is another job's (another model, as-of date, options or input files)
   */
  static Resumed resume(Args args, Configuration hadoop, ModelBundle bundle) throws IOException {
    org.apache.hadoop.fs.Path manifestPath = manifestPath(args, hadoop);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<Map<String, Object>> inputs = inputFiles(hadoop, args.transactions());
    byte[] interrupted = OutputCommit.journalledManifest(hadoop, manifestPath);
    if (interrupted != null) {
      List<String> differs = differences(json.readTree(interrupted), args, bundle, inputs, hadoop);
      if (!differs.isEmpty()) {
        throw new IllegalArgumentException(args.out() + ": the interrupted run whose commit --resume would finish"
            + " differs from this one in " + String.join(", ", differs) + "; run again with --overwrite");
      }
      Map<String, Object> manifest = asMap(json, OutputCommit.resume(hadoop, manifestPath));
      return new Resumed(manifest, "chainscore-spark: finished the commit of an interrupted run; "
          + written(manifest, manifestPath.toString()));
    }
    FileSystem manifestFs = manifestPath.getFileSystem(hadoop);
    if (!manifestFs.exists(manifestPath)) {
      // nothing to resume: the job runs, after every check of a fresh run
      refuseExistingOutput(args, hadoop);
      return null;
    }
    byte[] bytes;
    try (java.io.InputStream in = manifestFs.open(manifestPath)) {
      bytes = in.readAllBytes();
    }
    com.fasterxml.jackson.databind.JsonNode recorded = json.readTree(bytes);
    List<String> differs = differences(recorded, args, bundle, inputs, hadoop);
    String missing = missingOutput(hadoop, recorded);
    if (missing != null) {
      differs.add(missing);
    }
    if (!differs.isEmpty()) {
      throw new IllegalArgumentException(args.out() + ": the finished run its manifest " + manifestPath
          + " records differs from this one in " + String.join(", ", differs) + "; pass --overwrite to replace it");
    }
    Map<String, Object> manifest = asMap(json, bytes);
    return new Resumed(manifest, "chainscore-spark: nothing to resume: " + args.out() + " is the finished run of this"
        + " model, these options and these inputs (unchanged), finished at " + manifest.get("finished") + "; "
        + written(manifest, manifestPath.toString()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(com.fasterxml.jackson.databind.ObjectMapper json, byte[] bytes)
      throws IOException {
    return json.readValue(bytes, LinkedHashMap.class);
  }

  /**
   * What in the run a manifest records differs from this job: the portfolio, the as-of date, the
   * duplicate check, the partitions (when given), the model's SHA-256, the input files (path, size,
   * modification time), each named.
   */
  static List<String> differences(com.fasterxml.jackson.databind.JsonNode recorded, Args args, ModelBundle bundle,
      List<Map<String, Object>> inputs, Configuration hadoop) {
    List<String> differs = new java.util.ArrayList<>();
    if (!samePath(hadoop, recorded.path("transactions").asText(""), args.transactions())) {
      differs.add("the portfolio (the run read " + recorded.path("transactions").asText("?") + ")");
    }
    if (!recorded.path("as_of").asText("").equals(args.asOf().toString())) {
      differs.add("the as-of date (the run's " + recorded.path("as_of").asText("?") + ")");
    }
    if (recorded.path("duplicate_check").asBoolean(true) != args.checkDuplicateInvoices()) {
      differs.add("the duplicate check");
    }
    if (args.partitions() > 0 && recorded.path("partitions").asInt(-1) != args.partitions()) {
      differs.add("the partitions (the run's " + recorded.path("partitions").asText("?") + ")");
    }
    if (!recorded.path("model").path("sha256").asText("").equals(bundle.sha256())) {
      differs.add("the model (the run's " + recorded.path("model").path("id").asText("?") + " sha256 "
          + recorded.path("model").path("sha256").asText("?") + ")");
    }
    if (!recorded.has("inputs")) {
      differs.add("the input files (the manifest, written before 2026-12-07, does not list them)");
    } else {
      // each file as the file system resolves it: the portfolio may be spelled otherwise this time
      List<String> now = new java.util.ArrayList<>();
      inputs.forEach(e -> now.add(canonical(hadoop, String.valueOf(e.get("path"))) + "|" + e.get("bytes") + "|"
          + e.get("modified")));
      List<String> then = new java.util.ArrayList<>();
      recorded.get("inputs").forEach(e -> then.add(canonical(hadoop, e.path("path").asText()) + "|"
          + e.path("bytes").asLong(-1) + "|" + e.path("modified").asLong(-1)));
      if (!now.equals(then)) {
        differs.add("the input files (changed since the run)");
      }
    }
    return differs;
  }

  /**
   * Whether {@code a} and {@code b}, paths as a run was given them, name one folder or file: each
   * qualified (a relative path against the working directory) and, on the local file system,
   * resolved as {@link FileIdentity#canonical} resolves it (links followed). Until 2026-12-07 a
   * {@code --resume} compared the portfolio as written, so the run's own portfolio given as {@code
   * ./portfolio}, by its absolute path or through a link was refused as another one.
   */
  static boolean samePath(Configuration hadoop, String a, String b) {
    return a.equals(b) || canonical(hadoop, a).equals(canonical(hadoop, b));
  }

  /** {@code path} qualified and {@link #resolved} ({@link #samePath}). */
  private static String canonical(Configuration hadoop, String path) {
    if (path.isEmpty()) {
      return path;
    }
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return resolved(p.getFileSystem(hadoop).makeQualified(p));
    } catch (IOException | IllegalArgumentException e) {
      // an unknown scheme or a path Hadoop refuses: compared as written
      return path;
    }
  }

  /**
   * A qualified path as its file system resolves it, to compare with another: on the local file
   * system {@link FileIdentity#canonical}'s path (links followed), elsewhere the qualified URI.
   */
  private static String resolved(org.apache.hadoop.fs.Path qualified) {
    return "file".equals(qualified.toUri().getScheme())
        ? FileIdentity.canonical(java.nio.file.Path.of(qualified.toUri())).toString() : qualified.toString();
  }

  /** The first score part file a manifest lists that is not there with its recorded size, as words; or null. */
  private static String missingOutput(Configuration hadoop, com.fasterxml.jackson.databind.JsonNode recorded)
      throws IOException {
    org.apache.hadoop.fs.Path output = new org.apache.hadoop.fs.Path(recorded.path("output").asText(""));
    FileSystem fs = output.getFileSystem(hadoop);
    for (com.fasterxml.jackson.databind.JsonNode part : recorded.path("output_files")) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(output, part.path("path").asText(""));
      if (!fs.exists(p) || fs.getFileStatus(p).getLen() != part.path("bytes").asLong(-1)) {
        return "its scores (" + p + " is no longer the file it lists)";
      }
    }
    return null;
  }

  /**
   * Every file of the portfolio's tables under {@code dir}, as the job reads them (a table's file,
   * or the files under its directory whose path below it has no part starting with {@code _} or
   * {@code .}), sorted by path: path (qualified), size and modification time. The manifest records
   * them; {@code --resume} compares them.
   */
  static List<Map<String, Object>> inputFiles(Configuration hadoop, String dir) throws IOException {
    org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(dir);
    FileSystem fs = base.getFileSystem(hadoop);
    List<org.apache.hadoop.fs.FileStatus> files = new java.util.ArrayList<>();
    for (TableSchema layout : EngineReads.TABLES) {
      org.apache.hadoop.fs.Path table = new org.apache.hadoop.fs.Path(base, layout.name() + ".parquet");
      if (!fs.exists(table)) {
        continue;
      }
      org.apache.hadoop.fs.FileStatus status = fs.getFileStatus(table);
      if (status.isFile()) {
        files.add(status);
        continue;
      }
      String root = fs.makeQualified(table).toUri().getPath();
      org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(table, true);
      while (it.hasNext()) {
        org.apache.hadoop.fs.LocatedFileStatus f = it.next();
        String below = f.getPath().toUri().getPath().substring(root.length());
        if (java.util.Arrays.stream(below.split("/")).noneMatch(part -> part.startsWith("_") || part.startsWith("."))) {
          files.add(f);
        }
      }
    }
    List<Map<String, Object>> entries = new java.util.ArrayList<>();
    files.stream().sorted(java.util.Comparator.comparing(f -> fs.makeQualified(f.getPath()).toString()))
        .forEach(f -> {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("path", fs.makeQualified(f.getPath()).toString());
          e.put("bytes", f.getLen());
          e.put("modified", f.getModificationTime());
          entries.add(e);
        });
    return entries;
  }

  static org.apache.hadoop.fs.Path manifestPath(Args args, Configuration hadoop) throws IOException {
    if (args.manifest() != null) {
      org.apache.hadoop.fs.Path given = new org.apache.hadoop.fs.Path(args.manifest());
      return given.toUri().getScheme() != null ? given : FileSystem.getLocal(hadoop).makeQualified(given);
    }
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(args.out());
    return out.getFileSystem(hadoop).makeQualified(new org.apache.hadoop.fs.Path(args.out() + ".manifest.json"));
  }

  /**
   * The bundle {@code --model} names, as {@code chainscore score} takes it ({@link
   * DefaultModels#resolve}): the default scorecard for null, the bundle file at that path (read
   * through Hadoop's file system: local, {@code hdfs://}, {@code s3a://}) when there is one, else
   * the bundled model of that name.
   *
   * @throws java.io.FileNotFoundException when there is neither such a file nor such a bundled model
   * @throws ModelFormatException when the file is not a valid bundle
   */
  static ModelBundle readBundle(Configuration hadoop, String nameOrFile) throws IOException, ModelFormatException {
    return readBundle(hadoop, nameOrFile, false, null);
  }

  /**
   * {@link #readBundle(Configuration, String)}, and with {@code --require-signed} or {@code
   * --trust} the bundle's signature ({@code FILE.sig} beside it, on its file system) by a key of
   * the trust store (a local path on the driver) required, as {@code chainscore score} requires
   * it: a shipped bundle is refused (it carries no signature), and the signature is checked before
   * the bundle is read ({@link ModelBundle#read(InputStream, byte[], String, TrustStore)}).
   */
  static ModelBundle readBundle(Configuration hadoop, String nameOrFile, boolean requireSigned, String trust)
      throws IOException, ModelFormatException {
    org.apache.hadoop.fs.Path p = nameOrFile == null ? null : new org.apache.hadoop.fs.Path(nameOrFile);
    FileSystem fs = p == null ? null : p.getFileSystem(hadoop);
    boolean isFile = p != null && fs.isFile(p);
    boolean shipped = p == null || !isFile && DefaultModels.names().contains(nameOrFile);
    io.chainscore.batch.scoring.SignedModels.checkRequirement(requireSigned, trust != null,
        shipped ? (nameOrFile == null ? DefaultModels.SCORECARD : nameOrFile) : null, "--model");
    if (p == null) {
      return DefaultModels.scorecard();
    }
    if (!isFile) {
      if (shipped) {
        return DefaultModels.load(nameOrFile);
      }
      throw new java.io.FileNotFoundException("--model: no such file: " + nameOrFile + " (nor a bundled model; bundled: "
          + String.join(", ", DefaultModels.names()) + ")");
    }
    if (trust == null) {
      try (InputStream in = fs.open(p)) {
        return ModelBundle.read(in);
      } catch (ModelFormatException e) {
        throw e.inFile(java.nio.file.Path.of(nameOrFile));
      }
    }
    io.chainscore.scoring.TrustStore keys = io.chainscore.scoring.TrustStore.load(java.nio.file.Path.of(trust));
    org.apache.hadoop.fs.Path signature = new org.apache.hadoop.fs.Path(p.getParent(), p.getName() + ".sig");
    if (fs.exists(signature) && !fs.isFile(signature)) {
      throw new IllegalArgumentException(signature + ": a directory; expected the signature document written by"
          + " chainscore sign");
    }
    byte[] signed = null;
    if (fs.isFile(signature)) {
      try (InputStream in = fs.open(signature)) {
        // at most one byte past the limit: a larger file is refused by ModelBundle.read, not read whole
        signed = in.readNBytes(io.chainscore.scoring.spi.BundleSigning.MAX_SIGNATURE_BYTES + 1);
      }
    }
    try (InputStream in = fs.open(p)) {
      return ModelBundle.read(in, signed, signature.getName(), keys);
    } catch (ModelFormatException e) {
      throw e.inFile(java.nio.file.Path.of(nameOrFile));
    }
  }

  /** Whether {@code --model} named a bundled model rather than a file ({@link #readBundle}). */
  private static boolean bundled(Configuration hadoop, String nameOrFile) throws IOException {
    if (nameOrFile == null) {
      return true;
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(nameOrFile);
    return !p.getFileSystem(hadoop).isFile(p);
  }
}

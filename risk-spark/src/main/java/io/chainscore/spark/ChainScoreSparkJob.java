package io.chainscore.spark;

import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code spark-submit} entry point: reads a portfolio's transactions in Parquet, computes the
 * standard features per supplier partition, scores them with a model bundle and writes the scores
 * (the columns of {@code chainscore score}) as Parquet, atomically, with a run manifest.
 *
 * <pre>
 * spark-submit --class io.chainscore.spark.ChainScoreSparkJob --master local[*] \
 *   risk-spark/target/chainscore-spark.jar \
 *   --transactions DIR --as-of 2025-06-30 --out scores.parquet [--model bundle.json]
 *   [--manifest-out scores.manifest.json] [--partitions N] [--no-duplicate-check] [--overwrite]
 * </pre>
 *
 * <p>Output: the scores directory at {@code --out} (written under a temporary name beside it,
 * then renamed), the refused transaction rows at {@code --out}{@code .quarantine-transactions}
 * (always written, also when empty; columns {@link SparkFeatures#QUARANTINE_SCHEMA}, written and
 * renamed the same way), quarantined score rows at {@code --out}{@code .quarantine} when there
 * are any, and the manifest (rows in and out, quarantined per table, model id and SHA-256,
 * timings).
 *
 * <p>Thread safety: one run per instance; not for concurrent use.
 */
public final class ChainScoreSparkJob {
  /** The command-line options of a run. */
  public record Args(String transactions, LocalDate asOf, String out, String model, String manifest,
      int partitions, boolean checkDuplicateInvoices, boolean overwrite, String master) {

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the option at fault and what was expected
     */
    public static Args parse(String... args) {
      Map<String, String> values = new LinkedHashMap<>();
      boolean noDuplicateCheck = false;
      boolean overwrite = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--no-duplicate-check" -> noDuplicateCheck = true;
          case "--overwrite" -> overwrite = true;
          case "--transactions", "--as-of", "--out", "--model", "--manifest-out", "--manifest", "--partitions", "--master" -> {
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
      String out = values.get("--out");
      return new Args(values.get("--transactions"), asOf, out, values.get("--model"),
          values.getOrDefault("--manifest-out", out + ".manifest.json"), partitions, !noDuplicateCheck, overwrite,
          values.get("--master"));
    }
  }

  static final String USAGE = "--transactions DIR --as-of YYYY-MM-DD --out PATH [--model FILE] [--manifest-out FILE]"
      + " [--partitions N] [--no-duplicate-check] [--overwrite] [--master URL]";

  private ChainScoreSparkJob() {}

  /** Runs the job; exit code 0 on success, 2 on bad arguments, 1 on failure. */
  public static void main(String[] argv) {
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("chainscore-spark: " + e.getMessage());
      System.exit(2);
      return;
    }
    SparkSession.Builder builder = SparkSession.builder().appName("chainscore");
    safeDefaults(new org.apache.spark.SparkConf()).forEach(builder::config);
    if (args.master() != null) {
      builder.master(args.master());
    }
    SparkSession spark = builder.getOrCreate();
    try {
      Map<String, Object> manifest = run(spark, args);
      System.out.println("chainscore-spark: wrote " + manifest.get("rows_out") + " scores to " + args.out()
          + " (manifest " + args.manifest() + ")");
    } catch (Exception e) {
      System.err.println("chainscore-spark: " + e.getMessage());
      spark.stop();
      System.exit(1);
    }
    spark.stop();
  }

  /**
   * Settings the job applies unless the user gave them ({@code --conf}, {@code -Dspark.*}): the web
   * UI is off, because it listens on every interface of the driver by default and the job needs
   * none. A user who wants it sets {@code spark.ui.enabled=true}.
   */
  static Map<String, String> safeDefaults(org.apache.spark.SparkConf userConf) {
    Map<String, String> defaults = new java.util.LinkedHashMap<>();
    if (!userConf.contains("spark.ui.enabled")) {
      defaults.put("spark.ui.enabled", "false");
    }
    return defaults;
  }

  /**
   * Runs the job on {@code spark} and writes the manifest.
   *
   * @return the manifest's content
   */
  public static Map<String, Object> run(SparkSession spark, Args args) throws IOException, ModelFormatException {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    ModelBundle bundle = args.model() == null ? DefaultModels.scorecard() : readBundle(hadoop, args.model());
    int partitions = args.partitions() > 0 ? args.partitions()
        : Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions", "200"));

    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(args.out());
    FileSystem fs = out.getFileSystem(hadoop);
    if (fs.exists(out) && !args.overwrite()) {
      throw new IOException(args.out() + " already exists; pass --overwrite to replace it");
    }

    // computeParquet() already runs jobs (the duplicate check and, with adaptive execution, the
    // shuffle by supplier), so the features' time starts here, not at the write.
    long t1 = System.nanoTime();
    SparkFeatures.Features features = SparkFeatures.computeParquet(spark, args.transactions(),
        new SparkFeatures.Options(args.asOf(), partitions, args.checkDuplicateInvoices(),
            io.chainscore.features.StandardFeatures.REGIONS));
    // From the files' footers (or compute()'s one job of keyless counts): no count job per table here.
    Map<String, Object> rowsIn = new java.util.TreeMap<>(features.rowsIn());
    Dataset<Row> scored = SparkScoring.scoreWithQuarantine(features.table(), bundle, args.asOf())
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      org.apache.hadoop.fs.Path temp = new org.apache.hadoop.fs.Path(out.getParent(),
          "." + out.getName() + ".tmp-" + UUID.randomUUID());
      scored.filter(functions.col(SparkScoring.QUARANTINE_REASON).isNull())
          .drop(SparkScoring.QUARANTINE_COLUMN, SparkScoring.QUARANTINE_REASON)
          .write().mode(SaveMode.ErrorIfExists).parquet(temp.toString());
      long t2 = System.nanoTime();
      // Read from the persisted engine output the scores were computed from: the engine runs once.
      org.apache.hadoop.fs.Path transactionQuarantine =
          new org.apache.hadoop.fs.Path(args.out() + TRANSACTION_QUARANTINE_SUFFIX);
      writeAtomically(features.quarantine(), transactionQuarantine, fs);
      Map<String, Object> refusedByTable = new java.util.TreeMap<>();
      long refusedTransactions = 0;
      for (Row r : spark.read().parquet(transactionQuarantine.toString()).groupBy("table").count().collectAsList()) {
        refusedByTable.put(r.getString(0), r.getLong(1));
        refusedTransactions += r.getLong(1);
      }
      Dataset<Row> refused = scored.filter(functions.col(SparkScoring.QUARANTINE_REASON).isNotNull())
          .select("supplier_id", SparkScoring.QUARANTINE_COLUMN, SparkScoring.QUARANTINE_REASON);
      long refusedRows = refused.count();
      org.apache.hadoop.fs.Path quarantine = new org.apache.hadoop.fs.Path(args.out() + ".quarantine");
      if (refusedRows > 0) {
        refused.write().mode(SaveMode.Overwrite).parquet(quarantine.toString());
      }
      if (fs.exists(out)) {
        fs.delete(out, true);
      }
      if (!fs.rename(temp, out)) {
        throw new IOException("could not rename " + temp + " to " + out);
      }
      long rowsOut = spark.read().parquet(args.out()).count();
      long t3 = System.nanoTime();

      Map<String, Object> m = new LinkedHashMap<>();
      m.put("job", "chainscore-spark");
      m.put("started", started.toString());
      m.put("finished", Instant.now().toString());
      m.put("spark_version", spark.version());
      m.put("master", spark.sparkContext().master());
      m.put("application_id", spark.sparkContext().applicationId());
      m.put("transactions", args.transactions());
      m.put("as_of", args.asOf().toString());
      m.put("partitions", partitions);
      m.put("duplicate_check", args.checkDuplicateInvoices());
      // the zone whose dates a date column stored as instants was read as, by either reader
      m.put("session_time_zone", spark.sessionState().conf().sessionLocalTimeZone());
      // which Parquet reader read the transactions in the tasks: the batch engine's ("engine") or,
      // for files it does not decode or too many repeated ids, Spark's ("spark")
      m.put("transactions_reader", features.readByEngineReader() ? "engine" : "spark");
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("id", bundle.modelId());
      model.put("version", bundle.modelVersion());
      model.put("sha256", bundle.sha256());
      model.put("file", args.model() == null ? "bundled:" + bundle.modelId() : args.model());
      m.put("model", model);
      m.put("rows_in", rowsIn);
      m.put("transaction_rows_quarantined", refusedTransactions);
      m.put("transaction_rows_quarantined_by_table", refusedByTable);
      m.put("transaction_quarantine", transactionQuarantine.toString());
      m.put("score_rows_quarantined", refusedRows);
      m.put("rows_out", rowsOut);
      m.put("output", args.out());
      m.put("quarantine", refusedRows > 0 ? quarantine.toString() : null);
      Map<String, Object> timings = new LinkedHashMap<>();
      timings.put("setup_seconds", (t1 - t0) / 1e9);
      timings.put("features_and_scores_seconds", (t2 - t1) / 1e9);
      timings.put("commit_seconds", (t3 - t2) / 1e9);
      timings.put("total_seconds", (t3 - t0) / 1e9);
      m.put("timings", timings);
      writeManifest(m, Path.of(args.manifest()));
      return m;
    } finally {
      scored.unpersist();
      features.unpersist();
    }
  }

  /** Suffix of the refused transaction rows' directory beside {@code --out}. */
  public static final String TRANSACTION_QUARANTINE_SUFFIX = ".quarantine-transactions";

  /** Writes {@code rows} as Parquet under a temporary name beside {@code target}, then renames it to {@code target}. */
  private static void writeAtomically(Dataset<Row> rows, org.apache.hadoop.fs.Path target, FileSystem fs)
      throws IOException {
    org.apache.hadoop.fs.Path temp = new org.apache.hadoop.fs.Path(target.getParent(),
        "." + target.getName() + ".tmp-" + UUID.randomUUID());
    rows.write().mode(SaveMode.ErrorIfExists).parquet(temp.toString());
    if (fs.exists(target)) {
      fs.delete(target, true);
    }
    if (!fs.rename(temp, target)) {
      throw new IOException("could not rename " + temp + " to " + target);
    }
  }

  private static ModelBundle readBundle(Configuration hadoop, String file) throws IOException, ModelFormatException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
    try (InputStream in = p.getFileSystem(hadoop).open(p)) {
      return ModelBundle.read(in);
    }
  }

  private static void writeManifest(Map<String, Object> manifest, Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    // The one results writer: snake_case, map keys sorted (refusals by table included), atomic.
    io.chainscore.scoring.spi.ResultJson.write(manifest, absolute);
  }
}

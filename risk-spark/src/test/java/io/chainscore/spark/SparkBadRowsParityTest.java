package io.chainscore.spark;

import static io.chainscore.spark.SparkParityTest.assertSameFeatures;
import static io.chainscore.spark.SparkParityTest.count;
import static io.chainscore.spark.SparkParityTest.inOrder;
import static io.chainscore.spark.SparkParityTest.keys;
import static io.chainscore.spark.SparkParityTest.keysOf;
import static io.chainscore.spark.SparkParityTest.tooManyMissing;
import static io.chainscore.spark.SparkParityTest.with;
import static io.chainscore.spark.SparkParityTest.writeTable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.features.StandardFeatures;
import io.chainscore.features.engine.BadRecord;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark (local[2]) against the single-machine engine on a 2,000-supplier portfolio with one bad row
 * of each kind the engines refuse: the same quarantine and features on every path (the engine's
 * reader and Spark's, shuffled and on supplier ranges), the same scores when scored in the engine's
 * tasks, and the job ({@link ChainScoreSparkJob}) writing, committing and resuming as one machine
 * would. Apart from {@link SparkParityTest}, whose helpers it shares and whose 20,000-supplier
 * fixture it does not need. (The module runs its classes in one JVM: two JVMs, each with its own
 * Spark session, ran the module's tests in 239 s against 188 s on the two cores, 2026-12-07.)
 */
class SparkBadRowsParityTest {
  private static final Path ROOT = Path.of("target", "spark-parity-bad-rows");
  private static SparkSession spark;
  private static Path badPortfolio;

  @BeforeAll
  static void start() {
    spark = SparkTestPortfolio.localSpark(2);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void badRows_areQuarantinedAsOnOneMachine() throws IOException {
    assertBadRowsQuarantinedAsOnOneMachine(false, true);
  }

  @Test
  void badRows_readBySparksReader_areQuarantinedAsOnOneMachine() throws IOException {
    assertBadRowsQuarantinedAsOnOneMachine(true, false);
  }

  /**
   * The same bad rows, the engine's reader reading the files through Hadoop's file system (as it
   * reads files of HDFS or S3; {@link HadoopChannel}), not the local file system's channels.
   */
  @Test
  void badRows_readThroughHadoopsFileSystem_areQuarantinedAsOnOneMachine() throws IOException {
    EngineReads.throughHadoopAlways = true;
    try {
      assertBadRowsQuarantinedAsOnOneMachine(false, true);
    } finally {
      EngineReads.throughHadoopAlways = false;
    }
  }

  /**
   * The same bad rows with the repeated-id check forced onto its fallback, the window over all
   * rows (taken when too many ids repeat to broadcast their first occurrences).
   */
  @Test
  void badRows_repeatedIdsByWindow_areQuarantinedAsOnOneMachine() throws IOException {
    int limit = SparkFeatures.broadcastRepeatedIds;
    SparkFeatures.broadcastRepeatedIds = 0;
    try {
      // more repeated ids than may be broadcast: Spark's reader and its window, whatever the files
      assertBadRowsQuarantinedAsOnOneMachine(false, false);
    } finally {
      SparkFeatures.broadcastRepeatedIds = limit;
    }
  }

  /**
   * The same bad rows on the supplier ranges path (no shuffle: each task reads the segments that
   * meet its supplier range and keeps its range's rows): one range, and three cut between the
   * suppliers of the bad rows (the instalment of a loan held by another range, a repeated id under
   * a supplier of another range), the bad rows appended at each file's end so that every segment
   * spans every range.
   */
  @Test
  void badRows_onSupplierRanges_areQuarantinedAsOnOneMachine() throws IOException {
    for (List<String> cuts : List.of(List.<String>of(), List.of("S0000700", "S0001400"),
        List.of("S0000002", "S0000999", "S0001001", "S0001999"))) {
      assertBadRowsQuarantinedAsOnOneMachine(false, true, cuts.size() + 1, 3,
          new SparkFeatures.RangeOptions(SupplierRanges.READ_LIMIT, cuts, false));
    }
    // the range tasks' rows through the shuffle's block format instead of straight from the batches
    assertBadRowsQuarantinedAsOnOneMachine(false, true, 3, 3,
        new SparkFeatures.RangeOptions(SupplierRanges.READ_LIMIT, List.of("S0000700", "S0001400"), true));
  }

  /**
   * The range tasks' good invoices read column by column from the reader's batches ({@link
   * EngineReads.DirectRows#nextGood}, refused ones through the row path) give what the row path
   * alone gives (the same ranges read through the shuffle's block format): the same feature rows
   * and the same quarantine rows, in the same order, on the bad-row portfolio at 1, 3 and 5 ranges.
   */
  @Test
  void invoicesReadColumnWise_equalTheRowPath_rowForRowInOrder() throws IOException {
    SparkFeatures.Portfolio files = SparkFeatures.Portfolio.readParquet(spark, badPortfolio().toAbsolutePath().toString());
    for (List<String> cuts : List.of(List.<String>of(), List.of("S0000700", "S0001400"),
        List.of("S0000002", "S0000999", "S0001001", "S0001999"))) {
      List<List<Row>> out = new ArrayList<>();
      for (boolean blocks : new boolean[] {true, false}) {
        SparkFeatures.Features f = SparkFeatures.compute(files, SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3)
            .withPartitioning(SparkFeatures.Partitioning.RANGES)
            .withRanges(new SparkFeatures.RangeOptions(SupplierRanges.READ_LIMIT, cuts, blocks)));
        assertThat(f.supplierRanges()).as("supplier ranges").isEqualTo(cuts.size() + 1);
        out.add(f.table().collectAsList());
        out.add(f.quarantine().collectAsList());
        f.unpersist();
      }
      assertThat(out.get(1)).as("quarantine").isNotEmpty();
      assertThat(out.get(2)).as("features, cuts %s", cuts).containsExactlyElementsOf(out.get(0));
      assertThat(out.get(3)).as("quarantine, cuts %s", cuts).containsExactlyElementsOf(out.get(1));
    }
  }

  /**
   * Scored in the engine's tasks ({@link SparkFeatures.Options#withScoring}, the job's path): the
   * rows {@link SparkScoring#scoreWithQuarantine} gives of the feature table, row for row in the
   * same order (scores, and the suppliers the bundle's policies refuse), and the same transaction
   * quarantine, on the bad-row portfolio: shuffled (the engine's reader and Spark's) and on
   * supplier ranges, each path at 3 partitions (the ranges cut in three), the engine's reader's
   * shuffle also at 1 and 8. (All nine pairs of path and count took 49 s of the suite's Spark
   * module, which runs this class in one JVM; these four cover every path split over partitions
   * and both ends of the count.)
   */
  @Test
  void scoredInTheEnginesTasks_equalTheFeatureTableScored() throws IOException {
    Path bad = badPortfolio();
    ModelBundle bundle = DefaultModels.scorecard();
    int[][] cases = {{1, 0}, {8, 0}, {3, 1}, {3, 2}};   // partitions, path
    for (int[] pathAt : cases) {
      int partitions = pathAt[0];
      int path = pathAt[1];
      SparkFeatures.Portfolio files = SparkFeatures.Portfolio.readParquet(spark, bad.toAbsolutePath().toString());
      SparkFeatures.Options options = SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, partitions)
          .withPartitioning(path == 2 ? SparkFeatures.Partitioning.RANGES : SparkFeatures.Partitioning.SHUFFLE)
          .withRanges(new SparkFeatures.RangeOptions(SupplierRanges.READ_LIMIT,
              partitions == 1 ? List.of() : List.of("S0000700", "S0001400"), false));
      SparkFeatures.Portfolio portfolio = path == 1 ? files.withSparkReader() : files;
      SparkFeatures.Features plain = SparkFeatures.compute(portfolio, options);
      List<Row> expected = SparkScoring.scoreWithQuarantine(plain.table(), bundle, SparkTestPortfolio.AS_OF)
          .collectAsList();
      List<Row> expectedRefused = plain.quarantine().collectAsList();
      plain.unpersist();
      SparkFeatures.Features inTasks = SparkFeatures.compute(portfolio, options.withScoring(bundle));
      assertThat(inTasks.table()).isNull();
      assertThat(inTasks.scored().schema())
          .isEqualTo(SparkScoring.scoreWithQuarantine(plain.table(), bundle, SparkTestPortfolio.AS_OF).schema());
      assertThat(inTasks.scored().collectAsList()).as("path %d, %d partitions", path, partitions)
          .containsExactlyElementsOf(expected);
      assertThat(inTasks.quarantine().collectAsList()).containsExactlyElementsOf(expectedRefused);
      assertThat(expected).anySatisfy(r -> assertThat((String) r.getAs(SparkScoring.QUARANTINE_REASON)).isNotNull());
      inTasks.unpersist();
    }
  }

  /**
   * The job reads nothing through Spark SQL's columnar cache (Dataset.persist): in Spark 4.2 its
   * tasks race with the executor's heartbeat (SparkFeatures#keep), which a fresh-clone CI run of
   * 2026-12-07 printed as a NullPointerException's stack trace in the middle of a good run. Every
   * action's physical plan is checked, and the cache is empty while the job runs.
   */
  @Test
  void job_readsNothingThroughSparkSqlsColumnarCache() throws Exception {
    List<String> plans = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Boolean> cacheEmpty = java.util.Collections.synchronizedList(new ArrayList<>());
    org.apache.spark.sql.util.QueryExecutionListener listener = new org.apache.spark.sql.util.QueryExecutionListener() {
      @Override
      public void onSuccess(String funcName, org.apache.spark.sql.execution.QueryExecution qe, long durationNs) {
        plans.add(funcName + ": " + qe.executedPlan().toString());
        cacheEmpty.add(spark.sharedState().cacheManager().isEmpty());
      }

      @Override
      public void onFailure(String funcName, org.apache.spark.sql.execution.QueryExecution qe, Exception e) {
        plans.add(funcName + " failed: " + e);
      }
    };
    Path out = ROOT.resolve("job-no-cache").resolve("scores.parquet").toAbsolutePath();
    spark.listenerManager().register(listener);
    try {
      Map<String, Object> m = ChainScoreSparkJob.run(spark, ChainScoreSparkJob.Args.parse("--transactions",
          badPortfolio().toAbsolutePath().toString(), "--as-of", SparkTestPortfolio.AS_OF.toString(), "--out",
          out.toString(), "--partitions", "4", "--overwrite"));
      assertThat(m.get("transaction_rows_quarantined")).isEqualTo(34L);
    } finally {
      // the listener bus delivers the last action's event after the action returns
      spark.sparkContext().listenerBus().waitUntilEmpty();
      spark.listenerManager().unregister(listener);
    }
    assertThat(plans).as("the job's actions: the scores and the quarantine written, the counts").hasSizeGreaterThan(2)
        .noneMatch(p -> p.contains("InMemoryTableScan") || p.contains("InMemoryRelation") || p.contains(" failed: "));
    assertThat(cacheEmpty).isNotEmpty().containsOnly(true);
  }

  /**
   * Two runs of the job on the same portfolio, model and options write the same files under the
   * same names (the scores' part files and both quarantines', named after their bytes) and the same
   * manifest but for the run's times, its application id and its own paths: until 2026-12-07 every
   * part file carried the writing run's random UUID, and the manifest's {@code output_files} with it.
   */
  @Test
  void job_twice_writesTheSameFilesAndTheSameManifest() throws Exception {
    List<Map<String, String>> trees = new ArrayList<>();
    List<Map<String, Object>> manifests = new ArrayList<>();
    for (String run : List.of("a", "b")) {
      Path out = ROOT.resolve("twice-" + run).resolve("scores.parquet").toAbsolutePath();
      ChainScoreSparkJob.run(spark, ChainScoreSparkJob.Args.parse("--transactions",
          badPortfolio().toAbsolutePath().toString(), "--as-of", SparkTestPortfolio.AS_OF.toString(), "--out",
          out.toString(), "--partitions", "3", "--overwrite"));
      Map<String, String> tree = new java.util.TreeMap<>();
      try (var files = Files.walk(out.getParent())) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          tree.put(out.getParent().relativize(f).toString(), java.util.HexFormat.of().formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
        }
      }
      trees.add(tree);
      @SuppressWarnings("unchecked")
      Map<String, Object> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
          out.resolveSibling("scores.parquet.manifest.json").toFile(), Map.class);
      for (String runsOwn : List.of("started", "finished", "application_id", "timings", "output",
          "transaction_quarantine", "quarantine")) {
        assertThat(m).containsKey(runsOwn);
        m.remove(runsOwn);
      }
      manifests.add(m);
    }
    Map<String, String> a = new java.util.TreeMap<>(trees.get(0));
    Map<String, String> b = new java.util.TreeMap<>(trees.get(1));
    a.remove("scores.parquet.manifest.json");
    b.remove("scores.parquet.manifest.json");
    assertThat(b).isEqualTo(a);
    assertThat(a.keySet()).anyMatch(f -> f.startsWith("scores.parquet.quarantine/part-"))
        .anyMatch(f -> f.startsWith("scores.parquet.quarantine-transactions/part-"))
        .filteredOn(f -> f.endsWith(".parquet"))
        .allMatch(f -> f.matches("scores\\.parquet(\\.quarantine(-transactions)?)?/part-[0-9]{5}-[0-9a-f]{32}-c000\\.snappy\\.parquet"),
            "part-NNNNN-<32 hex digits of its SHA-256>-c000.snappy.parquet");
    for (String f : a.keySet()) {
      if (f.endsWith(".parquet")) {
        String name = Path.of(f).getFileName().toString();
        assertThat(a.get(f)).as(f).startsWith(name.substring("part-00000-".length(), "part-00000-".length() + 32));
      }
    }
    assertThat(manifests.get(1)).isEqualTo(manifests.get(0));
  }

  @Test
  void job_writesScoresAtomicallyWithManifest() throws Exception {
    // The portfolio with bad rows: the job must write each refused row, as the single machine does.
    Path small = badPortfolio();
    List<BadRecord> records = new ArrayList<>();
    PortfolioFeatures.Result smallSingle = PortfolioFeatures.compute(small,
        new PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 1, true, PortfolioFeatures.DEFAULT_REGIONS), records::add);
    Path out = ROOT.resolve("job").resolve("scores.parquet").toAbsolutePath();
    Path manifest = ROOT.resolve("job").resolve("run.manifest.json").toAbsolutePath();
    ChainScoreSparkJob.Args args = ChainScoreSparkJob.Args.parse("--transactions", small.toAbsolutePath().toString(),
        "--as-of", SparkTestPortfolio.AS_OF.toString(), "--out", out.toString(), "--manifest-out", manifest.toString(),
        "--partitions", "4", "--overwrite");
    // what a run killed during its commit left: deleted by this run (checked below, no ".tmp-" left)
    Files.createDirectories(out.resolveSibling(".scores.parquet.tmp-killed-run"));
    Map<String, Object> m = ChainScoreSparkJob.run(spark, args);
    boolean[] tooMany = tooManyMissing(smallSingle);
    long scored = 2_000L - count(tooMany);
    assertThat(m.get("rows_out")).isEqualTo(scored);
    // keyed as the quarantine's tables and chainscore score's manifest (singular), every table there
    assertThat(((Map<?, ?>) m.get("rows_in")).keySet().stream().map(String::valueOf).toList())
        .containsExactlyInAnyOrder("anchor", "supplier", "loan", "credit_note", "dispute", "invoice", "instalment",
            "delivery");
    assertThat(((Map<?, ?>) m.get("rows_in")).get("supplier")).isEqualTo(2_003L);
    assertThat(((Map<?, ?>) m.get("rows_in")).get("invoice")).isEqualTo(smallSingle.invoices());
    assertThat(m.get("tool")).isEqualTo("chainscore 0.1.0-SNAPSHOT (development build)");
    // which path moved the rows to their supplier's engine (these small files: the shuffle's)
    assertThat(m.get("supplier_partitioning")).isEqualTo("shuffle");
    assertThat(m.get("supplier_ranges")).isEqualTo(0);
    Path refused = Path.of(out + ChainScoreSparkJob.TRANSACTION_QUARANTINE_SUFFIX);
    assertThat(keys(spark.read().parquet(refused.toString()).collectAsList(), true))
        .containsExactlyInAnyOrderElementsOf(keysOf(records, true));
    assertThat(m.get("transaction_rows_quarantined")).isEqualTo(smallSingle.quarantined());
    assertThat(m.get("transaction_quarantine")).asString().endsWith(refused.getFileName().toString());
    Dataset<Row> refusedRows = spark.read().parquet(refused.toString());
    assertThat(refusedRows.schema()).isEqualTo(SparkFeatures.QUARANTINE_SCHEMA.asNullable());
    assertThat(refusedRows.count()).isEqualTo(m.get("transaction_rows_quarantined")).isEqualTo(34L);
    assertThat(keys(refusedRows.collectAsList(), true)).containsExactlyInAnyOrderElementsOf(keysOf(records, true));
    assertThat((Map<?, ?>) m.get("transaction_rows_quarantined_by_table")).isEqualTo(Map.of(
        "anchor", 1L, "supplier", 3L, "loan", 5L, "invoice", 11L, "instalment", 6L, "credit_note", 6L, "dispute", 1L,
        "delivery", 1L));
    assertThat(((Map<?, ?>) m.get("model")).get("sha256")).isEqualTo(DefaultModels.scorecard().sha256());
    assertThat(m.get("transactions_reader")).isEqualTo("engine");
    assertThat(m.get("session_time_zone")).isEqualTo(spark.conf().get("spark.sql.session.timeZone"));
    assertThat(Files.readString(manifest)).contains("\"rows_out\" : " + scored);
    // rows were refused (34 transaction rows, and the suppliers with too many missing values): exit 3
    assertThat(m.get("score_rows_quarantined")).isEqualTo((long) count(tooMany));
    assertThat(ChainScoreSparkJob.exitCode(m)).isEqualTo(3);
    assertThat(ChainScoreSparkJob.successLine(m, manifest.toString())).isEqualTo("chainscore-spark: wrote " + scored
        + " scores to " + out + " (manifest " + manifest + "); quarantined 34 transaction rows (" + out
        + ".quarantine-transactions) and " + count(tooMany) + " score rows"
        + (count(tooMany) > 0 ? " (" + out + ".quarantine)" : ""));
    try (var listing = Files.list(out.getParent())) {
      assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
    }
    // output_files: every part file of the scores, by name, with its size and SHA-256 (what
    // score --baseline and monitor --runs check a Spark run's scores against), nothing else
    List<String> parts = new ArrayList<>();
    try (var listing = Files.list(out)) {
      listing.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_") && !n.startsWith("."))
          .sorted().forEach(parts::add);
    }
    List<?> outputFiles = (List<?>) m.get("output_files");
    assertThat(outputFiles).hasSize(parts.size()).isNotEmpty();
    for (int i = 0; i < parts.size(); i++) {
      Map<?, ?> entry = (Map<?, ?>) outputFiles.get(i);
      Path part = out.resolve(parts.get(i));
      assertThat(entry.get("path")).isEqualTo(parts.get(i));
      assertThat(entry.get("bytes")).isEqualTo(Files.size(part));
      assertThat(entry.get("sha256")).isEqualTo(io.chainscore.batch.engine.RunManifest.sha256(part));
    }
    // The job's scores are the single-machine scores of the same portfolio.
    Dataset<Row> written = spark.read().parquet(out.toString());
    assertThat(written.columns()).containsExactly(SparkScoring.scoreSchema().fieldNames());
    var scorer = DefaultModels.scorecard().scorer();
    int width = StandardFeatures.SCHEMA.size();
    Map<String, Row> byId = new java.util.HashMap<>();
    for (Row r : written.collectAsList()) {
      byId.put(r.getString(0), r);
    }
    for (int s = 0; s < smallSingle.supplierIds().size(); s++) {
      double[] row = java.util.Arrays.copyOfRange(smallSingle.matrix(), s * width, (s + 1) * width);
      Row r = byId.get(smallSingle.supplierIds().get(s));
      if (tooMany[s]) {
        assertThat(r).isNull();
        continue;
      }
      var expected = scorer.score(row);
      assertThat(Double.doubleToLongBits(r.getDouble(2))).isEqualTo(Double.doubleToLongBits(expected.points()));
      assertThat(Double.doubleToLongBits(r.getDouble(3))).isEqualTo(Double.doubleToLongBits(expected.pd()));
      assertThat(r.getString(4)).isEqualTo(expected.grade());
    }
    assertThatThrownBy(() -> ChainScoreSparkJob.run(spark, ChainScoreSparkJob.Args.parse("--transactions",
        small.toString(), "--as-of", "2025-06-30", "--out", out.toString())))
        .hasMessageContaining("already exists");

    // --supplier-partitioning ranges on the same files: the ranges path (which the automatic choice
    // did not take on files this small), the same scores, said in the manifest
    Path ranged = ROOT.resolve("job-ranges").resolve("scores.parquet").toAbsolutePath();
    Map<String, Object> r = ChainScoreSparkJob.run(spark, ChainScoreSparkJob.Args.parse("--transactions",
        small.toAbsolutePath().toString(), "--as-of", SparkTestPortfolio.AS_OF.toString(), "--out", ranged.toString(),
        "--partitions", "3", "--supplier-partitioning", "ranges", "--overwrite"));
    assertThat(r.get("supplier_partitioning")).isEqualTo("ranges");
    assertThat(r.get("supplier_partitioning_note")).asString().startsWith("ranges (--supplier-partitioning ranges): ");
    assertThat(spark.read().parquet(ranged.toString()).exceptAll(written).count()).isZero();
    assertThat(written.exceptAll(spark.read().parquet(ranged.toString())).count()).isZero();
    assertThatThrownBy(() -> ChainScoreSparkJob.Args.parse("--transactions", "p", "--as-of", "2025-06-30", "--out",
        "o", "--supplier-partitioning", "sideways"))
        .hasMessage("--supplier-partitioning: expected auto, ranges or shuffle, got 'sideways'");
  }

  /**
   * {@code --resume}: a job whose commit is stopped after its first rename leaves no manifest; the
   * resume finishes the commit from the journal without Spark (the manifest, the scores and the
   * quarantines those of the stopped run, every listed part file of its size and SHA-256); a second
   * resume reports the finished run and rewrites nothing; another as-of date, or an input file
   * changed since, is refused naming it.
   */
  @Test
  void job_commitStoppedAfterItsFirstRename_isFinishedByResume() throws Exception {
    Path small = badPortfolio();
    Path out = ROOT.resolve("resume").resolve("scores.parquet").toAbsolutePath();
    String[] argv = {"--transactions", small.toAbsolutePath().toString(), "--as-of", SparkTestPortfolio.AS_OF.toString(),
        "--out", out.toString(), "--partitions", "3"};
    ChainScoreSparkJob.Args first = ChainScoreSparkJob.Args.parse(append(argv, "--overwrite"));
    OutputCommit.afterFirstRename = () -> {
      throw new IllegalStateException("killed during the commit");
    };
    try {
      assertThatThrownBy(() -> ChainScoreSparkJob.run(spark, first)).hasMessageContaining("killed during the commit");
    } finally {
      OutputCommit.afterFirstRename = null;
    }
    Path manifest = Path.of(out + ".manifest.json");
    assertThat(manifest).doesNotExist();
    assertThat(out.resolveSibling(".scores.parquet.manifest.json.commit-journal")).exists();
    String staged = new String(OutputCommit.journalledManifest(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(manifest.toString())), java.nio.charset.StandardCharsets.UTF_8);

    java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    int code = ChainScoreSparkJob.execute(append(argv, "--resume"), new java.io.PrintStream(stdout, true),
        new java.io.PrintStream(stderr, true));
    assertThat(stderr.toString()).isEmpty();
    assertThat(code).isEqualTo(3);   // the bad rows were quarantined
    assertThat(stdout.toString()).startsWith("chainscore-spark: finished the commit of an interrupted run; wrote ");
    assertThat(Files.readString(manifest)).isEqualTo(staged);
    assertThat(out.resolveSibling(".scores.parquet.manifest.json.commit-journal")).doesNotExist();
    Map<?, ?> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(manifest.toFile(), Map.class);
    List<?> outputFiles = (List<?>) m.get("output_files");
    assertThat(outputFiles).isNotEmpty();
    for (Object o : outputFiles) {
      Map<?, ?> entry = (Map<?, ?>) o;
      Path part = out.resolve((String) entry.get("path"));
      assertThat(((Number) entry.get("bytes")).longValue()).isEqualTo(Files.size(part));
      assertThat(entry.get("sha256")).isEqualTo(io.chainscore.batch.engine.RunManifest.sha256(part));
    }
    assertThat(Path.of(out + ChainScoreSparkJob.TRANSACTION_QUARANTINE_SUFFIX)).isDirectory();
    try (var names = Files.list(out.getParent())) {
      assertThat(names.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
    }
    assertThat(spark.read().parquet(out.toString()).count()).isEqualTo(((Number) m.get("rows_out")).longValue());

    // again: the finished run of this job, nothing rewritten
    long modified = Files.getLastModifiedTime(manifest).toMillis();
    stdout.reset();
    code = ChainScoreSparkJob.execute(append(argv, "--resume"), new java.io.PrintStream(stdout, true),
        new java.io.PrintStream(stderr, true));
    assertThat(code).isEqualTo(3);
    assertThat(stdout.toString()).startsWith("chainscore-spark: nothing to resume: " + out + " is the finished run of"
        + " this model, these options and these inputs (unchanged), finished at ");
    // the library's entry point does as the command does
    Map<String, Object> again = ChainScoreSparkJob.run(spark, ChainScoreSparkJob.Args.parse(append(argv, "--resume")));
    assertThat(again.get("finished")).isEqualTo(m.get("finished"));
    assertThat(Files.getLastModifiedTime(manifest).toMillis()).isEqualTo(modified);
    // the same portfolio spelled otherwise: relative to the working directory, as a file: URI, with
    // a trailing slash, through a link to its folder (each refused as another portfolio until
    // 2026-12-07)
    Path link = ROOT.resolve("resume-portfolio-link").toAbsolutePath();
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, small.toAbsolutePath());
    for (String spelled : new String[] {Path.of("").toAbsolutePath().relativize(small.toAbsolutePath()).toString(),
        small.toAbsolutePath().toUri().toString(), small.toAbsolutePath() + "/", link.toString()}) {
      String[] otherSpelling = argv.clone();
      otherSpelling[1] = spelled;
      stdout.reset();
      stderr.reset();
      assertThat(ChainScoreSparkJob.execute(append(otherSpelling, "--resume"), new java.io.PrintStream(stdout, true),
          new java.io.PrintStream(stderr, true))).as(spelled + ": " + stderr).isEqualTo(3);
      assertThat(stdout.toString()).as(spelled).startsWith("chainscore-spark: nothing to resume: ");
    }
    assertThat(Files.getLastModifiedTime(manifest).toMillis()).isEqualTo(modified);

    // another job's resume is refused, naming what differs
    stderr.reset();
    String[] otherDay = argv.clone();
    otherDay[3] = "2025-05-31";
    assertThat(ChainScoreSparkJob.execute(append(otherDay, "--resume"), new java.io.PrintStream(stdout, true),
        new java.io.PrintStream(stderr, true))).isEqualTo(2);
    assertThat(stderr.toString().strip()).startsWith("chainscore-spark: " + out + ": the finished run its manifest ")
        .contains("differs from this one in the as-of date (the run's " + SparkTestPortfolio.AS_OF + ")")
        .endsWith("; pass --overwrite to replace it");
    Path anchors = small.resolve("anchors.parquet");
    Files.setLastModifiedTime(anchors, java.nio.file.attribute.FileTime.fromMillis(
        Files.getLastModifiedTime(anchors).toMillis() + 2_000));
    stderr.reset();
    assertThat(ChainScoreSparkJob.execute(append(argv, "--resume"), new java.io.PrintStream(stdout, true),
        new java.io.PrintStream(stderr, true))).isEqualTo(2);
    assertThat(stderr.toString()).contains("the input files (changed since the run)");
    assertThatThrownBy(() -> ChainScoreSparkJob.Args.parse(append(argv, "--resume", "--overwrite")))
        .hasMessageContaining("--overwrite and --resume: choose one");

    // with neither a journal nor a manifest there, --resume runs the job
    Path fresh = ROOT.resolve("resume-fresh").resolve("scores.parquet").toAbsolutePath();
    if (Files.exists(fresh.getParent())) {
      try (var walk = Files.walk(fresh.getParent())) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    String[] freshArgv = argv.clone();
    freshArgv[5] = fresh.toString();
    Map<String, Object> ran = ChainScoreSparkJob.run(spark, ChainScoreSparkJob.Args.parse(append(freshArgv, "--resume")));
    assertThat(((Number) ran.get("rows_out")).longValue()).isEqualTo(((Number) m.get("rows_out")).longValue());
    assertThat(ran.get("started")).isNotEqualTo(m.get("started"));   // a run of its own, not a report
    assertThat(Path.of(fresh + ".manifest.json")).exists();
    assertThat(fresh.resolveSibling(".scores.parquet.manifest.json.commit-journal")).doesNotExist();
  }

  private static void assertBadRowsQuarantinedAsOnOneMachine(boolean sparkReader, boolean engineReader)
      throws IOException {
    assertBadRowsQuarantinedAsOnOneMachine(sparkReader, engineReader, 0, 3, SparkFeatures.RangeOptions.DEFAULT);
  }

  /**
   * As above, on {@code ranges} supplier ranges (0: shuffled) with {@code partitions} asked for,
   * the ranges cut and read as {@code rangeOptions} say.
   */
  private static void assertBadRowsQuarantinedAsOnOneMachine(boolean sparkReader, boolean engineReader, int ranges,
      int partitions, SparkFeatures.RangeOptions rangeOptions) throws IOException {
    Path bad = badPortfolio();

    List<BadRecord> records = new ArrayList<>();
    PortfolioFeatures.Result one = PortfolioFeatures.compute(bad,
        new PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 1, true, PortfolioFeatures.DEFAULT_REGIONS), records::add);
    assertThat(one.quarantined()).as("single machine: %s", records).isEqualTo(34);
    SparkFeatures.Portfolio files = SparkFeatures.Portfolio.readParquet(spark, bad.toAbsolutePath().toString());
    // the path asked for, whatever the files (the bad rows at each file's end make every segment
    // span every range, which the automatic choice would shuffle)
    SparkFeatures.Features f = SparkFeatures.compute(sparkReader ? files.withSparkReader() : files,
        SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, partitions).withPartitioning(ranges == 0
            ? SparkFeatures.Partitioning.SHUFFLE : SparkFeatures.Partitioning.RANGES).withRanges(rangeOptions));
    assertThat(f.readByEngineReader()).isEqualTo(engineReader);
    assertThat(f.supplierRanges()).as("supplier ranges").isEqualTo(ranges);
    List<Row> rows = inOrder(f.table().collectAsList(), one.supplierIds());
    List<Row> refused = f.quarantine().collectAsList();
    f.unpersist();
    // Row for row (as multisets): table, 1-based row, record id, field and reason of the single
    // machine's quarantine file, for every kind of bad row above.
    assertThat(keys(refused, true)).containsExactlyInAnyOrderElementsOf(keysOf(records, true));
    for (Row r : refused) {
      String table = r.getAs("table");
      assertThat((String) r.getAs("file")).as("source of %s", r)
          .endsWith("/" + (table.equals("delivery") ? "deliveries" : table + "s") + ".parquet");
    }
    assertSameFeatures(one, rows);
  }

  /**
   * The 2,000-supplier portfolio with one bad row of each kind the engines refuse (34 in all),
   * written once per run of the class.
   */
  private static synchronized Path badPortfolio() throws IOException {
    if (badPortfolio != null) {
      return badPortfolio;
    }
    Path small = SparkTestPortfolio.generate(ROOT.resolve("small"), 2_000, 10, 24);
    Path bad = ROOT.resolve("bad");
    Files.createDirectories(bad);
    String base = small.toAbsolutePath().toString() + "/";
    Dataset<Row> suppliers = spark.read().parquet(base + "suppliers.parquet");
    Dataset<Row> invoices = spark.read().parquet(base + "invoices.parquet");
    Dataset<Row> loans = spark.read().parquet(base + "loans.parquet");
    Dataset<Row> instalments = spark.read().parquet(base + "instalments.parquet");
    Row s0 = suppliers.first();
    Row i0 = invoices.first();
    Row other = invoices.filter(functions.col("supplier_id").notEqual(i0.getAs("supplier_id"))).first();
    Row l0 = loans.first();
    Row n0 = instalments.first();
    java.sql.Date issued = i0.getAs("issue_date");
    List<Row> badInvoices = List.of(
        with(with(i0, "invoice_id", "X-1"), "supplier_id", "S-NOPE"),                 // unknown supplier
        with(with(i0, "invoice_id", "X-2"), "buyer_id", "A-NOPE"),                    // unknown buyer
        i0,                                                                          // repeated id, same supplier
        with(other, "invoice_id", i0.getAs("invoice_id")),                           // repeated id, another supplier
        with(with(i0, "invoice_id", "X-3"), "due_date",
            java.sql.Date.valueOf(issued.toLocalDate().minusDays(5))),                // due before issue
        with(with(i0, "invoice_id", "X-4"), "amount", null),                         // missing amount
        with(with(i0, "invoice_id", "X-5"), "paid_amount", null),                    // missing paid amount
        with(with(i0, "invoice_id", "X-6"), "paid_date",
            java.sql.Date.valueOf("2300-01-01")),                                    // date out of range
        with(i0, "invoice_id", "X-\u00007"),                                          // NUL inside the id
        // a repeated id whose first occurrence is refused for its supplier (its buyer): the later row
        // claims the id and is accepted, as on one machine (Spark refused it until 2026-12-07)
        with(with(i0, "invoice_id", "X-8"), "supplier_id", "S-NOPE"),
        with(i0, "invoice_id", "X-8"),
        with(with(i0, "invoice_id", "X-9"), "buyer_id", "A-NOPE"),
        with(i0, "invoice_id", "X-9"));
    Row elsewhere = suppliers.filter(functions.col("supplier_id").notEqual(n0.getAs("supplier_id"))
        .and(functions.col("supplier_id").notEqual(l0.getAs("supplier_id")))).first();
    // A supplier that Spark's hash partitioning puts in another partition than n0's supplier for 3
    // and 4 partitions (the counts the tests use): its partition has never seen n0's loan.
    org.apache.spark.sql.Column id = functions.col("supplier_id");
    org.apache.spark.sql.Column n0Supplier = functions.lit((String) n0.getAs("supplier_id"));
    Row otherPartition = suppliers.filter(id.notEqual(n0Supplier).and(id.notEqual(elsewhere.getAs("supplier_id")))
        .and(functions.pmod(functions.hash(id), functions.lit(3)).notEqual(functions.pmod(functions.hash(n0Supplier), functions.lit(3))))
        .and(functions.pmod(functions.hash(id), functions.lit(4)).notEqual(functions.pmod(functions.hash(n0Supplier), functions.lit(4)))))
        .first();
    List<Row> badInstalments = List.of(
        with(n0, "loan_id", "L-NOPE"),                                               // unknown loan
        with(n0, "supplier_id", elsewhere.getAs("supplier_id")),                      // not the loan's supplier
        with(with(n0, "loan_id", l0.getAs("loan_id")), "supplier_id",
            elsewhere.getAs("supplier_id")),                                          // of a loan repeated elsewhere
        with(n0, "supplier_id", otherPartition.getAs("supplier_id")),                 // of a loan another partition holds
        with(n0, "due_date", java.sql.Date.valueOf("2000-01-03")),                   // due before the drawdown: the
                                                                                     // engine's rule, named by its loan id
        n0);                                                                         // repeated: its loan's due date again
    List<Row> badSuppliers = List.of(
        s0,                                                                          // repeated supplier
        with(with(s0, "supplier_id", "S-NEW-1"), "anchor_id", "A-NOPE"),             // unknown anchor
        with(with(s0, "supplier_id", "S-NEW-2"), "sector", "not-a-sector"));         // unknown sector
    Dataset<Row> anchors = spark.read().parquet(base + "anchors.parquet");
    writeTable(anchors, List.of(anchors.first()), bad, "anchors");                    // repeated anchor
    writeTable(suppliers, badSuppliers, bad, "suppliers");
    writeTable(invoices, badInvoices, bad, "invoices");
    writeTable(loans, List.of(l0,                                                    // repeated loan
        with(l0, "supplier_id", elsewhere.getAs("supplier_id")),                      // repeated under another supplier
        with(with(l0, "loan_id", "L-X1"), "supplier_id", "S-NOPE"),                   // first occurrence refused:
        with(l0, "loan_id", "L-X1"),                                                 // the second claims the id (and,
                                                                                     // with no instalment, is refused)
        with(l0, "loan_id", "L-EMPTY")), bad, "loans");                              // no instalment names it
    writeTable(instalments, badInstalments, bad, "instalments");
    // The dated event tables, each with its kinds of bad row.
    Dataset<Row> creditNotes = spark.read().parquet(base + "credit_notes.parquet");
    Dataset<Row> disputes = spark.read().parquet(base + "disputes.parquet");
    Dataset<Row> deliveries = spark.read().parquet(base + "deliveries.parquet");
    Row c0 = creditNotes.first();
    Row d0 = disputes.first();
    Row v0 = deliveries.first();
    java.sql.Date opened = d0.getAs("opened_date");
    Row notC0s = suppliers.filter(functions.col("supplier_id").notEqual(c0.getAs("supplier_id"))).first();
    writeTable(creditNotes, List.of(
        with(with(c0, "credit_note_id", "C-X1"), "supplier_id", "S-NOPE"),            // unknown supplier
        with(with(c0, "credit_note_id", "C-X2"), "invoice_id", "I-NOPE"),             // no such invoice
        with(with(c0, "credit_note_id", "C-X3"), "supplier_id", notC0s.getAs("supplier_id")), // another's invoice
        with(with(c0, "credit_note_id", "C-X4"), "amount", -5.0),                    // negative amount
        c0,                                                                          // repeated id, same supplier
        with(c0, "supplier_id", notC0s.getAs("supplier_id")),                        // repeated id, another supplier
        with(with(c0, "credit_note_id", "C-X1"), "amount", 0.01)), bad, "credit_notes"); // claims the id its first
                                                                                     // occurrence could not
    writeTable(disputes, List.of(
        with(d0, "resolved_date", java.sql.Date.valueOf(opened.toLocalDate().minusDays(3)))), // resolved before opened
        bad, "disputes");
    writeTable(deliveries, List.of(with(v0, "supplier_id", "S-NOPE")), bad, "deliveries"); // unknown supplier
    badPortfolio = bad;
    return bad;
  }

  private static String[] append(String[] argv, String... more) {
    String[] all = java.util.Arrays.copyOf(argv, argv.length + more.length);
    System.arraycopy(more, 0, all, argv.length, more.length);
    return all;
  }
}

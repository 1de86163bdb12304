package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.batch.engine.BatchJob;
import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.batch.scoring.FeatureTableScoring;
import io.chainscore.features.engine.BadRecord;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.features.StandardFeatures;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark (local[2]) against the single-machine engine on a simulated portfolio of 20,000
 * suppliers: the features of {@link PortfolioFeatures} and the scores {@code chainscore score}
 * writes (the batch job into Parquet) must equal Spark's row for row and bit for bit.
 *
 * <p>The portfolio has 10 invoices a year over 24 months (about 400,000 invoices); the tests on
 * smaller portfolios use 2,000 suppliers. The bad-row portfolio's tests, those of the job among
 * them, are {@link SparkBadRowsParityTest}, which shares this class's helpers.
 */
class SparkParityTest {
  private static final Path ROOT = Path.of("target", "spark-parity");
  private static final int SUPPLIERS = 20_000;
  /** The bundles the tests have scored on Spark so far, by hash. */
  private static final java.util.Set<String> BUNDLES_SCORED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static SparkSession spark;
  private static Path portfolio;
  private static PortfolioFeatures.Result single;
  private static long singleQuarantined;
  private static List<BadRecord> singleRecords;
  private static List<Row> sparkRefused;
  private static List<Row> sparkFeatures;
  private static Dataset<Row> sparkTable;
  private static long sparkQuarantined;
  private static boolean readByEngineReader;
  private static Map<String, Long> sparkRowsIn;
  private static boolean bySparkReader;
  private static List<Row> sparkReaderFeatures;
  private static List<Row> sparkReaderRefused;
  private static Map<String, Long> sparkReaderRowsIn;
  private static int rangesUsed;
  private static int shuffledRanges;
  private static List<Row> shuffledFeatures;
  private static List<Row> shuffledRefused;

  @BeforeAll
  static void computeBoth() throws IOException {
    long t0 = System.nanoTime();
    portfolio = SparkTestPortfolio.generate(ROOT.resolve("portfolio"), SUPPLIERS, 10, 24);
    List<BadRecord> bad = new ArrayList<>();
    single = PortfolioFeatures.compute(portfolio,
        new PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 2, true, PortfolioFeatures.DEFAULT_REGIONS), bad::add);
    singleQuarantined = single.quarantined();
    singleRecords = bad;
    long t1 = System.nanoTime();
    spark = SparkTestPortfolio.localSpark(2);
    System.err.printf("spark start %.1f s%n", (System.nanoTime() - t1) / 1e9);
    SparkFeatures.Portfolio files = SparkFeatures.Portfolio.readParquet(spark, portfolio.toAbsolutePath().toString());
    // the supplier ranges path (no shuffle; forced: on files this small the tables of one segment
    // weigh too much for the default limit), then the shuffle path on the same files
    SparkFeatures.Features features = SparkFeatures.compute(files, SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 8)
        .withPartitioning(SparkFeatures.Partitioning.RANGES));
    SparkFeatures.Features shuffled = SparkFeatures.compute(files, SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 8)
        .withPartitioning(SparkFeatures.Partitioning.SHUFFLE));
    rangesUsed = features.supplierRanges();
    shuffledRanges = shuffled.supplierRanges();
    shuffledFeatures = inOrder(shuffled.table().collectAsList(), single.supplierIds());
    shuffledRefused = shuffled.quarantine().collectAsList();
    shuffled.unpersist();
    readByEngineReader = features.readByEngineReader();
    // Spark's rows come partition by partition; put them in the suppliers table's order.
    sparkTable = features.table();
    sparkFeatures = inOrder(sparkTable.collectAsList(), single.supplierIds());
    sparkRefused = features.quarantine().collectAsList();
    sparkQuarantined = sparkRefused.size();
    sparkRowsIn = features.rowsIn();
    features.unpersist();
    // the same tables read by Spark's own reader (a portfolio of Datasets from any source)
    SparkFeatures.Features bySpark = SparkFeatures.compute(files.withSparkReader(),
        SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 8));
    bySparkReader = !bySpark.readByEngineReader();
    sparkReaderFeatures = inOrder(bySpark.table().collectAsList(), single.supplierIds());
    sparkReaderRefused = bySpark.quarantine().collectAsList();
    sparkReaderRowsIn = bySpark.rowsIn();
    bySpark.unpersist();
    System.err.printf("generate+single %.1f s, spark start+features %.1f s%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void features_equalSingleMachineBitForBit() {
    assertThat(single.supplierIds()).hasSize(SUPPLIERS);
    assertThat(single.invoices()).isGreaterThan(250_000);
    assertThat(sparkQuarantined).isEqualTo(singleQuarantined);
    assertThat(keys(sparkRefused, true)).containsExactlyInAnyOrderElementsOf(keysOf(singleRecords, true));
    int nanCells = assertSameFeatures(single, sparkFeatures);
    // The portfolio exercises missing values (new suppliers without history), not only finite ones.
    assertThat(nanCells).isPositive();
    // so a user's aggregate over the DataFrame is the mean of the values there, as over the CLI's file
    // (every such feature's mean and count in one Spark job: the table is not cached, so each job
    // computes the features again)
    FeatureSchema schema = StandardFeatures.SCHEMA;
    List<Integer> withMissing = new ArrayList<>();
    List<double[]> sumAndCount = new ArrayList<>();
    List<org.apache.spark.sql.Column> aggregates = new ArrayList<>();
    for (int j = 0; j < schema.size(); j++) {
      if (schema.feature(j).type() != FeatureType.NUMERIC) {
        continue;
      }
      double sum = 0;
      long n = 0;
      for (int s = 0; s < single.supplierIds().size(); s++) {
        double v = single.matrix()[s * schema.size() + j];
        if (!Double.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      if (n < single.supplierIds().size()) {
        withMissing.add(j);
        sumAndCount.add(new double[] {sum, n});
        aggregates.add(functions.avg(schema.feature(j).name()));
        aggregates.add(functions.count(schema.feature(j).name()));
      }
    }
    assertThat(withMissing).isNotEmpty();
    Row avg = sparkTable.agg(aggregates.get(0), aggregates.subList(1, aggregates.size())
        .toArray(new org.apache.spark.sql.Column[0])).first();
    for (int k = 0; k < withMissing.size(); k++) {
      String name = schema.feature(withMissing.get(k)).name();
      double mean = sumAndCount.get(k)[0] / sumAndCount.get(k)[1];
      assertThat(avg.getLong(2 * k + 1)).as(name).isEqualTo((long) sumAndCount.get(k)[1]);
      assertThat(avg.getDouble(2 * k)).as(name)
          .isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(mean))));
    }
    assertThat(readByEngineReader).as("files read by the engine's reader in Spark's tasks").isTrue();
    assertThat(rangesUsed).as("supplier ranges").isGreaterThan(1);
  }

  /** The same portfolio on the shuffle path (hash partitions of the supplier id): the same features and quarantine. */
  @Test
  void features_shuffled_equalSingleMachineBitForBit() {
    assertThat(shuffledRanges).isZero();
    assertThat(keys(shuffledRefused, true)).containsExactlyInAnyOrderElementsOf(keysOf(singleRecords, true));
    assertSameFeatures(single, shuffledFeatures);
  }

  /**
   * The same portfolio's tables given as Datasets (read by Spark's own Parquet reader, as tables
   * from any other source would be): the same features, quarantine and rows per table; the rows
   * per table from the engine reader's footers equal Spark's counts.
   */
  @Test
  void features_readBySparksReader_equalSingleMachineBitForBit() {
    assertThat(bySparkReader).isTrue();
    assertThat(keys(sparkReaderRefused, true)).containsExactlyInAnyOrderElementsOf(keysOf(singleRecords, true));
    assertSameFeatures(single, sparkReaderFeatures);
    assertThat(sparkRowsIn).isEqualTo(sparkReaderRowsIn).containsEntry("invoices", (long) single.invoices()
        + singleRecords.stream().filter(r -> r.table().equals("invoice")).count());
  }

  /** Asserts Spark's rows (in the single machine's supplier order) equal its matrix bit for bit; returns the NaN cells. */
  static int assertSameFeatures(PortfolioFeatures.Result single, List<Row> sparkFeatures) {
    assertThat(sparkFeatures).hasSize(single.supplierIds().size());
    FeatureSchema schema = StandardFeatures.SCHEMA;
    int width = schema.size();
    int nanCells = 0;
    for (int s = 0; s < sparkFeatures.size(); s++) {
      Row row = sparkFeatures.get(s);
      assertThat(row.getString(0)).as("supplier at row %d", s).isEqualTo(single.supplierIds().get(s));
      assertThat(row.getDate(1).toLocalDate()).isEqualTo(SparkTestPortfolio.AS_OF);
      for (int j = 0; j < width; j++) {
        double expected = single.matrix()[s * width + j];
        FeatureSpec f = schema.feature(j);
        if (f.type() == FeatureType.CATEGORICAL) {
          String code = Double.isNaN(expected) ? null : f.categories().get((int) expected);
          assertThat(row.getString(2 + j)).as("%s of %s", f.name(), row.getString(0)).isEqualTo(code);
        } else if (Double.isNaN(expected)) {
          // a missing value is null, as chainscore features writes it, never NaN
          nanCells++;
          assertThat(row.isNullAt(2 + j)).as("%s of %s is missing: null", f.name(), row.getString(0)).isTrue();
        } else {
          double actual = row.getDouble(2 + j);
          assertThat(Double.doubleToLongBits(actual)).as("%s of %s: %s vs %s", f.name(), row.getString(0), actual, expected)
              .isEqualTo(Double.doubleToLongBits(expected));
        }
      }
    }
    return nanCells;
  }

  /**
   * The quarantine rows as {@code table|file|row|field|reason} (with the record id after the table
   * when {@code withRecordId}; the file by its name, as the two engines name its directory
   * differently, {@code file:/...} and as given): the columns of {@code chainscore features}'
   * quarantine file. Compared as multisets: the single machine reports in reading order, Spark
   * partition by partition.
   */
  static List<String> keys(List<Row> rows, boolean withRecordId) {
    List<String> keys = new ArrayList<>();
    for (Row r : rows) {
      keys.add(r.getAs("table") + (withRecordId ? "|" + r.getAs("record_id") : "") + "|" + fileName(r.getAs("file"))
          + "|" + r.getAs("row") + "|" + r.getAs("field") + "|" + r.getAs("reason"));
    }
    return keys;
  }

  /** The last part of a file's path (its name), null for null. */
  static String fileName(String file) {
    return file == null ? null : file.substring(file.lastIndexOf('/') + 1);
  }

  /**
   * Which suppliers of a feature matrix the bundled scorecard refuses for too many missing
   * features, counted by hand: the features its characteristics read (from the bundle file), and a
   * supplier missing more than its max_missing_share of them.
   */
  static boolean[] tooManyMissing(PortfolioFeatures.Result features) throws IOException {
    com.fasterxml.jackson.databind.JsonNode file = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        DefaultModels.class.getResourceAsStream(DefaultModels.SCORECARD + ".json"));
    java.util.Set<Integer> used = new java.util.TreeSet<>();
    file.get("model").get("characteristics")
        .forEach(c -> used.add(StandardFeatures.SCHEMA.indexOf(c.get("feature").asText())));
    double share = file.get("max_missing_share").asDouble();
    int width = StandardFeatures.SCHEMA.size();
    int n = features.supplierIds().size();
    boolean[] refused = new boolean[n];
    for (int s = 0; s < n; s++) {
      int missing = 0;
      for (int j : used) {
        missing += Double.isNaN(features.matrix()[s * width + j]) ? 1 : 0;
      }
      refused[s] = missing > share * used.size();
    }
    return refused;
  }

  static int count(boolean[] flags) {
    int n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    return n;
  }

  static List<String> keysOf(List<BadRecord> records, boolean withRecordId) {
    List<String> keys = new ArrayList<>();
    for (BadRecord r : records) {
      keys.add(r.table() + (withRecordId ? "|" + r.recordId() : "") + "|" + fileName(r.file()) + "|" + r.row() + "|"
          + r.field() + "|" + r.reason());
    }
    return keys;
  }

  /** Spark's feature rows in the order of {@code ids}. */
  static List<Row> inOrder(List<Row> rows, List<String> ids) {
    Map<String, Row> byId = new java.util.HashMap<>();
    for (Row r : rows) {
      assertThat(byId.put(r.getString(0), r)).as("supplier %s appears once", r.getString(0)).isNull();
    }
    List<Row> ordered = new ArrayList<>();
    for (String id : ids) {
      if (byId.containsKey(id)) {
        ordered.add(byId.get(id));
      }
    }
    assertThat(ordered).hasSize(byId.size());
    return ordered;
  }

  static Row with(Row row, String column, Object value) {
    Object[] values = new Object[row.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    values[row.fieldIndex(column)] = value;
    return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(values, row.schema());
  }

  /** Writes {@code table} plus {@code extra} rows at its end as the single Parquet file {@code dir/name.parquet}. */
  /**
   * A copy of portfolio {@code small} in {@code ROOT/name} with table {@code table} written by Spark
   * from {@code rewritten} in one file with Parquet codec {@code codec}.
   */
  private static Path withOneTableRewritten(Path small, String name, String table, Dataset<Row> rewritten,
      String codec) throws IOException {
    Path dir = ROOT.resolve(name).toAbsolutePath();
    Files.createDirectories(dir);
    for (String t : new String[] {"anchors", "suppliers", "invoices", "loans", "instalments", "credit_notes",
        "disputes", "deliveries"}) {
      if (!t.equals(table)) {
        Files.copy(small.resolve(t + ".parquet"), dir.resolve(t + ".parquet"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path staging = dir.resolve(table + ".staging");
    rewritten.coalesce(1).write().mode(org.apache.spark.sql.SaveMode.Overwrite).option("compression", codec)
        .parquet(staging.toString());
    try (var files = Files.list(staging)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.move(part, dir.resolve(table + ".parquet"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return dir;
  }

  static void writeTable(Dataset<Row> table, List<Row> extra, Path dir, String name) throws IOException {
    Path staging = dir.resolve(name + ".staging").toAbsolutePath();
    Dataset<Row> all = extra.isEmpty() ? table : table.union(table.sparkSession().createDataFrame(extra, table.schema()));
    all.coalesce(1).write().mode(org.apache.spark.sql.SaveMode.Overwrite).parquet(staging.toString());
    try (var files = Files.list(staging)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.move(part, dir.resolve(name + ".parquet"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }


  /**
   * A table split over many files is read in file-name order, as if its files were one: the
   * 2,000-supplier portfolio with its invoices dealt round-robin into 12 files (more than are
   * matched by path, so the file index comes from the broadcast list; every supplier's invoices
   * span all 12) and its deliveries into 3 gives, on Spark, the single machine's features on the
   * same rows in one file each, concatenated in file-name order, bit for bit.
   */
  @Test
  void splitTables_readInFileOrder_equalSingleMachineBitForBit() throws IOException {
    Path small = SparkTestPortfolio.generate(ROOT.resolve("small"), 2_000, 10, 24).toAbsolutePath();
    Path split = ROOT.resolve("split").toAbsolutePath();
    Path joined = ROOT.resolve("joined").toAbsolutePath();
    for (Path old : new Path[] {split, joined}) {
      if (Files.exists(old)) {
        try (var walk = Files.walk(old)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
    Files.createDirectories(split);
    Files.createDirectories(joined);
    for (String table : new String[] {"anchors", "suppliers", "loans", "instalments", "credit_notes", "disputes",
        "invoices", "deliveries"}) {
      Path source = small.resolve(table + ".parquet");
      int files = table.equals("invoices") ? 12 : table.equals("deliveries") ? 3 : 1;
      if (files == 1) {
        Files.copy(source, split.resolve(table + ".parquet"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(source, joined.resolve(table + ".parquet"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        continue;
      }
      Dataset<Row> rows = spark.read().parquet(source.toString());
      Dataset<Row> dealt = rows.select(functions.col("*"), functions.col("_metadata.row_index").as("_r"))
          .withColumn("_k", functions.pmod(functions.col("_metadata.row_index"), functions.lit(files)));
      if (table.equals("invoices")) {
        // refused rows in three parts: two amounts missing (refused by the reader, named by their
        // ids) and an unknown supplier (refused by a rule)
        org.apache.spark.sql.Column r = functions.col("_r");
        dealt = dealt
            .withColumn("amount", functions.when(r.isin(13L, 250L), functions.lit(null)
                .cast(rows.schema().apply("amount").dataType())).otherwise(functions.col("amount")))
            .withColumn("supplier_id", functions.when(r.equalTo(1_007L), functions.lit("S-404"))
                .otherwise(functions.col("supplier_id")));
      }
      Path dir = split.resolve(table + ".parquet");
      Files.createDirectories(dir);
      for (int k = 0; k < files; k++) {
        Dataset<Row> part = dealt.filter(functions.col("_k").equalTo(k)).orderBy("_r").drop("_r", "_k");
        String name = String.format("%s-part-%02d", table, k);
        writeTable(part, List.of(), split, name);
        Files.move(split.resolve(name + ".parquet"), dir.resolve(String.format("part-%02d.parquet", k)),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      writeTable(dealt.orderBy("_k", "_r").drop("_r", "_k"), List.of(), joined, table);
    }
    PortfolioFeatures.Result one = PortfolioFeatures.compute(joined,
        new PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 1, true, PortfolioFeatures.DEFAULT_REGIONS), b -> { });
    // the single machine reads the split directories too, as the one file they concatenate into
    // (a refused row named by its part file and its row there)
    List<BadRecord> partRecords = new ArrayList<>();
    PortfolioFeatures.Result fromParts = PortfolioFeatures.compute(split,
        new PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 2, true, PortfolioFeatures.DEFAULT_REGIONS),
        partRecords::add);
    assertThat(fromParts.invoices()).isEqualTo(one.invoices());
    assertThat(fromParts.quarantined()).isEqualTo(one.quarantined());
    assertThat(fromParts.matrix()).isEqualTo(one.matrix());
    SparkFeatures.Features f = SparkFeatures.compute(SparkFeatures.Portfolio.readParquet(spark, split.toString()),
        SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3));
    List<Row> rows = inOrder(f.table().collectAsList(), one.supplierIds());
    List<Row> refused = f.quarantine().collectAsList();
    assertThat(f.rowsIn()).containsEntry("invoices", one.invoices());
    assertThat(f.readByEngineReader()).isTrue();
    f.unpersist();
    assertThat((long) refused.size()).isEqualTo(one.quarantined());
    // the same part files and rows in them as on one machine
    assertThat(partRecords).filteredOn(r -> r.file().contains("/invoices.parquet/part-"))
        .extracting(r -> fileName(r.file()) + "|" + r.row() + "|" + r.field())
        .containsExactlyInAnyOrder("part-01.parquet|2|amount", "part-10.parquet|21|amount",
            "part-11.parquet|84|supplier_id");
    assertThat(keys(refused, true)).containsExactlyInAnyOrderElementsOf(keysOf(partRecords, true));
    assertSameFeatures(one, rows);

    // The same directory given by name (as the job does): its files listed through Hadoop's file
    // system, not Spark's reader; the same features, rows in and quarantine.
    SparkFeatures.Features byName = SparkFeatures.computeParquet(spark, split.toString(),
        SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3));
    assertThat(byName.readByEngineReader()).isTrue();
    // every supplier's invoices in all 12 files: not clustered, so shuffled, by the default limit
    assertThat(byName.supplierRanges()).as("supplier ranges on files not clustered").isZero();
    assertThat(byName.rowsIn()).isEqualTo(f.rowsIn());
    assertThat(byName.quarantine().count()).isEqualTo(one.quarantined());
    assertSameFeatures(one, inOrder(byName.table().collectAsList(), one.supplierIds()));
    byName.unpersist();

    // Again with every shuffled block of every partition written to Spark's scratch space and read
    // back as the merge reaches it (SupplierBlocks' spill), and the files' footers read by a Spark
    // job instead of the driver (as for tables of many part files): the same features.
    long limit = SupplierBlocks.spillAfterBytes;
    SupplierBlocks.spillAfterBytes = 0;
    EngineReads.footersOnDriver = 0;
    try {
      SparkFeatures.Features spilled = SparkFeatures.compute(
          SparkFeatures.Portfolio.readParquet(spark, split.toString()), SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3));
      assertSameFeatures(one, inOrder(spilled.table().collectAsList(), one.supplierIds()));
      assertThat(spilled.readByEngineReader()).isTrue();
      assertThat(spilled.rowsIn()).isEqualTo(f.rowsIn());
      spilled.unpersist();
    } finally {
      SupplierBlocks.spillAfterBytes = limit;
      EngineReads.footersOnDriver = 32;
    }
  }

  /**
   * Files clustered by supplier (as {@code chainscore generate} writes them), the invoices cut into
   * three part files in the middle of a supplier's rows, each of several segments: the job takes
   * the supplier ranges path by itself (no shuffle), whose ranges are cut at segments, so suppliers'
   * rows span segment and file boundaries that fall inside ranges and between them; the single
   * machine's features and quarantine, bit for bit, for 8, 3 and 1 partitions. (Files not
   * clustered, which the job shuffles by itself: splitTables_readInFileOrder.)
   */
  @Test
  void clusteredFiles_takeTheSupplierRangesPath_equalSingleMachineBitForBit() throws IOException {
    Path clustered = ROOT.resolve("clustered").toAbsolutePath();
    if (Files.exists(clustered)) {
      try (var walk = Files.walk(clustered)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(clustered.resolve("invoices.parquet"));
    Path source = portfolio.toAbsolutePath();
    for (String table : new String[] {"anchors", "suppliers", "loans", "instalments", "credit_notes", "disputes",
        "deliveries"}) {
      Files.copy(source.resolve(table + ".parquet"), clustered.resolve(table + ".parquet"));
    }
    Dataset<Row> invoices = spark.read().parquet(source.resolve("invoices.parquet").toString())
        .select(functions.col("*"), functions.col("_metadata.row_index").as("_r"));
    long n = single.invoices();
    assertThat(n).isGreaterThan(3 * 65_536L);   // several segments per part file
    // cut into three ranges of rows of about a third each (Spark's range partitioning samples),
    // in one job, each in row order: the cuts fall inside suppliers' invoices; row groups of about
    // 256 KB, so that each part file has several segments
    Path staging = clustered.resolve("invoices.staging");
    invoices.repartitionByRange(3, functions.col("_r")).sortWithinPartitions("_r").drop("_r").write()
        .option("parquet.block.size", 256 << 10).parquet(staging.toString());
    List<Path> parts;
    try (var files = Files.list(staging)) {
      parts = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    assertThat(parts).hasSize(3);
    for (int k = 0; k < 3; k++) {
      Files.move(parts.get(k), clustered.resolve("invoices.parquet").resolve("part-" + k + ".parquet"));
    }
    List<BadRecord> records = new ArrayList<>();
    PortfolioFeatures.Result one = PortfolioFeatures.compute(clustered,
        new PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 2, true, PortfolioFeatures.DEFAULT_REGIONS),
        records::add);
    assertThat(one.invoices()).isEqualTo(n);
    assertThat(one.matrix()).isEqualTo(single.matrix());
    // on files this small the tables of one segment, read by every range, weigh too much for the
    // default limit (SupplierRangesTest checks the limit's choice): the ranges asked for
    {
      for (int partitions : new int[] {8, 3, 1}) {
        SparkFeatures.Features f = SparkFeatures.computeParquet(spark, clustered.toString(),
            SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, partitions)
                .withPartitioning(SparkFeatures.Partitioning.RANGES));
        String what = partitions + " partitions";
        assertThat(f.supplierRanges()).as(what).isBetween(Math.max(1, (partitions + 1) / 2), partitions);
        List<Row> rows = inOrder(f.table().collectAsList(), one.supplierIds());
        List<Row> refused = f.quarantine().collectAsList();
        f.unpersist();
        assertThat(keys(refused, true)).as(what).containsExactlyInAnyOrderElementsOf(keysOf(records, true));
        assertSameFeatures(one, rows);
      }
    }
  }

  /**
   * A table in a codec the batch engine's Parquet reader does not decode (Hadoop-framed LZ4, as
   * Spark writes with {@code compression=lz4}): the whole portfolio is then read by Spark's own
   * reader, with the same features as the single machine (which reads that file with Arrow's).
   */
  @Test
  void fileTheEngineReaderDoesNotDecode_isReadBySparksReader() throws IOException {
    Path small = SparkTestPortfolio.generate(ROOT.resolve("small"), 2_000, 10, 24).toAbsolutePath();
    Path lz4 = withOneTableRewritten(small, "lz4", "instalments",
        spark.read().parquet(small.resolve("instalments.parquet").toString()), "lz4");
    PortfolioFeatures.Options options = new PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 2, true,
        PortfolioFeatures.DEFAULT_REGIONS);
    PortfolioFeatures.Result one = PortfolioFeatures.compute(lz4, options, b -> { });
    assertThat(one.matrix()).isEqualTo(PortfolioFeatures.compute(small, options, b -> { }).matrix());
    assertReadBySparksReaderAs(lz4, one);
    // a required table missing: Spark's reader says so, as before
    Files.move(lz4.resolve("loans.parquet"), lz4.resolve("loans.parquet.away"), StandardCopyOption.REPLACE_EXISTING);
    try {
      assertThatThrownBy(() -> SparkFeatures.computeParquet(spark, lz4.toString(),
          SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3))).hasMessageContaining("loans.parquet");
    } finally {
      Files.move(lz4.resolve("loans.parquet.away"), lz4.resolve("loans.parquet"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Amounts stored as text (Spark's cast of the doubles to strings): in snappy, which the engine's
   * reader decodes, each value is read by the CSV reader's rules, the features those of the numbers,
   * on one machine and on Spark; in LZ4, which Spark's reader would read, casting the text by its
   * own rules, refused before any row is read, naming file and column. A missing column is refused
   * in the single-machine reader's words (its rule, from the files' footers), whichever reader
   * would read the file: invoices without {@code due_date} (before, it failed in Spark's words with
   * a dump of the query plan).
   */
  @Test
  void textAmountsOrMissingColumn_areReadOrRefusedByTheEnginesRule() throws IOException {
    Path small = SparkTestPortfolio.generate(ROOT.resolve("small"), 2_000, 10, 24).toAbsolutePath();
    Dataset<Row> invoices = spark.read().parquet(small.resolve("invoices.parquet").toString());
    PortfolioFeatures.Options options = new PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 2, true,
        PortfolioFeatures.DEFAULT_REGIONS);
    PortfolioFeatures.Result one = PortfolioFeatures.compute(small, options, b -> { });
    for (String codec : new String[] {"snappy", "lz4"}) {
      Path text = withOneTableRewritten(small, "text-amount-" + codec, "invoices",
          invoices.withColumn("amount", functions.col("amount").cast("string")), codec);
      assertThat(PortfolioFeatures.compute(text, options, b -> { }).matrix()).as(codec).isEqualTo(one.matrix());
      if (codec.equals("snappy")) {
        SparkFeatures.Features f = SparkFeatures.computeParquet(spark, text.toString(),
            SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3));
        assertThat(f.readByEngineReader()).isTrue();
        assertSameFeatures(one, inOrder(f.table().collectAsList(), one.supplierIds()));
        f.unpersist();
        continue;
      }
      assertThatThrownBy(() -> SparkFeatures.computeParquet(spark, text.toString(),
          SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3)))
          .isInstanceOf(io.chainscore.tables.InputFormatException.class)
          .hasMessageStartingWith("file:" + text.resolve("invoices.parquet") + ", column amount: holds its values"
              + " as text, which only this engine's reader reads");
    }
    Path missing = withOneTableRewritten(small, "no-due-date", "invoices", invoices.drop("due_date"), "snappy");
    assertThatThrownBy(() -> SparkFeatures.computeParquet(spark, missing.toString(),
        SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3)))
        .hasMessageStartingWith("file:" + missing.resolve("invoices.parquet") + ", column due_date: missing from the"
            + " file's columns; expected columns ")
        .hasMessageContaining("due_date");
  }

  /**
   * A supplier whose region is not valid UTF-8 (bytes C3 28, as Spark writes a cast of binary to
   * string): the engine's reader in Spark's tasks refuses the row as the single machine does, with
   * its reason; Spark's own reader decodes it and does not (the difference docs/scale-out.md
   * lists for that reader).
   */
  @Test
  void invalidUtf8_isRefusedByTheEngineReaderAsOnOneMachine() throws IOException {
    Path small = SparkTestPortfolio.generate(ROOT.resolve("small"), 2_000, 10, 24).toAbsolutePath();
    Dataset<Row> suppliers = spark.read().parquet(small.resolve("suppliers.parquet").toString());
    String victim = suppliers.orderBy("supplier_id").first().getString(0);
    suppliers = suppliers.withColumn("region", functions.when(functions.col("supplier_id").equalTo(victim),
        functions.unhex(functions.lit("C328")).cast("string")).otherwise(functions.col("region")));
    Path invalid = withOneTableRewritten(small, "utf8", "suppliers", suppliers, "snappy");
    List<BadRecord> records = new ArrayList<>();
    PortfolioFeatures.Result one = PortfolioFeatures.compute(invalid, new PortfolioFeatures.Options(
        SparkTestPortfolio.AS_OF, 2, true, PortfolioFeatures.DEFAULT_REGIONS), records::add);
    assertThat(records).anySatisfy(r -> assertThat(r.field() + " " + r.reason()).startsWith("region ")
        .contains("not valid UTF-8"));
    SparkFeatures.Features f = SparkFeatures.computeParquet(spark, invalid.toString(),
        SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3));
    assertThat(f.readByEngineReader()).isTrue();
    assertThat(keys(f.quarantine().collectAsList(), true)).containsExactlyInAnyOrderElementsOf(keysOf(records, true));
    assertSameFeatures(one, inOrder(f.table().collectAsList(), one.supplierIds()));
    f.unpersist();
    SparkFeatures.Features bySpark = SparkFeatures.compute(
        SparkFeatures.Portfolio.readParquet(spark, invalid.toString()).withSparkReader(),
        SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3));
    assertThat(bySpark.table().filter(functions.col("supplier_id").equalTo(victim)).count()).isEqualTo(1);
    bySpark.unpersist();
  }

  /**
   * Invoice dates as Spark's own TIMESTAMP (instants: midnight in the session's zone, here
   * Asia/Shanghai, 16:00 UTC the day before), written as INT96 (Spark's default) and as
   * TIMESTAMP_MICROS: the tasks read them with the engine's reader in the session's zone, as
   * Spark's reader casts them, and give the generator's features, as Spark's reader does. On one
   * machine such a file is refused without a zone (naming the column and the option), gives the same
   * features read in the session's zone, and others read in UTC (each date a day earlier).
   */
  @Test
  void instantDates_areReadInTheSessionsZone_byTheEngineReaderAndOnOneMachine() throws IOException {
    String zoneBefore = spark.conf().get("spark.sql.session.timeZone");
    String typeBefore = spark.conf().get("spark.sql.parquet.outputTimestampType");
    spark.conf().set("spark.sql.session.timeZone", "Asia/Shanghai");
    try {
      Path small = SparkTestPortfolio.generate(ROOT.resolve("small"), 2_000, 10, 24).toAbsolutePath();
      PortfolioFeatures.Options options = new PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 2, true,
          PortfolioFeatures.DEFAULT_REGIONS);
      PortfolioFeatures.Result original = PortfolioFeatures.compute(small, options, b -> { });
      for (String type : new String[] {"INT96", "TIMESTAMP_MICROS"}) {
        spark.conf().set("spark.sql.parquet.outputTimestampType", type);
        Dataset<Row> invoices = spark.read().parquet(small.resolve("invoices.parquet").toString());
        for (String date : new String[] {"issue_date", "due_date", "paid_date"}) {
          invoices = invoices.withColumn(date, functions.col(date).cast("timestamp"));
        }
        Path zoned = withOneTableRewritten(small, "zoned-" + type, "invoices", invoices, "snappy");
        try (var footer = org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(zoned.resolve("invoices.parquet").toString()),
                spark.sparkContext().hadoopConfiguration()))) {
          assertThat(footer.getFileMetaData().getSchema().getType("issue_date").asPrimitiveType()
              .getPrimitiveTypeName().name()).isEqualTo(type.equals("INT96") ? "INT96" : "INT64");
        }
        assertThatThrownBy(() -> PortfolioFeatures.compute(zoned, options, b -> { }))
            .hasMessageContaining("issue_date").hasMessageContaining("--time-zone");
        PortfolioFeatures.Result inZone = PortfolioFeatures.compute(zoned, withZone(options, "Asia/Shanghai"), b -> { });
        assertThat(inZone.supplierIds()).isEqualTo(original.supplierIds());
        assertThat(inZone.matrix()).as(type).isEqualTo(original.matrix());
        assertThat(PortfolioFeatures.compute(zoned, withZone(options, "UTC"), b -> { }).matrix()).as(type)
            .isNotEqualTo(original.matrix());
        // the model developer's reader (TableBatches, Arrow's C++ reader) too: the dates as written in
        // the session's zone, others in UTC, refused without a zone
        List<String> written = genericDates(small.resolve("invoices.parquet"), null);
        assertThat(written).hasSizeGreaterThan(10_000);
        assertThat(genericDates(zoned.resolve("invoices.parquet"), java.time.ZoneId.of("Asia/Shanghai"))).as(type)
            .isEqualTo(written);
        // midnight in Shanghai is 16:00 UTC the day before
        List<String> dayBefore = written.stream().map(r -> r.substring(0, r.indexOf(' ') + 1)
            + java.time.LocalDate.parse(r.substring(r.indexOf(' ') + 1)).minusDays(1)).sorted().toList();
        assertThat(genericDates(zoned.resolve("invoices.parquet"), java.time.ZoneOffset.UTC)).as(type)
            .isEqualTo(dayBefore);
        assertThatThrownBy(() -> genericDates(zoned.resolve("invoices.parquet"), null))
            .hasMessageContaining("column issue_date: " + (type.equals("INT96") ? "holds Parquet INT96 timestamps"
                : "is read from Parquet as Arrow type Timestamp(MICROSECOND, UTC)"))
            .hasMessageContaining("--time-zone");
        if (type.equals("INT96")) {
          // in a codec only Arrow's C++ reader decodes (Hadoop's lz4), which would read INT96 without
          // its zone: refused, naming the column
          Path lz4 = withOneTableRewritten(small, "zoned-INT96-lz4", "invoices", invoices, "lz4");
          assertThatThrownBy(() -> PortfolioFeatures.compute(lz4, withZone(options, "Asia/Shanghai"), b -> { }))
              .hasMessageContaining("column issue_date: holds INT96 timestamps");
          // the generic reader knows INT96 columns by the footer, whatever the codec
          assertThat(genericDates(lz4.resolve("invoices.parquet"), java.time.ZoneId.of("Asia/Shanghai")))
              .isEqualTo(written);
        }
        SparkFeatures.Options sparkOptions = SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3);
        SparkFeatures.Features f = SparkFeatures.computeParquet(spark, zoned.toString(), sparkOptions);
        assertThat(f.readByEngineReader()).as(type).isTrue();
        assertThat(f.quarantine().count()).isEqualTo(original.quarantined());
        assertSameFeatures(original, inOrder(f.table().collectAsList(), original.supplierIds()));
        f.unpersist();
        SparkFeatures.Features bySpark = SparkFeatures.compute(
            SparkFeatures.Portfolio.readParquet(spark, zoned.toString()).withSparkReader(), sparkOptions);
        assertThat(bySpark.readByEngineReader()).isFalse();
        assertSameFeatures(original, inOrder(bySpark.table().collectAsList(), original.supplierIds()));
        bySpark.unpersist();
      }
    } finally {
      spark.conf().set("spark.sql.session.timeZone", zoneBefore);
      spark.conf().set("spark.sql.parquet.outputTimestampType", typeBefore);
    }
  }

  /**
   * "invoice_id issue_date" of every invoice of {@code file} as the model developer's reader
   * ({@link io.chainscore.batch.io.TableBatches}) reads them, instants in {@code zone}, sorted.
   */
  private static List<String> genericDates(Path file, java.time.ZoneId zone) throws IOException {
    List<String> rows = new ArrayList<>();
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator()) {
      io.chainscore.batch.io.TableBatches.read(file, io.chainscore.batch.io.TableBatches.Format.PARQUET, zone, allocator,
          new io.chainscore.batch.io.TableBatches.Visitor() {
            private io.chainscore.batch.io.TableBatches.Dates dates;
            private int id;
            private int date;

            @Override
            public void schema(org.apache.arrow.vector.VectorSchemaRoot root, io.chainscore.batch.io.TableBatches.Dates d) {
              dates = d;
              List<String> names = root.getSchema().getFields().stream().map(f -> f.getName()).toList();
              id = names.indexOf("invoice_id");
              date = names.indexOf("issue_date");
              assertThat(d.holds(date)).isTrue();
            }

            @Override
            public void batch(org.apache.arrow.vector.VectorSchemaRoot root) {
              for (int i = 0; i < root.getRowCount(); i++) {
                rows.add(root.getVector(id).getObject(i) + " " + java.time.LocalDate.ofEpochDay(
                    dates.epochDay(date, root.getVector(date), i)));
              }
            }
          });
    }
    java.util.Collections.sort(rows);
    return rows;
  }

  private static PortfolioFeatures.Options withZone(PortfolioFeatures.Options o, String zone) {
    return new PortfolioFeatures.Options(o.asOf(), o.threads(), o.checkDuplicateInvoices(), o.regions(),
        java.time.ZoneId.of(zone));
  }

  /**
   * The portfolio under {@code dir}, given as Datasets by {@code readParquet} and by name to {@code
   * computeParquet}, is read by Spark's reader both ways, with the features and the number of
   * refused rows of {@code expected}.
   */
  private static void assertReadBySparksReaderAs(Path dir, PortfolioFeatures.Result expected) {
    for (boolean byName : new boolean[] {false, true}) {
      SparkFeatures.Options options = SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3);
      SparkFeatures.Features f = byName ? SparkFeatures.computeParquet(spark, dir.toString(), options)
          : SparkFeatures.compute(SparkFeatures.Portfolio.readParquet(spark, dir.toString()), options);
      assertThat(f.readByEngineReader()).as("by name: %s", byName).isFalse();
      List<Row> rows = inOrder(f.table().collectAsList(), expected.supplierIds());
      assertThat(f.quarantine().count()).isEqualTo(expected.quarantined());
      f.unpersist();
      assertSameFeatures(expected, rows);
    }
  }

  /**
   * Invoices as Spark writes its own types, money as DECIMAL(18, 2) and dates as TIMESTAMP_NTZ at
   * 13:00 (a timestamp without a time zone), give the features of the generator's DOUBLE and DATE
   * files on both engines, bit for bit: the single machine reads each decimal as the double nearest
   * to it and each timestamp as its date, and Spark casts them the same way.
   */
  @Test
  void sparkWrittenDecimalsAndLocalTimestamps_equalSingleMachineBitForBit() throws IOException {
    Path small = SparkTestPortfolio.generate(ROOT.resolve("small"), 2_000, 10, 24).toAbsolutePath();
    Path typed = ROOT.resolve("typed").toAbsolutePath();
    Files.createDirectories(typed);
    for (String table : new String[] {"anchors", "suppliers", "loans", "instalments", "credit_notes", "disputes",
        "deliveries"}) {
      Files.copy(small.resolve(table + ".parquet"), typed.resolve(table + ".parquet"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Dataset<Row> invoices = spark.read().parquet(small.resolve("invoices.parquet").toString());
    for (String money : new String[] {"amount", "paid_amount"}) {
      invoices = invoices.withColumn(money, functions.col(money).cast("decimal(18,2)"));
    }
    for (String date : new String[] {"issue_date", "due_date", "paid_date"}) {
      invoices = invoices.withColumn(date, functions.expr("cast(" + date + " as timestamp_ntz) + interval 13 hours"));
    }
    writeTable(invoices, List.of(), typed, "invoices");
    assertThat(spark.read().parquet(typed.resolve("invoices.parquet").toString()).schema().apply("amount").dataType()
        .typeName()).startsWith("decimal");
    PortfolioFeatures.Options options = new PortfolioFeatures.Options(SparkTestPortfolio.AS_OF, 2, true,
        PortfolioFeatures.DEFAULT_REGIONS);
    PortfolioFeatures.Result original = PortfolioFeatures.compute(small, options, b -> { });
    PortfolioFeatures.Result fromTyped = PortfolioFeatures.compute(typed, options, b -> { });
    assertThat(fromTyped.invoices()).isEqualTo(original.invoices());
    assertThat(fromTyped.matrix()).isEqualTo(original.matrix());
    SparkFeatures.Features f = SparkFeatures.compute(SparkFeatures.Portfolio.readParquet(spark, typed.toString()),
        SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3));
    List<Row> rows = inOrder(f.table().collectAsList(), original.supplierIds());
    assertThat(f.quarantine().count()).isEqualTo(original.quarantined());
    assertThat(f.readByEngineReader()).isTrue();
    f.unpersist();
    assertSameFeatures(original, rows);
  }

  /** The same bad rows read by Spark's own reader (tables given as Datasets). */

  /**
   * Deliveries whose invoice id the engine reader leaves unread (the file proves it present in
   * every row, as chainscore features leaves it): the refused ones are named from that column
   * alone afterwards, on the shuffle and on the supplier ranges, as on one machine: an unknown
   * supplier (named by its id), a missing date (the reader's refusal, named by the id it read
   * first), an unknown supplier whose id is not valid UTF-8 (named ?: the second read refuses the
   * id); and a known supplier's delivery whose id is not valid UTF-8 is accepted, the id's rules
   * not checked when it is not read, on both engines.
   */
  @Test
  void deliveryIdsLeftUnread_refusedDeliveriesAreNamedAsOnOneMachine() throws IOException {
    Path small = SparkTestPortfolio.generate(ROOT.resolve("small"), 2_000, 10, 24).toAbsolutePath();
    Dataset<Row> deliveries = spark.read().parquet(small.resolve("deliveries.parquet").toString());
    Row v0 = deliveries.first();
    Row last = deliveries.orderBy(functions.col("supplier_id").desc()).first();
    List<Row> extra = List.of(
        with(with(v0, "invoice_id", "I-UNREAD-1"), "supplier_id", "S-NOPE"),         // unknown supplier
        with(with(v0, "invoice_id", "I-UNREAD-2"), "promised_date", null),           // refused by the reader
        with(with(v0, "invoice_id", "I-BADUTF8-1"), "supplier_id", "S-NOPE"),        // named ?: its id not UTF-8
        with(last, "invoice_id", "I-BADUTF8-2"));                                    // accepted: its id unread
    Dataset<Row> rewritten = deliveries.union(spark.createDataFrame(extra, deliveries.schema()))
        .withColumn("invoice_id", functions.when(functions.col("invoice_id").startsWith("I-BADUTF8"),
            functions.unhex(functions.concat(functions.lit("C328"), functions.hex(functions.col("invoice_id"))))
                .cast("string")).otherwise(functions.col("invoice_id")));
    Path dir = withOneTableRewritten(small, "unread-delivery-ids", "deliveries", rewritten, "snappy");
    List<BadRecord> records = new ArrayList<>();
    PortfolioFeatures.Result one = PortfolioFeatures.compute(dir, new PortfolioFeatures.Options(
        SparkTestPortfolio.AS_OF, 2, true, PortfolioFeatures.DEFAULT_REGIONS), records::add);
    List<BadRecord> delivered = records.stream().filter(r -> r.table().equals("delivery")).toList();
    assertThat(delivered).extracting(BadRecord::recordId).containsExactlyInAnyOrder("I-UNREAD-1", "I-UNREAD-2", "?");
    for (SparkFeatures.Partitioning partitioning : List.of(SparkFeatures.Partitioning.SHUFFLE,
        SparkFeatures.Partitioning.RANGES)) {
      for (List<String> cuts : List.of(List.<String>of(), List.of("S0000700", "S0001400"))) {
        SparkFeatures.Features f = SparkFeatures.compute(SparkFeatures.Portfolio.readParquet(spark, dir.toString()),
            SparkFeatures.Options.of(SparkTestPortfolio.AS_OF, 3).withPartitioning(partitioning)
                .withRanges(new SparkFeatures.RangeOptions(SupplierRanges.READ_LIMIT, cuts, false)));
        assertThat(f.readByEngineReader()).isTrue();
        assertThat(f.supplierRanges()).as("supplier ranges")
            .isEqualTo(partitioning == SparkFeatures.Partitioning.SHUFFLE ? 0 : cuts.size() + 1);
        assertThat(keys(f.quarantine().collectAsList(), true)).as("%s %s", partitioning, cuts)
            .containsExactlyInAnyOrderElementsOf(keysOf(records, true));
        assertSameFeatures(one, inOrder(f.table().collectAsList(), one.supplierIds()));
        f.unpersist();
      }
    }
  }

  /**
   * The hashes seen more than once, from sorted slices shuffled as arrays, against a plain count
   * per value in a map: random values over the whole long range (negative ones, whose top bit
   * picks the bucket, included), values repeated within one input partition and across
   * partitions, a value three times, and the limit.
   */
  /**
   * Several sets of values in one job (the duplicate check of loans, credit notes and invoices
   * together): each set's repeats as its own plain count gives them; a value in two sets once each
   * repeats in neither.
   */
  @Test
  void repeatedHashes_bySet_equalAPlainCountPerSet() {
    java.util.Random random = new java.util.Random(5);
    int sets = 3;
    List<scala.Tuple2<Integer, long[]>> arrays = new ArrayList<>();
    List<Map<Long, Integer>> counts = new ArrayList<>();
    for (int t = 0; t < sets; t++) {
      counts.add(new java.util.HashMap<>());
    }
    long shared = 123_456_789L;   // once in every set: not repeated in any
    for (int a = 0; a < 24; a++) {
      int t = a % sets;
      long[] values = new long[2_000 + a];
      for (int i = 0; i < values.length; i++) {
        values[i] = i == 0 && a < sets ? shared : i % 101 == 0 ? t * 1_000L + i % 7 : random.nextLong();
        counts.get(t).merge(values[i], 1, Integer::sum);
      }
      arrays.add(new scala.Tuple2<>(t, values));
    }
    org.apache.spark.api.java.JavaSparkContext context =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
    for (int partitions : new int[] {1, 3, 8}) {
      long[][] found = SparkFeatures.repeatedHashes(context.parallelize(arrays, partitions), sets, Integer.MAX_VALUE);
      for (int t = 0; t < sets; t++) {
        long[] expected = counts.get(t).entrySet().stream().filter(e -> e.getValue() > 1)
            .mapToLong(Map.Entry::getKey).sorted().toArray();
        assertThat(expected).isNotEmpty().doesNotContain(shared);
        assertThat(found[t]).as("set %d, %d partitions", t, partitions).containsExactly(expected);
        assertThat(SparkFeatures.repeatedHashes(context.parallelize(arrays, partitions), sets, 2)[t])
            .containsExactly(java.util.Arrays.copyOf(expected, 2));
      }
    }
  }

  @Test
  void repeatedHashes_equalAPlainCountPerValue() {
    java.util.Random random = new java.util.Random(17);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      long v = random.nextLong();
      if (i % 997 == 0 && !rows.isEmpty()) {
        v = rows.get(random.nextInt(rows.size())).getLong(0); // a repeat, anywhere before
      }
      rows.add(org.apache.spark.sql.RowFactory.create(v));
    }
    rows.add(org.apache.spark.sql.RowFactory.create(Long.MIN_VALUE));
    rows.add(org.apache.spark.sql.RowFactory.create(Long.MIN_VALUE));
    rows.add(org.apache.spark.sql.RowFactory.create(-1L));
    rows.add(org.apache.spark.sql.RowFactory.create(-1L));
    rows.add(org.apache.spark.sql.RowFactory.create(-1L));
    for (int i = 0; i < 3; i++) {
      rows.add(org.apache.spark.sql.RowFactory.create(0L));   // the value an empty slot holds
    }
    Map<Long, Integer> counts = new java.util.HashMap<>();
    for (Row r : rows) {
      counts.merge(r.getLong(0), 1, Integer::sum);
    }
    long[] expected = counts.entrySet().stream().filter(e -> e.getValue() > 1).mapToLong(Map.Entry::getKey)
        .sorted().toArray();
    org.apache.spark.sql.types.StructType schema = org.apache.spark.sql.types.DataTypes.createStructType(List.of(
        org.apache.spark.sql.types.DataTypes.createStructField("_h", org.apache.spark.sql.types.DataTypes.LongType,
            false)));
    for (int partitions : new int[] {1, 3, 8}) {
      Dataset<Row> hashes = spark.createDataFrame(rows, schema).repartition(partitions);
      assertThat(SparkFeatures.repeatedHashes(hashes, Integer.MAX_VALUE)).as("%d partitions", partitions)
          .containsExactly(expected);
      assertThat(SparkFeatures.repeatedHashes(hashes, 5)).containsExactly(java.util.Arrays.copyOf(expected, 5));
    }
    assertThat(expected.length).isGreaterThan(40);
  }

  @Test
  void featureColumns_matchChainscoreFeatures() {
    List<String> expected = new ArrayList<>();
    for (var c : PortfolioFeatures.featureTableSchema().columns()) {
      expected.add(c.name());
    }
    assertThat(sparkFeatures.get(0).schema().fieldNames()).containsExactlyElementsOf(expected);
  }

  @Test
  void scores_equalChainscoreScoreParquetBitForBit() throws IOException {
    Dataset<Row> actual = scoresEqualSingleMachine(DefaultModels.scorecard(), "scores");
    assertThat(actual.schema()).isEqualTo(SparkScoring.scoreSchema().asNullable());
    // Each bundle loaded once in this JVM (local mode: the executors run here) however many partitions
    // and broadcasts: the tests score the default scorecard and, in one test, a segmented bundle.
    assertThat(SparkScoring.cachedBundles()).isEqualTo(BUNDLES_SCORED.size());
  }

  /**
   * A segmented bundle (the default scorecard for suppliers under 18 months with the anchor, the
   * same with 7 more base points for the rest) scores on Spark as {@code chainscore score} scores
   * it, its segment column included.
   */
  @Test
  void segmentedScores_equalChainscoreScoreWithTheSegmentColumn() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode doc =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(DefaultModels.scorecard().toJson());
    com.fasterxml.jackson.databind.node.ObjectNode thin = (com.fasterxml.jackson.databind.node.ObjectNode) doc.get("model");
    com.fasterxml.jackson.databind.node.ObjectNode seasoned = thin.deepCopy();
    seasoned.put("base_points", thin.get("base_points").asLong() + 7);
    com.fasterxml.jackson.databind.node.ObjectNode model = json.createObjectNode().put("kind", "segmented");
    com.fasterxml.jackson.databind.node.ArrayNode segments = model.putArray("segments");
    com.fasterxml.jackson.databind.node.ObjectNode first = segments.addObject().put("name", "thin_file");
    first.putObject("when").put("feature", "tenure_months_anchor").put("op", "<").put("value", 18)
        .put("missing", "thin_file");
    first.set("model", thin);
    segments.addObject().put("name", "seasoned").put("when", "otherwise").set("model", seasoned);
    doc.set("model", model);
    doc.remove("golden_rows");
    doc.remove("sha256");
    ModelBundle bundle = ModelBundle.seal(doc.toString());

    Dataset<Row> actual = scoresEqualSingleMachine(bundle, "segmented-scores");
    List<String> columns = List.of(actual.columns());
    assertThat(columns).containsSubsequence("model_version", "segment");
    assertThat(actual.schema()).isEqualTo(SparkScoring.scoreSchema(bundle).asNullable());
    assertThat(actual.select("segment").distinct().collectAsList().stream().map(r -> r.getString(0)).sorted())
        .containsExactly("seasoned", "thin_file");
  }

  /**
   * Scores the test portfolio's features with {@code bundle} on Spark and on one machine ({@code
   * chainscore score}'s batch job into Parquet) and checks that the two tables have the same
   * columns and the same rows bit for bit, in input order.
   */
  private Dataset<Row> scoresEqualSingleMachine(ModelBundle bundle, String name) throws IOException {
    BUNDLES_SCORED.add(bundle.sha256());
    // The single-machine path of `chainscore score`: the feature table, then the batch job into Parquet.
    Path features = ROOT.resolve("features.arrow");
    Files.deleteIfExists(features);
    PortfolioFeatures.write(single, SparkTestPortfolio.AS_OF, features);
    Path scores = ROOT.resolve(name + ".parquet");
    Files.deleteIfExists(scores);
    FeatureTableScoring processor = new FeatureTableScoring(bundle, SparkTestPortfolio.AS_OF);
    BatchJob.builder().input(features, processor.inputSchema()).processor(processor).output(scores)
        .threads(2).overwrite(true).build().run();
    Dataset<Row> expected = spark.read().parquet(scores.toAbsolutePath().toString());

    // the features of the ranges path, and (below) those of the shuffle path, scored
    Dataset<Row> actual = null;
    for (List<Row> computed : List.of(sparkFeatures, shuffledFeatures)) {
      Dataset<Row> featureTable = spark.createDataFrame(computed, computed.get(0).schema());
      actual = SparkScoring.score(featureTable, bundle, SparkTestPortfolio.AS_OF);

      StructField[] e = expected.schema().fields();
      StructField[] a = actual.schema().fields();
      assertThat(a).hasSameSizeAs(e);
      for (int c = 0; c < e.length; c++) {
        assertThat(a[c].name()).isEqualTo(e[c].name());
        assertThat(a[c].dataType()).as(e[c].name()).isEqualTo(e[c].dataType());
      }
      List<Row> expectedRows = expected.collectAsList();
      // Both in supplier order; Spark keeps the input order within a partition, so compare in that order.
      List<Row> actualRows = actual.collectAsList();
      // suppliers missing too many of the scorecard's features are quarantined by both (the portfolio
      // has some: new suppliers without a year of trade)
      int refused = count(tooManyMissing(single));
      assertThat(refused).isPositive();
      assertThat(actualRows).hasSize(SUPPLIERS - refused).hasSameSizeAs(expectedRows);
      for (int r = 0; r < expectedRows.size(); r++) {
        Row x = expectedRows.get(r);
        Row y = actualRows.get(r);
        for (int c = 0; c < e.length; c++) {
          Object ex = x.get(c);
          Object ac = y.get(c);
          if (ex instanceof Double d) {
            assertThat(Double.doubleToLongBits((Double) ac)).as("%s of %s", e[c].name(), x.getString(0))
                .isEqualTo(Double.doubleToLongBits(d));
          } else {
            assertThat(ac).as("%s of %s", e[c].name(), x.getString(0)).isEqualTo(ex);
          }
        }
      }
    }
    return actual;
  }

  @Test
  void score_unknownCategory_isQuarantinedWithTheBatchEnginesReason() {
    ModelBundle bundle = DefaultModels.scorecard();
    Dataset<Row> two = spark.createDataFrame(sparkFeatures.subList(0, 2), sparkFeatures.get(0).schema());
    FeatureSpec categorical = null;
    for (FeatureSpec f : bundle.schema().features()) {
      if (f.type() == FeatureType.CATEGORICAL) {
        categorical = f;
        break;
      }
    }
    assertThat(categorical).as("the default scorecard has a categorical feature").isNotNull();
    String name = categorical.name();
    Dataset<Row> broken = two.withColumn(name, functions.when(functions.col("supplier_id")
        .equalTo(sparkFeatures.get(1).getString(0)), functions.lit("no-such-code")).otherwise(functions.col(name)));
    List<Row> rows = SparkScoring.scoreWithQuarantine(broken, bundle, SparkTestPortfolio.AS_OF).collectAsList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getAs(SparkScoring.QUARANTINE_REASON) == null).isTrue();
    assertThat((Double) rows.get(0).getAs("score")).isNotNull();
    assertThat((String) rows.get(1).getAs(SparkScoring.QUARANTINE_COLUMN)).isEqualTo(name);
    assertThat((String) rows.get(1).getAs(SparkScoring.QUARANTINE_REASON))
        .isEqualTo("unknown category 'no-such-code'; expected one of " + categorical.categories());
    assertThat(rows.get(1).isNullAt(rows.get(1).fieldIndex("score"))).isTrue();
    assertThat(SparkScoring.score(broken, bundle, SparkTestPortfolio.AS_OF).count()).isEqualTo(1);
  }

  /** Columns spelled otherwise (Supplier ID, a feature in capitals) are found as the single-machine readers find them. */
  @Test
  void score_columnsSpelledOtherwise_scoreAsTheirSnakeCaseNames() {
    ModelBundle bundle = DefaultModels.scorecard();
    String first = bundle.schema().feature(0).name();
    Dataset<Row> table = spark.createDataFrame(sparkFeatures.subList(0, 5), sparkFeatures.get(0).schema());
    Dataset<Row> spelled = table.withColumnRenamed("supplier_id", "Supplier ID")
        .withColumnRenamed(first, first.toUpperCase(java.util.Locale.ROOT));
    List<Row> expected = SparkScoring.score(table, bundle, SparkTestPortfolio.AS_OF).collectAsList();
    assertThat(expected).hasSize(5);
    assertThat(SparkScoring.score(spelled, bundle, SparkTestPortfolio.AS_OF).collectAsList()).isEqualTo(expected);
  }

  @Test
  void score_missingFeatureColumn_namesIt() {
    ModelBundle bundle = DefaultModels.scorecard();
    String first = bundle.schema().feature(0).name();
    Dataset<Row> table = spark.createDataFrame(sparkFeatures.subList(0, 1), sparkFeatures.get(0).schema()).drop(first);
    assertThatThrownBy(() -> SparkScoring.score(table, bundle, SparkTestPortfolio.AS_OF))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + first + "'");
  }

  /**
   * {@link SparkFeatures#keep}: the rows computed once (an accumulator counts each row's
   * computation) and read twice from the kept blocks, each row its own (Spark's projections reuse
   * their row objects), not through Spark SQL's columnar cache; after release, computed again.
   */
  @Test
  void keep_computesTheRowsOnce_withoutSparkSqlsCache() {
    org.apache.spark.util.LongAccumulator computed = spark.sparkContext().longAccumulator("rows computed");
    Dataset<Row> rows = spark.range(0, 5_000, 1, 3).map(
        (org.apache.spark.api.java.function.MapFunction<Long, Row>) i -> {
          computed.add(1);
          return org.apache.spark.sql.RowFactory.create(i, "s" + i, i % 7 == 0 ? null : i * 0.5);
        }, org.apache.spark.sql.Encoders.row(org.apache.spark.sql.types.DataTypes.createStructType(List.of(
            org.apache.spark.sql.types.DataTypes.createStructField("i", org.apache.spark.sql.types.DataTypes.LongType,
                false),
            org.apache.spark.sql.types.DataTypes.createStructField("s", org.apache.spark.sql.types.DataTypes.StringType,
                true),
            org.apache.spark.sql.types.DataTypes.createStructField("x", org.apache.spark.sql.types.DataTypes.DoubleType,
                true)))));
    SparkFeatures.Kept kept = SparkFeatures.keep(spark, rows);
    try {
      assertThat(kept.rows().schema()).isEqualTo(rows.schema());
      List<Row> first = kept.rows().collectAsList();
      assertThat(computed.value()).isEqualTo(5_000L);
      assertThat(first).hasSize(5_000);
      for (int i = 0; i < first.size(); i++) {
        Row r = first.get(i);
        assertThat(r.getLong(0)).isEqualTo(i);
        assertThat(r.getString(1)).isEqualTo("s" + i);
        assertThat(r.isNullAt(2) ? null : r.getDouble(2)).isEqualTo(i % 7 == 0 ? null : i * 0.5);
      }
      assertThat(kept.rows().filter(functions.col("x").isNull()).count()).isEqualTo(715L);
      assertThat(kept.rows().collectAsList()).isEqualTo(first);
      assertThat(computed.value()).as("computed once, then read from the kept blocks").isEqualTo(5_000L);
      assertThat(kept.rows().queryExecution().executedPlan().toString()).doesNotContain("InMemoryTableScan");
      assertThat(spark.sharedState().cacheManager().isEmpty()).isTrue();
    } finally {
      kept.release();
    }
    assertThat(kept.rows().count()).isEqualTo(5_000L);
    assertThat(computed.value()).as("released: computed again").isEqualTo(10_000L);
  }

  @Test
  void args_badValues_areNamed() {
    assertThatThrownBy(() -> ChainScoreSparkJob.Args.parse("--transactions", "x", "--as-of", "30/06/2025", "--out", "y"))
        .hasMessageContaining("--as-of").hasMessageContaining("YYYY-MM-DD");
    assertThatThrownBy(() -> ChainScoreSparkJob.Args.parse("--transactions", "x", "--as-of", "2025-06-30"))
        .hasMessageContaining("--out is required");
    assertThatThrownBy(() -> ChainScoreSparkJob.Args.parse("--transactions", "x", "--as-of", "2025-06-30", "--out", "y",
        "--partitions", "0")).hasMessageContaining("--partitions");
  }
}

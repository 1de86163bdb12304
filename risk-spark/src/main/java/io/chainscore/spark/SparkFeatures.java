package io.chainscore.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.engine.BadRecord;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.features.StandardFeatures;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import io.chainscore.trade.TradeRules;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Computes the standard features of a portfolio on Spark, bit-identical to {@link
 * PortfolioFeatures} (and so to {@code chainscore features}): all transaction rows are shuffled
 * by a hash of their supplier id into {@link Options#partitions()} partitions as compact blocks
 * ({@link SupplierBlocks}), merged within each partition into table and source-row order, and
 * each partition runs its own single-threaded {@link
 * io.chainscore.features.engine.FeatureEngine} over its suppliers.
 *
 * <p>Why this is exact: every standard feature is a function of one supplier's own rows, and the
 * engine's sums are formed per supplier in input order; partitioning by supplier keeps all of a
 * supplier's rows together and the merge restores the single-machine input order (each table's
 * file, then row index), so each supplier's sums are formed in exactly the same order. Buyer
 * indexes come from the anchors table, broadcast to every partition. Partitioning by supplier,
 * not anchor, keeps an anchor with millions of suppliers from making one giant partition.
 *
 * <p>Quarantine: rows with a missing required value or an out-of-range date, an unknown supplier,
 * buyer or loan, a duplicate id, or that the engine's data rules refuse are left out and
 * returned in {@link Features#quarantine()} with table, source file, 1-based row, record id,
 * supplier id, field and reason, as the single-machine engine writes them to {@code
 * <out>.quarantine.csv}. Repeated invoice and loan ids are found from counts per id hash, then
 * checked by their real ids: the first row in file order that passes the supplier (and, for an
 * invoice, buyer) checks claims the id, as in the single-machine checks ({@link IdClaims}; until
 * 2026-12-07 the first readable row claimed it, so a later row was refused where the first named
 * an unknown supplier or buyer).
 *
 * <p>Thread safety: stateless.
 */
public final class SparkFeatures {
  static final int CHUNK = 65_536;

  private SparkFeatures() {}

  /**
   * Options of a computation.
   *
   * @param asOf the as-of date D
   * @param partitions number of supplier partitions; size them at about 100,000 to 1,000,000
   *     suppliers each (see docs/scale-out.md)
   * @param checkDuplicateInvoices quarantine repeated invoice ids (costs one more scan of the
   *     invoices and a shuffle of partial counts per id hash)
   * @param regions region codes in {@code region_index} order
   * @param partitioning how the rows reach their supplier's engine ({@code --supplier-partitioning})
   * @param ranges how the supplier ranges path is cut and read ({@link RangeOptions#DEFAULT} in use)
   * @param scoreWith null, or the model bundle the engine's tasks score their suppliers with
   *     ({@link Features#scored()}: the job's path, without the feature table)
   */
  public record Options(LocalDate asOf, int partitions, boolean checkDuplicateInvoices, List<String> regions,
      Partitioning partitioning, RangeOptions ranges, io.chainscore.scoring.ModelBundle scoreWith) {
    public Options {
      Objects.requireNonNull(asOf, "asOf");
      Objects.requireNonNull(partitioning, "partitioning");
      Objects.requireNonNull(ranges, "ranges");
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
      }
      regions = List.copyOf(regions);
    }

    /** Without scoring in the tasks. */
    public Options(LocalDate asOf, int partitions, boolean checkDuplicateInvoices, List<String> regions,
        Partitioning partitioning, RangeOptions ranges) {
      this(asOf, partitions, checkDuplicateInvoices, regions, partitioning, ranges, null);
    }

    /** {@link RangeOptions#DEFAULT}. */
    public Options(LocalDate asOf, int partitions, boolean checkDuplicateInvoices, List<String> regions,
        Partitioning partitioning) {
      this(asOf, partitions, checkDuplicateInvoices, regions, partitioning, RangeOptions.DEFAULT);
    }

    /** {@link Partitioning#AUTO}. */
    public Options(LocalDate asOf, int partitions, boolean checkDuplicateInvoices, List<String> regions) {
      this(asOf, partitions, checkDuplicateInvoices, regions, Partitioning.AUTO);
    }

    /** Defaults: duplicate check on, the feature schema's regions (as {@code chainscore features}), {@link Partitioning#AUTO}. */
    public static Options of(LocalDate asOf, int partitions) {
      return new Options(asOf, partitions, true, StandardFeatures.REGIONS);
    }

    /** These options with {@code value} as the partitioning. */
    public Options withPartitioning(Partitioning value) {
      return new Options(asOf, partitions, checkDuplicateInvoices, regions, value, ranges, scoreWith);
    }

    /** These options with {@code value} as the supplier ranges' settings. */
    public Options withRanges(RangeOptions value) {
      return new Options(asOf, partitions, checkDuplicateInvoices, regions, partitioning, value, scoreWith);
    }

    /**
     * These options with the suppliers scored by {@code bundle} in the engine's tasks: {@link
     * Features#scored()} gives what {@link SparkScoring#scoreWithQuarantine} gives of the feature
     * table, and {@link Features#table()} is null (unless the bundle reads a column otherwise than
     * the feature table types it: then the table is computed and {@link Features#scored()} is null).
     */
    public Options withScoring(io.chainscore.scoring.ModelBundle bundle) {
      return new Options(asOf, partitions, checkDuplicateInvoices, regions, partitioning, ranges, bundle);
    }
  }

  /**
   * How the supplier ranges path ({@link SupplierRanges}) is cut and read; every setting gives the
   * same features, quarantine and scores (only the cost differs).
   *
   * @param readLimit the most rows the range tasks may read together, as a multiple of the rows of
   *     the transaction tables, for {@link Partitioning#AUTO} to take the ranges path (segments
   *     that straddle a cut are read by each task they meet); {@link SupplierRanges#READ_LIMIT} in
   *     use, changed by the benchmark's experiments
   * @param cuts the supplier ids (ascending) to cut the ranges at instead of the segments' smallest
   *     ids, so that tests cut portfolios of one segment per file into several ranges; null in use
   * @param throughBlocks the range tasks' rows encoded into the shuffle's blocks and decoded again
   *     ({@link EngineReads#encodeRange}) instead of set straight from the reader's batches ({@link
   *     EngineReads#rangeRows}): for tests, which check that both give the same rows; false in use
   */
  public record RangeOptions(double readLimit, List<String> cuts, boolean throughBlocks) {
    /** What the job uses: the read limit {@link SupplierRanges#READ_LIMIT}, cuts from the segments, rows set directly. */
    public static final RangeOptions DEFAULT = new RangeOptions(SupplierRanges.READ_LIMIT, null, false);

    public RangeOptions {
      if (!(readLimit > 0)) {
        throw new IllegalArgumentException("readLimit must be positive, got " + readLimit);
      }
      cuts = cuts == null ? null : List.copyOf(cuts);
    }

    /** These settings with {@code value} as the read limit. */
    public RangeOptions withReadLimit(double value) {
      return new RangeOptions(value, cuts, throughBlocks);
    }
  }

  /**
   * How the rows reach their supplier's engine ({@code --supplier-partitioning}); every choice gives
   * the same features, quarantine and scores (only the cost differs).
   */
  public enum Partitioning {
    /**
     * Supplier ranges when the files are clustered by supplier (the range tasks would read at most
     * {@link RangeOptions#readLimit} times the rows, and the cut gives at least half the
     * partitions asked for), else the shuffle.
     */
    AUTO,
    /** Supplier ranges whatever they read (on files not clustered by supplier every task reads every segment). */
    RANGES,
    /** The shuffle by a hash of the supplier id, whatever the files. */
    SHUFFLE;

    /**
     * The value of {@code --supplier-partitioning}.
     *
     * @throws IllegalArgumentException naming the option and what it takes
     */
    public static Partitioning parse(String value) {
      return switch (value) {
        case "auto" -> AUTO;
        case "ranges" -> RANGES;
        case "shuffle" -> SHUFFLE;
        default -> throw new IllegalArgumentException("--supplier-partitioning: expected auto, ranges or shuffle, got '"
            + value + "'");
      };
    }
  }

  /**
   * The tables of a portfolio, each with two extra columns giving the single-machine input order:
   * {@code _file} (source file path) and {@code _row} (row index within it).
   */
  public record Portfolio(Dataset<Row> anchors, Dataset<Row> suppliers, Dataset<Row> invoices, Dataset<Row> loans,
      Dataset<Row> instalments, Dataset<Row> creditNotes, Dataset<Row> disputes, Dataset<Row> deliveries,
      String parquetDirectory) {

    /**
     * A portfolio of tables read by Spark's readers (any source): computed with Spark's rows.
     * {@link #readParquet} also records the directory, so that {@link #compute} reads its files
     * with the batch engine's own reader instead.
     */
    public Portfolio(Dataset<Row> anchors, Dataset<Row> suppliers, Dataset<Row> invoices, Dataset<Row> loans,
        Dataset<Row> instalments, Dataset<Row> creditNotes, Dataset<Row> disputes, Dataset<Row> deliveries) {
      this(anchors, suppliers, invoices, loans, instalments, creditNotes, disputes, deliveries, null);
    }

    /** A portfolio without dated event tables (no credit note, dispute or delivery known). */
    public Portfolio(Dataset<Row> anchors, Dataset<Row> suppliers, Dataset<Row> invoices, Dataset<Row> loans,
        Dataset<Row> instalments) {
      this(anchors, suppliers, invoices, loans, instalments, null, null, null, null);
    }

    /** The same tables without the directory: {@link #compute} then reads them with Spark's reader. */
    public Portfolio withSparkReader() {
      return new Portfolio(anchors, suppliers, invoices, loans, instalments, creditNotes, disputes, deliveries, null);
    }

    /**
     * Reads the Parquet tables {@code anchors}, {@code suppliers}, {@code invoices}, {@code loans}
     * and {@code instalments} and, when present, the event tables {@code credit_notes}, {@code
     * disputes} and {@code deliveries} (each {@code name.parquet}, a file or a directory of files)
     * under {@code dir}, the layout {@code chainscore generate --format parquet} writes.
     */
    public static Portfolio readParquet(SparkSession spark, String dir) {
      String base = dir.endsWith("/") ? dir : dir + "/";
      return new Portfolio(read(spark, base + "anchors.parquet"), read(spark, base + "suppliers.parquet"),
          read(spark, base + "invoices.parquet"), read(spark, base + "loans.parquet"),
          read(spark, base + "instalments.parquet"), readIfPresent(spark, base + "credit_notes.parquet"),
          readIfPresent(spark, base + "disputes.parquet"), readIfPresent(spark, base + "deliveries.parquet"), dir);
    }

    private static Dataset<Row> readIfPresent(SparkSession spark, String path) {
      try {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
          return null;
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return read(spark, path);
    }

    private static Dataset<Row> read(SparkSession spark, String path) {
      return spark.read().parquet(path)
          .select(col("*"), col("_metadata.file_path").as("_file"), col("_metadata.row_index").as("_row"));
    }
  }

  /**
   * A feature table and the transaction rows refused on the way, both from one pass of the
   * feature engine over the supplier partitions: the engine's output is persisted
   * (memory and disk) and split into the two, so computing both runs the engine once.
   *
   * <p>Thread safety: safe to share; the quarantine's plan is made once, on its first use
   * (synchronized); {@link #unpersist()} once both have been used.
   */
  public static final class Features {
    private final Kept engineOutput;
    private final Dataset<Row> table;
    private final Dataset<Row> scored;
    private final java.util.function.Supplier<Dataset<Row>> resolveQuarantine;
    private Dataset<Row> quarantine;
    private final Map<String, Long> rowsIn;

    private final boolean engineReader;
    private final int supplierRanges;
    private final String partitioning;

    Features(Kept engineOutput, Dataset<Row> table, Dataset<Row> scored,
        java.util.function.Supplier<Dataset<Row>> quarantine, Map<String, Long> rowsIn, boolean engineReader,
        int supplierRanges, String partitioning) {
      this.engineOutput = engineOutput;
      this.table = table;
      this.scored = scored;
      this.resolveQuarantine = quarantine;
      this.rowsIn = Map.copyOf(rowsIn);
      this.engineReader = engineReader;
      this.supplierRanges = supplierRanges;
      this.partitioning = partitioning;
    }

    /**
     * Why the rows took the path they took, for the manifest and the log: the supplier ranges and
     * the rows they read as a multiple of the tables' rows, or why they were shuffled instead.
     */
    public String partitioning() {
      return partitioning;
    }

    /**
     * The supplier ranges the engine ran on when the transaction rows were not shuffled (the files
     * clustered by supplier: {@link SupplierRanges}), else 0 (the rows were shuffled to hash
     * partitions of the supplier id). Either way the same features and quarantine.
     */
    public int supplierRanges() {
      return supplierRanges;
    }

    /**
     * Whether the transaction files were read by the batch engine's own Parquet reader in Spark's
     * tasks (a portfolio from {@link Portfolio#readParquet} whose files it decodes), not by Spark's.
     */
    public boolean readByEngineReader() {
      return engineReader;
    }

    /**
     * Rows read per input table ({@code anchors}, {@code suppliers}, {@code invoices}, {@code
     * loans}, {@code instalments} and the event tables present), counted in the same job that
     * lists the source files for the sort key, so the manifest needs no count jobs of its own.
     */
    public Map<String, Long> rowsIn() {
      return rowsIn;
    }

    /**
     * {@code supplier_id}, {@code as_of_date} and the standard features, the columns of {@link
     * PortfolioFeatures#featureTableSchema()}; one row per supplier, in the suppliers table's
     * order within each partition (sort by {@code supplier_id} if an order is needed). A missing
     * feature is null, as {@code chainscore features} writes it (never NaN, which would make Spark
     * SQL's {@code avg} or {@code sum} of the column NaN).
     */
    public Dataset<Row> table() {
      return table;
    }

    /**
     * With {@link Options#withScoring}: the suppliers' scores as {@link
     * SparkScoring#scoreWithQuarantine} gives them of {@link #table()} (the same rows, in the same
     * order within each partition), scored in the engine's tasks; else null.
     */
    public Dataset<Row> scored() {
      return scored;
    }

    /**
     * The refused transaction rows, columns {@link #QUARANTINE_SCHEMA}: the rows, fields and
     * reasons of {@code chainscore features}' quarantine file, plus the source file and the
     * supplier id. Order: anchors first, then partition by partition; sort if an order is needed.
     */
    public synchronized Dataset<Row> quarantine() {
      if (quarantine == null) {
        // built on first use: whether the loans table is needed is known once the engine has run
        quarantine = resolveQuarantine.get();
      }
      return quarantine;
    }

    /** Releases the persisted engine output (the table and quarantine stay usable, recomputed). */
    public void unpersist() {
      engineOutput.release();
    }
  }

  /**
   * Columns of {@link Features#quarantine()}: {@code table} (anchor, supplier, loan, invoice or
   * instalment), {@code file} (source file path), {@code row} (1-based data row within the file,
   * as the single-machine reader counts), {@code record_id} (the row's id, also for a row the
   * reader refused for a later value; {@code ?} when the id itself is missing or unreadable),
   * {@code supplier_id}, {@code field} (the column at fault, or the engine's field name for its
   * data rules) and {@code reason}: the single machine's columns ({@code
   * PortfolioTables.FEATURE_QUARANTINE}) and the supplier id.
   */
  public static final StructType QUARANTINE_SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("table", DataTypes.StringType, false),
      DataTypes.createStructField("file", DataTypes.StringType, true),
      DataTypes.createStructField("row", DataTypes.LongType, false),
      DataTypes.createStructField("record_id", DataTypes.StringType, true),
      DataTypes.createStructField("supplier_id", DataTypes.StringType, true),
      DataTypes.createStructField("field", DataTypes.StringType, true),
      DataTypes.createStructField("reason", DataTypes.StringType, false)));

  /** Prefix of the quarantine columns in the engine's output. */
  static final String Q = "q_";

  /**
   * The single-machine reader's checks per table, derived from the one definition of the tables'
   * layouts ({@link PortfolioTables}), columns in layout order: a required column's null is
   * refused; {@code :date} marks a date column (range-checked); {@code :text} a text column (a
   * NUL inside is refused, as the single machine's readers refuse it); a leading {@code ?} marks
   * a nullable date (only range-checked). Nullable columns of other types have nothing to check.
   */
  static final Map<String, List<String>> READ_CHECKS = Map.of(
      "anchor", readChecks(PortfolioTables.ANCHORS),
      "supplier", readChecks(PortfolioTables.SUPPLIERS),
      "invoice", readChecks(PortfolioTables.INVOICES),
      "loan", readChecks(PortfolioTables.LOANS),
      "instalment", readChecks(PortfolioTables.INSTALMENTS),
      "credit_note", readChecks(PortfolioTables.CREDIT_NOTES),
      "dispute", readChecks(PortfolioTables.DISPUTES),
      "delivery", readChecks(PortfolioTables.DELIVERIES));

  private static List<String> readChecks(TableSchema layout) {
    List<String> checks = new ArrayList<>();
    for (TableSchema.Column c : layout.columns()) {
      boolean date = c.type() == ColumnType.DATE;
      boolean text = c.type() == ColumnType.STRING;
      if (c.nullable() && !date && !text) {
        continue;
      }
      checks.add((c.nullable() ? "?" : "") + c.name() + (date ? ":date" : text ? ":text" : ""));
    }
    return List.copyOf(checks);
  }

  /**
   * Columns of the union of all transaction rows that is shuffled by supplier. {@code key} packs
   * the order a partition reads its rows in (kind, then source file, then row index; see {@link
   * #kindOf}) into one positive long, so that a partition orders its rows by comparing a single
   * long instead of a kind, a file path string and a row index; and the file path (often longer
   * than the rest of the row) is not shuffled with every row.
   */
  static final StructType TAGGED = DataTypes.createStructType(List.of(
      DataTypes.createStructField("key", DataTypes.LongType, false),
      DataTypes.createStructField("supplier_id", DataTypes.StringType, true),
      DataTypes.createStructField("s1", DataTypes.StringType, true),
      DataTypes.createStructField("s2", DataTypes.StringType, true),
      DataTypes.createStructField("s3", DataTypes.StringType, true),
      DataTypes.createStructField("d1", DataTypes.IntegerType, true),
      DataTypes.createStructField("d2", DataTypes.IntegerType, true),
      DataTypes.createStructField("d3", DataTypes.IntegerType, true),
      DataTypes.createStructField("x1", DataTypes.DoubleType, true),
      DataTypes.createStructField("x2", DataTypes.DoubleType, true),
      DataTypes.createStructField("b1", DataTypes.BooleanType, true),
      DataTypes.createStructField("b2", DataTypes.BooleanType, true),
      DataTypes.createStructField("dup", DataTypes.BooleanType, true),
      DataTypes.createStructField("read_problem", DataTypes.StringType, true)));

  // Kinds in the order a partition reads them: the events known at D are joined onto the invoices.
  static final int SUPPLIER = 0;
  static final int LOAN = 1;
  static final int CREDIT_NOTE = 2;
  static final int DISPUTE = 3;
  static final int INVOICE = 4;
  static final int INSTALMENT = 5;
  static final int DELIVERY = 6;

  /** Bits of the source row index in a shuffled row's {@code key}: rows 0 to 2^40 - 1 of a file. */
  static final int ROW_BITS = 40;
  /** Bits of the source file index in a shuffled row's {@code key}: up to 2^20 input files. */
  static final int FILE_BITS = 20;

  /** The sort key of a row of {@code kind} at {@code row} of the file with sorted index {@code file}. */
  static long key(int kind, int file, long row) {
    return (long) kind << (FILE_BITS + ROW_BITS) | (long) file << ROW_BITS | row;
  }

  static int kindOf(long key) {
    return (int) (key >>> (FILE_BITS + ROW_BITS));
  }

  static int fileOf(long key) {
    return (int) (key >>> ROW_BITS) & ((1 << FILE_BITS) - 1);
  }

  static long rowOf(long key) {
    return key & ((1L << ROW_BITS) - 1);
  }

  /**
   * Computes the features of the portfolio in the Parquet layout of {@code chainscore generate
   * --format parquet} under {@code dir}, and the rows it refuses: as {@code
   * compute(Portfolio.readParquet(spark, dir), options)}, but when the batch engine's reader reads
   * the files ({@link Features#readByEngineReader()}) no table but the loans (for the quarantine's
   * last step) is opened by Spark's reader, whose schema inference of the eight tables cost about
   * 0.8 CPU-seconds per run. The job uses this.
   */
  public static Features computeParquet(SparkSession spark, String dir, Options options) {
    String base = dir.endsWith("/") ? dir : dir + "/";
    Map<String, List<String>> filesOf = EngineReads.list(spark, base);
    if (filesOf != null) {
      Features read = computeListed(spark, filesOf, () -> Portfolio.read(spark, base + "loans.parquet"), options);
      if (read != null) {
        return read;
      }
    }
    return compute(Portfolio.readParquet(spark, dir).withSparkReader(), options);
  }

  /** Computes the features of {@code portfolio} and the rows it refuses. */
  public static Features compute(Portfolio portfolio, Options options) {
    SparkSession spark = portfolio.suppliers().sparkSession();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());

    // The source files come from each table's file listing, which Spark made when the table was
    // read and which its scans use (no job; sorted in the byte order Spark sorts strings in, for
    // the sort key's file index). Read by the engine's reader, the rows per table (the manifest's
    // rows in) come from the files' footers; read by Spark's, from one job of keyless counts,
    // which read no column.
    Map<String, Dataset<Row>> tables = new java.util.LinkedHashMap<>();
    tables.put("anchors", portfolio.anchors());
    tables.put("suppliers", portfolio.suppliers());
    tables.put("invoices", portfolio.invoices());
    tables.put("loans", portfolio.loans());
    tables.put("instalments", portfolio.instalments());
    tables.put("credit_notes", portfolio.creditNotes());
    tables.put("disputes", portfolio.disputes());
    tables.put("deliveries", portfolio.deliveries());
    Dataset<Row> counts = null;
    java.util.TreeSet<String> fileSet = new java.util.TreeSet<>(SparkFeatures::compareUtf8);
    Map<String, List<String>> filesOf = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Dataset<Row>> t : tables.entrySet()) {
      if (t.getValue() == null) {
        continue;
      }
      // inputFiles() gives URIs (file:///x); a row's _metadata.file_path is the Hadoop path's
      // string (file:/x), which the quarantine reports and the per-row match compares with.
      List<String> listed = new ArrayList<>();
      for (String uri : t.getValue().inputFiles()) {
        listed.add(new org.apache.hadoop.fs.Path(uri).toString());
      }
      filesOf.put(t.getKey(), listed);
      fileSet.addAll(listed);
      Dataset<Row> count = t.getValue().agg(functions.count(lit(1)).as("_n"))
          .select(lit(t.getKey()).as("_table"), col("_n"));
      counts = counts == null ? count : counts.unionAll(count);
    }
    if (portfolio.parquetDirectory() != null) {
      Features read = computeListed(spark, filesOf, portfolio::loans, options);
      if (read != null) {
        return read;
      }
    }
    checkFileCount(fileSet);
    String[] files = fileSet.toArray(new String[0]);
    Map<String, Integer> fileIndex = fileIndexOf(files);
    Broadcast<String[]> fileNames = context.broadcast(files);
    for (List<String> listed : filesOf.values()) {
      listed.sort(SparkFeatures::compareUtf8);   // source order: as the sort key's file index
    }

    Map<String, Long> rowsIn = new java.util.LinkedHashMap<>();
    for (Row r : counts.collectAsList()) {
      rowsIn.put(r.getString(0), r.getLong(1));
      if (r.getLong(1) >= 1L << ROW_BITS) {
        throw new IllegalArgumentException("the " + r.getString(0) + " table holds more than 2^40 rows");
      }
    }

    // Anchors are few: buyer indexes in file order, first occurrence of an id wins.
    List<Row> anchorRows = portfolio.anchors()
        .select(col("anchor_id"), col("_file"), col("_row"), readProblem("anchor"))
        .orderBy(col("_file"), col("_row")).collectAsList();
    java.util.LinkedHashMap<String, Integer> buyers = new java.util.LinkedHashMap<>();
    List<Row> badAnchors = new ArrayList<>();
    for (Row r : anchorRows) {
      long row = r.getLong(2) + 1;
      if (!r.isNullAt(3)) {
        String problem = r.getString(3);
        int tab = problem.indexOf('\t');
        String field = problem.substring(0, tab);
        String id = BadRecord.idOrUnknown(BadRecord.readId(field, "anchor_id", r.isNullAt(0) ? null : r.getString(0)));
        badAnchors.add(RowFactory.create("anchor", r.getString(1), row, id, null, field, problem.substring(tab + 1)));
      } else if (buyers.putIfAbsent(r.getString(0), buyers.size()) != null) {
        badAnchors.add(RowFactory.create("anchor", r.getString(1), row, r.getString(0), null, "anchor_id",
            "is a duplicate"));
      }
    }
    if (buyers.isEmpty()) {
      throw new IllegalArgumentException("the anchors table holds no anchors");
    }
    Broadcast<Map<String, Integer>> buyerIndex = context.broadcast(new java.util.HashMap<>(buyers));

    Dataset<Row> suppliers = portfolio.suppliers().withColumn(PROBLEM, readProblem("supplier"));
    // Repeated loan and invoice ids: the first row in source order that the reader reads and whose
    // supplier is accepted (an invoice's buyer known too) claims the id, whichever supplier (and so
    // partition) it belongs to, as on one machine (IdClaims).
    java.util.Set<String> anchors = new java.util.HashSet<>(buyers.keySet());
    Dataset<Row> loans = markRepeated(portfolio.loans().withColumn(PROBLEM, readProblem("loan")), "loan_id",
        suppliers, anchors);
    Column loanDup = col(DUP);
    Dataset<Row> invoices = portfolio.invoices().withColumn(PROBLEM, readProblem("invoice"));
    Column dup = lit(false);
    if (options.checkDuplicateInvoices()) {
      invoices = markRepeated(invoices, "invoice_id", suppliers, anchors);
      dup = col(DUP);
    }
    Dataset<Row> instalments = portfolio.instalments().withColumn(PROBLEM, readProblem("instalment"));
    Dataset<Row> tagged = tag(withFileIndex(suppliers, filesOf.get("suppliers"), fileIndex), SUPPLIER, col("supplier_id"), col("anchor_id"), col("sector"),
            col("region"), day("registration_date"), nullInt(), nullInt(), col("declared_turnover"), nullDouble(),
            nullBoolean(), nullBoolean(), lit(false))
        .unionAll(tag(withFileIndex(loans, filesOf.get("loans"), fileIndex), LOAN, col("supplier_id"), col("loan_id"), nullString(), nullString(),
            day("drawdown_date"), nullInt(), nullInt(), col("amount"), nullDouble(), nullBoolean(), nullBoolean(),
            loanDup))
        .unionAll(tag(withFileIndex(invoices, filesOf.get("invoices"), fileIndex), INVOICE, col("supplier_id"), col("invoice_id"), col("buyer_id"), nullString(),
            day("issue_date"), day("due_date"), day("paid_date"), col("amount"), col("returned_amount"),
            lit(false), lit(false), dup))
        .unionAll(tag(withFileIndex(instalments, filesOf.get("instalments"), fileIndex), INSTALMENT, col("supplier_id"), col("loan_id"), nullString(),
            nullString(), day("due_date"), day("repaid_date"), col("instalment_number").cast(DataTypes.IntegerType),
            col("amount_due"), col("amount_repaid"), nullBoolean(), nullBoolean(), lit(false)));
    if (portfolio.creditNotes() != null) {
      // credit note ids as loan ids: the first readable row whose supplier is accepted claims one
      Dataset<Row> creditNotes = markRepeated(portfolio.creditNotes().withColumn(PROBLEM, readProblem("credit_note")),
          "credit_note_id", suppliers, anchors);
      tagged = tagged.unionAll(tag(withFileIndex(creditNotes, filesOf.get("credit_notes"), fileIndex),
          CREDIT_NOTE, col("supplier_id"), col("invoice_id"), col("credit_note_id"), nullString(),
          day("booking_date"), nullInt(), nullInt(), col("amount"), nullDouble(), nullBoolean(), nullBoolean(),
          col(DUP)));
    }
    if (portfolio.disputes() != null) {
      tagged = tagged.unionAll(tag(withFileIndex(portfolio.disputes().withColumn(PROBLEM, readProblem("dispute")),
          filesOf.get("disputes"), fileIndex),
          DISPUTE, col("supplier_id"), col("invoice_id"), nullString(), nullString(),
          day("opened_date"), day("resolved_date"), nullInt(), nullDouble(), nullDouble(), nullBoolean(),
          nullBoolean(), lit(false)));
    }
    if (portfolio.deliveries() != null) {
      tagged = tagged.unionAll(tag(withFileIndex(portfolio.deliveries().withColumn(PROBLEM, readProblem("delivery")),
          filesOf.get("deliveries"), fileIndex),
          DELIVERY, col("supplier_id"), col("invoice_id"), nullString(), nullString(),
          day("promised_date"), day("actual_date"), nullInt(), nullDouble(), nullDouble(), nullBoolean(),
          nullBoolean(), lit(false)));
    }

    // To the supplier partitions as compact blocks of encoded rows, each partition's blocks merged
    // back into source order (SupplierBlocks): Spark's exchange and sort of every row cost more.
    int partitions = options.partitions();
    org.apache.spark.api.java.JavaPairRDD<Integer, byte[]> bySupplier = tagged.queryExecution().toRdd().toJavaRDD()
        .mapPartitionsToPair(rows -> SupplierBlocks.encode(rows, partitions))
        .partitionBy(new org.apache.spark.HashPartitioner(partitions)); // an Integer key k < n goes to k
    return runEngine(spark, bySupplier, options, buyerIndex, fileNames, null, badAnchors, portfolio::loans, filesOf,
        fileIndex, rowsIn, false, "shuffle: the tables were read by Spark's reader");
  }

  private static void checkFileCount(java.util.Set<String> files) {
    if (files.size() > 1 << FILE_BITS) {
      throw new IllegalArgumentException("the portfolio has " + files.size()
          + " input files; at most 1,048,576 are supported: merge them");
    }
  }

  /**
   * The computation over the listed files ({@code filesOf}: table name to its files) with the
   * batch engine's reader, or null when it does not apply (see {@link #computeWithEngineReader});
   * {@code loans} gives the loans as Spark reads them, for the quarantine's last step.
   */
  private static Features computeListed(SparkSession spark, Map<String, List<String>> filesOf,
      java.util.function.Supplier<Dataset<Row>> loans, Options options) {
    java.util.TreeSet<String> fileSet = new java.util.TreeSet<>(SparkFeatures::compareUtf8);
    filesOf.values().forEach(fileSet::addAll);
    checkFileCount(fileSet);
    String[] files = fileSet.toArray(new String[0]);
    Map<String, List<String>> sorted = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, List<String>> t : filesOf.entrySet()) {
      List<String> listed = new ArrayList<>(t.getValue());
      listed.sort(SparkFeatures::compareUtf8);   // source order: as the sort key's file index
      sorted.put(t.getKey(), listed);
    }
    Broadcast<String[]> fileNames = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(files);
    return computeWithEngineReader(spark, loans, options, sorted, fileIndexOf(files), fileNames);
  }

  /** Each file's index in {@code files} (sorted as Spark sorts strings): the sort key's file index. */
  private static Map<String, Integer> fileIndexOf(String[] files) {
    Map<String, Integer> fileIndex = new java.util.HashMap<>();
    for (int i = 0; i < files.length; i++) {
      fileIndex.put(files[i], i);
    }
    return fileIndex;
  }

  /**
   * The computation with the portfolio's Parquet files read by the batch engine's own reader in
   * Spark's tasks ({@link EngineReads}), or null when it does not apply: a file uses an encoding or
   * codec that reader does not decode, or more ids repeat than {@link #broadcastRepeatedIds} (the
   * caller then reads with Spark's reader, whose duplicate check has a window for that case).
   */
  private static Features computeWithEngineReader(SparkSession spark, java.util.function.Supplier<Dataset<Row>> loans,
      Options options,
      Map<String, List<String>> filesOf, Map<String, Integer> fileIndex, Broadcast<String[]> fileNames) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, String> hadoop = new java.util.HashMap<>();
    boolean local = !EngineReads.throughHadoopAlways;
    for (List<String> listed : filesOf.values()) {
      for (String f : listed) {
        String scheme = new org.apache.hadoop.fs.Path(f).toUri().getScheme();
        local &= scheme == null || scheme.equals("file");
      }
    }
    if (!local) {
      // the driver's Hadoop settings (spark.hadoop.* included) for the executors' file systems
      for (Map.Entry<String, String> e : spark.sparkContext().hadoopConfiguration()) {
        hadoop.put(e.getKey(), e.getValue());
      }
    }
    // instants read as dates in the session's zone, as Spark's reader casts them
    hadoop.put(EngineReads.TIME_ZONE, spark.sessionState().conf().sessionLocalTimeZone());
    Broadcast<Map<String, String>> conf = context.broadcast(hadoop);
    EngineReads.Plan plan = EngineReads.plan(context, filesOf, fileIndex, conf);
    if (!plan.decodable()) {
      return null;
    }
    for (Map.Entry<String, Long> r : plan.rowsIn().entrySet()) {
      if (r.getValue() >= 1L << ROW_BITS) {
        throw new IllegalArgumentException("the " + r.getKey() + " table holds more than 2^40 rows");
      }
    }
    // Anchors are few: read on the driver, buyer indexes in file order, first occurrence of an id wins.
    java.util.LinkedHashMap<String, Integer> buyers = new java.util.LinkedHashMap<>();
    List<Row> badAnchors = new ArrayList<>();
    EngineReads.readAnchors(plan.anchorSplits(), hadoop, new EngineReads.AnchorSink() {
      @Override
      public void good(String file, long row, String anchorId) {
        if (buyers.putIfAbsent(anchorId, buyers.size()) != null) {
          badAnchors.add(RowFactory.create("anchor", file, row, anchorId, null, "anchor_id", "is a duplicate"));
        }
      }

      @Override
      public void bad(String file, io.chainscore.tables.InputFormatException e) {
        badAnchors.add(RowFactory.create("anchor", file, e.row(), BadRecord.idOrUnknown(e.recordId()), null,
            e.column() == null ? "row" : e.column(), e.problem()));
      }
    });
    if (buyers.isEmpty()) {
      throw new IllegalArgumentException("the anchors table holds no anchors");
    }
    Broadcast<Map<String, Integer>> buyerIndex = context.broadcast(new java.util.HashMap<>(buyers));

    // Repeated loan, credit note and invoice ids: the first row in source order that the reader
    // reads and whose supplier is accepted (an invoice's buyer known too) claims the id, whichever
    // supplier (and so partition) it belongs to, as on one machine (IdClaims). One job hashes the
    // ids; only if some hash repeats does a second read the rows with those hashes, and a third the
    // suppliers they name. The same job reads each segment's supplier bounds for the supplier ranges
    // path (SupplierRanges), with one reader per run of segments for both columns: one job of two
    // stages before the engine where there were four jobs (one per table checked, one for the bounds).
    List<EngineReads.Split> splits = plan.splits();
    Partitioning asked = options.partitioning();
    boolean wantBounds = asked != Partitioning.SHUFFLE && !splits.isEmpty();
    List<String> checked = new ArrayList<>();
    for (String table : options.checkDuplicateInvoices() ? List.of("loans", "credit_notes", "invoices")
        : List.of("loans", "credit_notes")) {
      if (splits.stream().anyMatch(sp -> sp.table().equals(table))) {
        checked.add(table);
      }
    }
    Map<String, Integer> hashed = new java.util.HashMap<>();
    for (int t = 0; t < checked.size(); t++) {
      hashed.put(checked.get(t), t);
    }
    List<EngineReads.Split> scanned = wantBounds ? splits
        : splits.stream().filter(sp -> hashed.containsKey(sp.table())).toList();
    // Each task gives its splits' bounds through an accumulator, keyed by the split: a task run again
    // gives the same bounds for the same splits, so the driver's map is the same whatever runs twice.
    org.apache.spark.util.CollectionAccumulator<Object[]> boundsOf = context.sc().collectionAccumulator("bounds");
    long[][] candidatesOf = scanned.isEmpty() ? new long[0][]
        : repeatedHashes(context.parallelize(scanned, slices(context, scanned)).mapPartitions(it ->
            EngineReads.scan(it, hashed, wantBounds ? (split, b) -> boundsOf.add(new Object[] {split, b}) : null,
                true, conf.value())), Math.max(1, checked.size()), broadcastRepeatedIds + 1);   // bounds alone: no set
    Map<String, EngineReads.Repeats> repeats = new java.util.HashMap<>();
    Map<String, long[]> candidateHashes = new java.util.LinkedHashMap<>();
    Map<String, List<IdClaims.Candidate>> candidateRows = new java.util.HashMap<>();
    for (int t = 0; t < checked.size(); t++) {
      String table = checked.get(t);
      String id = EngineReads.ID_COLUMNS.get(table);
      long[] candidates = candidatesOf[t];
      if (candidates.length > broadcastRepeatedIds) {
        return null;
      }
      if (candidates.length > 0) {
        List<EngineReads.Split> tableSplits = splits.stream().filter(sp -> sp.table().equals(table)).toList();
        candidateHashes.put(table, candidates);
        candidateRows.put(table, context.parallelize(tableSplits, slices(context, tableSplits))
            .mapPartitions(it -> EngineReads.candidateRows(it, id, candidates, conf.value())).collect());
      }
    }
    if (!candidateHashes.isEmpty()) {
      java.util.Set<String> named = new java.util.HashSet<>();
      candidateRows.values().forEach(rows -> rows.forEach(c -> {
        if (c.supplierId() != null) {
          named.add(c.supplierId());
        }
      }));
      List<EngineReads.Split> supplierSplits =
          plan.splits().stream().filter(sp -> sp.table().equals("suppliers")).toList();
      List<IdClaims.SupplierRow> supplierRows = named.isEmpty() || supplierSplits.isEmpty() ? List.of()
          : context.parallelize(supplierSplits, slices(context, supplierSplits))
              .mapPartitions(it -> EngineReads.supplierRows(it, named, conf.value())).collect();
      java.util.Set<String> accepted = IdClaims.acceptedSuppliers(supplierRows, buyers.keySet());
      candidateHashes.forEach((table, hashes) -> repeats.put(table, new EngineReads.Repeats(hashes,
          IdClaims.firsts(candidateRows.get(table), accepted, buyers.keySet(), table.equals("invoices")))));
    }
    Broadcast<Map<String, EngineReads.Repeats>> repeated = context.broadcast(repeats);
    int partitions = options.partitions();
    // No shuffle when the files are clustered by supplier (SupplierRanges): each segment's supplier
    // bounds (read above), then one task per supplier range reading only the segments that meet its
    // range. Else (or if the ranges would read too much twice) the rows are shuffled to hash
    // partitions of the supplier id.
    String partitioning = asked == Partitioning.SHUFFLE ? "shuffle: --supplier-partitioning shuffle"
        : "shuffle: no transaction rows";
    if (wantBounds) {
      Map<EngineReads.Split, byte[][]> read = new java.util.HashMap<>();
      for (Object[] given : boundsOf.value()) {
        read.put((EngineReads.Split) given[0], (byte[][]) given[1]);
      }
      List<byte[][]> bounds = new ArrayList<>(splits.size());
      for (EngineReads.Split split : splits) {
        if (!read.containsKey(split)) {
          throw new IllegalStateException("no supplier bounds read for " + split);
        }
        bounds.add(read.get(split));
      }
      RangeOptions rangeOptions = options.ranges();
      SupplierRanges.Cut cut = SupplierRanges.cut(splits, bounds, partitions, rangeOptions.cuts());
      String factor = String.format(java.util.Locale.ROOT, "%.2f", cut.readFactor());
      if (asked == Partitioning.AUTO && cut.readFactor() > rangeOptions.readLimit()) {
        partitioning = "shuffle: " + cut.tasks().size() + " supplier ranges would read " + factor
            + "x the transaction rows (more than " + rangeOptions.readLimit() + "x: the files are not clustered by"
            + " supplier, or too few segments)";
      } else if (asked == Partitioning.AUTO && 2 * cut.tasks().size() < partitions) {
        // at least half the partitions asked for, lest a few large tasks leave cores idle
        partitioning = "shuffle: the files' segments give " + cut.tasks().size() + " supplier ranges, under half the "
            + partitions + " partitions asked for";
      } else {
        int asOfDay = Math.toIntExact(options.asOf().toEpochDay());
        List<String> regions = options.regions();
        boolean rangeBlocks = rangeOptions.throughBlocks();
        SparkScoring.InTask scoring = inTask(context, options);
        org.apache.spark.api.java.JavaRDD<Row> engineRows = context.parallelize(cut.tasks(), cut.tasks().size())
            .mapPartitions(it -> {
              if (!it.hasNext()) {
                return java.util.Collections.emptyIterator();
              }
              SupplierRanges.Task task = it.next();
              SupplierBlocks.Rows rows = rangeBlocks
                  ? new SupplierBlocks.Stream(EngineReads.encodeRange(task.splits().iterator(), task.low(),
                      task.high(), repeated.value(), conf.value()))
                  : EngineReads.rangeRows(task.splits().iterator(), task.low(), task.high(), repeated.value(),
                      conf.value());
              return new PartitionFeatures(rows, buyerIndex.value(), regions, asOfDay, fileNames.value(), conf.value())
                  .scoring(scoring).run();
            });
        return runEngine(spark, engineRows, options, scoring, badAnchors, loans, filesOf, fileIndex, plan.rowsIn(), true,
            cut.tasks().size(), "ranges" + (asked == Partitioning.RANGES ? " (--supplier-partitioning ranges)" : "")
                + ": " + cut.tasks().size() + " supplier ranges reading " + factor + "x the transaction rows");
      }
    }
    org.apache.spark.api.java.JavaPairRDD<Integer, byte[]> bySupplier =
        context.parallelize(splits, slices(context, splits))
            .mapPartitionsToPair(it -> EngineReads.encode(it, partitions, repeated.value(), conf.value()))
            .partitionBy(new org.apache.spark.HashPartitioner(partitions));
    return runEngine(spark, bySupplier, options, buyerIndex, fileNames, conf, badAnchors, loans, filesOf, fileIndex,
        plan.rowsIn(), true, partitioning);
  }

  /**
   * Tasks for {@code splits}: four per core Spark offers (for balance: segments differ in cost),
   * at most one per split; consecutive splits (segments of one file in order) share a task.
   */
  private static int slices(JavaSparkContext context, List<EngineReads.Split> splits) {
    return Math.max(1, Math.min(splits.size(), 4 * context.defaultParallelism()));
  }

  /** Runs the feature engine on each supplier partition's blocks and splits its output. */
  private static Features runEngine(SparkSession spark,
      org.apache.spark.api.java.JavaPairRDD<Integer, byte[]> bySupplier, Options options,
      Broadcast<Map<String, Integer>> buyerIndex, Broadcast<String[]> fileNames, Broadcast<Map<String, String>> conf,
      List<Row> badAnchors,
      java.util.function.Supplier<Dataset<Row>> loans, Map<String, List<String>> filesOf, Map<String, Integer> fileIndex,
      Map<String, Long> rowsIn, boolean engineReader, String partitioning) {
    int asOfDay = Math.toIntExact(options.asOf().toEpochDay());
    List<String> regions = options.regions();
    // conf: the engine reader's Hadoop settings (null after Spark's reader, which reads every id)
    SparkScoring.InTask scoring = inTask(JavaSparkContext.fromSparkContext(spark.sparkContext()), options);
    org.apache.spark.api.java.function.FlatMapFunction<java.util.Iterator<scala.Tuple2<Integer, byte[]>>, Row> engine =
        blocks -> new PartitionFeatures(blocks, buyerIndex.value(), regions, asOfDay, fileNames.value(),
            conf == null ? Map.of() : conf.value()).scoring(scoring).run();
    return runEngine(spark, bySupplier.mapPartitions(engine), options, scoring, badAnchors, loans, filesOf, fileIndex,
        rowsIn, engineReader, 0, partitioning);
  }

  /** The tasks' scoring that {@code options} ask for ({@link Options#withScoring}), or null. */
  private static SparkScoring.InTask inTask(JavaSparkContext context, Options options) {
    return options.scoreWith() == null ? null
        : SparkScoring.inTask(context, options.scoreWith(), options.asOf(), StandardFeatures.SCHEMA);
  }

  /**
   * Splits the engine's output rows ({@code engineRows}, {@link PartitionFeatures}' rows) into
   * the feature table and the quarantine; {@code ranges}: the supplier ranges the engine ran on, 0
   * when the rows were shuffled.
   */
  private static Features runEngine(SparkSession spark, org.apache.spark.api.java.JavaRDD<Row> engineRows,
      Options options, SparkScoring.InTask scoring, List<Row> badAnchors, java.util.function.Supplier<Dataset<Row>> loans,
      Map<String, List<String>> filesOf, Map<String, Integer> fileIndex, Map<String, Long> rowsIn,
      boolean engineReader, int ranges, String partitioning) {
    FeatureSchema schema = StandardFeatures.SCHEMA;
    List<StructField> fields = new ArrayList<>();
    List<Column> out = new ArrayList<>();
    if (scoring != null) {
      // the engine's rows are scored rows (PartitionFeatures#scoring): the table is the scores
      io.chainscore.batch.scoring.FeatureTableScoring probe =
          new io.chainscore.batch.scoring.FeatureTableScoring(options.scoreWith(), options.asOf());
      fields.addAll(SparkScoring.rawFields(probe));
      out.addAll(List.of(SparkScoring.finalColumns(probe)));
    } else {
      fields.add(DataTypes.createStructField("supplier_id", DataTypes.StringType, true));
      out.add(col("supplier_id"));
      out.add(lit(java.sql.Date.valueOf(options.asOf())).as("as_of_date"));
      for (FeatureSpec f : schema.features()) {
        boolean categorical = f.type() == FeatureType.CATEGORICAL;
        fields.add(DataTypes.createStructField(f.name(), categorical ? DataTypes.StringType : DataTypes.DoubleType,
            true));
        out.add(col(f.name()));
      }
    }
    List<Column> refusedColumns = new ArrayList<>();
    for (StructField q : QUARANTINE_SCHEMA.fields()) {
      fields.add(DataTypes.createStructField(Q + q.name(), q.dataType(), true));
      refusedColumns.add(col(Q + q.name()).as(q.name()));
    }
    // One pass of the engine yields feature rows and refused rows; persisting its output lets the
    // table and the quarantine be read from it without running the engine (and its shuffle) again.
    // No global sort: a range sort would sample, and so run, the whole engine twice. Kept as Spark's
    // binary rows (keep: not Spark SQL's columnar cache, whose tasks race with the executor's
    // heartbeat in Spark 4.2), not as the RDD of the engine's Java rows: on 2026-12-07 that took
    // 0.7-0.9 CPU-s more in the engine's stage at 100,000 suppliers and the collector 1.5-2 s more
    // (boxed values; benchmarks/results/spark.md).
    Kept engineOutputKept = keep(spark, spark.createDataFrame(engineRows, DataTypes.createStructType(fields)));
    Dataset<Row> engineOutput = engineOutputKept.rows();
    Dataset<Row> table = engineOutput.filter(col(Q + "table").isNull()).select(out.toArray(new Column[0]));
    Dataset<Row> refused = engineOutput.filter(col(Q + "table").isNotNull())
        .select(refusedColumns.toArray(new Column[0]));
    // Only an instalment refused for a loan its partition does not hold may need the loans table
    // (resolveUnknownLoans: read with Spark's reader, two broadcast joins and an aggregation). Once
    // the engine has run, one job over its persisted output says whether there is any; if none (the usual
    // case) the quarantine is the refused rows as they are, the same rows in the same order that
    // resolving none would give, and the loans are not read.
    java.util.function.Supplier<Dataset<Row>> quarantine = () -> {
      boolean provisional = engineOutput.filter(col(Q + "table").equalTo("instalment")
          .and(col(Q + "field").equalTo("loan_id"))).count() > 0;
      return spark.createDataFrame(badAnchors, QUARANTINE_SCHEMA).unionAll(!provisional ? refused
          : resolveUnknownLoans(refused, withFileIndex(loans.get(), filesOf.get("loans"), fileIndex),
              filesOf.get("loans"), fileIndex));
    };
    // with scoring in the tasks the engine's rows are score rows: the table is the scores
    return new Features(engineOutputKept, scoring != null ? null : table, scoring != null ? table : null, quarantine,
        rowsIn, engineReader, ranges, partitioning);
  }

  /**
   * Rows kept in the executors' memory (spilling to disk) for reading more than once without
   * computing them again, and the RDD that holds them, for {@link #release}. Lost blocks (an
   * executor gone) are recomputed from the rows' lineage, as for a persisted Dataset.
   */
  record Kept(Dataset<Row> rows, org.apache.spark.rdd.RDD<InternalRow> blocks) {
    /** Drops the kept blocks; {@link #rows} stays usable, computed again from its lineage. */
    void release() {
      blocks.unpersist(false);
    }
  }

  /**
   * {@code rows} computed once into Spark's binary rows, kept (memory and disk) at their first use
   * and read from there after it: what {@code rows.persist(MEMORY_AND_DISK)} does, without Spark
   * SQL's columnar cache. Why not that cache: in Spark 4.2 each task that builds or reads it
   * deserializes an accumulator of the cache's partition statistics ({@code
   * PartitionKeyedAccumulator}) that Spark registers with the task before its map is read; an
   * executor's heartbeat that falls in that window reads the map as null, and the executor's
   * heartbeat thread dies with a NullPointerException whose stack trace goes to the job's
   * standard error (a fresh-clone CI run of 2026-12-07 printed it in the middle of a good run),
   * after which the driver drops the executor as lost when its heartbeats time out (120 s; on one
   * machine only warnings, on a cluster its tasks and blocks lost and recomputed). Apache Spark's
   * fix, SPARK-59451 (registering an accumulator once it is wholly read), is not in 4.2.
   * Copies each row: the rows of Spark's projections are reused from row to row.
   */
  static Kept keep(SparkSession spark, Dataset<Row> rows) {
    org.apache.spark.rdd.RDD<InternalRow> blocks = rows.queryExecution().toRdd().toJavaRDD().map(InternalRow::copy)
        .rdd().persist(StorageLevel.MEMORY_AND_DISK());
    return new Kept(((org.apache.spark.sql.classic.SparkSession) spark).internalCreateDataFrame(blocks, rows.schema(),
        false), blocks);
  }

  private static final String PROBLEM = "_read_problem";
  private static final String RANK = "_id_rank";
  private static final String DUP = "_repeated";

  /**
   * The most ids that may repeat for {@link #markRepeated} to mark them from a broadcast list of
   * first occurrences; beyond it (a table appended twice, say) it falls back to a window over all
   * rows. Package-private so a test can force either path.
   */
  static int broadcastRepeatedIds = 200_000;

  /**
   * {@code table} with a boolean column {@link #DUP}: true for a row that claims an id a row before
   * it (in source order: file, then row index) already claimed, as the single machine's id check
   * decides: a row claims its id when the reader reads it, its supplier is accepted and, for an
   * invoice, its buyer is a known anchor ({@link IdClaims}).
   *
   * <p>Why not a window over the ids, as before: that shuffles and sorts every row of the table
   * with all its columns, and repeated ids are rare. Here one job finds the 64-bit hashes of the
   * id that occur more than once ({@link #repeatedHashes}: the id column alone is read, so the
   * reader's checks are not evaluated here; hashes of unreadable rows only add candidates, which
   * the next step drops); only those hashes are candidates. If there are none (the usual case) no
   * row is repeated and nothing else runs.
   * Otherwise the candidate rows (few) are collected with their supplier and buyer ids, the
   * suppliers they name are checked, the row that claims each repeated id is found on the driver
   * ({@link IdClaims#firsts}, which also rules out hash collisions) and broadcast, and joined to the
   * table (no shuffle of it). More than {@link #broadcastRepeatedIds} candidate hashes fall back to
   * a window over the claiming rows, the accepted suppliers joined to the table. Either way the
   * result is exact.
   */
  private static Dataset<Row> markRepeated(Dataset<Row> table, String id, Dataset<Row> suppliers,
      java.util.Set<String> anchors) {
    SparkSession spark = table.sparkSession();
    boolean invoices = id.equals("invoice_id");
    Column readable = col(PROBLEM).isNull().and(col(id).isNotNull());
    Column hash = functions.xxhash64(col(id));
    List<Row> hashes = new ArrayList<>();
    for (long h : repeatedHashes(table.filter(col(id).isNotNull()).select(hash.as("_h")), broadcastRepeatedIds + 1)) {
      hashes.add(RowFactory.create(h));
    }
    if (hashes.isEmpty()) {
      return table.withColumn(DUP, lit(false));
    }
    Column buyerKnown = invoices ? col("buyer_id").isin(anchors.toArray()) : lit(true);
    if (hashes.size() > broadcastRepeatedIds) {
      Column claims = functions.coalesce(readable.and(col("_accepted").isNotNull()).and(buyerKnown), lit(false));
      Column rank = functions.row_number().over(
          Window.partitionBy(col(id), claims).orderBy(col("_file"), col("_row")));
      return table.join(acceptedSuppliers(suppliers, anchors), col("supplier_id").equalTo(col("_accepted")), "left")
          .withColumn(RANK, rank).withColumn(DUP, claims.and(col(RANK).gt(1))).drop(RANK, "_accepted");
    }
    Dataset<Row> candidates = spark.createDataFrame(hashes,
        DataTypes.createStructType(List.of(DataTypes.createStructField("_h", DataTypes.LongType, false))));
    List<Row> rows = new ArrayList<>(table.filter(readable)
        .join(functions.broadcast(candidates), hash.equalTo(col("_h")), "left_semi")
        .select(col(id), col("_file"), col("_row"), col("supplier_id"),
            invoices ? col("buyer_id") : lit(null).cast(DataTypes.StringType))
        .collectAsList());
    // source order, as the window orders: the file's path (Spark's string order), then the row
    rows.sort((x, y) -> {
      int byFile = compareUtf8(x.getString(1), y.getString(1));
      return byFile != 0 ? byFile : Long.compare(x.getLong(2), y.getLong(2));
    });
    List<IdClaims.Candidate> claimants = new ArrayList<>(rows.size());
    java.util.Set<String> named = new java.util.HashSet<>();
    for (int k = 0; k < rows.size(); k++) {
      Row r = rows.get(k);
      claimants.add(new IdClaims.Candidate(r.getString(0), k, r.isNullAt(3) ? null : r.getString(3),
          r.isNullAt(4) ? null : r.getString(4)));
      if (!r.isNullAt(3)) {
        named.add(r.getString(3));
      }
    }
    java.util.Set<String> accepted = new java.util.HashSet<>();
    if (!named.isEmpty()) {
      for (Row r : acceptedSuppliers(suppliers.filter(col("supplier_id").isin(named.toArray())), anchors)
          .collectAsList()) {
        accepted.add(r.getString(0));
      }
    }
    List<Row> firstRows = new ArrayList<>();
    IdClaims.firsts(claimants, accepted, anchors, invoices).forEach((dupId, k) -> {
      Row r = rows.get((int) (long) k);
      firstRows.add(RowFactory.create(dupId, r.getString(1), r.getLong(2)));
    });
    Dataset<Row> firsts = spark.createDataFrame(firstRows, DataTypes.createStructType(List.of(
        DataTypes.createStructField("_dup_id", DataTypes.StringType, false),
        DataTypes.createStructField("_first_file", DataTypes.StringType, false),
        DataTypes.createStructField("_first_row", DataTypes.LongType, false))));
    Column first = col("_dup_id").isNotNull()
        .and(col("_first_file").equalTo(col("_file"))).and(col("_first_row").equalTo(col("_row")));
    return table.join(functions.broadcast(firsts), col(id).equalTo(col("_dup_id")), "left")
        .withColumn(DUP, readable.and(col("_dup_id").isNotNull()).and(functions.not(first)))
        .drop("_dup_id", "_first_file", "_first_row");
  }

  /**
   * The ids ({@code _accepted}, distinct) of the suppliers of {@code suppliers} (with its {@link
   * #PROBLEM} column) that are accepted: one readable row of the id passes {@link
   * io.chainscore.trade.TradeRules#supplier} ({@link IdClaims#acceptedSuppliers}, row by row).
   */
  private static Dataset<Row> acceptedSuppliers(Dataset<Row> suppliers, java.util.Set<String> anchors) {
    java.util.HashSet<String> known = new java.util.HashSet<>(anchors);
    Dataset<String> ids = suppliers.filter(col(PROBLEM).isNull())
        .select(col("supplier_id"), col("anchor_id"), col("sector"), col("declared_turnover").cast(DataTypes.DoubleType))
        .mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, String>) it -> {
          List<IdClaims.SupplierRow> rows = new ArrayList<>();
          while (it.hasNext()) {
            Row r = it.next();
            rows.add(new IdClaims.SupplierRow(r.isNullAt(0) ? null : r.getString(0), r.isNullAt(1) ? null : r.getString(1),
                r.isNullAt(2) ? null : r.getString(2), r.isNullAt(3) ? Double.NaN : r.getDouble(3)));
          }
          return IdClaims.acceptedSuppliers(rows, known).iterator();
        }, org.apache.spark.sql.Encoders.STRING());
    return ids.distinct().toDF("_accepted");
  }

  /**
   * The values of the single long column of {@code hashes} that occur more than once, at most
   * {@code limit} of them, in ascending order.
   *
   * <p>How: each input partition deals its values by counting into one slice per bucket of the
   * value's top bits; the slices are shuffled as arrays, and each bucket sorts what it receives (a
   * primitive sort of a {@code long[]}) and reports the values it sees twice. This
   * replaced a {@code groupBy(hash).count()}, whose hash aggregation of one key per invoice (one
   * row each through Spark's aggregation map and shuffle) cost about a seventh of the Spark job's
   * CPU; arrays of longs move and sort at a fraction of that.
   */
  static long[] repeatedHashes(Dataset<Row> hashes, int limit) {
    org.apache.spark.api.java.JavaRDD<InternalRow> rows = hashes.queryExecution().toRdd().toJavaRDD();
    return repeatedHashes(rows.mapPartitions(it -> {
      long[] values = new long[1024];
      int n = 0;
      while (it.hasNext()) {
        if (n == values.length) {
          values = java.util.Arrays.copyOf(values, n * 2);
        }
        values[n++] = it.next().getLong(0);
      }
      return List.of(java.util.Arrays.copyOf(values, n)).iterator();
    }), limit);
  }

  /** As {@link #repeatedHashes(Dataset, int)}, the values given as arrays (one or more per partition, any order). */
  static long[] repeatedHashes(org.apache.spark.api.java.JavaRDD<long[]> arrays, int limit) {
    return repeatedHashes(arrays.map(a -> new scala.Tuple2<>(0, a)), 1, limit)[0];
  }

  /**
   * As {@link #repeatedHashes(Dataset, int)} for {@code tables} sets of values at once, in one job:
   * each array of {@code arrays} is given with the index of its set ({@code 0 <= index < tables}); the
   * values seen more than once within each set, at most {@code limit} of them, ascending, by index.
   */
  static long[][] repeatedHashes(org.apache.spark.api.java.JavaRDD<scala.Tuple2<Integer, long[]>> arrays, int tables,
      int limit) {
    int buckets = Math.max(1, arrays.getNumPartitions());
    int shift = 64 - Integer.numberOfTrailingZeros(Integer.highestOneBit(buckets * 2 - 1));
    int bucketCount = shift == 64 ? 1 : 1 << (64 - shift);
    org.apache.spark.api.java.JavaPairRDD<Integer, long[]> slices = arrays.mapPartitionsToPair(it -> {
      long[][] values = new long[tables][0];
      int[] n = new int[tables];
      while (it.hasNext()) {
        scala.Tuple2<Integer, long[]> given = it.next();
        int t = given._1();
        long[] more = given._2();
        if (n[t] + more.length > values[t].length) {
          values[t] = java.util.Arrays.copyOf(values[t], Math.max(n[t] + more.length, 2 * values[t].length));
        }
        System.arraycopy(more, 0, values[t], n[t], more.length);
        n[t] += more.length;
      }
      List<scala.Tuple2<Integer, long[]>> out = new ArrayList<>();
      for (int t = 0; t < tables; t++) {
        // Dealt to the buckets of their top bits by counting (no sort here: each bucket sorts what
        // it receives once).
        int[] count = new int[bucketCount];
        for (int i = 0; i < n[t]; i++) {
          count[bucketOf(values[t][i], shift)]++;
        }
        long[][] slice = new long[bucketCount][];
        for (int b = 0; b < bucketCount; b++) {
          slice[b] = count[b] == 0 ? null : new long[count[b]];
          count[b] = 0;
        }
        for (int i = 0; i < n[t]; i++) {
          int b = bucketOf(values[t][i], shift);
          slice[b][count[b]++] = values[t][i];
        }
        for (int b = 0; b < bucketCount; b++) {
          if (slice[b] != null) {
            out.add(new scala.Tuple2<>(t * bucketCount + b, slice[b]));
          }
        }
      }
      return out.iterator();
    });
    // one reduce partition per set and bucket (a HashPartitioner sends key k to partition k)
    List<scala.Tuple2<Integer, long[]>> repeated = slices
        .partitionBy(new org.apache.spark.HashPartitioner(tables * bucketCount)).mapPartitions(it -> {
          List<long[]> parts = new ArrayList<>();
          int total = 0;
          int key = -1;
          while (it.hasNext()) {
            scala.Tuple2<Integer, long[]> part = it.next();
            key = part._1();
            parts.add(part._2());
            total += part._2().length;
          }
          return key < 0 ? java.util.Collections.<scala.Tuple2<Integer, long[]>>emptyIterator()
              : List.of(new scala.Tuple2<>(key / bucketCount, repeatsOf(parts, total))).iterator();
        }).collect();
    long[][] result = new long[tables][];
    for (int t = 0; t < tables; t++) {
      int table = t;
      result[t] = repeated.stream().filter(r -> r._1() == table).flatMapToLong(r -> java.util.Arrays.stream(r._2()))
          .sorted().limit(limit).toArray();
    }
    return result;
  }

  /** Values of a bucket's sub-bucket, at most: its table (twice as many slots) stays in the L2 cache. */
  private static final int SUB_BUCKET = 4_096;

  /**
   * The values of {@code parts} ({@code total} of them, hashes: uniform in their bits) seen more
   * than once, each once, in ascending order. The values are dealt to sub-buckets by their low bits
   * (counting, then placing), and each sub-bucket is checked in an open-addressing table that stays
   * in cache: two passes over the values, where sorting them all took about as many passes as
   * the bucket has values' log (13% of the Spark job's task time at 100,000 suppliers).
   */
  static long[] repeatsOf(List<long[]> parts, int total) {
    int subs = Math.max(1, Integer.highestOneBit(Math.max(1, total / SUB_BUCKET)));
    int mask = subs - 1;
    int[] start = new int[subs + 1];
    for (long[] part : parts) {
      for (long v : part) {
        start[((int) v & mask) + 1]++;
      }
    }
    for (int b = 0; b < subs; b++) {
      start[b + 1] += start[b];
    }
    long[] dealt = new long[total];
    int[] next = java.util.Arrays.copyOf(start, subs);
    for (long[] part : parts) {
      for (long v : part) {
        dealt[next[(int) v & mask]++] = v;
      }
    }
    long[] table = new long[4 * SUB_BUCKET];
    long[] repeats = new long[16];
    int found = 0;
    int zeros = 0;
    for (int b = 0; b < subs; b++) {
      int count = start[b + 1] - start[b];
      int slots = Math.max(16, Integer.highestOneBit(Math.max(1, 2 * count - 1)) << 1);
      if (table.length < slots) {
        table = new long[slots];
      } else {
        java.util.Arrays.fill(table, 0, slots, 0L);
      }
      int slotMask = slots - 1;
      for (int i = start[b]; i < start[b + 1]; i++) {
        long v = dealt[i];
        boolean repeat;
        if (v == 0) {
          repeat = zeros++ == 1;   // 0 marks an empty slot: counted apart
        } else {
          // the low bits chose the sub-bucket and the top ones the bucket: the slot from bits 20 on
          int slot = (int) (v >>> 20) & slotMask;
          long held;
          while ((held = table[slot]) != 0 && held != v) {
            slot = (slot + 1) & slotMask;
          }
          repeat = held == v;
          table[slot] = v;
        }
        if (repeat) {
          if (found == repeats.length) {
            repeats = java.util.Arrays.copyOf(repeats, 2 * found);
          }
          repeats[found++] = v;
        }
      }
    }
    // a value seen three times or more was recorded once per sighting after the first (zero once)
    return java.util.Arrays.stream(repeats, 0, found).sorted().distinct().toArray();
  }

  private static int bucketOf(long value, int shift) {
    return shift == 64 ? 0 : (int) (value >>> shift);
  }

  /**
   * A partition that refuses an instalment of a loan it does not hold cannot tell an unknown loan
   * from a loan of a supplier in another partition; the single machine says "not the supplier
   * of loan" for the latter. The refused instalments (few) are broadcast and joined with the
   * loans the partitions accepted (a scan of the loans table, no shuffle of it) to tell which.
   */
  private static Dataset<Row> resolveUnknownLoans(Dataset<Row> refused, Dataset<Row> loans, List<String> loanFiles,
      Map<String, Integer> index) {
    // The refused loans' files by index: the quarantine names a file as the partitions do (from
    // the listing), so its name is turned into the file index the loans carry, and the two sides
    // match whatever form the file system's paths take, with one small list however many files.
    Column provisional = col("table").equalTo("instalment").and(col("field").equalTo("loan_id"));
    Dataset<Row> candidates = refused.filter(provisional);
    Dataset<Row> refusedLoans = refused.filter(col("table").equalTo("loan"))
        .join(functions.broadcast(fileList(refused.sparkSession(), loanFiles, index)),
            col("file").equalTo(col("_fi_file")))
        .select(col("_fi").as("_qfi"), col("row").as("_qr"));
    Dataset<Row> accepted = loans.select(col("loan_id").cast(DataTypes.StringType).as("_loan"),
            col("_fi").as("_lfi"), col("_row").plus(1).as("_lr"))
        .join(functions.broadcast(refusedLoans),
            col("_lfi").equalTo(col("_qfi")).and(col("_lr").equalTo(col("_qr"))), "left_anti")
        .select("_loan");
    List<Column> keep = new ArrayList<>();
    for (String name : QUARANTINE_SCHEMA.fieldNames()) {
      keep.add(col(name));
    }
    Column[] keepColumns = keep.toArray(new Column[0]);
    Dataset<Row> found = functions.broadcast(candidates).join(accepted, col("record_id").equalTo(col("_loan")))
        .select(keepColumns).withColumn("_found", lit(true));
    Dataset<Row> either = candidates.withColumn("_found", lit(false)).unionAll(found)
        .groupBy(col("file"), col("row"))
        .agg(functions.first(col("table")).as("table"), functions.first(col("record_id")).as("record_id"),
            functions.first(col("supplier_id")).as("supplier_id"), functions.first(col("field")).as("field"),
            functions.first(col("reason")).as("reason"), functions.max(col("_found")).as("_found"));
    Dataset<Row> resolved = either.select(col("table"), col("file"), col("row"), col("record_id"), col("supplier_id"),
        functions.when(col("_found"), lit(TradeRules.SUPPLIER_ID)).otherwise(col("field")).as("field"),
        functions.when(col("_found"), functions.concat(lit("'"), col("supplier_id"),
            lit("'" + TradeRules.NOT_SUPPLIER_OF_LOAN), col("record_id"))).otherwise(col("reason")).as("reason"));
    return refused.filter(functions.not(provisional)).unionAll(resolved);
  }

  /**
   * The single-machine reader's verdict on a row, {@code column TAB reason} for the first column
   * in schema order that is missing (required), a date outside 1900-01-01 to 2199-12-31 or text
   * holding a NUL, else null.
   */
  static Column readProblem(String table) {
    List<String> checks = READ_CHECKS.get(table);
    Column problem = nullString();
    for (int i = checks.size() - 1; i >= 0; i--) {
      String spec = checks.get(i);
      boolean nullable = spec.startsWith("?");
      boolean date = spec.endsWith(":date");
      boolean text = spec.endsWith(":text");
      String name = spec.replace("?", "").replace(":date", "").replace(":text", "");
      Column value = col(name);
      if (text) {
        // contains, not instr: instr compares the NUL at every character position (it was 28% of
        // the CPU of reading the tables); contains scans the bytes for the NUL's one byte.
        problem = functions.when(value.contains("\u0000"), functions.concat(lit(name + "\t'"),
            functions.regexp_replace(value, "\u0000", "\\\\u0000"),
            lit("' holds a NUL character; expected text without control bytes"))).otherwise(problem);
      }
      if (date) {
        Column d = functions.unix_date(value.cast(DataTypes.DateType));
        problem = functions.when(d.lt(-25_567).or(d.gt(84_005)), functions.concat(lit(name + "\tepoch day "),
            d.cast(DataTypes.StringType), lit(" is outside 1900-01-01 to 2199-12-31"))).otherwise(problem);
      }
      if (!nullable) {
        problem = functions.when(value.isNull(), lit(name + "\tis null; a value is required")).otherwise(problem);
      }
    }
    return problem.as(PROBLEM);
  }

  /** Orders strings as Spark does: by their UTF-8 bytes, unsigned. */
  private static int compareUtf8(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * {@code table} with {@code _fi}: the index in {@code index} of the row's source file, one of
   * {@code tableFiles}, the table's file listing. A table in one file needs no per-row work (and
   * its scan then materialises no path); a few files are matched by comparing paths, more by a
   * broadcast join with the list. A path not in the list (which would mean the listing and the
   * scan disagree) fails the job rather than giving a row a wrong place.
   */
  private static Dataset<Row> withFileIndex(Dataset<Row> table, List<String> tableFiles, Map<String, Integer> index) {
    Column unlisted = functions.raise_error(lit("a row's source file is not in its table's file listing"))
        .cast(DataTypes.IntegerType);
    if (tableFiles.size() == 1) {
      return table.withColumn("_fi", lit(index.get(tableFiles.get(0))));
    }
    if (tableFiles.size() <= 8) {
      Column fi = unlisted;
      for (String f : tableFiles) {
        fi = functions.when(col("_file").equalTo(lit(f)), lit(index.get(f))).otherwise(fi);
      }
      return table.withColumn("_fi", fi);
    }
    return table.join(functions.broadcast(fileList(table.sparkSession(), tableFiles, index)),
            col("_file").equalTo(col("_fi_file")), "left")
        .withColumn("_fi", functions.coalesce(col("_fi"), unlisted)).drop("_fi_file");
  }

  /** A table's files with their indexes in {@code index}: columns {@code _fi_file} and {@code _fi}. */
  private static Dataset<Row> fileList(SparkSession spark, List<String> tableFiles, Map<String, Integer> index) {
    List<Row> pairs = new ArrayList<>();
    for (String f : tableFiles) {
      pairs.add(RowFactory.create(f, index.get(f)));
    }
    return spark.createDataFrame(pairs, DataTypes.createStructType(List.of(
        DataTypes.createStructField("_fi_file", DataTypes.StringType, false),
        DataTypes.createStructField("_fi", DataTypes.IntegerType, false))));
  }

  private static Dataset<Row> tag(Dataset<Row> table, int kind, Column supplier, Column s1, Column s2, Column s3,
      Column d1, Column d2, Column d3, Column x1, Column x2, Column b1, Column b2, Column dup) {
    Column key = functions.shiftleft(col("_fi").cast(DataTypes.LongType), ROW_BITS).bitwiseOR(col("_row"))
        .bitwiseOR(lit(key(kind, 0, 0))).as("key");
    return table.select(key, supplier.cast(DataTypes.StringType),
        s1.cast(DataTypes.StringType), s2.cast(DataTypes.StringType), s3.cast(DataTypes.StringType), d1, d2, d3,
        x1.cast(DataTypes.DoubleType), x2.cast(DataTypes.DoubleType), b1.cast(DataTypes.BooleanType),
        b2.cast(DataTypes.BooleanType), dup, col(PROBLEM));
  }

  private static Column day(String column) {
    return functions.unix_date(col(column).cast(DataTypes.DateType));
  }

  private static Column nullInt() {
    return lit(null).cast(DataTypes.IntegerType);
  }

  private static Column nullDouble() {
    return lit(null).cast(DataTypes.DoubleType);
  }

  private static Column nullString() {
    return lit(null).cast(DataTypes.StringType);
  }

  private static Column nullBoolean() {
    return lit(null).cast(DataTypes.BooleanType);
  }
}

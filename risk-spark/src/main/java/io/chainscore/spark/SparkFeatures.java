package io.chainscore.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.chainscore.batch.features.PortfolioFeatures;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.features.StandardFeatures;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Computes the standard features of a portfolio on Spark, bit-identical to {@link
 * PortfolioFeatures} (and so to {@code chainscore features}): all transaction rows are shuffled
 * by a hash of their supplier id into {@link Options#partitions()} partitions, sorted within each
 * partition by table and source row, and each partition runs its own single-threaded {@link
 * io.chainscore.features.FeatureEngine} over its suppliers.
 *
 * <p>Why this is exact: every standard feature is a function of one supplier's own rows, and the
 * engine's sums are formed per supplier in input order; partitioning by supplier keeps all of a
 * supplier's rows together and the sort restores the single-machine input order (each table's
 * file, then row index), so each supplier's sums are formed in exactly the same order. Buyer
 * indexes come from the anchors table, broadcast to every partition. Partitioning by supplier,
 * not anchor, keeps an anchor with millions of suppliers from making one giant partition.
 *
 * <p>Quarantine: rows with a missing required value, an unknown supplier, buyer or loan, a
 * duplicate id, or that the engine's data rules refuse are left out and counted in {@link
 * Features#quarantined()}, as the single-machine engine does. A duplicate invoice id is found
 * with a window over invoice ids (first occurrence in file order wins), as in the single-machine
 * check; the one difference is a duplicate whose first occurrence names an unknown supplier or
 * buyer, which the single-machine engine keeps and this quarantines.
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
   * @param checkDuplicateInvoices quarantine repeated invoice ids (costs one more shuffle)
   * @param regions region codes in {@code region_index} order
   */
  public record Options(LocalDate asOf, int partitions, boolean checkDuplicateInvoices, List<String> regions) {
    public Options {
      Objects.requireNonNull(asOf, "asOf");
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
      }
      regions = List.copyOf(regions);
    }

    /** Defaults: duplicate check on, the simulator's regions (as {@code chainscore features}). */
    public static Options of(LocalDate asOf, int partitions) {
      // The simulator's list, which is PortfolioFeatures.DEFAULT_REGIONS, without loading the
      // single-machine loader (it needs Arrow, which the shipped jar leaves out).
      return new Options(asOf, partitions, true, io.chainscore.sim.PortfolioSimulator.REGIONS);
    }
  }

  /**
   * The tables of a portfolio, each with two extra columns giving the single-machine input order:
   * {@code _file} (source file path) and {@code _row} (row index within it).
   */
  public record Portfolio(Dataset<Row> anchors, Dataset<Row> suppliers, Dataset<Row> invoices, Dataset<Row> loans,
      Dataset<Row> instalments) {

    /**
     * Reads the Parquet tables {@code anchors}, {@code suppliers}, {@code invoices}, {@code loans}
     * and {@code instalments} (each {@code name.parquet}, a file or a directory of files) under
     * {@code dir}, the layout {@code chainscore generate --format parquet} writes.
     */
    public static Portfolio readParquet(SparkSession spark, String dir) {
      String base = dir.endsWith("/") ? dir : dir + "/";
      return new Portfolio(read(spark, base + "anchors.parquet"), read(spark, base + "suppliers.parquet"),
          read(spark, base + "invoices.parquet"), read(spark, base + "loans.parquet"),
          read(spark, base + "instalments.parquet"));
    }

    private static Dataset<Row> read(SparkSession spark, String path) {
      return spark.read().parquet(path)
          .select(col("*"), col("_metadata.file_path").as("_file"), col("_metadata.row_index").as("_row"));
    }
  }

  /**
   * A feature table and the count of quarantined rows (known once the table has been computed by
   * an action).
   *
   * @param table {@code supplier_id}, {@code as_of_date} and the standard features, the columns of
   *     {@link PortfolioFeatures#featureTableSchema()}; one row per supplier, in the suppliers
   *     table's order within each partition (sort by {@code supplier_id} if an order is needed)
   * @param quarantined rows left out
   */
  public record Features(Dataset<Row> table, LongAccumulator quarantined) {}

  /** Columns of the union of all transaction rows that is shuffled by supplier. */
  static final StructType TAGGED = DataTypes.createStructType(List.of(
      DataTypes.createStructField("kind", DataTypes.IntegerType, false),
      DataTypes.createStructField("_file", DataTypes.StringType, true),
      DataTypes.createStructField("_row", DataTypes.LongType, true),
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
      DataTypes.createStructField("dup", DataTypes.BooleanType, true)));

  static final int SUPPLIER = 0;
  static final int LOAN = 1;
  static final int INVOICE = 2;
  static final int INSTALMENT = 3;

  /** Computes the features of {@code portfolio}. */
  public static Features compute(Portfolio portfolio, Options options) {
    SparkSession spark = portfolio.suppliers().sparkSession();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator quarantined = spark.sparkContext().longAccumulator("chainscore.features.quarantined");

    // Anchors are few: buyer indexes in file order, first occurrence of an id wins.
    List<Row> anchorRows = portfolio.anchors().select(col("anchor_id"), col("_file"), col("_row"))
        .orderBy(col("_file"), col("_row")).collectAsList();
    java.util.LinkedHashMap<String, Integer> buyers = new java.util.LinkedHashMap<>();
    long badAnchors = 0;
    for (Row r : anchorRows) {
      if (r.isNullAt(0) || buyers.putIfAbsent(r.getString(0), buyers.size()) != null) {
        badAnchors++;
      }
    }
    if (buyers.isEmpty()) {
      throw new IllegalArgumentException("the anchors table holds no anchors");
    }
    quarantined.add(badAnchors);
    Broadcast<Map<String, Integer>> buyerIndex = context.broadcast(new java.util.HashMap<>(buyers));

    Dataset<Row> invoices = portfolio.invoices();
    Column dup = lit(false);
    if (options.checkDuplicateInvoices()) {
      invoices = invoices.withColumn("_dup_rank", functions.row_number().over(
          Window.partitionBy(col("invoice_id")).orderBy(col("_file"), col("_row"))));
      dup = col("invoice_id").isNotNull().and(col("_dup_rank").gt(1));
    }
    Dataset<Row> tagged = tag(portfolio.suppliers(), SUPPLIER, col("supplier_id"), col("anchor_id"), col("sector"),
            col("region"), day("registration_date"), nullInt(), nullInt(), col("declared_turnover"), nullDouble(),
            nullBoolean(), nullBoolean(), lit(false))
        .unionAll(tag(portfolio.loans(), LOAN, col("supplier_id"), col("loan_id"), nullString(), nullString(),
            day("drawdown_date"), nullInt(), nullInt(), col("amount"), nullDouble(), nullBoolean(), nullBoolean(),
            lit(false)))
        .unionAll(tag(invoices, INVOICE, col("supplier_id"), col("invoice_id"), col("buyer_id"), nullString(),
            day("issue_date"), day("due_date"), day("paid_date"), col("amount"), col("returned_amount"),
            col("delivered_on_time"), col("disputed"), dup))
        .unionAll(tag(portfolio.instalments(), INSTALMENT, col("supplier_id"), col("loan_id"), nullString(),
            nullString(), day("due_date"), day("repaid_date"), col("instalment_number").cast(DataTypes.IntegerType),
            col("amount_due"), col("amount_repaid"), nullBoolean(), nullBoolean(), lit(false)));

    Dataset<Row> bySupplier = tagged
        .repartition(options.partitions(), col("supplier_id"))
        .sortWithinPartitions(col("kind"), col("_file"), col("_row"));

    FeatureSchema schema = StandardFeatures.SCHEMA;
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("supplier_id", DataTypes.StringType, false));
    List<Column> out = new ArrayList<>();
    out.add(col("supplier_id"));
    out.add(lit(java.sql.Date.valueOf(options.asOf())).as("as_of_date"));
    for (FeatureSpec f : schema.features()) {
      boolean categorical = f.type() == FeatureType.CATEGORICAL;
      fields.add(DataTypes.createStructField(f.name(), categorical ? DataTypes.StringType : DataTypes.DoubleType, true));
      out.add(col(f.name()));
    }
    int asOfDay = Math.toIntExact(options.asOf().toEpochDay());
    List<String> regions = options.regions();
    MapPartitionsFunction<Row, Row> engine =
        rows -> new PartitionFeatures(rows, buyerIndex.value(), regions, asOfDay, quarantined).run();
    // No global sort: a range sort would sample, and so run, the whole engine twice.
    Dataset<Row> table = bySupplier.mapPartitions(engine, Encoders.row(DataTypes.createStructType(fields)))
        .select(out.toArray(new Column[0]));
    return new Features(table, quarantined);
  }

  private static Dataset<Row> tag(Dataset<Row> table, int kind, Column supplier, Column s1, Column s2, Column s3,
      Column d1, Column d2, Column d3, Column x1, Column x2, Column b1, Column b2, Column dup) {
    return table.select(lit(kind).as("kind"), col("_file"), col("_row"), supplier.cast(DataTypes.StringType),
        s1.cast(DataTypes.StringType), s2.cast(DataTypes.StringType), s3.cast(DataTypes.StringType), d1, d2, d3,
        x1.cast(DataTypes.DoubleType), x2.cast(DataTypes.DoubleType), b1.cast(DataTypes.BooleanType),
        b2.cast(DataTypes.BooleanType), dup);
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

package io.chainscore.spark;

import io.chainscore.batch.engine.ChunkProcessor;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.TableSchema;
import io.chainscore.batch.scoring.FeatureTableScoring;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ModelFormatException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a DataFrame of features with a model bundle on Spark, giving the same rows and columns
 * as {@code chainscore score}: the bundle's JSON is broadcast once, each executor JVM loads it
 * once (cached by the bundle's SHA-256), and each partition is scored in column batches of
 * {@value #BATCH_ROWS} rows by the batch engine's {@link FeatureTableScoring}.
 *
 * <p>Input columns: {@code supplier_id} (string) and one column per feature of the bundle's
 * schema, by name (numeric as double, null or NaN for missing; categorical as its category code).
 * Output: {@link #scoreSchema(ModelBundle)} (the bundle's score table as {@code chainscore score}
 * writes it, in Spark types: {@link FeatureTableScoring#OUTPUT}, and a {@code segment} column for a
 * segmented bundle) plus, in
 * {@link #scoreWithQuarantine}, {@code quarantine_column} and {@code quarantine_reason}, set only
 * on rows the bundle's feature policies refused (their score columns are null). Rows are scored as
 * given: a repeated {@code supplier_id}, which {@code chainscore score} quarantines, is scored here
 * each time (drop repeats before scoring; finding them needs a shuffle this class does not make).
 *
 * <p>Thread safety: stateless; the per-JVM bundle cache is concurrent.
 */
public final class SparkScoring {
  /** Rows per column batch handed to the evaluator. */
  public static final int BATCH_ROWS = 16_384;

  /** Name of the column naming the refused feature of a quarantined row. */
  public static final String QUARANTINE_COLUMN = "quarantine_column";
  /** Name of the column giving the reason a row was quarantined. */
  public static final String QUARANTINE_REASON = "quarantine_reason";

  /** Bundles by SHA-256, one copy per executor JVM. */
  private static final ConcurrentHashMap<String, ModelBundle> BUNDLES = new ConcurrentHashMap<>();

  private SparkScoring() {}

  /** Columns of a score table in Spark types: the same names, types and order as {@code chainscore score}. */
  public static StructType scoreSchema() {
    return toSpark(FeatureTableScoring.OUTPUT);
  }

  /**
   * Columns of {@code bundle}'s score table in Spark types, as {@code chainscore score} writes them
   * for it: {@link #scoreSchema()}, and for a segmented bundle the {@code segment} column after
   * {@code model_version}.
   */
  public static StructType scoreSchema(ModelBundle bundle) {
    return toSpark(new FeatureTableScoring(bundle, LocalDate.EPOCH).outputSchema());
  }

  /** Spark types of a table schema: STRING to string, DATE to date, DOUBLE to double, INT to int. */
  static StructType toSpark(TableSchema schema) {
    List<StructField> fields = new ArrayList<>();
    for (TableSchema.Column c : schema.columns()) {
      fields.add(DataTypes.createStructField(c.name(), sparkType(c.type()), c.nullable()));
    }
    return DataTypes.createStructType(fields);
  }

  static DataType sparkType(ColumnType type) {
    return switch (type) {
      case STRING -> DataTypes.StringType;
      case DATE -> DataTypes.DateType;
      case DOUBLE -> DataTypes.DoubleType;
      case INT -> DataTypes.IntegerType;
      case LONG -> DataTypes.LongType;
      case BOOLEAN -> DataTypes.BooleanType;
    };
  }

  /** Scores {@code features} and leaves out quarantined rows. */
  public static Dataset<Row> score(Dataset<Row> features, ModelBundle bundle, LocalDate asOf) {
    return scoreWithQuarantine(features, bundle, asOf)
        .filter(functions.col(QUARANTINE_REASON).isNull())
        .drop(QUARANTINE_COLUMN, QUARANTINE_REASON);
  }

  /**
   * Scores {@code features}, keeping quarantined rows (score columns null, quarantine columns set)
   * in input order within each partition.
   *
   * @throws IllegalArgumentException when a feature column of the bundle is missing
   */
  public static Dataset<Row> scoreWithQuarantine(Dataset<Row> features, ModelBundle bundle, LocalDate asOf) {
    FeatureTableScoring probe = new FeatureTableScoring(bundle, asOf);
    TableSchema input = probe.inputSchema();
    List<String> available = List.of(features.columns());
    Column[] select = new Column[input.columns().size()];
    for (int c = 0; c < select.length; c++) {
      TableSchema.Column column = input.columns().get(c);
      // by name, or by the name in snake_case, as the single-machine readers find it
      int at = TableSchema.columnIn(available, column.name(), "the feature DataFrame");
      if (at < 0) {
        throw new IllegalArgumentException("the feature DataFrame has no column '" + column.name()
            + "' that model " + bundle.modelId() + " needs; it has " + available);
      }
      select[c] = functions.col("`" + available.get(at).replace("`", "``") + "`")
          .cast(sparkType(column.type())).as(column.name());
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(features.sparkSession().sparkContext());
    Broadcast<String> json = context.broadcast(bundle.toJson());
    String sha = bundle.sha256();
    int asOfDay = Math.toIntExact(asOf.toEpochDay());
    MapPartitionsFunction<Row, Row> scoring = rows -> new ScoringIterator(rows, bundleOf(sha, json), asOfDay);
    return features.select(select)
        .mapPartitions(scoring, Encoders.row(DataTypes.createStructType(rawFields(probe))))
        .select(finalColumns(probe));
  }

  /**
   * The columns the executors give a scored row in ({@link #scoreWithQuarantine}'s, and the engine's
   * tasks' with {@link InTask}): the score table's, {@code as_of_date} as the epoch day {@code
   * as_of_day} (the external type of DateType depends on a session setting), then the quarantine
   * column and reason.
   */
  static List<StructField> rawFields(FeatureTableScoring probe) {
    StructType score = toSpark(probe.outputSchema());
    List<StructField> rawFields = new ArrayList<>();
    for (StructField f : score.fields()) {
      rawFields.add(f.name().equals("as_of_date") ? DataTypes.createStructField("as_of_day", DataTypes.IntegerType, true)
          : DataTypes.createStructField(f.name(), f.dataType(), true));
    }
    rawFields.add(DataTypes.createStructField(QUARANTINE_COLUMN, DataTypes.StringType, true));
    rawFields.add(DataTypes.createStructField(QUARANTINE_REASON, DataTypes.StringType, true));
    return rawFields;
  }

  /** {@link #rawFields} to {@link #scoreWithQuarantine}'s columns: {@code as_of_day} back to {@code as_of_date}. */
  static Column[] finalColumns(FeatureTableScoring probe) {
    StructType score = toSpark(probe.outputSchema());
    Column[] finalColumns = new Column[score.fields().length + 2];
    for (int c = 0; c < score.fields().length; c++) {
      StructField f = score.fields()[c];
      finalColumns[c] = f.name().equals("as_of_date")
          ? functions.date_from_unix_date(functions.col("as_of_day")).as("as_of_date") : functions.col(f.name());
    }
    finalColumns[score.fields().length] = functions.col(QUARANTINE_COLUMN);
    finalColumns[score.fields().length + 1] = functions.col(QUARANTINE_REASON);
    return finalColumns;
  }

  /**
   * Scoring inside the engine's tasks ({@link PartitionFeatures}): each partition's feature matrix
   * scored straight into {@link #rawFields}' rows, the same processor given the same values that
   * {@link #scoreWithQuarantine} gives it from the feature table (its select: each input column by
   * name, a missing numeric feature NaN, a categorical one its category code or null), without
   * the feature table's rows, Spark's cache of them and the conversions between. Null from {@link
   * #inTask} when a column the bundle needs is not a feature of that type (the feature table's
   * cast then decides; the caller scores the table instead).
   */
  static final class InTask implements java.io.Serializable {
    private final Broadcast<String> json;
    private final String sha;
    private final int asOfDay;

    private InTask(Broadcast<String> json, String sha, int asOfDay) {
      this.json = json;
      this.sha = sha;
      this.asOfDay = asOfDay;
    }

    /** The processor the task scores with (the bundle loaded once per JVM). */
    FeatureTableScoring processor() {
      return new FeatureTableScoring(bundleOf(sha, json), LocalDate.ofEpochDay(asOfDay));
    }
  }

  /** {@link InTask} for {@code bundle} at {@code asOf} over features {@code schema}, or null (see there). */
  static InTask inTask(JavaSparkContext context, ModelBundle bundle, LocalDate asOf,
      io.chainscore.features.FeatureSchema schema) {
    if (featureOfInput(new FeatureTableScoring(bundle, asOf).inputSchema(), schema) == null) {
      return null;
    }
    return new InTask(context.broadcast(bundle.toJson()), bundle.sha256(), Math.toIntExact(asOf.toEpochDay()));
  }

  /**
   * Per input column of the processor: -1 for {@code supplier_id}, else the index in {@code schema}
   * of the feature it reads (by name or its snake_case name, as {@link #scoreWithQuarantine}
   * selects it), of the same type (STRING: categorical, DOUBLE: numeric); null if any is not.
   */
  static int[] featureOfInput(TableSchema input, io.chainscore.features.FeatureSchema schema) {
    List<String> available = new ArrayList<>();
    available.add("supplier_id");
    for (io.chainscore.features.FeatureSpec f : schema.features()) {
      available.add(f.name());
    }
    int[] of = new int[input.columns().size()];
    for (int c = 0; c < of.length; c++) {
      TableSchema.Column column = input.columns().get(c);
      int at;
      try {
        at = TableSchema.columnIn(available, column.name(), "the feature DataFrame");
      } catch (RuntimeException e) {
        return null;
      }
      if (at < 0) {
        return null;
      }
      if (at == 0) {
        if (column.type() != ColumnType.STRING) {
          return null;
        }
        of[c] = -1;
        continue;
      }
      boolean categorical = schema.feature(at - 1).type() == io.chainscore.features.FeatureType.CATEGORICAL;
      if (column.type() != (categorical ? ColumnType.STRING : ColumnType.DOUBLE)) {
        return null;
      }
      of[c] = at - 1;
    }
    return of;
  }

  /**
   * Scores suppliers {@code [from, to)} of a partition's feature matrix ({@code features}, {@code
   * width} values a supplier, NaN missing; {@code ids} their supplier ids) with {@code processor},
   * in batches of {@link #BATCH_ROWS}: one {@link #rawFields} row of values per supplier, in order.
   */
  static List<Object[]> scoreMatrix(FeatureTableScoring processor, int[] featureOf,
      io.chainscore.features.FeatureSchema schema, List<String> ids, double[] features, int width, int from, int to) {
    TableSchema input = processor.inputSchema();
    ColumnBatch batch = new ColumnBatch(input, BATCH_ROWS);
    ColumnBatch output = new ColumnBatch(processor.outputSchema(), BATCH_ROWS);
    ColumnType[] outputTypes = processor.outputSchema().columns().stream().map(TableSchema.Column::type)
        .toArray(ColumnType[]::new);
    String[] rejectColumn = new String[BATCH_ROWS];
    String[] rejectReason = new String[BATCH_ROWS];
    int[] outputSlot = new int[BATCH_ROWS];
    List<Object[]> rows = new ArrayList<>(to - from);
    for (int start = from; start < to; start += BATCH_ROWS) {
      batch.clear();
      int n = Math.min(BATCH_ROWS, to - start);
      for (int i = 0; i < n; i++) {
        int s = start + i;
        for (int c = 0; c < featureOf.length; c++) {
          int j = featureOf[c];
          if (j < 0) {
            batch.strings(c)[i] = ids.get(s);
            continue;
          }
          double v = features[s * width + j];
          if (input.columns().get(c).type() == ColumnType.STRING) {
            batch.strings(c)[i] = Double.isNaN(v) ? null : schema.feature(j).categories().get((int) v);
          } else {
            batch.doubles(c)[i] = v;
          }
        }
        batch.commitRow(i + 1L);
      }
      score(processor, batch, output, outputTypes, rejectColumn, rejectReason, outputSlot, rows);
    }
    return rows;
  }

  /** Scores {@code batch} into {@code output} and adds its rows' {@link #rawFields} values to {@code rows}, in order. */
  private static void score(FeatureTableScoring processor, ColumnBatch batch, ColumnBatch output,
      ColumnType[] outputTypes, String[] rejectColumn, String[] rejectReason, int[] outputSlot, List<Object[]> rows) {
    int n = batch.size();
    java.util.Arrays.fill(rejectReason, 0, n, null);
    java.util.Arrays.fill(outputSlot, 0, n, -1);
    output.clear();
    processor.process(batch, new ChunkProcessor.OutputRows() {
      @Override
      public ColumnBatch batch() {
        return output;
      }

      @Override
      public void append(int inputIndex) {
        outputSlot[inputIndex] = output.size();
        output.commitRow(inputIndex);
      }
    }, (inputIndex, column, reason) -> {
      rejectColumn[inputIndex] = column;
      rejectReason[inputIndex] = reason;
    });
    int width = outputTypes.length;
    for (int i = 0; i < n; i++) {
      int o = outputSlot[i];
      Object[] values = new Object[width + 2];
      if (o >= 0) {
        for (int c = 0; c < width; c++) {
          values[c] = switch (outputTypes[c]) {
            case STRING -> output.strings(c)[o];
            case DATE -> output.dates(c)[o]; // epoch day: the as_of_day column
            case DOUBLE -> output.doubles(c)[o];
            case INT -> output.ints(c)[o];
            default -> throw new IllegalStateException("no " + outputTypes[c] + " column in a score table");
          };
        }
      } else {
        values[0] = batch.strings(0)[i];
        values[width] = rejectColumn[i];
        values[width + 1] = rejectReason[i];
      }
      rows.add(values);
    }
  }

  /** The bundle with {@code sha}, loaded from the broadcast JSON once per JVM. */
  static ModelBundle bundleOf(String sha, Broadcast<String> json) {
    return BUNDLES.computeIfAbsent(sha, key -> {
      try {
        ModelBundle b = ModelBundle.fromJson(json.value());
        if (!b.sha256().equals(key)) {
          throw new IllegalStateException("broadcast bundle hashes to " + b.sha256() + ", expected " + key);
        }
        return b;
      } catch (ModelFormatException e) {
        throw new IllegalStateException("the broadcast model bundle " + key + " does not load: " + e.getMessage(), e);
      }
    });
  }

  /** Number of bundles loaded in this JVM (for tests of the once-per-JVM cache). */
  static int cachedBundles() {
    return BUNDLES.size();
  }

  /**
   * Pulls {@link #BATCH_ROWS} input rows at a time into a column batch, scores it and hands out
   * the output rows in input order, quarantined ones included.
   */
  private static final class ScoringIterator implements Iterator<Row> {
    private final Iterator<Row> in;
    private final FeatureTableScoring processor;
    private final TableSchema inputSchema;
    private final int[] kinds;
    private final ColumnBatch batch;
    private final ColumnBatch output;
    private final List<Row> ready = new ArrayList<>();
    private int next;
    private final String[] rejectColumn = new String[BATCH_ROWS];
    private final String[] rejectReason = new String[BATCH_ROWS];
    private final int[] outputSlot = new int[BATCH_ROWS];
    /** The score table's column types (its layout follows the bundle: a segmented one has a segment column). */
    private final ColumnType[] outputTypes;

    ScoringIterator(Iterator<Row> in, ModelBundle bundle, int asOfDay) {
      this.in = in;
      this.processor = new FeatureTableScoring(bundle, LocalDate.ofEpochDay(asOfDay));
      this.inputSchema = processor.inputSchema();
      this.batch = new ColumnBatch(inputSchema, BATCH_ROWS);
      this.output = new ColumnBatch(processor.outputSchema(), BATCH_ROWS);
      this.outputTypes = processor.outputSchema().columns().stream().map(TableSchema.Column::type)
          .toArray(ColumnType[]::new);
      this.kinds = new int[inputSchema.columns().size()];
      for (int c = 0; c < kinds.length; c++) {
        kinds[c] = inputSchema.columns().get(c).type() == ColumnType.STRING ? 0 : 1;
      }
    }

    @Override
    public boolean hasNext() {
      while (next == ready.size()) {
        if (!in.hasNext()) {
          return false;
        }
        fill();
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.get(next++);
    }

    private void fill() {
      ready.clear();
      next = 0;
      batch.clear();
      long row = 0;
      while (!batch.isFull() && in.hasNext()) {
        Row r = in.next();
        int slot = batch.size();
        for (int c = 0; c < kinds.length; c++) {
          if (kinds[c] == 0) {
            batch.strings(c)[slot] = r.isNullAt(c) ? null : r.getString(c);
          } else {
            batch.doubles(c)[slot] = r.isNullAt(c) ? Double.NaN : r.getDouble(c);
          }
        }
        batch.commitRow(++row);
      }
      List<Object[]> rows = new ArrayList<>(batch.size());
      score(processor, batch, output, outputTypes, rejectColumn, rejectReason, outputSlot, rows);
      for (Object[] values : rows) {
        ready.add(RowFactory.create(values));
      }
    }
  }
}

package io.chainscore.batch.scoring;

import io.chainscore.batch.engine.ChunkProcessor;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.tables.ColumnType;
import io.chainscore.tables.PortfolioTables;
import io.chainscore.tables.TableSchema;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import io.chainscore.scoring.RowRefusals;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a feature table with a model bundle, chunk by chunk, for {@link
 * io.chainscore.batch.engine.BatchJob}: one output row per supplier with its score, PD, grade,
 * top four reason codes, the model's id and version and the as-of date.
 *
 * <p>The reason columns hold codes, codes and statements, or nothing, as {@link Reasons} says.
 *
 * <p>Input columns: {@code supplier_id} (or the id column a caller names, whose values are
 * written as the score table's {@code supplier_id}) and one column per feature of the bundle's
 * schema, by name (numeric features as numbers, empty for missing; categorical features as their
 * category codes). A row whose category is unknown, or that the bundle's feature policies refuse, is
 * quarantined with the feature and the reason; a row with more missing features than the bundle's
 * {@code max_missing_share} allows, with the supplier and the count.
 *
 * <p>Thread safety: safe for concurrent chunks; each call works on its own scratch arrays.
 */
public final class FeatureTableScoring implements ChunkProcessor {
  /** Columns of every score table (reason codes; {@link Reasons#STATEMENTS} adds the statements). */
  public static final TableSchema OUTPUT = PortfolioTables.SCORES;
  /** The column that identifies a feature table's rows unless a caller names another. */
  public static final String ID_COLUMN = "supplier_id";

  /**
   * What the reason columns of the score table hold ({@code chainscore score --reasons}).
   *
   * <p>Thread safety: an enum; immutable.
   */
  public enum Reasons {
    /** reason_1 .. reason_4: the codes, most adverse first (the default). */
    CODES,
    /**
     * The codes and, after them, reason_1_text .. reason_4_text: each code's customer-facing
     * statement (the bundle's {@code reason_codes[].text}); the layout {@link
     * PortfolioTables#SCORES_WITH_STATEMENTS}.
     */
    STATEMENTS,
    /** The reason columns left empty; the scorer skips computing reason codes. */
    NONE;

    /** The option's value as the command line and manifests spell it: codes, statements, none. */
    public String optionValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Scorer scorer;
  private final FeatureSchema schema;
  private final TableSchema input;
  /** The input's id column: {@link #ID_COLUMN} unless the caller named another. */
  private final String idColumn;
  private final int asOfDay;
  private final String modelId;
  private final String modelVersion;
  private final List<Map<String, Integer>> categoryIndex = new ArrayList<>();
  /** The schema positions of the categorical features, and of the others. */
  private final int[] categoricalFeatures;
  private final int[] numericFeatures;
  private final String inputName;
  private final boolean checkAsOf;
  private final int asOfColumn;
  private final Reasons reasons;
  private final TableSchema output;
  private final int modelIdColumn;
  /** The segment column of a segmented bundle's scores, else -1; the first challenger column, else -1. */
  private final int segmentColumn;
  private final int challengerColumn;
  /** A segmented bundle's segment names, by index; empty otherwise. */
  private final String[] segmentNames;
  /** The challenger's segment column when the challenger is segmented, else -1; its segment names. */
  private final int challengerSegmentColumn;
  private final String[] challengerSegmentNames;
  /** The challenger of a champion/challenger run, or null. */
  private final Challenger challenger;

  /**
   * A second model scored on the same rows in the same pass ({@code score --challenger}): its
   * scorer, and for each of its features the input column and category codes.
   */
  private record Challenger(Scorer scorer, FeatureSchema schema, int[] inputColumn,
      List<Map<String, Integer>> categoryIndex, String modelId, String modelVersion) {}

  /** Scores with {@code bundle}, stamping {@code asOf} on every row. */
  public FeatureTableScoring(ModelBundle bundle, LocalDate asOf) {
    this(bundle, asOf, null, false);
  }

  /**
   * Scores with {@code bundle} a table that has an {@code as_of_date} column (as {@code chainscore
   * features} writes it). With {@code checkAsOf}, a row computed as of another date than {@code
   * asOf} refuses the whole input with an {@link InputFormatException} naming {@code inputName},
   * the row and the column (features as of one date must not be stamped with another), and a row
   * without a date is quarantined; without it, every row is restamped with {@code asOf}. An
   * unreadable date is quarantined by the reader either way.
   *
   * @param inputName the input's name for messages; null when the table has no {@code as_of_date}
   */
  public FeatureTableScoring(ModelBundle bundle, LocalDate asOf, String inputName, boolean checkAsOf) {
    this(bundle, asOf, inputName, checkAsOf, Reasons.CODES);
  }

  /**
   * As {@link #FeatureTableScoring(ModelBundle, LocalDate, String, boolean)}, with the reason
   * columns as {@code reasons} says: codes, codes and statements, or none (not computed).
   */
  public FeatureTableScoring(ModelBundle bundle, LocalDate asOf, String inputName, boolean checkAsOf,
      Reasons reasons) {
    this(bundle, asOf, inputName, checkAsOf, reasons, null);
  }

  /**
   * As {@link #FeatureTableScoring(ModelBundle, LocalDate, String, boolean, Reasons)}, scoring
   * every row with a challenger too, in the same pass ({@code score --challenger}): the table then
   * has the challenger's columns ({@link PortfolioTables#scoresWithChallenger}), read from the same
   * feature table by name (a feature only the challenger reads must be in the table). The champion
   * decides: a row it refuses is quarantined; a row only the challenger refuses (its own policies,
   * or a category it does not know) is written with the challenger's columns empty.
   *
   * @param challengerBundle the challenger, or null for none
   * @throws IllegalArgumentException when a feature both models read has a different type in each
   */
  public FeatureTableScoring(ModelBundle bundle, LocalDate asOf, String inputName, boolean checkAsOf,
      Reasons reasons, ModelBundle challengerBundle) {
    this(bundle, asOf, inputName, checkAsOf, reasons, challengerBundle, ID_COLUMN);
  }

  /**
   * As {@link #FeatureTableScoring(ModelBundle, LocalDate, String, boolean, Reasons, ModelBundle)},
   * reading each row's id from {@code idColumn} instead of {@code supplier_id} ({@code score
   * --id-column}); the score table still calls it {@code supplier_id}, the layout every later
   * command reads. The readers find the column as they find every column: by its name, else by its
   * snake_case spelling.
   *
   * @throws IllegalArgumentException when {@code idColumn} is blank, or is also a column the
   *     processor reads (a feature of either model, or {@code as_of_date})
   */
  public FeatureTableScoring(ModelBundle bundle, LocalDate asOf, String inputName, boolean checkAsOf,
      Reasons reasons, ModelBundle challengerBundle, String idColumn) {
    if (idColumn == null || idColumn.isBlank()) {
      throw new IllegalArgumentException("the id column's name is empty; expected the name of the column"
          + " that identifies each row");
    }
    this.idColumn = idColumn;
    this.reasons = java.util.Objects.requireNonNull(reasons, "reasons");
    boolean segmented = !bundle.segments().isEmpty();
    this.output = challengerBundle != null
        ? PortfolioTables.scoresWithChallenger(reasons == Reasons.STATEMENTS, segmented,
            !challengerBundle.segments().isEmpty())
        : PortfolioTables.scores(reasons == Reasons.STATEMENTS, segmented);
    this.modelIdColumn = output.indexOf("model_id");
    this.segmentColumn = output.indexOf("segment");
    this.challengerColumn = output.indexOf("challenger_score");
    this.segmentNames = bundle.segments().stream().map(ModelBundle.Segment::name).toArray(String[]::new);
    this.challengerSegmentColumn = output.indexOf("challenger_segment");
    this.challengerSegmentNames = challengerBundle == null ? new String[0]
        : challengerBundle.segments().stream().map(ModelBundle.Segment::name).toArray(String[]::new);
    this.inputName = inputName;
    this.checkAsOf = checkAsOf && inputName != null;
    this.scorer = bundle.scorer();
    this.schema = bundle.schema();
    this.asOfDay = Math.toIntExact(asOf.toEpochDay());
    this.modelId = bundle.modelId();
    this.modelVersion = bundle.modelVersion();
    List<TableSchema.Column> columns = new ArrayList<>();
    columns.add(TableSchema.required(idColumn, ColumnType.STRING));
    for (FeatureSpec f : schema.features()) {
      boolean categorical = f.type() == FeatureType.CATEGORICAL;
      columns.add(TableSchema.nullable(f.name(), categorical ? ColumnType.STRING : ColumnType.DOUBLE));
      Map<String, Integer> codes = new HashMap<>();
      for (int i = 0; i < f.categories().size(); i++) {
        codes.put(f.categories().get(i), i);
      }
      categoryIndex.add(codes);
    }
    this.categoricalFeatures = java.util.stream.IntStream.range(0, schema.size())
        .filter(j -> schema.feature(j).type() == FeatureType.CATEGORICAL).toArray();
    this.numericFeatures = java.util.stream.IntStream.range(0, schema.size())
        .filter(j -> schema.feature(j).type() != FeatureType.CATEGORICAL).toArray();
    this.challenger = challengerBundle == null ? null : challenger(challengerBundle, columns);
    if (inputName != null) {
      columns.add(TableSchema.nullable("as_of_date", ColumnType.DATE));
    }
    this.asOfColumn = inputName != null ? columns.size() - 1 : -1;
    String idSpelling = TableSchema.snakeCase(idColumn);
    for (int c = 1; c < columns.size(); c++) {
      String name = columns.get(c).name();
      if (name.equals(idColumn) || TableSchema.snakeCase(name).equals(idSpelling)) {
        throw new IllegalArgumentException("the id column " + idColumn + " is also "
            + (name.equals("as_of_date") ? "the as-of date column" : "the feature " + name + " of the model")
            + "; expected a column that only identifies each row");
      }
    }
    this.input = new TableSchema("features", columns);
  }

  /**
   * Why a row with more missing features than the bundle allows is refused: no one column is at
   * fault, so the reason names the row by its id ({@code supplier S0000003: ...}, or {@code
   * loan_number L7: ...} under another id column) and gives the scorer's count. The one wording,
   * for the score run's quarantine and the what-if's.
   */
  public static String tooManyMissing(String idColumn, String id, String problem) {
    return (idColumn.equals(ID_COLUMN) ? "supplier " : idColumn + " ") + id + ": " + problem;
  }

  /** The challenger's input columns: the champion's where they share a feature, new ones after them. */
  private static Challenger challenger(ModelBundle bundle, List<TableSchema.Column> columns) {
    FeatureSchema schema = bundle.schema();
    int[] inputColumn = new int[schema.size()];
    List<Map<String, Integer>> codes = new ArrayList<>();
    for (int k = 0; k < schema.size(); k++) {
      FeatureSpec f = schema.feature(k);
      ColumnType type = f.type() == FeatureType.CATEGORICAL ? ColumnType.STRING : ColumnType.DOUBLE;
      int at = -1;
      for (int c = 1; c < columns.size(); c++) {
        if (columns.get(c).name().equals(f.name())) {
          at = c;
        }
      }
      if (at >= 0 && columns.get(at).type() != type) {
        throw new IllegalArgumentException("the challenger reads feature " + f.name() + " as "
            + (type == ColumnType.STRING ? "a category" : "a number") + " but the champion reads it as "
            + (type == ColumnType.STRING ? "a number" : "a category"));
      }
      if (at < 0) {
        columns.add(TableSchema.nullable(f.name(), type));
        at = columns.size() - 1;
      }
      inputColumn[k] = at;
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < f.categories().size(); i++) {
        index.put(f.categories().get(i), i);
      }
      codes.add(index);
    }
    return new Challenger(bundle.scorer(), schema, inputColumn, codes, bundle.modelId(), bundle.modelVersion());
  }

  /**
   * Rows per chunk of a score run unless the user sets them. Smaller chunks than the engine's
   * 65,536 start scoring and writing sooner and keep both threads busy to the end of a short input;
   * measured on 2 threads, 4 alternating runs each, the same bytes out: the bundled scorecard with
   * reason codes on 200,000 feature rows 1.82 / 2.17 s (min / median) against 2.30 / 2.75 s, the
   * 300-tree model on 100,000 rows 1.81 / 1.90 s against 1.99 / 2.24 s without reason codes and
   * 18.2-20.3 s against 23.1-27.4 s with them (benchmarks/results/user-paths-trees-2026-12-03-chunks.md).
   */
  public static final int DEFAULT_CHUNK_ROWS = 16_384;
  /**
   * Chunks between checkpoints of a score run in {@link #DEFAULT_CHUNK_ROWS}-row chunks: every
   * 262,144 rows, as the engine's default of 4 chunks of 65,536 rows, so the smaller chunks force
   * the output to disk no more often.
   */
  public static final int DEFAULT_CHECKPOINT_CHUNKS = 16;

  /** The input columns this processor reads. */
  public TableSchema inputSchema() {
    return input;
  }

  @Override
  public TableSchema outputSchema() {
    return output;
  }

  @Override
  public void process(ColumnBatch in, OutputRows out, Quarantine quarantine) {
    int n = in.size();
    int width = schema.size();
    double[] rows = new double[Math.max(1, n) * width];
    boolean[] usable = new boolean[n];
    for (int r = 0; r < n; r++) {
      usable[r] = true;
      if (checkAsOf) {
        int day = in.dates(asOfColumn)[r];
        if (day == ColumnBatch.NULL_DATE) {
          quarantine.reject(r, "as_of_date", "is empty; expected the as-of date " + LocalDate.ofEpochDay(asOfDay));
          usable[r] = false;
          continue;
        }
        if (day != asOfDay) {
          throw new io.chainscore.tables.InputFormatException(inputName, in.sourceRows()[r], "as_of_date",
              "the features were computed as of " + LocalDate.ofEpochDay(day) + " but --as-of is "
                  + LocalDate.ofEpochDay(asOfDay) + "; score with --as-of " + LocalDate.ofEpochDay(day)
                  + ", or pass --restamp-as-of to stamp " + LocalDate.ofEpochDay(asOfDay) + " on them");
        }
      }
      for (int i = 0; i < categoricalFeatures.length && usable[r]; i++) {
        int j = categoricalFeatures[i];
        String code = in.strings(j + 1)[r];
        double value;
        if (code == null || code.isEmpty()) {
          value = Double.NaN;
        } else {
          Integer index = categoryIndex.get(j).get(code);
          if (index == null) {
            quarantine.reject(r, schema.feature(j).name(), "unknown category '" + code + "'; expected one of "
                + schema.feature(j).categories());
            usable[r] = false;
            continue;
          }
          value = index;
        }
        rows[r * width + j] = value;
      }
    }
    // numeric columns one at a time (a short loop the JIT compiles early); an unusable row's values
    // are scored with the rest and ignored
    for (int j : numericFeatures) {
      double[] column = in.doubles(j + 1);
      for (int r = 0, at = j; r < n; r++, at += width) {
        rows[at] = column[r];
      }
    }
    double[] points = new double[Math.max(1, n)];
    double[] pd = new double[Math.max(1, n)];
    int[] grade = new int[Math.max(1, n)];
    int[] reasons = this.reasons == Reasons.NONE ? null : new int[Math.max(1, n) * Scorer.REASON_CODES_PER_ROW];
    // One pass over the chunk: the rows the feature policies refuse come back as data, in row
    // order; an unusable row's (unknown category) partial values are scored too and ignored.
    RowRefusals refusals = new RowRefusals();
    scorer.scoreBatch(rows, n, width, points, pd, grade, reasons, refusals);
    for (int i = 0; i < refusals.count(); i++) {
      int refused = refusals.row(i);
      if (usable[refused]) {
        if (refusals.reason(i) == RowRefusals.Reason.TOO_MANY_MISSING) {
          quarantine.reject(refused, null, tooManyMissing(idColumn, in.strings(0)[refused], refusals.problem(i)));
        } else {
          quarantine.reject(refused, refusals.feature(i), refusals.problem(i));
        }
        usable[refused] = false;
      }
    }
    // The challenger on the same rows: its own feature mapping, policies and refusals.
    boolean[] challengerScored = null;
    double[] challengerPoints = null;
    double[] challengerPd = null;
    int[] challengerGrade = null;
    int[] challengerReasons = null;
    double[] crows = null;
    int cw = 0;
    if (challenger != null) {
      cw = challenger.schema().size();
      crows = new double[Math.max(1, n) * cw];
      challengerScored = new boolean[n];
      for (int r = 0; r < n; r++) {
        challengerScored[r] = usable[r];
        for (int k = 0; k < cw && challengerScored[r]; k++) {
          int column = challenger.inputColumn()[k];
          if (challenger.schema().feature(k).type() == FeatureType.CATEGORICAL) {
            String code = in.strings(column)[r];
            Integer index = code == null || code.isEmpty() ? null : challenger.categoryIndex().get(k).get(code);
            if (code != null && !code.isEmpty() && index == null) {
              challengerScored[r] = false; // a category the challenger does not know: its columns stay empty
            }
            crows[r * cw + k] = index == null ? Double.NaN : index;
          } else {
            crows[r * cw + k] = in.doubles(column)[r];
          }
        }
      }
      challengerPoints = new double[Math.max(1, n)];
      challengerPd = new double[Math.max(1, n)];
      challengerGrade = new int[Math.max(1, n)];
      challengerReasons = this.reasons == Reasons.NONE ? null : new int[Math.max(1, n) * Scorer.REASON_CODES_PER_ROW];
      RowRefusals challengerRefusals = new RowRefusals();
      challenger.scorer().scoreBatch(crows, n, cw, challengerPoints, challengerPd, challengerGrade, challengerReasons,
          challengerRefusals);
      for (int i = 0; i < challengerRefusals.count(); i++) {
        challengerScored[challengerRefusals.row(i)] = false;
      }
    }
    ColumnBatch o = out.batch();
    for (int r = 0; r < n; r++) {
      if (!usable[r]) {
        continue;
      }
      int slot = o.size();
      o.strings(0)[slot] = in.strings(0)[r];
      o.dates(1)[slot] = asOfDay;
      o.doubles(2)[slot] = points[r];
      o.doubles(3)[slot] = pd[r];
      o.strings(4)[slot] = grade[r] >= 0 ? scorer.gradeName(grade[r]) : "";
      for (int k = 0; k < Scorer.REASON_CODES_PER_ROW; k++) {
        int code = reasons == null ? -1 : reasons[r * Scorer.REASON_CODES_PER_ROW + k];
        o.strings(5 + k)[slot] = code >= 0 ? scorer.reasonCode(code) : null;
        if (this.reasons == Reasons.STATEMENTS) {
          o.strings(5 + Scorer.REASON_CODES_PER_ROW + k)[slot] = code >= 0 ? scorer.reasonText(code) : null;
        }
      }
      o.strings(modelIdColumn)[slot] = modelId;
      o.strings(modelIdColumn + 1)[slot] = modelVersion;
      if (segmentColumn >= 0) {
        o.strings(segmentColumn)[slot] = segmentNames[scorer.segmentOf(rows, r * width)];
      }
      if (challenger != null) {
        int c = challengerColumn;
        boolean scored = challengerScored[r];
        o.doubles(c)[slot] = scored ? challengerPoints[r] : Double.NaN;
        o.doubles(c + 1)[slot] = scored ? challengerPd[r] : Double.NaN;
        o.strings(c + 2)[slot] = scored ? challenger.scorer().gradeName(challengerGrade[r]) : null;
        for (int k = 0; k < Scorer.REASON_CODES_PER_ROW; k++) {
          int code = scored && challengerReasons != null ? challengerReasons[r * Scorer.REASON_CODES_PER_ROW + k] : -1;
          o.strings(c + 3 + k)[slot] = code >= 0 ? challenger.scorer().reasonCode(code) : null;
        }
        o.strings(c + 3 + Scorer.REASON_CODES_PER_ROW)[slot] = scored ? challenger.modelId() : null;
        o.strings(c + 4 + Scorer.REASON_CODES_PER_ROW)[slot] = scored ? challenger.modelVersion() : null;
        if (challengerSegmentColumn >= 0) {
          o.strings(challengerSegmentColumn)[slot] =
              scored ? challengerSegmentNames[challenger.scorer().segmentOf(crows, r * cw)] : null;
        }
      }
      out.append(r);
    }
  }
}

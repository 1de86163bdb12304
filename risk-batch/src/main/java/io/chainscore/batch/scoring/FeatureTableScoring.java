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
import io.chainscore.scoring.ScoringException;
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
 * <p>Input columns: {@code supplier_id} and one column per feature of the bundle's schema, by
 * name (numeric features as numbers, empty for missing; categorical features as their category
 * codes). A row whose category is unknown, or that the bundle's feature policies refuse, is
 * quarantined with the feature and the reason.
 *
 * <p>Thread safety: safe for concurrent chunks; each call works on its own scratch arrays.
 */
public final class FeatureTableScoring implements ChunkProcessor {
  /** Columns of every score table. */
  public static final TableSchema OUTPUT = PortfolioTables.SCORES;

  private final Scorer scorer;
  private final FeatureSchema schema;
  private final TableSchema input;
  private final int asOfDay;
  private final String modelId;
  private final String modelVersion;
  private final List<Map<String, Integer>> categoryIndex = new ArrayList<>();

  /** Scores with {@code bundle}, stamping {@code asOf} on every row. */
  public FeatureTableScoring(ModelBundle bundle, LocalDate asOf) {
    this.scorer = bundle.scorer();
    this.schema = bundle.schema();
    this.asOfDay = Math.toIntExact(asOf.toEpochDay());
    this.modelId = bundle.modelId();
    this.modelVersion = bundle.modelVersion();
    List<TableSchema.Column> columns = new ArrayList<>();
    columns.add(TableSchema.required("supplier_id", ColumnType.STRING));
    for (FeatureSpec f : schema.features()) {
      boolean categorical = f.type() == FeatureType.CATEGORICAL;
      columns.add(TableSchema.nullable(f.name(), categorical ? ColumnType.STRING : ColumnType.DOUBLE));
      Map<String, Integer> codes = new HashMap<>();
      for (int i = 0; i < f.categories().size(); i++) {
        codes.put(f.categories().get(i), i);
      }
      categoryIndex.add(codes);
    }
    this.input = new TableSchema("features", columns);
  }

  /** The input columns this processor reads. */
  public TableSchema inputSchema() {
    return input;
  }

  @Override
  public TableSchema outputSchema() {
    return OUTPUT;
  }

  @Override
  public void process(ColumnBatch in, OutputRows out, Quarantine quarantine) {
    int n = in.size();
    int width = schema.size();
    double[] rows = new double[Math.max(1, n) * width];
    boolean[] usable = new boolean[n];
    for (int r = 0; r < n; r++) {
      usable[r] = true;
      for (int j = 0; j < width && usable[r]; j++) {
        int column = j + 1;
        FeatureSpec f = schema.feature(j);
        double value;
        if (f.type() == FeatureType.CATEGORICAL) {
          String code = in.strings(column)[r];
          if (code == null || code.isEmpty()) {
            value = Double.NaN;
          } else {
            Integer index = categoryIndex.get(j).get(code);
            if (index == null) {
              quarantine.reject(r, f.name(), "unknown category '" + code + "'; expected one of " + f.categories());
              usable[r] = false;
              continue;
            }
            value = index;
          }
        } else {
          value = in.doubles(column)[r];
        }
        rows[r * width + j] = value;
      }
    }
    double[] points = new double[Math.max(1, n)];
    double[] pd = new double[Math.max(1, n)];
    int[] grade = new int[Math.max(1, n)];
    int[] reasons = new int[Math.max(1, n) * Scorer.REASON_CODES_PER_ROW];
    // Score runs of usable rows; a refused row is quarantined and scoring resumes after it.
    int start = 0;
    while (start < n) {
      while (start < n && !usable[start]) {
        start++;
      }
      int end = start;
      while (end < n && usable[end]) {
        end++;
      }
      if (start == end) {
        break;
      }
      int from = start;
      while (from < end) {
        try {
          scoreRange(rows, from, end, width, points, pd, grade, reasons);
          from = end;
        } catch (ScoringException e) {
          int refused = from + e.rowIndex();
          quarantine.reject(refused, e.feature(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
          usable[refused] = false;
          from = refused + 1;
        }
      }
      start = end;
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
        int code = reasons[r * Scorer.REASON_CODES_PER_ROW + k];
        o.strings(5 + k)[slot] = code >= 0 ? scorer.reasonCode(code) : null;
      }
      o.strings(9)[slot] = modelId;
      o.strings(10)[slot] = modelVersion;
      out.append(r);
    }
  }

  /** Scores rows [from, end) of the chunk into the same positions of the output arrays. */
  private void scoreRange(double[] rows, int from, int end, int width, double[] points, double[] pd,
      int[] grade, int[] reasons) {
    int count = end - from;
    double[] slice = java.util.Arrays.copyOfRange(rows, from * width, end * width);
    double[] p = new double[count];
    double[] q = new double[count];
    int[] g = new int[count];
    int[] c = new int[count * Scorer.REASON_CODES_PER_ROW];
    try {
      scorer.scoreBatch(slice, count, width, p, q, g, c);
    } finally {
      // Rows before a refused one are valid; copy whatever was filled.
      System.arraycopy(p, 0, points, from, count);
      System.arraycopy(q, 0, pd, from, count);
      System.arraycopy(g, 0, grade, from, count);
      System.arraycopy(c, 0, reasons, from * Scorer.REASON_CODES_PER_ROW, count * Scorer.REASON_CODES_PER_ROW);
    }
  }
}

package io.chainscore.batch.scoring;

import io.chainscore.batch.io.BadRowHandler;
import io.chainscore.batch.io.ColumnBatch;
import io.chainscore.tables.InputFormatException;
import io.chainscore.batch.io.TableReader;
import io.chainscore.tables.TableSchema;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.scoring.ModelBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a feature table into one row per supplier in a bundle's schema order, for the portfolio
 * stress path that re-scores stressed rows, the summaries' CSI, and {@code explain} and {@code
 * whatif}. The whole table is held in memory (schema width doubles per supplier).
 */
public final class FeatureRows {
  private FeatureRows() {}

  /**
   * A feature table and the column that identifies its rows: {@code supplier_id} in the tables
   * ChainScore writes, another where a score run named it ({@code score --id-column}).
   *
   * <p>Thread safety: a record; immutable.
   */
  public record Table(Path file, String idColumn) {
    /** Checks both are given. */
    public Table {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(idColumn, "idColumn");
    }

    /** {@code file} identified by {@code supplier_id}; null for a null file. */
    public static Table of(Path file) {
      return file == null ? null : new Table(file, FeatureTableScoring.ID_COLUMN);
    }
  }

  /**
   * Rows by supplier id, the ids read from {@code supplier_id}.
   *
   * @throws InputFormatException for an unparseable row, an unknown category or a repeated id,
   *     naming the file, row and column
   */
  public static Map<String, double[]> read(Path file, ModelBundle bundle) throws IOException {
    return read(Table.of(file), bundle);
  }

  /**
   * The rows of the suppliers a score run scored ({@code scored}), by id in the table's order: what
   * the CSI of a run's summary and of {@code monitor} compares. The rows the run quarantined are
   * passed over as it passed them over: a row the reader cannot parse, a category the model does
   * not know, an id not scored, and every row of an id after its first (the engine scores the
   * first). So a table the run scored with refusals is read, where {@link #read} would stop at
   * its first refused row.
   */
  public static Map<String, double[]> readScored(Table features, ModelBundle bundle,
      java.util.Set<String> scored) throws IOException {
    FeatureSchema schema = bundle.schema();
    TableSchema table = new FeatureTableScoring(bundle, java.time.LocalDate.EPOCH, null, false,
        FeatureTableScoring.Reasons.NONE, null, features.idColumn()).inputSchema();
    Map<String, double[]> rows = new java.util.LinkedHashMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    BadRowHandler passOver = error -> { };
    try (TableReader reader = TableReader.open(features.file(), table, passOver)) {
      ColumnBatch batch = new ColumnBatch(table, 16_384);
      while (reader.next(batch)) {
        rows:
        for (int i = 0; i < batch.size(); i++) {
          String id = batch.strings(0)[i];
          if (!seen.add(id) || !scored.contains(id)) {
            continue;
          }
          double[] row = new double[schema.size()];
          for (int j = 0; j < schema.size(); j++) {
            FeatureSpec f = schema.feature(j);
            if (f.type() == FeatureType.CATEGORICAL) {
              String code = batch.strings(j + 1)[i];
              int index = code == null || code.isEmpty() ? -2 : f.categoryIndex(code);
              if (index == -1) {
                continue rows;
              }
              row[j] = index == -2 ? Double.NaN : index;
            } else {
              row[j] = batch.doubles(j + 1)[i];
            }
          }
          rows.put(id, row);
        }
      }
    }
    return rows;
  }

  /**
   * The row of one supplier, for {@code explain} and {@code whatif}: the first row with id {@code
   * supplier}, refused as {@link #read} refuses it when it cannot be used; the other rows are not
   * checked (a table another run scored with refusals still explains its other suppliers).
   *
   * @return the row, or null when no readable row has the id
   * @throws InputFormatException when the supplier's row has a category the model does not know,
   *     or a value the reader cannot parse (naming the file, row and column)
   */
  public static double[] readOne(Table features, ModelBundle bundle, String supplier) throws IOException {
    FeatureSchema schema = bundle.schema();
    TableSchema table = new FeatureTableScoring(bundle, java.time.LocalDate.EPOCH, null, false,
        FeatureTableScoring.Reasons.NONE, null, features.idColumn()).inputSchema();
    // a row the reader cannot parse is kept aside: if it is the supplier's (the reader read its id),
    // it is the supplier's problem to report; another row's is not
    java.util.List<InputFormatException> unreadable = new java.util.ArrayList<>();
    try (TableReader reader = TableReader.open(features.file(), table, unreadable::add)) {
      ColumnBatch batch = new ColumnBatch(table, 16_384);
      while (reader.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          if (!supplier.equals(batch.strings(0)[i])) {
            continue;
          }
          double[] row = new double[schema.size()];
          for (int j = 0; j < schema.size(); j++) {
            FeatureSpec f = schema.feature(j);
            if (f.type() == FeatureType.CATEGORICAL) {
              String code = batch.strings(j + 1)[i];
              int index = code == null || code.isEmpty() ? -2 : f.categoryIndex(code);
              if (index == -1) {
                throw new InputFormatException(features.file().toString(), batch.sourceRows()[i], f.name(),
                    "unknown category '" + code + "'; expected one of " + f.categories());
              }
              row[j] = index == -2 ? Double.NaN : index;
            } else {
              row[j] = batch.doubles(j + 1)[i];
            }
          }
          return row;
        }
      }
    }
    for (InputFormatException e : unreadable) {
      if (supplier.equals(e.recordId())) {
        throw e;
      }
    }
    if (!unreadable.isEmpty()) {
      InputFormatException first = unreadable.get(0);
      throw new InputFormatException(first.file(), first.row(), first.column(), "no readable row has the id '"
          + supplier + "', and " + unreadable.size() + " row" + (unreadable.size() == 1 ? "" : "s")
          + " could not be read; the first: " + first.problem());
    }
    return null;
  }

  /**
   * Rows by id, the ids read from the table's id column (found as every reader finds a column:
   * by its name, else by its snake_case spelling).
   *
   * @throws InputFormatException for an unparseable row, an unknown category or a repeated id,
   *     naming the file, row and column
   */
  public static Map<String, double[]> read(Table features, ModelBundle bundle) throws IOException {
    Path file = features.file();
    FeatureSchema schema = bundle.schema();
    TableSchema table = new FeatureTableScoring(bundle, java.time.LocalDate.EPOCH, null, false,
        FeatureTableScoring.Reasons.NONE, null, features.idColumn()).inputSchema();
    Map<String, double[]> rows = new HashMap<>();
    try (TableReader reader = TableReader.open(file, table, BadRowHandler.STRICT)) {
      ColumnBatch batch = new ColumnBatch(table, 16_384);
      while (reader.next(batch)) {
        for (int i = 0; i < batch.size(); i++) {
          double[] row = new double[schema.size()];
          for (int j = 0; j < schema.size(); j++) {
            FeatureSpec f = schema.feature(j);
            if (f.type() == FeatureType.CATEGORICAL) {
              String code = batch.strings(j + 1)[i];
              int index = code == null || code.isEmpty() ? -2 : f.categoryIndex(code);
              if (index == -1) {
                throw new InputFormatException(file.toString(), batch.sourceRows()[i], f.name(),
                    "unknown category '" + code + "'; expected one of " + f.categories());
              }
              row[j] = index == -2 ? Double.NaN : index;
            } else {
              row[j] = batch.doubles(j + 1)[i];
            }
          }
          String id = batch.strings(0)[i];
          if (rows.put(id, row) != null) {
            throw new InputFormatException(file.toString(), batch.sourceRows()[i], features.idColumn(),
                "'" + id + "' appears twice");
          }
        }
      }
    }
    return rows;
  }
}

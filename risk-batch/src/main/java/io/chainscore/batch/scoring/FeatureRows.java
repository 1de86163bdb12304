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
import java.util.List;
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
   * passed over as it passed them over ({@link #read(Table, ModelBundle, BadRowHandler, Map)}), and
   * so are the ids it did not score. So a table the run scored with refusals is read, where {@link
   * #read(Table, ModelBundle)} would stop at its first refused row.
   */
  public static Map<String, double[]> readScored(Table features, ModelBundle bundle,
      java.util.Set<String> scored) throws IOException {
    Map<String, double[]> rows = read(features, bundle, error -> { }, new HashMap<>());
    rows.keySet().retainAll(scored);
    return rows;
  }

  /**
   * The row of one supplier, for {@code explain} and {@code whatif}: the first row with id {@code
   * supplier}, refused as {@link #read} refuses it when it cannot be used; the other rows' problems
   * are not reported (a table a score run quarantined rows of still explains its other suppliers).
   *
   * @return the row, or null when no readable row has the id
   * @throws InputFormatException when the supplier's row has a category the model does not know,
   *     or a value the reader cannot parse (naming the file, row and column)
   */
  public static double[] readOne(Table features, ModelBundle bundle, String supplier) throws IOException {
    // the other rows' problems are not the supplier's: collected, and reported only when one is
    // the supplier's row (the reader read its id) or no readable row has the id
    List<InputFormatException> refused = new java.util.ArrayList<>();
    double[] row = read(features, bundle, refused::add, new HashMap<>()).get(supplier);
    // the supplier's own refused rows first, also when its first row was read: a second row of the
    // same id makes the one to explain ambiguous (until 2026-12-08 the first was taken, exit 0)
    for (InputFormatException e : refused) {
      if (supplier.equals(e.recordId())) {
        throw e;
      }
    }
    if (row != null) {
      return row;
    }
    // a refused row whose id was not read may be the supplier's
    List<InputFormatException> withoutId = refused.stream().filter(e -> e.recordId() == null).toList();
    if (!withoutId.isEmpty()) {
      InputFormatException first = withoutId.get(0);
      throw new InputFormatException(first.file(), first.row(), first.column(), "no readable row has the id '"
          + supplier + "', and " + withoutId.size() + " row" + (withoutId.size() == 1 ? "" : "s")
          + " without a readable id could not be read; the first: " + first.problem());
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
    return read(features, bundle, BadRowHandler.STRICT, new HashMap<>());
  }

  /**
   * Rows by id in the table's order, with the rows that cannot be used passed to {@code refused}
   * as the score run quarantines them (each naming the file, its 1-based data row, the column and
   * why): a row the reader cannot parse, a category the model does not know, and every row of an id
   * after its first, which stands (and is the one kept) even when it is itself refused, as in the
   * batch engine. The rows the feature policies would refuse are read: the policies are the
   * scorer's.
   *
   * @param refused receives each refused row in row order; {@link BadRowHandler#STRICT} throws
   *     at the first instead
   * @param firstRows receives each id's first data row (1-based), for messages about the row later
   */
  public static Map<String, double[]> read(Table features, ModelBundle bundle, BadRowHandler refused,
      Map<String, Long> firstRows) throws IOException {
    Path file = features.file();
    FeatureSchema schema = bundle.schema();
    TableSchema table = new FeatureTableScoring(bundle, java.time.LocalDate.EPOCH, null, false,
        FeatureTableScoring.Reasons.NONE, null, features.idColumn()).inputSchema();
    Map<String, double[]> rows = new java.util.LinkedHashMap<>();
    try (TableReader reader = TableReader.open(file, table, refused)) {
      ColumnBatch batch = new ColumnBatch(table, 16_384);
      while (reader.next(batch)) {
        rows:
        for (int i = 0; i < batch.size(); i++) {
          String id = batch.strings(0)[i];
          long row = batch.sourceRows()[i];
          Long first = firstRows.putIfAbsent(id, row);
          if (first != null) {
            refused.badRow(new InputFormatException(file.toString(), row, features.idColumn(),
                io.chainscore.batch.engine.BatchJob.repeatedKey(id, first, features.idColumn())).withRecordId(id));
            continue;
          }
          double[] values = new double[schema.size()];
          for (int j = 0; j < schema.size(); j++) {
            FeatureSpec f = schema.feature(j);
            if (f.type() == FeatureType.CATEGORICAL) {
              String code = batch.strings(j + 1)[i];
              int index = code == null || code.isEmpty() ? -2 : f.categoryIndex(code);
              if (index == -1) {
                refused.badRow(new InputFormatException(file.toString(), row, f.name(),
                    "unknown category '" + code + "'; expected one of " + f.categories()).withRecordId(id));
                continue rows;
              }
              values[j] = index == -2 ? Double.NaN : index;
            } else {
              values[j] = batch.doubles(j + 1)[i];
            }
          }
          rows.put(id, values);
        }
      }
    }
    return rows;
  }
}

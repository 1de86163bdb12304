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

/**
 * Reads a feature table into one row per supplier in a bundle's schema order, for the portfolio
 * stress path that re-scores stressed rows. The whole table is held in memory (schema width
 * doubles per supplier).
 */
public final class FeatureRows {
  private FeatureRows() {}

  /**
   * Rows by supplier id.
   *
   * @throws InputFormatException for an unparseable row, an unknown category or a repeated id,
   *     naming the file, row and column
   */
  public static Map<String, double[]> read(Path file, ModelBundle bundle) throws IOException {
    FeatureSchema schema = bundle.schema();
    TableSchema table = new FeatureTableScoring(bundle, java.time.LocalDate.EPOCH).inputSchema();
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
            throw new InputFormatException(file.toString(), batch.sourceRows()[i], "supplier_id",
                "'" + id + "' appears twice");
          }
        }
      }
    }
    return rows;
  }
}

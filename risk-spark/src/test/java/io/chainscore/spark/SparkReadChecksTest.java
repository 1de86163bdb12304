package io.chainscore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.io.ColumnType;
import io.chainscore.batch.io.TableSchema;
import io.chainscore.batch.io.TradeTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reader checks Spark applies to each table ({@code SparkFeatures.READ_CHECKS}) are the single
 * machine's, derived here from {@link TradeTables}: every required column in schema order (null
 * refused), dates range-checked, nullable dates only range-checked. No SparkSession needed.
 */
class SparkReadChecksTest {
  @Test
  void readChecks_equalTheSingleMachineReadersColumns() {
    Map<String, TableSchema> tables = Map.of("anchor", TradeTables.ANCHORS, "supplier", TradeTables.SUPPLIERS,
        "invoice", TradeTables.INVOICES, "loan", TradeTables.LOANS, "instalment", TradeTables.INSTALMENTS);
    assertThat(SparkFeatures.READ_CHECKS.keySet()).isEqualTo(tables.keySet());
    for (Map.Entry<String, TableSchema> t : tables.entrySet()) {
      List<String> expected = new ArrayList<>();
      for (TableSchema.Column c : t.getValue().columns()) {
        boolean date = c.type() == ColumnType.DATE;
        if (c.nullable() && !date) {
          continue; // a null is accepted and there is no range to check
        }
        expected.add((c.nullable() ? "?" : "") + c.name() + (date ? ":date" : ""));
      }
      assertThat(SparkFeatures.READ_CHECKS.get(t.getKey())).as(t.getKey()).containsExactlyElementsOf(expected);
    }
  }
}

package io.chainscore.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.scoring.tree.TreeEnsemble;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule by which every reader finds a table's column: the exact name, else the name in snake_case. */
class TableSchemaColumnInTest {
  @Test
  void snakeCase_examples() {
    assertThat(TableSchema.snakeCase("LOAN")).isEqualTo("loan");
    assertThat(TableSchema.snakeCase("mean radius")).isEqualTo("mean_radius");
    assertThat(TableSchema.snakeCase("Supplier-ID")).isEqualTo("supplier_id");
    assertThat(TableSchema.snakeCase("1st")).isEqualTo("f1st");
    assertThat(TableSchema.snakeCase("")).isEqualTo("f");
    assertThat(TableSchema.snakeCase("d\u00e9lai")).isEqualTo("d_lai");
    // the imported models' feature names follow the same rule
    assertThat(TreeEnsemble.schemaName("Mean Radius")).isEqualTo(TableSchema.snakeCase("Mean Radius"));
  }

  @Test
  void columnIn_exactNameFirst_thenTheUniqueSnakeCaseSpelling() {
    assertThat(TableSchema.columnIn(List.of("LOAN", "loan"), "loan", "f.csv")).isEqualTo(1);
    assertThat(TableSchema.columnIn(List.of("id", "LOAN"), "loan", "f.csv")).isEqualTo(1);
    assertThat(TableSchema.columnIn(List.of("id", "mean radius"), "mean_radius", "f.csv")).isEqualTo(1);
    assertThat(TableSchema.columnIn(List.of("id", "loans"), "loan", "f.csv")).isEqualTo(-1);
    // the rule maps a header onto a name, never a name onto a header: loan is not found as LOAN
    assertThat(TableSchema.columnIn(List.of("loan"), "LOAN", "f.csv")).isEqualTo(-1);
  }

  @Test
  void columnIn_twoSpellingsAndNoExactName_refusedNamingBoth() {
    assertThatThrownBy(() -> TableSchema.columnIn(List.of("Loan", "id", "LOAN"), "loan", "f.csv"))
        .isInstanceOf(InputFormatException.class)
        .hasMessage("f.csv, column loan: both Loan and LOAN are loan in snake_case, and none is spelled exactly so;"
            + " rename or drop one of them");
  }
}

package io.chainscore.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSchemaTest {
  @Test
  void indexOf_resolvesNamesInColumnOrder() {
    FeatureSchema schema =
        FeatureSchema.of(
            List.of(
                FeatureSpec.numeric("invoiced_amount_12m", "currency", 0, Double.POSITIVE_INFINITY, "x"),
                FeatureSpec.categorical("sector", List.of("glass", "textiles"), "y")));
    assertThat(schema.indexOf("sector")).isEqualTo(1);
    assertThat(schema.indexOf("nope")).isEqualTo(-1);
    assertThat(schema.feature(1).max()).isEqualTo(1.0);
  }

  @Test
  void row_setByName_fillsTheNamedColumnsAndLeavesTheRestMissing() {
    FeatureSchema schema = FeatureSchema.of(List.of(
        FeatureSpec.numeric("a", "count", 0, 10, ""),
        FeatureSpec.categorical("sector", List.of("glass", "textiles"), ""),
        FeatureSpec.numeric("b", "ratio", 0, 1, "")));
    double[] row = schema.row().set("b", 0.25).set("sector", "textiles").values();
    assertThat(row).hasSize(3);
    assertThat(row[0]).isNaN();
    assertThat(row[1]).isEqualTo(1.0);
    assertThat(row[2]).isEqualTo(0.25);
    assertThat(schema.row().set("sector", "glass").set("sector", (String) null).values()[1]).isNaN();
  }

  @Test
  void row_unknownNameOrCodeOrWrongType_isAnErrorNamingIt() {
    FeatureSchema schema = FeatureSchema.of(List.of(
        FeatureSpec.numeric("a", "count", 0, 10, ""),
        FeatureSpec.categorical("sector", List.of("glass", "textiles"), "")));
    assertThatThrownBy(() -> schema.row().set("months_on_boook", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no feature 'months_on_boook' in the schema; its features are [a, sector]");
    assertThatThrownBy(() -> schema.row().set("sector", "wood"))
        .hasMessage("feature sector has no category 'wood'; its categories are [glass, textiles]");
    assertThatThrownBy(() -> schema.row().set("sector", 1))
        .hasMessage("feature sector is categorical: set it by one of its codes [glass, textiles]");
    assertThatThrownBy(() -> schema.row().set("a", "glass"))
        .hasMessage("feature a is numeric: set it to a number");
  }

  /**
   * A null feature name is a programming error, an NPE naming the parameter as the library's null
   * arguments are: it was an IllegalArgumentException, "no feature 'null' in the schema", bad input.
   */
  @Test
  void row_nullName_isANullPointerExceptionNamingIt() {
    FeatureSchema schema = FeatureSchema.of(List.of(
        FeatureSpec.numeric("a", "count", 0, 10, ""),
        FeatureSpec.categorical("sector", List.of("glass", "textiles"), "")));
    assertThatThrownBy(() -> schema.row().set(null, 3)).isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("name");
    assertThatThrownBy(() -> schema.row().set(null, "glass")).isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("name");
  }

  @Test
  void row_valuesIsACopy() {
    FeatureSchema.Row row = FeatureSchema.of(List.of(FeatureSpec.numeric("a", "count", 0, 10, ""))).row().set("a", 2);
    row.values()[0] = 9;
    assertThat(row.values()[0]).isEqualTo(2.0);
  }

  @Test
  void of_duplicateName_isRejected() {
    FeatureSpec f = FeatureSpec.numeric("a", "count", 0, 1, "");
    assertThatThrownBy(() -> FeatureSchema.of(List.of(f, f)))
        .hasMessage("feature schema: duplicate feature name a");
  }

  @Test
  void accepts_checksRangeAndCategoryIndexes() {
    FeatureSpec ratio = FeatureSpec.numeric("share", "ratio", 0, 1, "");
    assertThat(ratio.accepts(0.5)).isTrue();
    assertThat(ratio.accepts(Double.NaN)).isTrue();
    assertThat(ratio.accepts(1.0000001)).isFalse();
    FeatureSpec cat = FeatureSpec.categorical("c", List.of("a", "b", "c"), "");
    assertThat(cat.accepts(2)).isTrue();
    assertThat(cat.accepts(1.5)).isFalse();
    assertThat(cat.accepts(3)).isFalse();
  }

  @Test
  void featureSpec_badNameOrEmptyRange_isRejected() {
    assertThatThrownBy(() -> FeatureSpec.numeric("Bad Name", "", 0, 1, ""))
        .hasMessage("feature name must be snake_case ([a-z][a-z0-9_]*), got Bad Name");
    assertThatThrownBy(() -> FeatureSpec.numeric("x", "", 2, 1, ""))
        .hasMessage("feature x: valid range [2.0, 1.0] is empty or NaN");
  }
}

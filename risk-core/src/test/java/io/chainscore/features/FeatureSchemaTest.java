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

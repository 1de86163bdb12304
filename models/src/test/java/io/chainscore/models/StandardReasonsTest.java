package io.chainscore.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.features.FeatureSpec;
import io.chainscore.features.StandardFeatures;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every standard feature has a reason group; every group's statement is a sentence to a supplier,
 * distinct from the others and from the features' technical definitions (which
 * shared/reference/adverse-action.md lists as not acceptable as reasons).
 */
class StandardReasonsTest {
  @Test
  void everyStandardFeature_hasAGroup_andEveryGroupAFeature() {
    Set<String> used = new HashSet<>();
    for (int j = 0; j < StandardFeatures.SCHEMA.size(); j++) {
      String name = StandardFeatures.SCHEMA.feature(j).name();
      used.add(StandardReasons.codeOf(name));
    }
    assertThat(used).containsExactlyInAnyOrderElementsOf(StandardReasons.statements().keySet());
    for (String code : StandardReasons.statements().keySet()) {
      assertThat(StandardReasons.featuresOf(code)).as(code).isNotEmpty();
    }
    assertThatThrownBy(() -> StandardReasons.codeOf("no_such_feature")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statements_areDistinctSentencesToTheSupplier_notDefinitions() {
    Set<String> definitions = new HashSet<>();
    for (int j = 0; j < StandardFeatures.SCHEMA.size(); j++) {
      FeatureSpec f = StandardFeatures.SCHEMA.feature(j);
      definitions.add(f.description());
    }
    assertThat(new HashSet<>(StandardReasons.statements().values())).hasSameSizeAs(StandardReasons.statements().values());
    for (String s : StandardReasons.statements().values()) {
      assertThat(definitions).doesNotContain(s);
      assertThat(s).containsIgnoringCase("your").endsWith(".").doesNotContainIgnoringCase("score").doesNotContainIgnoringCase("model")
          .doesNotContain(" D ").doesNotContain("_");
    }
  }
}

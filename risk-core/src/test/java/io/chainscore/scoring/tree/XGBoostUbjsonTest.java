package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * XGBoost models saved as UBJSON ({@code .ubj}) by xgboost4j 3.4 read into exactly the same
 * ensemble as the same model saved as JSON, with margins bit-identical to xgboost4j; hostile UBJSON
 * is refused naming the field and byte offset.
 */
class XGBoostUbjsonTest {
  private static void assertSameAsJson(XGBoostTraining trained, String name, long seed) throws Exception {
    Path ubj = trained.json.resolveSibling(name + ".ubj");
    trained.booster.saveModel(ubj.toString());
    byte[] file = Files.readAllBytes(ubj);
    byte[] raw = trained.booster.toByteArray("ubj");
    assertThat(file[0]).isEqualTo((byte) '{');
    assertThat(file[1]).as("xgboost writes UBJSON, not JSON text").isNotIn((byte) '"', (byte) ' ', (byte) '\n');

    TreeEnsemble fromJson = XGBoostModelReader.read(trained.json);
    TreeEnsemble fromUbj = XGBoostModelReader.read(ubj);
    TreeEnsemble fromRaw = XGBoostModelReader.read(raw);
    // Same format-neutral model, node for node (the codec writes every field with its exact double).
    assertThat(TreeEnsembleCodec.write(fromUbj)).isEqualTo(TreeEnsembleCodec.write(fromJson));
    assertThat(TreeEnsembleCodec.write(fromRaw)).isEqualTo(TreeEnsembleCodec.write(fromJson));

    // Same compiled layout and bit-identical margins, also against xgboost4j itself.
    CompiledTreeEnsemble a = (CompiledTreeEnsemble) fromJson.compile();
    CompiledTreeEnsemble b = (CompiledTreeEnsemble) fromUbj.compile();
    assertThat(b.threshold).isEqualTo(a.threshold);
    assertThat(b.child).isEqualTo(a.child);
    assertThat(b.column).isEqualTo(a.column);
    assertThat(b.value).isEqualTo(a.value);
    assertThat(b.nanRight).isEqualTo(a.nanRight);
    assertThat(b.catBits).isEqualTo(a.catBits);
    XGBoostParityTest.assertBitIdentical(trained, fromUbj, seed);
  }

  @Test
  void read_ubjBinaryLogisticWithCategories_identicalToJsonAndBitIdenticalToXgboost4j() throws Exception {
    XGBoostTraining trained = XGBoostTraining.train("ubj-logistic", Map.of("base_score", 0.37), 30, 21);
    try {
      assertSameAsJson(trained, "ubj-logistic", 31);
    } finally {
      trained.dispose();
    }
  }

  @Test
  void read_ubjDart_identicalToJsonAndBitIdenticalToXgboost4j() throws Exception {
    XGBoostTraining trained = XGBoostTraining.train("ubj-dart",
        Map.of("booster", "dart", "rate_drop", 0.3, "skip_drop", 0.0, "max_depth", 4), 20, 22);
    try {
      assertThat(XGBoostModelReader.read(trained.json).trees().stream().anyMatch(t -> t.weight() != 1.0)).isTrue();
      assertSameAsJson(trained, "ubj-dart", 32);
    } finally {
      trained.dispose();
    }
  }

  @Test
  void read_ubjSquaredError_identicalToJsonAndBitIdenticalToXgboost4j() throws Exception {
    XGBoostTraining trained = XGBoostTraining.train("ubj-squarederror",
        Map.of("objective", "reg:squarederror", "max_depth", 6), 20, 23);
    try {
      assertSameAsJson(trained, "ubj-squarederror", 33);
    } finally {
      trained.dispose();
    }
  }

  /** The committed small fixture (xgboost-small.json re-saved as .ubj by xgboost4j 3.4). */
  @Test
  void read_committedUbjFixture_sameEnsembleAsItsJson() throws Exception {
    TreeEnsemble json = XGBoostModelReader.read(HostileModelTest.resource("valid/xgboost-small.json"));
    TreeEnsemble ubj = XGBoostModelReader.read(HostileModelTest.resource("valid/xgboost-small.ubj"));
    assertThat(TreeEnsembleCodec.write(ubj)).isEqualTo(TreeEnsembleCodec.write(json));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // file                         | field                                                   | problem
      "xgb-truncated.ubj              | learner.gradient_booster.model.trees[0].split_conditions | truncated",
      "xgb-huge-count.ubj             | learner.gradient_booster.model.trees[0].split_conditions | does not fit",
      "xgb-huge-string.ubj            | learner.objective.name                                   | does not fit",
      "xgb-negative-length.ubj        | learner.objective                                        | length -5",
      "xgb-unknown-marker.ubj         | learner.learner_model_param.num_feature                  | unknown value marker 'X'",
      "xgb-duplicate-key.ubj          | learner.feature_names                                    | appears twice",
      "xgb-trailing-bytes.ubj         | ''                                                       | after the end",
      "xgb-typed-null-array.ubj       | learner.gradient_booster.model.trees[0].default_left     | typed container of 'Z'",
      "xgb-bad-utf8.ubj               | learner.objective.name                                   | not valid UTF-8",
      "xgb-nan-threshold.ubj          | learner.gradient_booster.model.trees[0].split_conditions[0] | threshold is NaN",
      "xgb-child-out-of-range.ubj     | learner.gradient_booster.model.trees[0].left_children[0] | outside",
  })
  void read_hostileUbj_refusedNamingTheFieldAndOffset(String file, String field, String problem) throws Exception {
    byte[] bytes = HostileModelTest.resource("hostile/" + file);
    assertThatThrownBy(() -> XGBoostModelReader.read(bytes))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo(field));
  }

  @Test
  void read_hundredNestedArrays_refusedAtDepth64() throws Exception {
    byte[] bytes = HostileModelTest.resource("hostile/xgb-deep-nesting.ubj");
    assertThatThrownBy(() -> XGBoostModelReader.read(bytes))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("nested deeper than 64")
        .satisfies(e -> assertThat(((ModelFormatException) e).field())
            .isEqualTo("learner" + "[0]".repeat(63)));
  }

  @Test
  void read_everyTruncationOfAValidUbj_refusedWithModelFormatException() throws Exception {
    byte[] full = HostileModelTest.resource("valid/xgboost-small.ubj");
    CompiledModel reference = XGBoostModelReader.read(full).compile();
    assertThat(reference.featureCount()).isPositive();
    for (int n = 2; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThatThrownBy(() -> XGBoostModelReader.read(cut)).as("first %d bytes", n)
          .isInstanceOf(ModelFormatException.class);
    }
  }
}

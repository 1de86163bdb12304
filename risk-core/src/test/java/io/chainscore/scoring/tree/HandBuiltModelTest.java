package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two small fixtures under trees/valid scored on rows whose outputs were derived by hand from
 * the files (see the comments): every split kind, missing rule and category direction once.
 */
class HandBuiltModelTest {
  // lightgbm-small.txt: Tree=0: amount <= 0.5 (NaN -> left) ? [days <= 30.000000000000004 (NaN as
  // 0) ? -0.25 : 0.125] : 0.5; Tree=1: sector in {1, 3} (bitset 10) ? 0.0625 : -0.0625 (NaN,
  // negative -> right).
  @ParameterizedTest
  @CsvSource({
      "0.2, 3, 10, -0.1875",
      "NaN, NaN, NaN, -0.3125",
      "0.5, 2, 30.000000000000004, -0.3125",
      "0.5000000000000001, 1, 0, 0.5625",
      "0.2, -1, 30.000000000000007, 0.0625",
      "0.2, 1.9, 1e-36, -0.1875",
  })
  void lightgbmSmall_handDerivedRows_scoreAsDerived(double amount, double sector, double days, double expected)
      throws Exception {
    TreeEnsemble model = LightGbmModelReader.read(
        new String(HostileModelTest.resource("valid/lightgbm-small.txt"), StandardCharsets.UTF_8));
    CompiledModel compiled = model.compile();
    assertThat(compiled.margin(new double[] {amount, sector, days}, 0)).isEqualTo(expected);
    assertThat(model.probability(expected)).isEqualTo(1 / (1 + Math.exp(-expected)));
  }

  // xgboost-small.json: base_score 0.5 -> margin 0. Tree 0: amount < 0.5 (NaN -> left) ? [days <
  // -1.25 (NaN -> right) ? -0.25 : 0.375] : 0.125. Tree 1: sector in {1, 3} -> right -0.1, other
  // valid or invalid categories -> left 0.2, NaN -> right.
  @ParameterizedTest
  @CsvSource({
      "0.2, 3, -2, -0.25, -0.1",
      "NaN, NaN, NaN, 0.375, -0.1",
      "0.5, 0, 5, 0.125, 0.2",
      "0.49999998, 2, -1.25, 0.375, 0.2",
      "0.2, -1, -1.2500001, -0.25, 0.2",
      "0.2, 1.5, -3, -0.25, -0.1",
  })
  void xgboostSmall_handDerivedRows_scoreAsDerived(double amount, double sector, double days, float leaf0,
      float leaf1) throws Exception {
    TreeEnsemble model = XGBoostModelReader.read(HostileModelTest.resource("valid/xgboost-small.json"));
    CompiledModel compiled = model.compile();
    float expected = 0.0f + leaf0 + leaf1; // float32 sum from the margin-space base score 0
    assertThat(compiled.margin(new double[] {amount, sector, days}, 0)).isEqualTo(expected);
  }
}

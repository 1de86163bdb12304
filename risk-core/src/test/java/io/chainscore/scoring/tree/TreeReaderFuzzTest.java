package io.chainscore.scoring.tree;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chainscore.scoring.spi.CompiledModel;
import io.chainscore.scoring.ModelFormatException;
import io.chainscore.scoring.tree.lightgbm.LightGbmModelReader;
import io.chainscore.scoring.tree.xgboost.XGBoostModelReader;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz tests of the two import readers: any input either loads (and then compiles and scores
 * without error) or is refused with a {@link ModelFormatException}; any other exception fails.
 * Under plain {@code mvn test} Jazzer runs the seed corpus in {@code
 * src/test/resources/io/chainscore/scoring/tree/TreeReaderFuzzTestInputs/} as regression tests;
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class TreeReaderFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void xgboostJson(byte[] input) throws Exception {
    try {
      exercise(XGBoostModelReader.read(input));
    } catch (ModelFormatException expected) {
      // refused with a named field: the contract
    }
  }

  @FuzzTest(maxDuration = "30s")
  void lightgbmText(byte[] input) throws Exception {
    try {
      exercise(LightGbmModelReader.read(new String(input, StandardCharsets.UTF_8)));
    } catch (ModelFormatException expected) {
      // refused with a named field: the contract
    }
  }

  private static void exercise(TreeEnsemble model) throws ModelFormatException {
    CompiledModel compiled = model.compile();
    int p = compiled.featureCount();
    double[] rows = new double[3 * Math.max(p, 1)];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i % 3 == 0 ? Double.NaN : i % 3 == 1 ? 0.5 : -1;
    }
    double[] out = new double[3];
    compiled.margins(rows, 3, Math.max(p, 1), out);
    compiled.contributions(rows, 0, new double[p]);
  }
}

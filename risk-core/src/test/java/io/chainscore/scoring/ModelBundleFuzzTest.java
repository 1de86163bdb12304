package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzzes the bundle reader: whatever the bytes, loading either succeeds or fails with a {@link
 * ModelFormatException}; any other exception (or error) fails the test. Under plain {@code mvn
 * test} Jazzer runs the seed corpus in {@code ModelBundleFuzzTestInputs/readBundle/} (the example
 * and hostile bundles) as regression tests; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class ModelBundleFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void readBundle(byte[] data) throws java.io.IOException {   // a byte array never fails to read
    try {
      use(ModelBundle.read(new ByteArrayInputStream(data)));
    } catch (ModelFormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    // sealing skips the hash check, so mutated documents reach the model compiler and golden rows
    try {
      use(ModelBundle.seal(new String(data, StandardCharsets.UTF_8)));
    } catch (ModelFormatException expected) {
      assertThat(expected.field()).isNotNull();
    }
  }

  private static void use(ModelBundle bundle) throws ModelFormatException {
    Scorer scorer = bundle.scorer();
    double[] row = new double[scorer.featureCount()];
    Arrays.fill(row, Double.NaN);
    try {
      ScoreResult result = scorer.score(row);
      assertThat(result.reasonCodes()).hasSizeLessThanOrEqualTo(Scorer.REASON_CODES_PER_ROW);
    } catch (ScoringException refused) {
      assertThat(refused.rowIndex()).isZero();
    }
    ModelBundle again = ModelBundle.fromJson(bundle.toJson());
    assertThat(again.toJson()).isEqualTo(bundle.toJson());
  }
}

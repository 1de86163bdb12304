package io.chainscore.develop.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.develop.StabilityByHand;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.Explanation;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import io.chainscore.scoring.spi.PointsScale;
import io.chainscore.validation.ModelDocument;
import io.chainscore.validation.ValidationReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The model document on a sample larger than {@link ModelDocumentation#MAX_WEIGHT_ROWS}, sorted
 * by cohort, with cohorts named by unpadded numbers: the cohorts are in numeric order, and the
 * characteristics' stability is computed over rows spread evenly over the whole sample, so that
 * the last cohort is in it.
 */
class ModelDocumentationTest {
  private static final FeatureSchema SCHEMA = FeatureSchema.of(List.of(
      FeatureSpec.numeric("late_days", "days", 0, 365, "days paid late"),
      FeatureSpec.numeric("volume_drop", "ratio", -1, 1, "drop in volume")));
  private static final int WIDTH = 2;

  /** Defaults rise with late days and volume drops; {@code dropShift} moves the later cohort's drops up. */
  /** The scorecard every test documents: fitted on 4,000 rows of {@link #rows} (seed 4). */
  private static ModelBundle scorecard() {
    int[] trainLabels = new int[4000];
    double[] train = rows(4000, new Random(4), trainLabels, Integer.MAX_VALUE, 0);
    ScorecardTrainer.Options options = ScorecardTrainer.Options.builder().modelId("doc-test").modelVersion("1.0.0")
        .description("test").scaling(new PointsScale(20, 600, 50)).minIv(0.02).maxCorrelation(0.7)
        .maxCharacteristics(5).minBinShare(0.05).maxBins(6).trainedAt("2026-12-01T00:00:00Z").trainer("test")
        .maxMissingShare(1.0).build();
    return new ScorecardTrainer(options).train(SCHEMA, train, trainLabels).bundle();
  }

  private static double[] rows(int n, Random random, int[] labels, int from, double dropShift) {
    double[] rows = new double[n * WIDTH];
    for (int r = 0; r < n; r++) {
      double late = random.nextDouble() * 40;
      double drop = Math.min(1, random.nextDouble() * 2 - 1 + (r >= from ? dropShift : 0));
      rows[r * WIDTH] = late;
      rows[r * WIDTH + 1] = drop;
      labels[r] = random.nextDouble() < 1 / (1 + Math.exp(-(-3 + 0.06 * late + 1.5 * drop))) ? 1 : 0;
    }
    return rows;
  }

  /**
   * A fit that did not converge is stated as such, once, not as every characteristic carrying no
   * signal: the document of the README's holdout (639 rows, 3 defaults) showed weights such as
   * -19.68 with infinite standard errors and p = 1, and its limitations said of each characteristic
   * "carries no significant signal". A converged fit keeps the per-characteristic statements.
   */
  @Test
  void weightLimitations_fitNotConverged_saysTheWeightsCouldNotBeReEstimated() {
    double inf = Double.POSITIVE_INFINITY;
    List<ModelDocument.Term> separated = List.of(new ModelDocument.Term("(intercept)", -20.49, inf, -0.0, 1.0),
        new ModelDocument.Term("firm_age_years", 1.56, inf, 0.0, 1.0),
        new ModelDocument.Term("region_index", -19.68, inf, -0.0, 1.0));
    List<String> out = new ArrayList<>();
    ModelDocumentation.weightLimitations("", new ModelDocument.Weights(separated, false, 0.34), out);
    assertThat(out).singleElement().asString()
        .startsWith("The characteristics' weights could not be re-estimated on this sample: the logistic fit did not"
            + " converge").doesNotContain("no significant signal");
    List<ModelDocument.Term> fitted = List.of(new ModelDocument.Term("(intercept)", -4.0, 0.3, -13.3, 0.0),
        new ModelDocument.Term("firm_age_years", 0.2, 0.4, 0.5, 0.62),
        new ModelDocument.Term("region_index", 1.0, 0.1, 10.0, 0.0));
    List<String> converged = new ArrayList<>();
    ModelDocumentation.weightLimitations("", new ModelDocument.Weights(fitted, true, 0.2), converged);
    assertThat(converged).containsExactly("Characteristic firm_age_years carries no significant signal on this sample"
        + " (re-estimated weight 0.20, p = 0.620).");
  }

  @Test
  void compareCohorts_ordersNumbersAsNumbers_thenText() {
    List<String> cohorts = new ArrayList<>(List.of("2025", "b", "10", "9", "2020.5", "a", "9.0"));
    cohorts.sort(ModelDocumentation::compareCohorts);
    assertThat(cohorts).containsExactly("9", "9.0", "10", "2020.5", "2025", "a", "b");
  }

  @Test
  void evenSample_isEveryRowUpToTheCap_thenEvenlySpaced() {
    assertThat(ModelDocumentation.evenSample(5)).containsExactly(0, 1, 2, 3, 4);
    int[] sample = ModelDocumentation.evenSample(3 * ModelDocumentation.MAX_WEIGHT_ROWS);
    assertThat(sample).hasSize(ModelDocumentation.MAX_WEIGHT_ROWS);
    assertThat(sample[0]).isZero();
    assertThat(sample[1]).isEqualTo(3);
    assertThat(sample[sample.length - 1]).isEqualTo(3 * ModelDocumentation.MAX_WEIGHT_ROWS - 3);
  }

  /**
   * A sample without a default is documented as validate validates it (no AUC, calibration against
   * 0 defaults), its weights not re-estimated and said so: until 2026-12-07 the fit's "the labels
   * hold a single class" stopped document (exit 2).
   */
  @Test
  void sampleWithoutDefault_isDocumented_withoutWeights() {
    ModelBundle bundle = scorecard();
    int[] labels = new int[300];
    double[] rows = rows(300, new Random(5), new int[300], Integer.MAX_VALUE, 0);

    ModelDocument document = ModelDocumentation.build(bundle, rows, labels, null, "sample.csv", "x", null,
        ValidationReport.Options.defaults());

    assertThat(document.weights()).isNull();
    assertThat(document.data().rows()).isEqualTo(300);
    assertThat(document.data().defaults()).isZero();
    assertThat(document.limitations()).contains("The characteristics' weights cannot be re-estimated: the 300 rows"
        + " of section 5 hold 0 defaults, and a fit needs defaults and non-defaults.");
    assertThat(document.validation().metrics().calibrationInTheLarge().observedDefaults()).isZero();
  }

  /**
   * Rows without a cohort are listed as their own group but are neither the first nor the last
   * cohort: the stability runs from 9 to 10 and equals that of the sample without them (until
   * 2026-12-07 an empty numeric cohort became "NaN", ordered last, and the PSI was from 9 to them).
   */
  @Test
  void missingCohort_isListed_butTheStabilityRunsBetweenTheKnownCohorts() {
    ModelBundle bundle = scorecard();
    int n = 900;
    int[] labels = new int[n];
    double[] rows = rows(n, new Random(6), labels, 600, 0.6);   // the last 300 rows drift: no cohort
    String[] cohorts = new String[n];
    for (int r = 0; r < n; r++) {
      cohorts[r] = r < 300 ? "9" : r < 600 ? "10" : ModelDocumentation.MISSING_COHORT;
    }
    ModelDocument document = ModelDocumentation.build(bundle, rows, labels, cohorts, "sample.csv", "x", null,
        ValidationReport.Options.defaults());
    assertThat(document.cohorts()).extracting(ModelDocument.Cohort::name)
        .containsExactly("9", "10", ModelDocumentation.MISSING_COHORT);
    assertThat(document.stability().from()).isEqualTo("9");
    assertThat(document.stability().to()).isEqualTo("10");
    ModelDocument known = ModelDocumentation.build(bundle, Arrays.copyOf(rows, 600 * WIDTH), Arrays.copyOf(labels, 600),
        Arrays.copyOf(cohorts, 600), "sample.csv", "x", null, ValidationReport.Options.defaults());
    assertThat(document.stability().psiScores()).isCloseTo(known.stability().psiScores(), within(1e-12));
  }

  @Test
  void stability_reachesALastCohortBeyondTheExplainedRowCap_inNumericOrder() {
    int n = 30_000;
    int firstCohortRows = 21_000; // the later cohort starts past MAX_WEIGHT_ROWS
    assertThat(firstCohortRows).isGreaterThan(ModelDocumentation.MAX_WEIGHT_ROWS);
    int[] labels = new int[n];
    double[] rows = rows(n, new Random(3), labels, firstCohortRows, 0.4);
    String[] cohorts = new String[n];
    for (int r = 0; r < n; r++) {
      cohorts[r] = r < firstCohortRows ? "9" : "10"; // as text, "10" would come first
    }
    int[] trainLabels = new int[8000];
    double[] train = rows(8000, new Random(4), trainLabels, Integer.MAX_VALUE, 0);
    ScorecardTrainer.Options options = ScorecardTrainer.Options.builder().modelId("doc-test").modelVersion("1.0.0")
        .description("test").scaling(new PointsScale(20, 600, 50)).minIv(0.02).maxCorrelation(0.7)
        .maxCharacteristics(5).minBinShare(0.05).maxBins(6).trainedAt("2026-12-01T00:00:00Z").trainer("test")
        .maxMissingShare(1.0).build();
    ModelBundle bundle = new ScorecardTrainer(options).train(SCHEMA, train, trainLabels).bundle();

    ModelDocument document = ModelDocumentation.build(bundle, rows, labels, cohorts, "sample.csv", "x", null,
        ValidationReport.Options.defaults());

    assertThat(document.cohorts()).extracting(ModelDocument.Cohort::name).containsExactly("9", "10");
    ModelDocument.Stability stability = document.stability();
    assertThat(stability.from()).isEqualTo("9");
    assertThat(stability.to()).isEqualTo("10");
    // CSI over rows floor(j * 30,000 / 20,000), j < 20,000 (two of every three), by cohort, computed here
    // from the scorer's explanations
    Scorer scorer = bundle.scorer();
    List<String> names = scorer.explain(Arrays.copyOf(rows, WIDTH)).items().stream().map(Explanation.Item::name)
        .toList();
    assertThat(stability.csiNames()).isEqualTo(names).isNotEmpty();
    for (int k = 0; k < names.size(); k++) {
      List<Double> before = new ArrayList<>();
      List<Double> after = new ArrayList<>();
      for (int j = 0; j < ModelDocumentation.MAX_WEIGHT_ROWS; j++) {
        int r = (int) ((long) j * n / ModelDocumentation.MAX_WEIGHT_ROWS);
        double c = scorer.explain(Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH)).items().get(k).contribution();
        (r < firstCohortRows ? before : after).add(c);
      }
      assertThat(after).hasSize(6000);
      assertThat(stability.csi().get(k)).as(names.get(k))
          .isCloseTo(StabilityByHand.csiOverValues(before, after), within(1e-12));
    }
    assertThat(stability.csi().get(names.indexOf("volume_drop"))).as("the drops moved").isGreaterThan(0.1);
  }

}

package io.chainscore.develop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.features.StandardFeatures;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.validation.CorrelatedBinomial;
import io.chainscore.validation.Discrimination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #18 section 1: the quality claims the README and the model cards make for the bundled
 * models, recomputed on the cohort they name, the final out-of-time test cohort that no choice of
 * the pipeline looked at: the AUCs in README's default-model table and in each card's "final test"
 * column, and calibration: each model's mean PD there lies inside the two-sided 95% acceptance
 * region of the realised default count under the one-factor (Vasicek) model at asset correlation
 * 0.12.
 */
class DefaultModelsEvidenceTest {
  static SimulatedSample finalTest;
  static Path root;
  /** The development cohorts, simulated once for the tests of this class that refit on them (15 s). */
  private static SimulatedSample development;

  private static synchronized SimulatedSample development() {
    if (development == null) {
      development = SimulatedSample.pooled(TrainDefaultModels.TRAIN, Runtime.getRuntime().availableProcessors());
    }
    return development;
  }

  @BeforeAll
  static void simulate() {
    finalTest = SimulatedSample.of(TrainDefaultModels.OUT_OF_TIME, Runtime.getRuntime().availableProcessors());
    Path p = Path.of("").toAbsolutePath();
    while (!Files.exists(p.resolve("README.md")) || !Files.exists(p.resolve("models"))) {
      p = p.getParent();
    }
    root = p;
  }

  private static double readmeAuc(String model) throws Exception {
    return readmeAuc(model, true);
  }

  private static double readmeAuc(String model, boolean quoted) throws Exception {
    String name = quoted ? "`" + Pattern.quote(model) + "`" : Pattern.quote(model);
    Matcher m = Pattern.compile("\\| " + name + "[^|]*\\| \\**([0-9.]+)\\**").matcher(
        Files.readString(root.resolve("README.md")));
    assertThat(m.find()).as("README's default-model table names " + model).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static double cardFinalAuc(String model) throws Exception {
    Matcher m = Pattern.compile("\\| AUC \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\|").matcher(
        Files.readString(root.resolve("models").resolve(model).resolve("MODEL_CARD.md")));
    assertThat(m.find()).as(model + "'s card has the AUC by cohort").isTrue();
    return Double.parseDouble(m.group(3));
  }

  private static void check(ModelBundle bundle) throws Exception {
    TrainDefaultModels.Evaluation e = TrainDefaultModels.evaluate(bundle.scorer(), finalTest);
    double auc = Discrimination.auc(e.pd(), finalTest.labels());
    assertThat(auc).as(bundle.modelId() + " README").isCloseTo(readmeAuc(bundle.modelId()), within(5e-5));
    assertThat(auc).as(bundle.modelId() + " card").isCloseTo(cardFinalAuc(bundle.modelId()), within(5e-5));
    long n = finalTest.size();
    long d = Arrays.stream(finalTest.labels()).filter(y -> y == 1).count();
    double meanPd = Arrays.stream(e.pd()).average().orElseThrow();
    double upper = CorrelatedBinomial.upperTail(n, d, meanPd, 0.12);
    double lower = 1 - CorrelatedBinomial.upperTail(n, d + 1, meanPd, 0.12);
    assertThat(Math.min(upper, lower)).as(bundle.modelId() + ": mean PD %.4f, %d defaults of %d", meanPd, d, n)
        .isGreaterThanOrEqualTo(0.025);
    assertThat(bundle.toJson()).contains("\"rating_philosophy\":\"ttc\"");
    assertThat(StandardFeatures.SCHEMA.size()).isEqualTo(bundle.schema().size());
  }

  @Test
  void scorecard_claimsHoldOnTheFinalCohort() throws Exception {
    check(DefaultModels.scorecard());
  }

  @Test
  void gbdt_claimsHoldOnTheFinalCohort() throws Exception {
    check(DefaultModels.gbdt());
  }

  /**
   * The comparison with a plain logistic regression on the raw features, refitted on the
   * development cohorts: its AUC on the final cohort in README's table and the card, and the DeLong
   * test of the scorecard's AUC minus it as README and the card state it.
   */
  @Test
  void scorecardVersusRawLogistic_deLongAsStated() throws Exception {
    double[] raw = TrainDefaultModels.rawLogisticMargins(development(), finalTest);
    double rawAuc = Discrimination.auc(raw, finalTest.labels());
    assertThat(rawAuc).as("README").isCloseTo(readmeAuc("plain logistic regression on raw features", false), within(5e-5));
    TrainDefaultModels.Evaluation e = TrainDefaultModels.evaluate(DefaultModels.scorecard().scorer(), finalTest);
    io.chainscore.validation.DeLong.Comparison c = io.chainscore.validation.DeLong.compare(e.pd(), raw,
        finalTest.labels(), 0.95);
    String card = Files.readString(root.resolve("models").resolve(DefaultModels.SCORECARD).resolve("MODEL_CARD.md"));
    Matcher m = Pattern.compile("logistic regression's: ([-+][0-9.]+) \\(standard error ([0-9.]+), z ([-0-9.]+), two-sided p ([0-9.e-]+)\\)")
        .matcher(card);
    assertThat(m.find()).as("the card states the DeLong test").isTrue();
    assertThat(c.difference()).isCloseTo(Double.parseDouble(m.group(1)), within(5e-5));
    assertThat(c.standardError()).isCloseTo(Double.parseDouble(m.group(2)), within(5e-5));
    assertThat(c.z()).isCloseTo(Double.parseDouble(m.group(3)), within(5e-3));
    assertThat(c.pValue()).isCloseTo(Double.parseDouble(m.group(4)), within(5e-4));
    Matcher r = Pattern.compile("significant \\(([-+][0-9.]+), standard error ([0-9.]+), two-sided p ([0-9.]+)\\)")
        .matcher(Files.readString(root.resolve("README.md")));
    assertThat(r.find()).as("README states the DeLong test").isTrue();
    assertThat(c.difference()).isCloseTo(Double.parseDouble(r.group(1)), within(5e-5));
    assertThat(c.standardError()).isCloseTo(Double.parseDouble(r.group(2)), within(5e-5));
    assertThat(c.pValue()).isCloseTo(Double.parseDouble(r.group(3)), within(5e-3));
    // README's words: above the logistic regression, not significantly
    assertThat(c.difference()).isPositive();
    assertThat(c.pValue()).isGreaterThan(0.05);
  }

  /**
   * The bundled scorecard is what its pipeline writes, byte for byte: the method the pipeline chose
   * on its validation cohorts (which the bundle records, {@code selection=cohort_out}), fitted on
   * the development cohorts and calibrated to their long-run default rate. A change to the trainer
   * that changes its bundles (its provenance text included: the bundle kept the old text for a day
   * after the trainer began recording its settings) fails here until the pipeline is rerun
   * ({@code model-dev/train-default-models.sh}) and its output committed.
   */
  @Test
  void scorecard_isWhatThePipelineWrites() throws Exception {
    ModelBundle bundled = DefaultModels.scorecard();
    assertThat(bundled.toJson()).contains("selection=cohort_out");
    ModelBundle trained = TrainDefaultModels.calibrate(new io.chainscore.develop.scorecard.ScorecardTrainer(TrainDefaultModels.options())
        .train(StandardFeatures.SCHEMA, development().rows(), development().labels(),
            TrainDefaultModels.cohortIds(TrainDefaultModels.TRAIN)).bundle(), development());
    assertThat(trained.toJson()).isEqualTo(bundled.toJson());
    assertThat(trained.sha256()).isEqualTo(bundled.sha256());
  }
}

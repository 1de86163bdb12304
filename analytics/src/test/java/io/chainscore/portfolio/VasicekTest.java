package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Worked values from shared/reference/validation-statistics.md (six decimals). */
class VasicekTest {
  @Test
  void cdf_matchesWorkedValues() {
    assertThat(Vasicek.cdf(0.01, 0.01, 0.12)).isCloseTo(0.661225, within(5e-7));
    assertThat(Vasicek.cdf(0.05, 0.01, 0.12)).isCloseTo(0.988130, within(5e-7));
    assertThat(Vasicek.cdf(0.10, 0.05, 0.20)).isCloseTo(0.867554, within(5e-7));
  }

  @Test
  void quantile_matchesWorkedValues() {
    assertThat(Vasicek.quantile(0.5, 0.01, 0.12)).isCloseTo(0.006571, within(5e-7));
    assertThat(Vasicek.quantile(0.99, 0.01, 0.12)).isCloseTo(0.052527, within(5e-7));
    assertThat(Vasicek.quantile(0.999, 0.01, 0.12)).isCloseTo(0.090326, within(5e-7));
    assertThat(Vasicek.quantile(0.999, 0.02, 0.15)).isCloseTo(0.176329, within(5e-7));
    assertThat(Vasicek.quantile(0.999, 0.05, 0.20)).isCloseTo(0.384422, within(5e-7));
  }

  @Test
  void economicCapital_matchesWorkedValue() {
    assertThat(Vasicek.economicCapital(0.999, 0.01, 0.12)).isCloseTo(0.080326, within(5e-7));
  }

  @Test
  void quantile_invertsCdf() {
    for (double a : new double[] {0.01, 0.3, 0.9, 0.999, 0.99999}) {
      double q = Vasicek.quantile(a, 0.02, 0.15);
      assertThat(Vasicek.cdf(q, 0.02, 0.15)).isCloseTo(a, within(1e-12));
    }
  }

  @Test
  void conditionalPd_atZeroFactorAndDownturn() {
    // z = 0 gives N(G(pd)/sqrt(1 - rho)); z = G(0.001) ... the stressed PD equals the Vasicek 99.9% quantile.
    assertThat(Vasicek.conditionalPd(0.01, 0.12, Normal.inverse(0.001)))
        .isCloseTo(Vasicek.quantile(0.999, 0.01, 0.12), within(1e-15));
    assertThat(Vasicek.conditionalPd(0.01, 0.0, -3)).isCloseTo(0.01, within(1e-16));
    assertThat(Vasicek.conditionalPd(0.01, 0.12, 1.0)).isLessThan(0.01);
  }

  /**
   * The documented break-even of a macro stress (docs/portfolio-risk.md, macro stress): a PD rises
   * only below z* = G(PD)(1 - sqrt(1 - rho)) / sqrt(rho), -0.3775 at PD 1% and rho 0.10, -0.6487 for
   * 0.3% at 0.20 (by python3's statistics.NormalDist); z = -0.25 lowers a PD of 1%.
   */
  @Test
  void conditionalPd_risesOnlyBelowTheDocumentedBreakEven() {
    assertThat(Vasicek.conditionalPd(0.01, 0.10, -0.3775142897370315)).isCloseTo(0.01, within(1e-12));
    assertThat(Vasicek.conditionalPd(0.003, 0.20, -0.6486631942735698)).isCloseTo(0.003, within(1e-12));
    assertThat(Vasicek.conditionalPd(0.01, 0.10, -0.25)).isLessThan(0.01);
    assertThat(Vasicek.conditionalPd(0.01, 0.10, -0.5)).isGreaterThan(0.01);
  }

  @Test
  void cdf_rejectsBadParameters() {
    assertThatThrownBy(() -> Vasicek.cdf(0.1, 0.0, 0.1)).hasMessageContaining("pd must be in (0, 1)");
    assertThatThrownBy(() -> Vasicek.quantile(1.0, 0.01, 0.1)).hasMessageContaining("alpha");
  }

  /**
   * The conditional PD's closed ends: PD 0 and 1 are fixed points, and with no correlation the
   * factor has no say (p(z) = N(G(PD)) = PD).
   */
  @Test
  void conditionalPd_edgesAreTheirClosedForms() {
    assertThat(Vasicek.conditionalPd(0.0, 0.12, -3)).isZero();
    assertThat(Vasicek.conditionalPd(1.0, 0.12, -3)).isEqualTo(1.0);
    assertThat(Vasicek.conditionalPd(0.02, 0.0, -3)).isCloseTo(0.02, within(1e-15));
    assertThatThrownBy(() -> Vasicek.conditionalPd(0.02, 1.0, 0)).hasMessageContaining("rho");
    assertThatThrownBy(() -> Vasicek.conditionalPd(-0.01, 0.1, 0)).hasMessageContaining("pd");
    assertThatThrownBy(() -> Vasicek.conditionalPd(1.01, 0.1, 0)).hasMessageContaining("pd");
  }

  @Test
  void cdfAndQuantile_openRangesRefuseTheirEnds() {
    assertThatThrownBy(() -> Vasicek.cdf(0.1, 1.0, 0.1)).hasMessageContaining("pd must be in (0, 1)");
    assertThatThrownBy(() -> Vasicek.cdf(0.1, 0.01, 0.0)).hasMessageContaining("rho");
    assertThatThrownBy(() -> Vasicek.cdf(0.1, 0.01, 1.0)).hasMessageContaining("rho");
    assertThatThrownBy(() -> Vasicek.quantile(0.0, 0.01, 0.1)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> Vasicek.quantile(0.99, 0.0, 0.1)).hasMessageContaining("pd must be in (0, 1)");
  }
}

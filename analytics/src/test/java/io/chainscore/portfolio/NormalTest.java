package io.chainscore.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class NormalTest {
  private static final NormalDistribution REFERENCE = new NormalDistribution(null, 0, 1);

  @Test
  void inverse_matchesKnownQuantilesAndRoundTrips() {
    assertThat(Normal.inverse(0.999)).isCloseTo(3.090232306167813, within(1e-14));
    assertThat(Normal.inverse(0.5)).isCloseTo(0.0, within(1e-16));
    assertThat(Normal.inverse(0.025)).isCloseTo(-1.959963984540054, within(1e-14));
    for (double p : new double[] {1e-300, 1e-12, 3e-4, 0.02425, 0.3, 0.97, 1 - 1e-9}) {
      double x = Normal.inverse(p);
      assertThat(Normal.cdf(x)).as("p=%s", p).isCloseTo(p, within(p * 1e-12 + 1e-15));
    }
  }

  @Test
  void fastCdf_relativeErrorInLowerTailAgainstCommonsMath() {
    double worstRelative = 0;
    double worstAbsolute = 0;
    double worstDeepTail = 0;
    for (int i = 0; i <= 2_000_000; i++) {
      double x = -8.5 + 17.0 * i / 2_000_000 + 1e-7 * (i % 7);
      double exact = REFERENCE.cumulativeProbability(x);
      double fast = Normal.fastCdf(x);
      worstAbsolute = Math.max(worstAbsolute, Math.abs(fast - exact));
      // Default probabilities live in the lower tail, where relative accuracy matters; near 1
      // a double cannot carry relative accuracy of 1 - N(x) anyway, so only the absolute bound applies.
      if (x < 0) {
        double relative = Math.abs(fast - exact) / exact;
        if (x >= -5.0) {
          worstRelative = Math.max(worstRelative, relative);
        } else {
          worstDeepTail = Math.max(worstDeepTail, relative);
        }
      }
    }
    assertThat(worstAbsolute).isLessThan(2e-10);
    // Relative error grows like h^4 x^4 / 384 in the tail: 1e-7 down to N(-5) = 2.9e-7, 1e-6 below.
    assertThat(worstRelative).isLessThan(1e-7);
    assertThat(worstDeepTail).isLessThan(1e-6);
    assertThat(Normal.fastCdf(-9.5)).isZero();
    assertThat(Normal.fastCdf(9.5)).isEqualTo(1.0);
  }

  @Test
  void inverseFast_relativeErrorBelow1point2e9() {
    double worst = 0;
    for (int i = 1; i < 200_000; i++) {
      double p = i / 200_000.0;
      double exact = Normal.inverse(p);
      if (Math.abs(exact) > 1e-3) {
        worst = Math.max(worst, Math.abs(Normal.inverseFast(p) - exact) / Math.abs(exact));
      }
    }
    for (double p : new double[] {1e-300, 1e-20, 1e-10, 1e-5}) {
      worst = Math.max(worst, Math.abs(Normal.inverseFast(p) - Normal.inverse(p)) / Math.abs(Normal.inverse(p)));
    }
    assertThat(worst).isLessThan(1.2e-9);
  }

  @Test
  void below_agreesExactlyWithFastCdfComparison() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    for (int i = 0; i < 2_000_000; i++) {
      double x = -10 + 20 * random.nextDouble();
      double fast = Normal.fastCdf(x);
      // Half the draws land next to N(x) so the interpolation branch is exercised.
      double u = i % 2 == 0 ? random.nextDouble() : fast + (random.nextDouble() - 0.5) * 1e-9;
      assertThat(Normal.below(u, x)).as("u=%s x=%s", u, x).isEqualTo(u < fast);
    }
  }

  /** phi(0) = 1 / sqrt(2 pi), phi(1) = 0.2419707245..., phi(2) = 0.0539909665... (published tables). */
  @Test
  void density_matchesTabulatedValues() {
    assertThat(Normal.density(0)).isCloseTo(0.3989422804014327, within(1e-16));
    assertThat(Normal.density(1)).isCloseTo(0.24197072451914337, within(1e-16));
    assertThat(Normal.density(-2)).isCloseTo(0.05399096651318806, within(1e-16));
  }

  /**
   * Deep in the tails the quantile still inverts the CDF to about 1e-13 relative (the refinement's
   * error term taken on the small side; Acklam's 1.2e-9 in x alone is 1e-7 in p at p = 1e-20), and
   * it is odd: G(1 - p) = -G(p), with 1 - 2^-40 exact in binary.
   */
  @Test
  void inverse_farTails_invertTheCdfAndAreSymmetric() {
    for (double p : new double[] {1e-20, 1e-100, 1e-300}) {
      assertThat(Normal.cdf(Normal.inverse(p))).as("p = %s", p).isCloseTo(p, within(p * 1e-12));
    }
    double p = Math.scalb(1.0, -40);
    assertThat(Normal.inverse(1 - p)).isCloseTo(-Normal.inverse(p), within(1e-12));
    assertThatThrownBy(() -> Normal.inverse(0.0)).hasMessageContaining("(0, 1)");
    assertThatThrownBy(() -> Normal.inverse(1.0)).hasMessageContaining("(0, 1)");
  }
}

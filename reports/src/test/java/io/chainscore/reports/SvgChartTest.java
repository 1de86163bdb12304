package io.chainscore.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SvgChartTest {
  @Test
  void downsample_longCurve_keepsEndpointsAndMarkedPointWithinTheBound() {
    int[] drawn = SvgChart.downsample(20_000, 300, 12_345);
    assertThat(drawn.length).isLessThanOrEqualTo(300).isGreaterThanOrEqualTo(290);
    assertThat(drawn[0]).isZero();
    assertThat(drawn[drawn.length - 1]).isEqualTo(19_999);
    assertThat(drawn).contains(12_345);
    for (int k = 1; k < drawn.length; k++) {
      assertThat(drawn[k]).isGreaterThan(drawn[k - 1]);
      // Evenly spaced: no gap much wider than n / max.
      assertThat(drawn[k] - drawn[k - 1]).isLessThanOrEqualTo(20_000 / 290 + 1);
    }
  }

  @Test
  void downsample_shortCurve_keepsEveryPoint() {
    assertThat(SvgChart.downsample(7, 300)).containsExactly(0, 1, 2, 3, 4, 5, 6);
    assertThat(SvgChart.downsample(301, 300, 150).length).isBetween(298, 300);
    assertThat(SvgChart.downsample(301, 300, 150)).contains(0, 150, 300);
  }

  @Test
  void unitCurves_drawsAtMostTheBoundAndEscapesLabels() {
    int n = 50_000;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = (double) i / (n - 1);
      y[i] = Math.sqrt(x[i]);
    }
    String svg = SvgChart.unitCurves("<t>", "x & y", "y", true,
        java.util.List.of(new SvgChart.Series("a<b", "#000", x, y)), new SvgChart.Marker(x[777], 0, y[777], "m"));
    String path = svg.substring(svg.indexOf(" d=\"") + 4, svg.indexOf('"', svg.indexOf(" d=\"") + 4));
    String[] points = path.split(" [ML] |^M ");
    long drawn = Arrays.stream(path.split("[ML]")).filter(s -> !s.isBlank()).count();
    assertThat(drawn).isLessThanOrEqualTo(SvgChart.MAX_CURVE_POINTS);
    assertThat(points.length).isGreaterThan(1);
    // The marked point (x[777], y[777]) is on the drawn path, exactly where the marker stands.
    assertThat(path).contains(String.format(java.util.Locale.ROOT, "L %.1f %.1f", 50 + x[777] * 300, 330 - y[777] * 300));
    assertThat(svg).contains("a&lt;b", "x &amp; y", "aria-label=\"&lt;t&gt;\"").doesNotContain("a<b", "<t>");
  }
}

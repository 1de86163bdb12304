package io.chainscore.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SvgChartTest {
  /**
   * A column chart without thresholds has a value scale (until 2026-12-07 only a chart read against
   * thresholds had one): zero, half and the top, each at the height its value is drawn at, in the
   * few characters the margin holds, for amounts and for PDs alike.
   */
  @Test
  void columns_withoutThresholds_labelTheirScaleAtZeroHalfAndTop() {
    String ecl = SvgChart.columns("ECL by stage", new String[] {"ECL"}, new String[] {"#1565c0"},
        new double[][] {{1_250_000}, {2_500_000}, {600_000}}, java.util.List.of("1", "2", "3"), null, null, "stage");
    assertThat(ecl).contains(">0</text>").contains(">1.3M</text>").contains(">2.5M</text>");
    String pd = SvgChart.columns("calibration", new String[] {"mean PD", "observed"}, new String[] {"#1", "#2"},
        new double[][] {{0.004, 0.006}, {0.012, 0.024}}, java.util.List.of("1", "2"), null, null, "grade");
    assertThat(pd).contains(">0</text>").contains(">0.012</text>").contains(">0.024</text>");
    // each label sits at its value's height: the plot is 200 px above the base line at y 230
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("y=\"([0-9.]+)\" font-size=\"10\" text-anchor=\"end\">0.024<")
        .matcher(pd);
    assertThat(m.find()).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isEqualTo(230 - 200 + 4, org.assertj.core.data.Offset.offset(0.05));
  }

  @Test
  void axisValue_fitsTheMargin() {
    assertThat(SvgChart.axisValue(0)).isEqualTo("0");
    assertThat(SvgChart.axisValue(0.0123)).isEqualTo("0.012");
    assertThat(SvgChart.axisValue(0.0004)).isEqualTo("4e-04");
    assertThat(SvgChart.axisValue(4.567)).isEqualTo("4.57");
    assertThat(SvgChart.axisValue(789)).isEqualTo("789");
    assertThat(SvgChart.axisValue(12_345)).isEqualTo("12.3k");
    assertThat(SvgChart.axisValue(4_560_000)).isEqualTo("4.6M");
    assertThat(SvgChart.axisValue(7.2e9)).isEqualTo("7.2B");
    for (double v : new double[] {0.00123, 0.5, 999, 999_999, 2.5e10}) {
      assertThat(SvgChart.axisValue(v).length()).as("%s", v).isLessThanOrEqualTo(6);
    }
  }

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

  /**
   * Columns read against a threshold: a PSI of 0.006 under an alert at 0.25 draws 4 px of the
   * 200 px plot (the scale reaches 1.2 x 0.25), not the whole plot as it did; the alert is a dashed
   * line at 0.25 / 0.30 of the height, labelled, and the scale's ends are labelled; a value above the
   * threshold sets the scale itself.
   */
  @Test
  void columns_againstAThreshold_drawSmallValuesSmallAndMarkTheThreshold() {
    String small = SvgChart.columns("psi", new String[] {"PSI"}, new String[] {"#000"}, new double[][] {{0.006}},
        java.util.List.of("1"), null, null, "runs", new double[] {0.25}, new String[] {"alert 0.25"},
        new String[] {"#c62828"});
    assertThat(small).contains("height=\"4.0\"").contains("stroke-dasharray=\"5 3\"").contains(">alert 0.25<")
        .contains(">0.00<").contains(">0.30<");
    // the line at 230 - 200 * 0.25 / 0.30
    assertThat(small).contains(String.format(java.util.Locale.ROOT, "y1=\"%.1f\"", 230 - 200 * 0.25 / 0.30));
    String large = SvgChart.columns("psi", new String[] {"PSI"}, new String[] {"#000"}, new double[][] {{0.5}},
        java.util.List.of("1"), null, null, "runs", new double[] {0.25}, new String[] {"alert 0.25"},
        new String[] {"#c62828"});
    assertThat(large).contains("height=\"200.0\"").contains(">0.50<");
    String plain = SvgChart.columns("psi", new String[] {"PSI"}, new String[] {"#000"}, new double[][] {{0.006}},
        java.util.List.of("1"), null, null, "runs");
    assertThat(plain).contains("height=\"200.0\"").doesNotContain("stroke-dasharray");
  }

  /**
   * Two thresholds (a monitor's alert and warning): two dashed lines in their colours at their
   * heights, the scale set by the larger, the first labelled at the right end and the second at the
   * left, so that close lines keep legible labels.
   */
  @Test
  void columns_againstTwoThresholds_markBoth() {
    String chart = SvgChart.columns("psi", new String[] {"PSI"}, new String[] {"#000"}, new double[][] {{0.006}},
        java.util.List.of("1"), null, null, "runs", new double[] {0.25, 0.10}, new String[] {"alert 0.25",
            "warning 0.10"}, new String[] {"#c62828", "#a15c00"});
    assertThat(chart.split("stroke-dasharray=\"5 3\"", -1)).hasSize(3);
    assertThat(chart).contains(String.format(java.util.Locale.ROOT, "y1=\"%.1f\" x2=\"500\" y2=\"%.1f\""
        + " stroke=\"#c62828\"", 230 - 200 * 0.25 / 0.30, 230 - 200 * 0.25 / 0.30));
    assertThat(chart).contains(String.format(java.util.Locale.ROOT, "y1=\"%.1f\" x2=\"500\" y2=\"%.1f\""
        + " stroke=\"#a15c00\"", 230 - 200 * 0.10 / 0.30, 230 - 200 * 0.10 / 0.30));
    assertThat(chart).contains("text-anchor=\"end\" fill=\"#c62828\">alert 0.25<")
        .contains("text-anchor=\"start\" fill=\"#a15c00\">warning 0.10<").contains(">0.30<");
  }

  @Test
  void horizontalBars_longLabels_endBeforeTheBarsOrAreCutWithTheirNameInATooltip() {
    // German credit's characteristics in document's CSI chart (label column 230 px): the first ran
    // under its bar and over its CSI until 2026-12-07.
    String fits = "installment_rate_in_percentage_of_disposable_income"; // 51 characters
    String tooLong = "a_characteristic_name_far_too_long_for_any_label_column_of_this_chart_x"; // 71
    String svg = SvgChart.horizontalBars("csi", java.util.List.of("purpose", fits), new String[] {"CSI"},
        new String[] {"#1565c0"}, new double[][] {{0.0342}, {0.0050}}, 0.1, java.util.List.of("0.0342", "0.0050"), 230);
    double barsStart = barStarts(svg).get(0);
    assertThat(barStarts(svg)).allSatisfy(x -> assertThat(x).isEqualTo(barsStart));
    // a label of n characters at font size 11 takes at most 6.6 n px (sans-serif lowercase and '_':
    // about 5.4 measured in Chromium), after its x of 4
    assertThat(barsStart).isGreaterThanOrEqualTo(4 + 6.6 * fits.length());
    assertThat(svg).contains(">" + fits + "</text>");

    String cut = SvgChart.horizontalBars("csi", java.util.List.of(tooLong), new String[] {"CSI"},
        new String[] {"#1565c0"}, new double[][] {{0.01}}, 0.1, java.util.List.of("0.0100"), 230);
    double start = barStarts(cut).get(0);
    assertThat(start).isEqualTo(SvgChart.MAX_LABEL_WIDTH);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<title>" + tooLong + "</title>([^<]*)\u2026</text>")
        .matcher(cut);
    assertThat(m.find()).as(cut).isTrue();
    assertThat(tooLong).startsWith(m.group(1));
    assertThat(4 + 6.6 * (m.group(1).length() + 1)).isLessThanOrEqualTo(start);
  }

  private static java.util.List<Double> barStarts(String svg) {
    java.util.List<Double> xs = new java.util.ArrayList<>();
    // the bars' rectangles (the legend's has y 4, a bar's y has a decimal)
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<rect x=\"([0-9.]+)\" y=\"[0-9]+\\.[0-9]\" width")
        .matcher(svg);
    while (m.find()) {
      xs.add(Double.parseDouble(m.group(1)));
    }
    return xs;
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

  /**
   * A chart of shares or probabilities labels its scale in percent, as the tables beside it: the
   * calibration chart of README's validation read 0.42 and 0.21 over a grade table of 41.81%; the
   * tallest column (a mean PD of 0.4181) is the scale's top, its half 20.9%.
   */
  @Test
  void percentColumns_labelTheScaleInPercent() {
    String chart = SvgChart.percentColumns("calibration by grade", new String[] {"mean PD", "observed default rate"},
        new String[] {"#1f77b4", "#ff7f0e"}, new double[][] {{0.0006, 0.0006}, {0.4181, 0.1818}},
        java.util.List.of("1", "8"), null, null, "grade");
    java.util.List<String> ticks = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("font-size=\"10\" text-anchor=\"end\">([^<]*)<")
        .matcher(chart);
    while (m.find()) {
      ticks.add(m.group(1));
    }
    assertThat(ticks).containsExactly("0", "20.9%", "41.8%");
    assertThat(chart).contains("height=\"200.0\"");
  }
}

package io.chainscore.reports;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one chart toolkit of the reports: inline SVG curves in the unit square (ROC, KS), column
 * charts (histograms, per-grade bars), horizontal bar charts (concentrations, comparisons) and a
 * log-scale histogram with markers (loss distributions). Every label is escaped with
 * {@link Html#escape}.
 *
 * <p>Curves are drawn from at most {@link #MAX_CURVE_POINTS} points ({@link #downsample}): the
 * first and last points and any point the caller marks (such as the KS maximum) are always kept,
 * the rest evenly spaced along the curve, so a page stays a few tens of kilobytes whatever the
 * sample size. Statistics are printed from their exact values, never read off the drawing.
 *
 * <p>Thread safety: stateless.
 */
final class SvgChart {
  /** The most points a drawn curve has. */
  static final int MAX_CURVE_POINTS = 300;

  private static final int CURVE_LEFT = 50;
  private static final int CURVE_TOP = 30;
  private static final int CURVE_SIZE = 300;

  private SvgChart() {}

  /**
   * A curve in the unit square.
   *
   * @param name legend text
   * @param colour stroke colour (a CSS colour the caller chooses, never user text)
   * @param x abscissae in [0, 1]
   * @param y ordinates in [0, 1], as many as {@code x}
   */
  record Series(String name, String colour, double[] x, double[] y) {
    Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
      }
    }
  }

  /**
   * A vertical segment drawn over the curves with a label, such as the KS distance.
   *
   * @param x abscissa in [0, 1]
   * @param from lower ordinate in [0, 1]
   * @param to upper ordinate in [0, 1]
   * @param label text beside it
   */
  record Marker(double x, double from, double to, String label) {}

  /**
   * The indices of the points of an {@code n}-point curve to draw: every index when {@code n <= max},
   * else the first, the last, every index in {@code keep}, and evenly spaced ones, ascending, at most
   * {@code max} in all.
   */
  static int[] downsample(int n, int max, int... keep) {
    if (n <= max) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] mandatory = new int[keep.length + 2];
    int m = 0;
    mandatory[m++] = 0;
    mandatory[m++] = n - 1;
    for (int k : keep) {
      if (k > 0 && k < n - 1) {
        mandatory[m++] = k;
      }
    }
    int fill = Math.max(0, max - m);
    int[] chosen = Arrays.copyOf(mandatory, m + fill);
    for (int k = 1; k <= fill; k++) {
      chosen[m + k - 1] = (int) Math.round((double) k * (n - 1) / (fill + 1));
    }
    return Arrays.stream(chosen).sorted().distinct().limit(max).toArray();
  }

  /**
   * Curves in the unit square with axes, an optional diagonal (the random model of a ROC chart),
   * a legend and an optional marker.
   */
  static String unitCurves(String ariaLabel, String xTitle, String yTitle, boolean diagonal, List<Series> series,
      Marker marker) {
    // the legend right of the plot: 110 pixels, more for a longer name (a compared model's id with
    // its AUC), so that no name is cut off at the chart's edge
    int legendRoom = 110;
    for (Series c : series) {
      legendRoom = Math.max(legendRoom, labelWidthOf(c.name().length()) + 8);
    }
    int width = CURVE_LEFT + CURVE_SIZE + legendRoom;
    int height = CURVE_TOP + CURVE_SIZE + 40;
    StringBuilder s = open(width, height, ariaLabel);
    double x0 = CURVE_LEFT;
    double y0 = CURVE_TOP + CURVE_SIZE;
    s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#bbb\"/>",
        x0, CURVE_TOP, CURVE_SIZE, CURVE_SIZE));
    for (double t : new double[] {0, 0.5, 1}) {
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
          x0 + t * CURVE_SIZE, y0 + 14, label(t)));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>",
          x0 - 4, y0 - t * CURVE_SIZE + 4, label(t)));
    }
    if (diagonal) {
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%d\" stroke=\"#bbb\"/>",
          x0, y0, x0 + CURVE_SIZE, CURVE_TOP));
    }
    int legend = 0;
    for (Series c : series) {
      int[] drawn = downsample(c.x().length, MAX_CURVE_POINTS, marker == null ? new int[0] : nearest(c.x(), marker.x()));
      StringBuilder path = new StringBuilder();
      for (int k = 0; k < drawn.length; k++) {
        int i = drawn[k];
        path.append(k == 0 ? "M" : " L").append(String.format(Locale.ROOT, " %.1f %.1f", x0 + c.x()[i] * CURVE_SIZE,
            y0 - c.y()[i] * CURVE_SIZE));
      }
      s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(c.colour())
          .append("\" stroke-width=\"2\"/>");
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"%s\">%s</text>",
          CURVE_LEFT + CURVE_SIZE + 8, CURVE_TOP + 12 + 14 * legend++, c.colour(), Html.escape(c.name())));
    }
    if (marker != null) {
      double mx = x0 + marker.x() * CURVE_SIZE;
      s.append(String.format(Locale.ROOT, "<line class=\"marker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
          + "stroke=\"#222\" stroke-dasharray=\"4 2\"/>", mx, y0 - marker.from() * CURVE_SIZE, mx, y0 - marker.to() * CURVE_SIZE));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text>", mx + 4,
          y0 - (marker.from() + marker.to()) / 2 * CURVE_SIZE, Html.escape(marker.label())));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
        x0 + CURVE_SIZE / 2.0, height - 6, Html.escape(xTitle)));
    s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"11\">%s</text>", CURVE_TOP - 12,
        Html.escape(yTitle)));
    return s.append("</svg>\n").toString();
  }

  /**
   * A column chart: one group of columns per entry of {@code values} ({@code values[group][series]}),
   * scaled to the largest value; {@code groupLabels} (or null) under each group, {@code leftEnd} and
   * {@code rightEnd} (or null) under the ends of the axis, {@code axisTitle} under its middle.
   */
  static String columns(String ariaLabel, String[] seriesNames, String[] colours, double[][] values,
      List<String> groupLabels, String leftEnd, String rightEnd, String axisTitle) {
    return columns(ariaLabel, seriesNames, colours, values, groupLabels, leftEnd, rightEnd, axisTitle, new double[0],
        new String[0], new String[0]);
  }

  /**
   * As {@link #columns(String, String[], String[], double[][], List, String, String, String)}, read
   * against thresholds (a monitor's alert and warning): the scale reaches at least 1.2 times the
   * largest, each is a dashed line in its colour, labelled at the right end (the first, third ...)
   * or the left end (the second ...), and the scale's top and zero are labelled, so small values
   * draw as small (a PSI of 0.006 filled the plot of a chart whose caption quoted an alert at 0.25).
   *
   * @param thresholds the values to mark (none: the plain chart)
   */
  static String columns(String ariaLabel, String[] seriesNames, String[] colours, double[][] values,
      List<String> groupLabels, String leftEnd, String rightEnd, String axisTitle, double[] thresholds,
      String[] thresholdLabels, String[] thresholdColours) {
    return columns(ariaLabel, seriesNames, colours, values, groupLabels, leftEnd, rightEnd, axisTitle, thresholds,
        thresholdLabels, thresholdColours, false);
  }

  /**
   * As {@link #columns(String, String[], String[], double[][], List, String, String, String)}, for
   * shares and probabilities: the scale is labelled in percent ({@link Figures#percentThreeDigits}),
   * as the tables beside such charts give them (a calibration chart's scale read 0.42 and 0.21 over
   * a table of 41.81% and 18.18%, a score distribution's 0.18 with no unit).
   */
  static String percentColumns(String ariaLabel, String[] seriesNames, String[] colours, double[][] values,
      List<String> groupLabels, String leftEnd, String rightEnd, String axisTitle) {
    return columns(ariaLabel, seriesNames, colours, values, groupLabels, leftEnd, rightEnd, axisTitle, new double[0],
        new String[0], new String[0], true);
  }

  private static String columns(String ariaLabel, String[] seriesNames, String[] colours, double[][] values,
      List<String> groupLabels, String leftEnd, String rightEnd, String axisTitle, double[] thresholds,
      String[] thresholdLabels, String[] thresholdColours, boolean percent) {
    int width = 520;
    int height = 270;
    int left = 40;
    int plotWidth = width - left - 20;
    int base = height - 40;
    int plotHeight = base - 30;
    double top = 0;
    for (double[] group : values) {
      for (double v : group) {
        if (Double.isFinite(v)) {   // NaN: a value not measured, drawn as no column
          top = Math.max(top, v);
        }
      }
    }
    boolean marked = thresholds.length > 0;
    for (double threshold : thresholds) {
      top = Math.max(top, 1.2 * threshold);
    }
    StringBuilder s = open(width, height, ariaLabel);
    legend(s, left, seriesNames, colours);
    for (int t = 0; t < thresholds.length; t++) {
      double y = base - plotHeight * thresholds[t] / top;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\""
          + " stroke-dasharray=\"5 3\"/>", left, y, left + plotWidth, y, thresholdColours[t]));
      // labels alternate between the right and the left end, so that two close lines stay legible
      boolean right = t % 2 == 0;
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\""
          + " fill=\"%s\">%s</text>", right ? left + plotWidth : left + 4, y - 3, right ? "end" : "start",
          thresholdColours[t], Html.escape(thresholdLabels[t])));
    }
    // The value scale: an axis with zero, half and the top labelled (a chart without thresholds had
    // none until 2026-12-07, so its columns could be compared only with each other, not read).
    if (top > 0) {
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
          left, base - plotHeight, left, base));
      for (double tick : marked ? new double[] {0, top} : new double[] {0, top / 2, top}) {
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>",
            left - 3, base - plotHeight * tick / top + 4,
            percent ? (tick == 0 ? "0" : Figures.percentThreeDigits(tick)) : marked ? Html.decimal(tick) : axisValue(tick)));
      }
    }
    double step = values.length == 0 ? 0 : (double) plotWidth / values.length;
    double bar = seriesNames.length == 0 ? 0 : step * 0.8 / seriesNames.length;
    for (int g = 0; g < values.length; g++) {
      double x = left + g * step;
      for (int k = 0; k < values[g].length; k++) {
        if (!Double.isFinite(values[g][k])) {
          continue;
        }
        double h = top > 0 ? plotHeight * values[g][k] / top : 0;
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
            x + k * bar, base - h, bar, h, colours[k]));
      }
      if (groupLabels != null) {
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
            x + step * 0.4, base + 14, Html.escape(groupLabels.get(g))));
      }
    }
    if (leftEnd != null) {
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", left, base + 14,
          Html.escape(leftEnd)));
    }
    if (rightEnd != null) {
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
          left + plotWidth, base + 14, Html.escape(rightEnd)));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
        left + plotWidth / 2.0, height - 8, Html.escape(axisTitle)));
    return s.append("</svg>\n").toString();
  }

  /**
   * A value of a chart's scale in at most six characters, so that it fits the 37 pixels left of
   * the plot: 0; below 1 two significant digits (0.012, 0.5; 5e-04 below 0.001); then three up to
   * 1000 (4.56, 789), then k, M and B with one decimal (12.3k, 4.6M). Amounts, counts, PDs and
   * shares all go through it.
   */
  static String axisValue(double v) {
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 0.99995 * 1e9) {   // rounds to the unit: 999,999 is 1.0M, not 1000.0k
      return String.format(Locale.ROOT, "%.1fB", v / 1e9);
    }
    if (a >= 0.99995 * 1e6) {   // rounds to the unit: 999,999 is 1.0M, not 1000.0k
      return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    }
    if (a >= 0.99995 * 1e3) {   // rounds to the unit: 999,999 is 1.0M, not 1000.0k
      return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    }
    if (a < 1e-3) {
      return String.format(Locale.ROOT, "%.0e", v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(a < 1 ? 2 : 3)).stripTrailingZeros()
        .toPlainString();
  }

  /** Width of a character of a bar label (font size 11), generous for sans-serif lowercase. */
  static final double LABEL_CHAR_WIDTH = 6.6;

  /** The widest the labels' column of {@link #horizontalBars} grows, leaving the bars room. */
  static final int MAX_LABEL_WIDTH = 400;

  /** The room a bar label of {@code chars} characters takes, with its margins. */
  static int labelWidthOf(int chars) {
    return (int) Math.ceil(LABEL_CHAR_WIDTH * chars) + 8;
  }

  /**
   * Horizontal bars: one row per label, one bar per series ({@code values[row][series]}) scaled so
   * that {@code max} fills the plot, and {@code valueTexts.get(row)} after the longest bar.
   */
  static String horizontalBars(String ariaLabel, List<String> labels, String[] seriesNames, String[] colours,
      double[][] values, double max, List<String> valueTexts, int labelWidth) {
    int width = 720;
    int bar = 8;
    int rowHeight = Math.max(18, bar * seriesNames.length + 8);
    int height = 30 + labels.size() * rowHeight;
    // room after the longest bar for its figures: 110 px, more for longer texts (about 6 px a
    // character at this size), so a full bar's figures stay inside the chart
    int textRoom = 110;
    for (String t : valueTexts) {
      textRoom = Math.max(textRoom, 6 * t.length() + 8);
    }
    // the labels' column: the caller's width, wider for a longer label (about 6.6 px a character at
    // font size 11) up to MAX_LABEL_WIDTH; a label longer still is cut with an ellipsis, its whole
    // text in a tooltip. Until 2026-12-07 a long label ran under the bars and over its figures, as
    // German credit's installment_rate_in_percentage_of_disposable_income over its CSI in `document`.
    int labelRoom = labelWidth;
    for (String l : labels) {
      labelRoom = Math.max(labelRoom, labelWidthOf(l.length()));
    }
    labelRoom = Math.max(labelWidth, Math.min(labelRoom, MAX_LABEL_WIDTH));
    int labelChars = 0; // the most characters that fit: a label fits exactly when labelWidthOf(its length) does
    while (labelWidthOf(labelChars + 1) <= labelRoom) {
      labelChars++;
    }
    double plotWidth = width - labelRoom - textRoom;
    StringBuilder s = open(width, height, ariaLabel);
    legend(s, labelRoom, seriesNames, colours);
    for (int i = 0; i < labels.size(); i++) {
      double y = 22 + i * rowHeight;
      String label = labels.get(i);
      String shown = label.length() <= labelChars ? Html.escape(label)
          : "<title>" + Html.escape(label) + "</title>" + Html.escape(label.substring(0, Math.max(1, labelChars - 1)))
          + "\u2026";
      s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%.1f\" font-size=\"11\">%s</text>", y + 11, shown));
      double longest = 0;
      for (int k = 0; k < seriesNames.length; k++) {
        double w = max > 0 ? Math.max(0, values[i][k]) / max * plotWidth : 0;
        longest = Math.max(longest, w);
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
            labelRoom, y + k * (bar + 1), w, bar, colours[k]));
      }
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%s</text>",
          labelRoom + longest + 4, y + 11, Html.escape(valueTexts.get(i))));
    }
    return s.append("</svg>\n").toString();
  }

  /**
   * A histogram of probabilities on a log scale from 1e-7, with vertical markers (such as VaR
   * levels) at {@code markerValues} on the axis from 0 to {@code upper}.
   */
  static String logHistogram(String ariaLabel, double[] probabilities, double upper, String upperText,
      double[] markerValues, List<String> markerLabels, String axisTitle) {
    int width = 720;
    int height = 260;
    int left = 60;
    int bottom = 30;
    double maxLog = -7;
    for (double v : probabilities) {
      if (v > 0) {
        maxLog = Math.max(maxLog, Math.log10(v));
      }
    }
    maxLog = Math.ceil(maxLog);
    double plotWidth = width - left - 10;
    double plotHeight = height - bottom - 10;
    StringBuilder s = open(width, height, ariaLabel);
    double barWidth = probabilities.length == 0 ? 0 : plotWidth / probabilities.length;
    for (int k = 0; k < probabilities.length; k++) {
      if (probabilities[k] <= 0) {
        continue;
      }
      double frac = (Math.log10(Math.max(probabilities[k], 1e-7)) + 7) / (maxLog + 7);
      double h = Math.max(1, frac * plotHeight);
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a78b5\"/>",
          left + k * barWidth, 10 + plotHeight - h, Math.max(1, barWidth - 1), h));
    }
    for (int e = -7; e <= (int) maxLog; e++) {
      double y = 10 + plotHeight - (e + 7) / (maxLog + 7) * plotHeight;
      s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%.1f\" font-size=\"10\">1e%d</text>", y + 3, e));
    }
    String[] colours = {"#d9822b", "#c23030", "#7a2a8a"};
    for (int c = 0; c < markerValues.length; c++) {
      double x = left + (upper > 0 ? markerValues[c] / upper : 0) * plotWidth;
      String colour = colours[c % colours.length];
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>",
          x, x, 10 + plotHeight, colour));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"%s\">%s</text>",
          x + 3, 22 + 12 * (c + 1), colour, Html.escape(markerLabels.get(c))));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">0</text>", left, height - 8));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
        width - 10, height - 8, Html.escape(upperText)));
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
        left + plotWidth / 2, height - 8, Html.escape(axisTitle)));
    return s.append("</svg>\n").toString();
  }

  /**
   * A chart's opening tag: its size in CSS pixels, and the same box as its {@code viewBox}, so that
   * a page that caps a chart's width (the model document's print layout) scales it down whole
   * rather than cutting off its right side.
   */
  private static StringBuilder open(int width, int height, String ariaLabel) {
    return new StringBuilder(4096).append("<svg width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"").append(Html.escape(ariaLabel)).append("\">");
  }

  private static void legend(StringBuilder s, int x, String[] names, String[] colours) {
    for (int k = 0; k < names.length; k++) {
      int at = x + k * 150;
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"4\" width=\"10\" height=\"8\" fill=\"%s\"/>", at, colours[k]));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"12\" font-size=\"10\">%s</text>", at + 14,
          Html.escape(names[k])));
    }
  }

  /** The index of the point whose abscissa is {@code x} (the first such), as a one-element keep list. */
  private static int[] nearest(double[] xs, double x) {
    int best = 0;
    for (int i = 1; i < xs.length; i++) {
      if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) {
        best = i;
      }
    }
    return new int[] {best};
  }

  private static String label(double t) {
    return t == 0 ? "0" : t == 1 ? "1" : "0.5";
  }
}

package io.chainscore.reports;

import io.chainscore.validation.CharacteristicBins;
import io.chainscore.validation.ValidationMetrics;
import io.chainscore.validation.ValidationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link ValidationReport} as one self-contained HTML page ({@code report.html} of
 * {@code chainscore validate}): the metrics, the ROC and KS curves (at most
 * {@value SvgChart#MAX_CURVE_POINTS} points each, the KS maximum always drawn), the score
 * distributions of defaults and non-defaults, calibration by grade and, for a scorecard, the bin
 * table of every characteristic. Numbers are printed from the report's exact figures.
 *
 * <p>Thread safety: stateless.
 */
public final class ValidationHtml {
  private static final String DEFAULTS = "#d62728";
  private static final String NON_DEFAULTS = "#2ca02c";
  private static final int SCORE_BINS = 30;

  private ValidationHtml() {}

  /** Writes the page to {@code file} (UTF-8), creating its directory. */
  public static void write(ValidationReport report, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(report), StandardCharsets.UTF_8);
  }

  /** The page. */
  public static String render(ValidationReport report) {
    StringBuilder b = new StringBuilder(32 * 1024);
    Html.open(b, "Validation: " + report.title(), "Validation of " + report.title());
    body(b, report);
    Html.close(b);
    return b.toString();
  }

  /**
   * The report's content below its title (figures table, comparison, curves, calibration, bin
   * tables), for {@link #render} and for the model document, which shows the same evidence.
   */
  static void body(StringBuilder b, ValidationReport report) {
    ValidationMetrics m = report.metrics();
    double[] pd = report.pd();
    int[] labels = report.labels();
    b.append("<table>");
    row(b, "model_id", m.modelId());
    row(b, "model_version", m.modelVersion());
    row(b, "model_sha256", m.modelSha256());
    row(b, "rows", Html.count(m.rows()));
    if (m.rowsRefused() != null) {
      row(b, "rows_refused", Html.count(m.rowsRefused()) + " refused by the model's policies, left out of every figure");
    }
    row(b, "defaults", Html.count(m.defaults()));
    row(b, "default_rate", Html.statistic(m.defaultRate()));
    row(b, "mean_pd", Html.statistic(m.meanPd()));
    if (m.auc() != null) {
      row(b, "auc", Html.statistic(m.auc()) + interval(m.aucCi()));
      row(b, "gini", Html.statistic(m.gini()) + interval(m.giniCi()));
      row(b, "ks", Html.statistic(m.ks()));
    }
    row(b, "brier", Html.statistic(m.brier()));
    ValidationMetrics.CalibrationTest large = m.calibrationInTheLarge();
    if (large != null) {
      row(b, "calibration_in_the_large", String.format(Locale.ROOT, "expected %s, observed %,d defaults (O/E %s)",
          Html.statistic(large.expectedDefaults()), large.observedDefaults(), Html.statistic(large.observedOverExpected())));
      row(b, "calibration_in_the_large p_value", "z " + Html.statistic(large.z()) + ", normal p " + Html.statistic(large.normalPValue())
          + (large.binomialPValue() == null ? "" : ", exact binomial p " + Html.statistic(large.binomialPValue()))
          + ", Vasicek p " + Html.statistic(large.vasicekPValue()) + " (asset correlation "
          + Html.statistic(large.assetCorrelation()) + "): " + large.trafficLight());
    }
    ValidationMetrics.HosmerLemeshowTest hl = m.hosmerLemeshow();
    if (hl != null) {
      row(b, "hosmer_lemeshow statistic", Html.statistic(hl.statistic()));
      row(b, "hosmer_lemeshow p_value", Html.statistic(hl.pValue()) + " (df " + hl.degreesOfFreedom() + ", "
          + hl.groups() + " groups, " + hl.sample().replace('_', ' ') + ")");
    }
    if (m.psi() != null) {
      row(b, "psi", Html.statistic(m.psi()));
      row(b, "psi_bins", m.psiBins());
    }
    b.append("</table>\n");
    ValidationMetrics.AucComparison cmp = m.comparison();
    if (cmp != null) {
      b.append("<h2>Comparison with ").append(Html.escape(cmp.otherModelId() + " " + cmp.otherModelVersion()))
          .append(" (DeLong test, same rows)</h2>\n<table>");
      row(b, "auc", Html.statistic(cmp.auc()));
      row(b, "other auc", Html.statistic(cmp.otherAuc()));
      row(b, "difference", Html.statistic(cmp.difference()) + String.format(Locale.ROOT, " (%.0f%% CI ", 100 * cmp.confidence())
          + Html.statistic(cmp.lower()) + " to " + Html.statistic(cmp.upper()) + ")");
      row(b, "standard error", Html.statistic(cmp.standardError()));
      row(b, "z", Html.statistic(cmp.z()));
      row(b, "p_value (two-sided)", Html.statistic(cmp.pValue()));
      b.append("</table>\n");
    }
    if (m.segments() != null) {
      // two tables, discrimination then calibration, each a segment per row: the eleven columns of
      // one table (an AUC with its interval among them) made it 1.5 times as wide as a printed A4 page
      b.append("<h2>Segments</h2>\n<p class=\"note\">Each segment's figures are those of its own scorecard on the"
          + " rows routed to it (metrics.json segments[]).</p>\n<table><tr><th>segment</th><th>rule</th><th>rows</th>"
          + "<th>defaults</th><th>AUC</th><th>Gini</th><th>KS</th></tr>");
      for (ValidationMetrics.Segment s : m.segments()) {
        ValidationMetrics sm = s.metrics();
        b.append("<tr><td>").append(Html.escape(s.name())).append("</td><td>").append(Html.escape(s.rule()))
            .append("</td><td>").append(s.rows()).append("</td><td>").append(s.defaults()).append("</td>");
        if (sm == null) {
          b.append("<td colspan=\"3\">no validation row</td></tr>");
          continue;
        }
        cell(b, sm.auc() == null ? "" : Html.statistic(sm.auc()) + interval(sm.aucCi()));
        cell(b, sm.gini() == null ? "" : Html.statistic(sm.gini()));
        cell(b, sm.ks() == null ? "" : Html.statistic(sm.ks()));
        b.append("</tr>");
      }
      b.append("</table>\n<table><tr><th>segment</th><th>Brier</th><th>mean PD</th><th>O/E</th>"
          + "<th>Hosmer-Lemeshow p</th></tr>");
      for (ValidationMetrics.Segment s : m.segments()) {
        ValidationMetrics sm = s.metrics();
        b.append("<tr><td>").append(Html.escape(s.name())).append("</td>");
        if (sm == null) {
          b.append("<td colspan=\"4\">no validation row</td></tr>");
          continue;
        }
        cell(b, Html.statistic(sm.brier()));
        cell(b, Html.statistic(sm.meanPd()));
        cell(b, sm.calibrationInTheLarge() == null ? "" : Html.statistic(sm.calibrationInTheLarge().observedOverExpected()));
        cell(b, sm.hosmerLemeshow() == null ? "" : Html.statistic(sm.hosmerLemeshow().pValue()));
        b.append("</tr>");
      }
      b.append("</table>\n");
    }

    Curves c = Curves.of(pd, labels);
    // with --compare both models' curves, each named with its AUC: the page tested the difference
    // of two curves and drew one
    List<SvgChart.Series> roc = new ArrayList<>();
    double[] comparedPd = report.comparedPd();
    roc.add(new SvgChart.Series(cmp == null ? "model" : m.modelId() + " (AUC " + Html.decimal3(cmp.auc()) + ")",
        "#1f77b4", c.falsePositiveRate, c.truePositiveRate));
    if (cmp != null && comparedPd != null) {
      Curves o = Curves.of(comparedPd, labels);
      roc.add(new SvgChart.Series(cmp.otherModelId() + " (AUC " + Html.decimal3(cmp.otherAuc()) + ")", "#9467bd",
          o.falsePositiveRate, o.truePositiveRate));
    }
    b.append("<h2>ROC curve").append(roc.size() > 1 ? "s" : "").append("</h2>\n").append(SvgChart.unitCurves(
        "ROC curve", "false positive rate", "true positive rate", true, roc, null));
    b.append("<h2>KS: cumulative share of defaults and non-defaults by PD</h2>\n");
    SvgChart.Marker ks = m.ks() == null ? null : new SvgChart.Marker(c.population[c.ksIndex],
        Math.min(c.defaults[c.ksIndex], c.nonDefaults[c.ksIndex]),
        Math.max(c.defaults[c.ksIndex], c.nonDefaults[c.ksIndex]), "KS " + Html.statistic(m.ks()));
    b.append(SvgChart.unitCurves("KS curve", "suppliers by PD, highest first", "cumulative share", false,
        List.of(new SvgChart.Series("defaults", DEFAULTS, c.population, c.defaults),
            new SvgChart.Series("non-defaults", NON_DEFAULTS, c.population, c.nonDefaults)), ks));

    b.append("<h2>Score distribution of non-defaults and defaults</h2>\n");
    double[] points = report.points();
    double min = Arrays.stream(points).min().orElse(0);
    double max = Arrays.stream(points).max().orElse(1);
    b.append(SvgChart.percentColumns("score distribution", new String[] {"non-defaults", "defaults"},
        new String[] {NON_DEFAULTS, DEFAULTS}, scoreHistogram(points, labels, min, max), null,
        String.format(Locale.ROOT, "%.0f", min), String.format(Locale.ROOT, "%.0f", max),
        "score (a column: its class's share of rows in the score band)"));

    b.append("<h2>Calibration by grade</h2>\n");
    List<String> grades = new ArrayList<>();
    double[][] bars = new double[m.grades().size()][];
    for (int g = 0; g < bars.length; g++) {
      ValidationMetrics.GradeTest t = m.grades().get(g);
      grades.add(t.grade());
      bars[g] = new double[] {t.meanPd(), t.defaultRate()};
    }
    b.append(SvgChart.percentColumns("calibration by grade", new String[] {"mean PD", "observed default rate"},
        new String[] {"#1f77b4", "#ff7f0e"}, bars, grades, null, null, "grade"));
    b.append("<table><tr><th>grade</th><th>suppliers</th><th>defaults</th><th>default rate</th><th>mean PD</th>"
        + "<th>binomial p</th><th>Jeffreys p</th><th>Vasicek p</th><th>traffic light</th></tr>");
    for (ValidationMetrics.GradeTest g : m.grades()) {
      b.append("<tr><td>").append(Html.escape(g.grade())).append(String.format(Locale.ROOT,
          "</td><td>%,d</td><td>%,d</td><td>%.2f%%</td><td>%.2f%%</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%s</td></tr>",
          g.count(), g.defaults(), 100 * g.defaultRate(), 100 * g.meanPd(), g.binomialPValue(), g.jeffreysPValue(),
          g.vasicekPValue(), Html.escape(g.trafficLight())));
    }
    b.append("</table>\n<p class=\"note\">Binomial p: P(X &ge; defaults | suppliers, mean PD), one-sided; Jeffreys p:"
        + " the Beta(D+1/2, N-D+1/2) CDF at the mean PD; Vasicek p: P(X &ge; defaults) when defaults are correlated"
        + " through one systematic factor" + (large == null ? "" : " (asset correlation " + Html.statistic(large.assetCorrelation())
        + ")") + ". Small values mean the grade's PD is underestimated. Traffic light: green up to the 95% quantile of"
        + " that distribution, yellow up to the 99.9% quantile, red above (Tasche 2003).</p>\n");
    if (!report.binTables().isEmpty()) {
      b.append("<h2>Bin tables on the validation sample</h2>\n<p class=\"note\">WoE = ln(%defaults / %non-defaults) in"
          + " the bin, over this sample's totals (positive = riskier than average); IV contribution = (%defaults -"
          + " %non-defaults) &times; WoE.</p>\n");
      for (CharacteristicBins t : report.binTables()) {
        b.append("<h3>").append(Html.escape(t.name())).append(String.format(Locale.ROOT, " (IV %.4f)</h3>", t.iv()));
        b.append("<table><tr><th>bin</th><th>count</th><th>share</th><th>defaults</th><th>default rate</th>"
            + "<th>WoE</th><th>IV contribution</th><th>points</th></tr>");
        for (CharacteristicBins.Bin r : t.bins()) {
          b.append("<tr><td>").append(Html.escape(r.label())).append(String.format(Locale.ROOT,
              "</td><td>%,d</td><td>%.2f%%</td><td>%,d</td><td>%s</td><td>%.4f</td><td>%.4f</td><td>%s</td></tr>",
              r.count(), 100 * r.share(), r.events(), r.count() == 0 ? "" : Html.percent(r.eventRate()), r.woe(),
              r.ivContribution(), points(r.points())));
        }
        b.append("</table>\n");
      }
    }
  }

  /** " (95% CI a to b, DeLong)", or nothing without an interval. */
  private static String interval(ValidationMetrics.ConfidenceInterval ci) {
    if (ci == null) {
      return "";
    }
    return String.format(Locale.ROOT, " (%.0f%% CI ", 100 * ci.confidence()) + Html.statistic(ci.lower()) + " to "
        + Html.statistic(ci.upper()) + ", " + ci.method() + (ci.clipped() ? ", clipped" : "") + ")";
  }

  private static void cell(StringBuilder b, String value) {
    b.append("<td>").append(Html.escape(value)).append("</td>");
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(Html.escape(value)).append("</td></tr>");
  }

  private static String points(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
        : new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /** Share of each class's rows in each of {@value #SCORE_BINS} equal-width score bins: {@code [bin][non-defaults, defaults]}. */
  static double[][] scoreHistogram(double[] points, int[] labels, double min, double max) {
    double width = Math.max(1e-9, (max - min) / SCORE_BINS);
    long events = Arrays.stream(labels).filter(y -> y == 1).count();
    long non = labels.length - events;
    double[][] shares = new double[SCORE_BINS][2];
    for (int i = 0; i < points.length; i++) {
      int k = Math.min(SCORE_BINS - 1, (int) ((points[i] - min) / width));
      if (labels[i] == 1) {
        shares[k][1] += 1.0 / Math.max(1, events);
      } else {
        shares[k][0] += 1.0 / Math.max(1, non);
      }
    }
    return shares;
  }

  /**
   * The ROC and KS curves of a sample at every distinct PD, highest first, from (0, 0): ties move
   * together, so the largest gap of the KS curves is the KS statistic exactly.
   */
  static final class Curves {
    final double[] falsePositiveRate;
    final double[] truePositiveRate;
    final double[] population;
    final double[] defaults;
    final double[] nonDefaults;
    final int ksIndex;

    private Curves(double[] fpr, double[] tpr, double[] population, double[] defaults, double[] nonDefaults, int ksIndex) {
      this.falsePositiveRate = fpr;
      this.truePositiveRate = tpr;
      this.population = population;
      this.defaults = defaults;
      this.nonDefaults = nonDefaults;
      this.ksIndex = ksIndex;
    }

    static Curves of(double[] pd, int[] labels) {
      int n = pd.length;
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, c) -> Double.compare(pd[c], pd[a]));
      long events = Arrays.stream(labels).filter(y -> y == 1).count();
      long non = n - events;
      int distinct = 0;
      for (int k = 0; k < n; k++) {
        if (k == n - 1 || pd[order[k + 1]] != pd[order[k]]) {
          distinct++;
        }
      }
      double[] fpr = new double[distinct + 1];
      double[] tpr = new double[distinct + 1];
      double[] population = new double[distinct + 1];
      int ksIndex = 0;
      double gap = -1;
      long bad = 0;
      long good = 0;
      int p = 1;
      for (int k = 0; k < n; k++) {
        if (labels[order[k]] == 1) {
          bad++;
        } else {
          good++;
        }
        if (k == n - 1 || pd[order[k + 1]] != pd[order[k]]) {
          fpr[p] = (double) good / Math.max(1, non);
          tpr[p] = (double) bad / Math.max(1, events);
          population[p] = (double) (k + 1) / n;
          if (Math.abs(tpr[p] - fpr[p]) > gap) {
            gap = Math.abs(tpr[p] - fpr[p]);
            ksIndex = p;
          }
          p++;
        }
      }
      return new Curves(fpr, tpr, population, tpr, fpr, ksIndex);
    }
  }
}

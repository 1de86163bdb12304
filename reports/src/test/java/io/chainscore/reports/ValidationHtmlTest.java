package io.chainscore.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.validation.ValidationMetrics;
import io.chainscore.validation.ValidationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validation page of the bundled scorecard on 20,000 random suppliers whose defaults are drawn
 * from the model's own PDs, checked against figures recomputed here from the rows.
 */
class ValidationHtmlTest {
  private static final int N = 20_000;
  private static ModelBundle bundle;
  private static double[] rows;
  private static int[] labels;
  private static ValidationReport report;
  private static String html;

  @BeforeAll
  static void validateTheScorecard() {
    bundle = DefaultModels.scorecard();
    FeatureSchema schema = bundle.schema();
    int p = schema.size();
    SplittableRandom random = new SplittableRandom(14);
    rows = new double[N * p];
    labels = new int[N];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < p; j++) {
        FeatureSpec f = schema.feature(j);
        double u = random.nextDouble();
        rows[i * p + j] = random.nextDouble() < 0.05 ? Double.NaN
            : f.type() == FeatureType.CATEGORICAL ? random.nextInt(f.categories().size())
            : f.min() + u * u * (Math.min(f.max(), f.min() + 400) - f.min());
      }
      double pd;
      try {
        pd = bundle.scorer().score(Arrays.copyOfRange(rows, i * p, (i + 1) * p)).pd();
      } catch (io.chainscore.scoring.ScoringException tooManyMissing) {
        i--; // a row missing more than the bundle's max_missing_share: drawn again
        continue;
      }
      labels[i] = random.nextDouble() < pd ? 1 : 0;
    }
    report = ValidationReport.of(bundle, rows, labels, null);
    html = ValidationHtml.render(report);
  }

  @Test
  void render_twentyThousandRows_staysSmallWithEveryCurveBounded() {
    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(100 * 1024);
    Matcher paths = Pattern.compile("<path d=\"([^\"]*)\"").matcher(html);
    int curves = 0;
    while (paths.find()) {
      curves++;
      long points = Arrays.stream(paths.group(1).split("[ML]")).filter(s -> !s.isBlank()).count();
      assertThat(points).isLessThanOrEqualTo(SvgChart.MAX_CURVE_POINTS).isGreaterThan(100);
    }
    assertThat(curves).as("ROC, KS defaults, KS non-defaults").isEqualTo(3);
    assertThat(html).doesNotContain("<script", "http:", "https:", "<link", "src=", "@import");
  }

  @Test
  void render_ksMarker_standsAtTheLargestGapOfAPlainRecount() {
    // Second computation: for every distinct PD threshold t, the share of defaults and of
    // non-defaults with PD >= t; KS is the largest difference, at population share pop.
    double[] pd = report.pd();
    double[] thresholds = Arrays.stream(pd).distinct().sorted().toArray();
    long events = Arrays.stream(labels).filter(y -> y == 1).count();
    double best = -1;
    double bestPopulation = 0;
    double[] bestShares = null;
    for (double t : thresholds) {
      long bad = 0;
      long good = 0;
      for (int i = 0; i < N; i++) {
        if (pd[i] >= t) {
          if (labels[i] == 1) {
            bad++;
          } else {
            good++;
          }
        }
      }
      double gap = Math.abs((double) bad / events - (double) good / (N - events));
      if (gap > best || gap == best && (double) (bad + good) / N < bestPopulation) {
        best = gap;
        bestPopulation = (double) (bad + good) / N;
        bestShares = new double[] {(double) bad / events, (double) good / (N - events)};
      }
    }
    assertThat(report.metrics().ks()).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(html).contains("KS " + Html.statistic(best));
    Matcher marker = Pattern.compile("<line class=\"marker\" x1=\"([0-9.]+)\" y1=\"([0-9.]+)\" x2=\"[0-9.]+\" y2=\"([0-9.]+)\"")
        .matcher(html);
    assertThat(marker.find()).isTrue();
    assertThat(Double.parseDouble(marker.group(1))).isCloseTo(50 + 300 * bestPopulation, org.assertj.core.data.Offset.offset(0.051));
    assertThat(Double.parseDouble(marker.group(2))).isCloseTo(330 - 300 * Math.min(bestShares[0], bestShares[1]),
        org.assertj.core.data.Offset.offset(0.051));
    assertThat(Double.parseDouble(marker.group(3))).isCloseTo(330 - 300 * Math.max(bestShares[0], bestShares[1]),
        org.assertj.core.data.Offset.offset(0.051));
    // Both KS curves pass through the marker's ends: the maximum point is drawn, not sampled away.
    String x = String.format(Locale.ROOT, "%.1f", 50 + 300 * bestPopulation);
    assertThat(html).contains("L " + x + " " + String.format(Locale.ROOT, "%.1f", 330 - 300 * bestShares[0]))
        .contains("L " + x + " " + String.format(Locale.ROOT, "%.1f", 330 - 300 * bestShares[1]));
  }

  @Test
  void render_gradeTable_countsEachGradeAsTheScorerDoes() {
    int p = bundle.schema().size();
    Map<String, long[]> byGrade = new LinkedHashMap<>();
    for (int i = 0; i < N; i++) {
      ScoreResult s = bundle.scorer().score(Arrays.copyOfRange(rows, i * p, (i + 1) * p));
      long[] c = byGrade.computeIfAbsent(s.grade(), k -> new long[2]);
      c[0]++;
      c[1] += labels[i];
    }
    assertThat(report.metrics().grades()).hasSameSizeAs(byGrade.keySet());
    for (Map.Entry<String, long[]> e : byGrade.entrySet()) {
      long[] c = e.getValue();
      assertThat(html).contains(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,d</td><td>%.2f%%</td>",
          e.getKey(), c[0], c[1], 100.0 * c[1] / c[0]));
    }
    long events = Arrays.stream(labels).filter(y -> y == 1).count();
    assertThat(html).contains("<tr><th>rows</th><td>" + String.format(Locale.ROOT, "%,d", N) + "</td></tr>",
        "<tr><th>defaults</th><td>" + String.format(Locale.ROOT, "%,d", events) + "</td></tr>");
  }

  @Test
  void render_aucRow_isTheMannWhitneyStatisticOfTheRows() {
    double[] pd = report.pd();
    Integer[] order = new Integer[N];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(pd[a], pd[b]));
    double rankSumOfDefaults = 0;
    long events = 0;
    for (int k = 0; k < N; ) {
      int end = k;
      while (end + 1 < N && pd[order[end + 1]] == pd[order[k]]) {
        end++;
      }
      double midRank = (k + end) / 2.0 + 1;
      for (int m = k; m <= end; m++) {
        if (labels[order[m]] == 1) {
          rankSumOfDefaults += midRank;
          events++;
        }
      }
      k = end + 1;
    }
    double auc = (rankSumOfDefaults - events * (events + 1) / 2.0) / (events * (double) (N - events));
    ValidationMetrics m = report.metrics();
    assertThat(m.auc()).isCloseTo(auc, org.assertj.core.data.Offset.offset(1e-12));
    // Each figure is followed by its DeLong interval from metrics.json.
    // (six significant digits without trailing zeros: Html.statistic)
    assertThat(html).contains("<tr><th>auc</th><td>" + Html.statistic(auc) + " (95% CI " + Html.statistic(m.aucCi().lower())
        + " to " + Html.statistic(m.aucCi().upper()) + ", delong)</td></tr>",
        "<tr><th>gini</th><td>" + Html.statistic(2 * auc - 1) + " (95% CI " + Html.statistic(m.giniCi().lower()) + " to "
        + Html.statistic(m.giniCi().upper()) + ", delong)</td></tr>");
    assertThat(Html.statistic(auc)).isEqualTo(new java.math.BigDecimal(auc).round(new java.math.MathContext(6))
        .stripTrailingZeros().toPlainString());
  }

  @Test
  void write_scorecard_hasItsBinTables(@TempDir Path dir) throws Exception {
    ValidationHtml.write(report, dir.resolve("sub/report.html"));
    String written = Files.readString(dir.resolve("sub/report.html"));
    assertThat(written).isEqualTo(html);
    assertThat(report.binTables()).isNotEmpty();
    for (var t : report.binTables()) {
      assertThat(written).contains("<h3>" + Html.escape(t.name()) + String.format(Locale.ROOT, " (IV %.4f)</h3>", t.iv()));
    }
  }

  /**
   * With a compared model (validate --compare) the ROC chart draws both models' curves, each named
   * with its AUC, the curves whose difference the DeLong table tests: the page drew the validated
   * model's alone. The compared curve is the compared PDs' own: its points are recomputed here.
   */
  @Test
  void render_withComparedModel_drawsBothRocCurves() {
    ModelBundle gbdt = io.chainscore.models.DefaultModels.gbdt();
    int n = 2_000;
    int p = bundle.schema().size();
    int q = gbdt.schema().size();
    double[] own = Arrays.copyOf(rows, n * p);
    double[] other = new double[n * q];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < q; j++) {
        other[i * q + j] = own[i * p + bundle.schema().indexOf(gbdt.schema().feature(j).name())];
      }
    }
    int[] y = Arrays.copyOf(labels, n);
    ValidationReport compared = ValidationReport.of(bundle, own, y, null,
        ValidationReport.Options.defaults().compareWith(gbdt, other));
    ValidationMetrics.AucComparison cmp = compared.metrics().comparison();
    double[] otherPd = compared.comparedPd();
    assertThat(io.chainscore.validation.Discrimination.auc(otherPd, y)).isCloseTo(cmp.otherAuc(),
        org.assertj.core.data.Offset.offset(1e-12));
    String page = ValidationHtml.render(compared);
    String roc = page.substring(page.indexOf("<h2>ROC curves</h2>"), page.indexOf("<h2>KS"));
    assertThat(roc).contains(">" + bundle.modelId() + " (AUC " + String.format(Locale.ROOT, "%.3f", cmp.auc()) + ")<",
        ">" + gbdt.modelId() + " (AUC " + String.format(Locale.ROOT, "%.3f", cmp.otherAuc()) + ")<");
    Matcher paths = Pattern.compile("<path d=\"([^\"]*)\" fill=\"none\" stroke=\"([^\"]*)\"").matcher(roc);
    java.util.List<String> colours = new java.util.ArrayList<>();
    java.util.List<Double> areas = new java.util.ArrayList<>();
    while (paths.find()) {
      colours.add(paths.group(2));
      assertThat(paths.group(1)).startsWith("M 50.0 330.0 ").endsWith("L 350.0 30.0");
      // the area under the drawn polyline (trapezoids in the unit square) is the curve's AUC, up to
      // the drawing's rounding and the at most 300 points kept of the curve
      String[] xy = paths.group(1).replaceAll("[ML]", " ").trim().split("\\s+");
      double area = 0;
      for (int k = 2; k + 1 < xy.length; k += 2) {
        double x0 = (Double.parseDouble(xy[k - 2]) - 50) / 300;
        double x1 = (Double.parseDouble(xy[k]) - 50) / 300;
        double y0 = (330 - Double.parseDouble(xy[k - 1])) / 300;
        double y1 = (330 - Double.parseDouble(xy[k + 1])) / 300;
        area += (x1 - x0) * (y0 + y1) / 2;
      }
      areas.add(area);
    }
    assertThat(colours).containsExactly("#1f77b4", "#9467bd");
    assertThat(Math.abs(cmp.auc() - cmp.otherAuc())).isGreaterThan(0.02);
    assertThat(areas.get(0)).isCloseTo(cmp.auc(), org.assertj.core.data.Offset.offset(0.005));
    assertThat(areas.get(1)).isCloseTo(cmp.otherAuc(), org.assertj.core.data.Offset.offset(0.005));
    // the legend fits: the chart is as wide as its longest name needs
    assertThat(roc).contains("<svg width=\"" + (50 + 300 + SvgChart.labelWidthOf(
        (bundle.modelId() + " (AUC 0.000)").length()) + 8) + "\"");
  }
}

package io.chainscore.develop.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import io.chainscore.validation.Calibration;
import io.chainscore.validation.Discrimination;
import io.chainscore.validation.HosmerLemeshow;
import io.chainscore.validation.Stability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validation of a model on a labelled sample: discrimination (AUC, Gini, KS), calibration
 * (Brier, Hosmer-Lemeshow, per-grade binomial and Jeffreys tests), stability against a baseline
 * sample (PSI of the score distribution), written as {@code metrics.json} and a self-contained
 * {@code report.html} with inline SVG charts (no scripts, no network). For a scorecard the report
 * also holds a bin table per characteristic computed on the validation sample ({@link #binTables}).
 *
 * <p>Thread safety: immutable once built.
 */
public final class ValidationReport {
  /** Per-grade calibration test. */
  public record GradeTest(String grade, long count, long defaults,
      @com.fasterxml.jackson.annotation.JsonProperty("default_rate") double defaultRate,
      @com.fasterxml.jackson.annotation.JsonProperty("mean_pd") double meanPd,
      @com.fasterxml.jackson.annotation.JsonProperty("binomial_p_value") double binomialPValue,
      @com.fasterxml.jackson.annotation.JsonProperty("jeffreys_p_value") double jeffreysPValue) {}

  /**
   * One bin of a scorecard characteristic on the validation sample. WoE and IV follow
   * {@code docs/binning.md}: {@code WoE = ln(%events / %non-events)} over the validation sample's
   * totals, with R scorecard's 0.99 rule when a non-empty bin has no events or no non-events;
   * an empty bin has WoE 0 and IV 0.
   *
   * @param label the bin: {@code [a, b)}, {@code = v}, a list of categories or {@code missing}
   * @param count validation rows in the bin
   * @param share count over all validation rows
   * @param events defaults in the bin
   * @param eventRate events over count (NaN for an empty bin)
   * @param woe weight of evidence on the validation sample
   * @param ivContribution the bin's term of the information value
   * @param points the bin's points in the scorecard
   */
  public record BinRow(String label, long count, double share, long events,
      @com.fasterxml.jackson.annotation.JsonProperty("event_rate") double eventRate, double woe,
      @com.fasterxml.jackson.annotation.JsonProperty("iv_contribution") double ivContribution, double points) {}

  /**
   * A scorecard characteristic's bins on the validation sample, in the bundle's bin order.
   *
   * @param name the characteristic's name
   * @param feature the feature it reads
   * @param bins its bins
   * @param iv information value on the validation sample (sum of the bins' contributions)
   */
  public record CharacteristicBins(String name, String feature, List<BinRow> bins, double iv) {
    public CharacteristicBins {
      bins = List.copyOf(bins);
    }
  }

  private final Map<String, Object> metrics = new LinkedHashMap<>();
  private List<CharacteristicBins> binTables = List.of();
  private final double[] pd;
  private final double[] points;
  private final int[] labels;
  private final List<GradeTest> grades;
  private final String title;

  private ValidationReport(String title, double[] pd, double[] points, int[] labels, List<GradeTest> grades) {
    this.title = title;
    this.pd = pd;
    this.points = points;
    this.labels = labels;
    this.grades = grades;
  }

  /**
   * Scores {@code rows} with the bundle and validates against {@code labels}; {@code baselineRows}
   * (may be null) adds the PSI of the score distribution against a baseline sample.
   */
  public static ValidationReport of(ModelBundle bundle, double[] rows, int[] labels, double[] baselineRows) {
    Scorer scorer = bundle.scorer();
    int n = labels.length;
    int p = bundle.schema().size();
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    scorer.scoreBatch(rows, n, p, points, pd, grade, null);
    int gradeCount = bundle.masterScale().grades().size();
    long[] count = new long[gradeCount];
    long[] defaults = new long[gradeCount];
    double[] pdSum = new double[gradeCount];
    for (int i = 0; i < n; i++) {
      if (grade[i] >= 0) {
        count[grade[i]]++;
        defaults[grade[i]] += labels[i];
        pdSum[grade[i]] += pd[i];
      }
    }
    List<GradeTest> tests = new ArrayList<>();
    for (int g = 0; g < gradeCount; g++) {
      if (count[g] == 0) {
        continue;
      }
      double meanPd = pdSum[g] / count[g];
      double clamped = Math.min(1 - 1e-12, Math.max(1e-12, meanPd));
      tests.add(new GradeTest(scorer.gradeName(g), count[g], defaults[g], (double) defaults[g] / count[g], meanPd,
          Calibration.binomialPValue(count[g], defaults[g], clamped), Calibration.jeffreysPValue(count[g], defaults[g], clamped)));
    }
    ValidationReport report = new ValidationReport(bundle.modelId() + " " + bundle.modelVersion(), pd, points, labels, tests);
    report.binTables = binTables(bundle, scorer, rows, labels);
    Map<String, Object> m = report.metrics;
    m.put("model_id", bundle.modelId());
    m.put("model_version", bundle.modelVersion());
    m.put("model_sha256", bundle.sha256());
    m.put("rows", n);
    long events = Arrays.stream(labels).filter(y -> y == 1).count();
    m.put("defaults", events);
    m.put("default_rate", (double) events / n);
    m.put("mean_pd", Arrays.stream(pd).average().orElse(Double.NaN));
    if (events > 0 && events < n) {
      double auc = Discrimination.auc(pd, labels);
      m.put("auc", auc);
      m.put("gini", 2 * auc - 1);
      m.put("ks", Discrimination.ks(pd, labels));
    }
    m.put("brier", Calibration.brier(pd, labels));
    if (n >= 20 && events > 0 && events < n) {
      HosmerLemeshow hl = Calibration.hosmerLemeshow(pd, labels, 10);
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("statistic", hl.statistic());
      h.put("degrees_of_freedom", hl.degreesOfFreedom());
      h.put("p_value", hl.pValue());
      h.put("groups", hl.groups());
      m.put("hosmer_lemeshow", h);
    }
    m.put("grades", tests);
    if (baselineRows != null) {
      int nb = baselineRows.length / p;
      double[] bp = new double[nb];
      double[] bpd = new double[nb];
      int[] bg = new int[nb];
      scorer.scoreBatch(baselineRows, nb, p, bp, bpd, bg, null);
      long[] expected = new long[gradeCount];
      long[] actual = new long[gradeCount];
      for (int g : bg) {
        if (g >= 0) {
          expected[g]++;
        }
      }
      for (int g : grade) {
        if (g >= 0) {
          actual[g]++;
        }
      }
      m.put("psi", Stability.psiFromCounts(expected, actual));
      m.put("psi_bins", "master-scale grades; empty-bin share " + Stability.EPSILON);
    }
    return report;
  }

  /** The bin tables of a scorecard's characteristics on the validation sample; empty for other model kinds. */
  public List<CharacteristicBins> binTables() {
    return binTables;
  }

  /**
   * Puts every row in a bin of every characteristic through {@link Scorer#explain}, so the bundle's
   * missing-value and range policies apply exactly as in scoring, and counts events per bin.
   */
  private static List<CharacteristicBins> binTables(ModelBundle bundle, Scorer scorer, double[] rows, int[] labels) {
    com.fasterxml.jackson.databind.JsonNode model;
    try {
      model = new ObjectMapper().readTree(bundle.toJson()).path("model");
    } catch (IOException e) {
      throw new IllegalStateException("the bundle's own JSON does not parse: " + e.getMessage(), e);
    }
    if (!"scorecard".equals(model.path("kind").asText())) {
      return List.of();
    }
    com.fasterxml.jackson.databind.JsonNode characteristics = model.path("characteristics");
    int k = characteristics.size();
    List<List<String>> labelsByBin = new ArrayList<>();
    List<Map<String, Integer>> binOfLabel = new ArrayList<>();
    List<double[]> pointsByBin = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode c : characteristics) {
      List<String> binLabels = new ArrayList<>();
      Map<String, Integer> lookup = new java.util.HashMap<>();
      double[] binPoints = new double[c.path("bins").size()];
      int b = 0;
      for (com.fasterxml.jackson.databind.JsonNode bin : c.path("bins")) {
        binPoints[b] = bin.path("points").asDouble();
        if (bin.has("range")) {
          com.fasterxml.jackson.databind.JsonNode r = bin.get("range");
          // Same text as the runtime's explanation (Binnings.label), which is the lookup key.
          String label = "[" + (r.get(0).isNull() ? "-inf" : edge(r.get(0).asDouble())) + ", "
              + (r.get(1).isNull() ? "+inf" : edge(r.get(1).asDouble())) + ")";
          binLabels.add(label);
          lookup.put(label, b);
        } else if (bin.has("special")) {
          List<String> values = new ArrayList<>();
          for (com.fasterxml.jackson.databind.JsonNode v : bin.get("special")) {
            values.add(edge(v.asDouble()));
            lookup.put("= " + edge(v.asDouble()), b);
          }
          binLabels.add("= " + String.join(", ", values));
        } else if (bin.has("categories")) {
          List<String> codes = new ArrayList<>();
          for (com.fasterxml.jackson.databind.JsonNode v : bin.get("categories")) {
            codes.add(v.asText());
            lookup.put(v.asText(), b);
          }
          binLabels.add(String.join(", ", codes));
        } else {
          binLabels.add("missing");
          lookup.put("missing", b);
        }
        b++;
      }
      labelsByBin.add(binLabels);
      binOfLabel.add(lookup);
      pointsByBin.add(binPoints);
    }
    int n = labels.length;
    int p = bundle.schema().size();
    long[][] count = new long[k][];
    long[][] events = new long[k][];
    for (int c = 0; c < k; c++) {
      count[c] = new long[labelsByBin.get(c).size()];
      events[c] = new long[labelsByBin.get(c).size()];
    }
    double[] row = new double[p];
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows, i * p, row, 0, p);
      List<io.chainscore.scoring.Explanation.Item> items = scorer.explain(row).items();
      for (int c = 0; c < k; c++) {
        io.chainscore.scoring.Explanation.Item item = items.get(c);
        Integer b = binOfLabel.get(c).get(item.bin());
        if (b == null || item.points() != pointsByBin.get(c)[b]) {
          throw new IllegalStateException("row " + i + ": characteristic " + item.name() + " fell in bin '" + item.bin()
              + "' with " + item.points() + " points, which the bundle's bin list does not match");
        }
        count[c][b]++;
        events[c][b] += labels[i];
      }
    }
    List<CharacteristicBins> tables = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      int bins = count[c].length;
      double[] e = new double[bins];
      double[] ne = new double[bins];
      boolean adjust = false;
      for (int b = 0; b < bins; b++) {
        e[b] = events[c][b];
        ne[b] = count[c][b] - events[c][b];
        adjust |= count[c][b] > 0 && (e[b] == 0 || ne[b] == 0);
      }
      double totalE = 0;
      double totalNe = 0;
      for (int b = 0; b < bins; b++) {
        if (adjust && count[c][b] > 0) {
          e[b] = e[b] == 0 ? ZERO_COUNT : e[b];
          ne[b] = ne[b] == 0 ? ZERO_COUNT : ne[b];
        }
        totalE += e[b];
        totalNe += ne[b];
      }
      List<BinRow> binRows = new ArrayList<>();
      double iv = 0;
      for (int b = 0; b < bins; b++) {
        double woe = 0;
        double ivTerm = 0;
        if (count[c][b] > 0 && totalE > 0 && totalNe > 0) {
          double pe = e[b] / totalE;
          double pn = ne[b] / totalNe;
          woe = Math.log(pe / pn);
          ivTerm = (pe - pn) * woe;
        }
        iv += ivTerm;
        binRows.add(new BinRow(labelsByBin.get(c).get(b), count[c][b], n == 0 ? 0 : (double) count[c][b] / n,
            events[c][b], count[c][b] == 0 ? Double.NaN : (double) events[c][b] / count[c][b], woe, ivTerm,
            pointsByBin.get(c)[b]));
      }
      com.fasterxml.jackson.databind.JsonNode node = characteristics.get(c);
      tables.add(new CharacteristicBins(node.path("name").asText(), node.path("feature").asText(), binRows, iv));
    }
    return List.copyOf(tables);
  }

  /** Replaces a zero count of a non-empty bin, as R scorecard does (docs/binning.md). */
  static final double ZERO_COUNT = 0.99;

  /** Six significant digits, as the runtime prints bin edges in explanations. */
  private static String edge(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /** The metrics, in the order they are written. */
  public Map<String, Object> metrics() {
    return metrics;
  }

  /** Writes {@code metrics.json} and {@code report.html} into {@code dir}. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("metrics.json").toFile(), metrics);
    Files.writeString(dir.resolve("report.html"), html());
  }

  private String html() {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Validation: ").append(escape(title))
        .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}svg{border:1px solid #ddd;margin:0.5em}"
            + "</style></head><body>");
    b.append("<h1>Validation of ").append(escape(title)).append("</h1><table>");
    for (Map.Entry<String, Object> e : metrics.entrySet()) {
      if (e.getValue() instanceof Number || e.getValue() instanceof String) {
        b.append("<tr><th>").append(escape(e.getKey())).append("</th><td>").append(escape(format(e.getValue())))
            .append("</td></tr>");
      }
    }
    b.append("</table>");
    b.append("<h2>ROC curve</h2>").append(rocSvg());
    b.append("<h2>KS: cumulative share of defaults and non-defaults by PD</h2>").append(ksSvg());
    b.append("<h2>Score distribution of non-defaults and defaults</h2>").append(histogramSvg());
    b.append("<h2>Calibration by grade</h2>").append(gradeSvg()).append("<table><tr><th>grade</th><th>suppliers</th>"
        + "<th>defaults</th><th>default rate</th><th>mean PD</th><th>binomial p</th><th>Jeffreys p</th></tr>");
    for (GradeTest g : grades) {
      b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,d</td><td>%.2f%%</td><td>%.2f%%</td>"
          + "<td>%.4f</td><td>%.4f</td></tr>", escape(g.grade()), g.count(), g.defaults(), 100 * g.defaultRate(),
          100 * g.meanPd(), g.binomialPValue(), g.jeffreysPValue()));
    }
    b.append("</table><p>Binomial p: P(X &ge; defaults | suppliers, mean PD), one-sided; Jeffreys p: the Beta(D+1/2, "
        + "N-D+1/2) CDF at the mean PD. Small values mean the grade's PD is underestimated.</p>");
    if (!binTables.isEmpty()) {
      b.append("<h2>Bin tables on the validation sample</h2><p>WoE = ln(%defaults / %non-defaults) in the bin, over "
          + "this sample's totals (positive = riskier than average); IV contribution = (%defaults - %non-defaults) "
          + "&times; WoE.</p>");
      for (CharacteristicBins t : binTables) {
        b.append("<h3>").append(escape(t.name())).append(String.format(Locale.ROOT, " (IV %.4f)</h3>", t.iv()));
        b.append("<table><tr><th>bin</th><th>count</th><th>share</th><th>defaults</th><th>default rate</th>"
            + "<th>WoE</th><th>IV contribution</th><th>points</th></tr>");
        for (BinRow r : t.bins()) {
          b.append("<tr><td>").append(escape(r.label())).append(String.format(Locale.ROOT,
              "</td><td>%,d</td><td>%.2f%%</td><td>%,d</td><td>%s</td><td>%.4f</td><td>%.4f</td><td>%s</td></tr>",
              r.count(), 100 * r.share(), r.events(), r.count() == 0 ? "" : String.format(Locale.ROOT, "%.2f%%",
                  100 * r.eventRate()), r.woe(), r.ivContribution(), edge(r.points())));
        }
        b.append("</table>");
      }
    }
    b.append("</body></html>");
    return b.toString();
  }

  private int[] order() {
    Integer[] idx = new Integer[pd.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, c) -> Double.compare(pd[c], pd[a]));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  private String rocSvg() {
    int[] o = order();
    long events = Arrays.stream(labels).filter(y -> y == 1).count();
    long non = labels.length - events;
    StringBuilder path = new StringBuilder("M 40 340");
    long tp = 0;
    long fp = 0;
    for (int k = 0; k < o.length; k++) {
      if (labels[o[k]] == 1) {
        tp++;
      } else {
        fp++;
      }
      if (k == o.length - 1 || pd[o[k + 1]] != pd[o[k]]) {
        path.append(String.format(Locale.ROOT, " L %.1f %.1f", 40 + 300.0 * fp / Math.max(1, non), 340 - 300.0 * tp / Math.max(1, events)));
      }
    }
    return "<svg width=\"360\" height=\"360\"><line x1=\"40\" y1=\"340\" x2=\"340\" y2=\"40\" stroke=\"#bbb\"/>"
        + "<path d=\"" + path + "\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>"
        + "<text x=\"140\" y=\"358\" font-size=\"11\">false positive rate</text>"
        + "<text x=\"2\" y=\"30\" font-size=\"11\">true positive rate</text></svg>";
  }

  private String ksSvg() {
    int[] o = order();
    long events = Arrays.stream(labels).filter(y -> y == 1).count();
    long non = labels.length - events;
    StringBuilder bad = new StringBuilder("M 40 340");
    StringBuilder good = new StringBuilder("M 40 340");
    long cb = 0;
    long cg = 0;
    for (int k = 0; k < o.length; k++) {
      if (labels[o[k]] == 1) {
        cb++;
      } else {
        cg++;
      }
      double x = 40 + 400.0 * (k + 1) / o.length;
      bad.append(String.format(Locale.ROOT, " L %.1f %.1f", x, 340 - 300.0 * cb / Math.max(1, events)));
      good.append(String.format(Locale.ROOT, " L %.1f %.1f", x, 340 - 300.0 * cg / Math.max(1, non)));
    }
    return "<svg width=\"460\" height=\"360\"><path d=\"" + bad + "\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"/>"
        + "<path d=\"" + good + "\" fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2\"/>"
        + "<text x=\"60\" y=\"30\" font-size=\"11\" fill=\"#d62728\">defaults</text>"
        + "<text x=\"140\" y=\"30\" font-size=\"11\" fill=\"#2ca02c\">non-defaults</text>"
        + "<text x=\"120\" y=\"358\" font-size=\"11\">suppliers by PD, highest first</text></svg>";
  }

  private String histogramSvg() {
    double min = Arrays.stream(points).min().orElse(0);
    double max = Arrays.stream(points).max().orElse(1);
    int bins = 30;
    double width = Math.max(1e-9, (max - min) / bins);
    double[] good = new double[bins];
    double[] bad = new double[bins];
    long events = Arrays.stream(labels).filter(y -> y == 1).count();
    long non = labels.length - events;
    for (int i = 0; i < points.length; i++) {
      int k = Math.min(bins - 1, (int) ((points[i] - min) / width));
      if (labels[i] == 1) {
        bad[k] += 1.0 / Math.max(1, events);
      } else {
        good[k] += 1.0 / Math.max(1, non);
      }
    }
    double top = 1e-9;
    for (int k = 0; k < bins; k++) {
      top = Math.max(top, Math.max(good[k], bad[k]));
    }
    StringBuilder b = new StringBuilder("<svg width=\"480\" height=\"260\">");
    for (int k = 0; k < bins; k++) {
      double x = 40 + k * 14;
      double hg = 200 * good[k] / top;
      double hb = 200 * bad[k] / top;
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"%.1f\" fill=\"#2ca02c\"/>", x, 230 - hg, hg));
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"%.1f\" fill=\"#d62728\"/>", x + 6, 230 - hb, hb));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"40\" y=\"250\" font-size=\"11\">%.0f</text><text x=\"440\" y=\"250\" "
        + "font-size=\"11\">%.0f</text><text x=\"200\" y=\"250\" font-size=\"11\">score</text></svg>", min, max));
    return b.toString();
  }

  private String gradeSvg() {
    double top = 1e-9;
    for (GradeTest g : grades) {
      top = Math.max(top, Math.max(g.defaultRate(), g.meanPd()));
    }
    StringBuilder b = new StringBuilder("<svg width=\"480\" height=\"260\">");
    for (int k = 0; k < grades.size(); k++) {
      GradeTest g = grades.get(k);
      double x = 40 + k * 50;
      double hp = 200 * g.meanPd() / top;
      double ho = 200 * g.defaultRate() / top;
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"%.1f\" fill=\"#1f77b4\"/>", x, 230 - hp, hp));
      b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"%.1f\" fill=\"#ff7f0e\"/>", x + 18, 230 - ho, ho));
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"248\" font-size=\"11\">%s</text>", x + 12, escape(g.grade())));
    }
    b.append("<text x=\"40\" y=\"20\" font-size=\"11\" fill=\"#1f77b4\">mean PD</text>"
        + "<text x=\"120\" y=\"20\" font-size=\"11\" fill=\"#ff7f0e\">observed default rate</text></svg>");
    return b.toString();
  }

  private static String format(Object v) {
    return v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

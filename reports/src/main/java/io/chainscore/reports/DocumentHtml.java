package io.chainscore.reports;

import io.chainscore.validation.ModelDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link ModelDocument} as one self-contained, printable HTML page ({@code chainscore
 * document}): purpose and scope, data and cohorts, method, the evidence of the validation report
 * (performance with confidence intervals, calibration tests, curves, bin tables with WoE and IV),
 * the re-estimated weights with their significance, stability, limitations and provenance. Inline
 * CSS and SVG, no scripts or external resources.
 *
 * <p>Thread safety: stateless.
 */
public final class DocumentHtml {
  /**
   * The page's own addition to the reports' style and print layout ({@link Html#STYLE}, where free
   * text, {@code td.text}, breaks anywhere): the training settings, left-aligned, a group a line.
   */
  private static final String PRINT = "td.settings{text-align:left;overflow-wrap:anywhere}td.settings div+div{margin-top:0.4em}";

  private DocumentHtml() {}

  /** Writes the page to {@code file} (UTF-8). */
  public static void write(ModelDocument document, Path file) throws IOException {
    Files.writeString(file, render(document), StandardCharsets.UTF_8);
  }

  /** The page. */
  public static String render(ModelDocument d) {
    ModelDocument.Model m = d.model();
    StringBuilder b = new StringBuilder(64 * 1024);
    Html.open(b, "Model document: " + m.id() + " " + m.version(), "Model documentation: " + m.id() + " " + m.version());
    b.insert(b.indexOf("</style>"), PRINT);
    b.append("<h2>1. Purpose and scope</h2>\n<p>").append(Html.escape(m.description().isEmpty()
        ? "No description in the bundle." : m.description())).append("</p>\n<p>The model estimates each supplier's"
        + " probability of default (PD) over the following 12 months, gives its score, its grade on the master scale"
        + " and the reasons behind it. This document shows the evidence on the sample below; section 7 says what it"
        + " does not show.</p>\n");

    ModelDocument.Data data = d.data();
    b.append("<h2>2. Data and cohorts</h2>\n<table>");
    row(b, "sample", data.file());
    row(b, "sample SHA-256", data.sha256());
    if (data.labelsFile() != null) {
      row(b, "labels", data.labelsFile() + " (joined on supplier_id and as_of_date)");
    }
    row(b, "rows", Html.count(data.rows()));
    row(b, "defaults", Html.count(data.defaults()) + " (" + Html.percent(data.defaultRate()) + ")");
    b.append("</table>\n");
    if (!d.cohorts().isEmpty()) {
      b.append("<table><tr><th>cohort</th><th>rows</th><th>defaults</th><th>default rate</th><th>mean PD</th>"
          + "<th>AUC</th></tr>");
      for (ModelDocument.Cohort c : d.cohorts()) {
        b.append("<tr><td>").append(Html.escape(c.name())).append("</td><td>").append(Html.count(c.rows()))
            .append("</td><td>").append(Html.count(c.defaults())).append("</td><td>").append(Html.percent(c.defaultRate()))
            .append("</td><td>").append(Html.percent(c.meanPd())).append("</td><td>")
            .append(Double.isNaN(c.auc()) ? "n/a" : String.format(Locale.ROOT, "%.3f", c.auc())).append("</td></tr>");
      }
      b.append("</table>\n");
    }

    b.append("<h2>3. Method</h2>\n");
    method(b, m);
    if (!d.segments().isEmpty()) {
      b.append("<h3>Routing rules</h3>\n<p class=\"note\">A row goes to the first segment whose rule it meets, on the"
          + " values as given (before the features' missing-value and range policies); a row missing the feature of a"
          + " rule goes to the segment the rule names for missing values, or is refused when it names none. Each"
          + " segment is scored by its own model, sharing the features, score scale, master scale and reason"
          + " codes.</p>\n<table><tr><th>order</th><th>segment</th><th>rule</th><th>model</th>"
          + "<th class=\"prose\">characteristics</th><th>rows</th><th>defaults</th></tr>");
      int order = 1;
      for (ModelDocument.Segment g : d.segments()) {
        b.append("<tr><td>").append(order++).append("</td><td>").append(Html.escape(g.name()))
            .append("</td><td>").append(Html.escape(g.rule())).append("</td><td>")
            .append(Html.escape(g.kind())).append("</td><td class=\"text prose\">")
            .append(Html.escape(g.characteristics().size() + ": " + String.join(", ", g.characteristics())))
            .append("</td><td>").append(Html.count(g.rows())).append("</td><td>").append(Html.count(g.defaults()))
            .append("</td></tr>");
      }
      b.append("</table>\n");
    }

    b.append("<h2>4. Performance and calibration on the sample</h2>\n");
    ValidationHtml.body(b, d.validation());
    int number = 1;
    for (ModelDocument.Segment g : d.segments()) {
      b.append("<h2>4.").append(number++).append(" Segment ").append(Html.escape(g.name())).append(": ")
          .append(Html.escape(g.rule())).append("</h2>\n<table>");
      row(b, "rule", g.rule());
      row(b, "model kind", g.kind());
      row(b, "characteristics scored", g.characteristics().size() + ": " + String.join(", ", g.characteristics()));
      row(b, "PD calibration", record(g.calibration()));
      if (g.training() != null) {
        row(b, "training record", record(g.training()));
      }
      if (g.trainer() != null) {
        trainer(b, g.trainer());
      }
      row(b, "rows of the sample", Html.count(g.rows()));
      row(b, "defaults", Html.count(g.defaults()) + (g.rows() == 0 ? ""
          : " (" + Html.percent(g.defaults() / (double) g.rows()) + ")"));
      b.append("</table>\n");
      if (g.validation() == null) {
        b.append("<p>No row of the sample is routed to this segment: it is not validated here.</p>\n");
      } else {
        // the segment's own evidence, one heading level down
        StringBuilder v = new StringBuilder();
        ValidationHtml.body(v, g.validation());
        b.append(v.toString().replace("<h3>", "<h4>").replace("</h3>", "</h4>").replace("<h2>", "<h3>")
            .replace("</h2>", "</h3>"));
      }
    }

    b.append("<h2>5. Re-estimated weights and significance</h2>\n<p class=\"note\">Logistic regression of the"
        + " outcome on each characteristic's log-odds contribution to the score: a weight near 1 holds on this sample,"
        + " near 0 carries no signal here. Wald z and two-sided p-values.")
        .append(d.segments().isEmpty() ? "" : " Per segment, on the rows routed to it, since the segments score"
            + " different characteristics.").append("</p>\n");
    if (d.segments().isEmpty() && d.weights() == null) {
      b.append("<p>Not re-estimated: the sample has ").append(Html.count(d.data().rows())).append(" rows with ")
          .append(Html.count(d.data().defaults())).append(" defaults (section 7).</p>\n");
    } else if (d.segments().isEmpty()) {
      weights(b, d.weights());
    }
    for (ModelDocument.Segment g : d.segments()) {
      b.append("<h3>Segment ").append(Html.escape(g.name())).append("</h3>\n");
      if (g.weights() == null) {
        b.append("<p>Not re-estimated: the segment has ").append(Html.count(g.rows())).append(" rows with ")
            .append(Html.count(g.defaults())).append(" defaults in the sample (section 7).</p>\n");
      } else {
        weights(b, g.weights());
      }
    }

    b.append("<h2>6. Stability</h2>\n");
    ModelDocument.Stability s = d.stability();
    if (s == null) {
      b.append("<p>Not assessed: the sample has no cohort column with two cohorts (pass --cohort).</p>\n");
    } else {
      b.append("<p>From cohort ").append(Html.escape(s.from())).append(" to ").append(Html.escape(s.to()))
          .append(String.format(Locale.ROOT, ": PSI of the PDs %.4f.", s.psiScores()))
          .append(d.segments().isEmpty() ? "" : " The segments score different characteristics, so no characteristic"
              + " stability of the whole is shown; each segment's follows, on the rows routed to it.").append("</p>\n");
      csiChart(b, s, "characteristic stability");
      for (ModelDocument.Segment g : d.segments()) {
        ModelDocument.Stability gs = g.stability();
        b.append("<h3>Segment ").append(Html.escape(g.name())).append("</h3>\n");
        if (gs == null) {
          b.append("<p>Not assessed: its rows fall in fewer than two cohorts.</p>\n");
          continue;
        }
        b.append("<p>From cohort ").append(Html.escape(gs.from())).append(" to ").append(Html.escape(gs.to()))
            .append(String.format(Locale.ROOT, ": PSI of its PDs %.4f.", gs.psiScores())).append("</p>\n");
        csiChart(b, gs, "characteristic stability of segment " + g.name());
      }
    }

    b.append("<h2>7. Limitations</h2>\n<ul>");
    for (String l : d.limitations()) {
      b.append("<li>").append(Html.escape(l)).append("</li>");
    }
    b.append("</ul>\n");

    b.append("<h2>8. Provenance</h2>\n<table>");
    row(b, "model", m.id() + " " + m.version());
    row(b, "bundle SHA-256", m.sha256());
    // chainscore train records the training data file's time (a byte-identical bundle for the same data)
    row(b, "trained at (as recorded)", m.trainedAt() == null ? "not recorded" : m.trainedAt());
    if (m.trainer() == null) {
      row(b, "trainer", "not recorded");
    } else {
      trainer(b, m.trainer());
    }
    if (m.sourceModelFile() != null) {
      // an imported model: its training data are not known; the hash the format requires of them is
      // the model file's, so it is shown as what it is
      row(b, "imported from model file", m.sourceModelFile());
      row(b, "model file SHA-256", m.sourceModelSha256());
      row(b, "training data SHA-256", "not known (imported model)");
    } else {
      row(b, "training data SHA-256", m.trainingDataSha256() == null ? "not recorded" : m.trainingDataSha256());
    }
    b.append("</table>\n<p class=\"note\">Generated by ChainScore from the bundle and the sample named above; every"
        + " figure is computed from them when the document is written.</p>\n");
    Html.close(b);
    return b.toString();
  }

  /** The CSI of each characteristic of {@code s} as horizontal bars (nothing without characteristics). */
  private static void csiChart(StringBuilder b, ModelDocument.Stability s, String title) {
    List<String> labels = new ArrayList<>();
    double[][] values = new double[s.csi().size()][];
    for (int k = 0; k < values.length; k++) {
      labels.add(s.csiNames().get(k));
      values[k] = new double[] {s.csi().get(k)};
    }
    if (values.length > 0) {
      List<String> texts = new ArrayList<>();
      double max = 0;
      for (double[] v : values) {
        texts.add(String.format(Locale.ROOT, "%.4f", v[0]));
        max = Math.max(max, v[0]);
      }
      b.append(SvgChart.horizontalBars(title, labels, new String[] {"CSI"}, new String[] {"#1565c0"}, values,
          Math.max(max, 0.1), texts, 230));
    }
  }

  /** Section 3's tables: the model's kind, characteristics and PD calibration, its master scale and reason codes. */
  static void method(StringBuilder b, ModelDocument.Model m) {
    b.append("<table>");
    row(b, "model kind", m.kind());
    row(b, "features in the schema", Integer.toString(m.features()));
    row(b, "characteristics scored", m.characteristics().size() + ": " + String.join(", ", m.characteristics()));
    if (m.calibration() != null) {
      row(b, "PD calibration", record(m.calibration()));
    }
    b.append("</table>\n<table><tr><th>grade</th><th>PD up to</th></tr>");
    for (ModelDocument.Grade g : m.grades()) {
      b.append("<tr><td>").append(Html.escape(g.name())).append("</td><td>")
          .append(Double.isNaN(g.pdUpper()) ? "default" : Html.percent(g.pdUpper())).append("</td></tr>");
    }
    b.append("</table>\n");
    reasonCodes(b, m.reasonCodes());
  }

  /**
   * A record the bundle keeps as a JSON object (the PD calibration, a segment's training record) as
   * a person reads it: {@code name value} pairs split by semicolons, the names' underscores as
   * spaces, a nested object in parentheses, whole numbers with thousands separators and the others
   * to six significant digits ({@code calibration rows 1,361; central tendency 0.08; intercept
   * shift 0.174202; master scale fit:6}). The page printed the JSON itself, quotes, braces and the
   * intercept shift's seventeen digits (0.17420222233062393) included. Text that is no JSON object
   * is shown as it is.
   */
  static String record(String json) {
    com.fasterxml.jackson.databind.JsonNode node;
    try {
      node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (java.io.IOException | RuntimeException e) {
      return json;
    }
    return node != null && node.isObject() ? fields(node) : json;
  }

  private static String fields(com.fasterxml.jackson.databind.JsonNode object) {
    List<String> parts = new ArrayList<>();
    object.fields().forEachRemaining(f -> parts.add(f.getKey().replace('_', ' ') + " " + value(f.getValue())));
    return String.join("; ", parts);
  }

  private static String value(com.fasterxml.jackson.databind.JsonNode v) {
    if (v.isObject()) {
      return "(" + fields(v) + ")";
    }
    if (v.isArray()) {
      List<String> items = new ArrayList<>();
      v.forEach(item -> items.add(value(item)));
      return "[" + String.join(", ", items) + "]";
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return Html.count(v.asLong());
    }
    if (v.isNumber()) {
      return Html.statistic(v.asDouble());
    }
    return v.isNull() ? "none" : v.asText();
  }

  /**
   * The reason codes and their statements, the statements left-aligned as the sentences they are
   * (right-aligned, as a number column, their wrapped lines were ragged on the left).
   */
  static void reasonCodes(StringBuilder b, List<ModelDocument.ReasonCode> codes) {
    b.append("<table><tr><th>reason code</th><th class=\"prose\">statement</th></tr>");
    for (ModelDocument.ReasonCode r : codes) {
      b.append("<tr><td>").append(Html.escape(r.code())).append("</td><td class=\"prose\">")
          .append(Html.escape(r.statement())).append("</td></tr>");
    }
    b.append("</table>\n");
  }

  /**
   * The re-estimated weights. A term whose standard error is not finite (a fit that did not
   * converge, the defaults separated from the other rows) has no z and no p: n/a, where the page
   * printed "Infinity", z -0.000 and p 1.000, a test result it did not have.
   */
  static void weights(StringBuilder b, ModelDocument.Weights w) {
    b.append("<p class=\"note\">McFadden R&sup2; ").append(String.format(Locale.ROOT, "%.4f", w.mcFaddenR2()))
        .append(w.converged() ? "" : " (the fit did not converge)").append(".</p>\n");
    b.append("<table><tr><th>term</th><th>weight</th><th>standard error</th><th>z</th><th>p</th></tr>");
    for (ModelDocument.Term t : w.terms()) {
      boolean tested = Double.isFinite(t.standardError()) && Double.isFinite(t.z()) && Double.isFinite(t.pValue());
      b.append("<tr><td>").append(Html.escape(t.name())).append("</td><td>").append(fixed(t.coefficient(), 4))
          .append("</td><td>").append(tested ? fixed(t.standardError(), 4) : "n/a").append("</td><td>")
          .append(tested ? fixed(t.z(), 3) : "n/a").append("</td><td>")
          .append(tested ? String.format(Locale.ROOT, "%.4g", t.pValue()) : "n/a").append("</td></tr>");
    }
    b.append("</table>\n");
  }

  /** {@code v} to {@code decimals} decimals, n/a when not finite, never a negative zero (-0.000). */
  private static String fixed(double v, int decimals) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    return s.matches("-0\\.?0*") ? s.substring(1) : s;
  }

  /** Where a trainer text's groups of settings start: {@code "; key="}. */
  private static final java.util.regex.Pattern GROUP = java.util.regex.Pattern.compile("; (?=[a-z][a-z0-9_]*=)");

  /**
   * A provenance's trainer text as two rows: the trainer's name and version, then the settings
   * recorded after it, one group a line (chainscore train's development rows, its reject inference
   * and the fit's own options; docs/model-bundle.md), left-aligned to be read as text.
   */
  private static void trainer(StringBuilder b, String text) {
    String[] groups = GROUP.split(text);
    row(b, "trainer", groups[0]);
    if (groups.length > 1) {
      b.append("<tr><th>training settings</th><td class=\"settings\">");
      for (int g = 1; g < groups.length; g++) {
        b.append("<div>").append(Html.escape(groups[g])).append("</div>");
      }
      b.append("</td></tr>");
    }
  }

  private static void row(StringBuilder b, String name, String value) {
    // free text (paths, hashes, lists) may break anywhere; the other cells keep their words whole,
    // so that a wide table's numbers and headers are not split across lines
    b.append("<tr><th>").append(Html.escape(name)).append("</th><td class=\"text\">").append(Html.escape(value))
        .append("</td></tr>");
  }
}

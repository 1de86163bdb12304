package io.chainscore.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a monitoring report ({@code chainscore monitor}; the ordered maps that {@code
 * io.chainscore.batch.scoring.Monitoring} builds) as one self-contained HTML dashboard: the
 * population stability of scores and grades run by run against the alert threshold, each run's
 * figures and back-test, and the alerts.
 *
 * <p>Thread safety: stateless.
 */
public final class MonitorHtml {
  private MonitorHtml() {}

  /** Writes the dashboard to {@code file} (UTF-8). */
  public static void write(Map<String, Object> report, double psiWarning, double psiAlert, Path file)
      throws IOException {
    Files.writeString(file, render(report, psiWarning, psiAlert), StandardCharsets.UTF_8);
  }

  /** The dashboard, its PSI chart marked at the warning (unless it is the alert) and the alert. */
  @SuppressWarnings("unchecked")
  public static String render(Map<String, Object> report, double psiWarning, double psiAlert) {
    Map<String, Object> model = (Map<String, Object>) report.get("model");
    List<Map<String, Object>> runs = (List<Map<String, Object>>) report.get("runs");
    List<Map<String, Object>> alerts = (List<Map<String, Object>>) report.get("alerts");
    StringBuilder h = new StringBuilder(32 * 1024);
    Html.open(h, "ChainScore model monitoring", "Monitoring of " + model.get("id") + " " + model.get("version"));
    h.append("<p>").append(runs.size()).append(" runs against the reference run ")
        .append(Html.escape(String.valueOf(report.get("reference")))).append(". ")
        .append(alerts.isEmpty() ? "No alert." : alerts.size() + " alert(s).").append("</p>\n");

    h.append("<h2>Population stability by run</h2>\n");
    double[][] values = new double[runs.size()][];
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      Map<String, Object> r = runs.get(i);
      // no column for a run without PSI (it or the reference scored no supplier: n/a in the table)
      values[i] = new double[] {orNaN(r.get("psi_score_deciles")), orNaN(r.get("psi_grades"))};
      labels.add(String.valueOf(i + 1));
    }
    // the alert, and the warning a run is flagged from, each a dashed line (until 2026-12-05 the
    // alert alone, so a run over the warning showed no mark it had passed)
    boolean warning = psiWarning < psiAlert;
    h.append(SvgChart.columns("population stability by run", new String[] {"PSI of scores", "PSI of grades"},
        new String[] {"#1565c0", "#ef6c00"}, values, labels, null, null,
        "run (in the order given; " + (warning ? "warning at PSI " + Html.decimal(psiWarning) + ", " : "")
            + "alert at PSI " + Html.decimal(psiAlert) + ")",
        warning ? new double[] {psiAlert, psiWarning} : new double[] {psiAlert},
        warning ? new String[] {"alert " + Html.decimal(psiAlert), "warning " + Html.decimal(psiWarning)}
            : new String[] {"alert " + Html.decimal(psiAlert)},
        warning ? new String[] {"#c62828", "#a15c00"} : new String[] {"#c62828"}));

    h.append("<table><tr><th>#</th><th>Run</th><th>As of</th><th>Suppliers</th><th>Rows quarantined</th>")
        .append("<th>Mean PD</th><th>PSI scores</th>")
        .append("<th>PSI grades</th><th>Features with CSI over the warning</th><th>Back-test AUC</th>")
        .append("<th>Defaults / expected</th><th>Status</th></tr>");
    for (int i = 0; i < runs.size(); i++) {
      Map<String, Object> r = runs.get(i);
      Map<String, Object> b = (Map<String, Object>) r.get("backtest");
      h.append("<tr><td>").append(i + 1).append("</td><td>").append(Html.breakable(String.valueOf(r.get("run"))))
          .append("</td><td class=\"nowrap\">").append(r.get("as_of_date") == null ? "n/a" : Html.escape(String.valueOf(r.get("as_of_date"))))
          .append("</td><td>")
          .append(Html.count(((Number) r.get("suppliers")).longValue())).append("</td><td>")
          .append(quarantined(r)).append("</td><td>")
          .append(r.get("mean_pd") == null ? "n/a" : Html.percent((Double) r.get("mean_pd"))).append("</td><td>")
          .append(index(r.get("psi_score_deciles")))
          .append("</td><td>")
          .append(index(r.get("psi_grades"))).append("</td><td>")
          // "n/a" when the runs kept no feature tables (csi null), as the segments' rows say: "none"
          // read as no drift where no CSI was measured (until 2026-12-07)
          .append(csiText((Map<String, Double>) r.get("csi"), (List<String>) r.get("csi_warnings")))
          .append("</td><td>");
      backTestAndStatus(h, b, r.get("status"));
    }
    h.append("</table>\n");
    if (runs.stream().anyMatch(r -> r.get("segments") != null)) {
      h.append("<h2>By segment</h2>\n<p>Each segment's rows against the reference run's rows of the same segment;"
          + " a segment can alert while the whole does not.</p>\n")
          .append("<table><tr><th>#</th><th>Run</th><th>Segment</th><th>Suppliers</th><th>Mean PD</th>")
          .append("<th>PSI scores</th><th>PSI grades</th><th>Features with CSI over the warning</th>")
          .append("<th>Back-test AUC</th><th>Defaults / expected</th><th>Status</th></tr>");
      for (int i = 0; i < runs.size(); i++) {
        List<Map<String, Object>> bySegment = (List<Map<String, Object>>) runs.get(i).get("segments");
        if (bySegment == null) {
          continue;
        }
        for (Map<String, Object> sr : bySegment) {
          Map<String, Object> b = (Map<String, Object>) sr.get("backtest");
          h.append("<tr><td>").append(i + 1).append("</td><td>")
              .append(Html.breakable(String.valueOf(runs.get(i).get("run")))).append("</td><td>")
              .append(Html.escape(String.valueOf(sr.get("segment")))).append("</td><td>")
              .append(Html.count(((Number) sr.get("suppliers")).longValue())).append("</td><td>")
              .append(sr.get("mean_pd") == null ? "n/a" : Html.percent((Double) sr.get("mean_pd"))).append("</td><td>")
              .append(index(sr.get("psi_score_deciles")))
              .append("</td><td>")
              .append(index(sr.get("psi_grades")))
              .append("</td><td>").append(csiText((Map<String, Double>) sr.get("csi"),
                  (List<String>) sr.get("csi_warnings"))).append("</td><td>");
          backTestAndStatus(h, b, sr.get("status"));
        }
      }
      h.append("</table>\n");
    }
    if (runs.stream().anyMatch(r -> r.get("champion_challenger") != null)) {
      h.append("<h2>Champion and challenger</h2>\n<table><tr><th>#</th><th>Run</th><th>Challenger</th>")
          .append("<th>Scored by both</th><th>Mean PD champion / challenger</th><th>Same grade</th>")
          .append("<th>PD rank correlation</th><th>AUC champion / challenger</th><th>DeLong p</th><th>Verdict</th></tr>");
      for (int i = 0; i < runs.size(); i++) {
        Map<String, Object> c = (Map<String, Object>) runs.get(i).get("champion_challenger");
        if (c == null) {
          continue;
        }
        Map<String, Object> b = (Map<String, Object>) c.get("backtest");
        h.append("<tr><td>").append(i + 1).append("</td><td>").append(Html.escape(String.valueOf(runs.get(i).get("run"))))
            .append("</td><td>").append(Html.escape(String.valueOf(c.get("challenger_model_id")))).append("</td><td>")
            .append(Html.count(((Number) c.get("suppliers_scored_by_both")).longValue())).append("</td><td>")
            .append(Html.percent((Double) c.get("mean_pd_champion"))).append(" / ")
            .append(Html.percent((Double) c.get("mean_pd_challenger"))).append("</td><td>")
            .append(Html.percent((Double) c.get("same_grade_share"))).append("</td><td>")
            .append(Html.statistic((Double) c.get("pd_rank_correlation"))).append("</td><td>");
        if (b == null || b.get("auc_champion") == null) {
          h.append(b == null ? "no outcomes yet" : Html.escape(String.valueOf(b.get("verdict"))))
              .append("</td><td></td><td></td></tr>");
        } else {
          h.append(String.format(java.util.Locale.ROOT, "%.3f / %.3f", (Double) b.get("auc_champion"),
              (Double) b.get("auc_challenger"))).append("</td><td>").append(Html.statistic((Double) b.get("p_value")))
              .append("</td><td>").append(Html.escape(String.valueOf(b.get("verdict")))).append("</td></tr>");
        }
      }
      h.append("</table>\n");
    }
    if (!alerts.isEmpty()) {
      boolean bySegment = alerts.stream().anyMatch(a -> a.containsKey("segment"));
      h.append("<h2>Alerts</h2>\n<table><tr><th>Run</th>").append(bySegment ? "<th>Segment</th>" : "")
          .append("<th>Metric</th><th>Value</th><th>Threshold</th></tr>");
      for (Map<String, Object> a : alerts) {
        h.append("<tr><td>").append(Html.escape(String.valueOf(a.get("run")))).append("</td><td>");
        if (bySegment) {
          h.append(a.containsKey("segment") ? Html.escape(String.valueOf(a.get("segment"))) : "whole").append("</td><td>");
        }
        h.append(Html.escape(String.valueOf(a.get("metric")))).append("</td><td>")
            .append(Html.statistic((Double) a.get("value"))).append("</td><td>")
            .append(Html.statistic((Double) a.get("threshold"))).append("</td></tr>");
      }
      h.append("</table>\n");
    }
    h.append("<p class=\"note\">PSI of scores over the reference run's score deciles, PSI of grades over the master"
        + " scale; CSI per feature over the reference's deciles (diagnostic only), per segment over the reference's rows of that segment; rows quarantined as each run's manifest counts them, their share of the rows it read and the columns at fault, in bold at or above the quarantine warning (n/a: its manifest does not count them), then the trade-table rows refused before the features, when any (the features run's count for a run that scored a feature table); features over the CSI warning with their CSI (n/a: the run or the reference kept no feature table, so no CSI). Generated by ChainScore.</p>\n");
    Html.close(h);
    return h.toString();
  }

  /**
   * A segment's drifting features with their CSI ({@code "volume_drop 0.4120"}, HTML: each name
   * escaped and breakable after its underscores), "none", or "n/a" when the runs kept no feature tables.
   */
  private static String csiText(Map<String, Double> csi, List<String> warnings) {
    if (csi == null) {
      return "n/a";
    }
    if (warnings == null || warnings.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    for (String feature : warnings) {
      parts.add(Html.breakable(feature) + " " + index(csi.get(feature)));
    }
    return String.join(", ", parts);
  }

  /**
   * The back-test cells (AUC with its interval, defaults against expected; "no outcomes yet" without
   * a back-test), after an open cell, and the status cell ending the row.
   */
  private static void backTestAndStatus(StringBuilder h, Map<String, Object> b, Object status) {
    if (b == null) {
      h.append("no outcomes yet</td><td></td>");
    } else {
      // the AUC needs both classes and its interval two of each ("n/a" otherwise, as monitor.json's null)
      Double auc = (Double) b.get("auc");
      Double lower = (Double) b.get("auc_lower");
      Double upper = (Double) b.get("auc_upper");
      h.append(auc == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", auc))
          .append(lower == null || upper == null ? ""
              : String.format(java.util.Locale.ROOT, " [%.3f, %.3f]", lower, upper)).append("</td><td>")
          .append(b.get("defaults")).append(" / ").append(Html.decimal((Double) b.get("expected_defaults")))
          .append("</td>");
    }
    h.append("<td>").append(Html.escape(String.valueOf(status))).append("</td></tr>");
  }

  /**
   * A run's quarantined rows, their share of the rows read and the columns at fault ("12 (2.4%):
   * sector 10, declared_turnover 2"), and the trade-table rows refused before the features when
   * there were any, marked when over the warning; "n/a" when its manifest does not count them.
   */
  @SuppressWarnings("unchecked")
  private static String quarantined(Map<String, Object> r) {
    Object n = r.get("rows_quarantined");
    if (n == null) {
      return "n/a";
    }
    StringBuilder text = new StringBuilder(Html.count(((Number) n).longValue()));
    text.append(" (").append(Html.percent((Double) r.get("quarantined_share"))).append(')');
    Map<String, Long> byColumn = (Map<String, Long>) r.get("quarantined_by_column");
    if (byColumn != null && !byColumn.isEmpty()) {
      StringBuilder columns = new StringBuilder();
      byColumn.forEach((column, count) -> columns.append(columns.length() == 0 ? "" : ", ")
          .append(column).append(' ').append(Html.count(count)));
      text.append(": ").append(Html.escape(columns.toString()));
    }
    if (r.get("transaction_rows_quarantined") instanceof Number refused && refused.longValue() > 0) {
      text.append("; and ").append(Html.count(refused.longValue())).append(" trade-table row")
          .append(refused.longValue() == 1 ? "" : "s").append(" refused before the features");
    }
    return Boolean.TRUE.equals(r.get("quarantine_warning")) ? "<b>" + text + "</b>" : text.toString();
  }

  /**
   * A PSI or CSI to four decimals, as the console's table and the thresholds (0.10, 0.25) are read;
   * {@code n/a} for null. Six significant digits (0.00756414, and 0.00000 for the reference run)
   * claimed a precision that the decile shares behind an index do not have.
   */
  private static String index(Object v) {
    return v == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f", (Double) v);
  }

  private static double orNaN(Object v) {
    return v == null ? Double.NaN : (Double) v;
  }
}

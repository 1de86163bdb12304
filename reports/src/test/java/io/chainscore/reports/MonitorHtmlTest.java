package io.chainscore.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorHtmlTest {
  private static Map<String, Object> run(String name, Map<String, Double> csi, List<String> warnings) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("run", name);
    r.put("as_of_date", "2025-06-30");
    r.put("suppliers", 2000);
    r.put("mean_pd", 0.0071);
    r.put("rows_quarantined", 0L);
    r.put("quarantined_share", 0.0);
    r.put("psi_score_deciles", 0.0314);
    r.put("psi_grades", 0.0188);
    r.put("csi", csi);
    r.put("csi_warnings", warnings);
    r.put("status", "ok");
    return r;
  }

  /**
   * The runs' table says what the JSON beside it says about feature drift: "n/a" when no CSI was
   * measured (csi null: a run or the reference kept no feature table), "none" when none reached
   * the warning, else each drifting feature with its CSI. Until 2026-12-07 a run without CSI read
   * "none", no drift, and a drifting feature came without its CSI (the segments' rows gave it).
   */
  @Test
  void runsTable_featureDrift_saysNaWithoutCsi_andGivesTheCsiOfADriftingFeature() {
    List<Map<String, Object>> runs = new ArrayList<>();
    runs.add(run("may", Map.of("tenure_months_any", 0.0), List.of()));
    runs.add(run("june", null, List.of()));
    runs.add(run("july", Map.of("on_time_delivery_rate_12m", 0.412), List.of("on_time_delivery_rate_12m")));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", Map.of("id", "m", "version", "1"));
    report.put("reference", "may");
    report.put("runs", runs);
    report.put("alerts", List.of());
    String html = MonitorHtml.render(report, 0.10, 0.25);
    assertThat(html).contains("<td>0.0188</td><td>none</td>", "<td>0.0188</td><td>n/a</td>",
        "<td>0.0188</td><td>on_<wbr>time_<wbr>delivery_<wbr>rate_<wbr>12m 0.4120</td>");
  }

  /**
   * A back-test with one labelled default has an AUC but no DeLong interval (null in monitor.json),
   * one without a default has neither: the cell gives what there is, "n/a" for no AUC, never "null"
   * or "NaN".
   */
  @Test
  void backTestCell_withoutInterval_givesTheAucAlone_andNaWithoutAuc() {
    List<Map<String, Object>> runs = new ArrayList<>();
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("labelled", 600);
    one.put("defaults", 1);
    one.put("auc", 0.6);
    one.put("auc_lower", null);
    one.put("auc_upper", null);
    one.put("expected_defaults", 3.5);
    Map<String, Object> none = new LinkedHashMap<>(one);
    none.put("defaults", 0);
    none.put("auc", null);
    Map<String, Object> may = run("may", null, List.of());
    may.put("backtest", one);
    Map<String, Object> june = run("june", null, List.of());
    june.put("backtest", none);
    runs.add(may);
    runs.add(june);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", Map.of("id", "m", "version", "1"));
    report.put("reference", "may");
    report.put("runs", runs);
    report.put("alerts", List.of());
    String html = MonitorHtml.render(report, 0.10, 0.25);
    assertThat(html).contains("<td>0.600</td><td>1 / 3.50</td>", "<td>n/a</td><td>0 / 3.50</td>")
        .doesNotContain("null").doesNotContain("NaN");
  }

  /**
   * A run that scored no supplier has no PSI and no mean PD (null in monitor.json): "n/a" in the
   * table and no column in the chart, whose scale the other runs set.
   */
  @Test
  void runWithoutPsi_saysNa_andDrawsNoColumn() {
    Map<String, Object> june = run("june", null, List.of());
    june.put("as_of_date", null);
    june.put("suppliers", 0);
    june.put("mean_pd", null);
    june.put("psi_score_deciles", null);
    june.put("psi_grades", null);
    june.put("status", "warning");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", Map.of("id", "m", "version", "1"));
    report.put("reference", "may");
    report.put("runs", List.of(run("may", null, List.of()), june));
    report.put("alerts", List.of());
    String html = MonitorHtml.render(report, 0.10, 0.25);
    assertThat(html).contains("<td>2</td><td>june</td><td class=\"nowrap\">n/a</td><td>0</td><td>0 (0.00%)</td><td>n/a</td><td>n/a</td>"
        + "<td>n/a</td>").doesNotContain("NaN").doesNotContain("null");
    // two columns for may, none for june
    assertThat(html.split("<rect x=", -1)).hasSize(1 + 2 + 2);
  }

  /**
   * The indices are written to four decimals, as the console writes them and the thresholds are
   * read, and an alert's value and threshold without padding: the page showed the reference run's
   * PSI as 0.00000, another's as 0.00756414, and the calibration alert's threshold 0.01 as
   * 0.0100000. The as-of date is kept on one line (a narrow column broke 2025-06-30 at its hyphens).
   */
  @Test
  void indicesToFourDecimals_alertWithoutPadding_dateOnOneLine() {
    Map<String, Object> may = run("may", Map.of("growth_6m_vs_prior_6m", 0.0), List.of());
    may.put("psi_score_deciles", 0.0);
    may.put("psi_grades", 0.0);
    Map<String, Object> june = run("june", Map.of("growth_6m_vs_prior_6m", 0.296882), List.of("growth_6m_vs_prior_6m"));
    june.put("psi_score_deciles", 0.00756414);
    june.put("psi_grades", 0.0104033);
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("level", "alert");
    alert.put("metric", "calibration_p_value");
    alert.put("run", "june");
    alert.put("threshold", 0.01);
    alert.put("value", 0.0005310233646321774);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", Map.of("id", "m", "version", "1"));
    report.put("reference", "may");
    report.put("runs", List.of(may, june));
    report.put("alerts", List.of(alert));
    String html = MonitorHtml.render(report, 0.10, 0.25);
    assertThat(html).contains("<td class=\"nowrap\">2025-06-30</td>", "<td>0.0000</td><td>0.0000</td><td>none</td>",
        "<td>0.0076</td><td>0.0104</td><td>growth_<wbr>6m_<wbr>vs_<wbr>prior_<wbr>6m 0.2969</td>",
        "<td>calibration_p_value</td><td>0.000531023</td><td>0.01</td>");
    assertThat(Html.STYLE).contains("td.nowrap{white-space:nowrap}");
  }
}

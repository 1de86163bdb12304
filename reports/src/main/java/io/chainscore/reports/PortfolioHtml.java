package io.chainscore.portfolio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link PortfolioReport} as one self-contained HTML page: inline CSS and SVG charts,
 * no scripts, no external resources.
 */
final class PortfolioHtml {
  private static final int MAX_BARS = 15;

  private PortfolioHtml() {}

  static String render(PortfolioReport r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>ChainScore portfolio risk</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f0f0f0}")
        .append("td:first-child,th:first-child{text-align:left}svg{background:#fafafa;border:1px solid #ddd}")
        .append(".note{color:#666;font-size:90%}</style></head><body>\n");
    h.append("<h1>Portfolio risk</h1>\n<p>Regime ").append(esc(r.regime())).append(", ")
        .append(r.suppliers()).append(" suppliers.</p>\n");
    PortfolioReport.Totals t = r.totals();
    h.append("<h2>Totals</h2>\n<table><tr><th>EAD</th><th>Expected loss</th><th>Regulatory EL</th>")
        .append("<th>RWA</th><th>Capital (8% RWA)</th><th>EAD-weighted PD</th></tr><tr>")
        .append(td(t.ead())).append(td(t.expectedLoss())).append(td(t.regulatoryExpectedLoss()))
        .append(td(t.rwa())).append(td(t.capital())).append("<td>").append(pct(t.averagePd()))
        .append("</td></tr></table>\n");

    PortfolioReport.Simulation sim = r.simulation();
    if (sim != null) {
      h.append("<h2>Loss distribution</h2>\n<p>").append(sim.simulations()).append(" scenarios, seed ")
          .append(sim.seed()).append(", importance shift ").append(num(sim.importanceShift()))
          .append(", contagion ").append(sim.contagion() ? "on" : "off").append(". Mean loss ")
          .append(money(sim.meanLoss())).append(" (s.e. ").append(money(sim.meanLossStandardError()))
          .append(").</p>\n");
      h.append(histogram(sim));
      h.append("<table><tr><th>Level</th><th>VaR</th><th>s.e.</th><th>ES</th><th>s.e.</th></tr>");
      for (PortfolioReport.Tail tail : sim.tail()) {
        h.append("<tr><td>").append(pct(tail.level())).append("</td>").append(td(tail.valueAtRisk()))
            .append(td(tail.valueAtRiskStandardError())).append(td(tail.expectedShortfall()))
            .append(td(tail.expectedShortfallStandardError())).append("</tr>");
      }
      h.append("</table>\n");
    }

    h.append("<h2>Concentration by anchor</h2>\n");
    h.append(concentration(r.byAnchor(), sim, true));
    h.append("<h2>Concentration by sector</h2>\n");
    h.append(concentration(r.bySector(), sim, false));
    h.append("<h2>By grade</h2>\n").append(breakdownTable(r.byGrade(), Integer.MAX_VALUE));

    if (sim != null && !sim.tail().isEmpty()) {
      PortfolioReport.Tail top = sim.tail().get(sim.tail().size() - 1);
      h.append("<h2>Largest supplier contributions (ES ").append(pct(top.level())).append(")</h2>\n")
          .append("<table><tr><th>Supplier</th><th>Anchor</th><th>Sector</th><th>EAD</th><th>PD</th>")
          .append("<th>VaR contribution</th><th>ES contribution</th><th>s.e.</th></tr>");
      for (PortfolioReport.SupplierContribution c : top.topSuppliers()) {
        h.append("<tr><td>").append(esc(c.supplierId())).append("</td><td>").append(esc(c.anchorId()))
            .append("</td><td>").append(esc(c.sector())).append("</td>").append(td(c.ead()))
            .append("<td>").append(pct(c.pd())).append("</td>").append(td(c.valueAtRisk()))
            .append(td(c.expectedShortfall())).append(td(c.expectedShortfallStandardError())).append("</tr>");
      }
      h.append("</table>\n");
    }

    PortfolioReport.ScenarioComparison sc = r.scenario();
    if (sc != null) {
      h.append("<h2>Stress scenario: ").append(esc(sc.scenario().name())).append("</h2>\n<p>")
          .append(esc(sc.scenario().description())).append("</p>\n<p>Macro factor moved to z = ")
          .append(num(sc.scenario().macroFactorShift())).append("; ")
          .append(sc.scenario().anchorVolumeShocks().size()).append(" anchor volume shock(s), ")
          .append(sc.scenario().sectorDelayShocks().size()).append(" sector delay shock(s).");
      if (!sc.featureShocksApplied()) {
        h.append(" <b>Feature shocks were not applied</b> (no rescored PDs); only the macro move is shown.");
      }
      h.append("</p>\n");
      List<String> labels = new ArrayList<>(List.of("Expected loss", "Capital"));
      List<double[]> values = new ArrayList<>();
      values.add(new double[] {sc.baseline().expectedLoss(), sc.stressed().expectedLoss()});
      values.add(new double[] {sc.baseline().capital(), sc.stressed().capital()});
      for (PortfolioReport.TailChange c : sc.tail()) {
        labels.add("VaR " + pct(c.level()));
        values.add(new double[] {c.baselineValueAtRisk(), c.stressedValueAtRisk()});
        labels.add("ES " + pct(c.level()));
        values.add(new double[] {c.baselineExpectedShortfall(), c.stressedExpectedShortfall()});
      }
      h.append(pairedBars(labels, values));
      h.append("<table><tr><th>Measure</th><th>Baseline</th><th>Stressed</th><th>Change</th></tr>");
      h.append(changeRow("EAD-weighted PD", sc.baseline().averagePd(), sc.stressed().averagePd(), true));
      for (int i = 0; i < labels.size(); i++) {
        h.append(changeRow(labels.get(i), values.get(i)[0], values.get(i)[1], false));
      }
      h.append(changeRow("RWA", sc.baseline().rwa(), sc.stressed().rwa(), false));
      h.append("</table>\n<p>Largest PD increase ").append(pct(sc.maxPdIncrease())).append("; ")
          .append(sc.suppliersDowngraded()).append(" suppliers downgraded, ")
          .append(sc.suppliersUpgraded()).append(" upgraded.</p>\n");
      if (!sc.migrations().isEmpty()) {
        h.append("<table><tr><th>From grade</th><th>To grade</th><th>Suppliers</th></tr>");
        for (PortfolioReport.GradeMigration m : sc.migrations()) {
          h.append("<tr><td>").append(esc(m.from())).append("</td><td>").append(esc(m.to()))
              .append("</td><td>").append(m.suppliers()).append("</td></tr>");
        }
        h.append("</table>\n");
      }
    }
    h.append("<p class=\"note\">VaR is the loss quantile, ES = E[L | L &ge; VaR]; contributions are ")
        .append("Euler allocations (docs/portfolio-risk.md). Generated by ChainScore.</p>\n</body></html>\n");
    return h.toString();
  }

  private static String histogram(PortfolioReport.Simulation sim) {
    double[] p = sim.histogramProbabilities();
    double[] edges = sim.histogramEdges();
    int w = 720;
    int hgt = 260;
    int left = 60;
    int bottom = 30;
    double floor = 1e-7;
    double maxLog = -7;
    for (double v : p) {
      if (v > 0) {
        maxLog = Math.max(maxLog, Math.log10(v));
      }
    }
    maxLog = Math.ceil(maxLog);
    double plotW = w - left - 10;
    double plotH = hgt - bottom - 10;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"")
        .append(hgt).append("\" role=\"img\" aria-label=\"loss distribution\">");
    double barW = plotW / p.length;
    for (int k = 0; k < p.length; k++) {
      if (p[k] <= 0) {
        continue;
      }
      double frac = (Math.log10(Math.max(p[k], floor)) + 7) / (maxLog + 7);
      double bh = Math.max(1, frac * plotH);
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a78b5\"/>",
          left + k * barW, 10 + plotH - bh, Math.max(1, barW - 1), bh));
    }
    for (int e = -7; e <= (int) maxLog; e++) {
      double y = 10 + plotH - (e + 7) / (maxLog + 7) * plotH;
      s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%.1f\" font-size=\"10\">1e%d</text>", y + 3, e));
    }
    double max = edges[edges.length - 1];
    String[] colours = {"#d9822b", "#c23030", "#7a2a8a"};
    int c = 0;
    for (PortfolioReport.Tail t : sim.tail()) {
      double x = left + (max > 0 ? t.valueAtRisk() / max : 0) * plotW;
      String col = colours[c++ % colours.length];
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>",
          x, x, 10 + plotH, col));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"%s\">VaR %s</text>",
          x + 3, 22 + 12 * c, col, pct(t.level())));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">0</text>", left, hgt - 8));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
        w - 10, hgt - 8, money(max)));
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">loss (probability, log scale)</text>",
        left + plotW / 2, hgt - 8));
    return s.append("</svg>\n").toString();
  }

  private static String concentration(List<PortfolioReport.Breakdown> groups,
      PortfolioReport.Simulation sim, boolean anchors) {
    List<LossDistributionResult.Contribution> contributions = List.of();
    double es = 0;
    if (sim != null && !sim.tail().isEmpty()) {
      PortfolioReport.Tail top = sim.tail().get(sim.tail().size() - 1);
      contributions = anchors ? top.byAnchor() : top.bySector();
      es = top.expectedShortfall();
    }
    int n = Math.min(MAX_BARS, groups.size());
    int rowH = 18;
    int w = 720;
    int labelW = 170;
    int hgt = 30 + n * rowH;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"")
        .append(hgt).append("\" role=\"img\" aria-label=\"concentration\">");
    s.append("<rect x=\"").append(labelW).append("\" y=\"4\" width=\"10\" height=\"8\" fill=\"#4a78b5\"/>")
        .append("<text x=\"").append(labelW + 14).append("\" y=\"12\" font-size=\"10\">share of EAD</text>");
    if (es > 0) {
      s.append("<rect x=\"").append(labelW + 110).append("\" y=\"4\" width=\"10\" height=\"8\" fill=\"#c23030\"/>")
          .append("<text x=\"").append(labelW + 124).append("\" y=\"12\" font-size=\"10\">share of ES ")
          .append(pct(sim.tail().get(sim.tail().size() - 1).level())).append("</text>");
    }
    double plotW = w - labelW - 70;
    for (int i = 0; i < n; i++) {
      PortfolioReport.Breakdown g = groups.get(i);
      double y = 22 + i * rowH;
      s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%.1f\" font-size=\"11\">%s</text>", y + 11, esc(g.key())));
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"7\" fill=\"#4a78b5\"/>",
          labelW, y, g.eadShare() * plotW));
      double esShare = 0;
      for (LossDistributionResult.Contribution c : contributions) {
        if (c.key().equals(g.key())) {
          esShare = es > 0 ? c.expectedShortfall() / es : 0;
        }
      }
      if (es > 0) {
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"7\" fill=\"#c23030\"/>",
            labelW, y + 8, esShare * plotW));
      }
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%s</text>",
          labelW + Math.max(g.eadShare(), esShare) * plotW + 4, y + 11, pct(g.eadShare())));
    }
    s.append("</svg>\n");
    s.append(breakdownTable(groups, MAX_BARS));
    if (groups.size() > MAX_BARS) {
      s.append("<p class=\"note\">").append(groups.size() - MAX_BARS).append(" more not shown (see JSON).</p>");
    }
    return s.toString();
  }

  private static String breakdownTable(List<PortfolioReport.Breakdown> groups, int limit) {
    StringBuilder s = new StringBuilder("<table><tr><th>Group</th><th>Suppliers</th><th>EAD</th>")
        .append("<th>EAD share</th><th>EL</th><th>RWA</th><th>Capital</th><th>Avg PD</th></tr>");
    for (int i = 0; i < Math.min(limit, groups.size()); i++) {
      PortfolioReport.Breakdown g = groups.get(i);
      s.append("<tr><td>").append(esc(g.key())).append("</td><td>").append(g.suppliers()).append("</td>")
          .append(td(g.totals().ead())).append("<td>").append(pct(g.eadShare())).append("</td>")
          .append(td(g.totals().expectedLoss())).append(td(g.totals().rwa())).append(td(g.totals().capital()))
          .append("<td>").append(pct(g.totals().averagePd())).append("</td></tr>");
    }
    return s.append("</table>\n").toString();
  }

  private static String pairedBars(List<String> labels, List<double[]> values) {
    double max = 0;
    for (double[] v : values) {
      max = Math.max(max, Math.max(v[0], v[1]));
    }
    int w = 720;
    int rowH = 24;
    int labelW = 130;
    int hgt = 30 + labels.size() * rowH;
    double plotW = w - labelW - 110;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"")
        .append(hgt).append("\" role=\"img\" aria-label=\"scenario comparison\">")
        .append("<rect x=\"").append(labelW).append("\" y=\"4\" width=\"10\" height=\"8\" fill=\"#8c8c8c\"/>")
        .append("<text x=\"").append(labelW + 14).append("\" y=\"12\" font-size=\"10\">baseline</text>")
        .append("<rect x=\"").append(labelW + 80).append("\" y=\"4\" width=\"10\" height=\"8\" fill=\"#c23030\"/>")
        .append("<text x=\"").append(labelW + 94).append("\" y=\"12\" font-size=\"10\">stressed</text>");
    for (int i = 0; i < labels.size(); i++) {
      double y = 22 + i * rowH;
      double[] v = values.get(i);
      s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%.1f\" font-size=\"11\">%s</text>", y + 12, esc(labels.get(i))));
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"9\" fill=\"#8c8c8c\"/>",
          labelW, y, max > 0 ? v[0] / max * plotW : 0));
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"9\" fill=\"#c23030\"/>",
          labelW, y + 10, max > 0 ? v[1] / max * plotW : 0));
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%s</text>",
          labelW + (max > 0 ? Math.max(v[0], v[1]) / max * plotW : 0) + 4, y + 14, money(v[1])));
    }
    return s.append("</svg>\n").toString();
  }

  private static String changeRow(String label, double base, double stressed, boolean percent) {
    String change = base != 0 ? String.format(Locale.ROOT, "%+.1f%%", 100 * (stressed - base) / base) : "";
    return "<tr><td>" + esc(label) + "</td><td>" + (percent ? pct(base) : money(base)) + "</td><td>"
        + (percent ? pct(stressed) : money(stressed)) + "</td><td>" + change + "</td></tr>";
  }

  private static String td(double v) {
    return "<td>" + money(v) + "</td>";
  }

  private static String money(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<': b.append("&lt;"); break;
        case '>': b.append("&gt;"); break;
        case '&': b.append("&amp;"); break;
        case '"': b.append("&quot;"); break;
        case '\'': b.append("&#39;"); break;
        default: b.append(c);
      }
    }
    return b.toString();
  }
}

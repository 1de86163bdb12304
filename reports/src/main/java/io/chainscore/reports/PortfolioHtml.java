package io.chainscore.reports;

import io.chainscore.portfolio.LossDistributionResult;
import io.chainscore.portfolio.PortfolioReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link PortfolioReport} as one self-contained HTML page ({@code portfolio.html} of
 * {@code chainscore portfolio}): totals, the loss distribution with its VaR levels, concentration
 * by anchor and sector, the grade breakdown, the largest supplier contributions and the stress
 * comparison; inline CSS and SVG charts, no scripts, no external resources.
 *
 * <p>Thread safety: stateless.
 */
public final class PortfolioHtml {
  private static final int MAX_BARS = 15;

  private PortfolioHtml() {}

  /** Writes the page to {@code file} (UTF-8), creating its directory. */
  public static void write(PortfolioReport report, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(report), StandardCharsets.UTF_8);
  }

  /** The page. */
  public static String render(PortfolioReport r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    Html.open(h, "ChainScore portfolio risk", "Portfolio risk");
    h.append("<p>Regime ").append(esc(r.regime())).append(", ")
        .append(Html.count(r.suppliers())).append(" suppliers.</p>\n");
    PortfolioReport.Totals t = r.totals();
    h.append("<h2>Totals</h2>\n<table><tr><th>EAD</th><th>Expected loss</th><th>Regulatory EL</th>")
        .append("<th>RWA</th><th>Capital (8% RWA)</th><th>Dilution EL</th><th>Dilution capital</th>")
        .append("<th>EAD-weighted PD</th></tr><tr>")
        .append(td(t.ead())).append(td(t.expectedLoss())).append(td(t.regulatoryExpectedLoss()))
        .append(td(t.rwa())).append(td(t.capital())).append(td(t.dilutionExpectedLoss()))
        .append(td(t.dilutionCapital())).append("<td>").append(pct(t.averagePd()))
        .append("</td></tr></table>\n");

    PortfolioReport.Simulation sim = r.simulation();
    if (sim != null) {
      h.append("<h2>Loss distribution</h2>\n<p>").append(Html.count(sim.simulations())).append(" scenarios, seed ")
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
    h.append("<h2>By grade</h2>\n");
    if (anchorOwed(r)) {
      // the rows named by a PD band are no model's grades: without this they stood unexplained
      // among the grades (0.25-<0.50% between 1 and 2 in README's book, two thirds of its EAD)
      h.append("<p class=\"note\">A facility the anchor owes (payables finance) takes the anchor's PD, which no"
          + " model graded: it is counted under that PD's EU Pillar 3 CR6 band (such as 0.25-&lt;0.50%) beside the"
          + " model's grades of the suppliers' own facilities. Rows in order of average PD.</p>\n");
    }
    h.append(breakdownTable(r.byGrade(), Integer.MAX_VALUE));
    h.append("<h2>By product</h2>\n<p>Payables finance is owed by the anchor (its PD); receivables finance"
        + " carries dilution risk besides default risk (Basel CRE34).</p>\n")
        .append("<table><tr><th>Product</th><th>Suppliers</th><th>EAD</th><th>EL</th><th>Capital (default)</th>")
        .append("<th>Dilution EL</th><th>Capital (dilution)</th><th>Avg PD</th></tr>");
    for (PortfolioReport.Breakdown g : r.byProduct()) {
      h.append("<tr><td>").append(esc(g.key())).append("</td><td>").append(Html.count(g.suppliers())).append("</td>")
          .append(td(g.totals().ead())).append(td(g.totals().expectedLoss())).append(td(g.totals().capital()))
          .append(td(g.totals().dilutionExpectedLoss())).append(td(g.totals().dilutionCapital()))
          .append("<td>").append(pct(g.totals().averagePd())).append("</td></tr>");
    }
    h.append("</table>\n");

    if (sim != null && !sim.tail().isEmpty()) {
      PortfolioReport.Tail top = sim.tail().get(sim.tail().size() - 1);
      h.append("<h2>Largest supplier contributions (ES ").append(pct(top.level())).append(")</h2>\n")
          // the anchor and sector, names, left-aligned as the supplier is (a long anchor name wrapped
          // over three right-aligned lines)
          .append("<table><tr><th>Supplier</th><th class=\"prose\">Anchor</th><th class=\"prose\">Sector</th>"
              + "<th>EAD</th><th>PD</th>")
          .append("<th>VaR contribution</th><th>ES contribution</th><th>s.e.</th></tr>");
      for (PortfolioReport.SupplierContribution c : top.topSuppliers()) {
        h.append("<tr><td>").append(esc(c.supplierId())).append("</td><td class=\"prose\">").append(esc(c.anchorId()))
            .append("</td><td class=\"prose\">").append(esc(c.sector())).append("</td>").append(td(c.ead()))
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
      // a difference of two PDs: in percentage points ("45.64%" read as a relative rise)
      h.append("</table>\n<p>Largest PD increase ").append(Html.decimal(100 * sc.maxPdIncrease()))
          .append(" percentage points; ")
          .append(Html.count(sc.suppliersDowngraded())).append(" suppliers downgraded, ")
          .append(Html.count(sc.suppliersUpgraded())).append(" upgraded.</p>\n");
      if (!sc.migrations().isEmpty()) {
        h.append("<table><tr><th>From grade</th><th>To grade</th><th>Suppliers</th></tr>");
        for (PortfolioReport.GradeMigration m : sc.migrations()) {
          h.append("<tr><td>").append(esc(m.from())).append("</td><td>").append(esc(m.to()))
              .append("</td><td>").append(Html.count(m.suppliers())).append("</td></tr>");
        }
        h.append("</table>\n");
      }
    }
    h.append("<p class=\"note\">VaR is the loss quantile, ES = E[L | L &ge; VaR]; contributions are ")
        .append("Euler allocations (docs/portfolio-risk.md). Generated by ChainScore.</p>\n");
    Html.close(h);
    return h.toString();
  }

  /** Whether the book holds a facility of a product the anchor owes (payables finance). */
  private static boolean anchorOwed(PortfolioReport r) {
    for (PortfolioReport.Breakdown g : r.byProduct()) {
      for (io.chainscore.portfolio.Product p : io.chainscore.portfolio.Product.values()) {
        if (p.anchorObligor() && p.code().equals(g.key()) && g.suppliers() > 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static String histogram(PortfolioReport.Simulation sim) {
    double[] edges = sim.histogramEdges();
    double upper = edges[edges.length - 1];
    double[] markers = new double[sim.tail().size()];
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < markers.length; i++) {
      markers[i] = sim.tail().get(i).valueAtRisk();
      labels.add("VaR " + pct(sim.tail().get(i).level()));
    }
    return SvgChart.logHistogram("loss distribution", sim.histogramProbabilities(), upper, money(upper), markers, labels,
        "loss (probability, log scale)");
  }

  private static String concentration(List<PortfolioReport.Breakdown> groups,
      PortfolioReport.Simulation sim, boolean anchors) {
    List<LossDistributionResult.Contribution> contributions = List.of();
    double es = 0;
    String esName = null;
    if (sim != null && !sim.tail().isEmpty()) {
      PortfolioReport.Tail top = sim.tail().get(sim.tail().size() - 1);
      contributions = anchors ? top.byAnchor() : top.bySector();
      es = top.expectedShortfall();
      esName = "share of ES " + pct(top.level());
    }
    int n = Math.min(MAX_BARS, groups.size());
    boolean withEs = es > 0;
    List<String> labels = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    double[][] values = new double[n][];
    double longest = 0;
    for (int i = 0; i < n; i++) {
      PortfolioReport.Breakdown g = groups.get(i);
      double esShare = 0;
      for (LossDistributionResult.Contribution c : contributions) {
        if (c.key().equals(g.key())) {
          esShare = withEs ? c.expectedShortfall() / es : 0;
        }
      }
      labels.add(g.key());
      // both shares after the bars when both are drawn (the ES share's bar had no figure)
      texts.add(withEs ? "EAD " + pct(g.eadShare()) + ", ES " + pct(esShare) : pct(g.eadShare()));
      values[i] = withEs ? new double[] {g.eadShare(), esShare} : new double[] {g.eadShare()};
      for (double v : values[i]) {
        longest = Math.max(longest, v);
      }
    }
    // the longest bar drawn fills the plot, as the figures after each bar give the shares: scaled
    // to 100% the bars of a book of 40 anchors at 2-3% each were 5 pixels long, next to invisible
    StringBuilder s = new StringBuilder(SvgChart.horizontalBars("concentration", labels,
        withEs ? new String[] {"share of EAD", esName} : new String[] {"share of EAD"},
        new String[] {"#4a78b5", "#c23030"}, values, longest > 0 ? longest : 1.0, texts, 170));
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
      s.append("<tr><td>").append(esc(g.key())).append("</td><td>").append(Html.count(g.suppliers())).append("</td>")
          .append(td(g.totals().ead())).append("<td>").append(pct(g.eadShare())).append("</td>")
          .append(td(g.totals().expectedLoss())).append(td(g.totals().rwa())).append(td(g.totals().capital()))
          .append("<td>").append(pct(g.totals().averagePd())).append("</td></tr>");
    }
    return s.append("</table>\n").toString();
  }

  private static String pairedBars(List<String> labels, List<double[]> values) {
    double max = 0;
    List<String> texts = new ArrayList<>();
    for (double[] v : values) {
      max = Math.max(max, Math.max(v[0], v[1]));
      texts.add(money(v[1]));
    }
    return SvgChart.horizontalBars("scenario comparison", labels, new String[] {"baseline", "stressed"},
        new String[] {"#8c8c8c", "#c23030"}, values.toArray(new double[0][]), max, texts, 130);
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
    return Html.money(v);
  }

  private static String num(double v) {
    return Html.decimal(v);
  }

  private static String pct(double v) {
    return Html.percent(v);
  }

  private static String esc(String s) {
    return Html.escape(s);
  }
}

package io.chainscore.cli;

import io.chainscore.portfolio.PortfolioReport;
import java.util.Locale;

/** The terminal summary of a {@link PortfolioReport}. */
final class PortfolioSummaryText {
  private PortfolioSummaryText() {}

  static String of(PortfolioReport r) {
    StringBuilder b = new StringBuilder();
    PortfolioReport.Totals t = r.totals();
    // the EL ratio to three significant digits: a book of short receivables has ratios like 0.014%,
    // which two decimals showed as 0.01%
    // a book whose every EAD is 0 has no ratio to show (it printed "NaN% of EAD")
    boolean exposed = t.ead() > 0;
    b.append(String.format(Locale.ROOT,
        "Portfolio (%s): %,d supplier%s, EAD %,.0f, EL %,.0f (%s), average PD %.2f%%%n",
        r.regime(), r.suppliers(), r.suppliers() == 1 ? "" : "s", t.ead(), t.expectedLoss(),
        exposed ? threeDigits(100 * t.expectedLoss() / t.ead()) + "% of EAD" : "no exposure", 100 * t.averagePd()));
    b.append(String.format(Locale.ROOT, "IRB: RWA %,.0f, capital %,.0f (%s); dilution RWA %,.0f,"
        + " capital %,.0f, expected dilution %,.0f%n", t.rwa(), t.capital(),
        exposed ? String.format(Locale.ROOT, "%.2f%% of EAD", 100 * t.capital() / t.ead()) : "no exposure",
        t.dilutionRwa(), t.dilutionCapital(), t.dilutionExpectedLoss()));
    if (r.simulation() != null) {
      PortfolioReport.Simulation s = r.simulation();
      b.append(String.format(Locale.ROOT, "Monte Carlo: %,d scenarios, mean loss %,.0f (s.e. %,.0f)%s%n",
          s.simulations(), s.meanLoss(), s.meanLossStandardError(), s.contagion() ? ", contagion on" : ""));
      for (PortfolioReport.Tail tail : s.tail()) {
        b.append(String.format(Locale.ROOT, "  %.1f%%: VaR %,.0f (s.e. %,.0f), ES %,.0f (s.e. %,.0f)%n",
            100 * tail.level(), tail.valueAtRisk(), tail.valueAtRiskStandardError(),
            tail.expectedShortfall(), tail.expectedShortfallStandardError()));
      }
    }
    b.append("By anchor:\n");
    for (PortfolioReport.Breakdown d : r.byAnchor()) {
      b.append(String.format(Locale.ROOT, "  %-12s %,7d suppliers  EAD %5.1f%%  EL %,14.0f  capital %,14.0f%n",
          d.key(), d.suppliers(), 100 * d.eadShare(), d.totals().expectedLoss(), d.totals().capital()));
    }
    b.append("By product:\n");
    for (PortfolioReport.Breakdown d : r.byProduct()) {
      b.append(String.format(Locale.ROOT, "  %-22s %,7d  EAD %5.1f%%  EL %,14.0f  capital %,14.0f  dilution capital %,12.0f%n",
          d.key(), d.suppliers(), 100 * d.eadShare(), d.totals().expectedLoss(), d.totals().capital(),
          d.totals().dilutionCapital()));
    }
    if (r.scenario() != null) {
      b.append("Stress scenario: see portfolio.json / portfolio.html for the comparison.\n");
    }
    return b.toString();
  }

  /** {@code v} to three significant digits, as the reports write it ({@link io.chainscore.reports.Figures}). */
  static String threeDigits(double v) {
    return io.chainscore.reports.Figures.threeDigits(v);
  }
}

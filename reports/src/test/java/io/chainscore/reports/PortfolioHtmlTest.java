package io.chainscore.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.portfolio.CreditPortfolioSimulation;
import io.chainscore.portfolio.Exposure;
import io.chainscore.portfolio.PortfolioAnalysis;
import io.chainscore.portfolio.AssetClass;
import io.chainscore.portfolio.Collateral;
import io.chainscore.portfolio.PortfolioReport;
import io.chainscore.portfolio.StressScenario;
import io.chainscore.portfolio.SupplierScore;
import io.chainscore.trade.Sector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The portfolio page of a three-supplier book with hostile ids, against the figures of the inputs. */
class PortfolioHtmlTest {
  private static final String HOSTILE_SUPPLIER = "S<script>alert('x')</script>";
  private static final String HOSTILE_ANCHOR = "A\"2\" onclick=\"x()";
  private static List<Exposure> exposures;
  private static PortfolioReport report;
  private static String html;

  @BeforeAll
  static void analyse() {
    exposures = List.of(
        Exposure.builder().supplierId("S1").anchorId("A1").sector(Sector.TEXTILES).assetClass(AssetClass.CORPORATE)
            .drawn(100_000).undrawn(50_000, 0.4).collateral(Collateral.RECEIVABLES).maturityYears(1)
            .annualSalesEurMillions(12).anchorSalesShare(0.8).build(),
        Exposure.builder().supplierId("S2").anchorId("A1").sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
            .drawn(200_000).undrawn(0, 0).lgd(0.45).collateral(Collateral.UNSECURED).anchorSalesShare(0.3).build(),
        Exposure.builder().supplierId(HOSTILE_SUPPLIER).anchorId(HOSTILE_ANCHOR).sector(Sector.TEXTILES)
            .assetClass(AssetClass.OTHER_RETAIL).drawn(50_000).undrawn(0, 0).lgd(0.6).collateral(Collateral.UNSECURED)
            .anchorSalesShare(0.5).build());
    List<SupplierScore> scores = List.of(new SupplierScore("S1", 0.02, "B"), new SupplierScore("S2", 0.005, "A"),
        new SupplierScore(HOSTILE_SUPPLIER, 0.08, "<C>"));
    StressScenario scenario = StressScenario.fromJson("""
        {"name": "<b>crash</b>", "description": "A1 & textiles",
         "anchor_volume_shocks": [{"anchor_id": "A1", "volume_drop_pct": 30}], "macro_factor_shift": -1.5}
        """);
    report = PortfolioAnalysis.builder().exposures(exposures).scores(scores)
        .simulation(CreditPortfolioSimulation.builder().simulations(2000).contagion(true))
        .build().report(scenario);
    html = PortfolioHtml.render(report);
  }

  @Test
  void render_hostileIdsAndNames_areEscapedEverywhere() {
    assertThat(exposures.get(2).supplierId()).isEqualTo(HOSTILE_SUPPLIER);
    assertThat(exposures.get(2).anchorId()).isEqualTo(HOSTILE_ANCHOR);
    assertThat(html).doesNotContain("<script", "onclick=\"", "<b>crash", "<C>", "src=", "href=", "http:");
    assertThat(html).contains(Html.escape(HOSTILE_ANCHOR), "&lt;b&gt;crash&lt;/b&gt;", "A1 &amp; textiles");
    // The anchor appears in the concentration chart and in its table.
    assertThat(html.split(Pattern.quote(Html.escape(HOSTILE_ANCHOR)), -1).length - 1).isGreaterThanOrEqualTo(2);
  }

  @Test
  void render_totals_areTheExposuresSums() {
    // EAD = drawn + CCF x undrawn, summed by hand from the CSV above.
    double ead = 100_000 + 0.4 * 50_000 + 200_000 + 50_000;
    assertThat(report.totals().ead()).isEqualTo(ead);
    assertThat(html).contains("<td>" + String.format(Locale.ROOT, "%,.0f", ead) + "</td>");
    for (PortfolioReport.Breakdown b : report.byAnchor()) {
      double anchorEad = exposures.stream().filter(e -> e.anchorId().equals(b.key())).mapToDouble(Exposure::ead).sum();
      assertThat(html).contains("<tr><td>" + Html.escape(b.key()) + "</td><td>" + b.suppliers() + "</td><td>"
          + String.format(Locale.ROOT, "%,.0f", anchorEad) + "</td><td>"
          + String.format(Locale.ROOT, "%.2f%%", 100 * anchorEad / ead) + "</td>");
    }
    for (PortfolioReport.Tail t : report.simulation().tail()) {
      assertThat(html).contains("VaR " + String.format(Locale.ROOT, "%.2f%%", 100 * t.level()));
    }
  }

  /**
   * The concentration bars give both shares they draw: each anchor's EAD share and its share of the
   * highest level's ES (its Euler contribution over the ES), as figures (the ES bar had none).
   */
  @Test
  void render_concentrationBars_statePerAnchorBothShares() {
    PortfolioReport.Tail top = report.simulation().tail().get(report.simulation().tail().size() - 1);
    assertThat(top.expectedShortfall()).isPositive();
    for (PortfolioReport.Breakdown b : report.byAnchor()) {
      double es = top.byAnchor().stream().filter(c -> c.key().equals(b.key()))
          .mapToDouble(io.chainscore.portfolio.LossDistributionResult.Contribution::expectedShortfall).sum();
      assertThat(html).contains(">EAD " + String.format(Locale.ROOT, "%.2f%%", 100 * b.eadShare()) + ", ES "
          + String.format(Locale.ROOT, "%.2f%%", 100 * es / top.expectedShortfall()) + "<");
    }
  }

  @Test
  void write_isTheRenderedPage(@TempDir Path dir) throws Exception {
    PortfolioHtml.write(report, dir.resolve("out/portfolio.html"));
    assertThat(Files.readString(dir.resolve("out/portfolio.html"))).isEqualTo(html).startsWith("<!DOCTYPE html>")
        .endsWith("</html>\n");
  }

  /**
   * A book of many anchors, each a few percent of the EAD: the concentration chart scales its bars
   * to the largest share drawn, so that the longest fills the plot (440 pixels: the 720-pixel chart
   * less the 170-pixel labels and the 110 pixels of figures). Scaled to 100% they were 2.6% of it, 11
   * pixels or less. Counts of 1,000 and more are written with the separator the amounts have
   * (1200 suppliers and 1186 in a grade's row were not).
   */
  @Test
  void render_manyAnchors_longestBarFillsThePlot_andCountsHaveSeparators() {
    List<Exposure> book = new java.util.ArrayList<>();
    List<SupplierScore> scores = new java.util.ArrayList<>();
    for (int k = 0; k < 1200; k++) {
      String id = String.format(Locale.ROOT, "S%04d", k);
      book.add(Exposure.builder().supplierId(id).anchorId(String.format(Locale.ROOT, "A%02d", k % 40))
          .sector(Sector.TEXTILES).assetClass(AssetClass.CORPORATE).drawn(100_000 + 1_000 * (k % 40)).undrawn(0, 0)
          .lgd(0.45).collateral(Collateral.UNSECURED).anchorSalesShare(0.5).build());
      scores.add(new SupplierScore(id, 0.01, "B"));
    }
    PortfolioReport many = PortfolioAnalysis.builder().exposures(book).scores(scores).build().report();
    String page = PortfolioHtml.render(many);
    double largest = many.byAnchor().get(0).eadShare();
    assertThat(largest).isCloseTo((100_000 + 39_000) / (40 * 100_000 + 1_000 * 780.0), org.assertj.core.data.Offset.offset(1e-12));
    String chart = page.substring(page.indexOf("<svg"), page.indexOf("</svg>"));
    java.util.regex.Matcher bar = Pattern.compile("<rect x=\"170\" y=\"[0-9.]+\" width=\"([0-9.]+)\" height=\"8\" fill=\"#4a78b5\"/>")
        .matcher(chart);
    double longest = 0;
    int bars = 0;
    while (bar.find()) {
      longest = Math.max(longest, Double.parseDouble(bar.group(1)));
      bars++;
    }
    assertThat(bars).isEqualTo(15 + 1);  // the 15 largest anchors, and the legend's 10-pixel swatch
    assertThat(longest).isCloseTo(440, org.assertj.core.data.Offset.offset(0.05));
    assertThat(page).contains("1,200 suppliers.", "<tr><td>B</td><td>1,200</td>");
  }

  /**
   * A facility the anchor owes is graded by the CR6 band of the anchor's PD in the grade table: a
   * note says so when the book has one (README's book showed a row 0.25-&lt;0.50% between grades 1
   * and 2, two thirds of its EAD, unexplained), and only then.
   */
  @Test
  void render_anchorOwedFacilities_areExplainedInTheGradeTable() {
    List<Exposure> book = List.of(
        Exposure.builder().supplierId("S1").anchorId("A1").sector(Sector.TEXTILES).assetClass(AssetClass.CORPORATE)
            .drawn(100_000).undrawn(0, 0).lgd(0.45).collateral(Collateral.UNSECURED).anchorSalesShare(0.5)
            .product(io.chainscore.portfolio.Product.PAYABLES_FINANCE).maturityYears(0.25).build(),
        Exposure.builder().supplierId("S2").anchorId("A1").sector(Sector.GLASS).assetClass(AssetClass.CORPORATE)
            .drawn(200_000).undrawn(0, 0).lgd(0.45).collateral(Collateral.UNSECURED).anchorSalesShare(0.3).build());
    List<SupplierScore> scores = List.of(new SupplierScore("S1", 0.02, "5"), new SupplierScore("S2", 0.005, "2"));
    PortfolioReport withAnchor = PortfolioAnalysis.builder().exposures(book).scores(scores)
        .anchorPds(java.util.Map.of("A1", 0.003)).build().report();
    assertThat(withAnchor.byGrade()).extracting(PortfolioReport.Breakdown::key).contains("0.25-<0.50%", "2")
        .doesNotContain("5");
    String page = PortfolioHtml.render(withAnchor);
    String grades = page.substring(page.indexOf("<h2>By grade</h2>"), page.indexOf("<h2>By product</h2>"));
    assertThat(grades).contains("takes the anchor's PD", "CR6 band (such as 0.25-&lt;0.50%)",
        "<tr><td>0.25-&lt;0.50%</td>");
    String without = html.substring(html.indexOf("<h2>By grade</h2>"), html.indexOf("<h2>By product</h2>"));
    assertThat(without).doesNotContain("takes the anchor");
  }

  /**
   * The largest PD increase of the stress is a difference of two PDs, written in percentage points:
   * "Largest PD increase 45.64%" (a supplier from 0.30% to 45.94%) read as a relative rise.
   */
  @Test
  void render_largestPdIncrease_isInPercentagePoints() {
    double increase = report.scenario().maxPdIncrease();
    assertThat(increase).isPositive();
    assertThat(html).contains("<p>Largest PD increase " + String.format(Locale.ROOT, "%.2f", 100 * increase)
        + " percentage points; ");
  }

  /** The supplier contributions' anchor and sector, names, are left-aligned as the supplier is. */
  @Test
  void render_contributionsTable_namesAreLeftAligned() {
    PortfolioReport.Tail top = report.simulation().tail().get(report.simulation().tail().size() - 1);
    PortfolioReport.SupplierContribution first = top.topSuppliers().get(0);
    assertThat(html).contains("<th>Supplier</th><th class=\"prose\">Anchor</th><th class=\"prose\">Sector</th>",
        "<tr><td>" + Html.escape(first.supplierId()) + "</td><td class=\"prose\">" + Html.escape(first.anchorId())
            + "</td><td class=\"prose\">" + Html.escape(first.sector()) + "</td>");
  }
}

package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML the tool writes, seen as a person sees it (issue #20): {@code validate}'s
 * {@code report.html}, {@code portfolio}'s {@code portfolio.html} {@code ecl}'s {@code ecl.html} and {@code monitor}'s {@code monitor.html}, {@code document}'s page (of a plain and of a segmented scorecard), from a generated portfolio
 * through the commands a user types, opened in headless Chromium at a 1280-pixel window. Each page
 * loads with no console message, uncaught exception or browser error; no page is wider than the
 * window; every chart has a drawing area and the browser painted something in it (at least 1% of
 * its pixels differ from its background in a screenshot). A page made to fail shows that the check
 * sees each of those faults.
 */
class HtmlInBrowserTest {
  @TempDir static Path dir;
  static HeadlessChromium browser;

  @BeforeAll
  static void start() throws Exception {
    browser = HeadlessChromium.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  private static void run(String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isIn(0, 3);
  }

  private static void assertSeenWell(Path page, int minCharts) throws Exception {
    HeadlessChromium.Page seen = browser.open(page);
    assertThat(seen.errors()).as(page + " errors").isEmpty();
    assertThat(seen.scrollWidth()).as(page + " is no wider than the window").isLessThanOrEqualTo(1280);
    assertThat(seen.brokenWords()).as(page + ": words of table cells split across lines").isEmpty();
    assertThat(seen.charts()).as(page + " charts").hasSizeGreaterThanOrEqualTo(minCharts);
    for (HeadlessChromium.Chart chart : seen.charts()) {
      assertThat(chart.width() * chart.height()).as(chart.label() + " drawing area").isGreaterThan(100 * 100);
      assertThat(chart.marks()).as(chart.label() + " marks").isPositive();
      BufferedImage shot = browser.screenshot(chart);
      assertThat(HeadlessChromium.inkShare(shot)).as(chart.label() + " painted").isGreaterThan(0.01);
    }
  }

  /**
   * The model document is a printable page: printed on A4 (the print style sheet at the page's
   * line, {@link HeadlessChromium#A4_LINE} pixels) no table or chart runs past the page's edge and no
   * word of a table cell is split. A segmented model's segments table, eleven columns, was 1,028
   * pixels wide there, the figures table with its SHA-256 765 and the characteristic stability
   * chart 722, cut off on paper.
   */
  private static void assertPrintsOnA4(Path page) throws Exception {
    HeadlessChromium.Page printed = browser.openPrinted(page);
    assertThat(printed.errors()).as(page + " errors in print").isEmpty();
    assertThat(printed.scrollWidth()).as(page + " printed is no wider than an A4 page's line")
        .isLessThanOrEqualTo(HeadlessChromium.A4_LINE);
    assertThat(printed.brokenWords()).as(page + " printed: words of table cells split across lines").isEmpty();
  }

  /**
   * In an 800-pixel window no page is wider than the window and no word of a table cell is split:
   * at that width monitor.html's runs table and portfolio.html's totals ran past the right edge
   * (the compact layout of print applies below 900 pixels).
   */
  private static void assertFitsANarrowWindow(Path page) throws Exception {
    HeadlessChromium.Page seen = browser.openNarrow(page, 800);
    assertThat(seen.errors()).as(page + " errors at 800 pixels").isEmpty();
    assertThat(seen.scrollWidth()).as(page + " at 800 pixels is no wider than the window").isLessThanOrEqualTo(800);
    assertThat(seen.brokenWords()).as(page + " at 800 pixels: words of table cells split across lines").isEmpty();
  }

  @Test
  void validationReport_andPortfolioReport_renderCleanly() throws Exception {
    Path p = dir.resolve("p");
    run("generate", "--suppliers", "600", "--seed", "21", "--out", p.toString(), "--quiet");
    run("features", "--transactions", p.toString(), "--as-of", "2025-06-30", "--out", dir.resolve("f.csv").toString(), "--quiet");
    run("validate", "--data", dir.resolve("f.csv").toString(), "--labels", p.resolve("labels.csv").toString(),
        "--target", "defaulted", "--out", dir.resolve("validation").toString());
    run("score", "--features", dir.resolve("f.csv").toString(), "--as-of", "2025-06-30", "--out",
        dir.resolve("s.csv").toString(), "--quiet");
    run("portfolio", "--scores", dir.resolve("s.csv").toString(), "--exposures", p.resolve("exposures.csv").toString(),
        "--anchor-pds", p.resolve("anchor_pds.csv").toString(), "--simulations", "2000",
        "--out", dir.resolve("risk").toString());

    run("ecl", "--scores", dir.resolve("s.csv").toString(), "--exposures", p.resolve("exposures.csv").toString(),
        "--origination", dir.resolve("s.csv").toString(), "--anchor-pds", p.resolve("anchor_pds.csv").toString(),
        "--out", dir.resolve("ecl").toString());

    // The score run (scores, features and manifest in dir) monitored against itself.
    run("monitor", "--runs", dir.toString(), dir.toString(), "--labels", p.resolve("labels.csv").toString(),
        "--out", dir.resolve("monitor").toString());

    run("document", "--data", dir.resolve("f.csv").toString(), "--labels", p.resolve("labels.csv").toString(),
        "--cohort", "sector", "--out", dir.resolve("doc.html").toString());

    // ROC, KS, score distributions, calibration by grade (and a bin chart per characteristic if any).
    assertSeenWell(dir.resolve("validation/report.html"), 4);
    // Loss distribution and concentration charts.
    assertSeenWell(dir.resolve("risk/portfolio.html"), 2);
    // The allowance by stage.
    assertSeenWell(dir.resolve("ecl/ecl.html"), 1);
    // The model document: the validation charts and the characteristic stability.
    assertSeenWell(dir.resolve("doc.html"), 5);
    assertPrintsOnA4(dir.resolve("doc.html"));
    // PSI by run.
    assertSeenWell(dir.resolve("monitor/monitor.html"), 1);
    // Every page prints on A4, as the document does (until 2026-12-08 the others had no print
    // layout: portfolio.html's supplier contributions ran past the printed page's right edge).
    for (String page : java.util.List.of("validation/report.html", "risk/portfolio.html", "ecl/ecl.html",
        "monitor/monitor.html")) {
      assertPrintsOnA4(dir.resolve(page));
      assertFitsANarrowWindow(dir.resolve(page));
    }
    assertFitsANarrowWindow(dir.resolve("doc.html"));
  }

  /**
   * The validation report and the document of a sample with rows the model refuses (30 German
   * credit rows left blank): the {@code rows_refused} row and the document's first limitation,
   * which name them, are seen as the rest is.
   */
  @Test
  void reportsOfASampleWithRefusedRows_renderCleanly() throws Exception {
    java.util.List<String> lines = java.nio.file.Files.readAllLines(TestRuns.german());
    int fields = lines.get(0).split(",", -1).length;
    java.util.List<String> blanked = new java.util.ArrayList<>(lines);
    for (int r = 1; r <= 30; r++) {
      String line = lines.get(r);
      blanked.set(r, ",".repeat(fields - 1) + line.substring(line.lastIndexOf(',') + 1));
    }
    Path data = java.nio.file.Files.write(dir.resolve("german-blank.csv"), blanked);
    run("train", "--data", data.toString(), "--target", "creditability", "--event-label", "bad", "--test-share", "0",
        "--out", dir.resolve("g.json").toString());
    run("validate", "--model", dir.resolve("g.json").toString(), "--data", data.toString(), "--target",
        "creditability", "--event-label", "bad", "--out", dir.resolve("refused-validation").toString());
    run("document", "--model", dir.resolve("g.json").toString(), "--data", data.toString(), "--target",
        "creditability", "--event-label", "bad", "--out", dir.resolve("refused-doc.html").toString());
    assertThat(java.nio.file.Files.readString(dir.resolve("refused-validation/report.html"))).contains("rows_refused");
    assertThat(java.nio.file.Files.readString(dir.resolve("refused-doc.html")))
        .contains("30 rows of the sample (" + data + ") were refused by the model&#39;s policies");
    assertSeenWell(dir.resolve("refused-validation/report.html"), 4);
    assertSeenWell(dir.resolve("refused-doc.html"), 4);  // the validation charts; no cohorts, so no stability chart
    assertPrintsOnA4(dir.resolve("refused-doc.html"));
  }

  @Test
  void segmentedDocument_rendersCleanly() throws Exception {
    Path seg = Files.createDirectories(dir.resolve("segmented"));
    Path bundle = SegmentedExportDocumentTest.trainSegmented(seg);
    run("document", "--model", bundle.toString(), "--data", seg.resolve("holdout.csv").toString(), "--target", "bad",
        "--out", seg.resolve("doc.html").toString());
    // The whole's ROC, KS, score distribution and calibration by grade, and each segment's own four.
    assertSeenWell(seg.resolve("doc.html"), 12);
    assertPrintsOnA4(seg.resolve("doc.html"));
  }

  @Test
  void theCheckSeesABrokenPage() throws Exception {
    Path bad = dir.resolve("bad.html");
    Files.writeString(bad, "<!doctype html><html><head><title>bad</title></head><body>"
        + "<div style=\"width:2000px\">too wide</div>"
        + "<svg width=\"300\" height=\"200\" aria-label=\"empty\"></svg>"
        + "<svg width=\"300\" height=\"200\" aria-label=\"white\"><rect x=\"0\" y=\"0\" width=\"300\" height=\"200\" fill=\"white\"/></svg>"
        + "<img src=\"missing.png\" alt=\"\">"
        + "<table><tr><td style=\"width:3em;max-width:3em\">2025-06-30</td></tr></table>"
        + "<script>console.error('boom'); undefinedFunction();</script></body></html>");
    HeadlessChromium.Page seen = browser.open(bad);
    assertThat(seen.errors()).anyMatch(e -> e.contains("console.error") && e.contains("boom"));
    assertThat(seen.errors()).anyMatch(e -> e.startsWith("uncaught exception") && e.contains("undefinedFunction"));
    assertThat(seen.errors()).anyMatch(e -> e.contains("missing.png"));
    assertThat(seen.scrollWidth()).isGreaterThan(1280);
    assertThat(seen.brokenWords()).containsExactly("2025-06-30");
    assertThat(seen.charts()).hasSize(2);
    assertThat(seen.charts().get(0).marks()).isZero();
    assertThat(HeadlessChromium.inkShare(browser.screenshot(seen.charts().get(1)))).isLessThan(0.01);
    // printed, a table wider than the A4 line is seen too, and the screen comes back afterwards
    Path wideTable = dir.resolve("wide-table.html");
    Files.writeString(wideTable, "<!doctype html><html><head><title>wide</title></head><body><table><tr>"
        + "<td>0.123456789012</td>".repeat(7) + "</tr></table></body></html>");
    assertThat(browser.openPrinted(wideTable).scrollWidth()).isGreaterThan(HeadlessChromium.A4_LINE);
    assertThat(browser.open(wideTable).scrollWidth()).isLessThanOrEqualTo(1280);
  }
}

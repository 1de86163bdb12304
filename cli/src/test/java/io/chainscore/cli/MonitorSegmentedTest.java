package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.validation.Stability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code monitor} of a segmented model: the thin-file segment's volume drops worsen between two
 * runs while the seasoned suppliers do not change, so the thin-file segment alerts on its own
 * while the whole portfolio's PSI stays below the alert threshold; per-segment figures are checked
 * against counts made here from the score tables and the labels, and monitor.html in headless
 * Chromium.
 */
class MonitorSegmentedTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROWS = 3000;

  @TempDir Path dir;

  @Test
  void oneSegmentDrifts_itAlertsOnItsOwn_theWholeDoesNot() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    String header = "supplier_id,as_of_date,tenure_months,late_days,volume_drop,sector,bad\n";
    StringBuilder before = new StringBuilder(header);
    StringBuilder after = new StringBuilder(header);
    StringBuilder labels = new StringBuilder("supplier_id,as_of_date,defaulted,default_date,true_pd\n");
    List<Boolean> thin = new ArrayList<>();
    List<Integer> bad = new ArrayList<>();
    String[] sectors = {"MANUFACTURING", "RETAIL", "FOOD"};
    for (int i = 0; i < ROWS; i++) {
      int tenure = random.nextInt(8) == 0 ? random.nextInt(12) : 12 + random.nextInt(120);
      double late = random.nextDouble() * 40;
      double drop = random.nextDouble() * 2 - 1;
      double logit = tenure < 12 ? -2 + 2.5 * drop : -4 + 0.08 * late;
      int y = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      String sector = sectors[random.nextInt(3)];
      before.append(String.format(Locale.ROOT, "S%05d,2025-06-30,%d,%.4f,%.4f,%s,%d%n", i, tenure, late, drop, sector, y));
      // the later run: the thin files' volumes fall sharply; the seasoned rows are unchanged
      double later = tenure < 12 ? 0.6 + 0.4 * random.nextDouble() : drop;
      after.append(String.format(Locale.ROOT, "S%05d,2025-06-30,%d,%.4f,%.4f,%s,%d%n", i, tenure, late, later, sector, y));
      labels.append(String.format(Locale.ROOT, "S%05d,2025-06-30,%s,,0.05%n", i, y == 1));
      thin.add(tenure < 12);
      bad.add(y);
    }
    Path data = Files.writeString(dir.resolve("before.csv"), before);
    Path drifted = Files.writeString(dir.resolve("after.csv"), after);
    Path labelFile = Files.writeString(dir.resolve("labels.csv"), labels);
    Path model = dir.resolve("seg.json");
    CliRun trained = CliRun.of("train", "--data", data.toString(), "--target", "bad", "--exclude",
        "supplier_id,as_of_date", "--test-share", "0", "--segment", "tenure_months<12=thin_file", "--segment",
        "otherwise=seasoned", "--out", model.toString());
    assertThat(trained.code()).as(trained.err()).isZero();
    for (String[] run : new String[][] {{"runA", data.toString()}, {"runB", drifted.toString()}}) {
      CliRun scored = CliRun.of("score", "--model", model.toString(), "--features", run[1], "--as-of", "2025-06-30",
          "--out", dir.resolve(run[0]).resolve("scores.csv").toString(), "--quiet");
      assertThat(scored.code()).as(scored.err()).isZero();
    }
    CliRun monitored = CliRun.of("monitor", "--model", model.toString(), "--runs", dir.resolve("runA").toString(),
        dir.resolve("runB").toString(), "--labels", labelFile.toString(), "--out", dir.resolve("monitor").toString());
    assertThat(monitored.code()).as(monitored.err() + monitored.out()).isEqualTo(4);
    JsonNode report = JSON.readTree(dir.resolve("monitor/monitor.json").toFile());
    JsonNode later = report.get("runs").get(1);
    assertThat(later.get("psi_score_deciles").asDouble()).as("the whole").isLessThan(0.25);
    assertThat(later.get("psi_grades").asDouble()).as("the whole").isLessThan(0.25);
    JsonNode alerts = JSON.readTree(dir.resolve("monitor/alerts.json").toFile());
    assertThat(alerts).isNotEmpty();
    for (JsonNode a : alerts) {
      assertThat(a.get("segment").asText()).as(a.toString()).isEqualTo("thin_file");
      assertThat(a.get("run").asText()).endsWith("runB");
    }
    assertThat(later.get("status").asText()).isEqualTo("alert");
    assertThat(monitored.out()).contains(" segment thin_file: psi_");

    // per segment: the PSI of grades from a direct count of each run's score table, and the back-test counts
    ModelBundle bundle = ModelBundle.read(model);
    List<String> grades = bundle.masterScale().grades().stream().map(g -> g.name()).toList();
    long[][] counts = new long[4][grades.size()]; // [run * 2 + segment][grade]
    for (int run = 0; run < 2; run++) {
      List<String> lines = Files.readAllLines(dir.resolve(run == 0 ? "runA" : "runB").resolve("scores.csv"));
      List<String> head = List.of(lines.get(0).split(","));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",", -1);
        int segment = f[head.indexOf("segment")].equals("thin_file") ? 0 : 1;
        assertThat(segment == 0).isEqualTo(thin.get(Integer.parseInt(f[0].substring(1))));
        counts[run * 2 + segment][grades.indexOf(f[head.indexOf("grade")])]++;
      }
    }
    JsonNode segments = later.get("segments");
    assertThat(segments).hasSize(2);
    long thinRows = thin.stream().filter(t -> t).count();
    for (int s = 0; s < 2; s++) {
      JsonNode sr = segments.get(s);
      assertThat(sr.get("segment").asText()).isEqualTo(s == 0 ? "thin_file" : "seasoned");
      assertThat(sr.get("psi_grades").asDouble()).isEqualTo(Stability.psiFromCounts(counts[s], counts[2 + s]));
      assertThat(sr.get("suppliers").asLong()).isEqualTo(s == 0 ? thinRows : ROWS - thinRows);
      int defaults = 0;
      for (int i = 0; i < ROWS; i++) {
        defaults += thin.get(i) == (s == 0) ? bad.get(i) : 0;
      }
      assertThat(sr.get("backtest").get("labelled").asLong()).isEqualTo(sr.get("suppliers").asLong());
      assertThat(sr.get("backtest").get("defaults").asInt()).isEqualTo(defaults);
    }
    assertThat(segments.get(0).get("psi_score_deciles").asDouble()).isGreaterThanOrEqualTo(0.25);
    assertThat(segments.get(0).get("status").asText()).isEqualTo("alert");
    assertThat(segments.get(1).get("psi_score_deciles").asDouble()).as("unchanged rows").isZero();
    assertThat(segments.get(1).get("status").asText()).isEqualTo("ok");
    // the reference run against itself: no segment moves
    for (JsonNode sr : report.get("runs").get(0).get("segments")) {
      assertThat(sr.get("psi_grades").asDouble()).isZero();
    }

    String html = Files.readString(dir.resolve("monitor/monitor.html"));
    assertThat(html).contains("<h2>By segment</h2>").contains("<td>thin_file</td>").contains("<th>Segment</th>");
    HeadlessChromium browser = HeadlessChromium.start();
    try {
      HeadlessChromium.Page seen = browser.open(dir.resolve("monitor/monitor.html"));
      assertThat(seen.errors()).isEmpty();
      assertThat(seen.scrollWidth()).as("no wider than the window").isLessThanOrEqualTo(1280);
      assertThat(seen.charts()).hasSizeGreaterThanOrEqualTo(1);
      for (HeadlessChromium.Chart chart : seen.charts()) {
        assertThat(chart.marks()).as(chart.label()).isPositive();
        assertThat(HeadlessChromium.inkShare(browser.screenshot(chart))).as(chart.label()).isGreaterThan(0.01);
      }
    } finally {
      browser.close();
    }
  }
}

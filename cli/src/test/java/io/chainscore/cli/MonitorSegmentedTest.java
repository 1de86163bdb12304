package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

  /** A supplier's volume drop in the later run, from its tenure and earlier drop. */
  private interface LaterDrop {
    double of(int tenure, double drop, SplittableRandom random);
  }

  /** Two runs' feature tables of the same suppliers (with their target), their labels, and who is thin. */
  private record Runs(StringBuilder before, StringBuilder after, StringBuilder labels, List<Boolean> thin,
      List<Integer> bad) {}

  /**
   * {@link #ROWS} suppliers, one in {@code thinOneIn} under 12 months of history; thin files default
   * on volume drops, seasoned ones on late days; the later run's drops from {@code later}.
   */
  private static Runs runs(long seed, int thinOneIn, LaterDrop later) {
    SplittableRandom random = new SplittableRandom(seed);
    String header = "supplier_id,as_of_date,tenure_months,late_days,volume_drop,sector,bad\n";
    Runs runs = new Runs(new StringBuilder(header), new StringBuilder(header),
        new StringBuilder("supplier_id,as_of_date,defaulted,default_date,true_pd\n"), new ArrayList<>(), new ArrayList<>());
    String[] sectors = {"MANUFACTURING", "RETAIL", "FOOD"};
    for (int i = 0; i < ROWS; i++) {
      int tenure = random.nextInt(thinOneIn) == 0 ? random.nextInt(12) : 12 + random.nextInt(120);
      double late = random.nextDouble() * 40;
      double drop = random.nextDouble() * 2 - 1;
      double logit = tenure < 12 ? -2 + 2.5 * drop : -4 + 0.08 * late;
      int y = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      String sector = sectors[random.nextInt(3)];
      runs.before().append(String.format(Locale.ROOT, "S%05d,2025-06-30,%d,%.4f,%.4f,%s,%d%n", i, tenure, late, drop,
          sector, y));
      runs.after().append(String.format(Locale.ROOT, "S%05d,2025-06-30,%d,%.4f,%.4f,%s,%d%n", i, tenure, late,
          later.of(tenure, drop, random), sector, y));
      runs.labels().append(String.format(Locale.ROOT, "S%05d,2025-06-30,%s,,0.05%n", i, y == 1));
      runs.thin().add(tenure < 12);
      runs.bad().add(y);
    }
    return runs;
  }

  @Test
  void oneSegmentDrifts_itAlertsOnItsOwn_theWholeDoesNot() throws Exception {
    // the later run: the thin files' volumes fall sharply; the seasoned rows are unchanged
    Runs runs = runs(5, 8, (tenure, drop, random) -> tenure < 12 ? 0.6 + 0.4 * random.nextDouble() : drop);
    StringBuilder before = runs.before();
    StringBuilder after = runs.after();
    StringBuilder labels = runs.labels();
    List<Boolean> thin = runs.thin();
    List<Integer> bad = runs.bad();
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

  /**
   * CSI of one feature by hand: the baseline's deciles of its non-missing values (the value at
   * rank {@code floor(k n / 10)}, k = 1..9, a value at or above an edge going above it) and a
   * missing bin, or one bin per category and a missing bin; shares floored at 1e-4; {@code sum (a - e)
   * ln(a / e)}.
   */
  private static double csiByHand(List<Double> baseline, List<Double> current, int categories) {
    int bins;
    java.util.function.ToIntFunction<Double> bin;
    if (categories > 0) {
      bins = categories + 1;
      bin = v -> v.isNaN() ? categories : (int) (double) v;
    } else {
      double[] sorted = baseline.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
      double[] edges = new double[9];
      for (int k = 1; k <= 9; k++) {
        edges[k - 1] = sorted[Math.min(sorted.length - 1, k * sorted.length / 10)];
      }
      bins = 11;
      bin = v -> {
        if (v.isNaN()) {
          return 10;
        }
        int b = 0;
        for (double e : edges) {
          b += v >= e ? 1 : 0;
        }
        return b;
      };
    }
    double[] e = new double[bins];
    double[] a = new double[bins];
    baseline.forEach(v -> e[bin.applyAsInt(v)] += 1.0 / baseline.size());
    current.forEach(v -> a[bin.applyAsInt(v)] += 1.0 / current.size());
    double csi = 0;
    for (int i = 0; i < bins; i++) {
      double ei = Math.max(e[i], 1e-4);
      double ai = Math.max(a[i], 1e-4);
      csi += (ai - ei) * Math.log(ai / ei);
    }
    return csi;
  }

  @Test
  void perSegmentCsi_aDriftInOneSegmentsCharacteristicShowsOnlyThere() throws Exception {
    // later: the thin files' volumes fall (a milder move than an alert), the seasoned rows are unchanged
    Runs runs = runs(11, 5, (tenure, drop, random) -> tenure < 12 ? Math.min(1, drop + 0.3) : drop);
    StringBuilder before = runs.before();
    StringBuilder after = runs.after();
    Path model = dir.resolve("seg.json");
    Path data = Files.writeString(dir.resolve("train.csv"), before);
    CliRun trained = CliRun.of("train", "--data", data.toString(), "--target", "bad", "--exclude",
        "supplier_id,as_of_date", "--test-share", "0", "--segment", "tenure_months<12=thin_file", "--segment",
        "otherwise=seasoned", "--out", model.toString());
    assertThat(trained.code()).as(trained.err()).isZero();
    // each run keeps its feature table beside its scores, so monitor finds it through the run's manifest
    for (String[] run : new String[][] {{"runA", before.toString()}, {"runB", after.toString()}}) {
      Path features = Files.createDirectories(dir.resolve(run[0])).resolve("features.csv");
      Files.writeString(features, run[1]);
      CliRun scored = CliRun.of("score", "--model", model.toString(), "--features", features.toString(), "--as-of",
          "2025-06-30", "--out", dir.resolve(run[0]).resolve("scores.csv").toString(), "--quiet");
      assertThat(scored.code()).as(scored.err()).isZero();
    }
    CliRun monitored = CliRun.of("monitor", "--model", model.toString(), "--runs", dir.resolve("runA").toString(),
        dir.resolve("runB").toString(), "--out", dir.resolve("monitor").toString());
    assertThat(monitored.code()).as(monitored.err() + monitored.out()).isIn(0, 4);
    JsonNode report = JSON.readTree(dir.resolve("monitor/monitor.json").toFile());

    // by hand: each run's feature values split by the segment its score table routed the supplier to
    ModelBundle bundle = ModelBundle.read(model);
    List<String> featureNames = List.of("tenure_months", "late_days", "volume_drop", "sector");
    List<List<List<Double>>> values = new ArrayList<>(); // [run * 2 + segment][feature] -> values
    for (int run = 0; run < 2; run++) {
      String name = run == 0 ? "runA" : "runB";
      java.util.Map<String, String> segmentOf = new java.util.HashMap<>();
      List<String> scores = Files.readAllLines(dir.resolve(name).resolve("scores.csv"));
      int segmentColumn = List.of(scores.get(0).split(",")).indexOf("segment");
      for (String line : scores.subList(1, scores.size())) {
        String[] f = line.split(",", -1);
        segmentOf.put(f[0], f[segmentColumn]);
      }
      for (int s = 0; s < 2; s++) {
        List<List<Double>> byFeature = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
          byFeature.add(new ArrayList<>());
        }
        values.add(byFeature);
      }
      List<String> lines = Files.readAllLines(dir.resolve(name).resolve("features.csv"));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",", -1);
        int s = segmentOf.get(f[0]).equals("thin_file") ? 0 : 1;
        assertThat(s == 0).isEqualTo(Integer.parseInt(f[2]) < 12);
        List<List<Double>> byFeature = values.get(run * 2 + s);
        byFeature.get(0).add(Double.parseDouble(f[2]));
        byFeature.get(1).add(Double.parseDouble(f[3]));
        byFeature.get(2).add(Double.parseDouble(f[4]));
        byFeature.get(3).add((double) bundle.schema().feature(bundle.schema().indexOf("sector")).categoryIndex(f[5]));
      }
    }
    JsonNode later = report.get("runs").get(1);
    for (int s = 0; s < 2; s++) {
      JsonNode csi = later.get("segments").get(s).get("csi");
      JsonNode itself = report.get("runs").get(0).get("segments").get(s).get("csi");
      for (int j = 0; j < 4; j++) {
        String feature = featureNames.get(j);
        int categories = feature.equals("sector") ? 3 : 0;
        double expected = csiByHand(values.get(s).get(j), values.get(2 + s).get(j), categories);
        assertThat(csi.get(feature).asDouble()).as("segment %d %s", s, feature).isCloseTo(expected, within(1e-12));
        assertThat(itself.get(feature).asDouble()).as("the reference against itself").isZero();
      }
    }
    // the drift shows in the thin files' volume_drop only; the seasoned segment's characteristics did not move
    JsonNode thin = later.get("segments").get(0);
    JsonNode seasoned = later.get("segments").get(1);
    assertThat(thin.get("csi").get("volume_drop").asDouble()).isGreaterThan(0.25);
    assertThat(thin.get("csi_warnings")).extracting(JsonNode::asText).containsExactly("volume_drop");
    assertThat(thin.get("status").asText()).isIn("warning", "alert");
    for (String feature : featureNames) {
      assertThat(seasoned.get("csi").get(feature).asDouble()).as(feature).isZero();
    }
    assertThat(seasoned.get("csi_warnings")).isEmpty();
    assertThat(thin.get("csi").get("late_days").asDouble()).isZero();
    // the whole portfolio's CSI dilutes the thin files' move among the seasoned rows
    assertThat(later.get("csi").get("volume_drop").asDouble()).isPositive()
        .isLessThan(thin.get("csi").get("volume_drop").asDouble());

    String html = Files.readString(dir.resolve("monitor/monitor.html"));
    assertThat(html).contains("<th>Features with CSI over the warning</th>")
        .contains("<td>thin_file</td><td>");
    assertThat(html).containsPattern("<td>thin_file</td>(<td>[^<]*</td>){4}<td>volume_<wbr>drop [0-9.]+</td>");
  }
}

package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #20 section 4: {@code chainscore monitor} over twelve monthly score runs of a generated
 * portfolio, with a drift injected from month 8 on (every supplier's on-time delivery rate cut by
 * a fifth, as a buyer-side disruption would), raises its alert at month 8 and not before, exits 4,
 * and back-tests the month whose outcomes the generator wrote.
 */
class MonitorCommandTest {
  @TempDir static Path dir;
  static final List<String> MONTHS = List.of("2024-07-31", "2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30",
      "2024-12-31", "2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30");
  static final List<String> runs = new ArrayList<>();

  @BeforeAll
  static void twelveMonths() throws Exception {
    Path p = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "600", "--seed", "5", "--out", p.toString(), "--quiet").code()).isZero();
    for (int m = 0; m < MONTHS.size(); m++) {
      Path run = dir.resolve(String.format(Locale.ROOT, "run-%02d", m + 1));
      Path features = run.resolve("f.csv");
      assertThat(CliRun.of("features", "--transactions", p.toString(), "--as-of", MONTHS.get(m), "--out", features.toString(),
          "--quiet").code()).isIn(0, 3);
      if (m + 1 >= 8) {
        scale(features, "on_time_delivery_rate_12m", 0.8);
      }
      CliRun s = CliRun.of("score", "--features", features.toString(), "--as-of", MONTHS.get(m), "--out",
          run.resolve("s.csv").toString(), "--quiet");
      assertThat(s.code()).as(s.err()).isIn(0, 3);
      runs.add(run.toString());
    }
  }

  /** Multiplies one column of a feature CSV by {@code factor} (empty cells stay missing). */
  static void scale(Path csv, String column, double factor) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    int c = List.of(lines.get(0).split(",", -1)).indexOf(column);
    assertThat(c).isNotNegative();
    List<String> out = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",", -1);
      if (!v[c].isEmpty()) {
        v[c] = Double.toString(Double.parseDouble(v[c]) * factor);
      }
      out.add(String.join(",", v));
    }
    Files.write(csv, out);
  }

  /**
   * The whole run's CSI counts the suppliers the run scored, as its PSI does: month 1's features
   * again, with the first 200 suppliers' on-time delivery rate made impossible (-5, which the
   * model refuses), scored: those suppliers are quarantined, and the suppliers scored did not
   * move, so the feature's CSI against month 1 stays small.
   */
  @Test
  void csi_countsOnlyTheSuppliersARunScored() throws Exception {
    Path month1 = Path.of(runs.get(0));
    Path copy = dir.resolve("run-refused");
    Files.createDirectories(copy);
    List<String> features = Files.readAllLines(month1.resolve("f.csv"));
    int c = List.of(features.get(0).split(",", -1)).indexOf("on_time_delivery_rate_12m");
    List<String> moved = new ArrayList<>(List.of(features.get(0)));
    for (int i = 1; i < features.size(); i++) {
      String[] v = features.get(i).split(",", -1);
      if (i <= 200) {
        v[c] = "-5";
      }
      moved.add(String.join(",", v));
    }
    Files.write(copy.resolve("f.csv"), moved);
    CliRun s = CliRun.of("score", "--features", copy.resolve("f.csv").toString(), "--as-of", MONTHS.get(0), "--out",
        copy.resolve("s.csv").toString(), "--quiet");
    assertThat(s.code()).as(s.err()).isEqualTo(3);
    long scored = Files.readAllLines(copy.resolve("s.csv")).size() - 1;
    List<String> scoredBefore = Files.readAllLines(month1.resolve("s.csv"));
    java.util.Set<String> madeImpossible = new java.util.HashSet<>();
    features.subList(1, 201).forEach(l -> madeImpossible.add(l.split(",", -1)[0]));
    long stillScored = scoredBefore.stream().skip(1).filter(l -> !madeImpossible.contains(l.split(",", -1)[0])).count();
    assertThat(scored).isEqualTo(stillScored).isLessThan(scoredBefore.size() - 1 - 150);
    CliRun run = CliRun.of("monitor", "--runs", month1.toString(), copy.toString(), "--out",
        dir.resolve("report-refused").toString());
    assertThat(run.code()).as(run.err()).isIn(0, 1, 4);
    JsonNode r = new ObjectMapper().readTree(dir.resolve("report-refused/monitor.json").toFile()).get("runs").get(1);
    assertThat(r.get("suppliers").asLong()).isEqualTo(scored);
    // the suppliers scored are month 1's less the 200: their values did not move, so the CSI is that
    // of a subsample (about 0.01); counting the refused rows' -5 would put a third of the rows below
    // the reference's lowest decile (CSI above 0.3)
    assertThat(r.get("csi").get("on_time_delivery_rate_12m").asDouble()).isLessThan(0.05);
    assertThat(r.get("csi_warnings").toString()).doesNotContain("on_time_delivery_rate_12m");

    // data quality: each run's quarantined rows, their share of the rows read and the columns at
    // fault, as counted from its quarantine file; a third of the rows flags the run (default 1%)
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report-refused/monitor.json").toFile());
    for (int k = 0; k < 2; k++) {
      Path folder = k == 0 ? month1 : copy;
      JsonNode row = report.get("runs").get(k);
      List<String> quarantine = Files.readAllLines(folder.resolve("s.quarantine.csv"));
      long read = Files.readAllLines(folder.resolve("f.csv")).size() - 1;
      java.util.Map<String, Long> byColumn = new java.util.TreeMap<>();
      // a row no one column is at fault for (too many missing values) has an empty column
      quarantine.stream().skip(1).map(l -> l.split(",", -1)[2])
          .forEach(column -> byColumn.merge(column.isEmpty() ? "(whole row)" : column, 1L, Long::sum));
      assertThat(row.get("rows_quarantined").asLong()).isEqualTo(quarantine.size() - 1);
      assertThat(row.get("quarantined_share").asDouble()).isCloseTo((quarantine.size() - 1.0) / read,
          org.assertj.core.data.Offset.offset(1e-15));
      java.util.Map<String, Long> reported = new java.util.TreeMap<>();
      row.get("quarantined_by_column").fields().forEachRemaining(e -> reported.put(e.getKey(), e.getValue().asLong()));
      assertThat(reported).isEqualTo(byColumn);
    }
    JsonNode refused = report.get("runs").get(1);
    // the 200 but those the model refused for another reason first (too many missing values)
    assertThat(refused.get("quarantined_by_column").get("on_time_delivery_rate_12m").asLong()).isBetween(150L, 200L);
    assertThat(refused.get("quarantine_warning").asBoolean()).isTrue();
    assertThat(refused.get("status").asText()).isEqualTo("warning");
    assertThat(run.out()).containsPattern("run-refused +" + MONTHS.get(0) + " +[0-9,]+ +2[0-9][0-9] ");
    assertThat(Files.readString(dir.resolve("report-refused/monitor.html")))
        .contains("on_time_delivery_rate_12m " + refused.get("quarantined_by_column").get("on_time_delivery_rate_12m").asLong());
    // a warning above the share: not flagged by it
    CliRun lenient = CliRun.of("monitor", "--runs", month1.toString(), copy.toString(), "--quarantine-warning", "0.5",
        "--out", dir.resolve("report-lenient").toString());
    assertThat(lenient.code()).as(lenient.err()).isIn(0, 1, 4);
    JsonNode lenientRow = new ObjectMapper().readTree(dir.resolve("report-lenient/monitor.json").toFile())
        .get("runs").get(1);
    assertThat(lenientRow.get("quarantine_warning").asBoolean()).isFalse();
    for (String bad : new String[] {"0", "1.5", "-0.1"}) {
      CliRun badShare = CliRun.of("monitor", "--runs", month1.toString(), "--quarantine-warning", bad, "--out",
          dir.resolve("report-bad").toString());
      assertThat(badShare.code()).as(bad).isEqualTo(2);
      assertThat(badShare.err()).contains("quarantine warning: expected a share in (0, 1], got");
    }
  }

  private static CliRun monitor(String out, String... more) {
    List<String> args = new ArrayList<>(List.of("monitor", "--runs"));
    args.addAll(runs);
    args.addAll(List.of("--labels", dir.resolve("p/labels.csv").toString(), "--out", dir.resolve(out).toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  /**
   * Labels that hold no outcome of any run (a header only; another as-of date): the report is the
   * one without labels, and stderr says so in one line (until 2026-12-07 nothing did, so a wrong
   * file read as a model without back-test findings); labels that match print no note.
   */
  @Test
  void labelsMatchingNoRun_areSaidToMatchNone() throws Exception {
    Path headerOnly = Files.writeString(dir.resolve("labels-none.csv"), "supplier_id,as_of_date,defaulted\n");
    // the runs' own suppliers, at a date no run is as of
    List<String> ids = Files.readAllLines(Path.of(runs.get(0), "s.csv")).stream().skip(1).limit(20)
        .map(line -> line.substring(0, line.indexOf(','))).toList();
    StringBuilder rows = new StringBuilder("supplier_id,as_of_date,defaulted\n");
    for (int i = 0; i < ids.size(); i++) {
      rows.append(ids.get(i)).append(",1999-12-31,").append(i % 4 == 0).append('\n');
    }
    Path otherDate = Files.writeString(dir.resolve("labels-other-date.csv"), rows.toString());
    for (Path labels : new Path[] {headerOnly, otherDate}) {
      List<String> args = new ArrayList<>(List.of("monitor", "--runs", runs.get(0), runs.get(1), "--labels",
          labels.toString(), "--out", dir.resolve("out-" + labels.getFileName()).toString()));
      CliRun r = CliRun.of(args.toArray(new String[0]));
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.err().strip()).isEqualTo("monitor: note: no row of --labels " + labels + " is the outcome of a"
          + " run's supplier at the run's as-of date; no back-test");
      JsonNode report = new ObjectMapper().readTree(dir.resolve("out-" + labels.getFileName()).resolve("monitor.json")
          .toFile()).get("runs");
      assertThat(report.get(0).get("backtest").isNull()).isTrue();
      assertThat(report.get(1).get("backtest").isNull()).isTrue();
    }
    // the generated labels are outcomes at the last month's as-of date
    CliRun matching = CliRun.of("monitor", "--runs", runs.get(0), runs.get(11), "--labels",
        dir.resolve("p/labels.csv").toString(), "--out", dir.resolve("out-labels-matching").toString());
    assertThat(matching.err()).doesNotContain("note:");
    assertThat(new ObjectMapper().readTree(dir.resolve("out-labels-matching/monitor.json").toFile()).get("runs").get(1)
        .get("backtest").get("labelled").asInt()).isEqualTo(600);
  }

  /**
   * Labels whose dates are instants (noon UTC, as a pipeline writes tz-aware datetimes): refused
   * without a zone, naming the option (exit 2); with {@code --time-zone UTC} the back-test of the
   * plain labels.
   */
  @Test
  void labelsAsInstants_readWithTheirZone() throws Exception {
    Path instants = dir.resolve("labels-instants.csv");
    Files.writeString(instants, Files.readString(dir.resolve("p/labels.csv"))
        .replaceAll("(\\d{4}-\\d{2}-\\d{2})", "$1T12:00:00Z"));
    List<String> args = new ArrayList<>(List.of("monitor", "--runs"));
    args.addAll(runs);
    args.addAll(List.of("--labels", instants.toString()));
    List<String> refused = new ArrayList<>(args);
    refused.addAll(List.of("--out", dir.resolve("instants-refused").toString()));
    CliRun no = CliRun.of(refused.toArray(new String[0]));
    assertThat(no.code()).isEqualTo(2);
    assertThat(no.err()).contains("labels-instants.csv").contains("T12:00:00Z").contains("--time-zone");
    List<String> inUtc = new ArrayList<>(args);
    inUtc.addAll(List.of("--out", dir.resolve("instants").toString(), "--time-zone", "UTC"));
    CliRun utc = CliRun.of(inUtc.toArray(new String[0]));
    assertThat(utc.code()).as(utc.err()).isEqualTo(4);
    CliRun plain = monitor("instants-plain");
    assertThat(plain.code()).isEqualTo(4);
    JsonNode a = new ObjectMapper().readTree(dir.resolve("instants/monitor.json").toFile()).get("runs");
    JsonNode b = new ObjectMapper().readTree(dir.resolve("instants-plain/monitor.json").toFile()).get("runs");
    assertThat(a.get(11).get("backtest").get("labelled").asInt()).isEqualTo(600);
    for (int m = 0; m < 12; m++) {
      assertThat(a.get(m).get("backtest")).as("month %d", m + 1).isEqualTo(b.get(m).get("backtest"));
    }
  }

  @Test
  void driftFromMonth8_alertsAtMonth8_andNotBefore() throws Exception {
    CliRun run = monitor("report");
    assertThat(run.code()).as(run.err()).isEqualTo(4);
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report/monitor.json").toFile());
    JsonNode rows = report.get("runs");
    assertThat(rows).hasSize(12);
    for (int m = 0; m < 12; m++) {
      JsonNode r = rows.get(m);
      assertThat(r.get("as_of_date").asText()).isEqualTo(MONTHS.get(m));
      if (m + 1 < 8) {
        assertThat(r.get("status").asText()).as("month " + (m + 1)).isNotEqualTo("alert");
        assertThat(r.get("psi_score_deciles").asDouble()).as("month " + (m + 1)).isLessThan(0.25);
      } else {
        assertThat(r.get("status").asText()).as("month " + (m + 1)).isEqualTo("alert");
        // The drifted characteristic is named among those whose CSI moved.
        assertThat(r.get("csi_warnings").toString()).contains("on_time_delivery_rate_12m");
      }
    }
    JsonNode alerts = new ObjectMapper().readTree(dir.resolve("report/alerts.json").toFile());
    assertThat(alerts.get(0).get("run").asText()).endsWith("run-08");
    assertThat(alerts.get(0).get("metric").asText()).startsWith("psi_");
    // Only the last month has outcomes (the generator labels its as-of date): its back-test.
    assertThat(rows.get(10).get("backtest").isNull()).isTrue();
    JsonNode backtest = rows.get(11).get("backtest");
    assertThat(backtest.get("labelled").asInt()).isEqualTo(600);
    assertThat(backtest.get("auc_lower").asDouble()).isLessThan(backtest.get("auc").asDouble());
    assertThat(backtest.get("auc_upper").asDouble()).isGreaterThan(backtest.get("auc").asDouble());
    assertThat(run.out()).contains("ALERT " + runs.get(7) + ": psi_");
    String html = Files.readString(dir.resolve("report/monitor.html"));
    assertThat(html).contains("Population stability by run");
    // the PSI chart marks the warning (0.10 by default) and the alert (0.25), each a dashed line
    assertThat(html).contains(">warning 0.10<").contains(">alert 0.25<")
        .contains("warning at PSI 0.10, alert at PSI 0.25");
    assertThat(html.split("stroke-dasharray=\"5 3\"", -1)).hasSize(3);
  }

  @Test
  void psi_matchesASecondComputationFromTheScoreFiles() throws Exception {
    CliRun run = monitor("again", "--json");
    assertThat(run.code()).isEqualTo(4);
    JsonNode report = new ObjectMapper().readTree(run.out());
    // PSI of grades, month 9 against month 1, from the two score tables by hand (ln with a 1e-4 floor).
    double[] ref = gradeShares(Path.of(runs.get(0), "s.csv"));
    double[] now = gradeShares(Path.of(runs.get(8), "s.csv"));
    double psi = 0;
    for (int g = 0; g < ref.length; g++) {
      double e = Math.max(ref[g], 1e-4);
      double a = Math.max(now[g], 1e-4);
      psi += (a - e) * Math.log(a / e);
    }
    assertThat(report.get("runs").get(8).get("psi_grades").asDouble()).isCloseTo(psi, org.assertj.core.api.Assertions.within(1e-12));
    // The same inputs give the same report.
    assertThat(monitor("again2").code()).isEqualTo(4);
    for (String name : List.of("monitor.json", "alerts.json", "monitor.html")) {
      assertThat(Files.readAllBytes(dir.resolve("again2/" + name))).as(name)
          .isEqualTo(Files.readAllBytes(dir.resolve("again/" + name)));
    }
  }

  /**
   * A run scored from a feature table (`score --features`) counts, as transaction_rows_quarantined,
   * the trade-table rows the features run that wrote the table refused (its manifest beside the
   * table, naming the file scored): the rows of that run's f.quarantine.csv, counted from the file.
   * Months 8-12 of the twelve scored a table edited after features wrote it (scaled): not the file
   * that run wrote, so not known (null). A book with one supplier's sector code unknown (its own
   * row refused, the supplier lost before scoring) prints it and shows it in the HTML; until
   * 2026-12-07 a feature-table run said nothing of them ("quarantined 0").
   */
  @Test
  void featureTableRuns_countTheTradeRowsTheirFeaturesRunRefused() throws Exception {
    CliRun twelve = monitor("upstream", "--json");
    JsonNode report = new ObjectMapper().readTree(twelve.out());
    for (int m = 0; m < runs.size(); m++) {
      JsonNode counted = report.get("runs").get(m).get("transaction_rows_quarantined");
      if (m + 1 >= 8) {
        assertThat(counted.isNull()).as("month " + (m + 1)).isTrue();
      } else {
        long rows = Files.readAllLines(Path.of(runs.get(m), "f.quarantine.csv")).size() - 1;
        assertThat(counted.isNumber()).as("month " + (m + 1)).isTrue();
        assertThat(counted.asLong()).as("month " + (m + 1)).isEqualTo(rows);
      }
    }

    Path p = dir.resolve("upstream-book");
    assertThat(CliRun.of("generate", "--suppliers", "80", "--seed", "9", "--format", "csv", "--out", p.toString(),
        "--quiet").code()).isZero();
    List<String> suppliers = new ArrayList<>(Files.readAllLines(p.resolve("suppliers.csv")));
    int sector = List.of(suppliers.get(0).split(",", -1)).indexOf("sector");
    String[] second = suppliers.get(2).split(",", -1);
    second[sector] = "space_mining";
    suppliers.set(2, String.join(",", second));
    Files.write(p.resolve("suppliers.csv"), suppliers);
    Path run = dir.resolve("upstream-run");
    assertThat(CliRun.of("features", "--transactions", p.toString(), "--as-of", "2025-06-30", "--out",
        run.resolve("f.csv").toString(), "--quiet").code()).isEqualTo(3);
    assertThat(CliRun.of("score", "--features", run.resolve("f.csv").toString(), "--as-of", "2025-06-30", "--out",
        run.resolve("s.csv").toString(), "--quiet").code()).isZero();
    long refused = Files.readAllLines(run.resolve("f.quarantine.csv")).size() - 1;
    assertThat(refused).isPositive();
    CliRun one = CliRun.of("monitor", "--runs", run.toString(), "--out", dir.resolve("upstream-monitor").toString());
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(new ObjectMapper().readTree(dir.resolve("upstream-monitor/monitor.json").toFile()).get("runs").get(0)
        .get("transaction_rows_quarantined").asLong()).isEqualTo(refused);
    assertThat(one.out()).contains("    and " + refused + " trade-table row" + (refused == 1 ? "" : "s")
        + " refused before the features\n");
    assertThat(Files.readString(dir.resolve("upstream-monitor/monitor.html"))).contains("; and " + refused
        + " trade-table row");
  }

  private static double[] gradeShares(Path scores) throws Exception {
    List<String> lines = Files.readAllLines(scores);
    int c = List.of(lines.get(0).split(",")).indexOf("grade");
    double[] shares = new double[9];
    for (String line : lines.subList(1, lines.size())) {
      String g = line.split(",", -1)[c];
      shares[g.equals("D") ? 8 : Integer.parseInt(g) - 1] += 1.0 / (lines.size() - 1);
    }
    return shares;
  }

  @Test
  void badRuns_oneLine_exit2() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliRun none = CliRun.of("monitor", "--runs", runs.get(0), empty.toString(), "--out", dir.resolve("x").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err().strip()).contains(empty.toString()).contains("no run manifest").doesNotContain("\n");

    CliRun otherModel = CliRun.of("monitor", "--runs", runs.get(0), "--model", "smb-supply-chain-gbdt", "--out",
        dir.resolve("y").toString());
    assertThat(otherModel.code()).isEqualTo(2);
    assertThat(otherModel.err()).contains("scored with the model of SHA-256");

    CliRun reference = CliRun.of("monitor", "--runs", runs.get(0), runs.get(1), "--reference", dir.resolve("p").toString(),
        "--out", dir.resolve("z").toString());
    assertThat(reference.code()).isEqualTo(2);
    assertThat(reference.err()).contains("not one of --runs");
  }

  /**
   * {@code --reference} names one of {@code --runs} however it is spelled: through a link to the
   * run's folder the report is the one {@code --reference} gives with the folder as {@code --runs}
   * names it, file for file (until 2026-12-07 refused as "not one of --runs").
   */
  @Test
  void reference_throughALinkToTheRunsFolder_isThatRun() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("second-run-link"), Path.of(runs.get(1)).toAbsolutePath());
    CliRun direct = CliRun.of("monitor", "--runs", runs.get(0), runs.get(1), "--reference", runs.get(1), "--out",
        dir.resolve("ref-direct").toString());
    assertThat(direct.code()).as(direct.err()).isZero();
    CliRun linked = CliRun.of("monitor", "--runs", runs.get(0), runs.get(1), "--reference", link.toString(), "--out",
        dir.resolve("ref-linked").toString());
    assertThat(linked.code()).as(linked.err()).isZero();
    List<String> names = new ArrayList<>();
    try (var files = Files.list(dir.resolve("ref-direct"))) {
      files.forEach(f -> names.add(f.getFileName().toString()));
    }
    assertThat(names).isNotEmpty();
    for (String name : names) {
      assertThat(Files.readString(dir.resolve("ref-linked").resolve(name)).replace("ref-linked", "ref-direct"))
          .as(name).isEqualTo(Files.readString(dir.resolve("ref-direct").resolve(name)));
    }
  }
}

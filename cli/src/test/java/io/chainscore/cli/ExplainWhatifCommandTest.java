package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainscore.batch.scoring.FeatureRows;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainWhatifCommandTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void explainAndWhatif_onAScoredPortfolio() throws Exception {
    assertThat(run("demo", "--suppliers", "200", "--out", dir.toString()).code()).isZero();
    Path features = dir.resolve("features.arrow");
    ModelBundle bundle = DefaultModels.scorecard();
    Map<String, double[]> rows = FeatureRows.read(features, bundle);
    ScoreResult expected = bundle.scorer().score(rows.get("S0000010"));

    CliRun explain = run("explain", "--features", features.toString(), "--supplier", "S0000010");
    assertThat(explain.code()).as(explain.err()).isZero();
    assertThat(explain.out()).contains(String.format(java.util.Locale.ROOT, "Score %.0f", expected.points()))
        .contains("grade " + expected.grade()).contains("on_time_delivery_rate_12m").contains("(base points)");

    CliRun whatif = run("whatif", "--features", features.toString(), "--supplier", "S0000010",
        "--set", "on_time_delivery_rate_12m=0.3");
    assertThat(whatif.code()).as(whatif.err()).isZero();
    double[] edited = rows.get("S0000010").clone();
    edited[bundle.schema().indexOf("on_time_delivery_rate_12m")] = 0.3;
    ScoreResult after = bundle.scorer().score(edited);
    assertThat(whatif.out()).contains(String.format(java.util.Locale.ROOT, "after:  Score %.0f", after.points()))
        .contains(String.format(java.util.Locale.ROOT, "change: %+.0f points", after.points() - expected.points()));

    Path table = dir.resolve("whatif.csv");
    CliRun file = run("whatif", "--features", features.toString(), "--scale", "growth_3m_yoy=0.5", "--out", table.toString());
    assertThat(file.code()).as(file.err()).isZero();
    List<String> lines = Files.readAllLines(table);
    assertThat(lines).hasSize(201);
    assertThat(lines.get(0)).startsWith("supplier_id,score_before,score_after,pd_before,pd_after,grade_before,grade_after,"
        + "reason_1_before,reason_1_text_before,").endsWith(",reason_4_after,reason_4_text_after");
    // The table is written by the shared CSV writer, so the shared strict reader reads it back to
    // the scorer's exact values (Double.toString's exponent forms are not written).
    ModelBundle model = DefaultModels.scorecard();
    Map<String, double[]> featureRows = FeatureRows.read(features, model);
    try (io.chainscore.tables.CsvReader csv = io.chainscore.tables.CsvReader.open(table)) {
      int[] at = csv.columnsOf(io.chainscore.tables.PortfolioTables.WHATIF);
      int checked = 0;
      while (csv.next()) {
        ScoreResult before = model.scorer().score(featureRows.get(csv.text(at[0])));
        assertThat(csv.number(at[1], Double.NaN)).isEqualTo(before.points());
        assertThat(csv.number(at[3], Double.NaN)).isEqualTo(before.pd());
        assertThat(csv.text(at[5])).isEqualTo(before.grade());
        checked++;
      }
      assertThat(checked).isEqualTo(200);
    }
    assertThat(lines).noneMatch(l -> l.contains("E-"));

    CliRun bad = run("whatif", "--set", "no_such_feature=1");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown feature 'no_such_feature'").doesNotContain("\tat ");
    CliRun badValue = run("explain", "--set", "sector=mining");
    assertThat(badValue.code()).isEqualTo(2);
    assertThat(badValue.err()).contains("--set sector=mining: unknown category");
    CliRun hexValue = run("explain", "--set", "growth_3m_yoy=0x1p3");
    assertThat(hexValue.code()).isEqualTo(2);
    assertThat(hexValue.err()).contains("growth_3m_yoy=0x1p3: not a number; expected a decimal such as -12.5");
    CliRun paddedFactor = run("whatif", "--scale", "growth_3m_yoy= 2");
    assertThat(paddedFactor.code()).isEqualTo(2);
    assertThat(paddedFactor.err()).contains("the factor is not a number");
  }

  @Test
  void scoreAndExplain_bundledModelByName() throws Exception {
    assertThat(run("demo", "--suppliers", "150", "--out", dir.toString()).code()).isZero();
    Path features = dir.resolve("features.arrow");
    ModelBundle gbdt = DefaultModels.gbdt();
    ScoreResult expected = gbdt.scorer().score(FeatureRows.read(features, gbdt).get("S0000007"));

    Path scores = dir.resolve("by-name.csv");
    CliRun score = run("score", "--model", DefaultModels.GBDT, "--features", features.toString(), "--as-of", "2025-06-30",
        "--out", scores.toString());
    assertThat(score.code()).as(score.err()).isZero();
    String row = Files.readAllLines(scores).stream().filter(l -> l.startsWith("S0000007,")).findFirst().orElseThrow();
    assertThat(row).contains(",smb-supply-chain-gbdt,").contains("," + expected.grade() + ",");
    assertThat(Double.parseDouble(row.split(",")[3])).isCloseTo(expected.pd(), org.assertj.core.api.Assertions.within(1e-12));

    CliRun explain = run("explain", "--model", DefaultModels.GBDT, "--features", features.toString(), "--supplier", "S0000007");
    assertThat(explain.code()).as(explain.err()).isZero();
    assertThat(explain.out()).contains("smb-supply-chain-gbdt").contains("grade " + expected.grade());

    CliRun unknown = run("score", "--model", "smb-supply-chain-nothing", "--features", features.toString(), "--as-of",
        "2025-06-30", "--out", dir.resolve("x.csv").toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("smb-supply-chain-nothing").doesNotContain("\tat ");
  }

  /**
   * A supplier whose own row of the suppliers table {@code features} refused has no row in the
   * feature table: explain and whatif say so from the quarantine that run kept beside the table
   * (until 2026-12-07 only "has no supplier", as for an id the portfolio does not hold).
   */
  @Test
  void explainAndWhatif_supplierTheFeaturesRunRefused_sayWhyFromItsQuarantine() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("june.csv"), 20, 7, null);
    Path quarantine = Files.writeString(dir.resolve("june.quarantine.csv"), "table,file,row,record_id,field,reason\n"
        + "supplier,p/suppliers.csv,4,S0000999,sector,unknown sector \"space_mining\"\n"
        + "invoice,p/invoices.csv,9,S0000999-I1,supplier_id,'S0000999' is not a known supplier\n");
    String why = features + " has no supplier 'S0000999'; its features were not computed: " + quarantine
        + " lists its supplier row: p/suppliers.csv, row 4, column sector: unknown sector \"space_mining\"";
    CliRun explain = run("explain", "--model", model.toString(), "--features", features.toString(), "--supplier", "S0000999");
    assertThat(explain.code()).isEqualTo(2);
    assertThat(explain.err().strip()).isEqualTo("chainscore explain: " + why);
    CliRun whatif = run("whatif", "--model", model.toString(), "--features", features.toString(), "--supplier",
        "S0000999", "--scale", "days_beyond_terms_avg=2");
    assertThat(whatif.code()).isEqualTo(2);
    assertThat(whatif.err().strip()).isEqualTo("chainscore whatif: " + why);
    // an id the quarantine does not hold as a supplier row: no reason is made up
    CliRun other = run("explain", "--model", model.toString(), "--features", features.toString(), "--supplier", "S0000998");
    assertThat(other.err().strip()).isEqualTo("chainscore explain: " + features + " has no supplier 'S0000998'");
  }

  @Test
  void explainAndWhatif_oneSupplier_otherRowsRefused_explainTheSupplier_andRefuseOnlyItsOwnBadRow() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 50, 7, null);
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(features));
    lines.add("S0000901,12,0.01,30,MINING,0.9");      // a sector the scorecard does not know
    lines.add("S0000902,twelve,0.01,30,RETAIL,0.9");  // a number the reader cannot parse
    Files.write(features, lines);
    ModelBundle bundle = ModelBundle.read(model);
    List<String> clean = lines.subList(0, 51);
    Path reference = Files.write(dir.resolve("clean.csv"), clean);
    ScoreResult expected = bundle.scorer().score(FeatureRows.read(reference, bundle).get("S0000010"));

    // a table score quarantines two rows of still explains its other suppliers
    CliRun explain = run("explain", "--model", model.toString(), "--features", features.toString(), "--supplier", "S0000010");
    assertThat(explain.code()).as(explain.err()).isZero();
    assertThat(explain.out()).contains(String.format(java.util.Locale.ROOT, "Score %.0f", expected.points()))
        .contains("grade " + expected.grade());
    CliRun whatif = run("whatif", "--model", model.toString(), "--features", features.toString(), "--supplier",
        "S0000010", "--set", "months_with_anchor=3");
    assertThat(whatif.code()).as(whatif.err()).isZero();

    // the refused rows themselves: one line naming the file, row and column, exit 2
    CliRun unknown = run("explain", "--model", model.toString(), "--features", features.toString(), "--supplier", "S0000901");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains(features + ", row 51, column sector: unknown category 'MINING'");
    CliRun unparsed = run("explain", "--model", model.toString(), "--features", features.toString(), "--supplier", "S0000902");
    assertThat(unparsed.code()).isEqualTo(2);
    assertThat(unparsed.err()).contains(features + ", row 52, column days_beyond_terms_avg").doesNotContain("\tat ");
    // an id no row has: the refused rows are others' (their ids were read)
    CliRun absent = run("explain", "--model", model.toString(), "--features", features.toString(), "--supplier", "S0000999");
    assertThat(absent.code()).isEqualTo(2);
    assertThat(absent.err()).contains("has no supplier 'S0000999'");
    // a row without a readable id may be the supplier's: it is named
    lines.add(",12,0.01,30,RETAIL,0.9");
    Files.write(features, lines);
    CliRun unknownId = run("explain", "--model", model.toString(), "--features", features.toString(), "--supplier", "S0000999");
    assertThat(unknownId.code()).isEqualTo(2);
    assertThat(unknownId.err()).contains(features + ", row 53, column supplier_id: no readable row has the id"
        + " 'S0000999', and 1 row without a readable id could not be read; the first: ");
    assertThat(run("explain", "--model", model.toString(), "--features", features.toString(), "--supplier",
        "S0000010").code()).isZero();
    CliRun absentInClean = run("explain", "--model", model.toString(), "--features", reference.toString(), "--supplier", "S0000999");
    assertThat(absentInClean.code()).isEqualTo(2);
    assertThat(absentInClean.err()).contains("has no supplier 'S0000999'");
  }

  /**
   * A supplier with two rows of the feature table (at other values): which one to explain is not
   * known, so explain and whatif --supplier refuse it naming the second row, exit 2; until
   * 2026-12-08 the first was explained, exit 0, nothing said. Another supplier of the table is
   * still explained.
   */
  @Test
  void explainAndWhatif_supplierListedTwice_isRefusedNamingTheSecondRow() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 20, 7, null);
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(features));
    String id = lines.get(10).substring(0, lines.get(10).indexOf(','));   // data row 10's supplier
    lines.add(id + ",3,0.2,5,RETAIL,0.1");
    Files.write(features, lines);
    int repeatRow = lines.size() - 1;
    for (String[] args : new String[][] {
        {"explain", "--model", model.toString(), "--features", features.toString(), "--supplier", id},
        {"whatif", "--model", model.toString(), "--features", features.toString(), "--supplier", id, "--set",
            "months_with_anchor=3"}}) {
      CliRun run = run(args);
      assertThat(run.code()).as(run.out() + run.err()).isEqualTo(2);
      assertThat(run.err().strip()).startsWith("chainscore " + args[0] + ": " + features + ", row " + repeatRow
          + ", column supplier_id: ").contains("row 10").doesNotContain("\n");
    }
    String other = lines.get(11).substring(0, lines.get(11).indexOf(','));
    assertThat(run("explain", "--model", model.toString(), "--features", features.toString(), "--supplier",
        other).code()).isZero();
  }

  /**
   * The whole-table what-if quarantines the rows score quarantines, with the same reasons (score's
   * quarantine of the same table is the reference), writes the others, and exits 3; a clean rerun
   * with --overwrite removes the earlier quarantine, and without it an existing one is refused.
   */
  @Test
  void whatifTable_quarantinesTheRowsScoreQuarantines_exit3() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 200, 9, "2025-06-30");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(features));
    lines.add("S0000901,12,0.01,30,MINING,0.9,2025-06-30");      // a sector the scorecard does not know
    lines.add("S0000902,twelve,0.01,30,RETAIL,0.9,2025-06-30");  // a number the reader cannot parse
    lines.add("S0000903,12,0.01,30,RETAIL,1.9,2025-06-30");      // outside on_time_delivery_rate's range
    lines.add("S0000904,,,,,,2025-06-30");                        // a missing value the policy refuses
    lines.add(lines.get(7));                                      // S0000007 again
    Files.write(features, lines);
    CliRun score = run("score", "--model", model.toString(), "--features", features.toString(), "--as-of",
        "2025-06-30", "--out", dir.resolve("s/s.csv").toString(), "--quiet");
    assertThat(score.code()).as(score.err()).isEqualTo(3);
    Path table = dir.resolve("w/w.csv");
    CliRun whatif = run("whatif", "--model", model.toString(), "--features", features.toString(), "--scale",
        "dilution_rate_12m=2", "--out", table.toString());
    assertThat(whatif.code()).as(whatif.err()).isEqualTo(3);
    assertThat(whatif.out()).contains("Rescored 200 suppliers").contains("Quarantined 5 rows: " + dir.resolve("w/w.quarantine.csv"));
    List<String> quarantined = Files.readAllLines(dir.resolve("w/w.quarantine.csv"));
    assertThat(quarantined).hasSize(6).isEqualTo(Files.readAllLines(dir.resolve("s/s.quarantine.csv")));
    assertThat(quarantined.get(4)).startsWith("204,S0000904,months_with_anchor,missing value (NaN) refused");
    // every row named by its supplier, the reader's refusal and the repeat too
    assertThat(quarantined.stream().skip(1).map(l -> l.split(",")[1]))
        .containsExactly("S0000901", "S0000902", "S0000903", "S0000904", "S0000007");
    java.util.Set<String> scored = new java.util.TreeSet<>();
    Files.readAllLines(dir.resolve("s/s.csv")).stream().skip(1).forEach(l -> scored.add(l.split(",")[0]));
    java.util.Set<String> rescored = new java.util.TreeSet<>();
    Files.readAllLines(table).stream().skip(1).forEach(l -> rescored.add(l.split(",")[0]));
    assertThat(rescored).hasSize(200).isEqualTo(scored);

    CliRun again = run("whatif", "--model", model.toString(), "--features", features.toString(), "--scale",
        "dilution_rate_12m=2", "--out", table.toString());
    assertThat(again.code()).isEqualTo(2);
    Path clean = Files.write(dir.resolve("clean.csv"), lines.subList(0, 201));
    CliRun rerun = run("whatif", "--model", model.toString(), "--features", clean.toString(), "--scale",
        "dilution_rate_12m=2", "--out", table.toString(), "--overwrite");
    assertThat(rerun.code()).as(rerun.err()).isZero();
    assertThat(dir.resolve("w/w.quarantine.csv")).doesNotExist();

    // rows in the table's order, as score writes them (whatif sorted them by id until 2026-12-06)
    List<String> reversed = new java.util.ArrayList<>(lines.subList(1, 201));
    java.util.Collections.reverse(reversed);
    reversed.add(0, lines.get(0));
    Path backwards = Files.write(dir.resolve("backwards.csv"), reversed);
    assertThat(run("score", "--model", model.toString(), "--features", backwards.toString(), "--as-of", "2025-06-30",
        "--out", dir.resolve("b/s.csv").toString(), "--quiet").code()).isZero();
    assertThat(run("whatif", "--model", model.toString(), "--features", backwards.toString(), "--scale",
        "dilution_rate_12m=2", "--out", dir.resolve("b/w.csv").toString()).code()).isZero();
    List<String> scoredOrder = Files.readAllLines(dir.resolve("b/s.csv")).stream().skip(1).map(l -> l.split(",")[0]).toList();
    assertThat(Files.readAllLines(dir.resolve("b/w.csv")).stream().skip(1).map(l -> l.split(",")[0]).toList())
        .hasSize(200).isEqualTo(scoredOrder).isEqualTo(reversed.stream().skip(1).map(l -> l.split(",")[0]).toList());
  }

  /** The rows of a CSV table: each row's fields by column name, read with the project's strict reader. */
  private static List<Map<String, String>> csvRows(Path file) throws Exception {
    List<Map<String, String>> rows = new java.util.ArrayList<>();
    try (io.chainscore.tables.CsvReader csv = io.chainscore.tables.CsvReader.open(file)) {
      while (csv.next()) {
        Map<String, String> row = new java.util.LinkedHashMap<>();
        for (int f = 0; f < csv.header().size(); f++) {
          row.put(csv.header().get(f), csv.text(f));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /**
   * A whole-table scenario that takes some suppliers' values out of the feature's range: those
   * suppliers are quarantined (row, id, feature and the edit's words), every other one is
   * rescored as the scorer scores its edited row, exit 3; with --scaled-values nearest the values
   * become the range's bound and every supplier is rescored, exit 0. A supplier whose edited row
   * the policies refuse is quarantined too. The reference is the input file itself (which rows
   * leave the range) and the scorer's API on hand-edited rows.
   */
  @Test
  void whatifTable_scaledBeyondTheRange_quarantinedOrMovedToTheNearest() throws Exception {
    Path model = TestRuns.model(dir);
    Path features = TestRuns.cleanFeatures(dir.resolve("f.csv"), 200, 9, "2025-06-30");
    ModelBundle bundle = ModelBundle.read(model);
    List<String> lines = Files.readAllLines(features);
    int rate = bundle.schema().indexOf("on_time_delivery_rate");
    Map<String, double[]> rows = FeatureRows.read(features, bundle);
    // which suppliers 1.6 times takes above 1, and their data rows, from the file's own lines
    Map<String, Long> beyond = new java.util.LinkedHashMap<>();
    for (int k = 1; k < lines.size(); k++) {
      String[] f = lines.get(k).split(",", -1);
      if (!f[5].isEmpty() && Double.parseDouble(f[5]) * 1.6 > 1) {
        beyond.put(f[0], (long) k);
      }
    }
    assertThat(beyond.size()).isBetween(40, 160);

    Path table = dir.resolve("q/w.csv");
    CliRun run = run("whatif", "--model", model.toString(), "--features", features.toString(), "--scale",
        "on_time_delivery_rate=1.6", "--out", table.toString());
    assertThat(run.code()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).isEmpty();
    Path quarantine = dir.resolve("q/w.quarantine.csv");
    assertThat(run.out()).contains("Rescored " + (lines.size() - 1 - beyond.size()) + " suppliers")
        .contains("Quarantined " + beyond.size() + " rows: " + quarantine)
        .contains("(" + beyond.size() + " of them: a --scale took the value outside what the feature takes;"
            + " --scaled-values nearest moves such values to the nearest valid one)");
    List<Map<String, String>> refused = csvRows(quarantine);
    assertThat(refused).hasSize(beyond.size());
    int k = 0;
    for (Map.Entry<String, Long> b : beyond.entrySet()) {
      Map<String, String> q = refused.get(k++);
      assertThat(q.get("row")).isEqualTo(Long.toString(b.getValue()));
      assertThat(q.get("record_id")).isEqualTo(b.getKey());
      assertThat(q.get("column")).isEqualTo("on_time_delivery_rate");
      double before = rows.get(b.getKey())[rate];
      // as a person writes numbers: 1 for 1.0
      String written = before == 1 ? "1" : Double.toString(before);
      assertThat(q.get("reason")).isEqualTo("--scale on_time_delivery_rate=1.6: supplier " + b.getKey()
          + "'s on_time_delivery_rate " + written + " becomes " + (before * 1.6)
          + ", outside the feature's valid range [0, 1]");
    }
    List<Map<String, String>> written = csvRows(table);
    assertThat(written.stream().map(r -> r.get("supplier_id")).toList()).isEqualTo(rows.keySet().stream()
        .filter(id -> !beyond.containsKey(id)).toList());
    for (Map<String, String> w : written) {
      double[] edited = rows.get(w.get("supplier_id")).clone();
      edited[rate] *= 1.6;
      assertThat(Double.parseDouble(w.get("pd_after"))).isEqualTo(bundle.scorer().score(edited).pd());
    }

    // the same scenario with the values moved to the nearest valid one: everyone rescored, exit 0
    Path nearest = dir.resolve("n/w.csv");
    CliRun moved = run("whatif", "--model", model.toString(), "--features", features.toString(), "--scale",
        "on_time_delivery_rate=1.6", "--scaled-values", "nearest", "--out", nearest.toString(), "--json");
    assertThat(moved.code()).as(moved.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(moved.out());
    assertThat(j.get("suppliers").asLong()).isEqualTo(lines.size() - 1);
    assertThat(j.get("scaled_to_nearest").asLong()).isEqualTo(beyond.size());
    assertThat(j.get("quarantined").asLong()).isZero();
    assertThat(dir.resolve("n/w.quarantine.csv")).doesNotExist();
    for (Map<String, String> w : csvRows(nearest)) {
      double[] edited = rows.get(w.get("supplier_id")).clone();
      edited[rate] = beyond.containsKey(w.get("supplier_id")) ? 1.0 : edited[rate] * 1.6;
      ScoreResult expected = bundle.scorer().score(edited);
      assertThat(Double.parseDouble(w.get("pd_after"))).isEqualTo(expected.pd());
      assertThat(w.get("grade_after")).isEqualTo(expected.grade());
    }
    String one = beyond.keySet().iterator().next();
    CliRun single = run("whatif", "--model", model.toString(), "--features", features.toString(), "--supplier", one,
        "--scale", "on_time_delivery_rate=1.6", "--scaled-values", "nearest");
    assertThat(single.code()).as(single.err()).isZero();
    assertThat(single.out()).contains("1 scaled value outside what the feature takes became the nearest valid value");
    CliRun singleRefused = run("whatif", "--model", model.toString(), "--features", features.toString(), "--supplier",
        one, "--scale", "on_time_delivery_rate=1.6");
    assertThat(singleRefused.code()).isEqualTo(2);
    assertThat(singleRefused.err().strip()).startsWith("chainscore whatif: --scale on_time_delivery_rate=1.6: supplier "
        + one + "'s on_time_delivery_rate ");

    // an edit after which the policies refuse every row (months_with_anchor may not be missing)
    CliRun missing = run("whatif", "--model", model.toString(), "--features", features.toString(), "--set",
        "months_with_anchor=missing", "--out", dir.resolve("m/w.csv").toString());
    assertThat(missing.code()).as(missing.err()).isEqualTo(3);
    List<Map<String, String>> all = csvRows(dir.resolve("m/w.quarantine.csv"));
    assertThat(all).hasSize(lines.size() - 1);
    assertThat(all.get(0).get("column")).isEqualTo("months_with_anchor");
    assertThat(all.get(0).get("reason")).startsWith("after the edits: missing value (NaN) refused");
    assertThat(csvRows(dir.resolve("m/w.csv"))).isEmpty();
    // one supplier: refused in the same words, naming the supplier (it said "row 0")
    CliRun missingOne = run("whatif", "--model", model.toString(), "--features", features.toString(), "--supplier", one,
        "--set", "months_with_anchor=missing");
    assertThat(missingOne.code()).isEqualTo(2);
    assertThat(missingOne.err().strip()).startsWith("chainscore whatif: supplier " + one
        + ", after the edits: months_with_anchor: missing value (NaN) refused").doesNotContain("row 0");
    CliRun explainMissing = run("explain", "--model", model.toString(), "--features", features.toString(), "--supplier",
        one, "--set", "months_with_anchor=missing");
    assertThat(explainMissing.code()).isEqualTo(2);
    assertThat(explainMissing.err().strip()).startsWith("chainscore explain: supplier " + one
        + ", after the edits: months_with_anchor: missing value (NaN) refused");
    CliRun explainSetOnly = run("explain", "--model", model.toString(), "--set", "sector=RETAIL");
    assertThat(explainSetOnly.code()).isEqualTo(2);
    assertThat(explainSetOnly.err().strip()).startsWith("chainscore explain: the row the --set values give: ")
        .doesNotContain("row 0");

    CliRun bad = run("whatif", "--model", model.toString(), "--features", features.toString(), "--scale",
        "on_time_delivery_rate=1.6", "--scaled-values", "clamp", "--out", dir.resolve("b/w.csv").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err().strip()).isEqualTo("chainscore whatif: --scaled-values clamp: expected refuse or nearest");
    assertThat(dir.resolve("b/w.csv")).doesNotExist();
  }
}

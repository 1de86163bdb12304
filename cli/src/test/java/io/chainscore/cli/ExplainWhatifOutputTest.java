package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.batch.scoring.FeatureRows;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code explain}, {@code whatif} and {@code demo} show a person: reason codes with their
 * customer-facing statements, PD changes in percentage points, JSON numbers as numbers (never
 * -0.0), and bad command-line values refused with exit 2 naming the feature, value and range.
 */
class ExplainWhatifOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUPPLIER = "S0000010";

  @TempDir static Path dir;
  static Path features;
  static String demoOut;
  static ModelBundle bundle;
  static Map<String, String> statements = new HashMap<>();

  @BeforeAll
  static void demo() throws Exception {
    CliRun demo = CliRun.of("demo", "--suppliers", "200", "--work-dir", dir.toString());
    assertThat(demo.code()).as(demo.err()).isIn(0, 3);
    demoOut = demo.out();
    features = dir.resolve("features.arrow");
    bundle = DefaultModels.scorecard();
    // the statements straight from the bundle file, not through the runtime's reason-code table
    JsonNode file = JSON.readTree(DefaultModels.class.getResourceAsStream(DefaultModels.SCORECARD + ".json"));
    file.get("reason_codes").forEach(r -> statements.put(r.get("code").asText(), r.get("text").asText()));
  }

  private static boolean negativeZero(double x) {
    return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(-0.0);
  }

  /** Every number in the tree, with its path, for the -0.0 check. */
  private static void numbers(JsonNode node, String at, Map<String, Double> out) {
    if (node.isNumber()) {
      out.put(at, node.doubleValue());
    }
    node.fields().forEachRemaining(e -> numbers(e.getValue(), at + "." + e.getKey(), out));
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        numbers(node.get(i), at + "[" + i + "]", out);
      }
    }
  }

  @Test
  void explainJson_numbersAreNumbers_missingIsNull_noNegativeZero_reasonsHaveStatements() throws Exception {
    // a row with four of the nine features the scorecard uses missing (the most its
    // max_missing_share 0.5 takes): their missing bins include 0-point bins, whose contribution was
    // written -0.0 before
    CliRun run = CliRun.of("explain", "--set", "on_time_delivery_rate_12m=0.9", "--set", "avg_days_past_due_12m=3.5",
        "--set", "sector=textiles", "--set", "financing_utilisation=0.5", "--set", "firm_age_years=4",
        "--set", "dilution_rate_12m=0.01", "--json");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContainPattern("-0\\.0(?![0-9])").doesNotContain("\"value\" : \"missing\"");
    JsonNode j = JSON.readTree(run.out());
    Map<String, Double> all = new HashMap<>();
    numbers(j, "$", all);
    assertThat(all).isNotEmpty();
    all.forEach((at, x) -> assertThat(negativeZero(x)).as(at).isFalse());
    int nulls = 0;
    for (JsonNode item : j.get("items")) {
      String feature = item.get("feature").asText();
      JsonNode value = item.get("value");
      switch (feature) {
        case "on_time_delivery_rate_12m" -> assertThat(value.isNumber() && value.doubleValue() == 0.9).isTrue();
        case "avg_days_past_due_12m" -> assertThat(value.isNumber() && value.doubleValue() == 3.5).isTrue();
        case "financing_utilisation" -> assertThat(value.isNumber() && value.doubleValue() == 0.5).isTrue();
        case "firm_age_years" -> assertThat(value.isNumber() && value.doubleValue() == 4).isTrue();
        case "dilution_rate_12m" -> assertThat(value.isNumber() && value.doubleValue() == 0.01).isTrue();
        case "sector" -> assertThat(value.asText()).isEqualTo("textiles");
        default -> {
          assertThat(value.isNull()).as(feature).isTrue();
          nulls++;
        }
      }
      assertThat(item.get("points").isNumber() && item.get("contribution").isNumber()).isTrue();
      String code = item.get("reason_code").asText();
      assertThat(item.get("reason_text").asText()).isEqualTo(statements.get(code));
    }
    assertThat(nulls).isPositive();
    JsonNode codes = j.get("score").get("reason_codes");
    JsonNode reasons = j.get("reasons");
    assertThat(reasons.size()).isEqualTo(codes.size()).isPositive();
    for (int i = 0; i < codes.size(); i++) {
      assertThat(reasons.get(i).get("code").asText()).isEqualTo(codes.get(i).asText());
      assertThat(reasons.get(i).get("text").asText()).isEqualTo(statements.get(codes.get(i).asText())).isNotBlank();
    }
    // a zero contribution is there and is +0.0
    assertThat(all.entrySet().stream().filter(e -> e.getKey().endsWith(".contribution") && e.getValue() == 0)).isNotEmpty();
  }

  @Test
  void explainText_printsStatementsAndUnsignedZeros() {
    CliRun run = CliRun.of("explain", "--features", features.toString(), "--supplier", SUPPLIER);
    assertThat(run.code()).as(run.err()).isZero();
    ScoreResult expected = bundle.scorer().score(rows().get(SUPPLIER));
    assertThat(run.out()).contains("Reasons, most adverse first:").doesNotContain("-0.0000").doesNotContain("+0.0000");
    for (String code : expected.reasonCodes()) {
      assertThat(run.out()).containsPattern("(?m)^  " + code + " +\\d+\\.\\d  " + java.util.regex.Pattern.quote(statements.get(code))
          + "$");
    }
    CliRun missing = CliRun.of("explain", "--set", "on_time_delivery_rate_12m=0.9", "--set", "avg_days_past_due_12m=1",
        "--set", "sector=textiles", "--set", "financing_utilisation=0.5", "--set", "firm_age_years=4",
        "--set", "dilution_rate_12m=0.01");
    assertThat(missing.code()).as(missing.err()).isZero();
    assertThat(missing.out()).contains(" 0.0000 ").doesNotContain("-0.0000").doesNotContain("+0.0000");
  }

  /**
   * A tree model's reasons are ranked by each code's contributions minus the approved population's
   * mean (docs/adverse-action.md); the table showed the contributions beside a "below" column of
   * zeros, so a reason ranked adverse read as favourable (a negative contribution). The reasons now
   * show the weight that ranked them, re-derived here from the library's explanation and the
   * reference read from the bundle: the listed codes are the largest positive weights, in order.
   */
  @Test
  void explainText_treeReasons_showTheWeightThatRankedThem() throws Exception {
    ModelBundle gbdt = DefaultModels.gbdt();
    Map<String, double[]> gbdtRows = FeatureRows.read(features, gbdt);
    io.chainscore.scoring.Explanation e = gbdt.scorer().explain(gbdtRows.get(SUPPLIER));
    Map<String, Double> weight = new HashMap<>();
    for (io.chainscore.scoring.Explanation.Item item : e.items()) {
      weight.merge(item.reasonCode(), item.contribution(), Double::sum);
    }
    ModelBundle.ReasonReference reference = gbdt.reasonReference();
    assertThat(reference.method()).isEqualTo(ModelBundle.ReasonReference.APPROVED_POPULATION);
    weight.replaceAll((code, sum) -> sum - reference.contributions().getOrDefault(code, 0.0));
    List<String> ranked = weight.entrySet().stream().filter(w -> w.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).map(Map.Entry::getKey).limit(4).toList();
    assertThat(e.score().reasonCodes()).isEqualTo(ranked);

    CliRun run = CliRun.of("explain", "--model", "smb-supply-chain-gbdt", "--features", features.toString(),
        "--supplier", SUPPLIER);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("(?m)^characteristic +value bin +points +vs ref +log-odds reason$")
        .contains("vs ref: the log-odds contribution minus its mean over the approved population (");
    for (String code : ranked) {
      assertThat(run.out()).containsPattern("(?m)^  " + code + " +" + java.util.regex.Pattern.quote(
          String.format(Locale.ROOT, "%+.4f", weight.get(code))) + "  \\S");
    }

    // whatif marked with * every characteristic whose tree contribution moved at all (they
    // interact), 0.0 change included: now those whose value or shown change differs
    CliRun whatif = CliRun.of("whatif", "--model", "smb-supply-chain-gbdt", "--features", features.toString(),
        "--supplier", SUPPLIER, "--set", "on_time_delivery_rate_12m=0.99");
    assertThat(whatif.code()).as(whatif.err()).isZero();
    List<String> marked = whatif.out().lines().filter(l -> l.endsWith("  *")).toList();
    assertThat(marked).anyMatch(l -> l.startsWith("on_time_delivery_rate_12m "));
    assertThat(marked).noneMatch(l -> l.matches(".* 0\\.0  \\*$") && !l.startsWith("on_time_delivery_rate_12m "));
  }

  private static Map<String, double[]> rows() {
    try {
      return FeatureRows.read(features, bundle);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void whatif_pdChangeInPercentagePoints_textAndJson() throws Exception {
    double[] before = rows().get(SUPPLIER);
    double[] after = before.clone();
    after[bundle.schema().indexOf("on_time_delivery_rate_12m")] = 0.99;
    ScoreResult b = bundle.scorer().score(before);
    ScoreResult a = bundle.scorer().score(after);
    String[] args = {"whatif", "--features", features.toString(), "--supplier", SUPPLIER, "--set",
        "on_time_delivery_rate_12m=0.99"};
    CliRun text = CliRun.of(args);
    assertThat(text.code()).as(text.err()).isZero();
    double pp = 100 * a.pd() - 100 * b.pd();
    assertThat(Math.abs(pp)).isGreaterThan(0.005);
    String expected = String.format(Locale.ROOT, "PD %.2f%% -> %.2f%% (%+.2f pp)", 100 * b.pd(), 100 * a.pd(), pp);
    assertThat(text.out()).contains(expected).contains("Reasons before:").contains("Reasons after:");
    for (String code : a.reasonCodes()) {
      assertThat(text.out()).contains("  " + code + " ").contains(statements.get(code));
    }

    List<String> withJson = new ArrayList<>(List.of(args));
    withJson.add("--json");
    CliRun json = CliRun.of(withJson.toArray(String[]::new));
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode j = JSON.readTree(json.out());
    assertThat(j.get("pd_change_pp").isNumber()).isTrue();
    assertThat(j.get("pd_change_pp").doubleValue()).isCloseTo(pp, within(1e-12));
    assertThat(j.get("points_change").doubleValue()).isEqualTo(a.points() - b.points());
    assertThat(j.get("after").get("score").get("pd").doubleValue()).isEqualTo(a.pd());
    assertThat(j.get("after").get("reasons").get(0).get("text").asText()).isEqualTo(statements.get(a.reasonCodes().get(0)));
  }

  /**
   * The table is written in the format its extension names, as every table the tool writes: the
   * same rows and values in CSV, Arrow and Parquet, read back by the tool's readers (until
   * 2026-12-05 only CSV was written, and before that CSV text under any name). A name with no
   * table format, or an Arrow stream, is refused with nothing written.
   */
  @Test
  void whatifTable_isWrittenInTheFormatItsNameSays() throws Exception {
    java.util.List<java.util.List<String>> tables = new java.util.ArrayList<>();
    for (String name : new String[] {"w.csv", "w.arrow", "w.parquet"}) {
      Path table = dir.resolve("formats/" + name);
      CliRun run = CliRun.of("whatif", "--features", features.toString(), "--set", "on_time_delivery_rate_12m=0.99",
          "--out", table.toString());
      assertThat(run.code()).as(name + ": " + run.err()).isZero();
      tables.add(readBack(table));
    }
    assertThat(tables.get(0)).hasSize(rows().size());
    assertThat(tables.get(1)).isEqualTo(tables.get(0));
    assertThat(tables.get(2)).isEqualTo(tables.get(0));
    assertThat(Files.readString(dir.resolve("formats/w.csv"))).startsWith("supplier_id,score_before,");
    assertThat(new String(Files.readAllBytes(dir.resolve("formats/w.parquet")), 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("PAR1");
    for (String name : new String[] {"w.txt", "w.arrows"}) {
      Path table = dir.resolve(name);
      CliRun run = CliRun.of("whatif", "--features", features.toString(), "--set", "on_time_delivery_rate_12m=0.99",
          "--out", table.toString());
      assertThat(run.code()).as(name).isEqualTo(2);
      assertThat(run.err()).startsWith("chainscore whatif: output " + table).contains("expected .csv, .arrow");
      assertThat(table).doesNotExist();
    }
  }

  /** A what-if table's rows as text, one list entry per row, through the batch engine's readers. */
  private static java.util.List<String> readBack(Path table) throws Exception {
    io.chainscore.tables.TableSchema schema = io.chainscore.tables.PortfolioTables.WHATIF;
    java.util.List<String> rows = new java.util.ArrayList<>();
    io.chainscore.batch.io.ColumnBatch batch = new io.chainscore.batch.io.ColumnBatch(schema, 256);
    try (io.chainscore.batch.io.TableReader reader = io.chainscore.batch.io.TableReader.open(table, schema, bad -> {
      throw new AssertionError(bad.getMessage());
    })) {
      while (reader.next(batch)) {
        for (int r = 0; r < batch.size(); r++) {
          StringBuilder row = new StringBuilder();
          for (int c = 0; c < schema.columns().size(); c++) {
            row.append(schema.columns().get(c).type() == io.chainscore.tables.ColumnType.DOUBLE
                ? Double.toString(batch.doubles(c)[r]) : String.valueOf(batch.strings(c)[r])).append('|');
          }
          rows.add(row.toString());
        }
      }
    }
    return rows;
  }

  @Test
  void whatifTable_carriesReasonCodesAndStatementsBeforeAndAfter() throws Exception {
    Path table = dir.resolve("whatif-reasons.csv");
    CliRun run = CliRun.of("whatif", "--features", features.toString(), "--set", "on_time_delivery_rate_12m=0.99",
        "--out", table.toString(), "--overwrite");
    assertThat(run.code()).as(run.err()).isZero();
    Map<String, double[]> rows = rows();
    int edited = bundle.schema().indexOf("on_time_delivery_rate_12m");
    int checked = 0;
    try (io.chainscore.tables.CsvReader csv = io.chainscore.tables.CsvReader.open(table)) {
      int[] at = csv.columnsOf(io.chainscore.tables.PortfolioTables.WHATIF);
      while (csv.next()) {
        double[] row = rows.get(csv.text(at[0]));
        double[] after = row.clone();
        after[edited] = 0.99;
        List<List<String>> sides = List.of(bundle.scorer().score(row).reasonCodes(), bundle.scorer().score(after).reasonCodes());
        for (int side = 0; side < 2; side++) {
          for (int k = 0; k < 4; k++) {
            int column = at[7 + side * 8 + 2 * k];
            List<String> codes = sides.get(side);
            String code = k < codes.size() ? codes.get(k) : "";
            assertThat(csv.text(column)).isEqualTo(code);
            assertThat(csv.text(column + 1)).isEqualTo(code.isEmpty() ? "" : statements.get(code));
          }
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(rows.size());
  }

  @Test
  void demo_listsTheMostFrequentFirstReasonsWithStatements() throws Exception {
    // recount the first reason codes of the demo's score file and rank them (ties: bundle order)
    Map<String, Integer> counts = new HashMap<>();
    List<String> lines = Files.readAllLines(dir.resolve("scores.csv"));
    int column = List.of(lines.get(0).split(",")).indexOf("reason_1");
    for (String line : lines.subList(1, lines.size())) {
      String code = line.split(",", -1)[column];
      if (!code.isEmpty()) {
        counts.merge(code, 1, Integer::sum);
      }
    }
    List<String> order = bundle.reasonCodes().stream().map(ModelBundle.ReasonCode::code).toList();
    List<String> top = counts.keySet().stream()
        .sorted((x, y) -> counts.get(x).equals(counts.get(y)) ? order.indexOf(x) - order.indexOf(y) : counts.get(y) - counts.get(x))
        .limit(4).toList();
    assertThat(top).isNotEmpty();
    String listed = demoOut.substring(demoOut.indexOf("Most frequent first reason codes"));
    String[] listLines = listed.split("\\R");
    for (int i = 0; i < top.size(); i++) {
      String code = top.get(i);
      assertThat(listLines[i + 1]).isEqualTo(String.format(Locale.ROOT, "  %-6s %,7d  %s", code, counts.get(code),
          statements.get(code)));
    }
  }

  /**
   * A whole-number feature (a PMML integer field's): {@code --set} with a fraction, and a {@code
   * --scale} whose product has one, are refused in one line naming the feature (and the supplier),
   * as a value out of range is; a whole value is scored.
   */
  @Test
  void wholeNumberFeature_fractionsBySetOrScale_exit2_namingTheFeature() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
        new ObjectMapper().readTree(DefaultModels.scorecard().toJson());
    for (JsonNode f : root.get("features")) {
      if (f.get("name").asText().equals("invoice_count_12m")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) f).put("whole_number", true);
      }
    }
    Path bundle = dir.resolve("whole-number.json");
    Files.writeString(bundle, ModelBundle.seal(root.toString()).toJson());
    CliRun set = CliRun.of("whatif", "--model", bundle.toString(), "--features", features.toString(), "--supplier",
        SUPPLIER, "--set", "invoice_count_12m=12.5");
    assertThat(set.code()).isEqualTo(2);
    assertThat(set.err().strip()).isEqualTo(
        "chainscore whatif: --set invoice_count_12m=12.5: not a whole number, which the feature takes only");
    // the supplier's count set to 7 first, so that the scaled value is 10.5 whatever the table holds
    CliRun scale = CliRun.of("whatif", "--model", bundle.toString(), "--features", features.toString(), "--supplier",
        SUPPLIER, "--set", "invoice_count_12m=7", "--scale", "invoice_count_12m=1.5");
    assertThat(scale.code()).isEqualTo(2);
    assertThat(scale.err().strip()).isEqualTo("chainscore whatif: --scale invoice_count_12m=1.5: supplier " + SUPPLIER
        + "'s invoice_count_12m 7 becomes 10.5, not a whole number, which the feature takes only");
    assertThat(scale.err().strip().lines()).hasSize(1);
    CliRun whole = CliRun.of("whatif", "--model", bundle.toString(), "--features", features.toString(), "--supplier",
        SUPPLIER, "--set", "invoice_count_12m=12");
    assertThat(whole.code()).as(whole.err()).isZero();
  }

  @Test
  void badCommandLineValues_exit2_namingFeatureValueAndRange() {
    record Case(String[] args, String message) {}
    List<Case> cases = List.of(
        new Case(new String[] {"explain", "--set", "on_time_delivery_rate_12m=1.7"},
            "--set on_time_delivery_rate_12m=1.7: outside the feature's valid range [0, 1]"),
        new Case(new String[] {"explain", "--set", "on_time_delivery_rate_12m=1e308"},
            "--set on_time_delivery_rate_12m=1e308: outside the feature's valid range [0, 1]"),
        new Case(new String[] {"explain", "--set", "on_time_delivery_rate_12m=-0.1"},
            "--set on_time_delivery_rate_12m=-0.1: outside the feature's valid range [0, 1]"),
        new Case(new String[] {"explain", "--set", "growth_3m_yoy=1e999"}, "--set growth_3m_yoy=1e999: not a finite number"),
        new Case(new String[] {"whatif", "--set", "on_time_delivery_rate_12m=1.7"},
            "--set on_time_delivery_rate_12m=1.7: outside the feature's valid range [0, 1]"),
        new Case(new String[] {"whatif", "--set", "sector=mining"}, "--set sector=mining: unknown category; expected one of ["),
        new Case(new String[] {"explain", "--model", DefaultModels.GBDT, "--set", "sector=mining"},
            "--set sector=mining: unknown category"),
        new Case(new String[] {"whatif", "--features", features.toString(), "--supplier", SUPPLIER, "--scale",
            "on_time_delivery_rate_12m=1e308"}, "outside the feature's valid range [0, 1]"),
        // a bad option value: refused before the table is read, no table written
        new Case(new String[] {"whatif", "--features", features.toString(), "--out", dir.resolve("never.csv").toString(),
            "--scale", "on_time_delivery_rate_12m=3", "--scaled-values", "cap"}, "--scaled-values cap: expected refuse or nearest"));
    for (Case c : cases) {
      CliRun run = CliRun.of(c.args());
      assertThat(run.code()).as(String.join(" ", c.args()) + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).contains(c.message()).doesNotContain("\tat ");
      assertThat(run.err().strip().lines()).hasSize(1);
    }
    // the supplier whose scaled value left the range is named, and no half-written table is left
    CliRun scaled = CliRun.of("whatif", "--features", features.toString(), "--supplier", SUPPLIER, "--scale",
        "on_time_delivery_rate_12m=1e308");
    assertThat(scaled.err()).contains("supplier " + SUPPLIER + "'s on_time_delivery_rate_12m");
    assertThat(dir.resolve("never.csv")).doesNotExist();
    assertThat(dir.resolve(".never.csv.tmp")).doesNotExist();
  }
}

package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainscore ecl} (issue #19 section 2) on a hand-made three-facility book, whose stages and
 * ECLs are worked out here from docs/ifrs9.md's formulas, and on two consecutive months of a
 * generated portfolio (stage transfers); bad inputs give one line and exit 2.
 */
class EclCommandTest {
  @TempDir Path dir;

  private void book() throws Exception {
    Files.writeString(dir.resolve("exposures.csv"), String.join("\n",
        "supplier_id,anchor_id,sector,asset_class,drawn,undrawn,ccf,lgd,collateral,maturity_years,annual_sales_eur_m,anchor_sales_share",
        "S1,A1,glass,corporate,1000000,0,0,0.4,unsecured,0.5,10,0.5",
        "S2,A1,textiles,corporate,400000,200000,0.5,0.4,unsecured,3,10,0.5",
        "S3,A2,glass,corporate,200000,0,0,0.4,unsecured,2,10,0.5", ""));
    Files.writeString(dir.resolve("scores.csv"), "supplier_id,pd,grade\nS1,0.02,3\nS2,0.06,6\nS3,1,D\n");
    Files.writeString(dir.resolve("origination.csv"), "supplier_id,pd\nS1,0.02\nS2,0.01\n");
  }

  private CliRun ecl(String out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("ecl", "--scores", dir.resolve("scores.csv").toString(),
        "--exposures", dir.resolve("exposures.csv").toString(), "--origination", dir.resolve("origination.csv").toString(),
        "--out", dir.resolve(out).toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  /**
   * A scores table of a header and no rows is refused as such before any check across files, with a
   * migration matrix estimated from it too: until 2026-12-08 it was read as no scores and refused at
   * the first exposure ("supplier S1 has no score in FILE"), and with --migration-from as a table
   * with no as_of_date.
   */
  @Test
  void scoresOfAHeaderAlone_areRefusedAsNoDataRows() throws Exception {
    book();
    Path scores = Files.writeString(dir.resolve("scores.csv"), "supplier_id,as_of_date,pd,grade\n");
    String expected = "chainscore ecl: " + scores + ": no data rows; expected one row per scored supplier after the"
        + " header (a score run's table)";
    CliRun plain = ecl("e");
    assertThat(plain.code()).as(plain.err()).isEqualTo(2);
    assertThat(plain.err().strip()).isEqualTo(expected);
    Path earlier = Files.writeString(dir.resolve("earlier.csv"), "supplier_id,as_of_date,pd,grade\n"
        + "S1,2025-05-31,0.02,3\n");
    CliRun migrated = ecl("m", "--migration-from", earlier.toString());
    assertThat(migrated.code()).as(migrated.err()).isEqualTo(2);
    assertThat(migrated.err().strip()).isEqualTo(expected);
    assertThat(dir.resolve("e")).doesNotExist();
    assertThat(dir.resolve("m")).doesNotExist();
  }

  private static Map<String, Map<String, String>> rows(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    String[] header = lines.get(0).split(",");
    Map<String, Map<String, String>> rows = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",", -1);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], v[i]);
      }
      rows.put(v[0], row);
    }
    return rows;
  }

  @Test
  void handMadeBook_stagesAndEcls_matchTheFormulas_andJsonTotalsTheFacilities() throws Exception {
    book();
    CliRun run = ecl("run");
    assertThat(run.code()).as(run.err()).isZero();
    // the report names its inputs as given (two months' scores.csv differ by their folders)
    assertThat(Files.readString(dir.resolve("run/ecl.html"))).contains("3 facilities; scores "
        + dir.resolve("scores.csv") + ", origination PDs " + dir.resolve("origination.csv") + ";");
    Map<String, Map<String, String>> f = rows(dir.resolve("run/ecl_facilities.csv"));
    // S1: stage 1, six months at 2%: (1 - 0.98^0.5) x 0.4 x 1,000,000 / 1.08^0.5.
    assertThat(f.get("S1").get("stage")).isEqualTo("1");
    assertThat(Double.parseDouble(f.get("S1").get("ecl")))
        .isCloseTo((1 - Math.sqrt(0.98)) * 0.4e6 / Math.sqrt(1.08), within(1e-6));
    // S2: 1% -> 6% is stage 2; EAD 400,000 + 0.5 x 200,000; three years at a 6% hazard.
    assertThat(f.get("S2").get("stage")).isEqualTo("2");
    assertThat(f.get("S2").get("stage_reason")).contains("significant increase");
    double ead = 500_000;
    double s2 = 0.06 * 0.4 * ead / 1.08 + 0.94 * 0.06 * 0.4 * ead / Math.pow(1.08, 2)
        + 0.94 * 0.94 * 0.06 * 0.4 * ead / Math.pow(1.08, 3);
    assertThat(Double.parseDouble(f.get("S2").get("ecl"))).isCloseTo(s2, within(1e-6));
    // S3: in default (grade D, no origination PD needed): LGD x EAD.
    assertThat(f.get("S3").get("stage")).isEqualTo("3");
    assertThat(f.get("S3").get("origination_pd")).isEmpty();
    assertThat(Double.parseDouble(f.get("S3").get("ecl"))).isCloseTo(80_000, within(1e-6));

    JsonNode json = new ObjectMapper().readTree(dir.resolve("run/ecl.json").toFile());
    double sum = f.values().stream().mapToDouble(r -> Double.parseDouble(r.get("ecl"))).sum();
    assertThat(json.at("/total/ecl").asDouble()).isCloseTo(sum, within(1e-6));
    assertThat(json.at("/total/facilities_by_stage").toString()).isEqualTo("[1,1,1]");
    assertThat(json.get("by_anchor")).hasSize(2);
    assertThat(Files.readString(dir.resolve("run/ecl.html"))).contains("Allowance by stage");
    // the console's coverage to three significant digits (two decimals showed 0.0088% as 0.01%)
    double coverage = 100 * json.at("/total/ecl").asDouble() / json.at("/total/ead").asDouble();
    assertThat(run.out()).contains("(coverage " + new java.math.BigDecimal(coverage)
        .round(new java.math.MathContext(3)).toPlainString() + "%)");
    assertThat(PortfolioSummaryText.threeDigits(100 * 4_643.0 / 52_826_787)).isEqualTo("0.00879");

    // The same inputs give the same bytes; an existing output is refused without --overwrite.
    assertThat(ecl("again").code()).isZero();
    for (String name : List.of("ecl_facilities.csv", "ecl.json", "ecl.html")) {
      assertThat(Files.readAllBytes(dir.resolve("again/" + name))).as(name).isEqualTo(Files.readAllBytes(dir.resolve("run/" + name)));
    }
    CliRun refused = ecl("run");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("already exists; pass --overwrite");
  }

  /**
   * A --days-past-due row whose supplier has no facility in the book stages nothing; it was ignored
   * in silence (exit 0, nothing said), so a table of another book or of ids spelt otherwise left
   * the backstop off unseen. It is counted, the first named with its row, on stderr and in ecl.json;
   * the facilities of the book still take their days (S2's 45 days stage it 2).
   */
  @Test
  void daysPastDue_rowsOfSuppliersNotInTheBook_areCountedAndTheFirstNamed() throws Exception {
    book();
    Path dpd = Files.writeString(dir.resolve("dpd.csv"), "supplier_id,days_past_due\nS2,45\nS0002,60\nS1,0\nX9,90\n");
    CliRun run = ecl("run", "--days-past-due", dpd.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err().strip()).isEqualTo("warning: --days-past-due " + dpd + ": 2 rows of 4 name a supplier with no"
        + " facility in --exposures " + dir.resolve("exposures.csv") + ", left out of the staging (the first: row 2,"
        + " supplier 'S0002')");
    assertThat(rows(dir.resolve("run/ecl_facilities.csv")).get("S2").get("days_past_due")).isEqualTo("45");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("run/ecl.json").toFile());
    assertThat(json.at("/options/days_past_due").asText()).isEqualTo(dpd.toString());
    assertThat(json.at("/options/days_past_due_not_in_book").toString())
        .isEqualTo("{\"first_row\":2,\"first_supplier\":\"S0002\",\"rows\":2}");
    // every row of the book: nothing said, null in ecl.json
    Path inBook = Files.writeString(dir.resolve("dpd-book.csv"), "supplier_id,days_past_due\nS2,45\n");
    CliRun clean = ecl("clean", "--days-past-due", inBook.toString());
    assertThat(clean.code()).as(clean.err()).isZero();
    assertThat(clean.err()).isEmpty();
    assertThat(new ObjectMapper().readTree(dir.resolve("clean/ecl.json").toFile())
        .at("/options/days_past_due_not_in_book").isNull()).isTrue();
  }

  @Test
  void scenariosAndMigration_fromFiles() throws Exception {
    book();
    Files.writeString(dir.resolve("scenarios.csv"), "name,weight,factor\nupside,0.6,0.5\ndownturn,0.4,-1.5\n");
    assertThat(ecl("base").code()).isZero();
    CliRun run = ecl("weighted", "--scenarios", dir.resolve("scenarios.csv").toString());
    assertThat(run.code()).as(run.err()).isZero();
    org.apache.commons.math3.distribution.NormalDistribution n = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
    double expected = 0;
    for (double[] s : new double[][] {{0.6, 0.5}, {0.4, -1.5}}) {
      double pd = n.cumulativeProbability((n.inverseCumulativeProbability(0.06) - Math.sqrt(0.12) * s[1]) / Math.sqrt(0.88));
      expected += s[0] * (pd * 0.4 * 500_000 / 1.08 + (1 - pd) * pd * 0.4 * 500_000 / Math.pow(1.08, 2)
          + (1 - pd) * (1 - pd) * pd * 0.4 * 500_000 / Math.pow(1.08, 3));
    }
    assertThat(Double.parseDouble(rows(dir.resolve("weighted/ecl_facilities.csv")).get("S2").get("ecl")))
        .isCloseTo(expected, within(1e-6));
    // the report states the weighting behind its figures (only ecl.json did)
    assertThat(Files.readString(dir.resolve("weighted/ecl.html"))).contains("scenarios weighted: upside 60% at factor"
        + " 0.5, downturn 40% at factor -1.5 (asset correlation 0.12)");
    assertThat(Files.readString(dir.resolve("base/ecl.html"))).contains("no scenarios (the unconditional PDs)");

    // The reference's worked example (b) matrix, grades named as the book's: grade 6 plays B.
    Files.writeString(dir.resolve("migration.json"), "{\"grades\": [\"3\", \"6\", \"7\"], \"matrix\": ["
        + "[0.90, 0.08, 0.015, 0.005], [0.05, 0.85, 0.08, 0.02], [0.01, 0.09, 0.80, 0.10]]}");
    CliRun migrated = ecl("migrated", "--migration", dir.resolve("migration.json").toString());
    assertThat(migrated.code()).as(migrated.err()).isZero();
    double b = 0.02 * 0.4 * 500_000 / 1.08 + 0.02525 * 0.4 * 500_000 / Math.pow(1.08, 2)
        + 0.0283905 * 0.4 * 500_000 / Math.pow(1.08, 3);
    assertThat(Double.parseDouble(rows(dir.resolve("migrated/ecl_facilities.csv")).get("S2").get("ecl")))
        .isCloseTo(b, within(1e-6));
  }

  /**
   * A score row without a grade (an empty cell) is grouped under its PD's EU Pillar 3 CR6 band, as
   * portfolio groups the same scores file: until 2026-12-08 ecl.json's by_grade (and ecl.html's
   * table) had a row with an empty key. With a migration matrix its lifetime PDs would have no row,
   * so it is refused naming the scores file, row and column, and no output is left.
   */
  @Test
  void scoreWithoutGrade_isGroupedUnderItsCr6BandAsPortfolioDoes_andRefusedWithAMatrix_asAGradeOffItsScale() throws Exception {
    book();
    Path scores = Files.writeString(dir.resolve("scores.csv"), "supplier_id,pd,grade\nS1,0.02,\nS2,0.06,6\nS3,1,D\n");
    CliRun run = ecl("run");
    assertThat(run.code()).as(run.err()).isZero();
    // 2% lies in CR6's 0.75% to 2.50% band (CRR Article 452(g), Pillar 3 template CR6)
    assertThat(rows(dir.resolve("run/ecl_facilities.csv")).get("S1").get("grade")).isEqualTo("0.75-<2.50%");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("run/ecl.json").toFile());
    List<String> keys = new java.util.ArrayList<>();
    json.get("by_grade").forEach(g -> keys.add(g.get("key").asText()));
    assertThat(keys).containsExactlyInAnyOrder("0.75-<2.50%", "6", "D");
    assertThat(Files.readString(dir.resolve("run/ecl.html"))).contains("0.75-&lt;2.50%");
    CliRun portfolio = CliRun.of("portfolio", "--scores", scores.toString(), "--exposures",
        dir.resolve("exposures.csv").toString(), "--simulations", "0", "--out", dir.resolve("portfolio").toString());
    assertThat(portfolio.code()).as(portfolio.err()).isZero();
    List<String> portfolioKeys = new java.util.ArrayList<>();
    new ObjectMapper().readTree(dir.resolve("portfolio/portfolio.json").toFile()).get("by_grade")
        .forEach(g -> portfolioKeys.add(g.get("key").asText()));
    assertThat(portfolioKeys).as("the same grades in the same order, best first").containsExactlyElementsOf(keys);

    Files.writeString(dir.resolve("migration.json"), "{\"grades\": [\"3\", \"6\", \"7\"], \"matrix\": ["
        + "[0.90, 0.08, 0.015, 0.005], [0.05, 0.85, 0.08, 0.02], [0.01, 0.09, 0.80, 0.10]]}");
    CliRun migrated = ecl("migrated", "--migration", dir.resolve("migration.json").toString());
    assertThat(migrated.code()).isEqualTo(2);
    assertThat(migrated.err().strip()).isEqualTo("chainscore ecl: " + scores + ", row 1, column grade: is empty (or"
        + " the table has no grade column); expected the supplier's grade on the matrix's scale [3, 6, 7] (or"
        + " --default-grade D), whose row gives its lifetime PDs");
    assertThat(dir.resolve("migrated")).doesNotExist();
    // a grade off the matrix's scale likewise, at the scores file's row (it named the exposures
    // file's row and the grade in words)
    Files.writeString(scores, "supplier_id,pd,grade\nS1,0.02,3\nS2,0.06,8\nS3,1,D\n");
    CliRun offScale = ecl("migrated", "--migration", dir.resolve("migration.json").toString());
    assertThat(offScale.code()).isEqualTo(2);
    assertThat(offScale.err().strip()).isEqualTo("chainscore ecl: " + scores + ", row 2, column grade: '8' is not a"
        + " grade of the migration matrix; expected the supplier's grade on the matrix's scale [3, 6, 7] (or"
        + " --default-grade D), whose row gives its lifetime PDs");
    assertThat(dir.resolve("migrated")).doesNotExist();
  }

  /**
   * PDs at initial recognition come from a run on or before this one: an --origination table
   * dated after --scores (the two files swapped, say) is refused in one line naming both dates,
   * exit 2, before any output; one of the same date, or one without an as_of_date, is taken.
   */
  @Test
  void origination_datedAfterTheScores_isRefusedNamingBothDates() throws Exception {
    book();
    Files.writeString(dir.resolve("scores.csv"), "supplier_id,as_of_date,pd,grade\nS1,2025-06-30,0.02,3\n"
        + "S2,2025-06-30,0.06,6\nS3,2025-06-30,1,D\n");
    Files.writeString(dir.resolve("origination.csv"), "supplier_id,as_of_date,pd\nS1,2025-07-31,0.02\n"
        + "S2,2025-07-31,0.01\n");
    CliRun later = ecl("later");
    assertThat(later.code()).isEqualTo(2);
    assertThat(later.err().strip()).isEqualTo("chainscore ecl: --origination " + dir.resolve("origination.csv")
        + ": its as_of_date 2025-07-31 is after this run's 2025-06-30 (--scores " + dir.resolve("scores.csv")
        + "); the PDs at initial recognition come from a run on or before it");
    assertThat(dir.resolve("later")).doesNotExist();

    Files.writeString(dir.resolve("origination.csv"), "supplier_id,as_of_date,pd\nS1,2025-06-30,0.02\n"
        + "S2,2024-12-31,0.01\n");
    assertThat(ecl("same").code()).isZero();
    Files.writeString(dir.resolve("origination.csv"), "supplier_id,pd\nS1,0.02\nS2,0.01\n");
    assertThat(ecl("undated").code()).isZero();
  }

  /**
   * --origination is repeatable, earliest run first: a facility takes the PD of the first table
   * that lists its supplier, so a facility recognised after the first run (S2, absent from May's
   * run) is staged against the run of the month it was first scored instead of refusing the month;
   * a supplier in both (S1) keeps the first run's PD. The later runs' facilities are counted on
   * stdout and in ecl.json; runs given out of date order, or a later one dated after --scores, are
   * refused in one line.
   */
  @Test
  void origination_repeated_takesEachSuppliersFirstPd_andCountsTheLaterRunsFacilities() throws Exception {
    book();
    Files.writeString(dir.resolve("scores.csv"), "supplier_id,as_of_date,pd,grade\nS1,2025-06-30,0.05,5\n"
        + "S2,2025-06-30,0.025,4\nS3,2025-06-30,1,D\n");
    Path may = Files.writeString(dir.resolve("may.csv"), "supplier_id,as_of_date,pd\nS1,2025-05-31,0.02\n");
    Path june = Files.writeString(dir.resolve("june.csv"), "supplier_id,as_of_date,pd\nS1,2025-06-30,0.04\n"
        + "S2,2025-06-30,0.025\n");
    CliRun oneRun = CliRun.of("ecl", "--scores", dir.resolve("scores.csv").toString(), "--exposures",
        dir.resolve("exposures.csv").toString(), "--origination", may.toString(), "--out", dir.resolve("one").toString());
    assertThat(oneRun.code()).isEqualTo(2);
    assertThat(oneRun.err()).contains("supplier S2").contains("origination PD: missing");

    CliRun run = CliRun.of("ecl", "--scores", dir.resolve("scores.csv").toString(), "--exposures",
        dir.resolve("exposures.csv").toString(), "--origination", may.toString(), "--origination", june.toString(),
        "--out", dir.resolve("both").toString());
    assertThat(run.code()).as(run.err()).isZero();
    Map<String, Map<String, String>> f = rows(dir.resolve("both/ecl_facilities.csv"));
    // S1: May's 2% (not June's 4%): 2% -> 5% is stage 2 (x2.5, +3 points); against 4% it would be stage 1
    assertThat(Double.parseDouble(f.get("S1").get("origination_pd"))).isEqualTo(0.02);
    assertThat(f.get("S1").get("stage")).isEqualTo("2");
    // S2: June's 2.5%, recognised this month: stage 1
    assertThat(Double.parseDouble(f.get("S2").get("origination_pd"))).isEqualTo(0.025);
    assertThat(f.get("S2").get("stage")).isEqualTo("1");
    assertThat(run.out()).contains("  1 facility with the PD at initial recognition of the later --origination " + june + "\n");
    JsonNode options = new ObjectMapper().readTree(dir.resolve("both/ecl.json").toFile()).get("options");
    assertThat(options.get("origination").asText()).isEqualTo(may.toString());
    assertThat(options.get("origination_later").get(0).get("path").asText()).isEqualTo(june.toString());
    assertThat(options.get("origination_later").get(0).get("facilities").asLong()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("both/ecl.html"))).contains("origination PDs " + may + ", " + june + ";");

    CliRun swapped = CliRun.of("ecl", "--scores", dir.resolve("scores.csv").toString(), "--exposures",
        dir.resolve("exposures.csv").toString(), "--origination", june.toString(), "--origination", may.toString(),
        "--out", dir.resolve("swapped").toString());
    assertThat(swapped.code()).isEqualTo(2);
    assertThat(swapped.err().strip()).isEqualTo("chainscore ecl: --origination " + may + ": its as_of_date 2025-05-31"
        + " is before 2025-06-30 of the --origination before it (" + june + "); give the runs earliest first");
    assertThat(dir.resolve("swapped")).doesNotExist();

    Path july = Files.writeString(dir.resolve("july.csv"), "supplier_id,as_of_date,pd\nS2,2025-07-31,0.025\n");
    CliRun after = CliRun.of("ecl", "--scores", dir.resolve("scores.csv").toString(), "--exposures",
        dir.resolve("exposures.csv").toString(), "--origination", may.toString(), "--origination", july.toString(),
        "--out", dir.resolve("after").toString());
    assertThat(after.code()).isEqualTo(2);
    assertThat(after.err()).contains("--origination " + july + ": its as_of_date 2025-07-31 is after this run's 2025-06-30");
  }

  /**
   * --labels takes the columns its help lists (supplier_id, as_of_date, defaulted, default_date): a
   * lender's default register has no true_pd, the simulator's, which was required. Two hand-made
   * score runs, March and June; S3 (grade 6 in March) defaulted on 2025-05-15 by the register, so the
   * cohort matrix has a default (without it the run is refused: every grade's PD would be 0).
   */
  @Test
  void labelsWithoutTruePd_areRead() throws Exception {
    book();
    String header = "supplier_id,as_of_date,score,pd,grade,reason_1,reason_2,reason_3,reason_4,model_id,model_version\n";
    Files.writeString(dir.resolve("march.csv"), header + "S1,2025-03-31,650,0.02,3,,,,,m,1\n"
        + "S2,2025-03-31,600,0.05,6,,,,,m,1\nS3,2025-03-31,590,0.07,6,,,,,m,1\n");
    Files.writeString(dir.resolve("scores.csv"), header + "S1,2025-06-30,650,0.02,3,,,,,m,1\n"
        + "S2,2025-06-30,600,0.06,6,,,,,m,1\nS3,2025-06-30,300,1,D,,,,,m,1\n");
    Path register = Files.writeString(dir.resolve("register.csv"), "supplier_id,as_of_date,defaulted,default_date\n"
        + "S1,2025-03-31,false,\nS2,2025-03-31,false,\nS3,2025-03-31,true,2025-05-15\n");
    CliRun run = ecl("labels", "--migration-from", dir.resolve("march.csv").toString(), "--labels", register.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).contains("no supplier of grade 3 defaulted between 2025-03-31 and 2025-06-30");
    // a register without default_date: a default cannot be placed between the runs, so it is
    // refused naming the supplier (read as no default, it would have left the matrix without one)
    Path undated = Files.writeString(dir.resolve("undated.csv"), "supplier_id,as_of_date,defaulted\n"
        + "S1,2025-03-31,false\nS2,2025-03-31,false\nS3,2025-03-31,true\n");
    CliRun refused = ecl("undated", "--migration-from", dir.resolve("march.csv").toString(), "--labels",
        undated.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().strip()).isEqualTo("chainscore ecl: --labels " + undated + ": supplier S3 is defaulted (as of"
        + " 2025-03-31) with no default_date; --migration-from counts the defaults between the runs by their dates");
    assertThat(dir.resolve("undated/ecl.json")).doesNotExist();
    // monitor needs only the flags: the same register is read
    io.chainscore.batch.io.PortfolioInputs.readOutcomes(undated).forEach(o -> assertThat(o.defaultDate()).isNull());
    assertThat(io.chainscore.batch.io.PortfolioInputs.readOutcomes(undated)).extracting(
        io.chainscore.batch.io.PortfolioInputs.Outcome::defaulted).containsExactly(false, false, true);
  }

  @Test
  void badInputs_oneLine_exit2() throws Exception {
    book();
    Files.writeString(dir.resolve("bad-weights.csv"), "name,weight,factor\na,0.5,0\nb,0.4,-1\n");
    CliRun weights = ecl("w", "--scenarios", dir.resolve("bad-weights.csv").toString());
    assertThat(weights.code()).isEqualTo(2);
    assertThat(weights.err().strip()).contains("bad-weights.csv").contains("sum to 1").doesNotContain("\n");

    Files.writeString(dir.resolve("origination.csv"), "supplier_id,pd\nS1,0.02\n");
    CliRun missing = ecl("m");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip()).contains("supplier S2").contains("origination PD: missing").doesNotContain("\n")
        .contains(", row 2, column supplier_id: supplier S2")
        .endsWith("(no PD in --origination " + dir.resolve("origination.csv") + ")");
    assertThat(dir.resolve("m/ecl.json")).doesNotExist();
    // the origination run quarantined the supplier (last month's unknown code, fixed this month):
    // the line says so from that run's quarantine, as for a supplier without a score now
    Path quarantine = Files.writeString(dir.resolve("origination.quarantine.csv"),
        "row,record_id,column,reason\n2,S2,sector,\"unknown category 'MINING'\"\n");
    CliRun quarantined = ecl("m");
    assertThat(quarantined.code()).isEqualTo(2);
    assertThat(quarantined.err().strip()).isEqualTo("chainscore ecl: " + dir.resolve("exposures.csv") + ", row 2, column"
        + " supplier_id: supplier S2: origination PD: missing, and staging needs it for a performing facility (no PD in"
        + " --origination " + dir.resolve("origination.csv") + "; the score run quarantined it: " + quarantine
        + ", row 2, column sector: unknown category 'MINING')");
    Files.delete(quarantine);

    Files.writeString(dir.resolve("origination.csv"), "supplier_id,pd\nS1,0.02\nS2,0.01\n");
    Files.writeString(dir.resolve("m.json"), "{\"grades\": [\"3\"], \"matrix\": [[0.9, 0.05]]}");
    CliRun matrix = ecl("x", "--migration", dir.resolve("m.json").toString());
    assertThat(matrix.code()).isEqualTo(2);
    assertThat(matrix.err()).contains("m.json").contains("row");

    CliRun percent = ecl("r", "--eir", "8");
    assertThat(percent.code()).isEqualTo(2);
    assertThat(percent.err().strip()).isEqualTo("chainscore ecl: --eir 8.0: expected an annual rate as a fraction above"
        + " -1 and below 1 (0.08 for 8%)");

    // two PDs differ by at most 1: a threshold of 1 or more is a percentage typed for a fraction
    CliRun points = ecl("s", "--sicr-absolute", "5");
    assertThat(points.code()).isEqualTo(2);
    assertThat(points.err().strip()).isEqualTo("chainscore ecl: --sicr-absolute 5.0:"
        + " absolute PD increase threshold: expected a fraction from 0 to below 1 (0.005 for 0.5 percentage points),"
        + " got 5.0");
    // the one option at fault is named, not the three staging options
    CliRun ratio = ecl("s", "--sicr-relative", "0");
    assertThat(ratio.code()).isEqualTo(2);
    assertThat(ratio.err().strip()).startsWith("chainscore ecl: --sicr-relative 0.0: relative PD increase threshold");
    CliRun backstop = ecl("s", "--dpd-backstop", "-1");
    assertThat(backstop.code()).isEqualTo(2);
    assertThat(backstop.err().strip()).isEqualTo("chainscore ecl: --dpd-backstop -1: days-past-due backstop: expected >= 0,"
        + " got -1");
    CliRun noGrade = ecl("s", "--default-grade", "");
    assertThat(noGrade.code()).isEqualTo(2);
    assertThat(noGrade.err()).contains("--default-grade: expected the name of the default grade");

    // scenarios and matrices read strictly: a name twice, a factor no normal draw reaches, a grade
    // twice and a misspelt key were taken (the factor 1e300 zeroed every hazard)
    Files.writeString(dir.resolve("twice.csv"), "name,weight,factor\na,0.5,0\na,0.5,1\n");
    CliRun twice = ecl("s", "--scenarios", dir.resolve("twice.csv").toString());
    assertThat(twice.code()).isEqualTo(2);
    assertThat(twice.err().strip()).isEqualTo("chainscore ecl: " + dir.resolve("twice.csv") + ", row 2, column name:"
        + " scenario 'a' is listed twice; expected each scenario once");
    Files.writeString(dir.resolve("huge.csv"), "name,weight,factor\na,1,1e300\n");
    CliRun huge = ecl("s", "--scenarios", dir.resolve("huge.csv").toString());
    assertThat(huge.code()).isEqualTo(2);
    assertThat(huge.err()).contains(dir.resolve("huge.csv") + ", row 1, column factor: '1e300' is not a systematic"
        + " factor value from -10 to 10");
    Files.writeString(dir.resolve("dup.json"), "{\"grades\": [\"3\", \"3\"], \"matrix\": [[0.9, 0.05, 0.05],"
        + " [0.1, 0.8, 0.1]]}");
    CliRun dup = ecl("s", "--migration", dir.resolve("dup.json").toString());
    assertThat(dup.code()).isEqualTo(2);
    assertThat(dup.err()).contains("dup.json: grades: grade '3' is listed twice; expected each grade once");
    Files.writeString(dir.resolve("extra.json"), "{\"grades\": [\"3\"], \"matrix\": [[0.95, 0.05]], \"extra\": 1}");
    CliRun extra = ecl("s", "--migration", dir.resolve("extra.json").toString());
    assertThat(extra.code()).isEqualTo(2);
    assertThat(extra.err()).contains("extra.json: unknown field \"extra\"; expected grades and matrix");
    assertThat(dir.resolve("s/ecl.json")).doesNotExist();
    // below 1 it is legal, but 0.5 for 0.5 points stages no facility by its PDs: said on stderr
    CliRun half = ecl("w", "--sicr-absolute", "0.5");
    assertThat(half.code()).as(half.err()).isZero();
    assertThat(half.err()).contains("warning: --sicr-absolute 0.5 asks for a PD rise of 50 percentage points"
        + " (0.005 is 0.5 points)");
    assertThat(ecl("v").err()).doesNotContain("warning");

    CliRun timing = ecl("t", "--loss-timing", "sometimes");
    assertThat(timing.code()).isEqualTo(2);
    assertThat(timing.err()).contains("--loss-timing: expected end or mid");

    // An exposure of an unknown product: one line naming the file, row and column.
    Files.writeString(dir.resolve("exposures.csv"), String.join("\n",
        "supplier_id,anchor_id,sector,drawn,anchor_sales_share,maturity_years,product",
        "S1,A1,glass,1000000,0.5,0.5,leasing", ""));
    CliRun product = ecl("u");
    assertThat(product.code()).as(product.err()).isEqualTo(2);
    assertThat(product.err().strip()).isEqualTo("chainscore ecl: " + dir.resolve("exposures.csv")
        + ", row 1, column product: unknown product 'leasing'; expected receivables_finance, payables_finance,"
        + " purchase_order_finance or term_loan");
    book();

    CliRun previous = ecl("p", "--previous", dir.resolve("nowhere").toString());
    assertThat(previous.code()).isEqualTo(2);
    assertThat(previous.err()).contains("nowhere").contains("earlier chainscore ecl run");

    // the default grade in another case left a defaulted facility in stage 1 (ECL 240x too small)
    Files.writeString(dir.resolve("scores.csv"), "supplier_id,pd,grade\nS1,0.02,3\nS2,0.06,6\nS3,1,d\n");
    CliRun grade = ecl("g");
    assertThat(grade.code()).as(grade.err()).isEqualTo(2);
    assertThat(grade.err().strip()).isEqualTo("chainscore ecl: " + dir.resolve("scores.csv") + ", row 3, column grade:"
        + " 'd' is not the default grade 'D' (grades are matched exactly; give --default-grade d if that is the"
        + " scale's name)");
    // an exposure whose supplier has no score: the exposure's file, row and column, and the scores file
    Files.writeString(dir.resolve("scores.csv"), "supplier_id,pd,grade\nS1,0.02,3\nS3,1,D\n");
    CliRun unscored = ecl("s");
    assertThat(unscored.code()).as(unscored.err()).isEqualTo(2);
    assertThat(unscored.err().strip()).isEqualTo("chainscore ecl: " + dir.resolve("exposures.csv") + ", row 2, column"
        + " supplier_id: supplier S2 has no score in " + dir.resolve("scores.csv") + "; 1 of the 3 exposures has no"
        + " score there (or give --unscored-pd PD to measure such facilities at a stated PD)");
    // a stated PD outside (0, 1) or not a number
    for (String bad : new String[] {"0", "1", "-0.02", "1.5", "NaN", "Infinity"}) {
      CliRun badPd = ecl("u", "--unscored-pd", bad);
      assertThat(badPd.code()).as(bad + ": " + badPd.err()).isEqualTo(2);
      assertThat(badPd.err().strip()).as(bad).startsWith("chainscore ecl: --unscored-pd ")
          .endsWith(": expected a PD above 0 and below 1");
    }
    CliRun word = ecl("u", "--unscored-pd", "high");
    assertThat(word.code()).isEqualTo(2);
    assertThat(word.err()).contains("--unscored-pd").contains("high");
    assertThat(dir.resolve("u")).doesNotExist();
    book();

    // A payables-finance facility whose anchor has no PD: named by the exposure's row and the anchor
    // column, before the first facility's own fault (no maturity) is reached.
    Files.writeString(dir.resolve("exposures.csv"), String.join("\n",
        "supplier_id,anchor_id,sector,drawn,anchor_sales_share,maturity_years,product",
        "S1,A1,glass,1000000,0.5,,term_loan", "S2,A2,glass,400000,0.5,1,payables_finance", ""));
    CliRun noAnchorPds = ecl("a");
    assertThat(noAnchorPds.code()).as(noAnchorPds.err()).isEqualTo(2);
    assertThat(noAnchorPds.err().strip()).isEqualTo("chainscore ecl: " + dir.resolve("exposures.csv") + ", row 2,"
        + " column anchor_id: supplier S2's payables_finance is owed by its anchor A2, which has no PD (give the anchor"
        + " PDs with --anchor-pds)");
    Path anchorPds = Files.writeString(dir.resolve("anchor_pds.csv"), "anchor_id,pd\nA1,0.01\n");
    CliRun otherAnchor = ecl("a", "--anchor-pds", anchorPds.toString());
    assertThat(otherAnchor.code()).as(otherAnchor.err()).isEqualTo(2);
    assertThat(otherAnchor.err().strip()).isEqualTo("chainscore ecl: " + dir.resolve("exposures.csv") + ", row 2,"
        + " column anchor_id: supplier S2's payables_finance is owed by its anchor A2, which has no PD in " + anchorPds);
    Files.writeString(anchorPds, "anchor_id,pd\nA2,0.01\n");
    CliRun noMaturity = ecl("a", "--anchor-pds", anchorPds.toString());
    assertThat(noMaturity.code()).as(noMaturity.err()).isEqualTo(2);
    // named at its row and column of the exposures file (it named the supplier only; until
    // 2026-12-08 the column in words after the row)
    assertThat(noMaturity.err().strip()).startsWith("chainscore ecl: " + dir.resolve("exposures.csv")
        + ", row 1, column maturity_years: is missing");
    book();
  }

  /**
   * --unscored-pd: a supplier without a score (quarantined by its score run) is measured at the
   * stated PD, in the grade "unscored", exactly as the same facility scored at that PD would be at
   * a constant hazard; the run says how many, and ecl.json records the option and the grade's
   * totals.
   */
  /**
   * --previous and --out naming one folder: the run would replace the stage table it reads, and a
   * rerun then reported its own stages as the previous run's (every facility "from" its own stage,
   * exit 0). Refused before any work, the folder left as it was; until 2026-12-07 accepted with
   * --overwrite.
   */
  @Test
  void previous_sameFolderAsOut_isRefused_andTheFolderKept() throws Exception {
    book();
    Files.writeString(dir.resolve("origination.csv"), "supplier_id,pd\nS1,0.02\nS2,0.01\nS3,0.01\n");
    assertThat(ecl("may").code()).isZero();
    Path previous = dir.resolve("may");
    String stages = io.chainscore.batch.engine.RunManifest.sha256(previous.resolve("ecl_facilities.csv"));
    CliRun rolled = CliRun.of("ecl", "--scores", dir.resolve("scores.csv").toString(), "--exposures",
        dir.resolve("exposures.csv").toString(), "--origination", dir.resolve("origination.csv").toString(),
        "--previous", previous.toString(), "--out", previous.toString(), "--overwrite");
    assertThat(rolled.code()).as(rolled.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(rolled.err().strip()).isEqualTo("chainscore ecl: --out " + previous + " (its file "
        + previous.resolve("ecl_facilities.csv") + ") is a file the run reads, --previous " + previous
        + " (its facility table " + previous.resolve("ecl_facilities.csv") + "); a run never writes over its input");
    assertThat(io.chainscore.batch.engine.RunManifest.sha256(previous.resolve("ecl_facilities.csv"))).isEqualTo(stages);
    // another folder is the ordinary month: transfers against the previous run's stages
    CliRun june = CliRun.of("ecl", "--scores", dir.resolve("scores.csv").toString(), "--exposures",
        dir.resolve("exposures.csv").toString(), "--origination", dir.resolve("origination.csv").toString(),
        "--previous", previous.toString(), "--out", dir.resolve("june").toString());
    assertThat(june.code()).as(june.err()).isZero();
  }

  /**
   * --asset-correlation acts only through --scenarios and --dpd-backstop only through
   * --days-past-due: given without them they changed nothing (ecl.json recorded them all the same),
   * so they are refused as --labels without --migration-from is; with them they apply.
   */
  @Test
  void optionsThatActThroughAnother_areRefusedWithoutIt() throws Exception {
    book();
    Files.writeString(dir.resolve("origination.csv"), "supplier_id,pd\nS1,0.02\nS2,0.01\nS3,0.01\n");
    CliRun rho = ecl("rho", "--asset-correlation", "0.3");
    assertThat(rho.code()).as(rho.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(rho.err().strip()).isEqualTo("chainscore ecl: --asset-correlation: only used with --scenarios (it shifts"
        + " the scenarios' PDs); without scenarios the unconditional PDs are used");
    assertThat(dir.resolve("rho")).doesNotExist();
    CliRun backstop = ecl("dpd", "--dpd-backstop", "10");
    assertThat(backstop.code()).as(backstop.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(backstop.err().strip()).isEqualTo("chainscore ecl: --dpd-backstop: only used with --days-past-due"
        + " (without that table no facility has days past due, so the backstop never fires)");
    assertThat(dir.resolve("dpd")).doesNotExist();

    Files.writeString(dir.resolve("scenarios.csv"), "name,weight,factor\nbase,0.6,0\ndown,0.4,-1.5\n");
    Files.writeString(dir.resolve("dpd.csv"), "supplier_id,days_past_due\nS1,15\n");
    CliRun with = ecl("with", "--scenarios", dir.resolve("scenarios.csv").toString(), "--asset-correlation", "0.3",
        "--days-past-due", dir.resolve("dpd.csv").toString(), "--dpd-backstop", "10");
    assertThat(with.code()).as(with.err()).isZero();
    assertThat(rows(dir.resolve("with/ecl_facilities.csv")).get("S1").get("stage")).isEqualTo("2");
    JsonNode options = new ObjectMapper().readTree(dir.resolve("with/ecl.json").toFile()).get("options");
    assertThat(options.get("asset_correlation").asDouble()).isEqualTo(0.3);
    assertThat(options.get("dpd_backstop").asInt()).isEqualTo(10);
  }

  @Test
  void unscoredPd_measuresTheUnscoredAtTheStatedPd_andSaysHowMany() throws Exception {
    book();
    // S2 scored at 6%: the reference
    CliRun scored = ecl("scored");
    assertThat(scored.code()).as(scored.err()).isZero();
    Files.writeString(dir.resolve("scores.csv"), "supplier_id,pd,grade\nS1,0.02,3\nS3,1,D\n");
    CliRun run = ecl("run", "--unscored-pd", "0.06");
    assertThat(run.code()).as(run.err()).isZero();
    Map<String, String> s2 = rows(dir.resolve("run/ecl_facilities.csv")).get("S2");
    Map<String, String> reference = rows(dir.resolve("scored/ecl_facilities.csv")).get("S2");
    assertThat(s2.get("grade")).isEqualTo("unscored");
    for (String column : List.of("pd", "origination_pd", "stage", "stage_reason", "ead", "ecl_12m", "ecl_lifetime", "ecl")) {
      assertThat(s2.get(column)).as(column).isEqualTo(reference.get(column));
    }
    JsonNode json = new ObjectMapper().readTree(dir.resolve("run/ecl.json").toFile());
    assertThat(json.at("/options/unscored_pd").asDouble()).isEqualTo(0.06);
    JsonNode unscored = null;
    for (JsonNode g : json.get("by_grade")) {
      if (g.get("key").asText().equals("unscored")) {
        unscored = g;
      }
    }
    assertThat(unscored).isNotNull();
    assertThat(unscored.get("facilities").asLong()).isEqualTo(1);
    assertThat(unscored.get("ead").asDouble()).isEqualTo(500_000);
    assertThat(run.out()).contains("1 facility without a score measured at --unscored-pd 0.06 (grade 'unscored'): EAD 500,000,"
        + " ECL " + String.format(java.util.Locale.ROOT, "%,.0f", Double.parseDouble(reference.get("ecl"))));
    assertThat(json.at("/total/ecl").asDouble()).isCloseTo(
        new ObjectMapper().readTree(dir.resolve("scored/ecl.json").toFile()).at("/total/ecl").asDouble(), within(1e-6));
    assertThat(Files.readString(dir.resolve("run/ecl.html")))
        .contains("a facility whose supplier has no score at the stated PD 0.06 (grade &#39;unscored&#39;)");
  }

  @Test
  void twoGeneratedMonths_reportStageTransfers() throws Exception {
    Path p = dir.resolve("p");
    assertThat(CliRun.of("generate", "--suppliers", "400", "--seed", "5", "--out", p.toString(), "--quiet").code()).isZero();
    for (String month : List.of("2025-04-30", "2025-06-30")) {
      assertThat(CliRun.of("features", "--transactions", p.toString(), "--as-of", month, "--out",
          dir.resolve("f-" + month + ".csv").toString(), "--quiet").code()).isIn(0, 3);
      assertThat(CliRun.of("score", "--features", dir.resolve("f-" + month + ".csv").toString(), "--as-of", month,
          "--out", dir.resolve("s-" + month + ".csv").toString(), "--quiet").code()).isIn(0, 3);
    }
    String april = dir.resolve("s-2025-04-30.csv").toString();
    String anchors = p.resolve("anchor_pds.csv").toString();
    CliRun first = CliRun.of("ecl", "--scores", april, "--exposures", p.resolve("exposures.csv").toString(),
        "--origination", april, "--anchor-pds", anchors, "--out", dir.resolve("ecl-04").toString());
    assertThat(first.code()).as(first.err()).isZero();
    CliRun second = CliRun.of("ecl", "--scores", dir.resolve("s-2025-06-30.csv").toString(), "--exposures",
        p.resolve("exposures.csv").toString(), "--origination", april, "--anchor-pds", anchors, "--previous",
        dir.resolve("ecl-04").toString(), "--out", dir.resolve("ecl-06").toString(), "--json");
    assertThat(second.code()).as(second.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(second.out());
    // Every facility was stage 1 in April (originated then); the transfers out of stage 1 are the
    // stage 2 facilities of June, counted again here from the facility table.
    Map<String, Map<String, String>> f = rows(dir.resolve("ecl-06/ecl_facilities.csv"));
    long stage2 = f.values().stream().filter(r -> r.get("stage").equals("2")).count();
    assertThat(stage2).isPositive();
    long moved = 0;
    for (JsonNode t : json.get("transfers")) {
      // the stages as the facility table numbers them
      assertThat(t.get("from").asInt()).isEqualTo(1);
      if (t.get("to").asInt() == 2) {
        moved = t.get("facilities").asLong();
      }
    }
    assertThat(moved).isEqualTo(stage2);
    assertThat(f.values()).allMatch(r -> r.get("previous_stage").equals("1"));
    // Payables finance is owed by the anchor: its obligor and PD are the anchor's.
    Map<String, Double> anchorPd = new HashMap<>();
    for (String line : Files.readAllLines(p.resolve("anchor_pds.csv")).subList(1, 7)) {
      anchorPd.put(line.split(",")[0], Double.parseDouble(line.split(",")[1]));
    }
    assertThat(f.values()).filteredOn(r -> r.get("product").equals("payables_finance")).isNotEmpty()
        .allMatch(r -> r.get("obligor").equals(r.get("anchor_id"))
            && Double.parseDouble(r.get("pd")) == anchorPd.get(r.get("anchor_id")));
    assertThat(json.get("by_product")).hasSizeGreaterThanOrEqualTo(2);

    // Lifetime PDs from the migration between the two runs. The generator's labels date defaults
    // after its as-of date only, so none falls between the runs: the matrix would give every grade
    // a PD of 0, and is refused.
    CliRun none = CliRun.of("ecl", "--scores", dir.resolve("s-2025-06-30.csv").toString(), "--exposures",
        p.resolve("exposures.csv").toString(), "--origination", april, "--anchor-pds", anchors, "--migration-from",
        april, "--labels", p.resolve("labels.csv").toString(), "--out", dir.resolve("ecl-none").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no supplier graded in both runs defaulted between 2025-04-30 and 2025-06-30");
    // A lender's default register for the interval: the first three suppliers defaulted in May.
    Path register = dir.resolve("register.csv");
    Files.writeString(register, "supplier_id,as_of_date,defaulted,default_date,true_pd\n"
        + "S0000001,2025-06-30,true,2025-05-10,0.5\nS0000002,2025-06-30,true,2025-05-20,0.5\n"
        + "S0000003,2025-06-30,true,2025-06-01,0.5\n");
    CliRun migrated = CliRun.of("ecl", "--scores", dir.resolve("s-2025-06-30.csv").toString(), "--exposures",
        p.resolve("exposures.csv").toString(), "--origination", april, "--anchor-pds", anchors, "--migration-from",
        april, "--labels", register.toString(), "--out", dir.resolve("ecl-mig").toString(), "--json");
    assertThat(migrated.code()).as(migrated.err()).isZero();
    JsonNode m = new ObjectMapper().readTree(migrated.out());
    // the grades none of the three defaulted from get a one-step PD of 0 from the cohort method: said
    java.util.Set<String> defaultedFrom = new java.util.HashSet<>();
    for (String line : Files.readAllLines(Path.of(april)).subList(1, 401)) {
      String[] v = line.split(",", -1);
      if (v[0].equals("S0000001") || v[0].equals("S0000002") || v[0].equals("S0000003")) {
        defaultedFrom.add(v[4]);
      }
    }
    List<String> withoutDefault = new java.util.ArrayList<>();
    m.at("/options/migration_grades").forEach(g -> {
      if (!defaultedFrom.contains(g.asText())) {
        withoutDefault.add(g.asText());
      }
    });
    assertThat(withoutDefault).isNotEmpty();
    assertThat(migrated.err()).contains("warning: --migration-from: no supplier of grade" + (withoutDefault.size() == 1
        ? " " : "s ") + String.join(", ", withoutDefault) + " defaulted between 2025-04-30 and 2025-06-30");
    assertThat(m.at("/options/term_structure").asText()).startsWith("estimated from").contains("61 days");
    // The grades of the April run, best first by their mean PD.
    Map<String, double[]> byGrade = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(Path.of(april)).subList(1, 401)) {
      String[] v = line.split(",", -1);
      double[] a = byGrade.computeIfAbsent(v[4], k -> new double[2]);
      a[0] += Double.parseDouble(v[3]);
      a[1]++;
    }
    List<String> order = new java.util.ArrayList<>(byGrade.keySet());
    order.sort(java.util.Comparator.comparingDouble(g -> byGrade.get(g)[0] / byGrade.get(g)[1]));
    List<String> grades = new java.util.ArrayList<>();
    m.at("/options/migration_grades").forEach(g -> grades.add(g.asText()));
    assertThat(grades).isEqualTo(order);

    // The same register with its dates as instants (noon UTC, as a pipeline's tz-aware datetimes
    // are written): refused without a zone, naming the option; read in UTC, the same report.
    Path instants = dir.resolve("register-instants.csv");
    Files.writeString(instants, Files.readString(register).replaceAll("(\\d{4}-\\d{2}-\\d{2})", "$1T12:00:00Z"));
    String[] withInstants = {"ecl", "--scores", dir.resolve("s-2025-06-30.csv").toString(), "--exposures",
        p.resolve("exposures.csv").toString(), "--origination", april, "--anchor-pds", anchors, "--migration-from",
        april, "--labels", instants.toString(), "--json"};
    CliRun refused = CliRun.of(concat(withInstants, "--out", dir.resolve("ecl-instants-refused").toString()));
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("register-instants.csv").contains("T12:00:00Z").contains("--time-zone");
    CliRun inUtc = CliRun.of(concat(withInstants, "--out", dir.resolve("ecl-instants").toString(), "--time-zone", "UTC"));
    assertThat(inUtc.code()).as(inUtc.err()).isZero();
    JsonNode u = new ObjectMapper().readTree(inUtc.out());
    assertThat(u.get("total")).isEqualTo(m.get("total"));
    assertThat(u.at("/options/migration_grades")).isEqualTo(m.at("/options/migration_grades"));
    assertThat(u.at("/options/time_zone").asText()).isEqualTo("UTC");
    assertThat(Files.readAllBytes(dir.resolve("ecl-instants/ecl_facilities.csv")))
        .isEqualTo(Files.readAllBytes(dir.resolve("ecl-mig/ecl_facilities.csv")));
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }
}

package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --rejects FILE --reject-inference METHOD} through the command line: applicants
 * above a known cutoff of an older score are declined; each method fits on accepts plus inferred
 * rejects and reports what it inferred; bad options and files are one line, exit 2. (How close
 * each method gets to the model of all outcomes is measured in model-dev's RejectInferenceTest.)
 */
class TrainRejectInferenceCommandTest {
  @TempDir Path dir;
  private Path accepts;
  private Path rejects;

  @BeforeEach
  void write() throws Exception {
    SplittableRandom random = new SplittableRandom(1803);
    StringBuilder a = new StringBuilder("x,region,bad\n");
    StringBuilder r = new StringBuilder("x,region,bad\n"); // the true outcome is there, and ignored
    String[] regions = {"north", "south", "east", "west"};
    for (int i = 0; i < 6000; i++) {
      double x = random.nextGaussian();
      int region = random.nextInt(4);
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-(-2.5 + 1.0 * x + 0.3 * region))) ? 1 : 0;
      double oldScore = x + 0.5 * random.nextGaussian(); // the older model's view of the risk
      String line = String.format(Locale.ROOT, "%.4f,%s,%d%n", x, regions[region], bad);
      (oldScore > 0.8 ? r : a).append(line);
    }
    accepts = Files.writeString(dir.resolve("accepts.csv"), a);
    rejects = Files.writeString(dir.resolve("rejects.csv"), r);
  }

  private CliRun train(String out, String... more) {
    String[] base = {"train", "--data", accepts.toString(), "--target", "bad", "--json", "--out",
        dir.resolve(out).toString()};
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliRun.of(args);
  }

  @Test
  void everyMethod_fitsOnAcceptsAndInferredRejects() throws Exception {
    CliRun kgb = train("kgb.json");
    assertThat(kgb.code()).as(kgb.err()).isZero();
    long rejectRows = Files.readAllLines(rejects).size() - 1;
    for (String method : new String[] {"fuzzy", "hard-cutoff", "parcelling"}) {
      CliRun r = train(method + ".json", "--rejects", rejects.toString(), "--reject-inference", method);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.err()).contains("train: reject inference (" + method + "): ");
      JsonNode ri = new ObjectMapper().readTree(r.out()).get("reject_inference");
      assertThat(ri.get("method").asText()).isEqualTo(method);
      assertThat(ri.get("rejects").asLong()).isEqualTo(rejectRows);
      double mean = ri.get("known_good_bad_mean_pd").asDouble();
      // The rejects are riskier than the accepts, by the accepts' own scorecard.
      double acceptRate = new ObjectMapper().readTree(kgb.out()).get("training").get("default_rate").asDouble();
      assertThat(mean).isGreaterThan(acceptRate);
      if (!method.equals("parcelling")) {
        assertThat(ri.get("inferred_bad_rate").asDouble()).isCloseTo(mean, within(1.0 / rejectRows));
      }
      assertThat(Files.readString(dir.resolve(method + ".json"))).isNotEqualTo(Files.readString(dir.resolve("kgb.json")));
    }
  }

  private static String problem(CliRun r) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).doesNotContain("\tat ");
    return r.err().lines().filter(l -> !l.startsWith("train: ") && !l.startsWith("Run '")).findFirst().orElseThrow();
  }

  @Test
  void badOptionsAndFiles_oneLine_exit2() throws Exception {
    assertThat(problem(train("a.json", "--rejects", rejects.toString())))
        .isEqualTo("chainscore: --rejects needs --reject-inference fuzzy, parcelling or hard-cutoff");
    assertThat(problem(train("b.json", "--reject-inference", "fuzzy")))
        .isEqualTo("chainscore: --reject-inference needs --rejects (the declined applicants)");
    assertThat(problem(train("c.json", "--rejects", rejects.toString(), "--reject-inference", "augment")))
        .isEqualTo("chainscore: --reject-inference: expected fuzzy, parcelling or hard-cutoff, got 'augment'");
    Path noRegion = Files.writeString(dir.resolve("no-region.csv"), "x\n0.5\n1.5\n");
    assertThat(problem(train("d.json", "--rejects", noRegion.toString(), "--reject-inference", "fuzzy")))
        .isEqualTo("chainscore train: " + noRegion + ", column region: missing from the header (a characteristic of"
            + " the development data); the header has [x]");
    Path mars = Files.writeString(dir.resolve("mars.csv"), "x,region\n0.5,north\n1.5,mars\n");
    assertThat(problem(train("e.json", "--rejects", mars.toString(), "--reject-inference", "fuzzy")))
        .isEqualTo("chainscore train: " + mars + ", row 2, column region: category 'mars' does not occur in the"
            + " development data; expected one of [east, north, south, west]");
    // one stray text among the numbers of x: its row and value (row 1 and its number were named)
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(rejects));
    lines.set(7, "abc" + lines.get(7).substring(lines.get(7).indexOf(',')));
    Path stray = Files.write(dir.resolve("stray.csv"), lines);
    assertThat(problem(train("f.json", "--rejects", stray.toString(), "--reject-inference", "fuzzy")))
        .startsWith("chainscore train: " + stray + ", row 7, column x: 'abc' is not a number, but ");
  }

  /**
   * The PD calibration after reject inference runs on the accepted training rows (docs/binning.md):
   * {@code --central-tendency} is the accepts' mean PD, and the record counts the accepts.
   */
  @Test
  void centralTendency_isMetOnTheAcceptedTrainingRows_notOnTheRejects() throws Exception {
    CliRun run = train("ct.json", "--test-share", "0", "--rejects", rejects.toString(), "--reject-inference", "fuzzy",
        "--central-tendency", "0.05");
    assertThat(run.code()).as(run.err()).isZero();
    io.chainscore.scoring.ModelBundle bundle = io.chainscore.scoring.ModelBundle.read(dir.resolve("ct.json"));
    io.chainscore.develop.TabularData table = io.chainscore.develop.TabularData.readCsv(accepts, "bad");
    double[] rows = ValidateCommand.rows(bundle.schema(), table, accepts);
    int n = table.rowCount();
    double[] pd = new double[n];
    bundle.scorer().scoreBatch(rows, n, bundle.schema().size(), new double[n], pd, new int[n], null);
    assertThat(java.util.Arrays.stream(pd).average().orElseThrow()).isCloseTo(0.05, within(1e-9));
    assertThat(new ObjectMapper().readTree(dir.resolve("ct.json").toFile()).get("provenance").get("pd_calibration")
        .get("calibration_rows").asInt()).isEqualTo(n);
  }

  /**
   * With {@code --segment} and {@code --cohort}, a reject routed to a segment none of whose accepted
   * training rows is of its cohort is one line naming the file, the reject's row (of the file,
   * counted before the test cohort's rejects are left out), the column and the cohorts expected.
   */
  @Test
  void segmentedRejectOfACohortItsSegmentLacks_oneLineNamingFileRowAndColumn_exit2() throws Exception {
    StringBuilder a = new StringBuilder("x,region,year,bad\n");
    SplittableRandom random = new SplittableRandom(1806);
    for (int i = 0; i < 4000; i++) {
      double x = random.nextGaussian();
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-(-1.5 + x))) ? 1 : 0;
      int year = i % 10 == 0 ? 2024 : x < 0 ? 2021 + i % 2 : 2021 + i % 3; // low x: no 2023
      a.append(String.format(Locale.ROOT, "%.4f,%s,%d,%d%n", x, i % 2 == 0 ? "north" : "south", year, bad));
    }
    Path data = Files.writeString(dir.resolve("segment-years.csv"), a);
    Path rej = Files.writeString(dir.resolve("segment-rejects.csv"),
        "x,region,year\n1.5,north,2024\n-0.5,south,2021\n-0.7,north,2023\n0.9,south,2023\n");
    assertThat(problem(CliRun.of("train", "--data", data.toString(), "--target", "bad", "--cohort", "year",
        "--test-cohort", "2024", "--segment", "x<0=low", "--segment", "otherwise=high", "--rejects", rej.toString(),
        "--reject-inference", "fuzzy", "--out", dir.resolve("j.json").toString())))
        .isEqualTo("chainscore train: segment low: " + rej + ", row 3, column year: cohort '2023' has no accepted"
            + " training row of segment low, where this reject is routed; expected one of [2021, 2022]");
  }

  /**
   * A rejects file with no reject to infer (no data rows, or with {@code --cohort} only rejects of
   * the {@code --test-cohort}) is one line naming the file, exit 2, with or without {@code
   * --segment}: no run ends as if the rejects had been used, and no bundle is written.
   */
  @Test
  void noRejectToInfer_oneLineNamingTheFile_exit2_withAndWithoutSegments() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.csv"), "x,region\n");
    String expected = "chainscore train: " + empty + ": no data rows; expected the declined applicants' rows, one per"
        + " reject";
    assertThat(problem(train("g.json", "--rejects", empty.toString(), "--reject-inference", "fuzzy")))
        .isEqualTo(expected);
    assertThat(problem(train("h.json", "--rejects", empty.toString(), "--reject-inference", "fuzzy", "--segment",
        "x<0=low", "--segment", "otherwise=high"))).isEqualTo(expected);
    assertThat(dir.resolve("g.json")).doesNotExist();
    assertThat(dir.resolve("h.json")).doesNotExist();
    StringBuilder a = new StringBuilder("x,region,year,bad\n");
    SplittableRandom random = new SplittableRandom(1805);
    for (int i = 0; i < 3000; i++) {
      double x = random.nextGaussian();
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-(-1.5 + x))) ? 1 : 0;
      a.append(String.format(Locale.ROOT, "%.4f,%s,%d,%d%n", x, i % 2 == 0 ? "north" : "south", 2021 + i % 3, bad));
    }
    Path data = Files.writeString(dir.resolve("years.csv"), a);
    Path late = Files.writeString(dir.resolve("late.csv"), "x,region,year\n1.5,north,2023\n2.5,south,2023\n");
    assertThat(problem(CliRun.of("train", "--data", data.toString(), "--target", "bad", "--cohort", "year",
        "--test-cohort", "2023", "--rejects", late.toString(), "--reject-inference", "fuzzy", "--out",
        dir.resolve("i.json").toString())))
        .isEqualTo("chainscore train: " + late + ", column year: all 2 rejects are of the test cohort 2023, which is"
            + " left out; expected rejects of the training cohorts");
  }

  /**
   * With {@code --cohort}: every reject carries its cohort into the cohort-out folds, and the
   * rejects of the {@code --test-cohort} are left out like its accepts, so adding more of them
   * cannot change the bundle by a byte.
   */
  @Test
  void withCohorts_rejectsJoinTheirCohortsAndTheTestCohortsRejectsAreLeftOut() throws Exception {
    SplittableRandom random = new SplittableRandom(1804);
    StringBuilder a = new StringBuilder("x,region,year,bad\n");
    StringBuilder r = new StringBuilder("x,region,year\n");
    String[] regions = {"north", "south", "east", "west"};
    long testRejects = 0;
    long trainingRejects = 0;
    for (int i = 0; i < 9000; i++) {
      double x = random.nextGaussian();
      int region = random.nextInt(4);
      int year = 2021 + i % 3;
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-(-2.5 + 1.0 * x + 0.3 * region))) ? 1 : 0;
      boolean declined = x + 0.5 * random.nextGaussian() > 0.8;
      if (declined) {
        r.append(String.format(Locale.ROOT, "%.4f,%s,%d%n", x, regions[region], year));
        testRejects += year == 2023 ? 1 : 0;
        trainingRejects += year == 2023 ? 0 : 1;
      } else {
        a.append(String.format(Locale.ROOT, "%.4f,%s,%d,%d%n", x, regions[region], year, bad));
      }
    }
    Path data = Files.writeString(dir.resolve("cohort-accepts.csv"), a);
    Path rej = Files.writeString(dir.resolve("cohort-rejects.csv"), r);
    // more rejects of the test year only, far out of the others' range
    StringBuilder more = new StringBuilder(r);
    for (int i = 0; i < 500; i++) {
      more.append(String.format(Locale.ROOT, "%.4f,north,2023%n", 3 + i / 100.0));
    }
    Path rejMore = Files.writeString(dir.resolve("cohort-rejects-more.csv"), more);
    String[] common = {"train", "--data", data.toString(), "--target", "bad", "--cohort", "year", "--test-cohort",
        "2023", "--json", "--model-id", "cohorts", "--reject-inference", "hard-cutoff", "--rejects"};
    CliRun one = CliRun.of(concat(common, rej.toString(), "--out", dir.resolve("c1.json").toString()));
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(one.err()).contains("train: " + String.format(Locale.ROOT, "%,d", testRejects)
        + " rejects of the test cohort 2023 left out");
    assertThat(new ObjectMapper().readTree(one.out()).get("reject_inference").get("rejects").asLong())
        .isEqualTo(trainingRejects);
    CliRun two = CliRun.of(concat(common, rejMore.toString(), "--out", dir.resolve("c2.json").toString()));
    assertThat(two.code()).as(two.err()).isZero();
    assertThat(Files.readString(dir.resolve("c2.json"))).isEqualTo(Files.readString(dir.resolve("c1.json")));

    // a reject without its cohort, or of a cohort no accepted row has: one line, exit 2
    Path noYear = Files.writeString(dir.resolve("no-year.csv"), "x,region\n0.5,north\n");
    assertThat(problem(CliRun.of(concat(common, noYear.toString(), "--out", dir.resolve("c3.json").toString()))))
        .isEqualTo("chainscore train: " + noYear + ", column year: missing from the header (--cohort: with --cohort"
            + " each reject needs its cohort); the header has [x, region]");
    Path future = Files.writeString(dir.resolve("future.csv"), "x,region,year\n0.5,north,2022\n0.7,east,2030\n");
    assertThat(problem(CliRun.of(concat(common, future.toString(), "--out", dir.resolve("c4.json").toString()))))
        .isEqualTo("chainscore train: " + future + ", row 2, column year: cohort '2030' has no accepted training row;"
            + " expected one of [2021, 2022]");
  }

  private static String[] concat(String[] head, String... tail) {
    String[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }
}

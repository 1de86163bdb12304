package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.Scorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --weight COLUMN}: a weight column of the data or of the labels table gives the
 * scorecard of the data with each row repeated weight times (the reference, trained without
 * weights), and bad weights are one line naming file, row and column, exit 2.
 */
class TrainWeightCommandTest {
  @TempDir Path dir;
  private Path weighted;
  private Path repeated;
  private Path features;
  private Path labels;

  @BeforeEach
  void write() throws Exception {
    SplittableRandom random = new SplittableRandom(1802);
    StringBuilder w = new StringBuilder("x,region,w,bad\n");
    StringBuilder r = new StringBuilder("x,region,bad\n");
    StringBuilder f = new StringBuilder("supplier_id,as_of_date,x,region\n");
    StringBuilder l = new StringBuilder("supplier_id,as_of_date,bad,w\n");
    String[] regions = {"north", "south", "east", "west"};
    for (int i = 0; i < 3000; i++) {
      double x = Math.round(random.nextGaussian() * 1000) / 1000.0;
      int region = random.nextInt(4);
      double logit = -2 + 0.9 * x + 0.4 * region;
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      int weight = random.nextInt(4);
      String xs = String.format(Locale.ROOT, "%.3f", x);
      w.append(xs).append(',').append(regions[region]).append(',').append(weight).append(',').append(bad).append('\n');
      for (int k = 0; k < weight; k++) {
        r.append(xs).append(',').append(regions[region]).append(',').append(bad).append('\n');
      }
      f.append("S").append(i).append(",2025-06-30,").append(xs).append(',').append(regions[region]).append('\n');
      l.append("S").append(i).append(",2025-06-30,").append(bad).append(',').append(weight).append('\n');
    }
    weighted = Files.writeString(dir.resolve("weighted.csv"), w);
    repeated = Files.writeString(dir.resolve("repeated.csv"), r);
    features = Files.writeString(dir.resolve("features.csv"), f);
    labels = Files.writeString(dir.resolve("labels.csv"), l);
  }

  private CliRun train(String out, String... more) {
    String[] base = {"train", "--target", "bad", "--test-share", "0", "--json", "--out", dir.resolve(out).toString()};
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliRun.of(args);
  }

  @Test
  void weightColumn_trainsTheScorecardOfRepeatedRows_fromDataOrLabels() throws Exception {
    CliRun byWeight = train("weighted.json", "--data", weighted.toString(), "--weight", "w");
    assertThat(byWeight.code()).as(byWeight.err()).isZero();
    CliRun byRepeat = train("repeated.json", "--data", repeated.toString());
    assertThat(byRepeat.code()).as(byRepeat.err()).isZero();
    CliRun fromLabels = train("labels.json", "--data", features.toString(), "--labels", labels.toString(),
        "--weight", "w");
    assertThat(fromLabels.code()).as(fromLabels.err()).isZero();

    JsonNode a = new ObjectMapper().readTree(byWeight.out());
    JsonNode b = new ObjectMapper().readTree(byRepeat.out());
    JsonNode c = new ObjectMapper().readTree(fromLabels.out());
    // The weight column is not a candidate; the IVs are those of the repeated rows.
    assertThat(names(a.get("iv"))).containsExactlyInAnyOrder("x", "region");
    for (String f : names(b.get("iv"))) {
      assertThat(a.get("iv").get(f).asDouble()).as(f).isCloseTo(b.get("iv").get(f).asDouble(), within(1e-12));
      assertThat(c.get("iv").get(f).asDouble()).as(f).isCloseTo(b.get("iv").get(f).asDouble(), within(1e-12));
    }
    assertThat(a.get("characteristics")).isEqualTo(b.get("characteristics")).isEqualTo(c.get("characteristics"));
    assertThat(a.get("characteristics")).hasSize(2);
    // The same points for every row: same bins and (to rounding) the same coefficients.
    Scorer s1 = ModelBundle.read(dir.resolve("weighted.json")).scorer();
    Scorer s2 = ModelBundle.read(dir.resolve("repeated.json")).scorer();
    Scorer s3 = ModelBundle.read(dir.resolve("labels.json")).scorer();
    ModelBundle bundle = ModelBundle.read(dir.resolve("weighted.json"));
    for (double x = -3; x <= 3; x += 0.05) {
      for (String region : new String[] {"north", "south", "east", "west"}) {
        double[] row = bundle.schema().row().set("x", x).set("region", region).values();
        assertThat(s1.score(row).points()).as("x %s %s", x, region).isEqualTo(s2.score(row).points())
            .isEqualTo(s3.score(row).points());
      }
    }
    // Unweighted training on the same rows gives a different model: the weights were used.
    CliRun unweighted = train("unweighted.json", "--data", weighted.toString(), "--exclude", "w");
    assertThat(unweighted.code()).as(unweighted.err()).isZero();
    JsonNode u = new ObjectMapper().readTree(unweighted.out());
    assertThat(Math.abs(u.get("iv").get("x").asDouble() - a.get("iv").get("x").asDouble())).isGreaterThan(1e-4);
  }

  private static java.util.List<String> names(JsonNode object) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
      out.add(it.next());
    }
    return out;
  }

  @Test
  void badWeights_oneLineNamingFileRowAndColumn_exit2() throws Exception {
    String text = Files.readString(labels);
    Path negative = Files.writeString(dir.resolve("negative.csv"), text.replaceFirst("\nS4,2025-06-30,(\\d),\\d\n",
        "\nS4,2025-06-30,$1,-1\n"));
    CliRun r = train("n.json", "--data", features.toString(), "--labels", negative.toString(), "--weight", "w");
    assertThat(r.code()).isEqualTo(2);
    assertThat(problem(r)).isEqualTo("chainscore train: " + negative
        + ", row 5, column w: expected a finite sample weight >= 0, got -1.0");

    Path empty = Files.writeString(dir.resolve("empty.csv"), Files.readString(weighted)
        .replaceFirst("\n([^,\n]+),(\\w+),\\d,(\\d)\n", "\n$1,$2,,$3\n"));
    r = train("e.json", "--data", empty.toString(), "--weight", "w");
    assertThat(r.code()).isEqualTo(2);
    assertThat(problem(r)).isEqualTo("chainscore train: " + empty
        + ", row 1, column w: the sample weight is missing; expected a number >= 0");

    r = train("t.json", "--data", weighted.toString(), "--weight", "region");
    assertThat(r.code()).isEqualTo(2);
    assertThat(problem(r)).isEqualTo("chainscore train: " + weighted
        + ", row 1, column region: expected a sample weight (a number >= 0), got '" + firstRegion() + "'");

    // one stray text among numbers: that row and value are named (row 1 and its number were, before)
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(weighted));
    int wColumn = java.util.Arrays.asList(lines.get(0).split(",")).indexOf("w");
    String[] fifth = lines.get(5).split(",", -1);
    fifth[wColumn] = "abc";
    lines.set(5, String.join(",", fifth));
    Path stray = Files.write(dir.resolve("stray.csv"), lines);
    r = train("s.json", "--data", stray.toString(), "--weight", "w");
    assertThat(r.code()).isEqualTo(2);
    assertThat(problem(r)).startsWith("chainscore train: " + stray + ", row 5, column w: 'abc' is not a number, but ");

    r = train("m.json", "--data", weighted.toString(), "--weight", "nope");
    assertThat(r.code()).isEqualTo(2);
    assertThat(problem(r)).contains("column nope: missing from the header (the --weight column)");

    // in neither --data nor --labels: both files and both headers, in the wording of a missing
    // column (until 2026-12-08 "F and L: no column 'nope' (the --weight column) in either")
    r = train("b.json", "--data", features.toString(), "--labels", labels.toString(), "--weight", "nope");
    assertThat(r.code()).isEqualTo(2);
    assertThat(problem(r)).isEqualTo("chainscore train: " + features + " and " + labels + ", column nope: missing"
        + " from both headers (the --weight column); " + features + "'s header has "
        + java.util.Arrays.asList(Files.readAllLines(features).get(0).split(",")) + "; " + labels + "'s header has "
        + java.util.Arrays.asList(Files.readAllLines(labels).get(0).split(",")));

    // gradient-boosted trees take the same column (xgboost engine); Smile has no sample weights
    r = train("g.json", "--data", weighted.toString(), "--weight", "w", "--model-type", "gbdt", "--engine", "smile");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--weight needs --engine xgboost");
  }

  /** The one line of stderr that is not train's progress, with no stack trace. */
  private static String problem(CliRun r) {
    assertThat(r.err()).doesNotContain("\tat ");
    java.util.List<String> lines = r.err().lines().filter(line -> !line.startsWith("train: ")).toList();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  private String firstRegion() throws Exception {
    return Files.readAllLines(weighted).get(1).split(",")[1];
  }

  /**
   * The PD calibration weighs the rows too: {@code --central-tendency} with {@code --master-scale
   * fit:N}, and {@code --central-tendency-from} averaging the cohorts' default rates, give the
   * bundle the repeated rows give (intercept to 1e-9, grade bounds to 1e-12), and the weighted
   * mean of the re-scored PDs meets the given target.
   */
  @Test
  void calibration_weighsTheRows_asTheRepeatedRowsDo() throws Exception {
    SplittableRandom random = new SplittableRandom(1803);
    StringBuilder w = new StringBuilder("x,year,w,bad\n");
    StringBuilder r = new StringBuilder("x,year,bad\n");
    java.util.List<double[]> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      double x = Math.round(random.nextGaussian() * 1000) / 1000.0;
      int year = 2021 + i % 3;
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-(-2 + 0.9 * x + 0.3 * (year - 2021)))) ? 1 : 0;
      int weight = bad == 1 ? 1 : 1 + random.nextInt(5); // goods under-sampled: weights undo it
      String xs = String.format(Locale.ROOT, "%.3f", x);
      w.append(xs).append(',').append(year).append(',').append(weight).append(',').append(bad).append('\n');
      for (int k = 0; k < weight; k++) {
        r.append(xs).append(',').append(year).append(',').append(bad).append('\n');
      }
      rows.add(new double[] {x, year, weight});
    }
    Path weightedYears = Files.writeString(dir.resolve("weighted-years.csv"), w);
    Path repeatedYears = Files.writeString(dir.resolve("repeated-years.csv"), r);
    for (String[] options : new String[][] {{"--central-tendency", "0.05"},
        {"--central-tendency-from", "bad", "--cohort", "year"}}) {
      String[] common = {"--master-scale", "fit:5", options[0], options[1]};
      String[] more = options.length > 2 ? new String[] {options[2], options[3]} : new String[0];
      CliRun byWeight = train("cal-w.json", concat(concat(new String[] {"--data", weightedYears.toString(),
          "--weight", "w", "--overwrite"}, common), more));
      assertThat(byWeight.code()).as(byWeight.err()).isZero();
      // the printed mean PD and grade shares are the calibration's, weighted: said so (the text, not --json)
      CliRun text = CliRun.of(concat(concat(new String[] {"train", "--target", "bad", "--test-share", "0", "--out",
          dir.resolve("cal-text.json").toString(), "--data", weightedYears.toString(), "--weight", "w", "--overwrite"},
          common), more));
      assertThat(text.code()).as(text.err()).isZero();
      assertThat(text.out()).contains("; weighted mean PD of the ").contains("), weighted share of training rows by grade:");
      CliRun byRepeat = train("cal-r.json", concat(concat(new String[] {"--data", repeatedYears.toString(),
          "--overwrite"}, common), more));
      assertThat(byRepeat.code()).as(byRepeat.err()).isZero();
      CliRun unweightedText = CliRun.of(concat(concat(new String[] {"train", "--target", "bad", "--test-share", "0",
          "--out", dir.resolve("cal-text-r.json").toString(), "--data", repeatedYears.toString(), "--overwrite"},
          common), more));
      assertThat(unweightedText.out()).contains("; mean PD of the ").contains("), share of training rows by grade:")
          .doesNotContain("weighted");
      JsonNode a = new ObjectMapper().readTree(dir.resolve("cal-w.json").toFile());
      JsonNode b = new ObjectMapper().readTree(dir.resolve("cal-r.json").toFile());
      assertThat(a.get("calibration").get("intercept").asDouble()).as(options[0])
          .isCloseTo(b.get("calibration").get("intercept").asDouble(), within(1e-9));
      assertThat(a.get("master_scale").get("grades")).hasSameSizeAs(b.get("master_scale").get("grades"));
      for (int g = 0; g < a.get("master_scale").get("grades").size(); g++) {
        JsonNode ga = a.get("master_scale").get("grades").get(g);
        JsonNode gb = b.get("master_scale").get("grades").get(g);
        if (ga.has("pd_upper")) {
          assertThat(ga.get("pd_upper").asDouble()).as(options[0] + " grade " + g)
              .isCloseTo(gb.get("pd_upper").asDouble(), within(1e-12));
        }
      }
      JsonNode record = a.get("provenance").get("pd_calibration");
      assertThat(record.get("weighted").asBoolean()).isTrue();
      assertThat(record.get("central_tendency").asDouble())
          .isCloseTo(b.get("provenance").get("pd_calibration").get("central_tendency").asDouble(), within(1e-15));
      if (options[0].equals("--central-tendency")) {
        ModelBundle bundle = ModelBundle.read(dir.resolve("cal-w.json"));
        Scorer scorer = bundle.scorer();
        double sum = 0;
        double total = 0;
        for (double[] row : rows) {
          double[] features = new double[bundle.schema().size()];
          features[bundle.schema().indexOf("x")] = row[0];
          if (bundle.schema().indexOf("year") >= 0) {
            features[bundle.schema().indexOf("year")] = row[1];
          }
          sum += row[2] * scorer.score(features).pd();
          total += row[2];
        }
        assertThat(sum / total).isCloseTo(0.05, within(1e-9));
      }
    }
  }

  @Test
  void segmented_eachSegmentsReportedMeanPd_isTheWeightedMeanItsCalibrationMeets() throws Exception {
    SplittableRandom random = new SplittableRandom(1804);
    StringBuilder w = new StringBuilder("x,year,w,bad\n");
    java.util.List<double[]> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      double x = Math.round(random.nextGaussian() * 1000) / 1000.0;
      int year = 2021 + i % 3;
      int bad = random.nextDouble() < 1 / (1 + Math.exp(-(-1.5 + 0.9 * x))) ? 1 : 0;
      int weight = bad == 1 ? 1 : 1 + random.nextInt(5); // goods under-sampled: weights undo it
      w.append(String.format(Locale.ROOT, "%.3f,%d,%d,%d%n", x, year, weight, bad));
      rows.add(new double[] {x, year, weight});
    }
    Path data = Files.writeString(dir.resolve("weighted-segments.csv"), w);
    CliRun run = train("seg-w.json", "--data", data.toString(), "--weight", "w", "--segment", "x<0=low",
        "--segment", "otherwise=high", "--central-tendency", "low=0.04,high=0.2");
    assertThat(run.code()).as(run.err()).isZero();
    ModelBundle bundle = ModelBundle.read(dir.resolve("seg-w.json"));
    Scorer scorer = bundle.scorer();
    Map<String, double[]> byHand = new java.util.HashMap<>(); // weighted PD sum and weight per segment
    for (double[] row : rows) {
      double[] features = new double[bundle.schema().size()];
      features[bundle.schema().indexOf("x")] = row[0];
      if (bundle.schema().indexOf("year") >= 0) {
        features[bundle.schema().indexOf("year")] = row[1];
      }
      double[] acc = byHand.computeIfAbsent(row[0] < 0 ? "low" : "high", k -> new double[2]);
      acc[0] += row[2] * scorer.score(features).pd();
      acc[1] += row[2];
    }
    JsonNode json = new ObjectMapper().readTree(run.out());
    for (JsonNode segment : json.get("segments")) {
      String name = segment.get("name").asText();
      JsonNode calibration = segment.get("pd_calibration");
      double target = name.equals("low") ? 0.04 : 0.2;
      double weightedMean = byHand.get(name)[0] / byHand.get(name)[1];
      assertThat(weightedMean).as(name + ": the calibration meets the weighted mean").isCloseTo(target, within(1e-9));
      // the reported mean PD is the one the calibration meets, not the unweighted mean of the rows
      assertThat(calibration.get("mean_pd").asDouble()).as(name).isCloseTo(weightedMean, within(1e-9));
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import io.chainscore.scoring.ModelBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainscore train --model-type gbdt} with the xgboost engine's options on German credit:
 * monotone constraints hold in the written bundle, early stopping is recorded in its provenance,
 * a weight column of 2s gives the same trees as duplicating every training row, and bad values
 * get one line and exit 2.
 */
class TrainGbdtOptionsCommandTest {
  @TempDir Path dir;

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ChainScoreCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  private String[] train(Path data, String out, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--target", "creditability",
        "--event-label", "bad", "--model-type", "gbdt", "--test-share", "0", "--json", "--out",
        dir.resolve(out).toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  /**
   * An approval cut-off below every training PD says what to change: the lowest PD, a cut-off
   * above it or training-average, and that the option was the default when it was not given
   * (Smile's trees on German credit hit this with every option at its default, and the message
   * named an option the user never passed and no way out).
   */
  @Test
  void approvalCutOffBelowEveryPd_namesTheLowestPdAndTheWayOut() throws Exception {
    String[] given = train(TestRuns.german(), "cut.json", "--depth", "3", "--reason-reference", "approved:0.0001");
    assertThat(given[0]).isEqualTo("2");
    assertThat(given[2]).containsPattern("--reason-reference approved:0.0001: no row of the training rows of \\S+ has a"
        + " PD at or below the approval cut-off 0.0001: the lowest is 0\\.\\d{4}; give a cut-off above it, or"
        + " training-average").doesNotContain("(the default)");
    // every option at its default, as the audit ran it (the split of 30% test rows included)
    String[] smile = run("train", "--data", TestRuns.german().toString(), "--target", "creditability", "--event-label",
        "bad", "--model-type", "gbdt", "--engine", "smile", "--out", dir.resolve("smile.json").toString());
    assertThat(smile[0]).isEqualTo("2");
    assertThat(smile[2]).contains("--reason-reference approved:0.05 (the default): ")
        .contains("give a cut-off above it, or training-average");
    assertThat(dir.resolve("cut.json")).doesNotExist();
  }

  @Test
  void monotoneAndEarlyStopping_holdInTheBundle_andAreRecorded() throws Exception {
    String[] r = train(TestRuns.german(), "mono.json", "--monotone", "duration_in_month=+1,age_in_years=-1",
        "--early-stopping", "10", "--trees", "400");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    ModelBundle bundle = ModelBundle.read(dir.resolve("mono.json"));
    String trainer = bundle.provenance().trainer();
    assertThat(trainer).contains("engine=xgboost4j 3.4.0").contains("early_stopping=10 metric=logloss")
        .contains("monotone={age_in_years=-1, duration_in_month=1}");
    int kept = Integer.parseInt(trainer.replaceAll(".*trees_kept=(\\d+).*", "$1"));
    int run = Integer.parseInt(trainer.replaceAll(".*rounds_trained=(\\d+).*", "$1"));
    assertThat(kept).isLessThan(400);
    assertThat(run).isEqualTo(kept + 10);
    // Every German-credit row, duration and age moved over their ranges: PD never falls / never rises.
    TabularSamples all = TabularSamples.of(TabularData.readCsv(TestRuns.german(), "creditability", "bad"), Set.of());
    int p = all.schema().size();
    int duration = all.schema().indexOf("duration_in_month");
    int age = all.schema().indexOf("age_in_years");
    int violations = 0;
    for (int i = 0; i < all.size(); i += 5) {
      double[] row = java.util.Arrays.copyOfRange(all.rows(), i * p, (i + 1) * p);
      double previous = -1;
      for (int d = 4; d <= 72; d++) {
        row[duration] = d;
        double pd = bundle.scorer().score(row).pd();
        violations += pd < previous ? 1 : 0;
        previous = pd;
      }
      row = java.util.Arrays.copyOfRange(all.rows(), i * p, (i + 1) * p);
      previous = 2;
      for (int a = 19; a <= 75; a++) {
        row[age] = a;
        double pd = bundle.scorer().score(row).pd();
        violations += pd > previous ? 1 : 0;
        previous = pd;
      }
    }
    assertThat(violations).isZero();
  }

  @Test
  void monotoneScorecard_takesTheBinningTrends_andHoldsThem() throws Exception {
    String[] r = train(TestRuns.german(), "trend.json", "--monotone", "scorecard");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    ModelBundle bundle = ModelBundle.read(dir.resolve("trend.json"));
    // German credit: longer loans default more, older applicants less (the scorecard's own bins agree).
    assertThat(bundle.provenance().trainer()).contains("duration_in_month=1").contains("age_in_years=-1");
    TabularSamples all = TabularSamples.of(TabularData.readCsv(TestRuns.german(), "creditability", "bad"), Set.of());
    int p = all.schema().size();
    int duration = all.schema().indexOf("duration_in_month");
    int violations = 0;
    for (int i = 0; i < all.size(); i += 7) {
      double[] row = java.util.Arrays.copyOfRange(all.rows(), i * p, (i + 1) * p);
      double previous = -1;
      for (int d = 4; d <= 72; d++) {
        row[duration] = d;
        double pd = bundle.scorer().score(row).pd();
        violations += pd < previous ? 1 : 0;
        previous = pd;
      }
    }
    assertThat(violations).isZero();
  }

  @Test
  void weightColumnOfTwos_equalsDuplicatedRows() throws Exception {
    List<String> lines = Files.readAllLines(TestRuns.german());
    List<String> weighted = new ArrayList<>(List.of(lines.get(0) + ",w"));
    List<String> duplicated = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      weighted.add(line + ",2");
      duplicated.add(line);
      duplicated.add(line);
    }
    Path w = Files.write(dir.resolve("weighted.csv"), weighted);
    Path d = Files.write(dir.resolve("duplicated.csv"), duplicated);
    // credit_amount (921 distinct values) is left out: with more distinct values than histogram bins
    // (256) the weighted quantile sketch places the cuts differently from the duplicated rows'.
    // A fixed depth: the default depth choice holds out a share of the rows, and 1,000 weighted rows
    // and 2,000 duplicated ones are held out differently (a duplicate may sit on both sides).
    String[] a = train(w, "w.json", "--weight", "w", "--trees", "40", "--exclude", "credit_amount", "--depth", "3");
    String[] b = train(d, "d.json", "--trees", "40", "--exclude", "credit_amount", "--depth", "3");
    assertThat(a[0]).as(a[2]).isEqualTo("0");
    assertThat(b[0]).as(b[2]).isEqualTo("0");
    ModelBundle mw = ModelBundle.read(dir.resolve("w.json"));
    ModelBundle md = ModelBundle.read(dir.resolve("d.json"));
    assertThat(mw.provenance().trainer()).contains("weights=sha256:");
    String[] u = train(TestRuns.german(), "u.json", "--trees", "40", "--exclude", "credit_amount", "--depth", "3");
    ModelBundle mu = ModelBundle.read(dir.resolve("u.json"));
    TabularSamples all = TabularSamples.of(TabularData.readCsv(TestRuns.german(), "creditability", "bad"),
        Set.of("credit_amount"));
    int p = all.schema().size();
    double worst = 0;
    double worstUnweighted = 0;
    for (int i = 0; i < all.size(); i++) {
      double[] row = java.util.Arrays.copyOfRange(all.rows(), i * p, (i + 1) * p);
      worst = Math.max(worst, Math.abs(mw.scorer().score(row).pd() - md.scorer().score(row).pd()));
      worstUnweighted = Math.max(worstUnweighted, Math.abs(mu.scorer().score(row).pd() - md.scorer().score(row).pd()));
    }
    assertThat(u[0]).as(u[2]).isEqualTo("0");
    assertThat(worstUnweighted).as("weights of 2 change the trees (hessian sums, min child weight)").isGreaterThan(0.01);
    // Same splits; gradient sums of 2g and g + g differ only in float rounding.
    assertThat(worst).isLessThan(1e-4);
  }

  /**
   * {@code --categorical-splits}: German credit's text columns (purpose has 10 categories) split one
   * category against the rest by default and by partitions on request, as the bundle's trees and
   * provenance show; a scorecard refuses the option.
   */
  @Test
  void categoricalSplits_defaultOneVsRest_partitionOnRequest() throws Exception {
    java.util.Map<String, Integer> widest = new java.util.HashMap<>();
    for (String kind : new String[] {null, "partition"}) {
      String out = (kind == null ? "default" : kind) + ".json";
      String[] r = kind == null ? train(TestRuns.german(), out) : train(TestRuns.german(), out, "--categorical-splits", kind);
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      ModelBundle bundle = ModelBundle.read(dir.resolve(out));
      assertThat(bundle.provenance().trainer()).contains("categorical=" + (kind == null ? "one-vs-rest" : kind));
      int most = 0;
      for (var tree : ((io.chainscore.scoring.spi.TreeEnsembleView) io.chainscore.scoring.spi.ModelView.of(bundle))
          .ensemble().trees()) {
        for (int i = 0; i < tree.nodeCount(); i++) {
          if (!tree.isLeaf(i) && tree.isCategorical(i)) {
            most = Math.max(most, tree.categories(i).length);
          }
        }
      }
      widest.put(out, most);
    }
    assertThat(widest.get("default.json")).isEqualTo(1);
    assertThat(widest.get("partition.json")).isGreaterThan(1);
    String[] scorecard = run("train", "--data", TestRuns.german().toString(), "--target", "creditability",
        "--event-label", "bad", "--categorical-splits", "partition", "--out", dir.resolve("sc.json").toString());
    assertThat(scorecard[0]).isEqualTo("2");
    assertThat(scorecard[2]).contains("--categorical-splits applies to --model-type gbdt");
  }

  /**
   * Every gbdt-only option is refused with a scorecard, those with defaults too: ten of them were
   * taken without a word and the plain scorecard trained (docs/gbdt.md says they are refused).
   */
  @Test
  void gbdtOnlyOptions_areRefusedWithAScorecard_eachNamed() {
    String[][] given = {{"--engine", "xgboost"}, {"--trees", "5"}, {"--depth", "2"}, {"--depth", "auto"},
        {"--max-leaves", "4"}, {"--shrinkage", "0.5"}, {"--subsample", "0.5"}, {"--node-size", "5"},
        {"--calibration-share", "0.2"}, {"--validation-share", "0.3"}, {"--early-stopping", "5"},
        {"--monotone", "age_in_years:+1"}, {"--threads", "2"}, {"--categorical-splits", "partition"},
        {"--reason-reference", "training-average"}};
    assertThat(java.util.Arrays.stream(given).map(g -> g[0]).distinct().toList())
        .containsExactlyInAnyOrderElementsOf(GbdtOptions.GBDT_ONLY);
    for (String[] option : given) {
      String[] scorecard = run("train", "--data", TestRuns.german().toString(), "--target", "creditability",
          "--event-label", "bad", option[0], option[1], "--out", dir.resolve("sc-" + option[0].substring(2) + ".json")
              .toString());
      assertThat(scorecard[0]).as(option[0]).isEqualTo("2");
      assertThat(scorecard[2]).as(option[0]).contains(option[0] + " applies to --model-type gbdt");
    }
  }

  /**
   * The reverse: options the trees would take without effect are refused by name (the audit found
   * them giving byte-identical bundles): the scorecard binning's unless --monotone scorecard takes the
   * scorecard's trends, and --validation-share when no rows are held out (--depth N, no early stopping).
   */
  @Test
  void optionsWithoutEffectOnTrees_areRefused_eachNamed() {
    for (String option : GbdtOptions.SCORECARD_BINNING) {
      String[] r = train(TestRuns.german(), "b.json", "--depth", "2", "--trees", "5", option,
          option.equals("--max-bins") ? "6" : "0.05");
      assertThat(r[0]).as(option).isEqualTo("2");
      assertThat(r[2]).as(option).contains(option + " applies to a scorecard's binning; trees use it only to take"
          + " the scorecard's trends as constraints (--monotone scorecard)");
    }
    String[] share = train(TestRuns.german(), "v.json", "--depth", "2", "--trees", "5", "--validation-share", "0.3");
    assertThat(share[0]).isEqualTo("2");
    assertThat(share[2]).contains("--validation-share applies to --early-stopping and to the depth chosen on held-out"
        + " rows (--depth auto, the xgboost default); with --depth 2 and no --early-stopping no rows are held out");
    // where they count, they are taken
    // (five trees approve no row at PD 0.05: the reasons are measured against the average)
    String[] w = train(TestRuns.german(), "w.json", "--depth", "2", "--trees", "5", "--validation-share", "0.3",
        "--early-stopping", "3", "--reason-reference", "training-average");
    assertThat(w[0]).as(w[2]).isEqualTo("0");
    String[] m = train(TestRuns.german(), "m.json", "--depth", "2", "--trees", "5", "--monotone", "scorecard",
        "--min-iv", "0.05", "--reason-reference", "training-average");
    assertThat(m[0]).as(m[2]).isEqualTo("0");
    assertThat(dir.resolve("b.json")).doesNotExist();
  }

  /**
   * A CSV as pandas' {@code to_csv} and R's {@code write.csv} write it by default, the row numbers
   * first in a column with no name: the column is read as {@code column_1}, said so on the console
   * (a row number is no characteristic, but only the user knows that it is one), and {@code
   * --exclude column_1} leaves it out; before, it became a feature named {@code f} with an empty
   * statement, and no option could name it.
   */
  @Test
  void rowNumbersInAnUnnamedColumn_areReadAsColumn1_saidSo_andExcludable() throws Exception {
    List<String> lines = java.nio.file.Files.readAllLines(TestRuns.german());
    List<String> written = new ArrayList<>(List.of("," + lines.get(0)));
    for (int i = 1; i < lines.size(); i++) {
      written.add((i - 1) + "," + lines.get(i));
    }
    Path data = java.nio.file.Files.write(dir.resolve("german-pandas.csv"), written);
    String[] kept = train(data, "kept.json", "--depth", "2", "--trees", "5", "--reason-reference", "training-average");
    assertThat(kept[0]).as(kept[2]).isEqualTo("0");
    assertThat(kept[2]).contains("train: column 1 of " + data + " has no name in its header; read as column_1, a"
        + " candidate characteristic (a row number? leave it out with --exclude column_1)");
    com.fasterxml.jackson.databind.JsonNode features = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("kept.json").toFile()).get("features");
    assertThat(features.get(0).get("name").asText()).isEqualTo("column_1");
    assertThat(features.get(0).get("description").asText()).isEqualTo("column_1");
    String[] left = train(data, "left.json", "--depth", "2", "--trees", "5", "--reason-reference", "training-average",
        "--exclude", "column_1");
    assertThat(left[0]).as(left[2]).isEqualTo("0");
    assertThat(left[2]).doesNotContain("has no name");
    com.fasterxml.jackson.databind.JsonNode without = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("left.json").toFile()).get("features");
    assertThat(without.findValuesAsText("name")).doesNotContain("column_1", "f");
    assertThat(without.size()).isEqualTo(features.size() - 1);
  }

  /**
   * {@code --depth auto}: the console names the chosen depth and each candidate shape's held-out
   * log-loss (the depths 3-6 and the 31-leaf shape), the provenance the same, and the bundle is the
   * one {@code --depth} at the chosen depth writes (the choice only picks the shape); with {@code
   * --max-leaves} the choice is among the depths alone, each with that limit.
   */
  @Test
  void depthAuto_choosesOnHeldOutRows_andRecordsTheChoice() throws Exception {
    String[] r = train(TestRuns.german(), "auto.json", "--depth", "auto");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[2]).contains("(100 trees, the shape chosen among depths 3, 4, 5, 6 and 31 leaves, shrinkage 0.1)");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "train: depth (\\d) chosen on (\\d+) held-out training rows \\(log-loss by shape 3:0\\.\\d{6} 4:0\\.\\d{6}"
            + " 5:0\\.\\d{6} 6:0\\.\\d{6} 31 leaves:0\\.\\d{6}\\)").matcher(r[2]);
    assertThat(m.find()).as(r[2]).isTrue();
    String chosen = m.group(1);
    String trainer = ModelBundle.read(dir.resolve("auto.json")).provenance().trainer();
    assertThat(trainer).contains("max_depth=" + chosen + " (chosen among [3, 4, 5, 6, 31 leaves] by held-out"
        + " log-loss, validation_rows=" + m.group(2) + ", log-loss 3:", " max_leaves=0 ");
    // --json: the depth, and how it was chosen (each candidate's log-loss, as the console rounds it)
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r[1]);
    assertThat(json.get("depth").asText()).isEqualTo(chosen);
    assertThat(json.at("/depth_choice/validation_rows").asText()).isEqualTo(m.group(2));
    assertThat(json.at("/depth_choice/chosen").asText()).isEqualTo(chosen);
    assertThat(json.at("/depth_choice/log_loss").size()).isEqualTo(5);
    for (String d : List.of("3", "4", "5", "6", "31 leaves")) {
      assertThat(r[2]).contains(d + ":" + String.format(java.util.Locale.ROOT, "%.6f",
          json.at("/depth_choice/log_loss/" + d).asDouble()));
    }
    // a leaf limit of the user's: the depths alone, each with it
    String[] limited = train(TestRuns.german(), "limited.json", "--depth", "auto", "--max-leaves", "8");
    assertThat(limited[0]).as(limited[2]).isEqualTo("0");
    assertThat(limited[2]).contains("(100 trees, the shape chosen among depths 3, 4, 5, 6 (at most 8 leaves), shrinkage");
    assertThat(ModelBundle.read(dir.resolve("limited.json")).provenance().trainer())
        .contains("(chosen among [3, 4, 5, 6] by held-out log-loss,", " max_leaves=8 ");
    // the xgboost engine's default since 2026-12-05 (the 31-leaf shape among the choices since
    // 2026-12-06): the same choice, the same trees and provenance
    // (the model id is the out file's name, so the bundles' hashes differ)
    String[] byDefault = train(TestRuns.german(), "default.json");
    assertThat(byDefault[0]).as(byDefault[2]).isEqualTo("0");
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode defaultBundle = mapper.readTree(dir.resolve("default.json").toFile());
    com.fasterxml.jackson.databind.JsonNode autoBundle = mapper.readTree(dir.resolve("auto.json").toFile());
    assertThat(defaultBundle.get("model")).isEqualTo(autoBundle.get("model"));
    assertThat(defaultBundle.get("provenance")).isEqualTo(autoBundle.get("provenance"));
    String[] fixed = train(TestRuns.german(), "fixed.json", "--depth", chosen);
    assertThat(fixed[0]).as(fixed[2]).isEqualTo("0");
    assertThat(fixed[2]).doesNotContain("held-out training rows");
    com.fasterxml.jackson.databind.JsonNode fixedJson = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fixed[1]);
    assertThat(fixedJson.get("depth").asText()).isEqualTo(chosen);
    assertThat(fixedJson.has("depth_choice")).isFalse();
    ModelBundle a = ModelBundle.read(dir.resolve("auto.json"));
    ModelBundle b = ModelBundle.read(dir.resolve("fixed.json"));
    TabularSamples all = TabularSamples.of(TabularData.readCsv(TestRuns.german(), "creditability", "bad"), Set.of());
    int p = all.schema().size();
    for (int i = 0; i < all.size(); i++) {
      double[] row = java.util.Arrays.copyOfRange(all.rows(), i * p, (i + 1) * p);
      assertThat(a.scorer().score(row).pd()).as("row %d", i).isEqualTo(b.scorer().score(row).pd());
    }
  }

  /**
   * {@code --node-size} is the Smile engine's: with the default xgboost engine it was taken and
   * ignored (the same trees as without it, nothing in the provenance), as xgboost has no smallest
   * node in rows. It is refused there, naming the option and the engine it applies to; with {@code
   * --engine smile} it shapes the trees and the provenance records it.
   */
  @Test
  void nodeSize_refusedWithXgboost_takenAndRecordedBySmile() throws Exception {
    Path german = TestRuns.german();
    for (String[] xgboost : new String[][] {{"--node-size", "500"}, {"--engine", "xgboost", "--node-size", "20"}}) {
      String[] r = train(german, "x.json", xgboost);
      assertThat(r[0]).as(r[2]).isEqualTo("2");
      // a usage error, as the scorecard's refusal of gbdt options: the line, then the pointer to --help
      assertThat(r[2].lines().filter(l -> l.startsWith("chainscore")).toList()).containsExactly(
          "chainscore: --node-size applies to --engine smile only; XGBoost has no smallest node size in rows"
              + " (its min_child_weight bounds a sum of hessians, not a row count)");
      assertThat(dir.resolve("x.json")).doesNotExist();
    }
    String[] large = train(german, "s500.json", "--engine", "smile", "--trees", "5", "--node-size", "500",
        "--reason-reference", "training-average");
    String[] usual = train(german, "s20.json", "--engine", "smile", "--trees", "5", "--reason-reference",
        "training-average");
    assertThat(large[0]).as(large[2]).isEqualTo("0");
    assertThat(usual[0]).as(usual[2]).isEqualTo("0");
    ModelBundle a = ModelBundle.read(dir.resolve("s500.json"));
    ModelBundle b = ModelBundle.read(dir.resolve("s20.json"));
    assertThat(a.provenance().trainer()).contains("node_size=500");
    assertThat(b.provenance().trainer()).contains("node_size=20");
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(dir.resolve("s500.json").toFile()).get("model"))
        .isNotEqualTo(json.readTree(dir.resolve("s20.json").toFile()).get("model"));
  }

  @Test
  void badValues_oneLineExit2() throws Exception {
    Path german = TestRuns.german();
    String[][] cases = {
        {"--engine", "lgbm"},
        {"--monotone", "duration_in_month=up"},
        {"--monotone", "nosuch=+1"},
        {"--monotone", "purpose=+1"},
        {"--engine", "smile", "--early-stopping", "5"},
        {"--early-stopping", "0"},
        {"--weight", "nosuch"},
        {"--weight", "purpose"},
        {"--categorical-splits", "onehot"},
        {"--engine", "smile", "--categorical-splits", "partition"},
        {"--depth", "deep"},
        {"--depth", "0"},
        {"--engine", "smile", "--depth", "auto"},
    };
    String[] expected = {
        "--engine: expected xgboost or smile, got 'lgbm'",
        "--monotone duration_in_month=up: expected FEATURE=+1",
        "monotone constraint on 'nosuch', which is not a model feature",
        "monotone constraint on 'purpose', a categorical feature",
        "--early-stopping needs --engine xgboost",
        "--early-stopping 0: must be at least 1",
        "column nosuch: missing from the header (the --weight column)",
        "column purpose: expected a sample weight (a number >= 0), got 'radio/television'",
        "--categorical-splits: expected one-vs-rest or partition, got 'onehot'",
        "--categorical-splits needs --engine xgboost",
        "--depth: expected a whole number or auto, got 'deep'",
        "max depth must be in [1, ",
        "--depth auto needs --engine xgboost",
    };
    for (int k = 0; k < cases.length; k++) {
      String[] r = train(german, "bad.json", cases[k]);
      assertThat(r[0]).as(String.join(" ", cases[k])).isEqualTo("2");
      List<String> errors = r[2].lines().filter(l -> !l.startsWith("train:") && !l.startsWith("Run ")).toList();
      assertThat(errors).as(String.join(" ", cases[k])).hasSize(1);
      assertThat(errors.get(0)).contains(expected[k]);
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(german));
    lines.set(0, lines.get(0) + ",w");
    for (int i = 1; i < lines.size(); i++) {
      lines.set(i, lines.get(i) + (i == 17 ? ",-1" : ",1"));
    }
    Path bad = Files.write(dir.resolve("negative.csv"), lines);
    String[] r = train(bad, "neg.json", "--weight", "w");
    assertThat(r[0]).isEqualTo("2");
    // the one weight reader of train (SampleWeights), as for scorecards: file, row, column
    assertThat(r[2]).containsPattern("negative.csv, row 1[78], column w: expected a finite sample weight >= 0, got -1.0");
    assertThat(r[2]).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /**
   * {@code --reason-reference}: the default measures the reasons against the training rows the
   * model approves (PD at or below 5%), counted here from the bundle's own PDs; training-average
   * writes no reference; a PD outside (0, 1) is one line, exit 2.
   */
  @Test
  void reasonReference_defaultApprovedPopulation_countedFromTheBundlesPds() throws Exception {
    String[] r = train(TestRuns.german(), "ref.json", "--trees", "60");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    ModelBundle bundle = ModelBundle.read(dir.resolve("ref.json"));
    ModelBundle.ReasonReference reference = bundle.reasonReference();
    assertThat(reference.method()).isEqualTo(ModelBundle.ReasonReference.APPROVED_POPULATION);
    TabularSamples all = TabularSamples.of(TabularData.readCsv(TestRuns.german(), "creditability", "bad"), Set.of());
    int p = all.schema().size();
    long approved = 0;
    for (int i = 0; i < all.size(); i++) {
      double[] row = java.util.Arrays.copyOfRange(all.rows(), i * p, (i + 1) * p);
      if (bundle.scorer().score(row).pd() <= 0.05) {
        approved++;
      }
    }
    assertThat(approved).isPositive();
    assertThat(reference.rows()).isEqualTo(approved);
    assertThat(reference.population()).contains("the " + approved + " of 1,000 scored rows with PD at or below 5%");

    String[] plain = train(TestRuns.german(), "plain.json", "--trees", "60", "--reason-reference", "training-average");
    assertThat(plain[0]).as(plain[2]).isEqualTo("0");
    assertThat(ModelBundle.read(dir.resolve("plain.json")).reasonReference().method())
        .isEqualTo(ModelBundle.ReasonReference.TRAINING_AVERAGE);

    String[] bad = train(TestRuns.german(), "bad.json", "--reason-reference", "approved:2");
    assertThat(bad[0]).isEqualTo("2");
    assertThat(bad[2].strip().lines().filter(l -> !l.startsWith("train:") && !l.startsWith("Run ")).toList()).hasSize(1);
    assertThat(bad[2]).contains("--reason-reference approved:2: expected approved:PD");
  }
}

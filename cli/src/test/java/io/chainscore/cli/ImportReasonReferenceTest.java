package io.chainscore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.scoring.ModelBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import --reason-reference approved:PD --reference-data FILE}: an imported tree model's
 * reasons measured against the approved rows of a sample, checked against xgboost4j itself: the
 * bundle's reference is, per feature, the mean of xgboost4j's own TreeSHAP contributions ({@code
 * predictContrib}) over the rows whose PD xgboost4j puts at or below the cut-off.
 */
class ImportReasonReferenceTest {
  private static final int FEATURES = 4;
  private static final int ROWS = 3000;

  @TempDir static Path dir;
  static Path model;
  static Path reference;
  static float[] x;

  @BeforeAll
  static void trainAndWriteSample() throws Exception {
    Random random = new Random(11);
    int n = 4000;
    float[] train = new float[n * FEATURES];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < FEATURES; f++) {
        train[i * FEATURES + f] = random.nextInt(10) == 0 ? Float.NaN : (float) random.nextGaussian();
      }
      double signal = z(train[i * FEATURES]) - 0.8 * z(train[i * FEATURES + 1])
          + 0.5 * z(train[i * FEATURES + 2]) * z(train[i * FEATURES + 3]) + random.nextGaussian() - 1;
      y[i] = signal > 0 ? 1 : 0;
    }
    DMatrix m = new DMatrix(train, n, FEATURES, Float.NaN);
    m.setLabel(y);
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "binary:logistic");
    params.put("max_depth", 3);
    params.put("eta", 0.3);
    params.put("nthread", 1);
    params.put("tree_method", "hist");
    params.put("seed", 3);
    Booster booster = XGBoost.train(m, params, 20, new HashMap<>(), null, null);
    m.dispose();
    model = dir.resolve("model.json");
    booster.saveModel(model.toString());
    booster.dispose();

    // the sample: the model's features by name (f0..f3), one column the model does not use, empties missing
    x = new float[ROWS * FEATURES];
    StringBuilder csv = new StringBuilder("f0,note,f1,f2,f3\n");
    for (int i = 0; i < ROWS; i++) {
      for (int f = 0; f < FEATURES; f++) {
        // printed with %.6f and read back: the float the peer gets is the number in the file
        x[i * FEATURES + f] = random.nextInt(12) == 0 ? Float.NaN
            : Float.parseFloat(String.format(Locale.ROOT, "%.6f", random.nextGaussian()));
      }
      csv.append(cell(x[i * FEATURES])).append(",row ").append(i).append(',').append(cell(x[i * FEATURES + 1]))
          .append(',').append(cell(x[i * FEATURES + 2])).append(',').append(cell(x[i * FEATURES + 3])).append('\n');
    }
    reference = Files.writeString(dir.resolve("sample.csv"), csv);
  }

  private static double z(float v) {
    return Float.isNaN(v) ? 0 : v;
  }

  private static String cell(float v) {
    return Float.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    return ChainScoreCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void approvedReference_isTheMeanOfXgboostsOwnContributionsOverTheRowsItApproves() throws Exception {
    double cut = 0.2;
    Path out = dir.resolve("approved.json");
    StringWriter stdout = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(run(stdout, err, "import", "xgboost", "--source", model.toString(), "--out", out.toString(),
        "--max-missing-share", "1", "--reason-reference", "approved:" + cut, "--reference-data", reference.toString()))
        .as(err.toString()).isZero();
    ModelBundle bundle = ModelBundle.read(out);

    Booster booster = XGBoost.loadModel(model.toString());
    DMatrix m = new DMatrix(x, ROWS, FEATURES, Float.NaN);
    float[][] pd = booster.predict(m);
    float[][] contributions = booster.predictContrib(m, 0);
    m.dispose();
    booster.dispose();
    double[] sums = new double[FEATURES];
    int approved = 0;
    for (int i = 0; i < ROWS; i++) {
      // no row sits so close to the cut that float32 and the bundle's PD could disagree on it
      assertThat(Math.abs(pd[i][0] - cut)).as("row %d", i).isGreaterThan(1e-5);
      if (pd[i][0] <= cut) {
        approved++;
        for (int f = 0; f < FEATURES; f++) {
          sums[f] += contributions[i][f];
        }
      }
    }
    assertThat(approved).isBetween(ROWS / 10, ROWS * 9 / 10);
    ModelBundle.ReasonReference r = bundle.reasonReference();
    assertThat(r).isNotNull();
    assertThat(r.method()).isEqualTo("approved_population");
    assertThat(r.rows()).isEqualTo(approved);
    assertThat(r.population()).isEqualTo(String.format(Locale.ROOT, "rows of sample.csv (sha256 %s): the %,d of"
        + " %,d scored rows with PD at or below 20%%", io.chainscore.batch.engine.RunManifest.sha256(reference),
        approved, ROWS));
    for (int f = 0; f < FEATURES; f++) {
      // the import gives feature j the code R0(j+1); xgboost4j's contributions are float32
      assertThat(r.contributions().get(String.format("R%02d", f + 1))).as("f%d", f)
          .isCloseTo(sums[f] / approved, within(2e-6));
    }
    assertThat(stdout.toString()).contains("Reasons: against the approved population, rows of sample.csv");
    assertThat(bundle.provenance().trainer()).contains("options: --max-missing-share 1.0 --reason-reference approved:0.2");
  }

  @Test
  void trainingAverage_isTheDefault_andTheBundleHasNoReference() throws Exception {
    Path out = dir.resolve("plain.json");
    StringWriter stdout = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(run(stdout, err, "import", "xgboost", "--source", model.toString(), "--out", out.toString()))
        .as(err.toString()).isZero();
    assertThat(ModelBundle.read(out).reasonReference().method()).isEqualTo("training_average");
    assertThat(stdout.toString()).contains("Reasons: against the model's training average");
  }

  @Test
  void badCombinations_refusedInOneLine_beforeAnythingIsWritten() throws Exception {
    Path out = dir.resolve("refused.json");
    String[][] cases = {
      {"--reason-reference", "approved:0.2"},
      {"--reference-data", "REF"},
      {"--reason-reference", "training-average", "--reference-data", "REF"},
      {"--reason-reference", "approved:1.5", "--reference-data", "REF"},
      {"--reason-reference", "approved", "--reference-data", "REF"},
      {"--reason-reference", "approved:0.2", "--reference-data", "MISSING"},
      {"--reason-reference", "approved:0.0001", "--reference-data", "REF"},
    };
    String[] expected = {
      "--reason-reference approved:0.2 needs --reference-data FILE",
      "applies only with --reason-reference approved:PD",
      "applies only with --reason-reference approved:PD",
      "--reason-reference approved:1.5: expected approved:PD with a PD between 0 and 1",
      "--reason-reference approved: expected approved:PD with a PD between 0 and 1",
      "no such file",
      "--reason-reference approved:0.0001: no row of the rows of sample.csv",
    };
    for (int c = 0; c < cases.length; c++) {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("import", "xgboost", "--source",
          model.toString(), "--out", out.toString()));
      for (String a : cases[c]) {
        args.add(a.equals("REF") ? reference.toString() : a.equals("MISSING") ? dir.resolve("none.csv").toString() : a);
      }
      StringWriter err = new StringWriter();
      assertThat(run(new StringWriter(), err, args.toArray(new String[0]))).as(String.join(" ", cases[c])).isEqualTo(2);
      assertThat(err.toString()).as(String.join(" ", cases[c])).contains(expected[c]);
      assertThat(err.toString().strip().lines().count()).as(err.toString()).isLessThanOrEqualTo(2);
      assertThat(err.toString()).doesNotContain("Exception", "\tat ");
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void aScorecardPmml_refusesTheApprovedReferenceByName() throws Exception {
    // a scorecard as ChainScore exports it: a PMML the importer reads whole
    Path scorecard = dir.resolve("scorecard.pmml");
    assertThat(run(new StringWriter(), new StringWriter(), "export", "pmml", "--out", scorecard.toString())).isZero();
    StringWriter err = new StringWriter();
    assertThat(run(new StringWriter(), err, "import", "pmml", "--source", scorecard.toString(), "--out",
        dir.resolve("sc.json").toString(), "--reason-reference", "approved:0.2", "--reference-data",
        reference.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--reason-reference approved:0.2: an approved-population reference is for"
        + " tree ensembles");
  }
}

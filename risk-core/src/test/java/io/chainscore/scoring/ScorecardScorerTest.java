package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScorecardScorerTest {
  private static final double NaN = Double.NaN;
  private final ModelBundle bundle = TestBundles.load("scorecard.json");
  private final Scorer scorer = bundle.scorer();

  /** PD of a score on the bundle's scale, written out from the definition odds = 50 * 2^((p - 600) / 20). */
  private static double pdOfPoints(double points) {
    return 1 / (1 + 50 * Math.pow(2, (points - 600) / 20));
  }

  @Test
  void score_handWorkedRow() {
    // 400 base + 45 (5 <= 7 < 15) + 35 (0.01 <= 0.03 < 0.05) + 30 (12 <= 24 < 36) + 18 (RETAIL) + 25 (0.8 <= 0.9 < 0.95)
    ScoreResult r = scorer.score(new double[] {7, 0.03, 24, 2, 0.9});
    assertThat(r.points()).isEqualTo(553.0);
    assertThat(r.pd()).isCloseTo(pdOfPoints(553), within(1e-15));
    assertThat(r.pd()).isCloseTo(0.0925300386562, within(1e-12));
    assertThat(r.grade()).isEqualTo("6"); // 2.5 % <= PD < 10 %
    // points below the best bin: R01 15, R02 15, R03 15, R04 12, R05 15: ties go to table order
    assertThat(r.reasonCodes()).containsExactly("R01", "R02", "R03", "R05");
  }

  @Test
  void score_missingSpecialAndImputedValues() {
    // days missing -> 20; dilution missing -> imputed 0.02 -> 35; months -1 is special -> 12;
    // sector missing -> 15; delivery missing -> 15
    ScoreResult r = scorer.score(new double[] {NaN, NaN, -1, NaN, NaN});
    assertThat(r.points()).isEqualTo(400 + 20 + 35 + 12 + 15 + 15);
    // below: R01 40, R02 15, R03 33, R04 15, R05 25
    assertThat(r.reasonCodes()).containsExactly("R01", "R03", "R05", "R02");
  }

  @Test
  void score_binEdgesBelongToTheUpperInterval() {
    // [a, b): 5 is in [5, 15), 0.05 in [0.05, inf), 36 in [36, inf), 0.95 in [0.95, inf)
    ScoreResult r = scorer.score(new double[] {5, 0.05, 36, 0, 0.95});
    assertThat(r.points()).isEqualTo(400 + 45 + 10 + 45 + 30 + 40);
    ScoreResult justBelow = scorer.score(new double[] {Math.nextDown(5.0), Math.nextDown(0.05), Math.nextDown(36.0), 0, Math.nextDown(0.95)});
    assertThat(justBelow.points()).isEqualTo(400 + 60 + 35 + 30 + 30 + 25);
  }

  @Test
  void score_bestRowHasNoReasonCodes() {
    ScoreResult r = scorer.score(new double[] {0, 0, 100, 0, 1});
    assertThat(r.points()).isEqualTo(400 + 60 + 50 + 45 + 30 + 40);
    assertThat(r.reasonCodes()).isEmpty();
  }

  @Test
  void score_clampPolicyClampsOutOfRangeValue() {
    // days_beyond_terms_avg clamps to [0, 365]: -3 scores as 0 (60 points), 9999 as 365 (5 points)
    assertThat(scorer.score(new double[] {-3, 0.03, 24, 2, 0.9}).points()).isEqualTo(553 + 15);
    assertThat(scorer.score(new double[] {9999, 0.03, 24, 2, 0.9}).points()).isEqualTo(553 - 40);
  }

  @Test
  void scoreBatch_refusedRowNamesRowAndFeature() {
    double[] rows = {7, 0.03, 24, 2, 0.9, 7, 0.03, 24, 2, 0.9, 7, 0.03, NaN, 2, 0.9};
    double[] points = new double[3];
    assertThatThrownBy(() -> scorer.scoreBatch(rows, 3, 5, points, new double[3], new int[3], null))
        .isInstanceOfSatisfying(ScoringException.class, e -> {
          assertThat(e.rowIndex()).isEqualTo(2);
          assertThat(e.feature()).isEqualTo("months_with_anchor");
          assertThat(e.getMessage()).contains("row 2").contains("months_with_anchor").contains("missing");
        });
    assertThat(points[0]).isEqualTo(553.0);
    assertThatThrownBy(() -> scorer.score(new double[] {7, 1.5, 24, 2, 0.9}))
        .isInstanceOfSatisfying(ScoringException.class, e -> assertThat(e.feature()).isEqualTo("dilution_rate_12m"))
        .hasMessageContaining("outside the valid range");
    assertThatThrownBy(() -> scorer.score(new double[] {7, 0.03, 24, 1.5, 0.9}))
        .isInstanceOfSatisfying(ScoringException.class, e -> assertThat(e.feature()).isEqualTo("sector"))
        .hasMessageContaining("not a category index");
    assertThatThrownBy(() -> scorer.score(new double[] {7, 0.03, 24, 4, 0.9}))
        .isInstanceOfSatisfying(ScoringException.class, e -> assertThat(e.feature()).isEqualTo("sector"));
  }

  @Test
  void scoreBatch_matchesSimpleReferenceOnRandomRows() {
    SimpleScorecard reference = new SimpleScorecard(TestBundles.tree("scorecard.json"));
    FeatureSchema schema = bundle.schema();
    SplittableRandom random = new SplittableRandom(42);
    int n = 20_000;
    int width = schema.size();
    int stride = width + 3;
    double[] rows = new double[n * stride];
    double[][] edges = {
      {-3, 0, 5, 15, 30, 365, 400}, {0, 0.01, 0.05, 1}, {-1, 0, 12, 36, 600}, {0, 1, 2, 3}, {0, 0.8, 0.95, 1}
    };
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < width; j++) {
        double v;
        int pick = random.nextInt(10);
        if (pick == 0 && j != 2) {
          v = NaN;
        } else if (pick < 4) {
          double e = edges[j][random.nextInt(edges[j].length)];
          int nudge = random.nextInt(3);
          v = nudge == 0 ? e : nudge == 1 ? Math.nextUp(e) : Math.nextDown(e);
        } else {
          v = random.nextDouble();
        }
        if (schema.feature(j).type() == FeatureType.CATEGORICAL) {
          v = Double.isNaN(v) ? NaN : random.nextInt(4);
        } else if (j == 0) {
          v = Double.isNaN(v) ? v : (pick >= 4 ? v * 420 - 10 : v);
        } else if (j == 2) {
          v = pick >= 4 ? Math.floor(v * 80) - 1 : Math.max(-1, Math.min(600, v));
        } else {
          v = Double.isNaN(v) ? v : Math.max(0, Math.min(1, v));
        }
        rows[r * stride + j] = v;
      }
    }
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    int[] reasons = new int[n * 4];
    scorer.scoreBatch(rows, n, stride, points, pd, grade, reasons);
    MasterScale scale = bundle.masterScale();
    for (int r = 0; r < n; r++) {
      Map<String, Object> named = new HashMap<>();
      for (int j = 0; j < width; j++) {
        double v = rows[r * stride + j];
        Object value = Double.isNaN(v) ? null
            : schema.feature(j).type() == FeatureType.CATEGORICAL ? schema.feature(j).categories().get((int) v) : (Object) v;
        named.put(schema.feature(j).name(), value);
      }
      SimpleScorecard.Result expected = reference.score(named);
      int row = r;
      assertThat(points[r]).as("points of row %d %s", row, named).isEqualTo(expected.points());
      assertThat(pd[r]).as("pd of row %d", row).isCloseTo(expected.pd(), within(1e-13));
      assertThat(grade[r]).isEqualTo(scale.gradeIndexOf(pd[r]));
      assertThat(scale.grade(grade[r]).pdLower()).isLessThanOrEqualTo(pd[r]);
      List<String> codes = Arrays.stream(reasons, r * 4, r * 4 + 4).filter(i -> i >= 0).mapToObj(scorer::reasonCode).toList();
      assertThat(codes).as("reasons of row %d %s", row, named).isEqualTo(expected.reasons());
    }
  }

  @Test
  void scoreBatch_equalsSingleRowScoresAndSkipsReasonsOnRequest() {
    double[] rows = {7, 0.03, 24, 2, 0.9, 99, NaN, NaN, -1, NaN, NaN, 0, 0, 0, 100, 0, 1, 99};
    double[] points = new double[3];
    double[] pd = new double[3];
    int[] grade = new int[3];
    scorer.scoreBatch(rows, 3, 6, points, pd, grade, null);
    for (int r = 0; r < 3; r++) {
      ScoreResult single = scorer.score(Arrays.copyOfRange(rows, r * 6, r * 6 + 5));
      assertThat(points[r]).isEqualTo(single.points());
      assertThat(pd[r]).isEqualTo(single.pd());
      assertThat(grade[r]).isEqualTo(single.gradeIndex());
    }
  }

  /** Rows of the test bundle's five features that its policies accept, with missing values. */
  private static double[] admissibleRows(long seed, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] rows = new double[n * 5];
    for (int r = 0; r < n; r++) {
      rows[r * 5] = random.nextInt(8) == 0 ? NaN : random.nextInt(50);
      rows[r * 5 + 1] = random.nextInt(8) == 0 ? NaN : random.nextDouble(0, 0.1);
      rows[r * 5 + 2] = random.nextInt(10) == 0 ? -1 : random.nextInt(60);
      rows[r * 5 + 3] = random.nextInt(8) == 0 ? NaN : random.nextInt(4);
      rows[r * 5 + 4] = random.nextInt(8) == 0 ? NaN : random.nextDouble(0.7, 1);
    }
    return rows;
  }

  @Test
  void scoreBatch_columnWisePathIsBitIdenticalToRowPath() {
    // batches are scored in blocks, characteristic by characteristic, with or without reason
    // codes; a single row (score) goes row by row: points, PDs, grades and codes must agree
    int n = 1_000;
    double[] rows = admissibleRows(5, n);
    rows[700 * 5] = 900; // one row in block 5 needs clamping: it is rescored through the policies
    double[] blockPoints = new double[n];
    double[] blockPd = new double[n];
    int[] blockGrade = new int[n];
    scorer.scoreBatch(rows, n, 5, blockPoints, blockPd, blockGrade, null);
    double[] reasonPoints = new double[n];
    double[] reasonPd = new double[n];
    int[] reasonGrade = new int[n];
    int[] reasons = new int[n * 4];
    scorer.scoreBatch(rows, n, 5, reasonPoints, reasonPd, reasonGrade, reasons);
    double[] rowPd = new double[n];
    int withReasons = 0;
    for (int r = 0; r < n; r++) {
      ScoreResult single = scorer.score(Arrays.copyOfRange(rows, r * 5, r * 5 + 5));
      rowPd[r] = single.pd();
      assertThat(blockPoints[r]).as("row %d", r).isEqualTo(single.points());
      assertThat(reasonPoints[r]).as("row %d", r).isEqualTo(single.points());
      assertThat(blockPd[r]).as("row %d", r).isEqualTo(single.pd());
      assertThat(reasonPd[r]).as("row %d", r).isEqualTo(single.pd());
      assertThat(blockGrade[r]).as("row %d", r).isEqualTo(single.gradeIndex());
      assertThat(reasonGrade[r]).as("row %d", r).isEqualTo(single.gradeIndex());
      int row = r;
      List<String> codes = Arrays.stream(reasons, r * 4, r * 4 + 4).filter(i -> i >= 0).mapToObj(scorer::reasonCode).toList();
      assertThat(codes).as("reasons of row %d", row).isEqualTo(single.reasonCodes());
      withReasons += codes.size() >= 2 ? 1 : 0;
    }
    assertThat(withReasons).as("rows with two or more codes").isGreaterThan(n / 2);
    assertThat(blockPoints[700]).isEqualTo(scorer.score(new double[] {365, rows[3501], rows[3502], rows[3503], rows[3504]}).points());
    // a refused row inside a block: the column-wise path must notice it and stop at that row
    rows[900 * 5 + 1] = 1.5;
    double[] pd = new double[n];
    assertThatThrownBy(() -> scorer.scoreBatch(rows, n, 5, new double[n], pd, new int[n], null))
        .isInstanceOfSatisfying(ScoringException.class, e -> assertThat(e.rowIndex()).isEqualTo(900));
    assertThat(pd[899]).isEqualTo(rowPd[899]);
    assertThat(pd[900]).isZero();
    // the same with reason codes: the rows before the refused one have theirs
    double[] pdWithReasons = new double[n];
    int[] codesBefore = new int[n * 4];
    assertThatThrownBy(() -> scorer.scoreBatch(rows, n, 5, new double[n], pdWithReasons, new int[n], codesBefore))
        .isInstanceOfSatisfying(ScoringException.class, e -> assertThat(e.rowIndex()).isEqualTo(900));
    assertThat(pdWithReasons[899]).isEqualTo(rowPd[899]);
    assertThat(Arrays.copyOfRange(codesBefore, 0, 900 * 4)).containsExactly(Arrays.copyOfRange(reasons, 0, 900 * 4));
    assertThat(pdWithReasons[900]).isZero();
  }

  /**
   * A bundle of numeric characteristics (the kind whose batch reason codes are ranked ahead, from
   * bits set per row): the batch's codes equal each row's scored alone (ranked from its totals),
   * with codes of their own or one shared by three characteristics, whole-number points (ties),
   * missing values and values clamped into range (rows rescored through the policies).
   */
  @Test
  void scoreBatch_rankedReasonCodes_equalEachRowScoredAlone() throws Exception {
    for (boolean shared : new boolean[] {false, true}) {
      int n = 8;
      StringBuilder features = new StringBuilder();
      StringBuilder characteristics = new StringBuilder();
      StringBuilder codes = new StringBuilder();
      for (int j = 0; j < n; j++) {
        String sep = j == 0 ? "" : ",";
        String code = "R" + (shared && j >= 5 ? 5 : j);
        features.append(sep).append("{\"name\":\"f").append(j)
            .append("\",\"type\":\"numeric\",\"min\":0,\"max\":100,\"missing\":\"pass\",\"out_of_range\":\"clamp\"}");
        characteristics.append(sep).append("{\"name\":\"c").append(j).append("\",\"feature\":\"f").append(j)
            .append("\",\"reason_code\":\"").append(code).append("\",\"bins\":[")
            .append("{\"range\":[null,10],\"points\":").append(j % 3).append("},")
            .append("{\"range\":[10,40],\"points\":").append(2 + j % 2).append("},")
            .append("{\"range\":[40,75],\"points\":4},")
            .append("{\"range\":[75,null],\"points\":").append(5 + j % 2).append("},")
            .append("{\"missing\":true,\"points\":").append(1 + j % 4).append("}]}");
        if (!shared || j <= 5) {
          codes.append(sep).append("{\"code\":\"").append(code).append("\",\"text\":\"Characteristic ").append(j).append("\"}");
        }
      }
      String json = "{\"format\":\"chainscore-model-bundle\",\"format_version\":1,\"model_id\":\"ranked\",\"model_version\":\"1\","
          + "\"features\":[" + features + "],"
          + "\"score_scale\":{\"pdo\":20,\"base_score\":600,\"base_odds\":50},"
          + "\"model\":{\"kind\":\"scorecard\",\"base_points\":500,\"characteristics\":[" + characteristics + "]},"
          + "\"master_scale\":{\"grades\":[{\"grade\":\"1\",\"pd_upper\":0.01,\"representative_pd\":0.005},"
          + "{\"grade\":\"2\",\"pd_upper\":1,\"representative_pd\":0.1},{\"grade\":\"D\",\"default\":true}]},"
          + "\"reason_codes\":[" + codes + "],"
          + "\"provenance\":{\"trained_at\":\"2026-11-01T00:00:00Z\",\"training_data_sha256\":\""
          + "0".repeat(64) + "\",\"trainer\":\"test\"}}";
      Scorer ranked = ModelBundle.seal(json).scorer();
      assertThat(ranked.ranksReasonsAhead()).as("shared %s", shared).isTrue();
      SplittableRandom random = new SplittableRandom(shared ? 31 : 30);
      int rows = 1_000;
      double[] x = new double[rows * n];
      for (int i = 0; i < x.length; i++) {
        int pick = random.nextInt(12);
        // edges and limits exactly, missing, out of range (clamped: the row is rescored), else uniform
        x[i] = pick == 0 ? Double.NaN : pick == 1 ? new double[] {0, 10, 40, 75, 100}[random.nextInt(5)]
            : pick == 2 && i % 7 == 0 ? 250 : random.nextDouble(0, 100);
      }
      int[] reasons = new int[rows * 4];
      ranked.scoreBatch(x, rows, n, new double[rows], new double[rows], new int[rows], reasons);
      int rescored = 0;
      for (int r = 0; r < rows; r++) {
        double[] row = Arrays.copyOfRange(x, r * n, (r + 1) * n);
        rescored += Arrays.stream(row).anyMatch(v -> v > 100) ? 1 : 0;
        List<String> got = Arrays.stream(reasons, r * 4, r * 4 + 4).filter(i -> i >= 0).mapToObj(ranked::reasonCode).toList();
        assertThat(got).as("shared %s row %d %s", shared, r, Arrays.toString(row)).isEqualTo(ranked.score(row).reasonCodes());
      }
      assertThat(rescored).as("rows clamped").isGreaterThan(10);
    }
  }

  @Test
  void scoreBatch_concurrentCallersGetTheSingleThreadedResults() throws Exception {
    // batches with reason codes take scratch arrays from the scorer's pool: four threads scoring
    // different slices of the rows at once must each get what one thread alone gets
    int n = 3_000;
    double[] rows = admissibleRows(11, n);
    double[] expectedPoints = new double[n];
    int[] expectedReasons = new int[n * 4];
    scorer.scoreBatch(rows, n, 5, expectedPoints, new double[n], new int[n], expectedReasons);
    int wrong = Concurrently.mismatches(4, thread -> {
      SplittableRandom slices = new SplittableRandom(thread);
      int mismatches = 0;
      for (int round = 0; round < 200; round++) {
        int from = slices.nextInt(n - 300);
        int count = 4 + slices.nextInt(296);
        double[] points = new double[count];
        int[] reasons = new int[count * 4];
        scorer.scoreBatch(Arrays.copyOfRange(rows, from * 5, (from + count) * 5), count, 5, points, new double[count],
            new int[count], reasons);
        for (int r = 0; r < count; r++) {
          mismatches += points[r] == expectedPoints[from + r] ? 0 : 1;
          for (int k = 0; k < 4; k++) {
            mismatches += reasons[r * 4 + k] == expectedReasons[(from + r) * 4 + k] ? 0 : 1;
          }
        }
      }
      return mismatches;
    });
    assertThat(wrong).isZero();
  }

  @Test
  void contributions_sumWithBiasToMargin() {
    ScorecardModel model = (ScorecardModel) bundle.content().model();
    double[] out = new double[5];
    double[] row = {7, 0.03, 24, 2, 0.9};
    double bias = model.contributions(row, 0, out);
    double sum = bias;
    for (double c : out) {
      sum += c;
    }
    double margin = model.margin(row, 0);
    assertThat(sum).isCloseTo(margin, within(1e-9));
    // margin is the log-odds of default: PD = 1 / (1 + exp(-margin))
    assertThat(1 / (1 + Math.exp(-margin))).isCloseTo(pdOfPoints(553), within(1e-15));
  }

  @Test
  void scoreBatch_refusesShortArrays() {
    assertThatThrownBy(() -> scorer.scoreBatch(new double[9], 2, 5, new double[2], new double[2], new int[2], null))
        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("need 10");
    assertThatThrownBy(() -> scorer.scoreBatch(new double[10], 2, 5, new double[2], new double[2], new int[2], new int[7]))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> scorer.scoreBatch(new double[10], 2, 4, new double[2], new double[2], new int[2], null))
        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("stride");
  }
}

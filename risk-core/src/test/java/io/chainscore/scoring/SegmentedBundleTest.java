package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainscore.scoring.spi.ModelView;
import io.chainscore.scoring.spi.ScorecardView;
import io.chainscore.scoring.spi.SegmentedView;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A segmented bundle scores, refuses and explains every row exactly as the standalone bundle of the
 * row's segment does (built here from the same document by hand), and its load-time checks name
 * the field at fault.
 */
class SegmentedBundleTest {
  private static final int WIDTH = 5;
  private static final int MONTHS = 2;
  private static final int SECTOR = 3;

  /**
   * Three segments on the example scorecard's features: {@code thin_file} (months_with_anchor < 12,
   * its own points and Platt calibration), {@code retail} (sector RETAIL or AGRICULTURE; a missing
   * sector goes to {@code seasoned} when {@code missingTarget}) and {@code seasoned}.
   */
  static ObjectNode segmentedTree(boolean missingTarget) {
    return segmentedTree(missingTarget ? "seasoned" : null, null);
  }

  /**
   * As {@link #segmentedTree(boolean)}, with the {@code missing} of the sector rule and of the
   * months rule given (null: none, so missing values are refused).
   */
  static ObjectNode segmentedTree(String sectorMissing, String monthsMissing) {
    ObjectNode root = TestBundles.tree("scorecard.json");
    root.remove("golden_rows");
    root.put("max_missing_share", 0.6);
    ObjectNode card = (ObjectNode) root.get("model");
    ObjectNode thin = card.deepCopy();
    thin.put("base_points", 380);
    ((ObjectNode) thin.get("characteristics").get(0).get("bins").get(0)).put("points", 70);
    ObjectNode seasoned = card.deepCopy();
    seasoned.put("base_points", 425);
    ((ObjectNode) seasoned.get("characteristics").get(4).get("bins").get(2)).put("points", 55);
    ObjectNode model = TestBundles.MAPPER.createObjectNode();
    model.put("kind", "segmented");
    ArrayNode segments = model.putArray("segments");
    ObjectNode s0 = segments.addObject();
    s0.put("name", "thin_file");
    ObjectNode months = s0.putObject("when").put("feature", "months_with_anchor").put("op", "<").put("value", 12);
    if (monthsMissing != null) {
      months.put("missing", monthsMissing);
    }
    s0.set("model", thin);
    s0.putObject("calibration").put("kind", "logistic").put("intercept", 0.2).put("slope", 0.9);
    ObjectNode s1 = segments.addObject();
    s1.put("name", "retail");
    ObjectNode when = s1.putObject("when").put("feature", "sector").put("op", "in");
    when.putArray("values").add("RETAIL").add("AGRICULTURE");
    if (sectorMissing != null) {
      when.put("missing", sectorMissing);
    }
    s1.set("model", card.deepCopy());
    ObjectNode s2 = segments.addObject();
    s2.put("name", "seasoned");
    s2.put("when", "otherwise");
    s2.set("model", seasoned);
    root.set("model", model);
    return root;
  }

  /** The standalone bundle of segment s, derived by hand from the segmented document. */
  static ModelBundle standalone(ObjectNode segmentedRoot, int s) throws ModelFormatException {
    ObjectNode root = segmentedRoot.deepCopy();
    ObjectNode segment = (ObjectNode) segmentedRoot.get("model").get("segments").get(s);
    root.set("model", segment.get("model"));
    if (segment.has("calibration")) {
      root.set("calibration", segment.get("calibration"));
    }
    return ModelBundle.seal(root.toString());
  }

  /**
   * The routing rules written out plainly: -1 when no segment takes the row. Modes: 0, missing
   * values refused; 1, a missing sector to {@code seasoned}; 2, both rules' missing values on to the
   * next rule.
   */
  private static int route(double[] row, int mode) {
    double months = row[MONTHS];
    if (!Double.isNaN(months) && months < 12) {
      return 0;
    }
    if (Double.isNaN(months) && mode != 2) {
      return -1;
    }
    double sector = row[SECTOR];
    if (Double.isNaN(sector)) {
      return mode == 0 ? -1 : 2;
    }
    return sector == 2 || sector == 3 ? 1 : 2;
  }

  private static double[] randomRows(int n, long seed) {
    Random random = new Random(seed);
    double[] rows = new double[n * WIDTH];
    for (int r = 0; r < n; r++) {
      int at = r * WIDTH;
      rows[at] = random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * 60 - 5;
      rows[at + 1] = random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * (random.nextInt(30) == 0 ? 2 : 0.1);
      rows[at + 2] = random.nextInt(25) == 0 ? Double.NaN : random.nextInt(8) == 0 ? -1 : random.nextInt(60)
          + (random.nextBoolean() ? 0.5 : 0);
      rows[at + 3] = random.nextInt(8) == 0 ? Double.NaN : random.nextInt(40) == 0 ? 1.5 : random.nextInt(4);
      rows[at + 4] = random.nextInt(6) == 0 ? Double.NaN : random.nextDouble();
    }
    return rows;
  }

  @Test
  void score_rowsEqualTheirSegmentsStandaloneBundle_bitForBit() throws ModelFormatException {
    for (int mode = 0; mode < 3; mode++) {
      ObjectNode tree = mode == 2 ? segmentedTree("next", "next") : segmentedTree(mode == 1);
      Scorer segmented = TestBundles.seal(tree, false).scorer();
      Scorer[] alone = {standalone(tree, 0).scorer(), standalone(tree, 1).scorer(), standalone(tree, 2).scorer()};
      List<String> names = List.of("thin_file", "retail", "seasoned");
      int n = 3000;
      double[] rows = randomRows(n, 18 + mode);
      double[] points = new double[n];
      double[] pds = new double[n];
      int[] grades = new int[n];
      int[] reasons = new int[n * 4];
      RowRefusals refusals = new RowRefusals();
      segmented.scoreBatch(rows, n, WIDTH, points, pds, grades, reasons, refusals);
      int refusal = 0;
      int[] perSegment = new int[3];
      int noSegment = 0;
      int throughNext = 0;
      for (int r = 0; r < n; r++) {
        double[] row = Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH);
        int s = route(row, mode);
        throughNext += mode == 2 && row[MONTHS] != row[MONTHS] ? 1 : 0;
        assertThat(segmented.segmentOf(rows, r * WIDTH)).isEqualTo(s);
        if (r == 0) {
          // a row cut short is the caller's error, named, on a segmented bundle as on any other
          assertThatThrownBy(() -> segmented.segmentOf(new double[1], 0)).isInstanceOf(IndexOutOfBoundsException.class)
              .hasMessageContaining("out of bounds for length 1");
          assertThatThrownBy(() -> segmented.segmentOf(rows, rows.length - WIDTH + 1))
              .isInstanceOf(IndexOutOfBoundsException.class);
          assertThatThrownBy(() -> alone[0].segmentOf(new double[1], 0))
              .isInstanceOf(IndexOutOfBoundsException.class);
        }
        if (s < 0) {
          noSegment++;
          assertThat(refusals.row(refusal)).isEqualTo(r);
          assertThat(refusals.reason(refusal)).isEqualTo(RowRefusals.Reason.NO_SEGMENT);
          assertThat(refusals.feature(refusal)).isEqualTo(row[MONTHS] != row[MONTHS] ? "months_with_anchor" : "sector");
          refusal++;
          assertThat(points[r]).isNaN();
          assertThat(grades[r]).isEqualTo(-1);
          assertThatThrownBy(() -> segmented.score(row)).isInstanceOf(ScoringException.class)
              .hasMessageStartingWith("row 0, feature " + refusals.feature(refusal - 1) + ": missing value (NaN) in a"
                  + " feature that routes rows to segments");
          continue;
        }
        ScoreResult expected;
        try {
          expected = alone[s].score(row);
        } catch (ScoringException e) {
          assertThat(refusals.row(refusal)).isEqualTo(r);
          assertThat(refusals.reason(refusal)).isEqualTo(e.reason());
          assertThat(refusals.column(refusal)).isEqualTo(e.column());
          assertThat(e.problem()).startsWith(refusals.problem(refusal));
          refusal++;
          assertThat(points[r]).isNaN();
          assertThat(pds[r]).isNaN();
          assertThat(grades[r]).isEqualTo(-1);
          assertThatThrownBy(() -> segmented.score(row)).isInstanceOf(ScoringException.class)
              .hasMessage(e.getMessage());
          continue;
        }
        perSegment[s]++;
        ScoreResult one = segmented.score(row);
        assertThat(one.segment()).isEqualTo(names.get(s));
        assertThat(Double.doubleToRawLongBits(one.points())).isEqualTo(Double.doubleToRawLongBits(expected.points()));
        assertThat(Double.doubleToRawLongBits(one.pd())).isEqualTo(Double.doubleToRawLongBits(expected.pd()));
        assertThat(one.grade()).isEqualTo(expected.grade());
        assertThat(one.reasonCodes()).isEqualTo(expected.reasonCodes());
        assertThat(Double.doubleToRawLongBits(points[r])).isEqualTo(Double.doubleToRawLongBits(expected.points()));
        assertThat(Double.doubleToRawLongBits(pds[r])).isEqualTo(Double.doubleToRawLongBits(expected.pd()));
        assertThat(grades[r]).isEqualTo(expected.gradeIndex());
        for (int k = 0; k < 4; k++) {
          int code = reasons[r * 4 + k];
          assertThat(code < 0 ? null : segmented.reasonCode(code))
              .isEqualTo(k < expected.reasonCodes().size() ? expected.reasonCodes().get(k) : null);
        }
      }
      assertThat(refusal).isEqualTo(refusals.count());
      // every path is exercised: all three segments score rows, some rows are refused in each way
      assertThat(Arrays.stream(perSegment).min().getAsInt()).isGreaterThan(200);
      if (mode == 2) {
        // every row has a segment, and the rows missing months reached the sector rule
        assertThat(noSegment).isZero();
        assertThat(throughNext).isGreaterThan(50);
      } else {
        assertThat(noSegment).isGreaterThan(mode == 1 ? 50 : 300);
      }
      assertThat(refusals.count() - noSegment).isGreaterThan(50);
    }
  }

  @Test
  void logisticSegment_scoresAsItsStandaloneBundle_andReasonsArePerSegment() throws ModelFormatException {
    ObjectNode tree = segmentedTree(true);
    ObjectNode logistic = TestBundles.MAPPER.createObjectNode().put("kind", "logistic").put("intercept", -3.1);
    ArrayNode terms = logistic.putArray("terms");
    terms.addObject().put("feature", "dilution_rate_12m").put("coefficient", 9.5).put("reference", 0.03)
        .put("reason_code", "R02");
    terms.addObject().put("feature", "months_with_anchor").put("coefficient", -0.02).put("reference", 30)
        .put("reason_code", "R03");
    segment(tree, 1).set("model", logistic);
    ModelBundle bundle = TestBundles.seal(tree, false);
    assertThat(bundle.reasonReference().method()).isEqualTo(ModelBundle.ReasonReference.PER_SEGMENT);
    Scorer alone = standalone(tree, 1).scorer();
    int n = 2000;
    double[] rows = randomRows(n, 3);
    double[] points = new double[n];
    double[] pds = new double[n];
    int[] grades = new int[n];
    int[] reasons = new int[n * 4];
    RowRefusals refusals = new RowRefusals();
    bundle.scorer().scoreBatch(rows, n, WIDTH, points, pds, grades, reasons, refusals);
    int checked = 0;
    for (int r = 0; r < n; r++) {
      double[] row = Arrays.copyOfRange(rows, r * WIDTH, (r + 1) * WIDTH);
      if (route(row, 1) != 1) {
        continue;
      }
      ScoreResult expected;
      try {
        expected = alone.score(row);
      } catch (ScoringException e) {
        assertThat(points[r]).isNaN();
        continue;
      }
      assertThat(Double.doubleToRawLongBits(points[r])).isEqualTo(Double.doubleToRawLongBits(expected.points()));
      assertThat(Double.doubleToRawLongBits(pds[r])).isEqualTo(Double.doubleToRawLongBits(expected.pd()));
      assertThat(bundle.scorer().score(row).reasonCodes()).isEqualTo(expected.reasonCodes());
      assertThat(bundle.scorer().explain(row).items()).isEqualTo(alone.explain(row).items());
      checked++;
    }
    assertThat(checked).isGreaterThan(300);
  }

  /**
   * The segmented batch path takes its gather scratch (and each segment's) from the scorers' pools:
   * after warm-up, calls with refusals of every kind allocate nothing.
   */
  @Test
  void scoreBatch_steadyState_allocatesNothingPerCall() throws ModelFormatException {
    Scorer scorer = TestBundles.seal(segmentedTree(false), false).scorer();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    int n = 700;
    double[] rows = randomRows(n, 29);
    double[] points = new double[n];
    double[] pds = new double[n];
    int[] grades = new int[n];
    int[] reasons = new int[n * 4];
    RowRefusals refusals = new RowRefusals();
    for (int i = 0; i < 200; i++) {
      scorer.scoreBatch(rows, 3, WIDTH, points, pds, grades, null, refusals);
      scorer.scoreBatch(rows, n, WIDTH, points, pds, grades, reasons, refusals);
    }
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    int calls = 300;
    for (int i = 0; i < calls; i++) {
      scorer.scoreBatch(rows, 3, WIDTH, points, pds, grades, null, refusals);
      scorer.scoreBatch(rows, n, WIDTH, points, pds, grades, reasons, refusals);
    }
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertThat(refusals.count()).isPositive();
    // slack for the measurement and the JVM's own bookkeeping (1.7 KB seen once with other test classes
    // running); any allocation per call, even one small array, would exceed it: 600 calls x 32 bytes
    assertThat(allocated).as("bytes allocated by %d calls", 2 * calls).isLessThan(16_000);
  }

  @Test
  void scoreBatch_sameOutputsWhateverTheBatchSize() throws ModelFormatException {
    Scorer scorer = TestBundles.seal(segmentedTree(true), false).scorer();
    int n = 1000;
    double[] rows = randomRows(n, 7);
    double[] points = new double[n];
    double[] pds = new double[n];
    int[] grades = new int[n];
    int[] reasons = new int[n * 4];
    RowRefusals refusals = new RowRefusals();
    scorer.scoreBatch(rows, n, WIDTH, points, pds, grades, reasons, refusals);
    for (int size : new int[] {1, 3, 64, 300}) {
      for (int first = 0; first < n; first += size) {
        int count = Math.min(size, n - first);
        double[] p = new double[count];
        double[] d = new double[count];
        int[] g = new int[count];
        int[] c = new int[count * 4];
        scorer.scoreBatch(Arrays.copyOfRange(rows, first * WIDTH, (first + count) * WIDTH), count, WIDTH, p, d, g,
            c, new RowRefusals());
        for (int i = 0; i < count; i++) {
          assertThat(Double.doubleToRawLongBits(p[i])).isEqualTo(Double.doubleToRawLongBits(points[first + i]));
          assertThat(Double.doubleToRawLongBits(d[i])).isEqualTo(Double.doubleToRawLongBits(pds[first + i]));
          assertThat(g[i]).isEqualTo(grades[first + i]);
        }
        assertThat(c).containsExactly(Arrays.copyOfRange(reasons, first * 4, (first + count) * 4));
      }
    }
  }

  @Test
  void scoreBatch_withoutRefusals_throwsTheFirstRefusedRowAsItsSegmentWordsIt() throws ModelFormatException {
    ObjectNode tree = segmentedTree(true);
    Scorer scorer = TestBundles.seal(tree, false).scorer();
    // row 0 is fine (seasoned), row 1 is thin-file with a dilution rate out of range
    double[] rows = {3, 0.01, 40, 0, 0.9, 3, 1.5, 5, 0, 0.9};
    assertThatThrownBy(() -> scorer.scoreBatch(rows, 2, WIDTH, new double[2], new double[2], new int[2], null))
        .isInstanceOf(ScoringException.class)
        .hasMessage("row 1, feature dilution_rate_12m: value 1.5 outside the valid range [0.0, 1.0]");
    double[] noRoute = {3, 0.01, 40, 0, 0.9, 3, 0.01, Double.NaN, 0, 0.9};
    assertThatThrownBy(() -> scorer.scoreBatch(noRoute, 2, WIDTH, new double[2], new double[2], new int[2], null))
        .isInstanceOf(ScoringException.class)
        .hasMessageStartingWith("row 1, feature months_with_anchor: missing value (NaN) in a feature that routes")
        .extracting(e -> ((ScoringException) e).reason()).isEqualTo(RowRefusals.Reason.NO_SEGMENT);
  }

  @Test
  void explain_isTheSegmentsOwnExplanation_namingTheSegment() throws ModelFormatException {
    ObjectNode tree = segmentedTree(true);
    ModelBundle bundle = TestBundles.seal(tree, false);
    double[] row = {12, 0.03, 6, 2, 0.7};
    Explanation e = bundle.scorer().explain(row);
    Explanation alone = standalone(tree, 0).scorer().explain(row);
    assertThat(e.score().segment()).isEqualTo("thin_file");
    assertThat(e.items()).isEqualTo(alone.items());
    assertThat(e.margin()).isEqualTo(alone.margin());
    assertThat(e.basePoints()).isEqualTo(380.0);
    assertThat(TestBundles.load("scorecard.json").scorer().score(row).segment()).isEmpty();
  }

  @Test
  void segments_listNamesRulesAndStandaloneBundles() throws ModelFormatException {
    ObjectNode tree = segmentedTree(true);
    ModelBundle bundle = TestBundles.seal(tree, false);
    assertThat(bundle.modelKind()).isEqualTo("segmented");
    assertThat(bundle.segments()).extracting(ModelBundle.Segment::name).containsExactly("thin_file", "retail", "seasoned");
    assertThat(bundle.segments()).extracting(ModelBundle.Segment::rule).containsExactly("months_with_anchor < 12",
        "sector in [RETAIL, AGRICULTURE] (missing: seasoned)", "otherwise");
    for (int s = 0; s < 3; s++) {
      assertThat(bundle.segments().get(s).bundle().toJson()).isEqualTo(standalone(tree, s).toJson());
    }
    assertThat(bundle.reasonReference().method()).isEqualTo(ModelBundle.ReasonReference.POINTS_BELOW_BEST);
    SegmentedView view = (SegmentedView) ModelView.of(bundle);
    assertThat(view.segments()).hasSize(3);
    assertThat(((ScorecardView) view.segments().get(0).model()).basePoints()).isEqualTo(380.0);
    assertThat(ModelView.usedColumns(bundle)).containsExactly(0, 1, 2, 3, 4);
    assertThat(TestBundles.load("scorecard.json").segments()).isEmpty();
  }

  /** The example bundle of the test resources (and the fuzz corpus): its three golden rows, one per segment. */
  @Test
  void exampleBundle_loadsWithAGoldenRowPerSegment() throws Exception {
    ModelBundle example = TestBundles.load("segmented.json");
    assertThat(example.segments()).extracting(ModelBundle.Segment::name).containsExactly("thin_file", "retail", "seasoned");
    com.fasterxml.jackson.databind.JsonNode golden = TestBundles.tree("segmented.json").get("golden_rows");
    assertThat(golden).hasSize(3);
    for (int i = 0; i < 3; i++) {
      com.fasterxml.jackson.databind.JsonNode f = golden.get(i).get("features");
      double[] row = {f.get("days_beyond_terms_avg").asDouble(), f.get("dilution_rate_12m").asDouble(),
          f.get("months_with_anchor").asDouble(),
          List.of("MANUFACTURING", "LOGISTICS", "RETAIL", "AGRICULTURE").indexOf(f.get("sector").asText()),
          f.get("on_time_delivery_rate").isNull() ? Double.NaN : f.get("on_time_delivery_rate").asDouble()};
      assertThat(example.scorer().score(row).segment()).isEqualTo(List.of("thin_file", "retail", "seasoned").get(i));
    }
  }

  @Test
  void goldenRows_areCheckedAgainstTheSegmentedScorer() throws ModelFormatException {
    ObjectNode tree = segmentedTree(true);
    ModelBundle bundle = TestBundles.seal(tree, false);
    ScoreResult r = bundle.scorer().score(new double[] {12, 0.03, 6, 2, 0.7});
    ObjectNode golden = ((ArrayNode) tree.putArray("golden_rows")).addObject();
    golden.putObject("features").put("days_beyond_terms_avg", 12).put("dilution_rate_12m", 0.03)
        .put("months_with_anchor", 6).put("sector", "RETAIL").put("on_time_delivery_rate", 0.7);
    golden.put("points", r.points()).put("pd", r.pd()).put("grade", r.grade());
    ArrayNode codes = golden.putArray("reason_codes");
    r.reasonCodes().forEach(codes::add);
    assertThat(TestBundles.seal(tree, true).sha256()).hasSize(64);
    golden.put("points", r.points() - 10);
    assertThatThrownBy(() -> TestBundles.seal(tree, true)).isInstanceOf(ModelFormatException.class)
        .extracting(e -> ((ModelFormatException) e).field()).isEqualTo("golden_rows[0]");
  }

  @Test
  void plainBundle_withASegmentsTrainingRecord_isRefused() {
    // the reader documented "a bundle that is not segmented has no such record" without checking it
    ObjectNode tree = TestBundles.tree("scorecard.json");
    tree.remove("golden_rows");
    ((ObjectNode) tree.get("provenance")).putArray("segments").addObject().put("name", "thin_file").put("rows", 10)
        .put("events", 1);
    assertThatThrownBy(() -> TestBundles.seal(tree, false)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("the model (scorecard) is not segmented")
        .extracting(e -> ((ModelFormatException) e).field()).isEqualTo("provenance.segments");
  }

  @Test
  void segmentTraining_andPdCalibration_readAsTypedRecords() throws ModelFormatException {
    ObjectNode tree = segmentedTree(true);
    ObjectNode provenance = (ObjectNode) tree.get("provenance");
    provenance.putObject("pd_calibration").put("rating_philosophy", "ttc").put("central_tendency", 0.04)
        .put("central_tendency_source", "given").put("intercept_shift", -0.25).put("calibration_rows", 900)
        .put("weighted", true).put("master_scale", "fit:8");
    ArrayNode trained = provenance.putArray("segments");
    trained.addObject().put("name", "thin_file").put("rows", 300).put("events", 21).put("trainer", "x; min_iv=0.01")
        .putObject("pd_calibration").put("central_tendency", 0.07).put("central_tendency_source", "given");
    trained.addObject().put("name", "seasoned").put("rows", 600).put("events", 18);
    ModelBundle bundle = TestBundles.seal(tree, false);

    ModelBundle.PdCalibrationRecord whole = bundle.pdCalibration().orElseThrow();
    assertThat(whole.ratingPhilosophy()).isEqualTo("ttc");
    assertThat(whole.centralTendency()).isEqualTo(0.04);
    assertThat(whole.centralTendencySource()).isEqualTo("given");
    assertThat(whole.interceptShift()).isEqualTo(-0.25);
    assertThat(whole.calibrationRows()).isEqualTo(900);
    assertThat(whole.weighted()).isTrue();
    assertThat(whole.masterScale()).isEqualTo("fit:8");
    // what the record leaves out
    assertThat(whole.cohortColumn()).isNull();
    assertThat(whole.cohortDefaultRates()).isEmpty();
    assertThat(whole.longRunAverage()).isNaN();
    assertThat(whole.conservatismLevel()).isNaN();

    assertThat(bundle.segmentTraining()).extracting(ModelBundle.SegmentTraining::name, ModelBundle.SegmentTraining::rows,
        ModelBundle.SegmentTraining::events, ModelBundle.SegmentTraining::trainer)
        .containsExactly(tuple("thin_file", 300L, 21L, "x; min_iv=0.01"), tuple("seasoned", 600L, 18L, null));
    ModelBundle.PdCalibrationRecord own = bundle.segmentTraining().get(0).pdCalibration();
    assertThat(own.centralTendency()).isEqualTo(0.07);
    assertThat(own.ratingPhilosophy()).isEqualTo("pit");
    assertThat(own.calibrationRows()).isZero();
    assertThat(own.interceptShift()).isNaN();
    assertThat(bundle.segmentTraining().get(1).pdCalibration()).isNull();

    // a bundle without the records
    ModelBundle plain = TestBundles.seal(segmentedTree(true), false);
    assertThat(plain.pdCalibration()).isEmpty();
    assertThat(plain.segmentTraining()).isEmpty();
  }

  @Test
  void load_refusesBadCalibrationRecordsNamingTheField() {
    refused(t -> ((ObjectNode) t.get("provenance")).putObject("pd_calibration").putArray("cohort_default_rates").add(0.02)
        .add(1.5), "provenance.pd_calibration.cohort_default_rates[1]", "expected a default rate in [0, 1]");
    refused(t -> ((ObjectNode) t.get("provenance")).putObject("pd_calibration").put("calibration_rows", 0),
        "provenance.pd_calibration.calibration_rows", "expected an integer");
    refused(t -> ((ObjectNode) t.get("provenance")).putObject("pd_calibration").put("master_scale", 8),
        "provenance.pd_calibration.master_scale", "expected a string");
    refused(t -> ((ObjectNode) t.get("provenance")).putObject("pd_calibration").putObject("margin_of_conservatism")
        .put("method", "bootstrap").put("level", 0.9), "provenance.pd_calibration.margin_of_conservatism.method",
        "expected \"upper_confidence_bound\"");
    refused(t -> ((ObjectNode) t.get("provenance")).putObject("pd_calibration").putObject("margin_of_conservatism")
        .put("method", "upper_confidence_bound").put("level", 0.9).put("standard_error", -0.1),
        "provenance.pd_calibration.margin_of_conservatism.standard_error", "0 or more");
    refused(t -> ((ObjectNode) t.get("provenance")).putArray("segments").addObject().put("name", "retail").put("rows", 10)
        .put("events", 1).putObject("pd_calibration").put("weighted", "yes"),
        "provenance.segments[0].pd_calibration.weighted", "expected true or false");
  }

  private static void refused(Consumer<ObjectNode> edit, String field, String message) {
    ObjectNode tree = segmentedTree(true);
    edit.accept(tree);
    assertThatThrownBy(() -> TestBundles.seal(tree, false)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((ModelFormatException) e).field()).isEqualTo(field);
  }

  private static ObjectNode segment(ObjectNode tree, int s) {
    return (ObjectNode) tree.get("model").get("segments").get(s);
  }

  @Test
  void segmentReasonReference_isTheSegmentsOwn() throws ModelFormatException {
    ObjectNode tree = segmentedTree(true);
    segment(tree, 0).putObject("reason_reference").put("method", "points_below_best");
    ModelBundle bundle = TestBundles.seal(tree, false);
    assertThat(bundle.segments().get(0).bundle().reasonReference().method())
        .isEqualTo(ModelBundle.ReasonReference.POINTS_BELOW_BEST);
    assertThat(bundle.reasonReference().method()).isEqualTo(ModelBundle.ReasonReference.POINTS_BELOW_BEST);
  }

  @Test
  void load_refusesBadSegmentsNamingTheField() {
    refused(t -> ((ObjectNode) segment(t, 0).get("when")).put("feature", "age"), "model.segments[0].when.feature",
        "unknown feature \"age\"");
    refused(t -> ((ObjectNode) segment(t, 0).get("when")).put("feature", "sector"), "model.segments[0].when.op",
        "sector is categorical");
    refused(t -> ((ObjectNode) segment(t, 1).get("when")).put("feature", "months_with_anchor"),
        "model.segments[1].when.op", "months_with_anchor is numeric");
    refused(t -> ((ObjectNode) segment(t, 0).get("when")).put("op", "=<"), "model.segments[0].when.op",
        "expected one of <, <=, >, >=, ==, != or in");
    refused(t -> ((ArrayNode) segment(t, 1).get("when").get("values")).add("MINING"),
        "model.segments[1].when.values[2]", "\"MINING\" is not a category of sector");
    refused(t -> ((ObjectNode) segment(t, 1).get("when")).put("missing", "nowhere"), "model.segments[1].when.missing",
        "\"nowhere\" is not a segment");
    refused(t -> segment(t, 1).put("name", "thin_file"), "model.segments[1].name", "duplicate segment name thin_file");
    refused(t -> segment(t, 1).put("name", "next"), "model.segments[1].name", "\"next\" is not a segment name");
    refused(t -> segment(t, 2).putObject("when").put("feature", "sector").put("op", "in").putArray("values").add("RETAIL"),
        "model.segments[2].when", "the last segment must be \"otherwise\"");
    refused(t -> segment(t, 0).put("when", "otherwise"), "model.segments[0].when", "only the last segment");
    refused(t -> segment(t, 2).set("model", t.get("model").deepCopy()), "model.segments[2].model.kind",
        "cannot itself be segmented");
    refused(t -> ((ObjectNode) segment(t, 1).get("model").get("characteristics").get(0)).put("feature", "age"),
        "model.segments[1].model.characteristics[0].feature", "unknown feature \"age\"");
    refused(t -> ((ObjectNode) segment(t, 0).get("calibration")).put("slope", -1), "model.segments[0].calibration.slope",
        "must be positive");
    refused(t -> segment(t, 0).putObject("reason_reference").put("method", "training_average"),
        "model.segments[0].reason_reference.method", "does not fit a scorecard model");
    refused(t -> ((ObjectNode) t.get("model")).putArray("segments").add(segment(segmentedTree(true), 2)),
        "model.segments", "");
    refused(t -> ((ObjectNode) t.get("provenance")).putArray("segments").addObject().put("name", "thick").put("rows", 10)
        .put("events", 1), "provenance.segments[0].name", "not a segment");
    refused(t -> ((ObjectNode) t.get("provenance")).putArray("segments").addObject().put("name", "retail").put("rows", 10)
        .put("events", 11), "provenance.segments[0].events", "");
    refused(t -> ((ObjectNode) t.get("provenance")).putArray("segments").addObject().put("name", "retail").put("rows", 10)
        .put("events", 1).put("trainer", ""), "provenance.segments[0].trainer", "");
    refused(t -> ((ObjectNode) t.get("provenance")).putArray("segments").addObject().put("name", "retail").put("rows", 10)
        .put("events", 1).put("trainers", "x"), "provenance.segments[0].trainers", "");
  }
}

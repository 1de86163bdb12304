package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Refused rows reported as data by {@code scoreBatch(..., RowRefusals)}. */
class RowRefusalsTest {
  private static final double NaN = Double.NaN;
  private static final int WIDTH = 5;
  private final Scorer scorer = TestBundles.load("scorecard.json").scorer();
  private final Scorer logistic = TestBundles.load("logistic.json").scorer();

  /**
   * Null arguments are refused naming the parameter, before anything is scored: they failed inside
   * the library with the JVM's own message ("Cannot read the array length because ...") and no
   * documented exception (found by the embedder's review).
   */
  @Test
  void nullArguments_areRefusedNamingTheParameter() {
    double[] row = {7, 0.03, 24, 2, 0.9};
    double[] points = new double[1];
    double[] pd = new double[1];
    int[] grade = new int[1];
    assertThatThrownBy(() -> scorer.score(null)).isInstanceOf(NullPointerException.class).hasMessage("row");
    assertThatThrownBy(() -> scorer.explain(null)).isInstanceOf(NullPointerException.class).hasMessage("row");
    assertThatThrownBy(() -> scorer.scoreBatch(null, 1, WIDTH, points, pd, grade, null))
        .isInstanceOf(NullPointerException.class).hasMessage("rows");
    assertThatThrownBy(() -> scorer.scoreBatch(row, 1, WIDTH, null, pd, grade, null))
        .isInstanceOf(NullPointerException.class).hasMessage("pointsOut");
    assertThatThrownBy(() -> scorer.scoreBatch(row, 1, WIDTH, points, null, grade, null))
        .isInstanceOf(NullPointerException.class).hasMessage("pdOut");
    assertThatThrownBy(() -> scorer.scoreBatch(row, 1, WIDTH, points, pd, null, null))
        .isInstanceOf(NullPointerException.class).hasMessage("gradeIndexOut");
    assertThatThrownBy(() -> scorer.scoreBatch(row, 0, WIDTH, points, pd, null, null))
        .as("checked before the row count").isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> scorer.segmentOf(null, 0)).isInstanceOf(NullPointerException.class).hasMessage("rows");
    assertThatThrownBy(() -> ModelBundle.fromJson(null)).isInstanceOf(NullPointerException.class).hasMessage("json");
    // seal and TrustStore.load named no parameter ("Cannot invoke ... because "text" is null")
    assertThatThrownBy(() -> ModelBundle.seal(null)).isInstanceOf(NullPointerException.class).hasMessage("json");
    assertThatThrownBy(() -> TrustStore.load(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("fileOrDirectory");
    assertThatThrownBy(() -> ModelBundle.read((java.nio.file.Path) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("file");
    // these named no parameter either until 2026-12-07 (the JVM's "Cannot invoke ..." text)
    assertThatThrownBy(() -> Scorer.of((ModelBundle) null)).isInstanceOf(NullPointerException.class).hasMessage("bundle");
    // an IllegalArgumentException until 2026-12-07, which the command line's split reads as bad input
    assertThatThrownBy(() -> Scorer.of(java.nio.file.Path.of("model.json"), null)).isInstanceOf(NullPointerException.class)
        .hasMessage("trust");
    assertThatThrownBy(() -> scorer.bundle().write((java.nio.file.Path) null))
        .isInstanceOf(NullPointerException.class).hasMessage("file");
    assertThatThrownBy(() -> scorer.bundle().write((java.io.OutputStream) null))
        .isInstanceOf(NullPointerException.class).hasMessage("out");
    assertThatThrownBy(() -> TrustStore.of((java.util.Collection<java.security.PublicKey>) null))
        .isInstanceOf(NullPointerException.class).hasMessage("keys");
    assertThatThrownBy(() -> TrustStore.of((java.security.PublicKey) null))
        .isInstanceOf(NullPointerException.class).hasMessage("a key of keys");
    assertThatThrownBy(() -> TrustStore.keyId(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> MasterScale.of(null, new double[] {1}, new double[] {0.5}))
        .isInstanceOf(NullPointerException.class).hasMessage("names");
    assertThatThrownBy(() -> io.chainscore.features.FeatureSchema.of(null))
        .isInstanceOf(NullPointerException.class).hasMessage("features");
    assertThatThrownBy(() -> io.chainscore.features.StandardFeatures.compute(null, java.util.List.of(),
        java.util.List.of(), java.time.LocalDate.of(2025, 6, 30), java.util.List.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("supplier");
    assertThatThrownBy(() -> ModelBundle.read((java.io.InputStream) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("in");
    // reason codes are optional: null scores without them
    scorer.scoreBatch(row, 1, WIDTH, points, pd, grade, null);
    assertThat(points[0]).isEqualTo(scorer.score(row).points());
  }

  @Test
  void scoreBatch_handWorkedRefusals_reportReasonColumnAndText() {
    double[] rows = {
      7, 0.03, 24, 2, 0.9, // fine: 553 points (ScorecardScorerTest.score_handWorkedRow)
      7, 1.5, 24, 2, 0.9, // dilution_rate_12m out of [0, 1], policy reject
      7, 0.03, NaN, 2, 0.9, // months_with_anchor missing, policy reject
      7, 0.03, 24, 1.5, 0.9, // sector 1.5 is no category index
      7, 0.03, 24, 9, 0.9, // sector 9 past the last index 3
      -3, NaN, 24, NaN, 0.9 // clamped and imputed, not refused
    };
    int n = rows.length / WIDTH;
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    int[] reasons = new int[n * 4];
    RowRefusals refusals = new RowRefusals();

    scorer.scoreBatch(rows, n, WIDTH, points, pd, grade, reasons, refusals);

    assertThat(refusals.count()).isEqualTo(4);
    assertThat(refusal(refusals, 0)).isEqualTo("1 OUT_OF_RANGE 1 dilution_rate_12m value 1.5 outside the valid range [0.0, 1.0]");
    assertThat(refusal(refusals, 1))
        .isEqualTo("2 MISSING_VALUE 2 months_with_anchor missing value (NaN) refused by the feature's missing-value policy");
    assertThat(refusal(refusals, 2)).isEqualTo("3 NOT_A_CATEGORY_INDEX 3 sector categorical value 1.5 is not a category index");
    assertThat(refusal(refusals, 3)).isEqualTo("4 OUT_OF_RANGE 3 sector value 9.0 outside the valid range [0.0, 3.0]");
    assertThat(points[0]).isEqualTo(553.0);
    assertThat(points[5]).isEqualTo(scorer.score(new double[] {0, 0.02, 24, NaN, 0.9}).points());
    for (int r = 1; r <= 4; r++) {
      assertThat(points[r]).as("row %d", r).isNaN();
      assertThat(pd[r]).as("row %d", r).isNaN();
      assertThat(grade[r]).as("row %d", r).isEqualTo(-1);
      assertThat(Arrays.copyOfRange(reasons, r * 4, r * 4 + 4)).containsExactly(-1, -1, -1, -1);
    }
    // the -1 a refused row gets is named as such when looked up (it was the list's own
    // "Index -1 out of bounds for length 9", or no message at all once the JIT omits it)
    int grades = TestBundles.load("scorecard.json").masterScale().grades().size();
    assertThatThrownBy(() -> scorer.gradeName(grade[1])).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("grade index -1: a refused row has no grade; expected 0 to " + (grades - 1));
    assertThatThrownBy(() -> scorer.reasonCode(reasons[4])).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageStartingWith("reason code index -1: an empty reason slot");
    assertThatThrownBy(() -> scorer.reasonText(99)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageStartingWith("reason code index 99; expected 0 to ");
    assertThat(scorer.gradeName(grade[0])).isEqualTo(scorer.score(Arrays.copyOf(rows, WIDTH)).grade());
  }

  private static String refusal(RowRefusals refusals, int i) {
    return refusals.row(i) + " " + refusals.reason(i) + " " + refusals.column(i) + " " + refusals.feature(i) + " "
        + refusals.problem(i);
  }

  @Test
  void score_refusedRow_exceptionCarriesTheSameTypedReason() {
    assertThatThrownBy(() -> scorer.score(new double[] {7, 0.03, 24, 1.5, 0.9}))
        .isInstanceOfSatisfying(ScoringException.class, e -> {
          assertThat(e.reason()).isEqualTo(RowRefusals.Reason.NOT_A_CATEGORY_INDEX);
          assertThat(e.column()).isEqualTo(3);
          assertThat(e.feature()).isEqualTo("sector");
          assertThat(e.problem()).isEqualTo("categorical value 1.5 is not a category index");
          assertThat(e.getMessage()).isEqualTo("row 0, feature sector: categorical value 1.5 is not a category index");
        })
        .isInstanceOf(IllegalArgumentException.class); // bad input, never a defect
  }

  /**
   * Random rows with refusals of every kind, on both batch paths (column-wise blocks, with and
   * without reason codes; the row path of a non-scorecard model), against the single-row call:
   * each refused row must be the row {@code score} refuses, with the exception's reason, column
   * and text, and every other row must score bit for bit as {@code score} scores it alone.
   */
  @Test
  void scoreBatch_randomRowsWithRefusals_matchSingleRowCalls() {
    int n = 1_000;
    double[] rows = rowsWithRefusals(17, n);
    RowRefusals refusals = new RowRefusals();
    int refusedWithReasons = check(scorer, rows, n, true, refusals);
    int refusedWithout = check(scorer, rows, n, false, refusals);
    int refusedLogistic = check(logistic, logisticRows(n, logistic.featureCount()), n, true, refusals);

    assertThat(refusedWithReasons).isEqualTo(refusedWithout).isBetween(n / 10, n / 2);
    assertThat(refusedLogistic).isPositive();
  }

  private static int check(Scorer scorer, double[] rows, int n, boolean withReasons, RowRefusals refusals) {
    int width = scorer.featureCount();
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    int[] reasons = withReasons ? new int[n * 4] : null;
    scorer.scoreBatch(rows, n, width, points, pd, grade, reasons, refusals);
    int next = 0;
    for (int r = 0; r < n; r++) {
      double[] row = Arrays.copyOfRange(rows, r * width, (r + 1) * width);
      ScoreResult single;
      try {
        single = scorer.score(row);
      } catch (ScoringException e) {
        assertThat(next).as("refusals of row %d", r).isLessThan(refusals.count());
        assertThat(refusals.row(next)).isEqualTo(r);
        assertThat(refusals.reason(next)).isEqualTo(e.reason());
        assertThat(refusals.column(next)).isEqualTo(e.column());
        assertThat(refusals.feature(next)).isEqualTo(e.feature());
        assertThat(refusals.problem(next)).isEqualTo(e.problem());
        assertThat(refusals.toException(next)).hasMessage(e.getMessage().replace("row 0,", "row " + r + ","));
        assertThat(points[r]).isNaN();
        assertThat(pd[r]).isNaN();
        assertThat(grade[r]).isEqualTo(-1);
        next++;
        continue;
      }
      assertThat(next == refusals.count() || refusals.row(next) != r).as("row %d is not refused", r).isTrue();
      assertThat(points[r]).as("row %d", r).isEqualTo(single.points());
      assertThat(pd[r]).as("row %d", r).isEqualTo(single.pd());
      assertThat(grade[r]).as("row %d", r).isEqualTo(single.gradeIndex());
      if (withReasons) {
        int codes = 0;
        for (int k = 0; k < 4; k++) {
          codes += reasons[r * 4 + k] >= 0 ? 1 : 0;
        }
        assertThat(codes).as("codes of row %d", r).isEqualTo(single.reasonCodes().size());
        for (int k = 0; k < codes; k++) {
          assertThat(scorer.reasonCode(reasons[r * 4 + k])).isEqualTo(single.reasonCodes().get(k));
        }
      }
    }
    assertThat(next).isEqualTo(refusals.count());
    return next;
  }

  /** Admissible scorecard rows with about one in four spoiled in one of five ways. */
  private static double[] rowsWithRefusals(long seed, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] rows = new double[n * WIDTH];
    for (int r = 0; r < n; r++) {
      int at = r * WIDTH;
      rows[at] = random.nextInt(8) == 0 ? NaN : random.nextInt(-20, 500);
      rows[at + 1] = random.nextInt(8) == 0 ? NaN : random.nextDouble(0, 0.1);
      rows[at + 2] = random.nextInt(10) == 0 ? -1 : random.nextInt(60);
      rows[at + 3] = random.nextInt(8) == 0 ? NaN : random.nextInt(4);
      rows[at + 4] = random.nextInt(8) == 0 ? NaN : random.nextDouble(0.7, 1);
      switch (random.nextInt(20)) {
        case 0 -> rows[at + 1] = 1 + random.nextDouble();
        case 1 -> rows[at + 2] = NaN;
        case 2 -> rows[at + 3] = 0.5;
        case 3 -> rows[at + 3] = 4;
        case 4 -> rows[at + 4] = Double.POSITIVE_INFINITY;
        default -> { }
      }
    }
    return rows;
  }

  /** Random rows for the logistic bundle, a sixth of the values missing, some outside [0, 1]. */
  private static double[] logisticRows(int n, int width) {
    double[] rows = new double[n * width];
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = random.nextInt(6) == 0 ? NaN : random.nextDouble(-1, 2);
    }
    return rows;
  }

  /**
   * Four threads score random slices with refusals at once, on both paths (blocks of at least four
   * rows, and the row path below four with reason codes), each with its own holder; every output
   * and refusal must be what one thread alone gets. Scratch shared between two calls would mix
   * their per-code totals and repaired rows.
   */
  @Test
  void scoreBatch_fourThreadsWithRefusals_getTheSingleThreadedResults() throws Exception {
    int n = 3_000;
    double[] rows = rowsWithRefusals(41, n);
    double[] expectedPoints = new double[n];
    int[] expectedReasons = new int[n * 4];
    RowRefusals all = new RowRefusals();
    scorer.scoreBatch(rows, n, WIDTH, expectedPoints, new double[n], new int[n], expectedReasons, all);
    boolean[] refused = new boolean[n];
    for (int i = 0; i < all.count(); i++) {
      refused[all.row(i)] = true;
    }
    int wrong = Concurrently.mismatches(4, thread -> {
      SplittableRandom slices = new SplittableRandom(100 + thread);
      RowRefusals mine = new RowRefusals();
      int mismatches = 0;
      for (int round = 0; round < 300; round++) {
        int from = slices.nextInt(n - 300);
        int count = 1 + slices.nextInt(299);
        double[] points = new double[count];
        int[] reasons = new int[count * 4];
        scorer.scoreBatch(Arrays.copyOfRange(rows, from * WIDTH, (from + count) * WIDTH), count, WIDTH, points,
            new double[count], new int[count], reasons, mine);
        int seen = 0;
        for (int r = 0; r < count; r++) {
          if (refused[from + r]) {
            mismatches += seen < mine.count() && mine.row(seen) == r ? 0 : 1;
            seen++;
            continue;
          }
          mismatches += Double.compare(points[r], expectedPoints[from + r]) == 0 ? 0 : 1;
          for (int k = 0; k < 4; k++) {
            mismatches += reasons[r * 4 + k] == expectedReasons[(from + r) * 4 + k] ? 0 : 1;
          }
        }
        mismatches += seen == mine.count() ? 0 : 1;
      }
      return mismatches;
    });
    assertThat(all.count()).isPositive();
    assertThat(wrong).isZero();
  }

  /**
   * A batch call takes its scratch from the scorer's pool and gives it back, and a refusals holder
   * keeps its arrays: after warm-up, calls allocate nothing (before the pool, each call allocated
   * its scratch arrays: over a hundred bytes per call).
   */
  @Test
  void scoreBatch_steadyState_allocatesNothingPerCall() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int n = 512;
    double[] rows = rowsWithRefusals(29, n);
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    int[] reasons = new int[n * 4];
    RowRefusals refusals = new RowRefusals();
    for (int i = 0; i < 200; i++) {
      scorer.scoreBatch(rows, n, WIDTH, points, pd, grade, reasons, refusals);
      scorer.scoreBatch(rows, 3, WIDTH, points, pd, grade, reasons, refusals); // the row path
    }
    int calls = 500;
    // the least of three windows: a one-off allocation of the JVM's own on this thread (a
    // compilation finishing, once 1,040 bytes in a fresh-clone run) falls in one window at most,
    // while a per-call array would be in all three
    long allocated = Long.MAX_VALUE;
    for (int window = 0; window < 3; window++) {
      long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
      for (int i = 0; i < calls; i++) {
        scorer.scoreBatch(rows, n, WIDTH, points, pd, grade, reasons, refusals);
        scorer.scoreBatch(rows, 3, WIDTH, points, pd, grade, reasons, refusals);
      }
      allocated = Math.min(allocated, threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
    }

    assertThat(refusals.count()).isPositive();
    // a little slack for the measuring call itself; any per-call array would exceed it 100-fold
    assertThat(allocated).as("bytes allocated by %d calls", 2 * calls).isLessThan(1_000);
  }
}

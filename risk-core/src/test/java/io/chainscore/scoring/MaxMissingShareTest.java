package io.chainscore.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bundle's {@code max_missing_share}: a row with a larger share of the features the model uses
 * missing is refused ({@link RowRefusals.Reason#TOO_MANY_MISSING}) on every path (single row,
 * column-wise scorecard blocks, row path), a row at or under the limit is scored, and an invalid
 * value is refused at load naming the field.
 *
 * <p>The example scorecard reads five features (one characteristic each); the example logistic
 * model four. With a share of 0.5, a scorecard row may miss 2 of 5 (40 %) but not 3 (60 %).
 */
class MaxMissingShareTest {
  private static ModelBundle withShare(String resource, Object share) throws ModelFormatException {
    ObjectNode root = TestBundles.tree(resource);
    if (share instanceof Double d) {
      root.put("max_missing_share", d);
    } else {
      root.put("max_missing_share", (String) share);
    }
    return TestBundles.seal(root, false);
  }

  /** A scorecard row every policy accepts: days, dilution, months, sector index, on-time rate. */
  private static double[] full() {
    return new double[] {7, 0.02, 30, 1, 0.9};
  }

  @Test
  void allMissing_isRefused_namingTheCountTheFeaturesAndTheLimit() throws Exception {
    ModelBundle b = withShare("scorecard.json", 0.5);
    assertThat(b.maxMissingShare()).hasValue(0.5);
    double[] row = new double[5];
    Arrays.fill(row, Double.NaN);
    assertThatThrownBy(() -> b.scorer().score(row))
        .isInstanceOf(ScoringException.class)
        .hasMessage("row 0: 5 of the 5 features the model uses are missing, more than the bundle's max_missing_share"
            + " 0.5 allows: days_beyond_terms_avg, dilution_rate_12m, months_with_anchor, sector, on_time_delivery_rate")
        .satisfies(e -> assertThat(((ScoringException) e).reason()).isEqualTo(RowRefusals.Reason.TOO_MANY_MISSING));
    assertThatThrownBy(() -> b.scorer().explain(row)).isInstanceOf(ScoringException.class);
  }

  @Test
  void justUnderOrAtTheLimit_isScored_oneMore_isRefused() throws Exception {
    ModelBundle limited = withShare("scorecard.json", 0.5);
    ModelBundle unlimited = TestBundles.seal(TestBundles.tree("scorecard.json"), false);
    assertThat(unlimited.maxMissingShare()).isEmpty();
    // 2 of 5 missing (40 % <= 50 %): scored, exactly as without a limit
    double[] two = full();
    two[0] = Double.NaN; // days_beyond_terms_avg: passes missing
    two[4] = Double.NaN; // on_time_delivery_rate: passes missing
    assertThat(limited.scorer().score(two)).isEqualTo(unlimited.scorer().score(two));
    // 3 of 5 (60 %): refused
    double[] three = two.clone();
    three[3] = Double.NaN; // sector: passes missing
    assertThat(unlimited.scorer().score(three).points()).isFinite();
    assertThatThrownBy(() -> limited.scorer().score(three))
        .hasMessageContaining("3 of the 5 features the model uses are missing")
        .hasMessageEndingWith(": days_beyond_terms_avg, sector, on_time_delivery_rate");
    // a share of exactly 0.4 still takes 2 of 5 (the rule is "more than")
    assertThat(withShare("scorecard.json", 0.4).scorer().score(two).points()).isFinite();
    assertThatThrownBy(() -> withShare("scorecard.json", 0.39).scorer().score(two))
        .isInstanceOf(ScoringException.class);
    // 0 refuses any missing feature; 1 none
    assertThatThrownBy(() -> withShare("scorecard.json", 0.0).scorer().score(new double[] {Double.NaN, 0.02, 30, 1, 0.9}))
        .hasMessageContaining("1 of the 5 features");
    assertThat(withShare("scorecard.json", 1.0).scorer().score(three).points()).isFinite();
  }

  @Test
  void batch_refusesExactlyTheRowsOverTheLimit_onTheBlockAndRowPaths() throws Exception {
    for (String resource : new String[] {"scorecard.json", "logistic.json"}) {
      ModelBundle limited = withShare(resource, 0.5);
      ModelBundle unlimited = TestBundles.seal(TestBundles.tree(resource), false);
      int width = limited.schema().size();
      int n = 1000;
      SplittableRandom random = new SplittableRandom(3);
      double[] rows = new double[n * width];
      boolean[] over = new boolean[n];
      for (int r = 0; r < n; r++) {
        double[] row = resource.equals("scorecard.json") ? full() : new double[] {7, 0.02, 1, 12};
        int missing = 0;
        for (int j = 0; j < width; j++) {
          if (random.nextInt(3) == 0) {
            row[j] = Double.NaN;
            missing++;
          }
        }
        // hand count: every feature of both examples is used, so the share is missing / width
        over[r] = missing * 2 > width;
        System.arraycopy(row, 0, rows, r * width, width);
      }
      double[] points = new double[n];
      double[] pd = new double[n];
      int[] grade = new int[n];
      int[] reasons = new int[n * 4];
      RowRefusals refusals = new RowRefusals();
      limited.scorer().scoreBatch(rows, n, width, points, pd, grade, reasons, refusals);
      int tooMany = 0;
      int refusalIndex = 0;
      for (int r = 0; r < n; r++) {
        double[] row = Arrays.copyOfRange(rows, r * width, (r + 1) * width);
        boolean refused = refusalIndex < refusals.count() && refusals.row(refusalIndex) == r;
        if (over[r]) {
          assertThat(refused).as(resource + " row " + r).isTrue();
          assertThat(refusals.reason(refusalIndex)).isEqualTo(RowRefusals.Reason.TOO_MANY_MISSING);
          assertThat(refusals.problem(refusalIndex)).contains(" of the " + width + " features the model uses are missing");
          // the same text as the throwing call's problem, which names the missing features (the
          // holder dropped the names until 2026-12-05)
          String problem = refusals.problem(refusalIndex);
          for (int j = 0; j < width; j++) {
            if (Double.isNaN(row[j])) {
              assertThat(problem.substring(problem.indexOf(" allows: "))).contains(limited.schema().feature(j).name());
            }
          }
          assertThatThrownBy(() -> limited.scorer().score(row)).isInstanceOf(ScoringException.class)
              .satisfies(e -> assertThat(((ScoringException) e).problem()).isEqualTo(problem));
          assertThat(points[r]).isNaN();
          assertThat(grade[r]).isEqualTo(-1);
          tooMany++;
        } else if (!refused) {
          ScoreResult expected = unlimited.scorer().score(row);
          assertThat(points[r]).as(resource + " row " + r).isEqualTo(expected.points());
          assertThat(pd[r]).isEqualTo(expected.pd());
        } else {
          // refused by a per-feature policy (a missing value where the policy rejects)
          assertThat(refusals.reason(refusalIndex)).isNotEqualTo(RowRefusals.Reason.TOO_MANY_MISSING);
        }
        refusalIndex += refused ? 1 : 0;
      }
      assertThat(refusalIndex).isEqualTo(refusals.count());
      assertThat(tooMany).as(resource).isGreaterThan(50);
    }
  }

  @Test
  void invalidShare_isRefusedAtLoad_namingTheField() {
    for (Object bad : new Object[] {1.5, -0.1, "half"}) {
      assertThatThrownBy(() -> withShare("scorecard.json", bad))
          .isInstanceOf(ModelFormatException.class)
          .satisfies(e -> assertThat(((ModelFormatException) e).field()).isEqualTo("max_missing_share"));
    }
  }

  /** Refusing rows for too many missing values allocates nothing in steady state (both paths). */
  @Test
  void refusals_steadyState_allocateNothing() throws Exception {
    Scorer scorer = withShare("scorecard.json", 0.5).scorer();
    int n = 512;
    double[] rows = new double[n * 5];
    for (int r = 0; r < n; r++) {
      double[] row = full();
      if (r % 3 == 0) {
        row[0] = row[3] = row[4] = Double.NaN; // 3 of 5 missing: refused
      }
      System.arraycopy(row, 0, rows, r * 5, 5);
    }
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    int[] reasons = new int[n * 4];
    RowRefusals refusals = new RowRefusals();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 200; i++) {
      scorer.scoreBatch(rows, n, 5, points, pd, grade, reasons, refusals);
      scorer.scoreBatch(rows, 3, 5, points, pd, grade, reasons, refusals); // the row path
    }
    assertThat(refusals.count()).isEqualTo(1);
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    for (int i = 0; i < 500; i++) {
      scorer.scoreBatch(rows, n, 5, points, pd, grade, reasons, refusals);
      scorer.scoreBatch(rows, 3, 5, points, pd, grade, reasons, refusals);
    }
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertThat(allocated).as("bytes allocated by 1,000 calls").isLessThan(1_000);
    scorer.scoreBatch(rows, n, 5, points, pd, grade, reasons, refusals);
    assertThat(refusals.count()).isEqualTo((n + 2) / 3);
  }
}

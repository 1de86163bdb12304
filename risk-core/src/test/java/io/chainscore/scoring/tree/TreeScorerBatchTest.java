package io.chainscore.scoring.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainscore.features.FeatureSpec;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.RowRefusals;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.Scorer;
import io.chainscore.scoring.ScoringException;
import io.chainscore.scoring.spi.BundleBuilder;
import io.chainscore.scoring.spi.TreeEnsembleView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code Scorer.scoreBatch} on tree ensembles takes its margins from the model's batch evaluator
 * (the 64-row mask path) for clean rows: checked bit for bit against the single-row call, which
 * scores a lone row through the row evaluator, on random numeric ensembles of both precisions and
 * rows that the feature policies clamp, impute and refuse.
 */
class TreeScorerBatchTest {
  private static final int FEATURES = 6;

  @Test
  void scoreBatch_randomEnsemblesAndRefusals_matchSingleRowCallsBitForBit() throws Exception {
    int maskPathModels = 0;
    for (int seed = 0; seed < 6; seed++) {
      Random random = new Random(1700 + seed);
      TreeEnsemble.Precision precision = seed % 2 == 0 ? TreeEnsemble.Precision.FLOAT32
          : TreeEnsemble.Precision.FLOAT64;
      TreeEnsemble ensemble = numericEnsemble(random, precision, 40 + 30 * seed, 1 + seed % 6);
      maskPathModels += ((CompiledTreeEnsemble) ensemble.compile()).rowMasks != null ? 1 : 0;
      Scorer scorer = bundle(ensemble).scorer();
      // not a multiple of a block: a partial last one; the first two seeds cross the Scorer's
      // reason block (2,048 rows; PathShapTest crosses TreeSHAP's own blocks)
      int n = seed < 2 ? 2100 + random.nextInt(300) : 700 + random.nextInt(100);
      double[] rows = rows(random, n);
      int refused = check(scorer, rows, n, true);
      assertThat(check(scorer, rows, n, false)).isEqualTo(refused);
      assertThat(refused).as("seed %d", seed).isBetween(n / 20, n / 2);
    }
    // the mask path is the one under test: most of these ensembles must have it
    assertThat(maskPathModels).isGreaterThanOrEqualTo(3);
  }

  /**
   * A model too large for the per-row leaf table (500 trees of depth 8 over six features), so that the batch's
   * reason codes come from the block tables while the single-row call computes slot-major.
   */
  @Test
  void scoreBatch_blockTableReasonCodes_matchSingleRowCalls() throws Exception {
    Random random = new Random(1750);
    TreeEnsemble ensemble = numericEnsemble(random, TreeEnsemble.Precision.FLOAT32, 500, 8);
    CompiledTreeEnsemble compiled = (CompiledTreeEnsemble) ensemble.compile();
    assertThat(new PathShap(compiled).blockTableSize()).isPositive();
    assertThat(new PathShap(compiled, PathShap.MAX_TABLE, 0).hasLeafTable()).isFalse();
    Scorer scorer = bundle(ensemble).scorer();
    int n = 70;
    double[] rows = rows(random, n);
    assertThat(check(scorer, rows, n, true)).isPositive();
  }

  /**
   * {@code Scorer.contributions} against {@code explain} row by row: the same contributions bit for
   * bit (clean, clamped and imputed rows; across the scorer's 2,048-row blocks), NaN and a refusal
   * for each row {@code explain} refuses, and each feature's reason code as the explanation names it.
   */
  @Test
  void contributions_equalExplainRowByRowBitForBit_refusedRowsNaN() throws Exception {
    for (int seed = 0; seed < 4; seed++) {
      Random random = new Random(1900 + seed);
      TreeEnsemble ensemble = numericEnsemble(random, seed % 2 == 0 ? TreeEnsemble.Precision.FLOAT32
          : TreeEnsemble.Precision.FLOAT64, 50 + 40 * seed, 2 + seed);
      Scorer scorer = bundle(ensemble).scorer();
      int n = seed == 0 ? 2_300 : 400 + random.nextInt(200);
      double[] rows = rows(random, n);
      double[] out = new double[n * FEATURES];
      RowRefusals refusals = new RowRefusals();
      scorer.contributions(rows, n, FEATURES, out, refusals);
      List<Integer> refused = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        io.chainscore.scoring.Explanation e;
        try {
          e = scorer.explain(Arrays.copyOfRange(rows, r * FEATURES, (r + 1) * FEATURES));
        } catch (ScoringException expected) {
          refused.add(r);
          for (int j = 0; j < FEATURES; j++) {
            assertThat(out[r * FEATURES + j]).isNaN();
          }
          continue;
        }
        for (int j = 0; j < FEATURES; j++) {
          io.chainscore.scoring.Explanation.Item item = e.items().get(j);
          assertThat(Double.doubleToRawLongBits(out[r * FEATURES + j])).as("seed %d row %d feature %d", seed, r, j)
              .isEqualTo(Double.doubleToRawLongBits(item.contribution()));
          int code = scorer.reasonCodeOfColumn(j);
          assertThat(code < 0 ? "" : scorer.reasonCode(code)).isEqualTo(item.reasonCode());
        }
      }
      List<Integer> reported = new ArrayList<>();
      for (int i = 0; i < refusals.count(); i++) {
        reported.add(refusals.row(i));
      }
      assertThat(reported).isEqualTo(refused);
      assertThat(refused.size()).as("seed %d", seed).isBetween(n / 20, n / 2);
    }
  }

  @Test
  void scoreBatch_withoutRefusalsHolder_throwsAtTheFirstRefusedRowWithEarlierRowsFilledIn() throws Exception {
    Random random = new Random(1799);
    Scorer scorer = bundle(numericEnsemble(random, TreeEnsemble.Precision.FLOAT32, 60, 5)).scorer();
    int n = 300;
    double[] rows = rows(random, n);
    int firstRefused = -1;
    for (int r = 0; r < n && firstRefused < 0; r++) {
      try {
        scorer.score(Arrays.copyOfRange(rows, r * FEATURES, (r + 1) * FEATURES));
      } catch (ScoringException e) {
        firstRefused = r;
      }
    }
    assertThat(firstRefused).isPositive();
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    int row = firstRefused;
    assertThatThrownBy(() -> scorer.scoreBatch(rows, n, FEATURES, points, pd, grade, new int[4 * n]))
        .isInstanceOf(ScoringException.class).hasMessageContaining("row " + row + ",");
    for (int r = 0; r < firstRefused; r++) {
      ScoreResult single = scorer.score(Arrays.copyOfRange(rows, r * FEATURES, (r + 1) * FEATURES));
      assertThat(points[r]).isEqualTo(single.points());
      assertThat(pd[r]).isEqualTo(single.pd());
    }
  }

  /** Scores {@code n} rows in one batch and each alone; returns the number of refused rows. */
  private static int check(Scorer scorer, double[] rows, int n, boolean withReasons) {
    double[] points = new double[n];
    double[] pd = new double[n];
    int[] grade = new int[n];
    int[] reasons = withReasons ? new int[4 * n] : null;
    RowRefusals refusals = new RowRefusals();
    scorer.scoreBatch(rows, n, FEATURES, points, pd, grade, reasons, refusals);
    int next = 0;
    for (int r = 0; r < n; r++) {
      ScoreResult single;
      try {
        single = scorer.score(Arrays.copyOfRange(rows, r * FEATURES, (r + 1) * FEATURES));
      } catch (ScoringException e) {
        assertThat(refusals.row(next)).isEqualTo(r);
        assertThat(refusals.reason(next)).isEqualTo(e.reason());
        assertThat(refusals.column(next)).isEqualTo(e.column());
        assertThat(points[r]).isNaN();
        assertThat(pd[r]).isNaN();
        assertThat(grade[r]).isEqualTo(-1);
        if (withReasons) {
          assertThat(Arrays.copyOfRange(reasons, 4 * r, 4 * r + 4)).containsOnly(-1);
        }
        next++;
        continue;
      }
      assertThat(next == refusals.count() || refusals.row(next) != r).as("row %d is not refused", r).isTrue();
      assertThat(points[r]).as("row %d", r).isEqualTo(single.points());
      assertThat(pd[r]).as("row %d", r).isEqualTo(single.pd());
      assertThat(grade[r]).as("row %d", r).isEqualTo(single.gradeIndex());
      if (withReasons) {
        List<String> codes = new ArrayList<>();
        for (int k = 0; k < 4 && reasons[4 * r + k] >= 0; k++) {
          codes.add(scorer.reasonCode(reasons[4 * r + k]));
        }
        assertThat(codes).as("codes of row %d", r).isEqualTo(single.reasonCodes());
      }
    }
    assertThat(next).isEqualTo(refusals.count());
    return next;
  }

  static TreeEnsemble numericEnsemble(Random random, TreeEnsemble.Precision precision, int trees, int depth)
      throws Exception {
    List<Boolean> categorical = Collections.nCopies(FEATURES, false);
    List<String> names = new ArrayList<>();
    List<DecisionTree> list = new ArrayList<>();
    for (int f = 0; f < FEATURES; f++) {
      names.add("f" + f);
    }
    for (int t = 0; t < trees; t++) {
      list.add(RandomTrees.tree(random, precision, categorical, depth));
    }
    double base = precision == TreeEnsemble.Precision.FLOAT32 ? (float) random.nextGaussian() : random.nextGaussian();
    return TreeEnsemble.of(names, categorical, list, base, TreeEnsemble.Link.LOGISTIC, 1.0, precision, "random");
  }

  /**
   * f0 clamped to [-2, 2], f1 refused when missing, f2 passes missing values, f3 imputes 0.5,
   * f4 and f5 refuse values out of [-3, 3]; a row missing more than half is refused.
   */
  static ModelBundle bundle(TreeEnsemble ensemble) throws Exception {
    BundleBuilder b = BundleBuilder.create("tree-batch", "1.0.0");
    for (int f = 0; f < FEATURES; f++) {
      BundleBuilder.Feature feature = BundleBuilder.Feature.of(
          FeatureSpec.numeric("f" + f, "", f == 0 ? -2 : -3, f == 0 ? 2 : 3, "feature " + f))
          .withReasonCode("R" + (f % 4));
      if (f == 0) {
        feature = feature.withOutOfRange(BundleBuilder.OutOfRange.CLAMP);
      } else if (f == 1) {
        feature = feature.withMissing(BundleBuilder.Missing.REJECT, Double.NaN);
      } else if (f == 3) {
        feature = feature.withMissing(BundleBuilder.Missing.IMPUTE, 0.5);
      }
      b.feature(feature);
    }
    for (int c = 0; c < 4; c++) {
      b.reasonCode("R" + c, "reason " + c);
    }
    return b.scoreScale(20, 600, 50).logisticCalibration(-0.2, 0.9).model(new TreeEnsembleView(ensemble))
        .maxMissingShare(0.5)
        .provenance(new ModelBundle.Provenance("2026-01-01T00:00:00Z", "0".repeat(64), "test")).build();
  }

  /** Grid values, their neighbours, NaN (10%) and, for about 3% of values, one out of range. */
  static double[] rows(Random random, int n) {
    double[] rows = new double[n * FEATURES];
    for (int i = 0; i < rows.length; i++) {
      double x = RandomTrees.value(random, false);
      rows[i] = random.nextInt(33) == 0 ? (random.nextBoolean() ? 7.5 : -4) : x;
    }
    return rows;
  }
}

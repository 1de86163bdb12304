package io.chainscore.scoring;

import io.chainscore.scoring.spi.CompiledModel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogisticScorerTest {
  private static final double NaN = Double.NaN;
  private static final double[] WOE_SECTOR = {0.35, 0.2, -0.25, -0.6};
  private final ModelBundle bundle = TestBundles.load("logistic.json");
  private final Scorer scorer = bundle.scorer();

  /** The margin written out from the bundle's coefficients. */
  private static double margin(double days, double dilution, double sector, double invoices) {
    double woe = Double.isNaN(sector) ? 0 : WOE_SECTOR[(int) sector];
    return -3.2 + 0.045 * days + 6.5 * dilution - 0.9 * woe - 0.004 * invoices;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Test
  void score_closedFormPdAndPoints() {
    double m = margin(40, 0.08, 3, 20); // -3.2 + 1.8 + 0.52 + 0.54 - 0.08 = -0.42
    assertThat(m).isCloseTo(-0.42, within(1e-12));
    ScoreResult r = scorer.score(new double[] {40, 0.08, 3, 20});
    // Platt calibration of the bundle: PD = sigmoid(0.1 + 0.95 * margin)
    assertThat(r.pd()).isCloseTo(sigmoid(0.1 + 0.95 * -0.42), within(1e-15));
    // points from the uncalibrated margin: 600 + 20 / ln 2 * (-margin - ln 50)
    assertThat(r.points()).isCloseTo(600 + 20 / Math.log(2) * (0.42 - Math.log(50)), within(1e-9));
    assertThat(r.grade()).isEqualTo("7");
    // contributions: days 0.045*(40-11.5)=1.2825, dilution 6.5*(0.08-0.03)=0.325,
    // sector -0.9*(-0.6-0.05)=0.585, invoices -0.004*(20-140)=0.48
    assertThat(r.reasonCodes()).containsExactly("R01", "R04", "R03", "R02");
  }

  @Test
  void score_imputesMissingAndClampsOutOfRange() {
    ScoreResult imputed = scorer.score(new double[] {NaN, 0.01, NaN, 300});
    assertThat(imputed.pd()).isCloseTo(sigmoid(0.1 + 0.95 * margin(12, 0.01, NaN, 300)), within(1e-15));
    ScoreResult clamped = scorer.score(new double[] {1000, 0.01, 0, 300});
    assertThat(clamped.pd()).isCloseTo(sigmoid(0.1 + 0.95 * margin(365, 0.01, 0, 300)), within(1e-15));
    assertThatThrownBy(() -> scorer.score(new double[] {1, NaN, 0, 300}))
        .isInstanceOfSatisfying(ScoringException.class, e -> assertThat(e.feature()).isEqualTo("dilution_rate_12m"));
    assertThatThrownBy(() -> scorer.score(new double[] {1, 0.1, 0, -1}))
        .isInstanceOfSatisfying(ScoringException.class, e -> assertThat(e.feature()).isEqualTo("invoice_count_12m"));
  }

  @Test
  void contributions_sumWithBiasToMarginOnRandomRows() {
    CompiledModel model = bundle.content().model();
    SplittableRandom random = new SplittableRandom(7);
    double[] out = new double[4];
    for (int i = 0; i < 10_000; i++) {
      double[] row = {random.nextDouble(0, 365), random.nextDouble(), random.nextInt(5) == 0 ? NaN : random.nextInt(4),
        random.nextDouble(0, 5000)};
      double bias = model.contributions(row, 0, out);
      double sum = bias + out[0] + out[1] + out[2] + out[3];
      double m = model.margin(row, 0);
      assertThat(sum).isCloseTo(m, within(1e-9));
      assertThat(m).isCloseTo(margin(row[0], row[1], row[2], row[3]), within(1e-12));
      assertThat(out[0]).isCloseTo(0.045 * (row[0] - 11.5), within(1e-12));
    }
  }

  @Test
  void scoreBatch_reasonCodesRankPositiveContributions() {
    SplittableRandom random = new SplittableRandom(11);
    int n = 2_000;
    double[] rows = new double[n * 4];
    for (int r = 0; r < n; r++) {
      rows[r * 4] = random.nextInt(60);
      rows[r * 4 + 1] = random.nextInt(10) / 100.0;
      rows[r * 4 + 2] = random.nextInt(4);
      rows[r * 4 + 3] = random.nextInt(400);
    }
    int[] reasons = new int[n * 4];
    scorer.scoreBatch(rows, n, 4, new double[n], new double[n], new int[n], reasons);
    String[] codes = {"R01", "R02", "R04", "R03"}; // by column: the term's reason code
    for (int r = 0; r < n; r++) {
      double[] contribution = {
        0.045 * (rows[r * 4] - 11.5), 6.5 * (rows[r * 4 + 1] - 0.03),
        -0.9 * (WOE_SECTOR[(int) rows[r * 4 + 2]] - 0.05), -0.004 * (rows[r * 4 + 3] - 140)
      };
      List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
      order.removeIf(j -> !(contribution[j] > 0));
      List<String> tableOrder = List.of("R01", "R02", "R03", "R04");
      order.sort(Comparator.comparing((Integer j) -> -contribution[j]).thenComparing(j -> tableOrder.indexOf(codes[j])));
      List<String> expected = order.stream().map(j -> codes[j]).toList();
      List<String> actual = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        if (reasons[r * 4 + k] >= 0) {
          actual.add(scorer.reasonCode(reasons[r * 4 + k]));
        }
      }
      assertThat(actual).as("row %d", r).isEqualTo(expected);
    }
  }

  @Test
  void seal_rawTermOnPassThroughFeatureIsRefused() {
    ObjectNode root = TestBundles.tree("logistic.json");
    ((ObjectNode) root.get("features").get(1)).put("missing", "pass");
    assertThatThrownBy(() -> TestBundles.seal(root, false))
        .isInstanceOfSatisfying(ModelFormatException.class, e -> assertThat(e.field()).isEqualTo("model.terms[1].feature"))
        .hasMessageContaining("missing");
  }
}

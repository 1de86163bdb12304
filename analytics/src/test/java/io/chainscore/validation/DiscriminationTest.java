package io.chainscore.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DiscriminationTest {
  // validation-statistics.md worked example
  private static final double[] SCORES = {.9, .8, .7, .6, .55, .5, .4, .3, .2, .1};
  private static final int[] LABELS = {1, 1, 0, 1, 0, 0, 1, 0, 0, 0};

  @Test
  void auc_referenceExample_matchesWorkedValue() {
    assertThat(Discrimination.auc(SCORES, LABELS)).isCloseTo(0.833333, within(1e-6));
    assertThat(Discrimination.gini(SCORES, LABELS)).isCloseTo(0.666667, within(1e-6));
  }

  @Test
  void ks_referenceExample_matchesWorkedValue() {
    assertThat(Discrimination.ks(SCORES, LABELS)).isCloseTo(0.583333, within(1e-6));
  }

  @Test
  void auc_randomDataWithTies_equalsBruteForcePairCount() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 20; trial++) {
      int n = 50 + rnd.nextInt(400);
      double[] s = new double[n];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        s[i] = rnd.nextInt(15) / 3.0; // heavy ties
        y[i] = rnd.nextDouble() < 0.2 + 0.04 * s[i] ? 1 : 0;
      }
      y[0] = 1;
      y[1] = 0;
      assertThat(Discrimination.auc(s, y)).isCloseTo(bruteAuc(s, y), within(1e-12));
      assertThat(Discrimination.ks(s, y)).isCloseTo(scanKs(s, y), within(1e-12));
    }
  }

  @Test
  void ks_continuousScores_equalsScanOverEveryThreshold() {
    Random rnd = new Random(7);
    int n = 1000;
    double[] s = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextDouble() < 0.3 ? 1 : 0;
      s[i] = rnd.nextGaussian() + y[i];
    }
    assertThat(Discrimination.ks(s, y)).isCloseTo(scanKs(s, y), within(1e-12));
    assertThat(Discrimination.auc(s, y)).isCloseTo(bruteAuc(s, y), within(1e-12));
  }

  @Test
  void auc_allScoresTied_isOneHalfAndKsIsZero() {
    double[] s = {1, 1, 1, 1};
    int[] y = {1, 0, 1, 0};
    assertThat(Discrimination.auc(s, y)).isEqualTo(0.5);
    assertThat(Discrimination.ks(s, y)).isEqualTo(0.0);
  }

  @Test
  void gainsTable_referenceExampleInFiveGroups_countsAndLift() {
    GainsTable t = Discrimination.gainsTable(SCORES, LABELS, 5);
    assertThat(t.rows()).hasSize(5);
    // groups of 2 by descending score: (.9,.8)=2 events, (.7,.6)=1, (.55,.5)=0, (.4,.3)=1, (.2,.1)=0
    long[] events = new long[5];
    for (int g = 0; g < 5; g++) {
      events[g] = t.rows().get(g).events();
      assertThat(t.rows().get(g).count()).isEqualTo(2);
    }
    assertThat(events).containsExactly(2, 1, 0, 1, 0);
    GainsTable.Row first = t.rows().get(0);
    assertThat(first.maxScore()).isEqualTo(.9);
    assertThat(first.minScore()).isEqualTo(.8);
    assertThat(first.lift()).isCloseTo(1.0 / 0.4, within(1e-12));
    assertThat(t.rows().get(1).cumulativeEventShare()).isCloseTo(0.75, within(1e-12));
    // groups 1-2: 3 of 4 events in 40 % of the population -> cumulative rate 0.75, lift 1.875
    assertThat(t.rows().get(1).cumulativeLift()).isCloseTo(1.875, within(1e-12));
    assertThat(t.rows().get(4).cumulativeEventShare()).isCloseTo(1.0, within(1e-12));
    assertThat(t.rows().get(4).cumulativePopulationShare()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void gainsTable_tiedScoresAcrossBoundary_stayInOneGroup() {
    double[] s = {5, 4, 4, 4, 3, 2};
    int[] y = {1, 1, 0, 0, 0, 0};
    GainsTable t = Discrimination.gainsTable(s, y, 3);
    // nominal groups of 2: positions {5,4},{4,4},{3,2}; the run of 4s stays whole in group 1
    assertThat(t.rows()).hasSize(2);
    assertThat(t.rows().get(0).count()).isEqualTo(4);
    assertThat(t.rows().get(0).minScore()).isEqualTo(4);
    assertThat(t.rows().get(1).count()).isEqualTo(2);
    assertThat(t.rows().get(1).maxScore()).isEqualTo(3);
  }

  @Test
  void auc_badInput_namesTheProblem() {
    assertThatThrownBy(() -> Discrimination.auc(new double[] {1, 2}, new int[] {0, 2}))
        .hasMessage("labels[1]: expected 0 or 1, got 2");
    assertThatThrownBy(() -> Discrimination.auc(new double[] {1, 2}, new int[] {0, 0}))
        .hasMessageContaining("need at least one event");
    assertThatThrownBy(() -> Discrimination.ks(new double[] {1, Double.NaN}, new int[] {0, 1}))
        .hasMessage("scores[1]: expected a number, got NaN");
  }

  /** O(n^2) count over all event/non-event pairs. */
  private static double bruteAuc(double[] s, int[] y) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < s.length; i++) {
      if (y[i] != 1) {
        continue;
      }
      for (int j = 0; j < s.length; j++) {
        if (y[j] != 0) {
          continue;
        }
        pairs++;
        if (s[i] > s[j]) {
          wins += 1;
        } else if (s[i] == s[j]) {
          wins += 0.5;
        }
      }
    }
    return wins / pairs;
  }

  /** For every observed score t: |#{bad <= t}/bad - #{good <= t}/good|, maximised. */
  private static double scanKs(double[] s, int[] y) {
    double[] sorted = s.clone();
    java.util.Arrays.sort(sorted);
    long bads = 0;
    for (int v : y) {
      bads += v;
    }
    long goods = y.length - bads;
    double best = 0;
    for (double t : sorted) {
      long b = 0;
      long g = 0;
      for (int i = 0; i < s.length; i++) {
        if (s[i] <= t) {
          if (y[i] == 1) {
            b++;
          } else {
            g++;
          }
        }
      }
      best = Math.max(best, Math.abs((double) b / bads - (double) g / goods));
    }
    return best;
  }

  @Test
  void auc_allEvents_refusedLikeNoEvents() {
    assertThatThrownBy(() -> Discrimination.auc(new double[] {1, 2}, new int[] {1, 1}))
        .hasMessageContaining("need at least one event");
    assertThatThrownBy(() -> Discrimination.ks(new double[] {1, 2, 3}, new int[] {1, 1, 1}))
        .hasMessageContaining("need at least one event");
  }

  /** Groups are numbered 1, 2, ... riskiest first; one group is the whole sample at lift 1. */
  @Test
  void gainsTable_groupNumbersAndSingleGroup() {
    GainsTable t = Discrimination.gainsTable(SCORES, LABELS, 5);
    for (int g = 0; g < 5; g++) {
      assertThat(t.rows().get(g).group()).isEqualTo(g + 1);
    }
    GainsTable one = Discrimination.gainsTable(SCORES, LABELS, 1);
    assertThat(one.rows()).hasSize(1);
    assertThat(one.rows().get(0).group()).isEqualTo(1);
    assertThat(one.rows().get(0).count()).isEqualTo(SCORES.length);
    assertThat(one.rows().get(0).lift()).isCloseTo(1.0, within(1e-12));
    assertThatThrownBy(() -> Discrimination.gainsTable(SCORES, LABELS, 0)).hasMessageContaining("groups must be >= 1");
  }
}

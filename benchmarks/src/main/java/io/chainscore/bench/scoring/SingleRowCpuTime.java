package io.chainscore.bench.scoring;

import io.chainscore.develop.pipeline.SimulatedSample;
import io.chainscore.features.StandardFeatures;
import io.chainscore.models.DefaultModels;
import io.chainscore.scoring.ModelBundle;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.Scorer;
import io.chainscore.scoring.ScoringException;
import io.chainscore.sim.SimulationConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * What an embedder's single-row calls cost on the bundled models, by the scoring thread's CPU
 * time: {@code Scorer.score(row)} (points, PD, grade and four reason codes: for trees, exact
 * TreeSHAP), and {@code scoreBatch} of one row without reason codes (points, PD and grade only),
 * on 4,096 distinct rows of a simulated cohort the models never saw, each row scored in turn
 * (so no row is in cache from its last call but by the rows' small size). Five rounds of at least
 * one CPU-second each after two warm-up rounds; the minimum and the median are printed.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.chainscore.bench.scoring.SingleRowCpuTime}
 */
public final class SingleRowCpuTime {
  private SingleRowCpuTime() {}

  public static void main(String[] args) {
    SimulatedSample sample = SimulatedSample.of(SimulationConfig.builder().suppliers(6_000).seed(424_242)
        .asOf(LocalDate.of(2025, 12, 31)).build(), 2);
    int width = StandardFeatures.SCHEMA.size();
    double sink = 0;
    for (ModelBundle bundle : new ModelBundle[] {DefaultModels.scorecard(), DefaultModels.gbdt()}) {
      Scorer scorer = bundle.scorer();
      // the rows the model scores (a row refused by its policies would time the refusal)
      double[][] rows = new double[4096][];
      int kept = 0;
      for (int i = 0; i < sample.labels().length && kept < rows.length; i++) {
        double[] row = Arrays.copyOfRange(sample.rows(), i * width, (i + 1) * width);
        try {
          scorer.score(row);
          rows[kept++] = row;
        } catch (ScoringException refused) {
          // not timed
        }
      }
      double[] points = new double[1];
      double[] pd = new double[1];
      int[] grade = new int[1];
      double[] score = new double[7];
      double[] batch = new double[7];
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      for (int round = 0; round < 7; round++) {
        long calls = 0;
        long c0 = mx.getCurrentThreadCpuTime();
        while (mx.getCurrentThreadCpuTime() - c0 < 1_000_000_000L) {
          for (int i = 0; i < kept; i++) {
            ScoreResult r = scorer.score(rows[i]);
            sink += r.pd() + r.reasonCodes().size();
          }
          calls += kept;
        }
        score[round] = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / calls;
        calls = 0;
        c0 = mx.getCurrentThreadCpuTime();
        while (mx.getCurrentThreadCpuTime() - c0 < 1_000_000_000L) {
          for (int i = 0; i < kept; i++) {
            scorer.scoreBatch(rows[i], 1, width, points, pd, grade, null);
            sink += pd[0];
          }
          calls += kept;
        }
        batch[round] = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / calls;
      }
      double[] s = Arrays.copyOfRange(score, 2, 7);
      double[] b = Arrays.copyOfRange(batch, 2, 7);
      Arrays.sort(s);
      Arrays.sort(b);
      System.out.printf("%s (%d rows): score(row) with reason codes %.2f / %.2f us; scoreBatch of one row without"
          + " them %.2f / %.2f us (min / median CPU time per call, 5 rounds)%n", bundle.modelId(), kept, s[0], s[2],
          b[0], b[2]);
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}

package io.chainscore.bench.gbdt;

import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.scoring.ScoreResult;
import io.chainscore.scoring.Scorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The scorecard side of {@code benchmarks/scripts/gbdt_vs_hgb.py scorecard}: for each case, reads
 * {@code DIR/<case>.csv} and {@code DIR/<case>.folds.csv} as {@link GbdtFoldsRunner} does, trains
 * {@link ScorecardTrainer} with the options of {@code chainscore train} (builder defaults: binning,
 * IV and correlation limits, in-sample selection) on each training fold, and writes every row's
 * out-of-fold PD as log-odds to {@code DIR/<case>.scorecard.csv} (one line per row, one column per
 * repeat). No {@code max_missing_share} is declared, so every held-out row is scored.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.chainscore.bench.gbdt.ScorecardFoldsRunner DIR CASE...}
 */
public final class ScorecardFoldsRunner {
  private ScorecardFoldsRunner() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    for (int a = 1; a < args.length; a++) {
      run(dir, args[a]);
    }
  }

  static void run(Path dir, String name) throws IOException {
    Path csv = dir.resolve(name + ".csv");
    String header = Files.readAllLines(csv).get(0);
    String target = header.substring(header.lastIndexOf(',') + 1);
    TabularData table = TabularData.readCsv(csv, target, name.startsWith("german") ? "bad" : null);
    TabularSamples all = TabularSamples.of(table, Set.of());
    int[][] fold = GbdtFoldsRunner.folds(dir.resolve(name + ".folds.csv"), all.size());
    int n = all.size();
    int repeats = fold[0].length;
    int p = all.schema().size();
    double[][] logOdds = new double[n][repeats];
    int[] characteristics = new int[repeats * 5];
    long start = System.nanoTime();
    for (int r = 0; r < repeats; r++) {
      for (int k = 0; k < 5; k++) {
        boolean[] test = new boolean[n];
        for (int i = 0; i < n; i++) {
          test[i] = fold[i][r] == k;
        }
        TabularSamples[] parts = all.split(test);
        ScorecardTrainer.Result result = new ScorecardTrainer(ScorecardTrainer.Options.builder().build())
            .train(all.schema(), parts[0].rows(), parts[0].labels());
        characteristics[r * 5 + k] = result.characteristics().size();
        Scorer scorer = result.bundle().scorer();
        for (int i = 0; i < n; i++) {
          if (test[i]) {
            ScoreResult s = scorer.score(Arrays.copyOfRange(all.rows(), i * p, (i + 1) * p));
            logOdds[i][r] = Math.log(s.pd()) - Math.log1p(-s.pd());
          }
        }
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < repeats; r++) {
        out.append(r > 0 ? "," : "").append(String.format(Locale.ROOT, "%.17g", logOdds[i][r]));
      }
      out.append('\n');
    }
    Files.writeString(dir.resolve(name + ".scorecard.csv"), out);
    System.out.printf(Locale.ROOT, "%s: %d rows, %d candidate features, %d-%d characteristics per fold, %d x 5 folds"
        + " in %.1f s%n", name, n, p, Arrays.stream(characteristics).min().orElse(0),
        Arrays.stream(characteristics).max().orElse(0), repeats, (System.nanoTime() - start) / 1e9);
  }
}

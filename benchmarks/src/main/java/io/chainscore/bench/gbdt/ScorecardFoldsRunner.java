package io.chainscore.bench.gbdt;

import io.chainscore.develop.TabularSamples;
import io.chainscore.develop.scorecard.ScorecardTrainer;
import io.chainscore.scoring.Scorer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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

  static void run(Path dir, String name) throws IOException, io.chainscore.scoring.ModelFormatException {
    TabularSamples all = GbdtFoldsRunner.samples(dir, name);
    int[][] fold = GbdtFoldsRunner.folds(dir.resolve(name + ".folds.csv"), all.size());
    int p = all.schema().size();
    List<Integer> characteristics = new ArrayList<>();
    long start = System.nanoTime();
    double[][] logOdds = GbdtFoldsRunner.outOfFold(all, fold, train -> {
      ScorecardTrainer.Result result = new ScorecardTrainer(ScorecardTrainer.Options.builder().build())
          .train(all.schema(), train.rows(), train.labels());
      characteristics.add(result.characteristics().size());
      Scorer scorer = result.bundle().scorer();
      return (rows, offset) -> {
        double pd = scorer.score(Arrays.copyOfRange(rows, offset, offset + p)).pd();
        return Math.log(pd) - Math.log1p(-pd);
      };
    });
    GbdtFoldsRunner.write(dir.resolve(name + ".scorecard.csv"), logOdds);
    System.out.printf(Locale.ROOT, "%s: %d rows, %d candidate features, %d-%d characteristics per fold, %d x 5 folds"
        + " in %.1f s%n", name, all.size(), p, java.util.Collections.min(characteristics),
        java.util.Collections.max(characteristics), fold[0].length, (System.nanoTime() - start) / 1e9);
  }
}

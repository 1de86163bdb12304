package io.chainscore.bench.gbdt;

import io.chainscore.develop.TabularData;
import io.chainscore.develop.TabularSamples;
import io.chainscore.develop.gbdt.GbdtTrainer;
import io.chainscore.scoring.spi.CompiledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The ChainScore side of {@code benchmarks/scripts/gbdt_vs_hgb.py}: for each case, reads {@code
 * DIR/<case>.csv} (target: the last column; German credit's event label "bad", else 1) and the folds
 * {@code DIR/<case>.folds.csv}, trains {@link GbdtTrainer} with the xgboost engine and every other
 * option at its default on each training fold, and writes the out-of-fold margins to {@code
 * DIR/<case>.chainscore.csv} (one line per row, one column per repeat). With {@code --partition}
 * first, the trees split categorical features by XGBoost's partitions instead of the default one
 * category against the rest, into {@code DIR/<case>.chainscore-partition.csv}. With {@code --variant
 * NAME key=value ...} first, the trees are trained with those options changed from the defaults
 * ({@code depth}, {@code trees}, {@code eta}, {@code l2}, {@code min-child-weight}, {@code
 * subsample}, {@code leaves}, {@code early-stopping}, {@code depth-choice=auto}: the depths 3-6 alone,
 * the default of 2026-12-05, where the default since 2026-12-06 adds the 31-leaf shape) into {@code
 * DIR/<case>.chainscore-NAME.csv},
 * for comparing settings ({@code gbdt_vs_hgb.py report DIR NAME}).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.chainscore.bench.gbdt.GbdtFoldsRunner [--partition |
 * --variant NAME key=value...] DIR CASE...}
 */
public final class GbdtFoldsRunner {
  private GbdtFoldsRunner() {}

  public static void main(String[] args) throws Exception {
    boolean partition = args[0].equals("--partition");
    int first = partition ? 1 : 0;
    String suffix = partition ? "-partition" : "";
    java.util.Map<String, String> variant = new java.util.LinkedHashMap<>();
    if (args[0].equals("--variant")) {
      suffix = "-" + args[1];
      for (first = 2; args[first].contains("="); first++) {
        variant.put(args[first].substring(0, args[first].indexOf('=')), args[first].substring(args[first].indexOf('=') + 1));
      }
    }
    Path dir = Path.of(args[first]);
    for (int a = first + 1; a < args.length; a++) {
      GbdtTrainer.Builder builder = GbdtTrainer.builder().engine(GbdtTrainer.Engine.XGBOOST)
          .categoricalSplits(partition ? GbdtTrainer.CategoricalSplits.PARTITION : GbdtTrainer.CategoricalSplits.ONE_VS_REST);
      variant.forEach((key, value) -> set(builder, key, value));
      run(dir, args[a], builder, suffix);
    }
  }

  /** Sets one option of a {@code --variant}. */
  private static void set(GbdtTrainer.Builder b, String key, String value) {
    switch (key) {
      case "depth" -> b.maxDepth(Integer.parseInt(value));
      case "trees" -> b.trees(Integer.parseInt(value));
      case "eta" -> b.shrinkage(Double.parseDouble(value));
      case "l2" -> b.l2(Double.parseDouble(value));
      case "min-child-weight" -> b.minChildWeight(Double.parseDouble(value));
      case "subsample" -> b.subsample(Double.parseDouble(value));
      case "leaves" -> b.maxNodes(Integer.parseInt(value));
      case "early-stopping" -> b.earlyStoppingRounds(Integer.parseInt(value));
      case "depth-choice" -> {  // what train --depth auto asks for
        if (!value.equals("auto")) {
          throw new IllegalArgumentException("--variant: depth-choice=auto, got " + value);
        }
        b.depthChoices(GbdtTrainer.DEPTH_CHOICES);
      }
      default -> throw new IllegalArgumentException("--variant: unknown option " + key);
    }
  }

  /** The fold of every row in each repeat: {@code folds[row][repeat]}, from the script's folds file. */
  static int[][] folds(Path file, int n) throws IOException {
    List<String> foldLines = Files.readAllLines(file);
    if (foldLines.size() != n) {
      throw new IllegalArgumentException(file + ": " + foldLines.size() + " lines, expected one per row (" + n + ")");
    }
    int repeats = foldLines.get(0).split(",").length;
    int[][] fold = new int[n][repeats];
    for (int i = 0; i < n; i++) {
      String[] f = foldLines.get(i).split(",");
      for (int r = 0; r < repeats; r++) {
        fold[i][r] = Integer.parseInt(f[r].trim());
      }
    }
    return fold;
  }

  static void run(Path dir, String name, GbdtTrainer.Builder builder, String suffix)
      throws IOException, io.chainscore.scoring.ModelFormatException {
    TabularSamples all = samples(dir, name);
    int[][] fold = folds(dir.resolve(name + ".folds.csv"), all.size());
    long start = System.nanoTime();
    GbdtTrainer trainer = builder.build();
    double[][] margin = outOfFold(all, fold, train -> {
      GbdtTrainer.Result result = trainer.train(all.schema(), train.rows(), train.labels());
      CompiledModel model = result.fit().ensemble().compile(all.schema());
      return model::margin;
    });
    write(dir.resolve(name + ".chainscore" + suffix + ".csv"), margin);
    System.out.printf(Locale.ROOT, "%s: %d rows, %d features (%s), %d x 5 folds in %.1f s%n", name, all.size(),
        all.schema().size(), all.schema().features().stream()
            .filter(f -> f.type() == io.chainscore.features.FeatureType.CATEGORICAL).count() + " categorical",
        fold[0].length, (System.nanoTime() - start) / 1e9);
  }

  /** The case's table, {@code DIR/<case>.csv}, target its last column (German credit's event label "bad", else 1). */
  static TabularSamples samples(Path dir, String name) throws IOException {
    Path csv = dir.resolve(name + ".csv");
    String header = Files.readAllLines(csv).get(0);
    String target = header.substring(header.lastIndexOf(',') + 1);
    TabularData table = TabularData.readCsv(csv, target, name.startsWith("german") ? "bad" : null);
    return TabularSamples.of(table, Set.of());
  }

  /** A model fitted on a training fold: its score of the row at {@code offset} of row-major {@code rows}. */
  interface FoldModel {
    double score(double[] rows, int offset);
  }

  /** A model fitted on the training rows of a fold. */
  interface FoldFit {
    FoldModel fit(TabularSamples train) throws IOException, io.chainscore.scoring.ModelFormatException;
  }

  /**
   * Every row's score by the model fitted on the other folds of each repeat: {@code
   * [row][repeat]}, 5 folds per repeat as {@code fold[row][repeat]} assigns them.
   */
  static double[][] outOfFold(TabularSamples all, int[][] fold, FoldFit fit)
      throws IOException, io.chainscore.scoring.ModelFormatException {
    int n = all.size();
    int repeats = fold[0].length;
    int p = all.schema().size();
    double[][] score = new double[n][repeats];
    for (int r = 0; r < repeats; r++) {
      for (int k = 0; k < 5; k++) {
        boolean[] test = new boolean[n];
        for (int i = 0; i < n; i++) {
          test[i] = fold[i][r] == k;
        }
        FoldModel model = fit.fit(all.split(test)[0]);
        for (int i = 0; i < n; i++) {
          if (test[i]) {
            score[i][r] = model.score(all.rows(), i * p);
          }
        }
      }
    }
    return score;
  }

  /** {@code values} as CSV, one line per row, one column per repeat, every double exactly. */
  static void write(Path file, double[][] values) throws IOException {
    StringBuilder out = new StringBuilder();
    for (double[] row : values) {
      for (int r = 0; r < row.length; r++) {
        out.append(r > 0 ? "," : "").append(String.format(Locale.ROOT, "%.17g", row[r]));
      }
      out.append('\n');
    }
    Files.writeString(file, out);
  }
}

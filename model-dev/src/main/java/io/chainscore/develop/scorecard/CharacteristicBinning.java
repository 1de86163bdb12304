package io.chainscore.develop.scorecard;

import io.chainscore.develop.binning.BinningTable;
import io.chainscore.develop.binning.MonotonicTrend;
import io.chainscore.develop.binning.OptimalBinning;
import io.chainscore.features.FeatureSchema;
import io.chainscore.features.FeatureSpec;
import io.chainscore.features.FeatureType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The binning seam of {@link ScorecardTrainer}: optimal binning of every feature (monotonic
 * numeric bins; categorical bins with rare categories pooled) and the WoE coding of each column.
 *
 * <p>Thread safety: immutable; {@link #binAll} bins the columns on its own short-lived pool.
 */
final class CharacteristicBinning {
  /** Share below which a category is pooled with the other rare and unseen categories. */
  private static final double RARE_CATEGORY_SHARE = 0.02;

  /**
   * Every column binned.
   *
   * @param tables binning table per schema column, null where the feature could not be binned
   * @param woe WoE coding of each column's values, null where the feature could not be binned
   * @param columns the column values (column-major copy of the rows)
   * @param weights the rows' sample weights, null for weight 1 each
   */
  record Binned(BinningTable[] tables, double[][] woe, double[][] columns, double[] weights,
      Map<String, ManualBins.Spec> manual) {
    /** Information value per feature name in schema order, NaN when it could not be binned. */
    Map<String, Double> ivByFeature(FeatureSchema schema) {
      Map<String, Double> ivs = new LinkedHashMap<>();
      for (int j = 0; j < tables.length; j++) {
        ivs.put(schema.feature(j).name(), tables[j] == null ? Double.NaN : tables[j].iv());
      }
      return ivs;
    }
  }

  private final double minBinShare;
  private final int maxBins;

  CharacteristicBinning(double minBinShare, int maxBins) {
    this.minBinShare = minBinShare;
    this.maxBins = maxBins;
  }

  /** Bins every column of the row-major {@code rows}, with sample {@code weights} (null: weight 1 each). */
  Binned binAll(FeatureSchema schema, double[] rows, int[] labels, double[] weights) {
    return binAll(schema, rows, labels, weights, java.util.Map.of());
  }

  /**
   * Bins every column like {@link #binAll(FeatureSchema, double[], int[], double[])}, except the
   * features in {@code fixed}: their bins are the given ones (manual classing), only counted on
   * these rows.
   */
  Binned binAll(FeatureSchema schema, double[] rows, int[] labels, double[] weights,
      java.util.Map<String, ManualBins.Spec> fixed) {
    int p = schema.size();
    int n = labels.length;
    BinningTable[] tables = new BinningTable[p];
    double[][] woe = new double[p][];
    double[][] columns = new double[p][];
    // Characteristics are binned independently, so in parallel; each result lands in its own
    // slot, so the outcome does not depend on the thread count.
    int threads = Math.max(1, Math.min(p, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int j = 0; j < p; j++) {
        int column = j;
        futures.add(pool.submit(() -> {
          FeatureSpec f = schema.feature(column);
          columns[column] = column(rows, p, column, n);
          try {
            tables[column] = fit(f, columns[column], labels, weights, fixed);
            woe[column] = woe(tables[column], f, columns[column]);
          } catch (IllegalArgumentException e) {
            tables[column] = null;
          }
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("binning interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new Binned(tables, woe, columns, weights, fixed);
  }

  /**
   * The binning table of one column.
   *
   * @throws IllegalArgumentException when the column cannot be binned (for example a single class)
   */
  BinningTable fit(FeatureSpec f, double[] column, int[] labels, double[] weights, Map<String, ManualBins.Spec> fixed) {
    ManualBins.Spec manual = fixed.get(f.name());
    return manual != null ? manual.table(f, column, labels, weights) : fit(f, column, labels, weights);
  }

  /** The automatic binning table of one column. */
  BinningTable fit(FeatureSpec f, double[] column, int[] labels, double[] weights) {
    if (f.type() == FeatureType.CATEGORICAL) {
      return OptimalBinning.builder().minBinShare(minBinShare).rareCategoryShare(RARE_CATEGORY_SHARE).build()
          .fitCategorical(codes(f, column), labels, weights);
    }
    return OptimalBinning.builder().trend(MonotonicTrend.AUTO).minBinShare(minBinShare)
        .maxBins(maxBins).build().fit(column, labels, weights);
  }

  /** The WoE of each value of {@code column} under {@code table}. */
  static double[] woe(BinningTable table, FeatureSpec f, double[] column) {
    double[] out = new double[column.length];
    if (f.type() == FeatureType.CATEGORICAL) {
      String[] codes = codes(f, column);
      for (int i = 0; i < out.length; i++) {
        out[i] = table.woe(codes[i]);
      }
    } else {
      table.transform(column, out);
    }
    return out;
  }

  static String[] codes(FeatureSpec f, double[] column) {
    String[] codes = new String[column.length];
    for (int i = 0; i < column.length; i++) {
      codes[i] = Double.isNaN(column[i]) ? null : f.categories().get((int) column[i]);
    }
    return codes;
  }

  private static double[] column(double[] rows, int p, int j, int n) {
    double[] column = new double[n];
    for (int i = 0; i < n; i++) {
      column[i] = rows[i * p + j];
    }
    return column;
  }
}

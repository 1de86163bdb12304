package io.chainscore.portfolio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The summary of a {@link CreditPortfolioSimulation}'s scenario losses: mean loss and its standard
 * error, VaR and expected shortfall per confidence level with batch-means standard errors, the
 * histogram, and (unless turned off) Euler contributions by supplier, anchor and sector, found by
 * re-simulating the tail scenarios with their defaulters recorded.
 *
 * <p>Determinism: re-simulation runs in parallel chunks, each scenario into its own slot, and every
 * sum is accumulated in rank order on the calling thread, so results are bit-identical for any
 * thread count.
 *
 * <p>Thread safety: one instance per {@link CreditPortfolioSimulation#run()} call; not shared.
 */
final class LossSummary {
  private static final int BATCHES = 20;
  private static final int HISTOGRAM_BINS = 60;
  private static final int TAIL_CHUNK = 64;

  private final CreditPortfolioSimulation simulation;
  private final CreditPortfolioConfig config;
  private final int obligors;
  private final int[] sectorOf;
  private final int[] anchorOf;
  private final String[] sectorKeys;
  private final String[] anchorKeys;
  private final double[] lossGivenDefault;
  private final double totalEad;
  private final double expectedLoss;

  LossSummary(CreditPortfolioSimulation simulation) {
    this.simulation = simulation;
    this.config = simulation.config;
    this.obligors = simulation.obligors;
    this.sectorOf = simulation.sectorOf;
    this.anchorOf = simulation.anchorOf;
    this.sectorKeys = simulation.sectorKeys;
    this.anchorKeys = simulation.anchorKeys;
    this.lossGivenDefault = simulation.lossGivenDefault;
    this.totalEad = simulation.totalEad;
    this.expectedLoss = simulation.expectedLoss;
  }

  /**
   * The loss distribution of the scenarios' {@code losses} and importance {@code weights}
   * (indexed by scenario), re-simulating the tail scenarios on {@code pool} (null: this thread).
   */
  LossDistributionResult summarise(double[] losses, double[] weights, ExecutorService pool) {
    int n = losses.length;
    // The certain loss (exposures in default) is in every scenario: it enters the mean at its value,
    // as in the EL, and only the uncertain rest is weighted (the weights' average is 1 only in
    // expectation, so with importance sampling a certain 900,000 came out as 712,461).
    double certain = simulation.certainLoss;
    double uncertainMean = 0;
    for (int s = 0; s < n; s++) {
      uncertainMean += weights[s] * (losses[s] - certain);
    }
    uncertainMean /= n;
    double varianceSum = 0;
    for (int s = 0; s < n; s++) {
      double d = weights[s] * (losses[s] - certain) - uncertainMean;
      varianceSum += d * d;
    }
    double meanLoss = certain + uncertainMean;
    double meanSe = n > 1 ? Math.sqrt(varianceSum / (n - 1) / n) : Double.NaN;

    int[] order = sortedByLoss(losses, 0, n);

    double[] levels = config.levels();
    int m = levels.length;
    double[] var = new double[m];
    int[] varRank = new int[m];
    int[] windowLow = new int[m];
    int[] windowHigh = new int[m];
    int lowestRank = n;
    for (int l = 0; l < m; l++) {
      varRank[l] = quantileRank(losses, weights, order, 0, n, levels[l]);
      var[l] = losses[order[varRank[l]]];
      int tailCount = n - firstRankAtLeast(losses, order, var[l]);
      int half = Math.max(10, (int) Math.ceil(0.05 * tailCount));
      windowLow[l] = Math.max(0, varRank[l] - half);
      windowHigh[l] = Math.min(n - 1, varRank[l] + half);
      lowestRank = Math.min(lowestRank, Math.min(windowLow[l], firstRankAtLeast(losses, order, var[l])));
    }
    if (!config.contributions()) {
      lowestRank = n;
    }

    // Tail pass: re-simulate the scenarios at or above the lowest threshold, recording defaulters.
    int groupsAnchor = anchorKeys.length;
    int groupsSector = sectorKeys.length;
    double[][] esW = new double[m][obligors];
    double[][] esW2 = new double[m][obligors];
    double[][] varWx = new double[m][obligors];
    double[][] anchorAcc = new double[m][3 * groupsAnchor];
    double[][] sectorAcc = new double[m][3 * groupsSector];
    double[] tailWeight = new double[m];
    double[] tailWeight2 = new double[m];
    double[] tailLossWeighted = new double[m];
    double[] windowLossWeighted = new double[m];
    int[] tailCount = new int[m];
    for (int l = 0; l < m; l++) {
      for (int rank = firstRankAtLeast(losses, order, var[l]); rank < n; rank++) {
        int s = order[rank];
        tailCount[l]++;
        tailWeight[l] += weights[s];
        tailWeight2[l] += weights[s] * weights[s];
        tailLossWeighted[l] += weights[s] * losses[s];
      }
    }
    double[] anchorLoss = new double[groupsAnchor];
    double[] sectorLoss = new double[groupsSector];
    // Re-simulation runs in parallel chunks, each scenario into its own slot; accumulation then
    // walks the chunk in rank order on this thread, so sums are bit-identical for any threads.
    int chunk = Math.min(n - lowestRank, TAIL_CHUNK);
    CreditPortfolioSimulation.Scratch[] slots = new CreditPortfolioSimulation.Scratch[Math.max(1, chunk)];
    for (int j = 0; j < slots.length; j++) {
      slots[j] = simulation.newScratch();
    }
    double[] slotLoss = new double[slots.length];
    double[] weightSink = new double[n];
    for (int chunkStart = lowestRank; chunkStart < n; chunkStart += chunk) {
      int base = chunkStart;
      int size = Math.min(chunk, n - chunkStart);
      simulation.parallelFor(pool, size, 1, slots,
          (j, sc) -> slotLoss[j] = simulation.simulateScenario(order[base + j], sc, true, weightSink));
      for (int j = 0; j < size; j++) {
        int rank = base + j;
        int s = order[rank];
        double loss = slotLoss[j];
        CreditPortfolioSimulation.Scratch scratch = slots[j];
        if (loss != losses[s]) {
          throw new IllegalStateException("tail re-simulation diverged at scenario " + s);
        }
        double w = weights[s];
        int count = scratch.defaultCount;
        int[] defaulters = scratch.defaulters;
        for (int d = 0; d < count; d++) {
          int i = defaulters[d];
          anchorLoss[anchorOf[i]] += lossGivenDefault[i];
          sectorLoss[sectorOf[i]] += lossGivenDefault[i];
        }
        for (int l = 0; l < m; l++) {
          if (rank >= windowLow[l] && rank <= windowHigh[l]) {
            windowLossWeighted[l] += w * loss;
            double[] acc = varWx[l];
            for (int d = 0; d < count; d++) {
              acc[defaulters[d]] += w;
            }
          }
          if (loss >= var[l]) {
            double[] a = esW[l];
            double[] a2 = esW2[l];
            for (int d = 0; d < count; d++) {
              a[defaulters[d]] += w;
              a2[defaulters[d]] += w * w;
            }
            accumulateGroups(anchorAcc[l], anchorLoss, w);
            accumulateGroups(sectorAcc[l], sectorLoss, w);
          }
        }
        for (int d = 0; d < count; d++) {
          int i = defaulters[d];
          anchorLoss[anchorOf[i]] = 0;
          sectorLoss[sectorOf[i]] = 0;
        }
      }
    }

    int[] anchorSize = new int[groupsAnchor];
    int[] sectorSize = new int[groupsSector];
    for (int i = 0; i < obligors; i++) {
      anchorSize[anchorOf[i]]++;
      sectorSize[sectorOf[i]]++;
    }
    List<LossDistributionResult.TailMeasure> tail = new ArrayList<>();
    for (int l = 0; l < m; l++) {
      double es = tailLossWeighted[l] / tailWeight[l];
      double[] batch = batchStandardErrors(losses, weights, levels[l], var[l], es);
      if (!config.contributions()) {
        tail.add(new LossDistributionResult.TailMeasure(levels[l], var[l], batch[0], es, batch[1],
            tailCount[l], 0, new double[0], new double[0], new double[0], List.of(), List.of()));
        continue;
      }
      double[] supplierEs = new double[obligors];
      double[] supplierEsSe = new double[obligors];
      double[] supplierVar = new double[obligors];
      double[] anchorVar = new double[groupsAnchor];
      double[] sectorVar = new double[groupsSector];
      double varScale = windowLossWeighted[l] > 0 ? var[l] / windowLossWeighted[l] : 0.0;
      for (int i = 0; i < obligors; i++) {
        double v = lossGivenDefault[i];
        double c = v * esW[l][i] / tailWeight[l];
        supplierEs[i] = c;
        double sumSquares = v * v * esW2[l][i] - 2 * c * v * esW2[l][i] + c * c * tailWeight2[l];
        supplierEsSe[i] = Math.sqrt(Math.max(0, sumSquares)) / tailWeight[l];
        supplierVar[i] = v * varWx[l][i] * varScale;
        anchorVar[anchorOf[i]] += supplierVar[i];
        sectorVar[sectorOf[i]] += supplierVar[i];
      }
      tail.add(new LossDistributionResult.TailMeasure(levels[l], var[l], batch[0], es, batch[1],
          tailCount[l], windowHigh[l] - windowLow[l] + 1, supplierVar, supplierEs, supplierEsSe,
          groupContributions(anchorKeys, anchorSize, anchorVar, anchorAcc[l], tailWeight[l], tailWeight2[l]),
          groupContributions(sectorKeys, sectorSize, sectorVar, sectorAcc[l], tailWeight[l], tailWeight2[l])));
    }
    return new LossDistributionResult(n, config.seed(), config.importanceShift(), totalEad, expectedLoss,
        meanLoss, meanSe, List.copyOf(tail), histogram(losses, weights, order));
  }

  /**
   * Scenario indexes from..to-1 sorted by ascending loss; a stable merge sort, so ties keep
   * index order and the result is deterministic.
   */
  static int[] sortedByLoss(double[] losses, int from, int to) {
    int size = to - from;
    int[] a = new int[size];
    int[] b = new int[size];
    for (int k = 0; k < size; k++) {
      a[k] = from + k;
    }
    for (int width = 1; width < size; width <<= 1) {
      for (int lo = 0; lo < size; lo += 2 * width) {
        int mid = Math.min(size, lo + width);
        int hi = Math.min(size, lo + 2 * width);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          b[k++] = losses[a[j]] < losses[a[i]] ? a[j++] : a[i++];
        }
        while (i < mid) {
          b[k++] = a[i++];
        }
        while (j < hi) {
          b[k++] = a[j++];
        }
      }
      int[] t = a;
      a = b;
      b = t;
    }
    return a;
  }

  private static void accumulateGroups(double[] acc, double[] groupLoss, double w) {
    // (sum w x, sum w^2 x, sum w^2 x^2) per group for the ratio-estimator variance.
    for (int g = 0; g < groupLoss.length; g++) {
      double x = groupLoss[g];
      if (x != 0) {
        acc[3 * g] += w * x;
        acc[3 * g + 1] += w * w * x;
        acc[3 * g + 2] += w * w * x * x;
      }
    }
  }

  private static List<LossDistributionResult.Contribution> groupContributions(
      String[] keys, int[] sizes, double[] varContribution, double[] acc, double tailWeight,
      double tailWeight2) {
    List<LossDistributionResult.Contribution> out = new ArrayList<>(keys.length);
    for (int g = 0; g < keys.length; g++) {
      double c = acc[3 * g] / tailWeight;
      double sumSquares = acc[3 * g + 2] - 2 * c * acc[3 * g + 1] + c * c * tailWeight2;
      out.add(new LossDistributionResult.Contribution(keys[g], sizes[g], varContribution[g], c,
          Math.sqrt(Math.max(0, sumSquares)) / tailWeight));
    }
    out.sort(Comparator.comparingDouble(LossDistributionResult.Contribution::expectedShortfall).reversed()
        .thenComparing(LossDistributionResult.Contribution::key));
    return List.copyOf(out);
  }

  /**
   * The rank (in ascending order) of the alpha-quantile among scenarios order[from..to): walking
   * down from the largest loss, the first rank where the weighted exceedance mass passes
   * (1 - alpha) x count.
   */
  private static int quantileRank(double[] losses, double[] weights, int[] order, int from, int to,
      double alpha) {
    double target = (1 - alpha) * (to - from);
    double mass = 0;
    for (int rank = to - 1; rank >= from; rank--) {
      mass += weights[order[rank]];
      if (mass > target) {
        return rank;
      }
    }
    return from;
  }

  private static int firstRankAtLeast(double[] losses, int[] order, double value) {
    int lo = 0;
    int hi = order.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (losses[order[mid]] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Batch-means standard errors of VaR and ES over BATCHES contiguous scenario ranges. */
  private static double[] batchStandardErrors(double[] losses, double[] weights, double alpha,
      double var, double es) {
    int n = losses.length;
    int batchSize = n / BATCHES;
    if (batchSize < 2) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double varSum = 0;
    double esSum = 0;
    for (int b = 0; b < BATCHES; b++) {
      int from = b * batchSize;
      int to = from + batchSize;
      int[] order = sortedByLoss(losses, from, to);
      int rank = quantileRank(losses, weights, order, 0, batchSize, alpha);
      double batchVar = losses[order[rank]];
      double tw = 0;
      double tl = 0;
      for (int k = batchSize - 1; k >= 0 && losses[order[k]] >= batchVar; k--) {
        tw += weights[order[k]];
        tl += weights[order[k]] * losses[order[k]];
      }
      double batchEs = tl / tw;
      varSum += (batchVar - var) * (batchVar - var);
      esSum += (batchEs - es) * (batchEs - es);
    }
    return new double[] {
      Math.sqrt(varSum / (BATCHES - 1) / BATCHES), Math.sqrt(esSum / (BATCHES - 1) / BATCHES)
    };
  }

  private static LossDistributionResult.Histogram histogram(double[] losses, double[] weights, int[] order) {
    int n = losses.length;
    double max = losses[order[n - 1]];
    double width = max > 0 ? max / HISTOGRAM_BINS : 1.0;
    double[] edges = new double[HISTOGRAM_BINS + 1];
    for (int k = 0; k <= HISTOGRAM_BINS; k++) {
      edges[k] = k * width;
    }
    double[] mass = new double[HISTOGRAM_BINS];
    for (int s = 0; s < n; s++) {
      int k = Math.min(HISTOGRAM_BINS - 1, (int) (losses[s] / width));
      mass[k] += weights[s] / n;
    }
    return new LossDistributionResult.Histogram(edges, mass);
  }
}

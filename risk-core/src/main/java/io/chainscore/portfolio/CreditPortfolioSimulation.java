package io.chainscore.portfolio;

import io.chainscore.scoring.spi.BorrowedExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Monte Carlo credit-portfolio model: a multi-factor Gaussian copula with one macro factor, one
 * factor per sector and one per anchor, optional anchor-default contagion, and importance sampling
 * on the macro factor. {@link #run()} returns the loss distribution with VaR, expected shortfall,
 * standard errors and Euler contributions.
 *
 * <p>Supplier i with sector s and anchor k has the latent variable
 * X_i = sqrt(rM) Z + sqrt(rS) S_s + b_i F_k + sqrt(1 - rM - rS - b_i^2) e_i with
 * b_i = anchorLoading x (anchor's share of the supplier's sales), and defaults when
 * X_i &lt; G(PD_i). Anchor k has A_k = sqrt(rA) Z + sqrt(1 - rA) F_k and defaults when
 * A_k &lt; G(PD_k). With contagion on, a supplier whose anchor defaulted in the scenario defaults
 * additionally with probability contagionStrength x share. Each scenario draws the factors, then
 * tests every supplier with one uniform against its conditional default probability.
 *
 * <p>Determinism: scenario s uses a generator seeded from (seed, s) only, so results are
 * bit-identical for any thread count; all reductions run in scenario order on one thread.
 *
 * <p>Thread safety: immutable; {@link #run()} may be called concurrently.
 */
public final class CreditPortfolioSimulation {
  private static final int BLOCK = 64;
  private static final int BATCHES = 20;
  private static final int HISTOGRAM_BINS = 60;
  private static final int TAIL_CHUNK = 64;

  private final Builder config;
  private final int obligors;
  private final int[] sectorOf;
  private final int[] anchorOf;
  private final String[] sectorKeys;
  private final String[] anchorKeys;
  private final double[] lossGivenDefault;
  /** G(PD_i) / s_i where s_i is the idiosyncratic scale. */
  private final double[] threshold;
  private final double[] macroCoefficient;
  private final double[] sectorCoefficient;
  private final double[] anchorCoefficient;
  private final double[] contagionJump;
  private final double[] anchorThreshold;
  private final double anchorMacroLoading;
  private final double anchorOwnLoading;
  private final double totalEad;
  private final double expectedLoss;

  private CreditPortfolioSimulation(Builder b) {
    this.config = b;
    List<Exposure> exposures = b.exposures;
    obligors = exposures.size();
    sectorOf = new int[obligors];
    anchorOf = new int[obligors];
    lossGivenDefault = new double[obligors];
    threshold = new double[obligors];
    macroCoefficient = new double[obligors];
    sectorCoefficient = new double[obligors];
    anchorCoefficient = new double[obligors];
    contagionJump = new double[obligors];
    Map<String, Integer> sectors = new LinkedHashMap<>();
    Map<String, Integer> anchors = new LinkedHashMap<>();
    double sqrtMacro = Math.sqrt(b.macroCorrelation);
    double sqrtSector = Math.sqrt(b.sectorCorrelation);
    double ead = 0;
    double el = 0;
    for (int i = 0; i < obligors; i++) {
      Exposure e = exposures.get(i);
      double pd = b.pds[i];
      sectorOf[i] = sectors.computeIfAbsent(e.sector().code(), k -> sectors.size());
      anchorOf[i] = anchors.computeIfAbsent(e.anchorId(), k -> anchors.size());
      double lgd = e.lgd(b.lgdRegime);
      lossGivenDefault[i] = lgd * e.ead();
      ead += e.ead();
      el += pd * lossGivenDefault[i];
      double anchorLoading = b.anchorLoading * e.anchorSalesShare();
      double scale = Math.sqrt(1 - b.macroCorrelation - b.sectorCorrelation - anchorLoading * anchorLoading);
      threshold[i] = pd <= 0 ? Double.NEGATIVE_INFINITY : pd >= 1 ? Double.POSITIVE_INFINITY
          : Normal.inverse(pd) / scale;
      macroCoefficient[i] = sqrtMacro / scale;
      sectorCoefficient[i] = sqrtSector / scale;
      anchorCoefficient[i] = anchorLoading / scale;
      contagionJump[i] = b.contagion ? b.contagionStrength * e.anchorSalesShare() : 0.0;
    }
    sectorKeys = sectors.keySet().toArray(new String[0]);
    anchorKeys = anchors.keySet().toArray(new String[0]);
    anchorThreshold = new double[anchorKeys.length];
    for (int k = 0; k < anchorKeys.length; k++) {
      double pd = b.anchorPds.getOrDefault(anchorKeys[k], b.defaultAnchorPd);
      anchorThreshold[k] = pd <= 0 ? Double.NEGATIVE_INFINITY : pd >= 1 ? Double.POSITIVE_INFINITY
          : Normal.inverse(pd);
    }
    anchorMacroLoading = Math.sqrt(b.anchorMacroCorrelation);
    anchorOwnLoading = Math.sqrt(1 - b.anchorMacroCorrelation);
    totalEad = ead;
    expectedLoss = el;
  }

  /** A builder with the defaults documented on each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /** Number of suppliers (obligors) in the portfolio. */
  public int obligors() {
    return obligors;
  }

  /** The configured number of scenarios. */
  public int simulations() {
    return config.simulations;
  }

  /**
   * Simulates every scenario and computes the tail measures and contributions.
   *
   * @throws IllegalStateException when a worker thread fails
   */
  public LossDistributionResult run() {
    int n = config.simulations;
    double[] losses = new double[n];
    double[] weights = new double[n];
    ExecutorService pool = newPool();
    try {
      simulateAll(losses, weights, pool);
      return summarise(losses, weights, pool);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Fills caller-owned {@code losses} and {@code weights} (length = simulations) with each
   * scenario's loss and importance weight; the raw engine used by {@link #run()} and benchmarks.
   */
  public void simulateLosses(double[] losses, double[] weights) {
    if (losses.length != config.simulations || weights.length != config.simulations) {
      throw new IllegalArgumentException("simulateLosses: buffers must have length " + config.simulations);
    }
    ExecutorService pool = newPool();
    try {
      simulateAll(losses, weights, pool);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private ExecutorService newPool() {
    if (config.threads == 1) {
      return null;
    }
    if (config.executor != null) {
      return new BorrowedExecutor(config.executor);
    }
    return Executors.newFixedThreadPool(config.threads, r -> {
      Thread t = new Thread(r, "chainscore-portfolio-mc");
      t.setDaemon(true);
      return t;
    });
  }

  private void simulateAll(double[] losses, double[] weights, ExecutorService pool) {
    parallelFor(pool, losses.length, BLOCK, null,
        (s, scratch) -> losses[s] = simulateScenario(s, scratch, false, weights));
  }

  /** A unit of work over an index with the calling thread's scratch buffers. */
  private interface IndexTask {
    void run(int index, Scratch scratch);
  }

  /**
   * Runs task(0..count-1) on the pool in blocks; each index writes only its own outputs, so the
   * result does not depend on which thread ran it. With {@code slotScratch} the task gets the
   * scratch of its index instead of a per-thread one.
   */
  private void parallelFor(ExecutorService pool, int count, int block, Scratch[] slotScratch,
      IndexTask task) {
    if (pool == null) {
      Scratch scratch = slotScratch == null ? new Scratch() : null;
      for (int i = 0; i < count; i++) {
        task.run(i, slotScratch == null ? scratch : slotScratch[i]);
      }
      return;
    }
    int blocks = (count + block - 1) / block;
    AtomicInteger nextBlock = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < config.threads; t++) {
      futures.add(pool.submit(() -> {
        Scratch scratch = slotScratch == null ? new Scratch() : null;
        int b;
        while ((b = nextBlock.getAndIncrement()) < blocks) {
          int end = Math.min(count, (b + 1) * block);
          for (int i = b * block; i < end; i++) {
            task.run(i, slotScratch == null ? scratch : slotScratch[i]);
          }
        }
      }));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("portfolio simulation interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("portfolio simulation failed: " + e.getCause(), e.getCause());
    }
  }

  /** Per-thread buffers for the systematic factors and the defaulters of a scenario. */
  private final class Scratch {
    final double[] sectorFactor = new double[sectorKeys.length];
    final double[] anchorFactor = new double[anchorKeys.length];
    final boolean[] anchorDefaulted = new boolean[anchorKeys.length];
    final int[] defaulters = new int[obligors];
    int defaultCount;
  }

  /**
   * Simulates scenario s and returns its loss; stores its importance weight in weights[s]; when
   * {@code recording}, lists the defaulting suppliers in scratch.defaulters.
   */
  private double simulateScenario(int s, Scratch scratch, boolean recording, double[] weights) {
    // xoroshiro128+ seeded through SplitMix64 from (seed, s): independent of thread and block.
    long z = config.seed + 0x9E3779B97F4A7C15L * (s + 1L);
    long s0 = mix64(z);
    long s1 = mix64(z + 0x9E3779B97F4A7C15L);
    if ((s0 | s1) == 0) {
      s1 = 1;
    }
    // Systematic factors by inverse transform with Acklam (1e-9 relative), cheap enough for
    // portfolios with hundreds of anchors.
    long r = s0 + s1;
    s1 ^= s0;
    s0 = Long.rotateLeft(s0, 24) ^ s1 ^ (s1 << 16);
    s1 = Long.rotateLeft(s1, 37);
    double shift = config.importanceShift;
    double macro = shift + Normal.inverseFast(uniformOpen(r));
    weights[s] = shift == 0 ? 1.0 : Math.exp(-shift * macro + 0.5 * shift * shift);
    double[] sectorFactor = scratch.sectorFactor;
    for (int k = 0; k < sectorFactor.length; k++) {
      r = s0 + s1;
      s1 ^= s0;
      s0 = Long.rotateLeft(s0, 24) ^ s1 ^ (s1 << 16);
      s1 = Long.rotateLeft(s1, 37);
      sectorFactor[k] = Normal.inverseFast(uniformOpen(r));
    }
    double[] anchorFactor = scratch.anchorFactor;
    boolean[] anchorDefaulted = scratch.anchorDefaulted;
    for (int k = 0; k < anchorFactor.length; k++) {
      r = s0 + s1;
      s1 ^= s0;
      s0 = Long.rotateLeft(s0, 24) ^ s1 ^ (s1 << 16);
      s1 = Long.rotateLeft(s1, 37);
      double f = Normal.inverseFast(uniformOpen(r));
      anchorFactor[k] = f;
      anchorDefaulted[k] = anchorMacroLoading * macro + anchorOwnLoading * f < anchorThreshold[k];
    }
    boolean contagion = config.contagion;
    int[] defaulters = scratch.defaulters;
    int count = 0;
    double loss = 0;
    double[] threshold = this.threshold;
    double[] macroCoefficient = this.macroCoefficient;
    double[] sectorCoefficient = this.sectorCoefficient;
    double[] anchorCoefficient = this.anchorCoefficient;
    int[] sectorOf = this.sectorOf;
    int[] anchorOf = this.anchorOf;
    double[] lossGivenDefault = this.lossGivenDefault;
    for (int i = 0; i < obligors; i++) {
      int anchor = anchorOf[i];
      double x = threshold[i] - macroCoefficient[i] * macro
          - sectorCoefficient[i] * sectorFactor[sectorOf[i]] - anchorCoefficient[i] * anchorFactor[anchor];
      r = s0 + s1;
      s1 ^= s0;
      s0 = Long.rotateLeft(s0, 24) ^ s1 ^ (s1 << 16);
      s1 = Long.rotateLeft(s1, 37);
      double u = (r >>> 11) * 0x1.0p-53;
      boolean defaulted;
      if (contagion && anchorDefaulted[anchor]) {
        double p = Normal.fastCdf(x);
        defaulted = u < p + (1 - p) * contagionJump[i];
      } else {
        defaulted = Normal.below(u, x);
      }
      if (defaulted) {
        loss += lossGivenDefault[i];
        if (recording) {
          defaulters[count++] = i;
        }
      }
    }
    scratch.defaultCount = count;
    return loss;
  }

  private static double uniformOpen(long r) {
    return ((r >>> 11) + 0.5) * 0x1.0p-53;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  // ---------------------------------------------------------------- summary statistics

  private LossDistributionResult summarise(double[] losses, double[] weights, ExecutorService pool) {
    int n = losses.length;
    double meanLoss = 0;
    for (int s = 0; s < n; s++) {
      meanLoss += weights[s] * losses[s];
    }
    meanLoss /= n;
    double varianceSum = 0;
    for (int s = 0; s < n; s++) {
      double d = weights[s] * losses[s] - meanLoss;
      varianceSum += d * d;
    }
    double meanSe = n > 1 ? Math.sqrt(varianceSum / (n - 1) / n) : Double.NaN;

    int[] order = sortedByLoss(losses, 0, n);

    double[] levels = config.levels;
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
    if (!config.contributions) {
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
    Scratch[] slots = new Scratch[Math.max(1, chunk)];
    for (int j = 0; j < slots.length; j++) {
      slots[j] = new Scratch();
    }
    double[] slotLoss = new double[slots.length];
    double[] weightSink = new double[n];
    for (int chunkStart = lowestRank; chunkStart < n; chunkStart += chunk) {
      int base = chunkStart;
      int size = Math.min(chunk, n - chunkStart);
      parallelFor(pool, size, 1, slots,
          (j, sc) -> slotLoss[j] = simulateScenario(order[base + j], sc, true, weightSink));
      for (int j = 0; j < size; j++) {
        int rank = base + j;
        int s = order[rank];
        double loss = slotLoss[j];
        Scratch scratch = slots[j];
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
      if (!config.contributions) {
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
    return new LossDistributionResult(n, config.seed, config.importanceShift, totalEad, expectedLoss,
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

  /**
   * Options of a {@link CreditPortfolioSimulation}; {@link #portfolio} is required.
   *
   * <p>Thread safety: not thread safe; {@link #build()} copies what it needs.
   */
  public static final class Builder {
    private List<Exposure> exposures;
    private double[] pds;
    private IrbRegime lgdRegime = IrbRegime.BASEL_III;
    private double macroCorrelation = 0.10;
    private double sectorCorrelation = 0.05;
    private double anchorLoading = 0.35;
    private double anchorMacroCorrelation = 0.20;
    private final Map<String, Double> anchorPds = new HashMap<>();
    private double defaultAnchorPd = 0.01;
    private boolean contagion;
    private double contagionStrength = 0.25;
    private int simulations = 100_000;
    private long seed = 1L;
    private int threads = 1;
    private Executor executor;
    private double importanceShift;
    private double[] levels = {0.99, 0.999};
    private boolean contributions = true;

    private Builder() {}

    /**
     * The suppliers and their PDs (same order); NaN LGDs take the regime's supervisory value.
     */
    public Builder portfolio(List<Exposure> exposures, double[] pds, IrbRegime lgdRegime) {
      if (exposures == null || pds == null || lgdRegime == null) {
        throw new IllegalArgumentException("portfolio: exposures, pds and regime are required");
      }
      if (exposures.size() != pds.length) {
        throw new IllegalArgumentException("portfolio: " + exposures.size() + " exposures but "
            + pds.length + " PDs");
      }
      for (int i = 0; i < pds.length; i++) {
        if (!(pds[i] >= 0 && pds[i] <= 1)) {
          throw new IllegalArgumentException("portfolio: PD of supplier " + exposures.get(i).supplierId()
              + " must be in [0, 1], got " + pds[i]);
        }
      }
      this.exposures = List.copyOf(exposures);
      this.pds = pds.clone();
      this.lgdRegime = lgdRegime;
      return this;
    }

    /** Squared loading of suppliers on the macro factor (default 0.10). */
    public Builder macroCorrelation(double value) {
      this.macroCorrelation = unitInterval("macroCorrelation", value);
      return this;
    }

    /** Squared loading of suppliers on their sector factor (default 0.05). */
    public Builder sectorCorrelation(double value) {
      this.sectorCorrelation = unitInterval("sectorCorrelation", value);
      return this;
    }

    /**
     * Loading on the anchor factor of a supplier selling everything to its anchor (default 0.35);
     * a supplier's loading is this times the anchor's share of its sales.
     */
    public Builder anchorLoading(double value) {
      this.anchorLoading = unitInterval("anchorLoading", value);
      return this;
    }

    /** Squared loading of anchors on the macro factor (default 0.20). */
    public Builder anchorMacroCorrelation(double value) {
      this.anchorMacroCorrelation = unitInterval("anchorMacroCorrelation", value);
      return this;
    }

    /** The one-year PD of an anchor (anchors without one use {@link #defaultAnchorPd}). */
    public Builder anchorPd(String anchorId, double pd) {
      this.anchorPds.put(anchorId, unitInterval("anchor PD of " + anchorId, pd));
      return this;
    }

    /** PD of anchors given no own PD (default 0.01). */
    public Builder defaultAnchorPd(double pd) {
      this.defaultAnchorPd = unitInterval("defaultAnchorPd", pd);
      return this;
    }

    /** Whether an anchor's default raises its suppliers' default probability (default off). */
    public Builder contagion(boolean on) {
      this.contagion = on;
      return this;
    }

    /**
     * Extra default probability, times the anchor's sales share, of a supplier whose anchor
     * defaulted (default 0.25).
     */
    public Builder contagionStrength(double value) {
      this.contagionStrength = unitInterval("contagionStrength", value);
      return this;
    }

    /** Number of scenarios (default 100,000). */
    public Builder simulations(int n) {
      if (n < 100) {
        throw new IllegalArgumentException("simulations must be >= 100, got " + n);
      }
      this.simulations = n;
      return this;
    }

    /** Master seed (default 1). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Worker threads (default 1); results do not depend on it. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Runs the {@link #threads} workers as tasks on {@code executor} instead of threads the
     * simulation creates (the default); results do not depend on it, and the executor is never
     * shut down. The calling thread waits for the tasks, so it must not be the executor's only
     * thread.
     */
    public Builder executor(Executor executor) {
      this.executor = java.util.Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Mean of the sampled macro factor for importance sampling (default 0, plain Monte Carlo); a
     * negative value such as -2.5 oversamples downturns, and each scenario is weighted by the
     * likelihood ratio exp(-mu Z + mu^2 / 2).
     */
    public Builder importanceShift(double mu) {
      if (!Double.isFinite(mu) || Math.abs(mu) > 8) {
        throw new IllegalArgumentException("importanceShift must be finite and within [-8, 8], got " + mu);
      }
      this.importanceShift = mu;
      return this;
    }

    /**
     * Whether to compute Euler contributions (default on); off skips the tail re-simulation, and
     * the tail measures then carry empty contribution arrays and lists.
     */
    public Builder contributions(boolean on) {
      this.contributions = on;
      return this;
    }

    /** Confidence levels for VaR and ES (default 0.99 and 0.999). */
    public Builder levels(double... levels) {
      if (levels.length == 0) {
        throw new IllegalArgumentException("levels: at least one confidence level is required");
      }
      double[] copy = levels.clone();
      Arrays.sort(copy);
      for (double a : copy) {
        if (!(a > 0.5 && a < 1)) {
          throw new IllegalArgumentException("levels: each level must be in (0.5, 1), got " + a);
        }
      }
      this.levels = copy;
      return this;
    }

    /**
     * Validates the combination and builds the simulation.
     *
     * @throws IllegalArgumentException when no portfolio was given or loadings exceed 1
     */
    public CreditPortfolioSimulation build() {
      if (exposures == null) {
        throw new IllegalArgumentException("simulation: portfolio(...) is required");
      }
      if (exposures.isEmpty()) {
        throw new IllegalArgumentException("simulation: the portfolio has no exposures");
      }
      double systematic = macroCorrelation + sectorCorrelation + anchorLoading * anchorLoading;
      if (!(systematic < 1)) {
        throw new IllegalArgumentException("simulation: macroCorrelation + sectorCorrelation + "
            + "anchorLoading^2 must be < 1, got " + systematic);
      }
      if (!(anchorMacroCorrelation < 1)) {
        throw new IllegalArgumentException("simulation: anchorMacroCorrelation must be < 1");
      }
      return new CreditPortfolioSimulation(copy());
    }

    /** A deep copy of these options. */
    Builder copy() {
      Builder copy = new Builder();
      copy.exposures = exposures;
      copy.pds = pds == null ? null : pds.clone();
      copy.lgdRegime = lgdRegime;
      copy.macroCorrelation = macroCorrelation;
      copy.sectorCorrelation = sectorCorrelation;
      copy.anchorLoading = anchorLoading;
      copy.anchorMacroCorrelation = anchorMacroCorrelation;
      copy.anchorPds.putAll(anchorPds);
      copy.defaultAnchorPd = defaultAnchorPd;
      copy.contagion = contagion;
      copy.contagionStrength = contagionStrength;
      copy.simulations = simulations;
      copy.seed = seed;
      copy.threads = threads;
      copy.executor = executor;
      copy.importanceShift = importanceShift;
      copy.levels = levels.clone();
      copy.contributions = contributions;
      return copy;
    }

    /**
     * A copy whose anchor PDs are conditioned on the macro factor taking the value z (every
     * explicit anchor PD and the default one), for macro stress scenarios.
     */
    Builder withAnchorMacroStress(double z) {
      Builder copy = copy();
      copy.defaultAnchorPd = Vasicek.conditionalPd(defaultAnchorPd, anchorMacroCorrelation, z);
      for (Map.Entry<String, Double> e : anchorPds.entrySet()) {
        copy.anchorPds.put(e.getKey(), Vasicek.conditionalPd(e.getValue(), anchorMacroCorrelation, z));
      }
      return copy;
    }

    boolean contagionValue() {
      return contagion;
    }

    int simulationsValue() {
      return simulations;
    }

    double macroCorrelationValue() {
      return macroCorrelation;
    }

    private static double unitInterval(String name, double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
      }
      return value;
    }
  }
}
